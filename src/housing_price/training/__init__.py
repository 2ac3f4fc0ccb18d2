"""Cross-validate, tune and train the model families."""

from housing_price.training.assessment import assess_candidates, write_metrics
from housing_price.training.consistency import check_split_matches_settings
from housing_price.training.folds import FoldMatrices, FoldScores, make_folds
from housing_price.training.reproduction import Reproduction, reproduce_training
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
    "Reproduction",
    "SearchResult",
    "TrainingObserver",
    "TrainingSummary",
    "Trial",
    "assess_candidates",
    "check_split_matches_settings",
    "make_folds",
    "reproduce_training",
    "train_models",
    "tune",
    "write_metrics",
]
