import numpy as np
import pandas as pd

from housing_price.data import FEATURES, TARGET
from housing_price.models import RatioFeatures, available_families, build_preprocessor


def test_ratio_features_are_appended_and_zero_denominators_give_nan() -> None:
    frame = pd.DataFrame(
        {
            "total_rooms": [10.0, 0.0],
            "total_bedrooms": [2.0, np.nan],
            "population": [30.0, 5.0],
            "households": [5.0, 0.0],
        }
    )
    transformed = RatioFeatures().fit(frame).transform(frame)
    assert transformed.shape == (2, 7)
    np.testing.assert_allclose(transformed[0, 4:], [2.0, 0.2, 6.0])
    assert np.isnan(transformed[1, 4:]).all()


def test_preprocessor_imputes_and_encodes_unknown_categories_as_zeros(
    housing_frame: pd.DataFrame,
) -> None:
    preprocessor = build_preprocessor(scale=True).fit(housing_frame[list(FEATURES)])
    row = housing_frame[list(FEATURES)].head(1).copy()
    row["total_bedrooms"] = np.nan
    row["ocean_proximity"] = "SOMEWHERE NEW"
    matrix = preprocessor.transform(row)
    names = list(preprocessor.get_feature_names_out())
    assert "bedrooms_per_room" in names
    assert not np.isnan(matrix).any()
    one_hot = [i for i, n in enumerate(names) if n.startswith("ocean_proximity_")]
    assert len(one_hot) == 5
    assert matrix[0, one_hot].sum() == 0


def test_scaling_only_where_asked(housing_frame: pd.DataFrame) -> None:
    features = housing_frame[list(FEATURES)]
    scaled = build_preprocessor(scale=True).fit_transform(features)
    raw = build_preprocessor(scale=False).fit_transform(features)
    assert abs(scaled[:, 0].mean()) < 1e-9
    assert raw[:, 0].mean() < -100


def test_both_families_are_discovered_and_predict_dollars(
    housing_frame: pd.DataFrame,
) -> None:
    families = available_families()
    assert {"linear_regression", "decision_tree"} <= set(families)
    assert families["decision_tree"].is_tuned
    assert not families["linear_regression"].is_tuned
    for family in families.values():
        pipeline = family.build_pipeline({}, seed=0)
        pipeline.fit(housing_frame[list(FEATURES)], housing_frame[TARGET])
        predictions = pipeline.predict(housing_frame[list(FEATURES)].head(3))
        assert predictions.shape == (3,)
        assert (predictions > 1_000).all()
