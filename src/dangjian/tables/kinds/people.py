"""Rule kinds about people, over tables (see :mod:`dangjian.rules.kinds.people`): ``coverage``,
``talk_pairs`` and ``membership``.

Each kind's findings carry in the generic columns of
:data:`~dangjian.tables.findings.FINDING_COLUMNS` what its message needs:

- ``coverage``: ``reason`` (``undated``, ``not_member``, ``not_kept``, ``partly_in_force``, or
  empty when judged); ``amount`` the talks or hours reached; ``expected_amount`` the target the
  member is held to (the committee members' when higher); ``detail`` the member's status code
  (``undated``).
- ``talk_pairs``: ``reason`` (``not_kept``, ``none_within``, ``too_few``, or empty when
  judged); ``count`` the members on the rolls all through the sub-period, ``expected`` those on
  them part of it; ``detail`` the pairs without enough talks, each ``a``, the name of ``a``,
  ``b``, the name of ``b`` (fields apart by ``"\\x1e"``, pairs by :data:`SEP`).
- ``membership``: ``reason`` as :func:`~dangjian.rules.kinds.people.membership_message` takes
  it; ``day`` the day of the step (for ``probation`` its due day), ``other_day`` the other day
  the message names (born, talk, activist, converted), ``count`` the sponsors, mentors or
  months of an extension, ``expected`` the months a probation was extended by, ``amount`` the
  training hours found, ``detail`` the exception recorded (``course``) or the day of admission
  (``probation``, ISO).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dangjian.findings import Gap, Status
from dangjian.i18n import Message
from dangjian.model import MemberStatus
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.kinds.people import (
    CoverageParams,
    MembershipParams,
    TalkPairsParams,
    coverage_message,
    membership_message,
    talk_pairs_message,
)
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext, version_on
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    EMPTY_IDS,
    add_months,
    branch_subject,
    ibis,
    ids_or_empty,
    in_force,
    month_of,
    one_if,
    param_of_version,
    param_on,
    subject,
    union_all,
)

__all__ = ["COVERAGE", "MEMBERSHIP", "SEP", "TALK_PAIRS"]

SEP = "\x1f"
"""What separates the items of a list carried in ``detail``."""

_FIELD = "\x1e"
"""What separates the fields of one item of such a list."""


def _versions(ctx: TableContext, rule: Rule, unit: PeriodUnit) -> list[int]:
    """The positions of the parameters in force on the first days of the sub-periods."""
    return sorted({version_on(rule, sub.start) for sub in ctx.subperiods(unit)})


def _member_subjects(ctx: TableContext, rule: Rule) -> Any:
    """The members of the organisations ``rule`` applies to, with their spans
    (:meth:`TableContext.member_spans`) and ``subject_*`` columns."""
    orgs = ctx.organisations(rule).select(o_id="id")
    spans = ctx.member_spans()
    mine = spans.semi_join(orgs, spans.branch == orgs.o_id)
    return mine.mutate(
        **subject("member", mine.id, mine.name, mine.branch),
    )


def _overlaps(start: Any, end: Any, never: Any, first: Any, last: Any) -> Any:
    """Whether the span has a day from ``first`` to ``last`` (the object kind's
    ``_overlaps``)."""
    return ~never & (start.isnull() | (start <= last)) & (end.isnull() | (end >= first))


# -- coverage ----------------------------------------------------------------------------------


def _measured(ctx: TableContext, measure: str) -> Any:
    """The records a measure counts, by member: ``r_member``, ``r_id``, ``r_date``,
    ``r_value`` (1 a talk, either side; the hours of a training)."""
    lit = ibis().literal
    if measure == "talks":
        x = ctx.table("talks")
        one = lit(Decimal(1), type="decimal(18, 2)")
        a = x.select(r_member=x.initiator, r_id=x.id, r_date=x.date, r_value=one)
        b = x.select(r_member=x.partner, r_id=x.id, r_date=x.date, r_value=one)
        return a.union(b, distinct=False)
    r = ctx.table("trainings")
    return r.select(r_member=r.member, r_id=r.id, r_date=r.date, r_value=r.hours)


def _evaluate_coverage(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    first: CoverageParams = rule.params_on(ctx.period.start)
    subs = ctx.subperiod_table(rule, first.per)
    grid = _member_subjects(ctx, rule).cross_join(subs)
    seats = ctx.table("branches.committee").select(s_member="member", s_start="start", s_end="end")
    cells = grid.select(
        c_member=grid.id, c_period=grid.period, c_first=grid.period_start, c_last=grid.period_end
    ).distinct()
    held = cells.join(
        seats,
        (seats.s_member == cells.c_member)
        & (seats.s_start.isnull() | (seats.s_start <= cells.c_last))
        & (seats.s_end.isnull() | (seats.s_end >= cells.c_first)),
    )
    seated = (
        held.group_by(h_member="c_member", h_period="c_period")
        .aggregate(h_seats=held.c_member.count())
        .view()
    )
    grid = grid.left_join(
        seated, (grid.id == seated.h_member) & (grid.period == seated.h_period)
    ).select(grid, on_committee=seated.h_seats.fill_null(0) > 0)
    undated = ctx.left_undated(grid, grid.period_end)
    overlaps = _overlaps(
        grid.span_start, grid.span_end, grid.span_never, grid.period_start, grid.period_end
    )
    grid = grid.filter(undated | overlaps).mutate(g_undated=undated)
    parts = []
    for version in _versions(ctx, rule, first.per):
        p: CoverageParams = rule.versions[version].params
        vgrid = grid.filter(grid.version == version)
        records = _measured(ctx, p.measure)
        w = (
            vgrid.select(w_period="period", w_first="period_start", w_last="period_end")
            .distinct()
            .view()
        )
        within = records.join(w, (records.r_date >= w.w_first) & (records.r_date <= w.w_last))
        tally = (
            within.group_by(t_member="r_member", t_period="w_period")
            .aggregate(t_reached=within.r_value.sum(), t_evidence=within.r_id.collect())
            .view()
        )
        vgrid = vgrid.left_join(
            tally, (vgrid.id == tally.t_member) & (vgrid.period == tally.t_period)
        ).select(
            vgrid,
            reached=tally.t_reached.fill_null(lit(Decimal(0), type="decimal(18, 2)")),
            found=ids_or_empty(tally.t_evidence),
        )
        parts.append(_judged_coverage(ctx, rule, p, vgrid))
    return union_all(parts)


def _judged_coverage(ctx: TableContext, rule: Rule, p: CoverageParams, grid: Any) -> Any:
    lit = ibis().literal
    cases = ibis().cases
    higher = (
        grid.on_committee
        if p.at_least_committee is not None and p.at_least_committee > p.at_least
        else lit(False)
    )
    target = cases(
        (higher, lit(p.at_least_committee or Decimal(0), type="decimal(18, 2)")),
        else_=lit(p.at_least, type="decimal(18, 2)"),
    )
    covered = ctx.covers(
        grid.span_start, grid.span_end, grid.span_never, grid.period_start, grid.period_end
    )
    met = grid.reached >= target
    judged = ctx.status_of(met, grid.pending)
    _, keeps_any = ctx.keeps("talks" if p.measure == "talks" else "trainings")
    not_kept = (judged == Status.FAILED.value) & lit(not keeps_any)
    reason = cases(
        (grid.g_undated, lit("undated")),
        (grid.in_force == "partial", lit("partly_in_force")),
        (~covered, lit("not_member")),
        (not_kept, lit("not_kept")),
        else_=lit(None, type="string"),
    )
    status = cases(
        (reason == "undated", lit(Status.UNKNOWN.value)),
        (reason.isin(["partly_in_force", "not_member"]), lit(Status.NOT_APPLICABLE.value)),
        (reason == "not_kept", lit(Status.UNKNOWN.value)),
        else_=judged,
    )
    return ctx.rows(
        rule,
        grid,
        status=status,
        reason=reason,
        gap=cases(
            (reason == "undated", lit(Gap.DATES_MISSING.value)),
            (reason == "not_kept", lit(Gap.NOT_KEPT.value)),
            else_=lit(None, type="string"),
        ),
        evidence=cases((reason.isnull(), grid.found), else_=EMPTY_IDS()),
        amount=grid.reached,
        expected_amount=target,
        detail=grid.status,
    )


def _coverage_message(rule: Rule, row: FindingRow) -> Message:
    sub = Period.parse(row.period or "")
    p: CoverageParams = rule.params_on(sub.start)
    target = row.expected_amount
    higher = (
        p.at_least_committee is not None
        and p.at_least_committee > p.at_least
        and target is not None
        and target == p.at_least_committee
    )
    return coverage_message(
        p,
        sub,
        row.reason,
        higher=higher,
        reached=row.amount if row.amount is not None else Decimal(0),
        name=row.subject_name,
        member=row.subject_id,
        status=MemberStatus.parse(row.detail) if row.detail else None,
    )


COVERAGE = TableKind(name="coverage", evaluate=_evaluate_coverage, message=_coverage_message)


# -- talks between pairs -------------------------------------------------------------------------


def _evaluate_talk_pairs(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    cases = ibis().cases
    first: TalkPairsParams = rule.params_on(ctx.period.start)
    subs = ctx.subperiod_table(rule, first.per)
    _, keeps_talks = ctx.keeps("talks")
    orgs = ctx.organisations(rule).select(org_id="id", org_name="name")
    spans = ctx.member_spans()
    people = spans.select(
        p_id="id",
        p_name="name",
        p_branch="branch",
        p_start="span_start",
        p_end="span_end",
        p_never="span_never",
    )
    # the talks between two members of the same organisation
    x = ctx.table("talks")
    pa = people.select(a_id="p_id", a_branch="p_branch").view()
    pb = people.select(b_id="p_id", b_branch="p_branch").view()
    within = x.join(pa, x.initiator == pa.a_id).select(x, "a_branch")
    within = within.join(pb, (within.partner == pb.b_id) & (within.a_branch == pb.b_branch)).select(
        x_id=within.id,
        x_date=within.date,
        x_branch=within.a_branch,
        x_a=within.initiator,
        x_b=within.partner,
    )
    talking = within.select(k_branch="x_branch").distinct().view()
    # each cell of the grid (organisation × sub-period) and each person numbered, in the order
    # of their ids: the pairs are formed, matched and gathered on these numbers, which are
    # quicker to hash and compare than the ids (millions of pairs at a province's scale)
    grid = orgs.cross_join(subs)
    grid = grid.left_join(talking, grid.org_id == talking.k_branch).select(
        grid,
        has_talks=talking.k_branch.notnull(),
        # (ranked, not counted: rows of one organisation and period, were there two, share a
        # number, as they shared the ids these numbers stand for)
        cell=ibis().dense_rank().over(order_by=[grid.org_id, grid.period]),
    )
    grid = grid.view()  # a relation of its own: the tables made from it join back to it
    people = people.mutate(p_key=ibis().dense_rank().over(order_by=people.p_id))
    # who is on the rolls all through each sub-period, or part of it
    rolls = grid.select(
        r_cell="cell", r_org="org_id", r_first="period_start", r_last="period_end"
    ).view()
    on = rolls.join(people, rolls.r_org == people.p_branch)
    whole = ctx.covers(on.p_start, on.p_end, on.p_never, on.r_first, on.r_last)
    part = ~whole & _overlaps(on.p_start, on.p_end, on.p_never, on.r_first, on.r_last)
    on = on.mutate(w=whole, pt=part)
    sizes = (
        on.group_by(z_cell="r_cell")
        .aggregate(z_whole=one_if(on.w).sum(), z_part=one_if(on.pt).sum())
        .view()
    )
    members = on.filter(on.w).select(
        m_cell="r_cell",
        m_org="r_org",
        m_first="r_first",
        m_last="r_last",
        m_id="p_id",
        m_key="p_key",
        # the member's half of an item of ``detail``: made once a member, not once a pair
        m_item=on.p_id + _FIELD + on.p_name,
    )
    # the talks within each sub-period between two members on the rolls all through it
    ma = members.select(
        ma_cell="m_cell",
        ma_org="m_org",
        ma_first="m_first",
        ma_last="m_last",
        ma_id="m_id",
        ma_key="m_key",
    ).view()
    mb = members.select(mb_cell="m_cell", mb_id="m_id", mb_key="m_key").view()
    held = within.join(
        ma,
        (within.x_branch == ma.ma_org)
        & (within.x_a == ma.ma_id)
        & (within.x_date >= ma.ma_first)
        & (within.x_date <= ma.ma_last),
    ).select("x_id", "x_b", "ma_cell", "ma_key")
    held = held.join(mb, (held.ma_cell == mb.mb_cell) & (held.x_b == mb.mb_id)).select(
        h_cell=held.ma_cell,
        h_id=held.x_id,
        h_lo=cases((held.ma_key < mb.mb_key, held.ma_key), else_=mb.mb_key),
        h_hi=cases((held.ma_key < mb.mb_key, mb.mb_key), else_=held.ma_key),
    )
    evidence = held.group_by(e_cell="h_cell").aggregate(e_ids=held.h_id.collect()).view()
    counted = (
        held.group_by(c_cell="h_cell", c_lo="h_lo", c_hi="h_hi")
        .aggregate(c_n=held.h_id.count())
        .view()
    )
    # the pairs, and those short of talks
    a = members.select(a_cell="m_cell", a_key="m_key", a_item="m_item").view()
    b = members.select(b_cell="m_cell", b_key="m_key", b_item="m_item").view()
    pairs = a.join(b, (a.a_cell == b.b_cell) & (a.a_key < b.b_key))
    pairs = pairs.left_join(
        counted,
        (pairs.a_cell == counted.c_cell)
        & (pairs.a_key == counted.c_lo)
        & (pairs.b_key == counted.c_hi),
    ).select("a_cell", "a_item", "b_item", n=counted.c_n.fill_null(0))
    wanted = {rule.versions[v].params.at_least for v in _versions(ctx, rule, first.per)}
    if len(wanted) == 1:
        # one target all through the period: no need to look up each pair's
        at_least = lit(wanted.pop(), type="int64")
    else:
        version = grid.select(v_cell="cell", v_version="version").view()
        pairs = pairs.join(version, pairs.a_cell == version.v_cell)
        at_least = param_of_version(rule, pairs.v_version, lambda p: p.at_least, "int64")
    short = pairs.filter(pairs.n < at_least)
    short = short.mutate(item=short.a_item + _FIELD + short.b_item)
    missing = (
        short.group_by(s_cell="a_cell")
        .aggregate(s_n=short.count(), s_items=short.item.collect())
        .view()
    )
    grid = grid.left_join(sizes, grid.cell == sizes.z_cell).select(
        grid, whole=sizes.z_whole.fill_null(0), part=sizes.z_part.fill_null(0)
    )
    grid = grid.left_join(evidence, grid.cell == evidence.e_cell).select(
        grid, found=ids_or_empty(evidence.e_ids)
    )
    grid = grid.left_join(missing, grid.cell == missing.s_cell).select(
        grid, n_missing=missing.s_n.fill_null(0), items=missing.s_items
    )
    reason = cases(
        (lit(not keeps_talks), lit("not_kept")),
        (~grid.has_talks, lit("none_within")),
        (grid.whole < 2, lit("too_few")),
        else_=lit(None, type="string"),
    )
    status = cases(
        (reason.isin(["not_kept", "none_within"]), lit(Status.UNKNOWN.value)),
        (reason == "too_few", lit(Status.NOT_APPLICABLE.value)),
        (grid.n_missing == 0, lit(Status.PASSED.value)),
        (grid.pending, lit(Status.PENDING.value)),
        else_=lit(Status.FAILED.value),
    )
    return ctx.rows(
        rule,
        grid,
        **branch_subject(grid.org_id, grid.org_name),
        status=status,
        reason=reason,
        gap=cases(
            (status == Status.UNKNOWN.value, lit(Gap.NOT_KEPT.value)),
            else_=lit(None, type="string"),
        ),
        evidence=cases((reason.isnull(), grid.found), else_=EMPTY_IDS()),
        count=grid.whole,
        expected=grid.part,
        detail=cases(
            (reason.isnull() & (grid.n_missing > 0), grid.items.join(SEP)),
            else_=lit(None, type="string"),
        ),
    )


def _pairs_of(detail: str | None) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The pairs carried in ``detail``, in order, and the names of their members."""
    pairs: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for item in (detail or "").split(SEP) if detail else ():
        a, a_name, b, b_name = item.split(_FIELD)
        pairs.append((a, b) if a < b else (b, a))
        names[a], names[b] = a_name, b_name
    return sorted(pairs), names


def _talk_pairs_message(rule: Rule, row: FindingRow) -> Message:
    sub = Period.parse(row.period or "")
    missing, names = _pairs_of(row.detail)
    return talk_pairs_message(
        rule.params_on(sub.start),
        sub,
        row.reason,
        org_name=row.subject_name,
        org_id=row.subject_id,
        whole=row.count or 0,
        part=row.expected or 0,
        missing=missing,
        names=names,
    )


TALK_PAIRS = TableKind(
    name="talk_pairs", evaluate=_evaluate_talk_pairs, message=_talk_pairs_message
)


# -- membership lifecycle ------------------------------------------------------------------------


def _in(ctx: TableContext, rule: Rule, day: Any) -> Any:
    """The object kind's ``_in``: ``day`` recorded, in the period and in force."""
    return (
        (day.notnull() & in_force(rule, day)) & (day >= ctx.period.start) & (day <= ctx.period.end)
    )


def _count_of(ctx: TableContext, name: str, where: Any = None) -> int:
    table = ctx.table(name)
    if where is not None:
        table = table.filter(where(table))
    return int(ctx.value(table.count()))


def _listed(ctx: TableContext, field: str, m: Any) -> Any:
    """The members' ``field`` list (``sponsors``, ``mentors``) as ``l_member``, ``l_ids``,
    ``l_n`` and, for sponsors, ``l_full`` (those full members on the day of admission)."""
    child = ctx.table(f"members.{field}")
    items = child.select(l_member=child.member, l_id=child[field])
    if field == "sponsors":
        spans = ctx.member_spans()
        full = spans.select(
            f_id="id", f_start="full_start", f_end="full_end", f_never="full_never"
        ).view()
        days = m.select(d_member="id", d_day="milestones.admitted").view()
        items = items.join(days, items.l_member == days.d_member)
        items = items.left_join(full, items.l_id == full.f_id).select(
            items,
            full=ctx.within(full.f_start, full.f_end, full.f_never, items.d_day).fill_null(False),
        )
    else:
        items = items.mutate(full=ibis().literal(False))
    return (
        items.group_by("l_member")
        .aggregate(
            l_ids=items.l_id.collect(),
            l_n=items.l_id.count(),
            l_full=one_if(items.full).sum(),
        )
        .view()
    )


def _evaluate_membership(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    cases = ibis().cases
    first: MembershipParams = rule.params_on(ctx.period.start)
    check = first.check
    m = _member_subjects(ctx, rule)
    ms = {
        k: m[f"milestones.{k}"]
        for k in (
            "applied",
            "first_talk",
            "activist",
            "candidate",
            "admitted",
            "converted",
            "course_exception",
        )
    }
    none_date = lit(None, type="date")
    none_str = lit(None, type="string")
    values: dict[str, Any] = {}
    if check == "min_age":
        applied = ms["applied"]
        m = m.filter(_in(ctx, rule, applied) & m.birth_date.notnull())
        applied = m["milestones.applied"]
        years = param_on(rule, applied, lambda p: p.years, "int64")
        status = cases(
            (add_months(m.birth_date, years * 12) <= applied, lit(Status.PASSED.value)),
            else_=lit(Status.FAILED.value),
        )
        values = dict(day=applied, other_day=m.birth_date, reason=none_str)
    elif check in ("sponsors", "mentors"):
        field = check
        step = "admitted" if field == "sponsors" else "activist"
        m = m.filter(_in(ctx, rule, ms[step]))
        listed = _listed(ctx, field, m)
        m = m.left_join(listed, m.id == listed.l_member).select(
            m,
            l_ids=ids_or_empty(listed.l_ids),
            l_n=listed.l_n.fill_null(0),
            l_full=listed.l_full.fill_null(0),
        )
        day = m[f"milestones.{step}"]
        n = m.l_full if field == "sponsors" else m.l_n
        at_least = param_on(rule, day, lambda p: p.at_least, "int64")
        at_most = param_on(rule, day, lambda p: p.at_most, "int64")
        kept = _count_of(ctx, f"members.{field}") > 0
        unknown = (n < at_least) & lit(not kept)
        met = n >= at_least if field == "sponsors" else (n >= at_least) & (n <= at_most)
        status = cases(
            (unknown, lit(Status.UNKNOWN.value)),
            (met, lit(Status.PASSED.value)),
            else_=lit(Status.FAILED.value),
        )
        values = dict(
            day=day,
            reason=cases((unknown, lit("not_kept")), else_=none_str),
            count=n,
            evidence=cases((unknown, EMPTY_IDS()), else_=m.l_ids),
        )
    elif check == "first_talk":
        m = m.filter(_in(ctx, rule, ms["applied"]))
        applied, talk = m["milestones.applied"], m["milestones.first_talk"]
        due = add_months(applied, param_on(rule, applied, lambda p: p.months, "int64"))
        kept = _count_of(ctx, "members", lambda x: x["milestones.first_talk"].notnull()) > 0
        over = due < ctx.as_of
        unknown = talk.isnull() & over & lit(not kept)
        status = cases(
            (unknown, lit(Status.UNKNOWN.value)),
            (talk.isnull() & over, lit(Status.FAILED.value)),
            (talk.isnull(), lit(Status.PENDING.value)),
            (talk <= due, lit(Status.PASSED.value)),
            else_=lit(Status.FAILED.value),
        )
        values = dict(
            day=applied,
            other_day=talk,
            reason=cases(
                (unknown, lit("not_kept")), (talk.isnull(), lit("no_talk")), else_=none_str
            ),
        )
    elif check == "cultivation":
        m = m.filter(_in(ctx, rule, ms["candidate"]))
        candidate, activist = m["milestones.candidate"], m["milestones.activist"]
        months = param_on(rule, candidate, lambda p: p.months, "int64")
        status = cases(
            (activist.isnull(), lit(Status.UNKNOWN.value)),
            (add_months(activist, months) <= candidate, lit(Status.PASSED.value)),
            else_=lit(Status.FAILED.value),
        )
        values = dict(
            day=candidate,
            other_day=activist,
            reason=cases((activist.isnull(), lit("no_activist")), else_=none_str),
        )
    elif check == "course":
        m = m.filter(_in(ctx, rule, ms["admitted"]))
        r = ctx.table("trainings").select(
            r_member="member", r_id="id", r_date="date", r_hours="hours"
        )
        days = m.select(
            d_member="id", d_since="milestones.activist", d_until="milestones.admitted"
        ).view()
        counted = r.join(
            days,
            (r.r_member == days.d_member)
            & (days.d_since.isnull() | (r.r_date >= days.d_since))
            & (r.r_date <= days.d_until),
        )
        tally = (
            counted.group_by(t_member="r_member")
            .aggregate(t_hours=counted.r_hours.sum(), t_ids=counted.r_id.collect())
            .view()
        )
        m = m.left_join(tally, m.id == tally.t_member).select(
            m,
            hours=tally.t_hours.fill_null(lit(Decimal(0), type="decimal(18, 2)")),
            found=ids_or_empty(tally.t_ids),
        )
        admitted, exception = m["milestones.admitted"], m["milestones.course_exception"]
        need = param_on(rule, admitted, lambda p: p.hours, "decimal(18, 2)")
        _, keeps_trainings = ctx.keeps("trainings")
        reason = cases(
            (m.hours >= need, none_str),
            (exception.notnull(), lit("exception")),
            (lit(not keeps_trainings), lit("not_kept")),
            else_=lit("short"),
        )
        status = cases(
            (reason.isnull() | (reason == "exception"), lit(Status.PASSED.value)),
            (reason == "not_kept", lit(Status.UNKNOWN.value)),
            else_=lit(Status.FAILED.value),
        )
        values = dict(
            day=admitted,
            reason=reason,
            amount=m.hours,
            detail=cases((reason == "exception", exception), else_=none_str),
            evidence=cases((reason == "not_kept", EMPTY_IDS()), else_=m.found),
        )
    elif check == "probation":
        admitted = ms["admitted"]
        extra = m["probation_extension.months"].fill_null(0).cast("int64")
        due = add_months(admitted, param_on(rule, admitted, lambda p: p.months, "int64") + extra)
        converted = ms["converted"]
        has_left = m.status.isin([s.value for s in MemberStatus if s.has_left])
        overdue = converted.isnull() & (due < ctx.period.start) & ~has_left

        def inside(day: Any) -> Any:
            return day.notnull() & (day >= ctx.period.start) & (day <= ctx.period.end)

        m = m.mutate(p_due=due, p_extra=extra)
        keep = (admitted.notnull() & in_force(rule, admitted)) & (
            inside(due) | inside(converted) | overdue
        )
        keep &= ~(converted.isnull() & m.probation_cancelled.notnull())
        keep &= converted.notnull() | ~has_left
        m = m.filter(keep)
        converted, due = m["milestones.converted"], m.p_due
        early = converted.notnull() & (converted < due)
        status = cases(
            (early, lit(Status.FAILED.value)),
            (converted.notnull(), lit(Status.PASSED.value)),
            (due < ctx.as_of, lit(Status.FAILED.value)),
            else_=lit(Status.PENDING.value),
        )
        values = dict(
            day=due,
            other_day=converted,
            expected=m.p_extra,
            detail=m["milestones.admitted"].cast("string"),
            reason=cases(
                (early, lit("early")), (converted.isnull(), lit("undecided")), else_=none_str
            ),
        )
    else:  # extension
        decided = m["probation_extension.decided"]
        m = m.filter(_in(ctx, rule, decided))
        decided, months = m["probation_extension.decided"], m["probation_extension.months"]
        ok = (months >= param_on(rule, decided, lambda p: p.at_least, "int64")) & (
            months <= param_on(rule, decided, lambda p: p.at_most, "int64")
        )
        status = cases((ok, lit(Status.PASSED.value)), else_=lit(Status.FAILED.value))
        values = dict(day=decided, count=months, reason=none_str)
    gap = Gap.DATES_MISSING if check == "cultivation" else Gap.NOT_KEPT
    return ctx.rows(
        rule,
        m,
        status=status,
        gap=cases((status == Status.UNKNOWN.value, lit(gap.value)), else_=none_str),
        **month_of(values["day"]),
        **{"other_day": none_date, **values},
    )


def _membership_message(rule: Rule, row: FindingRow) -> Message:
    reason = row.reason
    other = row.other_day
    if row.detail is not None and rule.versions[0].params.check == "probation":
        admitted: dt.date | None = dt.date.fromisoformat(row.detail[:10])
    else:
        admitted = row.day
    p: MembershipParams = rule.params_on(admitted or dt.date.min)
    n = row.count or 0
    return membership_message(
        p,
        reason,
        n=n,
        born=other,
        applied=row.day,
        talk=other,
        activist=other,
        candidate=row.day,
        admitted=admitted,
        extra=row.expected or 0,
        converted=other,
        found=row.amount if row.amount is not None else Decimal(0),
        exception=row.detail or "",
    )


MEMBERSHIP = TableKind(
    name="membership", evaluate=_evaluate_membership, message=_membership_message
)
