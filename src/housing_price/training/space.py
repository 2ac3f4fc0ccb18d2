"""Translate config search ranges into hyperopt spaces and back into params."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from hyperopt import hp, space_eval
from hyperopt.pyll import scope

from housing_price.config.settings import ParamSpace


def to_hyperopt_space(search_space: Mapping[str, ParamSpace]) -> dict[str, Any]:
    """Build the hyperopt space; `int` ranges stay whole numbers end to end."""
    space: dict[str, Any] = {}
    for name, spec in search_space.items():
        if spec.kind == "choice":
            assert spec.options is not None
            space[name] = hp.choice(name, list(spec.options))
            continue
        assert spec.low is not None and spec.high is not None
        if spec.kind == "int":
            space[name] = scope.int(hp.quniform(name, spec.low, spec.high, 1))
        elif spec.kind == "uniform":
            space[name] = hp.uniform(name, spec.low, spec.high)
        else:
            space[name] = hp.loguniform(name, math.log(spec.low), math.log(spec.high))
    return space


def decode_params(space: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Turn hyperopt's raw values (choice indexes, floats) into estimator params.

    `space_eval` maps `hp.choice` indexes to their options and applies
    `scope.int`; the result is converted to plain Python scalars so params log
    and serialise the same way everywhere.
    """
    return plain_params(space_eval(dict(space), dict(raw)))


def plain_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Replace numpy scalars by Python ones, leaving other values alone."""
    return {name: _plain(value) for name, value in params.items()}


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)
    return item() if callable(item) else value
