"""The ``csv`` output: one row per finding, in the columns of :mod:`dangjian.outputs.columns`.

``csv`` is for people: headed by the columns' labels, statuses and severities as words, and
starting with a UTF-8 byte order mark, so that Excel opens it in the right encoding. ``csv-codes``
is for scripts: headed by the columns' names, statuses and severities as their codes, no mark.
"""

from __future__ import annotations

import csv
import io

from dangjian._escape import csv_cell
from dangjian.errors import Language
from dangjian.findings import Finding
from dangjian.i18n import t
from dangjian.outputs.columns import Column, columns
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["BOM", "CODES_FORMAT", "COLUMNS", "FORMAT", "write", "write_codes"]

BOM = "\ufeff"
"""The byte order mark that starts the ``csv`` output (Excel reads the file as UTF-8 then)."""

COLUMNS = columns(
    "rule",
    "status",
    "severity",
    "subject_kind",
    "subject_id",
    "subject_name",
    "branch",
    "period",
    "message",
    "evidence",
    "citations",
)
"""The columns of the CSV, in order; the header names them."""


def _label_cell(c: Column, f: Finding, report: Report, lang: Language) -> str:
    if c.name == "status":
        return f.status.text(lang)
    if c.name == "severity":
        return f.severity.text(lang)
    if c.name == "period":
        return f.period.label(lang) if f.period else ""
    return c.cell(f, report, lang)


def _rows(header: list[str], cells: list[list[str]]) -> str:
    out = io.StringIO()
    # RFC 4180 line ends: a cell holding a CR or an LF is then quoted, and stays one cell
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in cells:
        writer.writerow([csv_cell(cell) for cell in row])  # no formula runs when it is opened
    return out.getvalue()


def write(report: Report, lang: Language) -> str:
    """A byte order mark, a header of labels in ``lang``, then a row per finding in the report's
    order, statuses, severities and periods as words."""
    header = [c.text_label(lang) for c in COLUMNS]
    cells = [[_label_cell(c, f, report, lang) for c in COLUMNS] for f in report.findings]
    return BOM + _rows(header, cells)


def write_codes(report: Report, lang: Language) -> str:
    """A header of the columns' names, then a row per finding in the report's order, statuses
    and severities as codes (the messages in ``lang``)."""
    header = [c.name for c in COLUMNS]
    cells = [[c.cell(f, report, lang) for c in COLUMNS] for f in report.findings]
    return _rows(header, cells)


FORMAT = ReportFormat(
    "csv",
    write,
    ".csv",
    description=t("每条结果一行（CSV，中文表头，带 BOM 供 Excel 打开）"),
)

CODES_FORMAT = ReportFormat(
    "csv-codes",
    write_codes,
    ".csv",
    description=t("每条结果一行（CSV，RFC 4180），列名和状态为代码，供脚本读取"),
)
