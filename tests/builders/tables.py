"""Ledgers as record tables on a backend, and the comparison of the two engines' findings.

``on_duckdb(ledger)`` puts a ledger's tables in a fresh in-memory DuckDB; ``same_findings``
checks a ledger with both engines and compares every finding: rule, subject, sub-period,
status, severity, message in both languages, evidence, citations, day, gap and waiver.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

import dangjian
from dangjian import Ledger
from dangjian.calendar import WorkingCalendar
from dangjian.findings import Finding, Waiver
from dangjian.periods import Period
from dangjian.tables import tables
from dangjian.tables.engine import evaluate
from dangjian.tables.kinds import TABLE_KINDS

__all__ = ["finding_key", "on_duckdb", "same_findings", "table_rules"]


def on_duckdb(ledger: Ledger) -> tuple[Any, dict[str, Any]]:
    """A fresh in-memory DuckDB holding ``ledger``'s tables, and the tables by layout name."""
    return on_backend(None, ledger)


def on_backend(source: Any, ledger: Ledger) -> tuple[Any, dict[str, Any]]:
    """``ledger``'s tables put on the backend ``source`` (see
    :func:`dangjian.tables.backends.connect`), and the tables by layout name."""
    from dangjian.tables import backends
    from dangjian.tables.arrow import to_arrow

    con = backends.connect(source)
    names = {t.name for t in tables()}
    backends.create_tables(
        con, {name: table for name, table in to_arrow(ledger).items() if name in names}
    )
    return con, dict(backends.record_tables(con))


def table_rules(profile: str = "organ") -> list[str]:
    """The ids of the rules of ``profile`` whose kinds the table engine implements."""
    return [r.id for r in dangjian.load_rules(profile) if r.kind in TABLE_KINDS]


def finding_key(f: Finding) -> tuple[Any, ...]:
    """Everything a finding says, as one comparable value."""
    return (
        f.rule,
        f.subject.kind,
        f.subject.id,
        f.subject.name,
        f.subject.branch,
        str(f.period),
        f.status.value,
        f.severity.value,
        f.message,
        f.message_en,
        f.evidence,
        f.citations,
        f.day,
        f.gap,
        f.waiver,
    )


def same_findings(
    ledger: Ledger,
    period: Period | str,
    *,
    as_of: dt.date,
    profile: str = "organ",
    only: Sequence[str] | None = None,
    waivers: Sequence[Waiver] = (),
    rules: Sequence[str] = (),
    on: Any = None,
    calendar: WorkingCalendar | None = None,
) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """The findings both engines make of ``ledger``, keyed by :func:`finding_key`: (only the
    object engine's, only the table engine's); both empty when they agree. The table engine
    runs on the backend ``on`` (a source :func:`dangjian.tables.backends.connect` takes; a fresh
    DuckDB by default); both on the working ``calendar`` (by default the whole one)."""
    only = table_rules(profile) if only is None else list(only)
    options: dict[str, Any] = dict(
        as_of=as_of,
        profile=profile,
        only=only,
        waivers=tuple(waivers),
        rules=tuple(rules),
        allow_unmatched=True,
        calendar=calendar,
    )
    objects = Counter(finding_key(f) for f in dangjian.check(ledger, period, **options))
    con, tabled = on_backend(on, ledger)
    report = evaluate(con, tabled, period, **options)
    rows = Counter(finding_key(f) for f in report)
    return objects - rows, rows - objects
