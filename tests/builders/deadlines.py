"""Generated ledgers whose deadlines cluster around a day: for the property of what is due.

The general strategy of :mod:`dangjian.testing.strategies` spreads its dates over decades, so
that few of its requirements fall due near any one day. :func:`near_deadlines` draws a day and a
ledger around it: meetings in the months about it, terms that end near it, probations that end
near it (some extended), rectification items with deadlines about it (some in working days;
open, or closed on either side of them), monthly dues paid or not, training hours.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from dangjian import (
    DuesPayment,
    Ledger,
    MeetingKind,
    Month,
    ProbationExtension,
    RectificationItem,
    RectificationSource,
    RectificationStatus,
    TrainingRecord,
)
from tests.builders.rules import (
    D,
    branch,
    committee,
    full_members,
    ledger,
    meeting,
    probationary_member,
    years_before,
)

__all__ = ["near_deadlines"]

_KINDS = (
    MeetingKind.COMMITTEE_MEETING,
    MeetingKind.GENERAL_MEETING,
    MeetingKind.THEME_DAY,
    MeetingKind.PARTY_LECTURE,
    MeetingKind.ORG_LIFE_MEETING,
)


def _days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


@st.composite
def near_deadlines(draw: st.DrawFn) -> tuple[Ledger, dt.date]:
    """A valid ledger of one or two branches and a day its deadlines cluster around."""
    as_of = draw(st.dates(D(2019, 3, 1), D(2021, 10, 31)))
    records: dict[str, list[Any]] = {
        k: []
        for k in ("branches", "members", "meetings", "rectifications", "dues_payments", "trainings")
    }
    for b in range(1, draw(st.integers(1, 2)) + 1):
        bid = f"b{b}"
        size = draw(st.integers(3, 8))
        people = full_members(size, bid)
        elected = _days(years_before(as_of, 3), draw(st.integers(-60, 200)))
        seats = committee([m.id for m in people[:3]]) if size >= 7 else ()
        records["branches"].append(
            branch(
                bid,
                committee=seats,
                last_election=draw(st.sampled_from([elected, None])),
                term_years=draw(st.sampled_from([3, None])),
            )
        )
        records["members"] += people
        for p in range(draw(st.integers(0, 2))):
            admitted = _days(years_before(as_of, 1), draw(st.integers(-40, 60)))
            extension = draw(st.sampled_from([None, 6]))
            records["members"].append(
                probationary_member(
                    f"{bid}-p{p}",
                    bid,
                    admitted=admitted,
                    probation_extension=None
                    if extension is None
                    else ProbationExtension(decided=_days(admitted, 330), months=extension),
                )
            )
        for n in range(draw(st.integers(0, 6))):
            records["meetings"].append(
                meeting(
                    f"{bid}-mt{n}",
                    draw(st.sampled_from(_KINDS)),
                    _days(as_of, draw(st.integers(-120, 10))),
                    branch=bid,
                )
            )
        for n in range(draw(st.integers(0, 2))):
            raised = _days(as_of, -draw(st.integers(0, 60)))
            deadline = _days(as_of, draw(st.integers(-10, 50)))
            closed = draw(st.sampled_from([None, _days(as_of, draw(st.integers(-10, 40)))]))
            if closed is not None and closed < raised:
                closed = raised
            # some give their deadline in working days instead (a few weeks, 调休 included)
            working_days = draw(st.sampled_from([None, draw(st.integers(1, 40))]))
            records["rectifications"].append(
                RectificationItem(
                    id=f"{bid}-r{n}",
                    source=RectificationSource.INSPECTION,
                    raised=raised,
                    problem="问题",
                    branch=bid,
                    deadline=max(deadline, raised) if working_days is None else None,
                    deadline_working_days=working_days,
                    status=RectificationStatus.OPEN
                    if closed is None
                    else RectificationStatus.CLOSED,
                    closed=closed,
                )
            )
        month = Month.of(as_of)
        paid = draw(st.lists(st.sampled_from([m.id for m in people]), unique=True))
        for m in paid:
            for back in range(draw(st.integers(0, 3))):
                when = month
                for _ in range(back):
                    when = when.previous()
                records["dues_payments"].append(
                    DuesPayment(id=f"{m}-d{back}", member=m, month=when, amount=Decimal("1.00"))
                )
        for m in draw(st.lists(st.sampled_from([m.id for m in people]), unique=True)):
            records["trainings"].append(
                TrainingRecord(
                    id=f"{m}-t",
                    member=m,
                    date=_days(as_of, -draw(st.integers(0, 100))),
                    hours=Decimal(draw(st.integers(1, 40))),
                    course="党课",
                )
            )
    return ledger(**records), as_of
