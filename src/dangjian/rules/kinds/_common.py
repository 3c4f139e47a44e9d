"""Small helpers shared by the rule kinds."""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from dangjian.findings import Finding, Status, Subject
from dangjian.i18n import Message, t
from dangjian.model import _validators as v
from dangjian.periods import Period
from dangjian.rules.texts import period_name

if TYPE_CHECKING:
    from dangjian.rules.context import Context
    from dangjian.rules.schema import Rule

__all__ = [
    "add_months",
    "fraction",
    "judge_day",
    "months_between",
    "partly_in_force",
    "partly_in_force_message",
    "ratio",
]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, kept within the month (Jan 31 + 1 → Feb 29).

    A day past the calendar's range (a rule's years added to a late date) is the last day there
    is, one before it the first: "due in 10 000 years" is never due in a ledger's lifetime.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (how many times :func:`add_months` fits)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def judge_day(period: Period, as_of: dt.date) -> dt.date:
    """The day a state (a branch's size, a committee) is judged on: the period's end, or
    the day of judging when that comes first."""
    return min(period.end, as_of)


def fraction(_: object, a: attrs.Attribute[Fraction], value: Fraction) -> None:
    """A validator: a fraction from 0 to 1."""
    if not 0 <= value <= 1:
        raise v.FieldError(a.name, t("应为0到1之间的分数"))


def ratio(value: Fraction) -> str:
    """A fraction as people write it in rules: ``1/2``, ``4/5``."""
    return f"{value.numerator}/{value.denominator}"


def partly_in_force(ctx: Context, rule: Rule, subject: Subject, sub: Period) -> Finding:
    """The finding for a sub-period the rule is in force on only part of: not judged.

    A requirement per month, quarter or year is judged only over a sub-period the rule is in
    force on every day of; one it enters or leaves part-way is not judged by it, and says so.
    """
    return ctx.finding(
        rule, Status.NOT_APPLICABLE, subject, sub, partly_in_force_message(rule, sub)
    )


def partly_in_force_message(rule: Rule, sub: Period) -> Message:
    """The message of :func:`partly_in_force` (the table engine's too)."""
    since, until = rule.in_force.since, rule.in_force.until
    if since is not None and sub.start < since:
        return t(
            "本规则自{since}起施行，{period}未全部在施行期内，不作判断",
            since=since.isoformat(),
            period=period_name(sub),
        )
    return t(
        "本规则施行至{until}，{period}未全部在施行期内，不作判断",
        until=until.isoformat() if until else "",
        period=period_name(sub),
    )
