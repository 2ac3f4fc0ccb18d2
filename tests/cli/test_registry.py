"""The registry commands driven through the CLI on a small logged store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import mlflow
import pytest
from typer.testing import CliRunner, Result

from housing_price.cli import app
from housing_price.data.schema import FEATURES
from housing_price.experiments.runs import MODEL_URI_TAG
from tests.model_store import TEST, TRAINING_ID, Store, copy_store, make_nonlinear_frame

runner = CliRunner()


def _invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def project(
    workdir: Path, model_store: Store, monkeypatch: pytest.MonkeyPatch
) -> Store:
    """A working folder with processed data and a copy of the store as mlflow.db."""
    # An absolute URI: MLflow caches stores by URI, and every test has its own cwd.
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{workdir}/mlflow.db")
    make_nonlinear_frame(400, seed=3).to_csv(workdir / "housing.csv", index=False)
    prepared = _invoke(
        "data", "prepare", "--source", "housing.csv", "--set", "data.csv_sha256=null"
    )
    assert prepared.exit_code == 0, prepared.output
    copy_store(model_store, workdir)
    return model_store


def _register_baseline_ungated(store: Store) -> None:
    uri = os.environ["MLFLOW_TRACKING_URI"]
    client = mlflow.MlflowClient(uri, uri)
    run = client.get_run(store.run_ids["baseline"])
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    mlflow.register_model(
        run.data.tags[MODEL_URI_TAG], "housing-price", tags={"family": "lr"}
    )


def test_register_exits_non_zero_with_the_gate_that_failed(project: Store) -> None:
    # The latest training in the store has no baseline to compare with.
    result = _invoke("register")

    assert result.exit_code == 1
    assert "was not registered" in result.output
    assert "no finished linear_regression baseline" in result.output


def test_promote_refuses_a_worse_challenger_and_prints_the_table(
    project: Store,
) -> None:
    _invoke("register", "--training-id", TRAINING_ID)
    assert _invoke("promote", "--to", "production").exit_code == 0
    _register_baseline_ungated(project)

    result = _invoke("promote", "--to", "production", "--version", "2")

    assert result.exit_code == 1
    assert "Promotion to @production: refused" in result.output
    assert "challenger" in result.output and "production" in result.output
    assert "--force --reason" in result.output


def test_register_promote_force_rollback_history_and_models(project: Store) -> None:
    _invoke("register", "--training-id", TRAINING_ID)
    assert _invoke("promote", "--to", "production").exit_code == 0
    _register_baseline_ungated(project)

    forced = _invoke(
        "promote",
        "--to",
        "production",
        "--version",
        "2",
        "--force",
        "--reason",
        "drill",
    )
    rollback = _invoke("rollback")
    history = _invoke("history")
    models = _invoke("models")

    assert forced.exit_code == 0, forced.output
    assert "@production → version 2 (forced)" in forced.output
    assert rollback.exit_code == 0
    assert "@production → version 1 (was 2" in rollback.output
    assert history.exit_code == 0
    assert "drill (forced" in history.output
    assert history.output.count("production") >= 3
    assert models.exit_code == 0
    assert "@production" in models.output and "@previous-production" in models.output


def test_deleting_a_version_with_an_alias_is_refused_with_a_message(
    project: Store,
) -> None:
    _invoke("register", "--training-id", TRAINING_ID)

    result = _invoke("models", "delete", "--version", "1")

    assert result.exit_code == 1
    assert "holds alias(es) staging and was not deleted" in result.output


def test_predict_prints_one_value_per_row_of_a_csv_or_json_file(
    project: Store, workdir: Path
) -> None:
    _invoke("register", "--training-id", TRAINING_ID)
    _invoke("promote", "--to", "production")
    rows = TEST[list(FEATURES)].head(3)
    rows.to_csv(workdir / "rows.csv", index=False)
    rows.to_json(workdir / "rows.json", orient="records", double_precision=15)

    table = _invoke("predict", "--alias", "production", "--input", "rows.csv")
    as_json = _invoke("predict", "--input", "rows.json", "--json")

    assert table.exit_code == 0, table.output
    assert "housing-price version 1 (@production)" in table.output
    values = json.loads(as_json.stdout)
    assert len(values) == 3
    assert all(f"${value:,.0f}" in table.output for value in values)


def test_predict_reports_bad_input_without_a_traceback(
    project: Store, workdir: Path
) -> None:
    _invoke("register", "--training-id", TRAINING_ID)
    TEST[list(FEATURES)].head(2).drop(columns="median_income").to_csv(
        workdir / "rows.csv", index=False
    )

    result = _invoke("predict", "--alias", "staging", "--input", "rows.csv")

    assert result.exit_code == 1
    assert "missing required column(s) 'median_income'" in result.output


def test_help_lists_the_registry_commands() -> None:
    result = runner.invoke(app, ["--help"])

    for command in ("promote", "rollback", "history", "models", "predict"):
        assert command in result.output
