"""Hostile and awkward workbooks: each is refused (or read) as documented, quickly, in bounded
memory, and no resident id comes out in full.

The hostile workbooks are made from the sample ledger's workbook, changed part by part; the large
ones are written compressed as a stream, so the tests never hold them unpacked.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian import Ledger, LedgerError, Problem
from dangjian.cli import main
from dangjian.io._excel_layout import SHEETS
from dangjian.io._excel_values import _clip, _mask_ids
from dangjian.io.excel import ExcelLimits, dump_excel, load_excel
from dangjian.model.resident_id import check_digit, resident_id_problem
from tests.adversarial._bounded import run_bounded
from tests.builders.sample import EXAMPLE_RESIDENT_ID

SECONDS = 5.0
"""A hostile workbook is refused in less than this (it takes a fraction of a second)."""
PEAK_MIB = 1024
"""... and at a peak resident memory below this, the interpreter and its libraries included."""

MASKED_ID = EXAMPLE_RESIDENT_ID[:3] + "*" * 11 + EXAMPLE_RESIDENT_ID[-4:]
_SHEET_PART = {sheet.name: f"xl/worksheets/sheet{i}.xml" for i, sheet in enumerate(SHEETS, 3)}


# -- making workbooks ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(make_ledger: Callable[..., Ledger], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("base") / "base.xlsx"
    dump_excel(make_ledger(), path)
    return path


@pytest.fixture
def book(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(base.read_bytes())
    return path


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(path: Path, parts: dict[str, bytes | Iterator[bytes]]) -> Path:
    """Write ``parts`` as the workbook at ``path``; a part given as chunks is streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if isinstance(data, bytes):
                archive.writestr(name, data)
            else:
                with archive.open(name, "w", force_zip64=True) as stream:
                    for chunk in data:
                        stream.write(chunk)
    return path


def repeated(byte: bytes, size: int) -> Iterator[bytes]:
    chunk = byte * (1 << 20)
    for _ in range(size >> 20):
        yield chunk


def edit(path: Path, change: Callable[[Any], object]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def cell(ws: Any, header: str, row: int = 2) -> Any:
    headers = [c.value for c in ws[1]]
    return ws.cell(row, headers.index(header) + 1)


def problems_of(path: Path, **limits: int) -> tuple[Problem, ...]:
    with pytest.raises(LedgerError) as caught:
        load_excel(path, limits=ExcelLimits(**limits))
    return caught.value.problems


def validate(path: Path, capsys: pytest.CaptureFixture[str], lang: str = "zh") -> str:
    """The output of ``dangjian validate``, which must fail with exit 2."""
    assert main(["validate", str(path), "--lang", lang]) == 2
    captured = capsys.readouterr()
    return captured.out + captured.err


def assert_refused_in_bounds(paths: list[Path], *needles: str) -> None:
    """``dangjian validate`` refuses each workbook, in a child process, quickly, in bounded
    memory, saying each of ``needles``."""
    for path, result in zip(paths, run_bounded([["validate", p] for p in paths]), strict=True):
        assert result["crash"] is None, result
        assert result["code"] == 2, result
        assert result["seconds"] < SECONDS, (path, result["seconds"])
        if result["peak_reset"]:
            assert result["peak_mib"] < PEAK_MIB, (path, result["peak_mib"])
        for needle in needles:
            assert needle in result["err"], (path, result["err"])


# -- §3: sizes ----------------------------------------------------------------------------------


def test_a_normal_workbook_reads_within_the_same_bounds(base: Path) -> None:
    [result] = run_bounded([["validate", base]])
    assert (result["code"], result["crash"]) == (0, None), result
    assert result["seconds"] < SECONDS
    assert result["peak_mib"] < PEAK_MIB


def test_one_merged_range_over_the_whole_sheet(book: Path, tmp_path: Path) -> None:
    # 62 KB on disk, and once 80 s and 7 GB to read: openpyxl made every cell of the range
    parts = parts_of(book)
    name = _SHEET_PART["会议"]
    merge = b'<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'
    parts[name] = parts[name].replace(b"</sheetData>", b"</sheetData>" + merge, 1)
    rezip(book, dict(parts))
    start = time.monotonic()
    [problem] = problems_of(book)
    assert time.monotonic() - start < SECONDS
    assert problem.path == "会议 第3行 编号列"
    assert problem.message == "合并单元格 A3:XFD1048576：请取消合并，在每一行分别填写"
    assert_refused_in_bounds([book], "合并单元格 A3:XFD1048576")


def test_merged_ranges_past_the_limit(book: Path) -> None:
    parts = parts_of(book)
    name = _SHEET_PART["会议"]
    merges = b"".join(b'<mergeCell ref="B%d:C%d"/>' % (r, r) for r in range(10, 16))
    parts[name] = parts[name].replace(
        b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>", 1
    )
    rezip(book, dict(parts))
    assert len(problems_of(book, max_merged=6)) == 6  # at the limit: each one reported
    [problem] = problems_of(book, max_merged=5)
    assert (problem.path, problem.code) == ("", "too_large")
    assert "ExcelLimits.max_merged" in problem.message


def _huge_header(book: Path, size: int) -> Path:
    """The 会议 sheet's first header as an inline string of ``size`` letters, streamed."""
    parts: dict[str, bytes | Iterator[bytes]] = dict(parts_of(book))
    name = _SHEET_PART["会议"]
    xml = parts[name]
    assert isinstance(xml, bytes)
    match = re.search(rb'<c r="A1"[^>]*>.*?</c>', xml)
    assert match is not None
    head, tail = xml[: match.start()], xml[match.end() :]

    def sheet() -> Iterator[bytes]:
        yield head + b'<c r="A1" t="inlineStr"><is><t>'
        yield from repeated(b"A", size)
        yield b"</t></is></c>" + tail

    parts[name] = sheet()
    return rezip(book, parts)


def test_a_200_mb_header_cell_is_refused_quickly(book: Path) -> None:
    # 258 KB on disk; once a MemoryError inside the "did you mean" hint
    _huge_header(book, 200 << 20)
    assert book.stat().st_size < 1 << 20
    [problem] = problems_of(book)
    assert (problem.path, problem.code) == ("", "too_large")
    assert "ExcelLimits.max_unpacked_size" in problem.message
    assert_refused_in_bounds([book], "ExcelLimits.max_unpacked_size")


def test_a_long_header_cell_is_reported_where_it_is(book: Path) -> None:
    _huge_header(book, 4 << 20)  # within the archive's size, past the cell's
    start = time.monotonic()
    problems = problems_of(book, max_ratio=100_000)  # it packs 1,000 to 1
    assert time.monotonic() - start < SECONDS
    long = next(p for p in problems if p.path == "会议 第1行 A列")
    assert long.message == (
        "单元格有 4,194,304 个字符，超过上限 32,767（ExcelLimits.max_cell_length）"
    )
    assert all(len(p.message) < 300 for p in problems)


def test_a_long_unknown_header_is_not_compared_at_length(book: Path) -> None:
    edit(book, lambda wb: cell(wb["会议"], "编号", 1).__setattr__("value", "会议编号" * 5000))
    start = time.monotonic()
    problems = problems_of(book)
    assert time.monotonic() - start < SECONDS
    # kept as an extra column: the error is the required column it replaced, which is not
    # compared with the long header
    [missing] = problems
    assert (missing.path, missing.code) == ("会议 第1行", "missing_field")
    assert missing.message == "缺少必填列「编号」"


def test_a_zip_bomb_is_refused_without_unpacking_it(book: Path) -> None:
    parts: dict[str, bytes | Iterator[bytes]] = dict(parts_of(book))
    parts["xl/media/bomb.bin"] = repeated(b"\0", 256 << 20)
    rezip(book, parts)
    assert book.stat().st_size < 2 << 20
    [problem] = problems_of(book)
    assert (problem.path, problem.code) == ("", "too_large")
    assert "ExcelLimits.max_unpacked_size" in problem.message
    assert_refused_in_bounds([book], "解压后共")


def test_a_zip_version_the_reader_does_not_know_is_refused_cleanly(book: Path) -> None:
    # the central directory says each part needs zip version 6.4 to extract: the zipfile module
    # raises NotImplementedError for it, which must not escape as a traceback
    data = bytearray(book.read_bytes())
    at = data.find(b"PK\x01\x02")
    assert at >= 0
    while at >= 0:
        struct.pack_into("<H", data, at + 6, 64)
        at = data.find(b"PK\x01\x02", at + 4)
    book.write_bytes(bytes(data))
    [problem] = problems_of(book)
    assert (problem.path, problem.code) == ("", "syntax")
    assert "zip file version 6.4" in problem.message


def test_a_part_that_packs_too_well(book: Path) -> None:
    parts: dict[str, bytes | Iterator[bytes]] = dict(parts_of(book))
    parts["xl/media/bomb.bin"] = repeated(b"\0", 32 << 20)  # within the size, 1000 to 1
    rezip(book, parts)
    [problem] = problems_of(book)
    assert problem.code == "too_large"
    assert "疑为压缩炸弹" in problem.message and "ExcelLimits.max_ratio" in problem.message


def test_a_part_longer_than_it_says_is_not_unpacked_further(book: Path) -> None:
    # the local header and the directory say 1 KiB; the data is 16 MiB of zeros
    parts = parts_of(book)
    data = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = data.compress(b"\0" * (16 << 20)) + data.flush()
    rezip(book, {**parts, "xl/media/liar.bin": b"\0" * 1024})
    raw = book.read_bytes()
    original = zlib.compressobj(9, zlib.DEFLATED, -15)
    small = original.compress(b"\0" * 1024) + original.flush()
    assert raw.count(small) == 1
    raw = raw.replace(small, packed)
    # fix the packed size in both headers, so the archive is consistent but for the lie
    old, new = len(small).to_bytes(4, "little"), len(packed).to_bytes(4, "little")
    size = (1024).to_bytes(4, "little")
    raw = raw.replace(old + size, new + size)
    book.write_bytes(raw)
    start = time.monotonic()
    problems = None
    try:
        load_excel(book)
    except LedgerError as e:
        problems = e.problems
    assert time.monotonic() - start < SECONDS
    assert problems is not None and problems[0].code in ("syntax", "too_large")


def test_too_many_parts(book: Path) -> None:
    parts: dict[str, bytes | Iterator[bytes]] = dict(parts_of(book))
    for i in range(50):
        parts[f"xl/media/x{i}.bin"] = b"x"
    rezip(book, parts)
    [problem] = problems_of(book, max_parts=len(parts) - 1)
    assert "ExcelLimits.max_parts" in problem.message
    load_excel(book, limits=ExcelLimits(max_parts=len(parts)))


def test_rows_columns_cells_and_file_size_past_their_limits(
    book: Path, make_ledger: Callable[..., Ledger]
) -> None:
    edit(book, lambda wb: wb["会议"].cell(40, 2, "x"))
    [problem] = problems_of(book, max_rows=39)
    assert problem.code == "too_large"
    assert problem.message.startswith(
        "工作表「会议」第40行有数据，超过上限 39（ExcelLimits.max_rows）"
    )
    problems = problems_of(book, max_rows=40)  # read: a row without an id
    assert problems[0].path.startswith("会议 第40行")
    edit(book, lambda wb: wb["会议"].cell(40, 2).__setattr__("value", None))
    load_excel(book)
    widest = max(len(sheet.columns) for sheet in SHEETS)
    [problem] = problems_of(book, max_columns=widest - 1)
    assert "ExcelLimits.max_columns" in problem.message
    cells = sum(1 for ws in openpyxl.load_workbook(book).worksheets[1:] for row in ws.iter_rows()
                for c in row if c.value is not None)  # fmt: skip
    assert load_excel(book, limits=ExcelLimits(max_cells=cells)) == make_ledger()
    [problem] = problems_of(book, max_cells=cells - 1)
    assert "ExcelLimits.max_cells" in problem.message
    size = book.stat().st_size
    [problem] = problems_of(book, max_file_size=size - 1)
    assert "ExcelLimits.max_file_size" in problem.message
    assert load_excel(book, limits=ExcelLimits(max_file_size=size)) == make_ledger()


def test_parts_that_openpyxl_would_parse_whole_are_counted_first(base: Path, book: Path) -> None:
    # openpyxl makes objects of every shared string and style before a cell is read, some
    # 10 µs each: 64 MiB of them would take a minute
    parts = _with_strings(base)
    items = b"".join(b"<si><t>%d</t></si>" % i for i in range(101))
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(
        b"<si><t>x</t></si>", items
    )
    rezip(book, dict(parts))
    [problem] = problems_of(book, max_cells=100)
    assert problem.code == "too_large"
    assert problem.message.startswith("共享字符串有 101 项")
    [problem] = problems_of(book, max_cells=101)  # the strings pass; the cells do not
    assert "有值的单元格太多" in problem.message

    parts = parts_of(base)
    styles = parts["xl/styles.xml"]
    parts["xl/styles.xml"] = styles.replace(b"</styleSheet>", b"<x/>" * 100_000 + b"</styleSheet>")
    rezip(book, dict(parts))
    [problem] = problems_of(book)
    assert problem.message.startswith("样式等部分的 XML 有 1")
    assert "超过上限 100,000" in problem.message

    parts = parts_of(base)
    name = _SHEET_PART["会议"]
    parts[name] = parts[name].replace(b"</sheetData>", b"</sheetData>" + b"<x/>" * 120_000)
    rezip(book, dict(parts))
    [problem] = problems_of(book, max_cells=1000)
    assert problem.message.startswith("工作表的 XML 有 1")
    assert "110,000（ExcelLimits.max_cells）" in problem.message


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_rows"):
        ExcelLimits(max_rows=0)
    with pytest.raises(ValueError, match="max_cells"):
        ExcelLimits(max_cells=True)


# -- §3: XML declarations, whichever parser reads them ------------------------------------------

_DTD = b'<!DOCTYPE x [<!ENTITY e "boom">]>'


def _with_dtd(data: bytes) -> bytes:
    declaration = re.match(rb"<\?xml[^>]*\?>", data)
    at = declaration.end() if declaration else 0
    return data[:at] + _DTD + data[at:]


def _xml_parts(base: Path) -> list[str]:
    return [name for name, data in _with_strings(base).items() if data.lstrip().startswith(b"<")]


def _with_strings(base: Path) -> dict[str, bytes]:
    """The parts of the workbook, with a part of shared strings (openpyxl writes one only when
    there are shared strings)."""
    parts = parts_of(base)
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>'
    )
    return parts


def test_every_kind_of_part_is_there(base: Path) -> None:
    names = _xml_parts(base)
    for needed in (
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/theme/theme1.xml",
        "docProps/core.xml",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
    ):
        assert needed in names


@pytest.mark.parametrize("parser", ["lxml", "stdlib"])
def test_a_dtd_in_any_part_is_refused(base: Path, tmp_path: Path, parser: str) -> None:
    """Entity declarations in every XML part, with openpyxl on lxml or on the standard library
    (lxml is in the test extra, so CI runs both)."""
    if parser == "lxml":
        pytest.importorskip("lxml")
    books = []
    for i, name in enumerate(_xml_parts(base)):
        parts = _with_strings(base)
        parts[name] = _with_dtd(parts[name])
        books.append(rezip(tmp_path / f"{i}.xlsx", dict(parts)))
    env = {"OPENPYXL_LXML": "True" if parser == "lxml" else "False"}
    results = run_bounded([["validate", p] for p in books], env=env)
    for name, result in zip(_xml_parts(base), results, strict=True):
        assert result["code"] == 2, (name, result)
        assert "实体声明（DTD），出于安全考虑拒绝读取" in result["err"], (name, result["err"])
        assert name[:40] in result["err"]


def test_openpyxl_reads_the_parts_with_lxml_when_it_is_installed() -> None:
    pytest.importorskip("lxml")
    assert openpyxl.LXML  # so the test above exercises lxml's parser


@pytest.mark.parametrize(
    "change",
    [
        lambda data: ('<?xml version="1.0" encoding="UTF-16"?>' + data.decode()).encode("utf-16"),
        lambda data: data.decode().encode("utf-16-be"),
        lambda data: b'<?xml version="1.0" encoding="UTF-7"?>' + data,
        lambda data: b"<?xml version='1.0' encoding='ISO-8859-1'?>" + data,
    ],
    ids=["utf-16", "utf-16-be", "utf-7", "latin-1"],
)
def test_xml_in_another_encoding_is_refused(book: Path, change: Callable[[bytes], bytes]) -> None:
    parts = parts_of(book)
    assert parts["xl/workbook.xml"].startswith(b"<workbook ")
    parts["xl/workbook.xml"] = change(parts["xl/workbook.xml"])
    rezip(book, dict(parts))
    [problem] = problems_of(book)
    assert problem.code == "syntax"
    assert "「xl/workbook.xml」不是 UTF-8 编码的 XML" in problem.message


def test_a_dtd_hidden_past_the_first_chunk_is_found(book: Path) -> None:
    parts = parts_of(book)
    name = _SHEET_PART["会议"]
    padding = b"<!-- " + b"x" * ((1 << 20) - 12) + b" -->"  # the DTD straddles two chunks
    parts[name] = padding + b"<!DOCTYPE x>" + parts[name]
    assert parts[name].index(b"<!DOCTYPE") < 1 << 20 < parts[name].index(b"<!DOCTYPE") + 9
    rezip(book, dict(parts))
    [problem] = problems_of(book)
    assert "实体声明" in problem.message


# -- §5: no resident id in any message --------------------------------------------------------


def _another_id() -> str:
    body = "32010219900307123"
    return body + check_digit(body)


def test_a_formula_holding_a_resident_id(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(
        book,
        lambda wb: cell(wb["会议"], "应到人数").__setattr__("value", f'="{EXAMPLE_RESIDENT_ID}"'),
    )
    [problem] = problems_of(book)
    assert problem.message.startswith(f'公式「="{MASKED_ID}"」没有保存的计算结果')
    for lang in ("zh", "en"):
        output = validate(book, capsys, lang)
        assert EXAMPLE_RESIDENT_ID not in output and MASKED_ID in output


@pytest.mark.parametrize(
    ("sheet", "header"),
    [
        ("会议", "会议日期"),  # a date
        ("会议", "会议类型"),  # an enumeration
        ("会议", "应到人数"),  # a whole number
        ("会议", "主持人"),  # a reference to a member
        ("党员", "入党介绍人"),  # a list of references
        ("党费", "缴纳金额（元）"),  # money
        ("党费", "所属月份"),  # a month
        ("会议", "开始时间"),  # a time
        ("党员", "是否领导干部"),  # yes or no
    ],
)
def test_a_resident_id_in_the_wrong_column(
    book: Path, capsys: pytest.CaptureFixture[str], sheet: str, header: str
) -> None:
    other = EXAMPLE_RESIDENT_ID  # it ends in X, so it is no number either
    edit(book, lambda wb: cell(wb[sheet], header).__setattr__("value", f"{other} "))
    problems = problems_of(book)
    assert problems
    for problem in problems:
        for text in (problem.path, problem.message, problem.message_en):
            assert other not in text
    assert any(other[:3] + "*" * 11 + other[-4:] in p.message for p in problems)
    for lang in ("zh", "en"):
        assert other not in validate(book, capsys, lang)


def test_a_resident_id_as_a_sheet_name_and_a_header(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(wb: Any) -> None:
        wb.create_sheet(EXAMPLE_RESIDENT_ID)
        wb["会议"].cell(1, 60, EXAMPLE_RESIDENT_ID)

    edit(book, change)
    output = validate(book, capsys) + validate(book, capsys, "en")
    assert EXAMPLE_RESIDENT_ID not in output and MASKED_ID in output


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    area = draw(st.integers(110000, 659999))
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)))
    body = f"{area}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + check_digit(body)


def _valid_ids_in(text: str) -> list[str]:
    windows = (text[i : i + 18] for i in range(len(text) - 17))
    return [w for w in windows if resident_id_problem(w) is None]


@given(
    before=st.text(alphabet="0123456789X甲 ", max_size=30),
    id=resident_ids(),
    after=st.text(alphabet="0123456789X乙 ", max_size=30),
)
def test_no_resident_id_survives_masking_or_clipping(before: str, id: str, after: str) -> None:
    text = before + id + after
    masked = _mask_ids(text)
    assert len(masked) == len(text)
    assert _valid_ids_in(masked) == []
    # as ResidentId shows it (more stars where another id overlaps it)
    assert masked[len(before) + 3 : len(before) + 14] == "*" * 11
    for limit in (20, 40, 60):
        clipped = _clip(text, limit)
        assert len(clipped) <= max(limit, len(text))
        assert _valid_ids_in(clipped) == []


def test_masking_ids_in_text() -> None:
    other = _another_id()
    assert _mask_ids(f"甲{EXAMPLE_RESIDENT_ID}乙{other}") == (
        f"甲{MASKED_ID}乙{other[:3]}{'*' * 11}{other[-4:]}"
    )
    # inside a longer run of digits: still masked; not an id (a wrong check digit): left alone
    assert EXAMPLE_RESIDENT_ID not in _mask_ids(f"9{EXAMPLE_RESIDENT_ID}7")
    wrong = EXAMPLE_RESIDENT_ID[:17] + "1"
    assert _mask_ids(wrong) == wrong
    assert _mask_ids("12345") == "12345"


# -- §6: lenient only where documented ---------------------------------------------------------


def test_a_negative_date_serial_is_an_error(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(wb: Any) -> None:
        date = cell(wb["会议"], "会议日期")
        date.value = -5
        date.number_format = "yyyy-mm-dd"  # Excel shows it as ########, openpyxl as 1899-12-25

    edit(book, change)
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 会议日期列"
    assert problem.message == "单元格是日期格式，但数字-5不是有效的 Excel 日期"
    assert "1899" not in validate(book, capsys)


@pytest.mark.parametrize("serial", [-5, -0.5, 0, 0.25, 2958466])
def test_date_serials_outside_excel_days(book: Path, serial: float) -> None:
    def change(wb: Any) -> None:
        date = cell(wb["会议"], "会议日期")
        date.value = serial
        date.number_format = "yyyy-mm-dd"

    edit(book, change)
    [problem] = problems_of(book)
    assert problem.path == "会议 第2行 会议日期列"
    assert problem.code == "invalid_value"


@pytest.mark.parametrize(
    ("header", "text"),
    [
        ("缴纳金额（元）", "4_5"),
        ("缴纳金额（元）", "٤٥"),
        ("缴纳金额（元）", "45.0\u0665"),
        ("缴纳金额（元）", "NaN"),
        ("计算基数（元）", "1_000"),
    ],
)
def test_money_in_odd_digits_is_an_error(book: Path, header: str, text: str) -> None:
    edit(book, lambda wb: cell(wb["党费"], header).__setattr__("value", text))
    [problem] = problems_of(book)
    assert problem.path == f"党费 第2行 {header}列"
    assert problem.code == "invalid_value"
    assert problem.message.startswith(f"应为数字，实为「{text}」")


def test_whole_numbers_and_dates_in_odd_digits(book: Path) -> None:
    def change(wb: Any) -> None:
        cell(wb["会议"], "应到人数").value = "٣"
        cell(wb["会议"], "会议日期").value = "٢٠٢٠-٠٥-٠١"

    edit(book, change)
    assert [p.path for p in problems_of(book)] == ["会议 第2行 会议日期列", "会议 第2行 应到人数列"]


def test_full_width_digits_are_read_as_digits(
    book: Path, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger()
    payment = ledger.dues_payments[0]

    def change(wb: Any) -> None:
        cell(wb["党费"], "缴纳金额（元）").value = str(payment.amount).translate(_FULL)
        cell(wb["会议"], "会议日期").value = "{0.year}年{0.month}月{0.day}日".format(
            ledger.meetings[0].date
        ).translate(_FULL)

    edit(book, change)
    read = load_excel(book)
    assert read == ledger
    assert isinstance(read.dues_payments[0].amount, Decimal)


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
