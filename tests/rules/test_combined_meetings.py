"""One meeting held as several kinds (``Meeting.also``), judged by every rule that selects
meetings by kind: a frequency rule counts it once for each kind it served as, and the rules about
a kind of meeting (quorum, votes, a move from the fixed day, dual organisational life, listing a
candidate) judge it when it served as that kind. Each case is judged with the meeting's other
kinds and without them: with them it passes, without them the quarter (or the rule) does not.

The cases (:data:`CASES`, :func:`file_cases`) are judged by the table engine too, in
``tests/tables/kinds/test_combined_meetings.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    CommitteeRole,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    PartyGroup,
    Period,
    Resolution,
    check,
    load_rules,
)
from dangjian.rules.context import Context
from dangjian.testing.strategies import ledgers
from tests.builders import examples
from tests.builders.dues import D, branch, findings_of, ledger, member, run, seat, statuses
from tests.builders.rules import rule_file

GM = MeetingKind.GENERAL_MEETING
CM = MeetingKind.COMMITTEE_MEETING
GROUP = MeetingKind.GROUP_MEETING
LECTURE = MeetingKind.PARTY_LECTURE
THEME = MeetingKind.THEME_DAY
ORG_LIFE = MeetingKind.ORG_LIFE_MEETING
APPRAISAL = MeetingKind.DEMOCRATIC_APPRAISAL


def held(
    id: str, kind: MeetingKind, day: dt.date, also: Sequence[MeetingKind] = (), **fields: Any
) -> Meeting:
    return Meeting(id=id, kind=kind, also=tuple(also), branch="b1", date=day, **fields)


def alone(led: Ledger) -> Ledger:
    """``led`` with every meeting held as its own kind only."""
    return attrs.evolve(led, meetings=tuple(attrs.evolve(m, also=()) for m in led.meetings))


@attrs.frozen
class Case:
    """A ledger whose meetings serve several kinds, a rule, and what it finds with the other
    kinds (``combined``) and without them (``alone``): (subject id, sub-period) → status."""

    name: str
    ledger: Ledger
    rule: str
    period: str
    as_of: dt.date
    combined: dict[tuple[str, str], str]
    alone: dict[tuple[str, str], str]
    files: tuple[Path, ...] = ()


def _theme_days(*days: dt.date, also_on: dt.date) -> list[Meeting]:
    """A 主题党日 on each day; the one on ``also_on`` is the quarter's 党员大会 too."""
    return [held(f"zt{d.isoformat()}", THEME, d, (GM,) if d == also_on else ()) for d in days]


QUARTER = ledger(
    meetings=_theme_days(D(2020, 1, 15), D(2020, 2, 14), D(2020, 3, 31), also_on=D(2020, 3, 31))
)
"""Q1 2020: a 主题党日 every month, the last one (on the quarter's last day) also its 党员大会."""

NEXT_QUARTER = ledger(
    meetings=_theme_days(
        D(2020, 1, 15), D(2020, 2, 14), D(2020, 3, 13), D(2020, 4, 1), also_on=D(2020, 4, 1)
    )
)
"""The 党员大会 held on the first day of Q2: it counts for Q2, not Q1."""

_MEMBERS = [member(f"p{i}") for i in range(1, 11)]
_TEN = tuple(m.id for m in _MEMBERS)


def _quorum(present: int) -> Ledger:
    return ledger(
        members=_MEMBERS,
        meetings=[held("zt", THEME, D(2020, 5, 12), (GM,), expected=_TEN, attended=_TEN[:present])],
    )


def _votes(yes: int) -> Ledger:
    return ledger(
        members=_MEMBERS,
        meetings=[
            held(
                "zt",
                THEME,
                D(2020, 5, 12),
                (GM,),
                expected=_TEN,
                attended=_TEN,
                resolutions=(Resolution(text="决议", votes_for=yes, votes_against=10 - yes),),
            )
        ],
    )


def _moved(days: int) -> Ledger:
    return ledger(
        meetings=[
            held(
                "dh",
                GM,
                D(2020, 5, 12),
                (THEME,),
                rescheduled_from=D(2020, 5, 12) - dt.timedelta(days=days),
            )
        ]
    )


def _cadre() -> Member:
    return attrs.evolve(member("c"), leading_cadre=True)


DUAL_LIFE = ledger(
    members=[_cadre()],
    meetings=[held("py", APPRAISAL, D(2020, 12, 20), (ORG_LIFE,), attended=("c",))],
)
"""A leading cadre at a 民主评议党员 meeting held as the year's 组织生活会 too."""

LISTED = D(2020, 5, 20)


def _candidate() -> Member:
    m = member(
        "cand",
        status=MemberStatus.CANDIDATE,
        applied=D(2018, 1, 1),
        activist=D(2018, 6, 1),
        candidate=LISTED,
    )
    return attrs.evolve(m, candidate_meeting="dh", candidate_filed=LISTED)


CANDIDATE = ledger(
    branches=[branch("b1", committee=[seat("sec"), seat("org", CommitteeRole.ORGANISATION)])],
    members=[member("sec"), member("org"), _candidate()],
    meetings=[held("dh", GM, D(2020, 5, 10), (CM,))],
)
"""A candidate listed at a 党员大会 that was a 支委会 as well."""

GROUPS = ledger(
    groups=[PartyGroup(id="g1", name="第一党小组", branch="b1")],
    meetings=[held("zt", THEME, D(2020, 5, 12), (GROUP,), group="g1")],
)
"""A party group's 主题党日 held as its 党小组会 of the month."""


CASES = [
    Case(
        "a 主题党日 on the quarter's last day held as its 党员大会",
        QUARTER,
        "branch.congress",
        "2020Q1",
        D(2020, 4, 15),
        {("b1", "2020Q1"): "passed"},
        {("b1", "2020Q1"): "failed"},
    ),
    Case(
        "the same 主题党日 still counts as the month's 主题党日",
        QUARTER,
        "branch.theme_day",
        "2020Q1",
        D(2020, 4, 15),
        {("b1", f"2020-0{i}"): "passed" for i in (1, 2, 3)},
        {("b1", f"2020-0{i}"): "passed" for i in (1, 2, 3)},
    ),
    Case(
        "a 党员大会 on the first day of the next quarter",
        NEXT_QUARTER,
        "branch.congress",
        "2020H1",
        D(2020, 7, 15),
        {("b1", "2020Q1"): "failed", ("b1", "2020Q2"): "passed"},
        {("b1", "2020Q1"): "failed", ("b1", "2020Q2"): "failed"},
    ),
    Case(
        "a 党员大会 held as the month's 主题党日",
        ledger(meetings=[held("dh", GM, D(2020, 2, 29), (THEME,))]),
        "branch.theme_day",
        "2020-02",
        D(2020, 3, 15),
        {("b1", "2020-02"): "passed"},
        {("b1", "2020-02"): "failed"},
    ),
    Case(
        "a group's 主题党日 held as its 党小组会",
        GROUPS,
        "branch.group_mtg",
        "2020-05",
        D(2020, 6, 15),
        {("g1", "2020-05"): "passed"},
        {("g1", "2020-05"): "failed"},
    ),
    Case(
        "the quorum of a 主题党日 held as a 党员大会: exactly half present",
        _quorum(5),
        "branch.congress_quorum",
        "2020",
        D(2021, 1, 15),
        {("zt", "2020-05"): "passed"},
        {},
    ),
    Case(
        "the quorum of a 主题党日 held as a 党员大会: one below half",
        _quorum(4),
        "branch.congress_quorum",
        "2020",
        D(2021, 1, 15),
        {("zt", "2020-05"): "failed"},
        {},
    ),
    Case(
        "a resolution of a 主题党日 held as a 党员大会: more than half for",
        _votes(6),
        "branch.congress_vote",
        "2020",
        D(2021, 1, 15),
        {("zt#1", "2020-05"): "passed"},
        {},
    ),
    Case(
        "a resolution of a 主题党日 held as a 党员大会: exactly half for",
        _votes(5),
        "branch.congress_vote",
        "2020",
        D(2021, 1, 15),
        {("zt#1", "2020-05"): "failed"},
        {},
    ),
    Case(
        "a 党员大会 held as the 主题党日, moved a week",
        _moved(7),
        "local.theme_day_shift",
        "2020",
        D(2021, 1, 15),
        {("dh", "2020-05"): "passed"},
        {},
    ),
    Case(
        "a 党员大会 held as the 主题党日, moved eight days",
        _moved(8),
        "local.theme_day_shift",
        "2020",
        D(2021, 1, 15),
        {("dh", "2020-05"): "failed"},
        {},
    ),
    Case(
        "a leading cadre at a 民主评议党员 meeting held as the 组织生活会",
        DUAL_LIFE,
        "edu.dual_life_org_life",
        "2020",
        D(2021, 1, 15),
        {("c", "2020"): "passed"},
        {("c", "2020"): "not_applicable"},
    ),
    Case(
        "a candidate listed at a 党员大会 held as a 支委会",
        CANDIDATE,
        "recruit.candidate_listing",
        "2020",
        D(2021, 1, 15),
        {("cand", "2020-05"): "passed"},
        {("cand", "2020-05"): "failed"},
    ),
]


def _two_kinds(tmp_path: Path) -> Path:
    return rule_file(
        tmp_path,
        [
            {
                "id": "local.twice",
                "kind": "frequency",
                "params": {
                    "record": "meeting",
                    "meeting_kinds": ["theme_day", "general_meeting"],
                    "per": "quarter",
                    "at_least": 2,
                },
                "applies_to": {"levels": ["branch"]},
            },
            {
                "id": "local.three_ones",
                "kind": "checklist",
                "params": {
                    "meeting_kinds": ["theme_day"],
                    "actions": ["重温入党志愿书", "集体宣誓"],
                    "per": "quarter",
                },
                "applies_to": {"levels": ["branch"]},
            },
        ],
    )


def file_cases(tmp_path: Path) -> list[Case]:
    """The cases of user rules: a rule of two kinds counts a meeting of both once; a checklist
    of the 主题党日 takes the actions of a 党员大会 held as the 主题党日."""
    path = _two_kinds(tmp_path)
    one = held("zt", THEME, D(2020, 2, 14), (GM,))
    actions = ("重温入党志愿书", "集体宣誓")
    return [
        Case(
            "one meeting of both kinds counts once in a rule of the two",
            ledger(meetings=[one]),
            "local.twice",
            "2020Q1",
            D(2020, 4, 15),
            {("b1", "2020Q1"): "failed"},
            {("b1", "2020Q1"): "failed"},
            (path,),
        ),
        Case(
            "two meetings, one of both kinds",
            ledger(meetings=[one, held("dh", GM, D(2020, 3, 2))]),
            "local.twice",
            "2020Q1",
            D(2020, 4, 15),
            {("b1", "2020Q1"): "passed"},
            {("b1", "2020Q1"): "passed"},
            (path,),
        ),
        Case(
            "the actions of a 党员大会 held as the 主题党日",
            ledger(meetings=[held("dh", GM, D(2020, 3, 31), (THEME,), actions=actions)]),
            "local.three_ones",
            "2020Q1",
            D(2020, 4, 15),
            {("b1", "2020Q1"): "passed"},
            {("b1", "2020Q1"): "failed"},
            (path,),
        ),
    ]


def judge(case: Case, led: Ledger) -> dict[tuple[str, str], str]:
    found = run(
        led,
        case.period,
        as_of=case.as_of,
        only=[case.rule],
        rules=case.files,
    )
    return statuses(found, case.rule)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_meeting_counts_for_each_kind_it_served_as(case: Case) -> None:
    assert judge(case, case.ledger) == case.combined
    assert judge(case, alone(case.ledger)) == case.alone


def test_user_rules(tmp_path: Path) -> None:
    for case in file_cases(tmp_path):
        assert judge(case, case.ledger) == case.combined, case.name
        assert judge(case, alone(case.ledger)) == case.alone, case.name


def test_the_quarter_names_the_combined_meeting_as_evidence() -> None:
    found = run(QUARTER, "2020Q1", as_of=D(2020, 4, 15), only=["branch.congress"])
    f = findings_of(found, "branch.congress")[("b1", "2020Q1")]
    assert f.evidence == ("zt2020-03-31",)
    assert "实际1次" in f.message


def test_a_meeting_of_two_kinds_of_a_rule_is_counted_once(tmp_path: Path) -> None:
    [case] = [c for c in file_cases(tmp_path) if c.name.startswith("one meeting")]
    found = run(case.ledger, "2020Q1", as_of=case.as_of, only=[case.rule], rules=case.files)
    assert findings_of(found, case.rule)[("b1", "2020Q1")].evidence == ("zt",)
    assert "实际1次" in found[0].message


def test_a_quorum_finding_names_the_meeting_by_its_own_kind() -> None:
    [f] = run(_quorum(4), "2020", as_of=D(2021, 1, 15), only=["branch.congress_quorum"])
    assert f.subject.name == "主题党日 2020-05-12"


def test_a_nameless_committee_meeting_held_as_a_general_meeting_is_for_everybody() -> None:
    """A 支委会 recorded without names is one only its committee could attend; held as a 党员大会
    too, any member of the branch may have been there: the month is unknown, not absent."""
    led = ledger(
        branches=[branch("b1", committee=[seat("sec")])],
        members=[member("sec"), member("plain")],
        meetings=[held("zw", CM, D(2020, 5, 12), (GM,), present_count=2)],
    )
    month = Period.parse("2020-05")
    ctx = Context(led, Period.parse("2020"), D(2021, 1, 1))
    plain = led.find(Member, "plain")
    assert plain is not None
    assert ctx.attendance(plain, month)[0] == "unknown"
    ctx = Context(alone(led), Period.parse("2020"), D(2021, 1, 1))
    assert ctx.attendance(plain, month)[0] == "absent"


def split(led: Ledger) -> Ledger:
    """``led`` with each meeting of several kinds recorded as one meeting of each kind, the
    first keeping its id (what offices did before ``also``: inventing the other records)."""
    meetings = []
    for m in led.meetings:
        meetings.append(attrs.evolve(m, also=()))
        meetings += [attrs.evolve(m, id=f"{m.id}~{k.code}", kind=k, also=()) for k in m.also]
    return attrs.evolve(led, meetings=tuple(meetings))


MEETING_FREQUENCY = [
    r.id
    for r in load_rules("national")
    if r.kind == "frequency" and r.params_on(r.in_force.since or D(2020, 1, 1)).record == "meeting"
]


@st.composite
def with_combined(draw: st.DrawFn) -> tuple[Ledger, int]:
    """A generated ledger with a few meetings of several kinds held in one year."""
    led = draw(ledgers(max_branches=2, max_members=3, max_records=2))
    year = draw(st.integers(2019, 2021))
    first, last = D(year, 1, 1), D(year, 12, 31)
    windows = {
        b.id: (max(first, b.founded or first), min(last, b.dissolved or last)) for b in led.branches
    }
    open_ = [b for b in led.branches if windows[b.id][0] <= windows[b.id][1]]
    extra = []
    for i in range(draw(st.integers(1, 8)) if open_ else 0):
        org = draw(st.sampled_from(open_))
        kind = draw(st.sampled_from(MeetingKind))
        others = st.sampled_from([k for k in MeetingKind if k is not kind])
        groups = [g.id for g in led.groups if g.branch == org.id]
        extra.append(
            Meeting(
                id=f"combined-{i}",
                kind=kind,
                also=tuple(draw(st.lists(others, min_size=1, max_size=3, unique=True))),
                branch=org.id,
                group=draw(st.none() | st.sampled_from(groups)) if groups else None,
                date=draw(st.dates(*windows[org.id])),
                actions=tuple(
                    draw(st.lists(st.sampled_from(["重温入党志愿书", "集体宣誓"]), unique=True))
                ),
            )
        )
    return attrs.evolve(led, meetings=(*led.meetings, *extra)), year


@given(drawn=with_combined(), unit=st.sampled_from(["", "Q1", "Q2", "H2", "-03"]))
@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_a_combined_meeting_counts_as_the_separate_meetings_of_its_kinds(
    drawn: tuple[Ledger, int], unit: str
) -> None:
    """Every frequency rule of meetings judges one meeting of several kinds as it judges the
    same meeting recorded once for each kind: the same status and the same count."""
    led, year = drawn
    assert led.problems() == []
    period, as_of = f"{year}{unit}", D(year + 1, 1, 15)
    options: dict[str, Any] = {"as_of": as_of, "only": MEETING_FREQUENCY}

    def judged(x: Ledger) -> dict[tuple[str, str, str], tuple[str, str]]:
        return {
            (f.rule, f.subject.id, str(f.period)): (f.status.code, f.message)
            for f in check(x, period, **options)
        }

    assert judged(led) == judged(split(led))
