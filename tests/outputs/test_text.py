"""The text report for people: errors first, grouped by rule and subject, months as ranges,
fitted to a width; ``text-verbose`` a line per finding."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dangjian
from dangjian import Finding, MeetingKind, Period, Report, Severity, Status, Subject
from dangjian.cli import main
from dangjian.errors import Language
from dangjian.outputs.text import (
    MIN_WIDTH,
    fit,
    month_ranges,
    periods_text,
    text_width,
    write_report,
)
from dangjian.periods import PeriodUnit
from dangjian.rules.kinds.activity import FrequencyParams, frequency_message
from tests.builders.example import EXAMPLE, PLAN, WAIVERS

CHECK = [str(EXAMPLE), "--period", "2020H1", "--as-of", "2020-07-15", "--profile", "organ"]
CHECK += ["--rules", str(PLAN), "--waivers", str(WAIVERS)]


@pytest.fixture(scope="module")
def report() -> Report:
    return dangjian.check(
        dangjian.load(EXAMPLE),
        "2020H1",
        as_of=dt.date(2020, 7, 15),
        profile="organ",
        rules=[PLAN],
        waivers=dangjian.load_waivers(WAIVERS),
    )


def _finding(
    rule: str,
    status: Status,
    severity: Severity,
    month: int,
    subject: str = "g1",
    name: str = "第一党小组",
) -> Finding:
    period = Period.parse(f"2020-{month:02d}")
    return Finding(
        rule=rule,
        status=status,
        severity=severity,
        subject=Subject(kind="group", id=subject, name=name),
        period=period,
        message=f"{period.label()}党小组会缺1次",
        message_en=f"{period.label('en')}: one group meeting missing",
    )


def _report(*findings: Finding) -> Report:
    return Report(
        findings=findings, period=Period.parse("2020H1"), as_of=dt.date(2020, 7, 1), profile="p"
    )


@pytest.mark.parametrize(
    ("months", "text"),
    [
        ([1, 2, 3], "1–3"),
        ([1, 3], "1、3"),
        ([1], "1"),
        ([1, 2], "1–2"),
        ([3, 1, 2, 5, 6, 12], "1–3、5–6、12"),
        ([11, 12, 11], "11–12"),
        ([], ""),
    ],
)
def test_months_compress_into_ranges_at_their_boundaries(months: list[int], text: str) -> None:
    assert month_ranges(months) == text


@given(st.sets(st.integers(1, 12), min_size=1))
def test_month_ranges_name_exactly_the_months_given(months: set[int]) -> None:
    named: set[int] = set()
    for part in month_ranges(months).split("、"):
        first, _, last = part.partition("–")
        named |= set(range(int(first), int(last or first) + 1))
    assert named == months


def test_periods_of_the_reports_year_drop_the_year_others_keep_it() -> None:
    r = _report()
    months = [Period.parse(f"2020-{m:02d}") for m in (1, 2, 3, 4, 5, 6)]
    assert periods_text(months, r, "zh") == "1–6月"
    assert periods_text([Period.parse("2019-11"), Period.parse("2019-12")], r, "zh") == (
        "2019年11–12月"
    )
    assert periods_text([Period.parse("2020Q1"), Period.parse("2020Q2")], r, "zh") == (
        "2020年第一季度、2020年第二季度"
    )


def test_a_subjects_months_are_one_line_and_the_message_once() -> None:
    found = [_finding("meetings.group", Status.FAILED, Severity.ERROR, m) for m in range(1, 7)]
    text = write_report(_report(*found), "zh", width=120)
    lines = [line for line in text.splitlines() if "第一党小组" in line]
    assert lines == ["    第一党小组 1–6月 党小组会缺1次"]


_GROUP_MEETINGS = FrequencyParams(
    record="meeting",
    meeting_kinds=(MeetingKind.GROUP_MEETING,),
    per=PeriodUnit.MONTH,
    at_least=2,
)


def _held(month: int, count: int, status: Status = Status.FAILED) -> Finding:
    """A finding of a rule of two group meetings a month, with ``count`` held in ``month``."""
    period = Period.parse(f"2020-{month:02d}")
    return Finding(
        rule="meetings.group",
        status=status,
        severity=Severity.WARNING,
        subject=Subject(kind="group", id="g1", name="第一党小组"),
        period=period,
        message=frequency_message(_GROUP_MEETINGS, period, None, count=count),
    )


def _line(*found: Finding, lang: Language = "zh") -> str:
    text = write_report(_report(*found), lang, width=200)
    (line,) = [line for line in text.splitlines() if "第一党小组" in line]
    return line.strip()


def test_months_short_by_the_same_count_say_so_once() -> None:
    assert _line(*[_held(m, 1) for m in range(1, 7)]) == "第一党小组 党小组会 1–6月 各缺1次"
    assert _line(_held(1, 0), _held(3, 0)) == "第一党小组 党小组会 1、3月 各缺2次"
    assert _line(*[_held(m, 1) for m in (1, 2)], lang="en") == (
        "第一党小组 party group meeting months 1–2 (short by 1 in each)"
    )


def test_months_short_by_different_counts_keep_their_messages() -> None:
    line = _line(_held(1, 1), _held(2, 0))
    assert "各缺" not in line
    assert line == "第一党小组 1–2月 应至少开展2次党小组会，实际1次；应至少开展2次党小组会，实际0次"
    # one month alone keeps its message: there is no "each"
    assert _line(_held(1, 1)) == "第一党小组 1月 2020年1月应至少开展2次党小组会，实际1次"


def test_a_shortfall_is_only_said_of_failures() -> None:
    pending = [_held(m, 1, Status.PENDING) for m in (5, 6)]
    assert "各缺" not in _line(*pending)


def test_the_example_says_each_party_groups_shortfall(report: Report) -> None:
    lines = write_report(report, "zh", width=120).splitlines()
    assert "    第一党小组（办公室） 党小组会 1–6月 各缺1次" in lines


def test_every_error_line_comes_before_any_warning_line() -> None:
    found = [
        _finding("w.rule", Status.FAILED, Severity.WARNING, 1, "g2", "乙组"),
        _finding("e.rule", Status.FAILED, Severity.ERROR, 2, "g1", "甲组"),
        _finding("u.rule", Status.UNKNOWN, Severity.ERROR, 3, "g3", "丙组"),
        _finding("e.rule", Status.FAILED, Severity.ERROR, 4, "g4", "丁组"),
        _finding("p.rule", Status.PASSED, Severity.ERROR, 5, "g5", "戊组"),
    ]
    lines = write_report(_report(*found), "zh", width=100).splitlines()
    where = {
        name: i for i, line in enumerate(lines) for name in "甲乙丙丁戊" if name + "组" in line
    }
    assert max(where["甲"], where["丁"]) < where["乙"] < where["丙"]
    assert "戊" not in where  # a passed finding is counted, not listed
    assert any("符合的1条未逐条列出" in line for line in lines)


def test_the_example_report_lists_errors_before_warnings(report: Report) -> None:
    lines = write_report(report, "zh", width=100).splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith("【")]
    assert heads, "no section"
    errors = [i for i in heads if lines[i].startswith("【错误")]
    warnings = [i for i in heads if lines[i].startswith("【警告")]
    assert errors and all(e < w for e in errors for w in warnings)
    listed = sum(1 for f in report.findings if f.status is not Status.PASSED)
    counted = sum(int(lines[i].rsplit("】", 1)[1].removesuffix("条")) for i in heads)
    assert counted == listed  # every finding not passed is in a section


@pytest.mark.parametrize("width", [MIN_WIDTH, 50, 60, 80, 100, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_line_is_wider_than_the_width_given(report: Report, width: int, lang: str) -> None:
    text = write_report(report, lang, width=width)  # type: ignore[arg-type]
    widths = [text_width(line) for line in text.splitlines()]
    assert max(widths) <= width
    assert max(widths) > width - 10  # and it is used: long lines are broken, not cut short


def test_a_width_below_the_minimum_is_taken_as_the_minimum(report: Report) -> None:
    text = write_report(report, "zh", width=5)
    assert max(text_width(line) for line in text.splitlines()) <= MIN_WIDTH


@given(st.text(alphabet="党小组会 abcX，1–", max_size=200), st.integers(10, 80))
def test_fitting_keeps_every_character_and_no_line_is_too_wide(line: str, width: int) -> None:
    lines = fit(line, width)
    assert all(text_width(piece) <= width for piece in lines)
    assert "".join(lines).replace(" ", "") == line.replace(" ", "")


def test_cjk_counts_double() -> None:
    assert text_width("党小组") == 6 and text_width("abc") == 3
    assert all(text_width(piece) <= 10 for piece in fit("党" * 30, 10))


def test_verbose_is_the_table_a_line_each(
    report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", *CHECK, "--verbose"])
    out = capsys.readouterr().out
    assert out == report.render("text-verbose")
    body = out.splitlines()[4:]  # summary, blank, header, rule
    assert len(body) == len(report)
    main(["check", *CHECK])
    assert capsys.readouterr().out != out
