"""The list of what is due as text (for people), JSON (for programs) and Markdown."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

from wcwidth import wcswidth, wcwidth

from dangjian import _views
from dangjian._escape import json_text, markdown_cell, markdown_text, terminal_text
from dangjian.deadlines.compute import DueItem, DueList
from dangjian.errors import DangjianError, Language
from dangjian.i18n import Message, t, tp

__all__ = ["FORMATS", "render", "summary_line"]

FORMATS = ("text", "json", "markdown")
"""The formats of :meth:`DueList.render`."""

_MIN_WIDTH = 40


@_views.write.register
def _write(due: DueList, format: str, lang: Language) -> str:
    return render(due, format, lang, due.width)


def render(due: DueList, format: str, lang: Language, width: int | None = None) -> str:
    """``due`` in ``format`` (one of :data:`FORMATS`); text fitted to ``width`` columns
    (default: the terminal's, at most 100)."""
    if format == "text":
        return _text(due, lang, width)
    if format == "json":
        return _json(due, lang)
    if format == "markdown":
        return _markdown(due, lang)
    raise DangjianError(
        t("未知的格式：{format}（可用：{known}）", format=format, known=", ".join(FORMATS))
    )


def summary_line(due: DueList, lang: Language = "zh") -> str:
    """One line: the day, the horizon, the items by level (:meth:`DueList.summary_line`)."""
    return due.summary_line(lang)


def _deadline_heading(item: DueItem, due: DueList, lang: Language) -> str:
    day = item.deadline.isoformat()
    if item.deadline > due.horizon:
        heading: Message = t("{day}（期限之外的提醒）", day=day)
    elif item.working_days is not None:
        heading = t("{day}（还有{n}个工作日）", day=day, n=item.working_days)
    else:
        return day
    return heading.render(lang)


def _subject(item: DueItem) -> str:
    s = item.subject
    return f"{s.name}（{s.id}）" if s.name and s.name != s.id else s.id


def _groups(due: DueList) -> Iterator[tuple[str, list[DueItem]]]:
    """The items by deadline, in order (an unknown item without a day of its own goes with
    the day asked about)."""
    current: list[DueItem] = []
    day = None
    for item in due.items:
        if item.deadline != day and current:
            yield current[0].deadline.isoformat(), current
            current = []
        day = item.deadline
        current.append(item)
    if current:
        yield current[0].deadline.isoformat(), current


def _fit(text: str, width: int, indent: str, hang: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` display columns (Chinese characters count two),
    each after ``indent`` (the lines after the first after ``indent + hang``); a line is
    broken between characters when it has no spaces."""
    lines: list[str] = []
    room = max(width - wcswidth(indent + hang), 10)
    line, used = "", 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > room:
            cut = line.rfind(" ")
            if cut > room // 2 and ch != " ":
                lines.append(line[:cut])
                line = line[cut + 1 :]
                used = max(wcswidth(line), 0)
            else:
                lines.append(line)
                line, used = "", 0
            if ch == " " and not line:
                continue
        line += ch
        used += w
    if line or not lines:
        lines.append(line)
    return [(indent if i == 0 else indent + hang) + x.rstrip() for i, x in enumerate(lines)]


def _text(due: DueList, lang: Language, width: int | None) -> str:
    if width is None:
        width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    width = max(width, _MIN_WIDTH)
    out = [*_fit(terminal_text(summary_line(due, lang)), width, "")]
    if not due.items:
        out += ["", t("没有到期事项").render(lang)]
    for _, items in _groups(due):
        out += ["", _deadline_heading(items[0], due, lang)]
        for item in items:
            head = f"[{item.level_in(lang)}] {item.rule} {item.title_in(lang)}"
            out += _fit(terminal_text(head), width, "  ", "    ")
            what = f"{_subject(item)}: {item.owed.render(lang)}"
            if lang == "zh":
                what = f"{_subject(item)}：{item.owed.render(lang)}"
            out += _fit(terminal_text(what), width, "      ")
            for c in item.citations:
                cite = t("依据：{citation}", citation=c.render(lang)).render(lang)
                out += _fit(terminal_text(cite), width, "      ")
    return "\n".join(line.rstrip() for line in out) + "\n"


def _json(due: DueList, lang: Language) -> str:
    data = {
        "as_of": due.as_of.isoformat(),
        "days": due.days,
        "horizon": due.horizon.isoformat(),
        "profile": due.profile,
        "counts": due.counts(),
        "items": [i.to_data(lang) for i in due.items],
    }
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def _markdown(due: DueList, lang: Language) -> str:
    heading = t("应办事项").render(lang)
    out = [f"# {heading}", "", markdown_text(summary_line(due, lang))]
    headers = [
        t("期限").render(lang),
        t("级别").render(lang),
        t("规则").render(lang),
        tp("due list", "对象").render(lang),
        t("应办").render(lang),
        t("依据").render(lang),
    ]
    for day, items in _groups(due):
        out += ["", f"## {day}", "", "| " + " | ".join(headers) + " |"]
        out.append("|" + "---|" * len(headers))
        for item in items:
            cells = [
                day,
                item.level_in(lang),
                f"{item.rule} {item.title_in(lang)}",
                _subject(item),
                item.owed.render(lang),
                "；".join(c.render(lang) for c in item.citations),
            ]
            out.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"
