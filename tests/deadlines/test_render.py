"""The list of what is due as text, JSON and Markdown (dangjian.deadlines.render)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from wcwidth import wcswidth

from dangjian.deadlines import DueItem, DueList
from dangjian.errors import DangjianError
from dangjian.findings import Citation, Subject
from dangjian.i18n import t
from dangjian.periods import Month

D = dt.date


def _item(name: str, deadline: dt.date, level: str = "due") -> DueItem:
    return DueItem(
        level=level,  # type: ignore[arg-type]
        rule="branch.committee_mtg",
        title="支部委员会会议一般每月召开1次",
        title_en="A branch committee meeting generally once a month",
        subject=Subject(kind="branch", id="b1", name=name, branch="b1"),
        deadline=deadline,
        owed=t("{period}还需开展{n}次{what}", period="2020年6月", n=1, what="支委会"),
        period=Month(2020, 6),
        citations=(
            Citation(document="中国共产党支部工作条例（试行）", article="第十二条", verified=True),
        ),
        working_days=10,
    )


def _list(*items: DueItem) -> DueList:
    return DueList(as_of=D(2020, 6, 15), days=30, items=items, profile="national")


def test_nothing_due_says_so() -> None:
    text = _list().render("text", width=80)
    assert text.splitlines()[-1] == "没有到期事项"
    assert _list().render("text", "en", width=80).splitlines()[-1] == "nothing is due"


@pytest.mark.parametrize("width", [40, 57, 80])
def test_text_fits_the_width_however_long_the_name(width: int) -> None:
    long_name = "中共某某市某某区某某街道某某社区某某小区第一网格党支部委员会" * 2
    text = _list(_item(long_name, D(2020, 6, 30))).render("text", width=width)
    assert max(wcswidth(line) for line in text.splitlines()) <= width
    # nothing lost in the wrapping
    assert long_name in "".join(line.strip() for line in text.splitlines())


def test_text_groups_by_deadline_and_marks_reminders_beyond_the_horizon() -> None:
    text = _list(
        _item("一支部", D(2020, 6, 30)),
        _item("二支部", D(2020, 6, 30)),
        _item("三支部", D(2020, 12, 15), "reminder"),
    ).render("text", width=100)
    lines = text.splitlines()
    assert lines.count("2020-06-30（还有10个工作日）") == 1
    assert "2020-12-15（期限之外的提醒）" in lines
    assert lines.index("2020-06-30（还有10个工作日）") < lines.index("2020-12-15（期限之外的提醒）")
    assert "  [提醒] branch.committee_mtg 支部委员会会议一般每月召开1次" in lines


def test_text_shows_control_characters_escaped() -> None:
    text = _list(_item("红\x1b[31m支部", D(2020, 6, 30))).render("text", width=100)
    assert "\x1b" not in text and "\\x1b" in text


def test_json_keys_are_stable_and_dates_iso() -> None:
    data = json.loads(_list(_item("一支部", D(2020, 6, 30))).render("json", "en"))
    assert list(data) == ["as_of", "days", "horizon", "profile", "counts", "items"]
    assert data["counts"] == {"due": 1, "unknown": 0, "reminder": 0}
    (item,) = data["items"]
    assert list(item) == [
        "level", "deadline", "working_days", "rule", "title", "subject", "owed", "period",
        "citations",
    ]  # fmt: skip
    assert (item["deadline"], item["period"]) == ("2020-06-30", "2020-06")
    assert item["title"] == "A branch committee meeting generally once a month"


def test_markdown_keeps_a_pipe_in_its_cell() -> None:
    text = _list(_item("一|二支部", D(2020, 6, 30))).render("markdown")
    row = next(line for line in text.splitlines() if "一" in line and line.startswith("|"))
    assert row.count(" | ") == 5  # six cells: the name's pipe is escaped


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(DangjianError):
        _list().render("xlsx")


def test_a_due_list_shows_itself_in_one_line_and_as_markdown() -> None:
    import datetime as dt

    import dangjian
    from tests.builders.example import EXAMPLE

    listed = dangjian.due(dangjian.load(EXAMPLE), dt.date(2020, 6, 15), 30)
    n = listed.counts()
    shown = repr(listed)
    assert "\n" not in shown and len(shown) < 200
    assert f"到期{n['due']}项" in shown and f"提醒{n['reminder']}项" in shown
    assert listed._repr_markdown_() == listed.render("markdown")
