"""A paired village (结对帮扶村) and the history of the work done there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from dangjian.model import _validators as v
from dangjian.model._declare import field, record_kind, ref

__all__ = [
    "Donation",
    "JointActivity",
    "PairingVillage",
    "PovertyProject",
    "VillageTraining",
    "VillageVisit",
    "VolunteerWork",
]


@attrs.frozen(kw_only=True)
class JointActivity:
    """An activity held together with the village's branch.

    Attributes:
        date: The day it was held.
        kind: Its kind as the place names it (联学, 组织生活联过, 班子建设联建, 主题党日联办 …);
            kinds are data, since other places use other sets.
        title: What it was.
        meeting: The id of the matching meeting in this ledger, if one was recorded.
        note: Free remarks.
    """

    date: dt.date = field("活动日期")
    kind: str = field("活动类型", validator=v.text)
    title: str | None = field("活动名称", default=None)
    meeting: str | None = ref("meetings", "对应会议", default=None)
    note: str | None = field("备注", default=None)


@attrs.frozen(kw_only=True)
class PovertyProject:
    """A poverty-alleviation project applied for on the village's behalf.

    Attributes:
        name: The project.
        applied: The day it was applied for.
        approved: The day it was approved, if it was.
        funds: The funds won, in 元 (shown in 万元 in summaries).
        partner: The enterprise or body that carries it out.
        note: Free remarks.
    """

    name: str = field("项目名称", validator=v.text)
    applied: dt.date = field("申报日期")
    approved: dt.date | None = field(
        "批复日期", default=None, validator=v.optional(v.not_before("applied", "申报日期"))
    )
    funds: Decimal | None = field(
        "争取资金（元）", default=None, validator=v.optional(v.non_negative)
    )
    partner: str | None = field("实施单位", default=None)
    note: str | None = field("备注", default=None)


@attrs.frozen(kw_only=True)
class VillageTraining:
    """Training given in the village (农业实用技术培训 and the like).

    Attributes:
        date: The day it was given.
        topic: What was taught.
        trainees: How many people were trained, if counted.
        note: Free remarks.
    """

    date: dt.date = field("培训日期")
    topic: str = field("培训内容", validator=v.text)
    trainees: int | None = field("培训人数", default=None, validator=v.optional(v.non_negative_int))
    note: str | None = field("备注", default=None)


@attrs.frozen(kw_only=True)
class Donation:
    """Something handed over on a visit: an item, how many and in what unit (面粉 50 袋).

    Attributes:
        item: What was given.
        quantity: How many.
        unit: The unit counted in (袋, 件, 元 …).
    """

    item: str = field("物资名称", validator=v.text)
    quantity: Decimal = field("数量", validator=v.non_negative)
    unit: str = field("单位", validator=v.text)


@attrs.frozen(kw_only=True)
class VillageVisit:
    """A visit to the village (走访慰问), with what was donated.

    Attributes:
        date: The day of the visit.
        title: What the visit was.
        visitors: Ids of the members who went.
        donations: What was given.
        note: Free remarks.
    """

    date: dt.date = field("走访日期")
    title: str = field("走访事由", validator=v.text)
    visitors: tuple[str, ...] = ref("members", "走访人员", default=())
    donations: tuple[Donation, ...] = field("慰问物资", header="捐赠", default=())
    note: str | None = field("备注", default=None)


@attrs.frozen(kw_only=True)
class VolunteerWork:
    """Volunteer work done in the village (结对共建志愿服务).

    Attributes:
        date: The day it was done.
        title: What it was.
        volunteers: Ids of the members who took part.
        description: What was done.
        note: Free remarks.
    """

    date: dt.date = field("服务日期")
    title: str = field("服务名称", validator=v.text)
    volunteers: tuple[str, ...] = ref("members", "志愿者", default=())
    description: str | None = field("服务内容", default=None)
    note: str | None = field("备注", default=None)


@record_kind("pairings", "结对帮扶村", en="paired village", key="pairing", key_header="结对编号")
@attrs.frozen(kw_only=True)
class PairingVillage:
    """A village paired with one of the ledger's branches (结对帮扶), and its history.

    Attributes:
        id: The pairing's id, unique among pairings in the ledger.
        county: The county (县).
        town: The town or township (镇/乡).
        village: The village (村).
        branch: The id of the ledger's branch that is paired with it.
        village_branch: The name of the village's own party branch.
        since: The day the pairing began.
        until: The day it ended, if it has.
        first_secretary: The id of the member sent as 第一书记.
        team_leader: The id of the member who leads the work team (工作队队长).
        team_members: Ids of the members sent as team members (队员).
        activities: Joint activities with the village's branch.
        projects: Poverty-alleviation projects applied for.
        trainings: Training given.
        visits: Visits made, with donations.
        volunteer_work: Volunteer work done.
        note: Free remarks.
    """

    id: str = field("编号", validator=v.id_text)
    county: str = field("县", validator=v.text)
    town: str = field("乡镇", validator=v.text)
    village: str = field("村", validator=v.text)
    branch: str = ref("branches", "结对支部")
    village_branch: str | None = field("村党支部名称", default=None)
    since: dt.date = field("结对开始日期")
    until: dt.date | None = field(
        "结对结束日期", default=None, validator=v.optional(v.not_before("since", "结对开始日期"))
    )
    first_secretary: str | None = ref("members", "第一书记", default=None)
    team_leader: str | None = ref("members", "工作队队长", default=None)
    team_members: tuple[str, ...] = ref("members", "工作队队员", default=())
    activities: tuple[JointActivity, ...] = field("联建活动", header="结对活动", default=())
    projects: tuple[PovertyProject, ...] = field("帮扶项目", header="扶贫项目", default=())
    trainings: tuple[VillageTraining, ...] = field("培训", header="帮扶培训", default=())
    visits: tuple[VillageVisit, ...] = field("走访慰问", default=())
    volunteer_work: tuple[VolunteerWork, ...] = field("志愿服务", default=())
    note: str | None = field("备注", default=None)

    @property
    def place(self) -> str:
        """The village's full place name: county, town and village (``X县X镇X村``)."""
        return f"{self.county}{self.town}{self.village}"
