"""The command line forgives what is safe to forgive and says what it refuses: dates in the
forms people write, a mistyped profile, format or command answered with the valid ones and the
closest, argparse's own messages in the language asked for (``--lang`` anywhere)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dangjian.cli import ENV_LANG, main
from tests.builders import ROOT
from tests.builders.example import EXAMPLE, PLAN

CJK = re.compile(r"[\u4e00-\u9fff]")
DUE = ["due", str(EXAMPLE), "--days", "30", "--format", "json"]
CHECK = ["check", str(EXAMPLE), "--period", "2020H1", "--format", "json"]


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What the command line says on standard error when it refuses ``argv`` (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def _last_line(err: str) -> str:
    return err.rstrip("\n").splitlines()[-1]


@pytest.mark.parametrize(
    "written", ["2020/06/15", "2020/6/15", "2020.06.15", "2020年6月15日", "２０２０年６月１５日"]
)
def test_due_reads_a_date_in_each_form_as_the_iso_one(
    written: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*DUE, "--as-of", "2020-06-15"]) == 0
    iso = capsys.readouterr().out
    assert '"as_of": "2020-06-15"' in iso
    assert main([*DUE, "--as-of", written]) == 0
    assert capsys.readouterr().out == iso


def test_check_and_summary_read_a_chinese_date(capsys: pytest.CaptureFixture[str]) -> None:
    main([*CHECK, "--as-of", "2020-07-01"])
    iso = capsys.readouterr().out
    main([*CHECK, "--as-of", "2020年7月1日"])
    assert capsys.readouterr().out == iso
    main(["summary", str(EXAMPLE), "--period", "2020H1", "--as-of", "2020/7/1", "--format", "json"])
    assert capsys.readouterr().out.startswith("{")


@pytest.mark.parametrize("command", [CHECK, DUE])
@pytest.mark.parametrize("bad", ["07/15/2020", "2020-02-30", "2020-07/15"])
def test_a_bad_date_names_the_option_and_the_forms(
    command: list[str], bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    zh = _last_line(_refused([*command, "--as-of", bad], capsys))
    assert "错误：参数 --as-of：" in zh and bad in zh
    assert "可用的写法：2020-07-15、2020/07/15、2020.07.15、2020年7月15日" in zh
    en = _last_line(_refused([*command, "--as-of", bad, "--lang", "en"], capsys))
    assert f"error: argument --as-of: {bad} is not a" in en
    assert "accepted forms: 2020-07-15, 2020/07/15, 2020.07.15, 2020年7月15日" in en
    assert not CJK.search(en.replace("2020年7月15日", ""))


def test_a_mistyped_profile_lists_the_profiles_and_suggests_the_closest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    zh = _last_line(_refused([*CHECK, "--profile", "organs"], capsys))
    assert "参数 --profile：organs 不可用" in zh
    assert "national, organ，或一个已有的规则文件" in zh and "是否想用 organ？" in zh
    assert "Errno" not in zh
    en = _last_line(_refused(["--lang", "en", *CHECK, "--profile", "nationl"], capsys))
    assert en.endswith(
        "argument --profile: nationl is not available; available: national, organ, "
        "or an existing rule file; did you mean national?"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["rules", "--profile", "zzz"],
        ["explain", "meetings.branch_committee", "--profile", "zzz"],
        [*DUE, "--profile", "zzz"],
        [*CHECK, "--profile", "zzz"],
    ],
)
def test_a_profile_like_none_lists_them_without_a_guess(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = _last_line(_refused(argv, capsys))
    assert "zzz 不可用；可用的有：national, organ" in err and "是否想用" not in err


def test_a_profile_that_is_a_rule_file_still_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "--profile", str(PLAN), "--format", "json"]) == 0
    assert capsys.readouterr().out.startswith("[")
    missing = tmp_path / "nowhere.toml"
    err = _last_line(_refused(["rules", "--profile", str(missing)], capsys))
    assert f"{missing} 不可用" in err and "已有的规则文件" in err


@pytest.mark.parametrize(
    ("argv", "closest"),
    [
        ([*CHECK, "--format", "jsn"], "json"),
        ([*DUE, "--format", "markdwn"], "markdown"),
        (["summary", str(EXAMPLE), "--period", "2020H1", "--format", "doc"], "docx"),
        (["chek", str(EXAMPLE)], "check"),
        ([*CHECK, "--engine", "duck"], "duckdb"),
    ],
)
def test_a_mistyped_choice_lists_the_valid_ones_and_suggests_the_closest(
    argv: list[str], closest: str, capsys: pytest.CaptureFixture[str]
) -> None:
    zh = _last_line(_refused(argv, capsys))
    assert f"是否想用 {closest}？" in zh and "可用的有：" in zh
    en = _last_line(_refused([*argv, "--lang", "en"], capsys))
    assert en.endswith(f"did you mean {closest}?") and "available: " in en


def test_a_format_like_none_gets_no_guess(capsys: pytest.CaptureFixture[str]) -> None:
    err = _last_line(_refused([*CHECK, "--format", "qqqqq"], capsys))
    assert "qqqqq 不可用；可用的有：text, json" in err and "是否想用" not in err


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (
            ["validate", str(EXAMPLE), "--bogus"],
            "dangjian：错误：无法识别的参数：--bogus",
            "dangjian: error: unrecognized arguments: --bogus",
        ),
        (
            ["check", str(EXAMPLE)],
            "dangjian check：错误：缺少必需的参数：--period",
            "dangjian check: error: the following arguments are required: --period",
        ),
        (
            ["check", str(EXAMPLE), "--period"],
            "dangjian check：错误：参数 --period：需要一个值",
            "dangjian check: error: argument --period: expected one argument",
        ),
        (
            [*DUE, "--days", "many"],
            "dangjian due：错误：参数 --days：无效的 int 值：'many'",
            "dangjian due: error: argument --days: invalid int value: 'many'",
        ),
    ],
)
def test_argparse_speaks_chinese_by_default_and_english_with_lang_anywhere(
    argv: list[str], zh: str, en: str, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _refused(argv, capsys)
    assert said.startswith("用法：") and _last_line(said) == zh
    for placed in (["--lang", "en", *argv], [*argv, "--lang", "en"], [*argv, "--lang=en"]):
        said = _refused(placed, capsys)
        assert said.startswith("usage: ") and _last_line(said) == en
        assert not CJK.search(said)


def test_the_environment_names_the_language_of_argparse(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_LANG, "en")
    assert "unrecognized arguments" in _refused(["validate", "x.json", "--bogus"], capsys)
    said = _refused(["validate", "x.json", "--bogus", "--lang", "zh"], capsys)
    assert "无法识别的参数" in said  # --lang wins


def test_lang_before_the_command_sets_the_output_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--lang", "en", "validate", str(EXAMPLE)]) == 0
    before = capsys.readouterr().out
    assert main(["validate", str(EXAMPLE), "--lang", "en"]) == 0
    assert capsys.readouterr().out == before
    assert "the ledger is valid" in before


def test_the_refusals_shown_in_the_docs_are_the_ones_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = (ROOT / "docs" / "index.md").read_text(encoding="utf-8").splitlines()
    argv = ["check", str(EXAMPLE), "--period", "2020H1"]
    profile = _last_line(_refused([*argv, "--profile", "organs"], capsys))
    date = _last_line(_refused([*argv, "--as-of", "07/15/2020", "--lang", "en"], capsys))
    assert profile in page and date in page
