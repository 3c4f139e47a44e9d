"""The bundled example's check, kept as a reviewed snapshot, and the generated rule list.

The snapshot lists every finding that is not ``passed``; a change to a rule or to the example
shows up here as a diff to review. To accept a reviewed change, run
``python -m pytest tests/example/test_example_check.py --update-snapshots``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import dangjian
from dangjian.rules.docs import rules_markdown
from tests.builders import ROOT
from tests.builders.example import checked_example

SNAPSHOT = Path(__file__).with_name("snapshots") / "x-bureau-2020h1-check.txt"


def _report() -> dangjian.Report:
    return checked_example().report


def _lines(report: dangjian.Report) -> list[str]:
    return sorted(
        f"{f.status.code:<15} {f.rule:<24} {f.subject.kind}:{f.subject.id} {f.period or '-'}"
        for f in report
        if f.status is not dangjian.Status.PASSED
    )


def test_example_findings_match_the_reviewed_snapshot(request: pytest.FixtureRequest) -> None:
    lines = _lines(_report())
    if request.config.getoption("--update-snapshots"):
        SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert lines == expected


def test_example_report_is_the_same_whatever_the_format() -> None:
    report = _report()
    counts = report.counts()
    assert sum(counts.values()) == len(report)
    csv_rows = report.render("csv").splitlines()
    assert len(csv_rows) == len(report) + 1  # the header


def test_docs_rules_md_is_generated_from_the_rule_data() -> None:
    ruleset = dangjian.load_rules("organ")
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(ruleset)
