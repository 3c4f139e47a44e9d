"""The ``text`` output: the summary line and a plain table, for a terminal."""

from __future__ import annotations

from tabulate import tabulate

from dangjian._escape import terminal_text
from dangjian.errors import Language
from dangjian.i18n import t
from dangjian.outputs.reading import reading_headers, reading_rows
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["FORMAT", "write"]


def _one_line(cell: str) -> str:
    return cell.replace("\n", "\\n").replace("\t", "\\t")


def write(report: Report, lang: Language) -> str:
    """The summary line, then the findings as a table, failures first."""
    # control characters in the ledger's text are shown escaped, never sent to the terminal; a
    # cell stays on its line, so that a line break in a name cannot show a finding of its own
    rows = [[_one_line(terminal_text(cell)) for cell in row] for row in reading_rows(report, lang)]
    table = tabulate(rows, headers=reading_headers(lang), tablefmt="simple")
    return f"{terminal_text(report.summary_line(lang))}\n\n{table}\n"


FORMAT = ReportFormat(
    "text",
    write,
    ".txt",
    description=t("摘要和表格，供终端阅读"),
)
