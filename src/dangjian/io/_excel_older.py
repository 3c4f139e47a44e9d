"""Workbooks made from older versions of the template: their headers, read as today's columns.

The template's history is kept as data, in ``dangjian/data/template_history.toml``, written from
git by ``tools/template_history.py``: the headers an older template gave a column that is headed
otherwise today (``older``), and the columns the first template lacked, with the day each was
added (``added``). Reading a workbook asks two things of it, each a small function here:

- :func:`older_column`: the column a header of an older template names (read as that column,
  with a notice);
- :func:`later_columns`: the columns a sheet lacks that the template gained after its first
  version (the sheet may be from an older template: they are read as empty, with a notice).

Up to the history's last layout no header or sheet was renamed (``older`` is empty): every header
a template ever wrote is read as it was. The lookup stays, so that a header renamed later is
added to the data, not to the code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import attrs

from dangjian.io._excel_layout import Column, Sheet

__all__ = ["Added", "later_columns", "older_column"]


@attrs.frozen
class Added:
    """A column the first template lacked: its sheet, key and header, and the day it came."""

    sheet: str
    key: str
    header: str
    since: str


@attrs.frozen
class _History:
    older: dict[tuple[str, str], str]  # (sheet ident, older header) → column key
    added: dict[str, tuple[Added, ...]]  # sheet ident → its columns added later


@cache
def _history() -> _History:
    text = resources.files("dangjian").joinpath("data/template_history.toml").read_text("utf-8")
    data = tomllib.loads(text)
    older = {(o["sheet"], o["header"]): o["key"] for o in data.get("older", []) if o["key"]}
    added: dict[str, list[Added]] = {}
    for a in data.get("added", []):
        added.setdefault(a["sheet"], []).append(Added(**a))
    return _History(older, {k: tuple(v) for k, v in added.items()})


def older_column(sheet: Sheet, header: str) -> Column | None:
    """The column of ``sheet`` that ``header`` (stripped) headed in an older template, if any."""
    key = _history().older.get((sheet.ident, header))
    return sheet.column(key) if key is not None else None


def later_columns(sheet: Sheet, keys: set[str]) -> tuple[Added, ...]:
    """The columns of ``sheet`` added to the template after its first version that a header
    row with the columns ``keys`` lacks (none when it lacks none of them)."""
    return tuple(a for a in _history().added.get(sheet.ident, ()) if a.key not in keys)
