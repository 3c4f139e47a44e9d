"""Members and the dated milestones of their membership."""

from __future__ import annotations

import datetime as dt

import attrs

from dangjian.i18n import t
from dangjian.model import _validators as v
from dangjian.model.enums import DuesCategory, Gender, MemberStatus, TransferDirection
from dangjian.model.resident_id import ResidentId

__all__ = ["ActivistReview", "Member", "Milestones", "ProbationExtension", "Transfer"]


@attrs.frozen(kw_only=True)
class Milestones:
    """The dated steps of the membership lifecycle; each is ``None`` until it happens.

    The dates must not go backwards: applied ≤ first talk, applied ≤ activist ≤ candidate ≤
    admitted ≤ converted.

    Attributes:
        applied: The day the application (入党申请书) was handed in.
        first_talk: The day of the first talk with the applicant (谈话).
        activist: The day the applicant was made an activist (入党积极分子).
        candidate: The day the activist was made a candidate (发展对象).
        admitted: The day the 支部大会 voted to admit (starts the probation).
        converted: The day of conversion to full membership (转正); 党龄 counts from it.
        course_exception: The 个别特殊情况 under which a candidate was admitted without the
            candidates' training (发展党员工作细则: "未经培训的，除个别特殊情况外，不能发展入党"),
            as recorded: the reason and who agreed to it. ``None`` when there was none.
    """

    applied: dt.date | None = None
    first_talk: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("applied", "入党申请日期"))
    )
    activist: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("applied", "入党申请日期"))
    )
    candidate: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("activist", "确定积极分子日期"))
    )
    admitted: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("candidate", "确定发展对象日期"))
    )
    converted: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("admitted", "接收为预备党员日期"))
    )
    course_exception: str | None = attrs.field(default=None, validator=v.optional_text)


@attrs.frozen(kw_only=True)
class ProbationExtension:
    """A decision to extend a probationary member's probation (延长预备期).

    Attributes:
        decided: The day the branch decided it.
        months: How many months the probation is extended by.
    """

    decided: dt.date
    months: int = attrs.field(validator=v.positive_int)


def _needs(other: str, other_label: str) -> v.Validator:
    """A value that means something only beside the one in field ``other``: an error when
    ``other`` is empty, so that it is not silently ignored."""

    def check(inst: object, a: attrs.Attribute[object], value: object) -> None:
        if value is not None and value is not False and getattr(inst, other) in (None, False):
            raise v.FieldError(
                a.name, t("须同时填写{other_label}", other_label=other_label, other=other)
            )

    return check


@attrs.frozen(kw_only=True)
class Transfer:
    """A transfer of a member's organisational relation (组织关系转接), or a request for one.

    Attributes:
        direction: 转出 (out of this ledger's organisation) or 转入 (into it).
        requested: The day the transfer was asked for (申请转接日期).
        completed: The day it was done (办结日期); ``None`` while pending or when refused.
        from_org: The organisation the relation moves from (转出党组织), by name.
        to_org: The organisation the relation moves to (转入党组织), by name.
        refused: Whether the sending or the receiving side refused it (拒转拒接).
        reason: The reason given for a refusal (拒绝理由).
        note: Free remarks.
    """

    direction: TransferDirection
    requested: dt.date
    completed: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("requested", "申请转接日期"))
    )
    from_org: str | None = attrs.field(default=None, validator=v.optional(v.text))
    to_org: str | None = attrs.field(default=None, validator=v.optional(v.text))
    refused: bool = False
    reason: str | None = attrs.field(
        default=None, validator=[v.optional(v.text), _needs("refused", "是否拒转拒接（是）")]
    )
    note: str | None = None


@attrs.frozen(kw_only=True)
class ActivistReview:
    """A branch's review of an activist (对入党积极分子的考察), due every half year.

    Attributes:
        date: The day of the review.
        branch: The id of the organisation that reviewed.
        note: The conclusion or other remarks (考察意见).
    """

    date: dt.date
    branch: str = attrs.field(validator=v.id_text)
    note: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class Member:
    """A person on the organisation's rolls: applicant, activist, candidate or member.

    ``repr`` masks the resident id; see :class:`~dangjian.ResidentId`.

    Attributes:
        id: The member's id, unique among members in the ledger.
        name: The member's name.
        gender: 男 or 女.
        birth_date: The day of birth, if known.
        resident_id: The 身份证号, if recorded; validated and masked when shown.
        branch: The id of the organisation the member belongs to.
        group: The id of the member's 党小组, if any; it must belong to ``branch``.
        status: Where the member stands (入党申请人 … 正式党员) or how they left.
        milestones: The dated steps of the membership lifecycle.
        probation_extension: A decision to extend the probation, if one was taken.
        mentors: Ids of the members who mentor this activist (培养联系人).
        sponsors: Ids of the members who sponsor the admission (入党介绍人).
        dues_category: The category that decides the member's dues (在职, 离退休, 农民, …).
        dues_quarterly: The day the branch approved paying dues by the quarter (党费规定
            第十二条: 特殊情况经党支部同意可每季度交纳); from that day on a month's dues are
            due by the end of its quarter.
        leading_cadre: Whether the member is a leading cadre (领导干部).
        position: The member's post (职务), if recorded.
        joined: The day the member's organisational relation moved into this ledger, if later
            than the milestones.
        left: The day the member left the rolls, for the ways of leaving.
        note: Free remarks.
        away_since: The day the member went away from where their relation is kept (外出), to
            work, do business or live elsewhere.
        away_until: The day the member came back (外出返回), if they did.
        transfers: Transfers of the member's organisational relation, and requests refused.
        lost_contact: The day the organisation lost contact with the member (失去联系).
        suspended: The day the member's party standing was suspended (停止党籍) after losing
            contact.
        contact_restored: The day contact was regained (恢复联系), if it was.
        reviews: The branch's reviews of the member as an activist (积极分子考察).
        candidate_meeting: The id of the 支委会 meeting that agreed to list the activist as a
            candidate (列为发展对象).
        candidate_filed: The day the listing was filed with the higher committee (报上级党委备案).
        probation_cancelled: The day the branch cancelled the probationary membership
            (取消预备党员资格), when it did.
    """

    id: str = attrs.field(validator=v.id_text)
    name: str = attrs.field(validator=v.text)
    gender: Gender
    birth_date: dt.date | None = None
    resident_id: ResidentId | None = None
    branch: str = attrs.field(validator=v.id_text)
    group: str | None = attrs.field(default=None, validator=v.optional(v.id_text))
    status: MemberStatus
    milestones: Milestones = Milestones()
    probation_extension: ProbationExtension | None = None
    mentors: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    sponsors: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    dues_category: DuesCategory | None = None
    dues_quarterly: dt.date | None = None
    leading_cadre: bool = False
    position: str | None = None
    joined: dt.date | None = None
    left: dt.date | None = None
    note: str | None = None
    away_since: dt.date | None = None
    away_until: dt.date | None = attrs.field(
        default=None,
        validator=[
            v.optional(v.not_before("away_since", "外出日期")),
            _needs("away_since", "外出日期"),
        ],
    )
    transfers: tuple[Transfer, ...] = ()
    lost_contact: dt.date | None = None
    suspended: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("lost_contact", "失去联系日期"))
    )
    contact_restored: dt.date | None = attrs.field(
        default=None,
        validator=[
            v.optional(v.not_before("lost_contact", "失去联系日期")),
            _needs("lost_contact", "失去联系日期"),
        ],
    )
    reviews: tuple[ActivistReview, ...] = ()
    candidate_meeting: str | None = attrs.field(default=None, validator=v.optional(v.id_text))
    candidate_filed: dt.date | None = None
    probation_cancelled: dt.date | None = None

    def __repr__(self) -> str:
        return self.describe()

    def describe(self, *, include_pii: bool = False) -> str:
        """The member as ``Member(id=…, name=…, …)``, with the resident id masked unless asked."""
        parts = []
        for a in attrs.fields(Member):
            value = getattr(self, a.name)
            if a.name == "resident_id" and value is not None:
                shown = repr(value.show(include_pii=include_pii))
            else:
                shown = repr(value)
            parts.append(f"{a.name}={shown}")
        return f"Member({', '.join(parts)})"
