"""The table implementations of the built-in rule kinds, by name.

Each module mirrors the module of :mod:`dangjian.rules.kinds` whose kinds it implements over
tables, and shares its message-making functions, so that the two engines' findings say the same.
"""

from __future__ import annotations

from dangjian.tables.findings import TableKind
from dangjian.tables.kinds.activity import CHECKLIST, FREQUENCY, RESCHEDULE
from dangjian.tables.kinds.attendance import ATTENDANCE
from dangjian.tables.kinds.dues import DUES, LAPSE
from dangjian.tables.kinds.lifecycle import DUAL_LIFE, JOINT_UNITS, RECRUITMENT, RELATION
from dangjian.tables.kinds.oversight import PAIRING, RECTIFICATION
from dangjian.tables.kinds.people import COVERAGE, MEMBERSHIP, TALK_PAIRS
from dangjian.tables.kinds.structure import STRUCTURE
from dangjian.tables.kinds.votes import ELECTION, QUORUM, RESOLUTION_VOTES

__all__ = ["TABLE_KINDS", "table_kind"]

TABLE_KINDS: dict[str, TableKind] = {
    k.name: k
    for k in (
        FREQUENCY,
        CHECKLIST,
        RESCHEDULE,
        STRUCTURE,
        DUES,
        LAPSE,
        RELATION,
        RECRUITMENT,
        DUAL_LIFE,
        ATTENDANCE,
        JOINT_UNITS,
        RECTIFICATION,
        PAIRING,
        QUORUM,
        RESOLUTION_VOTES,
        ELECTION,
        COVERAGE,
        TALK_PAIRS,
        MEMBERSHIP,
    )
}
"""The built-in table kinds by the name of the rule kind they implement."""


def table_kind(name: str) -> TableKind | None:
    """The table implementation of the rule kind ``name``, or ``None`` when it has none."""
    return TABLE_KINDS.get(name)
