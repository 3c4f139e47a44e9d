"""Rule kinds about members' organisational life and relations, and the later steps of
recruitment: leading cadres' dual organisational life, transfers of the organisational
relation, members out of contact, the reviews of activists, the listing of candidates, the
decision at the end of a probation, and the units of a joint branch."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from typing import Literal

import attrs

from dangjian.findings import Finding, Gap, Status
from dangjian.i18n import Message, t, tp
from dangjian.model import (
    AbsenceReason,
    Branch,
    CommitteeRole,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    TransferDirection,
)
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context, Span
from dangjian.rules.kinds._common import add_months, judge_day
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule
from dangjian.rules.texts import (
    comma_list,
    joined,
    label,
    or_list,
    period_name,
    semicolon_list,
)

__all__ = [
    "DUAL_LIFE",
    "JOINT_UNITS",
    "RECRUITMENT",
    "RELATION",
    "DualLifeParams",
    "JointUnitsParams",
    "Listed",
    "RecruitmentParams",
    "RelationParams",
    "activist_review_message",
    "candidate_listing_verdict",
    "conversion_message",
    "dual_life_message",
    "joint_units_message",
    "remove_message",
    "suspend_message",
    "transfer_away_message",
    "transfer_refusal_message",
]

_DAY = dt.timedelta(days=1)


def _overlaps(span: Span, sub: Period) -> bool:
    start, end = span
    return (start is None or start <= sub.end) and (end is None or end >= sub.start)


# -- dual organisational life ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DualLifeParams:
    """A leading cadre (``Member.leading_cadre``) attends the meetings of their own branch or
    party group: at least ``at_least`` of the kinds ``meeting_kinds`` in every sub-period.

    Attendance is judged from the names in ``Meeting.attended``. A meeting whose attendance
    was recorded only as counts cannot show whether the cadre was there: when such meetings
    could make up the shortfall, the finding is ``unknown`` and says which meetings.

    Attributes:
        meeting_kinds: The kinds of meeting that count (组织生活会, 党小组会 …).
        scope: ``branch``: meetings of the member's own organisation; ``group``: meetings of
            the member's own party group.
        per: The sub-period (a year, usually).
        at_least: How many such meetings the cadre attends in each.
    """

    meeting_kinds: tuple[MeetingKind, ...] = attrs.field(validator=attrs.validators.min_len(1))
    scope: Literal["branch", "group"] = "branch"
    per: PeriodUnit = PeriodUnit.YEAR
    at_least: int = attrs.field(default=1, validator=v.positive_int)


def _evaluate_dual_life(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: DualLifeParams = rule.params_on(ctx.period.start)
    subs = [s for s in ctx.subperiods(first.per) if rule.in_force.overlaps(s.start, s.end)]
    for org in ctx.organisations(rule):
        for m in ctx.members_by_branch.get(org.id, ()):
            if not m.leading_cadre:
                continue
            span = ctx.membership_span(m)
            for sub in subs:
                if _overlaps(span, sub):
                    yield _judge_dual_life(ctx, rule, m, span, sub)


def _judge_dual_life(ctx: Context, rule: Rule, m: Member, span: Span, sub: Period) -> Finding:
    p: DualLifeParams = rule.params_on(sub.start)
    subject = ctx.member_subject(m)
    say = functools.partial(dual_life_message, p=p, sub=sub, name=m.name, member=m.id)
    if p.scope == "group":
        if m.group is None:
            if ctx.groups_by_branch.get(m.branch):
                return ctx.finding(
                    rule,
                    Status.UNKNOWN,
                    subject,
                    sub,
                    say("no_group"),
                    gap=Gap.DETAILS_MISSING,
                )
            return ctx.finding(
                rule,
                Status.NOT_APPLICABLE,
                subject,
                sub,
                say("no_groups"),
            )
        pool = [
            x
            for x in ctx.meetings_by_group.get(m.group, ())
            if any(x.serves(k) for k in p.meeting_kinds)
        ]
    else:
        pool = list(ctx.meetings_serving(m.branch, p.meeting_kinds))
    held = sorted(
        (x for x in pool if x.date in sub and ctx.within(span, x.date)),
        key=lambda x: (x.date, x.id),
    )
    attended = [x for x in held if m.id in x.attended]
    days = [x.date for x in attended]
    if len(attended) >= p.at_least:
        return ctx.finding(
            rule,
            Status.PASSED,
            subject,
            sub,
            say("passed", attended=days),
            evidence=[x.id for x in attended],
        )
    if ctx.verdict(False, sub) is Status.PENDING:
        return ctx.finding(
            rule,
            Status.PENDING,
            subject,
            sub,
            say("pending", attended=days),
            evidence=[x.id for x in attended],
        )
    if not (rule.in_force.covers(sub.start) and rule.in_force.covers(sub.end)):
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            sub,
            say("not_in_force_throughout", attended=days),
            evidence=[x.id for x in attended],
        )
    unnamed = [x for x in held if not x.attended and all(a.member != m.id for a in x.absences)]
    if unnamed and len(attended) + len(unnamed) >= p.at_least:
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            subject,
            sub,
            say("counts_only", unnamed=[(x.date, x.kind) for x in unnamed]),
            evidence=[x.id for x in (*attended, *unnamed)],
            gap=Gap.COUNTS_ONLY,
        )
    if not held:
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            sub,
            say("none_held"),
        )
    missed: list[tuple[dt.date, AbsenceReason | None]] = []
    for x in held:
        if m.id in x.attended:
            continue
        absence = next((a for a in x.absences if a.member == m.id), None)
        missed.append((x.date, absence.reason if absence is not None else None))
    return ctx.finding(
        rule,
        Status.FAILED,
        subject,
        sub,
        say("failed", attended=days, held=len(held), missed=missed),
        evidence=[x.id for x in held],
    )


def dual_life_message(
    reason: str,
    p: DualLifeParams,
    sub: Period,
    *,
    name: str,
    member: str,
    attended: Sequence[dt.date] = (),
    unnamed: Sequence[tuple[dt.date, MeetingKind]] = (),
    held: int = 0,
    missed: Sequence[tuple[dt.date, AbsenceReason | None]] = (),
) -> Message:
    """The message of a finding of ``dual_life``, in either engine.

    Args:
        reason: ``passed``, ``pending``, ``not_in_force_throughout`` (the rule is not in force
            on every day of ``sub``), ``failed``; ``counts_only`` (the meetings ``unnamed``
            recorded no names); ``none_held`` (no such meeting); ``no_group`` (the member's
            party group is not recorded), ``no_groups`` (the organisation has none).
        p: The parameters in force in ``sub``.
        sub: The sub-period judged.
        name: The member's name.
        member: The member's id.
        attended: The days of the meetings the member attended, in order.
        unnamed: The days and kinds of the meetings that recorded no names, in order.
        held: How many such meetings were held while the member was a member.
        missed: The days of the meetings the member missed, in order, with the reason for the
            absence when one was recorded.
    """
    kinds = or_list([label(k) for k in p.meeting_kinds])
    own = t("所在党小组") if p.scope == "group" else t("所在党组织")
    need = t(
        "党员领导干部应当参加{own}的{kinds}，{period}至少{n}次",
        own=own,
        kinds=kinds,
        period=period_name(sub),
        n=p.at_least,
    )
    n = len(attended)
    if reason == "no_group":
        return t(
            "{need}；未记录{name}所在的党小组，无法判断",
            need=need,
            name=name,
            member=member,
        )
    if reason == "no_groups":
        return t("{need}；所在党组织未设党小组，不作判断", need=need)
    if reason == "passed":
        return t(
            "{need}，{name}出席{n}次（{days}）",
            need=need,
            name=name,
            member=member,
            n=n,
            days=comma_list([d.isoformat() for d in attended]),
        )
    if reason == "pending":
        return t(
            "{need}，{name}目前出席{n}次，期间未结束",
            need=need,
            name=name,
            member=member,
            n=n,
        )
    if reason == "not_in_force_throughout":
        return t(
            "{need}；该规定在{period}内并非全程施行，{name}出席{n}次，不作判断",
            need=need,
            period=period_name(sub),
            name=name,
            member=member,
            n=n,
        )
    if reason == "counts_only":
        which = comma_list(
            [t("{date}{kind}", date=day.isoformat(), kind=label(kind)) for day, kind in unnamed]
        )
        return t(
            "{need}；{which}只记录了人数、未记录出席人名单，无法确认{name}是否参加",
            need=need,
            which=which,
            n=len(unnamed),
            name=name,
            member=member,
        )
    if reason == "none_held":
        return t(
            "{need}；{period}未记录{own}召开的{kinds}，无从参加，不对个人作判断",
            need=need,
            period=period_name(sub),
            own=own,
            kinds=kinds,
        )
    reasons: list[Message | str] = [
        t(
            "{date}{why}",
            date=day.isoformat(),
            why=label(why) if why is not None else t("未记录缺席原因"),
        )
        for day, why in missed
    ]
    return t(
        "{need}；{own}召开{kinds}{held}次，{name}出席{n}次（未出席：{reasons}）",
        need=need,
        own=own,
        kinds=kinds,
        held=held,
        name=name,
        member=member,
        n=n,
        reasons=semicolon_list(reasons),
    )


DUAL_LIFE = RuleKind(
    name="dual_life",
    params=DualLifeParams,
    evaluate=_evaluate_dual_life,
    description=t("党员领导干部参加所在党支部（党小组）的组织生活（双重组织生活），按出席名单判断"),
)


# -- relations: transfers and members out of contact -----------------------------------------


@attrs.frozen(kw_only=True)
class RelationParams:
    """A member's organisational relation, chosen by ``check``.

    Attributes:
        check: ``transfer_away``: a member away (``away_since``) for ``months`` or more has
            asked to transfer the relation out by the day the ``months`` are reached (a
            member who came back before then is not judged); a transfer asked later, or none,
            is ``unknown``, since the text binds only a member whose place away is relatively
            fixed, which no record says; ``transfer_refusal``: a transfer
            refused (``Transfer.refused``) gives a reason; ``suspend``: a member out of contact
            (``lost_contact``) is suspended (``suspended``) not before ``months``;
            ``remove``: a member suspended after losing contact is removed from the rolls
            (status 除名 or 自行脱党 with the day in ``left``) not before ``months``. The text
            sets no day by which to suspend or remove, and makes both depend on a search the
            ledger does not record: past the ``months`` with neither recorded is ``unknown``,
            pending before.
        months: The months of ``transfer_away``, ``suspend`` and ``remove``.
    """

    check: Literal["transfer_away", "transfer_refusal", "suspend", "remove"]
    months: int = 0


_Step = tuple[Status, Message, dt.date, list[str]] | None


def _evaluate_relation(ctx: Context, rule: Rule) -> Iterator[Finding]:
    p: RelationParams = rule.params_on(ctx.period.start)
    for org in ctx.organisations(rule):
        for m in ctx.members_by_branch.get(org.id, ()):
            if p.check == "transfer_refusal":
                steps = list(_refusals(ctx, rule, m))
            else:
                steps = [_RELATION_CHECKS[p.check](ctx, rule, m)]
            for step in steps:
                if step is None:
                    continue
                status, message, day, evidence = step
                gap = _RELATION_GAPS[p.check] if status is Status.UNKNOWN else None
                if gap is not None and p.check == "transfer_away" and _keeps_transfers(ctx):
                    # transfers are kept: what no record says is whether the place was fixed
                    gap = Gap.DETAILS_MISSING
                yield ctx.finding(
                    rule,
                    status,
                    ctx.member_subject(m),
                    Period.containing(day, PeriodUnit.MONTH),
                    message,
                    evidence=evidence,
                    day=day,
                    gap=gap,
                )


def _due_step(
    ctx: Context, rule: Rule, m: Member, due: dt.date, done: dt.date | None, still: bool
) -> bool:
    """Whether a step due on ``due`` and done on ``done`` is judged in the checked period.

    It is judged in the period it falls due in; one not done by then is judged again in every
    later period, for as long as ``still`` (the member is still in that state).
    """
    if not rule.in_force.covers(due):
        return False
    if due in ctx.period:
        return True
    return due < ctx.period.start and (done is None or done >= ctx.period.start) and still


def _transfer_away(ctx: Context, rule: Rule, m: Member) -> _Step:
    if m.away_since is None or not (m.status.is_member or m.status.has_left):
        return None
    p: RelationParams = rule.params_on(m.away_since)
    due = add_months(m.away_since, p.months)
    if m.away_until is not None and m.away_until < due:
        return None  # back before the months were reached: no transfer needed
    outs = sorted(
        x.requested
        for x in m.transfers
        if x.direction is TransferDirection.OUT and (m.joined is None or x.requested >= m.joined)
    )
    if m.status is MemberStatus.TRANSFERRED_OUT and m.left is not None:
        outs = sorted([*outs, m.left])
    done = outs[0] if outs else None
    gone = m.status.has_left and m.left is not None and m.left < due and done is None
    if gone:
        return None
    still_away = (
        m.away_until is None or m.away_until >= ctx.period.start
    ) and not m.status.has_left
    if not _due_step(ctx, rule, m, due, done, still_away):
        return None
    # The text binds only a member whose place away is relatively fixed (地点相对固定), which
    # no record says: a transfer asked late, or none, cannot be judged a breach.
    if done is not None and done <= due:
        status, reason = Status.PASSED, "passed"
    elif done is not None:
        status, reason = Status.UNKNOWN, "late"
    elif due >= ctx.as_of:
        status, reason = Status.PENDING, "pending"
    elif not _keeps_transfers(ctx):
        status, reason = Status.UNKNOWN, "not_kept"
    else:
        status, reason = Status.UNKNOWN, "none"
    message = transfer_away_message(
        reason, months=p.months, name=m.name, since=m.away_since, done=done
    )
    return (status, message, due, [])


def transfer_away_message(
    reason: str, *, months: int, name: str, since: dt.date, done: dt.date | None
) -> Message:
    """The message of a finding of ``transfer_away``, in either engine.

    Args:
        reason: ``passed`` (a transfer out asked by the day due), ``late`` (asked on ``done``,
            after it), ``pending``, ``not_kept`` (the ledger keeps no transfers) or ``none``.
        months: The months away that call for a transfer.
        name: The member's name.
        since: The day the member went away.
        done: The day the first transfer out was asked for.
    """
    due = add_months(since, months)
    need = t(
        "外出{months}个月以上并且地点相对固定的，应当转移组织关系：{name}于{since}外出，"
        "至{due}满{months}个月",
        months=months,
        name=name,
        since=since.isoformat(),
        due=due.isoformat(),
    )
    unfixed = t("台账未记录外出地点是否相对固定，无法判断是否应当转移")
    if reason == "passed" and done is not None:
        return t("{need}，{day}申请转出", need=need, day=done.isoformat())
    if reason == "late" and done is not None:
        return t(
            "{need}，{day}才申请转出；{unfixed}",
            need=need,
            day=done.isoformat(),
            unfixed=unfixed,
        )
    if reason == "pending":
        return t("{need}，尚未记录转出", need=need)
    if reason == "not_kept":
        return t("{need}；台账中没有组织关系转接记录，无法判断是否已转出", need=need)
    return t("{need}，未记录转出组织关系；{unfixed}", need=need, unfixed=unfixed)


def _keeps_transfers(ctx: Context) -> bool:
    """Whether the ledger records transfers at all (a transfer, or a member transferred out)."""
    kept = ctx.memo.get(_keeps_transfers)
    if kept is None:
        kept = ctx.memo[_keeps_transfers] = any(
            m.transfers or m.status is MemberStatus.TRANSFERRED_OUT for m in ctx.ledger.members
        )
    return bool(kept)


def _refusals(ctx: Context, rule: Rule, m: Member) -> Iterator[_Step]:
    for x in m.transfers:
        if not x.refused or x.requested not in ctx.period or not rule.in_force.covers(x.requested):
            continue
        yield (
            Status.PASSED if x.reason else Status.FAILED,
            transfer_refusal_message(
                name=m.name,
                member=m.id,
                day=x.requested,
                direction=x.direction,
                from_org=x.from_org,
                to_org=x.to_org,
                reason=x.reason,
            ),
            x.requested,
            [],
        )


def transfer_refusal_message(
    *,
    name: str,
    member: str,
    day: dt.date,
    direction: TransferDirection,
    from_org: str | None,
    to_org: str | None,
    reason: str | None,
) -> Message:
    """The message of a finding of ``transfer_refusal`` (a refused transfer asked on ``day``),
    in either engine: passed when it gives its ``reason``."""
    where = "→".join(org for org in (from_org, to_org) if org)
    facts = {
        "name": name,
        "member": member,
        "day": day.isoformat(),
        "way": label(direction),
        "where": where,
    }
    need = (
        t("不得无故拒转拒接：{name}{day}申请{way}组织关系（{where}）被拒绝", **facts)
        if where
        else t("不得无故拒转拒接：{name}{day}申请{way}组织关系被拒绝", **facts)
    )
    if reason:
        return t("{need}，理由：{reason}", need=need, reason=reason)
    return t("{need}，未记录理由", need=need)


def _suspend(ctx: Context, rule: Rule, m: Member) -> _Step:
    lost = m.lost_contact
    if lost is None:
        return None
    p: RelationParams = rule.params_on(lost)
    due = add_months(lost, p.months)
    if m.suspended is not None:
        if m.suspended not in ctx.period or not rule.in_force.covers(m.suspended):
            return None
        reason = "early" if m.suspended < due else "passed"
        return (
            Status.FAILED if reason == "early" else Status.PASSED,
            suspend_message(reason, months=p.months, name=m.name, lost=lost, day=m.suspended),
            m.suspended,
            [],
        )
    if m.contact_restored is not None:
        # contact regained: the text sets no day by which the standing must be suspended
        return None
    if m.status.has_left and m.left is not None and m.left <= due:
        return None
    if not _due_step(ctx, rule, m, due, None, not m.status.has_left):
        return None
    # The text suspends a member "通过各种方式查找仍然没有取得联系" and sets no time for the
    # decision; the ledger does not record the search: no breach can be shown.
    status = Status.PENDING if due >= ctx.as_of else Status.UNKNOWN
    reason = "pending" if status is Status.PENDING else "unknown"
    return (
        status,
        suspend_message(reason, months=p.months, name=m.name, lost=lost, day=None),
        due,
        [],
    )


def suspend_message(
    reason: str, *, months: int, name: str, lost: dt.date, day: dt.date | None
) -> Message:
    """The message of a finding of ``suspend``, in either engine.

    Args:
        reason: ``passed`` or ``early`` (suspended on ``day``), ``pending`` or ``unknown``
            (no suspension recorded).
        months: The months out of contact before a suspension.
        name: The member's name.
        lost: The day contact was lost.
        day: The day the standing was suspended.
    """
    due = add_months(lost, months)
    need = t(
        "失去联系{months}个月以上、经多方查找仍无法取得联系的党员，予以停止党籍：{name}于"
        "{lost}失去联系，{due}满{months}个月",
        months=months,
        name=name,
        lost=lost.isoformat(),
        due=due.isoformat(),
    )
    if reason == "early" and day is not None:
        return t(
            "{need}，{day}停止党籍，未满{months}个月",
            need=need,
            day=day.isoformat(),
            months=months,
        )
    if reason == "passed" and day is not None:
        return t("{need}，{day}停止党籍", need=need, day=day.isoformat())
    if reason == "pending":
        return t("{need}，未记录停止党籍", need=need)
    return t(
        "{need}，未记录停止党籍；条文对经多方查找仍无法取得联系的予以停止党籍，未规定作出"
        "决定的期限，台账未记录查找情况，无法判断",
        need=need,
    )


_REMOVED = (MemberStatus.REMOVED, MemberStatus.LAPSED)


def _remove(ctx: Context, rule: Rule, m: Member) -> _Step:
    suspended = m.suspended
    if suspended is None or m.lost_contact is None:
        return None  # a standing suspended on other grounds (abroad …) is not removed by this
    p: RelationParams = rule.params_on(suspended)
    due = add_months(suspended, p.months)
    restored = m.contact_restored
    if restored is not None and restored <= due:
        return None  # contact regained: the member is not removed on these grounds
    say = functools.partial(
        remove_message, months=p.months, name=m.name, suspended=suspended, status=m.status
    )
    if m.status in _REMOVED:
        if m.left is None:
            if not _due_step(ctx, rule, m, due, None, False):
                return None
            return (Status.UNKNOWN, say("undated", day=None), due, [])
        if m.left not in ctx.period or not rule.in_force.covers(m.left):
            return None
        reason = "early" if m.left < due else "passed"
        return (
            Status.FAILED if reason == "early" else Status.PASSED,
            say(reason, day=m.left),
            m.left,
            [],
        )
    if m.status.has_left or restored is not None:
        return None  # left, or contact regained: the text sets no day for the removal
    if not _due_step(ctx, rule, m, due, None, True):
        return None
    if due >= ctx.as_of:
        return (Status.PENDING, say("pending", day=None), due, [])
    return (Status.UNKNOWN, say("unknown", day=None), due, [])


def remove_message(
    reason: str,
    *,
    months: int,
    name: str,
    suspended: dt.date,
    status: MemberStatus,
    day: dt.date | None,
) -> Message:
    """The message of a finding of ``remove``, in either engine.

    Args:
        reason: ``passed`` or ``early`` (removed on ``day``), ``undated`` (removed on a day not
            recorded), ``pending`` or ``unknown`` (no removal recorded).
        months: The months after the suspension.
        name: The member's name.
        suspended: The day the standing was suspended.
        status: The member's status (除名, 自行脱党 …).
        day: The day of the removal.
    """
    due = add_months(suspended, months)
    need = t(
        "停止党籍{months}个月后确实无法取得联系的，按照自行脱党予以除名：{name}于"
        "{suspended}停止党籍，{due}满{months}个月",
        months=months,
        name=name,
        suspended=suspended.isoformat(),
        due=due.isoformat(),
    )
    if reason == "undated":
        return t(
            "{need}；已{status}，但未记录除名日期，无法判断是否在期满后",
            need=need,
            status=label(status),
        )
    if reason == "early" and day is not None:
        return t(
            "{need}，{day}{status}，未满期限",
            need=need,
            day=day.isoformat(),
            status=label(status),
        )
    if reason == "passed" and day is not None:
        return t("{need}，{day}{status}", need=need, day=day.isoformat(), status=label(status))
    if reason == "pending":
        return t("{need}，未记录除名", need=need)
    return t(
        "{need}，未记录除名；条文对确实无法取得联系的予以除名，未规定除名的期限，台账未记录"
        "查找情况，无法判断",
        need=need,
    )


_RELATION_CHECKS = {"transfer_away": _transfer_away, "suspend": _suspend, "remove": _remove}
# what the records lack when a check cannot tell
_RELATION_GAPS = {
    "transfer_away": Gap.NOT_KEPT,
    "transfer_refusal": Gap.NOT_KEPT,
    "suspend": Gap.DATES_MISSING,
    "remove": Gap.DATES_MISSING,
}

RELATION = RuleKind(
    name="relation",
    params=RelationParams,
    evaluate=_evaluate_relation,
    description=t("组织关系：外出转接、拒转拒接、失联党员停止党籍和除名"),
)


# -- recruitment: reviews, candidates, conversion -------------------------------------------------


@attrs.frozen(kw_only=True)
class RecruitmentParams:
    """A later step of recruitment, chosen by ``check``.

    Attributes:
        check: ``activist_review``: an activist is reviewed (``Member.reviews``) at least once
            in every sub-period ``per`` they are an activist throughout (from the activist date
            to the day before becoming a candidate); ``candidate_listing``: a candidate was
            listed after a meeting of a kind in ``meeting_kinds`` of their branch
            (``candidate_meeting``) and the listing was filed with the higher committee
            (``candidate_filed``), both on or before the candidate date;
            ``conversion_decision``: when a probation of ``months`` (and again at the end of an
            extension) ends, a decision (conversion, extension or cancellation) is recorded
            within ``window_months`` of the end.
        per: The sub-period of ``activist_review``.
        meeting_kinds: The kinds of meeting that may list a candidate.
        months: The probation, in months.
        window_months: How long after the end of a probation a decision may come.
    """

    check: Literal["activist_review", "candidate_listing", "conversion_decision"]
    per: PeriodUnit = PeriodUnit.HALF
    meeting_kinds: tuple[MeetingKind, ...] = (MeetingKind.COMMITTEE_MEETING,)
    months: int = 12
    window_months: int = 0


def _evaluate_recruitment(ctx: Context, rule: Rule) -> Iterator[Finding]:
    p: RecruitmentParams = rule.params_on(ctx.period.start)
    orgs = ctx.organisations(rule)
    if p.check == "activist_review":
        kept = any(m.reviews for m in ctx.ledger.members)
        subs = [s for s in ctx.subperiods(p.per) if rule.in_force.overlaps(s.start, s.end)]
        for org in orgs:
            # judged only in the sub-periods its organisation existed in, as a check of that
            # sub-period alone judges it
            alive = [s for s in subs if s.overlaps(org.founded or dt.date.min, org.dissolved)]
            for m in ctx.members_by_branch.get(org.id, ()):
                yield from _activist_reviews(ctx, rule, m, alive, kept)
        return
    check = _candidate_listing if p.check == "candidate_listing" else _conversion
    for org in orgs:
        for m in ctx.members_by_branch.get(org.id, ()):
            for status, message, day, evidence in check(ctx, rule, m):
                yield ctx.finding(
                    rule,
                    status,
                    ctx.member_subject(m),
                    Period.containing(day, PeriodUnit.MONTH),
                    message,
                    evidence=evidence,
                    day=day,
                    # the listing's meeting or filing day, the conversion's day
                    gap=None
                    if status is not Status.UNKNOWN
                    else Gap.DETAILS_MISSING
                    if check is _candidate_listing
                    else Gap.DATES_MISSING,
                )


def _activist_span(m: Member) -> Span | None:
    """The days ``m`` was an activist, or ``None`` when the end is not known."""
    steps = m.milestones
    if steps.activist is None:
        return None
    after = steps.candidate or steps.admitted or steps.converted
    end = after - _DAY if after is not None else None
    if (
        end is None
        and m.status is not MemberStatus.ACTIVIST
        and (not m.status.has_left or m.left is None)
    ):
        return None  # moved on, or left, on a day not recorded
    if m.status.has_left and m.left is not None:
        end = min(end, m.left - _DAY) if end is not None else m.left - _DAY
    return (steps.activist, end)


def _activist_reviews(
    ctx: Context, rule: Rule, m: Member, subs: list[Period], kept: bool
) -> Iterator[Finding]:
    span = _activist_span(m)
    if span is None:
        return
    subject = ctx.member_subject(m)
    for sub in subs:
        if not _overlaps(span, sub):
            continue
        done = sorted(r.date for r in m.reviews if r.date in sub)
        if done:
            status, reason = Status.PASSED, "passed"
        elif not ctx.covers(span, sub):
            status, reason = Status.NOT_APPLICABLE, "not_throughout"
        elif not kept and ctx.verdict(False, sub) is not Status.PENDING:
            status, reason = Status.UNKNOWN, "not_kept"
        else:
            status, reason = ctx.verdict(False, sub), "none"
        message = activist_review_message(reason, sub=sub, name=m.name, member=m.id, done=done)
        gap = Gap.NOT_KEPT if status is Status.UNKNOWN else None
        yield ctx.finding(rule, status, subject, sub, message, gap=gap)


def activist_review_message(
    reason: str, *, sub: Period, name: str, member: str, done: list[dt.date]
) -> Message:
    """The message of a finding of ``activist_review``, in either engine.

    Args:
        reason: ``passed`` (reviewed on the days ``done``, in order), ``not_throughout`` (not
            an activist throughout ``sub``), ``not_kept`` (the ledger keeps no reviews) or
            ``none`` (no review recorded).
        sub: The sub-period judged.
        name: The member's name.
        member: The member's id.
        done: The days of the reviews in ``sub``, in order.
    """
    need = t("党支部每半年对入党积极分子进行一次考察：{period}", period=period_name(sub))
    if reason == "passed":
        return t(
            "{need}已考察（{days}）",
            need=need,
            days=comma_list([d.isoformat() for d in done]),
            n=len(done),
        )
    if reason == "not_throughout":
        return t(
            "{need}，{name}在该期间内不全程是入党积极分子，不作判断",
            need=need,
            name=name,
            member=member,
        )
    if reason == "not_kept":
        return t("{need}；台账中没有入党积极分子考察记录，无法判断", need=need)
    return t("{need}，未记录对{name}的考察", need=need, name=name, member=member)


_Steps = Iterator[tuple[Status, Message, dt.date, list[str]]]


@attrs.frozen
class Listed:
    """The meeting that listed a candidate, as :func:`candidate_listing_verdict` needs it.

    Attributes:
        id: The meeting's id.
        kind: Its kind (:attr:`Meeting.kind <dangjian.Meeting.kind>`), which names it.
        date: The day it was held.
        branch: The organisation that held it.
        serves: Whether it served as one of the kinds of meeting that may list a candidate,
            as its kind or as one of the kinds it was also held as (:attr:`Meeting.also
            <dangjian.Meeting.also>`).
    """

    id: str
    kind: MeetingKind
    date: dt.date
    branch: str
    serves: bool


def _candidate_listing(ctx: Context, rule: Rule, m: Member) -> _Steps:
    candidate = m.milestones.candidate
    if candidate is None or candidate not in ctx.period or not rule.in_force.covers(candidate):
        return
    p: RecruitmentParams = rule.params_on(candidate)
    meeting: Meeting | None = None
    if m.candidate_meeting is not None:
        meeting = ctx.ledger.find(Meeting, m.candidate_meeting)
    listed = (
        Listed(
            meeting.id,
            meeting.kind,
            meeting.date,
            meeting.branch,
            any(meeting.serves(k) for k in p.meeting_kinds),
        )
        if meeting is not None
        else None
    )
    verdict = candidate_listing_verdict(
        p.meeting_kinds,
        name=m.name,
        branch=m.branch,
        candidate=candidate,
        meeting_ref=m.candidate_meeting,
        meeting=listed,
        has_committee=meeting is not None and _has_committee(ctx, m.branch, meeting.date),
        filed=m.candidate_filed,
    )
    if verdict is not None:
        evidence = [meeting.id] if meeting is not None else []
        yield (*verdict, candidate, evidence)


def candidate_listing_verdict(
    meeting_kinds: tuple[MeetingKind, ...],
    *,
    name: str,
    branch: str,
    candidate: dt.date,
    meeting_ref: str | None,
    meeting: Listed | None,
    has_committee: bool,
    filed: dt.date | None,
) -> tuple[Status, Message] | None:
    """The status and message of the listing of a candidate on ``candidate``, in either engine.

    Args:
        meeting_kinds: The kinds of meeting that may list a candidate.
        name: The member's name.
        branch: The member's organisation.
        candidate: The day the member was listed.
        meeting_ref: The id of the meeting recorded as the one that discussed it.
        meeting: That meeting, when the ledger has it.
        has_committee: Whether the member's organisation is recorded with a committee on the
            day of that meeting.
        filed: The day the listing was filed with the higher committee.
    """
    kinds = or_list([label(k) for k in meeting_kinds])
    need = t(
        "{kinds}讨论同意并报上级党委备案后，可列为发展对象：{name}于{day}列为发展对象",
        kinds=kinds,
        name=name,
        day=candidate.isoformat(),
    )
    bad: list[Message | str] = []
    unknown: list[Message | str] = []
    if meeting_ref is None:
        unknown.append(t("未记录讨论的{kinds}", kinds=kinds))
    elif meeting is None:
        unknown.append(t("找不到会议「{meeting}」", meeting=meeting_ref))
    else:
        if not meeting.serves and has_committee:
            bad.append(
                t(
                    "会议{meeting}是{kind}，不是{kinds}",
                    meeting=meeting.id,
                    kind=label(meeting.kind),
                    kinds=kinds,
                )
            )
        elif not meeting.serves:
            # a branch of fewer than 7 full members has a secretary, not a committee
            unknown.append(
                t(
                    "会议{meeting}是{kind}，台账未记录本党组织当时设有支部委员会",
                    meeting=meeting.id,
                    kind=label(meeting.kind),
                )
            )
        if meeting.branch != branch:
            bad.append(t("会议{meeting}不是本党组织召开的", meeting=meeting.id))
        if meeting.date > candidate:
            bad.append(t("会议{day}召开，晚于列为发展对象", day=meeting.date.isoformat()))
    if filed is None:
        unknown.append(t("未记录报上级党委备案日期"))
    else:
        if filed > candidate:
            bad.append(t("{day}才报上级党委备案，晚于列为发展对象", day=filed.isoformat()))
        if meeting is not None and filed < meeting.date:
            bad.append(t("{day}备案，早于会议讨论", day=filed.isoformat()))
    if bad:
        return (Status.FAILED, t("{need}；{bad}", need=need, bad=semicolon_list(bad)))
    if unknown:
        return (
            Status.UNKNOWN,
            t("{need}；{unknown}，无法判断", need=need, unknown=joined(unknown, _clauses)),
        )
    if meeting is not None and filed is not None:
        return (
            Status.PASSED,
            t(
                "{need}；{day}{kind}讨论，{filed}备案",
                need=need,
                day=meeting.date.isoformat(),
                kind=label(meeting.kind),
                filed=filed.isoformat(),
            ),
        )
    return None


def _clauses(a: Message | str, b: Message | str) -> Message:
    """Two clauses, ``甲，乙`` / ``a; b``."""
    return tp("clauses", "{a}，{b}", a=a, b=b)


def _has_committee(ctx: Context, branch: str, day: dt.date) -> bool:
    """Whether ``branch`` is recorded with a committee on ``day``: a seat besides the secretary
    and the deputy (a branch of fewer than 7 full members has only those)."""
    org = ctx.ledger.find(Branch, branch)
    if org is None:
        return False
    alone = (CommitteeRole.SECRETARY, CommitteeRole.DEPUTY_SECRETARY)
    return any(role not in alone for role, _ in ctx.committee_on(org, day))


def _conversion(ctx: Context, rule: Rule, m: Member) -> _Steps:
    admitted = m.milestones.admitted
    if admitted is None or not rule.in_force.covers(admitted):
        return
    p: RecruitmentParams = rule.params_on(admitted)
    end = add_months(admitted, p.months)
    converted, cancelled = m.milestones.converted, m.probation_cancelled
    ext = m.probation_extension
    final = [d for d in (converted, cancelled) if d is not None]
    first = min([*final, *([ext.decided] if ext is not None else [])], default=None)
    stages: list[tuple[dt.date, dt.date | None, int]] = [(end, first, 0)]
    if ext is not None:
        stages.append((add_months(end, ext.months), min(final, default=None), 1))
    # a full member whose conversion day is not recorded was converted on a day not known
    undated = converted is None and cancelled is None and m.status is MemberStatus.FULL
    for end_day, decided, stage in stages:
        deadline = add_months(end_day, p.window_months)
        if not rule.in_force.covers(end_day):
            continue
        say = functools.partial(
            conversion_message, stage=stage, name=m.name, end_day=end_day, window=p.window_months
        )
        if undated and decided is None:
            if deadline in ctx.period:
                yield (
                    Status.UNKNOWN,
                    say("undated", decided=None),
                    end_day,
                    [],
                )
            continue
        left_before = m.status.has_left and m.left is not None and m.left <= deadline
        if decided is None and left_before:
            continue
        if deadline in ctx.period:
            pass
        elif not (
            deadline < ctx.period.start
            and (decided is None or decided >= ctx.period.start)
            and not m.status.has_left
        ):
            continue
        if decided is not None:
            status = Status.PASSED if decided <= deadline else Status.FAILED
        else:
            status = Status.FAILED if deadline < ctx.as_of else Status.PENDING
        yield (status, say("judged", decided=decided), end_day, [])


def conversion_message(
    reason: str,
    *,
    stage: int,
    name: str,
    end_day: dt.date,
    window: int,
    decided: dt.date | None,
) -> Message:
    """The message of a finding of ``conversion_decision``, in either engine.

    Args:
        reason: ``undated`` (a full member whose conversion day is not recorded) or ``judged``.
        stage: 0 for the end of the probation, 1 for the end of its extension.
        name: The member's name.
        end_day: The day the probation (or the extension) ended.
        window: The months after ``end_day`` a decision may come in.
        decided: The day of the decision, when there was one.
    """
    what = t("预备期满") if stage == 0 else t("延长的预备期满")
    if reason == "undated":
        return t(
            "预备党员{stage}应及时讨论能否转为正式党员：{name}{day}{stage}，"
            "已是正式党员但未记录转正日期，无法判断",
            stage=what,
            name=name,
            day=end_day.isoformat(),
        )
    deadline = add_months(end_day, window)
    need = t(
        "预备党员{stage}应及时讨论能否转为正式党员（转正、延长预备期或取消预备党员资格）："
        "{name}{day}{stage}，应于{deadline}前作出决定",
        stage=what,
        name=name,
        day=end_day.isoformat(),
        deadline=deadline.isoformat(),
    )
    if decided is not None and decided <= deadline:
        return t("{need}，{day}已作出决定", need=need, day=decided.isoformat())
    if decided is not None:
        return t("{need}，{day}才作出决定", need=need, day=decided.isoformat())
    return t("{need}，尚未记录决定", need=need)


RECRUITMENT = RuleKind(
    name="recruitment",
    params=RecruitmentParams,
    evaluate=_evaluate_recruitment,
    description=t("发展党员的后续环节：积极分子考察、列为发展对象的程序、预备期满的决定"),
)


# -- the units of a joint branch -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class JointUnitsParams:
    """A joint branch covers at most ``at_most`` units (``Branch.units``), judged on the
    period's end (or the day of judging, when that comes first).

    Attributes:
        at_most: The most units.
    """

    at_most: int = attrs.field(validator=v.positive_int)


def _evaluate_joint_units(ctx: Context, rule: Rule) -> Iterator[Finding]:
    day = judge_day(ctx.period, ctx.as_of)
    if not rule.in_force.covers(day):
        return
    p: JointUnitsParams = rule.params_on(day)
    for org in ctx.organisations(rule):
        if not Context.within((org.founded, org.dissolved), day):
            continue
        yield _judge_units(ctx, rule, org, p, day)


def _judge_units(
    ctx: Context, rule: Rule, org: Branch, p: JointUnitsParams, day: dt.date
) -> Finding:
    units = list(dict.fromkeys(org.units))  # a unit written twice is one unit
    status = joint_units_status(len(units), p.at_most)
    message = joint_units_message(p, org_name=org.name, org_id=org.id, units=units)
    gap = Gap.DETAILS_MISSING if status is Status.UNKNOWN else None
    return ctx.finding(
        rule, status, ctx.branch_subjects[org.id], ctx.period, message, day=day, gap=gap
    )


def joint_units_status(n: int, at_most: int) -> Status:
    """Unknown when no unit is recorded, else passed for at most ``at_most`` units."""
    if not n:
        return Status.UNKNOWN
    return Status.PASSED if n <= at_most else Status.FAILED


def joint_units_message(
    p: JointUnitsParams, *, org_name: str, org_id: str, units: Sequence[str]
) -> Message:
    """The message of a finding of ``joint_units``, in either engine: ``units`` are the
    organisation's units, each once, in the order first recorded."""
    need = t("联合党支部覆盖单位一般不超过{at_most}个", at_most=p.at_most)
    if not units:
        return t(
            "{need}；{org_name}未记录覆盖单位，无法判断",
            need=need,
            org_name=org_name,
            org_id=org_id,
        )
    return t(
        "{need}，{org_name}覆盖{n}个（{units}）",
        need=need,
        org_name=org_name,
        org_id=org_id,
        n=len(units),
        units=comma_list(list(units)),
    )


JOINT_UNITS = RuleKind(
    name="joint_units",
    params=JointUnitsParams,
    evaluate=_evaluate_joint_units,
    description=t("联合党支部覆盖的单位数"),
)
