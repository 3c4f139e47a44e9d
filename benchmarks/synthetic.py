"""A synthetic, valid ledger of configurable size, for benchmarks.

The ledger is written as plain data (the dicts, lists and text a ledger file holds), not built
from entity objects, so generating a large one is quick. Every reference resolves and every date
is in a sane order, so ``dangjian.loads`` accepts it and ``Ledger.problems()`` is empty.

At ``scale=1.0`` it holds 1,000 organisations, 30,000 members, 100,000 meetings and 50,000 study
sessions (10 to 30 attendees each, drawn from the organisation's members), 360,000 dues payments
(a year for every member), 30,000 talks, 60,000 training records and, in proportion, party groups,
elections, paired villages, rectification items, responsibility letters, appraisals and service
activities. Counts scale linearly (at least one of each, and always ``MEMBERS_PER_BRANCH``
members to an organisation); the same ``scale`` and ``seed`` give the same ledger.

Usage from another benchmark::

    from synthetic import make_ledger_data, write_json

    data = make_ledger_data(scale=0.1)
    write_json("ledger.json", scale=0.1)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path
from typing import Any

__all__ = ["MEMBERS_PER_BRANCH", "counts", "make_ledger_data", "write_json"]

MEMBERS_PER_BRANCH = 30
"""Members in each organisation; the number of organisations follows the scale."""

_AT_SCALE_ONE = {
    "branches": 1_000,
    "groups": 3_000,
    "members": 1_000 * MEMBERS_PER_BRANCH,
    "meetings": 100_000,
    "study_sessions": 50_000,
    "elections": 1_000,
    "talks": 30_000,
    "trainings": 60_000,
    "dues_payments": 360_000,
    "pairings": 20,
    "rectifications": 200,
    "responsibility_letters": 1_000,
    "appraisals": 5_000,
    "service_activities": 500,
}

_AREAS = ("620102", "620103", "620104", "620105", "620111", "620121", "620122", "620123")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
_MEETING_KINDS = (
    "general_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
    "theme_day",
    "org_life_meeting",
)
_STUDY_FORMS = ("concentrated", "seminar", "lecture", "quiz", "film", "micro_lecture", "online")
_TOPICS = (
    "学习贯彻党的二十大精神",
    "学习《中国共产党章程》",
    "学习《中国共产党支部工作条例（试行）》",
    "党风廉政建设专题学习",
    "学习习近平新时代中国特色社会主义思想",
    "主题教育专题研讨",
)
_PLACES = ("党员活动室", "三楼会议室", "一楼会议室", "党建活动中心")
_ABSENCE_REASONS = ("leave", "business_trip", "sick_leave", "other")
_ORG_CATEGORIES = ("organ", "public_institution", "state_enterprise", "community", "village")

_START = dt.date(2015, 1, 1).toordinal()
_END = dt.date(2024, 12, 31).toordinal()
_LATEST_APPLICATION = dt.date(2020, 6, 1).toordinal()


def counts(scale: float = 1.0) -> dict[str, int]:
    """How many records of each kind :func:`make_ledger_data` makes at ``scale``."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    found = {kind: max(1, round(n * scale)) for kind, n in _AT_SCALE_ONE.items()}
    found["members"] = found["branches"] * MEMBERS_PER_BRANCH
    return found


def _day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def _resident_id(rng: random.Random, birth: dt.date, male: bool) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{rng.choice(_AREAS)}{birth:%Y%m%d}{sequence:03d}"
    total = sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randint(1, 2)))


def make_ledger_data(scale: float = 1.0, seed: int = 0) -> dict[str, Any]:
    """A valid ledger as the plain data of a ledger file, ``scale`` times the size above."""
    rng = random.Random(seed)
    n = counts(scale)
    n_branches = n["branches"]

    # -- organisations: one committee on top, general branches under it, branches under those
    branches: list[dict[str, Any]] = []
    founded: list[int] = []
    n_general = max(1, n_branches // 20) if n_branches > 1 else 0
    for b in range(n_branches):
        if b == 0:
            level, parent = "committee", None
        elif b <= n_general:
            level, parent = "general_branch", "B00000"
        else:
            level, parent = "branch", f"B{1 + (b % n_general):05d}"
        day = dt.date(2000, 1, 1).toordinal() + rng.randrange(0, 14 * 365)
        founded.append(day)
        record: dict[str, Any] = {
            "id": f"B{b:05d}",
            "name": f"市直机关第{b + 1}党支部" if level == "branch" else f"市直机关第{b + 1}党组织",
            "level": level,
            "category": rng.choice(_ORG_CATEGORIES),
            "founded": _day(day),
            "last_election": _day(rng.randrange(_START, _END)),
            "theme_day": rng.randint(1, 28),
        }
        if parent is not None:
            record["parent"] = parent
        branches.append(record)

    # -- members, MEMBERS_PER_BRANCH in each organisation
    members: list[dict[str, Any]] = []
    births: list[int] = []
    by_branch: list[list[str]] = [[] for _ in range(n_branches)]
    for i in range(n["members"]):
        b = i % n_branches
        member_id = f"M{i:06d}"
        birth = dt.date(1950, 1, 1).toordinal() + rng.randrange(0, 50 * 365)
        male = rng.random() < 0.6
        births.append(birth)
        by_branch[b].append(member_id)
        of_age = birth + 18 * 365
        applied = of_age + rng.randrange(0, max(1, min(20 * 365, _LATEST_APPLICATION - of_age)))
        steps = [applied]
        for gap in (30, 180, 365, 200, 365):
            steps.append(steps[-1] + rng.randrange(gap // 2, gap))
        status = rng.choices(
            ("full", "probationary", "activist", "transferred_out"), (90, 4, 3, 3)
        )[0]
        names = ("applied", "first_talk", "activist", "candidate", "admitted", "converted")
        known = {"activist": 3, "probationary": 5}.get(status, 6)
        record = {
            "id": member_id,
            "name": _name(rng),
            "gender": "male" if male else "female",
            "birth_date": _day(birth),
            "resident_id": _resident_id(rng, dt.date.fromordinal(birth), male),
            "branch": f"B{b:05d}",
            "status": status,
            "milestones": {names[k]: _day(steps[k]) for k in range(known)},
            "dues_category": rng.choices(("salaried", "retired", "other"), (80, 15, 5))[0],
        }
        if status == "transferred_out":
            record["left"] = _day(min(_END, steps[-1] + rng.randrange(30, 1000)))
        if rng.random() < 0.1:
            record["position"] = rng.choice(("科长", "副科长", "主任科员", "处长"))
            record["leading_cadre"] = True
        members.append(record)
    for b, ids in enumerate(by_branch):
        # sponsors: two other members of the same organisation
        for k, member_id in enumerate(ids):
            if len(ids) >= 3:
                members[int(member_id[1:])]["sponsors"] = [
                    ids[(k + 1) % len(ids)],
                    ids[(k + 2) % len(ids)],
                ]
        branch = branches[b]
        if ids:
            roles = ("secretary", "deputy_secretary", "organisation")
            branch["committee"] = [
                {"role": role, "member": ids[r], "start": branch["last_election"]}
                for r, role in enumerate(roles[: len(ids)])
            ]

    # -- party groups, each in one organisation and led by one of its members
    groups: list[dict[str, Any]] = []
    groups_of: list[list[str]] = [[] for _ in range(n_branches)]
    for g in range(n["groups"]):
        b = g % n_branches
        group_id = f"G{g:05d}"
        groups_of[b].append(group_id)
        groups.append(
            {
                "id": group_id,
                "name": f"第{len(groups_of[b])}党小组",
                "branch": f"B{b:05d}",
                "leader": rng.choice(by_branch[b]),
            }
        )
    for b, ids in enumerate(by_branch):
        if groups_of[b]:
            for member_id in ids:
                members[int(member_id[1:])]["group"] = rng.choice(groups_of[b])

    def activity_day(b: int) -> int:
        return rng.randrange(max(_START, founded[b]), _END)

    # -- meetings
    meetings: list[dict[str, Any]] = []
    for i in range(n["meetings"]):
        b = rng.randrange(n_branches)
        ids = by_branch[b]
        kind = rng.choice(_MEETING_KINDS)
        attended = rng.sample(ids, min(len(ids), rng.randint(10, 30)))
        record = {
            "id": f"MT{i:07d}",
            "kind": kind,
            "branch": f"B{b:05d}",
            "date": _day(activity_day(b)),
            "start": "09:00",
            "end": "11:00",
            "place": rng.choice(_PLACES),
            "title": f"第{i + 1}次会议",
            "topic": rng.choice(_TOPICS),
            "chair": ids[0],
            "recorder": ids[min(1, len(ids) - 1)],
            "attended": attended,
            "present_count": len(attended),
        }
        if kind == "group_meeting" and groups_of[b]:
            record["group"] = rng.choice(groups_of[b])
        if kind == "party_lecture":
            record["lecturer"] = ids[0]
        if rng.random() < 0.5:
            # half the minutes list who should have come, and why the others did not
            record["expected"] = list(ids)
            record["expected_count"] = len(ids)
            present = set(attended)
            record["absences"] = [
                {"member": x, "reason": rng.choice(_ABSENCE_REASONS)}
                for x in ids
                if x not in present
            ][:3]
        if rng.random() < 0.2:
            record["resolutions"] = [
                {"text": "通过", "votes_for": len(attended), "votes_against": 0, "abstentions": 0}
            ]
        meetings.append(record)

    # -- study sessions
    study_sessions: list[dict[str, Any]] = []
    for i in range(n["study_sessions"]):
        b = rng.randrange(n_branches)
        ids = by_branch[b]
        attendees = rng.sample(ids, min(len(ids), rng.randint(10, 30)))
        study_sessions.append(
            {
                "id": f"ST{i:07d}",
                "audience": rng.choice(("centre_group", "all_members")),
                "branch": f"B{b:05d}",
                "date": _day(activity_day(b)),
                "start": "14:30",
                "duration_minutes": rng.choice((60, 90, 120)),
                "form": rng.choice(_STUDY_FORMS),
                "topics": [rng.choice(_TOPICS)],
                "documents": ["《中国共产党章程》"],
                "speaker": ids[0],
                "attendees": attendees,
                "attendee_count": len(attendees) + rng.randrange(0, 5),
            }
        )

    # -- elections, one per organisation at scale 1
    elections: list[dict[str, Any]] = []
    for i in range(n["elections"]):
        b = i % n_branches
        ids = by_branch[b]
        candidates = ids[:5]
        present = ids[: max(1, len(ids) - 2)]
        elections.append(
            {
                "id": f"EL{i:05d}",
                "branch": f"B{b:05d}",
                "date": _day(activity_day(b)),
                "seats": 3,
                "candidates": [
                    {"member": c, "votes": len(present) - k} for k, c in enumerate(candidates)
                ],
                "voters_expected": list(ids),
                "voters_present": present,
                "ballots_issued": len(present),
                "ballots_returned": len(present),
                "elected": candidates[:3],
            }
        )

    # -- talks, training, dues
    talks: list[dict[str, Any]] = []
    for i in range(n["talks"]):
        b = rng.randrange(n_branches)
        initiator, partner = rng.sample(by_branch[b], 2)
        talks.append(
            {
                "id": f"TK{i:07d}",
                "initiator": initiator,
                "partner": partner,
                "date": _day(activity_day(b)),
                "topic": "思想交流",
            }
        )
    trainings: list[dict[str, Any]] = []
    for i in range(n["trainings"]):
        m = rng.randrange(n["members"])
        trainings.append(
            {
                "id": f"TR{i:07d}",
                "member": f"M{m:06d}",
                "date": _day(rng.randrange(_START, _END)),
                "hours": rng.choice(("2", "4", "8", "16", "2.5")),
                "course": rng.choice(_TOPICS),
                "organiser": "市委党校",
            }
        )
    dues_payments: list[dict[str, Any]] = []
    n_members = n["members"]
    for i in range(n["dues_payments"]):
        m = i % n_members
        month = 1 + (i // n_members) % 12
        year = 2024 - (i // n_members) // 12
        base = rng.randrange(3000, 12000)
        dues_payments.append(
            {
                "id": f"DU{i:07d}",
                "member": f"M{m:06d}",
                "month": f"{year:04d}-{month:02d}",
                "amount": f"{base * 0.01:.2f}",
                "base": f"{base}.00",
                "paid_on": f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}",
            }
        )

    # -- oversight and paired villages, few of each
    pairings: list[dict[str, Any]] = []
    for i in range(n["pairings"]):
        b = i % n_branches
        ids = by_branch[b]
        since = activity_day(b)
        pairings.append(
            {
                "id": f"PV{i:04d}",
                "county": "榆中县",
                "town": "城关镇",
                "village": f"第{i + 1}村",
                "branch": f"B{b:05d}",
                "since": _day(since),
                "first_secretary": ids[0],
                "team_leader": ids[1 % len(ids)],
                "team_members": ids[2:5],
                "visits": [
                    {
                        "date": _day(since + 30 * k),
                        "title": "走访慰问",
                        "visitors": ids[:3],
                        "donations": [{"item": "面粉", "quantity": "50", "unit": "袋"}],
                    }
                    for k in range(4)
                ],
                "trainings": [{"date": _day(since + 60), "topic": "种植技术", "trainees": 40}],
            }
        )
    rectifications: list[dict[str, Any]] = []
    for i in range(n["rectifications"]):
        b = i % n_branches
        raised = activity_day(b)
        closed = rng.random() < 0.5
        record = {
            "id": f"RC{i:05d}",
            "source": rng.choice(("inspection", "supervision", "self_check")),
            "raised": _day(raised),
            "problem": "三会一课记录不规范",
            "branch": f"B{b:05d}",
            "measures": ["完善会议记录", "加强培训"],
            "deadline": _day(raised + 90),
            "status": "closed" if closed else "open",
        }
        if closed:
            record["closed"] = _day(raised + 60)
            record["follow_ups"] = [{"date": _day(raised + 120), "finding": "已整改到位"}]
        rectifications.append(record)
    responsibility_letters = [
        {
            "id": f"RL{i:05d}",
            "year": 2024,
            "signed": "2024-02-20",
            "issuer": "局党委",
            "signatory": "支部书记",
            "branch": f"B{i % n_branches:05d}",
            "subject": "抓基层党建工作责任书",
        }
        for i in range(n["responsibility_letters"])
    ]
    appraisals: list[dict[str, Any]] = []
    for i in range(n["appraisals"]):
        b = i % n_branches
        appraisals.append(
            {
                "id": f"AP{i:05d}",
                "kind": "member_appraisal",
                "date": _day(activity_day(b)),
                "member": rng.choice(by_branch[b]),
                "branch": f"B{b:05d}",
                "grade": rng.choice(("excellent", "competent")),
                "evaluators": MEMBERS_PER_BRANCH,
            }
        )
    service_activities: list[dict[str, Any]] = []
    for i in range(n["service_activities"]):
        b = i % n_branches
        start = activity_day(b)
        service_activities.append(
            {
                "id": f"SA{i:05d}",
                "kind": "volunteer",
                "title": "社区志愿服务",
                "branch": f"B{b:05d}",
                "start": _day(start),
                "end": _day(start + 1),
                "participants": rng.sample(by_branch[b], 8),
            }
        )

    return {
        "name": "市直机关工委（合成数据）",
        "version": 1,
        "branches": branches,
        "groups": groups,
        "members": members,
        "meetings": meetings,
        "study_sessions": study_sessions,
        "elections": elections,
        "talks": talks,
        "trainings": trainings,
        "dues_payments": dues_payments,
        "pairings": pairings,
        "rectifications": rectifications,
        "responsibility_letters": responsibility_letters,
        "appraisals": appraisals,
        "service_activities": service_activities,
    }


def write_json(path: str | os.PathLike[str], scale: float = 1.0, seed: int = 0) -> Path:
    """Write :func:`make_ledger_data` as a UTF-8 JSON ledger file at ``path``; returns the path."""
    target = Path(path)
    text = json.dumps(make_ledger_data(scale, seed), ensure_ascii=False, indent=2)
    target.write_text(text + "\n", encoding="utf-8")
    return target
