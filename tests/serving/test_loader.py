from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from housing_price.config.loading import load_settings
from housing_price.data.schema import FEATURES
from housing_price.errors import ServingError
from housing_price.serving.loader import load_model, load_registered_model
from tests.model_store import INT_COLUMNS, TEST
from tests.serving.conftest import MODEL_NAME, Served

ROWS = TEST[list(FEATURES)].head(6).reset_index(drop=True)


def test_loading_by_alias_reports_the_exact_version(served: Served) -> None:
    loaded = served.production

    assert (loaded.name, loaded.version, loaded.alias) == (
        MODEL_NAME,
        "1",
        "production",
    )
    assert loaded.model_uri == f"models:/{MODEL_NAME}/1"
    assert loaded.run_id


def test_load_model_resolves_the_store_from_the_configuration(served: Served) -> None:
    settings = load_settings(overrides=[f"tracking.uri={served.tracking_uri}"])

    loaded = load_model(settings=settings)

    assert (loaded.version, loaded.alias) == ("1", "production")


def test_an_unknown_alias_is_a_serving_error(served: Served) -> None:
    with pytest.raises(ServingError, match="has no alias 'canary'"):
        load_registered_model(served.tracking_uri, MODEL_NAME, alias="canary")


def test_a_dataframe_and_a_list_of_records_give_the_same_predictions(
    served: Served,
) -> None:
    from_frame = served.production.predict(ROWS)
    from_records = served.production.predict(ROWS.to_dict(orient="records"))

    assert from_frame.shape == (6,)
    np.testing.assert_array_equal(from_frame, from_records)


def test_the_same_rows_as_csv_and_as_json_give_the_same_predictions(
    served: Served, tmp_path: Path
) -> None:
    rows = ROWS.copy()
    rows.loc[1, "total_bedrooms"] = np.nan
    rows.to_csv(tmp_path / "rows.csv", index=False)
    rows.to_json(tmp_path / "rows.json", orient="records", double_precision=15)

    from_csv = served.production.predict_file(tmp_path / "rows.csv")
    from_json = served.production.predict_file(tmp_path / "rows.json")

    np.testing.assert_array_equal(from_csv, from_json)
    np.testing.assert_array_equal(from_csv, served.production.predict(rows))


def test_missing_columns_are_named(served: Served) -> None:
    rows = ROWS.drop(columns=["median_income", "ocean_proximity"])

    with pytest.raises(
        ServingError,
        match=r"missing required column.*'median_income', 'ocean_proximity'",
    ):
        served.production.predict(rows)


def test_extra_columns_are_ignored(served: Served) -> None:
    rows = ROWS.assign(listing_id=range(6), comment="n/a")

    np.testing.assert_array_equal(
        served.production.predict(rows), served.production.predict(ROWS)
    )


@pytest.mark.parametrize("column", ["median_income", "households", "total_bedrooms"])
def test_a_null_in_a_numeric_column_reaches_the_imputer(
    served: Served, column: str
) -> None:
    records = ROWS.to_dict(orient="records")
    records[0][column] = None

    predictions = served.production.predict(records)

    assert np.isfinite(predictions).all()


def test_nulls_work_for_a_model_trained_on_integer_columns(served: Served) -> None:
    schema_types = {
        column.name: column.type.name
        for column in served.int_trained.model.metadata.get_input_schema().inputs
    }
    rows = ROWS.copy()
    rows[list(INT_COLUMNS)] = rows[list(INT_COLUMNS)].round().astype("Int64")
    rows.loc[0, "households"] = pd.NA
    rows.loc[1, "housing_median_age"] = pd.NA

    predictions = served.int_trained.predict(rows)

    assert schema_types["households"] == "long"
    assert np.isfinite(predictions).all() and len(predictions) == 6


def test_an_unknown_category_is_encoded_as_all_zeros_with_a_warning(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = ROWS.head(1).copy(), ROWS.head(1).copy()
    first["ocean_proximity"], second["ocean_proximity"] = "MOON BASE", "UNDERSEA"

    with caplog.at_level(logging.WARNING, logger="housing_price.serving"):
        moon, undersea = (served.production.predict(f)[0] for f in (first, second))

    assert moon == undersea
    assert "never seen in training ['MOON BASE']" in caplog.text


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("median_income", "lots", r"'median_income' takes numbers or null; got 'lots'"),
        ("households", True, r"'households' takes numbers or null; got True"),
        ("latitude", float("inf"), r"'latitude' takes numbers or null; got inf"),
        ("ocean_proximity", 3, r"'ocean_proximity' takes text \(not null\); got 3"),
        ("ocean_proximity", None, r"'ocean_proximity' takes text .*got null"),
        ("total_rooms", [1, 2], r"'total_rooms' takes numbers or null; got \[1, 2\]"),
    ],
)
def test_a_wrong_type_is_an_error_naming_the_column_and_the_value(
    served: Served, column: str, value: object, expected: str
) -> None:
    records = ROWS.to_dict(orient="records")
    records[2][column] = value

    with pytest.raises(ServingError, match=expected + r" \(row 2\)"):
        served.production.predict(records)


def test_numeric_text_is_read_as_a_number(served: Served) -> None:
    records = ROWS.to_dict(orient="records")
    expected = served.production.predict(records)
    records[0]["median_income"] = str(records[0]["median_income"])

    np.testing.assert_array_equal(served.production.predict(records), expected)


def test_no_rows_is_an_error(served: Served) -> None:
    with pytest.raises(ServingError, match="no rows to predict"):
        served.production.predict(ROWS.head(0))


def test_a_record_that_is_not_a_mapping_is_an_error(served: Served) -> None:
    with pytest.raises(ServingError, match="record 1 is a list"):
        served.production.predict([ROWS.iloc[0].to_dict(), [1, 2]])


def test_an_unsupported_file_suffix_is_an_error(served: Served, tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    path.write_text("x")

    with pytest.raises(ServingError, match=r"suffix '\.xlsx'; use a \.csv or a \.json"):
        served.production.predict_file(path)


def test_feature_requirements_list_names_types_ranges_and_categories(
    served: Served,
) -> None:
    requirements = served.production.feature_requirements()

    features = {feature["name"]: feature for feature in requirements["features"]}
    assert list(features) == list(FEATURES)
    assert features["median_income"]["type"] == "number"
    assert features["median_income"]["observed_range"]["max"] > 0
    assert features["longitude"]["allowed_range"] == {"min": -124.6, "max": -114.0}
    assert "INLAND" in features["ocean_proximity"]["categories"]
