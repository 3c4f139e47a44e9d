"""What the fast loading path relies on in attrs still holds (dangjian/model/_attrs_bridge.py).

When attrs changes one of the things the bridge relies on, these tests fail, instead of loading
going silently slower (or, worse, building records differently). The generated construction is
held to what each class's own ``__init__`` does, value for value and error for error, and each
validator's declared fast test to the validator.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian import (
    ActivistReview,
    Ledger,
    Member,
    Month,
    ProbationExtension,
    ResidentId,
    Transfer,
    TransferDirection,
    make_converter,
)
from dangjian.io import to_data
from dangjian.model import _validators as v
from dangjian.model._attrs_bridge import (
    VALIDATORS_SWITCH_FOUND,
    init_lines,
    quick_init_possible,
    validators_enabled,
    validators_of,
)
from dangjian.model.provenance import RecordSource
from tests.builders.sample import workbook_extras


def _record_classes() -> list[type[Any]]:
    """Every attrs class a ledger holds, nested ones included (not the ledger itself)."""
    found: list[type[Any]] = []

    def walk(t: Any) -> None:
        for arg in typing.get_args(t):
            walk(arg)
        if isinstance(t, type) and attrs.has(t) and t not in found:
            found.append(t)
            for a in attrs.fields(attrs.resolve_types(t)):
                walk(a.type)

    walk(Ledger)
    return [c for c in found if c not in (Ledger, Month, ResidentId)]


RECORD_CLASSES = _record_classes()


def test_the_walk_finds_the_record_classes() -> None:
    assert {Member, Transfer} <= set(RECORD_CLASSES)
    assert len(RECORD_CLASSES) >= 25


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda c: c.__name__)
def test_every_record_class_can_be_made_without_its_init(cls: type[Any]) -> None:
    assert quick_init_possible(cls), (
        f"{cls.__name__}: attrs no longer makes it as the fast loading path expects "
        "(see dangjian/model/_attrs_bridge.py); loading would fall back to __init__"
    )


def test_a_class_whose_init_does_more_is_made_by_its_init() -> None:
    @attrs.frozen
    class Converted:
        x: int = attrs.field(converter=int)

    @attrs.frozen
    class Posted:
        x: int

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.define
    class Mutable:
        x: int

    assert not any(map(quick_init_possible, (Converted, Posted, Mutable)))


def _all_records(ledger: Ledger) -> Iterator[Any]:
    def walk(value: Any) -> Iterator[Any]:
        if isinstance(value, tuple):
            for item in value:
                yield from walk(item)
        elif attrs.has(type(value)) and type(value) in RECORD_CLASSES:
            yield value
            for a in attrs.fields(type(value)):
                yield from walk(getattr(value, a.name))

    for _, records in ledger.records():
        for record in records:
            yield from walk(record)


def _samples(ledger: Ledger) -> list[Any]:
    """Records of every class: those of ``ledger`` and a few the sample ledger lacks."""
    day = dt.date(2020, 6, 1)
    return [
        *_all_records(ledger),
        *(x for column in ledger.extra_columns for x in (column, *column.cells)),
        *ledger.spellings,
        ProbationExtension(decided=day, months=6),
        Transfer(
            direction=next(iter(TransferDirection)),
            requested=day,
            completed=day,
            from_org="市X局机关党委",
            refused=True,
            reason="未按期报到",
        ),
        ActivistReview(date=day, branch="B1", note="表现良好"),
        RecordSource(file="第一支部.xlsx", collection="branches", ids=("B1",)),  # merged ledgers'
    ]


def test_the_loader_does_not_call_init(
    make_ledger: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast converter builds each record without its ``__init__``: with every ``__init__``
    made to fail, the sample ledger's records still load, one by one."""
    quick = make_converter(detailed=False)
    samples = {type(r): r for r in _samples(make_ledger(**workbook_extras()))}
    missing = [c.__name__ for c in RECORD_CLASSES if c not in samples]
    assert not missing, f"the sample ledger has no record of {missing}"
    hooks = {cls: quick.get_structure_hook(cls) for cls in samples}
    plain = {cls: quick.unstructure(record, cls) for cls, record in samples.items()}

    def refuse(self: object, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"{type(self).__name__}.__init__ called")

    for cls in samples:
        monkeypatch.setattr(cls, "__init__", refuse)
    for cls, record in samples.items():
        assert hooks[cls](plain[cls], cls) == record, cls.__name__


def test_attrs_keeps_the_switch_of_validators_where_the_bridge_reads_it() -> None:
    assert VALIDATORS_SWITCH_FOUND, "attr._config._run_validators is gone: loading is slower"
    assert validators_enabled() is True
    attrs.validators.set_disabled(True)
    try:
        assert validators_enabled() is False
    finally:
        attrs.validators.set_disabled(False)
    assert validators_enabled() is True


def test_a_list_of_validators_is_taken_apart() -> None:
    assert validators_of(attrs.validators.and_(v.text, v.ids)) == (v.text, v.ids)
    assert validators_of(attrs.validators.and_(v.text, attrs.validators.and_(v.ids))) == (
        v.text,
        v.ids,
    )
    assert validators_of(v.text) == (v.text,)
    assert validators_of(None) == ()
    # a list in the model: the text test of Transfer.reason is inlined, the other is called
    reason = attrs.fields(Transfer).reason.validator
    assert validators_of(reason)[0] is v.optional(v.text)
    assert len(validators_of(reason)) == 2


# -- the generated construction does what __init__ does --------------------------------------


def _maker(cls: type[Any]) -> Callable[..., Any]:
    fields = attrs.fields(cls)
    names: dict[str, Any] = {"cls": cls}
    lines = init_lines(cls, fields, names)
    params = ", ".join(f"x{i}" for i in range(len(fields)))
    source = f"def make({params}):\n" + "".join(f"    {line}\n" for line in lines)
    exec(compile(source, f"<test maker {cls.__name__}>", "exec"), names)
    made: Callable[..., Any] = names["make"]
    return made


def _outcome(make: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        made = make()
    except v.FieldError as e:
        return ("FieldError", e.field, e.message, e.message_en)
    except Exception as e:  # any other error, compared by type
        return ("error", type(e))
    # each field's repr: NaN is not equal to itself, and a record's own repr may not cope with
    # the odd values tried here
    if not attrs.has(type(made)):
        return ("returned", repr(made))
    fields = tuple(repr(getattr(made, a.name)) for a in attrs.fields(type(made)))
    return ("made", type(made), fields)


ODD: list[Any] = [
    None,
    "",
    " ",
    " x",
    "x ",
    "x",
    "M1",
    0,
    1,
    -1,
    7,
    31,
    32,
    10**6,
    10**6 + 1,
    True,
    False,
    1.5,
    Decimal("0"),
    Decimal("12.5"),
    Decimal("-1"),
    Decimal("1E+10"),
    Decimal("1E+3"),
    Decimal("0.0000001"),
    Decimal("NaN"),
    dt.date(1900, 1, 1),
    dt.date(2020, 6, 1),
    dt.date(2100, 1, 1),
    dt.time(9, 0),
    dt.time(9, 0, 0, 5),
    dt.time(9, 0, tzinfo=dt.UTC),
    (),
    ("a",),
    ("a", "a"),
    ("a", " b"),
    ("",),
    (1,),
    ["a"],
]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_generated_construction_does_what_init_does(
    make_ledger: Callable[..., Ledger], data: st.DataObject
) -> None:
    record = data.draw(st.sampled_from(_samples(make_ledger())), label="record")
    cls = type(record)
    fields = attrs.fields(cls)
    values = [getattr(record, a.name) for a in fields]
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        i = data.draw(st.integers(0, len(fields) - 1), label="field")
        values[i] = data.draw(st.sampled_from([*ODD, *values]), label=fields[i].name)
    kwargs = {a.alias: x for a, x in zip(fields, values, strict=True)}
    assert _outcome(lambda: _maker(cls)(*values)) == _outcome(lambda: cls(**kwargs))


# -- each declared fast test agrees with its validator ---------------------------------------


def _declared() -> list[tuple[str, v.Validator]]:
    found: dict[int, tuple[str, v.Validator]] = {}
    for cls in RECORD_CLASSES:
        for a in attrs.fields(cls):
            for validator in validators_of(a.validator):
                if v.fast_test(validator) is not None:
                    found.setdefault(id(validator), (f"{cls.__name__}.{a.name}", validator))
    return sorted(found.values(), key=lambda pair: pair[0])


DECLARED = _declared()


def test_the_common_validators_declare_a_fast_test() -> None:
    for validator in (v.text, v.texts, v.ids, v.non_negative, v.non_negative_int):
        assert v.fast_test(validator) is not None
    assert v.fast_test(v.optional(v.text)) is not None
    assert v.optional(v.text) is v.optional_text  # made once
    assert len(DECLARED) >= 10


class _Instance:
    """An instance whose other fields hold whatever the test puts there."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _inlined() -> Callable[..., None]:
    """Every declared validator behind its own inlined fast test, in one namespace, as the
    loader's generated code has them: ``check(k, inst, a, x)`` runs the ``k``-th."""
    names: dict[str, Any] = {}
    lines = ["def check(k, inst, a, x):"]
    for k, (_, validator) in enumerate(DECLARED):
        test = v.fast_test(validator)
        assert test is not None
        for name, value in test.names.items():
            assert names.setdefault(name, value) is value, f"{name} means two things"
        names[f"v{k}"] = validator
        lines += [
            f"    if k == {k}:",
            f"        if not ({test.on('x')}):",
            f"            v{k}(inst, a, x)",
        ]
    exec(compile("\n".join(lines), "<test inlined validators>", "exec"), names)
    check: Callable[..., None] = names["check"]
    return check


INLINED = _inlined()


@settings(max_examples=300, deadline=None)
@given(
    k=st.integers(0, len(DECLARED) - 1),
    value=st.sampled_from(ODD),
    other=st.sampled_from([None, dt.date(2000, 1, 1), dt.date(2020, 6, 1)]),
)
def test_a_validator_inlined_does_what_it_does_when_called(k: int, value: Any, other: Any) -> None:
    """The loader inlines a validator's declared fast test among those of the other fields and
    calls the validator where the test does not hold: that decides as the validator does."""
    _, validator = DECLARED[k]
    attribute = attrs.fields_dict(Member)["name"]
    inst = _Instance(**{name: other for name in _field_names()})
    assert _outcome(lambda: INLINED(k, inst, attribute, value)) == _outcome(
        lambda: validator(inst, attribute, value)
    )


def _field_names() -> set[str]:
    return {a.name for cls in RECORD_CLASSES for a in attrs.fields(cls)}


def test_the_sample_ledger_loads_the_same_both_ways(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger()
    plain = to_data(ledger)
    assert make_converter(detailed=False).structure(plain, Ledger) == ledger
    assert make_converter(detailed=True).structure(plain, Ledger) == ledger
