"""Opening sources as Ibis backends and finding the record tables on them
(``dangjian.tables.backends``): DuckDB over Parquet files and a database file, a real PostgreSQL
server and a local Spark session (``tests/tables/conftest.py``); every kind of problem at its
table and column, all at once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.errors import DangjianError, LedgerError
from dangjian.tables import table, tables
from dangjian.tables.backends import (
    RecordTables,
    connect,
    create_tables,
    default_memory_limit,
    expected_type,
    limit_memory,
    record_tables,
    upload,
)
from tests.builders import examples
from tests.builders.backends import layout_tables, sample_rows, unavailable

KINDS = [t.name for t in tables() if t.parent is None]


def write_parquet(directory: Path, data: dict[str, pa.Table]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, arrow in data.items():
        pq.write_table(arrow, directory / f"{name}.parquet")
    return directory


def problems_of(error: LedgerError) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in error.problems}


def assert_sample_found(found: RecordTables) -> None:
    """The sample's rows are all there, in the layout's names and with exact values."""
    assert set(found) == {t.name for t in tables()}
    assert found.absent == frozenset() and found.notices == ()
    rows = sample_rows()
    for name in ("branches", "members", "meetings", "meetings.attended", "talks"):
        assert found[name].count().execute() == len(rows[name])
    dues = found["dues_payments"].order_by("id").to_pyarrow()
    assert dues.column("amount").to_pylist() == [Decimal("12.35")] * 2
    assert dues.column("month").to_pylist() == [dt.date(2020, 1, 1), dt.date(2020, 2, 1)]
    attended = found["meetings.attended"]
    assert sorted(attended.filter(attended.meeting == "mt1").attended.to_pyarrow().to_pylist()) == [
        "m1",
        "m2",
        "m3",
    ]


# -- connect -----------------------------------------------------------------------------------


def test_none_is_a_fresh_in_memory_duckdb_and_a_backend_is_itself() -> None:
    first, second = connect(), connect(None)
    assert first.name == second.name == "duckdb"
    upload(first, "x", pa.table({"a": [1]}))
    assert "x" not in second.list_tables()
    assert connect(first) is first
    assert connect("duckdb://").list_tables() == []


def _setting(con: Any, name: str) -> str:
    return str(con.raw_sql(f"SELECT current_setting('{name}')").fetchone()[0])


def test_a_duckdb_of_the_check_is_bounded_and_spills_to_a_directory_of_its_own() -> None:
    import tempfile

    first, second = connect(), connect()
    spills = {_setting(first, "temp_directory"), _setting(second, "temp_directory")}
    assert len(spills) == 2  # two checks at once never share their spill files
    assert all(Path(s).parent == Path(tempfile.gettempdir()) for s in spills)
    default = int(default_memory_limit().removesuffix("MiB"))
    # DuckDB shows the limit in its own units, to one place: within 2 % of the quarter
    shown = _setting(first, "memory_limit")
    number, unit = shown.split()
    scale = {"MiB": 1, "GiB": 1024, "MB": 1 / 1.048576, "GB": 1000 / 1.048576}[unit]
    assert abs(float(number) * scale - default) <= default / 50
    assert _setting(first, "preserve_insertion_order").lower() == "false"  # False or false


def test_the_memory_limit_can_be_set_and_a_bad_one_is_refused() -> None:
    con = connect()
    limit_memory(con, "300MiB")
    assert _setting(con, "memory_limit") == "300.0 MiB"
    with pytest.raises(DangjianError, match="lots"):
        limit_memory(con, "lots")
    assert _setting(con, "memory_limit") == "300.0 MiB"  # as it was


def test_a_duckdb_file_opens_read_only_by_default(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    writable = connect(path, read_only=False)
    create_tables(writable, layout_tables(sample_rows()))
    writable.disconnect()
    for source in (path, str(path), f"duckdb://{path}"):
        con = connect(source)
        assert_sample_found(record_tables(con))
        with pytest.raises(Exception, match="read-only"):
            con.raw_sql("CREATE TABLE y (a INTEGER)")
        con.disconnect()
    other = tmp_path / "ledger.db"
    connect(other, read_only=False).disconnect()
    assert connect(other).name == "duckdb"


def test_a_parquet_directory_has_one_view_per_file_named_as_the_file(tmp_path: Path) -> None:
    directory = write_parquet(tmp_path / "ledger", layout_tables(sample_rows()))
    # a table written as a directory of parts (as Spark writes it) is read whole
    parts = directory / "trainings.parquet"
    (directory / "trainings.parquet").unlink()
    parts.mkdir()
    empty = layout_tables()["trainings"]
    pq.write_table(empty, parts / "part-0.parquet")
    con = connect(directory)
    assert "meetings.attended" in con.list_tables()
    assert_sample_found(record_tables(con))
    assert connect(str(directory)).table("members.transfers").count().execute() == 0


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("mysql://u@h/db", "不支持的数据源地址"),
        ("no/such/ledger.duckdb", "不存在"),
        ("duckdb://no/such/file.duckdb", "不存在"),
        ("no/such/directory", "不存在"),
        (42, "无法识别的数据源「int」"),
    ],
)
def test_a_source_that_cannot_be_opened_says_why(source: Any, says: str) -> None:
    with pytest.raises(DangjianError, match=says):
        connect(source)


def test_a_directory_without_parquet_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(DangjianError, match="没有 Parquet 文件") as caught:
        connect(tmp_path)
    assert "no Parquet" in caught.value.render("en")
    with pytest.raises(DangjianError, match="无法识别"):
        connect(tmp_path / "notes.txt")


# -- record_tables: what is found and what is not ------------------------------------------


def test_a_record_kind_not_kept_is_an_empty_table_with_a_notice() -> None:
    con = connect()
    create_tables(con, layout_tables(sample_rows(), without=("talks", "pairings")))
    found = record_tables(con)
    assert found.absent == {"talks", "pairings"}
    assert [(n.path, n.code) for n in found.notices] == [
        ("talks", "absent_table"),
        ("pairings", "absent_table"),
    ]
    assert "谈心谈话" in found.notices[0].message
    assert "talks" in found.notices[0].render("en")
    for name in ("talks", "pairings", "pairings.visits.donations"):
        assert found[name].count().execute() == 0
        assert list(found[name].schema()) == [c.name for c in table(name).columns]
    # the stand-in joins with the tables that are there
    talks, members = found["talks"], found["members"]
    assert talks.join(members, talks.initiator == members.id).count().execute() == 0


def test_every_problem_at_once_at_its_table_and_column() -> None:
    data = layout_tables(sample_rows(), without=("meetings.attended",))
    data["members"] = data["members"].drop_columns(["status", "branch"])
    dues = data["dues_payments"]
    data["dues_payments"] = dues.set_column(
        dues.schema.get_field_index("amount"), "amount", dues.column("amount").cast(pa.float64())
    )
    meetings = data["meetings"]
    data["meetings"] = meetings.set_column(
        meetings.schema.get_field_index("date"), "date", meetings.column("date").cast(pa.string())
    )
    con = connect()
    create_tables(con, data)
    with pytest.raises(LedgerError) as caught:
        record_tables(con)
    assert problems_of(caught.value) == {
        ("members[branch]", "missing_column"),
        ("members[status]", "missing_column"),
        ("meetings[date]", "wrong_type"),
        ("dues_payments[amount]", "wrong_type"),
        ("meetings.attended", "missing_table"),
    }
    english = caught.value.render("en")
    assert "dues_payments[amount]" in english and "float64" in english
    chinese = str(caught.value)
    assert "台账有 5 处错误" in chinese and "类型应为 date，实为 string" in chinese


@pytest.mark.parametrize(
    ("column", "sql_type", "fits"),
    [
        ("amount", "DECIMAL(18, 2)", True),
        ("amount", "DECIMAL(10, 4)", True),
        ("amount", "DECIMAL(18, 1)", False),
        ("amount", "DOUBLE", False),
        ("amount", "VARCHAR", False),
        ("month", "DATE", True),
        ("month", "TIMESTAMP", False),
        ("voluntary", "BOOLEAN", True),
        ("voluntary", "INTEGER", False),
    ],
)
def test_the_types_a_column_may_have(column: str, sql_type: str, fits: bool) -> None:
    con = connect()  # the other record kinds are absent: empty, not errors
    columns = ", ".join(
        f'"{c.name}" {sql_type if c.name == column else "VARCHAR"}'
        for c in table("dues_payments").columns
        if c.name in (column, "id", "member", "note")
    )
    others = [
        c for c in table("dues_payments").columns if c.name not in (column, "id", "member", "note")
    ]
    typed = {"integer": "BIGINT", "decimal(p, s≥2)": "DECIMAL(18, 2)", "date": "DATE"}
    columns += "".join(
        f', "{c.name}" {typed.get(expected_type(c), expected_type(c).upper())}' for c in others
    )
    con.raw_sql(f"CREATE TABLE dues_payments ({columns})")
    if fits:
        assert record_tables(con)["dues_payments"].count().execute() == 0
    else:
        with pytest.raises(LedgerError) as caught:
            record_tables(con)
        assert problems_of(caught.value) == {(f"dues_payments[{column}]", "wrong_type")}


def test_narrower_integers_and_extra_columns_are_accepted() -> None:
    data = layout_tables(sample_rows())
    attended = data["meetings.attended"]
    data["meetings.attended"] = attended.set_column(
        1, "index", attended.column("index").cast(pa.int16())
    ).append_column("platform_note", pa.array(["x"] * attended.num_rows))
    con = connect()
    create_tables(con, data)
    found = record_tables(con)
    assert found["meetings.attended"].count().execute() == 3


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_problems_are_exactly_the_columns_taken_away(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from([t.name for t in tables()]), label="table")
    columns = [c.name for c in table(name).columns]
    dropped = data.draw(
        st.sets(st.sampled_from(columns), min_size=1, max_size=len(columns) - 1), label="dropped"
    )
    kind = name.partition(".")[0]  # its record kind's tables only: the others are absent
    arrow = {n: a for n, a in layout_tables().items() if n.partition(".")[0] == kind}
    arrow[name] = arrow[name].drop_columns(sorted(dropped))
    con = connect()
    create_tables(con, arrow)
    with pytest.raises(LedgerError) as caught:
        record_tables(con)
    assert problems_of(caught.value) == {(f"{name}[{c}]", "missing_column") for c in dropped}


# -- PostgreSQL ------------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_with_tables_in_a_schema_and_with_a_platform_s_views(postgres_url: str) -> None:
    con = connect(postgres_url)
    assert con.name == "postgres"
    assert connect(postgres_url.replace("postgresql://", "postgres://")).name == "postgres"
    # the layout's tables in a schema of their own
    con.raw_sql("CREATE SCHEMA IF NOT EXISTS layout").close()
    con.raw_sql("SET search_path TO layout").close()
    create_tables(con, layout_tables(sample_rows()))
    con.raw_sql("SET search_path TO public").close()
    assert_sample_found(record_tables(con, database="layout"))
    # nothing of the layout in the schema public: every record kind absent, none an error
    nothing = record_tables(con, database="public")
    assert nothing.absent == set(KINDS) and len(nothing.notices) == len(KINDS)
    # the empty stand-ins run on PostgreSQL, and join with its tables
    members = record_tables(con, database="layout")["members"]
    talks = nothing["talks"]
    assert talks.join(members, talks.partner == members.id).count().execute() == 0
    # a platform keeps its members in a table of its own and maps it with a view; the view's
    # columns are PostgreSQL's own types (integer, numeric without scale, varchar, text)
    con.raw_sql("CREATE SCHEMA IF NOT EXISTS platform").close()
    con.raw_sql("SET search_path TO platform").close()
    # (their child tables stay: members.transfers and the rest are the layout's, as tables)
    kept = layout_tables(sample_rows())
    create_tables(con, {n: a for n, a in kept.items() if n not in ("members", "dues_payments")})
    con.raw_sql(
        "CREATE TABLE party_member (pk varchar(20) PRIMARY KEY, full_name text, sex text,"
        " org varchar(20), state text, cadre boolean)"
    ).close()
    con.raw_sql(
        "INSERT INTO party_member VALUES ('m1', '甲', 'female', 'b1', 'full', false),"
        " ('m2', '乙', 'male', 'b1', 'full', true)"
    ).close()
    member_columns = ", ".join(
        {
            "id": "pk AS id",
            "name": "full_name AS name",
            "gender": "sex AS gender",
            "branch": "org AS branch",
            "status": "state AS status",
            "leading_cadre": "cadre AS leading_cadre",
        }.get(c.name, f'NULL::{_pg(c)} AS "{c.name}"')
        for c in table("members").columns
    )
    con.raw_sql(f"CREATE VIEW members AS SELECT {member_columns} FROM party_member").close()
    con.raw_sql(
        "CREATE TABLE fee (pk text, who text, ym date, paid numeric, extra boolean)"
    ).close()
    con.raw_sql("INSERT INTO fee VALUES ('d1', 'm1', '2020-01-01', 12.345, false)").close()
    dues_columns = ", ".join(
        {
            "id": "pk AS id",
            "member": "who AS member",
            "month": "ym AS month",
            "amount": "paid AS amount",
            "voluntary": "extra AS voluntary",
        }.get(c.name, f'NULL::{_pg(c)} AS "{c.name}"')
        for c in table("dues_payments").columns
    )
    con.raw_sql(f"CREATE VIEW dues_payments AS SELECT {dues_columns} FROM fee").close()
    con.raw_sql("SET search_path TO public").close()
    found = record_tables(con, database="platform")
    assert found["members"].count().execute() == 2
    assert found["dues_payments"].amount.sum().execute() == Decimal("12.345")
    # a dotted table is one quoted name in PostgreSQL's SQL
    con.raw_sql('ALTER TABLE platform."meetings.attended" RENAME COLUMN attended TO who').close()
    with pytest.raises(LedgerError) as caught:
        record_tables(con, database="platform")
    assert problems_of(caught.value) == {("meetings.attended[attended]", "missing_column")}
    con.disconnect()


def _pg(column: Any) -> str:
    return {
        "integer": "bigint",
        "decimal(p, s≥2)": "numeric(18, 2)",
        "string": "text",
    }.get(expected_type(column), expected_type(column))


# -- Spark (one test: one JVM per test process) ---------------------------------------------


@pytest.mark.spark
def test_spark_session_tables_errors_and_stand_ins(spark: Any) -> None:
    con = connect(spark)
    assert con.name == "pyspark" and connect(con) is con
    data = layout_tables(sample_rows(), without=("talks",))
    create_tables(con, data)
    found = record_tables(con)
    assert found.absent == {"talks"} and found["talks"].count().execute() == 0
    assert found["members"].count().execute() == 3
    attended = found["meetings.attended"]  # a dotted name, one identifier
    assert attended.filter(attended.meeting == "mt1").count().execute() == 3
    dues = found["dues_payments"]
    assert dues.amount.sum().execute() == Decimal("24.70")
    # Spark has no time type: the clock times went up as text, and text is accepted
    assert found["meetings"].schema()["start"].is_string()
    starts = found["meetings"].filter(found["meetings"].id == "mt1").start.execute()
    assert starts.tolist() == ["09:30:00"]
    # a wrong type is found on Spark as elsewhere
    upload(con, "dues_payments", data["dues_payments"].drop_columns(["voluntary"]))
    wrong = data["meetings"].set_column(
        data["meetings"].schema.get_field_index("date"),
        "date",
        data["meetings"].column("date").cast(pa.string()),
    )
    upload(con, "meetings", wrong)
    with pytest.raises(LedgerError) as caught:
        record_tables(con)
    assert problems_of(caught.value) == {
        ("dues_payments[voluntary]", "missing_column"),
        ("meetings[date]", "wrong_type"),
    }
    for name in data:
        spark.catalog.dropTempView(f"`{name}`")


def test_ibis_connections_made_elsewhere_are_taken_as_they_are(tmp_path: Path) -> None:
    con = ibis.duckdb.connect()
    create_tables(con, layout_tables(sample_rows()))
    assert_sample_found(record_tables(connect(con)))


def test_importing_dangjian_and_this_module_imports_no_table_engine() -> None:
    code = (
        "import sys, dangjian, dangjian.tables.backends\n"
        "heavy = {m.partition('.')[0] for m in sys.modules} & {'ibis', 'pyspark', 'pyarrow', 'duckdb'}\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_backend_that_cannot_start_skips_outside_ci_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no server"):
        unavailable("no server")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI every backend must start: no server"):
        unavailable("no server")


def test_the_examples_in_the_module_run() -> None:
    import doctest

    from dangjian.tables import backends

    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(backends, optionflags=flags)
    assert result.attempted >= 10 and result.failed == 0
