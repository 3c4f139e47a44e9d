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
import decimal
from decimal import Decimal
from typing import Any

from dangjian.errors import DangjianError
from dangjian.findings import Gap, Severity, Status
from dangjian.i18n import Message, t
from dangjian.model import DuesCategory, Month
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import not_kept_message
from dangjian.rules.kinds.dues import (
    DuesParams,
    Schedule,
    amount_message,
    duplicate_message,
    monthly_message,
    not_kept_dues_message,
)
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext, version_on
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import ibis, ids_or_empty

__all__ = ["DUES"]

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


def _regular(ctx: TableContext) -> Any:
    """The payments of the month's dues (voluntary extras left out), each marked ``kept`` (the
    one counted of those of the same member, month, amount and base: the earliest paid, one
    without a day first, then the smallest id), ``last`` (the last of them) and ``repeats``
    (how many there are): :func:`~dangjian.rules.kinds.dues.distinct_payments`."""
    cached = ctx.memo.get("dues.regular")
    if cached is not None:
        return cached
    lib = ibis()
    dp = ctx.table("dues_payments")
    dp = dp.filter(~dp.voluntary.fill_null(False))
    same = [dp.member, dp.month, dp.amount, dp.base]
    dated = dp.paid_on.notnull()
    first = lib.row_number().over(group_by=same, order_by=[dated, dp.paid_on, dp.id])
    last = lib.row_number().over(
        group_by=same, order_by=[dated.desc(), dp.paid_on.desc(), dp.id.desc()]
    )
    table = dp.mutate(
        is_kept=first == 0, is_last=last == 0, repeats=dp.id.count().over(group_by=same)
    ).view()
    ctx.memo["dues.regular"] = table
    return table


def _paid(ctx: TableContext) -> Any:
    """For each member and month with payments of its dues: ``p_member``, ``p_month``,
    ``p_total`` (the distinct payments' sum), ``p_base`` (the highest base), ``p_evidence``,
    ``p_paid_on`` (the first day of payment, empty when a payment has no day)."""
    cached = ctx.memo.get("dues.paid")
    if cached is not None:
        return cached
    lib = ibis()
    r = _regular(ctx)
    kept = r.filter(r.is_kept)
    undated = kept.paid_on.isnull().cast("int64")
    table = (
        kept.group_by(p_member=kept.member, p_month=kept.month)
        .aggregate(
            p_total=kept.amount.sum(),
            p_base=kept.base.max(),
            p_evidence=kept.id.collect(),
            p_undated=undated.sum(),
            p_first=kept.paid_on.min(),
        )
        .mutate(
            p_paid_on=lambda x: lib.cases(
                (x.p_undated > 0, lib.literal(None, type="date")), else_=x.p_first
            )
        )
        .drop("p_undated", "p_first")
        .view()
    )
    ctx.memo["dues.paid"] = table
    return table


def _owed(ctx: TableContext, rule: Rule, members: Any) -> Any:
    """``members`` × the months they owed dues for (a party member on the month's last day)."""
    months = _months(ctx, rule)
    grid = members.cross_join(months)
    return grid.filter(ctx.within(grid.span_start, grid.span_end, grid.span_never, grid.period_end))


def _subject(expr: Any) -> dict[str, Any]:
    return {
        "subject_kind": ibis().literal("member"),
        "subject_id": expr.id,
        "subject_name": expr.name,
        "subject_branch": expr.branch,
    }


def _evaluate_dues(ctx: TableContext, rule: Rule) -> Any:
    first: DuesParams = rule.params_on(ctx.period.start)
    members = _members(ctx, rule)
    if first.check == "amount":
        # schedules of every version of the rule: a member whose category none covers is skipped
        categories = sorted(
            {c.value for v in rule.versions for s in v.params.schedules for c in s.categories}
        )
        members = members.filter(members.dues_category.isin(categories))
    owed = _owed(ctx, rule, members)
    parts = []
    if first.check == "monthly":
        # a ledger that keeps no payments of an organisation's members cannot show that any of
        # them failed to pay
        r = _regular(ctx)
        everyone = ctx.table("members").select(e_id="id", e_branch="branch")
        paying = (
            r.join(everyone, r.member == everyone.e_id)
            .select(pay_branch=everyone.e_branch)
            .distinct()
            .view()
        )
        keeps_dues = int(ctx.con.execute(r.count())) > 0
        unkept = owed.anti_join(paying, owed.branch == paying.pay_branch)
        parts.append(_not_kept_dues(ctx, rule, unkept, keeps_dues))
        owed = owed.semi_join(paying, owed.branch == paying.pay_branch)
    checks: dict[str, list[int]] = {}
    for version in _versions(ctx, rule):
        checks.setdefault(rule.versions[version].params.check, []).append(version)
    if "monthly" in checks:
        parts += _monthly(ctx, rule, owed.filter(owed.version.isin(checks["monthly"])))
    for version in checks.get("amount", []):
        parts += _amount(ctx, rule, owed.filter(owed.version == version), version)
    return _union(parts) if parts else _empty(ctx, rule)


def _monthly(ctx: TableContext, rule: Rule, judged: Any) -> list[Any]:
    """The findings of the months ``judged`` (members × months owed) under a ``monthly`` check:
    paid, unpaid, late, and payments recorded twice."""
    lib = ibis()
    lit = lib.literal
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
    dup = judged.join(
        groups, (judged.id == groups.g_member) & (judged.period_start == groups.g_month)
    )
    duplicates = ctx.rows(
        rule,
        dup,
        subject_kind=lit("payment"),
        subject_id=dup.g_last,
        subject_name=dup.name,
        subject_branch=dup.branch,
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
        period=str(ctx.period),
        period_start=ctx.period.start,
        period_end=ctx.period.end,
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
    half = lib.literal(Decimal("0.5"), type="decimal(2, 1)")
    zero = lib.literal(Decimal(0), type="decimal(2, 1)")
    if rounding == "ROUND_HALF_UP":
        up = frac >= half
    elif rounding == "ROUND_HALF_DOWN":
        up = frac > half
    elif rounding == "ROUND_HALF_EVEN":
        up = (frac > half) | ((frac == half) & (whole.cast("int64") % 2 == 1))
    elif rounding in ("ROUND_UP", "ROUND_CEILING"):
        up = frac > zero
    else:  # ROUND_DOWN, ROUND_FLOOR
        up = lib.literal(False)
    return lib.cases((up, whole + 1), else_=whole)


def _scale(value: Decimal) -> int:
    """The places after the point of a finite ``value``."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def _literal(value: Decimal) -> Any:
    """``value`` as a DECIMAL literal that holds it exactly."""
    scale = _scale(value)
    value = value.quantize(Decimal(1).scaleb(-scale))
    precision = max(len(value.as_tuple().digits), scale + 1)
    return ibis().literal(value, type=f"decimal({precision}, {scale})")


def _expected(rule: Rule, schedule: Schedule, p: DuesParams, base: Any) -> Any:
    """What ``schedule`` asks for on ``base`` (a DECIMAL column), rounded to ``p.quantum`` as
    :func:`~dangjian.rules.kinds.dues.expected_dues` does: empty when the base is needed and
    missing."""
    lib = ibis()
    null = lib.literal(None, type="decimal(38, 10)")
    if not schedule.tiers:
        if schedule.flat_min is None:
            return null
        return _literal(schedule.flat_min).cast("decimal(38, 10)")
    scale = base.type().scale or 0
    exact = base.cast(f"decimal(28, {scale})")
    cases = []
    for tier in schedule.tiers:
        # base × rate ÷ quantum, in the units of the quantum: exact when rate ÷ quantum is a
        # finite decimal (any quantum of the form 10⁻ⁿ, 2·10⁻ⁿ, 5·10⁻ⁿ …)
        with decimal.localcontext() as c:
            c.prec = 60
            c.traps[decimal.Inexact] = True
            try:
                factor = (tier.rate / p.quantum).normalize()
            except decimal.Inexact:
                raise DangjianError(
                    t(
                        "规则「{rule}」的党费费率{rate}不是计算精度{quantum}的有限小数倍，"
                        "表引擎无法精确计算应交金额",
                        rule=rule.id,
                        rate=tier.rate,
                        quantum=p.quantum,
                    )
                ) from None
        f_scale = _scale(factor)
        y = (exact * _literal(factor)).cast(f"decimal(38, {scale + f_scale})")
        owed = (_rounded(y, p.rounding) * _literal(p.quantum)).cast("decimal(38, 10)")
        cond = lib.literal(True) if tier.up_to is None else base <= _literal(tier.up_to)
        cases.append((cond, owed))
    return lib.cases((base.isnull(), null), *cases, else_=null)


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
        *((grid.dues_category == c, _expected(rule, s, p, grid.p_base)) for c, s in chosen.items()),
        else_=lit(None, type="decimal(38, 10)"),
    )
    grid = grid.mutate(x_expected=expected)
    unknown = grid.x_expected.isnull()
    status = lib.cases(
        (unknown, lit(Status.UNKNOWN.value)),
        else_=ctx.status_of(grid.p_total >= grid.x_expected, grid.pending),
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


def _union(parts: list[Any]) -> Any:
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part, distinct=False)
    return out


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
        expected = (
            Decimal(row.expected_amount).quantize(p.quantum)
            if schedule.tiers
            else schedule.flat_min
        )
    base = Decimal(row.detail) if schedule.tiers and row.detail is not None else None
    return amount_message(sub, category, row.amount or Decimal(0), expected, base)


def _member_of_payment(row: FindingRow) -> str:
    """The member of a finding about payments (its subject is a payment): the message names
    the member by name; the id goes in the message's parameters only."""
    return row.other_id or ""


DUES = TableKind(name="dues", evaluate=_evaluate_dues, message=_dues_message)
