"""Real backends for the table tests, started once per test process: a PostgreSQL server in a
temporary directory and a local Spark session. Nothing here is a mock.

- :func:`postgres_server` runs ``initdb`` in a temporary directory, starts the server with
  ``pg_ctl`` on a free local port (its socket in the same directory), yields a URL
  (``postgresql://postgres@127.0.0.1:PORT/postgres``) and stops the server and removes the
  directory after. The server's programs are found on ``PATH`` or in
  ``/usr/lib/postgresql/<version>/bin`` (where Debian's ``postgresql`` package puts them;
  ``.ci/run`` installs it when they are missing). As root, where ``initdb`` refuses to run, the
  server runs as the ``postgres`` system user the package creates (or ``nobody``).
- :func:`spark_session` starts a local-mode Spark session (one core, no UI, two shuffle
  partitions, errors only in the log) and stops it after; it needs a Java runtime
  (``.ci/run`` installs ``default-jre-headless`` when ``java -version`` fails).

A backend that cannot be started skips the tests that need it, with the reason, only when the
environment variable ``CI`` is not set; in CI (``CI=true``, as ``.ci/run`` runs) they fail.
The fixtures ``postgres_url`` and ``spark`` of ``tests/tables/conftest.py`` hand these out.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

__all__ = [
    "layout_tables",
    "postgres_bin",
    "postgres_server",
    "sample_rows",
    "spark_session",
    "unavailable",
]


def unavailable(reason: str) -> NoReturn:
    """Skip the test for ``reason``; fail it instead when running in CI (``CI`` is set)."""
    if os.environ.get("CI"):
        pytest.fail(f"in CI every backend must start: {reason}", pytrace=False)
    pytest.skip(reason)


def postgres_bin() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: on ``PATH``, else the newest
    ``/usr/lib/postgresql/<version>/bin``; ``None`` when there is none."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    versions = sorted(
        candidates, key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0
    )
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged user the server runs as when we are root; ``None`` when we are not."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    unavailable("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL")


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of its own, running while the context lasts; yields its URL."""
    bindir = postgres_bin()
    if bindir is None:
        unavailable("PostgreSQL's initdb is neither on PATH nor in /usr/lib/postgresql/*/bin")
    user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="dangjian-pg-"))
    data, log = root / "data", root / "server.log"
    as_user: dict[str, Any] = {}
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "HOME": str(root)}

    def run(*args: str | Path) -> None:
        subprocess.run(
            [str(a) for a in args],
            check=True,
            capture_output=True,
            cwd=root,
            env=env,
            timeout=120,
            **as_user,
        )

    port = _free_port()
    started = False
    try:
        try:
            run(bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8")
            options = (
                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            run(bindir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start")
            started = True
        except (OSError, subprocess.SubprocessError) as e:
            detail = getattr(e, "stderr", b"") or b""
            if log.exists():
                detail += log.read_bytes()[-2000:]
            unavailable(f"PostgreSQL could not be started: {e}: {detail.decode(errors='replace')}")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                run(bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def spark_session() -> Iterator[Any]:
    """A local-mode SparkSession, stopped when the context ends."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        unavailable(f"pyspark is not installed: {e}")
    root = Path(tempfile.mkdtemp(prefix="dangjian-spark-"))
    try:
        try:
            session = (
                SparkSession.builder.master("local[1]")
                .appName("dangjian-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "1")
                .config("spark.sql.session.timeZone", "UTC")
                # the rules' plans are large: whole-stage code generation of them is slow to
                # compile and can run the default driver out of memory
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.driver.memory", "3g")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.warehouse.dir", str(root / "warehouse"))
                .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={root}")
                .getOrCreate()
            )
        except Exception as e:  # a missing Java runtime surfaces as one of several errors
            unavailable(f"Spark could not be started (is Java installed?): {e}")
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def layout_tables(
    rows: dict[str, list[dict[str, Any]]] | None = None, *, without: tuple[str, ...] = ()
) -> dict[str, Any]:
    """One Arrow table per table of the layout, in the layout's types, built with pyarrow alone:
    ``rows`` gives the rows of some (by table name, a dict of column values each; the columns not
    given are empty), the rest are empty; the tables named in ``without`` (and, for a record kind,
    its child tables) are left out."""
    import pyarrow as pa

    from dangjian.tables import tables
    from dangjian.tables.backends import layout_schema

    rows = rows or {}
    out: dict[str, Any] = {}
    for table in tables():
        if table.name in without or table.name.partition(".")[0] in without:
            continue
        schema = layout_schema(table).to_pyarrow()
        for i, field in enumerate(schema):  # clock times in microseconds, as agreed
            if pa.types.is_time(field.type):
                schema = schema.set(i, field.with_type(pa.time64("us")))
        out[table.name] = pa.Table.from_pylist(rows.get(table.name, []), schema=schema)
    return out


def sample_rows() -> dict[str, list[dict[str, Any]]]:
    """A few rows of a committee with one branch: members, two meetings and who attended, two
    months of dues (exact amounts), a heart-to-heart talk."""
    import datetime as dt
    from decimal import Decimal

    return {
        "branches": [
            {"id": "c1", "name": "机关党委", "level": "committee", "category": "organ"},
            {
                "id": "b1",
                "name": "第一支部",
                "level": "branch",
                "category": "organ",
                "parent": "c1",
            },
        ],
        "members": [
            {
                "id": f"m{i}",
                "name": f"党员{i}",
                "gender": "female",
                "branch": "b1",
                "status": "full",
                "leading_cadre": False,
            }
            for i in (1, 2, 3)
        ],
        "meetings": [
            {
                "id": "mt1",
                "kind": "branch_members",
                "branch": "b1",
                "date": dt.date(2020, 1, 8),
                "start": dt.time(9, 30),
            },
            {"id": "mt2", "kind": "branch_committee", "branch": "b1", "date": dt.date(2020, 2, 5)},
        ],
        "meetings.attended": [
            {"meeting": "mt1", "index": i, "attended": f"m{i + 1}"} for i in range(3)
        ],
        "dues_payments": [
            {
                "id": f"d{n}",
                "member": "m1",
                "month": dt.date(2020, n, 1),
                "amount": Decimal("12.35"),
                "voluntary": False,
            }
            for n in (1, 2)
        ],
        "talks": [{"id": "t1", "initiator": "m1", "partner": "m2", "date": dt.date(2020, 3, 2)}],
    }
