"""Cell values of ledger workbooks: how each kind of column is written, and read back strictly.

Pure Python, without openpyxl (which :mod:`dangjian.io.excel` imports only when it is used).
Reading turns a cell's value into the value a ledger file would hold (text, whole numbers,
dates, lists of text), for the converter to structure, or raises :class:`CellError` with a
message in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from dangjian.i18n import Message, given, t
from dangjian.io._excel_layout import Column
from dangjian.model.resident_id import mask_resident_ids

__all__ = [
    "FIRST_SERIAL_DATE",
    "LAST_SERIAL",
    "CellError",
    "cell_text",
    "escape_text",
    "read_cell",
    "read_list",
    "unescape_text",
    "write_list",
]

# -- text: the escapes of OOXML --------------------------------------------------------------

# XML 1.0 cannot hold these characters at all; OOXML writes them as _xHHHH_ (ST_Xstring). An
# underscore that would start such an escape is itself escaped (_x005F_), so every text comes
# back as it was, whatever it holds.
_NEEDS_ESCAPE = re.compile(
    "_(?=x[0-9A-Fa-f]{4})|[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
)
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    """``text`` as a cell may hold it: OOXML's ``_xHHHH_`` for what XML cannot hold."""
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape_text(text: str) -> str:
    """The text a cell holds, its ``_xHHHH_`` escapes undone (as Excel does)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


# -- lists in one cell -----------------------------------------------------------------------

SEPARATOR = "、"
_SEPARATORS = re.compile("[、,，;；\r\n]")


def read_list(text: str) -> list[str]:
    """The items of a list written in one cell.

    Items are separated by 、 (or , ， ; ； and line breaks); blanks around items are dropped.
    A cell that holds a JSON list of texts (``["甲、乙", "丙"]``) is read as that list: that is
    how items that hold a separator themselves are written.
    """
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError:
            pass
        else:
            if isinstance(items, list) and all(isinstance(x, str) for x in items):
                return items
    return [item.strip() for item in _SEPARATORS.split(text) if item.strip()]


def write_list(items: tuple[str, ...] | list[str]) -> str:
    """The cell that :func:`read_list` reads back as ``items``: joined by 、, or a JSON list."""
    plain = SEPARATOR.join(items)
    if read_list(plain) == list(items):
        return plain
    return json.dumps(list(items), ensure_ascii=False)


# -- reading ---------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell whose value cannot be read as its column says; :attr:`msg` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.msg = message

    def __str__(self) -> str:
        return self.msg.render("en")


FIRST_SERIAL_DATE = dt.date(1900, 3, 1)
"""The first day written as an Excel date; earlier days are written as text (Excel's serial
numbers start in 1900 and count a 29 February 1900 that never was)."""

LAST_SERIAL = 2958465
"""The Excel serial number of 9999-12-31, the last day Excel holds."""

# Digits are 0-9, and the full-width ０-９ that Chinese input methods type, read as 0-9; the
# digits of other scripts (Arabic-Indic ٤٥ …), which Python's int() and Decimal() would take,
# are reported. The patterns are ASCII-only: \d would match every script's digits.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_DATE_TEXT = re.compile(
    r"([0-9]{4})\s*(?:[-/.]|年)\s*([0-9]{1,2})\s*(?:[-/.]|月)\s*([0-9]{1,2})\s*日?", re.ASCII
)
_TIME_TEXT = re.compile(r"([0-9]{1,2})\s*[:：]\s*([0-9]{2})(?:\s*[:：]\s*([0-9]{2}))?", re.ASCII)
_MONTH_TEXT = re.compile(r"([0-9]{4})\s*(?:[-/.]|年)\s*([0-9]{1,2})\s*月?", re.ASCII)
_INT_TEXT = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")

_TRUE = frozenset({"是", "true"})
_FALSE = frozenset({"否", "false"})

SerialToDatetime = Callable[[float], Any]
"""Turns an Excel serial number into a :class:`datetime.datetime` (openpyxl's ``from_excel``)."""


_mask_ids = mask_resident_ids


def _clip(text: str, limit: int = 40) -> str:
    """``text`` as a message quotes it: resident ids masked, cut short after ``limit``."""
    if len(text) <= limit:
        return _mask_ids(text)
    # mask before cutting, so that no id is left whole up to the cut
    return _mask_ids(text[: limit + 17])[: limit - 3] + "…"


def _shown(value: object) -> Message:
    """A value as messages show it."""
    if isinstance(value, str):
        return t("「{shown}」", shown=_clip(value))
    if isinstance(value, bool):
        return t("布尔值{value}", value=str(value).upper())
    if isinstance(value, float | int):
        return t("数字{value}", value=_number_text(value))
    if isinstance(value, dt.datetime):
        return t("「{shown}」", shown=value.isoformat(sep=" ", timespec="seconds"))
    if isinstance(value, dt.date | dt.time):
        return t("「{shown}」", shown=value.isoformat())
    return given({"zh": type(value).__name__})


def _number_text(value: float | int) -> str:
    """A number as its shortest text: ``12``, ``12.5`` (never ``12.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _whole(value: object) -> int | None:
    """The whole number that a numeric cell holds, if it holds one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def cell_text(value: object) -> str:
    """What a non-text cell shows, as text: numbers at their shortest, dates as ISO 8601."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return str(value)


def _date(value: object, serial: SerialToDatetime) -> dt.date:
    if isinstance(value, str):
        match = _DATE_TEXT.fullmatch(value.translate(_FULL_WIDTH))
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                pass
        raise _not_a_date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isnan(value) or not 1 <= value <= LAST_SERIAL:
            raise CellError(
                t(
                    "{shown}不是有效的 Excel 日期（应写作 2020-05-01、2020/5/1 或 2020年5月1日）",
                    shown=_shown(value),
                )
            )
        value = serial(value)
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(t("{shown}带有时刻，应只填日期", shown=_shown(value)))
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise _not_a_date(value)


def _not_a_date(value: object) -> CellError:
    return CellError(
        t(
            "{shown}不是有效日期（应写作 2020-05-01、2020/5/1 或 2020年5月1日）",
            shown=_shown(value),
        )
    )


def _time(value: object) -> dt.time:

    def problem() -> CellError:
        return CellError(t("{shown}不是有效时间（应写作 HH:MM，如 09:30）", shown=_shown(value)))

    if isinstance(value, str):
        match = _TIME_TEXT.fullmatch(value.translate(_FULL_WIDTH))
        if match is None:
            raise problem()
        hour, minute, second = (int(x) if x else 0 for x in match.groups())
        try:
            return dt.time(hour, minute, second)
        except ValueError:
            raise problem() from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # a fraction of a day, as Excel keeps times
        if not 0 <= value < 1:
            raise problem()
        seconds = round(value * 86400)
        if seconds >= 86400:
            raise problem()
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if isinstance(value, dt.datetime):
        # a time typed into a date cell: Excel's day 0 (1899-12-30 or -31, or 1904-01-01)
        if value.date() not in (dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1904, 1, 1)):
            raise problem()
        value = value.time()
    if isinstance(value, dt.time):
        if value.microsecond:  # Excel keeps times as fractions of a day: to the nearest second
            seconds = round(
                value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
            )
            if seconds >= 86400:
                raise problem()
            value = dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
        return value.replace(tzinfo=None)
    raise problem()


def _month(value: object) -> str:

    def problem() -> CellError:
        return CellError(
            t("{shown}不是有效月份（应写作 2020-05 或 2020年5月）", shown=_shown(value))
        )

    if isinstance(value, str):
        match = _MONTH_TEXT.fullmatch(value.translate(_FULL_WIDTH))
        if match is None:
            raise problem()
        year, month = int(match[1]), int(match[2])
    elif isinstance(value, dt.datetime | dt.date):
        # Excel turns 2020-05 typed into a general cell into the date 2020-05-01
        day = value.date() if isinstance(value, dt.datetime) else value
        if day.day != 1 or (isinstance(value, dt.datetime) and value.time() != dt.time(0)):
            raise problem()
        year, month = day.year, day.month
    else:
        raise problem()
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        raise problem()
    return f"{year:04d}-{month:02d}"


def _int(value: object, *, minimum: int | None = None) -> int:
    number: int | None
    if isinstance(value, str):
        digits = value.translate(_FULL_WIDTH)
        number = int(digits) if _INT_TEXT.fullmatch(digits) else None
    else:
        number = _whole(value)
    if number is None:
        raise CellError(t("应为整数，实为{shown}", shown=_shown(value)))
    if minimum is not None and number < minimum:
        raise CellError(t("应为不小于{minimum}的整数", minimum=minimum))
    return number


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
    raise CellError(t("应为「是」或「否」，实为{shown}", shown=_shown(value)))


def _id(value: object) -> str:
    """An id: text, or the digits of a whole number (Excel users type ids as numbers)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _whole(value)
        if number is None:
            raise CellError(t("编号应为文本或整数，实为{shown}", shown=_shown(value)))
        if abs(number) >= 10**15:
            raise CellError(
                t(
                    "{shown}位数太多，Excel 保存数字只有15位有效数字，请以文本填写",
                    shown=_shown(value),
                )
            )
        return str(number)
    if isinstance(value, dt.date | dt.time):
        return cell_text(value)
    raise CellError(t("编号应为文本，实为{shown}", shown=_shown(value)))


def _text(value: object) -> Any:
    """Text; a number or a date that Excel made of what was typed is read as what it shows."""
    if isinstance(value, bool):
        return value  # the converter says that text was expected
    return cell_text(value)


def _decimal_text(value: str) -> str:
    """The text of a decimal, for the converter to read exactly: digits 0-9 (full-width ones
    read as such), a point, a sign and an exponent, nothing else (no ``4_5``, no ``٤٥``)."""
    digits = value.translate(_FULL_WIDTH)
    if _DECIMAL_TEXT.fullmatch(digits):
        return digits
    if "_" in digits or any(ch.isdigit() and not ch.isascii() for ch in digits):
        raise CellError(
            t("应为数字，实为{shown}（数字只能用 0-9，不能有下划线）", shown=_shown(value))
        )
    raise CellError(t("应为数字，实为{shown}", shown=_shown(value)))


def read_cell(column: Column, value: object, serial: SerialToDatetime) -> Any:
    """The value of a cell as a ledger file would hold it, for ``column``'s field.

    ``value`` is not blank: ``None`` and blank text in any column but a ``note`` column are
    handled by the caller. Text comes stripped of blanks around it, except in ``note`` columns.
    What only the converter can judge (an enumeration's label, a decimal's text, the length of
    a resident id) is handed on as it is; the converter reports it.

    Raises:
        CellError: the cell cannot be what the column holds.
    """
    kind = column.kind
    if kind in ("text", "note"):
        return _text(value)
    if kind == "id":
        return _id(value)
    if kind in ("ids", "texts", "enums"):
        if isinstance(value, str):
            return read_list(value)  # an enumeration's labels or codes, in the converter
        if kind == "ids":
            return [_id(value)]
        return [_text(value)]
    if kind == "date":
        return _date(value, serial)
    if kind == "time":
        return _time(value)
    if kind == "month":
        return _month(value)
    if kind == "int":
        return _int(value)
    if kind == "index":
        return _int(value, minimum=1)
    if kind == "bool":
        return _bool(value)
    if kind == "decimal":
        if isinstance(value, str):
            return _decimal_text(value)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return value  # a number by its shortest text, in the converter
        raise CellError(t("应为数字，实为{shown}", shown=_shown(value)))
    if kind == "resident_id":
        if isinstance(value, int | float) and not isinstance(value, bool):
            # never repeat the number: it may be a whole resident id
            raise CellError(
                t("身份证号应以文本填写（把单元格设为文本格式）：Excel 的数字只有15位有效数字")
            )
        return value
    return value  # enum: by label or code, in the converter
