"""The ledger as tables, and the table engine that checks them where they are.

:mod:`dangjian.tables.schema` derives the tables' schema from the field declarations of the
model; it imports nothing but the model. :mod:`dangjian.tables.arrow` holds a ledger as Arrow
tables in that layout and reads them back, :mod:`dangjian.tables.parquet` writes and reads them
as a directory of Parquet files, :mod:`dangjian.tables.backends` opens a source of tables on a
backend. :func:`check` runs the rules over tables — a ledger, a directory of Parquet files, a
DuckDB file, a PostgreSQL database, a Spark session — with Ibis. All of these need the
``tables`` extra and are imported when first used, so that importing this package needs no
pyarrow and no Ibis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dangjian.tables.schema import Column, Reference, Table, kind_tables, table, tables

if TYPE_CHECKING:
    from dangjian.tables.report import TableReport

__all__ = ["Column", "Reference", "Table", "TableReport", "check", "kind_tables", "table", "tables"]


def check(source: Any, period: Any, **options: Any) -> TableReport:
    """Check the records of ``source`` with the table engine; see
    :func:`dangjian.tables.check.check`."""
    from dangjian.tables.check import check as run

    report: TableReport = run(source, period, **options)
    return report


def __getattr__(name: str) -> Any:
    if name == "TableReport":
        from dangjian.tables.report import TableReport

        return TableReport
    raise AttributeError(name)
