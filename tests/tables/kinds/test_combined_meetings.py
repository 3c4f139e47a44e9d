"""One meeting held as several kinds (``Meeting.also``) over tables: the cases of
``tests/rules/test_combined_meetings.py`` judged by the table engine, with the statuses expected
and the object engine's findings the same in every respect; and the attendance of a month that
a nameless 支委会 held as a 党员大会 makes unknown."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from dangjian import Ledger, Period
from dangjian.tables.context import TableContext
from dangjian.tables.engine import evaluate
from tests.builders.dues import D, branch, ledger, member, seat
from tests.builders.tables import on_duckdb, same_findings
from tests.rules.test_combined_meetings import CASES, CM, GM, Case, alone, file_cases, held

pytest.importorskip("ibis")


def judged(case: Case, led: Ledger) -> dict[tuple[str, str], str]:
    """The table engine's status of each (subject, sub-period) of the case's rule, after
    asserting that both engines make the same findings."""
    files = [str(f) for f in case.files]
    agree = same_findings(
        led, case.period, as_of=case.as_of, profile="national", only=[case.rule], rules=files
    )
    assert agree == (Counter(), Counter())
    con, tables = on_duckdb(led)
    report = evaluate(
        con,
        tables,
        case.period,
        as_of=case.as_of,
        profile="national",
        only=[case.rule],
        rules=files,
        allow_unmatched=True,
    )
    return {(f.subject.id, str(f.period)): f.status.value for f in report if f.rule == case.rule}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_meeting_counts_for_each_kind_it_served_as(case: Case) -> None:
    assert judged(case, case.ledger) == case.combined
    assert judged(case, alone(case.ledger)) == case.alone


def test_user_rules(tmp_path: Path) -> None:
    for case in file_cases(tmp_path):
        assert judged(case, case.ledger) == case.combined, case.name
        assert judged(case, alone(case.ledger)) == case.alone, case.name


def _month_state(led: Ledger, who: str) -> str:
    con, tables = on_duckdb(led)
    ctx = TableContext(con, tables, Period.parse("2020"), dt.date(2021, 1, 1))
    rows = con.to_pyarrow(ctx.attendance_months()).to_pylist()
    states = {(r["member"], r["month"]): r["state"] for r in rows}
    return states.get((who, D(2020, 5, 1)), "absent")


def test_a_nameless_committee_meeting_held_as_a_general_meeting_is_for_everybody() -> None:
    led = ledger(
        branches=[branch("b1", committee=[seat("sec")])],
        members=[member("sec"), member("plain")],
        meetings=[held("zw", CM, D(2020, 5, 12), (GM,), present_count=2)],
    )
    assert _month_state(led, "plain") == "unknown"
    assert _month_state(alone(led), "plain") == "absent"
    assert _month_state(alone(led), "sec") == "unknown"
