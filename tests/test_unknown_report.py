"""How reports and work summaries show what the records cannot tell (无法判断): counted apart,
listed after the failures, never a failure, never a name under 不足."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

from dangjian import Absence, AbsenceReason, Meeting, MeetingKind, Month, Report, check, summarize
from tests.builders.dues import D, ledger, member, month_range

YEAR = month_range("2019-07", "2020-06")


def _report() -> Report:
    """``liu`` attended no meeting of 2020 by name, and one is recorded by count: unknown;
    ``zhao`` likewise, but named absent at the one by count: failed; ``goer`` attended all."""
    meetings = [
        Meeting(
            id=f"td-{m}",
            kind=MeetingKind.THEME_DAY,
            branch="b1",
            date=Month.parse(m).first_day.replace(day=10),
            attended=("goer", "liu", "zhao") if m < "2020" else ("goer",),
        )
        for m in YEAR
    ]
    meetings.append(
        Meeting(
            id="dydh-2020-03",
            kind=MeetingKind.GENERAL_MEETING,
            branch="b1",
            date=D(2020, 3, 20),
            expected_count=3,
            present_count=2,
            absences=(Absence(member="zhao", reason=AbsenceReason.NONE_GIVEN),),
        )
    )
    people = [
        member("goer"),
        attrs.evolve(member("liu"), name="刘洋"),
        attrs.evolve(member("zhao"), name="赵强"),
    ]
    led = ledger(members=people, meetings=meetings)
    return check(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_org_life"])


def test_the_report_counts_unknown_apart() -> None:
    report = _report()
    assert [f.subject.id for f in report.failed] == ["zhao"]
    assert [f.subject.id for f in report.unknown] == ["liu"]
    assert "不符合1，无法判断1" in report.summary_line()
    data = json.loads(report.render("json"))
    assert data["counts"]["unknown"] == 1
    gaps = {f["subject"]["id"]: f["gap"] for f in data["findings"]}
    assert gaps == {"goer": None, "liu": "counts_only", "zhao": None}


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_list_failures_then_unknowns(fmt: str) -> None:
    text = _report().render(fmt)  # type: ignore[arg-type]
    failed, unknown = (text.index(n) for n in ("赵强", "刘洋"))
    assert failed < unknown
    if fmt == "text":  # for people: what passed is counted, not listed
        assert "党员goer" not in text and "符合1" in text
    else:
        assert unknown < text.index("党员goer")


def test_findings_order_itself_is_by_subject() -> None:
    assert [f.subject.id for f in _report()] == ["goer", "liu", "zhao"]


def test_junit_counts_unknown_as_skipped_not_failed() -> None:
    root = ET.fromstring(_report().render("junit"))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("failures"), suite.get("skipped"), suite.get("tests")) == ("1", "1", "3")


def test_exit_code_treats_unknown_below_failed() -> None:
    only_unknown = _report().filter(status="unknown")
    assert only_unknown.exit_code() == 0
    assert only_unknown.exit_code(unknown=True) == 1


def test_the_summary_never_names_anybody_under_buzu_for_unknown(tmp_path: Path) -> None:
    report = _report()
    led = ledger(members=[member("goer")])
    summary = summarize(led, "2020H1", report=report)
    assert [g.subjects for g in summary.failed] == [("赵强",)]
    assert [(g.rule, g.count, g.subjects) for g in summary.unknown] == [
        ("charter.lapse_org_life", 1, ())
    ]
    assert summary.unknown[0].reasons == (
        "会议只记录了人数，未记录出席人员，请补记各次会议的出席人名单",
    )
    text = summary.to_markdown()
    assert "刘洋" not in text
    assert "赵强" in text
    assert "以下依据台账记录无法判断是否符合要求，不计入不足：" in text
    assert "1项无法判断，原因：会议只记录了人数" in text
    assert "补齐台账记录" in text
    data = json.loads(summary.to_json())
    assert data["unknown"][0]["subjects"] == []
    assert "刘洋" not in summary.to_json()


def test_the_word_summary_lists_what_cannot_be_judged(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    summary = summarize(ledger(members=[member("goer")]), "2020H1", report=_report())
    path = tmp_path / "总结.docx"
    summary.to_docx(path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "以下依据台账记录无法判断是否符合要求，不计入不足：" in text
    assert "刘洋" not in text
