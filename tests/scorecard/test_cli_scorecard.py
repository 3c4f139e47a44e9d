"""``dangjian scorecard LEDGER --period …``: the library's scores, as text, JSON, files."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import dangjian
from dangjian.cli import ENV_LANG, main
from dangjian.scoring import Scheme, load_scheme
from tests.builders.example import EXAMPLE

ARGS = [str(EXAMPLE), "--period", "2020H1", "--as-of", "2020-06-30", "--profile", "organ"]


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


def _library(period: str = "2020H1") -> dangjian.Report:
    ledger = dangjian.load(EXAMPLE)
    return dangjian.check(ledger, period, as_of=dt.date(2020, 6, 30), profile="organ")


def test_json_is_the_library_call(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scorecard", *ARGS, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    card = dangjian.scorecard(_library(), ledger=dangjian.load(EXAMPLE))
    assert [(b["branch"], b["score"], b["rank"]) for b in data["branches"]] == [
        (r.branch, str(r.score), r.rank) for r in card.rows
    ]
    # the committee is scored but not ranked among the branches
    committee = [b for b in data["branches"] if not b["ranked"]]
    assert [b["branch"] for b in committee] == ["jgdw"]
    assert committee[0]["rank"] is None


def test_previous_period_runs_the_check_for_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scorecard", *ARGS, "--previous-period", "2019H2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ledger = dangjian.load(EXAMPLE)
    earlier = dangjian.scorecard(
        dangjian.check(ledger, "2019H2", as_of=dt.date(2020, 6, 30), profile="organ"),
        ledger=ledger,
    )
    assert data["previous_period"] == "2019H2"
    for b in data["branches"]:
        before = earlier.row(b["branch"]).score
        assert Decimal(b["previous"]) == before
        assert Decimal(b["change"]) == Decimal(b["score"]) - before


def test_a_replaced_scheme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scheme = tmp_path / "ours.toml"
    scheme.write_text("base = 10\nmax_deduction = 10\nrule_cap = 1\n", encoding="utf-8")
    assert main(["scorecard", *ARGS, "--scheme", str(scheme), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scheme"]["base"] == "10"
    report = _library()
    for b in data["branches"]:
        rules = {f.rule for f in report.failed if f.subject.branch == b["branch"]}
        assert Decimal(b["score"]) == 10 - min(10, len(rules))


def test_a_bad_scheme_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scheme = tmp_path / "bad.toml"
    scheme.write_text("[severity]\nerror = -3\nfatal = 1\n", encoding="utf-8")
    assert main(["scorecard", *ARGS, "--scheme", str(scheme)]) == 2
    err = capsys.readouterr().err
    assert "severity.error" in err and "severity.fatal" in err and "bad.toml" in err


def test_text_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scorecard", *ARGS]) == 0
    out = capsys.readouterr().out
    assert "名次" in out and "中共市X局机关第一支部委员会" in out


def test_xlsx_needs_an_output_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("openpyxl")
    assert main(["scorecard", *ARGS, "--format", "xlsx"]) == 2
    target = tmp_path / "scores.xlsx"
    assert main(["scorecard", *ARGS, "--format", "xlsx", "--output", str(target)]) == 0
    assert target.stat().st_size > 0
    assert main(["scorecard", *ARGS, "--format", "xlsx", "--output", str(target)]) == 2
    assert main(["scorecard", *ARGS, "--format", "xlsx", "--output", str(target), "--force"]) == 0


def test_svg_chart_has_every_branch(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "scores.svg"
    assert main(["scorecard", *ARGS, "--format", "svg", "--output", str(target)]) == 0
    svg = target.read_text("utf-8")
    for branch in dangjian.load(EXAMPLE).branches:
        assert branch.name in svg


def test_the_table_engines_report_scores_the_same() -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("ibis")
    ledger = dangjian.load(EXAMPLE)
    objects = dangjian.scorecard(_library(), load_scheme())
    tables = dangjian.check(
        ledger, "2020H1", as_of=dt.date(2020, 6, 30), profile="organ", engine="duckdb"
    )
    card = dangjian.scorecard(tables, Scheme(base=Decimal(100), rule_cap=Decimal(20)))
    assert {r.branch: r.score for r in card.rows} == {r.branch: r.score for r in objects.rows}


def test_png_chart_where_a_chinese_font_is_installed(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from dangjian.charts import cjk_font

    if cjk_font() is None:
        pytest.skip(
            "no font with Chinese glyphs: a PNG is refused (tested in tests/test_charts.py)"
        )
    target = tmp_path / "scores.png"
    assert main(["scorecard", *ARGS, "--format", "png", "--output", str(target)]) == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_a_png_needs_its_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "scores.svg"
    assert main(["scorecard", *ARGS, "--format", "png", "--output", str(target)]) == 2
    assert ".png" in capsys.readouterr().err
    assert not target.exists()


def test_a_table_source_scores_as_the_ledger_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A directory of Parquet tables is checked by the table engine: the same scores, ranks and
    changes as the ledger's, the committee (read from the branches table) not ranked."""
    pytest.importorskip("ibis")
    tables = tmp_path / "tables"
    assert main(["export", str(EXAMPLE), str(tables)]) == 0
    capsys.readouterr()
    args = ["--period", "2020H1", "--as-of", "2020-06-30", "--profile", "organ"]
    args += ["--previous-period", "2019H2", "--format", "json"]
    assert main(["scorecard", str(EXAMPLE), *args]) == 0
    objects = json.loads(capsys.readouterr().out)
    assert main(["scorecard", str(tables), *args]) == 0
    tabled = json.loads(capsys.readouterr().out)

    def rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
        keys = ("branch", "score", "rank", "ranked", "previous", "change")
        return sorted(tuple(b[k] for k in keys) for b in data["branches"])

    assert rows(tabled) == rows(objects)
    assert [b["branch"] for b in tabled["branches"] if not b["ranked"]] == ["jgdw"]
