"""Reading rule files and profiles strictly, into typed, dated rules.

A profile is a rule file (TOML or YAML) that may extend others. The package ships two:
``national`` (the national baseline) and ``organ`` (national plus the 2019 regulations for state
organs). Any number of user files go on top: an organisation's own plan, a province's handbook.

>>> rules = load_rules("organ")
>>> rules.get("branch.congress").title
'支部党员大会一般每季度召开1次'
>>> len(rules) >= 40
True
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import cattrs

from dangjian.errors import DangjianError, Problem, RuleError
from dangjian.findings import Severity
from dangjian.i18n import Message, t
from dangjian.io.converter import DuplicateKeys, InvalidValue, make_converter, structure_problems
from dangjian.io.formats import TextSyntaxError, decode_text, parse_text
from dangjian.rules.registry import Registry, default_registry
from dangjian.rules.schema import (
    FORCE_SEVERITY,
    DatedParams,
    OverrideSpec,
    Rule,
    RuleFileSpec,
    RuleSpec,
)
from dangjian.rules.texts import comma_list

__all__ = ["PROFILES", "RuleSet", "load_rules", "make_rule_converter", "read_rule_file"]

PROFILES = ("national", "organ")
"""The profiles shipped with dangjian."""


# a fraction as rule files write it: 1/2, 0.5 or 1; short, in ASCII digits, without exponents
# (Fraction itself reads "1e100000000" by computing a hundred-million-digit number)
_FRACTION = re.compile(r"[+-]?[0-9]{1,9}(?:/[0-9]{1,9}|\.[0-9]{1,9})?")


def _structure_fraction(value: object, _: type) -> Fraction:
    if type(value) is int and abs(value) <= 10**9:
        return Fraction(value)
    if isinstance(value, str) and _FRACTION.fullmatch(value):
        try:
            return Fraction(value)
        except ZeroDivisionError:
            pass
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "…"
    raise InvalidValue(t("应为分数，如「1/2」，实为{shown}", shown=shown))


def _plain_enum(cls: type[enum.Enum]) -> Any:
    def structure(value: object, _: type) -> enum.Enum:
        for member in cls:
            if member.value == value:
                return member
        values = [str(m.value) for m in cls]
        raise InvalidValue(
            t("{value!r}不是可用的取值，可选：{choices}", value=value, choices=comma_list(values))
        )

    return structure


def make_rule_converter() -> cattrs.Converter:
    """The converter of rule files: the ledger converter plus fractions and plain enums."""
    conv = make_converter(detailed=True)
    conv.register_structure_hook(Fraction, _structure_fraction)
    conv.register_unstructure_hook(Fraction, lambda f: f"{f.numerator}/{f.denominator}")
    conv.register_structure_hook_factory(
        lambda typ: (
            isinstance(typ, type) and issubclass(typ, enum.Enum) and not hasattr(typ, "parse")
        ),
        _plain_enum,
    )
    conv.register_unstructure_hook(enum.Enum, lambda e: e.value)
    conv.register_structure_hook(Any, lambda v, _: v)
    return conv


_CONVERTER = make_rule_converter()


def parse_rule_data(path: str, text: str) -> Any:
    """The data of a rule or waiver file, parsed as strictly as a ledger: duplicate keys, long
    numbers, deep nesting and runaway YAML aliases are errors with their place."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise DangjianError(t("{path}：规则文件应为 .toml 或 .yaml", path=str(path)))
    try:
        data = parse_text(text, "toml" if suffix == ".toml" else "yaml")
    except TextSyntaxError as e:
        raise RuleError([e.problem], source=path) from None
    duplicates = list(_duplicate_keys(data))
    if duplicates:
        raise RuleError(duplicates, source=path)
    return data


def _duplicate_keys(data: Any) -> Iterator[Problem]:
    """A problem for each mapping of a YAML document in which keys repeat, at its path."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, DuplicateKeys) and value.duplicates:
            yield Problem(
                path=path,
                code="duplicate_key",
                message=t(
                    "键重复出现：{keys}", keys=comma_list([str(k) for k in value.duplicates])
                ),
            )
        if isinstance(value, dict):
            stack += [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{path}[{i}]", v) for i, v in enumerate(value)]


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of a rule or waiver file in UTF-8.

    Raises:
        RuleError: the file is not UTF-8 (with a hint when it looks like GBK / GB18030).
        OSError: the file cannot be read.
    """
    text = decode_text(Path(path).read_bytes())
    if isinstance(text, Problem):
        raise RuleError([text], source=os.fspath(path))
    return text


def read_rule_file(path: str | os.PathLike[str], *, text: str | None = None) -> RuleFileSpec:
    """A rule file, read strictly: unknown keys and bad values are errors.

    Raises:
        RuleError: listing every problem, each with the rule's index and id.
    """
    name = os.fspath(path)
    data = parse_rule_data(name, text if text is not None else read_text(path))
    try:
        return _CONVERTER.structure(data, RuleFileSpec)
    except Exception as e:
        raise RuleError(_with_ids(structure_problems(e), data), source=name) from None


def _with_ids(problems: Iterable[Problem], data: Any) -> list[Problem]:
    """Name the rule each problem is in: ``rule[3](branch.congress).params.at_least``, or
    that an override overrides: ``override[0](dues.salaried).params``."""
    result = []
    for p in problems:
        path = p.path
        # a rule by its id, an override by the id of the rule it overrides
        for key, name in (("rule", "id"), ("override", "rule")):
            entries = data.get(key) if isinstance(data, dict) else None
            if isinstance(entries, list) and path.startswith(f"{key}["):
                index = int(path[len(key) + 1 : path.index("]")])
                entry = entries[index] if index < len(entries) else None
                if isinstance(entry, dict) and isinstance(entry.get(name), str):
                    path = f"{key}[{index}]({entry[name]}){path[path.index(']') + 1 :]}"
        result.append(attrs.evolve(p, path=path))
    return result


@attrs.frozen
class RuleSet:
    """The rules of a profile and any files on top, by id, in the order they were read.

    Attributes:
        rules: The rules.
        profile: The name of the profile.
        sources: The files read, in order.
        notices: ``disable`` and ``replaces`` entries that named no rule, kept as warnings
            when the rules were loaded with ``allow_unmatched=True``.
    """

    rules: tuple[Rule, ...]
    profile: str
    sources: tuple[str, ...]
    notices: tuple[Problem, ...] = ()

    def get(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``.

        Raises:
            KeyError: no such rule.
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"没有编号为「{rule_id}」的规则 (no rule {rule_id!r})")

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    def __repr__(self) -> str:
        """One line: the profile, how many rules and files; the rules are in :attr:`rules`.

        >>> load_rules("national")
        <RuleSet national：...条规则，读自1个文件>
        """
        return f"<RuleSet {self.profile}：{len(self.rules)}条规则，读自{len(self.sources)}个文件>"


@functools.cache
def _builtin(name: str) -> tuple[str, RuleFileSpec]:
    """A shipped profile's file, read once: it is part of the package and does not change."""
    resource = resources.files("dangjian.rules") / "data" / f"{name}.toml"
    source = f"dangjian:rules/data/{name}.toml"
    return source, read_rule_file(source, text=resource.read_text(encoding="utf-8"))


def _files_of(
    profile: str, chain: tuple[str, ...] = (), base: Path | None = None
) -> list[tuple[str, RuleFileSpec]]:
    """The files of a profile, the ones it extends first.

    ``profile`` is a shipped profile's name or a rule file; a file named in ``extends`` is
    found beside the file that names it (``base``). ``chain`` holds the files that extend this
    one, to refuse a file that extends itself, however indirectly.
    """
    if profile in PROFILES:
        source, spec = _builtin(profile)
        key = source
        folder = None
    else:
        found = Path(profile) if base is None else base / profile
        source = os.path.normpath(found)
        key = os.path.normcase(os.path.realpath(found))
        if key in chain:
            raise _cycle(source)
        spec = read_rule_file(source)
        folder = Path(source).parent
    files: list[tuple[str, RuleFileSpec]] = []
    for i, parent in enumerate(spec.extends):
        if parent not in PROFILES and (folder is None or not (folder / parent).is_file()):
            raise RuleError(
                [_problem(source, f"extends[{i}]", "unknown_profile", _unknown(parent))]
            )
        files += _files_of(parent, (*chain, key), folder)
    files.append((source, spec))
    return files


def _unknown(name: str) -> Message:
    return t(
        "找不到要扩展的规则文件「{name}」（相对于本文件所在的目录），也不是内置方案（{profiles}）",
        name=name,
        profiles=comma_list(PROFILES),
    )


def _cycle(source: str) -> RuleError:
    return RuleError(
        [
            _problem(
                source,
                "extends",
                "extends_cycle",
                t("规则文件直接或间接地扩展了自身（extends 成环）"),
            )
        ]
    )


def load_rules(
    profile: str = "national",
    files: Sequence[str | os.PathLike[str]] = (),
    *,
    registry: Registry | None = None,
    allow_unmatched: bool = False,
) -> RuleSet:
    """The rules of ``profile`` (a shipped profile's name or a rule file) with ``files`` on top.

    A rule id may appear once; a later rule replaces an earlier one only when it says so with
    ``replaces``, a file's ``disable`` list removes rules read before it, and its
    ``[[override]]`` entries set some parameters of rules read before it (or earlier in it),
    cited, keeping the rest of the rule.

    Args:
        profile: A shipped profile's name or the path of a rule file.
        files: More rule files on top, in order.
        registry: The rule kinds (default: the built-in ones).
        allow_unmatched: Keep a ``disable`` or ``replaces`` that names no rule as a warning in
            :attr:`RuleSet.notices` instead of an error.

    Raises:
        RuleError: a file is invalid, an id repeats, a kind is unknown, a parameter is bad
            (an override's too: one the rule's kind does not take, or a bad value), or a
            disabled, replaced or overridden rule does not exist (unless ``allow_unmatched``);
            every problem is listed with its file.
    """
    registry = registry or default_registry()
    chain = _files_of(profile)
    for f in files:
        chain += _files_of(os.fspath(f))
    rules: dict[str, Rule] = {}
    # each rule as written, with the parameters of any override before: a later override
    # builds on it
    specs: dict[str, RuleSpec] = {}
    problems: list[Problem] = []
    # a disable or replaces that names no rule: an error, or a notice when allowed
    unmatched: list[Problem] = []
    seen_sources: list[str] = []
    for source, spec in chain:
        if source in seen_sources:
            continue
        seen_sources.append(source)
        for rule_id in spec.disable:
            if rules.pop(rule_id, None) is None:
                unmatched.append(
                    _problem(
                        source,
                        f"disable({rule_id})",
                        "unknown_rule",
                        t("要停用的规则「{rule}」不存在", rule=rule_id),
                    )
                )
        for i, rule_spec in enumerate(spec.rule):
            where = f"rule[{i}]({rule_spec.id})"
            if rule_spec.replaces is not None and rules.pop(rule_spec.replaces, None) is None:
                unmatched.append(
                    _problem(
                        source,
                        f"{where}.replaces",
                        "unknown_rule",
                        t("要替换的规则「{rule}」不存在", rule=rule_spec.replaces),
                    )
                )
            if rule_spec.id in rules:
                problems.append(
                    _problem(
                        source,
                        f"{where}.id",
                        "duplicate_id",
                        t(
                            "规则编号「{rule}」重复（已见于 {source}）",
                            rule=rule_spec.id,
                            source=rules[rule_spec.id].source,
                        ),
                    )
                )
                continue
            built = _build(rule_spec, source, registry, where, problems)
            if built is not None:
                rules[rule_spec.id] = built
                specs[rule_spec.id] = rule_spec
        for i, override in enumerate(spec.override):
            where = f"override[{i}]({override.rule})"
            if override.rule not in rules:
                unmatched.append(
                    _problem(
                        source,
                        f"{where}.rule",
                        "unknown_rule",
                        t("要覆盖参数的规则「{rule}」不存在", rule=override.rule),
                    )
                )
                continue
            overridden = _override(
                rules[override.rule], specs[override.rule], override, source, registry, where
            )
            if isinstance(overridden, list):
                problems += overridden
            else:
                rules[override.rule], specs[override.rule] = overridden
    if not allow_unmatched:
        problems += unmatched
    if problems:
        raise RuleError(problems)
    return RuleSet(
        rules=tuple(rules.values()),
        profile=profile,
        sources=tuple(seen_sources),
        notices=tuple(unmatched) if allow_unmatched else (),
    )


def _override(
    rule: Rule,
    spec: RuleSpec,
    override: OverrideSpec,
    source: str,
    registry: Registry,
    where: str,
) -> tuple[Rule, RuleSpec] | list[Problem]:
    """``rule`` (written as ``spec``) with the parameters of ``override`` (read from
    ``source``) in each of its versions and its citations added; or the problems, named at the
    override, when the parameters do not fit the rule's kind."""
    changed = attrs.evolve(
        spec,
        params={**spec.params, **override.params},
        changes=tuple(
            attrs.evolve(c, params={**c.params, **override.params}) for c in spec.changes
        ),
        citations=(*spec.citations, *override.citations),
    )
    problems: list[Problem] = []
    built = _build(changed, source, registry, where, problems)
    if built is None:
        return problems
    overridden = attrs.evolve(
        built, source=rule.source, overridden_by=(*rule.overridden_by, source)
    )
    return overridden, changed


def _problem(source: str, where: str, code: str, message: Message) -> Problem:
    return Problem(path=f"{source}: {where}", code=code, message=message)


def _build(
    spec: RuleSpec, source: str, registry: Registry, where: str, problems: list[Problem]
) -> Rule | None:
    if spec.kind not in registry:
        problems.append(
            _problem(
                source,
                f"{where}.kind",
                "unknown_kind",
                t(
                    "未知的规则类型「{kind}」，可用：{known}",
                    kind=spec.kind,
                    known=comma_list([k.name for k in registry]),
                ),
            )
        )
        return None
    kind = registry.get(spec.kind)
    versions: list[DatedParams] = []
    ok = True
    for label, since, params, citations, verified, note in [
        ("params", None, spec.params, (), spec.in_force.verified, None),
        *[
            (
                f"changes[{j}].params",
                c.since,
                {**spec.params, **c.params},
                c.citations,
                c.verified,
                c.note,
            )
            for j, c in enumerate(spec.changes)
        ],
    ]:
        try:
            typed = _CONVERTER.structure(params, kind.params)
        except Exception as e:
            ok = False
            for p in structure_problems(e, label):
                problems.append(attrs.evolve(p, path=f"{source}: {where}.{p.path}"))
            continue
        versions.append(
            DatedParams(
                since=since, params=typed, citations=citations, verified=verified, note=note
            )
        )
    dates = [c.since for c in spec.changes]
    if dates != sorted(dates):
        ok = False
        problems.append(
            _problem(
                source,
                f"{where}.changes",
                "date_order",
                t("参数变更应按生效日期先后排列"),
            )
        )
    severity = _severity(spec, source, where, problems)
    if not ok or severity is None:
        return None
    return Rule(
        id=spec.id,
        kind=spec.kind,
        title=spec.title,
        title_en=spec.title_en,
        severity=severity,
        confidence=spec.confidence,
        citations=spec.citations,
        in_force=spec.in_force,
        applies_to=spec.applies_to,
        versions=tuple(versions),
        source=source,
        description=spec.description,
        description_en=spec.description_en,
        force=spec.force,
        severity_reason=spec.severity_reason,
    )


def _severity(spec: RuleSpec, source: str, where: str, problems: list[Problem]) -> Severity | None:
    """The rule's severity: as written, or the default of its force word (one policy for all).

    A severity that differs from its force word's default is a problem unless the rule says
    why (``severity_reason``).
    """
    default = FORCE_SEVERITY[spec.force] if spec.force is not None else Severity.ERROR
    if spec.severity is None:
        return default
    if spec.force is not None and spec.severity is not default and not spec.severity_reason:
        problems.append(
            _problem(
                source,
                f"{where}.severity",
                "severity_policy",
                t(
                    "情态词「{force}」对应的级别为「{default}」，与所写的「{severity}」不一致；"
                    "请改正，或以 severity_reason 说明理由",
                    force=spec.force.label,
                    default=default.label,
                    severity=spec.severity.label,
                    default_code=default.code,
                    severity_code=spec.severity.code,
                ),
            )
        )
        return None
    return spec.severity


def unstructure_params(params: Any) -> dict[str, Any]:
    """A rule's typed parameters as plain data, for showing them (``dangjian explain``)."""
    data: dict[str, Any] = _CONVERTER.unstructure(params)
    return data


def today() -> dt.date:
    """Today's date; the default day of judging."""
    return dt.date.today()
