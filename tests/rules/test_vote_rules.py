"""Boundary tests of the vote rule kinds (quorum, resolution_votes, election): every built-in rule
of these kinds just met and just missed. The texts' words are kept: 以上 includes the number
("半数以上…到会": exactly half is a quorum), 超过 does not (exactly four fifths of those who should
attend is no election quorum; exactly half of them voting yes passes no resolution)."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    CommitteeRole,
    ElectionKind,
    Gap,
    MeetingKind,
    OrgLevel,
    Resolution,
    RuleError,
    Status,
    check,
    load_rules,
)
from tests.builders import examples
from tests.builders.rules import (
    DAY,
    D,
    assert_findings,
    branch,
    committee,
    election,
    full_member,
    full_members,
    ledger,
    meeting,
    probationary_member,
    rule_file,
    run_rule,
    seat,
    with_records,
)

GM = MeetingKind.GENERAL_MEETING
CM = MeetingKind.COMMITTEE_MEETING
DAY_OF = D(2020, 5, 12)
MONTH = "2020-05"
AS_OF = D(2021, 1, 15)

TEN = full_members(10)
TEN_IDS = [m.id for m in TEN]


def more_than(count: int, of: int, fraction: Fraction) -> bool:
    """The requirement as the regulations word it: strictly more than ``fraction`` of ``of``."""
    return Fraction(count) > fraction * of


def at_least(count: int, of: int, fraction: Fraction) -> bool:
    """The requirement where the text says 以上: ``fraction`` of ``of``, the number included."""
    return Fraction(count) >= fraction * of


def expect(met: bool) -> Status:
    return Status.PASSED if met else Status.FAILED


# -- quorum: branch.congress_quorum --------------------------------------------------------------

HALF = Fraction(1, 2)


@pytest.mark.parametrize(
    ("expected", "present", "status"),
    [
        (10, 6, Status.PASSED),
        (10, 5, Status.PASSED),  # exactly half: 半数以上 includes half
        (10, 4, Status.FAILED),
        (9, 5, Status.PASSED),
        (9, 4, Status.FAILED),  # 4 < 4.5
        (2, 2, Status.PASSED),
        (2, 1, Status.PASSED),
        (1, 0, Status.FAILED),
        (51, 26, Status.PASSED),
        (51, 25, Status.FAILED),
    ],
)
def test_congress_quorum_half_or_more_by_counts(expected: int, present: int, status) -> None:
    assert status is expect(at_least(present, expected, HALF))
    led = ledger(
        branches=[branch()],
        meetings=[meeting("g1", GM, DAY_OF, expected_count=expected, present_count=present)],
    )
    findings = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    assert_findings(findings, {("g1", MONTH): status}, rule_id="branch.congress_quorum")
    (f,) = findings
    assert (f.subject.kind, f.subject.branch, f.day, f.evidence) == (
        "meeting",
        "b1",
        DAY_OF,
        ("g1",),
    )
    assert f"应到{expected}人，实到{present}人" in f.message
    assert "以上" in f.message


def test_congress_quorum_rule_says_at_least_half() -> None:
    """The parameter says which: 以上 is ``present_at_least``, and the title quotes 以上."""
    rule = load_rules("national").get("branch.congress_quorum")
    assert rule.params_on(D(2020, 1, 1)).present_at_least == HALF
    assert rule.params_on(D(2020, 1, 1)).present_more_than is None
    assert "半数以上" in rule.title


@pytest.mark.parametrize(("present", "status"), [(5, Status.PASSED), (4, Status.FAILED)])
def test_congress_quorum_by_names(present: int, status: Status) -> None:
    led = ledger(
        branches=[branch()],
        members=TEN,
        meetings=[meeting("g1", GM, DAY_OF, expected=TEN_IDS, attended=TEN_IDS[:present])],
    )
    findings = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    assert_findings(findings, {("g1", MONTH): status}, rule_id="branch.congress_quorum")


@pytest.mark.parametrize(("expected", "present"), [(None, 6), (10, None), (None, None)])
def test_congress_quorum_without_counts_cannot_tell(expected, present) -> None:
    led = ledger(
        branches=[branch()],
        meetings=[meeting("g1", GM, DAY_OF, expected_count=expected, present_count=present)],
    )
    findings = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    assert_findings(findings, {("g1", MONTH): Status.UNKNOWN}, rule_id="branch.congress_quorum")


@pytest.mark.parametrize(
    ("expected", "present", "status"),
    [(10, 5, Status.PASSED), (10, 4, Status.FAILED), (None, 5, Status.UNKNOWN)],
)
def test_congress_quorum_judged_once_the_counts_are_recorded(expected, present, status) -> None:
    """Recorded, the counts are judged (半数以上: 5 of 10 is a quorum); missing, the records
    cannot tell, and the finding says what to add."""
    led = ledger(
        branches=[branch()],
        meetings=[meeting("g1", GM, DAY_OF, expected_count=expected, present_count=present)],
    )
    findings = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    assert_findings(findings, {("g1", MONTH): status}, rule_id="branch.congress_quorum")
    if status is Status.UNKNOWN:
        assert findings[0].gap is Gap.DETAILS_MISSING
        assert "记录中没有应到或实到人数，无法判断" in findings[0].message
    else:
        assert findings[0].gap is None


@pytest.mark.parametrize("probationary_present", [0, 1, 2])
def test_congress_quorum_counts_only_voting_members(probationary_present: int) -> None:
    """Eight full members and two probationary members should attend: the quorum is half or
    more of the eight with a vote; probationary members present do not make it up."""
    probationary = [probationary_member(f"p{i}", admitted=D(2020, 1, 1)) for i in (1, 2)]
    full = full_members(8)
    expected = [m.id for m in (*full, *probationary)]
    attended = [m.id for m in full[:3]] + [m.id for m in probationary[:probationary_present]]
    led = ledger(
        branches=[branch()],
        members=[*full, *probationary],
        meetings=[meeting("g1", GM, DAY_OF, expected=expected, attended=attended)],
    )
    findings = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    # 3 of 8 voting members is less than half, whoever else came
    assert_findings(findings, {("g1", MONTH): Status.FAILED}, rule_id="branch.congress_quorum")


def test_congress_quorum_voting_members_half_or_more() -> None:
    probationary = [probationary_member(f"p{i}", admitted=D(2020, 1, 1)) for i in (1, 2)]
    full = full_members(8)
    expected = [m.id for m in (*full, *probationary)]
    led = ledger(
        branches=[branch()],
        members=[*full, *probationary],
        meetings=[meeting("g1", GM, DAY_OF, expected=expected, attended=[m.id for m in full[:4]])],
    )
    findings = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    # 4 present of 10 named is less than half of everybody, but it is half of the 8 voters
    assert_findings(findings, {("g1", MONTH): Status.PASSED}, rule_id="branch.congress_quorum")


@pytest.mark.parametrize(("voting_only", "status"), [(True, Status.FAILED), (False, Status.PASSED)])
def test_quorum_of_everybody_named_when_told(tmp_path, voting_only: bool, status) -> None:
    """A user rule with ``voting_only = false`` counts probationary members too: four full and
    two probationary members present of eight full and two probationary expected."""
    path = rule_file(
        tmp_path,
        [
            {
                "id": "local.quorum",
                "kind": "quorum",
                "params": {
                    "meeting_kinds": ["general_meeting"],
                    "present_more_than": "1/2",
                    "voting_only": voting_only,
                },
            }
        ],
    )
    probationary = [probationary_member(f"p{i}", admitted=D(2020, 1, 1)) for i in (1, 2)]
    full = full_members(8)
    led = ledger(
        branches=[branch()],
        members=[*full, *probationary],
        meetings=[
            meeting(
                "g1",
                GM,
                DAY_OF,
                expected=[m.id for m in (*full, *probationary)],
                attended=[m.id for m in (*full[:4], *probationary)],
            )
        ],
    )
    findings = run_rule(led, "2020", "local.quorum", as_of=AS_OF, rules=[path])
    assert_findings(findings, {("g1", MONTH): status}, rule_id="local.quorum", files=[path])


def test_congress_quorum_judges_only_general_meetings_of_branches_in_the_period() -> None:
    led = ledger(
        branches=[branch("b1"), branch("gb", level=OrgLevel.GENERAL_BRANCH)],
        meetings=[
            meeting("g1", GM, D(2020, 1, 1), expected_count=10, present_count=4),
            meeting("g0", GM, D(2019, 12, 31), expected_count=10, present_count=4),
            meeting("c1", CM, D(2020, 3, 1), expected_count=10, present_count=4),
            meeting("x1", GM, D(2020, 3, 1), branch="gb", expected_count=10, present_count=4),
        ],
    )
    findings = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    assert_findings(findings, {("g1", "2020-01"): Status.FAILED}, rule_id="branch.congress_quorum")


# -- quorum: branch.committee_quorum --------------------------------------------------------------

FIVE = ["b1-m1", "b1-m2", "b1-m3", "b1-m4", "b1-m5"]


def committee_meeting_ledger(seats, **fields):
    return ledger(
        branches=[branch(committee=seats)],
        members=TEN,
        meetings=[meeting("c1", CM, DAY_OF, **fields)],
    )


@pytest.mark.parametrize(
    ("attended", "status"),
    [
        (FIVE[:3], Status.PASSED),
        (FIVE[:2], Status.FAILED),  # 2 < 2.5
        (FIVE, Status.PASSED),
        # two of the committee and three members sitting in: two of five
        ([*FIVE[:2], "b1-m6", "b1-m7", "b1-m8"], Status.FAILED),
    ],
)
def test_committee_quorum_half_or_more_of_the_committee(attended, status) -> None:
    led = committee_meeting_ledger(committee(FIVE), attended=attended)
    findings = run_rule(led, "2020", "branch.committee_quorum", as_of=AS_OF)
    assert_findings(findings, {("c1", MONTH): status}, rule_id="branch.committee_quorum")
    (f,) = findings
    assert "应到5人" in f.message


@pytest.mark.parametrize(("present", "status"), [(3, Status.PASSED), (2, Status.FAILED)])
def test_committee_quorum_by_count(present, status) -> None:
    led = committee_meeting_ledger(committee(FIVE), present_count=present)
    findings = run_rule(led, "2020", "branch.committee_quorum", as_of=AS_OF)
    assert_findings(findings, {("c1", MONTH): status}, rule_id="branch.committee_quorum")


@pytest.mark.parametrize(
    ("end", "start", "seated"),
    [
        (DAY_OF - DAY, None, 4),  # left the day before: four seats on the day
        (DAY_OF, None, 5),  # left on the day: still seated
        (None, DAY_OF + DAY, 4),  # takes the seat the day after
        (None, DAY_OF, 5),
    ],
)
def test_committee_quorum_counts_the_seats_held_on_the_day(end, start, seated) -> None:
    seats = [*committee(FIVE[:4]), seat(FIVE[4], CommitteeRole.MEMBER, start=start, end=end)]
    for present in (1, 2, 3):
        led = committee_meeting_ledger(seats, attended=FIVE[:present])
        findings = run_rule(led, "2020", "branch.committee_quorum", as_of=AS_OF)
        assert_findings(
            findings,
            {("c1", MONTH): expect(at_least(present, seated, HALF))},
            rule_id="branch.committee_quorum",
        )
        assert f"应到{seated}人" in findings[0].message


@pytest.mark.parametrize(("present", "status"), [(2, Status.PASSED), (1, Status.FAILED)])
def test_committee_quorum_exactly_half_of_an_even_committee(present, status) -> None:
    """支部工作条例 第十二条 "须有半数以上委员到会": two of a committee of four is a quorum."""
    led = committee_meeting_ledger(committee(FIVE[:4]), attended=FIVE[:present])
    findings = run_rule(led, "2020", "branch.committee_quorum", as_of=AS_OF)
    assert_findings(findings, {("c1", MONTH): status}, rule_id="branch.committee_quorum")
    assert "以上" in findings[0].message


def test_committee_quorum_without_a_committee_cannot_tell() -> None:
    led = committee_meeting_ledger([], attended=FIVE[:3])
    findings = run_rule(led, "2020", "branch.committee_quorum", as_of=AS_OF)
    assert_findings(findings, {("c1", MONTH): Status.UNKNOWN}, rule_id="branch.committee_quorum")
    assert findings[0].gap is Gap.DETAILS_MISSING
    assert "在任的支委会委员，无法判断" in findings[0].message


# -- resolution_votes: branch.congress_vote --------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "present", "yes", "status"),
    [
        (10, 7, 6, Status.PASSED),
        (10, 7, 5, Status.FAILED),  # more than half of the 7 present, not of the 10 expected
        (10, 10, 5, Status.FAILED),  # exactly half of 应到会: 超过 is strictly more
        (10, 10, 6, Status.PASSED),
        (9, 9, 5, Status.PASSED),
        (9, 9, 4, Status.FAILED),
        (10, 6, 6, Status.PASSED),
    ],
)
def test_congress_vote_more_than_half_of_those_who_should_attend(
    expected, present, yes, status
) -> None:
    assert status is expect(more_than(yes, expected, HALF))
    led = ledger(
        branches=[branch()],
        meetings=[
            meeting(
                "g1",
                GM,
                DAY_OF,
                expected_count=expected,
                present_count=present,
                resolutions=(Resolution(text="通过年度计划", votes_for=yes),),
            )
        ],
    )
    findings = run_rule(led, "2020", "branch.congress_vote", as_of=AS_OF)
    assert_findings(findings, {("g1#1", MONTH): status}, rule_id="branch.congress_vote")
    (f,) = findings
    assert (f.subject.kind, f.subject.name, f.subject.branch) == (
        "resolution",
        "通过年度计划",
        "b1",
    )
    assert f"{expected}人，赞成{yes}票" in f.message


def test_congress_vote_five_of_seven_present_is_not_enough_when_ten_should_attend() -> None:
    led = ledger(
        branches=[branch()],
        meetings=[
            meeting(
                "g1",
                GM,
                DAY_OF,
                expected_count=10,
                present_count=7,
                resolutions=(
                    Resolution(text="决议一", votes_for=6, votes_against=1),
                    Resolution(text="决议二", votes_for=5, abstentions=2),
                ),
            )
        ],
    )
    findings = run_rule(led, "2020", "branch.congress_vote", as_of=AS_OF)
    assert_findings(
        findings,
        {("g1#1", MONTH): Status.PASSED, ("g1#2", MONTH): Status.FAILED},
        rule_id="branch.congress_vote",
    )


def test_congress_vote_base_counts_only_voting_members_named() -> None:
    """Ten named, two of them probationary: the base is the eight with a vote; five yes pass."""
    probationary = [probationary_member(f"p{i}", admitted=D(2020, 1, 1)) for i in (1, 2)]
    full = full_members(8)
    led = ledger(
        branches=[branch()],
        members=[*full, *probationary],
        meetings=[
            meeting(
                "g1",
                GM,
                DAY_OF,
                expected=[m.id for m in (*full, *probationary)],
                attended=[m.id for m in (*full, *probationary)],
                resolutions=(
                    Resolution(text="五票", votes_for=5),
                    Resolution(text="四票", votes_for=4),
                ),
            )
        ],
    )
    findings = run_rule(led, "2020", "branch.congress_vote", as_of=AS_OF)
    assert_findings(
        findings,
        {("g1#1", MONTH): Status.PASSED, ("g1#2", MONTH): Status.FAILED},
        rule_id="branch.congress_vote",
    )


def test_congress_vote_without_the_expected_count_cannot_tell() -> None:
    led = ledger(
        branches=[branch()],
        meetings=[
            meeting(
                "g1",
                GM,
                DAY_OF,
                present_count=7,
                resolutions=(Resolution(text="决议", votes_for=7),),
            ),
            meeting("g2", GM, DAY_OF, expected_count=10, present_count=7),  # no resolution
        ],
    )
    findings = run_rule(led, "2020", "branch.congress_vote", as_of=AS_OF)
    assert_findings(findings, {("g1#1", MONTH): Status.UNKNOWN}, rule_id="branch.congress_vote")


# -- election ------------------------------------------------------------------------------------

ELECTION_DAY = D(2020, 8, 20)
E_MONTH = "2020-08"


def election_ledger(*elections, members=TEN):
    return ledger(branches=[branch()], members=members, elections=elections)


def run_election(rule_id, *elections, members=TEN):
    led = election_ledger(*elections, members=members)
    return run_rule(led, "2020", rule_id, as_of=AS_OF)


FOUR_FIFTHS = Fraction(4, 5)


@pytest.mark.parametrize(
    ("expected", "present", "status"),
    [
        (10, 9, Status.PASSED),
        (10, 8, Status.FAILED),  # exactly four fifths is not more than four fifths
        (10, 10, Status.PASSED),
        (5, 5, Status.PASSED),
        (5, 4, Status.FAILED),
        (6, 5, Status.PASSED),  # 5 > 4.8
        (11, 9, Status.PASSED),  # 9 > 8.8
        (11, 8, Status.FAILED),
    ],
)
def test_election_quorum_more_than_four_fifths(expected, present, status) -> None:
    assert status is expect(more_than(present, expected, FOUR_FIFTHS))
    e = election(
        "e1",
        ELECTION_DAY,
        candidates=TEN_IDS[:2],
        elected=TEN_IDS[:1],
        expected_count=expected,
        present_count=present,
    )
    findings = run_election("elect.quorum", e)
    assert_findings(findings, {("e1", E_MONTH): status}, rule_id="elect.quorum")
    (f,) = findings
    assert (f.subject.kind, f.day, f.evidence) == ("election", ELECTION_DAY, ("e1",))


@pytest.mark.parametrize(("present", "status"), [(9, Status.PASSED), (8, Status.FAILED)])
def test_election_quorum_by_names(present, status) -> None:
    e = election(
        "e1",
        ELECTION_DAY,
        candidates=TEN_IDS[:2],
        voters_expected=TEN_IDS,
        voters_present=TEN_IDS[:present],
    )
    assert_findings(
        run_election("elect.quorum", e), {("e1", E_MONTH): status}, rule_id="elect.quorum"
    )


def test_election_quorum_without_counts_cannot_tell() -> None:
    e = election("e1", ELECTION_DAY, candidates=TEN_IDS[:2], present_count=9)
    assert_findings(
        run_election("elect.quorum", e),
        {("e1", E_MONTH): Status.UNKNOWN},
        rule_id="elect.quorum",
    )


@pytest.mark.parametrize(
    ("present", "votes", "status"),
    [
        (9, 5, Status.PASSED),
        (9, 4, Status.FAILED),
        (10, 5, Status.FAILED),  # exactly half
        (10, 6, Status.PASSED),
        (1, 1, Status.PASSED),
        (2, 1, Status.FAILED),
    ],
)
def test_election_winner_more_than_half_of_those_present(present, votes, status) -> None:
    assert status is expect(more_than(votes, present, HALF))
    e = election(
        "e1",
        ELECTION_DAY,
        candidates={"b1-m1": votes, "b1-m2": present - votes},
        elected=["b1-m1"],
        expected_count=10,
        present_count=present,
    )
    findings = run_election("elect.win", e)
    assert_findings(findings, {("e1", E_MONTH): status}, rule_id="elect.win")


def test_election_winner_names_each_winner_short_of_votes() -> None:
    e = election(
        "e1",
        ELECTION_DAY,
        seats=3,
        candidates={"b1-m1": 9, "b1-m2": 5, "b1-m3": 4, "b1-m4": 2},
        elected=["b1-m1", "b1-m2", "b1-m3"],
        voters_present=TEN_IDS[:9],
    )
    findings = run_election("elect.win", e)
    assert_findings(findings, {("e1", E_MONTH): Status.FAILED}, rule_id="elect.win")
    short = findings[0].message.split("得票不足者：")[1]
    assert short == "b1-m3（4票）"


def test_election_winner_without_votes_cannot_tell() -> None:
    e = election(
        "e1",
        ELECTION_DAY,
        candidates=["b1-m1", "b1-m2"],
        elected=["b1-m1"],
        present_count=9,
    )
    assert_findings(
        run_election("elect.win", e),
        {("e1", E_MONTH): Status.UNKNOWN},
        rule_id="elect.win",
    )


def test_election_winner_with_nobody_elected_is_not_applicable() -> None:
    e = election(
        "e1",
        ELECTION_DAY,
        candidates={"b1-m1": 3, "b1-m2": 2},
        elected=[],
        present_count=9,
    )
    findings = run_election("elect.win", e)
    assert_findings(findings, {("e1", E_MONTH): Status.NOT_APPLICABLE}, rule_id="elect.win")
    assert "没有当选人" in findings[0].message


def needed_candidates(seats: int) -> int:
    """Seats plus 20 % of them, rounded up: the smallest list with a 20 % margin."""
    return seats + -(-seats // 5)


@pytest.mark.parametrize(
    ("seats", "candidates", "status"),
    [
        (5, 6, Status.PASSED),  # 5 + 1
        (5, 5, Status.FAILED),
        (3, 4, Status.PASSED),  # 3 + ceil(0.6)
        (3, 3, Status.FAILED),
        (1, 2, Status.PASSED),  # 1 + ceil(0.2)
        (1, 1, Status.FAILED),
        (6, 8, Status.PASSED),  # 6 + ceil(1.2)
        (6, 7, Status.FAILED),
        (7, 9, Status.PASSED),
        (7, 8, Status.FAILED),
    ],
)
def test_election_margin_twenty_percent_rounded_up(seats, candidates, status) -> None:
    assert status is expect(candidates >= needed_candidates(seats))
    e = election("e1", ELECTION_DAY, seats=seats, candidates=TEN_IDS[:candidates])
    findings = run_election("elect.margin", e)
    assert_findings(findings, {("e1", E_MONTH): status}, rule_id="elect.margin")
    assert f"候选人至少{needed_candidates(seats)}名，实有{candidates}名" in findings[0].message


def test_election_margin_judges_general_elections_only() -> None:
    e = election("e1", ELECTION_DAY, seats=2, candidates=TEN_IDS[:2], kind=ElectionKind.BY_ELECTION)
    assert run_election("elect.margin", e) == []


@pytest.mark.parametrize(
    ("candidate", "voter", "status"),
    [
        ("b1-m1", "b1-m2", Status.PASSED),
        ("p1", "b1-m2", Status.FAILED),  # a probationary candidate
        ("b1-m1", "p1", Status.FAILED),  # a probationary voter present
        ("c0", "b1-m2", Status.PASSED),  # converted on the day of the election
        ("c1", "b1-m2", Status.FAILED),  # converted the day after
    ],
)
def test_election_rights_full_members_only(candidate, voter, status) -> None:
    members = [
        *TEN,
        probationary_member("p1", admitted=D(2020, 1, 10)),
        full_member("c0", converted=ELECTION_DAY),
        full_member("c1", converted=ELECTION_DAY + DAY, admitted=D(2019, 6, 1)),
    ]
    e = election(
        "e1",
        ELECTION_DAY,
        candidates=[candidate, "b1-m9"],
        elected=[candidate],
        voters_expected=[voter, "b1-m3", "b1-m4"],
        voters_present=[voter, "b1-m3"],
    )
    findings = run_election("elect.rights", e, members=members)
    assert_findings(findings, {("e1", E_MONTH): status}, rule_id="elect.rights")
    barred = candidate if candidate in ("p1", "c1") else voter if voter == "p1" else None
    if barred:
        assert f"{barred}在选举日不是正式党员" in findings[0].message


@pytest.mark.parametrize("rule_id", ["elect.win", "elect.rights"])
@pytest.mark.parametrize(("day", "judged"), [(D(2020, 7, 12), False), (D(2020, 7, 13), True)])
def test_election_rules_are_in_force_from_2020_07_13(rule_id, day, judged) -> None:
    """基层组织选举工作条例 is issued and in force on 2020-07-13: an election the day before is
    not judged by the rules it brought."""
    e = election(
        "e1",
        day,
        seats=1,
        candidates={"b1-m1": 9, "b1-m2": 1},
        elected=["b1-m1"],
        voters_expected=TEN_IDS,
        voters_present=TEN_IDS,
    )
    led = election_ledger(e)
    findings = run_rule(led, "2020", rule_id, as_of=AS_OF)
    assert_findings(findings, {("e1", "2020-07"): Status.PASSED} if judged else {}, rule_id=rule_id)


@pytest.mark.parametrize("rule_id", ["elect.quorum", "elect.margin"])
@pytest.mark.parametrize(
    ("day", "document"),
    [
        (D(2019, 6, 1), "中国共产党基层组织选举工作暂行条例"),
        (D(2020, 7, 12), "中国共产党基层组织选举工作暂行条例"),
        (D(2020, 7, 13), "中国共产党基层组织选举工作条例"),
    ],
)
def test_earlier_elections_are_judged_by_the_1990_rules(rule_id, day, document) -> None:
    """The 1990 暂行条例 already had the 4/5 quorum and the 20 % margin: an election before
    2020-07-13 is judged by them, and cites them; one from that day cites the 2020 条例."""
    e = election(
        "e1",
        day,
        seats=5,
        candidates={f"b1-m{i}": 8 for i in range(1, 7)},
        elected=[f"b1-m{i}" for i in range(1, 6)],
        voters_expected=TEN_IDS,
        voters_present=TEN_IDS[:8],  # exactly four fifths: no quorum under either text
    )
    led = election_ledger(e)
    findings = run_rule(led, str(day.year), rule_id, as_of=AS_OF)
    status = Status.FAILED if rule_id == "elect.quorum" else Status.PASSED
    month = f"{day.year}-{day.month:02d}"
    assert_findings(findings, {("e1", month): status}, rule_id=rule_id)
    assert [c.document for c in findings[0].citations] == [document]


@pytest.mark.parametrize(
    ("comparison", "status"), [("more_than", "failed"), ("at_least", "passed")]
)
def test_election_comparison_is_explicit(tmp_path, comparison, status) -> None:
    """A rule file says whether the fraction must be exceeded (超过) or reached (以上)."""
    path = rule_file(
        tmp_path,
        [
            {
                "id": "local.quorum",
                "kind": "election",
                "params": {"check": "quorum", "fraction": "4/5", "comparison": comparison},
            }
        ],
    )
    e = election(
        "e1",
        ELECTION_DAY,
        seats=1,
        candidates={"b1-m1": 8},
        elected=["b1-m1"],
        voters_expected=TEN_IDS,
        voters_present=TEN_IDS[:8],
    )
    findings = run_rule(election_ledger(e), "2020", "local.quorum", as_of=AS_OF, rules=[path])
    assert_findings(findings, {("e1", E_MONTH): status}, rule_id="local.quorum", files=[path])


@pytest.mark.parametrize(
    "params",
    [
        {"meeting_kinds": ["general_meeting"]},
        {
            "meeting_kinds": ["general_meeting"],
            "present_at_least": "1/2",
            "present_more_than": "1/2",
        },
    ],
)
def test_a_quorum_says_either_at_least_or_more_than(tmp_path, params) -> None:
    """Neither or both of 以上 and 超过 is an error of the rule file that names the field."""
    path = rule_file(tmp_path, [{"id": "local.quorum", "kind": "quorum", "params": params}])
    with pytest.raises(RuleError) as caught:
        load_rules("national", [path])
    assert "present_more_than" in str(caught.value)


# -- properties --------------------------------------------------------------------------------

VOTE_RULES = [
    r.id for r in load_rules("national") if r.kind in ("quorum", "resolution_votes", "election")
]


def test_the_vote_rules_tested_here_are_all_the_built_in_ones() -> None:
    assert sorted(VOTE_RULES) == sorted(
        [
            "branch.congress_quorum",
            "branch.congress_vote",
            "branch.committee_quorum",
            "elect.rights",
            "elect.margin",
            "elect.quorum",
            "elect.win",
        ]
    )


MEMBERS = (*full_members(6), probationary_member("p1", admitted=D(2020, 1, 1)))
IDS = [m.id for m in MEMBERS]


@st.composite
def vote_records(draw: st.DrawFn):
    meetings = []
    for i in range(draw(st.integers(0, 5))):
        expected = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=7))
        attended = draw(st.lists(st.sampled_from(expected), unique=True)) if expected else []
        counts = {}
        if not expected and draw(st.booleans()):
            counts = {"expected_count": draw(st.integers(0, 12))}
            counts["present_count"] = draw(st.integers(0, counts["expected_count"]))
        votes = draw(st.lists(st.integers(0, 10), max_size=2))
        meetings.append(
            meeting(
                f"m{i}",
                draw(st.sampled_from([GM, CM])),
                draw(st.dates(D(2020, 1, 1), D(2020, 12, 31))),
                expected=expected,
                attended=attended,
                resolutions=tuple(
                    Resolution(text=f"决议{j}", votes_for=v) for j, v in enumerate(votes)
                ),
                **counts,
            )
        )
    elections = []
    for i in range(draw(st.integers(0, 3))):
        candidates = draw(st.lists(st.sampled_from(IDS), unique=True, min_size=1, max_size=5))
        seats = draw(st.integers(1, len(candidates)))
        voters = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=7))
        elections.append(
            election(
                f"e{i}",
                draw(st.dates(D(2020, 1, 1), D(2020, 12, 31))),
                seats=seats,
                candidates={c: draw(st.integers(0, 7)) for c in candidates},
                elected=candidates[:seats],
                voters_expected=voters,
                voters_present=draw(st.lists(st.sampled_from(voters), unique=True))
                if voters
                else [],
                kind=draw(st.sampled_from(ElectionKind)),
            )
        )
    return meetings, elections


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=vote_records(), rnd=st.randoms(use_true_random=False))
def test_vote_findings_do_not_depend_on_the_order_of_records(records, rnd) -> None:
    meetings, elections = records
    base = ledger(branches=[branch(committee=committee(IDS[:3]))], members=MEMBERS)
    led = with_records(base, meetings=meetings, elections=elections)
    shuffled = attrs.evolve(
        led,
        members=tuple(rnd.sample(led.members, len(led.members))),
        meetings=tuple(rnd.sample(led.meetings, len(led.meetings))),
        elections=tuple(rnd.sample(led.elections, len(led.elections))),
    )
    a = check(led, "2020", as_of=AS_OF, only=VOTE_RULES).findings
    b = check(shuffled, "2020", as_of=AS_OF, only=VOTE_RULES).findings
    assert sorted(a, key=repr) == sorted(b, key=repr)


@settings(max_examples=examples(60), deadline=None)
@given(expected=st.integers(1, 60), data=st.data())
def test_quorum_at_least_and_resolution_more_than_half_agree_with_the_words(
    expected: int, data: st.DataObject
) -> None:
    """For any counts, the congress quorum passes exactly when present × 2 ≥ expected (以上) and
    a resolution exactly when yes × 2 > expected (超过)."""
    present = data.draw(st.integers(0, expected))
    yes = data.draw(st.integers(0, present))
    led = ledger(
        branches=[branch()],
        meetings=[
            meeting(
                "g1",
                GM,
                DAY_OF,
                expected_count=expected,
                present_count=present,
                resolutions=(Resolution(text="决议", votes_for=yes),),
            )
        ],
    )
    quorum = run_rule(led, "2020", "branch.congress_quorum", as_of=AS_OF)
    vote = run_rule(led, "2020", "branch.congress_vote", as_of=AS_OF)
    assert [f.status for f in quorum] == [expect(present * 2 >= expected)]
    assert [f.status for f in vote] == [expect(yes * 2 > expected)]


@pytest.mark.parametrize(("day", "judged"), [(D(2018, 10, 27), False), (D(2018, 10, 28), True)])
def test_quorum_is_judged_from_the_first_day_of_the_branch_regulation(day, judged) -> None:
    """支部工作条例（试行） is in force from 2018-10-28: a meeting the day before is not judged."""
    led = ledger(
        branches=[branch()],
        meetings=[meeting("g1", GM, day, expected_count=10, present_count=4)],
    )
    findings = run_rule(led, "2018", "branch.congress_quorum", as_of=AS_OF)
    expected = {("g1", "2018-10"): Status.FAILED} if judged else {}
    assert_findings(findings, expected, rule_id="branch.congress_quorum")
