"""The report of a check over tables: findings that stay a table on the backend until asked.

A :class:`TableReport` counts by rule, status and organisation on the backend, streams the
findings it is asked for as :class:`~dangjian.findings.Finding` objects, writes them to Parquet,
and becomes a :class:`~dangjian.report.Report` (every output format, the data frame) when small.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from dangjian.errors import DangjianError, Language, Problem
from dangjian.findings import Finding, Severity, Status, Waiver
from dangjian.i18n import t
from dangjian.periods import Period
from dangjian.report import GroupKey, OutputFormat, Report
from dangjian.rules.context import evidence_order
from dangjian.rules.kinds._common import partly_in_force_message
from dangjian.rules.schema import Rule
from dangjian.tables.context import arrow_of, value_of
from dangjian.tables.findings import FindingRow, TableKind, finding_of

__all__ = ["MATERIALISE_LIMIT", "TableReport"]

MATERIALISE_LIMIT = 200_000
"""The most findings :meth:`TableReport.to_report` makes into objects unless told otherwise."""

_KEY_COLUMNS: dict[str, str] = {
    "rule": "rule",
    "branch": "subject_branch",
    "status": "status",
    "severity": "severity",
    "period": "period",
    "subject": "subject_id",
}

_BATCH = 50_000


@attrs.define(kw_only=True, eq=False)
class TableReport:
    """Every finding of a check over tables, kept as a table on the backend.

    Attributes:
        con: The Ibis backend.
        table: The findings, an Ibis table of :data:`~dangjian.tables.findings.FINDING_COLUMNS`.
        period: The period checked.
        as_of: The day of judging.
        profile: The profile of rules used.
        rules: The rules checked, by id, in the order checked.
        kinds: The table kind of each rule, by rule id (it makes the findings' messages).
        waivers: The waivers of the check (a finding's ``waiver`` is a position in it).
        notices: What matched nothing, as :attr:`Report.notices <dangjian.report.Report.notices>`.
    """

    con: Any
    table: Any
    period: Period
    as_of: dt.date
    profile: str
    rules: dict[str, Rule]
    kinds: dict[str, TableKind]
    waivers: tuple[Waiver, ...] = ()
    notices: tuple[Problem, ...] = ()
    totals: dict[Status, int] | None = None
    context: Any = attrs.field(default=None, repr=False)
    """The context of the check, kept while the report lives: the tables it cached on the
    backend (member spans …) are dropped when it goes, and on Spark the findings are a view over
    them."""

    # -- counting --------------------------------------------------------------------------
    def counts(self) -> dict[Status, int]:
        """How many findings have each status (every status present, zero included)."""
        found = {row["status"]: row["n"] for row in self.counts_by("status")}
        return {s: int(found.get(s.value, 0)) for s in Status}

    def counts_by(self, *keys: GroupKey) -> list[dict[str, Any]]:
        """How many findings share each combination of ``keys`` (``rule``, ``branch``,
        ``status``, ``severity``, ``period``, ``subject``), counted on the backend: one
        mapping per combination, with the keys' values and ``n``, in the keys' order."""
        columns = [_KEY_COLUMNS[k] for k in keys]
        grouped = self.table.group_by(columns).aggregate(n=self.table.count())
        rows = arrow_of(self.con, grouped.order_by(columns)).to_pylist()
        return [{**{k: r[_KEY_COLUMNS[k]] for k in keys}, "n": r["n"]} for r in rows]

    def __len__(self) -> int:
        return int(value_of(self.table.count()))

    def __repr__(self) -> str:
        """One line: the period, the profile, the number of rules and the counts of its findings
        by status (one count on the backend); the findings stay on the backend."""
        counts = self.counts()
        counted = "，".join(f"{s.label}{n}" for s, n in counts.items() if n)
        return (
            f"<TableReport {self.period.label()}（截至{self.as_of.isoformat()}，规则集 "
            f"{self.profile}，{len(self.rules)}条规则）：{counted or 0}>"
        )

    def exit_code(self, fail_on: Severity | str = Severity.ERROR, *, unknown: bool = False) -> int:
        """1 when some finding of severity ``fail_on`` or above failed (or, with ``unknown``,
        cannot be told), else 0 — as :meth:`Report.exit_code <dangjian.report.Report.exit_code>`."""
        floor = Severity.parse(fail_on) if isinstance(fail_on, str) else fail_on
        statuses = [Status.FAILED.value] + ([Status.UNKNOWN.value] if unknown else [])
        serious = [s.value for s in Severity if s.rank >= floor.rank]
        f = self.table
        hits = f.filter(f.status.isin(statuses) & f.severity.isin(serious)).count()
        return int(int(value_of(hits)) > 0)

    # -- selecting -------------------------------------------------------------------------
    def filter(
        self,
        *,
        rule: str | None = None,
        branch: str | None = None,
        status: Status | str | Sequence[Status | str] | None = None,
        severity: Severity | str | None = None,
        at_least: Severity | str | None = None,
    ) -> TableReport:
        """The report with only the findings that match every criterion given, as
        :meth:`Report.filter <dangjian.report.Report.filter>` chooses them; still a table."""
        f = self.table
        keep = []
        if rule is not None:
            keep.append(f.rule.startswith(rule) if rule.endswith(".") else f.rule == rule)
        if branch is not None:
            keep.append(f.subject_branch == branch)
        if status is not None:
            wanted = (status,) if isinstance(status, str | Status) else tuple(status)
            keep.append(
                f.status.isin(
                    [(Status.parse(s) if isinstance(s, str) else s).value for s in wanted]
                )
            )
        if severity is not None:
            s = Severity.parse(severity) if isinstance(severity, str) else severity
            keep.append(f.severity == s.value)
        if at_least is not None:
            floor = Severity.parse(at_least) if isinstance(at_least, str) else at_least
            keep.append(f.severity.isin([s.value for s in Severity if s.rank >= floor.rank]))
        table = f.filter(*keep) if keep else f
        return attrs.evolve(self, table=table, totals=self.totals or self.counts())

    def group_by(self, key: GroupKey) -> dict[str, TableReport]:
        """Reports of the findings that share a rule, branch, status, severity, period or
        subject, each still a table."""
        column = _KEY_COLUMNS[key]
        values = [r[key] for r in self.counts_by(key)]
        f = self.table
        return {
            (v or ""): attrs.evolve(
                self, table=f.filter(f[column].isnull() if v is None else f[column] == v)
            )
            for v in values
        }

    # -- findings --------------------------------------------------------------------------
    def rows(self) -> Iterator[FindingRow]:
        """The findings as rows, streamed from the backend in batches."""
        for batch in self.con.to_pyarrow_batches(self.table, chunk_size=_BATCH):
            for record in batch.to_pylist():
                yield FindingRow.of(record)

    def finding(self, row: FindingRow) -> Finding:
        """The :class:`~dangjian.findings.Finding` of ``row``, its message made as the object
        engine makes it."""
        rule = self.rules[row.rule]
        if row.reason == "partly_in_force":
            message = partly_in_force_message(rule, Period.parse(row.period or ""))
        else:
            message = self.kinds[row.rule].message(rule, row)
        return finding_of(row, rule, message, self.waivers)

    def __iter__(self) -> Iterator[Finding]:
        """The findings, streamed (in no particular order; :meth:`to_report` orders them)."""
        return (self.finding(row) for row in self.rows())

    @property
    def failed(self) -> Iterator[Finding]:
        """The failed findings, streamed."""
        return iter(self.filter(status=Status.FAILED))

    @property
    def unknown(self) -> Iterator[Finding]:
        """The findings the records cannot decide (无法判断), streamed."""
        return iter(self.filter(status=Status.UNKNOWN))

    def to_report(self, limit: int | None = MATERIALISE_LIMIT) -> Report:
        """The findings as a :class:`~dangjian.report.Report` of objects, in the order of the
        rules and then of the subjects' ids and the sub-periods.

        Raises:
            DangjianError: more than ``limit`` findings (``None``: no limit); count, filter or
                write them to Parquet instead.
        """
        if limit is not None:
            n = len(self)
            if n > limit:
                raise DangjianError(
                    t(
                        "检查结果有{n}条，超过转换为对象的上限{limit}条；"
                        "请先筛选（filter），或写入 Parquet 文件（to_parquet）",
                        n=n,
                        limit=limit,
                    )
                )
        position = {rule: i for i, rule in enumerate(self.rules)}
        findings = sorted(
            self,
            key=lambda f: (
                position[f.rule],
                evidence_order(f.subject.branch or ""),
                evidence_order(f.subject.id),
                f.period.start if f.period else dt.date.min,
                f.day or dt.date.min,
            ),
        )
        return Report(
            findings=tuple(findings),
            period=self.period,
            as_of=self.as_of,
            profile=self.profile,
            titles={r.id: (r.title, r.title_en) for r in self.rules.values()},
            totals=self.totals,
            notices=self.notices,
            names=self._names({f.subject.branch for f in findings} - {None}),
        )

    def _names(self, ids: set[str | None]) -> dict[str, str]:
        """The names of the organisations ``ids`` from the source's ``branches`` table, for the
        report's ``branch_name`` (empty when the check kept no context)."""
        if self.context is None or not ids:
            return {}
        orgs = self.context.table("branches")
        rows = arrow_of(self.con, orgs.filter(orgs.id.isin(sorted(i for i in ids if i))))
        return dict(zip(rows["id"].to_pylist(), rows["name"].to_pylist(), strict=True))

    def render(self, format: OutputFormat = "text", lang: Language = "zh") -> str:
        """The report in a text format (see :meth:`Report.render
        <dangjian.report.Report.render>`), made from :meth:`to_report`."""
        return self.to_report().render(format, lang)

    def to_bytes(self, format: OutputFormat = "text", lang: Language = "zh") -> bytes:
        """The report in any output format as bytes, made from :meth:`to_report`."""
        return self.to_report().to_bytes(format, lang)

    def to_frame(self, lang: Language = "zh") -> Any:
        """The findings as a pandas data frame (:meth:`Report.to_frame
        <dangjian.report.Report.to_frame>`), made from :meth:`to_report`."""
        return self.to_report().to_frame(lang)

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the findings' rows (the columns of
        :data:`~dangjian.tables.findings.FINDING_COLUMNS`, then ``title``, the rule's title in
        Chinese) to a Parquet file, streamed from the backend; the file replaces ``path`` only
        when complete."""
        from dangjian._files import replacing
        from dangjian._optional import require

        if self.con.name == "duckdb" and _is_file_or_nothing(path):
            self._copy_to_parquet(path)
            return
        pa = require("pyarrow", "tables")
        pq = require("pyarrow.parquet", "tables")
        titles = {r.id: r.title for r in self.rules.values()}
        with replacing(path) as out:
            writer = None
            try:
                for batch in self.con.to_pyarrow_batches(self.table, chunk_size=_BATCH):
                    rules = batch.column("rule").to_pylist()
                    table = pa.Table.from_batches([batch]).append_column(
                        "title", pa.array([titles.get(r) for r in rules], pa.string())
                    )
                    if writer is None:
                        writer = pq.ParquetWriter(out, table.schema)
                    writer.write_table(table)
                if writer is None:  # no findings: an empty file with the columns
                    # (the columns as the batches above would have them)
                    empty = self.table.schema().to_pyarrow().empty_table()
                    empty = empty.append_column("title", pa.array([], pa.string()))
                    writer = pq.ParquetWriter(out, empty.schema)
            finally:
                if writer is not None:
                    writer.close()

    def _copy_to_parquet(self, path: str | os.PathLike[str]) -> None:
        """:meth:`to_parquet` on DuckDB: the file written by DuckDB itself (``COPY``), within
        its memory limit and without passing the rows through Python, beside ``path``, then
        copied into it atomically."""
        import shutil
        import tempfile

        from dangjian._files import replacing
        from dangjian._optional import require

        ibis = require("ibis", "tables")
        titles = ibis.memtable(
            {
                "t_rule": [r.id for r in self.rules.values()],
                "title": [r.title for r in self.rules.values()],
            },
            schema={"t_rule": "string", "title": "string"},
        )
        f = self.table
        rows = f.left_join(titles, f.rule == titles.t_rule).select(*f.columns, "title")
        self.con._run_pre_execute_hooks(rows)
        sql = self.con.compile(rows)
        folder = os.path.dirname(os.path.abspath(path))
        handle, temp = tempfile.mkstemp(prefix=".dangjian-", suffix=".parquet", dir=folder)
        os.close(handle)
        quoted = "'" + temp.replace("'", "''") + "'"
        try:
            with self.con._safe_raw_sql(f"COPY ({sql}) TO {quoted} (FORMAT parquet)"):
                pass
            with open(temp, "rb") as written, replacing(path) as out:
                shutil.copyfileobj(written, out, 1 << 20)
        finally:
            os.unlink(temp)

    def summary_line(self, lang: Language = "zh") -> str:
        """One line counting the findings by status (as :meth:`Report.summary_line
        <dangjian.report.Report.summary_line>`)."""
        report = Report(
            findings=(),
            period=self.period,
            as_of=self.as_of,
            profile=self.profile,
            totals=self.totals or self.counts(),
        )
        line = report.summary_line(lang)
        if self.totals is None:  # the whole report: no "以下列出…"
            shown = t("；以下列出{n}条", n=0).render(lang)
            line = line.removesuffix(shown)
        return line


def _is_file_or_nothing(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a regular file or names nothing yet (not a device or a pipe, which
    is written to as it is, nor a directory)."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
