"""Checking a ledger: every rule of a profile, over a period, into one report."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from dangjian._gc import collector_paused
from dangjian.calendar import WorkingCalendar
from dangjian.errors import Problem, RuleError
from dangjian.findings import Finding, Status, Waiver
from dangjian.io.converter import structure_problems
from dangjian.ledger import Ledger
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodError
from dangjian.report import Report
from dangjian.rules.context import Context, evidence_order
from dangjian.rules.loader import _parse, load_rules, make_rule_converter
from dangjian.rules.registry import Registry, default_registry
from dangjian.rules.schema import Rule

__all__ = ["check", "load_waivers"]


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
    data = _parse(name, Path(path).read_text(encoding="utf-8-sig"))
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
                    message=str(e),
                    message_en=str(e),
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
            )
        )
    if problems:
        raise RuleError(problems, source=name)
    return tuple(waivers)


def check(
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
) -> Report:
    """Check ``ledger`` over ``period`` against the rules of ``profile`` and ``rules`` files.

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

    Raises:
        RuleError: a rule file is invalid.
        PeriodError: ``period`` cannot be parsed.

    .. versionadded:: 0.1
    """
    registry = registry or default_registry()
    if isinstance(period, str):
        period = Period.parse(period)
    ruleset = load_rules(profile, rules, registry=registry)
    selected = [r for r in ruleset if _selected(r, only)]
    ctx = Context(ledger, period, as_of or dt.date.today(), calendar)
    waiver_list = tuple(waivers)
    findings: list[Finding] = []
    with collector_paused():
        for rule in selected:
            evaluate = registry.get(rule.kind).evaluate
            findings += (
                _waive(f if len(f.evidence) < 2 else _settled(f), waiver_list)
                for f in evaluate(ctx, rule)
            )
    return Report(
        findings=tuple(findings),
        period=period,
        as_of=ctx.as_of,
        profile=profile,
        titles={r.id: (r.title, r.title_en) for r in selected},
    )


def _settled(f: Finding) -> Finding:
    """``f`` with its evidence in :func:`~dangjian.rules.context.evidence_order` (a custom rule
    kind may build its findings without :meth:`Context.finding`)."""
    ordered = tuple(sorted(f.evidence, key=evidence_order))
    return f if ordered == f.evidence else attrs.evolve(f, evidence=ordered)


def _selected(rule: Rule, only: Sequence[str]) -> bool:
    return not only or any(
        rule.id == x or (x.endswith(".") and rule.id.startswith(x)) for x in only
    )


def _waive(finding: Finding, waivers: tuple[Waiver, ...]) -> Finding:
    if finding.status is not Status.FAILED:
        return finding
    for w in waivers:
        if w.covers(finding):
            return attrs.evolve(finding, status=Status.WAIVED, waiver=w)
    return finding
