"""A meeting held as several kinds (``Meeting.also``): what it serves as, and the values refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian import LedgerError, Meeting, MeetingKind, loads
from dangjian.model._validators import FieldError

GM = MeetingKind.GENERAL_MEETING
THEME = MeetingKind.THEME_DAY
LECTURE = MeetingKind.PARTY_LECTURE
DAY = dt.date(2020, 3, 5)


def meeting(kind: MeetingKind = THEME, also: tuple[MeetingKind, ...] = ()) -> Meeting:
    return Meeting(id="m1", kind=kind, also=also, branch="b1", date=DAY)


def test_a_meeting_of_one_kind_serves_as_that_kind_only() -> None:
    m = meeting()
    assert m.also == ()
    assert m.kinds == (THEME,)
    assert [k for k in MeetingKind if m.serves(k)] == [THEME]


def test_a_meeting_serves_as_its_kind_and_those_it_was_also_held_as() -> None:
    m = meeting(THEME, (GM, LECTURE))
    assert m.kinds == (THEME, GM, LECTURE)
    assert [k for k in MeetingKind if m.serves(k)] == [GM, LECTURE, THEME]


@given(
    kind=st.sampled_from(MeetingKind),
    others=st.lists(st.sampled_from(MeetingKind), unique=True),
)
def test_serves_is_membership_of_kinds(kind: MeetingKind, others: list[MeetingKind]) -> None:
    also = tuple(k for k in others if k is not kind)
    m = meeting(kind, also)
    assert len(set(m.kinds)) == len(m.kinds) == 1 + len(also)
    assert m.kinds[0] is kind
    for k in MeetingKind:
        assert m.serves(k) == (k in m.kinds)


def test_the_meetings_own_kind_is_refused_among_the_others() -> None:
    with pytest.raises(FieldError) as caught:
        meeting(THEME, (GM, THEME))
    assert caught.value.field == "also[1]"
    assert caught.value.message == "「主题党日」已是会议类型，不必再列为同时作为的会议类型"
    assert "themed party day" in caught.value.message_en


def test_a_kind_twice_is_refused() -> None:
    with pytest.raises(FieldError) as caught:
        meeting(THEME, (GM, LECTURE, GM))
    assert caught.value.field == "also[2]"
    assert caught.value.message == "「支部党员大会」重复出现"


DOC = """
name: 台账
branches:
  - {{id: b1, name: 第一党支部, level: branch, category: organ}}
meetings:
  - {{id: m1, kind: theme_day, branch: b1, date: 2020-03-05, also: {also}}}
"""


def test_a_file_gives_the_kinds_by_code_or_label() -> None:
    ledger = loads(DOC.format(also="[general_meeting, 党课]"), "yaml")
    assert ledger.meetings[0].also == (GM, LECTURE)


@pytest.mark.parametrize(
    ("also", "path", "words"),
    [
        ("[general_meeting, 主题党日]", "meetings[0].also[1]", "已是会议类型"),
        ("[党课, party_lecture]", "meetings[0].also[1]", "重复出现"),
        ("[党员会]", "meetings[0].also[0]", "党员会"),
        ("general_meeting", "meetings[0].also", ""),
    ],
)
def test_a_file_with_wrong_kinds_is_refused_where_they_are(
    also: str, path: str, words: str
) -> None:
    with pytest.raises(LedgerError) as caught:
        loads(DOC.format(also=also), "yaml")
    [problem] = caught.value.problems
    assert problem.path == path
    assert words in problem.message
