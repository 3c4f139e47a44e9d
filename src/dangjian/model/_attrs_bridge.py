"""What the fast loading path relies on that attrs does not promise, in one place.

Loading builds millions of frozen records. The loader's generated structure functions make each
one as its attrs ``__init__`` would, without the call: a new object, each slot set, then each
validator, unless its declared fast test (:func:`dangjian.model._validators.fast_test`) plainly
passes. That relies on four things attrs does not document:

* which classes have an ``__init__`` that only sets slots and runs validators (attrs names the
  code it generates ``<attrs generated …>``; frozen classes set attributes through
  ``_frozen_setattrs``);
* where attrs keeps the switch of :func:`attrs.validators.set_disabled` (``attr._config``);
* how :func:`attrs.validators.and_` (a list of validators) keeps its parts (``_validators``);
* that a frozen slotted class keeps its fields in slots whose setters may be called directly.

Each is checked when it is used, and tests/test_attrs_bridge.py checks that every record class
of the model takes the fast path: when attrs changes one of them, that test fails instead of
loading going silently slower.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from dangjian.model import _validators as _v

__all__ = ["init_lines", "quick_init_possible", "validators_enabled", "validators_of"]


def quick_init_possible(cls: type[Any]) -> bool:
    """Whether ``cls`` is a frozen attrs class whose ``__init__`` only sets and validates.

    For such a class :func:`init_lines` does what its ``__init__`` does, without the call. A
    slot that is not a field's (a cached hash, say) means ``__init__`` does more, and so do the
    fields that are not set from an argument as it is (no ``init``, a converter, a factory).
    """
    init = getattr(cls.__init__, "__code__", None)
    slots = [base.__dict__.get("__slots__") for base in cls.__mro__[:-1]]
    fields = attrs.fields(cls)
    return (
        init is not None
        and init.co_filename.startswith("<attrs generated")
        and getattr(cls.__setattr__, "__name__", "") == "_frozen_setattrs"
        and all(isinstance(names, tuple) for names in slots)
        and {name for names in slots for name in names or ()}
        <= {a.name for a in fields} | {"__weakref__"}
        and not hasattr(cls, "__attrs_pre_init__")
        and not hasattr(cls, "__attrs_post_init__")
        and all(
            a.init and a.converter is None and not isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
            for a in fields
        )
    )


def _validators_switch() -> tuple[Callable[[], bool], bool]:
    """A quick way to ask whether attrs runs validators, and whether it is the quick one.

    The flag that attrs' own ``__init__`` reads, read by a C call; the public function, which
    costs two Python calls, if that flag is not where it used to be.
    """
    try:
        from attr import _config

        validating = functools.partial(getattr, _config, "_run_validators")
        if validating() is (not attrs.validators.get_disabled()):
            return validating, True
    except (ImportError, AttributeError):
        pass
    return (lambda: not attrs.validators.get_disabled()), False


validators_enabled, VALIDATORS_SWITCH_FOUND = _validators_switch()
"""Whether attrs runs validators now (:func:`attrs.validators.set_disabled`); and whether that
is asked quickly (the flag found where attrs keeps it)."""


def validators_of(validator: _v.Validator | None) -> tuple[_v.Validator, ...]:
    """The validators that ``validator`` runs, in order: its parts when it is a list
    (:func:`attrs.validators.and_`), else itself (none for ``None``)."""
    if validator is None:
        return ()
    parts = getattr(validator, "_validators", None)
    if type(validator).__name__ == "_AndValidator" and isinstance(parts, tuple):
        return tuple(p for part in parts for p in validators_of(part))
    return (validator,)


def _slot(cls: type[Any], name: str) -> types.MemberDescriptorType | None:
    """The descriptor of slot ``name`` of ``cls``, if ``name`` is a slot."""
    for base in cls.__mro__:
        if name in base.__dict__:
            found = base.__dict__[name]
            return found if isinstance(found, types.MemberDescriptorType) else None
    return None


def init_lines(
    cls: type[Any], fields: Sequence[attrs.Attribute[Any]], names: dict[str, Any]
) -> list[str]:
    """The lines of Python that make an instance of ``cls`` from ``x0``, ``x1`` … (the values
    of ``fields``, in order) as its attrs ``__init__`` would, ending in ``return inst``.

    Only for a class for which :func:`quick_init_possible` holds, and only while
    :func:`validators_enabled` (the caller tests it). ``__init__`` sets each field, then runs
    each validator in field order; here a validator is called only when its declared fast test
    does not hold, and then it raises as it would in ``__init__``. ``names`` receives the names
    the lines use.
    """
    names.update(_new=object.__new__, _set=object.__setattr__)
    lines = ["inst = _new(cls)"]
    for i, a in enumerate(fields):
        slot = _slot(cls, a.name)
        if slot is None:
            lines.append(f"_set(inst, {a.name!r}, x{i})")
        else:  # the slot's own setter: what object.__setattr__ ends up calling, sooner
            names[f"s{i}"] = slot.__set__
            lines.append(f"s{i}(inst, x{i})")
    for i, a in enumerate(fields):
        names[f"a{i}"] = a
        for j, validator in enumerate(validators_of(a.validator)):
            names[f"v{i}_{j}"] = validator
            call = f"v{i}_{j}(inst, a{i}, x{i})"
            test = _v.fast_test(validator)
            if test is None:
                lines.append(call)
                continue
            for name, value in test.names.items():
                if names.setdefault(name, value) is not value:
                    raise ValueError(f"{name} means two things in the tests of {cls.__name__}")
            lines += [f"if not ({test.on(f'x{i}')}):", f"    {call}"]
    return [*lines, "return inst"]
