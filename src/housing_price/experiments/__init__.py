"""MLflow setup and tracking: the store, the experiment, runs and models."""

from housing_price.experiments.leaderboard import run_leaderboard
from housing_price.experiments.provenance import git_state, library_versions
from housing_price.experiments.reporting import (
    fetch_run,
    fetch_trials,
    find_training_run,
    load_fitted_pipeline,
    log_report,
)
from housing_price.experiments.runs import (
    CANDIDATE_ROLE,
    FAMILY_TAG,
    MODEL_URI_TAG,
    ROLE_TAG,
    TRAINING_ID_TAG,
    family_run,
    log_dataset_lineage,
    log_fitted_model,
    log_trial_run,
    log_values,
)
from housing_price.experiments.search import iter_runs
from housing_price.experiments.tracking import TrackingContext, connect, is_local_store

__all__ = [
    "CANDIDATE_ROLE",
    "FAMILY_TAG",
    "MODEL_URI_TAG",
    "ROLE_TAG",
    "TRAINING_ID_TAG",
    "TrackingContext",
    "connect",
    "family_run",
    "fetch_run",
    "fetch_trials",
    "find_training_run",
    "git_state",
    "is_local_store",
    "iter_runs",
    "library_versions",
    "load_fitted_pipeline",
    "log_dataset_lineage",
    "log_fitted_model",
    "log_report",
    "log_trial_run",
    "log_values",
    "run_leaderboard",
]
