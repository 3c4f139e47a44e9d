"""What the tests build from, in one place: paths, sample ledgers, the bundled example's check, and
the small record builders of the rule tests.

- ``ROOT``: the repository's root (``examples/``, ``docs/``, ``benchmarks/`` are under it).
- :mod:`tests.builders.rules`: one-line records and a validated ledger for the rule tests, and
  helpers that check one rule.
- :mod:`tests.builders.dues`: the same for the boundary tests of the dues, lapse, membership,
  coverage and oversight rules (records with generated ids, findings keyed by subject and
  sub-period).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository's root: every path a test reads is taken from it, never from the test's own place."""
