"""The child table ``meetings.also`` (the other kinds a meeting also served as) in Arrow,
Parquet and a backend's tables; and sources made before it, which have no such table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import attrs
import pyarrow as pa
import pytest

from dangjian import Ledger, LedgerError, MeetingKind, dumps
from dangjian.io import to_data
from dangjian.tables import parquet
from dangjian.tables.arrow import from_arrow, to_arrow
from dangjian.tables.schema import LATER_TABLES, table

pytest.importorskip("ibis")

GM = MeetingKind.GENERAL_MEETING
LECTURE = MeetingKind.PARTY_LECTURE
THEME = MeetingKind.THEME_DAY


@pytest.fixture
def combined(make_ledger: Callable[..., Ledger]) -> Ledger:
    led = make_ledger()
    first = attrs.evolve(led.meetings[0], kind=THEME, also=(GM, LECTURE))
    return attrs.evolve(led, meetings=(first, *led.meetings[1:]))


def test_the_layout_has_the_child_table() -> None:
    also = table("meetings.also")
    assert also.parent == "meetings"
    assert [c.name for c in also.columns] == ["meeting", "index", "also"]
    assert also.column("also").type is MeetingKind
    assert {"meetings.also"} == LATER_TABLES


def test_arrow_holds_a_row_per_other_kind(combined: Ledger) -> None:
    tables = to_arrow(combined)
    assert tables["meetings.also"].to_pylist() == [
        {"meeting": combined.meetings[0].id, "index": 0, "also": "general_meeting"},
        {"meeting": combined.meetings[0].id, "index": 1, "also": "party_lecture"},
    ]
    back = from_arrow(tables)
    assert back == combined
    assert to_data(back) == to_data(combined)
    assert dumps(back, "json") == dumps(combined, "json")


def test_tables_made_before_it_read_as_no_other_kinds(make_ledger: Callable[..., Ledger]) -> None:
    led = make_ledger()
    tables = to_arrow(led)
    del tables["meetings.also"]
    assert from_arrow(tables) == led


def test_a_meetings_own_kind_among_its_other_kinds_is_refused_at_its_row(
    combined: Ledger,
) -> None:
    tables = to_arrow(combined)
    also = tables["meetings.also"]
    codes = also.column("also").to_pylist()
    codes[1] = "theme_day"
    tables["meetings.also"] = also.set_column(
        also.schema.get_field_index("also"), "also", pa.array(codes, pa.string())
    )
    with pytest.raises(LedgerError) as caught:
        from_arrow(tables)
    [problem] = caught.value.problems
    assert problem.path == "meetings.also[1].also"
    assert "已是会议类型" in problem.message


def test_parquet_round_trip_and_an_export_made_before(combined: Ledger, tmp_path: Path) -> None:
    parquet.export(combined, tmp_path / "new")
    assert parquet.load(tmp_path / "new") == combined
    before = attrs.evolve(combined, meetings=(attrs.evolve(combined.meetings[0], also=()),))
    before = attrs.evolve(before, meetings=(*before.meetings, *combined.meetings[1:]))
    parquet.export(before, tmp_path / "old")
    (tmp_path / "old" / "meetings.also.parquet").unlink()
    assert parquet.load(tmp_path / "old") == before


def test_a_backend_without_the_table_has_a_notice_and_no_other_kinds(
    combined: Ledger,
) -> None:
    import ibis

    from dangjian.tables.backends import create_tables, record_tables

    con = ibis.duckdb.connect()
    data = to_arrow(combined)
    del data["meetings.also"]
    create_tables(con, data)
    found = record_tables(con)
    assert found["meetings.also"].count().execute() == 0
    [notice] = [n for n in found.notices if n.path == "meetings.also"]
    assert notice.code == "absent_table"
    assert "后来增加的子表" in notice.message
    assert "meetings.also" not in found.absent
    # a child table that was always in the layout is still required
    con = ibis.duckdb.connect()
    data = to_arrow(combined)
    del data["meetings.attended"]
    create_tables(con, data)
    with pytest.raises(LedgerError) as caught:
        record_tables(con)
    assert [p.path for p in caught.value.problems] == ["meetings.attended"]


def test_an_old_export_is_judged_as_before(make_ledger: Callable[..., Ledger]) -> None:
    """A source without ``meetings.also`` is checked as a ledger without other kinds."""
    import ibis

    from dangjian.tables.backends import create_tables, record_tables
    from dangjian.tables.engine import evaluate

    led = make_ledger()
    con = ibis.duckdb.connect()
    data = to_arrow(led)
    del data["meetings.also"]
    create_tables(con, data)
    report = evaluate(
        con,
        dict(record_tables(con)),
        "2020",
        as_of=dt.date(2021, 1, 15),
        profile="national",
        only=["branch.congress", "branch.theme_day"],
    )
    assert len(list(report)) > 0
