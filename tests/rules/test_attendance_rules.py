"""Boundary tests of attend.general_meeting and attend.group_meeting (kind ``attendance``):
consecutive absences without leave from the branch's 党员大会 or the member's 党小组会.

The cases are data (:data:`CASES`), so that the table engine's tests judge the very same
ledgers (tests/tables/kinds/test_attendance.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from dangjian import (
    Absence,
    AbsenceReason,
    Ledger,
    Meeting,
    MeetingKind,
    MemberStatus,
    PartyGroup,
)
from dangjian.rules.kinds.attendance import (
    LEAVE_REASONS,
    AttendanceParams,
    longest_run,
    meeting_state,
)
from tests.builders.dues import D, findings_of, ledger, member, run, statuses, write_rule_file
from tests.builders.rules import declared_citations

GENERAL = MeetingKind.GENERAL_MEETING
GROUP = MeetingKind.GROUP_MEETING
RULE = "attend.general_meeting"
GROUP_RULE = "attend.group_meeting"
AS_OF = D(2021, 1, 15)

# one 党员大会 a quarter, 2020
QUARTERS = (D(2020, 3, 20), D(2020, 6, 20), D(2020, 9, 20), D(2020, 12, 20))


def held(
    id: str,
    day: dt.date,
    *,
    attended: Sequence[str] = ("x",),
    absent: dict[str, AbsenceReason] | None = None,
    kind: MeetingKind = GENERAL,
    **fields: Any,
) -> Meeting:
    """A meeting of ``b1`` attended by ``attended`` (somebody, so that it records names), with
    the absences ``absent`` (member → reason)."""
    return Meeting(
        id=id,
        kind=kind,
        branch="b1",
        group="g1" if kind is GROUP else None,
        date=day,
        attended=tuple(attended),
        absences=tuple(Absence(member=k, reason=r) for k, r in (absent or {}).items()),
        **fields,
    )


def quarterly(*fields: dict[str, Any]) -> list[Meeting]:
    """The four 党员大会 of 2020, each with its own fields."""
    return [
        held(f"gm{i + 1}", day, **f)
        for i, (day, f) in enumerate(zip(QUARTERS, fields, strict=True))
    ]


NONE = AbsenceReason.NONE_GIVEN
LEAVE = AbsenceReason.LEAVE


@attrs.frozen
class Case:
    """A ledger, a period and the statuses the rule must give (by member)."""

    name: str
    ledger: Ledger
    period: str
    expected: dict[str, str]
    rule: str = RULE
    as_of: dt.date = AS_OF


def _cases() -> list[Case]:
    people = [member("x"), member("a")]
    return [
        # three absences in a row, the third in the year: the threshold, a warning
        Case(
            "at_the_threshold",
            ledger(members=people, meetings=quarterly({}, {}, {}, {"attended": ("x", "a")})),
            "2020",
            {"x": "passed", "a": "failed"},
        ),
        # a 主题党日 held as the quarter's 党员大会 (Meeting.also) is a 党员大会 the member
        # attended: the run is broken
        Case(
            "combined_meeting_counts",
            ledger(
                members=people,
                meetings=quarterly(
                    {},
                    {},
                    {"kind": MeetingKind.THEME_DAY, "also": (GENERAL,), "attended": ("x", "a")},
                    {},
                ),
            ),
            "2020",
            {"x": "passed", "a": "passed"},
        ),
        # the same 主题党日 not held as a 党员大会 is no 党员大会: three absences in a row
        Case(
            "theme_day_alone_is_no_general_meeting",
            ledger(
                members=people,
                meetings=quarterly(
                    {}, {}, {"kind": MeetingKind.THEME_DAY, "attended": ("x", "a")}, {}
                ),
            ),
            "2020",
            {"x": "passed", "a": "failed"},
        ),
        # two in a row, then present: one below the threshold
        Case(
            "one_below",
            ledger(
                members=people,
                meetings=quarterly({}, {}, {"attended": ("x", "a")}, {}),
            ),
            "2020",
            {"x": "passed", "a": "passed"},
        ),
        # named absent without a reason counts as an absence like not being named
        Case(
            "named_absent_without_reason",
            ledger(
                members=people,
                meetings=quarterly(
                    {"absent": {"a": NONE}},
                    {"absent": {"a": AbsenceReason.OTHER}},
                    {},
                    {"attended": ("x", "a")},
                ),
            ),
            "2020",
            {"x": "passed", "a": "failed"},
        ),
        # a leave in the middle breaks the run: absent, leave, absent, absent
        Case(
            "leave_in_the_middle",
            ledger(
                members=people,
                meetings=quarterly({}, {"absent": {"a": LEAVE}}, {}, {}),
            ),
            "2020",
            {"x": "passed", "a": "passed"},
        ),
        # sick leave and a business trip are leave too
        Case(
            "sick_leave_and_business_trip",
            ledger(
                members=people,
                meetings=quarterly(
                    {"absent": {"a": AbsenceReason.SICK_LEAVE}},
                    {},
                    {"absent": {"a": AbsenceReason.BUSINESS_TRIP}},
                    {},
                ),
            ),
            "2020",
            {"x": "passed", "a": "passed"},
        ),
        # an unrecorded meeting (numbers only) in the middle: the run reaches three only through
        # it, so unknown, never failed
        Case(
            "unrecorded_in_the_middle",
            ledger(
                members=people,
                meetings=quarterly(
                    {},
                    {"attended": (), "expected_count": 2, "present_count": 1},
                    {},
                    {"attended": ("x", "a")},
                ),
            ),
            "2020",
            {"x": "passed", "a": "unknown"},
        ),
        # ... but three named absences after it are a run all the same
        Case(
            "unrecorded_before_a_run",
            ledger(
                members=people,
                meetings=quarterly({"attended": (), "present_count": 1}, {}, {}, {}),
            ),
            "2020",
            {"x": "passed", "a": "failed"},
        ),
        # a meeting that records that nobody came is a recorded absence of everybody
        Case(
            "nobody_came",
            ledger(
                members=people,
                meetings=quarterly(
                    {"attended": ("x",)},
                    {"attended": (), "present_count": 0},
                    {"attended": ("x",)},
                    {"attended": ("x",)},
                ),
            ),
            "2020",
            {"x": "passed", "a": "failed"},
        ),
        # a member who joins mid-run is expected only from then: a misses three, the member
        # who joined in May two, the one admitted in August one
        Case(
            "joins_mid_run",
            ledger(
                members=[
                    member("x"),
                    member("a"),
                    member("j", joined=D(2020, 5, 1)),
                    member("n", status=MemberStatus.PROBATIONARY, admitted=D(2020, 8, 1)),
                ],
                meetings=quarterly({}, {}, {}, {"attended": ("x", "a", "j", "n")}),
            ),
            "2020",
            {"x": "passed", "a": "failed", "j": "passed", "n": "passed"},
        ),
        # a member who leaves: the meetings after they left are not theirs
        Case(
            "leaves_mid_run",
            ledger(
                members=[
                    member("x"),
                    member("l", status=MemberStatus.TRANSFERRED_OUT, left=D(2020, 8, 1)),
                ],
                meetings=quarterly({}, {}, {}, {}),
            ),
            "2020",
            {"x": "passed", "l": "passed"},
        ),
        # a list of those expected without the member: not their meeting, the run is broken
        Case(
            "not_expected",
            ledger(
                members=people,
                meetings=quarterly({}, {"expected": ("x",)}, {}, {}),
            ),
            "2020",
            {"x": "passed", "a": "passed"},
        ),
        # a run that began the year before and ends in the period counts; one that ended
        # before the period does not
        Case(
            "run_across_the_new_year",
            ledger(
                members=people,
                meetings=[
                    held("old1", D(2019, 9, 20)),
                    held("old2", D(2019, 12, 20)),
                    *quarterly({}, {"attended": ("x", "a")}, {}, {}),
                ],
            ),
            "2020",
            {"x": "passed", "a": "failed"},
        ),
        Case(
            "run_before_the_period",
            ledger(
                members=people,
                meetings=[
                    held("old1", D(2019, 6, 20)),
                    held("old2", D(2019, 9, 20)),
                    held("old3", D(2019, 12, 20)),
                    *quarterly({"attended": ("x", "a")}, {}, {}, {"attended": ("x", "a")}),
                ],
            ),
            "2020",
            {"x": "passed", "a": "passed"},
        ),
        # the year not over: no run yet is pending; a run is a warning at once
        Case(
            "pending",
            ledger(members=people, meetings=quarterly({}, {}, {"attended": ("x", "a")}, {})),
            "2020",
            {"x": "pending", "a": "pending"},
            as_of=D(2020, 10, 1),
        ),
        Case(
            "warned_before_the_year_is_over",
            ledger(members=people, meetings=quarterly({}, {}, {}, {})),
            "2020",
            {"x": "pending", "a": "failed"},
            as_of=D(2020, 10, 1),
        ),
        # no meeting in the period: nothing to attend
        Case(
            "none_held",
            ledger(members=people, meetings=quarterly({}, {}, {}, {})),
            "2021H1",
            {"x": "not_applicable", "a": "not_applicable"},
            as_of=D(2021, 7, 15),
        ),
        # 党小组会: the member's own group's; no group recorded where there are groups
        Case(
            "group_meetings",
            ledger(
                members=[
                    attrs.evolve(member("x"), group="g1"),
                    attrs.evolve(member("a"), group="g1"),
                    attrs.evolve(member("o"), group="g2"),
                    member("u"),
                ],
                groups=[
                    PartyGroup(id="g1", name="第一党小组", branch="b1"),
                    PartyGroup(id="g2", name="第二党小组", branch="b1"),
                ],
                meetings=[
                    held(f"pg{i}", D(2020, i, 10), kind=GROUP, attended=("x",)) for i in range(1, 4)
                ],
            ),
            "2020Q1",
            {"x": "passed", "a": "failed", "o": "not_applicable", "u": "unknown"},
            rule=GROUP_RULE,
            as_of=D(2020, 4, 1),
        ),
        Case(
            "group_rule_without_groups",
            ledger(members=people, meetings=quarterly({}, {}, {}, {})),
            "2020",
            {"x": "not_applicable", "a": "not_applicable"},
            rule=GROUP_RULE,
        ),
        # left on a day not recorded: cannot tell which meetings were theirs
        Case(
            "left_undated",
            ledger(
                members=[member("x"), member("l", status=MemberStatus.TRANSFERRED_OUT)],
                meetings=quarterly({}, {}, {}, {}),
            ),
            "2020",
            {"x": "passed", "l": "unknown"},
        ),
    ]


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_cases(case: Case) -> None:
    found = run(case.ledger, case.period, as_of=case.as_of, only=[case.rule])
    assert {k[0]: s for k, s in statuses(found, case.rule).items()} == case.expected


def test_the_warning_names_the_run() -> None:
    (case,) = [c for c in CASES if c.name == "at_the_threshold"]
    found = findings_of(run(case.ledger, "2020", as_of=AS_OF, only=[RULE]), RULE)
    warned = found[("a", "2020")]
    assert warned.severity.code == "warning"
    assert warned.evidence == ("gm1", "gm2", "gm3")
    assert warned.message == (
        "连续3次无故缺席所在党组织的支部党员大会的，应予提醒：党员a连续3次无故缺席支部党员大会"
        "（2020-03-20、2020-06-20、2020-09-20）"
    )
    assert (warned.message_en or "").startswith(
        "3 absences in a row without leave from the general"
    )
    assert warned.citations == declared_citations(RULE)
    assert found[("x", "2020")].evidence == ()


def test_an_unknown_run_says_which_meetings_recorded_no_names() -> None:
    (case,) = [c for c in CASES if c.name == "unrecorded_in_the_middle"]
    found = findings_of(run(case.ledger, "2020", as_of=AS_OF, only=[RULE]), RULE)
    unsure = found[("a", "2020")]
    assert unsure.gap is not None and unsure.gap.code == "counts_only"
    assert unsure.evidence == ("gm1", "gm2", "gm3")
    assert "其中2020-06-20的会议未记录出席人员" in unsure.message


def test_the_threshold_and_the_excused_reasons_are_parameters(tmp_path: Path) -> None:
    """A local rule file may set two absences, and count a leave as an absence."""
    body = """
[[rule]]
id = "local.attend_two"
kind = "attendance"
severity = "warning"
confidence = "local"
force = "直述"
severity_reason = "本地阈值"
title = "连续2次无故缺席党员大会的，应予提醒"
title_en = "Two absences in a row"
params = { meeting_kind = "general_meeting", consecutive = 2, excused = ["sick_leave"] }
citations = [{ document = "本单位规定", verified = false }]
"""
    path = write_rule_file(tmp_path / "local.toml", body)
    led = ledger(
        members=[member("x"), member("a"), member("b")],
        meetings=quarterly(
            {"absent": {"b": LEAVE}},
            {"absent": {"a": AbsenceReason.SICK_LEAVE}, "attended": ("x", "b")},
            {"absent": {"b": LEAVE}},
            {"attended": ("x", "b")},
        ),
    )
    found = run(led, "2020", as_of=AS_OF, only=["local.attend_two"], rules=[path])
    assert statuses(found, "local.attend_two") == {
        ("x", "2020"): "passed",
        # absent, sick leave (excused), absent, absent: two in a row
        ("a", "2020"): "failed",
        # a leave is no excuse under this rule; but present between
        ("b", "2020"): "passed",
    }


def test_no_reason_cannot_excuse() -> None:
    with pytest.raises(ValueError, match="excused"):
        AttendanceParams(
            meeting_kind=GENERAL, consecutive=3, excused=(LEAVE, AbsenceReason.NONE_GIVEN)
        )
    with pytest.raises(ValueError):
        AttendanceParams(meeting_kind=MeetingKind.THEME_DAY, consecutive=3, excused=())
    with pytest.raises(ValueError):
        AttendanceParams(meeting_kind=GENERAL, consecutive=0, excused=())


def test_the_state_of_a_member_at_a_meeting() -> None:
    excused = (LEAVE,)
    named = held("m", D(2020, 1, 1), attended=("x",), absent={"a": LEAVE, "b": NONE})
    assert meeting_state(named, "x", excused) == "attended"
    assert meeting_state(named, "a", excused) == "excused"
    assert meeting_state(named, "b", excused) == "absent"
    assert meeting_state(named, "c", excused) == "absent"
    listed = attrs.evolve(named, expected=("x", "a", "b"))
    assert meeting_state(listed, "c", excused) == "not_expected"
    counted = held("n", D(2020, 1, 1), attended=(), present_count=3, absent={"b": NONE})
    assert meeting_state(counted, "c", excused) == "unrecorded"
    assert meeting_state(counted, "b", excused) == "absent"
    nobody = held("o", D(2020, 1, 1), attended=(), present_count=0)
    assert meeting_state(nobody, "c", excused) == "absent"


def test_the_longest_run_is_the_first_of_the_longest_ending_in_time() -> None:
    days = [D(2020, i, 1) for i in range(1, 10)]
    pattern = "AAxAAAxAA"  # runs of 2, 3, 2
    states: list[tuple[Meeting, Any]] = [
        (held(f"m{i}", d), "absent" if c == "A" else "attended")
        for i, (d, c) in enumerate(zip(days, pattern, strict=True))
    ]
    run_ = longest_run(states, 2, D(2020, 1, 1), ("absent",))
    assert [x.id for x, _ in run_] == ["m3", "m4", "m5"]
    assert longest_run(states, 4, D(2020, 1, 1), ("absent",)) == []
    # ending on or after the day
    assert [x.id for x, _ in longest_run(states, 2, D(2020, 7, 1), ("absent",))] == ["m7", "m8"]


def test_a_member_is_never_warned_for_meetings_outside_their_membership() -> None:
    """Five general meetings, a member from the fourth on: absent from both of theirs, never
    warned at the threshold of three."""
    meetings = [held(f"gm{i}", D(2020, i * 2, 1)) for i in range(1, 6)]
    led = ledger(
        members=[member("x"), member("j", joined=D(2020, 7, 15))],
        meetings=meetings,
    )
    found = findings_of(run(led, "2020", as_of=AS_OF, only=[RULE]), RULE)
    assert found[("j", "2020")].status.code == "passed"
    assert found[("j", "2020")].evidence == ()


def test_only_party_members_are_judged() -> None:
    """The rule judges only full and probationary members: an activist has no finding."""
    led = ledger(
        members=[
            member("x"),
            member(
                "act", status=MemberStatus.ACTIVIST, applied=D(2019, 1, 1), activist=D(2019, 6, 1)
            ),
        ],
        meetings=quarterly({}, {}, {}, {}),
    )
    assert set(statuses(run(led, "2020", as_of=AS_OF, only=[RULE]), RULE)) == {("x", "2020")}


def test_the_shipped_rules_state_a_local_threshold_as_a_warning() -> None:
    """The number of meetings is local practice, said so; the leave reasons are 请假, 病假, 出差;
    the citation is the lapse article the warning comes before."""
    from dangjian import load_rules
    from dangjian.rules.schema import Confidence

    national = load_rules("national")
    for rule_id, kind in ((RULE, GENERAL), (GROUP_RULE, GROUP)):
        r = national.get(rule_id)
        p = r.params_on(D(2020, 1, 1))
        assert p == AttendanceParams(meeting_kind=kind, consecutive=3, excused=LEAVE_REASONS)
        assert (r.severity.code, r.confidence) == ("warning", Confidence.LOCAL)
        assert r.severity_reason is not None and "本地" in r.severity_reason
        (c,) = r.citations
        assert (c.document, c.article, c.verified) == ("中国共产党章程", "第九条", True)
        assert c.note is not None and "本地做法" in c.note


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if "failed" in c.expected.values()],
    ids=lambda c: c.name,
)
def test_a_warning_by_name_is_unknown_by_count(case: Case) -> None:
    """The same meetings recorded by numbers only cannot show the absences: every member
    warned by name is unknown, none is warned."""
    from tests.rules.test_unknown_properties import counted_only

    named = run(case.ledger, case.period, as_of=case.as_of, only=[case.rule])
    counted = statuses(
        run(counted_only(case.ledger), case.period, as_of=case.as_of, only=[case.rule]),
        case.rule,
    )
    warned = [k for k, s in statuses(named, case.rule).items() if s == "failed"]
    assert warned
    assert {counted[k] for k in warned} == {"unknown"}
    assert "failed" not in counted.values()
