"""The people kinds over tables (coverage, talk_pairs, membership): boundary cases on small
ledgers, each judged by the table engine and compared whole with the object engine."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian import CommitteeRole, Ledger, MemberStatus
from dangjian.rules.kinds._common import add_months
from tests.builders import examples
from tests.builders.dues import (
    D,
    branch,
    ledger,
    member,
    seat,
    talk,
    training,
    write_rule_file,
)
from tests.builders.tables import on_duckdb, same_findings

pytest.importorskip("ibis")

from dangjian.tables.engine import evaluate
from dangjian.tables.kinds import people
from dangjian.tables.kinds._common import add_months as table_add_months

AFTER = D(2021, 1, 15)
"""A day of judging after 2020, when every requirement of 2020 has fallen due."""


def judged(
    led: Ledger,
    rule: str,
    period: str = "2020",
    as_of: dt.date = AFTER,
    rules: Sequence[str] = (),
) -> dict[tuple[str, str], str]:
    """The status of each finding of ``rule`` by the table engine, by (subject, sub-period), after
    checking that the object engine finds exactly the same (messages, evidence and all)."""
    only_objects, only_tables = same_findings(
        led, period, as_of=as_of, profile="national", only=[rule], rules=rules
    )
    assert (only_objects, only_tables) == (Counter(), Counter())
    con, tables = on_duckdb(led)
    report = evaluate(
        con,
        tables,
        period,
        as_of=as_of,
        profile="national",
        only=[rule],
        rules=rules,
        allow_unmatched=True,
    )
    found: dict[tuple[str, str], str] = {}
    for f in report:
        assert (f.subject.id, str(f.period)) not in found
        found[f.subject.id, str(f.period)] = f.status.code
    return found


# -- coverage: edu.hours (32 hours a year in 2020, 56 for committee members) -------------------


@pytest.mark.parametrize(
    ("hours", "status"), [("32", "passed"), ("31.9", "failed"), ("8.00", "failed")]
)
def test_hours_at_the_target_pass_and_below_fail(hours: str, status: str) -> None:
    led = ledger(
        members=[member("m1"), member("m2")],
        trainings=[training("m1", D(2020, 3, 1), hours, id="tr1")],
    )
    assert judged(led, "edu.hours") == {("m1", "2020"): status, ("m2", "2020"): "failed"}


def test_hours_kept_with_trailing_zeros_say_the_sum_plainly() -> None:
    # 4 × 8.50 = 34.00: both engines say 34, whatever scale the records or the table keep
    led = ledger(
        members=[member("m1")],
        trainings=[training("m1", D(2020, m, 1), "8.50", id=f"tr{m}") for m in range(1, 5)],
    )
    assert judged(led, "edu.hours") == {("m1", "2020"): "passed"}


@pytest.mark.parametrize(("hours", "status"), [("55", "failed"), ("56", "passed")])
def test_committee_members_are_held_to_the_higher_target(hours: str, status: str) -> None:
    led = ledger(
        branches=[branch(committee=[seat("m1", CommitteeRole.SECRETARY, start=D(2020, 12, 31))])],
        members=[member("m1")],
        trainings=[training("m1", D(2020, 3, 1), hours, id="tr1")],
    )
    assert judged(led, "edu.hours") == {("m1", "2020"): status}


def test_a_year_not_over_is_pending_and_a_member_for_part_of_it_not_judged() -> None:
    led = ledger(
        members=[member("m1"), member("late", joined=D(2020, 2, 1))],
        trainings=[training("m1", D(2020, 3, 1), "1", id="tr1")],
    )
    found = judged(led, "edu.hours", as_of=D(2020, 6, 1))
    assert found == {("m1", "2020"): "pending", ("late", "2020"): "not_applicable"}


def test_coverage_cannot_tell_undated_leavers_nor_without_any_records() -> None:
    led = ledger(
        members=[member("m1"), member("gone", status=MemberStatus.TRANSFERRED_OUT)],
        talks=[talk("m1", "gone", D(2020, 5, 1), id="t1")],
    )
    assert judged(led, "edu.hours") == {("m1", "2020"): "unknown", ("gone", "2020"): "unknown"}


TALKS_RULE = """[[rule]]
id = "local.talks"
kind = "coverage"
severity = "warning"
confidence = "local"
title = "每名党员每季度谈心谈话"
title_en = "Every member talks every quarter"
in_force = { since = 2020-02-15 }
params = { measure = "talks", per = "quarter", at_least = "1", at_least_committee = "2" }
citations = [{ document = "本地规定", verified = false }]

[[rule.changes]]
since = 2020-07-01
params = { at_least = "2", at_least_committee = "3" }
"""


def test_talks_per_quarter_with_a_change_of_targets_and_a_quarter_partly_in_force(
    tmp_path: Path,
) -> None:
    rules = [str(write_rule_file(tmp_path / "local.toml", TALKS_RULE))]
    led = ledger(
        branches=[branch(committee=[seat("m2", CommitteeRole.ORGANISATION)])],
        members=[member("m1"), member("m2"), member("m3")],
        talks=[
            talk("m1", "m2", D(2020, 4, 10), id="t1"),
            talk("m2", "m1", D(2020, 8, 1), id="t2"),
            talk("m3", "m1", D(2020, 9, 30), id="t3"),
        ],
    )
    found = judged(led, "local.talks", rules=rules)
    assert {k: v for k, v in found.items() if k[1] == "2020Q1"} == {
        (m, "2020Q1"): "not_applicable" for m in ("m1", "m2", "m3")
    }
    assert {k: v for k, v in found.items() if k[1] in ("2020Q2", "2020Q3")} == {
        ("m1", "2020Q2"): "passed",  # 1 of 1
        ("m2", "2020Q2"): "failed",  # 1 of the committee's 2
        ("m3", "2020Q2"): "failed",
        ("m1", "2020Q3"): "passed",  # 2 of 2 after the change
        ("m2", "2020Q3"): "failed",
        ("m3", "2020Q3"): "failed",
    }


# -- talk_pairs: branch.heart_talk --------------------------------------------------------------


def _pairs(ids: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]


FOUR = ["m1", "m2", "m3", "m4"]


def _rolls(*extra: Any) -> list[Any]:
    return [member(x) for x in FOUR] + list(extra)


def test_every_pair_talked_passes_and_one_missing_fails() -> None:
    pairs = _pairs(FOUR)
    talks = [talk(b, a, D(2020, 6, 1), id=f"t-{a}-{b}") for a, b in pairs]
    joined = member("new", status=MemberStatus.PROBATIONARY, admitted=D(2020, 3, 1))
    assert judged(ledger(members=_rolls(joined), talks=talks), "branch.heart_talk") == {
        ("b1", "2020"): "passed"
    }
    short = ledger(members=_rolls(joined), talks=talks[1:])
    assert judged(short, "branch.heart_talk") == {("b1", "2020"): "failed"}
    assert judged(short, "branch.heart_talk", as_of=D(2020, 7, 1)) == {("b1", "2020"): "pending"}


def test_many_missing_pairs_are_counted_per_member() -> None:
    ids = [f"m{i:02d}" for i in range(9)]  # 36 pairs, more than the message lists
    led = ledger(members=[member(x) for x in ids], talks=[talk("m00", "m01", D(2020, 1, 2))])
    assert judged(led, "branch.heart_talk") == {("b1", "2020"): "failed"}


def test_pairs_cannot_be_told_without_talks_nor_judged_with_one_member() -> None:
    assert judged(ledger(members=_rolls()), "branch.heart_talk") == {("b1", "2020"): "unknown"}
    two = ledger(
        branches=[branch("b1"), branch("b2")],
        members=[*_rolls(), member("x1", branch="b2"), member("x2", branch="b2")],
        talks=[talk("x1", "x2", D(2020, 1, 2))],
    )
    assert judged(two, "branch.heart_talk") == {
        ("b1", "2020"): "unknown",
        ("b2", "2020"): "passed",
    }
    alone = ledger(
        members=[member("m1"), member("m2", left=D(2020, 5, 1), status=MemberStatus.DECEASED)],
        talks=[talk("m1", "m2", D(2020, 1, 2))],
    )
    assert judged(alone, "branch.heart_talk") == {("b1", "2020"): "not_applicable"}


def test_pairs_carried_in_detail_come_back_in_order() -> None:
    detail = people.SEP.join(
        people._FIELD.join(item) for item in [("b", "乙", "a", "甲"), ("a", "甲", "c", "丙")]
    )
    assert people._pairs_of(detail) == (
        [("a", "b"), ("a", "c")],
        {"a": "甲", "b": "乙", "c": "丙"},
    )
    assert people._pairs_of(None) == ([], {})


# -- membership ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "applied", "status"),
    [
        (D(2002, 3, 1), D(2020, 3, 1), "passed"),
        (D(2002, 3, 2), D(2020, 3, 1), "failed"),
        (D(2000, 2, 29), D(2018, 2, 28), "passed"),  # the birthday of a leap day, kept in Feb
    ],
)
def test_min_age(born: dt.date, applied: dt.date, status: str) -> None:
    led = ledger(
        members=[member("a", status=MemberStatus.APPLICANT, birth_date=born, applied=applied)]
    )
    assert judged(led, "charter.min_age", str(applied.year)) == {("a", f"{applied:%Y-%m}"): status}


def _admitted(id: str, **fields: Any) -> Any:
    return member(
        id,
        status=MemberStatus.PROBATIONARY,
        applied=D(2018, 1, 1),
        activist=D(2018, 3, 1),
        candidate=D(2019, 3, 1),
        admitted=D(2020, 3, 1),
        **fields,
    )


def test_sponsors_full_on_the_day_of_admission() -> None:
    led = ledger(
        members=[
            member("s1"),
            member("s2", converted=D(2020, 3, 2)),  # full the day after: does not count
            member("s3"),
            _admitted("ok", sponsors=["s1", "s3"]),
            _admitted("short", sponsors=["s1", "s2"]),
        ]
    )
    assert judged(led, "charter.sponsors") == {
        ("ok", "2020-03"): "passed",
        ("short", "2020-03"): "failed",
    }
    nobody = ledger(members=[_admitted("x")])
    assert judged(nobody, "charter.sponsors") == {("x", "2020-03"): "unknown"}


@pytest.mark.parametrize(
    ("n", "status"), [(0, "failed"), (1, "passed"), (2, "passed"), (3, "failed")]
)
def test_mentors_one_or_two(n: int, status: str) -> None:
    mentors = [f"f{i}" for i in range(3)]
    led = ledger(
        members=[
            *(member(x) for x in mentors),
            member(
                "a",
                status=MemberStatus.ACTIVIST,
                applied=D(2019, 1, 1),
                activist=D(2020, 5, 5),
                mentors=mentors[:n],
            ),
            member(
                "b",
                status=MemberStatus.ACTIVIST,
                applied=D(2019, 1, 1),
                activist=D(2020, 5, 5),
                mentors=mentors[:1],
            ),
        ]
    )
    assert judged(led, "recruit.mentors")[("a", "2020-05")] == status


def test_first_talk_due_within_a_month() -> None:
    def applicant(id: str, talk_day: dt.date | None) -> Any:
        return member(
            id, status=MemberStatus.APPLICANT, applied=D(2020, 1, 31), first_talk=talk_day
        )

    led = ledger(
        members=[
            applicant("on_time", D(2020, 2, 29)),  # Jan 31 + 1 month: Feb 29
            applicant("late", D(2020, 3, 1)),
            applicant("none", None),
        ]
    )
    assert judged(led, "recruit.first_talk") == {
        ("on_time", "2020-01"): "passed",
        ("late", "2020-01"): "failed",
        ("none", "2020-01"): "failed",
    }
    assert judged(led, "recruit.first_talk", as_of=D(2020, 2, 29))[("none", "2020-01")] == (
        "pending"
    )
    unrecorded = ledger(members=[applicant("none", None)])
    assert judged(unrecorded, "recruit.first_talk") == {("none", "2020-01"): "unknown"}


def test_cultivation_twelve_months_and_an_unrecorded_activist() -> None:
    def candidate(id: str, activist: dt.date | None) -> Any:
        return member(
            id,
            status=MemberStatus.CANDIDATE,
            applied=D(2018, 1, 1),
            activist=activist,
            candidate=D(2020, 4, 10),
        )

    led = ledger(
        members=[
            candidate("ok", D(2019, 4, 10)),
            candidate("short", D(2019, 4, 11)),
            candidate("unknown", None),
        ]
    )
    assert judged(led, "recruit.cultivation") == {
        ("ok", "2020-04"): "passed",
        ("short", "2020-04"): "failed",
        ("unknown", "2020-04"): "unknown",
    }


def test_course_hours_since_becoming_an_activist() -> None:
    excused = _admitted("excused")
    excused = attrs.evolve(
        excused, milestones=attrs.evolve(excused.milestones, course_exception="因病补训")
    )
    led = ledger(
        members=[_admitted("ok"), _admitted("short"), excused],
        trainings=[
            training("ok", D(2018, 3, 1), "12"),
            training("ok", D(2020, 3, 1), "12.0"),
            training("short", D(2018, 2, 28), "12"),  # before becoming an activist
            training("short", D(2019, 3, 1), "23.5"),
        ],
    )
    assert judged(led, "recruit.course") == {
        ("ok", "2020-03"): "passed",
        ("short", "2020-03"): "failed",
        ("excused", "2020-03"): "passed",
    }
    assert judged(ledger(members=[_admitted("x")]), "recruit.course") == {
        ("x", "2020-03"): "unknown"
    }


def _probationer(id: str, admitted: dt.date, **fields: Any) -> Any:
    fields.setdefault("status", MemberStatus.PROBATIONARY)
    return member(
        id,
        applied=D(2016, 1, 1),
        activist=D(2016, 3, 1),
        candidate=D(2017, 3, 1),
        admitted=admitted,
        **fields,
    )


def test_probation_due_decided_early_or_undecided() -> None:
    led = ledger(
        members=[
            _probationer(
                "on_time", D(2019, 2, 28), converted=D(2020, 2, 28), status=MemberStatus.FULL
            ),
            _probationer("early", D(2019, 3, 5), converted=D(2020, 3, 4), status=MemberStatus.FULL),
            _probationer("waiting", D(2019, 11, 30)),
            _probationer("extended", D(2019, 1, 31), extension=(D(2020, 1, 10), 6)),
            _probationer("older", D(2017, 5, 1)),  # overdue since 2018: judged again
            _probationer("cancelled", D(2019, 5, 1), status=MemberStatus.APPLICANT),
        ]
    )
    led = attrs.evolve(
        led,
        members=tuple(
            attrs.evolve(m, probation_cancelled=D(2020, 4, 1)) if m.id == "cancelled" else m
            for m in led.members
        ),
    )
    assert judged(led, "charter.probation", as_of=D(2020, 11, 30)) == {
        ("on_time", "2020-02"): "passed",
        ("early", "2020-03"): "failed",
        ("waiting", "2020-11"): "pending",
        ("extended", "2020-07"): "failed",  # Jan 31 + 18 months
        ("older", "2018-05"): "failed",
    }


@pytest.mark.parametrize(
    ("months", "charter", "recruit"), [(3, "passed", "failed"), (13, "failed", "failed")]
)
def test_extension_length(months: int, charter: str, recruit: str) -> None:
    led = ledger(members=[_probationer("x", D(2019, 6, 1), extension=(D(2020, 6, 1), months))])
    assert judged(led, "charter.probation_ext") == {("x", "2020-06"): charter}
    assert judged(led, "recruit.extension") == {("x", "2020-06"): recruit}


# -- month arithmetic ---------------------------------------------------------------------------


@given(
    days=st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), min_size=1, max_size=20),
    months=st.integers(0, 600),
)
@settings(max_examples=examples(20), deadline=None)
def test_add_months_over_tables_is_the_object_engines(days: list[dt.date], months: int) -> None:
    import ibis
    import pyarrow as pa

    con = ibis.duckdb.connect()
    table = ibis.memtable(pa.table({"day": pa.array(days, type=pa.date32())}))
    out = con.to_pyarrow(table.select(later=table_add_months(table.day, months)))
    assert out.column("later").to_pylist() == [add_months(d, months) for d in days]
