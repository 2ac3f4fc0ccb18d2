"""The data contract of the California housing table, as a pandera schema.

The same contract serves three readers: `prepare` checks the raw download,
training re-checks the processed split, and `feature_requirements` tells the API
team which raw columns a model needs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from housing_price.errors import DataError

TARGET = "median_house_value"
CATEGORY_COLUMN = "ocean_proximity"
OCEAN_PROXIMITY_CATEGORIES = ("<1H OCEAN", "INLAND", "ISLAND", "NEAR BAY", "NEAR OCEAN")
NUMERIC_FEATURES = (
    "longitude",
    "latitude",
    "housing_median_age",
    "total_rooms",
    "total_bedrooms",
    "population",
    "households",
    "median_income",
)
FEATURES = (*NUMERIC_FEATURES, CATEGORY_COLUMN)

# Limits a district must respect; the bounding box encloses the state of
# California with a small margin. Units: degrees, years, counts, and median
# income in tens of thousands of dollars.
FEATURE_LIMITS: dict[str, tuple[float | None, float | None]] = {
    "longitude": (-124.6, -114.0),
    "latitude": (32.4, 42.1),
    "housing_median_age": (0.0, None),
    "total_rooms": (0.0, None),
    "total_bedrooms": (0.0, None),
    "population": (0.0, None),
    "households": (0.0, None),
    "median_income": (0.0, None),
}
NULLABLE_FEATURES = frozenset({"total_bedrooms"})
_SHOWN_ROWS = 5


# `ge(0)` lets infinity through, and one infinite value breaks every fit.
_FINITE = pa.Check(lambda values: ~np.isinf(values), name="finite")


def _range_check(low: float | None, high: float | None) -> pa.Check:
    if low is not None and high is not None:
        return pa.Check.in_range(low, high)
    if low is not None:
        return pa.Check.ge(low)
    assert high is not None
    return pa.Check.le(high)


def _build_schema(with_target: bool) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        name: pa.Column(
            float,
            checks=[_range_check(*FEATURE_LIMITS[name]), _FINITE],
            nullable=name in NULLABLE_FEATURES,
            coerce=True,
        )
        for name in NUMERIC_FEATURES
    }
    columns[CATEGORY_COLUMN] = pa.Column(
        str, checks=pa.Check.isin(OCEAN_PROXIMITY_CATEGORIES), nullable=False
    )
    if with_target:
        columns[TARGET] = pa.Column(
            float, checks=[pa.Check.gt(0), _FINITE], nullable=False, coerce=True
        )
    return pa.DataFrameSchema(columns, strict=False, name="california_housing")


HOUSING_SCHEMA = _build_schema(with_target=True)
FEATURE_SCHEMA = _build_schema(with_target=False)


def validate_housing_frame(
    frame: pd.DataFrame, origin: str, first_data_line: int | None = None
) -> pd.DataFrame:
    """Check a housing table against the contract and return it with clean dtypes.

    Args:
        frame: Raw or processed table including the target column.
        origin: File name or description used in error messages.
        first_data_line: File line number of the first row (2 for a CSV with a
            header); when given, messages point at file lines, not row indexes.

    Returns:
        The frame with numeric columns as float64, in contract column order.

    Raises:
        DataError: One line per broken rule, naming column, rule and first rows.
    """
    try:
        validated = HOUSING_SCHEMA.validate(frame, lazy=True)
    except (SchemaErrors, SchemaError) as err:
        raise DataError(_explain_violations(err, origin, first_data_line)) from err
    return validated[[*FEATURES, TARGET]]


def _explain_violations(
    err: SchemaErrors | SchemaError, origin: str, first_data_line: int | None
) -> str:
    cases = err.failure_cases
    if not isinstance(cases, pd.DataFrame):
        return f"{origin} breaks the housing data contract: {err}"

    lines = [f"{origin} breaks the housing data contract:"]
    missing = cases.loc[cases["check"] == "column_in_dataframe", "failure_case"]
    if len(missing):
        lines.append(f"  - required columns missing: {', '.join(map(str, missing))}")
    uncoercible = set(
        cases.loc[cases["check"].str.startswith("coerce_dtype"), "column"]
    )
    row_cases = cases[cases["check"] != "column_in_dataframe"]
    for (column, check), group in row_cases.groupby(["column", "check"], sort=True):
        if column in uncoercible and not str(check).startswith("coerce_dtype"):
            continue
        rule = "rule numbers_only" if column in uncoercible else f"rule {check}"
        rows = group["index"].dropna().astype(int).tolist()
        values = group["failure_case"].tolist()[:_SHOWN_ROWS]
        if first_data_line is None:
            where = f"first row indexes {rows[:_SHOWN_ROWS]}"
        else:
            lines_in_file = [row + first_data_line for row in rows[:_SHOWN_ROWS]]
            where = f"first at file lines {lines_in_file}"
        lines.append(
            f"  - column {column!r}: {rule} fails in {len(rows)} row(s), {where}; "
            f"offending values {values}"
        )
    if len(missing) and row_cases.empty:
        lines.append(
            "Is this the California housing data? Pass its housing.csv or housing.tgz "
            "with --source."
        )
    else:
        lines.append(
            "Fix or drop these rows in the source file, or point --source at the "
            "original California housing data."
        )
    return "\n".join(lines)


def feature_requirements(train: pd.DataFrame | None = None) -> dict[str, Any]:
    """Describe the raw features a model needs, for the API schema.

    Args:
        train: Optional training frame; when given, the observed minimum and
            maximum of each numeric feature are included.

    Returns:
        A JSON-ready mapping with one entry per feature and one for the target.
    """
    features: list[dict[str, Any]] = []
    for name in NUMERIC_FEATURES:
        low, high = FEATURE_LIMITS[name]
        entry: dict[str, Any] = {
            "name": name,
            "type": "number",
            "required": True,
            "nullable": name in NULLABLE_FEATURES,
            "allowed_range": {"min": low, "max": high},
        }
        if train is not None:
            entry["observed_range"] = {
                "min": float(train[name].min()),
                "max": float(train[name].max()),
            }
        features.append(entry)
    features.append(
        {
            "name": CATEGORY_COLUMN,
            "type": "string",
            "required": True,
            "nullable": False,
            "categories": list(OCEAN_PROXIMITY_CATEGORIES),
        }
    )
    return {
        "features": features,
        "target": {"name": TARGET, "type": "number", "unit": "US dollars"},
    }
