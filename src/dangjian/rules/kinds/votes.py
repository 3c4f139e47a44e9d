"""Rule kinds about quorums and votes: the right denominators for meetings and elections."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Literal

import attrs

from dangjian.findings import Finding, Gap, Status, Subject
from dangjian.i18n import Message, t
from dangjian.model import Branch, Election, ElectionKind, Meeting, MeetingKind
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context
from dangjian.rules.kinds._common import fraction, ratio
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule
from dangjian.rules.texts import comma_list

__all__ = ["ELECTION", "QUORUM", "RESOLUTION_VOTES"]


def _meeting_subject(m: Meeting) -> Subject:
    return Subject(
        kind="meeting", id=m.id, name=f"{m.kind.label} {m.date.isoformat()}", branch=m.branch
    )


def _meetings(
    ctx: Context, rule: Rule, kinds: tuple[MeetingKind, ...]
) -> Iterator[tuple[Branch, Meeting]]:
    for org in ctx.organisations(rule):
        # a meeting held as several kinds is judged as each kind of the rule it served as, once
        for m in ctx.meetings_serving(org.id, kinds):
            if m.date in ctx.period and rule.in_force.covers(m.date):
                yield org, m


def _headcount(
    ctx: Context, names: tuple[str, ...], count: int | None, day: dt.date, voting_only: bool
) -> int | None:
    """How many of those who should attend, or who attended, are counted.

    When names are recorded and ``voting_only``, only those with a vote count: the full members
    on ``day`` (probationary members attend but have no vote, 党章 第七条). A count recorded
    without names is taken as it is; with neither, ``None``.
    """
    if names and voting_only:
        return sum(
            1
            for x in names
            if x not in ctx.members or ctx.within(ctx.full_member_span(ctx.members[x]), day)
        )
    if count is not None:
        return count
    return len(names) if names else None


def _one_of(first: str) -> v.Validator:
    """A validator for the second of two fractions of which exactly one is given: ``以上``
    (at least) or ``超过`` (more than)."""

    def check(inst: object, a: attrs.Attribute[Fraction | None], value: Fraction | None) -> None:
        if (getattr(inst, first) is None) == (value is None):
            raise v.FieldError(
                a.name,
                t(
                    "{first} 与 {second} 应给出且只给出一个（以上：含本数；超过：不含本数）",
                    first=first,
                    second=a.name,
                ),
            )
        if value is not None:
            fraction(inst, a, value)  # type: ignore[arg-type]

    return check


def _optional_fraction(
    inst: object, a: attrs.Attribute[Fraction | None], v_: Fraction | None
) -> None:
    if v_ is not None:
        fraction(inst, a, v_)  # type: ignore[arg-type]


def _meets(count: int, base: int, at_least: Fraction | None, more_than: Fraction | None) -> bool:
    """Whether ``count`` reaches ``at_least`` of ``base`` (以上, the number included) or exceeds
    ``more_than`` of it (超过)."""
    if at_least is not None:
        return count >= base * at_least
    assert more_than is not None
    return count > base * more_than


def _word(at_least: Fraction | None, more_than: Fraction | None) -> tuple[Fraction, bool]:
    """The fraction and how the text says it: whether ``以上`` (at least), else ``超过`` (more
    than)."""
    if at_least is not None:
        return at_least, True
    assert more_than is not None
    return more_than, False


@attrs.frozen(kw_only=True)
class QuorumParams:
    """Enough of those who should attend are present: at least (以上) or more than (超过) a
    fraction of them, as the text says.

    Attributes:
        meeting_kinds: The kinds of meeting judged.
        present_at_least: The fraction those present must reach, the number itself included
            ("半数以上…到会": exactly half is a quorum).
        present_more_than: The fraction those present must exceed ("超过…半数"). Exactly one of
            the two is given.
        denominator: ``expected``: those who should attend (应到会); ``committee``: the
            members of the committee on the day.
        voting_only: Of the members named as expected and present, count only those with a
            vote (full members on the day): "半数以上有表决权的党员到会". Counts recorded without
            names are taken as they are.
    """

    meeting_kinds: tuple[MeetingKind, ...] = attrs.field(validator=attrs.validators.min_len(1))
    present_at_least: Fraction | None = attrs.field(default=None, validator=_optional_fraction)
    present_more_than: Fraction | None = attrs.field(
        default=None, validator=_one_of("present_at_least")
    )
    denominator: Literal["expected", "committee"] = "expected"
    voting_only: bool = True


def _evaluate_quorum(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: QuorumParams = rule.params_on(ctx.period.start)
    for org, m in _meetings(ctx, rule, first.meeting_kinds):
        p: QuorumParams = rule.params_on(m.date)
        if p.denominator == "committee":
            present = m.number_present
            seated = {member for _, member in ctx.committee_on(org, m.date)}
            expected: int | None = len(seated) or None
            if m.attended and seated:
                present = len(seated & set(m.attended))
        else:
            expected = _headcount(ctx, m.expected, m.expected_count, m.date, p.voting_only)
            present = _headcount(ctx, m.attended, m.present_count, m.date, p.voting_only)
        yield _quorum_finding(ctx, rule, m, p, expected, present)


def _quorum_finding(
    ctx: Context, rule: Rule, m: Meeting, p: QuorumParams, expected: int | None, present: int | None
) -> Finding:
    month = Period.containing(m.date, PeriodUnit.MONTH)
    if expected is None or present is None:
        # neither the numbers nor the names: the records cannot tell whether it was quorate
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            _meeting_subject(m),
            month,
            quorum_message(p, m.date, expected, present),
            evidence=[m.id],
            day=m.date,
            gap=Gap.DETAILS_MISSING,
        )
    met = _meets(present, expected, p.present_at_least, p.present_more_than)
    return ctx.finding(
        rule,
        Status.PASSED if met else Status.FAILED,
        _meeting_subject(m),
        month,
        quorum_message(p, m.date, expected, present),
        evidence=[m.id],
        day=m.date,
    )


def quorum_message(
    p: QuorumParams, day: dt.date, expected: int | None, present: int | None
) -> Message:
    """The message of a meeting on ``day`` with ``expected`` and ``present`` as counted
    (``None``: not known) (the table engine's too)."""
    value, at_least = _word(p.present_at_least, p.present_more_than)
    frac = ratio(value)
    if p.denominator == "committee":
        who = t("支委会委员")
    elif p.voting_only:
        who = t("应到会有表决权的党员")
    else:
        who = t("应到会人数")
    need = (
        t("到会人数应达到{who}的{frac}以上", who=who, frac=frac)
        if at_least
        else t("到会人数应超过{who}的{frac}", who=who, frac=frac)
    )
    if expected is None or present is None:
        if p.denominator == "committee" and expected is None:
            why = t("台账未记录{day}在任的支委会委员", day=day.isoformat())
        else:
            why = t("记录中没有应到或实到人数")
        return t("{need}；{why}，无法判断", need=need, why=why)
    return t(
        "{need}：应到{expected}人，实到{present}人",
        need=need,
        expected=expected,
        present=present,
    )


QUORUM = RuleKind(
    name="quorum",
    params=QuorumParams,
    evaluate=_evaluate_quorum,
    description=t("会议到会人数超过应到人数（或委员人数）的规定比例"),
)


@attrs.frozen(kw_only=True)
class ResolutionVotesParams:
    """A resolution passes with "yes" votes reaching (以上) or exceeding (超过) a fraction of a
    denominator, as the text says.

    Attributes:
        meeting_kinds: The kinds of meeting whose resolutions are judged.
        yes_at_least: The fraction the "yes" votes must reach, the number itself included.
        yes_more_than: The fraction the "yes" votes must exceed ("赞成人数超过应到会有表决权的党员
            的半数"). Exactly one of the two is given.
        denominator: ``expected``: those who should attend (应到会); ``present``: those present.
        voting_only: Of the members named, count only those with a vote (full members on the
            day): "应到会有表决权的党员". Counts recorded without names are taken as they are.
    """

    meeting_kinds: tuple[MeetingKind, ...] = attrs.field(validator=attrs.validators.min_len(1))
    yes_at_least: Fraction | None = attrs.field(default=None, validator=_optional_fraction)
    yes_more_than: Fraction | None = attrs.field(default=None, validator=_one_of("yes_at_least"))
    denominator: Literal["expected", "present"] = "expected"
    voting_only: bool = True


def _evaluate_resolutions(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: ResolutionVotesParams = rule.params_on(ctx.period.start)
    for _, m in _meetings(ctx, rule, first.meeting_kinds):
        p: ResolutionVotesParams = rule.params_on(m.date)
        if p.denominator == "expected":
            base = _headcount(ctx, m.expected, m.expected_count, m.date, p.voting_only)
        else:
            base = _headcount(ctx, m.attended, m.present_count, m.date, p.voting_only)
        for i, r in enumerate(m.resolutions):
            subject = Subject(kind="resolution", id=f"{m.id}#{i + 1}", name=r.text, branch=m.branch)
            message = resolution_message(p, r.text, base, r.votes_for)
            if base is None:
                yield ctx.finding(
                    rule,
                    Status.UNKNOWN,
                    subject,
                    Period.containing(m.date, PeriodUnit.MONTH),
                    message,
                    evidence=[m.id],
                    day=m.date,
                    gap=Gap.DETAILS_MISSING,
                )
                continue
            met = _meets(r.votes_for, base, p.yes_at_least, p.yes_more_than)
            yield ctx.finding(
                rule,
                Status.PASSED if met else Status.FAILED,
                subject,
                Period.containing(m.date, PeriodUnit.MONTH),
                message,
                evidence=[m.id],
                day=m.date,
            )


def resolution_message(p: ResolutionVotesParams, text: str, base: int | None, yes: int) -> Message:
    """The message of the resolution ``text`` with ``yes`` votes out of ``base`` (``None``: not
    known) (the table engine's too)."""
    value, at_least = _word(p.yes_at_least, p.yes_more_than)
    frac = ratio(value)
    if p.denominator == "expected":
        who = t("应到会有表决权的") if p.voting_only else t("应到会")
    else:
        who = t("实到会有表决权的") if p.voting_only else t("实到会")
    need = (
        t("决议「{text}」须经{who}党员{frac}以上赞成", text=text, who=who, frac=frac)
        if at_least
        else t("决议「{text}」赞成人数须超过{who}党员的{frac}", text=text, who=who, frac=frac)
    )
    if base is None:
        return t("{need}；记录中没有{who}党员人数，无法判断", need=need, who=who)
    return t("{need}：{who}党员{base}人，赞成{yes}票", need=need, who=who, base=base, yes=yes)


RESOLUTION_VOTES = RuleKind(
    name="resolution_votes",
    params=ResolutionVotesParams,
    evaluate=_evaluate_resolutions,
    description=t("决议的赞成票超过应到会（或实到会）人数的规定比例"),
)


@attrs.frozen(kw_only=True)
class ElectionParams:
    """One requirement of an election, chosen by ``check``.

    Attributes:
        check: ``quorum``: voters present exceed ``fraction`` of those who should attend;
            ``winner``: each winner's votes exceed ``fraction`` of voters present; ``margin``:
            candidates exceed seats by at least ``fraction``, rounded up (差额); ``rights``:
            every candidate and voter present is a full member on the day.
        fraction: The fraction for the check (``4/5``, ``1/2``, ``1/5``).
        comparison: For ``quorum`` and ``winner``: ``more_than`` when the text says 超过 (the
            number itself does not suffice: "超过应到会人数的五分之四"), ``at_least`` when it
            says 以上 (the number suffices).
        election_kinds: The kinds of election judged.
    """

    check: Literal["quorum", "winner", "margin", "rights"]
    fraction: Fraction = attrs.field(default=Fraction(0), validator=fraction)
    comparison: Literal["more_than", "at_least"] = "more_than"
    election_kinds: tuple[ElectionKind, ...] = (ElectionKind.GENERAL, ElectionKind.BY_ELECTION)


def _evaluate_election(ctx: Context, rule: Rule) -> Iterator[Finding]:
    orgs = {b.id for b in ctx.organisations(rule)}
    for e in ctx.ledger.elections:
        if e.branch not in orgs or e.date not in ctx.period or not rule.in_force.covers(e.date):
            continue
        p: ElectionParams = rule.params_on(e.date)
        if e.kind not in p.election_kinds:
            continue
        subject = Subject(
            kind="election", id=e.id, name=f"{e.kind.label} {e.date.isoformat()}", branch=e.branch
        )
        status, message = _ELECTION_CHECKS[p.check](ctx, e, p)
        yield ctx.finding(
            rule,
            status,
            subject,
            Period.containing(e.date, PeriodUnit.MONTH),
            message,
            evidence=[e.id],
            day=e.date,
            gap=Gap.DETAILS_MISSING if status is Status.UNKNOWN else None,
        )


def _count(names: tuple[str, ...], count: int | None) -> int | None:
    if count is not None:
        return count
    return len(names) if names else None


def election_message(
    p: ElectionParams,
    reason: str,
    *,
    expected: int | None = None,
    present: int | None = None,
    short: tuple[tuple[str, int], ...] = (),
    seats: int = 0,
    stood: int = 0,
    barred: tuple[str, ...] = (),
) -> Message:
    """The message of an election's check ``p.check`` (the table engine's too).

    ``reason``: ``unknown`` (the numbers are not recorded), ``counted`` (``quorum``: ``expected``
    and ``present``), ``no_winner``, ``short`` (``winner``: the winners with too few votes, as
    (member, votes), out of ``present``), ``all`` (every winner had enough), ``margin`` (``seats``
    and the candidates who ``stood``), ``barred`` (``rights``: the members who were not full
    members), ``clear``.
    """
    frac = ratio(p.fraction)
    at_least, more_than = _split(p)
    if p.check == "quorum":
        need = (
            t("到会选举人应达到应到会人数的{frac}以上", frac=frac)
            if at_least is not None
            else t("有选举权的到会人数应超过应到会人数的{frac}", frac=frac)
        )
        if reason == "unknown":
            return t("{need}；记录中没有应到或实到人数，无法判断", need=need)
        return t(
            "{need}：应到{expected}人，实到{present}人",
            need=need,
            expected=expected,
            present=present,
        )
    if p.check == "winner":
        need = (
            t("当选人得票应达到实到会选举人的{frac}以上", frac=frac)
            if at_least is not None
            else t("当选人赞成票应超过实到会有选举权的人数的{frac}", frac=frac)
        )
        if reason == "no_winner":
            return t("{need}；记录中没有当选人", need=need)
        if reason == "unknown":
            return t("{need}；记录中没有实到人数或得票数，无法判断", need=need)
        if reason == "short":
            pieces: list[Message | str] = [
                t("{member}（{votes}票）", member=w, votes=votes) for w, votes in short
            ]
            return t(
                "{need}：实到{present}人，得票不足者：{short}",
                need=need,
                present=present,
                short=comma_list(pieces),
            )
        if more_than is not None:
            return t(
                "{need}：实到{present}人，当选人得票均超过{frac}",
                need=need,
                present=present,
                frac=frac,
            )
        return t(
            "{need}：实到{present}人，当选人得票均达到{frac}", need=need, present=present, frac=frac
        )
    if p.check == "margin":
        return t(
            "候选人应多于应选人数的{frac}（向上取整）：应选{seats}名，候选人至少{needed}名，"
            "实有{stood}名",
            frac=frac,
            seats=seats,
            needed=seats + math.ceil(seats * p.fraction),
            stood=stood,
        )
    need = t("预备党员不能参加表决、选举和被选举")
    if reason == "barred":
        return t("{need}：{barred}在选举日不是正式党员", need=need, barred=comma_list(list(barred)))
    return t("{need}：候选人和到会选举人均为正式党员", need=need)


def _election_quorum(ctx: Context, e: Election, p: ElectionParams) -> tuple[Status, Message]:
    expected = _count(e.voters_expected, e.expected_count)
    present = _count(e.voters_present, e.present_count)
    if expected is None or present is None:
        return Status.UNKNOWN, election_message(p, "unknown")
    met = _meets(present, expected, *_split(p))
    return (
        Status.PASSED if met else Status.FAILED,
        election_message(p, "counted", expected=expected, present=present),
    )


def _election_winner(ctx: Context, e: Election, p: ElectionParams) -> tuple[Status, Message]:
    present = _count(e.voters_present, e.present_count)
    at_least, more_than = _split(p)
    votes = {c.member: c.votes for c in e.candidates}
    if not e.elected:
        return Status.NOT_APPLICABLE, election_message(p, "no_winner")
    if present is None or any(votes.get(w) is None for w in e.elected):
        return Status.UNKNOWN, election_message(p, "unknown")
    short = tuple(
        (w, votes[w] or 0)
        for w in e.elected
        if not _meets(votes[w] or 0, present, at_least, more_than)
    )
    if short:
        return Status.FAILED, election_message(p, "short", present=present, short=short)
    return Status.PASSED, election_message(p, "all", present=present)


def _split(p: ElectionParams) -> tuple[Fraction | None, Fraction | None]:
    """The election's fraction as (at least, more than), one of them ``None``."""
    return (p.fraction, None) if p.comparison == "at_least" else (None, p.fraction)


def _election_margin(ctx: Context, e: Election, p: ElectionParams) -> tuple[Status, Message]:
    needed = e.seats + math.ceil(e.seats * p.fraction)
    met = len(e.candidates) >= needed
    return (
        Status.PASSED if met else Status.FAILED,
        election_message(p, "margin", seats=e.seats, stood=len(e.candidates)),
    )


def _election_rights(ctx: Context, e: Election, p: ElectionParams) -> tuple[Status, Message]:
    people = [c.member for c in e.candidates] + list(e.voters_present)
    barred = tuple(
        sorted(
            {
                x
                for x in people
                if x in ctx.members and not ctx.within(ctx.full_member_span(ctx.members[x]), e.date)
            }
        )
    )
    if barred:
        return Status.FAILED, election_message(p, "barred", barred=barred)
    return Status.PASSED, election_message(p, "clear")


_ELECTION_CHECKS = {
    "quorum": _election_quorum,
    "winner": _election_winner,
    "margin": _election_margin,
    "rights": _election_rights,
}

ELECTION = RuleKind(
    name="election",
    params=ElectionParams,
    evaluate=_evaluate_election,
    description=t("选举的到会人数、当选票数、差额比例和选举权"),
)
