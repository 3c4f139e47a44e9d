"""Shared fixtures, the hypothesis profiles and the ``--update-snapshots`` option.

The tests mirror the package: ``tests/model``, ``tests/io``, ``tests/rules``, ``tests/summary``,
``tests/testing`` test those packages of ``src/dangjian``; ``tests/test_<module>.py`` a top-level
module (ledger, periods, calendar, report, cli, charts, frames, html); ``tests/docs``,
``tests/example``, ``tests/benchmarks`` and ``tests/adversarial`` the docs, the bundled example,
the benchmarks' data and hostile input. docs/testing.md has the whole map.

What the fixtures hand out is built in ``tests/builders`` (import from there where a fixture
cannot reach): ``make_ledger`` and ``set_at`` (the sample ledger, ``tests/builders/sample.py``),
``example`` (the bundled example and its check, ``tests/builders/example.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import hypothesis
import pytest

from dangjian import Ledger
from tests.builders import QUICK_EXAMPLES
from tests.builders.example import Example, checked_example
from tests.builders.sample import build_ledger, replace_at

# HYPOTHESIS_PROFILE=thorough (or --hypothesis-profile=thorough) runs the properties far longer.
hypothesis.settings.register_profile("quick", max_examples=QUICK_EXAMPLES)
hypothesis.settings.register_profile("thorough", max_examples=10 * QUICK_EXAMPLES, deadline=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


@pytest.fixture(scope="session")
def make_ledger() -> Callable[..., Ledger]:
    """Build the sample ledger, overriding whole fields: ``make_ledger(meetings=())``."""
    return build_ledger


@pytest.fixture(scope="session")
def set_at() -> Callable[[Any, str, Any], Any]:
    """Replace one value deep inside a ledger: ``set_at(ledger, "members[0].branch", "x")``."""
    return replace_at


@pytest.fixture(scope="session")
def example() -> Example:
    """The bundled example ledger and the report of its check: ``ledger, report = example``."""
    return checked_example()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite the reviewed snapshots from the current output (review the diff!)",
    )
