"""Rule kinds about oversight: rectification deadlines, pairing activities, responsibility
letters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

import attrs

from dangjian.calendar import CalendarError, WorkingCalendar
from dangjian.findings import Finding, Gap, Status, Subject
from dangjian.i18n import Message, t
from dangjian.model import Branch, RectificationItem, RectificationStatus
from dangjian.model import _validators as v
from dangjian.periods import Period, PeriodUnit
from dangjian.rules.context import Context
from dangjian.rules.kinds._common import judge_day, partly_in_force
from dangjian.rules.rule_kind import RuleKind
from dangjian.rules.schema import Rule
from dangjian.rules.texts import and_list, comma_list, period_name

__all__ = ["PAIRING", "RECTIFICATION", "rectification_deadline"]


@attrs.frozen(kw_only=True)
class RectificationParams:
    """One requirement of rectification, chosen by ``check``.

    Attributes:
        check: ``overdue``: an item open on the judging day (the period's end, or the day of
            judging when that comes first) is not past its deadline; ``on_time``: an item
            closed in the period was closed by its deadline; ``evidence``: an item closed in
            the period has measures and evidence. The deadline is the item's date, or the day its
            working days run out (:func:`rectification_deadline`); where the calendar cannot
            count them, the finding is ``unknown``.
    """

    check: Literal["overdue", "on_time", "evidence"]


def _item_subject(item: RectificationItem) -> Subject:
    return Subject(kind="rectification", id=item.id, name=item.problem, branch=item.branch)


def _evaluate_rectification(ctx: Context, rule: Rule) -> Iterator[Finding]:
    day = judge_day(ctx.period, ctx.as_of)
    orgs = {b.id for b in ctx.organisations(rule)}
    for item in ctx.ledger.rectifications:
        if item.branch is not None and item.branch not in orgs:
            continue
        if item.raised > ctx.period.end or not rule.in_force.covers(item.raised):
            continue
        p: RectificationParams = rule.params_on(item.raised)
        result = _RECTIFICATION_CHECKS[p.check](ctx, item, day)
        if result is not None:
            status, message, when = result
            yield ctx.finding(
                rule,
                status,
                _item_subject(item),
                Period.containing(when, PeriodUnit.MONTH),
                message,
                evidence=[item.id, *item.evidence],
                day=when,
                # a deadline in working days the calendar cannot count: given as a date, it can
                gap=Gap.DATES_MISSING if status is Status.UNKNOWN else None,
            )


_Result = tuple[Status, Message, dt.date] | None


def rectification_deadline(item: RectificationItem, calendar: WorkingCalendar) -> dt.date | None:
    """The deadline of ``item``: its date (整改时限) when given, else the day its working days
    (``deadline_working_days``) run out, counted from the day after it was raised on the
    working days of ``calendar`` (调休 included); ``None`` when it has neither.

    Raises:
        CalendarError: the deadline is given in working days only, and ``calendar`` does not
            cover the day raised or a day up to the deadline.
    """
    if item.deadline is not None or item.deadline_working_days is None:
        return item.deadline
    calendar.is_working_day(item.raised)  # the day counted from must be covered too
    return calendar.add_working_days(item.raised, item.deadline_working_days)


def _deadline_text(deadline: dt.date, working_days: int | None) -> Message | str:
    if working_days is None:
        return deadline.isoformat()
    return t("{deadline}（{n}个工作日）", deadline=deadline.isoformat(), n=working_days)


def rectification_message(
    reason: str,
    *,
    deadline: dt.date | None = None,
    day: dt.date | None = None,
    closed: dt.date | None = None,
    missing: tuple[str, ...] = (),
    working_days: int | None = None,
    raised: dt.date | None = None,
) -> Message:
    """The message of a rectification finding (the table engine's too).

    ``reason``: ``open`` (still being rectified by ``deadline``), ``overdue`` (open past
    ``deadline`` on the judging ``day``), ``on_time`` / ``late`` (``closed`` by or after
    ``deadline``), ``incomplete`` (closed with ``missing`` of ``measures`` and ``evidence``),
    ``complete``, ``no_calendar`` (a deadline of ``working_days`` after ``raised`` that the
    working calendar cannot count). ``working_days``: the deadline as the item gives it in
    working days, said beside the day.
    """
    if reason == "no_calendar":
        assert working_days is not None and raised is not None
        return t(
            "整改时限为问题反馈日期{raised}后{n}个工作日，工作日历未收录所涉年份，无法确定截止日",
            raised=raised.isoformat(),
            n=working_days,
        )
    if reason == "open":
        assert deadline is not None
        return t("整改时限{deadline}，尚在整改中", deadline=_deadline_text(deadline, working_days))
    if reason == "overdue":
        assert deadline is not None and day is not None
        return t(
            "整改时限{deadline}，截至{day}已逾期{late}天未销号",
            deadline=_deadline_text(deadline, working_days),
            day=day.isoformat(),
            late=(day - deadline).days,
        )
    if reason == "on_time":
        assert deadline is not None and closed is not None
        return t(
            "整改时限{deadline}，{closed}销号",
            deadline=_deadline_text(deadline, working_days),
            closed=closed.isoformat(),
        )
    if reason == "late":
        assert deadline is not None and closed is not None
        return t(
            "整改时限{deadline}，{closed}销号，逾期{late}天",
            deadline=_deadline_text(deadline, working_days),
            closed=closed.isoformat(),
            late=(closed - deadline).days,
        )
    if reason == "incomplete":
        names = {"measures": t("整改措施"), "evidence": t("佐证材料")}
        return t("已销号但缺少{missing}", missing=and_list([names[m] for m in missing]))
    return t("已销号，整改措施和佐证材料齐全")


def _deadline(ctx: Context, item: RectificationItem) -> dt.date | Message | None:
    """The item's deadline; where the calendar cannot count its working days, the message that
    says so."""
    try:
        return rectification_deadline(item, ctx.calendar)
    except CalendarError:
        assert item.deadline_working_days is not None
        return rectification_message(
            "no_calendar", working_days=item.deadline_working_days, raised=item.raised
        )


def _overdue(ctx: Context, item: RectificationItem, day: dt.date) -> _Result:
    # Judged as the item stood on the judging day: one closed after that day was still open
    # then, so checking a past period does not depend on when the ledger was last updated.
    # A closed item whose closing day is not recorded, and a long-term one, are not judged.
    still_open = item.status is RectificationStatus.OPEN or (
        item.status is RectificationStatus.CLOSED and item.closed is not None and item.closed > day
    )
    if not still_open:
        return None
    deadline = _deadline(ctx, item)
    if deadline is None:
        return None
    if isinstance(deadline, Message):
        return (Status.UNKNOWN, deadline, item.raised)
    n = item.deadline_working_days
    if deadline >= day:
        return (
            Status.PENDING,
            rectification_message("open", deadline=deadline, working_days=n),
            deadline,
        )
    return (
        Status.FAILED,
        rectification_message("overdue", deadline=deadline, day=day, working_days=n),
        deadline,
    )


def _on_time(ctx: Context, item: RectificationItem, day: dt.date) -> _Result:
    if item.closed is None or item.closed not in ctx.period:
        return None
    deadline = _deadline(ctx, item)
    if deadline is None:
        return None
    if isinstance(deadline, Message):
        return (Status.UNKNOWN, deadline, item.closed)
    on_time = item.closed <= deadline
    return (
        Status.PASSED if on_time else Status.FAILED,
        rectification_message(
            "on_time" if on_time else "late",
            deadline=deadline,
            closed=item.closed,
            working_days=item.deadline_working_days,
        ),
        item.closed,
    )


def _evidence(ctx: Context, item: RectificationItem, day: dt.date) -> _Result:
    if item.closed is None or item.closed not in ctx.period:
        return None
    missing = tuple(
        name
        for name, have in (("measures", item.measures), ("evidence", item.evidence))
        if not have
    )
    if missing:
        return (
            Status.FAILED,
            rectification_message("incomplete", missing=missing),
            item.closed,
        )
    return (Status.PASSED, rectification_message("complete"), item.closed)


_RECTIFICATION_CHECKS = {"overdue": _overdue, "on_time": _on_time, "evidence": _evidence}

RECTIFICATION = RuleKind(
    name="rectification",
    params=RectificationParams,
    evaluate=_evaluate_rectification,
    description=t("整改事项按时限销号，措施和佐证材料齐全"),
)


@attrs.frozen(kw_only=True)
class PairingParams:
    """Pairing work in every sub-period, chosen by ``check``.

    Attributes:
        check: ``joint_activities``: each paired village has an activity of every kind in
            ``kinds``; ``letters``: each organisation the rule applies to has a responsibility
            letter for the year (a letter that names no organisation counts for the top
            organisations of the ledger, those without a parent).
        kinds: The joint-activity kinds required (as the place names them).
        per: The sub-period.
    """

    check: Literal["joint_activities", "letters"]
    kinds: tuple[str, ...] = attrs.field(default=(), validator=v.texts)
    per: PeriodUnit = PeriodUnit.YEAR


def joint_activities_message(
    p: PairingParams, sub: Period, missing: tuple[str, ...] | None
) -> Message:
    """The message of a pairing's joint activities in ``sub``: the kinds ``missing`` (none: all
    held), or ``None`` when the pairing did not last the whole sub-period (the table engine's
    too)."""
    need = t("{period}应开展：{kinds}", period=period_name(sub), kinds=comma_list(p.kinds))
    if missing is None:
        return t("{need}；结对关系在该期间未全程存续，不作判断", need=need)
    if missing:
        return t("{need}，缺少：{missing}", need=need, missing=comma_list(list(missing)))
    return t("{need}，均已开展", need=need)


def letters_message(year: int, signed: dt.date | None) -> Message:
    """The message of a year's responsibility letter, first ``signed`` on that day (``None``:
    none recorded) (the table engine's too)."""
    if signed is not None:
        return t("{year}年度应签订责任书，已于{signed}签订", year=year, signed=signed.isoformat())
    return t("{year}年度应签订责任书，未见记录", year=year)


def _evaluate_pairing(ctx: Context, rule: Rule) -> Iterator[Finding]:
    first: PairingParams = rule.params_on(ctx.period.start)
    subs = [s for s in ctx.subperiods(first.per) if rule.in_force.overlaps(s.start, s.end)]
    orgs = ctx.organisations(rule)
    if first.check == "letters":
        for org in orgs:
            for sub in subs:
                if not rule.in_force.spans(sub.start, sub.end):
                    yield partly_in_force(ctx, rule, ctx.branch_subjects[org.id], sub)
                    continue
                yield _judge_letters(ctx, rule, org, sub)
        return
    ids = {b.id for b in orgs}
    for pairing in ctx.ledger.pairings:
        if pairing.branch not in ids:
            continue
        subject = Subject(kind="pairing", id=pairing.id, name=pairing.place, branch=pairing.branch)
        for sub in subs:
            if not rule.in_force.spans(sub.start, sub.end):
                yield partly_in_force(ctx, rule, subject, sub)
                continue
            p: PairingParams = rule.params_on(sub.start)
            if not ctx.covers((pairing.since, pairing.until), sub):
                yield ctx.finding(
                    rule,
                    Status.NOT_APPLICABLE,
                    subject,
                    sub,
                    joint_activities_message(p, sub, None),
                )
                continue
            held = [a for a in pairing.activities if a.date in sub]
            missing = tuple(k for k in p.kinds if not any(a.kind == k for a in held))
            status = ctx.verdict(not missing, sub)
            yield ctx.finding(
                rule,
                status,
                subject,
                sub,
                joint_activities_message(p, sub, missing),
                evidence=[a.meeting for a in held if a.meeting],
            )


def _judge_letters(ctx: Context, rule: Rule, org: Branch, sub: Period) -> Finding:
    top = org.parent is None
    letters = [
        x
        for x in ctx.ledger.responsibility_letters
        if x.year == sub.start.year and (x.branch == org.id or (top and x.branch is None))
    ]
    subject = ctx.branch_subjects[org.id]
    status = ctx.verdict(bool(letters), sub)
    # the first signed, whatever the order of the ledger's records
    letters.sort(key=lambda x: (x.signed, x.id))
    return ctx.finding(
        rule,
        status,
        subject,
        sub,
        letters_message(sub.start.year, letters[0].signed if letters else None),
        evidence=[x.id for x in letters],
    )


PAIRING = RuleKind(
    name="pairing",
    params=PairingParams,
    evaluate=_evaluate_pairing,
    description=t("结对共建活动按期开展；按年度签订责任书"),
)
