"""Small helpers shared by the table kinds."""

from __future__ import annotations

from typing import Any

from dangjian._optional import require

__all__ = ["EMPTY_IDS", "ibis", "ids_or_empty"]


def ibis() -> Any:
    """The ``ibis`` module (the ``tables`` extra)."""
    return require("ibis", "tables")


def ids_or_empty(column: Any) -> Any:
    """A collected list of ids, as it is: a row that collected nothing (a left join's ``NULL``)
    has no evidence, which a findings table holds as ``NULL`` (read back as no ids)."""
    return column


def EMPTY_IDS() -> Any:
    """No ids: a typed ``NULL`` list (an empty array literal has no type on PostgreSQL)."""
    return ibis().null("array<string>")
