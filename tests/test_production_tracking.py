"""Training, registering and loading through a tracking server on PostgreSQL.

Every process here reaches MLflow only through the server's URL: no client
reads the database or the artifact folder directly.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from mlflow import MlflowClient
from mlflow.entities import Run

from tests.conftest import real_data_source
from tests.tracking_servers import RunningServer, clean_environment, cli, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

QUICK = ("--set", "cv.folds=2", "--set", "training.n_jobs=1")
TREE_ONLY = ("--set", "training.families=[decision_tree]")


def _client(server: RunningServer) -> MlflowClient:
    return MlflowClient(tracking_uri=server.url, registry_uri=server.url)


def _experiment_runs(server: RunningServer, experiment_name: str) -> list[Run]:
    client = _client(server)
    experiment = client.get_experiment_by_name(experiment_name)
    assert experiment is not None, f"experiment {experiment_name} was not created"
    return list(client.search_runs([experiment.experiment_id], max_results=1000))


def test_main_job_through_the_server_and_load_in_another_process(
    postgres_server: RunningServer, tmp_path: Path
) -> None:
    source = real_data_source()
    extra = ("--source", str(source)) if source else ()
    trainer = tmp_path / "trainer"
    trainer.mkdir()
    trained = cli(
        "run",
        *extra,
        "--tracking-uri",
        postgres_server.url,
        "--max-evals",
        "3",
        "--set",
        "cv.folds=3",
        cwd=trainer,
        env={"HOUSING_PRICE_EXPERIMENT": "main-job"},
    )
    assert trained.returncode == 0, trained.stderr[-3000:]
    assert "Registered housing-price version" in trained.stdout
    assert not (trainer / "mlartifacts").exists()
    assert not (trainer / "mlflow.db").exists()

    version = _client(postgres_server).get_model_version_by_alias(
        "housing-price", "staging"
    )
    assert version.source.startswith(("models:/", "mlflow-artifacts:"))

    loader = tmp_path / "loader"
    loader.mkdir()
    code = (
        "import os\n"
        "from housing_price.serving import load_registered_model\n"
        "from tests.conftest import make_housing_frame\n"
        "rows = make_housing_frame(rows=3).drop(columns='median_house_value')\n"
        "loaded = load_registered_model(os.environ['MLFLOW_TRACKING_URI'], "
        "'housing-price', alias='staging')\n"
        "print(loaded.version, *loaded.model.predict(rows))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=loader,
        env=clean_environment(
            {
                "MLFLOW_TRACKING_URI": postgres_server.url,
                "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
            }
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    loaded_version, *predictions = completed.stdout.split()
    assert loaded_version == version.version
    assert len(predictions) == 3
    assert all(14_999 < float(value) < 500_002 for value in predictions)
    assert list(loader.iterdir()) == []


def test_four_trainers_at_once_lose_no_run_or_metric(
    postgres_server: RunningServer, processed_directory: Path
) -> None:
    experiment = f"parallel-{uuid.uuid4().hex[:8]}"
    trainers, max_evals = 4, 3
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "housing_price",
                "train",
                "--tracking-uri",
                postgres_server.url,
                "--max-evals",
                str(max_evals),
                *QUICK,
                *TREE_ONLY,
            ],
            cwd=processed_directory,
            env=clean_environment({"HOUSING_PRICE_EXPERIMENT": experiment}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(trainers)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr[-3000:]

    runs = _experiment_runs(postgres_server, experiment)
    parents = [r for r in runs if r.data.tags.get("housing_price.role") == "candidate"]
    trials = [r for r in runs if r.data.tags.get("housing_price.role") == "trial"]
    assert len(parents) == trainers
    assert len(trials) == trainers * max_evals
    assert {r.info.status for r in runs} == {"FINISHED"}
    for trial in trials:
        assert {"loss", "cv_rmse_mean", "fold1_rmse", "fold2_r2"} <= set(
            trial.data.metrics
        )
    for parent in parents:
        assert {"cv_rmse_mean", "test_rmse", "test_r2"} <= set(parent.data.metrics)
        assert parent.data.tags["housing_price.model_uri"].startswith("models:/")
    default = _client(postgres_server).search_runs(["0"])
    assert default == [], "runs landed in the Default experiment"


def test_sigterm_during_tuning_keeps_finished_trials_and_leaves_nothing_running(
    postgres_server: RunningServer, processed_directory: Path
) -> None:
    experiment = f"sigterm-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "housing_price",
            "train",
            "--tracking-uri",
            postgres_server.url,
            "--max-evals",
            "500",
            *QUICK,
            *TREE_ONLY,
        ],
        cwd=processed_directory,
        env=clean_environment({"HOUSING_PRICE_EXPERIMENT": experiment}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_finished_trials(postgres_server, experiment, at_least=3)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)

    assert process.returncode == 143, stderr[-3000:]
    assert "Traceback" not in stderr
    runs = _experiment_runs(postgres_server, experiment)
    statuses = [r.info.status for r in runs]
    assert "RUNNING" not in statuses
    parents = [r for r in runs if r.data.tags.get("housing_price.role") == "candidate"]
    assert [p.info.status for p in parents] == ["KILLED"]
    finished = [r for r in runs if r.info.status == "FINISHED"]
    assert len(finished) >= 3
    assert all("cv_rmse_mean" in r.data.metrics for r in finished)
    assert len(runs) < 500


def test_a_stopped_server_is_one_clear_error_without_traceback(
    processed_directory: Path,
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    completed = cli("train", "--tracking-uri", url, cwd=processed_directory)
    assert completed.returncode == 1
    assert f"no MLflow tracking server answers at {url}" in completed.stderr
    assert "housing-price server start" in completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
    assert time.monotonic() - started < 120


def _wait_for_finished_trials(
    server: RunningServer, experiment_name: str, at_least: int
) -> None:
    client = _client(server)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        experiment = client.get_experiment_by_name(experiment_name)
        if experiment is not None:
            finished = client.search_runs(
                [experiment.experiment_id],
                "tags.`housing_price.role` = 'trial' "
                "and attributes.status = 'FINISHED'",
            )
            if len(finished) >= at_least:
                return
        time.sleep(0.5)
    raise AssertionError(f"fewer than {at_least} trials finished in time")
