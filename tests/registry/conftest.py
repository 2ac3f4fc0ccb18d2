from __future__ import annotations

from pathlib import Path

import pytest

from housing_price.config.settings import (
    PromotionSettings,
    RegistrationGates,
    RegistrySettings,
)
from housing_price.experiments.tracking import TrackingContext
from tests.model_store import TEST, Store, copy_store


@pytest.fixture
def context(model_store: Store, tmp_path: Path) -> TrackingContext:
    """A private copy of the candidate store."""
    return copy_store(model_store, tmp_path / "store")


@pytest.fixture
def registry() -> RegistrySettings:
    """Gates that the good tree passes and rules with a 1 % tolerance."""
    return RegistrySettings(
        gates=RegistrationGates(max_test_rmse=60_000, min_baseline_improvement=0.05),
        promotion=PromotionSettings(tolerance=0.01, min_improvement=0.005),
    )


@pytest.fixture
def permissive() -> RegistrySettings:
    """Gates any candidate passes, to register weak versions on purpose."""
    return RegistrySettings(
        gates=RegistrationGates(max_test_rmse=1e9, min_baseline_improvement=0.0),
        promotion=PromotionSettings(tolerance=0.01, min_improvement=0.005),
    )


@pytest.fixture
def test_rows() -> object:
    return TEST
