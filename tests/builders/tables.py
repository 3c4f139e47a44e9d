"""Ledgers as record tables on a backend, and the comparison of the two engines' findings.

``on_duckdb(ledger)`` puts a ledger's tables in a fresh in-memory DuckDB; ``same_findings``
checks a ledger with both engines and compares every finding: rule, subject, sub-period,
status, severity, message in both languages, evidence, citations, day, gap and waiver.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import dangjian
from dangjian import Ledger
from dangjian.findings import Finding, Waiver
from dangjian.periods import Period
from dangjian.tables import tables
from dangjian.tables.engine import evaluate
from dangjian.tables.kinds import TABLE_KINDS

__all__ = ["finding_key", "on_duckdb", "same_findings", "table_rules"]


# -- a stand-in for dangjian.tables.arrow.to_arrow until it lands (replaced at integration) --


def _val(v: Any) -> Any:
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, Period):
        return v.start
    if v is not None and type(v).__name__ == "ResidentId":
        return str(v)
    if isinstance(v, str):
        return str(v)
    return v


def _type(c: Any) -> Any:
    import pyarrow as pa

    t = c.type
    if c.name == "index" or c.name.endswith("_index"):
        return pa.int64()
    if t is dt.date:
        return pa.date32()
    if t is dt.time:
        return pa.time64("us")
    if t is bool:
        return pa.bool_()
    if t is int:
        return pa.int64()
    if t is Decimal:
        return pa.decimal128(38, 10)
    if isinstance(t, type) and issubclass(t, Period):
        return pa.date32()
    return pa.string()


def _get(rec: Any, name: str) -> Any:
    for part in name.split("."):
        if rec is None:
            return None
        rec = getattr(rec, part)
    return rec


def to_arrow(ledger: Ledger) -> dict[str, Any]:
    """The tables of ``ledger`` as Arrow tables."""
    import pyarrow as pa

    out = {}
    ts = tables()
    by = {t.name: t for t in ts}

    def rows_of(t: Any) -> list[tuple[Any, tuple[Any, ...]]]:
        if t.parent is None:
            return [(r, ()) for r in getattr(ledger, t.name)]
        parent_rows = rows_of(by[t.parent])
        field = t.source[1]
        res = []
        for prec, pkey in parent_rows:
            key = pkey if pkey else (prec.id,)
            for i, item in enumerate(getattr(prec, field)):
                res.append((item, (*key, i)))
        return res

    for t in ts:
        rows = rows_of(t)
        cols = {}
        nkey = len(t.parent_key) + 1 if t.parent else 0
        for ci, c in enumerate(t.columns):
            if t.parent and ci < nkey:
                vals = [k[ci] for _, k in rows]
            elif t.cls is None and t.parent:
                vals = [_val(r) for r, _ in rows]
            else:
                vals = [_val(_get(r, c.name)) for r, _ in rows]
            cols[c.name] = pa.array(vals, type=_type(c))
        out[t.name] = pa.table(cols)
    return out


def on_duckdb(ledger: Ledger) -> tuple[Any, dict[str, Any]]:
    """A fresh in-memory DuckDB holding ``ledger``'s tables, and the tables by layout name."""
    import ibis

    con = ibis.duckdb.connect()
    return con, {
        name: con.create_table(name, table) for name, table in to_arrow(ledger).items()
    }


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
) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """The findings both engines make of ``ledger``, keyed by :func:`finding_key`: (only the
    object engine's, only the table engine's); both empty when they agree."""
    only = table_rules(profile) if only is None else list(only)
    options: dict[str, Any] = dict(
        as_of=as_of,
        profile=profile,
        only=only,
        waivers=tuple(waivers),
        rules=tuple(rules),
        allow_unmatched=True,
    )
    objects = Counter(finding_key(f) for f in dangjian.check(ledger, period, **options))
    con, tabled = on_duckdb(ledger)
    report = evaluate(con, tabled, period, **options)
    rows = Counter(finding_key(f) for f in report)
    return objects - rows, rows - objects
