"""Checking a ledger: every rule of a profile, over a period, into one report."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal, overload

import attrs

from dangjian._gc import collector_paused
from dangjian._progress import track
from dangjian.calendar import WorkingCalendar
from dangjian.errors import RuleError
from dangjian.findings import Finding, Status, Waiver
from dangjian.i18n import t
from dangjian.ledger import Ledger
from dangjian.periods import Period
from dangjian.report import Report
from dangjian.rules.context import Context, evidence_order
from dangjian.rules.loader import (
    load_rules,
)
from dangjian.rules.registry import Registry, default_registry
from dangjian.rules.waivers import (
    is_selected,
    load_waivers,
    unmatched_rules,
    unmatched_waivers,
    waivers_matching_no_finding,
    waivers_of_unknown_findings,
)

if TYPE_CHECKING:
    from dangjian.tables.report import TableReport

__all__ = ["check", "load_waivers"]


# a Ledger checked without an engine named matches both: the first, the object engine, is meant
@overload
def check(  # type: ignore[overload-overlap]
    ledger: Ledger,
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
    engine: Literal["objects"] = "objects",
) -> Report: ...


@overload
def check(
    ledger: object,
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
    engine: Literal["duckdb", "spark"] = "duckdb",
    database: str | None = None,
) -> TableReport: ...


def check(
    ledger: object,
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
    engine: Literal["objects", "duckdb", "spark"] | None = None,
    database: str | None = None,
) -> Report | TableReport:
    """Check ``ledger`` over ``period`` against the rules of ``profile`` and ``rules`` files.

    ``ledger`` may also be a source of record tables — a directory of Parquet files, a DuckDB
    file, a PostgreSQL URL, a ``SparkSession``, an Ibis backend — or ``engine`` may name the
    table engine (``duckdb``, ``spark``) for a ledger: then the same rules run over tables with
    :func:`dangjian.tables.check` and the result is a :class:`~dangjian.tables.TableReport`
    (the ``tables`` extra).

    Nothing the user wrote is silently ignored: a waiver whose rule is not in the rule set,
    whose subject is no record of the ledger or whose period lies outside ``period``, or which
    would excuse none of its rule's findings (a subject or a period the rule never judges); a rule of
    a user's file (not of a shipped profile) that applies to no organisation of the ledger or
    is not in force in ``period``; a ``disable`` or ``replaces`` naming no rule — each is an
    error naming its file and entry, unless ``allow_unmatched``, which keeps them as warnings
    in :attr:`Report.notices <dangjian.report.Report.notices>`.

    Args:
        ledger: The records.
        period: The period, as a :class:`~dangjian.periods.Period` or text (``2020H1``).
        as_of: The day of judging (default: today). A sub-period not over by then is pending.
        profile: ``national``, ``organ`` or the path of a rule file.
        rules: More rule files on top: the organisation's own plan, a province's handbook.
        waivers: Failures to excuse, each keeping its reason.
        registry: The rule kinds (default: the built-in ones); custom kinds go here.
        calendar: The working-day calendar.
        only: Check only these rule ids (or prefixes ending in ``.``).
        allow_unmatched: Keep entries that match nothing as warnings in ``Report.notices``
            instead of raising.

    Raises:
        RuleError: a rule file is invalid, or (without ``allow_unmatched``) a waiver or a user's
            rule matches nothing; every such entry is listed with its file.
        PeriodError: ``period`` cannot be parsed.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Sources of tables and ``engine``, ``database``; ``only`` takes ``dues`` for ``dues.``.
    """
    if not isinstance(ledger, Ledger) or engine not in (None, "objects"):
        from dangjian.tables.check import check as check_tables

        return check_tables(
            ledger,
            period,
            engine="spark" if engine == "spark" else "duckdb",
            database=database,
            as_of=as_of,
            profile=profile,
            rules=rules,
            waivers=waivers,
            registry=registry,
            calendar=calendar,
            only=only,
            allow_unmatched=allow_unmatched,
        )
    registry = registry or default_registry()
    if isinstance(period, str):
        period = Period.parse(period)
    ruleset = load_rules(profile, rules, registry=registry, allow_unmatched=allow_unmatched)
    selected = [r for r in ruleset if is_selected(r, only)]
    ctx = Context(ledger, period, as_of or dt.date.today(), calendar)
    waiver_list = tuple(waivers)
    ids: set[str] = set()

    def is_record(subject: str) -> bool:
        if not ids:
            ids.update(r.id for _, records in ledger.records() for r in records)
        return subject in ids

    unmatched = unmatched_waivers(is_record, period, ruleset, waiver_list)
    unmatched += unmatched_rules(ctx.period, selected, lambda r: bool(ctx.organisations(r)))
    if unmatched and not allow_unmatched:
        raise RuleError(unmatched)
    findings: list[Finding] = []
    with collector_paused():
        for rule in track(selected, t("检查规则"), unit="rule"):
            evaluate = registry.get(rule.kind).evaluate
            findings += (
                _waive(f if len(f.evidence) < 2 else _settled(f), waiver_list)
                for f in evaluate(ctx, rule)
            )
    reported = {p.path.rsplit(".", 1)[0] for p in unmatched}
    late = waivers_matching_no_finding(selected, waiver_list, findings, reported)
    if late and not allow_unmatched:
        raise RuleError(late)
    unmatched += late
    unmatched += waivers_of_unknown_findings(waiver_list, findings)
    return Report(
        findings=tuple(findings),
        period=period,
        as_of=ctx.as_of,
        profile=profile,
        titles={r.id: (r.title, r.title_en) for r in selected},
        notices=ruleset.notices + tuple(unmatched),
        names={b.id: b.name for b in ledger.branches},
    )


def _settled(f: Finding) -> Finding:
    """``f`` with its evidence in :func:`~dangjian.rules.context.evidence_order` (a custom rule
    kind may build its findings without :meth:`Context.finding`)."""
    ordered = tuple(sorted(f.evidence, key=evidence_order))
    return f if ordered == f.evidence else attrs.evolve(f, evidence=ordered)


def _waive(finding: Finding, waivers: tuple[Waiver, ...]) -> Finding:
    if finding.status is not Status.FAILED:
        return finding
    for w in waivers:
        if w.covers(finding):
            return attrs.evolve(finding, status=Status.WAIVED, waiver=w)
    return finding
