"""The workbook a party office hands in, read back with openpyxl."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from dangjian import Report, Status
from dangjian.cli import main
from dangjian.outputs import xlsx
from dangjian.outputs.columns import COLUMNS
from dangjian.outputs.text import text_width
from tests.outputs.test_text import CHECK, report

__all__ = ["report"]


@pytest.fixture(scope="module")
def book(report: Report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(report.to_bytes("xlsx")))


def test_the_sheets_are_named_in_chinese(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["汇总", "不符合和无法判断", "全部结果"]


def test_the_sheets_are_named_in_english_too(report: Report) -> None:
    en = openpyxl.load_workbook(io.BytesIO(report.to_bytes("xlsx", "en")))
    assert en.sheetnames == ["Summary", "Failures and unknowns", "All findings"]


def test_the_summary_counts_by_status_rule_and_organisation(
    book: openpyxl.Workbook, report: Report
) -> None:
    rows = [
        tuple(v for v in r if v is not None)
        for r in book["汇总"].iter_rows(values_only=True)
        if any(v is not None for v in r)
    ]
    by_status = {r[0]: r[1] for r in rows if r[0] in {s.text() for s in Status}}
    assert by_status == {s.text(): n for s, n in report.counts().items()}
    heads = [r for r in rows if r[0] in ("规则", "所属组织")]
    assert len(heads) == 2 and heads[0][-1] == "合计"
    for rule, group in report.group_by("rule").items():
        (row,) = [r for r in rows if r[0] == rule]
        assert row[1] == report.title(rule) and row[-1] == len(group)
    first_rule = rows.index(heads[0]) + 1
    branches = rows[rows.index(heads[1]) + 1 :]
    assert sum(r[-1] for r in branches) == len(report)
    assert {r[1] for r in branches if r[0] in report.names} == {
        report.names[r[0]] for r in branches if r[0] in report.names
    }
    assert any(r[0] in report.names for r in branches)  # organisations named beside their ids
    assert sum(r[-1] for r in rows[first_rule : rows.index(heads[1])]) == len(report)


def test_the_failures_sheet_has_chinese_headers_filters_and_a_frozen_header(
    book: openpyxl.Workbook, report: Report
) -> None:
    sheet = book["不符合和无法判断"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["级别", "状态", "规则", "规则名称", "对象"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    wanted = [f for f in report.findings if f.status in (Status.FAILED, Status.UNKNOWN)]
    assert len(rows) == len(wanted) > 0
    statuses = [r[1] for r in rows]
    assert set(statuses) <= {"不符合", "无法判断"}
    # failures first: no failure after an unknown
    assert statuses == sorted(statuses, key=lambda s: s != "不符合")
    rule, name, message = header.index("规则"), header.index("对象"), header.index("说明")
    present = {(r[rule], r[name], r[message]) for r in rows}
    for f in report.failed:  # every failed finding is present
        assert (f.rule, f.subject.name, f.text()) in present


def test_widths_follow_the_content_within_bounds(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        widths = [d.width for d in sheet.column_dimensions.values() if d.width]
        assert widths and all(xlsx.MIN_WIDTH <= w <= xlsx.MAX_WIDTH for w in widths)
    sheet = book["不符合和无法判断"]
    header = [c.value for c in sheet[1]]
    level = sheet.column_dimensions["A"].width
    widest = max(text_width(c.value or "") for c in sheet["A"])
    assert level == max(widest + 2, xlsx.MIN_WIDTH)  # 级别: from its content, CJK double
    message = sheet.column_dimensions[sheet.cell(1, header.index("说明") + 1).column_letter]
    assert message.width == xlsx.MAX_WIDTH  # long messages: capped, and wrapped
    assert sheet.cell(2, header.index("说明") + 1).alignment.wrap_text


def test_every_finding_is_on_the_last_sheet(book: openpyxl.Workbook, report: Report) -> None:
    rows = list(book["全部结果"].iter_rows(values_only=True))
    assert list(rows[0]) == [c.text_label() for c in COLUMNS]
    assert len(rows) == len(report) + 1
    assert book["全部结果"].freeze_panes == "A2"


def test_the_cli_writes_the_workbook_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    main(["check", *CHECK, "--format", "xlsx", "--output", str(out)])
    assert openpyxl.load_workbook(out).sheetnames[1] == "不符合和无法判断"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]  # no temporary file left
    before = out.read_bytes()
    assert main(["check", *CHECK, "--format", "xlsx", "--output", str(out)]) == 2
    assert out.read_bytes() == before
