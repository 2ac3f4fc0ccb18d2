"""MLflow setup and tracking: the store, the server, the experiment, runs, models."""

from housing_price.experiments.backend import prepare_backend_store, redact_uri
from housing_price.experiments.candidates import (
    find_training_candidates,
    load_candidate_model,
)
from housing_price.experiments.leaderboard import run_leaderboard
from housing_price.experiments.manifest import (
    build_manifest,
    load_manifest,
    publish_manifest,
    record_registration,
)
from housing_price.experiments.probe import (
    check_artifact_location,
    is_server_uri,
    probe_tracking_server,
)
from housing_price.experiments.provenance import git_state, library_versions
from housing_price.experiments.recovery import (
    EndedRun,
    end_open_runs,
    end_stale_runs,
    runs_ended_on_failure,
)
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
from housing_price.experiments.server import (
    ServerState,
    ServerStatus,
    read_server_status,
    run_server_in_foreground,
    start_server,
    stop_server,
)
from housing_price.experiments.tracking import (
    TrackingContext,
    connect,
    is_local_store,
    use_store,
)

__all__ = [
    "CANDIDATE_ROLE",
    "FAMILY_TAG",
    "MODEL_URI_TAG",
    "ROLE_TAG",
    "TRAINING_ID_TAG",
    "EndedRun",
    "ServerState",
    "ServerStatus",
    "TrackingContext",
    "build_manifest",
    "check_artifact_location",
    "connect",
    "end_open_runs",
    "end_stale_runs",
    "family_run",
    "fetch_run",
    "fetch_trials",
    "find_training_candidates",
    "find_training_run",
    "git_state",
    "is_local_store",
    "is_server_uri",
    "iter_runs",
    "library_versions",
    "load_candidate_model",
    "load_fitted_pipeline",
    "load_manifest",
    "log_dataset_lineage",
    "log_fitted_model",
    "log_report",
    "log_trial_run",
    "log_values",
    "prepare_backend_store",
    "probe_tracking_server",
    "publish_manifest",
    "read_server_status",
    "record_registration",
    "redact_uri",
    "run_leaderboard",
    "run_server_in_foreground",
    "runs_ended_on_failure",
    "start_server",
    "stop_server",
    "use_store",
]
