"""Checking a ledger: every rule of a profile, over a period, into one report."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal, overload

import attrs

from dangjian._gc import collector_paused
from dangjian.calendar import WorkingCalendar
from dangjian.errors import Problem, RuleError
from dangjian.findings import Finding, Status, Waiver
from dangjian.i18n import t
from dangjian.io.converter import structure_problems
from dangjian.ledger import Ledger
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodError
from dangjian.report import Report
from dangjian.rules.context import Context, evidence_order
from dangjian.rules.loader import (
    RuleSet,
    load_rules,
    make_rule_converter,
    parse_rule_data,
    read_text,
)
from dangjian.rules.registry import Registry, default_registry
from dangjian.rules.schema import Rule
from dangjian.rules.texts import period_name

if TYPE_CHECKING:
    from dangjian.tables.report import TableReport

__all__ = [
    "BUILTIN",
    "check",
    "is_selected",
    "load_waivers",
    "unmatched_waivers",
    "waivers_matching_no_finding",
    "waivers_of_unknown_findings",
]


@attrs.frozen(kw_only=True)
class _WaiverSpec:
    rule: str = attrs.field(validator=v.id_text)
    period: str = attrs.field(validator=v.text)
    reason: str = attrs.field(validator=v.text)
    approved_by: str = attrs.field(validator=v.text)
    subject: str | None = None


@attrs.frozen(kw_only=True)
class _WaiverFile:
    waiver: tuple[_WaiverSpec, ...] = ()


def load_waivers(path: str | os.PathLike[str]) -> tuple[Waiver, ...]:
    """The waivers in a TOML or YAML file of ``[[waiver]]`` entries.

    Each entry has ``rule``, ``period`` (``2020Q1``), ``reason``, ``approved_by`` and optionally
    ``subject`` (the id of one organisation, member or record).

    Raises:
        RuleError: every problem in the file, with its place.
    """
    name = os.fspath(path)
    data = parse_rule_data(name, read_text(path))
    try:
        spec = make_rule_converter().structure(data, _WaiverFile)
    except Exception as e:
        raise RuleError(list(structure_problems(e)), source=name) from None
    waivers = []
    problems = []
    for i, w in enumerate(spec.waiver):
        try:
            period = Period.parse(w.period)
        except PeriodError as e:
            problems.append(
                Problem(
                    path=f"waiver[{i}].period",
                    code="invalid_value",
                    message=e.msg if e.msg is not None else str(e),
                )
            )
            continue
        waivers.append(
            Waiver(
                rule=w.rule,
                period=period,
                reason=w.reason,
                approved_by=w.approved_by,
                subject=w.subject,
                origin=f"{name}: waiver[{i}]({w.rule})",
            )
        )
    if problems:
        raise RuleError(problems, source=name)
    return tuple(waivers)


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
    unmatched += _unmatched_rules(ctx, selected)
    if unmatched and not allow_unmatched:
        raise RuleError(unmatched)
    findings: list[Finding] = []
    with collector_paused():
        for rule in selected:
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
    )


def unmatched_waivers(
    is_record: Callable[[str], bool],
    period: Period,
    ruleset: RuleSet,
    waivers: tuple[Waiver, ...],
) -> list[Problem]:
    """The waivers whose rule, subject or period matches nothing, each named with its file
    (``is_record`` says whether an id is a record's: either engine finds it its own way)."""
    problems: list[Problem] = []
    for i, w in enumerate(waivers):
        where = w.origin or f"waiver[{i}]({w.rule})"
        if w.rule not in ruleset:
            problems.append(
                Problem(
                    path=f"{where}.rule",
                    code="unmatched_rule",
                    message=t(
                        "豁免的规则「{rule}」不在所用规则集（{profile}）中，该豁免不起作用",
                        rule=w.rule,
                        profile=ruleset.profile,
                    ),
                )
            )
        if w.subject is not None and not is_record(w.subject):
            problems.append(
                Problem(
                    path=f"{where}.subject",
                    code="unmatched_subject",
                    message=t(
                        "豁免的对象「{subject}」不是台账中任何记录的编号，该豁免不起作用",
                        subject=w.subject,
                    ),
                )
            )
        if not period.overlaps(w.period.start, w.period.end):
            problems.append(
                Problem(
                    path=f"{where}.period",
                    code="unmatched_period",
                    message=t(
                        "豁免期间{waived}不在检查期间{checked}之内，该豁免不起作用",
                        waived=period_name(w.period),
                        checked=period_name(period),
                        waived_code=str(w.period),
                        checked_code=str(period),
                    ),
                )
            )
    return problems


def waivers_matching_no_finding(
    selected: Sequence[Rule],
    waivers: tuple[Waiver, ...],
    findings: list[Finding],
    reported: set[str],
) -> list[Problem]:
    """The waivers of a checked rule that would excuse none of its findings, whatever their
    status: a subject or a period the rule never judges (a month for a yearly rule, a member
    for a rule about branches). Waivers already reported for their rule, subject or period are
    not reported again."""
    checked = {r.id for r in selected}
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    problems: list[Problem] = []
    for i, w in enumerate(waivers):
        where = w.origin or f"waiver[{i}]({w.rule})"
        if w.rule not in checked or where in reported:
            continue
        # covers() looks at the rule, subject and period only, not at the status
        if any(w.covers(f) for f in by_rule.get(w.rule, ())):
            continue
        problems.append(
            Problem(
                path=where,
                code="unmatched_finding",
                message=t(
                    "豁免不对应规则「{rule}」的任何检查结果（对象或期间与该规则的判断不符，"
                    "如按年判断的规则豁免一个月），该豁免不起作用",
                    rule=w.rule,
                ),
            )
        )
    return problems


def waivers_of_unknown_findings(
    waivers: tuple[Waiver, ...], findings: list[Finding]
) -> list[Problem]:
    """The waivers that cover findings which cannot be told and excuse no failure: a waiver
    excuses failures only, so the finding stays 无法判断; said, so that it is not ignored."""
    problems: list[Problem] = []
    for i, w in enumerate(waivers):
        covered = [f for f in findings if w.covers(f)]
        unknown = sum(f.status is Status.UNKNOWN for f in covered)
        if not unknown or any(f.waiver is w for f in covered):
            continue
        problems.append(
            Problem(
                path=w.origin or f"waiver[{i}]({w.rule})",
                code="waiver_on_unknown",
                message=t(
                    "豁免对应的{n}项检查结果为无法判断，豁免只适用于不符合的结果，该豁免未适用；"
                    "请按检查结果的说明补记台账",
                    n=unknown,
                ),
            )
        )
    return problems


def _unmatched_rules(ctx: Context, selected: Sequence[Rule]) -> list[Problem]:
    """The rules of the user's own files (not the shipped profiles) that can judge nothing in
    this check: no organisation of the ledger is subject to them, or they are not in force."""
    problems: list[Problem] = []
    for rule in selected:
        if rule.source.startswith(BUILTIN):
            continue
        where = f"{rule.source}: rule({rule.id})"
        if not rule.in_force.overlaps(ctx.period.start, ctx.period.end):
            problems.append(
                Problem(
                    path=f"{where}.in_force",
                    code="unmatched_period",
                    message=t(
                        "规则「{rule}」在检查期间{period}不生效，不作任何判断",
                        rule=rule.id,
                        period=period_name(ctx.period),
                        period_code=str(ctx.period),
                    ),
                )
            )
        elif not ctx.organisations(rule):
            problems.append(
                Problem(
                    path=f"{where}.applies_to",
                    code="unmatched_organisation",
                    message=t("台账中没有规则「{rule}」适用的党组织，不作任何判断", rule=rule.id),
                )
            )
    return problems


BUILTIN = "dangjian:"


def _settled(f: Finding) -> Finding:
    """``f`` with its evidence in :func:`~dangjian.rules.context.evidence_order` (a custom rule
    kind may build its findings without :meth:`Context.finding`)."""
    ordered = tuple(sorted(f.evidence, key=evidence_order))
    return f if ordered == f.evidence else attrs.evolve(f, evidence=ordered)


def is_selected(rule: Rule, only: Sequence[str]) -> bool:
    """Whether ``rule`` is among ``only`` (every rule when empty): its id, or a prefix of ids
    (``dues.`` or ``dues``: the rules ``dues.…``)."""
    return not only or any(
        rule.id == x or rule.id.startswith(x if x.endswith(".") else x + ".") for x in only
    )


def _waive(finding: Finding, waivers: tuple[Waiver, ...]) -> Finding:
    if finding.status is not Status.FAILED:
        return finding
    for w in waivers:
        if w.covers(finding):
            return attrs.evolve(finding, status=Status.WAIVED, waiver=w)
    return finding
