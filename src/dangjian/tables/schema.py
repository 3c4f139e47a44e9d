"""The schema of a ledger as tables, derived from the declarations of the entities' fields.

One table per record kind (``members``), keyed by ``id``. A list held by a record becomes a child
table named by its path (``members.transfers``, ``meetings.attended``) that carries its parent's
key and the position in the list (``index``): a list of records gets one column per field of the
record, a list of ids or texts one column named after the field. A single nested record
(``milestones``) is flattened into its parent's table as ``milestones.applied`` columns, as in
the Excel sheets and the data frames. Every field of every entity is in exactly one place.

>>> from dangjian.tables import table
>>> members = table("members")
>>> members.key
('id',)
>>> [c.name for c in members.columns][:6]
['id', 'name', 'gender', 'birth_date', 'resident_id', 'branch']
>>> members.column("branch").target
'branches'
>>> attended = table("meetings.attended")
>>> attended.parent, attended.parent_key, attended.key
('meetings', ('meeting',), ('meeting', 'index'))
>>> attended.column("attended").target
'members'

The module imports only the model (and, when :func:`tables` is first called, the ledger's order
of its collections): no table engine is needed to read the schema.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from dangjian.model import FieldFacts, fields, kind_of

__all__ = ["LATER_TABLES", "Column", "Reference", "Table", "kind_tables", "table", "tables"]


INDEX = "index"
"""The column of a child table that holds the position of its row in the parent's list."""

LATER_TABLES = frozenset({"meetings.also"})
"""The child tables added to the layout after it was first published, for lists that older
ledgers could not hold: a source without one (an export or a platform's views made before) is
read as having no such items, rather than refused as a child table missing beside its parent.
``meetings.also``: the other kinds a meeting also served as (added with :attr:`Meeting.also
<dangjian.Meeting.also>`)."""


@attrs.frozen
class Column:
    """One column of a table.

    Attributes:
        name: Its name: the field's key, dotted for a field of a nested record
            (``milestones.applied``); for the columns that name the parent row, the parent's key
            (``member``, ``index``).
        type: The Python type of its values (``str``, ``datetime.date``, an enumeration …),
            ``int`` for a position.
        nullable: Whether it may be empty.
        label: The Chinese label.
        label_en: The English label.
        target: The collection its values refer to, for a reference (``members``).
        source: The entity class and the field it holds, ``None`` for the parent's key.
    """

    name: str
    type: Any
    nullable: bool
    label: str
    label_en: str
    target: str | None = None
    source: tuple[type[Any], str] | None = None


@attrs.frozen
class Reference:
    """A column whose values are ids of records of another table (its key is ``id``)."""

    column: str
    table: str


@attrs.frozen
class Table:
    """One table.

    Attributes:
        name: The collection (``members``) or the path of a nested list (``members.transfers``).
        cls: The entity class of its rows; ``None`` for a list of ids or texts.
        label: The Chinese label: the record kind's, or the list field's.
        label_en: The English label.
        key: The columns whose values identify a row.
        parent: The table of the rows that hold the list, for a child table.
        parent_key: The columns that hold the key of the parent row (the parent's ``key``, with
            ``id`` named by the parent's record kind and ``index`` by the parent's list).
        columns: The columns, the key's first.
        source: The entity class and the list field the child table holds; ``None`` for a
            record kind's table.
    """

    name: str
    cls: type[Any] | None
    label: str
    label_en: str
    key: tuple[str, ...]
    parent: str | None
    parent_key: tuple[str, ...]
    columns: tuple[Column, ...]
    source: tuple[type[Any], str] | None = None

    def column(self, name: str) -> Column:
        """The column called ``name``.

        Raises:
            KeyError: no such column.
        """
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def references(self) -> tuple[Reference, ...]:
        """The columns that refer to rows of other tables, the parent's key excepted."""
        return tuple(Reference(c.name, c.target) for c in self.columns if c.target is not None)


def _optional(t: Any) -> tuple[Any, bool]:
    """The type without ``None``, and whether ``None`` was allowed."""
    args = typing.get_args(t)
    if typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]), True  # noqa: UP007
    return t, False


def _columns(cls: type[Any], prefix: str = "", nullable: bool = False) -> list[Column]:
    """The columns of the scalar fields of ``cls``, nested single records flattened."""
    out: list[Column] = []
    for f in fields(cls):
        t, optional = _optional(f.type)
        if f.many:
            continue  # a child table
        if f.record is not None:
            out += _columns(f.record, f"{prefix}{f.name}.", nullable or optional)
            continue
        out.append(
            Column(
                name=prefix + f.name,
                type=t,
                # a field of a nested record is empty when the record is not given
                nullable=optional or nullable or (bool(prefix) and not f.required),
                label=f.label,
                label_en=f.label_en,
                target=f.target,
                source=(cls, f.name),
            )
        )
    return out


def _children(parent: Table, cls: type[Any], parent_cols: tuple[Column, ...]) -> list[Table]:
    """The child tables of the lists held by the records of ``parent``, and theirs."""
    out: list[Table] = []
    for f in _lists(cls):
        key = (*(c.name for c in parent_cols), INDEX)
        index = Column(name=INDEX, type=int, nullable=False, label="序号", label_en="position")
        name = f"{parent.name}.{f.name}"
        if f.record is not None:
            columns = (*parent_cols, index, *_columns(f.record))
        else:
            inner = typing.get_args(_optional(f.type)[0])[0]
            value = Column(
                name=f.name,
                type=inner,
                nullable=False,
                label=f.label,
                label_en=f.label_en,
                target=f.target,
                source=(f.owner, f.name.rpartition(".")[2]),
            )
            columns = (*parent_cols, index, value)
        child = Table(
            name=name,
            cls=f.record,
            label=f.label,
            label_en=f.label_en,
            key=key,
            parent=parent.name,
            parent_key=tuple(c.name for c in parent_cols),
            columns=columns,
            source=(f.owner, f.name.rpartition(".")[2]),
        )
        out.append(child)
        if f.record is not None:
            # the grandchildren name their parent row by its key, its index named by the list
            grand = (
                *parent_cols,
                attrs.evolve(index, name=f"{f.name}_{INDEX}", label=f"{f.label}序号"),
            )
            out += _children(child, f.record, grand)
    return out


def _lists(cls: type[Any]) -> list[FieldFacts]:
    """The list fields of ``cls``, and those of its single nested records (prefixed)."""
    out: list[FieldFacts] = []
    for f in fields(cls):
        if f.many:
            out.append(f)
        elif f.record is not None:
            out += [attrs.evolve(g, name=f"{f.name}.{g.name}") for g in _lists(f.record)]
    return out


def kind_tables(cls: type[Any]) -> tuple[Table, ...]:
    """The tables of the record kind of entity class ``cls`` (declared with
    :func:`dangjian.model.record_kind`): its own, then its child tables, depth first."""
    kind = kind_of(cls)
    top = Table(
        name=kind.collection,
        cls=cls,
        label=kind.label,
        label_en=kind.label_en,
        key=("id",),
        parent=None,
        parent_key=(),
        columns=tuple(_columns(cls)),
    )
    id_ = top.column("id")
    parent_id = attrs.evolve(
        id_, name=kind.key, label=kind.key_header, label_en=kind.label_en, source=None
    )
    return (top, *_children(top, cls, (parent_id,)))


def _build() -> tuple[Table, ...]:
    # the order of the collections is the ledger's (which imports only the model and errors)
    from dangjian.ledger import RECORD_KINDS

    return tuple(t for kind in RECORD_KINDS for t in kind_tables(kind.cls))


_TABLES: tuple[Table, ...] | None = None


def tables() -> tuple[Table, ...]:
    """Every table, each record kind's followed by its child tables, in the ledger's order."""
    global _TABLES
    if _TABLES is None:
        _TABLES = _build()
    return _TABLES


def table(name: str) -> Table:
    """The table called ``name`` (``members``, ``members.transfers``).

    Raises:
        KeyError: no such table.
    """
    for t in tables():
        if t.name == name:
            return t
    raise KeyError(f"no table {name!r}")
