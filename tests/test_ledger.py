"""The ledger: whole-ledger problems with their exact paths, and the lookups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from dangjian import (
    RECORD_KINDS,
    ActivistReview,
    Branch,
    DuesPayment,
    Election,
    Gender,
    HeartToHeartTalk,
    Ledger,
    LedgerError,
    Meeting,
    Member,
    MemberStatus,
    Milestones,
    OrgCategory,
    OrgLevel,
    PairingVillage,
    PartyGroup,
    ProbationExtension,
    RectificationItem,
    StudySession,
    TrainingRecord,
)
from dangjian.model import fields, kind_of, references
from tests.builders.sample import build_ledger

D = dt.date
DAY = dt.timedelta(days=1)


def found(ledger: Ledger, code: str | None = None) -> list[tuple[str, str]]:
    """The (path, code) of every problem, or only the paths of those with ``code``."""
    problems = ledger.problems()
    if code is None:
        return [(p.path, p.code) for p in problems]
    return [(p.path, p.code) for p in problems if p.code == code]


def test_the_sample_ledger_has_no_problems(make_ledger) -> None:
    ledger = make_ledger()
    assert ledger.problems() == []
    ledger.validate()  # does not raise
    assert all(getattr(ledger, kind.field) for kind in RECORD_KINDS)


def test_validate_raises_with_every_problem_and_the_source(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "meetings[0].chair", "nobody")
    ledger = set_at(ledger, "talks[0].partner", "nobody2")
    with pytest.raises(LedgerError) as caught:
        ledger.validate(source="x.yaml")
    assert [p.path for p in caught.value.problems] == ["meetings[0].chair", "talks[0].partner"]
    assert caught.value.source == "x.yaml"
    assert str(caught.value).startswith("x.yaml")


# -- unique ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", [k.field for k in RECORD_KINDS])
def test_a_repeated_id_is_reported_at_the_repeat(make_ledger, field: str) -> None:
    ledger = make_ledger()
    records = getattr(ledger, field)
    ledger = attrs.evolve(ledger, **{field: (*records, records[0])})
    problems = [p for p in ledger.problems() if p.code == "duplicate_id"]
    assert [p.path for p in problems] == [f"{field}[{len(records)}].id"]
    assert f"{field}[0]" in problems[0].message
    assert records[0].id in problems[0].message
    assert f"{field}[0]" in problems[0].message_en


def test_same_id_in_different_kinds_is_fine(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "study_sessions[0].id", "m1")
    assert found(ledger) == []
    assert ledger.get(StudySession, "m1") is ledger.study_sessions[0]
    assert ledger.member("m1") is ledger.members[0]


# -- references ------------------------------------------------------------------------------


def _reference_sites() -> dict[str, str]:
    """For each reference the ledger checks (a field declared with ``ref``), the first place the
    sample ledger fills it in, and the Chinese label of the record kind it refers to: derived from
    the fields' declarations, so that a new reference is tested as soon as it is declared and the
    sample ledger fills it in."""
    sites: dict[tuple[type[Any], str], tuple[str, str]] = {}

    def walk(path: str, record: Any) -> None:
        for f in fields(type(record)):
            value = getattr(record, f.name)
            # a single reference is set on the first record of its class; a list, in the
            # first record that has one
            filled = value or not f.many
            if f.target is not None and f.check and filled and (f.owner, f.name) not in sites:
                where = f"{path}.{f.name}" + ("[0]" if f.many else "")
                sites[f.owner, f.name] = (where, kind_of(f.target).label)
            elif f.record is not None and f.many:
                for i, item in enumerate(value):
                    walk(f"{path}.{f.name}[{i}]", item)
            elif f.record is not None and value is not None:
                walk(f"{path}.{f.name}", value)

    ledger = build_ledger()
    for kind in RECORD_KINDS:
        for i, record in enumerate(getattr(ledger, kind.field)):
            walk(f"{kind.field}[{i}]", record)
    declared = {
        (cls, f.name)
        for kind in RECORD_KINDS
        for cls in _nested(kind.cls)
        for f in references(cls)
        if f.check
    }
    # the sample ledger has no activist reviews: see the test after the next
    declared -= {(ActivistReview, "branch")}
    assert set(sites) == declared, f"the sample ledger leaves out {declared - set(sites)}"
    return dict(sites.values())


def _nested(cls: type[Any]) -> list[type[Any]]:
    out = [cls]
    for f in fields(cls):
        if f.record is not None:
            out += _nested(f.record)
    return out


REFERENCES = _reference_sites()


@pytest.mark.parametrize(("path", "label"), REFERENCES.items())
def test_each_broken_reference_is_reported_at_its_path(
    make_ledger, set_at, path: str, label: str
) -> None:
    ledger = set_at(make_ledger(), path, "nowhere")
    broken = [p for p in ledger.problems() if p.code == "broken_reference"]
    assert [p.path for p in broken] == [path]
    assert "nowhere" in broken[0].message
    assert label in broken[0].message
    assert "nowhere" in broken[0].message_en


def test_the_reviewing_branch_of_an_activist_review_must_exist(make_ledger) -> None:
    from dangjian import ActivistReview
    from dangjian.ledger import ledger_problems

    ledger = make_ledger()
    first = ledger.members[0]
    reviews = (
        ActivistReview(date=dt.date(2020, 6, 1), branch=ledger.branches[0].id),
        ActivistReview(date=dt.date(2020, 12, 1), branch="nowhere"),
    )
    ledger = attrs.evolve(
        ledger, members=(attrs.evolve(first, reviews=reviews), *ledger.members[1:])
    )
    broken = [p for p in ledger.problems() if p.code == "broken_reference"]
    assert [p.path for p in broken] == ["members[0].reviews[1].branch"]
    assert "nowhere" in broken[0].message and "党组织" in broken[0].message
    # the quick path finds exactly what the full checks find
    assert ledger_problems(ledger, quick=False) == ledger.problems()


def test_a_probation_cancelled_before_the_admission_is_reported(make_ledger) -> None:
    from dangjian.ledger import ledger_problems

    ledger = make_ledger()
    i, m = next((i, m) for i, m in enumerate(ledger.members) if m.milestones.admitted)
    admitted = m.milestones.admitted
    assert admitted is not None

    def with_cancelled(day: dt.date) -> Ledger:
        members = list(ledger.members)
        members[i] = attrs.evolve(m, probation_cancelled=day)
        return attrs.evolve(ledger, members=tuple(members))

    assert with_cancelled(admitted).problems() == []
    bad = with_cancelled(admitted - dt.timedelta(days=1))
    assert [(p.path, p.code) for p in bad.problems()] == [
        (f"members[{i}].probation_cancelled", "date_order")
    ]
    assert "接收为预备党员" in bad.problems()[0].message
    assert ledger_problems(bad, quick=False) == bad.problems()


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("members[0].branch", "g1"),  # a group is not an organisation
        ("meetings[0].chair", "b1"),  # an organisation is not a member
        ("members[0].group", "b1"),
        ("pairings[0].activities[0].meeting", "s1"),  # a study session is not a meeting
    ],
)
def test_a_reference_must_be_to_a_record_of_the_right_kind(
    make_ledger, set_at, path: str, target: str
) -> None:
    ledger = set_at(make_ledger(), path, target)
    assert (path, "broken_reference") in found(ledger)


def test_a_reference_to_the_first_of_duplicates_still_resolves(make_ledger) -> None:
    ledger = make_ledger()
    twice = attrs.evolve(ledger, members=(*ledger.members, ledger.members[1]))
    assert found(twice, "broken_reference") == []


# -- groups ----------------------------------------------------------------------------------


def test_member_in_a_group_of_another_branch(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "members[3].group", "g1")  # m4 is in b2, g1 in b1
    assert found(ledger) == [("members[3].group", "group_outside_branch")]


def test_meeting_and_study_session_with_a_group_of_another_branch(make_ledger, set_at) -> None:
    ledger = make_ledger()
    for field in ("meetings", "study_sessions"):
        ledger = set_at(ledger, f"{field}[0].group", "g1")
    assert found(ledger) == []
    moved = make_ledger(
        meetings=(attrs.evolve(ledger.meetings[0], branch="b2", expected=(), attended=()),),
        study_sessions=(attrs.evolve(ledger.study_sessions[0], branch="b2"),),
    )
    moved = set_at(set_at(moved, "meetings[0].group", "g1"), "study_sessions[0].group", "g1")
    assert found(moved, "group_outside_branch") == [
        ("meetings[0].group", "group_outside_branch"),
        ("study_sessions[0].group", "group_outside_branch"),
    ]


def test_group_leader_from_another_branch(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "groups[0].leader", "m4")
    assert found(ledger) == [("groups[0].leader", "leader_outside_branch")]


# -- dates against birth ---------------------------------------------------------------------

BORN = D(2015, 6, 1)


def _with_newborn(ledger: Ledger) -> Ledger:
    newborn = Member(
        id="m9",
        name="新人",
        gender=Gender.MALE,
        birth_date=BORN,
        branch="b1",
        status=MemberStatus.FULL,
    )
    return attrs.evolve(ledger, members=(*ledger.members, newborn))


ATTENDANCE: dict[str, tuple[list[tuple[str, Any]], str, list[str]]] = {
    # name: (changes, the field holding the day, the paths reported when the day is too early)
    "meeting": (
        [
            ("meetings[0].expected", ("m1", "m2", "m3", "m9")),
            ("meetings[0].attended", ("m9",)),
            ("meetings[0].expected_count", None),
            ("meetings[0].present_count", None),
        ],
        "meetings[0].date",
        ["meetings[0].expected[3]", "meetings[0].attended[0]"],
    ),
    "study session": (
        [("study_sessions[0].attendees", ("m1", "m9"))],
        "study_sessions[0].date",
        ["study_sessions[0].attendees[1]"],
    ),
    "election": (
        [
            ("elections[0].voters_expected", ("m9", "m1", "m2")),
            ("elections[0].voters_present", ("m1", "m9")),
        ],
        "elections[0].date",
        ["elections[0].voters_expected[0]", "elections[0].voters_present[1]"],
    ),
    "talk": ([("talks[0].initiator", "m9")], "talks[0].date", ["talks[0].initiator"]),
    "training": ([("trainings[0].member", "m9")], "trainings[0].date", ["trainings[0].member"]),
    "appraisal": (
        [("appraisals[0].member", "m9")],
        "appraisals[0].date",
        ["appraisals[0].member"],
    ),
    "service": (
        [("service_activities[0].end", None), ("service_activities[0].participants", ("m9",))],
        "service_activities[0].start",
        ["service_activities[0].participants[0]"],
    ),
}


@pytest.mark.parametrize("case", ATTENDANCE)
def test_taking_part_before_birth(make_ledger, set_at, case: str) -> None:
    changes, day_path, paths = ATTENDANCE[case]
    ledger = _with_newborn(make_ledger())
    for path, value in changes:
        ledger = set_at(ledger, path, value)
    on_birthday = set_at(ledger, day_path, BORN)
    assert found(on_birthday) == []
    day_before = set_at(ledger, day_path, BORN - DAY)
    assert found(day_before) == [(p, "before_birth") for p in paths]
    message = day_before.problems()[0].message
    assert "2015-06-01" in message
    assert "2015-05-31" in message


@pytest.mark.parametrize(
    "milestone", [a.name for a in attrs.fields(Milestones) if a.name != "course_exception"]
)
def test_a_milestone_must_come_after_birth(make_ledger, milestone: str) -> None:
    ledger = _with_newborn(make_ledger())
    day_after = set_at_member(ledger, Milestones(**{milestone: BORN + DAY}))
    assert found(day_after) == []
    same_day = set_at_member(ledger, Milestones(**{milestone: BORN}))
    assert found(same_day) == [(f"members[4].milestones.{milestone}", "before_birth")]


def set_at_member(ledger: Ledger, milestones: Milestones) -> Ledger:
    members = list(ledger.members)
    members[4] = attrs.evolve(members[4], milestones=milestones)
    return attrs.evolve(ledger, members=tuple(members))


def test_no_birth_date_no_birth_check(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "members[1].birth_date", None)
    ledger = set_at(ledger, "meetings[0].date", D(2010, 1, 1))
    assert found(ledger) == []


# -- dates against the organisation ---------------------------------------------------------

FOUNDED = D(2010, 1, 1)  # b1 in the sample
DISSOLVED = D(2021, 12, 31)


@pytest.mark.parametrize("field", ["meetings", "study_sessions", "elections"])
def test_activity_before_the_branch_was_founded(make_ledger, set_at, field: str) -> None:
    ledger = make_ledger()
    assert found(set_at(ledger, f"{field}[0].date", FOUNDED)) == []
    too_early = set_at(ledger, f"{field}[0].date", FOUNDED - DAY)
    assert found(too_early) == [(f"{field}[0].date", "before_founded")]


@pytest.mark.parametrize("field", ["meetings", "study_sessions", "elections"])
def test_activity_after_the_branch_was_dissolved(make_ledger, set_at, field: str) -> None:
    ledger = set_at(make_ledger(), "branches[1].dissolved", DISSOLVED)
    assert found(set_at(ledger, f"{field}[0].date", DISSOLVED)) == []
    too_late = set_at(ledger, f"{field}[0].date", DISSOLVED + DAY)
    assert found(too_late) == [(f"{field}[0].date", "after_dissolved")]


def test_unknown_founding_date_is_no_problem(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "branches[1].founded", None)
    assert found(set_at(ledger, "meetings[0].date", D(2005, 1, 1))) == []
    assert found(set_at(ledger, "meetings[0].date", D(1950, 1, 1))) == [
        ("meetings[0].expected[1]", "before_birth"),
        ("meetings[0].expected[2]", "before_birth"),
        ("meetings[0].attended[1]", "before_birth"),
    ]


# -- attendance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("meetings[0].expected_count", 4),
        ("meetings[0].expected_count", 2),
        ("meetings[0].present_count", 3),
        ("meetings[0].present_count", 1),
        ("elections[0].expected_count", 3),
        ("elections[0].present_count", 1),
    ],
)
def test_counts_that_disagree_with_the_names(make_ledger, set_at, path: str, value: int) -> None:
    assert found(set_at(make_ledger(), path, value)) == [(path, "count_mismatch")]


def test_counts_without_names(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "meetings[0].expected", ())
    ledger = set_at(ledger, "meetings[0].attended", ())
    ledger = set_at(ledger, "meetings[0].absences", ())
    assert found(set_at(ledger, "meetings[0].present_count", 3)) == []  # == expected_count
    assert found(set_at(ledger, "meetings[0].present_count", 4)) == [
        ("meetings[0].present_count", "count_mismatch")
    ]


def test_study_attendee_count_includes_staff(make_ledger, set_at) -> None:
    ledger = make_ledger()  # two named attendees
    assert found(set_at(ledger, "study_sessions[0].attendee_count", 2)) == []
    assert found(set_at(ledger, "study_sessions[0].attendee_count", 1)) == [
        ("study_sessions[0].attendee_count", "count_mismatch")
    ]


def test_attended_but_not_expected(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "meetings[0].attended", ("m1", "m4", "m2"))
    ledger = set_at(ledger, "meetings[0].present_count", None)
    assert found(ledger) == [("meetings[0].attended[1]", "not_expected")]
    anyone = set_at(ledger, "meetings[0].expected", ())
    anyone = set_at(anyone, "meetings[0].expected_count", None)
    assert found(anyone) == []


def test_voter_present_but_not_expected(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "elections[0].voters_present", ("m1", "m2", "m3"))
    assert found(ledger) == [("elections[0].voters_present[2]", "not_expected")]


def test_absent_and_present(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "meetings[0].absences[0].member", "m2")
    assert found(ledger) == [("meetings[0].absences[0].member", "absent_and_present")]


# -- the organisation tree -----------------------------------------------------------------


def _branch(id: str, parent: str | None) -> Branch:
    return Branch(
        id=id, name=f"{id}支部", level=OrgLevel.BRANCH, category=OrgCategory.ORGAN, parent=parent
    )


def test_own_parent(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "branches[1].parent", "b1")
    assert found(ledger) == [("branches[1].parent", "cycle")]


def test_two_cycle_reported_once_at_its_first_organisation(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "branches[0].parent", "b1")  # c1 → b1 → c1; b2 hangs on it
    assert found(ledger) == [("branches[0].parent", "cycle")]


def test_three_cycle_reported_once(make_ledger) -> None:
    ledger = make_ledger()
    branches = (
        *ledger.branches,
        _branch("x", "y"),  # 3: hangs on the cycle, is not part of it
        _branch("a", "c"),  # 4
        _branch("b", "a"),  # 5
        _branch("c", "b"),  # 6
    )
    ledger = attrs.evolve(ledger, branches=(*branches, _branch("y", "b")))
    problems = [p for p in ledger.problems() if p.code == "cycle"]
    assert [p.path for p in problems] == ["branches[4].parent"]
    assert "a → c → b → a" in problems[0].message
    assert "a → c → b → a" in problems[0].message_en
    assert found(ledger) == [("branches[4].parent", "cycle")]


def test_a_long_chain_without_a_cycle(make_ledger) -> None:
    ledger = make_ledger()
    chain = tuple(_branch(f"k{i}", f"k{i + 1}" if i < 20 else "c1") for i in range(21))
    assert found(attrs.evolve(ledger, branches=(*ledger.branches, *chain))) == []


# -- elections -------------------------------------------------------------------------------


def test_elected_without_being_a_candidate(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "elections[0].elected", ("m3",))
    assert found(ledger) == [("elections[0].elected[0]", "not_a_candidate")]


def test_too_many_elected(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "elections[0].elected", ("m1", "m2"))  # one seat
    assert found(ledger) == [("elections[0].elected", "too_many_elected")]
    assert found(set_at(ledger, "elections[0].seats", 2)) == []


def test_candidate_listed_twice(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "elections[0].candidates[1].member", "m1")
    assert found(ledger) == [("elections[0].candidates[1].member", "duplicate")]


def test_more_ballots_returned_than_issued(make_ledger, set_at) -> None:
    ledger = make_ledger()  # 2 issued, 2 returned
    assert found(set_at(ledger, "elections[0].ballots_returned", 3)) == [
        ("elections[0].ballots_returned", "count_mismatch")
    ]
    assert found(set_at(ledger, "elections[0].ballots_returned", 1)) == []


# -- members ---------------------------------------------------------------------------------


def test_resident_id_birth_date_mismatch(make_ledger, set_at) -> None:
    ledger = make_ledger()  # m1: the id says a woman born 1949-12-31
    assert found(set_at(ledger, "members[0].birth_date", D(1950, 1, 1))) == [
        ("members[0].birth_date", "resident_id_mismatch")
    ]
    assert found(set_at(ledger, "members[0].birth_date", None)) == []


def test_resident_id_gender_mismatch(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "members[0].gender", Gender.MALE)
    assert found(ledger) == [("members[0].gender", "resident_id_mismatch")]


@pytest.mark.parametrize("status", list(MemberStatus), ids=lambda s: s.code)
def test_a_leaving_date_needs_a_status_of_leaving(make_ledger, set_at, status) -> None:
    ledger = set_at(make_ledger(), "members[1].status", status)
    ledger = set_at(ledger, "members[1].left", D(2020, 12, 31))
    expected = [] if status.has_left else [("members[1].left", "status_mismatch")]
    assert found(ledger) == expected


@pytest.mark.parametrize("field", ["mentors", "sponsors"])
def test_no_one_mentors_or_sponsors_oneself(make_ledger, set_at, field: str) -> None:
    ledger = set_at(make_ledger(), f"members[3].{field}", ("m2", "m4"))
    assert found(ledger) == [(f"members[3].{field}", "self_reference")]


def test_probation_extension_before_admission(make_ledger, set_at) -> None:
    admitted = D(2019, 12, 1)  # m3
    on_the_day = set_at(
        make_ledger(),
        "members[2].probation_extension",
        ProbationExtension(decided=admitted, months=6),
    )
    assert found(on_the_day) == []
    before = set_at(on_the_day, "members[2].probation_extension.decided", admitted - DAY)
    assert found(before) == [("members[2].probation_extension.decided", "date_order")]


def test_follow_up_before_closing(make_ledger, set_at) -> None:
    closed = D(2020, 3, 20)
    ledger = make_ledger()
    assert found(set_at(ledger, "rectifications[0].follow_ups[0].date", closed)) == []
    assert found(set_at(ledger, "rectifications[0].follow_ups[0].date", closed - DAY)) == [
        ("rectifications[0].follow_ups[0].date", "date_order")
    ]


def test_problems_are_all_reported_together(make_ledger, set_at) -> None:
    ledger = make_ledger()
    edits = {
        "meetings[0].chair": "x1",
        "talks[0].partner": "x2",
        "elections[0].ballots_returned": 5,
        "branches[1].parent": "b1",
        "members[1].left": D(2020, 1, 1),
    }
    for path, value in edits.items():
        ledger = set_at(ledger, path, value)
    assert {p for p, _ in found(ledger)} == set(edits)


# -- lookups ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", RECORD_KINDS, ids=lambda k: k.field)
def test_get_and_find_every_kind(make_ledger, kind) -> None:
    ledger = make_ledger()
    for record in getattr(ledger, kind.field):
        assert ledger.get(kind.cls, record.id) is record
        assert ledger.find(kind.cls, record.id) is record
    assert ledger.find(kind.cls, "no-such-id") is None
    with pytest.raises(KeyError) as caught:
        ledger.get(kind.cls, "no-such-id")
    assert "no-such-id" in caught.value.args[0]
    assert kind.label in caught.value.args[0]


def test_get_error_message(make_ledger) -> None:
    with pytest.raises(KeyError) as caught:
        make_ledger().get(Member, "m99")
    assert caught.value.args == ("台账中没有编号为「m99」的党员",)


def test_get_does_not_mix_kinds(make_ledger) -> None:
    ledger = make_ledger()
    with pytest.raises(KeyError, match="党组织"):
        ledger.branch("m1")
    assert ledger.find(Meeting, "m1") is None


def test_get_returns_the_first_of_duplicates(make_ledger) -> None:
    ledger = make_ledger()
    second = attrs.evolve(ledger.members[1], name="另一个")
    ledger = attrs.evolve(ledger, members=(*ledger.members, second))
    assert ledger.member("m2").name == "李强"


def test_branch_and_member(make_ledger) -> None:
    ledger = make_ledger()
    assert ledger.branch("b2") is ledger.branches[2]
    assert ledger.member("m3") is ledger.members[2]
    with pytest.raises(KeyError):
        ledger.member("b1")


def test_by_branch(make_ledger) -> None:
    ledger = make_ledger()
    assert ledger.by_branch(Member, "b1") == ledger.members[:3]
    assert ledger.by_branch(Meeting, "b1") == ledger.meetings
    assert ledger.by_branch(Meeting, "b2") == ()
    assert ledger.by_branch(StudySession, "b1") == ledger.study_sessions
    assert ledger.by_branch(Election, "b1") == ledger.elections
    assert ledger.by_branch(PartyGroup, "b1") == ledger.groups
    assert ledger.by_branch(PairingVillage, "b1") == ledger.pairings
    assert ledger.by_branch(RectificationItem, "b1") == ledger.rectifications
    assert ledger.by_branch(Member, "nowhere") == ()


def test_by_branch_keeps_ledger_order(make_ledger) -> None:
    ledger = make_ledger()
    late = attrs.evolve(ledger.meetings[0], id="mt0", date=D(2020, 1, 1))
    ledger = attrs.evolve(ledger, meetings=(*ledger.meetings, late))
    assert [m.id for m in ledger.by_branch(Meeting, "b1")] == ["mt1", "mt0"]


def test_by_branch_leaves_out_records_without_a_branch(make_ledger, set_at) -> None:
    ledger = set_at(make_ledger(), "rectifications[0].branch", None)
    assert ledger.by_branch(RectificationItem, "b1") == ()


@pytest.mark.parametrize("kind", [DuesPayment, HeartToHeartTalk, TrainingRecord, Branch])
def test_by_branch_of_a_kind_without_a_branch_is_a_type_error(make_ledger, kind) -> None:
    with pytest.raises(TypeError, match=kind.__name__):
        make_ledger().by_branch(kind, "b1")


def test_members_of(make_ledger) -> None:
    ledger = make_ledger()
    assert [m.id for m in ledger.members_of("b1")] == ["m1", "m2", "m3"]
    assert [m.id for m in ledger.members_of("b2")] == ["m4"]
    assert ledger.members_of("c1") == ()


def test_children(make_ledger) -> None:
    ledger = make_ledger()
    assert [b.id for b in ledger.children("c1")] == ["b1", "b2"]
    assert ledger.children("b1") == ()
    assert ledger.children("nowhere") == ()


def test_len_counts_every_record(make_ledger) -> None:
    ledger = make_ledger()
    assert len(ledger) == sum(len(getattr(ledger, k.field)) for k in RECORD_KINDS)
    assert len(attrs.evolve(ledger, members=(*ledger.members, ledger.members[0]))) == (
        len(ledger) + 1
    )
    assert len(attrs.evolve(ledger, meetings=())) == len(ledger) - 1
    assert len(Ledger(name="空台账")) == 0


def test_records_in_kind_order(make_ledger) -> None:
    ledger = make_ledger()
    assert [k for k, _ in ledger.records()] == list(RECORD_KINDS)
    assert all(records is getattr(ledger, k.field) for k, records in ledger.records())


def test_ledger_name_and_version(make_ledger) -> None:
    with pytest.raises(ValueError):
        make_ledger(name=" ")
    with pytest.raises(ValueError):
        make_ledger(version=2)
    assert make_ledger().version == 1
