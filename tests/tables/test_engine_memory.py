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
