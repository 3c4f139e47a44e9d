"""A compliant annual plan: the dates of every recurring meeting the frequency rules require.

:func:`plan` reads the rule set — the ``frequency`` rules in force in the year (their meeting
kinds, sub-period, count, weekday, applicability) and the ``reschedule`` rules (how far a fixed
day may move) — and places, for each organisation and each sub-period, as many meetings as the
rule asks, each on a working day of the Chinese calendar with its 调休
(:class:`~dangjian.calendar.WorkingCalendar`):

- a 主题党日 on the organisation's fixed day (:attr:`Branch.theme_day
  <dangjian.Branch.theme_day>`); when that day is not a working day, on the nearest working day
  within the month that the reschedule rule allows (the earlier of two as near), said in the
  event's note;
- other meetings on their usual day (:data:`USUAL_DAY`): 支委会 the 5th, 党小组会 the 10th,
  主题党日 without a fixed day the 15th, 党员大会 and 党课 the 20th and 25th of the middle month
  of the quarter; 组织生活会 and 民主评议党员 in the fourth quarter (支部工作条例 第十七条:
  "一般安排在第四季度"; 民主评议 may be combined with it), moved to the nearest working day in
  the sub-period.

Only meeting rules are planned (study sessions are not meetings of a fixed kind). A ledger
holding exactly the plan's meetings passes every frequency rule it planned for (a property test
checks it); a 党课 that a committee seat must give is planned on a day the seat is held, and
says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Sequence
from typing import Any

import attrs

from dangjian._files import write_bytes
from dangjian._optional import require
from dangjian.calendar import WorkingCalendar
from dangjian.errors import DangjianError, Language
from dangjian.findings import Citation
from dangjian.i18n import Message, t
from dangjian.ledger import Ledger
from dangjian.model import Branch, CommitteeRole, MeetingKind
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context
from dangjian.rules.kinds.activity import FrequencyParams, RescheduleParams, has_committee
from dangjian.rules.loader import load_rules
from dangjian.rules.registry import Registry, default_registry
from dangjian.rules.schema import Rule

__all__ = ["FORMATS", "USUAL_DAY", "AnnualPlan", "PlannedEvent", "plan"]

FORMATS = ("text", "json", "ics", "xlsx")
"""The formats :meth:`AnnualPlan.to_bytes` writes."""

USUAL_DAY: dict[MeetingKind, tuple[int | None, int]] = {
    MeetingKind.COMMITTEE_MEETING: (None, 5),
    MeetingKind.GROUP_MEETING: (None, 10),
    MeetingKind.THEME_DAY: (None, 15),
    MeetingKind.GENERAL_MEETING: (None, 20),
    MeetingKind.PARTY_LECTURE: (None, 25),
    MeetingKind.ORG_LIFE_MEETING: (4, 20),
    MeetingKind.DEMOCRATIC_APPRAISAL: (4, 21),
}
"""The usual day of each kind: (the quarter of the year it is held in, for a yearly rule, or
``None``; the day of the month). A day is placed in the middle month of its part of the
sub-period; the quarter is from 支部工作条例 第十七条 (组织生活会一般安排在第四季度)."""

START = dt.time(9, 0)
END = dt.time(10, 30)
"""The time of an event in the calendar file (Beijing time): a meeting of a morning."""

_TZ = "Asia/Shanghai"


@attrs.frozen(kw_only=True)
class PlannedEvent:
    """One meeting of the plan.

    Attributes:
        date: The day.
        kind: The kind of meeting.
        branch: The id of the organisation; ``branch_name`` its name.
        group: For a 党小组会, the id of the party group; ``group_name`` its name.
        rules: The ids of the rules it meets; ``titles`` their titles; ``citations`` theirs.
        moved_from: The fixed day it was moved from (a 主题党日 on a holiday).
        lecturer_role: The committee seat that must give it (a 党委书记's 党课).
        note: Why the day is as it is, when it is not the usual one.
    """

    date: dt.date
    kind: MeetingKind
    branch: str
    branch_name: str
    group: str | None = None
    group_name: str | None = None
    rules: tuple[str, ...]
    titles: tuple[str, ...]
    citations: tuple[Citation, ...] = ()
    moved_from: dt.date | None = None
    lecturer_role: CommitteeRole | None = None
    note: Message | None = None

    @property
    def uid(self) -> str:
        """A stable id, made from the organisation, group, kind, rules and day."""
        key = "|".join(
            [self.branch, self.group or "", self.kind.value, ",".join(self.rules), str(self.date)]
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@dangjian"

    def summary(self, lang: Language = "zh") -> str:
        """The title of the event (``第一党支部 支委会``)."""
        who = self.branch_name + (f" {self.group_name}" if self.group_name else "")
        return f"{who} {self.kind.msg.render(lang)}"

    def description(self, lang: Language = "zh") -> str:
        """The rules it meets, with their citations, and the note."""
        lines = [f"{r} {title}" for r, title in zip(self.rules, self.titles, strict=True)]
        lines += [c.render(lang) for c in self.citations]
        if self.lecturer_role is not None:
            lines.append(t("由{role}讲授", role=self.lecturer_role.msg).render(lang))
        if self.note is not None:
            lines.append(self.note.render(lang))
        return "\n".join(lines)

    def to_data(self, lang: Language = "zh") -> dict[str, Any]:
        """The event as JSON data."""
        return {
            "date": self.date.isoformat(),
            "kind": self.kind.value,
            "branch": self.branch,
            "group": self.group,
            "summary": self.summary(lang),
            "rules": list(self.rules),
            "moved_from": self.moved_from.isoformat() if self.moved_from else None,
            "lecturer_role": self.lecturer_role.value if self.lecturer_role else None,
            "note": self.note.render(lang) if self.note else None,
            "citations": [c.render(lang) for c in self.citations],
            "uid": self.uid,
        }


@attrs.frozen(kw_only=True)
class AnnualPlan:
    """The meetings of a year, by day (:func:`plan`).

    Attributes:
        year: The year.
        profile: The rule set.
        events: The meetings, by day, organisation, group and kind.
    """

    year: int
    profile: str
    events: tuple[PlannedEvent, ...]

    def __len__(self) -> int:
        return len(self.events)

    def __repr__(self) -> str:
        return f"<AnnualPlan {self.year}: {len(self.events)} events>"

    def render(self, format: str = "text", lang: Language = "zh") -> str:
        """The plan as ``text`` (a line an event) or ``json``."""
        if format == "json":
            data = {
                "year": self.year,
                "profile": self.profile,
                "events": [e.to_data(lang) for e in self.events],
            }
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if format != "text":
            raise DangjianError(t("未知的格式：{format}", format=format))
        lines = [t("{year}年计划：{n}项活动", year=self.year, n=len(self.events)).render(lang)]
        for e in self.events:
            extra = f"（{e.note.render(lang)}）" if e.note is not None else ""
            lines.append(f"{e.date.isoformat()}  {e.summary(lang)}  [{','.join(e.rules)}]{extra}")
        return "\n".join(lines) + "\n"

    def to_bytes(self, format: str, lang: Language = "zh") -> bytes:
        """The plan in ``format`` (:data:`FORMATS`) as bytes."""
        if format == "ics":
            return to_ics(self, lang)
        if format == "xlsx":
            return to_xlsx(self, lang)
        return self.render(format, lang).encode("utf-8")

    def write(
        self,
        path: str | os.PathLike[str],
        format: str,
        lang: Language = "zh",
        *,
        overwrite: bool = True,
    ) -> None:
        """Write the plan to ``path`` in ``format``, atomically."""
        write_bytes(path, self.to_bytes(format, lang), overwrite=overwrite)


def plan(
    ledger: Ledger,
    year: int,
    *,
    profile: str = "national",
    rules: Sequence[str | os.PathLike[str]] = (),
    registry: Registry | None = None,
    calendar: WorkingCalendar | None = None,
) -> AnnualPlan:
    """The meetings ``ledger``'s organisations must hold in ``year`` under the frequency rules
    of ``profile`` and ``rules`` (the organisation's own plan file among them), each on a working
    day (see the module).

    Raises:
        RuleError: a rule file is invalid.
        CalendarError: the working calendar does not cover ``year``.

    .. versionadded:: 0.2
    """
    registry = registry or default_registry()
    calendar = calendar or WorkingCalendar()
    ruleset = load_rules(profile, list(rules), registry=registry, allow_unmatched=True)
    period = Period(PeriodUnit.YEAR, year)
    ctx = Context(ledger, period, period.end, calendar)
    moves = [r for r in ruleset if r.kind == "reschedule"]
    events: list[PlannedEvent] = []
    for rule in ruleset:
        if rule.kind != "frequency" or not rule.in_force.overlaps(period.start, period.end):
            continue
        first: FrequencyParams = rule.params_on(period.start)
        if first.record != "meeting" or not first.meeting_kinds:
            continue
        for org in ctx.organisations(rule):
            groups: list[tuple[str | None, str | None]] = [(None, None)]
            if first.subject == "group":
                groups = [(g.id, g.name) for g in ctx.groups_by_branch.get(org.id, ())]
            for group, group_name in groups:
                for sub in ctx.subperiods(first.per):
                    events += _place(ctx, rule, moves, org, group, group_name, sub, events)
    events.sort(key=lambda e: (e.date, e.branch, e.group or "", e.kind.value, e.rules))
    return AnnualPlan(year=year, profile=profile, events=tuple(events))


def _place(
    ctx: Context,
    rule: Rule,
    moves: list[Rule],
    org: Branch,
    group: str | None,
    group_name: str | None,
    sub: Period,
    planned: list[PlannedEvent],
) -> list[PlannedEvent]:
    """The events ``rule`` needs in ``sub`` beyond those already ``planned``."""
    p: FrequencyParams = rule.params_on(sub.start)
    if p.needs_committee and not has_committee(org, sub):
        return []
    days = [
        sub.start + dt.timedelta(days=i)
        for i in range((sub.end - sub.start).days + 1)
        if _possible(ctx, rule, org, p, sub.start + dt.timedelta(days=i))
    ]
    if not days:
        return []
    kind = p.meeting_kinds[0]
    found = [
        e
        for e in planned
        if e.branch == org.id
        and e.group == group
        and e.kind in p.meeting_kinds
        and sub.start <= e.date <= sub.end
        and e.date in days
        and e.lecturer_role in (None, p.lecturer_role)
    ]
    out: list[PlannedEvent] = []
    for e in found[: p.at_least]:
        planned[planned.index(e)] = attrs.evolve(
            e,
            rules=(*e.rules, rule.id),
            titles=(*e.titles, rule.title),
            citations=_merged(e.citations, rule.citations_on(e.date)),
            lecturer_role=e.lecturer_role or p.lecturer_role,
        )
    for part in _parts(sub, p.at_least)[len(found) :]:
        target = _usual(kind, part, org, sub)
        allowed = [d for d in days if part.start <= d <= part.end and d not in _taken(out)]
        if not allowed:
            allowed = [d for d in days if d not in _taken(out)] or days
        day, moved_from, note = _choose(ctx, kind, org, target, allowed, moves)
        out.append(
            PlannedEvent(
                date=day,
                kind=kind,
                branch=org.id,
                branch_name=org.name,
                group=group,
                group_name=group_name,
                rules=(rule.id,),
                titles=(rule.title,),
                citations=rule.citations_on(day),
                moved_from=moved_from,
                lecturer_role=p.lecturer_role,
                note=note,
            )
        )
    return out


def _taken(events: list[PlannedEvent]) -> set[dt.date]:
    return {e.date for e in events}


def _merged(a: tuple[Citation, ...], b: tuple[Citation, ...]) -> tuple[Citation, ...]:
    return a + tuple(c for c in b if c not in a)


def _possible(ctx: Context, rule: Rule, org: Branch, p: FrequencyParams, day: dt.date) -> bool:
    """Whether a meeting on ``day`` counts for ``rule``: a working day, in force, the
    organisation existing, on the weekday asked, the lecturer's seat held."""
    if not rule.in_force.covers(day) or not ctx.calendar.is_working_day(day):
        return False
    if (org.founded is not None and day < org.founded) or (
        org.dissolved is not None and day > org.dissolved
    ):
        return False
    if p.weekday is not None and day.isoweekday() != p.weekday:
        return False
    if p.lecturer_role is not None:
        return any(role is p.lecturer_role for role, _ in ctx.committee_on(org, day))
    return True


@attrs.frozen
class _Span:
    start: dt.date
    end: dt.date


def _parts(sub: Period, n: int) -> list[_Span]:
    """``sub`` cut into ``n`` spans of about equal length."""
    total = (sub.end - sub.start).days + 1
    out = []
    for i in range(n):
        lo = sub.start + dt.timedelta(days=total * i // n)
        hi = sub.start + dt.timedelta(days=total * (i + 1) // n - 1)
        out.append(_Span(lo, max(lo, hi)))
    return out


def _usual(kind: MeetingKind, part: _Span, org: Branch, sub: Period) -> dt.date:
    """The usual day of ``kind`` in ``part``."""
    quarter, day = USUAL_DAY.get(kind, (None, 15))
    if kind is MeetingKind.THEME_DAY and org.theme_day is not None:
        day = org.theme_day
    if quarter is not None and sub.unit is PeriodUnit.YEAR and part.start == sub.start:
        month = dt.date(sub.start.year, quarter * 3 - 1, 1)
    elif sub.unit is PeriodUnit.WEEK:
        return part.start + dt.timedelta(days=min(2, (part.end - part.start).days))
    else:
        mid = part.start + (part.end - part.start) / 2
        month = mid.replace(day=1)
        if month < part.start.replace(day=1):
            month = part.start.replace(day=1)
    last = (Period.containing(month, PeriodUnit.MONTH)).end.day
    return month.replace(day=min(day, last))


def _choose(
    ctx: Context,
    kind: MeetingKind,
    org: Branch,
    target: dt.date,
    allowed: list[dt.date],
    moves: list[Rule],
) -> tuple[dt.date, dt.date | None, Message | None]:
    """The nearest allowed day to ``target`` (the earlier of two as near), with the day moved
    from and a note when it is a fixed 主题党日 moved off a holiday."""
    day = min(allowed, key=lambda d: (abs((d - target).days), d))
    if day == target:
        return day, None, None
    why = t("节假日") if ctx.calendar.is_holiday(target) else t("休息日")
    if kind is not MeetingKind.THEME_DAY or org.theme_day is None:
        note = t("{target}为{why}，安排在{day}", target=target.isoformat(), why=why, day=day)
        return day, None, note
    limit = _max_move(moves, kind, day)
    moved = abs((day - target).days)
    if limit is None or moved <= limit[0]:
        cite = t("（{rule}，不超过{n}天）", rule=limit[1], n=limit[0]) if limit else ""
        note = t(
            "固定日{target}为{why}，调至{day}{cite}",
            target=target.isoformat(),
            why=why,
            day=day.isoformat(),
            cite=cite,
        )
    else:
        note = t(
            "固定日{target}为{why}，调至{day}，超过{rule}允许的{n}天",
            target=target.isoformat(),
            why=why,
            day=day.isoformat(),
            rule=limit[1],
            n=limit[0],
        )
    return day, target, note


def _max_move(moves: list[Rule], kind: MeetingKind, day: dt.date) -> tuple[int, str] | None:
    """The least ``max_days`` of the reschedule rules for ``kind`` in force on ``day``."""
    found: list[tuple[int, str]] = []
    for r in moves:
        if not r.in_force.covers(day):
            continue
        p: RescheduleParams = r.params_on(day)
        if kind in p.meeting_kinds:
            found.append((p.max_days, r.id))
    return min(found) if found else None


# -- writers ---------------------------------------------------------------------------------


def to_ics(p: AnnualPlan, lang: Language = "zh") -> bytes:
    """The plan as an iCalendar file (RFC 5545): an event 09:00–10:30 Beijing time a meeting,
    with a stable UID and a reminder the day before."""
    icalendar = require("icalendar", "calendar")
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(_TZ)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//dangjian//annual plan//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t("{year}年党组织活动计划", year=p.year).render(lang))
    cal.add("x-wr-timezone", _TZ)
    # the stamp is fixed by the year, so that the same plan writes the same file
    stamp = dt.datetime(p.year, 1, 1, tzinfo=dt.UTC)
    for e in p.events:
        ev = icalendar.Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", dt.datetime.combine(e.date, START, tzinfo=tz))
        ev.add("dtend", dt.datetime.combine(e.date, END, tzinfo=tz))
        ev.add("summary", e.summary(lang))
        ev.add("description", e.description(lang))
        ev.add("categories", [e.kind.msg.render(lang)])
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.summary(lang))
        alarm.add("trigger", dt.timedelta(days=-1))
        ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


_HEADERS = (
    t("日期"),
    t("星期"),
    t("党组织"),
    t("党小组"),
    t("活动"),
    t("规则"),
    t("依据"),
    t("说明"),
)
_WEEK = ("一", "二", "三", "四", "五", "六", "日")


def to_xlsx(p: AnnualPlan, lang: Language = "zh") -> bytes:
    """The plan as an Excel workbook: a row an event, headed in ``lang``, frozen, filtered;
    columns as wide as their content and rows as tall, printed on A4 with the header on every
    page (:func:`dangjian.io._sheet_print.lay_out`)."""
    from dangjian.io._sheet_print import lay_out

    openpyxl = require("openpyxl", "excel")
    utils = require("openpyxl.utils", "excel")
    styles = require("openpyxl.styles", "excel")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = t("{year}年计划", year=p.year).render(lang)
    for col, head in enumerate(_HEADERS, start=1):
        cell = ws.cell(1, col, head.render(lang))
        cell.font = styles.Font(bold=True)
    for row, e in enumerate(p.events, start=2):
        ws.cell(row, 1, e.date).number_format = "yyyy-mm-dd"
        values = (
            _WEEK[e.date.weekday()] if lang == "zh" else e.date.strftime("%a"),
            e.branch_name,
            e.group_name or "",
            e.kind.msg.render(lang),
            "\n".join(f"{r} {title}" for r, title in zip(e.rules, e.titles, strict=True)),
            "\n".join(c.render(lang) for c in e.citations),
            e.note.render(lang) if e.note is not None else "",
        )
        for col, value in enumerate(values, start=2):
            cell = ws.cell(row, col, value)
            cell.data_type = "s"
    lay_out(ws, columns=len(_HEADERS))  # widths from the content, wrapped, A4
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{utils.get_column_letter(len(_HEADERS))}{max(1, len(p.events) + 1)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
