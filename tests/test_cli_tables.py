"""``dangjian export LEDGER DIR`` and ``dangjian import DIR LEDGER``: the ledger as Parquet tables."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from dangjian import Ledger, dump, dumps, load
from dangjian.cli import ENV_LANG, main
from dangjian.tables.arrow import table_names
from tests.builders.example import EXAMPLE


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


@pytest.fixture
def ledger_file(tmp_path: Path, make_ledger: Callable[..., Ledger]) -> Path:
    path = tmp_path / "台账.yaml"
    dump(make_ledger(), path)
    return path


def test_export_then_import_gives_the_same_ledger(tmp_path: Path, capsys) -> None:
    source = EXAMPLE
    assert main(["export", str(source), str(tmp_path / "tables")]) == 0
    assert sorted(os.listdir(tmp_path / "tables")) == sorted(f"{n}.parquet" for n in table_names())
    assert main(["import", str(tmp_path / "tables"), str(tmp_path / "back.json")]) == 0
    assert (tmp_path / "back.json").read_text(encoding="utf-8") == dumps(load(source), "json")
    out = capsys.readouterr().out
    assert "→" in out


@pytest.mark.parametrize("suffix", [".yaml", ".toml", ".xlsx"])
def test_import_writes_the_format_of_the_suffix(
    ledger_file: Path, tmp_path: Path, suffix: str
) -> None:
    assert main(["export", str(ledger_file), str(tmp_path / "tables")]) == 0
    target = tmp_path / f"back{suffix}"
    assert main(["import", str(tmp_path / "tables"), str(target)]) == 0
    assert load(target) == load(ledger_file)


def test_export_refuses_a_directory_with_other_content(ledger_file: Path, capsys) -> None:
    # the ledger's own directory: not empty, not an export
    assert main(["export", str(ledger_file), str(ledger_file.parent)]) == 2
    assert "台账" in capsys.readouterr().err
    assert os.listdir(ledger_file.parent) == [ledger_file.name]


def test_export_replaces_a_previous_export_with_force(
    ledger_file: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "tables"
    assert main(["export", str(ledger_file), str(target)]) == 0
    assert main(["export", str(ledger_file), str(target)]) == 2
    err = capsys.readouterr().err
    assert "先前导出" in err and "--force" in err
    assert main(["export", "--force", str(ledger_file), str(target)]) == 0


def test_export_of_a_bad_ledger_writes_nothing(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "members": [{"id": "m1"}]}', encoding="utf-8")
    assert main(["export", str(bad), str(tmp_path / "tables")]) == 2
    assert "members[0]" in capsys.readouterr().err
    assert not (tmp_path / "tables").exists()


def test_import_refuses_an_existing_ledger_without_force(
    ledger_file: Path, tmp_path: Path, capsys
) -> None:
    assert main(["export", str(ledger_file), str(tmp_path / "tables")]) == 0
    other = tmp_path / "other.json"
    other.write_text("{}", encoding="utf-8")
    assert main(["import", str(tmp_path / "tables"), str(other)]) == 2
    assert other.read_text(encoding="utf-8") == "{}"
    assert main(["import", "--force", str(tmp_path / "tables"), str(other)]) == 0
    assert load(other) == load(ledger_file)


def test_import_never_writes_into_its_input(ledger_file: Path, tmp_path: Path, capsys) -> None:
    tables = tmp_path / "tables"
    assert main(["export", str(ledger_file), str(tables)]) == 0
    before = sorted(os.listdir(tables))
    assert main(["import", str(tables), str(tables / "back.json")]) == 2
    assert "输入目录" in capsys.readouterr().err
    assert sorted(os.listdir(tables)) == before


def test_import_to_an_unknown_suffix_reads_nothing(tmp_path: Path, capsys) -> None:
    assert main(["import", str(tmp_path / "missing"), str(tmp_path / "back.txt")]) == 2
    assert ".txt" in capsys.readouterr().err


def test_import_lists_every_problem_in_the_language_asked(
    ledger_file: Path, tmp_path: Path, capsys
) -> None:
    tables = tmp_path / "tables"
    assert main(["export", str(ledger_file), str(tables)]) == 0
    os.remove(tables / "talks.parquet")
    (tables / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["import", str(tables), str(tmp_path / "back.json")]) == 2
    err = capsys.readouterr().err
    assert "notes.txt" in err and "不是 Parquet 表" in err
    os.remove(tables / "notes.txt")
    assert main(["--lang", "en", "import", str(tables), str(tmp_path / "back.json")]) == 2
    err = capsys.readouterr().err
    assert "the table 'talks' is missing" in err
    assert not (tmp_path / "back.json").exists()


def test_the_help_of_export_and_import_in_both_languages(capsys) -> None:
    for argv, text in [
        (["export", "--help"], "把台账导出为 Parquet 表的目录"),
        (["import", "--help"], "导出的 Parquet 表目录"),
        (["--lang", "en", "export", "--help"], "export a ledger as a directory of Parquet"),
        (["--lang", "en", "import", "--help"], "the directory of exported Parquet tables"),
    ]:
        with pytest.raises(SystemExit):
            main(argv)
        assert text in capsys.readouterr().out


# -- check over tables -------------------------------------------------------------------------

_CHECK = ["--period", "2020H1", "--as-of", "2020-07-15", "--profile", "organ"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("export") / "x-bureau"
    assert main(["export", str(EXAMPLE), str(target)]) == 0
    return target


def _object_counts(select: list[str]) -> tuple[dict[str, int], int]:
    import dangjian

    report = dangjian.check(
        load(EXAMPLE),
        "2020H1",
        as_of=__import__("datetime").date(2020, 7, 15),
        profile="organ",
        only=select,
    )
    return {s.value: n for s, n in report.counts().items()}, report.exit_code()


def test_check_a_parquet_directory_writes_findings_as_parquet(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "findings.parquet"
    code = main(["check", str(exported), *_CHECK, "--select", "branch", "--output", str(out)])
    counts, exit_code = _object_counts(["branch"])
    assert code == exit_code
    statuses = pq.read_table(out).column("status").to_pylist()
    assert {s: statuses.count(s) for s in set(statuses)} == {s: n for s, n in counts.items() if n}
    assert "符合" in capsys.readouterr().out


def test_check_over_tables_within_a_memory_limit(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    select = ["--select", "branch."]
    assert main(["check", str(exported), *_CHECK, *select, "--memory-limit", "200MiB"]) in (0, 1)
    within = capsys.readouterr().out
    main(["check", str(exported), *_CHECK, *select])
    assert capsys.readouterr().out == within
    assert main(["check", str(exported), *_CHECK, *select, "--memory-limit", "lots"]) == 2
    assert "lots" in capsys.readouterr().err


def test_check_with_the_table_engine_prints_the_objects_report(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(EXAMPLE), *_CHECK, "--select", "branch.", "--format", "csv"]) in (
        0,
        1,
    )
    objects = sorted(capsys.readouterr().out.splitlines())
    main(["check", str(exported), *_CHECK, "--select", "branch.", "--format", "csv"])
    tables = sorted(capsys.readouterr().out.splitlines())
    assert tables == objects
    main(
        [
            "check",
            str(EXAMPLE),
            *_CHECK,
            "--select",
            "branch.",
            "--format",
            "csv",
            "--engine",
            "duckdb",
        ]
    )
    assert sorted(capsys.readouterr().out.splitlines()) == objects


def test_a_source_with_a_wrong_table_is_bad_input(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    broken = tmp_path / "broken"
    broken.mkdir()
    for p in exported.iterdir():
        (broken / p.name).write_bytes(p.read_bytes())
    pq.write_table(pa.table({"id": ["x"]}), broken / "meetings.parquet")
    assert main(["check", str(broken), *_CHECK]) == 2
    err = capsys.readouterr().err
    assert "meetings" in err and "date" in err
