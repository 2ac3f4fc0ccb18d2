"""Commands of the reproducible pipeline: `evaluate` and `reproduce`."""

from __future__ import annotations

from typing import Annotated

import typer

from housing_price.cli.app import app, console, error_console, reports_errors
from housing_price.cli.options import (
    ConfigOption,
    SetOption,
    SourceOption,
    TrackingUriOption,
    build_settings,
)

EXIT_NOT_REPRODUCED = 2


@app.command("evaluate")
@reports_errors
def evaluate_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
    training_id: Annotated[
        str | None,
        typer.Option(help="Score this training's runs; default: the latest."),
    ] = None,
) -> None:
    """Score a training's logged models on the test split; write metrics JSON."""
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.data.processed import load_processed
    from housing_price.experiments.tracking import connect
    from housing_price.training.assessment import assess_candidates, write_metrics

    data = load_processed(settings.data.processed_dir)
    metrics = assess_candidates(data, connect(settings.tracking), training_id)
    write_metrics(settings, metrics)
    for family, values in sorted(metrics.items(), key=lambda i: i[1]["test_rmse"]):
        console.print(
            f"{family}: test RMSE ${values['test_rmse']:,.0f}, "
            f"test R² {values['test_r2']:.3f}"
        )
    console.print(f"Metrics written to {settings.pipeline.metrics_file}")


@app.command("reproduce")
@reports_errors
def reproduce_command(
    run_id: Annotated[str, typer.Argument(help="A candidate run of the training.")],
    config: ConfigOption = None,
    sets: SetOption = None,
    source: SourceOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Train again with a run's manifest and say whether the results match.

    Exits with status 2 when any parameter or metric differs.
    """
    settings = build_settings(config, sets, source=source, tracking_uri=tracking_uri)
    from housing_price.cli.progress import TrainingProgress
    from housing_price.experiments.tracking import connect
    from housing_price.training.reproduction import reproduce_training

    context = connect(settings.tracking)
    with TrainingProgress(console) as progress:
        outcome = reproduce_training(
            context, run_id, settings.tracking, settings.data.source, progress
        )
    if outcome.matches:
        console.print(
            f"Reproduced: training {outcome.original_training_id} ran again as "
            f"{outcome.training_id}; all {outcome.compared} parameters and metrics "
            "are identical."
        )
        return
    error_console.print(
        f"[bold red]Not reproduced:[/] {len(outcome.differences)} of "
        f"{outcome.compared} values differ (new training {outcome.training_id}):"
    )
    for difference in outcome.differences:
        error_console.print(
            f"  {difference.family} {difference.name}: recorded "
            f"{difference.recorded!r}, now {difference.reproduced!r}",
            highlight=False,
            markup=False,
        )
    raise typer.Exit(EXIT_NOT_REPRODUCED)
