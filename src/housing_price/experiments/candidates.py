"""Find the candidate runs of a training and load the models they logged."""

from __future__ import annotations

import logging
from typing import Any

import mlflow
from mlflow.entities import Run
from mlflow.exceptions import MlflowException

from housing_price.errors import TrackingError
from housing_price.experiments.runs import (
    CANDIDATE_ROLE,
    MODEL_URI_TAG,
    ROLE_TAG,
    TRAINING_ID_TAG,
)
from housing_price.experiments.tracking import TrackingContext

logger = logging.getLogger(__name__)

_FINISHED_CANDIDATES = (
    f"tags.`{ROLE_TAG}` = '{CANDIDATE_ROLE}' and attributes.status = 'FINISHED'"
)


def find_training_candidates(
    context: TrackingContext, training_id: str | None = None
) -> list[Run]:
    """Return the finished candidate runs of one training, best CV RMSE first.

    Args:
        context: Connected tracking store and experiment.
        training_id: The training to read; by default the most recent one.

    Raises:
        TrackingError: The experiment has no such training.
    """
    if training_id is None:
        latest = context.client.search_runs(
            [context.experiment_id],
            filter_string=_FINISHED_CANDIDATES,
            order_by=["attributes.start_time DESC"],
            max_results=1,
        )
        if not latest:
            raise TrackingError(
                f"experiment {context.experiment_name!r} on {context.tracking_uri} "
                "has no finished training runs; run `housing-price train` first"
            )
        training_id = latest[0].data.tags[TRAINING_ID_TAG]

    runs = context.client.search_runs(
        [context.experiment_id],
        filter_string=(
            f"{_FINISHED_CANDIDATES} and tags.`{TRAINING_ID_TAG}` = '{training_id}'"
        ),
        order_by=["metrics.cv_rmse_mean ASC"],
        max_results=100,
    )
    if not runs:
        raise TrackingError(
            f"training {training_id!r} has no finished candidate runs in experiment "
            f"{context.experiment_name!r}; check the training id or train again"
        )
    logger.debug("Training %s has %d candidate runs", training_id, len(runs))
    return list(runs)


def load_candidate_model(run: Run) -> Any:
    """Load the pyfunc model a candidate run logged.

    Raises:
        TrackingError: The run has no model or it does not load.
    """
    model_uri = run.data.tags.get(MODEL_URI_TAG)
    if not model_uri:
        raise TrackingError(
            f"run {run.info.run_id} has no logged model ({MODEL_URI_TAG} tag); "
            "only runs made by `housing-price train` hold one"
        )
    try:
        return mlflow.pyfunc.load_model(model_uri)
    except MlflowException as err:
        raise TrackingError(f"could not load {model_uri}: {err.message}") from err
