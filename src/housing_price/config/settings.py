"""Typed settings: every default of the project lives here, once.

YAML files, environment variables and command-line options only override these
values (see `housing_price.config.loading`). Validation happens when a
`Settings` object is built, so a bad value stops a command before any work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

HOUSING_ARCHIVE_URL = (
    "https://raw.githubusercontent.com/ageron/handson-ml2/master/"
    "datasets/housing/housing.tgz"
)


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DataSettings(_Section):
    """Where the raw data comes from and where the processed split goes."""

    source: str | None = Field(
        default=None,
        description="Local housing.csv or housing.tgz to use instead of the download.",
    )
    url: str = HOUSING_ARCHIVE_URL
    archive_sha256: str | None = (
        "d4cd501af90475f09b814c7447c7701f59bf28e8cf1180205ae5ace9737a0109"
    )
    csv_sha256: str | None = (
        "8a3727f4cf54ac1a327f69b1d5b4db54c5834ea81c6e4efc0d163300022a685e"
    )
    download_timeout_seconds: float = Field(default=60.0, gt=0)
    raw_dir: Path = Path("data/raw")
    processed_dir: Path = Path("data/processed")
    test_size: float = Field(default=0.2, gt=0.0, lt=1.0)
    income_band_edges: tuple[float, ...] = (1.5, 3.0, 4.5, 6.0)

    @field_validator("income_band_edges")
    @classmethod
    def _edges_increase(cls, edges: tuple[float, ...]) -> tuple[float, ...]:
        if list(edges) != sorted(set(edges)) or not edges:
            raise ValueError(
                "income_band_edges must be a non-empty, strictly increasing list "
                f"of median-income values (tens of thousands of dollars); got {edges}"
            )
        return edges


class CrossValidationSettings(_Section):
    """K-fold cross-validation shared by every model family."""

    folds: int = Field(default=5, ge=2, le=20)
    shuffle: bool = True


class ParamSpace(_Section):
    """One hyperparameter's search range, in a form YAML can express.

    `int` samples whole numbers in [low, high]; `uniform` and `loguniform` sample
    floats; `choice` picks one of `options`.
    """

    kind: Literal["int", "uniform", "loguniform", "choice"]
    low: float | None = None
    high: float | None = None
    options: tuple[str | int | float | None, ...] | None = None

    @model_validator(mode="after")
    def _bounds_fit_kind(self) -> ParamSpace:
        if self.kind == "choice":
            if not self.options:
                raise ValueError("a 'choice' range needs a non-empty 'options' list")
            return self
        if self.low is None or self.high is None or self.low >= self.high:
            raise ValueError(
                f"a '{self.kind}' range needs numbers low < high; "
                f"got low={self.low}, high={self.high}"
            )
        if self.kind == "loguniform" and self.low <= 0:
            raise ValueError(f"a 'loguniform' range needs low > 0; got {self.low}")
        return self


class TuningSettings(_Section):
    """Hyperparameter search with hyperopt's TPE."""

    max_evals: int = Field(default=50, ge=1, le=10_000)
    search_spaces: dict[str, dict[str, ParamSpace]] = Field(
        default_factory=dict,
        description="Per model family, replaces that family's built-in search space.",
    )


class TrainingSettings(_Section):
    """Which model families to train and how much of the machine to use."""

    families: tuple[str, ...] = ("linear_regression", "decision_tree")
    n_jobs: int = Field(
        default=-1, description="Parallel folds; -1 uses every core.", ge=-1
    )

    @field_validator("n_jobs")
    @classmethod
    def _n_jobs_not_zero(cls, n_jobs: int) -> int:
        if n_jobs == 0:
            raise ValueError("n_jobs must be -1 (all cores) or a positive number")
        return n_jobs


class TrackingSettings(_Section):
    """Where MLflow records runs and stores artifacts."""

    uri: str = "sqlite:///mlflow.db"
    artifact_location: Path = Path("mlartifacts")
    experiment_name: str = Field(default="housing-price", min_length=1)


class RegistrationGates(_Section):
    """What a candidate must show before it becomes a model version.

    RMSE values are in dollars on the test split of the candidate's training.
    """

    max_test_rmse: float = Field(
        default=70_000.0, gt=0, description="Highest test RMSE allowed, in dollars."
    )
    baseline_family: str = Field(default="linear_regression", min_length=1)
    min_baseline_improvement: float = Field(
        default=0.05,
        ge=0.0,
        lt=1.0,
        description="Fraction by which the test RMSE must undercut the baseline "
        "of the same training (0.05 = at least 5 % lower).",
    )
    sample_rows: int = Field(
        default=5, ge=1, le=1000, description="Rows the logged model must predict."
    )


class PromotionSettings(_Section):
    """Champion/challenger rules, as fractions of the production model's RMSE.

    Both models are re-scored on the current test split. A challenger worse than
    production by more than `tolerance` is refused everywhere; to replace
    production it must also be better by at least `min_improvement`.
    """

    tolerance: float = Field(default=0.01, ge=0.0, lt=1.0)
    min_improvement: float = Field(default=0.005, ge=0.0, lt=1.0)


class RegistrySettings(_Section):
    """The registered model, its aliases and the rules that move them."""

    model_name: str = Field(default="housing-price", min_length=1)
    staging_alias: str = Field(default="staging", min_length=1)
    production_alias: str = Field(default="production", min_length=1)
    previous_production_alias: str = Field(default="previous-production", min_length=1)
    gates: RegistrationGates = RegistrationGates()
    promotion: PromotionSettings = PromotionSettings()


class Settings(_Section):
    """The whole configuration of a housing-price command."""

    seed: int = Field(default=42, ge=0, le=2**32 - 1)
    data: DataSettings = DataSettings()
    cv: CrossValidationSettings = CrossValidationSettings()
    tuning: TuningSettings = TuningSettings()
    training: TrainingSettings = TrainingSettings()
    tracking: TrackingSettings = TrackingSettings()
    registry: RegistrySettings = RegistrySettings()
