"""The day expressions shared by the table kinds equal the object engine's definitions: the
month of a day (``Period.containing``), whether a rule is in force, which parameters apply."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.periods import Period, PeriodUnit
from tests.builders import examples

ibis = pytest.importorskip("ibis")

from dangjian.tables.kinds._common import month_of  # noqa: E402

CON = ibis.duckdb.connect()


@given(days=st.lists(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), min_size=1, max_size=40))
@settings(max_examples=examples(20), deadline=None)
def test_month_of_a_day_is_the_month_containing_it(days: list[dt.date]) -> None:
    edges = [dt.date(2020, 2, 29), dt.date(2019, 12, 31), dt.date(9999, 12, 31), dt.date(1, 1, 1)]
    days = [*days, *edges]
    t = ibis.memtable({"day": days}, schema={"day": "date"})
    got = CON.to_pyarrow(t.select(**month_of(t.day))).to_pylist()
    for day, row in zip(days, got, strict=True):
        month = Period.containing(day, PeriodUnit.MONTH)
        assert row == {"period": str(month), "period_start": month.start, "period_end": month.end}
