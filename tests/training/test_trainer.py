"""One seed makes a training bit-identical; another seed changes it."""

from pathlib import Path
from typing import Any

import mlflow
import numpy as np
from sklearn.tree import export_text

from housing_price.config import load_settings
from housing_price.data.processed import prepare_data
from housing_price.experiments.tracking import connect
from housing_price.training import TrainingSummary, train_models


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


def test_same_seed_gives_identical_metrics_params_and_tree(
    quick_project: Path,
) -> None:
    first, second = _train(seed=42), _train(seed=42)

    assert first.training_id != second.training_id
    assert _results(first) == _results(second)
    tree_first, tree_second = _fitted_tree(first), _fitted_tree(second)
    assert export_text(tree_first) == export_text(tree_second)
    for array in ("feature", "threshold", "value", "children_left", "impurity"):
        assert np.array_equal(
            getattr(tree_first.tree_, array), getattr(tree_second.tree_, array)
        )


def test_another_seed_changes_the_split_search_and_tree(quick_project: Path) -> None:
    first, other = _train(seed=42), _train(seed=7)

    first_results, other_results = _results(first), _results(other)
    for family in first_results:
        assert first_results[family][1] != other_results[family][1]
    assert first_results["decision_tree"][0] != other_results["decision_tree"][0]
    assert export_text(_fitted_tree(first)) != export_text(_fitted_tree(other))
