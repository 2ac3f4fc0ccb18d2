"""Regression metrics in dollars, the same set everywhere they are reported."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    r2_score,
    root_mean_squared_error,
)

CV_METRICS = ("rmse", "mae", "r2")
TEST_METRICS = ("rmse", "mae", "r2", "mape")


def regression_metrics(actual: ArrayLike, predicted: ArrayLike) -> dict[str, float]:
    """Return RMSE and MAE (dollars), R² and MAPE (a fraction, 0.25 = 25 %)."""
    actual_values = np.asarray(actual, dtype=np.float64)
    predicted_values = np.asarray(predicted, dtype=np.float64)
    return {
        "rmse": float(root_mean_squared_error(actual_values, predicted_values)),
        "mae": float(mean_absolute_error(actual_values, predicted_values)),
        "r2": float(r2_score(actual_values, predicted_values)),
        "mape": float(mean_absolute_percentage_error(actual_values, predicted_values)),
    }
