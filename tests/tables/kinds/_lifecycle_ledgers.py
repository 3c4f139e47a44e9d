"""Small ledgers dense in what the lifecycle kinds read: leading cadres and their meetings,
members away, out of contact, suspended, removed; transfers and refusals; activists and their
reviews; candidates and their listing; probations, extensions and cancellations; joint
branches and their units."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

from dangjian import (
    Absence,
    AbsenceReason,
    ActivistReview,
    CommitteeRole,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    OrgLevel,
    PartyGroup,
    Transfer,
    TransferDirection,
)
from tests.builders.dues import branch, member, seat

__all__ = ["lifecycle_ledgers"]

_FIRST = dt.date(2018, 1, 1)
_LAST = dt.date(2022, 12, 31)
_KINDS = (
    MeetingKind.ORG_LIFE_MEETING,
    MeetingKind.GROUP_MEETING,
    MeetingKind.COMMITTEE_MEETING,
    MeetingKind.GENERAL_MEETING,
)
# month ends and leap days, where month arithmetic is easiest to get wrong
_AWKWARD = [
    dt.date(2019, 8, 31),
    dt.date(2019, 11, 30),
    dt.date(2020, 1, 31),
    dt.date(2020, 2, 29),
    dt.date(2020, 8, 31),
    dt.date(2021, 2, 28),
]


def _day(draw: st.DrawFn, lo: dt.date = _FIRST, hi: dt.date = _LAST) -> dt.date:
    awkward = [d for d in _AWKWARD if lo <= d <= hi]
    if awkward and draw(st.booleans()):
        return draw(st.sampled_from(awkward))
    return draw(st.dates(lo, max(lo, hi)))


def _after(draw: st.DrawFn, day: dt.date, most: int = 900) -> dt.date:
    """A day from ``day`` on, often a whole number of months later."""
    if draw(st.booleans()):
        from dangjian.rules.kinds._common import add_months

        return add_months(day, draw(st.sampled_from([0, 1, 6, 12, 13, 24, 25])))
    return day + dt.timedelta(days=draw(st.integers(0, most)))


@st.composite
def _member(draw: st.DrawFn, id: str, meetings: list[str]) -> Member:
    stage = draw(
        st.sampled_from(["full", "probationary", "activist", "candidate", "left", "removed"])
    )
    fields: dict[str, Any] = {}
    if stage == "activist":
        m = member(id, status=MemberStatus.ACTIVIST, applied=_FIRST, activist=_day(draw))
        reviews = [_day(draw) for _ in range(draw(st.integers(0, 3)))]
        fields["reviews"] = tuple(ActivistReview(date=d, branch="b1") for d in reviews)
    elif stage == "candidate":
        activist = _day(draw, _FIRST, dt.date(2020, 12, 31))
        listed = _after(draw, activist, 500)
        m = member(
            id,
            status=MemberStatus.CANDIDATE,
            applied=_FIRST,
            activist=activist,
            candidate=listed,
        )
        reviews = [_day(draw) for _ in range(draw(st.integers(0, 2)))]
        fields["reviews"] = tuple(ActivistReview(date=d, branch="b1") for d in reviews)
        if meetings and draw(st.booleans()):
            fields["candidate_meeting"] = draw(st.sampled_from(meetings))
        if draw(st.booleans()):
            fields["candidate_filed"] = _day(draw)
    elif stage == "probationary":
        admitted = _day(draw, dt.date(2017, 1, 1), dt.date(2021, 12, 31))
        converted = _after(draw, admitted, 600) if draw(st.booleans()) else None
        extension = None
        if draw(st.booleans()):
            extension = (_after(draw, admitted, 500), draw(st.integers(1, 12)))
        m = member(
            id,
            status=MemberStatus.FULL if converted else MemberStatus.PROBATIONARY,
            applied=dt.date(2015, 1, 1),
            activist=dt.date(2015, 6, 1),
            candidate=dt.date(2016, 6, 1),
            admitted=admitted,
            converted=converted,
            extension=extension,
        )
        if converted is None and draw(st.booleans()):
            fields["probation_cancelled"] = _after(draw, admitted, 600)
        if draw(st.booleans()):
            m = attrs.evolve(m, status=MemberStatus.FULL)  # converted on a day not recorded
    elif stage in ("left", "removed"):
        status = draw(
            st.sampled_from(
                [MemberStatus.TRANSFERRED_OUT, MemberStatus.DECEASED]
                if stage == "left"
                else [MemberStatus.REMOVED, MemberStatus.LAPSED]
            )
        )
        left = _day(draw) if draw(st.booleans()) else None
        m = member(id, status=status, left=left)
    else:
        m = member(id)
    fields["leading_cadre"] = draw(st.booleans())
    if draw(st.booleans()):
        fields["group"] = "g1"
    if draw(st.booleans()):
        since = _day(draw)
        fields["away_since"] = since
        if draw(st.booleans()):
            fields["away_until"] = _after(draw, since)
    if draw(st.booleans()):
        lost = _day(draw)
        fields["lost_contact"] = lost
        if draw(st.booleans()):
            fields["suspended"] = _after(draw, lost)
        if draw(st.booleans()):
            fields["contact_restored"] = _after(draw, lost, 1200)
    transfers = []
    for _ in range(draw(st.integers(0, 2))):
        refused = draw(st.booleans())
        transfers.append(
            Transfer(
                direction=draw(st.sampled_from(list(TransferDirection))),
                requested=_day(draw),
                refused=refused,
                reason=draw(st.sampled_from([None, "材料不全"])) if refused else None,
                from_org=draw(st.sampled_from([None, "甲单位"])),
                to_org=draw(st.sampled_from([None, "乙单位"])),
            )
        )
    fields["transfers"] = tuple(transfers)
    return attrs.evolve(m, **fields)


@st.composite
def lifecycle_ledgers(draw: st.DrawFn) -> Ledger:
    """A valid ledger of one branch ``b1`` (with a party group and maybe a committee), a joint
    branch with units, up to five people and up to five meetings."""
    meeting_ids = [f"mt{i}" for i in range(draw(st.integers(0, 5)))]
    people = [draw(_member(f"p{i}", meeting_ids)) for i in range(draw(st.integers(1, 5)))]
    ids = [p.id for p in people]
    meetings = []
    for mid in meeting_ids:
        kind = draw(st.sampled_from(_KINDS))
        named = draw(st.booleans())
        attended = tuple(draw(st.lists(st.sampled_from(ids), unique=True))) if named else ()
        absent = [i for i in ids if i not in attended]
        absences = tuple(
            Absence(member=i, reason=draw(st.sampled_from(list(AbsenceReason))))
            for i in draw(st.lists(st.sampled_from(absent), unique=True) if absent else st.just([]))
        )
        meetings.append(
            Meeting(
                id=mid,
                kind=kind,
                branch="b1",
                group="g1" if kind is MeetingKind.GROUP_MEETING else None,
                date=_day(draw),
                attended=attended,
                absences=absences,
                expected_count=None if named else 5,
                present_count=None if named else 4,
            )
        )
    committee = []
    if draw(st.booleans()):
        committee.append(seat(ids[0]))
    if draw(st.booleans()):
        start = _day(draw)
        committee.append(seat(ids[-1], CommitteeRole.ORGANISATION, start, _after(draw, start)))
    units = tuple(draw(st.lists(st.sampled_from(["甲", "乙", "丙", "丁", "戊", "己"]), max_size=8)))
    joint = attrs.evolve(branch("j1", level=OrgLevel.JOINT_BRANCH), units=units)
    groups = (PartyGroup(id="g1", name="第一党小组", branch="b1"),) if draw(st.booleans()) else ()
    if not groups:
        people = [attrs.evolve(p, group=None) for p in people]
        meetings = [attrs.evolve(x, group=None) for x in meetings]
    return Ledger(
        name="测试台账",
        branches=(branch("b1", committee=committee), joint),
        groups=groups,
        members=tuple(people),
        meetings=tuple(meetings),
    )
