"""Errors that dangjian raises on purpose carry catalog messages: one language on the command
line, Chinese with the English after it in ``str(error)``, any catalog dropped in."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from dangjian import i18n
from dangjian.cli import main
from dangjian.errors import DangjianError
from dangjian.i18n import t
from dangjian.outputs import get_format
from dangjian.periods import Month, Period, PeriodError, PeriodUnit
from tests.builders.example import EXAMPLE


def test_a_period_error_says_what_is_wrong_in_each_language() -> None:
    with pytest.raises(PeriodError) as caught:
        Period.parse("2020Q5")
    error = caught.value
    zh = "无法识别的期间「2020Q5」，可用的写法：2020、2020H1、2020Q2、2020-05、2020-W14"
    en = "unknown period '2020Q5'; the forms are 2020, 2020H1, 2020Q2, 2020-05 and 2020-W14"
    assert error.render() == zh
    assert error.render("en") == en
    assert str(error) == f"{zh} ({en})"
    assert error.msg == t(
        "无法识别的期间「{text}」，可用的写法：2020、2020H1、2020Q2、2020-05、2020-W14",
        text="2020Q5",
    )


@pytest.mark.parametrize(
    ("make", "zh", "en"),
    [
        (lambda: Period.parse("2020-W54"), "2020 年的 ISO 周为第 1 至 53 周，没有第 54 周",
         "2020 has ISO weeks 1 to 53, not 54"),
        (lambda: Period(PeriodUnit.QUARTER, 2020, 5), "一年有 4 个季度，没有第 5 个",
         "a year has 4 quarters, not 5"),
        (lambda: Period.parse("9999-12"), "年份 9999 超出范围", "year 9999 is out of range"),
        (lambda: Month(1, 1).previous(), "0001-01 之前没有期间", "no period comes before 0001-01"),
        (lambda: Month(2020, 5).subperiods(PeriodUnit.QUARTER), "月不能再分成季度",
         "a month has no quarters"),
        (lambda: Month.parse("2020/05"), "「2020/05」不是 YYYY-MM 形式的月份",
         "'2020/05' is not a month written as YYYY-MM"),
    ],
)  # fmt: skip
def test_every_period_error_is_a_catalog_message(make, zh: str, en: str) -> None:
    with pytest.raises(PeriodError) as caught:
        make()
    assert (caught.value.render(), caught.value.render("en")) == (zh, en)


def test_an_error_made_with_text_renders_its_text() -> None:
    error = DangjianError("只有中文")
    assert error.msg is None
    assert error.render("en") == str(error) == "只有中文"


def test_an_unknown_output_format_in_both_languages() -> None:
    with pytest.raises(DangjianError) as caught:
        get_format("pdf")
    assert caught.value.render().startswith("没有名为「pdf」的输出格式，可用：text, ")
    assert caught.value.render("en").startswith("no output format 'pdf' (there are: text, ")


@pytest.mark.parametrize(
    ("lang", "said", "unsaid"),
    [
        ("zh", "dangjian: 无法识别的期间「2020Q5」", "unknown period"),
        ("en", "dangjian: unknown period '2020Q5'; the forms are", "无法识别"),
    ],
)
def test_a_bad_period_on_the_command_line_in_one_language(
    lang: str, said: str, unsaid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(EXAMPLE), "--period", "2020Q5", "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert err.startswith(said) and unsaid not in err


def test_the_template_and_explain_errors_in_one_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.txt"
    assert main(["template", str(target)]) == 2
    assert (
        capsys.readouterr().err
        == f"dangjian: {target}：模板是 Excel 工作簿，文件名应以 .xlsx 结尾\n"
    )
    assert main(["template", str(target), "--lang", "en"]) == 2
    assert capsys.readouterr().err == (
        f"dangjian: {target}: the template is an Excel workbook: name it *.xlsx\n"
    )
    assert main(["explain", "no.such.rule"]) == 2
    assert capsys.readouterr().err == "dangjian: 没有编号为「no.such.rule」的规则\n"
    assert main(["explain", "no.such.rule", "--lang", "en"]) == 2
    assert capsys.readouterr().err == "dangjian: no rule 'no.such.rule'\n"


def test_a_waiver_with_a_bad_period_is_a_problem_in_each_language(tmp_path: Path) -> None:
    from dangjian.errors import RuleError
    from dangjian.rules import load_waivers

    path = tmp_path / "waivers.toml"
    path.write_text(
        '[[waiver]]\nrule = "x"\nperiod = "2020Q5"\nreason = "r"\napproved_by = "a"\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_waivers(path)
    (problem,) = caught.value.problems
    assert problem.message.startswith("无法识别的期间「2020Q5」")
    assert problem.message_en.startswith("unknown period '2020Q5'")


def test_an_error_speaks_a_catalog_dropped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = Catalog(locale="en", domain="dangjian")
    catalog.add("年份 {year} 超出范围", "th' year {year} be off th' chart")
    target = tmp_path / "pirate" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "dangjian.po").open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setenv(i18n.ENV_LOCALEDIR, str(tmp_path))
    assert main(["check", str(EXAMPLE), "--period", "9999", "--lang", "pirate"]) == 2
    assert capsys.readouterr().err == "dangjian: th' year 9999 be off th' chart\n"


def test_an_existing_output_is_refused_in_one_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    target.write_text("{}", encoding="utf-8")
    assert main(["convert", str(EXAMPLE), str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"dangjian: {target}：文件已存在，未覆盖（命令行加 --force 可覆盖）\n"
    assert main(["convert", str(EXAMPLE), str(target), "--lang", "en"]) == 2
    assert capsys.readouterr().err == (
        f"dangjian: {target}: the file exists and was not overwritten; "
        "on the command line, --force overwrites it\n"
    )
