"""The command line's help in the language asked for: Chinese by default, English with
``--lang en`` or ``DANGJIAN_LANG=en``, and any catalog dropped in."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from hypothesis import given
from hypothesis import strategies as st

from dangjian import cli, i18n
from dangjian.cli import ENV_LANG, main


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


def test_the_help_is_chinese_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(["--help"], capsys)
    assert out.startswith("用法：dangjian ")
    assert "校验台账并列出其内容" in out and "按规则检查台账" in out
    assert "选项" in out and "显示本帮助并退出" in out and "显示版本号并退出" in out
    assert "usage:" not in out and "validate a ledger" not in out


@pytest.mark.parametrize("argv", [["--lang", "en", "--help"], ["--lang=en", "--help"]])
def test_the_help_is_english_with_lang_en(argv: list[str], capsys) -> None:
    out = _help(argv, capsys)
    assert out.startswith("usage: dangjian ")
    assert "validate a ledger and say what it holds" in out
    assert "options:" in out and "show this help message and exit" in out
    assert "校验台账" not in out


def test_the_help_of_check_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    zh = _help(["check", "--help"], capsys)
    assert zh.startswith("用法：dangjian check ")
    assert (
        "要检查的记录：台账文件" in zh
        and "检查的期间：2020H1" in zh
        and "报告的格式（默认：text；xlsx 需要 --output）" in zh
    )
    assert "位置参数" in zh
    en = _help(["check", "--help", "--lang", "en"], capsys)
    assert en.startswith("usage: dangjian check ")
    assert "the records to check" in en and "the period to check: 2020H1" in en
    assert "positional arguments:" in en
    assert "要检查的记录" not in en


def test_the_environment_names_the_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_LANG, "en")
    assert "check a ledger against the rules" in _help(["--help"], capsys)
    assert "按规则检查台账" in _help(["--lang", "zh", "--help"], capsys)  # --lang wins


def test_a_language_named_by_the_environment_needs_a_catalog(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_LANG, "xx")
    assert main(["rules"]) == 2
    err = capsys.readouterr().err
    assert "DANGJIAN_LANG" in err and "xx" in err


def test_lang_after_a_double_dash_is_not_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help", "--", "--lang", "en"])
    assert capsys.readouterr().out.startswith("用法：")


def test_argparse_is_left_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    before = vars(argparse)["_"]
    _help(["--lang", "en", "check", "--help"], capsys)
    assert vars(argparse)["_"] is before
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")


def test_the_help_speaks_a_catalog_dropped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = Catalog(locale="en", domain="dangjian")
    catalog.add("按规则检查台账", "check yer ledger 'gainst th' code")
    catalog.add(
        "要检查的记录：台账文件，或数据表（Parquet 文件目录、DuckDB 数据库文件、PostgreSQL 连接地址 postgresql://…）",
        "th' ledger t' search",
    )
    catalog.add("用法：", "how t' use it: ", context="argparse")
    target = tmp_path / "pirate" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "dangjian.po").open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setenv(i18n.ENV_LOCALEDIR, str(tmp_path))
    out = _help(["check", "--lang", "pirate", "--help"], capsys)
    assert out.startswith("how t' use it: dangjian check ")
    assert "check yer ledger 'gainst th' code" in out and "th' ledger t' search" in out
    assert "判断所依据的日期" in out  # not translated: shown in Chinese


def test_the_description_says_what_the_tool_does_now(capsys: pytest.CaptureFixture[str]) -> None:
    zh = _help(["--help"], capsys)
    assert "载入并校验台账" in zh and "按注明依据的规则检查" in zh and "导出为数据表" in zh
    assert re.search(r"\n +example +初次使用：写出自带的示例", zh)
    en = _help(["--help", "--lang", "en"], capsys)
    assert "load and validate ledgers (JSON, YAML, TOML, Excel)" in " ".join(en.split())
    assert "validate and convert" not in en
    assert re.search(r"\n +example +start here: write out the bundled example", en)


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every (command path, action) of ``parser`` and of its commands, however deep."""
    for action in parser._actions:
        yield path, action
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))


def _built(lang: str) -> list[tuple[tuple[str, ...], argparse.Action]]:
    with cli._argparse_in(lang):
        return list(_walk(cli._parser(lang)))


def _name(path: tuple[str, ...], action: argparse.Action) -> str:
    return " ".join(["dangjian", *path, "/".join(action.option_strings) or action.dest])


def test_every_option_of_every_command_is_documented_in_each_language() -> None:
    zh, en = _built("zh"), _built("en")
    assert len(zh) == len(en) > 100  # the same parser, walked whole
    commands = {path for path, _ in zh if path}
    assert {("check",), ("explain",), ("completion",), ("example",)} <= commands
    for (path, a), (path_en, b) in zip(zh, en, strict=True):
        name = _name(path, a)
        assert (path, a.dest) == (path_en, b.dest)
        assert a.help and b.help and argparse.SUPPRESS not in (a.help, b.help), name
        assert a.help != b.help, f"{name}: its help is not translated: {a.help}"
        # English words (a Chinese term may stand beside them, as in the glossary)
        assert re.search("[A-Za-z]{4}", b.help), f"{name}: {b.help}"


def test_every_command_has_a_line_in_each_language() -> None:
    for lang in ("zh", "en"):
        with cli._argparse_in(lang):
            parser = cli._parser(lang)
        (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        lines = {c.dest: c.help for c in commands._choices_actions}
        assert sorted(lines) == sorted(commands.choices)
        shown = parser.format_help()
        for name, line in lines.items():
            assert line and re.search(rf"\n +{name} +\S", shown), (lang, name)


def test_every_value_of_an_option_with_choices_is_in_its_help() -> None:
    checked = 0
    for lang in ("zh", "en"):
        for path, action in _built(lang):
            if action.choices is None or isinstance(action, argparse._SubParsersAction):
                continue
            for value in action.choices:
                assert str(value) in str(action.help), (_name(path, action), value)
            checked += 1
    assert checked >= 2 * 10  # --format of six commands, --fail-on, --engine, --lang, …


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--help", "--lang", "en"],
        ["--lang", "en", "check", "--help"],
        ["check", "--lang=en", "--help"],
    ],
)
def test_check_format_is_described_value_by_value_in_english(argv, capsys) -> None:
    out = " ".join(_help(argv, capsys).split())
    assert "the format of the report (default: text; xlsx needs --output):" in out
    for name in cli.format_names():
        assert f" {name}: " in out
    assert "报告的格式" not in out


def test_a_help_line_is_wrapped_by_the_width_it_takes(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = _help(["--help"], capsys)
    from wcwidth import wcswidth

    assert max(wcswidth(line) for line in out.splitlines()) <= 60
    # a line does not begin with a closing mark or a comma
    starts = {line.lstrip()[:1] for line in out.splitlines()} - {""}
    assert not starts & set("）、，。；：")
    assert "初次使用：写出自带的示例" in out.replace("\n", "").replace(" ", "")


def test_wrapping_counts_a_chinese_character_as_two_columns() -> None:
    assert cli._wrap("甲" * 30, 60) == ["甲" * 30]  # just fits
    assert cli._wrap("甲" * 31, 60) == ["甲" * 30, "甲"]  # one column over
    assert cli._wrap("aaa bbb", 7) == ["aaa bbb"]
    assert cli._wrap("aaa bbb", 6) == ["aaa", "bbb"]  # at the space, not inside a word
    assert cli._wrap("甲甲甲、乙", 6) == ["甲甲", "甲、乙"]  # 、 does not begin a line
    assert cli._wrap("", 10) == [""]


@given(
    st.text(alphabet=st.sampled_from("甲乙、，）（ ab-1"), max_size=80),
    st.integers(min_value=2, max_value=40),
)
def test_wrapping_loses_nothing_and_keeps_within_the_width(text: str, width: int) -> None:
    from wcwidth import wcswidth

    lines = cli._wrap(text.strip(), width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(wcswidth(line) <= width for line in lines)
    assert all(line for line in lines) or lines == [""]
