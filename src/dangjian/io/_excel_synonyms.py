"""Synonyms of labels that a workbook accepts (支部委员会 for 支委会), kept as data.

The bundled table is ``dangjian/data/synonyms.toml``: for an enumeration of
:mod:`dangjian.model.enums`, the other names offices give each of its values. Reading a cell
stores the canonical value and keeps the spelling (:class:`dangjian.model.kept.Spelling`), so
that writing gives the cell back as it was typed.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from dangjian.io._excel_layout import Column
from dangjian.io._excel_values import read_list
from dangjian.model import LabelledEnum
from dangjian.model import enums as _enums

__all__ = ["SYNONYMS_SOURCE", "canonical", "read_labels", "synonyms"]

SYNONYMS_SOURCE = "dangjian:data/synonyms.toml"


@functools.cache
def synonyms() -> dict[type[LabelledEnum], dict[str, LabelledEnum]]:
    """Each enumeration with synonyms: synonym → value.

    Raises:
        ValueError: the bundled table names an unknown enumeration or code, or a synonym that
            is already a label or code, or is given twice.
    """
    text = (resources.files("dangjian") / "data" / "synonyms.toml").read_text("utf-8")
    out: dict[type[LabelledEnum], dict[str, LabelledEnum]] = {}
    for name, table in tomllib.loads(text).items():
        enum = getattr(_enums, name, None)
        if not (isinstance(enum, type) and issubclass(enum, LabelledEnum)):
            raise ValueError(f"{SYNONYMS_SOURCE}: {name} is no enumeration")
        taken = {m.label for m in enum} | {m.code for m in enum}
        found: dict[str, LabelledEnum] = {}
        for code, words in table.items():
            member = next((m for m in enum if m.code == code), None)
            if member is None:
                raise ValueError(f"{SYNONYMS_SOURCE}: {name} has no code {code!r}")
            for word in words:
                if word in taken or word in found:
                    raise ValueError(f"{SYNONYMS_SOURCE}: {name}: {word!r} is not free")
                found[word] = member
        out[enum] = found
    return out


def canonical(enum: type[LabelledEnum] | None, text: str) -> LabelledEnum | None:
    """The value that ``text`` is a synonym of, if it is one."""
    if enum is None:
        return None
    return synonyms().get(enum, {}).get(text)


def read_labels(column: Column, text: str) -> Any:
    """The value of an ``enum`` column's cell holding ``text`` (a tuple of values for an
    ``enums`` column), by label, code or synonym; None when some part is none of those."""
    if column.enum is None:
        return None
    parts = read_list(text) if column.kind == "enums" else [text]
    values: list[LabelledEnum] = []
    for part in parts:
        found = canonical(column.enum, part)
        if found is None:
            try:
                found = column.enum.parse(part)
            except ValueError:
                return None
        values.append(found)
    return tuple(values) if column.kind == "enums" else values[0]
