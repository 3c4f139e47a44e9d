"""Helpers for testing tools built on dangjian.

:mod:`dangjian.testing.strategies` holds `Hypothesis <https://hypothesis.works>`_ strategies
that generate valid records and whole valid ledgers, so that users can property-test their own
checkers, reports and converters. Hypothesis is an optional dependency; install it with
``pip install "dangjian[testing]"``. This package itself imports nothing from Hypothesis, so
importing :mod:`dangjian.testing` works without it; importing
:mod:`dangjian.testing.strategies` without it raises :class:`ImportError`.

Example::

    from hypothesis import given
    from dangjian.testing.strategies import ledgers

    @given(ledgers())
    def test_my_report_never_crashes(ledger):
        my_report(ledger)
"""

__all__: list[str] = []
