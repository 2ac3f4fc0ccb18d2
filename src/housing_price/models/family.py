"""What a model family is: a name, its pipeline parts and its search space.

The trainer, the tracking code and the registry work on `ModelFamily` objects
only, so a new family is one module in `housing_price.models.families` that
defines a module-level `FAMILY`; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sklearn.base import RegressorMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

from housing_price.config.settings import ParamSpace

EstimatorBuilder = Callable[[Mapping[str, Any], int], RegressorMixin]


@dataclass(frozen=True)
class ModelFamily:
    """One kind of model the project can train.

    Attributes:
        name: Identifier used in config, run names and registry tags.
        title: Human-readable name for tables and reports.
        build_preprocessor: Returns an unfitted raw-columns-to-matrix step. It
            has no hyperparameters, which lets the trainer fit it once per fold.
        build_estimator: Returns an unfitted regressor for given hyperparameters
            and seed.
        search_space: Hyperparameter ranges; empty means the family is not tuned.
    """

    name: str
    title: str
    build_preprocessor: Callable[[], ColumnTransformer]
    build_estimator: EstimatorBuilder
    search_space: Mapping[str, ParamSpace] = field(default_factory=dict)

    @property
    def is_tuned(self) -> bool:
        """Whether hyperopt searches this family's hyperparameters."""
        return bool(self.search_space)

    def build_pipeline(self, params: Mapping[str, Any], seed: int) -> Pipeline:
        """Return the full unfitted pipeline that the registry stores."""
        return Pipeline(
            [
                ("preprocess", self.build_preprocessor()),
                ("model", self.build_estimator(params, seed)),
            ]
        )


def available_families() -> dict[str, ModelFamily]:
    """Discover every family module in `housing_price.models.families`."""
    from housing_price.models import families

    found: dict[str, ModelFamily] = {}
    for module_info in pkgutil.iter_modules(families.__path__):
        module = importlib.import_module(f"{families.__name__}.{module_info.name}")
        family = getattr(module, "FAMILY", None)
        if isinstance(family, ModelFamily):
            found[family.name] = family
    return found


def get_family(name: str) -> ModelFamily:
    """Return the family called `name`.

    Raises:
        ValueError: No such family; the message lists the known ones.
    """
    families = available_families()
    if name not in families:
        raise ValueError(
            f"unknown model family {name!r}; known families: {sorted(families)}. "
            "Fix training.families in the config."
        )
    return families[name]
