"""Real MLflow servers for the tests: PostgreSQL-backed and SQLite-backed.

Each test session creates its own PostgreSQL database on 127.0.0.1:5432 (name:
HOUSING_PRICE_TEST_DATABASE_PREFIX, default `hp_test_`, plus a random suffix),
starts servers on free loopback ports, and stops them by PID and drops the
database at the end.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from housing_price.config.settings import ServerAuthSettings, ServerSettings
from housing_price.experiments.backend import drop_postgres_database
from housing_price.experiments.server import start_server, stop_server
from tests.conftest import make_housing_frame

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
ADMIN_PASSWORD = "correct-horse-battery-staple"
# One worker each: the suite runs on two shared cores.
TEST_WORKERS = 1
STARTUP_TIMEOUT_SECONDS = 300


def free_port() -> int:
    """A TCP port nobody listens on at this moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(
    *arguments: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run `housing-price` in a fresh process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "housing_price", *arguments],
        cwd=cwd,
        env=clean_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without tracking settings, plus `extra`."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MLFLOW_TRACKING_", "MLFLOW_AUTH_"))
        and key
        not in (
            "MLFLOW_REGISTRY_URI",
            "HOUSING_PRICE_EXPERIMENT",
            "HOUSING_PRICE_BACKEND_URI",
        )
    }
    return {**inherited, **(extra or {})}


@dataclass(frozen=True)
class RunningServer:
    """A started test server and the `--set` options that describe it."""

    url: str
    settings: ServerSettings
    backend_uri: str
    sets: list[str] = field(default_factory=list)


def server_sets(settings: ServerSettings) -> list[str]:
    """`--set` options that rebuild `settings` in a CLI call."""
    return [
        "--set",
        f"server.port={settings.port}",
        "--set",
        f"server.workers={settings.workers}",
        "--set",
        f"server.backend_uri={settings.backend_uri}",
        "--set",
        f"server.artifacts_destination={settings.artifacts_destination}",
        "--set",
        f"server.state_dir={settings.state_dir}",
        "--set",
        f"server.startup_timeout_seconds={settings.startup_timeout_seconds}",
    ]


@pytest.fixture(scope="session")
def postgres_backend_uri() -> Iterator[str]:
    """A new, empty PostgreSQL database for this session; dropped afterwards."""
    prefix = os.environ.get("HOUSING_PRICE_TEST_DATABASE_PREFIX", "hp_test_")
    uri = f"{POSTGRES}/{prefix}{secrets.token_hex(4)}"
    yield uri
    drop_postgres_database(uri)


@pytest.fixture(scope="session")
def postgres_server(
    postgres_backend_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """An MLflow server on PostgreSQL, started and stopped through the CLI."""
    root = tmp_path_factory.mktemp("postgres-server")
    settings = ServerSettings(
        port=free_port(),
        workers=TEST_WORKERS,
        backend_uri=postgres_backend_uri,
        artifacts_destination=str(root / "artifacts"),
        state_dir=root / "state",
        startup_timeout_seconds=STARTUP_TIMEOUT_SECONDS,
    )
    sets = server_sets(settings)
    started = cli("server", "start", *sets, cwd=root)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield RunningServer(
            url=f"http://127.0.0.1:{settings.port}",
            settings=settings,
            backend_uri=postgres_backend_uri,
            sets=sets,
        )
    finally:
        stopped = cli("server", "stop", *sets, cwd=root)
        stop_server(settings)
        assert stopped.returncode == 0, stopped.stderr


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """An MLflow server on a temporary SQLite file with basic-auth on."""
    root = tmp_path_factory.mktemp("auth-server")
    settings = ServerSettings(
        port=free_port(),
        workers=TEST_WORKERS,
        backend_uri=f"sqlite:///{root / 'mlflow.db'}",
        artifacts_destination=str(root / "artifacts"),
        state_dir=root / "state",
        startup_timeout_seconds=STARTUP_TIMEOUT_SECONDS,
        auth=ServerAuthSettings(enabled=True),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD)
        state = start_server(settings)
    try:
        yield RunningServer(
            url=state.url, settings=settings, backend_uri=settings.backend_uri
        )
    finally:
        stop_server(settings)


@pytest.fixture(scope="session")
def processed_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory whose data/processed/ holds a small synthetic split.

    For tests about tracking, not the model: training on it takes a moment.
    """
    directory = tmp_path_factory.mktemp("processed")
    source = directory / "synthetic.csv"
    make_housing_frame(rows=1500, seed=3).to_csv(source, index=False)
    completed = cli(
        "data",
        "prepare",
        "--source",
        str(source),
        "--set",
        "data.csv_sha256=null",
        cwd=directory,
    )
    assert completed.returncode == 0, completed.stderr
    return directory
