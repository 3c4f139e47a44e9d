"""The one registry of the output formats of a report: name → writer, suffix, text or binary.

:meth:`Report.render`, the command line's ``check --format`` and the table of formats in
docs/checking.md all come from it. A format of one's own is one function and one call:

>>> from dangjian.outputs import format_names, register_format, unregister_format
>>> def tally(report, lang):
...     return f"{len(report.failed)}\\n"
>>> register_format("tally", tally, suffix=".txt", description="不符合的条数",
...                 description_en="the number of failures")
ReportFormat(name='tally', suffix='.txt', binary=False)
>>> format_names()
('text', 'json', 'markdown', 'csv', 'junit', 'xlsx', 'csv-codes', 'text-verbose', 'tally')
>>> unregister_format("tally")
"""

from __future__ import annotations

import importlib.metadata
import re
import warnings
from collections.abc import Callable

import attrs

from dangjian import _views
from dangjian.errors import DangjianError, Language
from dangjian.i18n import Message, given, t, tp
from dangjian.model.resident_id import mask_resident_ids
from dangjian.report import Report

__all__ = [
    "ENTRY_POINTS",
    "ReportFormat",
    "Writer",
    "add_format",
    "format_names",
    "format_table",
    "formats",
    "get_format",
    "load_entry_points",
    "register_format",
    "render",
    "unregister_format",
]

Writer = Callable[[Report, Language], str | bytes]
"""A writer: the report, the language; its text (a text format) or its bytes (a binary one)."""

_NAME = re.compile(r"[a-z][a-z0-9_-]*\Z")


@attrs.frozen
class ReportFormat:
    """An output format of a report.

    Attributes:
        name: Its name (``csv``), as given to :meth:`Report.render` and ``--format``.
        write: The writer.
        suffix: The suffix of a file in the format (``.csv``).
        binary: Whether it writes bytes (a workbook) rather than text.
        description: What it is: a message of the catalogs (a built-in format), or given in
            Chinese and English (:func:`register_format`).
    """

    name: str = attrs.field()
    write: Writer = attrs.field(repr=False)
    suffix: str = attrs.field()
    binary: bool = False
    description: Message = attrs.field(default=given({"zh": ""}), repr=False)

    @name.validator
    def _check_name(self, attribute: attrs.Attribute[str], name: str) -> None:
        if not _NAME.match(name):
            raise DangjianError(f"not a name for an output format: {name!r}")

    @suffix.validator
    def _check_suffix(self, attribute: attrs.Attribute[str], suffix: str) -> None:
        if not suffix.startswith("."):
            raise DangjianError(f"the suffix of an output format starts with a dot: {suffix!r}")

    def describe(self, lang: Language = "zh") -> str:
        """What it is, in ``lang``."""
        return self.description.render(lang)


_FORMATS: dict[str, ReportFormat] = {}


def register_format(
    name: str,
    write: Writer,
    *,
    suffix: str,
    binary: bool = False,
    description: str | Message = "",
    description_en: str | None = None,
    replace: bool = False,
) -> ReportFormat:
    """Add an output format; :meth:`Report.render` and ``dangjian check --format`` then take it.

    Args:
        name: Lower-case ASCII letters, digits, ``-`` and ``_``, starting with a letter.
        write: Makes the text (or, when ``binary``, the bytes) of a report in a language.
        suffix: The suffix of its files, with its dot.
        binary: Whether ``write`` gives bytes.
        description: What it is, in Chinese (the table of formats), or a message.
        description_en: The same in English (the Chinese when not given).
        replace: Replace a format of the same name rather than refuse it.

    Raises:
        DangjianError: The name is not such a name or is taken, or the suffix has no dot.
    """
    if not isinstance(description, Message):
        description = given({"zh": description, "en": description_en or description})
    return add_format(ReportFormat(name, write, suffix, binary, description), replace=replace)


def add_format(fmt: ReportFormat, *, replace: bool = False) -> ReportFormat:
    """Add the output format ``fmt``, made beforehand; see :func:`register_format`."""
    if fmt.name in _FORMATS and not replace:
        raise DangjianError(f"output format {fmt.name!r} exists; pass replace=True to replace it")
    _FORMATS[fmt.name] = fmt
    return fmt


def unregister_format(name: str) -> None:
    """Remove the output format ``name``.

    Raises:
        DangjianError: There is none.
    """
    get_format(name)
    del _FORMATS[name]


ENTRY_POINTS = "dangjian.outputs"
"""The entry-point group through which another installed package adds output formats: each
entry point names a :class:`ReportFormat` (``[project.entry-points."dangjian.outputs"]``,
``tally = "mypackage.tally:FORMAT"``). They are loaded the first time the formats are listed or
one is looked up, so the installed ``dangjian`` command offers them too."""

_plugins_loaded = False


def load_entry_points() -> None:
    """Add the formats of the entry points of :data:`ENTRY_POINTS` not added yet.

    An entry point that fails to load, or names no :class:`ReportFormat`, or a taken name, is
    skipped with a warning: another package's mistake does not stop a check.
    """
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for entry in importlib.metadata.entry_points(group=ENTRY_POINTS):
        try:
            fmt = entry.load()
            if not isinstance(fmt, ReportFormat):
                raise TypeError(f"{type(fmt).__name__} is not a ReportFormat")
            add_format(fmt)
        except Exception as e:
            warnings.warn(
                f"output format {entry.name!r} of entry point {entry.value!r} skipped: {e}",
                stacklevel=2,
            )


def formats() -> tuple[ReportFormat, ...]:
    """Every output format, in the order registered (the built-in ones first, those of
    installed packages' entry points after them)."""
    load_entry_points()
    return tuple(_FORMATS.values())


def format_names() -> tuple[str, ...]:
    """The names of every output format, in the order registered."""
    return tuple(f.name for f in formats())


def get_format(name: str) -> ReportFormat:
    """The output format ``name``.

    Raises:
        DangjianError: There is none; the message lists those there are.
    """
    load_entry_points()
    try:
        return _FORMATS[name]
    except KeyError:
        known = ", ".join(_FORMATS)
        raise DangjianError(
            t("没有名为「{name}」的输出格式，可用：{known}", name=name, known=known)
        ) from None


def format_table(lang: Language = "en") -> str:
    """The table of output formats in Markdown, as docs/checking.md shows it (a test compares)."""
    kind = (tp("output", "文本").render(lang), tp("output", "二进制").render(lang))
    heads = (tp("output", "格式"), tp("output", "后缀"), tp("output", "类型"), tp("output", "内容"))
    head = " | ".join(h.render(lang) for h in heads)
    rows = [f"| {head} |", "|---|---|---|---|"] + [
        f"| `{f.name}` | `{f.suffix}` | {kind[f.binary]} | {f.describe(lang)} |" for f in formats()
    ]
    return "\n".join(rows) + "\n"


def render(report: Report, format: str, lang: Language = "zh") -> str | bytes:
    """``report`` in output format ``format``; behind :meth:`Report.render`.

    Whatever in a text format's output validates as a resident id is masked; a binary format
    masks its cells itself.
    """
    fmt = get_format(format)
    out = fmt.write(report, lang)
    if fmt.binary:
        if not isinstance(out, bytes):
            raise DangjianError(f"output format {format!r} is binary but its writer gave text")
        return out
    if not isinstance(out, str):
        raise DangjianError(f"output format {format!r} is text but its writer gave bytes")
    return mask_resident_ids(out)


@_views.write.register
def _write(report: Report, format: str, lang: Language) -> str | bytes:
    return render(report, format, lang)
