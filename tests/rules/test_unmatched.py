"""Nothing the user wrote is silently ignored (issue 7, §2).

A waiver, or an entry of a user's rule file, whose rule id, subject id or period matches nothing
is an error naming its file and entry (the CLI exits 2); ``allow_unmatched`` /
``--allow-unmatched`` keeps each as a warning that is still said: ``Report.notices`` in Python,
standard error on the command line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import tomli_w

import dangjian
from dangjian import (
    Branch,
    Gender,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Milestones,
    OrgCategory,
    OrgLevel,
    Status,
)
from dangjian.cli import main
from dangjian.errors import RuleError
from dangjian.rules import load_rules, load_waivers
from tests.builders.example import checked_example

D = dt.date
AS_OF = D(2020, 7, 15)


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    """One branch of three full members holding a themed day in January only."""
    members = tuple(
        Member(
            id=f"m{i}",
            name=f"党员{i}",
            gender=Gender.MALE,
            branch="b1",
            status=MemberStatus.FULL,
            milestones=Milestones(admitted=D(2005, 1, 1), converted=D(2006, 1, 1)),
        )
        for i in range(3)
    )
    return Ledger(
        name="测试机关",
        branches=(
            Branch(
                id="b1",
                name="第一党支部",
                level=OrgLevel.BRANCH,
                category=OrgCategory.ORGAN,
                founded=D(2019, 1, 1),
            ),
        ),
        members=members,
        meetings=(
            Meeting(
                id="td1",
                kind=MeetingKind.THEME_DAY,
                branch="b1",
                date=D(2020, 1, 15),
                attended=("m0", "m1", "m2"),
            ),
        ),
    )


def waivers_file(tmp_path: Path, *entries: dict[str, Any]) -> Path:
    path = tmp_path / "waivers.toml"
    base = {"reason": "疫情防控", "approved_by": "机关党委"}
    path.write_text(tomli_w.dumps({"waiver": [{**base, **e} for e in entries]}), "utf-8")
    return path


def rules_file(tmp_path: Path, **data: Any) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(tomli_w.dumps({"profile": "plan", "title": "本单位计划", **data}), "utf-8")
    return path


def plan_rule(id: str = "plan.theme_day", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": id,
        "kind": "frequency",
        "severity": "warning",
        "confidence": "local",
        "title": "每月开展1次主题党日",
        "title_en": "One themed party day a month",
        "params": {"record": "meeting", "meeting_kinds": ["theme_day"], "per": "month"},
        "citations": [{"document": "本单位工作计划", "verified": False}],
    }
    data["params"]["at_least"] = 1
    data.update(overrides)
    return data


def run(ledger: Ledger, **kw: Any) -> dangjian.Report:
    kw.setdefault("only", ["branch.theme_day", "plan."])
    return dangjian.check(ledger, "2020H1", as_of=AS_OF, **kw)


def theme_day(report: dangjian.Report) -> dict[str, Status]:
    return {str(f.period): f.status for f in report if f.rule == "branch.theme_day"}


# -- waivers ----------------------------------------------------------------------------------

WAIVERS = {
    # the rule id is misspelt: dues.salary for dues.salaried
    "rule": ({"rule": "dues.salary", "period": "2020-02"}, "unmatched_rule", "dues.salary"),
    "subject": (
        {"rule": "branch.theme_day", "period": "2020-02", "subject": "b9"},
        "unmatched_subject",
        "b9",
    ),
    "period": ({"rule": "branch.theme_day", "period": "2019-02"}, "unmatched_period", "2019"),
}


@pytest.mark.parametrize("kind", WAIVERS)
def test_an_unmatched_waiver_is_an_error_naming_file_and_entry(
    tmp_path: Path, ledger: Ledger, kind: str
) -> None:
    entry, code, named = WAIVERS[kind]
    ok = {"rule": "branch.theme_day", "period": "2020-03"}
    path = waivers_file(tmp_path, ok, entry)
    with pytest.raises(RuleError) as info:
        run(ledger, waivers=load_waivers(path))
    (problem,) = info.value.problems
    assert problem.code == code
    assert problem.path.startswith(f"{path}: waiver[1]({entry['rule']})")
    assert problem.path.endswith(f".{kind}")
    assert named in problem.message + problem.message_en
    assert str(path) in info.value.render("en")


@pytest.mark.parametrize("kind", WAIVERS)
def test_allow_unmatched_keeps_a_notice_and_checks(
    tmp_path: Path, ledger: Ledger, kind: str
) -> None:
    entry, code, _ = WAIVERS[kind]
    path = waivers_file(tmp_path, entry)
    report = run(ledger, waivers=load_waivers(path), allow_unmatched=True)
    assert [(p.code, p.path.split(": ")[0]) for p in report.notices] == [(code, str(path))]
    # it waives nothing: February stays failed
    assert theme_day(report)["2020-02"] is Status.FAILED
    assert theme_day(report) == theme_day(run(ledger))


def test_a_matching_waiver_is_no_notice(tmp_path: Path, ledger: Ledger) -> None:
    path = waivers_file(
        tmp_path,
        {"rule": "branch.theme_day", "period": "2020-02", "subject": "b1"},
        # a waiver whose rule is in the rule set but not chosen by ``only`` is not unmatched
        {"rule": "branch.congress", "period": "2020Q1"},
        # a year's waiver of a monthly rule covers its months
        {"rule": "branch.theme_day", "period": "2020", "subject": "b1"},
    )
    report = run(ledger, waivers=load_waivers(path))
    assert report.notices == ()
    assert theme_day(report)["2020-02"] is Status.WAIVED


@pytest.mark.parametrize(
    ("entry", "only"),
    [
        # a record of the ledger, but not a subject the rule judges (it judges branches)
        ({"rule": "branch.theme_day", "period": "2020", "subject": "td1"}, "branch.theme_day"),
        ({"rule": "branch.theme_day", "period": "2020-02", "subject": "m0"}, "branch.theme_day"),
        # a month of a rule judged by the year: no finding lies within it
        ({"rule": "branch.org_life_mtg", "period": "2020-12"}, "branch.org_life_mtg"),
    ],
)
def test_a_waiver_matching_no_finding_of_its_rule_is_an_error(
    tmp_path: Path, ledger: Ledger, entry: dict[str, Any], only: str
) -> None:
    path = waivers_file(tmp_path, entry)
    with pytest.raises(RuleError) as info:
        dangjian.check(ledger, "2020", as_of=AS_OF, only=[only], waivers=load_waivers(path))
    (problem,) = info.value.problems
    assert problem.code == "unmatched_finding"
    assert problem.path == f"{path}: waiver[0]({entry['rule']})"
    assert entry["rule"] in problem.message and "matches no finding" in problem.message_en
    report = dangjian.check(
        ledger, "2020", as_of=AS_OF, only=[only], waivers=load_waivers(path), allow_unmatched=True
    )
    assert [p.code for p in report.notices] == ["unmatched_finding"]
    assert not [f for f in report if f.status is Status.WAIVED]


@pytest.mark.parametrize(
    "entry",
    [
        # a finding that passed or is pending is matched: the waiver was not needed, not wrong
        {"rule": "branch.theme_day", "period": "2020-01", "subject": "b1"},
        {"rule": "branch.org_life_mtg", "period": "2020"},
    ],
)
def test_a_waiver_matching_a_finding_of_any_status_is_no_notice(
    tmp_path: Path, ledger: Ledger, entry: dict[str, Any]
) -> None:
    path = waivers_file(tmp_path, entry)
    report = dangjian.check(
        ledger,
        "2020",
        as_of=AS_OF,
        only=["branch.theme_day", "branch.org_life_mtg"],
        waivers=load_waivers(path),
    )
    assert report.notices == ()


def test_every_unmatched_entry_at_once(tmp_path: Path, ledger: Ledger) -> None:
    entries = [e for e, _, _ in WAIVERS.values()]
    both = {"rule": "dues.salary", "period": "2019", "subject": "nobody"}
    path = waivers_file(tmp_path, *entries, both)
    with pytest.raises(RuleError) as info:
        run(ledger, waivers=load_waivers(path))
    got = [(p.path.split(": ")[1].split(")")[0], p.code) for p in info.value.problems]
    assert got == [
        ("waiver[0](dues.salary", "unmatched_rule"),
        ("waiver[1](branch.theme_day", "unmatched_subject"),
        ("waiver[2](branch.theme_day", "unmatched_period"),
        ("waiver[3](dues.salary", "unmatched_rule"),
        ("waiver[3](dues.salary", "unmatched_subject"),
        ("waiver[3](dues.salary", "unmatched_period"),
    ]


def test_a_waiver_made_in_python_is_named_by_its_index(ledger: Ledger) -> None:
    w = dangjian.Waiver(
        rule="dues.salary",
        period=dangjian.Period.parse("2020-02"),
        reason="x",
        approved_by="y",
    )
    with pytest.raises(RuleError) as info:
        run(ledger, waivers=[w])
    assert [p.path for p in info.value.problems] == ["waiver[0](dues.salary).rule"]


@pytest.mark.parametrize(
    ("period", "unmatched"),
    [("2020-06", False), ("2020-07", True), ("2019-12", True), ("2019", True), ("2020", False)],
)
def test_the_period_boundary(tmp_path: Path, ledger: Ledger, period: str, unmatched: bool) -> None:
    path = waivers_file(tmp_path, {"rule": "branch.theme_day", "period": period})
    report = run(ledger, waivers=load_waivers(path), allow_unmatched=True)
    assert [p.code for p in report.notices] == (["unmatched_period"] if unmatched else [])


# -- rule files -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["disable", "replaces"])
def test_disable_or_replaces_of_an_unknown_id(tmp_path: Path, ledger: Ledger, key: str) -> None:
    if key == "disable":
        path = rules_file(tmp_path, disable=["branch.heart_talks"], rule=[plan_rule()])
    else:
        path = rules_file(tmp_path, rule=[plan_rule(replaces="branch.theme_days")])
    with pytest.raises(RuleError) as info:
        run(ledger, rules=[path])
    (problem,) = info.value.problems
    assert problem.code == "unknown_rule"
    assert problem.path.startswith(f"{path}: ")
    # allowed: a notice, and the rules load
    report = run(ledger, rules=[path], allow_unmatched=True)
    assert [p.code for p in report.notices] == ["unknown_rule"]
    assert report.notices[0].path == problem.path
    assert any(f.rule == "plan.theme_day" for f in report)
    rules = load_rules("national", [path], allow_unmatched=True)
    assert rules.notices == report.notices
    assert load_rules("national").notices == ()


def test_a_plan_rule_for_no_organisation_of_the_ledger(tmp_path: Path, ledger: Ledger) -> None:
    # the ledger has a branch, no 基层党委: a committee-level plan rule judges nothing
    path = rules_file(tmp_path, rule=[plan_rule(applies_to={"levels": ["committee"]})])
    with pytest.raises(RuleError) as info:
        run(ledger, rules=[path])
    (problem,) = info.value.problems
    assert (problem.code, problem.path) == (
        "unmatched_organisation",
        f"{path}: rule(plan.theme_day).applies_to",
    )
    report = run(ledger, rules=[path], allow_unmatched=True)
    assert [p.code for p in report.notices] == ["unmatched_organisation"]
    assert not any(f.rule == "plan.theme_day" for f in report)
    # the same rule for branches matches
    path = rules_file(tmp_path, rule=[plan_rule(applies_to={"levels": ["branch"]})])
    assert run(ledger, rules=[path]).notices == ()


@pytest.mark.parametrize(
    ("in_force", "unmatched"),
    [
        ({"since": dt.date(2020, 7, 1)}, True),
        ({"since": dt.date(2020, 6, 30)}, False),
        ({"until": dt.date(2019, 12, 31)}, True),
        ({"until": dt.date(2020, 1, 1)}, False),
    ],
)
def test_a_plan_rule_not_in_force_in_the_period(
    tmp_path: Path, ledger: Ledger, in_force: dict[str, dt.date], unmatched: bool
) -> None:
    path = rules_file(tmp_path, rule=[plan_rule(in_force=in_force)])
    report = run(ledger, rules=[path], allow_unmatched=True)
    assert [p.code for p in report.notices] == (["unmatched_period"] if unmatched else [])
    if unmatched:
        with pytest.raises(RuleError, match=r"plan\.theme_day"):
            run(ledger, rules=[path])


def test_shipped_rules_that_judge_nothing_are_not_notices(ledger: Ledger) -> None:
    # organ.*, rules for villages, dues rules before a ledger keeps dues: not the user's doing
    report = dangjian.check(ledger, "2020H1", as_of=AS_OF, profile="organ")
    assert report.notices == ()


def test_the_example_matches_everything() -> None:
    report = checked_example().report
    # everything matches; the one note is the waiver of 刘洋's finding, which cannot be told
    assert [(p.code, p.path.rsplit("/", 1)[-1]) for p in report.notices] == [
        ("waiver_on_unknown", "x-bureau-waivers.toml: waiver[4](charter.lapse_org_life)")
    ]


# -- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "summary"])
def test_cli_exit_2_or_a_warning_on_stderr(
    tmp_path: Path, ledger: Ledger, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger_path = tmp_path / "ledger.yaml"
    dangjian.dump(ledger, ledger_path)
    waivers = waivers_file(tmp_path, {"rule": "dues.salary", "period": "2020-02"})
    args = [command, str(ledger_path), "--period", "2020H1", "--as-of", "2020-07-15"]
    args += ["--waivers", str(waivers)]
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{waivers}: waiver[0](dues.salary).rule" in err
    assert "dues.salary" in err
    code = main([*args, "--allow-unmatched"])
    out, err = capsys.readouterr()
    assert code in (0, 1)
    assert out  # the report (or the summary) is written
    assert "警告" in err and f"{waivers}: waiver[0](dues.salary).rule" in err
    main(["--lang", "en", *args, "--allow-unmatched"])
    _, err = capsys.readouterr()
    assert "warning: matches nothing" in err and "no rule 'dues.salary'" in err
