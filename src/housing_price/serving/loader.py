"""Load a registered model by alias or version and predict from raw rows.

The public entry point for the API: `load_model` resolves the tracking and
registry URI from the configuration (`tracking.uri`, or MLFLOW_TRACKING_URI),
says exactly which version it loaded, and `LoadedModel.predict` validates rows
(see `housing_price.serving.validation`) before the pipeline sees them.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException

from housing_price.config.settings import Settings
from housing_price.data.schema import feature_requirements as contract_requirements
from housing_price.errors import ServingError
from housing_price.experiments.tracking import use_store
from housing_price.serving.validation import (
    NUMERIC_TYPES,
    FeatureSpec,
    read_rows_file,
    rows_to_frame,
    validate_rows,
)

logger = logging.getLogger(__name__)

FEATURE_REQUIREMENTS_FILE = "extra_files/feature_requirements.json"


@dataclass(frozen=True)
class LoadedModel:
    """A loaded model, the registry version behind it, and its input contract."""

    model: Any
    name: str
    version: str
    alias: str | None
    run_id: str
    model_uri: str
    features: tuple[FeatureSpec, ...]
    requirements: dict[str, Any]

    def feature_requirements(self) -> dict[str, Any]:
        """Raw feature names, types, ranges and categories, for the API schema."""
        return copy.deepcopy(self.requirements)

    def predict(self, rows: pd.DataFrame | Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Predict house values in dollars, one per row.

        Args:
            rows: A DataFrame or a list of records with the raw feature columns.

        Raises:
            ServingError: The rows break the input contract; the message names
                the columns and values to fix.
        """
        features = validate_rows(rows_to_frame(rows), self.features)
        predictor = self.model.get_raw_model()
        try:
            # The raw pipeline, not pyfunc: MLflow's schema check would refuse a
            # null in a column trained as integers, which the imputer handles.
            predictions = predictor.predict(features)
        except (ValueError, TypeError) as err:
            raise ServingError(
                f"version {self.version} of {self.name!r} could not predict these "
                f"rows: {err}"
            ) from err
        return np.asarray(predictions, dtype=np.float64).ravel()

    def predict_file(self, path: Path) -> np.ndarray:
        """Predict the rows of a CSV or JSON file (see `read_rows_file`)."""
        return self.predict(read_rows_file(path))


def load_model(
    alias: str | None = None,
    version: str | None = None,
    settings: Settings | None = None,
) -> LoadedModel:
    """Load the configured registered model by alias or version.

    Args:
        alias: Alias such as `production`; the production alias when neither
            `alias` nor `version` is given.
        version: Version number as text.
        settings: Configuration; by default the built-in defaults with the
            environment's overrides (MLFLOW_TRACKING_URI...).

    Raises:
        ServingError: The alias or version does not exist or will not load.
    """
    if settings is None:
        from housing_price.config.loading import load_settings

        settings = load_settings()
    if alias is None and version is None:
        alias = settings.registry.production_alias
    return load_registered_model(
        settings.tracking.uri, settings.registry.model_name, alias, version
    )


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
            f"{err.message}. List versions with `housing-price models` or register "
            "one first."
        ) from err

    model_uri = f"models:/{name}/{model_version.version}"
    try:
        local_path = Path(mlflow.artifacts.download_artifacts(artifact_uri=model_uri))
        model = mlflow.pyfunc.load_model(str(local_path))
    except MlflowException as err:
        raise ServingError(f"could not load {model_uri}: {err.message}") from err
    requirements = _read_requirements(local_path)
    logger.info(
        "Loaded %s version %s%s",
        name,
        model_version.version,
        f" (alias {alias})" if alias else "",
    )
    return LoadedModel(
        model=model,
        name=name,
        version=str(model_version.version),
        alias=alias,
        run_id=str(model_version.run_id),
        model_uri=model_uri,
        features=_feature_specs(model, requirements),
        requirements=requirements,
    )


def _read_requirements(model_path: Path) -> dict[str, Any]:
    path = model_path / FEATURE_REQUIREMENTS_FILE
    if path.is_file():
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    # Models logged without the file still follow the data contract.
    return contract_requirements()


def _feature_specs(model: Any, requirements: dict[str, Any]) -> tuple[FeatureSpec, ...]:
    """The model's input columns from its signature, with known categories."""
    categories = {
        feature["name"]: tuple(feature["categories"])
        for feature in requirements.get("features", [])
        if "categories" in feature
    }
    schema = model.metadata.get_input_schema()
    if schema is None:
        raise ServingError(
            "the model has no input signature, so its rows cannot be validated; "
            "register a model logged by `housing-price train`"
        )
    return tuple(
        FeatureSpec(
            name=str(column.name),
            numeric=column.type.name in NUMERIC_TYPES,
            categories=categories.get(str(column.name)),
        )
        for column in schema.inputs
    )
