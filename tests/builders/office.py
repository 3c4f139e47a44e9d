"""Documents as an office sees them: converted to PDF by LibreOffice and read back from the PDF.

- :func:`to_pdf` converts a file with ``soffice --headless --convert-to pdf``, each call with a
  user profile of its own in a temporary directory (pytest-xdist runs several workers at once,
  and LibreOffice refuses a profile another process holds). It converts under a locale whose
  default paper is US Letter (:data:`LETTER_LOCALE`), so that a page of A4 in the PDF is the
  document's own choice, not LibreOffice's default; a CSV, which names no paper, is opened as an
  office in China opens it (:data:`OFFICE_LOCALE`).
- :func:`read_pdf` reads the PDF with pypdf: the text and the size of each page, its metadata.
- :func:`missing_glyphs` finds the characters drawn with no glyph of their own (a box, "tofu", or
  nothing): the text of a PDF still says 中 where the page shows a box, so the text alone cannot
  tell. It reads the fonts the PDF embeds with fontTools.
- :func:`ids_and_names` lists every record id and every name a ledger holds; :func:`whole_ids`
  and :func:`whole_names` find those a text holds unbroken.

LibreOffice missing makes :func:`to_pdf` skip the test, except in CI (``CI`` set), where it fails
(:func:`unavailable`, as ``tests/tables/conftest.py`` does for PostgreSQL); ``.ci/run`` installs
it.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import pytest

from dangjian import Ledger

__all__ = [
    "A4",
    "LETTER_LOCALE",
    "OFFICE_LOCALE",
    "Pdf",
    "SheetContent",
    "document_text",
    "headings",
    "ids_and_names",
    "is_a4",
    "layout_pages",
    "missing_glyphs",
    "read_pdf",
    "sheet_contents",
    "soffice",
    "squeezed",
    "to_pdf",
    "unavailable",
    "whole_ids",
    "whole_names",
]

A4 = (595.28, 841.89)
"""A4 in PDF points (210 mm × 297 mm), portrait."""
LETTER_LOCALE = "en_US.UTF-8"
"""LibreOffice's default paper under this locale is US Letter (612 × 792 pt)."""
OFFICE_LOCALE = "zh_CN.UTF-8"
"""The locale of an office in China: LibreOffice's default paper there is A4."""

# the characters of a record id (tests/office checks that every id of the example is made of them)
ID_CHARS = "A-Za-z0-9_-"
_ID_TOKEN = re.compile(f"[{ID_CHARS}]+")
# what LibreOffice or a writer may put for a hyphen or a space that a reader sees as one
_SAME_TO_A_READER = str.maketrans({"\u2011": "-", "\u2010": "-", "\u00a0": " ", "\u202f": " "})


def unavailable(reason: str) -> NoReturn:
    """Skip the test for ``reason``; fail it instead in CI (``CI`` set), as the table tests do
    for a backend that cannot start (``tests.builders.backends.unavailable``)."""
    if os.environ.get("CI"):
        pytest.fail(f"in CI the office tests must run: {reason}", pytrace=False)
    pytest.skip(reason)


def soffice() -> str | None:
    """The LibreOffice program on ``PATH`` (``soffice`` or ``libreoffice``), or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(source: Path, outdir: Path, *, locale: str = LETTER_LOCALE) -> Path:
    """Convert ``source`` to PDF in ``outdir`` with LibreOffice headless and return its path.

    A ``.csv`` is read as the check writes it: comma-separated, double quotes, UTF-8. Skips the
    test when LibreOffice is not installed (fails it in CI)."""
    program = soffice()
    if program is None:
        unavailable("LibreOffice (soffice) is not installed: .ci/run installs it")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dangjian-office-") as profile:
        args = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
        ]
        if source.suffix.lower() == ".csv":
            # separator 44 (","), text delimiter 34 ('"'), character set 76 (UTF-8), from line 1
            args.append("--infilter=CSV:44,34,76,1")
        args += ["--convert-to", "pdf", "--outdir", str(outdir), str(source)]
        env = {**os.environ, "LC_ALL": locale, "LANG": locale, "LANGUAGE": "", "HOME": profile}
        done = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    pdf = outdir / f"{source.stem}.pdf"
    if done.returncode != 0 or not pdf.is_file():
        raise AssertionError(
            f"LibreOffice did not convert {source.name} (exit {done.returncode}): "
            f"{done.stdout}{done.stderr}"
        )
    return pdf


class Pdf(NamedTuple):
    """A PDF as read back: the text of each page, the size of each page (width, height in
    points) and the document's metadata (``/Title``, ``/Author`` …)."""

    path: Path
    pages: tuple[str, ...]
    sizes: tuple[tuple[float, float], ...]
    metadata: Mapping[str, str]

    @property
    def text(self) -> str:
        """The text of every page, a page after the other."""
        return "\n".join(self.pages)


def read_pdf(path: Path) -> Pdf:
    """The text (pypdf's plain extraction; non-breaking hyphens and spaces read as the plain
    ones), the page sizes and the metadata of the PDF at ``path``."""
    import pypdf

    reader = pypdf.PdfReader(path)
    pages = tuple(p.extract_text().translate(_SAME_TO_A_READER) for p in reader.pages)
    sizes = tuple((float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages)
    metadata = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    return Pdf(path, pages, sizes, metadata)


def layout_pages(path: Path) -> tuple[str, ...]:
    """The text of each page of the PDF at ``path`` as it lies on the page (pypdf's layout
    extraction): line by line from the top, where the plain text follows the order the PDF
    draws in (LibreOffice draws a sheet's repeated columns before the others)."""
    import pypdf

    reader = pypdf.PdfReader(path)
    return tuple(
        p.extract_text(extraction_mode="layout").translate(_SAME_TO_A_READER) for p in reader.pages
    )


def is_a4(size: tuple[float, float], *, tolerance: float = 1.0) -> bool:
    """Whether a page of ``size`` (points) is A4, portrait or landscape (within ``tolerance``)."""
    width, height = sorted(size)
    return abs(width - A4[0]) <= tolerance and abs(height - A4[1]) <= tolerance


def squeezed(text: str) -> str:
    """``text`` without any white space: a line broken inside a paragraph or a wrapped cell, and
    the space a writer sets between Chinese and Latin letters ("市 X 局"), read as none."""
    return re.sub(r"\s+", "", text)


def ids_and_names(ledger: Ledger) -> tuple[frozenset[str], frozenset[str]]:
    """Every record id of ``ledger`` and every name it holds (the ledger's own name and the
    ``name`` of each record that has one: organisations, party groups, people)."""
    ids: set[str] = set()
    names: set[str] = {ledger.name}
    for _kind, records in ledger.records():
        for record in records:
            if isinstance(getattr(record, "id", None), str):
                ids.add(record.id)
            if isinstance(getattr(record, "name", None), str):
                names.add(record.name)
    return frozenset(ids), frozenset(names)


def whole_ids(text: str, ids: Iterable[str]) -> set[str]:
    """The ``ids`` that stand whole in ``text``: on one line, with no id character on either
    side (``jg1`` is not in ``jg1-g1``; ``zxz-2020-`` and ``01`` on two lines are no id)."""
    tokens = set(_ID_TOKEN.findall(text))
    return {i for i in ids if i in tokens}


def whole_names(text: str, names: Iterable[str]) -> set[str]:
    """The ``names`` that ``text`` holds whole, read through white space (:func:`squeezed`): a
    name a wrapped cell or a paragraph breaks over two lines is still whole; a clipped one is
    not."""
    flat = squeezed(text)
    return {n for n in names if squeezed(n) in flat}


# --- fonts ----------------------------------------------------------------------------------------


def _to_unicode(font: Any) -> dict[int, str]:
    """The codes of a simple font and the text each stands for, from its ``/ToUnicode`` CMap."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int.from_bytes(bytes.fromhex(start), "big")
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                found[code] = (first + offset).to_bytes(len(start) // 2, "big").decode("utf-16-be")
    return found


def _truetype_missing(program: bytes, codes: Mapping[int, str]) -> set[str]:
    """The texts of ``codes`` a TrueType subset draws with no glyph of their own: no glyph for
    the code, the outline of ``.notdef`` (the box LibreOffice draws for a character no font
    has), or an empty outline for a character that is not white space."""
    from fontTools.ttLib import TTFont

    # a subset's head table dates it 1904: fontTools logs a warning for it
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    font = TTFont(io.BytesIO(program))
    glyf = font["glyf"]
    order = font.getGlyphOrder()

    def outline(name: str) -> Any:
        glyph = glyf[name]
        if not glyph.numberOfContours:
            return None
        coordinates, ends, _flags = glyph.getCoordinates(glyf)
        return (tuple(coordinates), tuple(ends))

    notdef = outline(order[0])
    cmap: dict[int, str] = {}
    for table in font["cmap"].tables:
        for code, name in table.cmap.items():
            symbol = (table.platformID, table.platEncID) == (3, 0)  # codes at U+F000 + code
            cmap.setdefault(code & 0xFF if symbol else code, name)
    missing: set[str] = set()
    for code, text in codes.items():
        name = cmap.get(code)
        drawn = outline(name) if name is not None else None
        blank = drawn is None and not text.isspace()
        if name is None or name == order[0] or blank or (notdef is not None and drawn == notdef):
            missing.add(text)
    return missing


def _type1_missing(program: bytes, codes: Mapping[int, str]) -> set[str]:
    """The texts of ``codes`` a Type 1 subset draws as ``.notdef`` (or CID 0, the ``.notdef`` of
    a CID-keyed font LibreOffice converted): its encoding, in the clear part, names them."""
    encoding = {
        int(code): name
        for code, name in re.findall(rb"dup (\d+) /(\S+) put", program.split(b"eexec")[0])
    }
    return {
        text
        for code, text in codes.items()
        if encoding.get(code, b".notdef") in (b".notdef", b"cid0")
    }


def missing_glyphs(path: Path) -> dict[str, set[str]]:
    """The characters of the PDF at ``path`` drawn without a glyph of their own, each with the
    fonts that drew them so. A font this cannot read (not an embedded TrueType or Type 1 subset,
    what LibreOffice writes) counts as missing every character it draws: unread is not checked."""
    import pypdf

    missing: dict[str, set[str]] = defaultdict(set)
    seen: set[int] = set()
    for page in pypdf.PdfReader(path).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in (fonts.get_object() if fonts is not None else {}).values():
            if isinstance(ref, pypdf.generic.IndirectObject):
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?"))
            codes = _to_unicode(font)
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if font.get("/Subtype") == "/TrueType" and "/FontFile2" in descriptor:
                program = descriptor["/FontFile2"].get_object().get_data()
                lost = _truetype_missing(program, codes)
            elif font.get("/Subtype") == "/Type1" and "/FontFile" in descriptor:
                program = descriptor["/FontFile"].get_object().get_data()
                lost = _type1_missing(program, codes)
            else:
                lost = {text for text in codes.values() if not text.isspace()} or {"?"}
            for text in lost:
                for char in text:
                    missing[char].add(name)
    return dict(missing)


# --- what a document holds, read with the libraries the other tests use --------------------------


def document_text(path: Path) -> str:
    """All the text a ``.docx`` (paragraphs, tables, footers), ``.xlsx`` (every cell of every
    sheet, a line each) or ``.csv`` holds, as python-docx, openpyxl or the file itself say."""
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for table in document.tables for row in table.rows for c in row.cells]
        for section in document.sections:
            parts += [p.text for p in section.footer.paragraphs]
        return "\n".join(parts)
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return "\n".join(
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
        finally:
            book.close()
    return path.read_text(encoding="utf-8-sig")


def headings(path: Path) -> list[str]:
    """The headings of a document, the Chinese a reader looks for first: a ``.docx``'s title and
    headings (by their styles); the first row of every sheet of an ``.xlsx`` (its header row, or
    its title); the header row of a ``.csv``."""
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        return [
            p.text
            for p in document.paragraphs
            if p.text and p.style is not None and str(p.style.name).startswith(("Title", "Heading"))
        ]
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return [
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(max_row=1, values_only=True)
                for value in row
                if value is not None
            ]
        finally:
            book.close()
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return first.split(",")


class SheetContent(NamedTuple):
    """What one sheet of an ``.xlsx`` holds: its header row (the first row's texts), the rows it
    uses (the header included) and the width its content asks of each column: the widest line
    of the column's cells, in characters of Excel's width (a CJK character counts two)."""

    header: tuple[str, ...]
    rows: int
    widths: tuple[int, ...]


def sheet_contents(path: Path) -> dict[str, SheetContent]:
    """Each sheet of the ``.xlsx`` at ``path``, by its name (see :class:`SheetContent`)."""
    import openpyxl
    from wcwidth import wcswidth

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        found: dict[str, SheetContent] = {}
        for sheet in book.worksheets:
            rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
            columns = max((len(r) for r in rows), default=0)
            widths = [0] * columns
            for row in rows:
                for i, value in enumerate(row):
                    if value is not None:
                        lines = str(value).splitlines() or [""]
                        widths[i] = max(widths[i], *(max(wcswidth(line), 0) for line in lines))
            header = tuple(str(v) for v in (rows[0] if rows else ()) if v is not None)
            found[sheet.title] = SheetContent(header, len(rows), tuple(widths))
        return found
    finally:
        book.close()
