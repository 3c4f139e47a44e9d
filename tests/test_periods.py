"""Periods: parsing, bounds, labels, ISO weeks, and the arithmetic of tiling and moving."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.periods import Period, PeriodError, PeriodUnit, parse_date
from tests.builders import examples

D = dt.date
ONE = dt.timedelta(days=1)

# Months in each calendar unit, and how many of the unit a year holds: the facts themselves,
# written out here rather than read from the implementation.
MONTHS_IN = {PeriodUnit.MONTH: 1, PeriodUnit.QUARTER: 3, PeriodUnit.HALF: 6, PeriodUnit.YEAR: 12}
CALENDAR_UNITS = tuple(MONTHS_IN)
SHORTEST_FIRST = (
    PeriodUnit.WEEK,
    PeriodUnit.MONTH,
    PeriodUnit.QUARTER,
    PeriodUnit.HALF,
    PeriodUnit.YEAR,
)
ZH_NUMERALS = "一二三四"
EN_MONTHS = list(calendar.month_name)


def iso_weeks_in(year: int) -> int:
    """53 when 1 January is a Thursday, or a Wednesday in a leap year; else 52 (ISO 8601)."""
    jan1 = D(year, 1, 1).isoweekday()
    return 53 if jan1 == 4 or (jan1 == 3 and calendar.isleap(year)) else 52


def expected_bounds(unit: PeriodUnit, year: int, index: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar period, from the calendar module alone."""
    first_month = (index - 1) * MONTHS_IN[unit] + 1
    last_month = first_month + MONTHS_IN[unit] - 1
    return D(year, first_month, 1), D(year, last_month, calendar.monthrange(year, last_month)[1])


# -- strategies ------------------------------------------------------------------------------


@st.composite
def periods(
    draw: st.DrawFn, unit: PeriodUnit | None = None, min_year: int = 1, max_year: int = 9998
) -> Period:
    unit = draw(st.sampled_from(SHORTEST_FIRST)) if unit is None else unit
    year = draw(st.integers(min_year, max_year))
    if unit is PeriodUnit.WEEK:
        index = draw(st.integers(1, iso_weeks_in(year)))
    else:
        index = draw(st.integers(1, 12 // MONTHS_IN[unit]))
    return Period(unit, year, index)


# -- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "year", "index", "start", "end"),
    [
        ("2020H1", PeriodUnit.HALF, 2020, 1, D(2020, 1, 1), D(2020, 6, 30)),
        ("2020H2", PeriodUnit.HALF, 2020, 2, D(2020, 7, 1), D(2020, 12, 31)),
        ("2020Q2", PeriodUnit.QUARTER, 2020, 2, D(2020, 4, 1), D(2020, 6, 30)),
        ("2020Q1", PeriodUnit.QUARTER, 2020, 1, D(2020, 1, 1), D(2020, 3, 31)),
        ("2020-05", PeriodUnit.MONTH, 2020, 5, D(2020, 5, 1), D(2020, 5, 31)),
        ("2020-02", PeriodUnit.MONTH, 2020, 2, D(2020, 2, 1), D(2020, 2, 29)),
        ("2019-02", PeriodUnit.MONTH, 2019, 2, D(2019, 2, 1), D(2019, 2, 28)),
        ("2020", PeriodUnit.YEAR, 2020, 1, D(2020, 1, 1), D(2020, 12, 31)),
        ("2020-W14", PeriodUnit.WEEK, 2020, 14, D(2020, 3, 30), D(2020, 4, 5)),
        ("2020-W01", PeriodUnit.WEEK, 2020, 1, D(2019, 12, 30), D(2020, 1, 5)),
        ("2020-W53", PeriodUnit.WEEK, 2020, 53, D(2020, 12, 28), D(2021, 1, 3)),
    ],
)
def test_parse_and_bounds(
    text: str, unit: PeriodUnit, year: int, index: int, start: dt.date, end: dt.date
) -> None:
    p = Period.parse(text)
    assert (p.unit, p.year, p.index) == (unit, year, index)
    assert p == Period(unit, year, index)
    assert (p.start, p.end) == (start, end)
    assert p.days == (end - start).days + 1
    assert str(p) == text


@pytest.mark.parametrize(
    ("text", "canonical"), [("2020h1", "2020H1"), ("2020q3", "2020Q3"), (" 2020Q2 ", "2020Q2")]
)
def test_parse_is_lenient_about_case_and_surrounding_space(text: str, canonical: str) -> None:
    assert str(Period.parse(text)) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "2020Q5",
        "2020Q0",
        "2020-13",
        "2020-00",
        "2020-W54",
        "2020-W00",
        "2021-W53",  # 2021 has only 52 ISO weeks
        "2020H3",
        "2020H0",
        "",
        "   ",
        "2020-5",
        "20-05",
        "2020/05",
        "2020-W5",
        "2020年",
        "0000",
        "Q2 2020",
        "2020Q2x",
    ],
)
def test_parse_rejects_bad_forms(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_period_error_is_a_value_error_with_a_useful_message() -> None:
    with pytest.raises(ValueError, match="2020Q5"):
        Period.parse("2020Q5")
    with pytest.raises(PeriodError, match="53"):
        Period.parse("2020-W54")


@pytest.mark.parametrize(
    ("unit", "index"),
    [
        (PeriodUnit.YEAR, 2),
        (PeriodUnit.HALF, 3),
        (PeriodUnit.QUARTER, 0),
        (PeriodUnit.MONTH, 13),
        (PeriodUnit.WEEK, 54),
    ],
)
def test_constructor_validates_like_parse(unit: PeriodUnit, index: int) -> None:
    with pytest.raises(PeriodError):
        Period(unit, 2020, index)


# -- containment at the boundaries --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2020Q1",
        "2020Q2",
        "2020Q3",
        "2020Q4",
        "2020H1",
        "2020H2",
        "2020-02",
        "2019-02",
        "2020",
        "2020-W01",
        "2020-W53",
    ],
)
def test_contains_its_first_and_last_day_but_not_the_days_around(text: str) -> None:
    p = Period.parse(text)
    assert p.start in p
    assert p.end in p
    assert p.start - ONE not in p
    assert p.end + ONE not in p
    assert p.contains(p.end)
    assert not p.contains(p.end + ONE)


def test_quarter_boundaries_by_hand() -> None:
    q1 = Period.parse("2020Q1")
    assert D(2020, 3, 31) in q1
    assert D(2020, 4, 1) not in q1
    assert dt.datetime(2020, 3, 31, 23, 59) in q1
    assert dt.datetime(2020, 4, 1, 0, 0) not in q1
    assert "2020-03-31" not in q1  # only days and periods are contained


def test_period_containment() -> None:
    h1 = Period.parse("2020H1")
    assert Period.parse("2020Q2") in h1
    assert Period.parse("2020-06") in h1
    assert Period.parse("2020-07") not in h1
    assert h1 not in Period.parse("2020Q2")
    assert h1 in Period.parse("2020")
    assert h1 in h1
    # a week straddling two months lies in neither
    straddling = Period.parse("2020-W14")  # 2020-03-30 .. 2020-04-05
    assert straddling not in Period.parse("2020-03")
    assert straddling not in Period.parse("2020-04")
    assert straddling in Period.parse("2020H1")


def test_overlaps() -> None:
    q2 = Period.parse("2020Q2")
    assert q2.overlaps(D(2020, 6, 30), None)
    assert not q2.overlaps(D(2020, 7, 1), None)
    assert q2.overlaps(D(2019, 1, 1), D(2020, 4, 1))
    assert not q2.overlaps(D(2019, 1, 1), D(2020, 3, 31))


# -- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("2020H1", "2020年上半年", "first half of 2020"),
        ("2020H2", "2020年下半年", "second half of 2020"),
        ("2020Q2", "2020年第二季度", "Q2 2020"),
        ("2020-05", "2020年5月", "May 2020"),
        ("2020", "2020年", "2020"),
        ("2020-W14", "2020年第14周", "week 14 of 2020"),
    ],
)
def test_labels(text: str, zh: str, en: str) -> None:
    p = Period.parse(text)
    assert p.label() == zh
    assert p.label("zh") == zh
    assert p.label("en") == en


@settings(max_examples=examples(60), deadline=None)
@given(periods(min_year=1000))
def test_labels_follow_the_written_forms(p: Period) -> None:
    zh, en = p.label(), p.label("en")
    match p.unit:
        case PeriodUnit.YEAR:
            assert (zh, en) == (f"{p.year}年", str(p.year))
        case PeriodUnit.HALF:
            assert zh == f"{p.year}年{'上下'[p.index - 1]}半年"
            assert en == f"{('first', 'second')[p.index - 1]} half of {p.year}"
        case PeriodUnit.QUARTER:
            assert zh == f"{p.year}年第{ZH_NUMERALS[p.index - 1]}季度"
            assert en == f"Q{p.index} {p.year}"
        case PeriodUnit.MONTH:
            assert zh == f"{p.year}年{p.index}月"
            assert en == f"{EN_MONTHS[p.index]} {p.year}"
        case PeriodUnit.WEEK:
            assert zh == f"{p.year}年第{p.index}周"
            assert en == f"week {p.index} of {p.year}"


# -- ISO weeks -------------------------------------------------------------------------------


def test_iso_week_edges() -> None:
    assert Period.parse("2020-W01").start == D(2019, 12, 30)
    assert Period.containing(D(2019, 12, 31), PeriodUnit.WEEK) == Period.parse("2020-W01")
    assert Period.containing(D(2021, 1, 1), PeriodUnit.WEEK) == Period.parse("2020-W53")
    assert Period.containing(D(2021, 1, 4), PeriodUnit.WEEK) == Period.parse("2021-W01")
    assert Period.parse("2020-W53").next() == Period.parse("2021-W01")
    assert Period.parse("2021-W01").previous() == Period.parse("2020-W53")
    assert Period.parse("2021-W52").next() == Period.parse("2022-W01")
    assert Period.parse("2021-W52").end == D(2022, 1, 2)


@pytest.mark.parametrize(
    ("year", "weeks"), [(2020, 53), (2021, 52), (2015, 53), (2026, 53), (2019, 52)]
)
def test_weeks_in_a_year(year: int, weeks: int) -> None:
    assert iso_weeks_in(year) == weeks
    assert Period(PeriodUnit.WEEK, year, weeks).end.isocalendar().week == weeks
    with pytest.raises(PeriodError):
        Period(PeriodUnit.WEEK, year, weeks + 1)


@given(st.integers(1, 9998))
def test_week_53_exists_exactly_in_long_years(year: int) -> None:
    if iso_weeks_in(year) == 53:
        assert Period(PeriodUnit.WEEK, year, 53).start.isocalendar()[:2] == (year, 53)
    else:
        with pytest.raises(PeriodError):
            Period(PeriodUnit.WEEK, year, 53)


@given(periods(unit=PeriodUnit.WEEK))
def test_weeks_run_monday_to_sunday(p: Period) -> None:
    assert p.start.isoweekday() == 1
    assert p.end.isoweekday() == 7
    assert p.days == 7
    assert p.start == D.fromisocalendar(p.year, p.index, 1)


# -- the extremes of the range ---------------------------------------------------------------


def test_the_last_year_has_an_end() -> None:
    last = Period(PeriodUnit.YEAR, 9998)
    assert last.end == D(9998, 12, 31)
    assert Period(PeriodUnit.MONTH, 9998, 12).end == D(9998, 12, 31)
    assert Period(PeriodUnit.WEEK, 9998, iso_weeks_in(9998)).end.isoweekday() == 7
    with pytest.raises(PeriodError):
        last.next()


def test_the_first_year_has_no_previous() -> None:
    with pytest.raises(PeriodError):
        Period(PeriodUnit.YEAR, 1).previous()
    with pytest.raises(PeriodError):
        Period(PeriodUnit.YEAR, 0)


# -- sub-periods -----------------------------------------------------------------------------


def test_subperiods_by_hand() -> None:
    h1 = Period.parse("2020H1")
    assert [str(q) for q in h1.subperiods(PeriodUnit.QUARTER)] == ["2020Q1", "2020Q2"]
    assert [str(m) for m in Period.parse("2020Q3").subperiods(PeriodUnit.MONTH)] == [
        "2020-07",
        "2020-08",
        "2020-09",
    ]
    assert h1.subperiods(PeriodUnit.HALF) == [h1]
    with pytest.raises(PeriodError):
        Period.parse("2020Q1").subperiods(PeriodUnit.HALF)
    with pytest.raises(PeriodError):
        Period.parse("2020-W14").subperiods(PeriodUnit.MONTH)


def test_weeks_of_a_month_are_those_whose_monday_lies_in_it() -> None:
    march = Period.parse("2020-03")  # 2020-03-01 is a Sunday; Mondays: 2, 9, 16, 23, 30
    weeks = march.subperiods(PeriodUnit.WEEK)
    assert [w.start for w in weeks] == [D(2020, 3, d) for d in (2, 9, 16, 23, 30)]
    assert Period.parse("2020-W14").subperiods(PeriodUnit.WEEK) == [Period.parse("2020-W14")]


@settings(max_examples=examples(150))
@given(
    st.sampled_from(
        [(u, v) for u in CALENDAR_UNITS for v in CALENDAR_UNITS if MONTHS_IN[v] <= MONTHS_IN[u]]
    ).flatmap(lambda uv: st.tuples(periods(unit=uv[0], max_year=9997), st.just(uv[1])))
)
def test_subperiods_tile_their_parent(args: tuple[Period, PeriodUnit]) -> None:
    parent, unit = args
    subs = parent.subperiods(unit)
    assert len(subs) == MONTHS_IN[parent.unit] // MONTHS_IN[unit]
    assert all(s.unit is unit for s in subs)
    assert subs[0].start == parent.start
    assert subs[-1].end == parent.end
    for a, b in itertools.pairwise(subs):
        assert a.end + ONE == b.start  # contiguous: no gap, no overlap
    assert sum(s.days for s in subs) == parent.days
    assert all(s in parent for s in subs)


@settings(max_examples=examples(60))
@given(periods(max_year=9997).filter(lambda p: p.unit is not PeriodUnit.WEEK))
def test_week_subperiods_are_the_weeks_starting_inside(parent: Period) -> None:
    weeks = parent.subperiods(PeriodUnit.WEEK)
    mondays = [d for d in parent if d.isoweekday() == 1]
    assert [w.start for w in weeks] == mondays
    assert all(w.unit is PeriodUnit.WEEK and w.days == 7 for w in weeks)


# -- properties ------------------------------------------------------------------------------


@given(periods())
def test_bounds_agree_with_the_calendar(p: Period) -> None:
    if p.unit is PeriodUnit.WEEK:
        assert p.start == D.fromisocalendar(p.year, p.index, 1)
        assert p.end == D.fromisocalendar(p.year, p.index, 7)
    else:
        assert (p.start, p.end) == expected_bounds(p.unit, p.year, p.index)


@given(periods())
def test_text_round_trip(p: Period) -> None:
    assert Period.parse(str(p)) == p
    assert hash(Period.parse(str(p))) == hash(p)


@given(periods(), st.dates(min_value=D(1, 1, 1), max_value=D(9998, 12, 31)))
def test_containment_agrees_with_bounds(p: Period, day: dt.date) -> None:
    assert (day in p) == (p.start <= day <= p.end)
    # the period of the same unit containing the day is this one exactly when the day is in it
    if day.isocalendar().year <= 9998:
        assert (Period.containing(day, p.unit) == p) == (day in p)


@given(st.dates(min_value=D(1, 1, 8), max_value=D(9998, 12, 24)), st.sampled_from(SHORTEST_FIRST))
def test_containing_contains(day: dt.date, unit: PeriodUnit) -> None:
    p = Period.containing(day, unit)
    assert p.unit is unit
    assert day in p
    assert p.start <= day <= p.end


@given(periods(min_year=2, max_year=9997))
def test_next_and_previous_are_inverse(p: Period) -> None:
    assert p.next().previous() == p
    assert p.previous().next() == p
    assert p.next().start == p.end + ONE
    assert p.previous().end == p.start - ONE
    assert p.next().unit is p.unit


@settings(max_examples=examples(60))
@given(periods())
def test_iteration_yields_every_day_once(p: Period) -> None:
    days = list(p)
    assert len(days) == p.days
    assert days[0] == p.start
    assert days[-1] == p.end
    assert all(b - a == ONE for a, b in itertools.pairwise(days))


@given(st.lists(periods(max_year=3000), min_size=2, max_size=8))
def test_ordering_is_consistent_with_start(ps: list[Period]) -> None:
    ordered = sorted(ps)
    assert [p.start for p in ordered] == sorted(p.start for p in ps)
    for a in ps:
        for b in ps:
            if a.unit is b.unit:
                assert (a < b) == (a.start < b.start)
                assert (a <= b) == (a.start <= b.start)
                assert (a > b) == (a.start > b.start)
                assert (a >= b) == (a.start >= b.start)
            assert not (a < b and b < a)
            assert (a < b) == (b > a)


@given(periods(max_year=9997))
def test_a_period_comes_before_its_next(p: Period) -> None:
    assert p < p.next()
    assert p.next() > p
    assert not p < p
    assert p <= p


# The days parse_date reads: each written year first, zero-padded or not; the year has four digits.
WRITTEN = (
    lambda d: d.isoformat(),
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}/{d.month:02}/{d.day:02}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02}.{d.day:02}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02}月{d.day:02}日",
)


@given(st.dates(min_value=D(1000, 1, 1)), st.sampled_from(WRITTEN))
def test_every_day_written_in_each_form_parses_back_to_itself(day: dt.date, write) -> None:
    assert parse_date(write(day)) == day


_TO_FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789-/."}
"""An ASCII digit or separator → its full-width form (U+FF10–FF19, U+FF0D, U+FF0F, U+FF0E)."""


@given(st.dates(min_value=D(1000, 1, 1)), st.sampled_from(WRITTEN), st.data())
def test_full_width_digits_read_as_the_ascii_ones(day: dt.date, write, data: st.DataObject) -> None:
    written = write(day)
    # each digit or separator full-width or not, as an input method mixes them
    wide = data.draw(st.lists(st.booleans(), min_size=len(written), max_size=len(written)))
    mixed = "".join(
        _TO_FULL_WIDTH.get(c, c) if w else c for c, w in zip(written, wide, strict=True)
    )
    assert parse_date(mixed) == parse_date(written) == day


def test_a_date_typed_full_width() -> None:
    assert parse_date("２０２０年７月１５日") == D(2020, 7, 15)
    assert (
        parse_date("２０２０／０７／１５") == parse_date("　２０２０．７．１５　") == D(2020, 7, 15)
    )
    with pytest.raises(PeriodError, match="不是有效的日期") as caught:
        parse_date("２０２０年２月３０日")  # the day is refused as typed, full-width
    assert "２０２０年２月３０日" in str(caught.value)
    with pytest.raises(PeriodError, match="不是可识别的日期"):
        parse_date("０７／１５／２０２０")  # month or day first: still not guessed
    with pytest.raises(PeriodError, match="不是可识别的日期"):
        parse_date("٢٠٢٠-07-15")  # other scripts' digits are not read as digits


@pytest.mark.parametrize(
    "text",
    [
        "07/15/2020",  # month or day first: not guessed
        "15/07/2020",
        "15.07.2020",
        "2020-07/15",  # two separators
        "2020/07-15",
        "20200715",
        "2020-07",
        "2020年7月",
        "2020年7月15",
        "20-07-15",
        "2020-007-15",
        "",
    ],
)
def test_forms_that_could_be_misread_are_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="不是可识别的日期"):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["2020-02-30", "2021/2/29", "2020.13.01", "2020年4月31日", "2020-00-10", "2020-01-00"]
)
def test_a_day_the_calendar_does_not_have_is_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="不是有效的日期"):
        parse_date(text)


def test_the_last_days_that_exist_are_read() -> None:
    assert parse_date("2020/2/29") == D(2020, 2, 29)  # a leap year: just passing
    assert parse_date("2020年12月31日") == D(2020, 12, 31)
    assert parse_date(" 2020-07-15 ") == D(2020, 7, 15)  # spaces around are no part of it
