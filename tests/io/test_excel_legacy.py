"""Legacy Excel 97-2003 workbooks (``.xls``): read through python-calamine, never written."""

from __future__ import annotations

import shutil
import sys
import warnings
from pathlib import Path

import pytest

from dangjian import DangjianError, Ledger, LedgerError, dump, load
from dangjian.cli import main
from dangjian.errors import LoadNotice
from dangjian.io import format_of
from dangjian.io.excel import ExcelLimits, load_excel

LEGACY = Path(__file__).parent / "legacy"
"""A real ``.xls`` file and the ledger it holds (see the README beside them)."""


def quietly(path: Path, limits: ExcelLimits | None = None) -> Ledger:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoadNotice)
        return load(path, limits=limits)


def test_a_legacy_workbook_reads_as_the_ledger_it_holds() -> None:
    pytest.importorskip("python_calamine")
    ledger = quietly(LEGACY / "ledger.xls")
    assert ledger == load(LEGACY / "ledger.yaml")
    assert format_of(LEGACY / "ledger.xls") == "xls"
    # the office's own column and the label as typed are kept from it as from an .xlsx
    assert [c.header for c in ledger.extra_columns] == ["手机号", "备注二"]
    assert [s.text for s in ledger.spellings] == ["支部大会"]


def test_a_legacy_workbook_converts_to_xlsx(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    target = tmp_path / "台账.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoadNotice)
        assert main(["convert", str(LEGACY / "ledger.xls"), str(target)]) == 0
    assert quietly(target) == load(LEGACY / "ledger.yaml")


def test_output_is_never_xls(tmp_path: Path) -> None:
    ledger = load(LEGACY / "ledger.yaml")
    with pytest.raises(DangjianError, match=r"\.xlsx"):
        dump(ledger, tmp_path / "台账.xls")
    assert not (tmp_path / "台账.xls").exists()


def test_a_file_that_is_no_legacy_workbook(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "假的.xls"
    path.write_bytes(b"not a workbook at all")
    with pytest.raises(LedgerError) as caught:
        load_excel(path)
    [problem] = caught.value.problems
    assert problem.code == "syntax" and "（.xls）" in problem.message


@pytest.mark.parametrize(("cells", "refused"), [(10_000, False), (5, True)])
def test_a_legacy_workbook_is_read_within_the_limits(
    tmp_path: Path, cells: int, refused: bool
) -> None:
    pytest.importorskip("python_calamine")
    limits = ExcelLimits(max_cells=cells)
    if not refused:
        assert quietly(LEGACY / "ledger.xls", limits=limits) == load(LEGACY / "ledger.yaml")
        return
    with pytest.raises(LedgerError) as caught:
        quietly(LEGACY / "ledger.xls", limits=limits)
    assert [p.code for p in caught.value.problems] == ["too_large"]


def test_without_the_extra_the_message_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails
    path = tmp_path / "台账.xls"
    shutil.copy(LEGACY / "ledger.xls", path)
    with pytest.raises(DangjianError) as caught:
        load(path)
    assert 'pip install "dangjian[xls]"' in str(caught.value)


class _FakeSheet:
    """What read_legacy_sheet reads of a python-calamine sheet."""

    def __init__(
        self,
        start: tuple[int, int],
        rows: list[list[object]],
        merged: list[tuple[tuple[int, int], tuple[int, int]]],
    ) -> None:
        self.start = start
        self.rows = rows
        self.merged_cell_ranges = merged

    def iter_rows(self) -> list[list[object]]:
        return self.rows


def test_legacy_cells_are_placed_typed_and_counted() -> None:
    import datetime as dt

    from dangjian.io._excel_archive import Budget, read_legacy_sheet

    sheet = _FakeSheet(
        (1, 2),  # the used area starts at C2
        [["编号", "", 3, True], [dt.date(2020, 5, 1), dt.time(9, 30), 2.5, ""]],
        [((1, 2), (2, 3))],
    )
    budget = Budget(cells=10, merged=1)
    cells, merged = read_legacy_sheet(sheet, "会议", ExcelLimits(), budget)
    assert [(c.row, c.column, c.value, c.kind) for c in cells] == [
        (2, 3, "编号", "s"),
        (2, 5, 3, "n"),
        (2, 6, True, "b"),
        (3, 3, dt.datetime(2020, 5, 1), "d"),
        (3, 4, dt.time(9, 30), "d"),
        (3, 5, 2.5, "n"),
    ]
    assert merged == [(2, 3, 3, 4)]
    assert (budget.cells, budget.merged) == (4, 0)
    from dangjian.io._excel_archive import Refused

    with pytest.raises(Refused):  # one cell past the budget
        read_legacy_sheet(sheet, "会议", ExcelLimits(), Budget(cells=5, merged=1))
    with pytest.raises(Refused):  # a row past max_rows
        read_legacy_sheet(sheet, "会议", ExcelLimits(max_rows=2), Budget(cells=10, merged=1))
