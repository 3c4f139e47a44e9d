"""The draft as a Word document, with python-docx (the ``docx`` extra)."""

from __future__ import annotations

import io
import os
from typing import Any

from dangjian._escape import xml_text
from dangjian._files import write_bytes
from dangjian._optional import require
from dangjian.i18n import SOURCE_LANGUAGE, Language
from dangjian.summary.figures import Figures
from dangjian.summary.render import blocks

__all__ = ["EAST_ASIAN_FONT", "write_docx"]

EAST_ASIAN_FONT = "宋体"
"""The font Word uses for Chinese text in the draft (set as ``w:eastAsia`` on each style)."""

_HEADING_FONT = "黑体"


def _east_asian(style: Any, font: str) -> None:
    """Make ``style`` show Chinese text in ``font``: Word picks it from ``w:eastAsia``, unless
    a theme font (``w:eastAsiaTheme`` …) overrides it, so those are dropped."""
    from docx.oxml.ns import qn

    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(theme), None)


def write_docx(
    summary: Figures,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = True,
    lang: Language = SOURCE_LANGUAGE,
) -> None:
    """Write the draft of ``summary`` in ``lang`` as a .docx file at ``path``, replacing it in
    one step.

    Characters that XML cannot hold (control characters) are shown as escapes (``\\x01``).

    Raises:
        DangjianError: python-docx is not installed, or ``overwrite`` is false and the file
            exists.
    """
    require("docx", "docx")
    import docx

    document = docx.Document()
    _east_asian(document.styles["Normal"], EAST_ASIAN_FONT)
    for name in ("Title", "Heading 1"):
        _east_asian(document.styles[name], _HEADING_FONT)
    for b in blocks(summary, lang):
        if b.kind == "title":
            document.add_heading(xml_text(b.text), level=0)
        elif b.kind == "heading":
            document.add_heading(xml_text(b.text), level=1)
        elif b.kind == "para":
            document.add_paragraph(xml_text(b.text))
        elif b.kind == "item":
            document.add_paragraph(xml_text(b.text), style="List Bullet")
        else:
            table = document.add_table(rows=1, cols=len(b.headers))
            table.style = document.styles["Table Grid"]
            for cell, text in zip(table.rows[0].cells, b.headers, strict=True):
                cell.text = text
            for r in b.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, (r.part, r.label, r.value, r.evidence), strict=True):
                    cell.text = xml_text(text) or "—"
    content = io.BytesIO()  # the whole document is made before the file is opened
    document.save(content)
    write_bytes(path, content.getvalue(), overwrite=overwrite)
