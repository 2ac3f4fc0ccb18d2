from __future__ import annotations

import pytest

from housing_price.config.settings import RegistrySettings
from housing_price.errors import RegistryError
from housing_price.experiments.tracking import TrackingContext
from housing_price.registry.registration import register_candidate
from housing_price.registry.versions import delete_version, list_versions
from tests.model_store import Store


def _register_two(
    context: TrackingContext, store: Store, settings: RegistrySettings
) -> None:
    for name in ("baseline", "good"):
        register_candidate(
            context, settings, context.client.get_run(store.run_ids[name])
        )


def test_versions_are_listed_newest_first_with_aliases_and_metrics(
    context: TrackingContext, model_store: Store, permissive: RegistrySettings
) -> None:
    _register_two(context, model_store, permissive)

    versions = list_versions(context, permissive)

    assert [v.version for v in versions] == ["2", "1"]
    assert versions[0].aliases == ("staging",)
    assert versions[1].aliases == ()
    assert versions[0].family == "decision_tree"
    assert versions[0].metrics["test_rmse"] < versions[1].metrics["test_rmse"]


def test_deleting_a_version_that_holds_an_alias_is_refused(
    context: TrackingContext, model_store: Store, permissive: RegistrySettings
) -> None:
    _register_two(context, model_store, permissive)

    with pytest.raises(RegistryError, match=r"version 2 .* holds alias.*staging"):
        delete_version(context, permissive, "2")

    assert context.client.get_model_version(permissive.model_name, "2")


def test_a_version_without_aliases_can_be_deleted(
    context: TrackingContext, model_store: Store, permissive: RegistrySettings
) -> None:
    _register_two(context, model_store, permissive)

    delete_version(context, permissive, "1")

    assert [v.version for v in list_versions(context, permissive)] == ["2"]
