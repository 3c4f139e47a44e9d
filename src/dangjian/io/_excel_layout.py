"""The layout of a ledger workbook: its sheets, their columns and the field each column holds.

Pure data, without openpyxl: :mod:`dangjian.io.excel` writes and reads workbooks by it. Every
column has a Chinese header (the glossary's term for its field) and an identifier (the field's
key in a ledger file, ``date`` or ``milestones.applied``); reading accepts either as the header.
The headers are spelt out here, not derived, so that they stay put when a docstring changes;
``tests/test_excel.py`` checks them against ``docs/glossary.md``.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any, Literal

import attrs

from dangjian.ledger import RECORD_KINDS, Ledger
from dangjian.model import (
    Absence,
    ActivistReview,
    Appraisal,
    Branch,
    Candidate,
    CommitteeSeat,
    Donation,
    DuesPayment,
    Election,
    FollowUp,
    HeartToHeartTalk,
    JointActivity,
    LabelledEnum,
    Meeting,
    Member,
    Milestones,
    Month,
    PairingVillage,
    PartyGroup,
    PovertyProject,
    ProbationExtension,
    RectificationItem,
    ResidentId,
    Resolution,
    ResponsibilityLetter,
    ServiceActivity,
    StudySession,
    TrainingRecord,
    Transfer,
    VillageTraining,
    VillageVisit,
    VolunteerWork,
)

__all__ = [
    "HEAD",
    "HEADERS",
    "INSTRUCTIONS",
    "REFERENCES",
    "SHEETS",
    "Column",
    "ColumnKind",
    "Sheet",
]

ColumnKind = Literal[
    "text",  # text that must not be empty nor have blanks around it: read stripped
    "note",  # free text: read exactly as it is
    "id",  # an id or a reference: a whole number is read as its digits
    "ids",  # a list of ids or references in one cell
    "texts",  # a list of texts in one cell
    "date",
    "time",
    "month",
    "decimal",
    "int",
    "index",  # the number of a visit within its pairing (走访序号)
    "bool",
    "enum",
    "resident_id",
]

INSTRUCTIONS = "填写说明"
"""The name of the first sheet, which explains how to fill in the workbook; it is never read."""

# -- the headers -----------------------------------------------------------------------------

HEADERS: dict[type[Any], dict[str, str]] = {
    Ledger: {"name": "台账名称", "version": "格式版本"},
    Branch: {
        "id": "编号",
        "name": "组织名称",
        "level": "组织层级",
        "category": "单位类别",
        "parent": "上级党组织",
        "founded": "成立日期",
        "dissolved": "撤销日期",
        "last_election": "上次换届日期",
        "term_years": "任期（年）",
        "units": "覆盖单位",
        "theme_day": "主题党日固定日",
        "note": "备注",
    },
    CommitteeSeat: {"role": "职务", "member": "任职人", "start": "任职日期", "end": "离任日期"},
    PartyGroup: {
        "id": "编号",
        "name": "党小组名称",
        "branch": "所属支部",
        "leader": "党小组长",
        "note": "备注",
    },
    Member: {
        "id": "编号",
        "name": "姓名",
        "gender": "性别",
        "birth_date": "出生日期",
        "resident_id": "身份证号",
        "branch": "所在党组织",
        "group": "所在党小组",
        "status": "人员状态",
        "mentors": "培养联系人",
        "sponsors": "入党介绍人",
        "dues_category": "党费缴纳类别",
        "dues_quarterly": "同意按季度交纳党费日期",
        "leading_cadre": "是否领导干部",
        "position": "职务",
        "joined": "组织关系转入日期",
        "left": "离开日期",
        "note": "备注",
        "away_since": "外出日期",
        "away_until": "外出返回日期",
        "lost_contact": "失去联系日期",
        "suspended": "停止党籍日期",
        "contact_restored": "恢复联系日期",
        "candidate_meeting": "讨论列为发展对象的支委会",
        "candidate_filed": "发展对象报上级党委备案日期",
        "probation_cancelled": "取消预备党员资格日期",
    },
    Transfer: {
        "direction": "转接方向",
        "requested": "申请转接日期",
        "completed": "办结日期",
        "from_org": "转出党组织",
        "to_org": "转入党组织",
        "refused": "是否拒转拒接",
        "reason": "拒绝理由",
        "note": "备注",
    },
    ActivistReview: {"date": "考察日期", "branch": "考察党组织", "note": "考察意见"},
    Milestones: {
        "applied": "递交入党申请书日期",
        "first_talk": "首次谈话日期",
        "activist": "确定为入党积极分子日期",
        "candidate": "确定为发展对象日期",
        "admitted": "接收为预备党员日期",
        "converted": "转正日期",
        "course_exception": "未经培训发展的特殊情况",
    },
    # columns of the member's sheet: the glossary's terms (决定日期, 延长月数) need the prefix
    ProbationExtension: {"decided": "延长预备期决定日期", "months": "延长预备期月数"},
    Meeting: {
        "id": "编号",
        "kind": "会议类型",
        "branch": "召开会议的党组织",
        "group": "党小组",
        "date": "会议日期",
        "start": "开始时间",
        "end": "结束时间",
        "place": "地点",
        "title": "会议名称及届次",
        "topic": "议题",
        "chair": "主持人",
        "recorder": "记录人",
        "lecturer": "授课人",
        "lecturer_name": "授课人姓名（台账外）",
        "expected": "应到人员",
        "attended": "出席人",
        "guests": "列席人",
        "expected_count": "应到人数",
        "present_count": "实到人数",
        "actions": "活动环节",
        "summary": "内容摘要",
        "rescheduled_from": "原定日期",
        "note": "备注",
    },
    Absence: {"member": "缺席人", "reason": "缺席原因", "note": "原因说明"},
    Resolution: {
        "text": "决议内容",
        "votes_for": "赞成票数",
        "votes_against": "反对票数",
        "abstentions": "弃权票数",
    },
    StudySession: {
        "id": "编号",
        "audience": "学习对象",
        "branch": "组织学习的党组织",
        "group": "党小组",
        "date": "学习日期",
        "start": "开始时间",
        "duration_minutes": "时长（分钟）",
        "form": "学习形式",
        "platform": "学习平台",
        "topics": "学习内容",
        "documents": "学习文件",
        "speaker": "领学人（主讲人）",
        "speaker_name": "主讲人姓名（台账外）",
        "attendees": "参学人员",
        "attendee_count": "参学人数",
        "note": "备注",
    },
    Election: {
        "id": "编号",
        "branch": "选举单位",
        "kind": "选举类型",
        "date": "选举日期",
        "seats": "应选人数",
        "voters_expected": "应到会有选举权的党员",
        "voters_present": "实到会党员",
        "expected_count": "应到人数",
        "present_count": "实到人数",
        "ballots_issued": "发出选票数",
        "ballots_returned": "收回选票数",
        "elected": "当选人",
        "note": "备注",
    },
    Candidate: {"member": "候选人", "votes": "得票数"},
    HeartToHeartTalk: {
        "id": "编号",
        "initiator": "谈话人",
        "partner": "谈话对象",
        "date": "谈话日期",
        "topic": "谈话主题",
        "note": "备注",
    },
    TrainingRecord: {
        "id": "编号",
        "member": "参训党员",
        "date": "培训日期",
        "hours": "学时",
        "course": "培训班次（课程）",
        "organiser": "主办单位",
        "note": "备注",
    },
    DuesPayment: {
        "id": "编号",
        "member": "缴纳人",
        "month": "所属月份",
        "amount": "缴纳金额（元）",
        "base": "计算基数（元）",
        "paid_on": "缴纳日期",
        "voluntary": "是否自愿多交",
        "note": "备注",
    },
    PairingVillage: {
        "id": "编号",
        "county": "县",
        "town": "乡镇",
        "village": "村",
        "branch": "结对支部",
        "village_branch": "村党支部名称",
        "since": "结对开始日期",
        "until": "结对结束日期",
        "first_secretary": "第一书记",
        "team_leader": "工作队队长",
        "team_members": "工作队队员",
        "note": "备注",
    },
    JointActivity: {
        "date": "活动日期",
        "kind": "活动类型",
        "title": "活动名称",
        "meeting": "对应会议",
        "note": "备注",
    },
    PovertyProject: {
        "name": "项目名称",
        "applied": "申报日期",
        "approved": "批复日期",
        "funds": "争取资金（元）",
        "partner": "实施单位",
        "note": "备注",
    },
    VillageTraining: {
        "date": "培训日期",
        "topic": "培训内容",
        "trainees": "培训人数",
        "note": "备注",
    },
    VillageVisit: {"date": "走访日期", "title": "走访事由", "visitors": "走访人员", "note": "备注"},
    Donation: {"item": "物资名称", "quantity": "数量", "unit": "单位"},
    VolunteerWork: {
        "date": "服务日期",
        "title": "服务名称",
        "volunteers": "志愿者",
        "description": "服务内容",
        "note": "备注",
    },
    RectificationItem: {
        "id": "编号",
        "source": "问题来源",
        "reference": "批次（文号）",
        "raised": "问题反馈日期",
        "problem": "问题描述",
        "branch": "整改单位",
        "measures": "整改措施",
        "responsible": "责任人（责任单位）",
        "deadline": "整改时限",
        "status": "整改状态",
        "closed": "销号日期",
        "evidence": "佐证材料",
        "note": "备注",
    },
    FollowUp: {"date": "复查日期", "finding": "复查情况", "by": "复查人"},
    ResponsibilityLetter: {
        "id": "编号",
        "year": "年度",
        "signed": "签订日期",
        "issuer": "下达单位",
        "signatory": "签订人",
        "branch": "签订人所在党组织",
        "subject": "责任书名称",
        "note": "备注",
    },
    Appraisal: {
        "id": "编号",
        "kind": "评议类型",
        "date": "评议日期",
        "member": "被评议人",
        "branch": "评议单位",
        "score": "得分",
        "grade": "等次",
        "evaluators": "参评人数",
        "note": "备注",
    },
    ServiceActivity: {
        "id": "编号",
        "kind": "服务类型",
        "title": "活动名称",
        "branch": "组织单位",
        "start": "开始日期",
        "end": "结束日期",
        "participants": "参与党员",
        "description": "活动内容",
        "note": "备注",
    },
}
"""The Chinese header of each column, by record class and field."""

REFERENCES: dict[tuple[type[Any], str], str] = {
    (Branch, "parent"): "branches",
    (CommitteeSeat, "member"): "members",
    (PartyGroup, "branch"): "branches",
    (PartyGroup, "leader"): "members",
    (Member, "branch"): "branches",
    (Member, "group"): "groups",
    (Member, "mentors"): "members",
    (Member, "sponsors"): "members",
    (Member, "candidate_meeting"): "meetings",
    (ActivistReview, "branch"): "branches",
    (Meeting, "branch"): "branches",
    (Meeting, "group"): "groups",
    (Meeting, "chair"): "members",
    (Meeting, "recorder"): "members",
    (Meeting, "lecturer"): "members",
    (Meeting, "expected"): "members",
    (Meeting, "attended"): "members",
    (Absence, "member"): "members",
    (StudySession, "branch"): "branches",
    (StudySession, "group"): "groups",
    (StudySession, "speaker"): "members",
    (StudySession, "attendees"): "members",
    (Election, "branch"): "branches",
    (Election, "voters_expected"): "members",
    (Election, "voters_present"): "members",
    (Election, "elected"): "members",
    (Candidate, "member"): "members",
    (HeartToHeartTalk, "initiator"): "members",
    (HeartToHeartTalk, "partner"): "members",
    (TrainingRecord, "member"): "members",
    (DuesPayment, "member"): "members",
    (PairingVillage, "branch"): "branches",
    (PairingVillage, "first_secretary"): "members",
    (PairingVillage, "team_leader"): "members",
    (PairingVillage, "team_members"): "members",
    (JointActivity, "meeting"): "meetings",
    (VillageVisit, "visitors"): "members",
    (VolunteerWork, "volunteers"): "members",
    (RectificationItem, "branch"): "branches",
    (ResponsibilityLetter, "branch"): "branches",
    (Appraisal, "member"): "members",
    (Appraisal, "branch"): "branches",
    (ServiceActivity, "branch"): "branches",
    (ServiceActivity, "participants"): "members",
}
"""The fields that hold the id of another record, and the collection that record is in."""

# The sheets of nested records: (parent sheet, field, sheet name, header of the parent's id, its
# identifier). The donations of a visit name the pairing and the visit's number (走访序号).
_CHILDREN: tuple[tuple[str, str, str, str, str], ...] = (
    ("branches", "committee", "委员会任职", "党组织编号", "branch"),
    ("members", "transfers", "组织关系转接", "党员编号", "member"),
    ("members", "reviews", "积极分子考察", "党员编号", "member"),
    ("meetings", "absences", "缺席", "会议编号", "meeting"),
    ("meetings", "resolutions", "决议", "会议编号", "meeting"),
    ("elections", "candidates", "候选人", "选举编号", "election"),
    ("pairings", "activities", "结对活动", "结对编号", "pairing"),
    ("pairings", "projects", "扶贫项目", "结对编号", "pairing"),
    ("pairings", "trainings", "帮扶培训", "结对编号", "pairing"),
    ("pairings", "visits", "走访慰问", "结对编号", "pairing"),
    ("pairings.visits", "donations", "捐赠", "结对编号", "pairing"),
    ("pairings", "volunteer_work", "志愿服务", "结对编号", "pairing"),
    ("rectifications", "follow_ups", "回头看", "整改事项编号", "rectification"),
)

VISIT_HEADER = "走访序号"
VISIT_KEY = "visit"


@attrs.frozen
class Column:
    """One column of a sheet.

    Attributes:
        header: The Chinese header, as written.
        key: The field the column holds, as a path into the record's plain data
            (``date``, ``milestones.applied``); for the columns that name the parent record,
            its identifier (``meeting``, ``visit``). Reading accepts it as a header too.
        kind: How the value is written and read.
        required: Whether every row must fill it in.
        enum: The enumeration of an ``enum`` column.
        target: The collection that an ``id`` or ``ids`` column refers to (``members`` …).
        role: ``field`` for a field of the record, ``parent`` for the id of the record it
            belongs to, ``visit`` for the number of a visit (走访序号).
    """

    header: str
    key: str
    kind: ColumnKind
    required: bool = False
    enum: type[LabelledEnum] | None = None
    target: str | None = None
    role: Literal["field", "parent", "visit"] = "field"

    @property
    def path(self) -> tuple[str, ...]:
        """The key split at its dots."""
        return tuple(self.key.split("."))


@attrs.frozen
class Sheet:
    """One sheet of records.

    Attributes:
        name: The sheet's name: the record kind's Chinese label (会议), or the nested records'
            name (缺席).
        ident: Its identifier, accepted as its name too: the collection (``meetings``) or the
            path of the nested records (``meetings.absences``).
        cls: The class of its records.
        field: The field that holds the records: the collection in the ledger, or the field of
            the parent record.
        parent: The identifier of the parent's sheet, for nested records.
        label: The record kind's Chinese label, for messages (the parent's, for nested records).
        label_en: The same in English.
        columns: The columns, in order.
    """

    name: str
    ident: str
    cls: type[Any]
    field: str
    parent: str | None
    label: str
    label_en: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column | None:
        """The column holding ``key``, if any."""
        for c in self.columns:
            if c.key == key:
                return c
        return None


def _unwrap_optional(t: Any) -> Any:
    args = typing.get_args(t)
    if typing.get_origin(t) in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return inner
    return t


_SCALARS: dict[Any, ColumnKind] = {
    int: "int",
    bool: "bool",
    dt.date: "date",
    dt.time: "time",
    Month: "month",
    ResidentId: "resident_id",
}


def _kind(cls: type[Any], a: attrs.Attribute[Any], t: Any) -> tuple[ColumnKind, Any]:
    """The kind of column for field ``a`` of type ``t``, and its enumeration if it has one."""
    if t is str:
        if a.name == "id" or (cls, a.name) in REFERENCES:
            return "id", None
        return ("text" if a.validator is not None else "note"), None
    if t is Decimal:
        return "decimal", None
    if t in _SCALARS:
        return _SCALARS[t], None
    if isinstance(t, type) and issubclass(t, LabelledEnum):
        return "enum", t
    if typing.get_origin(t) is tuple and typing.get_args(t)[0] is str:
        return ("ids" if (cls, a.name) in REFERENCES else "texts"), None
    raise TypeError(f"no column for {cls.__name__}.{a.name}: {t!r}")  # pragma: no cover


def _is_records(t: Any) -> bool:
    """Whether ``t`` is a tuple of records (held in a sheet of their own)."""
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and bool(args) and attrs.has(args[0])


def _columns(cls: type[Any], prefix: str = "", nested: bool = False) -> list[Column]:
    """The columns of the fields of ``cls``; a nested record's fields become columns too."""
    out: list[Column] = []
    headers = HEADERS[cls]
    for a in attrs.fields(attrs.resolve_types(cls)):
        t = _unwrap_optional(a.type)
        if _is_records(t):
            continue
        if attrs.has(t) and t not in _SCALARS:
            out += _columns(t, f"{prefix}{a.name}.", nested=True)
            continue
        kind, enum = _kind(cls, a, t)
        out.append(
            Column(
                header=headers[a.name],
                key=prefix + a.name,
                kind=kind,
                # a field of a nested record is required only when the record is given
                required=a.default is attrs.NOTHING and not nested,
                enum=enum,
                target=REFERENCES.get((cls, a.name)),
            )
        )
    return out


def _build() -> tuple[Sheet, ...]:
    kinds = {k.field: k for k in RECORD_KINDS}
    sheets: dict[str, Sheet] = {}
    for kind in RECORD_KINDS:
        sheets[kind.field] = Sheet(
            name=kind.label,
            ident=kind.field,
            cls=kind.cls,
            field=kind.field,
            parent=None,
            label=kind.label,
            label_en=kind.label_en,
            columns=tuple(_columns(kind.cls)),
        )
    for parent, field, name, key_header, key in _CHILDREN:
        owner = sheets[parent]
        child_cls = _unwrap_optional(attrs.fields_dict(owner.cls)[field].type)
        child_cls = typing.get_args(child_cls)[0]
        top = kinds[parent.split(".")[0]]
        keys = [Column(header=key_header, key=key, kind="id", required=True, role="parent")]
        if field == "visits":
            keys.append(Column(header=VISIT_HEADER, key=VISIT_KEY, kind="index", role="visit"))
        elif field == "donations":
            keys.append(
                Column(
                    header=VISIT_HEADER, key=VISIT_KEY, kind="index", required=True, role="visit"
                )
            )
        ident = f"{parent}.{field}"
        sheets[ident] = Sheet(
            name=name,
            ident=ident,
            cls=child_cls,
            field=field,
            parent=parent,
            label=top.label,
            label_en=top.label_en,
            columns=(*keys, *_columns(child_cls)),
        )
    # each kind's sheet followed by the sheets of its nested records, depth first
    ordered: list[Sheet] = []

    def visit(ident: str) -> None:
        ordered.append(sheets[ident])
        for child in sheets.values():
            if child.parent == ident:
                visit(child.ident)

    for kind in RECORD_KINDS:
        visit(kind.field)
    return tuple(ordered)


SHEETS: tuple[Sheet, ...] = _build()
"""The record sheets, in the order they are written."""

HEAD = Sheet(
    name="台账",
    ident="ledger",
    cls=Ledger,
    field="",
    parent=None,
    label="台账",
    label_en="ledger",
    columns=(
        Column(header="台账名称", key="name", kind="text", required=True),
        Column(header="格式版本", key="version", kind="int"),
    ),
)
"""The sheet of the ledger's own fields: its name and the format's version, in one row."""
