"""The documentation site (mkdocs.yml): it builds with ``--strict``, lists every page, documents
every public name, and shows the pages' doctests and the docstrings as code and links.

The build is the one test that needs MkDocs (the ``docs`` extra, part of ``test``); it fails on
any warning of the build: a link to a page or heading that does not exist, a cross-reference of
a docstring to nothing, a docstring griffe cannot read, a page of docs/ left out of the nav.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import dangjian
from tests.builders import ROOT

DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"
FENCE = re.compile(r"^\s*(```|~~~)")
DIRECTIVE = re.compile(r"^::: (?P<module>[\w.]+)\n(?P<options>(?:[ ]{4}.*\n)*)", re.MULTILINE)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (``!relative``, ``!!python/…``)."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, s, node: None)


def _config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.load(CONFIG.read_text(encoding="utf-8"), _ConfigLoader)
    return config


def _nav_pages(entries: list[Any]) -> list[str]:
    pages: list[str] = []
    for entry in entries:
        values = entry.values() if isinstance(entry, dict) else [entry]
        for value in values:
            pages.extend(_nav_pages(value) if isinstance(value, list) else [value])
    return pages


def _doc_pages() -> set[str]:
    return {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}


def test_every_page_of_docs_is_in_the_nav_once_and_every_entry_is_a_page() -> None:
    """The strict build says so too (``validation: omitted_files``); this says it without MkDocs,
    naming the page to add to mkdocs.yml's nav."""
    nav = _nav_pages(_config()["nav"])
    assert sorted(p for p in set(nav) if nav.count(p) > 1) == []
    missing = sorted(_doc_pages() - set(nav))
    assert missing == [], f"add these pages to the nav of mkdocs.yml: {missing}"
    assert sorted(set(nav) - _doc_pages()) == [], "the nav of mkdocs.yml names pages that are gone"


def test_the_pages_doctests_are_code_blocks() -> None:
    """A ``>>>`` line outside a fenced block still runs as a doctest, but the site shows it as a
    block quote (and reads ``[0](x)`` in its output as a link): fence it as ```` ```pycon ````,
    with a blank line before the closing fence."""
    bare = []
    for page in sorted(DOCS.rglob("*.md")):
        in_fence = False
        for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), 1):
            if FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and line.lstrip().startswith(">>>"):
                bare.append(f"{page.relative_to(ROOT)}:{number}")
    assert bare == []


def _documented() -> list[tuple[ModuleType, list[str]]]:
    """Each ``::: module`` of the API reference, with the names it renders: the members it lists,
    none for ``members: false``, else the module's ``__all__``."""
    found = []
    for page in sorted((DOCS / "reference").glob("*.md")):
        for match in DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            module = importlib.import_module(match["module"])
            options = yaml.safe_load(textwrap.dedent(match["options"])) or {}
            members = options.get("options", {}).get("members", None)
            if members is None:
                members = list(getattr(module, "__all__", []))
            found.append((module, list(members or [])))
    return found


def test_every_public_name_is_in_the_api_reference() -> None:
    """Each name of ``dangjian.__all__`` is rendered on a page of docs/reference, where the module
    that holds it is rendered with its ``__all__`` (or lists it among its members)."""
    documented = _documented()
    assert documented, "no ::: directives found in docs/reference"
    rendered_ids = {id(getattr(module, name)) for module, names in documented for name in names}
    missing = [
        name
        for name in dangjian.__all__
        if name != "__version__" and id(getattr(dangjian, name)) not in rendered_ids
    ]
    assert missing == [], f"render these in docs/reference: {missing}"


def test_a_missing_page_or_public_name_would_be_found() -> None:
    """The helpers above can fail: a nav without a page, a directive rendering nothing."""
    assert _nav_pages([{"A": ["x.md", {"B": ["y.md"]}]}, "z.md"]) == ["x.md", "y.md", "z.md"]
    text = "::: dangjian.periods\n    options:\n      members: false\n\n::: dangjian.calendar\n"
    matches = list(DIRECTIVE.finditer(text))
    assert [m["module"] for m in matches] == ["dangjian.periods", "dangjian.calendar"]
    assert yaml.safe_load(textwrap.dedent(matches[0]["options"])) == {"options": {"members": False}}


def _extension() -> ModuleType:
    pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location(
        "griffe_markdown", ROOT / "tools/griffe_markdown.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_roles_become_cross_references_or_code() -> None:
    markdown = _extension().markdown
    known = {
        "check": "dangjian.check",
        "dangjian.check": "dangjian.check",
        "dangjian.report.Report.filter": "dangjian.report.Report.filter",
    }
    text = (
        "Runs :func:`check`, then :meth:`Report.filter <dangjian.report.Report.filter>`; "
        ":class:`~datetime.date` and :func:`~dangjian.check()` and :mod:`dangjian._views`."
    )
    assert markdown(text, known.get) == (
        "Runs [`check`][dangjian.check], then [`Report.filter`][dangjian.report.Report.filter]; "
        "`date` and [`check`][dangjian.check] and `dangjian._views`."
    )


def test_a_role_broken_over_two_lines_and_a_rest_link() -> None:
    markdown = _extension().markdown
    text = "the :attr:`Report.notices\n<x.Report.notices>` and `Hypothesis <https://hypothesis.works>`_"
    assert markdown(text, lambda name: name) == (
        "the [`Report.notices`][x.Report.notices] and [Hypothesis](https://hypothesis.works)"
    )


def test_bare_doctests_become_code_blocks_at_their_indentation() -> None:
    markdown = _extension().markdown
    text = "\n".join(
        [
            "Text:",
            "",
            "    >>> 1 + 1",
            "    2",
            "",
            "    >>> print('a')",
            "    a",
            "",
            "More text.",
            "",
            "```pycon",
            ">>> 'fenced already'",
            "```",
        ]
    )
    assert markdown(text, lambda name: None).split("\n") == [
        "Text:",
        "",
        "    ```pycon",
        "    >>> 1 + 1",
        "    2",
        "",
        "    >>> print('a')",
        "    a",
        "    ```",
        "",
        "More text.",
        "",
        "```pycon",
        ">>> 'fenced already'",
        "```",
    ]


@pytest.mark.site
def test_the_site_builds_strict(tmp_path: Path) -> None:
    """``mkdocs build --strict`` passes, and what it built holds the changelog, cross-references
    of the docstrings, and every public name; no docstring shows a reST role or a block quote
    made of a doctest."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings_handlers.python")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(site)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    complaints = [line for line in done.stderr.splitlines() if not line.startswith("INFO")]
    assert done.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(complaints)
    assert not any(line.startswith("WARNING") for line in done.stderr.splitlines())

    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "Unreleased" in changelog and "--8&lt;--" not in changelog

    reference = "\n".join(
        p.read_text(encoding="utf-8") for p in (site / "reference").rglob("*.html")
    )
    assert not re.search(r":(mod|func|class|meth|attr|data):`", reference)
    assert "<blockquote>" not in reference
    assert 'href="../periods/#dangjian.periods.Period"' in reference  # a role made a link
    ids = set(re.findall(r'id="(dangjian[\w.]*)"', reference))
    unrendered = [
        name
        for name in dangjian.__all__
        if name != "__version__" and not any(i.rsplit(".", 1)[-1] == name for i in ids)
    ]
    assert unrendered == []
    assert (site / "index.html").is_file() and not (site / "conftest.py").exists()


def test_the_attributes_section_becomes_the_attributes_docstrings() -> None:
    griffe = pytest.importorskip("griffe")
    extension = _extension()
    code = '''
class Record:
    """A record.

    Attributes:
        day: The day it was held.
        note: Not taken: the attribute says it itself.
    """
    day: int = 1
    note: str = ""
    """Free remarks."""
    other: int = 0
'''
    with griffe.temporary_visited_module(code) as module:
        record = module["Record"]
        extension.attributes_to_members(record)
        assert record.members["day"].docstring.value == "The day it was held."
        assert record.members["note"].docstring.value == "Free remarks."
        assert record.members["other"].docstring is None


def test_version_notes_and_literal_blocks() -> None:
    markdown = _extension().markdown
    text = "\n".join(
        [
            "Does it.",
            "",
            ".. versionadded:: 0.1",
            ".. versionchanged:: 0.2",
            "   Takes more,",
            "   and less.",
            "",
            "Example::",
            "",
            "    x = 1",
        ]
    )
    assert markdown(text, lambda name: None).split("\n") == [
        "Does it.",
        "",
        "*Added in version 0.1*.",
        "",
        "*Changed in version 0.2*: Takes more, and less.",
        "",
        "",
        "Example:",
        "",
        "    x = 1",
    ]
