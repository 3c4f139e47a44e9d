"""dues.monthly as 党费规定 第十二条 says: monthly, or quarterly with the branch's approval; a back
payment (补交) within 6 months is a warning, later a failure; a month recorded twice counts once;
a ledger without any dues payments cannot tell. Boundary tests on both sides of each day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import dangjian
from dangjian import DuesCategory, Severity
from dangjian.findings import Finding
from tests.builders.dues import (
    D,
    branch,
    findings_of,
    ledger,
    member,
    payment,
    run,
    statuses,
)

LATER = D(2021, 6, 1)


def monthly(led: dangjian.Ledger, period: str = "2020Q1", as_of: dt.date = LATER) -> list[Finding]:
    return run(led, period, as_of=as_of, only=["dues.monthly"])


def verdicts(found: list[Finding]) -> dict[tuple[str, str], tuple[str, str]]:
    """(status, severity) of each finding of dues.monthly by (subject id, sub-period)."""
    return {
        k: (f.status.code, f.severity.code) for k, f in findings_of(found, "dues.monthly").items()
    }


# -- two records of one month ------------------------------------------------------------------


@pytest.mark.parametrize("reverse", [False, True])
def test_a_month_recorded_twice_counts_once_and_the_missing_month_is_found(reverse: bool) -> None:
    # February's payment was entered as January: January twice, February missing
    payments = [
        payment("m1", "2020-01", "30.00", base="3000.01", id="jan"),
        payment("m1", "2020-01", "30.00", base="3000.01", id="feb_as_jan"),
        payment("m1", "2020-03", "30.00", base="3000.01", id="mar"),
    ]
    if reverse:
        payments.reverse()
    led = ledger(members=[member("m1")], dues_payments=payments)
    found = monthly(led)
    assert verdicts(found) == {
        ("m1", "2020-01"): ("passed", "error"),
        # the subject is the repeat (the larger id): the smaller is the one counted
        ("jan", "2020-01"): ("failed", "warning"),
        ("m1", "2020-02"): ("failed", "error"),
        ("m1", "2020-03"): ("passed", "error"),
    }
    table = findings_of(found, "dues.monthly")
    dup = table["jan", "2020-01"]
    assert dup.subject.kind == "payment"
    assert dup.subject.branch == "b1"
    assert dup.evidence == ("feb_as_jan", "jan")  # sorted by id, whatever the record order
    assert "feb_as_jan" in dup.message and "jan" in dup.message and "按一笔计" in dup.message
    assert "counted once" in dup.message_en
    # counted once: the month's own finding counts one payment of 30.00
    assert table["m1", "2020-01"].evidence == ("feb_as_jan",)
    assert "已交30.00元" in table["m1", "2020-01"].message


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize(
    ("on_time_id", "late_id"), [("jan", "feb_as_jan"), ("feb_as_jan", "jan"), ("b", "a")]
)
def test_a_repeated_record_paid_later_does_not_make_the_month_late(
    on_time_id: str, late_id: str, reverse: bool
) -> None:
    # January paid on time, and February's payment entered as January: whatever the ids and
    # the order of the records, January was paid on time, February is missing
    payments = [
        payment("m1", "2020-01", "30.00", id=on_time_id, paid_on=D(2020, 1, 20)),
        payment("m1", "2020-01", "30.00", id=late_id, paid_on=D(2020, 2, 20)),
    ]
    if reverse:
        payments.reverse()
    led = ledger(members=[member("m1")], dues_payments=payments)
    found = run(led, "2020Q1", as_of=LATER, only=["dues.monthly"])
    assert verdicts(found) == {
        ("m1", "2020-01"): ("passed", "error"),
        (late_id, "2020-01"): ("failed", "warning"),  # the repeat, not the one counted
        ("m1", "2020-02"): ("failed", "error"),
        ("m1", "2020-03"): ("failed", "error"),
    }
    table = findings_of(found, "dues.monthly")
    assert table["m1", "2020-01"].evidence == (on_time_id,)
    assert table[late_id, "2020-01"].evidence == tuple(sorted((on_time_id, late_id)))


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # both late: the earlier one is the day January was paid
        ((D(2020, 7, 31), D(2020, 8, 1)), ("failed", "warning")),
        ((D(2020, 8, 1), D(2020, 8, 2)), ("failed", "error")),
        # one without a day: not taken for a late one
        ((None, D(2020, 8, 1)), ("passed", "error")),
    ],
)
def test_a_repeated_record_counts_from_its_earliest_day(
    days: tuple[dt.date | None, dt.date], expected: tuple[str, str]
) -> None:
    led = ledger(
        members=[member("m1")],
        dues_payments=[
            payment("m1", "2020-01", "10", id=f"p{i}", paid_on=day)
            for i, day in zip((2, 1), days, strict=True)
        ],
    )
    found = run(led, "2020-01", as_of=LATER, only=["dues.monthly"])
    assert verdicts(found)["m1", "2020-01"] == expected


def test_three_identical_records_are_one_finding() -> None:
    led = ledger(
        members=[member("m1")],
        dues_payments=[payment("m1", "2020-01", "10", id=f"p{i}") for i in (3, 1, 2)],
    )
    found = run(led, "2020-01", as_of=LATER, only=["dues.monthly"])
    assert verdicts(found) == {
        ("m1", "2020-01"): ("passed", "error"),
        ("p3", "2020-01"): ("failed", "warning"),
    }
    assert findings_of(found, "dues.monthly")["p3", "2020-01"].evidence == ("p1", "p2", "p3")


@pytest.mark.parametrize(
    ("second", "duplicate"),
    [
        (("30.00", "3000.01"), True),  # the same amount and base: one payment recorded twice
        (("30.01", "3000.01"), False),  # another amount: a top-up
        (("30.00", "3000.02"), False),  # another base
        (("30.00", None), False),
    ],
)
def test_what_counts_as_a_repeated_record(second: tuple[str, str | None], duplicate: bool) -> None:
    amount, base = second
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[
            payment("m1", "2020-01", "30.00", base="3000.01", id="a"),
            payment("m1", "2020-01", amount, base=base, id="b"),
        ],
    )
    found = run(led, "2020-01", as_of=LATER, only=["dues."])
    assert (("b", "2020-01") in findings_of(found, "dues.monthly")) is duplicate
    salaried = findings_of(found, "dues.salaried")["m1", "2020-01"]
    # the amount rule counts a repeated record once, a top-up on top
    paid = "30.00" if duplicate else str(30 + Decimal(amount))
    assert f"实交{paid}元" in salaried.message


def test_a_repeated_record_is_counted_once_by_the_amount_rule() -> None:
    # 1 % of 3000.01 is 30.00: two records of 15.00 are one payment of 15.00, short
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[
            payment("m1", "2020-01", "15.00", base="3000.01", id="x1"),
            payment("m1", "2020-01", "15.00", base="3000.01", id="x2"),
        ],
    )
    found = run(led, "2020-01", as_of=LATER, only=["dues.salaried"])
    f = findings_of(found, "dues.salaried")["m1", "2020-01"]
    assert f.status.code == "failed"
    assert "应交30.00元，实交15.00元" in f.message
    assert f.evidence == ("x1",)


# -- back payment (补交) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid_on", "expected"),
    [
        (D(2019, 12, 20), ("passed", "error")),  # paid ahead
        (D(2020, 1, 31), ("passed", "error")),  # the month's last day
        (D(2020, 2, 1), ("failed", "warning")),  # a day late: 补交
        (D(2020, 7, 31), ("failed", "warning")),  # six months after the month's end
        (D(2020, 8, 1), ("failed", "error")),  # beyond six months
        (None, ("passed", "error")),  # no day recorded: not taken for late
    ],
)
def test_back_payment_boundaries(paid_on: dt.date | None, expected: tuple[str, str]) -> None:
    led = ledger(
        members=[member("m1")], dues_payments=[payment("m1", "2020-01", "10", paid_on=paid_on)]
    )
    found = run(led, "2020-01", as_of=LATER, only=["dues.monthly"])
    assert verdicts(found) == {("m1", "2020-01"): expected}
    f = findings_of(found, "dues.monthly")["m1", "2020-01"]
    if expected[1] == "warning":
        assert "补交" in f.message and "未超过6个月" in f.message
    elif expected[0] == "failed":
        assert "补交超过6个月" in f.message and "2020-07-31" in f.message


@pytest.mark.parametrize(
    ("paid_on", "expected"),
    [
        (D(2020, 10, 31), ("failed", "warning")),  # April ends on the 30th; October on the 31st
        (D(2020, 11, 1), ("failed", "error")),
    ],
)
def test_six_months_end_on_a_months_last_day(paid_on: dt.date, expected: tuple[str, str]) -> None:
    led = ledger(
        members=[member("m1")], dues_payments=[payment("m1", "2020-04", "10", paid_on=paid_on)]
    )
    found = run(led, "2020-04", as_of=LATER, only=["dues.monthly"])
    assert verdicts(found) == {("m1", "2020-04"): expected}


def test_a_top_up_does_not_make_a_paid_month_late() -> None:
    led = ledger(
        members=[member("m1")],
        dues_payments=[
            payment("m1", "2020-01", "10", paid_on=D(2020, 1, 10)),
            payment("m1", "2020-01", "2", paid_on=D(2020, 3, 10)),
        ],
    )
    assert verdicts(run(led, "2020-01", as_of=LATER, only=["dues.monthly"])) == {
        ("m1", "2020-01"): ("passed", "error")
    }


def test_a_back_payment_alone_does_not_set_the_exit_code() -> None:
    led = ledger(
        members=[member("m1")],
        dues_payments=[payment("m1", "2020-01", "10", paid_on=D(2020, 3, 1))],
    )
    report = dangjian.check(led, "2020-01", as_of=LATER, only=["dues.monthly"])
    assert report.exit_code("error") == 0
    assert report.exit_code("warning") == 1


# -- quarterly payment with the branch's approval ---------------------------------------------


@pytest.mark.parametrize(
    ("approved", "paid_on", "expected"),
    [
        (D(2019, 12, 1), D(2020, 3, 31), ("passed", "error")),  # by the quarter's end
        (D(2019, 12, 1), D(2020, 4, 1), ("failed", "warning")),  # after it: 补交
        (D(2019, 12, 1), D(2020, 9, 30), ("failed", "warning")),  # six months after the quarter
        (D(2019, 12, 1), D(2020, 10, 1), ("failed", "error")),
        (None, D(2020, 3, 31), ("failed", "warning")),  # no approval: January was due in January
        (D(2020, 1, 31), D(2020, 3, 31), ("passed", "error")),  # approved by January's end
        (D(2020, 2, 1), D(2020, 3, 31), ("failed", "warning")),  # approved after January
    ],
)
def test_quarterly_payment_with_approval(
    approved: dt.date | None, paid_on: dt.date, expected: tuple[str, str]
) -> None:
    led = ledger(
        members=[member("m1", quarterly=approved)],
        dues_payments=[payment("m1", "2020-01", "10", paid_on=paid_on)],
    )
    found = run(led, "2020-01", as_of=LATER, only=["dues.monthly"])
    assert verdicts(found) == {("m1", "2020-01"): expected}
    if approved is not None and approved <= D(2020, 1, 31):
        assert "按季度交纳" in findings_of(found, "dues.monthly")["m1", "2020-01"].message


@pytest.mark.parametrize(
    ("as_of", "quarterly", "monthly_member"),
    [
        (D(2020, 2, 15), "pending", "failed"),
        (D(2020, 3, 31), "pending", "failed"),  # the quarter's last day: not over
        (D(2020, 4, 1), "failed", "failed"),
    ],
)
def test_an_unpaid_month_is_pending_until_the_quarter_ends(
    as_of: dt.date, quarterly: str, monthly_member: str
) -> None:
    led = ledger(
        members=[member("q", quarterly=D(2019, 1, 1)), member("m")],
        dues_payments=[payment("m", "2019-12", "10")],
    )
    got = statuses(run(led, "2020-01", as_of=as_of, only=["dues.monthly"]), "dues.monthly")
    assert got == {("q", "2020-01"): quarterly, ("m", "2020-01"): monthly_member}


# -- a ledger that keeps no dues ---------------------------------------------------------------


def test_a_ledger_without_dues_payments_cannot_tell() -> None:
    led = ledger(
        members=[member("m1"), member("m2", dues_category=DuesCategory.SALARIED)],
        # a voluntary one-off payment is not the months' dues
        dues_payments=[payment("m1", "2020-02", "1000", voluntary=True)],
    )
    found = run(led, "2020Q1", as_of=LATER, only=["dues."])
    assert statuses(found, "dues.monthly") == {
        ("m1", "2020Q1"): "unknown",
        ("m2", "2020Q1"): "unknown",
    }
    f = findings_of(found, "dues.monthly")["m1", "2020Q1"]
    assert "台账中没有党费记录" in f.message and "2020年1月至2020年3月" in f.message
    assert "no dues payments" in f.message_en
    # the amount rules judge months with a payment only: nothing
    assert [x for x in found if x.rule != "dues.monthly"] == []
    # once the ledger keeps dues, a member without any is failed on evidence
    led = ledger(
        members=[member("m1"), member("m2")], dues_payments=[payment("m2", "2020-01", "5")]
    )
    got = statuses(run(led, "2020-01", as_of=LATER, only=["dues.monthly"]), "dues.monthly")
    assert got == {("m1", "2020-01"): "failed", ("m2", "2020-01"): "passed"}


@pytest.mark.parametrize("b2_pays", [False, True])
def test_a_branch_whose_dues_the_ledger_does_not_keep_cannot_tell(b2_pays: bool) -> None:
    # b1 keeps its dues; b2's are kept elsewhere: its members are not failed on no records,
    # until one payment of a b2 member shows the ledger keeps b2's dues
    led = ledger(
        branches=[branch("b1"), branch("b2", name="第二党支部")],
        members=[member("a1"), member("a2"), member("c1", branch="b2"), member("c2", branch="b2")],
        dues_payments=[
            payment("a1", "2020-01", "5"),
            *([payment("c1", "2020-01", "5")] if b2_pays else []),
            # a voluntary payment is not the months' dues
            payment("c2", "2020-01", "1000", voluntary=True),
        ],
    )
    found = run(led, "2020-01", as_of=LATER, only=["dues.monthly"])
    expected = {("a1", "2020-01"): "passed", ("a2", "2020-01"): "failed"}
    if b2_pays:
        expected |= {("c1", "2020-01"): "passed", ("c2", "2020-01"): "failed"}
    else:
        expected |= {("c1", "2020-01"): "unknown", ("c2", "2020-01"): "unknown"}
    assert statuses(found, "dues.monthly") == expected
    if not b2_pays:
        f = findings_of(found, "dues.monthly")["c1", "2020-01"]
        assert "台账中没有第二党支部的党费记录" in f.message
        assert "the ledger has no dues payments of b2" in f.message_en


# -- the rule data -----------------------------------------------------------------------------


@pytest.mark.parametrize(("month", "judged"), [("2008-03", False), ("2008-04", True)])
def test_the_2008_rates_are_in_force_from_april(month: str, judged: bool) -> None:
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[payment("m1", month, "10", base="2000")],
    )
    found = run(led, month, as_of=LATER, only=["dues."])
    assert {f.rule for f in found} == ({"dues.monthly", "dues.salaried"} if judged else set())


def test_citations() -> None:
    rules = dangjian.load_rules("national")
    monthly_rule = rules.get("dues.monthly")
    assert [(c.article, c.verified) for c in monthly_rule.citations] == [("第十二条", True)]
    assert monthly_rule.params_on(D(2020, 1, 1)).back_pay_months == 6
    retired = rules.get("dues.retired")
    assert [(c.document, c.verified) for c in retired.citations][1] == (
        "组电明字〔2017〕5号",
        False,
    )
    assert "基本离退休费或基本养老金" in (retired.description or "")
    for rule_id in ("dues.salaried", "dues.retired", "dues.flat", "dues.monthly"):
        assert rules.get(rule_id).in_force.since == D(2008, 4, 1)


def test_severity_of_a_warning_finding_is_the_enum() -> None:
    led = ledger(
        members=[member("m1")],
        dues_payments=[payment("m1", "2020-01", "10", paid_on=D(2020, 2, 1))],
    )
    (f,) = run(led, "2020-01", as_of=LATER, only=["dues.monthly"])
    assert f.severity is Severity.WARNING
