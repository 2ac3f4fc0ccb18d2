from __future__ import annotations

import mlflow
import pytest

from housing_price.config.settings import RegistrationGates, RegistrySettings
from housing_price.errors import RegistryError
from housing_price.experiments.runs import (
    FAMILY_TAG,
    MODEL_URI_TAG,
    ROLE_TAG,
    TRAINING_ID_TAG,
)
from housing_price.experiments.tracking import TrackingContext
from housing_price.registry.gates import check_registration_gates
from housing_price.registry.registration import (
    REGISTRATION_TAG,
    REJECTION_REASON_TAG,
    register_candidate,
)
from tests.model_store import Store


def _run(context: TrackingContext, store: Store, name: str):  # type: ignore[no-untyped-def]
    return context.client.get_run(store.run_ids[name])


def _has_versions(context: TrackingContext, name: str) -> bool:
    return bool(context.client.search_model_versions(f"name = '{name}'"))


def test_a_good_candidate_passes_every_gate_and_is_registered_as_staging(
    context: TrackingContext, model_store: Store, registry: RegistrySettings
) -> None:
    run = _run(context, model_store, "good")

    report = check_registration_gates(context, registry.gates, run)
    registered = register_candidate(context, registry, run)

    assert report.passed, report.reason
    assert [r.name for r in report.results] == [
        "threshold",
        "baseline",
        "signature",
        "predicts",
    ]
    version = context.client.get_model_version_by_alias(registry.model_name, "staging")
    assert str(version.version) == registered.version == "1"
    assert context.client.get_run(run.info.run_id).data.tags[REGISTRATION_TAG] == (
        "passed"
    )


def test_a_candidate_above_the_rmse_threshold_is_rejected_with_the_reason(
    context: TrackingContext, model_store: Store
) -> None:
    strict = RegistrySettings(gates=RegistrationGates(max_test_rmse=1_000))
    run = _run(context, model_store, "good")

    with pytest.raises(RegistryError, match=r"was not registered: test RMSE .* above"):
        register_candidate(context, strict, run)

    tags = context.client.get_run(run.info.run_id).data.tags
    assert tags[REGISTRATION_TAG] == "rejected"
    assert "registry.gates.max_test_rmse" in tags[REJECTION_REASON_TAG]
    assert not _has_versions(context, strict.model_name)


def test_a_candidate_that_does_not_beat_the_baseline_is_rejected(
    context: TrackingContext, model_store: Store
) -> None:
    settings = RegistrySettings(
        gates=RegistrationGates(max_test_rmse=1e9, min_baseline_improvement=0.05)
    )
    run = _run(context, model_store, "weak")

    with pytest.raises(RegistryError, match="linear_regression baseline"):
        register_candidate(context, settings, run)

    reason = context.client.get_run(run.info.run_id).data.tags[REJECTION_REASON_TAG]
    assert "improvement; misses the required 5.0%" in reason
    assert not _has_versions(context, settings.model_name)


def test_the_baseline_itself_cannot_pass_a_positive_margin(
    context: TrackingContext, model_store: Store
) -> None:
    gates = RegistrationGates(max_test_rmse=1e9, min_baseline_improvement=0.01)

    report = check_registration_gates(
        context, gates, _run(context, model_store, "baseline")
    )

    assert not report.passed
    assert [r.name for r in report.results if not r.passed] == ["baseline"]


def test_a_version_carries_description_tags_and_feature_schema(
    context: TrackingContext, model_store: Store, registry: RegistrySettings
) -> None:
    run = _run(context, model_store, "good")

    registered = register_candidate(context, registry, run)

    version = context.client.get_model_version(registry.model_name, registered.version)
    assert version.tags["family"] == "decision_tree"
    assert version.tags["run_id"] == run.info.run_id
    assert {"cv_rmse_mean", "test_rmse", "data_sha256", "git_commit", "seed"} <= set(
        version.tags
    )
    assert version.tags["feature_schema"].endswith(
        "extra_files/feature_requirements.json"
    )
    assert "| test_rmse |" in version.description
    assert "| max_depth | 8 |" in version.description


def test_a_model_without_signature_is_rejected_before_any_version_exists(
    context: TrackingContext, model_store: Store, registry: RegistrySettings
) -> None:
    good = _run(context, model_store, "good")
    pipeline = mlflow.sklearn.load_model(good.data.tags[MODEL_URI_TAG])
    with mlflow.start_run(
        experiment_id=good.info.experiment_id,
        tags={
            key: good.data.tags[key] for key in (ROLE_TAG, FAMILY_TAG, TRAINING_ID_TAG)
        },
    ) as active:
        mlflow.log_metric("test_rmse", good.data.metrics["test_rmse"])
        info = mlflow.sklearn.log_model(
            pipeline, name="model", serialization_format="cloudpickle"
        )
        mlflow.set_tag(MODEL_URI_TAG, info.model_uri)
    run = context.client.get_run(active.info.run_id)

    with pytest.raises(RegistryError, match="has no input signature"):
        register_candidate(context, registry, run)

    assert not _has_versions(context, registry.model_name)
