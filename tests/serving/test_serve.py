"""`mlflow models serve` answers the same predictions as the loader."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from housing_price.data.schema import FEATURES
from tests.model_store import TEST
from tests.serving.conftest import MODEL_NAME, Served

STARTUP_SECONDS = 180


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(
    base_url: str, server: subprocess.Popen[bytes], log_path: Path
) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(
                f"the server exited with status {server.returncode}:\n"
                + log_path.read_text(errors="replace")[-3000:]
            )
        try:
            with urllib.request.urlopen(f"{base_url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"the server did not answer /ping in {STARTUP_SECONDS}s")


@pytest.fixture
def server_url(served: Served, tmp_path: Path) -> Iterator[str]:
    port = _free_loopback_port()
    environment = {
        **os.environ,
        "MLFLOW_TRACKING_URI": served.tracking_uri,
        "MLFLOW_REGISTRY_URI": served.tracking_uri,
        # The server starts `uvicorn` by name; find it beside this Python even
        # when the virtual environment is not activated (make, CI).
        "PATH": os.pathsep.join(
            [str(Path(sys.executable).parent), os.environ.get("PATH", "")]
        ),
    }
    log_path = tmp_path / "server.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlflow",
            "models",
            "serve",
            "-m",
            f"models:/{MODEL_NAME}@production",
            "--env-manager",
            "local",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Its own process group, so stopping it by its id also stops its workers.
        start_new_session=True,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_ready(base_url, server, log_path)
        yield base_url
    finally:
        _stop(server)
        log.close()


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group, whose id is the server's PID."""
    for stop_signal in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, stop_signal)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=30)
            break
        except subprocess.TimeoutExpired:
            continue
    server.wait(timeout=30)


def test_the_model_server_answers_the_same_predictions_as_the_loader(
    served: Served, server_url: str
) -> None:
    rows = TEST[list(FEATURES)].head(8).reset_index(drop=True)
    body = json.dumps({"dataframe_records": rows.to_dict(orient="records")})
    request = urllib.request.Request(
        f"{server_url}/invocations",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
    )

    with urllib.request.urlopen(request, timeout=60) as response:
        served_predictions = json.loads(response.read())["predictions"]

    np.testing.assert_allclose(
        served_predictions, served.production.predict(rows), rtol=0, atol=1e-6
    )
