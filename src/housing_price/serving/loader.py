"""Load a registered model by alias or version and say exactly which one it is."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import mlflow
from mlflow.exceptions import MlflowException

from housing_price.errors import ServingError
from housing_price.experiments.tracking import use_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedModel:
    """A loaded pyfunc model and the registry version behind it."""

    model: Any
    name: str
    version: str
    run_id: str
    model_uri: str


def load_registered_model(
    tracking_uri: str, name: str, alias: str | None = None, version: str | None = None
) -> LoadedModel:
    """Load `models:/name@alias` or `models:/name/version` from the registry.

    Args:
        tracking_uri: Tracking and registry URI (a file, SQLite or a server).
        name: Registered model name.
        alias: Alias such as `staging`; mutually exclusive with `version`.
        version: Version number as text.

    Raises:
        ServingError: The alias or version does not exist or will not load.
    """
    if (alias is None) == (version is None):
        raise ValueError("give exactly one of alias or version")
    client = use_store(tracking_uri)
    try:
        if alias is not None:
            model_version = client.get_model_version_by_alias(name, alias)
        else:
            model_version = client.get_model_version(name, str(version))
    except MlflowException as err:
        wanted = f"alias {alias!r}" if alias else f"version {version}"
        raise ServingError(
            f"registered model {name!r} has no {wanted} on {tracking_uri}: "
            f"{err.message}. List versions in the MLflow UI or register one first."
        ) from err

    model_uri = f"models:/{name}/{model_version.version}"
    try:
        model = mlflow.pyfunc.load_model(model_uri)
    except MlflowException as err:
        raise ServingError(f"could not load {model_uri}: {err.message}") from err
    logger.info("Loaded %s version %s", name, model_version.version)
    return LoadedModel(
        model=model,
        name=name,
        version=str(model_version.version),
        run_id=str(model_version.run_id),
        model_uri=model_uri,
    )
