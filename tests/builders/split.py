"""A ledger split by branch into ledgers that are each valid: what ``dangjian merge`` puts
back together (tests/test_merging.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from dangjian import Ledger
from dangjian.ledger import RECORD_KINDS
from dangjian.model import Member, fields


def _refs(record: Any) -> list[tuple[str, str]]:
    """Every (collection, id) that ``record`` and its nested records refer to."""
    out: list[tuple[str, str]] = []
    for f in fields(type(record)):
        value = getattr(record, f.name)
        if value is None:
            continue
        if f.target is not None:
            out += [(f.target, v) for v in (value if f.many else (value,))]
        elif f.record is not None:
            for nested in value if f.many else (value,):
                out += _refs(nested)
    return out


def _home(record: Any, ledger: Ledger, pieces: Sequence[str]) -> str:
    """The piece a record belongs to: its branch's, its member's branch's, else the first."""
    branch = getattr(record, "branch", None)
    for name in ("member", "initiator"):
        person = getattr(record, name, None)
        if branch is None and isinstance(person, str):
            found = ledger.find(Member, person)
            branch = found.branch if found is not None else None
    return branch if branch in pieces else pieces[0]


def split_by_branch(ledger: Ledger, pieces: Sequence[str]) -> dict[str, Ledger]:
    """``ledger`` split into one ledger for each branch id of ``pieces``: each record goes to
    the piece of its branch (the first piece when it has none of them), then each piece takes in
    every record its records refer to, until it is closed (so each piece is valid, and records
    such as the organisations are in several pieces, the same)."""
    by_key = {(k.field, r.id): r for k in RECORD_KINDS for r in getattr(ledger, k.field)}
    out: dict[str, Ledger] = {}
    for piece in pieces:
        keys = {
            (k.field, r.id)
            for k in RECORD_KINDS
            for r in getattr(ledger, k.field)
            if _home(r, ledger, pieces) == piece
        }
        todo = list(keys)
        while todo:
            for ref in _refs(by_key[todo.pop()]):
                if ref in by_key and ref not in keys:
                    keys.add(ref)
                    todo.append(ref)
        chosen = {
            k.field: tuple(r for r in getattr(ledger, k.field) if (k.field, r.id) in keys)
            for k in RECORD_KINDS
        }
        out[piece] = attrs.evolve(ledger, **chosen)
    return out
