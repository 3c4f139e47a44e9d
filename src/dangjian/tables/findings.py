"""Findings as rows of a table: the columns the table engine's rule kinds produce, and how a row
becomes a :class:`~dangjian.findings.Finding`.

A rule kind of the table engine (:mod:`dangjian.tables.kinds`) turns the record tables into rows
of :data:`FINDING_COLUMNS`: the verdict (status, subject, sub-period, evidence, gap) and the
values its message needs (``reason``, ``count``, ``expected``, ``amount`` …). The message itself
is made only when a finding is materialised, by the kind's ``message`` function, from the same
message-making functions the object engine uses: both engines say the same thing in the same
words.

>>> [c for c, _ in FINDING_COLUMNS][:4]
['rule', 'status', 'severity', 'subject_kind']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from dangjian.findings import Finding, Gap, Severity, Status, Subject, Waiver
from dangjian.i18n import Message
from dangjian.periods import Period
from dangjian.rules.context import evidence_order

if TYPE_CHECKING:
    from dangjian.rules.schema import Rule

__all__ = ["FINDING_COLUMNS", "FindingRow", "TableKind", "finding_of"]

FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("rule", "string"),
    ("status", "string"),
    ("severity", "string"),
    ("subject_kind", "string"),
    ("subject_id", "string"),
    ("subject_name", "string"),
    ("subject_branch", "string"),
    ("period", "string"),
    ("period_start", "date"),
    ("period_end", "date"),
    ("day", "date"),
    ("evidence", "array<string>"),
    ("gap", "string"),
    ("reason", "string"),
    ("count", "int64"),
    ("expected", "int64"),
    ("amount", "decimal(38, 10)"),
    ("expected_amount", "decimal(38, 10)"),
    ("detail", "string"),
    ("other_day", "date"),
    ("other_id", "string"),
    ("waiver", "int64"),
)
"""The columns of a findings table, with their Ibis types, in order.

- ``rule``, ``status``, ``severity``: the rule's id and the codes of
  :class:`~dangjian.findings.Status` and :class:`~dangjian.findings.Severity`.
- ``subject_kind``, ``subject_id``, ``subject_name``, ``subject_branch``: the
  :class:`~dangjian.findings.Subject`.
- ``period`` (``2020-03``, ``2020Q1``), ``period_start``, ``period_end``: the sub-period judged.
- ``day``: the day the requirement fell due; ``evidence``: the ids of the records counted;
  ``gap``: the code of :class:`~dangjian.findings.Gap`, for a finding that cannot be told.
- ``reason`` … ``other_id``: what the kind's message says — which of its messages (``reason``),
  the number found (``count``) and required (``expected``), the amounts, a detail, another day,
  another record. Each kind documents its own use of them. The amounts are exact to ten places,
  so that an amount of a record table of any scale (money is DECIMAL) passes through unchanged.
- ``waiver``: the position of the waiver that excused a failure in the check's list.
"""


@attrs.frozen(kw_only=True)
class FindingRow:
    """One row of a findings table, as Python values (``None`` where empty)."""

    rule: str
    status: str
    severity: str
    subject_kind: str
    subject_id: str
    subject_name: str
    subject_branch: str | None
    period: str | None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    day: dt.date | None = None
    evidence: tuple[str, ...] = ()
    gap: str | None = None
    reason: str | None = None
    count: int | None = None
    expected: int | None = None
    amount: Decimal | None = None
    expected_amount: Decimal | None = None
    detail: str | None = None
    other_day: dt.date | None = None
    other_id: str | None = None
    waiver: int | None = None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> FindingRow:
        """The row of a mapping of column names to values (a record of a fetched batch)."""
        given: dict[str, Any] = {
            name: values[name] for name, _ in FINDING_COLUMNS if name in values
        }
        evidence = given.get("evidence")
        given["evidence"] = tuple(evidence) if evidence is not None else ()
        return cls(**given)


Evaluate = Callable[[Any, "Rule"], Any]
"""A table kind's evaluation: from a :class:`~dangjian.tables.context.TableContext` (typed
``Any`` here, as the context's module imports this one) and a rule, an Ibis table expression
of :data:`FINDING_COLUMNS` (:meth:`TableContext.rows
<dangjian.tables.context.TableContext.rows>` makes one)."""

Describe = Callable[["Rule", FindingRow], Message]
"""A table kind's message of one row, made with the object engine's own message functions."""


@attrs.frozen
class TableKind:
    """The table implementation of a rule kind.

    Attributes:
        name: The rule kind's name (``frequency``), as in :mod:`dangjian.rules.registry`.
        evaluate: The findings of a rule, as a table expression.
        message: The message of one of its findings.
    """

    name: str
    evaluate: Evaluate
    message: Describe


def finding_of(
    row: FindingRow,
    rule: Rule,
    message: Message,
    waivers: tuple[Waiver, ...] = (),
) -> Finding:
    """The :class:`~dangjian.findings.Finding` of ``row``, with ``rule``'s citations in force
    then, as :meth:`Context.finding <dangjian.rules.context.Context.finding>` makes it."""
    period = Period.parse(row.period) if row.period is not None else None
    when = row.day or (period.start if period is not None else row.period_start)
    evidence = tuple(sorted(row.evidence, key=evidence_order))
    return Finding(
        rule=row.rule,
        status=Status.parse(row.status),
        severity=Severity.parse(row.severity),
        subject=Subject(
            kind=row.subject_kind,
            id=row.subject_id,
            name=row.subject_name,
            branch=row.subject_branch,
        ),
        period=period,
        message=message,
        evidence=evidence,
        citations=rule.citations_on(when) if when is not None else rule.citations,
        waiver=waivers[row.waiver] if row.waiver is not None else None,
        day=row.day,
        gap=Gap.parse(row.gap) if row.gap is not None else None,
    )


def rows_of(batches: Iterable[Any]) -> Iterable[FindingRow]:
    """The rows of Arrow record batches of a findings table."""
    for batch in batches:
        for record in batch.to_pylist():
            yield FindingRow.of(record)
