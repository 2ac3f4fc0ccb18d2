"""Report numbers: metric rows, residuals, groups, importances, tuning history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from housing_price.data.schema import FEATURES, TARGET
from housing_price.evaluation import analysis
from housing_price.models.family import get_family
from tests.conftest import make_housing_frame


def test_metric_rows_lay_out_folds_mean_std_and_test() -> None:
    metrics = {
        "fold1_rmse": 10.0,
        "fold2_rmse": 12.0,
        "cv_rmse_mean": 11.0,
        "cv_rmse_std": 1.0,
        "test_rmse": 13.0,
        "test_mape": 0.2,
    }

    rows = analysis.metric_rows(metrics)

    assert [row.label for row in rows] == [
        "Fold 1",
        "Fold 2",
        "CV mean",
        "CV std",
        "Test",
    ]
    assert rows[-1].cells["mape"] == analysis.MetricCell("test_mape", 0.2)
    assert rows[1].cells["rmse"].key == "fold2_rmse"


def test_prediction_frame_flags_the_census_cap_and_signs_residuals() -> None:
    features = pd.DataFrame({"median_income": [3.0, 9.0]})
    actual = pd.Series([100_000.0, 500_001.0])

    frame = analysis.prediction_frame(features, actual, np.array([90_000.0, 450_000.0]))

    assert frame[analysis.IS_CAPPED].tolist() == [False, True]
    assert frame[analysis.RESIDUAL].tolist() == [10_000.0, 50_001.0]


def test_income_band_labels_read_as_dollar_ranges() -> None:
    assert analysis.income_band_labels([1.5, 3.0]) == [
        "under $15k",
        "$15k\N{EN DASH}$30k",
        "$30k and up",
    ]


def test_error_by_group_gives_rmse_mae_and_bias_per_group() -> None:
    frame = analysis.prediction_frame(
        pd.DataFrame({"ocean_proximity": ["INLAND", "INLAND", "NEAR BAY"]}),
        pd.Series([100.0, 200.0, 300.0]),
        np.array([110.0, 170.0, 300.0]),
    )

    table = analysis.error_by_group(frame, "ocean_proximity").set_index(
        "ocean_proximity"
    )

    assert table.loc["INLAND", "districts"] == 2
    assert table.loc["INLAND", "rmse"] == pytest.approx(np.sqrt((100 + 900) / 2))
    assert table.loc["INLAND", "mae"] == pytest.approx(20.0)
    assert table.loc["INLAND", "bias"] == pytest.approx(10.0)
    assert table.loc["NEAR BAY", "rmse"] == 0.0


def test_worst_predictions_come_largest_error_first() -> None:
    frame = analysis.prediction_frame(
        pd.DataFrame({"x": [1, 2, 3]}),
        pd.Series([100.0, 100.0, 100.0]),
        np.array([90.0, 160.0, 70.0]),
    )

    assert analysis.worst_predictions(frame, 2)["x"].tolist() == [2, 3]


def test_tuning_history_tracks_the_best_loss_so_far() -> None:
    trials = pd.DataFrame(
        {"trial": [2, 1, 3], "loss": [5.0, 9.0, 7.0], "depth": [3, 8, 4]}
    )

    history = analysis.tuning_history(trials)

    assert history["best_so_far"].tolist() == [9.0, 5.0, 5.0]
    assert analysis.hyperparameter_columns(history) == ["depth"]


def test_tree_importances_name_the_features_that_drive_price() -> None:
    frame = make_housing_frame(rows=500)
    pipeline = get_family("decision_tree").build_pipeline({"max_depth": 4}, seed=0)
    pipeline.fit(frame[list(FEATURES)], frame[TARGET])

    impurity = analysis.impurity_importances(pipeline)
    permutation = analysis.permutation_importances(
        pipeline, frame[list(FEATURES)], frame[TARGET], repeats=2, seed=0
    )

    assert impurity.index[0] == "median_income"
    assert impurity.sum() == pytest.approx(1.0)
    assert permutation.iloc[0]["feature"] == "median_income"
    assert permutation.iloc[0]["mean"] > 10_000


def test_linear_coefficients_follow_the_transformed_columns() -> None:
    frame = make_housing_frame(rows=300)
    pipeline = get_family("linear_regression").build_pipeline({}, seed=0)
    pipeline.fit(frame[list(FEATURES)], frame[TARGET])

    coefficients = analysis.linear_coefficients(pipeline)

    assert coefficients.index[0] == "median_income"
    assert "ocean_proximity_INLAND" in coefficients.index
    assert "rooms_per_household" in coefficients.index
