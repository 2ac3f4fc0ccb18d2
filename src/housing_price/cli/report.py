"""`housing-price report`: the evaluation report of a run or registered version.

A report gathers a run's metrics, model, trials and comparison models from
MLflow (experiments/, registry/), builds the pages (evaluation/), writes them
under `reports/` and logs them back to the run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from housing_price.cli.compare import compare_command
from housing_price.cli.options import (
    ConfigOption,
    SetOption,
    TrackingUriOption,
    build_settings,
)

if TYPE_CHECKING:
    from rich.console import Console

    from housing_price.config.settings import Settings
    from housing_price.data.processed import ProcessedData
    from housing_price.evaluation.rendering import ReportFiles
    from housing_price.experiments.tracking import TrackingContext
    from housing_price.training.trainer import TrainingSummary

logger = logging.getLogger(__name__)


def register_commands(app: typer.Typer) -> None:
    """Add `report` and `compare` (from `cli.compare`) to the application."""
    app.command("report")(report_command)
    app.command("compare")(compare_command)


def report_command(
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
    run_id: Annotated[
        str | None, typer.Option("--run-id", help="Report on this run.")
    ] = None,
    version: Annotated[
        str | None, typer.Option(help="Report on this registered version.")
    ] = None,
    alias: Annotated[
        str | None,
        typer.Option(help="Report on the version with this alias [default: staging]."),
    ] = None,
) -> None:
    """Write the HTML and Markdown evaluation report of a run or registered model."""
    from housing_price.cli.app import console, reports_errors

    reports_errors(_report)(config, sets, tracking_uri, run_id, version, alias, console)


def _report(
    config: Path | None,
    sets: list[str] | None,
    tracking_uri: str | None,
    run_id: str | None,
    version: str | None,
    alias: str | None,
    console: Console,
) -> None:
    if sum(value is not None for value in (run_id, version, alias)) > 1:
        raise ValueError("give at most one of --run-id, --version and --alias")
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.experiments.tracking import connect

    context = connect(settings.tracking)
    registered = None
    if run_id is None:
        from housing_price.registry.lookup import find_version

        if version is None and alias is None:
            alias = settings.registry.staging_alias
        model_version = find_version(
            context, settings.registry.model_name, version=version, alias=alias
        )
        run_id = str(model_version.run_id)
        registered = f"{model_version.name} version {model_version.version}" + (
            f" (@{', @'.join(model_version.aliases)})" if model_version.aliases else ""
        )
    files, artifact_uri = write_run_report(
        settings, context, run_id, registered=registered
    )
    console.print(f"Report: {files.html}")
    console.print(f"Summary: {files.markdown}")
    console.print(f"Logged to the run as {artifact_uri}")


def report_training(
    settings: Settings,
    context: TrackingContext,
    summary: TrainingSummary,
    data: ProcessedData,
    console: Console,
) -> None:
    """Write and log the report of every candidate a training produced.

    A failed report leaves the training valid, so it is a warning with the
    command that retries it, not an error that would stop registration.
    """
    from housing_price.errors import HousingPriceError

    for candidate in summary.candidates:
        try:
            files, _ = write_run_report(settings, context, candidate.run_id, data=data)
        except HousingPriceError as err:
            logger.warning(
                "No report for run %s: %s. Retry with `housing-price report "
                "--run-id %s`.",
                candidate.run_id,
                err,
                candidate.run_id,
            )
            continue
        console.print(f"Report of {candidate.title}: {files.html}")


def write_run_report(
    settings: Settings,
    context: TrackingContext,
    run_id: str,
    data: ProcessedData | None = None,
    registered: str | None = None,
) -> tuple[ReportFiles, str]:
    """Build the report of one candidate run, write it and log it to the run.

    Args:
        settings: Resolved settings (report options, registry names, data dir).
        context: Connected tracking store.
        run_id: The candidate run to report on.
        data: The processed split, when the caller has it loaded already.
        registered: How the run's model is registered, shown in the header.

    Returns:
        The written files and the artifact URI they were logged under.

    Raises:
        DataError: The processed test split differs from the run's.
        TrackingError: The run or its model cannot be read.
    """
    from housing_price.data.processed import TEST_FILE, load_processed
    from housing_price.data.schema import FEATURES, TARGET
    from housing_price.errors import DataError, TrackingError
    from housing_price.evaluation.rendering import write_report
    from housing_price.evaluation.report import ReportInputs, build_report
    from housing_price.experiments.reporting import (
        fetch_run,
        fetch_trials,
        load_fitted_pipeline,
        log_report,
    )
    from housing_price.experiments.runs import FAMILY_TAG, MODEL_URI_TAG, TAG_PREFIX
    from housing_price.models.family import available_families

    run = fetch_run(context, run_id)
    tags = run.data.tags
    if MODEL_URI_TAG not in tags:
        raise TrackingError(
            f"run {run_id} has no logged model ({MODEL_URI_TAG} tag); reports cover "
            "the candidate runs `housing-price train` makes, not trials"
        )
    data = data or load_processed(settings.data.processed_dir)
    expected_sha = tags.get(f"{TAG_PREFIX}test_sha256")
    actual_sha = data.metadata["files"][TEST_FILE]
    if expected_sha is not None and expected_sha != actual_sha:
        raise DataError(
            f"run {run_id} was tested on a split with sha256 {expected_sha}, but "
            f"{data.directory}/{TEST_FILE} has {actual_sha}; run `housing-price data "
            f"prepare` with the run's source and seed ({tags.get(f'{TAG_PREFIX}seed')})"
        )

    family = tags.get(FAMILY_TAG, "")
    known = available_families()
    title = known[family].title if family in known else family
    inputs = ReportInputs(
        title=f"{title}: evaluation report",
        family=family,
        metrics=run.data.metrics,
        params=run.data.params,
        facts=_facts(run, registered),
        pipeline=load_fitted_pipeline(tags[MODEL_URI_TAG]),
        features_test=data.test[list(FEATURES)],
        target_test=data.test[TARGET],
        income_band_edges=data.metadata.get(
            "income_band_edges", settings.data.income_band_edges
        ),
        trials=fetch_trials(context, run, settings.comparison.page_size),
        compared=_compared_models(settings, context, run, known),
        settings=settings.report,
        seed=settings.seed,
    )
    directory = settings.report.directory / f"{family or 'model'}-{run_id}"
    files = write_report(build_report(inputs), directory)
    artifact_uri = log_report(context, run_id, directory)
    logger.info("Wrote the report of run %s to %s", run_id, files.html)
    return files, artifact_uri


def _facts(run: Any, registered: str | None) -> list[tuple[str, str]]:
    from housing_price.experiments.runs import TAG_PREFIX, TRAINING_ID_TAG

    tags = run.data.tags
    params = {k: v for k, v in sorted(run.data.params.items()) if k != "search_space"}
    facts = [
        ("Run", f"{run.info.run_name} ({run.info.run_id})"),
        ("Training", tags.get(TRAINING_ID_TAG, "?")),
    ]
    if registered:
        facts.append(("Registered as", registered))
    facts += [
        ("Parameters", ", ".join(f"{k}={v}" for k, v in params.items()) or "none"),
        ("Seed", tags.get(f"{TAG_PREFIX}seed", "?")),
        ("Data sha256", tags.get(f"{TAG_PREFIX}data_sha256", "?")),
        ("Git commit", tags.get(f"{TAG_PREFIX}git_commit", "?")),
    ]
    return facts


def _compared_models(
    settings: Settings, context: TrackingContext, run: Any, known: dict[str, Any]
) -> list[Any]:
    from housing_price.evaluation.report import ComparedModel
    from housing_price.experiments.reporting import fetch_run, find_training_run
    from housing_price.experiments.runs import FAMILY_TAG, TAG_PREFIX, TRAINING_ID_TAG
    from housing_price.registry.lookup import find_alias_version

    def compared(label: str, other: Any, note: str = "") -> ComparedModel:
        return ComparedModel(
            label=label,
            family=other.data.tags.get(FAMILY_TAG, ""),
            run_id=other.info.run_id,
            metrics=other.data.metrics,
            note=note,
        )

    models = [compared("This model", run)]
    baseline_family = "linear_regression"
    training_id = run.data.tags.get(TRAINING_ID_TAG)
    if run.data.tags.get(FAMILY_TAG) != baseline_family and training_id:
        baseline = find_training_run(context, training_id, baseline_family)
        if baseline is not None:
            models.append(compared("Baseline", baseline, "same training"))

    alias = settings.registry.production_alias
    production = find_alias_version(context, settings.registry.model_name, alias)
    if production is not None and production.run_id:
        production_run = fetch_run(context, production.run_id)
        sha_tag = f"{TAG_PREFIX}test_sha256"
        same_split = production_run.data.tags.get(sha_tag) == run.data.tags.get(sha_tag)
        note = "same test split" if same_split else "different test split"
        if production.run_id == run.info.run_id:
            note = "this model"
        models.append(
            compared(f"Production (version {production.version})", production_run, note)
        )
    return models
