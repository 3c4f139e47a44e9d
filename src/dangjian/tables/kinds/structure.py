"""The ``structure`` rule kind over tables: the shape of organisations on the day judged (see
:mod:`dangjian.rules.kinds.people`, whose ``structure`` kind this implements).

Every check judges each organisation the rule applies to that exists on the day judged (the
period's end, or the day of judging when that comes first), once, over the whole period. The
generic columns carry what :func:`~dangjian.rules.kinds.people.structure_message` needs:

- ``reason``: which message (the ``reason`` of ``structure_message``);
- ``count``: the members counted (``min_full_members``, ``max_members``), the full members
  (``committee``, ``organ_level``) or the years of a term (``term``);
- ``expected``: for ``committee``, the people on the committee (from the threshold up) or in
  seats other than the secretary's and the deputy's (below it);
- ``other_id``: the secretary, or the body that approved a delay or an advance of the
  election (``term``); ``other_day``: the secretary's conversion, or the last election;
  ``detail``: the day the secretary took the seat (``2020-03-01``), the organisation's level
  code (``organ_level``), or the days an approval was given and approved for the election,
  joined by ``\x1f`` (``term``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.findings import Gap, Status
from dangjian.i18n import Message
from dangjian.model import CommitteeRole, OrgLevel
from dangjian.rules.kinds._common import judge_day
from dangjian.rules.kinds.people import StructureParams, structure_message
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    EMPTY_IDS,
    add_months,
    branch_subject,
    ibis,
    ids_or_empty,
    period_columns,
)

__all__ = ["STRUCTURE"]

_UNIT = "\x1f"

_NO_COMMITTEE = (CommitteeRole.SECRETARY.value, CommitteeRole.DEPUTY_SECRETARY.value)


def _evaluate_structure(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    day = judge_day(ctx.period, ctx.as_of)
    p: StructureParams = rule.params_on(day)
    orgs = ctx.organisations(rule)
    orgs = orgs.filter(
        (orgs.founded.isnull() | (orgs.founded <= day))
        & (orgs.dissolved.isnull() | (orgs.dissolved >= day))
        & lit(rule.in_force.covers(day))
    )
    base = orgs.select(
        **branch_subject(orgs.id, orgs.name),
        o_level=orgs.level,
        o_category=orgs.category,
        o_term_years=orgs.term_years,
        o_elected=orgs.last_election,
    )
    judged = _CHECKS[p.check](ctx, p, day, base)
    return ctx.rows(
        rule,
        judged,
        **period_columns(ctx.period),
        day=day,
    )


def _counted(ctx: TableContext, day: dt.date, *, full: bool) -> Any:
    """The (full) members of each organisation on ``day``: ``c_branch``, ``c_n``, ``c_ids``."""
    spans = ctx.member_spans()
    if full:
        on = ctx.within(spans.full_start, spans.full_end, spans.full_never, day)
    else:
        on = ctx.within(spans.span_start, spans.span_end, spans.span_never, day)
    members = spans.filter(on)
    return (
        members.group_by(c_branch="branch")
        .aggregate(c_n=members.id.count(), c_ids=members.id.collect())
        .view()
    )


def _with_counts(ctx: TableContext, day: dt.date, base: Any, *, full: bool) -> Any:
    counted = _counted(ctx, day, full=full)
    return base.left_join(counted, base.subject_id == counted.c_branch).select(
        base, n=counted.c_n.fill_null(0), ids=ids_or_empty(counted.c_ids)
    )


def _passed(met: Any) -> Any:
    lit = ibis().literal
    return ibis().cases((met, lit(Status.PASSED.value)), else_=lit(Status.FAILED.value))


def _min_full(ctx: TableContext, p: StructureParams, day: dt.date, base: Any) -> Any:
    t = _with_counts(ctx, day, base, full=True)
    return t.mutate(
        status=_passed(t.n >= p.at_least),
        reason=ibis().literal("min_full_members"),
        count=t.n,
        evidence=t.ids,
    )


def _max_members(ctx: TableContext, p: StructureParams, day: dt.date, base: Any) -> Any:
    t = _with_counts(ctx, day, base, full=False)
    return t.mutate(
        status=_passed(t.n <= p.at_most),
        reason=ibis().literal("max_members"),
        count=t.n,
        evidence=t.ids,
    )


def _seats_on(ctx: TableContext, day: dt.date) -> Any:
    """The committee seats held on ``day``."""
    seats = ctx.table("branches.committee")
    return seats.filter(
        (seats.start.isnull() | (seats.start <= day)) & (seats.end.isnull() | (seats.end >= day))
    )


def _committee(ctx: TableContext, p: StructureParams, day: dt.date, base: Any) -> Any:
    lit = ibis().literal
    seats = _seats_on(ctx, day)
    people = seats.select("branch", "member").distinct()
    sat = (
        people.group_by(s_branch="branch")
        .aggregate(s_n=people.member.count(), s_ids=people.member.collect())
        .view()
    )
    secretaries = (
        seats.filter(seats.role == CommitteeRole.SECRETARY.value)
        .select(k_branch="branch")
        .distinct()
        .view()
    )
    others = seats.filter(~seats.role.isin(_NO_COMMITTEE)).select("branch", "member").distinct()
    other = others.group_by(x_branch="branch").aggregate(x_n=others.member.count()).view()
    t = _with_counts(ctx, day, base, full=True)
    t = t.left_join(sat, t.subject_id == sat.s_branch).select(
        t, seated=sat.s_n.fill_null(0), people=ids_or_empty(sat.s_ids)
    )
    t = t.left_join(secretaries, t.subject_id == secretaries.k_branch).select(
        t, has_secretary=secretaries.k_branch.notnull()
    )
    t = t.left_join(other, t.subject_id == other.x_branch).select(t, others=other.x_n.fill_null(0))
    large = t.n >= p.threshold
    met = ibis().cases(
        (large, (t.seated >= p.min_seats) & (t.seated <= p.max_seats) & t.has_secretary),
        else_=t.has_secretary & (t.others == 0),
    )
    return t.mutate(
        status=_passed(met),
        reason=ibis().cases(
            (large & t.has_secretary, lit("committee")),
            (large, lit("committee_no_secretary")),
            (t.has_secretary, lit("small")),
            else_=lit("small_no_secretary"),
        ),
        count=t.n,
        expected=ibis().cases((large, t.seated), else_=t.others),
        evidence=t.people,
    )


def _secretary_standing(ctx: TableContext, p: StructureParams, day: dt.date, base: Any) -> Any:
    lit = ibis().literal
    seats = _seats_on(ctx, day)
    seats = seats.filter(seats.role == CommitteeRole.SECRETARY.value)
    # the first secretary's seat in the organisation's list
    first = seats.group_by(f_branch="branch").aggregate(f_index=seats["index"].min()).view()
    chosen = seats.join(
        first, (seats.branch == first.f_branch) & (seats["index"] == first.f_index)
    ).select(q_branch=seats.branch, q_member=seats.member, q_start=seats.start)
    members = ctx.table("members").select(
        mm_id="id", mm_converted=ctx.table("members")["milestones.converted"]
    )
    chosen = (
        chosen.left_join(members, chosen.q_member == members.mm_id)
        .select("q_branch", "q_member", "q_start", q_converted=members.mm_converted)
        .view()
    )
    t = base.left_join(chosen, base.subject_id == chosen.q_branch).select(
        base, "q_member", "q_start", "q_converted"
    )
    since = t.q_start.fill_null(lit(day, type="date"))
    none = t.q_member.isnull()
    unknown = t.q_converted.isnull()
    met = add_months(t.q_converted, 12 * p.years) <= since
    return t.mutate(
        status=ibis().cases(
            (none, lit(Status.NOT_APPLICABLE.value)),
            (unknown, lit(Status.UNKNOWN.value)),
            else_=_passed(met),
        ),
        reason=ibis().cases(
            (none, lit("no_secretary")),
            (unknown, lit("not_converted")),
            else_=lit("secretary_standing"),
        ),
        gap=ibis().cases(
            (~none & unknown, lit(Gap.DATES_MISSING.value)), else_=lit(None, type="string")
        ),
        evidence=ibis().cases((none, EMPTY_IDS()), else_=ibis().array([t.q_member])),
        other_id=t.q_member,
        other_day=t.q_converted,
        detail=ibis().cases(
            (none | unknown, lit(None, type="string")), else_=since.strftime("%Y-%m-%d")
        ),
    )


def _standing_delays(ctx: TableContext, day: dt.date) -> Any:
    """The approval that stands for each organisation's current term (see
    :func:`~dangjian.rules.kinds.people.standing_delay`): the latest given after its last
    election and by ``day``, of two on one day the one listed later. Columns ``a_branch``,
    ``a_on``, ``a_by``, ``a_date``."""
    lit = ibis().literal
    delays = ctx.table("branches.election_delays")
    branches = ctx.table("branches")
    elected = branches.select(e_branch="id", e_elected="last_election")
    given = delays.join(
        elected,
        (delays.branch == elected.e_branch)
        & (elected.e_elected < delays.approved_on)
        & (delays.approved_on <= lit(day, type="date")),
    ).select(
        a_branch=delays.branch,
        a_index=delays["index"],
        a_on=delays.approved_on,
        a_by=delays.approved_by,
        a_date=delays.election_date,
    )
    latest = given.group_by(l_branch="a_branch").aggregate(l_on=given.a_on.max())
    on_latest = given.join(
        latest, (given.a_branch == latest.l_branch) & (given.a_on == latest.l_on)
    ).select(*given.columns)
    last = on_latest.group_by(k_branch="a_branch").aggregate(k_index=on_latest.a_index.max())
    return (
        on_latest.join(
            last, (on_latest.a_branch == last.k_branch) & (on_latest.a_index == last.k_index)
        )
        .select("a_branch", "a_on", "a_by", "a_date")
        .view()
    )


def _term(ctx: TableContext, p: StructureParams, day: dt.date, base: Any) -> Any:
    """The ``term`` check, deciding as :func:`~dangjian.rules.kinds.people.election_deadline`
    does: ``reason`` is its case, ``count`` the term's years, ``other_day`` the last election;
    for a standing approval, ``other_id`` is the approving body and ``detail`` the day it was
    approved and the day approved for the election (``2023-02-01\x1f2023-09-30``)."""
    lit = ibis().literal
    recorded = base.o_term_years.notnull() & (base.o_term_years != 0)
    years = ibis().cases(
        (recorded, base.o_term_years),
        *(
            (base.o_category == category.value, lit(n, type="int64"))
            for category, n in p.years_by_category.items()
        ),
        else_=lit(p.years, type="int64"),
    )
    t = base.mutate(years=years, recorded=recorded)
    if p.grace_years:
        delays = _standing_delays(ctx, day)
        t = t.left_join(delays, t.subject_id == delays.a_branch).select(t, "a_on", "a_by", "a_date")
    no_election = t.o_elected.isnull()
    before = lit(False)
    if p.terms_from is not None:
        before = (t.o_elected < p.terms_from) & ~t.recorded
    end = add_months(t.o_elected, 12 * t.years)
    no_text = lit(None, type="string")
    if p.grace_years:
        latest = add_months(t.o_elected, 12 * (t.years + p.grace_years))
        approved = t.a_on.notnull()
        advanced = approved & (t.a_date <= end)
        capped = approved & (t.a_date > latest)
        case = ibis().cases(
            (~approved, lit("unapproved")),
            (advanced, lit("advanced")),
            (capped, lit("capped")),
            else_=lit("approved"),
        )
        deadline = ibis().cases((~approved | advanced, end), (capped, latest), else_=t.a_date)
        approved_by = t.a_by
        approval = ibis().cases(
            (approved, t.a_on.strftime("%Y-%m-%d") + _UNIT + t.a_date.strftime("%Y-%m-%d")),
            else_=no_text,
        )
    else:
        case, deadline, approved_by, approval = lit("term"), end, no_text, no_text
    unknown = no_election | before
    return t.mutate(
        status=ibis().cases(
            (unknown, lit(Status.UNKNOWN.value)),
            else_=_passed(lit(day, type="date") <= deadline),
        ),
        reason=ibis().cases(
            (no_election, lit("no_election")),
            (before, lit("before_terms")),
            else_=case,
        ),
        gap=ibis().cases(
            (no_election, lit(Gap.DATES_MISSING.value)),
            (before, lit(Gap.DETAILS_MISSING.value)),
            else_=no_text,
        ),
        count=t.years,
        other_day=t.o_elected,
        other_id=ibis().cases((unknown, no_text), else_=approved_by),
        detail=ibis().cases((unknown, no_text), else_=approval),
        evidence=EMPTY_IDS(),
    )


def _organ_level(ctx: TableContext, p: StructureParams, day: dt.date, base: Any) -> Any:
    lit = ibis().literal
    counted = _counted(ctx, day, full=True)
    tree = ctx.tree()
    below = tree.join(counted, tree.descendant == counted.c_branch)
    total = below.group_by(g_org="ancestor").aggregate(g_n=below.c_n.sum()).view()
    t = base.left_join(total, base.subject_id == total.g_org).select(
        base, full=total.g_n.fill_null(0)
    )
    expected = ibis().cases(
        (t.full >= p.threshold, lit(OrgLevel.COMMITTEE.value)),
        (t.full >= p.at_least, lit(OrgLevel.GENERAL_BRANCH.value)),
        else_=lit(None, type="string"),
    )
    met = (
        expected.isnull()
        | (t.o_level == expected)
        | ((expected == OrgLevel.GENERAL_BRANCH.value) & (t.o_level == OrgLevel.COMMITTEE.value))
    )
    return t.mutate(
        status=_passed(met.fill_null(False)),
        reason=lit("organ_level"),
        count=t.full,
        detail=t.o_level,
        evidence=EMPTY_IDS(),
    )


_CHECKS = {
    "min_full_members": _min_full,
    "max_members": _max_members,
    "committee": _committee,
    "secretary_standing": _secretary_standing,
    "term": _term,
    "organ_level": _organ_level,
}


def _structure_message(rule: Rule, row: FindingRow) -> Message:
    day = row.day or dt.date.min
    p: StructureParams = rule.params_on(day)
    reason = row.reason or ""
    count = row.count or 0
    committee = reason in ("committee", "committee_no_secretary", "small", "small_no_secretary")
    approval: tuple[dt.date | None, dt.date | None] = (None, None)
    if reason in ("approved", "capped", "advanced") and row.detail:
        on, date = row.detail.split(_UNIT)
        approval = (dt.date.fromisoformat(on), dt.date.fromisoformat(date))
    return structure_message(
        p,
        reason,
        org_name=row.subject_name,
        org_id=row.subject_id,
        day=day,
        n=(row.expected or 0) if committee else count,
        full=count,
        secretary=row.other_id or "",
        converted=row.other_day,
        since=dt.date.fromisoformat(row.detail)
        if reason == "secretary_standing" and row.detail
        else None,
        years=count,
        elected=row.other_day,
        level=OrgLevel.parse(row.detail) if reason == "organ_level" and row.detail else None,
        approved_on=approval[0],
        approved_by=(row.other_id or "") if approval[0] else "",
        election_date=approval[1],
    )


STRUCTURE = TableKind(name="structure", evaluate=_evaluate_structure, message=_structure_message)
