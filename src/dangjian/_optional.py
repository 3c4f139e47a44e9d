"""Optional dependencies, imported when a feature that needs them is first used.

dangjian's core needs none of pandas, matplotlib, openpyxl or python-docx; each feature that does
imports its library through :func:`require`, inside the function that uses it, so that
``import dangjian`` works without them and a missing one gives a message that says which extra
to install:

>>> require("json", "frames").__name__
'json'
>>> require("no_such_module_here", "frames")
Traceback (most recent call last):
  ...
dangjian.errors.DangjianError: 此功能需要 no_such_module_here，请安装：pip install "dangjian[frames]" (this feature needs no_such_module_here: pip install "dangjian[frames]")

To keep type checking, a caller may import the module again by name once :func:`require` has
succeeded (``require("pandas", "frames")`` then ``import pandas as pd``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from dangjian.errors import DangjianError
from dangjian.i18n import t

__all__ = ["require"]


def require(name: str, extra: str) -> ModuleType:
    """The module ``name``, imported; a clear error naming the extra to install when it is missing.

    Args:
        name: The module to import (``"pandas"``, ``"matplotlib.pyplot"``, ``"openpyxl"``).
        extra: The extra of the ``dangjian`` distribution that installs it (``"frames"``,
            ``"charts"``, ``"excel"``, ``"docx"``).

    Raises:
        DangjianError: the module (or something it imports) cannot be imported; the message says
            ``pip install "dangjian[extra]"`` in Chinese and English, and the original
            :class:`ImportError` is chained as its cause.
    """
    try:
        return importlib.import_module(name)
    except ImportError as e:
        top = name.partition(".")[0]
        command = f'pip install "dangjian[{extra}]"'
        raise DangjianError(
            t("此功能需要 {top}，请安装：{command}", top=top, command=command)
        ) from e
