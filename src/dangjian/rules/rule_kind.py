"""What a kind of rule is: the class its parameters are structured into and how it evaluates.

Each module of :mod:`dangjian.rules.kinds` defines its kinds as :class:`RuleKind` values;
:mod:`dangjian.rules.registry` holds them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from dangjian.findings import Finding
from dangjian.i18n import Language, Message, given
from dangjian.rules.context import Context
from dangjian.rules.schema import Rule

__all__ = ["Evaluator", "RuleKind"]

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
