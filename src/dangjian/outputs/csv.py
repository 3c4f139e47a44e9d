"""The ``csv`` output: one row per finding, in the columns of :mod:`dangjian.outputs.columns`."""

from __future__ import annotations

import csv
import io

from dangjian._escape import csv_cell
from dangjian.errors import Language
from dangjian.i18n import t
from dangjian.outputs.columns import columns
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["COLUMNS", "FORMAT", "write"]

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


def write(report: Report, lang: Language) -> str:
    """A header, then a row per finding, in the report's order."""
    out = io.StringIO()
    # RFC 4180 line ends: a cell holding a CR or an LF is then quoted, and stays one cell
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    for f in report.findings:
        # no formula runs when it is opened
        writer.writerow([csv_cell(c.cell(f, report, lang)) for c in COLUMNS])
    return out.getvalue()


FORMAT = ReportFormat(
    "csv",
    write,
    ".csv",
    description=t("每条结果一行（CSV，RFC 4180）"),
)
