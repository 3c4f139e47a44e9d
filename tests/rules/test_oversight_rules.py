"""Boundary tests of the oversight rules: rectification.overdue, rectification.on_time and
rectification.evidence, and the pairing kind through user rule files (the "四联" joint
activities per half year, and yearly responsibility letters)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dangjian import (
    Gap,
    JointActivity,
    OrgLevel,
    PairingVillage,
    RectificationItem,
    RectificationSource,
    RectificationStatus,
    ResponsibilityLetter,
    check,
)
from dangjian.calendar import WorkingCalendar
from tests.builders.dues import D, branch, findings_of, ledger, run, statuses, write_rule_file

OPEN = RectificationStatus.OPEN
CLOSED = RectificationStatus.CLOSED
ONGOING = RectificationStatus.ONGOING


def item(
    id: str,
    *,
    deadline: dt.date | None,
    status: RectificationStatus = OPEN,
    closed: dt.date | None = None,
    raised: dt.date = dt.date(2020, 1, 10),
    measures: tuple[str, ...] = ("完善学习记录",),
    evidence: tuple[str, ...] = ("学习记录本",),
    branch: str | None = "b1",
    working_days: int | None = None,
) -> RectificationItem:
    return RectificationItem(
        id=id,
        source=RectificationSource.INSPECTION,
        raised=raised,
        problem=f"问题{id}",
        branch=branch,
        measures=measures,
        deadline=deadline,
        deadline_working_days=working_days,
        status=status,
        closed=closed,
        evidence=evidence,
    )


# -- rectification.overdue -------------------------------------------------------------------

# 2020Q2 judged after its end: the judging day is 2020-06-30
JUDGED = D(2020, 6, 30)


def test_overdue_deadline_on_the_judging_day_is_pending() -> None:
    led = ledger(
        rectifications=[
            item("on_day", deadline=JUDGED),
            item("day_before", deadline=JUDGED - dt.timedelta(days=1)),
            item("long_ago", deadline=D(2020, 2, 1)),
            item("later", deadline=D(2020, 9, 30)),
            item("no_deadline", deadline=None),
            item("closed_late", deadline=D(2020, 3, 1), status=CLOSED, closed=D(2020, 5, 1)),
            item("closed_early", deadline=D(2020, 3, 1), status=CLOSED, closed=D(2020, 2, 1)),
            item("closed_no_day", deadline=D(2020, 3, 1), status=CLOSED),
            item("ongoing", deadline=D(2020, 3, 1), status=ONGOING),
            # raised after the period: not judged in it
            item("future", deadline=D(2020, 7, 2), raised=D(2020, 7, 1)),
        ]
    )
    found = run(led, "2020Q2", as_of=D(2020, 12, 31), only=["rectification.overdue"])
    assert statuses(found, "rectification.overdue") == {
        ("on_day", "2020-06"): "pending",
        ("day_before", "2020-06"): "failed",
        ("long_ago", "2020-02"): "failed",
        ("later", "2020-09"): "pending",
    }
    table = findings_of(found, "rectification.overdue")
    assert table["day_before", "2020-06"].message == (
        "整改时限2020-06-29，截至2020-06-30已逾期1天未销号"
    )
    assert table["day_before", "2020-06"].message_en == (
        "due 2020-06-29, 1 days overdue on 2020-06-30"
    )
    assert table["on_day", "2020-06"].message == "整改时限2020-06-30，尚在整改中"
    assert table["day_before", "2020-06"].day == D(2020, 6, 29)
    assert table["day_before", "2020-06"].evidence == ("day_before", "学习记录本")


@pytest.mark.parametrize(
    ("as_of", "deadline", "status"),
    [
        (D(2020, 5, 15), D(2020, 5, 15), "pending"),
        (D(2020, 5, 15), D(2020, 5, 14), "failed"),
    ],
)
def test_overdue_judged_on_as_of_inside_the_period(
    as_of: dt.date, deadline: dt.date, status: str
) -> None:
    led = ledger(rectifications=[item("r", deadline=deadline)])
    found = run(led, "2020Q2", as_of=as_of, only=["rectification.overdue"])
    assert statuses(found, "rectification.overdue") == {("r", "2020-05"): status}


def test_overdue_item_closed_after_the_judging_day_was_open_on_it() -> None:
    """Checking a past period gives the same answer whenever the ledger was last updated: an
    item closed after the judging day was still open, and overdue, on that day."""
    led = ledger(
        rectifications=[
            item("closed_in_q3", deadline=D(2020, 5, 31), status=CLOSED, closed=D(2020, 8, 1)),
            item("due_in_q3", deadline=D(2020, 7, 31), status=CLOSED, closed=D(2020, 7, 20)),
        ]
    )
    found = run(led, "2020Q2", as_of=D(2020, 12, 31), only=["rectification.overdue"])
    assert statuses(found, "rectification.overdue") == {
        ("closed_in_q3", "2020-05"): "failed",
        ("due_in_q3", "2020-07"): "pending",
    }
    assert run(led, "2020Q3", as_of=D(2020, 12, 31), only=["rectification.overdue"]) == []


# -- rectification.on_time -------------------------------------------------------------------


def test_on_time_closed_on_the_deadline() -> None:
    deadline = D(2020, 5, 31)
    led = ledger(
        rectifications=[
            item("on_deadline", deadline=deadline, status=CLOSED, closed=deadline),
            item("day_late", deadline=deadline, status=CLOSED, closed=D(2020, 6, 1)),
            item("early", deadline=deadline, status=CLOSED, closed=D(2020, 4, 1)),
            item("no_deadline", deadline=None, status=CLOSED, closed=D(2020, 4, 1)),
            item("open", deadline=deadline),
            # closed before the period: judged in its own period
            item("before", deadline=D(2020, 3, 1), status=CLOSED, closed=D(2020, 3, 2)),
        ]
    )
    found = run(led, "2020Q2", as_of=D(2020, 12, 31), only=["rectification.on_time"])
    assert statuses(found, "rectification.on_time") == {
        ("on_deadline", "2020-05"): "passed",
        ("day_late", "2020-06"): "failed",
        ("early", "2020-04"): "passed",
    }
    table = findings_of(found, "rectification.on_time")
    assert table["day_late", "2020-06"].message == "整改时限2020-05-31，2020-06-01销号，逾期1天"
    assert table["on_deadline", "2020-05"].message == "整改时限2020-05-31，2020-05-31销号"
    assert table["day_late", "2020-06"].message_en == "due 2020-05-31, closed 2020-06-01, late"
    found = run(led, "2020Q1", as_of=D(2020, 12, 31), only=["rectification.on_time"])
    assert statuses(found, "rectification.on_time") == {("before", "2020-03"): "failed"}


# -- deadlines in working days ---------------------------------------------------------------

# Friday 2020-04-24; Sunday 2020-04-26 was a working day (调休 before 劳动节)
FRIDAY = D(2020, 4, 24)


@pytest.mark.parametrize(
    ("as_of", "status"), [(D(2020, 4, 26), "pending"), (D(2020, 4, 27), "failed")]
)
def test_a_deadline_in_working_days_counts_a_swapped_sunday(as_of: dt.date, status: str) -> None:
    led = ledger(rectifications=[item("r", deadline=None, raised=FRIDAY, working_days=1)])
    found = run(led, "2020Q2", as_of=as_of, only=["rectification.overdue"])
    assert statuses(found, "rectification.overdue") == {("r", "2020-04"): status}
    (f,) = found
    assert f.day == D(2020, 4, 26)
    if status == "failed":
        assert f.message == "整改时限2020-04-26（1个工作日），截至2020-04-27已逾期1天未销号"
        assert f.message_en == "due 2020-04-26 (1 working days), 1 days overdue on 2020-04-27"


@pytest.mark.parametrize(
    ("closed", "status"), [(D(2020, 5, 6), "passed"), (D(2020, 5, 7), "failed")]
)
def test_a_deadline_in_working_days_skips_the_holiday(closed: dt.date, status: str) -> None:
    # two working days after Wednesday 2020-04-29: 04-30, then 05-06 after 劳动节 (05-01 to 05)
    led = ledger(
        rectifications=[
            item(
                "r",
                deadline=None,
                raised=D(2020, 4, 29),
                working_days=2,
                status=CLOSED,
                closed=closed,
            )
        ]
    )
    found = run(led, "2020Q2", as_of=D(2020, 12, 31), only=["rectification.on_time"])
    assert statuses(found, "rectification.on_time") == {("r", "2020-05"): status}
    assert found[0].message.startswith("整改时限2020-05-06（2个工作日），")


def test_working_days_the_calendar_does_not_cover_are_unknown_and_say_why() -> None:
    led = ledger(rectifications=[item("r", deadline=None, raised=D(2020, 12, 21), working_days=9)])
    found = list(
        check(
            led,
            "2020Q4",
            as_of=D(2021, 3, 1),
            only=["rectification.overdue"],
            calendar=WorkingCalendar(years={2020}),
        )
    )
    assert statuses(found, "rectification.overdue") == {("r", "2020-12"): "unknown"}
    assert found[0].gap is Gap.DATES_MISSING
    assert found[0].message == (
        "整改时限为问题反馈日期2020-12-21后9个工作日，工作日历未收录所涉年份，无法确定截止日"
    )
    # eight working days stay within 2020 (12-22 … 12-31): judged
    led = ledger(rectifications=[item("r", deadline=None, raised=D(2020, 12, 21), working_days=8)])
    found = list(
        check(
            led,
            "2020Q4",
            as_of=D(2021, 3, 1),
            only=["rectification.overdue"],
            calendar=WorkingCalendar(years={2020}),
        )
    )
    assert statuses(found, "rectification.overdue") == {("r", "2020-12"): "pending"}


# -- rectification.evidence ------------------------------------------------------------------


def test_evidence_and_measures_on_closing() -> None:
    closed = {"status": CLOSED, "closed": D(2020, 5, 20), "deadline": D(2020, 5, 31)}
    led = ledger(
        rectifications=[
            item("complete", **closed),
            item("no_evidence", evidence=(), **closed),
            item("no_measures", measures=(), **closed),
            item("neither", measures=(), evidence=(), **closed),
            item("open_without", measures=(), evidence=(), deadline=D(2020, 5, 31)),
        ]
    )
    found = run(led, "2020Q2", as_of=D(2020, 12, 31), only=["rectification.evidence"])
    assert statuses(found, "rectification.evidence") == {
        ("complete", "2020-05"): "passed",
        ("no_evidence", "2020-05"): "failed",
        ("no_measures", "2020-05"): "failed",
        ("neither", "2020-05"): "failed",
    }
    table = findings_of(found, "rectification.evidence")
    assert table["no_evidence", "2020-05"].message == "已销号但缺少佐证材料"
    assert table["no_measures", "2020-05"].message == "已销号但缺少整改措施"
    assert table["neither", "2020-05"].message == "已销号但缺少整改措施、佐证材料"
    assert table["neither", "2020-05"].message_en == "closed without measures and evidence"
    assert table["complete", "2020-05"].message == "已销号，整改措施和佐证材料齐全"


def test_rectification_of_an_organisation_outside_the_rule_or_of_none() -> None:
    led = ledger(
        branches=[branch("b1"), branch("b2")],
        rectifications=[
            item("of_b2", deadline=D(2020, 5, 1), branch="b2"),
            item("of_nobody", deadline=D(2020, 5, 1), branch=None),
        ],
    )
    found = run(led, "2020Q2", as_of=D(2020, 12, 31), only=["rectification.overdue"])
    assert statuses(found, "rectification.overdue") == {
        ("of_b2", "2020-05"): "failed",
        ("of_nobody", "2020-05"): "failed",
    }
    f = findings_of(found, "rectification.overdue")["of_nobody", "2020-05"]
    assert f.subject.kind == "rectification"
    assert f.citations and f.citations[0].document == "整改方案"


# -- pairing: joint activities ---------------------------------------------------------------

FOUR = ("联学", "组织生活联过", "班子建设联建", "主题党日联办")

JOINT_RULE = """
[[rule]]
id = "local.four_joint"
kind = "pairing"
severity = "warning"
confidence = "local"
title = "结对共建“四联”每半年各开展1次"
title_en = "Each of the four joint activities once every half year"
params = { check = "joint_activities", kinds = ["联学", "组织生活联过", "班子建设联建", "主题党日联办"], per = "half" }
citations = [{ document = "结对共建实施方案", verified = false, note = "地方做法" }]
"""


@pytest.fixture
def joint_rule(tmp_path: Path) -> Path:
    return write_rule_file(tmp_path / "four.toml", JOINT_RULE)


def pairing(
    id: str,
    activities: list[tuple[dt.date, str]],
    *,
    since: dt.date = dt.date(2019, 1, 1),
    **kw: object,
) -> PairingVillage:
    return PairingVillage(
        id=id,
        county="X县",
        town="X镇",
        village=f"{id}村",
        branch="b1",
        since=since,
        activities=tuple(JointActivity(date=d, kind=k) for d, k in activities),
        **kw,  # type: ignore[arg-type]
    )


def test_joint_activities_all_four_each_half(joint_rule: Path) -> None:
    h1 = [D(2020, 1, 15), D(2020, 3, 1), D(2020, 5, 4), D(2020, 6, 30)]
    led = ledger(
        pairings=[
            pairing("all", [(d, k) for d, k in zip(h1, FOUR, strict=True)]),
            # the last kind held a day too late, in the second half
            pairing(
                "three",
                [(d, k) for d, k in zip(h1[:3], FOUR[:3], strict=True)]
                + [(D(2020, 7, 1), FOUR[3])],
            ),
            # the same kind four times is still one kind
            pairing("repeat", [(d, FOUR[0]) for d in h1]),
            # an activity of a kind not on the list does not count
            pairing("other", [(h1[0], "联谊")]),
            pairing(
                "mid_half", [(d, k) for d, k in zip(h1, FOUR, strict=True)], since=D(2020, 2, 1)
            ),
            pairing("ended", [(h1[0], FOUR[0])], until=D(2020, 6, 29)),
        ]
    )
    found = run(led, "2020", as_of=D(2020, 7, 10), rules=[joint_rule], only=["local.four_joint"])
    assert statuses(found, "local.four_joint") == {
        ("all", "2020H1"): "passed",
        ("all", "2020H2"): "pending",
        ("three", "2020H1"): "failed",
        ("three", "2020H2"): "pending",
        ("repeat", "2020H1"): "failed",
        ("repeat", "2020H2"): "pending",
        ("other", "2020H1"): "failed",
        ("other", "2020H2"): "pending",
        ("mid_half", "2020H1"): "not_applicable",
        ("mid_half", "2020H2"): "pending",
        ("ended", "2020H1"): "not_applicable",
        ("ended", "2020H2"): "not_applicable",
    }
    table = findings_of(found, "local.four_joint")
    need = "2020年上半年应开展：联学、组织生活联过、班子建设联建、主题党日联办"
    assert table["all", "2020H1"].message == f"{need}，均已开展"
    assert table["three", "2020H1"].message == f"{need}，缺少：主题党日联办"
    assert table["three", "2020H1"].message_en.endswith("; missing: 主题党日联办")
    assert (
        table["repeat", "2020H1"].message
        == f"{need}，缺少：组织生活联过、班子建设联建、主题党日联办"
    )
    assert "未全程存续" in table["mid_half", "2020H1"].message
    assert table["three", "2020H1"].citations[0].note == "地方做法"
    assert table["three", "2020H1"].subject.name == "X县X镇three村"


def test_joint_activities_second_half_failed_once_over(joint_rule: Path) -> None:
    led = ledger(pairings=[pairing("p", [(D(2020, 8, 1), k) for k in FOUR[:3]])])
    found = run(led, "2020H2", as_of=D(2021, 1, 1), rules=[joint_rule], only=["local.four_joint"])
    assert statuses(found, "local.four_joint") == {("p", "2020H2"): "failed"}
    found = run(led, "2020H2", as_of=D(2020, 12, 31), rules=[joint_rule], only=["local.four_joint"])
    assert statuses(found, "local.four_joint") == {("p", "2020H2"): "pending"}


# -- pairing: responsibility letters ---------------------------------------------------------

LETTERS_RULE = """
[[rule]]
id = "local.letters"
kind = "pairing"
severity = "warning"
confidence = "local"
title = "每年签订党建工作责任书"
title_en = "A responsibility letter is signed every year"
applies_to = { levels = ["branch"] }
params = { check = "letters", per = "year" }
citations = [{ document = "党建工作责任制实施办法", verified = false, note = "地方做法" }]
"""


def letter(id: str, year: int, signed: dt.date, org: str | None) -> ResponsibilityLetter:
    return ResponsibilityLetter(
        id=id,
        year=year,
        signed=signed,
        issuer="局党委",
        signatory="支部书记",
        branch=org,
        subject="抓基层党建工作责任书",
    )


def letters_ledger(*letters: ResponsibilityLetter):
    return ledger(
        branches=[
            branch("c1", level=OrgLevel.COMMITTEE),
            branch("b1", parent="c1"),
            branch("b2", parent="c1"),
            branch("b3", parent="c1"),
        ],
        responsibility_letters=letters,
    )


def test_letters_for_the_year(tmp_path: Path) -> None:
    rule = write_rule_file(tmp_path / "letters.toml", LETTERS_RULE)
    led = letters_ledger(
        letter("l1", 2020, D(2020, 2, 1), "b1"),
        letter("l2", 2019, D(2019, 2, 1), "b2"),  # last year's letter
        letter("l3", 2020, D(2019, 12, 20), "b3"),  # signed the year before, for 2020
        letter("l4", 2021, D(2021, 1, 20), "b1"),
    )
    found = run(led, "2020", as_of=D(2021, 1, 10), rules=[rule], only=["local.letters"])
    # the committee is not a branch: the rule does not apply to it
    assert statuses(found, "local.letters") == {
        ("b1", "2020"): "passed",
        ("b2", "2020"): "failed",
        ("b3", "2020"): "passed",
    }
    table = findings_of(found, "local.letters")
    assert table["b1", "2020"].message == "2020年度应签订责任书，已于2020-02-01签订"
    assert table["b2", "2020"].message == "2020年度应签订责任书，未见记录"
    assert (
        table["b2", "2020"].message_en
        == "a responsibility letter is signed for 2020; none recorded"
    )
    assert table["b1", "2020"].evidence == ("l1",)

    # the current year: pending until it is over, passed once signed
    found = run(led, "2021", as_of=D(2021, 6, 1), rules=[rule], only=["local.letters"])
    assert statuses(found, "local.letters") == {
        ("b1", "2021"): "passed",
        ("b2", "2021"): "pending",
        ("b3", "2021"): "pending",
    }


@pytest.mark.parametrize("reverse", [False, True])
def test_letters_message_does_not_depend_on_record_order(tmp_path: Path, reverse: bool) -> None:
    rule = write_rule_file(tmp_path / "letters.toml", LETTERS_RULE)
    letters = [
        letter("late", 2020, D(2020, 3, 5), "b1"),
        letter("early", 2020, D(2020, 1, 8), "b1"),
    ]
    if reverse:
        letters.reverse()
    found = run(
        letters_ledger(*letters), "2020", as_of=D(2021, 1, 10), rules=[rule], only=["local.letters"]
    )
    f = findings_of(found, "local.letters")["b1", "2020"]
    assert f.message == "2020年度应签订责任书，已于2020-01-08签订"
    assert f.evidence == ("early", "late")
