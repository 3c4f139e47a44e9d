"""Party organisations, their committees and their party groups."""

from __future__ import annotations

import datetime as dt

import attrs

from dangjian.model import _validators as v
from dangjian.model._declare import field, record_kind, ref
from dangjian.model.enums import CommitteeRole, OrgCategory, OrgLevel

__all__ = ["Branch", "CommitteeSeat", "PartyGroup"]


@attrs.frozen(kw_only=True)
class CommitteeSeat:
    """A member's seat on an organisation's committee, from ``start`` until ``end``.

    Attributes:
        role: The seat (书记, 副书记, 组织委员, …).
        member: The id of the member who holds it.
        start: The day the member took the seat, if known.
        end: The last day in the seat; ``None`` while the member still holds it.
    """

    role: CommitteeRole = field("职务")
    member: str = ref("members", "任职人")
    start: dt.date | None = field("任职日期", default=None)
    end: dt.date | None = field(
        "离任日期", default=None, validator=v.optional(v.not_before("start", "任职开始日期"))
    )


@record_kind("branches", "党组织", en="organisation")
@attrs.frozen(kw_only=True)
class Branch:
    """Any party organisation: a 基层党委, 党总支, 党支部 or 联合党支部.

    Attributes:
        id: The organisation's id, unique among organisations in the ledger.
        name: Its full name (``市X局机关第一党支部``).
        level: 基层党委, 党总支, 党支部 or 联合党支部.
        category: The kind of unit it sits in (机关, 村, 社区, …); rules differ by category.
        parent: The id of the organisation above it, or ``None`` for the top of the ledger.
        founded: The day it was set up, if known.
        dissolved: The day it was dissolved, if it was.
        committee: The seats of its committee, past and present.
        last_election: The day of its last 换届选举.
        term_years: Its term in years, when the ledger records it; otherwise the rules decide.
        units: For a 联合党支部, the units it covers.
        theme_day: The relatively fixed day of the month for its 主题党日, if it has one.
        note: Free remarks (备注).
    """

    id: str = field("编号", validator=v.id_text)
    name: str = field("组织名称", validator=v.text)
    level: OrgLevel = field("组织层级")
    category: OrgCategory = field("单位类别")
    parent: str | None = ref("branches", "上级党组织", default=None)
    founded: dt.date | None = field("成立日期", default=None)
    dissolved: dt.date | None = field(
        "撤销日期", default=None, validator=v.optional(v.not_before("founded", "成立日期"))
    )
    committee: tuple[CommitteeSeat, ...] = field(
        "委员会组成（班子成员）", header="委员会任职", default=()
    )
    last_election: dt.date | None = field("上次换届日期", default=None)
    term_years: int | None = field(
        "任期（年）", default=None, validator=v.optional(v.between(1, 10))
    )
    units: tuple[str, ...] = field("覆盖单位", default=(), validator=v.texts)
    theme_day: int | None = field("主题党日固定日", default=None, validator=v.optional(v.MONTH_DAY))
    note: str | None = field("备注", default=None)


@record_kind("groups", "党小组", en="party group")
@attrs.frozen(kw_only=True)
class PartyGroup:
    """A 党小组: a subdivision of a branch, chaired by its leader.

    Attributes:
        id: The group's id, unique among groups in the ledger.
        name: Its name (``第一党小组``).
        branch: The id of the branch it belongs to.
        leader: The id of the member who leads it (党小组长), if one is named.
        note: Free remarks.
    """

    id: str = field("编号", validator=v.id_text)
    name: str = field("党小组名称", validator=v.text)
    branch: str = ref("branches", "所属支部")
    leader: str | None = ref("members", "党小组长", default=None)
    note: str | None = field("备注", default=None)
