"""The main job end to end on the real California housing data.

The data comes from HOUSING_PRICE_DATA_SOURCE when it is set (CI points it at a
local copy) and from the public download otherwise; nothing is skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import mlflow
import pytest
from mlflow import MlflowClient

pytestmark = pytest.mark.e2e

MAX_EVALS = 5
HOUSING_CSV_SHA256 = "8a3727f4cf54ac1a327f69b1d5b4db54c5834ea81c6e4efc0d163300022a685e"


def _run_main_job(directory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    directory.mkdir(parents=True, exist_ok=True)
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
    }
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "housing_price",
            "run",
            "--max-evals",
            str(MAX_EVALS),
            *extra,
        ],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed


def _client(directory: Path) -> MlflowClient:
    uri = f"sqlite:///{directory}/mlflow.db"
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _candidate_runs(directory: Path) -> dict[str, mlflow.entities.Run]:
    client = _client(directory)
    experiment = client.get_experiment_by_name("housing-price")
    runs = client.search_runs(
        [experiment.experiment_id], "tags.`housing_price.role` = 'candidate'"
    )
    return {run.data.tags["housing_price.family"]: run for run in runs}


@pytest.fixture(scope="module")
def main_job(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    directory = tmp_path_factory.mktemp("main-job")
    completed = _run_main_job(directory)
    return directory, completed.stdout


def test_main_job_prints_the_table_version_and_ui_command(
    main_job: tuple[Path, str],
) -> None:
    _, output = main_job
    assert "Linear regression" in output and "Decision tree" in output
    assert "Registered housing-price version 1" in output
    assert "mlflow ui --backend-store-uri sqlite:///mlflow.db" in output


def test_processed_files_describe_the_real_data(main_job: tuple[Path, str]) -> None:
    directory, _ = main_job
    metadata = json.loads((directory / "data/processed/metadata.json").read_text())
    assert metadata["source"]["sha256"] == HOUSING_CSV_SHA256
    assert metadata["rows"] == {"train": 16512, "test": 4128}
    schema = json.loads((directory / "data/processed/schema.json").read_text())
    assert len(schema["features"]) == 9


def test_runs_hold_params_fold_metrics_tags_and_lineage(
    main_job: tuple[Path, str],
) -> None:
    directory, _ = main_job
    runs = _candidate_runs(directory)
    assert set(runs) == {"linear_regression", "decision_tree"}
    for run in runs.values():
        assert run.info.status == "FINISHED"
        metrics, tags = run.data.metrics, run.data.tags
        assert {f"fold{i}_rmse" for i in range(1, 6)} <= set(metrics)
        assert {
            "cv_rmse_mean",
            "cv_rmse_std",
            "test_rmse",
            "test_mae",
            "test_r2",
            "test_mape",
        } <= set(metrics)
        assert tags["housing_price.data_sha256"] == HOUSING_CSV_SHA256
        assert tags["housing_price.seed"] == "42"
        assert len(tags["housing_price.config_hash"]) == 16
        assert tags["housing_price.git_dirty"] in {"true", "false", "unknown"}
        assert tags["housing_price.version.scikit-learn"]
        lineage = {(d.dataset.name, d.tags[0].value) for d in run.inputs.dataset_inputs}
        assert lineage == {("train", "training"), ("test", "testing")}
    assert runs["decision_tree"].data.params["max_depth"].isdigit()


def test_every_trial_is_a_child_run_with_fold_metrics(
    main_job: tuple[Path, str],
) -> None:
    directory, _ = main_job
    parent = _candidate_runs(directory)["decision_tree"]
    client = _client(directory)
    children = client.search_runs(
        [parent.info.experiment_id],
        f"tags.`mlflow.parentRunId` = '{parent.info.run_id}'",
    )
    assert len(children) == MAX_EVALS
    for child in children:
        assert child.info.status == "FINISHED"
        assert {"fold5_rmse", "fold5_mae", "fold5_r2", "cv_rmse_mean", "loss"} <= set(
            child.data.metrics
        )
        assert "max_depth" in child.data.params
    best_child = min(children, key=lambda c: c.data.metrics["loss"])
    assert (
        best_child.data.metrics["cv_rmse_mean"] == parent.data.metrics["cv_rmse_mean"]
    )


def test_model_quality_is_in_the_known_range(main_job: tuple[Path, str]) -> None:
    directory, _ = main_job
    runs = _candidate_runs(directory)
    linear = runs["linear_regression"].data.metrics["test_rmse"]
    tree = runs["decision_tree"].data.metrics["test_rmse"]
    assert 66_000 <= linear <= 72_000
    assert tree < linear


def test_staging_alias_loads_in_a_new_process_and_predicts_dollars(
    main_job: tuple[Path, str],
) -> None:
    directory, _ = main_job
    client = _client(directory)
    version = client.get_model_version_by_alias("housing-price", "staging")
    best = min(
        _candidate_runs(directory).values(),
        key=lambda r: r.data.metrics["cv_rmse_mean"],
    )
    assert version.run_id == best.info.run_id
    assert version.tags["family"] == "decision_tree"
    assert version.tags["data_sha256"] == HOUSING_CSV_SHA256
    assert "git_commit" in version.tags and "seed" in version.tags

    code = (
        "import mlflow, pandas as pd; "
        "mlflow.set_tracking_uri('sqlite:///mlflow.db'); "
        "rows = pd.read_parquet('data/processed/test.parquet').head(4)"
        ".drop(columns='median_house_value'); "
        "rows.loc[0, 'total_bedrooms'] = None; "
        "model = mlflow.pyfunc.load_model('models:/housing-price@staging'); "
        "print(model.predict(rows).tolist())"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=directory,
        capture_output=True,
        text=True,
        check=True,
    )
    predictions = [float(value) for value in completed.stdout.strip()[1:-1].split(",")]
    assert len(predictions) == 4
    assert all(14_999 < value < 500_002 for value in predictions)


def test_same_seed_gives_identical_metrics_and_params(
    main_job: tuple[Path, str], tmp_path: Path
) -> None:
    first_directory, _ = main_job
    _run_main_job(tmp_path / "again")
    first, again = _candidate_runs(first_directory), _candidate_runs(tmp_path / "again")
    for family in first:
        assert first[family].data.params == again[family].data.params
        assert first[family].data.metrics == again[family].data.metrics


def test_main_job_reports_open_in_chromium_with_the_run_metrics(
    main_job: tuple[Path, str], browser: Any
) -> None:
    directory, output = main_job
    for family, run in _candidate_runs(directory).items():
        page = directory / "reports" / f"{family}-{run.info.run_id}" / "report.html"
        assert str(page.relative_to(directory)) in output.replace("\n", "")
        logged = _client(directory).list_artifacts(run.info.run_id, "report")
        assert "report/report.html" in {item.path for item in logged}

        browser.get(page.as_uri())
        images = browser.execute_script(
            "return [...document.images].map(i => i.complete && i.naturalWidth > 0)"
        )
        assert images and all(images)
        shown = browser.execute_script(
            "return [...document.querySelectorAll('[data-metric]')]"
            ".map(c => [c.dataset.metric, Number(c.dataset.value)])"
        )
        assert len(shown) >= 20
        assert all(run.data.metrics[name] == value for name, value in shown)
