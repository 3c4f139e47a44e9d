"""Boundary tests of branch.heart_talk (talks between every pair of members, per branch and year)
and of the coverage rules of the
training hours of the national plans: edu.hours (organs and the like: 24/40 under the 2014–2018
plan, 32/56 under the 2019–2023 plan) and edu.hours_two_new (两新 organisations: 16/24, then
32/56)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian import CommitteeRole, MemberStatus, OrgCategory, OrgLevel, Status
from tests.builders.dues import (
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
    write_rule_file,
)

PLAN_2014 = "2014—2018年全国党员教育培训工作规划"
PLAN_2019 = "2019—2023年全国党员教育培训工作规划"
REGULATION = "中国共产党党员教育管理工作条例"
PLAN_AND_REGULATION = (REGULATION, PLAN_2019)

# -- branch.heart_talk: pairs -----------------------------------------------------------------


def talks_ledger(*talks):
    """m1–m4 on the rolls all 2020 (six pairs), and members present for part of it only."""
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
            # an activist is not a member: never paired
            member("activist", status=MemberStatus.ACTIVIST, activist=D(2019, 1, 1)),
        ],
        talks=list(talks),
    )


ALL_PAIRS = [("m1", "m2"), ("m1", "m3"), ("m1", "m4"), ("m2", "m3"), ("m2", "m4"), ("m3", "m4")]


JUNE = D(2020, 6, 1)
LATER = D(2021, 1, 15)


def pair_talks(pairs, day=JUNE):
    return [talk(a, b, day, id=f"t-{a}-{b}") for a, b in pairs]


def heart_talk(led, period="2020", as_of=LATER):
    return findings_of(
        run(led, period, as_of=as_of, only=["branch.heart_talk"]), "branch.heart_talk"
    )


def test_all_pairs_talked_passes_with_one_finding_for_the_branch() -> None:
    # the talks in reverse order, one of them the other way round: the evidence is sorted
    talks = pair_talks(ALL_PAIRS)[::-1]
    talks[0] = talk("m4", "m3", D(2020, 12, 31), id="t-m3-m4")
    found = heart_talk(talks_ledger(*talks))
    assert list(found) == [("b1", "2020")]
    f = found["b1", "2020"]
    assert f.status.code == "passed"
    assert f.severity.code == "warning"  # 一般
    assert f.evidence == tuple(sorted(f"t-{a}-{b}" for a, b in ALL_PAIRS))
    assert "全程在册党员4名，共6对，均已谈心谈话" in f.message
    assert "年内转入、转出、入党或离开的3名党员不计" in f.message


@pytest.mark.parametrize("missing", ALL_PAIRS)
def test_one_pair_without_a_talk_fails_and_is_named(missing: tuple[str, str]) -> None:
    found = heart_talk(talks_ledger(*pair_talks(p for p in ALL_PAIRS if p != missing)))
    f = found["b1", "2020"]
    assert f.status.code == "failed"
    a, b = missing
    assert f"1对未见谈心谈话记录：党员{a}—党员{b}" in f.message
    assert f"1 without a talk: {a}–{b}" in f.message_en
    assert len(f.evidence) == 5


@pytest.mark.parametrize(
    ("size", "talked"),
    [
        (7, 0),  # 21 pairs missing: one more than are listed in full
        (7, 1),  # 20 missing: all listed
        (50, 0),  # 1225 pairs: the first 20, "等1225对" and a count per member
    ],
)
def test_a_large_branch_gets_a_bounded_message(size: int, talked: int) -> None:
    ids = [f"m{i:02}" for i in range(size)]
    led = ledger(
        members=[member(x) for x in ids],
        # a talk of 2019: the ledger keeps talks
        talks=[
            talk(ids[0], ids[1], D(2019, 6, 1), id="t2019"),
            *[talk(ids[0], ids[1], JUNE, id="t0")][:talked],
        ],
    )
    f = heart_talk(led)["b1", "2020"]
    pairs = size * (size - 1) // 2
    missing = pairs - talked
    assert f.status.code == "failed"
    assert f"共{pairs}对，{missing}对未见谈心谈话记录" in f.message
    listed = f.message.count("—")
    if missing <= 20:
        assert listed == missing and "等" not in f.message
    else:
        assert listed == 20
        assert f"等{missing}对" in f.message and f"and {missing - 20} more" in f.message_en
        # every member is named once with the pairs they lack
        for x in (ids[0], ids[-1]):
            assert f"党员{x}（{size - 1}对）" in f.message and f"{x} {size - 1}" in f.message_en
    # 50 members: at most 20 pairs and 50 counts, whatever the number of pairs
    assert len(f.message) < 1200 and len(f.message_en) < 1200


def test_talks_outside_the_year_or_with_part_year_members_do_not_count() -> None:
    talks = [
        *pair_talks([p for p in ALL_PAIRS if p != ("m1", "m4")]),
        talk("m1", "m4", D(2019, 12, 31), id="before"),
        talk("m4", "m1", D(2021, 1, 1), id="after"),
        talk("m1", "joined", D(2020, 8, 1), id="with_joined"),
        talk("new", "m4", D(2020, 8, 1), id="with_new"),
    ]
    f = heart_talk(talks_ledger(*talks))["b1", "2020"]
    assert f.status.code == "failed"
    assert "党员m1—党员m4" in f.message
    assert not {"before", "after", "with_joined", "with_new"} & set(f.evidence)


def test_a_part_year_member_is_not_paired() -> None:
    # only the four members present all year are paired: the three others owe nothing
    f = heart_talk(talks_ledger(*pair_talks(ALL_PAIRS)))["b1", "2020"]
    assert f.status.code == "passed"
    for who in ("joined", "new", "gone", "activist"):
        assert who not in f.message_en


@pytest.mark.parametrize(
    ("extra", "paired"),
    [
        ({"joined": D(2020, 1, 1)}, True),  # on the rolls from the year's first day
        ({"joined": D(2020, 1, 2)}, False),
        ({"status": MemberStatus.TRANSFERRED_OUT, "left": D(2021, 1, 1)}, True),  # all 2020
        ({"status": MemberStatus.TRANSFERRED_OUT, "left": D(2020, 12, 31)}, False),
        ({"status": MemberStatus.PROBATIONARY, "admitted": D(2020, 1, 1)}, True),
        ({"status": MemberStatus.PROBATIONARY, "admitted": D(2020, 1, 2)}, False),
    ],
)
def test_on_the_rolls_the_whole_year_to_the_day(extra: dict, paired: bool) -> None:
    extra = {"admitted": D(2010, 1, 1), "converted": D(2011, 1, 1)} | extra
    if extra.get("status") is MemberStatus.PROBATIONARY:
        extra.pop("converted")
    led = ledger(
        members=[member("m1"), member("m2"), member("x", **extra)],
        talks=[talk("m1", "m2", JUNE, id="t12")],
    )
    f = heart_talk(led)["b1", "2020"]
    # m1–m2 talked: x is paired (and lacks two talks) only when on the rolls all year
    assert f.status.code == ("failed" if paired else "passed")
    assert ("共3对" in f.message) is paired
    assert ("1名党员不计" in f.message) is not paired


def test_talks_per_pair_at_least_twice_by_a_local_rule(tmp_path) -> None:
    path = write_rule_file(
        tmp_path / "local.toml",
        """[[rule]]
id = "local.heart_talk"
replaces = "branch.heart_talk"
kind = "talk_pairs"
severity = "warning"
confidence = "local"
title = "党员之间每年谈心谈话不少于2次"
title_en = "Every pair of members talks at least twice a year"
applies_to = { levels = ["branch"] }
params = { per = "year", at_least = 2 }
citations = [{ document = "本地规定", verified = false }]
""",
    )
    again = [talk(a, b, D(2020, 9, 1), id=f"u-{a}-{b}") for a, b in ALL_PAIRS]
    cases = {
        "twice": talks_ledger(*pair_talks(ALL_PAIRS), *again),
        "one pair once": talks_ledger(*pair_talks(ALL_PAIRS), *again[:-1]),
    }
    got = {
        name: statuses(
            run(led, "2020", as_of=D(2021, 1, 15), only=["local."], rules=[path]),
            "local.heart_talk",
        )
        for name, led in cases.items()
    }
    assert got == {
        "twice": {("b1", "2020"): "passed"},
        "one pair once": {("b1", "2020"): "failed"},
    }


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2020, 12, 31), "pending"), (D(2021, 1, 1), "failed")],
)
def test_heart_talk_pending_until_the_year_is_over(as_of: dt.date, status: str) -> None:
    led = talks_ledger(*pair_talks(ALL_PAIRS[1:]))
    assert heart_talk(led, as_of=as_of)["b1", "2020"].status.code == status
    # all pairs done: passed already, before the year is over
    led = talks_ledger(*pair_talks(ALL_PAIRS))
    assert heart_talk(led, as_of=D(2020, 7, 1))["b1", "2020"].status.code == "passed"


def test_heart_talk_in_a_half_year_check_is_not_failed_on_half_a_year() -> None:
    led = talks_ledger(*pair_talks(ALL_PAIRS[1:]))
    assert heart_talk(led, "2020H1")["b1", "2020"].status.code == "pending"


def test_a_ledger_without_talks_cannot_tell() -> None:
    f = heart_talk(talks_ledger())["b1", "2020"]
    assert f.status.code == "unknown"
    assert "台账中没有谈心谈话记录" in f.message
    assert "the ledger has no talks" in f.message_en


@pytest.mark.parametrize("b2_talks", [False, True])
def test_a_branch_whose_talks_the_ledger_does_not_keep_cannot_tell(b2_talks: bool) -> None:
    # b1 keeps its talks; b2's are kept elsewhere: b2 is unknown, as it would be alone, until
    # one talk between b2 members (of any year) shows the ledger keeps them
    led = ledger(
        branches=[branch("b1"), branch("b2", name="第二党支部")],
        members=[member("a1"), member("a2"), member("c1", branch="b2"), member("c2", branch="b2")],
        talks=[
            talk("a1", "a2", JUNE, id="ta"),
            # a talk across branches is no talk of either
            talk("a1", "c1", JUNE, id="across"),
            *([talk("c1", "c2", D(2019, 6, 1), id="tc")] if b2_talks else []),
        ],
    )
    found = heart_talk(led)
    assert found["b1", "2020"].status.code == "passed"
    f = found["b2", "2020"]
    assert f.status.code == ("failed" if b2_talks else "unknown")
    if not b2_talks:
        assert "台账未记录第二党支部党员之间的任何谈心谈话" in f.message
        assert "no heart-to-heart talk between members of b2" in f.message_en


def test_fewer_than_two_members_all_year_is_not_applicable() -> None:
    led = ledger(
        members=[
            member("m1"),
            member("new", status=MemberStatus.PROBATIONARY, admitted=D(2020, 3, 1)),
        ],
        talks=[talk("m1", "new", D(2020, 5, 1))],
    )
    f = heart_talk(led)["b1", "2020"]
    assert f.status.code == "not_applicable"
    assert "不足2名" in f.message


def test_heart_talk_applies_to_branches_only() -> None:
    led = ledger(
        branches=[branch("c1", level=OrgLevel.COMMITTEE), branch("b1", parent="c1")],
        members=[
            member("top", branch="c1"),
            member("top2", branch="c1"),
            member("m1"),
            member("m2"),
        ],
        # b1 keeps its talks (one of 2019), but none between its members in 2020
        talks=[talk("top", "top2", D(2020, 5, 1)), talk("m1", "m2", D(2019, 5, 1))],
    )
    assert statuses(
        run(led, "2020", as_of=D(2021, 1, 15), only=["branch.heart_talk"]), "branch.heart_talk"
    ) == {("b1", "2020"): "failed"}


def test_heart_talk_is_not_in_force_before_2018() -> None:
    led = talks_ledger(*pair_talks(ALL_PAIRS, D(2017, 5, 1)))
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
    # the ledger keeps training records (31.5 hours for "short"), so too few hours fail
    led = ledger(branches=[b], members=people, trainings=hours_records(2024, {"short": ["31.5"]}))
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
        ],
        trainings=[training("new", D(2019, 6, 1), "8")],  # the ledger keeps training hours
    )
    found = run(led, "2020", as_of=D(2021, 1, 10), only=["edu.hours"])
    assert statuses(found, "edu.hours") == {
        ("new", "2020"): "not_applicable",
        ("from_first_day", "2020"): "failed",
    }
