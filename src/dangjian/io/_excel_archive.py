"""Reading workbooks safely: the archive checked before any XML parser sees it, sheets streamed.

A workbook is a zip archive of XML parts. Before openpyxl opens one, :func:`check_archive`
refuses an archive with too many parts, parts that unpack to too much (a "zip bomb"), and any
part an XML parser could read that declares a document type or entities, or is encoded in
anything but UTF-8 (where such a declaration could hide). So no part with a DTD reaches any
parser, whichever one openpyxl uses (lxml or the standard library's, with or without
defusedxml).

The cells of a sheet are read by :func:`read_sheet` as a stream of XML events, never as a grid:
the time and memory it takes follow the cells the file holds, not the ranges it names, and it
stops at the first limit of :class:`ExcelLimits` that the sheet exceeds.

Pure Python and the standard library's C parser (safe here: the archive has been checked);
openpyxl reads the rest of the workbook (its list of sheets, shared strings, styles).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO, Any, NamedTuple
from xml.etree import ElementTree

import attrs

from dangjian.errors import Problem, ProblemsError
from dangjian.i18n import Message, t

__all__ = [
    "Budget",
    "ExcelLimits",
    "Refused",
    "SheetCell",
    "check_archive",
    "read_legacy_sheet",
    "read_sheet",
]

_MIB = 1024 * 1024


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"ExcelLimits.{attribute.name} must be a positive whole number")


@attrs.frozen(kw_only=True)
class ExcelLimits:
    """How much of a workbook :func:`dangjian.io.excel.load_excel` reads before refusing it.

    A workbook past any limit is refused at once with a ``too_large`` problem that names the
    limit, so that reading any file takes bounded time and memory: with the defaults, a few
    seconds and a few hundred MiB at most. They hold ledgers of about a thousand members with
    some years of records (200,000 cells); raise them for larger ledgers (reading
    takes about 15 µs a cell): ``dangjian.load(path, limits=ExcelLimits(max_cells=500_000))``,
    or on the command line ``--excel-limit max_cells=500000`` (:func:`parse_limits`); or keep
    those in JSON, which loads faster.

    Attributes:
        max_file_size: Bytes of the ``.xlsx`` file itself.
        max_parts: Files (parts) in the zip archive; a workbook written by Excel has a few dozen.
        max_unpacked_size: Bytes of all parts together once unpacked.
        max_ratio: How many times larger than packed the parts may unpack to, for archives that
            unpack to more than 1 MiB; workbooks pack about 10 to 1, a zip bomb 1,000 to 1.
        max_rows: The last row of a sheet that may hold a value.
        max_columns: The last column of a sheet that may hold a value (256 is column IV).
        max_cells: Cells holding a value, in all the sheets read together.
        max_merged: Merged ranges, in all the sheets read together.
        max_cell_length: Characters of one cell's text or formula (Excel's own limit is 32,767);
            a longer cell is reported where it is.
    """

    max_file_size: int = attrs.field(default=64 * _MIB, validator=_positive)
    max_parts: int = attrs.field(default=1_000, validator=_positive)
    max_unpacked_size: int = attrs.field(default=64 * _MIB, validator=_positive)
    max_ratio: int = attrs.field(default=100, validator=_positive)
    max_rows: int = attrs.field(default=200_000, validator=_positive)
    max_columns: int = attrs.field(default=256, validator=_positive)
    max_cells: int = attrs.field(default=200_000, validator=_positive)
    max_merged: int = attrs.field(default=1_000, validator=_positive)
    max_cell_length: int = attrs.field(default=32_767, validator=_positive)


class Refused(Exception):
    """The workbook is refused as a whole; :attr:`msg` says why."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(message.render("en"))
        self.code = code
        self.msg = message


def _too_large(what: Message, limit: int, name: str) -> Refused:
    return Refused(
        code="too_large",
        message=t(
            "{what}，超过上限 {limit:,}（ExcelLimits.{name}），不予读取；{how}",
            what=what,
            limit=limit,
            name=name,
            how=raise_hint(name),
        ),
    )


def raise_hint(name: str) -> Message:
    """How to raise the limit ``name``."""
    return t(
        "确认文件可信后，可用命令行选项 --excel-limit {name}=新上限 或 "
        "load(..., limits=ExcelLimits({name}=新上限)) 提高上限",
        name=name,
    )


LIMIT_NAMES: tuple[str, ...] = tuple(a.name for a in attrs.fields(ExcelLimits))
"""The names of the limits, as ``--excel-limit NAME=VALUE`` takes them."""


def parse_limits(settings: Sequence[str]) -> ExcelLimits:
    """The :class:`ExcelLimits` of the defaults with ``settings`` (``"max_cells=500000"``,
    one a limit; ``_`` may group digits) applied, the last one of a name winning.

    Raises:
        ProblemsError: every setting that is not ``NAME=VALUE`` with a known name and a
            positive whole number, each named by its position (``--excel-limit[0]``), with the
            valid names.
    """
    problems: list[Problem] = []
    values: dict[str, int] = {}
    names = "、".join(LIMIT_NAMES)
    names_en = ", ".join(LIMIT_NAMES)  # the English list
    for i, setting in enumerate(settings):
        where = f"--excel-limit[{i}]"
        name, sep, text = (part.strip() for part in setting.partition("="))
        if not sep or name not in LIMIT_NAMES:
            problems.append(
                Problem(
                    path=where,
                    code="unknown_limit",
                    message=t(
                        "「{setting}」不是「上限名=数值」，或上限名未知；可用的上限：{names}",
                        setting=setting,
                        names=names,
                        names_en=names_en,
                    ),
                )
            )
            continue
        digits = text.replace("_", "").replace(",", "")
        if not (digits.isascii() and digits.isdigit()) or int(digits) < 1:
            problems.append(
                Problem(
                    path=where,
                    code="invalid_value",
                    message=t("{name} 的值「{text}」不是正整数", name=name, text=text),
                )
            )
            continue
        values[name] = int(digits)
    if problems:
        raise ProblemsError(problems)
    return ExcelLimits(**values)


def _malformed(reason: Message) -> Refused:
    return Refused(
        "syntax", t("文件格式有误，不是有效的 Excel 工作簿（.xlsx）：{reason}", reason=reason)
    )


# -- the archive -----------------------------------------------------------------------------

# What a part begins with when an XML parser would read it in another encoding than UTF-8
# (byte order marks, and the first bytes of "<?xml" in UTF-16, UTF-32 and EBCDIC), as XML 1.0
# appendix F has parsers guess.
_OTHER_ENCODINGS = (
    b"\xfe\xff",
    b"\xff\xfe",
    b"\x00\x00\xfe\xff",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
    b"\x00\x00<\x00",
    b"\x00<\x00\x00",
    b"\x00<\x00?",
    b"<\x00?\x00",
    b"\x4c\x6f\xa7\x94",
    b"+/v",  # UTF-7's byte order mark
)
_UTF8_BOM = b"\xef\xbb\xbf"
_XML_START = re.compile(rb"\s*<")
_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
_CHUNK = 1 << 20
_OVERLAP = 16


def check_archive(archive: zipfile.ZipFile, packed_size: int, limits: ExcelLimits) -> None:
    """Refuse an archive that is too large, a zip bomb, or holds XML with a DTD.

    Every part is unpacked once, as a stream, and no further than its declared size (Python's
    zipfile stops there and checks the CRC). A part that an XML parser could read (one that
    begins with ``<`` after blanks, or a byte order mark) must be UTF-8 and must not declare a
    document type, entities, elements, attributes or notations anywhere.

    Raises:
        Refused: the archive is refused; the message says why.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise _too_large(
            t("压缩包中有 {count:,} 个文件", count=len(infos)), limits.max_parts, "max_parts"
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_unpacked_size:
        raise _too_large(
            t("解压后共 {size:,} 字节", size=unpacked),
            limits.max_unpacked_size,
            "max_unpacked_size",
        )
    if unpacked > _MIB and unpacked > limits.max_ratio * max(packed_size, 1):
        ratio = unpacked // max(packed_size, 1)
        raise _too_large(
            t("解压后是压缩前的 {ratio:,} 倍（疑为压缩炸弹）", ratio=ratio),
            limits.max_ratio,
            "max_ratio",
        )
    tally = _Tally()
    for info in infos:
        try:
            _check_part(archive, info, tally)
        except Refused:
            raise
        except Exception as e:  # zipfile raises many kinds: bad CRC, zlib, encryption …
            reason = (str(e) or type(e).__name__).splitlines()[0][:200]
            raise _malformed(
                t("无法解压「{name}」：{reason}", name=_clip(info.filename), reason=reason)
            ) from None
    _check_tally(tally, limits)


def _check_tally(tally: _Tally, limits: ExcelLimits) -> None:
    """Refuse parts that hold more than the cells allowed could need: they would take long to
    parse, and openpyxl parses some of them whole before a cell is read."""
    if tally.strings > limits.max_cells:
        raise _too_large(
            t("共享字符串有 {count:,} 项（多于可用的单元格数）", count=tally.strings),
            limits.max_cells,
            "max_cells",
        )
    tags = 10 * limits.max_cells + _OTHER_TAGS  # 10 a cell: <c><v></v></c> has 4
    for count, what in (
        (tally.sheet_tags, t("工作表")),
        (tally.string_tags, t("共享字符串")),
    ):
        if count > tags:
            raise _too_large(
                t(
                    "{what}的 XML 有 {count:,} 个标记（每个单元格至多按 10 个计）",
                    what=what,
                    count=count,
                ),
                tags,
                "max_cells",
            )
    if tally.other_tags > _OTHER_TAGS:
        raise Refused(
            code="too_large",
            message=t(
                "样式等部分的 XML 有 {count:,} 个标记，超过上限 {limit:,}，不予读取",
                count=tally.other_tags,
                limit=_OTHER_TAGS,
            ),
        )


@attrs.define
class _Tally:
    """What the XML parts hold, counted as they are checked."""

    sheet_tags: int = 0  # tags in worksheets, which read_sheet streams
    string_tags: int = 0  # tags in the shared strings
    other_tags: int = 0  # tags in the parts that openpyxl parses into objects
    strings: int = 0  # items of the shared strings, which openpyxl reads all at once


_ROOT = re.compile(rb"<(?![?!])(?:[\w.\-]+:)?([\w.\-]+)")
_SHEET_ROOTS = frozenset({b"worksheet", b"chartsheet", b"dialogsheet"})
_OTHER_TAGS = 100_000
"""Tags in all the parts but the sheets and the shared strings: styles, workbook, properties …
(Excel allows 64,000 cell formats; openpyxl takes some 15 µs a tag to make objects of them)."""


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, tally: _Tally) -> None:
    name = _clip(info.filename)
    with archive.open(info) as stream:
        first = stream.read(_CHUNK)
        head = first.removeprefix(_UTF8_BOM)
        start = head[:4]
        if head.startswith(_OTHER_ENCODINGS) or (
            b"\0" in start and start.replace(b"\0", b"").startswith(b"<")  # UTF-16 or 32
        ):
            raise _malformed(t("「{name}」不是 UTF-8 编码的 XML", name=name))
        if not _XML_START.match(head[:4096]) and head[:4096].strip():
            return  # not XML (a picture, printer settings …): no XML parser reads it
        declared = _DECLARED_ENCODING.match(head[:4096])
        if declared and declared.group(1).strip().lower() not in (b"utf-8", b"utf8"):
            raise _malformed(t("「{name}」不是 UTF-8 编码的 XML", name=name))
        root = _ROOT.search(head)
        kind = root.group(1) if root else b""
        tail = b""
        new = first
        while new:
            chunk = tail + new
            if _DTD.search(chunk):
                raise Refused(
                    "syntax",
                    t(
                        "文件格式有误，工作簿的 XML 含有文档类型或实体声明（DTD），"
                        "出于安全考虑拒绝读取（{name}）",
                        name=name,
                    ),
                )
            tags = new.count(b"<")
            if kind in _SHEET_ROOTS:
                tally.sheet_tags += tags
            elif kind == b"sst":
                tally.string_tags += tags
                # <si> items, with or without a namespace prefix (one cut by a chunk's end is
                # missed, which the margins of the limits cover)
                tally.strings += sum(new.count(x) for x in (b"<si>", b"<si ", b":si>", b":si "))
            else:
                tally.other_tags += tags
            tail = chunk[-_OVERLAP:]
            new = stream.read(_CHUNK)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the cells of a sheet --------------------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = _MAIN + "row", _MAIN + "c", _MAIN + "v", _MAIN + "f"
_INLINE, _TEXT, _RUN = _MAIN + "is", _MAIN + "t", _MAIN + "r"
_MERGE = _MAIN + "mergeCell"
_COORDINATE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
_LAST_ROW, _LAST_COLUMN = 1_048_576, 16_384


class SheetCell(NamedTuple):
    """One cell that holds something, as the file has it.

    Attributes:
        row: The row number, from 1.
        column: The column number, from 1.
        value: Text, a whole or a decimal number, a boolean, an error value's text (``#N/A``),
            a :class:`datetime.datetime` for a cell typed as a date, or None (a formula
            without a saved result).
        kind: ``"s"`` text, ``"n"`` number, ``"b"`` boolean, ``"e"`` error value, ``"d"`` date.
        dated: The number has a date or time format (it is an Excel serial number).
        formula: The formula's text, ``=`` and all, when the cell holds a formula; its saved
            result is ``value``.
    """

    row: int
    column: int
    value: Any
    kind: str
    dated: bool = False
    formula: str | None = None


@attrs.define
class Budget:
    """What is left of the limits shared by all the sheets of one workbook."""

    cells: int
    merged: int


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _coordinate(text: str, where: str) -> tuple[int, int]:
    match = _COORDINATE.fullmatch(text)
    if match is not None:
        column, row = _column_number(match[1]), int(match[2])
        if 1 <= row <= _LAST_ROW and 1 <= column <= _LAST_COLUMN:
            return row, column
    raise _malformed(t("{where} 的单元格引用「{text}」无效", where=where, text=_clip(text, 20)))


def _merged_range(text: str, where: str) -> tuple[int, int, int, int]:
    """A merged range's first row, first column, last row and last column."""
    first, _, last = text.partition(":")
    top, left = _coordinate(first, where)
    bottom, right = _coordinate(last, where) if last else (top, left)
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def _iterparse(source: IO[bytes]) -> Iterator[tuple[str, Any]]:
    # the standard library's parser, in C: check_archive has refused any part with a DTD
    # (defusedxml's iterparse would refuse them too, but runs its handlers in Python, 5 times
    # slower)
    return ElementTree.iterparse(source, events=("start", "end"))


def read_sheet(
    source: IO[bytes],
    title: str,
    strings: Sequence[str],
    date_styles: frozenset[int] | set[int],
    limits: ExcelLimits,
    budget: Budget,
) -> tuple[list[SheetCell], list[tuple[int, int, int, int]]]:
    """The cells of a sheet that hold something, in the file's order, and its merged ranges.

    Only the cells and the merged ranges are read; everything else in the sheet (formats,
    column widths, data validations …) is parsed and dropped as it goes.

    Args:
        source: The sheet's XML part.
        title: The sheet's name, for messages.
        strings: The workbook's shared strings.
        date_styles: The style numbers of date and time formats.
        limits: The limits to enforce.
        budget: What is left of the workbook's limits on cells and merged ranges; updated.

    Raises:
        Refused: the sheet is past a limit, or is not valid XML or SpreadsheetML.
    """
    cells: list[SheetCell] = []
    merged: list[tuple[int, int, int, int]] = []
    where = f"工作表「{_clip(title, 40)}」"
    shared: dict[str, str] = {}
    stack: list[Any] = []
    row_number = 0
    column_number = 0
    try:
        for event, element in _iterparse(source):
            if event == "start":
                stack.append(element)
                if element.tag == _ROW and len(stack) == 3:
                    row_number = _row_number(element.get("r"), row_number, where)
                    column_number = 0
                continue
            stack.pop()
            depth = len(stack)
            if element.tag == _CELL and depth == 3:
                column_number, cell = _cell(
                    element, row_number, column_number, strings, date_styles, shared, where
                )
                if cell is not None:
                    if cell.row > limits.max_rows or cell.column > limits.max_columns:
                        _within(cell, title, limits)
                    budget.cells -= 1
                    if budget.cells < 0:
                        raise _too_large(
                            t("工作簿中有值的单元格太多"),
                            limits.max_cells,
                            "max_cells",
                        )
                    cells.append(cell)
                stack[-1].clear()  # the row: its cells are read
            elif element.tag == _MERGE and depth == 2:
                budget.merged -= 1
                if budget.merged < 0:
                    raise _too_large(
                        t("工作簿中合并的单元格区域太多"),
                        limits.max_merged,
                        "max_merged",
                    )
                merged.append(_merged_range(element.get("ref") or "", where))
            if depth == 2:
                stack[-1].clear()  # sheetData, mergeCells …: their children are done with
            elif depth == 1:
                stack[-1].clear()
    except Refused:
        raise
    except Exception as e:  # the XML parser's errors, and defusedxml's
        reason = (str(e) or type(e).__name__).splitlines()[0][:200]
        raise _malformed(
            t("{where}：{reason}", where=where, title=_clip(title, 40), reason=reason)
        ) from None
    return cells, merged


def _row_number(text: str | None, previous: int, where: str) -> int:
    if text is None:
        number = previous + 1
    elif text.isascii() and text.isdigit() and len(text) <= 7:
        number = int(text)
    else:
        number = 0
    if not 1 <= number <= _LAST_ROW:
        raise _malformed(t("{where} 的行号「{text}」无效", where=where, text=_clip(text or "", 20)))
    return number


def _within(cell: SheetCell, title: str, limits: ExcelLimits) -> None:
    name = _clip(title, 40)
    if cell.row > limits.max_rows:
        raise _too_large(
            t("工作表「{name}」第{row:,}行有数据", name=name, row=cell.row),
            limits.max_rows,
            "max_rows",
        )
    if cell.column > limits.max_columns:
        raise _too_large(
            t("工作表「{name}」第{column:,}列有数据", name=name, column=cell.column),
            limits.max_columns,
            "max_columns",
        )


def _text_of(element: Any) -> str:
    """The text of an inline string: its runs' texts, without phonetic guides."""
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.extend(e.text or "" for e in child if e.tag == _TEXT)
    return "".join(parts)


def _cell(
    element: Any,
    row: int,
    previous: int,
    strings: Sequence[str],
    date_styles: frozenset[int] | set[int],
    shared: dict[str, str],
    where: str,
) -> tuple[int, SheetCell | None]:
    """The cell's column number, and the cell if it holds something."""
    reference = element.get("r")
    if reference is None:
        r, c = row, previous + 1
    else:
        r, c = _coordinate(reference, where)
    kind = element.get("t", "n")
    formula_element = element.find(_FORMULA)
    formula: str | None = None
    if formula_element is not None:
        formula = "=" + (formula_element.text or "")
        group = formula_element.get("si")
        if formula_element.get("t") == "shared" and group is not None:
            # the cells that share a formula hold it once, in the first of them
            if formula_element.text:
                shared.setdefault(group, formula)
            else:
                formula = shared.get(group, formula)
    raw = element.findtext(_VALUE)
    at = f"{where} 的单元格 {reference or c}"
    value: Any = None
    dated = False
    if kind == "inlineStr":
        inline = element.find(_INLINE)
        value, kind = (_text_of(inline), "s") if inline is not None else (None, "s")
    elif raw is None or (raw == "" and kind != "str"):
        value = None
    elif kind == "s":
        if not (raw.isascii() and raw.isdigit() and int(raw) < len(strings)):
            raise _malformed(t("{at} 引用的共享字符串「{raw}」不存在", at=at, raw=_clip(raw, 20)))
        value = strings[int(raw)]
    elif kind in ("str", "e"):
        value = raw
        kind = "s" if kind == "str" else "e"
    elif kind == "b":
        if raw not in ("0", "1"):
            raise _malformed(t("{at} 的布尔值「{raw}」无效", at=at, raw=_clip(raw, 20)))
        value = raw == "1"
    elif kind == "d":
        value = _iso_datetime(raw, at)
    elif kind == "n":
        value = _number(raw, at)
        style = element.get("s")
        dated = style is not None and _small_int(style) and int(style) in date_styles
    else:
        raise _malformed(t("{at} 的类型「{kind}」无效", at=at, kind=_clip(kind, 20)))
    if value is None and formula is None:
        return c, None
    return c, SheetCell(r, c, value, kind, dated, formula)


def _small_int(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 9


def _number(raw: str, at: str) -> int | float:
    raw = raw.strip()
    if _INTEGER.fullmatch(raw):
        return int(raw)
    if _NUMBER.fullmatch(raw):
        return float(raw)
    raise _malformed(t("{at} 的数字「{raw}」无效", at=at, raw=_clip(raw, 20)))


def _iso_datetime(raw: str, at: str) -> Any:
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(raw.strip()[:40].removesuffix("Z"))
    except ValueError:
        raise _malformed(t("{at} 的日期「{raw}」无效", at=at, raw=_clip(raw, 20))) from None


def read_legacy_sheet(
    sheet: Any, title: str, limits: ExcelLimits, budget: Budget
) -> tuple[list[SheetCell], list[tuple[int, int, int, int]]]:
    """The cells holding a value of a sheet of a legacy ``.xls`` workbook, as read by
    python-calamine (a ``CalamineSheet``), and its merged ranges, within ``limits``.

    calamine gives each cell's value, the saved result of a formula: text, a number, a boolean,
    a date, a time or a duration; an empty cell is empty text. Dates come as
    :class:`datetime.datetime`, as openpyxl gives them.
    """
    top, left = sheet.start or (0, 0)
    cells: list[SheetCell] = []
    for r, values in enumerate(sheet.iter_rows(), start=top + 1):
        for c, value in enumerate(values, start=left + 1):
            if value is None or value == "":
                continue
            kind = "s"
            if isinstance(value, bool):
                kind = "b"
            elif isinstance(value, int | float):
                kind = "n"
            elif isinstance(value, dt.date | dt.time | dt.timedelta):
                kind = "d"
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    value = dt.datetime.combine(value, dt.time(0))
                elif isinstance(value, dt.timedelta):
                    value = str(value)
            elif not isinstance(value, str):
                value = str(value)
            cell = SheetCell(r, c, value, kind)
            if r > limits.max_rows or c > limits.max_columns:
                _within(cell, title, limits)
            budget.cells -= 1
            if budget.cells < 0:
                raise _too_large(t("工作簿中有值的单元格太多"), limits.max_cells, "max_cells")
            cells.append(cell)
    merged: list[tuple[int, int, int, int]] = []
    for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or ():
        budget.merged -= 1
        if budget.merged < 0:
            raise _too_large(t("工作簿中合并的单元格区域太多"), limits.max_merged, "max_merged")
        merged.append((r0 + 1, c0 + 1, r1 + 1, c1 + 1))
    return cells, merged
