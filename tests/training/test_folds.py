import numpy as np
import pandas as pd
from sklearn.model_selection import cross_validate

from housing_price.data import FEATURES, TARGET
from housing_price.models import get_family
from housing_price.training import FoldMatrices, make_folds


def test_cached_fold_matrices_score_like_the_full_pipeline(
    housing_frame: pd.DataFrame,
) -> None:
    features, target = housing_frame[list(FEATURES)], housing_frame[TARGET]
    folds = make_folds(len(housing_frame), 4, shuffle=True, seed=7)
    params = {"max_depth": 6, "min_samples_leaf": 3}
    family = get_family("decision_tree")

    cached = FoldMatrices(family, features, target, folds, n_jobs=2).score(
        params, seed=7
    )
    reference = cross_validate(
        family.build_pipeline(params, seed=7),
        features,
        target,
        cv=folds,
        scoring="neg_root_mean_squared_error",
    )
    np.testing.assert_allclose(cached.values("rmse"), -reference["test_score"])


def test_scores_flatten_to_per_fold_and_summary_metrics(
    housing_frame: pd.DataFrame,
) -> None:
    features, target = housing_frame[list(FEATURES)], housing_frame[TARGET]
    folds = make_folds(len(housing_frame), 3, shuffle=True, seed=1)
    scores = FoldMatrices(
        get_family("linear_regression"), features, target, folds, n_jobs=1
    ).score({}, seed=1)
    metrics = scores.as_metrics()
    assert {"fold1_rmse", "fold3_r2", "cv_rmse_mean", "cv_mae_std"} <= set(metrics)
    assert metrics["cv_rmse_mean"] == np.mean(
        [metrics[f"fold{i}_rmse"] for i in (1, 2, 3)]
    )


def test_folds_depend_on_the_seed_only_when_shuffled() -> None:
    first = make_folds(100, 5, shuffle=True, seed=1)
    again = make_folds(100, 5, shuffle=True, seed=1)
    other = make_folds(100, 5, shuffle=True, seed=2)
    assert all((a[1] == b[1]).all() for a, b in zip(first, again, strict=True))
    assert any((a[1] != b[1]).any() for a, b in zip(first, other, strict=True))
