"""The run leaderboard ranks on the tracking store and pages through every run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from housing_price.config.settings import TrackingSettings
from housing_price.errors import TrackingError
from housing_price.experiments.leaderboard import run_leaderboard
from housing_price.experiments.runs import log_values
from housing_price.experiments.tracking import TrackingContext, connect
from tests.conftest import mlflow_uri_environment

# Deliberately unsorted, so store order cannot pass for ranking by accident.
TREE_RMSES = (61_000.0, 52_000.0, 70_500.0, 49_000.0, 58_250.0, 66_000.0, 55_500.0)
LINEAR_RMSES = (68_000.0, 69_500.0)


def _add_run(
    context: TrackingContext,
    family: str,
    cv_rmse: float,
    status: str = "FINISHED",
    role: str = "candidate",
) -> str:
    run = context.client.create_run(
        context.experiment_id,
        tags={"housing_price.family": family, "housing_price.role": role},
    )
    log_values(
        context,
        run.info.run_id,
        metrics={"cv_rmse_mean": cv_rmse, "test_r2": 1 - cv_rmse / 100_000},
    )
    context.client.set_terminated(run.info.run_id, status)
    return str(run.info.run_id)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrackingContext]:
    directory: Path = tmp_path_factory.mktemp("leaderboard")
    uri = f"sqlite:///{directory}/mlflow.db"
    with mlflow_uri_environment(uri):
        context = connect(
            TrackingSettings(uri=uri, artifact_location=directory / "mlartifacts")
        )
        for rmse in TREE_RMSES:
            _add_run(context, "decision_tree", rmse)
        for rmse in LINEAR_RMSES:
            _add_run(context, "linear_regression", rmse)
        _add_run(context, "decision_tree", 1_000.0, status="FAILED")
        _add_run(context, "decision_tree", 2_000.0, role="trial")
        yield context


def test_runs_beyond_one_page_all_come_back_best_first(store: TrackingContext) -> None:
    rows = list(run_leaderboard(store, ["housing-price"], None, "cv_rmse_mean", 2))

    assert [row["cv_rmse_mean"] for row in rows] == sorted(TREE_RMSES + LINEAR_RMSES)
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))


def test_failed_runs_and_trials_stay_off_the_leaderboard(
    store: TrackingContext,
) -> None:
    rows = list(run_leaderboard(store, ["housing-price"], None, "cv_rmse_mean", 3))

    assert min(row["cv_rmse_mean"] for row in rows) == min(TREE_RMSES)


def test_family_filter_keeps_one_family(store: TrackingContext) -> None:
    rows = list(
        run_leaderboard(store, ["housing-price"], "linear_regression", "test_r2", 1)
    )

    assert [row["family"] for row in rows] == ["linear_regression"] * 2
    assert [row["test_r2"] for row in rows] == sorted(
        (row["test_r2"] for row in rows), reverse=True
    )


def test_r2_ranks_highest_first(store: TrackingContext) -> None:
    rows = list(run_leaderboard(store, ["housing-price"], None, "test_r2", 4))

    values = [row["test_r2"] for row in rows]
    assert values == sorted(values, reverse=True)
    assert len(values) == len(TREE_RMSES) + len(LINEAR_RMSES)


def test_unknown_experiment_names_the_fix(store: TrackingContext) -> None:
    with pytest.raises(TrackingError, match="experiment 'nope' does not exist"):
        list(run_leaderboard(store, ["nope"], None, "cv_rmse_mean", 10))


def test_a_metric_name_the_store_rejects_is_a_tracking_error(
    store: TrackingContext,
) -> None:
    with pytest.raises(TrackingError, match="refused the run search"):
        list(run_leaderboard(store, ["housing-price"], None, "cv`rmse", 10))


def test_a_quote_in_the_family_is_refused_before_searching(
    store: TrackingContext,
) -> None:
    with pytest.raises(ValueError, match="cannot contain a quote"):
        list(run_leaderboard(store, ["housing-price"], "x' or '1", "cv_rmse", 10))
