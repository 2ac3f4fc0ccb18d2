"""`mlflow run` drives the same commands as the CLI and logs the same runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from mlflow import MlflowClient
from typer.testing import CliRunner

from housing_price.cli import app

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENTRY_POINTS = {"main", "prepare", "train", "register", "promote"}


def _mlflow_run(directory: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    environment["PATH"] = (
        f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    )
    environment["MLFLOW_TRACKING_URI"] = f"sqlite:///{directory}/mlflow.db"
    return subprocess.run(
        [Path(sys.executable).parent / "mlflow", "run", ".", *arguments],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_mlproject_declares_the_entry_points_with_typed_parameters() -> None:
    project = yaml.safe_load((PROJECT_ROOT / "MLproject").read_text())
    assert set(project["entry_points"]) == ENTRY_POINTS
    assert (PROJECT_ROOT / project["python_env"]).is_file()
    train = project["entry_points"]["train"]["parameters"]
    assert train["max_evals"]["type"] == "float"
    assert train["seed"]["type"] == "float"


def test_mlflow_run_train_logs_like_the_cli(
    quick_project: Path, synthetic_csv: Path
) -> None:
    # Only max_evals is given: the empty seed and config must not be passed
    # on, or the command would fail on `--seed ''`.
    for name in ("MLproject", "python_env.yaml"):
        shutil.copy(PROJECT_ROOT / name, quick_project / name)
    prepared = CliRunner().invoke(app, ["data", "prepare", "--source", "synthetic.csv"])
    assert prepared.exit_code == 0, prepared.output

    completed = _mlflow_run(
        quick_project, "-e", "train", "-P", "max_evals=2", "--env-manager", "local"
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    client = MlflowClient(tracking_uri=f"sqlite:///{quick_project}/mlflow.db")
    experiment = client.get_experiment_by_name("housing-price")
    candidates = client.search_runs(
        [experiment.experiment_id], "tags.`housing_price.role` = 'candidate'"
    )
    by_family = {run.data.tags["housing_price.family"]: run for run in candidates}
    assert set(by_family) == {"linear_regression", "decision_tree"}
    tree = by_family["decision_tree"]
    assert tree.data.params["max_evals"] == "2"
    assert tree.data.params["cv_folds"] == "3"
    assert "manifest.json" in {a.path for a in client.list_artifacts(tree.info.run_id)}
    trials = client.search_runs(
        [experiment.experiment_id], f"tags.`mlflow.parentRunId` = '{tree.info.run_id}'"
    )
    assert len(trials) == 2
    assert (quick_project / "manifest.json").is_file()
