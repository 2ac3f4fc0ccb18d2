"""`housing-price runs cleanup`: close runs that crashed processes left RUNNING."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

import typer

from housing_price.cli.app import console, reports_errors
from housing_price.cli.options import (
    ConfigOption,
    SetOption,
    TrackingUriOption,
    build_settings,
)

runs_app = typer.Typer(help="Maintain the project's MLflow runs.", no_args_is_help=True)

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Turn `90s`, `30m`, `12h` or `2d` into seconds.

    Raises:
        ValueError: The text is not a number followed by s, m, h or d.
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit, "
            "e.g. 90s, 30m, 12h or 2d"
        )
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@runs_app.command("cleanup")
@reports_errors
def cleanup_command(
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than",
            help="Runs started longer ago than this (90s, 30m, 12h, 2d) are stale.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List stale runs, change nothing.")
    ] = False,
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Mark KILLED the experiment's runs still RUNNING after --older-than."""
    seconds = parse_duration(older_than)
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.experiments.recovery import end_stale_runs
    from housing_price.experiments.tracking import connect

    context = connect(settings.tracking)
    stale = end_stale_runs(context, seconds, dry_run=dry_run)
    verb = "would mark" if dry_run else "marked"
    for run in stale:
        started = datetime.fromtimestamp(run.start_time_ms / 1000, tz=UTC)
        when = f"{started:%Y-%m-%d %H:%M} UTC"
        console.print(f"{run.run_id}  {run.run_name}  started {when}")
    console.print(
        f"{len(stale)} stale RUNNING run(s) in {context.experiment_name!r}: "
        f"{verb} KILLED."
    )
