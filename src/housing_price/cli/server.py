"""`housing-price server start | stop | status`: the MLflow tracking server."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from housing_price.cli.app import console, reports_errors
from housing_price.cli.options import ConfigOption, SetOption, build_settings

server_app = typer.Typer(
    help="Run the MLflow tracking server of a profile (configs/local.yaml, "
    "configs/production.yaml).",
    no_args_is_help=True,
)

EXIT_NOT_RUNNING = 3


@server_app.command("start")
@reports_errors
def start_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    foreground: Annotated[
        bool,
        typer.Option("--foreground", help="Stay attached; Ctrl-C stops the server."),
    ] = False,
) -> None:
    """Prepare the backend store, start the server and wait until it is healthy."""
    settings = build_settings(config, sets).server
    from housing_price.experiments.server import (
        run_server_in_foreground,
        server_url,
        start_server,
    )

    if foreground:
        console.print(f"MLflow server on {server_url(settings)}; Ctrl-C stops it.")
        try:
            code = run_server_in_foreground(settings)
        except KeyboardInterrupt:
            console.print("Server stopped.")
            return
        raise typer.Exit(code)

    state = start_server(settings)
    console.print(f"MLflow server running at [bold]{state.url}[/] (pid {state.pid})")
    _print_state(state)
    console.print(f"Use it: export MLFLOW_TRACKING_URI={state.url}")


@server_app.command("stop")
@reports_errors
def stop_command(config: ConfigOption = None, sets: SetOption = None) -> None:
    """Stop the server; nothing to stop is not an error."""
    settings = build_settings(config, sets).server
    from housing_price.experiments.server import stop_server

    state = stop_server(settings)
    if state is None:
        console.print(f"No MLflow server of {settings.state_dir} is running.")
    else:
        console.print(f"Stopped the MLflow server at {state.url} (pid {state.pid}).")


@server_app.command("status")
@reports_errors
def status_command(config: ConfigOption = None, sets: SetOption = None) -> None:
    """Show URL, backend, artifact destination and health; exit 3 if not running."""
    settings = build_settings(config, sets).server
    from housing_price.experiments.server import read_server_status

    status = read_server_status(settings)
    if status.state is None or not status.running:
        console.print(f"No MLflow server of {settings.state_dir} is running.")
        raise typer.Exit(EXIT_NOT_RUNNING)
    health = "[green]healthy[/]" if status.healthy else "[red]not answering[/]"
    console.print(f"MLflow server at [bold]{status.state.url}[/]: {health}")
    _print_state(status.state)


def _print_state(state: Any) -> None:
    console.print(f"  pid                   {state.pid}")
    console.print(f"  backend store         {state.backend}")
    console.print(f"  artifact destination  {state.artifacts_destination}")
    console.print(f"  authentication        {'basic-auth' if state.auth else 'off'}")
    console.print(f"  log                   {state.log_file}")
