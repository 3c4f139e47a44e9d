"""The ``dangjian`` command: validate and convert, exit codes and messages."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dangjian import RECORD_KINDS, dump, load
from dangjian.cli import main
from tests.builders.example import EXAMPLE, PLAN, WAIVERS

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def good(tmp_path: Path, make_ledger) -> Path:
    path = tmp_path / "good.yaml"
    dump(make_ledger(), path)
    return path


BAD = {
    "name": "坏台账",
    "branches": [{"id": "b1", "name": "支部", "level": "branch", "category": "organ"}],
    "members": [
        {"id": "m1", "name": "甲", "gender": "F", "branch": "b1", "status": "full"},
        {"id": "m2", "name": "乙", "gender": "male", "branch": "b9", "status": "full"},
    ],
    "meetings": [{"id": "mt1", "kind": "theme_day", "branch": "b1", "date": "2020-02-30"}],
}
BAD_PATHS = ["members[0].gender", "meetings[0].date", "members[1].branch"]


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(BAD, ensure_ascii=False), encoding="utf-8")
    return path


def test_validate_a_good_ledger(good: Path, make_ledger, capsys) -> None:
    assert main(["validate", str(good)]) == 0
    out, err = capsys.readouterr()
    ledger = make_ledger()
    assert err == ""
    first, *rest = out.splitlines()
    assert first == f"{ledger.name}：台账有效，共 {len(ledger)} 条记录"
    assert len(rest) == len(RECORD_KINDS)
    assert f"  党员：{len(ledger.members)}" in rest
    assert f"  会议：{len(ledger.meetings)}" in rest


def test_validate_in_english(good: Path, make_ledger, capsys) -> None:
    assert main(["--lang", "en", "validate", str(good)]) == 0
    out, _ = capsys.readouterr()
    ledger = make_ledger()
    assert out.splitlines()[0] == f"{ledger.name}: the ledger is valid, {len(ledger)} records"
    assert f"  members: {len(ledger.members)}" in out.splitlines()


def test_validate_leaves_out_empty_collections(tmp_path: Path, capsys) -> None:
    path = tmp_path / "small.json"
    path.write_text(json.dumps({"name": "小台账", "branches": [BAD["branches"][0]]}), "utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == ["小台账：台账有效，共 1 条记录", "  党组织：1"]


def test_validate_a_bad_ledger_lists_every_problem(bad: Path, capsys) -> None:
    assert main(["validate", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"{bad}：台账有 {len(BAD_PATHS)} 处错误："
    assert sorted(line.split(":")[0].strip(" -") for line in lines[1:]) == sorted(BAD_PATHS)
    assert all(CJK.search(line) for line in lines[1:])


def test_validate_a_bad_ledger_in_english(bad: Path, capsys) -> None:
    assert main(["--lang", "en", "validate", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert not CJK.search(err), err
    assert err.splitlines()[0] == f"{bad}: the ledger has {len(BAD_PATHS)} problems:"
    for path in BAD_PATHS:
        assert f"  - {path}: " in err


def test_convert_json_yaml_toml_json(tmp_path: Path, make_ledger, capsys) -> None:
    ledger = make_ledger()
    start = tmp_path / "a.json"
    dump(ledger, start)
    chain = [start, tmp_path / "b.yaml", tmp_path / "c.toml", tmp_path / "d.json"]
    for source, target in itertools.pairwise(chain):
        assert main(["convert", str(source), str(target)]) == 0
        assert load(target) == ledger
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [f"{s} → {t}" for s, t in itertools.pairwise(chain)]
    assert chain[-1].read_text("utf-8") == start.read_text("utf-8")
    assert 'resident_id = "11010519491231002X"' in chain[2].read_text("utf-8")


def test_convert_a_bad_ledger_writes_nothing(bad: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "out.yaml"
    assert main(["convert", str(bad), str(target)]) == 2
    assert not target.exists()
    assert "members[0].gender" in capsys.readouterr().err


def test_convert_to_an_unknown_suffix(good: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "out.csv"
    assert main(["convert", str(good), str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("dangjian: ")
    assert ".csv" in err
    assert ".json" in err
    assert not target.exists()


def test_validate_an_unknown_suffix(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ledger.txt"
    path.write_text("name: x\n", "utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dangjian: ")
    assert ".txt" in err


def test_validate_a_missing_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "absent.yaml"
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("dangjian: ")
    assert "absent.yaml" in err


def test_convert_a_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["convert", str(tmp_path / "absent.json"), str(tmp_path / "x.yaml")]) == 2
    assert "absent.json" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["--lang", "fr", "validate", "x.json"])
    assert caught.value.code == 2
    assert "fr" in capsys.readouterr().err


def test_version(capsys) -> None:
    import dangjian

    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"dangjian {dangjian.__version__}"


def test_the_module_runs_as_a_program(good: Path, bad: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "dangjian.cli", "--lang", "en", "validate", str(good)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "the ledger is valid" in ok.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "dangjian.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert failed.returncode == 2
    assert "members[0].gender" in failed.stderr


def test_the_console_script_is_installed(good: Path) -> None:
    script = Path(sys.executable).with_name("dangjian")
    if not script.exists():  # pragma: no cover - e.g. an install without scripts
        pytest.skip("the dangjian console script is not installed next to this interpreter")
    done = subprocess.run(
        [str(script), "--lang", "en", "validate", str(good)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "the ledger is valid" in done.stdout


def test_a_waiver_file_with_problems_is_counted_in_plain_english(tmp_path: Path, capsys) -> None:
    waivers = tmp_path / "w.toml"
    waivers.write_text(
        "".join(
            f'[[waiver]]\nrule = "{rule}"\nperiod = "2020-02"\nreason = "x"\napproved_by = "y"\n\n'
            for rule in ("dues.salary", "dues.wages")
        ),
        encoding="utf-8",
    )
    argv = ["check", str(EXAMPLE), "--period", "2020H1"]
    assert main(["--lang", "en", *argv, "--waivers", str(waivers)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[0] == "the rules have 2 problems:"
    assert main([*argv, "--waivers", str(waivers)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[0] == "规则有 2 处错误："


def test_a_waiver_of_a_finding_that_cannot_be_told_is_said_not_applied(capsys) -> None:
    argv = [
        "check",
        str(EXAMPLE),
        "--period",
        "2020H1",
        "--as-of",
        "2020-07-15",
        "--profile",
        "organ",
        "--rules",
        str(PLAN),
        "--waivers",
        str(WAIVERS),
    ]
    assert main(argv) == 1  # still the example's failures, nothing new
    _, err = capsys.readouterr()
    [line] = err.splitlines()
    assert "提示：豁免未适用" in line and "waiver[4](charter.lapse_org_life)" in line
    assert main(["--lang", "en", *argv]) == 1
    _, err = capsys.readouterr()
    [line] = err.splitlines()
    assert line.startswith("dangjian: note: waiver not applied: ")
    assert "covers 1 finding(s) that cannot be told" in line
