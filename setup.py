"""Build step of dangjian: compile the message catalogs (``.po``) into ``.mo`` files in the wheel.

Everything else is declared in pyproject.toml. An editable install (``pip install -e .``) keeps
no ``.mo`` files: it reads the ``.po`` files of the source tree through babel instead.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogs(build_py):
    """``build_py`` that also compiles every ``dangjian/locale/*/LC_MESSAGES/*.po`` it copies."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.build_lib, "dangjian", "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalog = read_po(f)
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        return outputs + [str(Path(o).with_suffix(".mo")) for o in outputs if o.endswith(".po")]


setup(cmdclass={"build_py": BuildPyWithCatalogs})
