"""A ledger as a directory of Parquet files, one per table: ``dangjian export`` and ``import``.

:func:`export` writes every table of :func:`~dangjian.tables.arrow.to_arrow` as
``<table>.parquet`` (``members.parquet``, ``members.transfers.parquet``, ``ledger.parquet``,
``ledger.decimals.parquet`` …) into a new directory; :func:`read` gives a directory's tables
without making a ledger (what a table engine needs); :func:`load` reads them back into the
ledger, strictly (:func:`~dangjian.tables.arrow.from_arrow`).

The directory is written whole or not at all: the files are written into a temporary directory
next to the target, each flushed to the disk, and the directory is renamed into place only
when all are complete. An existing directory is never written into: an empty one is replaced,
a previous export only when asked (``replace=True``), anything else is refused.

Needs the ``tables`` extra (pyarrow).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from dangjian._optional import require
from dangjian.errors import DangjianError, LedgerError, Problem
from dangjian.i18n import t
from dangjian.ledger import Ledger
from dangjian.tables.arrow import LEDGER_TABLE, from_arrow, table_names, to_arrow

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SUFFIX", "export", "is_export", "load", "paths", "read"]

SUFFIX = ".parquet"
"""The suffix of each table's file (or directory of files)."""

PRIVATE_MODE = 0o600
"""The permissions of each file written: a ledger holds full resident ids."""


def _require() -> None:
    require("pyarrow", "tables")


def _ignored(name: str) -> bool:
    """Names a directory of tables may hold besides them: hidden files and the markers that
    Spark and Hadoop leave (``.crc`` files, ``_SUCCESS``)."""
    return name.startswith((".", "_"))


def is_export(directory: str | os.PathLike[str]) -> bool:
    """Whether ``directory`` holds a previous export and nothing else: files named after the
    tables (``<table>.parquet``), ``ledger.parquet`` among them."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return False
    known = {name + SUFFIX for name in table_names()}
    names = {e.name for e in entries}
    return (
        LEDGER_TABLE + SUFFIX in names
        and names <= known
        and all(e.is_file(follow_symlinks=False) for e in entries)
    )


def export(ledger: Ledger, directory: str | os.PathLike[str], *, replace: bool = False) -> None:
    """Write ``ledger`` as one Parquet file per table into the new directory ``directory``.

    The tables are made first; the files are then written into a temporary directory beside
    ``directory`` (readable by its owner only) and synced to the disk; the temporary directory
    becomes ``directory`` in one rename. When anything fails before, it is removed and nothing
    else has changed. A previous export replaced with ``replace=True`` is moved aside first and
    removed after the new one is in place (so between the two renames there is no
    ``directory``; were the process killed then, the old export stays beside it as
    ``.<name>.<random>.old``).

    Args:
        ledger: The ledger.
        directory: The directory to make. It may exist when it is empty, or when it is a previous
            export (:func:`is_export`) and ``replace`` is true.
        replace: Whether a previous export in ``directory`` may be replaced.

    Raises:
        DangjianError: ``directory`` is a file, a directory with other content, or a previous
            export while ``replace`` is false; or pyarrow is not installed.
        OSError: the files cannot be written; nothing was changed.
    """
    _require()
    import pyarrow.parquet as pq

    target = Path(os.path.realpath(directory))
    previous = _refuse(target, Path(directory), replace)
    arrow = to_arrow(ledger)
    temp = _temporary(target, "tmp")
    try:
        for name, data in arrow.items():
            fd = os.open(temp / f"{name}{SUFFIX}", _FLAGS, PRIVATE_MODE)
            with os.fdopen(fd, "wb") as f:
                pq.write_table(data, f)
                f.flush()
                os.fsync(f.fileno())
        _sync(temp)
        if previous:
            old = _temporary(target, "old", make=False)
            os.rename(target, old)
            try:
                os.rename(temp, target)
            except BaseException:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, target)  # over an empty directory, if there is one
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _sync(target.parent)


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _refuse(target: Path, named: Path, replace: bool) -> bool:
    """Refuse a target that may not be written; whether it is a previous export to replace."""
    if not os.path.lexists(target):
        return False
    if not target.is_dir():
        raise DangjianError(t("{path}：已存在同名文件，不是目录，未覆盖", path=str(named)))
    if not any(os.scandir(target)):
        return False
    if not is_export(target):
        raise DangjianError(
            t(
                "{path}：目录已存在且有其他内容（不是先前导出的台账），未写入；请另选一个新目录",
                path=str(named),
            )
        )
    if not replace:
        raise DangjianError(
            t(
                "{path}：目录中已有先前导出的台账，未覆盖（命令行加 --force 可替换）",
                path=str(named),
            )
        )
    return True


def _temporary(target: Path, kind: str, *, make: bool = True) -> Path:
    """A new name beside ``target`` (a new directory readable by its owner only when ``make``)."""
    for _ in range(100):
        path = target.parent / f".{target.name[:200]}.{secrets.token_hex(4)}.{kind}"
        if os.path.lexists(path):
            continue
        if make:
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                continue
        return path
    raise FileExistsError(
        f"{target.parent}: no free name for a temporary directory"
    )  # pragma: no cover


def _sync(directory: Path) -> None:
    """Make the entries of ``directory`` durable, where the system allows syncing a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(fd)
    os.close(fd)


def paths(directory: str | os.PathLike[str]) -> dict[str, Path]:
    """The table files (or directories of files) in ``directory``, by table name, in the order
    of their names; hidden entries and those starting with ``_`` are left out.

    Raises:
        DangjianError: ``directory`` is not a directory.
        LedgerError: it holds something that is not a ``.parquet`` table.
    """
    base = Path(directory)
    if not base.is_dir():
        raise DangjianError(t("{path}：不是目录，或不存在", path=str(directory)))
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for entry in sorted(os.scandir(base), key=lambda e: e.name):
        if _ignored(entry.name):
            continue
        if entry.name.endswith(SUFFIX) and len(entry.name) > len(SUFFIX):
            found[entry.name.removesuffix(SUFFIX)] = base / entry.name
        else:
            problems.append(
                Problem(
                    path=entry.name,
                    code="unknown_file",
                    message=t("目录中有不是 Parquet 表（.parquet）的「{name}」", name=entry.name),
                )
            )
    if problems:
        raise LedgerError(problems, source=os.fspath(directory))
    return found


def read(directory: str | os.PathLike[str]) -> dict[str, pa.Table]:
    """The tables in ``directory``, by name (``members`` for ``members.parquet``), as they are:
    not checked against the layout (:func:`load` does that).

    A table may also be a directory of Parquet files named ``<table>.parquet``, as Spark writes.

    Raises:
        DangjianError: ``directory`` is not a directory, or pyarrow is not installed.
        LedgerError: a file cannot be read as Parquet, or one is not a ``.parquet`` table; every
            one is listed.
    """
    _require()
    import pyarrow as pa
    import pyarrow.parquet as pq

    out: dict[str, pa.Table] = {}
    problems: list[Problem] = []
    for name, path in paths(directory).items():
        try:
            out[name] = pq.read_table(path)
        except (pa.ArrowException, OSError) as e:
            problems.append(
                Problem(
                    path=name,
                    code="unreadable",
                    message=t(
                        "无法读取 Parquet 文件「{file}」：{error}", file=path.name, error=str(e)
                    ),
                )
            )
    if problems:
        raise LedgerError(problems, source=os.fspath(directory))
    return out


def load(directory: str | os.PathLike[str]) -> Ledger:
    """The ledger exported into ``directory`` (or a platform's tables in the same layout), read
    strictly and validated.

    Raises:
        DangjianError: ``directory`` is not a directory, or pyarrow is not installed.
        LedgerError: every problem, each at ``table[row].column``
            (:func:`~dangjian.tables.arrow.from_arrow`).
    """
    return from_arrow(read(directory), source=os.fspath(directory))
