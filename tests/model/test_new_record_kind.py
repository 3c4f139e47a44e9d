"""A new record kind is its model module, its rules and its tests: declared here, in the test,
its Excel sheets, its tables and its reference checks follow from its declarations alone, without
a change to any other module.

What this cannot show: a new top-level collection of the ledger is one more field of
:class:`dangjian.Ledger` (one line of ``ledger.py``), from which ``RECORD_KINDS``, the workbook's
sheets, the tables and loading follow. docs/architecture.md walks through it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from dangjian.io._excel_layout import kind_sheets
from dangjian.ledger import _Validator
from dangjian.model import _declare, field, fields, kind_of, record_kind, ref, references
from dangjian.model import _validators as v
from dangjian.tables import kind_tables
from tests.builders.sample import build_ledger


@attrs.frozen(kw_only=True)
class Remark:
    """A remark made during an inspection, by a member."""

    by: str = ref("members", "提出人")
    text: str = field("意见内容", en="remark", validator=v.text)


@record_kind("inspections", "督导检查", en="inspection", key_header="检查编号")
@attrs.frozen(kw_only=True)
class Inspection:
    """A supervisory inspection of a branch (督导检查): the whole of a new record kind."""

    id: str = field("编号", validator=v.id_text)
    branch: str = ref("branches", "受检党组织", en="inspected organisation")
    date: dt.date = field("检查日期")
    inspectors: tuple[str, ...] = ref("members", "检查人员", default=())
    remarks: tuple[Remark, ...] = field("检查意见", header="检查意见明细", default=())
    note: str | None = field("备注", default=None)


def teardown_module() -> None:
    _declare._KINDS.pop(Inspection, None)
    _declare._COLLECTIONS.pop("inspections", None)


def test_the_declarations_are_read() -> None:
    kind = kind_of(Inspection)
    assert (kind.collection, kind.label, kind.key, kind.key_header) == (
        "inspections",
        "督导检查",
        "inspection",
        "检查编号",
    )
    assert [(f.name, f.target) for f in references(Inspection)] == [
        ("branch", "branches"),
        ("inspectors", "members"),
    ]
    assert [f.required for f in fields(Inspection)] == [True, True, True, False, False, False]


def test_its_excel_sheets_follow() -> None:
    sheet, remarks = kind_sheets(Inspection)
    assert (sheet.name, sheet.ident) == ("督导检查", "inspections")
    columns = {c.key: c for c in sheet.columns}
    assert list(columns) == ["id", "branch", "date", "inspectors", "note"]
    assert (columns["branch"].header, columns["branch"].kind) == ("受检党组织", "id")
    assert columns["branch"].target == "branches" and columns["branch"].required
    assert (columns["inspectors"].kind, columns["inspectors"].target) == ("ids", "members")
    assert columns["note"].kind == "note"
    assert (remarks.name, remarks.ident, remarks.parent) == (
        "检查意见明细",
        "inspections.remarks",
        "inspections",
    )
    assert [(c.header, c.key, c.role) for c in remarks.columns] == [
        ("检查编号", "inspection", "parent"),
        ("提出人", "by", "field"),
        ("意见内容", "text", "field"),
    ]


def test_its_tables_follow() -> None:
    top, inspectors, remarks = kind_tables(Inspection)
    assert (top.name, top.key) == ("inspections", ("id",))
    assert [r.table for r in top.references] == ["branches"]
    assert (inspectors.name, inspectors.key) == ("inspections.inspectors", ("inspection", "index"))
    assert inspectors.column("inspectors").target == "members"
    assert remarks.parent_key == ("inspection",)
    assert [c.name for c in remarks.columns] == ["inspection", "index", "by", "text"]
    assert remarks.column("by").target == "members"


def _broken(record: Any) -> list[tuple[str, str]]:
    checks = _Validator(build_ledger())
    checks._unique_ids()
    checks._references("inspections[0]", record)
    return [(p.path, p.code) for p in checks.found]


def test_its_references_are_checked() -> None:
    ledger = build_ledger()
    member, branch = ledger.members[0].id, ledger.branches[0].id
    good = Inspection(
        id="i1",
        branch=branch,
        date=dt.date(2024, 5, 1),
        inspectors=(member,),
        remarks=(Remark(by=member, text="会议记录不全"),),
    )
    assert _broken(good) == []
    bad = attrs.evolve(
        good,
        branch="nowhere",
        inspectors=(member, "nobody"),
        remarks=(Remark(by=member, text="好"), Remark(by="ghost", text="差")),
    )
    assert _broken(bad) == [
        ("inspections[0].branch", "broken_reference"),
        ("inspections[0].inspectors[1]", "broken_reference"),
        ("inspections[0].remarks[1].by", "broken_reference"),
    ]
