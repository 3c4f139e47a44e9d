"""Numbers, days and money written the way a Chinese work summary writes them, with babel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import format_decimal

from dangjian.periods import Period

__all__ = ["day", "days", "number", "span", "stretch", "wan_yuan"]

_LOCALE = "zh_CN"
# Up to six decimals: a sum in 元 to the 分 is exact in 万元; trailing zeros are dropped.
_EXACT = "#,##0.######"
_WAN = Decimal(10000)


def number(value: int | Decimal) -> str:
    """A count or a quantity: ``60``, ``2.5``, ``1,200``."""
    return format_decimal(value, format=_EXACT, locale=_LOCALE)


def wan_yuan(yuan: Decimal) -> str:
    """A sum in 元 shown in 万元 with the precision it has: ``80万元``, ``12.5万元``."""
    return f"{number(yuan / _WAN)}万元"


def day(value: dt.date, year: int | None = None) -> str:
    """A day as ``6月30日``, or ``2019年7月1日`` when its year is not ``year``."""
    skeleton = "MMMd" if value.year == year else "yMMMd"
    return format_skeleton(skeleton, value, locale=_LOCALE)


def days(values: tuple[dt.date, ...], year: int | None = None) -> str:
    """Several days: ``1月9日``, ``3月20日、4月17日``."""
    return "、".join(day(v, year) for v in values)


def stretch(start: dt.date, end: dt.date, year: int | None = None) -> str:
    """From one day to another: ``2020年1月1日至6月30日``."""
    first = day(start, year)
    last = day(end, start.year if year is None else year)
    if year is None and end.year != start.year:
        last = day(end)
    return f"{first}至{last}"


def span(period: Period) -> str:
    """How the draft names its own period within its year: ``上半年``, ``第二季度``, ``全年``."""
    label = period.label()
    prefix = f"{period.year}年"
    rest = label[len(prefix) :] if label.startswith(prefix) else label
    return rest or "全年"
