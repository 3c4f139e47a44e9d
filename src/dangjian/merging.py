"""Many ledgers made one (``dangjian merge``): each branch keeps its own workbook, a committee
merges them.

:func:`merge` reads ledgers in any format (or takes them as :class:`~dangjian.Ledger` values),
puts their records together collection by collection, and validates the result:

- a record found the same in two files (the parent committee in each branch's workbook) is
  merged once;
- an id held by *different* records in two files is a collision: every collision is reported
  at once, with both places (the file, and the record's path or its sheet and row);
- with ``prefix_ids=True`` a colliding id is instead namespaced: in each file that holds it, it
  becomes ``前缀/编号`` (``第一支部/M001``), the prefix being the file's stem (its name without
  the suffix, any blank or list separator in it replaced by ``_``); for a ledger given as a value,
  its name. Every reference to it in that file (a member's branch, a meeting's attendees, a
  group's leader, any field declared with :func:`~dangjian.model.ref`) is rewritten the same
  way. A record the same in several files keeps one id, prefixed by the first file holding it;
- each record keeps the files it came from, in :attr:`Ledger.sources
  <dangjian.Ledger.sources>` (:mod:`dangjian.model.provenance`; :meth:`Ledger.sources_of
  <dangjian.Ledger.sources_of>`), which every format writes back.
"""

from __future__ import annotations

import importlib
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from dangjian.errors import LedgerError, Problem
from dangjian.i18n import Message, t, tn
from dangjian.io.formats import format_of, load
from dangjian.ledger import RECORD_KINDS, Ledger
from dangjian.model import fields
from dangjian.model.kept import ExtraCell, ExtraColumn, Spelling
from dangjian.model.provenance import RecordSource

__all__ = ["MergeError", "MergeInput", "merge", "prefix_of"]

MergeInput = str | os.PathLike[str] | Ledger | tuple[str, Ledger]
"""What :func:`merge` takes: a ledger file's path, a ledger (named in messages and provenance
by its name), or a name and a ledger."""

SEPARATOR = "/"
"""Between a prefix and the id it namespaces (``第一支部/M001``)."""

_UNSAFE = re.compile(r"[\s、,，;；/]+")


class MergeError(LedgerError):
    """Ledgers that cannot be merged: their ids collide, or the merged ledger is not valid;
    :attr:`problems` lists every reason, each naming its file."""

    @staticmethod
    def _heading(n: int) -> Message:
        return tn("合并有 {n} 处错误", "合并有 {n} 处错误", n)


@attrs.frozen
class _Input:
    """One ledger to merge: its name in messages and provenance, its prefix, its file."""

    label: str
    prefix: str
    ledger: Ledger
    path: str | None
    rows: dict[str, dict[str, int]] = attrs.field(factory=dict, eq=False)
    """For a workbook, the row of each record by collection and id, read when first asked."""


def prefix_of(name: str) -> str:
    """The prefix that namespaces the ids of the file (or ledger) named ``name``: its stem,
    blanks and list separators replaced by ``_``.

    >>> prefix_of("第一支部.xlsx"), prefix_of("机关 第二支部.yaml")
    ('第一支部', '机关_第二支部')
    """
    stem = Path(name).stem if Path(name).suffix.lower() in _SUFFIXES else name
    return _UNSAFE.sub("_", stem).strip("_") or "_"


_SUFFIXES = frozenset({".json", ".yaml", ".yml", ".toml", ".xlsx"})


def merge(
    inputs: Iterable[MergeInput] | Mapping[str, Ledger],
    *,
    name: str | None = None,
    prefix_ids: bool = False,
) -> Ledger:
    """The ledgers of ``inputs`` merged into one, validated, with each record's source kept.

    Args:
        inputs: Ledger files (any format :func:`dangjian.load` reads), ledgers, or pairs of a
            name and a ledger; or a mapping of names to ledgers. Names must differ.
        name: The merged ledger's name; by default the inputs' name when they share one, else
            their names joined by 、.
        prefix_ids: Namespace colliding ids by file (see the module's documentation) instead
            of refusing them.

    Raises:
        MergeError: a file is not a valid ledger, two files share a name, ids collide (without
            ``prefix_ids``), or the merged ledger is not valid; every problem names its file.
        OSError: a file cannot be read.
    """
    items = list(inputs.items()) if isinstance(inputs, Mapping) else list(inputs)
    loaded = _load_all(items, prefixed=prefix_ids)
    _refuse_unmerged(loaded)
    memo: Held = {}
    renames = _renames(loaded, memo) if prefix_ids else [{} for _ in loaded]
    records: dict[str, list[Any]] = {kind.field: [] for kind in RECORD_KINDS}
    # (collection, id) → index in records, and the input and position it was first seen at
    first: dict[tuple[str, str], tuple[int, int, int]] = {}
    files: dict[tuple[str, str], list[str]] = {}
    order: dict[str, None] = {}  # the files, in the order of the inputs
    collisions: list[Problem] = []
    for n, source in enumerate(loaded):
        for kind, items_of in source.ledger.records():
            for i, record in enumerate(items_of):
                renamed = _rewrite(record, renames[n], kind.field, memo)
                key = (kind.field, renamed.id)
                origin = source.ledger.sources_of(kind.field, record.id) or (source.label,)
                order.update(dict.fromkeys(origin))
                if key not in first:
                    first[key] = (len(records[kind.field]), n, i)
                    records[kind.field].append(renamed)
                    files[key] = list(origin)
                    continue
                at, m, j = first[key]
                if records[kind.field][at] == renamed:
                    files[key] += [f for f in origin if f not in files[key]]
                    continue
                collisions.append(_collision(kind.field, renamed.id, (loaded[m], j), (source, i)))
    extra_columns, spellings, differing = _kept(loaded, renames)
    if collisions or differing:
        raise MergeError(collisions + differing)
    merged = Ledger(
        name=name if name is not None else _name(loaded),
        version=max((s.ledger.version for s in loaded), default=1),
        sources=_sources(records, files, list(order)),
        extra_columns=extra_columns,
        spellings=spellings,
        **{field: tuple(items) for field, items in records.items()},
    )
    where = {f"{field}[{at}]": (n, i) for (field, _), (at, n, i) in first.items()}
    problems = merged.problems()
    if problems:
        raise MergeError([_relocated(p, where, loaded) for p in problems])
    return merged


# -- reading the inputs ----------------------------------------------------------------------


def _load_all(items: Sequence[MergeInput | tuple[str, Ledger]], *, prefixed: bool) -> list[_Input]:
    """Every input loaded and named; every file's problems at once, each naming its file."""
    loaded: list[_Input] = []
    problems: list[Problem] = []
    for item in items:
        path: str | None = None
        if isinstance(item, Ledger):
            label, ledger = item.name, item
        elif isinstance(item, tuple):
            label, ledger = item
        else:
            path = os.fspath(item)
            label = Path(path).name
            try:
                format_of(path)
                ledger = load(path)
            except LedgerError as e:
                problems += [_in_file(label, p) for p in e.problems]
                continue
        loaded.append(_Input(label, prefix_of(label), ledger, path))
    labels: set[str] = set()
    prefixes: set[str] = set()
    for source in loaded:
        if source.label in labels or (prefixed and source.prefix in prefixes):
            problems.append(
                Problem(
                    path=source.label,
                    code="duplicate_key",
                    message=t(
                        "有两个输入的名称（或其编号前缀「{prefix}」）相同，无法区分来源；请先改名",
                        prefix=source.prefix,
                    ),
                )
            )
        labels.add(source.label)
        prefixes.add(source.prefix)
    if problems:
        raise MergeError(problems)
    return loaded


_MERGED = frozenset(
    {
        "name",
        "version",
        "sources",
        "extra_columns",
        "spellings",
        *(kind.field for kind in RECORD_KINDS),
    }
)
"""The ledger's fields that :func:`merge` puts together; any other that an input fills is
refused, never dropped."""


_DEFAULTS = {name: a.default for name, a in attrs.fields_dict(Ledger).items()}


def _refuse_unmerged(loaded: Sequence[_Input]) -> None:
    """Refuse the inputs that fill a field of the ledger that merging does not yet put
    together: what they hold would otherwise be lost."""
    problems = [
        Problem(
            path=f"{source.label} {facts.name}",
            code="invalid_value",
            message=t(
                "合并尚不能处理台账的「{label}」（{field}），为免丢失，不予合并",
                label=facts.label,
                field=facts.name,
            ),
        )
        for source in loaded
        for facts in fields(Ledger)
        if facts.name not in _MERGED
        and getattr(source.ledger, facts.name) != _DEFAULTS.get(facts.name)
    ]
    if problems:
        raise MergeError(problems)


def _in_file(label: str, p: Problem) -> Problem:
    where = f"{label} {p.path}" if p.path else label
    return Problem(path=where, code=p.code, message=p.msg)


def _name(loaded: Sequence[_Input]) -> str:
    names = list(dict.fromkeys(s.ledger.name for s in loaded))
    return "、".join(names) if names else "?"


# -- ids -------------------------------------------------------------------------------------

Renames = dict[tuple[str, str], str]
"""(collection, id as in the file) → the id in the merged ledger, for one input."""


def _renames(loaded: Sequence[_Input], memo: Held) -> list[Renames]:
    """For each input, the ids it namespaces: those that collide, found again after each
    round of renaming (a record that refers to a renamed record changes, and may then collide
    in turn, or stop being the same as its copy in another file), until nothing changes."""
    renamed: set[tuple[int, str, str]] = set()  # (input, collection, id in the file)
    maps: list[Renames] = [{} for _ in loaded]
    for _ in range(_ROUNDS):
        held: dict[tuple[str, str], list[tuple[int, str, Any]]] = defaultdict(list)
        done: dict[tuple[int, str, str], Any] = {}  # each record, its references renamed
        for n, source in enumerate(loaded):
            for kind, records in source.ledger.records():
                for record in records:
                    new = done[n, kind.field, record.id] = _rewrite(
                        record, maps[n], kind.field, memo
                    )
                    held[kind.field, new.id].append((n, record.id, new))
        more = {
            (n, field, id)
            for (field, _), holders in held.items()
            if any(new != holders[0][2] for _, _, new in holders)
            for n, id, _ in holders
        }
        again = _maps(loaded, renamed | more, done)
        if more <= renamed and again == maps:
            return maps
        renamed |= more
        maps = again
    # no fixed point within the rounds: every input's own prefix, which cannot collide
    own: list[Renames] = [{} for _ in loaded]
    for n, field, id in renamed:
        own[n][field, id] = f"{loaded[n].prefix}{SEPARATOR}{id}"
    return own


_ROUNDS = 50


def _maps(
    loaded: Sequence[_Input],
    renamed: set[tuple[int, str, str]],
    done: Mapping[tuple[int, str, str], Any],
) -> list[Renames]:
    """The renaming of each input: an id it namespaces takes the prefix of the first input
    that holds the same record under it (compared as ``done``, with the references renamed so
    far), so that a record the same in two files stays one."""
    out: list[Renames] = [{} for _ in loaded]
    groups: dict[tuple[str, str], list[tuple[Any, str]]] = {}
    for n, field, id in sorted(renamed):
        record = done[n, field, id]
        if record.id != id:
            record = attrs.evolve(record, id=id)
        group = groups.setdefault((field, id), [])
        prefix = next((p for r, p in group if r == record), loaded[n].prefix)
        group.append((record, prefix))
        out[n][field, id] = f"{prefix}{SEPARATOR}{id}"
    return out


def _rewrite(
    record: Any, renames: Renames, collection: str | None, memo: Held | None = None
) -> Any:
    """``record`` with its id (when it is a record of ``collection``) and every reference its
    fields declare (nested records' too) renamed by ``renames``; with ``memo``, a record of
    the inputs that holds none of the renamed ids is returned at once."""
    if not renames:
        return record
    held = _held(record, collection, memo) if memo is not None and collection else None
    if held is not None and renames.keys().isdisjoint(held):
        return record
    changes: dict[str, Any] = {}
    for f in fields(type(record)):
        value = getattr(record, f.name)
        if value is None:
            continue
        if f.name == "id" and collection is not None:
            new = renames.get((collection, value), value)
        elif f.target is not None:
            if f.many:
                new = tuple(renames.get((f.target, v), v) for v in value)
            else:
                new = renames.get((f.target, value), value)
        elif f.record is not None:
            if f.many:
                new = tuple(_rewrite(r, renames, None) for r in value)
            else:
                new = _rewrite(value, renames, None)
        else:
            continue
        if new != value:
            changes[f.name] = new
    return attrs.evolve(record, **changes) if changes else record


Held = dict[int, frozenset[tuple[str, str]]]
"""What each record of the inputs holds (:func:`_held`), by the record's ``id()``: made for one
merge, while the inputs (and so their records) live."""


def _held(record: Any, collection: str, memo: Held) -> frozenset[tuple[str, str]]:
    """The (collection, id) pairs a record of ``collection`` holds: its own and every one it
    refers to, nested records' too."""
    known = memo.get(id(record))
    if known is not None:
        return known
    found = {(collection, record.id)}
    stack = [record]
    while stack:
        current = stack.pop()
        for f in fields(type(current)):
            value = getattr(current, f.name)
            if value is None:
                continue
            if f.target is not None:
                found.update((f.target, v) for v in (value if f.many else (value,)))
            elif f.record is not None:
                stack.extend(value if f.many else (value,))
    held = memo[id(record)] = frozenset(found)
    return held


# -- provenance and messages -----------------------------------------------------------------


def _sources(
    records: Mapping[str, Sequence[Any]],
    files: Mapping[tuple[str, str], Sequence[str]],
    order: Sequence[str],
) -> tuple[RecordSource, ...]:
    """The record sources: by file (in ``order``), then collection, then record."""
    by_file: dict[str, dict[str, list[str]]] = {}
    for field, items in records.items():
        for record in items:
            for file in files[field, record.id]:
                by_file.setdefault(file, {}).setdefault(field, []).append(record.id)
    return tuple(
        RecordSource(file=file, collection=field, ids=tuple(by_file[file][field]))
        for file in order
        for field in records
        if field in by_file.get(file, {})
    )


_KINDS = {kind.field: kind for kind in RECORD_KINDS}


def _place(source: _Input, field: str, index: int) -> str:
    """Where record ``index`` of collection ``field`` is in the input: its sheet and row in a
    workbook (when it can be found), else its path."""
    record = getattr(source.ledger, field)[index]
    if source.path is not None and format_of(source.path) == "xlsx":
        if field not in source.rows:
            source.rows[field] = _excel_rows(source.path, field)
        row = source.rows[field].get(record.id)
        if row is not None:
            return f"{source.label} {_KINDS[field].label} 第{row}行"
    return f"{source.label} {field}[{index}]"


def _collision(field: str, id: str, one: tuple[_Input, int], other: tuple[_Input, int]) -> Problem:
    kind = _KINDS[field]
    first, second = _place(one[0], field, one[1]), _place(other[0], field, other[1])
    return Problem(
        path=second,
        code="duplicate_id",
        message=t(
            "{label}编号「{id}」在 {first} 与 {second} 指不同的记录；请改正其一，"
            "或以 --prefix-ids（prefix_ids=True）按文件区分编号",
            label=kind.label,
            label_en=kind.label_en,
            id=id,
            first=first,
            second=second,
        ),
    )


def _kept(
    loaded: Sequence[_Input], renames: Sequence[Renames]
) -> tuple[tuple[ExtraColumn, ...], tuple[Spelling, ...], list[Problem]]:
    """What the inputs' workbooks held beyond the fields (:mod:`dangjian.model.kept`), put
    together: the extra columns of one sheet and header as one column, each cell under its
    record's id as renamed; the same cell in two files once, and a cell that two files give
    different texts a problem naming both. A label typed as a synonym is kept as the first file
    that has it typed it (the records' values are the same: only the spelling differs)."""
    cells: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    spelled: dict[tuple[str, str, str], Spelling] = {}
    problems: list[Problem] = []
    for n, source in enumerate(loaded):
        for column in source.ledger.extra_columns:
            held = cells.setdefault((column.sheet, column.header), {})
            for cell in column.cells:
                record = _renamed_row(column.sheet, cell.record, renames[n])
                seen = held.setdefault(record, (cell.value, source.label))
                if seen[0] != cell.value:
                    problems.append(
                        Problem(
                            path=f"{source.label} {column.header} {record}",
                            code="duplicate_key",
                            message=t(
                                "附加列「{header}」中 {record} 的值在 {first} 是「{one}」，"
                                "在 {second} 是「{other}」；请改正其一",
                                header=column.header,
                                record=record,
                                first=seen[1],
                                one=seen[0],
                                second=source.label,
                                other=cell.value,
                            ),
                        )
                    )
        for spelling in source.ledger.spellings:
            record = _renamed_row(spelling.sheet, spelling.record, renames[n])
            spelled.setdefault(
                (spelling.sheet, record, spelling.column), attrs.evolve(spelling, record=record)
            )
    columns = tuple(
        ExtraColumn(sheet, header, tuple(ExtraCell(r, v) for r, (v, _) in held.items()))
        for (sheet, header), held in cells.items()
    )
    return columns, tuple(spelled.values()), problems


def _renamed_row(sheet: str, row: str, renames: Renames) -> str:
    """The row key ``row`` of ``sheet`` (:func:`dangjian.model.kept.row_key`) with its record's
    id as ``--prefix-ids`` renamed it: the id of the top record, before the first ``#``."""
    top, mark, rest = row.partition("#")
    return renames.get((sheet.split(".")[0], top), top) + mark + rest


_RECORD = re.compile(r"^([a-z_]+)\[(\d+)\]")


def _relocated(
    p: Problem, where: Mapping[str, tuple[int, int]], loaded: Sequence[_Input]
) -> Problem:
    """A problem of the merged ledger, its path pointing into the input it came from."""
    m = _RECORD.match(p.path)
    if m is None or m.group() not in where:
        return p
    n, i = where[m.group()]
    at = _place(loaded[n], m.group(1), i)
    return Problem(path=at + p.path[m.end() :], code=p.code, message=p.msg)


def _excel_rows(path: str, field: str) -> dict[str, int]:
    """The row of each record of collection ``field`` in the workbook at ``path`` (already read
    whole, so within its limits), by id; empty when it cannot be told (the first row of an id
    given twice is kept)."""
    rows: dict[str, int] = {}
    try:
        openpyxl = importlib.import_module("openpyxl")
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:
        return rows
    try:
        kind = _KINDS[field]
        title = next((s for s in wb.sheetnames if s.strip() in (kind.label, field)), None)
        if title is None:
            return rows
        column: int | None = None
        for r, row in enumerate(wb[title].iter_rows(values_only=True), start=1):
            if column is None:
                texts = [str(v).strip() if v is not None else "" for v in row]
                if any(texts):
                    hits = [c for c, v in enumerate(texts) if v in ("编号", "id")]
                    if not hits:
                        return rows
                    column = hits[0]
                continue
            id = _id_text(row[column]) if column < len(row) else None
            if id is not None:
                rows.setdefault(id, r)
        return rows
    finally:
        wb.close()


def _id_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        return str(int(value))
    return None
