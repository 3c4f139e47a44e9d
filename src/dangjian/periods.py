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

The period of a month is a :class:`Month` (the type of the months that dues are paid for), however
it is made:

>>> Period.parse("2020-05"), Period.containing(datetime.date(2020, 5, 9), PeriodUnit.MONTH)
(Month(year=2020, month=5), Month(year=2020, month=5))
>>> Period.parse("2020-05") == Month(2020, 5) == Period(PeriodUnit.MONTH, 2020, 5)
True
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

__all__ = ["Month", "Period", "PeriodError", "PeriodUnit", "parse_date"]


class PeriodError(DangjianError, ValueError):
    """A period could not be parsed or built."""


_DATE = re.compile(
    r"\s*(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)\s*",
    re.ASCII,
)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－／．　", "0123456789-/. ")
"""Full-width digits, separators and space (as a Chinese input method types them) → ASCII."""


def parse_date(text: str) -> datetime.date:
    """The day ``text`` names, written year first: ``2020-07-15``, ``2020/07/15``,
    ``2020.07.15`` or ``2020年7月15日``, with or without zero padding (the same separator
    throughout); digits and separators may be full-width, as a Chinese input method types them
    (``２０２０年７月１５日``, ``２０２０／０７／１５``). A form where the day and the month could be read either way (``07/15/2020``)
    is refused rather than guessed.

    >>> parse_date("2020-07-15"), parse_date("2020/7/5"), parse_date("2020.07.15")
    (datetime.date(2020, 7, 15), datetime.date(2020, 7, 5), datetime.date(2020, 7, 15))
    >>> parse_date("2020年7月15日") == parse_date("2020年07月15日") == datetime.date(2020, 7, 15)
    True
    >>> parse_date("２０２０年７月１５日"), parse_date("２０２０－０７－１５")
    (datetime.date(2020, 7, 15), datetime.date(2020, 7, 15))
    >>> parse_date("07/15/2020")
    Traceback (most recent call last):
    ...
    dangjian.periods.PeriodError: 07/15/2020 不是可识别的日期 (07/15/2020 is not a date that can be read)
    >>> parse_date("2020-02-30")
    Traceback (most recent call last):
    ...
    dangjian.periods.PeriodError: 2020-02-30 不是有效的日期 (2020-02-30 is not a valid date)
    >>> parse_date("2020-07/15")
    Traceback (most recent call last):
    ...
    dangjian.periods.PeriodError: 2020-07/15 不是可识别的日期 (2020-07/15 is not a date that can be read)

    Raises:
        PeriodError: ``text`` is not written in one of these forms, or names no day of the
            calendar (``2020-02-30``).
    """
    found = _DATE.fullmatch(text.translate(_FULL_WIDTH))
    if found is None:
        raise PeriodError(t("{text} 不是可识别的日期", text=text))
    year, _, month, day, cn_month, cn_day = found.groups()
    try:
        return datetime.date(int(year), int(month or cn_month), int(day or cn_day))
    except ValueError:
        raise PeriodError(t("{text} 不是有效的日期", text=text)) from None


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


# The last year of a period: 9998, so that every week of it ends in a year ``datetime`` knows;
# a month may be of 9999 (the last month ends on 9999-12-31).
_LAST_YEAR = 9998


def _check(instance: Period, attribute: attrs.Attribute[int], value: int) -> None:
    unit = instance.unit
    last_year = _LAST_YEAR + 1 if unit is PeriodUnit.MONTH else _LAST_YEAR
    if not 1 <= instance.year <= last_year:
        raise PeriodError(t("年份 {year} 超出范围", year=instance.year))
    if unit is PeriodUnit.WEEK:
        last = datetime.date(instance.year, 12, 28).isocalendar().week
        if not 1 <= value <= last:
            raise PeriodError(
                t(
                    "{year} 年的 ISO 周为第 1 至 {last} 周，没有第 {value} 周",
                    year=instance.year,
                    last=last,
                    value=value,
                )
            )
    elif not 1 <= value <= _PER_YEAR[unit]:
        raise PeriodError(
            t(
                "一年有 {count} 个{unit}，没有第 {value} 个",
                count=_PER_YEAR[unit],
                unit=unit.label,
                name=unit.value,
                value=value,
            )
        )


def _make(unit: PeriodUnit, year: int, index: int) -> Period:
    """The period of ``unit``: a :class:`Month` for a month."""
    if unit is PeriodUnit.MONTH:
        return Month(year, index)
    return Period(unit, year, index)


@attrs.frozen(eq=False, order=False)
class Period:
    """A week (ISO 8601), a month, a quarter, a half year or a year.

    Periods are equal when they are the same period: the period of a month, however it was made,
    equals the :class:`Month` (and :meth:`parse`, :meth:`containing`, :meth:`next`,
    :meth:`previous` and :meth:`subperiods` give months as :class:`Month`).

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
                year, index = int(match[1]), int(match[2]) if unit is not PeriodUnit.YEAR else 1
                if year > _LAST_YEAR:
                    raise PeriodError(t("年份 {year} 超出范围", year=year))
                return _make(unit, year, index)
        raise PeriodError(
            t(
                "无法识别的期间「{text}」，可用的写法：2020、2020H1、2020Q2、2020-05、2020-W14",
                text=text,
            )
        )

    @classmethod
    def year_of(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return Period(PeriodUnit.YEAR, year)

    @classmethod
    def containing(cls, day: datetime.date, unit: PeriodUnit) -> Period:
        """The period of ``unit`` that contains ``day``."""
        if unit is PeriodUnit.WEEK:
            iso = day.isocalendar()
            return Period(unit, iso.year, iso.week)
        return _make(unit, day.year, (day.month - 1) // _MONTHS[unit] + 1)

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
            return _make(self.unit, self.year + 1, 1)
        return _make(self.unit, self.year, self.index + 1)

    def previous(self) -> Period:
        """The period of the same unit that comes before this one."""
        if self.start == datetime.date.min:
            raise PeriodError(t("{period} 之前没有期间", period=str(self)))
        return Period.containing(self.start - datetime.timedelta(days=1), self.unit)

    def subperiods(self, unit: PeriodUnit) -> list[Period]:
        """The periods of ``unit`` that tile this one, in order.

        Weeks do not tile months or years; asking for weeks gives every ISO week whose Monday
        lies in this period.

        Raises:
            PeriodError: ``unit`` is longer than this period's unit.
        """
        if unit.rank > self.unit.rank:
            raise PeriodError(
                t(
                    "{unit}不能再分成{part}",
                    unit=self.unit.label,
                    part=unit.label,
                    name=self.unit.value,
                    part_name=unit.value,
                )
            )
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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.index == other.index and self.year == other.year and self.unit is other.unit

    def __hash__(self) -> int:
        # not the unit: an enum member hashes slowly, and periods of one year and index but of
        # different units are rarely kept together
        return hash((self.year, self.index))

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


class Month(Period):
    """A calendar month, the unit that dues are paid for: the :class:`Period` of a month.

    Written ``YYYY-MM`` in files; ordered in time like every period.

    >>> m = Month.parse("2020-05")
    >>> m, str(m), m.next(), m.first_day
    (Month(year=2020, month=5), '2020-05', Month(year=2020, month=6), datetime.date(2020, 5, 1))
    >>> m.unit, m.index, m.label(), m.last_day
    (<PeriodUnit.MONTH: 'month'>, 5, '2020年5月', datetime.date(2020, 5, 31))

    Attributes:
        month: The month of the year, 1–12 (the period's :attr:`~Period.index`).
    """

    __slots__ = ()

    def __init__(self, year: int, month: int) -> None:
        """The month ``month`` (1–12) of ``year`` (1–9999).

        Raises:
            PeriodError: there is no such month.
        """
        super().__init__(PeriodUnit.MONTH, year, month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month written as ``YYYY-MM``.

        Raises:
            PeriodError: ``text`` is not of that form or not a real month (a ``ValueError``).
        """
        match = _MONTH.fullmatch(text)
        if match is None:
            raise PeriodError(t("「{text}」不是 YYYY-MM 形式的月份", text=text))
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        """The month that ``day`` falls in."""
        return cls(day.year, day.month)

    @property
    def month(self) -> int:
        """The month of the year, 1–12."""
        return self.index

    @property
    def first_day(self) -> datetime.date:
        """The first day of the month."""
        return self.start

    @property
    def last_day(self) -> datetime.date:
        """The last day of the month."""
        return self.end

    def next(self) -> Month:
        """The month after this one."""
        if self.index == 12:
            return Month(self.year + 1, 1)
        return Month(self.year, self.index + 1)

    def previous(self) -> Month:
        """The month before this one."""
        before = super().previous()
        assert isinstance(before, Month)
        return before

    def __repr__(self) -> str:
        return f"Month(year={self.year}, month={self.index})"


_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


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
