"""The examples of docs/format.md load, and its table of problem codes matches the code.

Conventions of the page:

- every fenced ```yaml block is one piece of a single example ledger: a mapping of top-level keys
  whose collections are put together in page order;
- the first ```yaml block is a complete small ledger, and the one ```json and the one ```toml block
  are the same ledger in those formats;
- the tables of the section "问题代码 Problem codes" list every code of the problems found while
  loading.

The doctests of the page (the ```pycon blocks) run on their own: ``--doctest-glob=*.md``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
import yaml

import dangjian
from dangjian import RECORD_KINDS
from tests.builders import ROOT

FORMAT = ROOT / "docs" / "format.md"

_FENCE = re.compile(r"^```(\w+)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@functools.cache
def blocks(language: str) -> tuple[str, ...]:
    """The text of every fenced block of ``language`` in docs/format.md, in page order."""
    text = FORMAT.read_text(encoding="utf-8")
    return tuple(body for lang, body in _FENCE.findall(text) if lang == language)


def combined() -> dict[str, Any]:
    """The YAML blocks put together: collections concatenated, top-level values agreeing."""
    collections = {kind.field for kind in RECORD_KINDS}
    data: dict[str, Any] = {}
    for i, block in enumerate(blocks("yaml")):
        piece = yaml.safe_load(block)
        assert isinstance(piece, dict), f"yaml block {i} is not a mapping"
        for key, value in piece.items():
            if key in collections:
                assert isinstance(value, list), f"yaml block {i}: {key} is not a list"
                data.setdefault(key, []).extend(value)
            else:
                assert data.get(key, value) == value, f"yaml block {i} changes {key}"
                data[key] = value
    return data


@pytest.fixture(scope="module")
def ledger() -> dangjian.Ledger:
    text = yaml.safe_dump(combined(), allow_unicode=True, sort_keys=False)
    try:
        return dangjian.loads(text, "yaml", source="docs/format.md")
    except dangjian.LedgerError as e:
        pytest.fail(e.render("en"))


def test_there_are_examples() -> None:
    assert len(blocks("yaml")) > len(RECORD_KINDS)
    assert len(blocks("json")) == 1
    assert len(blocks("toml")) == 1


@pytest.mark.parametrize("index", range(len(blocks("yaml"))))
def test_each_yaml_block_is_a_part_of_a_ledger(index: int) -> None:
    piece = yaml.safe_load(blocks("yaml")[index])
    known = {"name", "version"} | {kind.field for kind in RECORD_KINDS}
    assert isinstance(piece, dict)
    assert set(piece) <= known, f"unknown top-level keys {set(piece) - known}"


def test_the_examples_make_one_valid_ledger(ledger: dangjian.Ledger) -> None:
    assert ledger.problems() == []
    assert ledger.name == "市X局机关党委"


@pytest.mark.parametrize("kind", RECORD_KINDS, ids=[k.field for k in RECORD_KINDS])
def test_every_record_kind_has_an_example(ledger: dangjian.Ledger, kind: Any) -> None:
    assert getattr(ledger, kind.field), f"docs/format.md has no example of {kind.field}"
    headings = FORMAT.read_text(encoding="utf-8")
    assert f"### `{kind.field}` {kind.label}" in headings


def test_the_three_formats_show_the_same_ledger() -> None:
    from_yaml = dangjian.loads(blocks("yaml")[0], "yaml")
    assert dangjian.loads(blocks("json")[0], "json") == from_yaml
    assert dangjian.loads(blocks("toml")[0], "toml") == from_yaml


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_the_example_ledger_converts_without_loss(ledger: dangjian.Ledger, fmt: Any) -> None:
    assert dangjian.loads(dangjian.dumps(ledger, fmt), fmt) == ledger


def _codes_in_source() -> set[str]:
    """The problem codes that loading can report, found in the source of the loading code."""
    sources = [
        ROOT / "src" / "dangjian" / "ledger.py",
        *(ROOT / "src" / "dangjian" / "io").glob("*.py"),
    ]
    codes: set[str] = set()
    for path in sources:
        text = path.read_text(encoding="utf-8")
        codes.update(re.findall(r'\bcode="(\w+)"', text))
        # _p(path, "code", zh, en) in the whole-ledger checks
        codes.update(re.findall(r'\b_p\(\s*(?:f?"[^"]*"|[^,()"]+),\s*"(\w+)"', text))
    return codes


def _codes_in_docs() -> list[str]:
    text = FORMAT.read_text(encoding="utf-8")
    section = text.split("### 问题代码 Problem codes", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE)


def test_the_problem_codes_are_all_documented() -> None:
    documented = _codes_in_docs()
    assert len(documented) == len(set(documented)), "a code is listed twice"
    in_source = _codes_in_source()
    assert in_source, "found no codes in the source: has the loading code moved?"
    assert sorted(in_source - set(documented)) == [], "codes missing from docs/format.md"
    assert sorted(set(documented) - in_source) == [], "docs/format.md lists codes that do not exist"


def _sheet_rows() -> list[list[str]]:
    """The rows of the table of the section "工作表 Sheets": its cells, the names split."""
    text = FORMAT.read_text(encoding="utf-8")
    section = text.split("### 工作表 Sheets", 1)[1].split("\n### ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines()]
    cells = [[c.strip() for c in row] for row in rows if len(row) == 3]
    return cells[2:]  # below the header row and the rule


def test_the_sheet_table_has_every_sheet_of_the_layout() -> None:
    """Each sheet that the declarations give the workbook is in the table, once, with the
    header of its first column when it holds nested records."""
    from dangjian.io._excel_layout import HEAD, INSTRUCTIONS, SHEETS, SOURCES

    documented: list[str] = []
    parents: dict[str, str] = {}
    for names, _, keys in _sheet_rows():
        for name in names.split(", "):
            documented.append(name)
            parents[name] = keys
    expected = [INSTRUCTIONS, HEAD.name, *(s.name for s in SHEETS), SOURCES.name]
    assert sorted(documented) == sorted(expected)
    for sheet in SHEETS:
        if sheet.parent is not None:
            assert parents[sheet.name].startswith(sheet.columns[0].header), sheet.name
