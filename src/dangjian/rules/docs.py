"""Rules described for people: the rule list (``dangjian rules``, ``docs/rules.md``) and one
rule explained (``dangjian explain``)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from dangjian._escape import markdown_cell, terminal_text
from dangjian.findings import Citation
from dangjian.i18n import Language, Message, given, render, t, tp
from dangjian.rules.loader import RuleSet, unstructure_params
from dangjian.rules.schema import FORCE_SEVERITY, Rule
from dangjian.rules.texts import comma_list, label, semicolon_list

__all__ = ["explain", "rules_markdown", "rules_table"]


def _in_force(rule: Rule, lang: Language) -> str:
    since, until = rule.in_force.since, rule.in_force.until
    first = since.isoformat() if since else tp("rules", "不限").render(lang)
    last = until.isoformat() if until else t("至今").render(lang)
    unverified = "" if rule.in_force.verified else t("（日期未核实）").render(lang)
    return f"{first} – {last}{unverified}"


def _applies(rule: Rule, lang: Language) -> str:
    a = rule.applies_to
    parts: list[Message | str] = []
    if a.levels:
        parts.append(comma_list([label(x) for x in a.levels]))
    if a.categories:
        parts.append(comma_list([label(x) for x in a.categories]))
    if a.exclude_categories:
        names = comma_list([label(x) for x in a.exclude_categories])
        parts.append(t("不含{names}", names=names))
    if not parts:
        return tp("rules", "全部").render(lang)
    return render(semicolon_list(parts), lang)


def rules_table(ruleset: RuleSet, format: str = "text", lang: Language = "zh") -> str:
    """The rules as a table (``text`` or ``markdown``): id, severity, title, citations."""
    headers = [
        m.render(lang)
        for m in (
            tp("rules", "编号"),
            tp("rules", "级别"),
            tp("rules", "要求"),
            tp("rules", "依据"),
        )
    ]
    rows = [
        [
            r.id,
            label(r.severity).render(lang),
            _title(r).render(lang),
            "；".join(c.render(lang) for c in r.citations),
        ]
        for r in ruleset
    ]
    # a rule file's text is shown as text: no HTML, no column of its own, no terminal control
    shown = markdown_cell if format == "markdown" else terminal_text
    rows = [[shown(cell) for cell in row] for row in rows]
    return (
        tabulate(rows, headers=headers, tablefmt="github" if format == "markdown" else "simple")
        + "\n"
    )


def _title(rule: Rule) -> Message:
    """A rule's title, as its rule file writes it in each language."""
    return given({"zh": rule.title, "en": rule.title_en})


def _params_text(params: Any, lang: Language = "zh") -> str:
    """A parameter set's plain values as ``name=value`` on one line (``（无）`` when it has
    none); :func:`_params_nested` shows the lists and tables under it."""
    data = unstructure_params(params)
    if not data:
        return tp("rules", "（无）").render(lang)
    plain = [f"{k}={_scalar(v)}" for k, v in data.items() if not _nested(v)]
    return ", ".join(plain) if plain else ""


def _nested(value: object) -> bool:
    """Whether ``value`` is shown on lines of its own: a table, or a list holding any."""
    if isinstance(value, dict):
        return True
    return isinstance(value, list | tuple) and any(isinstance(v, dict | list) for v in value)


def _scalar(value: object) -> str:
    """A plain value as the rule file writes it, without quotes: ``[a, b]`` for a list."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _params_nested(params: Any, indent: str) -> list[str]:
    """The lines of a parameter set's lists and tables (a dues schedule's tiers), each entry
    on a line of its own under its name, as an outline rather than one line of data."""
    data = unstructure_params(params)
    lines: list[str] = []
    for key, value in data.items():
        if _nested(value):
            lines.append(f"{indent}{key}:")
            lines += _outline(value, indent + "  ")
    return lines


def _outline(value: object, indent: str) -> list[str]:
    if isinstance(value, dict):
        plain = [f"{k}={_scalar(v)}" for k, v in value.items() if not _nested(v)]
        lines = [indent + ", ".join(plain)] if plain else []
        for k, v in value.items():
            if _nested(v):
                lines.append(f"{indent}{k}:")
                lines += _outline(v, indent + "  ")
        return lines
    if isinstance(value, list | tuple) and _nested(value):
        lines = []
        for item in value:
            inner = (
                _outline(item, indent + "  ") if _nested(item) else [indent + "  " + _scalar(item)]
            )
            first = inner[0] if inner else indent + "  "
            lines.append(indent + "- " + first.removeprefix(indent + "  "))
            lines += inner[1:]
        return lines
    return [indent + _scalar(value)]


def explain(rule: Rule, lang: Language = "zh") -> str:
    """A rule's requirement, where it applies, its parameters over time and its citations."""
    lines = [f"{rule.id}: {_title(rule).render(lang)}", ""]
    description = given({"zh": rule.description or "", "en": rule.description_en or ""}).render(
        lang
    )
    if description:
        lines += [description, ""]
    # the catalog chooses what names the severity: the English shows its code (error)
    severity: Message = tp("rules", "{label}", label=label(rule.severity), code=rule.severity.code)
    if rule.force is not None:
        severity = t("{severity}（情态词：{word}）", severity=severity, word=rule.force.label)
    facts = (
        (tp("rules", "类型"), rule.kind),
        (tp("rules", "级别"), severity.render(lang)),
        (tp("rules", "可信度"), label(rule.confidence).render(lang)),
        (tp("rules", "适用"), _applies(rule, lang)),
        (tp("rules", "有效期"), _in_force(rule, lang)),
        (tp("rules", "来源文件"), rule.source),
    )
    lines += [f"{k.render(lang)}: {v}" for k, v in facts]
    if rule.overridden_by:
        files = tp("rules", "参数覆盖自").render(lang)
        lines.append(f"{files}: {', '.join(rule.overridden_by)}")
    if rule.severity_reason:
        reason = tp("rules", "级别说明").render(lang)
        lines.append(f"{reason}: {rule.severity_reason}")
    lines += ["", t("参数：").render(lang)]
    for version in rule.versions:
        when = version.since.isoformat() if version.since else tp("rules", "起始").render(lang)
        if version.since and not version.verified:
            when += tp("version", "（日期未核实）").render(lang)
        lines.append(f"  {when}: {_params_text(version.params, lang)}".rstrip())
        lines += _params_nested(version.params, "    ")
        if version.note:
            lines.append(f"    （{version.note}）")
    lines += ["", t("依据：").render(lang)]
    lines += [f"  {_cited(c, lang)}" for c in rule.citations]
    for version in rule.versions[1:]:
        if version.citations and version.since:
            lines += [
                f"  {version.since.isoformat()}: {_cited(c, lang)}" for c in version.citations
            ]
    return "\n".join(lines) + "\n"


def _cited(citation: Citation, lang: Language) -> str:
    """A citation with its article number marked checked, or (by its rendering) not."""
    text = citation.render(lang)
    if citation.verified:
        text += tp("rules", "（条款号已核实）").render(lang)
    return text


_POLICY = """## 如何读条文 / How the texts are read

- **以上 and 超过.** 以上 includes the number (民法典 第一千二百五十九条: "以上""以下""以内""届满"
  包括本数): "半数以上委员到会" is met by exactly half (`present_at_least`). Where a text means
  strictly more it writes 超过: "超过应到会人数的五分之四", "赞成人数超过应到会有表决权的党员的半数",
  "赞成票超过实到会有选举权的人数的一半" (`present_more_than`, `yes_more_than`,
  `comparison = "more_than"`). Each rule's title quotes its text's own word.
- **In force to the day.** A meeting, an election or a step of a member's development is judged by
  the rule in force on its day, with the parameters and citations of that day. A month, quarter
  or year is judged only when the rule is in force on every day of it, with the parameters in
  force on its first day; one that the rule enters (or leaves) part-way is not judged
  (不适用, with the reason). A term is judged by the rule in force when it began: an
  organisation elected before 关于党的基层组织任期的意见 (2018-07-12) serves the term it was
  elected for, and the opinion's term applies from its next election (its transitional clause).
- **One meeting, several kinds.** Offices hold the quarter's 支部党员大会 on the month's 主题党日,
  or give the 党课 at it, and record one meeting: its `kind` and the other kinds it also served
  as (`also`, 同时作为的会议类型). Every rule about meetings of a kind judges each meeting that
  served as that kind: a frequency rule counts the meeting once for each kind it served as (the
  quarter's 党员大会 and the month's 主题党日 both), but once only within one rule of several
  kinds; the quorum and votes of a 党员大会 are judged of a 主题党日 held as one; a 党员大会 held
  as the 主题党日 is judged by the rules of moving a 主题党日 and of its required actions; a
  candidate may be listed at any meeting held as a 支委会. A meeting is named in findings by its
  own `kind`. A 支委会 recorded without names is taken as one only its committee could attend
  only when it served as nothing else.
- **One severity policy.** Each rule records the word of its text that says how binding it is
  (情态词, `force`), and that word gives the rule's severity:"""


def _severity_table() -> str:
    rows = [[f.label, f.label_en, s.label, s.code] for f, s in FORCE_SEVERITY.items()]
    return (
        "\n"
        + tabulate(rows, headers=["情态词", "force word", "级别", "severity"], tablefmt="github")
        + "\n\nA rule whose severity differs from its word's says why (级别说明); the loader "
        "rejects a rule file where it does not."
    )


def rules_markdown(ruleset: RuleSet) -> str:
    """``docs/rules.md``: every rule of the profile with its requirement, parameters and sources."""
    out = [
        f"# 规则一览 / Rules ({ruleset.profile})",
        "",
        "Generated from the rule data by `python -m dangjian.rules.docs > docs/rules.md`; "
        "a test fails when this page and the data disagree.",
        "",
        "An article marked （条款号未核实） has not been checked against the text of the regulation; "
        "an in-force day marked （日期未核实） is known only to the year of the document (or not "
        "at all), and the rule is applied from the first day of that year.",
        "",
        "Parameters at their defaults are not listed. The amount rules of dues (`dues.salaried`, "
        "`dues.retired`, `dues.flat`) round the amount owed half up to the 分 (`quantum = "
        '"0.01"`, `rounding = "ROUND_HALF_UP"`), with no `minimum` and no `tolerance`: the '
        "regulation sets the rates but no rounding. A rule file states a local policy by "
        "overriding these parameters (`[[override]]`; see checking.md, 本地党费计算办法 Local "
        "dues policies, and examples/dues-policy-round-up.toml).",
        "",
        _POLICY,
        _severity_table(),
        "",
        rules_table(ruleset, "markdown"),
    ]
    for rule in ruleset:
        out += [f"## `{rule.id}`", "", "```text", explain(rule).rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    import sys

    from dangjian.rules.loader import load_rules

    sys.stdout.write(rules_markdown(load_rules("organ")))
