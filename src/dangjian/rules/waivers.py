"""What a check is told besides the rules: the waivers it applies, and which rules it selects.

Both engines — the object engine (:mod:`dangjian.rules.engine`) and the table engine
(:mod:`dangjian.tables.engine`) — read waivers, select rules and report the waivers and rules
that match nothing with these functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Container, Sequence

import attrs

from dangjian.errors import Problem, RuleError
from dangjian.findings import Finding, Status, Waiver
from dangjian.i18n import t
from dangjian.io.converter import structure_problems
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodError
from dangjian.rules.loader import RuleSet, make_rule_converter, parse_rule_data, read_text
from dangjian.rules.schema import Rule
from dangjian.rules.texts import period_name

__all__ = [
    "BUILTIN",
    "is_selected",
    "load_waivers",
    "unmatched_rules",
    "unmatched_waivers",
    "waiver_place",
    "waivers_covering_nothing",
    "waivers_matching_no_finding",
    "waivers_of_unknown_findings",
    "waivers_on_unknowns",
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
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    return waivers_covering_nothing(
        waivers,
        {r.id for r in selected},
        reported,
        # covers() looks at the rule, subject and period only, not at the status
        lambda _, w: any(w.covers(f) for f in by_rule.get(w.rule, ())),
    )


def waivers_covering_nothing(
    waivers: tuple[Waiver, ...],
    checked: Container[str],
    reported: set[str],
    covers_some: Callable[[int, Waiver], bool],
) -> list[Problem]:
    """:func:`waivers_matching_no_finding` for any engine: ``covers_some(i, waiver)`` says
    whether the ``i``-th waiver covers at least one finding of its rule, whatever its status
    (each engine counts its own findings); ``checked`` holds the ids of the rules checked."""
    problems: list[Problem] = []
    for i, w in enumerate(waivers):
        where = waiver_place(i, w)
        if w.rule not in checked or where in reported or covers_some(i, w):
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

    def tally(_: int, w: Waiver) -> tuple[int, bool]:
        covered = [f for f in findings if w.covers(f)]
        return sum(f.status is Status.UNKNOWN for f in covered), any(f.waiver is w for f in covered)

    return waivers_on_unknowns(waivers, tally)


def waivers_on_unknowns(
    waivers: tuple[Waiver, ...], tally: Callable[[int, Waiver], tuple[int, bool]]
) -> list[Problem]:
    """:func:`waivers_of_unknown_findings` for any engine: ``tally(i, waiver)`` gives how many
    findings the ``i``-th waiver covers that cannot be told, and whether it excused any."""
    problems: list[Problem] = []
    for i, w in enumerate(waivers):
        unknown, applied = tally(i, w)
        if not unknown or applied:
            continue
        problems.append(
            Problem(
                path=waiver_place(i, w),
                code="waiver_on_unknown",
                message=t(
                    "豁免对应的{n}项检查结果为无法判断，豁免只适用于不符合的结果，该豁免未适用；"
                    "请按检查结果的说明补记台账",
                    n=unknown,
                ),
            )
        )
    return problems


def waiver_place(i: int, waiver: Waiver) -> str:
    """Where a problem of the ``i``-th waiver is reported: its origin in its file, or its
    position and rule when it has none."""
    return waiver.origin or f"waiver[{i}]({waiver.rule})"


BUILTIN = "dangjian:"
"""The prefix of the sources of the rule files dangjian ships (``dangjian:national``)."""


def is_selected(rule: Rule, only: Sequence[str]) -> bool:
    """Whether ``rule`` is among ``only`` (every rule when empty): its id, or a prefix of ids
    (``dues.`` or ``dues``: the rules ``dues.…``)."""
    return not only or any(
        rule.id == x or rule.id.startswith(x if x.endswith(".") else x + ".") for x in only
    )


def unmatched_rules(
    period: Period, selected: Sequence[Rule], applies: Callable[[Rule], bool]
) -> list[Problem]:
    """The rules of the user's own files (not the shipped profiles) that can judge nothing in
    this check: no organisation of the ledger is subject to them (``applies`` says whether any
    is, each engine asking its own records), or they are not in force in ``period``."""
    problems: list[Problem] = []
    for rule in selected:
        if rule.source.startswith(BUILTIN):
            continue
        where = f"{rule.source}: rule({rule.id})"
        if not rule.in_force.overlaps(period.start, period.end):
            problems.append(
                Problem(
                    path=f"{where}.in_force",
                    code="unmatched_period",
                    message=t(
                        "规则「{rule}」在检查期间{period}不生效，不作任何判断",
                        rule=rule.id,
                        period=period_name(period),
                        period_code=str(period),
                    ),
                )
            )
        elif not applies(rule):
            problems.append(
                Problem(
                    path=f"{where}.applies_to",
                    code="unmatched_organisation",
                    message=t("台账中没有规则「{rule}」适用的党组织，不作任何判断", rule=rule.id),
                )
            )
    return problems
