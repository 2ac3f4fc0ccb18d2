"""The gates a candidate run must pass before it becomes a model version.

Every gate is checked and reported, so a rejection lists all the reasons at
once rather than the first one only.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import mlflow
import numpy as np
from mlflow.entities import Run

from housing_price.config.settings import RegistrationGates
from housing_price.experiments.runs import (
    CANDIDATE_ROLE,
    FAMILY_TAG,
    MODEL_URI_TAG,
    ROLE_TAG,
    TRAINING_ID_TAG,
)
from housing_price.experiments.tracking import TrackingContext

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GateResult:
    """The outcome of one gate, with a sentence saying why."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class GateReport:
    """All gate outcomes of one candidate."""

    results: tuple[GateResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every gate passed."""
        return all(result.passed for result in self.results)

    @property
    def reason(self) -> str:
        """The failed gates' sentences, or a note that all passed."""
        failed = [result.detail for result in self.results if not result.passed]
        return "; ".join(failed) if failed else "all registration gates passed"


def check_registration_gates(
    context: TrackingContext, gates: RegistrationGates, run: Run
) -> GateReport:
    """Check a candidate's test RMSE, its lead over the baseline and its model.

    Args:
        context: Connected tracking store, to find the baseline run.
        gates: Thresholds from `registry.gates`.
        run: The candidate run, as made by `housing-price train`.

    Returns:
        One result per gate: threshold, baseline, signature, predicts.
    """
    test_rmse = run.data.metrics.get("test_rmse")
    results = [
        _check_threshold(test_rmse, gates),
        _check_baseline(context, gates, run, test_rmse),
        *_check_model(run.data.tags.get(MODEL_URI_TAG), gates.sample_rows),
    ]
    report = GateReport(tuple(results))
    logger.info(
        "Registration gates for run %s: %s",
        run.info.run_id,
        "passed" if report.passed else report.reason,
    )
    return report


def _check_threshold(test_rmse: float | None, gates: RegistrationGates) -> GateResult:
    if test_rmse is None:
        return GateResult("threshold", False, "the run has no test_rmse metric")
    passed = test_rmse <= gates.max_test_rmse
    relation = "within" if passed else "above"
    return GateResult(
        "threshold",
        passed,
        f"test RMSE ${test_rmse:,.0f} is {relation} the limit "
        f"${gates.max_test_rmse:,.0f} (registry.gates.max_test_rmse)",
    )


def _check_baseline(
    context: TrackingContext,
    gates: RegistrationGates,
    run: Run,
    test_rmse: float | None,
) -> GateResult:
    training_id = run.data.tags.get(TRAINING_ID_TAG, "")
    baselines = context.client.search_runs(
        [run.info.experiment_id],
        filter_string=(
            f"tags.`{ROLE_TAG}` = '{CANDIDATE_ROLE}' and "
            f"tags.`{TRAINING_ID_TAG}` = '{training_id}' and "
            f"tags.`{FAMILY_TAG}` = '{gates.baseline_family}' and "
            "attributes.status = 'FINISHED'"
        ),
        max_results=1,
    )
    baseline_rmse = baselines[0].data.metrics.get("test_rmse") if baselines else None
    if baseline_rmse is None or test_rmse is None:
        return GateResult(
            "baseline",
            False,
            f"training {training_id!r} has no finished {gates.baseline_family} "
            "baseline with a test RMSE to compare with; train it "
            "(training.families) or change registry.gates.baseline_family",
        )

    improvement = (baseline_rmse - test_rmse) / baseline_rmse
    passed = improvement >= gates.min_baseline_improvement
    return GateResult(
        "baseline",
        passed,
        f"test RMSE ${test_rmse:,.0f} vs the {gates.baseline_family} baseline's "
        f"${baseline_rmse:,.0f} is a {improvement:.1%} improvement; "
        f"{'meets' if passed else 'misses'} the required "
        f"{gates.min_baseline_improvement:.1%} "
        "(registry.gates.min_baseline_improvement)",
    )


def _check_model(model_uri: str | None, sample_rows: int) -> list[GateResult]:
    if not model_uri:
        missing = "the run has no logged model (tag housing_price.model_uri)"
        return [
            GateResult("signature", False, missing),
            GateResult("predicts", False, missing),
        ]
    try:
        info = mlflow.models.get_model_info(model_uri)
    except Exception as err:  # any failure to read the model is the gate's answer
        reason = f"the model at {model_uri} cannot be read: {err}"
        return [
            GateResult("signature", False, reason),
            GateResult("predicts", False, reason),
        ]
    has_signature = info.signature is not None and info.signature.inputs is not None
    signature = GateResult(
        "signature",
        has_signature,
        "the model has an input signature"
        if has_signature
        else f"the model at {model_uri} has no input signature",
    )
    return [signature, _check_predictions(model_uri, sample_rows)]


def _check_predictions(model_uri: str, sample_rows: int) -> GateResult:
    try:
        model = mlflow.pyfunc.load_model(model_uri)
        example = model.input_example
        if example is None:
            return GateResult(
                "predicts", False, f"the model at {model_uri} has no input example"
            )
        rows = example.head(sample_rows)
        predictions = np.asarray(model.predict(rows), dtype=np.float64).ravel()
    except Exception as err:  # a model that fails here must not be registered
        return GateResult(
            "predicts",
            False,
            f"the model at {model_uri} does not load or predict: {err}",
        )
    if len(predictions) != len(rows) or not all(map(math.isfinite, predictions)):
        return GateResult(
            "predicts",
            False,
            f"the model at {model_uri} gave {predictions.tolist()} for "
            f"{len(rows)} sample rows; expected one finite value per row",
        )
    return GateResult(
        "predicts", True, f"the model loads and predicts {len(rows)} sample rows"
    )
