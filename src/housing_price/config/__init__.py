"""Typed configuration and the one place its defaults live."""

from housing_price.config.loading import load_settings, settings_hash
from housing_price.config.settings import (
    CrossValidationSettings,
    DataSettings,
    ParamSpace,
    PipelineSettings,
    PromotionSettings,
    RegistrationGates,
    RegistrySettings,
    Settings,
    TrackingSettings,
    TrainingSettings,
    TuningSettings,
)

__all__ = [
    "CrossValidationSettings",
    "DataSettings",
    "ParamSpace",
    "PipelineSettings",
    "PromotionSettings",
    "RegistrationGates",
    "RegistrySettings",
    "Settings",
    "TrackingSettings",
    "TrainingSettings",
    "TuningSettings",
    "load_settings",
    "settings_hash",
]
