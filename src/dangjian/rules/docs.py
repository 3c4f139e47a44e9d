"""Rules described for people: the rule list (``dangjian rules``, ``docs/rules.md``) and one
rule explained (``dangjian explain``)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from dangjian._escape import markdown_cell, terminal_text
from dangjian.errors import Language
from dangjian.rules.loader import RuleSet, unstructure_params
from dangjian.rules.schema import Rule

__all__ = ["explain", "rules_markdown", "rules_table"]


def _in_force(rule: Rule, lang: Language) -> str:
    since = (
        rule.in_force.since.isoformat()
        if rule.in_force.since
        else ("不限" if lang == "zh" else "—")
    )
    until = (
        rule.in_force.until.isoformat()
        if rule.in_force.until
        else ("至今" if lang == "zh" else "now")
    )
    return f"{since} – {until}"


def _applies(rule: Rule, lang: Language) -> str:
    a = rule.applies_to
    zh = lang == "zh"
    parts = []
    if a.levels:
        parts.append("、".join(x.label if zh else x.label_en for x in a.levels))
    if a.categories:
        parts.append("、".join(x.label if zh else x.label_en for x in a.categories))
    if a.exclude_categories:
        names = "、".join(x.label if zh else x.label_en for x in a.exclude_categories)
        parts.append(f"不含{names}" if zh else f"except {names}")
    return "；".join(parts) if parts else ("全部" if zh else "all")


def rules_table(ruleset: RuleSet, format: str = "text", lang: Language = "zh") -> str:
    """The rules as a table (``text`` or ``markdown``): id, severity, title, citations."""
    zh = lang == "zh"
    headers = (
        ["编号", "级别", "要求", "依据"] if zh else ["id", "severity", "requirement", "source"]
    )
    rows = [
        [
            r.id,
            r.severity.label if zh else r.severity.label_en,
            r.title if zh else r.title_en,
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


def _params_text(params: Any) -> str:
    data = unstructure_params(params)
    return ", ".join(f"{k}={v}" for k, v in data.items())


def explain(rule: Rule, lang: Language = "zh") -> str:
    """A rule's requirement, where it applies, its parameters over time and its citations."""
    zh = lang == "zh"
    lines = [f"{rule.id}: {rule.title if zh else rule.title_en}", ""]
    description = rule.description if zh else rule.description_en
    if description:
        lines += [description, ""]
    label = (
        ("类型", "级别", "可信度", "适用", "有效期", "来源文件")
        if zh
        else ("kind", "severity", "confidence", "applies to", "in force", "rule file")
    )
    values = (
        rule.kind,
        rule.severity.label if zh else rule.severity.code,
        rule.confidence.label if zh else rule.confidence.label_en,
        _applies(rule, lang),
        _in_force(rule, lang),
        rule.source,
    )
    lines += [f"{k}: {v}" for k, v in zip(label, values, strict=True)]
    lines += ["", "参数：" if zh else "parameters:"]
    for version in rule.versions:
        when = version.since.isoformat() if version.since else ("起始" if zh else "from the start")
        lines.append(f"  {when}: {_params_text(version.params)}")
    lines += ["", "依据：" if zh else "citations:"]
    lines += [f"  {c.render(lang)}" for c in rule.citations]
    for version in rule.versions[1:]:
        if version.citations and version.since:
            lines += [f"  {version.since.isoformat()}: {c.render(lang)}" for c in version.citations]
    return "\n".join(lines) + "\n"


def rules_markdown(ruleset: RuleSet) -> str:
    """``docs/rules.md``: every rule of the profile with its requirement, parameters and sources."""
    out = [
        f"# 规则一览 / Rules ({ruleset.profile})",
        "",
        "Generated from the rule data by `python -m dangjian.rules.docs > docs/rules.md`; "
        "a test fails when this page and the data disagree.",
        "",
        "An article marked （条款号未核实） has not been checked against the text of the regulation; "
        "in-force dates are given to the year of the document.",
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
