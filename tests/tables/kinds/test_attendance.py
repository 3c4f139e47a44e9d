"""The ``attendance`` kind over tables: the boundary cases of the object kind's tests
(tests/rules/test_attendance_rules.py), judged by the table engine with the statuses the rules
call for and every finding equal to the object engine's; and generated runs of meetings with
absences, with and without leave, judged alike."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    Absence,
    AbsenceReason,
    Ledger,
    Meeting,
    MeetingKind,
    MemberStatus,
    PartyGroup,
)
from tests.builders import examples
from tests.builders.dues import branch, member
from tests.builders.tables import same_findings
from tests.rules.test_attendance_rules import CASES, Case

pytest.importorskip("ibis")

_RULES = ["attend.general_meeting", "attend.group_meeting"]
GENERAL = MeetingKind.GENERAL_MEETING
GROUP = MeetingKind.GROUP_MEETING


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_cases(case: Case) -> None:
    from dangjian.tables.engine import evaluate
    from tests.builders.tables import on_duckdb

    assert same_findings(
        case.ledger, case.period, as_of=case.as_of, profile="national", only=[case.rule]
    ) == (Counter(), Counter())
    con, tables = on_duckdb(case.ledger)
    found: dict[str, str] = {}
    for f in evaluate(
        con, tables, case.period, as_of=case.as_of, profile="national", only=[case.rule]
    ):
        assert f.subject.id not in found
        found[f.subject.id] = f.status.code
    assert found == case.expected


_DAYS = [dt.date(2019 + (10 + i) // 12, (10 + i) % 12 + 1, 15) for i in range(16)]
"""The 15th of each month from November 2019 to February 2021."""


@st.composite
def attendance_ledgers(draw: st.DrawFn) -> Ledger:
    """One branch with two party groups, up to four people (some joining or leaving on the way,
    one maybe with no group, some staying away) and up to fourteen meetings, general or of either
    group (their runs are counted among the meetings of the member's own group), on days that may
    repeat: each member present, absent with a reason (请假, 病假, 出差, 其他, 无故缺席) or without one,
    or left off the list of those expected; some meetings record only numbers, or nobody."""
    people = []
    for i in range(draw(st.integers(1, 4))):
        stage = draw(st.sampled_from(["full"] * 3 + ["joined", "left", "admitted", "undated"]))
        if stage == "joined":
            m = member(f"p{i}", joined=draw(st.sampled_from(_DAYS)))
        elif stage == "left":
            m = member(
                f"p{i}", status=MemberStatus.TRANSFERRED_OUT, left=draw(st.sampled_from(_DAYS))
            )
        elif stage == "admitted":
            m = member(
                f"p{i}",
                status=MemberStatus.PROBATIONARY,
                applied=dt.date(2017, 1, 1),
                activist=dt.date(2017, 6, 1),
                candidate=dt.date(2018, 6, 1),
                admitted=draw(st.sampled_from(_DAYS)),
            )
        elif stage == "undated":
            m = member(f"p{i}", status=MemberStatus.TRANSFERRED_OUT)
        else:
            m = member(f"p{i}")
        people.append(attrs.evolve(m, group=draw(st.sampled_from(["g1", "g1", "g2", None]))))
    ids = [p.id for p in people]
    # some members stay away (never named present): the runs the rule is about
    regular = [i for i in ids if not draw(st.booleans())]
    meetings = []
    kinds = draw(st.sampled_from([(GENERAL,), (GROUP,), (GENERAL, GROUP)]))
    for j in range(draw(st.integers(0, 14) | st.integers(8, 14))):
        kind = draw(st.sampled_from(kinds))
        record = draw(st.sampled_from(["names"] * 6 + ["counts", "nobody"]))
        attended: tuple[str, ...] = ()
        if record == "names":
            attended = (
                tuple(draw(st.lists(st.sampled_from(regular), unique=True))) if regular else ()
            )
            if not attended:
                record = "nobody"
        rest = [i for i in ids if i not in attended]
        absent = draw(st.lists(st.sampled_from(rest), unique=True, max_size=2)) if rest else []
        expected: tuple[str, ...] = ()
        if attended and draw(st.integers(0, 3)) == 0:
            extra = draw(st.lists(st.sampled_from(rest), unique=True)) if rest else []
            expected = (*attended, *extra)
        meetings.append(
            Meeting(
                id=f"mt{j}",
                kind=kind,
                branch="b1",
                group=draw(st.sampled_from(["g1", "g1", "g2"])) if kind is GROUP else None,
                date=draw(st.sampled_from(_DAYS)),
                attended=attended,
                expected=expected,
                absences=tuple(
                    Absence(member=i, reason=draw(st.sampled_from(list(AbsenceReason))))
                    for i in absent
                ),
                expected_count=5 if record == "counts" else None,
                present_count={"counts": 3, "nobody": 0}.get(record),
            )
        )
    return Ledger(
        name="测试台账",
        branches=(branch("b1"),),
        groups=(
            PartyGroup(id="g1", name="第一党小组", branch="b1"),
            PartyGroup(id="g2", name="第二党小组", branch="b1"),
        ),
        members=tuple(people),
        meetings=tuple(meetings),
    )


@given(
    led=attendance_ledgers(),
    period=st.sampled_from(["2020", "2021", "2020H2", "2021Q1", "2020-06"]),
    as_of=st.dates(dt.date(2020, 3, 1), dt.date(2021, 12, 31)),
)
@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_runs_of_meetings_are_judged_alike(
    led: Ledger, period: str, as_of: dt.date
) -> None:
    assert led.problems() == []
    objects, rows = same_findings(led, period, as_of=as_of, profile="national", only=_RULES)
    assert not objects and not rows, f"only objects: {objects}\nonly tables: {rows}"


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2**31 - 1), st.integers(0, 2**32 - 1)),
        min_size=1,
        max_size=20,
        unique=True,
    )
)
def test_pair_key_tells_every_pair_apart(pairs: list[tuple[int, int]]) -> None:
    """The one number a meeting's and a member's numbers are matched on (a meeting's below
    2**31, a member's below 2**32) differs for every two pairs, as computed on the backend."""
    import ibis

    from dangjian.tables.kinds.attendance import _pair_key

    con = ibis.duckdb.connect()
    t = ibis.memtable(
        {"m": [m for m, _ in pairs], "k": [k for _, k in pairs]},
        schema={"m": "int64", "k": "int64"},
    )
    keys = con.to_pyarrow(t.select(key=_pair_key(t.m, t.k))).column("key").to_pylist()
    assert len(set(keys)) == len(pairs)
    assert keys == [m * 2**32 + k for m, k in pairs]
