"""Cross-validate, tune and train the model families."""

from housing_price.training.folds import FoldMatrices, FoldScores, make_folds
from housing_price.training.trainer import (
    CandidateResult,
    TrainingObserver,
    TrainingSummary,
    train_models,
)
from housing_price.training.tuning import SearchResult, Trial, tune

__all__ = [
    "CandidateResult",
    "FoldMatrices",
    "FoldScores",
    "SearchResult",
    "TrainingObserver",
    "TrainingSummary",
    "Trial",
    "make_folds",
    "train_models",
    "tune",
]
