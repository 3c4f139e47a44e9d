"""A ledger as Arrow tables (dangjian.tables.arrow): the types, the round trip, strict reading."""

from __future__ import annotations

import datetime as dt
import enum
import random
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import DuesPayment, Ledger, Month, ResidentId, dumps
from dangjian.errors import DangjianError, LedgerError
from dangjian.io import to_data
from dangjian.tables import tables
from dangjian.tables.arrow import (
    DECIMALS_TABLE,
    LEDGER_TABLE,
    arrow_schema,
    from_arrow,
    table_names,
    to_arrow,
)
from dangjian.testing.strategies import ledgers
from tests.builders import examples
from tests.builders.example import example_ledger

ROUND_TRIP = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Tables = dict[str, pa.Table]


def assert_same(back: Ledger, ledger: Ledger) -> None:
    assert back == ledger
    # Decimal("12.50") == Decimal("12.5"): the written form must come back too
    assert to_data(back) == to_data(ledger)
    assert dumps(back, "json") == dumps(ledger, "json")


def problems(given: Tables) -> list[tuple[str, str]]:
    with pytest.raises(LedgerError) as caught:
        from_arrow(given)
    return [(p.path, p.code) for p in caught.value.problems]


def replaced(given: Tables, name: str, column: str, values: list[Any], typ: Any = None) -> Tables:
    """``given`` with the column ``column`` of table ``name`` holding ``values``."""
    data = given[name]
    i = data.schema.get_field_index(column)
    field = data.schema.field(i)
    array = pa.array(values, type=typ or field.type)
    return {**given, name: data.set_column(i, pa.field(column, array.type), array)}


def row_of(given: Tables, name: str, column: str, value: Any) -> int:
    return given[name].column(column).to_pylist().index(value)


# -- the layout and the types ------------------------------------------------------------------

EXPECTED_TYPES: dict[Any, pa.DataType] = {
    str: pa.string(),
    ResidentId: pa.string(),
    int: pa.int64(),
    bool: pa.bool_(),
    Decimal: pa.decimal128(18, 6),
    dt.date: pa.date32(),
    Month: pa.date32(),
    dt.time: pa.time64("us"),
}


def test_every_table_has_the_columns_of_the_layout_with_the_agreed_types() -> None:
    for x in tables():
        schema = arrow_schema(x.name)
        assert schema.names == [c.name for c in x.columns]
        for c in x.columns:
            field = schema.field(c.name)
            is_enum = isinstance(c.type, type) and issubclass(c.type, enum.Enum)
            assert field.type == (pa.string() if is_enum else EXPECTED_TYPES[c.type]), c.name
            assert field.nullable == c.nullable
            if c.name in (*x.key, *x.parent_key):
                assert not field.nullable


def test_the_decimal_scale_admits_every_decimal_the_model_admits() -> None:
    from dangjian.model import _validators as v

    finest = Decimal(1).scaleb(-v.MAX_PLACES)
    admitted = [v.MAX_NUMBER, v.MAX_NUMBER - finest, finest, Decimal(0)]
    assert all(v.plain_decimal(d) for d in admitted)
    array = pa.array(admitted, type=arrow_schema("dues_payments").field("amount").type)
    assert array.to_pylist() == admitted


def test_to_arrow_gives_every_table_empty_ones_too() -> None:
    given = to_arrow(Ledger(name="空台账"))
    assert list(given) == list(table_names())
    assert all(given[n].num_rows == 0 for n in table_names() if n != LEDGER_TABLE)
    assert given[LEDGER_TABLE].to_pylist() == [{"name": "空台账", "version": 1}]
    for name, data in given.items():
        assert data.schema == arrow_schema(name)
    assert_same(from_arrow(given), Ledger(name="空台账"))


def test_values_are_written_as_agreed(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger()
    given = to_arrow(ledger)
    dues = given["dues_payments"].to_pylist()[0]
    assert dues["month"] == ledger.dues_payments[0].month.first_day
    members = given["members"].to_pylist()
    assert [m["gender"] for m in members] == [m.gender.value for m in ledger.members]
    with_id = [m for m in ledger.members if m.resident_id is not None]
    assert (
        with_id
        and members[ledger.members.index(with_id[0])]["resident_id"]
        == with_id[0].resident_id.reveal()
    )  # type: ignore[union-attr]


def test_child_rows_carry_their_parent_key_and_position(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger()
    given = to_arrow(ledger)
    expected = [(m.id, i, x) for m in ledger.meetings for i, x in enumerate(m.expected)]
    got = given["meetings.expected"].to_pylist()
    assert [(r["meeting"], r["index"], r["expected"]) for r in got] == expected
    visitors = given["pairings.visits.visitors"].to_pylist()
    assert visitors == [
        {"pairing": p.id, "visits_index": i, "index": j, "visitors": x}
        for p in ledger.pairings
        for i, visit in enumerate(p.visits)
        for j, x in enumerate(visit.visitors)
    ]


def test_a_single_nested_record_is_in_dotted_columns(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger()
    rows = to_arrow(ledger)["members"].to_pylist()
    for member, row in zip(ledger.members, rows, strict=True):
        assert row["milestones.admitted"] == member.milestones.admitted
        extension = member.probation_extension
        assert row["probation_extension.decided"] == (extension.decided if extension else None)


# -- round trips -------------------------------------------------------------------------------


@ROUND_TRIP
@given(ledger=ledgers())
def test_any_ledger_round_trips(ledger: Ledger) -> None:
    assert_same(from_arrow(to_arrow(ledger)), ledger)


def test_the_example_round_trips() -> None:
    ledger = example_ledger()
    assert_same(from_arrow(to_arrow(ledger)), ledger)


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(), seed=st.integers(0, 2**32 - 1))
def test_child_rows_may_come_in_any_order_and_with_gaps(ledger: Ledger, seed: int) -> None:
    shuffle = random.Random(seed)
    given = to_arrow(ledger)
    moved: dict[str, dict[int, int]] = {}
    for x in tables():
        if x.parent is None or not given[x.name].num_rows:
            continue
        data = given[x.name]
        # positions spread out (0, 3, 6 …): only their order counts; a grandchild's parent
        # position with them
        for column in (*x.parent_key[1:], "index"):
            i = data.schema.get_field_index(column)
            data = data.set_column(i, column, pa.compute.multiply(data.column(column), 3))
        order = list(range(data.num_rows))
        shuffle.shuffle(order)
        given[x.name] = data.take(order)
        moved[x.name] = {old: new for new, old in enumerate(order)}
    # the written form of decimals names rows by position: it follows them
    listed = given[DECIMALS_TABLE].to_pylist()
    for r in listed:
        r["row_index"] = moved.get(r["table_name"], {}).get(r["row_index"], r["row_index"])
    given[DECIMALS_TABLE] = pa.Table.from_pylist(listed, schema=arrow_schema(DECIMALS_TABLE))
    assert_same(from_arrow(given), ledger)


def _dues(*amounts: str) -> Ledger:
    from tests.builders.sample import build_ledger

    ledger = build_ledger()
    member = ledger.members[0].id
    dues = tuple(
        DuesPayment(id=f"d{i}", member=member, month=Month(2020, 1), amount=Decimal(a))
        for i, a in enumerate(amounts)
    )
    return attrs.evolve(ledger, dues_payments=dues)


WRITTEN = ("12.50", "0.00", "0E+2", "1E+3", "1000", "0.001", "12.5", "0", "999999999.999999")


def test_the_written_form_of_decimals_is_kept() -> None:
    ledger = _dues(*WRITTEN)
    given = to_arrow(ledger)
    back = from_arrow(given)
    assert [str(d.amount) for d in back.dues_payments] == list(WRITTEN)
    # only the values not in their shortest plain form are listed
    listed = given[DECIMALS_TABLE].to_pylist()
    assert {(r["column_name"], r["row_index"], r["exponent"]) for r in listed} >= {
        ("amount", 0, -2),
        ("amount", 1, -2),
        ("amount", 2, 2),
        ("amount", 3, 3),
    }
    assert not {r["row_index"] for r in listed if r["table_name"] == "dues_payments"} & {4, 5, 6, 7}


def test_without_the_decimals_table_values_come_in_their_shortest_form() -> None:
    given = to_arrow(_dues(*WRITTEN))
    del given[DECIMALS_TABLE]
    back = from_arrow(given)
    assert [str(d.amount) for d in back.dues_payments] == [
        "12.5",
        "0",
        "0",
        "1000",
        "1000",
        "0.001",
        "12.5",
        "0",
        "999999999.999999",
    ]
    assert [d.amount for d in back.dues_payments] == [Decimal(a) for a in WRITTEN]


def test_a_platforms_types_are_read_when_they_lose_nothing() -> None:
    ledger = _dues("12.50", "3")
    given = to_arrow(ledger)
    del given[DECIMALS_TABLE]
    given = replaced(
        given, "dues_payments", "amount", [Decimal("12.50"), Decimal("3.00")], pa.decimal128(10, 2)
    )
    given = replaced(given, "members", "name", [m.name for m in ledger.members], pa.large_string())
    given = replaced(
        given,
        "members",
        "gender",
        [m.gender.value for m in ledger.members],
        pa.dictionary(pa.int8(), pa.string()),
    )
    given["meetings.expected"] = given["meetings.expected"].cast(
        pa.schema([("meeting", pa.string()), ("index", pa.int32()), ("expected", pa.string())])
    )
    back = from_arrow(given)
    assert back == ledger
    assert [str(d.amount) for d in back.dues_payments][-2:] == ["12.5", "3"]


# -- strict reading: each kind of problem at its place -----------------------------------------


@pytest.fixture
def good(make_ledger: Callable[..., Ledger]) -> Tables:
    return to_arrow(make_ledger())


def test_a_missing_record_table(good: Tables) -> None:
    del good["members"]
    assert problems(good) == [("members", "missing_table")]


def test_a_missing_child_table(good: Tables) -> None:
    del good["meetings.attended"]
    assert problems(good) == [("meetings.attended", "missing_table")]


def test_a_missing_ledger_table(good: Tables) -> None:
    del good[LEDGER_TABLE]
    assert problems(good) == [("ledger", "missing_table")]


def test_an_unknown_table(good: Tables) -> None:
    good["member"] = good["members"]
    assert problems(good) == [("member", "unknown_table")]


def test_a_missing_column(good: Tables) -> None:
    good["members"] = good["members"].drop_columns(["name"])
    assert problems(good) == [("members[*].name", "missing_column")]


def test_extra_columns_are_listed(good: Tables) -> None:
    data = good["meetings"]
    good["meetings"] = data.append_column("房间", pa.array(["x"] * data.num_rows)).append_column(
        "floor", pa.array([1] * data.num_rows)
    )
    assert problems(good) == [
        ("meetings[*].房间", "unknown_column"),
        ("meetings[*].floor", "unknown_column"),
    ]


def test_a_column_of_the_wrong_type(good: Tables) -> None:
    births = [
        None if d is None else d.isoformat()
        for d in good["members"].column("birth_date").to_pylist()
    ]
    good = replaced(good, "members", "birth_date", births, pa.string())
    with pytest.raises(LedgerError) as caught:
        from_arrow(good)
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("members[*].birth_date", "wrong_type")
    assert "date32[day]" in problem.message and "string" in problem.message
    assert "should be of type date32[day], not string" in problem.message_en


def test_a_date_python_cannot_hold(good: Tables) -> None:
    births = pa.array([2_932_896 * 10] * good["members"].num_rows, type=pa.int32()).cast(
        pa.date32()
    )
    data = good["members"]
    i = data.schema.get_field_index("birth_date")
    good["members"] = data.set_column(i, "birth_date", births)
    assert problems(good) == [("members[*].birth_date", "unreadable")]


def test_money_as_floating_point_is_refused(good: Tables) -> None:
    amounts = [float(x) for x in good["dues_payments"].column("amount").to_pylist()]
    good = replaced(good, "dues_payments", "amount", amounts, pa.float64())
    assert problems(good) == [("dues_payments[*].amount", "wrong_type")]


def test_a_null_key(good: Tables) -> None:
    ids = good["members"].column("id").to_pylist()
    ids[1] = None
    good = replaced(good, "members", "id", ids)
    found = problems(good)
    assert found[0] == ("members[1].id", "null_key")
    assert [p for p in found if p[0] == "members[1].id"] == [("members[1].id", "null_key")]


def test_a_null_parent_key(good: Tables) -> None:
    owners = good["members.sponsors"].column("member").to_pylist()
    owners[1] = None
    good = replaced(good, "members.sponsors", "member", owners)
    assert problems(good) == [("members.sponsors[1].member", "null_key")]


def test_a_child_row_without_its_parent(good: Tables) -> None:
    owners = good["meetings.absences"].column("meeting").to_pylist()
    owners[0] = "no-such-meeting"
    good = replaced(good, "meetings.absences", "meeting", owners)
    with pytest.raises(LedgerError) as caught:
        from_arrow(good)
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("meetings.absences[0].meeting", "orphan_row")
    assert "no-such-meeting" in problem.message and "no-such-meeting" in problem.message_en


def test_a_grandchild_row_without_its_parent(good: Tables) -> None:
    positions = good["pairings.visits.donations"].column("visits_index").to_pylist()
    positions[0] = 7
    good = replaced(good, "pairings.visits.donations", "visits_index", positions)
    assert problems(good) == [("pairings.visits.donations[0].visits_index", "orphan_row")]


def test_a_repeated_position(good: Tables) -> None:
    positions = good["meetings.expected"].column("index").to_pylist()
    positions[2] = positions[1]
    good = replaced(good, "meetings.expected", "index", positions)
    assert problems(good) == [("meetings.expected[2].index", "duplicate_key")]


def test_an_unknown_enumeration_code(good: Tables) -> None:
    genders = good["members"].column("gender").to_pylist()
    genders[2] = "F"
    good = replaced(good, "members", "gender", genders)
    assert problems(good) == [("members[2].gender", "unknown_label")]


def test_an_unknown_code_in_a_child_table(good: Tables) -> None:
    reasons = good["meetings.absences"].column("reason").to_pylist()
    reasons[0] = "holiday"
    good = replaced(good, "meetings.absences", "reason", reasons)
    assert problems(good) == [("meetings.absences[0].reason", "unknown_label")]


def test_a_nested_record_with_a_required_column_empty(good: Tables) -> None:
    months = good["members"].column("probation_extension.months").to_pylist()
    months[2] = 3  # an extension of three months, with no date of the decision
    good = replaced(good, "members", "probation_extension.months", months)
    assert problems(good) == [("members[2].probation_extension.decided", "invalid_value")]


def test_a_date_the_model_refuses_in_a_nested_record(good: Tables) -> None:
    admitted = good["members"].column("milestones.admitted").to_pylist()
    admitted[0] = dt.date(1700, 1, 1)
    good = replaced(good, "members", "milestones.admitted", admitted)
    assert problems(good) == [("members[0].milestones.admitted", "invalid_value")]


def test_a_broken_reference_in_a_list_of_ids(good: Tables) -> None:
    attended = good["meetings.attended"].column("attended").to_pylist()
    attended[1] = "nobody"
    good = replaced(good, "meetings.attended", "attended", attended)
    assert ("meetings.attended[1].attended", "broken_reference") in problems(good)


def test_a_broken_reference_in_a_grandchild_table(good: Tables) -> None:
    volunteers = good["pairings.volunteer_work.volunteers"].column("volunteers").to_pylist()
    volunteers[0] = "nobody"
    good = replaced(good, "pairings.volunteer_work.volunteers", "volunteers", volunteers)
    assert problems(good) == [
        ("pairings.volunteer_work.volunteers[0].volunteers", "broken_reference")
    ]


def test_a_month_that_is_not_a_first_day(good: Tables) -> None:
    months = good["dues_payments"].column("month").to_pylist()
    months[0] = months[0] + dt.timedelta(days=3)
    good = replaced(good, "dues_payments", "month", months)
    assert problems(good) == [("dues_payments[0].month", "invalid_value")]


def test_the_ledger_table_needs_one_row(good: Tables) -> None:
    good[LEDGER_TABLE] = pa.concat_tables([good[LEDGER_TABLE]] * 2)
    assert problems(good) == [("ledger", "ledger_rows")]


def test_an_empty_ledger_name(good: Tables) -> None:
    good = replaced(good, LEDGER_TABLE, "name", [" "])
    assert problems(good) == [("ledger[0].name", "invalid_value")]


def test_a_bad_line_of_the_decimals_table(good: Tables) -> None:
    good[DECIMALS_TABLE] = pa.Table.from_pylist(
        [
            {"table_name": "members", "column_name": "name", "row_index": 0, "exponent": -2},
            {
                "table_name": "dues_payments",
                "column_name": "amount",
                "row_index": 99,
                "exponent": -2,
            },
            {"table_name": "dues_payments", "column_name": "amount", "row_index": 0, "exponent": 2},
        ],
        schema=arrow_schema(DECIMALS_TABLE),
    )
    assert problems(good) == [
        ("dues_payments[0].amount", "invalid_value"),
        ("ledger.decimals[0].column_name", "invalid_value"),
        ("ledger.decimals[1].row_index", "invalid_value"),
    ]


def test_several_problems_at_once_each_at_its_place(good: Tables) -> None:
    genders = good["members"].column("gender").to_pylist()
    genders[0] = "女"  # a Chinese label is read, as in every format
    genders[3] = "x"
    good = replaced(good, "members", "gender", genders)
    owners = good["meetings.absences"].column("meeting").to_pylist()
    owners[0] = "mt9"
    good = replaced(good, "meetings.absences", "meeting", owners)
    births = good["members"].column("birth_date").to_pylist()
    births[1] = dt.date(1700, 1, 1)
    good = replaced(good, "members", "birth_date", births)
    attendees = good["study_sessions.attendees"].column("attendees").to_pylist()
    attendees[1] = "nobody"
    good = replaced(good, "study_sessions.attendees", "attendees", attendees)
    with pytest.raises(LedgerError) as caught:
        from_arrow(good, source="platform")
    found = [(p.path, p.code) for p in caught.value.problems]
    assert found == [
        ("members[1].birth_date", "invalid_value"),
        ("members[3].gender", "unknown_label"),
        ("meetings.absences[0].meeting", "orphan_row"),
        ("study_sessions.attendees[1].attendees", "broken_reference"),
    ]
    error = caught.value
    assert error.render().startswith("platform：台账有 4 处错误")
    assert "4 problems" in error.render("en")


def test_the_layout_is_reported_before_the_values(good: Tables) -> None:
    good["members"] = good["members"].drop_columns(["name"])
    del good["talks"]
    genders = good["members"].column("gender").to_pylist()
    genders[0] = "x"
    good = replaced(good, "members", "gender", genders)
    assert problems(good) == [("members[*].name", "missing_column"), ("talks", "missing_table")]


def test_import_dangjian_imports_no_pyarrow() -> None:
    code = "import sys, dangjian, dangjian.tables; print('pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@given(value=st.decimals(min_value=0, max_value=10**9, places=None, allow_nan=False))
def test_a_decimal_is_listed_exactly_when_it_is_not_in_its_shortest_form(value: Decimal) -> None:
    from dangjian.tables import arrow

    exponent = value.as_tuple().exponent
    shortest = arrow._shortest_exponent(value)
    assert arrow._listed_exponent(value) == (None if exponent == shortest else exponent)


def test_a_value_that_arrow_cannot_hold_is_refused_at_its_place(
    make_ledger: Callable[..., Ledger],
) -> None:
    ledger = make_ledger()
    member = attrs.evolve(ledger.members[1], note="a\udfffb")
    bad = attrs.evolve(ledger, members=(ledger.members[0], member, *ledger.members[2:]))
    with pytest.raises(DangjianError) as caught:
        to_arrow(bad)
    assert caught.value.render("en").startswith(
        "members[1].note: cannot be written as an Arrow string"
    )


def _cells() -> list[tuple[str, str, bool]]:
    from tests.builders.sample import build_ledger

    given = to_arrow(build_ledger())
    return [
        (x.name, c.name, c.nullable) for x in tables() if given[x.name].num_rows for c in x.columns
    ] + [(LEDGER_TABLE, "name", False), (LEDGER_TABLE, "version", False)]


@settings(max_examples=examples(60), deadline=None)
@given(cell=st.sampled_from(_cells()), data=st.data())
def test_an_empty_cell_is_read_or_reported_at_its_place(
    make_ledger: Callable[..., Ledger], cell: tuple[str, str, bool], data: st.DataObject
) -> None:
    name, column, nullable = cell
    given = to_arrow(make_ledger())
    row = data.draw(st.integers(0, given[name].num_rows - 1), label="row")
    values = given[name].column(column).to_pylist()
    values[row] = None
    given = replaced(given, name, column, values)
    try:
        from_arrow(given)
    except LedgerError as e:
        paths = [p.path for p in e.problems]
        if not nullable:
            assert f"{name}[{row}].{column}" in paths
    else:
        assert nullable


OTHER_TYPES = [
    pa.string(),
    pa.int64(),
    pa.int8(),
    pa.float64(),
    pa.bool_(),
    pa.date32(),
    pa.timestamp("s"),
    pa.time64("us"),
    pa.decimal128(18, 6),
    pa.binary(),
    pa.list_(pa.string()),
]


@settings(max_examples=examples(60), deadline=None)
@given(cell=st.sampled_from(_cells()), typ=st.sampled_from(OTHER_TYPES))
def test_a_column_of_any_type_is_read_or_reported(
    make_ledger: Callable[..., Ledger], cell: tuple[str, str, bool], typ: pa.DataType
) -> None:
    name, column, _ = cell
    given = to_arrow(make_ledger())
    expected = given[name].schema.field(column).type
    nulls = pa.nulls(given[name].num_rows, type=typ).to_pylist()
    given = replaced(given, name, column, nulls, typ)
    same_kind = {str(typ), str(expected)} <= {"int64", "int8"} or typ == expected
    try:
        from_arrow(given)
    except LedgerError as e:
        wrong = [p for p in e.problems if p.code == "wrong_type"]
        assert bool(wrong) != same_kind
        if wrong:
            assert [p.path for p in wrong] == [f"{name}[*].{column}"]
    else:
        assert same_kind
