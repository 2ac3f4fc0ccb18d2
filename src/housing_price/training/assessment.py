"""Score a training's logged candidates on the test split: the `evaluate` stage.

The models are loaded back from the tracking store rather than taken from
memory, so the figures describe exactly what `register` would publish.
"""

from __future__ import annotations

import json
import logging

from housing_price.config.settings import Settings
from housing_price.data.processed import ProcessedData
from housing_price.data.schema import FEATURES, TARGET
from housing_price.evaluation.metrics import regression_metrics
from housing_price.experiments.candidates import (
    find_training_candidates,
    load_candidate_model,
)
from housing_price.experiments.runs import FAMILY_TAG
from housing_price.experiments.tracking import TrackingContext
from housing_price.utils.files import write_text_atomically

logger = logging.getLogger(__name__)

CandidateMetrics = dict[str, dict[str, float]]


def assess_candidates(
    data: ProcessedData, context: TrackingContext, training_id: str | None = None
) -> CandidateMetrics:
    """Return each candidate's test metrics and mean CV RMSE, by family.

    Args:
        data: The processed split; only its test part is scored.
        context: Connected tracking store holding the training.
        training_id: The training to score; by default the most recent one.

    Raises:
        TrackingError: No such training, or a model does not load.
    """
    features_test, target_test = data.test[list(FEATURES)], data.test[TARGET]
    assessed: CandidateMetrics = {}
    for run in find_training_candidates(context, training_id):
        model = load_candidate_model(run)
        scores = regression_metrics(target_test, model.predict(features_test))
        family = run.data.tags.get(FAMILY_TAG, run.info.run_id)
        assessed[family] = {
            "cv_rmse_mean": run.data.metrics["cv_rmse_mean"],
            **{f"test_{name}": value for name, value in scores.items()},
        }
        logger.info(
            "%s: test RMSE %.0f on %d rows", family, scores["rmse"], len(target_test)
        )
    return assessed


def write_metrics(settings: Settings, metrics: CandidateMetrics) -> None:
    """Write the metrics as JSON to `pipeline.metrics_file` (for `dvc metrics`)."""
    write_text_atomically(
        settings.pipeline.metrics_file,
        json.dumps(metrics, indent=2, sort_keys=True) + "\n",
    )
