"""MLflow setup and tracking: the store, the experiment, runs and models."""

from housing_price.experiments.candidates import (
    find_training_candidates,
    load_candidate_model,
)
from housing_price.experiments.manifest import (
    build_manifest,
    load_manifest,
    publish_manifest,
    record_registration,
)
from housing_price.experiments.provenance import git_state, library_versions
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
from housing_price.experiments.tracking import TrackingContext, connect, is_local_store

__all__ = [
    "CANDIDATE_ROLE",
    "FAMILY_TAG",
    "MODEL_URI_TAG",
    "ROLE_TAG",
    "TRAINING_ID_TAG",
    "TrackingContext",
    "build_manifest",
    "connect",
    "family_run",
    "find_training_candidates",
    "git_state",
    "is_local_store",
    "library_versions",
    "load_candidate_model",
    "load_manifest",
    "log_dataset_lineage",
    "log_fitted_model",
    "log_trial_run",
    "log_values",
    "publish_manifest",
    "record_registration",
]
