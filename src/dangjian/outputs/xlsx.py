"""The ``xlsx`` output: an Excel workbook of the findings, a row each, every column of
:mod:`dangjian.outputs.columns` (needs the ``excel`` extra).

Its cells are text (never a formula, whatever they start with), its days dates, a list in one
cell joined as in CSV; what XML cannot hold is written with OOXML's ``_x0001_`` escapes, as in a
ledger's workbook, and a resident id in the ledger's text is masked.
"""

from __future__ import annotations

import datetime as dt
import io

from dangjian._optional import require
from dangjian.errors import Language
from dangjian.i18n import t
from dangjian.io._excel_values import FIRST_SERIAL_DATE, escape_text
from dangjian.model.resident_id import mask_resident_ids
from dangjian.outputs.columns import COLUMNS, ColumnType, cell_text
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["FORMAT", "write"]

_WIDTH = {ColumnType.TEXT: 24, ColumnType.CODE: 14, ColumnType.DAY: 12}


def write(report: Report, lang: Language) -> bytes:
    """The workbook's bytes: a sheet of findings, headed by the columns' labels in ``lang``."""
    openpyxl = require("openpyxl", "excel")
    utils = require("openpyxl.utils", "excel")
    styles = require("openpyxl.styles", "excel")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = t("检查结果").render(lang)
    bold = styles.Font(bold=True)
    for col, c in enumerate(COLUMNS, start=1):
        head = ws.cell(1, col, c.text_label(lang))
        head.font = bold
        ws.column_dimensions[utils.get_column_letter(col)].width = _WIDTH.get(c.type, 32)
    ws.freeze_panes = "A2"
    for row, f in enumerate(report.findings, start=2):
        for col, c in enumerate(COLUMNS, start=1):
            value = c.value(f, report, lang)
            if value is None or value == []:
                continue
            cell = ws.cell(row, col)
            if isinstance(value, dt.date) and value >= FIRST_SERIAL_DATE:
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                continue
            cell.value = escape_text(mask_resident_ids(cell_text(c.type, value)))
            cell.data_type = "s"  # text that starts with = is text, not a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FORMAT = ReportFormat(
    "xlsx",
    write,
    ".xlsx",
    binary=True,
    description=t("Excel 工作簿，每条结果一行，每列一项"),
)
