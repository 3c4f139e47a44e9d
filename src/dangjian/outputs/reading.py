"""The table that a person reads (text and Markdown): failures first, one line per finding."""

from __future__ import annotations

from dangjian.errors import Language
from dangjian.findings import Finding, Status
from dangjian.i18n import t
from dangjian.outputs.columns import columns
from dangjian.report import Report

__all__ = ["for_reading", "reading_headers", "reading_rows"]

_FIRST = {Status.FAILED: 0, Status.UNKNOWN: 1}

_HEADED = columns("status", "severity", "rule", "subject_name", "period", "message")
"""The columns whose labels head the table."""


def for_reading(report: Report) -> list[Finding]:
    """The findings as a reader wants them: failures first, then those the records cannot
    decide, then the rest, each part in the report's order."""
    return sorted(report.findings, key=lambda f: _FIRST.get(f.status, 2))


def reading_headers(lang: Language) -> list[str]:
    """The headers of the table: status, severity, rule, subject, period, message."""
    return [c.text_label(lang) for c in _HEADED]


def reading_rows(report: Report, lang: Language) -> list[list[str]]:
    """The rows of the table, in the order of :func:`for_reading`."""
    return [
        [
            f.status.text(lang),
            f.severity.text(lang),
            f.rule,
            f.subject.name,
            f.period.label(lang) if f.period else "",
            f.text(lang)
            + (t("（豁免：{reason}）", reason=f.waiver.reason).render(lang) if f.waiver else "")
            + _to_do(f, lang),
        ]
        for f in for_reading(report)
    ]


def _to_do(f: Finding, lang: Language) -> str:
    """What to add to the ledger, after the message of a finding that cannot be told."""
    if f.status is not Status.UNKNOWN or f.gap is None:
        return ""
    return t("（请{remedy}）", remedy=f.gap.remedy(lang)).render(lang)
