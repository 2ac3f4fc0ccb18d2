"""Ordinary least squares on scaled features: the baseline every model must beat."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sklearn.linear_model import LinearRegression

from housing_price.models.family import ModelFamily
from housing_price.models.features import build_preprocessor


def _build_estimator(params: Mapping[str, Any], seed: int) -> LinearRegression:
    # Least squares has no randomness, so the seed is not needed here.
    return LinearRegression(**params)


FAMILY = ModelFamily(
    name="linear_regression",
    title="Linear regression",
    build_preprocessor=lambda: build_preprocessor(scale=True),
    build_estimator=_build_estimator,
)
