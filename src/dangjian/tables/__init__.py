"""The ledger as tables: one table per record kind, nested lists as child tables.

:mod:`dangjian.tables.schema` derives the tables' schema from the field declarations of the
model; it imports nothing but the model.
"""

from dangjian.tables.schema import Column, Reference, Table, kind_tables, table, tables

__all__ = ["Column", "Reference", "Table", "kind_tables", "table", "tables"]
