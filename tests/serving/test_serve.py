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


def _wait_until_ready(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with status {server.returncode}")
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
    environment = {**os.environ, "MLFLOW_TRACKING_URI": served.tracking_uri}
    log = (tmp_path / "server.log").open("wb")
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
        _wait_until_ready(base_url, server)
        yield base_url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        log.close()


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
