"""List the versions of the registered model and delete unused ones."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from mlflow.exceptions import MlflowException

from housing_price.config.settings import RegistrySettings
from housing_price.errors import RegistryError
from housing_price.experiments.tracking import TrackingContext
from housing_price.registry.aliases import alias_map

logger = logging.getLogger(__name__)

KEY_METRICS = ("cv_rmse_mean", "test_rmse", "test_r2")


@dataclass(frozen=True)
class VersionSummary:
    """One model version as `housing-price models` shows it."""

    version: str
    aliases: tuple[str, ...]
    family: str
    metrics: dict[str, float]
    run_id: str
    created_ms: int


def list_versions(
    context: TrackingContext, settings: RegistrySettings
) -> list[VersionSummary]:
    """Return every version of the registered model, newest first."""
    found = context.client.search_model_versions(f"name = '{settings.model_name}'")
    # Searched versions come without their aliases, so read them from the model.
    aliases_by_version: dict[str, list[str]] = {}
    if found:
        for alias, version in alias_map(context.client, settings.model_name).items():
            aliases_by_version.setdefault(version, []).append(alias)
    summaries = [
        VersionSummary(
            version=str(version.version),
            aliases=tuple(sorted(aliases_by_version.get(str(version.version), []))),
            family=version.tags.get("family", "unknown"),
            metrics={
                name: float(version.tags[name])
                for name in KEY_METRICS
                if name in version.tags
            },
            run_id=str(version.run_id),
            created_ms=int(version.creation_timestamp),
        )
        for version in found
    ]
    return sorted(summaries, key=lambda summary: int(summary.version), reverse=True)


def delete_version(
    context: TrackingContext, settings: RegistrySettings, version: str
) -> None:
    """Delete a model version that no alias points to.

    Raises:
        RegistryError: The version does not exist or still holds an alias;
            MLflow would drop the alias silently, so move it first.
    """
    name = settings.model_name
    try:
        model_version = context.client.get_model_version(name, version)
    except MlflowException as err:
        raise RegistryError(
            f"{name!r} has no version {version}: {err.message}. "
            "List the versions with `housing-price models`."
        ) from err
    if model_version.aliases:
        held = ", ".join(sorted(model_version.aliases))
        raise RegistryError(
            f"version {version} of {name!r} holds alias(es) {held} and was not "
            "deleted; move them first (`housing-price promote --to ALIAS "
            "--version N` or `housing-price rollback`), then delete it"
        )
    context.client.delete_model_version(name, version)
    logger.info("Deleted version %s of %s", version, name)
