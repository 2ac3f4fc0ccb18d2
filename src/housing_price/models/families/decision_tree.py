"""A regression tree whose shape hyperopt tunes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sklearn.tree import DecisionTreeRegressor

from housing_price.config.settings import ParamSpace
from housing_price.models.family import ModelFamily
from housing_price.models.features import build_preprocessor


def _build_estimator(params: Mapping[str, Any], seed: int) -> DecisionTreeRegressor:
    return DecisionTreeRegressor(random_state=seed, **params)


FAMILY = ModelFamily(
    name="decision_tree",
    title="Decision tree",
    # Splits are invariant to monotone rescaling, so the tree skips the scaler.
    build_preprocessor=lambda: build_preprocessor(scale=False),
    build_estimator=_build_estimator,
    search_space={
        "max_depth": ParamSpace(kind="int", low=2, high=30),
        "min_samples_split": ParamSpace(kind="int", low=2, high=100),
        "min_samples_leaf": ParamSpace(kind="int", low=1, high=50),
        "max_features": ParamSpace(kind="uniform", low=0.3, high=1.0),
        "splitter": ParamSpace(kind="choice", options=("best", "random")),
    },
)
