"""Periods users speak of: a week, a month, a quarter, a half year, a year.

A :class:`Period` is a small immutable value. It parses the forms people write and formats
itself in Chinese with babel:

>>> p = Period.parse("2020H1")
>>> p.start, p.end
(datetime.date(2020, 1, 1), datetime.date(2020, 6, 30))
>>> p.label()
'2020年上半年'
>>> [q.label() for q in p.subperiods(PeriodUnit.QUARTER)]
['2020年第一季度', '2020年第二季度']
>>> Period.parse("2020-05").label(), Period.parse("2020-05").label("en")
('2020年5月', 'May 2020')
>>> datetime.date(2020, 3, 31) in Period.parse("2020Q1")
True
>>> str(Period.parse("2020-W14")), Period.parse("2020-W14").start
('2020-W14', datetime.date(2020, 3, 30))
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Iterator
from functools import cached_property

import attrs
from babel.dates import format_date, format_skeleton

from dangjian.errors import DangjianError
from dangjian.i18n import t, tp

__all__ = ["Period", "PeriodError", "PeriodUnit"]


class PeriodError(DangjianError, ValueError):
    """A period could not be parsed or built."""


class PeriodUnit(enum.Enum):
    """The units of periods, from the shortest to the longest."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def rank(self) -> int:
        """The order of the unit from the shortest (0, a week) to the longest."""
        return _RANK[self]

    @property
    def label(self) -> str:
        """The Chinese name of the unit (周, 月, 季度, 半年, 年)."""
        return _UNIT_LABELS[self]


_RANK = {u: i for i, u in enumerate(PeriodUnit)}
_UNIT_LABELS = {
    PeriodUnit.WEEK: "周",
    PeriodUnit.MONTH: "月",
    PeriodUnit.QUARTER: "季度",
    PeriodUnit.HALF: "半年",
    PeriodUnit.YEAR: "年",
}
# How many of each calendar unit a year holds, and how many months one spans.
_PER_YEAR = {PeriodUnit.MONTH: 12, PeriodUnit.QUARTER: 4, PeriodUnit.HALF: 2, PeriodUnit.YEAR: 1}
_MONTHS = {PeriodUnit.MONTH: 1, PeriodUnit.QUARTER: 3, PeriodUnit.HALF: 6, PeriodUnit.YEAR: 12}

_FORMS: tuple[tuple[re.Pattern[str], PeriodUnit], ...] = (
    (re.compile(r"(\d{4})", re.ASCII), PeriodUnit.YEAR),
    (re.compile(r"(\d{4})[Hh]([12])", re.ASCII), PeriodUnit.HALF),
    (re.compile(r"(\d{4})[Qq]([1-4])", re.ASCII), PeriodUnit.QUARTER),
    (re.compile(r"(\d{4})-(\d{2})", re.ASCII), PeriodUnit.MONTH),
    (re.compile(r"(\d{4})-W(\d{2})", re.ASCII), PeriodUnit.WEEK),
)


def _check(instance: Period, attribute: attrs.Attribute[int], value: int) -> None:
    unit = instance.unit
    if not 1 <= instance.year <= 9998:
        raise PeriodError(f"year {instance.year} is out of range")
    if unit is PeriodUnit.WEEK:
        last = datetime.date(instance.year, 12, 28).isocalendar().week
        if not 1 <= value <= last:
            raise PeriodError(f"{instance.year} has ISO weeks 1 to {last}, not {value}")
    elif not 1 <= value <= _PER_YEAR[unit]:
        raise PeriodError(f"a year has {_PER_YEAR[unit]} {unit.value}s, not {value}")


@attrs.frozen(order=False)
class Period:
    """A week (ISO 8601), a month, a quarter, a half year or a year.

    Attributes:
        unit: The length of the period.
        year: The year (for a week, the ISO year the week belongs to).
        index: Which period of the year: the ISO week number, month, quarter (1–4), half (1–2),
            or 1 for the year itself.
    """

    unit: PeriodUnit
    year: int
    index: int = attrs.field(default=1, validator=_check)

    # -- building ------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period written as ``2020``, ``2020H1``, ``2020Q2``, ``2020-05`` or ``2020-W14``.

        Raises:
            PeriodError: ``text`` is none of those forms, or names a period that does not exist.
        """
        for pattern, unit in _FORMS:
            match = pattern.fullmatch(text.strip())
            if match:
                index = int(match[2]) if unit is not PeriodUnit.YEAR else 1
                return cls(unit, int(match[1]), index)
        raise PeriodError(
            f"无法识别的期间「{text}」，可用的写法：2020、2020H1、2020Q2、2020-05、2020-W14 "
            f"(unknown period {text!r})"
        )

    @classmethod
    def year_of(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(PeriodUnit.YEAR, year)

    @classmethod
    def containing(cls, day: datetime.date, unit: PeriodUnit) -> Period:
        """The period of ``unit`` that contains ``day``."""
        if unit is PeriodUnit.WEEK:
            iso = day.isocalendar()
            return cls(unit, iso.year, iso.week)
        return cls(unit, day.year, (day.month - 1) // _MONTHS[unit] + 1)

    # -- bounds --------------------------------------------------------------------------

    @cached_property
    def start(self) -> datetime.date:
        """The first day of the period."""
        if self.unit is PeriodUnit.WEEK:
            return datetime.date.fromisocalendar(self.year, self.index, 1)
        return datetime.date(self.year, (self.index - 1) * _MONTHS[self.unit] + 1, 1)

    @cached_property
    def end(self) -> datetime.date:
        """The last day of the period (inclusive)."""
        if self.unit is PeriodUnit.WEEK:
            return self.start + datetime.timedelta(days=6)
        last_month = self.index * _MONTHS[self.unit]
        if last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Period):
            return self.start <= item.start and item.end <= self.end
        if isinstance(item, datetime.datetime):
            item = item.date()
        if isinstance(item, datetime.date):
            return self.start <= item <= self.end
        return False

    def contains(self, item: datetime.date | Period) -> bool:
        """Whether a day, or a whole period, lies within this period."""
        return item in self

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        """Whether the span from ``start`` to ``end`` (open-ended if ``None``) meets this period."""
        return start <= self.end and (end is None or end >= self.start)

    # -- moving --------------------------------------------------------------------------

    def next(self) -> Period:
        """The period of the same unit that follows this one."""
        if self.unit is PeriodUnit.WEEK:
            following = self.start + datetime.timedelta(days=7)
            return Period.containing(following, PeriodUnit.WEEK)
        if self.index == _PER_YEAR[self.unit]:
            return Period(self.unit, self.year + 1, 1)
        return Period(self.unit, self.year, self.index + 1)

    def previous(self) -> Period:
        """The period of the same unit that comes before this one."""
        if self.start == datetime.date.min:
            raise PeriodError(f"no period comes before {self}")
        return Period.containing(self.start - datetime.timedelta(days=1), self.unit)

    def subperiods(self, unit: PeriodUnit) -> list[Period]:
        """The periods of ``unit`` that tile this one, in order.

        Weeks do not tile months or years; asking for weeks gives every ISO week whose Monday
        lies in this period.

        Raises:
            PeriodError: ``unit`` is longer than this period's unit.
        """
        if unit.rank > self.unit.rank:
            raise PeriodError(f"a {self.unit.value} has no {unit.value}s")
        result: list[Period] = []
        if unit is PeriodUnit.WEEK:
            monday = self.start + datetime.timedelta(days=(7 - self.start.weekday()) % 7)
            if self.unit is PeriodUnit.WEEK:
                return [self]
            while monday <= self.end:
                result.append(Period.containing(monday, unit))
                monday += datetime.timedelta(days=7)
            return result
        current = Period.containing(self.start, unit)
        while current.start <= self.end:
            result.append(current)
            current = current.next()
        return result

    def __iter__(self) -> Iterator[datetime.date]:
        """The days of the period, in order."""
        day = self.start
        one = datetime.timedelta(days=1)
        while day <= self.end:
            yield day
            day += one

    def __lt__(self, other: Period) -> bool:
        return (self.start, self.end) < (other.start, other.end)

    def __le__(self, other: Period) -> bool:
        return (self.start, self.end) <= (other.start, other.end)

    def __gt__(self, other: Period) -> bool:
        return (self.start, self.end) > (other.start, other.end)

    def __ge__(self, other: Period) -> bool:
        return (self.start, self.end) >= (other.start, other.end)

    # -- text ----------------------------------------------------------------------------

    def __str__(self) -> str:
        match self.unit:
            case PeriodUnit.YEAR:
                return f"{self.year:04d}"
            case PeriodUnit.HALF:
                return f"{self.year:04d}H{self.index}"
            case PeriodUnit.QUARTER:
                return f"{self.year:04d}Q{self.index}"
            case PeriodUnit.MONTH:
                return f"{self.year:04d}-{self.index:02d}"
            case PeriodUnit.WEEK:
                return f"{self.year:04d}-W{self.index:02d}"

    def label(self, lang: str = "zh") -> str:
        """The period as people write it: ``2020年上半年``, ``2020年第二季度``, ``2020年5月``.

        Args:
            lang: the language (a catalog name, see :mod:`dangjian.i18n`); ``"zh"`` by default.
        """
        labels = self._labels
        text = labels.get(lang)
        if text is None:
            text = labels[lang] = _label(self, lang)
        return text

    @cached_property
    def _labels(self) -> dict[str, str]:
        """The labels made so far, by language: babel is slow enough for that to matter in
        large checks."""
        return {}


def _label(period: Period, lang: str) -> str:
    """The label of a period in ``lang``; the babel (CLDR) locale, date patterns and skeletons
    are catalog entries too, so a new catalog says how its language writes dates."""
    locale = tp("babel locale", "zh_CN").render(lang)
    match period.unit:
        case PeriodUnit.YEAR:
            return format_skeleton("y", period.start, locale=locale)
        case PeriodUnit.HALF:
            if period.index == 1:
                return t("{year}年上半年", year=period.year).render(lang)
            return t("{year}年下半年", year=period.year).render(lang)
        case PeriodUnit.QUARTER:
            pattern = tp("babel date pattern of a quarter", "y年QQQQ").render(lang)
            return format_date(period.start, pattern, locale=locale)
        case PeriodUnit.MONTH:
            skeleton = tp("babel date skeleton of a month", "yMMM").render(lang)
            return format_skeleton(skeleton, period.start, locale=locale)
        case PeriodUnit.WEEK:
            return t("{year}年第{index}周", year=period.year, index=period.index).render(lang)
