"""Champion/challenger promotion between aliases, and rollback of production.

Both models are re-scored on the same current test rows, so a promotion
compares like with like even when the versions were trained on different days.
Aliases move before anything else changes, and every move is recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import mlflow
import pandas as pd
from mlflow.exceptions import MlflowException

from housing_price.config.settings import PromotionSettings, RegistrySettings
from housing_price.data.schema import FEATURES, TARGET
from housing_price.errors import RegistryError
from housing_price.evaluation.metrics import regression_metrics
from housing_price.experiments.tracking import TrackingContext
from housing_price.registry.aliases import alias_map, move_alias

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoredVersion:
    """A model version and its metrics on the current test rows (dollars)."""

    version: str
    family: str
    metrics: dict[str, float]

    @property
    def rmse(self) -> float:
        """Test RMSE in dollars."""
        return self.metrics["rmse"]


@dataclass(frozen=True)
class PromotionDecision:
    """What the rules say about moving `target` to the challenger."""

    target: str
    challenger: ScoredVersion
    champion: ScoredVersion | None
    accepted: bool
    reason: str

    @property
    def relative_change(self) -> float | None:
        """Challenger RMSE relative to production's; negative is better."""
        if self.champion is None:
            return None
        return (self.challenger.rmse - self.champion.rmse) / self.champion.rmse


@dataclass(frozen=True)
class PromotionOutcome:
    """A decision and whether the alias moved (it may be forced or refused)."""

    decision: PromotionDecision
    applied: bool
    forced: bool
    reason: str


@dataclass(frozen=True)
class RollbackOutcome:
    """Production moved back from one version to another."""

    from_version: str
    to_version: str


def decide_promotion(
    target: str,
    challenger: ScoredVersion,
    champion: ScoredVersion | None,
    rules: PromotionSettings,
    production_alias: str,
) -> PromotionDecision:
    """Apply the champion/challenger rules; no registry access.

    A challenger worse than production by more than `rules.tolerance` is
    refused for any alias. To become production it must also be better by at
    least `rules.min_improvement`. Without a production model it is accepted.
    """
    if champion is None:
        return PromotionDecision(
            target, challenger, None, True, "there is no production model yet"
        )
    change = (challenger.rmse - champion.rmse) / champion.rmse
    comparison = (
        f"test RMSE ${challenger.rmse:,.0f} vs production's ${champion.rmse:,.0f} "
        f"({change:+.2%})"
    )
    if change > rules.tolerance:
        return PromotionDecision(
            target,
            challenger,
            champion,
            False,
            f"{comparison} is worse than the {rules.tolerance:.2%} tolerance "
            "(registry.promotion.tolerance)",
        )
    if target == production_alias and -change < rules.min_improvement:
        return PromotionDecision(
            target,
            challenger,
            champion,
            False,
            f"{comparison} misses the {rules.min_improvement:.2%} minimum "
            "improvement (registry.promotion.min_improvement)",
        )
    return PromotionDecision(
        target, challenger, champion, True, f"{comparison} meets the rules"
    )


def score_version(
    context: TrackingContext, model_name: str, version: str, test: pd.DataFrame
) -> ScoredVersion:
    """Load a model version and measure it on `test` (features and target).

    Raises:
        RegistryError: The version does not exist or does not load.
    """
    try:
        model_version = context.client.get_model_version(model_name, version)
        model = mlflow.pyfunc.load_model(f"models:/{model_name}/{version}")
    except MlflowException as err:
        raise RegistryError(
            f"version {version} of {model_name!r} cannot be loaded: {err.message}. "
            "List the versions with `housing-price models`."
        ) from err
    predictions = model.predict(test[list(FEATURES)])
    metrics = regression_metrics(test[TARGET], predictions)
    logger.info(
        "Version %s of %s scores test RMSE %.0f on %d rows",
        version,
        model_name,
        metrics["rmse"],
        len(test),
    )
    return ScoredVersion(
        version=str(version),
        family=model_version.tags.get("family", "unknown"),
        metrics=metrics,
    )


def promote_version(
    context: TrackingContext,
    settings: RegistrySettings,
    test: pd.DataFrame,
    target: str,
    version: str | None = None,
    *,
    force: bool = False,
    reason: str | None = None,
) -> PromotionOutcome:
    """Re-score challenger and production, then move `target` if the rules allow.

    Promoting to production hands the old production version the
    previous-production alias first, so `rollback_production` can undo it.

    Args:
        context: Connected tracking and registry store.
        settings: Registry names, aliases and promotion rules.
        test: Current test rows with the target column.
        target: The staging or the production alias.
        version: The challenger; by default staging's version when promoting
            to production, the newest version when promoting to staging.
        force: Move the alias even if the rules refuse; needs `reason`.
        reason: Why, recorded with the move.

    Returns:
        The decision and whether the alias moved.

    Raises:
        RegistryError: Unknown target or version, the challenger already
            holds the alias, or `force` without a reason.
    """
    name = settings.model_name
    production = settings.production_alias
    if target not in (settings.staging_alias, production):
        raise RegistryError(
            f"cannot promote to {target!r}; choose {settings.staging_alias!r} or "
            f"{production!r}"
        )
    if force and not (reason and reason.strip()):
        raise RegistryError(
            '--force needs --reason "..." saying why the promotion rules are '
            "overridden; the reason is recorded in the history"
        )
    aliases = alias_map(context.client, name)
    challenger_version = version or _default_challenger(context, settings, target)
    if aliases.get(target) == challenger_version:
        raise RegistryError(
            f"version {challenger_version} of {name!r} already holds alias {target!r}"
        )

    challenger = score_version(context, name, challenger_version, test)
    champion_version = aliases.get(production)
    champion = (
        score_version(context, name, champion_version, test)
        if champion_version is not None and champion_version != challenger_version
        else None
    )
    decision = decide_promotion(
        target, challenger, champion, settings.promotion, production
    )
    if not decision.accepted and not force:
        logger.info("Promotion to %s refused: %s", target, decision.reason)
        return PromotionOutcome(decision, applied=False, forced=False, reason="")

    forced = not decision.accepted
    recorded_reason = (
        f"{reason.strip()} (forced; the rules said: {decision.reason})"
        if forced and reason
        else (reason.strip() if reason else decision.reason)
    )
    metrics = _move_metrics(decision)
    if target == production and champion_version is not None:
        move_alias(
            context.client,
            name,
            settings.previous_production_alias,
            champion_version,
            action="promote",
            reason=f"replaced by version {challenger_version}: {recorded_reason}",
            forced=forced,
            metrics=metrics,
        )
    move_alias(
        context.client,
        name,
        target,
        challenger_version,
        action="promote",
        reason=recorded_reason,
        forced=forced,
        metrics=metrics,
    )
    return PromotionOutcome(
        decision, applied=True, forced=forced, reason=recorded_reason
    )


def rollback_production(
    context: TrackingContext, settings: RegistrySettings, reason: str | None = None
) -> RollbackOutcome:
    """Point production back at previous-production, swapping the two aliases.

    Swapping keeps one step of undo: a second rollback restores the version
    that was rolled back.

    Raises:
        RegistryError: There is no previous-production version to return to.
    """
    name = settings.model_name
    aliases = alias_map(context.client, name)
    previous = aliases.get(settings.previous_production_alias)
    current = aliases.get(settings.production_alias)
    if previous is None or current is None:
        raise RegistryError(
            f"{name!r} has no {settings.previous_production_alias!r} and "
            f"{settings.production_alias!r} pair to roll back (aliases: "
            f"{aliases or 'none'}); promote a version to production first"
        )

    text = reason or f"rollback from version {current}"
    move_alias(
        context.client,
        name,
        settings.production_alias,
        previous,
        action="rollback",
        reason=text,
    )
    move_alias(
        context.client,
        name,
        settings.previous_production_alias,
        current,
        action="rollback",
        reason=text,
    )
    return RollbackOutcome(from_version=current, to_version=previous)


def _default_challenger(
    context: TrackingContext, settings: RegistrySettings, target: str
) -> str:
    name = settings.model_name
    if target == settings.production_alias:
        staging = alias_map(context.client, name).get(settings.staging_alias)
        if staging is None:
            raise RegistryError(
                f"{name!r} has no {settings.staging_alias!r} alias to promote; pass "
                "--version N or register a model first"
            )
        return staging
    versions = context.client.search_model_versions(f"name = '{name}'")
    if not versions:
        raise RegistryError(f"{name!r} has no versions; run `housing-price register`")
    return str(max(int(v.version) for v in versions))


def _move_metrics(decision: PromotionDecision) -> dict[str, float]:
    metrics = {
        f"challenger_test_{key}": value
        for key, value in decision.challenger.metrics.items()
    }
    if decision.champion is not None:
        metrics.update(
            {
                f"production_test_{key}": value
                for key, value in decision.champion.metrics.items()
            }
        )
    return metrics
