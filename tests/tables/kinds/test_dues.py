"""dues and lapse over tables: boundary cases on tiny ledgers, each judged by the table engine
and compared whole with the object engine's findings (:func:`tests.builders.tables.same_findings`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dangjian import DuesCategory, Ledger, MeetingKind, MemberStatus
from dangjian.rules.kinds.dues import Schedule, Tier, expected_dues
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.dues import (
    D,
    branch,
    ledger,
    local_dues_rule,
    meeting,
    member,
    payment,
)
from tests.builders.tables import on_duckdb, same_findings

pytest.importorskip("ibis")

LATER = D(2021, 6, 1)
NOTHING: tuple[Counter[tuple[object, ...]], Counter[tuple[object, ...]]] = (Counter(), Counter())


def judged(
    led: Ledger,
    period: str,
    *,
    as_of: dt.date = LATER,
    only: Sequence[str],
    rules: Sequence[str] = (),
) -> dict[tuple[str, str], tuple[str, str]]:
    """The table engine's (status, severity) by (subject id, sub-period), after checking that
    the object engine finds exactly the same."""
    from dangjian.tables.engine import evaluate

    assert (
        same_findings(led, period, as_of=as_of, profile="national", only=only, rules=rules)
        == NOTHING
    )
    con, tables = on_duckdb(led)
    report = evaluate(
        con,
        tables,
        period,
        as_of=as_of,
        profile="national",
        only=only,
        rules=rules,
        allow_unmatched=True,
    )
    return {(f.subject.id, str(f.period)): (f.status.code, f.severity.code) for f in report}


# -- dues.monthly ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid_on", "verdict"),
    [
        (D(2020, 1, 31), ("passed", "error")),  # on the month's last day
        (D(2020, 2, 1), ("failed", "warning")),  # a back payment
        (D(2020, 7, 31), ("failed", "warning")),  # the last day of back payment (6 months)
        (D(2020, 8, 1), ("failed", "error")),  # too late
        (None, ("passed", "error")),  # no day: not taken for a late one
    ],
)
def test_monthly_by_the_day_paid(paid_on: dt.date | None, verdict: tuple[str, str]) -> None:
    led = ledger(
        members=[member("m1")], dues_payments=[payment("m1", "2020-01", "30", paid_on=paid_on)]
    )
    assert judged(led, "2020-01", only=["dues.monthly"]) == {("m1", "2020-01"): verdict}


@pytest.mark.parametrize(
    ("paid_on", "verdict"),
    [
        (D(2020, 3, 31), ("passed", "error")),  # by the quarter's end
        (D(2020, 4, 1), ("failed", "warning")),
        (D(2020, 9, 30), ("failed", "warning")),  # six months after the quarter's end
        (D(2020, 10, 1), ("failed", "error")),
    ],
)
def test_monthly_by_the_quarter(paid_on: dt.date, verdict: tuple[str, str]) -> None:
    led = ledger(
        members=[member("m1", quarterly=D(2019, 1, 1))],
        dues_payments=[payment("m1", "2020-01", "30.00", paid_on=paid_on)],
    )
    assert judged(led, "2020-01", only=["dues.monthly"]) == {("m1", "2020-01"): verdict}


@pytest.mark.parametrize(
    ("as_of", "quarterly", "status"),
    [
        (D(2020, 1, 31), False, "pending"),  # the month not over
        (D(2020, 2, 1), False, "failed"),
        (D(2020, 2, 1), True, "pending"),  # due by the quarter's end
        (D(2020, 3, 31), True, "pending"),
        (D(2020, 4, 1), True, "failed"),
    ],
)
def test_an_unpaid_month_fails_once_due(as_of: dt.date, quarterly: bool, status: str) -> None:
    led = ledger(
        members=[member("m1", quarterly=D(2019, 1, 1) if quarterly else None), member("m2")],
        dues_payments=[payment("m2", "2020-01", "30.00")],
    )
    found = judged(led, "2020-01", as_of=as_of, only=["dues.monthly"])
    assert found[("m1", "2020-01")] == (status, "error")


def test_a_payment_recorded_twice_is_a_warning_and_a_top_up_is_not() -> None:
    led = ledger(
        members=[member("m1"), member("m2")],
        dues_payments=[
            payment("m1", "2020-01", "30.00", base="3000", id="a2", paid_on=D(2020, 1, 9)),
            payment("m1", "2020-01", "30", base="3000.00", id="a1", paid_on=D(2020, 1, 10)),
            payment("m1", "2020-01", "30.00", base="3000", id="a3"),
            payment("m2", "2020-01", "30.00", id="b1"),
            payment("m2", "2020-01", "5.00", id="b2"),  # a top-up
        ],
    )
    found = judged(led, "2020-01", only=["dues.monthly"])
    # kept: a3 (no day comes first); the subject is the last, a1 (paid later than a2)
    assert found == {
        ("m1", "2020-01"): ("passed", "error"),
        ("a1", "2020-01"): ("failed", "warning"),
        ("m2", "2020-01"): ("passed", "error"),
    }


def test_without_any_payment_of_a_branch_dues_cannot_be_told() -> None:
    led = ledger(
        branches=[branch("b1"), branch("b2")],
        members=[
            member("m1"),
            member("m2", branch="b2"),
            member("m3", branch="b2", admitted=D(2020, 2, 10), status=MemberStatus.PROBATIONARY),
        ],
        dues_payments=[payment("m1", "2020-01", "30.00")],
    )
    found = judged(led, "2020Q1", only=["dues.monthly"])
    assert found[("m2", "2020Q1")] == ("unknown", "error")
    assert found[("m3", "2020Q1")] == ("unknown", "error")  # from February, when admitted
    assert found[("m1", "2020-02")] == ("failed", "error")
    # a ledger with none at all, or only voluntary ones
    led = attrs.evolve(led, dues_payments=(payment("m1", "2020-01", "30.00", voluntary=True),))
    assert set(judged(led, "2020Q1", only=["dues.monthly"]).values()) == {("unknown", "error")}


# -- dues.salaried, dues.retired, dues.flat ----------------------------------------------------


@pytest.mark.parametrize(
    ("category", "base", "paid", "status"),
    [
        (DuesCategory.SALARIED, "3000", "15.00", "passed"),  # 0.5 % up to 3000
        (DuesCategory.SALARIED, "3000.01", "15.00", "failed"),  # 1 % above: 30.00
        (DuesCategory.SALARIED, "3000.01", "30.00", "passed"),
        (DuesCategory.SALARIED, "4000.50", "40.00", "failed"),  # 40.005: half up to 40.01
        (DuesCategory.SALARIED, "4000.50", "40.01", "passed"),
        (DuesCategory.SALARIED, "3333.33", "33.33", "passed"),  # 33.3333 rounds down
        (DuesCategory.ANNUAL_SALARY, "12000", "239.99", "failed"),  # 2 % above 10000
        (DuesCategory.RETIRED, "4999.99", "25.00", "passed"),  # 24.99995: half up
        (DuesCategory.RETIRED, "4999.99", "24.99", "failed"),
        (DuesCategory.RETIRED, "5000.01", "50.00", "passed"),
        (DuesCategory.FARMER, "9000", "0.20", "passed"),  # a flat amount: the base plays no part
        (DuesCategory.FARMER, None, "0.19", "failed"),
        (DuesCategory.STUDENT, None, "0.2", "passed"),
        (DuesCategory.SALARIED, None, "30.00", "unknown"),  # a share of a base not recorded
    ],
)
def test_amounts(category: DuesCategory, base: str | None, paid: str, status: str) -> None:
    led = ledger(
        members=[member("m1", dues_category=category)],
        dues_payments=[payment("m1", "2020-01", paid, base=base)],
    )
    found = judged(led, "2020-01", only=["dues.salaried", "dues.retired", "dues.flat"])
    assert found == {("m1", "2020-01"): (status, "error")}


def test_an_amount_short_in_a_month_still_running_is_pending() -> None:
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[
            payment("m1", "2020-01", "10.00", base="3000"),
            payment("m1", "2020-01", "4.99", base="2000"),  # the highest base counts
        ],
    )
    assert judged(led, "2020-01", as_of=D(2020, 1, 31), only=["dues.salaried"]) == {
        ("m1", "2020-01"): ("pending", "error")
    }
    assert judged(led, "2020-01", as_of=D(2020, 2, 1), only=["dues.salaried"]) == {
        ("m1", "2020-01"): ("failed", "error")
    }


_ROUNDINGS = ["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_HALF_DOWN", "ROUND_UP", "ROUND_DOWN"]


@given(
    base=ds.decimals(max_value=30_000, max_places=3),
    rate=st.sampled_from(["0.005", "0.01", "0.015", "0.02", "0.0125", "0.333"]),
    quantum=st.sampled_from(["0.01", "0.1", "1", "0.05"]),
    rounding=st.sampled_from(_ROUNDINGS),
    short=st.booleans(),
)
@example(base=Decimal("12.50"), rate="0.005", quantum="0.05", rounding="ROUND_HALF_UP", short=False)
@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_amount_owed_is_the_object_engines_to_the_last_place(
    tmp_path: Path, base: Decimal, rate: str, quantum: str, rounding: str, short: bool
) -> None:
    schedule = Schedule(categories=(DuesCategory.OTHER,), tiers=(Tier(rate=Decimal(rate)),))
    owed = expected_dues(schedule, base, quantum=Decimal(quantum), rounding=rounding)
    assert owed is not None
    paid = owed - Decimal("0.001") if short and owed else owed
    path = local_dues_rule(tmp_path / "local.toml", rate=rate, quantum=quantum, rounding=rounding)
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.OTHER)],
        dues_payments=[payment("m1", "2020-01", paid, base=base)],
    )
    found = judged(led, "2020-01", only=["local.dues"], rules=[str(path)])
    assert found == {("m1", "2020-01"): ("failed" if paid < owed else "passed", "error")}


def test_rounding_half_even_differs_from_half_up() -> None:
    # the property above samples the modes; here one value where they part: 0.125 → 0.12 / 0.13
    schedule = Schedule(categories=(DuesCategory.OTHER,), tiers=(Tier(rate=Decimal("0.005")),))
    base = Decimal(25)
    even = expected_dues(schedule, base, quantum=Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    up = expected_dues(schedule, base, quantum=Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert (even, up) == (Decimal("0.12"), Decimal("0.13"))


# -- lapse -------------------------------------------------------------------------------------


def _monthly_payments(who: str, months: Sequence[str]) -> list[object]:
    return [payment(who, m, "30.00") for m in months]


@pytest.mark.parametrize(
    ("paid", "status"),
    [
        (["2019-06", "2019-12"], "failed"),  # January to June 2020 without: six months
        (["2019-06", "2020-01"], "passed"),  # August to December, February to June: five
        (["2019-12", "2020-02"], "passed"),
        (["2019-07", "2020-06"], "failed"),  # August 2019 to May 2020: ten months
    ],
)
def test_lapse_dues_by_six_months(paid: list[str], status: str) -> None:
    months = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", *paid]
    tail = [f"2020-{n:02d}" for n in range(9, 13)]
    led = ledger(
        members=[member("m1"), member("m2")],
        dues_payments=[
            *_monthly_payments("m1", [*months, *tail]),
            *_monthly_payments("m2", [f"2019-{n:02d}" for n in range(1, 13)]),
        ],
    )
    found = judged(led, "2020H1", only=["charter.lapse_dues"])
    assert found[("m1", "2020H1")][0] == status


def test_lapse_org_life_with_meetings_recorded_without_names() -> None:
    meetings = [meeting(D(2020, n, 10), ["m2"], id=f"named{n}") for n in range(1, 13)]
    nameless = [
        attrs.evolve(meeting(D(2020, 3, d), [], id=f"count{d}"), present_count=7)
        for d in (1, 2, 3, 4)
    ]
    led = ledger(members=[member("m1"), member("m2")], meetings=[*meetings, *nameless])
    found = judged(led, "2020", only=["charter.lapse_org_life"])
    # January to December without m1's name, but March's meetings give only the numbers
    assert found[("m1", "2020")] == ("failed", "error")  # April to December: nine months
    led = ledger(
        members=[member("m1"), member("m2")],
        meetings=[*meetings[:5], meeting(D(2020, 6, 1), ["m1"], id="june"), *nameless],
    )
    # January to May: March unknown, so five months cannot be told apart from six
    found = judged(led, "2020H1", only=["charter.lapse_org_life"])
    assert found[("m1", "2020H1")] == ("passed", "error")


def test_lapse_unknown_when_a_run_rests_on_nameless_meetings() -> None:
    nameless = [
        attrs.evolve(
            meeting(D(2020, 3, d), [], id=f"n{d}", kind=MeetingKind.GENERAL_MEETING),
            present_count=None if d == 4 else 7,
        )
        for d in (1, 2, 3, 4)
    ]
    led = ledger(
        branches=[branch("top"), branch("b1", parent="top")],
        members=[member("m1"), member("m2")],
        meetings=[
            meeting(D(2020, 1, 5), ["m1", "m2"], id="jan"),
            meeting(D(2020, 8, 5), ["m1", "m2"], id="aug"),
            *nameless,
            attrs.evolve(meeting(D(2020, 4, 1), [], id="up", branch="top"), present_count=3),
        ],
    )
    found = judged(led, "2020", only=["charter.lapse_org_life"])
    assert found[("m1", "2020")] == ("unknown", "error")


def test_lapse_not_kept_undated_and_not_applicable() -> None:
    led = ledger(
        branches=[branch("b1"), branch("b2")],
        members=[
            member("m1"),
            member("m2", branch="b2"),  # b2 keeps no payments
            member("gone", status=MemberStatus.TRANSFERRED_OUT),  # left on a day not recorded
            member("new", admitted=D(2020, 3, 1), status=MemberStatus.PROBATIONARY),
        ],
        dues_payments=_monthly_payments("m1", [f"2019-{n:02d}" for n in range(1, 13)]),
    )
    found = judged(led, "2020", as_of=D(2020, 3, 15), only=["charter.lapse_dues"])
    assert found[("m2", "2020")] == ("unknown", "error")
    assert found[("gone", "2020")] == ("unknown", "error")
    assert found[("new", "2020")] == ("not_applicable", "error")  # no month over since
    assert found[("m1", "2020")] == ("pending", "error")
