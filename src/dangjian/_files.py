"""Writing files so that a failed write never loses the file that was there.

Every file dangjian writes goes through :func:`write_bytes` or :func:`replacing`: the content is
written to a new temporary file in the target's directory, flushed and synced to the disk, and
only then renamed over the target with :func:`os.replace`, which is atomic: a reader sees the old
file or the new one, never a part of either. When anything goes wrong before the rename (the
content cannot be made, the disk is full, a file-size limit is hit, the process is interrupted
by an exception), the temporary file is removed and the target is as it was. The directory is
synced after the rename where the system allows it, so the rename itself survives a crash.

The new file keeps the permissions of the file it replaces. A new file is readable by its owner
only (``0600``) when it is ``private`` (a ledger, which holds full resident ids); otherwise it
gets the usual permissions, ``0666`` less the process's umask. A symbolic link as the target is
followed: the file it points to is replaced and the link stays. A file with several hard links
is replaced under the one name written to; its other names keep the old content. A device or a
pipe as the target (``/dev/null``, ``/dev/stdout``) is written to directly: there is no file to
replace. A file that the process may not write (made read-only) is refused with
:class:`PermissionError`, as writing it in place was, though the rename alone would replace it.

:func:`refuse_same` refuses an output that is one of the inputs, however its name is spelled.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from dangjian.errors import DangjianError
from dangjian.i18n import t

__all__ = [
    "cannot_encode",
    "refuse_existing",
    "refuse_same",
    "replacing",
    "same_file",
    "write_bytes",
    "write_text",
]

PRIVATE_MODE = 0o600
"""The permissions of a new file that holds personal data: read and write by its owner only."""

_NAME_ROOM = 200
"""The most bytes of the target's name kept in the name of its temporary file."""

_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def write_text(
    path: str | os.PathLike[str], text: str, *, private: bool = False, overwrite: bool = True
) -> None:
    """Write ``text`` as UTF-8 to ``path``, atomically (see the module).

    The text is encoded before any file is opened, so text that cannot be encoded leaves the
    target untouched.

    Raises:
        DangjianError: the text cannot be encoded as UTF-8 (it holds a lone surrogate), or
            ``overwrite`` is false and ``path`` exists.
        OSError: the file cannot be written; the target is as it was.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise cannot_encode(path, e) from None
    write_bytes(path, data, private=private, overwrite=overwrite)


def cannot_encode(path: str | os.PathLike[str], e: UnicodeEncodeError) -> DangjianError:
    """The error for text that cannot be written as UTF-8 (a lone surrogate) to ``path``."""
    char = ascii(e.object[e.start : e.start + 1])
    return DangjianError(
        t("{path}：字符 {char} 无法以 UTF-8 写出，文件未改动", path=os.fspath(path), char=char)
    )


def write_bytes(
    path: str | os.PathLike[str], data: bytes, *, private: bool = False, overwrite: bool = True
) -> None:
    """Write ``data`` to ``path``, atomically (see the module).

    Raises:
        DangjianError: ``overwrite`` is false and ``path`` exists.
        OSError: the file cannot be written; the target is as it was.
    """
    with replacing(path, private=private, overwrite=overwrite) as f:
        f.write(data)


@contextlib.contextmanager
def replacing(
    path: str | os.PathLike[str], *, private: bool = False, overwrite: bool = True
) -> Iterator[BinaryIO]:
    """A binary file to write the new content of ``path`` into; it replaces ``path`` at the end.

    When the block raises, the temporary file is removed and ``path`` is untouched. Writers
    make their whole content first and then write it with :func:`write_bytes`, so that nothing
    of theirs is left half done when the disk fails.

    Args:
        path: The file to write.
        private: Whether a new file is readable by its owner only (``0600``).
        overwrite: Whether an existing ``path`` may be replaced; when false, an existing file is
            refused, also one that appears while the content is being written.

    Raises:
        DangjianError: ``overwrite`` is false and ``path`` exists.
        PermissionError: ``path`` exists and the process may not write it.
        OSError: the file cannot be written; ``path`` is as it was.
    """
    if not overwrite:
        refuse_existing(path)
    existing = _existing(path)  # through links, as the system follows them
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        if stat.S_ISDIR(existing.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", os.fspath(path))
        # a device or a pipe (/dev/null, /dev/stdout, a FIFO): nothing to replace, write to it;
        # opened by the name given, since /dev/stdout on a pipe has no path of its own
        with open(path, "wb") as device:
            yield device
        return
    if existing is not None and not os.access(path, os.W_OK):
        # a file made read-only is protected, as it was when it was written in place
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
    target = Path(os.path.realpath(path))  # a symbolic link stays a link to the new file
    mode = PRIVATE_MODE if private or existing is not None else 0o666
    fd, temp = _create(target, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            if existing is not None:
                _keep_owner_and_mode(temp, existing)
        if overwrite:
            os.replace(temp, target)
        else:
            _link_new(temp, target, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_directory(target.parent)


def _existing(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The status of the file at ``path``, or ``None`` when there is none."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _keep_owner_and_mode(temp: str, old: os.stat_result) -> None:
    """Give the new file the permissions of the one it replaces, and its group and owner as far
    as the process may (its group, when the process belongs to it; its owner, as root)."""
    chown = getattr(os, "chown", None)
    if chown is not None:
        with contextlib.suppress(OSError):
            chown(temp, old.st_uid if os.geteuid() == 0 else -1, old.st_gid)
    os.chmod(temp, stat.S_IMODE(old.st_mode))


def _create(target: Path, mode: int) -> tuple[int, str]:
    """A new, empty file next to ``target`` with a name of its own; the system applies the umask."""
    directory = target.parent
    name = target.name
    while len(os.fsencode(name)) > _NAME_ROOM:  # the longest name a file system allows is
        name = name[:-1]  # 255 bytes; the temporary name adds 14 to the target's
    for _ in range(100):
        temp = os.fspath(directory / f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, _FLAGS, mode), temp
        except FileExistsError:
            continue
        except OSError as e:  # named by the file to write, not by the temporary one
            raise type(e)(
                e.errno,
                f"{e.strerror}（无法在 {directory} 中建立临时文件，未写入任何内容）"
                f"(no temporary file can be made in {directory} to write it; nothing was changed)",
                os.fspath(target),
            ) from None
    raise FileExistsError(f"{directory}: no free name for a temporary file")  # pragma: no cover


def _link_new(temp: str, target: Path, named: str | os.PathLike[str]) -> None:
    """Put ``temp`` at ``target`` only when nothing is there, then remove the name ``temp``."""
    try:
        os.link(temp, target)
    except FileExistsError:
        refuse_existing(named)
        raise
    except OSError:
        # a file system without hard links: check, then rename (not atomic against a racer)
        refuse_existing(named)
        os.replace(temp, target)
        return
    os.unlink(temp)


def _sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable, where the system allows syncing a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def refuse_existing(path: str | os.PathLike[str]) -> None:
    """Refuse to replace the file at ``path``.

    Raises:
        DangjianError: ``path`` exists.
    """
    if os.path.lexists(path) and not _is_device(path):
        raise DangjianError(
            t("{path}：文件已存在，未覆盖（命令行加 --force 可覆盖）", path=os.fspath(path))
        )


def _is_device(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a device or a pipe (``/dev/null``, ``/dev/stdout``), not a file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` name the same existing file (through links, ``..``, hard links)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_same(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse to write ``output`` when it is one of ``inputs``, however either is spelled.

    Raises:
        DangjianError: ``output`` is the same file as one of ``inputs``.
    """
    for given in inputs:
        if same_file(output, given):
            raise DangjianError(
                t(
                    "{output}：输出文件就是输入文件 {input}，拒绝覆盖，请另选输出文件",
                    output=os.fspath(output),
                    input=os.fspath(given),
                )
            )
