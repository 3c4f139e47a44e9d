"""Boundary cases of the structure kind over tables: each check just met and just missed on the
day judged, the findings that cannot be told, and who is judged at all — each judged by the
table engine with the status expected, and the object engine's findings the same in every
respect (message in both languages, evidence, citations, day, gap)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    CommitteeRole,
    ElectionDelay,
    Ledger,
    MemberStatus,
    OrgCategory,
    OrgLevel,
    Status,
)
from dangjian.rules.kinds.people import StructureParams, election_deadline
from dangjian.tables.engine import evaluate
from tests.builders import examples
from tests.builders.rules import (
    DAY,
    D,
    branch,
    committee,
    committee_org,
    full_member,
    full_members,
    ledger,
    probationary_member,
    rule_file,
    seat,
)
from tests.builders.tables import on_duckdb, same_findings

pytest.importorskip("ibis")

# Checking 2020 on 15 January 2021 judges the state on 31 December 2020.
PERIOD = "2020"
AS_OF = D(2021, 1, 15)
JUDGED = D(2020, 12, 31)


def judged(
    led: Ledger,
    rule_id: str,
    *,
    period: str = PERIOD,
    as_of: dt.date = AS_OF,
    rules: Sequence[Path] = (),
    profile: str = "national",
) -> dict[str, tuple[str, str | None]]:
    """The table engine's (status, gap) of each organisation judged, after asserting that both
    engines make the same findings; every finding is of the whole period, on its day judged."""
    files = [str(r) for r in rules]
    agree = same_findings(led, period, as_of=as_of, profile=profile, only=[rule_id], rules=files)
    assert agree == (Counter(), Counter())
    con, tables = on_duckdb(led)
    report = evaluate(
        con,
        tables,
        period,
        as_of=as_of,
        profile=profile,
        only=[rule_id],
        rules=files,
        allow_unmatched=True,
    )
    found: dict[str, tuple[str, str | None]] = {}
    for f in report:
        assert str(f.period) == period
        assert f.day == min(f.period.end, as_of) if f.period is not None else False
        assert f.subject.id not in found
        found[f.subject.id] = (f.status.value, f.gap.value if f.gap is not None else None)
    return found


def local(tmp_path: Path, params: dict[str, Any], **fields: Any) -> Path:
    """A user rule file holding the structure rule ``local.s``."""
    return rule_file(tmp_path, [{"id": "local.s", "kind": "structure", "params": params, **fields}])


PASSED = (Status.PASSED.value, None)
FAILED = (Status.FAILED.value, None)
NOT_APPLICABLE = (Status.NOT_APPLICABLE.value, None)


# -- min_full_members, max_members ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("third", "expected"),
    [
        (full_member("x", converted=JUDGED), PASSED),  # converted on the day judged
        (full_member("x", converted=JUDGED + DAY), FAILED),  # the day after
        (full_member("x", status=MemberStatus.TRANSFERRED_OUT, left=JUDGED), FAILED),
        (full_member("x", status=MemberStatus.TRANSFERRED_OUT, left=JUDGED + DAY), PASSED),
        (full_member("x", joined=JUDGED), PASSED),  # transferred in on the day
        (full_member("x", joined=JUDGED + DAY), FAILED),
        (probationary_member("x"), FAILED),
        (full_member("x", status=MemberStatus.ACTIVIST, converted=None), FAILED),
        (full_member("x", status=MemberStatus.TRANSFERRED_OUT), FAILED),  # left, undated
    ],
)
def test_min_full_members_on_the_day_judged(third: Any, expected: tuple[str, None]) -> None:
    led = ledger(branches=[branch()], members=[*full_members(2), third])
    assert judged(led, "branch.setup") == {"b1": expected}


def test_min_full_members_judged_on_the_day_of_judging_before_the_period_ends() -> None:
    led = ledger(
        branches=[branch()], members=[*full_members(2), full_member("x", converted=D(2020, 7, 1))]
    )
    assert judged(led, "branch.setup", as_of=D(2020, 6, 30)) == {"b1": FAILED}
    assert judged(led, "branch.setup", as_of=D(2020, 7, 1)) == {"b1": PASSED}


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (full_members(3), PASSED),
        ((*full_members(2), probationary_member("p1")), PASSED),
        ((*full_members(3), probationary_member("p1")), FAILED),  # a probationary one counts
        (
            (*full_members(3), full_member("a", status=MemberStatus.ACTIVIST, converted=None)),
            PASSED,
        ),
        ((), PASSED),
    ],
)
def test_max_members(tmp_path: Path, members: Sequence[Any], expected: tuple[str, None]) -> None:
    path = local(tmp_path, {"check": "max_members", "at_most": 3})
    led = ledger(branches=[branch(), branch("b2")], members=members)
    assert judged(led, "local.s", rules=[path]) == {"b1": expected, "b2": PASSED}


def test_organisations_judged_only_when_existing_on_the_day_and_the_rule_in_force(
    tmp_path: Path,
) -> None:
    led = ledger(
        branches=[
            branch("b1", dissolved=JUDGED),  # dissolved on the day: still judged
            branch("b2", dissolved=JUDGED - DAY),
            branch("b3", founded=JUDGED),
            branch("b4", founded=JUDGED + DAY),
            committee_org("c1"),  # not a branch
        ],
        members=[*full_members(3, "b1"), *full_members(3, "b3"), *full_members(3, "c1")],
    )
    assert judged(led, "branch.setup") == {"b1": PASSED, "b3": PASSED}
    later = local(tmp_path, {"check": "min_full_members", "at_least": 1}, in_force={"since": AS_OF})
    assert judged(led, "local.s", rules=[later]) == {}
    assert judged(led, "local.s", rules=[later], as_of=D(2021, 6, 1), period="2021H1") == {
        "b3": PASSED,
        "b4": FAILED,  # founded with no members
        "c1": PASSED,
    }


# -- committee ---------------------------------------------------------------------------------


def people(n: int, branch: str = "b1") -> list[str]:
    return [f"{branch}-m{i}" for i in range(1, n + 1)]


@pytest.mark.parametrize(
    ("full", "seats", "expected"),
    [
        (7, committee(people(3)), PASSED),
        (7, committee(people(2)), FAILED),
        (7, committee(people(6)), PASSED),  # more than five, within seven
        (7, committee(people(7)), PASSED),
        (7, [*committee(people(7)), seat("b1-m8", CommitteeRole.PUBLICITY)], FAILED),
        # three people, no secretary
        (7, [seat(m, CommitteeRole.MEMBER) for m in people(3)], FAILED),
        # three seats, two people: one holds two
        (7, [*committee(people(2)), seat("b1-m1", CommitteeRole.PUBLICITY)], FAILED),
        # a seat ended the day before the day judged
        (7, [*committee(people(2)), seat("b1-m3", CommitteeRole.MEMBER, end=JUDGED - DAY)], FAILED),
        (7, [*committee(people(2)), seat("b1-m3", CommitteeRole.MEMBER, start=JUDGED)], PASSED),
        # under the threshold: a secretary, a deputy, and nobody else
        (6, [seat("b1-m1")], PASSED),
        (6, [seat("b1-m1"), seat("b1-m2", CommitteeRole.DEPUTY_SECRETARY)], PASSED),
        (6, committee(people(3)), FAILED),
        (6, [], FAILED),
        (6, [seat("b1-m2", CommitteeRole.MEMBER)], FAILED),
        (6, [seat("b1-m2", CommitteeRole.DEPUTY_SECRETARY)], FAILED),
        (6, [seat("b1-m1", start=JUDGED + DAY)], FAILED),
    ],
)
def test_committee(full: int, seats: Sequence[Any], expected: tuple[str, None]) -> None:
    # up to eight people who may hold seats: the first ``full`` full members, then probationary
    members = [*full_members(full), *(probationary_member(f"b1-m{i}") for i in range(full + 1, 9))]
    led = ledger(branches=[branch(committee=seats)], members=members)
    assert judged(led, "branch.committee_size") == {"b1": expected}


def test_committee_usual_size_equal_to_the_largest(tmp_path: Path) -> None:
    path = local(tmp_path, {"check": "committee", "threshold": 2, "min_seats": 2, "max_seats": 3})
    led = ledger(
        branches=[
            branch(committee=committee(people(3))),
            branch("b2", committee=committee(["b2-m1"])),
        ],
        members=[*full_members(3), *full_members(2, "b2")],
    )
    assert judged(led, "local.s", rules=[path]) == {"b1": PASSED, "b2": FAILED}


# -- secretary_standing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("converted", "start", "expected"),
    [
        (D(2019, 3, 1), D(2020, 3, 1), PASSED),  # a year to the day
        (D(2019, 3, 2), D(2020, 3, 1), FAILED),
        (D(2016, 2, 29), D(2017, 2, 28), PASSED),  # a year after 29 February: the 28th
        (D(2016, 2, 29), D(2017, 2, 27), FAILED),
        (D(2019, 2, 28), D(2020, 2, 28), PASSED),
        (D(2019, 2, 28), D(2020, 2, 27), FAILED),
        (D(2019, 12, 31), None, PASSED),  # no start: since the day judged
        (D(2020, 1, 1), None, FAILED),
    ],
)
def test_secretary_standing(
    converted: dt.date, start: dt.date | None, expected: tuple[str, None]
) -> None:
    led = ledger(
        branches=[branch(committee=[seat("s", start=start)])],
        members=[full_member("s", converted=converted)],
    )
    assert judged(led, "branch.secretary_standing") == {"b1": expected}


def test_secretary_standing_cannot_be_told_nor_judged() -> None:
    led = ledger(
        branches=[
            branch("b1", committee=[seat("p1")]),  # not converted: cannot be told
            branch("b2", committee=[seat("b2-m1", CommitteeRole.DEPUTY_SECRETARY)]),
            branch("b3", committee=[seat("b3-m1", end=JUDGED - DAY)]),  # no secretary that day
            # two secretaries recorded at once: the first in the list is judged
            branch("b4", committee=[seat("b4-m2", start=D(2020, 1, 1)), seat("b4-m1")]),
        ],
        members=[
            probationary_member("p1"),
            *full_members(1, "b2"),
            *full_members(1, "b3"),
            full_member("b4-m1"),
            full_member("b4-m2", converted=D(2019, 6, 1)),
        ],
    )
    assert judged(led, "branch.secretary_standing") == {
        "b1": (Status.UNKNOWN.value, "dates_missing"),
        "b2": NOT_APPLICABLE,
        "b3": NOT_APPLICABLE,
        "b4": FAILED,
    }


# -- term ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"last_election": D(2020, 12, 31)}, PASSED),  # three years later to the day
        ({"last_election": D(2020, 12, 30)}, FAILED),
        ({"last_election": D(2018, 12, 31), "category": OrgCategory.VILLAGE}, PASSED),  # five
        ({"last_election": D(2018, 12, 30), "category": OrgCategory.COMMUNITY}, FAILED),
        # a term recorded as elected for: it, not the category's
        ({"last_election": D(2019, 12, 31), "term_years": 4}, PASSED),
        ({"last_election": D(2019, 12, 30), "term_years": 4}, FAILED),
        # begun before 12 July 2018: by the term it was elected for, or cannot be told
        ({"last_election": D(2018, 7, 11)}, (Status.UNKNOWN.value, "details_missing")),
        ({"last_election": D(2018, 7, 11), "term_years": 5}, FAILED),
        ({"last_election": D(2018, 7, 12), "category": OrgCategory.VILLAGE}, FAILED),
        ({}, (Status.UNKNOWN.value, "dates_missing")),
    ],
)
def test_term(fields: dict[str, Any], expected: tuple[str, str | None]) -> None:
    """Judged on 31 December 2023."""
    led = ledger(branches=[branch(**fields)])
    assert judged(led, "branch.term", period="2023", as_of=D(2024, 1, 15)) == {"b1": expected}


# elect.on_time: a branch elected on 30 June 2021 serves to 30 June 2024; a delay needs the
# higher organisation's approval and counts at most until 30 June 2025. Judged on the day given.

ELECTED = D(2021, 6, 30)
TERM_END = D(2024, 6, 30)
A_YEAR_AFTER = D(2025, 6, 30)


APPROVED_ON = D(2024, 5, 20)


def approval(election_date: dt.date, approved_on: dt.date = APPROVED_ON) -> ElectionDelay:
    return ElectionDelay(
        approved_on=approved_on, approved_by="市X局机关党委", election_date=election_date
    )


@pytest.mark.parametrize(
    ("delays", "day", "expected"),
    [
        ((), TERM_END, PASSED),  # no approval: the term's end
        ((), TERM_END + DAY, FAILED),
        ((approval(D(2024, 12, 15)),), D(2024, 12, 15), PASSED),  # the day approved
        ((approval(D(2024, 12, 15)),), D(2024, 12, 16), FAILED),
        ((approval(D(2025, 12, 31)),), A_YEAR_AFTER, PASSED),  # beyond a year: a year only
        ((approval(D(2025, 12, 31)),), A_YEAR_AFTER + DAY, FAILED),
        ((approval(A_YEAR_AFTER + DAY),), A_YEAR_AFTER + DAY, FAILED),
        ((approval(D(2024, 3, 1), D(2024, 1, 10)),), TERM_END, PASSED),  # brought forward
        ((approval(D(2024, 3, 1), D(2024, 1, 10)),), TERM_END + DAY, FAILED),
        # counted from the day given, not before; not one given by the last election
        ((approval(D(2024, 12, 31), D(2024, 8, 1)),), D(2024, 7, 31), FAILED),
        ((approval(D(2024, 12, 31), D(2024, 8, 1)),), D(2024, 8, 1), PASSED),
        ((approval(D(2024, 12, 31), ELECTED),), TERM_END + DAY, FAILED),
        ((approval(D(2024, 12, 31), ELECTED + DAY),), TERM_END + DAY, PASSED),
        # the latest approval stands, wherever it is listed
        (
            (approval(D(2025, 3, 31)), approval(D(2024, 12, 31), D(2024, 11, 1))),
            D(2025, 1, 1),
            FAILED,
        ),
        (
            (approval(D(2024, 12, 31), D(2024, 11, 1)), approval(D(2025, 3, 31))),
            D(2025, 1, 1),
            FAILED,
        ),
        (
            (approval(D(2024, 12, 31)), approval(D(2025, 3, 31), D(2024, 11, 1))),
            D(2025, 1, 1),
            PASSED,
        ),
    ],
)
def test_a_delay_needs_its_approval(
    delays: tuple[ElectionDelay, ...], day: dt.date, expected: tuple[str, None]
) -> None:
    led = ledger(branches=[branch(last_election=ELECTED, election_delays=delays)])
    assert judged(led, "elect.on_time", period=str(day.year), as_of=day) == {"b1": expected}


def test_approvals_of_several_organisations_at_once() -> None:
    """Each organisation's approvals are its own: one query judges them all."""
    led = ledger(
        branches=[
            branch("b1", last_election=ELECTED, election_delays=(approval(D(2024, 12, 15)),)),
            branch("b2", last_election=ELECTED),
            branch(
                "b3",
                last_election=ELECTED,
                election_delays=(approval(D(2026, 1, 1)), approval(D(2021, 1, 1), D(2020, 5, 1))),
            ),
            branch("b4", election_delays=(approval(D(2024, 12, 15)),)),
            branch(
                "b5", last_election=ELECTED, term_years=4, election_delays=(approval(TERM_END),)
            ),
        ]
    )
    assert judged(led, "elect.on_time", period="2024", as_of=D(2024, 12, 15)) == {
        "b1": PASSED,
        "b2": FAILED,
        "b3": PASSED,
        "b4": (Status.UNKNOWN.value, "dates_missing"),
        "b5": PASSED,  # a four-year term: brought forward from 2025
    }


_APPROVALS = st.lists(
    # days from the term's end to the approval (some before the last election), and from the
    # approval to the day approved for the election
    st.tuples(st.integers(-1200, 500), st.integers(0, 900)),
    max_size=3,
    unique_by=lambda a: a[0],
)


@given(shift=st.integers(-400, 800), approvals=st.lists(_APPROVALS, min_size=1, max_size=4))
@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_any_approvals_are_judged_alike_by_both_engines(
    shift: int, approvals: list[list[tuple[int, int]]]
) -> None:
    """Organisations with any approvals, judged on a day around the term's end: both engines
    agree in every respect, and each verdict is the one :func:`election_deadline` gives."""
    day = TERM_END + shift * DAY
    orgs = [
        branch(
            f"b{i}",
            last_election=ELECTED,
            election_delays=tuple(
                approval(TERM_END + (on + after) * DAY, TERM_END + on * DAY) for on, after in listed
            ),
        )
        for i, listed in enumerate(approvals)
    ]
    found = judged(ledger(branches=orgs), "elect.on_time", period=str(day.year), as_of=day)
    p = StructureParams(check="term", years=3, grace_years=1)
    for org in orgs:
        deadline = election_deadline(org, p, day).deadline
        assert deadline is not None
        assert found[org.id] == (PASSED if day <= deadline else FAILED)


def test_the_term_rules_honour_an_approved_delay() -> None:
    led = ledger(
        branches=[
            branch(
                level=OrgLevel.GENERAL_BRANCH,
                last_election=ELECTED,
                election_delays=(approval(D(2024, 12, 15)),),
            )
        ]
    )
    assert judged(led, "term.general_branch", period="2024", as_of=TERM_END + DAY) == {"b1": PASSED}
    assert judged(led, "term.general_branch", period="2024", as_of=D(2024, 12, 16)) == {
        "b1": FAILED
    }


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(D(2019, 2, 28), PASSED), (D(2019, 3, 1), FAILED)],  # 29 February 2016 + 3 years
)
def test_term_from_the_29th_of_february(
    tmp_path: Path, as_of: dt.date, expected: tuple[str, None]
) -> None:
    path = local(tmp_path, {"check": "term", "years": 3})
    led = ledger(branches=[branch(last_election=D(2016, 2, 29))])
    assert judged(led, "local.s", rules=[path], period="2019", as_of=as_of) == {"b1": expected}


# -- organ_level ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "full", "expected"),
    [
        (OrgLevel.COMMITTEE, 4, PASSED),
        (OrgLevel.GENERAL_BRANCH, 4, FAILED),  # four call for a committee
        (OrgLevel.GENERAL_BRANCH, 3, PASSED),
        (OrgLevel.COMMITTEE, 2, PASSED),  # a committee where a general branch would do
        (OrgLevel.GENERAL_BRANCH, 1, PASSED),  # a branch would do: not judged against
        (OrgLevel.GENERAL_BRANCH, 0, PASSED),
    ],
)
def test_organ_level_counts_the_organisations_below(
    tmp_path: Path, level: OrgLevel, full: int, expected: tuple[str, None]
) -> None:
    """The organ's organisation ``top`` with a branch under a branch under it: its full members
    are counted with theirs (one of them transferred out before the day judged)."""
    path = local(
        tmp_path,
        {"check": "organ_level", "threshold": 4, "at_least": 2},
        applies_to={"levels": ["committee", "general_branch"], "categories": ["organ"]},
    )
    below = [full_member(f"x{i}", "b2") for i in range(full)]
    led = ledger(
        branches=[
            branch("top", level=level),
            branch("b1", parent="top"),
            branch("b2", parent="b1"),
            branch("other", level=OrgLevel.COMMITTEE, category=OrgCategory.VILLAGE),
        ],
        members=[
            *below[:1],
            *(full_member(m.id, "b1") for m in below[1:2]),
            *below[2:],
            full_member("gone", "b2", status=MemberStatus.TRANSFERRED_OUT, left=JUDGED),
            *full_members(9, "other"),
        ],
    )
    assert judged(led, "local.s", rules=[path]) == {"top": expected}
