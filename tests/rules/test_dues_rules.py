"""Boundary tests of the dues rules (dues.salaried, dues.retired, dues.flat, dues.monthly) and of
the lapse rules (charter.lapse_dues, charter.lapse_org_life): each threshold just met and just
missed, with the statuses of every subject and sub-period and the messages' required and found
amounts."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian import (
    DuesCategory,
    DuesPayment,
    Ledger,
    Meeting,
    MemberStatus,
    Month,
    Period,
    PeriodUnit,
)
from dangjian.findings import Finding, Gap
from dangjian.rules.kinds.dues import yuan
from dangjian.testing import strategies as ds
from tests.builders.dues import (
    D,
    findings_of,
    ledger,
    meeting,
    member,
    month_range,
    payment,
    run,
    statuses,
)

CENT = Decimal("0.01")
Key = tuple[str, str]

# The bands of the 2008 regulations (第一、二、五条), upper bounds inclusive, written out here
# independently of the rule data so that a change to either shows.
SALARIED_BANDS = ((Decimal(3000), "0.005"), (Decimal(5000), "0.01"), (Decimal(10000), "0.015"))
SALARIED_TOP = "0.02"
RETIRED_BANDS = ((Decimal(5000), "0.005"),)
RETIRED_TOP = "0.01"


def owed(base: Decimal, bands: tuple[tuple[Decimal, str], ...], top: str) -> Decimal:
    """The dues on ``base``: the whole base at the rate of its band, rounded half up to the 分."""
    rate = next((Decimal(r) for bound, r in bands if base <= bound), Decimal(top))
    return (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def one_month(
    category: DuesCategory | None, amounts: list[tuple[str, str | None]]
) -> list[Finding]:
    """A ledger with one full member of ``category`` who paid ``amounts`` (amount, base) for
    2020-01, checked for that month on a later day."""
    payments = [payment("m1", "2020-01", a, base=b) for a, b in amounts]
    led = ledger(members=[member("m1", dues_category=category)], dues_payments=payments)
    return run(led, "2020-01", as_of=D(2020, 3, 1), only=["dues."])


# -- the reference table itself --------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("3000.00", "15.00"),  # 0.5 %, the bound itself
        ("3000.01", "30.00"),  # 1 % of the whole base
        ("5000.00", "50.00"),
        ("5000.01", "75.00"),  # 75.00015
        ("10000.00", "150.00"),
        ("10000.01", "200.00"),  # 2 %: 200.0002
        ("3333.33", "33.33"),  # 33.3333
        ("4000.50", "40.01"),  # 40.005: half up, not half even
        ("2001.00", "10.01"),  # 10.005
        ("7000.30", "105.00"),  # 105.0045: rounded once, not 105.005 → 105.01
    ],
)
def test_reference_table(base: str, expected: str) -> None:
    assert owed(Decimal(base), SALARIED_BANDS, SALARIED_TOP) == Decimal(expected)


# -- dues.salaried ---------------------------------------------------------------------------

SALARIED_BASES = [
    "3000.00",
    "3000.01",
    "5000.00",
    "5000.01",
    "10000.00",
    "10000.01",
    "3333.33",
    "4000.50",
    "2001.00",
    "7000.30",
    "0.00",
]


@pytest.mark.parametrize("category", [DuesCategory.SALARIED, DuesCategory.ANNUAL_SALARY])
@pytest.mark.parametrize("base", SALARIED_BASES)
def test_salaried_exact_amount_passes(category: DuesCategory, base: str) -> None:
    expected = owed(Decimal(base), SALARIED_BANDS, SALARIED_TOP)
    found = one_month(category, [(str(expected), base)])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "passed"}
    f = findings_of(found, "dues.salaried")["m1", "2020-01"]
    # a whole base reads without places, an amount to the 分, however they were written
    assert f"以{yuan(Decimal(base), whole=True)}元为基数应交{expected}元" in f.message
    assert f"实交{yuan(expected)}元" in f.message
    assert f"{expected} owed, {expected} paid" in f.message_en
    # the other amount rules do not judge a salaried member
    assert statuses(found, "dues.retired") == {}
    assert statuses(found, "dues.flat") == {}


@pytest.mark.parametrize("category", [DuesCategory.SALARIED, DuesCategory.ANNUAL_SALARY])
@pytest.mark.parametrize("base", [b for b in SALARIED_BASES if b != "0.00"])
def test_salaried_one_fen_short_fails(category: DuesCategory, base: str) -> None:
    expected = owed(Decimal(base), SALARIED_BANDS, SALARIED_TOP)
    short = expected - CENT
    found = one_month(category, [(str(short), base)])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "failed"}
    f = findings_of(found, "dues.salaried")["m1", "2020-01"]
    assert f"应交{expected}元，实交{short}元" in f.message
    assert f"{expected} owed, {short} paid" in f.message_en


@pytest.mark.parametrize(
    ("low", "high"), [("3000.00", "3000.01"), ("5000.00", "5000.01"), ("10000.00", "10000.01")]
)
def test_salaried_upper_bound_is_inclusive(low: str, high: str) -> None:
    """Paying the lower band's dues on the bound passes; one 分 more of income moves the whole
    base to the next band and the same payment fails."""
    at_bound = owed(Decimal(low), SALARIED_BANDS, SALARIED_TOP)
    assert owed(Decimal(high), SALARIED_BANDS, SALARIED_TOP) > at_bound
    assert statuses(one_month(DuesCategory.SALARIED, [(str(at_bound), low)]), "dues.salaried") == {
        ("m1", "2020-01"): "passed"
    }
    assert statuses(one_month(DuesCategory.SALARIED, [(str(at_bound), high)]), "dues.salaried") == {
        ("m1", "2020-01"): "failed"
    }


def test_rounding_is_half_up_to_the_fen() -> None:
    # 1 % of 4000.50 is 40.005: half up gives 40.01, so 40.00 is short and 40.01 is enough
    found = one_month(DuesCategory.SALARIED, [("40.00", "4000.50")])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "failed"}
    assert "应交40.01元" in findings_of(found, "dues.salaried")["m1", "2020-01"].message
    found = one_month(DuesCategory.SALARIED, [("40.01", "4000.50")])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "passed"}
    # 1 % of 3333.33 is 33.3333: 33.33 is enough
    found = one_month(DuesCategory.SALARIED, [("33.33", "3333.33")])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "passed"}


def test_payments_of_a_month_are_added_but_voluntary_ones_are_not() -> None:
    found = one_month(DuesCategory.SALARIED, [("10.00", "3000.00"), ("5.00", None)])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "passed"}
    assert "实交15.00元" in findings_of(found, "dues.salaried")["m1", "2020-01"].message

    payments = [
        payment("m1", "2020-01", "14.99", base="3000.00"),
        payment("m1", "2020-01", "1000", voluntary=True),
    ]
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)], dues_payments=payments
    )
    found = run(led, "2020-01", as_of=D(2020, 3, 1), only=["dues.salaried"])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "failed"}
    assert "实交14.99元" in findings_of(found, "dues.salaried")["m1", "2020-01"].message


def test_payment_without_base_cannot_tell() -> None:
    """The amount owed is a share of the base: without the base the records cannot tell."""
    found = one_month(DuesCategory.SALARIED, [("30.00", None)])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "unknown"}
    f = findings_of(found, "dues.salaried")["m1", "2020-01"]
    assert f.gap is Gap.DETAILS_MISSING
    assert "没有交纳基数" in f.message
    assert "实交30.00元" in f.message
    assert "base, which is not recorded" in f.message_en


@pytest.mark.parametrize(
    ("base", "status"),
    [("3000", "passed"), ("3001", "failed"), (None, "unknown")],
)
def test_amount_judged_once_the_base_is_recorded(base: str | None, status: str) -> None:
    """Recorded: judged (0.5 % of 3000 is 15.00; 1 % of 3001 is 30.01); not recorded: unknown."""
    found = one_month(DuesCategory.SALARIED, [("15.00", base)])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): status}


def test_amount_rules_judge_only_months_with_a_payment() -> None:
    """A month without any payment is dues.monthly's business, not the amount rules'."""
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[payment("m1", "2020-02", "15.00", base="3000")],
    )
    found = run(led, "2020Q1", as_of=D(2020, 6, 1), only=["dues."])
    assert statuses(found, "dues.salaried") == {("m1", "2020-02"): "passed"}
    assert statuses(found, "dues.monthly") == {
        ("m1", "2020-01"): "failed",
        ("m1", "2020-02"): "passed",
        ("m1", "2020-03"): "failed",
    }


# -- dues.retired ----------------------------------------------------------------------------


@pytest.mark.parametrize("base", ["5000.00", "5000.01", "4999.99", "8888.88", "1234.50"])
def test_retired_bands(base: str) -> None:
    expected = owed(Decimal(base), RETIRED_BANDS, RETIRED_TOP)
    found = one_month(DuesCategory.RETIRED, [(str(expected), base)])
    assert statuses(found, "dues.retired") == {("m1", "2020-01"): "passed"}
    assert (
        f"应交{expected}元，实交{expected}元"
        in findings_of(found, "dues.retired")["m1", "2020-01"].message
    )
    assert statuses(found, "dues.salaried") == {}
    short = expected - CENT
    found = one_month(DuesCategory.RETIRED, [(str(short), base)])
    assert statuses(found, "dues.retired") == {("m1", "2020-01"): "failed"}
    assert (
        f"{expected} owed, {short} paid"
        in findings_of(found, "dues.retired")["m1", "2020-01"].message_en
    )


def test_retired_bound_is_inclusive() -> None:
    assert owed(Decimal("5000.00"), RETIRED_BANDS, RETIRED_TOP) == Decimal("25.00")
    assert owed(Decimal("5000.01"), RETIRED_BANDS, RETIRED_TOP) == Decimal("50.00")
    assert statuses(one_month(DuesCategory.RETIRED, [("25.00", "5000.00")]), "dues.retired") == {
        ("m1", "2020-01"): "passed"
    }
    assert statuses(one_month(DuesCategory.RETIRED, [("25.00", "5000.01")]), "dues.retired") == {
        ("m1", "2020-01"): "failed"
    }


# -- dues.flat -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "amount", "status"),
    [
        (DuesCategory.FARMER, "0.2", "passed"),
        (DuesCategory.FARMER, "0.20", "passed"),
        (DuesCategory.FARMER, "1", "passed"),
        (DuesCategory.FARMER, "0.19", "failed"),
        (DuesCategory.STUDENT, "0.2", "passed"),
        (DuesCategory.STUDENT, "0.19", "failed"),
        (DuesCategory.UNEMPLOYED, "0.2", "passed"),
        (DuesCategory.RELIEF, "0.19", "failed"),
    ],
)
def test_flat_amounts(category: DuesCategory, amount: str, status: str) -> None:
    # a base, when one is recorded, plays no part in a flat amount
    found = one_month(category, [(amount, "2000")])
    assert statuses(found, "dues.flat") == {("m1", "2020-01"): status}
    f = findings_of(found, "dues.flat")["m1", "2020-01"]
    assert f"按定额应交0.2元，实交{Decimal(amount):.2f}元" in f.message
    assert statuses(found, "dues.salaried") == {}
    assert statuses(found, "dues.retired") == {}


def test_member_without_category_is_not_judged_on_amount() -> None:
    found = one_month(None, [("0.01", "9000")])
    assert [f.rule for f in found] == ["dues.monthly"]


# -- dues.monthly ----------------------------------------------------------------------------


LATER = D(2020, 6, 1)


def monthly(led: Ledger, period: str = "2020Q1", as_of: dt.date = LATER) -> dict[Key, str]:
    """The statuses of dues.monthly over ``period``, judged on ``as_of``."""
    return statuses(run(led, period, as_of=as_of, only=["dues.monthly"]), "dues.monthly")


def test_monthly_from_the_month_of_admission() -> None:
    led = ledger(
        members=[
            member("m1"),
            member("new", status=MemberStatus.PROBATIONARY, admitted=D(2020, 3, 10)),
            member("late", status=MemberStatus.PROBATIONARY, admitted=D(2020, 3, 31)),
            member("april", status=MemberStatus.PROBATIONARY, admitted=D(2020, 4, 1)),
            member("activist", status=MemberStatus.ACTIVIST, activist=D(2019, 1, 1)),
        ],
        dues_payments=[
            payment("m1", "2020-01", "10"),
            payment("m1", "2020-03", "10"),
            payment("new", "2020-03", "0.2"),
            # paid ahead of admission: not owed, so not judged
            payment("april", "2020-03", "0.2"),
        ],
    )
    assert monthly(led) == {
        ("m1", "2020-01"): "passed",
        ("m1", "2020-02"): "failed",
        ("m1", "2020-03"): "passed",
        ("new", "2020-03"): "passed",
        ("late", "2020-03"): "failed",
    }


def test_monthly_messages_state_what_is_owed_and_found() -> None:
    led = ledger(members=[member("m1")], dues_payments=[payment("m1", "2020-01", "12.5", id="jan")])
    found = findings_of(
        run(led, "2020Q1", as_of=D(2020, 6, 1), only=["dues.monthly"]), "dues.monthly"
    )
    # the amount paid to the 分, however it was written
    assert found["m1", "2020-01"].message == "2020年1月党费应按月交纳，已交12.50元"
    assert found["m1", "2020-02"].message == "2020年2月党费应按月交纳，未见交纳记录"
    assert found["m1", "2020-02"].message_en == (
        "dues for February 2020 are owed; no payment recorded"
    )
    assert found["m1", "2020-01"].evidence == ("jan",)
    assert found["m1", "2020-02"].evidence == ()


@pytest.mark.parametrize(
    ("as_of", "march"),
    [
        (D(2020, 3, 15), "pending"),
        (D(2020, 3, 31), "pending"),  # the month's last day: not over yet
        (D(2020, 4, 1), "failed"),
    ],
)
def test_current_month_is_pending(as_of, march: str) -> None:
    led = ledger(
        members=[member("m1"), member("m2")],
        dues_payments=[
            payment("m1", "2020-01", "10"),
            payment("m2", "2020-01", "10"),
            payment("m2", "2020-02", "10"),
            payment("m2", "2020-03", "10"),
        ],
    )
    assert monthly(led, as_of=as_of) == {
        ("m1", "2020-01"): "passed",
        ("m1", "2020-02"): "failed",
        ("m1", "2020-03"): march,
        ("m2", "2020-01"): "passed",
        ("m2", "2020-02"): "passed",
        # paid already: passed even before the month is over
        ("m2", "2020-03"): "passed",
    }


def test_months_after_as_of_are_pending() -> None:
    # the ledger keeps dues (m2 pays): m1's months without a payment are judged
    led = ledger(
        members=[member("m1"), member("m2")], dues_payments=[payment("m2", "2019-12", "5")]
    )
    assert monthly(led, as_of=D(2020, 2, 10)) == {
        ("m1", "2020-01"): "failed",
        ("m1", "2020-02"): "pending",
        ("m1", "2020-03"): "pending",
        ("m2", "2020-01"): "failed",
        ("m2", "2020-02"): "pending",
        ("m2", "2020-03"): "pending",
    }


def test_member_who_left_is_not_owed_later_months() -> None:
    """Dues are owed for the months on whose last day the person was a member."""
    left = MemberStatus.TRANSFERRED_OUT
    led = ledger(
        members=[
            member("mid_feb", status=left, left=D(2020, 2, 15)),
            member("first_mar", status=left, left=D(2020, 3, 1)),  # a member all February
            member("last_feb", status=left, left=D(2020, 2, 29)),  # not on Feb 29
            member("dead", status=MemberStatus.DECEASED, left=D(2020, 1, 20)),
            member("unknown", status=left),  # left on a day not recorded: not judged
        ],
        dues_payments=[payment("first_mar", "2020-02", "5"), payment("first_mar", "2020-03", "5")],
    )
    assert monthly(led) == {
        ("mid_feb", "2020-01"): "failed",
        ("first_mar", "2020-01"): "failed",
        ("first_mar", "2020-02"): "passed",
        ("last_feb", "2020-01"): "failed",
    }


def test_member_who_joined_by_transfer_owes_from_joining() -> None:
    led = ledger(
        members=[
            member("m1", admitted=D(2010, 1, 1), converted=D(2011, 1, 1), joined=D(2020, 2, 10))
        ],
        dues_payments=[payment("m1", "2020-03", "5")],
    )
    assert monthly(led) == {("m1", "2020-02"): "failed", ("m1", "2020-03"): "passed"}


def test_voluntary_payment_is_not_the_months_dues() -> None:
    led = ledger(
        members=[member("m1")],
        dues_payments=[
            payment("m1", "2020-01", "1000", voluntary=True),
            payment("m1", "2020-02", "1000", voluntary=True),
            payment("m1", "2020-02", "10"),
        ],
    )
    assert monthly(led) == {
        ("m1", "2020-01"): "failed",
        ("m1", "2020-02"): "passed",
        ("m1", "2020-03"): "failed",
    }


# -- charter.lapse_dues and charter.lapse_org_life -------------------------------------------


def paid(member_id: str, months: list[str]) -> list[DuesPayment]:
    return [payment(member_id, m, "10") for m in months]


def unpaid_except(
    member_id: str, gaps: list[str], first: str = "2019-01", last: str = "2020-06"
) -> list[DuesPayment]:
    """Payments for every month from ``first`` to ``last`` except ``gaps``."""
    return paid(member_id, [m for m in month_range(first, last) if m not in gaps])


LAPSE_CASES = {
    # member: (the months without payment, the expected status over 2020H1)
    "five_in_period": (month_range("2020-02", "2020-06"), "passed"),
    "six_in_period": (month_range("2020-01", "2020-06"), "failed"),
    "five_across": (month_range("2019-11", "2020-03"), "passed"),
    "six_across": (month_range("2019-10", "2020-03"), "failed"),
    "six_before": (month_range("2019-06", "2019-11"), "passed"),  # ended before the period
    "broken": (
        [*month_range("2019-09", "2019-12"), *month_range("2020-02", "2020-06")],
        "passed",
    ),
    "unbroken": (month_range("2019-09", "2020-06"), "failed"),
}


def test_lapse_dues_five_months_pass_six_fail() -> None:
    members = [member(m) for m in LAPSE_CASES]
    payments = [p for m, (gaps, _) in LAPSE_CASES.items() for p in unpaid_except(m, gaps)]
    led = ledger(members=members, dues_payments=payments)
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_dues"])
    assert statuses(found, "charter.lapse_dues") == {
        (m, "2020H1"): status for m, (_, status) in LAPSE_CASES.items()
    }
    table = findings_of(found, "charter.lapse_dues")
    assert table["six_in_period", "2020H1"].message == (
        "连续6个月不交纳党费视为自行脱党：党员six_in_period自2020年1月至2020年6月连续6个月未交纳党费"
    )
    assert "went 6 months from 2020-01 to 2020-06" in table["six_in_period", "2020H1"].message_en
    assert "自2019年10月至2020年3月连续6个月" in table["six_across", "2020H1"].message
    assert "没有连续6个月未交纳党费" in table["five_in_period", "2020H1"].message


def test_lapse_voluntary_payments_do_not_break_a_run() -> None:
    gaps = month_range("2020-01", "2020-06")
    payments = [
        *unpaid_except("m1", gaps),
        payment("m1", "2020-03", "500", voluntary=True),
    ]
    led = ledger(members=[member("m1")], dues_payments=payments)
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_dues"])
    assert statuses(found, "charter.lapse_dues") == {("m1", "2020H1"): "failed"}


@pytest.mark.parametrize(("first", "status"), [("2020-01", "failed"), ("2020-02", "passed")])
def test_lapse_counts_only_months_the_ledger_records(first: str, status: str) -> None:
    """Nobody paid before ``first``: earlier months are not months of nothing, so "idle" has
    six months of nothing from 2020-01 but only five from 2020-02."""
    led = ledger(
        members=[member("idle"), member("payer")],
        dues_payments=paid("payer", month_range(first, "2020-06")),
    )
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_dues"])
    assert statuses(found, "charter.lapse_dues") == {
        ("idle", "2020H1"): status,
        ("payer", "2020H1"): "passed",
    }


def test_lapse_without_any_record_cannot_tell() -> None:
    """A ledger that keeps no dues payments and no meetings cannot show that anybody lapsed:
    each member's finding is unknown, with the reason (not silence, not a failure)."""
    led = ledger(members=[member("m1")])
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter."])
    assert statuses(found, "charter.lapse_dues") == {("m1", "2020H1"): "unknown"}
    assert statuses(found, "charter.lapse_org_life") == {("m1", "2020H1"): "unknown"}
    dues = findings_of(found, "charter.lapse_dues")["m1", "2020H1"]
    assert dues.message.endswith("台账中没有党费记录，无法判断党员m1是否交纳党费")
    life = findings_of(found, "charter.lapse_org_life")["m1", "2020H1"]
    assert life.message.endswith("台账中没有会议记录，无法判断党员m1是否参加组织生活")


def test_lapse_pending_while_the_period_runs() -> None:
    led = ledger(
        members=[member("ok"), member("gone")],
        dues_payments=[*paid("ok", month_range("2019-01", "2020-04")), *paid("gone", ["2019-01"])],
    )
    found = run(led, "2020H1", as_of=D(2020, 5, 10), only=["charter.lapse_dues"])
    # "gone" already has a run of 15 months over by then; "ok" may still lapse
    assert statuses(found, "charter.lapse_dues") == {
        ("ok", "2020H1"): "pending",
        ("gone", "2020H1"): "failed",
    }


def test_lapse_months_before_admission_are_not_counted() -> None:
    led = ledger(
        members=[
            member("payer"),
            member("new", status=MemberStatus.PROBATIONARY, admitted=D(2020, 1, 15)),
            member("newer", status=MemberStatus.PROBATIONARY, admitted=D(2019, 12, 31)),
        ],
        dues_payments=paid("payer", month_range("2019-01", "2020-06")),
    )
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_dues"])
    # "new" was a member for the whole of February to June only: five months
    assert statuses(found, "charter.lapse_dues") == {
        ("payer", "2020H1"): "passed",
        ("new", "2020H1"): "passed",
        ("newer", "2020H1"): "failed",
    }


def test_lapse_judges_only_those_who_were_members_in_the_period() -> None:
    """An applicant, an activist or a member who left before the period cannot lapse in it:
    no finding at all, as for dues owed."""
    gone = MemberStatus.TRANSFERRED_OUT
    led = ledger(
        members=[
            member("payer"),
            member("applicant", status=MemberStatus.APPLICANT, applied=D(2019, 5, 1)),
            member("activist", status=MemberStatus.ACTIVIST, activist=D(2019, 5, 1)),
            member("left_before", status=gone, left=D(2019, 12, 1)),
            member("left_during", status=gone, left=D(2020, 3, 1)),
        ],
        dues_payments=[
            *paid("payer", month_range("2019-01", "2020-06")),
            *paid("left_during", month_range("2019-01", "2019-12")),
        ],
    )
    for rule in ("charter.lapse_dues", "charter.lapse_org_life"):
        found = run(
            attrs.evolve(led, meetings=tuple(attended("payer", month_range("2019-01", "2020-06")))),
            "2020H1",
            as_of=D(2020, 7, 15),
            only=[rule],
        )
        assert set(statuses(found, rule)) == {("payer", "2020H1"), ("left_during", "2020H1")}
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_dues"])
    # "left_during" owed January and February only, and paid neither: two months
    assert statuses(found, "charter.lapse_dues") == {
        ("payer", "2020H1"): "passed",
        ("left_during", "2020H1"): "passed",
    }


def attended(member_id: str, months: list[str]) -> list[Meeting]:
    return [meeting(Month.parse(m).first_day.replace(day=10), [member_id]) for m in months]


def test_lapse_org_life_five_months_pass_six_fail() -> None:
    everyone = month_range("2019-01", "2020-06")
    cases = {
        "every_month": ([], "passed"),
        "five_in_period": (month_range("2020-02", "2020-06"), "passed"),
        "six_in_period": (month_range("2020-01", "2020-06"), "failed"),
        "six_across": (month_range("2019-10", "2020-03"), "failed"),
        "broken": (
            [*month_range("2019-09", "2019-12"), *month_range("2020-02", "2020-06")],
            "passed",
        ),
    }
    meetings = [
        mt
        for m, (gaps, _) in cases.items()
        for mt in attended(m, [x for x in everyone if x not in gaps])
    ]
    led = ledger(members=[member(m) for m in cases], meetings=meetings)
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_org_life"])
    assert statuses(found, "charter.lapse_org_life") == {
        (m, "2020H1"): status for m, (_, status) in cases.items()
    }
    assert (
        "连续6个月未参加组织生活"
        in findings_of(found, "charter.lapse_org_life")["six_in_period", "2020H1"].message
    )


@pytest.mark.parametrize(("first", "status"), [("2020-01", "failed"), ("2020-02", "passed")])
def test_lapse_org_life_counts_only_months_the_ledger_records(first: str, status: str) -> None:
    led = ledger(
        members=[member("idle"), member("goer")],
        meetings=attended("goer", month_range(first, "2020-06")),
    )
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_org_life"])
    assert statuses(found, "charter.lapse_org_life") == {
        ("idle", "2020H1"): status,
        ("goer", "2020H1"): "passed",
    }


def test_lapse_rules_cite_article_nine() -> None:
    led = ledger(members=[member("m1")], dues_payments=paid("m1", ["2020-01"]))
    for f in run(led, "2020H1", as_of=D(2020, 7, 15), only=["charter.lapse_dues"]):
        assert [(c.article, c.verified) for c in f.citations] == [("第九条", True)]
        assert f.period == Period(PeriodUnit.HALF, 2020, 1)


@pytest.mark.parametrize("reverse", [False, True])
def test_base_of_a_month_does_not_depend_on_the_order_of_payments(reverse: bool) -> None:
    """Two payments of a month with different bases (a payment and a later top-up on a higher
    income): the month is judged on the highest base recorded, whatever the order of records."""
    payments = [
        payment("m1", "2020-01", "30.00", base="3000.01", id="first"),
        payment("m1", "2020-01", "10.00", base="5000.01", id="top_up"),
    ]
    if reverse:
        payments.reverse()
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)], dues_payments=payments
    )
    found = findings_of(
        run(led, "2020-01", as_of=D(2020, 3, 1), only=["dues.salaried"]), "dues.salaried"
    )
    f = found["m1", "2020-01"]
    # 1.5 % of 5000.01 is 75.00; 40.00 was paid
    assert f.status.code == "failed"
    assert "以5000.01元为基数应交75.00元，实交40.00元" in f.message


def test_week_check_judges_the_month_the_week_starts_in() -> None:
    """A week has no months of its own: like the other periodic rules, the dues rules judge the
    month it starts in, and a month that runs past the week is not failed on part of its time."""
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[payment("m1", "2020-03", "14.00", base="3000")],
    )
    # 2020-W14 is 2020-03-30 to 2020-04-05: March ends within it
    found = run(led, "2020-W14", as_of=D(2020, 6, 1), only=["dues."])
    assert statuses(found, "dues.monthly") == {("m1", "2020-03"): "passed"}
    assert statuses(found, "dues.salaried") == {("m1", "2020-03"): "failed"}
    # 2020-W15 is 2020-04-06 to 2020-04-12: April has not been paid, but runs past the week
    found = run(led, "2020-W15", as_of=D(2020, 6, 1), only=["dues."])
    assert statuses(found, "dues.monthly") == {("m1", "2020-04"): "pending"}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2020, 1, 20), "pending"), (D(2020, 1, 31), "pending"), (D(2020, 2, 1), "failed")],
)
def test_short_payment_in_a_month_still_running_is_pending(as_of: dt.date, status: str) -> None:
    """Like a missing payment, a short one is pending while the month runs: it may be topped
    up before the month is over."""
    payments = [payment("m1", "2020-01", "14.99", base="3000.00")]
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)], dues_payments=payments
    )
    found = run(led, "2020-01", as_of=as_of, only=["dues.salaried"])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): status}
    assert (
        "应交15.00元，实交14.99元" in findings_of(found, "dues.salaried")["m1", "2020-01"].message
    )
    # paid in full: passed even before the month is over
    payments = [payment("m1", "2020-01", "15.00", base="3000.00")]
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)], dues_payments=payments
    )
    found = run(led, "2020-01", as_of=as_of, only=["dues.salaried"])
    assert statuses(found, "dues.salaried") == {("m1", "2020-01"): "passed"}


@pytest.mark.parametrize(
    ("written", "whole", "shown"),
    [
        ("12.5", False, "12.50"),
        ("1E+3", False, "1000.00"),
        ("0E+2", False, "0.00"),
        ("99.999", False, "99.999"),
        ("30.0000000000", False, "30.00"),
        ("4920.00", True, "4920"),
        ("4920.5", True, "4920.50"),
        ("0.001", True, "0.001"),
    ],
)
def test_amounts_read_the_same_however_written(written: str, whole: bool, shown: str) -> None:
    assert yuan(Decimal(written), whole=whole) == shown


@given(amount=ds.decimals(max_value=100_000, max_places=3), whole=st.booleans())
def test_an_amount_shown_depends_on_its_value_only(amount: Decimal, whole: bool) -> None:
    # a table column of any scale gives the same text as the amount as written
    shown = yuan(amount, whole=whole)
    assert Decimal(shown) == amount
    assert yuan(amount.quantize(Decimal("1E-10")), whole=whole) == shown
