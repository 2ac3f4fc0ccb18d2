"""Tables the registry commands print: promotion, versions, history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

    from housing_price.registry.history import AliasMove
    from housing_price.registry.promotion import PromotionOutcome
    from housing_price.registry.versions import VersionSummary


def promotion_table(outcome: PromotionOutcome) -> Table:
    """Challenger and production side by side on the same test rows."""
    decision = outcome.decision
    verdict = "promoted" if outcome.applied else "refused"
    if outcome.forced:
        verdict = "forced"
    table = Table(
        title=f"Promotion to @{decision.target}: {verdict} (current test set, dollars)"
    )
    table.add_column("role")
    table.add_column("version", justify="right")
    table.add_column("family")
    table.add_column("test RMSE", justify="right")
    table.add_column("test MAE", justify="right")
    table.add_column("test R²", justify="right")
    table.add_column("RMSE vs production", justify="right")
    change = decision.relative_change
    rows = [("challenger", decision.challenger, change)]
    if decision.champion is not None:
        rows.append(("production", decision.champion, 0.0))
    for role, scored, relative in rows:
        table.add_row(
            role,
            scored.version,
            scored.family,
            f"${scored.metrics['rmse']:,.0f}",
            f"${scored.metrics['mae']:,.0f}",
            f"{scored.metrics['r2']:.3f}",
            "-" if relative is None else f"{relative:+.2%}",
        )
    table.caption = decision.reason
    return table


def versions_table(name: str, versions: Sequence[VersionSummary]) -> Table:
    """Every version with its aliases and key metrics, newest first."""
    table = Table(title=f"Versions of {name}")
    table.add_column("version", justify="right")
    table.add_column("aliases")
    table.add_column("family")
    table.add_column("CV RMSE", justify="right")
    table.add_column("test RMSE", justify="right")
    table.add_column("test R²", justify="right")
    table.add_column("created (UTC)")
    table.add_column("run")
    for summary in versions:
        metrics = summary.metrics
        table.add_row(
            summary.version,
            ", ".join(f"@{alias}" for alias in summary.aliases) or "-",
            summary.family,
            _dollars(metrics.get("cv_rmse_mean")),
            _dollars(metrics.get("test_rmse")),
            f"{metrics['test_r2']:.3f}" if "test_r2" in metrics else "-",
            datetime.fromtimestamp(summary.created_ms / 1000, UTC).strftime(
                "%Y-%m-%d %H:%M"
            ),
            summary.run_id[:8],
        )
    return table


def history_table(title: str, moves: Sequence[AliasMove]) -> Table:
    """Alias moves, oldest first."""
    table = Table(title=title)
    table.add_column("time (UTC)")
    table.add_column("alias")
    table.add_column("action")
    table.add_column("from → to", justify="center")
    table.add_column("test RMSE", justify="right")
    table.add_column("user")
    table.add_column("reason")
    for move in moves:
        rmse = move.metrics.get("challenger_test_rmse", move.metrics.get("test_rmse"))
        action = f"{move.action} (forced)" if move.forced else move.action
        table.add_row(
            move.time.replace("+00:00", ""),
            move.alias,
            action,
            f"{move.from_version or '-'} → {move.to_version}",
            _dollars(rmse),
            move.user,
            move.reason,
        )
    return table


def predictions_table(title: str, predictions: np.ndarray) -> Table:
    """One predicted house value per input row."""
    table = Table(title=title)
    table.add_column("row", justify="right")
    table.add_column("predicted value", justify="right")
    for position, value in enumerate(predictions):
        table.add_row(str(position), f"${value:,.0f}")
    return table


def _dollars(value: float | None) -> str:
    return "-" if value is None else f"${value:,.0f}"
