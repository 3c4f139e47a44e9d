"""The output formats: one module each, one registry, one flattening of a finding into columns;
and presentation that hangs off the entities without the entities importing it."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import importlib.metadata
import io
import re
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import openpyxl
import pytest

import dangjian
from dangjian import Report
from dangjian.cli import main
from dangjian.errors import DangjianError, Language
from dangjian.io._excel_values import unescape_text
from dangjian.outputs import (
    COLUMNS,
    ColumnType,
    format_names,
    formats,
    get_format,
    register_format,
    registry,
    unregister_format,
)
from dangjian.outputs import csv as csv_output
from dangjian.outputs.reading import reading_headers
from dangjian.outputs.registry import ENTRY_POINTS, format_table
from tests.builders import ROOT
from tests.builders.example import EXAMPLE, PLAN, WAIVERS

CHECK = [str(EXAMPLE), "--period", "2020H1", "--as-of", "2020-07-15", "--profile", "organ"]
CHECK += ["--rules", str(PLAN), "--waivers", str(WAIVERS)]


@pytest.fixture(scope="module")
def report() -> Report:
    return dangjian.check(
        dangjian.load(EXAMPLE),
        "2020H1",
        as_of=dt.date(2020, 7, 15),
        profile="organ",
        rules=[PLAN],
        waivers=dangjian.load_waivers(WAIVERS),
    )


# -- adding an output format (the walkthrough of docs/architecture.md) ---------------------


def _failures(report: Report, lang: Language) -> str:
    """A format of one's own: one line per failure, its rule, subject and message."""
    return "".join(f"{f.rule}\t{f.subject.id}\t{f.text(lang)}\n" for f in report.failed)


@pytest.fixture
def failures_format() -> Iterator[None]:
    register_format(
        "failures",
        _failures,
        suffix=".tsv",
        description="每条不符合一行",
        description_en="a line per failure",
    )
    try:
        yield
    finally:
        unregister_format("failures")


@pytest.mark.usefixtures("failures_format")
def test_a_format_of_ones_own_is_used_by_render_and_the_cli(
    report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = report.render("failures", "en").splitlines()
    assert len(lines) == len(report.failed) == 45
    assert lines[0].split("\t")[:2] == [report.failed[0].rule, report.failed[0].subject.id]
    assert report.to_bytes("failures") == report.render("failures").encode("utf-8")
    assert "failures" in format_names()

    assert main(["check", *CHECK, "--format", "failures"]) == 1  # the example has failures
    assert capsys.readouterr().out == report.render("failures")
    out = tmp_path / "failures.tsv"
    assert main(["check", *CHECK, "--format", "failures", "--output", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == report.render("failures")


def test_an_installed_package_adds_formats_through_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dj_tally.py").write_text(
        "from dangjian.outputs import ReportFormat\n"
        "def write(report, lang):\n"
        "    return f'{len(report.failed)}\\n'\n"
        "FORMAT = ReportFormat('tally', write, '.txt')\n"
        "NOT_A_FORMAT = 3\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = [
        EntryPoint("tally", "dj_tally:FORMAT", ENTRY_POINTS),
        EntryPoint("broken", "dj_tally:NOT_A_FORMAT", ENTRY_POINTS),
        EntryPoint("missing", "no_such_module_here:FORMAT", ENTRY_POINTS),
    ]

    def entry_points(*, group: str) -> list[EntryPoint]:
        return found if group == ENTRY_POINTS else []

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    try:
        with pytest.warns(UserWarning) as warned:
            names = format_names()
        assert names[-1] == "tally" and "broken" not in names
        assert sorted(str(w.message).split("'")[1] for w in warned) == ["broken", "missing"]
        assert main(["check", *CHECK, "--format", "tally"]) == 1
        assert capsys.readouterr().out == "45\n"
    finally:
        unregister_format("tally")


def test_a_format_of_ones_own_is_masked_like_the_others(report: Report) -> None:
    rid = "11010519491231002X"
    register_format("leaky", lambda r, lang: f"{rid}\n", suffix=".txt")
    try:
        assert rid not in report.render("leaky")
    finally:
        unregister_format("leaky")
    assert "leaky" not in format_names()


def test_registering_refuses_a_bad_name_a_suffix_without_dot_and_a_taken_name() -> None:
    with pytest.raises(DangjianError, match="not a name"):
        register_format("Mine!", _failures, suffix=".txt")
    with pytest.raises(DangjianError, match="dot"):
        register_format("mine", _failures, suffix="txt")
    with pytest.raises(DangjianError, match="exists"):
        register_format("csv", _failures, suffix=".csv")
    with pytest.raises(DangjianError, match=r"no output format 'nope'.*csv"):
        get_format("nope")
    assert get_format("csv").write is csv_output.write  # the refused one replaced nothing


def test_a_writer_that_gives_the_wrong_kind_is_refused(report: Report) -> None:
    register_format("wrong", lambda r, lang: b"bytes", suffix=".txt")
    try:
        with pytest.raises(DangjianError, match="gave bytes"):
            report.render("wrong")
    finally:
        unregister_format("wrong")


# -- the registry is the one list: the CLI's choices and the docs' table ------------------


def test_the_builtin_formats_in_order() -> None:
    assert format_names() == (
        "text",
        "json",
        "markdown",
        "csv",
        "junit",
        "xlsx",
        "csv-codes",
        "text-verbose",
    )
    assert [f.name for f in formats() if f.binary] == ["xlsx"]


def test_the_docs_table_of_formats_is_the_registry() -> None:
    docs = (ROOT / "docs" / "checking.md").read_text(encoding="utf-8")
    table = format_table()
    assert table in docs
    names = re.findall(r"^\| `([a-z_-]+)` \| `\.", docs, flags=re.MULTILINE)
    assert names == list(format_names())


def test_the_cli_offers_every_registered_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    help_text = capsys.readouterr().out
    assert "{" + ",".join(format_names()) + "}" in help_text


def test_a_binary_format_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *CHECK, "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_render_refuses_a_binary_format(report: Report) -> None:
    with pytest.raises(DangjianError, match="to_bytes"):
        report.render("xlsx")


# -- one flattening of a finding -----------------------------------------------------------


def test_csv_frame_and_workbook_share_the_columns(report: Report) -> None:
    names = [c.name for c in COLUMNS]
    header = next(csv.reader(io.StringIO(report.render("csv-codes"))))
    assert header == [c.name for c in csv_output.COLUMNS]
    assert set(header) < set(names)
    # the frame has the same columns, and beside the organisation's id its name
    frame = list(report.to_frame().columns)
    assert frame == [
        *names[: names.index("branch") + 1],
        "branch_name",
        *names[names.index("branch") + 1 :],
    ]
    book = openpyxl.load_workbook(io.BytesIO(report.to_bytes("xlsx", "en")))
    rows = list(book["All findings"].iter_rows(values_only=True))
    assert list(rows[0]) == [c.text_label("en") for c in COLUMNS]
    assert reading_headers("zh") == ["状态", "级别", "规则", "对象", "期间", "说明"]
    assert reading_headers("en") == ["status", "severity", "rule", "subject", "period", "message"]


def test_the_workbook_holds_what_the_csv_holds(report: Report) -> None:
    book = openpyxl.load_workbook(io.BytesIO(report.to_bytes("xlsx")))
    sheet = book["全部结果"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.text_label() for c in COLUMNS]
    assert len(rows) == len(report) + 1
    # the same cells as the CSV for people: statuses, severities and periods as words
    from_csv = list(csv.reader(io.StringIO(report.render("csv").removeprefix(csv_output.BOM))))
    labels = [c.text_label() for c in COLUMNS]
    for row, expected in zip(rows[1:], from_csv[1:], strict=True):
        cells = dict(zip(labels, row, strict=True))
        for label, text in zip(from_csv[0], expected, strict=True):
            assert (cells[label] or "") == text, label
    days = [r[[c.name for c in COLUMNS].index("day")] for r in rows[1:]]
    assert any(isinstance(d, dt.datetime) for d in days)  # a day is a date cell


def test_the_workbook_keeps_hostile_text_as_text() -> None:
    from dangjian import Finding, Period, Severity, Status, Subject

    hostile = '=HYPERLINK("http://x")\x01'
    f = Finding(
        rule="r",
        status=Status.FAILED,
        severity=Severity.ERROR,
        subject=Subject(kind="member", id="m1", name=hostile),
        period=Period.parse("2020-01"),
        message="11010519491231002X 不符合",
        message_en="x",
    )
    r = Report(findings=(f,), period=Period.parse("2020H1"), as_of=dt.date(2020, 7, 1), profile="p")
    cell = openpyxl.load_workbook(io.BytesIO(r.to_bytes("xlsx")))["全部结果"]
    by_name = {c.name: i + 1 for i, c in enumerate(COLUMNS)}
    name = cell.cell(2, by_name["subject_name"])
    assert name.data_type == "s" and unescape_text(name.value) == hostile  # Excel's _x0001_
    assert "11010519491231002X" not in cell.cell(2, by_name["message"]).value


def test_every_column_type_is_used_and_lists_join_as_in_csv() -> None:
    assert {c.type for c in COLUMNS} == set(ColumnType)
    assert ColumnType.IDS.joiner == " " and ColumnType.TEXTS.joiner == "; "
    assert all(c.categories for c in COLUMNS if c.type is ColumnType.CODE)


# -- presentation hangs off the entities ---------------------------------------------------

ENTITIES = ("findings.py", "ledger.py", "report.py")
PRESENTATION = ("dangjian._html", "dangjian._frames", "dangjian.outputs", "dangjian.charts")


@pytest.mark.parametrize("module", ENTITIES)
def test_the_entities_never_import_their_presentation(module: str) -> None:
    tree = ast.parse((ROOT / "src" / "dangjian" / module).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert not {i for i in imported if i.startswith(PRESENTATION)}


def test_the_entities_show_themselves_through_the_registered_views(report: Report) -> None:
    ledger = dangjian.load(EXAMPLE)
    assert report._repr_html_().startswith('<div class="dangjian-report">')
    assert report.findings[0]._repr_html_().startswith('<div class="dangjian-finding">')
    assert ledger._repr_html_().startswith('<div class="dangjian-ledger">')
    assert len(report.to_frame()) == len(report)
    assert set(ledger.to_frames()) >= {"members", "meetings"}


def test_an_entity_without_a_view_says_so() -> None:
    from dangjian import _views

    with pytest.raises(NotImplementedError, match="int has no HTML view"):
        _views.html(3)
