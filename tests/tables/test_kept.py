"""What a ledger keeps beside its records (sources, a workbook's extra columns and spellings) in
the table layout: the table ``ledger.kept`` (dangjian.tables.arrow), written and read back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import Ledger, dumps
from dangjian.errors import LedgerError
from dangjian.model.kept import ExtraCell, ExtraColumn
from dangjian.model.provenance import RecordSource
from dangjian.tables.arrow import KEPT_TABLE, from_arrow, to_arrow
from dangjian.tables.parquet import export, load
from dangjian.testing.strategies import ledgers
from tests.builders import examples
from tests.builders.sample import workbook_extras

Tables = dict[str, pa.Table]


def assert_same(back: Ledger, ledger: Ledger) -> None:
    assert back == ledger
    assert dumps(back, "json") == dumps(ledger, "json")


def kept_ledger(make_ledger: Callable[..., Ledger]) -> Ledger:
    """The sample ledger with a workbook's extras and the files its members came from."""
    plain = make_ledger()
    sources = (
        RecordSource("第一支部.xlsx", "members", tuple(m.id for m in plain.members[:2])),
        RecordSource("第二支部.xlsx", "members", tuple(m.id for m in plain.members[2:])),
    )
    return make_ledger(sources=sources, **workbook_extras())


def with_kept(given: Tables, rows: list[dict[str, Any]]) -> Tables:
    return {**given, KEPT_TABLE: pa.Table.from_pylist(rows, schema=given[KEPT_TABLE].schema)}


def problems(given: Tables) -> list[tuple[str, str]]:
    with pytest.raises(LedgerError) as caught:
        from_arrow(given)
    return [(p.path, p.code) for p in caught.value.problems]


def test_what_is_kept_round_trips_through_a_directory(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = kept_ledger(make_ledger)
    assert ledger.sources and ledger.extra_columns and ledger.spellings
    export(ledger, tmp_path / "out")
    assert_same(load(tmp_path / "out"), ledger)


def test_one_row_for_each_field_kept(make_ledger: Callable[..., Ledger]) -> None:
    rows = to_arrow(kept_ledger(make_ledger))[KEPT_TABLE].to_pylist()
    assert [r["field"] for r in rows] == ["sources", "extra_columns", "spellings"]
    assert "手机号" in rows[1]["document"]  # as written, not escaped
    only = to_arrow(make_ledger(**workbook_extras()))[KEPT_TABLE]
    assert only.column("field").to_pylist() == ["extra_columns", "spellings"]


def test_a_ledger_that_keeps_nothing_writes_an_empty_table(
    make_ledger: Callable[..., Ledger],
) -> None:
    assert to_arrow(make_ledger())[KEPT_TABLE].num_rows == 0


def test_tables_made_without_it_keep_nothing(make_ledger: Callable[..., Ledger]) -> None:
    """An export made before the table, or a platform's tables: the ledger keeps nothing."""
    given = to_arrow(kept_ledger(make_ledger))
    del given[KEPT_TABLE]
    assert from_arrow(given) == make_ledger()


@st.composite
def kept_ledgers(draw: st.DrawFn) -> Ledger:
    """Any ledger, with the files some of its members came from and an office's own column
    holding text for some of them."""
    ledger = draw(ledgers())
    ids = [m.id for m in ledger.members]
    chosen = draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []
    texts = st.text(min_size=1, max_size=8).map(str.strip).filter(bool)
    cells = tuple(ExtraCell(i, draw(texts)) for i in chosen)
    return attrs.evolve(
        ledger,
        sources=(RecordSource(draw(texts), "members", tuple(chosen)),),
        extra_columns=(ExtraColumn(sheet="members", header=draw(texts), cells=cells),),
    )


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(ledger=kept_ledgers())
def test_any_kept_fields_round_trip_through_tables(ledger: Ledger) -> None:
    ledger.validate()
    assert_same(from_arrow(to_arrow(ledger)), ledger)


def test_a_row_that_is_not_understood(make_ledger: Callable[..., Ledger]) -> None:
    given = to_arrow(make_ledger())
    rows = [
        {"field": "notes", "document": "[]"},
        {"field": "spellings", "document": "[{"},
        {"field": "sources", "document": '{"file": "a.xlsx"}'},
        {"field": "extra_columns", "document": "[]"},
        {"field": "extra_columns", "document": "[]"},
    ]
    # every problem at once, each at its row
    assert problems(with_kept(given, rows)) == [
        ("ledger.kept[0].field", "invalid_value"),
        ("ledger.kept[1].document", "invalid_value"),
        ("ledger.kept[2].document", "invalid_value"),
        ("ledger.kept[4].field", "duplicate_key"),
    ]


def test_empty_cells_are_refused(make_ledger: Callable[..., Ledger]) -> None:
    given = to_arrow(make_ledger())
    schema = pa.schema([pa.field("field", pa.string()), pa.field("document", pa.string())])
    data = pa.Table.from_pylist([{"field": "sources", "document": None}], schema=schema)
    assert problems({**given, KEPT_TABLE: data}) == [("ledger.kept[0]", "null_key")]


def test_a_problem_inside_a_document_names_its_row(make_ledger: Callable[..., Ledger]) -> None:
    """What the document holds is read as the JSON format's is: a cell of a record that is not
    there is found, and named at the row of the table that holds it."""
    given = to_arrow(make_ledger())
    rows = [
        {"field": "spellings", "document": "[]"},
        {
            "field": "extra_columns",
            "document": '[{"sheet": "members", "header": "手机号", '
            '"cells": [{"record": "nobody", "value": "1"}]}]',
        },
    ]
    found = problems(with_kept(given, rows))
    assert found
    assert all(path.startswith("ledger.kept[1].document: extra_columns[0]") for path, _ in found)
    assert all(code for _, code in found)
