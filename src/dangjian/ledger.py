"""The ledger (台账): every record of one organisation, with lookups and whole-ledger validation."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from dangjian import _views
from dangjian.errors import Language, LedgerError, Problem
from dangjian.i18n import Message, t
from dangjian.model import (
    Appraisal,
    Branch,
    DuesPayment,
    Election,
    HeartToHeartTalk,
    Meeting,
    Member,
    Milestones,
    PairingVillage,
    PartyGroup,
    RectificationItem,
    ResponsibilityLetter,
    ServiceActivity,
    StudySession,
    TrainingRecord,
    fields,
    kind_of,
)
from dangjian.model import _validators as v
from dangjian.model._declare import collection
from dangjian.model._declare import field as declared
from dangjian.model.kept import ExtraColumn, Spelling, row_key
from dangjian.model.provenance import RecordSource

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RECORD_KINDS", "Ledger", "RecordKind", "ledger_problems", "row_keys"]

T = TypeVar("T")


@attrs.frozen
class RecordKind:
    """One collection of a ledger: its field name, its entity class and its Chinese label."""

    field: str
    cls: type[Any]
    label: str
    label_en: str


@attrs.frozen(kw_only=True)
class Ledger:
    """All the records of one organisation (台账): the root that loading and checking work on.

    Constructing a ledger does not check that its records fit together; :meth:`problems` and
    :meth:`validate` do, and :func:`dangjian.load` always validates.

    Attributes:
        name: The organisation the ledger belongs to (``市X局机关党委``).
        version: The version of the ledger format; 1.
        branches: Party organisations, the ledger's own top organisation included.
        groups: Party groups (党小组).
        members: Members, applicants and activists.
        meetings: Meetings of organisational life.
        study_sessions: Collective study sessions.
        elections: Elections and by-elections.
        talks: Heart-to-heart talks.
        trainings: Training hours.
        dues_payments: Payments of dues.
        pairings: Paired villages and their history.
        rectifications: Rectification items.
        responsibility_letters: Responsibility letters.
        appraisals: Report-and-review of secretaries and democratic appraisal of members.
        service_activities: Volunteer service, task forces and the like.
        sources: For a merged ledger, which file each record came from
            (:mod:`dangjian.model.provenance`); empty for a ledger read from one file. No
            rule reads it.
        extra_columns: Columns of a workbook that its template does not know (手机号), kept
            to be written back; no rule reads them (:mod:`dangjian.model.kept`).
        spellings: Labels typed in a workbook as synonyms (支部委员会), kept to be written back
            as typed; the records hold the canonical values.
    """

    name: str = declared("台账名称", validator=v.text)
    version: int = declared("格式版本", default=1, validator=v.between(1, 1))
    branches: tuple[Branch, ...] = collection()
    groups: tuple[PartyGroup, ...] = collection()
    members: tuple[Member, ...] = collection()
    meetings: tuple[Meeting, ...] = collection()
    study_sessions: tuple[StudySession, ...] = collection()
    elections: tuple[Election, ...] = collection()
    talks: tuple[HeartToHeartTalk, ...] = collection()
    trainings: tuple[TrainingRecord, ...] = collection()
    dues_payments: tuple[DuesPayment, ...] = collection()
    pairings: tuple[PairingVillage, ...] = collection()
    rectifications: tuple[RectificationItem, ...] = collection()
    responsibility_letters: tuple[ResponsibilityLetter, ...] = collection()
    appraisals: tuple[Appraisal, ...] = collection()
    service_activities: tuple[ServiceActivity, ...] = collection()
    sources: tuple[RecordSource, ...] = declared("记录来源", en="record sources", default=())
    extra_columns: tuple[ExtraColumn, ...] = declared("附加列", en="extra columns", default=())
    spellings: tuple[Spelling, ...] = declared("填写原文", en="spellings as typed", default=())

    # -- lookups ---------------------------------------------------------------------------

    @cached_property
    def _by_id(self) -> dict[type[Any], dict[str, Any]]:
        index: dict[type[Any], dict[str, Any]] = {}
        for kind in RECORD_KINDS:
            table: dict[str, Any] = {}
            for record in getattr(self, kind.field):
                table.setdefault(record.id, record)
            index[kind.cls] = table
        return index

    @cached_property
    def _by_branch(self) -> dict[type[Any], dict[str, list[Any]]]:
        index: dict[type[Any], dict[str, list[Any]]] = {}
        for kind in RECORD_KINDS:
            if "branch" not in attrs.fields_dict(kind.cls):
                continue
            table: dict[str, list[Any]] = defaultdict(list)
            for record in getattr(self, kind.field):
                if record.branch is not None:
                    table[record.branch].append(record)
            index[kind.cls] = dict(table)
        return index

    def get(self, kind: type[T], id: str) -> T:
        """The record of class ``kind`` whose id is ``id``.

        Raises:
            KeyError: no such record (the message names the kind and the id).
        """
        try:
            return self._by_id[kind][id]  # type: ignore[no-any-return]
        except KeyError:
            label = _KIND_OF[kind].label if kind in _KIND_OF else kind.__name__
            raise KeyError(f"台账中没有编号为「{id}」的{label}") from None

    def find(self, kind: type[T], id: str) -> T | None:
        """The record of class ``kind`` whose id is ``id``, or ``None``."""
        found: T | None = self._by_id[kind].get(id)
        return found

    def branch(self, id: str) -> Branch:
        """The organisation whose id is ``id`` (:class:`KeyError` if none)."""
        return self.get(Branch, id)

    def member(self, id: str) -> Member:
        """The member whose id is ``id`` (:class:`KeyError` if none)."""
        return self.get(Member, id)

    def by_branch(self, kind: type[T], branch: str) -> tuple[T, ...]:
        """The records of class ``kind`` that belong to organisation ``branch``, in ledger order.

        ``kind`` is any record class with a ``branch`` field (members, meetings, study
        sessions, …).
        """
        if kind not in self._by_branch:
            raise TypeError(f"{kind.__name__} records do not belong to a branch")
        return tuple(self._by_branch[kind].get(branch, ()))

    def members_of(self, branch: str) -> tuple[Member, ...]:
        """The members of organisation ``branch``."""
        return self.by_branch(Member, branch)

    @cached_property
    def _sources(self) -> dict[tuple[str, str], tuple[str, ...]]:
        index: dict[tuple[str, str], list[str]] = defaultdict(list)
        for source in self.sources:
            for id in source.ids:
                if source.file not in index[source.collection, id]:
                    index[source.collection, id].append(source.file)
        return {key: tuple(files) for key, files in index.items()}

    def sources_of(self, kind: type[Any] | str, id: str) -> tuple[str, ...]:
        """The files the record of ``kind`` (its class or its collection, ``"members"``)
        whose id is ``id`` came from, when the ledger was merged (:func:`dangjian.merge`); empty
        when the ledger does not say (it was read from one file)."""
        collection = kind if isinstance(kind, str) else _KIND_OF[kind].field
        return self._sources.get((collection, id), ())

    @cached_property
    def _children(self) -> dict[str, tuple[Branch, ...]]:
        index: dict[str, list[Branch]] = defaultdict(list)
        for b in self.branches:
            if b.parent is not None:
                index[b.parent].append(b)
        return {parent: tuple(children) for parent, children in index.items()}

    def children(self, branch: str) -> tuple[Branch, ...]:
        """The organisations directly under ``branch``, in ledger order.

        The first call indexes every organisation by its parent, once for the ledger; each call
        then takes time in the number of children, not of organisations.
        """
        return self._children.get(branch, ())

    def records(self) -> Iterator[tuple[RecordKind, Sequence[Any]]]:
        """Each collection of the ledger with its kind, in the order of :data:`RECORD_KINDS`."""
        for kind in RECORD_KINDS:
            yield kind, getattr(self, kind.field)

    def __len__(self) -> int:
        """The number of records in the ledger, of every kind."""
        return sum(len(records) for _, records in self.records())

    def to_frames(
        self, *, include_pii: bool = False, labels: Language | None = None
    ) -> dict[str, pd.DataFrame]:
        """One pandas data frame per record kind, keyed by the collection's name (``members``,
        ``meetings`` …), one row per record, every kind present (needs the ``frames`` extra).

        Columns follow the fields: a nested record is flattened into ``field.subfield`` columns
        (``milestones.admitted``); lists of ids stay Python lists and lists of nested records
        lists of dicts; dates are ``datetime64[s]``, amounts :class:`~decimal.Decimal` objects,
        months ``period[M]``, enumerations categorical codes. Resident ids are masked unless
        ``include_pii`` is true. The full table is in the docstring of ``dangjian._frames``.

        Beside each column that holds the id of an organisation, a party group or a member
        (``branch``, ``group``, ``leader``, ``member`` …) is its name, ``branch_name``,
        ``group_name``, ``leader_name``, ``member_name`` (missing when the id names no record).
        What is missing is pandas' missing value: ``<NA>`` (never ``None``), ``NaT`` in dates
        and months, NaN in categorical codes. ``labels="zh"`` names the columns by their
        Chinese labels (``所属支部``; a name column ``所属支部（名称）``) and shows enumerations by
        their Chinese labels instead of their codes (``"en"``: in English).

        Raises:
            DangjianError: pandas is not installed.
        """
        return _views.frames(self, include_pii=include_pii, labels=labels)

    def __repr__(self) -> str:
        """One line: the name and the count of each kind of record present; the records are in
        the collections, :meth:`to_frames` and the HTML view."""
        counted = "，".join(
            f"{kind.label}{len(records)}" for kind, records in self.records() if records
        )
        return f"<Ledger {self.name}：{len(self)}条记录{'（' + counted + '）' if counted else ''}>"

    def _repr_html_(self) -> str:
        return _views.html(self)

    # -- validation ------------------------------------------------------------------------

    def validate(self, *, source: str | None = None) -> None:
        """Check that the records fit together.

        Raises:
            LedgerError: listing every problem :meth:`problems` finds.
        """
        found = self.problems()
        if found:
            raise LedgerError(found, source=source)

    def problems(self) -> list[Problem]:
        """Every way the records fail to fit together, each with its path.

        Ids must be unique within each kind, every reference must resolve to a record of the
        right kind, and dates must be in a sane order across records (nobody attends a meeting
        before being born, no meeting before its organisation was founded).
        """
        return _Validator(self).run()


def ledger_problems(
    ledger: Ledger,
    *,
    positions: Mapping[str, Sequence[int]] | None = None,
    assumed: Mapping[type[Any], set[str]] | None = None,
    quick: bool = True,
) -> list[Problem]:
    """Every way the records of ``ledger`` fail to fit together (:meth:`Ledger.problems`).

    Args:
        ledger: The records, possibly only those of a document that did structure.
        positions: For each collection, the index in the document of each of its records, when
            records were left out: paths then point into the document.
        assumed: For each record class, the ids of records that failed to structure: a
            reference to one of them is not reported as broken a second time.
        quick: Test the large collections record by record with a quick test first (``False``
            runs the full checks on every record; the tests compare the two).
    """
    return _Validator(ledger, positions=positions, assumed=assumed, quick=quick).run()


RECORD_KINDS: tuple[RecordKind, ...] = tuple(
    RecordKind(f.name, kind.cls, kind.label, kind.label_en)
    for f in fields(Ledger)
    if f.record is not None
    for kind in (kind_of(f.record),)
)
"""Every collection of a :class:`Ledger`, in the order they are written: derived from the
ledger's fields and the record kinds their entities declare (:func:`dangjian.model.record_kind`).
"""

_KIND_OF: dict[type[Any], RecordKind] = {k.cls: k for k in RECORD_KINDS}


def row_keys(ledger: Ledger, sheet: str) -> Iterator[tuple[str, Any]]:
    """Each record of the workbook sheet with identifier ``sheet`` (``members``,
    ``pairings.visits``) with its row key (:mod:`dangjian.model.kept`), in the order a workbook
    writes them; nothing for an unknown sheet. The sheet ``ledger`` has one row, the ledger
    itself, whose key is empty."""
    if sheet == "ledger":
        yield "", ledger
        return
    field, *nested = sheet.split(".")
    if field not in _FIELDS:
        return

    def walk(record: Any, key: str, rest: list[str]) -> Iterator[tuple[str, Any]]:
        if not rest:
            yield key, record
            return
        items = getattr(record, rest[0], None)
        if items.__class__ is not tuple:
            return
        for number, item in enumerate(items, start=1):
            yield from walk(item, row_key(key, [number]), rest[1:])

    for record in getattr(ledger, field):
        yield from walk(record, record.id, nested)


_FIELDS = frozenset(k.field for k in RECORD_KINDS)


def _is_sheet(sheet: str) -> bool:
    """Whether ``sheet`` is the identifier of a sheet of a workbook (``ledger``, ``members``,
    ``meetings.absences``): the ledger's, a collection's, or a list of nested records'."""
    if sheet == "ledger":
        return True
    field, *nested = sheet.split(".")
    if field not in _FIELDS:
        return False
    cls = next(k.cls for k in RECORD_KINDS if k.field == field)
    for name in nested:
        found = next((f for f in fields(cls) if f.name == name and f.many), None)
        if found is None or found.record is None:
            return False
        cls = found.record
    return True


def _p(path: str, code: str, message: Message) -> Problem:
    return Problem(path=path, code=code, message=message)


_EARLIEST = dt.date.min
_ID = operator.attrgetter("id")
_MEMBER = operator.attrgetter("member")
_MILESTONES = tuple(n for n in attrs.fields_dict(Milestones) if n != "course_exception")
"""The dated steps of :class:`Milestones` (not the text of a recorded exception)."""


_CHECKED_HERE = frozenset(
    (
        "branches",
        "groups",
        "members",
        "meetings",
        "study_sessions",
        "elections",
        "talks",
        "trainings",
        "dues_payments",
        "pairings",
        "rectifications",
        "responsibility_letters",
        "appraisals",
        "service_activities",
    )
)
"""The collections whose checks :class:`_Validator` spells out; any other record kind's
references are checked from the declarations of its fields alone."""

_TARGETS: dict[tuple[type[Any], str], type[Any]] = {}


def _target(cls: type[Any], name: str) -> type[Any]:
    """The entity class that field ``name`` of ``cls`` refers to, as the field declares."""
    found = _TARGETS.get((cls, name))
    if found is None:
        facts = next(f for f in fields(cls) if f.name == name)
        assert facts.target is not None, f"{cls.__name__}.{name} is no reference"
        found = _TARGETS[cls, name] = kind_of(facts.target).cls
    return found


class _Validator:
    """Whole-ledger checks; one instance per call of :meth:`Ledger.problems`.

    Every record goes through the same checks; there is no second, quicker copy of them. The
    checks that look at long lists of names (who was expected, who attended, who studied) first
    test the whole list at once (:meth:`_present`) and look name by name, building paths and
    problems, only when that test fails; so does the check of the dues, over the whole
    collection. ``quick=False`` looks name by name everywhere (the tests compare the two).
    """

    def __init__(
        self,
        ledger: Ledger,
        *,
        positions: Mapping[str, Sequence[int]] | None = None,
        assumed: Mapping[type[Any], set[str]] | None = None,
        quick: bool = True,
    ) -> None:
        self.ledger = ledger
        self.positions = positions or {}
        self.assumed = assumed or {}
        self.quick = quick
        self.found: list[Problem] = []
        self.ids: dict[type[Any], dict[str, Any]] = {}
        # for the tests of whole lists: each member's birth date (the earliest date when
        # unknown), the members' ids and the latest birth date
        self.born: dict[str, dt.date] = {}
        self.member_ids: frozenset[str] = frozenset()
        self.last_birth = _EARLIEST

    def _each(self, field: str) -> Iterator[tuple[int, Any]]:
        """The records of a collection with their index in the document they came from."""
        records = getattr(self.ledger, field)
        where = self.positions.get(field)
        if where is None:
            yield from enumerate(records)
        else:
            yield from zip(where, records, strict=True)

    def run(self) -> list[Problem]:
        self._unique_ids()
        self._branches()
        self._groups()
        self._members()
        self._meetings()
        self._study_sessions()
        self._elections()
        self._talks_training_dues()
        self._pairings()
        self._oversight()
        self._other_kinds()
        self._sources()
        self._kept()
        return self.found

    # helpers

    def _unique_ids(self) -> None:
        for kind, records in self.ledger.records():
            backwards = records[::-1]
            self.ids[kind.cls] = table = dict(zip(map(_ID, backwards), backwards, strict=True))
            if len(table) == len(records):
                continue
            first: dict[str, int] = {}
            for i, record in self._each(kind.field):
                j = first.setdefault(record.id, i)
                if j != i:
                    self.found.append(
                        _p(
                            f"{kind.field}[{i}].id",
                            "duplicate_id",
                            t(
                                "{label}编号「{id}」重复，与 {field}[{index}] 相同",
                                label=kind.label,
                                label_en=kind.label_en,
                                id=record.id,
                                field=kind.field,
                                index=j,
                            ),
                        )
                    )
        self.born = {k: m.birth_date or _EARLIEST for k, m in self.ids[Member].items()}
        self.member_ids = frozenset(self.born)
        self.last_birth = max(self.born.values(), default=_EARLIEST)

    def _present(self, names: Sequence[str], day: dt.date) -> bool:
        """Whether every id in ``names`` is a member's, none of them born after ``day``."""
        if day >= self.last_birth:  # nobody was born after that day
            return self.member_ids.issuperset(names)
        try:
            return not names or max(map(self.born.__getitem__, names)) <= day
        except KeyError:
            return False

    def _ref(self, path: str, value: str | None, target: type[Any]) -> Any:
        """The record ``value`` refers to, or ``None`` after noting a broken reference."""
        if value is None:
            return None
        record = self.ids[target].get(value)
        if record is None and value not in self.assumed.get(target, ()):
            kind = _KIND_OF[target]
            self.found.append(
                _p(
                    path,
                    "broken_reference",
                    t(
                        "找不到编号为「{id}」的{label}",
                        id=value,
                        label=kind.label,
                        label_en=kind.label_en,
                    ),
                )
            )
        return record

    def _refs(self, path: str, values: Sequence[str], target: type[Any]) -> list[Any]:
        return [self._ref(f"{path}[{i}]", x, target) for i, x in enumerate(values)]

    def _field(self, path: str, record: Any, name: str) -> Any:
        """What field ``name`` of ``record`` at ``path`` refers to, the kind it refers to read
        from the field's declaration: the record (``None`` if none), or a list of them for a
        list of ids; a broken reference is noted as by :meth:`_ref`."""
        target = _target(type(record), name)
        value = getattr(record, name)
        if value.__class__ is tuple:
            return self._refs(f"{path}.{name}", value, target)
        return self._ref(f"{path}.{name}", value, target)

    def _references(self, path: str, record: Any) -> None:
        """Check every reference that ``record`` at ``path`` and its nested records declare, in
        the order of their fields: all the checks of a record kind that has no others."""
        for f in fields(type(record)):
            if f.target is not None and f.check:
                self._field(path, record, f.name)
            elif f.record is not None:
                value = getattr(record, f.name)
                if f.many:
                    for j, item in enumerate(value):
                        self._references(f"{path}.{f.name}[{j}]", item)
                elif value is not None:
                    self._references(f"{path}.{f.name}", value)

    def _other_kinds(self) -> None:
        """The references of the record kinds that have no checks of their own here."""
        for kind in RECORD_KINDS:
            if kind.field not in _CHECKED_HERE:
                for i, record in self._each(kind.field):
                    self._references(f"{kind.field}[{i}]", record)

    def _sources(self) -> None:
        """Each record source names a collection, and records of it that are in the ledger,
        once for its file."""
        kinds = {kind.field: kind for kind in RECORD_KINDS}
        seen: set[tuple[str, str]] = set()
        for i, source in enumerate(self.ledger.sources):
            path = f"sources[{i}]"
            kind = kinds.get(source.collection)
            if kind is None:
                self.found.append(
                    _p(
                        f"{path}.collection",
                        "unknown_key",
                        t(
                            "没有名为「{collection}」的记录类别，可用：{known}",
                            collection=source.collection,
                            known="、".join(kinds),
                            names=", ".join(kinds),
                        ),
                    )
                )
                continue
            if (source.file, source.collection) in seen:
                self.found.append(
                    _p(
                        path,
                        "duplicate_key",
                        t(
                            "来源文件「{file}」的{label}重复列出",
                            file=source.file,
                            label=kind.label,
                            label_en=kind.label_en,
                        ),
                    )
                )
            seen.add((source.file, source.collection))
            table = self.ids[kind.cls]
            for j, id in enumerate(source.ids):
                if id not in table:
                    self.found.append(
                        _p(
                            f"{path}.ids[{j}]",
                            "broken_reference",
                            t(
                                "台账中没有编号为「{id}」的{label}",
                                id=id,
                                label=kind.label,
                                label_en=kind.label_en,
                            ),
                        )
                    )

    def _kept(self) -> None:
        """What a workbook held beyond the fields names rows that are there, once each."""
        if self.positions:
            return  # some records did not structure: their rows cannot be told
        keys: dict[str, set[str]] = {}

        def rows(sheet: str) -> set[str]:
            if sheet not in keys:
                keys[sheet] = {key for key, _ in row_keys(self.ledger, sheet)}
            return keys[sheet]

        seen: set[tuple[str, str]] = set()
        for i, column in enumerate(self.ledger.extra_columns):
            if not _is_sheet(column.sheet):
                self._no_sheet(f"extra_columns[{i}].sheet", column.sheet)
                continue
            if (column.sheet, column.header) in seen:
                self.found.append(
                    _p(
                        f"extra_columns[{i}].header",
                        "duplicate_key",
                        t("附加列「{header}」重复", header=column.header),
                    )
                )
            seen.add((column.sheet, column.header))
            cells: set[str] = set()
            for j, cell in enumerate(column.cells):
                path = f"extra_columns[{i}].cells[{j}]"
                if cell.record in cells:
                    self._kept_twice(f"{path}.record", cell.record)
                cells.add(cell.record)
                self._kept_row(path, column.sheet, cell.record, rows)
        spelled: set[tuple[str, str, str]] = set()
        for i, spelling in enumerate(self.ledger.spellings):
            if not _is_sheet(spelling.sheet):
                self._no_sheet(f"spellings[{i}].sheet", spelling.sheet)
                continue
            key = (spelling.sheet, spelling.record, spelling.column)
            if key in spelled:
                self._kept_twice(f"spellings[{i}].record", spelling.record)
            spelled.add(key)
            self._kept_row(f"spellings[{i}]", spelling.sheet, spelling.record, rows)

    def _no_sheet(self, path: str, sheet: str) -> None:
        self.found.append(
            _p(path, "invalid_value", t("「{sheet}」不是工作簿中的工作表", sheet=sheet))
        )

    def _kept_twice(self, path: str, record: str) -> None:
        self.found.append(_p(path, "duplicate_key", t("行键「{record}」重复", record=record)))

    def _kept_row(
        self, path: str, sheet: str, record: str, rows: Callable[[str], set[str]]
    ) -> None:
        if record not in rows(sheet):
            self.found.append(
                _p(
                    f"{path}.record",
                    "broken_reference",
                    t(
                        "工作表「{sheet}」中没有行键为「{record}」的记录",
                        sheet=sheet,
                        record=record,
                    ),
                )
            )

    def _attendees(self, path: str, record: Any, name: str, day: dt.date) -> None:
        """Each id in the list field ``name`` of ``record`` at ``path`` refers to a record of the
        kind it declares (a member), born by ``day``; the whole list is tested at once first."""
        names = getattr(record, name)
        if self.quick and self._present(names, day):
            return
        for j, member in enumerate(self._field(path, record, name)):
            self._alive_on(f"{path}.{name}[{j}]", member, day)

    def _alive_on(self, path: str, member: Member | None, day: dt.date) -> None:
        if member is not None and member.birth_date is not None and day < member.birth_date:
            self.found.append(
                _p(
                    path,
                    "before_birth",
                    t(
                        "{name}（{id}）出生于{born}，不可能在{day}参加",
                        name=member.name,
                        id=member.id,
                        born=member.birth_date.isoformat(),
                        day=day.isoformat(),
                    ),
                )
            )

    def _org_exists_on(self, path: str, branch: Branch | None, day: dt.date) -> None:
        if branch is None:
            return
        if branch.founded is not None and day < branch.founded:
            self.found.append(
                _p(
                    path,
                    "before_founded",
                    t(
                        "{name}成立于{founded}，早于此日期不能有活动",
                        name=branch.name,
                        id=branch.id,
                        founded=branch.founded.isoformat(),
                    ),
                )
            )
        if branch.dissolved is not None and day > branch.dissolved:
            self.found.append(
                _p(
                    path,
                    "after_dissolved",
                    t(
                        "{name}已于{dissolved}撤销，此后不能有活动",
                        name=branch.name,
                        id=branch.id,
                        dissolved=branch.dissolved.isoformat(),
                    ),
                )
            )

    def _count_agrees(self, path: str, count: int | None, names: Sequence[str], what: str) -> None:
        if count is not None and names and count != len(names):
            self.found.append(
                _p(
                    path,
                    "count_mismatch",
                    t(
                        "{what}人数为{count}，名单却有{listed}人",
                        what=what,
                        count=count,
                        listed=len(names),
                    ),
                )
            )

    def _group_in_branch(self, path: str, group_id: str | None, branch_id: str) -> None:
        group = self._ref(path, group_id, PartyGroup)
        if group is not None and group.branch != branch_id:
            self.found.append(
                _p(
                    path,
                    "group_outside_branch",
                    t(
                        "党小组「{group}」属于「{branch}」，不属于「{other}」",
                        group=group.id,
                        branch=group.branch,
                        other=branch_id,
                    ),
                )
            )

    # the kinds

    def _branches(self) -> None:
        for i, b in self._each("branches"):
            path = f"branches[{i}]"
            if b.parent == b.id:
                self.found.append(_p(f"{path}.parent", "cycle", t("上级组织不能是自己")))
            else:
                self._field(path, b, "parent")
            for j, seat in enumerate(b.committee):
                self._field(f"{path}.committee[{j}]", seat, "member")
        # cycles longer than one step, each reported once, at its first organisation
        parents = {b.id: b.parent for b in self.ledger.branches}
        reported: set[str] = set()
        for i, b in self._each("branches"):
            if b.parent == b.id or b.id in reported:
                continue
            chain = [b.id]
            seen = {b.id}  # the chain's ids, looked up in constant time
            up = b.parent
            while up is not None and up in parents and up not in seen:
                chain.append(up)
                seen.add(up)
                up = parents[up]
            if up == b.id:
                reported.update(chain)
                loop = " → ".join([*chain, b.id])
                self.found.append(
                    _p(
                        f"branches[{i}].parent",
                        "cycle",
                        t("上级组织形成循环：{loop}", loop=loop),
                    )
                )

    def _groups(self) -> None:
        for i, g in self._each("groups"):
            self._field(f"groups[{i}]", g, "branch")
            leader = self._field(f"groups[{i}]", g, "leader")
            if leader is not None and leader.branch != g.branch:
                self.found.append(
                    _p(
                        f"groups[{i}].leader",
                        "leader_outside_branch",
                        t(
                            "党小组长「{leader}」不是本支部（{branch}）的党员",
                            leader=leader.id,
                            branch=g.branch,
                        ),
                    )
                )

    def _members(self) -> None:
        for i, m in self._each("members"):
            path = f"members[{i}]"
            self._field(path, m, "branch")
            self._group_in_branch(f"{path}.group", m.group, m.branch)
            self._field(path, m, "mentors")
            self._field(path, m, "sponsors")
            self._field(path, m, "candidate_meeting")
            for j, review in enumerate(m.reviews):
                self._field(f"{path}.reviews[{j}]", review, "branch")
            for field in ("mentors", "sponsors"):
                if m.id in getattr(m, field):
                    self.found.append(_p(f"{path}.{field}", "self_reference", t("不能是本人")))
            if m.resident_id is not None:
                if m.birth_date is not None and m.resident_id.birth_date != m.birth_date:
                    self.found.append(
                        _p(
                            f"{path}.birth_date",
                            "resident_id_mismatch",
                            t("出生日期与身份证号中的出生日期不一致"),
                        )
                    )
                if m.resident_id.is_male != (m.gender.code == "male"):
                    self.found.append(
                        _p(
                            f"{path}.gender",
                            "resident_id_mismatch",
                            t("性别与身份证号不一致"),
                        )
                    )
            if m.birth_date is not None:
                for name in _MILESTONES:
                    day = getattr(m.milestones, name)
                    if day is not None and day <= m.birth_date:
                        self.found.append(
                            _p(
                                f"{path}.milestones.{name}",
                                "before_birth",
                                t(
                                    "日期{day}不晚于出生日期{born}",
                                    day=day.isoformat(),
                                    born=m.birth_date.isoformat(),
                                ),
                            )
                        )
            if m.left is not None and not m.status.has_left:
                self.found.append(
                    _p(
                        f"{path}.left",
                        "status_mismatch",
                        t(
                            "填写了离开日期，状态却是「{status}」",
                            status=m.status.label,
                            code=m.status.code,
                        ),
                    )
                )
            ext = m.probation_extension
            admitted = m.milestones.admitted
            if ext is not None and admitted is not None and ext.decided < admitted:
                self.found.append(
                    _p(
                        f"{path}.probation_extension.decided",
                        "date_order",
                        t("延长预备期的决定早于接收为预备党员"),
                    )
                )
            cancelled = m.probation_cancelled
            if cancelled is not None and admitted is not None and cancelled < admitted:
                self.found.append(
                    _p(
                        f"{path}.probation_cancelled",
                        "date_order",
                        t(
                            "取消预备党员资格日期{cancelled}早于接收为预备党员日期{admitted}",
                            cancelled=cancelled.isoformat(),
                            admitted=admitted.isoformat(),
                        ),
                    )
                )

    def _attendance(
        self,
        path: str,
        record: Any,
        day: dt.date,
        names: tuple[str, str],
    ) -> None:
        exp_name, att_name = names
        expected: Sequence[str] = getattr(record, exp_name)
        attended: Sequence[str] = getattr(record, att_name)
        self._attendees(path, record, exp_name, day)
        self._attendees(path, record, att_name, day)
        if expected:
            should = set(expected)
            if self.quick and should.issuperset(attended):
                return
            for j, x in enumerate(attended):
                if x not in should:
                    self.found.append(
                        _p(
                            f"{path}.{att_name}[{j}]",
                            "not_expected",
                            t("「{member}」出席了，却不在应到名单中", member=x),
                        )
                    )

    def _meetings(self) -> None:
        for i, m in self._each("meetings"):
            path = f"meetings[{i}]"
            branch = self._field(path, m, "branch")
            self._org_exists_on(f"{path}.date", branch, m.date)
            self._group_in_branch(f"{path}.group", m.group, m.branch)
            for field in ("chair", "recorder", "lecturer"):
                self._field(path, m, field)
            self._attendance(path, m, m.date, ("expected", "attended"))
            present = set(m.attended)
            for j, absence in enumerate(m.absences):
                self._field(f"{path}.absences[{j}]", absence, "member")
                if absence.member in present:
                    self.found.append(
                        _p(
                            f"{path}.absences[{j}].member",
                            "absent_and_present",
                            t("「{member}」既在出席名单中又在缺席名单中", member=absence.member),
                        )
                    )
            self._count_agrees(f"{path}.expected_count", m.expected_count, m.expected, "应到")
            self._count_agrees(f"{path}.present_count", m.present_count, m.attended, "实到")
            if (
                m.expected_count is not None
                and m.present_count is not None
                and m.present_count > m.expected_count
            ):
                self.found.append(
                    _p(
                        f"{path}.present_count",
                        "count_mismatch",
                        t(
                            "实到{present}人多于应到{expected}人",
                            present=m.present_count,
                            expected=m.expected_count,
                        ),
                    )
                )

    def _study_sessions(self) -> None:
        for i, s in self._each("study_sessions"):
            path = f"study_sessions[{i}]"
            branch = self._field(path, s, "branch")
            self._org_exists_on(f"{path}.date", branch, s.date)
            self._group_in_branch(f"{path}.group", s.group, s.branch)
            self._field(path, s, "speaker")
            self._attendees(path, s, "attendees", s.date)
            if s.attendee_count is not None and s.attendee_count < len(s.attendees):
                self.found.append(
                    _p(
                        f"{path}.attendee_count",
                        "count_mismatch",
                        t(
                            "参加人数{count}少于名单中的{named}人",
                            count=s.attendee_count,
                            named=len(s.attendees),
                        ),
                    )
                )

    def _elections(self) -> None:
        for i, e in self._each("elections"):
            path = f"elections[{i}]"
            branch = self._field(path, e, "branch")
            self._org_exists_on(f"{path}.date", branch, e.date)
            names = [c.member for c in e.candidates]
            for j, c in enumerate(e.candidates):
                self._field(f"{path}.candidates[{j}]", c, "member")
                if c.member in names[:j]:
                    self.found.append(
                        _p(
                            f"{path}.candidates[{j}].member",
                            "duplicate",
                            t("候选人「{member}」重复", member=c.member),
                        )
                    )
            self._attendance(path, e, e.date, ("voters_expected", "voters_present"))
            self._count_agrees(
                f"{path}.expected_count", e.expected_count, e.voters_expected, "应到"
            )
            self._count_agrees(f"{path}.present_count", e.present_count, e.voters_present, "实到")
            for j, x in enumerate(e.elected):
                if x not in names:
                    self.found.append(
                        _p(
                            f"{path}.elected[{j}]",
                            "not_a_candidate",
                            t("当选人「{member}」不在候选人名单中", member=x),
                        )
                    )
            if len(e.elected) > e.seats:
                self.found.append(
                    _p(
                        f"{path}.elected",
                        "too_many_elected",
                        t(
                            "当选{elected}人，多于应选{seats}名",
                            elected=len(e.elected),
                            seats=e.seats,
                        ),
                    )
                )
            if (
                e.ballots_issued is not None
                and e.ballots_returned is not None
                and e.ballots_returned > e.ballots_issued
            ):
                self.found.append(
                    _p(
                        f"{path}.ballots_returned",
                        "count_mismatch",
                        t(
                            "收回选票{returned}张，多于发出的{issued}张",
                            returned=e.ballots_returned,
                            issued=e.ballots_issued,
                        ),
                    )
                )

    def _talks_training_dues(self) -> None:
        for i, talk in self._each("talks"):
            for field in ("initiator", "partner"):
                member = self._field(f"talks[{i}]", talk, field)
                self._alive_on(f"talks[{i}].{field}", member, talk.date)
        for i, r in self._each("trainings"):
            member = self._field(f"trainings[{i}]", r, "member")
            self._alive_on(f"trainings[{i}].member", member, r.date)
        payments = self.ledger.dues_payments
        if not self.quick or not self.member_ids.issuperset(map(_MEMBER, payments)):
            for i, d in self._each("dues_payments"):
                self._field(f"dues_payments[{i}]", d, "member")

    def _pairings(self) -> None:
        for i, p in self._each("pairings"):
            self._references(f"pairings[{i}]", p)

    def _oversight(self) -> None:
        for i, r in self._each("rectifications"):
            self._field(f"rectifications[{i}]", r, "branch")
            for j, f in enumerate(r.follow_ups):
                if r.closed is not None and f.date < r.closed:
                    self.found.append(
                        _p(
                            f"rectifications[{i}].follow_ups[{j}].date",
                            "date_order",
                            t("回头看早于销号日期"),
                        )
                    )
        for i, letter in self._each("responsibility_letters"):
            self._references(f"responsibility_letters[{i}]", letter)
        for i, a in self._each("appraisals"):
            self._field(f"appraisals[{i}]", a, "branch")
            member = self._field(f"appraisals[{i}]", a, "member")
            self._alive_on(f"appraisals[{i}].member", member, a.date)
        for i, s in self._each("service_activities"):
            path = f"service_activities[{i}]"
            self._field(path, s, "branch")
            self._attendees(path, s, "participants", s.start)
