"""Refuse a training whose settings contradict the processed split it would use.

One seed drives the split, the folds, the search and every estimator. A split
made with another seed, test size or set of income bands would mix two
configurations in one model, and nothing in the metrics would show it.
"""

from __future__ import annotations

from typing import Any

from housing_price.config.settings import Settings
from housing_price.data.processed import ProcessedData
from housing_price.errors import ConfigError

# R² needs two rows, and a fold of a handful of districts says nothing useful.
MIN_VALIDATION_ROWS = 10


def check_split_matches_settings(settings: Settings, data: ProcessedData) -> None:
    """Check that `data` was prepared with `settings` and fits the folds.

    Raises:
        ConfigError: The split was made with another seed, test size or income
            bands, or the training split is too small for `cv.folds` folds.
    """
    expected: dict[str, Any] = {
        "seed": settings.seed,
        "test_size": settings.data.test_size,
        "income_band_edges": list(settings.data.income_band_edges),
    }
    for key, value in expected.items():
        recorded = data.metadata.get(key)
        if recorded != value:
            raise ConfigError(
                f"the split in {data.directory} was prepared with {key}={recorded}, "
                f"but this training uses {key}={value}; one configuration must "
                "drive both. Run `housing-price data prepare` with the same settings "
                "first, or train with the settings the split was made with."
            )

    rows_per_fold = len(data.train) // settings.cv.folds
    if rows_per_fold < MIN_VALIDATION_ROWS:
        raise ConfigError(
            f"cv.folds={settings.cv.folds} leaves {rows_per_fold} of the "
            f"{len(data.train)} training rows in each validation fold; at least "
            f"{MIN_VALIDATION_ROWS} are needed. Lower cv.folds or data.test_size."
        )
