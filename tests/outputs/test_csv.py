"""CSV: in Chinese with a byte order mark for people, in codes for scripts (``--codes``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dangjian import Report, Status
from dangjian.cli import main
from dangjian.outputs import csv as csv_output
from tests.outputs.test_text import CHECK, report

__all__ = ["report"]


def test_csv_starts_with_a_bom_and_is_headed_in_chinese(report: Report) -> None:
    text = report.render("csv")
    assert text.startswith("\ufeff") and text.count("\ufeff") == 1
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["规则", "状态", "级别", "对象类别"]
    assert rows[0] == [c.text_label() for c in csv_output.COLUMNS]
    statuses = {row[1] for row in rows[1:]}
    assert statuses <= {s.text() for s in Status} and "不符合" in statuses
    assert len(rows) == len(report) + 1


def test_csv_in_english_is_headed_in_english(report: Report) -> None:
    rows = list(csv.reader(io.StringIO(report.render("csv", "en").removeprefix("\ufeff"))))
    assert rows[0][:3] == ["rule", "status", "severity"]
    assert {row[1] for row in rows[1:]} <= {s.text("en") for s in Status}


def test_the_file_excel_opens_is_utf8_with_a_bom(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    main(["check", *CHECK, "--format", "csv", "--output", str(out)])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "规则" in data.decode("utf-8-sig").splitlines()[0]


def test_codes_gives_the_columns_and_codes_for_scripts(
    report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", *CHECK, "--format", "csv", "--codes"])
    out = capsys.readouterr().out
    assert out == report.render("csv-codes")
    assert not out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [c.name for c in csv_output.COLUMNS]
    assert {row["status"] for row in rows} <= {s.code for s in Status}
    assert len(rows) == len(report)


def test_json_and_junit_do_not_change(report: Report) -> None:
    assert '"status": "failed"' in report.render("json")
    assert not report.render("json").startswith("\ufeff")
    assert report.render("junit").startswith('<?xml version="1.0"')
