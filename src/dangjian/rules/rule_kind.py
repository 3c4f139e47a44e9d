"""What a kind of rule is: the class its parameters are structured into and how it evaluates.

Each module of :mod:`dangjian.rules.kinds` defines its kinds as :class:`RuleKind` values;
:mod:`dangjian.rules.registry` holds them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from dangjian.findings import Finding
from dangjian.rules.context import Context
from dangjian.rules.schema import Rule

__all__ = ["Evaluator", "RuleKind"]

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
