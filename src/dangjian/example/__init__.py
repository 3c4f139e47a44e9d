"""The bundled example, shipped inside the package: ``dangjian example DIR`` writes it out.

A city bureau's organ party committee (市X局机关党委) over the first half of 2020, with fictional
records filling a real work summary (docs/examples.md):

- ``x-bureau-2020h1.yaml``: the ledger (台账);
- ``x-bureau-plan.toml``: the organisation's own plan, as rules on top of the ``organ`` profile;
- ``x-bureau-waivers.toml``: the failures it excused, with reasons;
- ``dues-policy-round-up.toml``: a local dues policy (rounding up to the 角, a minimum of
  0.10 元) as a rules file that overrides the dues rules' parameters, for ``--rules``;
- ``x-bureau-2020h1.xlsx``: the same ledger as an Excel workbook. It is not kept anywhere: it is
  written from the YAML ledger by dangjian's own Excel writer each time (it needs openpyxl, the
  ``excel`` extra), so the two cannot drift apart.

The text files in this directory are the repository's one copy of the example; after
``dangjian example examples`` the commands of the documentation
(``dangjian check examples/x-bureau-2020h1.yaml …``) run as written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import attrs

from dangjian._files import write_bytes
from dangjian.errors import DangjianError
from dangjian.i18n import t

__all__ = [
    "DUES_POLICY",
    "FILES",
    "LEDGER",
    "PLAN",
    "WAIVERS",
    "WORKBOOK",
    "Written",
    "read",
    "write",
]

LEDGER = "x-bureau-2020h1.yaml"
"""The example ledger."""
PLAN = "x-bureau-plan.toml"
"""The organisation's plan: its own rules."""
WAIVERS = "x-bureau-waivers.toml"
"""Its waivers."""
DUES_POLICY = "dues-policy-round-up.toml"
"""A local dues policy, as a rules file (docs/checking.md, 本地党费计算办法)."""
WORKBOOK = "x-bureau-2020h1.xlsx"
"""The example ledger as a workbook, written from :data:`LEDGER` (not a file of the package)."""

FILES = (LEDGER, PLAN, WAIVERS, DUES_POLICY)
"""The files of the package's example, as :func:`write` writes them (before the workbook)."""


def read(name: str) -> bytes:
    """The content of the example file ``name`` (one of :data:`FILES`), as shipped.

    >>> read(LEDGER).decode("utf-8").splitlines()[3]
    'name: 市X局机关党委'
    """
    if name not in FILES:
        raise ValueError(f"not a file of the example: {name!r}")
    return resources.files(__name__).joinpath(name).read_bytes()


@attrs.frozen
class Written:
    """What :func:`write` did: the files it wrote, and why the workbook was left out if it was."""

    files: tuple[Path, ...]
    """The files written, in the order of :data:`FILES`, then the workbook."""
    without_workbook: DangjianError | None = None
    """Why the workbook was not written (openpyxl is missing), or ``None`` when it was."""


def write(
    directory: str | os.PathLike[str], *, overwrite: bool = False, workbook: bool = True
) -> Written:
    """Write the example into ``directory`` (made when missing, with its parents).

    Each file is written whole or not at all (a temporary file, then a rename), the ledgers
    readable by their owner only when new, as :func:`dangjian.dump` writes ledgers. Before
    anything is written, every file that exists is looked for: without ``overwrite`` they are
    refused all at once and nothing is written.

    Args:
        directory: Where to write the files.
        overwrite: Whether existing files of the same names may be replaced.
        workbook: Whether to write the workbook too; it is left out (and :attr:`Written.
            without_workbook` says why) when openpyxl is not installed.

    Raises:
        DangjianError: ``directory`` is not a directory, or files exist and ``overwrite`` is
            false (every one of them named).
        OSError: a file cannot be written (the files written before it stay).
    """
    from dangjian._optional import require

    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise DangjianError(t("{directory}：已存在，且不是目录", directory=str(target)))
    without: DangjianError | None = None
    names: list[str] = list(FILES)
    if workbook:
        try:
            require("openpyxl", "excel")
        except DangjianError as e:
            without = e
        else:
            names.append(WORKBOOK)
    if not overwrite:
        _refuse_existing(target, [n for n in names if os.path.lexists(target / n)])
    from dangjian.io import dump, loads

    # the workbook's ledger is read first: a failure there leaves nothing written
    ledger = (
        loads(read(LEDGER).decode("utf-8"), "yaml", source=LEDGER) if WORKBOOK in names else None
    )
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in FILES:
        write_bytes(target / name, read(name), private=name == LEDGER, overwrite=overwrite)
        written.append(target / name)
    if ledger is not None:
        dump(ledger, target / WORKBOOK, overwrite=overwrite)
        written.append(target / WORKBOOK)
    return Written(tuple(written), without)


def _refuse_existing(directory: Path, existing: Sequence[str]) -> None:
    if existing:
        raise DangjianError(
            t(
                "{directory}：已有文件 {files}，未写入任何文件（命令行加 --force 可覆盖）",
                directory=str(directory),
                files=", ".join(existing),
            )
        )
