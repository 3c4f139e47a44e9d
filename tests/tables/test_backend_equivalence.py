"""The same findings on a real PostgreSQL server and on Spark in local mode as in the object
engine: the example with the plan and the waivers — every rule on PostgreSQL, a sample on Spark. (On DuckDB the differential tests run on generated ledgers too: test_equivalence.py.)"""

from __future__ import annotations

from typing import Any

import pytest

import dangjian
from tests.builders.example import AS_OF, EXAMPLE, PERIOD, PLAN, WAIVERS
from tests.builders.tables import same_findings

pytest.importorskip("ibis")


SPARK_KINDS = (
    "frequency",
    "dues",
    "membership",
    "election",
    "rectification",
    "relation",
    "attendance",  # window functions over runs of meetings
)
"""The kinds whose first rule the Spark test runs: a sample (a JVM planning every rule of the
example takes minutes on two cores), one of each family of expressions — counts per sub-period,
money, member spans and attendance, votes, deadlines, month arithmetic."""


def _sample(kinds: tuple[str, ...]) -> list[str]:
    chosen: dict[str, str] = {}
    for rule in dangjian.load_rules("organ"):
        if rule.kind in kinds:
            chosen.setdefault(rule.kind, rule.id)
    return sorted(chosen.values())


def _same_on(backend: Any, only: list[str] | None = None) -> None:
    objects, rows = same_findings(
        dangjian.load(EXAMPLE),
        PERIOD,
        as_of=AS_OF,
        profile="organ",
        waivers=dangjian.load_waivers(WAIVERS),
        rules=[str(PLAN)],
        only=only,
        on=backend,
    )
    assert not objects and not rows, f"only objects: {objects}\nonly tables: {rows}"


def test_the_example_on_postgresql(postgres_url: str) -> None:
    from dangjian.tables import backends

    con = backends.connect(postgres_url)
    con.raw_sql("CREATE SCHEMA IF NOT EXISTS equivalence")
    con.raw_sql("SET search_path TO equivalence")
    _same_on(con)


def test_a_sample_of_the_example_on_spark(spark: Any) -> None:
    only = _sample(SPARK_KINDS)
    assert len(only) == len(SPARK_KINDS)
    try:
        _same_on(spark, only)
    finally:  # the session is shared by the process's tests: leave no table of the layout behind
        from dangjian.tables import tables

        for t in tables():
            spark.sql(f"DROP VIEW IF EXISTS `{t.name}`")
