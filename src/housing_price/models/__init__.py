"""Model families and the preprocessing they share."""

from housing_price.models.family import ModelFamily, available_families, get_family
from housing_price.models.features import RatioFeatures, build_preprocessor

__all__ = [
    "ModelFamily",
    "RatioFeatures",
    "available_families",
    "build_preprocessor",
    "get_family",
]
