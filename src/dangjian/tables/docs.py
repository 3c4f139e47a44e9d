"""The table layout as documentation: the reference part of docs/tables.md, made from the
declarations of the model (:mod:`dangjian.tables.schema`) and the types of
:func:`dangjian.tables.arrow.arrow_schema`, so that the page cannot drift from the code.

``python -m dangjian.tables.docs docs/tables.md`` rewrites the part between the page's markers;
a test fails when the page differs from what this module makes.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path

from dangjian.tables.schema import Column, Table, tables

__all__ = ["BEGIN", "END", "layout_markdown", "with_layout"]

BEGIN = "<!-- the layout: made by dangjian.tables.docs; do not edit by hand -->"
END = "<!-- end of the layout -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table_markdown(t: Table) -> str:
    from dangjian.tables.arrow import arrow_schema

    schema = arrow_schema(t.name)
    lines = [f"### `{t.name}` — {t.label} / {t.label_en}", ""]
    if t.parent is None:
        lines.append(f"Key: `{', '.join(t.key)}`.")
    else:
        lines.append(
            f"A child table of `{t.parent}`: `{', '.join(t.parent_key)}` name the row of "
            f"`{t.parent}` that holds the list, `index` the position in it (from 0). "
            f"Key: `{', '.join(t.key)}`."
        )
    lines += [
        "",
        "| column | type | empty | 中文 | English | refers to, or the codes it holds |",
        "|---|---|---|---|---|---|",
    ]
    for c in t.columns:
        field = schema.field(c.name)
        lines.append(
            f"| `{c.name}` | `{field.type}` | {'yes' if c.nullable else 'no'} | "
            f"{_cell(c.label)} | {_cell(c.label_en)} | "
            f"{_holds(c)} |"
        )
    return "\n".join(lines)


def _holds(c: Column) -> str:
    """The table a column refers to, or the codes of its enumeration."""
    if c.target:
        return f"`{c.target}`"
    if isinstance(c.type, type) and issubclass(c.type, enum.Enum):
        return ", ".join(f"`{v.value}`" for v in c.type)
    return ""


def layout_markdown() -> str:
    """The reference of every table of the layout, in Markdown, between :data:`BEGIN` and
    :data:`END`."""
    parts = [BEGIN, ""]
    for t in tables():
        parts += [_table_markdown(t), ""]
    parts.append(END)
    return "\n".join(parts)


def with_layout(page: str) -> str:
    """``page`` with the part between :data:`BEGIN` and :data:`END` made anew.

    Raises:
        ValueError: the page lacks the markers.
    """
    start, end = page.index(BEGIN), page.index(END) + len(END)
    return page[:start] + layout_markdown() + page[end:]


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    target = Path(sys.argv[1])
    target.write_text(with_layout(target.read_text(encoding="utf-8")), encoding="utf-8")
