"""One seed makes a training bit-identical; another seed changes it."""

from collections.abc import Iterator
from typing import Any

import mlflow
import numpy as np
import pytest
from sklearn.tree import export_text

from housing_price.config import load_settings
from housing_price.data.processed import prepare_data
from housing_price.experiments.tracking import connect
from housing_price.training import TrainingSummary, train_models
from tests.conftest import QUICK_PARAMS_YAML, make_housing_frame


@pytest.fixture(scope="module")
def trainings(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, TrainingSummary]]:
    """Three trainings on the same data: seed 42 twice, then seed 7."""
    folder = tmp_path_factory.mktemp("seeds")
    make_housing_frame().to_csv(folder / "synthetic.csv", index=False)
    (folder / "params.yaml").write_text(
        QUICK_PARAMS_YAML + f"tracking: {{uri: 'sqlite:///{folder}/mlflow.db'}}\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for variable in ("MLFLOW_TRACKING_URI", "HOUSING_PRICE_DATA_SOURCE"):
            patch.delenv(variable, raising=False)
        yield {
            "first": _train(seed=42),
            "again": _train(seed=42),
            "other": _train(seed=7),
        }


def _train(seed: int) -> TrainingSummary:
    settings = load_settings(overrides=["data.source=synthetic.csv", f"seed={seed}"])
    data = prepare_data(settings)
    return train_models(settings, data, connect(settings.tracking))


def _fitted_tree(summary: TrainingSummary) -> Any:
    candidate = next(c for c in summary.candidates if c.family == "decision_tree")
    pipeline = mlflow.sklearn.load_model(candidate.model_uri)
    return pipeline.named_steps["model"]


def _results(summary: TrainingSummary) -> dict[str, Any]:
    return {
        c.family: (c.params, c.cv_scores.as_metrics(), c.test_metrics)
        for c in summary.candidates
    }


def test_same_seed_gives_identical_metrics_and_params(
    trainings: dict[str, TrainingSummary],
) -> None:
    first, again = trainings["first"], trainings["again"]
    assert first.training_id != again.training_id
    assert _results(first) == _results(again)


def test_same_seed_gives_an_identical_fitted_tree(
    trainings: dict[str, TrainingSummary],
) -> None:
    tree_first = _fitted_tree(trainings["first"])
    tree_again = _fitted_tree(trainings["again"])
    assert export_text(tree_first) == export_text(tree_again)
    for array in ("feature", "threshold", "value", "children_left", "impurity"):
        assert np.array_equal(
            getattr(tree_first.tree_, array), getattr(tree_again.tree_, array)
        )


def test_another_seed_changes_metrics_params_and_tree(
    trainings: dict[str, TrainingSummary],
) -> None:
    first, other = _results(trainings["first"]), _results(trainings["other"])
    for family in first:
        assert first[family][1] != other[family][1]
        assert first[family][2] != other[family][2]
    assert first["decision_tree"][0] != other["decision_tree"][0]
    assert export_text(_fitted_tree(trainings["first"])) != export_text(
        _fitted_tree(trainings["other"])
    )
