"""Boundary cases of the vote kinds over tables (quorum, resolution_votes, election): each case
judged by the table engine with the status expected, and the object engine's findings the same
in every respect (message in both languages, evidence, citations, day, gap).

The fractions are compared exactly (in integers): the cases sit on the boundary, where a
comparison through floating point could tip (1/3 of 3, 4/5 of 10, 2/3 of 9)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import ElectionKind, Gap, Ledger, MeetingKind, Resolution, Status
from dangjian.tables.engine import evaluate
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.rules import (
    D,
    branch,
    committee,
    election,
    full_member,
    full_members,
    ledger,
    meeting,
    probationary_member,
    rule_file,
    seat,
)
from tests.builders.tables import on_duckdb, same_findings

pytest.importorskip("ibis")

GM = MeetingKind.GENERAL_MEETING
CM = MeetingKind.COMMITTEE_MEETING
DAY_OF = D(2020, 5, 12)
MONTH = "2020-05"
AS_OF = D(2021, 1, 15)
TEN = full_members(10)
TEN_IDS = [m.id for m in TEN]


def judged(
    led: Ledger,
    period: str,
    rule_id: str,
    *,
    as_of: dt.date = AS_OF,
    rules: Sequence[Path] = (),
) -> dict[tuple[str, str | None], tuple[str, str | None]]:
    """The table engine's (status, gap) of each (subject, sub-period), after asserting that
    both engines make the same findings."""
    only = [rule_id]
    objects, rows = same_findings(
        led, period, as_of=as_of, profile="national", only=only, rules=[str(r) for r in rules]
    )
    assert (objects, rows) == (Counter(), Counter())
    con, tables = on_duckdb(led)
    report = evaluate(
        con,
        tables,
        period,
        as_of=as_of,
        profile="national",
        only=only,
        rules=[str(r) for r in rules],
        allow_unmatched=True,
    )
    return {
        (f.subject.id, str(f.period) if f.period else None): (
            f.status.value,
            f.gap.value if f.gap else None,
        )
        for f in report
    }


def passed_if(met: bool) -> tuple[str, None]:
    return (Status.PASSED.value if met else Status.FAILED.value, None)


UNKNOWN = (Status.UNKNOWN.value, Gap.DETAILS_MISSING.value)


# -- quorum ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("present", "met"), [(6, True), (5, True), (4, False)])
def test_congress_quorum_half_the_number_included(present: int, met: bool) -> None:
    led = ledger(
        branches=[branch()],
        members=TEN,
        meetings=[meeting("m1", GM, DAY_OF, expected=TEN_IDS, attended=TEN_IDS[:present])],
    )
    assert judged(led, "2020", "branch.congress_quorum") == {("m1", MONTH): passed_if(met)}


def test_congress_quorum_counts_only_members_with_a_vote() -> None:
    """Five of ten full members plus a probationary member: half of the voting members, not of
    all; a person not on the rolls counts as named."""
    probation = probationary_member("p1")
    expected = [*TEN_IDS, "p1"]
    led = ledger(
        branches=[branch()],
        members=[*TEN, probation],
        meetings=[
            meeting("m1", GM, DAY_OF, expected=expected, attended=[*TEN_IDS[:4], "p1"]),
            meeting("m2", GM, DAY_OF, expected=expected, attended=[*TEN_IDS[:5], "p1"]),
        ],
    )
    assert judged(led, "2020", "branch.congress_quorum") == {
        ("m1", MONTH): passed_if(False),
        ("m2", MONTH): passed_if(True),
    }


def test_congress_quorum_from_counts_and_unknown_without_either() -> None:
    led = ledger(
        branches=[branch()],
        members=TEN,
        meetings=[
            meeting("m1", GM, DAY_OF, expected_count=9, present_count=5),
            meeting("m2", GM, DAY_OF, expected_count=9, present_count=4),
            meeting("m3", GM, DAY_OF),
            meeting("m4", GM, DAY_OF, expected=TEN_IDS),
        ],
    )
    assert judged(led, "2020", "branch.congress_quorum") == {
        ("m1", MONTH): passed_if(True),
        ("m2", MONTH): passed_if(False),
        ("m3", MONTH): UNKNOWN,
        ("m4", MONTH): UNKNOWN,
    }


def test_committee_quorum_counts_seats_held_on_the_day() -> None:
    """Three seats, one ended the day before: two seated; one of them present is half."""
    members = full_members(4)
    ids = [m.id for m in members]
    seats = (
        *committee(ids[:2]),
        seat(ids[2], start=D(2019, 1, 1), end=DAY_OF - dt.timedelta(days=1)),
    )
    led = ledger(
        branches=[branch(committee=seats), branch("b2")],
        members=members,
        meetings=[
            meeting("m1", CM, DAY_OF, attended=[ids[0], ids[2], ids[3]]),
            meeting("m2", CM, DAY_OF, attended=[ids[2], ids[3]]),
            meeting("m3", CM, DAY_OF, present_count=1),
            meeting("m4", CM, DAY_OF),
            meeting("m5", CM, DAY_OF, branch="b2", present_count=3),
        ],
    )
    assert judged(led, "2020", "branch.committee_quorum") == {
        ("m1", MONTH): passed_if(True),
        ("m2", MONTH): passed_if(False),
        ("m3", MONTH): passed_if(True),
        ("m4", MONTH): UNKNOWN,
        ("m5", MONTH): UNKNOWN,
    }


def test_quorum_of_a_local_rule_more_than_two_thirds_changed_in_may(tmp_path: Path) -> None:
    """超过 2/3 of those expected, not counting votes, from May 15 on 以上 3/4: the parameters
    of each meeting's day apply."""
    rules = rule_file(
        tmp_path,
        [
            {
                "id": "local.quorum",
                "kind": "quorum",
                "severity": "error",
                "params": {
                    "meeting_kinds": ["general_meeting"],
                    "present_more_than": "2/3",
                    "voting_only": False,
                },
            }
        ],
    )
    led = ledger(
        branches=[branch()],
        members=TEN,
        meetings=[
            meeting("m1", GM, DAY_OF, expected_count=9, present_count=6),
            meeting("m2", GM, DAY_OF, expected_count=9, present_count=7),
            meeting("m3", GM, DAY_OF, expected=TEN_IDS[:3], attended=TEN_IDS[:2]),
        ],
    )
    assert judged(led, "2020", "local.quorum", rules=[rules]) == {
        ("m1", MONTH): passed_if(False),  # exactly 2/3 is not more than 2/3
        ("m2", MONTH): passed_if(True),
        ("m3", MONTH): passed_if(False),
    }


def test_quorum_parameters_change_within_the_period(tmp_path: Path) -> None:
    rules = rule_file(
        tmp_path,
        [
            {
                "id": "local.quorum",
                "kind": "quorum",
                "severity": "error",
                "params": {"meeting_kinds": ["general_meeting"], "present_at_least": "1/2"},
                "changes": [{"since": D(2020, 5, 15), "params": {"present_at_least": "3/4"}}],
            }
        ],
    )
    led = ledger(
        branches=[branch()],
        members=TEN,
        meetings=[
            meeting("before", GM, D(2020, 5, 14), expected_count=8, present_count=4),
            meeting("after", GM, D(2020, 5, 15), expected_count=8, present_count=5),
            meeting("enough", GM, D(2020, 6, 1), expected_count=8, present_count=6),
        ],
    )
    assert judged(led, "2020", "local.quorum", rules=[rules]) == {
        ("before", MONTH): passed_if(True),
        ("after", MONTH): passed_if(False),
        ("enough", "2020-06"): passed_if(True),
    }


# -- resolution_votes --------------------------------------------------------------------------


@pytest.mark.parametrize(("yes", "met"), [(6, True), (5, False)])
def test_congress_vote_more_than_half_of_the_voting_members(yes: int, met: bool) -> None:
    led = ledger(
        branches=[branch()],
        members=TEN,
        meetings=[
            meeting(
                "m1",
                GM,
                DAY_OF,
                expected=TEN_IDS,
                attended=TEN_IDS,
                resolutions=(
                    Resolution(text="通过甲", votes_for=yes),
                    Resolution(text="通过乙", votes_for=10),
                ),
            ),
            meeting("m2", GM, DAY_OF, resolutions=(Resolution(text="通过丙", votes_for=3),)),
        ],
    )
    assert judged(led, "2020", "branch.congress_vote") == {
        ("m1#1", MONTH): passed_if(met),
        ("m1#2", MONTH): passed_if(True),
        ("m2#1", MONTH): UNKNOWN,
    }


def test_resolution_votes_of_those_present_at_least_a_third(tmp_path: Path) -> None:
    rules = rule_file(
        tmp_path,
        [
            {
                "id": "local.vote",
                "kind": "resolution_votes",
                "severity": "error",
                "params": {
                    "meeting_kinds": ["general_meeting"],
                    "yes_at_least": "1/3",
                    "denominator": "present",
                    "voting_only": False,
                },
            }
        ],
    )
    led = ledger(
        branches=[branch()],
        members=TEN,
        meetings=[
            meeting(
                "m1",
                GM,
                DAY_OF,
                attended=TEN_IDS[:3],
                resolutions=(
                    Resolution(text="一票", votes_for=1),
                    Resolution(text="零票", votes_for=0),
                ),
            ),
        ],
    )
    assert judged(led, "2020", "local.vote", rules=[rules]) == {
        ("m1#1", MONTH): passed_if(True),  # 1 of 3 is exactly a third
        ("m1#2", MONTH): passed_if(False),
    }


# -- election ----------------------------------------------------------------------------------

ELECTED_ON = D(2020, 9, 20)
SEPTEMBER = "2020-09"


@pytest.mark.parametrize(("present", "met"), [(9, True), (8, False)])
def test_election_quorum_more_than_four_fifths(present: int, met: bool) -> None:
    led = ledger(
        branches=[branch()],
        members=TEN,
        elections=[
            election(
                "e1",
                ELECTED_ON,
                voters_expected=tuple(TEN_IDS),
                voters_present=tuple(TEN_IDS[:present]),
                candidates=TEN_IDS[:2],
            ),
            election("e2", ELECTED_ON, expected_count=10, candidates=TEN_IDS[:2]),
            election(
                "e3",
                ELECTED_ON,
                expected_count=5,
                present_count=5,
                candidates=TEN_IDS[:2],
                kind=ElectionKind.BY_ELECTION,
            ),
        ],
    )
    assert judged(led, "2020", "elect.quorum") == {
        ("e1", SEPTEMBER): passed_if(met),
        ("e2", SEPTEMBER): UNKNOWN,
        ("e3", SEPTEMBER): passed_if(True),
    }


def test_election_winners_more_than_half_of_those_present() -> None:
    led = ledger(
        branches=[branch()],
        members=TEN,
        elections=[
            election(
                "short",
                ELECTED_ON,
                seats=4,
                present_count=10,
                candidates={TEN_IDS[0]: 6, TEN_IDS[1]: 5, TEN_IDS[2]: 2, TEN_IDS[3]: 9},
                elected=[TEN_IDS[3], TEN_IDS[1], TEN_IDS[2], TEN_IDS[0]],
            ),
            election(
                "all",
                ELECTED_ON,
                present_count=10,
                candidates={TEN_IDS[0]: 6, TEN_IDS[1]: 5},
                elected=[TEN_IDS[0]],
            ),
            election(
                "no_votes",
                ELECTED_ON,
                present_count=10,
                candidates={TEN_IDS[0]: None, TEN_IDS[1]: 5},
                elected=[TEN_IDS[0]],
            ),
            election(
                "no_present",
                ELECTED_ON,
                candidates={TEN_IDS[0]: 6},
                elected=[TEN_IDS[0]],
            ),
            election("nobody", ELECTED_ON, present_count=10, candidates={TEN_IDS[0]: 6}),
        ],
    )
    assert judged(led, "2020", "elect.win") == {
        ("short", SEPTEMBER): passed_if(False),
        ("all", SEPTEMBER): passed_if(True),
        ("no_votes", SEPTEMBER): UNKNOWN,
        ("no_present", SEPTEMBER): UNKNOWN,
        ("nobody", SEPTEMBER): (Status.NOT_APPLICABLE.value, None),
    }


@pytest.mark.parametrize(
    ("seats", "stood", "met"), [(5, 6, True), (5, 5, False), (6, 8, True), (6, 7, False)]
)
def test_election_margin_a_fifth_rounded_up(seats: int, stood: int, met: bool) -> None:
    """5 seats need 6 candidates (5 + ⌈1⌉); 6 seats need 8 (6 + ⌈1.2⌉), 7 is one short."""
    led = ledger(
        branches=[branch()],
        members=TEN,
        elections=[election("e1", ELECTED_ON, seats=seats, candidates=TEN_IDS[:stood])],
    )
    assert judged(led, "2020", "elect.margin") == {("e1", SEPTEMBER): passed_if(met)}


def test_election_rights_of_probationary_members_on_the_day() -> None:
    converted_late = full_member("late", converted=ELECTED_ON + dt.timedelta(days=1))
    converted_on = full_member("on_day", converted=ELECTED_ON)
    led = ledger(
        branches=[branch()],
        members=[*TEN, probationary_member("p1"), converted_late, converted_on],
        elections=[
            election(
                "barred",
                ELECTED_ON,
                candidates=["p1", TEN_IDS[0]],
                voters_present=(*TEN_IDS, "late", "p1"),
            ),
            election(
                "clear",
                ELECTED_ON,
                candidates=[TEN_IDS[0], "on_day"],
                voters_present=tuple(TEN_IDS),
            ),
        ],
    )
    assert judged(led, "2020", "elect.rights") == {
        ("barred", SEPTEMBER): passed_if(False),
        ("clear", SEPTEMBER): passed_if(True),
    }


@given(
    expected=st.integers(0, 12),
    present=st.integers(0, 12),
    fraction=st.fractions(0, 1, max_denominator=7),
    comparison=st.sampled_from(["more_than", "at_least"]),
)
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_election_quorum_any_fraction_compared_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    expected: int,
    present: int,
    fraction: Fraction,
    comparison: str,
) -> None:
    """Whatever the fraction, the table engine's verdict is the exact comparison (and the object
    engine's): present > (or ≥) fraction × expected."""
    rules = rule_file(
        tmp_path_factory.mktemp("rules"),
        [
            {
                "id": "local.elect",
                "kind": "election",
                "severity": "error",
                "params": {
                    "check": "quorum",
                    "fraction": f"{fraction.numerator}/{fraction.denominator}",
                    "comparison": comparison,
                },
            }
        ],
    )
    led = ledger(
        branches=[branch()],
        elections=[
            election("e1", ELECTED_ON, expected_count=expected, present_count=present),
        ],
    )
    exact = (
        present >= fraction * expected
        if comparison == "at_least"
        else present > fraction * expected
    )
    assert judged(led, "2020", "local.elect", rules=[rules]) == {
        ("e1", SEPTEMBER): passed_if(exact)
    }


# -- generated ledgers -------------------------------------------------------------------------

LOCAL_RULES = [
    {
        "id": "local.quorum_all",
        "kind": "quorum",
        "severity": "error",
        "params": {
            "meeting_kinds": ["general_meeting", "committee_meeting", "theme_day"],
            "present_more_than": "2/3",
            "voting_only": False,
        },
    },
    {
        "id": "local.quorum_committee",
        "kind": "quorum",
        "severity": "error",
        "params": {
            "meeting_kinds": ["committee_meeting", "general_meeting"],
            "present_at_least": "3/5",
            "denominator": "committee",
        },
        "changes": [{"since": D(2019, 7, 1), "params": {"present_at_least": "2/3"}}],
    },
    {
        "id": "local.votes_present",
        "kind": "resolution_votes",
        "severity": "error",
        "params": {
            "meeting_kinds": ["general_meeting", "committee_meeting"],
            "yes_at_least": "2/3",
            "denominator": "present",
        },
    },
    {
        "id": "local.win_a_third",
        "kind": "election",
        "severity": "error",
        "params": {"check": "winner", "fraction": "1/3", "comparison": "at_least"},
    },
    {
        "id": "local.by_election_quorum",
        "kind": "election",
        "severity": "error",
        "in_force": {"since": D(2019, 3, 1)},
        "params": {
            "check": "quorum",
            "fraction": "2/3",
            "comparison": "at_least",
            "election_kinds": ["by_election"],
        },
    },
    {
        "id": "local.margin_a_third",
        "kind": "election",
        "severity": "error",
        "params": {"check": "margin", "fraction": "1/3"},
        "changes": [{"since": D(2020, 1, 1), "params": {"fraction": "1/2"}}],
    },
]


@given(led=ds.ledgers(max_branches=3, max_members=6, max_records=4), data=st.data())
@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_ledgers_under_local_vote_rules(
    tmp_path_factory: pytest.TempPathFactory, led: Ledger, data: st.DataObject
) -> None:
    """Other fractions, denominators, kinds and changes of parameters than the built-in rules
    have, over generated ledgers, in a period that holds some of their meetings or elections:
    the two engines agree."""
    years = sorted({m.date.year for m in led.meetings} | {e.date.year for e in led.elections})
    year = data.draw(st.sampled_from(years or [2020]), label="year")
    unit = data.draw(st.sampled_from(["", "H1", "Q2", "-03", "H2"]), label="unit")
    as_of = data.draw(st.dates(dt.date(year, 1, 1), dt.date(year + 1, 12, 31)), label="as_of")
    rules = rule_file(tmp_path_factory.mktemp("rules"), LOCAL_RULES)
    builtin = ["branch.congress_quorum", "branch.congress_vote", "branch.committee_quorum"]
    builtin += ["elect.rights", "elect.margin", "elect.quorum", "elect.win"]
    objects, rows = same_findings(
        led,
        f"{year}{unit}",
        as_of=as_of,
        profile="national",
        only=[*builtin, *(r["id"] for r in LOCAL_RULES)],
        rules=[str(rules)],
    )
    assert (objects, rows) == (Counter(), Counter())
