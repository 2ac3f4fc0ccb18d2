"""Register model versions, gate them, and move their aliases (promotion)."""

from housing_price.registry.aliases import alias_map, move_alias
from housing_price.registry.gates import (
    GateReport,
    GateResult,
    check_registration_gates,
)
from housing_price.registry.history import AliasMove, read_history
from housing_price.registry.lookup import (
    find_alias_version,
    find_version,
    version_leaderboard,
)
from housing_price.registry.promotion import (
    PromotionDecision,
    PromotionOutcome,
    RollbackOutcome,
    ScoredVersion,
    decide_promotion,
    promote_version,
    rollback_production,
    score_version,
)
from housing_price.registry.registration import (
    RegisteredCandidate,
    find_best_candidate,
    register_candidate,
)
from housing_price.registry.versions import (
    VersionSummary,
    delete_version,
    list_versions,
)

__all__ = [
    "AliasMove",
    "GateReport",
    "GateResult",
    "PromotionDecision",
    "PromotionOutcome",
    "RegisteredCandidate",
    "RollbackOutcome",
    "ScoredVersion",
    "VersionSummary",
    "alias_map",
    "check_registration_gates",
    "decide_promotion",
    "delete_version",
    "find_alias_version",
    "find_best_candidate",
    "find_version",
    "list_versions",
    "move_alias",
    "promote_version",
    "read_history",
    "register_candidate",
    "rollback_production",
    "score_version",
    "version_leaderboard",
]
