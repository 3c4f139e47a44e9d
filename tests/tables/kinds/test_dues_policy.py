"""Local dues policies over tables: the boundaries of tests/rules/test_dues_policy.py judged by
the table engine and compared whole (messages included) with the object engine's findings, and
a property where the policy (quantum, rounding, minimum, tolerance) and the pay vary."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import DuesCategory, Ledger
from dangjian.model.pay import DEDUCTIONS
from dangjian.rules.kinds.dues import Schedule, Tier, expected_dues
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.dues import D, ledger, local_dues_rule, member, payment, run, write_policy
from tests.builders.example import EXAMPLES
from tests.builders.tables import on_duckdb, same_findings

pytest.importorskip("ibis")

EXAMPLE_POLICY = EXAMPLES / "dues-policy-round-up.toml"
AS_OF = D(2020, 3, 1)
NOTHING: tuple[Counter[tuple[object, ...]], Counter[tuple[object, ...]]] = (Counter(), Counter())
_ROUNDINGS = (
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
    "ROUND_05UP",
)


def judged(led: Ledger, rules: list[Path], only: str = "dues.salaried") -> dict[str, str]:
    """The status of each member's finding of ``only`` by month (the object engine's), after
    checking that the table engine finds exactly the same, messages included."""
    paths = [str(r) for r in rules]
    same = same_findings(led, "2020-01", as_of=AS_OF, profile="national", only=[only], rules=paths)
    assert same == NOTHING
    found = run(led, "2020-01", as_of=AS_OF, only=[only], rules=paths)
    return {str(f.period): f.status.code for f in found if f.subject.kind == "member"}


def one(amount: str, base: str | None = None, **pay: str) -> Ledger:
    return ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[payment("m1", "2020-01", amount, base=base, **pay)],
    )


@pytest.mark.parametrize(
    ("amount", "base", "default", "round_up"),
    [
        ("14.91", "2981", "passed", "failed"),  # 14.905: 14.91 by default, 15.0 rounded up
        ("15.00", "2981", "passed", "passed"),
        ("14.90", "2980", "passed", "passed"),  # an exact multiple of the 角 stays
        ("0.10", "10", "passed", "passed"),  # the minimum just met
        ("0.09", "10", "passed", "failed"),  # and just missed (0.05 by default)
        ("0.09", "0", "passed", "failed"),  # a base of nothing owes the minimum
    ],
)
def test_the_example_policy_in_both_engines(
    amount: str, base: str, default: str, round_up: str
) -> None:
    led = one(amount, base)
    assert judged(led, []) == {"2020-01": default}
    assert judged(led, [EXAMPLE_POLICY]) == {"2020-01": round_up}


@pytest.mark.parametrize(
    ("amount", "default", "jiao"), [("14.90", "failed", "passed"), ("14.89", "failed", "failed")]
)
def test_same_payment_passes_under_a_policy_to_the_jiao_and_fails_under_the_default(
    tmp_path: Path, amount: str, default: str, jiao: str
) -> None:
    policy = write_policy(tmp_path / "jiao.toml", quantum="0.1", rounding="ROUND_HALF_UP")
    led = one(amount, "2981")
    assert judged(led, []) == {"2020-01": default}
    assert judged(led, [policy]) == {"2020-01": jiao}


@pytest.mark.parametrize(("amount", "status"), [("14.86", "passed"), ("14.85", "failed")])
def test_tolerance_boundary_in_both_engines(tmp_path: Path, amount: str, status: str) -> None:
    policy = write_policy(tmp_path / "tol.toml", tolerance="0.05")
    assert judged(one(amount, "2981"), [policy]) == {"2020-01": status}


@pytest.mark.parametrize(("amount", "status"), [("38.30", "passed"), ("38.29", "failed")])
def test_the_base_computed_from_gross_pay_in_both_engines(amount: str, status: str) -> None:
    led = one(amount, None, gross_pay="5000", income_tax="45", pension="400", medical="100",
              unemployment="25", housing_fund="600")  # fmt: skip
    assert judged(led, []) == {"2020-01": status}


def test_a_base_recorded_and_one_computed_alike_are_one_payment_recorded_twice() -> None:
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[
            payment("m1", "2020-01", "15.00", base="3000", id="p1"),
            payment("m1", "2020-01", "15.00", gross_pay="3100", income_tax="100", id="p2"),
        ],
    )
    assert judged(led, [], only="dues.monthly") == {"2020-01": "passed"}
    # and a warning names both
    found = run(led, "2020-01", as_of=AS_OF, only=["dues.monthly"])
    assert [f.evidence for f in found if f.subject.kind == "payment"] == [("p1", "p2")]
    # counted once: 15.00 on 3000 is enough, and not 30.00 of two payments
    assert judged(led, []) == {"2020-01": "passed"}


def _finer(minimum: Decimal, quantum: Decimal) -> bool:
    """Whether ``minimum`` has a place finer than ``quantum``'s last (refused: tests/rules)."""
    exponent, last = minimum.normalize().as_tuple().exponent, quantum.as_tuple().exponent
    assert isinstance(exponent, int) and isinstance(last, int)
    return exponent < last


@st.composite
def _pay(draw: st.DrawFn, base: Decimal) -> dict[str, Decimal]:
    """Gross pay and deductions that give ``base``."""
    pay: dict[str, Decimal] = {}
    total = Decimal(0)
    for name in draw(st.lists(st.sampled_from(DEDUCTIONS), unique=True, max_size=3)):
        pay[name] = draw(ds.decimals(max_value=2_000, max_places=2))
        total += pay[name]
    pay["gross_pay"] = base + total
    return pay


@pytest.mark.parametrize(
    ("amount", "base", "status"),
    [
        # 1.255 % of a base below 10⁸ is computed in 64-bit DECIMALs, of a larger one in
        # 128-bit ones: both exact, half up to the 分
        ("1254999.99", "99999999.49", "passed"),  # owed 1254999.9935995 → 1254999.99
        ("1254999.99", "99999999.99", "failed"),  # owed 1254999.9998745 → 1255000.00
        ("1255000.00", "99999999.99", "passed"),
        ("1549382.70", "123456789.35", "failed"),  # owed 1549382.7063425 → 1549382.71
        ("1549382.71", "123456789.35", "passed"),
        ("12550000.00", "1000000000", "passed"),  # the largest amount a ledger holds
        ("12549999.99", "1000000000", "failed"),
    ],
)
def test_bases_of_every_size_in_both_engines(
    tmp_path: Path, amount: str, base: str, status: str
) -> None:
    path = local_dues_rule(tmp_path / "local.toml", rate="0.01255")
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.OTHER)],
        dues_payments=[payment("m1", "2020-01", amount, base=base)],
    )
    assert judged(led, [path], only="local.dues") == {"2020-01": status}


@given(
    data=st.data(),
    base=ds.decimals(max_value=20_000, max_places=2),
    rate=st.sampled_from(["0.005", "0.01", "0.015", "0.02", "0.0125"]),
    quantum=st.sampled_from(["0.01", "0.1", "1", "0.05"]),
    rounding=st.sampled_from(_ROUNDINGS),
    minimum=st.sampled_from([None, "0", "0.1", "0.10", "1", "0.2"]),
    tolerance=st.sampled_from(["0", "0.01", "0.05", "0.099"]),
    offset=st.sampled_from(["0", "-0.001", "-0.01", "-0.05", "-0.06", "-0.1", "0.01"]),
    by_pay=st.booleans(),
)
@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_any_policy_is_computed_alike_by_both_engines(
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    base: Decimal,
    rate: str,
    quantum: str,
    rounding: str,
    minimum: str | None,
    tolerance: str,
    offset: str,
    by_pay: bool,
) -> None:
    q = Decimal(quantum)
    if minimum is not None and _finer(Decimal(minimum), q):
        minimum = None  # a minimum finer than the quantum is refused (tests/rules)
    schedule = Schedule(categories=(DuesCategory.OTHER,), tiers=(Tier(rate=Decimal(rate)),))
    least = Decimal(minimum) if minimum is not None else None
    owed = expected_dues(schedule, base, quantum=q, rounding=rounding, minimum=least)
    assert owed is not None
    paid = max(Decimal(0), owed + Decimal(offset))
    path = local_dues_rule(
        tmp_path_factory.mktemp("policy") / "local.toml",
        rate=rate,
        quantum=quantum,
        rounding=rounding,
        tolerance=tolerance,
        minimum=minimum,
    )
    pay = data.draw(_pay(base)) if by_pay else {"base": base}
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.OTHER)],
        dues_payments=[payment("m1", "2020-01", paid, **pay)],
    )
    found = judged(led, [path], only="local.dues")
    passes = paid + Decimal(tolerance) >= owed
    assert found == {"2020-01": "passed" if passes else "failed"}


def test_a_month_still_running_under_a_tolerance(tmp_path: Path) -> None:
    """The policy of a month judged while it runs: short within the tolerance passes, short
    beyond it is pending, in both engines."""
    from dangjian.tables.engine import evaluate

    policy = str(write_policy(tmp_path / "tol.toml", tolerance="0.05"))
    for amount, status in (("14.86", "passed"), ("14.85", "pending")):
        led = one(amount, "2981")
        day, only = dt.date(2020, 1, 15), ["dues.salaried"]
        same = same_findings(
            led, "2020-01", as_of=day, profile="national", only=only, rules=[policy]
        )
        assert same == NOTHING
        con, tables = on_duckdb(led)
        report = evaluate(
            con, tables, "2020-01", as_of=day, profile="national", only=only, rules=[policy]
        )
        assert [f.status.code for f in report] == [status]
