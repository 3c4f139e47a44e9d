"""The exceptions of dangjian and the problems they carry.

Every error that comes from bad input is a :class:`LedgerError` that lists *all* the problems
found, each with where it is (``meetings[3].date``) and what is wrong, in Chinese by default and
in English on request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

from dangjian._id_numbers import mask_resident_ids

__all__ = ["DangjianError", "Language", "LedgerError", "Problem", "ProblemsError", "RuleError"]

Language = Literal["zh", "en"]
"""The languages messages are available in: ``"zh"`` (the default) and ``"en"``."""


class DangjianError(Exception):
    """The base of every exception that dangjian raises on purpose.

    Text it carries is shown with any resident id in it masked.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*(mask_resident_ids(a) if isinstance(a, str) else a for a in args))


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with the input, and where it is.

    Attributes:
        path: Where the problem is, as a path into the ledger (``members[2].birth_date``); the
            empty string means the document as a whole.
        code: A stable, machine-readable name of the kind of problem (``"duplicate_id"``).
        message: What is wrong, in Chinese.
        message_en: What is wrong, in English.

    The path and messages often quote what the user wrote; any resident id in them is masked
    (:func:`~dangjian.model.resident_id.mask_resident_ids`) when the problem is made.
    """

    path: str = attrs.field(converter=mask_resident_ids)
    code: str
    message: str = attrs.field(converter=mask_resident_ids)
    message_en: str = attrs.field(converter=mask_resident_ids)

    def render(self, lang: Language = "zh") -> str:
        """The problem as one line: its path, then its message in ``lang``."""
        text = self.message if lang == "zh" else self.message_en
        where = self.path or ("（整个文件）" if lang == "zh" else "(whole document)")
        return f"{where}: {text}"


class ProblemsError(DangjianError):
    """Input with problems; :attr:`problems` lists every one of them.

    Args:
        problems: Every problem found, in the order they were found.
        source: The file the input came from, when there was one.
    """

    _what = ("输入", "the input")

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self.render())

    def render(self, lang: Language = "zh") -> str:
        """All the problems, one a line, under a heading that counts them."""
        n = len(self.problems)
        what_zh, what_en = self._what
        if lang == "zh":
            head = f"{what_zh}有 {n} 处错误"
            if self.source:
                head = f"{self.source}：{head}"
        else:
            verb = "have" if what_en.endswith("s") else "has"
            head = f"{what_en} {verb} {n} problem{'s' if n != 1 else ''}"
            if self.source:
                head = f"{self.source}: {head}"
        lines = [mask_resident_ids(head) + (":" if lang == "en" else "：")]
        lines += [f"  - {p.render(lang)}" for p in self.problems]
        return "\n".join(lines)


class LedgerError(ProblemsError):
    """A ledger could not be loaded or is not consistent; :attr:`problems` lists every reason."""

    _what = ("台账", "the ledger")


class RuleError(ProblemsError):
    """A rule file, a waiver file or a profile is not valid; :attr:`problems` lists every reason."""

    _what = ("规则", "the rules")
