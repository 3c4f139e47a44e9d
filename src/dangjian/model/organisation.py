"""Party organisations, their committees and their party groups."""

from __future__ import annotations

import datetime as dt

import attrs

from dangjian.i18n import t
from dangjian.model import _validators as v
from dangjian.model._declare import field, record_kind, ref
from dangjian.model.enums import CommitteeRole, OrgCategory, OrgLevel

__all__ = ["Branch", "CommitteeSeat", "ElectionDelay", "PartyGroup"]


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


@attrs.frozen(kw_only=True)
class ElectionDelay:
    """The higher organisation's approval to hold an organisation's election (换届) later or
    earlier than its term's end.

    基层组织选举工作条例 第三条: a delay or an advance (延长或者提前) is in general no more than a
    year; 关于党的基层组织任期的意见 (2018): it is reported to the higher organisation for approval.
    An approval of a longer delay is kept as recorded; the rule ``elect.on_time`` counts it only
    up to a year after the term's end and says so.

    Attributes:
        approved_on: The day the higher organisation approved it (批准日期).
        approved_by: The organisation that approved it (批准机关), as its name is written.
        election_date: The day approved for the election (批准的换届时间): after the term's end
            for a delay, before it for an advance; not before ``approved_on``.
        note: Free remarks (the reason, the document's number).
    """

    approved_on: dt.date = field("批准日期")
    approved_by: str = field("批准机关", validator=v.text)
    election_date: dt.date = field(
        "批准的换届时间", validator=v.not_before("approved_on", "批准日期")
    )
    note: str | None = field("备注", default=None)


@v.passes_when("len({x}) < 2")
def _one_approval_a_day(
    _: object, a: attrs.Attribute[tuple[ElectionDelay, ...]], value: tuple[ElectionDelay, ...]
) -> None:
    """Approvals of one organisation's elections on distinct days: the latest approval is the
    one that stands, so two on one day could not be told apart."""
    seen: set[dt.date] = set()
    for delay in value:
        if delay.approved_on in seen:
            raise v.FieldError(
                a.name,
                t(
                    "{day}有两项换届延期或提前的批准，无法判断以哪项为准",
                    day=delay.approved_on.isoformat(),
                ),
            )
        seen.add(delay.approved_on)


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
        election_delays: The higher organisation's approvals to hold its elections later or
            earlier than a term's end, past and present (one term may have had its approval
            revised; the latest given after the last election is the one that stands).
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
    election_delays: tuple[ElectionDelay, ...] = field(
        "延期或提前换届的批准", header="换届延期批准", default=(), validator=_one_approval_a_day
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
