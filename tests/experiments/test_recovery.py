"""Runs end FAILED or KILLED, never RUNNING, whatever stops a training."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID

from housing_price.config.settings import TrackingSettings
from housing_price.experiments.recovery import end_stale_runs, runs_ended_on_failure
from housing_price.experiments.runs import TRAINING_ID_TAG, family_run, log_trial_run
from housing_price.experiments.tracking import TrackingContext, connect


@pytest.fixture
def context(tmp_path: Path) -> TrackingContext:
    return connect(
        TrackingSettings(
            uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
            artifact_location=tmp_path / "artifacts",
            experiment_name="recovery",
        )
    )


def _status(context: TrackingContext, run_id: str) -> str:
    return str(context.client.get_run(run_id).info.status)


def test_an_exception_ends_the_family_run_failed(context: TrackingContext) -> None:
    with (
        pytest.raises(ValueError, match="broken"),
        family_run(context, "tree", {TRAINING_ID_TAG: "t1"}) as run_id,
    ):
        raise ValueError("broken")
    assert _status(context, run_id) == "FAILED"


def test_an_interrupt_kills_open_runs_and_keeps_finished_trials(
    context: TrackingContext,
) -> None:
    unrelated = context.client.create_run(
        context.experiment_id, tags={TRAINING_ID_TAG: "another-training"}
    )
    with (
        pytest.raises(KeyboardInterrupt),
        runs_ended_on_failure(context, "t1"),
        family_run(context, "tree", {TRAINING_ID_TAG: "t1"}) as parent_id,
    ):
        finished = log_trial_run(
            context, parent_id, 1, {"max_depth": 3}, {"loss": 1.0}, {}
        )
        # A child whose creation the interrupt cut short: the store has it,
        # the trainer never learnt its id.
        orphan = context.client.create_run(
            context.experiment_id,
            tags={MLFLOW_PARENT_RUN_ID: parent_id, TRAINING_ID_TAG: "t1"},
        )
        raise KeyboardInterrupt

    assert _status(context, parent_id) == "KILLED"
    assert _status(context, finished) == "FINISHED"
    assert _status(context, orphan.info.run_id) == "KILLED"
    assert _status(context, unrelated.info.run_id) == "RUNNING"


def test_stale_runs_are_killed_and_recent_ones_left_alone(
    context: TrackingContext,
) -> None:
    day_ago_ms = int((time.time() - 86_400) * 1000)
    stale = context.client.create_run(context.experiment_id, start_time=day_ago_ms)
    recent = context.client.create_run(context.experiment_id)

    listed = end_stale_runs(context, older_than_seconds=3600, dry_run=True)
    assert [run.run_id for run in listed] == [stale.info.run_id]
    assert _status(context, stale.info.run_id) == "RUNNING"

    ended = end_stale_runs(context, older_than_seconds=3600)
    assert [run.run_id for run in ended] == [stale.info.run_id]
    assert _status(context, stale.info.run_id) == "KILLED"
    assert _status(context, recent.info.run_id) == "RUNNING"
