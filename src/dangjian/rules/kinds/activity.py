"""Rule kinds about activities held: how often, with which actions, moved how far."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import attrs

from dangjian.calendar import CalendarError
from dangjian.findings import Finding, Status, Subject
from dangjian.i18n import N_, Message, t, tp
from dangjian.model import Branch, CommitteeRole, Meeting, MeetingKind, StudyAudience
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context, in_period
from dangjian.rules.kinds._common import partly_in_force
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule
from dangjian.rules.texts import comma_list, label, or_list, period_name

__all__ = [
    "CHECKLIST",
    "FREQUENCY",
    "RESCHEDULE",
    "ChecklistParams",
    "FrequencyParams",
    "RescheduleParams",
    "checklist_message",
    "frequency_message",
    "frequency_shortfall",
    "has_committee",
    "reschedule_message",
]

_WEEKDAYS = (
    t("周一"),
    t("周二"),
    t("周三"),
    t("周四"),
    t("周五"),
    t("周六"),
    t("周日"),
)


@attrs.frozen(kw_only=True)
class FrequencyParams:
    """At least ``at_least`` activities of a kind in every sub-period of ``per``.

    Attributes:
        record: ``meeting`` or ``study``: which records are counted.
        meeting_kinds: For meetings, the kinds that count: a meeting counts when it served as
            one of them (:attr:`Meeting.kinds <dangjian.Meeting.kinds>`), once however many.
        audiences: For study sessions, the audiences that count.
        per: The sub-period (week, month, quarter, half, year).
        at_least: How many are required in each.
        weekday: Only activities on this weekday count (1 Monday … 7 Sunday); a week whose such
            day is not a working day is not judged.
        half_day: Only activities starting in the ``morning`` or ``afternoon`` count.
        subject: ``organisation``: each organisation the rule applies to; ``group``: each party
            group of those organisations.
        lecturer_role: Only activities given by the holder of this seat on the organisation's
            committee, on the day, count (a 党委 secretary's 党课): a meeting's ``lecturer``, a
            study session's ``speaker``.
        include_descendants: Count the activities of the organisations below as well.
        needs_committee: Judge only organisations that have a committee: a seat other than the
            secretary and the deputy secretary (a branch of fewer than seven full members has
            only a 书记 and perhaps a 副书记, and no 支委会).
    """

    record: Literal["meeting", "study"] = "meeting"
    meeting_kinds: tuple[MeetingKind, ...] = ()
    audiences: tuple[StudyAudience, ...] = ()
    per: PeriodUnit
    at_least: int = attrs.field(validator=v.positive_int)
    weekday: int | None = attrs.field(default=None, validator=v.optional(v.between(1, 7)))
    half_day: Literal["morning", "afternoon"] | None = None
    subject: Literal["organisation", "group"] = "organisation"
    lecturer_role: CommitteeRole | None = None
    include_descendants: bool = False
    needs_committee: bool = False

    def describe(self) -> Message | str:
        """What is counted (``主题党日`` / ``themed party day``)."""
        what: Message | str
        if self.record == "meeting":
            what = or_list([label(k) for k in self.meeting_kinds])
        else:
            audiences = or_list([label(a) for a in self.audiences])
            what = t("{audiences}学习", audiences=audiences)
        if self.weekday is not None:
            day = _WEEKDAYS[self.weekday - 1]
            if self.half_day == "afternoon":
                what = t("{day}下午的{what}", day=day, what=what)
            elif self.half_day == "morning":
                what = t("{day}上午的{what}", day=day, what=what)
            else:
                what = t("{day}的{what}", day=day, what=what)
        elif self.half_day == "afternoon":
            what = t("下午的{what}", what=what)
        elif self.half_day == "morning":
            what = t("上午的{what}", what=what)
        if self.lecturer_role is not None:
            what = t("{role}讲授的{what}", role=label(self.lecturer_role), what=what)
        return what


_NO_COMMITTEE = (CommitteeRole.SECRETARY, CommitteeRole.DEPUTY_SECRETARY)
"""The seats a branch without a committee has (支部工作条例: under seven full members)."""


def _records(ctx: Context, p: FrequencyParams, branches: list[str], group: str | None) -> list[Any]:
    found: list[Any] = []
    if p.record == "meeting":
        # a meeting held as several kinds counts for each kind it served as, once a rule
        if group is not None:
            found = [
                m
                for m in ctx.meetings_by_group.get(group, ())
                if any(m.serves(k) for k in p.meeting_kinds)
            ]
        else:
            for b in branches:
                found += ctx.meetings_serving(b, p.meeting_kinds)
    else:
        for b in branches:
            for audience in p.audiences:
                sessions = ctx.study_by_branch_audience.get((b, audience), ())
                found += [s for s in sessions if group is None or s.group == group]
    found.sort(key=lambda r: (r.date, r.id))
    return found


def _qualifies(record: Any, p: FrequencyParams) -> bool:
    if p.weekday is not None and record.date.isoweekday() != p.weekday:
        return False
    if p.half_day is not None:
        if record.start is None:
            return False
        afternoon = record.start >= dt.time(12, 0)
        if afternoon != (p.half_day == "afternoon"):
            return False
    return True


def _evaluate_frequency(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: FrequencyParams = rule.params_on(ctx.period.start)
    for org in ctx.organisations(rule):
        branches = ctx.descendants(org.id) if first.include_descendants else [org.id]
        if first.subject == "group":
            targets: list[tuple[Subject, str | None]] = [
                (Subject(kind="group", id=g.id, name=g.name, branch=org.id), g.id)
                for g in ctx.groups_by_branch.get(org.id, ())
            ]
        else:
            targets = [(ctx.branch_subjects[org.id], None)]
        for subject, group in targets:
            records = _records(ctx, first, branches, group)
            for sub in ctx.subperiods(first.per):
                if not rule.in_force.overlaps(sub.start, sub.end):
                    continue
                if not rule.in_force.spans(sub.start, sub.end):
                    yield partly_in_force(ctx, rule, subject, sub)
                    continue
                yield _judge_frequency(ctx, rule, org, subject, records, sub)


_NEED = N_("{period}应至少开展{n}次{what}")
_JUDGED = N_("{need}，实际{count}次")


@functools.lru_cache(maxsize=4096)
def _frequency_need(sub: Period, p: FrequencyParams) -> Message:
    """The requirement of a frequency rule in ``sub``, one message for all its subjects."""
    return t(_NEED, period=period_name(sub), n=p.at_least, what=_described(p))


def frequency_shortfall(message: Message) -> tuple[Message | str, int] | None:
    """What a frequency finding counts and how many it lacks, read from its ``message`` (made
    by :func:`frequency_message` in either engine, for a sub-period that is over): ``(what,
    missing)``; ``None`` for any other message, or when none is lacking.

    >>> p = FrequencyParams(
    ...     record="meeting", meeting_kinds=(MeetingKind.GROUP_MEETING,),
    ...     per=PeriodUnit.MONTH, at_least=2,
    ... )
    >>> what, missing = frequency_shortfall(
    ...     frequency_message(p, Period.parse("2020-03"), None, count=1)
    ... )
    >>> str(what), missing
    ('党小组会', 1)
    """
    if message.msgid != _JUDGED:
        return None
    judged = dict(message.params)
    need, count = judged.get("need"), judged.get("count")
    if not isinstance(need, Message) or need.msgid != _NEED or not isinstance(count, int):
        return None
    required = dict(need.params)
    at_least, what = required.get("n"), required.get("what")
    if not isinstance(at_least, int) or not isinstance(what, Message | str):
        return None
    return (what, at_least - count) if at_least > count else None


def _judge_frequency(
    ctx: Context, rule: Rule, org: Branch, subject: Subject, records: list[Any], sub: Period
) -> Finding:
    p: FrequencyParams = rule.params_on(sub.start)
    if not ctx.exists_throughout(org, sub):
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            sub,
            frequency_message(p, sub, "not_existing", org_name=org.name, org_id=org.id),
        )
    if p.needs_committee and not has_committee(org, sub):
        return ctx.finding(
            rule,
            Status.NOT_APPLICABLE,
            subject,
            sub,
            frequency_message(p, sub, "no_committee", org_name=org.name, org_id=org.id),
        )
    if p.weekday is not None and sub.unit is PeriodUnit.WEEK:
        day = sub.start + dt.timedelta(days=p.weekday - 1)
        try:
            working = ctx.calendar.is_working_day(day)
        except CalendarError as e:
            return ctx.finding(
                rule,
                Status.NOT_APPLICABLE,
                subject,
                sub,
                frequency_message(p, sub, "calendar_error", detail=str(e)),
            )
        if not working:
            return ctx.finding(
                rule,
                Status.NOT_APPLICABLE,
                subject,
                sub,
                frequency_message(p, sub, "holiday", day=day),
            )
    counted = [r for r in in_period(records, sub) if _qualifies(r, p)]
    if p.lecturer_role is not None:
        # Only a lecture given while the lecturer held the seat counts: one given before taking
        # the seat, or after leaving it, is an ordinary member's.
        role = p.lecturer_role
        counted = [
            r
            for r in counted
            if any(x is role and m == _given_by(r) for x, m in ctx.committee_on(org, r.date))
        ]
    status = ctx.verdict(len(counted) >= p.at_least, sub)
    return ctx.finding(
        rule,
        status,
        subject,
        sub,
        frequency_message(p, sub, None, count=len(counted), pending=status is Status.PENDING),
        evidence=[r.id for r in counted],
    )


def frequency_message(
    p: FrequencyParams,
    sub: Period,
    reason: str | None,
    *,
    count: int = 0,
    pending: bool = False,
    org_name: str = "",
    org_id: str = "",
    day: dt.date | None = None,
    detail: str = "",
) -> Message:
    """The message of a finding of a frequency rule, in either engine.

    Args:
        p: The parameters in force in ``sub``.
        sub: The sub-period judged.
        reason: Why it is not judged: ``not_existing`` (the organisation did not exist
            throughout), ``no_committee``, ``calendar_error`` (``detail`` says what), ``holiday``
            (``day``); ``None`` when judged (``count`` found, ``pending`` when not over).
    """
    need = _frequency_need(sub, p)
    if reason == "not_existing":
        return t(
            "{need}；{org_name}在该期间未完整存续，不作判断",
            need=need,
            org_name=org_name,
            org_id=org_id,
        )
    if reason == "no_committee":
        return t(
            "{need}；{org_name}未设支部委员会，不作判断",
            need=need,
            org_name=org_name,
            org_id=org_id,
        )
    if reason == "calendar_error":
        return t("{need}；{error}", need=need, error=detail)
    if reason == "holiday":
        return t("{need}；{day}为节假日，不作判断", need=need, day=day.isoformat() if day else "")
    if pending:
        return t("{need}，实际{count}次（期间未结束）", need=need, count=count)
    return t(_JUDGED, need=need, count=count)


@functools.lru_cache(maxsize=256)
def _described(p: FrequencyParams) -> Message | str:
    """What a rule's parameters count, made once a check (:meth:`FrequencyParams.describe`)."""
    return p.describe()


def _given_by(record: Any) -> str | None:
    """The member who gave an activity: a meeting's lecturer, a study session's speaker."""
    if isinstance(record, Meeting):
        return record.lecturer
    return getattr(record, "speaker", None)


def has_committee(org: Branch, sub: Period) -> bool:
    """Whether ``org`` had a committee at some time in ``sub``: a seat other than the secretary
    and the deputy secretary (what ``needs_committee`` of a frequency rule asks)."""
    return any(role not in _NO_COMMITTEE for role, _ in _seats_during(org, sub))


def _seats_during(org: Branch, sub: Period) -> list[tuple[CommitteeRole, str]]:
    return [
        (s.role, s.member)
        for s in org.committee
        if (s.start is None or s.start <= sub.end) and (s.end is None or s.end >= sub.start)
    ]


FREQUENCY = RuleKind(
    name="frequency",
    params=FrequencyParams,
    evaluate=_evaluate_frequency,
    description=t("每个子期间至少开展若干次某类活动（可限定星期几、上下午、讲授人）"),
)


@attrs.frozen(kw_only=True)
class ChecklistParams:
    """Every action of a list performed at meetings of given kinds within each sub-period.

    Attributes:
        meeting_kinds: The kinds of meeting whose actions count.
        actions: The required actions (for "三个一": 重温入党志愿书, 思想交流, 集体宣誓).
        per: The sub-period.
    """

    meeting_kinds: tuple[MeetingKind, ...] = attrs.field(validator=attrs.validators.min_len(1))
    actions: tuple[str, ...] = attrs.field(validator=attrs.validators.min_len(1))
    per: PeriodUnit


def _evaluate_checklist(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: ChecklistParams = rule.params_on(ctx.period.start)
    for org in ctx.organisations(rule):
        subject = ctx.branch_subjects[org.id]
        meetings = ctx.meetings_serving(org.id, first.meeting_kinds)
        for sub in ctx.subperiods(first.per):
            if not rule.in_force.overlaps(sub.start, sub.end):
                continue
            if not rule.in_force.spans(sub.start, sub.end):
                yield partly_in_force(ctx, rule, subject, sub)
                continue
            p: ChecklistParams = rule.params_on(sub.start)
            if not ctx.exists_throughout(org, sub):
                yield ctx.finding(
                    rule,
                    Status.NOT_APPLICABLE,
                    subject,
                    sub,
                    checklist_message(p, sub, "not_existing", org_name=org.name, org_id=org.id),
                )
                continue
            held = in_period(meetings, sub)
            done = {a for m in held for a in m.actions}
            missing = [a for a in p.actions if a not in done]
            evidence = [m.id for m in held if set(m.actions) & set(p.actions)]
            status = ctx.verdict(not missing, sub)
            yield ctx.finding(
                rule,
                status,
                subject,
                sub,
                checklist_message(p, sub, None, missing=missing),
                evidence=evidence,
            )


def checklist_message(
    p: ChecklistParams,
    sub: Period,
    reason: str | None,
    *,
    missing: Sequence[str] = (),
    org_name: str = "",
    org_id: str = "",
) -> Message:
    """The message of a finding of a checklist rule, in either engine.

    Args:
        p: The parameters in force in ``sub``.
        sub: The sub-period judged.
        reason: ``not_existing`` when the organisation did not exist throughout ``sub``
            (``org_name``, ``org_id``); ``None`` when judged.
        missing: The required actions not performed, in the order of ``p.actions``.
    """
    need = t("{period}应完成：{actions}", period=period_name(sub), actions=comma_list(p.actions))
    if reason == "not_existing":
        return tp(
            "checklist",
            "{need}；{org_name}在该期间未完整存续，不作判断",
            need=need,
            org_name=org_name,
            org_id=org_id,
        )
    if missing:
        return t("{need}，缺少：{missing}", need=need, missing=comma_list(list(missing)))
    return t("{need}，均已完成", need=need)


CHECKLIST = RuleKind(
    name="checklist",
    params=ChecklistParams,
    evaluate=_evaluate_checklist,
    description=t("每个子期间内完成规定动作清单（如“三个一”）"),
)


@attrs.frozen(kw_only=True)
class RescheduleParams:
    """A meeting moved from its fixed day may move at most ``max_days`` days.

    Attributes:
        meeting_kinds: The kinds of meeting judged.
        max_days: How far it may move, earlier or later.
    """

    meeting_kinds: tuple[MeetingKind, ...] = attrs.field(validator=attrs.validators.min_len(1))
    max_days: int = attrs.field(validator=v.non_negative_int)


def _evaluate_reschedule(ctx: Context, rule: Rule) -> Iterator[Finding]:
    orgs = {b.id for b in ctx.organisations(rule)}
    for m in ctx.ledger.meetings:
        if m.rescheduled_from is None or m.branch not in orgs or m.date not in ctx.period:
            continue
        p: RescheduleParams = rule.params_on(m.date)
        if not any(m.serves(k) for k in p.meeting_kinds) or not rule.in_force.covers(m.date):
            continue
        moved = abs((m.date - m.rescheduled_from).days)
        subject = Subject(
            kind="meeting", id=m.id, name=f"{m.kind.label} {m.date.isoformat()}", branch=m.branch
        )
        yield ctx.finding(
            rule,
            Status.PASSED if moved <= p.max_days else Status.FAILED,
            subject,
            Period.containing(m.date, PeriodUnit.MONTH),
            reschedule_message(p, m.kind, m.rescheduled_from, m.date),
            evidence=[m.id],
            day=m.date,
        )


def reschedule_message(
    p: RescheduleParams, kind: MeetingKind, moved_from: dt.date, day: dt.date
) -> Message:
    """The message of a finding of a reschedule rule, in either engine: a meeting of ``kind``
    moved from ``moved_from`` to ``day``, under the parameters ``p`` in force on ``day``."""
    return t(
        "{kind}由{moved_from}调至{day}，相差{moved}天（不应超过{max_days}天）",
        kind=label(kind),
        moved_from=moved_from.isoformat(),
        day=day.isoformat(),
        moved=abs((day - moved_from).days),
        max_days=p.max_days,
    )


RESCHEDULE = RuleKind(
    name="reschedule",
    params=RescheduleParams,
    evaluate=_evaluate_reschedule,
    description=t("因节假日调整的活动，调整幅度不超过规定天数"),
)
