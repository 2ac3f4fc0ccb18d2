import pandas as pd

from housing_price.config import ParamSpace
from housing_price.data import FEATURES, TARGET
from housing_price.models import get_family
from housing_price.training import FoldMatrices, make_folds, tune
from housing_price.training.space import decode_params, to_hyperopt_space

SPACE = {
    "max_depth": ParamSpace(kind="int", low=2, high=12),
    "max_features": ParamSpace(kind="uniform", low=0.5, high=1.0),
    "splitter": ParamSpace(kind="choice", options=("best", "random")),
}


def _matrices(frame: pd.DataFrame) -> FoldMatrices:
    folds = make_folds(len(frame), 3, shuffle=True, seed=0)
    return FoldMatrices(
        get_family("decision_tree"),
        frame[list(FEATURES)],
        frame[TARGET],
        folds,
        n_jobs=1,
    )


def test_choice_indexes_decode_to_options_and_ints_stay_ints() -> None:
    space = to_hyperopt_space(SPACE)
    params = decode_params(
        space, {"max_depth": 7.0, "max_features": 0.7, "splitter": 1}
    )
    assert params == {"max_depth": 7, "max_features": 0.7, "splitter": "random"}
    assert type(params["max_depth"]) is int


def test_search_reports_every_trial_and_picks_the_lowest_loss(
    housing_frame: pd.DataFrame,
) -> None:
    seen = []
    result = tune(
        _matrices(housing_frame), SPACE, max_evals=6, seed=3, on_trial=seen.append
    )
    assert [trial.number for trial in seen] == [1, 2, 3, 4, 5, 6]
    assert result.best.loss == min(trial.loss for trial in result.trials)
    assert all(type(trial.params["max_depth"]) is int for trial in result.trials)
    assert {trial.params["splitter"] for trial in result.trials} <= {"best", "random"}


def test_same_seed_repeats_the_search_and_another_seed_does_not(
    housing_frame: pd.DataFrame,
) -> None:
    matrices = _matrices(housing_frame)
    first = tune(matrices, SPACE, max_evals=5, seed=11)
    again = tune(matrices, SPACE, max_evals=5, seed=11)
    other = tune(matrices, SPACE, max_evals=5, seed=12)
    assert [t.params for t in first.trials] == [t.params for t in again.trials]
    assert [t.loss for t in first.trials] == [t.loss for t in again.trials]
    assert [t.params for t in first.trials] != [t.params for t in other.trials]
