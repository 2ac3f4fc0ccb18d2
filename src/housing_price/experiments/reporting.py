"""What an evaluation report needs from MLflow, and logging the report back.

Fetches a run, its tuning trials, the baseline of the same training and the
fitted pipeline; logs the written report files as artifacts of the run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
from mlflow.entities import Run
from mlflow.exceptions import MlflowException
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID

from housing_price.errors import TrackingError
from housing_price.experiments.runs import (
    CANDIDATE_ROLE,
    FAMILY_TAG,
    ROLE_TAG,
    TAG_PREFIX,
    TRAINING_ID_TAG,
    TRIAL_ROLE,
)
from housing_price.experiments.search import iter_runs
from housing_price.experiments.tracking import TrackingContext

logger = logging.getLogger(__name__)

REPORT_ARTIFACT_DIR = "report"
TRIAL_TAG = f"{TAG_PREFIX}trial"


def fetch_run(context: TrackingContext, run_id: str) -> Run:
    """Return the run with this id.

    Raises:
        TrackingError: No such run on the store.
    """
    try:
        return context.client.get_run(run_id)
    except MlflowException as err:
        raise TrackingError(
            f"run {run_id!r} does not exist on {context.tracking_uri}: "
            f"{err.message}. Copy the run id from the MLflow UI or "
            "`housing-price compare`."
        ) from err


def fetch_trials(context: TrackingContext, run: Run, page_size: int) -> pd.DataFrame:
    """The tuning trials logged as child runs of `run`.

    Returns:
        One row per trial with `trial` (its number), `loss` (mean CV RMSE in
        dollars) and one column per hyperparameter, numbers parsed back from
        their text form; empty when the run was not tuned.
    """
    filter_string = (
        f"tags.`{MLFLOW_PARENT_RUN_ID}` = '{run.info.run_id}' "
        f"and tags.`{ROLE_TAG}` = '{TRIAL_ROLE}'"
    )
    rows: list[dict[str, Any]] = []
    for trial in iter_runs(
        context,
        [run.info.experiment_id],
        filter_string,
        ["attributes.start_time ASC"],
        page_size,
    ):
        if "loss" not in trial.data.metrics:
            continue
        rows.append(
            {
                "trial": int(trial.data.tags.get(TRIAL_TAG, len(rows) + 1)),
                "loss": trial.data.metrics["loss"],
                **{k: _parse_param(v) for k, v in trial.data.params.items()},
            }
        )
    logger.debug("Run %s has %d trials", run.info.run_id, len(rows))
    return pd.DataFrame(rows)


def find_training_run(
    context: TrackingContext, training_id: str, family: str
) -> Run | None:
    """The finished candidate run of `family` in one training, if there is one."""
    runs = context.client.search_runs(
        [context.experiment_id],
        filter_string=(
            f"tags.`{TRAINING_ID_TAG}` = '{training_id}' "
            f"and tags.`{FAMILY_TAG}` = '{family}' "
            f"and tags.`{ROLE_TAG}` = '{CANDIDATE_ROLE}' "
            "and attributes.status = 'FINISHED'"
        ),
        max_results=1,
    )
    return runs[0] if runs else None


def load_fitted_pipeline(model_uri: str) -> Any:
    """Load a logged model as its scikit-learn pipeline (not the pyfunc wrapper).

    Raises:
        TrackingError: The model cannot be loaded.
    """
    try:
        return mlflow.sklearn.load_model(model_uri)
    except (MlflowException, OSError) as err:
        raise TrackingError(
            f"could not load the model {model_uri}: {err}. The run's artifacts "
            "may have been deleted; train again to report on a new run."
        ) from err


def log_report(context: TrackingContext, run_id: str, directory: Path) -> str:
    """Log a written report's files (HTML, Markdown, each plot) to the run.

    Returns:
        The artifact URI of the report folder.

    Raises:
        TrackingError: The artifact store refuses the files.
    """
    try:
        context.client.log_artifacts(run_id, str(directory), REPORT_ARTIFACT_DIR)
    except (MlflowException, OSError) as err:
        raise TrackingError(
            f"could not log the report in {directory} to run {run_id}: {err}"
        ) from err
    run = context.client.get_run(run_id)
    uri = f"{run.info.artifact_uri}/{REPORT_ARTIFACT_DIR}"
    logger.debug("Logged report %s", uri)
    return uri


def _parse_param(text: str) -> Any:
    for parse in (int, float):
        try:
            return parse(text)
        except ValueError:
            continue
    return text
