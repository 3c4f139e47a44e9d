"""Which file each record of a merged ledger came from (``dangjian merge``).

A ledger merged from several files (one workbook a branch) keeps, for every record of a
collection, the name of the file it was read from: :class:`RecordSource` lists the ids of one
collection that came from one file. A record found the same in two files (the parent committee
in each branch's workbook) is merged once and is listed under both. It is kept in the ledger
(:attr:`dangjian.Ledger.sources`), outside the records' fields, so that no rule reads it and
every format writes it back: JSON, YAML and TOML as the list ``sources``, a workbook as the
sheet 记录来源. Nested records (a meeting's absences) came from the file of their record.
"""

from __future__ import annotations

import attrs

from dangjian.model import _validators as v

__all__ = ["RecordSource"]


@attrs.frozen
class RecordSource:
    """The records of one collection that came from one file.

    Attributes:
        file: The file's name, as it was merged (``第一支部.xlsx``); without its directory.
        collection: The collection (``members``, ``meetings``).
        ids: The ids of its records that came from the file, in the ledger's order.
    """

    file: str = attrs.field(validator=v.text)
    collection: str = attrs.field(validator=v.text)
    ids: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
