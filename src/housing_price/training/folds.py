"""K-fold matrices built once and shared by every trial of a search.

A family's preprocessing has no hyperparameters, so fitting it inside each
trial would repeat the same work `max_evals` times; `FoldMatrices` fits it once
per fold and keeps the transformed matrices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import KFold

from housing_price.evaluation.metrics import CV_METRICS, regression_metrics
from housing_price.models.family import ModelFamily


@dataclass(frozen=True)
class Fold:
    """One fold's preprocessed training and validation data."""

    features_train: np.ndarray
    target_train: np.ndarray
    features_valid: np.ndarray
    target_valid: np.ndarray


@dataclass(frozen=True)
class FoldScores:
    """Per-fold metrics of one set of hyperparameters."""

    per_fold: tuple[dict[str, float], ...]

    def values(self, metric: str) -> np.ndarray:
        """The metric's value in each fold, in fold order."""
        return np.array([fold[metric] for fold in self.per_fold])

    def mean(self, metric: str) -> float:
        """Mean of the metric over folds."""
        return float(self.values(metric).mean())

    def std(self, metric: str) -> float:
        """Population standard deviation of the metric over folds."""
        return float(self.values(metric).std())

    def as_metrics(self) -> dict[str, float]:
        """Flat metric names for tracking: `fold1_rmse`, `cv_rmse_mean`, ..."""
        flat: dict[str, float] = {}
        for index, fold in enumerate(self.per_fold, start=1):
            for metric in CV_METRICS:
                flat[f"fold{index}_{metric}"] = fold[metric]
        for metric in CV_METRICS:
            flat[f"cv_{metric}_mean"] = self.mean(metric)
            flat[f"cv_{metric}_std"] = self.std(metric)
        return flat


def make_folds(n_rows: int, n_splits: int, shuffle: bool, seed: int) -> list[Any]:
    """Return the (train, validation) index pairs every family and trial uses."""
    splitter = KFold(
        n_splits=n_splits, shuffle=shuffle, random_state=seed if shuffle else None
    )
    return list(splitter.split(np.zeros(n_rows)))


class FoldMatrices:
    """Preprocessed folds of one family, ready for repeated estimator fits."""

    def __init__(
        self,
        family: ModelFamily,
        features: pd.DataFrame,
        target: pd.Series,
        fold_indices: Sequence[Any],
        n_jobs: int,
    ) -> None:
        self.family = family
        self.n_jobs = n_jobs
        target_values = target.to_numpy(dtype=np.float64)
        self.folds = tuple(
            _preprocess_fold(family, features, target_values, train_index, valid_index)
            for train_index, valid_index in fold_indices
        )

    def score(self, params: Mapping[str, Any], seed: int) -> FoldScores:
        """Fit the family's estimator on every fold and score it on held-out rows."""
        estimator = self.family.build_estimator(params, seed)
        # Tree and least-squares fits release the GIL, so threads use every
        # core without copying the fold matrices into worker processes.
        per_fold = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_fit_and_score)(clone(estimator), fold) for fold in self.folds
        )
        return FoldScores(per_fold=tuple(per_fold))


def _preprocess_fold(
    family: ModelFamily,
    features: pd.DataFrame,
    target: np.ndarray,
    train_index: np.ndarray,
    valid_index: np.ndarray,
) -> Fold:
    preprocessor = family.build_preprocessor()
    features_train = preprocessor.fit_transform(features.iloc[train_index])
    features_valid = preprocessor.transform(features.iloc[valid_index])
    return Fold(
        features_train=np.ascontiguousarray(features_train, dtype=np.float64),
        target_train=target[train_index],
        features_valid=np.ascontiguousarray(features_valid, dtype=np.float64),
        target_valid=target[valid_index],
    )


def _fit_and_score(estimator: Any, fold: Fold) -> dict[str, float]:
    estimator.fit(fold.features_train, fold.target_train)
    scores = regression_metrics(
        fold.target_valid, estimator.predict(fold.features_valid)
    )
    return {metric: scores[metric] for metric in CV_METRICS}
