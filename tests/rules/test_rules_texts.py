"""The texts read exactly: one severity policy from the force words, in-force days, and titles
that quote their text's own word (以上 / 超过)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from dangjian import RuleError, Severity, load_rules
from dangjian.rules.docs import rules_markdown
from dangjian.rules.schema import FORCE_SEVERITY, Force
from tests.builders.rules import rule_file

D = dt.date


@pytest.fixture(scope="module")
def organ():
    return load_rules("organ")


def test_every_shipped_rule_records_its_force_word(organ) -> None:
    missing = [r.id for r in organ if r.force is None]
    assert not missing, f"rules without a force word: {missing}"


def test_one_severity_policy(organ) -> None:
    """The same force word gives the same severity, unless a rule says why it differs."""
    for r in organ:
        assert r.force is not None
        if r.severity is not FORCE_SEVERITY[r.force]:
            assert r.severity_reason, f"{r.id}: {r.force.label} but {r.severity.code}, no reason"
    by_word: dict[Force, set[Severity]] = {}
    for r in organ:
        if r.force is not None and not r.severity_reason:
            by_word.setdefault(r.force, set()).add(r.severity)
    assert all(len(s) == 1 for s in by_word.values()), by_word


def test_a_verified_wording_is_not_labelled_unverified(organ) -> None:
    """未核实 says the wording was not seen; the 予以 of 第二十四条 was, and is a plain statement
    (直述) whose warning level is explained, not hidden behind 未核实."""
    for rule_id in ("edu.lost_contact_suspend", "edu.lost_contact_remove"):
        r = organ.get(rule_id)
        assert (r.force, r.severity) == (Force.STATED, Severity.WARNING), rule_id
        assert r.severity_reason is not None and "予以" in r.severity_reason


def test_the_policy_applied(organ) -> None:
    """The two 一般 meetings of issue 7 now agree; the binding words stay errors."""
    for rule_id in (
        "branch.congress",
        "branch.committee_mtg",
        "branch.group_mtg",
        "branch.appraisal",
    ):
        r = organ.get(rule_id)
        assert (r.force, r.severity) == (Force.GENERALLY, Severity.WARNING), rule_id
    for rule_id in ("branch.congress_quorum", "branch.committee_quorum"):
        assert organ.get(rule_id).force is Force.MUST
    course = organ.get("recruit.course")
    assert (course.force, course.severity) == (Force.SHALL_NOT, Severity.ERROR)
    assert "除个别特殊情况外，不能发展入党" in course.title


def test_binding_words_are_errors_and_softer_ones_warnings() -> None:
    assert {f for f, s in FORCE_SEVERITY.items() if s is Severity.ERROR} == {
        Force.MUST,
        Force.SHALL,
        Force.SHALL_NOT,
        Force.STATED,
    }
    assert set(FORCE_SEVERITY) == set(Force)


RULE = {
    "id": "local.monthly",
    "kind": "frequency",
    "params": {"meeting_kinds": ["theme_day"], "per": "month", "at_least": 1},
}


@pytest.mark.parametrize(
    ("extra", "severity"),
    [
        ({"force": "一般"}, Severity.WARNING),  # derived from the word
        ({"force": "应当"}, Severity.ERROR),
        ({"force": "generally", "severity": "warning"}, Severity.WARNING),
        (
            {"force": "一般", "severity": "info", "severity_reason": "本单位计划，仅作提示"},
            Severity.INFO,
        ),
        ({}, Severity.ERROR),  # no word: the default of 0.1
        ({"severity": "info"}, Severity.INFO),
    ],
)
def test_severity_from_the_force_word(tmp_path: Path, extra, severity) -> None:
    path = rule_file(tmp_path, [{**RULE, **extra}])
    assert load_rules("national", [path]).get("local.monthly").severity is severity


def test_a_severity_against_its_word_without_a_reason_is_an_error(tmp_path: Path) -> None:
    path = rule_file(tmp_path, [{**RULE, "force": "一般", "severity": "error"}])
    with pytest.raises(RuleError) as caught:
        load_rules("national", [path])
    (problem,) = caught.value.problems
    assert problem.code == "severity_policy"
    assert "rule[0](local.monthly).severity" in problem.path
    assert "一般" in problem.message and "severity_reason" in problem.message
    assert "severity_reason" in problem.message_en


# -- in force to the day ---------------------------------------------------------------------

IN_FORCE = {
    # rule: (first day, day verified)
    "branch.congress": (D(2018, 10, 28), True),
    "branch.committee_quorum": (D(2018, 10, 28), True),
    "branch.term": (D(2018, 10, 28), True),
    "term.committee": (D(2018, 7, 12), True),
    "term.general_branch": (D(2018, 7, 12), True),
    "elect.rights": (D(2020, 7, 13), True),
    "elect.win": (D(2020, 7, 13), True),
    "elect.quorum": (D(1990, 1, 1), False),  # the 1990 暂行条例, day not verified
    "elect.margin": (D(1990, 1, 1), False),
    "elect.on_time": (D(1990, 1, 1), False),
    "recruit.course": (D(2014, 6, 10), True),
    "recruit.extension": (D(2014, 6, 10), True),
    "edu.hours": (D(2014, 1, 1), False),
    "organ.structure": (D(2019, 1, 1), False),
}


@pytest.mark.parametrize(("rule_id", "since", "verified"), [(k, *v) for k, v in IN_FORCE.items()])
def test_in_force_days(organ, rule_id: str, since: dt.date, verified: bool) -> None:
    r = organ.get(rule_id)
    assert (r.in_force.since, r.in_force.verified) == (since, verified)
    assert r.in_force.covers(since) and not r.in_force.covers(since - dt.timedelta(days=1))


def test_the_election_rules_change_text_on_2020_07_13(organ) -> None:
    for rule_id in ("elect.quorum", "elect.margin", "elect.on_time"):
        r = organ.get(rule_id)
        before = r.citations_on(D(2020, 7, 12))
        after = r.citations_on(D(2020, 7, 13))
        assert [c.document for c in before] == ["中国共产党基层组织选举工作暂行条例"], rule_id
        assert [c.document for c in after] == ["中国共产党基层组织选举工作条例"], rule_id


def test_training_hours_have_no_end_date(organ) -> None:
    for rule_id in ("edu.hours", "edu.hours_two_new"):
        r = organ.get(rule_id)
        assert r.in_force.until is None
        p = r.params_on(D(2019, 5, 6))
        assert (p.at_least, p.at_least_committee) == (32, 56)
        assert r.citations_on(D(2019, 5, 6))[0].article == "第二十条"
        later = r.params_on(D(2040, 1, 1))
        assert later.at_least == 32 and later.at_least_committee == later.at_least


def test_unverified_days_are_marked_in_the_rule_list(organ) -> None:
    page = rules_markdown(organ)
    assert "（日期未核实）" in page
    assert "2014-01-01 – 至今（日期未核实）" in page
    assert "2018-10-28 – 至今\n" in page
    for word in Force:
        assert f"| {word.label} " in page


# -- 以上 and 超过 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "word"),
    [
        ("branch.congress_quorum", "以上"),
        ("branch.committee_quorum", "以上"),
        ("branch.congress_vote", "超过"),
        ("elect.quorum", "超过"),
        ("elect.win", "超过"),
    ],
)
def test_titles_quote_their_text_and_parameters_say_which(organ, rule_id: str, word: str) -> None:
    r = organ.get(rule_id)
    assert word in r.title and ({"以上", "超过"} - {word}).pop() not in r.title
    p = r.params_on(D(2021, 1, 1))
    if r.kind == "quorum":
        fields = (p.present_at_least, p.present_more_than)
    elif r.kind == "resolution_votes":
        fields = (p.yes_at_least, p.yes_more_than)
    else:
        fields = (p.fraction, None) if p.comparison == "at_least" else (None, p.fraction)
    at_least, more_than = fields
    assert (at_least is not None) == (word == "以上")
    assert (more_than is not None) == (word == "超过")
    assert (at_least or more_than) in (Fraction(1, 2), Fraction(4, 5))
