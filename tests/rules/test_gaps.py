"""Every finding that cannot be told says what the records lack (``Finding.gap``), and only
such a finding does: over the bundled example, over generated ledgers, and enforced by
:meth:`Context.finding` for any rule kind, present or future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dangjian
from dangjian import Gap, Ledger, Status, load_rules
from dangjian.findings import Finding
from dangjian.periods import Period
from dangjian.rules.context import Context
from dangjian.testing.strategies import ledgers as generated_ledgers
from tests.builders import examples
from tests.builders.dues import D, run
from tests.builders.example import EXAMPLE, PLAN, WAIVERS
from tests.rules.test_check_properties import PERIODS, days, small_ledgers

SETTINGS = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def gapless(findings: Iterable[Finding]) -> list[Finding]:
    """The findings whose gap does not match their status."""
    return [f for f in findings if (f.status is Status.UNKNOWN) != (f.gap is not None)]


def test_every_unknown_finding_of_the_example_says_what_is_missing() -> None:
    report = dangjian.check(
        dangjian.load(EXAMPLE),
        "2020H1",
        as_of=dt.date(2020, 7, 15),
        profile="organ",
        rules=[PLAN],
        waivers=dangjian.load_waivers(WAIVERS),
    )
    assert report.unknown, "the example has findings that cannot be told"
    assert gapless(report) == []
    assert {f.gap for f in report.unknown} >= {Gap.COUNTS_ONLY}


@SETTINGS
@given(small_ledgers(), st.sampled_from(PERIODS), days(D(2020, 1, 1), D(2021, 6, 30)))
def test_every_unknown_finding_of_small_ledgers_has_a_gap(
    led: Ledger, period: str, as_of: dt.date
) -> None:
    assert gapless(run(led, period, as_of=as_of, only=(), profile="organ")) == []


@SETTINGS
@given(
    generated_ledgers(max_members=4),
    st.sampled_from((*PERIODS, "2019Q4", "2021", "2018")),
    days(D(2015, 1, 1), D(2030, 12, 31)),
)
def test_every_unknown_finding_of_generated_ledgers_has_a_gap(
    led: Ledger, period: str, as_of: dt.date
) -> None:
    assert gapless(run(led, period, as_of=as_of, only=(), profile="organ")) == []


# -- Context.finding enforces it -----------------------------------------------------------


@pytest.fixture
def ctx() -> Context:
    return Context(Ledger(name="空台账"), Period.parse("2020"), dt.date(2021, 1, 1))


def test_an_unknown_finding_without_a_gap_is_an_internal_error(ctx: Context) -> None:
    rule = next(iter(load_rules("national")))
    subject = dangjian.Subject(kind="branch", id="b1", name="b1", branch="b1")
    with pytest.raises(AssertionError, match=r"internal error in rule .*must carry a gap"):
        ctx.finding(rule, Status.UNKNOWN, subject, None, "无法判断", "cannot tell")


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.UNKNOWN])
def test_a_gap_on_a_finding_that_can_be_told_is_an_internal_error(
    ctx: Context, status: Status
) -> None:
    rule = next(iter(load_rules("national")))
    subject = dangjian.Subject(kind="branch", id="b1", name="b1", branch="b1")
    with pytest.raises(AssertionError, match="internal error"):
        ctx.finding(rule, status, subject, None, "x", "x", gap=Gap.NOT_KEPT)


def test_an_unknown_finding_with_its_gap_is_made(ctx: Context) -> None:
    rule = next(iter(load_rules("national")))
    subject = dangjian.Subject(kind="branch", id="b1", name="b1", branch="b1")
    f = ctx.finding(rule, Status.UNKNOWN, subject, None, "无法判断", "x", gap=Gap.DETAILS_MISSING)
    assert f.gap is Gap.DETAILS_MISSING
    assert f.gap.remedy() == "补记相应的事项"
