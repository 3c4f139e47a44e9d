"""The exceptions of dangjian and the problems they carry.

Every error that comes from bad input is a :class:`LedgerError` that lists *all* the problems
found, each with where it is (``meetings[3].date``) and what is wrong, in Chinese by default and
in English on request.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from dangjian._id_numbers import mask_resident_ids
from dangjian.i18n import Language, Message, bilingual, t, tn

__all__ = [
    "DangjianError",
    "Language",
    "LedgerError",
    "LedgerNotice",
    "Problem",
    "ProblemsError",
    "RuleError",
]


class DangjianError(Exception):
    """The base of every exception that dangjian raises on purpose.

    Made with one :class:`~dangjian.i18n.Message` (``DangjianError(t("…"))``), it keeps it as
    :attr:`msg`; :meth:`render` gives it in one language, ``str(error)`` in Chinese with the
    English after it in brackets (for a log or a traceback read by either). Text it carries is
    shown with any resident id in it masked.
    """

    msg: Message | None
    """The message the error was made with, or ``None`` when it was made with plain text."""

    def __init__(self, *args: object) -> None:
        self.msg = args[0] if len(args) == 1 and isinstance(args[0], Message) else None
        if self.msg is not None:
            zh, en = self.msg.render(), self.msg.render("en")
            args = (zh if zh == en else f"{zh} ({en})",)
        super().__init__(*(mask_resident_ids(a) if isinstance(a, str) else a for a in args))

    def render(self, lang: Language = "zh") -> str:
        """The error's message in ``lang`` (its text as given when it was made with text)."""
        if self.msg is None:
            return str(self)
        return mask_resident_ids(self.msg.render(lang))


@attrs.frozen(init=False)
class Problem:
    """One thing wrong with the input, and where it is.

    Make one with a message, ``Problem(path=..., code=..., message=t("缺少必填字段"))``; the
    older form with both texts given, ``message="…", message_en="…"``, still works.

    Attributes:
        path: Where the problem is, as a path into the ledger (``members[2].birth_date``); the
            empty string means the document as a whole.
        code: A stable, machine-readable name of the kind of problem (``"duplicate_id"``).
        msg: What is wrong, as a :class:`~dangjian.i18n.Message` (``message=`` when made).

    The path and messages often quote what the user wrote; any resident id in them is masked
    (:func:`~dangjian.model.resident_id.mask_resident_ids`) when the problem is made (the path)
    or shown (the message).
    """

    path: str = attrs.field(converter=mask_resident_ids)
    code: str
    msg: Message = attrs.field(alias="message", repr=lambda m: mask_resident_ids(repr(m)))

    def __init__(
        self, *, path: str, code: str, message: Message | str, message_en: str | None = None
    ) -> None:
        if message.__class__ is not Message:
            message = bilingual(message, message_en)  # type: ignore[arg-type]
        self.__attrs_init__(path=path, code=code, message=message)

    @property
    def message(self) -> str:
        """What is wrong, in Chinese."""
        return self.text("zh")

    @property
    def message_en(self) -> str:
        """What is wrong, in English."""
        return self.text("en")

    def text(self, lang: Language = "zh") -> str:
        """What is wrong, in ``lang``, with any resident id in it masked."""
        return mask_resident_ids(self.msg.render(lang))

    def render(self, lang: Language = "zh") -> str:
        """The problem as one line: its path, then its message in ``lang``."""
        where = self.path or _WHOLE.render(lang)
        return f"{where}: {self.text(lang)}"


_WHOLE = t("（整个文件）")


class ProblemsError(DangjianError):
    """Input with problems; :attr:`problems` lists every one of them.

    Args:
        problems: Every problem found, in the order they were found.
        source: The file the input came from, when there was one.
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self.render())

    @staticmethod
    def _heading(n: int) -> Message:
        return tn("输入有 {n} 处错误", "输入有 {n} 处错误", n)

    def render(self, lang: Language = "zh") -> str:
        """All the problems, one a line, under a heading that counts them."""
        head = self._heading(len(self.problems))
        if self.source:
            head = t("{source}：{heading}", source=self.source, heading=head)
        lines = [mask_resident_ids(t("{heading}：", heading=head).render(lang))]
        lines += [f"  - {p.render(lang)}" for p in self.problems]
        return "\n".join(lines)


class LedgerError(ProblemsError):
    """A ledger could not be loaded or is not consistent; :attr:`problems` lists every reason."""

    @staticmethod
    def _heading(n: int) -> Message:
        return tn("台账有 {n} 处错误", "台账有 {n} 处错误", n)


class RuleError(ProblemsError):
    """A rule file, a waiver file or a profile is not valid; :attr:`problems` lists every reason."""

    @staticmethod
    def _heading(n: int) -> Message:
        return tn("规则有 {n} 处错误", "规则有 {n} 处错误", n)


class LedgerNotice(UserWarning):
    """Something in the input worth saying that is not an error: the ledger loads all the same.

    Issued with :func:`warnings.warn` while a file is read (``dangjian`` prints it on stderr;
    ``warnings.catch_warnings(record=True)`` collects them); :attr:`problem` says where and
    what, as a problem of an error does.

    Args:
        problem: Where and what.
        source: The file read, when there is one.
    """

    def __init__(self, problem: Problem, *, source: str | None = None) -> None:
        self.problem = problem
        self.source = source
        zh, en = problem.render("zh"), problem.render("en")
        text = zh if zh == en else f"{zh} ({en})"
        super().__init__(f"{source}: {text}" if source else text)

    def render(self, lang: Language = "zh") -> str:
        """The notice as one line in ``lang``: the file, where in it, and what."""
        text = self.problem.render(lang)
        return f"{self.source}: {text}" if self.source else text
