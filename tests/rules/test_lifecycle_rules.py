"""Boundary tests of the rules added for issue 7 §4: edu.dual_life_org_life, edu.dual_life_group,
edu.transfer_away, edu.transfer_refusal, edu.lost_contact_suspend, edu.lost_contact_remove,
recruit.activist_review, recruit.candidate_listing, recruit.conversion_decision and
branch.joint_units."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian import (
    Absence,
    AbsenceReason,
    ActivistReview,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    OrgLevel,
    PartyGroup,
    Transfer,
    TransferDirection,
)
from tests.rules.builders import declared_citations
from tests.rules.dues_builders import D, branch, findings_of, ledger, member, run, statuses

ORG_LIFE = MeetingKind.ORG_LIFE_MEETING
GROUP = MeetingKind.GROUP_MEETING


def cadre(id: str, **fields: Any) -> Member:
    """A full member who is a leading cadre."""
    return attrs.evolve(member(id), leading_cadre=True, **fields)


def held(
    id: str,
    day: dt.date,
    kind: MeetingKind = ORG_LIFE,
    *,
    attended: tuple[str, ...] = (),
    **fields: Any,
) -> Meeting:
    return Meeting(id=id, kind=kind, branch="b1", date=day, attended=attended, **fields)


def with_(m: Member, **fields: Any) -> Member:
    return attrs.evolve(m, **fields)


# -- edu.dual_life_org_life ----------------------------------------------------------------------


def test_dual_life_judges_each_leading_cadre_by_name() -> None:
    led = ledger(
        members=[
            cadre("went"),
            cadre("missed"),
            cadre("excused"),
            member("ordinary"),  # not a leading cadre: not judged
        ],
        meetings=[
            held(
                "zz1",
                D(2020, 12, 20),
                attended=("went", "ordinary"),
                absences=(Absence(member="excused", reason=AbsenceReason.BUSINESS_TRIP),),
            )
        ],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {
        ("went", "2020"): "passed",
        ("missed", "2020"): "failed",
        ("excused", "2020"): "failed",
    }
    table = findings_of(found, "edu.dual_life_org_life")
    assert table[("went", "2020")].evidence == ("zz1",)
    assert "出差" in table[("excused", "2020")].message
    assert "未记录缺席原因" in table[("missed", "2020")].message
    assert table[("missed", "2020")].citations == declared_citations("edu.dual_life_org_life")


def test_dual_life_is_pending_until_the_year_is_over() -> None:
    led = ledger(members=[cadre("c")], meetings=[held("zz1", D(2020, 3, 1))])
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {("c", "2020"): "pending"}
    # the last day of the year is still in time; judged the day after
    on_time = ledger(members=[cadre("c")], meetings=[held("zz1", D(2020, 12, 31), attended=("c",))])
    found = run(on_time, "2020", as_of=D(2021, 1, 1), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {("c", "2020"): "passed"}


def test_dual_life_from_counts_is_unknown_never_failed() -> None:
    led = ledger(
        members=[cadre("c"), cadre("d")],
        meetings=[
            held("named", D(2020, 6, 1), attended=("d",)),
            held("counted", D(2020, 11, 1), expected_count=10, present_count=9),
        ],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {
        ("c", "2020"): "unknown",
        ("d", "2020"): "passed",
    }
    f = findings_of(found, "edu.dual_life_org_life")[("c", "2020")]
    assert "只记录了人数" in f.message and "2020-11-01" in f.message
    assert f.evidence == ("counted",)


def test_dual_life_without_any_meeting_does_not_judge_the_person() -> None:
    led = ledger(members=[cadre("c")])
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {("c", "2020"): "not_applicable"}


def test_dual_life_counts_only_meetings_while_a_member() -> None:
    # joined in July: the 组织生活会 of March was not theirs to attend
    led = ledger(
        members=[cadre("c", joined=D(2020, 7, 1))],
        meetings=[held("zz1", D(2020, 3, 1))],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {("c", "2020"): "not_applicable"}


def test_dual_life_is_not_in_force_before_2019() -> None:
    led = ledger(members=[cadre("c")])
    assert run(led, "2018", as_of=D(2019, 1, 15), only=["edu.dual_life_org_life"]) == []


# -- edu.dual_life_group ---------------------------------------------------------------------------


def test_dual_life_group_judges_the_cadres_own_group() -> None:
    groups = [
        PartyGroup(id="g1", name="第一党小组", branch="b1"),
        PartyGroup(id="g2", name="第二党小组", branch="b1"),
    ]
    led = ledger(
        groups=groups,
        members=[cadre("in", group="g1"), cadre("out", group="g1"), cadre("nogroup")],
        meetings=[
            held("g1-1", D(2020, 5, 1), GROUP, group="g1", attended=("in",)),
            # a meeting of another group does not count
            held("g2-1", D(2020, 5, 2), GROUP, group="g2", attended=("out",)),
        ],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_group"])
    assert statuses(found, "edu.dual_life_group") == {
        ("in", "2020"): "passed",
        ("out", "2020"): "failed",
        ("nogroup", "2020"): "unknown",
    }


def test_dual_life_group_in_a_branch_without_groups_is_not_applicable() -> None:
    led = ledger(members=[cadre("c")])
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_group"])
    assert statuses(found, "edu.dual_life_group") == {("c", "2020"): "not_applicable"}


@settings(max_examples=40, deadline=None)
@given(
    present=st.lists(st.integers(0, 12), min_size=1, max_size=4),
    cadres=st.integers(1, 4),
    day=st.integers(1, 365),
)
def test_attendance_by_count_never_fails_a_leading_cadre(
    present: list[int], cadres: int, day: int
) -> None:
    people = [cadre(f"c{i}", group="g1") for i in range(cadres)]
    start = D(2020, 1, 1)
    meetings = [
        held(
            f"m{i}-{kind.code}",
            start + dt.timedelta(days=(day + 17 * i) % 366),
            kind,
            group="g1" if kind is GROUP else None,
            expected_count=12,
            present_count=n,
        )
        for i, n in enumerate(present)
        for kind in (ORG_LIFE, GROUP)
    ]
    led = ledger(
        groups=[PartyGroup(id="g1", name="第一党小组", branch="b1")],
        members=people,
        meetings=meetings,
    )
    found = run(
        led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_org_life", "edu.dual_life_group"]
    )
    assert found
    assert {f.status.code for f in found} <= {"unknown"}


# -- edu.transfer_away -----------------------------------------------------------------------------

AWAY = D(2020, 1, 10)
SIX = D(2020, 7, 10)  # six months away: 以上 includes the number


def out(day: dt.date, **fields: Any) -> Transfer:
    return Transfer(direction=TransferDirection.OUT, requested=day, **fields)


def test_transfer_away_by_the_sixth_month() -> None:
    led = ledger(
        members=[
            with_(member("on_day"), away_since=AWAY, transfers=(out(SIX),)),
            with_(
                member("day_late"), away_since=AWAY, transfers=(out(SIX + dt.timedelta(days=1)),)
            ),
            with_(member("none"), away_since=AWAY),
            # back the day before six months: no transfer needed
            with_(member("back"), away_since=AWAY, away_until=SIX - dt.timedelta(days=1)),
            # back on the day six months are reached: it was needed
            with_(member("back_late"), away_since=AWAY, away_until=SIX),
            # transferred out and off the rolls by then
            with_(
                member("gone", status=MemberStatus.TRANSFERRED_OUT, left=D(2020, 3, 1)),
                away_since=AWAY,
            ),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {
        ("on_day", "2020-07"): "passed",
        ("day_late", "2020-07"): "failed",
        ("none", "2020-07"): "failed",
        ("back_late", "2020-07"): "failed",
        ("gone", "2020-07"): "passed",
    }
    f = findings_of(found, "edu.transfer_away")[("none", "2020-07")]
    assert f.day == SIX and "未记录转出" in f.message
    assert f.citations == declared_citations("edu.transfer_away")


def test_transfer_away_pending_until_six_months_and_judged_again_later() -> None:
    other = with_(member("other"), transfers=(out(D(2019, 5, 1)),))
    led = ledger(members=[with_(member("m"), away_since=AWAY), other])
    found = run(led, "2020H1", as_of=D(2020, 7, 10), only=["edu.transfer_away"])
    assert found == []  # due in July: not in the first half year
    found = run(led, "2020Q3", as_of=SIX, only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "pending"}
    found = run(led, "2020Q3", as_of=SIX + dt.timedelta(days=1), only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "failed"}
    # still away, still not transferred: judged again in the next year
    found = run(led, "2021", as_of=D(2022, 1, 15), only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "failed"}


def test_transfer_away_in_a_ledger_that_keeps_no_transfers_cannot_tell() -> None:
    led = ledger(members=[with_(member("m"), away_since=AWAY)])
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "unknown"}
    assert "台账中没有组织关系转接记录" in found[0].message


# -- edu.transfer_refusal --------------------------------------------------------------------------


def test_a_refusal_needs_a_reason() -> None:
    led = ledger(
        members=[
            with_(member("why"), transfers=(out(D(2020, 3, 1), refused=True, reason="材料不全"),)),
            with_(member("nowhy"), transfers=(out(D(2020, 4, 1), refused=True),)),
            with_(member("fine"), transfers=(out(D(2020, 5, 1), completed=D(2020, 5, 8)),)),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.transfer_refusal"])
    assert statuses(found, "edu.transfer_refusal") == {
        ("why", "2020-03"): "passed",
        ("nowhy", "2020-04"): "failed",
    }


# -- edu.lost_contact_suspend ----------------------------------------------------------------------

LOST = D(2019, 11, 30)
LOST_SIX = D(2020, 5, 30)


def test_suspension_after_six_months_out_of_contact() -> None:
    led = ledger(
        members=[
            with_(member("on_day"), lost_contact=LOST, suspended=LOST_SIX),
            with_(member("early"), lost_contact=LOST, suspended=LOST_SIX - dt.timedelta(days=1)),
            with_(member("none"), lost_contact=LOST),
            with_(member("found"), lost_contact=LOST, contact_restored=LOST_SIX),
            with_(
                member("found_late"),
                lost_contact=LOST,
                contact_restored=LOST_SIX + dt.timedelta(days=1),
            ),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.lost_contact_suspend"])
    assert statuses(found, "edu.lost_contact_suspend") == {
        ("on_day", "2020-05"): "passed",
        ("early", "2020-05"): "failed",
        ("none", "2020-05"): "failed",
        ("found_late", "2020-05"): "failed",
    }
    table = findings_of(found, "edu.lost_contact_suspend")
    assert table[("none", "2020-05")].severity.code == "warning"
    assert "未满6个月" in table[("early", "2020-05")].message


def test_suspension_is_pending_on_the_sixth_month() -> None:
    led = ledger(members=[with_(member("m"), lost_contact=LOST)])
    found = run(led, "2020", as_of=LOST_SIX, only=["edu.lost_contact_suspend"])
    assert statuses(found, "edu.lost_contact_suspend") == {("m", "2020-05"): "pending"}


# -- edu.lost_contact_remove -----------------------------------------------------------------------

SUSPENDED = D(2018, 3, 1)
TWO_YEARS = D(2020, 3, 1)


def suspended_member(id: str, **fields: Any) -> Member:
    return with_(member(id, **fields), lost_contact=D(2017, 9, 1), suspended=SUSPENDED)


def test_removal_two_years_after_suspension() -> None:
    removed = MemberStatus.LAPSED
    led = ledger(
        members=[
            suspended_member("on_day", status=removed, left=TWO_YEARS),
            suspended_member("early", status=MemberStatus.REMOVED, left=D(2020, 2, 29)),
            suspended_member("none"),
            suspended_member("no_day", status=removed),
            with_(suspended_member("found"), contact_restored=D(2020, 2, 29)),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.lost_contact_remove"])
    assert statuses(found, "edu.lost_contact_remove") == {
        ("on_day", "2020-03"): "passed",
        ("early", "2020-02"): "failed",
        ("none", "2020-03"): "failed",
        ("no_day", "2020-03"): "unknown",
    }


# -- recruit.activist_review -----------------------------------------------------------------------


ACTIVIST_SINCE = D(2019, 5, 1)


def activist(id: str, since: dt.date = ACTIVIST_SINCE, **fields: Any) -> Member:
    return member(id, status=MemberStatus.ACTIVIST, applied=D(2019, 1, 1), activist=since, **fields)


def review(day: dt.date) -> ActivistReview:
    return ActivistReview(date=day, branch="b1")


def test_each_half_year_of_an_activist_has_a_review() -> None:
    led = ledger(
        members=[
            with_(activist("a"), reviews=(review(D(2020, 6, 30)), review(D(2021, 1, 1)))),
            # became an activist in March: the first half year is not judged without a review
            with_(activist("late", D(2020, 3, 1)), reviews=(review(D(2020, 12, 31)),)),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["recruit.activist_review"])
    assert statuses(found, "recruit.activist_review") == {
        ("a", "2020H1"): "passed",
        ("a", "2020H2"): "failed",  # the review of 1 January is the next half year's
        ("late", "2020H1"): "not_applicable",
        ("late", "2020H2"): "passed",
    }
    f = findings_of(found, "recruit.activist_review")[("a", "2020H2")]
    assert f.citations == declared_citations("recruit.activist_review")


def test_activist_review_stops_at_the_candidate_date_and_waits_for_the_half_year() -> None:
    moved_on = member(
        "c",
        status=MemberStatus.CANDIDATE,
        applied=D(2019, 1, 1),
        activist=D(2019, 5, 1),
        candidate=D(2020, 7, 1),
    )
    led = ledger(members=[with_(moved_on, reviews=(review(D(2020, 2, 1)),)), activist("a")])
    found = run(led, "2020", as_of=D(2020, 12, 1), only=["recruit.activist_review"])
    assert statuses(found, "recruit.activist_review") == {
        ("c", "2020H1"): "passed",
        ("a", "2020H1"): "failed",
        ("a", "2020H2"): "pending",
    }


def test_a_ledger_that_keeps_no_reviews_cannot_tell() -> None:
    led = ledger(members=[activist("a")])
    found = run(led, "2020H1", as_of=D(2020, 7, 15), only=["recruit.activist_review"])
    assert statuses(found, "recruit.activist_review") == {("a", "2020H1"): "unknown"}
    assert "台账中没有入党积极分子考察记录" in found[0].message


# -- recruit.candidate_listing ---------------------------------------------------------------------

LISTED = D(2020, 5, 20)


def candidate(id: str, meeting: str | None, filed: dt.date | None) -> Member:
    m = member(
        id,
        status=MemberStatus.CANDIDATE,
        applied=D(2018, 1, 1),
        activist=D(2018, 6, 1),
        candidate=LISTED,
    )
    return with_(m, candidate_meeting=meeting, candidate_filed=filed)


def test_a_candidate_is_listed_by_the_committee_and_filed_by_the_day() -> None:
    meetings = [
        held("zwh", D(2020, 5, 10), MeetingKind.COMMITTEE_MEETING),
        held("dh", D(2020, 5, 10), MeetingKind.GENERAL_MEETING),
        held("zwh_late", LISTED + dt.timedelta(days=1), MeetingKind.COMMITTEE_MEETING),
    ]
    led = ledger(
        meetings=meetings,
        members=[
            candidate("on_day", "zwh", LISTED),
            candidate("filed_late", "zwh", LISTED + dt.timedelta(days=1)),
            candidate("wrong_kind", "dh", LISTED),
            candidate("meeting_late", "zwh_late", LISTED),
            candidate("filed_first", "zwh", D(2020, 5, 9)),
            candidate("unrecorded", None, None),
            candidate("half", "zwh", None),
        ],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["recruit.candidate_listing"])
    assert statuses(found, "recruit.candidate_listing") == {
        ("on_day", "2020-05"): "passed",
        ("filed_late", "2020-05"): "failed",
        ("wrong_kind", "2020-05"): "failed",
        ("meeting_late", "2020-05"): "failed",
        ("filed_first", "2020-05"): "failed",
        ("unrecorded", "2020-05"): "unknown",
        ("half", "2020-05"): "unknown",
    }
    table = findings_of(found, "recruit.candidate_listing")
    assert table[("on_day", "2020-05")].evidence == ("zwh",)
    assert "不是支委会" in table[("wrong_kind", "2020-05")].message


# -- recruit.conversion_decision -------------------------------------------------------------------

ADMITTED = D(2019, 3, 1)
ENDS = D(2020, 3, 1)
DEADLINE = D(2020, 4, 1)  # one month after the end


def probationer(id: str, **fields: Any) -> Member:
    status = fields.pop("status", MemberStatus.PROBATIONARY)
    return member(
        id,
        status=status,
        applied=D(2017, 1, 1),
        activist=D(2017, 6, 1),
        candidate=D(2018, 6, 1),
        admitted=ADMITTED,
        **fields,
    )


def test_a_decision_within_a_month_of_the_end_of_probation() -> None:
    led = ledger(
        members=[
            probationer("on_day", status=MemberStatus.FULL, converted=DEADLINE),
            probationer(
                "late", status=MemberStatus.FULL, converted=DEADLINE + dt.timedelta(days=1)
            ),
            probationer("none"),
            with_(probationer("cancelled"), probation_cancelled=D(2020, 3, 20)),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["recruit.conversion_decision"])
    assert statuses(found, "recruit.conversion_decision") == {
        ("on_day", "2020-03"): "passed",
        ("late", "2020-03"): "failed",
        ("none", "2020-03"): "failed",
        ("cancelled", "2020-03"): "passed",
    }


def test_a_full_member_without_a_conversion_date_is_not_accused() -> None:
    led = ledger(members=[probationer("m", status=MemberStatus.FULL)])
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["recruit.conversion_decision"])
    assert statuses(found, "recruit.conversion_decision") == {("m", "2020-03"): "unknown"}
    # and not judged again, as an overdue decision would be, in later years
    assert run(led, "2021", as_of=D(2022, 1, 15), only=["recruit.conversion_decision"]) == []


def test_no_decision_is_pending_until_the_window_closes() -> None:
    led = ledger(members=[probationer("m")])
    found = run(led, "2020", as_of=DEADLINE, only=["recruit.conversion_decision"])
    assert statuses(found, "recruit.conversion_decision") == {("m", "2020-03"): "pending"}
    found = run(
        led, "2020", as_of=DEADLINE + dt.timedelta(days=1), only=["recruit.conversion_decision"]
    )
    assert statuses(found, "recruit.conversion_decision") == {("m", "2020-03"): "failed"}


def test_an_extension_is_a_decision_and_its_end_needs_another() -> None:
    extended = probationer("ext", extension=(ENDS, 6))
    converted = probationer(
        "ext_ok", status=MemberStatus.FULL, extension=(ENDS, 6), converted=D(2020, 10, 1)
    )
    led = ledger(members=[extended, converted])
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["recruit.conversion_decision"])
    assert statuses(found, "recruit.conversion_decision") == {
        ("ext", "2020-03"): "passed",
        ("ext", "2020-09"): "failed",
        ("ext_ok", "2020-03"): "passed",
        ("ext_ok", "2020-09"): "passed",
    }


# -- branch.joint_units ----------------------------------------------------------------------------


def joint(id: str, units: int) -> Any:
    b = branch(id, level=OrgLevel.JOINT_BRANCH)
    return attrs.evolve(b, units=tuple(f"单位{i}" for i in range(units)))


def test_a_joint_branch_generally_covers_at_most_five_units() -> None:
    led = ledger(branches=[joint("five", 5), joint("six", 6), joint("none", 0), branch("b1")])
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["branch.joint_units"])
    assert statuses(found, "branch.joint_units") == {
        ("five", "2020"): "passed",
        ("six", "2020"): "failed",
        ("none", "2020"): "unknown",
    }
    f = findings_of(found, "branch.joint_units")[("six", "2020")]
    assert f.severity.code == "warning"
    assert f.citations == declared_citations("branch.joint_units")
