"""Registered versions: lookup by number or alias, and the paged leaderboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from housing_price.config.settings import TrackingSettings
from housing_price.errors import RegistryError
from housing_price.experiments.tracking import TrackingContext, connect
from housing_price.registry.lookup import (
    find_alias_version,
    find_version,
    version_leaderboard,
)
from tests.conftest import mlflow_uri_environment

MODEL = "housing-price"
FAMILIES = ("decision_tree", "linear_regression", "decision_tree", "decision_tree")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrackingContext]:
    directory: Path = tmp_path_factory.mktemp("versions")
    uri = f"sqlite:///{directory}/mlflow.db"
    with mlflow_uri_environment(uri):
        context = connect(
            TrackingSettings(uri=uri, artifact_location=directory / "mlartifacts")
        )
        context.client.create_registered_model(MODEL)
        for number, family in enumerate(FAMILIES, start=1):
            context.client.create_model_version(
                MODEL,
                source=(directory / f"model-{number}").as_uri(),
                tags={"family": family, "cv_rmse_mean": str(50_000 + number)},
            )
        context.client.set_registered_model_alias(MODEL, "staging", "4")
        context.client.set_registered_model_alias(MODEL, "production", "2")
        yield context


def test_versions_beyond_one_page_all_come_back_newest_first(
    registry: TrackingContext,
) -> None:
    rows = list(version_leaderboard(registry, MODEL, None, 1))

    assert [row["version"] for row in rows] == [4, 3, 2, 1]
    assert [row["aliases"] for row in rows] == ["staging", "", "production", ""]
    assert rows[0]["cv_rmse_mean"] == 50_004.0


def test_version_leaderboard_filters_by_family(registry: TrackingContext) -> None:
    rows = list(version_leaderboard(registry, MODEL, "linear_regression", 2))

    assert [row["version"] for row in rows] == [2]


def test_find_version_by_alias_or_number(registry: TrackingContext) -> None:
    assert str(find_version(registry, MODEL, alias="production").version) == "2"
    assert str(find_version(registry, MODEL, version="3").version) == "3"


def test_a_missing_alias_is_a_registry_error(registry: TrackingContext) -> None:
    with pytest.raises(RegistryError, match="has no alias 'archived'"):
        find_version(registry, MODEL, alias="archived")
    assert find_alias_version(registry, MODEL, "archived") is None


def test_unknown_model_is_a_registry_error(registry: TrackingContext) -> None:
    with pytest.raises(RegistryError, match="'other' does not exist"):
        list(version_leaderboard(registry, "other", None, 5))
