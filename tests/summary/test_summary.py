"""Work summaries: the figures counted from a ledger, the draft in Markdown, JSON and Word, the CLI.

Small ledgers built here pin down what counts (days at the period's bounds, overlaps, people
counted once, the "一年来" of projects, rectification items as they stood at the period's end, no
data as ``None``); the bundled example's figures are computed again from its records and compared
with the summary and with the table of docs/examples.md.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import dangjian
from dangjian import (
    Appraisal,
    AppraisalKind,
    DangjianError,
    Donation,
    Grade,
    HeartToHeartTalk,
    JointActivity,
    Ledger,
    Meeting,
    MeetingKind,
    PairingVillage,
    Period,
    PovertyProject,
    RectificationItem,
    RectificationSource,
    RectificationStatus,
    Report,
    ResponsibilityLetter,
    ServiceActivity,
    ServiceKind,
    StudyAudience,
    StudyForm,
    StudySession,
    VillageTraining,
    VillageVisit,
    VolunteerWork,
    WorkSummary,
    summarize,
)
from dangjian.cli import main
from dangjian.summary import PARTS, Count, Figure, Figures, Headcount, Section
from tests.builders import ROOT
from tests.builders.example import EXAMPLE, PLAN, WAIVERS, Example

DOC = ROOT / "docs" / "examples.md"
D = dt.date
AS_OF = D(2020, 7, 15)

MakeLedger = Callable[..., Ledger]


# -- builders ----------------------------------------------------------------------------------


def _study(
    id: str, day: dt.date, audience: StudyAudience = StudyAudience.CENTRE_GROUP, **kw: Any
) -> StudySession:
    return StudySession(id=id, audience=audience, branch="c1", date=day, **kw)


def _meeting(id: str, day: dt.date, kind: MeetingKind, **kw: Any) -> Meeting:
    return Meeting(id=id, kind=kind, branch="b1", date=day, **kw)


def _pairing(**kw: Any) -> PairingVillage:
    fields: dict[str, Any] = {
        "id": "p1",
        "county": "青山县",
        "town": "河口镇",
        "village": "柳树村",
        "branch": "b1",
        "since": D(2019, 1, 1),
        **kw,
    }
    return PairingVillage(**fields)


def _rect(id: str, raised: dt.date, **kw: Any) -> RectificationItem:
    return RectificationItem(
        id=id, source=RectificationSource.SUPERVISION, raised=raised, problem="问题", **kw
    )


def _task_force(
    id: str, start: dt.date, end: dt.date | None, *people: str, **kw: Any
) -> ServiceActivity:
    fields: dict[str, Any] = {"kind": ServiceKind.TASK_FORCE, "title": "党员突击队", **kw}
    return ServiceActivity(
        id=id, branch="c1", start=start, end=end, participants=tuple(people), **fields
    )


EDGES = (D(2019, 12, 31), D(2020, 1, 1), D(2020, 6, 30), D(2020, 7, 1))
"""The day before the first half of 2020, its first and last days, and the day after it."""


# -- what counts -------------------------------------------------------------------------------


def test_a_day_counts_from_the_first_to_the_last_of_the_period(make_ledger: MakeLedger) -> None:
    ledger = make_ledger(
        study_sessions=tuple(_study(f"s{i}", day) for i, day in enumerate(EDGES)),
        meetings=tuple(
            _meeting(f"{kind.code}{i}", day, kind)
            for kind in MeetingKind
            for i, day in enumerate(EDGES)
        ),
        talks=tuple(
            HeartToHeartTalk(id=f"t{i}", initiator="m1", partner="m2", date=day)
            for i, day in enumerate(EDGES)
        ),
    )
    s = summarize(ledger, "2020H1")
    assert s.centre_group_study == Count(
        value=2, dates=(D(2020, 1, 1), D(2020, 6, 30)), evidence=("s1", "s2")
    )
    assert s.all_members_study == Count(value=0)
    for figure, kind in [
        (s.general_meetings, MeetingKind.GENERAL_MEETING),
        (s.committee_meetings, MeetingKind.COMMITTEE_MEETING),
        (s.party_lectures, MeetingKind.PARTY_LECTURE),
        (s.theme_days, MeetingKind.THEME_DAY),
        (s.org_life_meetings, MeetingKind.ORG_LIFE_MEETING),
    ]:
        assert figure.value == 2
        assert figure.evidence == (f"{kind.code}1", f"{kind.code}2")
    assert s.talks.evidence == ("t1", "t2")
    # The day after belongs to the next half year.
    later = summarize(ledger, "2020H2")
    assert later.centre_group_study.evidence == ("s3",)
    assert later.talks.evidence == ("t3",)


def test_study_by_audience_form_and_platform(make_ledger: MakeLedger) -> None:
    day = D(2020, 3, 6)
    ledger = make_ledger(
        study_sessions=(
            _study("a", day, StudyAudience.ALL_MEMBERS, form=StudyForm.ONLINE, platform="学习强国"),
            _study(
                "b",
                day,
                StudyAudience.ALL_STAFF,
                form=StudyForm.FILM,
                topics=("观看专题教育片《榜样5》",),
            ),
            _study("c", day, StudyAudience.ALL_STAFF, form=StudyForm.FILM, topics=("警示教育片",)),
            _study("d", day, StudyAudience.ALL_STAFF, form=StudyForm.FILM),
            _study("e", day, StudyAudience.PARTY_GROUP, form=StudyForm.ONLINE, platform="学习强国"),
        )
    )
    s = summarize(ledger, "2020Q1")
    assert (s.centre_group_study.value, s.all_members_study.value, s.all_staff_study.value) == (
        0,
        1,
        3,
    )
    assert [(t.label, t.value, t.evidence) for t in s.study_forms] == [
        ("观看教育片", 3, ("b", "c", "d")),
        ("线上平台", 2, ("a", "e")),
    ]
    assert [(t.label, t.value) for t in s.study_platforms] == [("学习强国", 2)]
    assert [(f.title, f.session) for f in s.films] == [
        ("榜样5", "b"),
        ("警示教育片", "c"),
        (None, "d"),
    ]
    text = s.to_markdown()
    assert "组织观看《榜样5》《警示教育片》等专题教育片3部（部分片名未记录）" in text
    assert "第一季度中心组共学习0次，全体党员共学习1次，全体干部职工共学习3次" in text


def test_task_force_members_are_counted_once_over_activities_that_overlap(
    make_ledger: MakeLedger,
) -> None:
    ledger = make_ledger(
        service_activities=(
            _task_force("ends-on-first-day", D(2019, 12, 1), D(2020, 1, 1), "m1", "m2"),
            _task_force("open-ended", D(2019, 11, 1), None, "m2", "m3", title="防汛突击队"),
            _task_force("ended-before", D(2019, 11, 1), D(2019, 12, 31), "m4"),
            _task_force("starts-after", D(2020, 7, 1), D(2020, 8, 1), "m4"),
            ServiceActivity(
                id="volunteers",
                kind=ServiceKind.VOLUNTEER,
                title="志愿服务",
                branch="c1",
                start=D(2020, 3, 1),
                participants=("m4",),
            ),
        )
    )
    s = summarize(ledger, "2020H1")
    assert s.task_force == Headcount(
        value=3, members=("m1", "m2", "m3"), evidence=("ends-on-first-day", "open-ended")
    )
    assert s.task_force_titles == ("党员突击队", "防汛突击队")
    assert "3名党员参加党员突击队、防汛突击队。" in s.to_markdown()


def test_pairing_people_projects_and_village_work(make_ledger: MakeLedger) -> None:
    pairing = _pairing(
        first_secretary="m1",
        team_leader="m2",
        team_members=("m3", "m4"),
        projects=(
            PovertyProject(
                name="早", applied=D(2019, 6, 30), approved=D(2019, 6, 30), funds=Decimal("100000")
            ),
            PovertyProject(
                name="甲",
                applied=D(2019, 7, 1),
                approved=D(2020, 6, 30),
                funds=Decimal("125000"),
                partner="甲合作社",
            ),
            PovertyProject(
                name="乙",
                applied=D(2020, 6, 30),
                approved=D(2020, 7, 1),
                funds=Decimal("300000"),
                partner="乙公司",
            ),
            PovertyProject(name="丙", applied=D(2020, 7, 1), partner="丙公司"),
        ),
        trainings=(
            VillageTraining(date=D(2020, 1, 1), topic="种植", trainees=40),
            VillageTraining(date=D(2020, 6, 30), topic="养殖"),
            VillageTraining(date=D(2020, 7, 1), topic="电商", trainees=99),
        ),
        visits=(
            VillageVisit(
                date=D(2020, 1, 16),
                title="春节慰问",
                donations=(
                    Donation(item="面粉", quantity=Decimal("50"), unit="袋"),
                    Donation(item="棉衣", quantity=Decimal("20"), unit="件"),
                ),
            ),
            VillageVisit(
                date=D(2020, 6, 1),
                title="儿童节慰问",
                donations=(
                    Donation(item="面粉", quantity=Decimal("10"), unit="袋"),
                    Donation(item="面粉", quantity=Decimal("2.5"), unit="吨"),
                ),
            ),
            VillageVisit(
                date=D(2020, 7, 1),
                title="七一慰问",
                donations=(Donation(item="面粉", quantity=Decimal("99"), unit="袋"),),
            ),
        ),
        volunteer_work=(
            VolunteerWork(date=D(2020, 6, 30), title="清扫", volunteers=("m1", "m2")),
            VolunteerWork(date=D(2020, 5, 1), title="植树", volunteers=("m2", "m3")),
            VolunteerWork(date=D(2020, 7, 1), title="修路", volunteers=("m4",)),
        ),
        activities=(
            JointActivity(date=D(2020, 3, 1), kind="联学"),
            JointActivity(date=D(2020, 4, 1), kind="主题党日联办"),
            JointActivity(date=D(2020, 5, 1), kind="联学"),
            JointActivity(date=D(2020, 7, 1), kind="联学"),
        ),
    )
    s = summarize(make_ledger(pairings=(pairing,)), "2020H1")
    assert s.villages == ("青山县河口镇柳树村",)
    assert s.leaders == Headcount(value=2, members=("m1", "m2"), evidence=("p1",))
    assert (s.first_secretaries.value, s.team_leaders.value, s.team_members.value) == (1, 1, 2)
    # 一年来: from 2019-07-01 to 2020-06-30, both ends included.
    assert s.projects_since == D(2019, 7, 1)
    assert s.projects_applied.evidence == ("p1.projects[1]", "p1.projects[2]")
    assert s.projects_approved.evidence == ("p1.projects[1]",)
    assert s.project_partners == ("甲合作社", "乙公司")
    assert s.funds_won.yuan == Decimal("125000")
    assert s.funds_won.wan == Decimal("12.5")
    assert s.village_trainings.value == 2
    assert s.village_trainees == 40
    assert s.visits.dates == (D(2020, 1, 16), D(2020, 6, 1))
    assert [(d.item, d.quantity, d.unit, d.evidence) for d in s.donations] == [
        ("面粉", Decimal("60"), "袋", ("p1.visits[0]", "p1.visits[1]")),
        ("棉衣", Decimal("20"), "件", ("p1.visits[0]",)),
        ("面粉", Decimal("2.5"), "吨", ("p1.visits[1]",)),
    ]
    assert s.volunteer_work.value == 2
    assert s.volunteers.members == ("m1", "m2", "m3")
    assert [(t.label, t.value) for t in s.joint_activities] == [("联学", 2), ("主题党日联办", 1)]
    text = s.to_markdown()
    assert "争取扶贫资金12.5万元" in text
    assert "帮助2家企业申报扶贫项目2个，获批1个" in text
    assert "选派2名党员干部任帮扶村第一书记、帮扶工作队队长（第一书记1名，工作队队长1名）" in text
    assert "1月16日、6月1日走访慰问帮扶村，赠送面粉60袋、棉衣20件、面粉2.5吨" in text
    assert "与村党支部开展共建活动3次：联学2次、主题党日联办1次" in text


def test_a_first_secretary_who_leads_the_team_is_one_person(make_ledger: MakeLedger) -> None:
    s = summarize(
        make_ledger(
            pairings=(_pairing(first_secretary="m1", team_leader="m1", team_members=("m2",)),)
        ),
        "2020H1",
    )
    assert s.leaders == Headcount(value=1, members=("m1",), evidence=("p1",))
    assert (
        "选派1名党员干部任帮扶村第一书记兼帮扶工作队队长，1名同志任队员驻村帮扶" in s.to_markdown()
    )


def test_a_pairing_over_before_the_period_gives_no_data(make_ledger: MakeLedger) -> None:
    ledger = make_ledger(
        pairings=(
            _pairing(
                until=D(2019, 12, 31),
                first_secretary="m1",
                projects=(
                    PovertyProject(
                        name="甲", applied=D(2019, 10, 1), approved=D(2019, 11, 1), funds=Decimal(1)
                    ),
                ),
            ),
        )
    )
    s = summarize(ledger, "2020H1")
    assert s.villages == ()
    assert s.leaders.value is None
    assert s.funds_won.yuan is None
    assert s.visits.value is None
    text = s.to_markdown()
    # the part follows the data: without a paired village there is no 结对共建 part at all
    assert "结对" not in text.replace("结对帮扶", "")
    assert "四、开展结对共建" not in text
    assert "## 四、存在的不足和下半年打算" in text
    assert text.split("## 需补充的数据\n", 1)[1].split("\n## ")[0].count("\n- ") == 1


def test_rectification_items_as_they_stood_at_the_period_end(make_ledger: MakeLedger) -> None:
    closed = RectificationStatus.CLOSED
    ledger = make_ledger(
        rectifications=(
            _rect(
                "closed-in",
                D(2019, 10, 1),
                deadline=D(2020, 3, 31),
                status=closed,
                closed=D(2020, 3, 1),
            ),
            _rect(
                "closed-after",
                D(2020, 2, 1),
                deadline=D(2020, 5, 31),
                status=closed,
                closed=D(2020, 7, 1),
            ),
            _rect("overdue", D(2020, 2, 1), deadline=D(2020, 6, 29)),
            _rect("due-last-day", D(2020, 2, 1), deadline=D(2020, 6, 30)),
            _rect("ongoing", D(2019, 1, 1), status=RectificationStatus.ONGOING),
            _rect("raised-after", D(2020, 7, 1), deadline=D(2020, 7, 2)),
            _rect(
                "closed-before",
                D(2019, 1, 1),
                status=closed,
                closed=D(2019, 2, 1),
                follow_ups=(dangjian.FollowUp(date=D(2020, 6, 30), finding="巩固"),),
            ),
        )
    )
    s = summarize(ledger, "2020H1")
    assert s.rectifications_raised.evidence == ("closed-after", "overdue", "due-last-day")
    assert s.rectifications_closed.evidence == ("closed-in",)
    assert s.rectifications_revisited.evidence == ("closed-before",)
    assert s.rectifications_open.evidence == ("closed-after", "overdue", "due-last-day")
    assert s.rectifications_overdue.evidence == ("closed-after", "overdue")
    assert s.rectifications_overdue.dates == (D(2020, 5, 31), D(2020, 6, 29))
    assert s.rectifications_ongoing.evidence == ("ongoing",)
    text = s.to_markdown()
    assert "截至2020年6月30日，仍在整改3个，其中超过整改时限2个；另有1个长期坚持。" in text
    assert (
        "已超过整改时限的2个问题（closed-after、overdue）尽快整改销号；其余1个在改问题按时限推进"
        in text
    )


def test_letters_and_appraisals(make_ledger: MakeLedger) -> None:
    letter = ResponsibilityLetter(
        id="l",
        year=2020,
        signed=D(2020, 6, 30),
        issuer="局党委",
        signatory="甲",
        subject="党建责任书",
    )
    ledger = make_ledger(
        responsibility_letters=(
            letter,
            ResponsibilityLetter(
                id="l2",
                year=2020,
                signed=D(2020, 6, 30),
                issuer="局党委",
                signatory="乙",
                subject="党建责任书",
            ),
            ResponsibilityLetter(
                id="l3",
                year=2021,
                signed=D(2020, 7, 1),
                issuer="局党委",
                signatory="丙",
                subject="下年责任书",
            ),
        ),
        appraisals=(
            Appraisal(
                id="a1",
                kind=AppraisalKind.SECRETARY_REPORT,
                date=D(2020, 1, 1),
                member="m1",
                branch="c1",
                grade=Grade.GOOD,
            ),
            Appraisal(
                id="a2",
                kind=AppraisalKind.MEMBER_APPRAISAL,
                date=D(2020, 1, 2),
                member="m2",
                branch="b1",
                grade=Grade.GOOD,
            ),
            Appraisal(
                id="a3",
                kind=AppraisalKind.SECRETARY_REPORT,
                date=D(2019, 12, 31),
                member="m1",
                branch="c1",
                grade=Grade.GOOD,
            ),
        ),
    )
    s = summarize(ledger, "2020H1")
    assert s.letters == Count(value=2, dates=(D(2020, 6, 30),), evidence=("l", "l2"))
    assert s.letter_subjects == ("党建责任书",)
    assert s.secretary_reports.evidence == ("a1",)
    assert s.member_appraisals.evidence == ("a2",)
    assert (
        "一是落实党建工作责任。1月1日组织党组织书记抓党建工作述职评议1人次；民主测评党员1人次；"
        "6月30日签订《党建责任书》2份。"
    ) in s.to_markdown()


def test_no_records_of_a_kind_means_no_data_not_zero() -> None:
    empty = Ledger(name="空台账")
    s = summarize(empty, "2020H1")
    for figure in (
        s.centre_group_study,
        s.general_meetings,
        s.talks,
        s.secretary_reports,
        s.letters,
        s.rectifications_open,
        s.projects_applied,
        s.visits,
    ):
        assert figure.value is None
    assert s.task_force.value is None
    assert s.study_note_min_wan_zi is None
    text = s.to_markdown()
    assert "X" not in text
    # what has no data is listed once for the user, and not said again in the prose
    prose, missing = text.split("## 需补充的数据\n", 1)
    assert "无数据" not in prose
    missing = missing.split("\n## ", 1)[0]
    for item in (
        "中心组学习",
        "党员大会",
        "谈心谈话",
        "学习笔记字数",
        "新收到反馈问题",
        "党员突击队",
    ):
        assert missing.count(f"\n- {item}\n") == 1, item
    assert "| 二 | 中心组学习 | 无数据 | — |" in text
    assert s.missing()[:3] == ["述职评议", "民主测评", "签订责任书"]


def test_a_report_of_another_period_is_refused(make_ledger: MakeLedger) -> None:
    report = dangjian.check(make_ledger(), "2020Q1", as_of=AS_OF, only=["branch.congress"])
    with pytest.raises(DangjianError, match="2020年第一季度"):
        summarize(make_ledger(), "2020H1", report=report)


# -- the bundled example -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger(example: Example) -> Ledger:
    return example.ledger


@pytest.fixture(scope="module")
def report(example: Example) -> Report:
    return example.report


@pytest.fixture(scope="module")
def summary(ledger: Ledger, report: Report) -> WorkSummary:
    return summarize(ledger, "2020H1", report=report)


def _independent(ledger: Ledger) -> dict[str, str]:
    """The figures of the example computed straight from its records, without the summary."""
    pairing = ledger.pairings[0]
    visit = pairing.visits[0]
    donated = {d.item: d.quantity for d in visit.donations}
    approved = [p for p in pairing.projects if p.approved is not None]

    def meetings(kind: MeetingKind) -> int:
        return sum(m.kind is kind for m in ledger.meetings)

    def studies(audience: StudyAudience) -> int:
        return sum(s.audience is audience for s in ledger.study_sessions)

    return {
        "上半年中心组共学习X次": str(studies(StudyAudience.CENTRE_GROUP)),
        "全体党员共学习X次": str(studies(StudyAudience.ALL_MEMBERS)),
        "全体职工共学习X次": str(studies(StudyAudience.ALL_STAFF)),
        "《XXX》《XXX》《XXX》等专题教育片": str(
            sum(s.form is StudyForm.FILM for s in ledger.study_sessions)
        ),
        "X名党员踊跃报名": str(
            len(
                {
                    p
                    for s in ledger.service_activities
                    if s.kind is ServiceKind.TASK_FORCE
                    for p in s.participants
                }
            )
        ),
        "召开党员大会X次": str(meetings(MeetingKind.GENERAL_MEETING)),
        "支委员会X次": str(meetings(MeetingKind.COMMITTEE_MEETING)),
        "讲党课X次": str(meetings(MeetingKind.PARTY_LECTURE)),
        "落实主题党日活动X次": str(meetings(MeetingKind.THEME_DAY)),
        "推荐X名党性强、业务能力强的党员干部": str(
            len({pairing.first_secretary, pairing.team_leader} - {None})
        ),
        "X名同志为队员": str(len(pairing.team_members)),
        "帮助有能力的X企业": str(len({p.partner for p in pairing.projects} - {None})),
        "共申报扶贫项目X个": str(len(pairing.projects)),
        "争取到了X扶贫资X万元": f"{sum(p.funds or 0 for p in approved) / 10000:g}",
        "X月X日": f"{visit.date.month}月{visit.date.day}日",
        "X县X镇X村": pairing.place,
        "面粉X袋": f"{donated['面粉']:g}",
        "棉衣X件": f"{donated['棉衣']:g}",
    }


def _from_summary(s: WorkSummary) -> dict[str, str]:
    """The same figures as the summary has them."""
    donated = {d.item: d.quantity for d in s.donations}
    visit = s.visits.dates[0]
    assert s.funds_won.wan is not None
    return {
        "上半年中心组共学习X次": str(s.centre_group_study.value),
        "全体党员共学习X次": str(s.all_members_study.value),
        "全体职工共学习X次": str(s.all_staff_study.value),
        "《XXX》《XXX》《XXX》等专题教育片": str(len(s.films)),
        "X名党员踊跃报名": str(s.task_force.value),
        "召开党员大会X次": str(s.general_meetings.value),
        "支委员会X次": str(s.committee_meetings.value),
        "讲党课X次": str(s.party_lectures.value),
        "落实主题党日活动X次": str(s.theme_days.value),
        "推荐X名党性强、业务能力强的党员干部": str(s.leaders.value),
        "X名同志为队员": str(s.team_members.value),
        "帮助有能力的X企业": str(len(s.project_partners)),
        "共申报扶贫项目X个": str(s.projects_applied.value),
        "争取到了X扶贫资X万元": f"{s.funds_won.wan:g}",
        "X月X日": f"{visit.month}月{visit.day}日",
        "X县X镇X村": s.villages[0],
        "面粉X袋": f"{donated['面粉']:g}",
        "棉衣X件": f"{donated['棉衣']:g}",
    }


_ROW = re.compile(r"^\| (?P<phrase>[^|]+?) \| (?P<figure>[^|]+?) \|", re.MULTILINE)
NOTES = "党员干部学习笔记均在X万字以上"


def _doc_table() -> dict[str, str]:
    """The table "The X's at a glance" of docs/examples.md: phrase → figure."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("The X's at a glance\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for match in _ROW.finditer(section):
        phrase = match["phrase"].strip("…“” ")
        if phrase == "The seed says" or set(phrase) <= {"-", " "}:
            continue
        rows[phrase] = match["figure"].strip()
    return rows


def test_the_example_figures_are_those_of_the_docs(ledger: Ledger, summary: WorkSummary) -> None:
    documented = _doc_table()
    # The notes' 1万字 is only the text of a rectification measure, not a record of notes: the
    # summary must not take it for data.
    assert documented.pop(NOTES) == "1"
    assert summary.study_note_min_wan_zi is None
    assert _from_summary(summary) == _independent(ledger) == documented


def test_the_example_figures_the_docs_table_does_not_list(summary: WorkSummary) -> None:
    assert (summary.org_life_meetings.value, summary.talks.value) == (3, 27)
    assert summary.org_life_topics == ("坚定理想信念、严守党纪党规",)
    assert (summary.secretary_reports.value, summary.letters.value) == (3, 4)
    assert summary.letters.dates == (D(2020, 5, 12),)
    assert summary.rectifications_overdue.evidence == ("kh-2020-02",)
    assert (summary.rectifications_raised.value, summary.rectifications_closed.value) == (4, 2)
    assert summary.projects_approved.value == 2
    assert [(t.label, t.value) for t in summary.study_platforms] == [
        ("学习强国", 4),
        ("甘肃党建", 1),
    ]
    assert [f.title for f in summary.films] == ["国家监察", "巡视利剑", "榜样4"]
    assert [(t.label, t.value) for t in summary.joint_activities] == [
        ("班子建设联建", 1),
        ("联学", 2),
        ("主题党日联办", 1),
        ("组织生活联过", 1),
    ]
    assert [(t.label, t.value) for t in summary.theme_day_actions][:3] == [
        ("重温入党志愿书", 3),
        ("思想交流", 3),
        ("集体宣誓", 3),
    ]
    assert (summary.volunteer_work.value, summary.volunteers.value) == (1, 10)
    assert (summary.village_trainings.value, summary.village_trainees) == (2, 83)


# -- the summary as data -----------------------------------------------------------------------


def test_figures_are_in_sections_and_found_by_key(summary: WorkSummary) -> None:
    assert [str(s.heading) for s in summary.sections] == list(PARTS)
    assert [s.key for s in summary.sections] == [
        "leadership",
        "study",
        "standards",
        "pairing",
        "shortcomings",
    ]
    study = summary["centre_group_study"]
    assert summary.figure("centre_group_study") is study
    assert (study.label_in(), study.value, study.unit_in()) == ("中心组学习", 6, "次")
    assert (study.label_in("en"), study.unit_in("en")) == ("centre group study", "times")
    assert study.sources == summary.centre_group_study.evidence
    assert study.data is summary.centre_group_study  # the old attribute is the figure's record
    funds = summary["funds_won"]
    assert (funds.value, funds.unit_in(), funds.sources) == (
        Decimal(80),
        "万元",
        ("yjc.projects[0]", "yjc.projects[1]"),
    )
    assert summary["leaders"].members == ("m206",)
    assert [
        (p.label, p.value, p.unit) for p in summary["donations"].parts or ()
    ] == [  # ledger text
        ("面粉", Decimal(60), "袋"),
        ("棉衣", Decimal(20), "件"),
    ]
    assert "talks" in summary and "no_such_figure" not in summary
    with pytest.raises(KeyError):
        summary["no_such_figure"]
    with pytest.raises(AttributeError, match="no_such_figure"):
        _ = summary.no_such_figure
    assert "centre_group_study" in dir(summary)
    assert summary.section("pairing").figures[0].key == "villages"


def test_the_json_keys_are_the_figures_keys_in_order(summary: WorkSummary) -> None:
    keys = summary.keys()
    assert len(set(keys)) == len(keys) == 51
    assert list(summary.to_data()) == ["organisation", "period", *keys]
    assert keys[:3] == ("secretary_reports", "member_appraisals", "letters")
    assert keys[-4:] == ("check_line", "failed", "waived", "unknown")


def test_the_table_has_a_row_for_each_listed_figure_and_part(summary: WorkSummary) -> None:
    expected = [
        (str(section.mark), label)
        for section in summary.sections
        for f in section.figures
        if f.listed
        for label in (
            [f.label_in()] if f.parts is None else [f"{f.label}：{p.label_in()}" for p in f.parts]
        )
    ]
    table = summary.to_markdown().split("## 附：数据来源\n", 1)[1]
    rows = [tuple(c.strip() for c in line.split("|")[1:3]) for line in table.splitlines()[3:]]
    assert rows == expected
    # every figure a template may show has a label; details are not in the table
    assert all(f.label_in() and f.label_in("en") for f in summary.figures())
    assert {f.key for f in summary.figures() if not f.listed} >= {"villages", "failed"}


def test_the_glossary_lists_every_figure_by_key(summary: WorkSummary) -> None:
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    table = glossary.split("#### 数字 The figures, by key\n", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", table, flags=re.MULTILINE)
    assert [key for key, _ in rows] == list(summary.keys())


def test_a_template_can_iterate_the_sections(summary: WorkSummary) -> None:
    lines = [
        f"{f.label}：{'无数据' if f.value is None else f'{f.value}{f.unit}'}"
        for section in summary.sections
        for f in section.figures
        if f.listed and f.parts is None
    ]
    assert "中心组学习：6次" in lines
    assert "学习笔记字数：无数据" in lines


def test_a_part_without_data_is_named_once(make_ledger: MakeLedger) -> None:
    s = summarize(make_ledger(pairings=()), "2020H1")
    pairing = s.section("pairing")
    assert pairing.missing() == ["结对帮扶"]
    assert pairing.missing("en") == s.missing("en")[-1:] == ["poverty-relief pairing"]
    assert all(f.value is None for f in pairing.figures if f.listed)


def test_figure_keys_are_unique_and_leave_the_summary_its_own_names() -> None:
    period = Period.parse("2020H1")

    def section(*keys: str) -> Section:
        return Section(
            key="s", mark="一", heading="一、", figures=tuple(Figure(key=k, label=k) for k in keys)
        )

    Figures(organisation="o", period=period, sections=(section("a", "b"),))
    with pytest.raises(ValueError, match="a"):
        Figures(organisation="o", period=period, sections=(section("a"), section("a")))
    with pytest.raises(ValueError, match="period"):
        Figures(organisation="o", period=period, sections=(section("period"),))


def test_the_figures_import_no_writer() -> None:
    """The data module knows nothing of the draft: the writers read it (no import circle)."""
    source = Path(dangjian.summary.figures.__file__).read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {m for m in imported if m.startswith("dangjian.summary")}


# -- the draft ---------------------------------------------------------------------------------


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_markdown_has_the_five_parts_and_every_figure(summary: WorkSummary) -> None:
    text = summary.to_markdown()
    assert text.startswith("# 市X局机关党委2020年上半年党建工作总结（初稿）\n")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [*PARTS, "需补充的数据", "附：规则检查明细", "附：数据来源"]
    # The only X left is the bureau's own name, which is the ledger's data.
    assert "X" not in text.replace("市X局", "")
    for figure in (
        "上半年中心组共学习6次，全体党员共学习11次，全体干部职工共学习20次",
        "组织观看《国家监察》《巡视利剑》《榜样4》等专题教育片3部",
        "18名党员参加“抗击疫情”党员突击队",
        "召开党员大会6次，支委会17次，党小组会0次，讲党课7次，开展主题党日活动16次",
        "开展谈心谈话27次；召开组织生活会3次",
        "选派1名党员干部任帮扶村第一书记兼帮扶工作队队长，2名同志任队员驻村帮扶",
        "帮助2家企业申报扶贫项目3个，获批2个，争取扶贫资金80万元",
        "1月16日走访慰问帮扶村，赠送面粉60袋、棉衣20件",
        "1月9日组织党组织书记抓党建工作述职评议3人次",
        "5月12日签订《2020年市X局直属党组织书记抓基层党建工作责任书》4份",
        "近一年来（2019年7月1日至2020年6月30日）",
        "\n- 学习笔记字数\n",  # in 需补充的数据
    ):
        assert figure in text, figure
    # records named by kind, day and id, never by an internal path (yjc.projects[0])
    assert (
        "| 四 | 争取扶贫资金 | 80万元 | 扶贫项目：2019年9月16日（yjc）、2019年11月5日（yjc） |"
        in text
    )
    assert "| 三 | 主题党日 | 16次 | 主题党日：1月10日（jg1-ztdr-2020-01）、1月15日（jg2-" in text
    assert (
        "| 一 | 述职评议 | 3人次 | 述职评议：1月9日（sp-2019-jg1、sp-2019-jg2、sp-2019-zx） |"
        in text
    )
    assert "：韩磊（m206） |" in text  # a person counted: by name, the id after it
    assert "| 三 | 收缴党费 | 15,433.40元 | 见下6行（各月党费） |" in text  # not listed twice
    assert not re.search(r"\w\.\w+\[\d+\]", text)
    assert "| 二 | 学习笔记字数 | 无数据 | — |" in text


def test_the_failures_of_the_check_are_listed_under_shortcomings(
    summary: WorkSummary, report: Report
) -> None:
    sections = _sections(summary.to_markdown())
    shortcomings, appendix = sections[PARTS[4]], sections["附：规则检查明细"]
    found, plans = shortcomings.split("（二）下半年打算")
    # the check's line, as of a day written as the calendar writes it
    assert "（截至2020年7月15日，规则集 organ）：符合" in found
    assert report.summary_line().split("：", 1)[1] + "。" in found
    # one group per rule and severity: a back payment of dues is a warning of an error rule
    failed: dict[tuple[str, str], int] = {}
    for f in report.failed:
        failed[f.rule, f.severity.label] = failed.get((f.rule, f.severity.label), 0) + 1
    assert failed == {(g.rule, g.severity.label): g.count for g in summary.failed}
    assert ("dues.monthly", "警告") in failed and ("dues.monthly", "错误") in failed
    for (rule, severity), n in failed.items():
        # the prose names the rule by its title; its id is in the appendix
        line = next(
            line
            for line in found.splitlines()
            if line.startswith(f"- {report.title(rule)}（{severity}）")
        )
        assert f"不符合{n}项" in line
        assert f"- {rule}（{report.title(rule)}，不符合要求，{severity}）：{n}项" in appendix
    assert not re.search(r"[a-z]+\.[a-z_]+", found)
    waived_part = found.split("以下经批准豁免，不计入不足：", 1)[1]
    assert (
        "- 每月相对固定1天开展主题党日：2项，理由：新冠肺炎疫情防控期间暂停集中性活动（市直机关工委批准）"
        in waived_part
    )
    assert "- branch.theme_day（每月相对固定1天开展主题党日，经批准豁免）：2项" in appendix
    assert "针对上述4类不符合项逐项整改" in plans
    assert "已超过整改时限的1个问题（kh-2020-02）尽快整改销号" in plans


def test_without_a_report_the_draft_says_so(ledger: Ledger) -> None:
    s = summarize(ledger, "2020H1")
    assert s.failed == s.waived == ()
    assert "本稿未附规则检查结果" in _sections(s.to_markdown())[PARTS[4]]


def test_a_clean_check_says_nothing_failed(make_ledger: MakeLedger) -> None:
    ledger = make_ledger()
    report = Report(findings=(), period=Period.parse("2020H1"), as_of=AS_OF, profile="national")
    assert (
        "检查未发现不符合要求的项目。" in summarize(ledger, "2020H1", report=report).to_markdown()
    )


def test_json_round_trips(summary: WorkSummary) -> None:
    data = json.loads(summary.to_json())
    assert data == summary.to_data()
    assert data["period"] == "2020H1"
    assert data["centre_group_study"] == {
        "value": 6,
        "dates": [d.isoformat() for d in summary.centre_group_study.dates],
        "evidence": list(summary.centre_group_study.evidence),
    }
    assert data["funds_won"] == {
        "yuan": "800000",
        "evidence": ["yjc.projects[0]", "yjc.projects[1]"],
    }
    assert Decimal(data["funds_won"]["yuan"]) == summary.funds_won.yuan
    assert data["study_note_min_wan_zi"] is None
    assert data["visits"]["dates"] == ["2020-01-16"]
    assert data["donations"][0] == {
        "item": "面粉",
        "quantity": "60",
        "unit": "袋",
        "evidence": ["yjc.visits[0]"],
    }
    assert data["failed"][0]["severity"] == "warning"
    assert data["waived"][0]["reasons"]


def test_docx_is_written_and_reads_back(summary: WorkSummary, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    path = tmp_path / "总结.docx"
    summary.to_docx(path)
    document = docx.Document(str(path))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == [*PARTS, "需补充的数据", "附：规则检查明细", "附：数据来源"]
    subheadings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert subheadings == ["（一）存在的不足", "（二）下半年打算"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "上半年中心组共学习6次" in body
    assert "无数据" not in body
    assert "X" not in body.replace("市X局", "")
    [table] = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["部分", "项目", "数字", "来源记录"]
    assert [
        "四",
        "争取扶贫资金",
        "80万元",
        "扶贫项目：2019年9月16日（yjc）、2019年11月5日（yjc）",
    ] in cells
    assert ["四", "慰问物资：面粉", "60袋", "走访慰问：1月16日（yjc）"] in cells
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_docx_without_python_docx_says_what_to_install(
    summary: WorkSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(DangjianError, match=re.escape('pip install "dangjian[docx]"')):
        summary.to_docx(tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


# -- the command line --------------------------------------------------------------------------

CHECK_ARGS = [
    "--period",
    "2020H1",
    "--as-of",
    "2020-07-15",
    "--profile",
    "organ",
    "--rules",
    str(PLAN),
    "--waivers",
    str(WAIVERS),
]


def test_cli_prints_the_markdown_draft(
    capsys: pytest.CaptureFixture[str], summary: WorkSummary
) -> None:
    assert main(["summary", str(EXAMPLE), *CHECK_ARGS]) == 0
    out, err = capsys.readouterr()
    # only the note that the waiver of a finding that cannot be told was not applied
    assert [line.split(": ")[1] for line in err.splitlines()] == ["提示：豁免未适用"]
    assert out == summary.to_markdown()


def test_cli_writes_json_and_docx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "summary.json"
    assert (
        main(["summary", str(EXAMPLE), *CHECK_ARGS, "--format", "json", "--output", str(target)])
        == 0
    )
    out, _ = capsys.readouterr()
    assert out.startswith(f"{target}：2020年上半年（截至2020-07-15，规则集 organ）")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["theme_days"]["value"] == 16
    assert {g["rule"] for g in data["failed"]} == {
        "branch.group_mtg",
        "dues.salaried",
        "dues.monthly",
        "rectification.overdue",
    }
    pytest.importorskip("docx")
    doc = tmp_path / "summary.docx"
    assert (
        main(["summary", str(EXAMPLE), *CHECK_ARGS, "--format", "docx", "--output", str(doc)]) == 0
    )
    assert doc.stat().st_size > 0


def test_cli_json_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "summary",
                str(EXAMPLE),
                "--period",
                "2020Q2",
                "--as-of",
                "2020-07-15",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2020Q2"
    assert data["centre_group_study"]["value"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2020H1", "--format", "docx"], "--output"),
        (["--period", "2020X1"], "2020X1"),
    ],
)
def test_cli_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["summary", str(EXAMPLE), *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert err


def test_cli_unknown_profile_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A profile that is neither shipped nor a file is refused by the argument parser, as every
    bad option is: exit 2, the valid profiles named."""
    with pytest.raises(SystemExit) as caught:
        main(["summary", str(EXAMPLE), "--period", "2020H1", "--profile", "no-such-profile"])
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "no-such-profile" in err and "national" in err


def test_cli_bad_ledger_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: 坏台账\nmeetings:\n- {id: x, kind: theme_day, branch: nowhere, date: 2020-02-30}\n",
        encoding="utf-8",
    )
    assert main(["summary", str(bad), "--period", "2020H1"]) == 2
    assert "meetings[0]" in capsys.readouterr().err
    assert main(["summary", str(tmp_path / "missing.yaml"), "--period", "2020H1"]) == 2


def test_cli_docx_without_python_docx_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    args = ["summary", str(EXAMPLE), "--period", "2020H1", "--as-of", "2020-07-15"]
    assert main([*args, "--format", "docx", "--output", str(tmp_path / "x.docx")]) == 2
    assert 'pip install "dangjian[docx]"' in capsys.readouterr().err


# -- other languages ---------------------------------------------------------------------------


def test_the_draft_in_english_comes_from_the_catalog(summary: WorkSummary, tmp_path: Path) -> None:
    text = summary.to_markdown("en")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings[0] == "1. Strengthening leadership and the responsibility for Party building"
    assert headings[-1] == "Appendix: where the figures come from"
    assert "| Part | Figure | Value | Records |" in text
    assert (
        "| 4 | poverty-relief funds won | 80 ten-thousand yuan "
        "| projects: Sep 16, 2019 (yjc), Nov 5, 2019 (yjc) |"
    ) in text
    assert "the centre group studied 6 times, all members 11 times" in text
    assert "## Data to be added" in text
    assert "\n- length of study notes\n" in text
    # part five: the check's line and the rules' titles in the languages the report has them
    assert (
        "The ledger was checked against the rules. first half of 2020 (as of Jul 15, 2020," in text
    )
    assert "- Salaried members pay dues" in text
    assert "(error): 6 failed, concerning 袁志强" in text
    assert "- dues.salaried (Salaried members pay dues" in text  # the rule id in the appendix
    # the ledger's own text stays as it is
    assert "陇源县石峡镇杨家岔村" in text
    assert summary.missing("en") == ["length of study notes"]
    assert text != summary.to_markdown() == summary.to_markdown("zh")
    pytest.importorskip("docx")
    import docx

    path = tmp_path / "en.docx"
    summary.to_docx(path, lang="en")
    [table] = docx.Document(str(path)).tables
    assert [c.text for c in table.rows[0].cells] == ["Part", "Figure", "Value", "Records"]


def test_a_catalog_dropped_in_translates_the_draft(
    summary: WorkSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="en", domain="dangjian")
    catalog.add(PARTS[0], "I. Th' leadership, arr")
    catalog.add("中心组学习", "th' captain's council")
    target = tmp_path / "pirate" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "dangjian.po").open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setenv("DANGJIAN_LOCALEDIR", str(tmp_path))
    text = summary.to_markdown("pirate")
    assert "## I. Th' leadership, arr\n" in text
    assert summary["centre_group_study"].label_in("pirate") == "th' captain's council"
    # what the catalog leaves out shows in Chinese
    assert "## 二、认真组织学习，加强思想政治建设\n" in text


def test_the_summary_code_has_no_language_branches() -> None:
    for path in Path(dangjian.summary.figures.__file__).parent.glob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"lang\s*[!=]=|[!=]=\s*lang\b|[\"']zh[\"']\s*[!=]=", code), path


def test_cli_writes_the_draft_in_the_language_asked_for(
    capsys: pytest.CaptureFixture[str], summary: WorkSummary
) -> None:
    assert main(["summary", str(EXAMPLE), *CHECK_ARGS, "--lang", "en"]) == 0
    assert capsys.readouterr().out == summary.to_markdown("en")


def test_a_notebook_shows_the_draft_and_the_repr_is_one_line(summary: WorkSummary) -> None:
    assert summary._repr_markdown_() == summary.to_markdown()
    shown = repr(summary)
    assert "\n" not in shown and len(shown) < 200
    figures = summary.figures()
    missing = sum(f.missing for f in figures)
    assert shown == (
        f"<WorkSummary {summary.organisation} {summary.period.label()}："
        f"{len(summary.sections)}部分，{len(figures)}项数据，缺{missing}项>"
    )
    assert missing == len([f for f in figures if f.missing]) and len(figures) > 40
