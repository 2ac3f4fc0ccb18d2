"""The manifest of a training: everything needed to run it again and compare.

Each candidate run of a training gets the same `manifest.json` artifact: the
data's sha256 and its DVC lock entry, the git commit and dirty flag, the hash
of the lock file of the environment, Python and library versions, the seed,
the full resolved configuration, the run ids with their parameters and metrics,
and, once a version is registered from the run, that version.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import yaml
from mlflow.exceptions import MlflowException

from housing_price.config.settings import Settings
from housing_price.data.processed import ProcessedData
from housing_price.errors import TrackingError
from housing_price.experiments.provenance import git_state, library_versions
from housing_price.experiments.runs import TAG_PREFIX
from housing_price.experiments.tracking import TrackingContext
from housing_price.utils.files import sha256_of_file, write_text_atomically

logger = logging.getLogger(__name__)

MANIFEST_ARTIFACT = "manifest.json"
MANIFEST_FORMAT = 1
REGISTERED_VERSION_TAG = f"{TAG_PREFIX}registered_version"
DVC_LOCK_FILE = Path("dvc.lock")
ENVIRONMENT_LOCK_FILE = "uv.lock"


class _Scores(Protocol):
    def as_metrics(self) -> dict[str, float]: ...


class TrainedCandidate(Protocol):
    """What the manifest needs to know about one trained family."""

    @property
    def family(self) -> str: ...

    @property
    def run_id(self) -> str: ...

    @property
    def params(self) -> dict[str, Any]: ...

    @property
    def cv_scores(self) -> _Scores: ...

    @property
    def test_metrics(self) -> dict[str, float]: ...


def build_manifest(
    settings: Settings,
    data: ProcessedData,
    training_id: str,
    candidates: Sequence[TrainedCandidate],
) -> dict[str, Any]:
    """Describe one training completely, as a JSON-ready mapping."""
    git = git_state()
    return {
        "format": MANIFEST_FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "training_id": training_id,
        "seed": settings.seed,
        "config": settings.model_dump(mode="json"),
        "data": {
            "source_sha256": data.source_sha256,
            "source_origin": data.metadata["source"].get("origin"),
            "processed_dir": str(data.directory),
            "files": dict(data.metadata["files"]),
            "dvc_lock": find_dvc_lock_entry(data.directory),
        },
        "git": {"commit": git["git_commit"], "dirty": git["git_dirty"]},
        "environment": {
            "lock_file": ENVIRONMENT_LOCK_FILE,
            "lock_sha256": find_lock_file_sha256(),
            "versions": library_versions(),
        },
        "runs": {
            candidate.family: {
                "run_id": candidate.run_id,
                "params": candidate.params,
                "cv_metrics": candidate.cv_scores.as_metrics(),
                "test_metrics": candidate.test_metrics,
            }
            for candidate in candidates
        },
        "registered_model": None,
    }


def publish_manifest(
    settings: Settings,
    data: ProcessedData,
    context: TrackingContext,
    training_id: str,
    candidates: Sequence[TrainedCandidate],
) -> dict[str, Any]:
    """Log the training's manifest to every candidate run and write it locally.

    The local copy (`pipeline.manifest_file`) is the output of the pipeline's
    train stage, so the stages after it rerun only when a training happened.
    """
    manifest = build_manifest(settings, data, training_id, candidates)
    for candidate in candidates:
        _log_manifest(context, candidate.run_id, manifest)
    write_text_atomically(
        settings.pipeline.manifest_file, json.dumps(manifest, indent=2) + "\n"
    )
    logger.info(
        "Manifest of training %s logged and written to %s",
        training_id,
        settings.pipeline.manifest_file,
    )
    return manifest


def load_manifest(context: TrackingContext, run_id: str) -> dict[str, Any]:
    """Read the manifest logged with a candidate run.

    Raises:
        TrackingError: The run does not exist or has no manifest.
    """
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = context.client.download_artifacts(run_id, MANIFEST_ARTIFACT, folder)
            manifest: dict[str, Any] = json.loads(Path(path).read_text("utf-8"))
    except (MlflowException, OSError) as err:
        raise TrackingError(
            f"run {run_id!r} on {context.tracking_uri} has no {MANIFEST_ARTIFACT}: "
            f"{err}. Pass the id of a candidate run made by `housing-price train` "
            "(see the run column of its table or the MLflow UI)."
        ) from err
    return manifest


def record_registration(
    context: TrackingContext, run_id: str, model_name: str, version: str
) -> None:
    """Add the registered model version to the run's manifest and tags.

    A run logged before manifests existed only gets the tag.
    """
    context.client.set_tag(run_id, REGISTERED_VERSION_TAG, f"{model_name}/{version}")
    try:
        manifest = load_manifest(context, run_id)
    except TrackingError:
        logger.warning(
            "Run %s has no manifest to record version %s in", run_id, version
        )
        return
    manifest["registered_model"] = {"name": model_name, "version": version}
    _log_manifest(context, run_id, manifest)


def find_dvc_lock_entry(
    processed_dir: Path, lock_file: Path = DVC_LOCK_FILE
) -> dict[str, Any] | None:
    """Return the `dvc.lock` stage that produced `processed_dir`, if any."""
    if not lock_file.is_file():
        return None
    lock = yaml.safe_load(lock_file.read_text(encoding="utf-8")) or {}
    wanted = Path(processed_dir).as_posix().rstrip("/")
    for name, stage in (lock.get("stages") or {}).items():
        outputs = [Path(out["path"]).as_posix() for out in stage.get("outs", [])]
        if wanted in outputs:
            return {"stage": name, **stage}
    return None


def find_lock_file_sha256(start: Path | None = None) -> str | None:
    """sha256 of the nearest `uv.lock` above the working directory or the package.

    The package's own checkout is searched second, so a training started in
    another folder still records the environment of an editable install.
    """
    folder = (start or Path.cwd()).resolve()
    package = Path(__file__).resolve().parent
    for candidate in (folder, *folder.parents, *package.parents):
        lock_file = candidate / ENVIRONMENT_LOCK_FILE
        if lock_file.is_file():
            return sha256_of_file(lock_file)
    return None


def _log_manifest(
    context: TrackingContext, run_id: str, manifest: Mapping[str, Any]
) -> None:
    context.client.log_dict(run_id, dict(manifest), MANIFEST_ARTIFACT)
