"""The `housing-price` command line: the only code that writes to the terminal.

Heavy libraries (MLflow, scikit-learn, pandas) are imported inside the
commands, so `housing-price --help` and typos answer at once.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape

from housing_price.cli import report as report_cli
from housing_price.cli.options import (
    ConfigOption,
    MaxEvalsOption,
    SeedOption,
    SetOption,
    SourceOption,
    TrackingUriOption,
    build_settings,
)
from housing_price.errors import HousingPriceError

app = typer.Typer(
    help="Train, track and register house-price models on the California housing data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Prepare the dataset.", no_args_is_help=True)
app.add_typer(data_app, name="data")

console = Console()
error_console = Console(stderr=True)
if not console.is_terminal:
    # Piped output (CI logs, files) would otherwise wrap tables at 80 columns.
    console.width = 120

P = ParamSpec("P")
R = TypeVar("R")

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so open runs end KILLED instead of RUNNING."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@app.callback()
def _configure(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show DEBUG messages.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        datefmt="[%X]",
        handlers=[RichHandler(console=error_console, show_path=False)],
        force=True,
    )
    for noisy in (
        "hyperopt",
        "alembic",
        "urllib3",
        "mlflow.store.db.utils",
        "mlflow.utils.uv_utils",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Models are stored with cloudpickle on purpose (see experiments/runs.py);
    # MLflow's per-model reminder about it would repeat on every training.
    logging.getLogger("mlflow.sklearn").setLevel(logging.ERROR)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    # Against a server MLflow prints a "View run" link for every trial run.
    os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")
    signal.signal(signal.SIGTERM, _raise_terminated)


def _print_error(err: Exception) -> None:
    # Messages quote user values (file lines, config text) that may contain
    # square brackets; escaping keeps rich from reading them as markup.
    error_console.print(
        f"[bold red]Error:[/] {escape(str(err))}", highlight=False, soft_wrap=True
    )


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn package errors into a message and exit code, without a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except HousingPriceError as err:
            _print_error(err)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except ValueError as err:
            # Argument misuse caught by the library (an unknown family name...).
            _print_error(err)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except Terminated:
            error_console.print("[yellow]Terminated; open runs were marked KILLED.[/]")
            raise typer.Exit(EXIT_TERMINATED) from None
        except KeyboardInterrupt:
            error_console.print("[yellow]Interrupted; open runs were marked KILLED.[/]")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


@data_app.command("prepare")
@reports_errors
def prepare_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    source: SourceOption = None,
    seed: SeedOption = None,
) -> None:
    """Fetch, validate and split the data into data/processed/."""
    settings = build_settings(config, sets, source=source, seed=seed)
    _prepare(settings)


@app.command("train")
@reports_errors
def train_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    seed: SeedOption = None,
    max_evals: MaxEvalsOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Train every model family on data/processed/ and log them to MLflow."""
    settings = build_settings(
        config, sets, seed=seed, max_evals=max_evals, tracking_uri=tracking_uri
    )
    summary, _ = _train(settings)
    from housing_price.cli.render import training_table

    console.print(training_table(summary))


@app.command("register")
@reports_errors
def register_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
    training_id: Annotated[
        str | None,
        typer.Option(help="Choose among this training's runs; default: the latest."),
    ] = None,
) -> None:
    """Register the best candidate of a training and alias it as staging."""
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.cli.render import registration_line
    from housing_price.experiments.tracking import connect

    context = connect(settings.tracking)
    console.print(registration_line(_register(settings, context, training_id)))


@app.command("run")
@reports_errors
def run_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    source: SourceOption = None,
    seed: SeedOption = None,
    max_evals: MaxEvalsOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """The main job: prepare the data, train both models, register the best."""
    settings = build_settings(
        config,
        sets,
        source=source,
        seed=seed,
        max_evals=max_evals,
        tracking_uri=tracking_uri,
    )
    _prepare(settings)
    summary, context = _train(settings)

    from housing_price.cli.render import registration_line, training_table, ui_hint

    # The table first: a candidate refused by the registration gates still
    # shows how every model scored.
    console.print(training_table(summary))
    registered = _register(settings, context, summary.training_id)
    console.print(registration_line(registered))
    console.print(ui_hint(context.tracking_uri))


def _prepare(settings: Any) -> None:
    from housing_price.data.processed import prepare_data

    processed = prepare_data(settings)
    rows = processed.metadata["rows"]
    console.print(
        f"Prepared {rows['train']:,} train and {rows['test']:,} test rows in "
        f"{processed.directory}/"
    )


def _train(settings: Any) -> tuple[Any, Any]:
    from housing_price.cli.progress import TrainingProgress
    from housing_price.data.processed import load_processed
    from housing_price.experiments.tracking import connect
    from housing_price.training.trainer import train_models

    data = load_processed(settings.data.processed_dir)
    context = connect(settings.tracking)
    # Logs go to stderr; the bars share that console so lines never tear them.
    with TrainingProgress(error_console) as progress:
        summary = train_models(settings, data, context, observer=progress)
    report_cli.report_training(settings, context, summary, data, console)
    return summary, context


def _register(settings: Any, context: Any, training_id: str | None) -> Any:
    from housing_price.registry.registration import (
        find_best_candidate,
        register_candidate,
    )

    best = find_best_candidate(context, training_id)
    return register_candidate(context, settings.registry, best)


def _add_command_groups() -> None:
    # Imported here: these modules import `app` and the helpers above.
    from housing_price.cli.runs import runs_app
    from housing_price.cli.server import server_app

    app.add_typer(server_app, name="server")
    app.add_typer(runs_app, name="runs")


_add_command_groups()
report_cli.register_commands(app)


def main() -> None:
    """Entry point of the `housing-price` console script."""
    app(prog_name="housing-price")
    sys.exit(0)


# Registry commands attach themselves to `app`; imported last, after `app` exists.
from housing_price.cli import registry as _registry_commands  # noqa: E402, F401

# Command modules register themselves on `app`; importing them is enough.
from housing_price.cli import reproducibility  # noqa: E402, F401
