"""The same findings on a real PostgreSQL server and on Spark in local mode as in the object
engine: the example, every rule whose kind the table engine implements, with the plan and the
waivers. (On DuckDB the differential tests run on generated ledgers too: test_equivalence.py.)"""

from __future__ import annotations

from typing import Any

import pytest

import dangjian
from tests.builders.example import AS_OF, EXAMPLE, PERIOD, PLAN, WAIVERS
from tests.builders.tables import same_findings

pytest.importorskip("ibis")


def _same_on(backend: Any) -> None:
    objects, rows = same_findings(
        dangjian.load(EXAMPLE),
        PERIOD,
        as_of=AS_OF,
        profile="organ",
        waivers=dangjian.load_waivers(WAIVERS),
        rules=[str(PLAN)],
        on=backend,
    )
    assert not objects and not rows, f"only objects: {objects}\nonly tables: {rows}"


def test_the_example_on_postgresql(postgres_url: str) -> None:
    from dangjian.tables import backends

    con = backends.connect(postgres_url)
    con.raw_sql("CREATE SCHEMA IF NOT EXISTS equivalence")
    con.raw_sql("SET search_path TO equivalence")
    _same_on(con)


def test_the_example_on_spark(spark: Any) -> None:
    _same_on(spark)
