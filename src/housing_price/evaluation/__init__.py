"""Metrics and model evaluation: report numbers, plots and their rendering.

The plotting and report modules import matplotlib and seaborn, so they are
imported by name (`housing_price.evaluation.report`) rather than re-exported
here, which keeps training, which needs only the metrics, quick to start.
"""

from housing_price.evaluation.metrics import (
    CV_METRICS,
    TEST_METRICS,
    regression_metrics,
)

__all__ = ["CV_METRICS", "TEST_METRICS", "regression_metrics"]
