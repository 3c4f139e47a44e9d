"""Reading hostile workbooks, and normal ones: the time and peak memory of each, one child each.

Each workbook is read by ``load_excel`` in a fresh child process, which resets its peak
resident set size (RSS) just before (``/proc/self/clear_refs``) and reports the time the read
took, its CPU time and the peak RSS. The hostile workbooks are those of issue 8 (a merged range
over the whole sheet, a 200 MB header cell, a zip bomb, entity declarations …), made from the
example ledger's workbook; the normal ones are the example and a synthetic ledger
(``synthetic.py``). With ``--before DIR`` the normal ones are read by the source tree in DIR as
well (for example the previous release, unpacked with ``git archive``), to compare.

Usage, from the repository root::

    python benchmarks/bench_hostile_xlsx.py                      # writes docs/performance.md
    mkdir -p ../before && git archive b277c1f src | tar -x -C ../before
    python benchmarks/bench_hostile_xlsx.py --before ../before/src --scale 0.05
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import make_ledger_data  # noqa: E402

import dangjian  # noqa: E402
import dangjian.example  # noqa: E402
from dangjian.io._excel_layout import SHEETS  # noqa: E402
from dangjian.io.excel import dump_excel  # noqa: E402

EXAMPLE = Path(dangjian.example.__file__).resolve().parent / dangjian.example.LEDGER
SHEET = {sheet.name: f"xl/worksheets/sheet{i}.xml" for i, sheet in enumerate(SHEETS, 3)}
MIB = 1 << 20

CHILD = r"""
import json, sys, time

def status_kib(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None

def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass

import openpyxl, dangjian
from dangjian.errors import LedgerError
from dangjian.io.excel import load_excel
path, limits = sys.argv[1], json.loads(sys.argv[2])
if limits:
    from dangjian.io.excel import ExcelLimits
    read = lambda: load_excel(path, limits=ExcelLimits(**limits))
else:
    read = lambda: load_excel(path)
reset_peak()
before = status_kib("VmRSS")
start, cpu = time.perf_counter(), time.process_time()
try:
    ledger = read()
    outcome = f"read: {sum(len(r) for _, r in ledger.records()):,} records"
except LedgerError as e:
    first, count = e.problems[0], len(e.problems)
    text = first.message_en if len(first.message_en) <= 90 else first.message_en[:89] + "…"
    outcome = f"refused ({first.code}, {count:,} problem{'s' if count > 1 else ''}): {text}"
except BaseException as e:
    outcome = f"CRASH {type(e).__name__}: {str(e)[:90]}"
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"outcome": outcome, "seconds": seconds, "cpu": cpu,
                  "before_kib": before, "peak_kib": status_kib("VmHWM")}))
"""


# -- the workbooks -----------------------------------------------------------------------------


def parts_of(path: Path) -> dict[str, bytes | Iterator[bytes]]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(path: Path, parts: dict[str, bytes | Iterator[bytes]]) -> Path:
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
    for _ in range(size // MIB):
        yield byte * MIB


def sheet_xml(parts: dict[str, bytes | Iterator[bytes]], name: str) -> bytes:
    data = parts[SHEET[name]]
    assert isinstance(data, bytes)
    return data


def merged_range(base: Path, out: Path) -> Path:
    parts = parts_of(base)
    merge = b'<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'
    parts[SHEET["会议"]] = sheet_xml(parts, "会议").replace(
        b"</sheetData>", b"</sheetData>" + merge
    )
    return rezip(out, parts)


def huge_header(base: Path, out: Path) -> Path:
    parts = parts_of(base)
    xml = sheet_xml(parts, "会议")
    match = re.search(rb'<c r="A1"[^>]*>.*?</c>', xml)
    assert match is not None

    def sheet() -> Iterator[bytes]:
        yield xml[: match.start()] + b'<c r="A1" t="inlineStr"><is><t>'
        yield from repeated(b"A", 200 * MIB)
        yield b"</t></is></c>" + xml[match.end() :]

    parts[SHEET["会议"]] = sheet()
    return rezip(out, parts)


def zip_bomb(base: Path, out: Path) -> Path:
    parts = parts_of(base)
    parts["xl/media/bomb.bin"] = repeated(b"\0", 1024 * MIB)
    return rezip(out, parts)


def packs_too_well(base: Path, out: Path) -> Path:
    parts = parts_of(base)
    parts["xl/media/bomb.bin"] = repeated(b"\0", 32 * MIB)
    return rezip(out, parts)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
).encode()


def entities(part: str) -> Callable[[Path, Path], Path]:
    def make(base: Path, out: Path) -> Path:
        parts = parts_of(base)
        data = parts[part]
        assert isinstance(data, bytes)
        declaration = re.match(rb"<\?xml[^>]*\?>", data)
        at = declaration.end() if declaration else 0
        parts[part] = data[:at] + LAUGHS + data[at:]
        return rezip(out, parts)

    return make


def dense_junk(base: Path, out: Path) -> Path:
    """The 会议 sheet full of junk text, just within the limit on cells: a problem in every row."""
    parts = parts_of(base)
    xml = sheet_xml(parts, "会议")
    head, _, rest = xml.partition(b"<sheetData>")
    header = re.search(rb'<row r="1".*?</row>', rest, re.S)
    assert header is not None
    columns = 20
    rows = 190_000 // columns

    def sheet() -> Iterator[bytes]:
        yield head + b"<sheetData>" + header.group()
        for r in range(2, rows + 2):
            yield (
                f'<row r="{r}">'
                + "".join(
                    f'<c r="{_letter(c)}{r}" t="inlineStr"><is><t>x{r}</t></is></c>'
                    for c in range(1, columns + 1)
                )
                + "</row>"
            ).encode()
        yield b"</sheetData>" + rest.split(b"</sheetData>", 1)[1]

    parts[SHEET["会议"]] = sheet()
    return rezip(out, parts)


def too_many_cells(base: Path, out: Path) -> Path:
    """A million numbers in one sheet, in a small file."""
    parts = parts_of(base)
    xml = sheet_xml(parts, "会议")
    head, _, rest = xml.partition(b"<sheetData>")

    def sheet() -> Iterator[bytes]:
        yield head + b"<sheetData>"
        for r in range(1, 50_001):
            yield (f'<row r="{r}">' + "<c><v>1</v></c>" * 20 + "</row>").encode()
        yield b"</sheetData>" + rest.split(b"</sheetData>", 1)[1]

    parts[SHEET["会议"]] = sheet()
    return rezip(out, parts)


def many_strings(base: Path, out: Path) -> Path:
    """Half a million shared strings, which openpyxl would make objects of before any cell."""
    parts = parts_of(base)
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    types = parts["[Content_Types].xml"]
    assert isinstance(types, bytes)
    parts["[Content_Types].xml"] = types.replace(b"</Types>", override)

    def strings() -> Iterator[bytes]:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for i in range(0, 500_000, 1000):
            yield b"".join(b"<si><t>%x</t></si>" % j for j in range(i, i + 1000))
        yield b"</sst>"

    parts["xl/sharedStrings.xml"] = strings()
    return rezip(out, parts)


def many_styles(base: Path, out: Path) -> Path:
    """A million tags in the styles, which openpyxl would make objects of."""
    parts = parts_of(base)
    styles = parts["xl/styles.xml"]
    assert isinstance(styles, bytes)
    head, _, tail = styles.partition(b"</cellXfs>")
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    parts["xl/styles.xml"] = head + xf * 1_000_000 + b"</cellXfs>" + tail
    return rezip(out, parts)


def _letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


HOSTILE: dict[str, tuple[str, Callable[[Path, Path], Path]]] = {
    "merged": ("one merged range `A3:XFD1048576`", merged_range),
    "header": ("a 200 MiB header cell", huge_header),
    "bomb": ("a zip bomb: a part of 1 GiB of zeros", zip_bomb),
    "ratio": ("a part of 32 MiB of zeros (packs 1,000 to 1)", packs_too_well),
    "dtd-sheet": ("billion laughs in a sheet", entities(SHEET["会议"])),
    "dtd-workbook": ("billion laughs in `xl/workbook.xml`", entities("xl/workbook.xml")),
    "dtd-styles": ("billion laughs in `xl/styles.xml`", entities("xl/styles.xml")),
    "dtd-core": ("billion laughs in `docProps/core.xml`", entities("docProps/core.xml")),
    "cells": ("a million numbers in one sheet", too_many_cells),
    "strings": ("half a million shared strings", many_strings),
    "styles": ("a million cell formats", many_styles),
    "junk": ("9,500 rows × 20 columns of junk text", dense_junk),
}


# -- measuring ---------------------------------------------------------------------------------


def child(path: Path, limits: dict[str, int] | None, source: Path | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), json.dumps(limits or {})],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        return {"outcome": f"the child failed: {done.stderr.strip()[-200:]}", "seconds": 0.0,
                "cpu": 0.0, "before_kib": 0, "peak_kib": 0}  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def row(what: str, size: int, result: dict[str, Any]) -> str:
    peak = (result["peak_kib"] or 0) / 1024
    needed = peak - (result["before_kib"] or 0) / 1024
    return (
        f"| {what} | {size / 1024:,.0f} KiB | {result['outcome'].replace('|', '/')} | "
        f"{result['seconds']:.2f} s | {result['cpu']:.2f} s | {peak:,.0f} MiB | {needed:,.0f} MiB |"
    )


HEADER = [
    "| workbook | file | outcome | time | CPU | peak RSS | needed by the read |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
]


def update(path: Path, section: str, body: str) -> None:
    """Replace (or add) the marked section ``section`` of the Markdown file at ``path``."""
    start, end = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
    block = f"{start}\n{body}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=0.05, help="synthetic ledger's size (0.05)")
    parser.add_argument("--before", type=Path, help="a source tree to read the normal ones with")
    parser.add_argument(
        "--before-label", default="git archive b277c1f src", help="how the tree was made"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--only", help="comma-separated hostile cases (default: all)")
    args = parser.parse_args(argv)
    lines: list[str] = []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "example.xlsx"
        dump_excel(dangjian.load(EXAMPLE), base)
        hostile = [*HOSTILE] if not args.only else args.only.split(",")
        lines += ["Hostile workbooks, read with the default limits:", "", *HEADER]
        for key in hostile:
            what, make = HOSTILE[key]
            path = make(base, Path(tmp) / f"{key}.xlsx")
            print(f"{key} …", flush=True)
            lines.append(row(what, path.stat().st_size, child(path, None)))
        synthetic = Path(tmp) / "synthetic.xlsx"
        data = make_ledger_data(args.scale)
        dump_excel(dangjian.loads(json.dumps(data, ensure_ascii=False), "json"), synthetic)
        raised = {"max_cells": 10_000_000, "max_rows": 1_048_576}
        normal = [
            ("the example ledger", base, None),
            (f"the synthetic ledger at scale {args.scale:g}", synthetic, raised),
        ]
        lines += ["", "Normal workbooks:", "", *HEADER]
        for what, path, limits in normal:
            print(f"{what} …", flush=True)
            results[what] = child(path, limits)
            lines.append(row(what, path.stat().st_size, results[what]))
            if args.before is not None:
                results[f"{what}, before"] = child(path, None, args.before)
                lines.append(
                    row(f"{what}, before", path.stat().st_size, results[f"{what}, before"])
                )
        if args.before is not None:
            lines += ["", "Against the code before (`--before`):", ""]
            for what, _, _ in normal:
                now, then = results[what], results[f"{what}, before"]
                lines.append(
                    f"* {what}: {now['cpu'] / then['cpu']:.2f}× the CPU time and "
                    f"{(now['peak_kib'] - now['before_kib']) / (then['peak_kib'] - then['before_kib']):.2f}× "
                    "the memory needed by the read."
                )
    given = list(argv if argv is not None else sys.argv[1:])
    for i, arg in enumerate(given[:-1]):
        if arg in ("--before", "--out"):
            given[i + 1] = "DIR" if arg == "--before" else "FILE"
    command = " ".join(["python benchmarks/bench_hostile_xlsx.py", *given])
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} logical cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    body = "\n".join(
        [
            "## Reading hostile workbooks (`bench_hostile_xlsx`)",
            "",
            f"Measured {dt.date.today().isoformat()} on {machine}, with `{command}`"
            + (
                f" (DIR: the source tree of the code before, `{args.before_label}`)"
                if args.before
                else ""
            )
            + ". Each workbook is read by `load_excel` in a fresh child process; the peak RSS is "
            "the child's, the interpreter and its libraries included, and "
            '"needed by the read" is the peak less the RSS just before the read. The time is '
            "the read's wall-clock time, the CPU time its process's"
            + (
                f"; the machine was shared (load average {load:.1f} at the start), so the CPU "
                "time is the better measure of what a read costs"
                if load is not None and load > (os.cpu_count() or 1) / 2
                else ""
            )
            + ".",
            "",
            *lines,
        ]
    )
    print(body)
    update(args.out, "bench_hostile_xlsx", body)


if __name__ == "__main__":
    main()
