"""Boundary tests of the structure rule kind: every built-in rule of this kind just met and just
missed. A structure is judged on one day: the end of the checked period, or the day of judging
when that comes first."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    CommitteeRole,
    CommitteeSeat,
    ElectionDelay,
    Gap,
    MemberStatus,
    OrgCategory,
    OrgLevel,
    Status,
    check,
    load_rules,
)
from dangjian.rules.kinds._common import add_months
from dangjian.rules.kinds.people import StructureParams, election_deadline
from tests.builders import examples
from tests.builders.rules import (
    DAY,
    D,
    assert_findings,
    branch,
    committee,
    committee_org,
    full_member,
    full_members,
    ledger,
    probationary_member,
    run_rule,
    seat,
    statuses,
    years_before,
)

# Checking 2020 on 15 January 2021 judges the state on 31 December 2020.
PERIOD = "2020"
AS_OF = D(2021, 1, 15)
JUDGED = D(2020, 12, 31)


def judge(led, rule_id, *, period=PERIOD, as_of=AS_OF, profile="national"):
    return run_rule(led, period, rule_id, as_of=as_of, profile=profile)


# -- branch.setup, charter.org_min: at least three full members ------------------------------------

MIN_FULL = ["branch.setup", "charter.org_min"]


@pytest.mark.parametrize("rule_id", MIN_FULL)
@pytest.mark.parametrize(
    ("full", "probationary", "status"),
    [
        (3, 0, Status.PASSED),
        (2, 0, Status.FAILED),
        (2, 1, Status.FAILED),  # a probationary member does not count
        (2, 5, Status.FAILED),
        (4, 0, Status.PASSED),
        (0, 0, Status.FAILED),
    ],
)
def test_at_least_three_full_members(rule_id: str, full: int, probationary: int, status) -> None:
    members = [
        *full_members(full),
        *(probationary_member(f"p{i}") for i in range(probationary)),
    ]
    led = ledger(branches=[branch()], members=members)
    findings = judge(led, rule_id)
    assert_findings(findings, {("b1", PERIOD): status}, rule_id=rule_id)
    (f,) = findings
    assert f.day == JUDGED
    assert sorted(f.evidence) == sorted(m.id for m in members[:full])
    assert f"{JUDGED.isoformat()}有{full}名" in f.message


@pytest.mark.parametrize("rule_id", MIN_FULL)
@pytest.mark.parametrize(
    ("third", "status"),
    [
        (full_member("x", converted=JUDGED), Status.PASSED),  # converted on the day judged
        (full_member("x", converted=JUDGED + DAY), Status.FAILED),  # the day after
        (
            # left on the day judged: a member until the day before
            full_member("x", status=MemberStatus.TRANSFERRED_OUT, left=JUDGED),
            Status.FAILED,
        ),
        (
            full_member("x", status=MemberStatus.TRANSFERRED_OUT, left=JUDGED + DAY),
            Status.PASSED,
        ),
        (full_member("x", joined=JUDGED + DAY), Status.FAILED),  # transferred in later
        (full_member("x", status=MemberStatus.ACTIVIST, converted=None), Status.FAILED),
    ],
)
def test_the_third_full_member_counts_on_the_day_judged(rule_id: str, third, status) -> None:
    led = ledger(branches=[branch()], members=[*full_members(2), third])
    assert_findings(judge(led, rule_id), {("b1", PERIOD): status}, rule_id=rule_id)


@pytest.mark.parametrize("rule_id", MIN_FULL)
def test_judged_on_the_day_of_judging_when_the_period_is_not_over(rule_id: str) -> None:
    led = ledger(
        branches=[branch()],
        members=[*full_members(2), full_member("x", converted=D(2020, 7, 1))],
    )
    findings = judge(led, rule_id, as_of=D(2020, 6, 30))
    assert_findings(findings, {("b1", PERIOD): Status.FAILED}, rule_id=rule_id)
    assert findings[0].day == D(2020, 6, 30)
    findings = judge(led, rule_id, as_of=D(2020, 7, 1))
    assert_findings(findings, {("b1", PERIOD): Status.PASSED}, rule_id=rule_id)


@pytest.mark.parametrize("rule_id", MIN_FULL)
def test_min_full_members_applies_to_branches_only(rule_id: str) -> None:
    led = ledger(
        branches=[
            committee_org("c1"),
            branch("gb", level=OrgLevel.GENERAL_BRANCH, parent="c1"),
            branch("j1", level=OrgLevel.JOINT_BRANCH, parent="c1"),
            branch("b1", parent="gb"),
            branch("old", parent="c1", dissolved=D(2020, 12, 30)),
        ],
        members=full_members(3, "b1"),
    )
    assert_findings(judge(led, rule_id), {("b1", PERIOD): Status.PASSED}, rule_id=rule_id)


def test_min_full_members_evidence_does_not_depend_on_the_order_of_members() -> None:
    members = full_members(3)
    a = judge(ledger(branches=[branch()], members=members), "branch.setup")
    b = judge(ledger(branches=[branch()], members=members[::-1]), "branch.setup")
    assert a == b


# -- branch.size: generally at most 50 members ---------------------------------------------------


@pytest.mark.parametrize(
    ("full", "probationary", "others", "status"),
    [
        (49, 1, 0, Status.PASSED),
        (50, 1, 0, Status.FAILED),  # 51: a probationary member counts
        (50, 0, 3, Status.PASSED),  # activists are not members
        (51, 0, 0, Status.FAILED),
        (3, 0, 0, Status.PASSED),
    ],
)
def test_branch_size_at_most_fifty_members(full, probationary, others, status) -> None:
    members = [
        *full_members(full),
        *(probationary_member(f"p{i}") for i in range(probationary)),
        *(
            full_member(f"a{i}", status=MemberStatus.ACTIVIST, converted=None)
            for i in range(others)
        ),
    ]
    led = ledger(branches=[branch()], members=members)
    findings = judge(led, "branch.size")
    assert_findings(findings, {("b1", PERIOD): status}, rule_id="branch.size")
    assert f"有{full + probationary}名" in findings[0].message


def test_branch_size_applies_to_joint_branches() -> None:
    led = ledger(
        branches=[branch("j1", level=OrgLevel.JOINT_BRANCH)], members=full_members(51, "j1")
    )
    assert_findings(
        judge(led, "branch.size"), {("j1", PERIOD): Status.FAILED}, rule_id="branch.size"
    )


# -- branch.committee_size: a committee of 3–5 from 7 full members ---------------------------------


def ids(n: int, branch: str = "b1") -> list[str]:
    return [f"{branch}-m{i}" for i in range(1, n + 1)]


def seats(n: int) -> list[CommitteeSeat]:
    """``n`` committee seats, the first the 书记; beyond seven, more 委员 (宣传)."""
    people = ids(n)
    extra = [seat(m, CommitteeRole.PUBLICITY) for m in people[7:]]
    return [*committee(people[:7]), *extra]


@pytest.mark.parametrize(
    ("full", "seated", "status"),
    [
        (7, 3, Status.PASSED),
        (7, 2, Status.FAILED),
        (7, 5, Status.PASSED),
        (7, 6, Status.PASSED),  # 一般不超过7人: six and seven are allowed
        (7, 7, Status.PASSED),
        (8, 8, Status.FAILED),
        (7, 1, Status.FAILED),
        (8, 4, Status.PASSED),
        (6, 1, Status.PASSED),  # under seven: a secretary is enough
        (6, 2, Status.PASSED),  # a secretary and a deputy
        (6, 0, Status.FAILED),  # no secretary
        (0, 0, Status.FAILED),
    ],
)
def test_committee_size(full: int, seated: int, status: Status) -> None:
    led = ledger(branches=[branch(committee=seats(seated))], members=full_members(full))
    findings = judge(led, "branch.committee_size")
    assert_findings(findings, {("b1", PERIOD): status}, rule_id="branch.committee_size")
    assert sorted(findings[0].evidence) == sorted(ids(seated))


@pytest.mark.parametrize(
    ("seated", "note"),
    [
        (3, ""),
        (5, ""),
        (6, "（多于5人，仍在一般不超过7人之内）"),
        (7, "（多于5人，仍在一般不超过7人之内）"),
        (8, "（超过一般上限7人）"),
        (2, "（少于3人）"),
    ],
)
def test_committee_size_says_where_the_size_stands(seated: int, note: str) -> None:
    led = ledger(branches=[branch(committee=seats(seated))], members=full_members(9))
    findings = judge(led, "branch.committee_size")
    message = findings[0].message
    assert "应设支部委员会3至5人、一般不超过7人" in message
    assert message.endswith(f"实有委员{seated}人{note}")


def test_committee_size_needs_a_secretary_among_the_committee() -> None:
    seats = [
        seat("b1-m1", CommitteeRole.DEPUTY_SECRETARY),
        seat("b1-m2", CommitteeRole.ORGANISATION),
        seat("b1-m3", CommitteeRole.PUBLICITY),
    ]
    led = ledger(branches=[branch(committee=seats)], members=full_members(7))
    findings = judge(led, "branch.committee_size")
    assert_findings(findings, {("b1", PERIOD): Status.FAILED}, rule_id="branch.committee_size")
    assert "未设书记" in findings[0].message


@pytest.mark.parametrize(
    ("end", "status"),
    [(JUDGED - DAY, Status.FAILED), (JUDGED, Status.PASSED)],
)
def test_committee_size_counts_the_seats_held_on_the_day_judged(end, status) -> None:
    seats = [*committee(ids(2)), seat("b1-m3", CommitteeRole.PUBLICITY, end=end)]
    led = ledger(branches=[branch(committee=seats)], members=full_members(7))
    assert_findings(
        judge(led, "branch.committee_size"),
        {("b1", PERIOD): status},
        rule_id="branch.committee_size",
    )


def test_committee_size_counts_a_person_with_two_seats_once() -> None:
    seats = [
        seat("b1-m1"),
        seat("b1-m2", CommitteeRole.ORGANISATION),
        seat("b1-m2", CommitteeRole.PUBLICITY),
    ]
    led = ledger(branches=[branch(committee=seats)], members=full_members(7))
    assert_findings(
        judge(led, "branch.committee_size"),
        {("b1", PERIOD): Status.FAILED},
        rule_id="branch.committee_size",
    )


def test_committee_size_threshold_counts_full_members_only() -> None:
    """Six full and three probationary members: under seven full members."""
    led = ledger(
        branches=[branch(committee=[seat("b1-m1")])],
        members=[*full_members(6), *(probationary_member(f"p{i}") for i in range(3))],
    )
    findings = judge(led, "branch.committee_size")
    assert_findings(findings, {("b1", PERIOD): Status.PASSED}, rule_id="branch.committee_size")
    assert "正式党员6名（<7）" in findings[0].message


def test_committee_size_under_seven_has_no_committee_beyond_secretary_and_deputy() -> None:
    led = ledger(branches=[branch(committee=committee(ids(3)))], members=full_members(6))
    assert_findings(
        judge(led, "branch.committee_size"),
        {("b1", PERIOD): Status.FAILED},
        rule_id="branch.committee_size",
    )


# -- branch.term, term.committee, term.general_branch, elect.on_time -------------------------------
#
# The "due" day is the anniversary of the last election after the term: the term runs to the
# end of that day, so judged on the anniversary itself the branch is on time, and late from the
# day after. elect.on_time allows a delay only with an approval (the section after this one).


TERM_PERIOD = "2024"
TERM_AS_OF = D(2025, 1, 15)
TERM_JUDGED = D(2024, 12, 31)

TERMS = [
    # rule, level, category, years of the term (no approval of a delay recorded)
    ("branch.term", OrgLevel.BRANCH, OrgCategory.ORGAN, 3),
    ("branch.term", OrgLevel.BRANCH, OrgCategory.VILLAGE, 5),
    ("branch.term", OrgLevel.BRANCH, OrgCategory.COMMUNITY, 5),
    ("branch.term", OrgLevel.JOINT_BRANCH, OrgCategory.PRIVATE_ENTERPRISE, 3),
    ("term.committee", OrgLevel.COMMITTEE, OrgCategory.ORGAN, 5),
    ("term.committee", OrgLevel.COMMITTEE, OrgCategory.VILLAGE, 5),
    ("term.general_branch", OrgLevel.GENERAL_BRANCH, OrgCategory.ORGAN, 3),
    ("term.general_branch", OrgLevel.GENERAL_BRANCH, OrgCategory.COMMUNITY, 5),
    ("elect.on_time", OrgLevel.BRANCH, OrgCategory.ORGAN, 3),
    ("elect.on_time", OrgLevel.BRANCH, OrgCategory.VILLAGE, 5),
    ("elect.on_time", OrgLevel.GENERAL_BRANCH, OrgCategory.SCHOOL, 3),
    ("elect.on_time", OrgLevel.JOINT_BRANCH, OrgCategory.COMMUNITY, 5),
]


@pytest.mark.parametrize(("rule_id", "level", "category", "years"), TERMS)
@pytest.mark.parametrize(
    ("shift", "status"),
    [
        (0, Status.PASSED),  # exactly the term before the day judged: due that day, on time
        (1, Status.PASSED),  # one day less
        (-1, Status.FAILED),  # one day more: late
        (400, Status.PASSED),
    ],
)
def test_term_due_on_the_anniversary(rule_id, level, category, years, shift, status) -> None:
    # judged at the end of 2024: every term here began after 2018-07-12, under the 2018 opinion
    last = years_before(TERM_JUDGED, years) + dt.timedelta(days=shift)
    led = ledger(branches=[branch("o1", level=level, category=category, last_election=last)])
    findings = judge(led, rule_id, period=TERM_PERIOD, as_of=TERM_AS_OF)
    assert_findings(findings, {("o1", TERM_PERIOD): status}, rule_id=rule_id)
    due = last.replace(year=last.year + years)
    assert f"应不迟于{due.isoformat()}换届" in findings[0].message


def test_term_from_29_february() -> None:
    """Elected on 29 February 2020, a three-year term is due on 28 February 2023."""
    led = ledger(branches=[branch(last_election=D(2020, 2, 29))])
    for as_of, status in ((D(2023, 2, 28), Status.PASSED), (D(2023, 3, 1), Status.FAILED)):
        findings = judge(led, "branch.term", period="2023", as_of=as_of)
        assert_findings(findings, {("b1", "2023"): status}, rule_id="branch.term")


@pytest.mark.parametrize("rule_id", ["branch.term", "elect.on_time"])
def test_term_without_a_last_election_cannot_tell(rule_id: str) -> None:
    """Whether a term is over depends on the last election: not recorded, the records cannot
    tell (recorded, the term is judged: the tests above)."""
    led = ledger(branches=[branch()])
    findings = judge(led, rule_id)
    assert_findings(findings, {("b1", PERIOD): Status.UNKNOWN}, rule_id=rule_id)
    assert findings[0].gap is Gap.DATES_MISSING
    assert "未记录上次换届日期" in findings[0].message


def test_term_begun_before_the_2018_opinion_without_its_length_lacks_a_detail() -> None:
    led = ledger(branches=[branch(last_election=D(2017, 6, 1))])
    findings = judge(led, "branch.term", period="2019", as_of=D(2020, 1, 15))
    assert_findings(findings, {("b1", "2019"): Status.UNKNOWN}, rule_id="branch.term")
    assert findings[0].gap is Gap.DETAILS_MISSING


@pytest.mark.parametrize(
    ("as_of", "document"),
    [
        (D(2020, 7, 12), "中国共产党基层组织选举工作暂行条例"),
        (D(2020, 7, 13), "中国共产党基层组织选举工作条例"),
    ],
)
def test_elect_on_time_cites_the_1990_rules_until_2020_07_13(as_of: dt.date, document) -> None:
    """The one-year limit on a delay is the 1990 暂行条例's (第三条) until the 2020 条例 is in
    force, on 2020-07-13: a term judged the day before cites the old text."""
    led = ledger(branches=[branch(last_election=D(2018, 8, 1))])  # due 2021-08-01
    findings = judge(led, "elect.on_time", period="2020", as_of=as_of)
    assert_findings(findings, {("b1", "2020"): Status.PASSED}, rule_id="elect.on_time")
    assert [c.document for c in findings[0].citations] == [document]
    assert findings[0].citations[0].article == "第三条"


@pytest.mark.parametrize("rule_id", ["branch.term", "term.general_branch", "elect.on_time"])
@pytest.mark.parametrize(
    ("elected", "term_years", "status"),
    [
        (D(2018, 7, 11), None, Status.UNKNOWN),  # the day before the opinion: the old term
        (D(2018, 7, 11), 2, Status.FAILED),  # the term it was elected for, recorded: judged
        (D(2018, 7, 12), None, Status.FAILED),  # the opinion's first day: its term applies
    ],
)
def test_terms_begun_before_the_2018_opinion_keep_the_term_they_were_elected_for(
    rule_id, elected, term_years, status
) -> None:
    """关于党的基层组织任期的意见 (2018-07-12): organisations elected before it apply the new
    term from their next election. Judged at the end of 2022, four and a half years on."""
    level = OrgLevel.GENERAL_BRANCH if rule_id == "term.general_branch" else OrgLevel.BRANCH
    led = ledger(branches=[branch("o1", level=level, last_election=elected, term_years=term_years)])
    findings = judge(led, rule_id, period="2022", as_of=D(2023, 1, 15))
    assert_findings(findings, {("o1", "2022"): status}, rule_id=rule_id)
    if status is Status.UNKNOWN:
        assert "2018-07-12" in findings[0].message and "term_years" in findings[0].message


# -- elect.on_time: a delay needs the higher organisation's approval, and is at most a year ------
#
# 选举工作条例 第三条: 延长或者提前期限一般不超过1年, with the higher organisation's approval.
# An organ's branch elected on 30 June 2021 serves three years, to 30 June 2024; judged on the day
# given (the check of that day's year, made that day).

ELECTED = D(2021, 6, 30)
TERM_END = D(2024, 6, 30)
A_YEAR_AFTER = D(2025, 6, 30)
BODY = "市X局机关党委"


APPROVED_ON = D(2024, 5, 20)


def approval(election_date: dt.date, approved_on: dt.date = APPROVED_ON) -> ElectionDelay:
    return ElectionDelay(approved_on=approved_on, approved_by=BODY, election_date=election_date)


def on_day(day: dt.date, *delays: ElectionDelay, level: OrgLevel = OrgLevel.BRANCH):
    """The findings of elect.on_time (term.general_branch for a general branch) judged on
    ``day``."""
    rule_id = "term.general_branch" if level is OrgLevel.GENERAL_BRANCH else "elect.on_time"
    org = branch("o1", level=level, last_election=ELECTED, election_delays=delays)
    findings = judge(ledger(branches=[org]), rule_id, period=str(day.year), as_of=day)
    assert [f.day for f in findings] == [day]
    return findings


UNAPPROVED = "任期于2024-06-30届满，未记录上级党组织批准延期，应不迟于2024-06-30换届"


@pytest.mark.parametrize(
    ("delays", "day", "status", "says"),
    [
        # no approval: the term's end is the deadline
        ((), TERM_END, Status.PASSED, UNAPPROVED),
        ((), TERM_END + DAY, Status.FAILED, UNAPPROVED),
        # an approved delay: on time until the day approved
        (
            (approval(D(2024, 12, 15)),),
            D(2024, 12, 15),
            Status.PASSED,
            f"经{BODY}于2024-05-20批准延期至2024-12-15，应不迟于2024-12-15换届",
        ),
        ((approval(D(2024, 12, 15)),), D(2024, 12, 16), Status.FAILED, "批准延期至2024-12-15"),
        # approved to a year after the term's end, exactly: the longest delay
        ((approval(A_YEAR_AFTER),), A_YEAR_AFTER, Status.PASSED, "应不迟于2025-06-30换届"),
        ((approval(A_YEAR_AFTER),), A_YEAR_AFTER + DAY, Status.FAILED, "批准延期至2025-06-30"),
        # approved beyond a year: counts only until a year after the term's end
        (
            (approval(D(2025, 12, 31)),),
            A_YEAR_AFTER,
            Status.PASSED,
            "批准延期至2025-12-31，但延期一般不超过1年，应不迟于2025-06-30换届",
        ),
        ((approval(A_YEAR_AFTER + DAY),), A_YEAR_AFTER + DAY, Status.FAILED, "一般不超过1年"),
        # brought forward: electing earlier was allowed; the term's end stays the deadline
        (
            (approval(D(2024, 3, 1), approved_on=D(2024, 1, 10)),),
            D(2024, 3, 2),
            Status.PASSED,
            f"经{BODY}于2024-01-10批准提前至2024-03-01换届，应不迟于2024-06-30换届",
        ),
        ((approval(D(2024, 3, 1), D(2024, 1, 10)),), TERM_END, Status.PASSED, "批准提前"),
        ((approval(D(2024, 3, 1), D(2024, 1, 10)),), TERM_END + DAY, Status.FAILED, "批准提前"),
        # an approval counts from the day it was given, even after the term's end
        ((approval(D(2024, 12, 31), D(2024, 8, 1)),), D(2024, 7, 31), Status.FAILED, UNAPPROVED),
        ((approval(D(2024, 12, 31), D(2024, 8, 1)),), D(2024, 8, 1), Status.PASSED, "延期至"),
        # an approval given on or before the last election was for an earlier term
        ((approval(D(2021, 6, 30), ELECTED),), TERM_END + DAY, Status.FAILED, UNAPPROVED),
        (
            (approval(D(2024, 12, 31), ELECTED + DAY),),
            TERM_END + DAY,
            Status.PASSED,
            "于2021-07-01批准延期至2024-12-31",
        ),
        # the latest approval stands, wherever it is listed: here it shortens the delay
        (
            (approval(D(2025, 3, 31)), approval(D(2024, 12, 31), D(2024, 11, 1))),
            D(2025, 1, 1),
            Status.FAILED,
            "于2024-11-01批准延期至2024-12-31",
        ),
        (
            (approval(D(2024, 12, 31), D(2024, 11, 1)), approval(D(2025, 3, 31))),
            D(2025, 1, 1),
            Status.FAILED,
            "于2024-11-01批准延期至2024-12-31",
        ),
    ],
)
def test_a_delay_needs_its_approval(delays, day, status, says) -> None:
    findings = on_day(day, *delays)
    assert_findings(findings, {("o1", str(day.year)): status}, rule_id="elect.on_time")
    assert says in findings[0].message
    assert findings[0].message.startswith("每届任期3年：上次换届2021-06-30，任期于2024-06-30届满")


def test_a_delay_and_its_approval_in_english() -> None:
    (finding,) = on_day(D(2025, 7, 1), approval(D(2025, 12, 31)))
    assert finding.message_en == (
        "a term is 3 years: last elected 2021-06-30, the term ends 2024-06-30; "
        f"{BODY} approved on 2024-05-20 a delay to 2025-12-31, but a delay is in general at "
        "most 1 year: due by 2025-06-30"
    )
    (finding,) = on_day(TERM_END + DAY)
    assert finding.message_en == (
        "a term is 3 years: last elected 2021-06-30, the term ends 2024-06-30 and no approval "
        "of a delay by the higher organisation is recorded: due by 2024-06-30"
    )


@pytest.mark.parametrize(
    ("delays", "day", "status"),
    [
        ((), TERM_END, Status.PASSED),
        ((), TERM_END + DAY, Status.FAILED),
        ((approval(D(2024, 12, 15)),), D(2024, 12, 15), Status.PASSED),
        ((approval(D(2024, 12, 15)),), D(2024, 12, 16), Status.FAILED),
    ],
)
def test_the_term_rules_honour_an_approved_delay(delays, day, status) -> None:
    """The term rules (term.general_branch here) read the term as elect.on_time does: the 2018
    opinion allows a delay approved by the higher organisation, so a branch that has one is not
    failed for its term while the approved day has not passed."""
    (finding,) = on_day(day, *delays, level=OrgLevel.GENERAL_BRANCH)
    assert finding.status is status
    assert finding.message.startswith("每届任期3年：上次换届2021-06-30，任期于2024-06-30届满")


def test_a_rule_without_grace_ignores_approvals() -> None:
    """With ``grace_years = 0`` (a rule file's own term rule) no delay is allowed: an approval
    does not move the deadline."""
    org = branch("o1", last_election=ELECTED, election_delays=(approval(D(2024, 12, 15)),))
    due = election_deadline(org, StructureParams(check="term", years=3, grace_years=0))
    assert (due.case, due.deadline, due.delay) == ("term", TERM_END, None)


def test_without_a_last_election_an_approval_tells_nothing() -> None:
    org = branch(election_delays=(approval(D(2020, 12, 15), approved_on=D(2020, 1, 1)),))
    (finding,) = judge(ledger(branches=[org]), "elect.on_time")
    assert finding.status is Status.UNKNOWN and finding.gap is Gap.DATES_MISSING


TERM_PARAMS = StructureParams(check="term", years=3, grace_years=1)


def test_the_deadline_of_each_case() -> None:
    org = branch("o1", last_election=ELECTED)
    due = election_deadline(org, TERM_PARAMS)
    assert (due.case, due.term_end, due.deadline, due.delay) == (
        "unapproved",
        TERM_END,
        TERM_END,
        None,
    )
    late = approval(D(2026, 1, 1))
    due = election_deadline(attrs.evolve(org, election_delays=(late,)), TERM_PARAMS)
    assert (due.case, due.deadline, due.delay) == ("capped", A_YEAR_AFTER, late)
    # on the day before the approval it does not count yet
    due = election_deadline(attrs.evolve(org, election_delays=(late,)), TERM_PARAMS, D(2024, 5, 19))
    assert (due.case, due.deadline) == ("unapproved", TERM_END)
    no_grace = StructureParams(check="term", years=3)
    due = election_deadline(attrs.evolve(org, election_delays=(late,)), no_grace)
    assert (due.case, due.deadline, due.delay) == ("term", TERM_END, None)
    assert election_deadline(branch("o2"), TERM_PARAMS).deadline is None


@given(
    elected=st.dates(D(2018, 7, 12), D(2030, 12, 31)),
    years=st.integers(1, 10),
    grace=st.integers(0, 2),
    delays=st.lists(
        st.tuples(st.integers(-400, 5000), st.integers(0, 3000)),
        max_size=3,
        unique_by=lambda d: d[0],
    ),
)
@settings(max_examples=examples(200), deadline=None)
def test_the_deadline_lies_between_the_terms_end_and_the_longest_delay(
    elected: dt.date, years: int, grace: int, delays: list[tuple[int, int]]
) -> None:
    """Whatever was approved, the deadline is never before the term's end nor more than
    ``grace_years`` after it; it is the day approved exactly when that lies between them."""
    approvals = tuple(
        ElectionDelay(
            approved_on=elected + dt.timedelta(days=on),
            approved_by=BODY,
            election_date=elected + dt.timedelta(days=on + after),
        )
        for on, after in delays
    )
    org = branch("o1", last_election=elected, term_years=years, election_delays=approvals)
    p = StructureParams(check="term", years=3, grace_years=grace)
    due = election_deadline(org, p)
    assert due.term_end == add_months(elected, 12 * years) and due.deadline is not None
    longest = add_months(elected, 12 * (years + grace))
    assert due.term_end <= due.deadline <= longest
    standing = [a for a in approvals if a.approved_on > elected] if grace else []
    if not standing:
        assert due.deadline == due.term_end and due.delay is None
    else:
        latest = max(standing, key=lambda a: a.approved_on)
        assert due.delay == latest
        assert due.deadline == min(max(latest.election_date, due.term_end), longest)


# -- branch.secretary_standing: a year of 党龄 when taking the seat ---------------------------------


@pytest.mark.parametrize(
    ("converted", "status"),
    [
        (D(2019, 6, 1), Status.PASSED),  # exactly one year before taking the seat
        (D(2019, 6, 2), Status.FAILED),  # a day later
        (D(2019, 5, 31), Status.PASSED),
        (D(2020, 6, 1), Status.FAILED),
    ],
)
def test_secretary_standing_one_year_when_taking_the_seat(converted, status) -> None:
    led = ledger(
        branches=[branch(committee=[seat("s", start=D(2020, 6, 1))])],
        members=[full_member("s", converted=converted), *full_members(2)],
    )
    findings = judge(led, "branch.secretary_standing")
    assert_findings(findings, {("b1", PERIOD): status}, rule_id="branch.secretary_standing")
    assert findings[0].evidence == ("s",)


@pytest.mark.parametrize(
    ("converted", "status"), [(D(2019, 12, 31), Status.PASSED), (D(2020, 1, 1), Status.FAILED)]
)
def test_secretary_standing_without_a_start_is_judged_on_the_day(converted, status) -> None:
    led = ledger(
        branches=[branch(committee=[seat("s")])],
        members=[full_member("s", converted=converted)],
    )
    assert_findings(
        judge(led, "branch.secretary_standing"),
        {("b1", PERIOD): status},
        rule_id="branch.secretary_standing",
    )


@pytest.mark.parametrize(
    ("seats", "members"),
    [
        ([], [full_member("s")]),  # no secretary
        ([seat("s", end=JUDGED - DAY)], [full_member("s")]),  # no longer secretary on the day
        ([seat("s", CommitteeRole.DEPUTY_SECRETARY)], [full_member("s")]),
    ],
)
def test_secretary_standing_not_applicable(seats, members) -> None:
    led = ledger(branches=[branch(committee=seats)], members=members)
    assert_findings(
        judge(led, "branch.secretary_standing"),
        {("b1", PERIOD): Status.NOT_APPLICABLE},
        rule_id="branch.secretary_standing",
    )


def test_secretary_standing_without_a_conversion_date_cannot_tell() -> None:
    led = ledger(
        branches=[branch(committee=[seat("s")])], members=[full_member("s", converted=None)]
    )
    findings = judge(led, "branch.secretary_standing")
    assert_findings(findings, {("b1", PERIOD): Status.UNKNOWN}, rule_id="branch.secretary_standing")
    assert findings[0].gap is Gap.DATES_MISSING
    assert findings[0].message == "书记s未记录转正日期，无法计算党龄"


# -- organ.structure: ≥ 100 full members a 基层党委, ≥ 50 a 党总支 ------------------------------------


def organ(level: OrgLevel, full: int, *, probationary: int = 0, category=OrgCategory.ORGAN):
    """An organisation ``o1`` of ``level`` with two branches below it sharing ``full`` full
    members (and ``probationary`` probationary ones)."""
    first = full // 2
    return ledger(
        branches=[
            branch("o1", level=level, category=category),
            branch("b1", parent="o1", category=category),
            branch("b2", parent="o1", category=category),
        ],
        members=[
            *full_members(first, "b1"),
            *full_members(full - first, "b2"),
            *(probationary_member(f"p{i}", "b2") for i in range(probationary)),
        ],
    )


@pytest.mark.parametrize(
    ("level", "full", "status"),
    [
        (OrgLevel.GENERAL_BRANCH, 99, Status.PASSED),
        (OrgLevel.GENERAL_BRANCH, 100, Status.FAILED),  # should be a 基层党委
        (OrgLevel.GENERAL_BRANCH, 50, Status.PASSED),
        (OrgLevel.GENERAL_BRANCH, 49, Status.PASSED),  # no requirement below 50
        (OrgLevel.COMMITTEE, 100, Status.PASSED),
        (OrgLevel.COMMITTEE, 99, Status.PASSED),
        (OrgLevel.COMMITTEE, 50, Status.PASSED),
    ],
)
def test_organ_structure(level: OrgLevel, full: int, status: Status) -> None:
    findings = judge(organ(level, full), "organ.structure", profile="organ")
    assert_findings(findings, {("o1", PERIOD): status}, rule_id="organ.structure", profile="organ")
    assert f"正式党员{full}名" in findings[0].message


def test_organ_structure_counts_full_members_only() -> None:
    led = organ(OrgLevel.GENERAL_BRANCH, 99, probationary=5)
    assert_findings(
        judge(led, "organ.structure", profile="organ"),
        {("o1", PERIOD): Status.PASSED},
        rule_id="organ.structure",
        profile="organ",
    )


def test_organ_structure_counts_every_level_below() -> None:
    """c1 above gb (a 党总支) above b1 and b2 with 50 full members each: gb should be a 基层党委."""
    led = ledger(
        branches=[
            committee_org("c1"),
            branch("gb", level=OrgLevel.GENERAL_BRANCH, parent="c1"),
            branch("b1", parent="gb"),
            branch("b2", parent="gb"),
        ],
        members=[*full_members(50, "b1"), *full_members(50, "b2")],
    )
    findings = judge(led, "organ.structure", profile="organ")
    assert_findings(
        findings,
        {("c1", PERIOD): Status.PASSED, ("gb", PERIOD): Status.FAILED},
        rule_id="organ.structure",
        profile="organ",
    )


def test_organ_structure_applies_to_organs_in_the_organ_profile_only() -> None:
    village = organ(OrgLevel.GENERAL_BRANCH, 100, category=OrgCategory.VILLAGE)
    assert judge(village, "organ.structure", profile="organ") == []
    assert "organ.structure" not in load_rules("national")


# -- properties --------------------------------------------------------------------------------

STRUCTURE_RULES = [r.id for r in load_rules("organ") if r.kind == "structure"]


def test_the_structure_rules_tested_here_are_all_the_built_in_ones() -> None:
    assert sorted(STRUCTURE_RULES) == sorted(
        [
            "charter.org_min",
            "branch.setup",
            "branch.size",
            "branch.committee_size",
            "branch.term",
            "branch.secretary_standing",
            "term.committee",
            "term.general_branch",
            "elect.on_time",
            "organ.structure",
        ]
    )


def _normalised(findings):
    return sorted((attrs.evolve(f, evidence=tuple(sorted(f.evidence))) for f in findings), key=repr)


@st.composite
def structured_ledgers(draw: st.DrawFn):
    n = draw(st.integers(0, 9))
    members = []
    for i in range(n):
        kind = draw(st.sampled_from(["full", "probationary", "left", "late"]))
        if kind == "full":
            members.append(
                full_member(f"m{i}", converted=draw(st.dates(D(2015, 1, 1), D(2020, 12, 31))))
            )
        elif kind == "probationary":
            members.append(probationary_member(f"m{i}"))
        elif kind == "left":
            members.append(
                full_member(f"m{i}", status=MemberStatus.TRANSFERRED_OUT, left=D(2020, 6, 1))
            )
        else:
            members.append(full_member(f"m{i}", converted=D(2021, 1, 1)))
    holders = (
        draw(st.lists(st.sampled_from([m.id for m in members]), unique=True, max_size=6))
        if members
        else []
    )
    last = draw(st.one_of(st.none(), st.dates(D(2014, 1, 1), D(2020, 12, 31))))
    category = draw(st.sampled_from([OrgCategory.ORGAN, OrgCategory.VILLAGE]))
    return ledger(
        branches=[
            committee_org("c1", category=category, last_election=last),
            branch(
                "b1",
                parent="c1",
                category=category,
                committee=committee(holders),
                last_election=last,
            ),
        ],
        members=members,
    )


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(led=structured_ledgers(), rnd=st.randoms(use_true_random=False))
def test_structure_findings_do_not_depend_on_the_order_of_records(led, rnd) -> None:
    shuffled = attrs.evolve(
        led,
        members=tuple(rnd.sample(led.members, len(led.members))),
        branches=tuple(rnd.sample(led.branches, len(led.branches))),
    )
    a = check(led, PERIOD, as_of=AS_OF, profile="organ", only=STRUCTURE_RULES).findings
    b = check(shuffled, PERIOD, as_of=AS_OF, profile="organ", only=STRUCTURE_RULES).findings
    # the evidence is compared as a set: its order follows the ledger (see the xfail above)
    assert _normalised(a) == _normalised(b)
    assert statuses(f for f in a if f.rule == "branch.setup") == statuses(
        f for f in b if f.rule == "branch.setup"
    )


def test_term_recorded_in_the_ledger_comes_before_the_category_default() -> None:
    """A branch whose ledger records a five-year term is judged on five years, not three."""
    last = years_before(TERM_JUDGED, 4)
    own = branch("o1", last_election=last, term_years=5)
    default = branch("o2", last_election=last)
    found = judge(
        ledger(branches=[own, default]), "branch.term", period=TERM_PERIOD, as_of=TERM_AS_OF
    )
    assert {(f.subject.id, f.status) for f in found} == {
        ("o1", Status.PASSED),
        ("o2", Status.FAILED),
    }
