"""The draft as a Word document in the layout of a 公文 (GB/T 9704), with python-docx (the
``docx`` extra).

The page is A4 with the standard's margins (top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right
2.6 cm); the title is set in 方正小标宋简体 二号 (22 pt), the body in 仿宋_GB2312 三号 (16 pt)
at a fixed line spacing of 28 pt, the headings 一、 in 黑体 and （一） in 楷体_GB2312, all in
black; the footer carries the page number as ``— 1 —`` in 宋体 四号 (14 pt). Where a font is
not installed, Word and LibreOffice show the text in a fallback: the fonts are named as East
Asian fonts (``w:eastAsia``), which a machine without them replaces by its own Chinese fonts
(宋体 for the title, the fallback the standard's offices use). A user's own reference document
(``reference``) supplies its styles and page setup instead of these.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

from dangjian._escape import xml_text
from dangjian._files import write_bytes
from dangjian._optional import require
from dangjian.i18n import SOURCE_LANGUAGE, Language
from dangjian.summary.figures import Figures
from dangjian.summary.render import Block, FigureRow, blocks

__all__ = [
    "BODY_FONT",
    "EAST_ASIAN_FONT",
    "HEADING_FONT",
    "SUBHEADING_FONT",
    "TITLE_FALLBACK_FONT",
    "TITLE_FONT",
    "write_docx",
]

TITLE_FONT = "方正小标宋简体"
"""The font of the title (GB/T 9704: 小标宋体, 二号)."""
TITLE_FALLBACK_FONT = "宋体"
"""The font the title falls back to where 方正小标宋简体 is not installed (named in the
document's font table, and set in bold)."""
BODY_FONT = "仿宋_GB2312"
"""The font of the body text (三号)."""
HEADING_FONT = "黑体"
"""The font of the first-level headings (一、)."""
SUBHEADING_FONT = "楷体_GB2312"
"""The font of the second-level headings (（一）)."""
EAST_ASIAN_FONT = BODY_FONT
"""The font Word uses for the Chinese body text (``w:eastAsia`` of the Normal style)."""
_PAGE_NUMBER_FONT = "宋体"

_TITLE_PT = 22  # 二号
_BODY_PT = 16  # 三号
_PAGE_NUMBER_PT = 14  # 四号
_LINE_PT = 28  # fixed line spacing: 22 lines of 28 pt fill the text area of 22.5 cm
_PAGE_CM = (21.0, 29.7)
_MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}


def _fonts(style_or_run: Any, font: str) -> None:
    """Show the text of ``style_or_run`` (Chinese and Latin) in ``font``: Word picks Chinese
    text's font from ``w:eastAsia`` unless a theme font (``w:eastAsiaTheme`` …) overrides it,
    so those are dropped."""
    from docx.oxml.ns import qn

    style_or_run.font.name = font
    rfonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)


def _black(style: Any) -> None:
    """Black text, with no theme colour (python-docx drops ``w:themeColor`` with it)."""
    from docx.shared import RGBColor

    style.font.color.rgb = RGBColor(0, 0, 0)


def _styles(document: Any) -> None:
    """The styles of a 公文 on the document's Normal, Title and heading styles."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def text(style: Any, font: str, size: int, *, bold: bool = False) -> None:
        _fonts(style, font)
        _black(style)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        pf = style.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(_LINE_PT)
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)

    normal = document.styles["Normal"]
    text(normal, BODY_FONT, _BODY_PT)
    normal.paragraph_format.first_line_indent = Pt(2 * _BODY_PT)  # two characters
    normal.paragraph_format.widow_control = True

    title = document.styles["Title"]
    text(title, TITLE_FONT, _TITLE_PT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(_LINE_PT)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # the default template underlines its title
        ppr.remove(border)

    for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
        style = document.styles[name]
        text(style, font, _BODY_PT)
        style.paragraph_format.first_line_indent = Pt(2 * _BODY_PT)
        style.paragraph_format.keep_with_next = True  # never stranded at the foot of a page

    for name in ("List Bullet", "Table Grid"):
        if name in [s.name for s in document.styles]:
            style = document.styles[name]
            _fonts(style, BODY_FONT)
            _black(style)


_ALTERNATES = {
    TITLE_FONT: TITLE_FALLBACK_FONT,
    BODY_FONT: "仿宋",
    SUBHEADING_FONT: "楷体",
    HEADING_FONT: "SimHei",
    _PAGE_NUMBER_FONT: "SimSun",
}
"""Each font and the one the document names as its alternate (``w:altName``)."""


def _font_table(document: Any) -> None:
    """Name the fonts in the document's font table with their alternates and their character
    set (GB2312), so that an office suite without a font knows what to show instead."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    for rel in document.part.rels.values():
        if not rel.reltype.endswith("/fontTable") or rel.is_external:
            continue
        part = rel.target_part
        fonts = parse_xml(part.blob)
        for name, alternate in _ALTERNATES.items():
            font = OxmlElement("w:font", {qn("w:name"): name})
            for tag, value in (
                ("w:altName", alternate),
                ("w:charset", "86"),  # GB2312
                ("w:family", "auto"),
                ("w:pitch", "variable"),
            ):
                font.append(OxmlElement(tag, {qn("w:val"): value}))
            fonts.append(font)
        part._blob = serialize_part_xml(fonts)


def _page(document: Any) -> None:
    """A4 with the margins of GB/T 9704, and the page number in the footer."""
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(_PAGE_CM[0]), Cm(_PAGE_CM[1])
        for side, cm in _MARGINS_CM.items():
            setattr(section, f"{side}_margin", Cm(cm))
        _page_number(section.footer)


def _page_number(footer: Any) -> None:
    """``— 1 —`` centred in the footer: a PAGE field between two dashes, 宋体 四号."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        _fonts(r, _PAGE_NUMBER_FONT)
        r.font.size = Pt(_PAGE_NUMBER_PT)
        return r

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None)):
        r = run()
        if kind is None:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            r._r.append(code)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
    run("1")  # what shows until the field is updated
    end = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)
    run(" —")


def _landscape(document: Any) -> None:
    """A new section on a new page, the page turned: A4 landscape, the margins of the pages
    before turned with it, the same footer (the page numbers run on)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    last = document.sections[-1]
    width, height = last.page_width, last.page_height
    top, bottom, left, right = (
        last.top_margin,
        last.bottom_margin,
        last.left_margin,
        last.right_margin,
    )
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = height, width
    section.left_margin, section.right_margin = top, bottom
    section.top_margin, section.bottom_margin = right, left


def _reference(path: str | os.PathLike[str]) -> Any:
    """The user's document with its body emptied: its styles, page setup, headers and footers
    stay."""
    import docx

    document = docx.Document(os.fspath(path))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document


def _style(document: Any, name: str, fallback: str = "Normal") -> Any:
    try:
        return document.styles[name]
    except KeyError:
        return document.styles[fallback]


_TABLE_PT = 9
"""The size of the table's text: 小五, as a 公文's attached tables of figures are set."""
_TABLE_LINE_PT = 11.5
"""The table's fixed line spacing: its text's size and a little leading."""
_CELL_MARGINS_PT = 2 * 5.4
"""Word's default cell margins, left and right (0.19 cm each)."""
_NARROW_EM = 0.65
"""The width of a narrow (Latin) character in ems, as it is measured for the table: a CJK
font's Latin letters are half an em, a fallback font's a little wider."""
_MOST_CM = (3.5, 3.0)
"""The widest the figure's and the value's columns are made when the records need the room:
their text wraps within them."""
_RECORDS_SHARE = 0.75
"""The most of the text width the records column takes."""
_SLACK_EM = 1.0
"""What each column has beyond its measured text, for the fonts' differences."""


def _ems(text: str) -> float:
    """The width of ``text`` in ems: a wide (CJK) character one, any other :data:`_NARROW_EM`."""
    from wcwidth import wcwidth

    return sum(1.0 if wcwidth(ch) == 2 else _NARROW_EM for ch in text if wcwidth(ch) > 0)


def _cm_of(ems: float) -> float:
    """The width of a cell holding a line of ``ems`` at the table's size, margins included."""
    return ((ems + _SLACK_EM) * _TABLE_PT + _CELL_MARGINS_PT) / 72 * 2.54


def _lines(items: list[str], room: float) -> list[str]:
    """``items`` (each with its separator) packed into lines no wider than ``room`` ems, an item
    never split: an id stays whole on its line."""
    lines: list[str] = []
    for item in items:
        if lines and _ems(lines[-1] + item) <= room:
            lines[-1] += item
        else:
            lines.append(item)
    return lines


def _widths(document: Any, b: Block) -> list[float]:
    """The widths of the table's columns in cm, from their content: the records column as wide
    as its longest record (or person) and as two of most records side by side, within
    :data:`_RECORDS_SHARE` of the text width; the part, as wide as it needs; the figure and its
    value share the rest by their content."""
    section = document.sections[-1]
    total = (section.page_width - section.left_margin - section.right_margin) / 360000
    needs = [
        max(
            [_ems(b.headers[i])]
            + [_ems(x) for r in b.rows for x in (r.part, r.label, r.value)[i : i + 1]]
        )
        for i in range(3)
    ]
    pieces = sorted(_ems(x) for r in b.rows for x in r.pieces) or [0.0]
    typical = pieces[len(pieces) * 9 // 10]  # two of most records on a line, if there is room
    part = _cm_of(needs[0])
    label, value = (min(_cm_of(n), cm) for n, cm in zip(needs[1:], _MOST_CM, strict=True))
    records = max(_cm_of(max(_ems(b.headers[3]), pieces[-1], 2 * typical)), _cm_of(pieces[-1]))
    records = min(records, total - part - label - value)
    records = max(records, min(_cm_of(pieces[-1]), _RECORDS_SHARE * total))
    rest = total - part - records
    if label + value > rest:  # they wrap, in proportion to what they hold
        label, value = (rest * x / (label + value) for x in (label, value))
    else:  # room to spare: the records column takes it
        records = total - part - label - value
    return [part, label, value, records]


def _records_cell(cell: Any, r: FigureRow, room: float) -> None:
    """The records of a row, each id whole on its line: the row's pieces packed into lines no
    wider than the column and broken there (``w:br``), each line one run, so that the office
    suite never has to break a line inside an id."""
    lines = _lines(list(r.pieces), room)
    if not lines:
        cell.text = "—"
        return
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        run = paragraph.add_run(xml_text(line))
        if i < len(lines) - 1:
            run.add_break()


def _table(document: Any, b: Block) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(b.headers))
    table.style = _style(document, "Table Grid")
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, b.headers, strict=True):
        cell.text = text
    header = OxmlElement("w:tblHeader")  # the header row repeated on every page
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    widths = _widths(document, b)
    room = (widths[3] / 2.54 * 72 - _CELL_MARGINS_PT) / _TABLE_PT
    for r in b.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells[:3], (r.part, r.label, r.value), strict=True):
            cell.text = xml_text(text) or "—"
        _records_cell(cells[3], r, room)
    for column, cm in zip(table.columns, widths, strict=True):
        column.width = Cm(cm)
        for cell in column.cells:
            cell.width = Cm(cm)
    for row in table.rows:  # table text smaller than the body, without the first-line indent
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.line_spacing = Pt(_TABLE_LINE_PT)  # not the body's 28 pt
                for run in p.runs:
                    run.font.size = Pt(_TABLE_PT)


def write_docx(
    summary: Figures,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = True,
    lang: Language = SOURCE_LANGUAGE,
    reference: str | os.PathLike[str] | None = None,
    author: str | None = None,
    created: dt.datetime | None = None,
) -> None:
    """Write the draft of ``summary`` in ``lang`` as a .docx file at ``path``, replacing it in
    one step.

    Characters that XML cannot hold (control characters) are shown as escapes (``\\x01``).

    Args:
        reference: A .docx whose styles and page setup are used instead of the 公文 layout
            (its content is not copied).
        author: The document's author (its metadata); the organisation's name by default.
        created: When the document was made (its metadata); now by default.

    Raises:
        DangjianError: python-docx is not installed, or ``overwrite`` is false and the file
            exists.
    """
    require("docx", "docx")
    import docx

    if reference is None:
        document = docx.Document()
        _styles(document)
        _page(document)
        _font_table(document)
    else:
        document = _reference(reference)
    made = blocks(summary, lang)
    for i, b in enumerate(made):
        text = xml_text(b.text)
        if b.kind == "title":
            document.add_paragraph(text, style=_style(document, "Title"))
        elif b.kind == "heading":
            if i + 1 < len(made) and made[i + 1].kind == "table":
                _landscape(document)  # the table of figures and its heading across the page
            document.add_paragraph(text, style=_style(document, "Heading 1"))
        elif b.kind == "subheading":
            document.add_paragraph(text, style=_style(document, "Heading 2"))
        elif b.kind == "para":
            document.add_paragraph(text)
        elif b.kind == "item":
            document.add_paragraph(text, style=_style(document, "List Bullet"))
        else:
            _table(document, b)
    core = document.core_properties
    core.title = xml_text(next((b.text for b in made if b.kind == "title"), ""))[:255]
    core.author = xml_text(author if author is not None else summary.organisation)[:255]
    core.last_modified_by = core.author
    core.created = core.modified = created or dt.datetime.now(dt.UTC).replace(microsecond=0)
    core.revision = 1
    core.comments = ""
    content = io.BytesIO()  # the whole document is made before the file is opened
    document.save(content)
    write_bytes(path, content.getvalue(), overwrite=overwrite)
