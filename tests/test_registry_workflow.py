"""The README's registry path on the real data: register, promote, predict,
rollback and history, after a small main job (3 trials, 3 folds)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from housing_price.cli import app
from housing_price.data.schema import TARGET
from tests.conftest import real_data_source

pytestmark = pytest.mark.e2e

runner = CliRunner()
# Read before the `workdir` fixture clears the environment.
SOURCE = real_data_source()


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_register_promote_predict_rollback_and_history_on_the_real_data(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An absolute URI: MLflow caches stores by URI, and tests change the cwd.
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{workdir}/mlflow.db")
    source_args = ["--source", str(SOURCE)] if SOURCE else []
    _invoke("run", "--max-evals", "3", "--set", "cv.folds=3", *source_args)
    _invoke("register")  # the same best run again: version 2, for a rollback
    test = pd.read_parquet("data/processed/test.parquet")
    test.drop(columns=TARGET).head(5).to_json("rows.json", orient="records")

    promoted = _invoke("promote", "--to", "production", "--version", "1")
    refused = runner.invoke(app, ["promote", "--to", "production", "--version", "2"])
    _invoke(
        "promote",
        "--to",
        "production",
        "--version",
        "2",
        "--force",
        "--reason",
        "same model, new version",
    )
    rolled_back = _invoke("rollback")
    predictions = json.loads(
        runner.invoke(app, ["predict", "--input", "rows.json", "--json"]).stdout
    )
    history = _invoke("history")

    assert "Promotion to @production: promoted" in promoted
    assert refused.exit_code == 1 and "minimum improvement" in refused.output
    assert "@production → version 1 (was 2" in rolled_back
    assert len(predictions) == 5
    assert all(14_999 < value < 500_002 for value in predictions)
    assert "same model, new version" in history
    assert history.count("rollback from version 2") == 1
