"""One month type: :class:`dangjian.Month` is the :class:`~dangjian.Period` of a month.

However a month is made (``Month(2020, 3)``, ``Month.parse``, ``Period.parse``,
``Period.containing``, moving from a neighbour, tiling a longer period), it is the same value, of
the same type, written ``YYYY-MM`` and read back unchanged.
"""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dangjian
from dangjian import Month, Period, PeriodError, PeriodUnit

D = dt.date

# the years a month may have, and the years every period (weeks too) may have
MONTHS = st.builds(Month, st.integers(1, 9999), st.integers(1, 12))
PERIOD_MONTHS = st.builds(Month, st.integers(1, 9998), st.integers(1, 12))


def test_the_model_and_the_periods_share_the_type() -> None:
    from dangjian.model import Month as ModelMonth
    from dangjian.periods import Month as PeriodsMonth

    assert ModelMonth is PeriodsMonth is Month
    assert issubclass(Month, Period)


@given(MONTHS)
def test_text_round_trip(m: Month) -> None:
    text = str(m)
    assert len(text) == 7 and text[4] == "-"
    back = Month.parse(text)
    assert back == m and type(back) is Month
    assert str(back) == text


@given(PERIOD_MONTHS)
def test_a_period_of_a_month_is_a_month(m: Month) -> None:
    parsed = Period.parse(str(m))
    assert type(parsed) is Month and parsed == m
    assert Period.containing(m.first_day, PeriodUnit.MONTH) == m
    assert type(Period.containing(m.last_day, PeriodUnit.MONTH)) is Month
    assert Period.year_of(m.year).subperiods(PeriodUnit.MONTH)[m.month - 1] == m
    # a month period built by hand equals the month, and they hash alike
    by_hand = Period(PeriodUnit.MONTH, m.year, m.month)
    assert by_hand == m and m == by_hand and hash(by_hand) == hash(m)
    assert {by_hand: 1}[m] == 1


@given(MONTHS)
def test_fields_and_bounds(m: Month) -> None:
    assert (m.unit, m.year, m.index, m.month) == (PeriodUnit.MONTH, m.year, m.month, m.month)
    assert m.first_day == m.start == D(m.year, m.month, 1)
    assert m.last_day == m.end
    assert m.last_day == D(9999, 12, 31) or (m.last_day + dt.timedelta(days=1)).day == 1
    assert m.first_day in m and m.last_day in m
    assert Month.of(m.first_day) == m == Month.of(m.last_day)
    assert repr(m) == f"Month(year={m.year}, month={m.month})"
    assert pickle.loads(pickle.dumps(m)) == m


@given(MONTHS, MONTHS)
def test_ordered_in_time(a: Month, b: Month) -> None:
    assert (a < b) == ((a.year, a.month) < (b.year, b.month))
    assert (a <= b) == ((a.year, a.month) <= (b.year, b.month))
    assert (a == b) == ((a.year, a.month) == (b.year, b.month))


@given(st.builds(Month, st.integers(2, 9998), st.integers(1, 12)))
def test_next_and_previous(m: Month) -> None:
    after, before = m.next(), m.previous()
    assert type(after) is Month and type(before) is Month
    assert after.previous() == m == before.next()
    assert after.first_day == m.last_day + dt.timedelta(days=1)
    assert before.last_day == m.first_day - dt.timedelta(days=1)


def test_boundaries() -> None:
    assert Month(1, 1).first_day == D(1, 1, 1)
    assert Month(9999, 12).last_day == D(9999, 12, 31)
    assert str(Month(1, 1)) == "0001-01"
    with pytest.raises(PeriodError):
        Month(9999, 12).next()
    with pytest.raises(PeriodError):
        Month(1, 1).previous()
    # a period of 9999 is refused (its last week would end in 10000); a month of it is not
    with pytest.raises(PeriodError, match="year 9999 is out of range"):
        Period.parse("9999-12")
    assert Month.parse("9999-12") == Month(9999, 12)


@pytest.mark.parametrize(("year", "month"), [(2020, 0), (2020, 13), (0, 1), (10000, 1), (2020, -1)])
def test_no_such_month(year: int, month: int) -> None:
    with pytest.raises(PeriodError) as caught:
        Month(year, month)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "text", ["2020-00", "2020-13", "2020-5", "20-05", "2020/05", "2020-05-01", " 2020-05", "2020Q1"]
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)


_LEDGER = """
name: 示例党委
branches:
  - {id: b1, name: 第一党支部, level: 党支部, category: 机关}
members:
  - {id: "001", name: 李梅, gender: 女, branch: b1, status: full, resident_id: "11010519491231002X"}
dues_payments:
  - {id: d1, member: "001", month: MONTH, amount: "45.00"}
"""


@settings(deadline=None, max_examples=20)
@given(st.builds(Month, st.integers(1950, 2200), st.integers(1, 12)))
def test_a_ledger_writes_the_month_as_it_was_read(m: Month) -> None:
    for written in (str(m), f'"{m}"'):
        ledger = dangjian.loads(_LEDGER.replace("MONTH", written), "yaml")
        month = ledger.dues_payments[0].month
        assert type(month) is Month and month == m
        for fmt in ("json", "yaml", "toml"):
            text = dangjian.dumps(ledger, fmt)
            assert str(m) in text
            assert dangjian.loads(text, fmt) == ledger
