"""Figures of the evaluation report, drawn with matplotlib and seaborn.

Figures are built from `matplotlib.figure.Figure` directly, never through
pyplot, so no GUI backend or global figure list is involved: rendering uses
the Agg canvas and works headless and in threads. Every axis that shows money
is labelled in dollars.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from sklearn.tree import plot_tree

from housing_price.evaluation.analysis import (
    ACTUAL,
    CAPPED_VALUE,
    IS_CAPPED,
    PREDICTED,
    RESIDUAL,
    hyperparameter_columns,
)

_DPI = 110
_POINT = "#3b6ea8"
_CAPPED = "#e07b00"
_BEST = "#c0392b"
_MAX_BARS = 16
_RESIDUAL_LABEL = "Residual, actual \N{MINUS SIGN} predicted (dollars)"


def _format_dollars(value: float, _position: int | None = None) -> str:
    sign = "\N{MINUS SIGN}" if value < 0 else ""
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        return f"{sign}${magnitude / 1_000_000:,.1f}M"
    if magnitude >= 1_000:
        return f"{sign}${magnitude / 1_000:,.0f}k"
    return f"{sign}${magnitude:,.0f}"


DOLLARS = FuncFormatter(lambda value, _: _plain(_format_dollars(value)))


def _plain(text: str) -> str:
    """Escape dollar signs, which matplotlib would read as mathtext delimiters."""
    return text.replace("$", r"\$")


@contextmanager
def _style() -> Iterator[None]:
    theme = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook")}
    with mpl.rc_context({**theme, "axes.titleweight": "bold", "figure.dpi": _DPI}):
        yield


def _new_figure(**options: Any) -> Figure:
    # Constrained layout makes room for legends placed outside the axes.
    figure = Figure(layout="constrained", **options)
    FigureCanvasAgg(figure)
    return figure


def figure_png(figure: Figure) -> bytes:
    """Render a figure as PNG bytes."""
    buffer = io.BytesIO()
    # Constrained layout already fits the figure; a tight bounding box would
    # draw every figure a second time.
    figure.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


def plot_predicted_vs_actual(predictions: pd.DataFrame) -> Figure:
    """Predicted against actual values, with districts at the cap in orange."""
    with _style():
        figure = _new_figure(figsize=(6.4, 5.8))
        axes = figure.add_subplot()
        capped = predictions[IS_CAPPED]
        axes.scatter(
            predictions.loc[~capped, ACTUAL],
            predictions.loc[~capped, PREDICTED],
            s=7,
            alpha=0.35,
            color=_POINT,
            label=f"districts ({int((~capped).sum()):,})",
        )
        axes.scatter(
            predictions.loc[capped, ACTUAL],
            predictions.loc[capped, PREDICTED],
            s=9,
            alpha=0.6,
            color=_CAPPED,
            label=_plain(f"capped at $500,001 ({int(capped.sum()):,})"),
        )
        top = max(float(predictions[[ACTUAL, PREDICTED]].max().max()), CAPPED_VALUE)
        bottom = min(float(predictions[[ACTUAL, PREDICTED]].min().min()), 0.0)
        axes.plot([bottom, top], [bottom, top], color="black", lw=1, label="perfect")
        axes.axvline(CAPPED_VALUE, color=_CAPPED, lw=1, ls="--")
        axes.set_xlabel("Actual median house value (dollars)")
        axes.set_ylabel("Predicted median house value (dollars)")
        axes.set_title("Predicted vs actual, test split")
        _dollar_axes(axes, x=True, y=True)
        _legend_below(figure)
    return figure


def plot_residuals_vs_predicted(predictions: pd.DataFrame) -> Figure:
    """Residuals against predictions: curvature or a funnel shows bias."""
    with _style():
        figure = _new_figure(figsize=(6.4, 4.8))
        axes = figure.add_subplot()
        capped = predictions[IS_CAPPED]
        for mask, color, label in (
            (~capped, _POINT, "districts"),
            (capped, _CAPPED, _plain("capped at $500,001")),
        ):
            axes.scatter(
                predictions.loc[mask, PREDICTED],
                predictions.loc[mask, RESIDUAL],
                s=7,
                alpha=0.35,
                color=color,
                label=label,
            )
        axes.axhline(0, color="black", lw=1)
        axes.set_xlabel("Predicted median house value (dollars)")
        axes.set_ylabel(_RESIDUAL_LABEL)
        axes.set_title("Residuals vs predicted, test split")
        _dollar_axes(axes, x=True, y=True)
        _legend_below(figure)
    return figure


def plot_residual_distribution(predictions: pd.DataFrame) -> Figure:
    """Histogram of residuals with their mean and zero marked."""
    with _style():
        figure = _new_figure(figsize=(6.4, 4.8))
        axes = figure.add_subplot()
        residuals = predictions[RESIDUAL]
        sns.histplot(x=residuals, bins=60, kde=True, ax=axes, color=_POINT)
        axes.axvline(0, color="black", lw=1)
        mean = float(residuals.mean())
        axes.axvline(
            mean,
            color=_BEST,
            lw=1.5,
            ls="--",
            label=_plain(f"mean {_format_dollars(mean)}"),
        )
        axes.set_xlabel(_RESIDUAL_LABEL)
        axes.set_ylabel("Districts")
        axes.set_title("Distribution of residuals, test split")
        _dollar_axes(axes, x=True)
        _legend_below(figure)
    return figure


def plot_error_by_group(table: pd.DataFrame, column: str, title: str) -> Figure:
    """RMSE and MAE bars for each group, with the group's size under its name."""
    with _style():
        figure = _new_figure(figsize=(6.6, 4.8))
        axes = figure.add_subplot()
        labels = [
            _plain(f"{name}\nn={count:,}")
            for name, count in zip(table[column], table["districts"], strict=True)
        ]
        positions = np.arange(len(table))
        width = 0.38
        axes.bar(positions - width / 2, table["rmse"], width, label="RMSE")
        axes.bar(positions + width / 2, table["mae"], width, label="MAE")
        axes.set_xticks(positions, labels, fontsize=9)
        axes.set_xlabel("n = districts in the test split", fontsize=9)
        axes.set_ylabel("Error (dollars)")
        axes.set_title(title)
        _dollar_axes(axes, y=True)
        _legend_below(figure)
    return figure


def plot_bar_ranking(
    values: pd.Series,
    title: str,
    xlabel: str,
    errors: Sequence[float] | None = None,
    dollars: bool = False,
) -> Figure:
    """Horizontal bars, largest at the top; used for importances and coefficients."""
    shown = values.iloc[:_MAX_BARS][::-1]
    shown_errors = None if errors is None else list(errors)[:_MAX_BARS][::-1]
    colors = [_BEST if value < 0 else _POINT for value in shown]
    with _style():
        figure = _new_figure(figsize=(6.6, 0.34 * len(shown) + 1.6))
        axes = figure.add_subplot()
        bars = axes.barh(
            [str(label) for label in shown.index],
            shown.to_numpy(),
            xerr=shown_errors,
            color=colors,
            capsize=3 if shown_errors is not None else 0,
        )
        formatter = _format_dollars if dollars else (lambda v: f"{v:.3f}")
        axes.bar_label(
            bars,
            labels=[_plain(formatter(float(v))) for v in shown],
            padding=4,
            fontsize=9,
        )
        axes.margins(x=0.15)
        axes.axvline(0, color="black", lw=0.8)
        axes.set_xlabel(xlabel)
        axes.set_title(title)
        if dollars:
            _dollar_axes(axes, x=True)
    return figure


def plot_tree_top(pipeline: Any, feature_names: Sequence[str], depth: int) -> Figure:
    """The first `depth` levels of a fitted tree, node values shown in dollars."""
    estimator = pipeline[-1]
    with _style():
        figure = _new_figure(figsize=(14, 2.3 * depth + 2.5))
        axes = figure.add_subplot()
        annotations = plot_tree(
            estimator,
            max_depth=depth,
            feature_names=[_short_feature(name) for name in feature_names],
            filled=True,
            impurity=False,
            rounded=True,
            precision=2,
            fontsize=10,
            ax=axes,
        )
        for annotation in annotations:
            annotation.set_text(_node_text(annotation.get_text()))
        axes.set_title(
            f"Top {depth} levels of the tree (depth {estimator.get_depth()}, "
            f"{estimator.get_n_leaves():,} leaves); grey boxes continue below"
        )
    return figure


def _short_feature(name: str) -> str:
    # Eight boxes share the bottom row; long names would run into each other.
    return name.replace("_per_", "/").replace("ocean_proximity_", "ocean=")


def _node_text(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if " <= " in line:
            # Feature and threshold on two lines keep sibling boxes apart.
            feature, threshold = line.split(" <= ")
            lines += [feature, f"\N{LESS-THAN OR EQUAL TO} {threshold}"]
            continue
        if line.startswith("value = "):
            number = float(line.removeprefix("value = ").strip("[]"))
            line = "mean " + _plain(f"${number:,.0f}")
        elif line.startswith("samples = "):
            line = f"{int(line.removeprefix('samples = ')):,} districts"
        lines.append(line)
    return "\n".join(lines)


def plot_tuning_history(history: pd.DataFrame) -> Figure:
    """Loss of each trial in order, with the best so far as a step line."""
    with _style():
        figure = _new_figure(figsize=(6.4, 4.8))
        axes = figure.add_subplot()
        axes.scatter(
            history["trial"], history["loss"], color=_POINT, s=22, label="trial"
        )
        axes.step(
            history["trial"],
            history["best_so_far"],
            where="post",
            color=_BEST,
            lw=2,
            label="best so far",
        )
        axes.set_xlabel("Trial")
        axes.set_ylabel("Mean CV RMSE (dollars)")
        axes.set_title("Tuning: loss by trial")
        _dollar_axes(axes, y=True)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_below(figure)
    return figure


def plot_loss_by_hyperparameter(history: pd.DataFrame) -> Figure:
    """One panel per hyperparameter: each trial's loss against its value."""
    names = hyperparameter_columns(history)
    columns = min(3, max(1, len(names)))
    rows = math.ceil(len(names) / columns) if names else 1
    best = history.iloc[int(history["loss"].to_numpy().argmin())]
    with _style():
        figure = _new_figure(figsize=(4.3 * columns, 3.6 * rows))
        grid = figure.subplots(rows, columns, squeeze=False)
        for axes, name in zip(grid.flat, names, strict=False):
            values = history[name]
            if pd.api.types.is_numeric_dtype(values):
                axes.scatter(values, history["loss"], s=20, color=_POINT)
            else:
                sns.stripplot(x=values.astype(str), y=history["loss"], ax=axes)
            axes.scatter(
                [
                    best[name]
                    if pd.api.types.is_numeric_dtype(values)
                    else str(best[name])
                ],
                [best["loss"]],
                marker="*",
                s=180,
                color=_BEST,
                zorder=3,
            )
            axes.set_xlabel(name)
            axes.set_ylabel("Mean CV RMSE (dollars)")
            axes.yaxis.set_major_formatter(DOLLARS)
        for axes in list(grid.flat)[len(names) :]:
            axes.set_visible(False)
        figure.suptitle("Tuning: loss against each hyperparameter", fontweight="bold")
    return figure


def plot_model_comparison(table: pd.DataFrame, title: str) -> Figure:
    """CV and test RMSE of the compared models side by side.

    Args:
        table: One row per model with `model`, `cv_rmse_mean` and `test_rmse`.
    """
    with _style():
        figure = _new_figure(figsize=(6.6, 0.8 * len(table) + 2))
        axes = figure.add_subplot()
        positions = np.arange(len(table))
        height = 0.38
        # The y axis is inverted below, so the CV bar (listed first) sits on top.
        axes.barh(
            positions - height / 2, table["cv_rmse_mean"], height, label="CV RMSE"
        )
        axes.barh(positions + height / 2, table["test_rmse"], height, label="test RMSE")
        axes.set_yticks(positions, list(table["model"]))
        axes.invert_yaxis()
        axes.set_xlabel("RMSE (dollars, lower is better)")
        axes.set_title(title)
        _dollar_axes(axes, x=True)
        _legend_below(figure)
    return figure


def _legend_below(figure: Figure) -> None:
    # Below the plot, a legend never hides the points it explains.
    figure.legend(loc="outside lower center", ncols=3, frameon=False)


def _dollar_axes(axes: Axes, x: bool = False, y: bool = False) -> None:
    if x:
        # Dollar labels are wide; fewer ticks keep them from running together.
        axes.xaxis.set_major_locator(MaxNLocator(nbins=6))
        axes.xaxis.set_major_formatter(DOLLARS)
    if y:
        axes.yaxis.set_major_formatter(DOLLARS)
