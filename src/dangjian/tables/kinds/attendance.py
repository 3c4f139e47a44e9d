"""The ``attendance`` rule kind over tables (see :mod:`dangjian.rules.kinds.attendance`).

Each member's meetings of the rule's kind (their branch's, or their party group's), while they
were a member, before the day of judging and up to the end of the period, get their state
(``attended``, ``excused``, ``absent``, ``not_expected``, ``unrecorded``) from
``meetings.attended``, ``meetings.absences`` and ``meetings.expected``. The meetings of the
kind are numbered in order of branch (or group), day and id with a window function, so that
each place's are consecutive numbers; a member's meetings are a range of those numbers, so
the runs of absences are the islands of consecutive numbers among the meetings in the states
a run allows (gaps and islands: the number less a row number among those meetings).

The generic columns of its findings carry: ``reason`` the message variant (``absent``,
``unrecorded``, ``none``, ``none_held``, ``no_group``, ``no_groups``, ``undated``); ``count``
the run's length; ``detail`` the run's meetings as ``day`` and state (``a`` absent, ``u``
recorded no names) separated by :data:`_FIELD`, joined by :data:`_SEP`, sorted as text (the
message sorts them by day), or the member's status for ``undated``; ``evidence`` the run's
meetings, sorted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.findings import Gap, Status
from dangjian.i18n import Message
from dangjian.model import MemberStatus
from dangjian.periods import Period
from dangjian.rules.context import undated_message
from dangjian.rules.kinds.attendance import (
    AttendanceParams,
    attendance_message,
    attendance_need,
)
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    EMPTY_IDS,
    ibis,
    ids_or_empty,
    iso,
    subject,
    union_all,
)

__all__ = ["ATTENDANCE"]

_SEP = "\x1f"
"""Between the meetings of a run held in ``detail``."""
_FIELD = "\x1e"
"""Between a meeting's day and its state."""


def _whole_period(ctx: TableContext) -> dict[str, Any]:
    return {
        "period": str(ctx.period),
        "period_start": ctx.period.start,
        "period_end": ctx.period.end,
    }


def _evaluate_attendance(ctx: TableContext, rule: Rule) -> Any:
    lib = ibis()
    lit = lib.literal
    p: AttendanceParams = rule.params_on(ctx.period.start)
    spans = ctx.member_spans()
    orgs = ctx.organisations(rule).select(o_id="id")
    members = spans.semi_join(orgs, spans.branch == orgs.o_id)
    members = members.mutate(**subject("member", members.id, members.name, members.branch))
    if not rule.in_force.overlaps(ctx.period.start, ctx.period.end):
        return ctx.rows(rule, members.filter(lit(False)))
    undated = ctx.left_undated(members, ctx.period.end)
    parts = [
        ctx.rows(
            rule,
            members.filter(undated),
            **_whole_period(ctx),
            status=Status.UNKNOWN.value,
            gap=Gap.DATES_MISSING.value,
            reason="undated",
            detail=members.status,
        )
    ]
    judged = members.filter(
        ~undated
        & ~members.span_never
        & (members.span_start.isnull() | (members.span_start <= ctx.period.end))
        & (members.span_end.isnull() | (members.span_end >= ctx.period.start))
    )
    states = _states(ctx, p, judged)  # read five times below (a CTE on DuckDB and PostgreSQL)
    if ctx.con.name == "pyspark":  # keep it once as a table, Spark would compute it each time
        states = ctx.hold(states.cache())
    worst = _longest(ctx, p, states, ["absent"]).select(
        w_id="r_member", w_n="r_n", w_ids="r_ids", w_items="r_items"
    )
    unsure = _longest(ctx, p, states, ["absent", "unrecorded"]).select(
        u_id="r_member", u_n="r_n", u_ids="r_ids", u_items="r_items"
    )
    in_period = states.filter(states.h_date >= ctx.period.start)
    held = in_period.group_by(y_id=in_period.c_member).aggregate(y_n=in_period.h_id.count()).view()
    grouped = ctx.table("groups").select(g_branch="branch").distinct().view()
    grid = judged.left_join(worst, judged.id == worst.w_id).select(
        judged, "w_n", "w_ids", "w_items"
    )
    grid = grid.left_join(unsure, grid.id == unsure.u_id).select(grid, "u_n", "u_ids", "u_items")
    grid = grid.left_join(held, grid.id == held.y_id).select(grid, held_n=held.y_n.fill_null(0))
    grid = grid.left_join(grouped, grid.branch == grouped.g_branch).select(
        grid, has_groups=grouped.g_branch.notnull()
    )
    no_group = lit(p.by_group) & grid.group.isnull()
    failed = grid.w_n.notnull()
    in_doubt = ~failed & grid.u_n.notnull()
    reason = lib.cases(
        (no_group & grid.has_groups, lit("no_group")),
        (no_group, lit("no_groups")),
        (failed, lit("absent")),
        (in_doubt, lit("unrecorded")),
        (grid.held_n == 0, lit("none_held")),
        else_=lit("none"),
    )
    over = ctx.period.end < ctx.as_of
    status = lib.cases(
        (reason.isin(["no_group", "unrecorded"]), lit(Status.UNKNOWN.value)),
        (reason.isin(["no_groups", "none_held"]), lit(Status.NOT_APPLICABLE.value)),
        (reason == "absent", lit(Status.FAILED.value)),
        else_=lit(Status.PASSED.value if over else Status.PENDING.value),
    )
    gap = lib.cases(
        (reason == "no_group", lit(Gap.DETAILS_MISSING.value)),
        (reason == "unrecorded", lit(Gap.COUNTS_ONLY.value)),
        else_=lit(None, type="string"),
    )
    parts.append(
        ctx.rows(
            rule,
            grid,
            **_whole_period(ctx),
            status=status,
            gap=gap,
            reason=reason,
            count=lib.cases(
                (reason == "absent", grid.w_n),
                (reason == "unrecorded", grid.u_n),
                else_=lit(None, type="int64"),
            ),
            evidence=lib.cases(
                (reason == "absent", ids_or_empty(grid.w_ids)),
                (reason == "unrecorded", ids_or_empty(grid.u_ids)),
                else_=EMPTY_IDS(),
            ),
            detail=lib.cases(
                (reason == "absent", grid.w_items.join(_SEP)),
                (reason == "unrecorded", grid.u_items.join(_SEP)),
                else_=lit(None, type="string"),
            ),
        )
    )
    return union_all(parts)


def _states(ctx: TableContext, p: AttendanceParams, members: Any) -> Any:
    """Each member's meetings of the rule's kind, with their ``state``:
    :func:`dangjian.rules.kinds.attendance.meeting_state` as an expression, ``h_ord``, the
    meeting's number among the meetings of the kind in order of organisation (or party group,
    for a rule by group), day and id, and ``c_key``, the member's number in order of id.

    A member's meetings are those of one place on the days of one span, so they are a range of
    the place's meetings without gaps: two of them are next to each other in the member's order
    exactly when their ``h_ord`` are, and no window over every member's meetings is needed.

    The records of presence, absence and who was expected are first narrowed to the meetings of
    the kind, and the facts of a meeting (whether it names those present, whether it lists who
    was expected) are found once per meeting, not once per member.

    Whether a member is named present is matched on the two numbers (:func:`_pair_key`), not
    on the ids: tens of millions of names are read, and numbers are quicker to hash.

    Columns ``c_member``, ``c_key``, ``h_id``, ``h_date``, ``h_ord``, ``state``."""
    lib = ibis()
    lit = lib.literal
    mt = ctx.meetings_serving([p.meeting_kind])
    mt = mt.filter((mt.date <= ctx.period.end) & (mt.date < ctx.as_of)).select(
        h_id="id", h_date="date", h_branch="branch", h_group="group", h_present="present_count"
    )
    # numbered in one order, by place, day and id: a place's meetings are consecutive numbers
    mt = mt.mutate(
        h_ord=lib.row_number().over(
            order_by=[mt.h_group if p.by_group else mt.h_branch, mt.h_date, mt.h_id]
        )
    )
    kept = mt.select(k_meeting="h_id", k_ord="h_ord").view()
    cells = members.select(
        c_member="id",
        c_branch="branch",
        c_group="group",
        c_start="span_start",
        c_end="span_end",
        c_never="span_never",
    )
    # each member numbered too: who attended what is matched on the two numbers, which are
    # quicker to hash and compare than the ids (tens of millions of names at a province's size)
    cells = cells.mutate(c_key=lib.dense_rank().over(order_by=cells.c_member)).view()
    keys = cells.select(q_member="c_member", q_key="c_key").distinct().view()
    att = ctx.table("meetings.attended").select(a_meeting="meeting", a_member="attended")
    # (inner joins: the meetings, and the members' numbers, are distinct)
    att = att.join(kept, att.a_meeting == kept.k_meeting).select("a_meeting", "a_member", "k_ord")
    named = att.select(n_meeting="a_meeting").distinct()
    att = att.join(keys, att.a_member == keys.q_member)
    att = att.select(a_pair=_pair_key(att.k_ord, att.q_key))
    ab = ctx.table("meetings.absences").select("meeting", "member", "index", "reason")
    ab = ab.semi_join(kept, ab.meeting == kept.k_meeting).view()
    first = ab.group_by(f_meeting="meeting", f_member="member").aggregate(f_index=ab["index"].min())
    why = (
        first.join(
            ab,
            (ab.meeting == first.f_meeting)
            & (ab.member == first.f_member)
            & (ab["index"] == first.f_index),
        )
        .select(w_meeting="f_meeting", w_member="f_member", w_reason=ab.reason)
        .view()
    )
    ex = ctx.table("meetings.expected").select(e_meeting="meeting", e_member="expected")
    ex = ex.semi_join(kept, ex.e_meeting == kept.k_meeting)
    listed = ex.distinct().view()
    listing = listed.select(l_meeting="e_meeting").distinct().view()
    mt = mt.left_join(named, mt.h_id == named.n_meeting).select(
        mt, h_named=named.n_meeting.notnull()
    )
    mt = mt.left_join(listing, mt.h_id == listing.l_meeting).select(
        mt, h_listed=listing.l_meeting.notnull()
    )
    place = (mt.h_group == cells.c_group) if p.by_group else (mt.h_branch == cells.c_branch)
    pairs = cells.join(
        mt, place & ctx.within(cells.c_start, cells.c_end, cells.c_never, mt.h_date)
    ).select("c_member", "c_key", "h_id", "h_date", "h_ord", "h_present", "h_named", "h_listed")
    # whether the member is named present
    if ctx.con.name == "duckdb":
        # as IN over one number made of the two (a meeting's below 2**31, a member's below
        # 2**32): DuckDB marks the pairs found without making the names distinct first (a
        # group-by of millions), and neither side needs the ids
        pairs = pairs.mutate(att=_pair_key(pairs.h_ord, pairs.c_key).isin(att.a_pair))
    else:  # Spark takes IN over a table only in a filter
        present = att.select("a_pair").distinct().view()
        pairs = pairs.left_join(
            present, _pair_key(pairs.h_ord, pairs.c_key) == present.a_pair
        ).select(pairs, att=present.a_pair.notnull())
    pairs = pairs.left_join(
        why, (pairs.h_id == why.w_meeting) & (pairs.c_member == why.w_member)
    ).select(pairs, why=why.w_reason)
    pairs = pairs.left_join(
        listed, (pairs.h_id == listed.e_meeting) & (pairs.c_member == listed.e_member)
    ).select(pairs, on_list=listed.e_meeting.notnull())
    excused = [r.value for r in p.excused]
    is_excused = pairs.why.isin(excused) if excused else lit(False)
    records_names = pairs.h_named | (pairs.h_present.notnull() & (pairs.h_present == 0))
    state = lib.cases(
        (pairs.att, lit("attended")),
        (pairs.why.notnull() & is_excused, lit("excused")),
        (pairs.why.notnull(), lit("absent")),
        (pairs.h_listed & ~pairs.on_list, lit("not_expected")),
        (records_names, lit("absent")),
        else_=lit("unrecorded"),
    )
    return pairs.select("c_member", "c_key", "h_id", "h_date", "h_ord", state=state)


def _pair_key(meeting: Any, member: Any) -> Any:
    """One number for a meeting's ``h_ord`` and a member's ``c_key`` (see :func:`_states`)."""
    return meeting.cast("int64") * ibis().literal(2**32, type="int64") + member.cast("int64")


def _longest(ctx: TableContext, p: AttendanceParams, states: Any, allow: list[str]) -> Any:
    """Each member's longest run of at least ``p.consecutive`` meetings in a row in the states
    ``allow`` (``["absent"]``, or with ``"unrecorded"``), whose last meeting is in the period or
    later (the first of the longest): :func:`dangjian.rules.kinds.attendance.longest_run`.
    Columns ``r_member``, ``r_n``, ``r_ids``, ``r_items``.

    A run is an island of consecutive ``h_ord`` (see :func:`_states`): its meetings share the
    place less their number among the member's meetings in ``allow``, and a later run has a
    greater one. The runs are counted first and the longest chosen; only its meetings are then
    collected (most runs are short, and a list is the costliest aggregate to build), sorted, so
    that the lists are the same on every backend."""
    lib = ibis()
    s = states.filter(states.state.isin(allow))
    # (by the members' numbers, not their ids: quicker to sort and hash)
    number = lib.row_number().over(group_by=s.c_key, order_by=s.h_ord)
    s = s.select("c_member", "c_key", "h_id", "h_date", "state", island=s.h_ord - number)
    runs = s.group_by(r_key=s.c_key, r_island=s.island).aggregate(
        r_n=s.h_id.count(), r_last=s.h_date.max()
    )
    runs = runs.filter((runs.r_n >= p.consecutive) & (runs.r_last >= ctx.period.start))
    rank = lib.row_number().over(group_by=runs.r_key, order_by=[runs.r_n.desc(), runs.r_island])
    best = runs.mutate(rank=rank)
    best = best.filter(best["rank"] == 0).select("r_key", "r_island", "r_n").view()
    picked = s.join(best, (s.c_key == best.r_key) & (s.island == best.r_island))
    letter = lib.cases((picked.state == "unrecorded", lib.literal("u")), else_=lib.literal("a"))
    picked = picked.select(
        "r_n", "h_id", "h_date", r_member="c_member", item=iso(picked.h_date).concat(_FIELD, letter)
    )
    lists = picked.group_by("r_member", "r_n").aggregate(
        r_ids=picked.h_id.collect(), r_items=picked.item.collect()
    )
    return lists.select("r_member", "r_n", r_ids=lists.r_ids.sort(), r_items=lists.r_items.sort())


def _attendance_message(rule: Rule, row: FindingRow) -> Message:
    p: AttendanceParams = rule.params_on(Period.parse(row.period or "").start)
    if row.reason == "undated":
        return undated_message(
            attendance_need(p),
            row.subject_name,
            row.subject_id,
            MemberStatus.parse(row.detail or ""),
        )
    items = sorted(
        (dt.date.fromisoformat(day), letter)
        for day, letter in (
            item.split(_FIELD, 1) for item in (row.detail or "").split(_SEP) if item
        )
    )
    return attendance_message(
        row.reason or "",
        p,
        name=row.subject_name,
        member=row.subject_id,
        run=[day for day, _ in items],
        unrecorded=[day for day, letter in items if letter == "u"],
    )


ATTENDANCE = TableKind(
    name="attendance", evaluate=_evaluate_attendance, message=_attendance_message
)
