"""Meetings, study sessions, elections, talks, training and dues: what a branch does and records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from dangjian.i18n import t
from dangjian.model import _validators as v
from dangjian.model._declare import field, record_kind, ref
from dangjian.model.enums import AbsenceReason, ElectionKind, MeetingKind, StudyAudience, StudyForm
from dangjian.model.month import Month
from dangjian.model.pay import DEDUCTIONS, deduct, deductions_exceed_message

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


@attrs.frozen(kw_only=True)
class Absence:
    """Somebody who should have attended and did not, with the reason (缺席人及原因).

    Attributes:
        member: The id of the absent member.
        reason: 请假, 出差, 病假, 其他 or 无故缺席.
        note: The reason in the ledger's own words.
    """

    member: str = ref("members", "缺席人")
    reason: AbsenceReason = field("缺席原因")
    note: str | None = field("原因说明", default=None)


@attrs.frozen(kw_only=True)
class Resolution:
    """A resolution put to the vote (决议 and 表决情况).

    Attributes:
        text: What was resolved.
        votes_for: Votes in favour (赞成).
        votes_against: Votes against (反对).
        abstentions: Abstentions (弃权).
    """

    text: str = field("决议内容", validator=v.text)
    votes_for: int = field("赞成票数", default=0, validator=v.non_negative_int)
    votes_against: int = field("反对票数", default=0, validator=v.non_negative_int)
    abstentions: int = field("弃权票数", default=0, validator=v.non_negative_int)


@v.passes_when("{x} == ()")
def _other_kinds(inst: Meeting, a: attrs.Attribute[tuple[MeetingKind, ...]], value: Any) -> None:
    """The other kinds a meeting served as: each at most once, its own kind not among them."""
    seen: set[MeetingKind] = set()
    for i, kind in enumerate(value):
        if kind is inst.kind:
            raise v.FieldError(
                f"{a.name}[{i}]",
                t("「{kind}」已是会议类型，不必再列为同时作为的会议类型", kind=kind.msg),
            )
        if kind in seen:
            raise v.FieldError(f"{a.name}[{i}]", t("「{item}」重复出现", item=kind.msg))
        seen.add(kind)


@record_kind("meetings", "会议", en="meeting")
@attrs.frozen(kw_only=True)
class Meeting:
    """A meeting of organisational life, in the shape of the minutes (会议记录) that record it.

    Attendance can be kept by name (``expected``, ``attended``, ``absences``) or, when the minutes
    give only numbers, by count (``expected_count``, ``present_count``); where both are given they
    must agree.

    Attributes:
        id: The meeting's id, unique among meetings in the ledger.
        kind: 支部党员大会, 支委会, 党小组会, 党课, 主题党日, 组织生活会 or 民主评议党员.
        also: The other kinds the same meeting also served as (同时作为), when one meeting was
            held as several: the quarter's 支部党员大会 held on the month's 主题党日, or a 党课
            given at it. Each kind at most once, ``kind`` not among them; see :attr:`kinds`.
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

    id: str = field("编号", validator=v.id_text)
    kind: MeetingKind = field("会议类型")
    also: tuple[MeetingKind, ...] = field(
        "同时作为的会议类型",
        en="also serves as",
        default=(),
        validator=_other_kinds,
    )
    branch: str = ref("branches", "召开会议的党组织")
    group: str | None = ref("groups", "党小组", default=None)
    date: dt.date = field("会议日期")
    start: dt.time | None = field("开始时间", default=None, validator=v.optional(v.clock_time))
    end: dt.time | None = field(
        "结束时间",
        default=None,
        validator=v.optional(
            attrs.validators.and_(v.clock_time, v.not_before("start", "开始时间"))
        ),
    )
    place: str | None = field("地点", default=None)
    title: str | None = field("会议名称及届次", default=None)
    topic: str | None = field("议题", default=None)
    chair: str | None = ref("members", "主持人", default=None)
    recorder: str | None = ref("members", "记录人", default=None)
    lecturer: str | None = ref("members", "授课人", default=None)
    lecturer_name: str | None = field("授课人姓名（台账外）", default=None)
    expected: tuple[str, ...] = ref("members", "应到人员", default=())
    attended: tuple[str, ...] = ref("members", "出席人", default=())
    guests: tuple[str, ...] = field("列席人", default=(), validator=v.texts)
    absences: tuple[Absence, ...] = field("缺席人及原因", header="缺席", default=())
    expected_count: int | None = field(
        "应到人数", default=None, validator=v.optional(v.non_negative_int)
    )
    present_count: int | None = field(
        "实到人数", default=None, validator=v.optional(v.non_negative_int)
    )
    resolutions: tuple[Resolution, ...] = field("决议及表决情况", header="决议", default=())
    actions: tuple[str, ...] = field("活动环节", default=(), validator=v.texts)
    summary: str | None = field("内容摘要", default=None)
    rescheduled_from: dt.date | None = field("原定日期", default=None)
    note: str | None = field("备注", default=None)

    @property
    def kinds(self) -> tuple[MeetingKind, ...]:
        """Every kind the meeting served as: :attr:`kind`, then those of :attr:`also`.

        >>> m = Meeting(id="m1", kind=MeetingKind.THEME_DAY, also=(MeetingKind.GENERAL_MEETING,),
        ...             branch="b1", date=dt.date(2024, 3, 5))
        >>> [k.label for k in m.kinds]
        ['主题党日', '支部党员大会']
        >>> m.serves(MeetingKind.GENERAL_MEETING), m.serves(MeetingKind.PARTY_LECTURE)
        (True, False)
        """
        return (self.kind, *self.also)

    def serves(self, kind: MeetingKind) -> bool:
        """Whether the meeting served as a meeting of ``kind``: its :attr:`kind` or one of
        :attr:`also`. A rule about meetings of a kind judges every meeting that served as one."""
        return kind is self.kind or kind in self.also

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


@record_kind("study_sessions", "学习", en="study session")
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

    id: str = field("编号", validator=v.id_text)
    audience: StudyAudience = field("学习对象")
    branch: str = ref("branches", "组织学习的党组织")
    group: str | None = ref("groups", "党小组", default=None)
    date: dt.date = field("学习日期")
    start: dt.time | None = field("开始时间", default=None, validator=v.optional(v.clock_time))
    duration_minutes: int | None = field(
        "时长（分钟）", default=None, validator=v.optional(v.positive_int)
    )
    form: StudyForm = field("学习形式", default=StudyForm.CONCENTRATED)
    platform: str | None = field("学习平台", default=None)
    topics: tuple[str, ...] = field("学习内容", default=(), validator=v.texts)
    documents: tuple[str, ...] = field("学习文件", default=(), validator=v.texts)
    speaker: str | None = ref("members", "领学人（主讲人）", default=None)
    speaker_name: str | None = field("主讲人姓名（台账外）", default=None)
    attendees: tuple[str, ...] = ref("members", "参学人员", default=())
    attendee_count: int | None = field(
        "参学人数", default=None, validator=v.optional(v.non_negative_int)
    )
    note: str | None = field("备注", default=None)


@attrs.frozen(kw_only=True)
class Candidate:
    """A candidate in an election and the votes they got.

    Attributes:
        member: The id of the candidate.
        votes: The "yes" votes they got, once counted.
    """

    member: str = ref("members", "候选人")
    votes: int | None = field("得票数", default=None, validator=v.optional(v.non_negative_int))


@record_kind("elections", "选举", en="election")
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

    id: str = field("编号", validator=v.id_text)
    branch: str = ref("branches", "选举单位")
    kind: ElectionKind = field("选举类型", default=ElectionKind.GENERAL)
    date: dt.date = field("选举日期")
    seats: int = field("应选人数", validator=v.positive_int)
    candidates: tuple[Candidate, ...] = field("候选人及得票", header="候选人", default=())
    voters_expected: tuple[str, ...] = ref("members", "应到会有选举权的党员", default=())
    voters_present: tuple[str, ...] = ref("members", "实到会党员", default=())
    expected_count: int | None = field(
        "应到人数", default=None, validator=v.optional(v.non_negative_int)
    )
    present_count: int | None = field(
        "实到人数", default=None, validator=v.optional(v.non_negative_int)
    )
    ballots_issued: int | None = field(
        "发出选票数", default=None, validator=v.optional(v.non_negative_int)
    )
    ballots_returned: int | None = field(
        "收回选票数", default=None, validator=v.optional(v.non_negative_int)
    )
    elected: tuple[str, ...] = ref("members", "当选人", default=(), check=False)
    note: str | None = field("备注", default=None)


@record_kind("talks", "谈心谈话", en="talk")
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

    id: str = field("编号", validator=v.id_text)
    initiator: str = ref("members", "谈话人")
    partner: str = ref("members", "谈话对象")
    date: dt.date = field("谈话日期")
    topic: str | None = field("谈话主题", default=None)
    note: str | None = field("备注", default=None)

    @partner.validator
    def _not_self(self, a: attrs.Attribute[str], value: str) -> None:
        if value == self.initiator:
            raise v.FieldError(a.name, t("谈话双方不能是同一人"))


@record_kind("trainings", "培训", en="training record")
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

    id: str = field("编号", validator=v.id_text)
    member: str = ref("members", "参训党员")
    date: dt.date = field("培训日期")
    hours: Decimal = field("学时", validator=v.non_negative)
    course: str = field("培训班次（课程）", validator=v.text)
    organiser: str | None = field("主办单位", default=None)
    note: str | None = field("备注", default=None)


@v.passes_when(
    "{inst}.gross_pay is None and {x} is None and {inst}.income_tax is None"
    " and {inst}.pension is None and {inst}.medical is None and {inst}.unemployment is None"
)
def _base_of_pay(inst: Any, a: attrs.Attribute[Decimal | None], _: Decimal | None) -> None:
    """The pay fields of a dues payment fit together: deductions only with the gross pay, no
    more than it, and a base recorded with them equal to what they compute. Run on the last of
    them, when every field is set."""
    deductions = [getattr(inst, name) for name in DEDUCTIONS]
    if inst.gross_pay is None:
        given = [name for name, x in zip(DEDUCTIONS, deductions, strict=True) if x is not None]
        if given:
            raise v.FieldError(given[0], t("填写了扣除项，应同时填写工资总额"))
        return
    computed = deduct(inst.gross_pay, [x for x in deductions if x is not None])
    if computed is None:
        total = sum((x for x in deductions if x is not None), Decimal(0))
        raise v.FieldError("gross_pay", deductions_exceed_message(total, inst.gross_pay))
    if inst.base is not None and inst.base != computed:
        base, shown = format(inst.base, "f"), format(computed, "f")
        raise v.FieldError(
            "base",
            t(
                "计算基数{base}元与工资总额减各项扣除所得的{computed}元不符",
                base=base,
                computed=shown,
            ),
        )


@record_kind("dues_payments", "党费", en="dues payment")
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
            Left empty when ``gross_pay`` is given, it is computed from it
            (:func:`~dangjian.dues_base`); given with it, it must equal what it computes.
        gross_pay: The month's gross pay (工资总额) the base is computed from, if recorded.
        income_tax: 个人所得税 deducted from ``gross_pay`` (only with it).
        pension: The member's own 养老保险 deducted from ``gross_pay`` (only with it).
        medical: The member's own 医疗保险 deducted from ``gross_pay`` (only with it).
        unemployment: The member's own 失业保险 deducted from ``gross_pay`` (only with it).
        housing_fund: The member's own 住房公积金 deducted from ``gross_pay`` (only with it).
        paid_on: The day it was paid, if recorded; a payment after the month (or, paying
            quarterly, after the quarter) is a back payment (补交).
        voluntary: Whether this is a voluntary extra payment rather than the month's dues.
        note: Free remarks.
    """

    id: str = field("编号", validator=v.id_text)
    member: str = ref("members", "缴纳人")
    month: Month = field("所属月份")
    amount: Decimal = field("缴纳金额（元）", validator=v.non_negative)
    base: Decimal | None = field(
        "计算基数（元）", default=None, validator=v.optional(v.non_negative)
    )
    gross_pay: Decimal | None = field(
        "工资总额（元）", en="gross pay", default=None, validator=v.optional(v.non_negative)
    )
    income_tax: Decimal | None = field(
        "个人所得税（元）", en="income tax", default=None, validator=v.optional(v.non_negative)
    )
    pension: Decimal | None = field(
        "个人养老保险（元）",
        en="pension contribution",
        default=None,
        validator=v.optional(v.non_negative),
    )
    medical: Decimal | None = field(
        "个人医疗保险（元）",
        en="medical insurance contribution",
        default=None,
        validator=v.optional(v.non_negative),
    )
    unemployment: Decimal | None = field(
        "个人失业保险（元）",
        en="unemployment insurance contribution",
        default=None,
        validator=v.optional(v.non_negative),
    )
    housing_fund: Decimal | None = field(
        "个人住房公积金（元）",
        en="housing fund contribution",
        default=None,
        validator=[v.optional(v.non_negative), _base_of_pay],
    )
    paid_on: dt.date | None = field("缴纳日期", default=None)
    voluntary: bool = field("是否自愿多交", default=False)
    note: str | None = field("备注", default=None)
