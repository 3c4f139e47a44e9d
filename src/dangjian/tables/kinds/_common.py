"""Small helpers shared by the table kinds."""

from __future__ import annotations

from typing import Any

from dangjian._optional import require

__all__ = ["EMPTY_IDS", "ibis", "ids_or_empty"]


def ibis() -> Any:
    """The ``ibis`` module (the ``tables`` extra)."""
    return require("ibis", "tables")


def ids_or_empty(column: Any) -> Any:
    """A collected list of ids, empty where nothing was collected (a left join's ``NULL``)."""
    return column.fill_null(EMPTY_IDS())


def EMPTY_IDS() -> Any:
    """An empty list of ids, typed on every backend.

    Not the literal ``[]``: PostgreSQL cannot type an empty ``ARRAY[]`` (Ibis writes it without
    a cast), so it is a list of one text with that text filtered out."""
    return ibis().literal([""], type="array<string>").filter(lambda _: ibis().literal(False))
