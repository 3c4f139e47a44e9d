"""Workbooks from older versions of the template (dangjian.io._excel_older): the columns the
template gained later are read as empty, with a notice; a header an older template used is read
as its column, with a notice; the history kept as data fits today's layout."""

from __future__ import annotations

import warnings
from pathlib import Path

import attrs
import openpyxl
import pytest

from dangjian import Ledger, dump, load
from dangjian.errors import LoadNotice
from dangjian.io import _excel_older
from dangjian.io._excel_layout import HEAD, SHEETS
from dangjian.io._excel_older import later_columns, older_column
from tests.builders.example import EXAMPLE

BY_IDENT = {s.ident: s for s in (HEAD, *SHEETS)}


def _loaded(path: Path) -> tuple[Ledger, list[LoadNotice]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ledger = load(path)
    return ledger, [w.message for w in caught if isinstance(w.message, LoadNotice)]


def _drop_columns(path: Path, sheet: str, headers: list[str]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for header in headers:
        names = [c.value for c in ws[1]]
        ws.delete_cols(names.index(header) + 1)
    wb.save(path)


@pytest.fixture(scope="module")
def example() -> Ledger:
    return load(EXAMPLE)


@pytest.fixture
def workbook(tmp_path: Path, example: Ledger) -> Path:
    """The example as a workbook, its meetings serving one kind each (the column 同时作为的会议类型,
    which the template gained later, left empty)."""
    meetings = tuple(attrs.evolve(m, also=()) for m in example.meetings)
    path = tmp_path / "台账.xlsx"
    dump(attrs.evolve(example, meetings=meetings), path)
    return path


def test_a_workbook_of_todays_template_has_no_notice(workbook: Path) -> None:
    _, notices = _loaded(workbook)
    assert notices == []


def test_a_sheet_without_a_column_added_later_is_read_with_a_notice(
    workbook: Path, example: Ledger
) -> None:
    before = load(workbook)
    _drop_columns(workbook, "会议", ["同时作为的会议类型"])
    ledger, notices = _loaded(workbook)
    assert ledger == before
    (notice,) = notices
    assert notice.problem.code == "older_template"
    assert notice.problem.path == "会议 第1行"
    assert "同时作为的会议类型" in notice.problem.message
    assert "2026-12-05" in notice.problem.message
    assert "older" in notice.render("en") and str(workbook) in notice.render("en")


def test_a_column_of_the_first_template_missing_gives_no_such_notice(workbook: Path) -> None:
    _drop_columns(workbook, "会议", ["备注"])  # in the template since its first version
    _, notices = _loaded(workbook)
    assert notices == []


def test_a_header_of_an_older_template_is_read_as_its_column(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No header has been renamed yet (the history's ``older`` is empty); a renamed header
    added to the data is read as the column it was."""
    before = load(workbook)
    wb = openpyxl.load_workbook(workbook)
    ws = wb["会议"]
    names = [c.value for c in ws[1]]
    ws.cell(1, names.index("议题") + 1).value = "会议议题"
    wb.save(workbook)
    # not a header the template ever had: kept as an extra column, its topics not read as such
    unknown, said = _loaded(workbook)
    assert [n.problem.code for n in said] == ["extra_column"]
    assert unknown.meetings != before.meetings
    assert [c.header for c in unknown.extra_columns] == ["会议议题"]
    history = _excel_older._history()
    renamed = attrs.evolve(history, older={("meetings", "会议议题"): "topic"})
    monkeypatch.setattr(_excel_older, "_history", lambda: renamed)
    ledger, notices = _loaded(workbook)
    assert ledger == before
    (notice,) = notices
    assert notice.problem.code == "older_template"
    assert "会议议题" in notice.problem.message and "议题" in notice.problem.message


def test_the_kept_history_fits_todays_layout() -> None:
    history = _excel_older._history()
    assert history.added, "the data file lists the columns added since the first template"
    for ident, added in history.added.items():
        sheet = BY_IDENT[ident]
        for a in added:
            column = sheet.column(a.key)
            assert column is not None and column.header == a.header, a
            assert not column.required or sheet.parent is not None or a.key == "branch", a
    for (ident, header), key in history.older.items():
        sheet = BY_IDENT[ident]
        assert sheet.column(key) is not None
        assert header not in {c.header for c in sheet.columns}


def test_the_lookups() -> None:
    meetings = BY_IDENT["meetings"]
    assert older_column(meetings, "议题") is None  # today's header is no older one
    keys = {c.key for c in meetings.columns}
    assert later_columns(meetings, keys) == ()
    assert [a.key for a in later_columns(meetings, keys - {"also"})] == ["also"]
