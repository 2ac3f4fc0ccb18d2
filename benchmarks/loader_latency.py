"""Single-row predict latency of the serving loader, against the bare pipeline.

The loader validates and cleans the row before the pipeline predicts, so its
cost is reported as a ratio to `Pipeline.predict` on the same row, measured in
the same run; MLflow's pyfunc `predict` (schema enforcement) is shown too.

    python benchmarks/loader_latency.py                      # synthetic model
    python benchmarks/loader_latency.py --tracking-uri sqlite:///mlflow.db \
        --alias production                                    # a registered model
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd

from housing_price.config.settings import TrackingSettings
from housing_price.data.schema import FEATURES, OCEAN_PROXIMITY_CATEGORIES, TARGET
from housing_price.experiments.runs import log_fitted_model
from housing_price.experiments.tracking import connect
from housing_price.models.family import get_family
from housing_price.serving.loader import LoadedModel, load_registered_model

MODEL_NAME = "housing-price"


def synthetic_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    """Districts with the real columns and plausible values."""
    rng = np.random.default_rng(seed)
    households = rng.integers(50, 1500, rows).astype(float)
    rooms = (households * rng.uniform(3, 8, rows)).round()
    income = rng.uniform(0.5, 15, rows)
    return pd.DataFrame(
        {
            "longitude": rng.uniform(-124.3, -114.4, rows),
            "latitude": rng.uniform(32.6, 41.9, rows),
            "housing_median_age": rng.integers(1, 52, rows).astype(float),
            "total_rooms": rooms,
            "total_bedrooms": (rooms * rng.uniform(0.15, 0.3, rows)).round(),
            "population": (households * rng.uniform(1.5, 4, rows)).round(),
            "households": households,
            "median_income": income,
            "ocean_proximity": rng.choice(OCEAN_PROXIMITY_CATEGORIES[:4], rows),
            TARGET: 40_000 * income + rng.normal(0, 15_000, rows),
        }
    )


def register_synthetic_model(directory: Path) -> str:
    """Train a tree on synthetic rows, log and register it; return the store URI."""
    context = connect(
        TrackingSettings(
            uri=f"sqlite:///{directory}/mlflow.db",
            artifact_location=directory / "mlartifacts",
        )
    )
    frame = synthetic_frame(2_000)
    pipeline = get_family("decision_tree").build_pipeline({"max_depth": 10}, seed=0)
    pipeline.fit(frame[list(FEATURES)], frame[TARGET])
    with mlflow.start_run(experiment_id=context.experiment_id):
        model_uri = log_fitted_model(pipeline, frame[list(FEATURES)].head(50), {})
    version = mlflow.register_model(model_uri, MODEL_NAME)
    context.client.set_registered_model_alias(MODEL_NAME, "production", version.version)
    return context.tracking_uri


def median_ms(
    calls_by_label: dict[str, Callable[[], Any]], calls: int, warmup: int = 20
) -> dict[str, float]:
    """Median wall time of each call in milliseconds.

    The calls take turns, so a busy moment on the machine slows all of them
    alike instead of skewing one.
    """
    timings: dict[str, list[float]] = {label: [] for label in calls_by_label}
    for iteration in range(warmup + calls):
        for label, call in calls_by_label.items():
            start = time.perf_counter()
            call()
            if iteration >= warmup:
                timings[label].append(time.perf_counter() - start)
    return {label: statistics.median(t) * 1000 for label, t in timings.items()}


def measure(loaded: LoadedModel, calls: int) -> None:
    """Print the latencies and their ratios to the bare pipeline."""
    row = loaded.model.input_example.head(1)
    pipeline = loaded.model.get_raw_model()
    record = row.to_dict(orient="records")

    results = median_ms(
        {
            "bare Pipeline.predict (reference)": lambda: pipeline.predict(row),
            "loader predict(DataFrame)": lambda: loaded.predict(row),
            "loader predict([record])": lambda: loaded.predict(record),
            "mlflow pyfunc predict": lambda: loaded.model.predict(row),
        },
        calls,
    )
    bare = results["bare Pipeline.predict (reference)"]
    print(f"{loaded.name} version {loaded.version}, one row, median of {calls} calls")
    for label, value in results.items():
        print(f"  {label:<36} {value:8.3f} ms   x{value / bare:5.2f}")


def main() -> None:
    """Parse options, load the model, measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracking-uri", help="Registry to load from.")
    parser.add_argument("--alias", default="production")
    parser.add_argument("--calls", type=int, default=1_000)
    options = parser.parse_args()
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

    with tempfile.TemporaryDirectory() as directory:
        uri = options.tracking_uri or register_synthetic_model(Path(directory))
        loaded = load_registered_model(uri, MODEL_NAME, alias=options.alias)
        measure(loaded, options.calls)


if __name__ == "__main__":
    main()
