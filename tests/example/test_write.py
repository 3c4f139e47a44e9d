"""``dangjian example DIR`` (``dangjian.example.write``): the example that ships in the package,
written out whole, never over a file that exists without ``--force``, and its workbook the same
ledger as its YAML file."""

from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from pathlib import Path

import pytest

import dangjian
import dangjian.example as example
from dangjian.cli import ENV_LANG, main
from dangjian.errors import DangjianError
from tests.builders.example import EXAMPLE, EXAMPLES, PLAN, WAIVERS, checked_example

ALL = (*example.FILES, example.WORKBOOK)


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl as if it were not installed (``import openpyxl`` fails)."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)


def test_the_files_of_the_package_are_the_example_the_tests_check() -> None:
    assert [EXAMPLES / name for name in example.FILES] == [
        EXAMPLE,
        PLAN,
        WAIVERS,
        EXAMPLES / example.DUES_POLICY,
    ]
    for name in example.FILES:
        assert example.read(name) == (EXAMPLES / name).read_bytes()
    with pytest.raises(ValueError, match=re.escape(example.WORKBOOK)):
        example.read(example.WORKBOOK)  # made, not kept


def test_write_makes_the_directory_and_every_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    written = example.write(target)
    assert written.files == tuple(target / name for name in ALL)
    assert written.without_workbook is None
    assert sorted(p.name for p in target.iterdir()) == sorted(ALL)
    for name in example.FILES:
        assert (target / name).read_bytes() == example.read(name)


def test_the_workbook_is_left_out_when_asked(tmp_path: Path) -> None:
    written = example.write(tmp_path, workbook=False)
    assert written == example.Written(tuple(tmp_path / name for name in example.FILES))
    assert not (tmp_path / example.WORKBOOK).exists()


def test_the_workbook_is_the_same_ledger_as_the_yaml_file(tmp_path: Path) -> None:
    example.write(tmp_path)
    from_yaml = dangjian.load(tmp_path / example.LEDGER)
    from_workbook = dangjian.load(tmp_path / example.WORKBOOK)
    assert from_workbook == from_yaml
    assert len(from_workbook) == len(checked_example().ledger) > 300


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_ledgers_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    example.write(tmp_path)
    modes = {name: stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ALL}
    assert modes[example.LEDGER] == modes[example.WORKBOOK] == 0o600
    umask = os.umask(0)
    os.umask(umask)
    assert modes[example.PLAN] == modes[example.WAIVERS] == 0o666 & ~umask


def test_an_existing_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    mine = tmp_path / example.PLAN
    mine.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(DangjianError) as caught:
        example.write(tmp_path)
    assert example.PLAN in caught.value.render()
    assert example.LEDGER not in caught.value.render()
    assert mine.read_text(encoding="utf-8") == "# mine\n"
    assert [p.name for p in tmp_path.iterdir()] == [example.PLAN]


def test_every_existing_file_is_named_at_once(tmp_path: Path) -> None:
    for name in (example.LEDGER, example.WORKBOOK):
        (tmp_path / name).write_bytes(b"mine")
    with pytest.raises(DangjianError) as caught:
        example.write(tmp_path)
    message = caught.value.render("en")
    assert f"{example.LEDGER}, {example.WORKBOOK} already exist; nothing was written" in message
    assert all((tmp_path / name).read_bytes() == b"mine" for name in (example.LEDGER,))


def test_overwrite_replaces_them(tmp_path: Path) -> None:
    (tmp_path / example.WAIVERS).write_bytes(b"mine")
    example.write(tmp_path, overwrite=True)
    assert (tmp_path / example.WAIVERS).read_bytes() == example.read(example.WAIVERS)


def test_a_file_in_place_of_the_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "examples").write_bytes(b"")
    with pytest.raises(DangjianError) as caught:
        example.write(tmp_path / "examples")
    assert caught.value.render("en").endswith("exists and is not a directory")


def test_without_openpyxl_the_workbook_is_left_out_and_said_why(
    tmp_path: Path, no_openpyxl: None
) -> None:
    (tmp_path / example.WORKBOOK).write_bytes(b"mine")  # not written, so not in the way
    written = example.write(tmp_path)
    assert [p.name for p in written.files] == list(example.FILES)
    assert written.without_workbook is not None
    assert 'pip install "dangjian[excel]"' in written.without_workbook.render("en")
    assert (tmp_path / example.WORKBOOK).read_bytes() == b"mine"


# -- the command ------------------------------------------------------------------------------


def _next_step(out: str) -> list[str]:
    """The command the last line of ``dangjian example`` suggests, as its words."""
    line = out.splitlines()[-1]
    return shlex.split(line.partition("：")[2] or line.partition(": ")[2])


def test_the_command_lists_the_files_and_the_next_step_which_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "examples"
    assert main(["example", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:-1] == [str(target / name) for name in ALL]
    assert out.splitlines()[-1].startswith("下一步，检查示例台账：dangjian check ")
    words = _next_step(out)
    assert words[:2] == ["dangjian", "check"]
    # the suggested check finds what the example's check finds: its error-level failures
    assert main(words[1:]) == 1
    shown = capsys.readouterr().out
    expected = checked_example().report.filter(status="failed", severity="error")
    assert len(expected) > 0
    for finding in expected:  # grouped by rule and subject, errors first
        assert finding.rule in shown and finding.subject.name in shown
    assert shown.index("【错误") < shown.index("【警告")


def test_the_command_refuses_existing_files_in_either_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["example", str(tmp_path)]) == 0
    capsys.readouterr()
    (tmp_path / example.PLAN).write_bytes(b"mine")
    assert main(["example", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dangjian: {tmp_path}：已有文件 ")
    assert "未写入任何文件（命令行加 --force 可覆盖）" in err
    assert main(["example", str(tmp_path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "nothing was written (add --force on the command line to overwrite)" in err
    assert (tmp_path / example.PLAN).read_bytes() == b"mine"
    assert main(["example", str(tmp_path), "--force"]) == 0
    assert (tmp_path / example.PLAN).read_bytes() == example.read(example.PLAN)


def test_the_command_says_when_the_workbook_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_openpyxl: None
) -> None:
    assert main(["--lang", "en", "example", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert example.WORKBOOK not in out
    assert err.startswith(f"dangjian: the workbook {example.WORKBOOK} was not written: ")
    assert 'pip install "dangjian[excel]"' in err
    assert out.splitlines()[-1].startswith("next, check the example ledger: dangjian check ")
