"""Meetings, study sessions, elections, talks, training and dues: what a branch does and records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from dangjian.i18n import t
from dangjian.model import _validators as v
from dangjian.model.enums import AbsenceReason, ElectionKind, MeetingKind, StudyAudience, StudyForm
from dangjian.model.month import Month

__all__ = [
    "Absence",
    "Candidate",
    "DuesPayment",
    "Election",
    "HeartToHeartTalk",
    "Meeting",
    "Resolution",
    "StudySession",
    "TrainingRecord",
]

_opt_id = v.optional(v.id_text)


@attrs.frozen(kw_only=True)
class Absence:
    """Somebody who should have attended and did not, with the reason (缺席人及原因).

    Attributes:
        member: The id of the absent member.
        reason: 请假, 出差, 病假, 其他 or 无故缺席.
        note: The reason in the ledger's own words.
    """

    member: str = attrs.field(validator=v.id_text)
    reason: AbsenceReason
    note: str | None = None


@attrs.frozen(kw_only=True)
class Resolution:
    """A resolution put to the vote (决议 and 表决情况).

    Attributes:
        text: What was resolved.
        votes_for: Votes in favour (赞成).
        votes_against: Votes against (反对).
        abstentions: Abstentions (弃权).
    """

    text: str = attrs.field(validator=v.text)
    votes_for: int = attrs.field(default=0, validator=v.non_negative_int)
    votes_against: int = attrs.field(default=0, validator=v.non_negative_int)
    abstentions: int = attrs.field(default=0, validator=v.non_negative_int)


@attrs.frozen(kw_only=True)
class Meeting:
    """A meeting of organisational life, in the shape of the minutes (会议记录) that record it.

    Attendance can be kept by name (``expected``, ``attended``, ``absences``) or, when the minutes
    give only numbers, by count (``expected_count``, ``present_count``); where both are given they
    must agree.

    Attributes:
        id: The meeting's id, unique among meetings in the ledger.
        kind: 支部党员大会, 支委会, 党小组会, 党课, 主题党日, 组织生活会 or 民主评议党员.
        branch: The id of the organisation that held it.
        group: For a 党小组会, the id of the group.
        date: The day it was held.
        start: The time it started, if recorded.
        end: The time it ended, if recorded; not before ``start``.
        place: Where it was held (地点).
        title: Its name and 届次 as the minutes give them.
        topic: What it was about (议题).
        chair: The id of the member who chaired it (主持人).
        recorder: The id of the member who kept the minutes (记录人).
        lecturer: For a 党课, the id of the member who gave it.
        lecturer_name: For a 党课 given by somebody outside the ledger, their name.
        expected: Ids of the members who should attend (应到).
        attended: Ids of the members who attended (出席).
        guests: Names of non-members or guests who sat in (列席).
        absences: Who was absent and why (缺席人及原因).
        expected_count: How many should attend, when names were not recorded.
        present_count: How many attended, when names were not recorded.
        resolutions: The resolutions voted on, with their votes.
        actions: The named actions performed (for a 主题党日: 重温入党志愿书, 思想交流, 集体宣誓 …).
        summary: A summary of what was said (内容摘要).
        rescheduled_from: The fixed day it would have been held on, when it was moved (for example
            because that day was a holiday).
        note: Free remarks.
    """

    id: str = attrs.field(validator=v.id_text)
    kind: MeetingKind
    branch: str = attrs.field(validator=v.id_text)
    group: str | None = attrs.field(default=None, validator=_opt_id)
    date: dt.date
    start: dt.time | None = attrs.field(default=None, validator=v.optional(v.clock_time))
    end: dt.time | None = attrs.field(
        default=None,
        validator=v.optional(
            attrs.validators.and_(v.clock_time, v.not_before("start", "开始时间"))
        ),
    )
    place: str | None = None
    title: str | None = None
    topic: str | None = None
    chair: str | None = attrs.field(default=None, validator=_opt_id)
    recorder: str | None = attrs.field(default=None, validator=_opt_id)
    lecturer: str | None = attrs.field(default=None, validator=_opt_id)
    lecturer_name: str | None = None
    expected: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    attended: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    guests: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    absences: tuple[Absence, ...] = ()
    expected_count: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    present_count: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    resolutions: tuple[Resolution, ...] = ()
    actions: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    summary: str | None = None
    rescheduled_from: dt.date | None = None
    note: str | None = None

    @property
    def number_expected(self) -> int | None:
        """How many should have attended (应到人数): the count, or the number of names."""
        if self.expected_count is not None:
            return self.expected_count
        return len(self.expected) if self.expected else None

    @property
    def number_present(self) -> int | None:
        """How many attended (实到人数): the count, or the number of names."""
        if self.present_count is not None:
            return self.present_count
        return len(self.attended) if self.attended else None


@attrs.frozen(kw_only=True)
class StudySession:
    """A collective study session (集体学习) of the centre group, the members or all staff.

    Attributes:
        id: The session's id, unique among study sessions in the ledger.
        audience: Who studies: 中心组, 全体党员, 全体干部职工 or 党小组.
        branch: The id of the organisation that held it.
        group: For a 党小组's session, the id of the group.
        date: The day it was held.
        start: The time it started, if recorded.
        duration_minutes: How long it lasted, in minutes.
        form: How it was held (集中学习, 专题研讨, 辅导讲座, 知识测试, 观看教育片, 微党课, 线上平台).
        platform: For online study, the platform (学习强国, 甘肃党建 …).
        topics: What was studied.
        documents: The documents studied (《中国共产党支部工作条例（试行）》 …).
        speaker: The id of the member who led it, if a member did.
        speaker_name: The name of a speaker from outside the ledger.
        attendees: Ids of the members who attended.
        attendee_count: How many people attended in all, staff who are not members included.
        note: Free remarks.
    """

    id: str = attrs.field(validator=v.id_text)
    audience: StudyAudience
    branch: str = attrs.field(validator=v.id_text)
    group: str | None = attrs.field(default=None, validator=_opt_id)
    date: dt.date
    start: dt.time | None = attrs.field(default=None, validator=v.optional(v.clock_time))
    duration_minutes: int | None = attrs.field(default=None, validator=v.optional(v.positive_int))
    form: StudyForm = StudyForm.CONCENTRATED
    platform: str | None = None
    topics: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    documents: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    speaker: str | None = attrs.field(default=None, validator=_opt_id)
    speaker_name: str | None = None
    attendees: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    attendee_count: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    note: str | None = None


@attrs.frozen(kw_only=True)
class Candidate:
    """A candidate in an election and the votes they got.

    Attributes:
        member: The id of the candidate.
        votes: The "yes" votes they got, once counted.
    """

    member: str = attrs.field(validator=v.id_text)
    votes: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))


@attrs.frozen(kw_only=True)
class Election:
    """A branch's 换届选举 or a by-election (补选).

    Attributes:
        id: The election's id, unique among elections in the ledger.
        branch: The id of the organisation that elected.
        kind: 换届选举 or 补选.
        date: The day of the election meeting.
        seats: How many seats were to be filled (应选).
        candidates: The candidates and their votes.
        voters_expected: Ids of the voters who should attend (应到会有选举权的党员).
        voters_present: Ids of the voters present (实到会).
        expected_count: How many voters should attend, when names were not recorded.
        present_count: How many voters were present, when names were not recorded.
        ballots_issued: Ballots handed out (发出选票).
        ballots_returned: Ballots returned (收回选票).
        elected: Ids of the members elected.
        note: Free remarks.
    """

    id: str = attrs.field(validator=v.id_text)
    branch: str = attrs.field(validator=v.id_text)
    kind: ElectionKind = ElectionKind.GENERAL
    date: dt.date
    seats: int = attrs.field(validator=v.positive_int)
    candidates: tuple[Candidate, ...] = ()
    voters_expected: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    voters_present: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    expected_count: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    present_count: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    ballots_issued: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    ballots_returned: int | None = attrs.field(
        default=None, validator=v.optional(v.non_negative_int)
    )
    elected: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    note: str | None = None


@attrs.frozen(kw_only=True)
class HeartToHeartTalk:
    """A heart-to-heart talk (谈心谈话) between two members.

    Attributes:
        id: The talk's id, unique among talks in the ledger.
        initiator: The id of the member who held the talk.
        partner: The id of the member talked with; not the initiator.
        date: The day of the talk.
        topic: What it was about.
        note: Free remarks.
    """

    id: str = attrs.field(validator=v.id_text)
    initiator: str = attrs.field(validator=v.id_text)
    partner: str = attrs.field(validator=v.id_text)
    date: dt.date
    topic: str | None = None
    note: str | None = None

    @partner.validator
    def _not_self(self, a: attrs.Attribute[str], value: str) -> None:
        if value == self.initiator:
            raise v.FieldError(a.name, t("谈话双方不能是同一人"))


@attrs.frozen(kw_only=True)
class TrainingRecord:
    """Hours of education and training (教育培训学时) a member completed.

    Attributes:
        id: The record's id, unique among training records in the ledger.
        member: The id of the member trained.
        date: The day the training ended (or took place).
        hours: The class hours credited (学时).
        course: The course or programme.
        organiser: Who ran it.
        note: Free remarks.
    """

    id: str = attrs.field(validator=v.id_text)
    member: str = attrs.field(validator=v.id_text)
    date: dt.date
    hours: Decimal = attrs.field(validator=v.non_negative)
    course: str = attrs.field(validator=v.text)
    organiser: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class DuesPayment:
    """A payment of party dues (党费) for one month.

    Attributes:
        id: The payment's id, unique among dues payments in the ledger.
        member: The id of the member who paid.
        month: The month paid for.
        amount: The amount paid, in 元.
        base: The monthly income the amount was computed on, in 元: pay after tax, or for
            retirees the basic pension (基本离退休费或基本养老金, allowances not included).
        paid_on: The day it was paid, if recorded; a payment after the month (or, paying
            quarterly, after the quarter) is a back payment (补交).
        voluntary: Whether this is a voluntary extra payment rather than the month's dues.
        note: Free remarks.
    """

    id: str = attrs.field(validator=v.id_text)
    member: str = attrs.field(validator=v.id_text)
    month: Month
    amount: Decimal = attrs.field(validator=v.non_negative)
    base: Decimal | None = attrs.field(default=None, validator=v.optional(v.non_negative))
    paid_on: dt.date | None = None
    voluntary: bool = False
    note: str | None = None
