from __future__ import annotations

import mlflow
import pandas as pd
import pytest

from housing_price.config.settings import PromotionSettings, RegistrySettings
from housing_price.errors import RegistryError
from housing_price.experiments.runs import FAMILY_TAG, MODEL_URI_TAG
from housing_price.experiments.tracking import TrackingContext
from housing_price.registry.aliases import alias_map
from housing_price.registry.history import read_history
from housing_price.registry.promotion import (
    ScoredVersion,
    decide_promotion,
    promote_version,
    rollback_production,
)
from housing_price.registry.registration import register_candidate
from tests.model_store import Store


def _register(
    context: TrackingContext, store: Store, settings: RegistrySettings, name: str
) -> str:
    run = context.client.get_run(store.run_ids[name])
    return register_candidate(context, settings, run).version


def _register_ungated(
    context: TrackingContext, store: Store, settings: RegistrySettings, name: str
) -> str:
    """Register a run that no gate would let through, to act as a bad challenger."""
    run = context.client.get_run(store.run_ids[name])
    version = mlflow.register_model(
        run.data.tags[MODEL_URI_TAG],
        settings.model_name,
        tags={"family": run.data.tags[FAMILY_TAG]},
    )
    return str(version.version)


@pytest.fixture
def versions(
    context: TrackingContext, model_store: Store, permissive: RegistrySettings
) -> dict[str, str]:
    """Baseline, good and weak registered as versions 1, 2 and 3."""
    return {
        "baseline": _register(context, model_store, permissive, "baseline"),
        "good": _register(context, model_store, permissive, "good"),
        "weak": _register_ungated(context, model_store, permissive, "weak"),
    }


def _scored(version: str, rmse: float) -> ScoredVersion:
    return ScoredVersion(version, "decision_tree", {"rmse": rmse})


def test_a_slightly_worse_challenger_may_go_to_staging_but_not_production() -> None:
    rules = PromotionSettings(tolerance=0.01, min_improvement=0.005)
    challenger, champion = _scored("2", 50_300), _scored("1", 50_000)

    staging = decide_promotion("staging", challenger, champion, rules, "production")
    production = decide_promotion(
        "production", challenger, champion, rules, "production"
    )

    assert staging.accepted
    assert not production.accepted
    assert "minimum improvement" in production.reason


def test_a_challenger_beyond_the_tolerance_is_refused_everywhere() -> None:
    rules = PromotionSettings(tolerance=0.01, min_improvement=0.0)

    decision = decide_promotion(
        "staging", _scored("2", 51_000), _scored("1", 50_000), rules, "production"
    )

    assert not decision.accepted
    assert "tolerance" in decision.reason


def test_a_better_challenger_replaces_production_and_keeps_the_old_one(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    promote_version(context, registry, test_rows, "production", versions["baseline"])

    outcome = promote_version(
        context, registry, test_rows, "production", versions["good"]
    )

    assert outcome.applied and not outcome.forced
    assert outcome.decision.relative_change is not None
    assert outcome.decision.relative_change < -0.5
    aliases = alias_map(context.client, registry.model_name)
    assert aliases["production"] == versions["good"]
    assert aliases["previous-production"] == versions["baseline"]


def test_a_worse_challenger_leaves_production_where_it_was(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    promote_version(context, registry, test_rows, "production", versions["good"])

    outcome = promote_version(
        context, registry, test_rows, "production", versions["weak"]
    )

    assert not outcome.applied
    assert "tolerance" in outcome.decision.reason
    aliases = alias_map(context.client, registry.model_name)
    assert aliases["production"] == versions["good"]
    assert "previous-production" not in aliases


def test_force_with_a_reason_overrides_the_rules_and_records_the_reason(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    promote_version(context, registry, test_rows, "production", versions["good"])

    outcome = promote_version(
        context,
        registry,
        test_rows,
        "production",
        versions["weak"],
        force=True,
        reason="incident drill",
    )

    assert outcome.applied and outcome.forced
    last = read_history(context.client, registry.model_name, "production")[-1]
    assert last.forced
    assert last.reason.startswith("incident drill (forced")
    assert last.from_version == versions["good"]
    assert last.to_version == versions["weak"]


def test_force_without_a_reason_is_refused(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    with pytest.raises(RegistryError, match="--force needs --reason"):
        promote_version(
            context, registry, test_rows, "production", versions["weak"], force=True
        )


def test_promoting_to_production_defaults_to_the_staging_version(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    staging = alias_map(context.client, registry.model_name)["staging"]

    outcome = promote_version(context, registry, test_rows, "production")

    assert outcome.decision.challenger.version == staging == versions["good"]


def test_promoting_the_version_that_already_holds_the_alias_is_refused(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    with pytest.raises(RegistryError, match="already holds alias 'staging'"):
        promote_version(context, registry, test_rows, "staging", versions["good"])


def test_rollback_moves_production_back_in_one_step(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    promote_version(context, registry, test_rows, "production", versions["baseline"])
    promote_version(context, registry, test_rows, "production", versions["good"])

    outcome = rollback_production(context, registry, reason="bad latency")

    assert (outcome.from_version, outcome.to_version) == (
        versions["good"],
        versions["baseline"],
    )
    aliases = alias_map(context.client, registry.model_name)
    assert aliases["production"] == versions["baseline"]
    assert aliases["previous-production"] == versions["good"]


def test_rollback_without_a_previous_production_says_so(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    promote_version(context, registry, test_rows, "production", versions["good"])

    with pytest.raises(RegistryError, match="no 'previous-production'"):
        rollback_production(context, registry)


def test_history_shows_every_production_move_in_order(
    context: TrackingContext,
    registry: RegistrySettings,
    versions: dict[str, str],
    test_rows: pd.DataFrame,
) -> None:
    promote_version(context, registry, test_rows, "production", versions["baseline"])
    promote_version(context, registry, test_rows, "production", versions["good"])
    rollback_production(context, registry, reason="bad latency")

    moves = read_history(context.client, registry.model_name, "production")

    assert [(m.action, m.from_version, m.to_version) for m in moves] == [
        ("promote", None, versions["baseline"]),
        ("promote", versions["baseline"], versions["good"]),
        ("rollback", versions["good"], versions["baseline"]),
    ]
    assert moves[-1].reason == "bad latency"
    assert all(move.user and move.time.endswith("+00:00") for move in moves)
    assert (
        moves[1].metrics["challenger_test_rmse"]
        < moves[1].metrics["production_test_rmse"]
    )
