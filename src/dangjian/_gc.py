"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block, if it is running.

    Loading and checking a ledger make millions of objects that all stay alive, and the
    collector would walk them again and again as they pile up, for nothing: neither makes
    reference cycles. Pausing it halves the time a ledger of hundreds of thousands of records
    takes to load (see docs/performance.md). It is restarted when the block ends, however it
    ends, unless the caller had stopped it already. The collector is process-wide: work in
    another thread meanwhile runs without it too.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
