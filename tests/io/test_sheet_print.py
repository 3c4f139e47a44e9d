"""Every workbook dangjian writes reads on screen and prints on paper (dangjian.io._sheet_print).

Read back with openpyxl: A4, portrait or landscape by the width of the columns, fitted to the
page's width (or to as few pages across as keep the text legible), the header row on every
page; columns as wide as their content within the caps; text wider than its column wrapped, in
a row tall enough for its lines. The writers: the ledger's workbook and its template, the
check's workbook, the plan's and the scorecard's.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dangjian
from dangjian.io import _sheet_print as sp
from dangjian.io._excel_layout import SHEETS
from dangjian.io.excel import dump_excel, write_template
from tests.builders.example import Example

openpyxl = pytest.importorskip("openpyxl")


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # a date read back as a datetime
        return str(value.date().isoformat())
    return str(value)


def assert_printable(
    ws: Any,
    *,
    header_rows: int = 1,
    max_width: float = sp.MAX_WIDTH,
    unmeasured: frozenset[int] = frozenset(),
    given_widths: frozenset[str] = frozenset(),
) -> None:
    """The sheet's page setup, widths, wrapping and heights, as the module promises them."""
    setup = ws.page_setup
    widths = {letter: d.width for letter, d in ws.column_dimensions.items() if d.width is not None}
    total = sum(widths.values())
    assert int(setup.paperSize) == 9, ws.title  # A4
    assert setup.orientation == ("portrait" if total <= sp.PORTRAIT_WIDTH else "landscape")
    assert int(setup.fitToHeight) == 0
    assert int(setup.fitToWidth) == max(1, math.ceil(total * sp.MIN_SCALE / sp.LANDSCAPE_WIDTH))
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    if header_rows:
        assert ws.print_title_rows == f"$1:${header_rows}", ws.title
    widest: dict[str, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            text = _shown(cell.value)
            if text and cell.row not in unmeasured and cell.data_type != "f":
                wide = max(sp.text_width(line) for line in text.split("\n"))
                widest[cell.column_letter] = max(widest.get(cell.column_letter, 0), wide)
    for letter, wide in widest.items():
        if letter in given_widths:
            continue
        # as wide as the content and its margins (2), within the bounds
        assert widths[letter] == min(max(wide + 2, sp.MIN_WIDTH), max_width), (ws.title, letter)
    for row in ws.iter_rows():
        needed = 1
        for cell in row:
            text = _shown(cell.value)
            if not text or cell.row in unmeasured or cell.data_type == "f":
                continue
            room = widths.get(cell.column_letter, sp.MIN_WIDTH) - 2
            lines = sum(max(1, math.ceil(sp.text_width(x) / room)) for x in text.split("\n"))
            if lines > 1:
                assert cell.alignment.wrap_text, (ws.title, cell.coordinate)
            needed = max(needed, lines)
        if needed > 1:
            height = ws.row_dimensions[row[0].row].height
            assert height is not None and height >= needed * sp.LINE_HEIGHT, (ws.title, row[0].row)


@pytest.fixture(scope="module")
def ledger_book(example: Example, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("book") / "台账.xlsx"
    dump_excel(example.ledger, path)
    return openpyxl.load_workbook(path)


def test_the_ledger_workbook_prints(ledger_book: Any) -> None:
    for sheet in SHEETS:
        assert_printable(ledger_book[sheet.name])
    assert_printable(ledger_book["台账"])


def test_the_ledger_workbook_sizes_names_and_ids_by_their_content(ledger_book: Any) -> None:
    ws = ledger_book["党组织"]
    name = next(c for c in ws[1] if c.value == "组织名称").column_letter
    longest = max(sp.text_width(str(c.value)) for c in ws[name][1:] if c.value)
    assert longest > sp.text_width("组织名称") + 4  # the names, not the header, set the width
    assert ws.column_dimensions[name].width == min(longest + 2, sp.MAX_WIDTH)


def test_a_sheet_too_wide_for_one_page_prints_on_a_few_pages_across(ledger_book: Any) -> None:
    ws = ledger_book["会议"]
    total = sum(d.width for d in ws.column_dimensions.values() if d.width)
    assert total > sp.LANDSCAPE_WIDTH / sp.MIN_SCALE  # the example's meetings: over 30 columns
    assert ws.page_setup.orientation == "landscape"
    assert 1 < int(ws.page_setup.fitToWidth) <= 4
    assert ws.print_title_cols == "$A:$A"  # the meeting's id on every page across
    narrow = ledger_book["缺席"]
    assert narrow.page_setup.orientation == "portrait"
    assert int(narrow.page_setup.fitToWidth) == 1


def test_the_template_prints_and_its_instructions_fit_a_portrait_page(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    for sheet in SHEETS:
        assert_printable(wb[sheet.name])
    guide = wb["填写说明"]
    widths = {k: d.width for k, d in guide.column_dimensions.items() if d.width}
    assert sum(widths.values()) <= sp.PORTRAIT_WIDTH  # no column wider than the page
    assert guide.page_setup.orientation == "portrait"
    assert int(guide.page_setup.fitToWidth) == 1
    assert_printable(guide, header_rows=0, unmeasured=frozenset({1}), given_widths=frozenset("AB"))
    title = str(guide["A1"].value)
    assert title == "党建台账 填写说明"  # no English subtitle in the Chinese title
    # every instruction wraps in a row tall enough for it
    texts = [c for c in guide["B"] if c.value and sp.text_width(str(c.value)) > widths["B"]]
    assert len(texts) >= 10
    for cell in texts:
        assert cell.alignment.wrap_text
        lines = math.ceil(sp.text_width(str(cell.value)) / (widths["B"] - 2))
        assert guide.row_dimensions[cell.row].height >= lines * sp.LINE_HEIGHT
    # one or two printed pages: the rows' heights add up to two A4 pages at most (portrait,
    # 29.7 cm less margins of 1.9 cm each: about 730 points a page)
    heights = sum(guide.row_dimensions[r].height or 15 for r in range(1, guide.max_row + 1))
    assert heights <= 2 * 730


def test_the_checks_workbook_prints(example: Example) -> None:
    from dangjian.outputs import xlsx

    wb = openpyxl.load_workbook(io.BytesIO(xlsx.write(example.report, "zh")))
    summary, to_do, every = wb.worksheets
    assert_printable(summary, header_rows=0, max_width=xlsx.MAX_WIDTH, unmeasured=frozenset({1}))
    assert_printable(to_do, max_width=xlsx.MAX_WIDTH)
    assert_printable(every, max_width=xlsx.MAX_WIDTH)


def test_the_plans_workbook_prints(example: Example) -> None:
    p = dangjian.plan(example.ledger, 2020)
    wb = openpyxl.load_workbook(io.BytesIO(p.to_bytes("xlsx")))
    assert_printable(wb.active)


def test_the_scorecards_workbook_prints(example: Example, tmp_path: Path) -> None:
    card = dangjian.scorecard(example.report)
    path = tmp_path / "card.xlsx"
    card.write(path, "xlsx")
    for ws in openpyxl.load_workbook(path).worksheets:
        assert_printable(ws, max_width=60)


# -- the measures, at their edges -----------------------------------------------------------


def test_portrait_up_to_the_width_of_a_portrait_page_landscape_past_it() -> None:
    for total, orientation in (
        (sp.PORTRAIT_WIDTH, "portrait"),
        (sp.PORTRAIT_WIDTH + 1, "landscape"),
    ):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.cell(1, 1, "x" * int(total - 2))
        sp.lay_out(ws, max_width=500)
        assert ws.column_dimensions["A"].width == total
        assert ws.page_setup.orientation == orientation


def test_one_page_across_down_to_the_smallest_scale_then_two() -> None:
    edge = sp.LANDSCAPE_WIDTH / sp.MIN_SCALE
    assert sp.pages_across(edge) == 1
    assert sp.pages_across(edge + 1) == 2
    assert sp.pages_across(2 * edge) == 2
    assert sp.pages_across(2 * edge + 1) == 3


def test_a_cell_that_just_fits_does_not_wrap_one_wider_does() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.cell(1, 1, "张" * 19)  # 38 wide: within the cap of 40 with its margins
    ws.cell(2, 2, "张" * 20)  # 40 wide: the column is capped at 40, room for 38
    sp.lay_out(ws)
    assert ws.column_dimensions["A"].width == 40
    assert not ws["A1"].alignment.wrap_text and ws.row_dimensions[1].height is None
    assert ws.column_dimensions["B"].width == 40
    assert ws["B2"].alignment.wrap_text and ws.row_dimensions[2].height == 2 * sp.LINE_HEIGHT


@given(
    st.text(alphabet="ab张李、\n", max_size=60),
    st.integers(min_value=sp.MIN_WIDTH, max_value=80),
)
def test_lines_are_enough_for_the_text_and_fewer_in_a_wider_cell(text: str, width: int) -> None:
    lines = sp.lines_in(text, width)
    assert lines >= text.count("\n") + 1
    assert lines * (width - 2) >= sp.text_width(text.replace("\n", ""))
    assert sp.lines_in(text, width + 10) <= lines
