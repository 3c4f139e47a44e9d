"""Reading and writing ledgers as JSON, YAML, TOML and Excel, chosen by the file's suffix."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Hashable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import tomli_w
import yaml

from dangjian._files import cannot_encode, write_text
from dangjian._gc import collector_paused
from dangjian.errors import DangjianError, LedgerError, Problem, ProblemsError
from dangjian.i18n import Message, given, t
from dangjian.io._structuring import fast, structure_ledger
from dangjian.io._writable import may_hold_surrogates, surrogate_at, unwritable
from dangjian.io.converter import (
    MAX_DIGITS,
    DuplicateKeys,
    OverlongNumber,
    UnplainFloat,
    UnplainInt,
)
from dangjian.ledger import Ledger

if TYPE_CHECKING:
    from dangjian.io._excel_archive import ExcelLimits

__all__ = ["FORMATS", "FileFormat", "Format", "dump", "dumps", "format_of", "load", "loads"]

Format = Literal["json", "yaml", "toml"]
"""The text formats, which :func:`loads` and :func:`dumps` read and write."""

FileFormat = Literal["json", "yaml", "toml", "xlsx", "xls"]
"""The file formats: the text formats, and Excel workbooks (:mod:`dangjian.io.excel`); legacy
``.xls`` workbooks are read, never written."""

FORMATS: dict[str, FileFormat] = {
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".xlsx": "xlsx",
    ".xls": "xls",
}
"""The file suffixes dangjian reads and writes, and the format of each."""


def format_of(path: str | os.PathLike[str]) -> FileFormat:
    """The format of a ledger file, from its suffix.

    Raises:
        DangjianError: the suffix is not one of :data:`FORMATS`.
    """
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise DangjianError(
            t(
                "{path}：无法根据扩展名「{suffix}」判断文件格式，可用：{known}",
                path=str(path),
                suffix=suffix,
                known="、".join(FORMATS),
                names=", ".join(FORMATS),
            )
        ) from None


# -- parsing ---------------------------------------------------------------------------------


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    marked = DuplicateKeys(result)
    seen: set[str] = set()
    marked.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return marked


MAX_ALIAS_GROWTH = 10
"""How many times the nodes a YAML document writes its aliases (``*name``) may repeat it."""

MAX_ALIAS_NODES = 1_000_000
"""The most nodes a YAML document may expand to through its aliases, however long it is."""


def _json_int(text: str) -> int | OverlongNumber:
    if len(text.lstrip("-")) > MAX_DIGITS:
        return OverlongNumber(len(text.lstrip("-")))
    return int(text)


def _json_decimal(text: str) -> Decimal | OverlongNumber:
    if len(text) > MAX_DIGITS + 16:
        return OverlongNumber(sum(c.isdigit() for c in text))
    return Decimal(text)


def _too_deep() -> TextSyntaxError:
    return _syntax(t("嵌套层数过多（列表或对象套得太深）"))


def _parse_json(text: str) -> Any:
    try:
        return json.loads(
            text, parse_float=_json_decimal, parse_int=_json_int, object_pairs_hook=_json_object
        )
    except json.JSONDecodeError as e:
        raise _syntax(_at(e.lineno, e.colno, _verbatim(e.msg))) from None
    except RecursionError:
        raise _too_deep() from None


_YamlLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YamlDumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _StrictYamlLoader(_YamlLoader):  # type: ignore[misc]
    """The safe YAML loader, marking mappings whose keys repeat."""


def _yaml_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
    # Keys merged in with ``<<: *anchor`` come first once flattened and may be overridden by
    # the mapping's own keys, as YAML says; only the mapping's own keys must not repeat.
    own = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own
    pairs: list[tuple[Any, Any]] = []
    for k, v in node.value:
        key = loader.construct_object(k, deep=deep)
        if not isinstance(key, Hashable):
            # as the safe loader itself does; a plain dict would raise TypeError instead
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found unhashable key",
                k.start_mark,
            )
        pairs.append((key, loader.construct_object(v, deep=deep)))
    if merged:
        base = dict(pairs[:merged])
        checked = _json_object(pairs[merged:])
        base.update(checked)
        if isinstance(checked, DuplicateKeys):
            marked = DuplicateKeys(base)
            marked.duplicates = checked.duplicates
            return marked
        return base
    return _json_object(pairs)


def _yaml_timestamp(loader: Any, node: Any) -> Any:
    """A date or date-time, or the text itself when it is not a real one (``2020-02-30``).

    Keeping the text lets the converter report the bad date at its path.
    """
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


# YAML 1.1 reads ``4_5`` as 45, ``010`` as 8, ``0x1F`` as 31 and ``1:30`` as 90; a ledger says
# what it means.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _yaml_int(loader: Any, node: Any) -> Any:
    """A whole number; one written otherwise than plainly (``4_5``, ``010``, ``0x1F``, ``1:30``)
    is marked as such, for the converter to refuse where it stands (and to tell to quote it
    where text or a time is expected)."""
    text = loader.construct_scalar(node)
    if len(text.lstrip("+-")) > MAX_DIGITS:
        return OverlongNumber(len(text.lstrip("+-")))
    value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if _PLAIN_INT.fullmatch(text):
        return value
    marked = UnplainInt(value)
    marked.written = text
    return marked


def _yaml_float(loader: Any, node: Any) -> Any:
    text = loader.construct_scalar(node)
    if len(text) > MAX_DIGITS + 16:
        return OverlongNumber(sum(c.isdigit() for c in text))
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if "_" not in text:
        return value
    marked = UnplainFloat(value)
    marked.written = text
    return marked


def _expanded_size(root: Any) -> tuple[int, int, Any]:
    """The nodes a YAML node graph writes, the nodes it stands for once its aliases are
    expanded, and the node repeated into the most of them (``None`` when none repeats).

    Aliases make the graph share nodes; a node reached twice was written once. A node that
    contains itself expands without end: its expanded size is returned as unbounded.
    """
    sizes: dict[int, int] = {}
    seen_twice: dict[int, Any] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), MAX_ALIAS_NODES + 1)
            continue
        if key in sizes:
            seen_twice[key] = node
            continue
        if key in on_path:
            return len(sizes), MAX_ALIAS_NODES + 1, node
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in sizes or id(child) in on_path:
                seen_twice[id(child)] = child
            stack.append((child, False))
    worst = max(seen_twice.values(), key=lambda n: sizes.get(id(n), 0), default=None)
    return len(sizes), sizes[id(root)], worst


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _BoundedYamlLoader(_StrictYamlLoader):
    """The strict loader, refusing a document whose aliases expand it past the limits."""

    def construct_document(self, node: Any) -> Any:
        written, expanded, worst = _expanded_size(node)
        if expanded > min(MAX_ALIAS_GROWTH * written, MAX_ALIAS_NODES):
            mark = worst.start_mark if worst is not None else node.start_mark
            raise _AliasBomb(written, expanded, mark)
        return super().construct_document(node)


class _AliasBomb(Exception):
    def __init__(self, written: int, expanded: int, mark: Any) -> None:
        self.written, self.expanded, self.mark = written, expanded, mark


_StrictYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _yaml_mapping)
_StrictYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _yaml_timestamp)
_StrictYamlLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)
_StrictYamlLoader.add_constructor("tag:yaml.org,2002:float", _yaml_float)


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_BoundedYamlLoader)
    except _AliasBomb as e:
        where = e.mark.line + 1, e.mark.column + 1
        more = e.expanded > MAX_ALIAS_NODES
        e.expanded = min(e.expanded, MAX_ALIAS_NODES)
        expanded = t("超过{count}", count=e.expanded) if more else _verbatim(str(e.expanded))
        raise _syntax(
            _at(
                *where,
                t(
                    "别名（*名称）展开后有{expanded}个节点，文件只写了{written}个；"
                    "上限为所写节点的{growth}倍、至多{most}个",
                    expanded=expanded,
                    written=e.written,
                    growth=MAX_ALIAS_GROWTH,
                    most=MAX_ALIAS_NODES,
                ),
            )
        ) from None
    except RecursionError:
        raise _too_deep() from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        what = _verbatim(str(e.problem))
        raise _syntax(_at(mark.line + 1, mark.column + 1, what) if mark else what) from None
    except yaml.YAMLError as e:
        raise _syntax(_verbatim(str(e))) from None


_LONG_NUMBER = re.compile(f"[0-9_]{{{MAX_DIGITS + 1},}}")


def _parse_toml(text: str) -> Any:
    try:
        return tomllib.loads(text, parse_float=_json_decimal)
    except tomllib.TOMLDecodeError as e:
        raise _syntax(_verbatim(str(e))) from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError as e:
        # Python's limit on converting long integers (4,300 digits); tomllib has no hook for
        # integers, so find the number to say where it is.
        long = _LONG_NUMBER.search(text)
        if long is None:
            raise _syntax(_verbatim(str(e))) from None
        line = text.count("\n", 0, long.start()) + 1
        column = long.start() - (text.rfind("\n", 0, long.start()) + 1) + 1
        digits = sum(c.isdigit() for c in long[0])
        raise _syntax(_at(line, column, t("数字有{digits}位，过长", digits=digits))) from None


class TextSyntaxError(Exception):
    """A document that cannot be parsed; :attr:`problem` says where and why (code ``syntax``)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _syntax(detail: Message) -> TextSyntaxError:
    return TextSyntaxError(
        Problem(path="", code="syntax", message=t("文件格式有误，{detail}", detail=detail))
    )


def _at(line: int, column: int, what: Message) -> Message:
    return t("第{line}行第{column}列：{what}", line=line, column=column, what=what)


def _verbatim(text: str) -> Message:
    """Text the same in every language (a parser's own message)."""
    return given({"zh": text})


_PARSERS: dict[Format, Callable[[str], Any]] = {
    "json": _parse_json,
    "yaml": _parse_yaml,
    "toml": _parse_toml,
}


def parse_text(text: str, format: Format) -> Any:
    """The data of a document in a text format, parsed strictly, not yet structured: duplicate
    keys are kept to be reported (:class:`~dangjian.io.converter.DuplicateKeys`), overlong
    numbers are marked, deep nesting and runaway YAML aliases are refused. Ledgers, rule files
    and waiver files are all read with it.

    Raises:
        TextSyntaxError: the text cannot be parsed as ``format``.
    """
    return _PARSERS[format](text)


# -- the public functions ------------------------------------------------------------------


def loads(text: str, format: Format, *, source: str | None = None) -> Ledger:
    """A ledger read from ``text`` in ``format``, structured and validated.

    Args:
        text: The document.
        format: ``"json"``, ``"yaml"`` or ``"toml"``.
        source: Where the text came from, named in errors.

    Raises:
        DangjianError: ``format`` is not a text format (an Excel workbook is read by :func:`load`).
        LedgerError: the text cannot be parsed, does not fit the ledger format, or its records do
            not fit together, or it holds text that cannot be written as UTF-8 (a lone
            surrogate such as ``"\\udfff"``); every problem is listed with its path.
    """
    return _loads(text, format, source, decoded=False)


def _loads(text: str, format: Format, source: str | None, *, decoded: bool) -> Ledger:
    """:func:`loads`; ``decoded`` says that ``text`` was decoded from UTF-8 (and so holds no
    lone surrogate of its own)."""
    _text_format(format)
    suspect = may_hold_surrogates(text, decoded=decoded)
    if suspect and format == "yaml" and (at := surrogate_at(text)):
        # the YAML parser cannot even read such text: say where it is
        line, column = at
        problem = _syntax(
            _at(line, column, t("含有无法以 UTF-8 保存的字符（单独的代理项）"))
        ).problem
        raise LedgerError([problem], source=source)
    with collector_paused():
        try:
            data = _PARSERS[format](text)
        except TextSyntaxError as e:
            raise LedgerError([e.problem], source=source) from None
        if suspect and (bad := unwritable(data)):
            try:
                structure_ledger(data, source)
            except LedgerError as e:
                bad += e.problems
            raise LedgerError(bad, source=source)
        ledger = structure_ledger(data, source)
        del data  # freed before the collector restarts, which then need not walk it
    return ledger


def load(path: str | os.PathLike[str], *, limits: ExcelLimits | None = None) -> Ledger:
    """The ledger in the file at ``path``; the format is chosen by the suffix.

    Args:
        path: The file.
        limits: For an ``.xlsx`` workbook, how much of it is read before it is refused
            (:class:`~dangjian.io.excel.ExcelLimits`; the defaults when ``None``).

    Raises:
        DangjianError: the suffix is unknown, or openpyxl is missing for an ``.xlsx`` file.
        ProblemsError: ``limits`` is given for a file that is not a workbook.
        LedgerError: the file is not a valid ledger; every problem is listed with its path.
        OSError: the file cannot be read.
    """
    fmt = format_of(path)
    if fmt == "xlsx" or fmt == "xls":
        from dangjian.io.excel import load_excel

        return load_excel(path, limits=limits)
    if limits is not None:
        problem = Problem(
            path="",
            code="limits_not_excel",
            message=t(
                "Excel 读取上限（limits=、--excel-limit）只用于 .xlsx 台账，不用于 {format} 文件",
                format=fmt.upper(),
            ),
        )
        raise ProblemsError([problem], source=os.fspath(path))
    text = decode_text(Path(path).read_bytes())
    if isinstance(text, Problem):
        raise LedgerError([text], source=os.fspath(path))
    return _loads(text, fmt, os.fspath(path), decoded=True)


def decode_text(raw: bytes) -> str | Problem:
    """The text of a file in UTF-8 (with or without a byte order mark), or what is wrong.

    A file that is not UTF-8 but reads as GBK / GB18030 (what Chinese editions of Windows and
    older systems save) is named as such, with how to convert it.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        byte = e.start
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        message = t("文件不是 UTF-8 编码，第{line}行（第{byte}字节）", line=line, byte=byte)
    else:
        message = t(
            "文件不是 UTF-8 编码，第{line}行（第{byte}字节）；看起来是 GBK/GB18030 编码，"
            "请用编辑器另存为 UTF-8，或转换：iconv -f GB18030 -t UTF-8 原文件 > 新文件",
            line=line,
            byte=byte,
        )
    return Problem(path="", code="encoding", message=message)


def to_data(ledger: Ledger) -> dict[str, Any]:
    """The ledger as plain data: dicts, lists, text, whole numbers and booleans."""
    data: dict[str, Any] = fast().unstructure(ledger)
    return data


def dumps(ledger: Ledger, format: Format) -> str:
    """The ledger written as ``format`` text, which :func:`loads` reads back equal."""
    _text_format(format)
    data = to_data(ledger)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if format == "yaml":
        text: str = yaml.dump(
            data, Dumper=_YamlDumper, allow_unicode=True, sort_keys=False, width=100
        )
        return text
    return tomli_w.dumps(data)


def dump(ledger: Ledger, path: str | os.PathLike[str], *, overwrite: bool = True) -> None:
    """Write the ledger to ``path`` in the format its suffix names, as UTF-8 (or a workbook).

    The file is written whole or not at all: the ledger is written to a temporary file next to
    ``path``, which then replaces ``path`` in one step, so a write that fails (a full disk, text
    that cannot be written) leaves the file that was there as it was. A new file is readable by
    its owner only (``0600``), since a ledger holds full resident ids; a file that is replaced
    keeps its permissions. docs/format.md says more.

    Args:
        ledger: The ledger.
        path: The file to write; its suffix names the format.
        overwrite: Whether an existing file may be replaced (by default it is); when false, an
            existing file is refused with :class:`~dangjian.errors.DangjianError`.

    Raises:
        DangjianError: the suffix is unknown, openpyxl is missing for an ``.xlsx`` file, or
            ``overwrite`` is false and the file exists.
        OSError: the file cannot be written; the file that was there is unchanged.
    """
    fmt = format_of(path)
    if fmt == "xls":  # read, never written
        raise DangjianError(
            t(
                "{path}：旧版 Excel 工作簿（.xls）只能读取，不能写出；请写为 .xlsx",
                path=os.fspath(path),
            )
        )
    if fmt == "xlsx":
        from dangjian.io.excel import dump_excel

        dump_excel(ledger, path, overwrite=overwrite)
        return
    try:
        text = dumps(ledger, fmt)
    except UnicodeEncodeError as e:  # the YAML writer meets a lone surrogate
        raise cannot_encode(path, e) from None
    write_text(path, text, private=True, overwrite=overwrite)


def _text_format(format: str) -> None:
    """Refuse a format that is not text: Excel workbooks are files, not text."""
    if format not in _PARSERS:
        raise DangjianError(
            t(
                "「{format}」不是文本格式，可用：{known}；Excel 工作簿请用 load/dump 读写文件",
                format=format,
                known="、".join(_PARSERS),
                names=", ".join(_PARSERS),
            )
        )
