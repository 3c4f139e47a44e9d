"""A mypy plugin: the field declarations of ``dangjian.model._declare`` make attrs fields.

mypy's attrs plugin knows a field by the function that makes it (``attrs.field``); without this,
it would take ``field("编号", …)`` for a default value, so that every field looked optional and a
missing required argument went unnoticed. (``collection()`` is left out: its default, an empty
tuple, is set inside it, so that mypy is right to take it for a default.) ``tests/test_declare.py``
checks that mypy still tells.
"""

from __future__ import annotations

from mypy.plugin import Plugin
from mypy.plugins import attrs as attrs_plugin

attrs_plugin.attr_attrib_makers.update(
    {
        "dangjian.model._declare.field",
        "dangjian.model._declare.ref",
    }
)


def plugin(version: str) -> type[Plugin]:
    return Plugin
