"""The table implementations of the built-in rule kinds, by name.

Each module mirrors the module of :mod:`dangjian.rules.kinds` whose kinds it implements over
tables, and shares its message-making functions, so that the two engines' findings say the same.
"""

from __future__ import annotations

from dangjian.tables.findings import TableKind
from dangjian.tables.kinds.activity import FREQUENCY
from dangjian.tables.kinds.lifecycle import DUAL_LIFE, JOINT_UNITS, RECRUITMENT, RELATION

__all__ = ["TABLE_KINDS", "table_kind"]

TABLE_KINDS: dict[str, TableKind] = {
    k.name: k for k in (FREQUENCY, RELATION, RECRUITMENT, DUAL_LIFE, JOINT_UNITS)
}
"""The built-in table kinds by the name of the rule kind they implement."""


def table_kind(name: str) -> TableKind | None:
    """The table implementation of the rule kind ``name``, or ``None`` when it has none."""
    return TABLE_KINDS.get(name)
