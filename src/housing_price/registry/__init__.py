"""Register model versions and move their aliases."""

from housing_price.registry.registration import (
    RegisteredCandidate,
    find_best_candidate,
    register_candidate,
)

__all__ = ["RegisteredCandidate", "find_best_candidate", "register_candidate"]
