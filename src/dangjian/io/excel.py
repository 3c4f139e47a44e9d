"""Ledgers as Excel workbooks (``.xlsx``): a template to fill in, writing, and strict reading.

A workbook has a first sheet 「填写说明」 that explains how to fill it in, a sheet 「台账」 with
the ledger's name, one sheet per record kind named by its Chinese label (党组织, 党员, 会议, …)
and one sheet per kind of nested record (委员会任职, 缺席, 决议, 候选人, …), each row of which
names the record it belongs to. Columns have the glossary's Chinese terms as headers; the field
identifiers are accepted as headers too. The layout is in :mod:`dangjian.io._excel_layout`, the
cell values in :mod:`dangjian.io._excel_values`; docs/format.md describes both for users.

Reading builds the plain data a ledger file would hold and runs it through the converter and the
whole-ledger checks that :func:`dangjian.loads` uses, then reports every problem at its sheet,
row and column (``会议 第7行 会议日期列``), in Chinese and in English: each mistake once, at its
cell (a reference to a record that no row holds once, at the first cell that names it).

A workbook as an office keeps it is read as it is: a column the template does not know is kept
with its records (:attr:`Ledger.extra_columns <dangjian.Ledger.extra_columns>`, with a
:class:`~dangjian.errors.LoadNotice`), and a label typed as a synonym (支部委员会) is read as its
value and kept as typed (:attr:`Ledger.spellings <dangjian.Ledger.spellings>`); both are written
back. A legacy ``.xls`` workbook is read through python-calamine (the ``xls`` extra); workbooks
are written as ``.xlsx`` only.

Reading is safe with any file (:mod:`dangjian.io._excel_archive`): the zip archive is checked
before openpyxl opens it (no zip bombs, no document type or entity declaration in any XML part,
whichever XML parser openpyxl uses), the sheets are read as a stream of cells within the limits
of :class:`ExcelLimits`, and messages never quote a resident id in full.

openpyxl and defusedxml are optional: ``pip install "dangjian[excel]"``. They are imported only
when a function here is called.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import importlib
import io
import os
import re
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import attrs

from dangjian._files import write_bytes
from dangjian._gc import collector_paused
from dangjian._optional import require
from dangjian._progress import track
from dangjian.errors import DangjianError, LedgerError, LoadNotice, Problem
from dangjian.i18n import Message, available_languages, mapped, t
from dangjian.io._excel_archive import (
    LIMIT_NAMES,
    Budget,
    ExcelLimits,
    Refused,
    SheetCell,
    check_archive,
    parse_limits,
    raise_hint,
    read_legacy_sheet,
    read_sheet,
)
from dangjian.io._excel_layout import (
    HEAD,
    INSTRUCTIONS,
    NAMED,
    SHEETS,
    SOURCES,
    VISIT_KEY,
    Column,
    NameColumn,
    Sheet,
    find_column,
    is_known_column,
    name_column,
)
from dangjian.io._excel_older import Added, later_columns, older_column
from dangjian.io._excel_synonyms import canonical, read_labels, synonyms
from dangjian.io._excel_values import (
    FIRST_SERIAL_DATE,
    LAST_SERIAL,
    CellError,
    _clip,
    _mask_ids,
    _number_text,
    cell_text,
    escape_text,
    read_cell,
    unescape_text,
    write_list,
)
from dangjian.io._sheet_print import lay_out, packed
from dangjian.io._structuring import structure_ledger
from dangjian.io._writable import unwritable
from dangjian.ledger import RECORD_KINDS, Ledger, row_keys
from dangjian.model.kept import row_key

__all__ = [
    "LIMIT_NAMES",
    "ExcelLimits",
    "dump_excel",
    "load_excel",
    "parse_limits",
    "write_template",
]


def _openpyxl(*, reading: bool) -> Any:
    """The openpyxl module; for reading, also make sure that it parses XML with defusedxml."""
    openpyxl = require("openpyxl", "excel")
    if reading:
        require("defusedxml", "excel")
    if reading and not require("openpyxl.xml", "excel").DEFUSEDXML:
        raise DangjianError(
            t(
                "openpyxl 没有使用 defusedxml（是否设置了环境变量 OPENPYXL_DEFUSEDXML=False？），"
                "出于安全考虑不读取 Excel 工作簿"
            )
        )
    return openpyxl


# -- writing ---------------------------------------------------------------------------------

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
_TEXT_KINDS = frozenset(
    {"text", "note", "id", "ids", "texts", "enums", "time", "month", "decimal", "resident_id"}
)
_BY_IDENT = {s.ident: s for s in SHEETS}
_YES, _NO = "是", "否"


def write_template(path: str | os.PathLike[str], *, overwrite: bool = True) -> None:
    """Write an empty ledger workbook to ``path``, ready to fill in.

    It has every sheet with its headers, drop-down lists for enumerations and yes-or-no columns,
    date formats for date columns and text formats for ids, times, months and decimals. The
    file is replaced in one step, as :func:`dangjian.dump` does.

    Raises:
        DangjianError: openpyxl is not installed, or ``overwrite`` is false and the file exists.
    """
    _write(None, path, overwrite=overwrite)


def dump_excel(ledger: Ledger, path: str | os.PathLike[str], *, overwrite: bool = True) -> None:
    """Write ``ledger`` to ``path`` as a workbook that :func:`load_excel` reads back equal.

    The workbook is made whole in memory, then written to a temporary file that replaces
    ``path`` in one step (readable by its owner only when new), as :func:`dangjian.dump` does.

    Raises:
        DangjianError: openpyxl is not installed, or ``overwrite`` is false and the file exists.
    """
    _write(ledger, path, overwrite=overwrite)


def _write(ledger: Ledger | None, path: str | os.PathLike[str], *, overwrite: bool) -> None:
    openpyxl = _openpyxl(reading=False)
    styles = importlib.import_module("openpyxl.styles")
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = INSTRUCTIONS
    _write_instructions(notes, styles)
    head = wb.create_sheet(HEAD.name)
    _prepare(head, HEAD.columns, styles)
    if ledger is not None:
        _put(head.cell(2, 1), HEAD.columns[0], ledger.name)
        _put(head.cell(2, 2), HEAD.columns[1], ledger.version)
        kept = _put_extra(head, HEAD, ledger, styles, after=len(HEAD.columns))
    lay_out(head, columns=len(HEAD.columns) + (kept if ledger is not None else 0))
    names = _names(ledger) if ledger is not None else {}
    grey = styles.NamedStyle(  # one style for the name cells, named once and given to each
        name=_READ_ONLY_STYLE,
        fill=styles.PatternFill("solid", fgColor=_READ_ONLY_FILL),
        font=styles.Font(color=_READ_ONLY_FONT),
        number_format=TEXT_FORMAT,
    )
    wb.add_named_style(grey)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        # the names beside the ids are the writer's: a template to fill in has none
        written = sheet.written if ledger is not None else sheet.columns
        _prepare(ws, written, styles)
        kept = 0
        if ledger is not None:
            typed = {
                (s.record, s.column): s.text for s in ledger.spellings if s.sheet == sheet.ident
            }
            rows = zip(_records(ledger, sheet), row_keys(ledger, sheet.ident), strict=True)
            for row, ((keys, record), (key, _)) in enumerate(rows, start=2):
                for col, column in enumerate(written, start=1):
                    # a cell is made only for a value: most of a sheet's cells are empty
                    if isinstance(column, NameColumn):
                        of = column.of
                        ids = keys[of.key] if of.role != "field" else _get(record, of)
                        if ids is not None and ids != ():
                            cell = ws.cell(row, col)
                            cell.style = _READ_ONLY_STYLE
                            _put_names(cell, column, ids, names)
                        continue
                    value = keys[column.key] if column.role != "field" else _get(record, column)
                    if value is not None and value != ():
                        _put(ws.cell(row, col), column, value, typed.get((key, column.key)))
            kept = _put_extra(ws, sheet, ledger, styles, after=len(written))
        lay_out(ws, columns=len(written) + kept)
    if ledger is not None and ledger.sources:
        _write_sources(wb.create_sheet(SOURCES.name), ledger, styles)
    content = io.BytesIO()  # the whole workbook is made before the file is opened
    try:
        wb.save(content)  # openpyxl writes each sheet to a temporary file on the way
    except OSError:
        raise
    except Exception as e:  # lxml's SerialisationError("IO_EFBIG") when a file-size limit is hit
        reason = f"{type(e).__name__}: {e}"
        raise DangjianError(
            t(
                "{path}：无法生成 Excel 工作簿（{reason}），文件未改动",
                path=os.fspath(path),
                reason=reason,
            )
        ) from e
    write_bytes(path, content.getvalue(), private=ledger is not None, overwrite=overwrite)


_LABELS = {kind.field: kind.label for kind in RECORD_KINDS}


def _write_sources(ws: Any, ledger: Ledger, styles: Any) -> None:
    """The sheet 记录来源: one row for each record and file it came from."""
    _prepare(ws, SOURCES.columns, styles)
    file, collection, id = SOURCES.columns
    row = 2
    for source in ledger.sources:
        for record in source.ids:
            _put(ws.cell(row, 1), file, source.file)
            _put(ws.cell(row, 2), collection, _LABELS.get(source.collection, source.collection))
            _put(ws.cell(row, 3), id, record)
            row += 1
    lay_out(ws, columns=len(SOURCES.columns))


def _records(ledger: Ledger, sheet: Sheet) -> Iterator[tuple[dict[str, Any], Any]]:
    """The records of a sheet, each with the values of its parent's columns (ids, 走访序号)."""
    if sheet.parent is None:
        for record in getattr(ledger, sheet.field):
            yield {}, record
        return
    owner = _BY_IDENT[sheet.parent]
    for keys, parent in _records(ledger, owner):
        if owner.parent is None:
            keys = {sheet.columns[0].key: parent.id}
        for number, child in enumerate(getattr(parent, sheet.field), start=1):
            yield ({**keys, VISIT_KEY: number} if sheet.field == "visits" else keys), child


def _get(record: Any, column: Column) -> Any:
    value = record
    for part in column.path:
        value = getattr(value, part)
        if value is None:
            return None
    return value


def _put_extra(ws: Any, sheet: Sheet, ledger: Ledger, styles: Any, *, after: int) -> int:
    """The ledger's extra columns of ``sheet``, after the ``after`` columns written (the
    template's and the names beside its ids), with their cells; how many there are."""
    extra = [c for c in ledger.extra_columns if c.sheet == sheet.ident]
    if not extra:
        return 0
    rows = {key: row for row, (key, _) in enumerate(row_keys(ledger, sheet.ident), start=2)}
    font = styles.Font(bold=True, color="7F7F7F")
    for column in extra:
        if is_known_column(sheet, column.header):  # it would be read as the template's
            raise DangjianError(
                t(
                    "附加列「{header}」与「{sheet}」表中模板的列同名，无法写出；请改用其他表头",
                    header=column.header,
                    sheet=sheet.name,
                )
            )
    for col, column in enumerate(extra, start=after + 1):
        header = ws.cell(1, col)
        _put_text(header, column.header)
        header.font = font
        for cell in column.cells:
            row = rows.get(cell.record)
            if row is not None:  # the ledger's validation reports a cell of no record
                target = ws.cell(row, col)
                target.number_format = TEXT_FORMAT
                _put_text(target, cell.value)
    return len(extra)


def _put(cell: Any, column: Column, value: Any, typed: str | None = None) -> None:
    """Write ``value`` into ``cell`` as ``column`` wants it; nothing for no value. ``typed`` is
    the label as it was typed (a synonym), written instead when it still reads as ``value``."""
    if value is None or value == ():
        return
    kind = column.kind
    if typed is not None and kind in ("enum", "enums") and read_labels(column, typed) == value:
        if kind == "enums":
            cell.number_format = TEXT_FORMAT
        _put_text(cell, typed)
        return
    if kind in _TEXT_KINDS:
        cell.number_format = TEXT_FORMAT
    if kind in ("text", "note", "id"):
        _put_text(cell, value)
    elif kind == "ids":
        _put_text(cell, _packed(value))
    elif kind == "texts":
        _put_text(cell, write_list(value))
    elif kind == "date":
        if value >= FIRST_SERIAL_DATE:
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            _put_text(cell, value.isoformat())
    elif kind == "time":
        _put_text(cell, value.isoformat(timespec="seconds" if value.second else "minutes"))
    elif kind in ("month", "decimal"):
        _put_text(cell, str(value))
    elif kind == "bool":
        cell.value = _YES if value else _NO
    elif kind == "enum":
        cell.value = value.label
    elif kind == "enums":
        _put_text(cell, write_list([v.label for v in value]))
    elif kind == "resident_id":
        _put_text(cell, value.reveal())
    else:  # int, index
        cell.value = value


def _put_text(cell: Any, text: str) -> None:
    if text == "":
        # an empty cell reads as no value; ="" is Excel's empty text
        cell.value = '=""'
        return
    cell.value = escape_text(text)
    cell.data_type = "s"  # text that starts with = is text, not a formula


_READ_ONLY_STYLE = "只供阅读"
_READ_ONLY_FILL = "EDEDED"
_READ_ONLY_FONT = "595959"
_READ_ONLY_NOTE = (
    "只供阅读：左边一列编号所指的姓名（名称），由 dangjian 写出。"
    "读取时不使用此列；与编号不符时给出提示。请改左边的编号列。"
)


def _names(ledger: Ledger) -> dict[str, dict[str, str]]:
    """The name of each record of the named collections, by collection and id."""
    return {
        collection: {r.id: getattr(r, field) for r in getattr(ledger, collection)}
        for collection, (field, _) in NAMED.items()
    }


def _named(value: Any, column: NameColumn, names: dict[str, dict[str, str]]) -> list[str]:
    """The names of the ids in ``value`` (one id or several); an id without a record, as it is."""
    ids = [value] if isinstance(value, str) else list(value or ())
    known = names.get(column.collection, {})
    return [known.get(id, id) for id in ids]


def _put_names(cell: Any, column: NameColumn, value: Any, names: dict[str, dict[str, str]]) -> None:
    """The names of the ids of ``value`` into the read-only ``cell``, as a list is written."""
    found = _named(value, column, names)
    if found:
        _put_text(cell, found[0] if column.of.kind == "id" else _packed(found))


def _packed(items: Any) -> str:
    """A list in one cell as :func:`write_list` writes it; a plain one (no JSON) broken into
    lines after its separators, so that no id or name is ever broken across lines in print."""
    text = write_list(items)
    plain = "、".join(items)
    return packed(list(items)) if text == plain else text


def _prepare(ws: Any, written: tuple[Column | NameColumn, ...], styles: Any) -> None:
    """Headers, column formats and drop-down lists of an empty sheet; the name columns grey,
    with a note on their header that they are for reading."""
    validation = importlib.import_module("openpyxl.worksheet.datavalidation")
    utils = importlib.import_module("openpyxl.utils")
    comments = importlib.import_module("openpyxl.comments")
    bold = styles.Font(bold=True)
    required = styles.Font(bold=True, color="C00000")
    fill = styles.PatternFill("solid", fgColor="FDE9D9")
    for col, column in enumerate(written, start=1):
        cell = ws.cell(1, col)
        cell.value = column.header
        letter = utils.get_column_letter(col)
        dimension = ws.column_dimensions[letter]
        if isinstance(column, NameColumn):
            cell.font = styles.Font(bold=True, color=_READ_ONLY_FONT)
            cell.fill = styles.PatternFill("solid", fgColor=_READ_ONLY_FILL)
            cell.comment = comments.Comment(_READ_ONLY_NOTE, "dangjian", width=260, height=90)
            dimension.number_format = TEXT_FORMAT
            continue
        cell.font = required if column.required else bold
        cell.fill = fill
        if column.kind in _TEXT_KINDS:
            dimension.number_format = TEXT_FORMAT
        elif column.kind == "date":
            dimension.number_format = DATE_FORMAT
        choices = None
        if column.kind == "enum" and column.enum is not None:
            choices = [m.label for m in column.enum]
        elif column.kind == "bool":
            choices = [_YES, _NO]
        if choices:
            dv = validation.DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=column.header,
                error=f"请从列表中选择：{'、'.join(choices)}",
            )
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}1048576")
        elif column.kind == "enums" and column.enum is not None:
            # several values in one cell: no drop-down list can offer them, a prompt names them
            labels = "、".join(m.label for m in column.enum)
            dv = validation.DataValidation(
                allow_blank=True,
                showInputMessage=True,
                promptTitle=column.header,
                prompt=f"可填多项，用顿号「、」分隔：{labels}",
            )
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}1048576")
    ws.freeze_panes = "A2"


_GUIDE = (
    "本工作簿是 dangjian 党建台账的 Excel 格式。填好后可以用 dangjian validate 台账.xlsx 校验，"
    "用 dangjian convert 台账.xlsx 台账.yaml 转换为 YAML（或 JSON、TOML），也可以反向转换。",
    "「台账」表第2行填写台账名称（必填）；格式版本填 1 或不填。",
    "其余每个工作表记一类记录：第1行是表头（列名），从第2行起每行一条记录。表头红色的列必填。"
    "不要改动表头文字（也可以用英文字段名作表头，如 date），不要增加其他工作表：未知的工作表会报错。"
    "可以在表的右侧增加本单位需要的列（如「手机号」）：读取时作为附加列原样保留并给出提示，"
    "写回时照样写出，但不参与检查。不用的工作表可以留空或删除。",
    "编号：每条记录的编号在本表中不能重复。引用其他记录时填写它的编号，如「所在党组织」填党组织的编号。"
    "引用党员的列（出席人、主持人、缴纳人 …）也可以填写党员的姓名，只要台账中只有一名党员叫这个名字。"
    "编号列已设为文本格式；填成数字（如 1001）时按文本「1001」读取，但数字会丢掉开头的 0，"
    "所以 001 这样的编号请保持文本格式。",
    "日期：填写 2020-05-01、2020/5/1 或 2020年5月1日，或者 Excel 日期。时间：填写 09:30 这样的"
    "「时:分」。月份：填写 2020-05。",
    "金额、学时、分数、数量：按文本填写（这些列已设为文本格式），如 45.00，按原样精确读取；填数字也可以。"
    "金额以元计，不是万元。",
    "党费表的计算基数：可以直接填写；也可以填写工资总额和各项扣除（个人所得税，个人缴纳的养老、医疗、"
    "失业保险和住房公积金），计算基数不填时按工资总额减各项扣除计算。两者都填时应相等，否则报错；"
    "所填内容原样保存，不会被改写。",
    "取值固定的列（会议类型、人员状态、缺席原因 …）请从下拉列表中选择，也可以填写英文代码（如 theme_day）。"
    "一次会议同时作为几类会议召开的（如在主题党日召开支部党员大会），「会议类型」填其中一类，"
    "其余的填在「同时作为的会议类型」列，如「支部党员大会、党课」。"
    "「是否」列填写「是」或「否」，不填表示「否」。",
    "一格多值（出席人、学习文件、整改措施、同时作为的会议类型 …）：用顿号「、」分隔，也可以用逗号、分号或换行分隔。"
    '如果某一项本身含有这些符号，请把整格写成 JSON 列表，如 ["关于甲、乙的通知", "丙"]。',
    "一条记录下的多项明细各占一个工作表，每行用第一列的编号指明所属的记录：委员会任职和换届延期批准"
    "（党组织编号）、"
    "缺席和决议（会议编号）、候选人（选举编号）、结对活动、扶贫项目、帮扶培训、走访慰问、捐赠和"
    "志愿服务（结对编号）、回头看（整改事项编号）。捐赠还要填「走访序号」：走访慰问表中该次走访的序号；"
    "走访慰问表的走访序号不填时，按同一结对村的走访行的先后为 1、2、3 …",
    "缺席表每行记一名缺席的党员及缺席原因。请假、病假、出差算准假；原因为其他或无故缺席的，以及会议填了出席人"
    "而既未列入出席人、也未记缺席原因的党员，算缺席（连续缺席的提醒见规则 attend.general_meeting 和"
    " attend.group_meeting）。只填应到、实到人数而不填出席人的会议，无法判断个人是否出席。",
    "不要合并单元格：合并的单元格会报错。公式按 Excel 保存的计算结果读取；没有保存计算结果的公式"
    "（或结果为空的公式）会报错，请改为直接填写数值。中间的空行会被跳过，空行之后的数据照常读取。",
    "灰色的列（表头以「（姓名）」或「（名称）」结尾，如「出席人（姓名）」）只供阅读："
    "dangjian 写出台账时在编号列右边填上对应的姓名或名称，方便核对和打印。读取时不使用这些列，"
    "姓名与编号不符时给出提示（不是错误）；要改人员请改左边的编号列。",
    "读取时一次列出全部问题，每个问题注明位置，如「会议 第7行 会议日期列」，并用中文和英文说明。",
)


_GUIDE_WIDTHS = {1: 14.0, 2: 78.0}
"""The instructions' two columns (the number or the sheet, the text): together they fit across
a portrait A4 page, and the text wraps within them."""


_SYNONYMS_GUIDE = (
    "取值固定的列也接受下面这些常用的同义写法（左列是标准写法）。读取时按标准写法检查，"
    "写回时保留原来的写法。"
)


def _write_instructions(ws: Any, styles: Any) -> None:
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    top = styles.Alignment(vertical="top")
    title = ws.cell(1, 1, "党建台账 填写说明")
    title.font = styles.Font(bold=True, size=14)
    row = 3
    for number, text in enumerate(_GUIDE, start=1):
        ws.cell(row, 1, f"{number}.").alignment = top
        ws.cell(row, 2, text).alignment = wrap
        row += 1
    row += 1
    ws.cell(row, 1, "同义写法").font = styles.Font(bold=True)
    ws.cell(row, 2, _SYNONYMS_GUIDE).alignment = wrap
    for enum, table in synonyms().items():
        for member in enum:
            words = [word for word, value in table.items() if value is member]
            if words:
                row += 1
                ws.cell(row, 1, member.label)
                ws.cell(row, 2, "、".join(words)).alignment = wrap
    row += 2
    ws.cell(row, 1, "工作表").font = styles.Font(bold=True)
    ws.cell(row, 2, "必填列（红色表头）").font = styles.Font(bold=True)
    for sheet in (HEAD, *SHEETS):
        row += 1
        ws.cell(row, 1, sheet.name).alignment = top
        needed = "、".join(c.header for c in sheet.columns if c.required)
        ws.cell(row, 2, needed).alignment = wrap
    lay_out(ws, header_rows=0, widths=_GUIDE_WIDTHS, unmeasured={1})
    ws.print_options.gridLines = False


# -- reading ---------------------------------------------------------------------------------


class _Bad:
    """Stands for a cell that could not be read: the converter refuses it, and its problem is
    the one reported."""

    def __repr__(self) -> str:
        return "<unreadable cell>"


_BAD = _Bad()
_OTHERS_SHOWN = 5
"""How many other cells that name a missing record an error lists."""


@attrs.frozen
class _CellProblem:
    """A cell that holds no readable value (a formula without a result, an error value)."""

    msg: Message


@attrs.frozen
class _Where:
    """Where a record is: its sheet, the sheet's title and position, its row and its columns."""

    sheet: Sheet
    title: str
    order: int
    row: int
    headers: dict[str, tuple[str, int]]  # key → (header as written, column number)

    def column(self, key: str) -> tuple[str, int]:
        if key in self.headers:
            return self.headers[key]
        column = self.sheet.column(key)
        return (column.header if column else key), 0


Key = tuple[int, int, int]
_SHEET_ALIASES: dict[str, Sheet] = {
    **{s.name: s for s in (HEAD, *SHEETS)},
    **{s.ident: s for s in (HEAD, *SHEETS)},
}
_COLLECTIONS = "|".join(kind.field for kind in RECORD_KINDS)
_RECORD_IN_TEXT = re.compile(rf"(?<![\w.])(?:{_COLLECTIONS})\[\d+\]")
_TOKEN_END = re.compile(r"(?=[.\[])")


def _letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _at(title: str, row: int, header: str | None = None) -> str:
    title = _clip(title)
    return f"{title} 第{row}行 {header}列" if header is not None else f"{title} 第{row}行"


def load_excel(path: str | os.PathLike[str], *, limits: ExcelLimits | None = None) -> Ledger:
    """The ledger in the workbook at ``path``, read strictly and validated.

    The workbook is read as a stream, within ``limits`` (:class:`ExcelLimits`, whose defaults
    are used when it is None): a workbook past one of them is refused at once, so that any
    file is read in bounded time and memory.

    Raises:
        DangjianError: openpyxl or defusedxml is not installed.
        LedgerError: the file is not a workbook, is past a limit, or is not a valid ledger;
            every problem is listed, its path naming the sheet, row and column.
        OSError: the file cannot be read.
    """
    openpyxl = _openpyxl(reading=True)
    limits = ExcelLimits() if limits is None else limits
    source = os.fspath(path)
    legacy = os.path.splitext(source)[1].lower() == ".xls"
    if legacy:
        require("python_calamine", "xls")
    try:
        wb = _open_legacy(source, limits) if legacy else _open(openpyxl, source, limits)
        try:
            reader = _Reader(wb, limits)
            ledger = reader.run(source)
        finally:
            wb.close()
    except Refused as e:
        problem = Problem(path="", code=e.code, message=e.msg)
        raise LedgerError([_masked(problem)], source=source) from None
    for _, notice in sorted(reader.notices, key=lambda kp: kp[0]):
        warnings.warn(LoadNotice(_masked(notice), source=source), stacklevel=2)
    return ledger


def _read_within(source: str, limits: ExcelLimits) -> bytes:
    """The bytes of the file at ``source``, refused when there are more than
    ``limits.max_file_size`` of them (read no further than that)."""
    with open(source, "rb") as f:
        data = f.read(limits.max_file_size + 1)
    if len(data) > limits.max_file_size:
        raise Refused(
            "too_large",
            t(
                "文件超过 {size:,} 字节（ExcelLimits.max_file_size），不予读取；{how}",
                size=limits.max_file_size,
                how=raise_hint("max_file_size"),
            ),
        )
    return data


def _open(openpyxl: Any, source: str, limits: ExcelLimits) -> Any:
    """The workbook, opened read-only after its archive is checked."""
    data = _read_within(source, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
        # NotImplementedError: a zip version or feature the zipfile module does not read
        reason = (str(e) or type(e).__name__).splitlines()[0][:200]
        raise Refused(
            "syntax", t("文件格式有误，不是有效的 Excel 工作簿（.xlsx）：{reason}", reason=reason)
        ) from None
    with archive:
        check_archive(archive, len(data), limits)
    defused = importlib.import_module("defusedxml")
    with warnings.catch_warnings():
        # openpyxl warns about what it does not support (extensions, print settings …)
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, keep_links=False)
        except Exception as e:
            # openpyxl wraps what went wrong in an exception of its own: say what it was
            causes: list[BaseException] = [e]
            while (cause := causes[-1].__cause__ or causes[-1].__context__) and len(causes) < 20:
                causes.append(cause)
            if any(isinstance(c, defused.DefusedXmlException) for c in causes):
                detail = t("工作簿的 XML 含有文档类型或实体声明（DTD），出于安全考虑拒绝读取")
            else:
                reason = (str(causes[-1]) or type(causes[-1]).__name__).splitlines()[0][:200]
                detail = t("不是有效的 Excel 工作簿（.xlsx）：{reason}", reason=reason)
    raise Refused("syntax", t("文件格式有误，{detail}", detail=detail))


class _LegacySheet:
    """A sheet of a legacy ``.xls`` workbook (a python-calamine ``CalamineSheet``)."""

    iter_rows = True  # a sheet of cells, not a chart sheet

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet


class _LegacyBook:
    """A legacy ``.xls`` workbook read through python-calamine, as :class:`_Reader` reads a
    workbook: its sheets' names, each sheet, and the 1900 date system (calamine gives dates as
    dates, so the reader never turns a serial number into one)."""

    _date_formats: tuple[int, ...] = ()

    def __init__(self, book: Any) -> None:
        self.book = book
        self.sheetnames: list[str] = list(book.sheet_names)
        self.epoch = importlib.import_module("openpyxl.utils.datetime").CALENDAR_WINDOWS_1900

    def __getitem__(self, title: str) -> _LegacySheet:
        return _LegacySheet(self.book.get_sheet_by_name(title))

    def close(self) -> None:
        self.book.close()


def _open_legacy(source: str, limits: ExcelLimits) -> _LegacyBook:
    """The legacy ``.xls`` workbook at ``source``, opened through python-calamine."""
    calamine = require("python_calamine", "xls")
    data = _read_within(source, limits)
    try:
        return _LegacyBook(calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))
    except Exception as e:  # calamine's errors have no common base
        reason = (str(e) or type(e).__name__).splitlines()[0][:200]
        raise Refused(
            "syntax",
            t("文件格式有误，不是有效的 Excel 97-2003 工作簿（.xls）：{reason}", reason=reason),
        ) from None


class _Reader:
    """One reading of one workbook: the plain data, where each record came from, the problems."""

    def __init__(self, wb: Any, limits: ExcelLimits) -> None:
        self.wb = wb
        self.limits = limits
        self.budget = Budget(cells=limits.max_cells, merged=limits.max_merged)
        self.epoch = wb.epoch
        self.from_excel = importlib.import_module("openpyxl.utils.datetime").from_excel
        # the style numbers of date formats, as openpyxl works them out from the styles
        self.date_styles: set[int] = set(getattr(wb, "_date_formats", ()))
        self.problems: list[tuple[Key, Problem]] = []
        self.data: dict[str, Any] = {}
        self.where: dict[str, _Where] = {}  # structure path of a record → where it is
        self.bad: set[str] = set()  # structure paths of cells already reported
        self.missing: set[tuple[str, str]] = set()  # (sheet ident, key) of missing columns
        self.ids: dict[str, dict[str, tuple[str, dict[str, Any]]]] = defaultdict(dict)
        self.visits: dict[str, dict[int, tuple[str, dict[str, Any]]]] = defaultdict(dict)
        # the cells that name other records: (record, column, where, structure path)
        self.references: list[tuple[dict[str, Any], Column, _Where, str]] = []
        self.head: _Where | None = None
        self.notices: list[tuple[Key, Problem]] = []
        # the rows of the sheet 记录来源: structure path of an id → its cell's key and place
        self.source_rows: dict[str, tuple[Key, str]] = {}
        self.named: dict[int, NameColumn] = {}  # the read-only name columns of the sheet read
        self.names: list[_Names] = []  # what the name columns hold, to check against the ids
        # the columns the template does not know, by sheet: column number → header
        self.extra_headers: dict[str, dict[int, str]] = defaultdict(dict)
        # their cells, by sheet and column number: (structure path of the record, text)
        self.extra_cells: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # the ids of records that no row holds, by collection, with the cells that name them
        self.absent: dict[tuple[str, str], list[tuple[Key, str]]] = defaultdict(list)
        # labels typed as synonyms: (sheet ident, structure path, column key, text as typed)
        self.spellings: list[tuple[str, str, str, str]] = []

    def problem(self, key: Key, path: str, code: str, message: Message) -> None:
        self.problems.append((key, Problem(path=path, code=code, message=message)))

    # -- the workbook ------------------------------------------------------------------------

    def run(self, source: str) -> Ledger:
        found: dict[str, tuple[Any, str, int]] = {}
        for order, title in enumerate(self.wb.sheetnames):
            ws = self.wb[title]
            if title == INSTRUCTIONS:
                continue
            if title.strip() in (SOURCES.name, SOURCES.ident) and "sources" not in self.data:
                self._sources(ws, title, order)
                continue
            sheet = _SHEET_ALIASES.get(title.strip())
            if sheet is None or not hasattr(ws, "iter_rows"):  # a chart sheet holds no cells
                self._unknown_sheet(title, order)
            elif sheet.ident in found:
                first = _clip(found[sheet.ident][1])
                self.problem(
                    (order, 0, 0),
                    _clip(title),
                    "duplicate_key",
                    t(
                        "工作表「{title}」与「{first}」重复（都是{sheet}）",
                        title=_clip(title),
                        first=first,
                        sheet=sheet.name,
                        ident=sheet.ident,
                    ),
                )
            else:
                found[sheet.ident] = (ws, title, order)
        present = [sheet for sheet in (HEAD, *SHEETS) if sheet.ident in found]
        for sheet in track(present, t("读取工作表"), unit="sheet"):
            self._sheet(sheet, *found[sheet.ident])
        if self.head is None:
            self.problem(
                (-1, 0, 0),
                _at(HEAD.name, 2, HEAD.columns[0].header),
                "missing_field",
                t("缺少台账名称：请在工作表「{sheet}」第2行填写", sheet=HEAD.name),
            )
            self.bad.add("name")
        self._resolve_references()
        self._keep()
        for p in unwritable(self.data):  # text of _xD800_ escapes, which no file can hold
            self._relocate(p)
        try:
            with collector_paused():
                ledger: Ledger | None = structure_ledger(self.data, None)
        except LedgerError as e:
            ledger = None
            for p in e.problems:
                self._relocate(p)
        if self.problems or ledger is None:
            ordered = [_masked(p) for _, p in sorted(self.problems, key=lambda kp: kp[0])]
            raise LedgerError(ordered, source=source)
        self._check_names(ledger, source)
        return ledger

    def _sources(self, ws: Any, title: str, order: int) -> None:
        """The sheet 记录来源 (:data:`SOURCES`), grouped into the ledger's ``sources``: the rows
        of one file and record kind make one source, in the order they first appear."""
        rows, _ = self._cells(ws, title)
        filled = [r for r in sorted(rows) if not all(map(_blank, rows[r].values()))]
        self.data["sources"] = sources = []
        if not filled:
            return
        header_row, data_rows = filled[0], filled[1:]
        columns = self._header(SOURCES, title, order, header_row, rows[header_row])
        named = {c.key: col for col, c in columns.items()}
        for column in SOURCES.columns:
            if column.key not in named and data_rows:
                self.problem(
                    (order, header_row, 0),
                    _at(title, header_row),
                    "missing_field",
                    t("缺少必填列「{header}」", header=column.header, key=column.key),
                )
                return
        kinds = {kind.label: kind.field for kind in RECORD_KINDS}
        kinds |= {kind.field: kind.field for kind in RECORD_KINDS}
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for r in data_rows:
            values: dict[str, str] = {}
            for column in SOURCES.columns:
                col = named[column.key]
                value = rows[r].get(col)
                at = _at(title, r, column.header)
                if isinstance(value, _CellProblem):
                    self.problem((order, r, col), at, "invalid_value", value.msg)
                    break
                if _blank(value):
                    self.problem((order, r, col), at, "missing_field", t("缺少必填字段"))
                    break
                try:
                    text = read_cell(
                        column, value.strip() if isinstance(value, str) else value, self._serial
                    )
                except CellError as e:
                    self.problem((order, r, col), at, "invalid_value", e.msg)
                    break
                if column.key == "collection" and text not in kinds:
                    self.problem(
                        (order, r, col),
                        at,
                        "unknown_key",
                        t(
                            "没有名为「{collection}」的记录类别，可用：{known}",
                            collection=text,
                            known="、".join(kinds),
                            names=", ".join(kinds),
                        ),
                    )
                    break
                values[column.key] = kinds[text] if column.key == "collection" else text
            else:
                key = (values["file"], values["collection"])
                if key not in groups:
                    groups[key] = {"file": key[0], "collection": key[1], "ids": []}
                    sources.append(groups[key])
                i = sources.index(groups[key])
                self.source_rows[f"sources[{i}].ids[{len(groups[key]['ids'])}]"] = (
                    (order, r, named["id"]),
                    _at(title, r, SOURCES.columns[2].header),
                )
                groups[key]["ids"].append(values["id"])

    def _check_names(self, ledger: Ledger, source: str) -> None:
        """A notice for each name in a read-only name column that is not the name of the ids
        beside it: the ids are what is read, the name is only said to disagree."""
        names = _names(ledger)
        for found in self.names:
            column = found.column
            if column.of.role == "field":
                value = _lookup(found.record, column.of.path)
            else:
                value = found.keys.get(column.of.key)
            ids = [value] if isinstance(value, str) else list(value or ())
            if not all(isinstance(id, str) for id in ids):
                continue
            expected = _named(ids, column, names)
            if column.of.kind == "id":
                written = [found.text]
            else:
                written = read_cell(_NAMES_COLUMN, found.text, self._serial)
            if written == expected:
                continue
            message: Message
            if len(written) == len(expected):  # say which names differ
                pairs = [
                    (i, e, w) for i, e, w in zip(ids, expected, written, strict=True) if e != w
                ]
                message = t(
                    "只供阅读的姓名与编号不符：{pairs}；按编号读取，此列不读取",
                    pairs="、".join(f"{i} 是「{e}」而不是「{_clip(w)}」" for i, e, w in pairs),
                    pairs_en="; ".join(f"{i} is {e!r}, not {_clip(w)!r}" for i, e, w in pairs),
                )
            else:
                message = t(
                    "只供阅读的姓名「{written}」与编号 {ids} 对应的「{names}」不符；"
                    "按编号读取，此列不读取",
                    written=_clip("、".join(written)),
                    ids="、".join(ids),
                    names="、".join(expected),
                    ids_en=", ".join(ids),
                    names_en=", ".join(expected),
                )
            notice = Problem(path=_mask_ids(found.at), code="name_mismatch", message=message)
            warnings.warn(LoadNotice(notice, source=source), stacklevel=2)

    def _keep(self) -> None:
        """Put the extra columns' cells and the labels typed as synonyms into the data."""
        kept: list[dict[str, Any]] = []
        for sheet in (HEAD, *SHEETS):
            for col, header in self.extra_headers.get(sheet.ident, {}).items():
                cells = [
                    {"record": self._row_key(path), "value": text}
                    for path, text in self.extra_cells[sheet.ident][col]
                ]
                kept.append({"sheet": sheet.ident, "header": header, "cells": cells})
        if kept:
            self.data["extra_columns"] = kept
        if self.spellings:
            self.data["spellings"] = [
                {"sheet": ident, "record": self._row_key(path), "column": key, "text": text}
                for ident, path, key, text in self.spellings
            ]

    def _row_key(self, path: str) -> str:
        """The row key (:mod:`dangjian.model.kept`) of the record at structure path ``path``."""
        if not path:
            return ""
        steps = re.findall(r"([a-z_]+)\[(\d+)\]", path)
        field, index = steps[0]
        top = self.data[field][int(index)].get("id")
        return row_key(top if isinstance(top, str) else "?", [int(i) + 1 for _, i in steps[1:]])

    def _unknown_sheet(self, title: str, order: int) -> None:
        names = [s.name for s in (HEAD, *SHEETS)]
        close = _close_match(title, names)
        if close:
            message = t(
                "未知工作表「{title}」，是否应为「{close}」？", title=_clip(title), close=close
            )
        else:
            message = t(
                "未知工作表「{title}」。可用的工作表：{sheets}",
                title=_clip(title),
                sheets="、".join([INSTRUCTIONS, *names]),
                sheets_en=", ".join([INSTRUCTIONS, *names]),
            )
        self.problem((order, 0, 0), _clip(title), "unknown_key", message)

    # -- one sheet ---------------------------------------------------------------------------

    def _cells(
        self, ws: Any, title: str
    ) -> tuple[dict[int, dict[int, Any]], list[tuple[int, int, int, int]]]:
        """The non-empty cells of a sheet by row and column, formulas replaced by results, and
        the sheet's merged ranges."""
        rows: dict[int, dict[int, Any]] = defaultdict(dict)
        if isinstance(ws, _LegacySheet):
            cells, merged = read_legacy_sheet(ws.sheet, title, self.limits, self.budget)
        else:
            with ws._get_source() as stream:
                cells, merged = read_sheet(
                    stream,
                    title,
                    ws._shared_strings,
                    self.date_styles,
                    self.limits,
                    self.budget,
                )
        for cell in cells:
            rows[cell.row][cell.column] = self._value(cell)
        return rows, merged

    def _value(self, cell: SheetCell) -> Any:
        """What a cell holds for reading: a value, or a :class:`_CellProblem`."""
        value = cell.value
        if cell.formula is not None:
            text = cell.formula
            if re.fullmatch(r'=\s*""\s*', text):
                return ""  # Excel's empty text, as dump_excel writes an empty note
            shown = _clip(text)
            if value is None or value == "":
                return _CellProblem(
                    t(
                        "公式「{shown}」没有保存的计算结果（或结果为空），请在 Excel 中重新计算并保存，"
                        "或改为直接填写数值",
                        shown=shown,
                    )
                )
            if cell.kind == "e":
                return _CellProblem(
                    t("公式「{shown}」的结果是错误值「{value}」", shown=shown, value=_clip(value))
                )
        elif cell.kind == "e":
            return _CellProblem(t("单元格是错误值「{value}」", value=_clip(value)))
        if isinstance(value, str):
            limit = self.limits.max_cell_length
            if len(value) > limit:
                return _CellProblem(
                    t(
                        "单元格有 {length:,} 个字符，超过上限 {limit:,}（ExcelLimits.max_cell_length）",
                        length=len(value),
                        limit=limit,
                    )
                )
            return unescape_text(value)
        if cell.dated:
            return self._dated(value)
        return value

    def _dated(self, value: int | float) -> Any:
        """A number with a date format: the date and time it stands for, or a problem."""
        shown = _number_text(value)
        if not 0 <= value <= LAST_SERIAL:
            return _CellProblem(
                t("单元格是日期格式，但数字{shown}不是有效的 Excel 日期", shown=shown)
            )
        if value < 1 and self.epoch.year < 1904:
            seconds = round(value * 86400)
            if seconds >= 86400:
                return _CellProblem(t("数字{shown}不是有效时间", shown=shown))
            return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
        return self.from_excel(value, self.epoch)

    def _serial(self, value: float) -> Any:
        return self.from_excel(value, self.epoch)

    def _sheet(self, sheet: Sheet, ws: Any, title: str, order: int) -> None:
        rows, merges = self._cells(ws, title)
        present = sorted(rows)
        # the merged value is read into the rows of the range that hold something else, so
        # that the merge is the only problem reported for them (within a bounded effort)
        spans = [
            (top, left, bisect.bisect_right(present, top), bisect.bisect_right(present, bottom))
            for top, left, bottom, _ in merges
        ]
        if sum(end - start for _, _, start, end in spans) <= self.limits.max_cells:
            for top, left, start, end in spans:
                value = rows.get(top, {}).get(left)
                if value is not None:
                    for r in present[start:end]:
                        rows[r][left] = value
        filled = [r for r in sorted(rows) if not all(map(_blank, rows[r].values()))]
        if not filled:
            return
        header_row = filled[0]
        columns = self._header(sheet, title, order, header_row, rows[header_row])
        written = {col: cell_text(rows[header_row][col]).strip() for col in columns}
        for top, left, bottom, right in sorted(merges):
            coord = f"{_letter(left)}{top}"
            if (bottom, right) != (top, left):
                coord += f":{_letter(right)}{bottom}"
            self.problem(
                (order, top, left),
                _at(title, top, written.get(left, _letter(left))),
                "invalid_value",
                t("合并单元格 {coord}：请取消合并，在每一行分别填写", coord=coord),
            )
        data_rows = filled[1:]
        self._headless(title, order, header_row, columns, rows, data_rows)
        if data_rows:
            headed = {c.key for c in columns.values()}
            for column in sheet.columns:
                if column.required and column.key not in headed:
                    self.missing.add((sheet.ident, column.key))
                    message = t("缺少必填列「{header}」", header=column.header, key=column.key)
                    extra = self.extra_headers.get(sheet.ident, {})
                    close = [
                        (col, text)
                        for col, text in extra.items()
                        if _close_match(text, [column.header]) is not None
                    ]
                    if close:  # a misspelt header, kept as an extra column
                        col, text = close[0]
                        message = t(
                            "{message}；{letter} 列「{text}」是否应为此列？",
                            message=message,
                            letter=_letter(col),
                            text=_clip(text),
                        )
                    self.problem(
                        (order, header_row, 0), _at(title, header_row), "missing_field", message
                    )
        if data_rows and (later := later_columns(sheet, {c.key for c in columns.values()})):
            self._later_columns(sheet, title, order, header_row, later)
        headers = {c.key: (written[col], col) for col, c in columns.items()}
        headers |= {
            c.header: (cell_text(rows[header_row][col]).strip(), col)
            for col, c in self.named.items()
        }
        for r in data_rows:
            where = _Where(sheet, title, order, r, headers)
            self._row(sheet, where, columns, rows[r])

    def _header(
        self, sheet: Sheet, title: str, order: int, row: int, cells: dict[int, Any]
    ) -> dict[int, Column]:
        columns: dict[int, Column] = {}
        self.named = {}
        taken: dict[str, int] = {}
        extra: dict[str, int] = {}
        for col in sorted(cells):
            value = cells[col]
            if _blank(value):
                continue
            key = (order, row, col)
            where = _at(title, row, _letter(col))
            if isinstance(value, _CellProblem):
                self.problem(key, where, "invalid_value", value.msg)
                continue
            text = cell_text(value).strip()
            column = find_column(sheet, text)
            if column is None and (column := older_column(sheet, text)) is not None:
                self._older_header(key, where, text, column)
            named = name_column(sheet, text) if column is None else None
            if named is not None:
                if named.header in taken:
                    self._twice(key, where, text, taken[named.header], named.header, named.header)
                else:
                    taken[named.header] = col
                    self.named[col] = named
            elif column is None:
                if text in extra:
                    self._twice(key, where, text, extra[text])
                    continue
                extra[text] = col
                self.extra_headers[sheet.ident][col] = text
                names = [c.header for c in sheet.columns]
                close = _close_match(text, names)
                if close:
                    message = t(
                        "模板中没有「{text}」列（是否应为「{close}」？），"
                        "该列作为附加列原样保留，不参与检查",
                        text=_clip(text),
                        close=close,
                    )
                else:
                    message = t(
                        "模板中没有「{text}」列，该列作为附加列原样保留，不参与检查",
                        text=_clip(text),
                    )
                self.notices.append(
                    (key, Problem(path=where, code="extra_column", message=message))
                )
            elif column.key in taken:
                self._twice(key, where, text, taken[column.key], column.header, column.key)
            else:
                taken[column.key] = col
                columns[col] = column
        return columns

    def _twice(
        self,
        key: Key,
        where: str,
        text: str,
        first: int,
        header: str | None = None,
        field: str | None = None,
    ) -> None:
        """A sheet's header ``text`` at ``where`` that names a column already headed at column
        ``first``: an error at its cell. ``header`` and ``field`` are the column's own (a
        template's column, or the names beside one); an extra column has only its text."""
        message = (
            t("列「{text}」与 {letter} 列重复", text=_clip(text), letter=_letter(first))
            if header is None
            else t(
                "列「{text}」与 {letter} 列重复（都是「{header}」）",
                text=text,
                letter=_letter(first),
                header=header,
                key=field,
            )
        )
        self.problem(key, where, "duplicate_key", message)

    def _older_header(self, key: Key, where: str, text: str, column: Column) -> None:
        """Say that a header of an older template was read as today's column."""
        message = t(
            "「{text}」是较早版本模板的表头，现为「{header}」，已按「{header}」读取",
            text=_clip(text),
            header=column.header,
        )
        self.notices.append((key, Problem(path=where, code="older_template", message=message)))

    def _later_columns(
        self, sheet: Sheet, title: str, order: int, row: int, later: tuple[Added, ...]
    ) -> None:
        """Say that a sheet lacks columns the template gained later: read as empty."""
        message = t(
            "没有「{columns}」列：模板自 {since} 起才有，工作簿可能由较早版本的模板生成；"
            "这些列按未填读取",
            columns="、".join(a.header for a in later),
            since=max(a.since for a in later),
        )
        problem = Problem(path=_at(title, row), code="older_template", message=message)
        self.notices.append(((order, row, 0), problem))

    def _headless(
        self,
        title: str,
        order: int,
        header_row: int,
        columns: dict[int, Column],
        rows: dict[int, dict[int, Any]],
        data_rows: list[int],
    ) -> None:
        """Report the columns that hold data but have no header (their data would be lost)."""
        headed = {col for col, value in rows[header_row].items() if not _blank(value)}
        reported: set[int] = set()
        for r in data_rows:
            for col, value in rows[r].items():
                if col in headed or col in reported or _blank(value):
                    continue
                reported.add(col)
                self.problem(
                    (order, r, col),
                    _at(title, r, _letter(col)),
                    "unknown_key",
                    t("{letter} 列没有表头，其中的数据无法读取", letter=_letter(col)),
                )

    # -- one row -----------------------------------------------------------------------------

    def _row(
        self, sheet: Sheet, where: _Where, columns: dict[int, Column], cells: dict[int, Any]
    ) -> None:
        record: dict[str, Any] = {}
        keys: dict[str, Any] = {}
        bad: list[str] = []
        spelled: list[tuple[str, str]] = []  # (column key, text as typed) of synonyms
        for col, column in columns.items():
            value = cells.get(col)
            if value is None:
                continue
            key = (where.order, where.row, col)
            at = _at(where.title, where.row, where.headers[column.key][0])
            if isinstance(value, _CellProblem):
                self.problem(key, at, "invalid_value", value.msg)
                value = _BAD
            else:
                if isinstance(value, str) and column.kind != "note":
                    value = value.strip()
                    if not value:
                        continue
                typed = value
                try:
                    value = read_cell(column, value, self._serial)
                except CellError as e:
                    self.problem(key, at, "invalid_value", e.msg)
                    value = _BAD
                if column.kind in ("enum", "enums") and value is not _BAD:
                    value = self._synonyms(column, value, typed, spelled)
            if column.role == "field":
                _set(record, column.path, value)
                if value is _BAD:
                    bad.append(column.key)
            else:
                keys[column.key] = value
        path = self._attach(sheet, where, record, keys)
        if path is None:
            return
        for col, named in self.named.items():
            value = cells.get(col)
            if not _blank(value) and not isinstance(value, _CellProblem):
                at = _at(
                    where.title, where.row, where.headers.get(named.header, (named.header,))[0]
                )
                self.names.append(_Names(named, cell_text(value).strip(), record, keys, at))
        self.where[path] = where
        self.spellings += [(sheet.ident, path, key, text) for key, text in spelled]
        for col in self.extra_headers.get(sheet.ident, {}):
            value = cells.get(col)
            if _blank(value):
                continue
            if isinstance(value, _CellProblem):
                at = _at(where.title, where.row, self.extra_headers[sheet.ident][col])
                self.problem((where.order, where.row, col), at, "invalid_value", value.msg)
                continue
            self.extra_cells[sheet.ident][col].append((path, cell_text(value)))
        self.bad.update(f"{path}.{key}" if path else key for key in bad)
        for column in columns.values():
            if column.target is not None and _lookup(record, column.path) is not None:
                self.references.append((record, column, where, path))

    @staticmethod
    def _synonyms(column: Column, value: Any, typed: Any, spelled: list[tuple[str, str]]) -> Any:
        """The value of an enumeration's cell with each synonym replaced by its value's code;
        the cell's text is added to ``spelled`` when it held a synonym."""
        items = value if isinstance(value, list) else [value]
        codes = [
            found.code if isinstance(x, str) and (found := canonical(column.enum, x)) else x
            for x in items
        ]
        if codes == items:
            return value
        spelled.append((column.key, cell_text(typed).strip()))
        return codes if isinstance(value, list) else codes[0]

    def _attach(
        self, sheet: Sheet, where: _Where, record: dict[str, Any], keys: dict[str, Any]
    ) -> str | None:
        """Put the record where it belongs in the data; its structure path, or None."""
        if sheet is HEAD:
            if self.head is not None:
                self.problem(
                    (where.order, where.row, 0),
                    _at(where.title, where.row),
                    "invalid_value",
                    t(
                        "「{sheet}」表只填一行（第{row}行），此行多余",
                        sheet=HEAD.name,
                        row=self.head.row,
                    ),
                )
                return None
            self.head = where
            self.data.update(record)
            return ""
        if sheet.parent is None:
            items = self.data.setdefault(sheet.field, [])
            path = f"{sheet.field}[{len(items)}]"
            items.append(record)
            id = record.get("id")
            if isinstance(id, str):
                self.ids[sheet.ident].setdefault(id, (path, record))
            return path
        owner = self._owner(sheet, where, keys)
        if owner is None:
            return None
        owner_path, owner_record = owner
        items = owner_record.setdefault(sheet.field, [])
        path = f"{owner_path}.{sheet.field}[{len(items)}]"
        if sheet.field == "visits":
            number = keys.get(VISIT_KEY, len(items) + 1)
            if isinstance(number, int):
                numbered = self.visits[owner_path]
                if number in numbered:
                    first = self.where[numbered[number][0]].row
                    self.problem(
                        (where.order, where.row, 0),
                        _at(where.title, where.row, where.column(VISIT_KEY)[0]),
                        "duplicate_id",
                        t("走访序号 {number} 重复，与第{first}行相同", number=number, first=first),
                    )
                else:
                    numbered[number] = (path, record)
        items.append(record)
        return path

    def _owner(
        self, sheet: Sheet, where: _Where, keys: dict[str, Any]
    ) -> tuple[str, dict[str, Any]] | None:
        """The record that a nested record belongs to, or None after saying why."""
        parent_column = sheet.columns[0]
        top = sheet.ident.split(".")[0]
        id = keys.get(parent_column.key)
        header = where.column(parent_column.key)[0]
        at = _at(where.title, where.row, header)
        key = (where.order, where.row, where.column(parent_column.key)[1])
        if id is _BAD or (id is None and (sheet.ident, parent_column.key) in self.missing):
            return None  # already reported
        if id is None:
            self.problem(key, at, "missing_field", t("缺少必填字段"))
            return None
        owner = self.ids[top].get(id)
        if owner is None and (top, "id") in self.missing:
            return None  # the sheet it names has no id column, which is the error
        if owner is None:
            self.absent[top, id].append((key, at))  # reported once, with the others
            return None
        if sheet.parent == top:
            return owner
        # a donation: the visit of that pairing with that number
        number = keys.get(VISIT_KEY)
        at = _at(where.title, where.row, where.column(VISIT_KEY)[0])
        key = (where.order, where.row, where.column(VISIT_KEY)[1])
        if number is _BAD or (number is None and (sheet.ident, VISIT_KEY) in self.missing):
            return None
        if number is None:
            self.problem(key, at, "missing_field", t("缺少必填字段"))
            return None
        visit = self.visits[owner[0]].get(number)
        if visit is None:
            self.problem(
                key,
                at,
                "broken_reference",
                t(
                    "{label}「{id}」没有走访序号为 {number} 的走访记录（见「走访慰问」表）",
                    label=sheet.label,
                    label_en=sheet.label_en,
                    id=id,
                    number=number,
                ),
            )
            return None
        return visit

    # -- references: members named instead of their ids, records that are not there ---------

    def _resolve_references(self) -> None:
        """Give members named instead of their ids their ids; report each reference to a record
        that no row of the workbook holds at its cell, once.

        One mistake gives one error: what the checks of the ledger would say again about a
        cell reported here is not said (:attr:`bad`); a name of a member whose id is not unique
        is left as it is, unreported, since the duplicate id is reported at its own row.
        """
        counts = Counter(
            r.get("id") for r in self.data.get("members", []) if isinstance(r.get("id"), str)
        )
        ids = set(counts)
        twice = {id for id, n in counts.items() if n > 1}
        names: dict[str, list[str]] = defaultdict(list)
        for record in self.data.get("members", []):
            id, name = record.get("id"), record.get("name")
            if isinstance(id, str) and isinstance(name, str) and id not in names[name]:
                names[name].append(id)
        for record, column, where, path in self.references:
            value = _lookup(record, column.path)
            many = isinstance(value, list)
            header, col = where.column(column.key)
            key, at = (where.order, where.row, col), _at(where.title, where.row, header)
            out: list[Any] = []
            for j, item in enumerate(value if many else [value]):
                cell = f"{path}.{column.key}[{j}]" if many else f"{path}.{column.key}"
                if not isinstance(item, str):
                    out.append(item)  # unreadable, and reported
                    continue
                if column.target == "members":
                    try:
                        found = _member(item, ids, names)
                    except CellError as e:
                        self.problem(key, at, "invalid_value", e.msg)
                        self.bad.add(f"{path}.{column.key}")
                        out = [_BAD]
                        many = False
                        break
                    if found != item and found in twice:
                        self.bad.add(cell)  # the member's duplicate id is the mistake
                        out.append(item)
                        continue
                    item = found
                known = ids if column.target == "members" else self.ids[str(column.target)]
                if column.check and item not in known:
                    if (column.target, "id") not in self.missing:  # else their ids are
                        self.absent[str(column.target), item].append((key, at))
                    self.bad.add(cell)
                out.append(item)
            _set(record, column.path, out if many else out[0])
        for (target, id), cells in self.absent.items():
            self._broken(target, id, sorted(cells))

    def _broken(self, target: str, id: str, cells: list[tuple[Key, str]]) -> None:
        """Report the id of a record that is not there once, at the first cell that names it,
        saying which other cells name it too."""
        kind = next(k for k in RECORD_KINDS if k.field == target)
        message = t(
            "找不到编号为「{id}」的{label}", id=id, label=kind.label, label_en=kind.label_en
        )
        if target == "members":
            message = t("{message}（也不是台账中党员的姓名）", message=message)
        (key, at), others = cells[0], [at for _, at in cells[1:]]
        if others:
            shown = "、".join(others[:_OTHERS_SHOWN]) + ("…" if len(others) > _OTHERS_SHOWN else "")
            message = t(
                "{message}；另有 {n} 处填写了它：{places}",
                message=message,
                n=len(others),
                places=shown,
            )
        self.problem(key, at, "broken_reference", message)

    # -- the converter's problems, put where they are in the workbook ------------------------

    def _relocate(self, p: Problem) -> None:
        path = p.path
        if path.startswith("sources["):  # the sheet 记录来源
            key, at = self.source_rows.get(path, ((-1, 0, 0), path))
            self.problems.append((key, Problem(path=at, code=p.code, message=p.msg)))
            return
        prefixes = [path[: m.start()] for m in _TOKEN_END.finditer(path)] + [path]
        if any(prefix in self.bad for prefix in prefixes):
            return  # the cell's own problem says it better
        where: _Where | None
        rest: str
        if path.split(".")[0].split("[")[0] in ("name", "version"):
            where, rest = self.head, path
        else:
            found = next((x for x in reversed(prefixes) if x in self.where and x), None)
            where = self.where.get(found) if found else None
            rest = path[len(found) :] if found else ""
        message = p.msg
        if where is None:
            self.problems.append(((-1, 0, 0), p))
            return
        field = re.sub(r"\[\d+\]", "", rest).lstrip(".")
        while field and where.sheet.column(field) is None and field not in where.headers:
            field = field.rpartition(".")[0]
        if p.code == "missing_field" and (where.sheet.ident, field) in self.missing:
            return  # the missing column is reported once
        if field:
            header, col = where.column(field)
            at = _at(where.title, where.row, header)
            column = where.sheet.column(field)
            if p.code == "broken_reference" and column is not None and column.target == "members":
                message = t("{message}（也不是台账中党员的姓名）", message=message)
        else:
            col, at = 0, _at(where.title, where.row)
        named = {
            m.group()
            for lang in available_languages()
            for m in _RECORD_IN_TEXT.finditer(message.render(lang))
        }
        places = tuple(sorted((path, self._record_at(path)) for path in named))
        message = mapped(message, _Places(places))
        self.problems.append(
            ((where.order, where.row, col), Problem(path=at, code=p.code, message=message))
        )

    def _record_at(self, path: str) -> str:
        where = self.where.get(path)
        return _at(where.title, where.row) if where else path


@attrs.frozen
class _Names:
    """What a read-only name column holds in one row, to check against the ids beside it."""

    column: NameColumn
    text: str
    record: dict[str, Any]
    keys: dict[str, Any]
    at: str


_NAMES_COLUMN = Column(header="", key="names", kind="texts")
"""How a name column of several names is split (as any list in one cell)."""


@attrs.frozen
class _Places:
    """Rewrites the records that a message names (``members[3]``) as the rows they are in."""

    places: tuple[tuple[str, str], ...]

    def __call__(self, text: str) -> str:
        table = dict(self.places)
        return _RECORD_IN_TEXT.sub(lambda m: table.get(m.group(), m.group()), text)


def _close_match(text: str, names: list[str]) -> str | None:
    """The name that ``text`` is close to, if any; only short texts are compared."""
    if len(text) > 2 * max(map(len, names)):
        return None  # far from every name; and comparing long texts takes quadratic time
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.5)
    return close[0] if close else None


def _masked(problem: Problem) -> Problem:
    """The problem with every resident id that it quotes masked."""
    return attrs.evolve(
        problem, path=_mask_ids(problem.path), message=mapped(problem.msg, _mask_ids)
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _set(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        record = record.setdefault(part, {})
    record[path[-1]] = value


def _lookup(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _member(value: str, ids: set[str], names: dict[str, list[str]]) -> str:
    """A member's id, given the id or the name of exactly one member."""
    if value in ids or value not in names:
        return value  # an id, or neither: the checks report an id that is not there
    found = names[value]
    if len(found) == 1:
        return found[0]
    raise CellError(
        t(
            "「{value}」是多名党员的姓名（编号 {ids}），请改填编号",
            value=value,
            ids="、".join(found),
            ids_en=", ".join(found),
        )
    )
