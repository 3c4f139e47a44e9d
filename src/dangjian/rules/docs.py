"""Rules described for people: the rule list (``dangjian rules``, ``docs/rules.md``) and one
rule explained (``dangjian explain``)."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from dangjian._escape import markdown_cell, terminal_text
from dangjian.errors import Language
from dangjian.rules.loader import RuleSet, unstructure_params
from dangjian.rules.schema import FORCE_SEVERITY, Rule

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
    unverified = (
        ""
        if rule.in_force.verified
        else ("（日期未核实）" if lang == "zh" else " (days not verified)")
    )
    return f"{since} – {until}{unverified}"


def _applies(rule: Rule, lang: Language) -> str:
    a = rule.applies_to
    zh = lang == "zh"
    comma = "、" if zh else ", "
    parts = []
    if a.levels:
        parts.append(comma.join(x.label if zh else x.label_en for x in a.levels))
    if a.categories:
        parts.append(comma.join(x.label if zh else x.label_en for x in a.categories))
    if a.exclude_categories:
        names = comma.join(x.label if zh else x.label_en for x in a.exclude_categories)
        parts.append(f"不含{names}" if zh else f"except {names}")
    return ("；" if zh else "; ").join(parts) if parts else ("全部" if zh else "all")


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


def _params_text(params: Any, lang: Language = "zh") -> str:
    data = unstructure_params(params)
    if not data:
        return "（无）" if lang == "zh" else "(none)"
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
    severity = rule.severity.label if zh else rule.severity.code
    if rule.force is not None:
        word = rule.force.label
        severity += f"（情态词：{word}）" if zh else f" (force word: {word})"
    values = (
        rule.kind,
        severity,
        rule.confidence.label if zh else rule.confidence.label_en,
        _applies(rule, lang),
        _in_force(rule, lang),
        rule.source,
    )
    lines += [f"{k}: {v}" for k, v in zip(label, values, strict=True)]
    if rule.severity_reason:
        lines.append(f"{'级别说明' if zh else 'severity reason'}: {rule.severity_reason}")
    lines += ["", "参数：" if zh else "parameters:"]
    for version in rule.versions:
        when = version.since.isoformat() if version.since else ("起始" if zh else "from the start")
        if version.since and not version.verified:
            when += "（日期未核实）" if zh else " (day not verified)"
        lines.append(f"  {when}: {_params_text(version.params, lang)}")
        if version.note:
            lines.append(f"    （{version.note}）")
    lines += ["", "依据：" if zh else "citations:"]
    lines += [f"  {c.render(lang)}" for c in rule.citations]
    for version in rule.versions[1:]:
        if version.citations and version.since:
            lines += [f"  {version.since.isoformat()}: {c.render(lang)}" for c in version.citations]
    return "\n".join(lines) + "\n"


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
