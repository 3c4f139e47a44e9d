"""Issue 8 §5: a full resident id never shows in a message, a repr, an exception or a dump of
an entity's fields, wherever it was typed."""

from __future__ import annotations

import copy
import pickle
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian import LedgerError, ResidentId, load, loads
from dangjian.cli import main
from dangjian.errors import DangjianError, Problem
from dangjian.model._validators import FieldError
from dangjian.model.resident_id import mask_resident_ids
from dangjian.testing import strategies as dst
from tests.builders.example import EXAMPLE

# The example of GB 11643-1999 itself, and one with a lowercase check character.
RID = "11010519491231002X"
RID_MASKED = "110***********002X"
# every 18-character run of digits (and a final X) that validates: what must never show
_RUN = re.compile(r"[0-9]{17}[0-9Xx]")


def leaked(text: str) -> list[str]:
    return [m for m in _RUN.findall(text) if mask_resident_ids(m) != m]


def test_mask_hides_valid_ids_anywhere_in_text() -> None:
    assert mask_resident_ids(f"「{RID}」") == f"「{RID_MASKED}」"
    assert mask_resident_ids(f"id{RID}后") == f"id{RID_MASKED}后"
    assert mask_resident_ids(RID.lower()) == RID_MASKED.lower()
    assert mask_resident_ids(f"{RID} {RID}") == f"{RID_MASKED} {RID_MASKED}"
    # inside a longer run of digits (an id run into a phone number) it is masked all the same
    assert mask_resident_ids("1" + RID) == "1" + RID_MASKED
    assert mask_resident_ids("13800138000" + RID) == "13800138000" + RID_MASKED


def test_mask_leaves_what_is_no_id() -> None:
    # a wrong check character, a short text
    assert mask_resident_ids("110105194912310021") == "110105194912310021"
    assert mask_resident_ids("m101") == "m101"


@given(dst.resident_ids(), st.text(max_size=5), st.text(max_size=5))
def test_mask_hides_every_valid_id(rid: ResidentId, before: str, after: str) -> None:
    # digits around it would make it a longer number, not an id
    before = before.rstrip("0123456789")
    after = after.lstrip("0123456789Xx")
    after = "" if after[:1].isascii() and after[:1].isalnum() else after
    shown = mask_resident_ids(before + rid.reveal() + after)
    assert rid.reveal() not in shown
    assert rid.masked() in shown


def test_attrs_asdict_and_astuple_keep_the_id_masked() -> None:
    ledger = load(EXAMPLE)
    member = next(m for m in ledger.members if m.resident_id is not None)
    assert member.resident_id is not None
    full = member.resident_id.reveal()
    for shown in (attrs.asdict(member), attrs.astuple(member), attrs.asdict(ledger)):
        assert full not in repr(shown)
        assert full not in str(shown)
    assert attrs.asdict(member)["resident_id"] == member.resident_id


def test_resident_id_is_a_value() -> None:
    rid = ResidentId(RID)
    assert rid == ResidentId(RID)
    assert hash(rid) == hash(ResidentId(RID))
    assert rid != RID
    assert copy.deepcopy(rid) == rid
    assert pickle.loads(pickle.dumps(rid)) == rid
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        rid._value = "x"  # type: ignore[misc]
    assert RID not in repr(rid) + str(rid) + f"{rid}"
    assert not attrs.has(ResidentId)


def test_problem_and_errors_mask_what_they_quote() -> None:
    p = Problem(path=f"members[{RID}]", code="x", message=f"「{RID}」", message_en=repr(RID))
    assert RID not in repr(p) + p.render("zh") + p.render("en")
    assert RID not in str(DangjianError(f"bad {RID}"))
    assert RID not in str(FieldError("name", RID, RID))
    named = LedgerError([p], source=f"{RID}.yaml")
    assert RID not in named.render("zh") + named.render("en") + str(named)


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


WRONG_FIELDS = {
    "an id where a branch is named": ("branch: jg1\n", f"branch: '{RID}'\n"),
    "an id as an enumeration": ("level: committee", f"level: '{RID}'"),
    "an id where a date is": ("founded: 2002-04-18", f"founded: '{RID}'"),
    "an id where money is": ("amount: '129.75'", f"amount: '{RID}'"),
    "an id where a month is": ("month: 2020-01,", f"month: '{RID}',"),
    "an id as a key": ("  term_years: 5\n", f"  term_years: 5\n  '{RID}': 1\n"),
    "an id as a record id, twice": ("- id: m10", f"- id: '{RID}'\n  note: m10"),
    "an id in a list of ids": ("mentors: [", f"mentors: ['{RID}', '{RID}', "),
}


@pytest.mark.parametrize("case", sorted(WRONG_FIELDS))
def test_an_id_in_the_wrong_field_is_masked_in_every_message(case: str, tmp_path: Path) -> None:
    old, new = WRONG_FIELDS[case]
    text = EXAMPLE.read_text(encoding="utf-8")
    ledger_text = text.replace(old, new)
    assert ledger_text != text
    with pytest.raises(LedgerError) as info:
        loads(ledger_text, "yaml")
    for lang in ("zh", "en"):
        shown = info.value.render(lang) + repr(info.value.problems) + str(info.value)
        assert RID not in shown
        assert RID_MASKED in shown
    path = tmp_path / "wrong.yaml"
    path.write_text(ledger_text, encoding="utf-8")
    for lang in ("zh", "en"):
        assert main(["--lang", lang, "validate", str(path)]) == 2


def test_cli_output_of_a_broken_ledger_holds_no_full_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "wrong.yaml"
    path.write_text(_with(text, "name: 市X局机关党委\n", f"name: 市X局机关党委\n'{RID}': 1\n"))
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr()
    assert RID_MASKED in out.err
    assert not leaked(out.out + out.err)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "csv", "junit"])
def test_a_report_masks_an_id_typed_as_a_name(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    found = re.search(r"- id: m101\n  name: (\S+)\n", text)
    assert found is not None
    path = tmp_path / "named.yaml"
    path.write_text(text.replace(found[0], f"- id: m101\n  name: '{RID}'\n"), encoding="utf-8")
    argv = ["check", str(path), "--period", "2020H1", "--as-of", "2020-07-31", "--format", fmt]
    assert main(argv) in (0, 1)
    out = capsys.readouterr()
    if fmt != "junit":  # JUnit lists the subjects of failures only; m101 has none
        assert RID_MASKED in out.out
    assert not leaked(out.out + out.err)


def test_findings_frames_and_html_mask_an_id_in_user_text() -> None:
    import datetime as dt

    from dangjian.findings import Finding, Severity, Status, Subject
    from dangjian.periods import Period
    from dangjian.report import Report

    f = Finding(
        rule="a.b",
        status=Status.FAILED,
        severity=Severity.ERROR,
        subject=Subject(kind="member", id="m1", name=f"张三{RID}", branch="b1"),
        period=Period.parse("2020-01"),
        message=f"张三{RID}未参加",
        message_en=f"{RID} absent",
    )
    report = Report(
        findings=(f,), period=Period.parse("2020H1"), as_of=dt.date(2020, 7, 1), profile="national"
    )
    shown = [repr(f), repr(report), report._repr_html_(), f._repr_html_()]
    frame = report.to_frame()
    shown += [str(v) for v in frame.to_dict("list").values()]
    assert not any(RID in text for text in shown)
    assert RID_MASKED in repr(f)
