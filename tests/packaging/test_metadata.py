"""The package's metadata: the version declared once (pyproject.toml) and read from the installed
metadata, the license file and the classifiers."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

import dangjian
from tests.builders import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_version_is_declared_once_and_read_from_the_metadata() -> None:
    assert dangjian.__version__ == version("dangjian") == PROJECT["version"]
    written = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "src").rglob("*.py")
        if PROJECT["version"] in path.read_text(encoding="utf-8")
    ]
    assert written == []


def test_the_license_file_is_the_mit_license_the_metadata_names() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 dangjian maintainers\n")
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_classifiers_agree_with_the_rest_of_the_metadata() -> None:
    classifiers = PROJECT["classifiers"]
    assert classifiers == sorted(classifiers)
    assert {
        "Natural Language :: Chinese (Simplified)",
        "Operating System :: OS Independent",
        "Typing :: Typed",
    } <= set(classifiers)
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the expression
    [minimum] = re.findall(r">=3\.(\d+)$", PROJECT["requires-python"])
    minors = [int(c.rpartition(".")[2]) for c in classifiers if re.search(r"Python :: 3\.\d+$", c)]
    assert minors and min(minors) == int(minimum)
    assert (ROOT / "src" / "dangjian" / "py.typed").exists()
