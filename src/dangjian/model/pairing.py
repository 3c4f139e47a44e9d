"""A paired village (结对帮扶村) and the history of the work done there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from dangjian.model import _validators as v

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

    date: dt.date
    kind: str = attrs.field(validator=v.text)
    title: str | None = None
    meeting: str | None = attrs.field(default=None, validator=v.optional(v.id_text))
    note: str | None = None


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

    name: str = attrs.field(validator=v.text)
    applied: dt.date
    approved: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("applied", "申报日期"))
    )
    funds: Decimal | None = attrs.field(default=None, validator=v.optional(v.non_negative))
    partner: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class VillageTraining:
    """Training given in the village (农业实用技术培训 and the like).

    Attributes:
        date: The day it was given.
        topic: What was taught.
        trainees: How many people were trained, if counted.
        note: Free remarks.
    """

    date: dt.date
    topic: str = attrs.field(validator=v.text)
    trainees: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))
    note: str | None = None


@attrs.frozen(kw_only=True)
class Donation:
    """Something handed over on a visit: an item, how many and in what unit (面粉 50 袋).

    Attributes:
        item: What was given.
        quantity: How many.
        unit: The unit counted in (袋, 件, 元 …).
    """

    item: str = attrs.field(validator=v.text)
    quantity: Decimal = attrs.field(validator=v.non_negative)
    unit: str = attrs.field(validator=v.text)


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

    date: dt.date
    title: str = attrs.field(validator=v.text)
    visitors: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    donations: tuple[Donation, ...] = ()
    note: str | None = None


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

    date: dt.date
    title: str = attrs.field(validator=v.text)
    volunteers: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    description: str | None = None
    note: str | None = None


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

    id: str = attrs.field(validator=v.id_text)
    county: str = attrs.field(validator=v.text)
    town: str = attrs.field(validator=v.text)
    village: str = attrs.field(validator=v.text)
    branch: str = attrs.field(validator=v.id_text)
    village_branch: str | None = None
    since: dt.date
    until: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.not_before("since", "结对开始日期"))
    )
    first_secretary: str | None = attrs.field(default=None, validator=v.optional(v.id_text))
    team_leader: str | None = attrs.field(default=None, validator=v.optional(v.id_text))
    team_members: tuple[str, ...] = attrs.field(default=(), validator=v.ids)
    activities: tuple[JointActivity, ...] = ()
    projects: tuple[PovertyProject, ...] = ()
    trainings: tuple[VillageTraining, ...] = ()
    visits: tuple[VillageVisit, ...] = ()
    volunteer_work: tuple[VolunteerWork, ...] = ()
    note: str | None = None

    @property
    def place(self) -> str:
        """The village's full place name: county, town and village (``X县X镇X村``)."""
        return f"{self.county}{self.town}{self.village}"
