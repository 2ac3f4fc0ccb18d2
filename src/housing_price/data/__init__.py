"""Load the California housing data, check its contract and split it."""

from housing_price.data.processed import ProcessedData, load_processed, prepare_data
from housing_price.data.schema import (
    CATEGORY_COLUMN,
    FEATURES,
    NUMERIC_FEATURES,
    OCEAN_PROXIMITY_CATEGORIES,
    TARGET,
    feature_requirements,
    validate_housing_frame,
)
from housing_price.data.source import RawData, fetch_raw_csv
from housing_price.data.split import income_bands, split_train_test

__all__ = [
    "CATEGORY_COLUMN",
    "FEATURES",
    "NUMERIC_FEATURES",
    "OCEAN_PROXIMITY_CATEGORIES",
    "TARGET",
    "ProcessedData",
    "RawData",
    "feature_requirements",
    "fetch_raw_csv",
    "income_bands",
    "load_processed",
    "prepare_data",
    "split_train_test",
    "validate_housing_frame",
]
