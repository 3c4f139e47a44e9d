"""The table schema (dangjian.tables.schema) derived from the field declarations."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from typing import Any

from dangjian import RECORD_KINDS, Ledger
from dangjian.model import Milestones, fields
from dangjian.tables import table, tables


def _entities() -> list[type[Any]]:
    out: list[type[Any]] = []

    def visit(cls: type[Any]) -> None:
        if cls not in out:
            out.append(cls)
            for f in fields(cls):
                if f.record is not None:
                    visit(f.record)

    for kind in RECORD_KINDS:
        visit(kind.cls)
    return out


def test_one_table_per_record_kind_in_ledger_order() -> None:
    tops = [t for t in tables() if t.parent is None]
    assert [t.name for t in tops] == [k.field for k in RECORD_KINDS]
    for t, kind in zip(tops, RECORD_KINDS, strict=True):
        assert t.cls is kind.cls and t.key == ("id",) and t.label == kind.label


def test_every_field_of_every_entity_is_in_exactly_one_place() -> None:
    places: Counter[tuple[type[Any], str]] = Counter()
    for t in tables():
        places.update(c.source for c in t.columns if c.source is not None)
        if t.source is not None and t.cls is not None:
            places[t.source] += 1  # a list of records is its table
    expected = {
        (cls, f.name)
        for cls in _entities()
        for f in fields(cls)
        if not (f.record is not None and not f.many)  # a single nested record: its fields
    }
    assert set(places) == expected
    assert [p for p, n in places.items() if n != 1] == []
    assert not any(cls is Ledger for cls, _ in places)


def test_names_keys_and_parents_fit_together() -> None:
    names = [t.name for t in tables()]
    assert len(names) == len(set(names))
    by_name = {t.name: t for t in tables()}
    for t in tables():
        columns = [c.name for c in t.columns]
        assert len(columns) == len(set(columns)), t.name
        assert columns[: len(t.key)] == list(t.key), t.name
        assert all(not t.column(k).nullable for k in t.key), t.name
        if t.parent is None:
            assert t.parent_key == () and t.source is None
            continue
        parent = by_name[t.parent]
        assert t.name.startswith(parent.name + ".")
        assert len(t.parent_key) == len(parent.key), t.name
        assert t.key == (*t.parent_key, "index")
        for mine, theirs in zip(t.parent_key, parent.key, strict=True):
            assert t.column(mine).type is parent.column(theirs).type, t.name


def test_references_are_the_declared_ones_and_point_at_record_tables() -> None:
    keyed = {t.name for t in tables() if t.key == ("id",)}
    found = set()
    for t in tables():
        for r in t.references:
            assert r.table in keyed, f"{t.name}.{r.column} → {r.table}"
            found.add((t.column(r.column).source, r.table))
    declared = {((cls, f.name), f.target) for cls in _entities() for f in fields(cls) if f.target}
    assert found == declared


def test_nested_lists_become_child_tables() -> None:
    transfers = table("members.transfers")
    assert transfers.parent == "members" and transfers.parent_key == ("member",)
    assert transfers.column("member").label == "党员编号"
    donations = table("pairings.visits.donations")
    assert donations.parent_key == ("pairing", "visits_index")
    applied = table("members").column("milestones.applied")
    assert applied.source == (Milestones, "applied") and applied.nullable


def test_the_schema_needs_no_table_engine() -> None:
    code = (
        "import sys, dangjian.tables.schema as s; s.tables(); "
        "print(sorted(m for m in ('ibis', 'pandas', 'duckdb') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
