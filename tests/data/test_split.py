import pandas as pd
import pytest

from housing_price.data import income_bands, split_train_test
from housing_price.errors import DataError
from tests.conftest import make_housing_frame

EDGES = (1.5, 3.0, 4.5, 6.0)


def test_split_keeps_each_income_band_share() -> None:
    frame = make_housing_frame(rows=2000)
    train, test = split_train_test(frame, 0.2, seed=3, band_edges=EDGES)
    assert len(test) == 400 and len(train) == 1600
    overall = income_bands(frame["median_income"], EDGES).value_counts(normalize=True)
    in_test = income_bands(test["median_income"], EDGES).value_counts(normalize=True)
    assert (overall - in_test).abs().max() < 0.01


def test_same_seed_gives_the_same_split_and_another_seed_does_not() -> None:
    frame = make_housing_frame(rows=500)
    first, _ = split_train_test(frame, 0.2, seed=1, band_edges=EDGES)
    again, _ = split_train_test(frame, 0.2, seed=1, band_edges=EDGES)
    other, _ = split_train_test(frame, 0.2, seed=2, band_edges=EDGES)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_a_band_too_small_to_stratify_is_a_data_error() -> None:
    frame = make_housing_frame(rows=50)
    frame.loc[0, "median_income"] = 100.0
    with pytest.raises(DataError, match="income_band_edges"):
        split_train_test(frame, 0.2, seed=1, band_edges=(*EDGES, 50.0))
