"""Page through run searches on the tracking store.

The store filters and sorts; these helpers only follow page tokens, so a
search over thousands of runs never asks for them all in one response.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from mlflow.entities import Run
from mlflow.exceptions import MlflowException

from housing_price.errors import TrackingError
from housing_price.experiments.tracking import TrackingContext

logger = logging.getLogger(__name__)


def iter_runs(
    context: TrackingContext,
    experiment_ids: Sequence[str],
    filter_string: str,
    order_by: Sequence[str],
    page_size: int,
) -> Iterator[Run]:
    """Yield every run matching the filter, in the store's order, page by page.

    Args:
        context: Connected tracking store.
        experiment_ids: Experiments to search.
        filter_string: MLflow search syntax, evaluated by the store.
        order_by: MLflow order-by clauses, applied by the store.
        page_size: Runs per request.

    Raises:
        TrackingError: The store rejects the search (e.g. a bad filter).
    """
    page_token: str | None = None
    pages = 0
    while True:
        try:
            page = context.client.search_runs(
                list(experiment_ids),
                filter_string=filter_string,
                order_by=list(order_by),
                max_results=page_size,
                page_token=page_token,
            )
        except MlflowException as err:
            raise TrackingError(
                f"the tracking store {context.tracking_uri} refused the run search "
                f"{filter_string!r} ordered by {list(order_by)}: {err.message}"
            ) from err
        pages += 1
        yield from page
        page_token = page.token
        if not page_token:
            logger.debug("Run search %r took %d pages", filter_string, pages)
            return
