"""The lapse kind's runs over tables, without a table of members × months: the whole months of
a membership span by month arithmetic (``_bounds``) and the longest run from the months that
break it as bits (``_longest``), each checked against the object engine's meaning on many
generated cases at once; and boundary cases judged whole by both engines."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dangjian import Ledger, MemberStatus
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.kinds.dues import LapseParams, _longest_run
from tests.builders.dues import D, branch, ledger, meeting, member, payment
from tests.builders.tables import same_findings
from tests.tables.kinds.test_dues import LATER, judged

ibis = pytest.importorskip("ibis")

_FIRST = Period.containing(dt.date(2019, 1, 1), PeriodUnit.MONTH)


def _months(n: int, first: Period = _FIRST) -> list[Period]:
    months = [first]
    while len(months) < n:
        months.append(months[-1].next())
    return months[:n]


def _rows(expr: Any) -> list[dict[str, Any]]:
    con = ibis.duckdb.connect()
    return list(con.to_pyarrow(expr).to_pylist())


# -- the runs ----------------------------------------------------------------------------------

_case = st.tuples(
    st.integers(-2, 72),  # lo
    st.integers(-2, 72),  # hi
    st.sets(st.integers(0, 71), max_size=30),  # the months that break a run
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_months=st.one_of(st.integers(1, 20), st.sampled_from([51, 52, 53, 60])),
    need=st.integers(1, 8),
    since=st.integers(0, 72),
    cases=st.lists(_case, min_size=1, max_size=25),
)
@example(n_months=17, need=6, since=5, cases=[(0, 16, {4, 11}), (0, 16, {5, 12}), (6, 10, set())])
@example(n_months=53, need=3, since=0, cases=[(0, 52, {51}), (50, 52, set()), (0, 52, set())])
def test_the_longest_run_is_the_object_engines(
    n_months: int, need: int, since: int, cases: list[tuple[int, int, set[int]]]
) -> None:
    """``_longest`` (the first of the longest run of at least ``need`` months within ``lo`` to
    ``hi``, without a month that breaks it, ending at ``since`` or later) is
    :func:`~dangjian.rules.kinds.dues._longest_run` over the same months, with the words of
    bits split at 52 months."""
    from dangjian.tables.kinds.dues import _WORD, _longest, _run_of

    since = min(since, n_months)
    months = _months(n_months)
    words = (n_months + _WORD - 1) // _WORD
    data: dict[str, list[int]] = {"lo": [], "hi": [], **{f"w{w}": [] for w in range(words)}}
    for lo, hi, breaks in cases:
        data["lo"].append(lo)
        data["hi"].append(hi)
        for w in range(words):
            bits = sum(1 << (i - w * _WORD) for i in breaks if w * _WORD <= i < (w + 1) * _WORD)
            data[f"w{w}"].append(bits)
    t = ibis.memtable(data, schema={k: "int64" for k in data})
    p = LapseParams(measure="dues", months=need)
    code = _longest(t.lo, t.hi, [t[f"w{w}"] for w in range(words)], p, n_months, since)
    t = t.mutate(code=code)
    first, n = _run_of(t.code, n_months)
    got = [(r["first"], r["n"]) for r in _rows(t.select(first=first, n=n))]
    day = months[since].start if since < n_months else months[-1].end + dt.timedelta(days=1)
    expected = []
    for lo, hi, breaks in cases:
        states: list[Any] = [
            None if not lo <= i <= hi else (x, "attended" if i in breaks else "absent", [])
            for i, x in enumerate(months)
        ]
        run = _longest_run(states, p, day, allow=("absent",))
        expected.append((months.index(run[0][0]), len(run)) if run else (None, None))
    assert got == expected


# -- the whole months of a span ------------------------------------------------------------------

_day = st.one_of(st.none(), st.dates(dt.date(2018, 10, 1), dt.date(2021, 3, 31)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_months=st.integers(0, 20),
    first=st.dates(dt.date(2019, 1, 1), dt.date(2020, 6, 30)),
    spans=st.lists(st.tuples(_day, _day), min_size=1, max_size=30),
)
@example(
    n_months=12,
    first=dt.date(2020, 1, 1),
    spans=[
        (D(2020, 3, 1), D(2020, 8, 31)),  # whole months at both ends
        (D(2020, 3, 2), D(2020, 8, 30)),  # a day short at both ends
        (D(2020, 3, 31), D(2020, 4, 1)),  # no whole month, but the end of March
        (D(2020, 3, 2), D(2020, 3, 30)),  # not a member on the last day of a month
        (D(2019, 12, 31), None),
        (None, D(2019, 12, 31)),
        (D(2021, 1, 1), None),
        (D(2020, 2, 29), D(2020, 2, 29)),
    ],
)
def test_the_whole_months_of_a_span_are_the_object_engines(
    n_months: int, first: dt.date, spans: list[tuple[dt.date | None, dt.date | None]]
) -> None:
    """``_bounds``: the months a span covers whole are those from ``lo`` to ``hi``, as
    :func:`~dangjian.rules.kinds.dues._months_of` has them, and ``y_any`` whether the span
    holds the last day of some month (``Context.within``)."""
    from dangjian.tables.kinds.dues import _bounds

    months = _months(n_months, Period.containing(first, PeriodUnit.MONTH))
    t = ibis.memtable(
        {"span_start": [s for s, _ in spans], "span_end": [e for _, e in spans]},
        schema={"span_start": "date", "span_end": "date"},
    )
    got = _rows(t.select(**_bounds(t, months)))
    for (start, end), row in zip(spans, got, strict=True):
        since, until = start or dt.date.min, end or dt.date.max
        whole = {i for i, x in enumerate(months) if not (x.start < since or x.end > until)}
        assert set(range(row["lo"], row["hi"] + 1)) == whole
        assert row["y_any"] == any(since <= x.end <= until for x in months)


# -- boundary cases, judged whole by both engines ----------------------------------------------


def _paid(who: str, months: Sequence[str]) -> list[object]:
    return [payment(who, m, "30.00") for m in months]


_YEAR_2019 = [f"2019-{n:02d}" for n in range(1, 13)]


@pytest.mark.parametrize(
    ("joined", "left", "paid", "status"),
    [
        # the period 2020H1 judges runs ending January 2020 or later, back to August 2019
        (None, None, _YEAR_2019[:7], "failed"),  # August to June: eleven months
        (None, None, [*_YEAR_2019[:7], "2019-09"], "failed"),  # October to June
        (None, None, [*_YEAR_2019, "2020-06"], "passed"),  # January to May: five
        (None, None, [*_YEAR_2019[:7], "2020-01"], "passed"),  # August to December ends before
        (None, None, [*_YEAR_2019[:7], "2020-02"], "failed"),  # August to January: six
        (D(2019, 12, 1), None, ["2020-06"], "failed"),  # December to May: six whole months
        (D(2019, 12, 2), None, ["2020-06"], "passed"),  # January to May: December not whole
        (D(2020, 1, 1), None, [], "failed"),  # January to June
        (D(2020, 1, 2), None, [], "passed"),  # February to June: five
        (None, D(2020, 2, 1), _YEAR_2019[:7], "failed"),  # August to January: six
        (None, D(2020, 1, 31), _YEAR_2019[:7], "passed"),  # August to December ends before
        (None, D(2020, 2, 1), _YEAR_2019[:8], "passed"),  # September to January: five
    ],
)
def test_lapse_at_the_edges_of_the_period_and_of_membership(
    joined: dt.date | None, left: dt.date | None, paid: list[str], status: str
) -> None:
    m1 = (
        member("m1", admitted=joined, status=MemberStatus.PROBATIONARY)
        if joined is not None
        else member("m1")
    )
    if left is not None:
        m1 = member("m1", status=MemberStatus.TRANSFERRED_OUT, left=left)
    led = ledger(
        members=[m1, member("m2")],
        dues_payments=[*_paid("m1", paid), *_paid("m2", _YEAR_2019)],
    )
    found = judged(led, "2020H1", only=["charter.lapse_dues"])
    assert found[("m1", "2020H1")][0] == status


# -- on the other backends ---------------------------------------------------------------------


def _edges() -> Ledger:
    """Runs of both measures at the edges: N months, N-1 by a day of membership, a member who
    left, an organisation that keeps no payments, a month known only by a count."""
    counted = attrs.evolve(meeting(D(2020, 3, 2), [], id="counted"), present_count=7)
    return ledger(
        branches=[branch("b1"), branch("b2")],
        members=[
            member("m1"),
            member("m2"),
            member("new", admitted=D(2019, 12, 2), status=MemberStatus.PROBATIONARY),
            member("gone", status=MemberStatus.TRANSFERRED_OUT, left=D(2020, 2, 1)),
            member("far", branch="b2"),
        ],
        dues_payments=[
            *_paid("m1", _YEAR_2019[:7]),
            *_paid("m2", _YEAR_2019),
            *_paid("new", ["2020-06"]),
        ],
        meetings=[
            meeting(D(2019, 8, 10), ["m2", "far"], id="aug"),
            meeting(D(2020, 1, 10), ["m2"], id="jan"),
            meeting(D(2020, 6, 10), ["m1", "m2"], id="jun"),
            counted,
        ],
    )


_LAPSE = ["charter.lapse_dues", "charter.lapse_org_life"]


def test_lapse_on_duckdb_at_the_edges() -> None:
    assert same_findings(_edges(), "2020H1", as_of=LATER, profile="national", only=_LAPSE) == (
        Counter(),
        Counter(),
    )


def test_lapse_on_postgresql(postgres_url: str) -> None:
    from dangjian.tables import backends

    con = backends.connect(postgres_url)
    con.raw_sql("CREATE SCHEMA IF NOT EXISTS lapse")
    con.raw_sql("SET search_path TO lapse")
    found = same_findings(_edges(), "2020H1", as_of=LATER, profile="national", only=_LAPSE, on=con)
    assert found == (Counter(), Counter())


def test_lapse_on_spark(spark: Any) -> None:
    try:
        found = same_findings(
            _edges(), "2020H1", as_of=LATER, profile="national", only=_LAPSE, on=spark
        )
        assert found == (Counter(), Counter())
    finally:  # the session is shared by the process's tests: leave no table of the layout behind
        from dangjian.tables import tables

        for t in tables():
            spark.sql(f"DROP VIEW IF EXISTS `{t.name}`")
