"""Progress of work that takes more than a moment, on standard error, for a person watching.

The library reports its progress through :func:`track` (a loop over rules, tables, files) and
:func:`task` (one step of unknown length, such as reading a workbook). Nothing is shown unless
the caller asked for it with :func:`shown`, as the command line does: then, when the stream is a
terminal, ``--quiet`` was not given and tqdm is installed (the extra ``progress``), tqdm draws a
bar that it removes when the work is done. Otherwise both are as if they were not there, so that
a pipe, a file, a notebook or a test sees nothing of them:

>>> list(track([1, 2, 3], "counting"))
[1, 2, 3]
>>> with task("waiting"):
...     pass

:func:`notice` writes a line that is not an error (an entry that matched nothing, a sheet left
out) to standard error unless ``--quiet`` was given.

A command (``dangjian merge``, say) uses them as the loads and checks do::

    for path in track(paths, t("合并台账"), unit="file"):
        ...
    with task(t("载入 {path}", path=path)):
        ledger = load(path)
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterable, Iterator, Sized
from contextvars import ContextVar
from typing import IO, TypeVar

import attrs

from dangjian.i18n import SOURCE_LANGUAGE, Language, Message

__all__ = ["notice", "shown", "task", "track"]

T = TypeVar("T")


@attrs.frozen
class _Display:
    """Where progress goes (``stream`` is ``None``: nowhere) and the language it speaks."""

    stream: IO[str] | None
    quiet: bool
    lang: Language


_OFF = _Display(stream=None, quiet=False, lang=SOURCE_LANGUAGE)
"""Outside :func:`shown`: nothing drawn, notices said."""

_DISPLAY: ContextVar[_Display | None] = ContextVar("dangjian_progress", default=None)


def _display() -> _Display:
    return _DISPLAY.get() or _OFF


REFRESH_SECONDS = 0.5
"""How often a :func:`task` redraws its elapsed time."""


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed stream, or one that is not a file
        return False


def _has_tqdm() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def shown(
    stream: IO[str] | None = None, *, quiet: bool = False, lang: Language = SOURCE_LANGUAGE
) -> Iterator[bool]:
    """Within it, :func:`track` and :func:`task` draw their progress on ``stream`` (standard
    error by default) when it is a terminal, ``quiet`` is false and tqdm is installed;
    :func:`notice` is silent when ``quiet``. Yields whether progress is drawn.

    >>> import io
    >>> with shown(io.StringIO()) as drawn:  # not a terminal
    ...     drawn
    False
    """
    target = sys.stderr if stream is None else stream
    drawn = not quiet and _is_terminal(target) and _has_tqdm()
    token = _DISPLAY.set(_Display(stream=target if drawn else None, quiet=quiet, lang=lang))
    try:
        yield drawn
    finally:
        _DISPLAY.reset(token)


def _text(description: Message | str, lang: Language) -> str:
    return description if isinstance(description, str) else description.render(lang)


def track(
    items: Iterable[T],
    description: Message | str,
    *,
    total: int | None = None,
    unit: str = "it",
) -> Iterator[T]:
    """``items``, one by one; within :func:`shown`, with a bar of how many are done.

    Args:
        items: What the work goes through.
        description: What the work is, shown before the bar.
        total: How many ``items`` there are, when they have no ``len``.
        unit: What one item is (``rule``, ``table``, ``file``).
    """
    display = _display()
    if display.stream is None:
        yield from items
        return
    from tqdm import tqdm

    if total is None and isinstance(items, Sized):
        total = len(items)
    with tqdm(
        items,
        desc=_text(description, display.lang),
        total=total,
        unit=unit,
        file=display.stream,
        leave=False,
        dynamic_ncols=True,
    ) as bar:
        yield from bar


@contextlib.contextmanager
def task(description: Message | str) -> Iterator[None]:
    """One step of unknown length; within :func:`shown`, its description and the time it has
    taken so far, redrawn every :data:`REFRESH_SECONDS` until it is done."""
    display = _display()
    if display.stream is None:
        yield
        return
    from tqdm import tqdm

    done = threading.Event()
    with tqdm(
        desc=_text(description, display.lang),
        total=None,
        file=display.stream,
        leave=False,
        bar_format="{desc} {elapsed}",
        dynamic_ncols=True,
    ) as bar:

        def tick() -> None:
            while not done.wait(REFRESH_SECONDS):
                bar.refresh()

        ticker = threading.Thread(target=tick, name="dangjian-progress", daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()


def notice(text: str) -> None:
    """``text`` on a line of standard error, unless :func:`shown` was given ``quiet``: what is
    not an error but worth saying (an entry that matched nothing, a part not written)."""
    if not _display().quiet:
        print(text, file=sys.stderr)
