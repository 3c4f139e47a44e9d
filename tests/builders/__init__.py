"""What the tests build from, in one place: paths, sample ledgers, the bundled example's check, and
the small record builders of the rule tests.

- ``ROOT``: the repository's root (``docs/``, ``benchmarks/`` are under it; the example is in
  the package, :mod:`tests.builders.example`).
- ``examples(n)``: how many examples a property runs: ``n`` by default, ten times as many under
  the ``thorough`` Hypothesis profile (``tests/conftest.py``).
- :mod:`tests.builders.sample`: the sample ledger, one valid record of every kind.
- :mod:`tests.builders.example`: the bundled example and its check, made once.
- :mod:`tests.builders.rules`: one-line records and a validated ledger for the rule tests, and
  helpers that check one rule.
- :mod:`tests.builders.dues`: the same for the boundary tests of the dues, lapse, membership,
  coverage and oversight rules (records with generated ids, findings keyed by subject and
  sub-period).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[2]
"""The repository's root: every path a test reads is taken from it, never from the test's own place."""


QUICK_EXAMPLES = 70
"""The examples of a property that names no number, in the default (``quick``) profile."""


def examples(n: int) -> int:
    """``n``, the examples a property runs by default, scaled by the Hypothesis profile loaded.

    The ``quick`` profile (the default) runs :data:`QUICK_EXAMPLES` examples where a test names
    none, ``thorough`` ten times as many: a property
    that names ``examples(40)`` runs 40 examples, or 400 with ``--hypothesis-profile=thorough``
    (or ``HYPOTHESIS_PROFILE=thorough``). Call it where the test module is imported, after the
    profile is loaded.
    """
    return max(1, n * (settings.default.max_examples or QUICK_EXAMPLES) // QUICK_EXAMPLES)
