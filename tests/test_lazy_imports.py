"""``import dangjian`` imports its public names when they are first used, and the presentation
(output formats, HTML, data frames) when a view is first asked for; each test that looks at what
was imported runs in a new interpreter, whose ``sys.modules`` no other test has filled."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import dangjian
from tests.builders import ROOT
from tests.builders.example import AS_OF, EXAMPLE, PERIOD

PRESENTATION = (
    "dangjian.outputs",
    "dangjian._html",
    "dangjian._frames",
    "dangjian.summary",
    "dangjian.scoring",
    "dangjian.planning",
    "dangjian.charts",
    "tabulate",
)
"""Modules that neither ``import dangjian`` nor a check of tables needs."""


def _run(script: str) -> str:
    """What ``script`` prints, run by a new interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout.strip()


def _imported_after(statement: str) -> set[str]:
    """The modules of :data:`PRESENTATION` imported after ``statement``."""
    out = _run(f"import sys\n{statement}\nprint(sorted(sys.modules))")
    return set(PRESENTATION) & set(ast.literal_eval(out))


@pytest.mark.parametrize("statement", ["import dangjian", "import dangjian.tables"])
def test_importing_the_package_imports_no_presentation(statement: str) -> None:
    assert _imported_after(statement) == set()


def test_a_public_name_imports_only_its_part() -> None:
    assert _imported_after("from dangjian import Ledger, Period, check") == set()
    assert _imported_after("from dangjian import summarize") == {"dangjian.summary"}


def test_the_views_are_there_when_asked_for_whatever_was_imported() -> None:
    """No module of the presentation is imported until a view is asked for, and then the view
    is there: the entities' methods find it, the user imports nothing for it."""
    out = _run(
        f"""
        import datetime, sys
        from dangjian.io import load
        from dangjian.rules import check

        ledger = load({str(EXAMPLE)!r})
        report = check(ledger, {PERIOD!r}, as_of=datetime.date.fromisoformat({AS_OF.isoformat()!r}))
        print("dangjian.outputs" in sys.modules, "dangjian._html" in sys.modules)
        print(report.findings[0]._repr_html_().startswith('<div class="dangjian-finding">'))
        print(ledger._repr_html_().startswith('<div class="dangjian-ledger">'))
        print(report.render("json").startswith("{{"), len(report.to_frame()) == len(report))
        print(set(ledger.to_frames()) >= {{"members", "meetings"}})
        print("dangjian.outputs" in sys.modules, "dangjian._html" in sys.modules)
        """
    )
    assert out.split("\n") == ["False False", "True", "True", "True True", "True", "True True"]


def test_every_public_name_is_there_and_listed() -> None:
    out = _run(
        """
        import dangjian
        names = set(dir(dangjian))
        print(sorted(set(dangjian.__all__) - names))
        print(all(getattr(dangjian, n) is not None for n in dangjian.__all__))
        ns = {}
        exec("from dangjian import *", ns)
        print(sorted(set(dangjian.__all__) - set(ns)))
        print(dangjian.rules.check is dangjian.check, dangjian.outputs.formats is not None)
        """
    )
    assert out.split("\n") == ["[]", "True", "[]", "True True"]


def test_a_public_name_is_the_object_of_its_module() -> None:
    import importlib

    for name in dangjian.__all__:
        if name != "__version__":
            module = importlib.import_module(dangjian._WHERE[name])
            assert getattr(dangjian, name) is getattr(module, name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        dangjian.Nothing  # noqa: B018
    assert not hasattr(dangjian, "tables_of_nothing")


def test_the_imports_for_type_checkers_name_the_same_as_the_table() -> None:
    """The imports under ``TYPE_CHECKING`` (what mypy and the reference pages read) and
    ``_PLACES`` (what is imported) name the same names in the same modules, and ``__all__``
    lists them all."""
    tree = ast.parse((ROOT / "src" / "dangjian" / "__init__.py").read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module
                typed.update((a.name, imp.module) for a in imp.names)
    assert typed == dangjian._WHERE
    assert set(typed) | {"__version__"} == set(dangjian.__all__)


def test_a_check_of_tables_imports_no_presentation(tmp_path: Path) -> None:
    pytest.importorskip("ibis")
    from dangjian.tables.parquet import export
    from tests.builders.example import example_ledger

    export(example_ledger(), tmp_path / "tables")
    found = _imported_after(
        "import datetime\n"
        "from dangjian.tables import check\n"
        f"r = check({str(tmp_path / 'tables')!r}, {PERIOD!r}, "
        f"as_of=datetime.date.fromisoformat({AS_OF.isoformat()!r}))\n"
        "assert len(r) > 0 and r.counts()"
    )
    assert found == set()


def test_threads_asking_for_their_first_views_at_once_all_get_them() -> None:
    out = _run(
        f"""
        from concurrent.futures import ThreadPoolExecutor
        from dangjian.io import load

        ledger = load({str(EXAMPLE)!r})
        with ThreadPoolExecutor(8) as pool:
            shown = list(pool.map(lambda _: ledger._repr_html_(), range(8)))
        print(len(set(shown)), shown[0].startswith('<div class="dangjian-ledger">'))
        """
    )
    assert out == "1 True"


def test_the_version_is_read_when_asked_for() -> None:
    """``import dangjian`` does not read the installed metadata; ``__version__`` does, once."""
    out = _run(
        """
        import sys, dangjian
        print("importlib.metadata" in sys.modules)
        from dangjian import __version__
        print(__version__ == dangjian.__version__ != "", "importlib.metadata" in sys.modules)
        """
    )
    assert out.split("\n") == ["False", "True True"]
