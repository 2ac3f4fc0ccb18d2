"""Find registered versions by number or alias; page through them for leaderboards."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from mlflow.entities.model_registry import ModelVersion
from mlflow.exceptions import MlflowException

from housing_price.errors import RegistryError
from housing_price.experiments.tracking import TrackingContext

logger = logging.getLogger(__name__)

VERSION_METRICS = ("cv_rmse_mean", "cv_rmse_std", "test_rmse", "test_mae", "test_r2")


def find_version(
    context: TrackingContext,
    name: str,
    version: str | None = None,
    alias: str | None = None,
) -> ModelVersion:
    """Return version `version` of `name`, or the one `alias` points at.

    Raises:
        ValueError: Both or neither of version and alias were given.
        RegistryError: No such model, version or alias.
    """
    if (version is None) == (alias is None):
        raise ValueError("give exactly one of a version number or an alias")
    try:
        if alias is not None:
            return context.client.get_model_version_by_alias(name, alias)
        return context.client.get_model_version(name, str(version))
    except MlflowException as err:
        wanted = f"alias {alias!r}" if alias is not None else f"version {version}"
        raise RegistryError(
            f"registered model {name!r} has no {wanted} on {context.tracking_uri}: "
            f"{err.message}. List the versions with `housing-price compare "
            "--versions`."
        ) from err


def find_alias_version(
    context: TrackingContext, name: str, alias: str
) -> ModelVersion | None:
    """The version `alias` points at, or None when the alias or model is absent."""
    try:
        return context.client.get_model_version_by_alias(name, alias)
    except MlflowException:
        return None


def version_leaderboard(
    context: TrackingContext, name: str, family: str | None, page_size: int
) -> Iterator[dict[str, Any]]:
    """Yield one row per version of `name`, newest first, from the registry.

    The registry can sort versions by their own attributes only, not by the
    metric tags registration gives them, so versions come newest first; the
    metrics are the ones recorded when each was registered.

    Raises:
        RegistryError: The registry refuses the search.
    """
    aliases = _aliases_by_version(context, name)
    filters = [f"name = '{_quoted(name)}'"]
    if family is not None:
        filters.append(f"tags.family = '{_quoted(family)}'")
    page_token: str | None = None
    while True:
        try:
            page = context.client.search_model_versions(
                " and ".join(filters),
                max_results=page_size,
                order_by=["version_number DESC"],
                page_token=page_token,
            )
        except MlflowException as err:
            raise RegistryError(
                f"cannot list the versions of {name!r} on {context.tracking_uri}: "
                f"{err.message}"
            ) from err
        for version in page:
            yield _version_row(version, aliases.get(str(version.version), []))
        page_token = page.token
        if not page_token:
            return


def _aliases_by_version(context: TrackingContext, name: str) -> dict[str, list[str]]:
    # Version searches leave aliases out; the registered model lists them all.
    try:
        model = context.client.get_registered_model(name)
    except MlflowException as err:
        raise RegistryError(
            f"registered model {name!r} does not exist on {context.tracking_uri}: "
            f"{err.message}. Register a model first (`housing-price register`)."
        ) from err
    by_version: dict[str, list[str]] = {}
    for alias, version in (model.aliases or {}).items():
        by_version.setdefault(str(version), []).append(alias)
    return by_version


def _version_row(version: ModelVersion, aliases: list[str]) -> dict[str, Any]:
    tags = version.tags or {}
    return {
        "name": version.name,
        "version": int(version.version),
        "aliases": ",".join(sorted(aliases)),
        "family": tags.get("family", ""),
        "run_id": version.run_id or "",
        **{metric: _number(tags.get(metric)) for metric in VERSION_METRICS},
        "created": datetime.fromtimestamp(
            version.creation_timestamp / 1000, tz=UTC
        ).isoformat(timespec="seconds"),
    }


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _quoted(value: str) -> str:
    if "'" in value:
        raise ValueError(
            f"a name used in a registry search cannot contain a quote: {value!r}"
        )
    return value
