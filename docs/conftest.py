"""The pages' examples (doctests) run where a reader runs them: in a directory where
``dangjian example examples`` has written the bundled example, so that ``examples/x-bureau-2020h1.yaml``
and the other paths the pages name are there, as they are for the reader after that command."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian.cli import main


@pytest.fixture(scope="session")
def readers_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding what ``dangjian example examples`` writes, made once per process."""
    here = tmp_path_factory.mktemp("reader")
    assert main(["example", str(here / "examples")]) == 0
    return here


@pytest.fixture(autouse=True)
def _in_readers_directory(readers_directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(readers_directory)
