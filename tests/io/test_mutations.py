"""One mistake in a valid ledger file is always reported as a LedgerError, at its place.

Each example takes a valid ledger, turns it into plain data, breaks it in exactly one way
(a value of the wrong type, a missing or unknown field, an unknown label, a broken reference, a
repeated id, dates out of order, a bad resident id …), writes it as JSON and YAML and reads it
back. Loading must raise :class:`~dangjian.LedgerError` (no other exception, no silent success),
every problem must say where it is (unless the file cannot be parsed at all) in Chinese and in
English, and some problem must point at the place that was broken.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import types
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from dangjian import (
    Branch,
    CommitteeSeat,
    LabelledEnum,
    Ledger,
    LedgerError,
    Meeting,
    MemberStatus,
    Milestones,
    Month,
    PairingVillage,
    PovertyProject,
    ProbationExtension,
    RectificationItem,
    ResidentId,
    ServiceActivity,
    loads,
    make_converter,
)
from dangjian.io import Format, structure_problems, to_data
from dangjian.ledger import RECORD_KINDS, ledger_problems
from dangjian.model import kept, references
from dangjian.testing.strategies import ledgers
from tests.builders import examples

Path = tuple[str | int, ...]
Draw = Callable[[st.SearchStrategy[Any]], Any]

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]+")
WHOLE_DOCUMENT_CODES = {"syntax", "not_a_ledger"}


# -- the shape of the data -------------------------------------------------------------------


def render(path: Path) -> str:
    """``("members", 2, "milestones", "applied")`` as ``members[2].milestones.applied``; a key
    that is no name (``"id "``, ``"1"``) is quoted: ``members[2]['id ']``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.isidentifier():
            out += f"[{part!r}]"
        else:
            out += f".{part}" if out else part
    return out


def _shape(t: Any) -> tuple[str, Any]:
    """How a field of type ``t`` appears in plain data: a record, records, a value or values."""
    if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
        t = next(a for a in typing.get_args(t) if a is not type(None))
    if typing.get_origin(t) is tuple:
        elem = typing.get_args(t)[0]
        nested = attrs.has(elem) and elem not in (Month, ResidentId)
        return ("records" if nested else "values", elem)
    if attrs.has(t) and t not in (Month, ResidentId):
        return ("record", t)
    return ("value", t)


@attrs.frozen
class Record:
    """A mapping in the data that holds one record of class ``cls``."""

    path: Path
    cls: type[Any]
    data: dict[str, Any]


def records(data: dict[str, Any]) -> Iterator[Record]:
    """Every record in the data, the ledger itself first, nested records included."""

    def walk(path: Path, cls: type[Any], value: Any) -> Iterator[Record]:
        if not isinstance(value, dict):
            return
        yield Record(path, cls, value)
        for a in attrs.fields(attrs.resolve_types(cls)):
            if a.alias not in value:
                continue
            kind, inner = _shape(a.type)
            if kind == "record":
                yield from walk((*path, a.alias), inner, value[a.alias])
            elif kind == "records" and isinstance(value[a.alias], list):
                for i, item in enumerate(value[a.alias]):
                    yield from walk((*path, a.alias, i), inner, item)

    yield from walk((), Ledger, data)


def field_type(cls: type[Any], name: str) -> Any:
    return attrs.fields_dict(attrs.resolve_types(cls))[name].type


def leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any, Any, Any]]:
    """Every place in the data below the root: its path, container, key and value."""
    items: Any = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in list(items):
        yield (*path, key), value, key, item
        yield from leaves(item, (*path, key))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def all_ids(data: dict[str, Any]) -> set[str]:
    return {r["id"] for kind in RECORD_KINDS for r in data.get(kind.field, [])}


def fresh_id(data: dict[str, Any], draw: Draw) -> str:
    taken = all_ids(data)
    stem = draw(st.sampled_from(["无此编号", "ghost", "m999", "0"]))
    n = 0
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def members_by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in data.get("members", [])}


# -- the mutations: each breaks the data in one way and says where, or returns None ------------

Mutation = Callable[[dict[str, Any], Draw], "str | None"]
MUTATIONS: dict[str, Mutation] = {}


def mutation(fn: Mutation) -> Mutation:
    MUTATIONS[fn.__name__] = fn
    return fn


class NoSite(Exception):
    """The data has no place for this mutation."""


def _pick(draw: Draw, sites: list[Any]) -> Any:
    if not sites:
        raise NoSite
    return draw(st.sampled_from(sites))


@mutation
def wrong_type(data: dict[str, Any], draw: Draw) -> str | None:
    """A value of the wrong type: a list for text or a number, text for a list, and so on."""
    site = _pick(draw, list(leaves(data)))
    path, container, key, value = site
    if isinstance(value, bool):
        bad = draw(st.sampled_from(["true", "是", 1, [value]]))
    elif isinstance(value, int):
        bad = draw(st.sampled_from([str(value), True, 1.5, [value]]))
    elif isinstance(value, str):
        bad = draw(st.sampled_from([[value], {"value": value}, True]))
    elif isinstance(value, list):
        bad = draw(st.sampled_from(["文本", "a, b", 7, {"0": "x"}]))
    else:
        bad = draw(st.sampled_from([[value], "文本", 7]))
    container[key] = bad
    return render(path)


@mutation
def missing_required(data: dict[str, Any], draw: Draw) -> str | None:
    """A required field deleted."""
    sites = [
        (r, a.alias)
        for r in records(data)
        for a in attrs.fields(r.cls)
        if a.default is attrs.NOTHING and a.alias in r.data
    ]
    record, name = _pick(draw, sites)
    del record.data[name]
    return render((*record.path, name))


@mutation
def unknown_key(data: dict[str, Any], draw: Draw) -> str | None:
    """A field the format does not know."""
    record = _pick(draw, list(records(data)))
    known = {a.alias for a in attrs.fields(record.cls)}
    key = draw(st.sampled_from(["colour", "备注二", "Name", "ID", "memberId", "id ", "null"]))
    if key in known:
        return None
    record.data[key] = draw(st.sampled_from(["x", 1, None, ["a"]]))
    return render((*record.path, key))


@mutation
def unknown_label(data: dict[str, Any], draw: Draw) -> str | None:
    """A label that is not one of its enumeration's codes or Chinese labels."""
    sites = []
    for r in records(data):
        for a in attrs.fields(r.cls):
            kind, t = _shape(field_type(r.cls, a.name))
            enum = isinstance(t, type) and issubclass(t, LabelledEnum)
            if kind == "value" and enum and a.alias in r.data:
                sites.append((r, a.alias, t))
    record, name, enum = _pick(draw, sites)
    value = record.data[name]
    bad = draw(
        st.sampled_from(
            [value.upper(), value + "x", " " + value, "不存在的类别", "", enum.__name__]
        )
    )
    try:
        enum.parse(bad)
    except ValueError:
        record.data[name] = bad
        return render((*record.path, name))
    return None


def referring(cls: type[Any]) -> tuple[str, ...]:
    """The fields of ``cls`` that refer to other records and that loading checks: read from the
    fields' declarations (``ref(...)``; not those declared ``check=False``)."""
    if cls.__module__ == kept.__name__:
        return ()  # what a workbook held beyond the fields names rows, not records by id
    return tuple(f.name for f in references(cls) if f.check)


def reference_sites(data: dict[str, Any]) -> list[tuple[Path, Any, Any]]:
    """Where the data refers to another record: the path, the container and the key."""
    sites: list[tuple[Path, Any, Any]] = []
    for r in records(data):
        for name in referring(r.cls):
            value = r.data.get(name)
            if isinstance(value, str):
                sites.append(((*r.path, name), r.data, name))
            elif isinstance(value, list):
                sites += [((*r.path, name, i), value, i) for i in range(len(value))]
    return sites


@mutation
def broken_reference(data: dict[str, Any], draw: Draw) -> str | None:
    """A reference to a record that does not exist."""
    sites = reference_sites(data)
    if not sites:
        return None
    path, container, key = _pick(draw, sites)
    container[key] = fresh_id(data, draw)
    return render(path)


@mutation
def duplicate_id(data: dict[str, Any], draw: Draw) -> str | None:
    """Two records of a kind with the same id."""
    fields = [k.field for k in RECORD_KINDS if data.get(k.field)]
    field = _pick(draw, fields)
    items = data[field]
    i = draw(st.integers(0, len(items) - 1))
    if len(items) > 1 and draw(st.booleans()):
        j = draw(st.integers(0, len(items) - 1).filter(lambda j: j != i))
        items[j]["id"] = items[i]["id"]
        return render((field, max(i, j), "id"))
    items.append(copy.deepcopy(items[i]))
    return render((field, len(items) - 1, "id"))


# later field, earlier field: the pairs that a record's own validators keep in order
ORDERED: dict[type[Any], tuple[tuple[str, str], ...]] = {
    Milestones: (
        ("first_talk", "applied"),
        ("activist", "applied"),
        ("candidate", "activist"),
        ("admitted", "candidate"),
        ("converted", "admitted"),
    ),
    CommitteeSeat: (("end", "start"),),
    Branch: (("dissolved", "founded"),),
    Meeting: (("end", "start"),),
    RectificationItem: (("deadline", "raised"), ("closed", "raised")),
    PovertyProject: (("approved", "applied"),),
    PairingVillage: (("until", "since"),),
    ServiceActivity: (("end", "start"),),
}


@mutation
def dates_out_of_order(data: dict[str, Any], draw: Draw) -> str | None:
    """A date (or time) before the one it must follow: conversion before admission …"""
    sites = [
        (r, later, earlier)
        for r in records(data)
        for later, earlier in ORDERED.get(r.cls, ())
        if r.data.get(later) is not None and r.data.get(earlier) is not None
    ]
    record, later, earlier = _pick(draw, sites)
    first = record.data[earlier]
    if record.cls is Meeting:  # times of day
        start = dt.time.fromisoformat(first)
        minutes = start.hour * 60 + start.minute
        if minutes == 0:
            return None
        back = draw(st.integers(1, minutes))
        record.data[later] = f"{(minutes - back) // 60:02d}:{(minutes - back) % 60:02d}"
    else:
        back = draw(st.integers(1, 400))
        record.data[later] = (day(first) - dt.timedelta(days=back)).isoformat()
    return render((*record.path, later))


# record kinds whose people must have been born by the day: the day field, the people fields
ATTENDANCE: dict[str, tuple[str, tuple[str, ...]]] = {
    "meetings": ("date", ("expected", "attended")),
    "study_sessions": ("date", ("attendees",)),
    "elections": ("date", ("voters_expected", "voters_present")),
    "talks": ("date", ("initiator", "partner")),
    "trainings": ("date", ("member",)),
    "appraisals": ("date", ("member",)),
    "service_activities": ("start", ("participants",)),
}


@mutation
def attends_before_birth(data: dict[str, Any], draw: Draw) -> str | None:
    """Somebody takes part before they were born."""
    people = members_by_id(data)
    sites = []
    for field, (when, who) in ATTENDANCE.items():
        for i, r in enumerate(data.get(field, [])):
            for name in who:
                value = r.get(name)
                refs = [(name,)] if isinstance(value, str) else []
                if isinstance(value, list):
                    refs = [(name, j) for j in range(len(value))]
                for ref in refs:
                    member_id = value if isinstance(value, str) else value[ref[1]]
                    born = people.get(member_id, {}).get("birth_date")
                    if born is not None:
                        sites.append((r, when, day(born), (field, i, *ref)))
    record, when, born, path = _pick(draw, sites)
    record[when] = (born - dt.timedelta(days=draw(st.integers(1, 3000)))).isoformat()
    return render(path)


@mutation
def milestone_before_birth(data: dict[str, Any], draw: Draw) -> str | None:
    """A membership step on or before the member's birthday."""
    sites = []
    for i, m in enumerate(data.get("members", [])):
        steps = m.get("milestones", {})
        known = [s for s in ("applied", "first_talk", "activist") if s in steps]
        if "birth_date" in m and known:
            sites.append((i, m, known[0]))  # the earliest, so the steps stay in order
    i, member, step = _pick(draw, sites)
    born = day(member["birth_date"])
    member["milestones"][step] = (born - dt.timedelta(days=draw(st.integers(0, 400)))).isoformat()
    return render(("members", i, "milestones", step))


@mutation
def outside_branch_life(data: dict[str, Any], draw: Draw) -> str | None:
    """A meeting, study session or election before its branch was founded or after dissolving."""
    branches = {b["id"]: b for b in data.get("branches", [])}
    sites = []
    for field in ("meetings", "study_sessions", "elections"):
        for i, r in enumerate(data.get(field, [])):
            b = branches.get(r["branch"], {})
            if "founded" in b:
                sites.append((field, i, day(b["founded"]) - dt.timedelta(days=1)))
            if "dissolved" in b:
                sites.append((field, i, day(b["dissolved"]) + dt.timedelta(days=1)))
    field, i, when = _pick(draw, sites)
    data[field][i]["date"] = when.isoformat()
    return render((field, i, "date"))


@mutation
def follow_up_before_closing(data: dict[str, Any], draw: Draw) -> str | None:
    """A rectification item revisited before it was closed."""
    sites = [
        (i, j)
        for i, r in enumerate(data.get("rectifications", []))
        if "closed" in r
        for j in range(len(r.get("follow_ups", [])))
    ]
    i, j = _pick(draw, sites)
    item = data["rectifications"][i]
    back = draw(st.integers(1, 400))
    item["follow_ups"][j]["date"] = (day(item["closed"]) - dt.timedelta(days=back)).isoformat()
    return render(("rectifications", i, "follow_ups", j, "date"))


@mutation
def closed_while_open(data: dict[str, Any], draw: Draw) -> str | None:
    """A closing day on an item whose status is still 整改中."""
    sites = [i for i, r in enumerate(data.get("rectifications", [])) if "closed" in r]
    i = _pick(draw, sites)
    data["rectifications"][i]["status"] = draw(st.sampled_from(["open", "整改中"]))
    return render(("rectifications", i, "closed"))


@mutation
def extension_before_admission(data: dict[str, Any], draw: Draw) -> str | None:
    """A probation extended before the probation began."""
    sites = [
        i
        for i, m in enumerate(data.get("members", []))
        if "probation_extension" in m and "admitted" in m.get("milestones", {})
    ]
    i = _pick(draw, sites)
    member = data["members"][i]
    back = draw(st.integers(1, 400))
    admitted = day(member["milestones"]["admitted"])
    member["probation_extension"]["decided"] = (admitted - dt.timedelta(days=back)).isoformat()
    return render(("members", i, "probation_extension", "decided"))


@mutation
def left_while_on_the_rolls(data: dict[str, Any], draw: Draw) -> str | None:
    """A leaving day for somebody whose status says they are still here."""
    sites = [
        i
        for i, m in enumerate(data.get("members", []))
        if not MemberStatus.parse(m["status"]).has_left
    ]
    i = _pick(draw, sites)
    data["members"][i]["left"] = "2025-01-01"
    return render(("members", i, "left"))


@mutation
def bad_resident_id(data: dict[str, Any], draw: Draw) -> str | None:
    """A resident id with a wrong check character, a wrong length or letters inside."""
    sites = [i for i, m in enumerate(data.get("members", [])) if "resident_id" in m]
    i = _pick(draw, sites)
    rid = data["members"][i]["resident_id"]
    how = draw(st.sampled_from(["check", "short", "letter", "lower x"]))
    if how == "check":
        bad = rid[:17] + draw(st.sampled_from([c for c in "0123456789X" if c != rid[17]]))
    elif how == "short":
        bad = rid[:-1]
    elif how == "letter":
        bad = rid[:5] + "A" + rid[6:]
    elif rid.endswith("X"):
        bad = rid[:17] + "x"
    else:
        return None
    data["members"][i]["resident_id"] = bad
    return render(("members", i, "resident_id"))


@mutation
def resident_id_disagrees(data: dict[str, Any], draw: Draw) -> str | None:
    """A birth date or gender that differs from the one in the resident id."""
    sites = [i for i, m in enumerate(data.get("members", [])) if "resident_id" in m]
    i = _pick(draw, sites)
    member = data["members"][i]
    if "birth_date" in member and draw(st.booleans()):
        # earlier, so that nothing else (attending before birth …) goes wrong
        member["birth_date"] = (day(member["birth_date"]) - dt.timedelta(days=1)).isoformat()
        return render(("members", i, "birth_date"))
    member["gender"] = {"male": "female", "female": "male"}[member["gender"]]
    return render(("members", i, "gender"))


@mutation
def malformed_value(data: dict[str, Any], draw: Draw) -> str | None:
    """A date, time, month, amount, count or text that has the right type but a wrong form."""
    sites = []
    for r in records(data):
        for a in attrs.fields(r.cls):
            if a.alias in r.data:
                kind, t = _shape(field_type(r.cls, a.name))
                if kind == "value" and t in BAD_VALUES:
                    sites.append((r, a.alias, t))
                elif a.alias in ("id", "name") and t is str:
                    sites.append((r, a.alias, "text"))
    record, name, t = _pick(draw, sites)
    record.data[name] = draw(st.sampled_from(BAD_VALUES[t]))
    return render((*record.path, name))


BAD_VALUES: dict[Any, list[Any]] = {
    dt.date: ["2020-02-30", "2020/01/01", "20200101", "2020-1-1", "", "明天", "2020-01-01T08:00"],
    dt.time: ["25:00", "9:00", "09:60", "上午九点", ""],
    Month: ["2020-13", "2020-00", "2020-5", "2020/05", "五月"],
    Decimal: ["-1", "-0.01", "NaN", "Infinity", "十二元", "", " 1"],
    "text": ["", " ", "\n", " 两端空白 "],
}


@mutation
def counts_disagree(data: dict[str, Any], draw: Draw) -> str | None:
    """A head count that differs from the names listed."""
    sites = [
        (field, i, count, names)
        for field, pairs in (
            ("meetings", (("expected_count", "expected"), ("present_count", "attended"))),
            (
                "elections",
                (("expected_count", "voters_expected"), ("present_count", "voters_present")),
            ),
        )
        for i, r in enumerate(data.get(field, []))
        for count, names in pairs
        if r.get(names)
    ]
    field, i, count, names = _pick(draw, sites)
    record = data[field][i]
    wrong = len(record[names]) + draw(st.sampled_from([1, 2, -1]))
    if wrong < 0:
        return None
    record[count] = wrong
    return render((field, i, count))


@mutation
def elected_without_candidacy(data: dict[str, Any], draw: Draw) -> str | None:
    """Somebody elected who was not a candidate."""
    sites = list(range(len(data.get("elections", []))))
    i = _pick(draw, sites)
    election = data["elections"][i]
    running = {c["member"] for c in election.get("candidates", [])}
    outsiders = [m for m in members_by_id(data) if m not in running]
    who = outsiders[0] if outsiders else fresh_id(data, draw)
    elected = election.get("elected", [])
    if who in elected:
        return None
    election["elected"] = [*elected, who]
    return render(("elections", i, "elected", len(elected)))


@mutation
def talks_to_oneself(data: dict[str, Any], draw: Draw) -> str | None:
    """A heart-to-heart talk with oneself."""
    i = _pick(draw, list(range(len(data.get("talks", [])))))
    talk = data["talks"][i]
    talk["partner"] = talk["initiator"]
    return render(("talks", i, "partner"))


@mutation
def own_sponsor(data: dict[str, Any], draw: Draw) -> str | None:
    """A member who mentors or sponsors themself."""
    i = _pick(draw, list(range(len(data.get("members", [])))))
    member = data["members"][i]
    field = draw(st.sampled_from(["mentors", "sponsors"]))
    member[field] = [*member.get(field, []), member["id"]]
    return render(("members", i, field))


@mutation
def parent_cycle(data: dict[str, Any], draw: Draw) -> str | None:
    """Organisations that are their own ancestors."""
    items = data["branches"]
    i = draw(st.integers(0, len(items) - 1))
    if len(items) > 1 and draw(st.booleans()):
        j = draw(st.integers(0, len(items) - 1).filter(lambda j: j != i))
        items[i]["parent"], items[j]["parent"] = items[j]["id"], items[i]["id"]
        return render(("branches", min(i, j), "parent"))
    items[i]["parent"] = items[i]["id"]
    return render(("branches", i, "parent"))


@mutation
def group_of_another_branch(data: dict[str, Any], draw: Draw) -> str | None:
    """A member put in a group of another branch."""
    groups = data.get("groups", [])
    sites = [
        (i, g["id"])
        for i, m in enumerate(data.get("members", []))
        for g in groups
        if g["branch"] != m["branch"]
    ]
    i, group = _pick(draw, sites)
    data["members"][i]["group"] = group
    return render(("members", i, "group"))


@mutation
def not_a_list(data: dict[str, Any], draw: Draw) -> str | None:
    """A single text where a list belongs (a collection, attendees, topics …)."""
    sites = [(path, c, k) for path, c, k, v in leaves(data) if isinstance(v, list)]
    path, container, key = _pick(draw, sites)
    value = container[key]
    container[key] = value[0] if value and isinstance(value[0], str) else "张三、李四"
    return render(path)


# -- writing the broken data -----------------------------------------------------------------


def write(data: Any, fmt: Format) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


SYNTAX_ERRORS: dict[Format, list[Callable[[str], str]]] = {
    "json": [
        lambda text: text.rstrip()[:-1],  # the last brace gone
        lambda text: text.replace('"', "'", 1),
        lambda text: "{" + text,
        lambda text: text.replace(":", "=", 1),
    ],
    "yaml": [
        lambda text: "{" + text,
        lambda text: text + "\n  - ]: [",
        lambda text: "name: [未闭合\n" + text,
        lambda text: "\t" + text,
    ],
}


def check_problems(error: LedgerError, expected: str | None) -> None:
    assert error.problems, "a LedgerError without problems"
    for p in error.problems:
        assert p.code, p
        if p.code not in WHOLE_DOCUMENT_CODES:
            assert p.path, f"no path: {p}"
        assert CJK.search(p.message), f"no Chinese message: {p}"
        assert len(ENGLISH_WORD.findall(p.message_en)) >= 2, f"no English message: {p}"
        assert p.message != p.message_en
    assert error.render("en") and error.render("zh")
    if expected is not None:
        paths = [p.path for p in error.problems]
        assert any(
            path == expected or path.startswith((expected + ".", expected + "[")) for path in paths
        ), f"nothing reported at {expected}: {paths}"


MUTATE = settings(
    max_examples=examples(60),  # each mutation also runs on the sample ledger, below
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@MUTATE
@given(ledger=ledgers(), data=st.data())
def test_one_mistake_is_reported_at_its_place(ledger: Ledger, data: st.DataObject) -> None:
    plain = to_data(ledger)
    name = data.draw(st.sampled_from(applicable(plain)), label="mutation")
    expected = MUTATIONS[name](plain, data.draw)
    assume(expected is not None)  # rare: the drawn variant does not fit this ledger
    event("mutation", name)
    for fmt in ("json", "yaml"):
        text = write(plain, fmt)
        with pytest.raises(LedgerError) as info:
            loads(text, fmt)
        check_problems(info.value, expected)


class _Probed(Exception):
    """A mutation found a place to apply and asked for a choice."""


def applicable(data: dict[str, Any]) -> list[str]:
    """The mutations that have a place in ``data``: each is tried on a copy until it draws."""

    def probe(_: st.SearchStrategy[Any]) -> Any:
        raise _Probed

    found = []
    text = json.dumps(data)  # a deep copy of plain data is json.loads(text), many times faster
    for name, mutate in sorted(MUTATIONS.items()):
        try:
            mutate(json.loads(text), probe)
        except NoSite:
            continue
        except _Probed:
            pass
        found.append(name)
    return found


def sample(make_ledger: Callable[..., Ledger]) -> dict[str, Any]:
    """The sample ledger of conftest, with a probation extension, as plain data."""
    ledger = make_ledger()
    extended = attrs.evolve(
        ledger.members[2],
        probation_extension=ProbationExtension(decided=dt.date(2020, 6, 1), months=6),
    )
    ledger = make_ledger(members=(*ledger.members[:2], extended, *ledger.members[3:]))
    assert ledger.problems() == []
    return to_data(ledger)


def test_every_mutation_applies_to_the_sample_ledger(make_ledger: Callable[..., Ledger]) -> None:
    """The sample ledger has a place for every mutation, so that none is dead code."""
    assert applicable(sample(make_ledger)) == sorted(MUTATIONS)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@settings(max_examples=examples(8), deadline=None)
@given(data=st.data())
def test_each_mutation_is_reported_in_the_sample_ledger(
    make_ledger: Callable[..., Ledger], name: str, data: st.DataObject
) -> None:
    plain = sample(make_ledger)
    expected = MUTATIONS[name](plain, data.draw)
    assume(expected is not None)
    for fmt in ("json", "yaml"):
        with pytest.raises(LedgerError) as info:
            loads(write(plain, fmt), fmt)
        check_problems(info.value, expected)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(max_records=1), data=st.data())
def test_broken_syntax_is_one_problem_without_a_path(ledger: Ledger, data: st.DataObject) -> None:
    fmt: Format = data.draw(st.sampled_from(["json", "yaml"]))
    breaker = data.draw(st.sampled_from(SYNTAX_ERRORS[fmt]))
    text = breaker(write(to_data(ledger), fmt))
    with pytest.raises(LedgerError) as info:
        loads(text, fmt)
    check_problems(info.value, None)
    assert [p.code for p in info.value.problems] == ["syntax"]


# -- the fast path and the detailed path agree -----------------------------------------------

_QUICK, _DETAILED = make_converter(detailed=False), make_converter(detailed=True)


@settings(MUTATE, max_examples=80)
@given(ledger=ledgers(), data=st.data())
def test_the_fast_path_and_the_detailed_path_agree(ledger: Ledger, data: st.DataObject) -> None:
    """Whatever the mistakes, loading's fast path (the generated structure functions with the
    validators' declared fast tests inlined, then the whole-ledger checks that test lists of
    names whole) accepts, builds and reports exactly what the detailed path does (each field
    structured on its own and every validator called, then every name checked one by one)."""
    plain = to_data(ledger)
    for _ in range(data.draw(st.integers(1, 3), label="mistakes")):
        try:
            name = data.draw(st.sampled_from(applicable(plain)), label="mutation")
            MUTATIONS[name](plain, data.draw)
        except (NoSite, TypeError, ValueError, KeyError, AttributeError, IndexError):
            # the mutations expect well-formed data: an earlier mistake may leave them no place
            # (or trip them up); the document is then tested with the mistakes made so far
            event("a further mistake could not be made")
            break
        event("mutation", name)
    try:
        detailed = _DETAILED.structure(plain, Ledger)
    except Exception as e:
        detailed, refused = None, list(structure_problems(e))
    try:
        quick = _QUICK.structure(plain, Ledger)
    except Exception:
        quick = None
    assert (quick is None) == (detailed is None), "one path structures what the other refuses"
    text = write(plain, "json")
    if detailed is None:
        event("refused while structuring")
        with pytest.raises(LedgerError) as info:
            loads(text, "json")
        # loading reports them record by record (_all_problems), at the same places
        assert {p.path for p in refused} <= {p.path for p in info.value.problems}
        return
    assert quick == detailed
    problems = ledger_problems(detailed, quick=False)
    assert ledger_problems(quick) == problems
    if problems:
        event("refused by the whole-ledger checks")
        with pytest.raises(LedgerError) as info:
            loads(text, "json")
        assert list(info.value.problems) == problems
    else:
        event("accepted")
        assert loads(text, "json") == detailed
