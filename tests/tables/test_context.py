"""The table context's shared tables equal the object context's answers they stand for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


_SMALL_SCHEMA = {
    "text": "string",
    "number": "int64",
    "flag": "boolean",
    "day": "date",
    "money": "decimal(38, 10)",
}


@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(max_size=8), st.just("a\x00'")),
            st.one_of(st.none(), st.integers(-(2**62), 2**62)),
            st.one_of(st.none(), st.booleans()),
            st.one_of(st.none(), st.dates()),
            st.one_of(
                st.none(),
                st.decimals(min_value=-(10**20), max_value=10**20, places=10, allow_nan=False),
            ),
        ),
        max_size=5,
    )
)
@settings(max_examples=examples(25), deadline=None)
def test_a_small_table_holds_its_values_on_duckdb_as_through_arrow(
    rows: list[tuple[object, ...]],
) -> None:
    """The table of Python values made from SQL literals (quotes, empty text, extreme numbers and
    days, exact decimals, no rows; a text with a NUL character goes through Arrow) reads back
    with its values."""
    con, tables = on_duckdb(Ledger(name="空"))
    ctx = TableContext(con, tables, Period.parse("2020"), dt.date(2021, 1, 31))
    data = {name: [r[i] for r in rows] for i, name in enumerate(_SMALL_SCHEMA)}
    small = ctx.memtable(data, _SMALL_SCHEMA)
    assert small.schema() == ibis_schema(_SMALL_SCHEMA)
    assert con.to_pyarrow(small).to_pylist() == [
        dict(zip(_SMALL_SCHEMA, r, strict=True)) for r in rows
    ]


def ibis_schema(schema: dict[str, str]) -> object:
    import ibis

    return ibis.schema(schema)


def test_a_large_table_of_values_goes_through_arrow_with_the_same_rows() -> None:
    from dangjian.tables import context

    con, tables = on_duckdb(Ledger(name="空"))
    ctx = TableContext(con, tables, Period.parse("2020"), dt.date(2021, 1, 31))
    pytest.importorskip("pandas")  # (before, more are made from literals)
    n = context._SMALL_ROWS + 1
    data = {"number": list(range(n)), "text": [f"x'{i}" for i in range(n)]}
    schema = {"number": "int64", "text": "string"}
    large = ctx.memtable(data, schema)
    small = ctx.memtable({k: v[:-1] for k, v in data.items()}, schema)
    assert "dangjian_small_" not in large.get_name() and "dangjian_small_" in small.get_name()
    assert con.to_pyarrow(large.order_by("number")).to_pydict()["text"][:-1] == data["text"][:-1]
    assert con.to_pyarrow(small.order_by("number")).to_pydict() == {
        k: v[:-1] for k, v in data.items()
    }


@pytest.mark.parametrize("pandas_imported", [True, False])
def test_more_values_are_made_from_literals_while_pandas_is_not_imported(
    pandas_imported: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arrow would import pandas to make the table: until something else has, up to
    ``_BEFORE_PANDAS_ROWS`` rows are made from SQL literals, with the same values."""
    import sys

    from dangjian.tables import context

    con, tables = on_duckdb(Ledger(name="空"))
    ctx = TableContext(con, tables, Period.parse("2020"), dt.date(2021, 1, 31))
    if pandas_imported:
        pytest.importorskip("pandas")
    else:
        monkeypatch.delitem(sys.modules, "pandas", raising=False)
    n = context._SMALL_ROWS + 1
    data = {"number": list(range(n)), "text": [f"x'{i}" for i in range(n)]}
    made = ctx.memtable(data, {"number": "int64", "text": "string"})
    assert ("dangjian_small_" in made.get_name()) is not pandas_imported
    assert ("pandas" in sys.modules) is pandas_imported
    assert context.arrow_of(con, made.order_by("number")).to_pydict() == data
    assert ("pandas" in sys.modules) is pandas_imported


def test_a_check_on_duckdb_imports_no_pandas(tmp_path: Path) -> None:
    """Ibis converts results through pandas, and Arrow imports it to make a table of Python
    values: the check reads around both (a third of a second of a small check)."""
    import subprocess
    import sys

    from dangjian.tables.parquet import export
    from tests.builders.example import AS_OF, PERIOD, example_ledger

    export(example_ledger(), tmp_path / "tables")
    script = (
        "import sys, datetime\n"
        "from dangjian.tables import check\n"
        f"r = check({str(tmp_path / 'tables')!r}, {PERIOD!r}, as_of=datetime.date.fromisoformat("
        f"{AS_OF.isoformat()!r}))\n"
        "assert len(r) > 0 and r.counts()\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
