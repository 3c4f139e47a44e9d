"""Small builders of valid ledgers, and helpers to check one rule, for the rule tests.

Import them with ``from tests.builders.rules import …``. The names below are a stable interface
that other rule tests build on; add to it, do not change it.

Records (each builder fills every required field with a plain, valid default):

- :func:`branch`, :func:`committee_org`: organisations; :func:`seat`, :func:`committee`:
  committee seats.
- :func:`group`: a party group.
- :func:`full_member`, :func:`probationary_member`, :func:`full_members`: members with
  coherent birth, admission and conversion dates.
- :func:`meeting`, :func:`study`, :func:`election`: activities.
- :func:`ledger` builds a :class:`~dangjian.Ledger` and **validates it** (a test that builds
  an invalid ledger by mistake fails at once, instead of testing the wrong thing);
  :func:`with_records` adds records to one.

Checking:

- :func:`run_rule` checks one rule and returns its findings;
- :func:`statuses` maps each finding to ``(subject id, period)`` → status;
- :func:`declared_citations` reads a rule's citations straight from its rule file (not through
  the loader), so that tests compare findings against the data, not against the code;
- :func:`assert_findings` asserts the exact statuses of a rule's findings and their citations;
- :func:`rule_file` writes a user rule file.

>>> b = branch("b1")
>>> people = full_members(3, "b1")
>>> led = ledger(branches=[b], members=people)
>>> [m.id for m in led.members]
['b1-m1', 'b1-m2', 'b1-m3']
>>> fs = run_rule(led, "2020", "branch.setup", as_of=D(2021, 1, 15))
>>> statuses(fs)
{('b1', '2020'): 'passed'}
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import tomli_w

from dangjian import (
    Branch,
    Candidate,
    Citation,
    CommitteeRole,
    CommitteeSeat,
    Election,
    ElectionKind,
    Finding,
    Gender,
    Ledger,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Milestones,
    OrgCategory,
    OrgLevel,
    PartyGroup,
    Period,
    PeriodUnit,
    Status,
    StudyAudience,
    StudySession,
    check,
)

__all__ = [
    "ADMITTED",
    "COMMITTEE_ROLES",
    "CONVERTED",
    "DAY",
    "FOUNDED",
    "D",
    "assert_findings",
    "branch",
    "committee",
    "committee_org",
    "declared_citations",
    "election",
    "full_member",
    "full_members",
    "group",
    "ledger",
    "meeting",
    "probationary_member",
    "rule_file",
    "run_rule",
    "seat",
    "statuses",
    "study",
    "week_of",
    "with_records",
    "years_before",
]

D = dt.date
DAY = dt.timedelta(days=1)

FOUNDED = D(2000, 1, 1)
"""The default founding day of an organisation: long before any period the tests check."""

CONVERTED = D(2000, 1, 1)
"""The default conversion day of a full member."""

ADMITTED = D(2019, 12, 1)
"""The default admission day of a probationary member."""

COMMITTEE_ROLES: tuple[CommitteeRole, ...] = (
    CommitteeRole.SECRETARY,
    CommitteeRole.DEPUTY_SECRETARY,
    CommitteeRole.ORGANISATION,
    CommitteeRole.PUBLICITY,
    CommitteeRole.DISCIPLINE,
    CommitteeRole.MEMBER,
    CommitteeRole.MEMBER,
)
"""The roles :func:`committee` hands out, in order: 书记 first."""


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# -- organisations -----------------------------------------------------------------------------


def branch(
    id: str = "b1",
    *,
    level: OrgLevel = OrgLevel.BRANCH,
    category: OrgCategory = OrgCategory.ORGAN,
    parent: str | None = None,
    founded: dt.date | None = FOUNDED,
    committee: Iterable[CommitteeSeat] = (),
    **fields: Any,
) -> Branch:
    """A 党支部 (or any ``level``) of an organ, founded on :data:`FOUNDED` unless told.

    Any other :class:`~dangjian.Branch` field (``name``, ``dissolved``, ``last_election``,
    ``term_years``, ``theme_day`` …) can be given as a keyword.
    """
    fields.setdefault("name", f"{id}党组织")
    return Branch(
        id=id,
        level=level,
        category=category,
        parent=parent,
        founded=founded,
        committee=tuple(committee),
        **fields,
    )


def committee_org(id: str = "c1", **fields: Any) -> Branch:
    """A 基层党委 (committee-level organisation): :func:`branch` with ``level=committee``."""
    return branch(id, level=OrgLevel.COMMITTEE, **fields)


def seat(
    member: str,
    role: CommitteeRole = CommitteeRole.SECRETARY,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> CommitteeSeat:
    """A committee seat held by ``member`` from ``start`` to ``end`` (open when ``None``)."""
    return CommitteeSeat(role=role, member=member, start=start, end=end)


def committee(
    members: Sequence[str], *, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[CommitteeSeat, ...]:
    """One seat for each of ``members``, the first the 书记, roles as in :data:`COMMITTEE_ROLES`.

    At most seven members (the largest committee a branch may have).
    """
    if len(members) > len(COMMITTEE_ROLES):
        raise ValueError(f"at most {len(COMMITTEE_ROLES)} seats, not {len(members)}")
    return tuple(
        seat(m, role, start=start, end=end)
        for m, role in zip(members, COMMITTEE_ROLES, strict=False)
    )


def group(id: str, branch: str = "b1", *, leader: str | None = None) -> PartyGroup:
    """A 党小组 of ``branch``."""
    return PartyGroup(id=id, name=f"{id}党小组", branch=branch, leader=leader)


# -- members -----------------------------------------------------------------------------------


def full_member(
    id: str,
    branch: str = "b1",
    *,
    converted: dt.date | None = CONVERTED,
    admitted: dt.date | None = None,
    born: dt.date | None = None,
    status: MemberStatus = MemberStatus.FULL,
    **fields: Any,
) -> Member:
    """A full member of ``branch``: admitted a year before ``converted``, born 30 years before.

    Any other :class:`~dangjian.Member` field (``group``, ``joined``, ``left`` …) can be given as
    a keyword; ``status`` can be a way of leaving (with ``left``).
    """
    if admitted is None and converted is not None:
        admitted = years_before(converted, 1)
    first = admitted or converted or CONVERTED
    fields.setdefault("name", f"党员{id}")
    fields.setdefault("gender", Gender.MALE)
    return Member(
        id=id,
        branch=branch,
        status=status,
        birth_date=born or years_before(first, 30),
        milestones=Milestones(admitted=admitted, converted=converted),
        **fields,
    )


def probationary_member(
    id: str, branch: str = "b1", *, admitted: dt.date = ADMITTED, **fields: Any
) -> Member:
    """A probationary member of ``branch``, admitted on ``admitted`` and not yet converted."""
    return full_member(
        id,
        branch,
        converted=None,
        admitted=admitted,
        status=MemberStatus.PROBATIONARY,
        **fields,
    )


def full_members(
    n: int, branch: str = "b1", *, prefix: str | None = None, first: int = 1, **fields: Any
) -> tuple[Member, ...]:
    """``n`` full members of ``branch`` with ids ``{prefix}{first}`` … (prefix: ``{branch}-m``).

    The keywords go to every :func:`full_member`.
    """
    prefix = f"{branch}-m" if prefix is None else prefix
    return tuple(full_member(f"{prefix}{i}", branch, **fields) for i in range(first, first + n))


# -- activities --------------------------------------------------------------------------------


def meeting(
    id: str, kind: MeetingKind, date: dt.date, *, branch: str = "b1", **fields: Any
) -> Meeting:
    """A meeting of ``kind`` held by ``branch`` on ``date``; other fields as keywords."""
    return Meeting(id=id, kind=kind, branch=branch, date=date, **fields)


def study(
    id: str, audience: StudyAudience, date: dt.date, *, branch: str = "b1", **fields: Any
) -> StudySession:
    """A study session of ``audience`` held by ``branch`` on ``date``; other fields as keywords."""
    return StudySession(id=id, audience=audience, branch=branch, date=date, **fields)


def election(
    id: str,
    date: dt.date,
    *,
    branch: str = "b1",
    seats: int = 1,
    candidates: Mapping[str, int | None] | Sequence[str] = (),
    elected: Sequence[str] = (),
    kind: ElectionKind = ElectionKind.GENERAL,
    **fields: Any,
) -> Election:
    """An election of ``branch`` on ``date``.

    ``candidates`` is a list of member ids, or a mapping of member id → votes; other
    :class:`~dangjian.Election` fields (``voters_expected``, ``present_count`` …) as keywords.
    """
    if isinstance(candidates, Mapping):
        people = tuple(Candidate(member=m, votes=v) for m, v in candidates.items())
    else:
        people = tuple(Candidate(member=m) for m in candidates)
    return Election(
        id=id,
        branch=branch,
        kind=kind,
        date=date,
        seats=seats,
        candidates=people,
        elected=tuple(elected),
        **fields,
    )


# -- ledgers -----------------------------------------------------------------------------------


def ledger(*, name: str = "测试台账", validate: bool = True, **records: Iterable[Any]) -> Ledger:
    """A ledger of ``records`` (``branches=[…]``, ``members=[…]`` …), validated unless told.

    Raises:
        LedgerError: the records do not fit together (when ``validate``).
    """
    built = Ledger(name=name, **{k: tuple(v) for k, v in records.items()})
    if validate:
        built.validate()
    return built


def with_records(base: Ledger, *, validate: bool = True, **records: Iterable[Any]) -> Ledger:
    """``base`` with ``records`` appended to its collections (``meetings=[…]`` …)."""
    extra = {k: (*getattr(base, k), *v) for k, v in records.items()}
    built = attrs.evolve(base, **extra)
    if validate:
        built.validate()
    return built


# -- checking ----------------------------------------------------------------------------------


def run_rule(
    led: Ledger,
    period: Period | str,
    rule_id: str,
    *,
    as_of: dt.date,
    profile: str = "national",
    rules: Sequence[str | os.PathLike[str]] = (),
) -> list[Finding]:
    """The findings of the rule ``rule_id`` alone, judged on ``as_of``."""
    report = check(led, period, as_of=as_of, profile=profile, rules=rules, only=[rule_id])
    findings = list(report.findings)
    assert {f.rule for f in findings} <= {rule_id}
    return findings


def _key(f: Finding) -> tuple[str, str | None]:
    return (f.subject.id, str(f.period) if f.period is not None else None)


def statuses(findings: Iterable[Finding]) -> dict[tuple[str, str | None], str]:
    """``(subject id, period)`` → status code of each finding; each key must occur once."""
    findings = list(findings)
    repeated = [k for k, n in Counter(map(_key, findings)).items() if n > 1]
    assert not repeated, f"several findings for {repeated}"
    return {_key(f): f.status.code for f in findings}


def _rule_file_data(profile: str) -> list[dict[str, Any]]:
    """The raw ``[[rule]]`` tables of a profile (a shipped name or a path), parents first."""
    if profile in ("national", "organ"):
        text = (resources.files("dangjian.rules") / "data" / f"{profile}.toml").read_text("utf-8")
    else:
        text = Path(profile).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    rules: list[dict[str, Any]] = []
    for parent in data.get("extends", ()):
        rules += _rule_file_data(parent)
    return rules + list(data.get("rule", ()))


def declared_citations(
    rule_id: str,
    profile: str = "national",
    files: Sequence[str | os.PathLike[str]] = (),
    *,
    on: dt.date | None = None,
) -> tuple[Citation, ...]:
    """The citations written for ``rule_id`` in its rule file, read with ``tomllib`` directly.

    With ``on``, those of the latest ``[[rule.changes]]`` in force that day which has its own
    citations, if any; otherwise the rule's own.
    """
    tables = _rule_file_data(profile)
    for f in files:
        tables += _rule_file_data(os.fspath(f))
    found = [t for t in tables if t.get("id") == rule_id]
    assert len(found) == 1, f"{rule_id!r} is declared {len(found)} times"
    cited = found[0]["citations"]
    for change in found[0].get("changes", ()):
        if on is not None and change["since"] <= on and change.get("citations"):
            cited = change["citations"]
    return tuple(Citation(**c) for c in cited)


def assert_findings(
    findings: Iterable[Finding],
    expected: Mapping[tuple[str, str | None], Status | str],
    *,
    rule_id: str,
    profile: str = "national",
    files: Sequence[str | os.PathLike[str]] = (),
) -> None:
    """The findings are exactly ``expected`` (key → status), all of ``rule_id``, each citing
    what the rule file declares for it."""
    findings = list(findings)
    want = {k: (v.code if isinstance(v, Status) else v) for k, v in expected.items()}
    assert statuses(findings) == want
    for f in findings:
        assert f.rule == rule_id
        # a finding cites what was in force on its day, or at the start of its sub-period
        on = f.day or (f.period.start if f.period is not None else None)
        cited = declared_citations(rule_id, profile, files, on=on)
        assert f.citations == cited, f"{f.rule}: {f.citations} != {cited}"


def rule_file(
    directory: Path, rules: Sequence[Mapping[str, Any]], *, name: str = "local.toml"
) -> Path:
    """A user rule file in ``directory`` holding ``rules``, written as TOML.

    Each rule needs ``id``, ``kind`` and ``params``; ``title``, ``title_en``, ``confidence``
    (``local``) and ``citations`` (one local, unverified citation) get defaults.
    """
    tables = []
    for r in rules:
        table = {
            "title": f"{r['id']}（测试）",
            "title_en": f"{r['id']} (test)",
            "confidence": "local",
            "citations": [{"document": "本单位学习计划", "verified": False, "note": "测试"}],
            **r,
        }
        tables.append(table)
    path = directory / name
    data = {"profile": path.stem, "title": "测试用规则", "rule": tables}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def week_of(day: dt.date) -> Period:
    """The ISO week containing ``day``."""
    return Period.containing(day, PeriodUnit.WEEK)
