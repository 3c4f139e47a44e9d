"""The closed vocabularies of party records, each value with a stable code and its labels.

A value is written to files as its ASCII :attr:`~LabelledEnum.code` and read back from either the
code or the Chinese :attr:`~LabelledEnum.label`:

>>> MeetingKind.THEME_DAY.code, MeetingKind.THEME_DAY.label, MeetingKind.THEME_DAY.label_en
('theme_day', '主题党日', 'themed party day')
>>> MeetingKind.parse("支委会") is MeetingKind.parse("committee_meeting")
True
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Self, TypeVar

from dangjian.i18n import N_, Message, given, t

__all__ = [
    "AbsenceReason",
    "AppraisalKind",
    "CommitteeRole",
    "DuesCategory",
    "ElectionKind",
    "Gender",
    "Grade",
    "LabelledEnum",
    "MeetingKind",
    "MemberStatus",
    "OrgCategory",
    "OrgLevel",
    "RectificationSource",
    "RectificationStatus",
    "ServiceKind",
    "StudyAudience",
    "StudyForm",
    "TransferDirection",
]


class LabelledEnum(enum.Enum):
    """An enumeration whose values are ASCII codes carrying a Chinese label.

    The label is a catalog message (mark it with ``N_``: ``PASSED = ("passed", N_("符合"))``);
    :meth:`text` gives it in any language and :attr:`label_en` in English. A value written
    with its English label as well, ``("passed", "符合", "passed")``, keeps that one instead.
    """

    _value_: str
    label: str
    _given: Message | None

    def __new__(cls, code: str, label: str, label_en: str | None = None) -> Self:
        member = object.__new__(cls)
        member._value_ = code
        member.label = label
        member._given = None if label_en is None else given({"zh": label, "en": label_en})
        return member

    @property
    def label_en(self) -> str:
        """The label in English."""
        return self.text("en")

    def text(self, lang: str = "zh") -> str:
        """The label in ``lang`` (a catalog name, see :mod:`dangjian.i18n`)."""
        return self.msg.render(lang)

    @property
    def msg(self) -> Message:
        """The label as a message, to be a part of another message."""
        return self._given or t(self.label)

    @property
    def code(self) -> str:
        """The stable ASCII code written to files."""
        return self._value_

    @classmethod
    def parse(cls, text: str) -> Self:
        """The value whose code or Chinese label is ``text``.

        Raises:
            ValueError: ``text`` is neither a code nor a label of this enumeration.
        """
        found = _lookup(cls).get(text)
        if found is None:
            raise ValueError(f"{text!r} is not a {cls.__name__}")
        return found

    @classmethod
    def lookup_table(cls) -> Mapping[str, Self]:
        """Each value by its code and by its Chinese label: what :meth:`parse` reads.

        >>> table = OrgLevel.lookup_table()
        >>> table["党支部"] is table["branch"] is OrgLevel.BRANCH
        True
        """
        return _lookup(cls)

    @classmethod
    def choices(cls) -> str:
        """The labels and codes of every value, for messages: ``党支部(branch)、…``."""
        return "、".join(f"{m.label}({m.code})" for m in cls)

    def __str__(self) -> str:
        return self.label


_LOOKUPS: dict[type[LabelledEnum], dict[str, LabelledEnum]] = {}
_E = TypeVar("_E", bound=LabelledEnum)


def _lookup(cls: type[_E]) -> dict[str, _E]:
    table = _LOOKUPS.get(cls)
    if table is None:
        table = {}
        for member in cls:
            table[member.code] = member
            table[member.label] = member
        _LOOKUPS[cls] = table
    return table  # type: ignore[return-value]


class OrgLevel(LabelledEnum):
    """The level of a party organisation."""

    COMMITTEE = ("committee", N_("基层党委"))
    GENERAL_BRANCH = ("general_branch", N_("党总支"))
    BRANCH = ("branch", N_("党支部"))
    JOINT_BRANCH = ("joint_branch", N_("联合党支部"))


class OrgCategory(LabelledEnum):
    """The kind of unit an organisation sits in; rules differ by category."""

    ORGAN = ("organ", N_("机关"))
    VILLAGE = ("village", N_("村"))
    COMMUNITY = ("community", N_("社区"))
    STATE_ENTERPRISE = ("state_enterprise", N_("国有企业"))
    PRIVATE_ENTERPRISE = ("private_enterprise", N_("非公企业"))
    SOCIAL_ORGANISATION = ("social_organisation", N_("社会组织"))
    UNIVERSITY = ("university", N_("高校"))
    SCHOOL = ("school", N_("中小学"))
    HOSPITAL = ("hospital", N_("医院"))
    PUBLIC_INSTITUTION = ("public_institution", N_("事业单位"))
    OTHER = ("other", N_("其他"))


class CommitteeRole(LabelledEnum):
    """A seat on a party committee."""

    SECRETARY = ("secretary", N_("书记"))
    DEPUTY_SECRETARY = ("deputy_secretary", N_("副书记"))
    ORGANISATION = ("organisation", N_("组织委员"))
    PUBLICITY = ("publicity", N_("宣传委员"))
    DISCIPLINE = ("discipline", N_("纪检委员"))
    MEMBER = ("member", N_("委员"))


class Gender(LabelledEnum):
    """Gender as recorded on the membership file."""

    MALE = ("male", N_("男"))
    FEMALE = ("female", N_("女"))


class MemberStatus(LabelledEnum):
    """Where a person stands in the membership lifecycle, or how they left it."""

    APPLICANT = ("applicant", N_("入党申请人"))
    ACTIVIST = ("activist", N_("入党积极分子"))
    CANDIDATE = ("candidate", N_("发展对象"))
    PROBATIONARY = ("probationary", N_("预备党员"))
    FULL = ("full", N_("正式党员"))
    LAPSED = ("lapsed", N_("自行脱党"))
    REMOVED = ("removed", N_("除名"))
    EXPELLED = ("expelled", N_("开除党籍"))
    WITHDRAWN = ("withdrawn", N_("退党"))
    DECEASED = ("deceased", N_("去世"))
    TRANSFERRED_OUT = ("transferred_out", N_("组织关系转出"))

    @property
    def is_member(self) -> bool:
        """Whether the person is a party member now (probationary or full)."""
        return self in (MemberStatus.PROBATIONARY, MemberStatus.FULL)

    @property
    def has_left(self) -> bool:
        """Whether the person has left the organisation's rolls."""
        return self in _LEFT


_LEFT = frozenset(
    {
        MemberStatus.LAPSED,
        MemberStatus.REMOVED,
        MemberStatus.EXPELLED,
        MemberStatus.WITHDRAWN,
        MemberStatus.DECEASED,
        MemberStatus.TRANSFERRED_OUT,
    }
)


class DuesCategory(LabelledEnum):
    """The category of a member that decides how their monthly dues are computed."""

    SALARIED = ("salaried", N_("在职"))
    ANNUAL_SALARY = ("annual_salary", N_("年薪制"))
    RETIRED = ("retired", N_("离退休"))
    FARMER = ("farmer", N_("农民"))
    STUDENT = ("student", N_("学生"))
    UNEMPLOYED = ("unemployed", N_("下岗失业"))
    SELF_EMPLOYED = ("self_employed", N_("自雇"))
    RELIEF = ("relief", N_("享受最低生活保障"))
    OTHER = ("other", N_("其他"))


class MeetingKind(LabelledEnum):
    """The kinds of meeting that make up organisational life (组织生活)."""

    GENERAL_MEETING = ("general_meeting", N_("支部党员大会"))
    COMMITTEE_MEETING = ("committee_meeting", N_("支委会"))
    GROUP_MEETING = ("group_meeting", N_("党小组会"))
    PARTY_LECTURE = ("party_lecture", N_("党课"))
    THEME_DAY = ("theme_day", N_("主题党日"))
    ORG_LIFE_MEETING = ("org_life_meeting", N_("组织生活会"))
    DEMOCRATIC_APPRAISAL = ("democratic_appraisal", N_("民主评议党员"))


class AbsenceReason(LabelledEnum):
    """Why somebody who should have attended did not."""

    LEAVE = ("leave", N_("请假"))
    BUSINESS_TRIP = ("business_trip", N_("出差"))
    SICK_LEAVE = ("sick_leave", N_("病假"))
    OTHER = ("other", N_("其他"))
    NONE_GIVEN = ("none_given", N_("无故缺席"))


class StudyAudience(LabelledEnum):
    """Who a study session is for."""

    CENTRE_GROUP = ("centre_group", N_("中心组"))
    ALL_MEMBERS = ("all_members", N_("全体党员"))
    ALL_STAFF = ("all_staff", N_("全体干部职工"))
    PARTY_GROUP = ("party_group", N_("党小组"))


class StudyForm(LabelledEnum):
    """How a study session was held."""

    CONCENTRATED = ("concentrated", N_("集中学习"))
    SEMINAR = ("seminar", N_("专题研讨"))
    LECTURE = ("lecture", N_("辅导讲座"))
    QUIZ = ("quiz", N_("知识测试"))
    FILM = ("film", N_("观看教育片"))
    MICRO_LECTURE = ("micro_lecture", N_("微党课"))
    ONLINE = ("online", N_("线上平台"))


class ElectionKind(LabelledEnum):
    """A full re-election at the end of a term, or a by-election for vacant seats."""

    GENERAL = ("general", N_("换届选举"))
    BY_ELECTION = ("by_election", N_("补选"))


class RectificationSource(LabelledEnum):
    """Where a problem to rectify was raised."""

    INSPECTION = ("inspection", N_("巡察"))
    SUPERVISION = ("supervision", N_("督查"))
    ASSESSMENT = ("assessment", N_("考核反馈"))
    DISCIPLINE_GROUP = ("discipline_group", N_("纪检组"))
    SELF_CHECK = ("self_check", N_("自查"))
    AUDIT = ("audit", N_("审计"))
    OTHER = ("other", N_("其他"))


class RectificationStatus(LabelledEnum):
    """How far the rectification of a problem has got."""

    OPEN = ("open", N_("整改中"))
    CLOSED = ("closed", N_("已销号"))
    ONGOING = ("ongoing", N_("长期坚持"))


class AppraisalKind(LabelledEnum):
    """The kinds of appraisal: a secretary's report-and-review, or members' democratic appraisal."""

    SECRETARY_REPORT = ("secretary_report", N_("述职评议"))
    MEMBER_APPRAISAL = ("member_appraisal", N_("民主测评"))


class Grade(LabelledEnum):
    """The grade given in an appraisal."""

    EXCELLENT = ("excellent", N_("优秀"))
    GOOD = ("good", N_("好"))
    COMPETENT = ("competent", N_("合格"))
    BASICALLY_COMPETENT = ("basically_competent", N_("基本合格"))
    INCOMPETENT = ("incompetent", N_("不合格"))


class ServiceKind(LabelledEnum):
    """The kinds of service work members take part in."""

    VOLUNTEER = ("volunteer", N_("志愿服务"))
    TASK_FORCE = ("task_force", N_("党员突击队"))
    VANGUARD_POST = ("vanguard_post", N_("党员先锋岗"))
    OTHER = ("other", N_("其他"))


class TransferDirection(LabelledEnum):
    """Which way a member's organisational relation moves (组织关系转接)."""

    OUT = ("out", N_("转出"))
    IN = ("in", N_("转入"))
