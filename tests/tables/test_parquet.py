"""A ledger as a directory of Parquet files (dangjian.tables.parquet): export, read, load."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings

from dangjian import Ledger, dumps
from dangjian.errors import DangjianError, LedgerError
from dangjian.model.pay import DEDUCTIONS
from dangjian.tables import parquet
from dangjian.tables.arrow import from_arrow, table_names, to_arrow
from dangjian.tables.parquet import export, is_export, load, read
from dangjian.testing.strategies import ledgers
from tests.builders import examples
from tests.builders.example import example_ledger


def assert_same(back: Ledger, ledger: Ledger) -> None:
    assert back == ledger
    assert dumps(back, "json") == dumps(ledger, "json")


def entries(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # one directory, replaced by every example
    ],
)
@given(ledger=ledgers())
def test_any_ledger_round_trips_through_a_directory(tmp_path: Path, ledger: Ledger) -> None:
    target = tmp_path / "导出"
    export(ledger, target, replace=True)
    assert_same(load(target), ledger)
    assert entries(tmp_path) == ["导出"]  # nothing left beside it


def test_the_example_round_trips(tmp_path: Path) -> None:
    ledger = example_ledger()
    export(ledger, tmp_path / "out")
    assert_same(load(tmp_path / "out"), ledger)


def test_one_file_per_table_private(tmp_path: Path, make_ledger: Callable[..., Ledger]) -> None:
    target = tmp_path / "out"
    export(make_ledger(), target)
    assert entries(target) == sorted(f"{name}.parquet" for name in table_names())
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in target.iterdir()} == {0o600}
    assert is_export(target)


def test_read_gives_the_tables_as_written(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger()
    export(ledger, tmp_path / "out")
    got = read(tmp_path / "out")
    for name, data in to_arrow(ledger).items():
        assert got[name].equals(data), name


def test_an_empty_directory_is_written(tmp_path: Path, make_ledger: Callable[..., Ledger]) -> None:
    (tmp_path / "out").mkdir()
    export(make_ledger(), tmp_path / "out")
    assert load(tmp_path / "out") == make_ledger()


def test_a_directory_with_other_content_is_refused(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    for replace in (False, True):
        with pytest.raises(DangjianError, match="有其他内容"):
            export(make_ledger(), target, replace=replace)
    assert entries(target) == ["notes.txt"]
    assert entries(tmp_path) == ["out"]


def test_a_file_is_refused(tmp_path: Path, make_ledger: Callable[..., Ledger]) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(DangjianError, match="不是目录"):
        export(make_ledger(), tmp_path / "out", replace=True)
    assert (tmp_path / "out").read_text(encoding="utf-8") == "x"


def test_a_previous_export_is_replaced_only_when_asked(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    target = tmp_path / "out"
    first = make_ledger()
    export(first, target)
    second = Ledger(name="另一本台账")
    with pytest.raises(DangjianError, match="先前导出"):
        export(second, target)
    assert load(target) == first
    export(second, target, replace=True)
    assert load(target) == second
    assert entries(tmp_path) == ["out"]


class Boom(Exception):
    pass


def _failing_after(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the ``n``-th table written fail, as a full disk would."""
    real = pq.write_table
    count = [0]

    def write(table: pa.Table, where: Any, **kwargs: Any) -> None:
        count[0] += 1
        if count[0] == n:
            where.write(b"PAR1 half")
            raise Boom
        real(table, where, **kwargs)

    monkeypatch.setattr(pq, "write_table", write)


def test_a_failure_midway_leaves_no_directory(
    tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_after(5, monkeypatch)
    with pytest.raises(Boom):
        export(make_ledger(), tmp_path / "out")
    assert entries(tmp_path) == []


def test_a_failure_midway_keeps_the_previous_export(
    tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_ledger()
    export(first, tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    _failing_after(20, monkeypatch)
    with pytest.raises(Boom):
        export(Ledger(name="另一本台账"), tmp_path / "out", replace=True)
    assert entries(tmp_path) == ["out"]
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_a_failing_rename_puts_the_previous_export_back(
    tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_ledger()
    export(first, tmp_path / "out")
    real = os.rename

    def rename(src: Any, dst: Any) -> None:
        if str(src).endswith(".tmp"):
            raise OSError("the disk went away")
        real(src, dst)

    monkeypatch.setattr(parquet.os, "rename", rename)
    with pytest.raises(OSError, match="went away"):
        export(Ledger(name="另一本台账"), tmp_path / "out", replace=True)
    assert entries(tmp_path) == ["out"]
    assert load(tmp_path / "out") == first


def test_an_unknown_file_in_the_directory(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    export(make_ledger(), tmp_path / "out")
    (tmp_path / "out" / "readme.txt").write_text("x", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        read(tmp_path / "out")
    assert [(p.path, p.code) for p in caught.value.problems] == [("readme.txt", "unknown_file")]
    assert caught.value.source == str(tmp_path / "out")


def test_an_unknown_table_file(tmp_path: Path, make_ledger: Callable[..., Ledger]) -> None:
    export(make_ledger(), tmp_path / "out")
    os.rename(tmp_path / "out" / "talks.parquet", tmp_path / "out" / "talk.parquet")
    with pytest.raises(LedgerError) as caught:
        load(tmp_path / "out")
    assert [(p.path, p.code) for p in caught.value.problems] == [
        ("talks", "missing_table"),
        ("talk", "unknown_table"),
    ]


def test_a_file_that_is_not_parquet(tmp_path: Path, make_ledger: Callable[..., Ledger]) -> None:
    export(make_ledger(), tmp_path / "out")
    (tmp_path / "out" / "members.parquet").write_bytes(b"id,name\nm1,x\n")
    with pytest.raises(LedgerError) as caught:
        load(tmp_path / "out")
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("members", "unreadable")


def test_hidden_files_and_spark_markers_are_left_alone(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger()
    export(ledger, tmp_path / "out")
    (tmp_path / "out" / "_SUCCESS").write_bytes(b"")
    (tmp_path / "out" / ".DS_Store").write_bytes(b"")
    assert load(tmp_path / "out") == ledger


def test_a_table_may_be_a_directory_of_parts(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger()
    export(ledger, tmp_path / "out")
    members = pq.read_table(tmp_path / "out" / "members.parquet")
    os.remove(tmp_path / "out" / "members.parquet")
    parts = tmp_path / "out" / "members.parquet"
    parts.mkdir()
    pq.write_table(members.slice(0, 2), parts / "part-0.parquet")
    pq.write_table(members.slice(2), parts / "part-1.parquet")
    (parts / "_SUCCESS").write_bytes(b"")
    assert load(tmp_path / "out") == ledger


def test_problems_name_the_directory(tmp_path: Path, make_ledger: Callable[..., Ledger]) -> None:
    export(make_ledger(), tmp_path / "out")
    os.remove(tmp_path / "out" / "groups.parquet")
    with pytest.raises(LedgerError) as caught:
        load(tmp_path / "out")
    assert caught.value.source == str(tmp_path / "out")
    assert str(tmp_path / "out") in caught.value.render("en")


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(DangjianError, match="不是目录"):
        read(tmp_path / "missing")


def _arrow(result: Any) -> pa.Table:
    """A DuckDB result as one Arrow table (``.arrow()`` gives a reader in newer releases)."""
    table = result.arrow()
    return table.read_all() if hasattr(table, "read_all") else table


def test_duckdb_reads_an_export_back_to_the_same_ledger(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    ledger = example_ledger()
    export(ledger, tmp_path / "out")
    con = duckdb.connect()
    given = {
        name: _arrow(con.sql(f"select * from read_parquet('{path}')"))
        for name, path in parquet.paths(tmp_path / "out").items()
    }
    assert_same(from_arrow(given), ledger)


def test_a_platforms_view_of_its_own_table(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    """A platform keeps dues in its own table (other names, money as numeric(12, 2)) and maps it
    onto the layout with a view."""
    duckdb = pytest.importorskip("duckdb")
    ledger = make_ledger()
    given = to_arrow(ledger)
    del given["ledger.decimals"]
    con = duckdb.connect()
    dues = given["dues_payments"]
    con.register("dues", dues)
    con.execute(
        "create table platform_dues as select id as pay_no, member as member_no, month as "
        "pay_month, cast(amount as decimal(12, 2)) as yuan, cast(base as decimal(12, 2)) as "
        "base_yuan, paid_on as paid, voluntary as extra, note as remark from dues"
    )
    # the platform records no pay: the columns of gross pay and deductions are empty
    pay = ", ".join(
        f"cast(null as decimal(18, 6)) as {name}" for name in ("gross_pay", *DEDUCTIONS)
    )
    con.execute(
        "create view dues_payments as select pay_no as id, member_no as member, pay_month as "
        f"month, yuan as amount, base_yuan as base, {pay}, paid as paid_on, extra as voluntary, "
        "remark as note from platform_dues"
    )
    given["dues_payments"] = _arrow(con.sql("select * from dues_payments"))
    assert from_arrow(given) == ledger
