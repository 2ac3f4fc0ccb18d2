"""Registry commands: promote, rollback, history, models, predict.

They attach to the main `app` when `housing_price.cli.app` imports this module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housing_price.cli.app import app, console, reports_errors
from housing_price.cli.options import (
    ConfigOption,
    SetOption,
    TrackingUriOption,
    build_settings,
)

models_app = typer.Typer(
    help="List registered versions, or delete one no alias points to.",
    invoke_without_command=True,
)
app.add_typer(models_app, name="models")

VersionOption = Annotated[
    str | None,
    typer.Option("--version", help="Model version number.", show_default=False),
]
ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", help="Why; recorded in the history.", show_default=False),
]


@app.command("promote")
@reports_errors
def promote_command(
    to: Annotated[
        str, typer.Option("--to", help="Target alias: staging or production.")
    ],
    version: VersionOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Override the rules; needs --reason.")
    ] = False,
    reason: ReasonOption = None,
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Re-score challenger and production on the test set, then move the alias."""
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.cli.registry_tables import promotion_table
    from housing_price.data.processed import load_processed
    from housing_price.errors import RegistryError
    from housing_price.registry.promotion import promote_version

    test = load_processed(settings.data.processed_dir).test
    outcome = promote_version(
        _connect(settings),
        settings.registry,
        test,
        to,
        version,
        force=force,
        reason=reason,
    )
    console.print(promotion_table(outcome))
    decision = outcome.decision
    if not outcome.applied:
        raise RegistryError(
            f"version {decision.challenger.version} was not promoted to "
            f"{decision.target!r}: {decision.reason}. Use --force --reason "
            '"..." to override.'
        )
    console.print(
        f"@{decision.target} → version {decision.challenger.version}"
        f"{' (forced)' if outcome.forced else ''}: "
        f"models:/{settings.registry.model_name}@{decision.target}"
    )


@app.command("rollback")
@reports_errors
def rollback_command(
    reason: ReasonOption = None,
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Point production back at the previous production version."""
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.registry.promotion import rollback_production

    outcome = rollback_production(_connect(settings), settings.registry, reason)
    registry = settings.registry
    console.print(
        f"@{registry.production_alias} → version {outcome.to_version} "
        f"(was {outcome.from_version}; @{registry.previous_production_alias} now "
        f"{outcome.from_version})"
    )


@app.command("history")
@reports_errors
def history_command(
    alias: Annotated[
        str | None,
        typer.Option(help="Alias to show; default: production."),
    ] = None,
    all_aliases: Annotated[
        bool, typer.Option("--all", help="Show the moves of every alias.")
    ] = False,
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Show the timeline of the production alias (who, when, why)."""
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.cli.registry_tables import history_table
    from housing_price.registry.history import read_history

    shown = None if all_aliases else alias or settings.registry.production_alias
    context = _connect(settings)
    moves = read_history(context.client, settings.registry.model_name, shown)
    title = f"History of {settings.registry.model_name}" + (
        f"@{shown}" if shown else ""
    )
    if not moves:
        console.print(f"{title}: no alias moves recorded yet")
        return
    console.print(history_table(title, moves))


@models_app.callback()
@reports_errors
def models_command(
    context: typer.Context,
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """List the registered versions with their aliases and key metrics."""
    if context.invoked_subcommand is not None:
        return
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.cli.registry_tables import versions_table
    from housing_price.registry.versions import list_versions

    versions = list_versions(_connect(settings), settings.registry)
    if not versions:
        console.print(f"{settings.registry.model_name} has no versions yet")
        return
    console.print(versions_table(settings.registry.model_name, versions))


@models_app.command("delete")
@reports_errors
def delete_command(
    version: Annotated[str, typer.Option("--version", help="Version to delete.")],
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Delete a version; refused while an alias points to it."""
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    from housing_price.registry.versions import delete_version

    delete_version(_connect(settings), settings.registry, version)
    console.print(f"Deleted version {version} of {settings.registry.model_name}")


@app.command("predict")
@reports_errors
def predict_command(
    input_path: Annotated[
        Path, typer.Option("--input", help="Rows to predict: a .csv or .json file.")
    ],
    alias: Annotated[
        str | None,
        typer.Option(help="Alias to load; default: production."),
    ] = None,
    version: VersionOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list instead of a table.")
    ] = False,
    config: ConfigOption = None,
    sets: SetOption = None,
    tracking_uri: TrackingUriOption = None,
) -> None:
    """Predict house values (dollars) for the rows of a CSV or JSON file."""
    settings = build_settings(config, sets, tracking_uri=tracking_uri)
    if alias is not None and version is not None:
        raise ValueError("give --alias or --version, not both")
    from housing_price.cli.registry_tables import predictions_table
    from housing_price.serving.loader import load_model

    loaded = load_model(alias=alias, version=version, settings=settings)
    predictions = loaded.predict_file(input_path)
    if as_json:
        console.print_json(json.dumps([float(value) for value in predictions]))
        return
    source = f" (@{loaded.alias})" if loaded.alias else ""
    console.print(f"{loaded.name} version {loaded.version}{source}: {loaded.model_uri}")
    console.print(predictions_table("Predicted house values (dollars)", predictions))


def _connect(settings: Any) -> Any:
    from housing_price.experiments.tracking import connect

    return connect(settings.tracking)
