"""Rule kinds about activities held, over tables (see :mod:`dangjian.rules.kinds.activity`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.findings import Status
from dangjian.i18n import Message
from dangjian.model import CommitteeRole, MeetingKind
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.kinds.activity import (
    ChecklistParams,
    FrequencyParams,
    RescheduleParams,
    checklist_message,
    frequency_message,
    reschedule_message,
)
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext, semi_join, version_on
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    EMPTY_IDS,
    branch_subject,
    ibis,
    ids_or_empty,
    in_force,
    label_of,
    row_version,
    subject,
    union_all,
)

__all__ = ["CHECKLIST", "FREQUENCY", "RESCHEDULE"]

_NO_COMMITTEE = (CommitteeRole.SECRETARY.value, CommitteeRole.DEPUTY_SECRETARY.value)


def _subjects(ctx: TableContext, rule: Rule, p: FrequencyParams) -> Any:
    """The subjects judged: ``subject_*`` columns and their organisation's ``org_*`` columns."""
    orgs = ctx.organisations(rule).select(
        org_id="id",
        org_name="name",
        org_founded="founded",
        org_dissolved="dissolved",
    )
    if p.subject == "group":
        g = ctx.table("groups")
        return orgs.join(g, orgs.org_id == g.branch).select(
            **subject("group", g.id, g.name, orgs.org_id),
            org_id=orgs.org_id,
            org_name=orgs.org_name,
            org_founded=orgs.org_founded,
            org_dissolved=orgs.org_dissolved,
        )
    return orgs.select(
        **branch_subject(orgs.org_id, orgs.org_name),
        org_id=orgs.org_id,
        org_name=orgs.org_name,
        org_founded=orgs.org_founded,
        org_dissolved=orgs.org_dissolved,
    )


def _records(ctx: TableContext, p: FrequencyParams, subjects: Any) -> Any:
    """The records counted for each subject: ``subject_id``, ``org_id``, ``record``, ``date``,
    ``start``, ``given_by`` — chosen by the first parameters, as the object engine does."""
    if p.record == "meeting":
        # a meeting held as several kinds counts for each kind it served as, once a rule
        r = ctx.meetings_serving(p.meeting_kinds).select(
            record="id",
            date="date",
            start="start",
            given_by="lecturer",
            branch="branch",
            group="group",
        )
    else:
        r = ctx.table("study_sessions")
        r = r.filter(r.audience.isin([a.value for a in p.audiences])).select(
            record="id",
            date="date",
            start="start",
            given_by="speaker",
            branch="branch",
            group="group",
        )
    s = subjects.select("subject_id", "org_id")
    if p.subject == "group" and p.record == "meeting":
        joined = s.join(r, s.subject_id == r.group)
    else:
        if p.include_descendants:
            tree = ctx.tree()
            reach = s.join(tree, s.org_id == tree.ancestor).select(
                "subject_id", "org_id", branch_of="descendant"
            )
            predicate = reach.branch_of == r.branch
        else:
            reach = s
            predicate = reach.org_id == r.branch
        if p.subject == "group":
            predicate &= reach.subject_id == r.group
        joined = reach.join(r, predicate)
    return joined.select("subject_id", "org_id", "record", "date", "start", "given_by")


def _qualifying(ctx: TableContext, p: FrequencyParams, counted: Any) -> Any:
    """``counted`` (records within sub-periods) kept where they qualify under ``p``."""
    keep: list[Any] = []
    if p.weekday is not None:
        keep.append(counted.date.day_of_week.index() == p.weekday - 1)
    if p.half_day is not None:
        # Spark (before 4.1) has no time type: there a clock time is text, HH:MM:SS
        noon = (
            ibis().literal("12:00:00")
            if counted.start.type().is_string()
            else ibis().literal(dt.time(12, 0), type="time")
        )
        afternoon = counted.start >= noon
        keep.append(
            counted.start.notnull() & (afternoon if p.half_day == "afternoon" else ~afternoon)
        )
    if keep:
        counted = counted.filter(*keep)
    if p.lecturer_role is not None:
        seats = ctx.table("branches.committee")
        seats = seats.filter(seats.role == p.lecturer_role.value).select(
            seat_branch="branch", seat_member="member", seat_start="start", seat_end="end"
        )
        # the open ends as the calendar's: comparisons alone, which a backend can join on by
        # hashing the keys (with ``OR IS NULL`` DuckDB compared every pair); the days counted
        # are never empty (they lie in a sub-period)
        held = (
            (seats.seat_branch == counted.org_id)
            & (seats.seat_member == counted.given_by)
            & (seats.seat_start.fill_null(dt.date.min) <= counted.date)
            & (counted.date <= seats.seat_end.fill_null(dt.date.max))
        )
        counted = counted.semi_join(seats, held)
    return counted


def _judged_versions(ctx: TableContext, rule: Rule, unit: PeriodUnit) -> tuple[bool, list[int]]:
    """Whether the rule is in force on only part of some sub-period of ``unit`` (the rows of
    ``in_force`` ``partial`` of :meth:`TableContext.subperiod_table`), and the versions of the
    parameters of the sub-periods it is in force on throughout (its rows ``full``): known
    before any table is read, so that a plan holds no part that can have no rows."""
    partial = False
    versions: set[int] = set()
    for sub in ctx.subperiods(unit):
        if not rule.in_force.overlaps(sub.start, sub.end):
            continue
        if rule.in_force.spans(sub.start, sub.end):
            versions.add(version_on(rule, sub.start))
        else:
            partial = True
    return partial, sorted(versions)


def _version_subs(subs: Any, version: int) -> Any:
    """The rows of ``subs`` (:meth:`TableContext.subperiod_table`) judged with the parameters
    of ``version``. (Filtered even when that is all of them: the plan without the filter
    gathers the evidence in another order.)"""
    return subs.filter((subs.in_force == "full") & (subs.version == version))


def _evaluate_frequency(ctx: TableContext, rule: Rule) -> Any:
    first: FrequencyParams = rule.params_on(ctx.period.start)
    subs = ctx.subperiod_table(rule, first.per)
    subjects = _subjects(ctx, rule, first)
    records = _records(ctx, first, subjects)
    partial, versions = _judged_versions(ctx, rule, first.per)
    parts = []
    if partial or not versions:
        parts.append(ctx.partly_in_force(rule, subjects, subs))
    for version in versions:
        p: FrequencyParams = rule.versions[version].params
        vsubs = _version_subs(subs, version)
        within = records.join(
            vsubs,
            (records.date >= vsubs.period_start) & (records.date <= vsubs.period_end),
        ).select("subject_id", "org_id", "record", "date", "start", "given_by", "period")
        counted = _qualifying(ctx, p, within)
        tally = (
            counted.group_by(t_subject="subject_id", t_period="period")
            .aggregate(t_count=counted.record.count(), t_evidence=counted.record.collect())
            .view()
        )  # a relation of its own: its columns are not read as the grid's
        grid = subjects.cross_join(vsubs)
        grid = grid.left_join(
            tally, (grid.subject_id == tally.t_subject) & (grid.period == tally.t_period)
        ).select(grid, count=tally.t_count.fill_null(0), evidence=ids_or_empty(tally.t_evidence))
        parts.append(_judged(ctx, rule, p, first.per, grid))
    return union_all(parts)


def _judged(ctx: TableContext, rule: Rule, p: FrequencyParams, unit: PeriodUnit, grid: Any) -> Any:
    """The verdicts of the rows of ``grid`` (subjects × sub-periods of ``unit``, the first
    parameters' ``per``, with their counts) under the parameters ``p`` in force in them."""
    lit = ibis().literal
    if p.needs_committee:
        # a seat other than the secretary's and the deputy's, held on some day of the sub-period
        seats = ctx.table("branches.committee")
        seats = seats.filter(~seats.role.isin(_NO_COMMITTEE))
        cells = grid.select(
            s_org="org_id", s_period="period", s_start="period_start", s_end="period_end"
        ).distinct()
        held = cells.join(
            seats,
            (seats.branch == cells.s_org)
            & (seats.start.isnull() | (seats.start <= cells.s_end))
            & (seats.end.isnull() | (seats.end >= cells.s_start)),
        )
        sat = held.group_by(["s_org", "s_period"]).aggregate(seats=held.s_org.count()).view()
        grid = grid.left_join(
            sat, (grid.org_id == sat.s_org) & (grid.period == sat.s_period)
        ).select(grid, seats=sat.seats.fill_null(0))
    weekly = p.weekday is not None and unit is PeriodUnit.WEEK
    if weekly:
        assert p.weekday is not None
        days = _weekdays(ctx, unit, p.weekday)
        grid = grid.left_join(days, grid.period == days.w_period).select(
            grid, "w_day", "w_working", "w_error"
        )
    # only the conditions these parameters can fail are written out: a plan of fewer and
    # smaller expressions is quicker to build and to compile (each is non-empty)
    exists = ctx.exists_throughout(
        grid.org_founded, grid.org_dissolved, grid.period_start, grid.period_end
    )
    judged = exists
    reasons = [(~exists, lit("not_existing"))]
    org_missing = ~exists  # the reasons whose message names the organisation
    if p.needs_committee:
        has_committee = grid.seats > 0
        judged &= has_committee
        reasons.append((~has_committee, lit("no_committee")))
        org_missing |= ~has_committee
    org_detail = [(org_missing, grid.org_name)]
    other_id = ibis().cases((org_missing, grid.org_id), else_=lit(None, type="string"))
    other_day = lit(None, type="date")
    if weekly:
        calendar_error = grid.w_error.nullif("")
        working = grid.w_working.fill_null(True)
        reasons += [
            (calendar_error.notnull(), lit("calendar_error")),
            (~working, lit("holiday")),
        ]
        # reason ``calendar_error``: judged so far, but the calendar failed
        org_detail.insert(0, (judged & calendar_error.notnull(), calendar_error))
        other_day = ibis().cases(
            (judged & calendar_error.isnull() & ~working, grid.w_day),
            else_=lit(None, type="date"),
        )
        judged &= calendar_error.isnull() & working
    reason = ibis().cases(*reasons, else_=lit(None, type="string"))
    status = ibis().cases(
        (judged, ctx.status_of(grid["count"] >= p.at_least, grid.pending)),
        else_=lit(Status.NOT_APPLICABLE.value),
    )
    return ctx.rows(
        rule,
        grid,
        status=status,
        reason=reason,
        count=ibis().cases((judged, grid["count"]), else_=lit(None, type="int64")),
        evidence=ibis().cases((judged, grid.evidence), else_=EMPTY_IDS()),
        detail=ibis().cases(*org_detail, else_=lit(None, type="string")),
        other_id=other_id,
        other_day=other_day,
    )


def _weekdays(ctx: TableContext, unit: PeriodUnit, weekday: int) -> Any:
    """:meth:`TableContext.weekday_table` with its columns named ``w_period``, ``w_day``,
    ``w_working`` and ``w_error``."""
    days = ctx.weekday_table(unit, weekday)
    return days.select(w_period="period", w_day="day", w_working="working", w_error="error")


def _frequency_message(rule: Rule, row: FindingRow) -> Message:
    sub = Period.parse(row.period or "")
    p: FrequencyParams = rule.params_on(sub.start)
    return frequency_message(
        p,
        sub,
        row.reason,
        count=row.count or 0,
        pending=row.status == Status.PENDING.value,
        org_name=row.detail or "",
        org_id=row.other_id or "",
        day=row.other_day,
        detail=row.detail or "",
    )


FREQUENCY = TableKind(name="frequency", evaluate=_evaluate_frequency, message=_frequency_message)


# -- checklist -------------------------------------------------------------------------------


def _evaluate_checklist(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    first: ChecklistParams = rule.params_on(ctx.period.start)
    subs = ctx.subperiod_table(rule, first.per)
    orgs = ctx.organisations(rule)
    subjects = orgs.select(
        **branch_subject(orgs.id, orgs.name),
        org_founded=orgs.founded,
        org_dissolved=orgs.dissolved,
    )
    meetings = ctx.meetings_serving(first.meeting_kinds).select(
        m_id="id", m_branch="branch", m_date="date"
    )
    actions = ctx.table("meetings.actions").select(a_meeting="meeting", a_action="actions")
    partial, versions = _judged_versions(ctx, rule, first.per)
    parts = []
    if partial or not versions:
        parts.append(ctx.partly_in_force(rule, subjects, subs))
    for version in versions:
        p: ChecklistParams = rule.versions[version].params
        vsubs = _version_subs(subs, version)
        held = meetings.join(
            vsubs, (meetings.m_date >= vsubs.period_start) & (meetings.m_date <= vsubs.period_end)
        ).select("m_id", "m_branch", h_period="period")
        done = held.join(
            actions,
            (held.m_id == actions.a_meeting) & actions.a_action.isin(list(p.actions)),
        ).select("m_id", "m_branch", "h_period", "a_action")
        # the meetings that performed a required action are the evidence
        shown = done.select("m_branch", "h_period", "m_id").distinct()
        evidence = (
            shown.group_by(e_branch="m_branch", e_period="h_period")
            .aggregate(e_ids=shown.m_id.collect())
            .view()
        )
        performed = done.select(d_branch="m_branch", d_period="h_period", d_action="a_action")
        required = ctx.memtable(
            {"r_action": list(dict.fromkeys(p.actions))}, {"r_action": "string"}
        )
        cells = subjects.cross_join(vsubs).select("subject_id", "period")
        wanted = cells.cross_join(required)
        missing = wanted.anti_join(
            performed,
            (wanted.subject_id == performed.d_branch)
            & (wanted.period == performed.d_period)
            & (wanted.r_action == performed.d_action),
        )
        lacking = (
            missing.group_by(x_subject="subject_id", x_period="period")
            .aggregate(x_missing=missing.r_action.collect().join(_SEPARATOR))
            .view()
        )
        grid = subjects.cross_join(vsubs)
        grid = grid.left_join(
            evidence, (grid.subject_id == evidence.e_branch) & (grid.period == evidence.e_period)
        ).select(grid, evidence=ids_or_empty(evidence.e_ids))
        grid = grid.left_join(
            lacking, (grid.subject_id == lacking.x_subject) & (grid.period == lacking.x_period)
        ).select(grid, missing=lacking.x_missing)
        exists = ctx.exists_throughout(
            grid.org_founded, grid.org_dissolved, grid.period_start, grid.period_end
        )
        not_existing = ~exists
        parts.append(
            ctx.rows(
                rule,
                grid,
                status=ibis().cases(
                    (not_existing, lit(Status.NOT_APPLICABLE.value)),
                    else_=ctx.status_of(grid.missing.isnull(), grid.pending),
                ),
                reason=ibis().cases(
                    (not_existing, lit("not_existing")), else_=lit(None, type="string")
                ),
                evidence=ibis().cases((not_existing, EMPTY_IDS()), else_=grid.evidence),
                detail=ibis().cases((not_existing, grid.subject_name), else_=grid.missing),
                other_id=ibis().cases(
                    (not_existing, grid.subject_id), else_=lit(None, type="string")
                ),
            )
        )
    return union_all(parts)


_SEPARATOR = "\x1f"
"""Between the items of a list carried in one text column (``detail``)."""


def _checklist_message(rule: Rule, row: FindingRow) -> Message:
    """``reason``: ``not_existing`` (``detail`` the organisation's name, ``other_id`` its id)
    or empty; ``detail`` the missing actions, joined by :data:`_SEPARATOR` in any order."""
    sub = Period.parse(row.period or "")
    p: ChecklistParams = rule.params_on(sub.start)
    if row.reason == "not_existing":
        return checklist_message(
            p, sub, "not_existing", org_name=row.detail or "", org_id=row.other_id or ""
        )
    lacking = set(row.detail.split(_SEPARATOR)) if row.detail is not None else set()
    return checklist_message(p, sub, None, missing=[a for a in p.actions if a in lacking])


CHECKLIST = TableKind(name="checklist", evaluate=_evaluate_checklist, message=_checklist_message)


# -- reschedule ------------------------------------------------------------------------------


def _evaluate_reschedule(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    orgs = ctx.organisations(rule).select(o_id="id")
    m = ctx.table("meetings")
    m = m.filter(
        m.rescheduled_from.notnull()
        & (m.date >= ctx.period.start)
        & (m.date <= ctx.period.end)
        & in_force(rule, m.date)
    )
    m = m.semi_join(orgs, m.branch == orgs.o_id)
    m = m.mutate(version=row_version(rule, m.date))
    # judged when it served as a kind of the parameters in force on its day
    m = semi_join(
        m, ctx.meetings_serving_versions(rule), ("id", "version"), ("s_meeting", "s_version")
    )
    months = _months(ctx)
    m = m.join(months, (m.date >= months.period_start) & (m.date <= months.period_end))
    max_days = ibis().cases(
        *(
            (m.version == i, lit(dated.params.max_days, type="int64"))
            for i, dated in enumerate(rule.versions)
        ),
        else_=lit(None, type="int64"),
    )
    moved = m.date.delta(m.rescheduled_from, unit="day").abs()
    return ctx.rows(
        rule,
        m,
        status=ibis().cases(
            (moved <= max_days, lit(Status.PASSED.value)), else_=lit(Status.FAILED.value)
        ),
        **subject(
            "meeting",
            m.id,
            label_of(m.kind, MeetingKind) + lit(" ") + m.date.strftime("%Y-%m-%d"),
            m.branch,
        ),
        day=m.date,
        evidence=ibis().array([m.id]),
        count=moved,
        expected=max_days,
        detail=m.kind,
        other_day=m.rescheduled_from,
    )


def _months(ctx: TableContext) -> Any:
    """The months the checked period touches: ``period``, ``period_start``, ``period_end``."""
    rows: dict[str, list[Any]] = {"period": [], "period_start": [], "period_end": []}
    month = Period.containing(ctx.period.start, PeriodUnit.MONTH)
    while month.start <= ctx.period.end:
        rows["period"].append(str(month))
        rows["period_start"].append(month.start)
        rows["period_end"].append(month.end)
        if month.end >= dt.date.max:
            break
        month = Period.containing(month.end + dt.timedelta(days=1), PeriodUnit.MONTH)
    return ctx.memtable(rows, {"period": "string", "period_start": "date", "period_end": "date"})


def _reschedule_message(rule: Rule, row: FindingRow) -> Message:
    """``day`` the meeting's day, ``other_day`` the day it was moved from, ``detail`` its kind's
    code; ``count`` the days moved and ``expected`` the most allowed (for reading the table)."""
    day = row.day or dt.date.min
    p: RescheduleParams = rule.params_on(day)
    return reschedule_message(p, MeetingKind.parse(row.detail or ""), row.other_day or day, day)


RESCHEDULE = TableKind(
    name="reschedule", evaluate=_evaluate_reschedule, message=_reschedule_message
)
