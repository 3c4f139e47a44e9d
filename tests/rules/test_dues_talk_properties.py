"""Properties of the dues and talk rules on generated ledgers: no failure from absent dues
records, a repeated record counted once, and one talk finding per branch and year."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st

from dangjian import Ledger, Severity, Status
from tests.builders.dues import run
from tests.rules.test_check_properties import AS_OF, PERIODS, SETTINGS, small_ledgers

DUES = ["dues."]


@SETTINGS
@given(small_ledgers(), st.sampled_from(PERIODS), AS_OF)
def test_without_dues_records_no_dues_rule_fails_anybody(
    led: Ledger, period: str, as_of: dt.date
) -> None:
    bare = attrs.evolve(led, dues_payments=())
    found = run(bare, period, as_of=as_of, only=DUES)
    assert not [f for f in found if f.status is Status.FAILED]
    # dues.monthly says why it cannot tell, for every member it would have judged
    for f in found:
        assert f.rule == "dues.monthly"
        assert f.status is Status.UNKNOWN
        assert "台账中没有党费记录" in f.message


@SETTINGS
@given(small_ledgers(), st.sampled_from(PERIODS), AS_OF)
def test_a_record_entered_twice_is_counted_once(led: Ledger, period: str, as_of: dt.date) -> None:
    copies = tuple(attrs.evolve(p, id=f"copy-{p.id}") for p in led.dues_payments)
    twice = attrs.evolve(led, dues_payments=led.dues_payments + copies)

    def verdicts(ledger: Ledger) -> dict[tuple[str, str, str], tuple[Status, str]]:
        return {
            (f.rule, f.subject.id, str(f.period)): (f.status, f.message)
            for f in run(ledger, period, as_of=as_of, only=DUES)
            if f.subject.kind == "member"
        }

    assert verdicts(twice) == verdicts(led)
    # and every regular copy is reported, as a warning naming it
    warned = {
        e
        for f in run(twice, period, as_of=as_of, only=["dues.monthly"])
        if f.subject.kind == "payment"
        for e in f.evidence
    }
    for f in run(twice, period, as_of=as_of, only=["dues.monthly"]):
        if f.subject.kind == "payment":
            assert f.severity is Severity.WARNING and f.status is Status.FAILED
    judged = {
        (f.subject.id, str(f.period))
        for f in run(led, period, as_of=as_of, only=["dues.monthly"])
        if f.subject.kind == "member" and f.status is not Status.UNKNOWN
    }
    for p in led.dues_payments:
        if not p.voluntary and (p.member, str(p.month)) in judged:
            assert {p.id, f"copy-{p.id}"} <= warned, p


@SETTINGS
@given(small_ledgers(), st.sampled_from(PERIODS), AS_OF)
def test_one_talk_finding_per_branch_and_year(led: Ledger, period: str, as_of: dt.date) -> None:
    found = run(led, period, as_of=as_of, only=["branch.heart_talk"])
    keys = [(f.subject.kind, f.subject.id, str(f.period)) for f in found]
    assert len(keys) == len(set(keys))
    assert all(kind == "branch" for kind, _, _ in keys)
    talks = {t.id: t for t in led.talks}
    for f in found:
        assert list(f.evidence) == sorted(f.evidence)
        assert f.severity is Severity.WARNING
        for t in f.evidence:
            assert t in talks
            assert talks[t].date.year == f.period.year  # type: ignore[union-attr]
        if f.status is Status.FAILED:
            assert "未见谈心谈话记录" in f.message
