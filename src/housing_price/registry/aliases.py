"""Move aliases of a registered model, recording every move."""

from __future__ import annotations

import logging

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from housing_price.errors import RegistryError
from housing_price.registry.history import new_move, record_alias_move

logger = logging.getLogger(__name__)


def alias_map(client: MlflowClient, model_name: str) -> dict[str, str]:
    """Return alias -> version of a registered model.

    Raises:
        RegistryError: The registered model does not exist.
    """
    try:
        registered = client.get_registered_model(model_name)
    except MlflowException as err:
        raise RegistryError(
            f"registered model {model_name!r} does not exist: {err.message}. "
            "Register a version first with `housing-price register`."
        ) from err
    return {alias: str(version) for alias, version in registered.aliases.items()}


def move_alias(
    client: MlflowClient,
    model_name: str,
    alias: str,
    version: str,
    *,
    action: str,
    reason: str,
    forced: bool = False,
    metrics: dict[str, float] | None = None,
) -> str | None:
    """Point `alias` at `version` and record the move.

    Returns:
        The version the alias pointed to before, or None if it was new.

    Raises:
        RegistryError: The registry refuses the alias.
    """
    previous = alias_map(client, model_name).get(alias)
    try:
        client.set_registered_model_alias(model_name, alias, version)
    except MlflowException as err:
        raise RegistryError(
            f"could not point alias {alias!r} of {model_name!r} at version "
            f"{version}: {err.message}"
        ) from err
    record_alias_move(
        client,
        model_name,
        new_move(
            alias,
            action,
            previous,
            version,
            reason,
            forced=forced,
            metrics=metrics,
        ),
    )
    logger.info(
        "Moved alias %s of %s from version %s to %s",
        alias,
        model_name,
        previous or "(none)",
        version,
    )
    return previous
