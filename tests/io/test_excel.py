"""Ledgers as Excel workbooks: the template, round trips, and strict, located reading."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.utils import get_column_letter

import dangjian
from dangjian import DangjianError, Ledger, LedgerError, Problem, dump, load
from dangjian.cli import main
from dangjian.io import format_of, to_data
from dangjian.io._excel_layout import (
    HEAD,
    HEADERS,
    INSTRUCTIONS,
    REFERENCES,
    SHEETS,
    NameColumn,
)
from dangjian.io._excel_values import escape_text, read_list, unescape_text, write_list
from dangjian.io.excel import dump_excel, load_excel, write_template
from dangjian.model import ProbationExtension
from dangjian.rules.kinds.dues import payment_base
from dangjian.testing.strategies import TRICKY_TEXTS, ledgers
from tests.builders import ROOT, examples
from tests.builders.example import EXAMPLE

GLOSSARY = ROOT / "docs" / "glossary.md"

# -- helpers ---------------------------------------------------------------------------------


def headers(ws: Any) -> list[Any]:
    return [cell.value for cell in ws[1]]


def at(ws: Any, header: str, row: int = 2) -> Any:
    """The cell of column ``header`` in ``row``."""
    return ws.cell(row, headers(ws).index(header) + 1)


def letter(ws: Any, header: str) -> str:
    return get_column_letter(headers(ws).index(header) + 1)


def edit(path: Path, change: Callable[[Any], object]) -> Path:
    """Open the workbook, change it, save it."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def put(sheet: str, header: str, value: Any, row: int = 2) -> Callable[[Any], None]:
    def change(wb: Any) -> None:
        at(wb[sheet], header, row).value = value

    return change


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(LedgerError) as caught:
        load_excel(path)
    return caught.value.problems


def copy_row(ws: Any, source: int, target: int) -> None:
    for cell in ws[source]:
        new = ws.cell(target, cell.column, cell.value)
        new.number_format = cell.number_format
        new.data_type = cell.data_type


@pytest.fixture(scope="module")
def base(make_ledger: Callable[..., Ledger], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The sample ledger as a workbook, written once."""
    path = tmp_path_factory.mktemp("base") / "base.xlsx"
    dump_excel(make_ledger(), path)
    return path.read_bytes()


@pytest.fixture
def book(base: bytes, tmp_path: Path) -> Path:
    """A fresh copy of the sample workbook to change."""
    path = tmp_path / "台账.xlsx"
    path.write_bytes(base)
    return path


# -- the layout ------------------------------------------------------------------------------


def _glossary() -> dict[str, dict[str, tuple[str, str]]]:
    """Each class's fields in docs/glossary.md: field → (中文, 说明)."""
    tables: dict[str, dict[str, tuple[str, str]]] = {}
    current = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `(\w+)`", line)
        if heading:
            current = tables.setdefault(heading[1], {})
            continue
        row = re.match(r"^\| `(\w+)` \| ([^|]*) \| [^|]* \| [^|]* \| ([^|]*) \|$", line)
        if row and current is not None:
            current[row[1]] = (row[2].strip(), row[3].strip())
    return tables


def test_headers_are_the_glossary_terms() -> None:
    glossary = _glossary()
    for cls, columns in HEADERS.items():
        if cls is ProbationExtension:
            continue  # 决定日期, 延长月数: prefixed with 延长预备期 in the member's sheet
        terms = glossary[cls.__name__]
        for field, header in columns.items():
            assert terms[field][0] == header, f"{cls.__name__}.{field}"
    assert HEADERS[ProbationExtension] == {
        "decided": "延长预备期决定日期",
        "months": "延长预备期月数",
    }


def test_references_are_those_of_the_glossary() -> None:
    documented = {
        (name, field): re.search(r"引用 `(\w+)`", note)[1]  # type: ignore[index]
        for name, fields in _glossary().items()
        for field, (_, note) in fields.items()
        if "引用 `" in note and name in {cls.__name__ for cls in HEADERS}
    }
    ours = {(cls.__name__, field): target for (cls, field), target in REFERENCES.items()}
    assert ours == documented


def test_every_sheet_has_unique_headers_and_identifiers() -> None:
    names = [INSTRUCTIONS, HEAD.name, *(s.name for s in SHEETS)]
    assert len(names) == len(set(names))
    for sheet in (HEAD, *SHEETS):
        headers = [c.header for c in sheet.columns]
        keys = [c.key for c in sheet.columns]
        assert len(set(headers)) == len(headers), sheet.name
        assert len(set(keys)) == len(keys), sheet.name
        assert not set(headers) & set(keys), sheet.name


# -- the template ----------------------------------------------------------------------------

CHILD_SHEETS = [
    "委员会任职",
    "换届延期批准",
    "缺席",
    "决议",
    "候选人",
    "结对活动",
    "扶贫项目",
    "帮扶培训",
]
CHILD_SHEETS += ["走访慰问", "捐赠", "志愿服务", "回头看", "组织关系转接", "积极分子考察"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def test_template_sheets(template: Any) -> None:
    names = template.sheetnames
    assert names[:2] == ["填写说明", "台账"]
    for kind in dangjian.RECORD_KINDS:
        assert kind.label in names
    for name in CHILD_SHEETS:
        assert name in names
    # the nested records follow their parent's sheet
    assert names.index("缺席") == names.index("会议") + 1
    assert names.index("换届延期批准") == names.index("委员会任职") + 1
    assert names.index("组织关系转接") == names.index("党员") + 1
    assert names.index("捐赠") == names.index("走访慰问") + 1
    guide = " ".join(
        str(c.value) for row in template["填写说明"].iter_rows() for c in row if c.value
    )
    assert "、" in guide and "第7行" in guide and "JSON" in guide
    # what counts as an absence, for the attendance rules
    assert "请假、病假、出差算准假" in guide and "attend.general_meeting" in guide
    assert "换届延期批准（党组织编号）" in guide or "委员会任职和换届延期批准" in guide


def test_template_headers(template: Any) -> None:
    assert headers(template["台账"]) == ["台账名称", "格式版本"]
    meeting = headers(template["会议"])
    assert meeting[:6] == [
        "编号",
        "会议类型",
        "同时作为的会议类型",
        "召开会议的党组织",
        "党小组",
        "会议日期",
    ]
    assert {"主持人", "出席人", "列席人", "应到人数", "实到人数", "记录人", "内容摘要"} <= set(
        meeting
    )
    member = headers(template["党员"])
    assert {"递交入党申请书日期", "转正日期", "延长预备期决定日期", "延长预备期月数"} <= set(member)
    assert headers(template["缺席"]) == ["会议编号", "缺席人", "缺席原因", "原因说明"]
    assert headers(template["委员会任职"])[0] == "党组织编号"
    assert headers(template["换届延期批准"]) == [
        "党组织编号",
        "批准日期",
        "批准机关",
        "批准的换届时间",
        "备注",
    ]
    assert headers(template["候选人"])[0] == "选举编号"
    assert headers(template["捐赠"])[:2] == ["结对编号", "走访序号"]
    assert headers(template["回头看"])[0] == "整改事项编号"
    for sheet in (HEAD, *SHEETS):
        assert headers(template[sheet.name]) == [c.header for c in sheet.columns]
        assert template[sheet.name].max_row == 1  # nothing but the headers


def test_template_drop_downs(template: Any) -> None:
    ws = template["会议"]
    kinds = [
        dv
        for dv in ws.data_validations.dataValidation
        if letter(ws, "会议类型") + "2" in str(dv.sqref)
    ]
    assert len(kinds) == 1
    assert kinds[0].type == "list"
    assert kinds[0].formula1 == '"' + ",".join(m.label for m in dangjian.MeetingKind) + '"'
    ws = template["党员"]
    yes_no = [
        dv
        for dv in ws.data_validations.dataValidation
        if letter(ws, "是否领导干部") + "2" in str(dv.sqref)
    ]
    assert yes_no[0].formula1 == '"是,否"'
    for sheet in SHEETS:
        ws = template[sheet.name]
        ranges = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation)
        for column in sheet.columns:
            if column.kind in ("enum", "bool"):
                assert f"{letter(ws, column.header)}2:" in ranges, (sheet.name, column.header)


def test_template_formats(template: Any) -> None:
    for sheet in SHEETS:
        ws = template[sheet.name]
        for column in sheet.columns:
            fmt = ws.column_dimensions[letter(ws, column.header)].number_format
            if column.kind == "date":
                assert fmt == "yyyy-mm-dd", (sheet.name, column.header)
            elif column.kind in ("id", "ids", "time", "month", "decimal", "resident_id"):
                assert fmt == "@", (sheet.name, column.header)


# -- round trips -----------------------------------------------------------------------------


def assert_round_trip(ledger: Ledger, path: Path) -> None:
    dump_excel(ledger, path)
    back = load_excel(path)
    assert back == ledger
    # Decimal("12.50") == Decimal("12.5"): compare the plain data too, where decimals are text
    assert to_data(back) == to_data(ledger)


def test_sample_round_trip(make_ledger: Callable[..., Ledger], tmp_path: Path) -> None:
    assert_round_trip(make_ledger(), tmp_path / "台账.xlsx")


def test_example_round_trip(tmp_path: Path) -> None:
    example = load(EXAMPLE)
    dump(example, tmp_path / "示例.xlsx")
    back = load(tmp_path / "示例.xlsx")
    assert back == example
    assert to_data(back) == to_data(example)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # one file, overwritten by every example
    ],
)
@given(ledger=ledgers())
def test_generated_ledgers_round_trip(tmp_path: Path, ledger: Ledger) -> None:
    assert_round_trip(ledger, tmp_path / "台账.xlsx")


def test_an_approved_delay_is_a_row_of_its_sheet(book: Path) -> None:
    """The sample's b1 has one approval of a delayed election: a row of 换届延期批准, read back."""
    ws = openpyxl.load_workbook(book)["换届延期批准"]
    assert [at(ws, h).value for h in ("党组织编号", "批准机关", "备注")] == [
        "b1",
        "市X局机关党委",
        "疫情防控，经批准延期换届",
    ]
    edit(book, put("换届延期批准", "批准的换届时间", "2021年10月8日"))
    (delay,) = load_excel(book).branches[1].election_delays
    assert (delay.approved_on, delay.election_date) == (dt.date(2021, 5, 10), dt.date(2021, 10, 8))


def test_an_approval_of_an_election_before_it_is_located(book: Path) -> None:
    edit(book, put("换届延期批准", "批准的换届时间", "2021-05-09"))  # the day before approval
    [problem] = problems_of(book)
    assert problem.path == "换届延期批准 第2行 批准的换届时间列"
    assert problem.message.startswith("不能早于批准日期（2021-05-10）")


def test_two_approvals_on_one_day_are_located(book: Path) -> None:
    edit(book, lambda wb: copy_row(wb["换届延期批准"], 2, 3))
    [problem] = problems_of(book)
    assert problem.path == "党组织 第3行"  # b1's row: the approvals are its field
    assert "2021-05-10有两项换届延期或提前的批准" in problem.message


@pytest.mark.parametrize("text", ["12.50", "0.00", "1E+3", "0.001", "100000.000", "0E+2"])
def test_decimals_keep_their_digits(
    make_ledger: Callable[..., Ledger], set_at: Any, tmp_path: Path, text: str
) -> None:
    ledger = set_at(make_ledger(), "trainings[0].hours", Decimal(text))
    path = tmp_path / "台账.xlsx"
    dump_excel(ledger, path)
    cell = at(openpyxl.load_workbook(path)["培训"], "学时")
    assert (cell.value, cell.data_type) == (text, "s")  # a text cell: exactly these digits
    hours = load_excel(path).trainings[0].hours
    assert hours.as_tuple() == Decimal(text).as_tuple()
    assert str(hours) == text


def test_a_decimal_typed_as_a_number(book: Path) -> None:
    edit(book, put("党费", "缴纳金额（元）", 45.5))
    assert load_excel(book).dues_payments[0].amount == Decimal("45.5")


def test_dates_times_and_months_as_written(
    make_ledger: Callable[..., Ledger], set_at: Any, tmp_path: Path
) -> None:
    ledger = set_at(make_ledger(), "branches[0].founded", dt.date(1899, 5, 1))
    path = tmp_path / "台账.xlsx"
    dump_excel(ledger, path)
    wb = openpyxl.load_workbook(path)
    day = at(wb["会议"], "会议日期")
    assert day.is_date and day.value == dt.datetime(2020, 3, 10)
    assert day.number_format == "yyyy-mm-dd"
    # before 1 March 1900 Excel has no dates: written as text
    assert at(wb["党组织"], "成立日期").value == "1899-05-01"
    assert (at(wb["会议"], "开始时间").value, at(wb["会议"], "结束时间").value) == (
        "09:30",
        "11:00",
    )
    assert at(wb["党费"], "所属月份").value == "2020-05"
    assert at(wb["会议"], "会议类型").value == "支部党员大会"  # labels, not codes
    assert at(wb["会议"], "出席人").value == "m1、m2"
    assert load_excel(path) == ledger


def test_awkward_texts_round_trip(
    make_ledger: Callable[..., Ledger], set_at: Any, tmp_path: Path
) -> None:
    ledger = make_ledger()
    for path, value in [
        ("meetings[0].note", ""),
        ("meetings[0].place", "  两端有空白 "),
        ("meetings[0].summary", "=SUM(A1:A3)"),
        ("meetings[0].topic", "#N/A"),
        ("meetings[0].title", "_x0041_ and _x005F_ \x01\x1f\uffff\r\n😀"),
        ("meetings[0].guests", ("甲、乙", "丙")),
        ("meetings[0].actions", ("[1, 2]",)),
        ("study_sessions[0].documents", ("第一行\n第二行", "a,b")),
        ("study_sessions[0].topics", TRICKY_TEXTS),
    ]:
        ledger = set_at(ledger, path, value)
    file = tmp_path / "台账.xlsx"
    assert_round_trip(ledger, file)
    ws = openpyxl.load_workbook(file)["会议"]
    assert at(ws, "列席人").value == '["甲、乙", "丙"]'


def test_text_escapes_and_lists() -> None:
    for text in ["", "_x0041_", "_x0041_x0042_", "_x0041\x01", "\x00\ud800", "x005F_", "普通文本"]:
        assert unescape_text(escape_text(text)) == text
    assert read_list("甲、乙,丙，丁;戊；己\n庚\r\n 辛 、、") == [
        "甲",
        "乙",
        "丙",
        "丁",
        "戊",
        "己",
        "庚",
        "辛",
    ]
    assert read_list('["甲、乙", "丙"]') == ["甲、乙", "丙"]
    assert read_list("[草稿]、文件") == ["[草稿]", "文件"]
    for items in [["甲", "乙"], ["甲、乙"], ['["x"]'], ["[1, 2]"], ["a\nb"]]:
        assert read_list(write_list(items)) == items
    assert write_list(["甲", "乙"]) == "甲、乙"


# -- reading: what users type ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2020-05-01", "2020/5/1", "2020年5月1日", " 2020.05.01 ", "2020-5-1"]
)
def test_dates_typed_as_text(book: Path, text: str) -> None:
    edit(book, put("会议", "会议日期", text))
    assert load_excel(book).meetings[0].date == dt.date(2020, 5, 1)


def test_a_date_as_a_serial_number_in_a_plain_cell(book: Path) -> None:
    def change(wb: Any) -> None:
        cell = at(wb["会议"], "会议日期")
        cell.value = 43952
        cell.number_format = "General"

    edit(book, change)
    assert load_excel(book).meetings[0].date == dt.date(2020, 5, 1)


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("2020/13/01", "「2020/13/01」不是有效日期", "'2020/13/01' is not a valid date"),
        ("2020-02-30", "「2020-02-30」不是有效日期", "'2020-02-30' is not a valid date"),
        ("下周一", "「下周一」不是有效日期", "'下周一' is not a valid date"),
        (dt.datetime(2020, 5, 1, 8, 30), "「2020-05-01 08:30:00」带有时刻", "has a time of day"),
        (-3, "数字-3不是有效的 Excel 日期", "is not a valid Excel date"),
    ],
)
def test_bad_dates_are_located(book: Path, value: Any, zh: str, en: str) -> None:
    def change(wb: Any) -> None:
        cell = at(wb["会议"], "会议日期")
        cell.value = value
        if isinstance(value, int):
            cell.number_format = "General"  # a number, not a date

    edit(book, change)
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 会议日期列"
    assert problem.code == "invalid_value"
    assert problem.message.startswith(zh)
    assert en in problem.message_en


def test_times_and_months_typed_freely(book: Path) -> None:
    def change(wb: Any) -> None:
        at(wb["会议"], "开始时间").value = "9:30"
        at(wb["会议"], "结束时间").value = dt.time(11, 0)
        at(wb["党费"], "所属月份").value = dt.datetime(2020, 5, 1)  # Excel made a date of 2020-05

    edit(book, change)
    ledger = load_excel(book)
    assert (ledger.meetings[0].start, ledger.meetings[0].end) == (dt.time(9, 30), dt.time(11))
    assert str(ledger.dues_payments[0].month) == "2020-05"


def test_bad_times_months_numbers_and_booleans(book: Path) -> None:
    def change(wb: Any) -> None:
        at(wb["会议"], "开始时间").value = "25:00"
        at(wb["会议"], "应到人数").value = 2.5
        at(wb["党员"], "是否领导干部").value = "对"
        at(wb["党费"], "所属月份").value = "2020-13"

    edit(book, change)
    found = {p.path: p.message for p in problems_of(book)}
    assert found == {
        "党员 第2行 是否领导干部列": "应为「是」或「否」，实为「对」",
        "会议 第2行 开始时间列": "「25:00」不是有效时间（应写作 HH:MM，如 09:30）",
        "会议 第2行 应到人数列": "应为整数，实为数字2.5",
        "党费 第2行 所属月份列": "「2020-13」不是有效月份（应写作 2020-05 或 2020年5月）",
    }


def test_ids_typed_as_numbers(make_ledger: Callable[..., Ledger], tmp_path: Path) -> None:
    # the member m2 is "1001", typed as the number 1001 wherever it stands alone in a cell
    text = dangjian.dumps(make_ledger(), "json").replace('"m2"', '"1001"')
    ledger = dangjian.loads(text, "json")
    path = tmp_path / "台账.xlsx"
    dump_excel(ledger, path)

    def change(wb: Any) -> None:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value == "1001":
                        cell.value = 1001

    edit(path, change)
    assert load_excel(path) == ledger


def test_an_id_that_is_not_a_whole_number(book: Path) -> None:
    edit(book, put("谈心谈话", "编号", 12.5))
    [problem] = problems_of(book)
    assert problem.path == "谈心谈话 第2行 编号列"
    assert problem.message == "编号应为文本或整数，实为数字12.5"
    assert problem.message_en == "an id must be text or a whole number, found the number 12.5"


def test_members_named_instead_of_their_ids(book: Path) -> None:
    def change(wb: Any) -> None:
        at(wb["会议"], "主持人").value = "王芳"
        at(wb["会议"], "出席人").value = "王芳，李强"
        at(wb["缺席"], "缺席人").value = "赵敏"

    edit(book, change)
    meeting = load_excel(book).meetings[0]
    assert meeting.chair == "m1"
    assert meeting.attended == ("m1", "m2")
    assert meeting.absences[0].member == "m3"


def test_a_name_shared_by_two_members(book: Path) -> None:
    def change(wb: Any) -> None:
        at(wb["党员"], "姓名", row=3).value = "王芳"  # m2 is called 王芳 too
        at(wb["会议"], "主持人").value = "王芳"

    edit(book, change)
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 主持人列"
    assert problem.message == "「王芳」是多名党员的姓名（编号 m1、m2），请改填编号"


def test_a_name_that_matches_nobody(book: Path) -> None:
    edit(book, put("会议", "主持人", "张三"))
    [problem] = problems_of(book)
    assert (problem.path, problem.code) == ("会议 第2行 主持人列", "broken_reference")
    assert problem.message == "找不到编号为「张三」的党员（也不是台账中党员的姓名）"


@pytest.mark.parametrize("cell", ["m1,m2", "m1，m2", "m1;m2", "m1；m2", "m1\nm2", " m1 、 m2 "])
def test_list_separators(book: Path, cell: str) -> None:
    edit(book, put("会议", "出席人", cell))
    assert load_excel(book).meetings[0].attended == ("m1", "m2")


def test_enumerations_by_label_or_code(book: Path) -> None:
    edit(book, put("会议", "会议类型", "theme_day"))
    assert load_excel(book).meetings[0].kind is dangjian.MeetingKind.THEME_DAY
    edit(book, put("会议", "会议类型", "大会"))
    [problem] = problems_of(book)
    assert (problem.path, problem.code) == ("会议 第2行 会议类型列", "unknown_label")
    assert problem.message.startswith("「大会」不是可用的取值，可选：支部党员大会(general_meeting)")


def test_field_identifiers_as_headers(book: Path, make_ledger: Callable[..., Ledger]) -> None:
    def change(wb: Any) -> None:
        ws = wb["会议"]
        for cell, column in zip(ws[1], _sheet("meetings").written, strict=True):
            # a name column's header may name its id column by key too
            cell.value = (
                column.of.key + "（姓名）" if isinstance(column, NameColumn) else column.key
            )
        wb["缺席"].title = "meetings.absences"

    edit(book, change)
    assert load_excel(book) == make_ledger()


def _sheet(ident: str) -> Any:
    return next(s for s in SHEETS if s.ident == ident)


def test_blank_rows_in_the_middle_are_skipped(
    book: Path, make_ledger: Callable[..., Ledger]
) -> None:
    def change(wb: Any) -> None:
        ws = wb["会议"]
        ws.move_range("A2:BZ2", rows=3)  # rows 2 to 4 blank
        ws.cell(3, 2).value = "   "
        ws.cell(9, 3).value = " "  # trailing blanks
        wb["党员"].insert_rows(3, amount=2)

    edit(book, change)
    assert load_excel(book) == make_ledger()


def test_a_row_after_blank_rows_is_read(book: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["会议"]
        copy_row(ws, 2, 6)
        at(ws, "编号", 6).value = "mt2"
        at(ws, "会议日期", 6).value = "2020年6月1日"

    edit(book, change)
    meetings = load_excel(book).meetings
    assert [m.id for m in meetings] == ["mt1", "mt2"]
    assert meetings[1].date == dt.date(2020, 6, 1)


# -- reading: what is reported ---------------------------------------------------------------


def test_unknown_sheets_and_columns(book: Path) -> None:
    def change(wb: Any) -> None:
        wb.create_sheet("杂项").cell(1, 1, "随便写写")
        wb.create_sheet("会义")
        ws = wb["会议"]
        ws.cell(1, ws.max_column + 1, "开会人")
        ws.cell(2, ws.max_column, "王芳")

    edit(book, change)
    problems = problems_of(book)
    ws = openpyxl.load_workbook(book)["会议"]
    assert [(p.path, p.code, p.message) for p in problems] == [
        (
            f"会议 第1行 {get_column_letter(ws.max_column)}列",
            "unknown_key",
            "未知列「开会人」。可用的列："
            + "、".join(c.header for c in _sheet("meetings").columns),
        ),
        ("杂项", "unknown_key", problems[1].message),
        ("会义", "unknown_key", "未知工作表「会义」，是否应为「会议」？"),
    ]
    assert problems[1].message.startswith(
        "未知工作表「杂项」。可用的工作表：填写说明、台账、党组织"
    )
    assert problems[2].message_en == "unknown sheet '会义'; did you mean '会议'?"


def test_a_misspelt_header_and_a_missing_column(book: Path) -> None:
    date = letter(openpyxl.load_workbook(book)["会议"], "会议日期")
    edit(book, lambda wb: setattr(at(wb["会议"], "会议日期", row=1), "value", "会议日其"))
    problems = problems_of(book)
    assert [(p.path, p.code, p.message) for p in problems] == [
        ("会议 第1行", "missing_field", "缺少必填列「会议日期」"),
        (f"会议 第1行 {date}列", "unknown_key", "未知列「会议日其」，是否应为「会议日期」？"),
    ]


def test_a_column_twice(book: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["会议"]
        ws.cell(1, ws.max_column + 1, "date")

    edit(book, change)
    [problem] = problems_of(book)
    assert problem.code == "duplicate_key"
    date = letter(openpyxl.load_workbook(book)["会议"], "会议日期")
    assert problem.message == f"列「date」与 {date} 列重复（都是「会议日期」）"


def test_data_without_a_header(book: Path) -> None:
    edit(book, lambda wb: wb["会议"].cell(2, 40, "无表头的数据"))
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 AN列"
    assert problem.message == "AN 列没有表头，其中的数据无法读取"


def test_merged_cells_are_reported(book: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["会议"]
        copy_row(ws, 2, 3)
        at(ws, "编号", 3).value = "mt2"
        at(ws, "地点").value = "党员活动室"
        place = letter(ws, "地点")
        ws.merge_cells(f"{place}2:{place}3")

    edit(book, change)
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 地点列"
    assert problem.code == "invalid_value"
    place = letter(openpyxl.load_workbook(book)["会议"], "地点")
    assert problem.message == f"合并单元格 {place}2:{place}3：请取消合并，在每一行分别填写"


def test_a_formula_without_a_saved_result(book: Path) -> None:
    edit(book, put("会议", "应到人数", "=1+2"))
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 应到人数列"
    assert problem.message.startswith("公式「=1+2」没有保存的计算结果")


def test_a_formula_with_a_saved_result(book: Path, make_ledger: Callable[..., Ledger]) -> None:
    edit(book, put("党组织", "任期（年）", "=1+2", row=3))
    # as Excel saves it: the formula with the result it computed
    parts = {}
    with zipfile.ZipFile(book) as zin:
        for item in zin.infolist():
            parts[item.filename] = zin.read(item.filename)
    patched = 0
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and b"<f>1+2</f>" in data:
            parts[name] = re.sub(rb"<f>1\+2</f>(<v></v>|<v\s*/>)?", b"<f>1+2</f><v>3</v>", data)
            patched += 1
    assert patched == 1
    with zipfile.ZipFile(book, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    assert load_excel(book) == make_ledger()  # b1's term is 3 years


def test_an_error_value(book: Path) -> None:
    edit(book, put("会议", "应到人数", "#DIV/0!"))
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 应到人数列"
    assert problem.message == "单元格是错误值「#DIV/0!」"


def test_structure_problems_are_put_in_their_cells(book: Path) -> None:
    def change(wb: Any) -> None:
        at(wb["会议"], "会议日期").value = None  # required
        copy_row(wb["谈心谈话"], 2, 3)  # the same id twice
        at(wb["党组织"], "组织层级").value = "支部"
        at(wb["捐赠"], "数量").value = "50袋"
        at(wb["党员"], "入党介绍人", row=4).value = "m1、m9"

    edit(book, change)
    problems = problems_of(book)
    assert [(p.path, p.code) for p in problems] == [
        ("党组织 第2行 组织层级列", "unknown_label"),
        ("党员 第4行 入党介绍人列", "broken_reference"),
        ("会议 第2行 会议日期列", "missing_field"),
        ("谈心谈话 第3行 编号列", "duplicate_id"),
        ("捐赠 第2行 数量列", "invalid_value"),
    ]
    by_path = {p.path: p for p in problems}
    duplicate = by_path["谈心谈话 第3行 编号列"]
    assert duplicate.message == "谈心谈话编号「t1」重复，与 谈心谈话 第2行 相同"
    assert duplicate.message_en == "talk id 't1' repeats 谈心谈话 第2行"
    assert by_path["捐赠 第2行 数量列"].message == "应为数字，实为「50袋」"


def test_nested_records_that_belong_to_nothing(book: Path) -> None:
    def change(wb: Any) -> None:
        at(wb["缺席"], "会议编号").value = "mt9"
        at(wb["捐赠"], "走访序号").value = 2
        at(wb["回头看"], "整改事项编号").value = None

    edit(book, change)
    assert [(p.path, p.code, p.message) for p in problems_of(book)] == [
        ("缺席 第2行 会议编号列", "broken_reference", "找不到编号为「mt9」的会议"),
        (
            "捐赠 第2行 走访序号列",
            "broken_reference",
            "结对帮扶村「p1」没有走访序号为 2 的走访记录（见「走访慰问」表）",
        ),
        ("回头看 第2行 整改事项编号列", "missing_field", "缺少必填字段"),
    ]


def test_visits_numbered_explicitly(book: Path, make_ledger: Callable[..., Ledger]) -> None:
    def change(wb: Any) -> None:
        visits = wb["走访慰问"]
        copy_row(visits, 2, 3)
        at(visits, "走访序号", 3).value = 5
        at(visits, "走访事由", 3).value = "回访"
        at(wb["捐赠"], "走访序号").value = 5

    edit(book, change)
    pairing = load_excel(book).pairings[0]
    assert [v.title for v in pairing.visits] == ["春节慰问", "回访"]
    assert [len(v.donations) for v in pairing.visits] == [0, 1]
    edit(book, put("走访慰问", "走访序号", 1, row=3))
    edit(book, put("捐赠", "走访序号", 1))
    [problem] = problems_of(book)
    assert (problem.path, problem.code) == ("走访慰问 第3行 走访序号列", "duplicate_id")


def test_a_resident_id_typed_as_a_number_is_not_repeated(book: Path) -> None:
    edit(book, put("党员", "身份证号", 11010519491231002))
    [problem] = problems_of(book)
    assert problem.path == "党员 第2行 身份证号列"
    assert not re.search(r"\d{6}", problem.message + problem.message_en)


def test_the_ledger_sheet(book: Path) -> None:
    edit(book, lambda wb: wb["台账"].cell(3, 1, "另一个名称"))
    [problem] = problems_of(book)
    assert problem.path == "台账 第3行"
    edit(book, lambda wb: wb.remove(wb["台账"]))
    [problem] = problems_of(book)
    assert (problem.path, problem.code) == ("台账 第2行 台账名称列", "missing_field")
    assert problem.message == "缺少台账名称：请在工作表「台账」第2行填写"


def test_every_problem_at_once_in_sheet_order(book: Path) -> None:
    def change(wb: Any) -> None:
        at(wb["会议"], "会议日期").value = "2020/13/01"
        at(wb["党员"], "性别", row=3).value = "M"
        at(wb["党组织"], "单位类别").value = "机构"
        wb.create_sheet("Sheet1")

    edit(book, change)
    assert [p.path for p in problems_of(book)] == [
        "党组织 第2行 单位类别列",
        "党员 第3行 性别列",
        "会议 第2行 会议日期列",
        "Sheet1",
    ]
    with pytest.raises(LedgerError) as caught:
        load(book)
    assert caught.value.source == str(book)
    assert "会议 第2行 会议日期列: 「2020/13/01」不是有效日期" in caught.value.render()
    assert "'2020/13/01' is not a valid date" in caught.value.render("en")


# -- files that are not workbooks ------------------------------------------------------------


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_text("name: 不是工作簿", encoding="utf-8")
    [problem] = problems_of(path)
    assert (problem.path, problem.code) == ("", "syntax")
    assert "不是有效的 Excel 工作簿" in problem.message


_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def test_a_billion_laughs_is_refused_quickly(book: Path) -> None:
    assert openpyxl.xml.DEFUSEDXML  # openpyxl parses with defusedxml
    strings = (
        '<?xml version="1.0"?>' + _LAUGHS + '<sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    with zipfile.ZipFile(book) as zin:
        parts = {item.filename: zin.read(item.filename) for item in zin.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override)
    parts["xl/sharedStrings.xml"] = strings.encode()
    with zipfile.ZipFile(book, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    start = time.monotonic()
    [problem] = problems_of(book)
    assert time.monotonic() - start < 5
    assert problem.code == "syntax"
    assert "实体声明" in problem.message and "entities" in problem.message_en


# -- without openpyxl ------------------------------------------------------------------------


def test_without_openpyxl(
    monkeypatch: pytest.MonkeyPatch, make_ledger: Callable[..., Ledger], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    path = tmp_path / "台账.xlsx"
    calls: list[Callable[[], object]] = [
        lambda: write_template(path),
        lambda: dump_excel(make_ledger(), path),
        lambda: load_excel(path),
        lambda: dump(make_ledger(), path),
        lambda: load(path),
    ]
    for call in calls:
        with pytest.raises(DangjianError) as caught:
            call()
        assert not isinstance(caught.value, LedgerError)
        assert 'pip install "dangjian[excel]"' in str(caught.value)
        assert "需要 openpyxl" in str(caught.value)
    assert not path.exists()


def test_without_defusedxml(monkeypatch: pytest.MonkeyPatch, book: Path, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "defusedxml", None)
    with pytest.raises(DangjianError, match=r'pip install "dangjian\[excel\]"'):
        load_excel(book)
    write_template(tmp_path / "模板.xlsx")  # writing needs no defusedxml
    monkeypatch.delitem(sys.modules, "defusedxml")
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(DangjianError, match="defusedxml"):
        load_excel(book)


# -- the formats and the command line --------------------------------------------------------


def test_the_suffix_and_the_text_functions(make_ledger: Callable[..., Ledger]) -> None:
    assert format_of("台账.xlsx") == format_of("台账.XLSX") == "xlsx"
    with pytest.raises(DangjianError, match="load/dump"):
        dangjian.dumps(make_ledger(), "xlsx")  # type: ignore[arg-type]
    with pytest.raises(DangjianError, match="load/dump"):
        dangjian.loads("", "xlsx")  # type: ignore[arg-type]


def test_cli_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "模板.xlsx"
    assert main(["template", str(path)]) == 0
    assert "已生成台账模板" in capsys.readouterr().out
    assert openpyxl.load_workbook(path).sheetnames[0] == "填写说明"
    assert main(["template", str(path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["template", "--force", str(path)]) == 0
    assert main(["template", str(tmp_path / "模板.xls")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_cli_convert_to_excel_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, back = tmp_path / "台账.xlsx", tmp_path / "back.yaml"
    assert main(["convert", str(EXAMPLE), str(xlsx)]) == 0
    assert main(["convert", str(xlsx), str(back)]) == 0
    assert load(back) == load(EXAMPLE)
    assert back.read_text(encoding="utf-8") == dangjian.dumps(load(EXAMPLE), "yaml")
    assert main(["validate", str(xlsx)]) == 0
    capsys.readouterr()
    edit(xlsx, put("会议", "会议日期", "2020/13/01"))
    assert main(["validate", str(xlsx)]) == 2
    assert "会议 第2行 会议日期列: 「2020/13/01」不是有效日期" in capsys.readouterr().err


def test_transfers_and_reviews_have_sheets_of_their_own(
    make_ledger: Callable[..., Ledger], tmp_path: Path
) -> None:
    from dangjian import ActivistReview, Transfer, TransferDirection

    ledger = make_ledger()
    first = ledger.members[0]
    first = attrs.evolve(
        first,
        away_since=dt.date(2020, 1, 10),
        away_until=dt.date(2020, 2, 10),
        transfers=(
            Transfer(
                direction=TransferDirection.OUT,
                requested=dt.date(2020, 3, 1),
                refused=True,
                reason="材料不全",
            ),
            Transfer(
                direction=TransferDirection.OUT,
                requested=dt.date(2020, 4, 1),
                completed=dt.date(2020, 4, 8),
                to_org="市X委机关党支部",
            ),
        ),
        reviews=(ActivistReview(date=dt.date(2020, 6, 1), branch=first.branch, note="合格"),),
        lost_contact=dt.date(2019, 1, 1),
        suspended=dt.date(2019, 7, 1),
    )
    ledger = attrs.evolve(ledger, members=(first, *ledger.members[1:]))
    path = tmp_path / "台账.xlsx"
    dump_excel(ledger, path)
    assert load_excel(path) == ledger
    wb = openpyxl.load_workbook(path)
    assert headers(wb["组织关系转接"])[:3] == ["党员编号", "党员编号（姓名）", "转接方向"]
    assert at(wb["组织关系转接"], "党员编号（姓名）").value == first.name
    assert at(wb["组织关系转接"], "拒绝理由").value == "材料不全"
    assert at(wb["积极分子考察"], "党员编号").value == first.id

    good = path.read_bytes()
    edit(path, put("积极分子考察", "考察党组织", "b9"))
    assert [(p.path, p.code) for p in problems_of(path)] == [
        ("积极分子考察 第2行 考察党组织列", "broken_reference")
    ]
    path.write_bytes(good)
    edit(path, put("组织关系转接", "转接方向", "调出"))
    assert [(p.path, p.code) for p in problems_of(path)] == [
        ("组织关系转接 第2行 转接方向列", "unknown_label")
    ]
    # a return without going away, a reason without a refusal: located, not ignored
    path.write_bytes(good)
    edit(path, put("党员", "外出日期", None))
    edit(path, put("组织关系转接", "是否拒转拒接", False))
    found = {p.path: p for p in problems_of(path)}
    assert sorted(found) == ["党员 第2行 外出返回日期列", "组织关系转接 第2行 拒绝理由列"]
    assert "外出日期" in found["党员 第2行 外出返回日期列"].message


# -- the base of dues from gross pay -----------------------------------------------------------


def test_gross_pay_and_deductions_in_the_dues_sheet(book: Path, tmp_path: Path) -> None:
    """An office types the gross pay and deductions and leaves the base empty: the rules take
    the computed base, and the workbook written back keeps the base empty."""

    def change(wb: Any) -> None:
        ws = wb["党费"]
        at(ws, "计算基数（元）").value = None
        for header, value in (
            ("工资总额（元）", "5000.00"),
            ("个人所得税（元）", "45"),
            ("个人养老保险（元）", "400"),
            ("个人医疗保险（元）", "100"),
            ("个人失业保险（元）", "25"),
            ("个人住房公积金（元）", "600"),
        ):
            at(ws, header).value = value

    edit(book, change)
    ledger = load_excel(book)
    x = ledger.dues_payments[0]
    assert (x.base, x.gross_pay, x.housing_fund) == (None, Decimal("5000.00"), Decimal("600"))
    assert payment_base(x) == Decimal("3830.00")
    again = tmp_path / "again.xlsx"
    dump_excel(ledger, again)
    assert load_excel(again) == ledger
    assert at(openpyxl.load_workbook(again)["党费"], "计算基数（元）").value is None


def test_a_base_that_disagrees_with_the_pay_is_located(book: Path) -> None:
    def change(wb: Any) -> None:
        ws = wb["党费"]
        at(ws, "计算基数（元）").value = "4000"
        at(ws, "工资总额（元）").value = "5000"
        at(ws, "个人所得税（元）").value = "45"
        at(ws, "个人养老保险（元）", 3).value = "10"  # a deduction without the gross pay

    def add_row(wb: Any) -> None:
        ws = wb["党费"]
        copy_row(ws, 2, 3)
        at(ws, "编号", 3).value = "dues-copy"
        at(ws, "所属月份", 3).value = "2020-06"

    edit(book, add_row)
    edit(book, change)
    found = {p.path: p.message for p in problems_of(book)}
    assert found == {
        "党费 第2行 计算基数（元）列": "计算基数4000元与工资总额减各项扣除所得的4955元不符",
        "党费 第3行 个人养老保险（元）列": "填写了扣除项，应同时填写工资总额",
    }
