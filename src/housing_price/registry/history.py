"""The record of every alias move, kept as tags of the registered model.

One tag per move, keyed by its time, so writers never rewrite each other's
entries and the registry alone tells who moved which alias, when and why.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from housing_price.errors import RegistryError

logger = logging.getLogger(__name__)

HISTORY_TAG_PREFIX = "housing_price.alias_move."


@dataclass(frozen=True)
class AliasMove:
    """One change of the version an alias points to.

    Attributes:
        time: When it happened, ISO 8601 in UTC.
        user: Login name of whoever ran the command.
        alias: The alias that moved.
        action: What moved it: register, promote, rollback.
        from_version: Version the alias left; None when it was new.
        to_version: Version the alias points to now.
        reason: Why, in the user's words or the rule that decided.
        forced: Whether `--force` overrode the promotion rules.
        metrics: Test metrics behind the decision (RMSE and MAE in dollars).
    """

    time: str
    user: str
    alias: str
    action: str
    from_version: str | None
    to_version: str
    reason: str
    forced: bool = False
    metrics: dict[str, float] = field(default_factory=dict)


def current_user() -> str:
    """The login name recorded with each move, or `unknown` without one."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No passwd entry (some containers) and no LOGNAME/USER variables.
        return os.environ.get("HOUSING_PRICE_USER", "unknown")


def record_alias_move(client: MlflowClient, model_name: str, move: AliasMove) -> None:
    """Store one move as a tag of the registered model.

    Raises:
        RegistryError: The registry refuses the tag.
    """
    key = f"{HISTORY_TAG_PREFIX}{time.time_ns():020d}.{uuid.uuid4().hex[:6]}"
    try:
        client.set_registered_model_tag(model_name, key, json.dumps(asdict(move)))
    except MlflowException as err:
        raise RegistryError(
            f"moved alias {move.alias!r} of {model_name!r} but could not record it: "
            f"{err.message}"
        ) from err
    logger.debug("Recorded alias move %s", move)


def read_history(
    client: MlflowClient, model_name: str, alias: str | None = None
) -> list[AliasMove]:
    """Return the recorded moves, oldest first, optionally of one alias only.

    Raises:
        RegistryError: The registered model does not exist.
    """
    try:
        tags = client.get_registered_model(model_name).tags
    except MlflowException as err:
        raise RegistryError(
            f"registered model {model_name!r} does not exist: {err.message}. "
            "Register a version first with `housing-price register`."
        ) from err
    moves = [
        AliasMove(**json.loads(value))
        for key, value in sorted(tags.items())
        if key.startswith(HISTORY_TAG_PREFIX)
    ]
    return [move for move in moves if alias is None or move.alias == alias]


def new_move(
    alias: str,
    action: str,
    from_version: str | None,
    to_version: str,
    reason: str,
    *,
    forced: bool = False,
    metrics: dict[str, float] | None = None,
) -> AliasMove:
    """Build a move stamped with the current time and user."""
    return AliasMove(
        time=datetime.now(UTC).isoformat(timespec="seconds"),
        user=current_user(),
        alias=alias,
        action=action,
        from_version=from_version,
        to_version=to_version,
        reason=reason,
        forced=forced,
        metrics=dict(metrics or {}),
    )
