"""Check and clean the rows an API caller sends, before the model sees them.

The rules, in order: every required column must be present (extra columns are
dropped); numeric columns take numbers, numeric text or null, and a null is
passed on as NaN for the model's imputer whatever the column's dtype (int,
float, pandas nullable `Int64`); text columns take text.

Unknown categories follow `UNKNOWN_CATEGORY_POLICY`: the row is accepted and
the category is encoded as all zeros (the one-hot encoder ignores it), and a
warning names the value, because rejecting a whole request for one new label
would take the API down whenever the data grows a category.
"""

from __future__ import annotations

import json
import logging
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from housing_price.errors import ServingError

logger = logging.getLogger(__name__)

UNKNOWN_CATEGORY_POLICY = "accept, encode as all zeros, warn"
NUMERIC_TYPES = frozenset({"double", "float", "long", "integer"})
_SHOWN_VALUES = 5


@dataclass(frozen=True)
class FeatureSpec:
    """One raw input column: its name, kind and, for text, known categories."""

    name: str
    numeric: bool
    categories: tuple[str, ...] | None = None


def rows_to_frame(rows: pd.DataFrame | Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Accept a DataFrame or a list of records (one mapping per row).

    Raises:
        ServingError: `rows` is neither, or a record is not a mapping.
    """
    if isinstance(rows, pd.DataFrame):
        return rows
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise ServingError(
            f"rows must be a pandas DataFrame or a list of records; got "
            f"{type(rows).__name__}"
        )
    for position, record in enumerate(rows):
        if not isinstance(record, Mapping):
            raise ServingError(
                f"record {position} is a {type(record).__name__} ({record!r}); each "
                "record must map column names to values"
            )
    return pd.DataFrame.from_records(list(rows))


def read_rows_file(path: Path) -> pd.DataFrame:
    """Read rows from a CSV file or a JSON file.

    JSON may hold a list of records, or MLflow's serving formats
    `{"dataframe_records": [...]}` and `{"dataframe_split": {...}}`.

    Raises:
        ServingError: Missing file, unknown suffix, or unreadable content.
    """
    if not path.is_file():
        raise ServingError(f"input file {path} does not exist")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            # round_trip parsing gives the same floats as JSON for the same text.
            return pd.read_csv(path, float_precision="round_trip")
        if suffix == ".json":
            return _frame_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise ServingError(f"cannot read rows from {path}: {err}") from err
    raise ServingError(
        f"input file {path} has suffix {suffix!r}; use a .csv or a .json file"
    )


def _frame_from_json(document: Any) -> pd.DataFrame:
    if isinstance(document, Mapping):
        if "dataframe_records" in document:
            return rows_to_frame(document["dataframe_records"])
        if "dataframe_split" in document:
            split = document["dataframe_split"]
            return pd.DataFrame(split.get("data"), columns=split.get("columns"))
        raise ServingError(
            "a JSON object must hold 'dataframe_records' or 'dataframe_split'; "
            f"got keys {sorted(document)}"
        )
    return rows_to_frame(document)


def validate_rows(frame: pd.DataFrame, features: Sequence[FeatureSpec]) -> pd.DataFrame:
    """Return the required columns, cleaned, in model order.

    Raises:
        ServingError: No rows, missing columns, or values of the wrong type;
            the message names every bad column and its first bad values.
    """
    if frame.empty:
        raise ServingError("no rows to predict; send at least one record")
    missing = [spec.name for spec in features if spec.name not in frame.columns]
    if missing:
        raise ServingError(
            f"missing required column(s) {', '.join(map(repr, missing))}; send every "
            "feature listed by feature_requirements()"
        )
    extra = [
        column for column in frame.columns if column not in {s.name for s in features}
    ]
    if extra:
        logger.debug("Ignoring extra columns %s", extra)

    cleaned: dict[str, np.ndarray] = {}
    problems: list[str] = []
    for spec in features:
        column = frame[spec.name]
        if spec.numeric:
            values, bad = _numeric_values(column)
            cleaned[spec.name] = values
            if bad:
                problems.append(_describe_bad(spec.name, "numbers or null", bad))
        else:
            bad = _text_problems(column)
            cleaned[spec.name] = column.to_numpy(dtype=object)
            if bad:
                problems.append(_describe_bad(spec.name, "text (not null)", bad))
            elif spec.categories is not None:
                _warn_unknown_categories(spec, column)
    if problems:
        raise ServingError("invalid input rows:\n" + "\n".join(problems))
    return pd.DataFrame(cleaned, index=frame.index)


def _numeric_values(column: pd.Series) -> tuple[np.ndarray, list[tuple[Any, Any]]]:
    if pd.api.types.is_bool_dtype(column):
        return np.full(len(column), np.nan), list(column.items())
    if pd.api.types.is_numeric_dtype(column):
        # Fast path for the usual request: nulls become NaN, only infinity is bad.
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.isinf(values).any():
            return values, []
        bad_positions = np.isinf(values)
    else:
        values = np.array([_as_number(value) for value in column], dtype=np.float64)
        bad_positions = np.isinf(values) | (
            np.isnan(values) & column.notna().to_numpy()
        )
    bad = [
        (label, value)
        for (label, value), is_bad in zip(column.items(), bad_positions, strict=True)
        if is_bad and not _is_nan_text(value)
    ]
    return values, bad


def _as_number(value: Any) -> float:
    """A float for numbers and numeric text, NaN for null and anything else."""
    if value is None or value is pd.NA:
        return math.nan
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return math.nan
    return math.nan


def _is_nan_text(value: Any) -> bool:
    """Whether the value is itself a spelling of NaN, which counts as null."""
    return isinstance(value, (str, float)) and str(value).strip().lower() == "nan"


def _text_problems(column: pd.Series) -> list[tuple[Any, Any]]:
    return [
        (label, value) for label, value in column.items() if not isinstance(value, str)
    ]


def _warn_unknown_categories(spec: FeatureSpec, column: pd.Series) -> None:
    known = set(spec.categories or ())
    unknown = sorted({value for value in column if value not in known})
    if unknown:
        logger.warning(
            "Column %s has categories never seen in training %s; policy: %s "
            "(known: %s)",
            spec.name,
            unknown,
            UNKNOWN_CATEGORY_POLICY,
            list(spec.categories or ()),
        )


def _describe_bad(name: str, expected: str, bad: list[tuple[Any, Any]]) -> str:
    shown = ", ".join(
        f"{_show(value)} (row {label})" for label, value in bad[:_SHOWN_VALUES]
    )
    more = f" and {len(bad) - _SHOWN_VALUES} more" if len(bad) > _SHOWN_VALUES else ""
    return f"  - column {name!r} takes {expected}; got {shown}{more}"


def _show(value: Any) -> str:
    if (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    ):
        return "null"
    return repr(value)
