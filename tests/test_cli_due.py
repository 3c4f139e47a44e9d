"""``dangjian due LEDGER --as-of DAY --days N``: what is due, as text, JSON and Markdown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from wcwidth import wcswidth

import dangjian
from dangjian.cli import ENV_LANG, main
from tests.builders.example import EXAMPLE

ARGS = [str(EXAMPLE), "--as-of", "2020-06-15", "--days", "30"]


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


def test_json_lists_the_items_of_the_library_call(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", *ARGS, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = dangjian.due(dangjian.load(EXAMPLE), dt.date(2020, 6, 15), 30)
    assert [(i["rule"], i["subject"]["id"], i["deadline"]) for i in data["items"]] == [
        (i.rule, i.subject.id, i.deadline.isoformat()) for i in expected.items
    ]
    assert set(data) == {"as_of", "days", "horizon", "profile", "counts", "items"}
    assert (data["as_of"], data["horizon"]) == ("2020-06-15", "2020-07-15")
    deadlines = [i["deadline"] for i in data["items"]]
    assert deadlines == sorted(deadlines)
    first = data["items"][0]
    assert set(first) == {
        "level", "deadline", "working_days", "rule", "title", "subject", "owed", "period",
        "citations",
    }  # fmt: skip
    assert first["citations"] and first["level"] in ("due", "unknown", "reminder")


def test_text_is_grouped_by_deadline_and_fits_the_width(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["due", *ARGS, "--select", "branch."]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("截至2020-06-15，未来30天内（至2020-07-15）：到期")
    assert "2020-06-30（还有10个工作日）" in lines
    assert "还需开展1次党小组会" in out
    assert max(wcswidth(line) for line in lines) <= 60


def test_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no item's text is wrapped
    assert main(["due", *ARGS, "--select", "branch.", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("As of 2020-06-15, within 30 days (to 2020-07-15):")
    assert "1 more party group meeting to hold" in out


def test_markdown_has_a_table_per_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", *ARGS, "--format", "markdown", "--select", "branch."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 应办事项\n")
    assert "## 2020-06-30" in out
    assert "| 期限 | 级别 | 规则 | 对象 | 应办 | 依据 |" in out


def test_output_to_a_file_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "due.json"
    assert main(["due", *ARGS, "--format", "json", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["days"] == 30
    assert main(["due", *ARGS, "--format", "json", "--output", str(target)]) == 2
    assert "--force" in capsys.readouterr().err


def test_negative_days_are_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", str(EXAMPLE), "--as-of", "2020-06-15", "--days", "-3"]) == 2
    assert "-3" in capsys.readouterr().err


def test_a_directory_of_parquet_tables_gives_the_same_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    tables = tmp_path / "tables"
    assert main(["export", str(EXAMPLE), str(tables)]) == 0
    capsys.readouterr()
    assert main(["due", *ARGS, "--format", "json"]) == 0
    from_file = json.loads(capsys.readouterr().out)
    assert main(["due", str(tables), *ARGS[1:], "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_file
    assert from_file["items"]


@pytest.mark.parametrize("source", ["records.duckdb", "postgresql://u@h/db"])
def test_a_database_is_refused_saying_why(source: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", source, *ARGS[1:]]) == 2
    err = capsys.readouterr().err
    assert source in err and "Parquet 表目录" in err
