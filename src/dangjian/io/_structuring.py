"""A parsed ledger document structured into a :class:`~dangjian.ledger.Ledger`.

Quickly first; when that fails, again record by record, to list every problem. Shared by the
text formats (:mod:`dangjian.io.formats`) and Excel workbooks (:mod:`dangjian.io.excel`).
"""

from __future__ import annotations

import functools
from typing import Any

import attrs
import cattrs

from dangjian.errors import LedgerError, Problem
from dangjian.i18n import t
from dangjian.io.converter import DuplicateKeys, InvalidValue, make_converter, structure_problems
from dangjian.ledger import RECORD_KINDS, Ledger, ledger_problems

__all__ = ["fast", "structure_ledger"]


@functools.cache
def fast() -> cattrs.Converter:
    """The converter of the quick path, which stops at the first error; it also writes ledgers.
    Made on first use (making it takes tens of milliseconds that a program reading no ledger, a
    check of tables, need not spend)."""
    return make_converter(detailed=False)


@functools.cache
def _detailed() -> cattrs.Converter:
    return make_converter(detailed=True)


def structure_ledger(data: Any, source: str | None) -> Ledger:
    """The ledger in a parsed document, structured and validated.

    Raises:
        LedgerError: ``data`` is not a ledger mapping, does not fit the ledger format, or its
            records do not fit together; every problem is listed with its path.
    """
    if not isinstance(data, dict):
        raise LedgerError(
            [
                Problem(
                    path="",
                    code="not_a_ledger",
                    message=t("文件顶层应为台账对象（含 name、branches、members 等字段）"),
                )
            ],
            source=source,
        )
    try:
        ledger = fast().structure(data, Ledger)
    except Exception:
        # The fast path stops at the first error; go again, slowly, to find them all.
        raise LedgerError(_all_problems(data), source=source) from None
    ledger.validate(source=source)
    return ledger


def _all_problems(data: dict[str, Any]) -> list[Problem]:
    """Every problem in a ledger document that does not structure.

    Each record is structured on its own, so one bad record does not hide the next; the records
    that do structure are then checked together, with paths that point into the document, and a
    reference to a record that failed to structure is not reported as broken a second time.
    """
    collections = {kind.field for kind in RECORD_KINDS}
    head = DuplicateKeys({k: v for k, v in data.items() if k not in collections})
    head.duplicates = getattr(data, "duplicates", ())
    problems: list[Problem] = []
    try:
        ledger = _detailed().structure(head, Ledger)
    except Exception as e:
        problems += structure_problems(e)
        ledger = Ledger(name="?")
    records: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    failed: dict[type[Any], set[str]] = {}
    for kind in RECORD_KINDS:
        raw = data.get(kind.field, [])
        records[kind.field], positions[kind.field] = [], []
        if not isinstance(raw, list):
            problems += structure_problems(
                InvalidValue("应为列表", "expected a list", code="invalid_value"), kind.field
            )
            continue
        for i, item in enumerate(raw):
            try:
                records[kind.field].append(_detailed().structure(item, kind.cls))
                positions[kind.field].append(i)
            except Exception as e:
                problems += structure_problems(e, f"{kind.field}[{i}]")
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    failed.setdefault(kind.cls, set()).add(item["id"])
    partial = attrs.evolve(ledger, **{k: tuple(v) for k, v in records.items()})  # type: ignore[arg-type]
    problems += ledger_problems(partial, positions=positions, assumed=failed)
    return problems
