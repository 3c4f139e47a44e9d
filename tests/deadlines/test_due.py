"""What is due (dangjian.due): each kind of item at its boundary, and the defining property on
generated ledgers: an item is due exactly when the check would fail at its deadline without
further records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dangjian
from dangjian import MeetingKind, RectificationItem, RectificationSource, Status
from dangjian.deadlines import DueList
from dangjian.errors import DangjianError
from dangjian.periods import Period, PeriodUnit
from dangjian.testing.strategies import ledgers
from tests.builders import examples
from tests.builders.deadlines import near_deadlines
from tests.builders.rules import (
    DAY,
    D,
    branch,
    committee,
    full_members,
    ledger,
    meeting,
    probationary_member,
)

AS_OF = D(2020, 6, 15)


def _items(found: DueList, rule: str, level: str = "due") -> list[tuple[str, dt.date]]:
    return [(i.subject.id, i.deadline) for i in found.items if i.rule == rule and i.level == level]


def _committee_branch(*meetings: dangjian.Meeting) -> dangjian.Ledger:
    people = full_members(7, "b1")
    return ledger(
        branches=[branch("b1", committee=committee([m.id for m in people[:3]]))],
        members=people,
        meetings=meetings,
    )


# -- meetings --------------------------------------------------------------------------------


def test_a_month_with_its_committee_meeting_held_owes_nothing() -> None:
    held = meeting("c6", MeetingKind.COMMITTEE_MEETING, D(2020, 6, 3))
    found = dangjian.due(_committee_branch(held), AS_OF, 30, only=["branch.committee_mtg"])
    assert _items(found, "branch.committee_mtg") == []


def test_a_month_without_it_owes_one_by_its_last_day() -> None:
    found = dangjian.due(_committee_branch(), AS_OF, 30, only=["branch.committee_mtg"])
    assert _items(found, "branch.committee_mtg") == [("b1", D(2020, 6, 30))]
    (item,) = found.items
    assert item.owed.render() == "2020年6月还需开展1次支委会"
    assert item.title == "支部委员会会议一般每月召开1次"
    assert item.citations and item.finding is not None
    assert item.finding.status is Status.FAILED
    # 2020-06-16 … 06-30: 10 working days (the Dragon Boat Festival, 25–27 June, off; 28 June,
    # a Sunday, worked)
    assert item.working_days == 10


def test_a_horizon_that_stops_short_of_the_month_end_owes_nothing() -> None:
    short = dangjian.due(_committee_branch(), AS_OF, 14, only=["branch.committee_mtg"])
    assert _items(short, "branch.committee_mtg") == []
    # the horizon's last day is the deadline: due
    exact = dangjian.due(_committee_branch(), AS_OF, 15, only=["branch.committee_mtg"])
    assert _items(exact, "branch.committee_mtg") == [("b1", D(2020, 6, 30))]


def test_a_month_already_failed_is_not_due_again() -> None:
    # May had no meeting: the check has failed it already; only June is still open
    found = dangjian.due(_committee_branch(), D(2020, 6, 1), 29, only=["branch.committee_mtg"])
    assert _items(found, "branch.committee_mtg") == [("b1", D(2020, 6, 30))]


def test_the_quarter_s_general_meeting_is_due_at_the_quarter_end() -> None:
    spring = meeting("g1", MeetingKind.GENERAL_MEETING, D(2020, 2, 3))
    found = dangjian.due(_committee_branch(spring), AS_OF, 30, only=["branch.congress"])
    assert _items(found, "branch.congress") == [("b1", D(2020, 6, 30))]
    summer = meeting("g2", MeetingKind.GENERAL_MEETING, D(2020, 5, 3))
    held = dangjian.due(_committee_branch(spring, summer), AS_OF, 30, only=["branch.congress"])
    assert _items(held, "branch.congress") == []


# -- rectification --------------------------------------------------------------------------


def _rectification(deadline: dt.date, **fields: object) -> RectificationItem:
    return RectificationItem(
        id="r1",
        source=RectificationSource.SELF_CHECK,
        raised=D(2020, 5, 1),
        problem="会议记录不全",
        branch="b1",
        deadline=deadline,
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("deadline", "due_on"),
    [
        (D(2020, 7, 15), D(2020, 7, 15)),  # the horizon's last day
        (D(2020, 7, 16), None),  # a day beyond
        (D(2020, 6, 15), D(2020, 6, 15)),  # today: still open today
    ],
)
def test_a_rectification_is_due_by_its_deadline(deadline: dt.date, due_on: dt.date | None) -> None:
    led = ledger(
        branches=[branch("b1")],
        members=full_members(3, "b1"),
        rectifications=[_rectification(deadline)],
    )
    found = dangjian.due(led, AS_OF, 30, only=["rectification."])
    expected = [] if due_on is None else [("r1", due_on)]
    assert _items(found, "rectification.overdue") == expected


def test_a_rectification_closed_in_time_is_not_due() -> None:
    closed = _rectification(
        D(2020, 7, 1),
        status=dangjian.RectificationStatus.CLOSED,
        closed=D(2020, 6, 1),
        measures=("补记",),
        evidence=("记录本",),
    )
    led = ledger(branches=[branch("b1")], members=full_members(3, "b1"), rectifications=[closed])
    assert (
        _items(dangjian.due(led, AS_OF, 30, only=["rectification."]), "rectification.overdue") == []
    )


@pytest.mark.parametrize(("days", "due"), [(13, True), (12, False)])
def test_a_rectification_due_in_working_days(days: int, due: bool) -> None:
    # nine working days after Friday 2020-06-12: 06-15 … 06-24 (eight), then past the 端午节
    # holiday (06-25 to 06-27) Sunday 06-28, a working day (调休)
    item = RectificationItem(
        id="r1",
        source=RectificationSource.SELF_CHECK,
        raised=D(2020, 6, 12),
        problem="会议记录不全",
        branch="b1",
        deadline_working_days=9,
    )
    led = ledger(branches=[branch("b1")], members=full_members(3, "b1"), rectifications=[item])
    found = dangjian.due(led, AS_OF, days, only=["rectification."])
    assert _items(found, "rectification.overdue") == ([("r1", D(2020, 6, 28))] if due else [])
    if due:
        (got,) = found.items
        assert got.working_days == 8  # 06-16 … 06-28: the nine less today, 06-15
        assert got.owed.render("zh") == "整改时限2020-06-28（9个工作日），尚在整改中"


def test_working_days_left_count_the_swapped_days() -> None:
    # 2020-09-30 → 10-09: the National Day holiday off, Sunday 27 Sept and Saturday 10 Oct worked
    led = ledger(
        branches=[branch("b1")],
        members=full_members(3, "b1"),
        rectifications=[_rectification(D(2020, 10, 10))],
    )
    found = dangjian.due(led, D(2020, 9, 25), 30, only=["rectification.overdue"])
    (item,) = found.items
    # 26 Sep (Sat, off), 27 (Sun, worked), 28, 29, 30 worked; 1–8 Oct off; 9 Oct; 10 Oct (Sat,
    # worked)
    assert item.working_days == 6


# -- probation -------------------------------------------------------------------------------


def _probation_ledger(ends_in: int) -> dangjian.Ledger:
    end = AS_OF + dt.timedelta(days=ends_in)
    admitted = end.replace(year=end.year - 1)
    return ledger(
        branches=[branch("b1")],
        members=[*full_members(3, "b1"), probationary_member("p1", admitted=admitted)],
    )


@pytest.mark.parametrize(("ends_in", "reminded"), [(29, True), (30, True), (31, False)])
def test_a_probation_ending_within_a_month_is_reminded(ends_in: int, reminded: bool) -> None:
    # a horizon of a week: the end lies beyond it, the reminder warns a month ahead
    found = dangjian.due(_probation_ledger(ends_in), AS_OF, 7)
    end = AS_OF + dt.timedelta(days=ends_in)
    assert (("p1", end) in _items(found, "charter.probation", "reminder")) is reminded
    assert _items(found, "charter.probation") == []


def test_a_probation_ending_within_the_horizon_is_due_not_reminded() -> None:
    found = dangjian.due(_probation_ledger(29), AS_OF, 30)
    end = AS_OF + dt.timedelta(days=29)
    assert ("p1", end) in _items(found, "charter.probation")
    assert _items(found, "charter.probation", "reminder") == []


def test_a_probationary_member_without_an_admission_day_is_said_as_unknown() -> None:
    undated = probationary_member("p1", admitted=D(2019, 7, 1))
    undated = attrs.evolve(undated, milestones=attrs.evolve(undated.milestones, admitted=None))
    led = ledger(branches=[branch("b1")], members=[*full_members(3, "b1"), undated])
    found = dangjian.due(led, AS_OF, 30, only=["charter.probation"])
    assert [(i.level, i.subject.id) for i in found.items] == [("unknown", "p1")]
    assert "未记录入党日期" in found.items[0].owed.render()


# -- terms -----------------------------------------------------------------------------------


def _term_ledger(elected: dt.date | None) -> dangjian.Ledger:
    # a term begun before 2018-07-12 is judged by the length it was elected for
    return ledger(
        branches=[branch("b1", last_election=elected, term_years=3 if elected else None)],
        members=full_members(3, "b1"),
    )


@pytest.mark.parametrize(
    ("elected", "months"),
    [
        (D(2017, 12, 15), 6),  # ends exactly six months ahead
        (D(2017, 12, 16), None),  # a day beyond
        (D(2017, 7, 15), 1),  # ends exactly one month ahead
        (D(2017, 7, 16), 6),  # a day beyond one month: the six months' reminder
    ],
)
def test_a_term_ending_within_six_and_one_months_is_reminded(
    elected: dt.date, months: int | None
) -> None:
    found = dangjian.due(_term_ledger(elected), AS_OF, 7, only=["branch.term"])
    items = [i for i in found.items if i.level == "reminder"]
    if months is None:
        assert items == []
        return
    (item,) = items
    assert item.deadline == elected.replace(year=elected.year + 3)
    assert f"（{months}个月内）" in item.owed.render()


def test_a_term_ending_within_the_horizon_is_due() -> None:
    found = dangjian.due(_term_ledger(D(2017, 7, 1)), AS_OF, 30, only=["branch.term"])
    assert _items(found, "branch.term") == [("b1", D(2020, 7, 1))]
    assert _items(found, "branch.term", "reminder") == []


def test_no_term_data_is_said_as_unknown() -> None:
    found = dangjian.due(_term_ledger(None), AS_OF, 30, only=["branch.term"])
    (item,) = found.items
    assert (item.level, item.subject.id) == ("unknown", "b1")
    assert "换届" in item.owed.render()


# -- dues and training -------------------------------------------------------------------------


def test_dues_not_paid_this_month_are_due_at_its_end() -> None:
    led = ledger(
        branches=[branch("b1")],
        members=full_members(2, "b1"),
        dues_payments=[
            dangjian.DuesPayment(
                id=f"d{i}", member="b1-m1", month=dangjian.Month(2020, i), amount=Decimal(1)
            )
            for i in range(1, 7)
        ]
        + [
            dangjian.DuesPayment(
                id=f"e{i}", member="b1-m2", month=dangjian.Month(2020, i), amount=Decimal(1)
            )
            for i in range(1, 6)
        ],
    )
    found = dangjian.due(led, AS_OF, 30, only=["dues.monthly"])
    assert _items(found, "dues.monthly") == [("b1-m2", D(2020, 6, 30))]


@pytest.mark.parametrize(("hours", "reminded"), [("16", False), ("15.5", True)])
def test_training_hours_behind_pace_are_reminded(hours: str, reminded: bool) -> None:
    # on 1 July 2020, 183 of the year's 366 days are gone: the pace of 32 hours is 16
    led = ledger(
        branches=[branch("b1")],
        members=full_members(3, "b1"),
        trainings=[
            dangjian.TrainingRecord(
                id=f"t{i}",
                member=f"b1-m{i}",
                date=D(2020, 3, 2),
                hours=Decimal(hours),
                course="党课",
            )
            for i in (1, 2, 3)
        ],
    )
    found = dangjian.due(led, D(2020, 7, 1), 30, only=["edu.hours"])
    reminders = _items(found, "edu.hours", "reminder")
    expected = [(f"b1-m{i}", D(2020, 12, 31)) for i in (1, 2, 3)] if reminded else []
    assert reminders == expected
    if reminded:
        assert found.items[0].owed.render() == (
            "2020年应不少于32学时，截至2020-07-01按进度应达16学时，实际15.5学时"
        )


def test_negative_days_are_refused() -> None:
    with pytest.raises(DangjianError):
        dangjian.due(_term_ledger(None), AS_OF, -1)


# -- the defining property -------------------------------------------------------------------


def _years(start: dt.date, end: dt.date) -> list[Period]:
    return [Period(PeriodUnit.YEAR, y) for y in range(start.year, end.year + 1)]


_Key = tuple[str, str, str]


def _settled(
    led: dangjian.Ledger, day: dt.date, periods: list[Period], profile: str
) -> dict[_Key, Status]:
    """The findings failed or not told when ``led`` is checked on ``day``: (rule, subject,
    sub-period) → status."""
    found: dict[_Key, Status] = {}
    for p in periods:
        report = dangjian.check(led, p, as_of=day, profile=profile, allow_unmatched=True)
        for f in report.findings:
            if f.status in (Status.FAILED, Status.UNKNOWN):
                found[(f.rule, f.subject.id, str(f.period))] = f.status
    return found


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    led=ledgers(max_branches=2, max_members=4, max_records=2),
    as_of=st.dates(D(2019, 1, 1), D(2021, 12, 31)),
    days=st.integers(0, 45),
    probe=st.integers(0, 45),
    profile=st.sampled_from(["national", "organ"]),
)
def test_an_item_is_due_exactly_when_the_check_fails_at_its_deadline(
    led: dangjian.Ledger, as_of: dt.date, days: int, probe: int, profile: str
) -> None:
    _holds(led, as_of, days, probe, profile)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    drawn=near_deadlines(),
    days=st.integers(0, 45),
    probe=st.integers(0, 45),
    profile=st.sampled_from(["national", "organ"]),
)
def test_the_same_on_ledgers_whose_deadlines_cluster_about_the_day(
    drawn: tuple[dangjian.Ledger, dt.date], days: int, probe: int, profile: str
) -> None:
    led, as_of = drawn
    _holds(led, as_of, days, probe, profile)


def _holds(led: dangjian.Ledger, as_of: dt.date, days: int, probe: int, profile: str) -> None:
    """(a) every item the check judges is failed (cannot tell) the day after its deadline and not
    on it, nor on ``as_of``; (b) whatever the check fails by a day within the horizon and did not
    on ``as_of`` is an item with a deadline no later."""
    found = dangjian.due(led, as_of, days, profile=profile)
    horizon = as_of + dt.timedelta(days=days)
    periods = _years(as_of, horizon + DAY)
    now = _settled(led, as_of, periods, profile)
    expected = {"due": Status.FAILED, "unknown": Status.UNKNOWN}
    for item in found.items:
        if item.finding is None:
            continue  # a reminder, or a term or probation the records cannot date
        assert as_of <= item.deadline <= horizon
        key = (item.rule, item.subject.id, str(item.period))
        # (a) the check fails it (cannot tell, for an unknown item) the day after its deadline,
        # and not yet on the deadline; nor on the day asked about
        assert key not in now, item
        assert (
            _settled(led, item.deadline + DAY, periods, profile).get(key) is expected[item.level]
        ), item
        assert key not in _settled(led, item.deadline, periods, profile), item
        # a requirement of a sub-period (a month's meeting, a quarter's, a month's dues: judged
        # by its period, with no day of its own) fails when that sub-period alone is checked
        if (
            item.level == "due"
            and item.period is not None
            and item.period.end == item.deadline
            and item.finding.day is None
        ):
            alone = dangjian.check(
                led, item.period, as_of=item.deadline + DAY, profile=profile, allow_unmatched=True
            )
            assert any(
                (f.rule, f.subject.id, str(f.period)) == key and f.status is Status.FAILED
                for f in alone.findings
            ), item
    # (b) what passes or is open today and fails (or cannot be told) by a day within the
    # horizon is listed, with a deadline no later than that day
    day = as_of + dt.timedelta(days=min(probe, days))
    listed = {(i.rule, i.subject.id, str(i.period)): i.deadline for i in found.items if i.finding}
    for key in _settled(led, day + DAY, periods, profile).keys() - now.keys():
        assert key in listed, key
        assert listed[key] <= day, key
