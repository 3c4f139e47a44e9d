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

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from dangjian.errors import DangjianError
from dangjian.findings import Finding
from dangjian.i18n import Language, Message, given
from dangjian.rules.context import Context
from dangjian.rules.schema import Rule

__all__ = ["Evaluator", "Registry", "RuleKind", "default_registry"]

Evaluator = Callable[[Context, Rule], Iterable[Finding]]
"""A rule kind's evaluation: the findings of one rule over the context's period."""


@attrs.frozen(init=False)
class RuleKind:
    """A kind of rule: the class its parameters are structured into and how it evaluates.

    Made with ``description=t("…")``, a message of the catalogs; a kind defined outside
    dangjian may give its texts instead, ``description="…", description_en="…"``.

    Attributes:
        name: The name rule files use in ``kind = "…"``.
        params: An attrs class; each rule's ``params`` table is structured into it strictly.
        evaluate: Produces the findings of a rule of this kind.
        msg: What the kind checks, as a :class:`~dangjian.i18n.Message`.
    """

    name: str
    params: type[Any]
    evaluate: Evaluator
    msg: Message = attrs.field(alias="description")

    def __init__(
        self,
        *,
        name: str,
        params: type[Any],
        evaluate: Evaluator,
        description: Message | str,
        description_en: str | None = None,
    ) -> None:
        if not isinstance(description, Message):
            english = description if description_en is None else description_en
            description = given({"zh": description, "en": english})
        self.__attrs_init__(name=name, params=params, evaluate=evaluate, description=description)

    @property
    def description(self) -> str:
        """What the kind checks, in Chinese."""
        return self.msg.render("zh")

    @property
    def description_en(self) -> str:
        """What the kind checks, in English."""
        return self.msg.render("en")

    def describe(self, lang: Language = "zh") -> str:
        """What the kind checks, in ``lang``."""
        return self.msg.render(lang)


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
