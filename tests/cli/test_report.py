"""`housing-price report` and `compare` on a small synthetic training.

One module-wide training (3 trials, 3 folds) feeds every test; the reports are
opened in a real headless Chromium.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlflow import MlflowClient
from typer.testing import CliRunner

from housing_price.cli import app
from tests.conftest import make_housing_frame, mlflow_uri_environment

runner = CliRunner()
SECTIONS = (
    "metrics",
    "predictions",
    "groups",
    "worst",
    "model",
    "tuning",
    "comparison",
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Prepare synthetic data, run the main job, and return where things are."""
    directory = tmp_path_factory.mktemp("report")
    source = directory / "synthetic.csv"
    make_housing_frame(rows=600, seed=3).to_csv(source, index=False)
    uri = f"sqlite:///{directory}/mlflow.db"
    config = directory / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "data": {
                    "source": str(source),
                    "csv_sha256": None,
                    "raw_dir": str(directory / "raw"),
                    "processed_dir": str(directory / "processed"),
                },
                "cv": {"folds": 3},
                "tuning": {"max_evals": 3},
                "tracking": {
                    "uri": uri,
                    "artifact_location": str(directory / "mlartifacts"),
                },
                "report": {"directory": str(directory / "reports")},
                # On this synthetic data the baseline is as good as the tree;
                # the report is what is tested here, not the gate.
                "registry": {"gates": {"min_baseline_improvement": 0.0}},
            }
        )
    )
    with mlflow_uri_environment(uri), pytest.MonkeyPatch.context() as patch:
        patch.delenv("HOUSING_PRICE_EXPERIMENT", raising=False)
        patch.setenv("HOUSING_PRICE_DATA_SOURCE", str(source))
        result = runner.invoke(app, ["run", "--config", str(config)])
        assert result.exit_code == 0, result.output
        client = MlflowClient(tracking_uri=uri, registry_uri=uri)
        experiment = client.get_experiment_by_name("housing-price")
        runs = client.search_runs(
            [experiment.experiment_id], "tags.`housing_price.role` = 'candidate'"
        )
        yield {
            "directory": directory,
            "config": config,
            "client": client,
            "runs": {run.data.tags["housing_price.family"]: run for run in runs},
            "output": result.output,
        }


def _invoke(trained: dict[str, Any], *args: str) -> Any:
    return runner.invoke(app, [*args, "--config", str(trained["config"])])


def _report_path(trained: dict[str, Any], family: str) -> Path:
    run_id = trained["runs"][family].info.run_id
    return trained["directory"] / "reports" / f"{family}-{run_id}" / "report.html"


def test_training_writes_and_logs_a_report_for_each_candidate(
    trained: dict[str, Any],
) -> None:
    for family, run in trained["runs"].items():
        html = _report_path(trained, family)
        assert html.is_file() and html.with_name("report.md").is_file()
        assert "Report of" in trained["output"]
        logged = {
            item.path
            for item in trained["client"].list_artifacts(run.info.run_id, "report")
        }
        assert {"report/report.html", "report/report.md", "report/plots"} <= logged
        plots = trained["client"].list_artifacts(run.info.run_id, "report/plots")
        assert any(item.path.endswith("predicted_vs_actual.png") for item in plots)


def _open_report(browser: Any, path: Path) -> dict[str, Any]:
    """Load a report from disk and read what the browser made of it."""
    browser.get(path.as_uri())
    return browser.execute_script(
        """return {
          ready: document.readyState,
          title: document.title,
          images: [...document.images].map(
            i => [i.dataset.plot, i.complete && i.naturalWidth > 0]),
          metrics: [...document.querySelectorAll('[data-metric]')].map(
            c => [c.dataset.metric, c.dataset.value]),
          sections: [...document.querySelectorAll('section')].map(s => s.id),
          text: document.body.innerText,
        }"""
    )


def test_reports_open_in_chromium_with_every_image_and_the_run_metrics(
    trained: dict[str, Any], browser: Any, tmp_path: Path
) -> None:
    for family, run in trained["runs"].items():
        page = _open_report(browser, _report_path(trained, family))

        assert page["ready"] == "complete"
        assert page["title"].endswith(": evaluation report")
        assert page["sections"] == list(SECTIONS)
        assert len(page["images"]) >= (10 if family == "decision_tree" else 6)
        assert [name for name, decoded in page["images"] if not decoded] == []
        shown = {name: float(value) for name, value in page["metrics"]}
        assert set(shown) >= {"fold3_rmse", "cv_rmse_mean", "test_rmse", "test_r2"}
        assert shown == {name: run.data.metrics[name] for name in shown}
        screenshot = tmp_path / f"{family}.png"
        assert browser.save_screenshot(str(screenshot))
        assert screenshot.stat().st_size > 10_000


def test_report_of_the_staging_model_names_its_version(
    trained: dict[str, Any], browser: Any
) -> None:
    result = _invoke(trained, "report")
    assert result.exit_code == 0, result.output
    staged = trained["client"].get_model_version_by_alias("housing-price", "staging")
    family = trained["client"].get_run(staged.run_id).data.tags["housing_price.family"]
    assert f"Report: {_report_path(trained, family)}" in result.output.replace("\n", "")

    page = _open_report(browser, _report_path(trained, family))
    assert "housing-price version 1 (@staging)" in page["text"]


def test_linear_report_shows_coefficients_and_no_tuning(
    trained: dict[str, Any],
) -> None:
    page = _report_path(trained, "linear_regression").read_text(encoding="utf-8")
    assert "Coefficients of the linear model" in page
    assert 'data-plot="coefficients"' in page
    assert "no hyperparameters to tune" in page
    assert 'data-plot="permutation_importance"' not in page


def test_report_compares_with_the_production_version(trained: dict[str, Any]) -> None:
    tree_run_id = trained["runs"]["decision_tree"].info.run_id
    trained["client"].set_registered_model_alias("housing-price", "production", "1")
    try:
        result = _invoke(trained, "report", "--run-id", tree_run_id)
    finally:
        trained["client"].delete_registered_model_alias("housing-price", "production")
    assert result.exit_code == 0, result.output
    page = _report_path(trained, "decision_tree").read_text(encoding="utf-8")
    assert "Production (version 1)" in page
    assert "same test split" in page


def test_report_of_an_unknown_run_is_a_user_error(trained: dict[str, Any]) -> None:
    result = _invoke(trained, "report", "--run-id", "0" * 32)
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_compare_as_csv_ranks_runs_by_cv_rmse(trained: dict[str, Any]) -> None:
    result = _invoke(trained, "compare", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = sorted(
        trained["runs"].values(), key=lambda run: run.data.metrics["cv_rmse_mean"]
    )
    assert [row["run_id"] for row in rows] == [run.info.run_id for run in expected]
    assert float(rows[0]["cv_rmse_mean"]) == expected[0].data.metrics["cv_rmse_mean"]


def test_compare_writes_registered_versions_as_json(
    trained: dict[str, Any], tmp_path: Path
) -> None:
    output = tmp_path / "versions.json"
    result = _invoke(
        trained, "compare", "--versions", "--format", "json", "--output", str(output)
    )
    assert result.exit_code == 0, result.output
    versions = json.loads(output.read_text())
    assert [(v["version"], v["aliases"]) for v in versions] == [(1, "staging")]
    staged = trained["client"].get_model_version_by_alias("housing-price", "staging")
    assert versions[0]["run_id"] == staged.run_id


def test_compare_table_filters_by_family(trained: dict[str, Any]) -> None:
    result = _invoke(trained, "compare", "--family", "linear_regression")
    assert result.exit_code == 0, result.output
    assert "linear_regression" in result.output
    assert "decision_tree" not in result.output


def test_compare_with_an_unknown_experiment_is_a_user_error(
    trained: dict[str, Any],
) -> None:
    result = _invoke(trained, "compare", "--experiment", "nowhere")
    assert result.exit_code == 1
    assert "experiment 'nowhere' does not exist" in result.output
