"""Properties of verdicts without evidence and of the order of records:

- on ledgers whose attendance is recorded by count only, no attendance-based rule (lapsing,
  consecutive absences) fails any member;
- shuffling every collection of a ledger gives the same report, byte for byte, in every output
  format and language.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    RECORD_KINDS,
    Ledger,
    Meeting,
    MeetingKind,
    Month,
    Status,
    check,
    load_rules,
)
from dangjian.testing.strategies import ledgers as generated_ledgers
from tests.builders import examples
from tests.builders.dues import D
from tests.rules.test_check_properties import AS_OF, PERIODS, small_ledgers

SETTINGS = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FORMATS = ("text", "json", "markdown", "csv", "junit")


def _attendance_rules(profile: str) -> set[str]:
    """The rules that judge a member's attendance: lapsing for want of organisational life, and
    consecutive absences without leave."""
    return {
        r.id
        for r in load_rules(profile)
        if (r.kind == "lapse" and any(v.params.measure == "org_life" for v in r.versions))
        or r.kind == "attendance"
    }


def by_count(m: Meeting) -> Meeting:
    """The meeting as minutes that give only the numbers: 应到 and 实到, no names."""
    present = max(1, m.number_present or 0)
    expected = max(present, m.number_expected or 0)
    return attrs.evolve(
        m, attended=(), expected=(), absences=(), expected_count=expected, present_count=present
    )


def counted_only(led: Ledger) -> Ledger:
    """``led`` with every meeting recorded by count only."""
    return attrs.evolve(led, meetings=tuple(by_count(m) for m in led.meetings))


MONTHS = [Month(y, m) for y in range(2018, 2022) for m in range(1, 13)]


def held_by_count(led: Ledger) -> Ledger:
    """``led`` with every meeting recorded by count only, and a themed party day recorded by
    count in every month each organisation existed (2018 to 2021): a branch that held its
    organisational life and kept the minutes as numbers, the case of the issue."""
    extra = [
        Meeting(
            id=f"counted-{b.id}-{month}",
            kind=MeetingKind.THEME_DAY,
            branch=b.id,
            date=day,
            expected_count=10,
            present_count=9,
        )
        for b in led.branches
        for month in MONTHS
        if (day := month.first_day.replace(day=15))
        and (b.founded is None or b.founded <= day)
        and (b.dissolved is None or day <= b.dissolved)
    ]
    counted = counted_only(led)
    return attrs.evolve(counted, meetings=(*counted.meetings, *extra))


def test_the_attendance_rules_are_found() -> None:
    assert _attendance_rules("national") == {
        "charter.lapse_org_life",
        "attend.general_meeting",
        "attend.group_meeting",
    }


@SETTINGS
@given(
    st.one_of(small_ledgers(), generated_ledgers(max_members=5, max_records=4)),
    st.sampled_from(PERIODS),
    AS_OF,
    st.sampled_from(("national", "organ")),
)
def test_attendance_by_count_never_fails_a_member(
    led: Ledger, period: str, as_of: dt.date, profile: str
) -> None:
    counted = held_by_count(led)
    assert counted.problems() == []
    rules = _attendance_rules(profile)
    report = check(counted, period, as_of=as_of, profile=profile, only=sorted(rules))
    for f in report:
        assert not (f.status is Status.FAILED and f.subject.kind == "member"), f


def test_attendance_by_count_is_unknown_where_names_would_fail() -> None:
    """The property above is not vacuous: members the named records fail are, by count,
    members the records cannot judge."""
    seen: list[str] = []

    @settings(max_examples=examples(60), deadline=None, database=None)
    @given(small_ledgers())
    def collect(led: Ledger) -> None:
        only = ["charter.lapse_org_life"]
        named = check(led, "2020", as_of=D(2021, 1, 15), only=only)
        counted = check(held_by_count(led), "2020", as_of=D(2021, 1, 15), only=only)
        by_subject = {f.subject.id: f.status.code for f in counted}
        seen.extend(by_subject[f.subject.id] for f in named.failed)

    collect()
    assert seen
    assert set(seen) == {"unknown"}


def shuffled(led: Ledger, rnd: random.Random) -> Ledger:
    """``led`` with every collection in another order."""
    fields: dict[str, Any] = {}
    for kind in RECORD_KINDS:
        items = list(getattr(led, kind.field))
        rnd.shuffle(items)
        fields[kind.field] = tuple(items)
    return attrs.evolve(led, **fields)


@SETTINGS
@given(
    st.one_of(small_ledgers(consistent_bases=False), generated_ledgers(max_members=5)),
    st.randoms(use_true_random=False),
    st.sampled_from(PERIODS),
    AS_OF,
    st.sampled_from(("national", "organ")),
)
def test_reports_are_the_same_whatever_the_order_of_records(
    led: Ledger, rnd: random.Random, period: str, as_of: dt.date, profile: str
) -> None:
    first = check(led, period, as_of=as_of, profile=profile)
    second = check(shuffled(led, rnd), period, as_of=as_of, profile=profile)
    assert first.findings == second.findings
    for fmt in FORMATS:
        for lang in ("zh", "en"):
            assert first.render(fmt, lang) == second.render(fmt, lang), (fmt, lang)  # type: ignore[arg-type]
