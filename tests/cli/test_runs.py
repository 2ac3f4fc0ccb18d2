import time
from pathlib import Path

from mlflow import MlflowClient
from typer.testing import CliRunner

from housing_price.cli import app

runner = CliRunner()


def test_cleanup_marks_only_stale_running_runs_killed(workdir: Path) -> None:
    uri = f"sqlite:///{workdir / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri)
    experiment_id = client.create_experiment(
        "housing-price", artifact_location=(workdir / "artifacts").as_uri()
    )
    two_hours_ago_ms = int((time.time() - 7200) * 1000)
    stale = client.create_run(experiment_id, start_time=two_hours_ago_ms)
    fresh = client.create_run(experiment_id)

    result = runner.invoke(
        app, ["runs", "cleanup", "--older-than", "1h", "--tracking-uri", uri]
    )

    assert result.exit_code == 0, result.output
    assert "1 stale RUNNING run(s) in 'housing-price': marked KILLED" in result.output
    assert client.get_run(stale.info.run_id).info.status == "KILLED"
    assert client.get_run(fresh.info.run_id).info.status == "RUNNING"


def test_cleanup_rejects_a_duration_without_unit(workdir: Path) -> None:
    result = runner.invoke(app, ["runs", "cleanup", "--older-than", "soon"])
    assert result.exit_code == 1
    assert "e.g. 90s, 30m, 12h or 2d" in result.output
