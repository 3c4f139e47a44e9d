"""Rule kinds about activities held, over tables (see :mod:`dangjian.rules.kinds.activity`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.findings import Status
from dangjian.i18n import Message
from dangjian.model import CommitteeRole
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.kinds.activity import FrequencyParams, frequency_message
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import EMPTY_IDS, ibis, ids_or_empty

__all__ = ["FREQUENCY"]

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
            subject_kind=ibis().literal("group"),
            subject_id=g.id,
            subject_name=g.name,
            subject_branch=orgs.org_id,
            org_id=orgs.org_id,
            org_name=orgs.org_name,
            org_founded=orgs.org_founded,
            org_dissolved=orgs.org_dissolved,
        )
    return orgs.select(
        subject_kind=ibis().literal("branch"),
        subject_id=orgs.org_id,
        subject_name=orgs.org_name,
        subject_branch=orgs.org_id,
        org_id=orgs.org_id,
        org_name=orgs.org_name,
        org_founded=orgs.org_founded,
        org_dissolved=orgs.org_dissolved,
    )


def _records(ctx: TableContext, p: FrequencyParams, subjects: Any) -> Any:
    """The records counted for each subject: ``subject_id``, ``org_id``, ``record``, ``date``,
    ``start``, ``given_by`` — chosen by the first parameters, as the object engine does."""
    if p.record == "meeting":
        r = ctx.table("meetings")
        r = r.filter(r.kind.isin([k.value for k in p.meeting_kinds])).select(
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
    s = subjects.select("subject_id", "org_id", "subject_kind")
    if p.subject == "group" and p.record == "meeting":
        joined = s.join(r, s.subject_id == r.group)
    else:
        if p.include_descendants:
            tree = ctx.tree()
            reach = s.join(tree, s.org_id == tree.ancestor).select(
                "subject_id", "org_id", "subject_kind", branch_of="descendant"
            )
        else:
            reach = s.mutate(branch_of=s.org_id)
        predicate = reach.branch_of == r.branch
        if p.subject == "group":
            predicate &= reach.subject_id == r.group
        joined = reach.join(r, predicate)
    return joined.select("subject_id", "org_id", "record", "date", "start", "given_by")


def _qualifying(ctx: TableContext, p: FrequencyParams, counted: Any) -> Any:
    """``counted`` (records within sub-periods) kept where they qualify under ``p``."""
    keep = ibis().literal(True)
    if p.weekday is not None:
        keep &= counted.date.day_of_week.index() == p.weekday - 1
    if p.half_day is not None:
        # Spark (before 4.1) has no time type: there a clock time is text, HH:MM:SS
        noon = (
            ibis().literal("12:00:00")
            if counted.start.type().is_string()
            else ibis().literal(dt.time(12, 0), type="time")
        )
        afternoon = counted.start >= noon
        keep &= counted.start.notnull() & (afternoon if p.half_day == "afternoon" else ~afternoon)
    counted = counted.filter(keep)
    if p.lecturer_role is not None:
        seats = ctx.table("branches.committee")
        seats = seats.filter(seats.role == p.lecturer_role.value).select(
            seat_branch="branch", seat_member="member", seat_start="start", seat_end="end"
        )
        held = (
            (seats.seat_branch == counted.org_id)
            & (seats.seat_member == counted.given_by)
            & (seats.seat_start.isnull() | (seats.seat_start <= counted.date))
            & (seats.seat_end.isnull() | (counted.date <= seats.seat_end))
        )
        counted = counted.semi_join(seats, held)
    return counted


def _evaluate_frequency(ctx: TableContext, rule: Rule) -> Any:
    first: FrequencyParams = rule.params_on(ctx.period.start)
    subs = ctx.subperiod_table(rule, first.per)
    subjects = _subjects(ctx, rule, first)
    records = _records(ctx, first, subjects)
    parts = [ctx.partly_in_force(rule, subjects, subs)]
    full = subs.filter(subs.in_force == "full")
    versions = sorted({_version(rule, sub.start) for sub in ctx.subperiods(first.per)})
    for version in versions:
        p: FrequencyParams = rule.versions[version].params
        vsubs = full.filter(full.version == version)
        within = records.join(
            vsubs,
            (records.date >= vsubs.period_start) & (records.date <= vsubs.period_end),
        )
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
        parts.append(_judged(ctx, rule, p, grid))
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part, distinct=False)
    return out


def _judged(ctx: TableContext, rule: Rule, p: FrequencyParams, grid: Any) -> Any:
    """The verdicts of the rows of ``grid`` (subjects × sub-periods with their counts)."""
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
    if p.weekday is not None and p.per is PeriodUnit.WEEK:
        days = ctx.weekday_table(p.per, p.weekday).select(
            w_period="period", w_day="day", w_working="working", w_error="error"
        )
        grid = grid.left_join(days, grid.period == days.w_period).select(
            grid, "w_day", "w_working", "w_error"
        )
        calendar_error = grid.w_error
        holiday_day = grid.w_day
        working = grid.w_working.fill_null(True)
    else:
        calendar_error = lit(None, type="string")
        holiday_day = lit(None, type="date")
        working = lit(True)
    exists = ctx.exists_throughout(
        grid.org_founded, grid.org_dissolved, grid.period_start, grid.period_end
    )
    has_committee = grid.seats > 0 if p.needs_committee else lit(True)
    judged = exists & has_committee & calendar_error.isnull() & working
    reason = ibis().cases(
        (~exists, lit("not_existing")),
        (~has_committee, lit("no_committee")),
        (calendar_error.notnull(), lit("calendar_error")),
        (~working, lit("holiday")),
        else_=lit(None, type="string"),
    )
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
        detail=ibis().cases(
            (reason == "calendar_error", calendar_error),
            (reason.isin(["not_existing", "no_committee"]), grid.org_name),
            else_=lit(None, type="string"),
        ),
        other_id=ibis().cases(
            (reason.isin(["not_existing", "no_committee"]), grid.org_id),
            else_=lit(None, type="string"),
        ),
        other_day=ibis().cases((reason == "holiday", holiday_day), else_=lit(None, type="date")),
    )


def _version(rule: Rule, day: dt.date) -> int:
    from dangjian.tables.context import version_on

    return version_on(rule, day)


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
