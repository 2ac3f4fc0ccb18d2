"""Where a run came from: git state and library versions, as MLflow tags."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

TRACKED_LIBRARIES = (
    "mlflow",
    "scikit-learn",
    "hyperopt",
    "numpy",
    "pandas",
    "pyarrow",
    "cloudpickle",
)


def git_state(directory: Path | None = None) -> dict[str, str]:
    """Return the commit and whether the work tree has uncommitted changes.

    Outside a git checkout (an installed package, an unpacked archive) both
    values are `unknown` rather than an error: training must still run.
    """

    def run_git(*args: str) -> str | None:
        try:
            completed = subprocess.run(
                ["git", *args],
                cwd=directory,
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return completed.stdout.strip()

    commit = run_git("rev-parse", "HEAD")
    if commit is None:
        return {"git_commit": "unknown", "git_dirty": "unknown"}
    status = run_git("status", "--porcelain", "--untracked-files=no")
    dirty = "unknown" if status is None else str(bool(status)).lower()
    return {"git_commit": commit, "git_dirty": dirty}


def library_versions() -> dict[str, str]:
    """Return the installed version of each library that shapes a model."""
    versions = {"python": platform.python_version()}
    for name in TRACKED_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def model_pip_requirements() -> list[str]:
    """Pinned requirements of a logged model, so MLflow need not infer them.

    Inference imports the model in a subprocess and takes seconds per model.
    """
    names = ("mlflow", "scikit-learn", "numpy", "pandas", "cloudpickle", "scipy")
    return [f"{name}=={metadata.version(name)}" for name in names]
