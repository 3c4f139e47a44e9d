"""Text from a ledger made safe for what dangjian writes: XML, terminals, Markdown and CSV.

A ledger's text is the user's (or a colleague's, or an old system's) and may hold anything:
control characters that XML cannot hold, escape sequences that a terminal obeys, HTML that a
Markdown viewer shows as markup, formulas that a spreadsheet runs. Every writer passes the text
through the helper for its output here, so the output shows the text and does nothing else:

>>> xml_text("a\\x01b")
'a\\\\x01b'
>>> terminal_text("red \\x1b[31m")
'red \\\\x1b[31m'
>>> markdown_text("<img src=x onerror=alert(1)>")
'&lt;img src=x onerror=alert(1)&gt;'
>>> csv_cell("=1+1"), csv_cell("-5"), csv_cell("-1+1")
("'=1+1", '-5', "'-1+1")
"""

from __future__ import annotations

import html
import re

__all__ = [
    "csv_cell",
    "json_text",
    "markdown_cell",
    "markdown_text",
    "terminal_text",
    "xml_document",
    "xml_text",
]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold: the C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF."""

_NOT_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
"""What a terminal would obey rather than show: the C0 controls but tab and LF (CR too, which
returns to the start of the line), DEL, the C1 controls (U+009B is a CSI), the characters that
cannot be written, and the bidirectional overrides and isolates that reorder what is shown."""

_TERMINAL_ONLY = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What JSON and XML may hold as it is but a terminal would obey (DEL, the C1 controls, the
bidirectional overrides and isolates) or a script would read as a line end (U+2028, U+2029); the
C0 controls JSON escapes itself and XML cannot hold."""

_TERMINAL_ONLY_XML = re.compile("[\r\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""As :data:`_TERMINAL_ONLY`, and the CR, which XML holds as it is (and reads as a line end)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
"""A number a spreadsheet reads as one, in ASCII digits: ``-1``, ``+3.25``, ``1e5``; not ``-1+1``,
``+86 138`` or ``-١``, which get the ``'``."""


def _escaped(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_text(text: str) -> str:
    """``text`` with each character that XML cannot hold shown as an escape (``\\x01``)."""
    return _NOT_XML.sub(_escaped, text)


def terminal_text(text: str) -> str:
    """``text`` with each control character but newline and tab shown as an escape (``\\x1b``)."""
    return _NOT_TERMINAL.sub(_escaped, text)


def markdown_text(text: str) -> str:
    """``text`` for Markdown: control characters shown escaped, HTML shown as text, and a link
    or an image (``![x](http://…)``, which a viewer would fetch) shown as text: its ``](`` is
    escaped, while brackets such as ``members[0]`` stay as they are."""
    return html.escape(terminal_text(text), quote=False).replace("](", "\\](")


def markdown_cell(text: str) -> str:
    """``text`` for a cell of a Markdown table: as :func:`markdown_text`, with ``|`` escaped and
    line breaks as ``<br>``, so that the text stays in its cell and its row."""
    cell = markdown_text(text).replace("|", "\\|")
    return cell.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def json_text(text: str) -> str:
    """JSON written by :func:`json.dumps` with ``ensure_ascii=False``, with what a terminal would
    obey written as JSON's own escapes (``\\u009b``): the same JSON, which reads back equal."""
    return _TERMINAL_ONLY.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def xml_document(document: str) -> str:
    """An XML document with what a terminal would obey (CR, DEL, the C1 controls, the
    bidirectional overrides and isolates) written as character references (``&#x9b;``): the same
    XML, whose CR a parser now keeps rather than reading it as a line end."""
    return _TERMINAL_ONLY_XML.sub(lambda m: f"&#x{ord(m.group()):x};", document)


def csv_cell(text: str) -> str:
    """``text`` for a cell of CSV that a spreadsheet opens: a cell that would start a formula
    (``=``, ``+``, ``-``, ``@``, tab or CR first) gets a ``'`` in front, as OWASP recommends,
    unless it is a number."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
