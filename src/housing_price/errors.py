"""Exceptions of housing-price: one base class and one subclass per layer.

The CLI catches `HousingPriceError`, prints its message without a traceback and
exits non-zero, so every message here must say what was wrong and how to fix it.
"""


class HousingPriceError(Exception):
    """Base class of every error the package raises on purpose."""


class ConfigError(HousingPriceError):
    """A configuration file, option or environment variable is invalid."""


class DataError(HousingPriceError):
    """The dataset is missing, corrupt or breaks the data contract."""


class TrainingError(HousingPriceError):
    """Cross-validation, tuning or fitting could not complete."""


class TrackingError(HousingPriceError):
    """The MLflow tracking store or server cannot be used."""


class RegistryError(HousingPriceError):
    """A registry operation (register, alias move) was refused or failed."""


class ServingError(HousingPriceError):
    """A registered model cannot be loaded or the input rows are invalid."""
