"""HTML for notebooks: the ``_repr_html_`` of :class:`Ledger`, :class:`Report`, :class:`Finding`
and :class:`Findings`, registered with ``dangjian._views`` when this module is imported (importing
:mod:`dangjian` does).

Its labels are messages of the catalogs, shown in Chinese and English side by side (the
labels of the columns of :mod:`dangjian.outputs.columns` where they are the same). Everything
shown is escaped with :func:`html.escape`; there is no external CSS or JavaScript, only
inline styles. Nothing personal beyond what a finding names (a member's name as its subject) is
shown: a ledger shows counts, never members, and resident ids never appear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape

import attrs

from dangjian import _views
from dangjian.findings import Finding, Findings, Gap, Severity, Status
from dangjian.i18n import Message, t, tp
from dangjian.ledger import Ledger
from dangjian.model.resident_id import mask_resident_ids
from dangjian.outputs.columns import column
from dangjian.report import Report

__all__ = [
    "GROUP_ROWS",
    "MAX_ROWS",
    "OPEN_ROWS",
    "SECTIONS",
    "finding_html",
    "findings_html",
    "ledger_html",
    "report_html",
]

MAX_ROWS = 50
"""The most findings a table of findings (:class:`~dangjian.findings.Findings`) shows; the rest
are counted."""

STATUS_COLOURS: dict[Status, str] = {
    Status.PASSED: "#1a7f37",
    Status.FAILED: "#cf222e",
    Status.UNKNOWN: "#8250df",
    Status.PENDING: "#9a6700",
    Status.NOT_APPLICABLE: "#6e7781",
    Status.WAIVED: "#0969da",
}

_ORDER = (
    Status.FAILED,
    Status.UNKNOWN,
    Status.WAIVED,
    Status.PENDING,
    Status.NOT_APPLICABLE,
    Status.PASSED,
)
"""The order of a report's table: failures first."""

_TABLE = 'style="border-collapse:collapse;text-align:left"'
_CELL = "padding:1px 6px;border-top:1px solid #d0d7de;vertical-align:top"
_MUTED = "color:#6e7781"


def _e(text: object) -> str:
    return escape(mask_resident_ids(str(text)), quote=True)


def _both(label: Message) -> str:
    """A label in Chinese and in English: ``状态 status``."""
    return f"{label.render('zh')} {label.render('en')}"


def _aside(label: Message) -> str:
    """A label in Chinese with its English in brackets: ``无 (none)``."""
    return f"{label.render('zh')} ({label.render('en')})"


def _head(name: str) -> str:
    """The label of the finding's column ``name`` in both languages."""
    return _both(column(name).label)


def _badge(status: Status, count: int | None = None) -> str:
    text = f"{status.label} {status.label_en}"
    if count is not None:
        text += f" {count}"
    return (
        f'<span style="color:#fff;background:{STATUS_COLOURS[status]};padding:0 6px;'
        f'border-radius:3px;white-space:nowrap">{_e(text)}</span>'
    )


def _th(text: str, align: str = "left") -> str:
    return f'<th style="{_CELL};text-align:{align}">{text}</th>'


def _td(html: str, align: str = "left") -> str:
    return f'<td style="{_CELL};text-align:{align}">{html}</td>'


def _table(head: Iterable[str], rows: Iterable[str]) -> str:
    header = "<tr>" + "".join(head) + "</tr>"
    return f"<table {_TABLE}><thead>{header}</thead><tbody>{''.join(rows)}</tbody></table>"


# -- ledger --------------------------------------------------------------------------------


def ledger_html(ledger: Ledger) -> str:
    """A ledger as a small table: each kind of record with its Chinese label and its count."""
    rows: list[str] = []
    empty: list[str] = []
    for kind, records in ledger.records():
        if not records:
            empty.append(kind.label)
            continue
        label = f'{_e(kind.label)} <span style="{_MUTED}">{_e(kind.label_en)}</span>'
        rows.append(f"<tr>{_td(label)}{_td(str(len(records)), 'right')}</tr>")
    total = _both(tp("html", "合计"))
    rows.append(
        f"<tr>{_td(f'<strong>{total}</strong>')}"
        f"{_td(f'<strong>{len(ledger)}</strong>', 'right')}</tr>"
    )
    head = (_th(_both(tp("html", "记录类别"))), _th(_both(tp("html", "条数")), "right"))
    none = _aside(tp("html", "无记录"))
    note = f'<div style="{_MUTED}">{none}：{_e("、".join(empty))}</div>' if empty else ""
    title = _both(tp("html", "台账"))
    return (
        f'<div class="dangjian-ledger"><div><strong>{title}：{_e(ledger.name)}</strong></div>'
        f"{_table(head, rows)}{note}</div>"
    )


# -- report --------------------------------------------------------------------------------


def _message(f: Finding) -> str:
    text = _e(f.message)
    if f.waiver is not None:
        waived = _aside(tp("html", "豁免"))
        text += f'<br><span style="{_MUTED}">{waived}：{_e(f.waiver.reason)}</span>'
    if f.gap is not None:
        text += f'<br><span style="{_MUTED}">{_e(_remedy(f.gap))}</span>'
    return text


def _remedy(gap: Gap) -> str:
    """What to add to the ledger, in both languages: ``应补记：… (to do: …)``."""
    zh = tp("html", "应补记：{remedy}", remedy=gap.remedy("zh")).render("zh")
    return f"{zh} {tp('html', '应补记：{remedy}', remedy=gap.remedy('en')).render('en')}"


def _finding_row(f: Finding) -> str:
    cells = (
        _td(_e(f.subject.name)),
        _td(_e(f.period.label()) if f.period else ""),
        _td(_message(f)),
    )
    return "<tr>" + "".join(cells) + "</tr>"


def _counted(counts: Counter[Status]) -> str:
    return "，".join(f"{s.label}{counts[s]}" for s in _ORDER if counts[s])


def _more(n: int, counted: str, colspan: int) -> str:
    more = tp("html", "另有 {n} 条（{counted}）", n=n, counted=_e(counted))
    return (
        f'<tr><td colspan="{colspan}" style="{_CELL};{_MUTED}">… {more.render("zh")}'
        f"{more.render('en')}</td></tr>"
    )


@attrs.frozen
class _Section:
    """A part of a report's view: the findings of one status (failures: and one severity)."""

    label: Message
    status: Status
    severity: frozenset[Severity] = frozenset(Severity)
    rows: bool = True
    """Whether its findings are listed; else only counted by rule (passes, not applicable)."""

    def holds(self, f: Finding) -> bool:
        return f.status is self.status and f.severity in self.severity


SECTIONS: tuple[_Section, ...] = (
    _Section(Severity.ERROR.msg, Status.FAILED, frozenset({Severity.ERROR})),
    _Section(Severity.WARNING.msg, Status.FAILED, frozenset({Severity.WARNING})),
    _Section(Severity.INFO.msg, Status.FAILED, frozenset({Severity.INFO})),
    *(
        _Section(s.msg, s, rows=s not in (Status.NOT_APPLICABLE, Status.PASSED))
        for s in (
            Status.UNKNOWN,
            Status.PENDING,
            Status.WAIVED,
            Status.NOT_APPLICABLE,
            Status.PASSED,
        )
    ),
)
"""The parts of a report's view, in order: failures of severity error, then warning, then info;
then what cannot be told, what is pending, what was waived; then, counted by rule only, what does
not apply and what passed."""

GROUP_ROWS = 10
"""The most findings a rule's group lists; the rest are counted."""

OPEN_ROWS = 5
"""A rule's group with more findings than this starts folded (a closed ``<details>``)."""


def _rule(report: Report, rule: str) -> str:
    """A rule's code and, beside it, its title in Chinese."""
    title = report.title(rule)
    shown = f' <span style="{_MUTED}">{_e(title)}</span>' if title != rule else ""
    return f"<code>{_e(rule)}</code>{shown}"


def _group(report: Report, rule: str, findings: list[Finding], max_rows: int) -> str:
    """One rule's findings of a section: a ``<details>`` with the rule and its count as summary,
    open when it is short."""
    shown, rest = findings[:max_rows], findings[max_rows:]
    rows = [_finding_row(f) for f in shown]
    if rest:
        rows.append(_more(len(rest), _counted(Counter(f.status for f in rest)), 3))
    names = ("subject_name", "period", "message")
    table = _table(tuple(_th(_head(name)) for name in names), rows)
    opened = " open" if len(findings) <= OPEN_ROWS else ""
    return (
        f'<details{opened} style="margin:2px 0 2px 1em"><summary>{_rule(report, rule)}'
        f" ({len(findings)})</summary>{table}</details>"
    )


def _tally(report: Report, by_rule: dict[str, list[Finding]]) -> str:
    """The findings of a section counted by rule, in a table (passes, not applicable)."""
    rows = [
        f"<tr>{_td(_rule(report, rule))}{_td(str(len(found)), 'right')}</tr>"
        for rule, found in by_rule.items()
    ]
    head = (_th(_head("rule")), _th(_both(tp("html", "条数")), "right"))
    return f'<div style="margin-left:1em">{_table(head, rows)}</div>'


def report_html(report: Report, max_rows: int = GROUP_ROWS) -> str:
    """A report: its summary line and counts, then its findings in the parts of
    :data:`SECTIONS` (errors first, then warnings, what cannot be told, what is pending, what
    was waived; what does not apply and what passed last, counted by rule only, folded). In
    each part the findings are grouped by rule, the rule's code beside its title, in the order
    of the report, each group listing at most ``max_rows`` findings and folded when it has more
    than :data:`OPEN_ROWS`."""
    counts = report.totals or report.counts()
    badges = " ".join(_badge(s, n) for s, n in counts.items())
    parts: list[str] = []
    for section in SECTIONS:
        by_rule: dict[str, list[Finding]] = {}
        for f in report.findings:
            if section.holds(f):
                by_rule.setdefault(f.rule, []).append(f)
        if not by_rule:
            continue
        n = sum(len(found) for found in by_rule.values())
        heading = (
            f'<span style="color:{STATUS_COLOURS[section.status]};font-weight:bold">'
            f"{_e(_both(section.label))} {n}</span>"
        )
        if section.rows:
            groups = "".join(_group(report, r, found, max_rows) for r, found in by_rule.items())
            parts.append(f'<div style="margin-top:6px">{heading}{groups}</div>')
        else:
            parts.append(
                f'<details style="margin-top:6px"><summary>{heading}</summary>'
                f"{_tally(report, by_rule)}</details>"
            )
    none = _aside(tp("html", "无"))
    body = "".join(parts) if report.findings else f'<div style="{_MUTED}">{none}</div>'
    return (
        f'<div class="dangjian-report"><div><strong>{_e(report.summary_line())}</strong></div>'
        f'<div style="margin:4px 0">{badges}</div>{body}</div>'
    )


def findings_html(findings: Findings, max_rows: int = MAX_ROWS) -> str:
    """Findings as one table in their order: status, rule, subject, period and message, at
    most ``max_rows`` of them, the rest counted by status."""
    shown, rest = findings[:max_rows], findings[max_rows:]
    rows = [
        "<tr>"
        + _td(_badge(f.status))
        + _td(f"<code>{_e(f.rule)}</code>")
        + _finding_row(f).removeprefix("<tr>")
        for f in shown
    ]
    if rest:
        rows.append(_more(len(rest), _counted(Counter(f.status for f in rest)), 5))
    names = ("status", "rule", "subject_name", "period", "message")
    none = _aside(tp("html", "无"))
    table = _table(tuple(_th(_head(n)) for n in names), rows) if findings else none
    return f'<div class="dangjian-findings">{table}</div>'


# -- finding -------------------------------------------------------------------------------


def finding_html(f: Finding) -> str:
    """One finding as a two-column table of its fields and citations."""
    subject = (
        f'{_e(f.subject.name)} <span style="{_MUTED}">({_e(f.subject.kind)}: '
        f"{_e(f.subject.id)})</span>"
    )
    message = f'{_e(f.message)}<br><span style="{_MUTED}">{_e(f.message_en)}</span>'
    citations = "".join(f"<li>{_e(c.render())}</li>" for c in f.citations)
    fields: list[tuple[str, str]] = [
        (_head("rule"), _e(f.rule)),
        (_head("status"), _badge(f.status)),
        (_head("severity"), _e(f"{f.severity.label} {f.severity.label_en}")),
        (_head("subject_name"), subject),
        (_head("branch"), _e(f.subject.branch or "")),
        (_head("period"), _e(f"{f.period.label()} ({f.period})") if f.period else ""),
        (_head("day"), _e(f.day.isoformat()) if f.day else ""),
        (_head("message"), message),
        (
            _head("gap"),
            _e(f"{f.gap.label}（{f.gap.label_en}）；{_remedy(f.gap)}") if f.gap else "",
        ),
        (_head("evidence"), _e("、".join(f.evidence))),
        (
            _head("citations"),
            f'<ul style="margin:0;padding-left:1.2em">{citations}</ul>' if citations else "",
        ),
    ]
    if f.waiver is not None:
        w = f.waiver
        approved = t(
            "{reason}（{approved_by}批准，{period}）",
            reason=w.reason,
            approved_by=w.approved_by,
            period=w.period.label(),
        )
        fields.append((_both(tp("finding", "豁免")), _e(approved.render("zh"))))
    rows = [
        f'<tr><th style="{_CELL};white-space:nowrap">{k}</th>{_td(v)}</tr>' for k, v in fields if v
    ]
    return f'<div class="dangjian-finding"><table {_TABLE}><tbody>{"".join(rows)}</tbody></table></div>'


_views.html.register(Ledger, ledger_html)
_views.html.register(Report, report_html)
_views.html.register(Finding, finding_html)
_views.html.register(Findings, findings_html)
