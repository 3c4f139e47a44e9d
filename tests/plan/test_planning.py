"""The annual plan (dangjian.planning): days on working days, fixed days moved as the rules
allow, stable calendar files read back by a parser other than the writer, and the property that
a ledger holding exactly the plan's meetings passes every frequency rule of the year."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dangjian
from dangjian import Meeting, MeetingKind, Status, StudyAudience, StudySession
from dangjian.calendar import WorkingCalendar
from dangjian.cli import main
from dangjian.planning import AnnualPlan, plan
from dangjian.rules.loader import load_rules
from dangjian.testing.strategies import ledgers
from tests.builders import examples
from tests.builders.example import PLAN, example_ledger
from tests.builders.rules import D, branch, committee, full_members, group, ledger

CAL = WorkingCalendar()


def _branch_ledger(theme_day: int | None = None) -> dangjian.Ledger:
    people = full_members(7, "b1")
    return ledger(
        branches=[
            branch(
                "b1",
                committee=committee([m.id for m in people[:3]]),
                theme_day=theme_day,
            )
        ],
        members=people,
        groups=[group("g1"), group("g2")],
    )


def _days(p: AnnualPlan, kind: MeetingKind) -> list[dt.date]:
    return [e.date for e in p.events if e.kind is kind]


def test_every_planned_day_is_a_working_day_swapped_days_included() -> None:
    p = plan(_branch_ledger(theme_day=1), 2020)
    assert p.events
    assert all(CAL.is_working_day(e.date) for e in p.events)


def test_a_fixed_day_on_a_sunday_worked_for_the_spring_festival_is_kept() -> None:
    # 2020-01-19, a Sunday, was a working day (调休) before the Spring Festival
    p = plan(_branch_ledger(theme_day=19), 2020)
    january = [e for e in p.events if e.kind is MeetingKind.THEME_DAY and e.date.month == 1]
    assert [(e.date, e.moved_from, e.note) for e in january] == [(D(2020, 1, 19), None, None)]
    assert D(2020, 1, 19).isoweekday() == 7
    # and 2020-02-19, a Wednesday, is not moved either; 2020-04-19, a Sunday, is
    april = [e for e in p.events if e.kind is MeetingKind.THEME_DAY and e.date.month == 4]
    assert [(e.date, e.moved_from) for e in april] == [(D(2020, 4, 20), D(2020, 4, 19))]


def test_monthly_and_quarterly_kinds_are_planned_as_the_rules_ask() -> None:
    p = plan(_branch_ledger(), 2021)
    committee_months = {d.month for d in _days(p, MeetingKind.COMMITTEE_MEETING)}
    assert committee_months == set(range(1, 13))
    assert len(_days(p, MeetingKind.COMMITTEE_MEETING)) == 12
    quarters = [(d.month - 1) // 3 for d in _days(p, MeetingKind.GENERAL_MEETING)]
    assert sorted(quarters) == [0, 1, 2, 3]
    # each party group its own monthly meeting
    groups = [e.group for e in p.events if e.kind is MeetingKind.GROUP_MEETING]
    assert groups.count("g1") == 12 and groups.count("g2") == 12
    # 组织生活会 in the fourth quarter (支部工作条例 第十七条)
    assert [d.month >= 10 for d in _days(p, MeetingKind.ORG_LIFE_MEETING)] == [True]


def test_a_fixed_theme_day_on_a_holiday_moves_to_the_nearest_working_day() -> None:
    # 2020-10-01 … 10-08 were the National Day holidays; 10-09 a working day, 09-30 too
    p = plan(_branch_ledger(theme_day=3), 2020)
    october = [e for e in p.events if e.kind is MeetingKind.THEME_DAY and e.date.month == 10]
    assert len(october) == 1
    (e,) = october
    assert e.moved_from == D(2020, 10, 3)
    assert e.date == D(2020, 10, 9)  # the nearest working day in the month, 6 days on
    assert e.note is not None and "local.theme_day_shift" in e.note.render()
    # a fixed day on a working day is not moved
    june = [e for e in p.events if e.kind is MeetingKind.THEME_DAY and e.date.month == 6]
    assert [(x.date, x.moved_from) for x in june] == [(D(2020, 6, 3), None)]


def _shift_limit(tmp_path: Path, days: int) -> Path:
    rules = tmp_path / f"plan{days}.toml"
    rules.write_text(
        'profile = "t"\ntitle = "t"\n[[override]]\nrule = "local.theme_day_shift"\n'
        f"params = {{ max_days = {days} }}\n"
        'citations = [{ document = "本地办法", verified = false }]\n',
        encoding="utf-8",
    )
    return rules


@pytest.mark.parametrize(("limit", "beyond"), [(6, False), (5, True)])
def test_a_move_is_said_within_or_beyond_the_allowed_days(
    tmp_path: Path, limit: int, beyond: bool
) -> None:
    # 2020-10-03 (National Day holidays) to 2020-10-09: 6 days
    p = plan(_branch_ledger(theme_day=3), 2020, rules=[_shift_limit(tmp_path, limit)])
    (e,) = [e for e in p.events if e.kind is MeetingKind.THEME_DAY and e.date.month == 10]
    assert (e.date, e.moved_from) == (D(2020, 10, 9), D(2020, 10, 3))
    assert e.note is not None
    assert ("允许的" in e.note.render()) is beyond
    assert "节假日" in e.note.render() and f"{limit}天" in e.note.render()


def test_json_lists_every_event_with_its_rules_and_uid() -> None:
    p = plan(_branch_ledger(theme_day=3), 2020)
    data = json.loads(p.render("json"))
    assert data["year"] == 2020 and len(data["events"]) == len(p.events)
    first = data["events"][0]
    assert first["date"] == p.events[0].date.isoformat()
    assert first["rules"] and first["uid"].endswith("@dangjian")
    moved = [x for x in data["events"] if x["moved_from"] == "2020-10-03"]
    assert [x["date"] for x in moved] == ["2020-10-09"]
    assert p.render("text").splitlines()[0] == f"2020年计划：{len(p.events)}项活动"


def test_a_branch_without_a_committee_has_no_committee_meetings() -> None:
    people = full_members(5, "b1")
    small = ledger(
        branches=[branch("b1", committee=committee([people[0].id]))],
        members=people,
    )
    assert _days(plan(small, 2021), MeetingKind.COMMITTEE_MEETING) == []


# -- the calendar file -----------------------------------------------------------------------


def test_the_ics_parses_with_another_parser_and_has_no_event_off_work() -> None:
    ics = pytest.importorskip("ics")
    p = plan(_branch_ledger(theme_day=1), 2020)
    data = p.to_bytes("ics").decode("utf-8")
    cal = ics.Calendar(data)
    events = sorted(cal.events, key=lambda e: (e.begin, e.uid))
    assert len(events) == len(p.events)
    for e in events:
        local = e.begin.to("Asia/Shanghai")
        assert (local.hour, local.minute) == (9, 0)
        assert (e.end - e.begin) == dt.timedelta(minutes=90)
        assert CAL.is_working_day(local.date()), e.name
        assert e.alarms and e.alarms[0].trigger == dt.timedelta(days=-1)
    names = {e.name for e in events}
    assert {"b1党组织 支委会", "b1党组织 g1党小组 党小组会", "b1党组织 主题党日"} <= names
    assert all("branch." in (e.description or "") for e in events)
    assert "BEGIN:VTIMEZONE" in data and "TZID:Asia/Shanghai" in data


def test_the_ics_is_the_same_file_twice_with_stable_uids() -> None:
    first = plan(_branch_ledger(theme_day=10), 2021).to_bytes("ics")
    again = plan(_branch_ledger(theme_day=10), 2021).to_bytes("ics")
    assert first == again
    uids = [line for line in first.decode().splitlines() if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) > 0


def test_the_xlsx_has_chinese_headers_a_row_an_event_frozen_and_filtered() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    p = plan(_branch_ledger(), 2021)
    wb = openpyxl.load_workbook(io.BytesIO(p.to_bytes("xlsx")))
    ws = wb.active
    assert [c.value for c in ws[1]][:5] == ["日期", "星期", "党组织", "党小组", "活动"]
    assert ws.max_row == len(p.events) + 1
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
    assert ws.cell(2, 1).value.date() == p.events[0].date


def test_the_command_writes_each_format(tmp_path: Path) -> None:
    source = tmp_path / "l.json"
    dangjian.dump(_branch_ledger(theme_day=1), source)
    for fmt in ("ics", "xlsx", "json", "text"):
        out = tmp_path / f"plan.{fmt}"
        code = main(["plan", str(source), "--year", "2021", "--format", fmt, "--output", str(out)])
        assert code == 0 and out.stat().st_size > 0
    # an existing file is not overwritten without --force
    assert main(["plan", str(source), "--year", "2021", "--output", str(out)]) != 0
    assert main(["plan", str(source), "--year", "2021", "--format", "ics"]) != 0


# -- the property ----------------------------------------------------------------------------


def _held(p: AnnualPlan, base: dangjian.Ledger) -> dangjian.Ledger:
    """``base`` with exactly the plan's meetings and study sessions (at the time planned), the
    lecture given by the seat it names."""
    branches = {b.id: b for b in base.branches}
    meetings = []
    sessions = []
    for i, e in enumerate(p.events):
        if isinstance(e.kind, StudyAudience):
            sessions.append(
                StudySession(
                    id=f"plan{i}",
                    audience=e.kind,
                    branch=e.branch,
                    group=e.group,
                    date=e.date,
                    start=e.start,
                )
            )
            continue
        lecturer = None
        if e.lecturer_role is not None:
            b = branches[e.branch]
            lecturer = next(
                s.member
                for s in b.committee
                if s.role is e.lecturer_role
                and (s.start is None or s.start <= e.date)
                and (s.end is None or e.date <= s.end)
            )
        meetings.append(
            Meeting(
                id=f"plan{i}",
                kind=e.kind,
                branch=e.branch,
                group=e.group,
                date=e.date,
                lecturer=lecturer,
                rescheduled_from=e.moved_from,
            )
        )
    return attrs.evolve(base, meetings=tuple(meetings), study_sessions=tuple(sessions))


def _holds(
    base: dangjian.Ledger, year: int, profile: str, rules: Sequence[Path] = ()
) -> AnnualPlan:
    """Check that a ledger holding exactly the plan's meetings passes its frequency rules."""
    p = plan(base, year, profile=profile, rules=rules)
    held = _held(p, base)
    frequency = {r.id for r in load_rules(profile, list(rules)) if r.kind == "frequency"}
    planned = {rule for e in p.events for rule in e.rules}
    report = dangjian.check(
        held,
        str(year),
        as_of=D(year + 1, 1, 31),
        profile=profile,
        rules=rules,
        only=sorted(frequency),
    )
    by_id = {r.id: r for r in load_rules(profile, list(rules))}
    for f in report.findings:
        if f.rule not in frequency:
            continue
        if f.status in (Status.FAILED, Status.PENDING):
            # only what the plan cannot place: a lecture whose seat is empty all the
            # sub-period — and then nothing is planned for it there
            period = f.period
            assert period is not None, f
            params = by_id[f.rule].params_on(period.start)
            assert params.lecturer_role is not None, f
            assert not [
                e
                for e in p.events
                if f.rule in e.rules
                and f.subject.id in (e.group, e.branch)
                and period.start <= e.date <= period.end
            ], f
        else:
            assert f.status in (Status.PASSED, Status.NOT_APPLICABLE, Status.UNKNOWN), f
    assert planned <= frequency
    for e in p.events:
        assert CAL.is_working_day(e.date)
    return p


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    base=ledgers(max_records=1),
    year=st.integers(2019, 2025),
    profile=st.sampled_from(["national", "organ"]),
)
def test_a_ledger_holding_exactly_the_plan_passes_every_frequency_rule(
    base: dangjian.Ledger, year: int, profile: str
) -> None:
    _holds(base, year, profile)


@pytest.mark.parametrize("year", [2020, 2021])
def test_the_bundled_example_holding_its_plan_passes_every_frequency_rule(year: int) -> None:
    p = _holds(example_ledger(), year, "organ", [PLAN])
    assert len(p) > 150 and any(e.moved_from is not None for e in p.events)


def test_a_year_the_working_calendar_does_not_cover_is_an_error(tmp_path: Path) -> None:
    from dangjian.calendar import CalendarError

    with pytest.raises(CalendarError):
        plan(_branch_ledger(), 2040)
    source = tmp_path / "l.json"
    dangjian.dump(_branch_ledger(), source)
    assert main(["plan", str(source), "--year", "2040"]) == 2


def test_without_icalendar_the_plan_works_and_the_ics_names_the_extra() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['icalendar'] = None\n"
        "import dangjian\n"
        "from tests.plan.test_planning import _branch_ledger\n"
        "p = dangjian.plan(_branch_ledger(), 2021)\n"
        "assert p.render('text')\n"
        "try:\n"
        "    p.to_bytes('ics')\n"
        "except dangjian.DangjianError as e:\n"
        "    print(e.render())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert 'pip install "dangjian[calendar]"' in done.stdout


# -- study sessions --------------------------------------------------------------------------


def _study_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "study.toml"
    rules.write_text(
        'profile = "study"\ntitle = "学习计划"\n\n'
        '[[rule]]\nid = "local.friday_study"\nkind = "frequency"\nseverity = "warning"\n'
        'confidence = "local"\nforce = "一般"\ntitle = "每周五下午集中学习"\n'
        'title_en = "Study every Friday afternoon"\n'
        'params = { record = "study", audiences = ["all_staff"], per = "week", at_least = 1, '
        'weekday = 5, half_day = "afternoon" }\n'
        'citations = [{ document = "本单位学习计划", verified = false }]\n\n'
        '[[rule]]\nid = "local.group_study"\nkind = "frequency"\nseverity = "warning"\n'
        'confidence = "local"\nforce = "一般"\ntitle = "党小组每月学习两次"\n'
        'title_en = "Each party group studies twice a month"\n'
        'params = { record = "study", audiences = ["party_group"], subject = "group", '
        'per = "month", at_least = 2 }\n'
        'citations = [{ document = "本单位学习计划", verified = false }]\n',
        encoding="utf-8",
    )
    return rules


def test_study_sessions_are_planned_on_their_weekday_and_half_day(tmp_path: Path) -> None:
    rules = _study_rules(tmp_path)
    p = _holds(_branch_ledger(), 2020, "national", [rules])
    friday = [e for e in p.events if "local.friday_study" in e.rules]
    assert friday and all(e.date.isoweekday() == 5 and e.start == dt.time(14, 30) for e in friday)
    assert {e.summary() for e in friday} == {"b1党组织 全体干部职工学习"}
    # planned on its weekday, not moved there from a usual day: nothing to explain
    assert all(e.note is None for e in friday)
    # a Friday off (the National Day holiday, 2 Oct 2020) has none: that week is not judged
    assert D(2020, 10, 2) not in {e.date for e in friday}
    groups = [e for e in p.events if "local.group_study" in e.rules]
    assert len(groups) == 2 * 12 * 2  # two groups, twice a month
    assert all(e.kind is StudyAudience.PARTY_GROUP and e.group for e in groups)
    data = json.loads(p.render("json"))
    assert {(e["record"], e["start"]) for e in data["events"] if e["kind"] == "all_staff"} == {
        ("study", "14:30")
    }


def test_dropping_a_planned_session_fails_its_rule(tmp_path: Path) -> None:
    rules = _study_rules(tmp_path)
    p = plan(_branch_ledger(), 2020, rules=[rules])
    held = _held(p, _branch_ledger())
    last = max(
        (s for s in held.study_sessions if s.audience is StudyAudience.ALL_STAFF),
        key=lambda s: s.date,
    )
    fewer = attrs.evolve(
        held, study_sessions=tuple(s for s in held.study_sessions if s is not last)
    )
    report = dangjian.check(
        fewer, "2020", as_of=D(2021, 1, 31), rules=[rules], only=["local.friday_study"]
    )
    failed = [f for f in report.findings if f.status is Status.FAILED]
    assert [f.period and f.period.start <= last.date <= f.period.end for f in failed] == [True]


def test_the_ics_starts_an_afternoon_session_at_half_past_two(tmp_path: Path) -> None:
    ics = pytest.importorskip("ics")
    p = plan(_branch_ledger(), 2020, rules=[_study_rules(tmp_path)])
    cal = ics.Calendar(p.to_bytes("ics").decode("utf-8"))
    starts = {
        (e.begin.to("Asia/Shanghai").hour, e.begin.to("Asia/Shanghai").minute)
        for e in cal.events
        if "全体干部职工学习" in e.name
    }
    assert starts == {(14, 30)}
