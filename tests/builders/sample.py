"""The sample ledger: one organisation, two branches, four people and one record of every other
kind, valid; and ``replace_at``, which changes one value deep inside it.

The fixtures ``make_ledger`` and ``set_at`` of ``tests/conftest.py`` hand these to tests;
import them from here where a fixture cannot reach (a module-level constant, a strategy).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import attrs

from dangjian import (
    Absence,
    AbsenceReason,
    Appraisal,
    AppraisalKind,
    Branch,
    Candidate,
    CommitteeRole,
    CommitteeSeat,
    Donation,
    DuesCategory,
    DuesPayment,
    Election,
    ElectionDelay,
    FollowUp,
    Gender,
    Grade,
    HeartToHeartTalk,
    JointActivity,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Milestones,
    Month,
    OrgCategory,
    OrgLevel,
    PairingVillage,
    PartyGroup,
    PovertyProject,
    RectificationItem,
    RectificationSource,
    RectificationStatus,
    ResidentId,
    Resolution,
    ResponsibilityLetter,
    ServiceActivity,
    ServiceKind,
    StudyAudience,
    StudySession,
    TrainingRecord,
    VillageTraining,
    VillageVisit,
    VolunteerWork,
)
from dangjian.model.kept import ExtraCell, ExtraColumn, Spelling

D = dt.date

# The example of GB 11643-1999 itself: a woman born on 1949-12-31.
EXAMPLE_RESIDENT_ID = "11010519491231002X"


def _records() -> dict[str, tuple[Any, ...]]:
    """One organisation with two branches, four people and one record of every other kind."""
    return {
        "branches": (
            Branch(
                id="c1",
                name="市X局机关党委",
                level=OrgLevel.COMMITTEE,
                category=OrgCategory.ORGAN,
                founded=D(2000, 1, 1),
            ),
            Branch(
                id="b1",
                name="机关第一党支部",
                level=OrgLevel.BRANCH,
                category=OrgCategory.ORGAN,
                parent="c1",
                founded=D(2010, 1, 1),
                committee=(
                    CommitteeSeat(role=CommitteeRole.SECRETARY, member="m1", start=D(2018, 6, 1)),
                ),
                last_election=D(2018, 6, 1),
                term_years=3,
                election_delays=(
                    ElectionDelay(
                        approved_on=D(2021, 5, 10),
                        approved_by="市X局机关党委",
                        election_date=D(2021, 9, 30),
                        note="疫情防控，经批准延期换届",
                    ),
                ),
                theme_day=15,
            ),
            Branch(
                id="b2",
                name="机关第二党支部",
                level=OrgLevel.BRANCH,
                category=OrgCategory.ORGAN,
                parent="c1",
                founded=D(2010, 1, 1),
            ),
        ),
        "groups": (PartyGroup(id="g1", name="第一党小组", branch="b1", leader="m1"),),
        "members": (
            Member(
                id="m1",
                name="王芳",
                gender=Gender.FEMALE,
                birth_date=D(1949, 12, 31),
                resident_id=ResidentId(EXAMPLE_RESIDENT_ID),
                branch="b1",
                group="g1",
                status=MemberStatus.FULL,
                milestones=Milestones(
                    applied=D(1970, 3, 1),
                    first_talk=D(1970, 3, 20),
                    activist=D(1970, 9, 1),
                    candidate=D(1971, 9, 1),
                    admitted=D(1972, 1, 1),
                    converted=D(1973, 1, 1),
                ),
                dues_category=DuesCategory.RETIRED,
            ),
            Member(
                id="m2",
                name="李强",
                gender=Gender.MALE,
                birth_date=D(1985, 6, 15),
                branch="b1",
                group="g1",
                status=MemberStatus.FULL,
                dues_category=DuesCategory.SALARIED,
            ),
            Member(
                id="m3",
                name="赵敏",
                gender=Gender.FEMALE,
                birth_date=D(1990, 2, 1),
                branch="b1",
                status=MemberStatus.PROBATIONARY,
                sponsors=("m1", "m2"),
                milestones=Milestones(admitted=D(2019, 12, 1)),
            ),
            Member(
                id="m4",
                name="陈刚",
                gender=Gender.MALE,
                birth_date=D(1995, 8, 8),
                branch="b2",
                status=MemberStatus.ACTIVIST,
                mentors=("m2",),
            ),
        ),
        "meetings": (
            Meeting(
                id="mt1",
                kind=MeetingKind.GENERAL_MEETING,
                branch="b1",
                date=D(2020, 3, 10),
                start=dt.time(9, 30),
                end=dt.time(11, 0),
                chair="m1",
                recorder="m2",
                expected=("m1", "m2", "m3"),
                attended=("m1", "m2"),
                absences=(Absence(member="m3", reason=AbsenceReason.LEAVE),),
                expected_count=3,
                present_count=2,
                resolutions=(Resolution(text="通过年度学习计划", votes_for=2),),
            ),
        ),
        "study_sessions": (
            StudySession(
                id="s1",
                audience=StudyAudience.ALL_MEMBERS,
                branch="b1",
                date=D(2020, 3, 20),
                duration_minutes=90,
                speaker="m1",
                attendees=("m1", "m2"),
                attendee_count=5,
                topics=("支部工作条例",),
            ),
        ),
        "elections": (
            Election(
                id="e1",
                branch="b1",
                date=D(2019, 6, 1),
                seats=1,
                candidates=(Candidate(member="m1", votes=2), Candidate(member="m2", votes=0)),
                voters_expected=("m1", "m2"),
                voters_present=("m1", "m2"),
                ballots_issued=2,
                ballots_returned=2,
                elected=("m1",),
            ),
        ),
        "talks": (HeartToHeartTalk(id="t1", initiator="m1", partner="m2", date=D(2020, 4, 1)),),
        "trainings": (
            TrainingRecord(
                id="tr1", member="m2", date=D(2020, 5, 1), hours=Decimal("8.5"), course="党务培训"
            ),
        ),
        "dues_payments": (
            DuesPayment(
                id="d1",
                member="m2",
                month=Month(2020, 5),
                amount=Decimal("45.00"),
                base=Decimal("4500.00"),
                paid_on=D(2020, 5, 10),
            ),
        ),
        "pairings": (
            PairingVillage(
                id="p1",
                county="X县",
                town="X镇",
                village="X村",
                branch="b1",
                since=D(2019, 1, 1),
                first_secretary="m2",
                team_leader="m2",
                team_members=("m3",),
                activities=(JointActivity(date=D(2020, 3, 10), kind="联学", meeting="mt1"),),
                projects=(
                    PovertyProject(name="饮水工程", applied=D(2020, 1, 5), funds=Decimal("200000")),
                ),
                trainings=(VillageTraining(date=D(2020, 4, 2), topic="种植技术", trainees=30),),
                visits=(
                    VillageVisit(
                        date=D(2020, 1, 20),
                        title="春节慰问",
                        visitors=("m1",),
                        donations=(Donation(item="面粉", quantity=Decimal("50"), unit="袋"),),
                    ),
                ),
                volunteer_work=(
                    VolunteerWork(date=D(2020, 4, 3), title="环境整治", volunteers=("m2",)),
                ),
            ),
        ),
        "rectifications": (
            RectificationItem(
                id="r1",
                source=RectificationSource.INSPECTION,
                raised=D(2020, 1, 10),
                problem="学习记录不全",
                branch="b1",
                deadline=D(2020, 3, 31),
                status=RectificationStatus.CLOSED,
                closed=D(2020, 3, 20),
                follow_ups=(FollowUp(date=D(2020, 6, 1), finding="已坚持"),),
            ),
        ),
        "responsibility_letters": (
            ResponsibilityLetter(
                id="l1",
                year=2020,
                signed=D(2020, 2, 1),
                issuer="局党委",
                signatory="第一支部书记",
                branch="b1",
                subject="抓基层党建工作责任书",
            ),
        ),
        "appraisals": (
            Appraisal(
                id="a1",
                kind=AppraisalKind.MEMBER_APPRAISAL,
                date=D(2020, 1, 15),
                member="m2",
                branch="b1",
                score=Decimal("95.5"),
                grade=Grade.EXCELLENT,
                evaluators=10,
            ),
        ),
        "service_activities": (
            ServiceActivity(
                id="sa1",
                kind=ServiceKind.TASK_FORCE,
                title="疫情防控党员突击队",
                branch="b1",
                start=D(2020, 2, 1),
                end=D(2020, 3, 1),
                participants=("m1", "m2"),
            ),
        ),
    }


def workbook_extras() -> dict[str, tuple[Any, ...]]:
    """What a workbook held beyond the fields, for the sample ledger (``make_ledger(**
    workbook_extras())``): an office's own columns, and a label as typed (a synonym). Not in
    the sample itself, which the tests of every format and of the rules share."""
    return {
        "extra_columns": (
            ExtraColumn(
                sheet="members",
                header="手机号",
                cells=(ExtraCell("m1", "13800000001"), ExtraCell("m3", "010-12345678")),
            ),
            ExtraColumn(
                sheet="meetings.absences", header="备注二", cells=(ExtraCell("mt1#1", "事先请假"),)
            ),
        ),
        "spellings": (Spelling(sheet="meetings", record="mt1", column="kind", text="支部大会"),),
    }


def build_ledger(**overrides: Any) -> Ledger:
    """The sample ledger, with any field (``name``, ``members``, …) replaced by ``overrides``."""
    fields: dict[str, Any] = {"name": "市X局机关党委", **_records(), **overrides}
    return Ledger(**fields)


_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


def replace_at(obj: Any, path: str, value: Any) -> Any:
    """A copy of the attrs value ``obj`` with the item at ``path`` (``meetings[0].chair``) set."""
    parts: list[str | int] = [m[1] if m[1] else int(m[2]) for m in _PART.finditer(path)]

    def go(current: Any, rest: list[str | int]) -> Any:
        if not rest:
            return value
        head, tail = rest[0], rest[1:]
        if isinstance(head, int):
            items = list(current)
            items[head] = go(items[head], tail)
            return tuple(items)
        return attrs.evolve(current, **{head: go(getattr(current, head), tail)})

    return go(obj, parts)
