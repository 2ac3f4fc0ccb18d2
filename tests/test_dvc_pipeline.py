"""The DVC pipeline on the real data: a project copy, a local remote, a fresh clone.

The origin copy pushes the raw archive to a DVC remote in a temporary folder
and runs the pipeline once; a fresh git clone pulls the archive from that
remote (no network) and reruns every stage, which must give the same metrics.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import real_data_source

pytestmark = pytest.mark.e2e

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
QUICK_PARAMS = {"cv": {"folds": 3}, "tuning": {"max_evals": 3}}
STAGES = ("prepare", "train", "evaluate", "register")


def _environment() -> dict[str, str]:
    hidden = {
        "MLFLOW_TRACKING_URI",
        "HOUSING_PRICE_DATA_SOURCE",
        "HOUSING_PRICE_EXPERIMENT",
    }
    environment = {k: v for k, v in os.environ.items() if k not in hidden}
    environment["PATH"] = f"{VENV_BIN}{os.pathsep}{environment.get('PATH', '')}"
    environment["DVC_NO_ANALYTICS"] = "1"
    return environment


def _run(directory: Path, *command: str) -> str:
    completed = subprocess.run(
        command,
        cwd=directory,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, (
        f"{' '.join(command)} failed:\n{completed.stdout[-3000:]}\n"
        f"{completed.stderr[-3000:]}"
    )
    return completed.stdout + completed.stderr


def _git(directory: Path, *args: str) -> str:
    return _run(
        directory,
        "git",
        "-c",
        "user.name=test",
        "-c",
        "user.email=test@localhost",
        *args,
    )


def _copy_project(target: Path) -> None:
    """Copy the files git would commit, as they are now in the work tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _ran_stages(output: str) -> set[str]:
    return {stage for stage in STAGES if f"Running stage '{stage}'" in output}


@pytest.fixture(scope="module")
def origin(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, Path, str]]:
    source = real_data_source()
    assert source is not None, "set HOUSING_PRICE_DATA_SOURCE to housing.tgz"
    root = tmp_path_factory.mktemp("dvc")
    with pytest.MonkeyPatch.context() as patch:
        # DVC keeps indexes in a machine-wide folder; the test keeps its own.
        patch.setenv("DVC_SITE_CACHE_DIR", str(root / "site-cache"))
        yield _set_up_origin(root, source)


def _set_up_origin(root: Path, source: Path) -> tuple[Path, Path, str]:
    project, remote = root / "origin", root / "remote"
    _copy_project(project)
    (project / "params.yaml").write_text(
        yaml.safe_dump(
            {**yaml.safe_load((project / "params.yaml").read_text()), **QUICK_PARAMS}
        )
    )
    _git(project, "init", "-q")
    _run(project, "dvc", "remote", "add", "-d", "local", str(remote))
    shutil.copyfile(source, project / "data/raw/housing.tgz")
    _run(project, "dvc", "add", "data/raw/housing.tgz")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "project")
    _run(project, "dvc", "push")

    output = _run(project, "dvc", "repro")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "pipeline run")
    return project, remote, output


def test_raw_archive_is_tracked_by_dvc_and_not_by_git(
    origin: tuple[Path, Path, str],
) -> None:
    project, _, _ = origin
    tracked = _git(project, "ls-files").split()
    assert "data/raw/housing.tgz.dvc" in tracked
    assert not [name for name in tracked if name.endswith((".tgz", ".csv"))]
    assert "params.yaml" in tracked and "dvc.lock" in tracked


def test_first_repro_runs_every_stage_and_writes_metrics(
    origin: tuple[Path, Path, str],
) -> None:
    project, _, output = origin
    assert _ran_stages(output) == set(STAGES)
    metrics = json.loads((project / "metrics.json").read_text())
    assert set(metrics) == {"linear_regression", "decision_tree"}
    assert (
        metrics["decision_tree"]["test_rmse"]
        < metrics["linear_regression"]["test_rmse"]
    )
    manifest = json.loads((project / "manifest.json").read_text())
    assert manifest["data"]["dvc_lock"]["stage"] == "prepare"
    assert manifest["config"]["cv"]["folds"] == 3


def test_repro_without_changes_runs_nothing(origin: tuple[Path, Path, str]) -> None:
    project, _, _ = origin
    output = _run(project, "dvc", "repro")
    assert _ran_stages(output) == set()


def test_a_registry_parameter_reruns_register_but_not_train(
    origin: tuple[Path, Path, str],
) -> None:
    project, _, _ = origin
    params = yaml.safe_load((project / "params.yaml").read_text())
    params["registry"] = {"staging_alias": "candidate"}
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    output = _run(project, "dvc", "repro")
    assert "train" not in _ran_stages(output)
    assert "evaluate" not in _ran_stages(output)
    assert "register" in _ran_stages(output)
    _git(project, "checkout", "--", "params.yaml")


def test_fresh_clone_pulls_the_data_offline_and_reproduces_the_metrics(
    origin: tuple[Path, Path, str], tmp_path: Path
) -> None:
    project, _, _ = origin
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(project), str(clone))
    assert not (clone / "data/raw/housing.tgz").exists()

    _run(clone, "dvc", "pull", "data/raw/housing.tgz.dvc")
    output = _run(clone, "dvc", "repro", "--force")

    assert _ran_stages(output) == set(STAGES)
    assert (clone / "metrics.json").read_text() == (
        project / "metrics.json"
    ).read_text()
    status = _git(clone, "status", "--porcelain", "metrics.json")
    assert status.strip() == ""
