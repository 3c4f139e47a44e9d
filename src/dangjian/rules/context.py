"""What a rule kind sees while it evaluates: the ledger, the period, the day of judging, and
indexes built once per check so that every rule runs in time linear in the ledger."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from dangjian.calendar import WorkingCalendar
from dangjian.findings import Finding, Status, Subject
from dangjian.ledger import Ledger
from dangjian.model import (
    Branch,
    CommitteeRole,
    DuesPayment,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Month,
    PartyGroup,
    StudyAudience,
    StudySession,
)
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.schema import Rule

__all__ = ["Context", "Span"]


Span = tuple[dt.date | None, dt.date | None]
"""A stretch of days from a first to a last day, either end open."""

_NEVER: Span = (dt.date.max, dt.date.min)


class Context:
    """The ledger and the period being checked, with indexes shared by every rule.

    Args:
        ledger: The records.
        period: The period checked.
        as_of: The day of judging; a sub-period that has not ended by then is pending, not
            failed.
        calendar: The working-day calendar.
    """

    def __init__(
        self,
        ledger: Ledger,
        period: Period,
        as_of: dt.date,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.ledger = ledger
        self.period = period
        self.as_of = as_of
        self.calendar = calendar or WorkingCalendar()
        self._subperiods: dict[PeriodUnit, list[Period]] = {}
        self._member_subjects: dict[str, Subject] = {}
        self.memo: dict[Any, Any] = {}
        """Values rule kinds compute once per check and share between rules (keyed by the kind)."""

    # -- organisations ---------------------------------------------------------------------

    def organisations(self, rule: Rule) -> list[Branch]:
        """The organisations the rule applies to that existed at some time in the period."""
        return [
            b
            for b in self.ledger.branches
            if rule.applies_to.admits(b.level, b.category)
            and self.period.overlaps(b.founded or dt.date.min, b.dissolved)
        ]

    @cached_property
    def branch_subjects(self) -> dict[str, Subject]:
        """A :class:`Subject` for each organisation."""
        return {
            b.id: Subject(kind="branch", id=b.id, name=b.name, branch=b.id)
            for b in self.ledger.branches
        }

    def member_subject(self, m: Member) -> Subject:
        """A :class:`Subject` for a member (one object per member, shared by its findings)."""
        subject = self._member_subjects.get(m.id)
        if subject is None:
            subject = Subject(kind="member", id=m.id, name=m.name, branch=m.branch)
            self._member_subjects[m.id] = subject
        return subject

    @cached_property
    def members_by_branch(self) -> dict[str, list[Member]]:
        """The members of each organisation."""
        table: dict[str, list[Member]] = defaultdict(list)
        for m in self.ledger.members:
            table[m.branch].append(m)
        return table

    @cached_property
    def groups_by_branch(self) -> dict[str, list[PartyGroup]]:
        """The party groups of each organisation."""
        table: dict[str, list[PartyGroup]] = defaultdict(list)
        for g in self.ledger.groups:
            table[g.branch].append(g)
        return table

    @cached_property
    def members(self) -> dict[str, Member]:
        """Every member by id."""
        return {m.id: m for m in self.ledger.members}

    def membership_span(self, m: Member) -> Span:
        """The days ``m`` was a party member (probationary or full) in this ledger, as known.

        It starts at the admission (or conversion), or at the day of joining this ledger when
        that is later, and ends the day before leaving (or before a cancelled probation). A current member with no dates recorded
        is taken to have been one all along; a person who never was a member, or who left on an
        unknown day, has an empty span, so that no rule judges them on a guess.
        """
        start = m.milestones.admitted or m.milestones.converted
        if start is None and not m.status.is_member and not m.status.has_left:
            return _NEVER
        span = self._bounded(m, start)
        cancelled = m.probation_cancelled
        if cancelled is not None and m.milestones.converted is None:
            # a cancelled probation (取消预备党员资格) ends the membership the day before
            last = cancelled - dt.timedelta(days=1)
            if span[1] is None or span[1] > last:
                span = (span[0], last)
        return span

    def full_member_span(self, m: Member) -> Span:
        """The days ``m`` was a full member in this ledger, as known (see :meth:`membership_span`)."""
        start = m.milestones.converted
        if start is None and m.status is not MemberStatus.FULL:
            return _NEVER
        return self._bounded(m, start)

    @staticmethod
    def _bounded(m: Member, start: dt.date | None) -> Span:
        if m.joined is not None and (start is None or m.joined > start):
            start = m.joined
        if not m.status.has_left:
            return (start, None)
        if m.left is None:
            return _NEVER
        return (start, m.left - dt.timedelta(days=1))

    @staticmethod
    def within(span: Span, day: dt.date) -> bool:
        """Whether ``day`` lies in ``span``."""
        start, end = span
        return (start is None or start <= day) and (end is None or day <= end)

    @staticmethod
    def covers(span: Span, period: Period) -> bool:
        """Whether ``span`` covers every day of ``period``."""
        start, end = span
        return (start is None or start <= period.start) and (end is None or end >= period.end)

    def members_on(self, branch: str, day: dt.date) -> list[Member]:
        """The party members of ``branch`` on ``day``."""
        return [
            m
            for m in self.members_by_branch.get(branch, ())
            if self.within(self.membership_span(m), day)
        ]

    def full_members_on(self, branch: str, day: dt.date) -> list[Member]:
        """The full members of ``branch`` on ``day``."""
        return [
            m
            for m in self.members_by_branch.get(branch, ())
            if self.within(self.full_member_span(m), day)
        ]

    def descendants(self, branch: str) -> list[str]:
        """``branch`` and every organisation below it, nearest first."""
        result = [branch]
        for current in result:  # grows while it is walked: breadth first down the tree
            result += [b.id for b in self.ledger.children(current) if b.id not in result]
        return result

    def committee_on(self, branch: Branch, day: dt.date) -> list[tuple[CommitteeRole, str]]:
        """The committee seats of ``branch`` held on ``day``: (role, member id)."""
        return [
            (s.role, s.member)
            for s in branch.committee
            if (s.start is None or s.start <= day) and (s.end is None or day <= s.end)
        ]

    def exists_throughout(self, branch: Branch, period: Period) -> bool:
        """Whether ``branch`` existed on every day of ``period``."""
        return self.covers((branch.founded, branch.dissolved), period)

    # -- activities ------------------------------------------------------------------------

    @cached_property
    def meetings_by_branch_kind(self) -> dict[tuple[str, MeetingKind], list[Meeting]]:
        """Meetings by (organisation, kind), sorted by date."""
        table: dict[tuple[str, MeetingKind], list[Meeting]] = defaultdict(list)
        for m in self.ledger.meetings:
            table[(m.branch, m.kind)].append(m)
        for meetings in table.values():
            meetings.sort(key=lambda x: (x.date, x.id))
        return table

    @cached_property
    def meetings_by_group(self) -> dict[str, list[Meeting]]:
        """Meetings of each party group, sorted by date."""
        table: dict[str, list[Meeting]] = defaultdict(list)
        for m in self.ledger.meetings:
            if m.group is not None:
                table[m.group].append(m)
        for meetings in table.values():
            meetings.sort(key=lambda x: (x.date, x.id))
        return table

    @cached_property
    def study_by_branch_audience(self) -> dict[tuple[str, StudyAudience], list[StudySession]]:
        """Study sessions by (organisation, audience), sorted by date."""
        table: dict[tuple[str, StudyAudience], list[StudySession]] = defaultdict(list)
        for s in self.ledger.study_sessions:
            table[(s.branch, s.audience)].append(s)
        for sessions in table.values():
            sessions.sort(key=lambda x: (x.date, x.id))
        return table

    @cached_property
    def attended_months(self) -> dict[str, set[tuple[int, int]]]:
        """For each member, the (year, month) of every meeting they attended."""
        table: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for m in self.ledger.meetings:
            key = (m.date.year, m.date.month)
            for member in m.attended:
                table[member].add(key)
        return table

    @cached_property
    def talks_by_member(self) -> dict[str, list[Any]]:
        """The talks each member took part in, either side."""
        table: dict[str, list[Any]] = defaultdict(list)
        for t in self.ledger.talks:
            table[t.initiator].append(t)
            table[t.partner].append(t)
        return table

    @cached_property
    def trainings_by_member(self) -> dict[str, list[Any]]:
        """The training records of each member."""
        table: dict[str, list[Any]] = defaultdict(list)
        for r in self.ledger.trainings:
            table[r.member].append(r)
        return table

    @cached_property
    def regular_dues(self) -> dict[str, dict[Month, list[DuesPayment]]]:
        """Each member's payments of the month's dues (voluntary extras left out), by month."""
        table: dict[str, dict[Month, list[DuesPayment]]] = defaultdict(dict)
        for p in self.ledger.dues_payments:
            if not p.voluntary:
                table[p.member].setdefault(p.month, []).append(p)
        return table

    @cached_property
    def payments_by_member(self) -> dict[str, list[Any]]:
        """The dues payments of each member, by month paid for."""
        table: dict[str, list[Any]] = defaultdict(list)
        for p in self.ledger.dues_payments:
            table[p.member].append(p)
        return table

    # -- judging ---------------------------------------------------------------------------

    def subperiods(self, unit: PeriodUnit) -> list[Period]:
        """The sub-periods of ``unit`` of the checked period: those that tile it, or the one
        period of ``unit`` that contains its start when ``unit`` is longer."""
        cached = self._subperiods.get(unit)
        if cached is None:
            if unit.rank > self.period.unit.rank:
                cached = [Period.containing(self.period.start, unit)]
            elif unit is self.period.unit:
                cached = [self.period]
            else:
                cached = self.period.subperiods(unit)
            self._subperiods[unit] = cached
        return list(cached)

    def over(self, period: Period) -> bool:
        """Whether ``period`` has ended by the day of judging."""
        return period.end < self.as_of

    def verdict(self, met: bool, period: Period | None, due: dt.date | None = None) -> Status:
        """Passed when met; otherwise failed if the sub-period (or the due day) is over, else
        pending.

        A sub-period that runs past the end of the checked period (a yearly requirement in a
        half-year check) is pending too: it cannot be judged on part of its time.
        """
        if met:
            return Status.PASSED
        if due is not None:
            return Status.FAILED if due < self.as_of else Status.PENDING
        if period is not None and (not self.over(period) or period.end > self.period.end):
            return Status.PENDING
        return Status.FAILED

    def finding(
        self,
        rule: Rule,
        status: Status,
        subject: Subject,
        period: Period | None,
        message: str,
        message_en: str,
        evidence: Iterable[str] = (),
        day: dt.date | None = None,
    ) -> Finding:
        """A finding of ``rule`` with its severity and the citations in force then."""
        when = day or (period.start if period is not None else self.period.start)
        return Finding(
            rule=rule.id,
            status=status,
            severity=rule.severity,
            subject=subject,
            period=period,
            message=message,
            message_en=message_en,
            evidence=tuple(evidence),
            citations=rule.citations_on(when),
            day=day,
        )


def in_period(records: Sequence[Any], period: Period) -> list[Any]:
    """The records (sorted by ``date``) whose ``date`` lies in ``period``."""
    import bisect

    dates = [r.date for r in records]
    lo = bisect.bisect_left(dates, period.start)
    hi = bisect.bisect_right(dates, period.end)
    return list(records[lo:hi])
