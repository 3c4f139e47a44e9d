"""Where presentation hangs off the entities, without the entities importing it.

:class:`~dangjian.Finding`, :class:`~dangjian.Report` and :class:`~dangjian.Ledger` offer
``_repr_html_``, ``render``, ``to_frame`` and ``to_frames``; each calls one of the generic
functions here and knows nothing else of how it is shown. The presentation modules
(:mod:`dangjian.outputs`, ``dangjian._html``, ``dangjian._frames``) import the entities and
register their implementation for each entity class (:func:`functools.singledispatch`); importing
:mod:`dangjian` imports them, so the implementations are always there.

So the arrows run one way: presentation → entities → this module.
"""

from __future__ import annotations

from functools import singledispatch
from typing import TYPE_CHECKING

from dangjian.errors import Language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame", "frames", "html", "write"]


def _none(view: str, entity: object) -> NotImplementedError:
    return NotImplementedError(f"{type(entity).__name__} has no {view} view registered")


@singledispatch
def html(entity: object) -> str:
    """The HTML that a notebook shows for ``entity`` (its ``_repr_html_``)."""
    raise _none("HTML", entity)


@singledispatch
def write(entity: object, format: str, lang: Language) -> str | bytes:
    """``entity`` written in output format ``format`` (:meth:`Report.render`)."""
    raise _none(f"{format!r} output", entity)


@singledispatch
def frame(entity: object, lang: Language, labels: Language | None = None) -> pd.DataFrame:
    """``entity`` as one pandas data frame (:meth:`Report.to_frame`)."""
    raise _none("data frame", entity)


@singledispatch
def frames(
    entity: object, include_pii: bool, labels: Language | None = None
) -> dict[str, pd.DataFrame]:
    """``entity`` as data frames by name (:meth:`Ledger.to_frames`)."""
    raise _none("data frames", entity)
