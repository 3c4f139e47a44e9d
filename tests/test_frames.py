"""Reports and ledgers as pandas data frames: one row per finding or record, exact values."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import dangjian
from dangjian import (
    RECORD_KINDS,
    AbsenceReason,
    CommitteeRole,
    DangjianError,
    Ledger,
    MemberStatus,
    Report,
    Severity,
    Status,
)
from dangjian._frames import FINDING_COLUMNS
from dangjian._optional import require
from dangjian.testing import strategies
from tests.builders import examples
from tests.builders.sample import EXAMPLE_RESIDENT_ID

pd = pytest.importorskip("pandas")

RESIDENT_ID = EXAMPLE_RESIDENT_ID


# -- Report.to_frame -------------------------------------------------------------------------


def test_report_frame_has_one_row_per_finding_in_order(example: tuple[Ledger, Report]) -> None:
    _, report = example
    frame = report.to_frame()
    assert frame.shape == (len(report), len(FINDING_COLUMNS))
    assert tuple(frame.columns) == FINDING_COLUMNS
    assert list(frame.index) == list(range(len(report)))
    for row, f in zip(frame.itertuples(index=False), report.findings, strict=True):
        assert row.rule == f.rule
        assert row.title == report.title(f.rule)
        assert row.status == f.status.code
        assert row.severity == f.severity.code
        assert (row.subject_kind, row.subject_id, row.subject_name) == (
            f.subject.kind,
            f.subject.id,
            f.subject.name,
        )
        if f.period is None:
            assert pd.isna(row.period)
        else:
            assert row.period == str(f.period)
        assert row.message == f.message
        assert row.evidence == list(f.evidence)
        assert row.citations == [c.render() for c in f.citations]


def test_report_frame_counts_match_the_report(example: tuple[Ledger, Report]) -> None:
    _, report = example
    frame = report.to_frame()
    counts = frame["status"].value_counts().to_dict()
    assert {s.code: n for s, n in report.counts().items()} == counts
    failed = frame[frame["status"] == "failed"]
    assert failed["rule"].value_counts().to_dict() == {
        rule: len(group) for rule, group in report.filter(status="failed").group_by("rule").items()
    }


def test_report_frame_dtypes(example: tuple[Ledger, Report]) -> None:
    _, report = example
    frame = report.to_frame()
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert list(frame["status"].cat.categories) == [s.code for s in Status]
    assert not frame["status"].cat.ordered
    assert frame["severity"].cat.ordered
    assert list(frame["severity"].cat.categories) == [s.code for s in Severity]
    assert (frame["severity"] >= "warning").sum() == sum(
        f.severity.rank >= Severity.WARNING.rank for f in report
    )
    assert str(frame["day"].dtype) == "datetime64[s]"
    with_day = [f for f in report if f.day is not None]
    assert frame["day"].notna().sum() == len(with_day)
    assert with_day, "the example has findings with a day"


def test_report_frame_waivers_and_english(example: tuple[Ledger, Report]) -> None:
    _, report = example
    frame = report.to_frame(lang="en")
    waived = frame[frame["status"] == "waived"]
    assert len(waived) == report.counts()[Status.WAIVED]
    assert set(waived["waiver_reason"]) == {f.waiver.reason for f in report if f.waiver}
    assert frame["waiver_reason"].isna().sum() == len(report) - len(waived)
    first = report.findings[0]
    assert frame["message"][0] == first.message_en
    assert frame["title"][0] == report.title(first.rule, "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_frame_shows_the_gap_and_its_remedy(
    example: tuple[Ledger, Report], lang: str
) -> None:
    _, report = example
    frame = report.to_frame(lang=lang)
    assert list(frame["gap"].cat.categories) == [g.code for g in dangjian.Gap]
    for i, f in enumerate(report.findings):
        if f.status is Status.UNKNOWN:
            assert f.gap is not None
            assert frame["gap"][i] == f.gap.code
            assert frame["remedy"][i] == f.gap.remedy(lang)  # type: ignore[arg-type]
        else:
            assert pd_isna(frame["gap"][i]) and pd_isna(frame["remedy"][i])
    assert frame["gap"].notna().sum() == len(report.unknown) > 0


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_report_frame_of_an_empty_report(example: tuple[Ledger, Report]) -> None:
    _, report = example
    frame = report.filter(rule="no.such.rule").to_frame()
    assert frame.shape == (0, len(FINDING_COLUMNS))
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)


def test_report_frame_columns_are_documented() -> None:
    doc = Report.to_frame.__doc__ or ""
    for column in FINDING_COLUMNS:
        assert f"``{column}``" in doc


# -- Ledger.to_frames ------------------------------------------------------------------------


def test_ledger_frames_one_per_kind_one_row_per_record(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger()
    frames = ledger.to_frames()
    assert list(frames) == [k.field for k in RECORD_KINDS]
    for kind, records in ledger.records():
        frame = frames[kind.field]
        assert len(frame) == len(records)
        assert list(frame["id"]) == [r.id for r in records]


def test_ledger_frames_keep_money_and_hours_exact(make_ledger: Callable[..., Ledger]) -> None:
    frames = make_ledger().to_frames()
    dues = frames["dues_payments"]
    assert dues["amount"].dtype == object
    amount = dues["amount"][0]
    assert isinstance(amount, Decimal) and str(amount) == "45.00"
    assert dues["base"][0] == Decimal("4500.00")
    assert dues["month"][0] == pd.Period("2020-05", freq="M")
    assert str(dues["month"].dtype) == "period[M]"
    hours = frames["trainings"]["hours"][0]
    assert isinstance(hours, Decimal) and hours == Decimal("8.5")
    assert frames["appraisals"]["score"][0] == Decimal("95.5")
    funds = frames["pairings"]["projects"][0][0]["funds"]
    assert isinstance(funds, Decimal) and funds == Decimal("200000")


def test_ledger_frames_flatten_milestones_and_keep_lists(
    make_ledger: Callable[..., Ledger],
) -> None:
    members = make_ledger().to_frames()["members"].set_index("id")
    for step in ("applied", "first_talk", "activist", "candidate", "admitted", "converted"):
        assert str(members[f"milestones.{step}"].dtype) == "datetime64[s]"
    assert "milestones" not in members.columns
    assert members.loc["m3", "milestones.admitted"] == pd.Timestamp(2019, 12, 1)
    assert pd.isna(members.loc["m3", "milestones.converted"])
    assert members.loc["m1", "milestones.converted"] == pd.Timestamp(1973, 1, 1)
    assert members.loc["m3", "sponsors"] == ["m1", "m2"]
    assert members.loc["m1", "sponsors"] == []
    assert str(members["probation_extension.months"].dtype) == "Int64"
    assert str(members["birth_date"].dtype) == "datetime64[s]"
    assert members["status"].dtype == pd.CategoricalDtype([s.code for s in MemberStatus])
    assert members.loc["m3", "status"] == MemberStatus.PROBATIONARY.code
    assert members["leading_cadre"].dtype == bool


def test_ledger_frames_nested_lists_are_lists_of_dicts(make_ledger: Callable[..., Ledger]) -> None:
    frames = make_ledger().to_frames()
    meeting = frames["meetings"].iloc[0]
    assert meeting["absences"] == [
        {"member": "m3", "reason": AbsenceReason.LEAVE.code, "note": None}
    ]
    assert meeting["resolutions"][0]["votes_for"] == 2
    assert meeting["start"] == dt.time(9, 30)
    seats = frames["branches"].set_index("id").loc["b1", "committee"]
    assert seats == [
        {
            "role": CommitteeRole.SECRETARY.code,
            "member": "m1",
            "start": dt.date(2018, 6, 1),
            "end": None,
        }
    ]
    assert str(frames["branches"]["term_years"].dtype) == "Int64"


def test_ledger_frames_mask_resident_ids_unless_asked(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger()
    members = ledger.to_frames()["members"].set_index("id")
    assert members.loc["m1", "resident_id"] == "110***********002X"
    assert pd.isna(members.loc["m2", "resident_id"])
    for frame in ledger.to_frames().values():
        assert RESIDENT_ID not in frame.to_csv()
    revealed = ledger.to_frames(include_pii=True)["members"].set_index("id")
    assert revealed.loc["m1", "resident_id"] == RESIDENT_ID


def test_empty_ledger_gives_empty_frames_with_every_column(
    make_ledger: Callable[..., Ledger],
) -> None:
    full = make_ledger().to_frames()
    empty = Ledger(name="空台账").to_frames()
    for field, frame in empty.items():
        assert len(frame) == 0
        assert list(frame.columns) == list(full[field].columns)
        for column, dtype in full[field].dtypes.items():
            if not pd.api.types.is_string_dtype(dtype):
                # typed columns keep their dtype with no rows (text is pandas' choice)
                assert frame[column].dtype == dtype, (field, column)
    assert str(empty["members"]["milestones.admitted"].dtype) == "datetime64[s]"


def test_example_ledger_frames_sum_exactly(example: tuple[Ledger, Report]) -> None:
    ledger, _ = example
    frames = ledger.to_frames()
    assert {f: len(df) for f, df in frames.items()} == {
        k.field: len(r) for k, r in ledger.records()
    }
    dues = frames["dues_payments"]
    assert dues["amount"].sum() == sum((p.amount for p in ledger.dues_payments), Decimal(0))
    by_month = dues.groupby("month")["amount"].sum()
    assert by_month[pd.Period("2020-01", freq="M")] == sum(
        (p.amount for p in ledger.dues_payments if str(p.month) == "2020-01"), Decimal(0)
    )


# -- without pandas --------------------------------------------------------------------------


def test_missing_pandas_gives_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
    make_ledger: Callable[..., Ledger],
    example: tuple[Ledger, Report],
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    _, report = example
    with pytest.raises(DangjianError, match=r'pip install "dangjian\[frames\]"') as info:
        report.to_frame()
    assert "pandas" in str(info.value)
    assert isinstance(info.value.__cause__, ImportError)
    with pytest.raises(DangjianError, match=r'pip install "dangjian\[frames\]"'):
        make_ledger().to_frames()


def test_require_names_the_module_and_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    assert require("decimal", "frames") is sys.modules["decimal"]
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(DangjianError) as info:
        require("openpyxl", "excel")
    message = str(info.value)
    assert "openpyxl" in message and 'pip install "dangjian[excel]"' in message
    assert "请安装" in message and "this feature needs" in message


def test_dangjian_imports_without_the_optional_libraries() -> None:
    code = (
        "import sys\n"
        "for name in ('pandas', 'matplotlib', 'openpyxl', 'docx'):\n"
        "    sys.modules[name] = None\n"
        "import dangjian, dangjian.charts, dangjian._frames, dangjian._html\n"
        "ledger = dangjian.Ledger(name='x')\n"
        "assert 'x' in ledger._repr_html_()\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_dates_of_any_year_fit(make_ledger: Callable[..., Ledger]) -> None:
    # nanoseconds reach back only to 1677; the frames keep seconds
    sample = make_ledger()
    old = attrs.evolve(sample.meetings[0], date=dt.date(1, 1, 1))
    meetings = Ledger(name="x", meetings=(old,)).to_frames()["meetings"]
    assert meetings["date"][0] == pd.Timestamp(1, 1, 1)


# -- names beside ids, one missing value, labels --------------------------------------------


def _named_columns(cls: type) -> list[tuple[str, str, str]]:
    """The fields of ``cls`` that hold one id of a record with a name, with its collection and
    the column of its names."""
    own = {f.name for f in dangjian.model.fields(cls)}
    singular = {"branches": "branch", "groups": "group", "members": "member"}
    return [
        (
            f.name,
            f.target,
            f"{f.name}_name"
            if f"{f.name}_name" not in own
            else f"{f.name}_{singular[f.target]}_name",
        )
        for f in dangjian.model.fields(cls)
        if f.target in singular and not f.many
    ]


def _assert_names_and_missing(ledger: Ledger) -> None:
    names = {
        target: {r.id: r.name for r in getattr(ledger, target)}
        for target in ("branches", "groups", "members")
    }
    frames = ledger.to_frames()
    for kind, records in ledger.records():
        frame = frames[kind.field]
        columns = list(frame.columns)
        for field, target, name_column in _named_columns(kind.cls):
            # the name comes right after the id
            assert columns[columns.index(field) + 1] == name_column, (kind.field, field)
            for record, shown in zip(records, frame[name_column], strict=True):
                id_ = getattr(record, field)
                if id_ is None or id_ not in names[target]:
                    assert shown is pd.NA, (kind.field, field, id_)
                else:
                    assert shown == names[target][id_]
        # one missing value: never None in a column, pandas' NA where the dtype holds it
        for column in frame.columns:
            values = frame[column].tolist()
            assert not any(v is None for v in values), (kind.field, column)
            if frame[column].dtype == object:
                assert not any(isinstance(v, float) for v in values), (kind.field, column)


def test_ledger_frames_name_each_organisation_group_and_member(
    example: tuple[Ledger, Report],
) -> None:
    ledger, _ = example
    _assert_names_and_missing(ledger)
    meetings = ledger.to_frames()["meetings"]
    assert {"branch_name", "group_name"} <= set(meetings.columns)
    members = ledger.to_frames()["members"]
    assert "branch_name" in members.columns
    groups = ledger.to_frames()["groups"].set_index("id")
    assert groups.loc["jg1-g1", "leader_name"] == "陈晓东"
    assert groups.loc["jg1-g1", "branch_name"] == "中共市X局机关第一支部委员会"
    # a lecturer from the ledger has the name beside the id; one from outside keeps their own
    assert list(meetings.columns)[list(meetings.columns).index("lecturer") + 1] == (
        "lecturer_member_name"
    )
    lectures = meetings[meetings["lecturer"].notna()]
    assert lectures["lecturer_member_name"].notna().all()
    assert (lectures["lecturer_name"].isna()).all()  # the ledger's own column, kept
    # a list of ids (attendance) gets no list of names: it stays ids
    assert "attended_name" not in meetings.columns and "attended_names" not in meetings.columns


def test_a_name_of_an_id_that_names_nothing_is_missing(
    make_ledger: Callable[..., Ledger],
) -> None:
    sample = make_ledger()
    stray = attrs.evolve(sample.meetings[0], branch="nowhere")
    ledger = Ledger(name="x", branches=sample.branches, meetings=(stray,))
    meetings = ledger.to_frames()["meetings"]
    assert meetings.loc[0, "branch_name"] is pd.NA
    assert meetings["branch_name"].isna().all()


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(strategies.ledgers())
def test_generated_ledgers_have_names_beside_ids_and_one_missing_value(ledger: Ledger) -> None:
    _assert_names_and_missing(ledger)


def test_report_frame_names_the_branch_and_has_one_missing_value(
    example: tuple[Ledger, Report],
) -> None:
    ledger, report = example
    frame = report.to_frame()
    columns = list(frame.columns)
    assert columns[columns.index("branch") + 1] == "branch_name"
    names = {b.id: b.name for b in ledger.branches}
    for f, shown in zip(report.findings, frame["branch_name"], strict=True):
        if f.subject.branch in names:
            assert shown == names[f.subject.branch]
        else:
            assert shown is pd.NA
    for column in frame.columns:
        assert not any(v is None for v in frame[column].tolist()), column
    missing = [v is pd.NA for v in frame["waiver_reason"]]
    assert sum(missing) == len(report) - len(report.filter(status="waived"))
    # a report made without names (by hand, or by the table engine) has them missing
    bare = Report(findings=report.findings[:3], period=report.period, as_of=report.as_of,
                  profile="p")  # fmt: skip
    assert bare.to_frame()["branch_name"].isna().all()


def test_frames_in_chinese_labels(example: tuple[Ledger, Report]) -> None:
    ledger, report = example
    zh = report.to_frame(labels="zh")
    assert list(zh.columns)[:4] == ["规则", "规则名称", "状态", "级别"]
    assert "所属组织（名称）" in zh.columns
    assert set(zh["状态"].cat.categories) == {s.label for s in Status}
    assert (zh["状态"] == "不符合").sum() == len(report.failed)
    en = report.to_frame(labels="en")
    assert (en["status"] == "failed").sum() == len(report.failed)  # English labels
    assert "branch (name)" in en.columns
    plain = report.to_frame()
    assert len(zh.columns) == len(plain.columns)
    groups = ledger.to_frames(labels="zh")["groups"]
    assert list(groups.columns) == [
        "编号", "党小组名称", "所属支部", "所属支部（名称）", "党小组长", "党小组长（名称）", "备注",
    ]  # fmt: skip
    members = ledger.to_frames(labels="zh")["members"]
    assert set(members["人员状态"].cat.categories) == {s.label for s in MemberStatus}
