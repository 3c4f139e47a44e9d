"""Opening a source of records as tables and checking it: the entry point of the table engine.

(Filled in when the conversion to Arrow (:mod:`dangjian.tables.arrow`) and the backends
(:mod:`dangjian.tables.backends`) land; until then only a ledger or an Ibis backend with the
tables given is accepted.)
"""

from __future__ import annotations

import importlib
from typing import Any

from dangjian.tables.engine import evaluate
from dangjian.tables.report import TableReport

__all__ = ["check"]


def check(source: Any, period: Any, **options: Any) -> TableReport:
    """Check the records of ``source`` with the table engine."""
    from dangjian.ledger import Ledger
    from dangjian.tables.kinds._common import ibis
    from dangjian.tables.schema import sql_name

    if isinstance(source, Ledger):
        arrow: Any = importlib.import_module("dangjian.tables.arrow")
        con = ibis().duckdb.connect()
        tables = {
            name: con.create_table(sql_name(name), table)
            for name, table in arrow.to_arrow(source).items()
        }
    else:
        backends: Any = importlib.import_module("dangjian.tables.backends")
        con = backends.connect(source)
        tables = backends.record_tables(con)
    return evaluate(con, tables, period, **options)
