"""Connect to the MLflow tracking store and make sure the experiment exists.

Every part of the package (trainer, registry, loader) reaches MLflow through
`use_store`, so runs, registered models and their artifacts always come from
the same tracking and registry URI.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Experiment
from mlflow.exceptions import MlflowException

from housing_price.config.settings import TrackingSettings
from housing_price.errors import TrackingError
from housing_price.experiments.probe import (
    check_artifact_location,
    is_server_uri,
    probe_tracking_server,
)

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


def use_store(tracking_uri: str) -> MlflowClient:
    """Point MLflow's fluent API at one store and return a client for it.

    The same URI serves as tracking and registry URI, so a model registered
    through a server is also loaded through that server.
    """
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    return MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)


def connect(settings: TrackingSettings) -> TrackingContext:
    """Point MLflow at the configured store and get or create the experiment.

    A tracking server is probed first, so a wrong URI fails at once. For a
    local store the experiment's artifacts go under `settings.artifact_location`;
    a tracking server chooses its own, which must be reachable from here.

    Raises:
        TrackingError: The store cannot be reached or refuses the experiment.
    """
    tracking_uri = settings.uri
    if is_server_uri(tracking_uri):
        probe_tracking_server(tracking_uri, settings.probe_timeout_seconds)
    try:
        with _first_writer_lock(tracking_uri):
            client = use_store(tracking_uri)
            experiment = _ensure_experiment(client, settings, tracking_uri)
    except MlflowException as err:
        raise TrackingError(
            f"cannot use experiment {settings.experiment_name!r} on the tracking "
            f"store {tracking_uri}: {err.message}. Check tracking.uri (or "
            "MLFLOW_TRACKING_URI) and that the store is reachable."
        ) from err
    check_artifact_location(
        tracking_uri, settings.experiment_name, experiment.artifact_location
    )
    logger.debug(
        "Tracking on %s, experiment %s", tracking_uri, experiment.experiment_id
    )
    return TrackingContext(
        client=client,
        tracking_uri=tracking_uri,
        experiment_id=str(experiment.experiment_id),
        experiment_name=settings.experiment_name,
    )


@contextmanager
def _first_writer_lock(tracking_uri: str) -> Iterator[None]:
    """Let one process at a time create an SQLite store and its experiment.

    Processes opening a brand-new SQLite file at once can leave its schema
    half-migrated; once the store and experiment exist, SQLite's own locking
    serialises the (short) writes of parallel trainers.
    """
    prefix = "sqlite:///"
    if not tracking_uri.startswith(prefix):
        yield
        return
    database = Path(tracking_uri.removeprefix(prefix)).resolve()
    database.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{database}.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ensure_experiment(
    client: MlflowClient, settings: TrackingSettings, tracking_uri: str
) -> Experiment:
    existing = client.get_experiment_by_name(settings.experiment_name)
    if existing is not None:
        if existing.lifecycle_stage == "deleted":
            raise TrackingError(
                f"experiment {settings.experiment_name!r} is deleted on "
                f"{tracking_uri}; restore it (mlflow experiments restore) or set "
                "tracking.experiment_name to a new name"
            )
        return existing

    artifact_location = None
    if is_local_store(tracking_uri):
        artifact_location = Path(settings.artifact_location).resolve().as_uri()
    try:
        experiment_id = client.create_experiment(
            settings.experiment_name, artifact_location=artifact_location
        )
    except MlflowException:
        # Another process created it between the lookup and here: use theirs.
        created = client.get_experiment_by_name(settings.experiment_name)
        if created is None:
            raise
        return created
    return client.get_experiment(experiment_id)
