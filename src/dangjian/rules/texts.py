"""The pieces rule kinds build their messages from, each a :class:`~dangjian.i18n.Message`
rendered in the language of the message around it.

A rule kind writes its message once, in Chinese, through :func:`~dangjian.i18n.t`, and passes
the record's facts as named parameters; what differs between languages (a period's name, a
label, how a list is joined) is passed as one of these:

>>> from dangjian.i18n import t
>>> from dangjian.periods import Period
>>> from dangjian.model import MeetingKind
>>> m = t(
...     "{period}应完成：{actions}",
...     period=period_name(Period.parse("2020Q2")),
...     actions=comma_list(["重温入党志愿书", "集体宣誓"]),
... )
>>> m.render("zh")
'2020年第二季度应完成：重温入党志愿书、集体宣誓'
>>> m.render("en")
'required in Q2 2020: 重温入党志愿书, 集体宣誓'
>>> or_list([label(MeetingKind.THEME_DAY), label(MeetingKind.PARTY_LECTURE)]).render("en")
'themed party day or party lecture'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from dangjian.i18n import Message, rendered_by, t, tp
from dangjian.model.enums import LabelledEnum
from dangjian.periods import Period

__all__ = [
    "and_list",
    "comma_list",
    "joined",
    "label",
    "or_list",
    "period_name",
    "semicolon_list",
]

Piece = Message | str
"""A part of a message: a message, or a text shown as it is in every language (an id, a day,
a name the user wrote)."""


@functools.cache
def label(value: LabelledEnum) -> Message:
    """The label of a value of a closed vocabulary (``主题党日`` / ``themed party day``)."""
    return value.msg


@functools.lru_cache(maxsize=4096)
def period_name(period: Period) -> Message:
    """The name of a period as people write it (``2020年5月`` / ``May 2020``)."""
    return rendered_by(period.label)


def joined(items: Sequence[Piece], pair: Callable[[Piece, Piece], Message]) -> Piece:
    """``items`` joined two by two with ``pair`` (a message of two parameters, ``{a}`` and
    ``{b}``), as a balanced tree, so that a long list does not nest deeply; an empty list is
    the empty text."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    mid = len(items) // 2
    return pair(joined(items[:mid], pair), joined(items[mid:], pair))


def comma_list(items: Sequence[Piece]) -> Piece:
    """A list, ``甲、乙、丙`` / ``a, b, c``."""
    return joined(items, lambda a, b: t("{a}、{b}", a=a, b=b))


def and_list(items: Sequence[Piece]) -> Piece:
    """A list whose English says "and", ``甲、乙`` / ``a and b``."""
    return joined(items, lambda a, b: tp("and", "{a}、{b}", a=a, b=b))


def or_list(items: Sequence[Piece]) -> Piece:
    """A list of alternatives, ``甲或乙`` / ``a or b``."""
    return joined(items, lambda a, b: t("{a}或{b}", a=a, b=b))


def semicolon_list(items: Sequence[Piece]) -> Piece:
    """A list of clauses, ``甲；乙`` / ``a; b``."""
    return joined(items, lambda a, b: t("{a}；{b}", a=a, b=b))
