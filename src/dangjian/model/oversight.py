"""Rectification, responsibility letters, appraisals and service: the records of oversight."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

import attrs

from dangjian.calendar import CalendarError, WorkingCalendar
from dangjian.i18n import t
from dangjian.model import _validators as v
from dangjian.model._declare import field, record_kind, ref
from dangjian.model.enums import (
    AppraisalKind,
    Grade,
    RectificationSource,
    RectificationStatus,
    ServiceKind,
)

__all__ = [
    "Appraisal",
    "FollowUp",
    "RectificationItem",
    "ResponsibilityLetter",
    "ServiceActivity",
]


@attrs.frozen(kw_only=True)
class FollowUp:
    """A revisit of a closed item ("再回头、再整改、再落实").

    Attributes:
        date: The day of the revisit.
        finding: What the revisit found.
        by: Who revisited it.
    """

    date: dt.date = field("复查日期")
    finding: str = field("复查情况", validator=v.text)
    by: str | None = field("复查人", default=None)


@record_kind("rectifications", "整改事项", en="rectification item", key="rectification")
@attrs.frozen(kw_only=True)
class RectificationItem:
    """A problem fed back by inspectors and its rectification (整改) up to closing (销号).

    Attributes:
        id: The item's id, unique among rectification items in the ledger.
        source: Where the problem came from (巡察, 督查, 考核反馈, 纪检组, 自查, …).
        reference: The inspection's reference (批次, 文号), if any.
        raised: The day the problem was fed back.
        problem: The problem as it was fed back.
        branch: The id of the organisation that must rectify it, if one of the ledger's.
        measures: The measures planned (整改措施).
        responsible: The person or unit responsible (责任人/责任单位).
        deadline: The deadline (整改时限); not before ``raised``.
        deadline_working_days: The deadline as a number of working days (N个工作日, 调休
            included) counted from ``raised``, where the item states it so: the day ``raised``
            does not count, the deadline is the last of those working days. Given with
            ``deadline`` too, the two must name the same day where the working calendar
            covers it.
        status: 整改中, 已销号 or 长期坚持.
        closed: The day it was closed (销号); not before ``raised``.
        evidence: What shows it was done (佐证材料).
        follow_ups: Revisits after closing.
        note: Free remarks.
    """

    id: str = field("编号", validator=v.id_text)
    source: RectificationSource = field("问题来源")
    reference: str | None = field("批次（文号）", default=None)
    raised: dt.date = field("问题反馈日期")
    problem: str = field("问题描述", validator=v.text)
    branch: str | None = ref("branches", "整改单位", default=None)
    measures: tuple[str, ...] = field("整改措施", default=(), validator=v.texts)
    responsible: str | None = field("责任人（责任单位）", default=None)
    deadline: dt.date | None = field(
        "整改时限", default=None, validator=v.optional(v.not_before("raised", "问题反馈日期"))
    )
    deadline_working_days: int | None = field(
        "整改时限（工作日）",
        en="deadline in working days",
        default=None,
        validator=v.optional(v.between(1, 9999)),
    )
    status: RectificationStatus = field("整改状态", default=RectificationStatus.OPEN)
    closed: dt.date | None = field(
        "销号日期", default=None, validator=v.optional(v.not_before("raised", "问题反馈日期"))
    )
    evidence: tuple[str, ...] = field("佐证材料", default=(), validator=v.texts)
    follow_ups: tuple[FollowUp, ...] = field("回头看", default=())
    note: str | None = field("备注", default=None)

    @closed.validator
    def _closed_means_closed(
        self, a: attrs.Attribute[dt.date | None], value: dt.date | None
    ) -> None:
        if value is not None and self.status is RectificationStatus.OPEN:
            raise v.FieldError(a.name, t("已填写销号日期，状态却是「整改中」"))

    @deadline_working_days.validator
    def _working_days_agree(self, a: attrs.Attribute[int | None], value: int | None) -> None:
        if value is None or self.deadline is None:
            return
        try:
            counted = _calendar().add_working_days(self.raised, value)
        except CalendarError:
            return  # the calendar cannot tell: the date stands
        if counted != self.deadline:
            raise v.FieldError(
                a.name,
                t(
                    "问题反馈日期{raised}后{n}个工作日是{counted}，与整改时限{deadline}不一致",
                    raised=self.raised.isoformat(),
                    n=value,
                    counted=counted.isoformat(),
                    deadline=self.deadline.isoformat(),
                ),
            )


@functools.cache
def _calendar() -> WorkingCalendar:
    """The working calendar that deadlines in working days are read with."""
    return WorkingCalendar()


@record_kind("responsibility_letters", "责任书", en="responsibility letter")
@attrs.frozen(kw_only=True)
class ResponsibilityLetter:
    """A responsibility letter (责任书) signed for a year.

    Attributes:
        id: The letter's id, unique among letters in the ledger.
        year: The year it covers.
        signed: The day it was signed.
        issuer: Who issued it (局党委 …).
        signatory: Who signed it (直属单位负责人 …).
        branch: The id of the signatory's organisation, if it is one of the ledger's.
        subject: What it commits to (抓基层党建工作责任书 …).
        note: Free remarks.
    """

    id: str = field("编号", validator=v.id_text)
    year: int = field("年度", validator=v.between(1921, 9999))
    signed: dt.date = field("签订日期")
    issuer: str = field("下达单位", validator=v.text)
    signatory: str = field("签订人", validator=v.text)
    branch: str | None = ref("branches", "签订人所在党组织", default=None)
    subject: str = field("责任书名称", validator=v.text)
    note: str | None = field("备注", default=None)


@record_kind("appraisals", "评议", en="appraisal")
@attrs.frozen(kw_only=True)
class Appraisal:
    """A secretary's 述职评议 or a member's 民主测评, with a score or a grade.

    Attributes:
        id: The appraisal's id, unique among appraisals in the ledger.
        kind: 述职评议 or 民主测评.
        date: The day it was held.
        member: The id of the member appraised.
        branch: The id of the organisation that appraised.
        score: The score given, if scored.
        grade: The grade given (优秀, 合格, …), if graded.
        evaluators: How many people took part in the scoring.
        note: Free remarks.
    """

    id: str = field("编号", validator=v.id_text)
    kind: AppraisalKind = field("评议类型")
    date: dt.date = field("评议日期")
    member: str = ref("members", "被评议人")
    branch: str = ref("branches", "评议单位")
    score: Decimal | None = field("得分", default=None, validator=v.optional(v.non_negative))
    grade: Grade | None = field("等次", default=None)
    evaluators: int | None = field(
        "参评人数", default=None, validator=v.optional(v.non_negative_int)
    )
    note: str | None = field("备注", default=None)

    @grade.validator
    def _scored_or_graded(self, a: attrs.Attribute[Grade | None], value: Grade | None) -> None:
        if value is None and self.score is None:
            raise v.FieldError(a.name, t("分数和等次至少填写一项"))


@record_kind("service_activities", "服务活动", en="service activity")
@attrs.frozen(kw_only=True)
class ServiceActivity:
    """Service work by members: 志愿服务, an epidemic 党员突击队, a vanguard post and the like.

    Attributes:
        id: The activity's id, unique among service activities in the ledger.
        kind: 志愿服务, 党员突击队, 党员先锋岗 or 其他.
        title: What it was.
        branch: The id of the organisation that organised it.
        start: The day it began.
        end: The day it ended, if it has; not before ``start``.
        participants: Ids of the members who took part.
        description: What was done.
        note: Free remarks.
    """

    id: str = field("编号", validator=v.id_text)
    kind: ServiceKind = field("服务类型")
    title: str = field("活动名称", validator=v.text)
    branch: str = ref("branches", "组织单位")
    start: dt.date = field("开始日期")
    end: dt.date | None = field(
        "结束日期", default=None, validator=v.optional(v.not_before("start", "开始日期"))
    )
    participants: tuple[str, ...] = ref("members", "参与党员", default=())
    description: str | None = field("活动内容", default=None)
    note: str | None = field("备注", default=None)
