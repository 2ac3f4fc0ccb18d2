"""End runs that would otherwise stay RUNNING forever.

An interrupt can arrive while a run is being created: the store has the run,
this process never learnt its id, and no `end_run` will reach it. Runs carry
their training id as a tag, so they can be found and closed afterwards: at
once when a training fails or is stopped, or later for crashed processes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from mlflow.entities import Run
from mlflow.exceptions import MlflowException

from housing_price.errors import TrackingError
from housing_price.experiments.runs import TAG_PREFIX, TRAINING_ID_TAG, ending_status
from housing_price.experiments.tracking import TrackingContext
from housing_price.utils.signals import stop_signals_held

logger = logging.getLogger(__name__)

ENDED_BY_TAG = f"{TAG_PREFIX}ended_by"
_PAGE_SIZE = 500


@dataclass(frozen=True)
class EndedRun:
    """A run this module closed, for reports."""

    run_id: str
    run_name: str
    start_time_ms: int


@contextmanager
def runs_ended_on_failure(context: TrackingContext, training_id: str) -> Iterator[None]:
    """Close every RUNNING run of a training when the block raises.

    An exception ends them FAILED, an interrupt KILLED; finished trials keep
    their status. The exception is re-raised.
    """
    try:
        yield
    except BaseException as err:
        status = ending_status(err)
        with stop_signals_held():
            try:
                ended = end_open_runs(context, training_id, status)
            except MlflowException as cleanup_error:
                logger.warning(
                    "Could not close the open runs of training %s: %s; run "
                    "`housing-price runs cleanup` once the store is reachable",
                    training_id,
                    cleanup_error.message,
                )
            else:
                if ended:
                    logger.debug("Marked %d open runs %s", len(ended), status)
        raise


def end_open_runs(
    context: TrackingContext, training_id: str, status: str
) -> list[EndedRun]:
    """Set `status` on every RUNNING run tagged with `training_id`."""
    runs = _running_runs(
        context, f"tags.`{TRAINING_ID_TAG}` = '{training_id}'", max_start_ms=None
    )
    return [_end(context, run, status, ended_by="training") for run in runs]


def end_stale_runs(
    context: TrackingContext, older_than_seconds: float, dry_run: bool = False
) -> list[EndedRun]:
    """Mark KILLED the experiment's runs still RUNNING after `older_than_seconds`.

    Args:
        context: Connected store and the project's experiment.
        older_than_seconds: Only runs started longer ago than this are stale.
        dry_run: List the stale runs without changing them.

    Raises:
        TrackingError: The store refuses the search or the update.
    """
    cutoff_ms = int((time.time() - older_than_seconds) * 1000)
    try:
        runs = _running_runs(context, None, max_start_ms=cutoff_ms)
        if dry_run:
            return [_describe(run) for run in runs]
        return [_end(context, run, "KILLED", ended_by="cleanup") for run in runs]
    except MlflowException as err:
        raise TrackingError(
            f"could not clean up runs of experiment {context.experiment_name!r} on "
            f"{context.tracking_uri}: {err.message}"
        ) from err


def _running_runs(
    context: TrackingContext, tag_filter: str | None, max_start_ms: int | None
) -> list[Run]:
    clauses = ["attributes.status = 'RUNNING'"]
    if tag_filter:
        clauses.append(tag_filter)
    if max_start_ms is not None:
        clauses.append(f"attributes.start_time < {max_start_ms}")
    found: list[Run] = []
    page_token = None
    while True:
        page = context.client.search_runs(
            [context.experiment_id],
            filter_string=" and ".join(clauses),
            max_results=_PAGE_SIZE,
            page_token=page_token,
        )
        found.extend(page)
        page_token = page.token
        if not page_token:
            return found


def _end(context: TrackingContext, run: Run, status: str, ended_by: str) -> EndedRun:
    context.client.set_tag(run.info.run_id, ENDED_BY_TAG, ended_by)
    context.client.set_terminated(run.info.run_id, status)
    logger.info("Marked run %s (%s) %s", run.info.run_id, run.info.run_name, status)
    return _describe(run)


def _describe(run: Run) -> EndedRun:
    return EndedRun(
        run_id=str(run.info.run_id),
        run_name=str(run.info.run_name),
        start_time_ms=int(run.info.start_time),
    )
