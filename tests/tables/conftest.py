"""The real backends of the table tests, one of each per test process (see
``tests/builders/backends.py``): ``postgres_url``, a PostgreSQL server of its own, and ``spark``,
a local-mode SparkSession. Either skips the tests that need it when it cannot be started, except
in CI (``CI`` set), where they fail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.builders.backends import postgres_server, spark_session


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server started for the session (``postgresql://…``)."""
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local-mode SparkSession, one per test process."""
    with spark_session() as session:
        yield session
