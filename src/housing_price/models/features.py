"""Preprocessing shared by the model families: ratios, imputation, encoding.

Everything here is a scikit-learn transformer, so it lives inside the logged
Pipeline and the registered model accepts the raw columns of the dataset.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from housing_price.data.schema import (
    CATEGORY_COLUMN,
    NUMERIC_FEATURES,
    OCEAN_PROXIMITY_CATEGORIES,
)

# (new column, numerator, denominator)
RATIO_FEATURES = (
    ("rooms_per_household", "total_rooms", "households"),
    ("bedrooms_per_room", "total_bedrooms", "total_rooms"),
    ("population_per_household", "population", "households"),
)


class RatioFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Append the per-household and per-room ratios to the numeric columns.

    A zero or missing denominator gives NaN, which the imputer that follows
    replaces, so a district with no recorded households cannot produce infinity.
    """

    def fit(self, X: pd.DataFrame, y: Any = None) -> RatioFeatures:
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        values = X.to_numpy(dtype=np.float64, na_value=np.nan)
        position = {name: index for index, name in enumerate(self.feature_names_in_)}
        ratios = []
        for _, numerator, denominator in RATIO_FEATURES:
            top = values[:, position[numerator]]
            bottom = values[:, position[denominator]]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratios.append(np.where(bottom > 0, top / bottom, np.nan))
        return np.column_stack([values, *ratios])

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        ratio_names = [name for name, _, _ in RATIO_FEATURES]
        return np.asarray([*self.feature_names_in_, *ratio_names], dtype=object)


def build_preprocessor(scale: bool) -> ColumnTransformer:
    """Build the raw-columns-to-matrix step.

    Args:
        scale: Standardise numeric columns; linear models need it, trees do not.
    """
    numeric_steps: list[tuple[str, Any]] = [
        ("ratios", RatioFeatures()),
        ("impute", SimpleImputer(strategy="median")),
    ]
    if scale:
        numeric_steps.append(("scale", StandardScaler()))

    # Fixed categories keep the one-hot layout independent of which categories
    # a fold happens to contain (ISLAND has five districts in all).
    encoder = OneHotEncoder(
        categories=[list(OCEAN_PROXIMITY_CATEGORIES)],
        handle_unknown="ignore",
        sparse_output=False,
    )
    return ColumnTransformer(
        [
            ("numeric", Pipeline(numeric_steps), list(NUMERIC_FEATURES)),
            ("category", encoder, [CATEGORY_COLUMN]),
        ],
        remainder="drop",
        verbose_feature_names_out=False,
    )
