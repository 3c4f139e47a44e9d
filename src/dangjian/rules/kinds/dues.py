"""Rule kinds about dues and lapsing: the amount owed, months unpaid, six months of nothing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

import attrs

from dangjian.findings import Finding, Gap, Severity, Status, Subject
from dangjian.i18n import Message, t
from dangjian.model import DuesCategory, DuesPayment, Meeting, MeetingKind, Member, Month
from dangjian.model import _validators as v
from dangjian.model.pay import deduct
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Attendance, Context
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule
from dangjian.rules.texts import comma_list, label, period_name

__all__ = [
    "DUES",
    "LAPSE",
    "Schedule",
    "Tier",
    "amount_message",
    "distinct_payments",
    "duplicate_message",
    "expected_dues",
    "lapse_message",
    "lapse_need",
    "meeting_label",
    "monthly_message",
    "not_kept_dues_message",
    "payment_base",
    "yuan",
]


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
        bounds = [tier.up_to for tier in tiers]
        if bounds[-1] is not None or any(b is None for b in bounds[:-1]):
            raise v.FieldError(a.name, t("只有最后一档不设上限"))
        known = [b for b in bounds if b is not None]
        if known != sorted(set(known)):
            raise v.FieldError(a.name, t("各档上限应递增"))


def expected_dues(
    schedule: Schedule,
    base: Decimal | None,
    *,
    quantum: Decimal,
    rounding: str,
    minimum: Decimal | None = None,
) -> Decimal | None:
    """The monthly dues a schedule asks for, rounded to ``quantum`` (``None`` if the base is
    needed and missing), and no less than ``minimum`` when one is set.

    The regulation sets the rates but no rounding: half up to the 分 is the default of the
    shipped rules; a local policy may round up to the 角 (``quantum`` ``0.1``, ``ROUND_UP``)
    and set a minimum amount.

    >>> s = Schedule(categories=(DuesCategory.SALARIED,), tiers=(
    ...     Tier(up_to=Decimal(3000), rate=Decimal("0.005")), Tier(rate=Decimal("0.01"))))
    >>> expected_dues(s, Decimal("3000"), quantum=Decimal("0.01"), rounding="ROUND_HALF_UP")
    Decimal('15.00')
    >>> expected_dues(s, Decimal("3000.01"), quantum=Decimal("0.01"), rounding="ROUND_HALF_UP")
    Decimal('30.00')
    >>> expected_dues(s, Decimal("2990"), quantum=Decimal("0.1"), rounding="ROUND_UP")
    Decimal('15.0')
    >>> expected_dues(s, Decimal("2981"), quantum=Decimal("0.1"), rounding="ROUND_UP")
    Decimal('15.0')
    >>> expected_dues(s, Decimal("10"), quantum=Decimal("0.1"), rounding="ROUND_UP",
    ...     minimum=Decimal("0.10"))
    Decimal('0.10')
    """
    if not schedule.tiers:
        owed = schedule.flat_min
        if owed is None or minimum is None:
            return owed
        return minimum if owed <= minimum else owed
    if base is None:
        return None
    for tier in schedule.tiers:
        if tier.up_to is None or base <= tier.up_to:
            owed = (base * tier.rate).quantize(quantum, rounding=rounding)
            # the minimum as written (0.10 or 0.1) when it is what is owed, so that the amount
            # reads as the rule file says and the same in both engines
            return minimum if minimum is not None and owed <= minimum else owed
    raise AssertionError("the last tier has no bound")  # pragma: no cover


def yuan(amount: Decimal, *, whole: bool = False) -> str:
    """An amount of money in 元 as a message shows it, whatever the way it was written: to the
    分 (two places), or more places when the amount has them; with ``whole``, a whole amount
    without places (an income base: ``以4920元为基数``). It depends on the amount's value only,
    so that an amount read from a table column of any scale reads the same.

    >>> yuan(Decimal("49.2")), yuan(Decimal("1E+3")), yuan(Decimal("99.999")), yuan(Decimal("-0"))
    ('49.20', '1000.00', '99.999', '0.00')
    >>> yuan(Decimal("4920.00"), whole=True), yuan(Decimal("4920.5"), whole=True)
    ('4920', '4920.50')
    """
    if not amount:
        amount = abs(amount)
    exponent = amount.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # a finite amount
    places = 0 if whole and exponent >= 0 else max(2, -exponent)
    return f"{amount.quantize(Decimal(1).scaleb(-places)):f}"


_ROUNDINGS = (
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
    "ROUND_05UP",
)


def _rounding(_: object, a: attrs.Attribute[str], value: str) -> None:
    if value not in _ROUNDINGS:
        raise v.FieldError(
            a.name,
            t("应为{choices}之一", choices=comma_list(_ROUNDINGS)),
        )


def _quantum(inst: object, a: attrs.Attribute[Decimal], value: Decimal) -> None:
    v.non_negative(inst, a, value)
    if not value:
        raise v.FieldError(a.name, t("应大于0，如0.01（分）或0.1（角）"))


def _exponent(value: Decimal) -> int:
    """The exponent of a finite ``value`` (``0.10``: -2)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, as the validators have it
    return exponent


@attrs.frozen(kw_only=True)
class DuesParams:
    """Dues paid in full, or paid every month, chosen by ``check``.

    The regulation sets the rates but no rounding, and no minimum: ``quantum``, ``rounding``,
    ``minimum`` and ``tolerance`` are the policy of whoever computes the dues (half up to the
    分, no minimum and no tolerance by default). A profile or a user's rule file states a local
    policy, cited, by overriding these parameters (``[[override]]`` in a rule file).

    Attributes:
        check: ``amount``: each month's payment is at least what the schedule asks;
            ``monthly``: every month a member owed dues has a payment, made by the month's end
            (by the quarter's end for a member the branch allowed to pay by the quarter); a
            later payment within ``back_pay_months`` is a back payment (补交), a warning.
        schedules: For ``amount``, the schedules by category.
        quantum: The precision of amounts (``0.01``, the 分; ``0.1``, the 角); more than 0.
            Amounts are rounded to its last place (:meth:`decimal.Decimal.quantize`).
        rounding: The rounding of computed amounts (a :mod:`decimal` rounding name):
            ``ROUND_HALF_UP`` by default, ``ROUND_UP`` to round up.
        minimum: The least amount owed each month (``0.10``), or ``None`` for none; a whole
            number of ``quantum``'s last place.
        tolerance: A payment short of the amount owed by no more than this passes (and its
            message says so); 0 by default. Paying more always passes.
        back_pay_months: For ``monthly``, how many months after the due day a back payment may
            come (党费规定 第十二条: 补交一般不得超过6个月).
    """

    check: Literal["amount", "monthly"]
    schedules: tuple[Schedule, ...] = ()
    quantum: Decimal = attrs.field(default=Decimal("0.01"), validator=_quantum)
    rounding: str = attrs.field(default="ROUND_HALF_UP", validator=_rounding)
    minimum: Decimal | None = attrs.field(default=None, validator=v.optional(v.non_negative))
    tolerance: Decimal = attrs.field(default=Decimal(0), validator=v.non_negative)
    back_pay_months: int = attrs.field(default=6, validator=v.positive_int)

    @minimum.validator
    def _minimum_places(self, a: attrs.Attribute[Decimal | None], value: Decimal | None) -> None:
        if value is None or not self.quantum.is_finite() or not self.quantum:
            return
        # a whole number of the quantum's last place: no more places than it, once trailing
        # zeros are dropped (0.10 with the 角)
        if _exponent(value.normalize()) < _exponent(self.quantum):
            minimum, quantum = format(value, "f"), format(self.quantum, "f")
            raise v.FieldError(
                a.name,
                t(
                    "最低额{minimum}元应为计算精度{quantum}元的整数倍",
                    minimum=minimum,
                    quantum=quantum,
                ),
            )


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


def payment_base(x: DuesPayment) -> Decimal | None:
    """The income base of a payment: the one recorded, or when none is, the one its gross pay
    and deductions give (:func:`~dangjian.dues_base`; a base recorded with them equals it).

    >>> from dangjian.model import Month
    >>> payment_base(DuesPayment(id="p1", member="m1", month=Month(2020, 1), amount=Decimal(40),
    ...     gross_pay=Decimal("5000"), income_tax=Decimal("45"), housing_fund=Decimal("600")))
    Decimal('4355')
    """
    if x.base is not None or x.gross_pay is None:
        return x.base
    deductions = (x.income_tax, x.pension, x.medical, x.unemployment, x.housing_fund)
    computed = deduct(x.gross_pay, [d for d in deductions if d is not None])
    assert computed is not None  # the payment's validator saw to it
    return computed


def distinct_payments(
    payments: list[DuesPayment],
) -> tuple[list[DuesPayment], list[list[DuesPayment]]]:
    """A month's payments with repeated records counted once, and the groups of repeats.

    Two payments of the same member and month with the same amount and base
    (:func:`payment_base`: recorded, or computed from the gross pay) are one payment
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
        groups.setdefault((x.amount, payment_base(x)), []).append(x)
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
        duplicate_message(m.name, m.id, sub, ids, group[0].amount),
        evidence=ids,
    )
    return attrs.evolve(finding, severity=Severity.WARNING)


def duplicate_message(
    name: str, member: str, sub: Period, ids: list[str], amount: Decimal
) -> Message:
    """The message of payments of the same amount recorded more than once for ``sub``: ``ids``
    in order."""
    return t(
        "{name}{period}党费有{n}笔相同的交纳记录（{ids}，各{amount}元），按一笔计；"
        "请核对是否重复登记或记错月份",
        name=name,
        member=member,
        period=period_name(sub),
        n=len(ids),
        ids=comma_list(ids),
        amount=yuan(amount),
    )


def _unknown_without_dues(
    ctx: Context,
    rule: Rule,
    m: Member,
    owed: list[Period],
    *,
    whole_ledger: bool,
) -> Finding:
    return ctx.finding(
        rule,
        Status.UNKNOWN,
        ctx.member_subject(m),
        ctx.period,
        not_kept_dues_message(
            ctx.not_kept("dues_payments", None if whole_ledger else m.branch),
            m.name,
            m.id,
            owed[0],
            owed[-1],
        ),
        gap=Gap.NOT_KEPT,
    )


def not_kept_dues_message(
    why: Message, name: str, member: str, first: Period, last: Period
) -> Message:
    """That the ledger keeps no dues payments (``why`` says whose): whether the member paid
    every month from ``first`` to ``last`` cannot be told."""
    return t(
        "{why}，无法判断{name}{span}是否按月交纳党费",
        why=why,
        name=name,
        member=member,
        span=_span(period_name(first), period_name(last), first == last),
        codes=_span(str(first), str(last), first == last),
    )


def _span(first: Message | str, last: Message | str, same: bool) -> Message | str:
    """From one month to another (``2020年1月至2020年3月``), or the one month."""
    return first if same else t("{first}至{last}", first=first, last=last)


def _end_of_month_after(day: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` after the month of ``day``."""
    month = Month.of(day)
    for _ in range(months):
        month = month.next()
    return month.last_day


@functools.lru_cache(maxsize=4096)
def _unpaid_monthly(sub: Period) -> Message:
    """A month (or other sub-period) of monthly dues not paid: the commonest finding of a check,
    one message for every member."""
    return t("{period}党费应按月交纳，未见交纳记录", period=period_name(sub))


def _judge_paid(
    ctx: Context,
    rule: Rule,
    m: Member,
    sub: Period,
    payments: list[DuesPayment],
    p: DuesParams,
) -> Finding:
    quarterly = m.dues_quarterly is not None and m.dues_quarterly <= sub.end
    quarter_end = Period.containing(sub.start, PeriodUnit.QUARTER).end if quarterly else None
    due = quarter_end or sub.end
    subject = ctx.member_subject(m)
    if not payments:
        # pending while the month (or quarter) runs, or when it runs past the period checked
        status = ctx.verdict(False, sub)
        if status is Status.FAILED and due >= ctx.as_of:
            status = Status.PENDING
        return ctx.finding(rule, status, subject, sub, monthly_message(sub, quarter_end))
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
            monthly_message(sub, quarter_end, total),
            evidence=evidence,
        )
    limit = _end_of_month_after(due, p.back_pay_months)
    finding = ctx.finding(
        rule,
        Status.FAILED,
        subject,
        sub,
        monthly_message(
            sub, quarter_end, total, paid_on=paid_on, limit=limit, months=p.back_pay_months
        ),
        evidence=evidence,
    )
    if paid_on <= limit:
        # 补交 is a warning, not unpaid dues
        return attrs.evolve(finding, severity=Severity.WARNING)
    return finding


def monthly_message(
    sub: Period,
    quarter_end: dt.date | None,
    total: Decimal | None = None,
    *,
    paid_on: dt.date | None = None,
    limit: dt.date | None = None,
    months: int = 0,
) -> Message:
    """The message of a month's dues paid (``total``) or not (``None``), by its end or by
    ``quarter_end`` for a member allowed to pay by the quarter; paid late on ``paid_on``, a
    back payment due by ``limit`` (``months`` after the due day)."""
    # The commonest findings of a check, a month paid or not paid, are each one message; the
    # requirement is a message of its own only for the others (a check makes a few per member).
    need: Message | None = None
    if quarter_end is not None:
        need = t(
            "{period}党费经党支部同意按季度交纳，应于{due}前交纳",
            period=period_name(sub),
            due=quarter_end.isoformat(),
        )
    if total is None:
        return _unpaid_monthly(sub) if need is None else t("{need}，未见交纳记录", need=need)
    period = period_name(sub)
    if paid_on is None or limit is None:
        return (
            t("{period}党费应按月交纳，已交{total}元", period=period, total=yuan(total))
            if need is None
            else t("{need}，已交{total}元", need=need, total=yuan(total))
        )
    if need is None:
        need = t("{period}党费应按月交纳", period=period)
    late = t(
        "{need}，{paid_on}补交{total}元", need=need, paid_on=paid_on.isoformat(), total=yuan(total)
    )
    if paid_on <= limit:
        return t(
            "{late}，补交未超过{months}个月（{limit}前）",
            late=late,
            months=months,
            limit=limit.isoformat(),
        )
    return t(
        "{late}，补交超过{months}个月（应于{limit}前）",
        late=late,
        months=months,
        limit=limit.isoformat(),
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
    bases = [payment_base(x) for x in payments]
    base = max((x for x in bases if x is not None), default=None)
    expected = expected_dues(
        schedule, base, quantum=p.quantum, rounding=p.rounding, minimum=p.minimum
    )
    evidence = [x.id for x in payments]
    message = amount_message(
        sub,
        m.dues_category,
        paid,
        expected,
        base if schedule.tiers else None,
        minimum=p.minimum,
        tolerance=p.tolerance,
    )
    if expected is None:
        # the amount owed is a share of the base: without it the records cannot tell
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            ctx.member_subject(m),
            sub,
            message,
            evidence=evidence,
            gap=Gap.DETAILS_MISSING,
        )
    return ctx.finding(
        rule,
        # a month still running may yet be topped up: short is pending until it is over
        ctx.verdict(paid + p.tolerance >= expected, sub),
        ctx.member_subject(m),
        sub,
        message,
        evidence=evidence,
    )


def amount_message(
    sub: Period,
    category: DuesCategory | None,
    paid: Decimal,
    expected: Decimal | None,
    base: Decimal | None,
    *,
    minimum: Decimal | None = None,
    tolerance: Decimal = Decimal(0),
) -> Message:
    """The message of a month's dues of ``paid`` against ``expected`` (``None``: a share of a
    base not recorded), computed on ``base`` (``None``: a flat amount); it says when the amount
    owed is the ``minimum`` of the rule, and when a payment short of it passed within its
    ``tolerance``."""
    if expected is None:
        return t(
            "{period}党费：{category}党员按收入比例交纳，记录中没有交纳基数，"
            "无法判断实交{paid}元是否足额",
            period=period_name(sub),
            category=label(category) if category else "",
            paid=yuan(paid),
        )
    # a flat schedule ignores any base the payment records; say so rather than quote the base
    basis = t("以{base}元为基数", base=yuan(base, whole=True)) if base is not None else t("按定额")
    message = t(
        "{period}党费{basis}应交{expected}元，实交{paid}元",
        period=period_name(sub),
        basis=basis,
        expected=expected,
        paid=yuan(paid),
    )
    if minimum is not None and expected == minimum:
        message = t("{message}（按最低额{minimum}元计）", message=message, minimum=yuan(minimum))
    short = expected - paid
    if 0 < short <= tolerance:
        message = t(
            "{message}，差额{short}元在允许误差{tolerance}元以内，视为足额",
            message=message,
            short=yuan(short),
            tolerance=yuan(tolerance),
        )
    return message


DUES = RuleKind(
    name="dues",
    params=DuesParams,
    evaluate=_evaluate_dues,
    description=t("党费按标准足额、按月交纳"),
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
    # somebody who was not a member at any time in the period (an applicant, an activist, a
    # member who left before it) cannot lapse in it: no finding, as for dues owed
    members = (m for m in ctx.ledger.members if m.branch in orgs)
    for m, unknown in ctx.members_in_period(rule, members, _need(p)):
        yield unknown if unknown is not None else _judge_lapse(ctx, rule, m, months, p)


def _first_recorded(ctx: Context, measure: str) -> dt.date | None:
    if measure == "dues":
        months = [x.month.first_day for x in ctx.ledger.dues_payments]
    else:
        months = [m.date for m in ctx.ledger.meetings]
    return min(months, default=None)


@functools.lru_cache(maxsize=256)
def _need(p: LapseParams) -> Message:
    """The requirement of a lapse rule (one message for every finding of its parameters)."""
    return t("连续{months}个月不{what}视为自行脱党", months=p.months, what=_what(p))


def lapse_need(p: LapseParams) -> Message:
    """What a lapse rule requires: ``连续6个月不交纳党费视为自行脱党``."""
    return _need(p)


def _what(p: LapseParams) -> Message:
    return _PAYING if p.measure == "dues" else _TAKING_PART


_PAYING = t("交纳党费")
_TAKING_PART = t("参加组织生活")


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
    states = _months_of(ctx, m, months, p)
    subject = ctx.member_subject(m)
    # only months that show the member did nothing count towards a failure
    worst = _longest_run(states, p, ctx.period.start, allow=("absent",))
    if worst:
        return ctx.finding(
            rule,
            Status.FAILED,
            subject,
            ctx.period,
            lapse_message(p, "lapsed", m.name, m.id, run=(worst[0][0], worst[-1][0], len(worst))),
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
            lapse_message(p, "not_member", m.name, m.id),
        )
    status = Status.PASSED if ctx.over(ctx.period) else Status.PENDING
    return ctx.finding(rule, status, subject, ctx.period, lapse_message(p, None, m.name, m.id))


_SHOWN = 3
"""How many meetings recorded without names a message names before it says how many more."""


def _unknown_lapse(
    ctx: Context, rule: Rule, m: Member, run: list[_Month], p: LapseParams
) -> Finding:
    kind = "dues_payments" if p.measure == "dues" else "meetings"
    if not ctx.keeps(kind, m.branch):
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            ctx.member_subject(m),
            ctx.period,
            lapse_message(p, "not_kept", m.name, m.id, why=ctx.not_kept(kind, m.branch)),
            gap=Gap.NOT_KEPT,
        )
    meetings = sorted(
        {x.id: x for _, state, ms in run if state == "unknown" for x in ms}.values(),
        key=lambda x: (x.date, x.id),
    )
    labels = [_meeting_label(ctx, x, m) for x in meetings[:_SHOWN]]
    counts_only = all(x.present_count is not None for x in meetings)
    return ctx.finding(
        rule,
        Status.UNKNOWN,
        ctx.member_subject(m),
        ctx.period,
        lapse_message(
            p,
            "counts_only" if counts_only else "nameless",
            m.name,
            m.id,
            run=(run[0][0], run[-1][0], len(run)),
            meetings=(labels, len(meetings)),
        ),
        evidence=[x.id for x in meetings],
        gap=Gap.COUNTS_ONLY,
    )


def lapse_message(
    p: LapseParams,
    reason: str | None,
    name: str,
    member: str,
    *,
    run: tuple[Period, Period, int] | None = None,
    why: Message | None = None,
    meetings: tuple[list[Message], int] = ([], 0),
) -> Message:
    """The message of a lapse finding of the member ``name`` (id ``member``).

    Args:
        p: The rule's parameters.
        reason: ``lapsed`` (a ``run`` of months without), ``not_kept`` (``why``: the ledger
            keeps no records of the measure), ``counts_only`` or ``nameless`` (a ``run`` with
            meetings recorded only with the numbers present, or without anybody's names:
            ``meetings``), ``not_member``, or ``None`` (no run).
        run: The first and last months of the run, and how many months it has.
        why: For ``not_kept``, the reason (:func:`~dangjian.rules.context.not_kept_message`).
        meetings: The labels of the first meetings recorded without names
            (:func:`meeting_label`), and how many there are.
    """
    what = _what(p)
    need = _need(p)
    if reason == "not_member":
        return t("{need}：{name}在该期间不是本组织党员或期间未结束", need=need, name=name)
    if reason == "not_kept":
        return t(
            "{need}：{why}，无法判断{name}是否{what}",
            need=need,
            why=why,
            name=name,
            member=member,
            what=what,
        )
    if run is None:
        return t(
            "{need}：{name}没有连续{months}个月未{what}",
            need=need,
            name=name,
            member=member,
            months=p.months,
            what=what,
        )
    first, last, n = run
    if reason == "lapsed":
        return t(
            "{need}：{name}自{first}至{last}连续{n}个月未{what}",
            need=need,
            name=name,
            member=member,
            first=period_name(first),
            last=period_name(last),
            first_code=str(first),
            last_code=str(last),
            n=n,
            what=what,
        )
    labels, count = meetings
    listed = comma_list(labels)
    more = count - _SHOWN
    if more > 0:
        listed = t("{listed}等{n}次会议", listed=listed, n=count, more=more)
    how = t("只记录了人数") if reason == "counts_only" else t("没有记录出席人员")
    found = t(
        "{name}自{first}至{last}连续{n}个月未见{what}的记录",
        name=name,
        member=member,
        first=period_name(first),
        last=period_name(last),
        first_code=str(first),
        last_code=str(last),
        n=n,
        what=what,
    )
    return t(
        "{need}：{found}，但{listed}{how}，无法确认{name}是否参加",
        need=need,
        found=found,
        listed=listed,
        how=how,
        name=name,
        member=member,
    )


def _meeting_label(ctx: Context, meeting: Meeting, m: Member) -> Message:
    if meeting.branch == m.branch:
        return meeting_label(meeting.date, meeting.kind)
    found = ctx.branches.get(meeting.branch)
    return meeting_label(
        meeting.date,
        meeting.kind,
        found.name if found is not None else meeting.branch,
        meeting.branch,
    )


def meeting_label(
    day: dt.date, kind: MeetingKind, org_name: str | None = None, org_id: str | None = None
) -> Message:
    """``2020年3月20日党员大会``, with the organisation's name ``org_name`` when it is not the
    member's."""
    if org_name is None:
        return t(
            "{year}年{month}月{day}日{kind}",
            year=day.year,
            month=day.month,
            day=day.day,
            date=day.isoformat(),
            kind=label(kind),
        )
    return t(
        "{year}年{month}月{day}日{org_name}{kind}",
        year=day.year,
        month=day.month,
        day=day.day,
        date=day.isoformat(),
        org_name=org_name,
        org_id=org_id,
        kind=label(kind),
    )


LAPSE = RuleKind(
    name="lapse",
    params=LapseParams,
    evaluate=_evaluate_lapse,
    description=t("连续六个月不交纳党费或不参加组织生活（党章第九条）"),
)
