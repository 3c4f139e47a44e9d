"""Boundary cases of the activity kinds over tables (frequency, checklist, reschedule): each
case judged by the table engine with the status expected, and the object engine's findings
the same in every respect (message in both languages, evidence, citations, day)."""

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
    Ledger,
    MeetingKind,
    OrgLevel,
    Status,
    StudyAudience,
)
from dangjian.tables.engine import evaluate
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.rules import (
    FOUNDED,
    D,
    branch,
    committee_org,
    full_member,
    full_members,
    group,
    ledger,
    meeting,
    rule_file,
    seat,
    study,
)
from tests.builders.tables import on_duckdb, same_findings

pytest.importorskip("ibis")

CM = MeetingKind.COMMITTEE_MEETING
GM = MeetingKind.GENERAL_MEETING
GROUP = MeetingKind.GROUP_MEETING
LECTURE = MeetingKind.PARTY_LECTURE
THEME = MeetingKind.THEME_DAY
STAFF = StudyAudience.ALL_STAFF


def judged(
    led: Ledger,
    period: str,
    rule_id: str,
    *,
    as_of: dt.date,
    rules: Sequence[Path] = (),
    profile: str = "national",
) -> dict[tuple[str, str | None], str]:
    """The table engine's status of each (subject, sub-period), after asserting that both
    engines make the same findings."""
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
    found: dict[tuple[str, str | None], str] = {}
    for f in report:
        key = (f.subject.id, str(f.period) if f.period is not None else None)
        assert key not in found, f"two findings for {key}"
        found[key] = f.status.value
    return found


def one_rule(tmp_path: Path, params: dict[str, Any], **fields: Any) -> Path:
    """A user rule file holding the frequency rule ``local.f`` with ``params``."""
    return rule_file(tmp_path, [{"id": "local.f", "kind": "frequency", "params": params, **fields}])


# -- frequency: weekday of a week, with holidays and 调休 ------------------------------------------

SATURDAY_STUDY = {
    "record": "study",
    "audiences": ["all_staff"],
    "per": "week",
    "at_least": 1,
    "weekday": 6,
}


@pytest.mark.parametrize(
    ("week", "held", "expected"),
    [
        # 2020-W19 (4–10 May): Saturday 9 May is a working day (调休 for Labour Day): judged
        ("2020-W19", D(2020, 5, 9), Status.PASSED),
        ("2020-W19", D(2020, 5, 8), Status.FAILED),  # the Friday before: not a Saturday
        ("2020-W19", D(2020, 5, 10), Status.FAILED),  # the Sunday after
        # 2020-W20: Saturday 16 May is a rest day: the week is not judged, held or not
        ("2020-W20", D(2020, 5, 16), Status.NOT_APPLICABLE),
        ("2020-W20", D(2020, 5, 15), Status.NOT_APPLICABLE),
    ],
)
def test_frequency_weekday_of_a_week_follows_the_working_calendar(
    tmp_path: Path, week: str, held: dt.date, expected: Status
) -> None:
    path = one_rule(tmp_path, SATURDAY_STUDY)
    led = ledger(branches=[branch()], study_sessions=[study("s1", STAFF, held)])
    found = judged(led, week, "local.f", as_of=D(2020, 6, 1), rules=[path])
    assert found == {("b1", week): expected.value}


def test_frequency_weekday_over_a_month_with_a_holiday_week(tmp_path: Path) -> None:
    """May 2020 by weeks W18–W22 (W18 starts 27 April): Fridays 1 May (Labour Day, not judged),
    8, 15, 22 and 29 May; the study on 8 and 22 May only."""
    path = one_rule(tmp_path, {**SATURDAY_STUDY, "weekday": 5})
    led = ledger(
        branches=[branch()],
        study_sessions=[study("s1", STAFF, D(2020, 5, 8)), study("s2", STAFF, D(2020, 5, 22))],
    )
    found = judged(led, "2020-05", "local.f", as_of=D(2020, 5, 27), rules=[path])
    assert found == {
        ("b1", "2020-W19"): Status.PASSED.value,
        ("b1", "2020-W20"): Status.FAILED.value,
        ("b1", "2020-W21"): Status.PASSED.value,
        ("b1", "2020-W22"): Status.PENDING.value,  # its Friday is still to come
    }


def test_frequency_weekday_of_a_week_the_calendar_does_not_cover(tmp_path: Path) -> None:
    path = one_rule(tmp_path, SATURDAY_STUDY)
    led = ledger(branches=[branch()], study_sessions=[study("s1", STAFF, D(2030, 5, 11))])
    found = judged(led, "2030-W19", "local.f", as_of=D(2030, 6, 1), rules=[path])
    assert found == {("b1", "2030-W19"): Status.NOT_APPLICABLE.value}


def test_frequency_weekday_judged_by_the_weeks_of_the_first_parameters(tmp_path: Path) -> None:
    """Parameters changed to count by month from 4 May still judge the weeks the check began
    with (May 2020 starts under the first parameters), and their rest days: Saturday 9 May is a
    working day (调休), 16, 23 and 30 May are not."""
    path = one_rule(
        tmp_path, SATURDAY_STUDY, changes=[{"since": D(2020, 5, 4), "params": {"per": "month"}}]
    )
    led = ledger(branches=[branch()], study_sessions=[study("s1", STAFF, D(2020, 5, 9))])
    found = judged(led, "2020-05", "local.f", as_of=D(2020, 6, 1), rules=[path])
    assert found == {
        ("b1", "2020-W19"): Status.PASSED.value,
        ("b1", "2020-W20"): Status.NOT_APPLICABLE.value,
        ("b1", "2020-W21"): Status.NOT_APPLICABLE.value,
        ("b1", "2020-W22"): Status.NOT_APPLICABLE.value,
    }


# -- frequency: half a day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("half", "start", "expected"),
    [
        ("afternoon", dt.time(12, 0), Status.PASSED),  # noon starts the afternoon
        ("afternoon", dt.time(11, 59, 59), Status.FAILED),
        ("morning", dt.time(11, 59, 59), Status.PASSED),
        ("morning", dt.time(12, 0), Status.FAILED),
        ("morning", dt.time(0, 0), Status.PASSED),
        ("afternoon", dt.time(23, 59), Status.PASSED),
        ("afternoon", None, Status.FAILED),  # no time: not known to be either
        ("morning", None, Status.FAILED),
    ],
)
def test_frequency_half_day(
    tmp_path: Path, half: str, start: dt.time | None, expected: Status
) -> None:
    path = one_rule(
        tmp_path,
        {
            "record": "study",
            "audiences": ["all_staff"],
            "per": "month",
            "at_least": 1,
            "half_day": half,
        },
    )
    led = ledger(
        branches=[branch()], study_sessions=[study("s1", STAFF, D(2020, 3, 9), start=start)]
    )
    found = judged(led, "2020-03", "local.f", as_of=D(2020, 4, 1), rules=[path])
    assert found == {("b1", "2020-03"): expected.value}


# -- frequency: the lecturer's seat ------------------------------------------------------------


def lecture_ledger(day: dt.date, lecturer: str, where: str = "b1") -> Ledger:
    """c1 (a 基层党委 whose secretary s1 held the seat from 1 March to 30 September 2020) above
    b1; the lecture held at ``where`` on ``day`` by ``lecturer``."""
    return ledger(
        branches=[
            committee_org("c1", committee=[seat("s1", start=D(2020, 3, 1), end=D(2020, 9, 30))]),
            branch("b1", parent="c1", committee=[seat("b1-m1")]),
            branch("b2", parent="b1", level=OrgLevel.BRANCH),
        ],
        members=[full_member("s1", "c1"), *full_members(3, "b1"), *full_members(1, "b2")],
        meetings=[meeting("l1", LECTURE, day, branch=where, lecturer=lecturer)],
    )


@pytest.mark.parametrize(
    ("day", "lecturer", "where", "expected"),
    [
        (D(2020, 2, 29), "s1", "b1", Status.FAILED),  # the day before taking the seat
        (D(2020, 3, 1), "s1", "b1", Status.PASSED),  # the day of taking it
        (D(2020, 9, 30), "s1", "b1", Status.PASSED),  # the last day in it
        (D(2020, 10, 1), "s1", "b1", Status.FAILED),  # the day after leaving it
        (D(2020, 6, 1), "s1", "c1", Status.PASSED),  # at the committee itself
        (D(2020, 6, 1), "s1", "b2", Status.PASSED),  # two levels below (include_descendants)
        (D(2020, 6, 1), "b1-m1", "b1", Status.FAILED),  # the branch's own secretary
    ],
)
def test_frequency_lecture_counts_while_the_lecturer_holds_the_seat(
    day: dt.date, lecturer: str, where: str, expected: Status
) -> None:
    led = lecture_ledger(day, lecturer, where)
    found = judged(led, "2020", "branch.lecture", as_of=D(2021, 1, 10))
    assert found == {("c1", "2020"): expected.value}


def test_frequency_lecture_pending_while_the_year_runs(tmp_path: Path) -> None:
    led = lecture_ledger(D(2020, 2, 1), "s1")
    found = judged(led, "2020", "branch.lecture", as_of=D(2020, 12, 31))
    assert found == {("c1", "2020"): Status.PENDING.value}


# -- frequency: the organisations below --------------------------------------------------------


@pytest.mark.parametrize(("below", "expected"), [(True, Status.PASSED), (False, Status.FAILED)])
def test_frequency_include_descendants(tmp_path: Path, below: bool, expected: Status) -> None:
    """A theme day held by b2, a branch under the 总支 gb under c1: it counts for every
    organisation above it only when the rule includes those below."""
    path = one_rule(
        tmp_path,
        {
            "meeting_kinds": ["theme_day"],
            "per": "quarter",
            "at_least": 1,
            "include_descendants": below,
        },
    )
    led = ledger(
        branches=[
            committee_org("c1"),
            branch("gb", level=OrgLevel.GENERAL_BRANCH, parent="c1"),
            branch("b2", parent="gb"),
            branch("b3", parent="c1"),
        ],
        meetings=[meeting("t1", THEME, D(2020, 2, 1), branch="b2")],
    )
    found = judged(led, "2020Q1", "local.f", as_of=D(2020, 4, 1), rules=[path])
    assert found == {
        ("c1", "2020Q1"): expected.value,
        ("gb", "2020Q1"): expected.value,
        ("b2", "2020Q1"): Status.PASSED.value,
        ("b3", "2020Q1"): Status.FAILED.value,
    }


# -- frequency: party groups -------------------------------------------------------------------


def test_frequency_group_meetings_per_group() -> None:
    led = ledger(
        branches=[branch("b1"), branch("b2")],
        groups=[group("g1", "b1"), group("g2", "b1"), group("g3", "b2")],
        meetings=[
            meeting("a1", GROUP, D(2020, 1, 31), group="g1"),
            meeting("a2", GROUP, D(2020, 2, 1), group="g2"),
            meeting("x1", GROUP, D(2020, 1, 10)),  # the branch's, no group: nobody's
            meeting("x2", CM, D(2020, 1, 10), branch="b2", group="g3"),  # another kind
        ],
    )
    found = judged(led, "2020-01", "branch.group_mtg", as_of=D(2020, 2, 15))
    assert found == {
        ("g1", "2020-01"): Status.PASSED.value,
        ("g2", "2020-01"): Status.FAILED.value,
        ("g3", "2020-01"): Status.FAILED.value,
    }


def test_frequency_group_study_counts_the_groups_own_sessions(tmp_path: Path) -> None:
    """Study sessions for a group: those of its organisation marked with the group."""
    path = one_rule(
        tmp_path,
        {
            "record": "study",
            "audiences": ["all_staff"],
            "per": "month",
            "at_least": 1,
            "subject": "group",
        },
    )
    led = ledger(
        branches=[branch("b1"), branch("b2")],
        groups=[group("g1", "b1"), group("g2", "b1"), group("g3", "b2")],
        study_sessions=[
            study("s1", STAFF, D(2020, 1, 5), group="g1"),
            study("s2", STAFF, D(2020, 1, 6)),  # the branch's, no group
        ],
    )
    found = judged(led, "2020-01", "local.f", as_of=D(2020, 1, 20), rules=[path])
    assert found == {
        ("g1", "2020-01"): Status.PASSED.value,
        ("g2", "2020-01"): Status.PENDING.value,
        ("g3", "2020-01"): Status.PENDING.value,
    }


def test_frequency_a_branch_without_groups_has_no_group_findings() -> None:
    led = ledger(branches=[branch()], meetings=[meeting("x1", GROUP, D(2020, 2, 10))])
    assert judged(led, "2020Q1", "branch.group_mtg", as_of=D(2020, 4, 15)) == {}


# -- frequency: a committee needed -------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "expected"),
    [
        ([], Status.NOT_APPLICABLE),
        ([seat("b1-m1")], Status.NOT_APPLICABLE),  # a secretary only
        ([seat("b1-m1"), seat("b1-m2", CommitteeRole.DEPUTY_SECRETARY)], Status.NOT_APPLICABLE),
        ([seat("b1-m1"), seat("b1-m2", CommitteeRole.MEMBER)], Status.FAILED),
        # a 委员 from the last day of January: January is judged
        ([seat("b1-m1"), seat("b1-m2", CommitteeRole.MEMBER, start=D(2020, 1, 31))], Status.FAILED),
        # a 委员 until the last day of December: January is not judged
        (
            [seat("b1-m1"), seat("b1-m2", CommitteeRole.MEMBER, end=D(2019, 12, 31))],
            Status.NOT_APPLICABLE,
        ),
    ],
)
def test_frequency_needs_committee(seats: list[Any], expected: Status) -> None:
    led = ledger(branches=[branch(committee=seats)], members=full_members(5))
    found = judged(led, "2020-01", "branch.committee_mtg", as_of=D(2020, 4, 15))
    assert found == {("b1", "2020-01"): expected.value}


def test_frequency_needs_committee_month_by_month() -> None:
    led = ledger(
        branches=[
            branch(
                committee=[
                    seat("b1-m1"),
                    seat(
                        "b1-m2", CommitteeRole.ORGANISATION, start=D(2020, 2, 1), end=D(2020, 2, 29)
                    ),
                ]
            )
        ],
        members=full_members(5),
        meetings=[meeting("c1", CM, D(2020, 2, 29)), meeting("c2", CM, D(2020, 3, 2))],
    )
    found = judged(led, "2020Q1", "branch.committee_mtg", as_of=D(2020, 4, 15))
    assert found == {
        ("b1", "2020-01"): Status.NOT_APPLICABLE.value,
        ("b1", "2020-02"): Status.PASSED.value,
        ("b1", "2020-03"): Status.NOT_APPLICABLE.value,
    }


# -- frequency: sub-periods partly in force, organisations partly in existence -----------------


def test_frequency_subperiod_partly_in_force() -> None:
    """branch.committee_mtg is in force from 28 October 2018: October is not judged, and the
    months before are not there at all."""
    led = ledger(
        branches=[branch(committee=[seat("b1-m1"), seat("b1-m2", CommitteeRole.MEMBER)])],
        members=full_members(5),
        meetings=[meeting("c1", CM, D(2018, 10, 30)), meeting("c2", CM, D(2018, 11, 1))],
    )
    found = judged(led, "2018", "branch.committee_mtg", as_of=D(2019, 1, 15))
    assert found == {
        ("b1", "2018-10"): Status.NOT_APPLICABLE.value,
        ("b1", "2018-11"): Status.PASSED.value,
        ("b1", "2018-12"): Status.FAILED.value,
    }


def test_frequency_subperiod_partly_in_force_until(tmp_path: Path) -> None:
    path = one_rule(
        tmp_path,
        {"meeting_kinds": ["theme_day"], "per": "quarter", "at_least": 1},
        in_force={"until": D(2020, 5, 31)},
    )
    led = ledger(branches=[branch()], meetings=[meeting("t1", THEME, D(2020, 1, 2))])
    found = judged(led, "2020", "local.f", as_of=D(2021, 1, 15), rules=[path])
    assert found == {
        ("b1", "2020Q1"): Status.PASSED.value,
        ("b1", "2020Q2"): Status.NOT_APPLICABLE.value,
    }


@pytest.mark.parametrize(
    ("founded", "dissolved", "expected"),
    [
        (D(2020, 1, 1), None, Status.FAILED),  # founded on the first day: judged
        (D(2020, 1, 2), None, Status.NOT_APPLICABLE),
        (FOUNDED, D(2020, 3, 31), Status.FAILED),  # dissolved on the last day: judged
        (FOUNDED, D(2020, 3, 30), Status.NOT_APPLICABLE),
    ],
)
def test_frequency_organisation_not_existing_throughout(
    founded: dt.date, dissolved: dt.date | None, expected: Status
) -> None:
    led = ledger(branches=[branch(founded=founded, dissolved=dissolved)])
    found = judged(led, "2020Q1", "branch.congress", as_of=D(2020, 4, 15))
    assert found == {("b1", "2020Q1"): expected.value}


def test_frequency_changed_parameters_apply_from_their_sub_period(tmp_path: Path) -> None:
    """Twice a quarter from the second quarter: one meeting passes Q1 and fails Q2."""
    path = rule_file(
        tmp_path,
        [
            {
                "id": "local.f",
                "kind": "frequency",
                "params": {"meeting_kinds": ["theme_day"], "per": "quarter", "at_least": 1},
                "changes": [{"since": D(2020, 4, 1), "params": {"at_least": 2}}],
            }
        ],
    )
    led = ledger(
        branches=[branch()],
        meetings=[meeting("t1", THEME, D(2020, 1, 2)), meeting("t2", THEME, D(2020, 5, 2))],
    )
    found = judged(led, "2020H1", "local.f", as_of=D(2020, 7, 15), rules=[path])
    assert found == {
        ("b1", "2020Q1"): Status.PASSED.value,
        ("b1", "2020Q2"): Status.FAILED.value,
    }


# -- frequency: pending ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2020, 3, 31), Status.PENDING),  # the quarter's last day: not over yet
        (D(2020, 4, 1), Status.FAILED),
    ],
)
def test_frequency_pending_until_the_sub_period_is_over(as_of: dt.date, expected: Status) -> None:
    led = ledger(branches=[branch()])
    found = judged(led, "2020Q1", "branch.congress", as_of=as_of)
    assert found == {("b1", "2020Q1"): expected.value}


def test_frequency_a_year_in_a_half_is_pending_even_when_judged_later() -> None:
    """A yearly requirement checked over a half year is not judged on half its time."""
    led = ledger(branches=[branch()])
    found = judged(led, "2020H1", "branch.org_life_mtg", as_of=D(2021, 3, 1))
    assert found == {("b1", "2020"): Status.PENDING.value}


# -- checklist ---------------------------------------------------------------------------------

ACTIONS = ("重温入党志愿书", "思想交流", "集体宣誓")
AFTER_H1 = D(2020, 7, 15)


@pytest.fixture
def three_ones(tmp_path: Path) -> Path:
    return rule_file(
        tmp_path,
        [
            {
                "id": "local.three_ones",
                "kind": "checklist",
                "params": {"meeting_kinds": ["theme_day"], "actions": list(ACTIONS), "per": "half"},
            }
        ],
    )


def checklist(
    path: Path,
    meetings: Sequence[Any],
    *,
    as_of: dt.date = AFTER_H1,
    period: str = "2020H1",
    **fields: Any,
) -> dict[tuple[str, str | None], str]:
    led = ledger(branches=[branch(**fields)], meetings=meetings)
    return judged(led, period, "local.three_ones", as_of=as_of, rules=[path])


def test_checklist_all_done_across_meetings(three_ones: Path) -> None:
    found = checklist(
        three_ones,
        [
            meeting("t1", THEME, D(2020, 1, 1), actions=ACTIONS[:2]),
            meeting("t2", THEME, D(2020, 6, 30), actions=(ACTIONS[2], "参观")),
            meeting("t3", THEME, D(2020, 4, 15), actions=("志愿服务",)),  # no evidence
        ],
    )
    assert found == {("b1", "2020H1"): Status.PASSED.value}


@pytest.mark.parametrize("done", [(), ACTIONS[:1], ACTIONS[1:], (ACTIONS[0], ACTIONS[2])])
def test_checklist_missing_actions(three_ones: Path, done: tuple[str, ...]) -> None:
    found = checklist(three_ones, [meeting("t1", THEME, D(2020, 3, 1), actions=done)])
    assert found == {("b1", "2020H1"): Status.FAILED.value}


def test_checklist_actions_of_other_kinds_other_halves_do_not_count(three_ones: Path) -> None:
    found = checklist(
        three_ones,
        [
            meeting("t1", THEME, D(2020, 3, 1), actions=ACTIONS[:2]),
            meeting("g1", GM, D(2020, 3, 2), actions=ACTIONS[2:]),
            meeting("t2", THEME, D(2020, 7, 1), actions=ACTIONS[2:]),
        ],
        period="2020",
        as_of=D(2021, 1, 5),
    )
    assert found == {("b1", "2020H1"): Status.FAILED.value, ("b1", "2020H2"): Status.FAILED.value}


@pytest.mark.parametrize(
    ("as_of", "expected"), [(D(2020, 6, 30), Status.PENDING), (D(2020, 7, 1), Status.FAILED)]
)
def test_checklist_pending(three_ones: Path, as_of: dt.date, expected: Status) -> None:
    meetings = [meeting("t1", THEME, D(2020, 3, 15), actions=ACTIONS[:2])]
    assert checklist(three_ones, meetings, as_of=as_of) == {("b1", "2020H1"): expected.value}


@pytest.mark.parametrize(
    ("founded", "expected"),
    [(D(2020, 1, 1), Status.FAILED), (D(2020, 1, 2), Status.NOT_APPLICABLE)],
)
def test_checklist_organisation_not_existing_throughout(
    three_ones: Path, founded: dt.date, expected: Status
) -> None:
    assert checklist(three_ones, [], founded=founded) == {("b1", "2020H1"): expected.value}


def test_checklist_partly_in_force_and_changed(tmp_path: Path) -> None:
    """In force from 1 March 2020 with three actions, one more from the second half."""
    path = rule_file(
        tmp_path,
        [
            {
                "id": "local.three_ones",
                "kind": "checklist",
                "in_force": {"since": D(2020, 3, 1)},
                "params": {
                    "meeting_kinds": ["theme_day"],
                    "actions": ["甲", "乙"],
                    "per": "quarter",
                },
                "changes": [{"since": D(2020, 7, 1), "params": {"actions": ["甲", "乙", "丙"]}}],
            }
        ],
    )
    meetings = [
        meeting("t1", THEME, D(2020, 3, 1), actions=("甲", "乙")),
        meeting("t2", THEME, D(2020, 5, 1), actions=("乙", "甲")),
        meeting("t3", THEME, D(2020, 8, 1), actions=("甲", "乙")),
        meeting("t4", THEME, D(2020, 11, 1), actions=("丙", "乙", "甲")),
    ]
    found = checklist(path, meetings, period="2020", as_of=D(2021, 1, 5))
    assert found == {
        ("b1", "2020Q1"): Status.NOT_APPLICABLE.value,
        ("b1", "2020Q2"): Status.PASSED.value,
        ("b1", "2020Q3"): Status.FAILED.value,
        ("b1", "2020Q4"): Status.PASSED.value,
    }


# -- reschedule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 10, 8), Status.PASSED),  # 7 days later
        (D(2020, 10, 9), Status.FAILED),  # 8 days later
        (D(2020, 9, 24), Status.PASSED),  # 7 days earlier, in the month before
        (D(2020, 9, 23), Status.FAILED),  # 8 days earlier
        (D(2020, 10, 1), Status.PASSED),  # not moved at all
    ],
)
def test_reschedule_at_most_a_week(day: dt.date, expected: Status) -> None:
    led = ledger(
        branches=[branch(theme_day=1)],
        meetings=[meeting("t1", THEME, day, rescheduled_from=D(2020, 10, 1))],
    )
    found = judged(led, "2020", "local.theme_day_shift", as_of=D(2021, 1, 15))
    assert found == {("t1", f"{day.year}-{day.month:02d}"): expected.value}


def test_reschedule_judges_only_moved_meetings_of_its_kinds_in_the_period() -> None:
    led = ledger(
        branches=[branch()],
        meetings=[
            meeting("g1", GM, D(2020, 10, 20), rescheduled_from=D(2020, 10, 1)),  # another kind
            meeting("t1", THEME, D(2020, 10, 15)),  # not moved
            meeting("t2", THEME, D(2020, 12, 31), rescheduled_from=D(2021, 1, 1)),  # in 2020
            meeting("t3", THEME, D(2021, 1, 2), rescheduled_from=D(2020, 12, 20)),  # in 2021
            meeting("t4", THEME, D(2020, 1, 1), rescheduled_from=D(2019, 12, 1)),  # 31 days
        ],
    )
    found = judged(led, "2020", "local.theme_day_shift", as_of=D(2021, 1, 15))
    assert found == {("t2", "2020-12"): Status.PASSED.value, ("t4", "2020-01"): Status.FAILED.value}


def test_reschedule_a_week_period_across_two_months() -> None:
    """2020-W31 runs from 27 July to 2 August: each meeting in its own month."""
    led = ledger(
        branches=[branch()],
        meetings=[
            meeting("t1", THEME, D(2020, 7, 27), rescheduled_from=D(2020, 7, 20)),
            meeting("t2", THEME, D(2020, 8, 2), rescheduled_from=D(2020, 8, 12)),
        ],
    )
    found = judged(led, "2020-W31", "local.theme_day_shift", as_of=D(2021, 1, 15))
    assert found == {("t1", "2020-07"): Status.PASSED.value, ("t2", "2020-08"): Status.FAILED.value}


def test_reschedule_versions_and_days_in_force(tmp_path: Path) -> None:
    """A local rule in force from 1 March: three days allowed, then five from 1 July, for
    theme days and then general meetings too."""
    path = rule_file(
        tmp_path,
        [
            {
                "id": "local.shift",
                "kind": "reschedule",
                "in_force": {"since": D(2020, 3, 1), "until": D(2020, 11, 30)},
                "params": {"meeting_kinds": ["theme_day"], "max_days": 3},
                "changes": [
                    {
                        "since": D(2020, 7, 1),
                        "params": {
                            "meeting_kinds": ["theme_day", "general_meeting"],
                            "max_days": 5,
                        },
                    }
                ],
            }
        ],
    )
    led = ledger(
        branches=[branch(), branch("c1", level=OrgLevel.COMMITTEE)],
        meetings=[
            meeting("a", THEME, D(2020, 2, 29), rescheduled_from=D(2020, 2, 1)),  # not in force
            meeting("b", THEME, D(2020, 3, 4), rescheduled_from=D(2020, 3, 1)),  # 3: passed
            meeting("c", THEME, D(2020, 6, 30), rescheduled_from=D(2020, 6, 26)),  # 4 > 3
            meeting("d", GM, D(2020, 6, 30), rescheduled_from=D(2020, 6, 29)),  # not yet a kind
            meeting("e", THEME, D(2020, 7, 1), rescheduled_from=D(2020, 6, 26)),  # 5: passed
            meeting("f", GM, D(2020, 7, 10), rescheduled_from=D(2020, 7, 1)),  # 9 > 5
            meeting("g", GM, D(2020, 12, 1), rescheduled_from=D(2020, 11, 30)),  # not in force
            meeting("h", THEME, D(2020, 5, 5), branch="c1", rescheduled_from=D(2020, 5, 1)),
        ],
    )
    found = judged(led, "2020", "local.shift", as_of=D(2021, 1, 15), rules=[path])
    assert found == {
        ("b", "2020-03"): Status.PASSED.value,
        ("c", "2020-06"): Status.FAILED.value,
        ("e", "2020-07"): Status.PASSED.value,
        ("f", "2020-07"): Status.FAILED.value,
        ("h", "2020-05"): Status.FAILED.value,
    }


# -- generated ledgers under local rules of every parameter ----------------------------------------

LOCAL_RULES = [
    {
        "id": "local.three_ones",
        "kind": "checklist",
        "params": {"meeting_kinds": ["theme_day"], "actions": list(ACTIONS), "per": "quarter"},
        "changes": [{"since": D(2020, 1, 1), "params": {"actions": list(ACTIONS[:2])}}],
    },
    {
        "id": "local.friday_pm",
        "kind": "frequency",
        "params": {**SATURDAY_STUDY, "weekday": 5, "half_day": "afternoon"},
    },
    {
        "id": "local.group_study",
        "kind": "frequency",
        "in_force": {"since": D(2019, 2, 15)},
        "params": {
            "record": "study",
            "audiences": ["all_members", "all_staff"],
            "per": "month",
            "at_least": 1,
            "subject": "group",
            "include_descendants": True,
        },
    },
    {
        "id": "local.morning_lecture",
        "kind": "frequency",
        "params": {
            "meeting_kinds": ["party_lecture", "theme_day"],
            "per": "quarter",
            "at_least": 1,
            "half_day": "morning",
            "lecturer_role": "secretary",
            "needs_committee": True,
        },
    },
    {
        "id": "local.shift",
        "kind": "reschedule",
        "in_force": {"until": D(2021, 6, 30)},
        "params": {"meeting_kinds": ["theme_day"], "max_days": 3},
        "changes": [
            {"since": D(2020, 1, 1), "params": {"meeting_kinds": ["theme_day", "general_meeting"]}}
        ],
    },
]


@pytest.fixture(scope="module")
def local_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rule_file(tmp_path_factory.mktemp("rules"), LOCAL_RULES)


@given(
    led=ds.ledgers(max_branches=3, max_members=6, max_records=4),
    year=st.integers(2018, 2021),
    unit=st.sampled_from(["", "H1", "Q2", "-03", "-W10", "H2"]),
    as_of=st.dates(D(2018, 1, 1), D(2022, 12, 31)),
)
@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_ledgers_under_local_rules(
    local_rules: Path, led: Ledger, year: int, unit: str, as_of: dt.date
) -> None:
    period = f"{year}{unit}"
    only = [r["id"] for r in LOCAL_RULES]
    agree = same_findings(
        led, period, as_of=as_of, profile="national", only=only, rules=[str(local_rules)]
    )
    assert agree == (Counter(), Counter())
