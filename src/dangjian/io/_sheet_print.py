"""Sheets that read on screen and print on paper: one layout for every workbook dangjian writes.

The ledger's workbook and its template (:mod:`dangjian.io.excel`), the check's workbook
(:mod:`dangjian.outputs.xlsx`), the annual plan's and the scorecard's sheets all call
:func:`lay_out` once a sheet is filled in. It

- makes each column as wide as its widest line of text (:func:`text_width`: a CJK character
  counts two), within :data:`MIN_WIDTH` and a cap (:data:`MAX_WIDTH` by default);
- wraps the text of a cell wider than its column, and makes the row tall enough to show every
  line (:func:`lines_in`, :data:`LINE_HEIGHT` a line), so that nothing is cut off on screen or
  on paper;
- prints on A4 (``paperSize`` 9), repeats the header rows on every page, and fits the sheet to
  the width of one page (``fitToWidth`` 1, ``fitToHeight`` 0: as many pages down as it takes):
  portrait when the columns fit a portrait page (:data:`PORTRAIT_WIDTH`), landscape when wider.
  A sheet so wide that one page would shrink its text below :data:`MIN_SCALE` (the ledger's
  党员 and 会议 sheets, thirty columns and more) is fitted to as few pages across as keep it
  legible instead, its first column (the record's id) printed on each.

The widths are Excel's: a column of width 10 holds ten digits of the default font. Nothing here
imports openpyxl: the sheet is one of its worksheets, passed in.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Mapping
from typing import Any

from wcwidth import wcwidth

__all__ = [
    "LANDSCAPE_WIDTH",
    "LINE_HEIGHT",
    "MAX_WIDTH",
    "MIN_SCALE",
    "MIN_WIDTH",
    "PORTRAIT_WIDTH",
    "column_widths",
    "lay_out",
    "lines_in",
    "packed",
    "pages_across",
    "text_width",
]

MIN_WIDTH = 6
"""The narrowest column, in characters of Excel's width."""
MAX_WIDTH = 40
"""The widest column by default; longer text wraps within it."""
PORTRAIT_WIDTH = 95
"""The width of the columns that fit across a portrait A4 page at full size (17.4 cm between
the default margins of 1.8 cm); a sheet wider than this prints in landscape."""
LINE_HEIGHT = 16.0
"""The height of one line of wrapped text, in points: 11-point text (Latin or CJK) with its
leading, rounded up so that the last line is never cut off."""
LANDSCAPE_WIDTH = 140
"""The width of the columns that fit across a landscape A4 page at full size (26.1 cm)."""
MIN_SCALE = 0.55
"""The smallest a sheet is shrunk to fit the page's width: 11-point text printed at 6 points.
A sheet that would need less prints on several pages across instead, its first columns (the
record's id) repeated on each."""
_PADDING = 2
"""What a column has beyond its widest text: the cell's margins."""


def text_width(text: str) -> int:
    """The width of ``text`` in a cell, in Excel's units: a wide (CJK) character counts two, a
    control character nothing.

    >>> text_width("m101"), text_width("张三"), text_width("中共市X局")
    (4, 4, 9)
    """
    if text.isascii() and text.isprintable():
        return len(text)  # ids, dates, numbers: the most of a workbook, measured at once
    return sum(map(_char_width, text))


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str) -> int:
    return max(wcwidth(ch), 0)


def _shown(value: Any) -> str:
    """The text a cell shows for ``value`` (a date as ``2020-05-01``, a whole number without
    its ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # as Excel shows it: 100, not 100.0
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return str(value.isoformat())
    return str(value)


def lines_in(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell of ``width``: each of its lines broken
    where it is full.

    >>> lines_in("张三、李四", 20), lines_in("张三、李四、王五、赵六", 12), lines_in("a\\nb", 20)
    (1, 3, 2)
    """
    room = max(width - _PADDING, 1)
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


def packed(items: list[str], separator: str = "、", width: float = MAX_WIDTH) -> str:
    """``items`` joined by ``separator``, a line break after the separator wherever the next
    item would not fit a column of ``width`` (with its margins and a tenth to spare for fonts
    wider than measured): an office suite then never wraps the cell itself, so no item (a name,
    an id) is ever broken across lines.

    >>> packed(["张建军", "刘芳"])
    '张建军、刘芳'
    >>> packed(["李振华", "王丽娟", "张建军", "刘芳", "陈晓东", "赵敏"], width=30).splitlines()
    ['李振华、王丽娟、张建军、', '刘芳、陈晓东、赵敏']
    """
    room = (width - _PADDING) * 0.9
    lines: list[str] = []
    used = 0
    for i, item in enumerate(items):
        piece = item + (separator if i < len(items) - 1 else "")
        wide = text_width(piece)
        if lines and used + wide <= room:
            lines[-1] += piece
            used += wide
        else:
            lines.append(piece)
            used = wide
    return "\n".join(lines)


def _texts(ws: Any, unmeasured: Collection[int]) -> list[tuple[Any, list[int]]]:
    """Each cell of ``ws`` that shows text, with the widths of its lines; formulas and the rows
    in ``unmeasured`` left out. Only the cells that exist are visited: openpyxl keeps them in
    ``ws._cells`` (its public ``iter_rows`` would make every empty cell of the grid)."""
    out: list[tuple[Any, list[int]]] = []
    for (row, _), cell in ws._cells.items():
        if cell.value is None or row in unmeasured or cell.data_type == "f":
            continue
        text = _shown(cell.value)
        if text:
            out.append((cell, [text_width(line) for line in text.split("\n")]))
    return out


def column_widths(
    ws: Any,
    *,
    max_width: float = MAX_WIDTH,
    widths: Mapping[int, float] | None = None,
    unmeasured: Collection[int] = (),
) -> dict[int, float]:
    """The width of each column of ``ws`` from its content: the widest line of its cells plus
    the cell's margins, within :data:`MIN_WIDTH` and ``max_width``; ``widths`` gives some
    columns' widths as they are, and the rows in ``unmeasured`` are not measured."""
    return _widths(_texts(ws, unmeasured), max_width, widths)


def _widths(
    texts: list[tuple[Any, list[int]]], max_width: float, widths: Mapping[int, float] | None
) -> dict[int, float]:
    found: dict[int, int] = {}
    for cell, lines in texts:
        found[cell.column] = max(found.get(cell.column, 0), max(lines))
    out = {
        col: float(min(max(wide + _PADDING, MIN_WIDTH), max_width)) for col, wide in found.items()
    }
    out.update(widths or {})
    return out


def lay_out(
    ws: Any,
    *,
    header_rows: int = 1,
    max_width: float = MAX_WIDTH,
    widths: Mapping[int, float] | None = None,
    unmeasured: Collection[int] = (),
    columns: int | None = None,
    title_columns: int = 1,
) -> None:
    """Size, wrap and set up for printing the filled-in sheet ``ws`` (an openpyxl worksheet).

    Args:
        header_rows: How many rows at the top are headers, repeated on every printed page
            (none when 0).
        max_width: The widest a column is made; longer text wraps.
        widths: Columns (by number, from 1) whose width is given rather than measured.
        unmeasured: Rows (by number) left out of the measuring: a title that runs across the
            columns beside it.
        columns: How many columns the sheet has, for a sheet whose last columns are empty
            (the template's); the columns that hold something by default.
        title_columns: How many columns at the left are repeated on every page across, when
            the sheet is too wide for one (:func:`pages_across`): the record's id.
    """
    styles = _styles()
    utils = _utils()
    texts = _texts(ws, unmeasured)
    measured = _widths(texts, max_width, widths)
    last = max([*measured, columns or 0], default=0)
    for col in range(1, last + 1):
        width = measured.get(col, float(MIN_WIDTH))
        measured[col] = width
        ws.column_dimensions[utils.get_column_letter(col)].width = width
    heights: dict[int, int] = {}
    for cell, lines in texts:
        room = max(measured.get(cell.column, MIN_WIDTH) - _PADDING, 1)
        needed = sum(max(1, math.ceil(wide / room)) for wide in lines)
        if needed > 1:
            old = cell.alignment
            cell.alignment = styles.Alignment(
                horizontal=old.horizontal, vertical="top", wrap_text=True
            )
            heights[cell.row] = max(heights.get(cell.row, 1), needed)
    for row, count in heights.items():
        ws.row_dimensions[row].height = count * LINE_HEIGHT
    _print_setup(ws, sum(measured.values()), header_rows, title_columns)


def pages_across(total_width: float) -> int:
    """How many pages across a sheet of columns ``total_width`` wide prints on: one, fitted to
    the page's width, unless that would shrink it below :data:`MIN_SCALE`; then as few as keep
    it at that size or larger.

    >>> pages_across(80), pages_across(250), pages_across(700)
    (1, 1, 3)
    """
    room = LANDSCAPE_WIDTH / MIN_SCALE
    return max(1, math.ceil(total_width / room))


def _print_setup(ws: Any, total_width: float, header_rows: int, title_columns: int) -> None:
    """A4, portrait when the columns fit across it, landscape when wider; fitted to one page's
    width (or to as few as keep the text legible); the header rows on every page."""
    ws.page_setup.paperSize = 9  # A4 (ws.PAPERSIZE_A4)
    ws.page_setup.orientation = "portrait" if total_width <= PORTRAIT_WIDTH else "landscape"
    across = pages_across(total_width)
    ws.page_setup.fitToWidth = across
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows take
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    if across > 1 and title_columns:
        ws.print_title_cols = f"A:{_utils().get_column_letter(title_columns)}"


def _styles() -> Any:
    from dangjian._optional import require

    return require("openpyxl.styles", "excel")


def _utils() -> Any:
    from dangjian._optional import require

    return require("openpyxl.utils", "excel")
