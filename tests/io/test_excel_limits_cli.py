"""Raising the limits of reading a workbook: ``dangjian.load(limits=...)`` and the command
line's ``--excel-limit NAME=VALUE`` on every command that reads a ledger."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import dangjian
from dangjian import LedgerError, dump
from dangjian.cli import main
from dangjian.errors import ProblemsError
from dangjian.io.excel import LIMIT_NAMES, ExcelLimits, parse_limits

pytest.importorskip("openpyxl")


@pytest.fixture
def book(tmp_path: Path, make_ledger) -> Path:
    path = tmp_path / "台账.xlsx"
    dump(make_ledger(), path)
    return path


@pytest.fixture
def cells(book: Path) -> int:
    """The cells holding a value in the ledger's sheets (the first sheet is the instructions)."""
    wb = openpyxl.load_workbook(book)
    return sum(
        1 for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row if c.value is not None
    )


# -- parse_limits ----------------------------------------------------------------------------


def test_parse_limits_sets_the_names_given_and_keeps_the_other_defaults() -> None:
    limits = parse_limits(["max_cells=500000", "max_rows=300_000", "max_cells=600000"])
    assert limits == ExcelLimits(max_cells=600_000, max_rows=300_000)
    assert parse_limits([]) == ExcelLimits()


def test_parse_limits_lists_every_bad_setting_with_the_valid_names() -> None:
    with pytest.raises(ProblemsError) as caught:
        parse_limits(["max_cels=5", "max_cells=lots", "max_rows", "max_merged=0", "max_parts=-3"])
    problems = caught.value.problems
    assert [(p.path, p.code) for p in problems] == [
        ("--excel-limit[0]", "unknown_limit"),
        ("--excel-limit[1]", "invalid_value"),
        ("--excel-limit[2]", "unknown_limit"),
        ("--excel-limit[3]", "invalid_value"),
        ("--excel-limit[4]", "invalid_value"),
    ]
    for name in LIMIT_NAMES:
        assert name in problems[0].message and name in problems[0].message_en
    assert "不是正整数" in problems[1].message
    assert "not a positive whole number" in problems[1].message_en


# -- dangjian.load ---------------------------------------------------------------------------


def test_load_passes_the_limits_to_excel(book: Path, cells: int, make_ledger) -> None:
    assert dangjian.load(book, limits=ExcelLimits(max_cells=cells)) == make_ledger()
    with pytest.raises(LedgerError) as caught:
        dangjian.load(book, limits=ExcelLimits(max_cells=cells - 1))
    [problem] = caught.value.problems
    assert problem.code == "too_large"
    assert "--excel-limit max_cells=" in problem.message
    assert "--excel-limit max_cells=N" in problem.message_en
    assert "ExcelLimits(max_cells=N)" in problem.message_en


def test_load_refuses_limits_for_a_file_that_is_not_a_workbook(tmp_path: Path, make_ledger) -> None:
    path = tmp_path / "台账.json"
    dump(make_ledger(), path)
    assert dangjian.load(path) == make_ledger()
    with pytest.raises(ProblemsError) as caught:
        dangjian.load(path, limits=ExcelLimits())
    assert caught.value.source == str(path)
    [problem] = caught.value.problems
    assert problem.code == "limits_not_excel"
    assert ".xlsx" in problem.message and "JSON" in problem.message_en


def test_the_file_size_refusal_says_how_to_raise_it(book: Path) -> None:
    size = book.stat().st_size
    with pytest.raises(LedgerError) as caught:
        dangjian.load(book, limits=ExcelLimits(max_file_size=size - 1))
    assert "--excel-limit max_file_size=" in caught.value.problems[0].message


# -- the command line ------------------------------------------------------------------------


def checking(command: str) -> list[str]:
    return (
        ["--period", "2020H1", "--as-of", "2020-07-15"] if command in ("check", "summary") else []
    )


@pytest.mark.parametrize("command", ["validate", "convert", "check", "summary"])
def test_every_command_reading_a_ledger_takes_excel_limits(
    command: str, book: Path, cells: int, tmp_path: Path, capsys
) -> None:
    target = [str(tmp_path / "out.json")] if command == "convert" else []
    base = [command, str(book), *target, *checking(command)]
    # refused under the default limit lowered, read once raised back
    assert main([*base, "--excel-limit", f"max_cells={cells - 1}"]) == 2
    err = capsys.readouterr().err
    assert "ExcelLimits.max_cells" in err and "--excel-limit max_cells=" in err
    assert main([*base, "--excel-limit", f"max_cells={cells}", "--excel-limit", "max_rows=9"]) in (
        0,
        1,
    )
    assert "ExcelLimits" not in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_excel_limit_is_a_bilingual_usage_error(book: Path, lang: str, capsys) -> None:
    code = main(["--lang", lang, "validate", str(book), "--excel-limit", "max_cell=1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--excel-limit[0]" in err
    assert ("可用的上限" if lang == "zh" else "the limits are") in err
    assert "max_cells" in err and "max_file_size" in err


def test_excel_limits_on_a_yaml_ledger_are_an_error(tmp_path: Path, make_ledger, capsys) -> None:
    path = tmp_path / "台账.yaml"
    dump(make_ledger(), path)
    assert main(["validate", str(path), "--excel-limit", "max_cells=10"]) == 2
    assert "只用于 .xlsx 台账" in capsys.readouterr().err
