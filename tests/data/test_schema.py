import json

import numpy as np
import pandas as pd
import pytest

from housing_price.data import (
    FEATURES,
    TARGET,
    feature_requirements,
    validate_housing_frame,
)
from housing_price.errors import DataError


def test_a_valid_frame_passes_with_float_columns(housing_frame: pd.DataFrame) -> None:
    validated = validate_housing_frame(housing_frame, "synthetic.csv")
    assert list(validated.columns) == [*FEATURES, TARGET]
    assert validated["households"].dtype == np.float64


def test_missing_bedrooms_are_allowed(housing_frame: pd.DataFrame) -> None:
    housing_frame["total_bedrooms"] = np.nan
    validate_housing_frame(housing_frame, "synthetic.csv")


def test_latitude_outside_california_names_column_rows_and_rule(
    housing_frame: pd.DataFrame,
) -> None:
    housing_frame.loc[[3, 8], "latitude"] = 51.5
    with pytest.raises(
        DataError, match=r"(?s)synthetic\.csv.*'latitude'.*in_range.*\[3, 8\]"
    ):
        validate_housing_frame(housing_frame, "synthetic.csv")


def test_unknown_ocean_proximity_category_is_reported(
    housing_frame: pd.DataFrame,
) -> None:
    housing_frame.loc[5, "ocean_proximity"] = "ON THE MOON"
    with pytest.raises(DataError, match=r"'ocean_proximity'.*isin.*ON THE MOON"):
        validate_housing_frame(housing_frame, "synthetic.csv")


def test_missing_target_value_is_reported(housing_frame: pd.DataFrame) -> None:
    housing_frame.loc[2, TARGET] = np.nan
    with pytest.raises(DataError, match=r"'median_house_value'.*not_nullable.*\[2\]"):
        validate_housing_frame(housing_frame, "synthetic.csv")


def test_non_positive_target_is_reported(housing_frame: pd.DataFrame) -> None:
    housing_frame.loc[4, TARGET] = 0
    with pytest.raises(DataError, match=r"'median_house_value'.*greater_than"):
        validate_housing_frame(housing_frame, "synthetic.csv")


def test_negative_count_is_reported(housing_frame: pd.DataFrame) -> None:
    housing_frame.loc[1, "population"] = -10
    with pytest.raises(DataError, match=r"'population'.*greater_than_or_equal_to"):
        validate_housing_frame(housing_frame, "synthetic.csv")


def test_missing_column_is_named(housing_frame: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="required columns missing: households"):
        validate_housing_frame(
            housing_frame.drop(columns="households"), "synthetic.csv"
        )


def test_text_in_a_numeric_column_is_reported_once(housing_frame: pd.DataFrame) -> None:
    housing_frame["total_rooms"] = housing_frame["total_rooms"].astype(object)
    housing_frame.loc[6, "total_rooms"] = "many"
    with pytest.raises(DataError) as raised:
        validate_housing_frame(housing_frame, "synthetic.csv")
    message = str(raised.value)
    assert "'total_rooms': rule numbers_only" in message
    assert message.count("'total_rooms'") == 1


def test_feature_requirements_list_every_raw_feature(
    housing_frame: pd.DataFrame,
) -> None:
    requirements = feature_requirements(housing_frame)
    names = [feature["name"] for feature in requirements["features"]]
    assert names == list(FEATURES)
    bedrooms = next(
        f for f in requirements["features"] if f["name"] == "total_bedrooms"
    )
    assert bedrooms["nullable"] is True
    assert bedrooms["observed_range"]["max"] == housing_frame["total_bedrooms"].max()
    category = requirements["features"][-1]
    assert "INLAND" in category["categories"]
    json.dumps(requirements)


def test_rows_are_reported_as_file_lines_when_the_line_of_row_zero_is_known(
    housing_frame: pd.DataFrame,
) -> None:
    housing_frame.loc[4, "latitude"] = 50.0
    with pytest.raises(DataError, match=r"first at file lines \[6\]"):
        validate_housing_frame(housing_frame, "housing.csv", first_data_line=2)


def test_infinite_values_are_reported(housing_frame: pd.DataFrame) -> None:
    housing_frame.loc[3, "population"] = np.inf
    housing_frame.loc[4, TARGET] = np.inf
    with pytest.raises(DataError, match=r"'population': rule finite"):
        validate_housing_frame(housing_frame, "synthetic.csv")
