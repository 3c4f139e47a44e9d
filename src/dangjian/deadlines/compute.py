"""What is due: every requirement still open on a day whose deadline falls within a horizon.

The items are found by the check itself, never by a second reading of the regulations: an item
is due exactly when the check would fail at its deadline without further records. The ledger is
checked as it stands on the day asked about (``as_of``) and as it would stand the day after the
horizon; a finding that is not yet failed (or cannot-tell) on the first and is on the second is
an item, and its deadline is the last day on which the check does not yet fail it (found by
checking on the days that the finding itself names, then by halving). Reminders ahead — a
term's end six months and one month ahead, a probation's end one month ahead, training hours
behind pace — come from the same deadline functions the rule kinds use
(:func:`~dangjian.rules.kinds.people.election_deadline`,
:func:`~dangjian.rules.kinds.people.probation_end`,
:func:`~dangjian.rules.kinds.people.coverage_target`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from dangjian import _views
from dangjian.calendar import CalendarError, WorkingCalendar
from dangjian.errors import DangjianError, Language, Problem
from dangjian.findings import Citation, Finding, Status, Subject, Waiver
from dangjian.i18n import Message, t, tn
from dangjian.ledger import Ledger
from dangjian.model import MemberStatus, TrainingRecord
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context
from dangjian.rules.engine import check
from dangjian.rules.kinds._common import add_months
from dangjian.rules.kinds.activity import FrequencyParams
from dangjian.rules.kinds.people import (
    CoverageParams,
    MembershipParams,
    StructureParams,
    coverage_target,
    election_deadline,
    plain_number,
    probation_end,
    seat_spans,
    structure_message,
)
from dangjian.rules.loader import load_rules
from dangjian.rules.registry import Registry, default_registry
from dangjian.rules.schema import Rule
from dangjian.rules.texts import period_name
from dangjian.rules.waivers import is_selected

__all__ = ["LEVELS", "DueItem", "DueList", "Level", "due"]

Level = Literal["due", "unknown", "reminder"]
"""``due``: the check fails the day after the deadline unless something is done;
``unknown``: from the deadline on the check cannot tell (the records lack something);
``reminder``: a warning ahead (a term's or a probation's end, training behind pace)."""

LEVELS: tuple[Level, ...] = ("due", "unknown", "reminder")

_LEVEL_LABELS = {"due": t("到期"), "unknown": t("无法判断"), "reminder": t("提醒")}

_ONE = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class DueItem:
    """One requirement still open, with its deadline.

    Attributes:
        level: ``due``, ``unknown`` or ``reminder`` (see :data:`Level`).
        rule: The id of the rule.
        title: The rule's title in Chinese; ``title_en`` in English.
        subject: The organisation, member or record it is about, with its name.
        deadline: The last day to act: the check fails (or cannot tell) from the next day on;
            for a reminder, the day the term or probation ends (or the sub-period of training).
        owed: What is owed (``还需开展1次支部委员会会议``).
        period: The sub-period the requirement belongs to, if any.
        citations: Where the requirement comes from.
        working_days: Working days (调休 included) from the day after ``as_of`` to the deadline,
            when the working calendar covers them.
        finding: For ``due`` and ``unknown``: the check's finding the day after the deadline.
    """

    level: Level
    rule: str
    title: str
    title_en: str
    subject: Subject
    deadline: dt.date
    owed: Message
    period: Period | None = None
    citations: tuple[Citation, ...] = ()
    working_days: int | None = None
    finding: Finding | None = attrs.field(default=None, eq=False, repr=False)

    def title_in(self, lang: Language = "zh") -> str:
        """The rule's title in ``lang`` (Chinese for a language other than English)."""
        return self.title_en if lang == "en" and self.title_en else self.title

    def level_in(self, lang: Language = "zh") -> str:
        """The level as a word of ``lang`` (``到期``, ``due``)."""
        return _LEVEL_LABELS[self.level].render(lang)

    def to_data(self, lang: Language = "zh") -> dict[str, Any]:
        """The item as JSON data: stable keys, ISO dates, texts in ``lang``."""
        return {
            "level": self.level,
            "deadline": self.deadline.isoformat(),
            "working_days": self.working_days,
            "rule": self.rule,
            "title": self.title_in(lang),
            "subject": {
                "kind": self.subject.kind,
                "id": self.subject.id,
                "name": self.subject.name,
                "branch": self.subject.branch,
            },
            "owed": self.owed.render(lang),
            "period": str(self.period) if self.period is not None else None,
            "citations": [c.render(lang) for c in self.citations],
        }


@attrs.frozen(kw_only=True)
class DueList:
    """What is due on ``as_of`` within ``days``: the items, ordered by deadline.

    Attributes:
        as_of: The day asked about.
        days: The horizon in days; ``horizon`` is its last day.
        items: The items, by deadline, then level, rule and subject.
        profile: The rule set.
        notices: What the checks said of rule or waiver entries that matched nothing.
        width: The columns :meth:`render` fits text to (``None``: the terminal's).
    """

    as_of: dt.date
    days: int
    items: tuple[DueItem, ...]
    profile: str
    notices: tuple[Problem, ...] = ()
    width: int | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def horizon(self) -> dt.date:
        """The last day of the horizon."""
        return self.as_of + dt.timedelta(days=self.days)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        """One line: the day, the horizon and the items by level; the items are in
        :attr:`items` and :meth:`render`."""
        return f"<DueList {self.summary_line()}>"

    def summary_line(self, lang: Language = "zh") -> str:
        """One line: the day, the horizon, the items by level."""
        n = self.counts()
        return t(
            "截至{as_of}，未来{days}天内（至{horizon}）：{due}，{unknown}，{reminder}",
            as_of=self.as_of.isoformat(),
            days=self.days,
            horizon=self.horizon.isoformat(),
            due=tn("到期{n}项", "到期{n}项", n["due"], n=n["due"]),
            unknown=tn("无法判断{n}项", "无法判断{n}项", n["unknown"], n=n["unknown"]),
            reminder=tn("提醒{n}项", "提醒{n}项", n["reminder"], n=n["reminder"]),
        ).render(lang)

    def _repr_markdown_(self) -> str:
        """The list as Markdown, for a notebook."""
        return self.render("markdown")

    def filter(self, *, level: Iterable[Level] = LEVELS) -> DueList:
        """The list with only the items of ``level``."""
        keep = set(level)
        return attrs.evolve(self, items=tuple(i for i in self.items if i.level in keep))

    def counts(self) -> dict[Level, int]:
        """How many items of each level."""
        found = Counter(i.level for i in self.items)
        return {level: found[level] for level in LEVELS}

    def render(self, format: str = "text", lang: Language = "zh", width: int | None = None) -> str:
        """The list as ``text`` (grouped by deadline, fitted to ``width`` columns, by default
        the terminal's up to 100), ``json`` or ``markdown`` (:mod:`dangjian.deadlines.render`)."""
        shown = self if width is None else attrs.evolve(self, width=width)
        return str(_views.write(shown, format, lang))


def due(
    ledger: Ledger,
    as_of: dt.date,
    days: int = 30,
    *,
    profile: str = "national",
    rules: Sequence[str | os.PathLike[str]] = (),
    plan: str | os.PathLike[str] | None = None,
    waivers: Iterable[Waiver] = (),
    registry: Registry | None = None,
    calendar: WorkingCalendar | None = None,
    only: Sequence[str] = (),
) -> DueList:
    """What is due in ``ledger`` on ``as_of`` within ``days``: every requirement still open on
    ``as_of`` whose deadline falls in the horizon, and the reminders ahead.

    An item of level ``due`` is due exactly when the check (same rules, same data) would fail
    it the day after its deadline without further records, and does not fail it on ``as_of``;
    ``unknown`` when the check could not tell from then on. Reminders: a term ending within six
    months (and within one month), a probation ending within one month, training hours behind
    the year's pace. A reminder may lie beyond the horizon — it is there to warn earlier than
    the horizon would — and is left out when a due item of the same subject has the same
    deadline.

    Args:
        ledger: The records.
        as_of: The day asked about.
        days: The horizon, in days after ``as_of``.
        profile: ``national``, ``organ`` or the path of a rule file.
        rules: More rule files on top.
        plan: The organisation's own plan, a rule file (the same as one more of ``rules``).
        waivers: Failures excused: a waived failure is not due.
        registry: The rule kinds (default: the built-in ones).
        calendar: The working-day calendar (for the working days left).
        only: Only these rule ids (or prefixes ending in ``.``).

    Raises:
        DangjianError: ``days`` is negative.
        RuleError: a rule file is invalid.

    .. versionadded:: 0.2
    """
    if days < 0:
        raise DangjianError(t("期限天数不能为负数：{days}", days=days))
    registry = registry or default_registry()
    calendar = calendar or WorkingCalendar()
    files = [*rules, *([plan] if plan is not None else [])]
    ruleset = load_rules(profile, files, registry=registry, allow_unmatched=True)
    selected = {r.id: r for r in ruleset if is_selected(r, only)}
    horizon = as_of + dt.timedelta(days=days)
    years = [Period(PeriodUnit.YEAR, y) for y in range(as_of.year, (horizon + _ONE).year + 1)]
    checks = _Checks(
        ledger,
        years,
        dict(
            profile=profile,
            rules=files,
            waivers=tuple(waivers),
            registry=registry,
            calendar=calendar,
            only=only,
            allow_unmatched=True,
        ),
    )
    items = list(_due_items(checks, selected, as_of, horizon, calendar))
    ctx = Context(ledger, years[0], as_of, calendar)
    items += _without(
        items,
        [
            *_term_reminders(ctx, selected.values(), calendar),
            *_probation_reminders(ctx, selected.values(), calendar),
            *_training_pace(ctx, selected.values(), checks.on(as_of), calendar),
        ],
    )
    items.sort(key=_order)
    return DueList(
        as_of=as_of,
        days=days,
        items=tuple(items),
        profile=profile,
        notices=checks.notices,
    )


_Key = tuple[str, str, str, Period | None, int]


class _Checks:
    """The findings of the check as judged on each day asked, made once a day and rule: the
    whole check on the day asked about and the day after the horizon, only the rules in
    question on the days probed between."""

    def __init__(self, ledger: Ledger, periods: list[Period], options: dict[str, Any]) -> None:
        self.ledger, self.periods, self.options = ledger, periods, options
        self._on: dict[dt.date, dict[_Key, Finding]] = {}
        self._done: dict[dt.date, set[str | None]] = {}
        self.notices: tuple[Problem, ...] = ()

    def on(self, day: dt.date, rules: Iterable[str] | None = None) -> dict[_Key, Finding]:
        """The findings of the check judged on ``day``, by key: of every rule, or at least of
        ``rules``."""
        found = self._on.setdefault(day, {})
        done = self._done.setdefault(day, set())
        if None in done:
            return found
        options = dict(self.options)
        if rules is not None:
            wanted = set(rules) - done
            if not wanted:
                return found
            options["only"] = sorted(wanted)
        # a subject judged more than once in a sub-period (two stages of a probation; a
        # probation overdue, judged again in the next year's check) is told apart by the order
        # of the rule's findings
        seen: Counter[tuple[str, str, str, Period | None]] = Counter()
        for period in self.periods:
            report = check(self.ledger, period, as_of=day, **options)
            if rules is None and not self.notices:
                self.notices = report.notices
            for f in report.findings:
                base = (f.rule, f.subject.kind, f.subject.id, f.period)
                found[(*base, seen[base])] = f
                seen[base] += 1
        done.update([None] if rules is None else options["only"])
        return found

    def settled(self, key: _Key, day: dt.date) -> bool:
        """Whether the check judged on ``day`` fails ``key`` or cannot tell."""
        f = self.on(day, [key[0]]).get(key)
        return f is not None and _settles(f)

    def first_settled(
        self, key: _Key, lo: dt.date, hi: dt.date, hints: Iterable[dt.date]
    ) -> dt.date:
        """The first day after ``lo`` (not settled) up to ``hi`` (settled) on which ``key`` is
        settled: the days ``hints`` (deadlines the findings name) are tried first."""
        for day in sorted({d + _ONE for d in hints if lo < d + _ONE <= hi}):
            if self.settled(key, day):
                if day - _ONE == lo or not self.settled(key, day - _ONE):
                    return day
                hi = day  # settled before the day named: look earlier
                break
            lo = day
        while (hi - lo).days > 1:
            mid = lo + dt.timedelta(days=(hi - lo).days // 2)
            if self.settled(key, mid):
                hi = mid
            else:
                lo = mid
        return hi


def _due_items(
    checks: _Checks,
    rules: dict[str, Rule],
    as_of: dt.date,
    horizon: dt.date,
    calendar: WorkingCalendar,
) -> Iterable[DueItem]:
    now, later = checks.on(as_of), checks.on(horizon + _ONE)
    # the findings failed (or not told) the day after the horizon, and those failed the day
    # after a deadline they name within it: a requirement may stop failing again later (an
    # item closed late, a record dated after the day asked about)
    found = {key: horizon + _ONE for key, f in later.items() if _settles(f)}
    for key, f in now.items():
        for day in sorted(d for d in _named_days(f) if as_of <= d <= horizon):
            if day + _ONE < found.get(key, dt.date.max) and checks.settled(key, day + _ONE):
                found[key] = day + _ONE
                break
    for key, hi in found.items():
        before = now.get(key)
        if key[0] not in rules or (
            before is not None and before.status in (Status.FAILED, Status.UNKNOWN, Status.WAIVED)
        ):
            continue
        end = checks.on(hi, [key[0]])[key]
        hints = [d for f in (before, end) if f is not None for d in _named_days(f)]
        first = checks.first_settled(key, as_of, hi, hints)
        at = checks.on(first, [key[0]])[key]
        rule = rules[key[0]]
        deadline = first - _ONE
        yield DueItem(
            level="due" if at.status is Status.FAILED else "unknown",
            rule=rule.id,
            title=rule.title,
            title_en=rule.title_en,
            subject=at.subject,
            deadline=deadline,
            owed=_owed(rule, before, at),
            period=at.period,
            citations=at.citations,
            working_days=_working_days(calendar, as_of, deadline),
            finding=at,
        )


def _settles(f: Finding) -> bool:
    return f.status in (Status.FAILED, Status.UNKNOWN)


def _named_days(f: Finding) -> list[dt.date]:
    """The days a finding names that may be its deadline: its sub-period's end, its day."""
    days = [f.day] if f.day is not None else []
    if f.period is not None:
        days.append(f.period.end)
    return days


def _owed(rule: Rule, before: Finding | None, at: Finding) -> Message:
    """What is owed: for a frequency rule the activities still to hold, else the check's
    message on the day asked (what it requires and found) or, for what could not be told, the
    message that says why."""
    if at.status is Status.UNKNOWN or before is None:
        return at.msg
    if before.period is not None and rule.kind == "frequency":
        p = rule.params_on(before.period.start)
        if isinstance(p, FrequencyParams) and before.status is Status.PENDING:
            return t(
                "{period}还需开展{n}次{what}",
                period=period_name(before.period),
                n=max(p.at_least - len(before.evidence), 1),
                what=p.describe(),
            )
    return before.msg


def _working_days(calendar: WorkingCalendar, as_of: dt.date, deadline: dt.date) -> int | None:
    try:
        return calendar.working_days_between(as_of + _ONE, deadline)
    except CalendarError:
        return None


# -- reminders ahead ------------------------------------------------------------------------------


def _params(rule: Rule, day: dt.date) -> Any:
    return rule.params_on(day) if rule.in_force.covers(day) else None


def _term_reminders(
    ctx: Context, rules: Iterable[Rule], calendar: WorkingCalendar
) -> Iterable[DueItem]:
    """A term ending within six months, and within one month; an organisation whose term's end
    the records cannot tell, as ``unknown``."""
    day = ctx.as_of
    seen: set[str] = set()
    for rule in rules:
        p = _params(rule, day)
        if rule.kind != "structure" or not isinstance(p, StructureParams) or p.check != "term":
            continue
        for org in ctx.organisations(rule):
            if org.id in seen or not Context.within((org.founded, org.dissolved), day):
                continue
            seen.add(org.id)
            subject = ctx.branch_subjects[org.id]
            due = election_deadline(org, p, day)
            end = due.term_end
            if end is None:
                reason, years = due.case, due.years
                yield DueItem(
                    level="unknown",
                    rule=rule.id,
                    title=rule.title,
                    title_en=rule.title_en,
                    subject=subject,
                    deadline=day,
                    owed=structure_message(
                        p,
                        reason,
                        org_name=org.name,
                        org_id=org.id,
                        years=years,
                        elected=org.last_election,
                    ),
                    citations=rule.citations_on(day),
                )
                continue
            if not day <= end <= add_months(day, 6):
                continue
            months = 1 if end <= add_months(day, 1) else 6
            yield DueItem(
                level="reminder",
                rule=rule.id,
                title=rule.title,
                title_en=rule.title_en,
                subject=subject,
                deadline=end,
                owed=t(
                    "本届任期{end}届满（{months}个月内），应做好换届准备",
                    end=end.isoformat(),
                    months=months,
                ),
                citations=rule.citations_on(day),
                working_days=_working_days(calendar, day, end),
            )


def _probation_reminders(
    ctx: Context, rules: Iterable[Rule], calendar: WorkingCalendar
) -> Iterable[DueItem]:
    """A probation ending within one month, not yet decided; a probationary member whose
    admission is not recorded, as ``unknown`` (when the probation ends the records cannot
    tell)."""
    day = ctx.as_of
    seen: set[str] = set()
    for rule in rules:
        if rule.kind != "membership":
            continue
        orgs = {b.id for b in ctx.organisations(rule)}
        for m in ctx.ledger.members:
            admitted = m.milestones.admitted
            if (
                m.id in seen
                or m.branch not in orgs
                or m.status is not MemberStatus.PROBATIONARY
                or m.milestones.converted is not None
                or m.probation_cancelled is not None
            ):
                continue
            if admitted is None:
                now = _params(rule, day)
                if isinstance(now, MembershipParams) and now.check == "probation":
                    seen.add(m.id)
                    yield DueItem(
                        level="unknown",
                        rule=rule.id,
                        title=rule.title,
                        title_en=rule.title_en,
                        subject=ctx.member_subject(m),
                        deadline=day,
                        owed=t(
                            "预备党员{name}未记录入党日期，无法确定预备期何时届满",
                            name=m.name,
                            member=m.id,
                        ),
                        citations=rule.citations_on(day),
                    )
                continue
            p = _params(rule, admitted)
            if not isinstance(p, MembershipParams) or p.check != "probation":
                continue
            end = probation_end(admitted, p, m)
            if not day <= end <= add_months(day, 1):
                continue
            seen.add(m.id)
            yield DueItem(
                level="reminder",
                rule=rule.id,
                title=rule.title,
                title_en=rule.title_en,
                subject=ctx.member_subject(m),
                deadline=end,
                owed=t(
                    "{name}预备期{end}届满（1个月内），党支部应及时讨论能否转为正式党员",
                    name=m.name,
                    member=m.id,
                    end=end.isoformat(),
                ),
                citations=rule.citations_on(admitted),
                working_days=_working_days(calendar, day, end),
            )


def _training_pace(
    ctx: Context,
    rules: Iterable[Rule],
    now: dict[_Key, Finding],
    calendar: WorkingCalendar,
) -> Iterable[DueItem]:
    """Training hours behind the pace of their sub-period: a coverage finding still pending on
    ``as_of`` whose hours counted (its evidence) are fewer than the target's share of the days
    gone."""
    day = ctx.as_of
    by_id = {r.id: r for r in rules}
    seats = seat_spans(ctx)
    trainings: dict[str, TrainingRecord] = {r.id: r for r in ctx.ledger.trainings}
    for f in now.values():
        rule = by_id.get(f.rule)
        if rule is None or rule.kind != "coverage" or f.status is not Status.PENDING:
            continue
        sub = f.period
        if sub is None or f.subject.kind != "member" or day not in sub:
            continue
        p = rule.params_on(sub.start)
        if not isinstance(p, CoverageParams) or p.measure != "training_hours":
            continue
        _, target = coverage_target(p, seats.get(f.subject.id, ()), sub)
        reached = sum((trainings[x].hours for x in f.evidence if x in trainings), Decimal(0))
        gone = (day - sub.start).days + 1
        pace = (target * gone / ((sub.end - sub.start).days + 1)).quantize(Decimal("0.1"))
        if reached >= pace:
            continue
        yield DueItem(
            level="reminder",
            rule=rule.id,
            title=rule.title,
            title_en=rule.title_en,
            subject=f.subject,
            deadline=sub.end,
            owed=t(
                "{period}应不少于{target}学时，截至{day}按进度应达{pace}学时，实际{reached}学时",
                period=period_name(sub),
                target=plain_number(target),
                day=day.isoformat(),
                pace=plain_number(pace),
                reached=plain_number(reached),
            ),
            period=sub,
            citations=f.citations,
            working_days=_working_days(calendar, day, sub.end),
        )


def _without(items: list[DueItem], reminders: list[DueItem]) -> list[DueItem]:
    """The reminders but those of a subject that already has an item with the same
    deadline."""
    taken = {(i.subject.kind, i.subject.id, i.deadline) for i in items}
    return [r for r in reminders if (r.subject.kind, r.subject.id, r.deadline) not in taken]


def _order(item: DueItem) -> tuple[dt.date, int, str, str]:
    return (item.deadline, LEVELS.index(item.level), item.rule, item.subject.id)
