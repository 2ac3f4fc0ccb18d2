"""Build `Settings` from defaults, a YAML file, environment and CLI overrides.

Precedence, lowest first: the defaults in `settings.py`, the YAML file, the
environment variables below, then `--set section.key=value` overrides.

Without an explicit file, `params.yaml` in the working directory is the YAML
file: the DVC pipeline's parameters. It holds overrides only, so the commands
and the pipeline read one set of values with one set of defaults.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from housing_price.config.settings import Settings
from housing_price.errors import ConfigError

PARAMS_FILE = Path("params.yaml")
ENVIRONMENT_OVERRIDES = {
    "HOUSING_PRICE_DATA_SOURCE": "data.source",
    "MLFLOW_TRACKING_URI": "tracking.uri",
    "HOUSING_PRICE_EXPERIMENT": "tracking.experiment_name",
    "HOUSING_PRICE_BACKEND_URI": "server.backend_uri",
}


def load_settings(
    config_file: Path | None = None,
    overrides: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve the configuration of one command.

    Args:
        config_file: Optional YAML file whose keys mirror `Settings`; when it
            is None, `params.yaml` in the working directory is read if it exists.
        overrides: `dotted.key=value` strings; values are parsed as YAML, so
            `tuning.max_evals=10` gives an int and `data.source=null` gives None.
        environ: Environment to read; defaults to `os.environ`.

    Returns:
        The validated, frozen settings.

    Raises:
        ConfigError: The file is missing or malformed, an override is not of the
            form `key=value`, or a value fails validation.
    """
    values: dict[str, Any] = {}
    if config_file is None and PARAMS_FILE.is_file():
        config_file = PARAMS_FILE
    if config_file is not None:
        values = _read_yaml(config_file)

    environment = os.environ if environ is None else environ
    for variable, dotted_key in ENVIRONMENT_OVERRIDES.items():
        if environment.get(variable):
            _assign(values, dotted_key, environment[variable])

    for override in overrides:
        key, separator, raw_value = override.partition("=")
        if not separator or not key.strip():
            raise ConfigError(
                f"override {override!r} is not of the form section.key=value; "
                "for example --set tuning.max_evals=10"
            )
        _assign(values, key.strip(), yaml.safe_load(raw_value))

    try:
        return Settings.model_validate(values)
    except ValidationError as err:
        origin = f" (from {config_file})" if config_file else ""
        raise ConfigError(
            f"invalid configuration{origin}:\n{_describe(err)}\n"
            "Fix the value in the config file or the --set option."
        ) from err


def settings_hash(settings: Settings) -> str:
    """Return a short, stable sha256 of the resolved settings."""
    canonical = json.dumps(settings.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _read_yaml(config_file: Path) -> dict[str, Any]:
    if not config_file.is_file():
        raise ConfigError(
            f"config file {config_file} does not exist; pass an existing YAML file "
            "such as configs/local.yaml"
        )
    try:
        loaded = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(
            f"config file {config_file} is not valid YAML: {err}"
        ) from err
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(
            f"config file {config_file} must hold a mapping of sections "
            f"(data, cv, tuning, ...); it holds a {type(loaded).__name__}"
        )
    return loaded


def _assign(values: dict[str, Any], dotted_key: str, value: Any) -> None:
    *parents, leaf = dotted_key.split(".")
    node = values
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(
                f"cannot set {dotted_key}: {part} is a value, not a section"
            )
        node = child
    node[leaf] = value


def _describe(err: ValidationError) -> str:
    lines = []
    for problem in err.errors():
        location = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        given = problem.get("input")
        lines.append(f"  - {location}: {problem['msg']} (given: {given!r})")
    return "\n".join(lines)
