"""What loads can be written: text that cannot be encoded as UTF-8 is refused when it is read.

A Python string can hold a lone surrogate (``"\\udfff"``), which no UTF-8 file can: JSON writes
one as the escape ``"\\udfff"``, and a workbook as ``_xDFFF_``. A ledger that held one would load
and then fail when it is written, after the file had been opened. Such text is a problem of the
document, found where it is read and reported at its path.
"""

from __future__ import annotations

import re
from typing import Any

from dangjian.errors import Problem
from dangjian.i18n import t

__all__ = ["may_hold_surrogates", "surrogate_at", "unwritable"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
"""An escape of a surrogate: JSON's ``\\uDFFF`` (one half of a pair too, which JSON joins), YAML's
``\\uDFFF`` or ``\\U0000DFFF``. Chinese written as ``\\u515a`` does not match."""


def may_hold_surrogates(text: str, *, decoded: bool) -> bool:
    """Whether the data parsed from ``text`` may hold a lone surrogate.

    Only an escape (``\\uDFFF``) can make one in text decoded from UTF-8 (``decoded``); other
    text may hold one itself. The quick test for a backslash keeps the common case cheap, and the
    data is walked only when the text holds an escape of a surrogate (a file written with
    ``ensure_ascii`` escapes a character beyond U+FFFF as a pair of them).
    """
    if not decoded:
        try:
            text.encode("utf-8")  # quicker than a search of the text, and fails only on one
        except UnicodeEncodeError:
            return True
    return "\\" in text and _ESCAPE.search(text) is not None


def surrogate_at(text: str) -> tuple[int, int] | None:
    """The line and column (from 1) of the first lone surrogate in ``text``, if there is one."""
    m = _SURROGATE.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1


def _problem(path: str, char: str, *, key: bool = False) -> Problem:
    shown = ascii(char)[1:-1]
    if key:
        message = t(
            "字段名含有无法以 UTF-8 保存的字符 {shown}（单独的代理项），请删除或改正", shown=shown
        )
    else:
        message = t(
            "文字含有无法以 UTF-8 保存的字符 {shown}（单独的代理项），请删除或改正", shown=shown
        )
    return Problem(path=path, code="unwritable_text", message=message)


def unwritable(data: Any) -> list[Problem]:
    """A problem for every text in ``data`` (mappings, lists, scalars) that holds a lone
    surrogate, at its path (``members[3].name``)."""
    problems: list[Problem] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and (m := _SURROGATE.search(value)):
                problems.append(_problem(path, m.group()))
        elif isinstance(value, dict):
            items = []
            for k, v in value.items():
                name = str(k)
                if not name.isascii() and (m := _SURROGATE.search(name)):
                    name = _SURROGATE.sub(lambda c: ascii(c.group())[1:-1], name)
                    problems.append(
                        _problem(f"{path}.{name}" if path else name, m.group(), key=True)
                    )
                inner = f"{path}.{name}" if path else name
                items.append((inner, v))
            stack.extend(reversed(items))
        elif isinstance(value, list | tuple):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(value))))
    return problems
