"""A leaderboard of trained candidates, filtered and ranked by the tracking store.

Only finished candidate runs (one per family and training) compete; tuning
trials are their children and stay out. The store applies the filter and the
ordering, and results arrive page by page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from housing_price.errors import TrackingError
from housing_price.experiments.runs import (
    CANDIDATE_ROLE,
    FAMILY_TAG,
    ROLE_TAG,
    TRAINING_ID_TAG,
)
from housing_price.experiments.search import iter_runs
from housing_price.experiments.tracking import TrackingContext

logger = logging.getLogger(__name__)

LEADERBOARD_METRICS = (
    "cv_rmse_mean",
    "cv_rmse_std",
    "test_rmse",
    "test_mae",
    "test_r2",
    "test_mape",
)


def is_higher_better(metric: str) -> bool:
    """Whether a larger value of the metric is better (R²), not smaller."""
    return metric.endswith("r2") or "_r2_" in metric


def run_leaderboard(
    context: TrackingContext,
    experiment_names: Sequence[str],
    family: str | None,
    sort_by: str,
    page_size: int,
) -> Iterator[dict[str, Any]]:
    """Yield one row per finished candidate run, best first by `sort_by`.

    Args:
        context: Connected tracking store.
        experiment_names: Experiments to rank runs from.
        family: Only this model family, or every family.
        sort_by: Metric to rank by; R² ranks descending, errors ascending.
        page_size: Runs per request to the store.

    Raises:
        TrackingError: An experiment does not exist or the store refuses.
    """
    names_by_id = _experiment_ids(context, experiment_names)
    filters = [
        "attributes.status = 'FINISHED'",
        f"tags.`{ROLE_TAG}` = '{CANDIDATE_ROLE}'",
    ]
    if family is not None:
        filters.append(f"tags.`{FAMILY_TAG}` = '{_quoted(family)}'")
    direction = "DESC" if is_higher_better(sort_by) else "ASC"
    order_by = [f"metrics.`{sort_by}` {direction}", "attributes.start_time DESC"]
    runs = iter_runs(
        context, list(names_by_id), " and ".join(filters), order_by, page_size
    )
    for rank, run in enumerate(runs, start=1):
        metrics = run.data.metrics
        yield {
            "rank": rank,
            "run_id": run.info.run_id,
            "run_name": run.info.run_name,
            "experiment": names_by_id[run.info.experiment_id],
            "family": run.data.tags.get(FAMILY_TAG, ""),
            "training_id": run.data.tags.get(TRAINING_ID_TAG, ""),
            **{name: metrics.get(name) for name in LEADERBOARD_METRICS},
            "started": _iso_time(run.info.start_time),
        }


def _experiment_ids(
    context: TrackingContext, experiment_names: Sequence[str]
) -> dict[str, str]:
    names_by_id = {}
    for name in experiment_names:
        experiment = context.client.get_experiment_by_name(name)
        if experiment is None:
            raise TrackingError(
                f"experiment {name!r} does not exist on {context.tracking_uri}; "
                "pass an existing name with --experiment (see the MLflow UI)"
            )
        names_by_id[str(experiment.experiment_id)] = name
    return names_by_id


def _quoted(value: str) -> str:
    if "'" in value:
        raise ValueError(f"a family name cannot contain a quote; got {value!r}")
    return value


def _iso_time(milliseconds: int | None) -> str:
    if milliseconds is None:
        return ""
    moment = datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    return moment.isoformat(timespec="seconds")
