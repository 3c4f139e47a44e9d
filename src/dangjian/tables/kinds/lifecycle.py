"""Rule kinds about members' organisational life and relations and the later steps of
recruitment, over tables (see :mod:`dangjian.rules.kinds.lifecycle`).

The generic columns of their findings carry:

- ``relation``: ``reason`` is ``<check>.<variant>`` (``suspend.early``); ``other_day`` the day
  the months are counted from (away since, contact lost, suspended); ``detail`` the day a
  transfer out was first asked for (ISO text, ``transfer_away``) or, for a refused transfer,
  its from and to organisations and its reason separated by ``\\x1f``; ``other_id`` the
  transfer's direction or the member's status (``remove``).
- ``recruitment``: ``reason`` as above; ``activist_review``: ``count`` the reviews and
  ``detail`` their days; ``candidate_listing``: ``other_id`` the meeting recorded,
  ``other_day`` the filing day, ``detail`` whether a committee sat, the meeting's kind, day and
  organisation (``\\x1f``-separated), empty when the meeting is not in the ledger;
  ``conversion_decision``: ``count`` the stage (0 the probation, 1 its extension),
  ``expected`` the months allowed for the decision, ``other_day`` the decision's day.
- ``dual_life``: ``reason`` the message variant; ``count`` the meetings held; ``detail`` the
  meetings as ``\\x1f``-separated items ``day, id, kind, what`` joined by ``\\x1e``
  (``what``: ``+`` attended, ``?`` recorded no names, else the absence's reason code or ``-``),
  sorted as text (the message sorts them by day); ``evidence`` is sorted too.
- ``joint_units``: ``count`` the units, ``detail`` them as ``position, unit`` items (joined
  by ``\\x1e``, separated by ``\\x1f``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.findings import Gap, Status
from dangjian.i18n import Message
from dangjian.model import (
    AbsenceReason,
    CommitteeRole,
    MeetingKind,
    MemberStatus,
    TransferDirection,
)
from dangjian.periods import Period
from dangjian.rules.kinds._common import judge_day
from dangjian.rules.kinds.lifecycle import (
    DualLifeParams,
    JointUnitsParams,
    Listed,
    RecruitmentParams,
    RelationParams,
    activist_review_message,
    candidate_listing_verdict,
    conversion_message,
    dual_life_message,
    joint_units_message,
    remove_message,
    suspend_message,
    transfer_away_message,
    transfer_refusal_message,
)
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext, arrow_of
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    add_months,
    branch_subject,
    earliest,
    ibis,
    in_force,
    iso,
    month_of,
    one_if,
    param_on,
    period_columns,
    row_version,
    subject,
    union_all,
    within,
)

__all__ = ["DUAL_LIFE", "JOINT_UNITS", "RECRUITMENT", "RELATION"]

_SEP = "\x1f"
_SUB = "\x1e"
_HAS_LEFT = [s.value for s in MemberStatus if s.has_left]
_IS_MEMBER = [s.value for s in MemberStatus if s.is_member]
_REMOVED = [MemberStatus.REMOVED.value, MemberStatus.LAPSED.value]
_ALONE = [CommitteeRole.SECRETARY.value, CommitteeRole.DEPUTY_SECRETARY.value]


def _members(ctx: TableContext, rule: Rule) -> Any:
    """The members of the organisations ``rule`` applies to, with the ``subject_*`` columns of
    a member's findings."""
    m = ctx.table("members")
    orgs = ctx.organisations(rule).select(o_id="id")
    m = m.semi_join(orgs, m.branch == orgs.o_id)
    return m.mutate(
        **subject("member", m.id, m.name, m.branch),
    )


def _no_ids() -> Any:
    """No evidence: an empty list, typed (read as no ids; an empty array literal has no type
    PostgreSQL can tell)."""
    return ibis().null("array<string>")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _unknown_gap(status: Any, gap: Gap | Any) -> Any:
    """The ``gap`` column: ``gap`` where ``status`` is unknown, else empty."""
    lit = ibis().literal
    gap = lit(gap.value) if isinstance(gap, Gap) else gap
    return ibis().cases((status == Status.UNKNOWN.value, gap), else_=lit(None, type="string"))


# -- relation ------------------------------------------------------------------------------------


def _keeps_transfers(ctx: TableContext) -> bool:
    """Whether the ledger records transfers at all (a transfer, or a member transferred out)."""
    key = "lifecycle.keeps_transfers"
    if key not in ctx.memo:
        m = ctx.table("members")
        out = m.filter(m.status == MemberStatus.TRANSFERRED_OUT.value)
        ctx.memo[key] = (
            int(ctx.value(ctx.table("members.transfers").count())) > 0
            or int(ctx.value(out.count())) > 0
        )
    return bool(ctx.memo[key])


def _evaluate_relation(ctx: TableContext, rule: Rule) -> Any:
    p: RelationParams = rule.params_on(ctx.period.start)
    m = _members(ctx, rule)
    if p.check == "transfer_refusal":
        return _refusals(ctx, rule, m)
    if p.check == "transfer_away":
        return _transfer_away(ctx, rule, m)
    if p.check == "suspend":
        return _suspend(ctx, rule, m)
    return _remove(ctx, rule, m)


def _due_step(rule: Rule, ctx: TableContext, due: Any, done: Any, still: Any) -> Any:
    """The object kind's ``_due_step`` as an expression."""
    start = ctx.period.start
    return in_force(rule, due) & (
        within(due, ctx.period.start, ctx.period.end)
        | ((due < start) & (done.isnull() | (done >= start)) & still)
    )


def _months(rule: Rule, day: Any) -> Any:
    return param_on(rule, day, lambda p: p.months, "int64")


def _transfer_away(ctx: TableContext, rule: Rule, m: Any) -> Any:
    lit = ibis().literal
    m = m.filter(m.away_since.notnull() & m.status.isin(_IS_MEMBER + _HAS_LEFT))
    m = m.mutate(due=add_months(m.away_since, _months(rule, m.away_since)))
    m = m.filter(m.away_until.isnull() | (m.away_until >= m.due))
    tr = ctx.table("members.transfers")
    who = m.select(j_id="id", j_joined="joined")
    outs = tr.join(who, tr.member == who.j_id)
    outs = outs.filter(
        (outs.direction == TransferDirection.OUT.value)
        & (outs.j_joined.isnull() | (outs.requested >= outs.j_joined))
    )
    first = outs.group_by(t_member="member").aggregate(t_first=outs.requested.min()).view()
    m = m.left_join(first, m.id == first.t_member).select(m, "t_first")
    has_left = m.status.isin(_HAS_LEFT)
    out_left = ibis().cases(
        ((m.status == MemberStatus.TRANSFERRED_OUT.value) & m.left.notnull(), m.left),
        else_=lit(None, type="date"),
    )
    m = m.mutate(done=earliest(m.t_first, out_left))
    gone = has_left & m.left.notnull() & (m.left < m.due) & m.done.isnull()
    still = (m.away_until.isnull() | (m.away_until >= ctx.period.start)) & ~has_left
    m = m.filter(~gone & _due_step(rule, ctx, m.due, m.done, still))
    kept = _keeps_transfers(ctx)
    reason = ibis().cases(
        (m.done.notnull() & (m.done <= m.due), lit("passed")),
        (m.done.notnull(), lit("late")),
        (m.due >= ctx.as_of, lit("pending")),
        else_=lit("none" if kept else "not_kept"),
    )
    status = ibis().cases(
        (reason == "passed", lit(Status.PASSED.value)),
        (reason == "pending", lit(Status.PENDING.value)),
        else_=lit(Status.UNKNOWN.value),
    )
    gap = Gap.DETAILS_MISSING if kept else Gap.NOT_KEPT
    return ctx.rows(
        rule,
        m,
        **month_of(m.due),
        day=m.due,
        status=status,
        gap=_unknown_gap(status, gap),
        reason="transfer_away." + reason,
        other_day=m.away_since,
        detail=iso(m.done),
    )


def _refusals(ctx: TableContext, rule: Rule, m: Any) -> Any:
    lit = ibis().literal
    tr = ctx.table("members.transfers")
    tr = tr.filter(
        (tr.refused == lit(True))
        & within(tr.requested, ctx.period.start, ctx.period.end)
        & in_force(rule, tr.requested)
    ).select(
        r_member="member",
        r_direction="direction",
        r_requested="requested",
        r_from="from_org",
        r_to="to_org",
        r_reason="reason",
    )
    x = m.join(tr, m.id == tr.r_member)
    given = x.r_reason.notnull() & (x.r_reason != "")
    status = ibis().cases((given, lit(Status.PASSED.value)), else_=lit(Status.FAILED.value))
    return ctx.rows(
        rule,
        x,
        **month_of(x.r_requested),
        day=x.r_requested,
        status=status,
        reason=lit("transfer_refusal"),
        other_id=x.r_direction,
        detail=x.r_from.fill_null("").concat(
            _SEP, x.r_to.fill_null(""), _SEP, x.r_reason.fill_null("")
        ),
    )


def _suspend(ctx: TableContext, rule: Rule, m: Any) -> Any:
    lit = ibis().literal
    m = m.filter(m.lost_contact.notnull())
    m = m.mutate(due=add_months(m.lost_contact, _months(rule, m.lost_contact)))
    has_left = m.status.isin(_HAS_LEFT)
    done = m.suspended.notnull()
    judged_done = within(m.suspended, ctx.period.start, ctx.period.end) & in_force(
        rule, m.suspended
    )
    judged_open = (
        m.contact_restored.isnull()
        & ~(has_left & m.left.notnull() & (m.left <= m.due))
        & _due_step(rule, ctx, m.due, lit(None, type="date"), ~has_left)
    )
    m = m.filter(ibis().cases((done, judged_done), else_=judged_open))
    reason = ibis().cases(
        (done & (m.suspended < m.due), lit("early")),
        (done, lit("passed")),
        (m.due >= ctx.as_of, lit("pending")),
        else_=lit("unknown"),
    )
    status = _status_of_step(reason)
    day = ibis().cases((done, m.suspended), else_=m.due)
    return ctx.rows(
        rule,
        m,
        **month_of(day),
        day=day,
        status=status,
        gap=_unknown_gap(status, Gap.DATES_MISSING),
        reason="suspend." + reason,
        other_day=m.lost_contact,
    )


def _status_of_step(reason: Any) -> Any:
    """The status of a step of the lost-contact procedure from its ``reason`` (without the
    ``suspend.``/``remove.`` prefix): ``early`` failed, ``passed``, ``pending``, else unknown."""
    lit = ibis().literal
    return ibis().cases(
        (reason == "early", lit(Status.FAILED.value)),
        (reason == "passed", lit(Status.PASSED.value)),
        (reason == "pending", lit(Status.PENDING.value)),
        else_=lit(Status.UNKNOWN.value),
    )


def _remove(ctx: TableContext, rule: Rule, m: Any) -> Any:
    lit = ibis().literal
    m = m.filter(m.suspended.notnull() & m.lost_contact.notnull())
    m = m.mutate(due=add_months(m.suspended, _months(rule, m.suspended)))
    m = m.filter(~(m.contact_restored.notnull() & (m.contact_restored <= m.due)))
    removed = m.status.isin(_REMOVED)
    dated = m.left.notnull()
    no_day = lit(None, type="date")
    judged = ibis().cases(
        (removed & ~dated, _due_step(rule, ctx, m.due, no_day, lit(False))),
        (removed, within(m.left, ctx.period.start, ctx.period.end) & in_force(rule, m.left)),
        else_=~m.status.isin(_HAS_LEFT)
        & m.contact_restored.isnull()
        & _due_step(rule, ctx, m.due, no_day, lit(True)),
    )
    m = m.filter(judged)
    reason = ibis().cases(
        (removed & ~dated, lit("undated")),
        (removed & (m.left < m.due), lit("early")),
        (removed, lit("passed")),
        (m.due >= ctx.as_of, lit("pending")),
        else_=lit("unknown"),
    )
    status = _status_of_step(reason)
    day = ibis().cases((removed & dated, m.left), else_=m.due)
    return ctx.rows(
        rule,
        m,
        **month_of(day),
        day=day,
        status=status,
        gap=_unknown_gap(status, Gap.DATES_MISSING),
        reason="remove." + reason,
        other_day=m.suspended,
        other_id=m.status,
    )


def _relation_message(rule: Rule, row: FindingRow) -> Message:
    check, _, variant = (row.reason or "").partition(".")
    if check == "transfer_refusal":
        from_org, to_org, reason = (row.detail or "").split(_SEP, 2)
        assert row.day is not None
        return transfer_refusal_message(
            name=row.subject_name,
            member=row.subject_id,
            day=row.day,
            direction=TransferDirection.parse(row.other_id or ""),
            from_org=from_org or None,
            to_org=to_org or None,
            reason=reason or None,
        )
    since = row.other_day
    assert since is not None
    p: RelationParams = rule.params_on(since)
    if check == "transfer_away":
        return transfer_away_message(
            variant, months=p.months, name=row.subject_name, since=since, done=_date(row.detail)
        )
    if check == "suspend":
        return suspend_message(
            variant,
            months=p.months,
            name=row.subject_name,
            lost=since,
            day=row.day if variant in ("early", "passed") else None,
        )
    return remove_message(
        variant,
        months=p.months,
        name=row.subject_name,
        suspended=since,
        status=MemberStatus.parse(row.other_id or ""),
        day=row.day if variant in ("early", "passed") else None,
    )


RELATION = TableKind(name="relation", evaluate=_evaluate_relation, message=_relation_message)


# -- recruitment ---------------------------------------------------------------------------------


def _evaluate_recruitment(ctx: TableContext, rule: Rule) -> Any:
    p: RecruitmentParams = rule.params_on(ctx.period.start)
    m = _members(ctx, rule)
    if p.check == "activist_review":
        return _activist_reviews(ctx, rule, p, m)
    if p.check == "candidate_listing":
        return _candidate_listing(ctx, rule, m)
    return _conversion(ctx, rule, m)


def _activist_reviews(ctx: TableContext, rule: Rule, p: RecruitmentParams, m: Any) -> Any:
    lit = ibis().literal
    day = ibis().interval(days=1)
    after = (
        m["milestones.candidate"]
        .fill_null(m["milestones.admitted"])
        .fill_null(m["milestones.converted"])
    )
    end = ibis().cases((after.notnull(), (after - day).cast("date")), else_=lit(None, type="date"))
    has_left = m.status.isin(_HAS_LEFT)
    unknown_end = (
        end.isnull() & (m.status != MemberStatus.ACTIVIST.value) & (~has_left | m.left.isnull())
    )
    left_day = (m.left - day).cast("date")
    end = ibis().cases(
        (has_left & m.left.notnull() & end.isnull(), left_day),
        (has_left & m.left.notnull() & (left_day < end), left_day),
        else_=end,
    )
    m = m.filter(m["milestones.activist"].notnull() & ~unknown_end).mutate(
        a_start=m["milestones.activist"], a_end=end
    )
    subs = ctx.subperiod_table(rule, p.per)
    grid = m.cross_join(subs)
    grid = grid.filter(
        (grid.a_start <= grid.period_end)
        & (grid.a_end.isnull() | (grid.a_end >= grid.period_start))
    )
    # only the sub-periods the member's organisation existed in (as a check of one alone)
    orgs = ctx.table("branches").select(l_id="id", l_founded="founded", l_dissolved="dissolved")
    grid = grid.join(orgs, grid.branch == orgs.l_id)
    grid = grid.filter(
        (grid.l_founded.isnull() | (grid.l_founded <= grid.period_end))
        & (grid.l_dissolved.isnull() | (grid.l_dissolved >= grid.period_start))
    )
    reviews = ctx.table("members.reviews")
    cells = grid.select(
        c_member="id", c_period="period", c_start="period_start", c_end="period_end"
    )
    found = cells.join(
        reviews,
        (reviews.member == cells.c_member)
        & (reviews.date >= cells.c_start)
        & (reviews.date <= cells.c_end),
    )
    tally = (
        found.group_by(t_member="c_member", t_period="c_period")
        .aggregate(t_count=found.date.count(), t_days=iso(found.date).collect())
        .view()
    )
    grid = grid.left_join(
        tally, (grid.id == tally.t_member) & (grid.period == tally.t_period)
    ).select(grid, n=tally.t_count.fill_null(0), days=tally.t_days)
    kept = int(ctx.value(reviews.count())) > 0
    covers = (grid.a_start <= grid.period_start) & (
        grid.a_end.isnull() | (grid.a_end >= grid.period_end)
    )
    reason = ibis().cases(
        (grid.n > 0, lit("passed")),
        (~covers, lit("not_throughout")),
        (lit(not kept) & ~grid.pending, lit("not_kept")),
        else_=lit("none"),
    )
    status = ibis().cases(
        (reason == "passed", lit(Status.PASSED.value)),
        (reason == "not_throughout", lit(Status.NOT_APPLICABLE.value)),
        (reason == "not_kept", lit(Status.UNKNOWN.value)),
        (grid.pending, lit(Status.PENDING.value)),
        else_=lit(Status.FAILED.value),
    )
    return ctx.rows(
        rule,
        grid,
        status=status,
        gap=_unknown_gap(status, Gap.NOT_KEPT),
        reason="activist_review." + reason,
        count=grid.n,
        detail=ibis().cases((grid.n > 0, grid.days.join(_SEP)), else_=lit(None, type="string")),
    )


def _candidate_listing(ctx: TableContext, rule: Rule, m: Any) -> Any:
    lit = ibis().literal
    candidate = m["milestones.candidate"]
    m = m.filter(
        candidate.notnull()
        & within(candidate, ctx.period.start, ctx.period.end)
        & in_force(rule, candidate)
    )
    meetings = ctx.table("meetings").select(
        mt_id="id", mt_kind="kind", mt_date="date", mt_branch="branch"
    )
    m = m.left_join(meetings, m.candidate_meeting == meetings.mt_id).select(
        m, "mt_id", "mt_kind", "mt_date", "mt_branch"
    )
    seats = ctx.table("branches.committee")
    seats = seats.filter(~seats.role.isin(_ALONE)).select(
        s_branch="branch", s_start="start", s_end="end"
    )
    cells = m.filter(m.mt_id.notnull()).select(c_member="id", c_branch="branch", c_day="mt_date")
    sat = cells.join(
        seats,
        (seats.s_branch == cells.c_branch)
        & (seats.s_start.isnull() | (seats.s_start <= cells.c_day))
        & (seats.s_end.isnull() | (cells.c_day <= seats.s_end)),
    )
    sat = sat.group_by(t_member="c_member").aggregate(t_seats=sat.c_member.count()).view()
    m = m.left_join(sat, m.id == sat.t_member).select(m, committee=sat.t_seats.fill_null(0) > 0)
    # whether the meeting served as a kind of the parameters in force on the candidate's day
    m = m.mutate(c_version=row_version(rule, candidate))
    serving = ctx.meetings_serving_versions(rule).view()
    m = m.left_join(
        serving, (m.mt_id == serving.s_meeting) & (m.c_version == serving.s_version)
    ).select(m, in_kinds=serving.s_meeting.notnull())
    candidate = m["milestones.candidate"]
    found = m.mt_id.notnull()
    in_kinds = m.in_kinds
    filed = m.candidate_filed
    bad = (
        (found & ~in_kinds & m.committee)
        | (found & (m.mt_branch != m.branch))
        | (found & (m.mt_date > candidate))
        | (filed.notnull() & (filed > candidate))
        | (filed.notnull() & found & (filed < m.mt_date))
    )
    unknown = ~found | (~in_kinds & ~m.committee) | filed.isnull()
    status = ibis().cases(
        (bad, lit(Status.FAILED.value)),
        (unknown, lit(Status.UNKNOWN.value)),
        else_=lit(Status.PASSED.value),
    )
    detail = ibis().cases(
        (
            found,
            ibis()
            .cases((m.committee, lit("1")), else_=lit("0"))
            .concat(
                ibis().cases((in_kinds, lit("1")), else_=lit("0")),
                _SEP,
                m.mt_kind,
                _SEP,
                iso(m.mt_date),
                _SEP,
                m.mt_branch,
            ),
        ),
        else_=lit(None, type="string"),
    )
    return ctx.rows(
        rule,
        m,
        **month_of(candidate),
        day=candidate,
        status=status,
        gap=_unknown_gap(status, Gap.DETAILS_MISSING),
        reason=lit("candidate_listing"),
        other_id=m.candidate_meeting,
        other_day=filed,
        detail=detail,
        evidence=ibis().cases((found, ibis().array([m.mt_id])), else_=_no_ids()),
    )


def _conversion(ctx: TableContext, rule: Rule, m: Any) -> Any:
    lit = ibis().literal
    admitted = m["milestones.admitted"]
    m = m.filter(admitted.notnull() & in_force(rule, admitted))
    admitted = m["milestones.admitted"]
    m = m.mutate(
        c_end=add_months(admitted, param_on(rule, admitted, lambda p: p.months, "int64")),
        c_window=param_on(rule, admitted, lambda p: p.window_months, "int64"),
        c_final=earliest(m["milestones.converted"], m.probation_cancelled),
    )
    m = m.mutate(c_first=earliest(m.c_final, m["probation_extension.decided"]))
    undated = (
        m["milestones.converted"].isnull()
        & m.probation_cancelled.isnull()
        & (m.status == MemberStatus.FULL.value)
    )
    m = m.mutate(c_undated=undated)
    first = m.mutate(c_stage=lit(0, type="int64"), c_day=m.c_end, c_decided=m.c_first)
    ext = m.filter(m["probation_extension.decided"].notnull())
    second = ext.mutate(
        c_stage=lit(1, type="int64"),
        c_day=add_months(ext.c_end, ext["probation_extension.months"]),
        c_decided=ext.c_final,
    )
    parts = []
    for s in (first, second):
        s = s.mutate(c_deadline=add_months(s.c_day, s.c_window))
        has_left = s.status.isin(_HAS_LEFT)
        start = ctx.period.start
        in_period = within(s.c_deadline, ctx.period.start, ctx.period.end)
        open_undated = s.c_undated & s.c_decided.isnull()
        left_before = has_left & s.left.notnull() & (s.left <= s.c_deadline)
        judged = ibis().cases(
            (open_undated, in_period),
            else_=~(s.c_decided.isnull() & left_before)
            & (
                in_period
                | (
                    (s.c_deadline < start)
                    & (s.c_decided.isnull() | (s.c_decided >= start))
                    & ~has_left
                )
            ),
        )
        s = s.filter(in_force(rule, s.c_day) & judged)
        open_undated = s.c_undated & s.c_decided.isnull()
        status = ibis().cases(
            (open_undated, lit(Status.UNKNOWN.value)),
            (s.c_decided.notnull() & (s.c_decided <= s.c_deadline), lit(Status.PASSED.value)),
            (s.c_decided.notnull(), lit(Status.FAILED.value)),
            (s.c_deadline < ctx.as_of, lit(Status.FAILED.value)),
            else_=lit(Status.PENDING.value),
        )
        reason = ibis().cases((open_undated, lit("undated")), else_=lit("judged"))
        parts.append(
            ctx.rows(
                rule,
                s,
                **month_of(s.c_day),
                day=s.c_day,
                status=status,
                gap=_unknown_gap(status, Gap.DATES_MISSING),
                reason="conversion_decision." + reason,
                count=s.c_stage,
                expected=s.c_window,
                other_day=s.c_decided,
            )
        )
    return union_all(parts)


def _recruitment_message(rule: Rule, row: FindingRow) -> Message:
    check, _, variant = (row.reason or "").partition(".")
    if check == "activist_review":
        days = sorted(dt.date.fromisoformat(d) for d in (row.detail or "").split(_SEP) if d)
        return activist_review_message(
            variant,
            sub=Period.parse(row.period or ""),
            name=row.subject_name,
            member=row.subject_id,
            done=days,
        )
    assert row.day is not None
    if check == "candidate_listing":
        p: RecruitmentParams = rule.params_on(row.day)
        listed = None
        committee = False
        if row.detail:
            flags, kind, day, branch = row.detail.split(_SEP, 3)
            committee = flags[0] == "1"
            listed = Listed(
                row.other_id or "",
                MeetingKind.parse(kind),
                dt.date.fromisoformat(day),
                branch,
                serves=flags[1] == "1",
            )
        verdict = candidate_listing_verdict(
            p.meeting_kinds,
            name=row.subject_name,
            branch=row.subject_branch or "",
            candidate=row.day,
            meeting_ref=row.other_id,
            meeting=listed,
            has_committee=committee,
            filed=row.other_day,
        )
        assert verdict is not None
        return verdict[1]
    return conversion_message(
        variant,
        stage=row.count or 0,
        name=row.subject_name,
        end_day=row.day,
        window=row.expected or 0,
        decided=row.other_day,
    )


RECRUITMENT = TableKind(
    name="recruitment", evaluate=_evaluate_recruitment, message=_recruitment_message
)


# -- the units of a joint branch -----------------------------------------------------------------


def _evaluate_joint_units(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    day = judge_day(ctx.period, ctx.as_of)
    p: JointUnitsParams = rule.params_on(day)
    orgs = ctx.organisations(rule)
    orgs = orgs.filter(
        lit(rule.in_force.covers(day))
        & (orgs.founded.isnull() | (orgs.founded <= day))
        & (orgs.dissolved.isnull() | (orgs.dissolved >= day))
    )
    units = ctx.table("branches.units")
    firsts = units.group_by(u_branch="branch", u_unit="units").aggregate(
        u_index=units["index"].min()
    )
    tally = (
        firsts.group_by(t_branch="u_branch")
        .aggregate(
            t_count=firsts.u_unit.count(),
            t_units=firsts.u_index.cast("string").concat(_SUB, firsts.u_unit).collect(),
        )
        .view()
    )
    grid = orgs.left_join(tally, orgs.id == tally.t_branch).select(
        orgs, n=tally.t_count.fill_null(0), units=tally.t_units
    )
    status = ibis().cases(
        (grid.n == 0, lit(Status.UNKNOWN.value)),
        (grid.n <= p.at_most, lit(Status.PASSED.value)),
        else_=lit(Status.FAILED.value),
    )
    return ctx.rows(
        rule,
        grid,
        **branch_subject(grid.id, grid.name),
        **period_columns(ctx.period),
        day=day,
        status=status,
        gap=_unknown_gap(status, Gap.DETAILS_MISSING),
        count=grid.n,
        detail=ibis().cases((grid.n > 0, grid.units.join(_SEP)), else_=lit(None, type="string")),
    )


def _joint_units_message(rule: Rule, row: FindingRow) -> Message:
    assert row.day is not None
    p: JointUnitsParams = rule.params_on(row.day)
    items = [item.split(_SUB, 1) for item in (row.detail or "").split(_SEP) if item]
    units = [unit for _, unit in sorted(items, key=lambda x: int(x[0]))]
    return joint_units_message(p, org_name=row.subject_name, org_id=row.subject_id, units=units)


JOINT_UNITS = TableKind(
    name="joint_units", evaluate=_evaluate_joint_units, message=_joint_units_message
)


# -- dual organisational life --------------------------------------------------------------------


def _evaluate_dual_life(ctx: TableContext, rule: Rule) -> Any:
    first: DualLifeParams = rule.params_on(ctx.period.start)
    subs = ctx.subperiod_table(rule, first.per)
    spans = ctx.member_spans()
    orgs = ctx.organisations(rule).select(o_id="id")
    cadres = spans.filter(spans.leading_cadre == ibis().literal(True))
    cadres = cadres.semi_join(orgs, cadres.branch == orgs.o_id).select(
        "id",
        "name",
        "branch",
        "group",
        "span_start",
        "span_end",
        "span_never",
        **subject("member", cadres.id, cadres.name, cadres.branch),
    )
    groups = ctx.table("groups")
    grouped = groups.select(g_branch="branch").distinct()
    cadres = cadres.left_join(grouped, cadres.branch == grouped.g_branch).select(
        cadres, has_groups=grouped.g_branch.notnull()
    )
    versions = sorted(set(arrow_of(ctx.con, subs.select("version")).column(0).to_pylist()))
    parts = []
    for version in versions:
        p: DualLifeParams = rule.versions[version].params
        vsubs = subs.filter(subs.version == version)
        grid = cadres.cross_join(vsubs)
        grid = grid.filter(
            ~grid.span_never
            & (grid.span_start.isnull() | (grid.span_start <= grid.period_end))
            & (grid.span_end.isnull() | (grid.span_end >= grid.period_start))
        )
        parts.append(_judge_dual_life(ctx, rule, p, grid))
    if not parts:
        return ctx.rows(rule, cadres.filter(ibis().literal(False)))
    return union_all(parts)


def _held(ctx: TableContext, p: DualLifeParams, grid: Any) -> Any:
    """The meetings each cadre of ``grid`` could attend in each sub-period, with whether they
    did (``att``), whether the meeting names those present (``named``) and the reason of the
    cadre's recorded absence (``why``)."""
    lit = ibis().literal
    mt = ctx.meetings_serving(p.meeting_kinds).select(
        h_id="id", h_kind="kind", h_date="date", h_branch="branch", h_group="group"
    )
    cells = grid.select(
        c_member="id",
        c_branch="branch",
        c_group="group",
        c_period="period",
        c_start="period_start",
        c_end="period_end",
        c_span_start="span_start",
        c_span_end="span_end",
    )
    place = (mt.h_group == cells.c_group) if p.scope == "group" else (mt.h_branch == cells.c_branch)
    held = cells.join(
        mt,
        place
        & (mt.h_date >= cells.c_start)
        & (mt.h_date <= cells.c_end)
        & (cells.c_span_start.isnull() | (cells.c_span_start <= mt.h_date))
        & (cells.c_span_end.isnull() | (mt.h_date <= cells.c_span_end)),
    ).select("c_member", "c_period", "h_id", "h_kind", "h_date")
    # the records of the meetings some cadre could attend, and only those: a few of the millions
    # of names recorded present
    ids = held.select(k_meeting="h_id").distinct()
    att = ctx.table("meetings.attended").select(a_meeting="meeting", a_member="attended")
    att = att.join(ids, att.a_meeting == ids.k_meeting).select("a_meeting", "a_member")
    # whether a cadre is named present: only the names of the cadres at those meetings are made
    # distinct, not every name recorded at them (millions at a province's size)
    cadres = held.select(q_meeting="h_id", q_member="c_member").distinct()
    present = (
        att.join(cadres, (att.a_meeting == cadres.q_meeting) & (att.a_member == cadres.q_member))
        .select("a_meeting", "a_member")
        .distinct()
    )
    named = att.select(n_meeting="a_meeting").distinct()
    ab = ctx.table("meetings.absences").select("meeting", "member", "index", "reason")
    ab = ab.join(ids, ab.meeting == ids.k_meeting).select("meeting", "member", "index", "reason")
    first = ab.group_by(f_meeting="meeting", f_member="member").aggregate(f_index=ab["index"].min())
    why = first.join(
        ab,
        (ab.meeting == first.f_meeting)
        & (ab.member == first.f_member)
        & (ab["index"] == first.f_index),
    ).select(w_meeting="f_meeting", w_member="f_member", w_reason=ab.reason)
    held = held.left_join(
        present, (held.h_id == present.a_meeting) & (held.c_member == present.a_member)
    ).select(held, att=present.a_meeting.notnull())
    held = held.left_join(named, held.h_id == named.n_meeting).select(
        held, named=named.n_meeting.notnull()
    )
    held = held.left_join(
        why, (held.h_id == why.w_meeting) & (held.c_member == why.w_member)
    ).select(held, why=why.w_reason)
    what = ibis().cases(
        (held.att, lit("+")),
        (held.why.notnull(), held.why),
        (~held.named, lit("?")),
        else_=lit("-"),
    )
    unnamed = ~held.named & held.why.isnull()
    return held.mutate(
        unnamed=unnamed,
        item=iso(held.h_date).concat(_SUB, held.h_id, _SUB, held.h_kind, _SUB, what),
    )


def _judge_dual_life(ctx: TableContext, rule: Rule, p: DualLifeParams, grid: Any) -> Any:
    lit = ibis().literal
    held = _held(ctx, p, grid)
    tally = (
        held.group_by(t_member="c_member", t_period="c_period")
        .aggregate(
            t_held=held.h_id.count(),
            t_n=one_if(held.att).sum(),
            t_unnamed=one_if(held.unnamed).sum(),
            t_attended=held.h_id.collect(where=held.att),
            t_unsure=held.h_id.collect(where=held.att | held.unnamed),
            t_all=held.h_id.collect(),
            t_items=held.item.collect(),
        )
        .view()
    )
    grid = grid.left_join(
        tally, (grid.id == tally.t_member) & (grid.period == tally.t_period)
    ).select(
        grid,
        held=tally.t_held.fill_null(0),
        n=tally.t_n.fill_null(0),
        unnamed=tally.t_unnamed.fill_null(0),
        # sorted, so that the lists are the same however the backend collected them
        attended=tally.t_attended.sort(),
        unsure=tally.t_unsure.sort(),
        all_held=tally.t_all.sort(),
        items=tally.t_items.sort(),
    )
    no_group = lit(p.scope == "group") & grid.group.isnull()
    reason = ibis().cases(
        (no_group & grid.has_groups, lit("no_group")),
        (no_group, lit("no_groups")),
        (grid.n >= p.at_least, lit("passed")),
        (grid.pending, lit("pending")),
        (grid.in_force == "partial", lit("not_in_force_throughout")),
        ((grid.unnamed > 0) & (grid.n + grid.unnamed >= p.at_least), lit("counts_only")),
        (grid.held == 0, lit("none_held")),
        else_=lit("failed"),
    )
    status = ibis().cases(
        (reason.isin(["no_group", "counts_only"]), lit(Status.UNKNOWN.value)),
        (
            reason.isin(["no_groups", "not_in_force_throughout", "none_held"]),
            lit(Status.NOT_APPLICABLE.value),
        ),
        (reason == "passed", lit(Status.PASSED.value)),
        (reason == "pending", lit(Status.PENDING.value)),
        else_=lit(Status.FAILED.value),
    )
    gap = ibis().cases(
        (reason == "no_group", lit(Gap.DETAILS_MISSING.value)),
        (reason == "counts_only", lit(Gap.COUNTS_ONLY.value)),
        else_=lit(None, type="string"),
    )
    evidence = ibis().cases(
        (reason.isin(["passed", "pending", "not_in_force_throughout"]), grid.attended),
        (reason == "counts_only", grid.unsure),
        (reason == "failed", grid.all_held),
        else_=_no_ids(),
    )
    return ctx.rows(
        rule,
        grid,
        status=status,
        gap=gap,
        reason=reason,
        count=grid.held,
        evidence=evidence,
        detail=ibis().cases((grid.held > 0, grid.items.join(_SEP)), else_=lit(None, type="string")),
    )


def _dual_life_message(rule: Rule, row: FindingRow) -> Message:
    sub = Period.parse(row.period or "")
    p: DualLifeParams = rule.params_on(sub.start)
    items = sorted(
        (dt.date.fromisoformat(day), id_, kind, what)
        for day, id_, kind, what in (
            item.split(_SUB, 3) for item in (row.detail or "").split(_SEP) if item
        )
    )
    return dual_life_message(
        row.reason or "",
        p,
        sub,
        name=row.subject_name,
        member=row.subject_id,
        attended=[day for day, _, _, what in items if what == "+"],
        unnamed=[(day, MeetingKind.parse(kind)) for day, _, kind, what in items if what == "?"],
        held=row.count or 0,
        missed=[
            (day, AbsenceReason.parse(what) if what not in ("?", "-") else None)
            for day, _, _, what in items
            if what != "+"
        ],
    )


DUAL_LIFE = TableKind(name="dual_life", evaluate=_evaluate_dual_life, message=_dual_life_message)
