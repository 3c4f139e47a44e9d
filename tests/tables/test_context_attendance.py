"""The table context's attendance by month equals the object context's
(:meth:`Context.attendance <dangjian.rules.context.Context.attendance>`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from dangjian import Absence, AbsenceReason, Ledger, MeetingKind, Month
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context
from dangjian.tables.context import TableContext
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.dues import D, branch, ledger, meeting, member, seat
from tests.builders.tables import on_duckdb

pytest.importorskip("ibis")


def _tables(
    led: Ledger,
) -> tuple[dict[tuple[str, dt.date], str], dict[tuple[str, dt.date], set[str]]]:
    """The states and the meetings behind ``unknown`` by (member, first day of the month)."""
    con, tables = on_duckdb(led)
    ctx = TableContext(con, tables, Period.parse("2020"), dt.date(2021, 1, 1))
    states = {
        (r["member"], r["month"]): r["state"]
        for r in con.to_pyarrow(ctx.attendance_months()).to_pylist()
    }
    meetings: dict[tuple[str, dt.date], set[str]] = {}
    for r in con.to_pyarrow(ctx.nameless_attendance()).to_pylist():
        meetings.setdefault((r["member"], r["month"]), set()).add(r["meeting"])
    return states, meetings


def _objects(led: Ledger) -> dict[tuple[str, dt.date], tuple[str, set[str]]]:
    """Context.attendance of every member in every month with a meeting."""
    ctx = Context(led, Period.parse("2020"), dt.date(2021, 1, 1))
    months = {Period.containing(x.date, PeriodUnit.MONTH) for x in led.meetings}
    found: dict[tuple[str, dt.date], tuple[str, set[str]]] = {}
    for m in led.members:
        for month in months:
            state, unsure = ctx.attendance(m, month)
            found[m.id, month.start] = (state, {x.id for x in unsure})
    return found


def _agree(led: Ledger) -> None:
    states, meetings = _tables(led)
    for key, (state, unsure) in _objects(led).items():
        assert states.get(key, "absent") == state, key
        assert meetings.get(key, set()) == unsure, key
    members = {m.id for m in led.members}
    # nothing said of a member the ledger does not have, nor of a month without meetings
    assert {m for m, _ in states if m not in members} <= {
        a for x in led.meetings for a in x.attended
    }


def _nameless(day: dt.date, *, branch: str = "b1", id: str, **changes: Any) -> Any:
    return attrs.evolve(meeting(day, [], branch=branch, id=id), **changes)


def test_each_reason_a_nameless_meeting_does_or_does_not_make_a_month_unknown() -> None:
    led = ledger(
        branches=[
            branch("top", founded=D(2000, 1, 1)),
            branch("b1", parent="top", committee=[seat("m1", start=D(2020, 3, 1))]),
            branch("b2", parent="top"),
        ],
        members=[member("m1"), member("m2"), member("m3", branch="b2")],
        meetings=[
            meeting(D(2020, 1, 5), ["m1"], id="named"),
            _nameless(D(2020, 1, 20), id="jan"),  # m1 attended another: attended
            _nameless(D(2020, 2, 3), id="counted", present_count=5),
            _nameless(D(2020, 2, 4), id="nobody", present_count=0),  # records that nobody came
            _nameless(D(2020, 3, 3), id="above", branch="top"),  # reaches b1 and b2
            _nameless(
                D(2020, 4, 3),
                id="absent",
                absences=(Absence(member="m1", reason=AbsenceReason.SICK_LEAVE),),
            ),
            _nameless(D(2020, 5, 3), id="expected", expected=("m2",)),
            _nameless(D(2020, 6, 3), id="committee-early", kind=MeetingKind.COMMITTEE_MEETING),
            _nameless(D(2020, 7, 3), id="committee", kind=MeetingKind.COMMITTEE_MEETING),
            _nameless(D(2020, 8, 3), id="other", branch="b2"),
        ],
    )
    _agree(led)
    states, meetings = _tables(led)
    may, jul = Month(2020, 5).first_day, Month(2020, 7).first_day
    assert states[("m2", may)] == "unknown" and ("m1", may) not in states
    # the seat was held from March: the committee of July, not of June
    assert states[("m1", jul)] == "unknown" and ("m2", jul) not in states
    assert meetings[("m3", Month(2020, 3).first_day)] == {"above"}


@given(ledger=ds.ledgers(max_branches=4, max_members=6, max_records=4))
@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_attendance_months_are_the_object_contexts(ledger: Ledger) -> None:
    _agree(ledger)
