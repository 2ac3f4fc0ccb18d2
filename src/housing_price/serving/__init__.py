"""Load registered models, validate raw rows and predict house values."""

from housing_price.serving.loader import (
    LoadedModel,
    load_model,
    load_registered_model,
)
from housing_price.serving.validation import (
    UNKNOWN_CATEGORY_POLICY,
    FeatureSpec,
    read_rows_file,
    validate_rows,
)

__all__ = [
    "UNKNOWN_CATEGORY_POLICY",
    "FeatureSpec",
    "LoadedModel",
    "load_model",
    "load_registered_model",
    "read_rows_file",
    "validate_rows",
]
