"""Boundary tests of the activity rule kinds (frequency, checklist, reschedule): every built-in
rule of these kinds just met and just missed, with the exact status of every subject and
sub-period and the citations of the rule file; user rule files for the seed's own study plan
("every Friday afternoon", "twice a month") and for "三个一"; and properties of frequency."""

from __future__ import annotations

import datetime as dt
import random

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    CommitteeRole,
    MeetingKind,
    OrgCategory,
    OrgLevel,
    Period,
    PeriodUnit,
    Status,
    StudyAudience,
    WorkingCalendar,
    check,
    load_rules,
)
from dangjian.testing.strategies import ledgers
from tests.builders import examples
from tests.builders.rules import (
    DAY,
    FOUNDED,
    D,
    assert_findings,
    branch,
    committee,
    committee_org,
    full_member,
    full_members,
    group,
    ledger,
    meeting,
    rule_file,
    run_rule,
    seat,
    study,
    with_records,
)

GM = MeetingKind.GENERAL_MEETING
CM = MeetingKind.COMMITTEE_MEETING
GROUP = MeetingKind.GROUP_MEETING
LECTURE = MeetingKind.PARTY_LECTURE
THEME = MeetingKind.THEME_DAY
ORG_LIFE = MeetingKind.ORG_LIFE_MEETING
APPRAISAL = MeetingKind.DEMOCRATIC_APPRAISAL

P = Period.parse


# -- branch.congress: once a quarter -------------------------------------------------------------


def test_congress_whole_year_passed_failed_pending() -> None:
    """A meeting on the last day of Q1 passes Q1; one on the first day of Q3 does not rescue Q2;
    Q4 has not ended on the day of judging."""
    led = ledger(
        branches=[branch()],
        meetings=[meeting("g1", GM, D(2020, 3, 31)), meeting("g2", GM, D(2020, 7, 1))],
    )
    findings = run_rule(led, "2020", "branch.congress", as_of=D(2020, 8, 15))
    assert_findings(
        findings,
        {
            ("b1", "2020Q1"): Status.PASSED,
            ("b1", "2020Q2"): Status.FAILED,
            ("b1", "2020Q3"): Status.PASSED,
            ("b1", "2020Q4"): Status.PENDING,
        },
        rule_id="branch.congress",
    )
    by_period = {str(f.period): f for f in findings}
    assert by_period["2020Q1"].evidence == ("g1",)
    assert by_period["2020Q2"].evidence == ()
    assert by_period["2020Q3"].evidence == ("g2",)


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        (D(2020, 3, 31), Status.FAILED),  # the last day of the quarter before
        (D(2020, 4, 1), Status.PASSED),  # the first day of the quarter
        (D(2020, 6, 30), Status.PASSED),  # the last day of the quarter
        (D(2020, 7, 1), Status.FAILED),  # the first day of the next quarter
    ],
)
def test_congress_counts_only_meetings_inside_the_quarter(held: dt.date, expected: Status) -> None:
    led = ledger(branches=[branch()], meetings=[meeting("g1", GM, held)])
    findings = run_rule(led, "2020Q2", "branch.congress", as_of=D(2020, 12, 1))
    assert_findings(findings, {("b1", "2020Q2"): expected}, rule_id="branch.congress")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2020, 3, 30), Status.PENDING),
        (D(2020, 3, 31), Status.PENDING),  # the last day of the quarter: it can still happen
        (D(2020, 4, 1), Status.FAILED),  # the first day after it
    ],
)
def test_congress_missing_is_pending_until_the_quarter_is_over(
    as_of: dt.date, expected: Status
) -> None:
    led = ledger(branches=[branch()])
    findings = run_rule(led, "2020Q1", "branch.congress", as_of=as_of)
    assert_findings(findings, {("b1", "2020Q1"): expected}, rule_id="branch.congress")


def test_congress_pending_quarter_passes_once_met() -> None:
    led = ledger(branches=[branch()], meetings=[meeting("g1", GM, D(2020, 2, 1))])
    findings = run_rule(led, "2020Q1", "branch.congress", as_of=D(2020, 2, 2))
    assert_findings(findings, {("b1", "2020Q1"): Status.PASSED}, rule_id="branch.congress")


@pytest.mark.parametrize(
    ("founded", "q2"),
    [
        (D(2020, 4, 1), Status.PASSED),  # founded on the first day: judged for the whole quarter
        (D(2020, 4, 2), Status.NOT_APPLICABLE),  # founded one day into the quarter
        (D(2020, 5, 10), Status.NOT_APPLICABLE),
    ],
)
def test_congress_branch_founded_mid_quarter_is_not_judged_for_it(
    founded: dt.date, q2: Status
) -> None:
    led = ledger(
        branches=[branch(founded=founded)],
        meetings=[meeting("g1", GM, D(2020, 6, 1)), meeting("g2", GM, D(2020, 7, 1))],
    )
    findings = run_rule(led, "2020", "branch.congress", as_of=D(2020, 8, 15))
    assert_findings(
        findings,
        {
            ("b1", "2020Q1"): Status.NOT_APPLICABLE,  # it did not exist yet
            ("b1", "2020Q2"): q2,
            ("b1", "2020Q3"): Status.PASSED,
            ("b1", "2020Q4"): Status.PENDING,
        },
        rule_id="branch.congress",
    )


@pytest.mark.parametrize(
    ("dissolved", "q2"),
    [(D(2020, 6, 29), Status.NOT_APPLICABLE), (D(2020, 6, 30), Status.FAILED)],
)
def test_congress_branch_dissolved_mid_quarter_is_not_judged_for_it(
    dissolved: dt.date, q2: Status
) -> None:
    led = ledger(branches=[branch(dissolved=dissolved)])
    findings = run_rule(led, "2020H1", "branch.congress", as_of=D(2020, 8, 15))
    assert_findings(
        findings,
        {("b1", "2020Q1"): Status.FAILED, ("b1", "2020Q2"): q2},
        rule_id="branch.congress",
    )


def test_congress_applies_to_branches_and_joint_branches_only() -> None:
    led = ledger(
        branches=[
            committee_org("c1"),
            branch("gb", level=OrgLevel.GENERAL_BRANCH, parent="c1"),
            branch("b1", parent="gb"),
            branch("j1", level=OrgLevel.JOINT_BRANCH, parent="c1", category=OrgCategory.OTHER),
        ],
        meetings=[meeting("g1", GM, D(2020, 1, 10), branch="j1")],
    )
    findings = run_rule(led, "2020Q1", "branch.congress", as_of=D(2020, 4, 1))
    assert_findings(
        findings,
        {("b1", "2020Q1"): Status.FAILED, ("j1", "2020Q1"): Status.PASSED},
        rule_id="branch.congress",
    )


@pytest.mark.parametrize(
    ("period", "status"),
    [("2018Q3", None), ("2018Q4", Status.NOT_APPLICABLE), ("2019Q1", Status.FAILED)],
)
def test_congress_is_in_force_from_2018_10_28(period: str, status: Status | None) -> None:
    """支部工作条例（试行） is in force from 2018-10-28: a quarter before it is not judged, the
    quarter it enters part-way is not judged and says why, the next one is judged."""
    led = ledger(branches=[branch()])
    findings = run_rule(led, period, "branch.congress", as_of=D(2021, 1, 1))
    expected = {("b1", period): status} if status is not None else {}
    assert_findings(findings, expected, rule_id="branch.congress")
    if status is Status.NOT_APPLICABLE:
        assert "2018-10-28" in findings[0].message


@pytest.mark.parametrize(
    ("month", "status"),
    [("2018-10", Status.NOT_APPLICABLE), ("2018-11", Status.FAILED)],
)
def test_committee_meetings_are_judged_from_the_first_whole_month_in_force(
    month: str, status: Status
) -> None:
    led = committee_branch(committee(["b1-m1", "b1-m2", "b1-m3"]))
    findings = run_rule(led, month, "branch.committee_mtg", as_of=D(2021, 1, 1))
    assert_findings(findings, {("b1", month): status}, rule_id="branch.committee_mtg")


# -- branch.committee_mtg: once a month, where there is a committee -------------------------------

Q1_MONTHS = ("2020-01", "2020-02", "2020-03")


def committee_branch(seats: list | tuple, members: int = 5):
    return ledger(branches=[branch(committee=seats)], members=full_members(members))


def test_committee_meeting_monthly() -> None:
    base = committee_branch(committee(["b1-m1", "b1-m2", "b1-m3"]))
    led = with_records(
        base,
        meetings=[
            meeting("c1", CM, D(2020, 1, 31)),  # the last day of January
            meeting("c2", CM, D(2020, 3, 1)),  # the first day of March: not February
            meeting("x", GM, D(2020, 2, 10)),  # another kind
        ],
    )
    findings = run_rule(led, "2020Q1", "branch.committee_mtg", as_of=D(2020, 4, 15))
    assert_findings(
        findings,
        {
            ("b1", "2020-01"): Status.PASSED,
            ("b1", "2020-02"): Status.FAILED,
            ("b1", "2020-03"): Status.PASSED,
        },
        rule_id="branch.committee_mtg",
    )


@pytest.mark.parametrize(
    "seats",
    [
        [seat("b1-m1")],
        # a branch of under seven full members: a 书记 and a 副书记, and no 支委会
        [seat("b1-m1"), seat("b1-m2", CommitteeRole.DEPUTY_SECRETARY)],
    ],
)
def test_committee_meeting_not_judged_without_committee_seats_besides_the_secretary(
    seats,
) -> None:
    led = committee_branch(seats)
    findings = run_rule(led, "2020Q1", "branch.committee_mtg", as_of=D(2020, 4, 15))
    assert_findings(
        findings,
        {("b1", m): Status.NOT_APPLICABLE for m in Q1_MONTHS},
        rule_id="branch.committee_mtg",
    )
    assert all("未设支部委员会" in f.message for f in findings)


def test_committee_meeting_judged_with_a_small_committee() -> None:
    """书记, 副书记 and one 委员: a committee of three."""
    seats = [
        seat("b1-m1"),
        seat("b1-m2", CommitteeRole.DEPUTY_SECRETARY),
        seat("b1-m3", CommitteeRole.MEMBER),
    ]
    led = with_records(committee_branch(seats), meetings=[meeting("c1", CM, D(2020, 1, 5))])
    findings = run_rule(led, "2020-01", "branch.committee_mtg", as_of=D(2020, 4, 15))
    assert_findings(findings, {("b1", "2020-01"): Status.PASSED}, rule_id="branch.committee_mtg")


def test_committee_meeting_not_judged_without_any_seat() -> None:
    led = committee_branch([])
    findings = run_rule(led, "2020-01", "branch.committee_mtg", as_of=D(2020, 4, 15))
    assert_findings(
        findings, {("b1", "2020-01"): Status.NOT_APPLICABLE}, rule_id="branch.committee_mtg"
    )


def test_committee_meeting_judged_in_the_months_a_committee_seat_is_held() -> None:
    """A 组织委员 seat from 1 February to 29 February: only February is judged."""
    led = committee_branch(
        [
            seat("b1-m1"),
            seat("b1-m2", CommitteeRole.ORGANISATION, start=D(2020, 2, 1), end=D(2020, 2, 29)),
        ]
    )
    findings = run_rule(led, "2020Q1", "branch.committee_mtg", as_of=D(2020, 4, 15))
    assert_findings(
        findings,
        {
            ("b1", "2020-01"): Status.NOT_APPLICABLE,
            ("b1", "2020-02"): Status.FAILED,
            ("b1", "2020-03"): Status.NOT_APPLICABLE,
        },
        rule_id="branch.committee_mtg",
    )


# -- branch.group_mtg: once a month, per party group ----------------------------------------------


def test_group_meeting_judged_per_group() -> None:
    led = ledger(
        branches=[branch("b1"), branch("b2")],
        groups=[group("g1", "b1"), group("g2", "b1"), group("g3", "b2")],
        meetings=[
            meeting("a1", GROUP, D(2020, 1, 5), group="g1"),
            meeting("a2", GROUP, D(2020, 2, 29), group="g1"),
            meeting("a3", GROUP, D(2020, 3, 31), group="g1"),
            meeting("b1", GROUP, D(2020, 1, 20), group="g2"),
            meeting("b2", GROUP, D(2020, 4, 1), group="g2"),  # April: not March
            meeting("x1", GROUP, D(2020, 2, 10)),  # the branch's, no group: nobody's
            meeting("x2", CM, D(2020, 2, 10), group="g2"),  # another kind
        ],
    )
    findings = run_rule(led, "2020Q1", "branch.group_mtg", as_of=D(2020, 4, 15))
    assert_findings(
        findings,
        {
            **{("g1", m): Status.PASSED for m in Q1_MONTHS},
            ("g2", "2020-01"): Status.PASSED,
            ("g2", "2020-02"): Status.FAILED,
            ("g2", "2020-03"): Status.FAILED,
            **{("g3", m): Status.FAILED for m in Q1_MONTHS},
        },
        rule_id="branch.group_mtg",
    )
    assert {f.subject.id: (f.subject.kind, f.subject.branch) for f in findings} == {
        "g1": ("group", "b1"),
        "g2": ("group", "b1"),
        "g3": ("group", "b2"),
    }


def test_group_meeting_a_branch_without_groups_has_no_findings() -> None:
    led = ledger(branches=[branch()], meetings=[meeting("x1", GROUP, D(2020, 2, 10))])
    assert run_rule(led, "2020Q1", "branch.group_mtg", as_of=D(2020, 4, 15)) == []


# -- branch.lecture: the 党委 secretary gives a lecture a year ------------------------------------


def lecture_ledger(*lectures, secretary_start=None, secretary_end=None):
    """c1 (a 基层党委, secretary s1) above b1 (a branch, secretary b1-m1) and gb (a 总支) above b2;
    c2, another 基层党委, beside them."""
    return ledger(
        branches=[
            committee_org("c1", committee=[seat("s1", start=secretary_start, end=secretary_end)]),
            branch("b1", parent="c1", committee=[seat("b1-m1")]),
            branch("gb", level=OrgLevel.GENERAL_BRANCH, parent="c1"),
            branch("b2", parent="gb"),
            committee_org("c2"),
        ],
        members=[
            full_member("s1", "c1"),
            *full_members(3, "b1"),
            *full_members(3, "b2"),
            *full_members(1, "c2"),
        ],
        meetings=list(lectures),
    )


@pytest.mark.parametrize(
    ("where", "lecturer", "expected"),
    [
        ("c1", "s1", Status.PASSED),  # at the committee itself
        ("b1", "s1", Status.PASSED),  # in a branch below it
        ("b2", "s1", Status.PASSED),  # in a branch two levels below it
        ("b1", "b1-m1", Status.FAILED),  # by the branch's own secretary
        ("b2", "b2-m1", Status.FAILED),  # by an ordinary member
        ("c2", "s1", Status.FAILED),  # by the secretary, but for another organisation
    ],
)
def test_lecture_by_the_committee_secretary_anywhere_below_counts(
    where: str, lecturer: str, expected: Status
) -> None:
    led = lecture_ledger(meeting("l1", LECTURE, D(2020, 6, 1), branch=where, lecturer=lecturer))
    findings = run_rule(led, "2020", "branch.lecture", as_of=D(2021, 1, 10))
    # committee-level organisations only: c1 and c2
    assert_findings(
        findings,
        {("c1", "2020"): expected, ("c2", "2020"): Status.FAILED},
        rule_id="branch.lecture",
    )
    c1 = next(f for f in findings if f.subject.id == "c1")
    assert c1.evidence == (("l1",) if expected is Status.PASSED else ())


def test_lecture_by_an_outside_speaker_does_not_count() -> None:
    led = lecture_ledger(meeting("l1", LECTURE, D(2020, 6, 1), lecturer_name="王教授"))
    for as_of, expected in ((D(2020, 7, 1), Status.PENDING), (D(2021, 1, 1), Status.FAILED)):
        findings = run_rule(led, "2020", "branch.lecture", as_of=as_of)
        assert_findings(
            findings,
            {("c1", "2020"): expected, ("c2", "2020"): expected},
            rule_id="branch.lecture",
        )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 2, 29), Status.FAILED),  # before taking the seat
        (D(2020, 3, 1), Status.PASSED),  # the day of taking the seat
        (D(2020, 9, 30), Status.PASSED),  # the last day in the seat
        (D(2020, 10, 1), Status.FAILED),  # after leaving it
    ],
)
def test_lecture_counts_only_while_the_lecturer_holds_the_seat(
    day: dt.date, expected: Status
) -> None:
    led = lecture_ledger(
        meeting("l1", LECTURE, day, branch="b1", lecturer="s1"),
        secretary_start=D(2020, 3, 1),
        secretary_end=D(2020, 9, 30),
    )
    findings = run_rule(led, "2020", "branch.lecture", as_of=D(2021, 1, 10))
    assert_findings(
        findings,
        {("c1", "2020"): expected, ("c2", "2020"): Status.FAILED},
        rule_id="branch.lecture",
    )


@pytest.mark.parametrize(("speaker", "expected"), [("s1", Status.PASSED), ("b1-m1", Status.FAILED)])
def test_lecturer_role_of_a_study_session_is_its_speaker(tmp_path, speaker, expected) -> None:
    """A user rule counting the centre group's study led by the 党委 secretary."""
    path = rule_file(
        tmp_path,
        [
            {
                "id": "local.secretary_study",
                "kind": "frequency",
                "applies_to": {"levels": ["committee"]},
                "params": {
                    "record": "study",
                    "audiences": ["centre_group"],
                    "per": "year",
                    "at_least": 1,
                    "lecturer_role": "secretary",
                },
            }
        ],
    )
    led = with_records(
        lecture_ledger(),
        study_sessions=[
            study("st1", StudyAudience.CENTRE_GROUP, D(2020, 6, 1), branch="c1", speaker=speaker)
        ],
    )
    findings = run_rule(led, "2020", "local.secretary_study", as_of=D(2021, 1, 10), rules=[path])
    assert_findings(
        findings,
        {("c1", "2020"): expected, ("c2", "2020"): Status.FAILED},
        rule_id="local.secretary_study",
        files=[path],
    )


# -- branch.theme_day, branch.org_life_mtg, branch.appraisal ---------------------------------------


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ((D(2020, 1, 31), D(2020, 3, 1)), ("passed", "failed", "passed")),
        ((D(2020, 2, 1), D(2020, 2, 29)), ("failed", "passed", "failed")),
        ((D(2019, 12, 31), D(2020, 4, 1)), ("failed", "failed", "failed")),
        ((D(2020, 1, 1), D(2020, 2, 15), D(2020, 3, 31)), ("passed", "passed", "passed")),
    ],
)
def test_theme_day_monthly(held: tuple[dt.date, ...], expected: tuple[str, ...]) -> None:
    led = ledger(
        branches=[branch(theme_day=15)],
        meetings=[meeting(f"t{i}", THEME, d) for i, d in enumerate(held)],
    )
    findings = run_rule(led, "2020Q1", "branch.theme_day", as_of=D(2020, 4, 15))
    assert_findings(
        findings,
        {("b1", m): s for m, s in zip(Q1_MONTHS, expected, strict=True)},
        rule_id="branch.theme_day",
    )


@pytest.mark.parametrize(
    ("rule_id", "kind"), [("branch.org_life_mtg", ORG_LIFE), ("branch.appraisal", APPRAISAL)]
)
@pytest.mark.parametrize(
    ("held", "as_of", "expected"),
    [
        (D(2020, 12, 31), D(2021, 1, 15), Status.PASSED),  # the last day of the year
        (D(2020, 1, 1), D(2021, 1, 15), Status.PASSED),  # the first day
        (D(2021, 1, 1), D(2021, 1, 15), Status.FAILED),  # the first day of the next year
        (D(2019, 12, 31), D(2021, 1, 15), Status.FAILED),
        (D(2021, 1, 1), D(2020, 12, 31), Status.PENDING),  # the year is not over yet
        (D(2021, 1, 1), D(2021, 1, 1), Status.FAILED),
    ],
)
def test_yearly_meetings(
    rule_id: str, kind: MeetingKind, held: dt.date, as_of: dt.date, expected: Status
) -> None:
    led = ledger(branches=[branch()], meetings=[meeting("y1", kind, held)])
    findings = run_rule(led, "2020", rule_id, as_of=as_of)
    assert_findings(findings, {("b1", "2020"): expected}, rule_id=rule_id)


@pytest.mark.parametrize("rule_id", ["branch.org_life_mtg", "branch.appraisal"])
def test_yearly_meeting_judged_over_the_year_when_checking_a_half(rule_id: str) -> None:
    """A yearly requirement checked over 2020H1 is judged over the year 2020, pending until the
    year ends."""
    led = ledger(branches=[branch()])
    findings = run_rule(led, "2020H1", rule_id, as_of=D(2020, 7, 15))
    assert_findings(findings, {("b1", "2020"): Status.PENDING}, rule_id=rule_id)


@pytest.mark.parametrize(
    ("rule_id", "kind"),
    [
        ("branch.theme_day", THEME),
        ("branch.org_life_mtg", ORG_LIFE),
        ("branch.appraisal", APPRAISAL),
    ],
)
def test_meetings_of_other_kinds_and_other_branches_do_not_count(
    rule_id: str, kind: MeetingKind
) -> None:
    others = [k for k in MeetingKind if k is not kind]
    led = ledger(
        branches=[branch("b1"), branch("b2")],
        meetings=[
            *(meeting(f"o{i}", k, D(2020, 1, 10)) for i, k in enumerate(others)),
            meeting("x", kind, D(2020, 1, 10), branch="b2"),
        ],
    )
    sub = "2020-01" if kind is THEME else "2020"
    findings = run_rule(led, sub, rule_id, as_of=D(2021, 2, 1))
    assert_findings(
        findings,
        {("b1", sub): Status.FAILED, ("b2", sub): Status.PASSED},
        rule_id=rule_id,
    )


# -- the seed's own study plan: every Friday afternoon, twice a month -----------------------------

FRIDAY_STUDY = {
    "id": "local.friday_study",
    "kind": "frequency",
    "applies_to": {"levels": ["branch"]},
    "params": {
        "record": "study",
        "audiences": ["all_staff"],
        "per": "week",
        "at_least": 1,
        "weekday": 5,
        "half_day": "afternoon",
    },
}
TWICE_A_MONTH = {
    "id": "local.members_study",
    "kind": "frequency",
    "params": {"record": "study", "audiences": ["all_members"], "per": "month", "at_least": 2},
}


@pytest.fixture
def plan(tmp_path):
    return rule_file(tmp_path, [FRIDAY_STUDY, TWICE_A_MONTH], name="plan.toml")


# 2020-W20 runs from Monday 11 May to Sunday 17 May; its Friday, 15 May, is a working day.
W20_FRIDAY = D(2020, 5, 15)


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        (W20_FRIDAY, dt.time(14, 30), Status.PASSED),
        (W20_FRIDAY, dt.time(12, 0), Status.PASSED),  # noon starts the afternoon
        (W20_FRIDAY, dt.time(11, 59), Status.FAILED),
        (W20_FRIDAY, dt.time(9, 0), Status.FAILED),  # Friday morning
        (W20_FRIDAY, None, Status.FAILED),  # no time recorded: not known to be an afternoon
        (W20_FRIDAY - DAY, dt.time(14, 30), Status.FAILED),  # Thursday
        (W20_FRIDAY + DAY, dt.time(14, 30), Status.FAILED),  # Saturday
    ],
)
def test_friday_afternoon_study(plan, day: dt.date, start, expected: Status) -> None:
    led = ledger(
        branches=[branch()], study_sessions=[study("s1", StudyAudience.ALL_STAFF, day, start=start)]
    )
    findings = run_rule(led, "2020-W20", "local.friday_study", as_of=D(2020, 6, 1), rules=[plan])
    assert_findings(
        findings, {("b1", "2020-W20"): expected}, rule_id="local.friday_study", files=[plan]
    )


def test_friday_afternoon_study_of_another_audience_does_not_count(plan) -> None:
    led = ledger(
        branches=[branch()],
        study_sessions=[
            study("s1", StudyAudience.ALL_MEMBERS, W20_FRIDAY, start=dt.time(14, 30)),
            study("s2", StudyAudience.CENTRE_GROUP, W20_FRIDAY, start=dt.time(15, 30)),
        ],
    )
    findings = run_rule(led, "2020-W20", "local.friday_study", as_of=D(2020, 6, 1), rules=[plan])
    assert_findings(
        findings, {("b1", "2020-W20"): Status.FAILED}, rule_id="local.friday_study", files=[plan]
    )


def test_friday_study_week_whose_friday_is_a_holiday_is_not_judged(plan) -> None:
    """2020-W18 runs from 27 April to 3 May; its Friday is 1 May, Labour Day."""
    assert P("2020-W18").start == D(2020, 4, 27)
    led = ledger(
        branches=[branch()],
        study_sessions=[study("s1", StudyAudience.ALL_STAFF, D(2020, 4, 30), start=dt.time(15))],
    )
    findings = run_rule(led, "2020-W18", "local.friday_study", as_of=D(2020, 6, 1), rules=[plan])
    assert_findings(
        findings,
        {("b1", "2020-W18"): Status.NOT_APPLICABLE},
        rule_id="local.friday_study",
        files=[plan],
    )
    assert "2020-05-01" in findings[0].message


def test_friday_study_over_a_month(plan) -> None:
    """May 2020 has the weeks starting on 4, 11, 18 and 25 May (W19–W22); the study is held on
    the Fridays 8 (afternoon), 15 (morning) and 29 (afternoon) May."""
    led = ledger(
        branches=[branch()],
        study_sessions=[
            study("s1", StudyAudience.ALL_STAFF, D(2020, 5, 8), start=dt.time(14, 30)),
            study("s2", StudyAudience.ALL_STAFF, D(2020, 5, 15), start=dt.time(9)),
            study("s3", StudyAudience.ALL_STAFF, D(2020, 5, 29), start=dt.time(14, 30)),
        ],
    )
    findings = run_rule(led, "2020-05", "local.friday_study", as_of=D(2020, 5, 27), rules=[plan])
    assert_findings(
        findings,
        {
            ("b1", "2020-W19"): Status.PASSED,
            ("b1", "2020-W20"): Status.FAILED,
            ("b1", "2020-W21"): Status.FAILED,
            ("b1", "2020-W22"): Status.PASSED,  # met, though the week is not over
        },
        rule_id="local.friday_study",
        files=[plan],
    )


def test_friday_study_week_outside_the_calendar_is_not_judged(plan) -> None:
    led = ledger(branches=[branch()])
    report = check(
        led,
        "2020-W20",
        as_of=D(2020, 6, 1),
        rules=[plan],
        only=["local.friday_study"],
        calendar=WorkingCalendar(years={2019}),
    )
    assert_findings(
        report.findings,
        {("b1", "2020-W20"): Status.NOT_APPLICABLE},
        rule_id="local.friday_study",
        files=[plan],
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ((D(2020, 3, 5),), Status.FAILED),
        ((D(2020, 3, 1), D(2020, 3, 31)), Status.PASSED),
        ((D(2020, 3, 5), D(2020, 4, 1)), Status.FAILED),  # the second is in April
        ((D(2020, 3, 5), D(2020, 3, 12), D(2020, 3, 19)), Status.PASSED),
    ],
)
def test_members_study_twice_a_month(plan, days: tuple[dt.date, ...], expected: Status) -> None:
    led = ledger(
        branches=[branch()],
        study_sessions=[study(f"s{i}", StudyAudience.ALL_MEMBERS, d) for i, d in enumerate(days)],
    )
    findings = run_rule(led, "2020-03", "local.members_study", as_of=D(2020, 4, 10), rules=[plan])
    assert_findings(
        findings, {("b1", "2020-03"): expected}, rule_id="local.members_study", files=[plan]
    )
    assert "至少开展2次" in findings[0].message
    assert f"实际{sum(d.month == 3 for d in days)}次" in findings[0].message


# -- checklist: "三个一" --------------------------------------------------------------------------

ACTIONS = ("重温入党志愿书", "思想交流", "集体宣誓")
THREE_ONES = {
    "id": "local.three_ones",
    "kind": "checklist",
    "params": {"meeting_kinds": ["theme_day"], "actions": list(ACTIONS), "per": "half"},
}


@pytest.fixture
def three_ones(tmp_path):
    return rule_file(tmp_path, [THREE_ONES], name="three_ones.toml")


def checklist(three_ones, meetings, *, as_of=None, founded=None, period="2020H1"):
    """The findings of "三个一" for a branch holding ``meetings``, judged after 2020H1 unless
    told."""
    led = ledger(branches=[branch(founded=founded or FOUNDED)], meetings=meetings)
    as_of = as_of or D(2020, 7, 15)
    return run_rule(led, period, "local.three_ones", as_of=as_of, rules=[three_ones])


def assert_three_ones(findings, expected, three_ones) -> None:
    assert_findings(findings, expected, rule_id="local.three_ones", files=[three_ones])


def test_three_ones_all_done_across_two_theme_days(three_ones) -> None:
    findings = checklist(
        three_ones,
        [
            meeting("t1", THEME, D(2020, 3, 15), actions=ACTIONS[:2]),
            meeting("t2", THEME, D(2020, 5, 15), actions=(ACTIONS[2], "参观教育基地")),
            meeting("t3", THEME, D(2020, 4, 15), actions=("志愿服务",)),
        ],
    )
    assert_findings(
        findings, {("b1", "2020H1"): Status.PASSED}, rule_id="local.three_ones", files=[three_ones]
    )
    assert findings[0].evidence == ("t1", "t2")


@pytest.mark.parametrize("missing", ACTIONS)
def test_three_ones_two_of_three_fails_naming_the_missing_one(three_ones, missing: str) -> None:
    done = [a for a in ACTIONS if a != missing]
    findings = checklist(
        three_ones,
        [
            meeting("t1", THEME, D(2020, 3, 15), actions=(done[0],)),
            meeting("t2", THEME, D(2020, 6, 30), actions=(done[1],)),
        ],
    )
    assert_findings(
        findings, {("b1", "2020H1"): Status.FAILED}, rule_id="local.three_ones", files=[three_ones]
    )
    found = findings[0].message.split("缺少：")[1]
    assert found == missing
    assert findings[0].message_en.split("missing: ")[1] == missing


def test_three_ones_action_at_another_kind_of_meeting_does_not_count(three_ones) -> None:
    findings = checklist(
        three_ones,
        [
            meeting("t1", THEME, D(2020, 3, 15), actions=ACTIONS[:2]),
            meeting("g1", GM, D(2020, 3, 20), actions=ACTIONS[2:]),
        ],
    )
    assert_three_ones(findings, {("b1", "2020H1"): Status.FAILED}, three_ones)


def test_three_ones_action_in_the_next_half_does_not_count(three_ones) -> None:
    findings = checklist(
        three_ones,
        [
            meeting("t1", THEME, D(2020, 1, 1), actions=ACTIONS[:2]),
            meeting("t2", THEME, D(2020, 7, 1), actions=ACTIONS[2:]),
        ],
        period="2020",
        as_of=D(2021, 1, 5),
    )
    assert_three_ones(
        findings, {("b1", "2020H1"): Status.FAILED, ("b1", "2020H2"): Status.FAILED}, three_ones
    )


def test_three_ones_pending_until_the_half_is_over(three_ones) -> None:
    meetings = [meeting("t1", THEME, D(2020, 3, 15), actions=ACTIONS[:2])]
    for as_of, expected in ((D(2020, 6, 30), Status.PENDING), (D(2020, 7, 1), Status.FAILED)):
        findings = checklist(three_ones, meetings, as_of=as_of)
        assert_three_ones(findings, {("b1", "2020H1"): expected}, three_ones)


def test_three_ones_branch_founded_in_the_half_is_not_judged(three_ones) -> None:
    findings = checklist(three_ones, [], founded=D(2020, 1, 2))
    assert_three_ones(findings, {("b1", "2020H1"): Status.NOT_APPLICABLE}, three_ones)


# -- reschedule: local.theme_day_shift ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 10, 8), Status.PASSED),  # 7 days later
        (D(2020, 10, 9), Status.FAILED),  # 8 days later
        (D(2020, 9, 24), Status.PASSED),  # 7 days earlier
        (D(2020, 9, 23), Status.FAILED),  # 8 days earlier
        (D(2020, 10, 1), Status.PASSED),  # not moved at all
    ],
)
def test_theme_day_shift_at_most_a_week(day: dt.date, expected: Status) -> None:
    led = ledger(
        branches=[branch(theme_day=1)],
        meetings=[meeting("t1", THEME, day, rescheduled_from=D(2020, 10, 1))],
    )
    findings = run_rule(led, "2020", "local.theme_day_shift", as_of=D(2021, 1, 15))
    month = str(Period.containing(day, PeriodUnit.MONTH))
    assert_findings(findings, {("t1", month): expected}, rule_id="local.theme_day_shift")
    (f,) = findings
    assert (f.subject.kind, f.subject.branch, f.day, f.evidence) == ("meeting", "b1", day, ("t1",))
    assert f"相差{abs((day - D(2020, 10, 1)).days)}天" in f.message


def test_theme_day_shift_judges_only_moved_theme_days_in_the_period() -> None:
    led = ledger(
        branches=[branch()],
        meetings=[
            meeting("g1", GM, D(2020, 10, 20), rescheduled_from=D(2020, 10, 1)),  # another kind
            meeting("t1", THEME, D(2020, 10, 15)),  # not moved
            meeting("t2", THEME, D(2020, 12, 31), rescheduled_from=D(2021, 1, 1)),  # in 2020
            meeting("t3", THEME, D(2021, 1, 2), rescheduled_from=D(2020, 12, 20)),  # in 2021
        ],
    )
    findings = run_rule(led, "2020", "local.theme_day_shift", as_of=D(2021, 1, 15))
    assert_findings(findings, {("t2", "2020-12"): Status.PASSED}, rule_id="local.theme_day_shift")


# -- properties --------------------------------------------------------------------------------

FREQUENCY_RULES = [r.id for r in load_rules("national") if r.kind == "frequency"]
KINDS = (GM, CM, GROUP, LECTURE, THEME, ORG_LIFE, APPRAISAL)
PROPS = settings(
    max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_the_frequency_rules_tested_here_are_all_the_built_in_ones() -> None:
    assert sorted(FREQUENCY_RULES) == sorted(
        [
            "branch.congress",
            "branch.committee_mtg",
            "branch.group_mtg",
            "branch.lecture",
            "branch.theme_day",
            "branch.org_life_mtg",
            "branch.appraisal",
        ]
    )


def _base():
    """c1 (a 基层党委 with a secretary) above b1 (a branch with a committee and two groups)."""
    return ledger(
        branches=[
            committee_org("c1", committee=[seat("s1", start=D(2020, 3, 1))]),
            branch("b1", parent="c1", committee=committee(["b1-m1", "b1-m2", "b1-m3"])),
        ],
        groups=[group("g1"), group("g2")],
        members=[full_member("s1", "c1"), *full_members(4)],
    )


BASE = _base()


@st.composite
def meetings_of(draw: st.DrawFn, n: tuple[int, int] = (0, 12), prefix: str = "m"):
    count = draw(st.integers(*n))
    result = []
    for i in range(count):
        kind = draw(st.sampled_from(KINDS))
        day = draw(st.dates(D(2019, 12, 1), D(2021, 1, 31)))
        extra = {}
        if kind is GROUP:
            extra["group"] = draw(st.sampled_from([None, "g1", "g2"]))
        if kind is LECTURE:
            extra["lecturer"] = draw(st.sampled_from(["s1", "b1-m1"]))
        result.append(meeting(f"{prefix}{i}", kind, day, **extra))
    return result


def _frequency(led, as_of):
    report = check(led, "2020", as_of=as_of, only=FREQUENCY_RULES)
    return {(f.rule, f.subject.id, str(f.period)): f.status for f in report.findings}


@PROPS
@given(
    base=meetings_of(),
    extra=meetings_of((1, 1), prefix="extra"),
    as_of=st.dates(D(2020, 1, 1), D(2021, 3, 1)),
)
def test_adding_a_meeting_never_turns_a_passed_frequency_finding_into_failed(
    base, extra, as_of
) -> None:
    before = _frequency(with_records(BASE, meetings=base), as_of)
    after = _frequency(with_records(BASE, meetings=[*base, *extra]), as_of)
    assert before.keys() == after.keys()
    for key, status in before.items():
        if status is Status.PASSED:
            assert after[key] is Status.PASSED, key
        if status is Status.NOT_APPLICABLE:
            assert after[key] is Status.NOT_APPLICABLE, key


ACTIVITY_RULES = [
    r.id for r in load_rules("national") if r.kind in ("frequency", "checklist", "reschedule")
]


@PROPS
@given(
    meetings=meetings_of((1, 12)),
    moved=st.lists(st.integers(-10, 10), min_size=1, max_size=3),
    seed=st.randoms(use_true_random=False),
)
def test_activity_findings_do_not_depend_on_the_order_of_records(meetings, moved, seed) -> None:
    meetings = [*meetings]
    for i, shift in enumerate(moved):
        day = D(2020, 5, 10) + dt.timedelta(days=shift)
        meetings.append(meeting(f"r{i}", THEME, day, rescheduled_from=D(2020, 5, 10)))
    led = with_records(BASE, meetings=meetings)
    shuffled = with_records(_base_shuffled(seed), meetings=seed.sample(meetings, len(meetings)))
    a = check(led, "2020", as_of=D(2020, 9, 1), only=ACTIVITY_RULES).findings
    b = check(shuffled, "2020", as_of=D(2020, 9, 1), only=ACTIVITY_RULES).findings
    assert sorted(a, key=repr) == sorted(b, key=repr)


def _base_shuffled(rnd: random.Random):
    return attrs.evolve(
        BASE,
        members=tuple(rnd.sample(BASE.members, len(BASE.members))),
        groups=tuple(rnd.sample(BASE.groups, len(BASE.groups))),
    )


@settings(max_examples=examples(15), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    led=ledgers(max_branches=3, max_members=4, max_records=2),
    profile=st.sampled_from(["national", "organ"]),
)
def test_every_finding_names_a_rule_of_the_rule_set(led, profile) -> None:
    ruleset = load_rules(profile)
    report = check(led, "2020", as_of=D(2020, 9, 1), profile=profile)
    for f in report.findings:
        assert f.rule in ruleset
        rule = ruleset.get(f.rule)
        cited = [rule.citations, *(v.citations for v in rule.versions[1:] if v.citations)]
        assert f.citations in cited
        assert report.titles[f.rule] == (rule.title, rule.title_en)
