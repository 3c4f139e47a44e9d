"""Half-year work summaries (工作总结): figures counted from a ledger, and a draft that carries them.

>>> import dangjian
>>> ledger = dangjian.load("examples/x-bureau-2020h1.yaml")
>>> summary = dangjian.summarize(ledger, "2020H1")
>>> summary.centre_group_study.value, summary.funds_won.yuan
(6, Decimal('800000'))
"""

from dangjian.summary.compute import OUTLINES, PARTS, summarize
from dangjian.summary.draft import WorkSummary
from dangjian.summary.figures import (
    Amount,
    Combined,
    Count,
    DonationTotal,
    Figure,
    Figures,
    Film,
    FindingGroup,
    Headcount,
    MeetingCount,
    Section,
    Tally,
)

__all__ = [
    "OUTLINES",
    "PARTS",
    "Amount",
    "Combined",
    "Count",
    "DonationTotal",
    "Figure",
    "Figures",
    "Film",
    "FindingGroup",
    "Headcount",
    "MeetingCount",
    "Section",
    "Tally",
    "WorkSummary",
    "summarize",
]
