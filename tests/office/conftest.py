"""The documents dangjian writes for the bundled example, as an office opens them: written with
the command line, as a user writes them, then converted to PDF by LibreOffice
(``tests/builders/office.py``).

``office`` hands out a :class:`Documents`: ``office.source(name)`` the file dangjian wrote,
``office.pdf(name)`` the PDF LibreOffice made of it, each made once per test process, when first
asked for. Without LibreOffice the tests skip, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from dangjian.cli import main
from tests.builders.example import AS_OF, EXAMPLE, PERIOD, PLAN, WAIVERS
from tests.builders.office import LETTER_LOCALE, OFFICE_LOCALE, Pdf, read_pdf, to_pdf

DOCUMENTS = ("summary", "template", "workbook", "check-xlsx", "check-csv")
"""The documents: the work summary (Word), the blank ledger template and the example's ledger
workbook (Excel), the check's workbook and its CSV."""

_CHECK = [
    "check",
    str(EXAMPLE),
    "--period",
    PERIOD,
    "--profile",
    "organ",
    "--rules",
    str(PLAN),
    "--waivers",
    str(WAIVERS),
    "--as-of",
    AS_OF.isoformat(),
]


class Documents:
    """The documents of :data:`DOCUMENTS`, written into ``root`` and converted when first asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sources: dict[str, Path] = {}
        self._pdfs: dict[str, Pdf] = {}

    def _run(self, *argv: str) -> int:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return main(list(argv))

    def source(self, name: str) -> Path:
        """The file dangjian wrote for document ``name``."""
        if name not in self._sources:
            self._sources[name] = self._write(name)
        return self._sources[name]

    def _write(self, name: str) -> Path:
        out = self.root / "written"
        out.mkdir(exist_ok=True)
        if name == "summary":
            path = out / "summary.docx"
            argv = ["summary", *_CHECK[1:], "--format", "docx", "--output", str(path)]
            assert self._run(*argv) == 0
        elif name == "template":
            path = out / "template.xlsx"
            assert self._run("template", str(path)) == 0
        elif name == "workbook":
            # `dangjian example DIR` writes the example's ledger as a workbook beside its YAML
            assert self._run("example", str(out / "example")) == 0
            path = out / "example" / f"{EXAMPLE.stem}.xlsx"
        elif name in ("check-xlsx", "check-csv"):
            path = out / f"{name}.{name.split('-')[1]}"
            argv = [*_CHECK, "--format", name.split("-")[1], "--output", str(path)]
            assert self._run(*argv) == 1  # the example fails some rules
        else:
            raise KeyError(name)
        assert path.is_file(), f"dangjian wrote no {path.name}"
        return path

    def pdf(self, name: str) -> Pdf:
        """Document ``name`` converted to PDF by LibreOffice and read back. A CSV names no paper:
        it is opened as an office in China opens it; every other document under a locale whose
        default paper is US Letter, so that its A4 is its own."""
        if name not in self._pdfs:
            source = self.source(name)
            locale = OFFICE_LOCALE if source.suffix == ".csv" else LETTER_LOCALE
            self._pdfs[name] = read_pdf(to_pdf(source, self.root / "pdf" / name, locale=locale))
        return self._pdfs[name]


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Documents:
    """The documents of the example, written and converted to PDF when first asked for."""
    return Documents(tmp_path_factory.mktemp("office"))
