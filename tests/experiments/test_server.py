"""Server management against a real MLflow server on the machine's PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from housing_price.cli import app
from housing_price.config.settings import ServerAuthSettings, ServerSettings
from housing_price.errors import TrackingError
from housing_price.experiments.backend import (
    ensure_postgres_database,
    redact_uri,
)
from housing_price.experiments.server import read_server_status, start_server
from tests.tracking_servers import ADMIN_PASSWORD, RunningServer, free_port

pytestmark = pytest.mark.postgres
runner = CliRunner()


def test_status_reports_url_backend_artifacts_and_health(
    postgres_server: RunningServer,
) -> None:
    result = runner.invoke(app, ["server", "status", *postgres_server.sets])
    assert result.exit_code == 0, result.output
    assert f"MLflow server at {postgres_server.url}: healthy" in result.output
    assert postgres_server.backend_uri in result.output
    assert str(postgres_server.settings.artifacts_destination) in result.output


def test_the_server_migrated_the_new_database_and_serves_artifacts(
    postgres_server: RunningServer,
) -> None:
    assert ensure_postgres_database(postgres_server.backend_uri) is False
    answer = requests.get(
        f"{postgres_server.url}/api/2.0/mlflow/experiments/get-by-name",
        params={"experiment_name": "Default"},
        timeout=60,
    ).json()
    assert answer["experiment"]["artifact_location"].startswith("mlflow-artifacts:")


def test_a_second_start_on_the_same_state_is_refused(
    postgres_server: RunningServer,
) -> None:
    with pytest.raises(TrackingError, match=r"already runs at .*server stop"):
        start_server(postgres_server.settings)


def test_a_foreign_host_header_is_refused(postgres_server: RunningServer) -> None:
    response = requests.get(
        f"{postgres_server.url}/api/2.0/mlflow/experiments/search",
        params={"max_results": 1},
        headers={"Host": "attacker.example"},
        timeout=60,
    )
    assert response.status_code == 403


def test_stopping_a_server_that_is_not_running_succeeds(tmp_path: Path) -> None:
    state_dir = tmp_path / "nothing"
    result = runner.invoke(
        app, ["server", "stop", "--set", f"server.state_dir={state_dir}"]
    )
    assert result.exit_code == 0
    assert "No MLflow server" in result.output

    status = runner.invoke(
        app, ["server", "status", "--set", f"server.state_dir={state_dir}"]
    )
    assert status.exit_code == 3
    assert read_server_status(ServerSettings(state_dir=state_dir)).running is False


def test_an_unreachable_database_names_host_port_and_database_not_password(
    tmp_path: Path,
) -> None:
    uri = "postgresql://mlflow:s3cret-Passw0rd@127.0.0.1:1/tracking"
    settings = ServerSettings(
        port=free_port(), backend_uri=uri, state_dir=tmp_path / "state"
    )
    with pytest.raises(TrackingError) as caught:
        start_server(settings)
    message = str(caught.value)
    assert "'tracking' on PostgreSQL at 127.0.0.1:1 as user 'mlflow'" in message
    assert "s3cret-Passw0rd" not in message


def test_an_unknown_database_user_is_one_clear_error(tmp_path: Path) -> None:
    uri = "postgresql://no_such_role_hp:pw@127.0.0.1:5432/postgres"
    with pytest.raises(TrackingError, match=r"127\.0\.0\.1:5432 as user"):
        ensure_postgres_database(uri)


def test_authentication_needs_a_long_admin_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_AUTH_ADMIN_PASSWORD", "short")
    settings = ServerSettings(
        port=free_port(),
        backend_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
        state_dir=tmp_path / "state",
        auth=ServerAuthSettings(enabled=True),
    )
    with pytest.raises(TrackingError, match="at least 12 characters"):
        start_server(settings)


def test_auth_refuses_anonymous_requests_and_accepts_the_admin(
    auth_server: RunningServer,
) -> None:
    endpoint = f"{auth_server.url}/api/2.0/mlflow/experiments/search"
    anonymous = requests.get(endpoint, params={"max_results": 1}, timeout=60)
    assert anonymous.status_code == 401

    admin = requests.get(
        endpoint,
        params={"max_results": 1},
        auth=("admin", ADMIN_PASSWORD),
        timeout=60,
    )
    assert admin.status_code == 200
    assert "experiments" in admin.json()


def test_the_password_stays_out_of_messages() -> None:
    assert (
        redact_uri("postgresql://user:pw@db.internal:5432/mlflow")
        == "postgresql://user:***@db.internal:5432/mlflow"
    )
