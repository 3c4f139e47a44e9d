"""Small builders for the boundary tests of the dues, lapse, membership, coverage and oversight
rules: one-line records, a validated ledger, and a check that returns findings keyed by subject
and sub-period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from dangjian import (
    Branch,
    CommitteeRole,
    CommitteeSeat,
    DuesCategory,
    DuesPayment,
    Gender,
    HeartToHeartTalk,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Milestones,
    Month,
    OrgCategory,
    OrgLevel,
    ProbationExtension,
    TrainingRecord,
)
from dangjian.findings import Finding
from dangjian.rules.engine import check

__all__ = [
    "D",
    "branch",
    "findings_of",
    "key",
    "ledger",
    "local_dues_rule",
    "meeting",
    "member",
    "month_range",
    "payment",
    "run",
    "seat",
    "sort_key",
    "statuses",
    "talk",
    "training",
    "write_policy",
    "write_rule_file",
]

D = dt.date

_counter: dict[str, int] = {}


def _next_id(prefix: str) -> str:
    _counter[prefix] = _counter.get(prefix, 0) + 1
    return f"{prefix}{_counter[prefix]}"


def branch(
    id: str = "b1",
    *,
    level: OrgLevel = OrgLevel.BRANCH,
    category: OrgCategory = OrgCategory.ORGAN,
    parent: str | None = None,
    founded: dt.date | None = dt.date(2000, 1, 1),
    committee: Sequence[CommitteeSeat] = (),
    name: str | None = None,
) -> Branch:
    """An organisation founded in 2000, a 机关 branch unless told otherwise."""
    return Branch(
        id=id,
        name=name or f"第{id}党支部",
        level=level,
        category=category,
        parent=parent,
        founded=founded,
        committee=tuple(committee),
    )


def seat(
    member: str,
    role: CommitteeRole = CommitteeRole.SECRETARY,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> CommitteeSeat:
    """A committee seat."""
    return CommitteeSeat(role=role, member=member, start=start, end=end)


def member(
    id: str,
    *,
    branch: str = "b1",
    status: MemberStatus = MemberStatus.FULL,
    birth_date: dt.date | None = dt.date(1980, 1, 1),
    applied: dt.date | None = None,
    first_talk: dt.date | None = None,
    activist: dt.date | None = None,
    candidate: dt.date | None = None,
    admitted: dt.date | None = None,
    converted: dt.date | None = None,
    extension: tuple[dt.date, int] | None = None,
    mentors: Sequence[str] = (),
    sponsors: Sequence[str] = (),
    dues_category: DuesCategory | None = None,
    quarterly: dt.date | None = None,
    joined: dt.date | None = None,
    left: dt.date | None = None,
) -> Member:
    """A person on the rolls; a full member born in 1980 unless told otherwise."""
    return Member(
        id=id,
        name=f"党员{id}",
        gender=Gender.MALE,
        birth_date=birth_date,
        branch=branch,
        status=status,
        milestones=Milestones(
            applied=applied,
            first_talk=first_talk,
            activist=activist,
            candidate=candidate,
            admitted=admitted,
            converted=converted,
        ),
        probation_extension=(
            ProbationExtension(decided=extension[0], months=extension[1]) if extension else None
        ),
        mentors=tuple(mentors),
        sponsors=tuple(sponsors),
        dues_category=dues_category,
        dues_quarterly=quarterly,
        joined=joined,
        left=left,
    )


def payment(
    member: str,
    month: str,
    amount: str | Decimal,
    *,
    base: str | Decimal | None = None,
    voluntary: bool = False,
    id: str | None = None,
    paid_on: dt.date | None = None,
    **pay: str | Decimal,
) -> DuesPayment:
    """A dues payment for ``month`` (``"2020-03"``); ``pay``: the gross pay and deductions
    (``gross_pay="5000"``, ``income_tax="45"`` …)."""
    return DuesPayment(
        id=id or _next_id("pay"),
        member=member,
        month=Month.parse(month),
        amount=Decimal(amount),
        base=Decimal(base) if base is not None else None,
        voluntary=voluntary,
        paid_on=paid_on,
        **{name: Decimal(value) for name, value in pay.items()},
    )


def month_range(first: str, last: str) -> list[str]:
    """The months from ``first`` to ``last`` inclusive, as ``YYYY-MM`` text."""
    current, end = Month.parse(first), Month.parse(last)
    result = []
    while current <= end:
        result.append(str(current))
        current = current.next()
    return result


def meeting(
    day: dt.date,
    attended: Sequence[str],
    *,
    branch: str = "b1",
    kind: MeetingKind = MeetingKind.THEME_DAY,
    id: str | None = None,
) -> Meeting:
    """A meeting of ``branch`` attended by ``attended``."""
    return Meeting(
        id=id or _next_id("mtg"), kind=kind, branch=branch, date=day, attended=tuple(attended)
    )


def talk(a: str, b: str, day: dt.date, *, id: str | None = None) -> HeartToHeartTalk:
    """A heart-to-heart talk between ``a`` and ``b``."""
    return HeartToHeartTalk(id=id or _next_id("talk"), initiator=a, partner=b, date=day)


def training(
    member: str, day: dt.date, hours: str | Decimal, *, id: str | None = None
) -> TrainingRecord:
    """Training hours credited to ``member``."""
    return TrainingRecord(
        id=id or _next_id("tr"), member=member, date=day, hours=Decimal(hours), course="集中培训"
    )


def ledger(**fields: Any) -> Ledger:
    """A ledger of the records given (one 机关 branch ``b1`` by default), checked to be valid, so
    that a test never judges records the loader would have refused."""
    fields.setdefault("branches", (branch(),))
    built = Ledger(name="测试台账", **{k: tuple(v) for k, v in fields.items()})
    assert built.problems() == [], built.problems()
    return built


def run(
    led: Ledger,
    period: str,
    *,
    as_of: dt.date,
    only: Sequence[str],
    profile: str = "national",
    rules: Sequence[str | Path] = (),
) -> list[Finding]:
    """The findings of the rules ``only`` over ``period``, judged on ``as_of``."""
    return list(check(led, period, as_of=as_of, profile=profile, rules=rules, only=only).findings)


def key(f: Finding) -> tuple[str, str]:
    """A finding's subject id and sub-period (``""`` when it has none)."""
    return f.subject.id, str(f.period) if f.period is not None else ""


def findings_of(findings: Iterable[Finding], rule: str) -> dict[tuple[str, str], Finding]:
    """The findings of ``rule`` by (subject id, sub-period); each key must occur once."""
    table: dict[tuple[str, str], Finding] = {}
    for f in findings:
        if f.rule == rule:
            assert key(f) not in table, f"two findings of {rule} for {key(f)}"
            table[key(f)] = f
    return table


def statuses(findings: Iterable[Finding], rule: str) -> dict[tuple[str, str], str]:
    """The status code of each finding of ``rule`` by (subject id, sub-period)."""
    return {k: f.status.code for k, f in findings_of(findings, rule).items()}


def sort_key(f: Finding) -> tuple[Any, ...]:
    """A total order of findings, for comparing two runs regardless of the order produced."""
    return (
        f.rule,
        f.subject.kind,
        f.subject.id,
        str(f.period) if f.period is not None else "",
        f.day.isoformat() if f.day else "",
        f.status.code,
        f.message,
        f.message_en,
        f.evidence,
    )


def write_rule_file(path: Path, body: str, *, profile: str = "test_local") -> Path:
    """A user rule file at ``path`` holding the ``[[rule]]`` tables of ``body``."""
    path.write_text(f'profile = "{profile}"\ntitle = "测试规则"\n\n{body}', encoding="utf-8")
    return path


def write_policy(path: Path, rules: Sequence[str] = ("dues.salaried",), **params: str) -> Path:
    """A user rule file at ``path`` that overrides ``params`` of the shipped ``rules`` (a local
    dues policy: ``quantum="0.1"``, ``rounding="ROUND_UP"``, ``minimum="0.10"`` …)."""
    table = ", ".join(f'{name} = "{value}"' for name, value in params.items())
    body = "".join(
        f"""[[override]]
rule = "{rule}"
params = {{ {table} }}
citations = [{{ document = "本地党费计算办法", verified = false, note = "测试" }}]

"""
        for rule in rules
    )
    path.write_text(f'profile = "test_policy"\ntitle = "测试党费政策"\n\n{body}', encoding="utf-8")
    return path


def local_dues_rule(
    path: Path,
    *,
    rate: str,
    quantum: str = "0.01",
    rounding: str = "ROUND_HALF_UP",
    tolerance: str = "0",
    minimum: str | None = None,
) -> Path:
    """A rule file at ``path`` of one rule ``local.dues``: the dues of category ``other`` at
    ``rate`` of the base, by that policy."""
    policy = f'minimum = "{minimum}"\n' if minimum is not None else ""
    return write_rule_file(
        path,
        f"""[[rule]]
id = "local.dues"
kind = "dues"
severity = "error"
confidence = "local"
title = "本地党费"
title_en = "Local dues"
citations = [{{ document = "本地规定", verified = false }}]

[rule.params]
check = "amount"
quantum = "{quantum}"
rounding = "{rounding}"
tolerance = "{tolerance}"
{policy}
[[rule.params.schedules]]
categories = ["other"]
tiers = [{{ rate = "{rate}" }}]
""",
    )
