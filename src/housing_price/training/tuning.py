"""Hyperparameter search with hyperopt's TPE over shared fold matrices."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from hyperopt import STATUS_OK, Trials, fmin, tpe

from housing_price.config.settings import ParamSpace
from housing_price.errors import TrainingError
from housing_price.training.folds import FoldMatrices, FoldScores
from housing_price.training.space import (
    decode_params,
    plain_params,
    to_hyperopt_space,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Trial:
    """One evaluated set of hyperparameters; `number` counts from 1."""

    number: int
    params: dict[str, Any]
    scores: FoldScores

    @property
    def loss(self) -> float:
        """Mean cross-validated RMSE in dollars: what the search minimises."""
        return self.scores.mean("rmse")


@dataclass(frozen=True)
class SearchResult:
    """Every trial of a search and the best of them."""

    trials: tuple[Trial, ...]
    best: Trial


TrialCallback = Callable[[Trial], None]


def tune(
    matrices: FoldMatrices,
    search_space: Mapping[str, ParamSpace],
    max_evals: int,
    seed: int,
    on_trial: TrialCallback | None = None,
) -> SearchResult:
    """Minimise mean CV RMSE with TPE; the same seed gives the same search.

    Args:
        matrices: Preprocessed folds, identical for every trial.
        search_space: Ranges to search, by hyperparameter name.
        max_evals: Number of trials.
        seed: Seeds TPE's generator and every estimator.
        on_trial: Called after each trial, e.g. to log it or move a progress bar.
    """
    space = to_hyperopt_space(search_space)
    evaluated: list[Trial] = []

    def objective(sampled: Mapping[str, Any]) -> dict[str, Any]:
        # hyperopt hands the objective evaluated values (options, not choice
        # indexes); only numpy scalars need turning into plain Python.
        params = plain_params(sampled)
        trial = Trial(
            number=len(evaluated) + 1,
            params=params,
            scores=matrices.score(params, seed),
        )
        evaluated.append(trial)
        logger.debug("Trial %d: loss %.1f with %s", trial.number, trial.loss, params)
        if on_trial is not None:
            on_trial(trial)
        return {"loss": trial.loss, "status": STATUS_OK}

    hyperopt_trials = Trials()
    logger.info("Tuning %s: %d trials", matrices.family.name, max_evals)
    best_raw = fmin(
        objective,
        space,
        algo=tpe.suggest,
        max_evals=max_evals,
        trials=hyperopt_trials,
        rstate=np.random.default_rng(seed),
        show_progressbar=False,
    )
    best_params = decode_params(space, best_raw)
    best = evaluated[int(hyperopt_trials.best_trial["tid"])]
    if best.params != best_params:
        raise TrainingError(
            f"hyperopt's best {best_params} differs from the best trial {best.params}"
        )
    logger.info("Best trial %d: CV RMSE %.0f", best.number, best.loss)
    return SearchResult(trials=tuple(evaluated), best=best)
