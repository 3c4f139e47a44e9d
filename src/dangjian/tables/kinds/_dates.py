"""Expressions about days shared by the table kinds of records judged one by one: the month a
day falls in, whether a rule is in force on it, which of its parameters apply then."""

from __future__ import annotations

from typing import Any

from dangjian.model.enums import LabelledEnum
from dangjian.rules.schema import Rule
from dangjian.tables.kinds._common import ibis

__all__ = ["in_force_on", "label_of", "month_of", "version_of"]


def month_of(day: Any) -> dict[str, Any]:
    """The month ``day`` (a date column) falls in, as the columns ``period`` (``2020-06``),
    ``period_start`` and ``period_end`` of a findings table: ``Period.containing(day, MONTH)``."""
    lit = ibis().literal
    year, month = day.year(), day.month()
    start = ibis().date(year, month, 1)
    # the day before the first of the next month; December's last day given, so that no day
    # past the calendar's end (9999-12-31) is ever computed
    end = ibis().cases(
        (month == 12, ibis().date(year, lit(12), lit(31))),
        else_=(ibis().date(year, month + 1, 1) - ibis().interval(days=1)).cast("date"),
    )
    code = year.cast("string").lpad(4, "0") + lit("-") + month.cast("string").lpad(2, "0")
    return {"period": code, "period_start": start, "period_end": end}


def in_force_on(rule: Rule, day: Any) -> Any:
    """Whether ``rule`` is in force on ``day`` (a date column): ``rule.in_force.covers``."""
    keep = ibis().literal(True)
    if rule.in_force.since is not None:
        keep &= day >= rule.in_force.since
    if rule.in_force.until is not None:
        keep &= day <= rule.in_force.until
    return keep


def version_of(rule: Rule, day: Any) -> Any:
    """The position in ``rule.versions`` of the parameters in force on ``day`` (a date column):
    the last version whose ``since`` is not after it, as :meth:`Rule.params_on
    <dangjian.rules.schema.Rule.params_on>` chooses."""
    lit = ibis().literal
    cases = [
        (day >= version.since, lit(i, type="int64"))
        for i, version in reversed(list(enumerate(rule.versions)))
        if i > 0 and version.since is not None
    ]
    if not cases:
        return lit(0, type="int64")
    return ibis().cases(*cases, else_=lit(0, type="int64"))


def label_of(code: Any, enum: type[LabelledEnum]) -> Any:
    """The Chinese label of a column of an enumeration's codes (``.value``)."""
    lit = ibis().literal
    return ibis().cases(
        *((code == member.value, lit(member.label)) for member in enum),
        else_=lit(None, type="string"),
    )
