"""The registry of rule kinds: an explicit object, filled by whoever builds it.

Nothing registers itself on import. :func:`default_registry` gives a new registry holding the
built-in kinds; a user adds kinds of their own to it (or to an empty :class:`Registry`):

>>> import attrs
>>> from dangjian.rules import RuleKind, default_registry
>>> @attrs.frozen(kw_only=True)
... class NoParams:
...     pass
>>> def evaluate(ctx, rule):
...     return []
>>> registry = default_registry()
>>> registry.register(RuleKind(name="my_check", params=NoParams, evaluate=evaluate,
...                            description="我的检查", description_en="my check"))
>>> "my_check" in registry, "frequency" in registry
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from dangjian.errors import DangjianError
from dangjian.findings import Finding
from dangjian.rules.context import Context
from dangjian.rules.schema import Rule

__all__ = ["Evaluator", "Registry", "RuleKind", "default_registry"]

Evaluator = Callable[[Context, Rule], Iterable[Finding]]
"""A rule kind's evaluation: the findings of one rule over the context's period."""


@attrs.frozen(kw_only=True)
class RuleKind:
    """A kind of rule: the class its parameters are structured into and how it evaluates.

    Attributes:
        name: The name rule files use in ``kind = "…"``.
        params: An attrs class; each rule's ``params`` table is structured into it strictly.
        evaluate: Produces the findings of a rule of this kind.
        description: What the kind checks, in Chinese.
        description_en: The same in English.
    """

    name: str
    params: type[Any]
    evaluate: Evaluator
    description: str
    description_en: str


class Registry:
    """The rule kinds a check can use, by name."""

    def __init__(self, kinds: Iterable[RuleKind] = ()) -> None:
        self._kinds: dict[str, RuleKind] = {}
        for kind in kinds:
            self.register(kind)

    def register(self, kind: RuleKind) -> None:
        """Add a kind.

        Raises:
            DangjianError: a kind of that name is already registered.
        """
        if kind.name in self._kinds:
            raise DangjianError(
                f"规则类型「{kind.name}」已注册 (rule kind {kind.name!r} is already registered)"
            )
        self._kinds[kind.name] = kind

    def get(self, name: str) -> RuleKind:
        """The kind called ``name``.

        Raises:
            DangjianError: no such kind (the message lists the known ones).
        """
        try:
            return self._kinds[name]
        except KeyError:
            known = ", ".join(sorted(self._kinds))
            raise DangjianError(
                f"未知的规则类型「{name}」，可用：{known} (unknown rule kind)"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[RuleKind]:
        return iter(self._kinds.values())


def default_registry() -> Registry:
    """A new registry holding the built-in rule kinds."""
    from dangjian.rules.kinds import BUILTIN_KINDS

    return Registry(BUILTIN_KINDS)
