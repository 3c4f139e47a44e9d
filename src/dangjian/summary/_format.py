"""Numbers, days and money written the way a work summary writes them, with babel.

Chinese (the default) writes ``6月30日`` and ``80万元``; another language writes days and
numbers with the babel locale its catalog names (the entry ``babel locale``; English:
``Jun 30``).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from dangjian.i18n import SOURCE_LANGUAGE, Language, t, tp
from dangjian.periods import Period

__all__ = ["day", "days", "number", "span", "stretch", "wan_yuan", "yuan"]

# Up to six decimals: a sum in 元 to the 分 is exact in 万元; trailing zeros are dropped.
_EXACT = "#,##0.######"
_WAN = Decimal(10000)


def _locale(lang: Language) -> Locale:
    """The babel locale that writes numbers and days in ``lang``: the catalog's ``babel
    locale`` entry, as for periods (English when babel does not know it)."""
    return _parse(tp("babel locale", "zh_CN").render(lang))


@functools.cache
def _parse(name: str) -> Locale:
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def number(value: int | Decimal, lang: Language = SOURCE_LANGUAGE) -> str:
    """A count or a quantity: ``60``, ``2.5``, ``1,200``."""
    return format_decimal(value, format=_EXACT, locale=_locale(lang))


def yuan(value: Decimal, lang: Language = SOURCE_LANGUAGE) -> str:
    """A sum of money in 元 to the 分: ``1,234.50``."""
    return format_decimal(value, format="#,##0.00", locale=_locale(lang))


def wan_yuan(yuan: Decimal, lang: Language = SOURCE_LANGUAGE) -> str:
    """A sum in 元 shown in 万元 with the precision it has: ``80万元``, ``12.5万元``."""
    return t("{n}万元", n=number(yuan / _WAN, lang)).render(lang)


def day(value: dt.date, year: int | None = None, lang: Language = SOURCE_LANGUAGE) -> str:
    """A day as ``6月30日``, or ``2019年7月1日`` when its year is not ``year``."""
    skeleton = "MMMd" if value.year == year else "yMMMd"
    return format_skeleton(skeleton, value, locale=_locale(lang))


def days(
    values: tuple[dt.date, ...], year: int | None = None, lang: Language = SOURCE_LANGUAGE
) -> str:
    """Several days: ``1月9日``, ``3月20日、4月17日``."""
    return t("、").render(lang).join(day(v, year, lang) for v in values)


def stretch(
    start: dt.date, end: dt.date, year: int | None = None, lang: Language = SOURCE_LANGUAGE
) -> str:
    """From one day to another: ``2020年1月1日至6月30日``."""
    first = day(start, year, lang)
    last = day(end, start.year if year is None else year, lang)
    if year is None and end.year != start.year:
        last = day(end, lang=lang)
    return t("{first}至{last}", first=first, last=last).render(lang)


def span(period: Period, lang: Language = SOURCE_LANGUAGE) -> str:
    """How the draft names its own period within its year: ``上半年``, ``第二季度``, ``全年``."""
    label = period.label(lang)
    prefix = t("{year}年", year=period.year).render(lang)
    rest = label[len(prefix) :] if label.startswith(prefix) else label
    return rest or t("全年").render(lang)
