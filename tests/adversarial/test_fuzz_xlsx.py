"""Fuzzing workbooks: mutations of the parts of a valid workbook, and of the archive itself, end
in a valid ledger or in the library's own error, never in another exception, within a memory
limit and a time limit.

By default each test tries a few dozen mutations (some seconds); ``pytest
--hypothesis-profile=thorough tests/adversarial`` tries thousands.
"""

from __future__ import annotations

import contextlib
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import Ledger, LedgerError
from dangjian.io.excel import dump_excel, load_excel

EXAMPLES = max(settings.default.max_examples, 200) if settings.default.max_examples > 100 else 30
"""Mutations per test: a few dozen by default, the profile's number under ``thorough``."""
SECONDS = 5.0
EXTRA_MEMORY = 1024**3

TOKENS = (
    b"<!DOCTYPE x [<!ENTITY e 'e'>]>",
    b"&e;",
    b"&amp;",
    b"&#0;",
    b"&#x1F;",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'<?xml version="1.0" encoding="UTF-7"?>',
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<c r="A1" t="s"><v>99999</v></c>',
    b'<c r="B2" t="inlineStr"><is><t>x</t><r><t>y</t></r></is></c>',
    b'<c r="C2" t="e"><v>#N/A</v></c>',
    b'<c r="C2" t="d"><v>2020-13-45</v></c>',
    b'<c r="C2" t="b"><v>2</v></c>',
    b'<c r="C2" s="1"><v>-5</v></c>',
    b'<c r="C2"><f t="shared" si="0"/></c>',
    b'<c r="C2"><f>1+1</f><v></v></c>',
    b"<v>1e308</v>",
    b"<v>nan</v>",
    b"<v>" + b"9" * 5000 + b"</v>",
    b'<row r="99999999">',
    b'<row r="0">',
    b'<c r="A0">',
    b'<c r="ZZZZ1">',
    b'<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>',
    b'<mergeCell ref="B2:A1"/>',
    b"</sheetData>",
    b"<sheetData>",
    b'<sheet name="x" sheetId="99" r:id="rId999"/>',
    b'numFmtId="14"',
    b'count="-1"',
    b'<t xml:space="preserve">   </t>',
    b"_x0000_",
)


def _limited_memory() -> contextlib.AbstractContextManager[None]:
    """Cap this process's address space at its size now plus 1 GiB, for the block (Linux)."""
    try:
        import resource

        with open("/proc/self/status") as f:
            size = next(int(x.split()[1]) * 1024 for x in f if x.startswith("VmSize:"))
    except (ImportError, OSError, StopIteration):
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def limited() -> Iterator[None]:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = size + EXTRA_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard < 0 else min(cap, hard), hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    return limited()


@pytest.fixture(scope="module")
def parts(
    make_ledger: Callable[..., Ledger], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    """The parts of the sample ledger's workbook."""
    path = tmp_path_factory.mktemp("fuzz") / "base.xlsx"
    dump_excel(make_ledger(), path)
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _read(data: bytes, tmp: Path) -> None:
    """Load the workbook ``data``: a ledger, or the library's error; nothing else."""
    path = tmp / "fuzz.xlsx"
    path.write_bytes(data)
    start = time.monotonic()
    try:
        with _limited_memory():
            load_excel(path)
    except LedgerError as e:
        assert e.problems
        for problem in e.problems:
            assert problem.message and problem.message_en
    assert time.monotonic() - start < SECONDS


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` changed in one to four places."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "token", "repeat", "cut"]))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        elif kind == "token":
            data = data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
        elif kind == "repeat":
            piece = data[at : at + draw(st.integers(1, 200))]
            data = data[:at] + piece * draw(st.integers(2, 50)) + data[at:]
        elif kind == "cut":
            data = data[:at]
    return data


_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_SETTINGS
@given(choice=st.data())
def test_mutated_parts(parts: dict[str, bytes], tmp_path: Path, choice: st.DataObject) -> None:
    name = choice.draw(st.sampled_from(sorted(parts)), label="part")
    changed = dict(parts)
    changed[name] = choice.draw(mutations(parts[name]), label="mutated")
    _read(_zipped(changed), tmp_path)


@_SETTINGS
@given(choice=st.data())
def test_mutated_archives(parts: dict[str, bytes], tmp_path: Path, choice: st.DataObject) -> None:
    archive = _zipped(parts)
    _read(choice.draw(mutations(archive), label="mutated"), tmp_path)


@_SETTINGS
@given(choice=st.data())
def test_added_and_removed_parts(
    parts: dict[str, bytes], tmp_path: Path, choice: st.DataObject
) -> None:
    changed = dict(parts)
    for name in choice.draw(st.sets(st.sampled_from(sorted(parts)), max_size=3), label="removed"):
        del changed[name]
    for name in choice.draw(st.sets(st.sampled_from(sorted(parts)), max_size=2), label="copied"):
        target = choice.draw(st.sampled_from(sorted(parts)), label="over")
        changed[target] = parts[name]
    _read(_zipped(changed), tmp_path)


def test_the_unchanged_workbook_reads(parts: dict[str, bytes], tmp_path: Path) -> None:
    # the base of the mutations is valid, so a mutation that changes nothing gives a ledger
    path = tmp_path / "base.xlsx"
    path.write_bytes(_zipped(parts))
    assert isinstance(load_excel(path), Ledger)
