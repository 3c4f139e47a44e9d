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

A built-in kind's description is a message of the catalogs (``description=t("…")``); one
written in both languages, as above, is kept as it is:

>>> registry.get("my_check").describe("en"), registry.get("frequency").describe("zh")[:6]
('my check', '每个子期间至')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dangjian.errors import DangjianError
from dangjian.i18n import t
from dangjian.rules.kinds import BUILTIN_KINDS
from dangjian.rules.rule_kind import Evaluator, RuleKind

__all__ = ["Evaluator", "Registry", "RuleKind", "default_registry"]


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
            raise DangjianError(t("规则类型「{name}」已注册", name=kind.name))
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
                t("未知的规则类型「{name}」，可用：{known}", name=name, known=known)
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[RuleKind]:
        return iter(self._kinds.values())


def default_registry() -> Registry:
    """A new registry holding the built-in rule kinds."""
    return Registry(BUILTIN_KINDS)
