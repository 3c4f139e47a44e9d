"""Names beside ids in a ledger's workbook: read-only columns the writer fills in, that reading
checks against the ids (a notice where they disagree, never an error) and never takes a value
from, so that the ledger round-trips unchanged."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from dangjian import Ledger
from dangjian.cli import main
from dangjian.errors import LedgerError, LedgerNotice
from dangjian.io._excel_layout import NAMED, SHEETS, NameColumn, name_column
from dangjian.io._excel_values import read_list
from dangjian.io.excel import dump_excel, load_excel
from tests.builders.example import Example

openpyxl = pytest.importorskip("openpyxl")


def _headers(ws: Any) -> list[Any]:
    return [c.value for c in ws[1]]


def _cell(ws: Any, header: str, row: int) -> Any:
    return ws.cell(row, _headers(ws).index(header) + 1)


def _sheet(ident: str) -> Any:
    return next(s for s in SHEETS if s.ident == ident)


def _load(path: Path) -> tuple[Ledger, list[LedgerNotice]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ledger = load_excel(path)
    return ledger, [w.message for w in caught if isinstance(w.message, LedgerNotice)]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example as ``dangjian example DIR`` writes it."""
    directory = tmp_path_factory.mktemp("example")
    assert main(["example", str(directory)]) == 0
    return next(directory.glob("*.xlsx"))


def test_the_example_has_the_names_of_every_id_beside_it(written: Path, example: Example) -> None:
    wb = openpyxl.load_workbook(written)
    ledger = example.ledger
    names = {
        collection: {r.id: getattr(r, field) for r in getattr(ledger, collection)}
        for collection, (field, _) in NAMED.items()
    }
    checked = 0
    for sheet in SHEETS:
        ws = wb[sheet.name]
        headers = _headers(ws)
        assert headers == [c.header for c in sheet.written]
        for named in (c for c in sheet.written if isinstance(c, NameColumn)):
            col = headers.index(named.header) + 1
            assert headers[col - 2] == named.of.header  # right after its ids
            head = ws.cell(1, col)
            assert head.comment is not None and "只供阅读" in head.comment.text
            assert head.fill.fgColor.rgb.endswith("EDEDED")
            for row in range(2, ws.max_row + 1):
                ids = ws.cell(row, col - 1).value
                shown = ws.cell(row, col).value
                if ids is None:
                    assert shown is None
                    continue
                listed = read_list(ids) if named.of.kind == "ids" else [ids]
                expected = [names[named.collection][i] for i in listed]
                assert (read_list(shown) if named.of.kind == "ids" else [shown]) == expected
                assert ws.cell(row, col).fill.fgColor.rgb.endswith("EDEDED")
                checked += 1
    assert checked > 200  # every sheet of people and organisations, not one by chance
    meetings = wb["会议"]
    first = meetings.cell(2, 1).value
    meeting = next(m for m in ledger.meetings if m.id == first)
    assert _cell(meetings, "出席人（姓名）", 2).value == "、".join(
        names["members"][i] for i in meeting.attended
    )


def test_the_example_round_trips_with_its_names_unread(written: Path, example: Example) -> None:
    ledger, notices = _load(written)
    assert ledger == example.ledger
    assert notices == []
    again = written.with_name("again.xlsx")
    dump_excel(ledger, again)
    assert _load(again) == (example.ledger, [])


def test_a_name_that_disagrees_with_its_id_is_a_notice_saying_where(
    written: Path, example: Example, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(written)
    meetings = wb["会议"]
    attended = _cell(meetings, "出席人（姓名）", 3)
    names = attended.value.split("、")
    attended.value = "、".join(["王五", *names[1:]])  # the first one changed
    chair = _cell(meetings, "主持人（姓名）", 2)
    chair.value = "某某"
    path = tmp_path / "changed.xlsx"
    wb.save(path)
    ledger, notices = _load(path)
    assert ledger == example.ledger  # the ids are what is read
    assert [n.problem.path for n in notices] == [
        "会议 第2行 主持人（姓名）列",
        "会议 第3行 出席人（姓名）列",
    ]
    assert all(n.problem.code == "name_mismatch" for n in notices)
    chair_id = _cell(meetings, "主持人", 2).value
    chair_name = _cell(openpyxl.load_workbook(written)["会议"], "主持人（姓名）", 2).value
    assert notices[0].problem.message == (
        f"只供阅读的姓名与编号不符：{chair_id} 是「{chair_name}」而不是「某某」；"
        "按编号读取，此列不读取"
    )
    first = _cell(meetings, "出席人", 3).value.split("、")[0]
    assert f"{first} 是「{names[0]}」而不是「王五」；" in notices[1].render()
    assert "王丽娟" not in notices[1].render()  # only the names that differ
    assert f"{first} is '{names[0]}', not '王五'" in notices[1].render("en")
    # a list of another length: the whole of both
    attended.value = "、".join(names[1:])
    wb.save(path)
    [notice] = [n for n in _load(path)[1] if "第3行" in n.problem.path]
    shown = "、".join(x.strip() for x in names[1:])  # as one list, whatever its lines
    assert notice.problem.message.startswith(f"只供阅读的姓名「{shown}」与编号 m101、")


def test_the_same_names_written_otherwise_and_blank_names_are_no_notice(
    written: Path, example: Example, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(written)
    meetings = wb["会议"]
    attended = _cell(meetings, "出席人（姓名）", 3)
    attended.value = attended.value.replace("、", "，")  # another separator: the same names
    _cell(meetings, "主持人（姓名）", 2).value = None  # emptied: nothing to check
    wb["党员"].delete_cols(_headers(wb["党员"]).index("所在党组织（名称）") + 1)  # removed
    path = tmp_path / "changed.xlsx"
    wb.save(path)
    assert _load(path) == (example.ledger, [])


def test_a_name_column_of_an_organisation_and_of_a_parent_id(written: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(written)
    _cell(wb["党员"], "所在党组织（名称）", 2).value = "别的支部"
    committee = wb["委员会任职"]
    assert committee.max_row >= 2
    _cell(committee, "党组织编号（名称）", 2).value = "别的组织"
    path = tmp_path / "changed.xlsx"
    wb.save(path)
    _, notices = _load(path)
    assert sorted(n.problem.path for n in notices) == [
        "党员 第2行 所在党组织（名称）列",
        "委员会任职 第2行 党组织编号（名称）列",
    ]


def test_a_name_column_is_known_by_its_ids_header_or_key_and_either_suffix() -> None:
    meetings = _sheet("meetings")
    for header in ("出席人（姓名）", "attended（姓名）", "出席人 (姓名)", "出席人（名称）"):
        found = name_column(meetings, header)
        assert found is not None and found.of.key == "attended", header
    for header in ("出席人", "出席人姓名", "会议日期（姓名）", "编号（姓名）", "手机号（姓名）"):
        assert name_column(meetings, header) is None, header
    absences = _sheet("meetings.absences")  # a meeting's id names no one
    assert name_column(absences, "会议编号（名称）") is None


def test_a_name_column_twice_is_an_error(written: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(written)
    ws = wb["会议"]
    ws.cell(1, ws.max_column + 1, "attended（姓名）")
    path = tmp_path / "changed.xlsx"
    wb.save(path)
    with pytest.raises(LedgerError) as caught:
        load_excel(path)
    [problem] = caught.value.problems
    assert problem.code == "duplicate_key"
    assert "出席人（姓名）" in problem.message


def test_the_template_has_no_name_columns(tmp_path: Path) -> None:
    from dangjian.io.excel import write_template

    path = tmp_path / "模板.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert not any(
        str(c.value).endswith(("（姓名）", "（名称）")) and c.value != "领学人（主讲人）"
        for ws in wb.worksheets[1:]
        for c in ws[1]
    )


def test_the_command_line_says_the_notice_and_goes_on(
    written: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = openpyxl.load_workbook(written)
    _cell(wb["党费"], "缴纳人（姓名）", 2).value = "某某"
    path = tmp_path / "changed.xlsx"
    wb.save(path)
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert "dangjian: 提示: " in err and "党费 第2行 缴纳人（姓名）列" in err
    assert "LedgerNotice" not in err and "warnings.warn" not in err  # said, not a traceback
    assert main(["validate", str(path), "--lang", "en"]) == 0
    assert "not '某某'" in capsys.readouterr().err


def test_long_lists_of_ids_and_names_break_between_items_only(written: Path) -> None:
    from dangjian.io._sheet_print import text_width

    wb = openpyxl.load_workbook(written)
    ws = wb["会议"]
    broken = 0
    for header in ("出席人", "出席人（姓名）", "应到人员", "应到人员（姓名）"):
        letter = ws.cell(1, _headers(ws).index(header) + 1).column_letter
        width = ws.column_dimensions[letter].width
        for cell in ws[letter][1:]:
            if not cell.value:
                continue
            lines = str(cell.value).split("\n")
            broken += len(lines) > 1
            for line in lines:
                assert line == line.strip() and line.rstrip("、")  # items whole on each line
                assert text_width(line) <= width - 2  # fits: the office suite wraps nothing
    assert broken > 5  # the example's long lists were broken into lines
