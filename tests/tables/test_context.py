"""The table context's shared tables equal the object context's answers they stand for."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import Ledger
from dangjian.periods import Period
from dangjian.rules.context import Context
from dangjian.tables.context import TableContext
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.tables import on_duckdb

pytest.importorskip("ibis")

_NEVER = (dt.date.max, dt.date.min)


@given(
    ledger=ds.ledgers(max_branches=3, max_members=8, max_records=1),
    year=st.integers(2015, 2022),
)
@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_member_spans_are_the_object_contexts(ledger: Ledger, year: int) -> None:
    period = Period.parse(str(year))
    as_of = period.end + dt.timedelta(days=1)
    ctx = Context(ledger, period, as_of)
    con, tables = on_duckdb(ledger)
    rows = {
        r["id"]: r
        for r in con.to_pyarrow(TableContext(con, tables, period, as_of).member_spans()).to_pylist()
    }
    for m in ledger.members:
        r = rows[m.id]
        span, full = ctx.membership_span(m), ctx.full_member_span(m)
        assert r["span_never"] == (span == _NEVER)
        if span != _NEVER:
            assert (r["span_start"], r["span_end"]) == span
        assert r["full_never"] == (full == _NEVER)
        if full != _NEVER:
            assert (r["full_start"], r["full_end"]) == full
        undated = r["undated"] and (r["undated_since"] is None or r["undated_since"] <= period.end)
        assert undated == ctx.left_undated(m, period)


@given(ledger=ds.ledgers(max_branches=4, max_members=5, max_records=2))
@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_tree_and_keeps_are_the_object_contexts(ledger: Ledger) -> None:
    period = Period.parse("2020")
    as_of = dt.date(2021, 1, 1)
    ctx = Context(ledger, period, as_of)
    con, tables = on_duckdb(ledger)
    tc = TableContext(con, tables, period, as_of)
    pairs = con.to_pyarrow(tc.tree()).to_pylist()
    below: dict[str, set[str]] = {}
    for p in pairs:
        below.setdefault(p["ancestor"], set()).add(p["descendant"])
    for b in ledger.branches:
        assert below.get(b.id, set()) == set(ctx.descendants(b.id))
    for kind in ("meetings", "talks", "trainings", "dues_payments"):
        kept, any_kept = tc.keeps(kind)
        orgs = set(con.to_pyarrow(kept).column("branch").to_pylist())
        assert any_kept == ctx.keeps(kind)
        for b in ledger.branches:
            assert (b.id in orgs) == ctx.keeps(kind, b.id), (kind, b.id)
