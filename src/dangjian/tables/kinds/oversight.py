"""Rule kinds about oversight, over tables (see :mod:`dangjian.rules.kinds.oversight`).

Deadlines of rectification items are days (整改时限) or a number of working days after the day
raised (整改时限（工作日）): those are counted on a table of the working calendar's days
(:func:`_workdays`), as :func:`~dangjian.rules.kinds.oversight.rectification_deadline` counts
them. Lateness is counted in calendar days, as the object engine counts it.

The generic columns carry:

- ``rectification``: ``reason`` (see :func:`~dangjian.rules.kinds.oversight.
  rectification_message`); ``day`` is the deadline (``overdue``) or the closing day
  (``on_time``, ``evidence``); ``other_day`` is the judging day (``overdue``) or the deadline
  (``on_time``), the day raised for ``no_calendar``; ``expected`` the deadline's working days,
  where the item gives them; ``detail`` the missing ``measures`` and ``evidence``, joined by
  ``\\x1f``.
- ``pairing``: ``joint_activities``: ``reason`` ``not_covered`` for a pairing that did not
  last the sub-period, else ``detail`` holds one flag per required kind, in the order of the
  rule's ``kinds``: ``1`` held, ``0`` missing; ``letters``: ``other_day`` is the day the first
  letter was signed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.findings import Gap, Status
from dangjian.i18n import Message
from dangjian.model import RectificationStatus
from dangjian.periods import Period
from dangjian.rules.kinds._common import judge_day
from dangjian.rules.kinds.oversight import (
    PairingParams,
    RectificationParams,
    joint_activities_message,
    letters_message,
    rectification_message,
)
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext, version_on
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    EMPTY_IDS,
    branch_subject,
    ibis,
    ids_or_empty,
    in_force,
    month_of,
    one_if,
    row_version,
    subject,
    union_all,
)

__all__ = ["PAIRING", "RECTIFICATION"]

_UNIT = "\x1f"


# -- rectification ---------------------------------------------------------------------------


def _child_list(ctx: TableContext, child: str, prefix: str) -> Any:
    """For each rectification item, its list ``child`` (``evidence``, ``measures``) collected:
    ``{prefix}_item``, ``{prefix}_list``, ``{prefix}_n``."""
    rows = ctx.table(f"rectifications.{child}")
    return (
        rows.group_by(**{f"{prefix}_item": rows.rectification})
        .aggregate(**{f"{prefix}_list": rows[child].collect(), f"{prefix}_n": rows.count()})
        .view()
    )


def _workdays(ctx: TableContext) -> Any:
    """The days of the years the working calendar covers: ``wd_day``, ``wd_working``,
    ``wd_n`` (the working days counted up to and including the day) and ``wd_run`` (which run
    of consecutive covered years it lies in: a count of working days never crosses a year the
    calendar does not cover). No value is empty (a Spark session reads an empty value of a
    small table as ``NaN``)."""
    key = ("oversight.workdays",)
    cached = ctx.memo.get(key)
    if cached is not None:
        return cached
    rows: dict[str, list[Any]] = {"wd_day": [], "wd_working": [], "wd_n": [], "wd_run": []}
    count, run, last = 0, -1, None
    for year in sorted(ctx.calendar.covered_years):
        if last is None or year != last + 1:
            run += 1
        last = year
        day = dt.date(year, 1, 1)
        while day.year == year:
            working = ctx.calendar.is_working_day(day)
            count += working
            rows["wd_day"].append(day)
            rows["wd_working"].append(working)
            rows["wd_n"].append(count)
            rows["wd_run"].append(run)
            day += dt.timedelta(days=1)
    table = ctx.memtable(
        rows,
        {"wd_day": "date", "wd_working": "boolean", "wd_n": "int64", "wd_run": "int64"},
        literal=True,  # a day of each covered year: more rows than a small table, plain values
    )
    ctx.memo[key] = table
    return table


def _with_deadline(ctx: TableContext, r: Any) -> Any:
    """``r`` (rectification items) with ``due``, the deadline: the item's date, else the day its
    working days run out (empty where the calendar cannot count them, or there are none)."""
    cal = _workdays(ctx)
    base = cal.select(b_day=cal.wd_day, b_n=cal.wd_n, b_run=cal.wd_run)
    r = r.left_join(base, r.raised == base.b_day).select(r, b_n=base.b_n, b_run=base.b_run)
    ends = cal.filter(cal.wd_working).select(e_day=cal.wd_day, e_n=cal.wd_n, e_run=cal.wd_run)
    r = r.left_join(
        ends,
        r.deadline.isnull()
        & r.deadline_working_days.notnull()
        & (ends.e_run == r.b_run)
        & (ends.e_n == r.b_n + r.deadline_working_days),
    ).select(r, e_day=ends.e_day)
    return r.mutate(due=r.deadline.coalesce(r.e_day)).drop("b_n", "b_run", "e_day")


def _items(ctx: TableContext, rule: Rule) -> Any:
    """The items judged: of an organisation ``rule`` applies to (or of none), raised by the
    period's end on a day the rule is in force; with ``version``, ``due`` (the deadline, see
    :func:`_with_deadline`; not for a rule of evidence alone), ``ev_list`` and the numbers of evidence (``ev_n``) and measures
    (``me_n``)."""
    orgs = ctx.organisations(rule).select(o_id="id")
    r = ctx.table("rectifications")
    r = r.filter(r.raised <= ctx.period.end, in_force(rule, r.raised))
    r = r.left_join(orgs, r.branch == orgs.o_id).select(r, o_id=orgs.o_id)
    r = r.filter(r.branch.isnull() | r.o_id.notnull()).drop("o_id")
    r = r.mutate(version=row_version(rule, r.raised))
    if any(v.params.check != "evidence" for v in rule.versions):
        r = _with_deadline(ctx, r)  # the evidence of closing asks for no deadline
    evidence = _child_list(ctx, "evidence", "ev")
    r = r.left_join(evidence, r.id == evidence.ev_item).select(
        r, ev_list=ids_or_empty(evidence.ev_list), ev_n=evidence.ev_n.fill_null(0)
    )
    measures = _child_list(ctx, "measures", "me")
    return r.left_join(measures, r.id == measures.me_item).select(
        r, me_n=measures.me_n.fill_null(0)
    )


def _evaluate_rectification(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    day = judge_day(ctx.period, ctx.as_of)
    items = _items(ctx, rule)
    parts = []
    for version, dated in enumerate(rule.versions):
        p: RectificationParams = dated.params
        r = items.filter(items.version == version)
        closed_in_period = r.closed.notnull() & (r.closed >= ctx.period.start)
        closed_in_period &= r.closed <= ctx.period.end
        values: dict[str, Any]
        unknown = lit(Status.UNKNOWN.value)
        if p.check != "evidence":
            # a deadline in working days that the calendar cannot count
            uncounted = r.due.isnull() & r.deadline_working_days.notnull()
        if p.check == "overdue":
            still_open = (r.status == RectificationStatus.OPEN.value) | (
                (r.status == RectificationStatus.CLOSED.value)
                & r.closed.notnull()
                & (r.closed > day)
            )
            r = r.filter(still_open & (r.due.notnull() | uncounted))
            uncounted = r.due.isnull()
            waiting = r.due >= day
            values = dict(
                status=ibis().cases(
                    (uncounted, unknown),
                    (waiting, lit(Status.PENDING.value)),
                    else_=lit(Status.FAILED.value),
                ),
                reason=ibis().cases(
                    (uncounted, lit("no_calendar")), (waiting, lit("open")), else_=lit("overdue")
                ),
                when=r.due.coalesce(r.raised),
                other_day=ibis().cases((uncounted, r.raised), else_=lit(day, type="date")),
            )
        elif p.check == "on_time":
            r = r.filter(closed_in_period & (r.due.notnull() | uncounted))
            uncounted = r.due.isnull()
            on_time = r.closed <= r.due
            values = dict(
                status=ibis().cases(
                    (uncounted, unknown),
                    (on_time, lit(Status.PASSED.value)),
                    else_=lit(Status.FAILED.value),
                ),
                reason=ibis().cases(
                    (uncounted, lit("no_calendar")), (on_time, lit("on_time")), else_=lit("late")
                ),
                when=r.closed,
                other_day=ibis().cases((uncounted, r.raised), else_=r.due),
            )
        else:
            r = r.filter(closed_in_period)
            no_measures, no_evidence = r.me_n == 0, r.ev_n == 0
            missing = no_measures | no_evidence
            values = dict(
                status=ibis().cases(
                    (missing, lit(Status.FAILED.value)), else_=lit(Status.PASSED.value)
                ),
                reason=ibis().cases((missing, lit("incomplete")), else_=lit("complete")),
                when=r.closed,
                detail=ibis().cases(
                    (no_measures & no_evidence, lit(f"measures{_UNIT}evidence")),
                    (no_measures, lit("measures")),
                    (no_evidence, lit("evidence")),
                    else_=lit(None, type="string"),
                ),
            )
        if p.check in ("overdue", "on_time"):
            values["expected"] = r.deadline_working_days
            values["gap"] = ibis().cases(
                (uncounted, lit(Gap.DATES_MISSING.value)), else_=lit(None, type="string")
            )
        when = values.pop("when")
        parts.append(
            ctx.rows(
                rule,
                r,
                **subject("rectification", r.id, r.problem, r.branch),
                **month_of(when),
                day=when,
                evidence=ibis().array([r.id]).concat(r.ev_list),
                **values,
            )
        )
    return union_all(parts)


def _rectification_message(rule: Rule, row: FindingRow) -> Message:
    assert row.reason is not None
    n = row.expected
    if row.reason == "no_calendar":
        return rectification_message(row.reason, working_days=n, raised=row.other_day)
    if row.reason in ("open", "overdue"):
        return rectification_message(
            row.reason, deadline=row.day, day=row.other_day, working_days=n
        )
    if row.reason in ("on_time", "late"):
        return rectification_message(
            row.reason, deadline=row.other_day, closed=row.day, working_days=n
        )
    missing = tuple(row.detail.split(_UNIT)) if row.detail else ()
    return rectification_message(row.reason, missing=missing)


RECTIFICATION = TableKind(
    name="rectification", evaluate=_evaluate_rectification, message=_rectification_message
)


# -- pairing ---------------------------------------------------------------------------------


def _letters(ctx: TableContext, rule: Rule, subs: Any) -> Any:
    orgs = ctx.organisations(rule)
    subjects = orgs.select(
        **branch_subject(orgs.id, orgs.name),
        top=orgs.parent.isnull(),
    )
    parts = [ctx.partly_in_force(rule, subjects, subs)]
    full = subs.filter(subs.in_force == "full")
    grid = subjects.cross_join(full)
    cells = grid.select(
        c_org=grid.subject_id, c_top=grid.top, c_period=grid.period, c_year=grid.period_start.year()
    ).view()
    letters = ctx.table("responsibility_letters").select(
        l_id="id", l_year="year", l_signed="signed", l_branch="branch"
    )
    matched = cells.join(
        letters,
        (letters.l_year == cells.c_year)
        & ((letters.l_branch == cells.c_org) | (cells.c_top & letters.l_branch.isnull())),
    )
    found = (
        matched.group_by(t_org=matched.c_org, t_period=matched.c_period)
        .aggregate(
            t_count=matched.count(),
            t_signed=matched.l_signed.min(),
            t_evidence=matched.l_id.collect(),
        )
        .view()
    )
    grid = grid.left_join(
        found, (grid.subject_id == found.t_org) & (grid.period == found.t_period)
    ).select(
        grid,
        t_count=found.t_count.fill_null(0),
        t_signed=found.t_signed,
        t_evidence=ids_or_empty(found.t_evidence),
    )
    parts.append(
        ctx.rows(
            rule,
            grid,
            status=ctx.status_of(grid.t_count > 0, grid.pending),
            evidence=grid.t_evidence,
            other_day=grid.t_signed,
        )
    )
    return union_all(parts)


def _joint_activities(ctx: TableContext, rule: Rule, subs: Any) -> Any:
    lit = ibis().literal
    orgs = ctx.organisations(rule).select(o_id="id")
    pairings = ctx.table("pairings")
    pairings = pairings.semi_join(orgs, pairings.branch == orgs.o_id)
    subjects = pairings.select(
        **subject(
            "pairing",
            pairings.id,
            pairings.county + pairings.town + pairings.village,
            pairings.branch,
        ),
        p_since=pairings.since,
        p_until=pairings.until,
    )
    parts = [ctx.partly_in_force(rule, subjects.drop("p_since", "p_until"), subs)]
    full = subs.filter(subs.in_force == "full")
    activities = ctx.table("pairings.activities").select(
        a_pairing="pairing", a_date="date", a_kind="kind", a_meeting="meeting"
    )
    for version in sorted(set(_versions_of(ctx, rule))):
        p: PairingParams = rule.versions[version].params
        grid = subjects.cross_join(full.filter(full.version == version))
        covered = ctx.covers(
            grid.p_since, grid.p_until, lit(False), grid.period_start, grid.period_end
        )
        grid = grid.mutate(covered=covered)
        cells = grid.select(
            c_pairing=grid.subject_id,
            c_period=grid.period,
            c_start=grid.period_start,
            c_end=grid.period_end,
        ).view()
        held = cells.join(
            activities,
            (activities.a_pairing == cells.c_pairing)
            & (activities.a_date >= cells.c_start)
            & (activities.a_date <= cells.c_end),
        )
        flags = {f"h{i}": one_if(held.a_kind == kind).sum() for i, kind in enumerate(p.kinds)}
        tally = (
            held.group_by(t_pairing=held.c_pairing, t_period=held.c_period)
            .aggregate(
                t_evidence=held.a_meeting.collect(where=held.a_meeting.notnull()),
                **flags,
            )
            .view()
        )
        grid = grid.left_join(
            tally, (grid.subject_id == tally.t_pairing) & (grid.period == tally.t_period)
        ).select(
            grid,
            t_evidence=ids_or_empty(tally.t_evidence),
            **{name: tally[name].fill_null(0) for name in flags},
        )
        has = [grid[name] > 0 for name in flags]
        all_held = lit(True)
        detail = lit("")
        for h in has:
            all_held &= h
            detail = detail + ibis().cases((h, lit("1")), else_=lit("0"))
        status = ibis().cases(
            (~grid.covered, lit(Status.NOT_APPLICABLE.value)),
            else_=ctx.status_of(all_held, grid.pending),
        )
        parts.append(
            ctx.rows(
                rule,
                grid,
                status=status,
                reason=ibis().cases(
                    (~grid.covered, lit("not_covered")), else_=lit(None, type="string")
                ),
                detail=ibis().cases((grid.covered, detail), else_=lit(None, type="string")),
                evidence=ibis().cases((grid.covered, grid.t_evidence), else_=EMPTY_IDS()),
            )
        )
    return union_all(parts)


def _versions_of(ctx: TableContext, rule: Rule) -> list[int]:
    first: PairingParams = rule.params_on(ctx.period.start)
    return [version_on(rule, sub.start) for sub in ctx.subperiods(first.per)] or [0]


def _evaluate_pairing(ctx: TableContext, rule: Rule) -> Any:
    first: PairingParams = rule.params_on(ctx.period.start)
    subs = ctx.subperiod_table(rule, first.per)
    if first.check == "letters":
        return _letters(ctx, rule, subs)
    return _joint_activities(ctx, rule, subs)


def _pairing_message(rule: Rule, row: FindingRow) -> Message:
    sub = Period.parse(row.period or "")
    p: PairingParams = rule.params_on(sub.start)
    if row.subject_kind == "branch":  # the subjects of ``letters``
        return letters_message(sub.start.year, row.other_day)
    if row.reason == "not_covered":
        return joint_activities_message(p, sub, None)
    flags = row.detail or ""
    missing = tuple(k for k, flag in zip(p.kinds, flags, strict=False) if flag == "0")
    return joint_activities_message(p, sub, missing)


PAIRING = TableKind(name="pairing", evaluate=_evaluate_pairing, message=_pairing_message)
