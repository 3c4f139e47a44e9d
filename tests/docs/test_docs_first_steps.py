"""The first commands a reader runs (README.md's first line, docs/index.md's first steps) are the
ones ``dangjian example examples`` writes the files for and suggests next."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dangjian.cli import ENV_LANG, main
from tests.builders import ROOT

_FENCE = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _commands(page: str) -> list[str]:
    """The commands of the first ``sh`` block of ``page``: comments dropped, continued lines
    joined, each ``&&`` apart."""
    [block, *_] = _FENCE.findall((ROOT / page).read_text(encoding="utf-8"))
    text = re.sub(r"\\\n\s*", "", block)
    lines = [line.partition("#")[0].strip() for line in text.splitlines()]
    return [part.strip() for line in lines if line for part in line.split("&&")]


@pytest.fixture
def suggested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> str:
    """The command ``dangjian example examples`` suggests, run where the reader runs it."""
    monkeypatch.delenv(ENV_LANG, raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["example", "examples"]) == 0
    return capsys.readouterr().out.splitlines()[-1].partition("：")[2]


def test_the_readme_installs_writes_the_example_and_runs_the_check_it_suggests(
    suggested: str,
) -> None:
    commands = _commands("README.md")
    assert commands[:6] == [
        "python3 -m venv .venv",
        ". .venv/bin/activate",
        "pip install .",
        "dangjian example examples",
        suggested,
        "python3 -m venv .venv",  # the second command: the tests
    ]


def test_the_first_steps_of_the_docs_are_the_same(suggested: str) -> None:
    commands = _commands("docs/index.md")
    assert commands[1:] == ["dangjian example examples", suggested]
