"""Reports: filtering, grouping, counting, exit codes, the five output formats, and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import attrs
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian import (
    Branch,
    Citation,
    Finding,
    Findings,
    Gap,
    Gender,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Milestones,
    OrgCategory,
    OrgLevel,
    Period,
    Report,
    Severity,
    Status,
    Subject,
    Waiver,
    dump,
)
from dangjian.cli import main
from dangjian.rules import load_rules
from tests.builders import examples

D = dt.date
CJK = re.compile(r"[\u4e00-\u9fff]")
H1 = Period.parse("2020H1")


# -- a report made by hand ---------------------------------------------------------------------


def finding(
    n: int,
    rule: str,
    status: Status,
    severity: Severity,
    branch: str | None = "b1",
    period: str | None = "2020-01",
    kind: str = "branch",
) -> Finding:
    return Finding(
        rule=rule,
        status=status,
        severity=severity,
        subject=Subject(kind=kind, id=f"s{n}", name=f"对象{n}", branch=branch),
        period=Period.parse(period) if period else None,
        message=f"第{n}条说明",
        message_en=f"note number {n}",
        evidence=(f"e{n}",),
        citations=(
            Citation(document="中国共产党支部工作条例（试行）", article="第十一条", verified=True),
        ),
        waiver=Waiver(rule=rule, period=H1, reason="疫情", approved_by="机关党委")
        if status is Status.WAIVED
        else None,
    )


FINDINGS = (
    finding(0, "branch.congress", Status.PASSED, Severity.ERROR, period="2020Q1"),
    finding(1, "branch.congress", Status.FAILED, Severity.ERROR, branch="b2", period="2020Q2"),
    finding(2, "branch.theme_day", Status.FAILED, Severity.ERROR, period="2020-02"),
    finding(3, "branch.theme_day", Status.WAIVED, Severity.ERROR, branch="b2", period="2020-02"),
    finding(4, "branch.group_mtg", Status.FAILED, Severity.WARNING, kind="group"),
    finding(5, "branch.group_mtg", Status.PENDING, Severity.WARNING, period="2020-06"),
    finding(6, "edu.hours", Status.NOT_APPLICABLE, Severity.WARNING, kind="member", period="2020"),
    finding(7, "local.theme_day_shift", Status.FAILED, Severity.INFO, period=None),
    finding(8, "dues.monthly", Status.PASSED, Severity.ERROR, branch=None, kind="member"),
    finding(9, "branch.congress|x", Status.PASSED, Severity.INFO, period="2020Q2"),
)


def report_of(findings: tuple[Finding, ...] = FINDINGS) -> Report:
    return Report(
        findings=findings,
        period=H1,
        as_of=D(2020, 7, 15),
        profile="national",
        titles={f.rule: (f"规则{f.rule}", f"rule {f.rule}") for f in findings},
    )


def ns(report: Report) -> list[int]:
    """The numbers of the findings in ``report``."""
    return [int(f.subject.id[1:]) for f in report.findings]


# -- filter, group, count ----------------------------------------------------------------------


def test_filter_by_rule_and_prefix() -> None:
    r = report_of()
    assert ns(r.filter(rule="branch.congress")) == [0, 1]
    assert ns(r.filter(rule="branch.")) == [0, 1, 2, 3, 4, 5, 9]
    assert ns(r.filter(rule="branch")) == []  # not a prefix without the dot
    assert ns(r.filter(rule="edu.hours")) == [6]
    assert ns(r.filter(rule="no.such")) == []


def test_filter_by_branch_status_and_severity() -> None:
    r = report_of()
    assert ns(r.filter(branch="b2")) == [1, 3]
    assert ns(r.filter(status="failed")) == [1, 2, 4, 7]
    assert ns(r.filter(status=Status.FAILED)) == [1, 2, 4, 7]
    assert ns(r.filter(status="不符合")) == [1, 2, 4, 7]  # by the Chinese label too
    assert ns(r.filter(status=("failed", "waived"))) == [1, 2, 3, 4, 7]
    assert ns(r.filter(status=[Status.PENDING, "not_applicable"])) == [5, 6]
    assert ns(r.filter(severity="warning")) == [4, 5, 6]
    assert ns(r.filter(severity=Severity.INFO)) == [7, 9]
    assert ns(r.filter(at_least="warning")) == [0, 1, 2, 3, 4, 5, 6, 8]
    assert ns(r.filter(at_least=Severity.ERROR)) == [0, 1, 2, 3, 8]
    assert ns(r.filter(at_least="info")) == list(range(10))
    assert ns(r.filter(rule="branch.", status="failed", at_least="error")) == [1, 2]
    assert ns(r.filter(rule="branch.", branch="b1", severity="warning")) == [4, 5]


def test_filter_keeps_what_was_checked() -> None:
    r = report_of()
    kept = r.filter(status="failed")
    assert (kept.period, kept.as_of, kept.profile) == (r.period, r.as_of, r.profile)
    assert kept.title("branch.congress") == "规则branch.congress"
    assert r.filter() == r


def test_group_by() -> None:
    r = report_of()
    by_rule = r.group_by("rule")
    assert list(by_rule) == [
        "branch.congress",
        "branch.theme_day",
        "branch.group_mtg",
        "edu.hours",
        "local.theme_day_shift",
        "dues.monthly",
        "branch.congress|x",
    ]
    assert ns(by_rule["branch.theme_day"]) == [2, 3]
    by_branch = r.group_by("branch")
    assert ns(by_branch["b2"]) == [1, 3]
    assert ns(by_branch[""]) == [8]
    assert ns(r.group_by("status")["failed"]) == [1, 2, 4, 7]
    assert ns(r.group_by("severity")["info"]) == [7, 9]
    assert ns(r.group_by("period")["2020-02"]) == [2, 3]
    assert ns(r.group_by("period")[""]) == [7]
    assert ns(r.group_by("subject")["group:s4"]) == [4]
    for key in ("rule", "branch", "status", "severity", "period", "subject"):
        groups = r.group_by(key)  # type: ignore[arg-type]
        assert sorted(n for g in groups.values() for n in ns(g)) == list(range(10))


def test_counts_list_every_status() -> None:
    counts = report_of().counts()
    assert list(counts) == list(Status)
    assert counts == {
        Status.PASSED: 3,
        Status.FAILED: 4,
        Status.UNKNOWN: 0,
        Status.PENDING: 1,
        Status.NOT_APPLICABLE: 1,
        Status.WAIVED: 1,
    }
    empty = report_of(()).counts()
    assert list(empty) == list(Status)
    assert set(empty.values()) == {0}


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"),
    [
        (Severity.WARNING, "warning", 1),  # the boundary: at the threshold fails
        (Severity.WARNING, "error", 0),
        (Severity.WARNING, "info", 1),
        (Severity.ERROR, "error", 1),
        (Severity.ERROR, Severity.WARNING, 1),
        (Severity.INFO, "info", 1),
        (Severity.INFO, "warning", 0),
        (Severity.INFO, Severity.ERROR, 0),
    ],
)
def test_exit_code_of_one_failure(severity: Severity, fail_on: Any, code: int) -> None:
    r = report_of((finding(0, "x.y", Status.FAILED, severity),))
    assert r.exit_code(fail_on=fail_on) == code


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.FAILED])
def test_only_failures_count_for_the_exit_code(status: Status) -> None:
    r = report_of((finding(0, "x.y", status, Severity.ERROR),))
    assert r.exit_code("info") == 0
    assert report_of(()).exit_code("info") == 0


def test_the_default_threshold_is_error() -> None:
    assert report_of((finding(0, "x.y", Status.FAILED, Severity.WARNING),)).exit_code() == 0
    assert report_of((finding(0, "x.y", Status.FAILED, Severity.ERROR),)).exit_code() == 1


findings_strategy = st.lists(
    st.tuples(
        st.sampled_from(["a.one", "a.two", "b.one"]),
        st.sampled_from(list(Status)),
        st.sampled_from(list(Severity)),
        st.sampled_from(["b1", "b2", None]),
    ),
    max_size=12,
).map(
    lambda rows: tuple(
        finding(i, rule, status, severity, branch)
        for i, (rule, status, severity, branch) in enumerate(rows)
    )
)


@settings(max_examples=examples(60), deadline=None)
@given(findings_strategy, st.sampled_from(list(Severity)))
def test_filtering_partitions_and_exit_codes(
    findings: tuple[Finding, ...], floor: Severity
) -> None:
    r = report_of(findings)
    # each status and each severity is a partition of the findings
    assert sum(len(r.filter(status=s)) for s in Status) == len(r)
    assert sum(r.counts().values()) == len(r)
    assert {s: len(r.filter(status=s)) for s in Status} == r.counts()
    assert sum(len(r.filter(severity=s)) for s in Severity) == len(r)
    assert len(r.filter(rule="a.")) == len(r.filter(rule="a.one")) + len(r.filter(rule="a.two"))
    at_least = r.filter(at_least=floor)
    assert all(f.severity.rank >= floor.rank for f in at_least)
    assert len(at_least) == sum(
        1 for f in findings if list(Severity).index(f.severity) >= list(Severity).index(floor)
    )
    failed_here = any(f.status is Status.FAILED for f in at_least)
    assert r.exit_code(floor) == int(failed_here)
    # a filtered report keeps the order of the findings
    assert ns(r.filter(branch="b1")) == [
        n for n, f in enumerate(findings) if f.subject.branch == "b1"
    ]


# -- output formats --------------------------------------------------------------------------


def test_text_output() -> None:
    r = report_of()
    assert r.render() == r.render("text")
    grouped = r.render("text")
    for f in r.findings:
        assert f.rule in grouped or f.status is Status.PASSED  # passed: only counted
        if f.status not in (Status.PASSED, Status.NOT_APPLICABLE):  # not applicable: by rule
            assert f.subject.name in grouped
    text = r.render("text-verbose")  # the table, a line per finding
    for header in ("状态", "级别", "规则", "对象", "期间", "说明"):
        assert header in text
    for f in r.findings:
        assert f.message in text
        assert f.subject.name in text
    assert "2020年上半年" in text
    assert "2020-07-15" in text
    assert "豁免：疫情" in text and "豁免：疫情" in grouped


def test_text_output_in_english() -> None:
    r = report_of()
    assert not CJK.search(r.render("text", "en").splitlines()[0])
    text = r.render("text-verbose", "en")
    first = text.splitlines()[0]
    assert not CJK.search(first)
    assert "first half of 2020" in first and "as of 2020-07-15" in first
    for header in ("status", "severity", "rule", "subject", "period", "message"):
        assert header in text
    for f in r.findings:
        assert f.message_en in text
        assert f.message not in text
    assert "failed" in text and "不符合" not in text
    assert "waived: 疫情" in text


def test_json_output() -> None:
    r = report_of()
    for lang in ("zh", "en"):
        data = json.loads(r.render("json", lang))
        assert data["period"] == "2020H1"
        assert data["as_of"] == "2020-07-15"
        assert data["profile"] == "national"
        assert data["counts"] == {s.code: n for s, n in r.counts().items()}
        assert len(data["findings"]) == len(r)
        for got, f in zip(data["findings"], r.findings, strict=True):
            assert got["rule"] == f.rule
            assert got["status"] == f.status.code
            assert got["severity"] == f.severity.code
            assert got["subject"]["id"] == f.subject.id
            assert got["period"] == (str(f.period) if f.period else None)
            assert got["message"] == f.text(lang)
            assert got["evidence"] == list(f.evidence)
            assert got["citations"] == [c.render(lang) for c in f.citations]
            assert (got["waiver"] is None) == (f.waiver is None)
    waived = json.loads(r.render("json"))["findings"][3]
    assert waived["waiver"] == {"reason": "疫情", "approved_by": "机关党委", "period": "2020H1"}


def test_csv_output() -> None:
    r = report_of()
    rows = list(csv.DictReader(io.StringIO(r.render("csv-codes"))))
    assert len(rows) == len(r)
    for row, f in zip(rows, r.findings, strict=True):
        assert row["rule"] == f.rule
        assert row["status"] == f.status.code
        assert row["severity"] == f.severity.code
        assert row["subject_id"] == f.subject.id
        assert row["subject_name"] == f.subject.name
        assert row["branch"] == (f.subject.branch or "")
        assert row["period"] == (str(f.period) if f.period else "")
        assert row["message"] == f.message
    en = list(csv.DictReader(io.StringIO(r.render("csv-codes", "en"))))
    assert [row["message"] for row in en] == [f.message_en for f in r.findings]
    # for people: labels, words and a byte order mark
    people = list(csv.DictReader(io.StringIO(r.render("csv").removeprefix("\ufeff"))))
    assert [row["状态"] for row in people] == [f.status.text() for f in r.findings]
    assert [row["说明"] for row in people] == [f.message for f in r.findings]


def test_markdown_output() -> None:
    r = report_of()
    md = r.render("markdown")
    assert md.startswith("# ")
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table) == len(r) + 2  # header, separator, one row per finding
    assert re.fullmatch(r"\|[-:| ]+\|", table[1])
    assert "状态" in table[0]
    # a "|" inside a cell is escaped, so every row has the same number of columns
    columns = {len(re.split(r"(?<!\\)\|", line)) for line in table}
    assert len(columns) == 1
    assert "branch.congress\\|x" in md
    assert "Findings" in r.render("markdown", "en")


def test_junit_output() -> None:
    r = report_of()
    root = ET.fromstring(r.render("junit"))
    assert root.tag == "testsuites"
    cases = root.findall(".//testcase")
    assert len(cases) == len(r)
    by_name = {(c.get("classname"), c.get("name")): c for c in cases}
    assert len(by_name) == len(r)
    for f in r.findings:
        name = f"{f.subject.kind}:{f.subject.id} {f.period or ''}".strip()
        case = by_name[(f.rule, name)]
        failures = case.findall("failure")
        assert len(failures) == (1 if f.status is Status.FAILED else 0), f
        if failures:
            assert failures[0].get("type") == f.severity.code
            assert f.message in failures[0].get("message", "")
        skipped = case.findall("skipped")
        assert len(skipped) == (0 if f.status in (Status.PASSED, Status.FAILED) else 1)
    suites = root.findall("testsuite")
    assert sum(int(s.get("tests", "0")) for s in suites) == len(r)
    assert sum(int(s.get("failures", "0")) for s in suites) == r.counts()[Status.FAILED]
    assert len(root.findall(".//failure")) == len(r.failed)


def test_empty_report_in_every_format() -> None:
    r = report_of(())
    assert json.loads(r.render("json"))["findings"] == []
    assert list(csv.DictReader(io.StringIO(r.render("csv")))) == []
    assert ET.fromstring(r.render("junit")).findall(".//testcase") == []
    assert "2020年上半年" in r.render("text")


# -- the command line --------------------------------------------------------------------------


THEME_DAY_RULE = {
    "id": "t.theme_day",
    "kind": "frequency",
    "confidence": "text",
    "title": "每月相对固定1天开展主题党日",
    "title_en": "A themed party day each month",
    "applies_to": {"levels": ["branch"]},
    "params": {"record": "meeting", "meeting_kinds": ["theme_day"], "per": "month", "at_least": 1},
    "citations": [
        {"document": "中国共产党支部工作条例（试行）", "article": "第十六条", "verified": True}
    ],
}


def profile_file(tmp_path: Path, severity: str = "error") -> Path:
    path = tmp_path / f"profile-{severity}.toml"
    rule = {**THEME_DAY_RULE, "severity": severity}
    path.write_text(tomli_w.dumps({"profile": "t", "title": "测试", "rule": [rule]}), "utf-8")
    return path


def ledger_file(tmp_path: Path, months: tuple[int, ...], name: str = "ledger.yaml") -> Path:
    members = tuple(
        Member(
            id=f"m{i}",
            name=f"党员{i}",
            gender=Gender.MALE,
            branch="b1",
            status=MemberStatus.FULL,
            milestones=Milestones(admitted=D(2010, 1, 1), converted=D(2011, 1, 1)),
        )
        for i in range(3)
    )
    ledger = Ledger(
        name="测试支部",
        branches=(
            Branch(
                id="b1",
                name="第一支部",
                level=OrgLevel.BRANCH,
                category=OrgCategory.ORGAN,
                founded=D(2019, 1, 1),
            ),
        ),
        members=members,
        meetings=tuple(
            Meeting(
                id=f"td{m}",
                kind=MeetingKind.THEME_DAY,
                branch="b1",
                date=D(2020, m, 10),
                attended=("m0", "m1", "m2"),
            )
            for m in months
        ),
    )
    path = tmp_path / name
    dump(ledger, path)
    return path


ALL_MONTHS = (1, 2, 3, 4, 5, 6)


def cli_check(ledger: Path, *args: str) -> list[str]:
    return ["check", str(ledger), "--period", "2020H1", "--as-of", "2020-07-15", *args]


def test_cli_exit_0_when_nothing_failed(tmp_path: Path, capsys) -> None:
    ledger = ledger_file(tmp_path, ALL_MONTHS)
    assert main(cli_check(ledger, "--profile", str(profile_file(tmp_path)))) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "符合6" in out and "不符合0" in out


def test_cli_exit_1_when_something_failed(tmp_path: Path, capsys) -> None:
    ledger = ledger_file(tmp_path, (1, 3, 4, 5, 6))
    assert main(cli_check(ledger, "--profile", str(profile_file(tmp_path)))) == 1
    out, _ = capsys.readouterr()
    assert "不符合1" in out
    assert "2020年2月" in out


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"),
    [
        ("warning", None, 0),
        ("warning", "warning", 1),
        ("warning", "error", 0),
        ("warning", "info", 1),
        ("info", "warning", 0),
        ("error", "error", 1),
    ],
)
def test_cli_fail_on(tmp_path: Path, capsys, severity: str, fail_on: str | None, code: int) -> None:
    ledger = ledger_file(tmp_path, (1, 3, 4, 5, 6))
    args = cli_check(ledger, "--profile", str(profile_file(tmp_path, severity)))
    if fail_on:
        args += ["--fail-on", fail_on]
    assert main(args) == code
    capsys.readouterr()


def test_cli_exit_2_for_bad_input(tmp_path: Path, capsys) -> None:
    good = ledger_file(tmp_path, ALL_MONTHS)
    profile = str(profile_file(tmp_path))
    # a ledger with a problem
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text("utf-8").replace("level: branch", "level: brunch"), "utf-8")
    assert main(cli_check(bad, "--profile", profile)) == 2
    _, err = capsys.readouterr()
    assert "brunch" in err
    # no such ledger
    assert main(cli_check(tmp_path / "missing.yaml", "--profile", profile)) == 2
    capsys.readouterr()
    # a bad rule file
    rules = tmp_path / "bad-rules.toml"
    rules.write_text(tomli_w.dumps({"profile": "x", "title": "x", "colour": "red"}), "utf-8")
    assert main(cli_check(good, "--rules", str(rules))) == 2
    _, err = capsys.readouterr()
    assert "colour" in err and str(rules) in err
    # a bad period
    assert main(["check", str(good), "--period", "2020Q5", "--as-of", "2020-07-15"]) == 2
    _, err = capsys.readouterr()
    assert "2020Q5" in err
    # a bad waiver file
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waiver]]\nrule = "t.theme_day"\nperiod = "2020H3"\n', "utf-8")
    assert main(cli_check(good, "--profile", profile, "--waivers", str(waivers))) == 2
    _, err = capsys.readouterr()
    assert "waiver[0]" in err


def test_cli_json_output(tmp_path: Path, capsys) -> None:
    ledger = ledger_file(tmp_path, (1, 3, 4, 6))
    code = main(cli_check(ledger, "--profile", str(profile_file(tmp_path)), "--format", "json"))
    out, _ = capsys.readouterr()
    assert code == 1
    data = json.loads(out)
    assert data["counts"]["failed"] == 2
    assert data["counts"]["passed"] == 4
    failed = sorted(f["period"] for f in data["findings"] if f["status"] == "failed")
    assert failed == ["2020-02", "2020-05"]


def test_cli_output_file_failed_only_and_waivers(tmp_path: Path, capsys) -> None:
    ledger = ledger_file(tmp_path, (1, 3, 4, 6))
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nrule = "t.theme_day"\nperiod = "2020-02"\nreason = "疫情"\napproved_by = "工委"\n',
        "utf-8",
    )
    target = tmp_path / "out" / "report.csv"
    target.parent.mkdir()
    args = cli_check(
        ledger,
        "--profile",
        str(profile_file(tmp_path)),
        "--waivers",
        str(waivers),
        "--format",
        "csv",
        "--codes",  # the machine codes, for a script
        "--output",
        str(target),
        "--failed-only",
    )
    assert main(args) == 1  # May still failed
    out, _ = capsys.readouterr()
    assert len(out.strip().splitlines()) == 1  # only the summary line is printed
    assert "已豁免1" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert sorted((r["period"], r["status"]) for r in rows) == [
        ("2020-02", "waived"),
        ("2020-05", "failed"),
    ]


def test_cli_in_english(tmp_path: Path, capsys) -> None:
    ledger = ledger_file(tmp_path, ALL_MONTHS)
    assert main(cli_check(ledger, "--profile", str(profile_file(tmp_path)), "--lang", "en")) == 0
    out, _ = capsys.readouterr()
    assert "first half of 2020" in out
    assert "6 passed" in out
    assert "符合" not in out
    assert main(["--lang", "en", *cli_check(ledger, "--profile", str(profile_file(tmp_path)))]) == 0
    out2, _ = capsys.readouterr()
    assert out2 == out


def test_cli_rules_markdown(capsys) -> None:
    assert main(["rules", "--format", "markdown"]) == 0
    out, _ = capsys.readouterr()
    rules = load_rules("national")
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == len(rules) + 2
    for r in rules:
        assert r.id in out
        assert r.title in out
    assert "（条款号未核实）" in out
    assert main(["rules", "--format", "markdown", "--profile", "organ", "--lang", "en"]) == 0
    out, _ = capsys.readouterr()
    assert "organ.structure" in out
    assert "(article number not verified)" in out


def test_cli_rules_json(capsys) -> None:
    assert main(["rules", "--format", "json", "--profile", "organ"]) == 0
    data = json.loads(capsys.readouterr()[0])
    assert [d["id"] for d in data] == [r.id for r in load_rules("organ")]
    by_id = {d["id"]: d for d in data}
    assert (by_id["branch.congress"]["force"], by_id["branch.congress"]["severity"]) == (
        "一般",
        "warning",
    )


def test_cli_explain_shows_parameters_and_citations(capsys) -> None:
    assert main(["explain", "edu.hours"]) == 0
    out, _ = capsys.readouterr()
    rule = load_rules("organ").get("edu.hours")
    assert out.startswith(f"edu.hours: {rule.title}")
    assert "at_least=32" in out
    assert "at_least_committee=56" in out
    for c in rule.citations:
        assert c.render() in out
    # dated parameter sets, the unverified days marked, and no end date
    assert "2019-01-01（日期未核实）" in out and "2019-05-06: " in out and "2024-01-01" in out
    assert "2023-12-31" not in out
    assert "至今" in out


def test_cli_explain_shows_each_dated_parameter_set(tmp_path: Path, capsys) -> None:
    rule = {
        "id": "plan.hours",
        "kind": "coverage",
        "severity": "warning",
        "confidence": "content",
        "title": "党员每年集中学习培训学时",
        "title_en": "Training hours a year",
        "params": {"measure": "training_hours", "per": "year", "at_least": "24"},
        "changes": [
            {
                "since": D(2019, 1, 1),
                "params": {"at_least": "32"},
                "citations": [{"document": "2019—2023年全国党员教育培训工作规划"}],
            }
        ],
        "citations": [{"document": "2014—2018年全国党员教育培训工作规划"}],
    }
    path = tmp_path / "plan.toml"
    path.write_text(tomli_w.dumps({"profile": "plan", "title": "计划", "rule": [rule]}), "utf-8")
    assert main(["explain", "plan.hours", "--rules", str(path), "--lang", "en"]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    start = next(line for line in lines if "from the start" in line)
    since = next(
        line for line in lines if line.strip().startswith("2019-01-01:") and "at_least" in line
    )
    assert "at_least=24" in start
    assert "at_least=32" in since
    assert "2014—2018" in out and "2019—2023" in out
    assert "(article number not verified)" in out


def test_cli_explain_in_english_has_no_chinese_punctuation_and_names_empty_parameters(
    capsys,
) -> None:
    assert main(["--lang", "en", "explain", "branch.congress_quorum"]) == 0
    out, _ = capsys.readouterr()
    applies = next(line for line in out.splitlines() if line.startswith("applies to:"))
    assert applies == "applies to: branch, joint branch"
    assert main(["--lang", "en", "explain", "branch.heart_talk"]) == 0
    out, _ = capsys.readouterr()
    assert "  from the start: (none)" in out.splitlines()
    assert main(["explain", "branch.heart_talk"]) == 0
    out, _ = capsys.readouterr()
    assert "  起始: （无）" in out.splitlines()


def test_cli_explain_of_an_unknown_rule(capsys) -> None:
    assert main(["explain", "no.such_rule"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "no.such_rule" in err


def test_unknown_is_below_failed_in_the_exit_code() -> None:
    def only(severity: Severity) -> Report:
        return report_of((finding(1, "a.b", Status.UNKNOWN, severity),))

    assert only(Severity.ERROR).exit_code() == 0
    assert only(Severity.ERROR).exit_code(unknown=True) == 1
    assert only(Severity.WARNING).exit_code(unknown=True) == 0
    assert only(Severity.WARNING).exit_code("warning", unknown=True) == 1
    assert [f.status for f in only(Severity.ERROR).unknown] == [Status.UNKNOWN]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_an_unknown_finding_says_what_to_add_in_every_reading_format(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the text is fitted to the terminal: none is wrapped
    unknown = attrs.evolve(finding(1, "a.b", Status.UNKNOWN, Severity.ERROR), gap=Gap.COUNTS_ONLY)
    failed = finding(2, "a.c", Status.FAILED, Severity.ERROR)
    report = report_of((unknown, failed))
    zh, en = report.render(fmt), report.render(fmt, lang="en")
    assert zh.count(Gap.COUNTS_ONLY.remedy()) == 1
    assert en.count(Gap.COUNTS_ONLY.remedy("en")) == 1
    if fmt != "json":
        assert "第1条说明（请补记各次会议的出席人名单）" in zh
        assert "note number 1 (to do: record the names of those present at each meeting)" in en
    else:
        data = json.loads(zh)["findings"]
        assert [f["remedy"] for f in data] == [Gap.COUNTS_ONLY.remedy(), None]


# -- plain-text reprs ------------------------------------------------------------------------


def test_reprs_are_one_line_of_counts(example: tuple[Ledger, Report]) -> None:
    ledger, report = example
    assert repr(report) == f"<Report {report.summary_line()}>"
    failed = report.failed
    assert isinstance(failed, Findings) and failed == tuple(report.failed)
    assert repr(failed) == f"<Findings {len(failed)}：不符合{len(failed)}>"
    n = report.counts()
    assert repr(report.findings).startswith(
        f"<Findings {len(report)}：符合{n[Status.PASSED]}，不符合{n[Status.FAILED]}，"
    )
    assert repr(Findings()) == "<Findings 0>"
    assert repr(report.unknown) == "<Findings 3：无法判断3>"
    for shown in (repr(ledger), repr(report), repr(report.findings), repr(failed)):
        assert "\n" not in shown and len(shown) < 300
    # the findings are all still there: by index, iteration, filter and the HTML view
    assert len(report.findings) == sum(report.counts().values())
    assert report.filter(status="failed").findings == failed


def test_a_findings_repr_is_one_line_masking_resident_ids() -> None:
    rid = "11010519491231002X"
    long = "未参加" * 40
    f = Finding(
        rule="a.b",
        status=Status.FAILED,
        severity=Severity.ERROR,
        subject=Subject(kind="member", id="m1", name=f"张三{rid}", branch="b1"),
        period=Period.parse("2020-01"),
        message=f"{rid}{long}",
        message_en="absent",
    )
    shown = repr(f)
    assert shown.startswith("<Finding failed a.b member:m1 张三110***********002X 2020-01: ")
    assert rid not in shown and shown.endswith("…>") and "\n" not in shown
    assert len(shown) < 150  # the message cut, not the subject
    unperiodic = attrs.evolve(f, period=None, message="短")
    assert repr(unperiodic).endswith("张三110***********002X: 短>")


def test_an_empty_ledgers_repr() -> None:
    assert repr(Ledger(name="空")) == "<Ledger 空：0条记录>"
