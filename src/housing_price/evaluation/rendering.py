"""The report as a document (sections of text, tables, plots) and its two renderings.

The HTML page embeds every plot as base64 PNG, so the single file opens
offline, from an MLflow artifact view or an e-mail attachment. The Markdown
summary links the same plots from `plots/` beside it.
"""

from __future__ import annotations

import base64
import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

logger = logging.getLogger(__name__)

HTML_FILE = "report.html"
MARKDOWN_FILE = "report.md"
PLOTS_DIR = "plots"


@dataclass(frozen=True)
class Cell:
    """A table cell; `metric` names the tracked metric its value comes from."""

    text: str
    value: float | None = None
    metric: str | None = None
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    columns: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Plot:
    """A rendered figure: `name` becomes the PNG's file name; `wide` spans the page."""

    name: str
    caption: str
    png: bytes
    wide: bool = False


@dataclass(frozen=True)
class Section:
    """A titled part of the report."""

    anchor: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """A whole report: a title, key facts and the sections in order."""

    title: str
    facts: list[tuple[str, str]]
    sections: list[Section]

    @property
    def plots(self) -> list[Plot]:
        """Every plot, in reading order."""
        return [plot for section in self.sections for plot in section.plots]


@dataclass(frozen=True)
class ReportFiles:
    """Where a written report's files are."""

    directory: Path
    html: Path
    markdown: Path
    plots: list[Path]


_PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  margin: 0; color: #1d2733; background: #f4f6f9; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 1.7rem; margin: 0 0 12px; }
h2 { font-size: 1.3rem; margin-top: 40px; padding-top: 12px;
  border-top: 2px solid #dde3ea; }
nav ol { columns: 2; margin: 8px 0 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px;
  font-size: 0.92rem; }
dl.facts dt { font-weight: 600; color: #4a5868; }
dl.facts dd { margin: 0; font-family: ui-monospace, monospace;
  overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-size: 0.86rem; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e3e8ee; text-align: left;
  white-space: nowrap; }
th { background: #eef2f6; white-space: normal; vertical-align: bottom; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr));
  gap: 12px 20px; align-items: start; }
figure { margin: 12px 0; }
figure.wide { grid-column: 1 / -1; }
figure img { width: 100%; height: auto; border: 1px solid #e3e8ee; }
figcaption { font-size: 0.88rem; color: #4a5868; margin-top: 4px; }
p.note { color: #4a5868; }
</style>
</head>
<body>
<main>
<h1>$title</h1>
<dl class="facts">
$facts
</dl>
<nav><strong>Contents</strong><ol>
$contents
</ol></nav>
$sections
</main>
</body>
</html>
"""
)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    facts = "\n".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
        for label, value in report.facts
    )
    contents = "\n".join(
        f'<li><a href="#{s.anchor}">{html.escape(s.title)}</a></li>'
        for s in report.sections
    )
    return _PAGE.substitute(
        title=html.escape(report.title),
        facts=facts,
        contents=contents,
        sections="\n".join(_section_html(section) for section in report.sections),
    )


def _section_html(section: Section) -> str:
    parts = [
        f'<section id="{section.anchor}">',
        f"<h2>{html.escape(section.title)}</h2>",
    ]
    parts += [f"<p>{html.escape(text)}</p>" for text in section.paragraphs]
    parts += [_table_html(table) for table in section.tables]
    if section.plots:
        parts.append('<div class="plots">')
        parts += [_plot_html(plot) for plot in section.plots]
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


def _plot_html(plot: Plot) -> str:
    encoded = base64.b64encode(plot.png).decode("ascii")
    css_class = ' class="wide"' if plot.wide else ""
    return (
        f'<figure{css_class}><img src="data:image/png;base64,{encoded}" '
        f'alt="{html.escape(plot.caption)}" data-plot="{plot.name}">'
        f"<figcaption>{html.escape(plot.caption)}</figcaption></figure>"
    )


def _table_html(table: Table) -> str:
    header = "".join(f"<th>{html.escape(column)}</th>" for column in table.columns)
    body = "\n".join(
        "<tr>" + "".join(_cell_html(cell) for cell in row) + "</tr>"
        for row in table.rows
    )
    return (
        f'<div class="table-wrap"><table><thead><tr>{header}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def _cell_html(cell: Cell) -> str:
    attributes = ' class="num"' if cell.numeric else ""
    if cell.metric is not None and cell.value is not None:
        # The exact tracked value rides along so readers and tests can check it.
        attributes += f' data-metric="{cell.metric}" data-value="{cell.value!r}"'
    return f"<td{attributes}>{html.escape(cell.text)}</td>"


def render_markdown(report: Report) -> str:
    """The report as a Markdown summary whose images live in `plots/`."""
    lines = [f"# {report.title}", ""]
    lines += [f"- **{label}:** `{value}`" for label, value in report.facts]
    for section in report.sections:
        lines += ["", f"## {section.title}", ""]
        for text in section.paragraphs:
            lines += [text, ""]
        for table in section.tables:
            lines += [*_table_markdown(table), ""]
        for plot in section.plots:
            lines += [f"![{plot.caption}]({PLOTS_DIR}/{plot.name}.png)", ""]
    return "\n".join(lines).rstrip() + "\n"


def _table_markdown(table: Table) -> list[str]:
    def escape(text: str) -> str:
        return text.replace("|", "\\|")

    numeric = [
        any(row[index].numeric for row in table.rows)
        for index in range(len(table.columns))
    ]
    lines = [
        "| " + " | ".join(escape(column) for column in table.columns) + " |",
        "|" + "|".join("---:" if right else "---" for right in numeric) + "|",
    ]
    lines += [
        "| " + " | ".join(escape(cell.text) for cell in row) + " |"
        for row in table.rows
    ]
    return lines


def write_report(report: Report, directory: Path) -> ReportFiles:
    """Write the HTML page, the Markdown summary and every plot as a PNG.

    Args:
        report: The report to write.
        directory: Created if needed; files already there are replaced.
    """
    plots_dir = directory / PLOTS_DIR
    plots_dir.mkdir(parents=True, exist_ok=True)
    plot_paths = []
    for plot in report.plots:
        path = plots_dir / f"{plot.name}.png"
        path.write_bytes(plot.png)
        plot_paths.append(path)
    html_path = directory / HTML_FILE
    html_path.write_text(render_html(report), encoding="utf-8")
    markdown_path = directory / MARKDOWN_FILE
    markdown_path.write_text(render_markdown(report), encoding="utf-8")
    logger.debug("Wrote report with %d plots to %s", len(plot_paths), directory)
    return ReportFiles(directory, html_path, markdown_path, plot_paths)
