"""Reports and ledgers as pandas data frames; behind :meth:`Report.to_frame` and
:meth:`Ledger.to_frames`, registered with ``dangjian._views`` when this module is imported
(importing :mod:`dangjian` does).

pandas is optional (the ``frames`` extra): it is imported by the functions here, never when
dangjian is imported, and a missing pandas gives the message of :func:`dangjian._optional.require`.

How values become columns, by the type of the field:

========================  ==================================================================
field                     column
========================  ==================================================================
text                      text (pandas' default string dtype)
``int``                   ``int64``; ``Int64`` (nullable) when the field is optional
``bool``                  ``bool``
``Decimal`` (money,       :class:`~decimal.Decimal` objects (``object`` dtype): exact, never
hours, scores)            floats; ``None`` when absent
dates                     ``datetime64[s]`` (seconds, so that any year fits); ``NaT`` when absent
clock times               :class:`datetime.time` objects (``object`` dtype)
:class:`Month`            ``period[M]``
enumerations              ``category`` of the values' ASCII codes, every code a category
:class:`ResidentId`       the masked number (``110***********002X``) unless ``include_pii``
a list of ids or texts    a Python :class:`list` per row (``explode`` it to get one row each);
                          a list of enumeration values (``Meeting.also``) lists their codes
one nested record         flattened into columns named ``field.subfield``
                          (``milestones.admitted``, ``probation_extension.months``)
a list of nested records  a Python :class:`list` of :class:`dict` per row, its values typed as
                          above but kept as Python objects (dates as :class:`datetime.date`,
                          enumerations as codes): committee seats, absences, resolutions,
                          candidates, follow-ups, a member's transfers and reviews, a
                          pairing's activities, projects and visits
========================  ==================================================================

Beside each column that holds the id of an organisation, a party group or a member is a column
of its name, ``<field>_name`` (``branch_name``, ``leader_name``; ``lecturer_member_name`` and
``speaker_member_name`` where the record has a ``lecturer_name`` of its own). One missing value throughout:
pandas' own, ``pd.NA`` (shown ``<NA>``) wherever the dtype holds it, so that no column holds
``None``; ``NaT`` in dates and months and NaN in categoricals, the missing values of those dtypes.
``labels="zh"`` (or ``"en"``) names the columns by their labels and shows enumerations by label.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from dangjian import _views
from dangjian._optional import require
from dangjian.errors import Language
from dangjian.findings import Gap, Severity, Status
from dangjian.i18n import t
from dangjian.ledger import Ledger
from dangjian.model import LabelledEnum, Month, ResidentId, fields
from dangjian.model.resident_id import mask_resident_ids
from dangjian.outputs.columns import COLUMNS, ColumnType
from dangjian.report import Report

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FINDING_COLUMNS", "finding_frame", "ledger_frames"]

FINDING_COLUMNS: tuple[str, ...] = tuple(
    n for c in COLUMNS for n in ((c.name, "branch_name") if c.name == "branch" else (c.name,))
)
"""The columns of :meth:`Report.to_frame`, in order: those of :mod:`dangjian.outputs.columns`,
with ``branch_name`` after ``branch``."""


def _pandas() -> types.ModuleType:
    return require("pandas", "frames")


def _dates(values: Sequence[dt.date | None]) -> pd.Series[Any]:
    """Days as a ``datetime64[s]`` column; numpy converts them, so that pandas 2.0, which would
    go through nanoseconds, does not refuse a year before 1677."""
    import numpy as np
    import pandas as pd

    return pd.Series(np.array(values, dtype="datetime64[s]"))


# -- findings ------------------------------------------------------------------------------


_FINDING_CODES: dict[str, type[LabelledEnum]] = {"status": Status, "severity": Severity, "gap": Gap}
"""The enumeration of each code column of the findings, for ``labels``."""


def _na(values: Sequence[Any]) -> pd.Series[Any]:
    """An ``object`` column with ``pd.NA`` where a value is ``None``."""
    import pandas as pd

    return pd.Series([pd.NA if v is None else v for v in values], dtype=object)


def _labelled(
    frame: pd.DataFrame,
    headers: dict[str, str],
    enums: dict[str, type[LabelledEnum]],
    lang: Language,
) -> pd.DataFrame:
    """``frame`` with the categories of ``enums``' columns shown by label in ``lang`` and the
    columns named by ``headers``."""
    import pandas as pd

    for name, enum in enums.items():
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            labels = {m.code: m.text(lang) for m in enum}
            frame[name] = column.cat.rename_categories(
                [labels.get(c, c) for c in column.cat.categories]
            )
    return frame.rename(columns=headers)


def finding_frame(
    report: Report, lang: Language = "zh", labels: Language | None = None
) -> pd.DataFrame:
    """The findings of ``report``, one row each; see :meth:`Report.to_frame`.

    Each column of :mod:`dangjian.outputs.columns` becomes a column by its type: a code a
    categorical of every code, a day ``datetime64[s]``, a list a Python list per row, text
    ``object`` with ``pd.NA`` where missing; what is text written in the ledger has its
    resident ids masked. ``branch_name`` follows ``branch``.
    """
    _pandas()
    import pandas as pd

    data: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for c in COLUMNS:
        values: list[Any] = [c.value(f, report, lang) for f in report.findings]
        if c.free_text:
            values = [mask_resident_ids(v) if isinstance(v, str) else v for v in values]
        if c.type is ColumnType.CODE:
            data[c.name] = pd.Categorical(values, categories=c.categories, ordered=c.ordered)
        elif c.type is ColumnType.DAY:
            data[c.name] = _dates(values)
        else:
            data[c.name] = _na(values)
        if labels is not None:
            headers[c.name] = c.text_label(labels)
        if c.name == "branch":
            names = [report.names.get(v) if v else None for v in values]
            data["branch_name"] = _na([mask_resident_ids(n) if n else n for n in names])
            if labels is not None:
                headers["branch_name"] = _name_label(c.text_label(labels), labels)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(report.findings)))
    if labels is None:
        return frame
    return _labelled(frame, headers, _FINDING_CODES, labels)


def _name_label(label: str, lang: Language) -> str:
    """The label of the column of names beside the column of ids labelled ``label``."""
    return t("{label}（名称）", label=label).render(lang)


# -- ledgers -------------------------------------------------------------------------------


@attrs.frozen
class _Column:
    """One column of a record kind's frame: its name, how to get its values, their dtype."""

    name: str
    get: Callable[[Any], Any]
    dtype: Any = None
    """``None`` lets pandas choose; a string names a dtype; a sequence gives the categories."""
    label: tuple[str, str] = ("", "")
    """Its Chinese and English label."""
    target: str | None = None
    """For one id of a record with a name (an organisation, a group, a member): its collection."""
    enum: type[LabelledEnum] | None = None
    """For an enumeration: its class."""
    name_column: str = ""
    """For one id of a record with a name: the column of the names beside it."""


_NAMED = frozenset({"branches", "groups", "members"})
"""The collections whose records have a ``name`` to show beside their ids."""


_NULLABLE = {"int64": "Int64", "bool": "boolean"}
"""The dtypes that take missing values, for the columns of an optional nested record."""


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """``(T, True)`` for ``T | None``, else ``(tp, False)``."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _plain(value: Any, include_pii: bool) -> Any:
    """A value inside a list of nested records, as Python data."""
    if isinstance(value, LabelledEnum):
        return value.code
    if isinstance(value, ResidentId):
        return value.show(include_pii=include_pii)
    if isinstance(value, Month):
        return str(value)
    if attrs.has(type(value)):
        return {
            a.name: _plain(getattr(value, a.name), include_pii) for a in attrs.fields(type(value))
        }
    if isinstance(value, tuple):
        return [_plain(x, include_pii) for x in value]
    return value


def _columns(cls: type[Any], include_pii: bool) -> list[_Column]:
    """The columns of a record class, nested records flattened: one per declared field
    (:func:`dangjian.model.fields`), in the order of the fields."""
    columns: list[_Column] = []
    for f in fields(cls):
        getter: Callable[[Any], Any] = _attrgetter(f.name)
        tp, optional = _unwrap_optional(f.type)
        if f.record is not None and not f.many:
            # one nested record: its fields become columns ``name.field``
            for sub in _columns(f.record, include_pii):
                dtype = _NULLABLE.get(sub.dtype, sub.dtype) if optional else sub.dtype
                label = (f"{f.label}.{sub.label[0]}", f"{f.label_en}.{sub.label[1]}")
                columns.append(
                    attrs.evolve(
                        sub,
                        name=f"{f.name}.{sub.name}",
                        get=_chain(getter, sub.get),
                        dtype=dtype,
                        label=label,
                    )
                )
            continue
        get, dtype = _converter(tp, optional, getter, include_pii)
        enum = tp if isinstance(tp, type) and issubclass(tp, LabelledEnum) else None
        target = f.target if f.target in _NAMED and not f.many else None
        columns.append(_Column(f.name, get, dtype, (f.label, f.label_en), target, enum))
    taken = {c.name for c in columns}
    return [
        attrs.evolve(c, name_column=_name_column(c.name, c.target, taken))
        if c.target is not None
        else c
        for c in columns
    ]


_SINGULAR = {"branches": "branch", "groups": "group", "members": "member"}


def _name_column(field: str, target: str, taken: set[str]) -> str:
    """The column of the names beside the ids of ``field``: ``field_name``, or, where the record
    has a field of that name of its own (``lecturer_name``, the name of a lecturer from outside
    the ledger), ``field_member_name``."""
    name = f"{field}_name"
    return name if name not in taken else f"{field}_{_SINGULAR[target]}_name"


def _attrgetter(name: str) -> Callable[[Any], Any]:
    def get(record: Any) -> Any:
        return getattr(record, name)

    return get


def _chain(outer: Callable[[Any], Any], inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``inner(outer(x))``, ``None`` when ``outer`` gives ``None``."""

    def get(record: Any) -> Any:
        value = outer(record)
        return None if value is None else inner(value)

    return get


def _converter(
    tp: Any, optional: bool, get: Callable[[Any], Any], include_pii: bool
) -> tuple[Callable[[Any], Any], Any]:
    """How to get a field's cell value and the column's dtype."""
    if tp is bool:
        return get, "bool" if not optional else "boolean"
    if tp is int:
        return get, "Int64" if optional else "int64"
    if tp is dt.date:
        return get, "datetime64[s]"
    if tp is Decimal or tp is dt.time:
        return get, object
    if tp is Month:

        def month(record: Any) -> Any:
            value = get(record)
            return None if value is None else str(value)

        return month, "period[M]"
    if isinstance(tp, type) and issubclass(tp, LabelledEnum):

        def code(record: Any) -> Any:
            value = get(record)
            return None if value is None else value.code

        return code, tuple(m.code for m in tp)
    if tp is ResidentId:

        def shown(record: Any) -> Any:
            value = get(record)
            return None if value is None else value.show(include_pii=include_pii)

        return shown, None
    if typing.get_origin(tp) is tuple:

        def listed(record: Any) -> Any:
            return [_plain(x, include_pii) for x in get(record)]

        return listed, object
    return get, None


_KIND_COLUMNS: dict[tuple[type[Any], bool], tuple[_Column, ...]] = {}


def _kind_columns(cls: type[Any], include_pii: bool) -> tuple[_Column, ...]:
    key = (cls, include_pii)
    if key not in _KIND_COLUMNS:
        _KIND_COLUMNS[key] = tuple(_columns(cls, include_pii))
    return _KIND_COLUMNS[key]


def _frame(
    records: Sequence[Any],
    cls: type[Any],
    include_pii: bool,
    names: dict[str, dict[str, str]],
    labels: Language | None,
) -> pd.DataFrame:
    import pandas as pd

    data: dict[str, Any] = {}
    headers: dict[str, str] = {}
    enums: dict[str, type[LabelledEnum]] = {}
    for column in _kind_columns(cls, include_pii):
        values = [column.get(r) for r in records]
        if isinstance(column.dtype, tuple):
            data[column.name] = pd.Categorical(values, categories=list(column.dtype))
        elif column.dtype == "period[M]":
            data[column.name] = pd.Series(
                [pd.NaT if v is None else pd.Period(v, freq="M") for v in values],
                dtype="period[M]",
            )
        elif column.dtype == "datetime64[s]":
            data[column.name] = _dates(values)
        elif column.dtype is None or column.dtype is object:
            data[column.name] = _na(values)
        else:
            data[column.name] = pd.Series(values, dtype=column.dtype)
        label = column.label[0] if labels == "zh" else column.label[1]
        headers[column.name] = label
        if column.enum is not None:
            enums[column.name] = column.enum
        if column.target is not None:
            known = names[column.target]
            shown = [known.get(v) if isinstance(v, str) else None for v in values]
            data[column.name_column] = _na(shown)
            headers[column.name_column] = _name_label(label, labels or "zh")
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(records)))
    if labels is None:
        return frame
    return _labelled(frame, headers, enums, labels)


def ledger_frames(
    ledger: Ledger, *, include_pii: bool = False, labels: Language | None = None
) -> dict[str, pd.DataFrame]:
    """One frame per record kind; see :meth:`Ledger.to_frames`."""
    _pandas()
    names = {
        target: {r.id: mask_resident_ids(r.name) for r in getattr(ledger, target)}
        for target in _NAMED
    }
    return {
        kind.field: _frame(records, kind.cls, include_pii, names, labels)
        for kind, records in ledger.records()
    }


_views.frame.register(Report, finding_frame)
_views.frames.register(Ledger, ledger_frames)
