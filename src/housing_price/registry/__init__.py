"""Register model versions and move their aliases."""

from housing_price.registry.registration import (
    RegisteredCandidate,
    find_best_candidate,
    register_candidate,
)
from housing_price.registry.versions import (
    find_alias_version,
    find_version,
    version_leaderboard,
)

__all__ = [
    "RegisteredCandidate",
    "find_alias_version",
    "find_best_candidate",
    "find_version",
    "register_candidate",
    "version_leaderboard",
]
