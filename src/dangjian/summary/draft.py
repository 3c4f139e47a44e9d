"""The work summary: its figures (:class:`~dangjian.summary.figures.Figures`) and the writers
of its draft, Markdown and Word.

The figures know nothing of the draft: the writers (:mod:`dangjian.summary.render`,
:mod:`dangjian.summary.word`) read the figures, and this class, above both, offers them as methods.
"""

from __future__ import annotations

import datetime as dt
import os

import attrs

from dangjian.i18n import SOURCE_LANGUAGE, Language
from dangjian.summary.figures import Figures
from dangjian.summary.render import markdown
from dangjian.summary.word import write_docx

__all__ = ["WorkSummary"]


@attrs.frozen(kw_only=True)
class WorkSummary(Figures):
    """The figures of a work summary (工作总结) of one period, counted from a ledger, and its draft.

    Made by :func:`dangjian.summarize`. The figures are in :attr:`sections`, one for each part of
    the draft; look one up by its key (``summary["talks"]``, a
    :class:`~dangjian.summary.figures.Figure`), or take its record as an attribute
    (``summary.talks``, a :class:`~dangjian.summary.figures.Count`). :meth:`to_markdown`,
    :meth:`to_json` and :meth:`to_docx` write the draft and the data.
    """

    def to_markdown(self, lang: Language = SOURCE_LANGUAGE) -> str:
        """The draft in Markdown: the five parts, then a table of every figure and its records.

        Its texts are in ``lang`` (Chinese by default; any language with a catalog, see
        :mod:`dangjian.i18n`); the ledger's own text is shown as it is.
        """
        return markdown(self, lang)

    def to_docx(
        self,
        path: str | os.PathLike[str],
        *,
        overwrite: bool = True,
        lang: Language = SOURCE_LANGUAGE,
        reference: str | os.PathLike[str] | None = None,
        author: str | None = None,
        created: dt.datetime | None = None,
    ) -> None:
        """Write the draft in ``lang`` as a Word document to ``path``, replacing the file in one
        step: a 公文 (GB/T 9704) on A4, or in the styles of the document ``reference``. Its
        metadata names the organisation (or ``author``) and the day it was made (``created``,
        now by default).

        Raises:
            DangjianError: python-docx is not installed (``pip install "dangjian[docx]"``), or
                ``overwrite`` is false and the file exists.
        """
        write_docx(
            self,
            path,
            overwrite=overwrite,
            lang=lang,
            reference=reference,
            author=author,
            created=created,
        )

    def __repr__(self) -> str:
        """One line: the organisation, the period and how many figures it has and lacks; the
        draft is :meth:`to_markdown`, which a notebook shows."""
        figures = self.figures()
        return (
            f"<WorkSummary {self.organisation} {self.period.label()}：{len(self.sections)}部分，"
            f"{len(figures)}项数据，缺{sum(f.missing for f in figures)}项>"
        )

    def _repr_markdown_(self) -> str:
        return self.to_markdown()
