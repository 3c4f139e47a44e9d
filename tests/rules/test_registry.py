"""The registry of rule kinds: an explicit object, nothing global, custom kinds usable from files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import tomli_w

import dangjian
from dangjian import (
    Branch,
    Gender,
    Ledger,
    Member,
    MemberStatus,
    Milestones,
    OrgCategory,
    OrgLevel,
    Status,
)
from dangjian.errors import DangjianError, RuleError
from dangjian.findings import Finding
from dangjian.model import _validators as v
from dangjian.rules import Context, Registry, Rule, RuleKind, default_registry, load_rules
from dangjian.rules.kinds import BUILTIN_KINDS

D = dt.date


@attrs.frozen(kw_only=True)
class HeadcountParams:
    at_least: int = attrs.field(validator=v.positive_int)


def evaluate_headcount(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """Each organisation has at least ``at_least`` members on the last day of the period."""
    p: HeadcountParams = rule.params_on(ctx.period.start)
    for org in ctx.organisations(rule):
        n = len(ctx.members_on(org.id, ctx.period.end))
        yield ctx.finding(
            rule,
            Status.PASSED if n >= p.at_least else Status.FAILED,
            ctx.branch_subjects[org.id],
            ctx.period,
            f"应有党员{p.at_least}名以上，实有{n}名",
            f"at least {p.at_least} members required, {n} found",
        )


def headcount_kind(name: str = "headcount") -> RuleKind:
    return RuleKind(
        name=name,
        params=HeadcountParams,
        evaluate=evaluate_headcount,
        description="党员人数",
        description_en="headcount",
    )


def headcount_file(tmp_path: Path, at_least: int, *, extra: dict | None = None) -> Path:
    rule = {
        "id": "custom.headcount",
        "kind": "headcount",
        "severity": "warning",
        "confidence": "local",
        "title": "党支部党员人数",
        "title_en": "Branch headcount",
        "applies_to": {"levels": ["branch"]},
        "params": {"at_least": at_least, **(extra or {})},
        "citations": [{"document": "本单位规定"}],
    }
    path = tmp_path / "custom.toml"
    path.write_text(
        tomli_w.dumps({"profile": "custom", "title": "自定义", "rule": [rule]}), "utf-8"
    )
    return path


def ledger(members: int) -> Ledger:
    return Ledger(
        name="测试",
        branches=(
            Branch(
                id="b1",
                name="第一支部",
                level=OrgLevel.BRANCH,
                category=OrgCategory.ORGAN,
                founded=D(2019, 1, 1),
            ),
            Branch(
                id="b2",
                name="第二支部",
                level=OrgLevel.BRANCH,
                category=OrgCategory.ORGAN,
                founded=D(2019, 1, 1),
            ),
        ),
        members=tuple(
            Member(
                id=f"m{i}",
                name=f"党员{i}",
                gender=Gender.MALE,
                branch="b1",
                status=MemberStatus.FULL,
                milestones=Milestones(admitted=D(2010, 1, 1), converted=D(2011, 1, 1)),
            )
            for i in range(members)
        ),
    )


# -- nothing global ----------------------------------------------------------------------------


def test_default_registries_are_independent() -> None:
    first, second = default_registry(), default_registry()
    assert first is not second
    assert [k.name for k in first] == [k.name for k in second] == [k.name for k in BUILTIN_KINDS]
    first.register(headcount_kind())
    assert "headcount" in first
    assert "headcount" not in second
    assert "headcount" not in default_registry()


def test_importing_registers_nothing_globally() -> None:
    assert "headcount" not in dangjian.default_registry()
    empty = Registry()
    assert list(empty) == []
    assert "frequency" not in empty
    empty.register(headcount_kind())
    assert [k.name for k in empty] == ["headcount"]
    assert "headcount" not in default_registry()


def test_registering_a_duplicate_name_raises() -> None:
    registry = Registry([headcount_kind()])
    with pytest.raises(DangjianError, match="headcount"):
        registry.register(headcount_kind())
    with pytest.raises(DangjianError, match="frequency"):
        default_registry().register(attrs.evolve(headcount_kind(), name="frequency"))
    with pytest.raises(DangjianError):
        Registry([headcount_kind(), headcount_kind()])


def test_get_names_the_known_kinds() -> None:
    registry = Registry([headcount_kind()])
    assert registry.get("headcount").params is HeadcountParams
    with pytest.raises(DangjianError, match="headcount"):
        registry.get("telepathy")


# -- custom kinds in use -----------------------------------------------------------------------


def test_a_custom_kind_produces_findings(tmp_path: Path) -> None:
    registry = default_registry()
    registry.register(headcount_kind())
    path = headcount_file(tmp_path, at_least=3)
    report = dangjian.check(
        ledger(members=3),
        "2020Q1",
        as_of=D(2020, 7, 1),
        rules=[path],
        registry=registry,
        only=["custom."],
    )
    by_branch = {f.subject.id: f for f in report.findings}
    assert set(by_branch) == {"b1", "b2"}
    assert all(f.rule == "custom.headcount" for f in report.findings)
    assert by_branch["b1"].status is Status.PASSED
    assert by_branch["b2"].status is Status.FAILED
    assert by_branch["b2"].severity.code == "warning"
    assert by_branch["b1"].citations[0].document == "本单位规定"
    assert report.title("custom.headcount") == "党支部党员人数"


def test_a_custom_kind_as_the_whole_profile(tmp_path: Path) -> None:
    registry = Registry([headcount_kind()])
    path = headcount_file(tmp_path, at_least=4)
    report = dangjian.check(
        ledger(members=3), "2020", as_of=D(2021, 1, 1), profile=str(path), registry=registry
    )
    assert [f.status for f in report.findings] == [Status.FAILED, Status.FAILED]
    assert "3" in report.findings[0].message_en


def test_a_custom_kind_is_not_known_to_another_registry(tmp_path: Path) -> None:
    path = headcount_file(tmp_path, at_least=3)
    with pytest.raises(RuleError) as info:
        dangjian.check(ledger(members=3), "2020Q1", as_of=D(2020, 7, 1), rules=[path])
    assert [p.code for p in info.value.problems] == ["unknown_kind"]
    assert "headcount" in info.value.problems[0].message_en
    with pytest.raises(RuleError):
        load_rules("national", [path])


def test_custom_params_are_read_strictly(tmp_path: Path) -> None:
    registry = Registry([headcount_kind()])
    path = headcount_file(tmp_path, at_least=3, extra={"at_most": 50})
    with pytest.raises(RuleError) as info:
        dangjian.check(ledger(3), "2020", as_of=D(2021, 1, 1), profile=str(path), registry=registry)
    (p,) = info.value.problems
    assert p.code == "unknown_key"
    assert p.path.endswith("rule[0](custom.headcount).params.at_most")
    bad = headcount_file(tmp_path, at_least=0)
    with pytest.raises(RuleError) as info:
        load_rules(str(bad), registry=registry)
    assert info.value.problems[0].path.endswith("params.at_least")


def test_an_unknown_kind_in_a_file_is_a_rule_error(tmp_path: Path) -> None:
    path = headcount_file(tmp_path, at_least=3)
    path.write_text(path.read_text("utf-8").replace('"headcount"', '"no_such_kind"'), "utf-8")
    with pytest.raises(RuleError) as info:
        dangjian.check(ledger(3), "2020Q1", as_of=D(2020, 7, 1), rules=[path], registry=Registry())
    problems = info.value.problems
    # with an empty registry the shipped rules' kinds are unknown too: every one is reported
    assert {p.code for p in problems} == {"unknown_kind"}
    assert any("no_such_kind" in p.message_en and str(path) in p.path for p in problems)
    assert len(problems) == len(load_rules("national")) + 1
