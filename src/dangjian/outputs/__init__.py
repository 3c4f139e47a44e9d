"""The output formats of a report, one module each, found through one registry.

:mod:`dangjian.outputs.registry` holds the registry (:func:`register_format`,
:func:`formats`); :mod:`dangjian.outputs.columns` the one flattening of a finding into columns.
The built-in formats are registered here, in this order, when :mod:`dangjian` is imported.
"""

from dangjian.outputs import csv, json, junit, markdown, text, xlsx
from dangjian.outputs.columns import COLUMNS, Column, ColumnType
from dangjian.outputs.registry import (
    ReportFormat,
    Writer,
    add_format,
    format_names,
    formats,
    get_format,
    register_format,
    unregister_format,
)

__all__ = [
    "COLUMNS",
    "Column",
    "ColumnType",
    "ReportFormat",
    "Writer",
    "add_format",
    "format_names",
    "formats",
    "get_format",
    "register_format",
    "unregister_format",
]

for _builtin in (
    text.FORMAT,
    json.FORMAT,
    markdown.FORMAT,
    csv.FORMAT,
    junit.FORMAT,
    xlsx.FORMAT,
    csv.CODES_FORMAT,
    text.VERBOSE_FORMAT,
):
    add_format(_builtin, replace=True)  # replace: a second import (doctests) is harmless
