"""Connecting to stores: parallel SQLite starts and the probe of a server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mlflow import MlflowClient

from housing_price.config.settings import TrackingSettings
from housing_price.errors import TrackingError
from housing_price.experiments.tracking import connect
from tests.tracking_servers import ADMIN_PASSWORD, RunningServer

_CONNECT_AND_LOG = """
import sys
from housing_price.config.settings import TrackingSettings
from housing_price.experiments.tracking import connect
context = connect(TrackingSettings(uri=sys.argv[1], experiment_name="parallel"))
run = context.client.create_run(context.experiment_id)
context.client.log_metric(run.info.run_id, "loss", 1.0)
context.client.set_terminated(run.info.run_id)
"""


def test_four_processes_opening_a_new_sqlite_store_share_one_experiment(
    tmp_path: Path,
) -> None:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _CONNECT_AND_LOG, uri],
            cwd=tmp_path,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-2000:]

    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("parallel")
    runs = client.search_runs([experiment.experiment_id])
    assert len(runs) == 4
    assert all(run.data.metrics == {"loss": 1.0} for run in runs)
    assert client.search_runs(["0"]) == []


@pytest.mark.postgres
def test_a_path_prefix_mistake_is_explained(postgres_server: RunningServer) -> None:
    with pytest.raises(TrackingError, match=r"the path '/mlflow' in the URI"):
        connect(TrackingSettings(uri=f"{postgres_server.url}/mlflow"))


@pytest.mark.postgres
def test_a_server_experiment_with_a_local_artifact_path_is_refused(
    postgres_server: RunningServer, tmp_path: Path
) -> None:
    client = MlflowClient(tracking_uri=postgres_server.url)
    client.create_experiment("server-side-path", artifact_location=str(tmp_path))
    with pytest.raises(TrackingError, match=r"local path .* server's machine"):
        connect(
            TrackingSettings(
                uri=postgres_server.url, experiment_name="server-side-path"
            )
        )


def test_a_server_asking_for_a_login_is_explained_before_training(
    auth_server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_USERNAME", raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_PASSWORD", raising=False)
    with pytest.raises(TrackingError, match=r"requires a login.*MLFLOW_TRACKING_USER"):
        connect(TrackingSettings(uri=auth_server.url))

    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "admin")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", ADMIN_PASSWORD)
    context = connect(TrackingSettings(uri=auth_server.url))
    assert context.client.get_experiment(context.experiment_id).artifact_location
