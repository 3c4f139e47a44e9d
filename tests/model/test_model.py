"""The entities' own validators, at their boundaries, and the labelled enumerations."""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal
from typing import Any

import pytest

import dangjian
from dangjian import (
    Absence,
    AbsenceReason,
    ActivistReview,
    Appraisal,
    AppraisalKind,
    Branch,
    Candidate,
    CommitteeRole,
    CommitteeSeat,
    Donation,
    DuesPayment,
    Election,
    ElectionDelay,
    FollowUp,
    Gender,
    Grade,
    HeartToHeartTalk,
    JointActivity,
    LabelledEnum,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Milestones,
    Month,
    OrgCategory,
    OrgLevel,
    PairingVillage,
    PartyGroup,
    PovertyProject,
    ProbationExtension,
    RectificationItem,
    RectificationSource,
    RectificationStatus,
    Resolution,
    ResponsibilityLetter,
    ServiceActivity,
    ServiceKind,
    StudyAudience,
    StudySession,
    TrainingRecord,
    Transfer,
    TransferDirection,
    VillageTraining,
    VillageVisit,
    VolunteerWork,
)

D = dt.date
DAY = dt.timedelta(days=1)

# The least each entity needs; every test changes one thing from here.
VALID: dict[type[Any], dict[str, Any]] = {
    Branch: {
        "id": "b1",
        "name": "第一党支部",
        "level": OrgLevel.BRANCH,
        "category": OrgCategory.ORGAN,
    },
    CommitteeSeat: {"role": CommitteeRole.SECRETARY, "member": "m1"},
    ElectionDelay: {
        "approved_on": D(2023, 2, 1),
        "approved_by": "机关党委",
        "election_date": D(2023, 9, 30),
    },
    PartyGroup: {"id": "g1", "name": "第一党小组", "branch": "b1"},
    Member: {
        "id": "m1",
        "name": "张三",
        "gender": Gender.MALE,
        "branch": "b1",
        "status": MemberStatus.FULL,
    },
    Milestones: {},
    ProbationExtension: {"decided": D(2020, 1, 1), "months": 6},
    Transfer: {"direction": TransferDirection.OUT, "requested": D(2020, 1, 1)},
    ActivistReview: {"date": D(2020, 5, 15), "branch": "b1"},
    Absence: {"member": "m1", "reason": AbsenceReason.LEAVE},
    Resolution: {"text": "同意"},
    Meeting: {"id": "mt1", "kind": MeetingKind.THEME_DAY, "branch": "b1", "date": D(2020, 5, 15)},
    StudySession: {
        "id": "s1",
        "audience": StudyAudience.ALL_MEMBERS,
        "branch": "b1",
        "date": D(2020, 5, 15),
    },
    Candidate: {"member": "m1"},
    Election: {"id": "e1", "branch": "b1", "date": D(2020, 5, 15), "seats": 3},
    HeartToHeartTalk: {"id": "t1", "initiator": "m1", "partner": "m2", "date": D(2020, 5, 15)},
    TrainingRecord: {
        "id": "tr1",
        "member": "m1",
        "date": D(2020, 5, 15),
        "hours": Decimal(8),
        "course": "培训班",
    },
    DuesPayment: {"id": "d1", "member": "m1", "month": Month(2020, 5), "amount": Decimal(10)},
    JointActivity: {"date": D(2020, 5, 15), "kind": "联学"},
    PovertyProject: {"name": "饮水工程", "applied": D(2020, 5, 15)},
    VillageTraining: {"date": D(2020, 5, 15), "topic": "种植技术"},
    Donation: {"item": "面粉", "quantity": Decimal(50), "unit": "袋"},
    VillageVisit: {"date": D(2020, 5, 15), "title": "慰问"},
    VolunteerWork: {"date": D(2020, 5, 15), "title": "义务劳动"},
    PairingVillage: {
        "id": "p1",
        "county": "X县",
        "town": "X镇",
        "village": "X村",
        "branch": "b1",
        "since": D(2019, 1, 1),
    },
    FollowUp: {"date": D(2020, 5, 15), "finding": "已整改"},
    RectificationItem: {
        "id": "r1",
        "source": RectificationSource.INSPECTION,
        "raised": D(2020, 5, 15),
        "problem": "记录不全",
    },
    ResponsibilityLetter: {
        "id": "l1",
        "year": 2020,
        "signed": D(2020, 2, 1),
        "issuer": "局党委",
        "signatory": "支部书记",
        "subject": "责任书",
    },
    Appraisal: {
        "id": "a1",
        "kind": AppraisalKind.MEMBER_APPRAISAL,
        "date": D(2020, 5, 15),
        "member": "m1",
        "branch": "b1",
        "grade": Grade.GOOD,
    },
    ServiceActivity: {
        "id": "sa1",
        "kind": ServiceKind.VOLUNTEER,
        "title": "志愿服务",
        "branch": "b1",
        "start": D(2020, 5, 15),
    },
}


def make(cls: type[Any], **changes: Any) -> Any:
    return cls(**{**VALID[cls], **changes})


def rejects(cls: type[Any], field: str, **changes: Any) -> None:
    """Building ``cls`` with ``changes`` fails, naming ``field``."""
    with pytest.raises(ValueError) as caught:
        make(cls, **changes)
    named = getattr(caught.value, "field", None)
    assert named is not None, f"no field named in {caught.value!r}"
    assert named == field or named.startswith((f"{field}[", f"{field}.")), named


@pytest.mark.parametrize("cls", list(VALID), ids=lambda c: c.__name__)
def test_the_minimal_record_is_valid_and_frozen(cls: type[Any]) -> None:
    record = make(cls)
    assert record == make(cls)
    if VALID[cls]:
        with pytest.raises(AttributeError):
            setattr(record, next(iter(VALID[cls])), None)


# -- text and ids ----------------------------------------------------------------------------

REQUIRED_TEXT = [
    (Branch, "id"),
    (Branch, "name"),
    (CommitteeSeat, "member"),
    (ElectionDelay, "approved_by"),
    (PartyGroup, "id"),
    (PartyGroup, "name"),
    (PartyGroup, "branch"),
    (Member, "id"),
    (Member, "name"),
    (Member, "branch"),
    (Absence, "member"),
    (Resolution, "text"),
    (Meeting, "id"),
    (Meeting, "branch"),
    (StudySession, "id"),
    (StudySession, "branch"),
    (Candidate, "member"),
    (Election, "id"),
    (Election, "branch"),
    (HeartToHeartTalk, "id"),
    (HeartToHeartTalk, "initiator"),
    (HeartToHeartTalk, "partner"),
    (TrainingRecord, "id"),
    (TrainingRecord, "member"),
    (TrainingRecord, "course"),
    (DuesPayment, "id"),
    (DuesPayment, "member"),
    (JointActivity, "kind"),
    (PovertyProject, "name"),
    (VillageTraining, "topic"),
    (Donation, "item"),
    (Donation, "unit"),
    (VillageVisit, "title"),
    (VolunteerWork, "title"),
    (PairingVillage, "id"),
    (PairingVillage, "county"),
    (PairingVillage, "town"),
    (PairingVillage, "village"),
    (PairingVillage, "branch"),
    (FollowUp, "finding"),
    (RectificationItem, "id"),
    (RectificationItem, "problem"),
    (ResponsibilityLetter, "id"),
    (ResponsibilityLetter, "issuer"),
    (ResponsibilityLetter, "signatory"),
    (ResponsibilityLetter, "subject"),
    (ActivistReview, "branch"),
    (Appraisal, "id"),
    (Appraisal, "member"),
    (Appraisal, "branch"),
    (ServiceActivity, "id"),
    (ServiceActivity, "title"),
    (ServiceActivity, "branch"),
]

OPTIONAL_IDS = [
    (Branch, "parent"),
    (PartyGroup, "leader"),
    (Member, "group"),
    (Member, "candidate_meeting"),
    (Meeting, "group"),
    (Meeting, "chair"),
    (Meeting, "recorder"),
    (Meeting, "lecturer"),
    (StudySession, "group"),
    (StudySession, "speaker"),
    (JointActivity, "meeting"),
    (PairingVillage, "first_secretary"),
    (PairingVillage, "team_leader"),
    (RectificationItem, "branch"),
    (ResponsibilityLetter, "branch"),
]

BAD_TEXT = ["", " ", "\t", "\u3000", " x", "x ", "x\n", "\u3000x"]


def _name(param: Any) -> str:
    return param.__name__ if isinstance(param, type) else str(param)


@pytest.mark.parametrize(("cls", "field"), REQUIRED_TEXT, ids=_name)
@pytest.mark.parametrize("bad", BAD_TEXT, ids=repr)
def test_required_text_rejects_empty_and_blank_padded(cls: type[Any], field: str, bad: str) -> None:
    rejects(cls, field, **{field: bad})


@pytest.mark.parametrize(("cls", "field"), REQUIRED_TEXT, ids=_name)
def test_required_text_accepts_inner_blanks_and_a_single_character(
    cls: type[Any], field: str
) -> None:
    assert getattr(make(cls, **{field: "a b"}), field) == "a b"
    assert getattr(make(cls, **{field: "甲"}), field) == "甲"


@pytest.mark.parametrize(("cls", "field"), REQUIRED_TEXT, ids=_name)
def test_required_text_rejects_non_text(cls: type[Any], field: str) -> None:
    rejects(cls, field, **{field: None})


@pytest.mark.parametrize(("cls", "field"), OPTIONAL_IDS, ids=_name)
def test_optional_ids_accept_none_and_reject_blanks(cls: type[Any], field: str) -> None:
    assert getattr(make(cls, **{field: None}), field) is None
    assert getattr(make(cls, **{field: "x1"}), field) == "x1"
    rejects(cls, field, **{field: ""})
    rejects(cls, field, **{field: " x1"})


ID_LISTS = [
    (Member, "mentors"),
    (Member, "sponsors"),
    (Meeting, "expected"),
    (Meeting, "attended"),
    (StudySession, "attendees"),
    (Election, "voters_expected"),
    (Election, "voters_present"),
    (Election, "elected"),
    (VillageVisit, "visitors"),
    (VolunteerWork, "volunteers"),
    (PairingVillage, "team_members"),
    (ServiceActivity, "participants"),
]

TEXT_LISTS = [
    (Branch, "units"),
    (Meeting, "guests"),
    (Meeting, "actions"),
    (StudySession, "topics"),
    (StudySession, "documents"),
    (RectificationItem, "measures"),
    (RectificationItem, "evidence"),
]


@pytest.mark.parametrize(("cls", "field"), ID_LISTS, ids=_name)
def test_id_lists_reject_a_repeated_id(cls: type[Any], field: str) -> None:
    assert getattr(make(cls, **{field: ("m1", "m2", "m3")}), field) == ("m1", "m2", "m3")
    with pytest.raises(ValueError) as caught:
        make(cls, **{field: ("m1", "m2", "m1")})
    assert caught.value.field == f"{field}[2]"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("cls", "field"), ID_LISTS + TEXT_LISTS, ids=_name)
def test_lists_reject_empty_or_padded_items_at_their_index(cls: type[Any], field: str) -> None:
    assert getattr(make(cls, **{field: ()}), field) == ()
    for bad in ("", " m9", "m9 "):
        with pytest.raises(ValueError) as caught:
            make(cls, **{field: ("m1", bad)})
        assert caught.value.field == f"{field}[1]"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("cls", "field"), TEXT_LISTS, ids=_name)
def test_text_lists_may_repeat(cls: type[Any], field: str) -> None:
    assert getattr(make(cls, **{field: ("同", "同")}), field) == ("同", "同")


# -- numbers ---------------------------------------------------------------------------------

DECIMALS = [
    (TrainingRecord, "hours", True),
    (DuesPayment, "amount", True),
    (DuesPayment, "base", False),
    (PovertyProject, "funds", False),
    (Donation, "quantity", True),
    (Appraisal, "score", False),
]


@pytest.mark.parametrize(("cls", "field", "required"), DECIMALS, ids=_name)
def test_decimals_are_finite_and_not_negative(cls: type[Any], field: str, required: bool) -> None:
    assert getattr(make(cls, **{field: Decimal("0")}), field) == 0
    assert getattr(make(cls, **{field: Decimal("0.01")}), field) == Decimal("0.01")
    assert getattr(make(cls, **{field: Decimal("12.50")}), field) == Decimal("12.5")
    for bad in ("-0.01", "-1", "NaN", "sNaN", "Infinity", "-Infinity"):
        rejects(cls, field, **{field: Decimal(bad)})
    # money is never a float
    rejects(cls, field, **{field: 12.5})
    if required:
        rejects(cls, field, **{field: None})
    else:
        assert getattr(make(cls, **{field: None}), field) is None


NON_NEGATIVE_INTS = [
    (Resolution, "votes_for"),
    (Resolution, "votes_against"),
    (Resolution, "abstentions"),
    (Meeting, "expected_count"),
    (Meeting, "present_count"),
    (StudySession, "attendee_count"),
    (Candidate, "votes"),
    (Election, "expected_count"),
    (Election, "present_count"),
    (Election, "ballots_issued"),
    (Election, "ballots_returned"),
    (VillageTraining, "trainees"),
    (Appraisal, "evaluators"),
]


@pytest.mark.parametrize(("cls", "field"), NON_NEGATIVE_INTS, ids=_name)
def test_counts_are_whole_numbers_of_at_least_zero(cls: type[Any], field: str) -> None:
    assert getattr(make(cls, **{field: 0}), field) == 0
    assert getattr(make(cls, **{field: 1}), field) == 1
    rejects(cls, field, **{field: -1})
    rejects(cls, field, **{field: True})
    rejects(cls, field, **{field: 1.0})


POSITIVE_INTS = [
    (Election, "seats"),
    (ProbationExtension, "months"),
    (StudySession, "duration_minutes"),
]


@pytest.mark.parametrize(("cls", "field"), POSITIVE_INTS, ids=_name)
def test_positive_whole_numbers(cls: type[Any], field: str) -> None:
    assert getattr(make(cls, **{field: 1}), field) == 1
    rejects(cls, field, **{field: 0})
    rejects(cls, field, **{field: -1})
    rejects(cls, field, **{field: True})


@pytest.mark.parametrize(
    ("cls", "field", "low", "high"),
    [
        (Branch, "theme_day", 1, 31),
        (Branch, "term_years", 1, 10),
        (ResponsibilityLetter, "year", 1921, 9999),
    ],
    ids=_name,
)
def test_ranges_are_inclusive(cls: type[Any], field: str, low: int, high: int) -> None:
    assert getattr(make(cls, **{field: low}), field) == low
    assert getattr(make(cls, **{field: high}), field) == high
    rejects(cls, field, **{field: low - 1})
    rejects(cls, field, **{field: high + 1})
    rejects(cls, field, **{field: True})


def test_theme_day_and_term_years_are_optional() -> None:
    branch = make(Branch)
    assert branch.theme_day is None
    assert branch.term_years is None


# -- months ----------------------------------------------------------------------------------


@pytest.mark.parametrize("month", [1, 12])
def test_month_accepts_one_to_twelve(month: int) -> None:
    assert Month(2020, month).month == month


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_rejects_others(month: int) -> None:
    with pytest.raises(ValueError):
        Month(2020, month)


@pytest.mark.parametrize("year", [0, 10000])
def test_month_rejects_years_outside_the_calendar(year: int) -> None:
    with pytest.raises(ValueError):
        Month(year, 1)


@pytest.mark.parametrize("text", ["2020-00", "2020-13", "2020-5", "20-05", "2020/05", "2020-05-01"])
def test_month_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)


def test_month_parse_order_and_arithmetic() -> None:
    assert Month.parse("2020-01") == Month(2020, 1)
    assert Month.parse("2020-12").next() == Month(2021, 1)
    assert Month(2020, 2).last_day == D(2020, 2, 29)
    assert Month(2021, 2).last_day == D(2021, 2, 28)
    assert Month(2019, 12) < Month(2020, 1) < Month(2020, 2)
    assert Month.of(D(2020, 7, 31)) == Month(2020, 7)
    assert str(Month(987, 3)) == "0987-03"


# -- dates in order ------------------------------------------------------------------------

ORDERED = [
    (Milestones, "applied", "first_talk"),
    (Milestones, "applied", "activist"),
    (Milestones, "activist", "candidate"),
    (Milestones, "candidate", "admitted"),
    (Milestones, "admitted", "converted"),
    (Branch, "founded", "dissolved"),
    (CommitteeSeat, "start", "end"),
    (ElectionDelay, "approved_on", "election_date"),
    (PovertyProject, "applied", "approved"),
    (PairingVillage, "since", "until"),
    (RectificationItem, "raised", "deadline"),
    (ServiceActivity, "start", "end"),
    (Member, "away_since", "away_until"),
    (Member, "lost_contact", "suspended"),
    (Member, "lost_contact", "contact_restored"),
    (Transfer, "requested", "completed"),
]


@pytest.mark.parametrize(("cls", "earlier", "later"), ORDERED, ids=_name)
def test_later_date_may_equal_but_not_precede_the_earlier(
    cls: type[Any], earlier: str, later: str
) -> None:
    day = D(2020, 6, 1)
    assert getattr(make(cls, **{earlier: day, later: day}), later) == day
    assert getattr(make(cls, **{earlier: day, later: day + DAY}), later) == day + DAY
    rejects(cls, later, **{earlier: day, later: day - DAY})


# a later date that means nothing without the earlier one (a return without going away)
NEEDS_EARLIER = {(Member, "away_until"), (Member, "contact_restored")}


@pytest.mark.parametrize(
    ("cls", "earlier", "later"),
    [(c, e, x) for c, e, x in ORDERED if e not in VALID[c] and (c, x) not in NEEDS_EARLIER],
    ids=_name,
)
def test_order_is_only_checked_when_both_are_set(cls: type[Any], earlier: str, later: str) -> None:
    assert getattr(make(cls, **{later: D(1900, 1, 1)}), later) == D(1900, 1, 1)
    assert getattr(make(cls, **{earlier: D(2100, 1, 1)}), earlier) == D(2100, 1, 1)


def test_milestones_in_full_order() -> None:
    days = [D(2018, 1, 1) + k * 30 * DAY for k in range(6)]
    names = ["applied", "first_talk", "activist", "candidate", "admitted", "converted"]
    milestones = Milestones(**dict(zip(names, days, strict=True)))
    assert [getattr(milestones, n) for n in names] == days


def test_meeting_end_may_equal_start_but_not_precede_it() -> None:
    nine = dt.time(9, 0)
    assert make(Meeting, start=nine, end=nine).end == nine
    assert make(Meeting, start=nine, end=dt.time(9, 1)).end == dt.time(9, 1)
    rejects(Meeting, "end", start=nine, end=dt.time(8, 59))
    assert make(Meeting, end=dt.time(8, 0)).start is None


def test_rectification_closed_on_the_day_raised_passes_a_day_before_fails() -> None:
    raised = D(2020, 5, 15)
    closed = make(
        RectificationItem, raised=raised, status=RectificationStatus.CLOSED, closed=raised
    )
    assert closed.closed == raised
    rejects(
        RectificationItem,
        "closed",
        raised=raised,
        status=RectificationStatus.CLOSED,
        closed=raised - DAY,
    )


def test_rectification_closed_date_needs_a_status_other_than_open() -> None:
    raised = D(2020, 5, 15)
    rejects(
        RectificationItem, "closed", raised=raised, status=RectificationStatus.OPEN, closed=raised
    )
    ongoing = make(RectificationItem, status=RectificationStatus.ONGOING, closed=raised)
    assert ongoing.closed == raised
    assert make(RectificationItem).status is RectificationStatus.OPEN
    assert make(RectificationItem, status=RectificationStatus.CLOSED).closed is None


# -- cross-field rules ---------------------------------------------------------------------


def test_an_organisation_has_at_most_one_approval_of_its_elections_a_day() -> None:
    """The latest approval stands: two given on one day could not be told apart."""
    first = make(ElectionDelay)
    revised = make(ElectionDelay, election_date=D(2023, 6, 30))
    later = make(ElectionDelay, approved_on=D(2023, 2, 2), election_date=D(2023, 6, 30))
    assert make(Branch, election_delays=(first, later)).election_delays == (first, later)
    rejects(Branch, "election_delays", election_delays=(first, revised))
    with pytest.raises(ValueError) as caught:
        make(Branch, election_delays=(later, first, revised))
    assert "2023-02-01有两项换届延期或提前的批准" in caught.value.message  # type: ignore[attr-defined]


def test_talk_needs_two_different_members() -> None:
    rejects(HeartToHeartTalk, "partner", initiator="m1", partner="m1")
    assert make(HeartToHeartTalk, initiator="m1", partner="m2").partner == "m2"


@pytest.mark.parametrize(
    ("cls", "earlier", "later"),
    [(c, e, x) for c, e, x in ORDERED if (c, x) in NEEDS_EARLIER],
    ids=_name,
)
def test_a_later_date_without_the_earlier_is_rejected_not_ignored(
    cls: type[Any], earlier: str, later: str
) -> None:
    rejects(cls, later, **{later: D(2020, 6, 1)})
    with pytest.raises(ValueError) as caught:
        make(cls, **{later: D(2020, 6, 1)})
    assert re.search(r"[\u4e00-\u9fff]", caught.value.message)  # type: ignore[attr-defined]
    assert earlier in caught.value.message_en  # type: ignore[attr-defined]
    assert getattr(make(cls, **{earlier: D(2020, 6, 1)}), later) is None


def test_a_refusal_reason_needs_the_refusal() -> None:
    rejects(Transfer, "reason", reason="材料不全")
    refused = make(Transfer, refused=True, reason="材料不全")
    assert (refused.refused, refused.reason) == (True, "材料不全")
    assert make(Transfer, refused=True).reason is None


def test_appraisal_needs_a_score_or_a_grade() -> None:
    rejects(Appraisal, "grade", score=None, grade=None)
    assert make(Appraisal, score=Decimal(0), grade=None).score == 0
    assert make(Appraisal, score=None, grade=Grade.COMPETENT).grade is Grade.COMPETENT
    both = make(Appraisal, score=Decimal("90"), grade=Grade.EXCELLENT)
    assert (both.score, both.grade) == (Decimal(90), Grade.EXCELLENT)


def test_field_error_messages_are_in_both_languages() -> None:
    with pytest.raises(ValueError) as caught:
        make(Member, name=" 张三")
    error = caught.value
    assert error.field == "name"  # type: ignore[attr-defined]
    assert re.search(r"[\u4e00-\u9fff]", error.message)  # type: ignore[attr-defined]
    assert error.message_en.isascii()  # type: ignore[attr-defined]
    assert "name" in str(error)


def test_entities_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Absence("m1", AbsenceReason.LEAVE)  # type: ignore[misc]


# -- enumerations ----------------------------------------------------------------------------

ENUMS = sorted(
    (
        obj
        for obj in vars(dangjian).values()
        if isinstance(obj, type) and issubclass(obj, LabelledEnum) and obj is not LabelledEnum
    ),
    key=lambda e: e.__name__,
)

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_enumeration_of_the_model_is_public() -> None:
    from dangjian.model import enums

    in_model = {
        obj
        for obj in vars(enums).values()
        if isinstance(obj, type) and issubclass(obj, LabelledEnum) and obj is not LabelledEnum
    }
    assert in_model
    assert in_model <= set(ENUMS)
    assert {e.__name__ for e in in_model} == set(enums.__all__) - {"LabelledEnum"}


@pytest.mark.parametrize("cls", ENUMS, ids=_name)
def test_every_value_has_an_ascii_code_a_chinese_and_an_english_label(
    cls: type[LabelledEnum],
) -> None:
    assert len(cls) >= 2
    for member in cls:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", member.code), member
        assert member.value == member.code
        assert member.label.strip() == member.label
        assert CJK.search(member.label), member
        assert member.label_en.strip() == member.label_en
        assert member.label_en, member
        assert member.label_en.isascii(), member
        assert str(member) == member.label


@pytest.mark.parametrize("cls", ENUMS, ids=_name)
def test_codes_and_labels_are_unique_within_an_enum(cls: type[LabelledEnum]) -> None:
    members = list(cls)
    # no aliases: two names with one code would collapse into one value
    assert len(members) == len(cls.__members__)
    for attr in ("code", "label", "label_en"):
        values = [getattr(m, attr) for m in members]
        assert len(set(values)) == len(values), (cls, attr)
    # a code of one value is never the label of another, so parsing is unambiguous
    for m in members:
        for other in members:
            if other is not m:
                assert m.code != other.label


@pytest.mark.parametrize("cls", ENUMS, ids=_name)
def test_parse_accepts_code_and_chinese_label(cls: type[LabelledEnum]) -> None:
    for member in cls:
        assert cls.parse(member.code) is member
        assert cls.parse(member.label) is member
        assert cls(member.code) is member


@pytest.mark.parametrize("cls", ENUMS, ids=_name)
def test_parse_rejects_anything_else(cls: type[LabelledEnum]) -> None:
    member = next(iter(cls))
    codes_and_labels = {m.code for m in cls} | {m.label for m in cls}
    candidates = [
        "",
        " ",
        member.code.upper(),
        f" {member.code}",
        f"{member.label} ",
        member.name if member.name != member.code else member.name + "!",
        "未知",
        "unknown value",
    ]
    candidates += [m.label_en for m in cls]
    for text in candidates:
        if text in codes_and_labels:
            continue
        with pytest.raises(ValueError, match=cls.__name__):
            cls.parse(text)


@pytest.mark.parametrize("cls", ENUMS, ids=_name)
def test_choices_lists_every_label_and_code(cls: type[LabelledEnum]) -> None:
    choices = cls.choices()
    for member in cls:
        assert f"{member.label}({member.code})" in choices


def test_enums_are_enums_and_compare_by_identity() -> None:
    assert issubclass(MeetingKind, enum.Enum)
    assert MeetingKind.parse("主题党日") is MeetingKind.THEME_DAY
    assert MeetingKind.THEME_DAY != "theme_day"


def test_member_status_predicates() -> None:
    assert {s for s in MemberStatus if s.is_member} == {
        MemberStatus.PROBATIONARY,
        MemberStatus.FULL,
    }
    current = {
        MemberStatus.APPLICANT,
        MemberStatus.ACTIVIST,
        MemberStatus.CANDIDATE,
        MemberStatus.PROBATIONARY,
        MemberStatus.FULL,
    }
    assert {s for s in MemberStatus if not s.has_left} == current


@pytest.mark.parametrize(
    "start",
    [dt.time(9, 0, 0, 5), dt.time(9, 0, tzinfo=dt.UTC)],
    ids=["microseconds", "time zone"],
)
def test_meeting_times_are_plain_clock_times(start: dt.time) -> None:
    with pytest.raises(ValueError, match="time of day"):
        dangjian.Meeting(
            id="m",
            kind=dangjian.MeetingKind.THEME_DAY,
            branch="b",
            date=dt.date(2020, 1, 1),
            start=start,
        )
    dangjian.Meeting(
        id="m",
        kind=dangjian.MeetingKind.THEME_DAY,
        branch="b",
        date=dt.date(2020, 1, 1),
        start=start.replace(microsecond=0, tzinfo=None),
    )
