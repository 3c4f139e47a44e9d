"""A check that runs DuckDB out of memory: tried once more on one thread, then a clear error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ibis")
duckdb = pytest.importorskip("duckdb")

from dangjian.errors import DangjianError  # noqa: E402
from dangjian.rules.loader import load_rules  # noqa: E402
from dangjian.tables import check  # noqa: E402
from dangjian.tables.parquet import export  # noqa: E402
from tests.builders.example import AS_OF, PERIOD, example_ledger  # noqa: E402


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("memory") / "tables"
    export(example_ledger(), directory)
    return directory


def test_a_limit_too_small_is_an_error_naming_the_rule_and_the_limit(tables: Path) -> None:
    # the example needs some tens of MiB of DuckDB's memory; 16 MB is too little even on one
    # thread
    with pytest.raises(DangjianError) as raised:
        check(str(tables), PERIOD, as_of=AS_OF, memory_limit="16MB")
    text = str(raised.value)
    rule_ids = {r.id for r in load_rules("national")}
    named = [rule for rule in rule_ids if f"「{rule}」" in text]
    assert len(named) == 1, text
    assert re.search(r"上限 1[56](\.\d+)? MiB", text), text  # the limit as DuckDB says it
    assert "--memory-limit" in text


def test_a_rule_out_of_memory_is_run_again_on_one_thread(
    tables: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run of a rule's findings fails as DuckDB fails when its limit is reached; the
    check runs it again on one thread, gets the same findings as a check that never failed, and
    gives the connection its threads back."""
    from ibis.backends.duckdb import Backend

    expected = check(str(tables), PERIOD, as_of=AS_OF).counts()
    real = Backend._safe_raw_sql
    seen: list[tuple[str, str]] = []

    def failing_once(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        text = str(query)
        if text.startswith("INSERT INTO") and not seen:
            threads = self.con.execute("SELECT current_setting('threads')").fetchone()[0]
            seen.append((text, str(threads)))
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block")
        if text.startswith("INSERT INTO") and len(seen) == 1:
            threads = self.con.execute("SELECT current_setting('threads')").fetchone()[0]
            seen.append((text, str(threads)))
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(Backend, "_safe_raw_sql", failing_once)
    report = check(str(tables), PERIOD, as_of=AS_OF)
    assert len(seen) == 2
    assert seen[0][0] == seen[1][0]  # the same rule's findings, run again
    assert seen[1][1] == "1"
    after = report.con.con.execute("SELECT current_setting('threads')").fetchone()[0]
    assert str(after) == seen[0][1]
    assert report.counts() == expected


def _rows(report: Any) -> list[str]:
    """Every finding of ``report``, every column, in an order of their own."""
    return sorted(repr(sorted(r.items())) for r in report.table.to_pyarrow().to_pylist())


def test_findings_past_the_limit_are_written_to_parquet_and_read_the_same(
    tables: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the rows kept in memory, the rules' findings go to Parquet files in a private
    directory: the findings read are the same, every column, and the directory goes with the
    connection."""
    import gc
    import os
    import stat

    from dangjian.tables import engine

    expected = _rows(check(str(tables), PERIOD, as_of=AS_OF))
    made: list[Path] = []
    real = engine._files_of

    def recorded(con: Any) -> Path:
        made.append(real(con))
        return made[-1]

    monkeypatch.setattr(engine, "IN_MEMORY_ROWS", 10)
    monkeypatch.setattr(engine, "_files_of", recorded)
    report = check(str(tables), PERIOD, as_of=AS_OF)
    assert len(made) == 1
    files = sorted(p.name for p in made[0].iterdir())
    assert len(files) > 10 and all(f.endswith(".parquet") for f in files)
    assert stat.S_IMODE(os.stat(made[0]).st_mode) == 0o700
    assert _rows(report) == expected
    del report
    gc.collect()
    assert not made[0].exists()


def test_a_rule_written_to_parquet_out_of_memory_leaves_no_file(
    tables: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule's file whose writing fails is removed before the rule is run again on one
    thread: no rule is counted twice."""
    from ibis.backends.duckdb import Backend

    from dangjian.tables import engine

    expected = check(str(tables), PERIOD, as_of=AS_OF).counts()
    real = Backend._safe_raw_sql
    failed: list[str] = []

    def failing_once(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        text = str(query)
        if text.startswith("COPY") and not failed:
            target = re.findall(r"TO '([^']+)'", text)[-1]
            Path(target).write_bytes(b"half a file")  # as a write cut short leaves it
            failed.append(target)
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block")
        if text.startswith("COPY") and len(failed) == 1:
            failed.append(f"there again: {Path(failed[0]).exists()}")  # before it is run again
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(engine, "IN_MEMORY_ROWS", 0)
    monkeypatch.setattr(Backend, "_safe_raw_sql", failing_once)
    report = check(str(tables), PERIOD, as_of=AS_OF)
    assert failed[1:] == ["there again: False"]
    assert report.counts() == expected
