"""A rule kind about each member's attendance: consecutive absences without leave from the
meetings of their branch (支部党员大会) or of their party group (党小组会), an early sign long
before the six months without organisational life of 党章 第九条 (the ``lapse`` kind).

For each member, the meetings of the kind held by their own branch (or their own party group)
while they were a member, before the day of judging and up to the end of the checked period, in
order of day and id, are read one by one:

- ``attended``: named among those present;
- ``excused``: named absent with a reason the rule excuses (by default 请假, 病假, 出差: each is
  leave asked for and given);
- ``absent``: named absent with another reason (无故缺席, 其他), or not named at a meeting that
  records who was present;
- ``not_expected``: the meeting lists who was expected (应到) without them;
- ``unrecorded``: the meeting records no names (only the numbers present, or nothing), and does
  not name them absent: it cannot show whether they came.

A run is a stretch of ``absent`` meetings with nothing else between them: anything else breaks
it, so a run never counts more than the absences the records show. A run of ``consecutive``
absences ending in the checked period is a failure (the rules give it the severity warning); a
run that reaches ``consecutive`` only through meetings that recorded no names is ``unknown``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Literal

import attrs

from dangjian.findings import Finding, Gap, Status
from dangjian.i18n import Message, t
from dangjian.model import AbsenceReason, Meeting, MeetingKind, Member
from dangjian.model import _validators as v
from dangjian.rules.context import Context
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule
from dangjian.rules.texts import comma_list, label

__all__ = [
    "ATTENDANCE",
    "LEAVE_REASONS",
    "AttendanceParams",
    "MeetingState",
    "attendance_message",
    "attendance_need",
    "longest_run",
    "meeting_state",
]

MeetingState = Literal["attended", "excused", "absent", "not_expected", "unrecorded"]
"""What the records say of a member at one meeting (see the module's docstring)."""

LEAVE_REASONS: tuple[AbsenceReason, ...] = (
    AbsenceReason.LEAVE,
    AbsenceReason.SICK_LEAVE,
    AbsenceReason.BUSINESS_TRIP,
)
"""The reasons the shipped rules excuse an absence for: 请假, and 病假 and 出差,
which minutes record as kinds of leave (缺席人及原因: 请假、出差、病假 …). 其他 names a reason
that is not leave, and 无故缺席 none."""


def _not_none_given(
    _: object, a: attrs.Attribute[tuple[AbsenceReason, ...]], value: tuple[AbsenceReason, ...]
) -> None:
    """无故缺席 is no reason: it cannot excuse."""
    if AbsenceReason.NONE_GIVEN in value:
        raise v.FieldError(a.name, t("无故缺席不能作为准假的缺席原因"))


@attrs.frozen(kw_only=True)
class AttendanceParams:
    """No member is absent without leave from ``consecutive`` meetings in a row of the kind
    ``meeting_kind``: the 支部党员大会 of their branch, or the 党小组会 of their own party group.

    Attributes:
        meeting_kind: ``general_meeting`` (the member's branch's) or ``group_meeting`` (the
            member's own party group's).
        consecutive: How many absences in a row make a warning: a local threshold, not a
            regulation's (the shipped rules say 3).
        excused: The reasons of a recorded absence that excuse it (the shipped rules:
            :data:`LEAVE_REASONS`, 请假, 病假, 出差). Both are stated in each rule, so
            that the rule list shows them.
    """

    meeting_kind: MeetingKind = attrs.field(
        validator=attrs.validators.in_((MeetingKind.GENERAL_MEETING, MeetingKind.GROUP_MEETING))
    )
    consecutive: int = attrs.field(validator=v.positive_int)
    excused: tuple[AbsenceReason, ...] = attrs.field(validator=_not_none_given)

    @property
    def by_group(self) -> bool:
        """Whether the meetings are the member's party group's (else their branch's)."""
        return self.meeting_kind is MeetingKind.GROUP_MEETING


def meeting_state(meeting: Meeting, member: str, excused: Sequence[AbsenceReason]) -> MeetingState:
    """What ``meeting``'s records say of ``member`` (see the module's docstring)."""
    if member in meeting.attended:
        return "attended"
    absence = next((a for a in meeting.absences if a.member == member), None)
    if absence is not None:
        return "excused" if absence.reason in excused else "absent"
    if meeting.expected and member not in meeting.expected:
        return "not_expected"
    return "absent" if Context.records_names(meeting) else "unrecorded"


def longest_run(
    states: Sequence[tuple[Meeting, MeetingState]],
    at_least: int,
    since: dt.date,
    allow: tuple[MeetingState, ...],
) -> list[tuple[Meeting, MeetingState]]:
    """The longest run of at least ``at_least`` meetings in a row in the states ``allow``
    whose last meeting is on or after ``since``; the first of the longest; empty if none."""
    run: list[tuple[Meeting, MeetingState]] = []
    worst: list[tuple[Meeting, MeetingState]] = []
    for item in states:
        if item[1] in allow:
            run.append(item)
            if len(run) >= at_least and item[0].date >= since and len(run) > len(worst):
                worst = list(run)
        else:
            run = []
    return worst


def _sequences(ctx: Context, kind: MeetingKind) -> dict[str | None, list[Meeting]]:
    """The meetings serving ``kind`` by the organisation (or, for a 党小组会, the party group)
    that held them, in order of day and id; made once per check."""
    key = ("attendance.sequences", kind)
    table: dict[str | None, list[Meeting]] | None = ctx.memo.get(key)
    if table is None:
        table = defaultdict(list)
        for x in ctx.ledger.meetings:
            if x.serves(kind):  # a 主题党日 held as the 党员大会 counts as one
                table[x.group if kind is MeetingKind.GROUP_MEETING else x.branch].append(x)
        for meetings in table.values():
            meetings.sort(key=lambda x: (x.date, x.id))
        ctx.memo[key] = table
    return table


def _evaluate_attendance(ctx: Context, rule: Rule) -> Iterator[Finding]:
    if not rule.in_force.overlaps(ctx.period.start, ctx.period.end):
        return
    p: AttendanceParams = rule.params_on(ctx.period.start)
    sequences = _sequences(ctx, p.meeting_kind)
    need = attendance_need(p)
    for org in ctx.organisations(rule):
        members = ctx.members_by_branch.get(org.id, ())
        for m, unknown in ctx.members_in_period(rule, members, need):
            yield unknown if unknown is not None else _judge(ctx, rule, p, m, sequences)


def _judge(
    ctx: Context,
    rule: Rule,
    p: AttendanceParams,
    m: Member,
    sequences: dict[str | None, list[Meeting]],
) -> Finding:
    subject = ctx.member_subject(m)
    say = functools.partial(attendance_message, p=p, name=m.name, member=m.id)
    if p.by_group and m.group is None:
        if ctx.groups_by_branch.get(m.branch):
            return ctx.finding(
                rule,
                Status.UNKNOWN,
                subject,
                ctx.period,
                say("no_group"),
                gap=Gap.DETAILS_MISSING,
            )
        return ctx.finding(rule, Status.NOT_APPLICABLE, subject, ctx.period, say("no_groups"))
    span = ctx.membership_span(m)
    held = [
        x
        for x in sequences.get(m.group if p.by_group else m.branch, ())
        if x.date <= ctx.period.end and x.date < ctx.as_of and ctx.within(span, x.date)
    ]
    states = [(x, meeting_state(x, m.id, p.excused)) for x in held]
    worst = longest_run(states, p.consecutive, ctx.period.start, ("absent",))
    if worst:
        return ctx.finding(
            rule,
            Status.FAILED,
            subject,
            ctx.period,
            say("absent", run=[x.date for x, _ in worst]),
            evidence=[x.id for x, _ in worst],
        )
    unsure = longest_run(states, p.consecutive, ctx.period.start, ("absent", "unrecorded"))
    if unsure:
        return ctx.finding(
            rule,
            Status.UNKNOWN,
            subject,
            ctx.period,
            say(
                "unrecorded",
                run=[x.date for x, _ in unsure],
                unrecorded=[x.date for x, state in unsure if state == "unrecorded"],
            ),
            evidence=[x.id for x, _ in unsure],
            gap=Gap.COUNTS_ONLY,
        )
    if not any(x.date >= ctx.period.start for x in held):
        return ctx.finding(rule, Status.NOT_APPLICABLE, subject, ctx.period, say("none_held"))
    status = Status.PASSED if ctx.over(ctx.period) else Status.PENDING
    return ctx.finding(rule, status, subject, ctx.period, say("none"))


@functools.lru_cache(maxsize=64)
def attendance_need(p: AttendanceParams) -> Message:
    """What an attendance rule asks: ``连续3次无故缺席所在党组织的支部党员大会的，应予提醒``
    (one message for every finding of its parameters)."""
    return t(
        "连续{n}次无故缺席{own}的{kind}的，应予提醒",
        n=p.consecutive,
        own=_own(p),
        kind=label(p.meeting_kind),
    )


def _own(p: AttendanceParams) -> Message:
    return t("所在党小组") if p.by_group else t("所在党组织")


def attendance_message(
    reason: str,
    p: AttendanceParams,
    *,
    name: str,
    member: str,
    run: Sequence[dt.date] = (),
    unrecorded: Sequence[dt.date] = (),
) -> Message:
    """The message of a finding of ``attendance``, in either engine.

    Args:
        reason: ``absent`` (a ``run`` of absences without leave), ``unrecorded`` (a ``run``
            that reaches the threshold only through the meetings ``unrecorded``, which recorded
            no names), ``none`` (no such run), ``none_held`` (no such meeting in the period
            while a member), ``no_group`` (the member's party group is not recorded),
            ``no_groups`` (the organisation has none).
        p: The rule's parameters.
        name: The member's name.
        member: The member's id.
        run: The days of the meetings of the run, in order.
        unrecorded: The days of the meetings of the run that recorded no names, in order.
    """
    need = attendance_need(p)
    kind = label(p.meeting_kind)
    if reason == "no_group":
        return t(
            "{need}：未记录{name}所在的党小组，无法判断",
            need=need,
            name=name,
            member=member,
        )
    if reason == "no_groups":
        return t("{need}：所在党组织未设党小组，不作判断", need=need)
    if reason == "none_held":
        return t(
            "{need}：期间未记录{name}作为党员应参加的{kind}，不作判断",
            need=need,
            name=name,
            member=member,
            kind=kind,
        )
    if reason == "none":
        return t(
            "{need}：{name}没有连续{n}次无故缺席{kind}",
            need=need,
            name=name,
            member=member,
            n=p.consecutive,
            kind=kind,
        )
    days = comma_list([d.isoformat() for d in run])
    if reason == "absent":
        return t(
            "{need}：{name}连续{n}次无故缺席{kind}（{days}）",
            need=need,
            name=name,
            member=member,
            n=len(run),
            kind=kind,
            days=days,
        )
    return t(
        "{need}：{name}连续{n}次未见出席{kind}的记录（{days}），但其中{unrecorded}的会议"
        "未记录出席人员，无法确认{name}是否缺席",
        need=need,
        name=name,
        member=member,
        n=len(run),
        kind=kind,
        days=days,
        unrecorded=comma_list([d.isoformat() for d in unrecorded]),
    )


ATTENDANCE = RuleKind(
    name="attendance",
    params=AttendanceParams,
    evaluate=_evaluate_attendance,
    description=t(
        "党员连续多次无故缺席支部党员大会或所在党小组的党小组会，在连续六个月不参加组织生活"
        "（党章第九条）之前予以提醒；请假、病假、出差不算无故缺席"
    ),
)
