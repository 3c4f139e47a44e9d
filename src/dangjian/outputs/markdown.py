"""The ``markdown`` output: a heading, the summary line and a GitHub table."""

from __future__ import annotations

from tabulate import tabulate

from dangjian._escape import markdown_cell, markdown_text
from dangjian.errors import Language
from dangjian.i18n import t
from dangjian.outputs.reading import reading_headers, reading_rows
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["FORMAT", "write"]


def write(report: Report, lang: Language) -> str:
    """A heading, the summary line, then the findings as a table, failures first."""
    # HTML in the ledger's text is shown as text; a cell stays in its cell and its row
    rows = [[markdown_cell(cell) for cell in row] for row in reading_rows(report, lang)]
    table = tabulate(rows, headers=reading_headers(lang), tablefmt="github")
    heading = t("检查结果").render(lang)
    return f"# {heading}\n\n{markdown_text(report.summary_line(lang))}\n\n{table}\n"


FORMAT = ReportFormat(
    "markdown",
    write,
    ".md",
    description=t("摘要和表格（Markdown）"),
)
