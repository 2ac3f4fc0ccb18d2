"""One cheap check that a tracking server is usable, before any training starts.

A mistyped URI, a stopped server or a missing password would otherwise show up
minutes later as a retried request and a long traceback. Each failure here
names the URI and says what to change.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from housing_price.errors import TrackingError

logger = logging.getLogger(__name__)

PROBE_ENDPOINT = "/api/2.0/mlflow/experiments/search"
_START_HINT = (
    "Start it with `housing-price server start --config configs/production.yaml` "
    "or fix tracking.uri (or MLFLOW_TRACKING_URI)."
)


def is_server_uri(tracking_uri: str) -> bool:
    """Whether runs are written through a tracking server over HTTP."""
    return urlsplit(tracking_uri).scheme in ("http", "https")


def probe_tracking_server(tracking_uri: str, timeout_seconds: float) -> None:
    """Ask the server for one experiment and explain any failure.

    Uses MLflow's own credentials and TLS settings (MLFLOW_TRACKING_USERNAME,
    MLFLOW_TRACKING_PASSWORD, MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_INSECURE_TLS,
    MLFLOW_TRACKING_SERVER_CERT_PATH), with one quick retry: the probe must
    fail fast, while the later logging calls keep MLflow's full retry policy.

    Raises:
        TrackingError: The server is unreachable, refuses the credentials, or
            the URI does not lead to MLflow's REST API.
    """
    from mlflow.exceptions import MlflowException
    from mlflow.utils.credentials import get_default_host_creds
    from mlflow.utils.rest_utils import http_request

    base_uri = tracking_uri.rstrip("/")
    credentials = get_default_host_creds(base_uri)  # type: ignore[no-untyped-call]
    try:
        response = http_request(  # type: ignore[no-untyped-call]
            credentials,
            PROBE_ENDPOINT,
            "GET",
            params={"max_results": 1},
            max_retries=1,
            backoff_factor=0,
            timeout=timeout_seconds,
            raise_on_status=False,
        )
    except MlflowException as err:
        raise TrackingError(
            f"no MLflow tracking server answers at {tracking_uri}: "
            f"{_reason(err.message)}. {_START_HINT}"
        ) from err
    _check_response(tracking_uri, response.status_code, response, _is_json(response))
    logger.debug("Tracking server %s answered the probe", tracking_uri)


def check_artifact_location(
    tracking_uri: str, experiment_name: str, artifact_location: str
) -> None:
    """Refuse an experiment whose artifacts this client cannot reach.

    A bare path (or file: URI) recorded by a server means a folder on the
    server's machine: a remote client would write the model into its own disk
    and the registry would point at files nobody else can read.

    Raises:
        TrackingError: The location is a local path on a tracking server.
    """
    if not is_server_uri(tracking_uri):
        return
    if urlsplit(artifact_location).scheme not in ("", "file"):
        return
    raise TrackingError(
        f"experiment {experiment_name!r} on {tracking_uri} stores artifacts at the "
        f"local path {artifact_location!r}, which exists on the server's machine, "
        "not on this client. Start the server with artifacts served through it "
        "(`housing-price server start` does: new experiments then get "
        "mlflow-artifacts:/ locations) and set tracking.experiment_name to a new "
        "experiment, or create the experiment with an object-store location."
    )


def _check_response(
    tracking_uri: str, status_code: int, response: Any, is_json: bool
) -> None:
    if status_code == 200 and is_json:
        return
    if status_code == 401:
        raise TrackingError(
            f"the tracking server at {tracking_uri} requires a login and refused "
            "this one; set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD "
            "to an account the server's admin created"
        )
    if status_code == 403:
        raise TrackingError(
            f"the tracking server at {tracking_uri} answered 403 Forbidden: it does "
            "not accept this host name (add it to the server's server.allowed_hosts) "
            "or this user lacks permission on the experiment"
        )
    if status_code in (404, 405) or (status_code == 200 and not is_json):
        path = urlsplit(tracking_uri).path.rstrip("/")
        where = (
            f"the path {path!r} in the URI is probably wrong: give the server's "
            "root (http://host:port) or exactly the prefix your proxy serves it at"
            if path
            else "if the server sits behind a proxy under a path prefix, "
            "include that prefix in the URI"
        )
        raise TrackingError(
            f"{tracking_uri} answers HTTP but not with MLflow's REST API "
            f"({PROBE_ENDPOINT} gave {status_code}); {where}"
        )
    raise TrackingError(
        f"the tracking server at {tracking_uri} answered HTTP {status_code} to a "
        f"simple request: {_reason(response.text)}. Read the server's log."
    )


def _is_json(response: Any) -> bool:
    content_type = str(response.headers.get("Content-Type", ""))
    return content_type.startswith("application/json")


def _reason(text: str) -> str:
    # MLflow wraps connection errors in long reprs; the tail names the cause.
    first = text.strip().splitlines()[0] if text.strip() else "no details"
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in first:
            return marker.lower()
    return first[:300]
