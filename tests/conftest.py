"""Shared fixtures: small synthetic housing frames and isolated working folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest_plugins = ["tests.tracking_servers"]

CATEGORIES = ["<1H OCEAN", "INLAND", "NEAR BAY", "NEAR OCEAN", "ISLAND"]


def make_housing_frame(rows: int = 400, seed: int = 0) -> pd.DataFrame:
    """A synthetic table with the columns, types and ranges of the real data."""
    rng = np.random.default_rng(seed)
    households = rng.integers(50, 1500, rows).astype(float)
    total_rooms = households * rng.uniform(3, 8, rows)
    income = rng.uniform(0.5, 15, rows)
    frame = pd.DataFrame(
        {
            "longitude": rng.uniform(-124.3, -114.4, rows),
            "latitude": rng.uniform(32.6, 41.9, rows),
            "housing_median_age": rng.integers(1, 52, rows).astype(float),
            "total_rooms": total_rooms.round(),
            "total_bedrooms": (total_rooms * rng.uniform(0.15, 0.3, rows)).round(),
            "population": (households * rng.uniform(1.5, 4, rows)).round(),
            "households": households,
            "median_income": income,
            "ocean_proximity": rng.choice(CATEGORIES[:4], rows),
        }
    )
    frame.loc[
        rng.choice(rows, size=max(1, rows // 50), replace=False), "total_bedrooms"
    ] = np.nan
    frame["median_house_value"] = (
        40_000 * income
        + 20_000 * (frame["ocean_proximity"] != "INLAND")
        + rng.normal(0, 15_000, rows)
    ).clip(15_000, 500_001)
    return frame


@pytest.fixture(autouse=True)
def _mlflow_uris_stay_in_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the environment variables `mlflow.set_*_uri` write.

    MLflow exports the tracking and registry URIs it is given, so a test that
    connects in-process would otherwise send later tests' subprocesses to its
    store.
    """
    for variable in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"):
        monkeypatch.setenv(variable, "")
        monkeypatch.delenv(variable)


@pytest.fixture
def housing_frame() -> pd.DataFrame:
    return make_housing_frame()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test inside an empty folder, with no inherited tracking settings."""
    monkeypatch.chdir(tmp_path)
    for variable in (
        "MLFLOW_TRACKING_URI",
        "HOUSING_PRICE_DATA_SOURCE",
        "HOUSING_PRICE_EXPERIMENT",
        "HOUSING_PRICE_BACKEND_URI",
    ):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


@pytest.fixture
def synthetic_csv(workdir: Path, housing_frame: pd.DataFrame) -> Path:
    path = workdir / "synthetic.csv"
    housing_frame.to_csv(path, index=False)
    return path


def real_data_source() -> Path | None:
    """The real dataset given through HOUSING_PRICE_DATA_SOURCE, if any."""
    value = os.environ.get("HOUSING_PRICE_DATA_SOURCE")
    return Path(value).resolve() if value else None


MLFLOW_URI_VARIABLES = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")


@contextmanager
def preserved_mlflow_uris() -> Iterator[None]:
    """Undo the environment variables that mlflow.set_*_uri export.

    MLflow exports them so child processes follow; left behind, they would send
    a later test's subprocess (a model server, the main job) to a deleted store.
    """
    saved = {variable: os.environ.get(variable) for variable in MLFLOW_URI_VARIABLES}
    try:
        yield
    finally:
        for variable, value in saved.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value


@pytest.fixture(autouse=True)
def _isolated_mlflow_uris() -> Iterator[None]:
    with preserved_mlflow_uris():
        yield


@pytest.fixture(scope="session")
def model_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Candidate runs logged once per session (see tests/model_store.py)."""
    from tests.model_store import build_store

    with preserved_mlflow_uris():
        return build_store(tmp_path_factory.mktemp("model-store"))


QUICK_PARAMS_YAML = """\
data: {csv_sha256: null}
cv: {folds: 3}
tuning: {max_evals: 3}
training: {n_jobs: 1}
registry: {gates: {min_baseline_improvement: 0.0}}
"""


@pytest.fixture
def quick_project(workdir: Path, synthetic_csv: Path) -> Path:
    """A working folder whose params.yaml asks for a small, fast training.

    The store's URI is absolute: MLflow caches stores by URI, so a relative
    `sqlite:///mlflow.db` would reach an earlier test's folder.
    """
    (workdir / "params.yaml").write_text(
        QUICK_PARAMS_YAML + f"tracking: {{uri: 'sqlite:///{workdir}/mlflow.db'}}\n"
    )
    return workdir


@pytest.fixture
def trained_project(quick_project: Path, synthetic_csv: Path) -> Path:
    """`data prepare` and `train` have run on synthetic data in the folder."""
    from typer.testing import CliRunner

    from housing_price.cli import app

    runner = CliRunner()
    for command in (["data", "prepare", "--source", str(synthetic_csv)], ["train"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    return quick_project


@contextmanager
def mlflow_uri_environment(uri: str) -> Iterator[None]:
    """Point MLflow at `uri` and put the URI variables back afterwards.

    `mlflow.set_tracking_uri` and `set_registry_uri` also export
    MLFLOW_TRACKING_URI and MLFLOW_REGISTRY_URI, so without this a module's
    store would leak into later tests and the subprocesses they start.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.setenv("MLFLOW_REGISTRY_URI", uri)
        yield


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A real headless Chromium driven by the system chromedriver, offline."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--window-size=1280,1400",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()
