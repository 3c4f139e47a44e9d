"""Small helpers shared by the table kinds."""

from __future__ import annotations

from typing import Any

from dangjian._optional import require

__all__ = ["EMPTY_IDS", "ibis", "ids_or_empty", "one_if"]


def ibis() -> Any:
    """The ``ibis`` module (the ``tables`` extra)."""
    return require("ibis", "tables")


def ids_or_empty(column: Any) -> Any:
    """A collected list of ids, empty where nothing was collected (a left join's ``NULL``)."""
    return column.fill_null(EMPTY_IDS())


def EMPTY_IDS() -> Any:
    """An empty list of ids, typed.

    Made as an empty list of integers cast to strings: a typed empty literal compiles to a bare
    ``ARRAY[]``, which PostgreSQL cannot type; the cast keeps its type on every backend."""
    return ibis().literal([], type="array<int64>").cast("array<string>")


def one_if(condition: Any) -> Any:
    """1 where ``condition`` holds, else 0 (``NULL`` too), as an integer column to sum: a
    boolean does not cast to an integer on every backend (PostgreSQL refuses)."""
    lit = ibis().literal
    return ibis().cases((condition, lit(1, type="int64")), else_=lit(0, type="int64"))
