"""What a rule kind of the table engine sees: the record tables on a backend, the period, the day
of judging, and tables made once per check (sub-periods, the organisations' tree, the working-day
calendar).

It is the table engine's counterpart of :class:`dangjian.rules.context.Context`, and shares its
definitions: the sub-periods of a unit, when a sub-period is pending, which organisations a rule
applies to. Everything here is an Ibis expression, so that a kind written once runs on DuckDB,
PostgreSQL and PySpark alike.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from dangjian._optional import require
from dangjian.calendar import CalendarError, WorkingCalendar
from dangjian.findings import Status
from dangjian.model import MeetingKind, MemberStatus
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import subperiods_of
from dangjian.rules.schema import Rule
from dangjian.tables.findings import FINDING_COLUMNS

__all__ = ["TableContext", "arrow_of", "value_of"]

_SMALL_ROWS = 1500
"""The most rows of a table of Python values made on DuckDB from SQL literals (more go through
Arrow, parsed faster) once pandas is imported."""

_BEFORE_PANDAS_ROWS = 20_000
"""The most rows of a table of Python values made on DuckDB from SQL literals while pandas is not
imported: Arrow imports it to make the table, which takes as long as parsing about this many rows
(the organisations' tree of a check of a thousand organisations has some four thousand)."""


def arrow_of(con: Any, expr: Any) -> Any:
    """The rows of the Ibis expression ``expr`` on the backend ``con`` as an Arrow table; on
    DuckDB read as DuckDB gives them (Ibis's ``to_pyarrow`` and ``execute`` there import pandas
    to convert them: a third of a second of a small check)."""
    if con.name == "duckdb":
        return con._to_duckdb_relation(expr).to_arrow_table()
    return con.to_pyarrow(expr.as_table())


def value_of(expr: Any) -> Any:
    """The value of the Ibis scalar expression ``expr`` as a Python value (see
    :func:`arrow_of`)."""
    table = arrow_of(expr._find_backend(), expr)
    return table.column(0)[0].as_py()


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_literal(value: Any) -> str:
    """``value`` (text, a whole number, a truth value, a day, a decimal or ``None``) as a SQL
    literal of DuckDB.

    >>> [_sql_literal(v) for v in ("it's", 3, True, dt.date(2020, 1, 2), None)]
    ["'it''s'", '3', 'true', "DATE '2020-01-02'", 'NULL']

    Raises:
        _NoLiteral: ``value`` has none (a text with a NUL character, another type).
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    raise _NoLiteral(value)


class _NoLiteral(ValueError):
    """A value that has no SQL literal here (a text with a NUL character, which DuckDB's parser
    takes as the end of the statement)."""


def _ibis() -> Any:
    return require("ibis", "tables")


class TableContext:
    """The record tables and the period being checked, with tables shared by every rule.

    Args:
        con: The Ibis backend the tables live on.
        tables: The record tables by name, in the layout of :func:`dangjian.tables.tables`.
        period: The period checked.
        as_of: The day of judging.
        calendar: The working-day calendar.
    """

    def __init__(
        self,
        con: Any,
        tables: Mapping[str, Any],
        period: Period,
        as_of: dt.date,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.con = con
        self.tables = dict(tables)
        self.period = period
        self.as_of = as_of
        self.calendar = calendar or WorkingCalendar()
        self.memo: dict[Any, Any] = {}
        """Tables and values kinds compute once per check and share (keyed by the kind)."""

    # -- tables ----------------------------------------------------------------------------
    def hold(self, table: Any) -> Any:
        """``table`` (a table cached on the backend, ``expr.cache()``) kept while this context
        lives: Ibis drops a cached table when nothing refers to it, and on Spark the findings
        are a view that still reads it after the rule was evaluated (the report keeps the
        context)."""
        self.memo.setdefault("context.held", []).append(table)
        return table

    def value(self, expr: Any) -> Any:
        """The value of the scalar expression ``expr`` (a count, a least day) as a Python value,
        read through Arrow: Ibis's ``execute`` would import pandas for it."""
        return value_of(expr)

    def table(self, name: str) -> Any:
        """The record table ``name`` (``members``, ``meetings.attended``)."""
        return self.tables[name]

    def memtable(
        self, data: Mapping[str, Sequence[Any]], schema: Mapping[str, str], *, literal: bool = False
    ) -> Any:
        """A small table of Python values, typed by ``schema``, usable on the backend.

        ``literal`` makes it from SQL literals on DuckDB whatever its size (a table of plain
        values, such as the working calendar's days, that Arrow would import pandas for)."""
        ibis = _ibis()
        rows = len(next(iter(data.values()), ()))
        small = _SMALL_ROWS if "pandas" in sys.modules else _BEFORE_PANDAS_ROWS
        if self.con.name == "duckdb" and (rows <= small or literal):
            try:
                return self._duckdb_values(data, schema)
            except _NoLiteral:  # a text SQL cannot quote: through Arrow
                pass
        pa = require("pyarrow", "tables")
        arrow_schema = ibis.schema(dict(schema)).to_pyarrow()
        table = pa.table(dict(data), schema=arrow_schema)
        if self.con.name == "pyspark":
            # Ibis hands a memtable to Spark through pandas, which turns an empty text into NaN:
            # made a view of the session from Arrow instead
            from dangjian.tables.backends import upload

            name = f"dangjian_small_{uuid.uuid4().hex[:12]}"
            upload(self.con, name, table)
            return self.con.table(name)
        return ibis.memtable(table)

    def _duckdb_values(self, data: Mapping[str, Sequence[Any]], schema: Mapping[str, str]) -> Any:
        """A small table of Python values made on DuckDB from SQL literals: Arrow (and DuckDB's
        binding of parameters) would import pandas, a third of a second of a small check."""
        ibis = _ibis()
        types = ibis.schema(dict(schema))
        duckdb_type = require("ibis.backends.sql.datatypes", "tables").DuckDBType.to_string
        names = list(types.names)
        casts = ", ".join(
            f"CAST(c{i} AS {duckdb_type(types[n])}) AS {_identifier(n)}"
            for i, n in enumerate(names)
        )
        rows = list(zip(*(data[n] for n in names), strict=True))
        columns = ", ".join(f"c{i}" for i in range(len(names)))
        if rows:
            values = ", ".join("(" + ", ".join(_sql_literal(v) for v in row) + ")" for row in rows)
            source = f"(VALUES {values}) AS t({columns})"
        else:
            source = f"(SELECT {', '.join('NULL' for _ in names)}) AS t({columns}) WHERE false"
        name = f"dangjian_small_{uuid.uuid4().hex[:12]}"
        self.con.raw_sql(f"CREATE TEMP TABLE {_identifier(name)} AS SELECT {casts} FROM {source}")
        ops = ibis.expr.operations
        namespace = ops.Namespace(catalog=None, database=None)
        return ops.DatabaseTable(name, schema=types, source=self.con, namespace=namespace).to_expr()

    # -- periods ---------------------------------------------------------------------------
    def subperiods(self, unit: PeriodUnit) -> list[Period]:
        """The sub-periods of ``unit`` of the checked period (as the object engine has them)."""
        return subperiods_of(self.period, unit)

    def pending(self, sub: Period) -> bool:
        """Whether an unmet requirement of ``sub`` is pending rather than failed: the sub-period
        has not ended by the day of judging, or runs past the checked period."""
        return not sub.end < self.as_of or sub.end > self.period.end

    def status_of(self, met: Any, pending: Any) -> Any:
        """The status of a requirement: passed when ``met``; otherwise pending when ``pending``
        (a boolean column), else failed — :meth:`Context.verdict
        <dangjian.rules.context.Context.verdict>` as an expression."""
        ibis = _ibis()
        return ibis.cases(
            (met, Status.PASSED.value),
            (pending, Status.PENDING.value),
            else_=Status.FAILED.value,
        )

    def subperiod_table(self, rule: Rule, unit: PeriodUnit) -> Any:
        """The sub-periods of ``unit`` that ``rule`` judges, one row each.

        Columns: ``period`` (its code), ``period_start``, ``period_end``, ``pending`` (see
        :meth:`pending`), ``in_force`` (``full``, or ``partial`` for a sub-period the rule is in
        force on only part of, which is not judged: see :meth:`partly_in_force`), ``version``
        (the position in ``rule.versions`` of the parameters in force on its first day).
        Sub-periods the rule is not in force on at all are left out.
        """
        rows: dict[str, list[Any]] = {
            "period": [],
            "period_start": [],
            "period_end": [],
            "pending": [],
            "in_force": [],
            "version": [],
        }
        for sub in self.subperiods(unit):
            if not rule.in_force.overlaps(sub.start, sub.end):
                continue
            rows["period"].append(str(sub))
            rows["period_start"].append(sub.start)
            rows["period_end"].append(sub.end)
            rows["pending"].append(self.pending(sub))
            rows["in_force"].append(
                "full" if rule.in_force.spans(sub.start, sub.end) else "partial"
            )
            rows["version"].append(version_on(rule, sub.start))
        return self.memtable(
            rows,
            {
                "period": "string",
                "period_start": "date",
                "period_end": "date",
                "pending": "boolean",
                "in_force": "string",
                "version": "int64",
            },
        )

    def weekday_table(self, unit: PeriodUnit, weekday: int) -> Any:
        """For each sub-period of ``unit`` (a week), its day of ``weekday`` (1 Monday … 7 Sunday)
        and whether that day is a working day: columns ``period``, ``day``, ``working`` and
        ``error``. No value is empty, which a Spark session would read from a small table as
        ``NaN``: where the calendar cannot tell, ``working`` is true and ``error`` holds the
        calendar's message (``""`` elsewhere)."""
        rows: dict[str, list[Any]] = {"period": [], "day": [], "working": [], "error": []}
        for sub in self.subperiods(unit):
            day = sub.start + dt.timedelta(days=weekday - 1)
            rows["period"].append(str(sub))
            rows["day"].append(day)
            try:
                rows["working"].append(self.calendar.is_working_day(day))
                rows["error"].append("")
            except CalendarError as e:
                rows["working"].append(True)
                rows["error"].append(str(e))
        return self.memtable(
            rows, {"period": "string", "day": "date", "working": "boolean", "error": "string"}
        )

    def calendar_table(self, start: dt.date, end: dt.date) -> Any:
        """The days from ``start`` to ``end`` with ``working`` (a working day of the Chinese
        calendar, 调休 included) and ``workday`` (how many working days from ``start`` up to and
        including the day): a deadline ``n`` working days after a day is the first day whose
        ``workday`` is ``n`` more. Days the calendar does not cover have ``working`` ``None``."""
        key = ("context.calendar", start, end)
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        rows: dict[str, list[Any]] = {"day": [], "working": [], "workday": []}
        count = 0
        day = start
        while day <= end:
            try:
                working: bool | None = self.calendar.is_working_day(day)
            except CalendarError:
                working = None
            count += bool(working)
            rows["day"].append(day)
            rows["working"].append(working)
            rows["workday"].append(count)
            day += dt.timedelta(days=1)
        table = self.memtable(rows, {"day": "date", "working": "boolean", "workday": "int64"})
        self.memo[key] = table
        return table

    # -- organisations ---------------------------------------------------------------------
    def organisations(self, rule: Rule) -> Any:
        """The organisations ``rule`` applies to that existed at some time in the period: the
        rows of ``branches``, as :meth:`Context.organisations
        <dangjian.rules.context.Context.organisations>` chooses them."""
        ibis = _ibis()
        b = self.table("branches")
        a = rule.applies_to
        keep = ibis.literal(True)
        if a.levels:
            keep &= b.level.isin([x.value for x in a.levels])
        if a.categories:
            keep &= b.category.isin([x.value for x in a.categories])
        if a.exclude_categories:
            keep &= ~b.category.isin([x.value for x in a.exclude_categories])
        keep &= b.founded.isnull() | (b.founded <= self.period.end)
        keep &= b.dissolved.isnull() | (b.dissolved >= self.period.start)
        return b.filter(keep)

    @staticmethod
    def exists_throughout(founded: Any, dissolved: Any, start: Any, end: Any) -> Any:
        """Whether an organisation ``founded`` and ``dissolved`` on those days (columns, empty
        when not recorded) existed on every day from ``start`` to ``end``: :meth:`Context.
        exists_throughout <dangjian.rules.context.Context.exists_throughout>` as an
        expression."""
        return (founded.isnull() | (founded <= start)) & (dissolved.isnull() | (dissolved >= end))

    def tree(self) -> Any:
        """The organisations' tree as pairs: columns ``ancestor``, ``descendant`` and ``depth``
        (0 for the organisation itself), for every organisation and every one below it.

        Computed once per check from the ``id`` and ``parent`` columns (the tree is small beside
        the records: 50,000 organisations a province), so that every backend can join on it."""
        cached = self.memo.get("context.tree")
        if cached is not None:
            return cached
        branches = arrow_of(self.con, self.table("branches").select("id", "parent"))
        ids = branches.column("id").to_pylist()
        parents = branches.column("parent").to_pylist()
        parent_of = dict(zip(ids, parents, strict=True))
        rows: dict[str, list[Any]] = {"ancestor": [], "descendant": [], "depth": []}
        for node in ids:
            seen = {node}
            current: str | None = node
            depth = 0
            while current is not None:
                rows["ancestor"].append(current)
                rows["descendant"].append(node)
                rows["depth"].append(depth)
                current = parent_of.get(current)
                if current in seen:
                    break
                if current is not None:
                    seen.add(current)
                depth += 1
        table = self.memtable(
            rows, {"ancestor": "string", "descendant": "string", "depth": "int64"}
        )
        self.memo["context.tree"] = table
        return table

    # -- members ---------------------------------------------------------------------------
    def member_spans(self) -> Any:
        """Each member's days as a party member and as a full member, as known: the table of
        :meth:`Context.membership_span <dangjian.rules.context.Context.membership_span>` and
        :meth:`Context.full_member_span <dangjian.rules.context.Context.full_member_span>`.

        Columns: every column of ``members``, then ``span_start``/``span_end`` (empty: open),
        ``span_never`` (true where the span is empty: never a member, or left on a day not
        recorded), ``full_start``/``full_end``/``full_never`` likewise for full membership, and
        ``left_undated`` (:meth:`Context.left_undated
        <dangjian.rules.context.Context.left_undated>` needs the period: see
        :meth:`left_undated`).
        """
        cached = self.memo.get("context.member_spans")
        if cached is not None:
            return cached
        ibis = _ibis()
        lit = ibis.literal
        m = self.table("members")
        b = self.table("branches").select(
            org="id", org_founded="founded", org_dissolved="dissolved"
        )
        m = m.left_join(b, m.branch == b.org).select(m, "org_founded", "org_dissolved")
        admitted, converted = m["milestones.admitted"], m["milestones.converted"]
        member_codes = [s.value for s in MemberStatus if s.is_member]
        left_codes = [s.value for s in MemberStatus if s.has_left]
        has_left = m.status.isin(left_codes)

        def bounded(start: Any) -> tuple[Any, Any, Any]:
            """(start, end, never) of a span starting at ``start``, bounded as
            Context._bounded bounds it."""
            start = ibis.cases(
                (m.joined.notnull() & (start.isnull() | (m.joined > start)), m.joined),
                else_=start,
            )
            end = ibis.cases(
                (~has_left, lit(None, type="date")),
                else_=(m.left - ibis.interval(days=1)).cast("date"),
            )
            never = has_left & m.left.isnull()
            start = ibis.cases(
                (
                    m.org_founded.notnull() & (start.isnull() | (start < m.org_founded)),
                    m.org_founded,
                ),
                else_=start,
            )
            end = ibis.cases(
                (
                    m.org_dissolved.notnull() & (end.isnull() | (end > m.org_dissolved)),
                    m.org_dissolved,
                ),
                else_=end,
            )
            return start, end, never

        first = admitted.fill_null(converted)
        s_start, s_end, s_never = bounded(first)
        cancelled = m.probation_cancelled
        last = (cancelled - ibis.interval(days=1)).cast("date")
        cut = cancelled.notnull() & converted.isnull()
        s_end = ibis.cases(
            (cut & (s_end.isnull() | (s_end > last)), last),
            else_=s_end,
        )
        s_never = s_never | (first.isnull() & ~m.status.isin(member_codes) & ~has_left)
        f_start, f_end, f_never = bounded(converted)
        f_never = f_never | (converted.isnull() & (m.status != MemberStatus.FULL.value))
        undated_start = ibis.cases(
            (m.joined.notnull() & (first.isnull() | (m.joined > first)), m.joined),
            else_=first,
        )
        table = m.mutate(
            span_start=s_start,
            span_end=s_end,
            span_never=s_never,
            full_start=f_start,
            full_end=f_end,
            full_never=f_never,
            undated_since=ibis.cases(
                (has_left & m.left.isnull(), undated_start), else_=lit(None, type="date")
            ),
            undated=has_left & m.left.isnull(),
        ).drop("org_founded", "org_dissolved")
        # computed once per check and kept on the backend: every rule about members joins it
        table = table.cache()
        self.memo["context.member_spans"] = table
        return table

    @staticmethod
    def within(start: Any, end: Any, never: Any, day: Any) -> Any:
        """Whether ``day`` lies in the span (``start``, ``end``, ``never``) of
        :meth:`member_spans`: :meth:`Context.within <dangjian.rules.context.Context.within>`."""
        return ~never & (start.isnull() | (start <= day)) & (end.isnull() | (day <= end))

    @staticmethod
    def covers(start: Any, end: Any, never: Any, first: Any, last: Any) -> Any:
        """Whether the span covers every day from ``first`` to ``last``: :meth:`Context.covers
        <dangjian.rules.context.Context.covers>`."""
        return ~never & (start.isnull() | (start <= first)) & (end.isnull() | (end >= last))

    @staticmethod
    def left_undated(spans: Any, period_end: Any) -> Any:
        """Whether a member of :meth:`member_spans` left on a day not recorded and may have been
        a member by ``period_end``: :meth:`Context.left_undated
        <dangjian.rules.context.Context.left_undated>`."""
        return spans.undated & (spans.undated_since.isnull() | (spans.undated_since <= period_end))

    def keeps(self, kind: str) -> Any:
        """The organisations the ledger keeps records of ``kind`` of (their own, or their
        members'), as a table of one column ``branch``, and whether it keeps any at all
        (:meth:`Context.keeps <dangjian.rules.context.Context.keeps>`): ``(table, any)``."""
        key = ("context.keeps", kind)
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        records = self.table(kind)
        columns = set(records.columns)
        if "branch" in columns:
            kept = records.select("branch").distinct()
        else:
            members = self.table("members").select(m_id="id", m_branch="branch")
            people = None
            for f in ("member", "initiator", "partner"):
                if f in columns:
                    part = records.select(person=records[f])
                    people = part if people is None else people.union(part, distinct=False)
            if people is None:
                kept = self.memtable({"branch": []}, {"branch": "string"})
            else:
                kept = (
                    people.join(members, people.person == members.m_id)
                    .select(branch=members.m_branch)
                    .distinct()
                )
        found = (kept.view(), int(self.value(records.count())) > 0)
        self.memo[key] = found
        return found

    # -- meetings --------------------------------------------------------------------------
    def meetings_serving(self, kinds: Sequence[MeetingKind]) -> Any:
        """The rows of ``meetings`` that served as any of ``kinds``: as their ``kind``, or as
        one of the kinds in ``meetings.also``; each meeting once, however many of ``kinds`` it
        served as (:meth:`Context.meetings_serving
        <dangjian.rules.context.Context.meetings_serving>`)."""
        codes = sorted({k.value for k in kinds})
        key = ("context.meetings_serving", tuple(codes))
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        m = self.table("meetings")
        also = self.table("meetings.also")
        extra = also.filter(also.also.isin(codes)).select(x_meeting="meeting").distinct().view()
        joined = m.left_join(extra, m.id == extra.x_meeting)
        table = (
            joined.filter(joined.kind.isin(codes) | joined.x_meeting.notnull())
            .select(*m.columns)
            .view()
        )
        self.memo[key] = table
        return table

    def meetings_serving_versions(self, rule: Rule) -> Any:
        """For each version of ``rule``'s parameters (which have ``meeting_kinds``), the
        meetings that served as one of its kinds (:meth:`meetings_serving`): columns
        ``s_meeting`` (the id) and ``s_version`` (the position in ``rule.versions``)."""
        lit = _ibis().literal
        out = None
        for i, dated in enumerate(rule.versions):
            part = self.meetings_serving(dated.params.meeting_kinds)
            part = part.select(s_meeting=part.id, s_version=lit(i, type="int64"))
            out = part if out is None else out.union(part, distinct=False)
        return out

    def combined_meetings(self) -> Any:
        """The ids of the meetings that also served as other kinds (a row in ``meetings.also``):
        one column ``c_meeting``."""
        also = self.table("meetings.also")
        return also.select(c_meeting="meeting").distinct().view()

    # -- organisational life ---------------------------------------------------------------
    def attendance_months(self) -> Any:
        """What the records say of each member's organisational life, month by month:
        :meth:`Context.attendance <dangjian.rules.context.Context.attendance>` as a table.

        Columns ``member``, ``month`` (its first day) and ``state``: ``attended`` when the
        member is named among those present at a meeting of the month; ``unknown`` when not,
        but a meeting they may have attended recorded no names (see
        :meth:`nameless_attendance`). A member and month without a row is ``absent``: the names
        were recorded without them, or there was no meeting.
        """
        cached = self.memo.get("context.attendance_months")
        if cached is not None:
            return cached
        ibis = _ibis()
        attended = self._attended()
        unsure = self.nameless_attendance()
        unknown = (
            unsure.select("member", "month")
            .distinct()
            .mutate(state=ibis.literal("unknown"))
            .select("member", "month", "state")
        )
        table = (
            attended.mutate(state=ibis.literal("attended"))
            .select("member", "month", "state")
            .union(unknown, distinct=False)
            .view()
        )
        self.memo["context.attendance_months"] = table
        return table

    def _attended(self) -> Any:
        """The (``member``, ``month``) of every meeting a member is named as present at."""
        from dangjian.tables.kinds._common import first_of_month

        cached = self.memo.get("context.attended")
        if cached is not None:
            return cached
        meetings = self.table("meetings")
        meetings = meetings.select(a_meeting="id", a_month=first_of_month(meetings.date))
        named = self.table("meetings.attended")
        table = (
            named.join(meetings, named.meeting == meetings.a_meeting)
            .select(member=named.attended, month=meetings.a_month)
            .distinct()
            .cache()  # once per check: attendance by month and the meetings without names
        )
        self.memo["context.attended"] = table
        return table

    def nameless_attendance(self) -> Any:
        """The meetings recorded without the names of those present that each member may have
        attended, in the months the member is not named at any meeting: those that make the
        month ``unknown`` in :meth:`attendance_months`.

        A member may have attended a meeting of their organisation or of one above it, of their
        party group, of a committee they sat on that day; not one that names them absent or
        names who was expected without them (:meth:`Context.attendance
        <dangjian.rules.context.Context.attendance>`). A meeting records names when it names
        somebody present, or records that nobody was (:meth:`Context.records_names
        <dangjian.rules.context.Context.records_names>`).

        Columns ``member``, ``month``, ``meeting`` (its id), ``date``, ``kind``, ``branch``,
        ``present_count``.
        """
        from dangjian.tables.kinds._common import first_of_month

        cached = self.memo.get("context.nameless_attendance")
        if cached is not None:
            return cached
        meetings = self.table("meetings")
        named = self.table("meetings.attended").select(n_meeting="meeting").distinct()
        nameless = anti_join(meetings, named, ("id",), ("n_meeting",))
        nameless = nameless.filter(
            nameless.present_count.isnull() | (nameless.present_count != 0)
        ).select(
            meeting="id",
            date="date",
            kind="kind",
            branch="branch",
            m_group="group",
            present_count="present_count",
            month=first_of_month(nameless.date),
        )
        # kept on the backend while the table is made: few meetings, found from every name
        # recorded, and the plan below reads them four times (held: on Spark the table made
        # below is a plan that still reads it)
        nameless = self.hold(nameless.cache())
        members = self.table("members").select(
            member="id", member_branch="branch", member_group="group"
        )
        # each member's organisation and those above it (itself, even when it is not recorded)
        tree = self.tree().select(r_org="ancestor", r_branch="descendant")
        # (cast: a union needs the same nullability on both sides, and the tree's may differ)
        selves = members.select(
            r_org=members.member_branch.cast("string"),
            r_branch=members.member_branch.cast("string"),
        )
        tree = tree.select(r_org=tree.r_org.cast("string"), r_branch=tree.r_branch.cast("string"))
        reach = tree.union(selves, distinct=True).view()
        reached = members.join(reach, members.member_branch == reach.r_branch).select(
            "member", "member_group", "r_org"
        )
        found = reached.join(nameless, reached.r_org == nameless.branch)
        found = found.filter(found.m_group.isnull() | (found.m_group == found.member_group)).select(
            "member", "month", "meeting", "date", "kind", "branch", "present_count"
        )
        absent = self.table("meetings.absences").select(x_meeting="meeting", x_member="member")
        found = anti_join(found, absent, ("meeting", "member"), ("x_meeting", "x_member"))
        expected = self.table("meetings.expected").select(e_meeting="meeting", e_member="expected")
        listing = expected.select(l_meeting="e_meeting").distinct()
        found = anti_join(found, listing, ("meeting",), ("l_meeting",)).union(
            semi_join(found, expected, ("meeting", "member"), ("e_meeting", "e_member")),
            distinct=False,
        )
        seats = self.table("branches.committee").select(
            s_branch="branch", s_member="member", s_start="start", s_end="end"
        )
        # only a meeting that was nothing but a 支委会 is for the committee alone
        combined = self.combined_meetings()
        found = found.left_join(combined, found.meeting == combined.c_meeting).select(
            *found.columns,
            alone=(found.kind == MeetingKind.COMMITTEE_MEETING.value) & combined.c_meeting.isnull(),
        )
        committee = found.alone
        held = found.join(
            seats,
            (seats.s_branch == found.branch)
            & (seats.s_member == found.member)
            & (seats.s_start.isnull() | (seats.s_start <= found.date))
            & (seats.s_end.isnull() | (found.date <= seats.s_end)),
        )
        sat = held.select(*found.columns).distinct()  # a member may hold two seats at once
        found = found.filter(~committee).union(sat.filter(sat.alone), distinct=False).drop("alone")
        # (a left join, as :func:`anti_join` writes it, without making ``_attended`` distinct
        # again: it is, and it has tens of millions of rows; the few rows found are kept first,
        # so that the join is built on them, not on ``_attended``)
        found = self.hold(found.cache())
        attended = self._attended()
        attended = attended.select(
            d_member="member", d_month="month", d_matched=_ibis().literal(1)
        ).view()
        marked = found.left_join(
            attended, (found.member == attended.d_member) & (found.month == attended.d_month)
        )
        table = marked.filter(marked.d_matched.isnull()).select(*found.columns)
        # computed once per check and kept on the backend: the rules on organisational life and
        # lapsed membership read it several times each
        table = table.cache()
        self.memo["context.nameless_attendance"] = table
        return table

    # -- findings --------------------------------------------------------------------------
    def rows(self, rule: Rule, expr: Any, **values: Any) -> Any:
        """``expr`` as a findings table of ``rule``: every column of
        :data:`~dangjian.tables.findings.FINDING_COLUMNS`, in order and typed; columns ``expr``
        lacks are taken from ``values`` (a literal or an expression over ``expr``) or left
        empty; ``rule`` and ``severity`` are the rule's."""
        ibis = _ibis()
        given = {"rule": rule.id, "severity": rule.severity.value, **values}
        out = []
        for name, type_ in FINDING_COLUMNS:
            if name in given:
                value = given[name]
                if not isinstance(value, ibis.Expr):
                    value = ibis.literal(value, type=type_)
            elif name in expr.columns:
                value = expr[name]
            else:
                value = ibis.null(type_)
            out.append(value.cast(type_).name(name))
        return expr.select(out)

    def partly_in_force(self, rule: Rule, subjects: Any, subs: Any) -> Any:
        """The findings, not applicable, of ``subjects`` (a findings-shaped table of subject
        columns) in the sub-periods of ``subs`` the rule is in force on only part of:
        ``reason`` ``partly_in_force`` (its message is the same for every kind)."""
        partial = subs.filter(subs.in_force == "partial")
        return self.rows(
            rule,
            subjects.cross_join(partial),
            status=Status.NOT_APPLICABLE.value,
            reason="partly_in_force",
        )


def anti_join(left: Any, right: Any, keys: Sequence[str], right_keys: Sequence[str]) -> Any:
    """The rows of ``left`` whose ``keys`` match no row of ``right`` on ``right_keys``: an anti
    join written as a left join, since Ibis writes some anti joins as ``LEFT ANTI JOIN``, which
    PostgreSQL does not have."""
    ibis = _ibis()
    marked = right.select(*right_keys).distinct().mutate(_matched=ibis.literal(1)).view()
    predicate = ibis.literal(True)
    for a, b in zip(keys, right_keys, strict=True):
        predicate &= left[a] == marked[b]
    joined = left.left_join(marked, predicate)
    return joined.filter(joined._matched.isnull()).select(*left.columns)


def semi_join(left: Any, right: Any, keys: Sequence[str], right_keys: Sequence[str]) -> Any:
    """The rows of ``left`` whose ``keys`` match some row of ``right``: a semi join written as an
    inner join with the distinct keys of ``right`` (see :func:`anti_join`)."""
    matches = right.select(*right_keys).distinct().view()
    predicate = _ibis().literal(True)
    for a, b in zip(keys, right_keys, strict=True):
        predicate &= left[a] == matches[b]
    return left.join(matches, predicate).select(*left.columns)


def version_on(rule: Rule, day: dt.date) -> int:
    """The position in ``rule.versions`` of the parameters in force on ``day``."""
    current = 0
    for i, version in enumerate(rule.versions[1:], start=1):
        if version.since is not None and version.since <= day:
            current = i
    return current
