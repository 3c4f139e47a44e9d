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
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

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

BRANCHES = 30  # the committee, a general branch, 28 branches; 900 members
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


_CENTS = st.integers(min_value=-(10**15), max_value=10**15)


@given(st.lists(st.one_of(st.none(), _CENTS), max_size=20))
def test_money_is_exact_cents_as_decimal128(values: list[int | None]) -> None:
    import numpy as np

    cents = np.array([0 if v is None else v for v in values], dtype=np.int64)
    mask = np.array([v is None for v in values], dtype=bool)
    array = synthetic_tables.money(cents, mask)
    assert array.type == pa.decimal128(18, 2)
    assert array.to_pylist() == [None if v is None else Decimal(v) / 100 for v in values]


@given(
    st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=20),
    st.sampled_from([0, 1, 2]),
)
def test_the_generated_dues_follow_the_national_schedules(bases: list[int], code: int) -> None:
    import numpy as np

    # the tiers of dues.salaried (salaried, annual salary) and dues.retired, half up to the 分
    tiers = {
        0: ((3000, "0.005"), (5000, "0.01"), (10000, "0.015"), (None, "0.02")),
        1: ((3000, "0.005"), (5000, "0.01"), (10000, "0.015"), (None, "0.02")),
        2: ((5000, "0.005"), (None, "0.01")),
    }[code]
    found = synthetic_tables.expected_cents(
        np.array(bases, dtype=np.int64), np.full(len(bases), code)
    )
    for cents, got in zip(bases, found.tolist(), strict=True):
        base = Decimal(cents) / 100
        rate = next(Decimal(r) for bound, r in tiers if bound is None or base <= bound)
        owed = (base * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert Decimal(got) / 100 == owed


def test_every_way_digests_the_same_verdicts_alike(generated: Path) -> None:
    # the summary each way prints: from an Arrow table, from sets, and (the table engine's) on
    # an Ibis backend from a findings table; equal verdicts must give equal digests
    ibis = pytest.importorskip("ibis")
    bench = _module("bench_tables")
    verdicts = reference.run_sql(generated, 2020, OVER)
    expected = bench.summary(verdicts)
    assert bench.summary(reference.as_sets(verdicts)) == expected
    findings = ibis.memtable(verdicts.rename_columns(["rule", "subject_id", "period", "status"]))

    class Report:
        table = findings

    assert bench.engine_summary(Report(), on_backend=True) == expected
    assert bench.engine_summary(Report(), on_backend=False) == expected
    # one verdict changed changes the digest, not only the counts
    changed = reference.as_sets(verdicts)
    rule = "dues.monthly"
    subject, code, status = min(changed[rule])
    changed[rule] = (changed[rule] - {(subject, code, status)}) | {(subject + "x", code, status)}
    assert bench.summary(changed)["counts"] == expected["counts"]
    assert bench.summary(changed)["digest"] != expected["digest"]
