"""A meeting held as several kinds (``Meeting.also``) in every format: JSON, YAML, TOML and the
Excel workbook (a cell of kinds by their Chinese labels) and its template; files without the
field load and write back as they were."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest

from dangjian import Ledger, LedgerError, MeetingKind, dumps, loads
from dangjian.io import Format, to_data
from dangjian.io.excel import dump_excel, load_excel, write_template

GM = MeetingKind.GENERAL_MEETING
LECTURE = MeetingKind.PARTY_LECTURE
THEME = MeetingKind.THEME_DAY
HEADER = "同时作为的会议类型"


@pytest.fixture
def combined(make_ledger: Callable[..., Ledger]) -> Ledger:
    """The sample ledger, its first meeting a 主题党日 held as a 党员大会 and a 党课 too."""
    led = make_ledger()
    first = attrs.evolve(led.meetings[0], kind=THEME, also=(GM, LECTURE))
    return attrs.evolve(led, meetings=(first, *led.meetings[1:]))


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_text_formats_carry_the_kinds_as_codes(combined: Ledger, fmt: Format) -> None:
    text = dumps(combined, fmt)
    assert "general_meeting" in text and "party_lecture" in text
    back = loads(text, fmt)
    assert back == combined
    assert to_data(back) == to_data(combined)
    assert dumps(back, fmt) == text
    assert to_data(combined)["meetings"][0]["also"] == ["general_meeting", "party_lecture"]


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_a_meeting_of_one_kind_writes_no_other_kinds(
    make_ledger: Callable[..., Ledger], fmt: Format
) -> None:
    led = make_ledger()
    assert all(not m.also for m in led.meetings)
    text = dumps(led, fmt)
    assert "also" not in text
    assert dumps(loads(text, fmt), fmt) == text


def headers(ws: Any) -> list[Any]:
    return [cell.value for cell in ws[1]]


def cell(ws: Any, header: str, row: int = 2) -> Any:
    return ws.cell(row, headers(ws).index(header) + 1)


def test_the_workbook_lists_the_kinds_by_their_labels(combined: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    dump_excel(combined, path)
    ws = openpyxl.load_workbook(path)["会议"]
    assert cell(ws, "会议类型").value == "主题党日"
    assert cell(ws, HEADER).value == "支部党员大会、党课"
    assert cell(ws, HEADER, 3).value is None  # a meeting of one kind: the cell is left empty
    back = load_excel(path)
    assert back == combined
    assert to_data(back) == to_data(combined)


@pytest.mark.parametrize(
    "written",
    [
        "支部党员大会、党课",
        "general_meeting, party_lecture",
        "支部党员大会，party_lecture",
        '["支部党员大会", "党课"]',
    ],
)
def test_the_workbook_reads_labels_and_codes(
    combined: Ledger, tmp_path: Path, written: str
) -> None:
    path = tmp_path / "台账.xlsx"
    dump_excel(combined, path)
    wb = openpyxl.load_workbook(path)
    cell(wb["会议"], HEADER).value = written
    wb.save(path)
    assert load_excel(path).meetings[0].also == (GM, LECTURE)


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("支部党员大会、主题党日", "「主题党日」已是会议类型"),
        ("党课、党课", "「党课」重复出现"),
        ("党员会", "党员会"),
    ],
)
def test_the_workbook_reports_wrong_kinds_at_their_cell(
    combined: Ledger, tmp_path: Path, written: str, words: str
) -> None:
    path = tmp_path / "台账.xlsx"
    dump_excel(combined, path)
    wb = openpyxl.load_workbook(path)
    cell(wb["会议"], HEADER).value = written
    wb.save(path)
    with pytest.raises(LedgerError) as caught:
        load_excel(path)
    [problem] = caught.value.problems
    assert problem.path == f"会议 第2行 {HEADER}列"
    assert words in problem.message


def test_the_template_has_the_column_with_its_choices(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["会议"]
    assert headers(ws)[:3] == ["编号", "会议类型", HEADER]
    column = cell(ws, HEADER).column_letter
    [prompt] = [dv for dv in ws.data_validations.dataValidation if f"{column}2:" in str(dv.sqref)]
    assert prompt.promptTitle == HEADER
    assert all(k.label in prompt.prompt for k in MeetingKind)
    assert ws.column_dimensions[column].number_format == "@"
    guide = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert HEADER in guide
