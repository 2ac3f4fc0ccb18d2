"""Load registered models for prediction."""

from housing_price.serving.loader import LoadedModel, load_registered_model

__all__ = ["LoadedModel", "load_registered_model"]
