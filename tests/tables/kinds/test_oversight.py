"""Boundary cases of the oversight kinds over tables (rectification, pairing): each case judged
by the table engine with the status expected, and the object engine's findings the same in
every respect (message in both languages, evidence, citations, day)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    JointActivity,
    Ledger,
    MeetingKind,
    OrgLevel,
    PairingVillage,
    RectificationItem,
    RectificationSource,
    RectificationStatus,
    ResponsibilityLetter,
)
from dangjian.calendar import WorkingCalendar
from dangjian.tables.engine import evaluate
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.example import PLAN
from tests.builders.rules import D, branch, ledger, meeting, rule_file
from tests.builders.tables import on_duckdb, same_findings

pytest.importorskip("ibis")

OPEN = RectificationStatus.OPEN
CLOSED = RectificationStatus.CLOSED
ONGOING = RectificationStatus.ONGOING


def judged(
    led: Ledger,
    period: str,
    rule_id: str,
    *,
    as_of: dt.date,
    rules: Sequence[Path] = (),
    calendar: WorkingCalendar | None = None,
) -> dict[tuple[str, str | None], str]:
    """The table engine's status of each (subject, sub-period), after asserting that both
    engines make the same findings."""
    only = [rule_id]
    paths = [str(r) for r in rules]
    objects, rows = same_findings(
        led, period, as_of=as_of, profile="national", only=only, rules=paths, calendar=calendar
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
        rules=paths,
        allow_unmatched=True,
        calendar=calendar,
    )
    return {(f.subject.id, str(f.period) if f.period else None): f.status.value for f in report}


# -- rectification -----------------------------------------------------------------------------


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


JUDGED = D(2020, 6, 30)  # 2020Q2 judged after its end


def test_overdue_around_the_judging_day() -> None:
    led = ledger(
        branches=[branch(), branch("b2", level=OrgLevel.COMMITTEE)],
        rectifications=[
            item("on_day", deadline=JUDGED),
            item("day_before", deadline=JUDGED - dt.timedelta(days=1)),
            item("long_ago", deadline=D(2020, 2, 1), evidence=("甲", "乙", "甲")),
            item("later", deadline=D(2020, 9, 30)),
            item("no_deadline", deadline=None),
            item("closed_late", deadline=D(2020, 3, 1), status=CLOSED, closed=D(2020, 5, 1)),
            item("closed_after", deadline=D(2020, 5, 31), status=CLOSED, closed=D(2020, 8, 1)),
            item("closed_no_day", deadline=D(2020, 3, 1), status=CLOSED),
            item("ongoing", deadline=D(2020, 3, 1), status=ONGOING),
            item("future", deadline=D(2020, 7, 2), raised=D(2020, 7, 1)),
            item("nobody's", deadline=D(2020, 3, 1), branch=None, evidence=()),
        ],
    )
    assert judged(led, "2020Q2", "rectification.overdue", as_of=D(2020, 12, 31)) == {
        ("on_day", "2020-06"): "pending",
        ("day_before", "2020-06"): "failed",
        ("long_ago", "2020-02"): "failed",
        ("later", "2020-09"): "pending",
        ("closed_after", "2020-05"): "failed",
        ("nobody's", "2020-03"): "failed",
    }


@pytest.mark.parametrize(
    ("deadline", "status"), [(D(2020, 5, 15), "pending"), (D(2020, 5, 14), "failed")]
)
def test_overdue_judged_on_the_day_of_judging_inside_the_period(
    deadline: dt.date, status: str
) -> None:
    led = ledger(branches=[branch()], rectifications=[item("r", deadline=deadline)])
    assert judged(led, "2020Q2", "rectification.overdue", as_of=D(2020, 5, 15)) == {
        ("r", "2020-05"): status
    }


# 2020-04-24 is a Friday; Sunday 2020-04-26 was a working day (调休 before 劳动节), so one
# working day after the Friday is the Sunday, not the Monday
FRIDAY = D(2020, 4, 24)
SWAPPED_SUNDAY = D(2020, 4, 26)


@pytest.mark.parametrize(
    ("as_of", "status"), [(SWAPPED_SUNDAY, "pending"), (D(2020, 4, 27), "failed")]
)
def test_overdue_in_working_days_around_a_swapped_weekend(as_of: dt.date, status: str) -> None:
    led = ledger(
        branches=[branch()],
        rectifications=[item("r", deadline=None, raised=FRIDAY, working_days=1)],
    )
    assert judged(led, "2020Q2", "rectification.overdue", as_of=as_of) == {("r", "2020-04"): status}


@pytest.mark.parametrize(
    ("closed", "status"),
    [
        (SWAPPED_SUNDAY, "passed"),
        (D(2020, 4, 27), "failed"),
        # two working days after 2020-04-29: 04-30, then 05-06 past the 劳动节 holiday
        (D(2020, 5, 6), "passed"),
    ],
)
def test_on_time_in_working_days_around_a_swapped_weekend(closed: dt.date, status: str) -> None:
    raised, n = (FRIDAY, 1) if closed < D(2020, 5, 1) else (D(2020, 4, 29), 2)
    led = ledger(
        branches=[branch()],
        rectifications=[
            item("r", deadline=None, raised=raised, working_days=n, status=CLOSED, closed=closed),
            # the same days given as a date too: the date and the working days agree
            item(
                "both",
                deadline=SWAPPED_SUNDAY if n == 1 else D(2020, 5, 6),
                raised=raised,
                working_days=n,
                status=CLOSED,
                closed=closed,
            ),
        ],
    )
    found = judged(led, "2020Q2", "rectification.on_time", as_of=D(2020, 12, 31))
    month = f"2020-{closed.month:02}"
    assert found == {("r", month): status, ("both", month): status}


def test_working_days_the_calendar_cannot_count_are_unknown() -> None:
    """A calendar of 2020 alone cannot count from 2019-12-31, nor past 2020's end: the deadline
    is not known, and the finding says so rather than guess; a date given beside them stands."""
    calendar = WorkingCalendar(years={2020})
    led = ledger(
        branches=[branch()],
        rectifications=[
            item("before", deadline=None, raised=D(2019, 12, 31), working_days=1),
            item("past", deadline=None, raised=D(2020, 12, 28), working_days=10),
            item("dated", deadline=D(2021, 1, 12), raised=D(2020, 12, 28), working_days=10),
            item("within", deadline=None, raised=D(2020, 12, 21), working_days=3),
            item(
                "closed",
                deadline=None,
                raised=D(2020, 12, 28),
                working_days=10,
                status=CLOSED,
                closed=D(2020, 12, 30),
            ),
        ],
    )
    for rule in ("rectification.overdue", "rectification.on_time"):
        found = judged(led, "2020Q4", rule, as_of=D(2021, 3, 1), calendar=calendar)
        if rule == "rectification.overdue":
            assert found == {
                ("before", "2019-12"): "unknown",
                ("past", "2020-12"): "unknown",
                ("dated", "2021-01"): "pending",  # judged on 2020-12-31
                ("within", "2020-12"): "failed",  # 2020-12-24
            }
        else:
            assert found == {("closed", "2020-12"): "unknown"}


def test_on_time_and_evidence_of_items_closed_in_the_period() -> None:
    led = ledger(
        branches=[branch()],
        rectifications=[
            item("on_deadline", deadline=D(2020, 4, 30), status=CLOSED, closed=D(2020, 4, 30)),
            item("a_day_late", deadline=D(2020, 4, 30), status=CLOSED, closed=D(2020, 5, 1)),
            item("no_deadline", deadline=None, status=CLOSED, closed=D(2020, 5, 1), measures=()),
            item(
                "bare",
                deadline=D(2020, 6, 1),
                status=CLOSED,
                closed=D(2020, 6, 1),
                measures=(),
                evidence=(),
            ),
            item(
                "no_proof", deadline=D(2020, 6, 1), status=CLOSED, closed=D(2020, 6, 2), evidence=()
            ),
            item("before", deadline=D(2020, 3, 1), status=CLOSED, closed=D(2020, 3, 31)),
            item("still_open", deadline=D(2020, 3, 1)),
        ],
    )
    assert judged(led, "2020Q2", "rectification.on_time", as_of=D(2021, 1, 1)) == {
        ("on_deadline", "2020-04"): "passed",
        ("a_day_late", "2020-05"): "failed",
        ("bare", "2020-06"): "passed",
        ("no_proof", "2020-06"): "failed",
    }
    assert judged(led, "2020Q2", "rectification.evidence", as_of=D(2021, 1, 1)) == {
        ("on_deadline", "2020-04"): "passed",
        ("a_day_late", "2020-05"): "passed",
        ("no_deadline", "2020-05"): "failed",
        ("bare", "2020-06"): "failed",
        ("no_proof", "2020-06"): "failed",
    }


def test_rectification_rule_in_force_from_a_day(tmp_path: Path) -> None:
    """Items raised before a local rule came into force are not judged by it."""
    rules = rule_file(
        tmp_path,
        [
            {
                "id": "local.overdue",
                "kind": "rectification",
                "severity": "error",
                "in_force": {"since": D(2020, 3, 1)},
                "params": {"check": "overdue"},
            }
        ],
    )
    led = ledger(
        branches=[branch()],
        rectifications=[
            item("old", deadline=D(2020, 4, 1), raised=D(2020, 2, 29)),
            item("new", deadline=D(2020, 4, 1), raised=D(2020, 3, 1)),
        ],
    )
    assert judged(led, "2020", "local.overdue", as_of=D(2021, 1, 1), rules=[rules]) == {
        ("new", "2020-04"): "failed"
    }


# -- pairing: joint activities -----------------------------------------------------------------

FOUR = ("联学", "组织生活联过", "班子建设联建", "主题党日联办")


def joint_rule(directory: Path, **extra: object) -> Path:
    return rule_file(
        directory,
        [
            {
                "id": "local.four_joint",
                "kind": "pairing",
                "severity": "warning",
                "params": {"check": "joint_activities", "kinds": list(FOUR), "per": "half"},
                **extra,
            }
        ],
    )


def pairing(
    id: str,
    activities: list[tuple[dt.date, str]],
    *,
    since: dt.date = dt.date(2019, 1, 1),
    until: dt.date | None = None,
    meeting: str | None = None,
    branch: str = "b1",
) -> PairingVillage:
    return PairingVillage(
        id=id,
        county="X县",
        town="X镇",
        village=f"{id}村",
        branch=branch,
        since=since,
        until=until,
        activities=tuple(JointActivity(date=d, kind=k, meeting=meeting) for d, k in activities),
    )


H1 = [D(2020, 1, 15), D(2020, 3, 1), D(2020, 5, 4), D(2020, 6, 30)]


def test_joint_activities_each_kind_each_half(tmp_path: Path) -> None:
    led = ledger(
        branches=[branch(), branch("b2", level=OrgLevel.COMMITTEE)],
        meetings=[meeting("mt1", MeetingKind.THEME_DAY, H1[0])],
        pairings=[
            pairing("all", list(zip(H1, FOUR, strict=True))),
            # every activity held at one meeting: its id is the evidence, once for each
            pairing("at_a_meeting", [(H1[0], k) for k in FOUR], meeting="mt1"),
            pairing(
                "three",
                [*zip(H1[:3], FOUR[:3], strict=True), (D(2020, 7, 1), FOUR[3])],
            ),
            pairing("repeat", [(d, FOUR[0]) for d in H1]),
            pairing("other", [(H1[0], "联谊")]),
            pairing("none", []),
            pairing("mid_half", list(zip(H1, FOUR, strict=True)), since=D(2020, 1, 2)),
            pairing("ended", [(H1[0], FOUR[0])], until=D(2020, 6, 29)),
            pairing("to_the_end", list(zip(H1, FOUR, strict=True)), until=D(2020, 6, 30)),
        ],
    )
    assert judged(
        led, "2020", "local.four_joint", as_of=D(2020, 7, 10), rules=[joint_rule(tmp_path)]
    ) == {
        ("all", "2020H1"): "passed",
        ("all", "2020H2"): "pending",
        ("at_a_meeting", "2020H1"): "passed",
        ("at_a_meeting", "2020H2"): "pending",
        ("three", "2020H1"): "failed",
        ("three", "2020H2"): "pending",
        ("repeat", "2020H1"): "failed",
        ("repeat", "2020H2"): "pending",
        ("other", "2020H1"): "failed",
        ("other", "2020H2"): "pending",
        ("none", "2020H1"): "failed",
        ("none", "2020H2"): "pending",
        ("mid_half", "2020H1"): "not_applicable",
        ("mid_half", "2020H2"): "pending",
        ("ended", "2020H1"): "not_applicable",
        ("ended", "2020H2"): "not_applicable",
        ("to_the_end", "2020H1"): "passed",
        ("to_the_end", "2020H2"): "not_applicable",
    }


def test_joint_activities_rule_in_force_part_of_a_half_with_kinds_changed(tmp_path: Path) -> None:
    """In force from April: the first half is not judged; from July two kinds suffice."""
    rules = joint_rule(
        tmp_path,
        in_force={"since": D(2020, 4, 1)},
        changes=[{"since": D(2020, 7, 1), "params": {"kinds": list(FOUR[:2])}}],
    )
    led = ledger(
        branches=[branch()],
        pairings=[pairing("p", [(D(2020, 8, 1), k) for k in FOUR[:2]])],
    )
    assert judged(led, "2020", "local.four_joint", as_of=D(2021, 1, 1), rules=[rules]) == {
        ("p", "2020H1"): "not_applicable",
        ("p", "2020H2"): "passed",
    }


# -- pairing: responsibility letters -----------------------------------------------------------


def letters_rule(directory: Path) -> Path:
    return rule_file(
        directory,
        [
            {
                "id": "local.letters",
                "kind": "pairing",
                "severity": "warning",
                "applies_to": {"levels": ["committee", "branch"]},
                "params": {"check": "letters", "per": "year"},
            }
        ],
    )


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


def test_letters_for_the_year_first_signed_and_unnamed_for_the_top(tmp_path: Path) -> None:
    led = ledger(
        branches=[
            branch("c1", level=OrgLevel.COMMITTEE),
            branch("b1", parent="c1"),
            branch("b2", parent="c1"),
            branch("b3", parent="c1"),
        ],
        responsibility_letters=[
            letter("late", 2020, D(2020, 3, 5), "b1"),
            letter("early", 2020, D(2020, 1, 8), "b1"),
            letter("last_year", 2019, D(2019, 2, 1), "b2"),
            letter("ahead", 2020, D(2019, 12, 20), "b3"),
            letter("unnamed", 2020, D(2020, 2, 2), None),
        ],
    )
    rules = [letters_rule(tmp_path)]
    assert judged(led, "2020", "local.letters", as_of=D(2021, 1, 10), rules=rules) == {
        ("c1", "2020"): "passed",
        ("b1", "2020"): "passed",
        ("b2", "2020"): "failed",
        ("b3", "2020"): "passed",
    }
    assert judged(led, "2021H1", "local.letters", as_of=D(2021, 6, 1), rules=rules) == {
        ("c1", "2021"): "pending",
        ("b1", "2021"): "pending",
        ("b2", "2021"): "pending",
        ("b3", "2021"): "pending",
    }


# -- generated ledgers -------------------------------------------------------------------------


@given(led=ds.ledgers(max_branches=3, max_members=6, max_records=4), data=st.data())
@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_ledgers_under_the_example_plan(led: Ledger, data: st.DataObject) -> None:
    """The pairing rules of the example's plan (no built-in rule is of that kind) and the
    rectification rules, over generated ledgers, in a period that holds some of their records:
    the two engines agree."""
    years = {x.year for x in led.responsibility_letters}
    years |= {a.date.year for p in led.pairings for a in p.activities}
    for r in led.rectifications:
        years |= {d.year for d in (r.raised, r.deadline, r.closed) if d is not None}
    year = data.draw(st.sampled_from(sorted(years) or [2020]), label="year")
    unit = data.draw(st.sampled_from(["", "H1", "Q2", "-03", "H2"]), label="unit")
    as_of = data.draw(st.dates(dt.date(year, 1, 1), dt.date(year + 1, 12, 31)), label="as_of")
    only = ["plan.four_joint", "plan.letters", *RECTIFICATION_RULES]
    objects, rows = same_findings(
        led, f"{year}{unit}", as_of=as_of, profile="organ", only=only, rules=[str(PLAN)]
    )
    assert (objects, rows) == (Counter(), Counter())


RECTIFICATION_RULES = ["rectification.overdue", "rectification.on_time", "rectification.evidence"]
