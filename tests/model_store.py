"""A small MLflow store with logged candidate runs, for registry and serving tests.

Pipelines are trained on synthetic frames and logged through the project's own
logging code into a temporary SQLite store, which is much faster than running
the training job; each test works on a copy of the database.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from housing_price.config.settings import TrackingSettings
from housing_price.data.schema import FEATURES, TARGET, feature_requirements
from housing_price.evaluation.metrics import regression_metrics
from housing_price.experiments.runs import (
    CANDIDATE_ROLE,
    FAMILY_TAG,
    MODEL_URI_TAG,
    ROLE_TAG,
    TRAINING_ID_TAG,
    family_run,
    log_fitted_model,
    log_values,
)
from housing_price.experiments.tracking import TrackingContext, connect
from housing_price.models.family import get_family
from tests.conftest import make_housing_frame

TRAINING_ID = "synthetic0001"
INT_TRAINING_ID = "synthetic0002"
INT_COLUMNS = ("housing_median_age", "total_rooms", "population", "households")


def make_nonlinear_frame(rows: int, seed: int) -> pd.DataFrame:
    """Synthetic districts whose value steps with latitude, which trees can learn."""
    frame = make_housing_frame(rows, seed)
    rng = np.random.default_rng(seed + 1)
    north = frame["latitude"] > 37.0
    coastal = frame["ocean_proximity"] != "INLAND"
    frame[TARGET] = (
        30_000 * frame["median_income"].clip(upper=8)
        + 150_000 * (north & coastal)
        + rng.normal(0, 10_000, rows)
    ).clip(15_000, 500_001)
    return frame


TRAIN = make_nonlinear_frame(600, seed=1)
TEST = make_nonlinear_frame(200, seed=2)


@dataclass(frozen=True)
class Store:
    """Where the store lives and the candidate run ids, by name."""

    directory: Path
    run_ids: dict[str, str]


def build_store(directory: Path) -> Store:
    """Log the baseline, a good tree, a weak tree and an int-typed tree."""
    context = connect_store(directory)
    int_train = TRAIN.copy()
    int_train[list(INT_COLUMNS)] = int_train[list(INT_COLUMNS)].round().astype("int64")
    run_ids = {
        "baseline": log_candidate(context, "linear_regression", {}, TRAIN, TRAINING_ID),
        "good": log_candidate(
            context, "decision_tree", {"max_depth": 8}, TRAIN, TRAINING_ID
        ),
        "weak": log_candidate(
            context, "decision_tree", {"max_depth": 1}, TRAIN, TRAINING_ID
        ),
        "int_columns": log_candidate(
            context, "decision_tree", {"max_depth": 8}, int_train, INT_TRAINING_ID
        ),
    }
    return Store(directory=directory, run_ids=run_ids)


def connect_store(directory: Path) -> TrackingContext:
    """Connect to the SQLite store in `directory`."""
    return connect(
        TrackingSettings(
            uri=f"sqlite:///{directory}/mlflow.db",
            artifact_location=directory / "mlartifacts",
        )
    )


def copy_store(store: Store, target: Path) -> TrackingContext:
    """Copy the database (artifacts stay shared and read-only) and connect."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(store.directory / "mlflow.db", target / "mlflow.db")
    return connect_store(target)


def log_candidate(
    context: TrackingContext,
    family_name: str,
    params: dict[str, int],
    train: pd.DataFrame,
    training_id: str,
) -> str:
    """Fit one pipeline and log it as a finished candidate run."""
    family = get_family(family_name)
    features_train = train[list(FEATURES)]
    pipeline = family.build_pipeline(params, seed=0)
    pipeline.fit(features_train, train[TARGET])
    test_metrics = regression_metrics(
        TEST[TARGET], pipeline.predict(TEST[list(FEATURES)])
    )
    tags = {
        ROLE_TAG: CANDIDATE_ROLE,
        FAMILY_TAG: family_name,
        TRAINING_ID_TAG: training_id,
        "housing_price.seed": "0",
        "housing_price.data_sha256": "synthetic",
        "housing_price.git_commit": "0" * 40,
    }
    with family_run(context, run_name=family_name, tags=tags) as run_id:
        log_values(
            context,
            run_id,
            params={**params, "family": family_name},
            metrics={
                "cv_rmse_mean": test_metrics["rmse"],
                **{f"test_{name}": value for name, value in test_metrics.items()},
            },
        )
        model_uri = log_fitted_model(
            pipeline,
            features_train.head(50),
            extra_files={"feature_requirements.json": feature_requirements(train)},
        )
        log_values(context, run_id, tags={MODEL_URI_TAG: model_uri})
    return run_id
