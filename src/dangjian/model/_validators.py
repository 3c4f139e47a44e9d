"""Field validators shared by the entities; each raises :class:`FieldError` naming its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from dangjian.i18n import Message, bilingual, t
from dangjian.model._id_numbers import mask_resident_ids

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_COUNT",
    "MAX_NUMBER",
    "MAX_PLACES",
    "MONTH_DAY",
    "FieldError",
    "between",
    "clock_time",
    "id_text",
    "ids",
    "non_negative",
    "non_negative_int",
    "optional",
    "optional_of",
    "optional_text",
    "plain_decimal",
    "positive_int",
    "text",
    "texts",
]


MAX_NUMBER = Decimal(10**9)
"""The largest amount, number of hours, score or other decimal a ledger may hold (10⁹)."""

MAX_PLACES = 6
"""The most digits a decimal may have after the point."""

MAX_COUNT = 10**6
"""The largest count (of votes, people, minutes, …) a ledger may hold."""

FIRST_YEAR = 1800
"""The first year of a date or month in a ledger file."""

LAST_YEAR = 2200
"""The last year of a date or month in a ledger file."""


class FieldError(ValueError):
    """A field's value breaks its constraint; carries the field name and what is wrong.

    ``FieldError(field, t("…"))``; the older form with both texts, ``FieldError(field, "…",
    "…")``, still works. :attr:`msg` is the message; :attr:`message` and :attr:`message_en`
    render it, with any resident id in it masked.
    """

    def __init__(self, field: str, message: Message | str, message_en: str | None = None) -> None:
        if not isinstance(message, Message):
            message = bilingual(message, message_en)
        self.field = field
        self.msg = message
        super().__init__(f"{field}: {self.message_en}")

    @property
    def message(self) -> str:
        """What is wrong, in Chinese."""
        return mask_resident_ids(self.msg.render("zh"))

    @property
    def message_en(self) -> str:
        """What is wrong, in English."""
        return mask_resident_ids(self.msg.render("en"))


Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def text(_: object, a: attrs.Attribute[str], value: str) -> None:
    """Non-empty text without surrounding blanks."""
    if value.__class__ is str and value and value.strip() == value:
        return
    if not isinstance(value, str) or not value.strip():
        raise FieldError(a.name, t("不能为空"))
    if value != value.strip():
        raise FieldError(a.name, t("首尾不能有空白"))


id_text = text


def _clean_texts(value: object) -> bool:
    """Whether ``value`` is a tuple of non-empty text without surrounding blanks.

    A quick test in bulk, for the common case; ``False`` means "look item by item".
    """
    if value.__class__ is not tuple:
        return False
    try:
        # str.strip raises TypeError for an item that is not text
        return tuple(map(str.strip, value)) == value and "" not in value
    except TypeError:
        return False


def texts(_: object, a: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    """Every item non-empty text without surrounding blanks."""
    if _clean_texts(value):
        return
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or item != item.strip():
            raise FieldError(f"{a.name}[{i}]", t("不能为空，首尾不能有空白"))


def ids(_: object, a: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    """A list of ids: each non-empty, none repeated."""
    if _clean_texts(value) and len(set(value)) == len(value):
        return
    texts(_, a, value)
    seen: set[str] = set()
    for i, item in enumerate(value):
        if item in seen:
            raise FieldError(f"{a.name}[{i}]", t("「{item}」重复出现", item=item))
        seen.add(item)


def optional(v: Validator) -> Validator:
    """Run ``v`` unless the value is ``None``."""
    if v is text:
        return optional_text

    def check(inst: object, a: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            v(inst, a, value)

    _OPTIONAL[check] = v
    return check


_OPTIONAL: dict[Validator, Validator] = {}


def optional_of(v: Validator) -> Validator | None:
    """The validator that ``v`` runs when it was made by :func:`optional` (else ``None``).

    Lets the loader skip a call for the ``None`` values of optional fields.
    """
    return text if v is optional_text else _OPTIONAL.get(v)


def optional_text(inst: object, a: attrs.Attribute[str | None], value: str | None) -> None:
    """:func:`optional` of :func:`text`, made once: ids and names are checked by the million."""
    if value is None or (value.__class__ is str and value and value.strip() == value):
        return
    text(inst, a, value)  # type: ignore[arg-type]


def plain_decimal(value: Decimal) -> bool:
    """Whether ``value`` is a decimal from 0 to :data:`MAX_NUMBER` with at most
    :data:`MAX_PLACES` places (and an exponent no larger than the bound needs)."""
    if not (value.__class__ is Decimal and value.is_finite() and 0 <= value <= MAX_NUMBER):
        return False
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and -MAX_PLACES <= exponent <= 9


def non_negative(_: object, a: attrs.Attribute[Decimal], value: Decimal) -> None:
    """A finite decimal from 0 to 10⁹ with at most 6 places after the point.

    The bounds keep arithmetic on amounts exact and quick: ``1e999999999`` is no amount.
    """
    if isinstance(value, Decimal) and plain_decimal(value):
        return
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise FieldError(a.name, t("应为不小于0的数"))
    if value > MAX_NUMBER:
        raise FieldError(a.name, t("应不大于10⁹（十亿）"))
    raise FieldError(a.name, t("小数点后最多{places}位", places=MAX_PLACES))


def _count(value: object, low: int) -> bool:
    return type(value) is int and low <= value <= MAX_COUNT


def non_negative_int(_: object, a: attrs.Attribute[int], value: int) -> None:
    """A whole number from 0 to 10⁶ (:data:`MAX_COUNT`)."""
    if not _count(value, 0):
        raise FieldError(a.name, t("应为0到1000000之间的整数"))


def positive_int(_: object, a: attrs.Attribute[int], value: int) -> None:
    """A whole number from 1 to 10⁶ (:data:`MAX_COUNT`)."""
    if not _count(value, 1):
        raise FieldError(a.name, t("应为1到1000000之间的整数"))


def between(low: int, high: int) -> Validator:
    """An integer from ``low`` to ``high`` inclusive."""

    def check(_: object, a: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            if low == high:
                raise FieldError(a.name, t("应为{low}", low=low))
            raise FieldError(a.name, t("应为{low}到{high}之间的整数", low=low, high=high))

    return check


MONTH_DAY = between(1, 31)


def clock_time(_: object, a: attrs.Attribute[dt.time], value: dt.time) -> None:
    """A time of day as minutes record it: no time zone, no fractions of a second."""
    if not isinstance(value, dt.time) or value.tzinfo is not None or value.microsecond:
        raise FieldError(a.name, t("应为不带时区、不含秒以下部分的时刻"))


def not_before(other: str, other_label: str) -> Validator:
    """A date that is not earlier than the date in field ``other`` (when both are set)."""

    def check(inst: object, a: attrs.Attribute[dt.date | None], value: dt.date | None) -> None:
        earlier = getattr(inst, other, None)
        if value is not None and earlier is not None and value < earlier:
            raise FieldError(
                a.name,
                t(
                    "不能早于{other_label}（{date}）",
                    other_label=other_label,
                    other=other,
                    date=earlier.isoformat(),
                ),
            )

    return check
