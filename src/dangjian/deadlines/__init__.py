"""What is due: the requirements still open on a day, by deadline (``dangjian.due``).

:mod:`~dangjian.deadlines.compute` finds the items; :mod:`~dangjian.deadlines.render` writes
them (and registers itself as the list's writer when imported, as this package does).
"""

from dangjian.deadlines import render  # noqa: F401  (registers the writers)
from dangjian.deadlines.compute import LEVELS, DueItem, DueList, Level, due

__all__ = ["LEVELS", "DueItem", "DueList", "Level", "due"]
