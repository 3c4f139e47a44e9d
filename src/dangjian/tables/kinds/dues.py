"""Rule kinds about dues and lapsing, over tables (see :mod:`dangjian.rules.kinds.dues`).

Amounts stay exact: the record tables hold them as DECIMAL, sums and comparisons are DECIMAL
arithmetic, and the amount a schedule asks for is computed in SQL as the object engine computes
it with :class:`~decimal.Decimal` (:func:`_rounded`). Messages are made by the object engine's
own functions from the columns of a finding's row.

``dues`` (check ``monthly``) uses the generic columns so: ``reason`` ``None`` (a month unpaid),
``paid``, ``late`` (paid after the month or quarter: ``other_day`` the day of payment),
``duplicate`` (payments recorded more than once: ``count`` of them, ``amount`` each) or
``not_kept`` (no payments recorded of the member's organisation, ``detail`` its name, or of the
whole ledger, ``detail`` empty: ``other_day`` the first month owed and ``count`` how many);
``amount`` the total paid; ``detail`` ``quarterly`` for a member allowed to pay by the quarter.

``dues`` (check ``amount``): ``amount`` paid, ``expected_amount`` owed (empty: not computable,
the base is missing), ``detail`` the highest base recorded (as text), ``other_id`` the member's
dues category.

``lapse``: ``reason`` ``lapsed``, ``not_kept``, ``counts_only``, ``nameless``, ``not_member``,
``undated`` or ``None`` (no run); ``other_day`` the first month of the run and ``count`` its
length; ``detail`` the organisation's name for ``not_kept`` (empty: the whole ledger keeps
none), the member's status for ``undated``, and for ``counts_only``/``nameless`` the first
meetings recorded without names (:data:`_SEP` between them, :data:`_FIELD` between their day,
kind, organisation and its name); ``expected`` how many such meetings there are.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from dangjian.findings import Gap, Severity, Status
from dangjian.i18n import Message
from dangjian.model import DuesCategory, MeetingKind, MemberStatus, Month
from dangjian.model.pay import DEDUCTIONS
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import not_kept_message, undated_message
from dangjian.rules.kinds.dues import (
    DuesParams,
    LapseParams,
    Schedule,
    amount_message,
    duplicate_message,
    expected_dues,
    lapse_message,
    lapse_need,
    meeting_label,
    monthly_message,
    not_kept_dues_message,
)
from dangjian.rules.schema import Rule
from dangjian.tables.arrow import DECIMAL_PLACES, DECIMAL_PRECISION
from dangjian.tables.context import TableContext, anti_join, semi_join, version_on
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    EMPTY_IDS,
    ibis,
    ids_or_empty,
    one_if,
    period_columns,
    subject,
    union_all,
)

__all__ = ["DUES", "LAPSE"]

_SHOWN = 3
"""How many meetings recorded without names a message names (as the object engine's)."""

_SEP = "\x1f"
"""Between the items of a list held in ``detail``."""
_FIELD = "\x1e"
"""Between the fields of one item of a list held in ``detail``."""


# -- dues --------------------------------------------------------------------------------------


def _end_of_month_after(day: dt.date, months: int) -> dt.date:
    month = Month.of(day)
    for _ in range(months):
        month = month.next()
    return month.last_day


def _months(ctx: TableContext, rule: Rule) -> Any:
    """The months of the checked period the rule is in force on the first day of (the months
    :func:`~dangjian.rules.kinds.dues.owed_months` may owe): ``period``, ``period_start``,
    ``period_end``, ``pending``, ``version``, ``quarter_end`` (the due day by the quarter), and
    the last days of back payment by the month (``limit_month``) and by the quarter
    (``limit_quarter``)."""
    rows: dict[str, list[Any]] = {
        k: []
        for k in (
            "period",
            "period_start",
            "period_end",
            "pending",
            "version",
            "quarter_end",
            "limit_month",
            "limit_quarter",
        )
    }
    for sub in ctx.subperiods(PeriodUnit.MONTH):
        if not rule.in_force.covers(sub.start):
            continue
        version = version_on(rule, sub.start)
        p: DuesParams = rule.versions[version].params
        quarter_end = Period.containing(sub.start, PeriodUnit.QUARTER).end
        rows["period"].append(str(sub))
        rows["period_start"].append(sub.start)
        rows["period_end"].append(sub.end)
        rows["pending"].append(ctx.pending(sub))
        rows["version"].append(version)
        rows["quarter_end"].append(quarter_end)
        rows["limit_month"].append(_end_of_month_after(sub.end, p.back_pay_months))
        rows["limit_quarter"].append(_end_of_month_after(quarter_end, p.back_pay_months))
    return ctx.memtable(
        rows,
        {
            "period": "string",
            "period_start": "date",
            "period_end": "date",
            "pending": "boolean",
            "version": "int64",
            "quarter_end": "date",
            "limit_month": "date",
            "limit_quarter": "date",
        },
    )


def _members(ctx: TableContext, rule: Rule) -> Any:
    """The members of the organisations ``rule`` applies to, with their spans
    (:meth:`TableContext.member_spans`)."""
    orgs = ctx.organisations(rule).select(o_id="id")
    spans = ctx.member_spans()
    return spans.semi_join(orgs, spans.branch == orgs.o_id)


def _payments(ctx: TableContext) -> Any:
    """The payments of the month's dues (voluntary extras left out): ``id``, ``member``,
    ``month``, ``amount``, ``paid_on`` and ``base``, the one recorded or computed from the gross
    pay (:func:`~dangjian.rules.kinds.dues.payment_base`)."""
    lib = ibis()
    dp = ctx.table("dues_payments")
    dp = dp.filter(~dp.voluntary.fill_null(False))
    # the base recorded, or the one the gross pay and deductions give (a base recorded with
    # them equals it)
    decimal = _decimal(DECIMAL_PRECISION, DECIMAL_PLACES)
    zero = lib.literal(Decimal(0), type=decimal)
    deductions = [dp[name].fill_null(zero) for name in DEDUCTIONS]
    computed = dp.gross_pay
    for deduction in deductions:
        computed = computed - deduction
    dp = dp.mutate(base=dp.base.fill_null(computed.cast(decimal)).cast(decimal))
    return dp.select("id", "member", "month", "amount", "base", "paid_on")


def _regular(ctx: TableContext) -> Any:
    """The payments (:func:`_payments`) of the members and months with more than one, each
    marked ``is_kept`` (the one counted of those of the same member, month, amount and base:
    the earliest paid, one without a day first, then the smallest id), ``is_last`` (the last of
    them) and ``repeats`` (how many there are): :func:`~dangjian.rules.kinds.dues.
    distinct_payments`. A member and month with one payment has nothing to tell apart (see
    :func:`_paid`)."""
    cached = ctx.memo.get("dues.regular")
    if cached is not None:
        return cached
    lib = ibis()
    grouped = _grouped(ctx)
    several = grouped.filter(grouped.p_n > 1).select(s_member="p_member", s_month="p_month")
    dp = _payments(ctx)
    dp = dp.join(several, (dp.member == several.s_member) & (dp.month == several.s_month)).select(
        dp
    )
    same = [dp.member, dp.month, dp.amount, dp.base]
    dated = dp.paid_on.notnull()
    first = lib.row_number().over(group_by=same, order_by=[dated, dp.paid_on, dp.id])
    repeats = dp.id.count().over(group_by=same)
    # the last in that order is the last of them: one sort of the payments, not two (a day of
    # payment is missing only among those without one, which the first key puts together)
    table = dp.mutate(is_kept=first == 0, is_last=first == repeats - 1, repeats=repeats)
    # computed once per check and kept on the backend (few rows): read by every dues rule
    table = table.cache()
    ctx.memo["dues.regular"] = table
    return table


def _grouped(ctx: TableContext) -> Any:
    """The payments (:func:`_payments`) by member and month: ``p_member``, ``p_month``,
    ``p_n`` (how many), ``p_total`` (their sum), ``p_base`` (the highest base), ``p_id`` (the
    least id: the only one where there is one payment), ``p_undated`` (how many have no day of
    payment) and ``p_first`` (the first day of payment).

    No list of ids is collected here: a list a member and month is most of the time and the
    memory of this pass over the payments on DuckDB (see :func:`_paid`)."""
    cached = ctx.memo.get("dues.grouped")
    if cached is not None:
        return cached
    dp = _payments(ctx)
    table = (
        dp.group_by(p_member=dp.member, p_month=dp.month)
        .aggregate(
            p_n=dp.count(),
            p_total=dp.amount.sum(),
            p_base=dp.base.max(),
            p_id=dp.id.min(),
            # (the rows less those with a day: no expression a row to sum)
            p_undated=dp.count() - dp.paid_on.count(),
            p_first=dp.paid_on.min(),
        )
        # computed once per check and kept on the backend: every dues rule and the lapse of
        # dues read it
        .cache()
    )
    ctx.memo["dues.grouped"] = table
    return table


def _paid(ctx: TableContext) -> Any:
    """For each member and month with payments of its dues: ``p_member``, ``p_month``,
    ``p_total`` (the distinct payments' sum), ``p_base`` (the highest base), ``p_evidence``,
    ``p_paid_on`` (the first day of payment, empty when a payment has no day).

    One pass over the payments, grouped by member and month: where there is one payment, it
    is all there is to count; the few members and months with more (:func:`_regular`) are
    told apart by a window over their payments only."""
    cached = ctx.memo.get("dues.paid")
    if cached is not None:
        return cached
    lib = ibis()
    grouped = _grouped(ctx)
    r = _regular(ctx)
    kept = r.filter(r.is_kept)
    distinct = kept.group_by(d_member=kept.member, d_month=kept.month).aggregate(
        d_total=kept.amount.sum(), d_evidence=kept.id.collect()
    )
    # (the first day and the days missing are alike over the payments counted and over all:
    # the one counted of several alike is the earliest paid, or one without a day)
    joined = grouped.left_join(
        distinct,
        (grouped.p_member == distinct.d_member) & (grouped.p_month == distinct.d_month),
    )
    table = joined.select(
        p_member=joined.p_member,
        p_month=joined.p_month,
        p_total=lib.cases((joined.p_n > 1, joined.d_total), else_=joined.p_total),
        p_base=joined.p_base,
        p_evidence=lib.cases(
            (joined.p_n > 1, joined.d_evidence),
            (joined.p_id.notnull(), lib.array([joined.p_id])),
            else_=lib.literal(None, type="array<string>"),
        ),
        p_paid_on=lib.cases(
            (joined.p_undated > 0, lib.literal(None, type="date")), else_=joined.p_first
        ),
    ).view()
    ctx.memo["dues.paid"] = table
    return table


def _owed(ctx: TableContext, rule: Rule, members: Any) -> Any:
    """``members`` × the months they owed dues for (a party member on the month's last day)."""
    months = _months(ctx, rule)
    grid = members.cross_join(months)
    return grid.filter(ctx.within(grid.span_start, grid.span_end, grid.span_never, grid.period_end))


def _subject(expr: Any) -> dict[str, Any]:
    return subject("member", expr.id, expr.name, expr.branch)


def _evaluate_dues(ctx: TableContext, rule: Rule) -> Any:
    first: DuesParams = rule.params_on(ctx.period.start)
    members = _members(ctx, rule)
    if first.check == "amount":
        # schedules of every version of the rule: a member whose category none covers is skipped
        categories = sorted(
            {c.value for v in rule.versions for s in v.params.schedules for c in s.categories}
        )
        members = members.filter(members.dues_category.isin(categories))
    parts = []
    if first.check == "monthly":
        # a ledger that keeps no payments of an organisation's members cannot show that any of
        # them failed to pay (told apart member by member, before the months are added)
        g = _grouped(ctx)
        everyone = ctx.table("members").select(e_id="id", e_branch="branch")
        # (a semi join of the members, not a join of every member's months paid: the months
        # are ten times the members)
        paying = (
            everyone.semi_join(g, everyone.e_id == g.p_member)
            .select(pay_branch=everyone.e_branch)
            .distinct()
            .view()
        )
        keeps_dues = int(ctx.value(g.count())) > 0
        # (the helpers: Ibis writes some anti joins as LEFT ANTI JOIN, which PostgreSQL lacks)
        unkept = _owed(ctx, rule, anti_join(members, paying, ("branch",), ("pay_branch",)))
        parts.append(_not_kept_dues(ctx, rule, unkept, keeps_dues))
        members = semi_join(members, paying, ("branch",), ("pay_branch",))
    owed = _owed(ctx, rule, members)
    checks: dict[str, list[int]] = {}
    for version in _versions(ctx, rule):
        checks.setdefault(rule.versions[version].params.check, []).append(version)
    if "monthly" in checks:
        parts += _monthly(ctx, rule, members, checks["monthly"])
    for version in checks.get("amount", []):
        parts += _amount(ctx, rule, owed.filter(owed.version == version), version)
    return union_all(parts) if parts else _empty(ctx, rule)


def _monthly(ctx: TableContext, rule: Rule, members: Any, versions: list[int]) -> list[Any]:
    """The findings of the months ``members`` owed under the ``monthly`` check of ``versions``:
    paid, unpaid, late, and payments recorded twice."""
    lib = ibis()
    lit = lib.literal
    owed = _owed(ctx, rule, members)
    judged = owed.filter(owed.version.isin(versions))
    paid = _paid(ctx)
    grid = judged.left_join(
        paid, (judged.id == paid.p_member) & (judged.period_start == paid.p_month)
    ).select(judged, "p_total", "p_evidence", "p_paid_on")
    quarterly = grid.dues_quarterly.notnull() & (grid.dues_quarterly <= grid.period_end)
    due = lib.cases((quarterly, grid.quarter_end), else_=grid.period_end)
    limit = lib.cases((quarterly, grid.limit_quarter), else_=grid.limit_month)
    unpaid = grid.p_total.isnull()
    on_time = grid.p_paid_on.isnull() | (grid.p_paid_on <= due)
    as_of = lit(ctx.as_of, type="date")
    status = lib.cases(
        (unpaid & (grid.pending | (due >= as_of)), lit(Status.PENDING.value)),
        (unpaid, lit(Status.FAILED.value)),
        (on_time, lit(Status.PASSED.value)),
        else_=lit(Status.FAILED.value),
    )
    late = ~unpaid & ~on_time
    months = ctx.rows(
        rule,
        grid,
        **_subject(grid),
        status=status,
        severity=lib.cases(
            (late & (grid.p_paid_on <= limit), lit(Severity.WARNING.value)),
            else_=lit(rule.severity.value),
        ),
        evidence=ids_or_empty(grid.p_evidence),
        reason=lib.cases(
            (unpaid, lit(None, type="string")),
            (on_time, lit("paid")),
            else_=lit("late"),
        ),
        amount=grid.p_total,
        other_day=lib.cases((late, grid.p_paid_on), else_=lit(None, type="date")),
        detail=lib.cases((quarterly, lit("quarterly")), else_=lit(None, type="string")),
    )
    # payments of the same amount recorded more than once for a month owed: a warning each
    r = _regular(ctx)
    repeated = r.filter(r.repeats > 1)
    groups = (
        repeated.group_by(
            g_member=repeated.member,
            g_month=repeated.month,
            g_amount=repeated.amount,
            g_base=repeated.base,
        )
        .aggregate(
            g_ids=repeated.id.collect(),
            g_count=repeated.id.count(),
            g_last=repeated.id.max(where=repeated.is_last),
        )
        .view()
    )
    # (the months owed of only the members with such payments: few beside all of them)
    owed = _owed(ctx, rule, semi_join(members, groups, ("id",), ("g_member",)))
    few = owed.filter(owed.version.isin(versions))
    dup = few.join(groups, (few.id == groups.g_member) & (few.period_start == groups.g_month))
    duplicates = ctx.rows(
        rule,
        dup,
        **subject("payment", dup.g_last, dup.name, dup.branch),
        status=Status.FAILED.value,
        severity=Severity.WARNING.value,
        evidence=dup.g_ids,
        reason="duplicate",
        count=dup.g_count,
        amount=dup.g_amount,
        other_id=dup.id,
    )
    return [months, duplicates]


def _versions(ctx: TableContext, rule: Rule) -> list[int]:
    return sorted(
        {
            version_on(rule, sub.start)
            for sub in ctx.subperiods(PeriodUnit.MONTH)
            if rule.in_force.covers(sub.start)
        }
    )


def _not_kept_dues(ctx: TableContext, rule: Rule, owed: Any, keeps_dues: bool) -> Any:
    """One finding, unknown, for each member of an organisation none of whose members has a
    payment recorded, who owed dues in the period."""
    lit = ibis().literal
    spans = (
        owed.group_by(u_id=owed.id)
        .aggregate(u_first=owed.period_start.min(), u_count=owed.period_start.count())
        .view()
    )
    members = _members(ctx, rule)
    orgs = ctx.table("branches").select(n_id="id", n_name="name")
    found = members.join(spans, members.id == spans.u_id)
    found = found.left_join(orgs, found.branch == orgs.n_id).select(
        found, org_name=orgs.n_name.fill_null(found.branch)
    )
    return ctx.rows(
        rule,
        found,
        **_subject(found),
        status=Status.UNKNOWN.value,
        gap=Gap.NOT_KEPT.value,
        **period_columns(ctx.period),
        reason="not_kept",
        other_day=found.u_first,
        count=found.u_count,
        detail=found.org_name if keeps_dues else lit(None, type="string"),
    )


def _rounded(y: Any, rounding: str) -> Any:
    """``y`` (a non-negative DECIMAL) rounded to a whole number as :mod:`decimal` rounds it
    with ``rounding``, in DECIMAL arithmetic that every backend does exactly."""
    lib = ibis()
    whole = y.floor()
    frac = y - whole
    half = lib.literal(Decimal("0.5"), type=_decimal(2, 1))
    zero = lib.literal(Decimal(0), type=_decimal(2, 1))
    if rounding == "ROUND_HALF_UP":
        up = frac >= half
    elif rounding == "ROUND_HALF_DOWN":
        up = frac > half
    elif rounding == "ROUND_HALF_EVEN":
        up = (frac > half) | ((frac == half) & (whole.cast("int64") % 2 == 1))
    elif rounding in ("ROUND_UP", "ROUND_CEILING"):
        # up to the next whole number unless already whole: the ceiling of a value that is
        # not negative (an exact multiple of the quantum stays as it is)
        up = frac > zero
    elif rounding == "ROUND_05UP":
        # towards zero, unless that leaves a last digit of 0 or 5: then away from zero
        last = whole.cast("int64") % 10
        up = (frac > zero) & ((last == 0) | (last == 5))
    else:  # ROUND_DOWN, ROUND_FLOOR
        up = lib.literal(False)
    return lib.cases((up, whole + 1), else_=whole)


def _scale(value: Decimal) -> int:
    """The places after the point of a finite ``value``."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


_NARROW = 18
"""The most digits of a DECIMAL computed in 64-bit integers (DuckDB's, Spark's)."""


@functools.cache
def _decimal(precision: int, scale: int) -> Any:
    """The DECIMAL type of ``precision`` digits, ``scale`` after the point (made, not parsed
    from text: Ibis builds its parser of types anew for each text it has not seen)."""
    return ibis().expr.datatypes.Decimal(precision=precision, scale=scale)


def _literal(value: Decimal) -> Any:
    """``value`` as a DECIMAL literal that holds it exactly."""
    scale = _scale(value)
    value = value.quantize(Decimal(1).scaleb(-scale))
    precision = max(len(value.as_tuple().digits), scale + 1)
    return ibis().literal(value, type=_decimal(precision, scale))


def _expected(schedule: Schedule, p: DuesParams, base: Any) -> Any:
    """What ``schedule`` asks for on ``base`` (a DECIMAL column), rounded to ``p.quantum`` and
    no less than ``p.minimum`` as :func:`~dangjian.rules.kinds.dues.expected_dues` does: empty
    when the base is needed and missing."""
    lib = ibis()
    owed_type = _decimal(38, 10)
    null = lib.literal(None, type=owed_type)
    if not schedule.tiers:
        flat = expected_dues(
            schedule, None, quantum=p.quantum, rounding=p.rounding, minimum=p.minimum
        )
        if flat is None:
            return null
        return _literal(flat).cast(owed_type)
    scale = base.type().scale or 0
    # Decimal.quantize rounds to the quantum's place (0.05 rounds to the 分 like 0.01): the
    # amount owed is a whole number of units of that place, base × rate ÷ unit rounded, and
    # rate ÷ unit is a finite decimal, so the product is exact DECIMAL arithmetic
    exponent = p.quantum.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite quantum
    unit = Decimal(1).scaleb(exponent)
    cases = []
    for tier in schedule.tiers:
        factor = _literal((tier.rate / unit).normalize())
        f_precision = factor.type().precision

        owed = _tier_owed(base, factor, unit, p.rounding, 28, 38)
        room = _NARROW - f_precision - scale
        if room > 0:
            # the same exact arithmetic in narrow DECIMALs for a base small enough for them
            # (every base of a real ledger): rounding a wide DECIMAL divides 128-bit integers,
            # most of the time of these rules on DuckDB
            limit = _literal(Decimal(10) ** room)
            narrow = _tier_owed(base, factor, unit, p.rounding, _NARROW - f_precision, _NARROW)
            owed = lib.cases(((base < limit) & (base > -limit), narrow), else_=owed)
        if p.minimum is not None:
            least = _literal(p.minimum).cast(owed_type)
            owed = lib.cases((owed <= least, least), else_=owed)
        cond = lib.literal(True) if tier.up_to is None else base <= _literal(tier.up_to)
        cases.append((cond, owed))
    return lib.cases((base.isnull(), null), *cases, else_=null)


def _tier_owed(
    base: Any, factor: Any, unit: Decimal, rounding: str, digits: int, product: int
) -> Any:
    """``base`` × ``factor`` (a DECIMAL literal) rounded with ``rounding`` to a whole number of
    ``unit``, the base cast to ``digits`` digits and the product to ``product``: exact when
    they hold the base and the product."""
    scale = base.type().scale or 0
    exact = base.cast(_decimal(digits, scale))
    y = (exact * factor).cast(_decimal(product, scale + factor.type().scale))
    return (_rounded(y, rounding) * _literal(unit)).cast(_decimal(38, 10))


def _amount(ctx: TableContext, rule: Rule, owed: Any, version: int) -> list[Any]:
    """The findings of the months ``owed`` under the ``amount`` check of ``version``: each month
    paid for, its payments against what the member's schedule asks."""
    lib = ibis()
    lit = lib.literal
    p: DuesParams = rule.versions[version].params
    chosen: dict[str, Schedule] = {}
    for s in p.schedules:
        for c in s.categories:
            chosen.setdefault(c.value, s)
    if not chosen:
        return []
    paid = _paid(ctx)
    owed = owed.filter(owed.dues_category.isin(sorted(chosen)))
    grid = owed.join(paid, (owed.id == paid.p_member) & (owed.period_start == paid.p_month)).select(
        owed, "p_total", "p_base", "p_evidence"
    )
    expected = lib.cases(
        *((grid.dues_category == c, _expected(s, p, grid.p_base)) for c, s in chosen.items()),
        else_=lit(None, type=_decimal(38, 10)),
    )
    grid = grid.mutate(x_expected=expected)
    unknown = grid.x_expected.isnull()
    status = lib.cases(
        (unknown, lit(Status.UNKNOWN.value)),
        else_=ctx.status_of(grid.p_total + _literal(p.tolerance) >= grid.x_expected, grid.pending),
    )
    return [
        ctx.rows(
            rule,
            grid,
            **_subject(grid),
            status=status,
            gap=lib.cases(
                (unknown, lit(Gap.DETAILS_MISSING.value)), else_=lit(None, type="string")
            ),
            evidence=grid.p_evidence,
            amount=grid.p_total,
            expected_amount=grid.x_expected,
            detail=grid.p_base.cast("string"),
            other_id=grid.dues_category,
        )
    ]


def _empty(ctx: TableContext, rule: Rule) -> Any:
    m = ctx.table("members")
    return ctx.rows(rule, m.filter(ibis().literal(False)), status=Status.PASSED.value)


def _month(day: dt.date | None) -> Period:
    assert day is not None
    return Period.containing(day, PeriodUnit.MONTH)


def _dues_message(rule: Rule, row: FindingRow) -> Message:
    sub = Period.parse(row.period or "")
    if row.reason == "not_kept":
        first = _month(row.other_day)
        last = first
        for _ in range((row.count or 1) - 1):
            last = last.next()
        why = (
            not_kept_message("dues_payments")
            if row.detail is None
            else not_kept_message("dues_payments", row.detail, row.subject_branch)
        )
        return not_kept_dues_message(why, row.subject_name, row.subject_id, first, last)
    p: DuesParams = rule.params_on(sub.start)
    if row.reason == "duplicate":
        return duplicate_message(
            row.subject_name,
            _member_of_payment(row),
            sub,
            sorted(row.evidence),
            row.amount or Decimal(0),
        )
    if p.check == "monthly":
        quarter_end = (
            Period.containing(sub.start, PeriodUnit.QUARTER).end
            if row.detail == "quarterly"
            else None
        )
        if row.reason == "late":
            due = quarter_end or sub.end
            return monthly_message(
                sub,
                quarter_end,
                row.amount,
                paid_on=row.other_day,
                limit=_end_of_month_after(due, p.back_pay_months),
                months=p.back_pay_months,
            )
        return monthly_message(sub, quarter_end, row.amount)
    category = DuesCategory.parse(row.other_id) if row.other_id is not None else None
    schedule = next(s for s in p.schedules if category in s.categories)
    expected: Decimal | None = None
    if row.expected_amount is not None:
        if not schedule.tiers:
            expected = expected_dues(
                schedule, None, quantum=p.quantum, rounding=p.rounding, minimum=p.minimum
            )
        elif p.minimum is not None and Decimal(row.expected_amount) == p.minimum:
            expected = p.minimum  # as written, as the object engine has it
        else:
            expected = Decimal(row.expected_amount).quantize(p.quantum)
    base = Decimal(row.detail) if schedule.tiers and row.detail is not None else None
    return amount_message(
        sub,
        category,
        row.amount or Decimal(0),
        expected,
        base,
        minimum=p.minimum,
        tolerance=p.tolerance,
    )


def _member_of_payment(row: FindingRow) -> str:
    """The member of a finding about payments (its subject is a payment): the message names
    the member by name; the id goes in the message's parameters only."""
    return row.other_id or ""


DUES = TableKind(name="dues", evaluate=_evaluate_dues, message=_dues_message)


# -- lapse -------------------------------------------------------------------------------------


def _lapse_months(ctx: TableContext, p: LapseParams) -> list[Period]:
    """The months a run may lie in: back far enough for a run that ends in the first month of
    the period, but not to before the ledger's first record of the measure; only months over
    by the day of judging (as the object engine has them)."""
    start = Period.containing(ctx.period.start, PeriodUnit.MONTH)
    for _ in range(p.months - 1):
        start = start.previous()
    if p.measure == "dues":
        dp = ctx.table("dues_payments")
        first = ctx.value(dp.month.min())
    else:
        first = ctx.value(ctx.table("meetings").date.min())
    if first is not None and not _is_null(first):
        start = max(start, Period.containing(_as_date(first), PeriodUnit.MONTH))
    months: list[Period] = []
    current = start
    while current.start <= ctx.period.end:
        if current.end < ctx.as_of:
            months.append(current)
        current = current.next()
    return months


def _is_null(value: Any) -> bool:
    return bool(value != value)  # a NaN or NaT from a backend's empty aggregate


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # a pandas Timestamp


def _month_number(day: Any) -> Any:
    """The month of ``day`` (a date column) as a number: ``year * 12 + month``, so that
    consecutive months have consecutive numbers."""
    return day.year().cast("int64") * 12 + day.month().cast("int64")


def _bounds(spans: Any, months: list[Period]) -> dict[str, Any]:
    """For each member of ``spans`` (with ``span_start`` and ``span_end``, not ``span_never``)
    the months of ``months`` (by index) they were a member for the whole of, ``lo`` to ``hi``
    (none when ``lo > hi``), and ``y_any``: whether they were a member on the last day of some
    month (:meth:`TableContext.within`).

    Computed from the span's days by month arithmetic: no row a member and month."""
    lib = ibis()
    lit = lib.literal
    start, end = spans.span_start, spans.span_end
    day = lib.interval(days=1)
    if not months:
        return {"lo": lit(0, type="int64"), "hi": lit(-1, type="int64"), "y_any": lit(False)}
    base = months[0].start.year * 12 + months[0].start.month
    last = len(months) - 1
    # the first month that begins on or after the span's first day: the month after the day
    # before it
    lo = lib.cases(
        (start.isnull() | (start <= months[0].start), lit(0, type="int64")),
        else_=_month_number((start - day).cast("date")) + 1 - base,
    )
    # the last month that ends on or before the span's last day: the month before the day
    # after it
    hi = lib.cases(
        (end.isnull() | (end >= months[-1].end), lit(last, type="int64")),
        else_=_month_number((end + day).cast("date")) - 1 - base,
    )
    # the first month that ends on or after the span's first day is the month of that day
    first_end = lib.cases(
        (start.isnull() | (start <= months[0].end), lit(0, type="int64")),
        else_=_month_number(start) - base,
    )
    return {"lo": lo, "hi": hi, "y_any": first_end <= hi}


_WORD = 52
"""How many months one word holds as bits: summed as doubles (which hold every integer below
2**53 exactly), kept as a 64-bit integer."""


def _masks(ctx: TableContext, p: LapseParams, months: list[Period]) -> tuple[Any, int]:
    """Each member's months of ``months`` that break a run, as bits (bit ``i % _WORD`` of word
    ``i // _WORD`` for month ``i``): ``r_member``; ``x0``, ``x1``… the months with a record of
    the measure (paid, attended, or a meeting without names the member may have attended); for
    organisational life ``a0``, ``a1``… the months the member attended (for dues: the same).
    And how many words.

    One row a member: the records are read once, grouped by member (no table of members ×
    months). The bits are summed: a member has one row a month in both tables read
    (:func:`_grouped` groups by member and month, :meth:`TableContext.attendance_months` has
    each once), and a sum is an aggregate every backend has (Ibis compiles no ``bit_or`` for
    Spark); as doubles, because PostgreSQL sums a bigint as a numeric, which has no ``&``."""
    lib = ibis()
    lit = lib.literal
    base = months[0].start.year * 12 + months[0].start.month if months else 0
    if p.measure == "dues":
        g = _grouped(ctx)
        recs = g.select(r_member="p_member", r_idx=_month_number(g.p_month) - base)
    else:
        att = ctx.attendance_months()
        recs = att.select(
            r_member="member",
            r_idx=_month_number(att.month) - base,
            r_attended=att.state == lit("attended"),
        )
    recs = recs.filter((recs.r_idx >= 0) & (recs.r_idx < len(months)))
    words = (len(months) + _WORD - 1) // _WORD
    two, zero = lit(2, type="int64"), lit(0, type="float64")
    bits: dict[str, Any] = {}
    for w in range(words):
        here = (recs.r_idx >= w * _WORD) & (recs.r_idx < (w + 1) * _WORD)
        # a power of two (a double), not a shift: PostgreSQL shifts only a bigint by an
        # integer, and a literal 1 is an integer there
        bit = two ** (recs.r_idx - w * _WORD)
        bits[f"x{w}"] = lib.cases((here, bit), else_=zero).sum().cast("int64")
        if p.measure != "dues":
            attended = lib.cases((here & recs.r_attended, bit), else_=zero)
            bits[f"a{w}"] = attended.sum().cast("int64")
    return recs.group_by("r_member").aggregate(**bits), words


def _longest(lo: Any, hi: Any, words: list[Any], p: LapseParams, months: int, since: int) -> Any:
    """The longest run of at least ``p.months`` months (of ``months``, by index) between
    ``lo`` and ``hi`` and without a bit of ``words`` (the months that break it: see
    :func:`_masks`), ending at month ``since`` or later (the first of the longest):
    :func:`~dangjian.rules.kinds.dues._longest_run`. Its first month's index and its length,
    or empty.

    Tried length by length from the longest, and for each from the first month: the first
    stretch of months with no bit set is the run. A stretch no longer than the longest run
    fits within it, so that run is found first; one of the same length is the run itself.

    As one number (:func:`_run_of` takes it apart): one expression tells both. Only a member
    with a stretch of ``p.months`` (the shortest run) is tried further: most have none, and
    each length tried is a test a member."""
    lib = ibis()
    lit = lib.literal

    def free(i: int, k: int) -> Any:
        """Whether months ``i`` to ``i + k - 1`` lie between ``lo`` and ``hi``, none set."""
        bits = ((1 << k) - 1) << i
        cond = (lo <= i) & (hi >= i + k - 1)
        for w, word in enumerate(words):
            part = (bits >> (w * _WORD)) & ((1 << _WORD) - 1)
            if part:
                cond = cond & ((word & lit(part, type="int64")) == 0)
        return cond

    def starts(k: int) -> range:
        """The first months of the stretches of ``k`` months that end at ``since`` or later."""
        return range(max(0, since - k + 1), months - k + 1)

    branches = [
        (free(i, k), lit(k * (months + 1) + i, type="int64"))
        for k in range(months, p.months - 1, -1)
        for i in starts(k)
    ]
    if not branches:
        return lit(None, type="int64")
    shortest = functools.reduce(lambda a, b: a | b, [free(i, p.months) for i in starts(p.months)])
    fits = (hi - lo >= p.months - 1) & (hi >= since) & shortest
    return lib.cases((fits, lib.cases(*branches)), else_=lit(None, type="int64"))


def _run_of(code: Any, months: int) -> tuple[Any, Any]:
    """The first month's index and the length of the run :func:`_longest` gives as ``code``."""
    return code % (months + 1), code // (months + 1)


def _evaluate_lapse(ctx: TableContext, rule: Rule) -> Any:
    lib = ibis()
    lit = lib.literal
    p: LapseParams = rule.params_on(ctx.period.start)
    members = _members(ctx, rule)
    if not rule.in_force.overlaps(ctx.period.start, ctx.period.end):
        return _empty(ctx, rule)
    undated = members.filter(ctx.left_undated(members, ctx.period.end))
    parts = [
        ctx.rows(
            rule,
            undated,
            **_subject(undated),
            **_whole_period(ctx),
            status=Status.UNKNOWN.value,
            gap=Gap.DATES_MISSING.value,
            reason="undated",
            detail=undated.status,
        )
    ]
    spans = members.filter(
        ~ctx.left_undated(members, ctx.period.end)
        & ~members.span_never
        & (members.span_start.isnull() | (members.span_start <= ctx.period.end))
        & (members.span_end.isnull() | (members.span_end >= ctx.period.start))
    )
    months = _lapse_months(ctx, p)
    table = ctx.memtable(
        {
            "idx": list(range(len(months))),
            "m_start": [x.start for x in months],
            "m_end": [x.end for x in months],
        },
        {"idx": "int64", "m_start": "date", "m_end": "date"},
    )
    since = next((i for i, x in enumerate(months) if x.end >= ctx.period.start), len(months))
    spans = spans.mutate(**_bounds(spans, months))
    masks, words = _masks(ctx, p, months)
    grid = spans.left_join(masks, spans.id == masks.r_member).select(
        spans,
        *[masks[f"x{w}"] for w in range(words)],
        *[masks[c] for c in masks.columns if c.startswith("a")],
    )
    # the ledger's records of the measure, of the member's organisation
    kind = "dues_payments" if p.measure == "dues" else "meetings"
    kept, keeps_any = ctx.keeps(kind)
    kept = kept.select(k_branch="branch").view()
    grid = grid.left_join(kept, grid.branch == kept.k_branch).select(
        grid, kept=kept.k_branch.notnull()
    )
    zero = lit(0, type="int64")
    records = [grid[f"x{w}"].fill_null(zero) for w in range(words)]
    attended = (
        records if p.measure == "dues" else [grid[f"a{w}"].fill_null(zero) for w in range(words)]
    )
    # absent-or-unknown: only the months the member attended break a run
    grid = grid.mutate(u_code=_longest(grid.lo, grid.hi, attended, p, len(months), since))
    # absent only: every month with a record breaks a run (of dues: the months paid, as above);
    # of an organisation whose records are not kept no month is absent
    worst = (
        grid.u_code
        if p.measure == "dues"
        else _longest(grid.lo, grid.hi, records, p, len(months), since)
    )
    grid = grid.mutate(w_code=lib.cases((grid.kept, worst), else_=lit(None, type="int64")))
    w_first, w_n = _run_of(grid.w_code, len(months))
    u_first, u_n = _run_of(grid.u_code, len(months))
    grid = grid.mutate(w_first=w_first, w_n=w_n, u_first=u_first, u_n=u_n)
    grid = grid.mutate(
        run_first=grid.w_first.fill_null(grid.u_first), run_n=grid.w_n.fill_null(grid.u_n)
    )
    starts = table.select(f_idx="idx", f_start="m_start").view()
    grid = grid.left_join(starts, grid.run_first == starts.f_idx).select(grid, "f_start")
    orgs = ctx.table("branches").select(n_id="id", n_name="name").view()
    grid = grid.left_join(orgs, grid.branch == orgs.n_id).select(
        grid, org_name=orgs.n_name.fill_null(grid.branch)
    )
    meetings = _run_meetings(ctx, grid.filter(grid.w_n.isnull() & grid.u_n.notnull()), table)
    grid = grid.left_join(meetings, grid.id == meetings.g_id).select(
        grid, "g_detail", "g_count", "g_ids", "g_counts_only"
    )
    failed = grid.w_n.notnull()
    in_doubt = ~failed & grid.u_n.notnull()
    not_kept = in_doubt & ~grid.kept
    over = ctx.period.end < ctx.as_of
    reason = lib.cases(
        (failed, lit("lapsed")),
        (not_kept, lit("not_kept")),
        (in_doubt & grid.g_counts_only, lit("counts_only")),
        (in_doubt, lit("nameless")),
        (~grid.y_any.fill_null(False), lit("not_member")),
        else_=lit(None, type="string"),
    )
    status = lib.cases(
        (failed, lit(Status.FAILED.value)),
        (in_doubt, lit(Status.UNKNOWN.value)),
        (~grid.y_any.fill_null(False), lit(Status.NOT_APPLICABLE.value)),
        else_=lit(Status.PASSED.value if over else Status.PENDING.value),
    )
    parts.append(
        ctx.rows(
            rule,
            grid,
            **_subject(grid),
            **_whole_period(ctx),
            status=status,
            gap=lib.cases(
                (not_kept, lit(Gap.NOT_KEPT.value)),
                (in_doubt, lit(Gap.COUNTS_ONLY.value)),
                else_=lit(None, type="string"),
            ),
            reason=reason,
            evidence=lib.cases((in_doubt & ~not_kept, ids_or_empty(grid.g_ids)), else_=EMPTY_IDS()),
            other_day=lib.cases((failed | in_doubt, grid.f_start), else_=lit(None, type="date")),
            count=lib.cases((failed | in_doubt, grid.run_n), else_=lit(None, type="int64")),
            expected=grid.g_count,
            detail=lib.cases(
                (not_kept & lit(keeps_any), grid.org_name),
                (in_doubt & ~not_kept, grid.g_detail),
                else_=lit(None, type="string"),
            ),
        )
    )
    return union_all(parts)


def _whole_period(ctx: TableContext) -> dict[str, Any]:
    return {
        "period": str(ctx.period),
        "period_start": ctx.period.start,
        "period_end": ctx.period.end,
    }


def _run_meetings(ctx: TableContext, runs: Any, months: Any) -> Any:
    """For each member of ``runs`` (with ``run_first`` and ``run_n``), the meetings recorded
    without names that make the months of the run unknown: ``g_id``, ``g_ids``, ``g_count``,
    ``g_counts_only`` (every one records how many were present), ``g_detail`` (the first
    :data:`~dangjian.rules.kinds.dues._SHOWN`, by day and id, as :func:`_meeting_text`)."""
    lib = ibis()
    lit = lib.literal
    bounds = months.select(b_idx="idx", b_start="m_start").view()
    runs = runs.select("id", "branch", "run_first", "run_n")
    runs = runs.join(bounds, runs.run_first == bounds.b_idx).select(
        runs, first_month=bounds.b_start
    )
    ends = months.select(e_idx="idx", e_start="m_start").view()
    runs = runs.join(ends, (runs.run_first + runs.run_n - 1) == ends.e_idx).select(
        runs, last_month=ends.e_start
    )
    unsure = ctx.nameless_attendance()
    unsure = unsure.select(
        u_member="member",
        u_month="month",
        meeting="meeting",
        date="date",
        kind="kind",
        u_branch="branch",
        present_count="present_count",
    ).view()
    found = runs.join(
        unsure,
        (runs.id == unsure.u_member)
        & (unsure.u_month >= runs.first_month)
        & (unsure.u_month <= runs.last_month),
    )
    orgs = ctx.table("branches").select(o_id="id", o_name="name").view()
    found = found.left_join(orgs, found.u_branch == orgs.o_id).select(found, o_name=orgs.o_name)
    found = found.mutate(
        seq=lib.row_number().over(group_by=found.id, order_by=[found.date, found.meeting])
    )
    text = _meeting_text(found)
    shown = [
        lib.cases((found.seq == i, text), else_=lit(None, type="string")).max()
        for i in range(_SHOWN)
    ]
    grouped = found.group_by(g_id=found.id).aggregate(
        g_ids=found.meeting.collect(),
        g_count=found.meeting.count(),
        g_counts_only=one_if(found.present_count.isnull()).sum() == 0,
        s0=shown[0],
        s1=shown[1],
        s2=shown[2],
    )
    detail = grouped.s0
    for column in (grouped.s1, grouped.s2):
        detail = lib.cases((column.notnull(), detail + _SEP + column), else_=detail)
    return grouped.select("g_id", "g_ids", "g_count", "g_counts_only", g_detail=detail).view()


def _meeting_text(found: Any) -> Any:
    """A meeting as text for a message: its day, kind, organisation and the organisation's name,
    or only its day and kind when it is the member's own organisation's."""
    lib = ibis()
    own = found.u_branch == found.branch
    org = found.u_branch + _FIELD + found.o_name.fill_null(found.u_branch)
    return lib.cases(
        (own, found.date.cast("string") + _FIELD + found.kind),
        else_=found.date.cast("string") + _FIELD + found.kind + _FIELD + org,
    )


def _lapse_message(rule: Rule, row: FindingRow) -> Message:
    p: LapseParams = rule.params_on(Period.parse(row.period or "").start)
    if row.reason == "undated":
        need = lapse_need(p)
        return undated_message(
            need, row.subject_name, row.subject_id, MemberStatus.parse(row.detail or "")
        )
    run = None
    if row.other_day is not None:
        first = _month(row.other_day)
        last = first
        for _ in range((row.count or 1) - 1):
            last = last.next()
        run = (first, last, row.count or 0)
    why = None
    if row.reason == "not_kept":
        kind = "dues_payments" if p.measure == "dues" else "meetings"
        why = (
            not_kept_message(kind)
            if row.detail is None
            else not_kept_message(kind, row.detail, row.subject_branch)
        )
    labels: list[Message] = []
    if row.reason in ("counts_only", "nameless") and row.detail:
        for item in row.detail.split(_SEP):
            fields = item.split(_FIELD)
            day, kind_code = dt.date.fromisoformat(fields[0]), MeetingKind.parse(fields[1])
            if len(fields) == 2:
                labels.append(meeting_label(day, kind_code))
            else:
                labels.append(meeting_label(day, kind_code, fields[3], fields[2]))
    return lapse_message(
        p,
        row.reason,
        row.subject_name,
        row.subject_id,
        run=run,
        why=why,
        meetings=(labels, row.expected or 0),
    )


LAPSE = TableKind(name="lapse", evaluate=_evaluate_lapse, message=_lapse_message)
