"""Connect to the MLflow tracking store and make sure the experiment exists."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from housing_price.config.settings import TrackingSettings
from housing_price.errors import TrackingError

logger = logging.getLogger(__name__)

_LOCAL_SCHEMES = frozenset({"", "file", "sqlite"})


@dataclass(frozen=True)
class TrackingContext:
    """A connected client and the experiment that runs go to."""

    client: MlflowClient
    tracking_uri: str
    experiment_id: str
    experiment_name: str


def is_local_store(tracking_uri: str) -> bool:
    """Whether runs are written by this process (SQLite or a folder)."""
    return urlparse(tracking_uri).scheme in _LOCAL_SCHEMES


def connect(settings: TrackingSettings) -> TrackingContext:
    """Point MLflow at the configured store and get or create the experiment.

    For a local store the experiment's artifacts go under
    `settings.artifact_location`; a tracking server chooses its own.

    Raises:
        TrackingError: The store cannot be reached or refuses the experiment.
    """
    tracking_uri = settings.uri
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    try:
        experiment_id = _ensure_experiment(client, settings, tracking_uri)
    except MlflowException as err:
        raise TrackingError(
            f"cannot use experiment {settings.experiment_name!r} on the tracking "
            f"store {tracking_uri}: {err.message}. Check tracking.uri (or "
            "MLFLOW_TRACKING_URI) and that the store is reachable."
        ) from err
    logger.debug("Tracking on %s, experiment %s", tracking_uri, experiment_id)
    return TrackingContext(
        client=client,
        tracking_uri=tracking_uri,
        experiment_id=experiment_id,
        experiment_name=settings.experiment_name,
    )


def _ensure_experiment(
    client: MlflowClient, settings: TrackingSettings, tracking_uri: str
) -> str:
    existing = client.get_experiment_by_name(settings.experiment_name)
    if existing is not None:
        if existing.lifecycle_stage == "deleted":
            raise TrackingError(
                f"experiment {settings.experiment_name!r} is deleted on "
                f"{tracking_uri}; restore it (mlflow experiments restore) or set "
                "tracking.experiment_name to a new name"
            )
        return str(existing.experiment_id)

    artifact_location = None
    if is_local_store(tracking_uri):
        artifact_location = Path(settings.artifact_location).resolve().as_uri()
    try:
        return str(
            client.create_experiment(
                settings.experiment_name, artifact_location=artifact_location
            )
        )
    except MlflowException:
        # Another process may have created it between the lookup and here.
        created = client.get_experiment_by_name(settings.experiment_name)
        if created is None:
            raise
        return str(created.experiment_id)
