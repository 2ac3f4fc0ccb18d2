"""Register the best candidate of a training as a model version and alias it.

A candidate must pass the registration gates first; a rejected one gets the
reason as a run tag and no version. Versions get their metrics, provenance and
feature schema as tags, so the registry alone tells where a model came from;
aliases (not the deprecated stages) mark its status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import mlflow
from mlflow.entities import Run
from mlflow.exceptions import MlflowException

from housing_price.config.settings import RegistrySettings
from housing_price.errors import RegistryError, TrackingError
from housing_price.experiments.candidates import find_training_candidates
from housing_price.experiments.manifest import record_registration
from housing_price.experiments.runs import (
    FAMILY_TAG,
    MODEL_URI_TAG,
    TAG_PREFIX,
)
from housing_price.experiments.tracking import TrackingContext
from housing_price.registry.aliases import move_alias
from housing_price.registry.gates import GateReport, check_registration_gates

logger = logging.getLogger(__name__)

_VERSION_METRICS = (
    "cv_rmse_mean",
    "cv_rmse_std",
    "cv_mae_mean",
    "cv_r2_mean",
    "test_rmse",
    "test_mae",
    "test_r2",
    "test_mape",
)
_PROVENANCE_TAGS = ("data_sha256", "git_commit", "git_dirty", "seed", "config_hash")
FEATURE_SCHEMA_FILE = "extra_files/feature_requirements.json"
REGISTRATION_TAG = f"{TAG_PREFIX}registration"
REJECTION_REASON_TAG = f"{TAG_PREFIX}registration_rejected"


@dataclass(frozen=True)
class RegisteredCandidate:
    """A model version created from a candidate run."""

    name: str
    version: str
    alias: str
    run_id: str
    family: str
    model_uri: str


def find_best_candidate(
    context: TrackingContext, training_id: str | None = None
) -> Run:
    """Return the finished candidate run with the lowest mean CV RMSE.

    Args:
        context: Connected tracking store and experiment.
        training_id: Limit the choice to one `train` call; by default the most
            recent one, so candidates from old trainings never compete.

    Raises:
        RegistryError: No finished candidate run exists.
    """
    try:
        return find_training_candidates(context, training_id)[0]
    except TrackingError as err:
        raise RegistryError(str(err)) from err


def register_candidate(
    context: TrackingContext, settings: RegistrySettings, run: Run
) -> RegisteredCandidate:
    """Gate a candidate run, create a model version and point staging at it.

    Raises:
        RegistryError: A gate failed (the reason is also tagged on the run),
            the run has no logged model, or the registry refuses.
    """
    tags = run.data.tags
    model_uri = tags.get(MODEL_URI_TAG)
    if not model_uri:
        raise RegistryError(
            f"run {run.info.run_id} has no logged model ({MODEL_URI_TAG} tag); "
            "only runs made by `housing-price train` can be registered"
        )
    report = check_registration_gates(context, settings.gates, run)
    _tag_gate_outcome(context, run, report)
    if not report.passed:
        raise RegistryError(
            f"run {run.info.run_id} ({tags.get(FAMILY_TAG, 'unknown')}) was not "
            f"registered: {report.reason}. Train a better model or change "
            "registry.gates in the config."
        )

    version_tags = _version_tags(run, model_uri)
    try:
        version = mlflow.register_model(
            model_uri, settings.model_name, tags=version_tags
        )
        context.client.update_model_version(
            settings.model_name,
            version.version,
            description=_describe(run, version_tags),
        )
        record_registration(
            context, run.info.run_id, settings.model_name, str(version.version)
        )
    except MlflowException as err:
        raise RegistryError(
            f"could not register {model_uri} as {settings.model_name!r} on "
            f"{context.tracking_uri}: {err.message}"
        ) from err
    move_alias(
        context.client,
        settings.model_name,
        settings.staging_alias,
        str(version.version),
        action="register",
        reason=report.reason,
        metrics=_test_metrics(run),
    )

    logger.info(
        "Registered %s version %s (%s) and set alias %s",
        settings.model_name,
        version.version,
        version_tags["family"],
        settings.staging_alias,
    )
    return RegisteredCandidate(
        name=settings.model_name,
        version=str(version.version),
        alias=settings.staging_alias,
        run_id=run.info.run_id,
        family=version_tags["family"],
        model_uri=model_uri,
    )


def _tag_gate_outcome(context: TrackingContext, run: Run, report: GateReport) -> None:
    tags = {REGISTRATION_TAG: "passed" if report.passed else "rejected"}
    if not report.passed:
        tags[REJECTION_REASON_TAG] = report.reason
    for key, value in tags.items():
        context.client.set_tag(run.info.run_id, key, value)


def _version_tags(run: Run, model_uri: str) -> dict[str, str]:
    tags = run.data.tags
    return {
        "family": tags.get(FAMILY_TAG, "unknown"),
        "run_id": run.info.run_id,
        "feature_schema": f"{model_uri}/{FEATURE_SCHEMA_FILE}",
        **{
            name: f"{run.data.metrics[name]:.6g}"
            for name in _VERSION_METRICS
            if name in run.data.metrics
        },
        **{
            name: tags[f"{TAG_PREFIX}{name}"]
            for name in _PROVENANCE_TAGS
            if f"{TAG_PREFIX}{name}" in tags
        },
    }


def _test_metrics(run: Run) -> dict[str, float]:
    return {
        name: float(value)
        for name, value in run.data.metrics.items()
        if name.startswith("test_")
    }


def _describe(run: Run, version_tags: dict[str, str]) -> str:
    params = {k: v for k, v in run.data.params.items() if k != "search_space"}
    metric_rows = "\n".join(
        f"| {name} | {version_tags[name]} |"
        for name in _VERSION_METRICS
        if name in version_tags
    )
    param_rows = "\n".join(f"| {k} | {v} |" for k, v in sorted(params.items()))
    return (
        f"**{version_tags['family']}** trained in run `{run.info.run_id}` on the "
        f"California housing data (sha256 `{version_tags.get('data_sha256', '?')}`), "
        f"seed {version_tags.get('seed', '?')}, commit "
        f"`{version_tags.get('git_commit', '?')}`.\n\n"
        f"| metric (dollars; r2 and mape as fractions) | value |\n|---|---|\n"
        f"{metric_rows}\n\n| parameter | value |\n|---|---|\n{param_rows}\n\n"
        f"Raw features and their types, ranges and categories: "
        f"`{version_tags['feature_schema']}`.\n"
    )
