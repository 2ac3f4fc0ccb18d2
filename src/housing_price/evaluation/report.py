"""Assemble the evaluation report of one trained model from plain inputs.

The caller gathers the inputs (the run's metrics, the fitted pipeline, the test
split, tuning trials, models to compare with); this module computes, plots and
lays out the sections, with no tracking calls, so the same report can be built
from any source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from housing_price.config.settings import ReportSettings
from housing_price.evaluation import analysis, plots
from housing_price.evaluation.metrics import regression_metrics
from housing_price.evaluation.rendering import Cell, Plot, Report, Section, Table

logger = logging.getLogger(__name__)

_TREE_FAMILY = "decision_tree"
_LINEAR_FAMILY = "linear_regression"
_LEADING_FEATURES = ("ocean_proximity", "median_income", "housing_median_age")
_METRIC_TITLES = {"rmse": "RMSE", "mae": "MAE", "r2": "R²", "mape": "MAPE"}
# Logged and recomputed test metrics may differ by float noise only.
_RECOMPUTE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class ComparedModel:
    """Another model shown in the comparison section, with its tracked metrics."""

    label: str
    family: str
    run_id: str
    metrics: Mapping[str, float]
    note: str = ""


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report is built from.

    Attributes:
        title: Page title, e.g. "Decision tree, run 1a2b3c4d".
        family: Model family name (`decision_tree`, `linear_regression`, ...).
        metrics: The run's tracked metrics by name.
        params: The run's tracked parameters.
        facts: Label and value pairs shown at the top (run id, version...).
        pipeline: The fitted pipeline that takes raw columns.
        features_test: Raw feature columns of the test split.
        target_test: Median house values of the test split, in dollars.
        income_band_edges: Median-income band edges, in $10,000 units.
        trials: One row per tuning trial (`trial`, `loss`, hyperparameters),
            or None for an untuned family.
        compared: Other models for the comparison section.
        settings: Report options.
        seed: Seed of the permutation importances.
    """

    title: str
    family: str
    metrics: Mapping[str, float]
    params: Mapping[str, str]
    facts: Sequence[tuple[str, str]]
    pipeline: Any
    features_test: pd.DataFrame
    target_test: pd.Series
    income_band_edges: Sequence[float]
    trials: pd.DataFrame | None
    compared: Sequence[ComparedModel]
    settings: ReportSettings
    seed: int


def build_report(inputs: ReportInputs) -> Report:
    """Compute and draw every section of the report."""
    predicted = inputs.pipeline.predict(inputs.features_test)
    predictions = analysis.add_income_band(
        analysis.prediction_frame(inputs.features_test, inputs.target_test, predicted),
        inputs.income_band_edges,
    )
    builders: list[Callable[[ReportInputs, pd.DataFrame], Section | None]] = [
        _metrics_section,
        _prediction_section,
        _group_section,
        _worst_section,
        _model_section,
        _tuning_section,
        _comparison_section,
    ]
    sections = [
        section
        for builder in builders
        if (section := builder(inputs, predictions)) is not None
    ]
    logger.debug("Built report %r with %d sections", inputs.title, len(sections))
    return Report(title=inputs.title, facts=list(inputs.facts), sections=sections)


def _metrics_section(inputs: ReportInputs, predictions: pd.DataFrame) -> Section:
    rows = analysis.metric_rows(inputs.metrics)
    names = [m for m in _METRIC_TITLES if any(m in row.cells for row in rows)]
    table = Table(
        columns=["", *(_METRIC_TITLES[name] for name in names)],
        rows=[
            [Cell(row.label), *(_metric_cell(row.cells.get(n), n) for n in names)]
            for row in rows
        ],
    )
    paragraphs = [
        "Cross-validation folds of the training split, their mean and standard "
        "deviation, and the held-out test split. RMSE and MAE are in dollars; R² "
        "and MAPE are fractions shown as numbers and percentages."
    ]
    recomputed = regression_metrics(
        predictions[analysis.ACTUAL], predictions[analysis.PREDICTED]
    )
    logged = inputs.metrics.get("test_rmse")
    if logged is not None and abs(
        recomputed["rmse"] - logged
    ) > _RECOMPUTE_TOLERANCE * (1 + abs(logged)):
        paragraphs.append(
            "Warning: the model predicts a test RMSE of "
            f"{_dollars(recomputed['rmse'])} "
            f"on this test split but {_dollars(logged)} was logged; the split differs "
            "from the one the model was tested on."
        )
    return Section("metrics", "Metrics", paragraphs, tables=[table])


def _prediction_section(inputs: ReportInputs, predictions: pd.DataFrame) -> Section:
    capped = int(predictions[analysis.IS_CAPPED].sum())
    return Section(
        "predictions",
        "Predictions and residuals",
        [
            f"{len(predictions):,} test districts. {capped:,} of them have the "
            "census cap of $500,001 as their value (orange): their true value is "
            "higher, so errors there are partly the data's, not the model's."
        ],
        plots=[
            _plot(
                "predicted_vs_actual",
                "Predicted against actual value; the diagonal is a perfect "
                "prediction, the dashed line the $500,001 cap.",
                plots.plot_predicted_vs_actual(predictions),
            ),
            _plot(
                "residuals_vs_predicted",
                "Residual (actual \N{MINUS SIGN} predicted) against prediction; above "
                "zero "
                "means undervalued.",
                plots.plot_residuals_vs_predicted(predictions),
            ),
            _plot(
                "residual_distribution",
                "Distribution of residuals in dollars.",
                plots.plot_residual_distribution(predictions),
            ),
        ],
    )


def _group_section(inputs: ReportInputs, predictions: pd.DataFrame) -> Section:
    tables, figures = [], []
    for column, title, name in (
        ("ocean_proximity", "Error by ocean proximity", "error_by_ocean_proximity"),
        (analysis.INCOME_BAND, "Error by median-income band", "error_by_income_band"),
    ):
        grouped = analysis.error_by_group(predictions, column)
        tables.append(_group_table(grouped, column))
        figures.append(
            _plot(
                name,
                title + " (test split)",
                plots.plot_error_by_group(grouped, column, title),
            )
        )
    return Section(
        "groups",
        "Error by location and income",
        [
            "Bias is the mean residual: positive means the model undervalues the "
            "group. Income bands are the ones the train/test split is stratified on "
            "(median household income of the district)."
        ],
        tables=tables,
        plots=figures,
    )


def _group_table(grouped: pd.DataFrame, column: str) -> Table:
    heading = "income band" if column == analysis.INCOME_BAND else column
    return Table(
        columns=[heading, "districts", "RMSE", "MAE", "bias"],
        rows=[
            [
                Cell(str(row[column])),
                Cell(f"{int(row['districts']):,}", numeric=True),
                Cell(_dollars(row["rmse"]), numeric=True),
                Cell(_dollars(row["mae"]), numeric=True),
                Cell(_dollars(row["bias"]), numeric=True),
            ]
            for _, row in grouped.iterrows()
        ],
    )


def _worst_section(inputs: ReportInputs, predictions: pd.DataFrame) -> Section:
    worst = analysis.worst_predictions(predictions, inputs.settings.worst_predictions)
    # The columns that explain most errors come first, before the table scrolls.
    leading = [c for c in _LEADING_FEATURES if c in inputs.features_test.columns]
    feature_columns = leading + [
        c for c in inputs.features_test.columns if c not in leading
    ]
    rows = []
    for _, row in worst.iterrows():
        cells = [
            Cell(_dollars(row[analysis.ACTUAL]), numeric=True),
            Cell(_dollars(row[analysis.PREDICTED]), numeric=True),
            Cell(_dollars(row[analysis.RESIDUAL]), numeric=True),
        ]
        cells += [_feature_cell(row[column]) for column in feature_columns]
        rows.append(cells)
    return Section(
        "worst",
        f"The {len(worst)} worst predictions",
        [
            "Test districts with the largest absolute error, and their features. "
            "median_income is in units of $10,000."
        ],
        tables=[
            Table(
                ["actual", "predicted", "residual"]
                + [column.replace("_", " ") for column in feature_columns],
                rows,
            )
        ],
    )


def _model_section(inputs: ReportInputs, predictions: pd.DataFrame) -> Section | None:
    if inputs.family == _TREE_FAMILY:
        return _tree_section(inputs)
    if inputs.family == _LINEAR_FAMILY:
        return _linear_section(inputs)
    return None


def _tree_section(inputs: ReportInputs) -> Section:
    impurity = analysis.impurity_importances(inputs.pipeline)
    permutation = analysis.permutation_importances(
        inputs.pipeline,
        inputs.features_test,
        inputs.target_test,
        inputs.settings.permutation_repeats,
        inputs.seed,
    )
    depth = inputs.settings.tree_plot_depth
    return Section(
        "model",
        "Inside the tree",
        [
            "Impurity importance is each feature's share of the variance reduction "
            "in the fitted tree (derived features included). Permutation importance "
            "is how much test RMSE grows when one raw column is shuffled "
            f"({inputs.settings.permutation_repeats} repeats; bars show ± one std)."
        ],
        plots=[
            _plot(
                "impurity_importance",
                "Impurity-based importance of each feature the tree sees.",
                plots.plot_bar_ranking(
                    impurity, "Impurity importance", "Share of variance reduction"
                ),
            ),
            _plot(
                "permutation_importance",
                "Permutation importance on the test split.",
                plots.plot_bar_ranking(
                    permutation.set_index("feature")["mean"],
                    "Permutation importance, test split",
                    "Increase in test RMSE when shuffled (dollars)",
                    errors=list(permutation["std"]),
                    dollars=True,
                ),
            ),
            _plot(
                "tree",
                f"The first {depth} levels of the fitted tree; a split on "
                "ocean=X \N{LESS-THAN OR EQUAL TO} 0.5 sends districts that are not X "
                "to the left.",
                plots.plot_tree_top(
                    inputs.pipeline,
                    analysis.transformed_feature_names(inputs.pipeline),
                    depth,
                ),
                wide=True,
            ),
        ],
    )


def _linear_section(inputs: ReportInputs) -> Section:
    coefficients = analysis.linear_coefficients(inputs.pipeline)
    intercept = float(inputs.pipeline[-1].intercept_)
    return Section(
        "model",
        "Coefficients of the linear model",
        [
            f"Intercept {_dollars(intercept)}. Numeric features are standardised, so "
            "a coefficient is the change in predicted value for one standard "
            "deviation more of that feature. Every ocean-proximity category has a "
            "column, so only differences between their coefficients are meaningful."
        ],
        tables=[
            Table(
                ["feature", "coefficient"],
                [
                    [Cell(str(name)), Cell(_dollars(value), numeric=True)]
                    for name, value in coefficients.items()
                ],
            )
        ],
        plots=[
            _plot(
                "coefficients",
                "Coefficients, largest effect first (red: lowers the price).",
                plots.plot_bar_ranking(
                    coefficients,
                    "Linear regression coefficients",
                    "Dollars per standard deviation (categories: per district)",
                    dollars=True,
                ),
            )
        ],
    )


def _tuning_section(inputs: ReportInputs, predictions: pd.DataFrame) -> Section:
    if inputs.trials is None or inputs.trials.empty:
        return Section(
            "tuning", "Tuning", ["This model family has no hyperparameters to tune."]
        )
    history = analysis.tuning_history(inputs.trials)
    best = history.iloc[int(history["loss"].to_numpy().argmin())]
    return Section(
        "tuning",
        "Tuning",
        [
            f"{len(history)} hyperopt TPE trials; the loss is mean CV RMSE. Best: "
            f"trial {int(best['trial'])} with {_dollars(best['loss'])}."
        ],
        plots=[
            _plot(
                "tuning_history",
                "Loss of each trial and the best so far.",
                plots.plot_tuning_history(history),
            ),
            _plot(
                "loss_by_hyperparameter",
                "Loss against each hyperparameter; the star is the best trial.",
                plots.plot_loss_by_hyperparameter(history),
                wide=True,
            ),
        ],
    )


def _comparison_section(inputs: ReportInputs, predictions: pd.DataFrame) -> Section:
    rows = []
    for model in inputs.compared:
        rows.append(
            [
                Cell(model.label),
                Cell(model.family),
                Cell(model.run_id[:8]),
                _tracked_cell(model.metrics, "cv_rmse_mean"),
                _tracked_cell(model.metrics, "cv_rmse_std"),
                _tracked_cell(model.metrics, "test_rmse"),
                _tracked_cell(model.metrics, "test_mae"),
                _tracked_cell(model.metrics, "test_r2"),
                Cell(model.note),
            ]
        )
    table = Table(
        [
            "model",
            "family",
            "run",
            "CV RMSE",
            "± std",
            "test RMSE",
            "test MAE",
            "test R²",
            "note",
        ],
        rows,
    )
    figures: list[Plot] = []
    chart = pd.DataFrame(
        [
            {
                "model": m.label,
                "cv_rmse_mean": m.metrics.get("cv_rmse_mean", float("nan")),
                "test_rmse": m.metrics.get("test_rmse", float("nan")),
            }
            for m in inputs.compared
        ]
    )
    has_production = any(m.label.startswith("Production") for m in inputs.compared)
    title = "RMSE of the compared models"
    if len(chart) > 1:
        figures.append(
            _plot(
                "comparison",
                "CV and test RMSE of the compared models.",
                plots.plot_model_comparison(chart, title),
            )
        )
    subject = (
        "This model is the linear-regression baseline"
        if inputs.family == _LINEAR_FAMILY
        else "This model beside the linear-regression baseline of the same training"
    )
    production = (
        ", with the current production model."
        if has_production
        else "; no model has the production alias yet."
    )
    paragraphs = [subject + production]
    return Section(
        "comparison", "Comparison", paragraphs, tables=[table], plots=figures
    )


def _metric_cell(cell: analysis.MetricCell | None, name: str) -> Cell:
    if cell is None:
        return Cell("", numeric=True)
    return Cell(_format_metric(name, cell.value), cell.value, cell.key, numeric=True)


def _tracked_cell(metrics: Mapping[str, float], key: str) -> Cell:
    if key not in metrics:
        return Cell("\N{EN DASH}", numeric=True)
    name = key.split("_")[1]
    return Cell(_format_metric(name, metrics[key]), numeric=True)


def _format_metric(name: str, value: float) -> str:
    if name in ("rmse", "mae"):
        return _dollars(value)
    if name == "mape":
        return f"{value:.1%}"
    return f"{value:.3f}"


def _feature_cell(value: Any) -> Cell:
    if isinstance(value, str):
        return Cell(value)
    if pd.isna(value):
        return Cell("missing", numeric=True)
    number = float(value)
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
    return Cell(text, numeric=True)


def _dollars(value: float) -> str:
    sign = "\N{MINUS SIGN}" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}"


def _plot(name: str, caption: str, figure: Any, wide: bool = False) -> Plot:
    return Plot(name=name, caption=caption, png=plots.figure_png(figure), wide=wide)
