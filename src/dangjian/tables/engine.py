"""Checking record tables: every rule of a profile over a period, as relational plans.

The table engine evaluates the same rules as :func:`dangjian.check` — the same rule files, the
same waivers, the same verdicts and messages — over the record tables of a backend (DuckDB,
PostgreSQL, PySpark) instead of Python objects. Each built-in rule kind has a table
implementation in :mod:`dangjian.tables.kinds` written once with Ibis; the findings stay a table
on the backend (:class:`TableReport`) until they are asked for.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from dangjian._progress import track
from dangjian.calendar import WorkingCalendar
from dangjian.errors import DangjianError, Problem, RuleError
from dangjian.findings import Status, Waiver
from dangjian.i18n import t
from dangjian.periods import Period
from dangjian.rules.kinds._common import partly_in_force_message
from dangjian.rules.loader import load_rules
from dangjian.rules.registry import Registry, default_registry
from dangjian.rules.schema import Rule
from dangjian.rules.waivers import (
    is_selected,
    unmatched_rules,
    unmatched_waivers,
    waivers_covering_nothing,
    waivers_on_unknowns,
)
from dangjian.tables.context import TableContext, value_of
from dangjian.tables.findings import FINDING_COLUMNS, TableKind
from dangjian.tables.kinds import TABLE_KINDS
from dangjian.tables.kinds._common import (
    ibis,
)
from dangjian.tables.report import TableReport

__all__ = ["evaluate"]

T = TypeVar("T")


def evaluate(
    con: Any,
    tables: dict[str, Any],
    period: Period | str,
    *,
    as_of: dt.date | None = None,
    profile: str = "national",
    rules: Sequence[str | os.PathLike[str]] = (),
    waivers: Iterable[Waiver] = (),
    registry: Registry | None = None,
    calendar: WorkingCalendar | None = None,
    only: Sequence[str] = (),
    allow_unmatched: bool = False,
    kinds: dict[str, TableKind] | None = None,
) -> TableReport:
    """Check the record ``tables`` on the backend ``con`` (see :func:`dangjian.tables.check`,
    which opens them from a source)."""
    registry = registry or default_registry()
    kinds = TABLE_KINDS if kinds is None else kinds
    if isinstance(period, str):
        period = Period.parse(period)
    ruleset = load_rules(profile, rules, registry=registry, allow_unmatched=allow_unmatched)
    selected = [r for r in ruleset if is_selected(r, only)]
    missing = sorted({r.kind for r in selected if r.kind not in kinds})
    if missing:
        raise DangjianError(
            t(
                "以下规则类型没有表引擎实现，无法在数据表上检查：{kinds}；"
                "请用 --select 只选其他规则，或将数据载入为台账后检查",
                kinds="、".join(missing),
            )
        )
    ctx = TableContext(con, tables, period, as_of or dt.date.today(), calendar)
    waiver_list = tuple(waivers)
    unmatched = unmatched_waivers(_records_finder(ctx), period, ruleset, waiver_list)
    unmatched += unmatched_rules(
        period, selected, lambda r: int(ctx.value(ctx.organisations(r).count())) > 0
    )
    if unmatched and not allow_unmatched:
        raise RuleError(unmatched)
    # (building a plan may run part of it: the tables every rule of a kind shares are computed
    # once, when the first rule asks for them)
    parts = [
        (r.id, _within_memory(con, r.id, partial(kinds[r.kind].evaluate, ctx, r))) for r in selected
    ]
    parts = [(rid, _waive(ctx, part, waiver_list)) for rid, part in parts] or [("", _empty(ctx))]
    name = f"dangjian_findings_{uuid.uuid4().hex[:12]}"
    table = _keep(con, name, parts)
    report = TableReport(
        con=con,
        table=table,
        period=period,
        as_of=ctx.as_of,
        profile=profile,
        rules={r.id: r for r in selected},
        kinds={r.id: kinds[r.kind] for r in selected},
        waivers=waiver_list,
        notices=ruleset.notices + tuple(unmatched),
        context=ctx,
    )
    late = _waivers_matching_no_finding(
        report, waiver_list, {p.path.rsplit(".", 1)[0] for p in unmatched}
    )
    if late and not allow_unmatched:
        raise RuleError(late)
    report.notices += tuple(late) + tuple(_waivers_of_unknown_findings(report, waiver_list))
    return report


def _keep(con: Any, name: str, parts: list[tuple[str, Any]]) -> Any:
    """The findings of every rule computed once and kept on the backend for the session: a
    temporary table filled rule by rule (one statement of every rule's plan is too deep for the
    SQL writer), each rule's plan (``parts``: the rule's id and its plan) compiled to SQL once
    and run as it is; or on Spark, which has no temporary tables, a temporary view of their
    union held in the session's cache.

    On DuckDB, once the table holds more than :data:`IN_MEMORY_ROWS` findings, the rules after
    are written to Parquet files instead (:func:`_files_of`), and the findings are a view of the
    table and the files: a table in memory is not compressed, and at a province's size (tens of
    millions of findings, several times the memory limit) DuckDB would spend a fifth of the
    check writing it out to its spill files and reading it back.

    The plans are compiled one after another in a thread of their own while the backend runs
    the rules compiled before (compiling is Python's work, running the backend's, which lets
    Python go on meanwhile): the compiling of all but the first rule takes no time of its own."""
    if con.name == "pyspark":
        view = con.create_view(name, _balanced_union([p for _, p in parts]), overwrite=True)
        con._session.catalog.cacheTable(name)
        return view
    schema = ibis().schema(dict(FINDING_COLUMNS))
    table = con.create_table(name, schema=schema, temp=True)
    target = _quoted(con, name)
    kept = 0  # the rows of the table (counted on DuckDB only)
    where: Path | None = None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dangjian-compile")
    try:
        # (``con.insert`` would compile the plan, write it out and parse it back: a third of
        # the time of a small check)
        compiled = pool.map(con.compile, [part for _, part in parts])
        for i, ((rule_id, part), sql) in enumerate(
            zip(track(parts, t("检查规则"), unit="rule"), compiled, strict=True)
        ):
            con._run_pre_execute_hooks(part)  # the small tables of Python values it reads
            if where is None and con.name == "duckdb" and kept > IN_MEMORY_ROWS:
                where = _files_of(con)
            if where is not None:
                path = where / f"{i:05d}.parquet"
                _within_memory(con, rule_id, partial(_write, con, sql, path))
            else:
                insert = f"INSERT INTO {target} {sql}"
                kept += _within_memory(con, rule_id, partial(_run, con, insert))
    finally:
        pool.shutdown(cancel_futures=True)
    if where is None:
        return table
    columns = ", ".join(_quoted(con, c) for c, _ in FINDING_COLUMNS)
    files = _sql_string(str(where / "*.parquet"))
    view = f"{name}_all"
    con.raw_sql(
        f"CREATE TEMP VIEW {_quoted(con, view)} AS SELECT {columns} FROM {target}"
        f" UNION ALL SELECT {columns} FROM read_parquet({files})"
    )
    return con.table(view)


IN_MEMORY_ROWS = 1_000_000
"""The findings a check on DuckDB keeps in a table in memory (a few hundred MB) before it
writes the rules after to Parquet files (:func:`_keep`)."""


def _files_of(con: Any) -> Path:
    """A directory of the system's temporary directory, readable by its owner only (findings
    name members), for the findings of ``con``; removed when ``con`` is, or when Python
    exits."""
    import shutil
    import tempfile
    import weakref

    where = Path(tempfile.mkdtemp(prefix="dangjian-findings-"))
    weakref.finalize(con, shutil.rmtree, where, True)
    return where


def _write(con: Any, sql: str, path: Path) -> None:
    """The rows of ``sql`` written to the Parquet file ``path``; nothing left of it when that
    fails (the rule is then run again, or the check stops)."""
    try:
        _run(con, f"COPY ({sql}) TO {_sql_string(str(path))} (FORMAT parquet)")
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _run(con: Any, sql: str) -> int:
    """Run ``sql``; the rows it wrote on DuckDB (``INSERT`` and ``COPY`` say), else 0."""
    with con._safe_raw_sql(sql) as cursor:
        if con.name != "duckdb":
            return 0
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def _within_memory(con: Any, rule_id: str, work: Callable[[], T]) -> T:
    """``work()``, the plan of the rule ``rule_id`` built or run; on DuckDB, when it runs out of
    the connection's memory limit, once more on one thread (each of DuckDB's threads holds its
    own part of a query's hash tables), and when that runs out too, a :class:`DangjianError`
    that names the rule and the limit (a statement that fails leaves nothing behind: the
    findings table holds only whole rules)."""
    if con.name != "duckdb":
        return work()
    import duckdb

    try:
        return work()
    except duckdb.OutOfMemoryException:
        pass
    threads = int(_setting(con, "threads"))
    con.raw_sql("SET threads = 1")
    try:
        return work()
    except duckdb.OutOfMemoryException as e:
        raise DangjianError(
            t(
                "检查规则「{rule}」时 DuckDB 的内存超出上限 {limit}（单线程重试仍超出）：{error}；"
                "请用 --memory-limit（或 memory_limit=）调高上限",
                rule=rule_id,
                limit=_setting(con, "memory_limit"),
                error=str(e).splitlines()[0],
            )
        ) from None
    finally:
        con.raw_sql(f"SET threads = {threads}")


def _setting(con: Any, name: str) -> str:
    """The value of the DuckDB setting ``name`` of ``con``."""
    row = con.con.execute("SELECT current_setting(?)", [name]).fetchone()
    return str(row[0])


def _quoted(con: Any, name: str) -> str:
    """``name`` quoted as one identifier of the backend's SQL."""
    import sqlglot

    return str(sqlglot.exp.to_identifier(name, quoted=True).sql(con.dialect))


def _balanced_union(parts: list[Any]) -> Any:
    """The union of ``parts``, paired off level by level so that its depth grows with the
    logarithm of their number."""
    while len(parts) > 1:
        parts = [
            parts[i].union(parts[i + 1], distinct=False) if i + 1 < len(parts) else parts[i]
            for i in range(0, len(parts), 2)
        ]
    return parts[0]


def _empty(ctx: TableContext) -> Any:
    schema = {name: type_ for name, type_ in FINDING_COLUMNS}
    return ctx.memtable({name: [] for name in schema}, schema)


def _records_finder(ctx: TableContext) -> Any:
    """Whether an id is the id of a record of some kind, asked of the tables."""
    from dangjian.ledger import RECORD_KINDS

    found: dict[str, bool] = {}

    def is_record(subject: str) -> bool:
        if subject not in found:
            hits = 0
            for kind in RECORD_KINDS:
                if kind.field not in ctx.tables:
                    continue
                table = ctx.table(kind.field)
                hits += int(ctx.value(table.filter(table.id == subject).count()))
                if hits:
                    break
            found[subject] = hits > 0
        return found[subject]

    return is_record


def _covers(w: Waiver, f: Any) -> Any:
    """Whether the waiver ``w`` covers the findings rows ``f`` (:meth:`Waiver.covers`)."""
    cond = (f.rule == w.rule) & f.period.notnull()
    cond &= (f.period_start >= w.period.start) & (f.period_end <= w.period.end)
    if w.subject is not None:
        cond &= (f.subject_id == w.subject) | (f.subject_branch == w.subject)
    return cond


def _waive(ctx: TableContext, findings: Any, waivers: tuple[Waiver, ...]) -> Any:
    """The failures a waiver covers made waived, with the position of the first such waiver."""
    if not waivers:
        return findings
    lit = ibis().literal
    first = ibis().cases(
        *((_covers(w, findings), lit(i, type="int64")) for i, w in enumerate(waivers)),
        else_=lit(None, type="int64"),
    )
    failed = findings.status == Status.FAILED.value
    waiver = ibis().cases((failed, first), else_=lit(None, type="int64"))
    marked = findings.mutate(waiver=waiver)
    return marked.mutate(
        status=ibis().cases(
            (marked.waiver.notnull(), lit(Status.WAIVED.value)), else_=marked.status
        )
    )


def _waivers_matching_no_finding(
    report: TableReport, waivers: tuple[Waiver, ...], reported: set[str]
) -> list[Problem]:
    f = report.table
    return waivers_covering_nothing(
        waivers,
        report.rules,
        reported,
        lambda _, w: bool(int(value_of(f.filter(_covers(w, f)).count()))),
    )


def _waivers_of_unknown_findings(report: TableReport, waivers: tuple[Waiver, ...]) -> list[Problem]:
    f = report.table

    def tally(i: int, w: Waiver) -> tuple[int, bool]:
        covered = f.filter(_covers(w, f))
        unknown = int(value_of(covered.filter(covered.status == Status.UNKNOWN.value).count()))
        # the excused count is asked only where it matters: unknowns are rare
        return unknown, bool(unknown) and bool(
            int(value_of(covered.filter(covered.waiver == i).count()))
        )

    return waivers_on_unknowns(waivers, tally)


def partly_message(rule: Rule, period: str) -> Any:
    """The message of a sub-period the rule is in force on only part of."""
    return partly_in_force_message(rule, Period.parse(period))
