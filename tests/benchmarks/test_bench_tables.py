"""The data and the hand-written scripts of the table benchmark stay honest.

``benchmarks/bench_tables.py`` measures the table engine against a pandas script and a DuckDB SQL
script written by hand (``benchmarks/reference_rules.py``) over tables generated straight to
Parquet (``benchmarks/synthetic_tables.py``). The comparison means something only if the scripts
give the library's verdicts: here, on a small generated ledger and on the other benchmarks'
synthetic ledger, both must give exactly the verdicts of ``dangjian.check`` (subject, sub-period
and status of every finding of the seven rules), with the year over and in its middle.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import dangjian
from dangjian.tables import tables
from tests.builders import ROOT

pytest.importorskip("duckdb")
pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _module(name: str) -> ModuleType:
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"dangjian_bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synthetic = _module("synthetic")
synthetic_tables = _module("synthetic_tables")
reference = _module("reference_rules")

BRANCHES = 40  # the committee, 2 general branches, 37 branches; 1,200 members
OVER = dt.date(2021, 1, 31)
MIDYEAR = dt.date(2020, 7, 15)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory: Path = tmp_path_factory.mktemp("tables") / "generated"
    synthetic_tables.generate(directory, BRANCHES, seed=5)
    return directory


@pytest.fixture(scope="module")
def ledger(generated: Path) -> dangjian.Ledger:
    data = synthetic_tables.tables_to_data(generated)
    return dangjian.loads(json.dumps(data, ensure_ascii=False), "json")


def _object_verdicts(ledger: dangjian.Ledger, as_of: dt.date) -> Any:
    report = dangjian.check(ledger, "2020", as_of=as_of, only=list(reference.RULES))
    return reference.from_report(report)


def _agree(directory: Path, ledger: dangjian.Ledger, as_of: dt.date) -> dict[str, Any]:
    expected = _object_verdicts(ledger, as_of)
    by_pandas = reference.as_sets(reference.run_pandas(directory, 2020, as_of))
    by_sql = reference.as_sets(reference.run_sql(directory, 2020, as_of))
    for rule in reference.RULES:
        assert by_pandas[rule] == expected[rule], rule
        assert by_sql[rule] == expected[rule], rule
    return dict(reference.counts(expected))


def test_every_table_is_written_with_the_agreed_types(generated: Path) -> None:
    for t in tables():
        schema = pq.read_schema(generated / f"{t.name}.parquet")
        assert schema.names == [c.name for c in t.columns], t.name
        for c in t.columns:
            assert schema.field(c.name).type == synthetic_tables.arrow_type(c.type), (t.name, c)
    dues = pq.read_schema(generated / "dues_payments.parquet")
    assert dues.field("amount").type == pa.decimal128(18, 2)
    assert dues.field("month").type == pa.date32()


def test_the_generated_records_load_without_problems(ledger: dangjian.Ledger) -> None:
    assert ledger.problems() == []
    assert len(ledger.branches) == BRANCHES
    assert len(ledger.members) == BRANCHES * synthetic_tables.MEMBERS_PER_BRANCH


def test_the_generator_is_deterministic(tmp_path: Path, generated: Path) -> None:
    again = tmp_path / "again"
    synthetic_tables.generate(again, BRANCHES, seed=5)
    other = tmp_path / "other"
    synthetic_tables.generate(other, BRANCHES, seed=6)
    for name in ("members", "meetings", "dues_payments"):
        first = pq.read_table(generated / f"{name}.parquet")
        assert pq.read_table(again / f"{name}.parquet").equals(first)
    assert not pq.read_table(other / "dues_payments.parquet").equals(
        pq.read_table(generated / "dues_payments.parquet")
    )


@pytest.mark.parametrize("as_of", [OVER, MIDYEAR], ids=["year-over", "midyear"])
def test_the_hand_scripts_give_the_object_engines_verdicts(
    generated: Path, ledger: dangjian.Ledger, as_of: dt.date
) -> None:
    found = _agree(generated, ledger, as_of)
    # the generated year has every kind of verdict the scripts model
    assert {"passed", "failed", "not_applicable"} <= set(found["branch.committee_mtg"])
    assert {"passed", "failed", "unknown"} <= set(found["dues.monthly"])
    for rule in ("dues.salaried", "dues.retired"):
        assert {"passed", "failed", "unknown"} <= set(found[rule]), rule
    if as_of == MIDYEAR:
        assert "pending" in found["branch.theme_day"]


def test_the_hand_scripts_agree_on_the_other_benchmarks_ledger(tmp_path: Path) -> None:
    data = synthetic.make_ledger_data(0.004, seed=2)
    directory = tmp_path / "converted"
    synthetic_tables.write_tables(directory, synthetic_tables.data_to_tables(data))
    ledger = dangjian.loads(json.dumps(data, ensure_ascii=False), "json")
    _agree(directory, ledger, OVER)
    # and the tables hold the ledger: read back, it is the same ledger (but for its name, which
    # is not in the tables)
    again = synthetic_tables.tables_to_data(directory)
    again["name"] = data["name"]
    assert dangjian.loads(json.dumps(again, ensure_ascii=False), "json") == ledger
