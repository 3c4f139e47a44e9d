"""The working-day calendar: State Council holidays, swapped working days (调休), coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.calendar import CalendarError, WorkingCalendar
from tests.builders import examples

D = dt.date
ONE = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# -- 2020, from the State Council notices -------------------------------------------------------


def test_spring_festival_2020_and_its_epidemic_extension(cal: WorkingCalendar) -> None:
    # 国办发明电〔2019〕16号: 24–30 January off, Sunday 19 January and Saturday 1 February worked;
    # 国办发明电〔2020〕1号 extended the holiday to 2 February for the epidemic, so 1 February,
    # first a swapped working day, became a day off too.
    sunday = D(2020, 1, 19)
    assert sunday.isoweekday() == 7
    assert cal.is_working_day(sunday)
    assert not cal.is_working_day(D(2020, 1, 18))  # the Saturday before stays off
    for day in days(D(2020, 1, 24), D(2020, 2, 2)):
        assert not cal.is_working_day(day), day
    assert not cal.is_working_day(D(2020, 2, 1))
    assert cal.is_working_day(D(2020, 1, 23))
    assert cal.is_working_day(D(2020, 2, 3))


def test_national_day_2020(cal: WorkingCalendar) -> None:
    for day in days(D(2020, 10, 1), D(2020, 10, 8)):
        assert not cal.is_working_day(day), day
    # Sunday 27 September and Saturday 10 October were worked
    assert D(2020, 9, 27).isoweekday() == 7
    assert D(2020, 10, 10).isoweekday() == 6
    assert cal.is_working_day(D(2020, 9, 27))
    assert cal.is_working_day(D(2020, 10, 10))
    assert not cal.is_working_day(D(2020, 10, 11))
    assert cal.is_working_day(D(2020, 9, 30))
    assert cal.is_working_day(D(2020, 10, 9))


def test_holidays_are_named(cal: WorkingCalendar) -> None:
    assert cal.is_holiday(D(2020, 10, 1))
    assert cal.holiday_name(D(2020, 10, 1))
    assert not cal.is_holiday(D(2020, 10, 9))
    assert cal.holiday_name(D(2020, 10, 9)) is None
    # an ordinary weekend is neither a holiday nor a working day
    assert not cal.is_holiday(D(2020, 3, 7))
    assert not cal.is_working_day(D(2020, 3, 7))


def test_ordinary_weeks(cal: WorkingCalendar) -> None:
    week = days(D(2020, 3, 2), D(2020, 3, 8))  # no holiday in it
    assert [cal.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


# -- adding and counting working days ---------------------------------------------------------------


def test_add_working_days_across_national_day(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(D(2020, 9, 30), 1) == D(2020, 10, 9)
    assert cal.add_working_days(D(2020, 9, 30), 2) == D(2020, 10, 10)  # the swapped Saturday
    assert cal.add_working_days(D(2020, 9, 30), 3) == D(2020, 10, 12)
    assert cal.add_working_days(D(2020, 9, 26), 1) == D(2020, 9, 27)  # the swapped Sunday
    assert cal.add_working_days(D(2020, 10, 3), 1) == D(2020, 10, 9)  # from inside the holiday


def test_add_working_days_backwards(cal: WorkingCalendar) -> None:
    assert cal.add_working_days(D(2020, 10, 9), -1) == D(2020, 9, 30)
    assert cal.add_working_days(D(2020, 10, 12), -3) == D(2020, 9, 30)
    assert cal.add_working_days(D(2020, 2, 3), -1) == D(2020, 1, 23)


def test_add_zero_working_days_is_the_day_itself(cal: WorkingCalendar) -> None:
    for day in (D(2020, 10, 1), D(2020, 10, 9), D(2020, 3, 7)):
        assert cal.add_working_days(day, 0) == day


def test_working_days_between_includes_both_ends(cal: WorkingCalendar) -> None:
    assert cal.working_days_between(D(2020, 10, 9), D(2020, 10, 9)) == 1
    assert cal.working_days_between(D(2020, 10, 1), D(2020, 10, 1)) == 0
    assert cal.working_days_between(D(2020, 10, 1), D(2020, 10, 8)) == 0
    assert cal.working_days_between(D(2020, 9, 30), D(2020, 10, 9)) == 2
    assert cal.working_days_between(D(2020, 9, 27), D(2020, 10, 10)) == 6
    assert cal.working_days_between(D(2020, 3, 2), D(2020, 3, 8)) == 5


def test_working_days_between_a_reversed_range_is_zero(cal: WorkingCalendar) -> None:
    assert cal.working_days_between(D(2020, 10, 10), D(2020, 10, 9)) == 0
    assert cal.working_days_between(D(2020, 12, 31), D(2020, 1, 1)) == 0


def test_working_days_in_2020_add_up(cal: WorkingCalendar) -> None:
    year = days(D(2020, 1, 1), D(2020, 12, 31))
    expected = sum(cal.is_working_day(d) for d in year)
    assert cal.working_days_between(D(2020, 1, 1), D(2020, 12, 31)) == expected
    # 262 weekdays, 6 swapped weekend days worked, weekday holidays off: the official count
    # for 2020 is 249 (the epidemic extension included).
    assert expected == 249


# -- coverage -----------------------------------------------------------------------------


@pytest.mark.parametrize("day", [D(2099, 6, 1), D(1990, 10, 1), D(2099, 1, 1)])
def test_a_year_not_covered_is_an_error_not_a_guess(cal: WorkingCalendar, day: dt.date) -> None:
    assert day.year not in cal.covered_years
    with pytest.raises(CalendarError, match=str(day.year)) as info:
        cal.is_working_day(day)
    message = str(info.value)
    assert "does not cover" in message
    assert "工作日历" in message
    with pytest.raises(CalendarError):
        cal.is_holiday(day)
    with pytest.raises(CalendarError):
        cal.holiday_name(day)
    with pytest.raises(CalendarError):
        cal.working_days_between(day, day + dt.timedelta(days=10))
    with pytest.raises(CalendarError):
        cal.add_working_days(day, 1)
    with pytest.raises(CalendarError):
        cal.add_working_days(day, -1)


def test_counting_into_an_uncovered_year_is_an_error(cal: WorkingCalendar) -> None:
    last = max(cal.covered_years)
    assert last + 1 not in cal.covered_years
    with pytest.raises(CalendarError, match=str(last + 1)):
        cal.add_working_days(D(last, 12, 20), 30)
    with pytest.raises(CalendarError):
        cal.working_days_between(D(last, 12, 1), D(last + 1, 1, 10))


def test_calendar_error_is_a_value_error() -> None:
    assert issubclass(CalendarError, ValueError)


def test_covered_years_include_the_years_of_the_ledgers() -> None:
    covered = WorkingCalendar().covered_years
    assert set(range(2014, 2024)) <= covered
    assert 2099 not in covered
    assert 1990 not in covered


def test_years_override_coverage() -> None:
    narrow = WorkingCalendar(years=range(2020, 2021))
    assert narrow.covered_years == frozenset({2020})
    assert narrow.is_working_day(D(2020, 1, 19))
    with pytest.raises(CalendarError, match="2021"):
        narrow.is_working_day(D(2021, 1, 4))
    # the caller vouches for 2099: weekdays that are not fixed holidays are working days
    vouched = WorkingCalendar(years={2099})
    assert vouched.is_working_day(D(2099, 6, 2))  # a Tuesday
    assert not vouched.is_working_day(D(2099, 6, 6))  # a Saturday
    assert not vouched.is_working_day(D(2099, 10, 1))  # National Day
    empty = WorkingCalendar(years=set())
    with pytest.raises(CalendarError):
        empty.is_working_day(D(2020, 1, 2))


# -- properties ------------------------------------------------------------------------------

COVERED = st.dates(min_value=D(2002, 1, 1), max_value=D(2025, 6, 30))


@settings(max_examples=examples(60), deadline=None)
@given(COVERED, st.integers(1, 80))
def test_adding_lands_on_a_working_day_and_counts_back(day: dt.date, n: int) -> None:
    cal = WorkingCalendar()
    result = cal.add_working_days(day, n)
    assert result > day
    assert cal.is_working_day(result)
    assert cal.working_days_between(day + ONE, result) == n
    # the day before the result is still short by one
    assert cal.working_days_between(day + ONE, result - ONE) == n - 1


@settings(max_examples=examples(60), deadline=None)
@given(COVERED, st.integers(1, 80))
def test_subtracting_lands_on_a_working_day_and_counts_forward(day: dt.date, n: int) -> None:
    cal = WorkingCalendar()
    day = day + dt.timedelta(days=200)
    result = cal.add_working_days(day, -n)
    assert result < day
    assert cal.is_working_day(result)
    assert cal.working_days_between(result, day - ONE) == n


@settings(max_examples=examples(40), deadline=None)
@given(COVERED, st.integers(0, 60), st.integers(0, 60))
def test_working_days_between_is_additive(day: dt.date, a: int, b: int) -> None:
    cal = WorkingCalendar()
    middle = day + dt.timedelta(days=a)
    end = middle + dt.timedelta(days=b)
    assert cal.working_days_between(day, end) == cal.working_days_between(
        day, middle
    ) + cal.working_days_between(middle + ONE, end)
