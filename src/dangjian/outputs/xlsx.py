"""The ``xlsx`` output: an Excel workbook that a party office hands in (needs the ``excel``
extra).

Three sheets: a summary (the counts by status, by rule with its title, by organisation), the
failures and the findings the records cannot decide (filters on the header, the header frozen,
messages wrapped), and every finding in every column of :mod:`dangjian.outputs.columns`. Headers
and labels are in the report's language: statuses, severities and periods as words, subjects by
name. Columns are as wide as their content, capped (:data:`MAX_WIDTH`; a CJK character counts
two), rows as tall as their wrapped text; it prints on A4 with the header row on every page
(:mod:`dangjian.io._sheet_print`, as every workbook dangjian writes).

Its cells are text (never a formula, whatever they start with), its days dates, a list in one
cell joined as in CSV; what XML cannot hold is written with OOXML's ``_x0001_`` escapes, as in a
ledger's workbook, and a resident id in the ledger's text is masked.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from dangjian._optional import require
from dangjian.errors import Language
from dangjian.findings import Finding, Status
from dangjian.i18n import Message, t, tp
from dangjian.io._excel_values import FIRST_SERIAL_DATE, escape_text
from dangjian.io._sheet_print import MIN_WIDTH, lay_out
from dangjian.model.resident_id import mask_resident_ids
from dangjian.outputs.columns import COLUMNS, Column, Value, cell_text, columns
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["FORMAT", "MAX_WIDTH", "MIN_WIDTH", "SHEETS", "WRAPPED", "write"]

MAX_WIDTH = 60
"""The widest column; longer text wraps (:data:`WRAPPED`) or is cut off from view."""

SHEETS: tuple[Message, Message, Message] = (
    tp("sheet", "汇总"),
    tp("sheet", "不符合和无法判断"),
    tp("sheet", "全部结果"),
)
"""The sheets' names, in order."""

WRAPPED = frozenset({"message", "remedy", "citations", "waiver_reason", "title"})
"""The columns whose text wraps in its cell."""

_TO_DO = columns(
    "severity",
    "status",
    "rule",
    "title",
    "subject_name",
    "subject_id",
    "branch",
    "period",
    "day",
    "message",
    "remedy",
    "evidence",
    "citations",
    "waiver_reason",
)
"""The columns of the sheet of failures and unknowns."""


def _value(c: Column, f: Finding, report: Report, lang: Language) -> Value:
    """The value of ``c`` as a person reads it: statuses, severities and periods as words."""
    if c.name == "status":
        return f.status.text(lang)
    if c.name == "severity":
        return f.severity.text(lang)
    if c.name == "period":
        return f.period.label(lang) if f.period else None
    return c.value(f, report, lang)


class _Sheet:
    """A sheet being written, row by row; :meth:`finish` lays it out for screen and paper."""

    def __init__(self, ws: Any, styles: Any) -> None:
        self.ws = ws
        self.styles = styles
        self.wrapped: set[int] = set()
        self.unmeasured: set[int] = set()
        self.row = 0

    def put(
        self, values: list[str | int | dt.date | None], *, head: bool = False, measure: bool = True
    ) -> None:
        self.row += 1
        if not measure:
            self.unmeasured.add(self.row)
        for col, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = self.ws.cell(self.row, col)
            if isinstance(value, dt.date) and value >= FIRST_SERIAL_DATE:
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int):
                cell.value = value
            else:
                text = value.isoformat() if isinstance(value, dt.date) else value
                cell.value = escape_text(mask_resident_ids(text))
                cell.data_type = "s"  # text that starts with = is text, not a formula
            if head:
                cell.font = self.styles.Font(bold=True)
            if col in self.wrapped and not head:
                cell.alignment = self.styles.Alignment(wrap_text=True, vertical="top")

    def finish(self, utils: Any, *, filtered: bool = False) -> None:
        """Widths from the content, wrapped rows tall enough, A4 with the header on every page
        (:func:`dangjian.io._sheet_print.lay_out`); a filter on the header of a table."""
        lay_out(
            self.ws,
            header_rows=1 if filtered else 0,
            max_width=MAX_WIDTH,
            unmeasured=self.unmeasured,
        )
        if filtered:
            self.ws.freeze_panes = "A2"  # the header stays in view
        if filtered and self.ws.max_column and self.row:
            last = utils.get_column_letter(self.ws.max_column)
            self.ws.auto_filter.ref = f"A1:{last}{max(self.row, 1)}"


def _summary(sheet: _Sheet, report: Report, lang: Language) -> None:
    statuses = list(Status)
    sheet.wrapped = {2}  # the rules' titles, the organisations' names
    sheet.put([report.summary_line(lang)], measure=False)  # a title: runs over the next cells
    sheet.put([])
    sheet.put([tp("column", "状态").render(lang), t("条数").render(lang)], head=True)
    for status, n in report.counts().items():
        sheet.put([status.text(lang), n])
    sheet.put([])
    by_status = [s.text(lang) for s in statuses]
    total = t("合计").render(lang)
    rule_head = [tp("column", "规则").render(lang), tp("column", "规则名称").render(lang)]
    sheet.put([*rule_head, *by_status, total], head=True)
    for rule, group in report.group_by("rule").items():
        counts = group.counts()
        row: list[str | int | dt.date | None] = [rule, report.title(rule, lang)]
        sheet.put([*row, *(counts[s] for s in statuses), len(group)])
    sheet.put([])
    branch_head = [tp("column", "所属组织").render(lang), t("组织名称").render(lang)]
    sheet.put([*branch_head, *by_status, total], head=True)
    by_branch: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_branch.setdefault(f.subject.branch or "", []).append(f)
    for branch, found in by_branch.items():
        counts = {s: sum(f.status is s for f in found) for s in statuses}
        named: list[str | int | dt.date | None] = [
            branch or t("（无）").render(lang),
            report.names.get(branch, ""),
        ]
        sheet.put([*named, *(counts[s] for s in statuses), len(found)])


def _table(
    sheet: _Sheet, cols: tuple[Column, ...], found: list[Finding], report: Report, lang: Language
) -> None:
    sheet.wrapped = {i for i, c in enumerate(cols, start=1) if c.name in WRAPPED}
    sheet.put([c.text_label(lang) for c in cols], head=True)
    for f in found:
        row: list[str | int | dt.date | None] = []
        for c in cols:
            value = _value(c, f, report, lang)
            row.append(
                value if isinstance(value, dt.date) or value is None else cell_text(c.type, value)
            )
        sheet.put(row)


def write(report: Report, lang: Language) -> bytes:
    """The workbook's bytes: a summary, the failures and unknowns, every finding."""
    openpyxl = require("openpyxl", "excel")
    utils = require("openpyxl.utils", "excel")
    styles = require("openpyxl.styles", "excel")
    wb = openpyxl.Workbook()
    summary = _Sheet(wb.active, styles)
    summary.ws.title = SHEETS[0].render(lang)
    _summary(summary, report, lang)
    summary.finish(utils)
    to_do = _Sheet(wb.create_sheet(SHEETS[1].render(lang)), styles)
    found = [f for f in report.findings if f.status in (Status.FAILED, Status.UNKNOWN)]
    found.sort(key=lambda f: (f.status is not Status.FAILED, -f.severity.rank))
    _table(to_do, _TO_DO, found, report, lang)
    to_do.finish(utils, filtered=True)
    every = _Sheet(wb.create_sheet(SHEETS[2].render(lang)), styles)
    _table(every, COLUMNS, list(report.findings), report, lang)
    every.finish(utils, filtered=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FORMAT = ReportFormat(
    "xlsx",
    write,
    ".xlsx",
    binary=True,
    description=t("Excel 工作簿：汇总、不符合和无法判断（可筛选）、全部结果"),
)
