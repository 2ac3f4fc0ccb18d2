"""Numbers behind an evaluation report: errors, groups, importances, tuning.

Everything here takes plain frames or a fitted pipeline and returns frames, so
the report, a notebook and the tests all compute the same thing the same way.
Money is in dollars; a residual is actual minus predicted, so a positive
residual means the model undervalued the district.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance

from housing_price.data.split import income_bands
from housing_price.evaluation.metrics import CV_METRICS, TEST_METRICS

CAPPED_VALUE = 500_001.0
"""The census recorded every district worth more than $500,000 as this value."""

ACTUAL = "actual"
PREDICTED = "predicted"
RESIDUAL = "residual"
ABSOLUTE_ERROR = "absolute_error"
IS_CAPPED = "is_capped"
INCOME_BAND = "income_band"


@dataclass(frozen=True)
class MetricCell:
    """One value of the metrics table and the tracked metric it came from."""

    key: str
    value: float


@dataclass(frozen=True)
class MetricRow:
    """A row of the metrics table: a fold, the CV mean or std, or the test split."""

    label: str
    cells: dict[str, MetricCell]


def metric_rows(metrics: Mapping[str, float]) -> list[MetricRow]:
    """Arrange a run's tracked metrics as folds, mean, std and test rows.

    Args:
        metrics: The run's metrics by name (`fold1_rmse`, `cv_rmse_mean`, ...).
    """
    rows = []
    fold = 1
    while f"fold{fold}_rmse" in metrics:
        rows.append(
            _row(f"Fold {fold}", metrics, {m: f"fold{fold}_{m}" for m in CV_METRICS})
        )
        fold += 1
    rows.append(_row("CV mean", metrics, {m: f"cv_{m}_mean" for m in CV_METRICS}))
    rows.append(_row("CV std", metrics, {m: f"cv_{m}_std" for m in CV_METRICS}))
    rows.append(_row("Test", metrics, {m: f"test_{m}" for m in TEST_METRICS}))
    return [row for row in rows if row.cells]


def _row(
    label: str, metrics: Mapping[str, float], keys: Mapping[str, str]
) -> MetricRow:
    cells = {
        metric: MetricCell(key, float(metrics[key]))
        for metric, key in keys.items()
        if key in metrics
    }
    return MetricRow(label, cells)


def prediction_frame(
    features: pd.DataFrame, actual: pd.Series, predicted: np.ndarray
) -> pd.DataFrame:
    """Join features, actual and predicted values, residuals and the cap flag."""
    frame = features.reset_index(drop=True).copy()
    frame[ACTUAL] = np.asarray(actual, dtype=np.float64)
    frame[PREDICTED] = np.asarray(predicted, dtype=np.float64)
    frame[RESIDUAL] = frame[ACTUAL] - frame[PREDICTED]
    frame[ABSOLUTE_ERROR] = frame[RESIDUAL].abs()
    frame[IS_CAPPED] = frame[ACTUAL] >= CAPPED_VALUE
    return frame


def income_band_labels(edges: Sequence[float]) -> list[str]:
    """Readable labels of the income bands; median income is in $10,000 units."""
    thousands = [f"${edge * 10:g}k" for edge in edges]
    labels = [f"under {thousands[0]}"]
    labels += [f"{low}\N{EN DASH}{high}" for low, high in itertools.pairwise(thousands)]
    labels.append(f"{thousands[-1]} and up")
    return labels


def add_income_band(frame: pd.DataFrame, edges: Sequence[float]) -> pd.DataFrame:
    """Label each district with its median-income band, as the split does."""
    labels = income_band_labels(edges)
    banded = frame.copy()
    codes = income_bands(frame["median_income"], edges)
    banded[INCOME_BAND] = pd.Categorical(
        [labels[code] for code in codes], categories=labels, ordered=True
    )
    return banded


def error_by_group(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """RMSE, MAE and mean residual (bias) of each group, in dollars.

    Args:
        frame: A `prediction_frame`, possibly with extra columns.
        column: The column whose values define the groups.

    Returns:
        One row per group present, in the column's order, with `districts`,
        `rmse`, `mae` and `bias`.
    """
    grouped = frame.groupby(column, observed=True, sort=True)
    table = pd.DataFrame(
        {
            "districts": grouped.size(),
            "rmse": grouped[RESIDUAL].apply(lambda r: float(np.sqrt((r**2).mean()))),
            "mae": grouped[ABSOLUTE_ERROR].mean(),
            "bias": grouped[RESIDUAL].mean(),
        }
    )
    table.index = table.index.astype(str)
    table.index.name = column
    return table.reset_index()


def worst_predictions(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """The `count` districts with the largest absolute error, worst first."""
    return frame.nlargest(count, ABSOLUTE_ERROR)


def transformed_feature_names(pipeline: Any) -> list[str]:
    """Names of the columns the pipeline's estimator sees (ratios, one-hot...)."""
    return [str(name) for name in pipeline[:-1].get_feature_names_out()]


def impurity_importances(pipeline: Any) -> pd.Series:
    """A tree's impurity-based importances by transformed feature, largest first."""
    estimator = pipeline[-1]
    values = pd.Series(
        estimator.feature_importances_, index=transformed_feature_names(pipeline)
    )
    return values.sort_values(ascending=False)


def permutation_importances(
    pipeline: Any,
    features: pd.DataFrame,
    target: pd.Series,
    repeats: int,
    seed: int,
) -> pd.DataFrame:
    """How much test RMSE grows, in dollars, when one raw column is shuffled.

    Shuffling raw columns (not the pipeline's derived ones) keeps the ratio
    features consistent with the column they come from.

    Returns:
        Columns `feature`, `mean` and `std` (over repeats), largest mean first.
    """
    result = permutation_importance(
        pipeline,
        features,
        target,
        scoring="neg_root_mean_squared_error",
        n_repeats=repeats,
        random_state=seed,
        n_jobs=1,
    )
    table = pd.DataFrame(
        {
            "feature": list(features.columns),
            "mean": result.importances_mean,
            "std": result.importances_std,
        }
    )
    return table.sort_values("mean", ascending=False, ignore_index=True)


def linear_coefficients(pipeline: Any) -> pd.Series:
    """A linear model's coefficients by transformed feature, largest effect first.

    Numeric features are standardised, so their coefficient is dollars per
    standard deviation; a one-hot category's is dollars against the others.
    """
    estimator = pipeline[-1]
    values = pd.Series(
        np.ravel(estimator.coef_), index=transformed_feature_names(pipeline)
    )
    return values.reindex(values.abs().sort_values(ascending=False).index)


def tuning_history(trials: pd.DataFrame) -> pd.DataFrame:
    """Trials in the order they ran, with the best loss so far beside each.

    Args:
        trials: One row per trial with `trial` (1, 2, ...), `loss` (mean CV
            RMSE in dollars) and one column per hyperparameter.
    """
    history = trials.sort_values("trial", ignore_index=True)
    history["best_so_far"] = history["loss"].cummin()
    return history


def hyperparameter_columns(history: pd.DataFrame) -> list[str]:
    """The hyperparameter columns of a `tuning_history` frame."""
    return [c for c in history.columns if c not in ("trial", "loss", "best_so_far")]
