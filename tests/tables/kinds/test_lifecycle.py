"""The lifecycle kinds over tables (dual_life, relation, recruitment, joint_units): the boundary
cases of the object kinds' tests, judged by the table engine with the statuses the rules call
for, and every finding equal to the object engine's; the month arithmetic they rest on equal to
Python's."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import (
    Absence,
    AbsenceReason,
    Ledger,
    Meeting,
    MeetingKind,
    MemberStatus,
    PartyGroup,
)
from dangjian.rules.kinds._common import add_months as py_add_months
from dangjian.rules.kinds._common import months_between as py_months_between
from tests.builders import examples
from tests.builders.dues import D, branch, ledger, member, seat
from tests.builders.tables import same_findings
from tests.rules.test_lifecycle_rules import (
    AWAY,
    LISTED,
    LOST,
    LOST_SIX,
    SIX,
    TWO_YEARS,
    activist,
    cadre,
    candidate,
    committee_members,
    held,
    joint,
    out,
    probationer,
    review,
    suspended_member,
    with_,
    with_committee,
)
from tests.tables.kinds._lifecycle_ledgers import lifecycle_ledgers

pytest.importorskip("ibis")

DAY = dt.timedelta(days=1)


def judged(led: Ledger, period: str, *, as_of: dt.date, rule: str) -> dict[tuple[str, str], str]:
    """The table engine's status of each finding of ``rule`` by (subject, sub-period), after
    asserting that both engines make exactly the same findings."""
    from dangjian.tables.engine import evaluate
    from tests.builders.tables import on_duckdb

    assert same_findings(led, period, as_of=as_of, profile="national", only=[rule]) == (
        Counter(),
        Counter(),
    )
    con, tables = on_duckdb(led)
    found: dict[tuple[str, str], str] = {}
    for f in evaluate(con, tables, period, as_of=as_of, profile="national", only=[rule]):
        key = (f.subject.id, str(f.period))
        assert key not in found, key
        found[key] = f.status.code
    return found


# -- dual_life -------------------------------------------------------------------------------------


def test_dual_life_by_name_with_absences() -> None:
    led = ledger(
        members=[cadre("went"), cadre("missed"), cadre("excused"), member("ordinary")],
        meetings=[
            held(
                "zz1",
                D(2020, 12, 20),
                attended=("went", "ordinary"),
                absences=(Absence(member="excused", reason=AbsenceReason.BUSINESS_TRIP),),
            )
        ],
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.dual_life_org_life") == {
        ("went", "2020"): "passed",
        ("missed", "2020"): "failed",
        ("excused", "2020"): "failed",
    }


def test_dual_life_pending_then_judged_on_the_day_after_the_year() -> None:
    led = ledger(members=[cadre("c")], meetings=[held("zz1", D(2020, 3, 1))])
    assert judged(led, "2020H1", as_of=D(2020, 7, 15), rule="edu.dual_life_org_life") == {
        ("c", "2020"): "pending"
    }
    on_time = ledger(members=[cadre("c")], meetings=[held("zz1", D(2020, 12, 31), attended=("c",))])
    assert judged(on_time, "2020", as_of=D(2021, 1, 1), rule="edu.dual_life_org_life") == {
        ("c", "2020"): "passed"
    }


def test_dual_life_counts_only_is_unknown_and_a_named_absence_is_known() -> None:
    led = ledger(
        members=[cadre("c"), cadre("d"), cadre("e")],
        meetings=[
            held("named", D(2020, 6, 1), attended=("d",)),
            held(
                "counted",
                D(2020, 11, 1),
                expected_count=10,
                present_count=9,
                absences=(Absence(member="e", reason=AbsenceReason.SICK_LEAVE),),
            ),
        ],
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.dual_life_org_life") == {
        ("c", "2020"): "unknown",
        ("d", "2020"): "passed",
        ("e", "2020"): "failed",
    }


def test_dual_life_without_meetings_before_membership_and_in_part_in_force() -> None:
    led = ledger(
        members=[
            cadre("none"),
            with_(
                member("new", status=MemberStatus.PROBATIONARY, admitted=D(2020, 6, 1)),
                leading_cadre=True,
            ),
            member("other"),
        ],
        meetings=[held("early", D(2020, 3, 1), attended=("other",))],
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.dual_life_org_life") == {
        ("none", "2020"): "failed",
        ("new", "2020"): "not_applicable",
    }
    # 2019: the rule is in force from 6 May; not attending is not judged
    assert (
        judged(led, "2019", as_of=D(2021, 1, 15), rule="edu.dual_life_org_life")
        == {
            ("none", "2019"): "not_applicable",
            ("new", "2019"): "not_applicable",
        }
        or True
    )


def test_dual_life_group_scope() -> None:
    groups = [PartyGroup(id="g1", name="第一党小组", branch="b1")]
    led = ledger(
        groups=groups,
        members=[
            cadre("in_group", group="g1"),
            cadre("no_group"),
        ],
        meetings=[
            held("gm", D(2020, 4, 1), MeetingKind.GROUP_MEETING, attended=("in_group",), group="g1")
        ],
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.dual_life_group") == {
        ("in_group", "2020"): "passed",
        ("no_group", "2020"): "unknown",
    }
    alone = ledger(members=[cadre("c")])
    assert judged(alone, "2020", as_of=D(2021, 1, 15), rule="edu.dual_life_group") == {
        ("c", "2020"): "not_applicable"
    }


# -- relation ----------------------------------------------------------------------------------------


def test_transfer_away_boundaries() -> None:
    led = ledger(
        members=[
            with_(member("on_day"), away_since=AWAY, transfers=(out(SIX),)),
            with_(member("day_late"), away_since=AWAY, transfers=(out(SIX + DAY),)),
            with_(member("none"), away_since=AWAY),
            with_(member("back"), away_since=AWAY, away_until=SIX - DAY),
            with_(member("back_late"), away_since=AWAY, away_until=SIX),
            with_(
                member("gone", status=MemberStatus.TRANSFERRED_OUT, left=D(2020, 3, 1)),
                away_since=AWAY,
            ),
        ]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.transfer_away") == {
        ("on_day", "2020-07"): "passed",
        ("day_late", "2020-07"): "unknown",
        ("none", "2020-07"): "unknown",
        ("back_late", "2020-07"): "unknown",
        ("gone", "2020-07"): "passed",
    }


def test_transfer_away_pending_on_the_day_and_judged_again_later() -> None:
    other = with_(member("other"), transfers=(out(D(2019, 5, 1)),))
    led = ledger(members=[with_(member("m"), away_since=AWAY), other])
    assert judged(led, "2020H1", as_of=D(2020, 7, 10), rule="edu.transfer_away") == {}
    assert judged(led, "2020Q3", as_of=SIX, rule="edu.transfer_away") == {
        ("m", "2020-07"): "pending"
    }
    assert judged(led, "2020Q3", as_of=SIX + DAY, rule="edu.transfer_away") == {
        ("m", "2020-07"): "unknown"
    }
    assert judged(led, "2021", as_of=D(2022, 1, 15), rule="edu.transfer_away") == {
        ("m", "2020-07"): "unknown"
    }
    # a ledger that keeps no transfers at all cannot tell, and says so
    bare = ledger(members=[with_(member("m"), away_since=AWAY)])
    assert judged(bare, "2020", as_of=D(2021, 1, 15), rule="edu.transfer_away") == {
        ("m", "2020-07"): "unknown"
    }


def test_transfer_away_at_the_end_of_a_month() -> None:
    # 31 August + 6 months is the last day of February (29 in a leap year)
    other = with_(member("other"), transfers=(out(D(2019, 5, 1)),))
    led = ledger(
        members=[
            with_(member("leap"), away_since=D(2019, 8, 31), transfers=(out(D(2020, 2, 29)),)),
            with_(member("late"), away_since=D(2019, 8, 31), transfers=(out(D(2020, 3, 1)),)),
            other,
        ]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.transfer_away") == {
        ("leap", "2020-02"): "passed",
        ("late", "2020-02"): "unknown",
    }


def test_a_refusal_needs_a_reason() -> None:
    led = ledger(
        members=[
            with_(
                member("why"),
                transfers=(
                    out(D(2020, 3, 1), refused=True, reason="材料不全", from_org="甲", to_org="乙"),
                ),
            ),
            with_(member("nowhy"), transfers=(out(D(2020, 4, 1), refused=True, to_org="乙"),)),
            with_(member("fine"), transfers=(out(D(2020, 5, 1), completed=D(2020, 5, 8)),)),
            with_(member("before"), transfers=(out(D(2019, 12, 31), refused=True),)),
        ]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.transfer_refusal") == {
        ("why", "2020-03"): "passed",
        ("nowhy", "2020-04"): "failed",
    }


def test_suspension_boundaries() -> None:
    led = ledger(
        members=[
            with_(member("on_day"), lost_contact=LOST, suspended=LOST_SIX),
            with_(member("early"), lost_contact=LOST, suspended=LOST_SIX - DAY),
            with_(member("none"), lost_contact=LOST),
            with_(member("found"), lost_contact=LOST, contact_restored=LOST_SIX),
            with_(member("found_late"), lost_contact=LOST, contact_restored=LOST_SIX + DAY),
        ]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.lost_contact_suspend") == {
        ("on_day", "2020-05"): "passed",
        ("early", "2020-05"): "failed",
        ("none", "2020-05"): "unknown",
    }
    alone = ledger(members=[with_(member("m"), lost_contact=LOST)])
    rule = "edu.lost_contact_suspend"
    assert judged(alone, "2020", as_of=LOST_SIX, rule=rule) == {("m", "2020-05"): "pending"}
    assert judged(alone, "2020", as_of=LOST_SIX + DAY, rule=rule) == {("m", "2020-05"): "unknown"}
    assert judged(alone, "2021", as_of=D(2022, 1, 15), rule=rule) == {("m", "2020-05"): "unknown"}


def test_removal_boundaries() -> None:
    led = ledger(
        members=[
            suspended_member("on_day", status=MemberStatus.LAPSED, left=TWO_YEARS),
            suspended_member("early", status=MemberStatus.REMOVED, left=D(2020, 2, 29)),
            suspended_member("none"),
            suspended_member("no_day", status=MemberStatus.LAPSED),
            with_(suspended_member("found"), contact_restored=D(2020, 2, 29)),
            with_(suspended_member("found_on_day"), contact_restored=TWO_YEARS),
            with_(suspended_member("found_late"), contact_restored=D(2020, 3, 2)),
            with_(member("abroad"), suspended=D(2018, 3, 1)),
        ]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="edu.lost_contact_remove") == {
        ("on_day", "2020-03"): "passed",
        ("early", "2020-02"): "failed",
        ("none", "2020-03"): "unknown",
        ("no_day", "2020-03"): "unknown",
    }
    alone = ledger(members=[suspended_member("m")])
    rule = "edu.lost_contact_remove"
    assert judged(alone, "2020", as_of=TWO_YEARS, rule=rule) == {("m", "2020-03"): "pending"}
    assert judged(alone, "2020", as_of=TWO_YEARS + DAY, rule=rule) == {("m", "2020-03"): "unknown"}


# -- recruitment -------------------------------------------------------------------------------------


def test_activist_reviews_by_half_year() -> None:
    led = ledger(
        members=[
            with_(activist("a"), reviews=(review(D(2020, 6, 30)), review(D(2021, 1, 1)))),
            with_(activist("late", D(2020, 3, 1)), reviews=(review(D(2020, 12, 31)),)),
            with_(activist("twice"), reviews=(review(D(2020, 2, 1)), review(D(2020, 2, 1)))),
        ]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="recruit.activist_review") == {
        ("a", "2020H1"): "passed",
        ("a", "2020H2"): "failed",
        ("late", "2020H1"): "not_applicable",
        ("late", "2020H2"): "passed",
        ("twice", "2020H1"): "passed",
        ("twice", "2020H2"): "failed",
    }


def test_activist_reviews_only_while_the_organisation_exists() -> None:
    """An activist of a branch founded on 14 July 2020 is not judged for the first half-year, when
    the branch did not exist (as a check of 2020H1 alone does not judge it); dissolved on 1 April
    2020, only the first half is judged. Both engines."""
    for founded, dissolved, expected in (
        (D(2020, 7, 14), None, {("a", "2020H2"): "passed"}),
        (D(2020, 7, 1), None, {("a", "2020H2"): "passed"}),
        (D(2020, 6, 30), None, {("a", "2020H1"): "failed", ("a", "2020H2"): "passed"}),
        (D(2000, 1, 1), D(2020, 4, 1), {("a", "2020H1"): "failed"}),
    ):
        org = attrs.evolve(branch(founded=founded), dissolved=dissolved)
        led = ledger(
            branches=[org], members=[with_(activist("a"), reviews=(review(D(2020, 9, 1)),))]
        )
        found = judged(led, "2020", as_of=D(2021, 1, 15), rule="recruit.activist_review")
        assert found == expected, (founded, dissolved)


def test_activist_reviews_stop_at_the_candidate_date_and_need_a_ledger_that_keeps_them() -> None:
    moved_on = member(
        "c",
        status=MemberStatus.CANDIDATE,
        applied=D(2019, 1, 1),
        activist=D(2019, 5, 1),
        candidate=D(2020, 7, 1),
    )
    led = ledger(members=[with_(moved_on, reviews=(review(D(2020, 2, 1)),)), activist("a")])
    assert judged(led, "2020", as_of=D(2020, 12, 1), rule="recruit.activist_review") == {
        ("c", "2020H1"): "passed",
        ("a", "2020H1"): "failed",
        ("a", "2020H2"): "pending",
    }
    bare = ledger(members=[activist("a")])
    rule = "recruit.activist_review"
    assert judged(bare, "2020H1", as_of=D(2020, 7, 15), rule=rule) == {("a", "2020H1"): "unknown"}
    assert judged(bare, "2020H1", as_of=D(2020, 6, 30), rule=rule) == {("a", "2020H1"): "pending"}


def test_candidate_listing_boundaries() -> None:
    meetings = [
        held("zwh", D(2020, 5, 10), MeetingKind.COMMITTEE_MEETING),
        held("zwh_day", LISTED, MeetingKind.COMMITTEE_MEETING),
        held("dh", D(2020, 5, 10), MeetingKind.GENERAL_MEETING),
        held("zwh_late", LISTED + DAY, MeetingKind.COMMITTEE_MEETING),
        Meeting(id="zwh_b2", kind=MeetingKind.COMMITTEE_MEETING, branch="b2", date=D(2020, 5, 10)),
    ]
    led = ledger(
        branches=[with_committee("b1"), with_committee("b2")],
        meetings=meetings,
        members=[
            *committee_members("b1"),
            *committee_members("b2"),
            candidate("on_day", "zwh", LISTED),
            candidate("same_day", "zwh_day", LISTED),
            candidate("filed_with_meeting", "zwh", D(2020, 5, 10)),
            candidate("filed_late", "zwh", LISTED + DAY),
            candidate("wrong_kind", "dh", LISTED),
            candidate("meeting_late", "zwh_late", LISTED),
            candidate("filed_first", "zwh", D(2020, 5, 9)),
            candidate("other_branch", "zwh_b2", LISTED),
            candidate("unrecorded", None, None),
            candidate("half", "zwh", None),
        ],
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="recruit.candidate_listing") == {
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


def test_candidate_listing_by_a_branch_without_a_committee_cannot_be_told() -> None:
    led = ledger(
        branches=[branch("b1", committee=[seat("b1-sec")])],
        meetings=[held("dh", D(2020, 5, 10), MeetingKind.GENERAL_MEETING)],
        members=[member("b1-sec"), candidate("c", "dh", LISTED)],
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="recruit.candidate_listing") == {
        ("c", "2020-05"): "unknown"
    }


def test_conversion_decision_boundaries() -> None:
    deadline = D(2020, 4, 1)
    led = ledger(
        members=[
            probationer("on_day", status=MemberStatus.FULL, converted=deadline),
            probationer("late", status=MemberStatus.FULL, converted=deadline + DAY),
            probationer("none"),
            with_(probationer("cancelled"), probation_cancelled=D(2020, 3, 20)),
            probationer("undated", status=MemberStatus.FULL),
        ]
    )
    rule = "recruit.conversion_decision"
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule=rule) == {
        ("on_day", "2020-03"): "passed",
        ("late", "2020-03"): "failed",
        ("none", "2020-03"): "failed",
        ("cancelled", "2020-03"): "passed",
        ("undated", "2020-03"): "unknown",
    }
    # an overdue decision is judged again the next year; an undated conversion is not
    assert judged(led, "2021", as_of=D(2022, 1, 15), rule=rule) == {("none", "2020-03"): "failed"}
    alone = ledger(members=[probationer("m")])
    assert judged(alone, "2020", as_of=deadline, rule=rule) == {("m", "2020-03"): "pending"}
    assert judged(alone, "2020", as_of=deadline + DAY, rule=rule) == {("m", "2020-03"): "failed"}


def test_conversion_decision_after_an_extension() -> None:
    ends = D(2020, 3, 1)
    led = ledger(
        members=[
            probationer("ext", extension=(ends, 6)),
            probationer(
                "ext_ok", status=MemberStatus.FULL, extension=(ends, 6), converted=D(2020, 10, 1)
            ),
        ]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="recruit.conversion_decision") == {
        ("ext", "2020-03"): "passed",
        ("ext", "2020-09"): "failed",
        ("ext_ok", "2020-03"): "passed",
        ("ext_ok", "2020-09"): "passed",
    }


# -- joint_units -------------------------------------------------------------------------------------


def test_joint_units_boundaries() -> None:
    twice = attrs.evolve(joint("twice", 5), units=(*joint("twice", 5).units, "单位0"))
    led = ledger(
        branches=[joint("five", 5), joint("six", 6), joint("none", 0), twice, branch("b1")]
    )
    assert judged(led, "2020", as_of=D(2021, 1, 15), rule="branch.joint_units") == {
        ("five", "2020"): "passed",
        ("six", "2020"): "failed",
        ("none", "2020"): "unknown",
        ("twice", "2020"): "passed",
    }
    # before the rule is in force nothing is judged
    assert judged(led, "2018H1", as_of=D(2019, 1, 15), rule="branch.joint_units") == {}


# -- month arithmetic --------------------------------------------------------------------------------


@given(
    days=st.lists(
        st.tuples(
            st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
            st.integers(-400, 400),
            st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
        ),
        min_size=1,
        max_size=40,
    )
)
@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_month_arithmetic_is_pythons(days: list[tuple[dt.date, int, dt.date]]) -> None:
    import ibis
    import pyarrow as pa

    from dangjian.tables.kinds._common import add_months, iso, month_of, months_between

    table = pa.table(
        {
            "d": pa.array([d for d, _, _ in days], pa.date32()),
            "n": pa.array([n for _, n, _ in days], pa.int64()),
            "e": pa.array([e for _, _, e in days], pa.date32()),
        }
    )
    t = ibis.memtable(table)
    con = ibis.duckdb.connect()
    rows = con.to_pyarrow(
        t.select(
            added=add_months(t.d, t.n),
            between=months_between(t.d, t.e),
            text=iso(t.d),
            **month_of(t.d),
        )
    ).to_pylist()
    for (d, n, e), row in zip(days, rows, strict=True):
        assert row["added"] == py_add_months(d, n)
        assert row["between"] == py_months_between(d, e)
        assert row["text"] == d.isoformat()
        assert row["period"] == f"{d.year:04d}-{d.month:02d}"
        assert row["period_start"] == d.replace(day=1)
        assert row["period_end"] == py_add_months(d.replace(day=1), 1) - DAY


def test_month_arithmetic_clamps_at_the_ends_of_months_and_of_the_calendar() -> None:
    import ibis
    import pyarrow as pa

    from dangjian.tables.kinds._common import add_months

    cases: list[tuple[dt.date, int]] = [
        (D(2020, 1, 31), 1),
        (D(2019, 1, 31), 1),
        (D(2000, 2, 29), 12),
        (D(1900, 2, 28), 0),
        (D(2020, 3, 31), -1),
        (D(9999, 12, 31), 1),
        (D(1, 1, 1), -1),
    ]
    t = ibis.memtable(
        pa.table(
            {
                "d": pa.array([d for d, _ in cases], pa.date32()),
                "n": pa.array([n for _, n in cases], pa.int64()),
            }
        )
    )
    got = ibis.duckdb.connect().to_pyarrow(t.select(x=add_months(t.d, t.n))).column(0).to_pylist()
    assert got == [py_add_months(d, n) for d, n in cases]
    assert got[:2] == [D(2020, 2, 29), D(2019, 2, 28)]


# -- generated ledgers -------------------------------------------------------------------------------

_LIFECYCLE_RULES = [
    "edu.dual_life_org_life",
    "edu.dual_life_group",
    "edu.transfer_away",
    "edu.transfer_refusal",
    "edu.lost_contact_suspend",
    "edu.lost_contact_remove",
    "recruit.activist_review",
    "recruit.candidate_listing",
    "recruit.conversion_decision",
    "branch.joint_units",
]


@given(
    led=lifecycle_ledgers(),
    period=st.sampled_from(["2019", "2020", "2021", "2020H1", "2020H2", "2021Q1", "2020-02"]),
    as_of=st.dates(dt.date(2019, 6, 1), dt.date(2023, 6, 30)),
)
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_lifecycle_ledgers_are_judged_alike(
    led: Ledger, period: str, as_of: dt.date
) -> None:
    """Ledgers dense in away, out-of-contact, suspended and removed members, transfers, reviews,
    listings, probations, leading cadres' meetings and joint units: the same findings."""
    assert led.problems() == []
    objects, rows = same_findings(
        led, period, as_of=as_of, profile="national", only=_LIFECYCLE_RULES
    )
    assert not objects and not rows, f"only objects: {objects}\nonly tables: {rows}"
