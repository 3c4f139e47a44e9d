"""The income base of dues from gross pay (dangjian.dues_base) and the pay fields of a dues
payment: exact arithmetic, deductions up to the gross pay and one 分 over, and a base recorded
with them that must agree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dangjian
from dangjian import DuesPayment, Month, ProblemsError, dues_base
from dangjian.model import _validators as v
from dangjian.model.pay import DEDUCTIONS
from dangjian.rules.kinds.dues import payment_base
from dangjian.testing import strategies as ds

AMOUNTS = ds.decimals(max_value=1_000_000, max_places=6)


def test_the_example_of_a_payslip() -> None:
    base = dues_base(
        Decimal("8650.00"),
        income_tax=Decimal("125.40"),
        pension=Decimal("692.00"),
        medical=Decimal("173.00"),
        unemployment=Decimal("43.25"),
        housing_fund=Decimal("1038.00"),
    )
    assert base == Decimal("6578.35") and str(base) == "6578.35"


def test_deductions_up_to_the_gross_pay_and_one_fen_over() -> None:
    assert dues_base(Decimal("3000"), pension=Decimal("2000"), housing_fund=Decimal("1000")) == 0
    with pytest.raises(ProblemsError) as caught:
        dues_base(Decimal("3000"), pension=Decimal("2000"), housing_fund=Decimal("1000.01"))
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("housing_fund", "deductions_exceed_gross")
    assert "各项扣除合计3000.01元，超过工资总额3000元" in problem.message


def test_every_bad_amount_is_named_at_once() -> None:
    with pytest.raises(ProblemsError) as caught:
        dues_base(
            Decimal("-1"),
            income_tax=Decimal("0.1234567"),
            pension=1.5,  # type: ignore[arg-type]  # a float is not an amount
            medical="10",  # type: ignore[arg-type]  # nor is text
            unemployment=Decimal("NaN"),
            housing_fund=Decimal(10**10),
        )
    assert [p.path for p in caught.value.problems] == ["gross", *DEDUCTIONS]
    assert {p.code for p in caught.value.problems} == {"invalid_value"}


def test_whole_numbers_are_exact_amounts() -> None:
    assert dues_base(5000, income_tax=45) == Decimal(4955)  # type: ignore[arg-type]  # int


@given(gross=AMOUNTS, deductions=st.lists(AMOUNTS, min_size=5, max_size=5))
def test_the_base_is_the_gross_less_the_deductions_exactly_and_never_negative(
    gross: Decimal, deductions: list[Decimal]
) -> None:
    given_ = dict(zip(DEDUCTIONS, deductions, strict=True))
    total = sum(deductions, Decimal(0))
    if total > gross:
        with pytest.raises(ProblemsError):
            dues_base(gross, **given_)
        return
    base = dues_base(gross, **given_)
    assert base >= 0
    assert base + total == gross  # exact: no place lost
    assert v.plain_decimal(base)


# -- on a dues payment -----------------------------------------------------------------------


def _payment(**fields: str) -> DuesPayment:
    return DuesPayment(
        id="p1",
        member="m1",
        month=Month(2020, 1),
        amount=Decimal("38.30"),
        **{k: Decimal(x) for k, x in fields.items()},
    )


def test_a_base_recorded_with_the_pay_must_equal_what_it_computes() -> None:
    assert _payment(base="4955.00", gross_pay="5000", income_tax="45").base == Decimal("4955.00")
    with pytest.raises(v.FieldError) as caught:
        _payment(base="4955.01", gross_pay="5000", income_tax="45")
    assert caught.value.field == "base"
    assert "计算基数4955.01元与工资总额减各项扣除所得的4955元不符" in caught.value.message


def test_a_base_left_empty_stays_empty_and_is_computed_when_needed() -> None:
    x = _payment(gross_pay="5000", income_tax="45", housing_fund="600")
    assert x.base is None  # what the user typed is kept: nothing filled in
    assert payment_base(x) == Decimal("4355")
    assert payment_base(_payment(base="12")) == Decimal("12")
    assert payment_base(_payment()) is None


def test_a_deduction_needs_the_gross_pay() -> None:
    with pytest.raises(v.FieldError) as caught:
        _payment(base="4955", pension="45")
    assert caught.value.field == "pension"


def test_deductions_above_the_gross_pay_are_refused() -> None:
    assert payment_base(_payment(gross_pay="100", income_tax="60", medical="40")) == 0
    with pytest.raises(v.FieldError) as caught:
        _payment(gross_pay="100", income_tax="60", medical="40.01")
    assert caught.value.field == "gross_pay"


def test_the_pay_of_a_loaded_ledger_is_checked_at_its_place() -> None:
    text = """
name: 台账
branches:
  - {id: b1, name: 第一支部, level: branch, category: organ}
members:
  - {id: m1, name: 张三, branch: b1, status: full, gender: male}
dues_payments:
  - {id: p1, member: m1, month: 2020-01, amount: "38.30", base: "4000", gross_pay: "5000", income_tax: "45"}
  - {id: p2, member: m1, month: 2020-02, amount: "38.30", gross_pay: "5000", income_tax: "45"}
"""
    with pytest.raises(dangjian.LedgerError) as caught:
        dangjian.loads(text, "yaml")
    assert [p.path for p in caught.value.problems] == ["dues_payments[0].base"]
