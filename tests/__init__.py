"""The tests, a package so that ``tests/io`` imports as ``tests.io`` and never as the standard ``io``."""
