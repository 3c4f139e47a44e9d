"""The converter between ledgers and plain data (dicts, lists, text and numbers).

:func:`make_converter` builds a fresh :class:`cattrs.Converter` each time; dangjian never
registers hooks on a global converter. What it writes is plain data any JSON, YAML or TOML
library can serialise: dates as ISO 8601 text, money and other decimals as text, enumerations as
their ASCII codes, and fields left at their default omitted.

It reads strictly: text where text is expected, whole numbers where whole numbers are, no unknown
keys, enumerations by code or Chinese label. :func:`structure_problems` turns what goes wrong
into :class:`~dangjian.errors.Problem` values with paths.
"""

from __future__ import annotations

import datetime as dt
import functools
import linecache
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from dangjian.errors import Problem
from dangjian.i18n import Message, bilingual, given, t
from dangjian.ledger import Ledger
from dangjian.model import LabelledEnum, Month, ResidentId
from dangjian.model import _validators as _v
from dangjian.model._validators import FieldError
from dangjian.model.enums import _lookup
from dangjian.model.resident_id import mask_resident_ids

__all__ = [
    "MAX_DIGITS",
    "DuplicateKeys",
    "InvalidValue",
    "OverlongNumber",
    "UnplainFloat",
    "UnplainInt",
    "make_converter",
    "structure_problems",
]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
# a decimal as a file may write it: ASCII digits (full-width ones are read as ASCII), one point,
# an exponent; no underscores, no other digits, no blanks
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,9})?")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
MAX_DIGITS = 100
"""The most digits a number in a file may have; longer ones are refused where they stand."""


class UnplainInt(int):
    """A whole number a YAML file wrote in a way YAML 1.1 reads but people seldom mean:
    ``4_5`` (45), ``010`` (8), ``0x1F`` (31), ``0b11`` (3), ``1:30`` (90, in base 60).
    :attr:`written` is what it wrote.

    Where text is expected, it is refused as any number is (with a hint to quote it); where a
    number is expected, it is refused too: a ledger writes numbers with plain digits.
    """

    written: str = ""


class UnplainFloat(float):
    """A decimal number a YAML file wrote with underscores (``1_000.5``); see
    :class:`UnplainInt`."""

    written: str = ""


def _refuse_unplain(value: object) -> None:
    if isinstance(value, UnplainInt | UnplainFloat):
        shown = value.written[:40]
        raise InvalidValue(
            t(
                "数字「{shown}」的写法不受支持：请只用0-9书写"
                "（不用下划线，也不用八进制、十六进制、二进制、六十进制）",
                shown=shown,
            )
        )


class OverlongNumber:
    """A number written with more than :data:`MAX_DIGITS` digits, kept unconverted.

    Python refuses to convert integers of more than 4,300 digits, and no field needs a hundred;
    the parsers give this in place of such a number, so the converter refuses it at its path.
    """

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"OverlongNumber(digits={self.digits})"


class InvalidValue(ValueError):
    """A value of the wrong type or form; carries what is wrong as a message (:attr:`msg`).

    :attr:`message` and :attr:`message_en` render it with any resident id masked; the older
    form with both texts, ``InvalidValue("…", "…")``, still works.
    """

    def __init__(
        self, message: Message | str, message_en: str | None = None, *, code: str = "invalid_value"
    ) -> None:
        if not isinstance(message, Message):
            message = bilingual(message, message_en)
        self.msg = message
        self.code = code
        super().__init__(self.message_en)

    @property
    def message(self) -> str:
        """What is wrong, in Chinese."""
        return mask_resident_ids(self.msg.render("zh"))

    @property
    def message_en(self) -> str:
        """What is wrong, in English."""
        return mask_resident_ids(self.msg.render("en"))


class DuplicateKeys(dict[str, Any]):
    """A mapping read from a file in which some keys appeared more than once."""

    duplicates: tuple[str, ...] = ()


def _describe(value: object) -> Message:
    """How a value found in a file is named in messages."""
    if value is None:
        return t("空值")
    if isinstance(value, OverlongNumber):
        return t("{digits}位的数字（过长）", digits=value.digits)
    if isinstance(value, bool):
        return t("布尔值{value}", value=str(value).lower())
    if isinstance(value, UnplainInt | UnplainFloat):
        shown = value.written[:40]
        if isinstance(value, int):
            return t("整数{value}（写作{shown}）", value=str(value), shown=shown)
        return t("数字{value}（写作{shown}）", value=str(value), shown=shown)
    if isinstance(value, int):
        return t("整数{value}", value=str(value))
    if isinstance(value, float | Decimal):
        return t("数字{value}", value=str(value))
    if isinstance(value, str):
        return t("「{shown}」", shown=value if len(value) <= 40 else value[:37] + "…")
    if isinstance(value, list | tuple):
        return t("列表")
    if isinstance(value, Mapping):
        return t("对象")
    if isinstance(value, dt.datetime):
        return t("日期时间{value}", value=value.isoformat())
    if isinstance(value, dt.date | dt.time):
        return given({"zh": value.isoformat()})
    return given({"zh": type(value).__name__})


_NO_HINT = given({"zh": ""})


def _invalid(value: object, expected: Message, hint: Message = _NO_HINT) -> InvalidValue:
    return InvalidValue(
        t("应为{expected}，实为{found}{hint}", expected=expected, found=_describe(value), hint=hint)
    )


# -- primitives ------------------------------------------------------------------------------


def _structure_str(value: object, _: type) -> str:
    if isinstance(value, str):
        return value
    hint = t("（编号等文本请加引号）") if isinstance(value, int | float) else _NO_HINT
    raise _invalid(value, t("文本"), hint)


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        _refuse_unplain(value)
        return value
    raise _invalid(value, t("整数"))


def _structure_bool(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise _invalid(value, t(" true 或 false"))


def _structure_decimal(value: object, _: type) -> Decimal:
    _refuse_unplain(value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int) and not isinstance(value, bool):
        result = Decimal(value)
    elif isinstance(value, float):
        # YAML and TOML give numbers as floats; their shortest text is what the file said.
        result = Decimal(repr(value))
    elif isinstance(value, str):
        return _decimal_text(value)
    else:
        raise _invalid(value, t("数字"))
    if not result.is_finite():
        raise _invalid(value, t("有限的数字"))
    return result


# Ledgers repeat the same dates, months, times and amounts many times over; the values are
# immutable, so text read once is not parsed again. Only successes are remembered (a call that
# raises is not cached), and the caches are bounded.
_CACHE_SIZE = 1 << 15


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _decimal_text(value: str) -> Decimal:
    plain = value.translate(_FULL_WIDTH_DIGITS)
    if len(plain) > MAX_DIGITS + 16 or not _DECIMAL.fullmatch(plain):
        if plain.lower().lstrip("+-") in ("nan", "snan", "inf", "infinity"):
            raise _invalid(value, t("有限的数字"))
        if "_" in plain or any(c.isdigit() and not c.isascii() for c in plain):
            raise _invalid(value, t("数字（只用0-9、小数点和指数，不用下划线或其他文字的数字）"))
        raise _invalid(value, t("数字"))
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise _invalid(value, t("数字")) from None


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _invalid(value, t("日期（不带时间）"))
    if isinstance(value, dt.date):
        return _in_years(value, value)
    if isinstance(value, str):
        return _date_text(value)
    raise _invalid(value, t("日期，格式为 YYYY-MM-DD"))


def _in_years(day: dt.date, value: object) -> dt.date:
    """``day`` when its year is one a ledger may hold (so date arithmetic stays in range)."""
    if _v.FIRST_YEAR <= day.year <= _v.LAST_YEAR:
        return day
    raise _invalid(
        value, t("{first}年至{last}年之间的日期", first=_v.FIRST_YEAR, last=_v.LAST_YEAR)
    )


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _date_text(value: str) -> dt.date:
    if _DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise _invalid(value, t("有效日期")) from None
        return _in_years(day, value)
    raise _invalid(value, t("日期，格式为 YYYY-MM-DD"))


def _structure_time(value: object, _: type) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return _time_text(value)
    hint = t("（YAML 中的时间请加引号）") if isinstance(value, int) else _NO_HINT
    raise _invalid(value, t("时间，格式为 HH:MM"), hint)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _time_text(value: str) -> dt.time:
    if _TIME.fullmatch(value):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            raise _invalid(value, t("有效时间")) from None
    raise _invalid(value, t("时间，格式为 HH:MM"))


def _unstructure_time(value: dt.time) -> str:
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def _structure_month(value: object, _: type) -> Month:
    if isinstance(value, str):
        return _month_text(value)
    raise _invalid(value, t("月份，格式为 YYYY-MM"))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _month_text(value: str) -> Month:
    try:
        month = Month.parse(value)
    except (ValueError, FieldError):
        raise _invalid(value, t("月份，格式为 YYYY-MM")) from None
    if _v.FIRST_YEAR <= month.year <= _v.LAST_YEAR:
        return month
    raise _invalid(
        value, t("{first}年至{last}年之间的月份", first=_v.FIRST_YEAR, last=_v.LAST_YEAR)
    )


def _structure_resident_id(value: object, _: type) -> ResidentId:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        # An unquoted number may be the whole id: never repeat it in the message.
        raise InvalidValue(t("应为18位身份证号文本，实为数字（身份证号请加引号）"))
    if not isinstance(value, str):
        raise _invalid(value, t("18位身份证号文本"))
    try:
        return ResidentId(value)
    except FieldError as e:
        raise InvalidValue(e.msg, code="invalid_resident_id") from None


def _enum_structure(cls: type[LabelledEnum]) -> Callable[[object, type], LabelledEnum]:
    def structure(value: object, _: type) -> LabelledEnum:
        if isinstance(value, str):
            try:
                return cls.parse(value)
            except ValueError:
                pass
        raise InvalidValue(
            t(
                "{value}不是可用的取值，可选：{choices}",
                value=_describe(value),
                choices=cls.choices(),
                codes=", ".join(m.code for m in cls),
            ),
            code="unknown_label",
        )

    return structure


# -- collections and records -----------------------------------------------------------------


def _is_homogeneous_tuple(typ: Any) -> bool:
    args = typing.get_args(typ)
    return typing.get_origin(typ) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_factory(conv: cattrs.Converter, detailed: bool) -> Callable[[Any], Any]:
    def factory(typ: Any) -> Callable[[object, type], tuple[Any, ...]]:
        elem = typing.get_args(typ)[0]
        handler = conv.get_structure_hook(elem)

        def structure(value: object, _: type) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise _invalid(value, t("列表"))
            if not detailed:
                return tuple([handler(x, elem) for x in value])
            out: list[Any] = []
            errors: list[Exception] = []
            for i, x in enumerate(value):
                try:
                    out.append(handler(x, elem))
                except Exception as e:
                    e.add_note(IterableValidationNote(f"Structuring {typ} @ index {i}", i, elem))
                    errors.append(e)
            if errors:
                raise IterableValidationError(f"While structuring {typ}", errors, typ)
            return tuple(out)

        return structure

    return factory


def _record_factory(conv: cattrs.Converter, detailed: bool) -> Callable[[Any], Any]:
    def factory(cls: type[Any]) -> Callable[[object, type], Any]:
        if detailed:
            return _detailed_record(conv, cls)
        base = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=False
        )

        def structure(value: object, _: type) -> Any:
            if not isinstance(value, Mapping) or isinstance(value, DuplicateKeys):
                raise _invalid(value, t("对象（键值对）"))
            return base(value, cls)

        return _quick_record(conv, cls, structure)

    return factory


def _quick_record(
    conv: cattrs.Converter, cls: type[Any], general: Callable[[object, type], Any]
) -> Callable[[object, type], Any]:
    """A quicker way to structure ``cls``, for documents that are valid, with ``general`` behind it.

    The generated function reads a plain ``dict`` field by field, checks the common cases inline
    (text, whole numbers, booleans, enumeration codes and labels, lists of text) and calls the
    converter's hooks for the rest, without the per-field calls and the set of unknown keys that
    the general path costs. When anything is not as expected, or anything raises, it hands the
    value to ``general``, so what is accepted, what comes out and what is raised are exactly
    those of ``general``.
    """
    fields = attrs.fields(attrs.resolve_types(cls))
    if any(
        not a.init or a.converter is not None or isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
        for a in fields
    ):
        return general
    names: dict[str, Any] = {"cls": cls, "general": general, "_dict": dict}
    required = sum(1 for a in fields if a.default is attrs.NOTHING)
    body = ["if o.__class__ is _dict:", f"    n = {required}"]
    for i, a in enumerate(fields):
        x = f"x{i}"
        convert = _quick_field(conv, a.type, x, str(i), names)
        if a.default is attrs.NOTHING:
            body += [f"    {x} = o[{a.alias!r}]", *(f"    {line}" for line in convert)]
        else:
            names[f"d{i}"] = a.default
            body += [
                f"    if {a.alias!r} in o:",
                "        n += 1",
                f"        {x} = o[{a.alias!r}]",
                *(f"        {line}" for line in convert),
                "    else:",
                f"        {x} = d{i}",
            ]
    if _plain_frozen(cls):
        init = _quick_init(fields, names)
        names["_validating"] = _validating
        body += ["    if len(o) == n and _validating():", *(f"        {line}" for line in init)]
    else:
        arguments = ", ".join(f"{a.alias}=x{i}" for i, a in enumerate(fields))
        body += ["    if len(o) == n:", f"        return cls({arguments})"]
    source = "\n".join(
        [
            "def structure(o, _=None):",
            "    try:",
            *(f"        {line}" for line in body),
            "    except Exception:",
            "        pass",
            "    return general(o, _)",
        ]
    )
    filename = f"<dangjian quick structure {cls.__module__}.{cls.__qualname__}>"
    # registered like the code attrs and cattrs generate, so tracebacks and profiles show it
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), names)
    quick: Callable[[object, type], Any] = names["structure"]
    return quick


def _plain_frozen(cls: type[Any]) -> bool:
    """Whether ``cls`` is a frozen attrs class whose ``__init__`` only sets and validates.

    For such a class :func:`_quick_init` does what its ``__init__`` does, without the call. A
    slot that is not a field's (a cached hash, say) means ``__init__`` does more.
    """
    init = getattr(cls.__init__, "__code__", None)
    slots = [base.__dict__.get("__slots__") for base in cls.__mro__[:-1]]
    return (
        init is not None
        and init.co_filename.startswith("<attrs generated")
        and getattr(cls.__setattr__, "__name__", "") == "_frozen_setattrs"
        and all(isinstance(names, tuple) for names in slots)
        and {name for names in slots for name in names or ()}
        <= {a.name for a in attrs.fields(cls)} | {"__weakref__"}
        and not hasattr(cls, "__attrs_pre_init__")
        and not hasattr(cls, "__attrs_post_init__")
    )


def _validators_switch() -> Callable[[], bool]:
    """A quick way to ask whether attrs runs validators (``attrs.validators.set_disabled``).

    The flag that attrs' own ``__init__`` reads, read by a C call; the public function, which
    costs two Python calls, if that flag is not where it used to be.
    """
    try:
        from attr import _config

        validating = functools.partial(getattr, _config, "_run_validators")
        if validating() is (not attrs.validators.get_disabled()):
            return validating
    except (ImportError, AttributeError):
        pass
    return lambda: not attrs.validators.get_disabled()


_validating = _validators_switch()

# When each of these conditions holds, the validator beside it passes, so it need not be called.
_PASSES: dict[Callable[..., None], str] = {
    _v.text: "{x}.__class__ is str and {x} and {x}.strip() == {x}",
    _v.texts: "not {x}",
    _v.ids: "not {x}",
    _v.non_negative: "_plain_decimal({x})",
    _v.non_negative_int: "{x}.__class__ is int and 0 <= {x} <= _MAX_COUNT",
    _v.positive_int: "{x}.__class__ is int and 1 <= {x} <= _MAX_COUNT",
}


def _quick_init(fields: tuple[attrs.Attribute[Any], ...], names: dict[str, Any]) -> list[str]:
    """The lines that make the instance from ``x0``, ``x1`` … as its attrs ``__init__`` would.

    That ``__init__`` sets each field, then runs each validator in field order (unless
    validators are switched off, when the caller goes the general way). Here a validator is
    called only when the value is not one that it plainly passes (see ``_PASSES``; ``None`` for
    the validators made by :func:`~dangjian.model._validators.optional`), and then it raises as
    it would in ``__init__``.
    """
    names.update(
        _new=object.__new__,
        _set=object.__setattr__,
        _plain_decimal=_v.plain_decimal,
        _MAX_COUNT=_v.MAX_COUNT,
    )
    lines = ["inst = _new(cls)"]
    for i, a in enumerate(fields):
        slot = _slot(names["cls"], a.name)
        if slot is None:
            lines.append(f"_set(inst, {a.name!r}, x{i})")
        else:  # the slot's own setter: what object.__setattr__ ends up calling, sooner
            names[f"s{i}"] = slot.__set__
            lines.append(f"s{i}(inst, x{i})")
    for i, a in enumerate(fields):
        if a.validator is None:
            continue
        x, validator = f"x{i}", a.validator
        inner = _v.optional_of(validator)
        passes = [] if inner is None else [f"{x} is None"]
        validator = validator if inner is None else inner
        if validator in _PASSES:
            passes.append(f"({_PASSES[validator].format(x=x)})")
        names[f"v{i}"], names[f"a{i}"] = validator, a
        call = f"v{i}(inst, a{i}, {x})"
        lines += [f"if not ({' or '.join(passes)}):", f"    {call}"] if passes else [call]
    return [*lines, "return inst"]


def _slot(cls: type[Any], name: str) -> types.MemberDescriptorType | None:
    """The descriptor of slot ``name`` of ``cls``, if ``name`` is a slot."""
    for base in cls.__mro__:
        if name in base.__dict__:
            found = base.__dict__[name]
            return found if isinstance(found, types.MemberDescriptorType) else None
    return None


def _quick_field(
    conv: cattrs.Converter, typ: Any, x: str, tag: str, names: dict[str, Any]
) -> list[str]:
    """The lines of :func:`_quick_record` that turn the raw value in ``x`` into one of type ``typ``."""
    args = typing.get_args(typ)
    if (
        typing.get_origin(typ) in (typing.Union, types.UnionType)
        and len(args) == 2
        and type(None) in args
    ):
        inner = args[0] if args[1] is type(None) else args[1]
        lines = _quick_field(conv, inner, x, tag, names)
        return [f"if {x} is not None:", *(f"    {line}" for line in lines)]
    names[f"h{tag}"] = conv.get_structure_hook(typ)
    names[f"typ{tag}"] = typ
    call = f"h{tag}({x}, typ{tag})"
    if typ is str or typ is int:
        return [f"if {x}.__class__ is not {typ.__name__}:", f"    {x} = {call}"]
    if typ is bool:
        return [f"if {x} is not True and {x} is not False:", f"    {x} = {call}"]
    text = {Decimal: _decimal_text, dt.date: _date_text, dt.time: _time_text, Month: _month_text}
    if typ in text:
        names[f"c{tag}"] = text[typ]
        return [f"{x} = c{tag}({x}) if {x}.__class__ is str else {call}"]
    if isinstance(typ, type) and issubclass(typ, LabelledEnum):
        names[f"e{tag}"] = _lookup(typ).get
        return [
            f"y = e{tag}({x}) if {x}.__class__ is str else None",
            f"{x} = {call} if y is None else y",
        ]
    if _is_homogeneous_tuple(typ):
        if args[0] is str:
            # str.join raises TypeError (which sends the record down the general path) unless
            # every item is text.
            names["_join"] = "".join
            return [
                f"if {x}.__class__ is list:",
                f"    _join({x})",
                f"    {x} = tuple({x})",
                "else:",
                f"    {x} = {call}",
            ]
        names[f"g{tag}"] = conv.get_structure_hook(args[0])
        names[f"u{tag}"] = args[0]
        return [
            f"if {x}.__class__ is list:",
            f"    {x} = tuple([g{tag}(e, u{tag}) for e in {x}])",
            "else:",
            f"    {x} = {call}",
        ]
    return [f"{x} = {call}"]


def _detailed_record(conv: cattrs.Converter, cls: type[Any]) -> Callable[[object, type], Any]:
    """Structure ``cls`` field by field, gathering every problem before giving up.

    Each field is structured on its own; then the validators of every field that structured run
    too (against the values that did), so a record with a bad date and an empty name reports
    both.
    """
    fields = attrs.fields(attrs.resolve_types(cls))
    known = {a.alias for a in fields}
    hooks = {a.name: conv.get_structure_hook(a.type) for a in fields}

    def structure(value: object, _: type) -> Any:
        if not isinstance(value, Mapping):
            raise _invalid(value, t("对象（键值对）"))
        errors: list[Exception] = []
        duplicates = getattr(value, "duplicates", ())
        if duplicates:
            errors.append(
                InvalidValue(
                    t(
                        "键重复出现：{keys}（后出现的值会覆盖先前的值）",
                        keys="、".join(map(str, duplicates)),
                        keys_en=", ".join(map(str, duplicates)),
                    ),
                    code="duplicate_key",
                )
            )
        extra = set(value) - known
        if extra:
            errors.append(ForbiddenExtraKeysError("", cls, extra))
        kwargs: dict[str, Any] = {}
        seen: dict[str, Any] = {}
        for a in fields:
            if a.alias not in value:
                if a.default is attrs.NOTHING:
                    missing = KeyError(a.alias)
                    missing.add_note(_note(cls, a))
                    errors.append(missing)
                else:
                    seen[a.name] = a.default
                continue
            try:
                kwargs[a.alias] = seen[a.name] = hooks[a.name](value[a.alias], a.type)
            except Exception as e:
                e.add_note(_note(cls, a))
                errors.append(e)
        shadow = _Shadow(seen)
        for a in fields:
            # defaults are validated too: a rule across fields (an appraisal needs a score or
            # a grade) can fail on an omitted field while another field has its own problem
            if a.validator is not None and a.name in seen:
                try:
                    a.validator(shadow, a, seen[a.name])
                except FieldError as fe:
                    errors.append(fe)
        if errors:
            raise ClassValidationError(f"While structuring {cls.__name__}", errors, cls)
        return cls(**kwargs)

    return structure


class _Shadow:
    """Stands in for the instance while validators run on the fields that structured."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return None


def _note(cls: type[Any], a: attrs.Attribute[Any]) -> AttributeValidationNote:
    return AttributeValidationNote(
        f"Structuring class {cls.__qualname__} @ attribute {a.name}", a.name, a.type
    )


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """A new converter between dangjian's entities and plain data.

    Args:
        detailed: Collect every error with its path (slower); when false, stop at the first
            error, which is what the fast path of :func:`dangjian.load` does before it reloads
            with detailed errors.

    .. versionadded:: 0.1
    """
    conv = cattrs.Converter(
        forbid_extra_keys=True, omit_if_default=True, detailed_validation=detailed
    )
    conv.register_structure_hook_factory(attrs.has, _record_factory(conv, detailed))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_factory(conv, detailed))
    conv.register_structure_hook_factory(
        lambda typ: isinstance(typ, type) and issubclass(typ, LabelledEnum), _enum_structure
    )
    conv.register_unstructure_hook(LabelledEnum, lambda e: e.code)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.time, _structure_time)
    conv.register_unstructure_hook(dt.time, _unstructure_time)
    conv.register_structure_hook(Month, _structure_month)
    conv.register_unstructure_hook(Month, str)
    conv.register_structure_hook(ResidentId, _structure_resident_id)
    conv.register_unstructure_hook(ResidentId, ResidentId.reveal)
    conv.register_unstructure_hook(
        Ledger,
        make_dict_unstructure_fn(
            Ledger, conv, _cattrs_omit_if_default=True, version=override(omit_if_default=False)
        ),
    )
    return conv


# -- errors as problems ----------------------------------------------------------------------


def _join(path: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{path}[{part}]"
    if not part.isidentifier():
        # a key no field could have ('' or '出席 人'): quoted, so the path stays readable
        return f"{path}[{part!r}]"
    return f"{path}.{part}" if path else part


def structure_problems(exc: BaseException, path: str = "") -> Iterator[Problem]:
    """The problems inside an exception raised while structuring, each with its path.

    ``path`` is where the structured value sits (empty for the whole document).
    """
    if isinstance(exc, ClassValidationError):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            yield from _attribute_problem(sub, note, path)
        for sub in others:
            yield from structure_problems(sub, path)
    elif isinstance(exc, IterableValidationError):
        for sub in exc.exceptions:
            index = next(
                (
                    n.index
                    for n in getattr(sub, "__notes__", ())
                    if isinstance(n, IterableValidationNote)
                ),
                None,
            )
            yield from structure_problems(sub, _join(path, index) if index is not None else path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        # keys read from YAML need not be text (``1: x``), so sort and join them as text
        for key in sorted(exc.extra_fields, key=str):
            yield Problem(
                path=_join(path, str(key)),
                code="unknown_key",
                message=t("未知字段「{key}」", key=key),
            )
    elif isinstance(exc, FieldError):
        field_path = path
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", exc.field):
            field_path = _join(field_path, int(part[1:-1]) if part.startswith("[") else part)
        yield Problem(path=field_path, code="invalid_value", message=exc.msg)
    elif isinstance(exc, InvalidValue):
        yield Problem(path=path, code=exc.code, message=exc.msg)
    else:
        yield Problem(
            path=path, code="invalid_value", message=t("无法读取：{error}", error=str(exc))
        )


def _attribute_problem(
    exc: Exception, note: AttributeValidationNote, path: str
) -> Iterator[Problem]:
    where = _join(path, note.name)
    if isinstance(exc, KeyError) and exc.args == (note.name,):
        yield Problem(path=where, code="missing_field", message=t("缺少必填字段"))
    else:
        yield from structure_problems(exc, where)
