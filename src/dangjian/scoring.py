"""Scorecards (党建工作评分): points per organisation from the findings of a check.

A :class:`Scheme`, kept as data (a TOML file; the bundled one is ``dangjian/data/scoring.toml``,
an organisation may replace it), says what each failed finding costs: a base score, points by
severity with overrides per rule (by id, or by a prefix ending in ``.``), a cap per rule and a
cap on the total. :func:`scorecard` applies it to a :class:`~dangjian.report.Report` and gives a
:class:`Scorecard`: each organisation's score, a ranking (ties share a rank), the change
against a previous period, and the rules that cost the most points.

Who is scored: every organisation of the ledger (the names the report carries). A finding counts
against the organisation of its subject (``subject.branch``): a party group's and a member's
findings count against their branch; a general branch (党总支) and a committee (党委) are scored
on their own findings only, not on those of the branches under them. With ``ledger=``, a
committee is shown but not ranked among the branches (``ranked`` false). Findings that belong to
no organisation are counted apart (:attr:`Scorecard.unassigned`), never scored.

What cannot be decided (无法判断) costs ``unknown`` points each, nothing by default, and is listed
apart; waived and not applicable findings cost nothing.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from dangjian._escape import terminal_text
from dangjian._files import write_bytes, write_text
from dangjian._optional import require
from dangjian.errors import DangjianError, Language, Problem, RuleError
from dangjian.findings import Finding, Severity, Status
from dangjian.i18n import t
from dangjian.periods import Period

if TYPE_CHECKING:
    from dangjian.charts import Chart
    from dangjian.ledger import Ledger
    from dangjian.report import Report

__all__ = [
    "BranchScore",
    "RuleCost",
    "RulePoints",
    "Scheme",
    "Scorecard",
    "SeverityPoints",
    "load_scheme",
    "scorecard",
]

SCHEME_SOURCE = "dangjian:data/scoring.toml"
"""The name of the bundled scheme, as errors and :attr:`Scheme.source` give it."""

FORMATS = ("text", "json", "markdown", "xlsx", "png", "svg")
"""The formats :meth:`Scorecard.write` writes."""


@attrs.frozen(kw_only=True)
class SeverityPoints:
    """Points per failed finding, by the severity of its rule."""

    error: Decimal = Decimal(5)
    warning: Decimal = Decimal(2)
    info: Decimal = Decimal(0)

    def of(self, severity: Severity) -> Decimal:
        """The points for ``severity``."""
        points: Decimal = getattr(self, severity.code)
        return points


@attrs.frozen(kw_only=True)
class RulePoints:
    """What the scheme says of one rule or group of rules (a prefix ending in ``.``).

    Attributes:
        points: Points per failed finding, instead of the severity's.
        cap: The most the rule costs one organisation, instead of the scheme's ``rule_cap``.
    """

    points: Decimal | None = None
    cap: Decimal | None = None


@attrs.frozen(kw_only=True)
class Scheme:
    """A scoring scheme; see the module and ``dangjian/data/scoring.toml``.

    Attributes:
        name: What the scheme is called.
        base: The score with no failure.
        max_deduction: The most an organisation loses in total (by default ``base``): the
            score never falls below ``base - max_deduction``.
        rule_cap: The most one rule costs an organisation, unless the rule's entry says; none
            when absent.
        unknown: Points per finding that cannot be decided (默认 0).
        severity: Points per failed finding by severity.
        rules: Entries per rule id or prefix (``branch.``).
        source: Where the scheme was read from.
    """

    name: str = ""
    base: Decimal = Decimal(100)
    max_deduction: Decimal | None = None
    rule_cap: Decimal | None = None
    unknown: Decimal = Decimal(0)
    severity: SeverityPoints = attrs.field(factory=SeverityPoints)
    rules: dict[str, RulePoints] = attrs.field(factory=dict)
    source: str = ""
    """Not a key of the file: filled in by :func:`load_scheme`."""

    @property
    def floor(self) -> Decimal:
        """The lowest score: ``base - max_deduction``."""
        return self.base - (self.base if self.max_deduction is None else self.max_deduction)

    def entry(self, rule: str) -> RulePoints | None:
        """The most specific entry for ``rule``: its id, else the longest prefix."""
        if rule in self.rules:
            return self.rules[rule]
        prefixes = [k for k in self.rules if k.endswith(".") and rule.startswith(k)]
        return self.rules[max(prefixes, key=len)] if prefixes else None

    def points(self, rule: str, severity: Severity) -> Decimal:
        """What one failed finding of ``rule`` costs."""
        entry = self.entry(rule)
        if entry is not None and entry.points is not None:
            return entry.points
        return self.severity.of(severity)

    def cap(self, rule: str) -> Decimal | None:
        """The most ``rule`` costs one organisation, or ``None``."""
        entry = self.entry(rule)
        if entry is not None and entry.cap is not None:
            return entry.cap
        return self.rule_cap


def _converter() -> Any:
    from dangjian.io.converter import make_converter

    conv = make_converter(detailed=True)
    return conv


def load_scheme(path: str | os.PathLike[str] | None = None) -> Scheme:
    """The scheme in the TOML file at ``path``; the bundled one when ``path`` is ``None``.

    Raises:
        RuleError: the file is not a valid scheme: every problem with its place (an unknown
            key, a value that is not a number, negative points, ``max_deduction`` above
            ``base``).
    """
    from dangjian.io.converter import structure_problems
    from dangjian.rules.loader import parse_rule_data

    if path is None:
        source = SCHEME_SOURCE
        text = (resources.files("dangjian") / "data" / "scoring.toml").read_text("utf-8")
        name = "scoring.toml"
    else:
        source = os.fspath(path)
        if Path(source).suffix.lower() != ".toml":
            raise DangjianError(t("{path}：评分方案应为 .toml 文件", path=source))
        text = Path(source).read_text("utf-8")
        name = source
    data = parse_rule_data(name, text)
    if not isinstance(data, dict):
        raise RuleError(
            [Problem(path="", code="not_a_table", message=t("评分方案应为一张表"))], source=source
        )
    problems = []
    if "source" in data:  # where the scheme came from is ours to say, not the file's
        unknown = t("未知字段「{key}」", key="source")
        problems.append(Problem(path="source", code="unknown_field", message=unknown))
    written = {k: v for k, v in data.items() if k != "source"}
    try:
        scheme: Scheme = _converter().structure(written, Scheme)
    except Exception as e:
        # every problem at once: the negative points too, read from the data as written
        found = [*problems, *structure_problems(e), *_negative_in(data)]
        raise RuleError(found, source=source) from None
    problems += _scheme_problems(scheme)
    if problems:
        raise RuleError(problems, source=source)
    return attrs.evolve(scheme, source=source)


def _negative_in(data: Mapping[str, Any]) -> Iterable[Problem]:
    """The negative numbers of a scheme's data as written, each at its place."""
    places: list[tuple[str, object]] = [(k, data.get(k)) for k in _TOP_POINTS]
    severity = data.get("severity")
    if isinstance(severity, Mapping):
        places += [(f"severity.{k}", v) for k, v in severity.items()]
    rules = data.get("rules")
    if isinstance(rules, Mapping):
        for rule, entry in rules.items():
            if isinstance(entry, Mapping):
                places += [(f'rules."{rule}".{k}', entry.get(k)) for k in ("points", "cap")]
    for path, value in places:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value < 0:
            yield from _negative(path, Decimal(str(value)))


_TOP_POINTS = ("base", "max_deduction", "rule_cap", "unknown")


def _negative(path: str, value: Decimal | None) -> Iterable[Problem]:
    if value is not None and value < 0:
        yield Problem(
            path=path,
            code="negative_points",
            message=t("分值不能为负数：{value}", value=str(value)),
        )


def _scheme_problems(scheme: Scheme) -> Iterable[Problem]:
    negative = _negative
    yield from negative("base", scheme.base)
    yield from negative("max_deduction", scheme.max_deduction)
    yield from negative("rule_cap", scheme.rule_cap)
    yield from negative("unknown", scheme.unknown)
    for s in Severity:
        yield from negative(f"severity.{s.code}", scheme.severity.of(s))
    for rule, entry in scheme.rules.items():
        yield from negative(f'rules."{rule}".points', entry.points)
        yield from negative(f'rules."{rule}".cap', entry.cap)
    if scheme.max_deduction is not None and scheme.max_deduction > scheme.base:
        yield Problem(
            path="max_deduction",
            code="deduction_above_base",
            message=t(
                "最多扣分 {max_deduction} 不能超过基础分 {base}",
                max_deduction=str(scheme.max_deduction),
                base=str(scheme.base),
            ),
        )


@attrs.frozen(kw_only=True)
class RuleCost:
    """What one rule cost (one organisation, or all of them).

    Attributes:
        rule: The rule's id.
        title: Its Chinese title.
        title_en: Its English title, where the rule has one.
        failed: How many of its findings failed.
        points: The points deducted, after the rule's cap.
        uncapped: The points before the cap.
    """

    rule: str
    title: str
    failed: int
    points: Decimal
    uncapped: Decimal
    title_en: str = ""

    def title_in(self, lang: Language) -> str:
        """The rule's title in ``lang`` (English where it has one, else Chinese)."""
        return self.title_en if lang == "en" and self.title_en else self.title


@attrs.frozen(kw_only=True)
class BranchScore:
    """One organisation's score.

    Attributes:
        branch: Its id.
        name: Its name.
        score: ``base`` less the points deducted.
        deducted: The points deducted, after every cap.
        rank: Its place (1 the best; equal scores share a place); ``None`` when not ranked.
        ranked: Whether it is ranked among the branches (a committee is not, with ``ledger=``).
        previous: Its score in the previous period, when one was given and it was there.
        change: ``score - previous``.
        costs: What each rule cost it, the costliest first.
        unknown: Its findings that cannot be decided, by rule (listed apart).
        unknown_points: What they cost (nothing by default).
    """

    branch: str
    name: str
    score: Decimal
    deducted: Decimal
    rank: int | None = None
    ranked: bool = True
    previous: Decimal | None = None
    change: Decimal | None = None
    costs: tuple[RuleCost, ...] = ()
    unknown: dict[str, int] = attrs.field(factory=dict)
    unknown_points: Decimal = Decimal(0)


@attrs.frozen(kw_only=True)
class Scorecard:
    """The scores of a period; see the module.

    Attributes:
        period: The period scored.
        scheme: The scheme applied.
        rows: One per organisation, ranked ones by rank (ledger order among equals), then the
            others.
        top: What each rule cost all organisations together, the costliest first.
        previous_period: The period compared with, if any.
        unassigned: How many failed or undecided findings belong to no organisation (not
            scored).
        notices: Warnings: entries of the scheme that name no rule of the check.
    """

    period: Period
    scheme: Scheme
    rows: tuple[BranchScore, ...]
    top: tuple[RuleCost, ...]
    previous_period: Period | None = None
    unassigned: int = 0
    notices: tuple[Problem, ...] = ()

    def row(self, branch: str) -> BranchScore:
        """The score of the organisation ``branch``.

        Raises:
            KeyError: it was not scored.
        """
        for r in self.rows:
            if r.branch == branch:
                return r
        raise KeyError(branch)

    # -- outputs ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as plain data (numbers as text, exactly)."""

        def num(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        def cost(c: RuleCost) -> dict[str, Any]:
            return {
                "rule": c.rule,
                "title": c.title,
                "title_en": c.title_en,
                "failed": c.failed,
                "points": num(c.points),
                "uncapped": num(c.uncapped),
            }

        return {
            "period": str(self.period),
            "previous_period": str(self.previous_period) if self.previous_period else None,
            "scheme": {
                "name": self.scheme.name,
                "source": self.scheme.source,
                "base": num(self.scheme.base),
                "floor": num(self.scheme.floor),
            },
            "branches": [
                {
                    "branch": r.branch,
                    "name": r.name,
                    "rank": r.rank,
                    "ranked": r.ranked,
                    "score": num(r.score),
                    "deducted": num(r.deducted),
                    "previous": num(r.previous),
                    "change": num(r.change),
                    "costs": [cost(c) for c in r.costs],
                    "unknown": dict(r.unknown),
                    "unknown_points": num(r.unknown_points),
                }
                for r in self.rows
            ],
            "top": [cost(c) for c in self.top],
            "unassigned": self.unassigned,
        }

    def to_json(self) -> str:
        """The scorecard as JSON (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def _headers(self, lang: Language) -> list[str]:
        heads = [t("名次"), t("党组织"), t("得分"), t("扣分")]
        if self.previous_period is not None:
            heads += [t("上期得分"), t("变化")]
        heads += [t("主要扣分项"), t("无法判断")]
        return [h.render(lang) for h in heads]

    def _cells(self, r: BranchScore, lang: Language, most: int = 3) -> list[str]:
        cells = [
            "" if r.rank is None else str(r.rank),
            r.name or r.branch,
            _num(r.score),
            _num(r.deducted),
        ]
        if self.previous_period is not None:
            cells += [
                "" if r.previous is None else _num(r.previous),
                "" if r.change is None else _signed(r.change),
            ]
        worst = "；".join(f"{c.rule} −{_num(c.points)}" for c in r.costs[:most])
        cells += [worst, str(sum(r.unknown.values())) if r.unknown else ""]
        return cells

    def _title(self, lang: Language) -> str:
        if self.previous_period is None:
            return t("{period} 党建工作评分", period=self.period.label()).render(lang)
        return t(
            "{period} 党建工作评分（与{previous}比较）",
            period=self.period.label(),
            previous=self.previous_period.label(),
        ).render(lang)

    def to_text(self, lang: Language = "zh", width: int | None = None) -> str:
        """A table for a terminal: the costliest rules of each organisation one a line, and
        the rules' titles below cut to ``width`` (by default the terminal's)."""
        from tabulate import tabulate

        width = width or shutil.get_terminal_size((100, 24)).columns
        rows = [
            [terminal_text(c).replace("\n", "\\n") for c in self._cells(r, lang)] for r in self.rows
        ]
        headers = self._headers(lang)
        for r in rows:  # the costliest rules one a line, so that the table stays narrow
            r[-2] = r[-2].replace("；", "\n")
        table = tabulate(rows, headers=headers, tablefmt="simple")
        lines = [self._title(lang), "", table, ""]
        if self.top:
            lines.append(t("扣分最多的规则（全部党组织）：").render(lang))
            lines += [
                _cut(
                    f"  {c.rule} −{_num(c.points)}（{c.failed}）{terminal_text(c.title_in(lang))}",
                    width,
                )
                for c in self.top[:5]
            ]
        if self.unassigned:
            lines.append(
                t("另有 {n} 项不属于任何党组织的结果，未计分", n=self.unassigned).render(lang)
            )
        return "\n".join(lines) + "\n"

    def to_markdown(self, lang: Language = "zh") -> str:
        """A Markdown table, then the rules that cost the most."""

        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        headers = self._headers(lang)
        lines = [f"# {self._title(lang)}", "", "| " + " | ".join(headers) + " |"]
        lines.append("|" + "---|" * len(headers))
        lines += [
            "| " + " | ".join(cell(c) for c in self._cells(r, lang)) + " |" for r in self.rows
        ]
        if self.top:
            heading = t("扣分最多的规则").render(lang)
            lines += ["", f"## {heading}", ""]
            lines += [
                f"- {c.rule} {cell(c.title_in(lang))}：−{_num(c.points)}（{c.failed}）"
                for c in self.top[:10]
            ]
        return "\n".join(lines) + "\n"

    def to_xlsx(self, lang: Language = "zh") -> bytes:
        """An Excel workbook (needs the ``excel`` extra): the scores, then the rule costs,
        laid out for screen and paper (:func:`dangjian.io._sheet_print.lay_out`)."""
        from dangjian.io._sheet_print import lay_out

        openpyxl = require("openpyxl", "excel")
        styles = require("openpyxl.styles", "excel")

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = t("评分").render(lang)
        headers = self._headers(lang)
        rows = [self._cells(r, lang, most=5) for r in self.rows]
        numeric = {2, 3} | ({4, 5} if self.previous_period is not None else set())
        sheet.append(headers)
        for r, cells in zip(self.rows, rows, strict=True):
            values: list[Any] = list(cells)
            values[0] = r.rank
            for i in numeric:
                values[i] = float(values[i].replace("+", "")) if values[i] else None
            sheet.append(values)
        costs = book.create_sheet(t("扣分明细").render(lang))
        costs.append(
            [
                h.render(lang)
                for h in (t("党组织"), t("规则"), t("规则名称"), t("不符合项数"), t("扣分"))
            ]
        )
        for r in self.rows:
            for c in r.costs:
                costs.append(
                    [r.name or r.branch, c.rule, c.title_in(lang), c.failed, float(c.points)]
                )
        for ws in (sheet, costs):
            for cell in ws[1]:
                cell.font = styles.Font(bold=True)
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
            lay_out(ws, max_width=60)  # widths from the content, wrapped, A4
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def chart(self, lang: Language = "zh") -> Chart:
        """A bar chart of the scores (needs the ``charts`` extra)."""
        require("matplotlib", "charts")
        from matplotlib.figure import Figure

        from dangjian.charts import Chart, cjk_font

        found = cjk_font()
        text: dict[str, Any] = {"fontfamily": [found, "sans-serif"] if found else ["sans-serif"]}
        names = [r.name or r.branch for r in self.rows]
        scores = [float(r.score) for r in self.rows]
        figure = Figure(figsize=(3 + 0.5 * len(names), 4.5), layout="constrained")
        ax = figure.add_subplot()
        bars = ax.bar(range(len(names)), scores, color="#cf222e")
        ax.set_xticks(range(len(names)), labels=names, rotation=45, ha="right", **text)
        ax.set_ylim(float(self.scheme.floor), float(self.scheme.base) * 1.05)
        ax.set_ylabel(t("得分").render(lang), **text)
        ax.bar_label(bars, labels=[_num(r.score) for r in self.rows], fontsize="small")
        title = self._title(lang)
        ax.set_title(title, fontsize="medium", **text)
        return Chart(figure, title=title)

    def write(
        self,
        path: str | os.PathLike[str],
        format: str,
        lang: Language = "zh",
        *,
        overwrite: bool = True,
    ) -> None:
        """Write the scorecard to ``path`` in ``format`` (one of :data:`FORMATS`), atomically."""
        if format == "xlsx":
            write_bytes(path, self.to_xlsx(lang), overwrite=overwrite)
        elif format in ("png", "svg"):
            if not overwrite and Path(path).exists():
                from dangjian._files import refuse_existing

                refuse_existing(path)
            if Path(path).suffix.lower().lstrip(".") != format:
                raise DangjianError(
                    t(
                        "{path}：{format} 格式的文件名应以 .{format} 结尾",
                        path=os.fspath(path),
                        format=format,
                    )
                )
            self.chart(lang).save(path)
        else:
            write_text(path, self.render(format, lang, width=100), overwrite=overwrite)

    def render(self, format: str = "text", lang: Language = "zh", width: int | None = None) -> str:
        """The scorecard as text: ``text``, ``json`` or ``markdown``."""
        if format == "json":
            return self.to_json()
        if format == "markdown":
            return self.to_markdown(lang)
        if format == "text":
            return self.to_text(lang, width)
        raise DangjianError(t("评分表没有文本格式「{format}」", format=format))


def _display_width(text: str) -> int:
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns of a terminal, with … where it was cut."""
    if _display_width(text) <= width:
        return text
    while _display_width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _num(d: Decimal) -> str:
    """A score as written: no trailing zeros, never an exponent."""
    text = format(d.normalize(), "f")
    return text


def _signed(d: Decimal) -> str:
    return ("+" if d > 0 else "") + _num(d)


def _score_branch(
    branch: str,
    name: str,
    findings: list[Finding],
    scheme: Scheme,
    titles: Mapping[str, tuple[str, str]],
) -> BranchScore:
    by_rule: dict[str, list[Finding]] = {}
    unknown: dict[str, int] = {}
    for f in findings:
        if f.status is Status.FAILED:
            by_rule.setdefault(f.rule, []).append(f)
        elif f.status is Status.UNKNOWN:
            unknown[f.rule] = unknown.get(f.rule, 0) + 1
    costs = []
    for rule, failed in by_rule.items():
        uncapped = sum((scheme.points(rule, f.severity) for f in failed), Decimal(0))
        cap = scheme.cap(rule)
        points = uncapped if cap is None else min(uncapped, cap)
        title, title_en = titles.get(rule, (rule, ""))
        costs.append(
            RuleCost(
                rule=rule,
                title=title,
                title_en=title_en,
                failed=len(failed),
                points=points,
                uncapped=uncapped,
            )
        )
    costs.sort(key=lambda c: (-c.points, c.rule))
    unknown_points = scheme.unknown * sum(unknown.values())
    total = sum((c.points for c in costs), Decimal(0)) + unknown_points
    most = scheme.base if scheme.max_deduction is None else scheme.max_deduction
    deducted = min(total, most)
    return BranchScore(
        branch=branch,
        name=name,
        score=scheme.base - deducted,
        deducted=deducted,
        costs=tuple(c for c in costs if c.points or c.failed),
        unknown=dict(sorted(unknown.items())),
        unknown_points=unknown_points,
    )


def scorecard(
    report: Report | Any,
    scheme: Scheme | str | os.PathLike[str] | None = None,
    *,
    previous: Report | Any | None = None,
    ledger: Ledger | None = None,
) -> Scorecard:
    """The scores of each organisation under ``scheme`` from the findings of ``report``.

    Args:
        report: A report of :func:`dangjian.check` (a table engine's report is turned into one
            with its ``to_report()``).
        scheme: A :class:`Scheme`, the path of a scheme file, or ``None`` for the bundled one.
        previous: A report of the previous period, for the change of each score.
        ledger: The ledger checked: a committee (基层党委) is then scored but not ranked.
    """
    report = _as_report(report)
    if not isinstance(scheme, Scheme):
        scheme = load_scheme(scheme)
    committees: set[str] = set()
    order = list(report.names)
    if ledger is not None:
        committees = {b.id for b in ledger.branches if b.level.code == "committee"}
        order = [b.id for b in ledger.branches]
    names = dict(report.names)
    by_branch: dict[str, list[Finding]] = {b: [] for b in order}
    unassigned = 0
    for f in report.findings:
        b = f.subject.branch
        if b is None:
            if f.status in (Status.FAILED, Status.UNKNOWN):
                unassigned += 1
            continue
        if b not in by_branch:
            by_branch[b] = []
            order.append(b)
        by_branch[b].append(f)
    scores = [_score_branch(b, names.get(b, b), by_branch[b], scheme, report.titles) for b in order]
    before: dict[str, Decimal] = {}
    previous_period = None
    if previous is not None:
        prev_card = scorecard(previous, scheme, ledger=ledger)
        before = {r.branch: r.score for r in prev_card.rows}
        previous_period = prev_card.period
    ranked = sorted(
        (s for s in scores if s.branch not in committees), key=lambda s: -s.score
    )  # stable: ledger order among equals
    rows: list[BranchScore] = []
    for i, s in enumerate(ranked):
        rank = rows[-1].rank if rows and rows[-1].score == s.score else i + 1
        rows.append(_with_previous(attrs.evolve(s, rank=rank), before))
    rows += [
        _with_previous(attrs.evolve(s, ranked=False), before)
        for s in scores
        if s.branch in committees
    ]
    top: dict[str, list[RuleCost]] = {}
    for r in rows:
        for c in r.costs:
            top.setdefault(c.rule, []).append(c)
    overall = sorted(
        (
            RuleCost(
                rule=rule,
                title=cs[0].title,
                title_en=cs[0].title_en,
                failed=sum(c.failed for c in cs),
                points=sum((c.points for c in cs), Decimal(0)),
                uncapped=sum((c.uncapped for c in cs), Decimal(0)),
            )
            for rule, cs in top.items()
        ),
        key=lambda c: (-c.points, c.rule),
    )
    notices = tuple(
        Problem(
            path=f'{scheme.source}: rules."{key}"',
            code="unknown_rule",
            message=t("评分方案中的「{rule}」不是本次检查的规则", rule=key),
        )
        for key in scheme.rules
        if not any(r == key or (key.endswith(".") and r.startswith(key)) for r in report.titles)
    )
    return Scorecard(
        period=report.period,
        scheme=scheme,
        rows=tuple(rows),
        top=tuple(overall),
        previous_period=previous_period,
        unassigned=unassigned,
        notices=notices,
    )


def _with_previous(s: BranchScore, before: Mapping[str, Decimal]) -> BranchScore:
    if s.branch not in before:
        return s
    return attrs.evolve(s, previous=before[s.branch], change=s.score - before[s.branch])


def _as_report(report: Any) -> Report:
    from dangjian.report import Report

    if isinstance(report, Report):
        return report
    to_report = getattr(report, "to_report", None)
    if to_report is None:
        raise DangjianError(t("评分需要一次检查的报告"))
    result: Report = to_report()
    return result
