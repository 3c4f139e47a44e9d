"""The bundled example ledger (x-bureau-2020h1.yaml of src/dangjian/example) and the figures docs/examples.md quotes.

The example fills the "X"s of a real half-year party-work summary with records; docs/examples.md
quotes each sentence and the figure that fills it, in a table this module reads back and compares
with counts computed from the ledger, so the documentation cannot drift from the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import dangjian
from dangjian import (
    AppraisalKind,
    Ledger,
    MeetingKind,
    MemberStatus,
    Month,
    RectificationStatus,
    ServiceKind,
    StudyAudience,
    StudyForm,
)
from dangjian.io import Format
from tests.builders import ROOT
from tests.builders.example import EXAMPLE, example_ledger

DOC = ROOT / "docs" / "examples.md"
END_OF_HALF = dt.date(2020, 6, 30)


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return example_ledger()


# -- loading, validating, round trips ----------------------------------------------------------


def test_loads_without_problems(ledger: Ledger) -> None:
    assert ledger.name == "市X局机关党委"
    assert ledger.problems() == []


def test_cli_validates_it(capsys: pytest.CaptureFixture[str]) -> None:
    from dangjian.cli import main

    assert main(["validate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "台账有效" in out
    assert f"共 {len(dangjian.load(EXAMPLE))} 条记录" in out


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_round_trips(ledger: Ledger, fmt: Format) -> None:
    text = dangjian.dumps(ledger, fmt)
    again = dangjian.loads(text, fmt)
    assert again == ledger
    assert dangjian.dumps(again, fmt) == text


def test_converting_the_file_keeps_it_equal(ledger: Ledger, tmp_path: Path) -> None:
    from dangjian.cli import main

    for suffix in (".json", ".toml", ".yaml"):
        target = tmp_path / f"x-bureau{suffix}"
        assert main(["convert", str(EXAMPLE), str(target)]) == 0
        assert dangjian.load(target) == ledger


def test_resident_ids_are_few_and_masked(ledger: Ledger) -> None:
    with_id = [m for m in ledger.members if m.resident_id is not None]
    assert 2 <= len(with_id) <= 3
    for m in with_id:
        assert m.resident_id is not None
        full = m.resident_id.reveal()
        assert full.startswith("629999")  # not a real region: the numbers belong to nobody
        assert m.resident_id.birth_date == m.birth_date
        assert m.resident_id.is_male == (m.gender.code == "male")
        assert full not in repr(m)


def test_every_record_falls_in_or_before_the_half_year(ledger: Ledger) -> None:
    for s in ledger.study_sessions:
        assert dt.date(2020, 1, 1) <= s.date <= END_OF_HALF
    for m in ledger.meetings:
        assert dt.date(2020, 1, 1) <= m.date <= END_OF_HALF
    for d in ledger.dues_payments:
        assert Month(2020, 1) <= d.month <= Month(2020, 6)


# -- the figures of docs/examples.md -----------------------------------------------------------


def _count(records: Iterable[Any], test: Callable[[Any], bool]) -> int:
    return sum(1 for r in records if test(r))


def _figures(ledger: Ledger) -> dict[str, str]:
    """Each phrase of the summary table in docs/examples.md and its figure, computed."""
    pairing = ledger.pairings[0]
    meetings = ledger.meetings
    studies = ledger.study_sessions
    task_force = next(s for s in ledger.service_activities if s.kind is ServiceKind.TASK_FORCE)
    funds = sum((p.funds or Decimal(0) for p in pairing.projects), Decimal(0))
    visit = pairing.visits[0]
    donated = {d.item: d.quantity for d in visit.donations}
    leaders = {pairing.first_secretary, pairing.team_leader} - {None}
    partners = {p.partner for p in pairing.projects} - {None}
    notes = next(r for r in ledger.rectifications if r.id == "dc-2020-02")
    wan_zi = re.search(r"学习笔记每半年不少于(\d+)万字", "；".join(notes.measures))
    assert wan_zi is not None
    return {
        "上半年中心组共学习X次": str(
            _count(studies, lambda s: s.audience is StudyAudience.CENTRE_GROUP)
        ),
        "全体党员共学习X次": str(
            _count(studies, lambda s: s.audience is StudyAudience.ALL_MEMBERS)
        ),
        "全体职工共学习X次": str(_count(studies, lambda s: s.audience is StudyAudience.ALL_STAFF)),
        "《XXX》《XXX》《XXX》等专题教育片": str(
            _count(studies, lambda s: s.form is StudyForm.FILM)
        ),
        "党员干部学习笔记均在X万字以上": wan_zi[1],
        "X名党员踊跃报名": str(len(task_force.participants)),
        "召开党员大会X次": str(_count(meetings, lambda m: m.kind is MeetingKind.GENERAL_MEETING)),
        "支委员会X次": str(_count(meetings, lambda m: m.kind is MeetingKind.COMMITTEE_MEETING)),
        "讲党课X次": str(_count(meetings, lambda m: m.kind is MeetingKind.PARTY_LECTURE)),
        "落实主题党日活动X次": str(_count(meetings, lambda m: m.kind is MeetingKind.THEME_DAY)),
        "推荐X名党性强、业务能力强的党员干部": str(len(leaders)),
        "X名同志为队员": str(len(pairing.team_members)),
        "帮助有能力的X企业": str(len(partners)),
        "共申报扶贫项目X个": str(len(pairing.projects)),
        "争取到了X扶贫资X万元": f"{funds / 10000:g}",
        "X月X日": f"{visit.date.month}月{visit.date.day}日",
        "X县X镇X村": pairing.place,
        "面粉X袋": f"{donated['面粉']:g}",
        "棉衣X件": f"{donated['棉衣']:g}",
    }


_ROW = re.compile(r"^\| (?P<phrase>[^|]+?) \| (?P<figure>[^|]+?) \|", re.MULTILINE)


def _doc_table() -> dict[str, str]:
    """The table "The X's at a glance" of docs/examples.md: phrase → figure."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("The X's at a glance\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for match in _ROW.finditer(section):
        phrase = match["phrase"].strip("…“” ")
        if phrase in {"The seed says", "---"} or set(phrase) <= {"-", " "}:
            continue
        rows[phrase] = match["figure"].strip()
    return rows


def test_the_doc_table_quotes_every_figure(ledger: Ledger) -> None:
    assert _doc_table() == _figures(ledger)


def test_record_counts_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "What the file holds"
    counts = {kind.field: len(records) for kind, records in ledger.records()}
    assert counts == {
        "branches": 4,
        "groups": 6,
        "members": 39,
        "meetings": 49,
        "study_sessions": 37,
        "elections": 0,
        "talks": 27,
        "trainings": 11,
        "dues_payments": 207,
        "pairings": 1,
        "rectifications": 7,
        "responsibility_letters": 4,
        "appraisals": 3,
        "service_activities": 1,
    }
    assert len(ledger) == 396


def test_people_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "The organisation"
    statuses = {s: _count(ledger.members, lambda m, s=s: m.status is s) for s in MemberStatus}
    assert statuses[MemberStatus.FULL] == 33
    assert statuses[MemberStatus.PROBATIONARY] == 2
    assert statuses[MemberStatus.ACTIVIST] == 2
    assert statuses[MemberStatus.APPLICANT] == 1
    assert statuses[MemberStatus.TRANSFERRED_OUT] == 1
    assert {b: len(ledger.members_of(b)) for b in ("jg1", "jg2", "zx")} == {
        "jg1": 14,
        "jg2": 13,
        "zx": 12,
    }
    for branch in ("jg1", "jg2", "zx"):
        roles = [seat.role.code for seat in ledger.branch(branch).committee]
        assert roles == ["secretary", "organisation", "publicity"]


def test_february_gaps_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "Study": February had 1 centre-group session, 1 online members' session
    # and 2 online staff sessions; "Meetings": two branches held no February themed day.
    feb = [s for s in ledger.study_sessions if s.date.month == 2]
    assert sorted((s.audience.code, s.form.code) for s in feb) == [
        ("all_members", "online"),
        ("all_staff", "online"),
        ("all_staff", "online"),
        ("centre_group", "concentrated"),
    ]
    theme_days = {
        m.branch for m in ledger.meetings if m.kind is MeetingKind.THEME_DAY and m.date.month == 2
    }
    assert theme_days == {"jg1"}
    online = [s for s in ledger.study_sessions if s.form is StudyForm.ONLINE]
    assert sorted(s.platform or "" for s in online) == ["学习强国"] * 4 + ["甘肃党建"]


def test_three_actions_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "三个一": one themed day per branch, in April
    renewals = [m for m in ledger.meetings if "重温入党志愿书" in m.actions]
    assert [(m.branch, m.date.month) for m in renewals] == [("jg1", 4), ("jg2", 4), ("zx", 4)]
    assert {m.actions for m in renewals} == {("重温入党志愿书", "思想交流", "集体宣誓")}


def test_talks_and_org_life_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "Talks and the organisational-life meeting"
    org_life = [m for m in ledger.meetings if m.kind is MeetingKind.ORG_LIFE_MEETING]
    assert len(org_life) == 3
    assert {m.topic for m in org_life} == {"坚定理想信念、严守党纪党规"}
    assert len(ledger.talks) == 27
    assert all(t.date < min(m.date for m in org_life) for t in ledger.talks)


def test_appraisals_and_letters_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "Responsibility"
    scores = {a.member: a.score for a in ledger.appraisals}
    assert all(a.kind is AppraisalKind.SECRETARY_REPORT for a in ledger.appraisals)
    assert scores == {"m103": Decimal("95.2"), "m202": Decimal("93.6"), "m301": Decimal("90.4")}
    letters = ledger.responsibility_letters
    assert len(letters) == 4
    assert {(x.year, x.signed) for x in letters} == {(2020, dt.date(2020, 5, 12))}


def test_rectification_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "Rectification"
    items = ledger.rectifications
    by_status = {s: [r.id for r in items if r.status is s] for s in RectificationStatus}
    assert by_status[RectificationStatus.CLOSED] == ["xc-2019-01", "dc-2019-01", "kh-2020-01"]
    assert by_status[RectificationStatus.ONGOING] == ["xc-2019-02"]
    assert by_status[RectificationStatus.OPEN] == ["kh-2020-02", "jjz-2020-01", "dc-2020-02"]
    overdue = [
        r.id
        for r in items
        if r.status is RectificationStatus.OPEN
        and r.deadline is not None
        and r.deadline < END_OF_HALF
    ]
    assert overdue == ["kh-2020-02"]
    assert [r.id for r in items if r.follow_ups] == ["xc-2019-01"]
    for r in items:
        if r.status is RectificationStatus.CLOSED:
            assert r.closed is not None and r.evidence


def _tier(base: Decimal, retired: bool) -> Decimal:
    """The 2008 dues rate for a monthly base (rules dues.salaried and dues.retired)."""
    if retired:
        return Decimal("0.005") if base <= 5000 else Decimal("0.01")
    for bound, rate in ((3000, "0.005"), (5000, "0.01"), (10000, "0.015")):
        if base <= bound:
            return Decimal(rate)
    return Decimal("0.02")


def test_dues_quoted_in_the_doc(ledger: Ledger) -> None:
    # docs/examples.md, "Dues": 207 payments, 15433.40 元, every amount on its tier except the
    # six underpayments of m211; one gap (m206, June).
    payments = ledger.dues_payments
    assert len(payments) == 207
    assert sum(d.amount for d in payments) == Decimal("15433.40")
    off_tier = []
    for d in payments:
        assert d.base is not None
        member = ledger.member(d.member)
        retired = member.dues_category is not None and member.dues_category.code == "retired"
        if d.amount != (d.base * _tier(d.base, retired)).quantize(Decimal("0.01")):
            off_tier.append((d.member, d.amount, d.base))
    assert off_tier == [("m211", Decimal("51.50"), Decimal("5150"))] * 6
    paid = {(d.member, d.month) for d in payments}
    gaps = [
        (m.id, month)
        for m in ledger.members
        if m.status.is_member or m.status is MemberStatus.TRANSFERRED_OUT
        for month in (Month(2020, k) for k in range(1, 7))
        if m.milestones.admitted is not None
        and m.milestones.admitted <= month.last_day
        and (m.left is None or m.left >= month.first_day)
        and (m.id, month) not in paid
    ]
    assert gaps == [("m206", Month(2020, 6))]
