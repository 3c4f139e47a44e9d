"""Workbooks as offices keep them: extra columns kept, synonyms of labels, one error per mistake."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import DangjianError, Ledger, LedgerError, MeetingKind, Problem, check, dumps, loads
from dangjian.cli import main
from dangjian.errors import LoadNotice
from dangjian.io import Format
from dangjian.io._excel_layout import is_known_column
from dangjian.io._excel_synonyms import synonyms
from dangjian.io._excel_values import read_list, write_list
from dangjian.io.excel import dump_excel, load_excel
from dangjian.model.kept import ExtraCell, ExtraColumn, Spelling
from dangjian.testing.strategies import notes, texts
from tests.builders import examples
from tests.builders.example import EXAMPLE
from tests.builders.sample import workbook_extras

FORMATS: list[Format] = ["json", "yaml", "toml"]


def headers(ws: Any) -> list[Any]:
    return [cell.value for cell in ws[1]]


def column_of(ws: Any, header: str) -> int:
    return headers(ws).index(header) + 1


def row_of(ws: Any, header: str, value: str) -> int:
    col = column_of(ws, header)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == value)


def edit(path: Path, change: Callable[[Any], object]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def loaded(path: Path) -> tuple[Ledger, list[LoadNotice]]:
    """The ledger in the workbook, and the notices its loading gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ledger = load_excel(path)
    notices = [w.message for w in caught if isinstance(w.message, LoadNotice)]
    assert len(notices) == len(caught), [str(w.message) for w in caught]
    return ledger, notices


def problems_of(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(LedgerError) as caught:
        load_excel(path)
    return [(p.path, p.code) for p in caught.value.problems]


@pytest.fixture
def kept(make_ledger: Callable[..., Ledger]) -> Callable[..., Ledger]:
    """The sample ledger with what a workbook held beyond the fields, overridable."""
    return lambda **overrides: make_ledger(**{**workbook_extras(), **overrides})


@pytest.fixture(scope="module")
def original() -> Ledger:
    """The bundled example ledger (without anything kept from a workbook)."""
    return loads(EXAMPLE.read_text(encoding="utf-8"), "yaml")


@pytest.fixture
def book(original: Ledger, tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    dump_excel(original, path)
    return path


# -- columns the template does not know ------------------------------------------------------


def add_office_columns(wb: Any) -> None:
    """An office's phone numbers beside its members, and a note beside an absence."""
    ws = wb["党员"]
    n = ws.max_column + 1
    ws.cell(1, n, "手机号")
    ws.cell(2, n, 13800138000)  # a number: kept as the text it shows
    ws.cell(4, n, "010-1234 5678 ")  # blanks kept
    ws = wb["缺席"]
    n = ws.max_column + 1
    ws.cell(1, n, "备注二")
    ws.cell(3, n, "迟到")


def test_an_extra_column_is_kept_with_a_notice(book: Path, original: Ledger) -> None:
    edit(book, add_office_columns)
    ledger, notices = loaded(book)
    wb = openpyxl.load_workbook(book)
    phone = openpyxl.utils.get_column_letter(column_of(wb["党员"], "手机号"))
    note = openpyxl.utils.get_column_letter(column_of(wb["缺席"], "备注二"))
    assert [(n.source, n.problem.path, n.problem.code) for n in notices] == [
        (str(book), f"党员 第1行 {phone}列", "extra_column"),
        (str(book), f"缺席 第1行 {note}列", "extra_column"),
    ]
    assert "「手机号」" in notices[0].problem.message
    assert "'手机号'" in notices[0].render("en")
    members = [m.id for m in original.members]
    absence_owner = wb["缺席"].cell(3, 1).value
    position = [wb["缺席"].cell(r, 1).value for r in range(2, 4)].count(
        absence_owner
    )  # the absence's position among its meeting's absences
    assert ledger.extra_columns == (
        ExtraColumn(
            "members",
            "手机号",
            (ExtraCell(members[0], "13800138000"), ExtraCell(members[2], "010-1234 5678 ")),
        ),
        ExtraColumn(
            "meetings.absences", "备注二", (ExtraCell(f"{absence_owner}#{position}", "迟到"),)
        ),
    )
    # nothing else changed: the records are the example's
    assert attrs.evolve(ledger, extra_columns=()) == original


def test_an_extra_column_is_written_back_in_its_sheet(book: Path, tmp_path: Path) -> None:
    edit(book, add_office_columns)
    ledger, _ = loaded(book)
    again = tmp_path / "again.xlsx"
    dump_excel(ledger, again)
    back, notices = loaded(again)
    assert back == ledger
    assert len(notices) == 2
    before, after = openpyxl.load_workbook(book), openpyxl.load_workbook(again)
    for sheet, header in (("党员", "手机号"), ("缺席", "备注二")):
        old, new = before[sheet], after[sheet]
        a, b = column_of(old, header), column_of(new, header)
        assert [str(old.cell(r, a).value or "") for r in range(1, old.max_row + 1)] == [
            str(new.cell(r, b).value or "") for r in range(1, new.max_row + 1)
        ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_what_a_workbook_kept_survives_the_text_formats(
    kept: Callable[..., Ledger], fmt: Format
) -> None:
    ledger = kept()
    assert ledger.extra_columns and ledger.spellings  # the sample has both
    text = dumps(ledger, fmt)
    back = loads(text, fmt)
    assert back == ledger
    assert dumps(back, fmt) == text


def test_what_a_workbook_kept_changes_no_verdict(kept: Callable[..., Ledger]) -> None:
    ledger = kept()
    bare = attrs.evolve(ledger, extra_columns=(), spellings=())
    a, b = check(ledger, "2020"), check(bare, "2020")
    assert [(f.rule, f.status, f.subject) for f in a.findings] == [
        (f.rule, f.status, f.subject) for f in b.findings
    ]


def test_an_extra_column_twice_is_an_error(book: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["党员"]
        ws.cell(1, ws.max_column + 1, "手机号")
        ws.cell(1, ws.max_column + 1, "手机号")

    edit(book, change)
    [(path, code)] = problems_of(book)
    assert code == "duplicate_key" and path.startswith("党员 第1行 ")


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # just failing: a row key of no record, a sheet that is not there
        ([ExtraCell("m9", "x")], [("extra_columns[0].cells[0].record", "broken_reference")]),
        ([ExtraCell("mt1#2", "x")], [("extra_columns[0].cells[0].record", "broken_reference")]),
        # just passing: the first absence of mt1
        ([ExtraCell("mt1#1", "x")], []),
    ],
)
def test_kept_cells_must_name_rows_that_are_there(
    kept: Callable[..., Ledger], cells: list[ExtraCell], expected: list[tuple[str, str]]
) -> None:
    ledger = kept(
        extra_columns=(ExtraColumn("meetings.absences", "备注二", tuple(cells)),), spellings=()
    )
    assert [(p.path, p.code) for p in ledger.problems()] == expected


def test_a_spelling_of_no_record_and_a_column_twice(kept: Callable[..., Ledger]) -> None:
    column = ExtraColumn("members", "手机号", (ExtraCell("m1", "1"),))
    ledger = kept(
        extra_columns=(column, column),
        spellings=(Spelling("meetings", "nope", "kind", "支部大会"),),
    )
    assert [(p.path, p.code) for p in ledger.problems()] == [
        ("extra_columns[1].header", "duplicate_key"),
        ("spellings[0].record", "broken_reference"),
    ]


def test_the_command_line_says_the_notice(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(book, add_office_columns)
    assert main(["validate", str(book)]) == 0
    err = capsys.readouterr().err
    assert "手机号" in err and "备注二" in err and str(book) in err


# -- synonyms of labels ----------------------------------------------------------------------


def set_kind(wb: Any, meeting: str, header: str, text: str) -> None:
    ws = wb["会议"]
    ws.cell(row_of(ws, "编号", meeting), column_of(ws, header)).value = text


def every_synonym() -> list[tuple[str, MeetingKind]]:
    return [(word, cast(MeetingKind, kind)) for word, kind in synonyms()[MeetingKind].items()]


@pytest.mark.parametrize(("word", "kind"), every_synonym())
def test_a_synonym_reads_as_its_kind_and_is_written_as_typed(
    book: Path, original: Ledger, tmp_path: Path, word: str, kind: MeetingKind
) -> None:
    first = original.meetings[0]
    edit(book, lambda wb: set_kind(wb, first.id, "会议类型", word))
    ledger, notices = loaded(book)
    assert not notices
    assert ledger.meetings[0].kind is kind
    assert ledger.spellings == (Spelling("meetings", first.id, "kind", word),)
    again = tmp_path / "again.xlsx"
    dump_excel(ledger, again)
    ws = openpyxl.load_workbook(again)["会议"]
    assert ws.cell(2, column_of(ws, "会议类型")).value == word
    assert loaded(again)[0] == ledger


def test_synonyms_in_a_list_of_kinds(book: Path, original: Ledger) -> None:
    first = original.meetings[0]
    other = next(k for k in MeetingKind if k is not first.kind and k is not MeetingKind.THEME_DAY)
    text = write_list([other.label, "主题党日活动"])
    edit(book, lambda wb: set_kind(wb, first.id, "同时作为的会议类型", text))
    ledger, _ = loaded(book)
    assert ledger.meetings[0].also == (other, MeetingKind.THEME_DAY)
    assert ledger.spellings == (Spelling("meetings", first.id, "also", text),)


def test_a_label_of_another_kind_is_not_a_synonym(book: Path, original: Ledger) -> None:
    # 民主评议 alone may be the appraisal of cadres: not taken for 民主评议党员
    edit(book, lambda wb: set_kind(wb, original.meetings[0].id, "会议类型", "民主评议"))
    [(path, code)] = problems_of(book)
    assert code == "unknown_label" and path.startswith("会议 第2行 会议类型")


def test_a_spelling_that_no_longer_reads_as_the_value_is_not_written(
    kept: Callable[..., Ledger], tmp_path: Path
) -> None:
    ledger = kept()
    [spelling] = ledger.spellings
    changed = attrs.evolve(ledger.meetings[0], kind=MeetingKind.THEME_DAY)
    ledger = attrs.evolve(ledger, meetings=(changed,))
    path = tmp_path / "台账.xlsx"
    dump_excel(ledger, path)
    ws = openpyxl.load_workbook(path)["会议"]
    assert ws.cell(2, column_of(ws, "会议类型")).value == "主题党日"
    assert spelling.text == "支部大会"


def test_the_synonyms_are_in_the_instructions(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    dump_excel(Ledger(name="x"), path)
    ws = openpyxl.load_workbook(path)["填写说明"]
    rows = {
        str(r[0].value): str(r[1].value)
        for r in ws.iter_rows(min_row=2)
        if r[0].value and r[1].value
    }
    for kind in MeetingKind:
        words = [w for w, k in synonyms()[MeetingKind].items() if k is kind]
        if words:
            assert read_list(rows[kind.label]) == words
    assert rows["支委会"] == "支部委员会、支部委员会会议、支委会议、支委会会议"


# -- one mistake, one error ------------------------------------------------------------------


def names_for_ids(wb: Any, original: Ledger) -> None:
    """Every reference to a member written as the member's name, as offices do."""
    from dangjian.io._excel_layout import SHEETS, NameColumn

    names = {m.id: m.name for m in original.members}
    for sheet in SHEETS:
        ws = wb[sheet.name]
        for c, col in enumerate(sheet.written, start=1):  # the names beside the ids too
            if isinstance(col, NameColumn) or col.target != "members" or col.role != "field":
                continue
            for r in range(2, ws.max_row + 1):
                value = ws.cell(r, c).value
                if isinstance(value, str) and value:
                    items = [names.get(x, x) for x in read_list(value)]
                    ws.cell(r, c).value = write_list(items) if col.kind == "ids" else items[0]


def test_names_resolve_to_the_same_ledger(book: Path, original: Ledger) -> None:
    edit(book, lambda wb: names_for_ids(wb, original))
    assert loaded(book)[0] == original


def test_a_duplicate_id_is_one_error(book: Path, original: Ledger) -> None:
    """The second member gets the first's id; the many cells that name either by name are not
    reported again (they used to say 「m101」重复出现, an id where a name was typed)."""

    def change(wb: Any) -> None:
        names_for_ids(wb, original)
        ws = wb["党员"]
        ws.cell(3, column_of(ws, "编号")).value = ws.cell(2, column_of(ws, "编号")).value

    edit(book, change)
    assert problems_of(book) == [("党员 第3行 编号列", "duplicate_id")]


def test_an_unknown_name_is_one_error_at_its_first_cell(book: Path, original: Ledger) -> None:
    def change(wb: Any) -> None:
        ws = wb["会议"]
        ws.cell(3, column_of(ws, "主持人")).value = "王五"
        ws.cell(5, column_of(ws, "记录人")).value = "王五"

    edit(book, change)
    with pytest.raises(LedgerError) as caught:
        load_excel(book)
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("会议 第3行 主持人列", "broken_reference")
    assert problem.message == (
        "找不到编号为「王五」的党员（也不是台账中党员的姓名）；另有 1 处填写了它：会议 第5行 记录人列"
    )
    assert "1 more cells name it" in problem.message_en


def test_a_missing_id_named_in_many_cells_is_one_error(book: Path, original: Ledger) -> None:
    """The second member's id mistyped as the first's: every cell naming the second by id
    points at one error, the first of them, and the duplicate id is the other."""
    second = original.members[1].id

    def change(wb: Any) -> None:
        ws = wb["党员"]
        ws.cell(3, column_of(ws, "编号")).value = ws.cell(2, column_of(ws, "编号")).value

    edit(book, change)
    with pytest.raises(LedgerError) as caught:
        load_excel(book)
    problems: list[Problem] = list(caught.value.problems)
    assert sorted(p.code for p in problems) == ["broken_reference", "duplicate_id"]
    [broken] = [p for p in problems if p.code == "broken_reference"]
    assert f"「{second}」" in broken.message and "另有" in broken.message


def test_independent_mistakes_in_two_sheets_are_two_errors(book: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["会议"]
        ws.cell(4, column_of(ws, "会议日期")).value = "2020-13-45"
        ws = wb["学习"]
        ws.cell(2, column_of(ws, "领学人（主讲人）")).value = "赵六"

    edit(book, change)
    assert problems_of(book) == [
        ("会议 第4行 会议日期列", "invalid_value"),
        ("学习 第2行 领学人（主讲人）列", "broken_reference"),
    ]


def test_every_mistake_of_a_row_in_one_run(book: Path) -> None:
    """A row with an unreadable date and an unknown name: both at once (the name used to
    appear only once the date was mended, its record not checked before)."""

    def change(wb: Any) -> None:
        ws = wb["会议"]
        ws.cell(4, column_of(ws, "会议日期")).value = "不是日期"
        ws.cell(4, column_of(ws, "主持人")).value = "王五"

    edit(book, change)
    assert problems_of(book) == [
        ("会议 第4行 会议日期列", "invalid_value"),
        ("会议 第4行 主持人列", "broken_reference"),
    ]


def test_the_sample_with_what_a_workbook_kept_round_trips_through_excel(
    kept: Callable[..., Ledger], tmp_path: Path
) -> None:
    head = ExtraColumn("ledger", "填表人", (ExtraCell("", "张三"),))
    ledger = kept(extra_columns=(head, *kept().extra_columns))  # in the order of the sheets
    path = tmp_path / "台账.xlsx"
    dump_excel(ledger, path)
    back, notices = loaded(path)
    assert back == ledger
    assert [n.problem.path.split(" ")[0] for n in notices] == ["台账", "党员", "缺席"]
    wb = openpyxl.load_workbook(path)
    assert wb["台账"].cell(2, column_of(wb["台账"], "填表人")).value == "张三"
    ws = wb["会议"]
    assert ws.cell(2, column_of(ws, "会议类型")).value == "支部大会"  # as typed


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (ExtraColumn("members.nope", "手机号", ()), [("extra_columns[0].sheet", "invalid_value")]),
        (ExtraColumn("nope", "手机号", ()), [("extra_columns[0].sheet", "invalid_value")]),
        (
            ExtraColumn("members", "手机号", (ExtraCell("m1", "1"), ExtraCell("m1", "2"))),
            [("extra_columns[0].cells[1].record", "duplicate_key")],
        ),
        # just passing: a sheet of nested records within nested records
        (ExtraColumn("pairings.visits.donations", "备注二", ()), []),
    ],
)
def test_kept_columns_name_real_sheets_and_rows_once(
    kept: Callable[..., Ledger], column: ExtraColumn, expected: list[tuple[str, str]]
) -> None:
    ledger = kept(extra_columns=(column,), spellings=())
    assert [(p.path, p.code) for p in ledger.problems()] == expected


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"sheet": "members", "header": " 手机号", "cells": []}, "extra_columns[0].header"),
        (
            {"sheet": "members", "header": "手机号", "cells": [{"record": "m1", "value": " "}]},
            "extra_columns[0].cells[0].value",
        ),
    ],
)
def test_what_a_workbook_could_not_give_back_is_refused(
    make_ledger: Callable[..., Ledger], data: dict[str, Any], path: str
) -> None:
    """A header with blanks around it, a blank cell: a workbook reads neither back."""
    text = dumps(make_ledger(), "json")
    document = {**json.loads(text), "extra_columns": [data]}
    with pytest.raises(LedgerError) as caught:
        loads(json.dumps(document, ensure_ascii=False), "json")
    assert [p.path for p in caught.value.problems] == [path]


def test_an_extra_column_named_as_the_templates_is_not_written(
    kept: Callable[..., Ledger], tmp_path: Path
) -> None:
    ledger = kept(extra_columns=(ExtraColumn("members", "姓名", (ExtraCell("m1", "x"),)),))
    with pytest.raises(DangjianError, match="姓名"):
        dump_excel(ledger, tmp_path / "台账.xlsx")
    assert not (tmp_path / "台账.xlsx").exists()


def test_a_missing_id_column_is_one_error(book: Path) -> None:
    """Without its id column no meeting can be named: the absences, resolutions and joint
    activities that name meetings are not reported one by one."""
    edit(book, lambda wb: wb["会议"].delete_cols(column_of(wb["会议"], "编号")))
    assert problems_of(book) == [("会议 第1行", "missing_field")]


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    header=texts(max_size=20).filter(lambda h: not is_known_column(_sheet("members"), h)),
    values=st.lists(notes(max_size=30).filter(str.strip), min_size=1, max_size=3),
)
def test_any_extra_column_round_trips(
    kept: Callable[..., Ledger], tmp_path: Path, header: str, values: list[str]
) -> None:
    """Whatever an office typed as an extra column comes back the same: escapes, formulas'
    look-alikes, line breaks and blanks around the text included."""
    base = kept()
    cells = tuple(ExtraCell(m.id, value) for m, value in zip(base.members, values, strict=False))
    ledger = kept(extra_columns=(ExtraColumn("members", header, cells),))
    path = tmp_path / "台账.xlsx"
    dump_excel(ledger, path)
    assert loaded(path)[0] == ledger


def _sheet(ident: str) -> Any:
    from dangjian.io._excel_layout import SHEETS

    return next(s for s in SHEETS if s.ident == ident)


def test_an_export_to_tables_keeps_what_the_workbook_held(
    kept: Callable[..., Ledger], tmp_path: Path
) -> None:
    """The extra columns and the spellings go into the table ``ledger.kept`` and come back:
    nothing to warn of."""
    pytest.importorskip("pyarrow")
    from dangjian import dumps
    from dangjian.tables.parquet import export, load

    ledger = kept()
    assert ledger.extra_columns and ledger.spellings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        export(ledger, tmp_path / "a")
    back = load(tmp_path / "a")
    assert back == ledger
    assert dumps(back, "json") == dumps(ledger, "json")


def test_a_retyped_meeting_id_is_one_error_for_its_nested_rows(
    book: Path, original: Ledger
) -> None:
    """The second meeting's id retyped as the first's: the rows of 缺席 and 决议 that name the
    lost id give one error, at the first of them, not one each."""
    lost = original.meetings[1].id
    nested = sum(
        1 for m in original.meetings if m.id == lost for _ in (*m.absences, *m.resolutions)
    )
    assert nested >= 2  # the example has them

    def change(wb: Any) -> None:
        ws = wb["会议"]
        ws.cell(3, column_of(ws, "编号")).value = ws.cell(2, column_of(ws, "编号")).value

    edit(book, change)
    with pytest.raises(LedgerError) as caught:
        load_excel(book)
    problems = caught.value.problems
    assert [p.code for p in problems] == ["duplicate_id", "broken_reference"]
    assert f"「{lost}」" in problems[1].message
    assert f"另有 {nested - 1} 处填写了它" in problems[1].message
