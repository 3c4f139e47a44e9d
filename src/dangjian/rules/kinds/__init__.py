"""The built-in rule kinds: each a params class and a small evaluator."""

from dangjian.rules.kinds.activity import CHECKLIST, FREQUENCY, RESCHEDULE
from dangjian.rules.kinds.attendance import ATTENDANCE
from dangjian.rules.kinds.dues import DUES, LAPSE
from dangjian.rules.kinds.lifecycle import DUAL_LIFE, JOINT_UNITS, RECRUITMENT, RELATION
from dangjian.rules.kinds.oversight import PAIRING, RECTIFICATION
from dangjian.rules.kinds.people import COVERAGE, MEMBERSHIP, STRUCTURE, TALK_PAIRS
from dangjian.rules.kinds.votes import ELECTION, QUORUM, RESOLUTION_VOTES

__all__ = ["BUILTIN_KINDS"]

BUILTIN_KINDS = (
    FREQUENCY,
    CHECKLIST,
    RESCHEDULE,
    QUORUM,
    RESOLUTION_VOTES,
    ELECTION,
    COVERAGE,
    TALK_PAIRS,
    STRUCTURE,
    MEMBERSHIP,
    DUES,
    LAPSE,
    RECTIFICATION,
    PAIRING,
    DUAL_LIFE,
    ATTENDANCE,
    RELATION,
    RECRUITMENT,
    JOINT_UNITS,
)
