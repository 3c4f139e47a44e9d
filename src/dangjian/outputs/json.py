"""The ``json`` output: the period, the counts and every finding as plain data."""

from __future__ import annotations

import json
from typing import Any

from dangjian._escape import json_text
from dangjian.errors import Language
from dangjian.findings import Finding
from dangjian.i18n import t
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["FORMAT", "finding_data", "write"]


def finding_data(f: Finding, lang: Language = "zh") -> dict[str, Any]:
    """A finding as plain data: its subject and its waiver nested."""
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


def write(report: Report, lang: Language) -> str:
    """The report as one JSON object, indented."""
    data = {
        "period": str(report.period),
        "as_of": report.as_of.isoformat(),
        "profile": report.profile,
        "counts": {s.code: n for s, n in report.counts().items()},
        "findings": [finding_data(f, lang) for f in report.findings],
    }
    # what a terminal would obey is written as JSON's escapes: the same JSON, safe on a terminal
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


FORMAT = ReportFormat(
    "json",
    write,
    ".json",
    description=t("每条结果的全部数据（JSON）"),
)
