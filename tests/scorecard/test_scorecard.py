"""Scorecards: deductions and caps at their boundaries, ranking, the previous period, schemes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.errors import RuleError
from dangjian.findings import Finding, Severity, Status, Subject
from dangjian.i18n import bilingual
from dangjian.periods import Period
from dangjian.report import Report
from dangjian.scoring import (
    RulePoints,
    Scheme,
    SeverityPoints,
    _display_width,
    load_scheme,
    scorecard,
)

PERIOD = Period.parse("2020H1")
NAMES = {"a": "甲支部", "b": "乙支部", "c": "丙支部"}
TITLES = {
    "r.err": ("错误规则", "error rule"),
    "r.warn": ("警告规则", "warning rule"),
    "x.one": ("另一规则", "other rule"),
}


def finding(
    branch: str | None,
    rule: str = "r.err",
    status: Status = Status.FAILED,
    severity: Severity = Severity.ERROR,
    n: int = 0,
) -> Finding:
    return Finding(
        rule=rule,
        status=status,
        severity=severity,
        subject=Subject(kind="member", id=f"m{n}", name="某", branch=branch),
        message=bilingual("x", "x"),
        period=PERIOD,
    )


def report(*findings: Finding, period: Period = PERIOD) -> Report:
    return Report(
        findings=findings,
        period=period,
        as_of=dt.date(2020, 7, 1),
        profile="national",
        titles=TITLES,
        names=NAMES,
    )


def failed(
    branch: str, count: int, rule: str = "r.err", severity: Severity = Severity.ERROR
) -> list[Finding]:
    return [finding(branch, rule, severity=severity, n=i) for i in range(count)]


SCHEME = Scheme(base=Decimal(100), rule_cap=Decimal(20), severity=SeverityPoints())


def test_deduction_by_severity() -> None:
    card = scorecard(report(*failed("a", 2), *failed("a", 1, "r.warn", Severity.WARNING)), SCHEME)
    a = card.row("a")
    assert a.score == Decimal(100 - 2 * 5 - 2)
    assert [c.rule for c in a.costs] == ["r.err", "r.warn"]


@pytest.mark.parametrize(("count", "deducted"), [(3, 15), (4, 20), (5, 20)])
def test_rule_cap_just_reached_and_exceeded(count: int, deducted: int) -> None:
    a = scorecard(report(*failed("a", count)), SCHEME).row("a")
    assert a.deducted == deducted
    assert a.costs[0].uncapped == 5 * count


@pytest.mark.parametrize(("count", "score"), [(5, 75), (6, 70), (7, 70)])
def test_total_cap_just_reached_and_exceeded(count: int, score: int) -> None:
    scheme = Scheme(base=Decimal(100), max_deduction=Decimal(30))
    a = scorecard(report(*failed("a", count)), scheme).row("a")
    assert a.score == score
    assert scheme.floor == 70


def test_rule_override_by_id_beats_prefix() -> None:
    scheme = Scheme(
        rules={
            "r.": RulePoints(points=Decimal(1)),
            "r.err": RulePoints(points=Decimal(3), cap=Decimal(4)),
        }
    )
    a = scorecard(report(*failed("a", 2), *failed("a", 2, "r.warn", Severity.WARNING)), scheme).row(
        "a"
    )
    assert {c.rule: c.points for c in a.costs} == {"r.err": 4, "r.warn": 2}


def test_ties_share_a_rank() -> None:
    card = scorecard(report(*failed("a", 1), *failed("b", 1), *failed("c", 2)), SCHEME)
    assert [(r.branch, r.rank) for r in card.rows] == [("a", 1), ("b", 1), ("c", 3)]


def test_no_findings_all_first() -> None:
    card = scorecard(report(), SCHEME)
    assert {r.rank for r in card.rows} == {1}
    assert all(r.score == 100 for r in card.rows)


def test_change_against_previous_period() -> None:
    before = report(*failed("a", 3), *failed("b", 1), period=Period.parse("2019H2"))
    card = scorecard(report(*failed("a", 1), *failed("b", 2)), SCHEME, previous=before)
    assert card.previous_period == Period.parse("2019H2")
    assert card.row("a").change == 10
    assert card.row("b").change == -5
    assert card.row("c").change == 0


def test_unknowns_cost_nothing_by_default_but_are_listed() -> None:
    unknowns = [finding("a", status=Status.UNKNOWN, n=i) for i in range(4)]
    a = scorecard(report(*unknowns), load_scheme()).row("a")
    assert a.score == 100
    assert a.unknown == {"r.err": 4}
    priced = scorecard(report(*unknowns), Scheme(unknown=Decimal(1))).row("a")
    assert priced.score == 96


def test_waived_and_unassigned_cost_nothing() -> None:
    card = scorecard(report(finding("a", status=Status.WAIVED), finding(None)), SCHEME)
    assert card.row("a").score == 100
    assert card.unassigned == 1


def test_top_rules_overall() -> None:
    card = scorecard(report(*failed("a", 1), *failed("b", 1), *failed("a", 1, "x.one")), SCHEME)
    assert [(c.rule, c.points) for c in card.top] == [("r.err", 10), ("x.one", 5)]


def test_replaced_scheme(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'base = 10\nmax_deduction = 10\n[severity]\nerror = 1\n[rules."x."]\npoints = 4\n',
        encoding="utf-8",
    )
    scheme = load_scheme(path)
    a = scorecard(report(*failed("a", 2), *failed("a", 1, "x.one")), scheme).row("a")
    assert a.score == 10 - 2 - 4


def test_bundled_scheme_loads() -> None:
    scheme = load_scheme()
    assert scheme.base == 100
    assert scheme.unknown == 0


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("bse = 100\n", "bse"),
        ('source = "mine"\n', "source"),
        ("[severity]\nerror = -1\n", "severity.error"),
        ('[rules."r.err"]\ncap = -2\n', 'rules."r.err".cap'),
        ("base = 10\nmax_deduction = 11\n", "max_deduction"),
        ('base = "many"\n', "base"),
        ('[rules."r.err"]\npoint = 2\n', "point"),
    ],
)
def test_bad_scheme_says_where(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_scheme(path)
    assert any(where in p.path for p in e.value.problems), e.value.render()
    assert "bad.toml" in e.value.render()


def test_unknown_rule_in_scheme_is_a_warning() -> None:
    scheme = Scheme(rules={"no.such": RulePoints(points=Decimal(1)), "r.": RulePoints()})
    card = scorecard(report(), scheme)
    assert [p.code for p in card.notices] == ["unknown_rule"]
    assert "no.such" in card.notices[0].path


def test_outputs() -> None:
    card = scorecard(
        report(*failed("a", 1)), SCHEME, previous=report(period=Period.parse("2019H2"))
    )
    data = json.loads(card.to_json())
    assert data["branches"][0]["branch"] == "b"
    assert data["branches"][-1] == {**data["branches"][-1], "score": "95", "change": "-5"}
    text = card.to_text(width=80)
    assert "甲支部" in text and "名次" in text and "-5" in text
    assert all(_display_width(line) <= 80 for line in text.splitlines())
    assert "| 名次 |" in card.to_markdown()


def test_xlsx_read_back(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    card = scorecard(report(*failed("a", 1)), SCHEME)
    path = tmp_path / "card.xlsx"
    card.write(path, "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["名次", "党组织", "得分"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref
    assert [c.value for c in sheet[4]][:3] == [3, "甲支部", 95]


@st.composite
def findings_of_a(draw: st.DrawFn) -> list[Finding]:
    rules = st.sampled_from(["r.err", "r.warn", "x.one"])
    severities = st.sampled_from(list(Severity))
    statuses = st.sampled_from([Status.FAILED, Status.UNKNOWN, Status.PASSED])
    n = draw(st.integers(0, 40))
    return [finding("a", draw(rules), draw(statuses), draw(severities), n=i) for i in range(n)]


points = st.integers(0, 20).map(Decimal)
entries = st.dictionaries(
    st.sampled_from(["r.err", "r.", "x.", "x.one"]),
    st.builds(RulePoints, points=st.none() | points, cap=st.none() | points),
    max_size=3,
)


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    base = draw(st.integers(0, 200))
    return Scheme(
        base=Decimal(base),
        max_deduction=draw(st.none() | st.integers(0, base).map(Decimal)),
        rule_cap=draw(st.none() | st.integers(0, 50).map(Decimal)),
        unknown=draw(st.integers(0, 5).map(Decimal)),
        severity=SeverityPoints(error=draw(points), warning=draw(points), info=draw(points)),
        rules=draw(entries),
    )


@given(
    findings_of_a(), schemes(), st.sampled_from(["r.err", "x.one"]), st.sampled_from(list(Severity))
)
def test_score_bounded_and_a_failure_never_raises_it(
    found: list[Finding], scheme: Scheme, rule: str, severity: Severity
) -> None:
    before = scorecard(report(*found), scheme).row("a").score
    assert scheme.floor <= before <= scheme.base
    more = [*found, finding("a", rule, severity=severity, n=999)]
    after = scorecard(report(*more), scheme).row("a").score
    assert after <= before
    assert scheme.floor <= after


def test_every_problem_of_a_scheme_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('unknwn = 1\n[severity]\nerror = -1\n[rules."r.err"]\ncap = -2.5\n', "utf-8")
    with pytest.raises(RuleError) as e:
        load_scheme(path)
    assert sorted(p.path for p in e.value.problems) == [
        'rules."r.err".cap',
        "severity.error",
        "unknwn",
    ]


def test_english_titles_with_lang_en() -> None:
    card = scorecard(report(*failed("a", 1)), SCHEME)
    assert "error rule" in card.to_text("en", width=100)
    assert "Rank" in card.to_markdown("en")
    assert "错误规则" in card.to_text(width=100)
