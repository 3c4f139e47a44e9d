"""The field declarations of the entities (dangjian.model._declare) and the facts read from them."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import dangjian
from dangjian import RECORD_KINDS, Ledger
from dangjian.model import (
    Election,
    Member,
    ProbationExtension,
    fields,
    kind_of,
    record_kinds,
    references,
)
from tests.builders import ROOT


def _entities() -> list[type[Any]]:
    """Every entity class reachable from the ledger: the record kinds and what they nest."""
    seen: list[type[Any]] = []

    def visit(cls: type[Any]) -> None:
        if cls in seen:
            return
        seen.append(cls)
        for f in fields(cls):
            if f.record is not None:
                visit(f.record)

    visit(Ledger)
    return seen


ENTITIES = _entities()


def test_every_exported_entity_is_reached_from_the_ledger() -> None:
    exported = {
        obj
        for name in dangjian.__all__
        if isinstance(obj := getattr(dangjian, name), type)
        and attrs.has(obj)
        and obj.__module__.startswith("dangjian.model")
        and obj is not dangjian.Month  # a value, like a date
    }
    assert exported <= set(ENTITIES)


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda c: c.__name__)
def test_every_field_is_declared(cls: type[Any]) -> None:
    facts = fields(cls)
    assert [f.name for f in facts] == [a.name for a in attrs.fields(cls)]
    for f in facts:
        assert f.label, f"{cls.__name__}.{f.name} has no Chinese label"
        assert f.label_en, f"{cls.__name__}.{f.name} has no English label"
        assert f.header, f"{cls.__name__}.{f.name} has no header"
        assert f.required == (attrs.fields_dict(cls)[f.name].default is attrs.NOTHING)


def test_an_undeclared_field_is_refused() -> None:
    @attrs.frozen
    class Bare:
        x: int

    with pytest.raises(TypeError, match=r"Bare\.x is not declared"):
        fields(Bare)


def test_references_name_declared_collections() -> None:
    collections = {k.collection for k in record_kinds()}
    for cls in ENTITIES:
        for f in references(cls):
            assert f.target in collections, f"{cls.__name__}.{f.name}"
            assert f.type in (str, str | None, tuple[str, ...]), f"{cls.__name__}.{f.name}"


def test_a_reference_has_the_validator_of_an_id() -> None:
    from dangjian.model import _validators as v

    a = attrs.fields_dict(Member)
    assert a["branch"].validator is v.id_text
    assert a["mentors"].validator is v.ids
    assert a["group"].validator is v.optional(v.id_text)


def test_some_facts() -> None:
    facts = {f.name: f for f in fields(Member)}
    assert facts["branch"].target == "branches"
    assert facts["branch"].label == "所在党组织"
    assert facts["resident_id"].shown == "masked"
    assert facts["milestones"].record is not None
    assert facts["transfers"].many and facts["transfers"].record is not None
    elected = {f.name: f for f in fields(Election)}["elected"]
    assert elected.target == "members" and not elected.check
    decided = fields(ProbationExtension)[0]
    assert (decided.label, decided.header) == ("决定日期", "延长预备期决定日期")


def test_record_kinds_are_the_ledger_collections() -> None:
    assert [(k.field, k.cls) for k in RECORD_KINDS] == [
        (f.name, f.record) for f in fields(Ledger) if f.record is not None
    ]
    for k in RECORD_KINDS:
        facts = kind_of(k.cls)
        assert (facts.collection, facts.label, facts.label_en) == (k.field, k.label, k.label_en)
        assert kind_of(k.field) is facts


def test_mypy_knows_the_declared_fields(tmp_path: Any) -> None:
    """With the plugin of tools/mypy_declare.py, mypy sees a declared field as attrs does: a
    required field left out is an error, an optional one is not."""
    mypy_api = pytest.importorskip("mypy.api")
    root = ROOT
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from dangjian.model import PartyGroup\n"
        'PartyGroup(id="g", name="第一党小组")\n'
        'PartyGroup(id="g", name="第一党小组", branch="b")\n',
        encoding="utf-8",
    )
    # the cache of `mypy src` (run before the tests in CI) keeps this quick
    config, cache = str(root / "pyproject.toml"), str(root / ".mypy_cache")
    out, _, _ = mypy_api.run(["--config-file", config, "--cache-dir", cache, str(snippet)])
    assert 'snippet.py:2: error: Missing named argument "branch"' in out
    assert "snippet.py:3" not in out
