"""Synthetic record tables, written straight to Parquet in the layout of ``dangjian.tables``.

:func:`generate` writes one ``<table>.parquet`` per table of :func:`dangjian.tables.tables` (every
table, empty where nothing is generated) for a year of records (2020, with some from the half
year before), made with numpy and pyarrow a chunk of organisations at a time: no Python object
per record, and memory bounded by the chunk, not by the size. The proportions per organisation
follow :mod:`synthetic` (30 members each, a twentieth of the organisations general branches
under one committee), so ``--branches 1000`` is the size of its scale 1 in organisations,
members and a year of dues (30,000 members, 360,000 payments less the months missed); the
meetings are those of one year at the density a province reports (about 54 an organisation:
2.7 million for 50,000).

The records are made so that the seven rules of the table benchmark (``reference_rules.RULES``)
have passes and failures and the cases around them: months without a committee meeting or a
themed party day, quarters without a general meeting, organisations founded or dissolved in
the year (not applicable before or after), branches whose committee has only a secretary, or
gets its members mid-year; members admitted, transferred in or out, or deceased during the
year; dues missed, paid late (back payments within six months, and later), underpaid, paid
twice, or without the base they are computed on; retirees on their own schedule; a few
branches that keep no dues at all (cannot be told). The same ``branches`` and ``seed`` give the
same files.

:func:`data_to_tables` turns the plain data of a ledger file (``synthetic.make_ledger_data``)
into the same tables, and :func:`tables_to_data` reads a directory of them back into plain data
that ``dangjian.loads`` takes, so the object path can be run on exactly the records the tables
hold.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dangjian.model import Month, ResidentId
from dangjian.tables import Column, Table, tables

__all__ = [
    "CHUNK",
    "MEMBERS_PER_BRANCH",
    "YEAR",
    "arrow_type",
    "data_to_tables",
    "empty_table",
    "expected_cents",
    "generate",
    "money",
    "schema_of",
    "tables_to_data",
    "write_ledger_json",
    "write_tables",
]

YEAR = 2020
"""The year the records are for."""

CHUNK = 2_000
"""Organisations generated at a time (fixed, so that the output does not depend on memory)."""

MEMBERS_PER_BRANCH = 30

_EPOCH = dt.date(1970, 1, 1).toordinal()
_MONTH_STARTS = np.array(
    [dt.date(YEAR, m, 1).toordinal() - _EPOCH for m in range(1, 13)]
    + [dt.date(YEAR + 1, 1, 1).toordinal() - _EPOCH],
    dtype=np.int32,
)
_CATEGORIES = ("organ", "public_institution", "state_enterprise", "community", "village")
_TOPICS = (
    "学习贯彻党的二十大精神",
    "学习《中国共产党章程》",
    "党风廉政建设专题学习",
    "主题教育专题研讨",
)
_PLACES = ("党员活动室", "三楼会议室", "一楼会议室", "党建活动中心")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"


def arrow_type(t: Any) -> pa.DataType:
    """The Arrow type of a column of Python type ``t`` (the agreed mapping)."""
    if isinstance(t, type):
        if issubclass(t, enum.Enum) or issubclass(t, str) or t is ResidentId:
            return pa.string()
        if issubclass(t, bool):
            return pa.bool_()
        if issubclass(t, int):
            return pa.int64()
        if issubclass(t, decimal.Decimal):
            return pa.decimal128(18, 2)
        if t is Month or t is dt.date:
            return pa.date32()
        if t is dt.time:
            return pa.time64("us")
    raise TypeError(f"no Arrow type for {t!r}")


def schema_of(table: Table) -> pa.Schema:
    """The Arrow schema of ``table``."""
    return pa.schema(
        [pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in table.columns]
    )


def empty_table(table: Table) -> pa.Table:
    """``table`` with no rows."""
    return schema_of(table).empty_table()


def _complete(table: Table, n: int, given: dict[str, pa.Array]) -> pa.Table:
    """A batch of ``table`` from the columns ``given``, the others empty (null)."""
    schema = schema_of(table)
    unknown = set(given) - set(schema.names)
    if unknown:
        raise KeyError(f"{table.name} has no columns {sorted(unknown)}")
    arrays = []
    for f in schema:
        a = given.get(f.name)
        arrays.append(pa.nulls(n, f.type) if a is None else a.cast(f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


# -- vectorised helpers ------------------------------------------------------------------------


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` and each number, zero-padded to ``width`` digits (``B000012``)."""
    import pyarrow.compute as pc

    digits = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _texts(choices: tuple[str, ...] | pa.Array, picks: np.ndarray) -> pa.Array:
    pool = choices if isinstance(choices, pa.Array) else pa.array(choices, pa.string())
    return pool.take(pa.array(picks, pa.int64()))


def _where(mask: np.ndarray, values: pa.Array) -> pa.Array:
    """``values`` where ``mask`` is true, null elsewhere."""
    import pyarrow.compute as pc

    return pc.if_else(pa.array(mask), values, pa.scalar(None, values.type))


def _dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Days since 1970-01-01 as date32, null where ``mask`` is true."""
    return pa.array(days.astype(np.int32), pa.date32(), mask=mask)


def money(cents: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Whole cents as decimal128(18, 2), exact; null where ``mask`` is true."""
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    validity = None
    if mask is not None and mask.any():
        validity = pa.array(~mask).buffers()[1]
    return pa.Array.from_buffers(
        pa.decimal128(18, 2), len(cents), [validity, pa.py_buffer(words.tobytes())]
    )


def _time(hour: int, minute: int, n: int) -> pa.Array:
    return pa.array(np.full(n, (hour * 60 + minute) * 60_000_000, dtype=np.int64), pa.time64("us"))


def _day(d: dt.date) -> int:
    return d.toordinal() - _EPOCH


def _names(rng: np.random.Generator, n: int) -> pa.Array:
    pool = pa.array(
        [s + g1 + g2 for s in _SURNAMES for g1 in _GIVEN for g2 in ("", *_GIVEN[:5])], pa.string()
    )
    return _texts(pool, rng.integers(0, len(pool), n))


def _rng(seed: int, chunk: int, part: int) -> np.random.Generator:
    return np.random.default_rng([seed, chunk, part])


# -- the generator -----------------------------------------------------------------------------


def _chunk(n_orgs: int, first: int, last: int, seed: int, chunk: int) -> dict[str, pa.Table]:
    """The records of organisations ``first`` … ``last - 1`` of ``n_orgs``."""
    k = last - first
    b = np.arange(first, last, dtype=np.int64)
    n_general = max(1, n_orgs // 20) if n_orgs > 1 else 0
    rng = _rng(seed, chunk, 0)

    # -- organisations
    level_code = np.where(b == 0, 0, np.where(b <= n_general, 1, 2))
    parent = np.where(b == 0, -1, np.where(b <= n_general, 0, 1 + b % max(1, n_general)))
    founded = _day(dt.date(2000, 1, 1)) + rng.integers(0, 18 * 365, k)
    dissolved = np.full(k, -1, dtype=np.int64)
    lower = level_code == 2
    # one organisation in fifty founded during the year, one in a hundred dissolved during it,
    # one in a hundred keeps no dues: by position, so that a small ledger has them too
    new = lower & (b % 50 == 7)
    founded[new] = _day(dt.date(YEAR, 1, 1)) + rng.integers(1, 330, new.sum())
    gone = lower & (b % 100 == 21)
    dissolved[gone] = _day(dt.date(YEAR, 1, 1)) + rng.integers(30, 360, gone.sum())
    last_election = _day(dt.date(2017, 1, 1)) + rng.integers(0, 3 * 365, k)
    last_election = np.maximum(last_election, founded)
    theme_day = rng.integers(1, 29, k)
    branch_id = _ids("B", b, 6)
    names = pa.array(
        [
            f"市直机关第{i + 1}党支部" if lv == 2 else f"市直机关第{i + 1}党组织"
            for i, lv in zip(b.tolist(), level_code.tolist(), strict=True)
        ]
    )
    out: dict[str, pa.Table] = {}
    out["branches"] = _complete(
        tables_by_name()["branches"],
        k,
        {
            "id": branch_id,
            "name": names,
            "level": _texts(("committee", "general_branch", "branch"), level_code),
            "category": _texts(_CATEGORIES, rng.integers(0, len(_CATEGORIES), k)),
            "parent": _where(parent >= 0, _ids("B", np.maximum(parent, 0), 6)),
            "founded": _dates(founded),
            "dissolved": _dates(dissolved, dissolved < 0),
            "last_election": _dates(last_election),
            "theme_day": pa.array(theme_day, pa.int64()),
        },
    )

    # -- members: MEMBERS_PER_BRANCH to an organisation, in blocks
    per = MEMBERS_PER_BRANCH
    n_m = k * per
    m = np.arange(first * per, last * per, dtype=np.int64)
    mb = np.repeat(np.arange(k), per)  # local organisation of each member
    slot = np.tile(np.arange(per), k)  # position in its organisation
    rng = _rng(seed, chunk, 1)
    u = rng.random(n_m)
    # status: 88 full, 5 probationary, 3 activist, 3 transferred out, 1 deceased
    status_code = np.select([u < 0.88, u < 0.93, u < 0.96, u < 0.99], [0, 1, 2, 3], default=4)
    status_code[slot < 3] = 0  # the committee's members are full members
    statuses = ("full", "probationary", "activist", "transferred_out", "deceased")
    birth = _day(dt.date(1945, 1, 1)) + rng.integers(0, 55 * 365, n_m)
    applied = birth + 18 * 365 + rng.integers(0, 20 * 365, n_m)
    applied = np.minimum(applied, _day(dt.date(2017, 6, 1)))
    admitted = applied + rng.integers(700, 1200, n_m)
    admitted = np.minimum(admitted, _day(dt.date(2018, 12, 31)))
    probationary = status_code == 1
    # probationary members admitted from the middle of the year before to the autumn: some
    # owe dues only from their month of admission
    admitted[probationary] = _day(dt.date(YEAR - 1, 7, 1)) + rng.integers(
        0, 480, probationary.sum()
    )
    applied[probationary] = admitted[probationary] - rng.integers(900, 1500, probationary.sum())
    converted = admitted + 365
    activist = status_code == 2
    first_talk = applied + 20
    activist_day = applied + 150
    candidate = admitted - 100
    left_ = status_code >= 3
    left = np.full(n_m, -1, dtype=np.int64)
    left[left_] = _day(dt.date(YEAR - 1, 6, 1)) + rng.integers(0, 720, left_.sum())
    left = np.maximum(left, np.where(left_, converted + 1, -1))
    # transferred in during the year (its organisational relation moved into this ledger)
    joined = np.full(n_m, -1, dtype=np.int64)
    moved_in = (status_code == 0) & (slot >= 3) & (rng.random(n_m) < 0.03)
    joined[moved_in] = _day(dt.date(YEAR, 1, 1)) + rng.integers(0, 360, moved_in.sum())
    dues_u = rng.random(n_m)
    dues_code = np.select([dues_u < 0.78, dues_u < 0.80, dues_u < 0.97], [0, 1, 2], default=3)
    dues_categories = ("salaried", "annual_salary", "retired", "other")
    quarterly = np.full(n_m, -1, dtype=np.int64)
    by_quarter = (dues_code == 2) & (rng.random(n_m) < 0.1)  # some retirees pay by the quarter
    quarterly[by_quarter] = _day(dt.date(YEAR - 1, 1, 1)) + rng.integers(0, 500, by_quarter.sum())
    # in the founding year nobody is a member before the organisation was founded: keep the
    # dates of the history before it, the rules bound the span by the founding day
    member_id = _ids("M", m, 8)
    groups_per = 3
    group_local = slot % groups_per
    group_id = _ids("G", (first + mb) * groups_per + group_local, 7)
    no_member = activist
    out["members"] = _complete(
        tables_by_name()["members"],
        n_m,
        {
            "id": member_id,
            "name": _names(rng, n_m),
            "gender": _texts(("male", "female"), (rng.random(n_m) < 0.4).astype(np.int64)),
            "birth_date": _dates(birth),
            "branch": branch_id.take(pa.array(mb)),
            "group": group_id,
            "status": _texts(statuses, status_code),
            "milestones.applied": _dates(applied),
            "milestones.first_talk": _dates(first_talk),
            "milestones.activist": _dates(activist_day),
            "milestones.candidate": _dates(candidate, no_member),
            "milestones.admitted": _dates(admitted, no_member),
            "milestones.converted": _dates(converted, no_member | probationary),
            "dues_category": _texts(dues_categories, dues_code),
            "dues_quarterly": _dates(quarterly, quarterly < 0),
            "leading_cadre": pa.array(slot == 0),
            "joined": _dates(joined, joined < 0),
            "left": _dates(left, left < 0),
        },
    )

    # -- committee seats: a secretary; a deputy in most; an organisation member (the seat that
    # makes a committee) in most, some only from the middle of the year
    rng = _rng(seed, chunk, 2)
    has_deputy = rng.random(k) < 0.7
    u = rng.random(k)
    seat_org = u < 0.85
    seat_late = (u >= 0.85) & (u < 0.92)
    seat_start = np.where(
        seat_late, _day(dt.date(YEAR, 1, 1)) + rng.integers(1, 330, k), last_election
    )
    rows_b, rows_i, rows_role, rows_member, rows_start = [], [], [], [], []
    for role, slot_no, have in (
        ("secretary", 0, np.ones(k, bool)),
        ("deputy_secretary", 1, has_deputy),
        ("organisation", 2, seat_org | seat_late),
    ):
        where = np.nonzero(have)[0]
        rows_b.append(where)
        rows_role.append(np.full(len(where), role))
        rows_member.append((first + where) * per + slot_no)
        rows_start.append(seat_start[where] if role == "organisation" else last_election[where])
        rows_i.append(np.full(len(where), slot_no))
    cb = np.concatenate(rows_b)
    order = np.lexsort((np.concatenate(rows_i), cb))
    cb = cb[order]
    index = _rank(cb)  # the position in the organisation's list
    out["branches.committee"] = _complete(
        tables_by_name()["branches.committee"],
        len(cb),
        {
            "branch": branch_id.take(pa.array(cb)),
            "index": pa.array(index, pa.int64()),
            "role": pa.array(np.concatenate(rows_role)[order].tolist(), pa.string()),
            "member": _ids("M", np.concatenate(rows_member)[order], 8),
            "start": _dates(np.concatenate(rows_start)[order]),
        },
    )

    # -- party groups
    gl = np.arange(k * groups_per)
    out["groups"] = _complete(
        tables_by_name()["groups"],
        len(gl),
        {
            "id": _ids("G", first * groups_per + gl, 7),
            "name": _texts(("第一党小组", "第二党小组", "第三党小组"), gl % groups_per),
            "branch": branch_id.take(pa.array(gl // groups_per)),
            "leader": _ids("M", (first + gl // groups_per) * per + 3 + gl % groups_per, 8),
        },
    )

    # -- meetings of the year, and some of the half year before
    rng = _rng(seed, chunk, 3)
    parts: list[tuple[np.ndarray, np.ndarray, str]] = []  # (organisation, day, kind)

    def monthly(p: float, kind: str, fixed: np.ndarray | None = None) -> None:
        held = rng.random((k, 12)) < p
        org, month = np.nonzero(held)
        day = fixed[org] - 1 if fixed is not None else rng.integers(0, 28, len(org))
        parts.append((org, _MONTH_STARTS[month] + day, kind))

    monthly(0.88, "committee_meeting")
    monthly(0.9, "theme_day", theme_day)
    held = rng.random((k, 4)) < 0.85
    org, quarter = np.nonzero(held)
    parts.append(
        (org, _MONTH_STARTS[quarter * 3] + rng.integers(0, 90, len(org)), "general_meeting")
    )
    held = rng.random(k) < 0.9
    org = np.nonzero(held)[0]
    # the organisational-life meeting at the end of the year, a few of them only in January
    late = rng.random(len(org)) < 0.05
    day = np.where(
        late,
        _MONTH_STARTS[12] + rng.integers(0, 25, len(org)),
        _MONTH_STARTS[10] + rng.integers(0, 61, len(org)),
    )
    parts.append((org, day, "org_life_meeting"))
    n_group = rng.poisson(18, k)
    org = np.repeat(np.arange(k), n_group)
    parts.append((org, _MONTH_STARTS[0] + rng.integers(0, 366, len(org)), "group_meeting"))
    org = np.repeat(np.arange(k), 4)
    parts.append((org, _MONTH_STARTS[0] + rng.integers(0, 366, len(org)), "party_lecture"))
    # the half year before: the same kinds, outside the year checked
    org = np.repeat(np.arange(k), 6)
    parts.append((org, _day(dt.date(YEAR - 1, 7, 1)) + rng.integers(0, 184, len(org)), "*"))
    kinds = (
        "general_meeting",
        "committee_meeting",
        "group_meeting",
        "party_lecture",
        "theme_day",
        "org_life_meeting",
    )
    morg = np.concatenate([p[0] for p in parts])
    mday = np.concatenate([p[1] for p in parts]).astype(np.int64)
    mkind = np.concatenate(
        [
            np.full(len(p[0]), kinds.index(p[2]))
            if p[2] != "*"
            else rng.integers(0, len(kinds), len(p[0]))
            for p in parts
        ]
    )
    order = np.lexsort((mday, morg))
    morg, mday, mkind = morg[order], mday[order], mkind[order]
    n_mt = len(morg)
    mglobal = first + morg
    # an organisation founded during the year holds no meeting before it was founded, and none
    # after it was dissolved
    alive = (mday >= founded[morg]) & ((dissolved[morg] < 0) | (mday <= dissolved[morg]))
    morg, mday, mkind, mglobal = morg[alive], mday[alive], mkind[alive], mglobal[alive]
    n_mt = len(morg)
    is_group = mkind == kinds.index("group_meeting")
    mgroup = mglobal * groups_per + rng.integers(0, groups_per, n_mt)
    present = rng.integers(10, 26, n_mt)
    out["meetings"] = _complete(
        tables_by_name()["meetings"],
        n_mt,
        {
            "id": _ids("MT", mglobal * 100 + _rank(morg), 9),
            "kind": _texts(kinds, mkind),
            "branch": branch_id.take(pa.array(morg)),
            "group": _where(is_group, _ids("G", mgroup, 7)),
            "date": _dates(mday),
            "start": _time(9, 0, n_mt),
            "end": _time(11, 0, n_mt),
            "place": _texts(_PLACES, rng.integers(0, len(_PLACES), n_mt)),
            "topic": _texts(_TOPICS, rng.integers(0, len(_TOPICS), n_mt)),
            "chair": _ids("M", mglobal * per, 8),
            "recorder": _ids("M", mglobal * per + 1, 8),
            "lecturer": _where(mkind == kinds.index("party_lecture"), _ids("M", mglobal * per, 8)),
            "present_count": pa.array(present, pa.int64()),
        },
    )
    meetings = out["meetings"]
    # who attended: a run of the organisation's members from a random one
    reps = present
    att_meeting = np.repeat(np.arange(n_mt), reps)
    att_index = np.arange(len(att_meeting)) - np.repeat(np.cumsum(reps) - reps, reps)
    offset = np.repeat(rng.integers(0, per, n_mt), reps)
    att_member = mglobal[att_meeting] * per + (offset + att_index) % per
    out["meetings.attended"] = _complete(
        tables_by_name()["meetings.attended"],
        len(att_meeting),
        {
            "meeting": meetings["id"].combine_chunks().take(pa.array(att_meeting)),
            "index": pa.array(att_index, pa.int64()),
            "attended": _ids("M", att_member, 8),
        },
    )

    out.update(_study_talks_training(seed, chunk, first, k, founded, dissolved, branch_id))

    # -- dues for each month of the year
    out["dues_payments"] = _dues(
        seed,
        chunk,
        m,
        mb,
        status_code,
        admitted,
        converted,
        joined,
        left,
        dues_code,
        quarterly,
        founded,
        dissolved,
        member_id,
        keeps_dues=b % 100 != 13,
    )
    return out


_FORMS = ("concentrated", "seminar", "lecture", "quiz", "film", "micro_lecture", "online")


def _study_talks_training(
    seed: int,
    chunk: int,
    first: int,
    k: int,
    founded: np.ndarray,
    dissolved: np.ndarray,
    branch_id: pa.Array,
) -> dict[str, pa.Table]:
    """Monthly study sessions, heart-to-heart talks and members' training, for the full
    national check (the seven rules do not read them)."""
    rng = _rng(seed, chunk, 6)
    per = MEMBERS_PER_BRANCH
    out: dict[str, pa.Table] = {}
    # study sessions of all members, most months
    org, month = np.nonzero(rng.random((k, 12)) < 0.9)
    day = _MONTH_STARTS[month] + rng.integers(0, 28, len(org))
    alive = (day >= founded[org]) & ((dissolved[org] < 0) | (day <= dissolved[org]))
    org, day = org[alive], day[alive]
    n = len(org)
    session = _ids("ST", (first + org) * 20 + _rank(org), 8)
    present = rng.integers(10, 26, n)
    out["study_sessions"] = _complete(
        tables_by_name()["study_sessions"],
        n,
        {
            "id": session,
            "audience": pa.array(np.full(n, "all_members")),
            "branch": branch_id.take(pa.array(org)),
            "date": _dates(day),
            "start": _time(14, 30, n),
            "duration_minutes": pa.array(np.full(n, 90), pa.int64()),
            "form": _texts(_FORMS, rng.integers(0, len(_FORMS), n)),
            "speaker": _ids("M", (first + org) * per, 8),
            "attendee_count": pa.array(present + rng.integers(0, 5, n), pa.int64()),
        },
    )
    out["study_sessions.topics"] = _complete(
        tables_by_name()["study_sessions.topics"],
        n,
        {
            "study_session": session,
            "index": pa.array(np.zeros(n, np.int64)),
            "topics": _texts(_TOPICS, rng.integers(0, len(_TOPICS), n)),
        },
    )
    which = np.repeat(np.arange(n), present)
    index = np.arange(len(which)) - np.repeat(np.cumsum(present) - present, present)
    offset = np.repeat(rng.integers(0, per, n), present)
    out["study_sessions.attendees"] = _complete(
        tables_by_name()["study_sessions.attendees"],
        len(which),
        {
            "study_session": session.take(pa.array(which)),
            "index": pa.array(index, pa.int64()),
            "attendees": _ids("M", (first + org[which]) * per + (offset + index) % per, 8),
        },
    )
    # talks: the committee's members with the others, about thirty an organisation
    org = np.repeat(np.arange(k), 30)
    n = len(org)
    out["talks"] = _complete(
        tables_by_name()["talks"],
        n,
        {
            "id": _ids("TK", (first + org) * 40 + _rank(org), 8),
            "initiator": _ids("M", (first + org) * per + rng.integers(0, 3, n), 8),
            "partner": _ids("M", (first + org) * per + rng.integers(3, per, n), 8),
            "date": _dates(_MONTH_STARTS[0] + rng.integers(0, 366, n)),
            "topic": pa.array(np.full(n, "思想交流")),
        },
    )
    # training: two courses a member
    member = np.repeat(np.arange(first * per, (first + k) * per), 2)
    n = len(member)
    out["trainings"] = _complete(
        tables_by_name()["trainings"],
        n,
        {
            "id": _ids("TR", member * 2 + np.tile([0, 1], n // 2), 9),
            "member": _ids("M", member, 8),
            "date": _dates(_MONTH_STARTS[0] + rng.integers(0, 366, n)),
            "hours": money(np.array([200, 400, 800, 1600])[rng.integers(0, 4, n)]),
            "course": _texts(_TOPICS, rng.integers(0, len(_TOPICS), n)),
            "organiser": pa.array(np.full(n, "市委党校")),
        },
    )
    return out


def _rank(groups: np.ndarray) -> np.ndarray:
    """The position of each element among the equal ones before it (``groups`` sorted)."""
    starts = np.r_[0, np.nonzero(np.diff(groups))[0] + 1]
    counts = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, counts)


_TIERS = {
    # (upper bound in cents or None, rate in thousandths)
    0: ((300_000, 5), (500_000, 10), (1_000_000, 15), (None, 20)),
    1: ((300_000, 5), (500_000, 10), (1_000_000, 15), (None, 20)),
    2: ((500_000, 5), (None, 10)),
}


def expected_cents(base: np.ndarray, category: np.ndarray) -> np.ndarray:
    """The dues owed on ``base`` (cents) by category code, rounded half up to the 分."""
    rate = np.zeros(len(base), dtype=np.int64)
    for code, tiers in _TIERS.items():
        mine = category == code
        chosen = np.zeros(len(base), dtype=bool)
        for bound, r in tiers:
            hit = mine & ~chosen & ((base <= bound) if bound is not None else True)
            rate[hit] = r
            chosen |= hit
    return (base * rate + 500) // 1000


def _dues(
    seed: int,
    chunk: int,
    m: np.ndarray,
    mb: np.ndarray,
    status_code: np.ndarray,
    admitted: np.ndarray,
    converted: np.ndarray,
    joined: np.ndarray,
    left: np.ndarray,
    dues_code: np.ndarray,
    quarterly: np.ndarray,
    founded: np.ndarray,
    dissolved: np.ndarray,
    member_id: pa.Array,
    keeps_dues: np.ndarray,
) -> pa.Table:
    rng = _rng(seed, chunk, 4)
    n_m = len(m)
    # when the member belongs to the rolls: from admission (or joining), to the day before leaving
    start = np.where(status_code == 2, np.iinfo(np.int64).max, admitted)
    start = np.maximum(start, np.where(joined >= 0, joined, start))
    end = np.where(left >= 0, left - 1, np.iinfo(np.int64).max)
    start = np.maximum(start, founded[mb])
    end = np.where(dissolved[mb] >= 0, np.minimum(end, dissolved[mb]), end)
    month_end = _MONTH_STARTS[1:] - 1
    # a payment for each month the member is on the rolls at its end; a few more members
    # pay a month after leaving (not owed, so not judged)
    owed = (start[:, None] <= month_end[None, :]) & (end[:, None] >= month_end[None, :])
    owed &= keeps_dues[mb][:, None]
    u = rng.random((n_m, 12))
    pay = owed & (u >= 0.05)  # a month in twenty is missed
    who, month = np.nonzero(pay)
    n = len(who)
    cat = dues_code[who]
    base = np.where(
        cat == 2,
        150_000 + rng.integers(0, 650_000, n),  # pensions
        200_000 + rng.integers(0, 1_400_000, n),  # pay
    )
    base = np.where(rng.random(n) < 0.3, base // 100 * 100, base)  # most in whole yuan
    amount = expected_cents(base, cat)
    amount = np.where(cat == 3, 200, amount)  # others: a flat 2 元
    v = rng.random(n)
    short = v < 0.03
    amount[short] = np.maximum(0, amount[short] - rng.integers(1, 500, short.sum()))
    no_base = (v >= 0.03) & (v < 0.04) | (cat == 3)
    # the day paid: mostly in the month, some late (back payments), a few not recorded
    w = rng.random(n)
    paid_on = _MONTH_STARTS[month] + rng.integers(0, 28, n)
    back = w < 0.06
    paid_on[back] = (
        _MONTH_STARTS[month[back]]
        + 31 * rng.integers(1, 6, back.sum())
        + rng.integers(0, 28, back.sum())
    )
    very = (w >= 0.06) & (w < 0.07)
    paid_on[very] = _MONTH_STARTS[month[very]] + 31 * rng.integers(7, 12, very.sum())
    undated = (w >= 0.07) & (w < 0.09)
    # one in a hundred and fifty recorded twice
    twice = rng.random(n) < 0.007
    idx = np.concatenate([np.arange(n), np.nonzero(twice)[0]])
    day2 = np.concatenate([paid_on, paid_on[twice] + rng.integers(0, 10, twice.sum())])
    order = np.argsort(idx, kind="stable")  # the repeat after the payment it repeats
    idx, day2 = idx[order], day2[order]
    rows = len(idx)
    month_day = _MONTH_STARTS[month[idx]]
    ids = _ids("DU", m[who[idx]] * 24 + month[idx] + 12 * (np.r_[False, idx[1:] == idx[:-1]]), 10)
    return _complete(
        tables_by_name()["dues_payments"],
        rows,
        {
            "id": ids,
            "member": member_id.take(pa.array(who[idx])),
            "month": _dates(month_day),
            "amount": money(amount[idx]),
            "base": money(base[idx], no_base[idx]),
            "paid_on": _dates(day2, undated[idx]),
            "voluntary": pa.array(np.zeros(rows, bool)),
        },
    )


_BY_NAME: dict[str, Table] = {}


def tables_by_name() -> dict[str, Table]:
    if not _BY_NAME:
        _BY_NAME.update({t.name: t for t in tables()})
    return _BY_NAME


def generate(directory: str | os.PathLike[str], branches: int, seed: int = 0) -> dict[str, int]:
    """Write the tables of ``branches`` organisations to ``directory``; the rows of each.

    Each table is written a chunk of :data:`CHUNK` organisations at a time to a temporary
    directory beside ``directory``, which replaces ``directory`` when every file is complete.
    """
    if branches < 1:
        raise ValueError("branches must be at least 1")
    target = Path(directory)
    work = Path(tempfile.mkdtemp(prefix=".tables-", dir=target.parent))
    writers: dict[str, pq.ParquetWriter] = {}
    rows = {t.name: 0 for t in tables()}
    try:
        for chunk, first in enumerate(range(0, branches, CHUNK)):
            last = min(branches, first + CHUNK)
            for name, batch in _chunk(branches, first, last, seed, chunk).items():
                if name not in writers:
                    writers[name] = pq.ParquetWriter(work / f"{name}.parquet", batch.schema)
                writers[name].write_table(batch)
                rows[name] += batch.num_rows
        for w in writers.values():
            w.close()
        writers.clear()
        for t in tables():
            path = work / f"{t.name}.parquet"
            if not path.exists():
                pq.write_table(empty_table(t), path)
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    finally:
        for w in writers.values():
            w.close()
        if work.exists():
            shutil.rmtree(work)
    return rows


# -- plain ledger data <-> tables --------------------------------------------------------------


def _to_cell(value: Any, t: Any) -> Any:
    """A value of a ledger file (text, number …) as the Python value Arrow takes for type ``t``."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if t is Month:
        year, month = str(value).split("-")
        return dt.date(int(year), int(month), 1)
    if t is dt.date:
        return dt.date.fromisoformat(value)
    if t is dt.time:
        return dt.time.fromisoformat(value)
    if isinstance(t, type) and issubclass(t, decimal.Decimal):
        return decimal.Decimal(str(value))
    return value


def _from_cell(value: Any, t: Any) -> Any:
    """The inverse of :func:`_to_cell`: a cell as a ledger file writes it."""
    if value is None:
        return None
    if t is Month:
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat() if not isinstance(value, dt.time) else value.strftime("%H:%M")
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _get(record: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(part)  # type: ignore[assignment]
    return record


def data_to_tables(data: dict[str, Any]) -> dict[str, pa.Table]:
    """The plain data of a ledger file as the record tables (every table)."""
    out: dict[str, pa.Table] = {}
    for t in tables():
        rows = list(_rows(data, t))
        columns = {
            c.name: pa.array(
                [_to_cell(_or_default(r.get(c.name), c), c.type) for r in rows], arrow_type(c.type)
            )
            for c in t.columns
        }
        out[t.name] = pa.Table.from_pydict(columns, schema=schema_of(t))
    return out


def _or_default(value: Any, column: Column) -> Any:
    """``value``, or the field's default when it is left out of a non-nullable column."""
    if value is not None or column.nullable or column.source is None:
        return value
    cls, name = column.source
    default = attrs.fields_dict(cls)[name].default
    return None if default is attrs.NOTHING else default


def _rows(data: dict[str, Any], t: Table) -> Iterator[dict[str, Any]]:
    """Each row of table ``t`` in the plain data, flattened."""
    if t.parent is None:
        for record in data.get(t.name, []):
            yield {c.name: _get(record, c.name) for c in t.columns}
        return
    parent = tables_by_name()[t.parent]
    list_field = t.name[len(t.parent) + 1 :]
    names = [c.name for c in t.columns][len(t.key) :]
    for key, record in _nested(data, parent):
        for i, item in enumerate(_get(record, list_field) or []):
            row = {**dict(zip(t.parent_key, key, strict=True)), t.key[-1]: i}
            if t.cls is None:
                row[names[0]] = item
            else:
                row.update({n: _get(item, n) for n in names})
            yield row


def _nested(data: dict[str, Any], t: Table) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """(the values of its key, the record) of each row of ``t``."""
    if t.parent is None:
        for record in data.get(t.name, []):
            yield (record["id"],), record
        return
    list_field = t.name[len(t.parent) + 1 :]
    for key, record in _nested(data, tables_by_name()[t.parent]):
        for i, item in enumerate(_get(record, list_field) or []):
            yield (*key, i), item


def write_tables(directory: str | os.PathLike[str], found: dict[str, pa.Table]) -> None:
    """Write ``found`` (every table) as ``<table>.parquet`` files into a new ``directory``."""
    target = Path(directory)
    work = Path(tempfile.mkdtemp(prefix=".tables-", dir=target.parent))
    try:
        for name, table in found.items():
            pq.write_table(table, work / f"{name}.parquet")
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work)


def tables_to_data(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The plain data of a ledger file holding the records of the tables in ``directory``."""
    source = Path(directory)
    data: dict[str, Any] = {"name": source.name, "version": 1}
    by_key: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for t in tables():  # parents come before their children
        rows = pq.read_table(source / f"{t.name}.parquet").to_pylist()
        types = {c.name: c.type for c in t.columns}
        records: dict[tuple[Any, ...], dict[str, Any]] = {}
        if t.parent is None:
            out = []
            for row in rows:
                record = _nest(
                    {k: _from_cell(v, types[k]) for k, v in row.items() if v is not None}
                )
                out.append(record)
                records[(row["id"],)] = record
            data[t.name] = out
        else:
            list_field = t.name[len(t.parent) + 1 :]
            parents = by_key[t.parent]
            n = len(t.parent_key)
            rows.sort(key=lambda r: tuple(r[k] for k in t.key))
            for row in rows:
                parent = parents[tuple(row[k] for k in t.parent_key)]
                holder = parent
                *path, last = list_field.split(".")
                for part in path:
                    holder = holder.setdefault(part, {})
                items = holder.setdefault(last, [])
                if t.cls is None:
                    items.append(_from_cell(row[t.columns[-1].name], t.columns[-1].type))
                else:
                    cells = {
                        k: _from_cell(v, types[k])
                        for k, v in list(row.items())[n + 1 :]
                        if v is not None
                    }
                    item = _nest(cells)
                    items.append(item)
                    records[(*(row[k] for k in t.key),)] = item
        by_key[t.name] = records
    return data


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        holder = out
        *path, last = key.split(".")
        for part in path:
            holder = holder.setdefault(part, {})
        holder[last] = value
    return out


def write_ledger_json(directory: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """Write the records of the tables in ``directory`` as a JSON ledger file at ``path``."""
    target = Path(path)
    text = json.dumps(tables_to_data(directory), ensure_ascii=False)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    temporary.replace(target)
    return target
