"""Seeded train/test split, stratified on median-income bands."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from housing_price.errors import DataError


def income_bands(median_income: pd.Series, edges: Sequence[float]) -> pd.Series:
    """Label each district with its income band (0 is the lowest)."""
    bins = [-np.inf, *edges, np.inf]
    return pd.cut(median_income, bins=bins, labels=False, right=True).astype(int)


def split_train_test(
    frame: pd.DataFrame, test_size: float, seed: int, band_edges: Sequence[float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split districts so each income band keeps its share in train and test.

    Raises:
        DataError: A band has too few districts to appear on both sides; fewer
            band edges in the config fix it.
    """
    bands = income_bands(frame["median_income"], band_edges)
    try:
        train, test = train_test_split(
            frame, test_size=test_size, random_state=seed, stratify=bands
        )
    except ValueError as err:
        counts = bands.value_counts().sort_index().to_dict()
        raise DataError(
            f"cannot stratify {len(frame)} rows by income band (rows per band: "
            f"{counts}): {err}. Use fewer data.income_band_edges or more data."
        ) from err
    return train.reset_index(drop=True), test.reset_index(drop=True)
