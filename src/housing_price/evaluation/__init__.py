"""Metrics and model evaluation."""

from housing_price.evaluation.metrics import (
    CV_METRICS,
    TEST_METRICS,
    regression_metrics,
)

__all__ = ["CV_METRICS", "TEST_METRICS", "regression_metrics"]
