"""Field validators shared by the entities; each raises :class:`FieldError` naming its field.

Most are declared with :func:`passes_when`: the condition under which the validator plainly
passes, written once as a Python expression, followed by the function that looks closer (and
raises) when it does not hold. The validator runs the condition first; the loader's generated
code (:mod:`dangjian.model._attrs_bridge`) inlines the same condition, read with
:func:`fast_test`, and calls the validator only when it does not hold.
"""

from __future__ import annotations

import datetime as dt
import linecache
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from dangjian._id_numbers import mask_resident_ids
from dangjian.i18n import Message, bilingual, t

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_COUNT",
    "MAX_NUMBER",
    "MAX_PLACES",
    "MONTH_DAY",
    "FastTest",
    "FieldError",
    "between",
    "clock_time",
    "fast_test",
    "id_text",
    "ids",
    "non_negative",
    "non_negative_int",
    "not_before",
    "optional",
    "optional_text",
    "passes_when",
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


@attrs.frozen
class FastTest:
    """When a validator plainly passes: a Python expression and the names it uses.

    ``expression`` reads the value as ``{x}`` and the instance (whose fields are all set) as
    ``{inst}``; ``names`` maps each other name in it to its value. The names start with ``_v_``
    and mean the same wherever they appear, so that code inlining several tests can hold them
    all in one namespace.
    """

    expression: str
    names: Mapping[str, object] = attrs.field(factory=dict)

    def on(self, x: str, inst: str = "inst") -> str:
        """The expression for the value in variable ``x`` and the instance in ``inst``."""
        return self.expression.replace("{x}", x).replace("{inst}", inst)


_FAST_TESTS: dict[Validator, FastTest] = {}


def fast_test(v: Validator) -> FastTest | None:
    """The condition under which ``v`` plainly passes (``None`` when it has none declared).

    When the condition holds, calling ``v`` does nothing; when it does not, ``v`` must be called
    (it may still pass).
    """
    return _FAST_TESTS.get(v)


def passes_when(
    expression: str, names: Mapping[str, object] | None = None
) -> Callable[[Validator], Validator]:
    """Declare a validator by the condition under which it plainly passes.

    The condition is a Python expression of the value ``{x}`` and the instance ``{inst}`` (see
    :class:`FastTest`). The decorated function is called only when it does not hold: it raises
    :class:`FieldError`, unless a closer look finds the value valid after all. The validator
    made is the condition followed by that call, so code that inlines the condition and calls
    the validator when it fails does exactly what calling the validator does.
    """
    test = FastTest(expression, dict(names or {}))

    def declare(explain: Validator) -> Validator:
        name = explain.__name__
        source = (
            f"def {name}(inst, a, x):\n"
            f"    if {test.on('x')}:\n"
            "        return\n"
            "    _v_explain(inst, a, x)\n"
        )
        filename = f"<dangjian validator {name}: {expression}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace: dict[str, Any] = {**test.names, "_v_explain": explain}
        exec(compile(source, filename, "exec"), namespace)
        validator: Validator = namespace[name]
        validator.__doc__ = explain.__doc__
        validator.__module__ = explain.__module__
        validator.__qualname__ = explain.__qualname__
        validator.__wrapped__ = explain  # type: ignore[attr-defined]
        _FAST_TESTS[validator] = test
        return validator

    return declare


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


@passes_when("{x}.__class__ is str and {x} and {x}.strip() == {x}")
def text(_: object, a: attrs.Attribute[str], value: str) -> None:
    """Non-empty text without surrounding blanks."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError(a.name, t("不能为空"))
    if value != value.strip():
        raise FieldError(a.name, t("首尾不能有空白"))


id_text = text


@passes_when("{x}.__class__ is str and {x}.strip() != ''")
def nonblank(_: object, a: attrs.Attribute[str], value: str) -> None:
    """Text that is not empty nor all blanks; blanks around it are kept (a cell as typed)."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError(a.name, t("不能为空"))


@passes_when("{x} == () or _v_clean_texts({x})", {"_v_clean_texts": _clean_texts})
def texts(_: object, a: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    """Every item non-empty text without surrounding blanks."""
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or item != item.strip():
            raise FieldError(f"{a.name}[{i}]", t("不能为空，首尾不能有空白"))


@passes_when(
    "{x} == () or (_v_clean_texts({x}) and len(set({x})) == len({x}))",
    {"_v_clean_texts": _clean_texts},
)
def ids(_: object, a: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    """A list of ids: each non-empty, none repeated."""
    texts(_, a, value)
    seen: set[str] = set()
    for i, item in enumerate(value):
        if item in seen:
            raise FieldError(f"{a.name}[{i}]", t("「{item}」重复出现", item=item))
        seen.add(item)


_OPTIONAL: dict[Validator, Validator] = {}


def optional(v: Validator) -> Validator:
    """Run ``v`` unless the value is ``None``.

    Made once for each ``v``; it plainly passes for ``None`` and wherever ``v`` plainly passes.
    """
    made = _OPTIONAL.get(v)
    if made is not None:
        return made
    inner = fast_test(v)
    expression = "{x} is None" if inner is None else f"{{x}} is None or ({inner.expression})"

    @passes_when(expression, None if inner is None else inner.names)
    def check(inst: object, a: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            v(inst, a, value)

    _OPTIONAL[v] = check
    return check


optional_text = optional(text)
""":func:`optional` of :func:`text` (ids and names are checked by the million)."""


def plain_decimal(value: Decimal) -> bool:
    """Whether ``value`` is a decimal from 0 to :data:`MAX_NUMBER` with at most
    :data:`MAX_PLACES` places (and an exponent no larger than the bound needs)."""
    if not (value.__class__ is Decimal and value.is_finite() and 0 <= value <= MAX_NUMBER):
        return False
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and -MAX_PLACES <= exponent <= 9


@passes_when("_v_plain_decimal({x})", {"_v_plain_decimal": plain_decimal})
def non_negative(_: object, a: attrs.Attribute[Decimal], value: Decimal) -> None:
    """A finite decimal from 0 to 10⁹ with at most 6 places after the point.

    The bounds keep arithmetic on amounts exact and quick: ``1e999999999`` is no amount.
    """
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise FieldError(a.name, t("应为不小于0的数"))
    if value > MAX_NUMBER:
        raise FieldError(a.name, t("应不大于10⁹（十亿）"))
    raise FieldError(a.name, t("小数点后最多{places}位", places=MAX_PLACES))


@passes_when(f"{{x}}.__class__ is int and 0 <= {{x}} <= {MAX_COUNT}")
def non_negative_int(_: object, a: attrs.Attribute[int], value: int) -> None:
    """A whole number from 0 to 10⁶ (:data:`MAX_COUNT`)."""
    raise FieldError(a.name, t("应为0到1000000之间的整数"))


@passes_when(f"{{x}}.__class__ is int and 1 <= {{x}} <= {MAX_COUNT}")
def positive_int(_: object, a: attrs.Attribute[int], value: int) -> None:
    """A whole number from 1 to 10⁶ (:data:`MAX_COUNT`)."""
    raise FieldError(a.name, t("应为1到1000000之间的整数"))


def between(low: int, high: int) -> Validator:
    """An integer from ``low`` to ``high`` inclusive."""

    @passes_when(f"{{x}}.__class__ is int and {int(low)} <= {{x}} <= {int(high)}")
    def check(_: object, a: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            if low == high:
                raise FieldError(a.name, t("应为{low}", low=low))
            raise FieldError(a.name, t("应为{low}到{high}之间的整数", low=low, high=high))

    return check


MONTH_DAY = between(1, 31)


@passes_when(
    "{x}.__class__ is _v_time and {x}.tzinfo is None and not {x}.microsecond",
    {"_v_time": dt.time},
)
def clock_time(_: object, a: attrs.Attribute[dt.time], value: dt.time) -> None:
    """A time of day as minutes record it: no time zone, no fractions of a second."""
    if not isinstance(value, dt.time) or value.tzinfo is not None or value.microsecond:
        raise FieldError(a.name, t("应为不带时区、不含秒以下部分的时刻"))


def not_before(other: str, other_label: str) -> Validator:
    """A date that is not earlier than the date in field ``other`` (when both are set)."""
    if not other.isidentifier():
        raise ValueError(f"not a field name: {other!r}")

    @passes_when(
        f"{{x}} is None or getattr({{inst}}, {other!r}, None) is None or {{x}} >= {{inst}}.{other}"
    )
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
