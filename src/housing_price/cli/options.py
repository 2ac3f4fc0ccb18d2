"""Options shared by the commands, and turning them into `Settings`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from housing_price.config.settings import Settings

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="YAML config file (see configs/).", show_default=False
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override one setting, e.g. --set cv.folds=10 (repeatable).",
        metavar="KEY=VALUE",
        show_default=False,
    ),
]
SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="Local housing.csv or housing.tgz instead of the download; "
        "the environment variable HOUSING_PRICE_DATA_SOURCE does the same",
        show_default=False,
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", help="Seed of the split, the folds, the search and models."),
]
MaxEvalsOption = Annotated[
    int | None, typer.Option("--max-evals", help="Hyperopt trials per tuned family.")
]
TrackingUriOption = Annotated[
    str | None,
    typer.Option(
        "--tracking-uri",
        help="MLflow tracking and registry URI; default from MLFLOW_TRACKING_URI "
        "or the config",
        show_default=False,
    ),
]


def build_settings(
    config: Path | None,
    sets: list[str] | None,
    *,
    source: str | None = None,
    seed: int | None = None,
    max_evals: int | None = None,
    tracking_uri: str | None = None,
) -> Settings:
    """Resolve settings: defaults, then the file, environment, --set, then flags."""
    from housing_price.config.loading import load_settings

    overrides = list(sets or [])
    shortcuts = {
        "data.source": source,
        "seed": seed,
        "tuning.max_evals": max_evals,
        "tracking.uri": tracking_uri,
    }
    # JSON is valid YAML: a path such as "housing #2.csv" or "[2024].csv" stays
    # the exact string typed instead of being read as YAML syntax.
    overrides += [
        f"{key}={json.dumps(value)}"
        for key, value in shortcuts.items()
        if value is not None
    ]
    return load_settings(config, overrides)
