"""Rule kinds about people: coverage of every member, the shape of organisations, and the
dated steps of the membership lifecycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

import attrs

from dangjian.findings import Finding, Status
from dangjian.model import Branch, CommitteeRole, Member, OrgCategory, OrgLevel
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context
from dangjian.rules.kinds._common import add_months, judge_day
from dangjian.rules.registry import RuleKind
from dangjian.rules.schema import Rule

__all__ = ["COVERAGE", "MEMBERSHIP", "STRUCTURE"]


# -- coverage ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CoverageParams:
    """Every member reaches a number of talks, or of training hours, in each sub-period.

    Attributes:
        measure: ``talks`` (heart-to-heart talks taken part in, either side) or
            ``training_hours``.
        per: The sub-period (a year, usually).
        at_least: What each member must reach.
        at_least_committee: What secretaries and committee members must reach, if more.
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
                if not _overlaps(span, sub):
                    continue
                yield _judge_coverage(ctx, rule, m, sub, seated.get(m.id, ()))


def _overlaps(span: tuple[dt.date | None, dt.date | None], sub: Period) -> bool:
    start, end = span
    return (start is None or start <= sub.end) and (end is None or end >= sub.start)


def _seated(ctx: Context) -> dict[str, list[tuple[dt.date | None, dt.date | None]]]:
    table: dict[str, list[tuple[dt.date | None, dt.date | None]]] = {}
    for b in ctx.ledger.branches:
        for s in b.committee:
            table.setdefault(s.member, []).append((s.start, s.end))
    return table


def _judge_coverage(ctx: Context, rule: Rule, m: Member, sub: Period, seats: object) -> Finding:
    p: CoverageParams = rule.params_on(sub.start)
    subject = ctx.member_subject(m)
    on_committee = any(
        (s is None or s <= sub.end) and (e is None or e >= sub.start)
        for s, e in seats  # type: ignore[attr-defined]
    )
    target = (
        p.at_least_committee if on_committee and p.at_least_committee is not None else p.at_least
    )
    who = "支委会委员" if on_committee and p.at_least_committee is not None else "党员"
    unit, unit_en = ("次谈心谈话", " talks") if p.measure == "talks" else ("学时", " hours")
    need = f"{who}{sub.label()}应不少于{target}{unit}"
    need_en = f"at least {target}{unit_en} in {sub.label('en')}"
    if not ctx.covers(ctx.membership_span(m), sub):
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            sub,
            f"{need}；{m.name}在该期间内不全程是本组织党员，不作判断",
            f"{need_en}; {m.id} was not a member for the whole period, not judged",
        )
    if p.measure == "talks":
        records = [t for t in ctx.talks_by_member.get(m.id, ()) if t.date in sub]
        reached = Decimal(len(records))
    else:
        records = [r for r in ctx.trainings_by_member.get(m.id, ()) if r.date in sub]
        reached = sum((r.hours for r in records), Decimal(0))
    status = ctx.verdict(reached >= target, sub)
    return ctx.finding(
        rule,
        status,
        subject,
        sub,
        f"{need}，实际{reached}{unit}",
        f"{need_en}, {reached}{unit_en} found",
        evidence=[r.id for r in records],
    )


COVERAGE = RuleKind(
    name="coverage",
    params=CoverageParams,
    evaluate=_evaluate_coverage,
    description="每名党员每个子期间达到规定的谈心谈话次数或培训学时",
    description_en="every member reaches n talks or n training hours in each sub-period",
)


# -- structure ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StructureParams:
    """The shape of an organisation on the day it is judged (the period's end or the day of
    judging, whichever comes first), chosen by ``check``.

    Attributes:
        check: ``min_full_members``: at least ``at_least`` full members; ``max_members``: at
            most ``at_most`` members; ``committee``: with at least ``threshold`` full members a
            committee of ``min_seats`` to ``max_seats`` people, otherwise at least a secretary;
            ``secretary_standing``: the secretary had ``years`` of 党龄 when taking the seat;
            ``term``: the last election is no more than ``years`` (``years_by_category``) plus
            ``grace_years`` ago; ``organ_level``: an organ's organisation with at least
            ``threshold`` full members (itself and below) is a 基层党委, with at least
            ``at_least`` a 党总支 or more.
        at_least: The minimum for ``min_full_members`` and ``organ_level``.
        at_most: The maximum for ``max_members``.
        threshold: The size from which a committee (or a 基层党委) is required.
        min_seats: The smallest committee.
        max_seats: The largest committee.
        years: Years of 党龄 (``secretary_standing``) or of a term (``term``).
        years_by_category: Terms that differ by category (村 and 社区: 5).
        grace_years: Years an election may be late with approval before it fails.
    """

    check: Literal[
        "min_full_members", "max_members", "committee", "secretary_standing", "term", "organ_level"
    ]
    at_least: int = 0
    at_most: int = 0
    threshold: int = 0
    min_seats: int = 0
    max_seats: int = 0
    years: int = 0
    years_by_category: dict[OrgCategory, int] = attrs.field(factory=dict)
    grace_years: int = 0


def _evaluate_structure(ctx: Context, rule: Rule) -> Iterator[Finding]:
    day = judge_day(ctx.period, ctx.as_of)
    if not rule.in_force.covers(day):
        return
    p: StructureParams = rule.params_on(day)
    for org in ctx.organisations(rule):
        if not Context.within((org.founded, org.dissolved), day):
            continue
        status, zh, en, evidence = _STRUCTURE_CHECKS[p.check](ctx, org, p, day)
        yield ctx.finding(
            rule,
            status,
            ctx.branch_subjects[org.id],
            ctx.period,
            zh,
            en,
            evidence=evidence,
            day=day,
        )


_Verdict = tuple[Status, str, str, list[str]]


def _min_full(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    full = ctx.full_members_on(org.id, day)
    met = len(full) >= p.at_least
    return (
        Status.PASSED if met else Status.FAILED,
        f"{org.name}应有正式党员{p.at_least}名以上，{day.isoformat()}有{len(full)}名",
        f"{org.id} needs at least {p.at_least} full members, has {len(full)} on {day.isoformat()}",
        sorted(m.id for m in full),
    )


def _max_members(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    members = ctx.members_on(org.id, day)
    met = len(members) <= p.at_most
    return (
        Status.PASSED if met else Status.FAILED,
        f"{org.name}党员人数一般不超过{p.at_most}名，{day.isoformat()}有{len(members)}名",
        f"{org.id} generally has at most {p.at_most} members, has {len(members)}",
        sorted(m.id for m in members),
    )


def _committee(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    full = ctx.full_members_on(org.id, day)
    seats = ctx.committee_on(org, day)
    people = sorted({m for _, m in seats})
    has_secretary = any(r is CommitteeRole.SECRETARY for r, _ in seats)
    if len(full) >= p.threshold:
        met = p.min_seats <= len(people) <= p.max_seats and has_secretary
        return (
            Status.PASSED if met else Status.FAILED,
            f"正式党员{len(full)}名（≥{p.threshold}），应设支部委员会{p.min_seats}至{p.max_seats}人"
            f"（含书记），实有委员{len(people)}人{'' if has_secretary else '，未设书记'}",
            f"{len(full)} full members (≥ {p.threshold}): a committee of {p.min_seats}–{p.max_seats} "
            f"with a secretary is required; {len(people)} seated"
            + ("" if has_secretary else ", no secretary"),
            people,
        )
    # Under the threshold there is no committee: a secretary and, where needed, a deputy.
    others = sorted(
        {m for r, m in seats if r not in (CommitteeRole.SECRETARY, CommitteeRole.DEPUTY_SECRETARY)}
    )
    met = has_secretary and not others
    problem = "" if has_secretary else "，未设书记"
    problem += f"，却设有其他委员{len(others)}人" if others else ""
    problem_en = "" if has_secretary else ", no secretary"
    problem_en += f", but {len(others)} other committee members" if others else ""
    return (
        Status.PASSED if met else Status.FAILED,
        f"正式党员{len(full)}名（<{p.threshold}），不设支部委员会，设书记（必要时设副书记）{problem}",
        f"{len(full)} full members (< {p.threshold}): no committee, a secretary (and a deputy if "
        f"needed){problem_en}",
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
            f"{org.name}未设书记，不作判断",
            f"{org.id} has no secretary",
            [],
        )
    seat = seats[0]
    member = ctx.members.get(seat.member)
    since = seat.start or day
    converted = member.milestones.converted if member else None
    if converted is None:
        return (
            Status.NOT_APPLICABLE,
            f"书记{seat.member}未记录转正日期，无法计算党龄",
            f"secretary {seat.member} has no conversion date; 党龄 unknown",
            [seat.member],
        )
    met = add_months(converted, 12 * p.years) <= since
    return (
        Status.PASSED if met else Status.FAILED,
        f"支部书记一般应有{p.years}年以上党龄：{seat.member}于{converted.isoformat()}转正，"
        f"{since.isoformat()}任书记",
        f"a secretary generally has {p.years}+ years of 党龄: {seat.member} converted "
        f"{converted.isoformat()}, secretary from {since.isoformat()}",
        [seat.member],
    )


def _term(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    years = org.term_years or p.years_by_category.get(org.category, p.years)
    if org.last_election is None:
        return (
            Status.NOT_APPLICABLE,
            f"每届任期{years}年；{org.name}未记录上次换届日期，无法判断",
            f"a term is {years} years; {org.id} has no last election recorded",
            [],
        )
    due = add_months(org.last_election, 12 * (years + p.grace_years))
    late = f"（含经批准延期{p.grace_years}年）" if p.grace_years else ""
    late_en = f" (with {p.grace_years} year of approved delay)" if p.grace_years else ""
    met = day <= due
    return (
        Status.PASSED if met else Status.FAILED,
        f"每届任期{years}年{late}：上次换届{org.last_election.isoformat()}，应不迟于{due.isoformat()}换届",
        f"a term is {years} years{late_en}: last elected {org.last_election.isoformat()}, "
        f"due by {due.isoformat()}",
        [],
    )


def _organ_level(ctx: Context, org: Branch, p: StructureParams, day: dt.date) -> _Verdict:
    ids = ctx.descendants(org.id)
    full = sum(len(ctx.full_members_on(b, day)) for b in ids)
    if full >= p.threshold:
        expected = OrgLevel.COMMITTEE
    elif full >= p.at_least:
        expected = OrgLevel.GENERAL_BRANCH
    else:
        expected = None
    met = (
        expected is None
        or org.level is expected
        or (expected is OrgLevel.GENERAL_BRANCH and org.level is OrgLevel.COMMITTEE)
    )
    wanted = expected.label if expected else "党支部"
    return (
        Status.PASSED if met else Status.FAILED,
        f"{org.name}（含下级）正式党员{full}名，一般应设{wanted}，现为{org.level.label}",
        f"{org.id} has {full} full members with those below; generally a {wanted}, "
        f"is a {org.level.label_en}",
        [],
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
    description="组织设置：党员人数、支委会设置、书记党龄、任期",
    description_en="the shape of an organisation: size, committee, secretary's standing, term",
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
    check = _MEMBERSHIP_CHECKS[rule.params_on(ctx.period.start).check]
    for m in ctx.ledger.members:
        if m.branch not in orgs:
            continue
        result = check(ctx, rule, m)
        if result is not None:
            status, zh, en, day, evidence = result
            yield ctx.finding(
                rule,
                status,
                ctx.member_subject(m),
                Period.containing(day, PeriodUnit.MONTH),
                zh,
                en,
                evidence=evidence,
                day=day,
            )


_Step = tuple[Status, str, str, dt.date, list[str]] | None


def _in(ctx: Context, rule: Rule, day: dt.date | None) -> bool:
    return day is not None and day in ctx.period and rule.in_force.covers(day)


def _min_age(ctx: Context, rule: Rule, m: Member) -> _Step:
    applied = m.milestones.applied
    if not _in(ctx, rule, applied) or m.birth_date is None or applied is None:
        return None
    p: MembershipParams = rule.params_on(applied)
    of_age = add_months(m.birth_date, 12 * p.years)
    return (
        Status.PASSED if of_age <= applied else Status.FAILED,
        f"申请入党须年满{p.years}岁：{m.birth_date.isoformat()}出生，{applied.isoformat()}申请",
        f"an applicant must be {p.years}: born {m.birth_date.isoformat()}, applied {applied.isoformat()}",
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
    return (
        Status.PASSED if len(full) >= p.at_least else Status.FAILED,
        f"接收预备党员须有{p.at_least}名正式党员作入党介绍人，实有{len(full)}名",
        f"{p.at_least} full members must sponsor an admission; {len(full)} did",
        admitted,
        list(m.sponsors),
    )


def _mentors(ctx: Context, rule: Rule, m: Member) -> _Step:
    activist = m.milestones.activist
    if not _in(ctx, rule, activist) or activist is None:
        return None
    p: MembershipParams = rule.params_on(activist)
    n = len(m.mentors)
    return (
        Status.PASSED if p.at_least <= n <= p.at_most else Status.FAILED,
        f"入党积极分子应有{p.at_least}至{p.at_most}名培养联系人，实有{n}名",
        f"an activist has {p.at_least}–{p.at_most} mentors; {n} recorded",
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
    need = f"收到入党申请书后{p.months}个月内谈话（{applied.isoformat()}申请，应于{due.isoformat()}前）"
    need_en = f"a talk within {p.months} month(s) of the application (due {due.isoformat()})"
    if talk is None:
        status = Status.FAILED if due < ctx.as_of else Status.PENDING
        return status, f"{need}，尚无谈话记录", f"{need_en}; no talk recorded", applied, []
    return (
        Status.PASSED if talk <= due else Status.FAILED,
        f"{need}，{talk.isoformat()}谈话",
        f"{need_en}; talked on {talk.isoformat()}",
        applied,
        [],
    )


def _cultivation(ctx: Context, rule: Rule, m: Member) -> _Step:
    candidate, activist = m.milestones.candidate, m.milestones.activist
    if not _in(ctx, rule, candidate) or candidate is None:
        return None
    p: MembershipParams = rule.params_on(candidate)
    if activist is None:
        return (
            Status.NOT_APPLICABLE,
            "未记录确定为入党积极分子的日期，无法判断培养期",
            "no activist date recorded",
            candidate,
            [],
        )
    enough = add_months(activist, p.months) <= candidate
    return (
        Status.PASSED if enough else Status.FAILED,
        f"入党积极分子经{p.months}个月以上培养方可列为发展对象：{activist.isoformat()}确定为积极分子，"
        f"{candidate.isoformat()}列为发展对象",
        f"{p.months}+ months as activist before candidate: activist {activist.isoformat()}, "
        f"candidate {candidate.isoformat()}",
        candidate,
        [],
    )


def _course(ctx: Context, rule: Rule, m: Member) -> _Step:
    admitted = m.milestones.admitted
    if not _in(ctx, rule, admitted) or admitted is None:
        return None
    p: MembershipParams = rule.params_on(admitted)
    since = m.milestones.activist or dt.date.min
    records = [r for r in ctx.trainings_by_member.get(m.id, ()) if since <= r.date <= admitted]
    hours = sum((r.hours for r in records), Decimal(0))
    return (
        Status.PASSED if hours >= p.hours else Status.FAILED,
        f"接收前应参加不少于{p.hours}学时的集中培训，实有{hours}学时",
        f"at least {p.hours} hours of training before admission; {hours} recorded",
        admitted,
        [r.id for r in records],
    )


def _probation(ctx: Context, rule: Rule, m: Member) -> _Step:
    admitted = m.milestones.admitted
    if admitted is None or not rule.in_force.covers(admitted):
        return None
    p: MembershipParams = rule.params_on(admitted)
    extra = m.probation_extension.months if m.probation_extension else 0
    due = add_months(admitted, p.months + extra)
    converted = m.milestones.converted
    # Judged in the period it falls due or is decided in; a probation still undecided past its
    # end is judged again in every later period, until it is decided.
    overdue = converted is None and due < ctx.period.start and not m.status.has_left
    if due not in ctx.period and (converted is None or converted not in ctx.period) and not overdue:
        return None
    need = f"预备期{p.months}个月{f'（延长{extra}个月）' if extra else ''}自{admitted.isoformat()}起，{due.isoformat()}期满"
    need_en = f"probation of {p.months}{f' + {extra}' if extra else ''} months from {admitted.isoformat()}, ends {due.isoformat()}"
    if converted is None and m.probation_cancelled is not None:
        return None  # the probation ended with its cancellation: no conversion is due
    if converted is not None:
        return (
            Status.PASSED if converted >= due else Status.FAILED,
            f"{need}，{converted.isoformat()}转正{'，预备期未满' if converted < due else ''}",
            f"{need_en}; converted {converted.isoformat()}"
            + (" before it ended" if converted < due else ""),
            due,
            [],
        )
    if m.status.has_left:
        return None
    return (
        Status.FAILED if due < ctx.as_of else Status.PENDING,
        f"{need}，尚未讨论转正",
        f"{need_en}; not yet converted",
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
        f"延长预备期应为{p.at_least}至{p.at_most}个月，实为{ext.months}个月",
        f"an extension is {p.at_least}–{p.at_most} months; {ext.months} decided",
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
    description="发展党员各环节的时限和条件",
    description_en="the dated steps of the membership lifecycle",
)
