"""A work summary counts a meeting held as several kinds (``Meeting.also``) under each kind it
served as, and says how many of each count were held together with another kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from dangjian import Ledger, Meeting, MeetingKind, summarize
from dangjian.summary import Combined, Count, MeetingCount
from dangjian.summary.render import figure_rows

GM = MeetingKind.GENERAL_MEETING
CM = MeetingKind.COMMITTEE_MEETING
LECTURE = MeetingKind.PARTY_LECTURE
THEME = MeetingKind.THEME_DAY
ORG_LIFE = MeetingKind.ORG_LIFE_MEETING
APPRAISAL = MeetingKind.DEMOCRATIC_APPRAISAL
D = dt.date


def held(id: str, kind: MeetingKind, day: dt.date, *also: MeetingKind, **kw: Any) -> Meeting:
    return Meeting(id=id, kind=kind, also=also, branch="b1", date=day, **kw)


def ledger(make_ledger: Callable[..., Ledger]) -> Ledger:
    return make_ledger(
        meetings=(
            held("zt1", THEME, D(2020, 1, 10), GM, LECTURE, actions=("集体宣誓",)),
            held("zt2", THEME, D(2020, 2, 14)),
            held("zt3", THEME, D(2020, 3, 13), GM),
            held("dh1", GM, D(2020, 4, 10)),
            held("dh2", GM, D(2020, 5, 8), THEME, actions=("重温入党志愿书",)),
            held("py1", APPRAISAL, D(2020, 6, 30), ORG_LIFE, topic="对照检查"),
            held("out", GM, D(2020, 7, 1), THEME),  # the next half year
        )
    )


def test_a_meeting_counts_under_each_kind_it_served_as(make_ledger: Callable[..., Ledger]) -> None:
    s = summarize(ledger(make_ledger), "2020H1")
    assert s.general_meetings == MeetingCount(
        value=4,
        dates=(D(2020, 1, 10), D(2020, 3, 13), D(2020, 4, 10), D(2020, 5, 8)),
        evidence=("zt1", "zt3", "dh1", "dh2"),
        combined=(
            Combined(kind=LECTURE, value=1, evidence=("zt1",)),
            Combined(kind=THEME, value=3, evidence=("zt1", "zt3", "dh2")),
        ),
    )
    assert s.theme_days.value == 4
    assert s.theme_days.evidence == ("zt1", "zt2", "zt3", "dh2")
    assert [(c.kind, c.value) for c in s.theme_days.combined] == [(GM, 3), (LECTURE, 1)]
    assert s.party_lectures.evidence == ("zt1",)
    assert s.committee_meetings == MeetingCount(value=0)
    assert s.org_life_meetings.evidence == ("py1",)
    assert s.org_life_topics == ("对照检查",)
    # the actions of every meeting held as a 主题党日 count
    assert {t.label: t.evidence for t in s.theme_day_actions} == {
        "集体宣誓": ("zt1",),
        "重温入党志愿书": ("dh2",),
    }
    assert isinstance(s.general_meetings, Count)


def test_without_the_other_kinds_each_meeting_counts_once(
    make_ledger: Callable[..., Ledger],
) -> None:
    led = ledger(make_ledger)
    led = attrs.evolve(led, meetings=tuple(attrs.evolve(m, also=()) for m in led.meetings))
    s = summarize(led, "2020H1")
    assert (s.general_meetings.value, s.theme_days.value, s.party_lectures.value) == (2, 3, 0)
    assert s.general_meetings.combined == ()
    assert "合并召开" not in s.to_markdown()


def test_the_draft_says_how_many_were_held_together(make_ledger: Callable[..., Ledger]) -> None:
    s = summarize(ledger(make_ledger), "2020H1")
    text = s.to_markdown()
    assert "召开党员大会4次（其中1次与党课合并召开、3次与主题党日合并召开）" in text
    assert "讲党课1次（其中1次与支部党员大会合并召开、1次与主题党日合并召开）" in text
    assert "召开组织生活会1次（其中1次与民主评议党员合并召开）" in text
    rows = {r.label: r.value for r in figure_rows(s)}
    assert rows["支委会"] == "0次"
    assert rows["主题党日"] == "4次（其中3次与支部党员大会合并召开、1次与党课合并召开）"
    english = s.to_markdown(lang="en")
    assert "(of which 3 times held together with a general meeting of members" in english


def test_the_json_gives_the_combined_counts(make_ledger: Callable[..., Ledger]) -> None:
    data = summarize(ledger(make_ledger), "2020H1").to_data()
    assert data["party_lectures"]["combined"] == [
        {"kind": "general_meeting", "value": 1, "evidence": ["zt1"]},
        {"kind": "theme_day", "value": 1, "evidence": ["zt1"]},
    ]
