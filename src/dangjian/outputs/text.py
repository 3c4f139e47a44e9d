"""The ``text`` output, for people: the summary line, then the findings that need doing, errors
first, grouped by rule and subject with their periods on one line, fitted to a width.

Sections come in this order: failures by severity (errors, warnings, notes), then the findings the
records cannot decide, those pending, those waived, those not applicable; passed findings are
counted, not listed, and those not applicable counted by rule. Within a section a rule is one heading and a subject one line, its months
compressed into ranges (:func:`month_ranges`), its message once when the same for every period.
A frequency rule failed in several periods by the same shortfall says what and how many were
lacking in each, from the findings' own messages (``第一党小组 党小组会 1–6月 各缺1次``).
``text-verbose`` is the older table, a line per finding (``dangjian check --verbose``).

>>> month_ranges([1, 2, 3, 5, 7, 8])
'1–3、5、7–8'
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence

from tabulate import tabulate
from wcwidth import wcwidth

from dangjian._escape import terminal_text
from dangjian.errors import Language
from dangjian.findings import Finding, Severity, Status
from dangjian.i18n import Message, t
from dangjian.outputs.reading import reading_headers, reading_rows
from dangjian.outputs.registry import ReportFormat
from dangjian.periods import Period, PeriodUnit
from dangjian.report import Report
from dangjian.rules.kinds.activity import frequency_shortfall

__all__ = [
    "FORMAT",
    "VERBOSE_FORMAT",
    "fit",
    "month_ranges",
    "periods_text",
    "sections",
    "text_width",
    "write",
    "write_report",
    "write_verbose",
]

MIN_WIDTH = 40
"""The narrowest width that :func:`write_report` fits its lines to."""

_ORDER: tuple[tuple[Status, Severity | None], ...] = (
    (Status.FAILED, Severity.ERROR),
    (Status.FAILED, Severity.WARNING),
    (Status.FAILED, Severity.INFO),
    (Status.UNKNOWN, None),
    (Status.PENDING, None),
    (Status.WAIVED, None),
    (Status.NOT_APPLICABLE, None),
)


def _one_line(cell: str) -> str:
    return cell.replace("\n", "\\n").replace("\t", "\\t")


def text_width(text: str) -> int:
    """The width of ``text`` on a terminal: a CJK character counts two, a control character
    nothing."""
    return sum(max(wcwidth(ch), 0) for ch in text)


_NO_LINE_START = frozenset("，。、；：！？）》」』】,.;:!?)]}…–")
"""What a line does not start with (a closing mark or punctuation stays on the line before)."""


def _breakable(before: str, after: str) -> bool:
    """Whether a line may break between ``before`` and ``after``: after a space, or beside a
    wide (CJK) character, never before closing punctuation nor inside a run of ASCII."""
    if after in _NO_LINE_START or before in "（《「『【(":
        return False
    return before == " " or wcwidth(before) == 2 or wcwidth(after) == 2


def fit(line: str, width: int, indent: int = 4) -> list[str]:
    """``line`` broken into lines no wider than ``width`` (:func:`text_width`), the later ones
    indented by ``indent`` spaces under the first one's own indentation. A break falls where
    :func:`_breakable` allows one in the later half of the line, else wherever the width ends."""
    lead = len(line) - len(line.lstrip(" "))
    pad = " " * min(lead + indent, max(width // 2, 0))
    out: list[str] = []
    rest = line
    while text_width(rest) > width:
        cut, used, good = 0, 0, 0
        for i, ch in enumerate(rest):
            used += max(wcwidth(ch), 0)
            if used > width:
                break
            cut = i + 1
            if i + 1 < len(rest) and i >= len(pad) and _breakable(ch, rest[i + 1]):
                good = i + 1
        if text_width(rest[:good]) > width // 2:
            cut = good
        cut = max(cut, len(pad) + 1)
        out.append(rest[:cut].rstrip(" "))
        rest = pad + rest[cut:].lstrip(" ")
    out.append(rest)
    return out


def month_ranges(months: Iterable[int]) -> str:
    """Months (1–12) written short: runs of consecutive months as ``1–3``, the rest apart,
    joined by ``、`` (``[1, 3]`` → ``1、3``)."""
    ms = sorted(set(months))
    parts: list[str] = []
    i = 0
    while i < len(ms):
        j = i
        while j + 1 < len(ms) and ms[j + 1] == ms[j] + 1:
            j += 1
        parts.append(str(ms[i]) if i == j else f"{ms[i]}–{ms[j]}")
        i = j + 1
    return "、".join(parts)


def periods_text(periods: Sequence[Period], report: Report, lang: Language) -> str:
    """The periods of one line: months of the report's year as ranges (``1–6月``), months of one
    other year with the year (``2019年11–12月``), anything else as its labels joined."""
    if not periods:
        return ""
    years = {p.year for p in periods}
    if all(p.unit is PeriodUnit.MONTH for p in periods) and len(years) == 1:
        months = month_ranges(p.index for p in periods)
        (year,) = years
        if year == report.period.year:
            return t("{months}月", months=months).render(lang)
        return t("{year}年{months}月", year=year, months=months).render(lang)
    return t("、").render(lang).join(p.label(lang) for p in sorted(set(periods)))


def sections(report: Report) -> list[tuple[Status, Severity | None, list[Finding]]]:
    """The findings to list, in the order of a reader: a section per status (per severity of a
    failure), errors first; each holds its findings in the report's order. Passed findings are
    in none."""
    parts: dict[tuple[Status, Severity | None], list[Finding]] = {key: [] for key in _ORDER}
    for f in report.findings:
        if f.status is Status.PASSED:
            continue
        key = (f.status, f.severity if f.status is Status.FAILED else None)
        parts[key].append(f)
    return [(s, sev, fs) for (s, sev), fs in parts.items() if fs]


def _heading(status: Status, severity: Severity | None, n: int, lang: Language) -> str:
    if severity is not None:
        label = t("{severity}（{status}）", severity=severity.text(lang), status=status.text(lang))
    else:
        label = t("{status}", status=status.text(lang))
    return t("【{label}】{n}条", label=label, n=n).render(lang)


def _message(group: list[Finding], lang: Language) -> str:
    """The message of a subject's line: once when every period says the same (its period's
    label taken out), else each in turn."""
    texts: list[str] = []
    for f in group:
        text = f.text(lang)
        if f.period is not None and len(group) > 1:
            text = text.replace(f.period.label(lang), "").strip(" ，,：:")
        if f.waiver is not None:
            text += t("（豁免：{reason}）", reason=f.waiver.reason).render(lang)
        if f.status is Status.UNKNOWN and f.gap is not None:
            text += t("（请{remedy}）", remedy=f.gap.remedy(lang)).render(lang)
        if text not in texts:
            texts.append(text)
    return t("；").render(lang).join(texts)


def _shortfall(group: list[Finding], lang: Language) -> list[str] | None:
    """For a subject failed in several periods, each lacking the same number of the same
    activities: what (``党小组会``) and ``各缺1次``; else ``None``."""
    if len(group) < 2 or any(f.status is not Status.FAILED for f in group):
        return None
    each = {frequency_shortfall(f.msg) for f in group}
    if len(each) != 1:
        return None
    (same,) = each
    if same is None:
        return None
    what, missing = same
    text = what.render(lang) if isinstance(what, Message) else what
    return [text, t("各缺{n}次", n=missing).render(lang)]


def _lines(report: Report, lang: Language) -> list[str]:
    lines: list[str] = []
    for status, severity, found in sections(report):
        lines += ["", _heading(status, severity, len(found), lang)]
        by_rule: dict[str, dict[tuple[str, str], list[Finding]]] = {}
        for f in found:
            by_rule.setdefault(f.rule, {}).setdefault((f.subject.kind, f.subject.id), []).append(f)
        for rule, subjects in by_rule.items():
            lines.append(f"  {report.title(rule, lang)}（{rule}）")
            if status is Status.NOT_APPLICABLE:  # nothing to do: counted, not listed
                n = sum(len(group) for group in subjects.values())
                lines.append("    " + t("{n}条，未逐条列出", n=n).render(lang))
                continue
            for group in subjects.values():
                periods = [f.period for f in group if f.period is not None]
                shortfall = _shortfall(group, lang)
                parts = [group[0].subject.name, periods_text(periods, report, lang)]
                if shortfall is not None:
                    parts[1:1] = shortfall[:1]
                    parts.append(shortfall[1])
                else:
                    parts.append(_message(group, lang))
                lines.append("    " + " ".join(p for p in parts if p))
    passed = report.counts()[Status.PASSED]
    if passed:
        lines += ["", t("符合的{n}条未逐条列出（--verbose 逐条列出）", n=passed).render(lang)]
    return lines


def write_report(report: Report, lang: Language = "zh", width: int | None = None) -> str:
    """The report for people, each line no wider than ``width`` (the terminal's when not
    given, at least :data:`MIN_WIDTH`)."""
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns
    width = max(width, MIN_WIDTH)
    # control characters in the ledger's text are shown escaped, never sent to the terminal; a
    # text stays on its line, so that a line break in a name cannot show a finding of its own
    raw = [terminal_text(report.summary_line(lang)), *_lines(report, lang)]
    out: list[str] = []
    for line in raw:
        out += fit(_one_line(terminal_text(line)), width)
    return "\n".join(out) + "\n"


def write(report: Report, lang: Language) -> str:
    """The report for people, fitted to the terminal's width (:func:`write_report`)."""
    return write_report(report, lang)


def write_verbose(report: Report, lang: Language) -> str:
    """The summary line, then the findings as a table, a line each, failures first."""
    rows = [[_one_line(terminal_text(cell)) for cell in row] for row in reading_rows(report, lang)]
    table = tabulate(rows, headers=reading_headers(lang), tablefmt="simple")
    return f"{terminal_text(report.summary_line(lang))}\n\n{table}\n"


FORMAT = ReportFormat(
    "text",
    write,
    ".txt",
    description=t("摘要和按规则、对象归并的结果，错误在前，适应终端宽度"),
)

VERBOSE_FORMAT = ReportFormat(
    "text-verbose",
    write_verbose,
    ".txt",
    description=t("摘要和表格，每条结果一行（check --verbose）"),
)
