"""A calendar month, the unit that dues are paid for: the :class:`~dangjian.periods.Period` of a
month, :class:`dangjian.periods.Month`, named here for the records that carry one.

>>> m = Month.parse("2020-05")
>>> m, str(m), m.next(), m.first_day
(Month(year=2020, month=5), '2020-05', Month(year=2020, month=6), datetime.date(2020, 5, 1))
"""

from __future__ import annotations

from dangjian.periods import Month

__all__ = ["Month"]
