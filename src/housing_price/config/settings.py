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
    """Where MLflow records runs and stores artifacts.

    `uri` is both the tracking and the registry URI, so a model registered
    through a server is loaded through the same server.
    """

    uri: str = "sqlite:///mlflow.db"
    artifact_location: Path = Path("mlartifacts")
    experiment_name: str = Field(default="housing-price", min_length=1)
    probe_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long the check before training waits for a server.",
    )


class ServerAuthSettings(_Section):
    """MLflow's basic-auth app; the admin password comes from the environment."""

    enabled: bool = False
    admin_username: str = Field(default="admin", min_length=1)
    default_permission: Literal["READ", "EDIT", "MANAGE", "NO_PERMISSIONS"] = "READ"
    database_uri: str | None = Field(
        default=None,
        description="Where users live; by default auth.db in server.state_dir.",
    )


class ServerSettings(_Section):
    """The MLflow tracking server that `housing-price server start` runs.

    Artifacts are always served through the server, so clients log and load
    models over HTTP and need no storage credentials.
    """

    host: str = "127.0.0.1"
    port: int = Field(default=5000, ge=1, le=65535)
    backend_uri: str = Field(
        default="sqlite:///mlflow.db",
        description="SQLite file or PostgreSQL URL of runs and registered models.",
    )
    artifacts_destination: str = Field(
        default="mlartifacts",
        description="Directory or object-store URI (s3://, gs://) of artifacts.",
    )
    workers: int = Field(default=4, ge=1, le=64)
    state_dir: Path = Field(
        default=Path(".mlflow-server"),
        description="Holds the PID file, the log file and the auth config.",
    )
    allowed_hosts: tuple[str, ...] = Field(
        default=(),
        description="Host headers the server accepts; empty keeps MLflow's "
        "default (localhost and private addresses).",
    )
    cors_allowed_origins: tuple[str, ...] = Field(
        default=(),
        description="Browser origins allowed to call the API; empty keeps "
        "MLflow's default (localhost origins).",
    )
    startup_timeout_seconds: float = Field(default=120.0, gt=0)
    job_execution: bool = Field(
        default=False,
        description="MLflow's background job runner (GenAI evaluation and trace "
        "jobs); off, it saves about eight processes this project never uses.",
    )
    auth: ServerAuthSettings = ServerAuthSettings()


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


class ReportSettings(_Section):
    """The evaluation report written after each training and on demand."""

    directory: Path = Path("reports")
    worst_predictions: int = Field(default=10, ge=1, le=100)
    permutation_repeats: int = Field(default=5, ge=1, le=50)
    tree_plot_depth: int = Field(default=3, ge=1, le=6)


class ComparisonSettings(_Section):
    """The leaderboard of runs and registered versions."""

    page_size: int = Field(
        default=500, ge=1, le=10_000, description="Results per tracking-server call."
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
    server: ServerSettings = ServerSettings()
    pipeline: PipelineSettings = PipelineSettings()
    report: ReportSettings = ReportSettings()
    comparison: ComparisonSettings = ComparisonSettings()

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
