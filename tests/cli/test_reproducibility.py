import json
from pathlib import Path

from typer.testing import CliRunner

from housing_price.cli import app
from housing_price.config import load_settings
from housing_price.experiments.candidates import find_training_candidates
from housing_price.experiments.manifest import MANIFEST_ARTIFACT, load_manifest
from housing_price.experiments.tracking import connect

runner = CliRunner()


def test_evaluate_writes_each_candidates_test_metrics(trained_project: Path) -> None:
    result = runner.invoke(app, ["evaluate"])

    assert result.exit_code == 0, result.output
    assert "Metrics written to metrics.json" in result.output
    metrics = json.loads((trained_project / "metrics.json").read_text())
    context = connect(load_settings().tracking)
    for run in find_training_candidates(context):
        family = run.data.tags["housing_price.family"]
        assert metrics[family]["test_rmse"] == run.data.metrics["test_rmse"]
        assert metrics[family]["cv_rmse_mean"] == run.data.metrics["cv_rmse_mean"]


def test_evaluate_before_any_training_says_what_to_run(quick_project: Path) -> None:
    runner.invoke(app, ["data", "prepare", "--source", "synthetic.csv"])
    result = runner.invoke(app, ["evaluate"])
    assert result.exit_code == 1
    assert "run `housing-price train` first" in result.output


def test_reproduce_trains_again_and_reports_identical_results(
    trained_project: Path,
) -> None:
    context = connect(load_settings().tracking)
    run_id = find_training_candidates(context)[0].info.run_id

    result = runner.invoke(app, ["reproduce", run_id])

    assert result.exit_code == 0, result.output
    assert "Reproduced" in result.output and "are identical" in result.output
    reproductions = context.client.get_experiment_by_name("housing-price-reproductions")
    assert reproductions is not None
    assert len(find_training_candidates(context)) == 2


def test_reproduce_exits_non_zero_when_a_metric_differs(
    trained_project: Path,
) -> None:
    context = connect(load_settings().tracking)
    run_id = find_training_candidates(context)[0].info.run_id
    manifest = load_manifest(context, run_id)
    manifest["runs"]["decision_tree"]["test_metrics"]["rmse"] += 1.0
    context.client.log_dict(run_id, manifest, MANIFEST_ARTIFACT)

    result = runner.invoke(app, ["reproduce", run_id])

    assert result.exit_code == 2
    assert "Not reproduced" in result.output
    assert "decision_tree test_rmse" in result.output


def test_reproduce_of_a_run_without_manifest_is_a_user_error(
    quick_project: Path,
) -> None:
    result = runner.invoke(app, ["reproduce", "0123456789abcdef0123456789abcdef"])
    assert result.exit_code == 1
    assert "has no manifest.json" in result.output


def test_help_lists_evaluate_and_reproduce() -> None:
    result = runner.invoke(app, ["--help"])
    assert "evaluate" in result.output and "reproduce" in result.output
