"""The ledger as tables: one table per record kind, nested lists as child tables.

:mod:`dangjian.tables.schema` derives the tables' schema from the field declarations of the
model; it imports nothing but the model. :mod:`dangjian.tables.arrow` holds a ledger as Arrow
tables in that layout and reads them back, :mod:`dangjian.tables.parquet` writes and reads them
as a directory of Parquet files; both need the ``tables`` extra and are imported by name, so that
importing this package needs no pyarrow.
"""

from dangjian.tables.schema import Column, Reference, Table, kind_tables, table, tables

__all__ = ["Column", "Reference", "Table", "kind_tables", "table", "tables"]
