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
    """An enumeration whose values are ASCII codes carrying a Chinese and an English label."""

    _value_: str
    label: str
    label_en: str

    def __new__(cls, code: str, label: str, label_en: str) -> Self:
        member = object.__new__(cls)
        member._value_ = code
        member.label = label
        member.label_en = label_en
        return member

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

    COMMITTEE = ("committee", "基层党委", "basic-level party committee")
    GENERAL_BRANCH = ("general_branch", "党总支", "general branch")
    BRANCH = ("branch", "党支部", "branch")
    JOINT_BRANCH = ("joint_branch", "联合党支部", "joint branch")


class OrgCategory(LabelledEnum):
    """The kind of unit an organisation sits in; rules differ by category."""

    ORGAN = ("organ", "机关", "state organ")
    VILLAGE = ("village", "村", "village")
    COMMUNITY = ("community", "社区", "urban community")
    STATE_ENTERPRISE = ("state_enterprise", "国有企业", "state-owned enterprise")
    PRIVATE_ENTERPRISE = ("private_enterprise", "非公企业", "non-public enterprise")
    SOCIAL_ORGANISATION = ("social_organisation", "社会组织", "social organisation")
    UNIVERSITY = ("university", "高校", "university")
    SCHOOL = ("school", "中小学", "primary or secondary school")
    HOSPITAL = ("hospital", "医院", "hospital")
    PUBLIC_INSTITUTION = ("public_institution", "事业单位", "public institution")
    OTHER = ("other", "其他", "other")


class CommitteeRole(LabelledEnum):
    """A seat on a party committee."""

    SECRETARY = ("secretary", "书记", "secretary")
    DEPUTY_SECRETARY = ("deputy_secretary", "副书记", "deputy secretary")
    ORGANISATION = ("organisation", "组织委员", "organisation member")
    PUBLICITY = ("publicity", "宣传委员", "publicity member")
    DISCIPLINE = ("discipline", "纪检委员", "discipline inspection member")
    MEMBER = ("member", "委员", "committee member")


class Gender(LabelledEnum):
    """Gender as recorded on the membership file."""

    MALE = ("male", "男", "male")
    FEMALE = ("female", "女", "female")


class MemberStatus(LabelledEnum):
    """Where a person stands in the membership lifecycle, or how they left it."""

    APPLICANT = ("applicant", "入党申请人", "applicant")
    ACTIVIST = ("activist", "入党积极分子", "activist")
    CANDIDATE = ("candidate", "发展对象", "candidate for admission")
    PROBATIONARY = ("probationary", "预备党员", "probationary member")
    FULL = ("full", "正式党员", "full member")
    LAPSED = ("lapsed", "自行脱党", "lapsed")
    REMOVED = ("removed", "除名", "removed from the rolls")
    EXPELLED = ("expelled", "开除党籍", "expelled")
    WITHDRAWN = ("withdrawn", "退党", "withdrew")
    DECEASED = ("deceased", "去世", "deceased")
    TRANSFERRED_OUT = ("transferred_out", "组织关系转出", "transferred out")

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

    SALARIED = ("salaried", "在职", "salaried")
    ANNUAL_SALARY = ("annual_salary", "年薪制", "annual-salary")
    RETIRED = ("retired", "离退休", "retired")
    FARMER = ("farmer", "农民", "farmer")
    STUDENT = ("student", "学生", "student")
    UNEMPLOYED = ("unemployed", "下岗失业", "laid off or unemployed")
    SELF_EMPLOYED = ("self_employed", "自雇", "self-employed")
    RELIEF = ("relief", "享受最低生活保障", "on minimum living allowance")
    OTHER = ("other", "其他", "other")


class MeetingKind(LabelledEnum):
    """The kinds of meeting that make up organisational life (组织生活)."""

    GENERAL_MEETING = ("general_meeting", "支部党员大会", "general meeting of members")
    COMMITTEE_MEETING = ("committee_meeting", "支委会", "branch committee meeting")
    GROUP_MEETING = ("group_meeting", "党小组会", "party group meeting")
    PARTY_LECTURE = ("party_lecture", "党课", "party lecture")
    THEME_DAY = ("theme_day", "主题党日", "themed party day")
    ORG_LIFE_MEETING = ("org_life_meeting", "组织生活会", "organisational-life meeting")
    DEMOCRATIC_APPRAISAL = ("democratic_appraisal", "民主评议党员", "democratic appraisal")


class AbsenceReason(LabelledEnum):
    """Why somebody who should have attended did not."""

    LEAVE = ("leave", "请假", "leave")
    BUSINESS_TRIP = ("business_trip", "出差", "business trip")
    SICK_LEAVE = ("sick_leave", "病假", "sick leave")
    OTHER = ("other", "其他", "other")
    NONE_GIVEN = ("none_given", "无故缺席", "no reason given")


class StudyAudience(LabelledEnum):
    """Who a study session is for."""

    CENTRE_GROUP = ("centre_group", "中心组", "theory study centre group")
    ALL_MEMBERS = ("all_members", "全体党员", "all party members")
    ALL_STAFF = ("all_staff", "全体干部职工", "all cadres and staff")
    PARTY_GROUP = ("party_group", "党小组", "party group")


class StudyForm(LabelledEnum):
    """How a study session was held."""

    CONCENTRATED = ("concentrated", "集中学习", "concentrated study")
    SEMINAR = ("seminar", "专题研讨", "thematic seminar")
    LECTURE = ("lecture", "辅导讲座", "tutorial lecture")
    QUIZ = ("quiz", "知识测试", "knowledge test")
    FILM = ("film", "观看教育片", "educational film")
    MICRO_LECTURE = ("micro_lecture", "微党课", "micro party lecture")
    ONLINE = ("online", "线上平台", "online platform")


class ElectionKind(LabelledEnum):
    """A full re-election at the end of a term, or a by-election for vacant seats."""

    GENERAL = ("general", "换届选举", "general election")
    BY_ELECTION = ("by_election", "补选", "by-election")


class RectificationSource(LabelledEnum):
    """Where a problem to rectify was raised."""

    INSPECTION = ("inspection", "巡察", "party inspection tour")
    SUPERVISION = ("supervision", "督查", "supervisory check")
    ASSESSMENT = ("assessment", "考核反馈", "assessment feedback")
    DISCIPLINE_GROUP = ("discipline_group", "纪检组", "discipline inspection group")
    SELF_CHECK = ("self_check", "自查", "self-check")
    AUDIT = ("audit", "审计", "audit")
    OTHER = ("other", "其他", "other")


class RectificationStatus(LabelledEnum):
    """How far the rectification of a problem has got."""

    OPEN = ("open", "整改中", "being rectified")
    CLOSED = ("closed", "已销号", "closed")
    ONGOING = ("ongoing", "长期坚持", "ongoing by nature")


class AppraisalKind(LabelledEnum):
    """The kinds of appraisal: a secretary's report-and-review, or members' democratic appraisal."""

    SECRETARY_REPORT = ("secretary_report", "述职评议", "secretary's report and review")
    MEMBER_APPRAISAL = ("member_appraisal", "民主测评", "democratic appraisal of a member")


class Grade(LabelledEnum):
    """The grade given in an appraisal."""

    EXCELLENT = ("excellent", "优秀", "excellent")
    GOOD = ("good", "好", "good")
    COMPETENT = ("competent", "合格", "competent")
    BASICALLY_COMPETENT = ("basically_competent", "基本合格", "basically competent")
    INCOMPETENT = ("incompetent", "不合格", "not competent")


class ServiceKind(LabelledEnum):
    """The kinds of service work members take part in."""

    VOLUNTEER = ("volunteer", "志愿服务", "volunteer service")
    TASK_FORCE = ("task_force", "党员突击队", "party member task force")
    VANGUARD_POST = ("vanguard_post", "党员先锋岗", "party member vanguard post")
    OTHER = ("other", "其他", "other")


class TransferDirection(LabelledEnum):
    """Which way a member's organisational relation moves (组织关系转接)."""

    OUT = ("out", "转出", "transferred out")
    IN = ("in", "转入", "transferred in")
