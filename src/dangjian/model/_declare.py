"""Field declarations: each field of an entity says once what it is called and what it points to.

An entity's fields are declared with :func:`field` and :func:`ref` instead of bare
``attrs.field``; the facts go into the attrs field's metadata, and everything that needs them reads
them back through :func:`fields` and :func:`references` (the Excel layout, the ledger's reference
checks, the glossary checks, the table schema, …)::

    @record_kind("groups", "党小组", en="party group")
    @attrs.frozen(kw_only=True)
    class PartyGroup:
        id: str = field("编号", validator=v.id_text)
        branch: str = ref("branches", "所属支部")
        leader: str | None = ref("members", "党小组长", default=None)

Said once per field:

- the Chinese label: the glossary's term, and the Excel header unless ``header`` says otherwise;
- the English label (``en``; the field's name with blanks for underscores when not given);
- the record kind it refers to, for :func:`ref`: the ledger collection (``"members"``) or the
  entity class; a collection name lets two modules refer to each other's kinds without an import
  circle;
- whether it is required: a field without a default is, as attrs has it (not said twice);
- how it is shown when it is personal data (``shown="masked"`` for a resident id).

A record kind (a collection of the ledger) declares itself with :func:`record_kind`: its
collection's name and its Chinese and English labels.

Reading the declarations is cached per class, so that nothing on the loading path pays for it
more than once.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import attrs

from dangjian.model import _validators as v

__all__ = [
    "FieldFacts",
    "KindFacts",
    "Shown",
    "collection",
    "field",
    "fields",
    "kind_of",
    "record_kind",
    "record_kinds",
    "ref",
    "references",
]

T = TypeVar("T")

Shown = Literal["plain", "masked"]
"""How a field is shown: as it is, or masked unless personal data is asked for."""

_KEY = "dangjian"
"""The key of the declaration in an attrs field's metadata."""


@attrs.frozen
class _Declared:
    """What a declaration puts into the metadata; read through :class:`FieldFacts`."""

    label: str
    label_en: str | None
    header: str | None
    target: str | type[Any] | None
    check: bool
    shown: Shown
    collection: bool = False


@attrs.frozen
class KindFacts:
    """A record kind: one collection of a ledger.

    Attributes:
        collection: The name of the ledger's collection (``members``).
        cls: The entity class of its records.
        label: Its Chinese label (党员).
        label_en: Its English label (member).
        key: What the id of one of its records is called where another table holds it: the
            column of a nested record's sheet or table that names the record it belongs to
            (``member``).
        key_header: The Chinese header of that column (党员编号).
    """

    collection: str
    cls: type[Any]
    label: str
    label_en: str
    key: str
    key_header: str


_KINDS: dict[type[Any], KindFacts] = {}
_COLLECTIONS: dict[str, KindFacts] = {}


def record_kind(
    collection: str,
    label: str,
    *,
    en: str,
    key: str | None = None,
    key_header: str | None = None,
) -> Callable[[type[T]], type[T]]:
    """Declare the decorated entity class a record kind, held in the ledger's ``collection``.

    ``key`` defaults to the class's name in snake case (``Member`` → ``member``), ``key_header``
    to the label followed by 编号 (党员编号). Put the decorator above ``@attrs.frozen``, so that it
    marks the finished class.
    """

    def mark(cls: type[T]) -> type[T]:
        facts = KindFacts(
            collection=collection,
            cls=cls,
            label=label,
            label_en=en,
            key=key or re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower(),
            key_header=key_header or f"{label}编号",
        )
        old = _COLLECTIONS.get(collection)
        if old is not None:
            _KINDS.pop(old.cls, None)
        _KINDS[cls] = _COLLECTIONS[collection] = facts
        return cls

    return mark


def kind_of(target: str | type[Any]) -> KindFacts:
    """The record kind of an entity class, or of a collection's name.

    Raises:
        KeyError: no record kind was declared for it.
    """
    found = _COLLECTIONS.get(target) if isinstance(target, str) else _KINDS.get(target)
    if found is None:
        name = target if isinstance(target, str) else target.__name__
        raise KeyError(f"no record kind is declared for {name}")
    return found


def record_kinds() -> tuple[KindFacts, ...]:
    """Every declared record kind, in the order the classes were declared."""
    return tuple(_KINDS.values())


def field(
    label: str,
    *,
    en: str | None = None,
    header: str | None = None,
    shown: Shown = "plain",
    **kwargs: Any,
) -> Any:
    """An attrs field with its facts: ``kwargs`` go to :func:`attrs.field` (``default``,
    ``validator``, …)."""
    declared = _Declared(
        label=label, label_en=en, header=header, target=None, check=False, shown=shown
    )
    return attrs.field(metadata={_KEY: declared}, **kwargs)


def ref(
    target: str | type[Any],
    label: str,
    *,
    en: str | None = None,
    header: str | None = None,
    check: bool = True,
    **kwargs: Any,
) -> Any:
    """A field that holds the id of a record of kind ``target`` (a list of ids when its default
    is ``()``).

    Without a ``validator``, the value is checked as an id: ``v.id_text``, ``v.optional(v.id_text)``
    when the default is ``None``, ``v.ids`` when it is ``()``. ``check=False`` says that the
    ledger does not check the reference on its own, because another check covers it (the elected
    must be among the candidates, who are checked).
    """
    if "validator" not in kwargs:
        default = kwargs.get("default", attrs.NOTHING)
        if default is None:
            kwargs["validator"] = v.optional(v.id_text)
        elif default == ():
            kwargs["validator"] = v.ids
        else:
            kwargs["validator"] = v.id_text
    declared = _Declared(
        label=label, label_en=en, header=header, target=target, check=check, shown="plain"
    )
    return attrs.field(metadata={_KEY: declared}, **kwargs)


def collection(**kwargs: Any) -> Any:
    """A collection of the ledger: a tuple of records of one record kind, labelled as the kind."""
    declared = _Declared(
        label="",
        label_en=None,
        header=None,
        target=None,
        check=False,
        shown="plain",
        collection=True,
    )
    return attrs.field(default=(), metadata={_KEY: declared}, **kwargs)


@attrs.frozen
class FieldFacts:
    """What the declaration of one field says, with what attrs knows of it.

    Attributes:
        owner: The entity class the field belongs to.
        name: The field's name: its key in a ledger file.
        type: Its type, resolved (``str | None``, ``tuple[Absence, ...]``).
        label: Its Chinese label, the glossary's term.
        label_en: Its English label.
        header: Its Excel header.
        target: For a reference, the collection it refers to (``members``); else ``None``.
        check: For a reference, whether the ledger checks that it resolves.
        required: Whether it has no default, so that every record must give it.
        shown: ``masked`` for personal data shown masked, else ``plain``.
        many: Whether it holds a list (a tuple).
        record: The entity class of the nested record(s) it holds, if it holds any.
    """

    owner: type[Any]
    name: str
    type: Any
    label: str
    label_en: str
    header: str
    target: str | None
    check: bool
    required: bool
    shown: Shown
    many: bool
    record: type[Any] | None

    @property
    def is_reference(self) -> bool:
        """Whether the field holds the id (or ids) of another record."""
        return self.target is not None


def _is_entity(t: Any) -> bool:
    """Whether ``t`` is an entity class with declared fields (not a value such as a month)."""
    return isinstance(t, type) and attrs.has(t) and any(_KEY in a.metadata for a in attrs.fields(t))


def _unwrap_optional(t: Any) -> Any:
    args = typing.get_args(t)
    if typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return t


_FIELDS: dict[type[Any], tuple[FieldFacts, ...]] = {}


def fields(cls: type[Any]) -> tuple[FieldFacts, ...]:
    """The facts of every field of entity class ``cls``, in the order of its fields.

    Raises:
        TypeError: a field of ``cls`` was not declared with :func:`field`, :func:`ref` or
            :func:`collection`.
    """
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = _read(cls)
    return known


def _read(cls: type[Any]) -> tuple[FieldFacts, ...]:
    out: list[FieldFacts] = []
    for a in attrs.fields(attrs.resolve_types(cls)):
        declared = a.metadata.get(_KEY)
        if not isinstance(declared, _Declared):
            raise TypeError(f"{cls.__name__}.{a.name} is not declared (use field or ref)")
        t = _unwrap_optional(a.type)
        many = typing.get_origin(t) is tuple
        inner = typing.get_args(t)[0] if many else t
        record = inner if _is_entity(inner) else None
        label, label_en = declared.label, declared.label_en
        target = declared.target
        if declared.collection:
            assert record is not None, f"{cls.__name__}.{a.name} is no collection of records"
            kind = kind_of(record)
            label, label_en = kind.label, label_en or kind.label_en
        if target is not None:
            target = kind_of(target).collection
        out.append(
            FieldFacts(
                owner=cls,
                name=a.name,
                type=a.type,
                label=label,
                label_en=label_en or a.name.replace("_", " "),
                header=declared.header or label,
                target=target,
                check=declared.check,
                required=a.default is attrs.NOTHING,
                shown=declared.shown,
                many=many,
                record=record,
            )
        )
    return tuple(out)


def references(cls: type[Any]) -> tuple[FieldFacts, ...]:
    """The fields of ``cls`` that refer to other records, in the order of its fields."""
    return tuple(f for f in fields(cls) if f.target is not None)
