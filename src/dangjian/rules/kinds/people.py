"""Rule kinds about people: coverage of every member, the shape of organisations, and the
dated steps of the membership lifecycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Literal

import attrs

from dangjian.findings import Finding, Gap, Status
from dangjian.i18n import Message, t, tp
from dangjian.model import (
    Branch,
    CommitteeRole,
    ElectionDelay,
    HeartToHeartTalk,
    Member,
    MemberStatus,
    OrgCategory,
    OrgLevel,
)
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context, not_kept_message, undated_message
from dangjian.rules.kinds._common import add_months, judge_day, partly_in_force
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule
from dangjian.rules.texts import comma_list, label, period_name

__all__ = [
    "COVERAGE",
    "MEMBERSHIP",
    "STRUCTURE",
    "TALK_PAIRS",
    "ElectionCase",
    "ElectionDeadline",
    "coverage_target",
    "election_deadline",
    "probation_end",
    "seat_spans",
    "standing_delay",
    "term_years",
]


# -- coverage ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CoverageParams:
    """Every member reaches a number of talks, or of training hours, in each sub-period.

    Attributes:
        measure: ``talks`` (heart-to-heart talks taken part in, either side) or
            ``training_hours``.
        per: The sub-period (a year, usually).
        at_least: What each member must reach.
        at_least_committee: What secretaries and committee members must reach; when it is
            not more than ``at_least`` they are judged like every member.
    """

    measure: Literal["talks", "training_hours"]
    per: PeriodUnit = PeriodUnit.YEAR
    at_least: Decimal = attrs.field(validator=v.non_negative)
    at_least_committee: Decimal | None = attrs.field(
        default=None, validator=v.optional(v.non_negative)
    )


def _evaluate_coverage(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: CoverageParams = rule.params_on(ctx.period.start)
    subs = [s for s in ctx.subperiods(first.per) if rule.in_force.overlaps(s.start, s.end)]
    seated = _seated(ctx)
    for org in ctx.organisations(rule):
        for m in ctx.members_by_branch.get(org.id, ()):
            span = ctx.membership_span(m)
            for sub in subs:
                if ctx.left_undated(m, sub):
                    yield _undated_coverage(ctx, rule, m, sub)
                    continue
                if not _overlaps(span, sub):
                    continue
                if not rule.in_force.spans(sub.start, sub.end):
                    yield partly_in_force(ctx, rule, ctx.member_subject(m), sub)
                    continue
                yield _judge_coverage(ctx, rule, m, sub, seated.get(m.id, ()))


def _overlaps(span: tuple[dt.date | None, dt.date | None], sub: Period) -> bool:
    start, end = span
    return (start is None or start <= sub.end) and (end is None or end >= sub.start)


def coverage_target(
    p: CoverageParams, seats: Iterable[tuple[dt.date | None, dt.date | None]], sub: Period
) -> tuple[bool, Decimal]:
    """Whether a member with committee ``seats`` (the spans of :func:`seat_spans`) is held to
    the committee members' higher target in ``sub``, and the target itself."""
    on_committee = any(
        (s is None or s <= sub.end) and (e is None or e >= sub.start) for s, e in seats
    )
    higher = on_committee and p.at_least_committee is not None and p.at_least_committee > p.at_least
    target = p.at_least_committee if higher and p.at_least_committee is not None else p.at_least
    return higher, target


def seat_spans(ctx: Context) -> dict[str, list[tuple[dt.date | None, dt.date | None]]]:
    """The spans of every committee seat of the ledger, by member (of any organisation)."""
    return _seated(ctx)


def _seated(ctx: Context) -> dict[str, list[tuple[dt.date | None, dt.date | None]]]:
    table: dict[str, list[tuple[dt.date | None, dt.date | None]]] = {}
    for b in ctx.ledger.branches:
        for s in b.committee:
            table.setdefault(s.member, []).append((s.start, s.end))
    return table


_MEASURED = {"talks": "talks", "training_hours": "trainings"}
"""The collection of the ledger each measure counts."""


def _undated_coverage(ctx: Context, rule: Rule, m: Member, sub: Period) -> Finding:
    p: CoverageParams = rule.params_on(sub.start)
    return ctx.finding(
        rule,
        Status.UNKNOWN,
        ctx.member_subject(m),
        sub,
        coverage_message(p, sub, "undated", name=m.name, member=m.id, status=m.status),
        gap=Gap.DATES_MISSING,
    )


_COMMITTEE_MEMBERS = tp("coverage", "支委会委员")
_MEMBERS = tp("coverage", "党员")
"""Who a coverage rule speaks of (messages are values: made once, used in every finding)."""


def plain_number(value: Decimal) -> Decimal:
    """``value`` without trailing zeros, as people write hours: ``24``, ``8.5`` (a table's
    decimal column and a record's text keep different scales of the same number).

    >>> plain_number(Decimal("24.500")), plain_number(Decimal("20.00")), plain_number(Decimal(3))
    (Decimal('24.5'), Decimal('20'), Decimal('3'))
    """
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def coverage_message(
    p: CoverageParams,
    sub: Period,
    reason: str | None,
    *,
    higher: bool = False,
    reached: Decimal = Decimal(0),
    name: str = "",
    member: str = "",
    status: MemberStatus | None = None,
) -> Message:
    """The message of a finding of a coverage rule, in either engine.

    Args:
        p: The parameters in force on the first day of ``sub``.
        sub: The sub-period judged.
        reason: ``undated`` (the member left on a day not recorded; ``status`` is the code of
            their status), ``not_member`` (not a member all
            through ``sub``), ``not_kept`` (the ledger keeps no such records), or ``None`` when
            judged (``reached``).
        higher: Whether the member is held to the committee members' higher target.
        name: The member's name; ``member`` their id.
    """
    talks = p.measure == "talks"
    if reason == "undated":
        need = (
            t("{period}应不少于{n}次谈心谈话", period=period_name(sub), n=p.at_least)
            if talks
            else t("{period}应不少于{n}学时", period=period_name(sub), n=p.at_least)
        )
        return undated_message(need, name, member, status or MemberStatus.LAPSED)
    target = p.at_least_committee if higher and p.at_least_committee is not None else p.at_least
    who = _COMMITTEE_MEMBERS if higher else _MEMBERS
    need = (
        t(
            "{who}{period}应不少于{target}次谈心谈话",
            who=who,
            period=period_name(sub),
            target=target,
        )
        if talks
        else t("{who}{period}应不少于{target}学时", who=who, period=period_name(sub), target=target)
    )
    if reason == "not_member":
        return t(
            "{need}；{name}在该期间内不全程是本组织党员，不作判断",
            need=need,
            name=name,
            member=member,
        )
    if reason == "not_kept":
        return t("{need}；{why}，无法判断", need=need, why=not_kept_message(_MEASURED[p.measure]))
    return (
        t("{need}，实际{reached}次谈心谈话", need=need, reached=plain_number(reached))
        if talks
        else t("{need}，实际{reached}学时", need=need, reached=plain_number(reached))
    )


def _judge_coverage(
    ctx: Context,
    rule: Rule,
    m: Member,
    sub: Period,
    seats: Iterable[tuple[dt.date | None, dt.date | None]],
) -> Finding:
    p: CoverageParams = rule.params_on(sub.start)
    subject = ctx.member_subject(m)
    higher, target = coverage_target(p, seats, sub)
    if not ctx.covers(ctx.membership_span(m), sub):
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            sub,
            coverage_message(p, sub, "not_member", higher=higher, name=m.name, member=m.id),
        )
    if p.measure == "talks":
        records = [x for x in ctx.talks_by_member.get(m.id, ()) if x.date in sub]
        reached = Decimal(len(records))
    else:
        records = [r for r in ctx.trainings_by_member.get(m.id, ()) if r.date in sub]
        reached = sum((r.hours for r in records), Decimal(0))
    status = ctx.verdict(reached >= target, sub)
    if status is Status.FAILED and not ctx.keeps(_MEASURED[p.measure]):
        # a ledger that keeps no such records at all cannot show that anybody fell short
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            subject,
            sub,
            coverage_message(p, sub, "not_kept", higher=higher),
            gap=Gap.NOT_KEPT,
        )
    return ctx.finding(
        rule,
        status,
        subject,
        sub,
        coverage_message(p, sub, None, higher=higher, reached=reached),
        evidence=[r.id for r in records],
    )


COVERAGE = RuleKind(
    name="coverage",
    params=CoverageParams,
    evaluate=_evaluate_coverage,
    description=t("每名党员每个子期间达到规定的谈心谈话次数或培训学时"),
)


# -- talks between pairs -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TalkPairsParams:
    """Every pair of members of an organisation talks at least ``at_least`` times in each
    sub-period (支部工作条例: 党支部委员之间、党支部委员和党员之间、党员和党员之间，每年谈心谈话
    一般不少于1次).

    The pairs are those among the members (probationary and full) on the rolls for the whole
    sub-period: somebody who joined, was admitted, transferred or left within it is not paired,
    and their talks are not counted, since the records cannot tell which pairs they owed.

    Attributes:
        per: The sub-period (a year).
        at_least: The talks each pair must have had.
    """

    per: PeriodUnit = PeriodUnit.YEAR
    at_least: int = attrs.field(default=1, validator=v.positive_int)


def _evaluate_talk_pairs(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: TalkPairsParams = rule.params_on(ctx.period.start)
    subs = [s for s in ctx.subperiods(first.per) if rule.in_force.overlaps(s.start, s.end)]
    keeps_talks = bool(ctx.ledger.talks)
    # an organisation of which the ledger records no talk at all, in any year (a ledger put
    # together from branches, one of which keeps its talks elsewhere), cannot tell either: the
    # same records of a branch give the same verdict alone or merged with others
    talking = {b for b, talks in _talks_within(ctx).items() if talks}
    for org in ctx.organisations(rule):
        for sub in subs:
            if not keeps_talks or org.id not in talking:
                yield ctx.finding(
                    rule,
                    Status.UNKNOWN,
                    ctx.branch_subjects[org.id],
                    sub,
                    talk_pairs_message(
                        rule.params_on(sub.start),
                        sub,
                        "not_kept" if not keeps_talks else "none_within",
                        org_name=org.name,
                        org_id=org.id,
                    ),
                    gap=Gap.NOT_KEPT,
                )
                continue
            yield _judge_talk_pairs(ctx, rule, org, sub)


def talk_pairs_message(
    p: TalkPairsParams,
    sub: Period,
    reason: str | None,
    *,
    org_name: str,
    org_id: str,
    whole: int = 0,
    part: int = 0,
    missing: list[tuple[str, str]] | None = None,
    names: dict[str, str] | None = None,
) -> Message:
    """The message of a finding of a talk_pairs rule, in either engine.

    Args:
        p: The parameters in force on the first day of ``sub``.
        sub: The sub-period judged.
        reason: ``not_kept`` (the ledger records no talk), ``none_within`` (none between two
            members of the organisation), ``too_few`` (fewer than 2 members on the rolls all
            through ``sub``), or ``None`` when judged.
        org_name: The organisation's name; ``org_id`` its id.
        whole: The members on the rolls all through ``sub``; ``part`` those on them part of it.
        missing: The pairs (ids, in order) without enough talks; ``names`` the members' names.
    """
    if reason == "not_kept":
        return t(
            "{why}，无法判断{org_name}{period}党员之间是否谈心谈话",
            why=not_kept_message("talks"),
            org_name=org_name,
            org_id=org_id,
            period=period_name(sub),
        )
    if reason == "none_within":
        return t(
            "台账未记录{org_name}党员之间的任何谈心谈话，无法判断{period}党员之间是否谈心谈话",
            org_name=org_name,
            org_id=org_id,
            period=period_name(sub),
        )
    need = t(
        "党员之间每年谈心谈话一般不少于{n}次（{period}）", n=p.at_least, period=period_name(sub)
    )
    aside = t("；年内转入、转出、入党或离开的{n}名党员不计", n=part) if part else ""
    if reason == "too_few":
        return t(
            "{need}：{org_name}全程在册党员不足2名{aside}",
            need=need,
            org_name=org_name,
            org_id=org_id,
            aside=aside,
        )
    head = t(
        "{need}：{org_name}全程在册党员{n}名，共{pairs}对",
        need=need,
        org_name=org_name,
        org_id=org_id,
        n=whole,
        pairs=whole * (whole - 1) // 2,
    )
    if not missing:
        return t("{head}，均已谈心谈话{aside}", head=head, aside=aside)
    return t(
        "{head}，{n}对未见谈心谈话记录：{listed}{aside}",
        head=head,
        n=len(missing),
        listed=_listed_pairs(missing, names or {}),
        aside=aside,
    )


def _judge_talk_pairs(ctx: Context, rule: Rule, org: Branch, sub: Period) -> Finding:
    p: TalkPairsParams = rule.params_on(sub.start)
    subject = ctx.branch_subjects[org.id]
    members = ctx.members_by_branch.get(org.id, [])
    whole = sorted(
        (m for m in members if ctx.covers(ctx.membership_span(m), sub)), key=lambda m: m.id
    )
    part = sum(
        1
        for m in members
        if not ctx.covers(ctx.membership_span(m), sub) and _overlaps(ctx.membership_span(m), sub)
    )
    if len(whole) < 2:
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            sub,
            talk_pairs_message(p, sub, "too_few", org_name=org.name, org_id=org.id, part=part),
        )
    ids = {m.id for m in whole}
    counted: dict[frozenset[str], int] = {}
    evidence: list[str] = []
    for x in _talks_within(ctx).get(org.id, ()):
        if x.date in sub and x.initiator in ids and x.partner in ids:
            pair = frozenset((x.initiator, x.partner))
            counted[pair] = counted.get(pair, 0) + 1
            evidence.append(x.id)
    names = {m.id: m.name for m in whole}
    missing = [
        (a.id, b.id)
        for i, a in enumerate(whole)
        for b in whole[i + 1 :]
        if counted.get(frozenset((a.id, b.id)), 0) < p.at_least
    ]
    return ctx.finding(
        rule,
        ctx.verdict(False, sub) if missing else Status.PASSED,
        subject,
        sub,
        talk_pairs_message(
            p,
            sub,
            None,
            org_name=org.name,
            org_id=org.id,
            whole=len(whole),
            part=part,
            missing=missing,
            names=names,
        ),
        evidence=sorted(evidence),
    )


#: The most pairs a message names; beyond them it counts the pairs each member lacks.
MAX_LISTED_PAIRS = 20


def _listed_pairs(missing: list[tuple[str, str]], names: dict[str, str]) -> Message | str:
    """The pairs without a talk, in words: all of them up to :data:`MAX_LISTED_PAIRS`; beyond,
    the first ones and "等N对", then for each member the number of pairs lacking (a message of
    a 50-member branch stays readable: at most 50 counts, not 1225 pairs).

    >>> names = {"a": "甲", "b": "乙", "c": "丙"}
    >>> listed = _listed_pairs([("a", "b"), ("a", "c")], names)
    >>> listed.render("zh"), listed.render("en")
    ('甲—乙、甲—丙', 'a–b, a–c')
    """
    shown = missing[:MAX_LISTED_PAIRS]
    listed = comma_list(
        [t("{name_a}—{name_b}", name_a=names[a], name_b=names[b], a=a, b=b) for a, b in shown]
    )
    if len(missing) <= MAX_LISTED_PAIRS:
        return listed
    lacking: dict[str, int] = {}
    for a, b in missing:
        lacking[a] = lacking.get(a, 0) + 1
        lacking[b] = lacking.get(b, 0) + 1
    counts = comma_list(
        [t("{name}（{n}对）", name=names[x], member=x, n=n) for x, n in sorted(lacking.items())]
    )
    return t(
        "{listed}等{total}对（各人未谈对数：{counts}）",
        listed=listed,
        total=len(missing),
        more=len(missing) - len(shown),
        counts=counts,
    )


def _talks_within(ctx: Context) -> dict[str, list[HeartToHeartTalk]]:
    """The talks between two members of the same organisation, by organisation (built once a
    check, so that the rule runs in time linear in the ledger)."""
    table: dict[str, list[HeartToHeartTalk]] | None = ctx.memo.get("talk_pairs.within")
    if table is None:
        table = ctx.memo["talk_pairs.within"] = {}
        for x in ctx.ledger.talks:
            a, b = ctx.members.get(x.initiator), ctx.members.get(x.partner)
            if a is not None and b is not None and a.branch == b.branch:
                table.setdefault(a.branch, []).append(x)
    return table


TALK_PAIRS = RuleKind(
    name="talk_pairs",
    params=TalkPairsParams,
    evaluate=_evaluate_talk_pairs,
    description=t("党员两两之间每年谈心谈话：每个组织每年一条结果，列出未谈话的对子"),
)


# -- structure ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StructureParams:
    """The shape of an organisation on the day it is judged (the period's end or the day of
    judging, whichever comes first), chosen by ``check``.

    Attributes:
        check: ``min_full_members``: at least ``at_least`` full members; ``max_members``: at
            most ``at_most`` members; ``committee``: with at least ``threshold`` full members a
            committee of ``min_seats`` to ``max_seats`` people (more than ``usual_max_seats``
            passes with a note: "3至5人，一般不超过7人" allows 6 and 7), otherwise at least a
            secretary;
            ``secretary_standing``: the secretary had ``years`` of 党龄 when taking the seat;
            ``term``: the next election is not later than the last election's term of ``years``
            (``years_by_category``) allows, or an approved delay of at most ``grace_years``
            (:func:`election_deadline`); ``organ_level``: an organ's organisation with at least
            ``threshold`` full members (itself and below) is a 基层党委, with at least
            ``at_least`` a 党总支 or more.
        at_least: The minimum for ``min_full_members`` and ``organ_level``.
        at_most: The maximum for ``max_members``.
        threshold: The size from which a committee (or a 基层党委) is required.
        min_seats: The smallest committee.
        max_seats: The largest committee the text allows (一般不超过).
        usual_max_seats: The usual largest committee (3至5人); ``0``: ``max_seats``.
        years: Years of 党龄 (``secretary_standing``) or of a term (``term``).
        years_by_category: Terms that differ by category (村 and 社区: 5).
        grace_years: For ``term``: the most years an election may be held after the term's
            end with the higher organisation's approval (the organisation's
            ``election_delays``); ``0``: no delay, approved or not (see
            :func:`election_deadline`).
        terms_from: For ``term``: the day from which ``years`` applies to a term, by the term's
            first day (the last election). A term begun earlier is judged by the
            organisation's recorded ``term_years`` (the term it was elected for), or cannot be
            judged: 关于党的基层组织任期的意见 (2018-07-12) applies its terms to organisations
            elected before it only from their next election.
    """

    check: Literal[
        "min_full_members", "max_members", "committee", "secretary_standing", "term", "organ_level"
    ]
    at_least: int = 0
    at_most: int = 0
    threshold: int = 0
    min_seats: int = 0
    max_seats: int = 0
    usual_max_seats: int = 0
    years: int = 0
    years_by_category: dict[OrgCategory, int] = attrs.field(factory=dict)
    grace_years: int = 0
    terms_from: dt.date | None = None


def _evaluate_structure(ctx: Context, rule: Rule) -> Iterator[Finding]:
    day = judge_day(ctx.period, ctx.as_of)
    if not rule.in_force.covers(day):
        return
    p: StructureParams = rule.params_on(day)
    for org in ctx.organisations(rule):
        if not Context.within((org.founded, org.dissolved), day):
            continue
        status, message, evidence = _STRUCTURE_CHECKS[p.check](ctx, org, p, day)
        # what the records lack: the date of the last election or of the secretary's
        # conversion; for a term begun before ``terms_from``, its length (term_years)
        details = p.check == "term" and org.last_election is not None
        yield ctx.finding(
            rule,
            status,
            ctx.branch_subjects[org.id],
            ctx.period,
            message,
            evidence=evidence,
            day=day,
            gap=None
            if status is not Status.UNKNOWN
            else Gap.DETAILS_MISSING
            if details
            else Gap.DATES_MISSING,
        )


_Verdict = tuple[Status, Message, list[str]]


def _min_full(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    full = ctx.full_members_on(org.id, day)
    met = len(full) >= p.at_least
    return (
        Status.PASSED if met else Status.FAILED,
        structure_message(
            p, "min_full_members", org_name=org.name, org_id=org.id, day=day, n=len(full)
        ),
        sorted(m.id for m in full),
    )


def _max_members(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    members = ctx.members_on(org.id, day)
    met = len(members) <= p.at_most
    return (
        Status.PASSED if met else Status.FAILED,
        structure_message(
            p, "max_members", org_name=org.name, org_id=org.id, day=day, n=len(members)
        ),
        sorted(m.id for m in members),
    )


def _committee(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    full = ctx.full_members_on(org.id, day)
    seats = ctx.committee_on(org, day)
    people = sorted({m for _, m in seats})
    has_secretary = any(r is CommitteeRole.SECRETARY for r, _ in seats)
    if len(full) >= p.threshold:
        n = len(people)
        met = p.min_seats <= n <= p.max_seats and has_secretary
        reason = "committee" if has_secretary else "committee_no_secretary"
        return (
            Status.PASSED if met else Status.FAILED,
            structure_message(p, reason, full=len(full), n=n),
            people,
        )
    # Under the threshold there is no committee: a secretary and, where needed, a deputy.
    others = sorted(
        {m for r, m in seats if r not in (CommitteeRole.SECRETARY, CommitteeRole.DEPUTY_SECRETARY)}
    )
    met = has_secretary and not others
    reason = "small" if has_secretary else "small_no_secretary"
    return (
        Status.PASSED if met else Status.FAILED,
        structure_message(p, reason, full=len(full), n=len(others)),
        people,
    )


def _secretary_standing(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    seats = [
        s
        for s in org.committee
        if s.role is CommitteeRole.SECRETARY
        and (s.start is None or s.start <= day)
        and (s.end is None or day <= s.end)
    ]
    if not seats:
        return (
            Status.NOT_APPLICABLE,
            structure_message(p, "no_secretary", org_name=org.name, org_id=org.id),
            [],
        )
    seat = seats[0]
    member = ctx.members.get(seat.member)
    since = seat.start or day
    converted = member.milestones.converted if member else None
    if converted is None:
        return (
            Status.UNKNOWN,
            structure_message(p, "not_converted", secretary=seat.member),
            [seat.member],
        )
    met = add_months(converted, 12 * p.years) <= since
    return (
        Status.PASSED if met else Status.FAILED,
        structure_message(
            p, "secretary_standing", secretary=seat.member, converted=converted, since=since
        ),
        [seat.member],
    )


def term_years(org: Branch, p: StructureParams) -> int:
    """The years of ``org``'s term under a ``term`` rule: its recorded ``term_years``, else the
    rule's years for its category, else the rule's ``years``."""
    return org.term_years or p.years_by_category.get(org.category, p.years)


ElectionCase = Literal[
    "no_election", "before_terms", "term", "unapproved", "approved", "capped", "advanced"
]
"""Which case decided an organisation's election deadline (:class:`ElectionDeadline`)."""


@attrs.frozen(kw_only=True)
class ElectionDeadline:
    """By when an organisation's next election (换届) is due, and why.

    Attributes:
        case: ``no_election`` (no last election recorded) and ``before_terms`` (a term begun
            before ``terms_from`` whose length is not recorded): no deadline can be told;
            ``term``: the rule allows no delay, the deadline is the term's end; ``unapproved``:
            no approval of a delay or an advance recorded for this term, the deadline is the
            term's end; ``approved``: a delay approved to ``delay.election_date``, the deadline;
            ``capped``: a delay approved beyond ``grace_years`` after the term's end, which
            counts only until then; ``advanced``: an approval to elect on or before the term's
            end, which does not move the deadline.
        years: The term in years.
        elected: The last election, if recorded.
        term_end: The day the term ends (届满): ``years`` after ``elected``.
        deadline: The last day on which the next election is on time; ``None`` when it cannot
            be told.
        delay: The approval that stands for this term, if any.
    """

    case: ElectionCase
    years: int
    elected: dt.date | None = None
    term_end: dt.date | None = None
    deadline: dt.date | None = None
    delay: ElectionDelay | None = None


def standing_delay(org: Branch, on: dt.date | None = None) -> ElectionDelay | None:
    """The approval of a delay or an advance that stands for ``org``'s current term: the latest
    given after its last election (and, with ``on``, by that day); ``None`` when there is none.

    Approvals given on or before the last election belong to earlier terms. Of two given on one
    day (which a validated ledger does not hold) the one listed later stands.
    """
    last = org.last_election
    if last is None:
        return None
    standing = [
        (d.approved_on, i)
        for i, d in enumerate(org.election_delays)
        if last < d.approved_on and (on is None or d.approved_on <= on)
    ]
    return org.election_delays[max(standing)[1]] if standing else None


def election_deadline(
    org: Branch, p: StructureParams, on: dt.date | None = None
) -> ElectionDeadline:
    """The day by which ``org`` must hold its next election under the ``term`` parameters ``p``.

    An election is held when the term ends; delayed or brought forward, in general by no more
    than a year (基层组织选举工作条例 第三条, and the 1990 暂行条例's), with the higher
    organisation's approval (关于党的基层组织任期的意见, 2018). So: without an approval the deadline is the term's end (the election on
    that day is on time, the day after it is late); with an approval of a delay it is the day
    approved, but never more than ``p.grace_years`` after the term's end; an approval to elect
    earlier does not move it. A rule with ``grace_years = 0`` allows no delay at all.

    Both engines decide by this reading: the object engine calls this function, the table
    engine (:mod:`dangjian.tables.kinds.structure`) computes the same in its query, and the
    list of what is due can call it for a term's end.

    Args:
        org: The organisation.
        p: The parameters of a ``term`` check (``years``, ``years_by_category``,
            ``grace_years``, ``terms_from``).
        on: The day judged: approvals given after it are not counted. ``None``: all of them.

    Returns:
        The deadline and the case that decided it.

    >>> import datetime as dt
    >>> from dangjian import Branch, ElectionDelay
    >>> p = StructureParams(check="term", years=3, grace_years=1)
    >>> b1 = Branch(id="b1", name="第一党支部", level="branch", category="organ",
    ...             last_election=dt.date(2020, 3, 27))
    >>> election_deadline(b1, p).deadline
    datetime.date(2023, 3, 27)
    >>> late = ElectionDelay(approved_on=dt.date(2023, 2, 1), approved_by="机关党委",
    ...                      election_date=dt.date(2023, 9, 30))
    >>> d = election_deadline(attrs.evolve(b1, election_delays=(late,)), p)
    >>> d.case, d.term_end, d.deadline
    ('approved', datetime.date(2023, 3, 27), datetime.date(2023, 9, 30))
    """
    years = term_years(org, p)
    last = org.last_election
    if last is None:
        return ElectionDeadline(case="no_election", years=years)
    if p.terms_from is not None and last < p.terms_from and not org.term_years:
        return ElectionDeadline(case="before_terms", years=years, elected=last)
    end = add_months(last, 12 * years)
    if not p.grace_years:
        return ElectionDeadline(case="term", years=years, elected=last, term_end=end, deadline=end)
    delay = standing_delay(org, on)
    if delay is None:
        return ElectionDeadline(
            case="unapproved", years=years, elected=last, term_end=end, deadline=end
        )
    latest = add_months(last, 12 * (years + p.grace_years))
    if delay.election_date <= end:
        case: ElectionCase = "advanced"
        deadline = end
    elif delay.election_date <= latest:
        case, deadline = "approved", delay.election_date
    else:
        case, deadline = "capped", latest
    return ElectionDeadline(
        case=case, years=years, elected=last, term_end=end, deadline=deadline, delay=delay
    )


def _term(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    due = election_deadline(org, p, day)
    if due.deadline is None:
        return (
            Status.UNKNOWN,
            structure_message(
                p,
                due.case,
                org_name=org.name,
                org_id=org.id,
                years=due.years,
                elected=due.elected,
            ),
            [],
        )
    delay = due.delay
    return (
        Status.PASSED if day <= due.deadline else Status.FAILED,
        structure_message(
            p,
            due.case,
            years=due.years,
            elected=due.elected,
            approved_on=delay.approved_on if delay else None,
            approved_by=delay.approved_by if delay else "",
            election_date=delay.election_date if delay else None,
        ),
        [],
    )


def _organ_level(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    ids = ctx.descendants(org.id)
    full = sum(len(ctx.full_members_on(b, day)) for b in ids)
    expected = _organ_level_expected(p, full)
    met = (
        expected is None
        or org.level is expected
        or (expected is OrgLevel.GENERAL_BRANCH and org.level is OrgLevel.COMMITTEE)
    )
    return (
        Status.PASSED if met else Status.FAILED,
        structure_message(
            p, "organ_level", org_name=org.name, org_id=org.id, full=full, level=org.level
        ),
        [],
    )


def _organ_level_expected(p: StructureParams, full: int) -> OrgLevel | None:
    """The level an organ's organisation of ``full`` full members (itself and below) should
    have; ``None``: a branch will do."""
    if full >= p.threshold:
        return OrgLevel.COMMITTEE
    if full >= p.at_least:
        return OrgLevel.GENERAL_BRANCH
    return None


def structure_message(
    p: StructureParams,
    reason: str,
    *,
    org_name: str = "",
    org_id: str = "",
    day: dt.date | None = None,
    n: int = 0,
    full: int = 0,
    secretary: str = "",
    converted: dt.date | None = None,
    since: dt.date | None = None,
    years: int = 0,
    elected: dt.date | None = None,
    level: OrgLevel | None = None,
    approved_on: dt.date | None = None,
    approved_by: str = "",
    election_date: dt.date | None = None,
) -> Message:
    """The message of a finding of a structure rule, in either engine.

    Args:
        p: The parameters in force on the day judged.
        reason: Which message: ``min_full_members`` and ``max_members`` (``n`` members on
            ``day``); ``committee`` and ``committee_no_secretary`` (``full`` members, at least
            the threshold, and ``n`` people on the committee), ``small`` and
            ``small_no_secretary`` (``full`` members, under the threshold, and ``n`` people in
            seats other than the secretary's and the deputy's); ``no_secretary``,
            ``not_converted`` (``secretary``) and ``secretary_standing`` (``secretary``,
            ``converted``, ``since``); ``no_election`` (``years``), ``before_terms``
            (``elected``), and the cases of :class:`ElectionDeadline` that have a deadline,
            ``term``, ``unapproved``, ``approved``, ``capped`` and ``advanced`` (``years``,
            ``elected``, and for the last three the standing approval's ``approved_on``,
            ``approved_by`` and ``election_date``); ``organ_level`` (``full``, the
            organisation's ``level``).
        org_name: The organisation's name; ``org_id`` its id.
    """
    if reason == "min_full_members":
        return t(
            "{org_name}应有正式党员{at_least}名以上，{day}有{n}名",
            org_name=org_name,
            org_id=org_id,
            at_least=p.at_least,
            day=day.isoformat() if day else "",
            n=n,
        )
    if reason == "max_members":
        return t(
            "{org_name}党员人数一般不超过{at_most}名，{day}有{n}名",
            org_name=org_name,
            org_id=org_id,
            at_most=p.at_most,
            day=day.isoformat() if day else "",
            n=n,
        )
    if reason in ("committee", "committee_no_secretary"):
        usual = p.usual_max_seats or p.max_seats
        seats_ = {"min_seats": p.min_seats, "usual": usual, "max_seats": p.max_seats}
        size = (
            t("{min_seats}至{usual}人、一般不超过{max_seats}人", **seats_)
            if usual < p.max_seats
            else t("{min_seats}至{max_seats}人", **seats_)
        )
        note: Message | str = ""
        if usual < n <= p.max_seats:
            note = t("（多于{usual}人，仍在一般不超过{max_seats}人之内）", **seats_)
        elif n > p.max_seats:
            note = t("（超过一般上限{max_seats}人）", **seats_)
        elif n < p.min_seats:
            note = t("（少于{min_seats}人）", **seats_)
        facts = {"full": full, "threshold": p.threshold, "size": size, "n": n, "note": note}
        if reason == "committee":
            return t(
                "正式党员{full}名（≥{threshold}），应设支部委员会{size}（含书记），实有委员{n}人"
                "{note}",
                **facts,
            )
        return t(
            "正式党员{full}名（≥{threshold}），应设支部委员会{size}（含书记），实有委员{n}人"
            "{note}，未设书记",
            **facts,
        )
    if reason in ("small", "small_no_secretary"):
        problem: Message | str = ""
        if reason == "small_no_secretary" and n:
            problem = t("，未设书记，却设有其他委员{n}人", n=n)
        elif reason == "small_no_secretary":
            problem = t("，未设书记")
        elif n:
            problem = t("，却设有其他委员{n}人", n=n)
        return t(
            "正式党员{full}名（<{threshold}），不设支部委员会，设书记（必要时设副书记）{problem}",
            full=full,
            threshold=p.threshold,
            problem=problem,
        )
    if reason == "no_secretary":
        return t("{org_name}未设书记，不作判断", org_name=org_name, org_id=org_id)
    if reason == "not_converted":
        return t("书记{secretary}未记录转正日期，无法计算党龄", secretary=secretary)
    if reason == "secretary_standing":
        return t(
            "支部书记一般应有{years}年以上党龄：{secretary}于{converted}转正，{since}任书记",
            years=p.years,
            secretary=secretary,
            converted=converted.isoformat() if converted else "",
            since=since.isoformat() if since else "",
        )
    if reason == "no_election":
        return t(
            "每届任期{years}年；{org_name}未记录上次换届日期，无法判断",
            years=years,
            org_name=org_name,
            org_id=org_id,
        )
    if reason == "before_terms":
        return t(
            "{org_name}本届始于{elected}，早于{since}：按过渡规定，新的任期自下次换届起执行，"
            "本届按当选时的任期；台账未记录本届任期年限（term_years），无法判断",
            org_name=org_name,
            org_id=org_id,
            elected=elected.isoformat() if elected else "",
            since=p.terms_from.isoformat() if p.terms_from else "",
        )
    if reason in ("term", "unapproved", "approved", "capped", "advanced"):
        return _term_message(
            p,
            reason,
            years=years,
            elected=elected or dt.date.min,
            approved_on=approved_on,
            approved_by=approved_by,
            election_date=election_date,
        )
    expected = _organ_level_expected(p, full)
    # the English names the level wanted in Chinese, as it always has
    wanted = expected.label if expected else "党支部"
    return t(
        "{org_name}（含下级）正式党员{full}名，一般应设{wanted}，现为{level}",
        org_name=org_name,
        org_id=org_id,
        full=full,
        wanted=wanted,
        level=label(level) if level is not None else "",
    )


def _term_message(
    p: StructureParams,
    case: str,
    *,
    years: int,
    elected: dt.date,
    approved_on: dt.date | None,
    approved_by: str,
    election_date: dt.date | None,
) -> Message:
    """The message of a ``term`` finding with a deadline, by the case of
    :func:`election_deadline` that decided it."""
    end = add_months(elected, 12 * years)
    facts = {"years": years, "elected": elected.isoformat(), "end": end.isoformat()}
    if case == "term":
        return t("每届任期{years}年：上次换届{elected}，应不迟于{end}换届", **facts)
    if case == "unapproved":
        return t(
            "每届任期{years}年：上次换届{elected}，任期于{end}届满，未记录上级党组织批准延期，"
            "应不迟于{end}换届",
            **facts,
        )
    approval = {
        "approved_by": approved_by,
        "approved_on": approved_on.isoformat() if approved_on else "",
        "election_date": election_date.isoformat() if election_date else "",
    }
    if case == "approved":
        return t(
            "每届任期{years}年：上次换届{elected}，任期于{end}届满；经{approved_by}于"
            "{approved_on}批准延期至{election_date}，应不迟于{election_date}换届",
            **facts,
            **approval,
        )
    if case == "capped":
        latest = add_months(elected, 12 * (years + p.grace_years))
        return t(
            "每届任期{years}年：上次换届{elected}，任期于{end}届满；经{approved_by}于"
            "{approved_on}批准延期至{election_date}，但延期一般不超过{grace}年，"
            "应不迟于{latest}换届",
            **facts,
            **approval,
            grace=p.grace_years,
            latest=latest.isoformat(),
        )
    return t(
        "每届任期{years}年：上次换届{elected}，任期于{end}届满；经{approved_by}于"
        "{approved_on}批准提前至{election_date}换届，应不迟于{end}换届",
        **facts,
        **approval,
    )


_STRUCTURE_CHECKS = {
    "min_full_members": _min_full,
    "max_members": _max_members,
    "committee": _committee,
    "secretary_standing": _secretary_standing,
    "term": _term,
    "organ_level": _organ_level,
}

STRUCTURE = RuleKind(
    name="structure",
    params=StructureParams,
    evaluate=_evaluate_structure,
    description=t("组织设置：党员人数、支委会设置、书记党龄、任期"),
)


# -- membership lifecycle ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MembershipParams:
    """A dated step of the membership lifecycle, judged for the steps that fall in the period.

    Attributes:
        check: ``min_age``: at least ``years`` old when applying; ``sponsors``: at least
            ``at_least`` sponsors at admission; ``mentors``: an activist has ``at_least`` to
            ``at_most`` mentors; ``first_talk``: a talk within ``months`` of the application;
            ``cultivation``: at least ``months`` as activist before becoming a candidate;
            ``course``: at least ``hours`` of training between becoming an activist and
            admission; ``probation``: converted ``months`` (plus any extension) after
            admission, not earlier, and not left pending; ``extension``: an extension of
            ``at_least`` to ``at_most`` months.
        years: Years of age for ``min_age``.
        months: Months for ``first_talk``, ``cultivation`` and ``probation``.
        at_least: The minimum count or months.
        at_most: The maximum count or months.
        hours: The hours for ``course``.
    """

    check: Literal[
        "min_age",
        "sponsors",
        "mentors",
        "first_talk",
        "cultivation",
        "course",
        "probation",
        "extension",
    ]
    years: int = 0
    months: int = 0
    at_least: int = 0
    at_most: int = 0
    hours: Decimal = Decimal(0)


def _evaluate_membership(ctx: Context, rule: Rule) -> Iterator[Finding]:
    orgs = {b.id for b in ctx.organisations(rule)}
    name = rule.params_on(ctx.period.start).check
    check = _MEMBERSHIP_CHECKS[name]
    # what the records lack when a step cannot be judged
    gap = Gap.DATES_MISSING if name == "cultivation" else Gap.NOT_KEPT
    for m in ctx.ledger.members:
        if m.branch not in orgs:
            continue
        result = check(ctx, rule, m)
        if result is not None:
            status, message, day, evidence = result
            yield ctx.finding(
                rule,
                status,
                ctx.member_subject(m),
                Period.containing(day, PeriodUnit.MONTH),
                message,
                evidence=evidence,
                day=day,
                gap=gap if status is Status.UNKNOWN else None,
            )


_Step = tuple[Status, Message, dt.date, list[str]] | None


def _kept_on_members(ctx: Context, field: str) -> bool:
    """Whether any person of the ledger records ``field`` (``first_talk``, ``sponsors``,
    ``mentors``): a ledger that records it for nobody does not keep it."""
    table: dict[str, bool] = ctx.memo.setdefault("membership.kept", {})
    found = table.get(field)
    if found is None:
        found = table[field] = any(
            getattr(m.milestones, field, None) or getattr(m, field, None)
            for m in ctx.ledger.members
        )
    return found


def _in(ctx: Context, rule: Rule, day: dt.date | None) -> bool:
    return day is not None and day in ctx.period and rule.in_force.covers(day)


def membership_message(
    p: MembershipParams,
    reason: str | None,
    *,
    n: int = 0,
    born: dt.date | None = None,
    applied: dt.date | None = None,
    talk: dt.date | None = None,
    activist: dt.date | None = None,
    candidate: dt.date | None = None,
    admitted: dt.date | None = None,
    extra: int = 0,
    converted: dt.date | None = None,
    found: Decimal = Decimal(0),
    exception: str = "",
) -> Message:
    """The message of a finding of a membership rule (its step ``p.check``), in either engine.

    Args:
        p: The parameters in force on the day of the step.
        reason: Which message of the step: ``None`` the step judged; ``not_kept`` (the ledger
            records the thing for nobody: ``sponsors``, ``mentors``, ``first_talk``,
            ``course``); ``no_talk`` (``first_talk`` not yet held); ``no_activist``
            (``cultivation`` without the activist's day); ``exception`` and ``short``
            (``course``); ``early``, ``undecided`` (``probation``).
        n: The sponsors (full members then), the mentors, or the extension's months.
        born, applied, talk, activist, candidate, admitted, converted: The days of the steps.
        extra: The months a probation was extended by.
        found: The training hours found (``course``).
        exception: The exception recorded for ``course``.
    """
    check = p.check
    if check == "min_age":
        return t(
            "申请入党须年满{years}岁：{born}出生，{applied}申请",
            years=p.years,
            born=_iso(born),
            applied=_iso(applied),
        )
    if check == "sponsors":
        if reason == "not_kept":
            return t(
                "接收预备党员须有{at_least}名正式党员作入党介绍人；台账中没有记录任何人的入党介绍人，"
                "无法判断",
                at_least=p.at_least,
            )
        return t(
            "接收预备党员须有{at_least}名正式党员作入党介绍人，实有{n}名",
            at_least=p.at_least,
            n=n,
        )
    if check == "mentors":
        if reason == "not_kept":
            return t(
                "入党积极分子应有{at_least}至{at_most}名培养联系人；台账中没有记录任何人的培养联系人，"
                "无法判断",
                at_least=p.at_least,
                at_most=p.at_most,
            )
        return t(
            "入党积极分子应有{at_least}至{at_most}名培养联系人，实有{n}名",
            at_least=p.at_least,
            at_most=p.at_most,
            n=n,
        )
    if check == "first_talk":
        need = t(
            "收到入党申请书后{months}个月内谈话（{applied}申请，应于{due}前）",
            months=p.months,
            applied=_iso(applied),
            due=_iso(add_months(applied, p.months) if applied is not None else None),
        )
        if reason == "not_kept":
            return t("{need}；台账中没有记录任何人的谈话日期，无法判断", need=need)
        if reason == "no_talk":
            return t("{need}，尚无谈话记录", need=need)
        return t("{need}，{day}谈话", need=need, day=_iso(talk))
    if check == "cultivation":
        if reason == "no_activist":
            return t("未记录确定为入党积极分子的日期，无法判断培养期")
        return t(
            "入党积极分子经{months}个月以上培养方可列为发展对象：{activist}确定为积极分子，"
            "{candidate}列为发展对象",
            months=p.months,
            activist=_iso(activist),
            candidate=_iso(candidate),
        )
    if check == "course":
        need = t(
            "接收前应参加不少于{hours}学时的集中培训，实有{found}学时",
            hours=p.hours,
            found=plain_number(found),
        )
        if reason == "exception":
            return t("{need}；记录了个别特殊情况：{exception}", need=need, exception=exception)
        if reason == "not_kept":
            return t("{need}；{why}，无法判断", need=need, why=not_kept_message("trainings"))
        if reason == "short":
            return t("{need}，也未记录个别特殊情况（course_exception）", need=need)
        return need
    if check == "probation":
        due = add_months(admitted, p.months + extra) if admitted is not None else None
        facts = {"months": p.months, "extra": extra, "admitted": _iso(admitted), "due": _iso(due)}
        need = (
            t("预备期{months}个月（延长{extra}个月）自{admitted}起，{due}期满", **facts)
            if extra
            else t("预备期{months}个月自{admitted}起，{due}期满", **facts)
        )
        if reason == "early":
            return t("{need}，{day}转正，预备期未满", need=need, day=_iso(converted))
        if reason == "undecided":
            return t("{need}，尚未讨论转正", need=need)
        return t("{need}，{day}转正", need=need, day=_iso(converted))
    return t(
        "延长预备期应为{at_least}至{at_most}个月，实为{months}个月",
        at_least=p.at_least,
        at_most=p.at_most,
        months=n,
    )


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def _min_age(ctx: Context, rule: Rule, m: Member) -> _Step:
    applied = m.milestones.applied
    if not _in(ctx, rule, applied) or m.birth_date is None or applied is None:
        return None
    p: MembershipParams = rule.params_on(applied)
    of_age = add_months(m.birth_date, 12 * p.years)
    return (
        Status.PASSED if of_age <= applied else Status.FAILED,
        membership_message(p, None, born=m.birth_date, applied=applied),
        applied,
        [],
    )


def _sponsors(ctx: Context, rule: Rule, m: Member) -> _Step:
    admitted = m.milestones.admitted
    if not _in(ctx, rule, admitted) or admitted is None:
        return None
    p: MembershipParams = rule.params_on(admitted)
    full = [
        s
        for s in m.sponsors
        if s in ctx.members and ctx.within(ctx.full_member_span(ctx.members[s]), admitted)
    ]
    if len(full) < p.at_least and not _kept_on_members(ctx, "sponsors"):
        return (Status.UNKNOWN, membership_message(p, "not_kept"), admitted, [])
    return (
        Status.PASSED if len(full) >= p.at_least else Status.FAILED,
        membership_message(p, None, n=len(full)),
        admitted,
        list(m.sponsors),
    )


def _mentors(ctx: Context, rule: Rule, m: Member) -> _Step:
    activist = m.milestones.activist
    if not _in(ctx, rule, activist) or activist is None:
        return None
    p: MembershipParams = rule.params_on(activist)
    n = len(m.mentors)
    if n < p.at_least and not _kept_on_members(ctx, "mentors"):
        return (Status.UNKNOWN, membership_message(p, "not_kept"), activist, [])
    return (
        Status.PASSED if p.at_least <= n <= p.at_most else Status.FAILED,
        membership_message(p, None, n=n),
        activist,
        list(m.mentors),
    )


def _first_talk(ctx: Context, rule: Rule, m: Member) -> _Step:
    applied = m.milestones.applied
    if not _in(ctx, rule, applied) or applied is None:
        return None
    p: MembershipParams = rule.params_on(applied)
    due = add_months(applied, p.months)
    talk = m.milestones.first_talk
    if talk is None and due < ctx.as_of and not _kept_on_members(ctx, "first_talk"):
        return (Status.UNKNOWN, membership_message(p, "not_kept", applied=applied), applied, [])
    if talk is None:
        return (
            Status.FAILED if due < ctx.as_of else Status.PENDING,
            membership_message(p, "no_talk", applied=applied),
            applied,
            [],
        )
    return (
        Status.PASSED if talk <= due else Status.FAILED,
        membership_message(p, None, applied=applied, talk=talk),
        applied,
        [],
    )


def _cultivation(ctx: Context, rule: Rule, m: Member) -> _Step:
    candidate, activist = m.milestones.candidate, m.milestones.activist
    if not _in(ctx, rule, candidate) or candidate is None:
        return None
    p: MembershipParams = rule.params_on(candidate)
    if activist is None:
        return (Status.UNKNOWN, membership_message(p, "no_activist"), candidate, [])
    enough = add_months(activist, p.months) <= candidate
    return (
        Status.PASSED if enough else Status.FAILED,
        membership_message(p, None, activist=activist, candidate=candidate),
        candidate,
        [],
    )


def _course(ctx: Context, rule: Rule, m: Member) -> _Step:
    """The candidates' training before admission: "未经培训的，除个别特殊情况外，不能发展入党".

    Short of the hours, an admission fails unless the member's milestones record the
    exception (``course_exception``); then it passes, and the finding quotes the record.
    """
    admitted = m.milestones.admitted
    if not _in(ctx, rule, admitted) or admitted is None:
        return None
    p: MembershipParams = rule.params_on(admitted)
    since = m.milestones.activist or dt.date.min
    records = [r for r in ctx.trainings_by_member.get(m.id, ()) if since <= r.date <= admitted]
    hours = sum((r.hours for r in records), Decimal(0))
    if hours >= p.hours:
        return (
            Status.PASSED,
            membership_message(p, None, found=hours),
            admitted,
            [r.id for r in records],
        )
    exception = m.milestones.course_exception
    if exception is not None:
        return (
            Status.PASSED,
            membership_message(p, "exception", found=hours, exception=exception),
            admitted,
            [r.id for r in records],
        )
    if not ctx.keeps("trainings"):
        return (Status.UNKNOWN, membership_message(p, "not_kept", found=hours), admitted, [])
    return (
        Status.FAILED,
        membership_message(p, "short", found=hours),
        admitted,
        [r.id for r in records],
    )


def probation_end(admitted: dt.date, p: MembershipParams, m: Member) -> dt.date:
    """The day ``m``'s probation, begun on ``admitted``, ends under a ``probation`` rule: the
    rule's months after admission, and the months of a recorded extension. The conversion is
    due from then (:func:`dangjian.due` warns a month before)."""
    extra = m.probation_extension.months if m.probation_extension else 0
    return add_months(admitted, p.months + extra)


def _probation(ctx: Context, rule: Rule, m: Member) -> _Step:
    admitted = m.milestones.admitted
    if admitted is None or not rule.in_force.covers(admitted):
        return None
    p: MembershipParams = rule.params_on(admitted)
    extra = m.probation_extension.months if m.probation_extension else 0
    due = probation_end(admitted, p, m)
    converted = m.milestones.converted
    # Judged in the period it falls due or is decided in; a probation still undecided past its
    # end is judged again in every later period, until it is decided.
    overdue = converted is None and due < ctx.period.start and not m.status.has_left
    if due not in ctx.period and (converted is None or converted not in ctx.period) and not overdue:
        return None
    if converted is None and m.probation_cancelled is not None:
        return None  # the probation ended with its cancellation: no conversion is due
    if converted is not None:
        early = converted < due
        return (
            Status.FAILED if early else Status.PASSED,
            membership_message(
                p, "early" if early else None, admitted=admitted, extra=extra, converted=converted
            ),
            due,
            [],
        )
    if m.status.has_left:
        return None
    return (
        Status.FAILED if due < ctx.as_of else Status.PENDING,
        membership_message(p, "undecided", admitted=admitted, extra=extra),
        due,
        [],
    )


def _extension(ctx: Context, rule: Rule, m: Member) -> _Step:
    ext = m.probation_extension
    if ext is None or not _in(ctx, rule, ext.decided):
        return None
    p: MembershipParams = rule.params_on(ext.decided)
    ok = p.at_least <= ext.months <= p.at_most
    return (
        Status.PASSED if ok else Status.FAILED,
        membership_message(p, None, n=ext.months),
        ext.decided,
        [],
    )


_MEMBERSHIP_CHECKS = {
    "min_age": _min_age,
    "sponsors": _sponsors,
    "mentors": _mentors,
    "first_talk": _first_talk,
    "cultivation": _cultivation,
    "course": _course,
    "probation": _probation,
    "extension": _extension,
}

MEMBERSHIP = RuleKind(
    name="membership",
    params=MembershipParams,
    evaluate=_evaluate_membership,
    description=t("发展党员各环节的时限和条件"),
)
