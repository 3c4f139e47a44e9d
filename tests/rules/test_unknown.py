"""No evidence, no verdict: where the records cannot tell, the finding is ``unknown`` (无法判断)
with the reason, never ``failed`` and never silence. Boundary cases of each: just failing when
the records show it, unknown when they cannot.

- attendance recorded only as counts (charter.lapse_org_life);
- a ledger, or a branch, that keeps no dues payments (charter.lapse_dues);
- members who joined, transferred or left during the period, and those who left on a day the
  ledger does not record;
- record kinds the ledger does not keep at all (training hours, talks, the fields of the
  membership steps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
import pytest

from dangjian import (
    Absence,
    AbsenceReason,
    CommitteeRole,
    Gap,
    Meeting,
    MeetingKind,
    Month,
    OrgLevel,
    PartyGroup,
    Status,
)
from dangjian import MemberStatus as MS
from dangjian.findings import Finding
from tests.builders.dues import (
    D,
    branch,
    findings_of,
    ledger,
    member,
    month_range,
    payment,
    run,
    seat,
    statuses,
    talk,
    training,
)

AS_OF = D(2020, 7, 15)
LAPSE = "charter.lapse_org_life"
YEAR = month_range("2019-07", "2020-06")


def named(
    month: str, attended: Sequence[str], *, id: str, branch: str = "b1", **kw: object
) -> Meeting:
    """A meeting on the 10th of ``month`` that records who attended by name."""
    return Meeting(
        id=id,
        kind=kw.pop("kind", MeetingKind.THEME_DAY),  # type: ignore[arg-type]
        branch=branch,
        date=Month.parse(month).first_day.replace(day=10),
        attended=tuple(attended),
        **kw,  # type: ignore[arg-type]
    )


def counted(month: str, *, id: str, branch: str = "b1", day: int = 20, **kw: object) -> Meeting:
    """A meeting on ``day`` of ``month`` whose minutes give only 应到 10, 实到 9 (or, when the
    names of those expected are given, that count and one present)."""
    expected: tuple[str, ...] = kw.pop("expected", ())  # type: ignore[assignment]
    return Meeting(
        id=id,
        kind=kw.pop("kind", MeetingKind.GENERAL_MEETING),  # type: ignore[arg-type]
        branch=branch,
        date=Month.parse(month).first_day.replace(day=day),
        expected=expected,
        expected_count=len(expected) if expected else 10,
        present_count=1 if expected else 9,
        **kw,  # type: ignore[arg-type]
    )


def lapse(meetings: Sequence[Meeting], *members: object, **fields: object) -> Finding:
    """The lapse finding of ``idle`` over 2020H1, in a ledger where ``goer`` attended every
    named meeting and ``idle`` none."""
    people = [member("goer"), member("idle"), *members]
    led = ledger(members=people, meetings=meetings, **fields)
    return findings_of(run(led, "2020H1", as_of=AS_OF, only=[LAPSE]), LAPSE)["idle", "2020H1"]


def every_month(
    months: Sequence[str], who: Sequence[str] = ("goer",), *, idle: bool = True
) -> list[Meeting]:
    """A named meeting in each of ``months``: ``who`` attend all of them, ``idle`` (if in the
    ledger) those of 2019, so that only 2020's months can make a run."""
    return [named(m, (*who, "idle") if idle and m < "2020" else who, id=f"td-{m}") for m in months]


# -- attendance by count only --------------------------------------------------------------


def test_six_months_absent_by_name_fails() -> None:
    f = lapse(every_month(YEAR))
    assert f.status is Status.FAILED
    assert f.gap is None


def test_a_month_recorded_by_count_makes_the_run_unknown() -> None:
    meetings = [
        *every_month([m for m in YEAR if m != "2020-03"]),
        counted("2020-03", id="dydh-2020-03"),
    ]
    f = lapse(meetings)
    assert f.status is Status.UNKNOWN
    assert f.gap is Gap.COUNTS_ONLY
    assert f.evidence == ("dydh-2020-03",)
    assert f.message == (
        "连续6个月不参加组织生活视为自行脱党：党员idle自2020年1月至2020年6月连续6个月未见参加组织生活"
        "的记录，但2020年3月20日支部党员大会只记录了人数，无法确认党员idle是否参加"
    )
    assert f.message_en.endswith(
        "but the general meeting of members on 2020-03-20 recorded only a head count: whether "
        "idle attended cannot be told"
    )


def test_six_months_absent_by_name_fail_even_beside_a_month_by_count() -> None:
    """Six named months without the member, and then a month by count: the six show absence."""
    meetings = [
        *every_month(month_range("2019-07", "2019-11")),
        *every_month(month_range("2019-12", "2019-12"), who=("goer",)),
        *every_month(month_range("2020-01", "2020-05")),
        counted("2020-06", id="c6"),
    ]
    meetings[5] = named("2019-12", ("goer",), id="td-2019-12")
    f = lapse(meetings)
    assert f.status is Status.FAILED
    assert "自2019年12月至2020年5月连续6个月未参加组织生活" in f.message


@pytest.mark.parametrize(
    ("june", "status"), [("counted", "unknown"), ("attended", "passed"), ("absent", "failed")]
)
def test_five_named_months_and_a_sixth(june: str, status: str) -> None:
    """Absent by name from January to May: June decides, if the records can tell."""
    meetings = every_month(month_range("2019-07", "2020-05"))
    if june == "counted":
        meetings.append(counted("2020-06", id="c6"))
    else:
        meetings.append(
            named("2020-06", ["goer", "idle"] if june == "attended" else ["goer"], id="j")
        )
    assert lapse(meetings).status.code == status


def test_all_meetings_by_count_never_fail() -> None:
    meetings = [counted(m, id=f"c-{m}") for m in YEAR]
    led = ledger(members=[member("a"), member("b")], meetings=meetings)
    found = run(led, "2020H1", as_of=AS_OF, only=[LAPSE])
    assert statuses(found, LAPSE) == {("a", "2020H1"): "unknown", ("b", "2020H1"): "unknown"}
    f = findings_of(found, LAPSE)["a", "2020H1"]
    # three meetings are named, and how many more there are
    # the run looks back five months before the period; three meetings are named, and how many
    assert "自2019年8月至2020年6月连续11个月未见参加组织生活的记录" in f.message
    assert "2019年10月20日支部党员大会等11次会议只记录了人数" in f.message
    assert f.evidence[:2] == ("c-2019-08", "c-2019-09")
    assert len(f.evidence) == 11


def test_a_meeting_without_names_or_counts_is_unknown_too() -> None:
    bare = Meeting(id="bare", kind=MeetingKind.THEME_DAY, branch="b1", date=D(2020, 3, 20))
    f = lapse([*every_month(YEAR), bare])
    assert f.status is Status.UNKNOWN
    assert "2020年3月20日主题党日没有记录出席人员" in f.message


def test_named_absent_at_a_counted_meeting_is_absent() -> None:
    absent = Absence(member="idle", reason=AbsenceReason.NONE_GIVEN)
    meetings = [*every_month(YEAR), counted("2020-03", id="c3", absences=(absent,))]
    assert lapse(meetings).status is Status.FAILED


def test_a_counted_meeting_whose_expected_names_leave_the_member_out_is_not_theirs() -> None:
    meetings = [*every_month(YEAR), counted("2020-03", id="c3", expected=("goer",))]
    assert lapse(meetings).status is Status.FAILED
    meetings = [*every_month(YEAR), counted("2020-03", id="c3", expected=("goer", "idle"))]
    assert lapse(meetings).status is Status.UNKNOWN


def test_nobody_present_is_a_record_of_names() -> None:
    empty = attrs.evolve(counted("2020-03", id="c3"), present_count=0)
    assert lapse([*every_month(YEAR), empty]).status is Status.FAILED


@pytest.mark.parametrize(("on_committee", "status"), [(False, "failed"), (True, "unknown")])
def test_a_committee_meeting_by_count_concerns_its_members_only(
    on_committee: bool, status: str
) -> None:
    seats = [seat("goer"), *([seat("idle", CommitteeRole.ORGANISATION)] if on_committee else [])]
    meetings = [
        *every_month(YEAR),
        counted("2020-03", id="zwh", kind=MeetingKind.COMMITTEE_MEETING),
    ]
    f = lapse(meetings, branches=[branch("b1", committee=seats)])
    assert f.status.code == status


@pytest.mark.parametrize(("group", "status"), [("g1", "unknown"), ("g2", "failed")])
def test_a_group_meeting_by_count_concerns_its_group_only(group: str, status: str) -> None:
    groups = [PartyGroup(id=g, name=f"{g}组", branch="b1") for g in ("g1", "g2")]
    idle = attrs.evolve(member("idle"), group="g1")
    meetings = [
        *every_month(YEAR),
        counted("2020-03", id="xzh", kind=MeetingKind.GROUP_MEETING, group=group),
    ]
    led = ledger(members=[member("goer"), idle], meetings=meetings, groups=groups)
    found = run(led, "2020H1", as_of=AS_OF, only=[LAPSE])
    assert statuses(found, LAPSE)["idle", "2020H1"] == status


def test_a_lecture_of_the_committee_above_by_count_names_the_committee() -> None:
    branches = [branch("c1", level=OrgLevel.COMMITTEE, name="机关党委"), branch("b1", parent="c1")]
    meetings = [
        *every_month(YEAR),
        counted("2020-05", id="dk", branch="c1", kind=MeetingKind.PARTY_LECTURE, day=29),
    ]
    f = lapse(meetings, branches=branches)
    assert f.status is Status.UNKNOWN
    assert "2020年5月29日机关党委党课只记录了人数，无法确认党员idle是否参加" in f.message
    assert "the party lecture of c1 on 2020-05-29" in f.message_en


def test_a_branch_that_records_no_meetings_cannot_show_absence() -> None:
    """The ledger keeps b1's meetings, not b2's: a member of b2 cannot be shown to have lapsed."""
    branches = [branch("b1"), branch("b2", name="第二支部")]
    f = lapse(every_month(YEAR), member("other", branch="b2"), branches=branches)
    assert f.status is Status.FAILED
    led = ledger(
        branches=branches,
        members=[member("goer"), member("other", branch="b2")],
        meetings=every_month(YEAR, idle=False),
    )
    other = findings_of(run(led, "2020H1", as_of=AS_OF, only=[LAPSE]), LAPSE)["other", "2020H1"]
    assert other.status is Status.UNKNOWN
    assert other.gap is Gap.NOT_KEPT
    assert other.message.endswith("台账中没有第二支部的会议记录，无法判断党员other是否参加组织生活")


# -- dues --------------------------------------------------------------------------------


def test_lapse_dues_of_a_branch_without_dues_records_is_unknown() -> None:
    branches = [branch("b1"), branch("b2", name="第二支部")]
    led = ledger(
        branches=branches,
        members=[member("payer"), member("idle"), member("far", branch="b2")],
        dues_payments=[payment("payer", m, "10") for m in YEAR],
    )
    found = run(led, "2020H1", as_of=AS_OF, only=["charter.lapse_dues"])
    assert statuses(found, "charter.lapse_dues") == {
        ("payer", "2020H1"): "passed",
        ("idle", "2020H1"): "failed",  # b1 keeps dues: none paid is a record of nothing paid
        ("far", "2020H1"): "unknown",
    }
    far = findings_of(found, "charter.lapse_dues")["far", "2020H1"]
    assert far.message.endswith("台账中没有第二支部的党费记录，无法判断党员far是否交纳党费")
    assert far.gap is Gap.NOT_KEPT


# -- joining, transferring and leaving -----------------------------------------------------


@pytest.mark.parametrize(
    ("joined", "status"), [(D(2020, 1, 1), "failed"), (D(2020, 1, 2), "passed")]
)
def test_months_before_transferring_in_are_not_counted(joined: dt.date, status: str) -> None:
    """Transferred in on 2 January: January was not a whole month in this ledger, five left."""
    led = ledger(
        members=[member("goer"), member("new", joined=joined)],
        meetings=every_month(YEAR, idle=False),
    )
    found = run(led, "2020H1", as_of=AS_OF, only=[LAPSE])
    assert statuses(found, LAPSE)["new", "2020H1"] == status


@pytest.mark.parametrize(
    ("left", "status"), [(D(2020, 7, 1), "failed"), (D(2020, 6, 30), "passed")]
)
def test_months_after_transferring_out_are_not_counted(left: dt.date, status: str) -> None:
    gone = member("gone", status=MS.TRANSFERRED_OUT, left=left)
    # absent from 2020-01: six whole months if still here in June, five if gone on 30 June
    meetings = [named(m, ("goer", "gone"), id=f"td-{m}") for m in month_range("2019-07", "2019-12")]
    meetings += every_month(month_range("2020-01", "2020-06"))
    led = ledger(members=[member("goer"), gone], meetings=meetings)
    found = run(led, "2020H1", as_of=AS_OF, only=[LAPSE])
    assert statuses(found, LAPSE)["gone", "2020H1"] == status


def test_left_on_a_day_not_recorded_is_unknown_everywhere() -> None:
    gone = member("gone", status=MS.TRANSFERRED_OUT)
    led = ledger(
        members=[member("goer"), gone],
        meetings=every_month(YEAR, idle=False),
        dues_payments=[payment("goer", m, "10") for m in YEAR],
        trainings=[training("goer", D(2020, 3, 1), "40")],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["charter.lapse_dues", LAPSE, "edu.hours"])
    for rule in ("charter.lapse_dues", "charter.lapse_org_life", "edu.hours"):
        f = findings_of(found, rule)["gone", "2020"]
        assert f.status is Status.UNKNOWN, rule
        assert f.gap is Gap.DATES_MISSING
        assert "党员gone已组织关系转出，但台账未记录离开日期，无法判断" in f.message


def test_left_before_the_period_on_a_recorded_day_is_not_judged() -> None:
    gone = member("gone", status=MS.TRANSFERRED_OUT, left=D(2019, 12, 31))
    led = ledger(members=[member("goer"), gone], meetings=every_month(YEAR, idle=False))
    found = run(led, "2020H1", as_of=AS_OF, only=[LAPSE])
    assert ("gone", "2020H1") not in statuses(found, LAPSE)


# -- record kinds the ledger does not keep ----------------------------------------------------


@pytest.mark.parametrize(("kept", "status"), [(False, "unknown"), (True, "failed")])
def test_training_hours_in_a_ledger_without_training_records(kept: bool, status: str) -> None:
    records = [training("other", D(2019, 5, 1), "8")] if kept else []
    led = ledger(members=[member("m1"), member("other")], trainings=records)
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.hours"])
    f = findings_of(found, "edu.hours")["m1", "2020"]
    assert f.status.code == status
    if not kept:
        assert f.message == "党员2020年应不少于32学时；台账中没有培训记录，无法判断"
        assert f.message_en.endswith("the ledger has no training records: cannot tell")
        assert f.gap is Gap.NOT_KEPT


def test_training_hours_not_kept_are_still_pending_while_the_year_runs() -> None:
    led = ledger(members=[member("m1")])
    found = run(led, "2020", as_of=D(2020, 6, 1), only=["edu.hours"])
    assert statuses(found, "edu.hours") == {("m1", "2020"): "pending"}


@pytest.mark.parametrize(("kept", "status"), [(False, "unknown"), (True, "failed")])
def test_talks_in_a_ledger_without_talks(kept: bool, status: str) -> None:
    talks = [talk("a", "b", D(2019, 5, 1))] if kept else []
    led = ledger(members=[member("a"), member("b")], talks=talks)
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["branch.heart_talk"])
    got = statuses(found, "branch.heart_talk")
    assert set(got.values()) == {status}
    if not kept:
        (f,) = findings_of(found, "branch.heart_talk").values()
        assert "台账中没有谈心谈话记录" in f.message


@pytest.mark.parametrize(("kept", "status"), [(False, "unknown"), (True, "failed")])
def test_course_hours_in_a_ledger_without_training_records(kept: bool, status: str) -> None:
    records = [training("old", D(2015, 5, 1), "30")] if kept else []
    new = member(
        "new",
        status=MS.PROBATIONARY,
        applied=D(2019, 1, 5),
        activist=D(2019, 2, 1),
        candidate=D(2020, 2, 1),
        admitted=D(2020, 5, 1),
    )
    led = ledger(members=[member("old"), new], trainings=records)
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["recruit.course"])
    assert statuses(found, "recruit.course") == {("new", "2020-05"): status}


@pytest.mark.parametrize(("kept", "status"), [(False, "unknown"), (True, "failed")])
def test_first_talk_in_a_ledger_that_records_none(kept: bool, status: str) -> None:
    other = member(
        "other",
        status=MS.APPLICANT,
        applied=D(2019, 1, 1),
        first_talk=D(2019, 1, 9) if kept else None,
    )
    silent = member("silent", status=MS.APPLICANT, applied=D(2020, 3, 10))
    led = ledger(members=[other, silent])
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["recruit.first_talk"])
    assert statuses(found, "recruit.first_talk") == {("silent", "2020-03"): status}


@pytest.mark.parametrize(("kept", "status"), [(False, "unknown"), (True, "failed")])
def test_sponsors_in_a_ledger_that_records_none(kept: bool, status: str) -> None:
    old = member(
        "old", sponsors=["s"] if kept else [], admitted=D(2010, 1, 1), converted=D(2011, 1, 1)
    )
    new = member("new", status=MS.PROBATIONARY, admitted=D(2020, 5, 1))
    led = ledger(members=[member("s"), old, new])
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["charter.sponsors"])
    assert statuses(found, "charter.sponsors") == {("new", "2020-05"): status}


def test_unknown_findings_are_never_waived_or_counted_as_failures() -> None:
    from dangjian import Period, Waiver, check

    led = ledger(members=[member("a")], meetings=[counted(m, id=f"c-{m}") for m in YEAR])
    waiver = Waiver(rule=LAPSE, period=Period.parse("2020H1"), reason="r", approved_by="x")
    report = check(led, "2020H1", as_of=AS_OF, only=[LAPSE], waivers=[waiver])
    assert [f.status for f in report] == [Status.UNKNOWN]
    assert report.exit_code() == 0
    assert report.exit_code(unknown=True) == 1
