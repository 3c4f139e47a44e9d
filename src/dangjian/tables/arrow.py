"""A ledger as Arrow tables in the layout of :mod:`dangjian.tables.schema`, and back.

:func:`to_arrow` gives one :class:`pyarrow.Table` per table of :func:`~dangjian.tables.tables`
(empty ones included), the records in ledger order, the rows of a child table grouped by their
parent in the parent's order and numbered by ``index``. :func:`from_arrow` rebuilds the ledger
exactly. Two more tables carry what is not a record:

- ``ledger``: one row, the ledger's ``name`` and ``version``;
- ``ledger.decimals``: the written form of the decimals that the type does not keep. A decimal
  column holds the value (``decimal128(18, 6)``: 12.5 and 12.50 are the same value there); a
  value whose exponent is not its shortest plain form (``12.50``, ``0.00``, ``1E+3``) is listed
  with its table, column, row and exponent, so that the ledger is written back byte for byte.
  Without this table a value is read in its shortest plain form (``12.5``, ``0``, ``1000``).
- ``ledger.kept``: what a ledger keeps beside its records, which no rule reads: the files a
  merged ledger's records came from (``sources``), a workbook's columns its template does not
  know (``extra_columns``) and labels typed as synonyms (``spellings``). One row each that is
  not empty: ``field`` (the ledger's field) and ``document`` (the field's list as JSON, as the
  JSON format writes it). Without this table the ledger keeps none of them.

The types (:func:`arrow_schema`): text, enumeration codes and resident ids as ``string``, dates
as ``date32``, times of day as ``time64[us]``, whole numbers as ``int64``, yes/no as ``bool``,
decimals as ``decimal128(18, 6)`` (the model admits up to 10⁹ with six places, see
:data:`DECIMAL`), dues months as ``date32`` holding the month's first day.

>>> from dangjian.tables.arrow import arrow_schema
>>> schema = arrow_schema("dues_payments")
>>> [(f.name, str(f.type)) for f in schema][:4]
[('id', 'string'), ('member', 'string'), ('month', 'date32[day]'), ('amount', 'decimal128(18, 6)')]
>>> schema.field("id").nullable, schema.field("base").nullable
(False, True)

Reading is strict, as every format is: a missing or unknown table or column (a child table of
:data:`~dangjian.tables.schema.LATER_TABLES`, added to the layout later, may be missing: an
export made before it has no such items), a column of the wrong type, an empty key, a child row whose parent is not there, and every value the model
refuses (read by the same converter as JSON, YAML, TOML and Excel) are reported together in one
:class:`~dangjian.errors.LedgerError`. A problem's path names the table, the row (counted from
0, in the table's order) and the column: ``meetings.absences[7].reason``; a problem of a whole
column is at ``members[*].birth_date``, of a whole table at its name.

Needs the ``tables`` extra (pyarrow).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import json
import operator
import re
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dangjian._gc import collector_paused
from dangjian._optional import require
from dangjian.errors import DangjianError, LedgerError, Problem
from dangjian.i18n import t
from dangjian.io._structuring import structure_ledger
from dangjian.ledger import Ledger
from dangjian.model import ResidentId, fields
from dangjian.model import _validators as v
from dangjian.periods import Month
from dangjian.tables.schema import INDEX, LATER_TABLES, Table, table, tables

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DECIMAL",
    "DECIMALS_TABLE",
    "KEPT_TABLE",
    "LEDGER_TABLE",
    "arrow_schema",
    "from_arrow",
    "table_names",
    "to_arrow",
]

LEDGER_TABLE = "ledger"
"""The table of one row that holds the ledger's ``name`` and ``version``."""

DECIMALS_TABLE = "ledger.decimals"
"""The table of the decimals written otherwise than in their shortest plain form: columns
``table_name``, ``column_name``, ``row_index`` and ``exponent`` (``-2`` for ``12.50``)."""

KEPT_TABLE = "ledger.kept"
"""The table of what the ledger keeps beside its records (:data:`KEPT_FIELDS`): columns
``field`` and ``document`` (the field's list as JSON)."""

KEPT_FIELDS = ("sources", "extra_columns", "spellings")
"""The ledger's fields that :data:`KEPT_TABLE` holds, in its order."""

_OPTIONAL = (DECIMALS_TABLE, KEPT_TABLE)
"""The tables of :func:`table_names` a source made without them may lack."""

DECIMAL_PLACES = v.MAX_PLACES
"""The scale of every decimal column: the most places the model admits (6)."""

DECIMAL_PRECISION = 18
"""The precision of every decimal column: 10⁹ with six places needs 16 digits."""

DECIMAL = (DECIMAL_PRECISION, DECIMAL_PLACES)
"""Precision and scale of the decimal columns: ``decimal128(18, 6)``."""

_EXACT = decimal.Context(prec=100, traps=[decimal.InvalidOperation, decimal.Inexact])
"""Arithmetic on decimals read from a table: more digits than any Arrow decimal holds, and an
error rather than a rounding."""


def _require() -> None:
    """Import pyarrow, or say which extra installs it."""
    require("pyarrow", "tables")


def table_names() -> tuple[str, ...]:
    """The names of every table of a ledger, in order: the record kinds' with their child
    tables (:func:`~dangjian.tables.tables`), then :data:`LEDGER_TABLE`, :data:`DECIMALS_TABLE`
    and :data:`KEPT_TABLE`."""
    return (*(x.name for x in tables()), LEDGER_TABLE, *_OPTIONAL)


# -- types -------------------------------------------------------------------------------------


def _arrow_type(kind: Any) -> pa.DataType:
    _require()
    import pyarrow as pa

    if kind is str or kind is ResidentId:
        return pa.string()
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return pa.string()
    if kind is bool:
        return pa.bool_()
    if kind is int:
        return pa.int64()
    if kind is Decimal:
        return pa.decimal128(*DECIMAL)
    if kind is Month or kind is dt.date:
        return pa.date32()
    if kind is dt.time:
        return pa.time64("us")
    raise TypeError(f"no Arrow type for {kind!r}")  # pragma: no cover - every field has one


def _extra_columns(name: str) -> tuple[tuple[str, Any], ...]:
    if name == LEDGER_TABLE:
        return (("name", str), ("version", int))
    if name == KEPT_TABLE:
        return (("field", str), ("document", str))
    return (("table_name", str), ("column_name", str), ("row_index", int), ("exponent", int))


@functools.cache
def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of the table ``name`` (one of :func:`table_names`).

    Each field keeps its column's labels as metadata (``label``, ``label_en``); keys, the
    parent's key and ``index`` are not nullable.

    Raises:
        KeyError: no such table.
        DangjianError: pyarrow is not installed.
    """
    _require()
    import pyarrow as pa

    if name in (LEDGER_TABLE, *_OPTIONAL):
        return pa.schema(
            [pa.field(n, _arrow_type(k), nullable=False) for n, k in _extra_columns(name)]
        )
    fields = [
        pa.field(
            c.name,
            _arrow_type(c.type),
            nullable=c.nullable,
            metadata={"label": c.label, "label_en": c.label_en},
        )
        for c in table(name).columns
    ]
    return pa.schema(fields)


# -- writing -------------------------------------------------------------------------------------


def _shortest_exponent(value: Decimal) -> int:
    """The exponent of ``value`` written in its shortest plain form (``12.5``, ``1000``, ``0``)."""
    exponent = _EXACT.normalize(value).as_tuple().exponent
    assert isinstance(exponent, int)
    return min(exponent, 0)


def _listed_exponent(value: Decimal) -> int | None:
    """The exponent of ``value`` when it is not that of its shortest plain form (``-2`` for
    ``12.50`` and ``0.00``, ``3`` for ``1E+3``), else ``None`` (``12.5``, ``1000``, ``0``)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent > 0 or (exponent < 0 and digits[-1] == 0):
        return exponent
    return None


def _getter(name: str) -> Callable[[Any], Any]:
    """The value of column ``name`` (dotted for a nested record) of a record, ``None`` through an
    absent nested record."""
    if "." not in name:
        return operator.attrgetter(name)
    parts = name.split(".")

    def get(record: Any) -> Any:
        for part in parts:
            if record is None:
                return None
            record = getattr(record, part)
        return record

    return get


def _written(kind: Any) -> Callable[[Any], Any] | None:
    """How a value of type ``kind`` is put into its Arrow column (``None``: as it is)."""
    if kind is ResidentId:
        return ResidentId.reveal
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return operator.attrgetter("value")
    if kind is Month:
        return operator.attrgetter("first_day")
    return None


def _rows(ledger: Ledger) -> dict[str, tuple[list[tuple[Any, ...]], list[Any]]]:
    """For each table, the key of each row (the parent's key and ``index`` for a child row) and
    the record or item the row holds, in order."""
    out: dict[str, tuple[list[tuple[Any, ...]], list[Any]]] = {}
    for x in tables():
        if x.parent is None:
            records = list(getattr(ledger, x.name))
            out[x.name] = ([(r.id,) for r in records], records)
            continue
        keys: list[tuple[Any, ...]] = []
        items: list[Any] = []
        get = _getter(x.name[len(x.parent) + 1 :])
        parent_keys, parents = out[x.parent]
        for key, parent in zip(parent_keys, parents, strict=True):
            for i, item in enumerate(get(parent) or ()):
                keys.append((*key, i))
                items.append(item)
        out[x.name] = (keys, items)
    return out


def to_arrow(ledger: Ledger) -> dict[str, pa.Table]:
    """The ledger as Arrow tables: every table of :func:`table_names`, by name.

    The rows of a record kind's table are its records in ledger order; those of a child table
    are grouped by their parent, in the parent's order, each group in list order (``index`` 0,
    1, …). :func:`from_arrow` reads them back into an equal ledger.

    Raises:
        DangjianError: pyarrow is not installed, or a value does not fit its column (a decimal
            with more than six places, which a valid ledger does not hold).
    """
    _require()
    with collector_paused():  # many short-lived lists, no cycles
        return _to_arrow(ledger)


def _to_arrow(ledger: Ledger) -> dict[str, pa.Table]:
    import pyarrow as pa

    out: dict[str, pa.Table] = {}
    exceptions: list[tuple[str, str, int, int]] = []
    for x, (keys, items) in zip(tables(), _rows(ledger).values(), strict=True):
        schema = arrow_schema(x.name)
        arrays = []
        n_key = len(x.parent_key) + 1 if x.parent is not None else 0
        key_columns = list(zip(*keys, strict=True)) if keys else [()] * n_key
        for i, c in enumerate(x.columns):
            if i < n_key:
                values = list(key_columns[i])
            elif x.cls is None:  # a list of ids or texts: the item is the value
                values = items
            else:
                values = list(map(_getter(c.name), items))
            write = _written(c.type)
            if write is not None:
                values = [None if y is None else write(y) for y in values]
            if c.type is Decimal:
                exceptions += (
                    (x.name, c.name, r, e)
                    for r, d in enumerate(values)
                    if d is not None and (e := _listed_exponent(d)) is not None
                )
            typ = schema.field(c.name).type
            try:
                arrays.append(pa.array(values, type=typ))
            except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError) as e:
                row = next((r for r, y in enumerate(values) if not _fits(y, typ)), None)
                where = (
                    _cell(x.name, row, c.name) if row is not None else _column_path(x.name, c.name)
                )
                raise DangjianError(
                    t(
                        "{where}：无法写成 Arrow 的 {type} 值：{error}",
                        where=where,
                        type=str(typ),
                        error=str(e),
                    )
                ) from None
        out[x.name] = pa.Table.from_arrays(arrays, schema=schema)
    out[LEDGER_TABLE] = pa.Table.from_pylist(
        [{"name": ledger.name, "version": ledger.version}], schema=arrow_schema(LEDGER_TABLE)
    )
    schema = arrow_schema(DECIMALS_TABLE)
    columns = list(zip(*exceptions, strict=True)) if exceptions else [(), (), (), ()]
    out[DECIMALS_TABLE] = pa.Table.from_arrays(
        [pa.array(list(c), type=f.type) for c, f in zip(columns, schema, strict=True)],
        schema=schema,
    )
    out[KEPT_TABLE] = pa.Table.from_pylist(_kept_rows(ledger), schema=arrow_schema(KEPT_TABLE))
    return out


def _kept_rows(ledger: Ledger) -> list[dict[str, str]]:
    """The rows of :data:`KEPT_TABLE`: each field of :data:`KEPT_FIELDS` that is not empty, its
    list as the JSON format writes it."""
    from dangjian.io._structuring import fast

    return [
        {
            "field": name,
            "document": json.dumps(
                fast().unstructure(getattr(ledger, name)), ensure_ascii=False, sort_keys=True
            ),
        }
        for name in KEPT_FIELDS
        if getattr(ledger, name)
    ]


def _fits(value: Any, typ: pa.DataType) -> bool:
    import pyarrow as pa

    try:
        pa.array([value], type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        return False
    return True


# -- reading -----------------------------------------------------------------------------------


def _column_path(name: str, column: str) -> str:
    return f"{name}[*].{column}"


def _cell(name: str, row: int, column: str | None = None) -> str:
    return f"{name}[{row}]" + (f".{column}" if column else "")


def _accepts(kind: Any, nullable: bool, typ: pa.DataType) -> bool:
    """Whether a column of Arrow type ``typ`` can hold values of type ``kind`` without loss."""
    _require()
    import pyarrow as pa

    types = pa.types
    if types.is_null(typ):
        return nullable
    if types.is_dictionary(typ):
        typ = typ.value_type
    if (
        kind is str
        or kind is ResidentId
        or (isinstance(kind, type) and issubclass(kind, enum.Enum))
    ):
        return bool(types.is_string(typ) or types.is_large_string(typ) or types.is_string_view(typ))
    if kind is bool:
        return bool(types.is_boolean(typ))
    if kind is int:
        return bool(types.is_integer(typ))
    if kind is Decimal:
        return bool(types.is_decimal(typ))
    if kind is Month or kind is dt.date:
        return bool(types.is_date(typ))
    if kind is dt.time:
        return bool(types.is_time(typ))
    return False  # pragma: no cover


def _type_name(kind: Any) -> str:
    return str(_arrow_type(kind))


_DOC_TOKEN = re.compile(r"[^.\[\]]+|\[\d+\]")


class _Reader:
    """One reading of a set of tables into a ledger; gathers every problem."""

    def __init__(self, given: Mapping[str, pa.Table]) -> None:
        self.given = given
        self.problems: list[tuple[tuple[int, int], Problem]] = []
        self.reported: set[str] = set()
        self.order = {name: i for i, name in enumerate(table_names())}
        # per child table: for each parent row, its rows in list order
        # per child table: the order of its rows (``None``: as they are) and, for each parent
        # row, the range of its rows in that order
        self.groups: dict[str, tuple[list[int] | None, dict[int, tuple[int, int]]]] = {}
        self.values: dict[str, dict[str, list[Any]]] = {}
        self.exponents: dict[tuple[str, str, int], int] = {}
        self.kept_rows: dict[str, int] = {}  # the row of KEPT_TABLE of each field read

    def note(self, path: str, code: str, message: Any, *, name: str, row: int = -1) -> None:
        self.reported.add(path)
        order = self.order.get(name, len(self.order))
        self.problems.append(((order, row), Problem(path=path, code=code, message=message)))

    # the layout: tables, columns, types

    def layout(self) -> None:
        known = set(table_names())
        for name in self.given:
            if name not in known:
                self.note(
                    name,
                    "unknown_table",
                    t("未知的表「{table}」，不属于台账的表结构", table=name),
                    name=name,
                )
        for name in table_names():
            if name in (*_OPTIONAL, *LATER_TABLES) and name not in self.given:
                continue  # the written form of decimals and what is kept are optional; so is a
                # later child table
            if name not in self.given:
                self.note(
                    name,
                    "missing_table",
                    t("缺少表「{table}」（没有记录时也应有空表）", table=name),
                    name=name,
                )
                continue
            self._columns(name, self._expected(name))

    def _expected(self, name: str) -> list[tuple[str, Any, bool]]:
        if name in (LEDGER_TABLE, *_OPTIONAL):
            return [(n, k, False) for n, k in _extra_columns(name)]
        return [(c.name, c.type, c.nullable) for c in table(name).columns]

    def _columns(self, name: str, expected: list[tuple[str, Any, bool]]) -> None:
        schema = self.given[name].schema
        names = set(schema.names)
        wanted = {n for n, _, _ in expected}
        for extra in [n for n in schema.names if n not in wanted]:
            self.note(
                _column_path(name, extra),
                "unknown_column",
                t("表「{table}」中有未知的列「{column}」", table=name, column=extra),
                name=name,
            )
        for n in {n for n in schema.names if schema.names.count(n) > 1}:
            self.note(
                _column_path(name, n),
                "duplicate_column",
                t("表「{table}」中的列「{column}」重复", table=name, column=n),
                name=name,
            )
        for column, kind, nullable in expected:
            if column not in names:
                self.note(
                    _column_path(name, column),
                    "missing_column",
                    t("表「{table}」缺少列「{column}」", table=name, column=column),
                    name=name,
                )
                continue
            found = schema.field(column).type if schema.names.count(column) == 1 else None
            if found is not None and not _accepts(kind, nullable, found):
                self.note(
                    _column_path(name, column),
                    "wrong_type",
                    t(
                        "列「{column}」的类型应为 {expected}，实为 {found}",
                        column=column,
                        expected=_type_name(kind),
                        found=str(found),
                    ),
                    name=name,
                )

    # the values

    def read_values(self) -> None:
        """The values of every column as Python values; a value Python cannot hold (a date
        after the year 9999) is noted at its column."""
        for name in table_names():
            if name not in self.given:
                if name in LATER_TABLES:  # a source made before the table: no such items
                    self.values[name] = {c.name: [] for c in table(name).columns}
                continue
            data = self.given[name]
            columns: dict[str, list[Any]] = {}
            self.values[name] = columns
            for column in data.schema.names:
                try:
                    columns[column] = data.column(column).to_pylist()
                except (ValueError, OverflowError, ArithmeticError) as e:
                    self.note(
                        _column_path(name, column),
                        "unreadable",
                        t("列「{column}」中有无法读取的值：{error}", column=column, error=str(e)),
                        name=name,
                    )

    def decimals(self) -> None:
        """The exponents listed in :data:`DECIMALS_TABLE`, each checked."""
        cols = self.values.get(DECIMALS_TABLE)
        if cols is None:
            return
        decimal_columns = {
            (x.name, c.name) for x in tables() for c in x.columns if c.type is Decimal
        }
        rows = zip(
            cols["table_name"],
            cols["column_name"],
            cols["row_index"],
            cols["exponent"],
            strict=True,
        )
        for r, (name, column, row, exponent) in enumerate(rows):
            if None in (name, column, row, exponent):
                self._null_row(DECIMALS_TABLE, r)
            elif (name, column) not in decimal_columns:
                self.note(
                    _cell(DECIMALS_TABLE, r, "column_name"),
                    "invalid_value",
                    t("「{table}」表没有小数列「{column}」", table=name, column=column),
                    name=DECIMALS_TABLE,
                    row=r,
                )
            elif not 0 <= row < len(self.values.get(name, {}).get(column, ())):
                self.note(
                    _cell(DECIMALS_TABLE, r, "row_index"),
                    "invalid_value",
                    t("「{table}」表没有第{row}行", table=name, row=row),
                    name=DECIMALS_TABLE,
                    row=r,
                )
            elif (name, column, row) in self.exponents:
                self.note(
                    _cell(DECIMALS_TABLE, r),
                    "duplicate_key",
                    t(
                        "「{table}」表第{row}行的「{column}」重复列出",
                        table=name,
                        row=row,
                        column=column,
                    ),
                    name=DECIMALS_TABLE,
                    row=r,
                )
            else:
                self.exponents[name, column, row] = exponent

    def _null_row(self, name: str, r: int) -> None:
        """Note that row ``r`` of ``name`` (a table of :data:`_OPTIONAL`, every column of which
        must be filled) has an empty cell."""
        self.note(_cell(name, r), "null_key", t("此行各列都不能为空"), name=name, row=r)

    def _decimal(self, name: str, column: str, row: int, value: Decimal) -> Decimal:
        exponent = self.exponents.get((name, column, row))
        try:
            if exponent is None:
                exponent = _shortest_exponent(value)
            return _EXACT.quantize(value, Decimal((0, (1,), exponent)))
        except decimal.DecimalException:
            self.note(
                _cell(name, row, column),
                "invalid_value",
                t(
                    "数{value}不能写成指数为{exponent}的形式（见 ledger.decimals 表）",
                    value=str(value),
                    exponent=exponent,
                ),
                name=name,
                row=row,
            )
            return value

    def _converted(self, name: str, column: str, kind: Any, values: list[Any]) -> list[Any]:
        """The values of a column as the converter reads them from a document."""
        if kind is Decimal:
            return [
                None if d is None else self._decimal(name, column, r, d)
                for r, d in enumerate(values)
            ]
        if kind is Month:
            out: list[Any] = []
            for r, day in enumerate(values):
                if day is not None and day.day != 1:
                    self.note(
                        _cell(name, r, column),
                        "invalid_value",
                        t("月份应写作当月1日，实为{day}", day=day.isoformat()),
                        name=name,
                        row=r,
                    )
                out.append(None if day is None else f"{day.year:04d}-{day.month:02d}")
            return out
        return values

    def records(self) -> dict[str, list[Any]]:
        """Every table's rows as the items of a ledger document (dicts, or text for a list of
        ids or texts), the child rows already in their parents' lists."""
        items: dict[str, list[Any]] = {}
        for x in tables():
            cols = self.values[x.name]
            n = len(next(iter(cols.values()))) if cols else 0
            for key in x.key:
                for r, value in enumerate(cols[key]):
                    if value is None:
                        self.note(
                            _cell(x.name, r, key),
                            "null_key",
                            t("键列「{column}」不能为空", column=key),
                            name=x.name,
                            row=r,
                        )
            if x.cls is None:
                column = x.columns[-1]
                items[x.name] = self._converted(x.name, column.name, column.type, cols[column.name])
            else:
                items[x.name] = self._documents(x, cols, n)
        for x in reversed(tables()):
            if x.parent is not None:
                self._attach(x, items)
        return items

    def _documents(self, x: Table, cols: dict[str, list[Any]], n: int) -> list[dict[str, Any]]:
        """The rows of a table of records as documents, nested records made from the dotted
        columns."""
        assert x.cls is not None
        skip = {*x.parent_key, INDEX} if x.parent is not None else set()
        own = [
            (c.name, self._converted(x.name, c.name, c.type, cols[c.name]))
            for c in x.columns
            if c.name not in skip
        ]
        plain = [(name, values) for name, values in own if "." not in name]
        names = [name for name, _ in plain]
        docs = [
            dict(zip(names, row, strict=True)) for row in zip(*(v for _, v in plain), strict=True)
        ]
        if not plain:  # pragma: no cover - every record has a column of its own
            docs = [{} for _ in range(n)]
        nested = [(name.split("."), values) for name, values in own if "." in name]
        if nested:
            optional = sorted(_optional_records(x.cls), key=len, reverse=True)
            for r, doc in enumerate(docs):
                for (*path, last), values in nested:
                    holder = doc
                    for part in path:
                        holder = holder.setdefault(part, {})
                    holder[last] = values[r]
                for prefix in optional:  # the deepest first
                    *path, last = prefix
                    holder = doc
                    for part in path:
                        holder = holder.get(part) or {}
                    if last in holder and _all_empty(holder[last]):
                        holder[last] = None
        return docs

    def _attach(self, x: Table, items: dict[str, list[Any]]) -> None:
        """Put the rows of child table ``x`` into their parents' lists, by ``index``.

        Rows as :func:`to_arrow` writes them (grouped by parent, in the parents' order, each
        group by ``index``) are taken in slices; others are sorted first.
        """
        assert x.parent is not None
        parent = table(x.parent)
        pcols, cols = self.values[parent.name], self.values[x.name]
        single = len(x.parent_key) == 1
        if single:
            parent_keys: list[Any] = pcols[parent.key[0]]
            keys: list[Any] = cols[x.parent_key[0]]
        else:
            parent_keys = list(zip(*(pcols[k] for k in parent.key), strict=True))
            keys = list(zip(*(cols[k] for k in x.parent_key), strict=True))
        n_parents = len(parent_keys)
        # the first of the parents that share a key (their ids are reported as repeated)
        rows = dict(zip(reversed(parent_keys), range(n_parents - 1, -1, -1), strict=True))
        for empty in [k for k in rows if k is None or (not single and None in k)]:
            del rows[empty]  # a row with an empty key belongs to no parent
        ats: list[Any] = list(map(rows.get, keys))
        indexes: list[Any] = cols[INDEX]
        if None in ats or None in indexes:
            self._orphans(x, parent, keys, ats, indexes, single)
            valid = [
                r
                for r, (at, i) in enumerate(zip(ats, indexes, strict=True))
                if at is not None and i is not None
            ]
        else:
            valid = None
        in_order = valid is None and all(
            a < b or (a == b and i < j)
            for a, b, i, j in zip(ats, ats[1:], indexes, indexes[1:], strict=False)
        )
        order: list[int] | None = None
        if not in_order:
            order = sorted(
                range(len(ats)) if valid is None else valid, key=lambda r: (ats[r], indexes[r])
            )
        sorted_ats = ats if order is None else [ats[r] for r in order]
        sorted_indexes = indexes if order is None else [indexes[r] for r in order]
        children = items[x.name] if order is None else [items[x.name][r] for r in order]
        ranges: dict[int, tuple[int, int]] = {}
        start = 0
        for k in range(1, len(sorted_ats) + 1):
            if k == len(sorted_ats) or sorted_ats[k] != sorted_ats[start]:
                at = sorted_ats[start]
                assert at is not None
                ranges[at] = (start, k)
                start = k
            elif sorted_indexes[k] == sorted_indexes[k - 1]:
                r = k if order is None else order[k]
                self.note(
                    _cell(x.name, r, INDEX),
                    "duplicate_key",
                    t("同一记录下序号{index}重复", index=sorted_indexes[k]),
                    name=x.name,
                    row=r,
                )
        self.groups[x.name] = (order, ranges)
        *path, last = x.name[len(parent.name) + 1 :].split(".")
        for at, doc in enumerate(items[parent.name]):
            begin, end = ranges.get(at, (0, 0))
            holder = doc
            if path and begin == end:
                continue  # an empty list in a nested record: the default
            for part in path:
                if holder.get(part) is None:
                    holder[part] = {}
                holder = holder[part]
            holder[last] = children[begin:end]

    def _orphans(
        self,
        x: Table,
        parent: Table,
        keys: list[Any],
        ats: list[Any],
        indexes: list[Any],
        single: bool,
    ) -> None:
        """Note the rows whose parent is not there (those with an empty key are noted already)."""
        for r, (key, at) in enumerate(zip(keys, ats, strict=True)):
            parts = (key,) if single else key
            if at is not None or None in parts:
                continue
            self.note(
                _cell(x.name, r, x.parent_key[-1]),
                "orphan_row",
                t(
                    "「{parent}」表中没有此行所属的记录「{key}」",
                    parent=parent.name,
                    key="、".join(map(str, parts)),
                    key_en=", ".join(map(str, parts)),
                ),
                name=x.name,
                row=r,
            )

    def kept(self) -> dict[str, Any]:
        """The fields of :data:`KEPT_FIELDS` held in :data:`KEPT_TABLE`, as items of a ledger
        document; each row checked (a known field, once, a JSON list)."""
        cols = self.values.get(KEPT_TABLE)
        if cols is None:
            return {}
        found: dict[str, Any] = {}
        for r, (name, text) in enumerate(zip(cols["field"], cols["document"], strict=True)):
            if name is None or text is None:
                self._null_row(KEPT_TABLE, r)
                continue
            if name not in KEPT_FIELDS:
                self.note(
                    _cell(KEPT_TABLE, r, "field"),
                    "invalid_value",
                    t(
                        "未知的字段「{field}」，应为 {known} 之一",
                        field=name,
                        known="、".join(KEPT_FIELDS),
                        known_en=", ".join(KEPT_FIELDS),
                    ),
                    name=KEPT_TABLE,
                    row=r,
                )
                continue
            if name in found:
                self.note(
                    _cell(KEPT_TABLE, r, "field"),
                    "duplicate_key",
                    t("字段「{field}」重复列出", field=name),
                    name=KEPT_TABLE,
                    row=r,
                )
                continue
            try:
                value = json.loads(text)
            except ValueError as e:
                value = e
            if not isinstance(value, list):
                self.note(
                    _cell(KEPT_TABLE, r, "document"),
                    "invalid_value",
                    t("应为 JSON 列表：{error}", error=str(value)[:200]),
                    name=KEPT_TABLE,
                    row=r,
                )
                continue
            found[name] = value
            self.kept_rows[name] = r
        return found

    def ledger_head(self) -> tuple[Any, Any]:
        cols = self.values[LEDGER_TABLE]
        n = len(cols["name"])
        if n != 1:
            self.note(
                LEDGER_TABLE,
                "ledger_rows",
                t("「ledger」表应恰有一行（台账名称和格式版本），实有{n}行", n=n),
                name=LEDGER_TABLE,
            )
            self.reported.update(_cell(LEDGER_TABLE, 0, c) for c in ("name", "version"))
            return None, None
        return cols["name"][0], cols["version"][0]

    # paths

    def table_path(self, path: str) -> tuple[str, tuple[int, int]]:
        """The place in the tables of a problem at ``path`` in the ledger document."""
        tokens = _DOC_TOKEN.findall(path)
        if not tokens:
            return path, (-1, -1)
        if tokens[0] in ("name", "version"):
            return _cell(LEDGER_TABLE, 0, tokens[0]), (self.order[LEDGER_TABLE], 0)
        if tokens[0] in self.kept_rows:  # a problem inside a document of KEPT_TABLE
            r = self.kept_rows[tokens[0]]
            return f"{_cell(KEPT_TABLE, r, 'document')}: {path}", (self.order[KEPT_TABLE], r)
        if tokens[0] not in self.order or len(tokens) < 2 or not tokens[1].startswith("["):
            return path, (-1, -1)
        current = table(tokens[0])
        row = int(tokens[1][1:-1])
        field: list[str] = []
        for token in tokens[2:]:
            if token.startswith("[") and field:
                child = f"{current.name}.{'.'.join(field)}"
                order, ranges = self.groups.get(child, (None, {}))
                begin, end = ranges.get(row, (0, 0))
                j = int(token[1:-1])
                if j >= end - begin:
                    break
                k = begin + j
                current, row, field = table(child), k if order is None else order[k], []
            elif token.startswith("["):
                break
            else:
                field.append(token)
        if not field and current.cls is None:
            field = [current.columns[-1].name]
        return _cell(current.name, row, ".".join(field) or None), (self.order[current.name], row)


def _optional_records(cls: type[Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths of the nested records of ``cls`` that may be absent (``None``), nested ones
    included."""
    out: list[tuple[str, ...]] = []
    for f in fields(cls):
        if f.record is not None and not f.many:
            if type(None) in typing.get_args(f.type):
                out.append((*prefix, f.name))
            out += _optional_records(f.record, (*prefix, f.name))
    return out


def _all_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_all_empty(x) for x in value.values())
    return value is None


def from_arrow(given: Mapping[str, pa.Table], *, source: str | None = None) -> Ledger:
    """The ledger held by Arrow tables in the layout of :func:`to_arrow`, read strictly and
    validated as any ledger document is.

    Every table of :func:`table_names` must be there (an empty table for a kind without
    records), :data:`DECIMALS_TABLE` excepted, with exactly its columns; a column may have any
    Arrow type that holds its values without loss (``large_string`` or a dictionary of text for
    ``string``, any integer type for ``int64``, any decimal for ``decimal128(18, 6)``,
    ``date64`` for ``date32``, ``time32`` for ``time64``). Enumerations are read by code (or by
    Chinese label, as in every format). The rows of a child table go into their parent's list
    ordered by ``index`` (gaps allowed, repeats not).

    Args:
        given: The tables, by name (the layout's names: ``members``, ``members.transfers``).
        source: Where they came from (a directory), named in errors.

    Raises:
        LedgerError: every problem found, each at ``table[row].column``; first those of the
            layout (tables, columns, types), and when there are none, those of the values.
        DangjianError: pyarrow is not installed.
    """
    with collector_paused():  # the documents and records made here make no cycles
        return _from_arrow(given, source)


def _from_arrow(given: Mapping[str, pa.Table], source: str | None) -> Ledger:
    reader = _Reader(given)
    reader.layout()
    if reader.problems:
        raise LedgerError(_sorted(reader.problems), source=source)
    reader.read_values()
    if reader.problems:
        raise LedgerError(_sorted(reader.problems), source=source)
    reader.decimals()
    items = reader.records()
    name, version = reader.ledger_head()
    document: dict[str, Any] = {"name": name, "version": version, **reader.kept()}
    for x in tables():
        if x.parent is None:
            document[x.name] = items[x.name]
    try:
        ledger = structure_ledger(document, source)
    except LedgerError as e:
        for p in e.problems:
            path, key = reader.table_path(p.path)
            if path in reader.reported:
                continue
            reader.problems.append((key, Problem(path=path, code=p.code, message=p.msg)))
        raise LedgerError(_sorted(reader.problems), source=source) from None
    if reader.problems:
        raise LedgerError(_sorted(reader.problems), source=source)
    return ledger


def _sorted(problems: Sequence[tuple[tuple[int, int], Problem]]) -> Iterator[Problem]:
    return (p for _, p in sorted(problems, key=operator.itemgetter(0)))
