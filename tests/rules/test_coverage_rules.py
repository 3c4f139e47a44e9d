"""Boundary tests of the coverage rules: branch.heart_talk (talks per member and year) and the
training hours of the national plans: edu.hours (organs and the like: 24/40 under the 2014–2018
plan, 32/56 under the 2019–2023 plan) and edu.hours_two_new (两新 organisations: 16/24, then
32/56)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian import CommitteeRole, MemberStatus, OrgCategory, OrgLevel, Status
from tests.rules.dues_builders import (
    D,
    branch,
    findings_of,
    ledger,
    member,
    run,
    seat,
    statuses,
    talk,
    training,
)

PLAN_2014 = "2014—2018年全国党员教育培训工作规划"
PLAN_2019 = "2019—2023年全国党员教育培训工作规划"
REGULATION = "中国共产党党员教育管理工作条例"
PLAN_AND_REGULATION = (REGULATION, PLAN_2019)

# -- branch.heart_talk -----------------------------------------------------------------------


def talks_ledger():
    return ledger(
        members=[
            member("m1"),
            member("m2"),
            member("m3"),
            member("m4"),
            # moved into this branch in the middle of the year
            member("joined", admitted=D(2010, 1, 1), converted=D(2011, 1, 1), joined=D(2020, 7, 1)),
            # admitted in the middle of the year
            member("new", status=MemberStatus.PROBATIONARY, admitted=D(2020, 3, 1)),
            # transferred out in the middle of the year
            member("gone", status=MemberStatus.TRANSFERRED_OUT, left=D(2020, 9, 1)),
            # an activist is not a member: no finding at all
            member("activist", status=MemberStatus.ACTIVIST, activist=D(2019, 1, 1)),
        ],
        talks=[
            talk("m1", "m2", D(2020, 4, 1), id="t1"),
            talk("m3", "joined", D(2020, 8, 1), id="t2"),
            # the year before and the year after do not count
            talk("m4", "m1", D(2019, 12, 31), id="t3"),
            talk("m4", "m2", D(2021, 1, 1), id="t4"),
        ],
    )


def test_heart_talk_one_a_year() -> None:
    found = run(talks_ledger(), "2020", as_of=D(2021, 1, 15), only=["branch.heart_talk"])
    assert statuses(found, "branch.heart_talk") == {
        ("m1", "2020"): "passed",
        ("m2", "2020"): "passed",
        ("m3", "2020"): "passed",
        ("m4", "2020"): "failed",
        ("joined", "2020"): "not_applicable",
        ("new", "2020"): "not_applicable",
        ("gone", "2020"): "not_applicable",
    }
    table = findings_of(found, "branch.heart_talk")
    assert table["m4", "2020"].message == "党员2020年应不少于1次谈心谈话，实际0次谈心谈话"
    assert table["m4", "2020"].message_en == "at least 1 talks in 2020, 0 talks found"
    assert table["m1", "2020"].message == "党员2020年应不少于1次谈心谈话，实际1次谈心谈话"
    assert table["m1", "2020"].evidence == ("t1",)
    assert "不全程是本组织党员" in table["joined", "2020"].message


@pytest.mark.parametrize(
    ("as_of", "m4"),
    [(D(2020, 12, 31), "pending"), (D(2021, 1, 1), "failed")],
)
def test_heart_talk_pending_until_the_year_is_over(as_of: dt.date, m4: str) -> None:
    found = run(talks_ledger(), "2020", as_of=as_of, only=["branch.heart_talk"])
    got = statuses(found, "branch.heart_talk")
    assert got["m4", "2020"] == m4
    assert got["m1", "2020"] == "passed"


def test_heart_talk_in_a_half_year_check_is_not_failed_on_half_a_year() -> None:
    found = run(talks_ledger(), "2020H1", as_of=D(2021, 1, 15), only=["branch.heart_talk"])
    got = statuses(found, "branch.heart_talk")
    assert got["m4", "2020"] == "pending"
    assert got["m1", "2020"] == "passed"


def test_heart_talk_applies_to_branches_only() -> None:
    led = ledger(
        branches=[branch("c1", level=OrgLevel.COMMITTEE), branch("b1", parent="c1")],
        members=[member("top", branch="c1"), member("m1")],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["branch.heart_talk"])
    assert statuses(found, "branch.heart_talk") == {("m1", "2020"): "failed"}


def test_heart_talk_is_not_in_force_before_2018() -> None:
    led = ledger(members=[member("m1")])
    assert run(led, "2017", as_of=D(2018, 6, 1), only=["branch.heart_talk"]) == []


# -- edu.hours -------------------------------------------------------------------------------


def hours_ledger(year: int, category: OrgCategory = OrgCategory.ORGAN):
    """Members with just enough and just too few hours in ``year``, two of them on the
    committee; ``old_seat`` left the committee the year before."""
    b = branch(
        "b1",
        category=category,
        committee=[
            seat("sec", CommitteeRole.SECRETARY, start=D(year - 3, 1, 1)),
            seat("cm", CommitteeRole.ORGANISATION, start=D(year, 11, 1)),
            seat(
                "old_seat",
                CommitteeRole.PUBLICITY,
                start=D(year - 3, 1, 1),
                end=D(year - 1, 12, 31),
            ),
        ],
    )
    return b, [member(i) for i in ("enough", "short", "sec", "cm", "old_seat", "new")]


def hours_records(year: int, hours: dict[str, list[str]]):
    records = []
    for who, amounts in hours.items():
        for i, h in enumerate(amounts):
            records.append(training(who, D(year, 1 + i, 15), h, id=f"{who}-{i}"))
    return records


@pytest.mark.parametrize(
    ("year", "rule", "member_hours", "committee_hours", "category", "plan"),
    [
        (2020, "edu.hours", 32, 56, OrgCategory.ORGAN, PLAN_AND_REGULATION),
        (2019, "edu.hours", 32, 56, OrgCategory.VILLAGE, (PLAN_2019,)),
        (2023, "edu.hours", 32, 56, OrgCategory.STATE_ENTERPRISE, PLAN_AND_REGULATION),
        (2016, "edu.hours", 24, 40, OrgCategory.ORGAN, (PLAN_2014,)),
        (2018, "edu.hours", 24, 40, OrgCategory.STATE_ENTERPRISE, (PLAN_2014,)),
        (2016, "edu.hours_two_new", 16, 24, OrgCategory.PRIVATE_ENTERPRISE, (PLAN_2014,)),
        (2014, "edu.hours_two_new", 16, 24, OrgCategory.SOCIAL_ORGANISATION, (PLAN_2014,)),
        (2020, "edu.hours_two_new", 32, 56, OrgCategory.PRIVATE_ENTERPRISE, PLAN_AND_REGULATION),
        # 第二十条 has no end date: after the 2019–2023 plan, 32 hours for every member,
        # secretaries and committee members included (no verified higher figure)
        (2024, "edu.hours", 32, 32, OrgCategory.ORGAN, (REGULATION,)),
        (2031, "edu.hours", 32, 32, OrgCategory.VILLAGE, (REGULATION,)),
        (2024, "edu.hours_two_new", 32, 32, OrgCategory.PRIVATE_ENTERPRISE, (REGULATION,)),
    ],
)
def test_training_hours(
    year: int,
    rule: str,
    member_hours: int,
    committee_hours: int,
    category: OrgCategory,
    plan: tuple[str, ...],
) -> None:
    b, people = hours_ledger(year, category)
    # two records each, the second short by half an hour where the total must fall short
    half, c_half, less = Decimal(member_hours) / 2, Decimal(committee_hours) / 2, Decimal("0.5")
    trainings = hours_records(
        year,
        {
            "enough": [f"{half}", f"{half}"],
            "short": [f"{half}", f"{half - less}"],
            "sec": [f"{c_half}", f"{c_half}"],
            "cm": [f"{c_half}", f"{c_half - less}"],
            "old_seat": [f"{member_hours}"],
        },
    )
    # hours of the years around do not count
    trainings += [
        training("short", D(year - 1, 12, 31), "100", id="before"),
        training("short", D(year + 1, 1, 1), "100", id="after"),
    ]
    led = ledger(branches=[b], members=people, trainings=trainings)
    found = run(led, str(year), as_of=D(year + 1, 1, 10), only=["edu."])
    # one plan, one rule: the organisation's category picks it, the year its hours
    assert {f.rule for f in found} == {rule}
    assert statuses(found, rule) == {
        ("enough", str(year)): "passed",
        ("short", str(year)): "failed",
        ("sec", str(year)): "passed",
        # on the committee for two months of the year: the committee's hours apply
        ("cm", str(year)): "failed",
        # no longer on the committee: a member's hours suffice
        ("old_seat", str(year)): "passed",
        ("new", str(year)): "failed",
    }
    table = findings_of(found, rule)
    short = table["short", str(year)]
    assert short.message == f"党员{year}年应不少于{member_hours}学时，实际{member_hours - less}学时"
    assert short.message_en == (
        f"at least {member_hours} hours in {year}, {member_hours - less} hours found"
    )
    assert sorted(short.evidence) == ["short-0", "short-1"]
    cm = table["cm", str(year)]
    who = "支委会委员" if committee_hours > member_hours else "党员"
    assert (
        cm.message
        == f"{who}{year}年应不少于{committee_hours}学时，实际{committee_hours - less}学时"
    )
    assert table["new", str(year)].message.endswith("实际0学时")
    # each finding cites what was in force on the first day of its year
    for f in found:
        assert tuple(c.document for c in f.citations) == plan


@pytest.mark.parametrize(("year", "status"), [(2016, "passed"), (2018, "passed"), (2019, "failed")])
def test_thirty_hours_enough_under_the_2014_plan_only(year: int, status: str) -> None:
    """30 hours meet the 2014–2018 plan's 24 and miss the 2019–2023 plan's 32."""
    b, people = hours_ledger(year)
    led = ledger(branches=[b], members=people, trainings=hours_records(year, {"enough": ["30"]}))
    found = run(led, str(year), as_of=D(year + 1, 1, 10), only=["edu."])
    assert statuses(found, "edu.hours")["enough", str(year)] == status
    assert statuses(found, "edu.hours_two_new") == {}


def test_training_hours_do_not_expire() -> None:
    """党员教育管理工作条例 第二十条 has no end date: 2024 and later are judged, at 32 hours."""
    b, people = hours_ledger(2024)
    led = ledger(branches=[b], members=people)
    found = run(led, "2024", as_of=D(2025, 1, 10), only=["edu."])
    assert {f.rule for f in found} == {"edu.hours"}
    assert all(f.status is Status.FAILED for f in found)
    assert all("应不少于32学时" in f.message for f in found)


def test_training_hours_are_not_judged_before_the_2014_plan() -> None:
    b, people = hours_ledger(2013)
    led = ledger(branches=[b], members=people)
    assert run(led, "2013", as_of=D(2014, 1, 10), only=["edu."]) == []


def test_two_new_and_organ_branches_side_by_side_in_2016() -> None:
    led = ledger(
        branches=[
            branch("organ"),
            branch("firm", category=OrgCategory.PRIVATE_ENTERPRISE),
            branch("ngo", category=OrgCategory.SOCIAL_ORGANISATION),
        ],
        members=[
            member("o", branch="organ"),
            member("f", branch="firm"),
            member("n", branch="ngo"),
        ],
        trainings=[
            training("o", D(2016, 5, 1), "20", id="o1"),
            training("f", D(2016, 5, 1), "20", id="f1"),
            training("n", D(2016, 5, 1), "15.5", id="n1"),
        ],
    )
    found = run(led, "2016", as_of=D(2017, 1, 10), only=["edu."])
    # 20 hours: short of an organ's 24, enough for a 两新 organisation's 16
    assert statuses(found, "edu.hours") == {("o", "2016"): "failed"}
    assert statuses(found, "edu.hours_two_new") == {
        ("f", "2016"): "passed",
        ("n", "2016"): "failed",
    }


def test_hours_mid_year_member_is_not_applicable() -> None:
    led = ledger(
        members=[
            member("new", status=MemberStatus.PROBATIONARY, admitted=D(2020, 1, 2)),
            member("from_first_day", status=MemberStatus.PROBATIONARY, admitted=D(2020, 1, 1)),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 10), only=["edu.hours"])
    assert statuses(found, "edu.hours") == {
        ("new", "2020"): "not_applicable",
        ("from_first_day", "2020"): "failed",
    }
