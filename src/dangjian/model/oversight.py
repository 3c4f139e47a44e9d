"""Rectification, responsibility letters, appraisals and service: the records of oversight."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from dangjian.i18n import t
from dangjian.model import _validators as v
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

    date: dt.date
    finding: str = attrs.field(validator=v.text)
    by: str | None = None


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
        status: 整改中, 已销号 or 长期坚持.
        closed: The day it was closed (销号); not before ``raised``.
        evidence: What shows it was done (佐证材料).
        follow_ups: Revisits after closing.
        note: Free remarks.
    """

    id: str = attrs.field(validator=v.id_text)
    source: RectificationSource
    reference: str | None = None
    raised: dt.date
    problem: str = attrs.field(validator=v.text)
    branch: str | None = attrs.field(default=None, validator=v.optional(v.id_text))
    measures: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    responsible: str | None = None
    deadline: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("raised", "问题反馈日期"))
    )
    status: RectificationStatus = RectificationStatus.OPEN
    closed: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("raised", "问题反馈日期"))
    )
    evidence: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    follow_ups: tuple[FollowUp, ...] = ()
    note: str | None = None

    @closed.validator
    def _closed_means_closed(
        self, a: attrs.Attribute[dt.date | None], value: dt.date | None
    ) -> None:
        if value is not None and self.status is RectificationStatus.OPEN:
            raise v.FieldError(a.name, t("已填写销号日期，状态却是「整改中」"))


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

    id: str = attrs.field(validator=v.id_text)
    year: int = attrs.field(validator=v.between(1921, 9999))
    signed: dt.date
    issuer: str = attrs.field(validator=v.text)
    signatory: str = attrs.field(validator=v.text)
    branch: str | None = attrs.field(default=None, validator=v.optional(v.id_text))
    subject: str = attrs.field(validator=v.text)
    note: str | None = None


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

    id: str = attrs.field(validator=v.id_text)
    kind: AppraisalKind
    date: dt.date
    member: str = attrs.field(validator=v.id_text)
    branch: str = attrs.field(validator=v.id_text)
    score: Decimal | None = attrs.field(default=None, validator=v.optional(v.non_negative))
    grade: Grade | None = attrs.field(default=None)
    evaluators: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    note: str | None = None

    @grade.validator
    def _scored_or_graded(self, a: attrs.Attribute[Grade | None], value: Grade | None) -> None:
        if value is None and self.score is None:
            raise v.FieldError(a.name, t("分数和等次至少填写一项"))


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

    id: str = attrs.field(validator=v.id_text)
    kind: ServiceKind
    title: str = attrs.field(validator=v.text)
    branch: str = attrs.field(validator=v.id_text)
    start: dt.date
    end: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("start", "开始日期"))
    )
    participants: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    description: str | None = None
    note: str | None = None
