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
    CommitteeRole,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    OrgLevel,
    PartyGroup,
    Transfer,
    TransferDirection,
)
from tests.builders import examples
from tests.builders.dues import (
    D,
    branch,
    findings_of,
    ledger,
    member,
    run,
    seat,
    statuses,
)
from tests.builders.rules import declared_citations

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


def test_dual_life_a_cadre_listed_absent_from_a_counted_meeting_is_known_absent() -> None:
    led = ledger(
        members=[cadre("away"), cadre("maybe")],
        meetings=[
            held(
                "counted",
                D(2020, 11, 1),
                expected_count=10,
                present_count=8,
                absences=(Absence(member="away", reason=AbsenceReason.LEAVE),),
            )
        ],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {
        ("away", "2020"): "failed",
        ("maybe", "2020"): "unknown",
    }
    assert "请假" in findings_of(found, "edu.dual_life_org_life")[("away", "2020")].message


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


def test_dual_life_does_not_fail_a_year_the_rule_was_in_force_for_only_in_part() -> None:
    # in force from 2019-05-06: the only meeting of 2019 was held before, and missed
    led = ledger(
        members=[cadre("c"), cadre("went")],
        meetings=[
            held("zz2019", D(2019, 3, 1), attended=("went",)),
            held("zz2020", D(2020, 3, 1), attended=("went",)),
        ],
    )
    found = run(led, "2019", as_of=D(2020, 1, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {
        ("c", "2019"): "not_applicable",
        ("went", "2019"): "passed",
    }
    assert "并非全程施行" in findings_of(found, "edu.dual_life_org_life")[("c", "2019")].message
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.dual_life_org_life"])
    assert statuses(found, "edu.dual_life_org_life") == {
        ("c", "2020"): "failed",
        ("went", "2020"): "passed",
    }


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


@settings(max_examples=examples(40), deadline=None)
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
    # the text binds a member away "并且地点相对固定", which no record says: a transfer asked
    # late, or none, is not a breach the records can show
    assert statuses(found, "edu.transfer_away") == {
        ("on_day", "2020-07"): "passed",
        ("day_late", "2020-07"): "unknown",
        ("none", "2020-07"): "unknown",
        ("back_late", "2020-07"): "unknown",
        ("gone", "2020-07"): "passed",
    }
    table = findings_of(found, "edu.transfer_away")
    f = table[("none", "2020-07")]
    assert f.day == SIX and "未记录转出" in f.message and "地点是否相对固定" in f.message
    assert "才申请转出" in table[("day_late", "2020-07")].message
    assert f.citations == declared_citations("edu.transfer_away")


def test_transfer_away_pending_until_six_months_and_judged_again_later() -> None:
    other = with_(member("other"), transfers=(out(D(2019, 5, 1)),))
    led = ledger(members=[with_(member("m"), away_since=AWAY), other])
    found = run(led, "2020H1", as_of=D(2020, 7, 10), only=["edu.transfer_away"])
    assert found == []  # due in July: not in the first half year
    found = run(led, "2020Q3", as_of=SIX, only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "pending"}
    found = run(led, "2020Q3", as_of=SIX + dt.timedelta(days=1), only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "unknown"}
    # still away, still not transferred: reported again in the next year
    found = run(led, "2021", as_of=D(2022, 1, 15), only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "unknown"}


def test_transfer_away_in_a_ledger_that_keeps_no_transfers_cannot_tell() -> None:
    led = ledger(members=[with_(member("m"), away_since=AWAY)])
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.transfer_away"])
    assert statuses(found, "edu.transfer_away") == {("m", "2020-07"): "unknown"}
    assert "台账中没有组织关系转接记录" in found[0].message


@settings(max_examples=examples(30), deadline=None)
@given(
    since=st.dates(D(2019, 6, 1), D(2021, 6, 1)),
    asked=st.one_of(st.none(), st.integers(-30, 400)),
    back=st.one_of(st.none(), st.integers(0, 400)),
)
def test_transfer_away_never_fails(since: dt.date, asked: int | None, back: int | None) -> None:
    """Whatever the days, no record says the place away was relatively fixed: never failed."""
    fields: dict[str, Any] = {"away_since": since}
    if asked is not None:
        fields["transfers"] = (out(since + dt.timedelta(days=asked)),)
    if back is not None:
        fields["away_until"] = since + dt.timedelta(days=back)
    other = with_(member("other"), transfers=(out(D(2019, 5, 1)),))
    led = ledger(members=[with_(member("m"), **fields), other])
    for year in ("2019", "2020", "2021", "2022"):
        found = run(led, year, as_of=D(2023, 1, 15), only=["edu.transfer_away"])
        assert {f.status.code for f in found} <= {"passed", "unknown"}


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
            # the text sets no day by which to suspend: found again later, no breach shown
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
        ("none", "2020-05"): "unknown",
    }
    table = findings_of(found, "edu.lost_contact_suspend")
    assert table[("early", "2020-05")].severity.code == "warning"
    assert "未满6个月" in table[("early", "2020-05")].message
    assert "未规定作出决定的期限" in table[("none", "2020-05")].message
    assert table[("early", "2020-05")].citations == declared_citations("edu.lost_contact_suspend")


def test_suspension_is_pending_up_to_the_sixth_month_then_cannot_be_judged() -> None:
    led = ledger(members=[with_(member("m"), lost_contact=LOST)])
    found = run(led, "2020", as_of=LOST_SIX, only=["edu.lost_contact_suspend"])
    assert statuses(found, "edu.lost_contact_suspend") == {("m", "2020-05"): "pending"}
    found = run(
        led, "2020", as_of=LOST_SIX + dt.timedelta(days=1), only=["edu.lost_contact_suspend"]
    )
    assert statuses(found, "edu.lost_contact_suspend") == {("m", "2020-05"): "unknown"}
    # still out of contact, still not suspended: reported again the next year
    found = run(led, "2021", as_of=D(2022, 1, 15), only=["edu.lost_contact_suspend"])
    assert statuses(found, "edu.lost_contact_suspend") == {("m", "2020-05"): "unknown"}


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
            # in contact again on the day two years are reached: not "仍无法取得联系"
            with_(suspended_member("found_on_day"), contact_restored=TWO_YEARS),
            # found again later: the text sets no day for the removal, no breach shown
            with_(suspended_member("found_late"), contact_restored=D(2020, 3, 2)),
            # a standing suspended on other grounds (living abroad), not after losing contact
            with_(member("abroad"), suspended=SUSPENDED),
        ]
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["edu.lost_contact_remove"])
    assert statuses(found, "edu.lost_contact_remove") == {
        ("on_day", "2020-03"): "passed",
        ("early", "2020-02"): "failed",
        ("none", "2020-03"): "unknown",
        ("no_day", "2020-03"): "unknown",
    }
    table = findings_of(found, "edu.lost_contact_remove")
    assert "未规定除名的期限" in table[("none", "2020-03")].message
    assert table[("early", "2020-02")].citations == declared_citations("edu.lost_contact_remove")


def test_removal_is_pending_up_to_two_years_then_cannot_be_judged() -> None:
    led = ledger(members=[suspended_member("m")])
    found = run(led, "2020", as_of=TWO_YEARS, only=["edu.lost_contact_remove"])
    assert statuses(found, "edu.lost_contact_remove") == {("m", "2020-03"): "pending"}
    found = run(
        led, "2020", as_of=TWO_YEARS + dt.timedelta(days=1), only=["edu.lost_contact_remove"]
    )
    assert statuses(found, "edu.lost_contact_remove") == {("m", "2020-03"): "unknown"}


@settings(max_examples=examples(30), deadline=None)
@given(
    lost=st.dates(D(2019, 6, 1), D(2021, 6, 1)),
    suspend=st.one_of(st.none(), st.integers(184, 500)),  # six months are at most 184 days
    restore=st.one_of(st.none(), st.integers(0, 1200)),
)
def test_out_of_contact_fails_only_an_early_decision(
    lost: dt.date, suspend: int | None, restore: int | None
) -> None:
    """A member out of contact is failed only when suspended or removed too early: the text
    sets no day by which to do either."""
    fields: dict[str, Any] = {"lost_contact": lost}
    if suspend is not None:
        fields["suspended"] = lost + dt.timedelta(days=suspend)
    if restore is not None:
        fields["contact_restored"] = lost + dt.timedelta(days=restore)
    led = ledger(members=[with_(member("m"), **fields)])
    for year in ("2019", "2020", "2021", "2022", "2023", "2024"):
        found = run(
            led,
            year,
            as_of=D(2025, 1, 15),
            only=["edu.lost_contact_suspend", "edu.lost_contact_remove"],
        )
        assert "failed" not in {f.status.code for f in found}


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
    # while the half year runs, it is pending whatever the ledger keeps
    found = run(led, "2020H1", as_of=D(2020, 6, 30), only=["recruit.activist_review"])
    assert statuses(found, "recruit.activist_review") == {("a", "2020H1"): "pending"}


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


def with_committee(id: str = "b1") -> Any:
    """An organisation with a committee: a secretary and an organisation member."""
    return branch(id, committee=[seat(f"{id}-sec"), seat(f"{id}-org", CommitteeRole.ORGANISATION)])


def committee_members(id: str = "b1") -> list[Member]:
    return [member(f"{id}-sec", branch=id), member(f"{id}-org", branch=id)]


def test_a_candidate_is_listed_by_the_committee_and_filed_by_the_day() -> None:
    meetings = [
        held("zwh", D(2020, 5, 10), MeetingKind.COMMITTEE_MEETING),
        held("zwh_day", LISTED, MeetingKind.COMMITTEE_MEETING),
        held("dh", D(2020, 5, 10), MeetingKind.GENERAL_MEETING),
        held("zwh_late", LISTED + dt.timedelta(days=1), MeetingKind.COMMITTEE_MEETING),
        Meeting(id="zwh_b2", kind=MeetingKind.COMMITTEE_MEETING, branch="b2", date=D(2020, 5, 10)),
    ]
    led = ledger(
        branches=[with_committee("b1"), with_committee("b2")],
        meetings=meetings,
        members=[
            *committee_members("b1"),
            *committee_members("b2"),
            candidate("on_day", "zwh", LISTED),
            # the meeting on the day of the listing, the filing on the day of the meeting
            candidate("same_day", "zwh_day", LISTED),
            candidate("filed_with_meeting", "zwh", D(2020, 5, 10)),
            candidate("filed_late", "zwh", LISTED + dt.timedelta(days=1)),
            candidate("wrong_kind", "dh", LISTED),
            candidate("meeting_late", "zwh_late", LISTED),
            candidate("filed_first", "zwh", D(2020, 5, 9)),
            candidate("other_branch", "zwh_b2", LISTED),
            candidate("unrecorded", None, None),
            candidate("half", "zwh", None),
        ],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["recruit.candidate_listing"])
    assert statuses(found, "recruit.candidate_listing") == {
        ("on_day", "2020-05"): "passed",
        ("same_day", "2020-05"): "passed",
        ("filed_with_meeting", "2020-05"): "passed",
        ("filed_late", "2020-05"): "failed",
        ("wrong_kind", "2020-05"): "failed",
        ("meeting_late", "2020-05"): "failed",
        ("filed_first", "2020-05"): "failed",
        ("other_branch", "2020-05"): "failed",
        ("unrecorded", "2020-05"): "unknown",
        ("half", "2020-05"): "unknown",
    }
    table = findings_of(found, "recruit.candidate_listing")
    assert table[("on_day", "2020-05")].evidence == ("zwh",)
    assert "不是支委会" in table[("wrong_kind", "2020-05")].message
    assert "不是本党组织" in table[("other_branch", "2020-05")].message


def test_a_branch_recorded_without_a_committee_is_not_failed_for_its_general_meeting() -> None:
    # fewer than 7 full members: a secretary, no committee (条例: 7人以上设支委会)
    led = ledger(
        branches=[branch("b1", committee=[seat("b1-sec")])],
        meetings=[held("dh", D(2020, 5, 10), MeetingKind.GENERAL_MEETING)],
        members=[member("b1-sec"), candidate("c", "dh", LISTED)],
    )
    found = run(led, "2020", as_of=D(2021, 1, 15), only=["recruit.candidate_listing"])
    assert statuses(found, "recruit.candidate_listing") == {("c", "2020-05"): "unknown"}
    assert "未记录本党组织当时设有支部委员会" in found[0].message


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


def test_a_cancelled_probation_is_a_decision_for_both_probation_rules() -> None:
    # still on the rolls as 预备党员 (no status says "cancelled"): charter.probation must
    # not then say "尚未讨论转正" while recruit.conversion_decision passes the cancellation
    led = ledger(members=[with_(probationer("c"), probation_cancelled=D(2020, 3, 20))])
    found = run(
        led,
        "2020",
        as_of=D(2021, 1, 15),
        only=["recruit.conversion_decision", "charter.probation"],
    )
    assert {(f.rule, f.status.code) for f in found} == {("recruit.conversion_decision", "passed")}
    # without the cancellation the same record is failed by both
    found = run(
        ledger(members=[probationer("c")]),
        "2020",
        as_of=D(2021, 1, 15),
        only=["recruit.conversion_decision", "charter.probation"],
    )
    assert {(f.rule, f.status.code) for f in found} == {
        ("recruit.conversion_decision", "failed"),
        ("charter.probation", "failed"),
    }


def test_after_a_cancelled_probation_the_person_is_no_member_to_judge() -> None:
    from tests.builders.dues import payment

    cancelled = with_(probationer("c"), probation_cancelled=D(2020, 3, 20))
    paid = [payment("c", f"2019-{k:02d}", "10", paid_on=D(2019, k, 5)) for k in range(3, 13)]
    paid += [payment("c", f"2020-{k:02d}", "10", paid_on=D(2020, k, 5)) for k in range(1, 3)]
    led = ledger(members=[cancelled], dues_payments=paid)
    rules = ["charter.lapse_dues", "dues.monthly"]
    found = run(led, "2020", as_of=D(2021, 1, 15), only=rules)
    # cancelled on 20 March: no month after it is theirs to pay, no lapse
    assert [f for f in found if f.status.code == "failed"] == []
    assert "2020-04" not in {str(f.period) for f in found if f.rule == "dues.monthly"}
    # without the cancellation the same records are a lapse
    found = run(
        ledger(members=[probationer("c")], dues_payments=paid),
        "2020",
        as_of=D(2021, 1, 15),
        only=rules,
    )
    assert ("charter.lapse_dues", "failed") in {(f.rule, f.status.code) for f in found}


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


def test_a_unit_written_twice_is_counted_once() -> None:
    b = attrs.evolve(joint("j", 5), units=(*joint("j", 5).units, "单位0"))
    found = run(ledger(branches=[b]), "2020", as_of=D(2021, 1, 15), only=["branch.joint_units"])
    assert statuses(found, "branch.joint_units") == {("j", "2020"): "passed"}
    assert "覆盖5个" in found[0].message


# -- bad input -------------------------------------------------------------------------------------


def test_fields_that_mean_nothing_alone_are_located_errors_not_ignored() -> None:
    from dangjian.errors import LedgerError
    from dangjian.io.formats import loads
    from tests.io.test_loading import as_json, base

    doc = base()
    doc["members"][0]["away_until"] = "2020-06-01"  # came back, never went away
    doc["members"][1]["contact_restored"] = "2020-06-01"  # found, never lost
    doc["members"][1]["transfers"] = [
        {"direction": "out", "requested": "2020-05-01", "reason": "材料不全"}  # not refused
    ]
    try:
        loads(as_json(doc), "json")
    except LedgerError as e:
        problems = {p.path: p for p in e.problems}
    else:
        raise AssertionError("the ledger loaded")
    assert sorted(problems) == [
        "members[0].away_until",
        "members[1].contact_restored",
        "members[1].transfers[0].reason",
    ]
    assert "外出日期" in problems["members[0].away_until"].message
    assert "away_since" in problems["members[0].away_until"].message_en
    assert "失去联系日期" in problems["members[1].contact_restored"].message
    assert "拒转拒接" in problems["members[1].transfers[0].reason"].message
