"""The layout of a ledger workbook: its sheets, their columns and the field each column holds.

Pure data, without openpyxl: :mod:`dangjian.io.excel` writes and reads workbooks by it. Every
column has a Chinese header (the glossary's term for its field) and an identifier (the field's
key in a ledger file, ``date`` or ``milestones.applied``); reading accepts either as the header.
Everything here is derived from the declarations of the entities' fields
(:func:`dangjian.model.fields`): a column's header is its field's declared header, its target the
record kind the field refers to, and each list of nested records gets a sheet named by the list
field's header, whose first column names the record it belongs to (the record kind's ``key`` and
``key_header``). ``tests/test_excel.py`` checks the headers against ``docs/glossary.md``.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any, Literal

import attrs

from dangjian.ledger import RECORD_KINDS, Ledger
from dangjian.model import FieldFacts, KindFacts, LabelledEnum, Month, ResidentId, fields, kind_of

__all__ = [
    "HEAD",
    "HEADERS",
    "INSTRUCTIONS",
    "NAMED",
    "REFERENCES",
    "SHEETS",
    "Column",
    "ColumnKind",
    "NameColumn",
    "Sheet",
    "kind_sheets",
    "name_column",
]

ColumnKind = Literal[
    "text",  # text that must not be empty nor have blanks around it: read stripped
    "note",  # free text: read exactly as it is
    "id",  # an id or a reference: a whole number is read as its digits
    "ids",  # a list of ids or references in one cell
    "texts",  # a list of texts in one cell
    "date",
    "time",
    "month",
    "decimal",
    "int",
    "index",  # the number of a visit within its pairing (走访序号)
    "bool",
    "enum",
    "enums",  # a list of values of an enumeration in one cell, by their Chinese labels
    "resident_id",
]

INSTRUCTIONS = "填写说明"
"""The name of the first sheet, which explains how to fill in the workbook; it is never read."""

VISIT_HEADER = "走访序号"
VISIT_KEY = "visit"


@attrs.frozen
class Column:
    """One column of a sheet.

    Attributes:
        header: The Chinese header, as written.
        key: The field the column holds, as a path into the record's plain data
            (``date``, ``milestones.applied``); for the columns that name the parent record,
            its identifier (``meeting``, ``visit``). Reading accepts it as a header too.
        kind: How the value is written and read.
        required: Whether every row must fill it in.
        enum: The enumeration of an ``enum`` or ``enums`` column.
        target: The collection that an ``id`` or ``ids`` column refers to (``members`` …).
        role: ``field`` for a field of the record, ``parent`` for the id of the record it
            belongs to, ``visit`` for the number of a visit (走访序号).
    """

    header: str
    key: str
    kind: ColumnKind
    required: bool = False
    enum: type[LabelledEnum] | None = None
    target: str | None = None
    role: Literal["field", "parent", "visit"] = "field"

    @property
    def path(self) -> tuple[str, ...]:
        """The key split at its dots."""
        return tuple(self.key.split("."))


@attrs.frozen
class Sheet:
    """One sheet of records.

    Attributes:
        name: The sheet's name: the record kind's Chinese label (会议), or the nested records'
            name (缺席).
        ident: Its identifier, accepted as its name too: the collection (``meetings``) or the
            path of the nested records (``meetings.absences``).
        cls: The class of its records.
        field: The field that holds the records: the collection in the ledger, or the field of
            the parent record.
        parent: The identifier of the parent's sheet, for nested records.
        label: The record kind's Chinese label, for messages (the parent's, for nested records).
        label_en: The same in English.
        columns: The columns, in order.
    """

    name: str
    ident: str
    cls: type[Any]
    field: str
    parent: str | None
    label: str
    label_en: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column | None:
        """The column holding ``key``, if any."""
        for c in self.columns:
            if c.key == key:
                return c
        return None

    @property
    def written(self) -> tuple[Column | NameColumn, ...]:
        """The columns as a workbook has them: each column of ids of people or organisations
        followed by the read-only column of their names (:class:`NameColumn`)."""
        out: list[Column | NameColumn] = []
        for c in self.columns:
            out.append(c)
            names = _names_of(self, c)
            if names is not None:
                out.append(names)
        return tuple(out)


NAMED: dict[str, tuple[str, str]] = {
    "members": ("name", "（姓名）"),
    "branches": ("name", "（名称）"),
    "groups": ("name", "（名称）"),
}
"""The collections whose records a column of ids is followed by the names of: the field that
names a record, and the suffix of the name column's header (``出席人（姓名）``,
``所在党组织（名称）``)."""


@attrs.frozen
class NameColumn:
    """A read-only column beside a column of ids: the names of the people (or organisations)
    the ids stand for, so that an office reads the sheet as it is.

    The writer fills it in; reading never takes a value from it, only checks it against the ids
    beside it (a name that disagrees is a notice, not an error). Its header is the id column's
    header, or the id column's key, followed by the suffix of :data:`NAMED` (``出席人（姓名）``,
    ``attended（姓名）``); :func:`name_column` tells such a header from an unknown column's.

    Attributes:
        header: The header, as written.
        of: The column of ids it names.
        collection: The collection the ids are in (``members`` …).
    """

    header: str
    of: Column
    collection: str

    @property
    def field(self) -> str:
        """The field of a record of :attr:`collection` that names it (``name``)."""
        return NAMED[self.collection][0]


def _names_of(sheet: Sheet, column: Column) -> NameColumn | None:
    """The name column that follows ``column`` of ``sheet``, if its ids are of a named kind."""
    if column.kind not in ("id", "ids") or column.key == "id":
        return None
    collection = column.target if column.role == "field" else sheet.ident.split(".")[0]
    if column.role == "visit" or collection not in NAMED:
        return None
    return NameColumn(column.header + NAMED[collection][1], column, collection)


def name_column(sheet: Sheet, header: str) -> NameColumn | None:
    """The read-only name column of ``sheet`` that ``header`` (as written in a workbook) is
    the header of, or None: the header of a column of ids of people, organisations or party
    groups, or its key, followed by a suffix of :data:`NAMED` (either: ``（姓名）`` or
    ``（名称）``, in full-width or ASCII brackets, blanks around it ignored).

    A workbook's reader calls it before it calls a header unknown: such a column is ours, and
    holds nothing to keep.

    >>> meetings = next(s for s in SHEETS if s.ident == "meetings")
    >>> name_column(meetings, "出席人（姓名）").of.key
    'attended'
    >>> name_column(meetings, " attended (姓名) ").header
    '出席人（姓名）'
    >>> name_column(meetings, "会议日期（姓名）") is None, name_column(meetings, "手机号") is None
    (True, True)
    """
    text = header.strip().replace("(", "（").replace(")", "）")
    suffix = next((x for x in _SUFFIXES if text.endswith(x)), None)
    if suffix is None:
        return None
    base = text.removesuffix(suffix).strip()
    for written in sheet.written:
        if isinstance(written, NameColumn) and base in (written.of.header, written.of.key):
            return written
    return None


_SUFFIXES = tuple(sorted({suffix for _, suffix in NAMED.values()}))


def _unwrap_optional(t: Any) -> Any:
    args = typing.get_args(t)
    if typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return inner
    return t


def _sheet_classes() -> list[type[Any]]:
    """The ledger and every entity class its sheets hold, nested records included."""
    out: list[type[Any]] = []

    def visit(cls: type[Any]) -> None:
        if cls not in out:
            out.append(cls)
            for f in fields(cls):
                if f.record is not None:
                    visit(f.record)

    visit(Ledger)
    return out


HEADERS: dict[type[Any], dict[str, str]] = {
    cls: {f.name: f.header for f in fields(cls) if f.record is None} for cls in _sheet_classes()
}
"""The Chinese header of each column, by record class and field: derived from the fields'
declarations (:func:`dangjian.model.fields`), for the tests and the documentation."""

REFERENCES: dict[tuple[type[Any], str], str] = {
    (cls, f.name): f.target for cls in _sheet_classes() for f in fields(cls) if f.target is not None
}
"""The fields that hold the id of another record, and the collection that record is in: derived
from the fields' declarations (:func:`dangjian.model.references`)."""


_SCALARS: dict[Any, ColumnKind] = {
    int: "int",
    bool: "bool",
    dt.date: "date",
    dt.time: "time",
    Month: "month",
    ResidentId: "resident_id",
}


def _kind(cls: type[Any], f: FieldFacts, t: Any) -> tuple[ColumnKind, Any]:
    """The kind of column for field ``f`` of type ``t``, and its enumeration if it has one."""
    if t is str:
        if f.name == "id" or f.target is not None:
            return "id", None
        validator = attrs.fields_dict(cls)[f.name].validator
        return ("text" if validator is not None else "note"), None
    if t is Decimal:
        return "decimal", None
    if t in _SCALARS:
        return _SCALARS[t], None
    if isinstance(t, type) and issubclass(t, LabelledEnum):
        return "enum", t
    if typing.get_origin(t) is tuple and typing.get_args(t)[0] is str:
        return ("ids" if f.target is not None else "texts"), None
    if typing.get_origin(t) is tuple:
        inner = typing.get_args(t)[0]
        if isinstance(inner, type) and issubclass(inner, LabelledEnum):
            return "enums", inner
    raise TypeError(f"no column for {cls.__name__}.{f.name}: {t!r}")  # pragma: no cover


def _columns(cls: type[Any], prefix: str = "", nested: bool = False) -> list[Column]:
    """The columns of the fields of ``cls``; a nested record's fields become columns too."""
    out: list[Column] = []
    for f in fields(cls):
        if f.record is not None:
            if not f.many:
                out += _columns(f.record, f"{prefix}{f.name}.", nested=True)
            continue  # a list of records has a sheet of its own
        kind, enum = _kind(cls, f, _unwrap_optional(f.type))
        out.append(
            Column(
                header=f.header,
                key=prefix + f.name,
                kind=kind,
                # a field of a nested record is required only when the record is given
                required=f.required and not nested,
                enum=enum,
                target=f.target,
            )
        )
    return out


def _children(owner: Sheet, top: KindFacts) -> list[Sheet]:
    """The sheets of the lists of records nested in the records of sheet ``owner``, each
    followed by its own: their name is the list field's header, their first column the id of
    the record of kind ``top`` they belong to. The records of a list nested in a list (a visit's
    donations) also give the number of the record within its list (走访序号)."""
    out: list[Sheet] = []
    for f in fields(owner.cls):
        if f.record is None or not f.many:
            continue
        keys = [Column(header=top.key_header, key=top.key, kind="id", required=True, role="parent")]
        if owner.parent is not None:  # a list within a list: name the record within its list
            keys.append(
                Column(
                    header=VISIT_HEADER, key=VISIT_KEY, kind="index", required=True, role="visit"
                )
            )
        elif any(g.record is not None and g.many for g in fields(f.record)):
            # a record that holds a list is numbered, so that the list's rows can name it
            keys.append(Column(header=VISIT_HEADER, key=VISIT_KEY, kind="index", role="visit"))
        child = Sheet(
            name=f.header,
            ident=f"{owner.ident}.{f.name}",
            cls=f.record,
            field=f.name,
            parent=owner.ident,
            label=owner.label,
            label_en=owner.label_en,
            columns=(*keys, *_columns(f.record)),
        )
        out += [child, *_children(child, top)]
    return out


def kind_sheets(cls: type[Any]) -> tuple[Sheet, ...]:
    """The sheets of the record kind of entity class ``cls`` (declared with
    :func:`dangjian.model.record_kind`): its own, then those of its nested records, depth first."""
    kind = kind_of(cls)
    sheet = Sheet(
        name=kind.label,
        ident=kind.collection,
        cls=cls,
        field=kind.collection,
        parent=None,
        label=kind.label,
        label_en=kind.label_en,
        columns=tuple(_columns(cls)),
    )
    return (sheet, *_children(sheet, kind))


def _build() -> tuple[Sheet, ...]:
    """Each kind's sheets, in the order of the ledger's collections."""
    return tuple(sheet for kind in RECORD_KINDS for sheet in kind_sheets(kind.cls))


SHEETS: tuple[Sheet, ...] = _build()
"""The record sheets, in the order they are written."""

HEAD = Sheet(
    name="台账",
    ident="ledger",
    cls=Ledger,
    field="",
    parent=None,
    label="台账",
    label_en="ledger",
    columns=tuple(_columns(Ledger)),
)
"""The sheet of the ledger's own fields: its name and the format's version, in one row."""
