"""docs/glossary.md cannot drift from the code.

The glossary is made of sections headed ``### `Name` 中文名``, each with one table whose rows start
with a name in backquotes:

- a record class (every attrs class exported from ``dangjian``): one row per field,
  ``| `field` | 中文 | 必填 | 类型 | 说明 |``;
- an enumeration (every :class:`~dangjian.LabelledEnum` exported from ``dangjian``): one row per
  value, ``| `code` | 中文 label | English label |``; a plain :class:`~enum.Enum` (``PeriodUnit``)
  has its value for code and English label, and its ``label`` property, if any, for 中文;
- ``RECORD_KINDS``: one row per collection, ``| `field` | `Class` | 中文 | English |``.

Every field and every value must be there, exactly as the code has them, and nothing else: a
section, row or ``Class.attribute`` reference naming something the code lacks fails too.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import pytest

import dangjian
from dangjian import RECORD_KINDS, Findings, LabelledEnum, Month, ResidentId
from dangjian.model import FieldFacts
from dangjian.model import fields as model_fields
from tests.builders import ROOT

GLOSSARY = ROOT / "docs" / "glossary.md"

_HEADING = re.compile(r"^#{2,4}\s+`(\w+)`\s*(.*)$")
_REFERENCE = re.compile(r"`([A-Z]\w*)\.(\w+)`")

_TYPE_WORDS: dict[Any, str] = {
    str: "文本",
    int: "整数",
    bool: "布尔",
    Decimal: "数值",
    dt.date: "日期",
    dt.time: "时间",
    Month: "月份",
    ResidentId: "身份证号",
    Findings: "`Finding` 列表",  # a tuple of findings
}


def type_word(t: Any) -> str:
    """How the glossary names the type ``t`` of a field (its 类型 column)."""
    origin = typing.get_origin(t)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(t) if a is not type(None)]
        return " 或 ".join(type_word(a) for a in rest)  # one of several: `MeetingKind` 或 …
    if origin is tuple:
        inner = type_word(typing.get_args(t)[0])
        return f"{inner} 列表" if inner.endswith("`") else f"{inner}列表"
    if origin is typing.Literal and all(isinstance(a, str) for a in typing.get_args(t)):
        return "文本"
    if origin is type:
        return "类"
    if origin is dict:
        return "映射"
    if origin is Callable:
        return "函数"
    if t in _TYPE_WORDS:
        return _TYPE_WORDS[t]
    if isinstance(t, type) and (issubclass(t, Enum) or attrs.has(t)):
        return f"`{t.__name__}`"
    raise AssertionError(f"no glossary word for the type {t!r}")


def required_word(a: attrs.Attribute[Any]) -> str:
    """The 必填 column of a field: 是, 否, or 否 with the default as a file would write it."""
    if a.default is attrs.NOTHING:
        return "是"
    default = a.default
    if (
        default is None
        or default == ()
        or getattr(default, "factory", None) in (dict, list, tuple)  # an empty attrs.Factory
        or (attrs.has(type(default)) and default == type(default)())
    ):
        return "否"
    if isinstance(default, bool):
        shown = str(default).lower()
    elif isinstance(default, LabelledEnum):
        shown = default.code
    else:
        shown = str(default)
    return f"否，默认 `{shown}`"


def value_labels(m: Enum) -> tuple[str, str, str]:
    """The code, Chinese label and English label of an enumeration value."""
    if isinstance(m, LabelledEnum):
        return m.code, m.label, m.label_en
    return str(m.value), str(getattr(m, "label", m.value)), str(m.value)


def _exported() -> tuple[dict[str, type[Any]], dict[str, type[Enum]]]:
    records: dict[str, type[Any]] = {}
    enums: dict[str, type[Enum]] = {}
    for name in dangjian.__all__:
        obj = getattr(dangjian, name)
        if isinstance(obj, type) and attrs.has(obj):
            records[name] = attrs.resolve_types(obj)
        elif isinstance(obj, type) and issubclass(obj, Enum) and len(obj) > 0:
            enums[name] = obj
    return records, enums


RECORDS, ENUMS = _exported()


def _declared(cls: type[Any]) -> dict[str, FieldFacts] | None:
    """The declared facts of the fields of an entity (:func:`dangjian.model.fields`), by name;
    ``None`` for a class whose fields are not declared (the checking objects)."""
    try:
        return {f.name: f for f in model_fields(cls)}
    except TypeError:
        return None


def test_the_entities_are_declared() -> None:
    assert _declared(dangjian.Member) is not None
    assert _declared(dangjian.Ledger) is not None


@functools.cache
def sections() -> dict[str, tuple[str, list[list[str]]]]:
    """Each backquoted section of the glossary: its Chinese name and the cells of its rows."""
    sections: dict[str, tuple[str, list[list[str]]]] = {}
    current: list[list[str]] | None = None
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            name, title = heading.groups()
            assert name not in sections, f"the glossary has two sections for {name}"
            current = []
            sections[name] = (title.strip(), current)
        elif line.startswith("#"):
            current = None
        elif current is not None and line.startswith("| `"):
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return sections


def test_every_section_names_something_that_exists() -> None:
    # ResidentId is a plain value, not an attrs class (so attrs.asdict keeps it masked)
    unknown = set(sections()) - set(RECORDS) - set(ENUMS) - {"RECORD_KINDS", "ResidentId"}
    assert not unknown, f"the glossary has sections for what the code lacks: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_record_class_fields(name: str) -> None:
    cls = RECORDS[name]
    assert name in sections(), f"docs/glossary.md has no section ### `{name}`"
    title, rows = sections()[name]
    assert title, f"the section of {name} gives no Chinese name"
    documented: dict[str, list[str]] = {}
    for row in rows:
        assert len(row) == 5, f"{name}: a field row has 5 cells: {row}"
        field = row[0].strip("`")
        assert field not in documented, f"{name}.{field} is listed twice"
        documented[field] = row
    fields = {a.alias: a for a in attrs.fields(cls)}
    missing = [f for f in fields if f not in documented]
    unknown = [f for f in documented if f not in fields]
    assert not missing, f"{name}: the glossary lacks the fields {missing}"
    assert not unknown, f"{name}: the glossary names fields that do not exist: {unknown}"
    assert list(documented) == list(fields), f"{name}: list the fields in the class's order"
    declared = _declared(cls)
    for field, (_, chinese, required, kind, _note) in documented.items():
        a = fields[field]
        assert chinese, f"{name}.{field} has no Chinese term"
        if declared is not None:
            label = declared[field].label
            assert chinese == label, f"{name}.{field}: 中文 should be {label}, as declared"
        assert required == required_word(a), f"{name}.{field}: 必填 should be {required_word(a)}"
        assert kind == type_word(a.type), f"{name}.{field}: 类型 should be {type_word(a.type)}"


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_enum_values(name: str) -> None:
    cls = ENUMS[name]
    assert name in sections(), f"docs/glossary.md has no section ### `{name}`"
    title, rows = sections()[name]
    assert title, f"the section of {name} gives no Chinese name"
    documented = {}
    for row in rows:
        assert len(row) == 3, f"{name}: a value row has 3 cells (code, 中文, English): {row}"
        code = row[0].strip("`")
        assert code not in documented, f"{name}: code {code!r} is listed twice"
        documented[code] = (row[1], row[2])
    actual = {code: (zh, en) for code, zh, en in map(value_labels, cls)}
    missing = set(actual) - set(documented)
    unknown = set(documented) - set(actual)
    assert not missing, f"{name}: the glossary lacks the codes {sorted(missing)}"
    assert not unknown, f"{name}: the glossary names codes that do not exist: {sorted(unknown)}"
    for code, labels in actual.items():
        assert documented[code] == labels, f"{name}.{code}: the code says {labels}"
    assert list(documented) == list(actual), f"{name}: list the values in the code's order"


def test_record_kinds() -> None:
    assert "RECORD_KINDS" in sections(), "docs/glossary.md has no section ### `RECORD_KINDS`"
    rows = [tuple(c.strip("`") for c in row) for row in sections()["RECORD_KINDS"][1]]
    actual = [(k.field, k.cls.__name__, k.label, k.label_en) for k in RECORD_KINDS]
    assert rows == actual


def test_ledger_collections_use_the_record_kind_labels() -> None:
    rows = {row[0].strip("`"): row[1] for row in sections()["Ledger"][1]}
    for kind in RECORD_KINDS:
        assert rows[kind.field] == kind.label, f"Ledger.{kind.field} is called {kind.label}"


def test_every_reference_names_something_that_exists() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    known: dict[str, type[Any]] = {**RECORDS, **ENUMS}
    for cls_name, attribute in _REFERENCE.findall(text):
        assert cls_name in known, f"the glossary refers to {cls_name}, which is not exported"
        cls = known[cls_name]
        if cls_name in ENUMS:
            ok = attribute in ENUMS[cls_name].__members__
        else:
            ok = attribute in {a.alias for a in attrs.fields(cls)} or hasattr(cls, attribute)
        assert ok, f"the glossary refers to {cls_name}.{attribute}, which does not exist"
