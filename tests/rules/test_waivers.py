"""Waivers: reading them strictly, and which failed findings they excuse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import tomli_w
import yaml

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
    Period,
    Status,
    Waiver,
)
from dangjian.errors import RuleError
from dangjian.rules import load_waivers

D = dt.date
AS_OF = D(2020, 7, 15)
THEME_DAY_MONTHS = (1, 3, 4, 6)  # none in February or May
FORMATS = ("toml", "yaml")


def write(tmp_path: Path, fmt: str, waivers: list[dict[str, Any]], **extra: Any) -> Path:
    data = {"waiver": waivers, **extra}
    path = tmp_path / f"waivers.{fmt}"
    if fmt == "toml":
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def entry(**overrides: Any) -> dict[str, Any]:
    data = {
        "rule": "branch.theme_day",
        "period": "2020-02",
        "reason": "新冠肺炎疫情防控期间暂停集中性活动",
        "approved_by": "市直机关工委",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def branch(id: str, name: str) -> Branch:
    return Branch(
        id=id, name=name, level=OrgLevel.BRANCH, category=OrgCategory.ORGAN, founded=D(2019, 1, 1)
    )


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    """Two branches of three full members; b1 holds themed days in some months, b2 in none."""
    members = tuple(
        Member(
            id=f"{b}m{i}",
            name=f"党员{b}{i}",
            gender=Gender.FEMALE,
            branch=b,
            status=MemberStatus.FULL,
            milestones=Milestones(admitted=D(2005, 1, 1), converted=D(2006, 1, 1)),
        )
        for b in ("b1", "b2")
        for i in range(3)
    )
    meetings = tuple(
        Meeting(
            id=f"td{month}",
            kind=MeetingKind.THEME_DAY,
            branch="b1",
            date=D(2020, month, 15),
            attended=("b1m0", "b1m1", "b1m2"),
        )
        for month in THEME_DAY_MONTHS
    )
    result = Ledger(
        name="测试机关",
        branches=(branch("b1", "第一党支部"), branch("b2", "第二党支部")),
        members=members,
        meetings=meetings,
    )
    assert result.problems() == []
    return result


def run(ledger: Ledger, waivers: tuple[Waiver, ...] = (), as_of: dt.date = AS_OF, **kw: Any):
    return dangjian.check(
        ledger, "2020H1", as_of=as_of, only=["branch.theme_day"], waivers=waivers, **kw
    )


def statuses(report) -> dict[tuple[str, str], Status]:
    return {(f.subject.id, str(f.period)): f.status for f in report.findings}


def waiver(period: str = "2020-02", **kw: Any) -> Waiver:
    return Waiver(
        rule=kw.pop("rule", "branch.theme_day"),
        period=Period.parse(period),
        reason=kw.pop("reason", "疫情防控"),
        approved_by=kw.pop("approved_by", "机关党委"),
        **kw,
    )


# -- the ledger without waivers ----------------------------------------------------------------


def test_the_baseline(ledger: Ledger) -> None:
    got = statuses(run(ledger))
    for month in range(1, 7):
        key = f"2020-{month:02d}"
        assert got[("b1", key)] is (Status.PASSED if month in THEME_DAY_MONTHS else Status.FAILED)
        assert got[("b2", key)] is Status.FAILED
    assert len(got) == 12


# -- reading waiver files ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_load_waivers(tmp_path: Path, fmt: str) -> None:
    path = write(
        tmp_path,
        fmt,
        [entry(), entry(rule="charter.lapse_org_life", period="2020H1", subject="m304")],
    )
    first, second = load_waivers(path)
    assert first == Waiver(
        rule="branch.theme_day",
        period=Period.parse("2020-02"),
        reason="新冠肺炎疫情防控期间暂停集中性活动",
        approved_by="市直机关工委",
        subject=None,
    )
    assert second.subject == "m304"
    assert second.period == Period.parse("2020H1")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_waiver_list(tmp_path: Path, fmt: str) -> None:
    assert load_waivers(write(tmp_path, fmt, [])) == ()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("period", ["2020Q5", "2020-13", "2020-W54", "spring", "2020H3"])
def test_a_bad_period(tmp_path: Path, fmt: str, period: str) -> None:
    path = write(tmp_path, fmt, [entry(), entry(period=period)])
    with pytest.raises(RuleError) as info:
        load_waivers(path)
    assert [p.path for p in info.value.problems] == ["waiver[1].period"]
    assert str(path) in info.value.render()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", ["rule", "period", "reason", "approved_by"])
def test_a_missing_field(tmp_path: Path, fmt: str, field: str) -> None:
    path = write(tmp_path, fmt, [entry(), entry(**{field: None})])
    with pytest.raises(RuleError) as info:
        load_waivers(path)
    (p,) = info.value.problems
    assert p.path == f"waiver[1].{field}"
    assert p.code == "missing_field"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_keys(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, fmt, [entry(until="2020-03-01")], extra=1)
    with pytest.raises(RuleError) as info:
        load_waivers(path)
    assert sorted(p.path for p in info.value.problems) == ["extra", "waiver[0].until"]
    assert {p.code for p in info.value.problems} == {"unknown_key"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_is_reported(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, fmt, [entry(reason=None), entry(colour="red"), entry(approved_by="")])
    with pytest.raises(RuleError) as info:
        load_waivers(path)
    assert sorted(p.path for p in info.value.problems) == [
        "waiver[0].reason",
        "waiver[1].colour",
        "waiver[2].approved_by",
    ]


# -- which findings a waiver excuses ---------------------------------------------------------------


def test_a_matching_waiver_excuses_the_failure_and_keeps_its_reason(ledger: Ledger) -> None:
    w = waiver("2020-02", reason="新冠肺炎疫情防控期间暂停集中性活动", approved_by="市直机关工委")
    report = run(ledger, (w,))
    base = statuses(run(ledger))
    got = statuses(report)
    waived = [f for f in report.findings if f.status is Status.WAIVED]
    assert {(f.subject.id, str(f.period)) for f in waived} == {("b1", "2020-02"), ("b2", "2020-02")}
    for f in waived:
        assert f.waiver == w
        assert f.waiver.reason == "新冠肺炎疫情防控期间暂停集中性活动"
        assert f.waiver.approved_by == "市直机关工委"
    # everything else as before
    changed = {k for k in got if got[k] is not base[k]}
    assert changed == {("b1", "2020-02"), ("b2", "2020-02")}
    assert all(f.waiver is None for f in report.findings if f.status is not Status.WAIVED)


def test_a_waiver_for_one_subject(ledger: Ledger) -> None:
    got = statuses(run(ledger, (waiver("2020-02", subject="b2"),)))
    assert got[("b2", "2020-02")] is Status.WAIVED
    assert got[("b1", "2020-02")] is Status.FAILED


@pytest.mark.parametrize(
    "w",
    [
        waiver("2020-02", rule="branch.committee_mtg"),  # another rule
        waiver("2020-02", subject="b9"),  # another subject
        waiver("2020-03"),  # another month
        waiver("2020-W06"),  # a week of February: the month does not lie within it
        waiver("2019"),  # another year
        waiver("2020Q2"),  # a quarter without February
    ],
    ids=["rule", "subject", "month", "week", "year", "quarter"],
)
def test_a_waiver_that_does_not_match_leaves_the_failure(ledger: Ledger, w: Waiver) -> None:
    # a subject not in the ledger or a period outside the check is an error unless allowed
    # (tests/rules/test_unmatched.py); allowed, it still waives nothing
    got = statuses(run(ledger, (w,), allow_unmatched=True))
    assert got[("b1", "2020-02")] is Status.FAILED
    assert got[("b2", "2020-02")] is Status.FAILED
    # whatever it does waive is a failure of its rule in a month inside its period
    for (subject, month), status in got.items():
        if status is Status.WAIVED:
            assert w.rule == "branch.theme_day"
            assert Period.parse(month) in w.period
            assert w.subject in (None, subject)


@pytest.mark.parametrize("period", ["2020-02", "2020Q1", "2020H1", "2020"])
def test_a_waiver_covers_the_sub_periods_inside_it(ledger: Ledger, period: str) -> None:
    p = Period.parse(period)
    base = statuses(run(ledger))
    got = statuses(run(ledger, (waiver(period),)))
    for (subject, month), status in base.items():
        inside = Period.parse(month) in p
        expected = Status.WAIVED if status is Status.FAILED and inside else status
        assert got[(subject, month)] is expected, (subject, month)


def test_passed_findings_are_never_waived(ledger: Ledger) -> None:
    base = run(ledger)
    got = run(ledger, (waiver("2020"), waiver("2020H1", subject="b1")))
    for before, after in zip(base.findings, got.findings, strict=True):
        if before.status is Status.PASSED:
            assert after.status is Status.PASSED
            assert after.waiver is None
        elif before.status is Status.FAILED:
            assert after.status is Status.WAIVED
    assert got.counts()[Status.WAIVED] == base.counts()[Status.FAILED]
    assert got.counts()[Status.PASSED] == base.counts()[Status.PASSED]


def test_pending_findings_are_not_waived(ledger: Ledger) -> None:
    # judged on 20 May, May is not over: b2's May is pending, and stays so under a waiver
    as_of = D(2020, 5, 20)
    got = statuses(run(ledger, (waiver("2020Q2"),), as_of=as_of))
    assert got[("b2", "2020-05")] is Status.PENDING
    assert got[("b2", "2020-04")] is Status.WAIVED
    assert got[("b1", "2020-04")] is Status.PASSED


def test_waivers_from_a_file_in_check(tmp_path: Path, ledger: Ledger) -> None:
    path = write(tmp_path, "toml", [entry(subject="b1"), entry(period="2020-05")])
    report = run(ledger, load_waivers(path))
    got = statuses(report)
    assert got[("b1", "2020-02")] is Status.WAIVED
    assert got[("b2", "2020-02")] is Status.FAILED
    assert got[("b1", "2020-05")] is Status.WAIVED
    assert got[("b2", "2020-05")] is Status.WAIVED
    data = report.render("json")
    assert "新冠肺炎疫情防控期间暂停集中性活动" in data
    assert "市直机关工委" in data
