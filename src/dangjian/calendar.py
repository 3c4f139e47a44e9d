"""Working days in mainland China, with the swapped weekend working days (调休).

The calendar is the ``holidays`` package's China calendar, which keeps the State Council's
yearly holiday notices, swapped working days included, as data. A year whose notice that package
does not hold gives :class:`CalendarError` instead of a guess:

>>> cal = WorkingCalendar()
>>> cal.is_working_day(datetime.date(2020, 1, 19))   # a Sunday made a working day (调休)
True
>>> cal.is_working_day(datetime.date(2020, 1, 24))   # 除夕, a day off
False
>>> cal.add_working_days(datetime.date(2020, 9, 30), 1)   # past the National Day holiday
datetime.date(2020, 10, 9)
"""

from __future__ import annotations

import datetime
from functools import cached_property

import holidays

from dangjian.errors import DangjianError
from dangjian.i18n import t

__all__ = ["CalendarError", "WorkingCalendar"]

_ONE = datetime.timedelta(days=1)


class CalendarError(DangjianError, ValueError):
    """The working-day calendar does not cover a year that was asked about."""


class WorkingCalendar:
    """Mainland China's working days: weekdays that are not holidays, plus swapped weekend days.

    Args:
        years: The years the caller vouches for. By default, the years for which the
            ``holidays`` package holds a State Council notice (those with swapped working days);
            other years raise :class:`CalendarError`, since their fixed holidays alone would
            give wrong answers.
    """

    def __init__(self, years: range | set[int] | None = None) -> None:
        self._years = set(years) if years is not None else None

    @cached_property
    def _calendar(self) -> holidays.HolidayBase:
        bounds = holidays.country_holidays("CN")
        return holidays.country_holidays("CN", years=range(bounds.start_year, bounds.end_year + 1))

    @cached_property
    def covered_years(self) -> frozenset[int]:
        """The years this calendar answers for."""
        if self._years is not None:
            return frozenset(self._years)
        return frozenset(day.year for day in self._calendar.weekend_workdays)

    def _require(self, day: datetime.date) -> None:
        if day.year not in self.covered_years:
            span = (
                f"{min(self.covered_years)}–{max(self.covered_years)}"
                if self.covered_years
                else "无"
            )
            raise CalendarError(
                t(
                    "工作日历不包含{year}年（国务院放假安排未收录；已收录：{span}）",
                    year=day.year,
                    span=span,
                )
            )

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` is a working day (调休 included).

        Raises:
            CalendarError: ``day`` falls in a year the calendar does not cover.
        """
        self._require(day)
        cal = self._calendar
        if day in cal.weekend_workdays:
            return True
        return day.weekday() < 5 and day not in cal

    def is_holiday(self, day: datetime.date) -> bool:
        """Whether ``day`` is a public holiday or a day off swapped into the holiday."""
        self._require(day)
        return day in self._calendar

    def holiday_name(self, day: datetime.date) -> str | None:
        """The name of the holiday on ``day``, if it is one."""
        self._require(day)
        name: str | None = self._calendar.get(day)
        return name

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The day that is ``n`` working days after ``day`` (before it, for negative ``n``).

        ``day`` itself does not count; with ``n == 0`` the answer is ``day``.
        """
        step = _ONE if n >= 0 else -_ONE
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days lie from ``start`` to ``end``, both included."""
        if end < start:
            return 0
        count = 0
        current = start
        while current <= end:
            count += self.is_working_day(current)
            current += _ONE
        return count
