"""Counting the figures of a work summary from a ledger."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from dangjian import i18n
from dangjian.errors import DangjianError
from dangjian.findings import Finding, Severity, Status
from dangjian.i18n import N_, Message, given, rendered_by, t, tp
from dangjian.ledger import RECORD_KINDS, Ledger
from dangjian.model import (
    AppraisalKind,
    LabelledEnum,
    Meeting,
    MeetingKind,
    OrgCategory,
    OrgLevel,
    PairingVillage,
    RectificationItem,
    RectificationStatus,
    ServiceKind,
    StudyAudience,
    StudyForm,
    StudySession,
    fields,
)
from dangjian.periods import Period
from dangjian.report import Report
from dangjian.summary._format import day
from dangjian.summary.draft import WorkSummary
from dangjian.summary.figures import (
    Amount,
    Combined,
    Count,
    DonationTotal,
    Figure,
    FigureData,
    Film,
    FindingGroup,
    Headcount,
    MeetingCount,
    MonthDues,
    Reference,
    Section,
    Tally,
)

__all__ = ["PARTS", "TEMPLATES", "Template", "summarize", "template_of"]

PARTS = (
    N_("一、加强组织领导，靠实党建责任"),
    N_("二、认真组织学习，加强思想政治建设"),
    N_("三、严格对照标准，持续推进支部标准化建设"),
    N_("四、开展结对共建，助力精准脱贫"),
    N_("五、存在的不足和下半年打算"),
)
"""The headings of the five parts of a half-year summary (in Chinese: catalog messages)."""

_SECTION_KEYS = ("leadership", "study", "standards", "pairing", "shortcomings")
_MARKS = (
    tp("summary part", "一"),
    tp("summary part", "二"),
    tp("summary part", "三"),
    tp("summary part", "四"),
    tp("summary part", "五"),
)

TEMPLATES = ("committee", "branch", "village")
"""The kinds of organisation a summary is written for: 机关党委 (a party committee, the
default), 党支部 and 村党组织 (a village's party organisation)."""
Template = Literal["committee", "branch", "village"]
_COMMITTEE_ONLY = frozenset({"centre_group_study", "all_staff_study", "secretary_reports"})
"""Figures only a party committee keeps: the centre group's study (中心组), the study of all
cadres and staff of the unit, and the branch secretaries' reports (述职评议) it hears."""

_TIMES = t("次")
_ITEMS = t("项")

_TITLE = re.compile(r"《([^》]+)》")


def _for(kind: Template, figures: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """The figures as the template has them: a committee's own not listed for a branch."""
    if kind == "committee":
        return figures
    return tuple(
        attrs.evolve(f, listed=False, value=None) if f.key in _COMMITTEE_ONLY else f
        for f in figures
    )


def template_of(ledger: Ledger) -> Template:
    """The kind of organisation a ledger is kept by, from the organisations at its top (those
    without a parent): ``committee`` when one is a 基层党委 or 党总支 or when there is more than
    one, else ``village`` for a village's branch, else ``branch``."""
    tops = [b for b in ledger.branches if b.parent is None]
    if len(tops) != 1 or tops[0].level in (OrgLevel.COMMITTEE, OrgLevel.GENERAL_BRANCH):
        return "committee"
    return "village" if tops[0].category is OrgCategory.VILLAGE else "branch"


_NAMED = frozenset({"members", "branches", "groups"})
"""The collections whose records a summary names by their names (李振华（m101）)."""
_DAYS = ("date", "signed", "raised", "start", "applied", "since")
"""The fields that give the day a record is named by, the first one a record has."""


def _reference(id: str, record: Any, kind: Message | str) -> Reference:
    day = next((d for f in _DAYS if isinstance(d := getattr(record, f, None), dt.date)), None)
    own = getattr(record, "kind", None)
    month = getattr(record, "month", None)
    return Reference(
        id=id,
        day=day,
        kind=own.msg if isinstance(own, LabelledEnum) else kind,
        month=f"{month.year:04d}-{month.month:02d}" if month is not None else None,
    )


def references(ledger: Ledger) -> dict[str, Reference]:
    """How a summary names each record of ``ledger`` (:class:`Reference`), by the source a
    figure gives for it: its id, or for a record within a paired village
    ``<village>.<list>[<i>]``, named by the village's id and the list's sheet (走访慰问)."""
    out: dict[str, Reference] = {}
    for kind in RECORD_KINDS:
        label = given({"zh": kind.label, "en": kind.label_en})
        for record in getattr(ledger, kind.field):
            if kind.field in _NAMED:  # a person or an organisation: by name
                out.setdefault(record.id, Reference(id=record.id, kind=record.name))
            else:
                out.setdefault(record.id, _reference(record.id, record, label))
    for f in fields(PairingVillage):
        if not (f.many and f.record is not None):
            continue
        label = given({"zh": f.header, "en": f.label_en})
        for p in ledger.pairings:
            for i, item in enumerate(getattr(p, f.name)):
                out[f"{p.id}.{f.name}[{i}]"] = _reference(p.id, item, label)
    return out


def summarize(
    ledger: Ledger,
    period: Period | str,
    *,
    report: Report | None = None,
    template: Template | None = None,
) -> WorkSummary:
    """The figures of a work summary (工作总结) of ``ledger`` over ``period``.

    Every figure is counted from the records dated within the period (a task force or a pairing
    counts when it overlaps the period; projects count over the year up to the period's end, the
    "一年来" of a half-year summary). A figure the ledger has no data for is ``None``.

    Args:
        ledger: The records.
        period: The period, as a :class:`~dangjian.periods.Period` or text (``2020H1``).
        report: A check of the same period (:func:`dangjian.check`); its failed and waived
            findings go to the draft's 不足, and those it cannot decide (无法判断) to a list of
            their own, with the records to add and no names.
        template: The kind of organisation the draft is written for (:data:`TEMPLATES`); by
            default the ledger's own (:func:`template_of`). A branch or a village has no
            centre-group study, study of all staff or secretaries' reports: those figures are
            not listed and not asked for.

    Raises:
        PeriodError: ``period`` cannot be parsed.
        DangjianError: ``report`` checks another period.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    if report is not None and report.period != period:
        raise DangjianError(
            i18n.t(  # the module's own: ``t`` names trainings and talks here
                "检查结果的期间是{report_label}，工作总结的期间是{summary_label}",
                report_label=report.period.label(),
                summary_label=period.label(),
                report_period=str(report.period),
                summary_period=str(period),
            )
        )
    kind = template if template is not None else template_of(ledger)
    if kind not in TEMPLATES:
        raise DangjianError(
            i18n.t(
                "没有这种工作总结模板：{template}（可用：{templates}）",
                template=kind,
                templates="、".join(TEMPLATES),
            )
        )
    pairings = [p for p in ledger.pairings if period.overlaps(p.since, p.until)]
    has_pairing = bool(pairings)
    since = _projects_since(period)

    studies = ledger.study_sessions
    kept_studies = bool(studies)
    in_studies = [s for s in studies if s.date in period]
    meetings = ledger.meetings
    kept_meetings = bool(meetings)
    in_meetings = [m for m in meetings if m.date in period]
    # a meeting held as several kinds (Meeting.also) counts under each kind it served as
    theme_days = [m for m in in_meetings if m.serves(MeetingKind.THEME_DAY)]
    org_life = [m for m in in_meetings if m.serves(MeetingKind.ORG_LIFE_MEETING)]

    def meeting_count(kind: MeetingKind) -> MeetingCount:
        return _meeting_count([m for m in in_meetings if m.serves(kind)], kind, kept_meetings)

    def study_count(audience: StudyAudience) -> Count:
        return _count(
            [(s.id, s.date) for s in in_studies if s.audience is audience], kept=kept_studies
        )

    appraisals = [a for a in ledger.appraisals if a.date in period]
    kept_appraisals = bool(ledger.appraisals)
    letters = [x for x in ledger.responsibility_letters if x.signed in period]

    task_forces = [
        s
        for s in ledger.service_activities
        if s.kind is ServiceKind.TASK_FORCE and period.overlaps(s.start, s.end)
    ]

    # Records inside the paired villages, with references that say where they are.
    def inside(field: str, date_of: Callable[[Any], dt.date]) -> list[tuple[str, Any]]:
        return [
            (f"{p.id}.{field}[{i}]", item)
            for p in ledger.pairings
            for i, item in enumerate(getattr(p, field))
            if date_of(item) in period
        ]

    activities = inside("activities", lambda a: a.date)
    trainings = inside("trainings", lambda x: x.date)
    visits = inside("visits", lambda v: v.date)
    volunteering = inside("volunteer_work", lambda w: w.date)
    projects = [
        (f"{p.id}.projects[{i}]", project)
        for p in ledger.pairings
        for i, project in enumerate(p.projects)
    ]
    applied = [(ref, pr) for ref, pr in projects if since <= pr.applied <= period.end]
    approved = [
        (ref, pr)
        for ref, pr in projects
        if pr.approved is not None and since <= pr.approved <= period.end
    ]
    funded = [(ref, pr.funds) for ref, pr in approved if pr.funds is not None]
    trainees = [x.trainees for _, x in trainings if x.trainees is not None]
    raised, closed, revisited, open_, overdue, ongoing = _rectifications(
        ledger.rectifications, period
    )

    centre_group = study_count(StudyAudience.CENTRE_GROUP)
    forms = [
        (form, ids) for form in StudyForm if (ids := [s.id for s in in_studies if s.form is form])
    ]
    films = tuple(
        Film(title=_film_title(s), date=s.date, session=s.id)
        for s in in_studies
        if s.form is StudyForm.FILM
    )
    village_trainings = _count([(ref, x.date) for ref, x in trainings], kept=has_pairing)
    villages = _distinct(p.place for p in pairings)
    project_partners = _distinct(pr.partner for _, pr in applied if pr.partner)
    funds_won = Amount(
        yuan=sum((f for _, f in funded), Decimal(0)) if has_pairing else None,
        evidence=tuple(ref for ref, _ in funded),
    )
    village_trainees = sum(trainees) if trainees else None
    donations = _donations(visits)

    leadership = (
        _number(
            "secretary_reports",
            t("述职评议"),
            t("人次"),
            _count(
                [(a.id, a.date) for a in appraisals if a.kind is AppraisalKind.SECRETARY_REPORT],
                kept=kept_appraisals,
            ),
        ),
        _number(
            "member_appraisals",
            t("民主测评"),
            t("人次"),
            _count(
                [(a.id, a.date) for a in appraisals if a.kind is AppraisalKind.MEMBER_APPRAISAL],
                kept=kept_appraisals,
            ),
        ),
        _number(
            "letters",
            t("签订责任书"),
            t("份"),
            _count([(x.id, x.signed) for x in letters], kept=bool(ledger.responsibility_letters)),
        ),
        _detail("letter_subjects", t("责任书名称"), _distinct(x.subject for x in letters)),
        _number("rectifications_raised", t("新收到反馈问题"), t("个"), raised),
        _number("rectifications_closed", t("销号"), t("个"), closed),
        _number("rectifications_revisited", t("回头看"), t("个"), revisited),
        _number("rectifications_open", t("期末仍在整改"), t("个"), open_),
        _number("rectifications_overdue", t("超过整改时限"), t("个"), overdue),
        _number("rectifications_ongoing", t("长期坚持"), t("个"), ongoing),
    )
    study = (
        _number("centre_group_study", t("中心组学习"), t("次"), centre_group),
        _number(
            "all_members_study", t("全体党员学习"), t("次"), study_count(StudyAudience.ALL_MEMBERS)
        ),
        _number(
            "all_staff_study", t("全体干部职工学习"), t("次"), study_count(StudyAudience.ALL_STAFF)
        ),
        _breakdown(
            "study_forms",
            t("学习形式"),
            tuple(
                Tally(label=form.label, value=len(ids), evidence=tuple(ids)) for form, ids in forms
            ),
            kept=kept_studies,
            labels=[t(form.label) for form, _ in forms],  # the enumeration's label, a message
        ),
        _breakdown(
            "study_platforms",
            t("线上平台"),
            _tally((s.platform, s.id) for s in in_studies if s.platform),
            kept=kept_studies,
        ),
        Figure(
            key="films",
            label=t("观看专题教育片"),
            value=len(films) if centre_group.value is not None else None,
            unit=t("部"),
            sources=tuple(f.session for f in films),
            titles=tuple(f.title for f in films if f.title),
            data=films,
        ),
        # the ledger keeps no study notes
        Figure(key="study_note_min_wan_zi", label=t("学习笔记字数"), unit=t("万字"), data=None),
        _number(
            "task_force",
            t("党员突击队"),
            t("名"),
            _headcount(
                [(s.id, s.participants) for s in task_forces],
                kept=bool(ledger.service_activities),
            ),
        ),
        _detail("task_force_titles", t("党员突击队名称"), _distinct(s.title for s in task_forces)),
    )
    standards = (
        _number(
            "general_meetings", t("党员大会"), t("次"), meeting_count(MeetingKind.GENERAL_MEETING)
        ),
        _number(
            "committee_meetings", t("支委会"), t("次"), meeting_count(MeetingKind.COMMITTEE_MEETING)
        ),
        _number("group_meetings", t("党小组会"), t("次"), meeting_count(MeetingKind.GROUP_MEETING)),
        _number("party_lectures", t("党课"), t("次"), meeting_count(MeetingKind.PARTY_LECTURE)),
        _number("theme_days", t("主题党日"), t("次"), meeting_count(MeetingKind.THEME_DAY)),
        _number(
            "org_life_meetings",
            t("组织生活会"),
            t("次"),
            meeting_count(MeetingKind.ORG_LIFE_MEETING),
        ),
        _detail(
            "org_life_topics", t("组织生活会主题"), _distinct(m.topic for m in org_life if m.topic)
        ),
        _number(
            "talks",
            t("谈心谈话"),
            t("次"),
            _count(
                [(x.id, x.date) for x in ledger.talks if x.date in period], kept=bool(ledger.talks)
            ),
        ),
        *_dues(ledger, period),
        _breakdown(
            "theme_day_actions",
            t("主题党日规定动作"),
            _tally((action, m.id) for m in theme_days for action in m.actions),
            kept=kept_meetings,
        ),
    )
    pairing = (
        _detail("villages", t("结对帮扶村"), villages),
        _number(
            "leaders",
            t("第一书记、工作队队长"),
            t("名"),
            _people(pairings, lambda p: (p.first_secretary, p.team_leader), has_pairing),
        ),
        _number(
            "first_secretaries",
            t("第一书记"),
            t("名"),
            _people(pairings, lambda p: (p.first_secretary,), has_pairing),
            listed=False,
        ),
        _number(
            "team_leaders",
            t("工作队队长"),
            t("名"),
            _people(pairings, lambda p: (p.team_leader,), has_pairing),
            listed=False,
        ),
        _number(
            "team_members",
            t("工作队队员"),
            t("名"),
            _people(pairings, lambda p: p.team_members, has_pairing),
        ),
        _detail("projects_since", t("扶贫项目统计起始日"), since),
        _number(
            "projects_applied",
            t("申报扶贫项目"),
            t("个"),
            _count([(ref, pr.applied) for ref, pr in applied], kept=has_pairing),
        ),
        _number(
            "projects_approved",
            t("获批扶贫项目"),
            t("个"),
            _count([(ref, pr.approved) for ref, pr in approved if pr.approved], kept=has_pairing),
        ),
        Figure(
            key="project_partners",
            label=t("合作企业"),
            value=len(project_partners) if villages else None,
            unit=t("家"),
            sources=project_partners,  # the enterprises' names: they have no records of their own
            data=project_partners,
        ),
        Figure(
            key="funds_won",
            label=t("争取扶贫资金"),
            value=funds_won.wan,
            unit=t("万元"),
            sources=funds_won.evidence,
            data=funds_won,
        ),
        _number("village_trainings", t("在村培训"), t("次"), village_trainings),
        Figure(
            key="village_trainees",
            label=t("培训人次"),
            value=village_trainees,
            unit=t("人次"),
            sources=village_trainings.evidence,
            data=village_trainees,
        ),
        _number(
            "visits",
            t("走访慰问"),
            t("次"),
            _count([(ref, v.date) for ref, v in visits], kept=has_pairing),
        ),
        Figure(
            key="donations",
            label=t("慰问物资"),
            value=len(donations) if has_pairing else None,
            unit=t("种"),
            sources=_distinct(ref for d in donations for ref in d.evidence),
            parts=tuple(
                Figure(
                    key=f"donations[{i}]",
                    label=d.item,
                    value=d.quantity,
                    unit=d.unit,
                    sources=d.evidence,
                    data=d,
                )
                for i, d in enumerate(donations)
            ),
            data=donations,
        ),
        _number(
            "volunteer_work",
            t("结对共建志愿服务"),
            t("次"),
            _count([(ref, w.date) for ref, w in volunteering], kept=has_pairing),
        ),
        _number(
            "volunteers",
            t("参加志愿服务党员"),
            t("名"),
            _headcount([(ref, w.volunteers) for ref, w in volunteering], kept=has_pairing),
        ),
        _breakdown(
            "joint_activities",
            t("共建活动"),
            _tally((a.kind, ref) for ref, a in activities),
            kept=has_pairing,
        ),
    )
    shortcomings = (
        Figure(
            key="check_line",
            label=t("规则检查结果"),
            listed=False,
            text=None if report is None else _check_line(report),
            data=report.summary_line() if report is not None else None,
        ),
        _findings("failed", t("不符合要求"), report, Status.FAILED),
        _findings("waived", t("经批准豁免"), report, Status.WAIVED),
        _findings("unknown", t("无法判断"), report, Status.UNKNOWN),
    )
    return WorkSummary(
        organisation=ledger.name,
        period=period,
        references=references(ledger),
        sections=tuple(
            Section(
                key=key,
                mark=mark,
                heading=t(heading),
                figures=figures,
                missing_as=t("结对帮扶") if key == "pairing" and not villages else None,
            )
            for key, mark, heading, figures in zip(
                _SECTION_KEYS,
                _MARKS,
                PARTS,
                tuple(
                    _for(kind, part)
                    for part in (leadership, study, standards, pairing, shortcomings)
                ),
                strict=True,
            )
        ),
    )


def _check_line(report: Report) -> Message:
    """The check's line as the summary writes it: its counts, as of the day it judged by
    written as a day of the calendar (``2020年6月30日``)."""

    def line(lang: i18n.Language) -> str:
        counts = report.totals or report.counts()
        parts = [t("{status}{n}", status=s.text(lang), n=n).render(lang) for s, n in counts.items()]
        return t(
            "{period}（截至{as_of}，规则集 {profile}）：{counts}{shown}",
            period=report.period.label(lang),
            as_of=day(report.as_of, lang=lang),
            profile=report.profile,
            counts=t("，").render(lang).join(parts),
            shown="",
        ).render(lang)

    return rendered_by(line)


def _dues(ledger: Ledger, period: Period) -> tuple[Figure, Figure]:
    """党费 collected for the months of the period, in 元: the total, and month by month (the
    months paid for, as the payments record them); no data when the ledger keeps no payments."""
    kept = bool(ledger.dues_payments)
    payments = [p for p in ledger.dues_payments if p.month.first_day in period]
    months = sorted({p.month.first_day for p in payments})
    total = sum((p.amount for p in payments), Decimal(0)) if kept else None
    evidence = tuple(p.id for p in payments)
    by_month = tuple(
        Figure(
            key=f"dues_by_month[{i}]",
            label=t("{month}月", month=month.month),
            value=sum((p.amount for p in payments if p.month.first_day == month), Decimal(0)),
            unit=t("元"),
            sources=tuple(p.id for p in payments if p.month.first_day == month),
        )
        for i, month in enumerate(months)
    )
    return (
        Figure(
            key="dues",
            label=t("收缴党费"),
            value=total,
            unit=t("元"),
            sources=evidence,
            data=Amount(yuan=total, evidence=evidence),
        ),
        Figure(
            key="dues_by_month",
            label=t("各月党费"),
            unit=t("元"),
            sources=evidence,
            parts=by_month,
            data=tuple(
                MonthDues(
                    month=f"{m.year:04d}-{m.month:02d}",
                    yuan=Decimal(f.value or 0),
                    evidence=f.sources,
                )
                for m, f in zip(months, by_month, strict=True)
            ),
        ),
    )


def _number(
    key: str, label: Message, unit: Message, data: Count | Headcount, *, listed: bool = True
) -> Figure:
    return Figure(
        key=key,
        label=label,
        value=data.value,
        unit=unit,
        sources=data.evidence,
        members=data.members if isinstance(data, Headcount) else (),
        listed=listed,
        data=data,
    )


def _detail(key: str, label: Message, data: FigureData) -> Figure:
    return Figure(key=key, label=label, listed=False, data=data)


def _findings(key: str, label: Message, report: Report | None, status: Status) -> Figure:
    """The findings of ``report`` of one status, by rule and severity: each group a part, named
    by its rule's title (in the languages the rule file gives)."""
    groups = _groups(report, status) if report is not None else ()
    return Figure(
        key=key,
        label=label,
        value=sum(g.count for g in groups) if report is not None else None,
        unit=_ITEMS,
        listed=False,
        parts=tuple(
            Figure(
                key=f"{key}[{i}]",
                label=given({"zh": g.title, "en": report.title(g.rule, "en")})
                if report is not None
                else g.title,
                value=g.count,
                unit=_ITEMS,
                listed=False,
                data=g,
            )
            for i, g in enumerate(groups)
        ),
        data=groups,
    )


def _breakdown(
    key: str,
    label: Message,
    tallies: tuple[Tally, ...],
    *,
    kept: bool,
    unit: Message = _TIMES,
    labels: Sequence[Message | str] | None = None,
) -> Figure:
    return Figure(
        key=key,
        label=label,
        value=sum(tally.value for tally in tallies) if kept else None,
        unit=unit,
        sources=tuple(ref for tally in tallies for ref in tally.evidence),
        parts=tuple(
            Figure(
                key=f"{key}[{i}]",
                label=tally.label if labels is None else labels[i],
                value=tally.value,
                unit=unit,
                sources=tally.evidence,
                data=tally,
            )
            for i, tally in enumerate(tallies)
        ),
        data=tallies,
    )


def _projects_since(period: Period) -> dt.date:
    """The first day of the year that ends with the period (or the period's first day)."""
    after = period.end + dt.timedelta(days=1)
    try:
        year_before = after.replace(year=after.year - 1)
    except ValueError:  # 29 February
        year_before = dt.date(after.year - 1, 3, 1)
    return min(period.start, year_before)


def _count(records: Sequence[tuple[str, dt.date]], *, kept: bool) -> Count:
    if not kept:
        return Count(value=None)
    return Count(
        value=len(records),
        dates=tuple(sorted({day for _, day in records})),
        evidence=tuple(ref for ref, _ in records),
    )


def _meeting_count(meetings: Sequence[Meeting], kind: MeetingKind, kept: bool) -> MeetingCount:
    """The meetings that served as ``kind``, with how many of them were held together with each
    other kind."""
    if not kept:
        return MeetingCount(value=None)
    count = _count([(m.id, m.date) for m in meetings], kept=True)
    combined = [
        Combined(kind=other, value=len(ids), evidence=tuple(ids))
        for other in MeetingKind
        if other is not kind
        for ids in [[m.id for m in meetings if m.serves(other)]]
        if ids
    ]
    return MeetingCount(
        value=count.value, dates=count.dates, evidence=count.evidence, combined=tuple(combined)
    )


def _headcount(records: Sequence[tuple[str, Sequence[str]]], *, kept: bool) -> Headcount:
    if not kept:
        return Headcount(value=None)
    people = _distinct(m for _, members in records for m in members)
    return Headcount(value=len(people), members=people, evidence=tuple(ref for ref, _ in records))


def _people(
    pairings: Sequence[PairingVillage],
    who: Callable[[PairingVillage], Iterable[str | None]],
    kept: bool,
) -> Headcount:
    found = [(p.id, tuple(m for m in who(p) if m is not None)) for p in pairings]
    return _headcount([(ref, ms) for ref, ms in found if ms], kept=kept)


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))


def _tally(pairs: Iterable[tuple[str, str]]) -> tuple[Tally, ...]:
    """Counts by label, labels in order of first appearance."""
    by_label: dict[str, list[str]] = {}
    for label, ref in pairs:
        by_label.setdefault(label, []).append(ref)
    return tuple(Tally(label=k, value=len(v), evidence=tuple(v)) for k, v in by_label.items())


def _film_title(session: StudySession) -> str | None:
    for topic in session.topics:
        match = _TITLE.search(topic)
        if match:
            return match[1]
    return session.topics[0] if session.topics else None


def _donations(visits: Sequence[tuple[str, Any]]) -> tuple[DonationTotal, ...]:
    totals: dict[tuple[str, str], tuple[Decimal, list[str]]] = {}
    for ref, visit in visits:
        for d in visit.donations:
            quantity, refs = totals.get((d.item, d.unit), (Decimal(0), []))
            if ref not in refs:
                refs = [*refs, ref]
            totals[(d.item, d.unit)] = (quantity + d.quantity, refs)
    return tuple(
        DonationTotal(item=item, quantity=q, unit=unit, evidence=tuple(refs))
        for (item, unit), (q, refs) in totals.items()
    )


def _rectifications(
    items: Sequence[RectificationItem], period: Period
) -> tuple[Count, Count, Count, Count, Count, Count]:
    """Items raised, closed and revisited in the period; open, overdue, ongoing at its end."""
    end = period.end
    kept = bool(items)

    def closed_by_end(r: RectificationItem) -> bool:
        if r.closed is not None:
            return r.closed <= end
        return r.status is RectificationStatus.CLOSED

    existing = [r for r in items if r.raised <= end]
    open_ = [
        r for r in existing if r.status is not RectificationStatus.ONGOING and not closed_by_end(r)
    ]
    revisited = [(r.id, f.date) for r in items for f in r.follow_ups if f.date in period]
    closed = [(r.id, r.closed) for r in items if r.closed is not None and r.closed in period]
    overdue = [(r.id, r.deadline) for r in open_ if r.deadline is not None and r.deadline < end]
    return (
        _count([(r.id, r.raised) for r in items if r.raised in period], kept=kept),
        _count(closed, kept=kept),
        _count(revisited, kept=kept),
        _count([(r.id, r.raised) for r in open_], kept=kept),
        _count(overdue, kept=kept),
        _count(
            [(r.id, r.raised) for r in existing if r.status is RectificationStatus.ONGOING],
            kept=kept,
        ),
    )


def _groups(report: Report, status: Status) -> tuple[FindingGroup, ...]:
    # by rule and severity: a rule's findings may be milder than the rule (补交 is a warning)
    by_rule: dict[tuple[str, Severity], list[Finding]] = {}
    for f in report.findings:
        if f.status is status:
            by_rule.setdefault((f.rule, f.severity), []).append(f)
    return tuple(
        FindingGroup(
            rule=rule,
            title=report.title(rule),
            severity=severity,
            count=len(found),
            subjects=() if status is Status.UNKNOWN else _distinct(f.subject.name for f in found),
            reasons=_distinct(_gap(f) for f in found)
            if status is Status.UNKNOWN
            else _distinct(
                f"{f.waiver.reason}（{f.waiver.approved_by}批准）" for f in found if f.waiver
            ),
        )
        for (rule, severity), found in by_rule.items()
    )


def _gap(f: Finding) -> str:
    """What the records lack for ``f`` and what to add, without naming anybody."""
    if f.gap is None:
        return "台账记录不足以判断，请补充相关记录"
    return f"{f.gap.label}，请{f.gap.remedy()}"
