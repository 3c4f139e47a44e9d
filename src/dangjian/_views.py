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

import threading
from collections.abc import Callable
from functools import singledispatch
from typing import TYPE_CHECKING, Any

from dangjian.errors import Language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame", "frames", "html", "load_with", "write"]

_loaders: list[Callable[[], None]] = []
"""What imports the presentation modules, not yet called."""
_loading = threading.RLock()


def load_with(loader: Callable[[], None]) -> None:
    """Have ``loader`` (which imports modules that register views) called the first time a view
    is asked for that has no implementation registered."""
    _loaders.append(loader)


def _registered(generic: Any, entity: object) -> Callable[..., Any] | None:
    """The implementation of ``generic`` for ``entity`` other than its fallback, once the loaders
    not yet called have been (``None``: there is none). Another thread may be calling them: this
    waits for it."""
    with _loading:
        while _loaders:
            loader = _loaders.pop(0)
            try:
                loader()
            except BaseException:
                _loaders.insert(0, loader)  # to be tried again by the next view asked for
                raise
    found: Callable[..., Any] = generic.dispatch(type(entity))
    return None if found is generic.registry[object] else found


def _none(view: str, entity: object) -> NotImplementedError:
    return NotImplementedError(f"{type(entity).__name__} has no {view} view registered")


@singledispatch
def html(entity: object) -> str:
    """The HTML that a notebook shows for ``entity`` (its ``_repr_html_``)."""
    if (found := _registered(html, entity)) is None:
        raise _none("HTML", entity)
    return str(found(entity))


@singledispatch
def write(entity: object, format: str, lang: Language) -> str | bytes:
    """``entity`` written in output format ``format`` (:meth:`Report.render`)."""
    if (found := _registered(write, entity)) is None:
        raise _none(f"{format!r} output", entity)
    out: str | bytes = found(entity, format, lang)
    return out


@singledispatch
def frame(entity: object, lang: Language, labels: Language | None = None) -> pd.DataFrame:
    """``entity`` as one pandas data frame (:meth:`Report.to_frame`)."""
    if (found := _registered(frame, entity)) is None:
        raise _none("data frame", entity)
    out: pd.DataFrame = found(entity, lang, labels)
    return out


@singledispatch
def frames(
    entity: object, include_pii: bool, labels: Language | None = None
) -> dict[str, pd.DataFrame]:
    """``entity`` as data frames by name (:meth:`Ledger.to_frames`)."""
    if (found := _registered(frames, entity)) is None:
        raise _none("data frames", entity)
    out: dict[str, pd.DataFrame] = found(entity, include_pii, labels)
    return out
