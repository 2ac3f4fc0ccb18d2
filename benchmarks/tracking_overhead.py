"""Tracking overhead per tuning trial, as a ratio to the trial's bare fit time.

One run measures, on the real California housing split:

* bare: one trial's k-fold fit and scoring of a decision tree, no tracking;
* per-value: the trial logged as a child run with one call per param/metric;
* batched: the same child run written with one `log_batch` (what the trainer
  does);

each against an SQLite file and against an MLflow server on PostgreSQL that
the script starts on a free loopback port (and stops, dropping its database).

    python benchmarks/tracking_overhead.py --source /path/to/housing.tgz

Needs PostgreSQL on 127.0.0.1:5432; the database is named by --database-prefix
plus a random suffix.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")

from mlflow import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID

from housing_price.config import load_settings
from housing_price.config.settings import ServerSettings, TrackingSettings
from housing_price.data.processed import prepare_data
from housing_price.data.schema import FEATURES, TARGET
from housing_price.experiments.backend import drop_postgres_database
from housing_price.experiments.runs import log_trial_run
from housing_price.experiments.server import start_server, stop_server
from housing_price.experiments.tracking import TrackingContext, connect
from housing_price.models.family import get_family
from housing_price.training.folds import FoldMatrices, make_folds

PARAMS = {
    "max_depth": 10,
    "min_samples_split": 20,
    "min_samples_leaf": 5,
    "max_features": 0.8,
    "splitter": "best",
}


def main() -> None:
    arguments = _parse_arguments()
    with tempfile.TemporaryDirectory(prefix="tracking-bench-") as scratch:
        root = Path(scratch)
        matrices = _fold_matrices(arguments.source, root, arguments.folds)
        metrics = {"loss": 0.0, **matrices.score(PARAMS, 42).as_metrics()}

        bare = _time_per_trial(lambda: matrices.score(PARAMS, 42), arguments.trials)
        results: list[tuple[str, str, float]] = []

        sqlite = connect(
            TrackingSettings(
                uri=f"sqlite:///{root / 'mlflow.db'}",
                artifact_location=root / "artifacts",
                experiment_name="overhead",
            )
        )
        results += _measure_store("SQLite file", sqlite, metrics, arguments.trials)

        backend_uri = (
            f"{arguments.postgres}/{arguments.database_prefix}{secrets.token_hex(4)}"
        )
        server = ServerSettings(
            port=_free_port(),
            workers=1,
            backend_uri=backend_uri,
            artifacts_destination=str(root / "served"),
            state_dir=root / "server",
            startup_timeout_seconds=300,
        )
        started = time.perf_counter()
        try:
            state = start_server(server)
            healthy_after = time.perf_counter() - started
            remote = connect(
                TrackingSettings(uri=state.url, experiment_name="overhead")
            )
            results += _measure_store(
                "server on PostgreSQL", remote, metrics, arguments.trials
            )
        finally:
            stop_server(server)
            drop_postgres_database(backend_uri)

    _report(bare, results, arguments, len(metrics), healthy_after)


def _measure_store(
    label: str, context: TrackingContext, metrics: Mapping[str, float], trials: int
) -> list[tuple[str, str, float]]:
    parent = context.client.create_run(context.experiment_id)
    parent_id = parent.info.run_id

    def per_value() -> None:
        _log_per_value(context.client, context.experiment_id, parent_id, metrics)

    def batched() -> None:
        log_trial_run(context, parent_id, 1, PARAMS, metrics, {})

    per_value()  # first calls open connections and warm caches
    results = [
        (label, "per-value", _time_per_trial(per_value, trials)),
        (label, "batched", _time_per_trial(batched, trials)),
    ]
    context.client.set_terminated(parent_id)
    return results


def _log_per_value(
    client: MlflowClient,
    experiment_id: str,
    parent_id: str,
    metrics: Mapping[str, float],
) -> None:
    run = client.create_run(experiment_id, tags={MLFLOW_PARENT_RUN_ID: parent_id})
    run_id = run.info.run_id
    for name, value in PARAMS.items():
        client.log_param(run_id, name, value)
    for name, metric in metrics.items():
        client.log_metric(run_id, name, metric)
    client.set_terminated(run_id)


def _fold_matrices(source: str | None, root: Path, folds: int) -> FoldMatrices:
    overrides = [f"data.processed_dir={root / 'processed'}"]
    if source:
        overrides.append(f"data.source={source}")
    settings = load_settings(overrides=overrides, environ={})
    data = prepare_data(settings)
    features, target = data.train[list(FEATURES)], data.train[TARGET]
    indices = make_folds(len(features), folds, True, settings.seed)
    return FoldMatrices(get_family("decision_tree"), features, target, indices, 1)


def _time_per_trial(action: Callable[[], Any], trials: int) -> float:
    durations = []
    for _ in range(trials):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def _report(
    bare: float,
    results: list[tuple[str, str, float]],
    arguments: argparse.Namespace,
    metric_count: int,
    healthy_after: float,
) -> None:
    print(
        f"{arguments.trials} trials, {arguments.folds}-fold decision tree, "
        f"{len(PARAMS)} params + {metric_count} metrics per trial; medians"
    )
    print(f"{'store':<22}{'logging':<11}{'ms/trial':>10}{'x bare fit':>12}")
    print(f"{'(none)':<22}{'bare fit':<11}{bare * 1000:>10.1f}{1.0:>12.2f}")
    for store, mode, seconds in results:
        print(f"{store:<22}{mode:<11}{seconds * 1000:>10.1f}{seconds / bare:>12.2f}")
    print(f"server start to healthy (empty PostgreSQL database): {healthy_after:.1f} s")


def _parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        default=os.environ.get("HOUSING_PRICE_DATA_SOURCE"),
        help="housing.csv or housing.tgz [env: HOUSING_PRICE_DATA_SOURCE]",
    )
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database-prefix", default="hp_bench_")
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
