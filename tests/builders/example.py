"""The bundled example (``src/dangjian/example``, written out by ``dangjian example DIR``) and its
check, made once.

The check is the one README.md and docs/examples.md run: the first half of 2020, as of
2020-07-15, the ``organ`` profile, the organisation's plan and its waivers. Ledgers and reports
are frozen, so one loaded ledger and one report serve every test (``conftest.py`` hands them
out as the session fixture ``example``).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import NamedTuple

import dangjian
import dangjian.example
from dangjian import Ledger, Report

EXAMPLES = Path(dangjian.example.__file__).resolve().parent
"""Where the package keeps the example: the files of the installed package, the one copy."""
EXAMPLE = EXAMPLES / dangjian.example.LEDGER
PLAN = EXAMPLES / dangjian.example.PLAN
WAIVERS = EXAMPLES / dangjian.example.WAIVERS
PERIOD = "2020H1"
AS_OF = dt.date(2020, 7, 15)


class Example(NamedTuple):
    """The example ledger and the report of its check."""

    ledger: Ledger
    report: Report


@functools.cache
def example_ledger() -> Ledger:
    """The example ledger, loaded once."""
    return dangjian.load(EXAMPLE)


@functools.cache
def checked_example() -> Example:
    """The example ledger and its check (see the module's docstring), made once."""
    ledger = example_ledger()
    report = dangjian.check(
        ledger,
        PERIOD,
        as_of=AS_OF,
        profile="organ",
        rules=[PLAN],
        waivers=dangjian.load_waivers(WAIVERS),
    )
    return Example(ledger, report)
