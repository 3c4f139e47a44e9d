"""The report of a check: findings to filter, group, count and write out."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal
from xml.etree import ElementTree as ET

import attrs
from tabulate import tabulate

from dangjian._escape import (
    csv_cell,
    json_text,
    markdown_cell,
    markdown_text,
    terminal_text,
    xml_document,
    xml_text,
)
from dangjian.errors import Language, Problem
from dangjian.findings import Finding, Severity, Status
from dangjian.model.resident_id import mask_resident_ids
from dangjian.periods import Period

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GroupKey", "OutputFormat", "Report"]

GroupKey = Literal["rule", "branch", "status", "severity", "period", "subject"]
OutputFormat = Literal["text", "json", "markdown", "csv", "junit"]

_KEYS: dict[str, Callable[[Finding], str]] = {
    "rule": lambda f: f.rule,
    "branch": lambda f: f.subject.branch or "",
    "status": lambda f: f.status.code,
    "severity": lambda f: f.severity.code,
    "period": lambda f: str(f.period) if f.period else "",
    "subject": lambda f: f"{f.subject.kind}:{f.subject.id}",
}


@attrs.frozen(kw_only=True)
class Report:
    """Every finding of a check, with what was checked.

    Attributes:
        findings: The findings, in the order of the rules and then of the subjects.
        period: The period checked.
        as_of: The day of judging.
        profile: The profile of rules used.
        titles: The Chinese and English title of each rule, by id.
        notices: What the user wrote that matched nothing (a waiver of an unknown rule, a
            subject not in the ledger, a period outside the check, ``disable`` of an unknown
            rule), kept as warnings when the check ran with ``allow_unmatched=True``; without
            it each is an error and there is no report. Also, always, each waiver that covers
            findings which cannot be told and so was not applied (``waiver_on_unknown``).
    """

    findings: tuple[Finding, ...]
    period: Period
    as_of: dt.date
    profile: str
    titles: dict[str, tuple[str, str]] = attrs.field(factory=dict, eq=False)
    totals: dict[Status, int] | None = attrs.field(default=None, eq=False)
    """The counts of the report before any :meth:`filter`, kept for its summary line."""
    notices: tuple[Problem, ...] = attrs.field(default=(), eq=False)

    # -- selecting -------------------------------------------------------------------------

    def filter(
        self,
        *,
        rule: str | None = None,
        branch: str | None = None,
        status: Status | str | Sequence[Status | str] | None = None,
        severity: Severity | str | None = None,
        at_least: Severity | str | None = None,
    ) -> Report:
        """The report with only the findings that match every criterion given.

        Args:
            rule: A rule id, or a prefix ending in ``.`` (``branch.``).
            branch: The id of the organisation of the finding's subject.
            status: A status or its code, or several of them.
            severity: A severity or its code.
            at_least: Only findings of this severity or a more serious one.
        """
        if status is None:
            statuses = None
        else:
            wanted = (status,) if isinstance(status, str | Status) else tuple(status)
            statuses = {Status.parse(s) if isinstance(s, str) else s for s in wanted}
        want_severity = Severity.parse(severity) if isinstance(severity, str) else severity
        floor = Severity.parse(at_least) if isinstance(at_least, str) else at_least

        def keep(f: Finding) -> bool:
            if rule is not None and not (
                f.rule == rule or (rule.endswith(".") and f.rule.startswith(rule))
            ):
                return False
            if branch is not None and f.subject.branch != branch:
                return False
            if statuses is not None and f.status not in statuses:
                return False
            if want_severity is not None and f.severity is not want_severity:
                return False
            return floor is None or f.severity.rank >= floor.rank

        return attrs.evolve(
            self,
            findings=tuple(f for f in self.findings if keep(f)),
            totals=self.totals or self.counts(),
        )

    def group_by(self, key: GroupKey) -> dict[str, Report]:
        """Reports of the findings that share a rule, branch, status, severity, period or subject."""
        groups: dict[str, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(_KEYS[key](f), []).append(f)
        return {k: attrs.evolve(self, findings=tuple(v)) for k, v in groups.items()}

    def counts(self) -> dict[Status, int]:
        """How many findings have each status (every status present, zero included)."""
        counter = Counter(f.status for f in self.findings)
        return {s: counter.get(s, 0) for s in Status}

    @property
    def failed(self) -> tuple[Finding, ...]:
        """The failed findings."""
        return tuple(f for f in self.findings if f.status is Status.FAILED)

    @property
    def unknown(self) -> tuple[Finding, ...]:
        """The findings the records cannot decide (无法判断)."""
        return tuple(f for f in self.findings if f.status is Status.UNKNOWN)

    def exit_code(self, fail_on: Severity | str = Severity.ERROR, *, unknown: bool = False) -> int:
        """1 when some finding of severity ``fail_on`` or above failed, else 0.

        Args:
            fail_on: The least severity that counts.
            unknown: Count findings the records cannot decide (无法判断) as failures too. By
                default they do not set the exit code: they are below a failure.
        """
        floor = Severity.parse(fail_on) if isinstance(fail_on, str) else fail_on
        judged = self.failed + self.unknown if unknown else self.failed
        return int(any(f.severity.rank >= floor.rank for f in judged))

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    # -- writing ---------------------------------------------------------------------------

    def render(self, format: OutputFormat = "text", lang: Language = "zh") -> str:
        """The report as ``text``, ``json``, ``markdown``, ``csv`` or ``junit`` (JUnit XML).

        Whatever in it validates as a resident id (a name or an id typed in the wrong field) is
        masked.
        """
        return mask_resident_ids(_WRITERS[format](self, lang))

    def title(self, rule: str, lang: Language = "zh") -> str:
        """The title of rule ``rule`` in ``lang`` (the id when unknown)."""
        zh, en = self.titles.get(rule, (rule, rule))
        return zh if lang == "zh" else en

    def summary_line(self, lang: Language = "zh") -> str:
        """One line counting the findings by status."""
        counts = self.totals or self.counts()
        if lang == "zh":
            parts = "，".join(f"{s.label}{n}" for s, n in counts.items())
            shown = f"；以下列出{len(self)}条" if self.totals else ""
            return f"{self.period.label()}（截至{self.as_of.isoformat()}，规则集 {self.profile}）：{parts}{shown}"
        parts = ", ".join(f"{n} {s.label_en}" for s, n in counts.items())
        shown = f"; {len(self)} shown" if self.totals else ""
        return f"{self.period.label('en')} (as of {self.as_of.isoformat()}, profile {self.profile}): {parts}{shown}"

    def to_frame(self, lang: Language = "zh") -> pd.DataFrame:
        """The findings as a pandas data frame, one row per finding (needs the ``frames`` extra).

        Columns: ``rule``, ``title`` (the rule's title in ``lang``), ``status`` and ``severity``
        (categorical codes; severity ordered ``info < warning < error``), ``subject_kind``,
        ``subject_id``, ``subject_name``, ``branch``, ``period`` (text: ``2020-03``), ``day``
        (``datetime64[s]``, ``NaT`` when the finding has no day), ``message`` (in ``lang``),
        ``gap`` (a categorical code: what the records lack, for a finding that cannot be told;
        missing otherwise), ``remedy`` (what to add, in ``lang``), ``evidence`` (a list of record ids), ``citations`` (a list of rendered citations) and
        ``waiver_reason``.

        Raises:
            DangjianError: pandas is not installed.
        """
        from dangjian._frames import finding_frame

        return finding_frame(self, lang)

    def _repr_html_(self) -> str:
        from dangjian._html import report_html

        return report_html(self)


_FIRST = {Status.FAILED: 0, Status.UNKNOWN: 1}


def _for_reading(report: Report) -> list[Finding]:
    """The findings as a reader wants them: failures first, then those the records cannot
    decide, then the rest, each part in the report's order."""
    return sorted(report.findings, key=lambda f: _FIRST.get(f.status, 2))


def _rows(report: Report, lang: Language) -> list[list[str]]:
    zh = lang == "zh"
    return [
        [
            f.status.label if zh else f.status.label_en,
            f.severity.label if zh else f.severity.label_en,
            f.rule,
            f.subject.name,
            f.period.label(lang) if f.period else "",
            f.text(lang)
            + (
                f"（豁免：{f.waiver.reason}）"
                if zh and f.waiver
                else f" (waived: {f.waiver.reason})"
                if f.waiver
                else ""
            )
            + _to_do(f, lang),
        ]
        for f in _for_reading(report)
    ]


def _to_do(f: Finding, lang: Language) -> str:
    """What to add to the ledger, after the message of a finding that cannot be told."""
    if f.status is not Status.UNKNOWN or f.gap is None:
        return ""
    return f"（请{f.gap.remedy()}）" if lang == "zh" else f" (to do: {f.gap.remedy('en')})"


def _headers(lang: Language) -> list[str]:
    if lang == "zh":
        return ["状态", "级别", "规则", "对象", "期间", "说明"]
    return ["status", "severity", "rule", "subject", "period", "message"]


def _one_line(cell: str) -> str:
    return cell.replace("\n", "\\n").replace("\t", "\\t")


def _text(report: Report, lang: Language) -> str:
    # control characters in the ledger's text are shown escaped, never sent to the terminal; a
    # cell stays on its line, so that a line break in a name cannot show a finding of its own
    rows = [[_one_line(terminal_text(cell)) for cell in row] for row in _rows(report, lang)]
    table = tabulate(rows, headers=_headers(lang), tablefmt="simple")
    return f"{terminal_text(report.summary_line(lang))}\n\n{table}\n"


def _markdown(report: Report, lang: Language) -> str:
    # HTML in the ledger's text is shown as text; a cell stays in its cell and its row
    rows = [[markdown_cell(cell) for cell in row] for row in _rows(report, lang)]
    table = tabulate(rows, headers=_headers(lang), tablefmt="github")
    heading = "检查结果" if lang == "zh" else "Findings"
    return f"# {heading}\n\n{markdown_text(report.summary_line(lang))}\n\n{table}\n"


def finding_data(f: Finding, lang: Language = "zh") -> dict[str, Any]:
    """A finding as plain data, for JSON and data frames."""
    return {
        "rule": f.rule,
        "status": f.status.code,
        "severity": f.severity.code,
        "subject": {
            "kind": f.subject.kind,
            "id": f.subject.id,
            "name": f.subject.name,
            "branch": f.subject.branch,
        },
        "period": str(f.period) if f.period else None,
        "day": f.day.isoformat() if f.day else None,
        "message": f.text(lang),
        "evidence": list(f.evidence),
        "citations": [c.render(lang) for c in f.citations],
        "gap": f.gap.code if f.gap is not None else None,
        "remedy": f.gap.remedy(lang) if f.gap is not None else None,
        "waiver": None
        if f.waiver is None
        else {
            "reason": f.waiver.reason,
            "approved_by": f.waiver.approved_by,
            "period": str(f.waiver.period),
        },
    }


def _json(report: Report, lang: Language) -> str:
    data = {
        "period": str(report.period),
        "as_of": report.as_of.isoformat(),
        "profile": report.profile,
        "counts": {s.code: n for s, n in report.counts().items()},
        "findings": [finding_data(f, lang) for f in report.findings],
    }
    # what a terminal would obey is written as JSON's escapes: the same JSON, safe on a terminal
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def _csv(report: Report, lang: Language) -> str:
    out = io.StringIO()
    # RFC 4180 line ends: a cell holding a CR or an LF is then quoted, and stays one cell
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "rule",
            "status",
            "severity",
            "subject_kind",
            "subject_id",
            "subject_name",
            "branch",
            "period",
            "message",
            "evidence",
            "citations",
        ]
    )
    for f in report.findings:
        row = [
            f.rule,
            f.status.code,
            f.severity.code,
            f.subject.kind,
            f.subject.id,
            f.subject.name,
            f.subject.branch or "",
            str(f.period) if f.period else "",
            f.text(lang),
            " ".join(f.evidence),
            "; ".join(c.render(lang) for c in f.citations),
        ]
        writer.writerow([csv_cell(cell) for cell in row])  # no formula runs when it is opened
    return out.getvalue()


def _junit(report: Report, lang: Language) -> str:
    suites = ET.Element("testsuites", name=f"dangjian {report.period}")
    _junit_suites(suites, report, lang)
    # what XML cannot hold (control characters in the ledger's text) is shown escaped
    for element in suites.iter():
        element.attrib.update({k: xml_text(v) for k, v in element.attrib.items()})
        if element.text:
            element.text = xml_text(element.text)
    ET.indent(suites)
    body = xml_document(ET.tostring(suites, encoding="unicode"))  # safe on a terminal too
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _junit_suites(suites: ET.Element, report: Report, lang: Language) -> None:
    for rule, group in report.group_by("rule").items():
        counts = group.counts()
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=rule,
            tests=str(len(group)),
            failures=str(counts[Status.FAILED]),
            skipped=str(
                counts[Status.UNKNOWN]
                + counts[Status.PENDING]
                + counts[Status.NOT_APPLICABLE]
                + counts[Status.WAIVED]
            ),
        )
        for f in group.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=rule,
                name=f"{f.subject.kind}:{f.subject.id} {f.period or ''}".strip(),
            )
            text = f"{f.text(lang)}\n" + "\n".join(c.render(lang) for c in f.citations)
            if f.status is Status.FAILED:
                ET.SubElement(
                    case, "failure", message=f.text(lang), type=f.severity.code
                ).text = text
            elif f.status is not Status.PASSED:
                ET.SubElement(case, "skipped", message=f"{f.status.code}: {f.text(lang)}")


_WRITERS: dict[str, Callable[[Report, Language], str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
    "csv": _csv,
    "junit": _junit,
}
