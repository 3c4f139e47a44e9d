"""Opening a source of records as tables and checking it: the entry point of the table engine.

A source is a :class:`~dangjian.Ledger` (put in an embedded DuckDB), a directory of Parquet files
in the layout of :mod:`dangjian.tables.schema`, a DuckDB database file, a PostgreSQL URL, a
``pyspark.sql.SparkSession`` or any Ibis backend holding the tables (see
:mod:`dangjian.tables.backends`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from dangjian.calendar import WorkingCalendar
from dangjian.findings import Waiver
from dangjian.periods import Period
from dangjian.rules.registry import Registry
from dangjian.tables.engine import evaluate
from dangjian.tables.report import TableReport

__all__ = ["Engine", "check"]

Engine = Literal["duckdb", "spark"]
"""Where the tables are read when the source is a ledger or a directory of Parquet files: an
embedded DuckDB (the default), or Spark (the session the environment gives, local otherwise)."""


def check(
    source: Any,
    period: Period | str,
    *,
    engine: Engine = "duckdb",
    database: str | None = None,
    as_of: dt.date | None = None,
    profile: str = "national",
    rules: Sequence[str | os.PathLike[str]] = (),
    waivers: Iterable[Waiver] = (),
    registry: Registry | None = None,
    calendar: WorkingCalendar | None = None,
    only: Sequence[str] = (),
    allow_unmatched: bool = False,
) -> TableReport:
    """Check the records of ``source`` over ``period`` with the table engine.

    The same rules, waivers and options as :func:`dangjian.check`, the same verdicts and
    messages; the findings stay a table on the backend (:class:`~dangjian.tables.TableReport`).

    Args:
        source: A ledger, a directory of Parquet files, a DuckDB file, a PostgreSQL URL
            (``postgresql://user@host/db``), a ``SparkSession``, or an Ibis backend.
        engine: For a ledger or a Parquet directory: ``duckdb`` (embedded, the default) or
            ``spark``.
        database: The schema (PostgreSQL) or database the tables are in, when not the default.
        only: Rule ids or prefixes (``dues`` or ``dues.``) to check; every rule when empty.

    Raises:
        DangjianError: the source cannot be opened, or its tables are not in the layout (every
            problem named with its table and column); a selected rule's kind has no table
            implementation.
        RuleError: as :func:`dangjian.check`.
    """
    con, tables, notices = _open(source, engine, database)
    report = evaluate(
        con,
        tables,
        period,
        as_of=as_of,
        profile=profile,
        rules=rules,
        waivers=waivers,
        registry=registry,
        calendar=calendar,
        only=only,
        allow_unmatched=allow_unmatched,
    )
    report.notices = tuple(notices) + report.notices
    return report


def _open(source: Any, engine: str, database: str | None) -> tuple[Any, dict[str, Any], list[Any]]:
    """The backend, the record tables by layout name, and the notices of opening them."""
    from dangjian.ledger import Ledger
    from dangjian.tables.kinds._common import ibis

    if isinstance(source, Ledger):
        arrow: Any = importlib.import_module("dangjian.tables.arrow")
        con = ibis().duckdb.connect()
        tables = {
            name: con.create_table(name, table)
            for name, table in arrow.to_arrow(source).items()
        }
        return con, tables, []
    backends: Any = importlib.import_module("dangjian.tables.backends")
    con = backends.connect(source)
    found = backends.record_tables(con, database=database)
    if isinstance(found, tuple):
        tables, notices = found
        return con, tables, list(notices)
    return con, found, []
