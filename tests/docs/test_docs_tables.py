"""docs/tables.md: its layout part is the one dangjian.tables.docs makes from the model."""

from __future__ import annotations

import pytest

from dangjian.tables import tables
from dangjian.tables.docs import BEGIN, END, layout_markdown, with_layout
from tests.builders import ROOT

pytest.importorskip("pyarrow")

PAGE = ROOT / "docs" / "tables.md"


def test_the_layout_part_is_made_from_the_model() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert page == with_layout(page), "run: python -m dangjian.tables.docs docs/tables.md"


def test_every_table_and_column_is_documented_once() -> None:
    made = layout_markdown()
    assert made.startswith(BEGIN) and made.endswith(END)
    for t in tables():
        assert made.count(f"### `{t.name}` ") == 1
        section = made.split(f"### `{t.name}` ", 1)[1].split("\n### ", 1)[0]
        for c in t.columns:
            assert section.count(f"| `{c.name}` |") == 1, (t.name, c.name)


def test_a_page_without_its_markers_is_refused() -> None:
    with pytest.raises(ValueError):
        with_layout("# no markers here")
