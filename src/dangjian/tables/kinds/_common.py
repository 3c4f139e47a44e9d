"""Small helpers shared by the table kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dangjian._optional import require

if TYPE_CHECKING:
    from dangjian.model.enums import LabelledEnum
    from dangjian.periods import Period
    from dangjian.rules.schema import Rule

__all__ = [
    "EMPTY_IDS",
    "add_months",
    "branch_subject",
    "days_in_month",
    "earliest",
    "first_of_month",
    "ibis",
    "ids_or_empty",
    "in_force",
    "iso",
    "label_of",
    "month_of",
    "months_between",
    "one_if",
    "param_of_version",
    "param_on",
    "period_columns",
    "row_version",
    "subject",
    "union_all",
    "within",
]


def ibis() -> Any:
    """The ``ibis`` module (the ``tables`` extra)."""
    return require("ibis", "tables")


def ids_or_empty(column: Any) -> Any:
    """A collected list of ids, empty where nothing was collected (a left join's ``NULL``)."""
    return column.fill_null(EMPTY_IDS())


def EMPTY_IDS() -> Any:
    """An empty list of ids, typed.

    Made as an empty list of integers cast to strings: a typed empty literal compiles to a bare
    ``ARRAY[]``, which PostgreSQL cannot type; the cast keeps its type on every backend."""
    return ibis().literal([], type="array<int64>").cast("array<string>")


def union_all(parts: list[Any]) -> Any:
    """The rows of all ``parts`` (tables of one schema, at least one), duplicates kept."""
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part, distinct=False)
    return out


def one_if(condition: Any) -> Any:
    """1 where ``condition`` holds, else 0 (``NULL`` too), as an integer column to sum: a
    boolean does not cast to an integer on every backend (PostgreSQL refuses)."""
    lit = ibis().literal
    return ibis().cases((condition, lit(1, type="int64")), else_=lit(0, type="int64"))


def subject(kind: str, id_: Any, name: Any, branch: Any) -> dict[str, Any]:
    """The ``subject_*`` columns of a findings row: the subject's kind (``member``,
    ``meeting``…), its id, name and the id of the organisation it belongs to (expressions)."""
    return {
        "subject_kind": ibis().literal(kind),
        "subject_id": id_,
        "subject_name": name,
        "subject_branch": branch,
    }


def period_columns(period: Period) -> dict[str, Any]:
    """The columns ``period``, ``period_start`` and ``period_end`` of a findings row about the
    whole of ``period``."""
    return {"period": str(period), "period_start": period.start, "period_end": period.end}


def branch_subject(id_: Any, name: Any) -> dict[str, Any]:
    """The ``subject_*`` columns of a findings row about an organisation: :func:`subject` of
    kind ``branch``, which belongs to itself."""
    return subject("branch", id_, name, id_)


# -- dates -------------------------------------------------------------------------------------

_LAST_DATE = dt.date.max
_FIRST_DATE = dt.date.min


def days_in_month(year: Any, month: Any) -> Any:
    """The number of days of the month ``month`` (1–12) of ``year`` (integer columns), by the
    Gregorian rules: portable arithmetic, no date functions."""
    ib = ibis()
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return ib.cases(
        (month == 2, ib.cases((leap, 29), else_=28)),
        (month.isin([4, 6, 9, 11]), 30),
        else_=31,
    ).cast("int64")


def _date(year: Any, month: Any, day: Any) -> Any:
    """The date of three integer expressions, given as 32-bit integers: PostgreSQL's
    ``make_date`` takes no others."""
    return ibis().date(year.cast("int32"), month.cast("int32"), _int(day).cast("int32"))


def _int(x: Any) -> Any:
    return x if isinstance(x, ibis().Expr) else ibis().literal(x, type="int64")


def add_months(day: Any, months: Any) -> Any:
    """:func:`dangjian.rules.kinds._common.add_months` as an expression: the same day of the
    month ``months`` later (a column or an int), kept within the month (Jan 31 + 1 → Feb 29);
    past the calendar's range, its last (or first) day."""
    ib = ibis()
    index = (day.year() * 12 + day.month() - 1 + months).cast("int64")
    year = (index // 12).cast("int64")
    month = (index % 12 + 1).cast("int64")
    safe_year = ib.greatest(ib.least(year, _LAST_DATE.year), _FIRST_DATE.year)
    last = days_in_month(safe_year, month)
    made = _date(safe_year, month, ib.least(day.day().cast("int64"), last))
    return ib.cases(
        (year > _LAST_DATE.year, ib.literal(_LAST_DATE)),
        (year < _FIRST_DATE.year, ib.literal(_FIRST_DATE)),
        else_=made,
    ).cast("date")


def months_between(start: Any, end: Any) -> Any:
    """:func:`dangjian.rules.kinds._common.months_between` as an expression: whole months from
    ``start`` to ``end`` (how many times :func:`add_months` fits)."""
    ib = ibis()
    months = ((end.year() - start.year()) * 12 + end.month() - start.month()).cast("int64")
    return ib.cases((add_months(start, months) > end, months - 1), else_=months).cast("int64")


def first_of_month(day: Any) -> Any:
    """The first day of the month of ``day`` (a date column): the month as the tables hold it
    (:class:`~dangjian.model.Month`)."""
    return _date(day.year(), day.month(), 1).cast("date")


def month_of(day: Any) -> dict[str, Any]:
    """The month containing ``day`` as the columns ``period`` (``2020-03``), ``period_start``
    and ``period_end`` of a findings row (``Period.containing(day, PeriodUnit.MONTH)``)."""
    year = day.year().cast("int64")
    month = day.month().cast("int64")
    code = year.cast("string").lpad(4, "0").concat("-", month.cast("string").lpad(2, "0"))
    return {
        "period": code,
        "period_start": first_of_month(day),
        "period_end": _date(year, month, days_in_month(year, month)).cast("date"),
    }


def iso(day: Any) -> Any:
    """A date column as its ISO text (``2020-03-01``), to carry a date in a text column; empty
    where the date is."""
    year = day.year().cast("int64").cast("string").lpad(4, "0")
    month = day.month().cast("int64").cast("string").lpad(2, "0")
    dom = day.day().cast("int64").cast("string").lpad(2, "0")
    # empty stays empty (DuckDB's concat would skip the NULLs and make "--")
    return ibis().cases(
        (day.notnull(), year.concat("-", month, "-", dom)), else_=ibis().null("string")
    )


# -- rules -------------------------------------------------------------------------------------


def row_version(rule: Rule, day: Any) -> Any:
    """The position in ``rule.versions`` of the parameters in force on ``day`` (a date column),
    row by row: the last version whose ``since`` is not after it, as :meth:`Rule.params_on
    <dangjian.rules.schema.Rule.params_on>` chooses (the first where ``day`` is empty).
    :func:`dangjian.tables.context.version_on` is the same for one Python day."""
    ib = ibis()
    cases = [
        (day >= v.since, ib.literal(i, type="int64"))
        for i, v in reversed(list(enumerate(rule.versions)))
        if i > 0 and v.since is not None
    ]
    zero = ib.literal(0, type="int64")
    return ib.cases(*cases, else_=zero) if cases else zero


def param_on(rule: Rule, day: Any, value: Callable[[Any], Any], type_: str) -> Any:
    """A value of the parameters in force on ``day`` (a column): ``value(params)`` of the
    version :func:`row_version` chooses, typed ``type_``."""
    if len(rule.versions) == 1:
        return ibis().literal(value(rule.versions[0].params), type=type_)
    return param_of_version(rule, row_version(rule, day), value, type_)


def param_of_version(rule: Rule, version: Any, value: Callable[[Any], Any], type_: str) -> Any:
    """``value(params)`` of the version of ``rule`` at position ``version`` (an integer column,
    as :func:`row_version` gives), typed ``type_``; the first version's where none matches."""
    ib = ibis()
    values = [ib.literal(value(v.params), type=type_) for v in rule.versions]
    if len(values) == 1:
        return values[0]
    return ib.cases(*((version == i, x) for i, x in enumerate(values[1:], 1)), else_=values[0])


def in_force(rule: Rule, day: Any) -> Any:
    """Whether ``rule`` is in force on ``day`` (a column): :meth:`InForce.covers
    <dangjian.rules.schema.InForce.covers>`."""
    since, until = rule.in_force.since, rule.in_force.until
    keep = ibis().literal(True)
    if since is not None:
        keep &= day >= since
    if until is not None:
        keep &= day <= until
    return keep


def label_of(code: Any, enum: type[LabelledEnum]) -> Any:
    """The Chinese label of a column of an enumeration's codes (``.value``); empty for a code
    the enumeration does not know."""
    lit = ibis().literal
    return ibis().cases(
        *((code == member.value, lit(member.label)) for member in enum),
        else_=lit(None, type="string"),
    )


def within(day: Any, start: dt.date, end: dt.date) -> Any:
    """Whether ``day`` (a column) lies from ``start`` to ``end``."""
    return (day >= start) & (day <= end)


def earliest(*days: Any) -> Any:
    """The earliest of the non-empty ``days`` (columns), empty when all are: Python's
    ``min`` of the recorded ones, without relying on how a backend's ``LEAST`` treats
    ``NULL``."""
    ib = ibis()
    out = days[0]
    for day in days[1:]:
        out = ib.cases(
            (out.isnull(), day),
            (day.notnull() & (day < out), day),
            else_=out,
        )
    return out.cast("date")
