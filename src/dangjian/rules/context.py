"""What a rule kind sees while it evaluates: the ledger, the period, the day of judging, and
indexes built once per check so that every rule runs in time linear in the ledger."""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from typing import Any, Literal

import attrs

from dangjian.calendar import WorkingCalendar
from dangjian.findings import Finding, Gap, Status, Subject
from dangjian.i18n import Message, given, t
from dangjian.ledger import RECORD_KINDS, Ledger
from dangjian.model import (
    Branch,
    CommitteeRole,
    DuesPayment,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    PartyGroup,
    StudyAudience,
    StudySession,
)
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.schema import Rule
from dangjian.rules.texts import label

__all__ = [
    "Attendance",
    "Context",
    "Span",
    "canonical",
    "evidence_order",
    "not_kept_message",
    "subperiods_of",
    "undated_message",
]


Span = tuple[dt.date | None, dt.date | None]
"""A stretch of days from a first to a last day, either end open."""

_NEVER: Span = (dt.date.max, dt.date.min)

Attendance = Literal["attended", "absent", "unknown"]
"""What the records say of a member's organisational life in a month (see
:meth:`Context.attendance`)."""

_DIGITS = re.compile(r"([0-9]+)")


@functools.lru_cache(maxsize=1 << 16)
def evidence_order(record_id: str) -> tuple[tuple[int, int | str], ...]:
    """The key that orders evidence: a record id in natural order, its runs of digits compared
    as numbers (``m2`` before ``m10``), so that a finding lists its evidence the same way
    whatever the order of the records in the ledger's files.

    >>> sorted(["m10", "m2", "GM-2020-03", "GM-2020-01"], key=evidence_order)
    ['GM-2020-01', 'GM-2020-03', 'm2', 'm10']
    """
    return tuple(
        (1, int(part)) if _DIGITS.fullmatch(part) else (0, part)
        for part in _DIGITS.split(record_id)
        if part
    )


_NATURAL = frozenset({"branches", "groups", "members"})
"""The collections put in the natural order of their ids; the larger ones (meetings, dues …)
are put in the plain order of their ids, which is cheaper and as independent of the files."""


def canonical(ledger: Ledger) -> Ledger:
    """``ledger`` with each collection sorted by id: organisations, party groups and members in
    :func:`evidence_order` (``m2`` before ``m10``), the other records in the plain order of
    their ids.

    Rule kinds walk the records in this order, so that the findings of a check, and their order,
    are the same whatever the order of the records in the ledger's files.
    """
    fields: dict[str, Any] = {}
    by_id = operator.attrgetter("id")
    for kind in RECORD_KINDS:
        records = getattr(ledger, kind.field)
        if kind.field in _NATURAL:
            ordered = tuple(sorted(records, key=lambda r: (evidence_order(r.id), r.id)))
        else:
            ordered = tuple(sorted(records, key=by_id))
        if ordered != records:
            fields[kind.field] = ordered
    return attrs.evolve(ledger, **fields) if fields else ledger


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
        self.ledger = canonical(ledger)
        """The records, each collection in the order of its ids (see :func:`canonical`)."""
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
    def branches(self) -> dict[str, Branch]:
        """Every organisation by id."""
        return {b.id: b for b in self.ledger.branches}

    @cached_property
    def members(self) -> dict[str, Member]:
        """Every member by id."""
        return {m.id: m for m in self.ledger.members}

    def membership_span(self, m: Member) -> Span:
        """The days ``m`` was a party member (probationary or full) in this ledger, as known.

        It starts at the admission (or conversion), or at the day of joining this ledger when
        that is later, and ends the day before leaving (or before a cancelled probation); never
        before the member's organisation was founded, nor after it was dissolved. A current member
        with no dates recorded is taken to have been one all along; a person who never was a
        member, or who left on an unknown day, has an empty span, so that no rule judges them on a
        guess.
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

    def _bounded(self, m: Member, start: dt.date | None) -> Span:
        if m.joined is not None and (start is None or m.joined > start):
            start = m.joined
        if not m.status.has_left:
            end: dt.date | None = None
        elif m.left is None:
            return _NEVER
        else:
            end = m.left - dt.timedelta(days=1)
        # nobody is a member of an organisation before it was founded or after it was dissolved:
        # that time they spent elsewhere, outside this ledger
        org = self.branches.get(m.branch)
        if org is not None:
            if org.founded is not None and (start is None or start < org.founded):
                start = org.founded
            if org.dissolved is not None and (end is None or end > org.dissolved):
                end = org.dissolved
        return (start, end)

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
        """``branch`` and every organisation below it, nearest first: breadth first down the
        tree, the children of each in ledger order.

        Linear in the organisations below: the children come from the ledger's index of
        organisations by parent (built once per check), and an id already reached (a cycle in a
        ledger that was not validated) is not walked twice.
        """
        result = [branch]
        seen = {branch}
        for current in result:  # grows while it is walked: breadth first down the tree
            for b in self.ledger.children(current):
                if b.id not in seen:
                    seen.add(b.id)
                    result.append(b.id)
        return result

    def ancestors(self, branch: str) -> list[str]:
        """``branch`` and every organisation above it, nearest first."""
        table: dict[str, list[str]] = self.memo.setdefault("context.ancestors", {})
        result = table.get(branch)
        if result is None:
            result = table[branch] = [branch]
            seen = {branch}  # a cycle in a ledger that was not validated ends the walk
            org = self.branches.get(branch)
            while org is not None and org.parent is not None and org.parent not in seen:
                seen.add(org.parent)
                result.append(org.parent)
                org = self.branches.get(org.parent)
        return list(result)

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
        """Meetings by (organisation, kind), sorted by date: a meeting under every kind it
        served as (:attr:`Meeting.kinds <dangjian.Meeting.kinds>`), so that a rule about
        meetings of a kind counts a meeting held as several kinds at once."""
        table: dict[tuple[str, MeetingKind], list[Meeting]] = defaultdict(list)
        for m in self.ledger.meetings:
            table[(m.branch, m.kind)].append(m)
            for kind in m.also:
                table[(m.branch, kind)].append(m)
        for meetings in table.values():
            meetings.sort(key=lambda x: (x.date, x.id))
        return table

    def meetings_serving(self, branch: str, kinds: Sequence[MeetingKind]) -> Sequence[Meeting]:
        """The meetings of ``branch`` that served as any of ``kinds``, sorted by date; a meeting
        that served as two of them is there once."""
        if len(kinds) == 1:
            return self.meetings_by_branch_kind.get((branch, kinds[0]), ())
        found = {id(m): m for k in kinds for m in self.meetings_by_branch_kind.get((branch, k), ())}
        return sorted(found.values(), key=lambda x: (x.date, x.id))

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

    @staticmethod
    def records_names(meeting: Meeting) -> bool:
        """Whether ``meeting`` records who attended by name (or that nobody did): minutes that
        give only the numbers (应到 10, 实到 9) cannot show whether a given member was there."""
        return bool(meeting.attended) or meeting.present_count == 0

    @cached_property
    def nameless_meetings(self) -> dict[tuple[str, int, int], list[Meeting]]:
        """The meetings recorded without the names of those present, by (organisation, year,
        month), sorted by date."""
        table: dict[tuple[str, int, int], list[Meeting]] = defaultdict(list)
        for m in self.ledger.meetings:
            if not self.records_names(m):
                table[(m.branch, m.date.year, m.date.month)].append(m)
        for meetings in table.values():
            meetings.sort(key=lambda x: (x.date, x.id))
        return table

    def attendance(self, m: Member, month: Period) -> tuple[Attendance, list[Meeting]]:
        """What the records say of ``m``'s organisational life in ``month``.

        ``attended`` when the member is named among those present at some meeting of the month;
        ``unknown``, with the meetings, when a meeting they may have attended (of their
        organisation or one above it, of their party group, of a committee they sat on; not
        one that names them absent or names who was expected without them) recorded no names;
        otherwise ``absent``: the names were recorded without them, or there was no meeting.
        """
        key = (month.year, month.index)
        if key in self.attended_months.get(m.id, ()):
            return "attended", []
        if key not in self.nameless_months(m.branch):
            return "absent", []
        unsure = [
            meeting
            for org in self.ancestors(m.branch)
            for meeting in self.nameless_meetings.get((org, *key), ())
            if self._may_have_attended(m, meeting)
        ]
        return ("unknown", unsure) if unsure else ("absent", [])

    def nameless_months(self, branch: str) -> set[tuple[int, int]]:
        """The (year, month) of the meetings recorded without names of ``branch`` and of the
        organisations above it: the months :meth:`attendance` may find unknown."""
        table: dict[str, set[tuple[int, int]]] = self.memo.setdefault("context.nameless", {})
        found = table.get(branch)
        if found is None:
            orgs = set(self.ancestors(branch))
            found = table[branch] = {(y, mo) for b, y, mo in self.nameless_meetings if b in orgs}
        return found

    def _may_have_attended(self, m: Member, meeting: Meeting) -> bool:
        if any(a.member == m.id for a in meeting.absences):
            return False
        if meeting.expected and m.id not in meeting.expected:
            return False
        if meeting.group is not None and meeting.group != m.group:
            return False
        if meeting.kind is MeetingKind.COMMITTEE_MEETING and not meeting.also:
            # only a meeting that was nothing but a 支委会 is for the committee alone
            org = self.branches.get(meeting.branch)
            return org is not None and any(
                member == m.id for _, member in self.committee_on(org, meeting.date)
            )
        return True

    # -- what the ledger keeps -------------------------------------------------------------

    def keeps(self, kind: str, branch: str | None = None) -> bool:
        """Whether the ledger keeps records of ``kind`` at all, or, given ``branch``, of that
        organisation: its own records or its members'.

        A rule that would fail a member for want of records of a kind the ledger does not keep
        says it cannot tell instead (:meth:`not_kept`).

        Args:
            kind: A collection of the ledger, as :data:`~dangjian.RECORD_KINDS` names it
                (``meetings``, ``talks``, ``trainings``, ``dues_payments`` …).
            branch: The id of an organisation.
        """
        table: dict[str, set[str | None]] = self.memo.setdefault("context.keeps", {})
        kept = table.get(kind)
        if kept is None:
            # one pass over the collection: the organisations it has records of (None: any)
            records = getattr(self.ledger, kind)
            cls = next(k.cls for k in RECORD_KINDS if k.field == kind)
            fields = attrs.fields_dict(cls)
            kept = table[kind] = set()
            if "branch" in fields:
                kept.update(r.branch for r in records)
            else:
                people = {
                    getattr(r, f)
                    for f in ("member", "initiator", "partner")
                    if f in fields
                    for r in records
                }
                kept.update(self.members[x].branch for x in people if x in self.members)
            if records:
                kept.add(None)
        return branch in kept

    def not_kept(self, kind: str, branch: str | None = None) -> Message:
        """The standard reason that records of ``kind`` are not kept: ``台账中没有谈心谈话记录``
        (the whole ledger) or ``台账中没有第一支部的党费记录`` (see :func:`not_kept_message`)."""
        if branch is None or not self.keeps(kind):
            return not_kept_message(kind)
        org = self.branches.get(branch)
        return not_kept_message(kind, org.name if org is not None else branch, branch)

    def left_undated(self, m: Member, period: Period) -> bool:
        """Whether ``m`` has left this ledger's rolls on a day it does not record, and may have
        been a member during ``period``: the records cannot tell which of its days to judge."""
        if not m.status.has_left or m.left is not None:
            return False
        start = m.milestones.admitted or m.milestones.converted
        if m.joined is not None and (start is None or m.joined > start):
            start = m.joined
        return start is None or start <= period.end

    def undated_message(self, m: Member, need: Message) -> Message:
        """The message of a finding that cannot be told because ``m`` left on a day not
        recorded: ``need`` says what the rule requires (see :func:`undated_message`)."""
        return undated_message(need, m.name, m.id, m.status)

    def members_in_period(
        self, rule: Rule, members: Iterable[Member], need: Message
    ) -> Iterator[tuple[Member, Finding | None]]:
        """The ``members`` a rule judged over the whole period asks about: each with ``None``
        to judge, or with the finding, cannot tell, of one who left on a day not recorded
        (:meth:`left_undated`; ``need`` says what the rule requires). Somebody who was no
        member at any time in the period (an applicant, an activist, a member who left before
        it) is left out: nothing to judge."""
        for m in members:
            if self.left_undated(m, self.period):
                yield (
                    m,
                    self.finding(
                        rule,
                        Status.UNKNOWN,
                        self.member_subject(m),
                        self.period,
                        self.undated_message(m, need),
                        gap=Gap.DATES_MISSING,
                    ),
                )
                continue
            since, until = self.membership_span(m)
            if self.period.overlaps(since or dt.date.min, until):
                yield m, None

    @cached_property
    def talks_by_member(self) -> dict[str, list[Any]]:
        """The talks each member took part in, either side."""
        table: dict[str, list[Any]] = defaultdict(list)
        for talk in self.ledger.talks:
            table[talk.initiator].append(talk)
            table[talk.partner].append(talk)
        return table

    @cached_property
    def trainings_by_member(self) -> dict[str, list[Any]]:
        """The training records of each member."""
        table: dict[str, list[Any]] = defaultdict(list)
        for r in self.ledger.trainings:
            table[r.member].append(r)
        return table

    @cached_property
    def regular_dues(self) -> dict[str, dict[Period, list[DuesPayment]]]:
        """Each member's payments of the month's dues (voluntary extras left out), by month."""
        table: dict[str, dict[Period, list[DuesPayment]]] = defaultdict(dict)
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
            cached = self._subperiods[unit] = subperiods_of(self.period, unit)
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
        message: Message | str,
        message_en: str | None = None,
        evidence: Iterable[str] = (),
        day: dt.date | None = None,
        gap: Gap | None = None,
    ) -> Finding:
        """A finding of ``rule`` with its severity and the citations in force then.

        ``message`` says what was required and what was found, written in Chinese through
        :func:`~dangjian.i18n.t` (its other languages are in the catalogs); a message given as
        two texts, Chinese and ``message_en``, is kept as it is (a rule kind defined outside
        dangjian). Its evidence is listed in :func:`evidence_order`, whatever the order given;
        ``gap`` says what the records lack, for a finding that cannot be told.

        Raises:
            AssertionError: An internal error of the rule kind: a finding ``UNKNOWN`` without
                its ``gap``, or a ``gap`` on a finding that is not ``UNKNOWN``.
        """
        if (status is Status.UNKNOWN) != (gap is not None):
            raise AssertionError(
                f"internal error in rule {rule.id!r} (kind {rule.kind!r}): a finding "
                f"{status.value!r} must carry a gap exactly when it is 'unknown' (gap={gap!r}); "
                "pass gap=Gap.… to Context.finding"
            )
        when = day or (period.start if period is not None else self.period.start)
        if message.__class__ is Message:
            # the common case, made without Finding's __init__, which also takes two texts
            found = _new_finding(Finding)
            found.__attrs_init__(
                rule.id,
                status,
                rule.severity,
                subject,
                period,
                message,
                ids if len(ids := tuple(evidence)) < 2 else _ordered(ids),
                rule.citations_on(when),
                None,
                day,
                gap,
            )
            return found
        return Finding(
            rule=rule.id,
            status=status,
            severity=rule.severity,
            subject=subject,
            period=period,
            message=message,
            message_en=message_en,
            evidence=ids if len(ids := tuple(evidence)) < 2 else _ordered(ids),
            citations=rule.citations_on(when),
            day=day,
            gap=gap,
        )


_new_finding = object.__new__


def not_kept_message(kind: str, org_name: str | None = None, org_id: str | None = None) -> Message:
    """That the ledger keeps no records of ``kind`` (a collection of the ledger, as
    :data:`~dangjian.RECORD_KINDS` names it), or none of the organisation ``org_name``:
    :meth:`Context.not_kept` from plain values, which the table engine shares.

    >>> str(not_kept_message("dues_payments"))
    '台账中没有党费记录'
    """
    record = next(k for k in RECORD_KINDS if k.field == kind)
    what = given({"zh": record.label, "en": record.label_en})
    if org_name is None:
        return t("台账中没有{record}记录", record=what)
    return t("台账中没有{org_name}的{record}记录", org_name=org_name, org_id=org_id, record=what)


def undated_message(need: Message, name: str, member: str, status: MemberStatus) -> Message:
    """:meth:`Context.undated_message` from plain values: the member ``name`` (id ``member``)
    has the ``status`` of one who left, on a day not recorded."""
    return t(
        "{need}；{name}已{status}，但台账未记录离开日期，无法判断",
        need=need,
        name=name,
        member=member,
        status=label(status),
    )


def _ordered(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(ids, key=evidence_order))


def subperiods_of(period: Period, unit: PeriodUnit) -> list[Period]:
    """The sub-periods of ``unit`` of ``period``: those that tile it, or the one period of ``unit``
    that contains its start when ``unit`` is longer (the table engine shares this)."""
    if unit.rank > period.unit.rank:
        return [Period.containing(period.start, unit)]
    if unit is period.unit:
        return [period]
    return period.subperiods(unit)


def in_period(records: Sequence[Any], period: Period) -> list[Any]:
    """The records (sorted by ``date``) whose ``date`` lies in ``period``."""
    import bisect

    dates = [r.date for r in records]
    lo = bisect.bisect_left(dates, period.start)
    hi = bisect.bisect_right(dates, period.end)
    return list(records[lo:hi])
