"""Rendering a report: one self-contained HTML page and a Markdown summary."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from housing_price.evaluation import plots
from housing_price.evaluation.rendering import (
    Cell,
    Plot,
    Report,
    Section,
    Table,
    render_html,
    render_markdown,
    write_report,
)


def _report() -> Report:
    figure = plots.plot_tuning_history(
        pd.DataFrame({"trial": [1, 2], "loss": [3.0, 2.0], "best_so_far": [3.0, 2.0]})
    )
    table = Table(
        ["", "RMSE"],
        [[Cell("Test"), Cell("$1,234", 1234.5, "test_rmse", numeric=True)]],
    )
    section = Section(
        "metrics",
        "Metrics <& costs>",
        ["A | pipe"],
        tables=[table],
        plots=[Plot("history", "Loss by trial", plots.figure_png(figure))],
    )
    return Report("Tree report", [("Run", "abc")], [section])


def test_html_embeds_images_and_tracked_values_and_links_nothing_outside() -> None:
    page = render_html(_report())

    assert 'src="data:image/png;base64,iVBOR' in page
    assert 'data-metric="test_rmse" data-value="1234.5"' in page
    assert "Metrics &lt;&amp; costs&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_markdown_links_the_plots_and_lays_out_tables() -> None:
    text = render_markdown(_report())

    assert "![Loss by trial](plots/history.png)" in text
    assert "| Test | $1,234 |" in text
    assert "|---|---:|" in text


def test_write_report_puts_page_summary_and_plots_in_one_folder(tmp_path: Path) -> None:
    files = write_report(_report(), tmp_path / "out")

    assert files.html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert files.markdown.name == "report.md"
    assert [path.name for path in files.plots] == ["history.png"]
    assert files.plots[0].read_bytes().startswith(b"\x89PNG")
