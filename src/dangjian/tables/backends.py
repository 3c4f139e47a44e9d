"""Where the record tables are: a source opened as an Ibis backend, and the tables of the layout
found on it and checked against the layout's types.

:func:`connect` opens what a user names as a source:

| source | backend |
|---|---|
| ``None`` | a fresh in-memory DuckDB database |
| an Ibis backend (``ibis.duckdb.connect(…)``) | itself |
| a ``pyspark.sql.SparkSession`` | Ibis's PySpark backend over that session |
| ``"postgresql://user@host:port/db"`` (``postgres://`` too) | Ibis's PostgreSQL backend |
| ``"duckdb://path"``, a path ending in ``.duckdb`` or ``.db`` | that DuckDB database file, read-only unless ``read_only=False`` |
| a directory of Parquet files | an in-memory DuckDB database with one view per ``<table>.parquet`` file (or directory of parts), named exactly as the file |

:func:`record_tables` then finds every table of the layout (:func:`dangjian.tables.tables`) on
the backend, by its exact name: a platform that keeps its records in tables of its own maps them
onto the layout with views named as the layout's tables (``members``, ``meetings.attended``).
Names with a dot are one identifier, to be quoted in SQL: ``CREATE VIEW "meetings.attended" AS
…`` in PostgreSQL and DuckDB, ```meetings.attended``` in Spark SQL.

It checks the columns' types against the layout, every problem at once in one
:class:`~dangjian.errors.LedgerError` (a missing table, a missing column, a column of the wrong
type, each with its table and column). Columns the layout does not have are left alone. The types
accepted, by the type of the field:

| field | column |
|---|---|
| text, resident id, enumeration | string (an enumeration holds its value's code, ``full``) |
| ``int`` | any integer type (``int64`` as written here) |
| ``bool`` | boolean |
| ``Decimal`` | decimal of any precision with a scale of at least 2 (``numeric`` without a scale too): money is exact, to the 分 at least |
| ``datetime.date`` | date |
| :class:`~dangjian.periods.Month` | date, the first day of the month |
| ``datetime.time`` | time; on Spark, which has no time type before 4.1, a string ``HH:MM:SS`` as well |

A record kind whose table is missing altogether (a platform that keeps no heart-to-heart talks)
is taken as kept with no records: an empty table of the layout's columns stands in for it and its
child tables, and :attr:`RecordTables.notices` says so, so that the rules over it say the ledger
has no such records rather than fail. A child table missing beside its record kind's table is an
error: no rows there would mean that no record has any item in that list (nobody attended a
meeting), which a platform should say with an empty view, not by leaving the table out.

:func:`upload` and :func:`create_tables` put Arrow tables onto a backend (DuckDB, PostgreSQL,
Spark, or any backend Ibis can create tables on), under the layout's names, for tests and for a
platform trying the check on a copy of its data.

Ibis, the DuckDB, PostgreSQL and Spark drivers and pyarrow are imported when these functions are
first called (the ``tables``, ``postgres`` and ``spark`` extras), never by ``import dangjian``.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from dangjian._optional import require
from dangjian.errors import DangjianError, LedgerError, Problem
from dangjian.i18n import given, t
from dangjian.periods import Month
from dangjian.tables.schema import LATER_TABLES, Column, Table, tables

if TYPE_CHECKING:
    import pyarrow as pa

# Ibis ships no type information: its backends, tables and types are Any to the type checker,
# named here for the reader
BaseBackend = Any
IbisTable = Any
DataType = Any

__all__ = [
    "RecordTables",
    "connect",
    "create_tables",
    "default_memory_limit",
    "expected_type",
    "layout_schema",
    "limit_memory",
    "record_tables",
    "upload",
]

DECIMAL_SCALE = 2
"""The least scale of a decimal column: money, hours and scores exact to the hundredth."""

PARQUET = ".parquet"
DUCKDB_SUFFIXES = (".duckdb", ".db")


# -- opening a source --------------------------------------------------------------------------


def _ibis() -> Any:
    return require("ibis", "tables")


def _is_spark_session(source: object) -> bool:
    """Whether ``source`` is a ``pyspark.sql.SparkSession`` (told without importing pyspark)."""
    return any(
        c.__name__ == "SparkSession" and c.__module__.startswith("pyspark.sql")
        for c in type(source).__mro__
    )


def _is_backend(source: object) -> bool:
    if "ibis" not in sys.modules:  # no backend can have been made without it
        return False
    backends = require("ibis.backends", "tables")
    return isinstance(source, backends.BaseBackend)


def connect(source: Any = None, *, read_only: bool = True) -> BaseBackend:
    """The Ibis backend that holds the record tables of ``source``.

    Args:
        source: ``None`` (a fresh in-memory DuckDB database), an Ibis backend, a SparkSession, a
            PostgreSQL URL, a DuckDB file (``duckdb://path`` or a path ending in ``.duckdb`` or
            ``.db``), or a directory of Parquet files (see the module's documentation).
        read_only: Open a DuckDB file read-only (the default: the check never writes to it).

    Raises:
        DangjianError: ``source`` is none of these, a file or directory it names does not exist,
            a directory holds no Parquet file, or the extra the source needs is not installed.

    >>> con = connect()
    >>> con.name
    'duckdb'
    >>> connect(con) is con
    True
    """
    if source is None:
        return _duckdb()
    if _is_backend(source):
        return source
    if _is_spark_session(source):
        require("pyspark", "spark")
        return _ibis().pyspark.connect(source)
    if isinstance(source, str) and "://" in source:
        scheme, _, rest = source.partition("://")
        scheme = scheme.lower()
        if scheme in ("postgresql", "postgres"):
            require("psycopg", "postgres")
            return _ibis().connect(f"postgres://{rest}")
        if scheme == "duckdb":
            if rest in ("", ":memory:"):
                return _duckdb()
            return _duckdb_file(Path(rest), read_only)
        raise DangjianError(
            t(
                "不支持的数据源地址「{source}」：请给出 postgresql:// 或 duckdb:// 地址",
                source=f"{scheme}://…",
            )
        )
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.suffix.lower() in DUCKDB_SUFFIXES and not path.is_dir():
            return _duckdb_file(path, read_only)
        if path.is_dir():
            return _parquet_directory(path)
        if not path.exists():
            raise DangjianError(t("数据源「{path}」不存在", path=str(path)))
    raise DangjianError(
        t(
            "无法识别的数据源「{source}」：应为 Parquet 文件目录、DuckDB 文件、PostgreSQL 地址、SparkSession 或 Ibis 连接",
            source=type(source).__name__
            if not isinstance(source, str | os.PathLike)
            else str(source),
        )
    )


def _duckdb(*args: Any, **kwargs: Any) -> BaseBackend:
    """A DuckDB connection that draws no progress bar (the command line shows its own), holds at
    most :func:`default_memory_limit` in memory and spills the rest to a directory of its own
    (:func:`limit_memory`)."""
    con = _ibis().duckdb.connect(*args, **kwargs)
    con.raw_sql("SET enable_progress_bar = false")
    limit_memory(con)
    return con


def default_memory_limit() -> str:
    """The memory a DuckDB connection of the check may hold: a quarter of the machine's
    physical memory, or of the process's control group's limit when that is smaller (a
    container's), at least 1 GiB; DuckDB's own default (four fifths, which a province's check
    fills before it spills) where the size of the memory cannot be told.

    >>> default_memory_limit().endswith(("MiB", "80%"))
    True
    """
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return "80%"
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as f:
            limit = f.read().strip()
        if limit.isdigit():
            total = min(total, int(limit))
    except OSError:
        pass
    return f"{max(1024, total // 4 // 2**20)}MiB"


def limit_memory(con: BaseBackend, memory_limit: str | None = None) -> None:
    """Bound the memory of the DuckDB connection ``con``: at most ``memory_limit`` (DuckDB's
    notation, ``"3GB"``, ``"500MiB"``; default :func:`default_memory_limit`), what does not fit
    spilled to a directory of its own under the system's temporary directory (not to a
    ``.tmp`` in the user's current directory, DuckDB's default for a database in memory, and
    not shared with another check running at the same time), which DuckDB removes when the
    connection closes; and rows not kept in the order they were made in, which lets large
    results be written without holding them (the check orders what it shows itself).

    Raises:
        DangjianError: DuckDB does not understand ``memory_limit``.
    """
    import uuid

    duckdb = require("duckdb", "tables")
    limit = memory_limit or default_memory_limit()
    spill = os.path.join(tempfile.gettempdir(), f"dangjian-duckdb-{uuid.uuid4().hex[:12]}")
    try:
        con.raw_sql(f"SET memory_limit = {_sql_string(limit)}")
    except duckdb.Error as e:
        raise DangjianError(
            t("无法设置内存上限「{limit}」：{error}", limit=limit, error=str(e).splitlines()[0])
        ) from None
    con.raw_sql(f"SET temp_directory = {_sql_string(spill)}")
    con.raw_sql("SET preserve_insertion_order = false")


def _duckdb_file(path: Path, read_only: bool) -> BaseBackend:
    if read_only and not path.is_file():
        raise DangjianError(t("数据源「{path}」不存在", path=str(path)))
    return _duckdb(str(path), read_only=read_only)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str, dialect: str) -> str:
    """``name`` as one quoted identifier of ``dialect`` (a dotted name stays one name)."""
    quote = "`" if dialect == "pyspark" else '"'
    return quote + name.replace(quote, quote * 2) + quote


def _parquet_directory(path: Path) -> BaseBackend:
    """An in-memory DuckDB database with a view over each ``<table>.parquet`` in ``path``."""
    con = _duckdb()
    found = sorted(p for p in path.iterdir() if p.name.endswith(PARQUET))
    if not found:
        raise DangjianError(t("目录「{path}」中没有 Parquet 文件", path=str(path)))
    for p in found:
        files = str(p / "**" / "*.parquet") if p.is_dir() else str(p)
        name = p.name[: -len(PARQUET)]
        con.raw_sql(
            f"CREATE VIEW {_quoted(name, 'duckdb')} AS SELECT * FROM read_parquet({_sql_string(files)})"
        )
    return con


# -- the layout's types ------------------------------------------------------------------------


def layout_schema(table: Table) -> Any:
    """The Ibis schema of ``table`` of the layout: the types of
    :func:`dangjian.tables.arrow.arrow_schema`, the one statement of them.

    >>> from dangjian.tables import table
    >>> schema = layout_schema(table("dues_payments"))
    >>> str(schema["month"]), str(schema["base"]), str(schema["id"])
    ('!date', 'decimal(18, 6)', '!string')
    """
    from dangjian.tables.arrow import arrow_schema

    return _ibis().Schema.from_pyarrow(arrow_schema(table.name))


def expected_type(column: Column) -> str:
    """The type a column must have, as :func:`record_tables` says it.

    >>> from dangjian.tables import table
    >>> expected_type(table("dues_payments").column("amount"))
    'decimal(p, s≥2)'
    >>> expected_type(table("members").column("status"))
    'string'
    """
    py = column.type
    if py is bool:
        return "boolean"
    if py is int:
        return "integer"
    if py is Decimal:
        return f"decimal(p, s≥{DECIMAL_SCALE})"
    if py is Month or py is dt.date:
        return "date"
    if py is dt.time:
        return "time"
    return "string"


def _fits(column: Column, found: DataType, backend: str) -> bool:
    """Whether a column of type ``found`` can hold the values of the layout's ``column``."""
    py = column.type
    if py is bool:
        return bool(found.is_boolean())
    if py is int:
        return bool(found.is_integer())
    if py is Decimal:
        scale = getattr(found, "scale", None)
        return bool(found.is_decimal()) and (scale is None or scale >= DECIMAL_SCALE)
    if py is Month or py is dt.date:
        return bool(found.is_date())
    if py is dt.time:
        return bool(found.is_time() or (backend == "pyspark" and found.is_string()))
    if (isinstance(py, type) and issubclass(py, enum.Enum | str)) or py is not None:
        return bool(found.is_string())
    return False  # pragma: no cover - every field of the model has one of the types above


# -- finding the record tables -----------------------------------------------------------------


@attrs.frozen
class RecordTables(collections.abc.Mapping[str, "IbisTable"]):
    """The tables of the layout on a backend, by name (``tables["meetings.attended"]``): every
    table of the layout is here, those of a record kind the source does not keep empty.

    Attributes:
        backend: The backend they are on.
        absent: The record kinds (collections, ``talks``) whose tables the source does not have,
            stood in for by empty tables.
        notices: One notice per absent record kind, to show the user.
    """

    tables: Mapping[str, IbisTable] = attrs.field(repr=lambda m: f"<{len(m)} tables>")
    backend: BaseBackend = attrs.field(repr=False)
    absent: frozenset[str] = frozenset()
    notices: tuple[Problem, ...] = attrs.field(default=(), repr=lambda n: f"<{len(n)} notices>")

    def __getitem__(self, name: str) -> IbisTable:
        return self.tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def _where(table: str, column: str | None = None) -> str:
    """The place of a problem: the table, and the column in brackets (``meetings[start]``)."""
    return table if column is None else f"{table}[{column}]"


def _label(table: Table) -> Any:
    return given({"zh": table.label, "en": table.label_en})


def _duckdb_schemas(con: BaseBackend) -> tuple[set[str], dict[str, Any]]:
    """The names of the tables and views of the current schema of the DuckDB ``con`` (its
    temporary ones too, as ``con.list_tables()`` names them) and the Ibis schema of each that is
    not temporary, read in one query (as ``con.table`` reads each one's: one query a table, a
    tenth of a second of a small check; ``list_tables`` reads through Arrow)."""
    rows = con.con.execute(
        "SELECT table_catalog = 'temp', table_name, column_name, data_type, is_nullable"
        " FROM information_schema.columns"
        " WHERE table_catalog IN (current_database(), 'temp') AND table_schema = current_schema()"
        " ORDER BY table_catalog = 'temp', table_name, ordinal_position"
    ).fetchall()
    types = con.compiler.type_mapper
    present: set[str] = set()
    columns: dict[str, dict[str, Any]] = {}
    parsed: dict[tuple[str, str], Any] = {}  # a few types, each parsed once (sqlglot is slow)
    for temporary, table, column, type_, nullable in rows:
        present.add(table)
        if not temporary:
            found = parsed.get((type_, nullable))
            if found is None:
                found = types.from_string(type_, nullable=nullable == "YES")
                parsed[type_, nullable] = found
            columns.setdefault(table, {})[column] = found
    return present, {name: _ibis().schema(found) for name, found in columns.items()}


def _table(
    con: BaseBackend, name: str, database: Any, schemas: Mapping[str, Any] | None = None
) -> IbisTable:
    """The table ``name`` of ``con``, a dotted name taken as one identifier (of the schemas
    read before, ``schemas``, when it is there)."""
    if schemas is not None and name in schemas:
        ops = _ibis().expr.operations
        namespace = ops.Namespace(catalog=None, database=None)
        return ops.DatabaseTable(
            name, schema=schemas[name], source=con, namespace=namespace
        ).to_expr()
    if con.name != "pyspark" or "." not in name:
        return con.table(name, database=database)
    # Ibis's PySpark backend reads a table's schema through session.table(name), which splits
    # a dotted name into a database and a table: read it quoted, and describe the table to Ibis
    ops = _ibis().expr.operations
    types = require("ibis.backends.pyspark.datatypes", "spark")
    session = con._session
    qualified = _quoted(name, "pyspark")
    if database is not None:
        qualified = f"{_quoted(str(database), 'pyspark')}.{qualified}"
    schema = _ibis().schema(types.PySparkType.to_ibis(session.table(qualified).schema))
    namespace = ops.Namespace(catalog=None, database=database)
    return ops.DatabaseTable(name, schema=schema, source=con, namespace=namespace).to_expr()


def _empty(con: BaseBackend, table: Table) -> IbisTable:
    """An empty table with the layout's columns of ``table``."""
    ibis = _ibis()
    schema = layout_schema(table)
    if con.name == "pyspark":  # Spark has no time type before 4.1
        schema = ibis.schema(
            {n: (ibis.dtype("string") if ty.is_time() else ty) for n, ty in schema.items()}
        )
    return ibis.memtable(schema.to_pyarrow().empty_table())


def record_tables(con: BaseBackend, *, database: Any = None) -> RecordTables:
    """Every table of the layout on ``con``, its columns checked against the layout's types.

    Args:
        con: The backend (see :func:`connect`).
        database: Where on the backend the tables are, when not in its current database or
            schema: a PostgreSQL schema (``"dangjian"``), a Spark database, or whatever Ibis's
            ``database=`` takes for the backend.

    Raises:
        LedgerError: a table of a record kind present without one of its child tables, a column
            missing, or a column of a type that cannot hold the layout's values: every one of
            them, each at its table and column (``meetings[start]``).

    >>> import ibis
    >>> con = ibis.duckdb.connect()
    >>> _ = con.raw_sql(
    ...     "CREATE TABLE talks (id VARCHAR, initiator VARCHAR, partner VARCHAR, date VARCHAR,"
    ...     " topic VARCHAR)"
    ... )
    >>> record_tables(con)
    Traceback (most recent call last):
      ...
    dangjian.errors.LedgerError: 台账有 2 处错误：
      - talks[date]: 类型应为 date，实为 string
      - talks[note]: 缺少此列，应为 string
    >>> found = record_tables(ibis.duckdb.connect())
    >>> found["talks"].count().execute(), sorted(found.absent)[:3]
    (0, ['appraisals', 'branches', 'dues_payments'])
    >>> print(found.notices[6].render("en"))
    talks: the source has no such table: taken as no talk records kept
    """
    schemas: dict[str, Any] | None = None
    if con.name == "duckdb" and database is None:
        present, schemas = _duckdb_schemas(con)
    else:
        present = set(con.list_tables(database=database))
    problems: list[Problem] = []
    notices: list[Problem] = []
    absent: set[str] = set()
    found: dict[str, IbisTable] = {}
    for table in tables():
        kind = table.name if table.parent is None else table.name.partition(".")[0]
        if table.name not in present:
            if table.parent is None:
                absent.add(table.name)
                notices.append(
                    Problem(
                        path=_where(table.name),
                        code="absent_table",
                        message=t("数据源中没有这张表，按没有{label}记录处理", label=_label(table)),
                    )
                )
            elif table.name in LATER_TABLES and kind not in absent:
                notices.append(
                    Problem(
                        path=_where(table.name),
                        code="absent_table",
                        message=t(
                            "数据源中没有这张表（表结构后来增加的子表），按各条记录都没有{label}处理",
                            label=_label(table),
                        ),
                    )
                )
            elif kind not in absent:
                problems.append(
                    Problem(
                        path=_where(table.name),
                        code="missing_table",
                        message=t(
                            "缺少这张表：{parent}表在，它的子表也须在（都没有{label}时给一张空表或空视图）",
                            parent=table.parent,
                            label=_label(table),
                        ),
                    )
                )
            found[table.name] = _empty(con, table)
            continue
        ours = _table(con, table.name, database, schemas)
        schema = ours.schema()
        for column in table.columns:
            if column.name not in schema:
                problems.append(
                    Problem(
                        path=_where(table.name, column.name),
                        code="missing_column",
                        message=t("缺少此列，应为 {type}", type=expected_type(column)),
                    )
                )
            elif not _fits(column, schema[column.name], con.name):
                problems.append(
                    Problem(
                        path=_where(table.name, column.name),
                        code="wrong_type",
                        message=t(
                            "类型应为 {expected}，实为 {actual}",
                            expected=expected_type(column),
                            actual=str(schema[column.name]).lstrip("!"),
                        ),
                    )
                )
        found[table.name] = ours
    if problems:
        raise LedgerError(problems)
    return RecordTables(found, con, frozenset(absent), tuple(notices))


# -- putting tables onto a backend -------------------------------------------------------------


def _times_as_text(data: pa.Table) -> pa.Table:
    """``data`` with its time columns as ``HH:MM:SS`` strings (for Spark, which has no time),
    to the second."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, field in enumerate(data.schema):
        if pa.types.is_time(field.type):
            seconds = pc.cast(data.column(i), pa.time32("s"), safe=False)  # fractions dropped
            text = pc.cast(seconds, pa.string())
            data = data.set_column(i, pa.field(field.name, pa.string(), field.nullable), text)
    return data


def upload(con: BaseBackend, name: str, data: pa.Table) -> None:
    """Put the Arrow table ``data`` onto ``con`` as the table ``name``, replacing one of that name.

    On Spark it becomes a temporary view of the session (its time columns as ``HH:MM:SS``
    strings: Spark has no time type before 4.1); on DuckDB, PostgreSQL (in the first schema of
    the ``search_path``) and any other backend, a table made by ``con.create_table``.

    >>> import pyarrow as pa
    >>> con = connect()
    >>> upload(con, "members.mentors", pa.table({"member": ["m1"], "index": [0], "mentors": ["m2"]}))
    >>> con.table("members.mentors").count().execute()
    1
    """
    if con.name == "pyspark":
        session = con._session
        frame = session.createDataFrame(_times_as_text(data))
        frame.createOrReplaceTempView(_quoted(name, "pyspark"))
    else:
        con.create_table(name, data, overwrite=True)


def create_tables(con: BaseBackend, data: Mapping[str, pa.Table]) -> None:
    """Put every Arrow table of ``data`` onto ``con`` under its name (see :func:`upload`)."""
    for name, table in data.items():
        upload(con, name, table)
