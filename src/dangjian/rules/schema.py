"""Rules as data: what a rule file holds, and the typed rule built from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from dangjian.findings import Citation, Severity
from dangjian.i18n import N_, t
from dangjian.model import OrgCategory, OrgLevel
from dangjian.model import _validators as v
from dangjian.model.enums import LabelledEnum

__all__ = [
    "FORCE_SEVERITY",
    "Applicability",
    "Confidence",
    "DatedParams",
    "Force",
    "InForce",
    "OverrideSpec",
    "Rule",
    "RuleFileSpec",
    "RuleSpec",
]


class Confidence(LabelledEnum):
    """How sure we are of a rule (the rule catalog's T, T~, M, L)."""

    TEXT = ("text", N_("条文已核对"))
    CONTENT = ("content", N_("内容已核对，条款号未核实"))
    MEMORY = ("memory", N_("凭记忆，未核实"))
    LOCAL = ("local", N_("地方或本单位做法"))


class Force(LabelledEnum):
    """The word of the text that says how binding a requirement is (its 情态词).

    One severity policy: the same word gives the same default severity in every rule
    (:data:`FORCE_SEVERITY`); a rule whose severity differs from its word's says why in
    ``severity_reason``.
    """

    MUST = ("must", N_("必须"))
    SHALL = ("shall", N_("应当"))
    SHALL_NOT = ("shall_not", N_("不得"))
    STATED = ("stated", N_("直述"))
    GENERALLY = ("generally", N_("一般"))
    IN_PRINCIPLE = ("in_principle", N_("原则上"))
    UNVERIFIED = ("unverified", N_("未核实"))


FORCE_SEVERITY: dict[Force, Severity] = {
    Force.MUST: Severity.ERROR,
    Force.SHALL: Severity.ERROR,
    Force.SHALL_NOT: Severity.ERROR,
    Force.STATED: Severity.ERROR,
    Force.GENERALLY: Severity.WARNING,
    Force.IN_PRINCIPLE: Severity.WARNING,
    Force.UNVERIFIED: Severity.WARNING,
}
"""The default severity of each force word: a binding word (必须, 应当, 不得, or a requirement
stated as a fact) makes a failure an error; a word that allows exceptions (一般, 原则上) a
warning; so does a wording not verified against the text, since it may be either."""


@attrs.frozen(kw_only=True)
class InForce:
    """The days a rule is in force: from ``since`` until ``until`` (both included, either open).

    Attributes:
        since: The first day in force (``None``: from the beginning).
        until: The last day in force (``None``: still in force).
        verified: Whether the days are checked against the text; ``false`` when only the
            year (or not even that) is known.
    """

    since: dt.date | None = None
    until: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("since", "生效日期"))
    )
    verified: bool = True

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether the rule is in force on any day from ``start`` to ``end``."""
        return (self.since is None or self.since <= end) and (
            self.until is None or self.until >= start
        )

    def covers(self, day: dt.date) -> bool:
        """Whether the rule is in force on ``day``."""
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def spans(self, start: dt.date, end: dt.date) -> bool:
        """Whether the rule is in force on every day from ``start`` to ``end``."""
        return self.covers(start) and self.covers(end)


@attrs.frozen(kw_only=True)
class Applicability:
    """Which organisations a rule applies to; an empty tuple means all of them.

    Attributes:
        levels: The levels it applies to (基层党委, 党总支, 党支部, 联合党支部).
        categories: The categories it applies to (机关, 村, …).
        exclude_categories: Categories it does not apply to.
    """

    levels: tuple[OrgLevel, ...] = ()
    categories: tuple[OrgCategory, ...] = ()
    exclude_categories: tuple[OrgCategory, ...] = ()

    def admits(self, level: OrgLevel, category: OrgCategory) -> bool:
        """Whether an organisation of ``level`` and ``category`` is subject to the rule."""
        return (
            (not self.levels or level in self.levels)
            and (not self.categories or category in self.categories)
            and category not in self.exclude_categories
        )


@attrs.frozen(kw_only=True)
class DatedChange:
    """A change of some parameters of a rule from a day on (as written in a rule file)."""

    since: dt.date
    params: dict[str, Any]
    citations: tuple[Citation, ...] = ()
    note: str | None = None
    verified: bool = True


def _cited(
    _: object, a: attrs.Attribute[tuple[Citation, ...]], value: tuple[Citation, ...]
) -> None:
    """At least one citation: a rule says where it comes from."""
    if not value:
        raise v.FieldError(a.name, t("至少应有一条依据（citations）"))


@attrs.frozen(kw_only=True)
class RuleSpec:
    """A rule as written in a rule file, before its parameters are typed by its kind."""

    id: str = attrs.field(validator=v.id_text)
    kind: str = attrs.field(validator=v.id_text)
    title: str = attrs.field(validator=v.text)
    title_en: str = attrs.field(validator=v.text)
    severity: Severity | None = None
    force: Force | None = None
    severity_reason: str | None = None
    confidence: Confidence
    citations: tuple[Citation, ...] = attrs.field(validator=_cited)
    in_force: InForce = InForce()
    applies_to: Applicability = Applicability()
    params: dict[str, Any] = attrs.field(factory=dict)
    changes: tuple[DatedChange, ...] = ()
    replaces: str | None = None
    description: str | None = None
    description_en: str | None = None


def _some_params(_: object, a: attrs.Attribute[dict[str, Any]], value: dict[str, Any]) -> None:
    if not value:
        raise v.FieldError(a.name, t("至少应有一个参数"))


@attrs.frozen(kw_only=True)
class OverrideSpec:
    """Some parameters of a rule read before, set otherwise by a later file (a local policy):
    they replace the rule's own in every one of its dated versions, and the override's
    citations are added to the rule's.

    Attributes:
        rule: The id of the rule.
        params: The parameters set, by name; each must be one the rule's kind takes.
        citations: Where the policy comes from (at least one).
        note: Why, for whoever reads the rule file.
    """

    rule: str = attrs.field(validator=v.id_text)
    params: dict[str, Any] = attrs.field(validator=_some_params)
    citations: tuple[Citation, ...] = attrs.field(validator=_cited)
    note: str | None = None


@attrs.frozen(kw_only=True)
class RuleFileSpec:
    """A rule file: a profile of rules, possibly extending others, rules it disables, and
    parameters of rules read before it that it overrides."""

    profile: str = attrs.field(validator=v.id_text)
    title: str = attrs.field(validator=v.text)
    extends: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    rule: tuple[RuleSpec, ...] = ()
    override: tuple[OverrideSpec, ...] = ()


@attrs.frozen(kw_only=True)
class DatedParams:
    """The parameters of a rule in force from ``since`` on (``None``: from the beginning)."""

    since: dt.date | None
    params: Any
    citations: tuple[Citation, ...] = ()
    verified: bool = True
    note: str | None = None


@attrs.frozen(kw_only=True)
class Rule:
    """A rule ready to evaluate: its data, with parameters typed by its kind and dated.

    Attributes:
        id: The stable id (``branch.congress``).
        kind: The name of the rule kind that evaluates it (``frequency``).
        title: What it requires, in Chinese.
        title_en: The same in English.
        severity: How serious a failure is.
        confidence: How sure we are of it.
        force: The word of the text that says how binding it is (一般, 应当 …), if recorded.
        severity_reason: Why the severity differs from the default of its force word.
        overridden_by: The rule files whose ``[[override]]`` set some of its parameters, in
            the order read (``source`` stays the file that defines it).
        citations: Where it comes from.
        in_force: The days it is in force.
        applies_to: The organisations it applies to.
        versions: Its parameters over time, oldest first; the first has ``since`` ``None``.
        source: The rule file it was read from.
        description: A longer explanation, in Chinese.
        description_en: The same in English.
    """

    id: str
    kind: str
    title: str
    title_en: str
    severity: Severity
    confidence: Confidence
    citations: tuple[Citation, ...]
    in_force: InForce
    applies_to: Applicability
    versions: tuple[DatedParams, ...]
    source: str
    description: str | None = None
    description_en: str | None = None
    force: Force | None = None
    severity_reason: str | None = None
    overridden_by: tuple[str, ...] = ()

    def params_on(self, day: dt.date) -> Any:
        """The parameters in force on ``day``."""
        current = self.versions[0].params
        for version in self.versions[1:]:
            if version.since is not None and version.since <= day:
                current = version.params
        return current

    def citations_on(self, day: dt.date) -> tuple[Citation, ...]:
        """The citations of the parameters in force on ``day`` (the rule's own, by default)."""
        result = self.citations
        for version in self.versions[1:]:
            if version.since is not None and version.since <= day and version.citations:
                result = version.citations
        return result
