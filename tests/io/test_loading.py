"""Loading ledgers from JSON, YAML and TOML: what is accepted, and how every problem is reported."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dangjian
from dangjian import (
    DangjianError,
    Gender,
    Ledger,
    LedgerError,
    MeetingKind,
    MemberStatus,
    OrgCategory,
    OrgLevel,
    dump,
    dumps,
    load,
    loads,
)

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

BASE: dict[str, Any] = {
    "name": "市X局机关党委",
    "branches": [
        {
            "id": "b1",
            "name": "第一党支部",
            "level": "branch",
            "category": "organ",
            "founded": "2010-01-01",
        }
    ],
    "members": [
        {"id": "m1", "name": "王芳", "gender": "female", "branch": "b1", "status": "full"},
        {"id": "m2", "name": "李强", "gender": "male", "branch": "b1", "status": "full"},
    ],
    "meetings": [
        {
            "id": "mt1",
            "kind": "theme_day",
            "branch": "b1",
            "date": "2020-05-15",
            "attended": ["m1", "m2"],
        }
    ],
    "elections": [],
    "dues_payments": [{"id": "d1", "member": "m1", "month": "2020-05", "amount": "12.50"}],
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def problems(text: str, fmt: str = "json", source: str | None = None) -> list[tuple[str, str]]:
    """The (path, code) of every problem loading ``text`` reports; it must fail."""
    with pytest.raises(LedgerError) as caught:
        loads(text, fmt, source=source)  # type: ignore[arg-type]
    assert caught.value.problems, "a LedgerError must carry its problems"
    return [(p.path, p.code) for p in caught.value.problems]


def error(text: str, fmt: str = "json", source: str | None = None) -> LedgerError:
    with pytest.raises(LedgerError) as caught:
        loads(text, fmt, source=source)  # type: ignore[arg-type]
    return caught.value


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- what loads ------------------------------------------------------------------------------

YAML_DOC = """\
name: 市X局机关党委
branches:
  - id: b1
    name: 第一党支部
    level: branch
    category: organ
    founded: 2010-01-01
members:
  - {id: m1, name: 王芳, gender: female, branch: b1, status: full}
  - {id: m2, name: 李强, gender: male, branch: b1, status: full}
meetings:
  - id: mt1
    kind: theme_day
    branch: b1
    date: 2020-05-15
    attended: [m1, m2]
elections: []
dues_payments:
  - {id: d1, member: m1, month: "2020-05", amount: "12.50"}
"""

TOML_DOC = """\
name = "市X局机关党委"
elections = []

[[branches]]
id = "b1"
name = "第一党支部"
level = "branch"
category = "organ"
founded = 2010-01-01

[[members]]
id = "m1"
name = "王芳"
gender = "female"
branch = "b1"
status = "full"

[[members]]
id = "m2"
name = "李强"
gender = "male"
branch = "b1"
status = "full"

[[meetings]]
id = "mt1"
kind = "theme_day"
branch = "b1"
date = 2020-05-15
attended = ["m1", "m2"]

[[dues_payments]]
id = "d1"
member = "m1"
month = "2020-05"
amount = "12.50"
"""


def test_the_same_ledger_in_three_formats() -> None:
    from_json = loads(as_json(BASE), "json")
    assert loads(YAML_DOC, "yaml") == from_json
    assert loads(TOML_DOC, "toml") == from_json
    assert from_json.members[1].gender is Gender.MALE
    assert from_json.meetings[0].date == dt.date(2020, 5, 15)
    assert from_json.meetings[0].attended == ("m1", "m2")
    assert from_json.dues_payments[0].amount == Decimal("12.50")
    assert str(from_json.dues_payments[0].amount) == "12.50"
    assert from_json.dues_payments[0].month.month == 5


def test_chinese_labels_are_accepted_for_enums() -> None:
    data = base()
    data["branches"][0].update(level="党支部", category="机关")
    data["members"][0].update(gender="女", status="正式党员")
    data["meetings"][0]["kind"] = "主题党日"
    ledger = loads(as_json(data), "json")
    assert ledger.branches[0].level is OrgLevel.BRANCH
    assert ledger.branches[0].category is OrgCategory.ORGAN
    assert ledger.members[0].gender is Gender.FEMALE
    assert ledger.members[0].status is MemberStatus.FULL
    assert ledger.meetings[0].kind is MeetingKind.THEME_DAY
    assert ledger == loads(as_json(BASE), "json")


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ('{"name": "空台账"}', "json"),
        ('{"name": "空台账", "branches": [], "members": []}', "json"),
        ("name: 空台账\nbranches: []\nmembers: []\n", "yaml"),
        ('name = "空台账"\nbranches = []\nmembers = []\n', "toml"),
    ],
)
def test_empty_collections(text: str, fmt: str) -> None:
    ledger = loads(text, fmt)  # type: ignore[arg-type]
    assert ledger == Ledger(name="空台账")
    assert len(ledger) == 0


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_what_is_dumped_loads_back_equal(make_ledger, fmt: str) -> None:
    ledger = make_ledger()
    assert loads(dumps(ledger, fmt), fmt) == ledger  # type: ignore[arg-type]


# -- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("amount: 12.5", "yaml", "12.5"),
        ("amount: 0.1", "yaml", "0.1"),
        ("amount: 1234.56", "yaml", "1234.56"),
        ("amount: 10", "yaml", "10"),
        ('amount: "12.50"', "yaml", "12.50"),
        ('"amount": 12.5', "json", "12.5"),
        ('"amount": 45.00', "json", "45.00"),
        ('"amount": 0.1', "json", "0.1"),
        ('"amount": 7', "json", "7"),
        ("amount = 12.5", "toml", "12.5"),
        ("amount = 0.1", "toml", "0.1"),
        ("amount = 3", "toml", "3"),
    ],
)
def test_money_is_read_exactly_as_written(text: str, fmt: str, expected: str) -> None:
    amount = _load_amount(text, fmt)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)
    assert str(amount) == expected


def _load_amount(line: str, fmt: str) -> Any:
    if fmt == "yaml":
        doc = (
            "name: X\nmembers: [{id: m1, name: A, gender: male, branch: b1, status: full}]\n"
            "branches: [{id: b1, name: B, level: branch, category: organ}]\n"
            f"dues_payments:\n  - id: d1\n    member: m1\n    month: '2020-05'\n    {line}\n"
        )
    elif fmt == "json":
        doc = as_json(base()).replace('"amount": "12.50"', line)
    else:
        doc = TOML_DOC.replace('amount = "12.50"', line)
    return loads(doc, fmt).dues_payments[0].amount  # type: ignore[arg-type]


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_any_amount_in_fen_is_read_exactly_from_yaml(amount: Decimal) -> None:
    assert _load_amount(f"amount: {amount}", "yaml") == amount
    assert _load_amount(f'"amount": {amount}', "json") == amount


@pytest.mark.parametrize(
    ("line", "fmt"),
    [
        ("amount: .nan", "yaml"),
        ("amount: .inf", "yaml"),
        ('amount: "NaN"', "yaml"),
        ('amount: " 12"', "yaml"),
        ("amount: -0.5", "yaml"),
        ('"amount": NaN', "json"),
        ('"amount": "十元"', "json"),
        ('"amount": true', "json"),
        ("amount = nan", "toml"),
    ],
)
def test_bad_money(line: str, fmt: str) -> None:
    if fmt == "yaml":
        doc = (
            "name: X\nmembers: [{id: m1, name: A, gender: male, branch: b1, status: full}]\n"
            "branches: [{id: b1, name: B, level: branch, category: organ}]\n"
            f"dues_payments:\n  - id: d1\n    member: m1\n    month: '2020-05'\n    {line}\n"
        )
    elif fmt == "json":
        doc = as_json(base()).replace('"amount": "12.50"', line)
    else:
        doc = TOML_DOC.replace('amount = "12.50"', line)
    assert problems(doc, fmt) == [("dues_payments[0].amount", "invalid_value")]


# -- wrong types -----------------------------------------------------------------------------


def test_yaml_unquoted_id_with_leading_zeros_is_a_number() -> None:
    doc = YAML_DOC.replace("{id: m2,", "{id: 001,").replace("[m1, m2]", "[m1]")
    err = error(doc, "yaml")
    assert [(p.path, p.code) for p in err.problems] == [("members[1].id", "invalid_value")]
    assert "整数1" in err.problems[0].message
    assert "引号" in err.problems[0].message
    assert "quote" in err.problems[0].message_en


def test_yaml_yes_is_a_boolean_not_text() -> None:
    doc = YAML_DOC.replace("name: 李强", "name: yes")
    err = error(doc, "yaml")
    assert [(p.path, p.code) for p in err.problems] == [("members[1].name", "invalid_value")]
    assert "true" in err.problems[0].message_en


@pytest.mark.parametrize(
    ("edit", "path", "words"),
    [
        (lambda d: d["members"][0].update(name=["王", "芳"]), "members[0].name", "列表"),
        (lambda d: d["members"][0].update(name=5), "members[0].name", "整数5"),
        (lambda d: d["members"][0].update(name=None), "members[0].name", "空值"),
        (lambda d: d["meetings"][0].update(attended="m1"), "meetings[0].attended", "应为列表"),
        (lambda d: d["meetings"][0].update(attended=[1]), "meetings[0].attended[0]", "文本"),
        (
            lambda d: d["meetings"][0].update(expected_count="3"),
            "meetings[0].expected_count",
            "整数",
        ),
        (
            lambda d: d["meetings"][0].update(expected_count=3.0),
            "meetings[0].expected_count",
            "整数",
        ),
        (
            lambda d: d["meetings"][0].update(expected_count=True),
            "meetings[0].expected_count",
            "布尔值",
        ),
        (lambda d: d["members"][0].update(leading_cadre="yes"), "members[0].leading_cadre", "true"),
        (lambda d: d["members"][0].update(leading_cadre=1), "members[0].leading_cadre", "true"),
        (lambda d: d["branches"].append("b2"), "branches[1]", "对象"),
        (lambda d: d["members"][0].update(milestones=[]), "members[0].milestones", "对象"),
        (lambda d: d.__setitem__("elections", {"e1": {}}), "elections", "列表"),
        (lambda d: d.__setitem__("name", 1), "name", "文本"),
        (lambda d: d.__setitem__("version", 2), "version", "应为1"),
        (lambda d: d.__setitem__("version", "1"), "version", "整数"),
        (
            lambda d: d["dues_payments"][0].update(month="2020-13"),
            "dues_payments[0].month",
            "YYYY-MM",
        ),
        (
            lambda d: d["dues_payments"][0].update(month="2020-5"),
            "dues_payments[0].month",
            "YYYY-MM",
        ),
    ],
)
def test_wrong_types_are_reported_at_their_path(edit, path: str, words: str) -> None:
    data = base()
    edit(data)
    err = error(as_json(data))
    assert [(p.path, p.code) for p in err.problems] == [(path, "invalid_value")]
    assert words in err.problems[0].message


def test_missing_required_fields() -> None:
    data = base()
    del data["name"]
    del data["members"][0]["gender"]
    del data["members"][0]["status"]
    del data["meetings"][0]["date"]
    assert set(problems(as_json(data))) == {
        ("name", "missing_field"),
        ("members[0].gender", "missing_field"),
        ("members[0].status", "missing_field"),
        ("meetings[0].date", "missing_field"),
    }


def test_unknown_keys_everywhere() -> None:
    data = base()
    data["colour"] = "red"
    data["members"][0]["nickname"] = "小王"
    data["meetings"][0]["absences"] = [{"member": "m3", "reason": "leave", "why": "?"}]
    assert problems(as_json(data)) == [
        ("colour", "unknown_key"),
        ("members[0].nickname", "unknown_key"),
        ("meetings[0].absences[0].why", "unknown_key"),
    ]


def test_unknown_keys_that_are_not_text_in_yaml() -> None:
    doc = YAML_DOC + "1: one\nfoo: bar\n"
    assert sorted(problems(doc, "yaml")) == [("['1']", "unknown_key"), ("foo", "unknown_key")]


@pytest.mark.parametrize(
    ("edit", "path", "cls"),
    [
        (lambda d: d["members"][0].update(gender="F"), "members[0].gender", Gender),
        (lambda d: d["members"][0].update(status="党员"), "members[0].status", MemberStatus),
        (lambda d: d["members"][0].update(status="Full"), "members[0].status", MemberStatus),
        (lambda d: d["members"][0].update(status="full member"), "members[0].status", MemberStatus),
        (lambda d: d["branches"][0].update(level=3), "branches[0].level", OrgLevel),
        (lambda d: d["meetings"][0].update(kind="会议"), "meetings[0].kind", MeetingKind),
    ],
)
def test_unknown_enum_labels_list_the_choices(edit, path: str, cls) -> None:
    data = base()
    edit(data)
    err = error(as_json(data))
    assert [(p.path, p.code) for p in err.problems] == [(path, "unknown_label")]
    message, message_en = err.problems[0].message, err.problems[0].message_en
    for member in cls:
        assert f"{member.label}({member.code})" in message
        assert member.code in message_en


# -- dates and times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "fmt", "words"),
    [
        ('"2020-02-30"', "json", "有效日期"),
        ('"2020/01/05"', "json", "YYYY-MM-DD"),
        ('"2020-1-5"', "json", "YYYY-MM-DD"),
        ('"20200105"', "json", "YYYY-MM-DD"),
        ("20200105", "json", "YYYY-MM-DD"),
        ('""', "json", "YYYY-MM-DD"),
        ("2020-02-30", "yaml", "有效日期"),
        ("2021-02-29", "yaml", "有效日期"),
        ("2020/01/05", "yaml", "YYYY-MM-DD"),
        ("2020-01-05 10:00:00", "yaml", "不带时间"),
        ("2020-01-05T10:00:00+08:00", "yaml", "不带时间"),
        ("2020-01-05T10:00:00", "toml", "不带时间"),
        ("10:00:00", "toml", "YYYY-MM-DD"),
    ],
)
def test_bad_dates(written: str, fmt: str, words: str) -> None:
    if fmt == "json":
        doc = as_json(base()).replace('"date": "2020-05-15"', f'"date": {written}')
    elif fmt == "yaml":
        doc = YAML_DOC.replace("date: 2020-05-15", f"date: {written}")
    else:
        doc = TOML_DOC.replace("date = 2020-05-15", f"date = {written}")
    err = error(doc, fmt)
    assert [(p.path, p.code) for p in err.problems] == [("meetings[0].date", "invalid_value")]
    assert words in err.problems[0].message


def test_toml_rejects_an_impossible_date_as_a_syntax_error_with_its_line() -> None:
    doc = TOML_DOC.replace("date = 2020-05-15", "date = 2020-02-30")
    line = doc.splitlines().index("date = 2020-02-30") + 1
    err = error(doc, "toml")
    assert [(p.path, p.code) for p in err.problems] == [("", "syntax")]
    assert f"line {line}" in err.problems[0].message_en


def test_yaml_unquoted_time_is_a_number_of_minutes() -> None:
    doc = YAML_DOC.replace("date: 2020-05-15", "date: 2020-05-15\n    start: 9:30")
    err = error(doc, "yaml")
    assert [(p.path, p.code) for p in err.problems] == [("meetings[0].start", "invalid_value")]
    assert "引号" in err.problems[0].message
    assert "quote" in err.problems[0].message_en


@pytest.mark.parametrize(
    ("written", "fmt"),
    [("'09:30'", "yaml"), ("09:30", "yaml"), ('"09:30"', "toml"), ("09:30:00", "toml")],
)
def test_times_that_are_accepted(written: str, fmt: str) -> None:
    if fmt == "yaml":
        doc = YAML_DOC.replace("date: 2020-05-15", f"date: 2020-05-15\n    start: {written}")
    else:
        doc = TOML_DOC.replace("date = 2020-05-15", f"date = 2020-05-15\nstart = {written}")
    assert loads(doc, fmt).meetings[0].start == dt.time(9, 30)  # type: ignore[arg-type]


@pytest.mark.parametrize("written", ['"9:30"', '"25:00"', '"09:60"', '"0930"'])
def test_bad_times(written: str) -> None:
    doc = as_json(base()).replace(
        '"date": "2020-05-15"', f'"date": "2020-05-15", "start": {written}'
    )
    assert problems(doc) == [("meetings[0].start", "invalid_value")]


def test_end_before_start_is_reported_at_end() -> None:
    doc = as_json(base()).replace(
        '"date": "2020-05-15"', '"date": "2020-05-15", "start": "10:00", "end": "09:00"'
    )
    assert problems(doc) == [("meetings[0].end", "invalid_value")]


# -- duplicates and syntax -------------------------------------------------------------------


def test_duplicate_keys_in_json() -> None:
    text = as_json(base())
    text = text.replace('"name": "李强", ', '"name": "李强", "name": "李四", ', 1)
    text = text.replace('{"name": "市X局机关党委"', '{"name": "市X局机关党委", "name": "又一个"', 1)
    err = error(text)
    assert [(p.path, p.code) for p in err.problems] == [
        ("", "duplicate_key"),
        ("members[1]", "duplicate_key"),
    ]
    assert all("name" in p.message and "name" in p.message_en for p in err.problems)


def test_duplicate_keys_in_yaml() -> None:
    doc = YAML_DOC.replace("    kind: theme_day\n", "    kind: theme_day\n    kind: 党课\n")
    doc = "name: 第一个\n" + doc
    err = error(doc, "yaml")
    assert [(p.path, p.code) for p in err.problems] == [
        ("", "duplicate_key"),
        ("meetings[0]", "duplicate_key"),
    ]
    assert "kind" in err.problems[1].message


def test_duplicate_keys_that_are_not_text_in_yaml() -> None:
    doc = YAML_DOC.replace("    kind: theme_day\n", "    kind: theme_day\n    1: a\n    1: b\n")
    assert sorted(problems(doc, "yaml")) == [
        ("meetings[0]", "duplicate_key"),
        ("meetings[0]['1']", "unknown_key"),
    ]


@pytest.mark.parametrize(
    ("text", "fmt", "line"),
    [
        (
            '{\n  "name": "X",\n  "members": [\n    {"id": "m1"}\n    {"id": "m2"}\n  ]\n}',
            "json",
            5,
        ),
        ('{\n  "name": "X",\n}', "json", 3),
        ("name: X\nmembers:\n  - id: a\n   name: b\n", "yaml", 4),
        ("name: X\nmembers: [a\n", "yaml", 3),
        ("name: X\nmembers:\n  - {id: a\n", "yaml", 4),
        ("name: X\n? [a, b]\n: 1\n", "yaml", 2),
        ('name = "X"\n\nfoo = \n', "toml", 3),
        ('name = "X"\n[[members]\n', "toml", 2),
    ],
)
def test_syntax_errors_give_the_line(text: str, fmt: str, line: int) -> None:
    err = error(text, fmt)
    assert [(p.path, p.code) for p in err.problems] == [("", "syntax")]
    assert f"line {line}" in err.problems[0].message_en
    if fmt != "toml":
        assert f"第{line}行" in err.problems[0].message


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("[]", "json"),
        ('"ledger"', "json"),
        ("null", "json"),
        ("- name: X\n", "yaml"),
        ("just text\n", "yaml"),
        ("", "yaml"),
        ("# nothing\n", "yaml"),
    ],
)
def test_top_level_must_be_a_mapping(text: str, fmt: str) -> None:
    assert problems(text, fmt) == [("", "not_a_ledger")]


# -- files -----------------------------------------------------------------------------------


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(YAML_DOC.encode("gbk"))
    with pytest.raises(LedgerError) as caught:
        load(path)
    assert [(p.path, p.code) for p in caught.value.problems] == [("", "encoding")]
    assert caught.value.source == str(path)
    assert "UTF-8" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("name", "text"),
    [("bom.json", as_json(BASE)), ("bom.yaml", YAML_DOC), ("bom.toml", TOML_DOC)],
)
def test_utf8_bom_is_accepted(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load(path) == loads(as_json(BASE), "json")


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml", ".toml", ".YAML"])
def test_load_and_dump_by_suffix(tmp_path: Path, make_ledger, suffix: str) -> None:
    path = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), path)
    assert load(path) == make_ledger()
    assert load(str(path)) == make_ledger()


@pytest.mark.parametrize("name", ["ledger.txt", "ledger", "ledger.json.bak", "ledger.xlsm"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(as_json(BASE), encoding="utf-8")
    with pytest.raises(DangjianError) as caught:
        load(path)
    assert not isinstance(caught.value, LedgerError)
    assert ".json" in str(caught.value)
    assert name in str(caught.value)
    with pytest.raises(DangjianError):
        dump(loads(as_json(BASE), "json"), path)


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "absent.json")


# -- every problem at once -------------------------------------------------------------------


def _five_errors() -> dict[str, Any]:
    data = base()
    data["members"][0]["gender"] = "M"  # m1 fails to structure
    del data["members"][1]["name"]  # m2 fails to structure
    data["meetings"][0]["date"] = "2020-02-30"
    data["dues_payments"][0]["amount"] = "-5"
    data["branches"][0]["colour"] = "red"
    data["elections"] = "none"
    data["meetings"].append(
        {
            "id": "mt2",
            "kind": "party_lecture",
            "branch": "b1",
            "date": "2020-06-01",
            "chair": "m9",  # nobody: a broken reference
            "lecturer": "m1",  # failed to structure: not reported again
            "attended": ["m2"],  # likewise
        }
    )
    return data


def test_all_problems_are_reported_at_once() -> None:
    assert set(problems(as_json(_five_errors()))) == {
        ("members[0].gender", "unknown_label"),
        ("members[1].name", "missing_field"),
        ("meetings[0].date", "invalid_value"),
        ("dues_payments[0].amount", "invalid_value"),
        ("branches[0].colour", "unknown_key"),
        ("elections", "invalid_value"),
        ("meetings[1].chair", "broken_reference"),
    }


def test_one_record_with_several_problems_reports_each() -> None:
    data = base()
    data["members"][0].update(name=" 王芳", gender="?", birth_date="1980-13-01", extra=1)
    del data["members"][0]["status"]
    assert set(problems(as_json(data))) == {
        ("members[0].name", "invalid_value"),
        ("members[0].gender", "unknown_label"),
        ("members[0].birth_date", "invalid_value"),
        ("members[0].extra", "unknown_key"),
        ("members[0].status", "missing_field"),
    }


def test_a_rule_across_fields_is_reported_beside_another_problem() -> None:
    data = base()
    data["appraisals"] = [
        {
            "id": "a1",
            "kind": "member_appraisal",
            "date": "2020-02-30",
            "member": "m1",
            "branch": "b1",
        }
    ]
    assert set(problems(as_json(data))) == {
        ("appraisals[0].date", "invalid_value"),
        ("appraisals[0].grade", "invalid_value"),
    }


def test_problems_in_nested_records_have_full_paths() -> None:
    data = base()
    data["meetings"][0]["absences"] = [
        {"member": "m1", "reason": "leave"},
        {"member": " m2", "reason": "holiday"},
    ]
    data["branches"][0]["committee"] = [{"role": "secretary", "member": "m1", "start": "x"}]
    assert set(problems(as_json(data))) == {
        ("meetings[0].absences[1].member", "invalid_value"),
        ("meetings[0].absences[1].reason", "unknown_label"),
        ("branches[0].committee[0].start", "invalid_value"),
    }


def test_a_reference_to_a_record_that_failed_is_not_reported_as_broken() -> None:
    data = base()
    data["members"][0]["gender"] = "?"  # m1 fails
    data["meetings"][0]["attended"] = ["m1", "m2", "m7"]
    assert problems(as_json(data)) == [
        ("members[0].gender", "unknown_label"),
        ("meetings[0].attended[2]", "broken_reference"),
    ]


def test_paths_point_into_the_document_when_earlier_records_failed() -> None:
    data = base()
    data["meetings"].insert(0, {"id": "bad"})  # fails: the good meeting is now meetings[1]
    data["meetings"][1]["chair"] = "m9"
    found = problems(as_json(data))
    assert ("meetings[1].chair", "broken_reference") in found
    assert ("meetings[0].kind", "missing_field") in found


def test_consistency_problems_of_a_well_formed_document() -> None:
    data = base()
    data["meetings"][0]["chair"] = "m9"
    data["meetings"][0]["date"] = "2009-12-31"  # before b1 was founded
    data["members"].append(dict(data["members"][0]))
    assert problems(as_json(data)) == [
        ("members[2].id", "duplicate_id"),
        ("meetings[0].date", "before_founded"),
        ("meetings[0].chair", "broken_reference"),
    ]


def test_resident_ids_are_checked_on_loading() -> None:
    data = base()
    data["members"][0]["resident_id"] = "11010519491231002X"
    data["members"][1]["resident_id"] = "11010519491231002Y"
    data["members"][1]["gender"] = "female"
    assert problems(as_json(data)) == [("members[1].resident_id", "invalid_resident_id")]


# -- the messages ----------------------------------------------------------------------------


def test_english_rendering_and_chinese_str_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_text(as_json(_five_errors()), encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        load(path)
    err = caught.value
    assert err.source == str(path)

    english = err.render("en")
    assert not CJK.search(english), english
    lines = english.splitlines()
    assert lines[0] == f"{path}: the ledger has {len(err.problems)} problems:"
    assert len(lines) == 1 + len(err.problems)
    assert "members[0].gender" in english

    chinese = str(err)
    assert chinese == err.render("zh") == err.render()
    assert chinese.startswith(str(path))
    assert f"台账有 {len(err.problems)} 处错误" in chinese
    for p in err.problems:
        assert f"  - {p.path}: {p.message}" in chinese
        assert CJK.search(p.message), p


def test_whole_document_problems_are_named_as_such() -> None:
    err = error("[]")
    assert "（整个文件）" in str(err)
    assert "(whole document)" in err.render("en")
    assert "the ledger has 1 problem:" in err.render("en")


def test_str_without_a_source() -> None:
    err = error("[]")
    assert str(err).startswith("台账有 1 处错误")
    assert err.source is None


def test_loads_names_the_source_it_is_given() -> None:
    err = error("[]", source="from-the-web.json")
    assert str(err).startswith("from-the-web.json")


def test_yaml_merge_keys_may_be_overridden_but_own_keys_may_not_repeat() -> None:
    base = (
        "name: x\nbranches:\n"
        "- &b {id: b1, name: 一支部, level: branch, category: organ}\n"
        "- <<: *b\n  id: b2\n"
    )
    assert [b.id for b in dangjian.loads(base, "yaml").branches] == ["b1", "b2"]
    with pytest.raises(dangjian.LedgerError) as info:
        dangjian.loads(base + "  id: b3\n", "yaml")
    assert [(p.path, p.code) for p in info.value.problems] == [("branches[1]", "duplicate_key")]


def test_an_unknown_key_that_is_no_identifier_is_quoted_in_the_path() -> None:
    with pytest.raises(dangjian.LedgerError) as info:
        dangjian.loads('name: x\n"": 1\n', "yaml")
    assert [(p.path, p.code) for p in info.value.problems] == [("['']", "unknown_key")]


# -- rectification deadlines in working days ---------------------------------------------------


def _rectification(id: str, **fields: Any) -> dict[str, Any]:
    # 2020-04-24 is a Friday; Sunday 2020-04-26 was a working day (调休 before 劳动节)
    return {"id": id, "source": "inspection", "raised": "2020-04-24", "problem": "问题", **fields}


def test_a_deadline_given_as_a_date_and_in_working_days_must_agree() -> None:
    data = base()
    data["rectifications"] = [
        _rectification("agrees", deadline="2020-04-26", deadline_working_days=1),
        _rectification("alone", deadline_working_days=1),
        _rectification("weekday", deadline="2020-04-27", deadline_working_days=1),
        _rectification("holiday", deadline="2020-05-05", deadline_working_days=4),
    ]
    err = error(as_json(data))
    # every disagreement at once, each at its record and field
    assert [(p.path, p.code) for p in err.problems] == [
        ("rectifications[2].deadline_working_days", "invalid_value"),
        ("rectifications[3].deadline_working_days", "invalid_value"),
    ]
    assert err.problems[0].message.endswith(
        "问题反馈日期2020-04-24后1个工作日是2020-04-26，与整改时限2020-04-27不一致"
    )
    # four working days: 04-26, 04-27, 04-28, 04-29 (the holiday starts on 05-01)
    assert "是2020-04-29" in err.problems[1].message
    assert "2020-04-29" in err.problems[1].message_en
    del data["rectifications"][2:]
    ledger = loads(as_json(data), "json")
    assert [r.deadline_working_days for r in ledger.rectifications] == [1, 1]


@pytest.mark.parametrize("n", [0, -1, 10000, "5"])
def test_working_days_of_a_deadline_are_a_positive_whole_number(n: object) -> None:
    data = base()
    data["rectifications"] = [_rectification("r", deadline_working_days=n)]
    assert problems(as_json(data)) == [("rectifications[0].deadline_working_days", "invalid_value")]
