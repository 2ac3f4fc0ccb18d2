"""Shared fixtures: small synthetic housing frames and isolated working folders."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


QUICK_PARAMS_YAML = """\
data: {csv_sha256: null}
cv: {folds: 3}
tuning: {max_evals: 3}
training: {n_jobs: 1}
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
