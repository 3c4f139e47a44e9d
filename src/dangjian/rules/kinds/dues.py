"""Rule kinds about dues and lapsing: the amount owed, months unpaid, six months of nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

import attrs

from dangjian.findings import Finding, Gap, Severity, Status, Subject
from dangjian.model import DuesCategory, DuesPayment, Meeting, Member, Month
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Attendance, Context
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule

__all__ = ["DUES", "LAPSE", "Schedule", "Tier", "distinct_payments", "expected_dues"]


@attrs.frozen(kw_only=True)
class Tier:
    """A band of income and the rate paid on the whole income when it falls in the band.

    Attributes:
        up_to: The upper bound of the band, inclusive; ``None`` for the top band.
        rate: The share of the income paid (``0.005`` for 0.5 %).
    """

    up_to: Decimal | None = attrs.field(default=None, validator=v.optional(v.non_negative))
    rate: Decimal = attrs.field(validator=v.non_negative)


@attrs.frozen(kw_only=True)
class Schedule:
    """How the dues of some categories of member are computed.

    Either ``tiers`` (a share of the income base, by band), or a flat amount from ``flat_min``
    to ``flat_max``.

    Attributes:
        categories: The dues categories it applies to.
        tiers: Bands in ascending order, the last without ``up_to``.
        flat_min: The least monthly amount, for flat schedules.
        flat_max: The most that is required, for flat schedules (paying more is allowed).
    """

    categories: tuple[DuesCategory, ...] = attrs.field(validator=attrs.validators.min_len(1))
    tiers: tuple[Tier, ...] = attrs.field(default=())
    flat_min: Decimal | None = attrs.field(default=None, validator=v.optional(v.non_negative))
    flat_max: Decimal | None = attrs.field(default=None, validator=v.optional(v.non_negative))

    @tiers.validator
    def _shape(self, a: attrs.Attribute[tuple[Tier, ...]], tiers: tuple[Tier, ...]) -> None:
        if not tiers:
            return
        bounds = [t.up_to for t in tiers]
        if bounds[-1] is not None or any(b is None for b in bounds[:-1]):
            raise v.FieldError(
                a.name, "只有最后一档不设上限", "only the last tier has no upper bound"
            )
        known = [b for b in bounds if b is not None]
        if known != sorted(set(known)):
            raise v.FieldError(a.name, "各档上限应递增", "tier bounds must increase")


def expected_dues(
    schedule: Schedule, base: Decimal | None, *, quantum: Decimal, rounding: str
) -> Decimal | None:
    """The monthly dues a schedule asks for, rounded to ``quantum`` (``None`` if the base is
    needed and missing).

    >>> s = Schedule(categories=(DuesCategory.SALARIED,), tiers=(
    ...     Tier(up_to=Decimal(3000), rate=Decimal("0.005")), Tier(rate=Decimal("0.01"))))
    >>> expected_dues(s, Decimal("3000"), quantum=Decimal("0.01"), rounding="ROUND_HALF_UP")
    Decimal('15.00')
    >>> expected_dues(s, Decimal("3000.01"), quantum=Decimal("0.01"), rounding="ROUND_HALF_UP")
    Decimal('30.00')
    """
    if not schedule.tiers:
        return schedule.flat_min
    if base is None:
        return None
    for tier in schedule.tiers:
        if tier.up_to is None or base <= tier.up_to:
            return (base * tier.rate).quantize(quantum, rounding=rounding)
    raise AssertionError("the last tier has no bound")  # pragma: no cover


_ROUNDINGS = (
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
)


def _rounding(_: object, a: attrs.Attribute[str], value: str) -> None:
    if value not in _ROUNDINGS:
        raise v.FieldError(
            a.name, f"应为{'、'.join(_ROUNDINGS)}之一", f"must be one of {', '.join(_ROUNDINGS)}"
        )


@attrs.frozen(kw_only=True)
class DuesParams:
    """Dues paid in full, or paid every month, chosen by ``check``.

    Attributes:
        check: ``amount``: each month's payment is at least what the schedule asks;
            ``monthly``: every month a member owed dues has a payment, made by the month's end
            (by the quarter's end for a member the branch allowed to pay by the quarter); a
            later payment within ``back_pay_months`` is a back payment (补交), a warning.
        schedules: For ``amount``, the schedules by category.
        quantum: The precision of amounts (``0.01``, the 分).
        rounding: The rounding of computed amounts (a :mod:`decimal` rounding name).
        back_pay_months: For ``monthly``, how many months after the due day a back payment may
            come (党费规定 第十二条: 补交一般不得超过6个月).
    """

    check: Literal["amount", "monthly"]
    schedules: tuple[Schedule, ...] = ()
    quantum: Decimal = Decimal("0.01")
    rounding: str = attrs.field(default="ROUND_HALF_UP", validator=_rounding)
    back_pay_months: int = attrs.field(default=6, validator=v.positive_int)


def owed_months(ctx: Context, m: Member) -> list[Period]:
    """The months of the checked period for which ``m`` owed dues to this ledger's organisation:
    those on whose last day the member was a party member (probationary members pay from
    admission). A week has no months of its own: the month it starts in is judged."""
    table: dict[str, list[Period]] = ctx.memo.setdefault("dues.owed", {})
    owed = table.get(m.id)
    if owed is None:
        span = ctx.membership_span(m)
        months = ctx.subperiods(PeriodUnit.MONTH)
        owed = table[m.id] = [sub for sub in months if ctx.within(span, sub.end)]
    return owed


def _evaluate_dues(ctx: Context, rule: Rule) -> Iterator[Finding]:
    orgs = {b.id for b in ctx.organisations(rule)}
    first: DuesParams = rule.params_on(ctx.period.start)
    # Schedules of every version of the rule: a member whose category none covers is skipped.
    categories = {
        c for version in rule.versions for s in version.params.schedules for c in s.categories
    }
    # A ledger that keeps no dues payments at all, or none of a branch's members (a ledger put
    # together from branches of which one keeps its dues elsewhere), cannot show that anybody
    # there failed to pay.
    keeps_dues = any(not x.voluntary for x in ctx.ledger.dues_payments)
    branches_paying = _branches_paying(ctx)
    for m in ctx.ledger.members:
        if m.branch not in orgs:
            continue
        if first.check == "amount" and m.dues_category not in categories:
            continue
        paid = ctx.regular_dues.get(m.id, {})
        owed = [s for s in owed_months(ctx, m) if rule.in_force.covers(s.start)]
        if first.check == "monthly" and m.branch not in branches_paying:
            if owed:
                yield _unknown_without_dues(ctx, rule, m, owed, whole_ledger=not keeps_dues)
            continue
        for sub in owed:
            p: DuesParams = rule.params_on(sub.start)
            payments, repeats = distinct_payments(paid.get(sub, []))
            finding: Finding | None
            if p.check == "monthly":
                yield from (_duplicate(ctx, rule, m, sub, group) for group in repeats)
                finding = _judge_paid(ctx, rule, m, sub, payments, p)
            else:
                finding = _judge_amount(ctx, rule, m, sub, payments, p)
            if finding is not None:
                yield finding


def _branches_paying(ctx: Context) -> set[str]:
    """The organisations one of whose members has a payment of the month's dues recorded."""
    branches: set[str] | None = ctx.memo.get("dues.branches_paying")
    if branches is None:
        members = ctx.members
        branches = ctx.memo["dues.branches_paying"] = {
            members[x].branch for x, months in ctx.regular_dues.items() if months and x in members
        }
    return branches


def distinct_payments(
    payments: list[DuesPayment],
) -> tuple[list[DuesPayment], list[list[DuesPayment]]]:
    """A month's payments with repeated records counted once, and the groups of repeats.

    Two payments of the same member and month with the same amount and base are one payment
    recorded twice (or a month recorded for another): the one with the earliest day of payment
    is kept (one without a day first, since it is not taken for a late one; then the smallest
    id), so that neither the ids chosen nor the order of records makes a paid month late.
    Payments of different amounts are a payment and a top-up, and are all kept.

    >>> from dangjian.model import Month
    >>> a, b, c = (DuesPayment(id=i, member="m1", month=Month(2020, 1), amount=Decimal(n))
    ...     for i, n in (("p2", 30), ("p1", 30), ("p3", 5)))
    >>> kept, repeats = distinct_payments([a, b, c])
    >>> [x.id for x in kept], [[x.id for x in g] for g in repeats]
    (['p1', 'p3'], [['p1', 'p2']])
    """
    groups: dict[tuple[Decimal, Decimal | None], list[DuesPayment]] = {}
    for x in payments:
        groups.setdefault((x.amount, x.base), []).append(x)
    kept: list[DuesPayment] = []
    repeats: list[list[DuesPayment]] = []
    for group in groups.values():
        group.sort(key=lambda x: (x.paid_on or dt.date.min, x.id))
        kept.append(group[0])
        if len(group) > 1:
            repeats.append(group)
    kept.sort(key=lambda x: x.id)
    repeats.sort(key=lambda g: min(x.id for x in g))
    return kept, repeats


def _duplicate(
    ctx: Context, rule: Rule, m: Member, sub: Period, group: list[DuesPayment]
) -> Finding:
    """A warning naming the payments recorded twice for one month: counted once. Its subject
    is the last repeat (``group[0]`` is the one counted)."""
    ids = sorted(x.id for x in group)
    finding = ctx.finding(
        rule,
        Status.FAILED,
        Subject(kind="payment", id=group[-1].id, name=m.name, branch=m.branch),
        sub,
        f"{m.name}{sub.label()}党费有{len(ids)}笔相同的交纳记录（{'、'.join(ids)}，"
        f"各{group[0].amount}元），按一笔计；请核对是否重复登记或记错月份",
        f"{m.id}: {len(ids)} identical payments for {sub.label('en')} "
        f"({', '.join(ids)}, {group[0].amount} each), counted once; a repeated record or a "
        "wrong month?",
        evidence=ids,
    )
    return attrs.evolve(finding, severity=Severity.WARNING)


def _unknown_without_dues(
    ctx: Context,
    rule: Rule,
    m: Member,
    owed: list[Period],
    *,
    whole_ledger: bool,
) -> Finding:
    first, last = owed[0], owed[-1]
    span = first.label() if first == last else f"{first.label()}至{last.label()}"
    span_en = str(first) if first == last else f"{first} to {last}"
    why, why_en = ctx.not_kept("dues_payments", None if whole_ledger else m.branch)
    return ctx.finding(
        rule,
        Status.UNKNOWN,
        ctx.member_subject(m),
        ctx.period,
        f"{why}，无法判断{m.name}{span}是否按月交纳党费",
        f"{why_en}: cannot tell whether {m.id} paid for {span_en}",
        gap=Gap.NOT_KEPT,
    )


def _end_of_month_after(day: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` after the month of ``day``."""
    month = Month.of(day)
    for _ in range(months):
        month = month.next()
    return month.last_day


def _judge_paid(
    ctx: Context,
    rule: Rule,
    m: Member,
    sub: Period,
    payments: list[DuesPayment],
    p: DuesParams,
) -> Finding:
    quarterly = m.dues_quarterly is not None and m.dues_quarterly <= sub.end
    if quarterly:
        due = Period.containing(sub.start, PeriodUnit.QUARTER).end
        need = f"{sub.label()}党费经党支部同意按季度交纳，应于{due.isoformat()}前交纳"
        need_en = f"dues for {sub.label('en')}, paid by the quarter, are due by {due.isoformat()}"
    else:
        due = sub.end
        need, need_en = f"{sub.label()}党费应按月交纳", f"dues for {sub.label('en')} are owed"
    subject = ctx.member_subject(m)
    if not payments:
        # pending while the month (or quarter) runs, or when it runs past the period checked
        status = ctx.verdict(False, sub)
        if status is Status.FAILED and due >= ctx.as_of:
            status = Status.PENDING
        return ctx.finding(
            rule, status, subject, sub, f"{need}，未见交纳记录", f"{need_en}; no payment recorded"
        )
    total = sum((x.amount for x in payments), Decimal(0))
    evidence = [x.id for x in payments]
    dates = [x.paid_on for x in payments]
    # the day the month was first paid, when every payment records its day; a payment without
    # a day is not taken for a late one
    paid_on = min(d for d in dates if d is not None) if None not in dates else None
    if paid_on is None or paid_on <= due:
        return ctx.finding(
            rule,
            Status.PASSED,
            subject,
            sub,
            f"{need}，已交{total}元",
            f"{need_en}; {total} yuan paid",
            evidence=evidence,
        )
    limit = _end_of_month_after(due, p.back_pay_months)
    late = f"{need}，{paid_on.isoformat()}补交{total}元"
    late_en = f"{need_en}; {total} yuan paid late on {paid_on.isoformat()}"
    if paid_on <= limit:
        finding = ctx.finding(
            rule,
            Status.FAILED,
            subject,
            sub,
            f"{late}，补交未超过{p.back_pay_months}个月（{limit.isoformat()}前）",
            f"{late_en}, a back payment within {p.back_pay_months} months (by {limit.isoformat()})",
            evidence=evidence,
        )
        # 补交 is a warning, not unpaid dues
        return attrs.evolve(finding, severity=Severity.WARNING)
    return ctx.finding(
        rule,
        Status.FAILED,
        subject,
        sub,
        f"{late}，补交超过{p.back_pay_months}个月（应于{limit.isoformat()}前）",
        f"{late_en}, more than {p.back_pay_months} months late (the limit was {limit.isoformat()})",
        evidence=evidence,
    )


def _judge_amount(
    ctx: Context, rule: Rule, m: Member, sub: Period, payments: list[DuesPayment], p: DuesParams
) -> Finding | None:
    schedule = next((s for s in p.schedules if m.dues_category in s.categories), None)
    if schedule is None or not payments:
        return None
    paid = sum((x.amount for x in payments), Decimal(0))
    # the highest base recorded for the month (a top-up on a higher income, say): taking the
    # last one would make the verdict depend on the order of the ledger's records
    base = max((x.base for x in payments if x.base is not None), default=None)
    expected = expected_dues(schedule, base, quantum=p.quantum, rounding=p.rounding)
    category = m.dues_category.label if m.dues_category else ""
    evidence = [x.id for x in payments]
    if expected is None:
        # the amount owed is a share of the base: without it the records cannot tell
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            ctx.member_subject(m),
            sub,
            f"{sub.label()}党费：{category}党员按收入比例交纳，记录中没有交纳基数，"
            f"无法判断实交{paid}元是否足额",
            f"dues for {sub.label('en')}: a share of the income base, which is not recorded: "
            f"cannot tell whether {paid} paid is in full",
            evidence=evidence,
            gap=Gap.DETAILS_MISSING,
        )
    # a flat schedule ignores any base the payment records; say so rather than quote the base
    tiered = bool(schedule.tiers)
    basis = f"以{base}元为基数" if tiered else "按定额"
    basis_en = f"on a base of {base}" if tiered else "flat"
    return ctx.finding(
        rule,
        # a month still running may yet be topped up: short is pending until it is over
        ctx.verdict(paid >= expected, sub),
        ctx.member_subject(m),
        sub,
        f"{sub.label()}党费{basis}应交{expected}元，实交{paid}元",
        f"dues for {sub.label('en')} {basis_en}: {expected} owed, {paid} paid",
        evidence=evidence,
    )


DUES = RuleKind(
    name="dues",
    params=DuesParams,
    evaluate=_evaluate_dues,
    description="党费按标准足额、按月交纳",
    description_en="dues paid in full and every month",
)


@attrs.frozen(kw_only=True)
class LapseParams:
    """No run of ``months`` consecutive months without dues, or without organisational life,
    ending within the period.

    Attributes:
        measure: ``dues`` (no payment for the month) or ``org_life`` (no meeting attended).
        months: The length of the run that counts as lapsing.
    """

    measure: Literal["dues", "org_life"]
    months: int = attrs.field(validator=v.positive_int)


def _evaluate_lapse(ctx: Context, rule: Rule) -> Iterator[Finding]:
    orgs = {b.id for b in ctx.organisations(rule)}
    p: LapseParams = rule.params_on(ctx.period.start)
    if not rule.in_force.overlaps(ctx.period.start, ctx.period.end):
        return
    # Look back far enough for a run that ends in the first month of the period, but not to
    # before the ledger's first record of the measure: a month the ledger does not cover is
    # not a month of nothing.
    start = Period.containing(ctx.period.start, PeriodUnit.MONTH)
    for _ in range(p.months - 1):
        start = start.previous()
    first = _first_recorded(ctx, p.measure)
    if first is not None:
        start = max(start, Period.containing(first, PeriodUnit.MONTH))
    months: list[Period] = []
    current = start
    while current.start <= ctx.period.end:
        if ctx.over(current):
            months.append(current)
        current = current.next()
    for m in ctx.ledger.members:
        if m.branch not in orgs:
            continue
        if ctx.left_undated(m, ctx.period):
            zh, en = ctx.undated_message(m, *_need(p))
            yield ctx.finding(
                rule,
                Status.UNKNOWN,
                ctx.member_subject(m),
                ctx.period,
                zh,
                en,
                gap=Gap.DATES_MISSING,
            )
            continue
        # somebody who was not a member at any time in the period (an applicant, an activist,
        # a member who left before it) cannot lapse in it: no finding, as for dues owed
        since, until = ctx.membership_span(m)
        if not ctx.period.overlaps(since or dt.date.min, until):
            continue
        yield _judge_lapse(ctx, rule, m, months, p)


def _first_recorded(ctx: Context, measure: str) -> dt.date | None:
    if measure == "dues":
        months = [x.month.first_day for x in ctx.ledger.dues_payments]
    else:
        months = [m.date for m in ctx.ledger.meetings]
    return min(months, default=None)


def _need(p: LapseParams) -> tuple[str, str]:
    what, what_en = _what(p)
    return (
        f"连续{p.months}个月不{what}视为自行脱党",
        f"{p.months} consecutive months without {what_en} counts as lapsing",
    )


def _what(p: LapseParams) -> tuple[str, str]:
    if p.measure == "dues":
        return "交纳党费", "paying dues"
    return "参加组织生活", "taking part in organisational life"


_Month = tuple[Period, Attendance, list[Meeting]]


def _months_of(
    ctx: Context, m: Member, months: list[Period], p: LapseParams
) -> list[_Month | None]:
    """What the records say of each month: ``None`` for a month ``m`` was not a member of this
    ledger's organisation for the whole of (it breaks a run)."""
    since, until = ctx.membership_span(m)
    first, last = since or dt.date.min, until or dt.date.max
    kind = "dues_payments" if p.measure == "dues" else "meetings"
    # a branch whose records of the measure the ledger does not keep at all cannot show that
    # the member did nothing: its months are unknown, not empty
    kept = ctx.keeps(kind, m.branch)
    paid: set[tuple[int, int]] = set()
    attended: set[tuple[int, int]] = set()
    unsure: set[tuple[int, int]] = set()
    if p.measure == "dues":
        paid = {(k.year, k.index) for k in ctx.regular_dues.get(m.id, ())}
    else:  # the months the member attended, and those with meetings recorded without names
        attended = ctx.attended_months.get(m.id, attended)
        unsure = ctx.nameless_months(m.branch)
    result: list[_Month | None] = []
    for month in months:
        if month.start < first or month.end > last:
            result.append(None)
            continue
        state: Attendance
        meetings: list[Meeting] = []
        key = (month.year, month.index)
        if p.measure == "dues":
            state = "attended" if key in paid else "absent"
        elif key in attended:
            state = "attended"
        elif key not in unsure:
            state = "absent"
        else:
            state, meetings = ctx.attendance(m, month)
        if state == "absent" and not kept:
            state = "unknown"
        result.append((month, state, meetings))
    return result


def _longest_run(
    states: list[_Month | None], p: LapseParams, since: dt.date, *, allow: tuple[str, ...]
) -> list[_Month]:
    """The longest run of at least ``p.months`` consecutive months in the states ``allow``,
    ending on or after ``since`` (the first one of the longest, if several)."""
    run: list[_Month] = []
    worst: list[_Month] = []
    for x in states:
        if x is not None and x[1] in allow:
            run.append(x)
            if len(run) >= p.months and run[-1][0].end >= since and len(run) > len(worst):
                worst = list(run)
        else:
            run = []
    return worst


def _judge_lapse(
    ctx: Context, rule: Rule, m: Member, months: list[Period], p: LapseParams
) -> Finding:
    what = _what(p)[0]
    need, need_en = _need(p)
    states = _months_of(ctx, m, months, p)
    subject = ctx.member_subject(m)
    # only months that show the member did nothing count towards a failure
    worst = _longest_run(states, p, ctx.period.start, allow=("absent",))
    if worst:
        first, last = worst[0][0], worst[-1][0]
        return ctx.finding(
            rule,
            Status.FAILED,
            subject,
            ctx.period,
            f"{need}：{m.name}自{first.label()}至{last.label()}连续{len(worst)}个月未{what}",
            f"{need_en}: {m.id} went {len(worst)} months from {first} to {last}",
        )
    unsure = _longest_run(states, p, ctx.period.start, allow=("absent", "unknown"))
    if unsure:
        return _unknown_lapse(ctx, rule, m, unsure, p)
    span = ctx.membership_span(m)
    if not any(ctx.within(span, x.end) for x in months):
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            ctx.period,
            f"{need}：{m.name}在该期间不是本组织党员或期间未结束",
            f"{need_en}: not judged",
        )
    status = Status.PASSED if ctx.over(ctx.period) else Status.PENDING
    return ctx.finding(
        rule,
        status,
        subject,
        ctx.period,
        f"{need}：{m.name}没有连续{p.months}个月未{what}",
        f"{need_en}: no such run for {m.id}",
    )


_SHOWN = 3
"""How many meetings recorded without names a message names before it says how many more."""


def _unknown_lapse(
    ctx: Context, rule: Rule, m: Member, run: list[_Month], p: LapseParams
) -> Finding:
    what, what_en = _what(p)
    need, need_en = _need(p)
    first, last = run[0][0], run[-1][0]
    found = f"{m.name}自{first.label()}至{last.label()}连续{len(run)}个月未见{what}的记录"
    found_en = f"no record of {m.id} {what_en} from {first} to {last}"
    kind = "dues_payments" if p.measure == "dues" else "meetings"
    if not ctx.keeps(kind, m.branch):
        why, why_en = ctx.not_kept(kind, m.branch)
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            ctx.member_subject(m),
            ctx.period,
            f"{need}：{why}，无法判断{m.name}是否{what}",
            f"{need_en}: {why_en}; whether {m.id} was {what_en} cannot be told",
            gap=Gap.NOT_KEPT,
        )
    meetings = sorted(
        {x.id: x for _, state, ms in run if state == "unknown" for x in ms}.values(),
        key=lambda x: (x.date, x.id),
    )
    names = [_meeting_label(ctx, x, m) for x in meetings[:_SHOWN]]
    names_en = [_meeting_label_en(x, m) for x in meetings[:_SHOWN]]
    more = len(meetings) - _SHOWN
    listed = "、".join(names) + (f"等{len(meetings)}次会议" if more > 0 else "")
    listed_en = ", ".join(names_en) + (f" and {more} more" if more > 0 else "")
    counted = all(x.present_count is not None for x in meetings)
    how = "只记录了人数" if counted else "没有记录出席人员"
    how_en = "recorded only a head count" if counted else "recorded nobody by name"
    return ctx.finding(
        rule,
        Status.UNKNOWN,
        ctx.member_subject(m),
        ctx.period,
        f"{need}：{found}，但{listed}{how}，无法确认{m.name}是否参加",
        f"{need_en}: {found_en}, but {listed_en} {how_en}: whether {m.id} attended cannot be told",
        evidence=[x.id for x in meetings],
        gap=Gap.COUNTS_ONLY,
    )


def _meeting_label(ctx: Context, meeting: Meeting, m: Member) -> str:
    """``2020年3月20日党员大会``, with the organisation's name when it is not the member's."""
    day = meeting.date
    org = ""
    if meeting.branch != m.branch:
        found = ctx.branches.get(meeting.branch)
        org = found.name if found is not None else meeting.branch
    return f"{day.year}年{day.month}月{day.day}日{org}{meeting.kind.label}"


def _meeting_label_en(meeting: Meeting, m: Member) -> str:
    of = f" of {meeting.branch}" if meeting.branch != m.branch else ""
    return f"the {meeting.kind.label_en}{of} on {meeting.date.isoformat()}"


LAPSE = RuleKind(
    name="lapse",
    params=LapseParams,
    evaluate=_evaluate_lapse,
    description="连续六个月不交纳党费或不参加组织生活（党章第九条）",
    description_en="six consecutive months without dues or organisational life",
)
