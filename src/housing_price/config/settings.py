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


class RegistrySettings(_Section):
    """The registered model that receives the best candidate."""

    model_name: str = Field(default="housing-price", min_length=1)
    staging_alias: str = "staging"


class PipelineSettings(_Section):
    """Files through which the pipeline's stages hand results to each other."""

    manifest_file: Path = Field(
        default=Path("manifest.json"),
        description="Where `train` also writes the manifest of the latest training.",
    )
    metrics_file: Path = Field(
        default=Path("metrics.json"),
        description="Where `evaluate` writes the test metrics of every candidate.",
    )


class Settings(_Section):
    """The whole configuration of a housing-price command."""

    seed: int = Field(default=42, ge=0, le=2**32 - 1)
    data: DataSettings = DataSettings()
    cv: CrossValidationSettings = CrossValidationSettings()
    tuning: TuningSettings = TuningSettings()
    training: TrainingSettings = TrainingSettings()
    tracking: TrackingSettings = TrackingSettings()
    registry: RegistrySettings = RegistrySettings()
    pipeline: PipelineSettings = PipelineSettings()

    @model_validator(mode="after")
    def _sections_agree(self) -> Settings:
        # Each family is one run per training and its own search space; a
        # repeated family or a space for an untrained family is a slip that
        # would otherwise go unnoticed until someone reads the runs.
        families = self.training.families
        repeated = sorted({name for name in families if families.count(name) > 1})
        if repeated:
            raise ValueError(
                f"training.families names {repeated} more than once; "
                "list each model family once"
            )
        untrained = sorted(set(self.tuning.search_spaces) - set(families))
        if untrained:
            raise ValueError(
                f"tuning.search_spaces has ranges for {untrained}, which "
                f"training.families {list(families)} does not train; add the family "
                "to training.families or remove its search space"
            )
        return self
