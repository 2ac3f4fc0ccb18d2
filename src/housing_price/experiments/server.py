"""Run the MLflow tracking server as a managed background process.

`start_server` prepares the backend store, launches `mlflow server` with
artifacts served through it, records a PID file and a log file in
`server.state_dir`, and returns once the health endpoint answers.
`stop_server` and `read_server_status` find the process again from that file.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

from housing_price.config.settings import ServerSettings
from housing_price.errors import TrackingError
from housing_price.experiments.backend import (
    absolute_backend_uri,
    prepare_backend_store,
    redact_uri,
)

logger = logging.getLogger(__name__)

PID_FILE = "server.pid"
LOG_FILE = "server.log"
AUTH_CONFIG_FILE = "basic_auth.ini"
MIN_ADMIN_PASSWORD_LENGTH = 12
_STOP_TIMEOUT_SECONDS = 20.0
_POLL_SECONDS = 0.25


@dataclass(frozen=True)
class ServerState:
    """What the PID file records about a started server."""

    pid: int
    url: str
    backend: str
    artifacts_destination: str
    log_file: str
    auth: bool
    started_at: float


@dataclass(frozen=True)
class ServerStatus:
    """A server's recorded state, and whether it runs and answers now."""

    state: ServerState | None
    running: bool
    healthy: bool


def start_server(settings: ServerSettings) -> ServerState:
    """Start `mlflow server` in the background and wait until it is healthy.

    Raises:
        TrackingError: A server of this state directory already runs, the port
            is taken, the backend store is unusable, authentication is asked
            for without an admin password, or the server does not become
            healthy within `settings.startup_timeout_seconds`.
    """
    command, environment, state = _prepare_launch(settings)
    log_path = Path(state.log_file)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.state_dir,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    state = _record(settings, state, process.pid)
    try:
        _wait_until_healthy(state, settings.startup_timeout_seconds)
    except BaseException:
        _terminate_group(process.pid)
        _pid_path(settings).unlink(missing_ok=True)
        raise
    return state


def run_server_in_foreground(settings: ServerSettings) -> int:
    """Run `mlflow server` attached to this terminal until it exits.

    Ctrl-C or SIGTERM stops the server's whole process group.

    Returns:
        The server's exit code.
    """
    command, environment, state = _prepare_launch(settings)
    process = subprocess.Popen(
        command, cwd=settings.state_dir, env=environment, start_new_session=True
    )
    _record(settings, replace(state, log_file="(the terminal)"), process.pid)
    try:
        return process.wait()
    finally:
        _terminate_group(process.pid)
        _pid_path(settings).unlink(missing_ok=True)


def stop_server(settings: ServerSettings) -> ServerState | None:
    """Stop the server recorded in the state directory.

    Returns:
        The stopped server's state, or None when none was running (not an error).
    """
    state = read_state(settings)
    if state is None:
        return None
    if _is_mlflow_server(state.pid):
        _terminate_group(state.pid)
        logger.info("Stopped the MLflow server at %s (pid %d)", state.url, state.pid)
    else:
        state = None
    _pid_path(settings).unlink(missing_ok=True)
    return state


def read_server_status(settings: ServerSettings) -> ServerStatus:
    """Report the recorded server, whether its process runs and /health answers."""
    state = read_state(settings)
    if state is None:
        return ServerStatus(state=None, running=False, healthy=False)
    running = _is_mlflow_server(state.pid)
    return ServerStatus(
        state=state, running=running, healthy=running and is_healthy(state.url)
    )


def read_state(settings: ServerSettings) -> ServerState | None:
    """The state recorded in the PID file, or None without a readable one."""
    try:
        recorded = json.loads(_pid_path(settings).read_text(encoding="utf-8"))
        return ServerState(**recorded)
    except (OSError, ValueError, TypeError):
        return None


def is_healthy(url: str, timeout_seconds: float = 3.0) -> bool:
    """Whether the server at `url` answers OK on its health endpoint."""
    try:
        with urlopen(f"{url}/health", timeout=timeout_seconds) as response:
            return bool(response.status == 200)
    except (OSError, ValueError):
        return False


def server_url(settings: ServerSettings) -> str:
    """The URL clients on this machine use; a wildcard bind is reached on loopback."""
    host = settings.host
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def _prepare_launch(
    settings: ServerSettings,
) -> tuple[list[str], dict[str, str], ServerState]:
    state_dir = settings.state_dir
    state_dir.mkdir(parents=True, exist_ok=True)
    status = read_server_status(settings)
    if status.running and status.state is not None:
        raise TrackingError(
            f"an MLflow server of {state_dir} already runs at {status.state.url} "
            f"(pid {status.state.pid}); stop it with `housing-price server stop` "
            "or give this one another server.state_dir"
        )
    _check_port_free(settings.host, settings.port)

    backend_uri = absolute_backend_uri(settings.backend_uri)
    artifacts_destination = _absolute_destination(settings.artifacts_destination)
    environment = {
        **os.environ,
        "MLFLOW_BACKEND_STORE_URI": backend_uri,
        "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": str(settings.job_execution).lower(),
    }
    if settings.auth.enabled:
        environment.update(_auth_environment(settings))
    prepare_backend_store(backend_uri)

    command = [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--host",
        settings.host,
        "--port",
        str(settings.port),
        "--workers",
        str(settings.workers),
        "--serve-artifacts",
        "--artifacts-destination",
        artifacts_destination,
    ]
    if settings.allowed_hosts:
        command += ["--allowed-hosts", ",".join(settings.allowed_hosts)]
    if settings.cors_allowed_origins:
        command += ["--cors-allowed-origins", ",".join(settings.cors_allowed_origins)]
    if settings.auth.enabled:
        command += ["--app-name", "basic-auth"]

    state = ServerState(
        pid=0,
        url=server_url(settings),
        backend=redact_uri(backend_uri),
        artifacts_destination=artifacts_destination,
        log_file=str((state_dir / LOG_FILE).resolve()),
        auth=settings.auth.enabled,
        started_at=time.time(),
    )
    # The backend URI travels in the environment, not in argv, so its password
    # never shows in the process list.
    logger.debug("Server command: %s", " ".join(command))
    return command, environment, state


def _auth_environment(settings: ServerSettings) -> dict[str, str]:
    password = os.environ.get("MLFLOW_AUTH_ADMIN_PASSWORD", "")
    if len(password) < MIN_ADMIN_PASSWORD_LENGTH:
        raise TrackingError(
            "server.auth.enabled is true but MLFLOW_AUTH_ADMIN_PASSWORD is "
            f"{'unset' if not password else 'shorter than 12 characters'}; export an "
            f"admin password of at least {MIN_ADMIN_PASSWORD_LENGTH} characters "
            "before starting the server (there is no default)"
        )
    auth = settings.auth
    database_uri = auth.database_uri or "sqlite:///" + str(
        (settings.state_dir / "auth.db").resolve()
    )
    config_path = (settings.state_dir / AUTH_CONFIG_FILE).resolve()
    config_path.write_text(
        "[mlflow]\n"
        f"default_permission = {auth.default_permission}\n"
        f"database_uri = {absolute_backend_uri(database_uri)}\n"
        f"admin_username = {auth.admin_username}\n"
        "authorization_function = "
        "mlflow.server.auth:authenticate_request_basic_auth\n",
        encoding="utf-8",
    )
    config_path.chmod(0o600)
    return {
        "MLFLOW_AUTH_CONFIG_PATH": str(config_path),
        # Signs session cookies and CSRF tokens; every worker must share it,
        # and a fresh random one per start is fine when none is given.
        "MLFLOW_FLASK_SERVER_SECRET_KEY": os.environ.get(
            "MLFLOW_FLASK_SERVER_SECRET_KEY", secrets.token_hex(32)
        ),
    }


def _absolute_destination(destination: str) -> str:
    scheme = urlsplit(destination).scheme
    if scheme not in ("", "file"):
        return destination
    path = Path(destination.removeprefix("file://")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as err:
            raise TrackingError(
                f"cannot bind the MLflow server to {host}:{port}: {err.strerror}; "
                "another program uses the port, so set server.port to a free one"
            ) from err


def _record(settings: ServerSettings, state: ServerState, pid: int) -> ServerState:
    recorded = ServerState(**{**asdict(state), "pid": pid})
    _pid_path(settings).write_text(json.dumps(asdict(recorded)), encoding="utf-8")
    return recorded


def _wait_until_healthy(state: ServerState, timeout_seconds: float) -> None:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if not _is_alive(state.pid):
            raise TrackingError(
                f"the MLflow server exited during start-up; its log "
                f"{state.log_file} ends with:\n{_log_tail(state.log_file)}"
            )
        if is_healthy(state.url, timeout_seconds=1.0):
            _warm_up(state.url, max(deadline - time.monotonic(), 1.0))
            logger.info(
                "MLflow server healthy at %s after %.1f s",
                state.url,
                time.time() - state.started_at,
            )
            return
        time.sleep(_POLL_SECONDS)
    raise TrackingError(
        f"the MLflow server at {state.url} was not healthy after "
        f"{timeout_seconds:.0f} s; raise server.startup_timeout_seconds or read "
        f"its log {state.log_file}:\n{_log_tail(state.log_file)}"
    )


def _warm_up(url: str, timeout_seconds: float) -> None:
    # /health answers before the app opens its backend store, which happens on
    # the first API call and can take seconds; take that wait here, not in the
    # first client's request.
    try:
        with urlopen(
            f"{url}/api/2.0/mlflow/experiments/search?max_results=1",
            timeout=timeout_seconds,
        ):
            pass
    except (OSError, ValueError) as err:
        # An HTTP error status (401 with auth on) still means the app is up.
        logger.debug("Warm-up request to %s answered: %s", url, err)


def _terminate_group(pid: int) -> None:
    # The server runs in its own session, so its group holds the uvicorn
    # workers too and nothing else.
    for sig, grace in ((signal.SIGTERM, _STOP_TIMEOUT_SECONDS), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not _is_alive(pid):
                return
            time.sleep(_POLL_SECONDS)


def _is_alive(pid: int) -> bool:
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _is_mlflow_server(pid: int) -> bool:
    # A PID file can outlive its process and the number can be reused.
    if not _is_alive(pid):
        return False
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"mlflow" in arguments and b"server" in arguments


def _log_tail(log_file: str, lines: int = 15) -> str:
    try:
        text = Path(log_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _pid_path(settings: ServerSettings) -> Path:
    return settings.state_dir / PID_FILE
