"""Every valid ledger survives JSON, YAML and TOML: read back equal, written back unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    Branch,
    DuesPayment,
    ElectionDelay,
    Gender,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Month,
    OrgCategory,
    OrgLevel,
    TrainingRecord,
    dump,
    dumps,
    load,
    loads,
)
from dangjian.io import Format, to_data
from dangjian.model.provenance import RecordSource
from dangjian.testing.strategies import TRICKY_TEXTS, ledgers
from tests.builders import examples

FORMATS: list[Format] = ["json", "yaml", "toml"]
SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml"}

ROUNDTRIP = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_round_trip(ledger: Ledger, fmt: Format) -> None:
    text = dumps(ledger, fmt)
    back = loads(text, fmt)
    assert back == ledger
    # Decimal("12.50") == Decimal("12.5"): compare the plain data too, where decimals are text
    assert to_data(back) == to_data(ledger)
    assert dumps(back, fmt) == text


# Each generated ledger goes through every format: making a ledger costs more than a round trip.
@ROUNDTRIP
@given(ledger=ledgers())
def test_text_round_trip(ledger: Ledger) -> None:
    for fmt in FORMATS:
        assert_round_trip(ledger, fmt)


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # one file, overwritten by every example
    ],
)
@given(ledger=ledgers())
def test_file_round_trip(tmp_path: Path, ledger: Ledger) -> None:
    for suffix in sorted(SUFFIXES):
        path = tmp_path / f"台账{suffix}"
        dump(ledger, path)
        assert load(path) == ledger
        text = path.read_text(encoding="utf-8")
        assert text == dumps(ledger, SUFFIXES[suffix])  # type: ignore[arg-type]
        dump(load(path), path)
        assert path.read_text(encoding="utf-8") == text


def _quirky_ledger() -> Ledger:
    """Every text that a YAML or TOML reader might take for something else, in one ledger."""
    approvals = tuple(  # an approval a day, from 29 February 2020
        ElectionDelay(
            approved_on=dt.date(2020, 2, 29) + dt.timedelta(days=i),
            approved_by=text,
            election_date=dt.date(2021, 2, 28),
            note=TRICKY_TEXTS[-i - 1],
        )
        for i, text in enumerate(TRICKY_TEXTS)
    )
    branch = Branch(
        id="b",
        name="支部",
        level=OrgLevel.BRANCH,
        category=OrgCategory.ORGAN,
        last_election=dt.date(2017, 2, 28),
        election_delays=approvals,
    )
    members = tuple(
        Member(
            id=text,
            name=text,
            gender=Gender.FEMALE,
            branch="b",
            status=MemberStatus.FULL,
            note=text + "\n" if i % 2 else " " + text,
        )
        for i, text in enumerate(TRICKY_TEXTS)
    )
    meetings = tuple(
        Meeting(
            id=f"{i:03d}",
            kind=MeetingKind.THEME_DAY,
            branch="b",
            date=dt.date(2020, 1, 1),
            start=start,
            end=end,
            title=TRICKY_TEXTS[i],
            actions=(TRICKY_TEXTS[-i - 1],),
        )
        for i, (start, end) in enumerate(
            [
                (dt.time(9, 0), dt.time(10, 30)),
                (dt.time(0, 0), dt.time(0, 0, 1)),
                (dt.time(8, 5, 9), dt.time(23, 59, 59)),
            ]
        )
    )
    amounts = ("0", "0.00", "0E+2", "12.50", "1E+3", "0.001", "100", "1.2E+4", "123456789.123")
    dues = tuple(
        DuesPayment(id=f"d{i}", member="null", month=Month(2020, 9), amount=Decimal(a))
        for i, a in enumerate(amounts)
    )
    training = TrainingRecord(
        id="yes", member="09:00", date=dt.date(2020, 2, 29), hours=Decimal("0.5"), course="0123"
    )
    return Ledger(
        name="null",
        branches=(branch,),
        members=members,
        meetings=meetings,
        dues_payments=dues,
        trainings=(training,),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_quirky_values_round_trip(fmt: Format) -> None:
    ledger = _quirky_ledger()
    assert ledger.problems() == []
    assert_round_trip(ledger, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_decimal_exponents_are_kept(fmt: Format) -> None:
    ledger = _quirky_ledger()
    back = loads(dumps(ledger, fmt), fmt)
    assert [str(d.amount) for d in back.dues_payments] == [
        str(d.amount) for d in ledger.dues_payments
    ]
    assert [t.isoformat() for m in back.meetings for t in (m.start, m.end) if t] == [
        "09:00:00",
        "10:30:00",
        "00:00:00",
        "00:00:01",
        "08:05:09",
        "23:59:59",
    ]


@st.composite
def merged_ledgers(draw: st.DrawFn) -> Ledger:
    """A generated ledger with record sources, as ``dangjian merge`` makes: each record from one
    file or more, files named with the texts a reader might take for something else."""
    ledger = draw(ledgers())
    names = draw(
        st.lists(
            st.sampled_from(["第一支部.xlsx", *TRICKY_TEXTS]), min_size=1, max_size=3, unique=True
        )
    )
    sources = []
    for name in names:
        for kind, records in ledger.records():
            ids = [r.id for r in records if draw(st.booleans())]
            if ids:
                sources.append(RecordSource(file=name, collection=kind.field, ids=tuple(ids)))
    return attrs.evolve(ledger, sources=tuple(sources))


@ROUNDTRIP
@given(ledger=merged_ledgers())
def test_the_record_sources_round_trip(ledger: Ledger) -> None:
    assert ledger.problems() == []
    for fmt in FORMATS:
        assert_round_trip(ledger, fmt)


@settings(
    max_examples=examples(5),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # one file, overwritten by every example
    ],
)
@given(ledger=merged_ledgers())
def test_the_record_sources_round_trip_through_a_workbook(tmp_path: Path, ledger: Ledger) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "合并.xlsx"
    dump(ledger, path)
    assert load(path) == ledger
