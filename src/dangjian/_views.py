"""Where presentation hangs off the entities, without the entities importing it.

:class:`~dangjian.Finding`, :class:`~dangjian.Report` and :class:`~dangjian.Ledger` offer
``_repr_html_``, ``render``, ``to_frame`` and ``to_frames``; each calls one of the generic
functions here and knows nothing else of how it is shown. The presentation modules
(:mod:`dangjian.outputs`, ``dangjian._html``, ``dangjian._frames``) import the entities and
register their implementation for each entity class (:func:`functools.singledispatch`). They are
imported the first time a view is asked for, not before (a check of tables or a command that
writes nothing needs none of them): importing :mod:`dangjian` gives this module the function that
imports them (:func:`load_with`), which each generic function calls when it finds no
implementation for its entity, and then looks again. So the implementations are always there when
they are asked for, whatever the program imported.

So the arrows run one way: presentation → entities → this module (the package ``dangjian``
imports both).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import TYPE_CHECKING

from dangjian.errors import Language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame", "frames", "html", "load_with", "write"]

_loaders: list[Callable[[], None]] = []
"""What imports the presentation modules, not yet called."""


def load_with(loader: Callable[[], None]) -> None:
    """Have ``loader`` (which imports modules that register views) called the first time a view
    is asked for that has no implementation registered."""
    _loaders.append(loader)


def _loaded() -> bool:
    """Call the loaders not yet called; whether there were any (then the implementations they
    registered are worth looking for again)."""
    if not _loaders:
        return False
    while _loaders:
        _loaders[0]()
        _loaders.pop(0)
    return True


def _none(view: str, entity: object) -> NotImplementedError:
    return NotImplementedError(f"{type(entity).__name__} has no {view} view registered")


@singledispatch
def html(entity: object) -> str:
    """The HTML that a notebook shows for ``entity`` (its ``_repr_html_``)."""
    if _loaded():
        return html(entity)
    raise _none("HTML", entity)


@singledispatch
def write(entity: object, format: str, lang: Language) -> str | bytes:
    """``entity`` written in output format ``format`` (:meth:`Report.render`)."""
    if _loaded():
        return write(entity, format, lang)
    raise _none(f"{format!r} output", entity)


@singledispatch
def frame(entity: object, lang: Language, labels: Language | None = None) -> pd.DataFrame:
    """``entity`` as one pandas data frame (:meth:`Report.to_frame`)."""
    if _loaded():
        return frame(entity, lang, labels)
    raise _none("data frame", entity)


@singledispatch
def frames(
    entity: object, include_pii: bool, labels: Language | None = None
) -> dict[str, pd.DataFrame]:
    """``entity`` as data frames by name (:meth:`Ledger.to_frames`)."""
    if _loaded():
        return frames(entity, include_pii, labels)
    raise _none("data frames", entity)
