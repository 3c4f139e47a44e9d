"""Opening a source of records as tables and checking it: the entry point of the table engine.

A source is a :class:`~dangjian.Ledger` (put in an embedded DuckDB), a directory of Parquet files
in the layout of :mod:`dangjian.tables.schema`, a DuckDB database file, a PostgreSQL URL, a
``pyspark.sql.SparkSession`` or any Ibis backend holding the tables (see
:mod:`dangjian.tables.backends`).
"""

from __future__ import annotations

import datetime as dt
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
    memory_limit: str | None = None,
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
        memory_limit: On DuckDB, the most memory it may hold (``"3GB"``, ``"500MiB"``); what
            does not fit is spilled to the system's temporary directory. Default: a quarter of
            the machine's memory for a DuckDB the check opens; a DuckDB connection passed in
            keeps its own setting unless this is given.

    Raises:
        DangjianError: the source cannot be opened, or its tables are not in the layout (every
            problem named with its table and column); a selected rule's kind has no table
            implementation.
        RuleError: as :func:`dangjian.check`.
    """
    con, tables, notices = _open(source, engine, database)
    if memory_limit is not None and con.name == "duckdb":
        from dangjian.tables.backends import limit_memory

        limit_memory(con, memory_limit)
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
    from dangjian.tables import backends

    if engine == "spark" and (isinstance(source, Ledger) or _is_directory(source)):
        con = backends.connect(_spark_session())
        if isinstance(source, Ledger):
            backends.create_tables(con, _layout_tables(source))
        else:
            _spark_views(con, source)
    elif isinstance(source, Ledger):
        con = backends.connect(None)
        backends.create_tables(con, _layout_tables(source))
    else:
        con = backends.connect(source)
    found = backends.record_tables(con, database=database)
    return con, dict(found), list(found.notices)


def _is_directory(source: Any) -> bool:
    return isinstance(source, str | os.PathLike) and os.path.isdir(source)


def _layout_tables(ledger: Any) -> dict[str, Any]:
    """The Arrow tables of ``ledger`` in the layout (its name and decimals' forms left out: the
    rules need neither)."""
    from dangjian.tables.arrow import to_arrow
    from dangjian.tables.schema import tables

    names = {t.name for t in tables()}
    return {name: table for name, table in to_arrow(ledger).items() if name in names}


def _spark_session() -> Any:
    """The active Spark session, or a new local one (``spark-submit`` gives its own)."""
    from dangjian._optional import require

    sql = require("pyspark.sql", "spark")
    active = sql.SparkSession.getActiveSession()
    if active is not None:
        return active
    return (
        sql.SparkSession.builder.appName("dangjian")
        .master(os.environ.get("SPARK_MASTER", "local[*]"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # the rules' plans are large: whole-stage code generation of them is slow to compile and
        # can run a small driver out of memory
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "3g"))
        .getOrCreate()
    )


def _spark_views(con: Any, directory: Any) -> None:
    """A temporary view of the Spark session over each table of a Parquet directory."""
    from dangjian.tables import parquet

    session = con._session
    for name, path in parquet.paths(directory).items():
        frame = session.read.parquet(str(path))
        frame.createOrReplaceTempView("`" + name.replace("`", "``") + "`")
