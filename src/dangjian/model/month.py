"""A calendar month, the unit that dues are paid for.

>>> m = Month.parse("2020-05")
>>> m, str(m), m.next(), m.first_day
(Month(year=2020, month=5), '2020-05', Month(year=2020, month=6), datetime.date(2020, 5, 1))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

from dangjian.i18n import t

__all__ = ["Month"]

_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})")


def _month(_: object, a: attrs.Attribute[int], value: int) -> None:
    from dangjian.model._validators import FieldError

    if not isinstance(value, int) or not 1 <= value <= 12:
        raise FieldError(a.name, t("月份应为1到12"))


def _year(_: object, a: attrs.Attribute[int], value: int) -> None:
    from dangjian.model._validators import FieldError

    if not isinstance(value, int) or not 1 <= value <= 9999:
        raise FieldError(a.name, t("年份应为1到9999"))


@attrs.frozen(order=True)
class Month:
    """A month of a year, ordered in time."""

    year: int = attrs.field(validator=_year)
    month: int = attrs.field(validator=_month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month written as ``YYYY-MM``.

        Raises:
            ValueError: ``text`` is not of that form or not a real month.
        """
        match = _PATTERN.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a month written as YYYY-MM")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month that ``day`` falls in."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        """The last day of the month."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def next(self) -> Month:
        """The month after this one."""
        if self.month == 12:
            return Month(self.year + 1, 1)
        return Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
