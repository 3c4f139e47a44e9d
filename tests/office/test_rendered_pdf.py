"""What an office sees (issue 13): the documents dangjian writes for the bundled example, opened in
LibreOffice and printed to PDF, then read back from the PDF.

The package has no module of its own for this: these tests look at the output of
``dangjian.summary.word`` (the work summary as Word), ``dangjian.io.excel`` (the ledger template
and the example's ledger workbook) and ``dangjian.outputs`` (the check as a workbook and as CSV)
through a real office suite. python-docx and openpyxl prove what the files hold; these prove what
a person sees and prints: A4 pages, a number of pages that the content explains, every name and id
whole (nothing clipped by a narrow column, no id broken over two lines), Chinese drawn with real
glyphs, the summary's pages numbered.

Every expectation is derived from the example and from the written file (python-docx, openpyxl,
the CSV itself), never copied from a PDF.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from wcwidth import wcswidth

from dangjian.io._excel_layout import INSTRUCTIONS
from tests.builders import office as office_builders
from tests.builders.example import example_ledger
from tests.builders.office import (
    ID_CHARS,
    LETTER_LOCALE,
    SheetContent,
    document_text,
    headings,
    ids_and_names,
    is_a4,
    layout_pages,
    missing_glyphs,
    read_pdf,
    sheet_contents,
    squeezed,
    to_pdf,
    whole_ids,
    whole_names,
)
from tests.office.conftest import DOCUMENTS, Documents

# --- the bounds of the page counts -----------------------------------------------------------------

LINES_PER_PAGE = 22
"""GB/T 9704: a page of a 公文 holds 22 lines (28 pt lines in 22.5 cm; summary/word.py)."""
BODY_CHARS_PER_LINE = 28
"""GB/T 9704: a line of the body holds 28 characters of 三号 (16 pt) in 15.6 cm."""
TABLE_CHARS_PER_LINE = 36
"""A line of the appendix's table at 小四 (12 pt) across the 15.6 cm of text: 442 pt / 12 pt."""
SLACK = 1.5
"""How many times the lines its characters fill a document may take: the last line of each
paragraph and of each cell is only partly filled, cells have padding, the table's header row
repeats on every page and a heading is kept with what follows it."""
ROWS_PER_PAGE = 10
"""The fewest rows a printed page of a sheet holds: A4 landscape leaves some 18 cm for rows, and
a row wrapped to four lines of 10–11 pt takes under 1.8 cm."""
COLUMN_CAP = 40
"""The most characters a column needs: longer text wraps within it (issue 13: widths from the
content, capped)."""
ACROSS_A_PAGE = 140 * 11 // 6
"""The characters of Excel's width a landscape A4 page holds across (26.1 cm) at 6 points, the
smallest print that is still read: 140 at the default 11 points. A sheet whose columns need
no more is printed one page across (fitted to the page's width); a wider one may take as many
pages across as its columns need at 6 points, and no more."""
INSTRUCTION_PAGES = 2
"""Issue 13: the instructions sheet is readable "on one or two pages"."""
CSV_ROWS_PER_PAGE = (40, 60)
"""A CSV opens in LibreOffice's default page: A4 portrait, rows of 0.45 cm in some 25 cm of
height, about 55 rows a page, by as many pages as its columns need side by side (every column is
set as wide as its content when the CSV is opened; at most one page each)."""


def _lines(text: str, per_line: int, *, indent: int = 0) -> int:
    """The lines ``text`` fills at ``per_line`` full-width characters a line (a Latin letter or
    digit is half of one), after ``indent`` characters; an empty paragraph still takes a line."""
    return max(1, math.ceil((indent + wcswidth(text) / 2) / per_line))


def summary_bounds(docx: Path) -> tuple[int, int]:
    """The fewest and the most pages the summary may print on: its body paragraphs (indented by
    two characters) alone fill the fewest; with the table set at full lines, times ``SLACK``, the
    most, and a page for the title's extra spacing."""
    import docx as python_docx

    document = python_docx.Document(str(docx))
    body = sum(_lines(p.text, BODY_CHARS_PER_LINE, indent=2) for p in document.paragraphs)
    table = sum(
        _lines("".join(c.text for c in row.cells), TABLE_CHARS_PER_LINE)
        for t in document.tables
        for row in t.rows
    )
    fewest = math.ceil(body / LINES_PER_PAGE)
    most = math.ceil(SLACK * (body + table) / LINES_PER_PAGE) + 1
    return fewest, most


def pages_across(widths: tuple[int, ...]) -> int:
    """The pages across a sheet may print on: its columns' widths, each as its content asks
    (at least 6, at most ``COLUMN_CAP``) and a character more for the cell's margins (Excel's
    5 pixels), at ``ACROSS_A_PAGE`` a page."""
    needed = sum(min(max(w, 6), COLUMN_CAP) + 1 for w in widths)
    return max(1, math.ceil(needed / ACROSS_A_PAGE))


def workbook_bounds(xlsx: Path) -> tuple[int, int]:
    """The fewest and the most pages a workbook may print on: each sheet starts a page; the
    instructions take at most ``INSTRUCTION_PAGES``, any other sheet at most the pages its rows
    fill at ``ROWS_PER_PAGE``, times the pages across its columns need (:func:`pages_across`)."""
    sheets = sheet_contents(xlsx)
    return len(sheets), sum(sheet_bound(title, sheet) for title, sheet in sheets.items())


def csv_bounds(csv: Path) -> tuple[int, int]:
    """The fewest and the most pages the check's CSV may print on (see ``CSV_ROWS_PER_PAGE``)."""
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    columns = len(lines[0].split(","))
    return math.ceil(len(lines) / CSV_ROWS_PER_PAGE[1]), math.ceil(
        len(lines) / CSV_ROWS_PER_PAGE[0]
    ) * columns


def bounds(office: Documents, name: str) -> tuple[int, int]:
    source = office.source(name)
    if source.suffix == ".docx":
        return summary_bounds(source)
    if source.suffix == ".xlsx":
        return workbook_bounds(source)
    return csv_bounds(source)


# --- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_page_is_a4(office: Documents, name: str) -> None:
    pdf = office.pdf(name)
    assert pdf.sizes, f"{name}: LibreOffice printed no page"
    wrong = [(page, size) for page, size in enumerate(pdf.sizes, 1) if not is_a4(size)]
    assert not wrong, f"{name}: pages not A4 (page, (width, height) in pt): {wrong[:5]}"


def test_the_locale_of_the_conversion_prints_letter_by_default(tmp_path: Path) -> None:
    """A file that names no paper prints on US Letter under the locale the documents are
    converted in: so the A4 of each document is its own, not LibreOffice's default."""
    csv = tmp_path / "plain.csv"
    csv.write_text("编号,姓名\nm101,王芳\n", encoding="utf-8")
    pdf = read_pdf(to_pdf(csv, tmp_path / "pdf", locale=LETTER_LOCALE))
    assert [sorted(size) for size in pdf.sizes] == [[612.0, 792.0]]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_page_count_is_what_the_content_needs(office: Documents, name: str) -> None:
    fewest, most = bounds(office, name)
    pages = len(office.pdf(name).pages)
    assert fewest <= pages <= most, f"{name}: {pages} pages, expected {fewest} to {most}"


def test_the_example_has_ids_and_names_to_find() -> None:
    ids, names = ids_and_names(example_ledger())
    assert len(ids) > 100 and len(names) > 40
    # whole_ids reads an id as a run of these characters: every id of the example is one
    assert all(whole_ids(i, [i]) for i in ids), ID_CHARS


def test_an_id_broken_or_clipped_is_not_whole() -> None:
    ids = {"zxz-2020-01", "jg1", "m101"}
    assert whole_ids("来源：zxz-2020-01、m101。", ids) == {"zxz-2020-01", "m101"}
    assert whole_ids("zxz-2020-\n01 jg1-g1 m1011", ids) == set()  # broken, inside, longer
    assert whole_ids("zxz\u20112020\u201101", ids) == set()  # read_pdf makes U+2011 a hyphen
    names = {"第一党小组（办公室）", "市X局机关党委"}
    assert whole_names("第一党小组（办公\n室） 市 X 局机关党委", names) == names  # wrapped
    assert whole_names("第一党小组（办公室jg1", names) == set()  # clipped by the next column


def test_the_workbook_holds_every_id_and_name_of_the_example(office: Documents) -> None:
    ids, names = ids_and_names(example_ledger())
    text = document_text(office.source("workbook"))
    assert whole_ids(text, ids) == ids
    assert whole_names(text, names) == names


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_name_and_id_the_document_holds_is_whole_in_print(
    office: Documents, name: str
) -> None:
    """An id or name the written file holds (read by python-docx, openpyxl, as CSV) is in the
    PDF's text whole: not clipped by a narrow column, not broken over two lines or two pages."""
    ids, names = ids_and_names(example_ledger())
    held = document_text(office.source(name))
    held_ids, held_names = whole_ids(held, ids), whole_names(held, names)
    if name != "template":  # the template is blank
        assert held_ids and held_names, f"{name} holds no id or name of the example"
    printed = office.pdf(name).text
    lost_ids = sorted(held_ids - whole_ids(printed, held_ids))
    lost_names = sorted(held_names - whole_names(printed, held_names))
    assert not lost_ids and not lost_names, (
        f"{name}: {len(lost_ids)} of {len(held_ids)} ids and {len(lost_names)} of "
        f"{len(held_names)} names not whole in print: {lost_ids[:10]} {lost_names[:10]}"
    )


@pytest.mark.parametrize("name", DOCUMENTS)
def test_chinese_is_drawn_with_real_glyphs(office: Documents, name: str) -> None:
    """The document's headings are in the PDF's text, no character was replaced (U+FFFD), and
    every character is drawn with a glyph of its own: none as a box ("tofu") or blank."""
    pdf = office.pdf(name)
    expected = [
        h for h in headings(office.source(name)) if any("\u4e00" <= c <= "\u9fff" for c in h)
    ]
    assert expected, f"{name} has no Chinese heading"
    flat = squeezed(pdf.text)
    absent = [h for h in expected if squeezed(h) not in flat]
    assert not absent, f"{name}: headings not in print: {absent[:10]}"
    assert "\ufffd" not in pdf.text
    missing = missing_glyphs(pdf.path)
    assert not missing, f"{name}: drawn without a glyph: {missing}"


def test_a_character_no_font_has_is_found_missing(tmp_path: Path) -> None:
    """The glyph check can fail: a character of a private use plane, which no font draws, is
    found; the Chinese beside it is not."""
    text = tmp_path / "tofu.txt"
    text.write_text("中文 abc \U000f1234 end\n", encoding="utf-8")
    missing = missing_glyphs(to_pdf(text, tmp_path / "pdf"))
    assert set(missing) == {"\U000f1234"}


@pytest.mark.parametrize("ci", ["", "true"])
def test_without_libreoffice_the_tests_skip_except_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str
) -> None:
    monkeypatch.setattr(office_builders, "soffice", lambda: None)
    monkeypatch.setenv("CI", ci)
    expected = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(expected, match="LibreOffice"):
        to_pdf(tmp_path / "any.csv", tmp_path)


def unnumbered(pages: tuple[str, ...]) -> list[tuple[int, str]]:
    """The pages whose last line is not their number (as ``— n —``, or any number form with
    nothing but marks around it), each with that line."""
    found = []
    for number, text in enumerate(pages, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        digits = "".join(c for c in last if c.isdigit())
        marks = "".join(c for c in last if not c.isdigit())
        if digits != str(number) or any(c.isalnum() for c in marks):
            found.append((number, last))
    return found


def test_the_page_number_check_can_fail() -> None:
    assert unnumbered(("正文\n— 1 —", "正文\n- 2 -", "3")) == []
    assert unnumbered(("正文\n— 1 —", "正文\n— 3 —")) == [(2, "— 3 —")]
    assert unnumbered(("正文", "第 2 页")) == [(1, "正文"), (2, "第 2 页")]
    assert unnumbered(("— 1 —\n正文",)) == [(1, "正文")]  # a number at the top is no footer


def test_every_page_of_the_summary_is_numbered(office: Documents) -> None:
    """The footer of page n says n, and it is the last line of the page."""
    pages = office.pdf("summary").pages
    assert len(pages) > 1
    missing = unnumbered(pages)
    assert not missing, f"pages without their number in the footer: {missing[:5]}"


def test_the_summary_says_whose_it_is(office: Documents) -> None:
    """The PDF's metadata, taken from the Word file's, names the ledger."""
    metadata = office.pdf("summary").metadata
    name = example_ledger().name
    assert metadata.get("/Author") == name
    assert name in metadata.get("/Title", "")


def _shows(header: tuple[str, ...], flat: str) -> bool:
    """Whether a page's text (``flat``: :func:`squeezed`) shows the header row ``header``: its
    first label (the id's column, printed on every page across) and at least two more of its
    labels (a page across holds only some of a wide sheet's columns), or its one cell (a title)."""
    shown = [label for label in header if squeezed(label) in flat]
    return squeezed(header[0]) in flat and len(shown) >= min(3, len(header))


def _above_records(text: str, ids: frozenset[str]) -> str:
    """The text of a page (as laid out: :func:`layout_pages`) above its first record (the first
    line holding a whole id of the example), :func:`squeezed`: where a header row prints."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if whole_ids(line, ids)), len(lines))
    return squeezed("".join(lines[:first]))


def sheets_of_pages(
    sheets: dict[str, SheetContent], pages: tuple[str, ...], ids: frozenset[str]
) -> list[str]:
    """The sheet each page prints, in order: Calc prints the sheets one after the other, each
    from a new page, and the first page of each begins with its first row; a page that begins
    with the first row of the next sheet begins it."""
    titles = list(sheets)
    at, found = 0, []
    for text in pages:
        flat = _above_records(text, ids)
        nxt = at + 1
        while nxt < len(titles) and not sheets[titles[nxt]].header:
            nxt += 1
        header = sheets[titles[nxt]].header if nxt < len(titles) else ()
        if header and flat.startswith(squeezed(header[0])) and _shows(header, flat):
            at = nxt
        found.append(titles[at])
    return found


@pytest.mark.parametrize("name", ["workbook", "check-xlsx"])
def test_every_page_with_records_shows_its_header_row(office: Documents, name: str) -> None:
    """A page that prints records of a table (a sheet whose first row is a row of headers, not
    a title) carries that header row above them: headers are repeated on every printed page. The sheets
    must also follow each other in print as in the workbook."""
    sheets = sheet_contents(office.source(name))
    pages = layout_pages(office.pdf(name).path)
    ids, _names = ids_and_names(example_ledger())
    printed = sheets_of_pages(sheets, pages, ids)
    assert [t for t in sheets if t in printed] == list(dict.fromkeys(printed))
    assert set(printed) == {t for t, sheet in sheets.items() if sheet.rows}, "a sheet not found"
    bare = [
        (number, title)
        for number, (text, title) in enumerate(zip(pages, printed, strict=True), 1)
        if len(sheets[title].header) > 1
        and whole_ids(text, ids)
        and not _shows(sheets[title].header, _above_records(text, ids))
    ]
    assert not bare, f"{name}: pages with records but no header row: {bare[:10]} of {len(bare)}"


def sheet_bound(title: str, sheet: SheetContent) -> int:
    """The most pages one sheet may print on (see :func:`workbook_bounds`)."""
    if title == INSTRUCTIONS:
        return INSTRUCTION_PAGES
    return math.ceil(sheet.rows / ROWS_PER_PAGE) * pages_across(sheet.widths)


@pytest.mark.parametrize("name", ["template", "workbook", "check-xlsx"])
def test_each_sheet_prints_on_the_pages_its_rows_need(office: Documents, name: str) -> None:
    """The bound of :func:`workbook_bounds` sheet by sheet: the instructions on one or two
    pages, every other sheet on no more pages than its rows and columns need."""
    sheets = sheet_contents(office.source(name))
    ids, _names = ids_and_names(example_ledger())
    printed = sheets_of_pages(sheets, layout_pages(office.pdf(name).path), ids)
    over = {
        title: (printed.count(title), sheet_bound(title, sheet))
        for title, sheet in sheets.items()
        if printed.count(title) > sheet_bound(title, sheet)
    }
    assert not over, f"{name}: sheets on more pages than they need (pages, most): {over}"
