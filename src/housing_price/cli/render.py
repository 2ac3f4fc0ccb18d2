"""Tables and hints the commands print."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from housing_price.registry.registration import RegisteredCandidate
    from housing_price.training.trainer import TrainingSummary


def training_table(summary: TrainingSummary) -> Table:
    """CV and test metrics of every candidate, best first."""
    table = Table(title=f"Training {summary.training_id} (dollars)")
    table.add_column("model")
    table.add_column("CV RMSE", justify="right")
    table.add_column("± std", justify="right")
    table.add_column("test RMSE", justify="right")
    table.add_column("test MAE", justify="right")
    table.add_column("test R²", justify="right")
    table.add_column("trials", justify="right")
    table.add_column("run")
    ranked = sorted(summary.candidates, key=lambda c: c.cv_scores.mean("rmse"))
    for candidate in ranked:
        marker = " ★" if candidate is summary.best else ""
        table.add_row(
            candidate.title + marker,
            f"${candidate.cv_scores.mean('rmse'):,.0f}",
            f"{candidate.cv_scores.std('rmse'):,.0f}",
            f"${candidate.test_metrics['rmse']:,.0f}",
            f"${candidate.test_metrics['mae']:,.0f}",
            f"{candidate.test_metrics['r2']:.3f}",
            str(candidate.n_trials or "-"),
            candidate.run_id[:8],
        )
    return table


def registration_line(registered: RegisteredCandidate) -> str:
    """Which version was created and how to load it."""
    return (
        f"Registered [bold]{registered.name}[/] version {registered.version} "
        f"({registered.family}) as @{registered.alias}: "
        f"models:/{registered.name}@{registered.alias}"
    )


def ui_hint(tracking_uri: str) -> str:
    """The command that opens the MLflow UI on this store."""
    if tracking_uri.startswith(("http://", "https://")):
        return f"Open the MLflow UI at {tracking_uri}"
    return (
        f"Open the MLflow UI: {_mlflow_executable()} ui --backend-store-uri "
        f"{tracking_uri} --host 127.0.0.1 --port 5000 --workers 1"
    )


def _mlflow_executable() -> str:
    """The `mlflow` script of this environment, relative to here when possible."""
    script = Path(sys.executable).with_name("mlflow")
    if not script.exists():
        return "mlflow"
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)
