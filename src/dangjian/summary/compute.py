"""Counting the figures of a work summary from a ledger."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from dangjian import i18n
from dangjian.errors import DangjianError
from dangjian.findings import Finding, Severity, Status
from dangjian.ledger import Ledger
from dangjian.model import (
    AppraisalKind,
    MeetingKind,
    PairingVillage,
    RectificationItem,
    RectificationStatus,
    ServiceKind,
    StudyAudience,
    StudyForm,
    StudySession,
)
from dangjian.periods import Period
from dangjian.report import Report
from dangjian.summary.figures import (
    Amount,
    Count,
    DonationTotal,
    Film,
    FindingGroup,
    Headcount,
    Tally,
    WorkSummary,
)

__all__ = ["summarize"]

_TITLE = re.compile(r"《([^》]+)》")


def summarize(ledger: Ledger, period: Period | str, *, report: Report | None = None) -> WorkSummary:
    """The figures of a work summary (工作总结) of ``ledger`` over ``period``.

    Every figure is counted from the records dated within the period (a task force or a pairing
    counts when it overlaps the period; projects count over the year up to the period's end, the
    "一年来" of a half-year summary). A figure the ledger has no data for is ``None``.

    Args:
        ledger: The records.
        period: The period, as a :class:`~dangjian.periods.Period` or text (``2020H1``).
        report: A check of the same period (:func:`dangjian.check`); its failed and waived
            findings go to the draft's 不足, and those it cannot decide (无法判断) to a list of
            their own, with the records to add and no names.

    Raises:
        PeriodError: ``period`` cannot be parsed.
        DangjianError: ``report`` checks another period.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    if report is not None and report.period != period:
        raise DangjianError(
            i18n.t(  # the module's own: ``t`` names trainings and talks here
                "检查结果的期间是{report_label}，工作总结的期间是{summary_label}",
                report_label=report.period.label(),
                summary_label=period.label(),
                report_period=str(report.period),
                summary_period=str(period),
            )
        )
    pairings = [p for p in ledger.pairings if period.overlaps(p.since, p.until)]
    has_pairing = bool(pairings)
    since = _projects_since(period)

    studies = ledger.study_sessions
    kept_studies = bool(studies)
    in_studies = [s for s in studies if s.date in period]
    meetings = ledger.meetings
    kept_meetings = bool(meetings)
    in_meetings = [m for m in meetings if m.date in period]
    theme_days = [m for m in in_meetings if m.kind is MeetingKind.THEME_DAY]
    org_life = [m for m in in_meetings if m.kind is MeetingKind.ORG_LIFE_MEETING]

    def meeting_count(kind: MeetingKind) -> Count:
        return _count([(m.id, m.date) for m in in_meetings if m.kind is kind], kept=kept_meetings)

    def study_count(audience: StudyAudience) -> Count:
        return _count(
            [(s.id, s.date) for s in in_studies if s.audience is audience], kept=kept_studies
        )

    appraisals = [a for a in ledger.appraisals if a.date in period]
    kept_appraisals = bool(ledger.appraisals)
    letters = [x for x in ledger.responsibility_letters if x.signed in period]

    task_forces = [
        s
        for s in ledger.service_activities
        if s.kind is ServiceKind.TASK_FORCE and period.overlaps(s.start, s.end)
    ]

    # Records inside the paired villages, with references that say where they are.
    def inside(field: str, date_of: Callable[[Any], dt.date]) -> list[tuple[str, Any]]:
        return [
            (f"{p.id}.{field}[{i}]", item)
            for p in ledger.pairings
            for i, item in enumerate(getattr(p, field))
            if date_of(item) in period
        ]

    activities = inside("activities", lambda a: a.date)
    trainings = inside("trainings", lambda t: t.date)
    visits = inside("visits", lambda v: v.date)
    volunteering = inside("volunteer_work", lambda w: w.date)
    projects = [
        (f"{p.id}.projects[{i}]", project)
        for p in ledger.pairings
        for i, project in enumerate(p.projects)
    ]
    applied = [(ref, pr) for ref, pr in projects if since <= pr.applied <= period.end]
    approved = [
        (ref, pr)
        for ref, pr in projects
        if pr.approved is not None and since <= pr.approved <= period.end
    ]
    funded = [(ref, pr.funds) for ref, pr in approved if pr.funds is not None]
    trainees = [t.trainees for _, t in trainings if t.trainees is not None]
    raised, closed, revisited, open_, overdue, ongoing = _rectifications(
        ledger.rectifications, period
    )

    return WorkSummary(
        organisation=ledger.name,
        period=period,
        secretary_reports=_count(
            [(a.id, a.date) for a in appraisals if a.kind is AppraisalKind.SECRETARY_REPORT],
            kept=kept_appraisals,
        ),
        member_appraisals=_count(
            [(a.id, a.date) for a in appraisals if a.kind is AppraisalKind.MEMBER_APPRAISAL],
            kept=kept_appraisals,
        ),
        letters=_count(
            [(x.id, x.signed) for x in letters], kept=bool(ledger.responsibility_letters)
        ),
        letter_subjects=_distinct(x.subject for x in letters),
        rectifications_raised=raised,
        rectifications_closed=closed,
        rectifications_revisited=revisited,
        rectifications_open=open_,
        rectifications_overdue=overdue,
        rectifications_ongoing=ongoing,
        centre_group_study=study_count(StudyAudience.CENTRE_GROUP),
        all_members_study=study_count(StudyAudience.ALL_MEMBERS),
        all_staff_study=study_count(StudyAudience.ALL_STAFF),
        study_forms=tuple(
            Tally(label=form.label, value=len(ids), evidence=tuple(ids))
            for form in StudyForm
            if (ids := [s.id for s in in_studies if s.form is form])
        ),
        study_platforms=_tally((s.platform, s.id) for s in in_studies if s.platform),
        films=tuple(
            Film(title=_film_title(s), date=s.date, session=s.id)
            for s in in_studies
            if s.form is StudyForm.FILM
        ),
        study_note_min_wan_zi=None,
        task_force=_headcount(
            [(s.id, s.participants) for s in task_forces], kept=bool(ledger.service_activities)
        ),
        task_force_titles=_distinct(s.title for s in task_forces),
        general_meetings=meeting_count(MeetingKind.GENERAL_MEETING),
        committee_meetings=meeting_count(MeetingKind.COMMITTEE_MEETING),
        party_lectures=meeting_count(MeetingKind.PARTY_LECTURE),
        theme_days=meeting_count(MeetingKind.THEME_DAY),
        org_life_meetings=meeting_count(MeetingKind.ORG_LIFE_MEETING),
        org_life_topics=_distinct(m.topic for m in org_life if m.topic),
        talks=_count(
            [(t.id, t.date) for t in ledger.talks if t.date in period], kept=bool(ledger.talks)
        ),
        theme_day_actions=_tally((action, m.id) for m in theme_days for action in m.actions),
        villages=_distinct(p.place for p in pairings),
        leaders=_people(pairings, lambda p: (p.first_secretary, p.team_leader), has_pairing),
        first_secretaries=_people(pairings, lambda p: (p.first_secretary,), has_pairing),
        team_leaders=_people(pairings, lambda p: (p.team_leader,), has_pairing),
        team_members=_people(pairings, lambda p: p.team_members, has_pairing),
        projects_since=since,
        projects_applied=_count([(ref, pr.applied) for ref, pr in applied], kept=has_pairing),
        projects_approved=_count(
            [(ref, pr.approved) for ref, pr in approved if pr.approved], kept=has_pairing
        ),
        project_partners=_distinct(pr.partner for _, pr in applied if pr.partner),
        funds_won=Amount(
            yuan=sum((f for _, f in funded), Decimal(0)) if has_pairing else None,
            evidence=tuple(ref for ref, _ in funded),
        ),
        village_trainings=_count([(ref, t.date) for ref, t in trainings], kept=has_pairing),
        village_trainees=sum(trainees) if trainees else None,
        visits=_count([(ref, v.date) for ref, v in visits], kept=has_pairing),
        donations=_donations(visits),
        volunteer_work=_count([(ref, w.date) for ref, w in volunteering], kept=has_pairing),
        volunteers=_headcount([(ref, w.volunteers) for ref, w in volunteering], kept=has_pairing),
        joint_activities=_tally((a.kind, ref) for ref, a in activities),
        check_line=report.summary_line() if report is not None else None,
        failed=_groups(report, Status.FAILED) if report is not None else (),
        waived=_groups(report, Status.WAIVED) if report is not None else (),
        unknown=_groups(report, Status.UNKNOWN) if report is not None else (),
    )


def _projects_since(period: Period) -> dt.date:
    """The first day of the year that ends with the period (or the period's first day)."""
    after = period.end + dt.timedelta(days=1)
    try:
        year_before = after.replace(year=after.year - 1)
    except ValueError:  # 29 February
        year_before = dt.date(after.year - 1, 3, 1)
    return min(period.start, year_before)


def _count(records: Sequence[tuple[str, dt.date]], *, kept: bool) -> Count:
    if not kept:
        return Count(value=None)
    return Count(
        value=len(records),
        dates=tuple(sorted({day for _, day in records})),
        evidence=tuple(ref for ref, _ in records),
    )


def _headcount(records: Sequence[tuple[str, Sequence[str]]], *, kept: bool) -> Headcount:
    if not kept:
        return Headcount(value=None)
    people = _distinct(m for _, members in records for m in members)
    return Headcount(value=len(people), members=people, evidence=tuple(ref for ref, _ in records))


def _people(
    pairings: Sequence[PairingVillage],
    who: Callable[[PairingVillage], Iterable[str | None]],
    kept: bool,
) -> Headcount:
    found = [(p.id, tuple(m for m in who(p) if m is not None)) for p in pairings]
    return _headcount([(ref, ms) for ref, ms in found if ms], kept=kept)


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))


def _tally(pairs: Iterable[tuple[str, str]]) -> tuple[Tally, ...]:
    """Counts by label, labels in order of first appearance."""
    by_label: dict[str, list[str]] = {}
    for label, ref in pairs:
        by_label.setdefault(label, []).append(ref)
    return tuple(Tally(label=k, value=len(v), evidence=tuple(v)) for k, v in by_label.items())


def _film_title(session: StudySession) -> str | None:
    for topic in session.topics:
        match = _TITLE.search(topic)
        if match:
            return match[1]
    return session.topics[0] if session.topics else None


def _donations(visits: Sequence[tuple[str, Any]]) -> tuple[DonationTotal, ...]:
    totals: dict[tuple[str, str], tuple[Decimal, list[str]]] = {}
    for ref, visit in visits:
        for d in visit.donations:
            quantity, refs = totals.get((d.item, d.unit), (Decimal(0), []))
            if ref not in refs:
                refs = [*refs, ref]
            totals[(d.item, d.unit)] = (quantity + d.quantity, refs)
    return tuple(
        DonationTotal(item=item, quantity=q, unit=unit, evidence=tuple(refs))
        for (item, unit), (q, refs) in totals.items()
    )


def _rectifications(
    items: Sequence[RectificationItem], period: Period
) -> tuple[Count, Count, Count, Count, Count, Count]:
    """Items raised, closed and revisited in the period; open, overdue, ongoing at its end."""
    end = period.end
    kept = bool(items)

    def closed_by_end(r: RectificationItem) -> bool:
        if r.closed is not None:
            return r.closed <= end
        return r.status is RectificationStatus.CLOSED

    existing = [r for r in items if r.raised <= end]
    open_ = [
        r for r in existing if r.status is not RectificationStatus.ONGOING and not closed_by_end(r)
    ]
    revisited = [(r.id, f.date) for r in items for f in r.follow_ups if f.date in period]
    closed = [(r.id, r.closed) for r in items if r.closed is not None and r.closed in period]
    overdue = [(r.id, r.deadline) for r in open_ if r.deadline is not None and r.deadline < end]
    return (
        _count([(r.id, r.raised) for r in items if r.raised in period], kept=kept),
        _count(closed, kept=kept),
        _count(revisited, kept=kept),
        _count([(r.id, r.raised) for r in open_], kept=kept),
        _count(overdue, kept=kept),
        _count(
            [(r.id, r.raised) for r in existing if r.status is RectificationStatus.ONGOING],
            kept=kept,
        ),
    )


def _groups(report: Report, status: Status) -> tuple[FindingGroup, ...]:
    # by rule and severity: a rule's findings may be milder than the rule (补交 is a warning)
    by_rule: dict[tuple[str, Severity], list[Finding]] = {}
    for f in report.findings:
        if f.status is status:
            by_rule.setdefault((f.rule, f.severity), []).append(f)
    return tuple(
        FindingGroup(
            rule=rule,
            title=report.title(rule),
            severity=severity,
            count=len(found),
            subjects=() if status is Status.UNKNOWN else _distinct(f.subject.name for f in found),
            reasons=_distinct(_gap(f) for f in found)
            if status is Status.UNKNOWN
            else _distinct(
                f"{f.waiver.reason}（{f.waiver.approved_by}批准）" for f in found if f.waiver
            ),
        )
        for (rule, severity), found in by_rule.items()
    )


def _gap(f: Finding) -> str:
    """What the records lack for ``f`` and what to add, without naming anybody."""
    if f.gap is None:
        return "台账记录不足以判断，请补充相关记录"
    return f"{f.gap.label}，请{f.gap.remedy()}"
