"""What a workbook held beyond the ledger's fields, kept so that it is written back unchanged.

An office's workbook often has a column of its own (手机号, 备注二) or spells a label as the office
does (支部委员会 for 支委会). Reading keeps both in the ledger, outside the records' fields, so
that no verdict reads them and every format writes them back: :class:`ExtraColumn` for a column
the template does not know, :class:`Spelling` for a label typed as a synonym.

A record is named by its *row key* within its sheet (:func:`row_key`, :func:`dangjian.ledger.row_keys`): a
record of a collection by its id (``M001``); a nested record by its owner's id and its position
in the owner's list, from 1, joined by ``#`` (``MT01#2``: the second absence of meeting MT01); a
donation by its pairing's id, its visit's number and its position (``P1#3#1``).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from dangjian.model import _validators as v

__all__ = ["ExtraCell", "ExtraColumn", "Spelling", "row_key"]


@attrs.frozen
class ExtraCell:
    """One cell of an extra column: the row key of its record and the cell's text (not blank:
    a blank cell is no cell)."""

    record: str
    value: str = attrs.field(validator=v.nonblank)


@attrs.frozen
class ExtraColumn:
    """A column that the workbook's template does not know, kept with its records.

    Attributes:
        sheet: The sheet's identifier (``members``, ``meetings.absences``).
        header: The column's header, as written.
        cells: Its non-empty cells, in the order of the records.
    """

    sheet: str = attrs.field(validator=v.text)
    header: str = attrs.field(validator=v.text)
    cells: tuple[ExtraCell, ...] = ()


@attrs.frozen
class Spelling:
    """A label typed as a synonym (支部委员会), kept to be written back as typed.

    The record holds the canonical value (支委会), which every rule reads.

    Attributes:
        sheet: The sheet's identifier (``meetings``).
        record: The row key of the record.
        column: The column's key (``kind``, ``also``).
        text: The cell's text, as typed.
    """

    sheet: str = attrs.field(validator=v.text)
    record: str
    column: str = attrs.field(validator=v.text)
    text: str = attrs.field(validator=v.text)


def row_key(top: str, positions: Sequence[int] = ()) -> str:
    """The row key of a record: the id ``top`` of its record in a collection, followed by its
    position (from 1) in each list it is nested in."""
    return "#".join([top, *map(str, positions)])
