"""`housing-price compare`: leaderboards of runs and registered versions.

The tracking server filters, sorts and pages; this module only prints the rows
as a table, CSV or JSON.
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from housing_price.cli.options import (
    ConfigOption,
    SetOption,
    TrackingUriOption,
    build_settings,
)

if TYPE_CHECKING:
    from rich.console import Console


class OutputFormat(StrEnum):
    """How `compare` prints its leaderboard."""

    table = "table"
    csv = "csv"
    json = "json"


def compare_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
    versions: Annotated[
        bool,
        typer.Option(
            "--versions", help="Rank registered versions instead of training runs."
        ),
    ] = False,
    experiments: Annotated[
        list[str] | None,
        typer.Option(
            "--experiment",
            help="Experiment to rank runs from (repeatable) [default: the configured].",
            show_default=False,
        ),
    ] = None,
    family: Annotated[
        str | None, typer.Option(help="Only this model family.", show_default=False)
    ] = None,
    sort_by: Annotated[
        str, typer.Option("--sort", help="Metric that ranks runs.")
    ] = "cv_rmse_mean",
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json.")
    ] = OutputFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write to this file instead of the terminal."),
    ] = None,
    page_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Results per tracking-server call [default: comparison.page_size].",
        ),
    ] = None,
) -> None:
    """Rank finished training runs (or registered versions) by a metric."""
    from housing_price.cli.app import console, reports_errors

    def compare() -> None:
        settings = build_settings(config, sets, tracking_uri=tracking_uri)
        from housing_price.experiments.tracking import connect

        context = connect(settings.tracking)
        size = page_size or settings.comparison.page_size
        if versions:
            from housing_price.registry.lookup import version_leaderboard

            title = f"Versions of {settings.registry.model_name}, newest first"
            rows = list(
                version_leaderboard(context, settings.registry.model_name, family, size)
            )
        else:
            from housing_price.experiments.leaderboard import run_leaderboard

            names = experiments or [settings.tracking.experiment_name]
            title = f"Finished runs of {', '.join(names)} by {sort_by}"
            rows = list(run_leaderboard(context, names, family, sort_by, size))
        _emit(rows, title, output_format, output, console)

    reports_errors(compare)()


def _emit(
    rows: list[dict[str, Any]],
    title: str,
    output_format: OutputFormat,
    output: Path | None,
    console: Console,
) -> None:
    if output_format is OutputFormat.table:
        text = None
        table = _leaderboard_table(rows, title)
        if output is None:
            console.print(table)
            return
        from rich.console import Console as FileConsole

        buffer = io.StringIO()
        FileConsole(file=buffer, width=200).print(table)
        text = buffer.getvalue()
    elif output_format is OutputFormat.csv:
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(
                buffer, fieldnames=list(rows[0]), lineterminator="\n"
            )
            writer.writeheader()
            writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = json.dumps(rows, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"Wrote {len(rows)} rows to {output}")


_HEADERS = {
    "rank": "#",
    "run_id": "run",
    "run_name": "name",
    "training_id": "training",
    "cv_rmse_mean": "CV RMSE",
    "cv_rmse_std": "± std",
    "test_rmse": "test RMSE",
    "test_mae": "test MAE",
    "test_r2": "test R²",
    "test_mape": "test MAPE",
}


def _leaderboard_table(rows: list[dict[str, Any]], title: str) -> Any:
    from rich.table import Table

    table = Table(title=f"{title} ({len(rows)}; dollars)")
    if not rows:
        return table
    # One experiment or model name would repeat on every row; the run name,
    # MAPE and a version's run id stay in CSV and JSON so the table fits.
    hidden = {"run_name", "test_mape"} | ({"run_id"} if "version" in rows[0] else set())
    columns = [
        column
        for column in rows[0]
        if column not in hidden | {"experiment", "name"}
        or (column in ("experiment", "name") and len({row[column] for row in rows}) > 1)
    ]
    for column in columns:
        numeric = column in ("rank", "version") or column.startswith(("cv_", "test_"))
        table.add_column(
            _HEADERS.get(column, column),
            justify="right" if numeric else "left",
            no_wrap=True,
        )
    for row in rows:
        table.add_row(*(_cell_text(column, row[column]) for column in columns))
    return table


def _cell_text(column: str, value: Any) -> str:
    if value is None:
        return "-"
    if column in ("run_id", "training_id"):
        return str(value)[:8]
    if column == "started":
        return str(value)[:16].replace("T", " ")
    if column == "created":
        return str(value)[:10]
    if column.endswith(("rmse_mean", "rmse_std", "_rmse", "_mae")):
        return f"${value:,.0f}"
    if column.endswith("_mape"):
        return f"{value:.1%}"
    if column.endswith("_r2"):
        return f"{value:.3f}"
    return str(value)
