"""The figures of a half-year work summary (工作总结), each with the records it was counted from.

A figure whose value is ``None`` has no data in the ledger (the ledger keeps no records of that
kind, or there is no paired village in the period): the draft says so instead of inventing a
number. A value of 0 means the ledger keeps such records and none fell in the period.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from typing import Any

import attrs

from dangjian._escape import json_text
from dangjian.findings import Severity
from dangjian.model.enums import LabelledEnum
from dangjian.periods import Period

__all__ = [
    "Amount",
    "Count",
    "DonationTotal",
    "Film",
    "FindingGroup",
    "Headcount",
    "Tally",
    "WorkSummary",
]

_WAN = Decimal(10000)


@attrs.frozen(kw_only=True)
class Count:
    """How many records of a kind fell in the period.

    Attributes:
        value: The number, or ``None`` when the ledger has no data for it.
        dates: The distinct days of the records counted, in order.
        evidence: The ids of the records counted (for records inside a paired village, the
            village's id and the collection: ``yjc.visits[0]``).
    """

    value: int | None
    dates: tuple[dt.date, ...] = ()
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Headcount:
    """How many distinct people did something, who they are and where they were found.

    Attributes:
        value: The number of people, or ``None`` when the ledger has no data for it.
        members: The ids of the people counted, in order of first appearance.
        evidence: The ids of the records they were counted from.
    """

    value: int | None
    members: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Amount:
    """A sum of money in 元 (shown in 万元).

    Attributes:
        yuan: The sum in 元, or ``None`` when the ledger has no data for it.
        evidence: The records summed.
    """

    yuan: Decimal | None
    evidence: tuple[str, ...] = ()

    @property
    def wan(self) -> Decimal | None:
        """The sum in 万元."""
        return None if self.yuan is None else self.yuan / _WAN


@attrs.frozen(kw_only=True)
class Tally:
    """One kind of a breakdown (a study form, a platform, a joint-activity kind) and its count.

    Attributes:
        label: The kind, as the draft names it.
        value: How many records of that kind.
        evidence: The records counted.
    """

    label: str
    value: int
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Film:
    """An educational film watched at a study session.

    Attributes:
        title: The film's title (taken from the first 《…》 of the session's topics, else its
            first topic), or ``None`` when the session names none.
        date: The day it was watched.
        session: The id of the study session.
    """

    title: str | None
    date: dt.date
    session: str


@attrs.frozen(kw_only=True)
class DonationTotal:
    """What was donated on visits in the period, summed by item and unit (面粉 60 袋).

    Attributes:
        item: What was given.
        quantity: How many in all.
        unit: The unit counted in.
        evidence: The visits it was given on.
    """

    item: str
    quantity: Decimal
    unit: str
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class FindingGroup:
    """The failed (or waived) findings of one rule, for the draft's 不足.

    Attributes:
        rule: The rule's id.
        title: The rule's title, in Chinese.
        severity: The severity of these findings (a rule's findings may be milder than the
            rule: a back payment of dues is a warning); one group per rule and severity.
        count: How many findings.
        subjects: The names of their subjects, distinct, in order (none for findings that
            cannot be told: the draft names nobody for want of records).
        reasons: For waived findings, the waivers' reasons and who approved them; for findings
            that cannot be told, what the records lack and what to add.
    """

    rule: str
    title: str
    severity: Severity
    count: int
    subjects: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class WorkSummary:
    """The figures of a work summary (工作总结) of one period, counted from a ledger.

    Made by :func:`dangjian.summarize`; :meth:`to_markdown`, :meth:`to_json` and :meth:`to_docx`
    write the draft. The fields follow the five parts of the draft.

    Attributes:
        organisation: The ledger's organisation.
        period: The period summarised.
        secretary_reports: 述职评议 of secretaries held in the period.
        member_appraisals: 民主测评 of members held in the period.
        letters: Responsibility letters signed in the period (their dates in ``dates``).
        letter_subjects: The distinct names of those letters.
        rectifications_raised: Rectification items fed back in the period.
        rectifications_closed: Items closed (销号) in the period.
        rectifications_revisited: Items revisited (回头看) in the period.
        rectifications_open: Items still being rectified at the period's end.
        rectifications_overdue: Open items whose deadline passed before the period's end.
        rectifications_ongoing: Items kept up for good (长期坚持) at the period's end.
        centre_group_study: Study sessions of the centre group.
        all_members_study: Study sessions of all members.
        all_staff_study: Study sessions of all cadres and staff.
        study_forms: Study sessions by form.
        study_platforms: Online study sessions by platform.
        films: Educational films watched.
        study_note_min_wan_zi: The least length of members' study notes, in 万字; the ledger
            keeps no study notes, so always ``None``.
        task_force: Members in a task force (党员突击队) that served during the period.
        task_force_titles: The names of those task forces.
        general_meetings: 支部党员大会 held.
        committee_meetings: 支委会 held.
        party_lectures: 党课 given.
        theme_days: 主题党日 held.
        org_life_meetings: 组织生活会 held.
        org_life_topics: The distinct topics of those meetings.
        talks: Heart-to-heart talks held.
        theme_day_actions: The actions performed on themed days ("三个一"), each with the number
            of themed days it was performed on.
        villages: The paired villages during the period, by place name.
        leaders: People sent as 第一书记 or work-team leader (counted once if both).
        first_secretaries: People sent as 第一书记.
        team_leaders: People sent as work-team leader.
        team_members: People sent as work-team members.
        projects_since: The first day over which projects are counted: the summary speaks of
            projects "一年来", so the year up to the period's end (or the period, if longer).
        projects_applied: Projects applied for since ``projects_since``.
        projects_approved: Projects approved since ``projects_since``.
        project_partners: The distinct enterprises or bodies carrying the projects applied for.
        funds_won: The funds of the approved projects, in 元.
        village_trainings: Training given in the villages in the period.
        village_trainees: The people trained, where counted.
        visits: Visits to the villages in the period.
        donations: What was donated on those visits.
        volunteer_work: Volunteer work done in the villages in the period.
        volunteers: The members who did it.
        joint_activities: Activities held with the villages' branches, by kind.
        check_line: The summary line of the check whose failures are listed, if one was given.
        failed: The failed findings of that check, by rule.
        waived: Its waived findings, by rule.
        unknown: Its findings that the records cannot decide (无法判断), by rule: never listed
            under 不足, but apart, with the records to add.
    """

    organisation: str
    period: Period
    # 一、组织领导
    secretary_reports: Count
    member_appraisals: Count
    letters: Count
    letter_subjects: tuple[str, ...]
    rectifications_raised: Count
    rectifications_closed: Count
    rectifications_revisited: Count
    rectifications_open: Count
    rectifications_overdue: Count
    rectifications_ongoing: Count
    # 二、学习
    centre_group_study: Count
    all_members_study: Count
    all_staff_study: Count
    study_forms: tuple[Tally, ...]
    study_platforms: tuple[Tally, ...]
    films: tuple[Film, ...]
    study_note_min_wan_zi: Decimal | None = None
    task_force: Headcount
    task_force_titles: tuple[str, ...]
    # 三、标准化建设
    general_meetings: Count
    committee_meetings: Count
    party_lectures: Count
    theme_days: Count
    org_life_meetings: Count
    org_life_topics: tuple[str, ...]
    talks: Count
    theme_day_actions: tuple[Tally, ...]
    # 四、结对共建
    villages: tuple[str, ...]
    leaders: Headcount
    first_secretaries: Headcount
    team_leaders: Headcount
    team_members: Headcount
    projects_since: dt.date
    projects_applied: Count
    projects_approved: Count
    project_partners: tuple[str, ...]
    funds_won: Amount
    village_trainings: Count
    village_trainees: int | None
    visits: Count
    donations: tuple[DonationTotal, ...]
    volunteer_work: Count
    volunteers: Headcount
    joint_activities: tuple[Tally, ...]
    # 五、不足
    check_line: str | None = None
    failed: tuple[FindingGroup, ...] = ()
    waived: tuple[FindingGroup, ...] = ()
    unknown: tuple[FindingGroup, ...] = ()

    def missing(self) -> list[str]:
        """The names of the figures the ledger has no data for, as the draft lists them."""
        from dangjian.summary.render import missing_items

        return missing_items(self)

    def to_markdown(self) -> str:
        """The draft in Markdown: the five parts, then a table of every figure and its records."""
        from dangjian.summary.render import markdown

        return markdown(self)

    def to_data(self) -> dict[str, Any]:
        """The figures as plain data: decimals as text, days as ``YYYY-MM-DD``, periods as
        ``2020H1``, enumerations as their codes."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data

    def to_json(self) -> str:
        """The figures as JSON (see :meth:`to_data`); what a terminal would obey (C1 controls,
        bidirectional overrides) is written as JSON's escapes."""
        return json_text(json.dumps(self.to_data(), ensure_ascii=False, indent=2)) + "\n"

    def to_docx(self, path: str | os.PathLike[str], *, overwrite: bool = True) -> None:
        """Write the draft as a Word document to ``path``, replacing the file in one step.

        Raises:
            DangjianError: python-docx is not installed (``pip install "dangjian[docx]"``), or
                ``overwrite`` is false and the file exists.
        """
        from dangjian.summary.word import write_docx

        write_docx(self, path, overwrite=overwrite)


def _plain(value: Any) -> Any:
    if isinstance(value, Period):
        return str(value)
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, LabelledEnum):
        return value.code
    return value
