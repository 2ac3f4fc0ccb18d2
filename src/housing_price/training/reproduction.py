"""Run a logged training again from its manifest and compare the results.

Nothing is checked out: the code that runs is the code installed now. The
manifest supplies the configuration and the data's sha256; the split is made
again in a scratch folder, so the working directory's files stay untouched.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from housing_price.config.settings import Settings, TrackingSettings
from housing_price.data.processed import prepare_data
from housing_price.errors import DataError, TrackingError
from housing_price.experiments.manifest import load_manifest
from housing_price.experiments.tracking import TrackingContext, connect
from housing_price.training.trainer import (
    TrainingObserver,
    TrainingSummary,
    train_models,
)

logger = logging.getLogger(__name__)

REPRODUCTION_EXPERIMENT_SUFFIX = "-reproductions"
_URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Difference:
    """One recorded value and what the new run gave instead."""

    family: str
    name: str
    recorded: Any
    reproduced: Any


@dataclass(frozen=True)
class Reproduction:
    """The outcome of running a training again."""

    original_run_id: str
    original_training_id: str
    training_id: str
    compared: int
    differences: tuple[Difference, ...]

    @property
    def matches(self) -> bool:
        """Whether every parameter and metric came out identical."""
        return not self.differences


def reproduce_training(
    context: TrackingContext,
    run_id: str,
    tracking: TrackingSettings,
    data_source: str | None = None,
    observer: TrainingObserver | None = None,
) -> Reproduction:
    """Train again with the manifest of `run_id` and compare params and metrics.

    The new runs go to the experiment of `tracking` with the suffix
    `-reproductions`, so they never compete with real trainings at `register`.

    Args:
        context: The store holding the original run.
        run_id: Any candidate run of the training to reproduce.
        tracking: Where to log the new runs (the experiment name gets a suffix).
        data_source: A local copy of the raw data to use instead of the one
            the manifest names (which may live on another machine).
        observer: Receives training progress.

    Raises:
        TrackingError: The run has no manifest.
        DataError: The data found is not the data the manifest records.
    """
    manifest = load_manifest(context, run_id)
    with tempfile.TemporaryDirectory(prefix="housing-price-reproduce-") as scratch:
        settings = _settings_from_manifest(
            manifest, Path(scratch), tracking, data_source
        )
        data = prepare_data(settings)
        recorded_sha256 = manifest["data"]["source_sha256"]
        if data.source_sha256 != recorded_sha256:
            raise DataError(
                f"the raw data at {settings.data.source or settings.data.url} has "
                f"sha256 {data.source_sha256}, but run {run_id} was trained on "
                f"{recorded_sha256}; pass the original file with --source"
            )
        summary = train_models(settings, data, connect(settings.tracking), observer)

    compared, differences = _compare(manifest["runs"], summary)
    logger.info(
        "Reproduced training %s as %s: %d values compared, %d differ",
        manifest["training_id"],
        summary.training_id,
        compared,
        len(differences),
    )
    return Reproduction(
        original_run_id=run_id,
        original_training_id=str(manifest["training_id"]),
        training_id=summary.training_id,
        compared=compared,
        differences=tuple(differences),
    )


def _settings_from_manifest(
    manifest: dict[str, Any],
    scratch: Path,
    tracking: TrackingSettings,
    data_source: str | None,
) -> Settings:
    try:
        config = dict(manifest["config"])
    except (KeyError, TypeError) as err:
        raise TrackingError(
            "the manifest holds no configuration; it was not written by "
            "`housing-price train`"
        ) from err
    reproduction_experiment = tracking.experiment_name + REPRODUCTION_EXPERIMENT_SUFFIX
    # `train` takes no source, so the file the split came from is the origin
    # that `prepare` recorded; a URL origin means the checked download.
    origin = manifest["data"].get("source_origin")
    recorded_file = None if str(origin).startswith(_URL_SCHEMES) else origin
    config["data"] = {
        **config["data"],
        "source": data_source or config["data"]["source"] or recorded_file,
        "raw_dir": str(scratch / "raw"),
        "processed_dir": str(scratch / "processed"),
    }
    config["tracking"] = {
        **tracking.model_dump(mode="json"),
        "experiment_name": reproduction_experiment,
    }
    config["pipeline"] = {
        **config.get("pipeline", {}),
        "manifest_file": str(scratch / "manifest.json"),
    }
    return Settings.model_validate(config)


def _compare(
    recorded_runs: dict[str, Any], summary: TrainingSummary
) -> tuple[int, list[Difference]]:
    reproduced = {candidate.family: candidate for candidate in summary.candidates}
    compared, differences = 0, []
    for family, recorded in recorded_runs.items():
        candidate = reproduced.get(family)
        if candidate is None:
            differences.append(Difference(family, "run", "trained", "missing"))
            continue
        pairs = {
            **{
                f"param {name}": (value, candidate.params.get(name))
                for name, value in recorded["params"].items()
            },
            **{
                name: (value, candidate.cv_scores.as_metrics().get(name))
                for name, value in recorded["cv_metrics"].items()
            },
            **{
                f"test_{name}": (value, candidate.test_metrics.get(name))
                for name, value in recorded["test_metrics"].items()
            },
        }
        for name, (before, after) in pairs.items():
            compared += 1
            if before != after:
                differences.append(Difference(family, name, before, after))
    return compared, differences
