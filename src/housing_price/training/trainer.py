"""Train every configured model family and record each one in MLflow.

For each family: score it with k-fold CV (tuning it first when it has a search
space), refit the best parameters on the whole training split, measure it on
the test split, and log the lot under one parent run. Families only differ in
their `ModelFamily`; this module is the same for all of them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from housing_price.config.loading import settings_hash
from housing_price.config.settings import Settings
from housing_price.data.processed import TEST_FILE, TRAIN_FILE, ProcessedData
from housing_price.data.schema import FEATURES, TARGET, feature_requirements
from housing_price.evaluation.metrics import regression_metrics
from housing_price.experiments.manifest import publish_manifest
from housing_price.experiments.provenance import git_state, library_versions
from housing_price.experiments.recovery import runs_ended_on_failure
from housing_price.experiments.runs import (
    CANDIDATE_ROLE,
    FAMILY_TAG,
    MODEL_URI_TAG,
    ROLE_TAG,
    TAG_PREFIX,
    TRAINING_ID_TAG,
    family_run,
    log_dataset_lineage,
    log_fitted_model,
    log_trial_run,
    log_values,
)
from housing_price.experiments.tracking import TrackingContext
from housing_price.models.family import ModelFamily, get_family
from housing_price.training.consistency import check_split_matches_settings
from housing_price.training.folds import FoldMatrices, FoldScores, make_folds
from housing_price.training.tuning import Trial, tune

logger = logging.getLogger(__name__)

_SIGNATURE_SAMPLE_ROWS = 200


@dataclass(frozen=True)
class CandidateResult:
    """One trained family: where it was logged and how well it did."""

    family: str
    title: str
    run_id: str
    model_uri: str
    params: dict[str, Any]
    cv_scores: FoldScores
    test_metrics: dict[str, float]
    n_trials: int


@dataclass(frozen=True)
class TrainingSummary:
    """All candidates of one `train` call, sharing a training id."""

    training_id: str
    candidates: tuple[CandidateResult, ...]

    @property
    def best(self) -> CandidateResult:
        """The candidate with the lowest mean CV RMSE."""
        return min(self.candidates, key=lambda c: c.cv_scores.mean("rmse"))


class TrainingObserver(Protocol):
    """Receives progress; the CLI turns it into a progress bar."""

    def family_started(self, family: ModelFamily, total_trials: int) -> None: ...

    def trial_finished(
        self, family: ModelFamily, trial: Trial, best_loss: float
    ) -> None: ...

    def family_finished(self, result: CandidateResult) -> None: ...


def train_models(
    settings: Settings,
    data: ProcessedData,
    context: TrackingContext,
    observer: TrainingObserver | None = None,
) -> TrainingSummary:
    """Train, evaluate and log every family in `settings.training.families`.

    Each candidate run gets the training's `manifest.json` (see
    `housing_price.experiments.manifest`).

    Raises:
        ValueError: A configured family does not exist.
        ConfigError: The processed split was made with other settings.
    """
    families = [get_family(name) for name in settings.training.families]
    check_split_matches_settings(settings, data)
    training_id = uuid.uuid4().hex[:12]
    fold_indices = make_folds(
        len(data.train), settings.cv.folds, settings.cv.shuffle, settings.seed
    )
    shared_tags = _shared_tags(settings, data, training_id)
    logger.info(
        "Training %s with %d-fold CV (training id %s)",
        ", ".join(f.name for f in families),
        settings.cv.folds,
        training_id,
    )
    # Also closes a run whose creation an interrupt cut short, so a stopped
    # or failed training never leaves runs RUNNING.
    with runs_ended_on_failure(context, training_id):
        candidates = tuple(
            _train_family(
                family, settings, data, context, fold_indices, shared_tags, observer
            )
            for family in families
        )
    publish_manifest(settings, data, context, training_id, candidates)
    return TrainingSummary(training_id=training_id, candidates=candidates)


def _train_family(
    family: ModelFamily,
    settings: Settings,
    data: ProcessedData,
    context: TrackingContext,
    fold_indices: list[Any],
    shared_tags: Mapping[str, str],
    observer: TrainingObserver | None,
) -> CandidateResult:
    features_train, target_train = data.train[list(FEATURES)], data.train[TARGET]
    features_test, target_test = data.test[list(FEATURES)], data.test[TARGET]
    search_space = settings.tuning.search_spaces.get(family.name, family.search_space)
    max_evals = settings.tuning.max_evals if search_space else 1
    if observer is not None:
        observer.family_started(family, max_evals)

    tags = {**shared_tags, FAMILY_TAG: family.name, ROLE_TAG: CANDIDATE_ROLE}
    with family_run(context, run_name=family.name, tags=tags) as run_id:
        source = str(data.directory)
        log_dataset_lineage(
            data.train, "train", f"{source}/{TRAIN_FILE}", "training", TARGET
        )
        log_dataset_lineage(
            data.test, "test", f"{source}/{TEST_FILE}", "testing", TARGET
        )

        matrices = FoldMatrices(
            family, features_train, target_train, fold_indices, settings.training.n_jobs
        )
        if search_space:
            recorder = _TrialRecorder(context, run_id, family, shared_tags, observer)
            search = tune(matrices, search_space, max_evals, settings.seed, recorder)
            params, cv_scores = search.best.params, search.best.scores
            n_trials = len(search.trials)
        else:
            params, cv_scores, n_trials = {}, matrices.score({}, settings.seed), 0

        pipeline = family.build_pipeline(params, settings.seed)
        pipeline.fit(features_train, target_train)
        test_metrics = regression_metrics(target_test, pipeline.predict(features_test))

        log_values(
            context,
            run_id,
            params={
                **params,
                "family": family.name,
                "cv_folds": settings.cv.folds,
                "seed": settings.seed,
                "max_evals": max_evals if search_space else 0,
                "search_space": _describe_space(search_space),
            },
            metrics={
                **cv_scores.as_metrics(),
                **{f"test_{name}": value for name, value in test_metrics.items()},
            },
        )
        model_uri = log_fitted_model(
            pipeline,
            features_train.head(_SIGNATURE_SAMPLE_ROWS),
            extra_files={"feature_requirements.json": feature_requirements(data.train)},
        )
        log_values(context, run_id, tags={MODEL_URI_TAG: model_uri})

    result = CandidateResult(
        family=family.name,
        title=family.title,
        run_id=run_id,
        model_uri=model_uri,
        params=params,
        cv_scores=cv_scores,
        test_metrics=test_metrics,
        n_trials=n_trials,
    )
    logger.info(
        "%s: CV RMSE %.0f ± %.0f, test RMSE %.0f (run %s)",
        family.title,
        cv_scores.mean("rmse"),
        cv_scores.std("rmse"),
        test_metrics["rmse"],
        run_id,
    )
    if observer is not None:
        observer.family_finished(result)
    return result


class _TrialRecorder:
    """Logs each trial as a child run and reports progress with the best so far."""

    def __init__(
        self,
        context: TrackingContext,
        parent_run_id: str,
        family: ModelFamily,
        shared_tags: Mapping[str, str],
        observer: TrainingObserver | None,
    ) -> None:
        self.context = context
        self.parent_run_id = parent_run_id
        self.family = family
        self.tags = {
            FAMILY_TAG: family.name,
            TRAINING_ID_TAG: shared_tags[TRAINING_ID_TAG],
        }
        self.observer = observer
        self.best_loss = float("inf")

    def __call__(self, trial: Trial) -> None:
        metrics = {"loss": trial.loss, **trial.scores.as_metrics()}
        log_trial_run(
            self.context,
            self.parent_run_id,
            trial.number,
            trial.params,
            metrics,
            self.tags,
        )
        self.best_loss = min(self.best_loss, trial.loss)
        if self.observer is not None:
            self.observer.trial_finished(self.family, trial, self.best_loss)


def _shared_tags(
    settings: Settings, data: ProcessedData, training_id: str
) -> dict[str, str]:
    tags = {
        TRAINING_ID_TAG: training_id,
        f"{TAG_PREFIX}seed": str(settings.seed),
        f"{TAG_PREFIX}config_hash": settings_hash(settings),
        f"{TAG_PREFIX}data_sha256": data.source_sha256,
        f"{TAG_PREFIX}train_sha256": data.metadata["files"][TRAIN_FILE],
        f"{TAG_PREFIX}test_sha256": data.metadata["files"][TEST_FILE],
    }
    tags.update({f"{TAG_PREFIX}{key}": value for key, value in git_state().items()})
    tags.update(
        {f"{TAG_PREFIX}version.{name}": v for name, v in library_versions().items()}
    )
    return tags


def _describe_space(search_space: Mapping[str, Any]) -> str:
    if not search_space:
        return "not tuned"
    parts = []
    for name, spec in search_space.items():
        bounds = spec.options if spec.kind == "choice" else (spec.low, spec.high)
        parts.append(f"{name}={spec.kind}{bounds}")
    return ", ".join(parts)
