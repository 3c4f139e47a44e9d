"""The Word summary laid out as a 公文 (GB/T 9704), read back with python-docx: the page, the
fonts and sizes, black headings, the page number in the footer, the metadata, the sections that
follow the data, no rule ids in the prose, and 党费 summed from the ledger."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dangjian import (
    DangjianError,
    DuesPayment,
    Ledger,
    Meeting,
    MeetingKind,
    Month,
    OrgCategory,
    OrgLevel,
    check,
    summarize,
)
from dangjian.summary import WorkSummary
from dangjian.summary.compute import template_of
from dangjian.summary.word import (
    BODY_FONT,
    HEADING_FONT,
    SUBHEADING_FONT,
    TITLE_FONT,
    _cm_of,
    _ems,
)
from tests.builders.example import Example

docx = pytest.importorskip("docx")
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402

MakeLedger = Callable[..., Ledger]
D = dt.date
RULE_ID = re.compile(r"[a-z]+\.[a-z_]+")


@pytest.fixture(scope="module")
def written(example: Example, tmp_path_factory: pytest.TempPathFactory) -> Any:
    ledger, report = example
    summary = summarize(ledger, report.period, report=report)
    path = tmp_path_factory.mktemp("word") / "总结.docx"
    summary.to_docx(path)
    return docx.Document(str(path))


def _east_asian(style: Any) -> str | None:
    rfonts = style.element.rPr.rFonts
    return rfonts.get(qn("w:eastAsia"))  # type: ignore[no-any-return]


def _cm(length: int) -> float:
    return round(length / Cm(1), 2)  # Word keeps lengths in twips: 21 cm is 21.0004 cm


def test_the_page_is_a4_with_the_margins_of_gb_t_9704(written: Any) -> None:
    text, appendix = written.sections
    assert (_cm(text.page_width), _cm(text.page_height)) == (21.0, 29.7)
    margins = (text.top_margin, text.bottom_margin, text.left_margin, text.right_margin)
    assert [_cm(m) for m in margins] == [3.7, 3.5, 2.8, 2.6]
    # the table of figures on A4 turned, its margins turned with it
    assert (_cm(appendix.page_width), _cm(appendix.page_height)) == (29.7, 21.0)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    turned = (
        appendix.left_margin,
        appendix.right_margin,
        appendix.bottom_margin,
        appendix.top_margin,
    )
    assert [_cm(m) for m in turned] == [3.7, 3.5, 2.8, 2.6]


@pytest.mark.parametrize(
    ("style", "font", "size"),
    [
        ("Title", TITLE_FONT, 22),
        ("Normal", BODY_FONT, 16),
        ("Heading 1", HEADING_FONT, 16),
        ("Heading 2", SUBHEADING_FONT, 16),
    ],
)
def test_fonts_and_sizes(written: Any, style: str, font: str, size: int) -> None:
    s = written.styles[style]
    assert _east_asian(s) == font
    assert s.font.size == Pt(size)
    assert s.element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None


def test_the_fonts_are_those_the_standard_names() -> None:
    assert (TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT) == (
        "方正小标宋简体",
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
    )


def test_the_body_has_a_fixed_line_spacing(written: Any) -> None:
    pf = written.styles["Normal"].paragraph_format
    assert Pt(28) <= pf.line_spacing <= Pt(29)
    assert pf.line_spacing_rule == docx.enum.text.WD_LINE_SPACING.EXACTLY


@pytest.mark.parametrize("style", ["Title", "Heading 1", "Heading 2"])
def test_headings_are_black_without_a_theme_colour(written: Any, style: str) -> None:
    s = written.styles[style]
    color = s.element.rPr.find(qn("w:color"))
    assert color is not None
    assert color.get(qn("w:themeColor")) is None
    assert str(s.font.color.rgb) == "000000"
    assert not s.font.bold


def test_headings_are_kept_with_the_next_paragraph(written: Any) -> None:
    assert written.styles["Heading 1"].paragraph_format.keep_with_next
    assert written.styles["Heading 2"].paragraph_format.keep_with_next


def test_the_footer_carries_a_page_field_between_dashes(written: Any) -> None:
    section, appendix = written.sections
    assert appendix.footer.is_linked_to_previous  # the page numbers run on
    [paragraph] = section.footer.paragraphs
    xml = paragraph._p.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
    assert paragraph.text == "— 1 —"
    assert {r.font.size for r in paragraph.runs} == {Pt(14)}


def test_the_metadata_names_the_document_and_its_day(written: Any, example: Example) -> None:
    core = written.core_properties
    ledger, _ = example
    assert core.title == written.paragraphs[0].text
    assert core.title.startswith(ledger.name)
    assert core.author == ledger.name
    assert core.created is not None
    assert core.created.date() >= dt.date(2026, 1, 1)  # not python-docx's 2013


def test_given_author_and_day(example: Example, tmp_path: Path) -> None:
    ledger, report = example
    path = tmp_path / "s.docx"
    made = dt.datetime(2020, 7, 3, 9, 0, tzinfo=dt.UTC)
    summarize(ledger, report.period).to_docx(path, author="组织部", created=made)
    core = docx.Document(str(path)).core_properties
    assert (core.author, core.created.replace(tzinfo=dt.UTC)) == ("组织部", made)


def _body_before_appendix(document: Any) -> list[str]:
    out = []
    for p in document.paragraphs:
        if p.style.name == "Heading 1" and p.text.startswith(("需补充", "附")):
            break
        out.append(p.text)
    return out


def test_no_rule_id_in_the_prose_but_in_the_appendix(written: Any, example: Example) -> None:
    _, report = example
    assert any(f.status.code == "failed" for f in report)  # the example has failures to show
    prose = _body_before_appendix(written)
    assert len(prose) > 10
    hits = [line for line in prose if RULE_ID.search(line)]
    assert hits == []
    text = "\n".join(p.text for p in written.paragraphs)
    failed_rules = {f.rule for f in report if f.status.code == "failed"}
    assert all(rule in text for rule in failed_rules)


def test_the_example_without_pairing_has_no_pairing_section(
    make_ledger: MakeLedger, tmp_path: Path
) -> None:
    path = tmp_path / "b.docx"
    summarize(make_ledger(pairings=()), "2020H1").to_docx(path)
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "结对" not in "".join(headings)
    assert "帮扶" not in text
    assert headings[:4] == [
        "一、加强组织领导，靠实党建责任",
        "二、认真组织学习，加强思想政治建设",
        "三、严格对照标准，持续推进支部标准化建设",
        "四、存在的不足和下半年打算",  # renumbered
    ]
    [table] = document.tables
    assert all(row.cells[0].text != "四" or "帮扶" not in row.cells[1].text for row in table.rows)


def test_with_pairing_the_section_is_there(make_ledger: MakeLedger) -> None:
    md = summarize(make_ledger(), "2020H1").to_markdown()
    assert "## 四、开展结对共建，助力精准脱贫" in md
    assert "## 五、存在的不足和下半年打算" in md


def test_a_missing_figure_is_listed_once_for_the_user(make_ledger: MakeLedger) -> None:
    empty = {"talks": (), "pairings": (), "meetings": (), "study_sessions": ()}
    md = summarize(make_ledger(**empty), "2020H1").to_markdown()
    head, _, tail = md.partition("## 需补充的数据")
    assert tail, md
    assert "无数据" not in head  # not repeated in the prose
    assert "- 谈心谈话" in tail.split("## ")[0]
    assert tail.count("- 谈心谈话\n") == 1
    assert "- 党员大会" in tail
    assert "- 中心组学习" in tail


def _dues(id: str, month: Month, amount: str) -> DuesPayment:
    return DuesPayment(id=id, member="m2", month=month, amount=Decimal(amount))


def test_dues_per_month_and_in_total(make_ledger: MakeLedger, tmp_path: Path) -> None:
    payments = (
        _dues("d0", Month(2019, 12), "99.99"),  # before the period
        _dues("d1", Month(2020, 1), "45.00"),
        _dues("d2", Month(2020, 1), "1200.50"),
        _dues("d3", Month(2020, 6), "0.01"),
        _dues("d4", Month(2020, 7), "88.00"),  # after it
    )
    ledger = make_ledger(dues_payments=payments)
    s = summarize(ledger, "2020H1")
    in_period = [p for p in payments if D(2020, 1, 1) <= p.month.first_day <= D(2020, 6, 30)]
    total = sum((p.amount for p in in_period), Decimal(0))
    assert s["dues"].value == total == Decimal("1245.51")
    assert [(p.label_in(), p.value) for p in s["dues_by_month"].parts or ()] == [
        ("1月", Decimal("1245.50")),
        ("6月", Decimal("0.01")),
    ]
    md = s.to_markdown()
    assert "共收缴党费1,245.51元，其中1月1,245.50元、6月0.01元" in md
    path = tmp_path / "d.docx"
    s.to_docx(path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "1,245.51元" in text


def test_no_dues_recorded_is_missing_not_zero(make_ledger: MakeLedger) -> None:
    s = summarize(make_ledger(dues_payments=()), "2020H1")
    assert s["dues"].value is None
    assert "收缴党费" in s.to_markdown().partition("## 需补充的数据")[2]


def test_group_meetings_are_counted(make_ledger: MakeLedger) -> None:
    meetings = tuple(
        Meeting(id=f"g{i}", kind=MeetingKind.GROUP_MEETING, branch="b1", date=D(2020, i, 5))
        for i in (1, 2, 7)
    )
    s = summarize(make_ledger(meetings=meetings), "2020H1")
    assert s["group_meetings"].value == 2
    assert "党小组会2次" in s.to_markdown()


def test_as_of_is_the_period_end_in_chinese(example: Example) -> None:
    ledger, _ = example
    report = check(ledger, "2020H1", as_of=D(2020, 6, 30))
    md = summarize(ledger, "2020H1", report=report).to_markdown()
    assert "截至2020年6月30日" in md
    assert "2020-06-30" not in md


def test_a_reference_document_supplies_the_styles(example: Example, tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Normal"].font.size = Pt(11)
    reference.add_paragraph("参考文档自己的内容")
    ref_path = tmp_path / "ref.docx"
    reference.save(str(ref_path))
    ledger, report = example
    out = tmp_path / "out.docx"
    summarize(ledger, report.period).to_docx(out, reference=ref_path)
    document = docx.Document(str(out))
    assert document.styles["Normal"].font.size == Pt(11)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "参考文档自己的内容" not in text
    assert document.paragraphs[0].text.startswith(ledger.name)
    assert ref_path.read_bytes()  # the reference is not touched


def test_the_summary_is_a_work_summary(example: Example) -> None:
    ledger, report = example
    assert isinstance(summarize(ledger, report.period), WorkSummary)


# -- a template per kind of organisation -------------------------------------------------------


def _alone(ledger: Ledger, **kw: Any) -> Ledger:
    """The ledger as kept by its first branch alone (no committee above it)."""
    import attrs

    branch = attrs.evolve(next(b for b in ledger.branches if b.id == "b1"), parent=None, **kw)
    return attrs.evolve(ledger, branches=(branch,))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, "branch"),
        ({"category": OrgCategory.VILLAGE}, "village"),
        ({"level": OrgLevel.GENERAL_BRANCH}, "committee"),
    ],
)
def test_the_template_follows_the_organisation(
    make_ledger: MakeLedger, change: dict[str, Any], expected: str
) -> None:
    assert template_of(make_ledger()) == "committee"
    assert template_of(_alone(make_ledger(), **change)) == expected


def test_a_branch_is_not_asked_for_a_committees_figures(make_ledger: MakeLedger) -> None:
    ledger = _alone(make_ledger(pairings=(), study_sessions=()), category=OrgCategory.ORGAN)
    committee = summarize(ledger, "2020H1", template="committee")
    branch = summarize(ledger, "2020H1")
    assert "中心组学习" in committee.to_markdown().split("## 需补充的数据")[1]
    md = branch.to_markdown()
    assert "中心组" not in md and "全体干部职工" not in md and "述职评议" not in md
    assert "结对" not in md.replace("持续做好结对帮扶", "")
    missing = md.split("## 需补充的数据")[1].split("\n## ")[0]
    assert "- 全体党员学习" in missing


def test_a_branch_with_study_writes_its_members_study(make_ledger: MakeLedger) -> None:
    md = summarize(_alone(make_ledger()), "2020H1").to_markdown()
    assert re.search(r"一是按计划组织集体学习。上半年全体党员共学习\d+次。", md)
    assert "中心组" not in md


def test_an_unknown_template_is_refused(make_ledger: MakeLedger) -> None:
    with pytest.raises(DangjianError, match="没有这种工作总结模板"):
        summarize(make_ledger(), "2020H1", template="province")  # type: ignore[arg-type]


def test_cli_dates_the_draft_by_the_period_end_and_takes_author_and_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dangjian.cli import main
    from tests.builders.example import EXAMPLE, PLAN, WAIVERS

    ref = tmp_path / "ref.docx"
    reference = docx.Document()
    reference.styles["Normal"].font.size = Pt(13)
    reference.save(str(ref))
    out = tmp_path / "out.docx"
    args = ["summary", str(EXAMPLE), "--period", "2020H1", "--profile", "organ"]
    args += ["--rules", str(PLAN), "--waivers", str(WAIVERS), "--format", "docx"]
    args += ["--output", str(out), "--author", "组织部", "--reference", str(ref)]
    assert main(args) == 0
    capsys.readouterr()
    document = docx.Document(str(out))
    assert document.core_properties.author == "组织部"
    assert document.styles["Normal"].font.size == Pt(13)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "（截至2020年6月30日，规则集 organ）" in text


def test_the_table_has_widths_by_content_and_a_repeated_header(written: Any) -> None:
    [table] = written.tables
    widths = [_cm(c.width) for c in table.rows[1].cells]
    assert sum(widths) == pytest.approx(29.7 - 3.7 - 3.5, abs=0.05)  # the turned page's width
    assert widths[3] == max(widths)  # the records take the most
    part = _cm_of(max(_ems(row.cells[0].text) for row in table.rows))
    assert widths[0] == pytest.approx(part, abs=0.01)  # the part: as wide as it needs
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def _lines_of(cell: Any) -> list[str]:
    """The lines of a cell as written: its runs, each line ended by a break."""
    lines = [""]
    for run in cell.paragraphs[0].runs:
        lines[-1] += run.text.replace("\n", "")
        if run._r.find(qn("w:br")) is not None:
            lines.append("")
    return lines


def test_the_records_are_named_and_never_broken_inside_an_id(
    written: Any, example: Example
) -> None:
    [table] = written.tables
    room = (_cm(table.rows[1].cells[3].width) / 2.54 * 72 - 10.8) / 9  # ems of 小五 within
    ids = {
        r.id
        for kind in ("meetings", "study_sessions", "dues_payments", "talks")
        for r in getattr(example.ledger, kind)
    }
    seen: set[str] = set()
    for row in table.rows[1:]:
        cell = row.cells[3]
        for line in _lines_of(cell):
            assert _ems(line) <= room, line  # every line fits: the office suite breaks none
            seen |= {x for x in re.findall(r"[\w-]+", line) if x in ids}
        for run in cell.paragraphs[0].runs:  # every id whole within one run
            assert not re.search(r"-$", run.text), run.text
    # every meeting, study session and talk counted shows its id whole
    counted = {
        x
        for kind in ("meetings", "study_sessions", "talks")
        for r in getattr(example.ledger, kind)
        for x in [r.id]
    }
    in_period = {x for x in counted if x in seen}
    assert len(in_period) > 50
    assert not re.search(r"\w\.\w+\[\d+\]", "\n".join(c.text for r in table.rows for c in r.cells))
    text = {row.cells[1].text: row.cells[3].text for row in table.rows}
    assert text["主题党日"].startswith("主题党日：1月10日（jg1-ztdr-2020-01）、")
    assert text["慰问物资：面粉"] == "走访慰问：1月16日（yjc）"
    assert text["走访慰问"] == "见下2行（慰问物资）"  # the visits are those of the items below
    assert text["收缴党费"] == "见下6行（各月党费）"
    assert text["各月党费：1月"].startswith("党费：1月（df-2020-01-m101、")


def test_the_font_table_names_the_title_fonts_fallback(example: Example, tmp_path: Path) -> None:
    import zipfile

    from lxml import etree

    ledger, report = example
    path = tmp_path / "f.docx"
    summarize(ledger, report.period).to_docx(path)
    with zipfile.ZipFile(path) as z:
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    alternates = {
        f.get(f"{w}name"): f.find(f"{w}altName").get(f"{w}val")
        for f in fonts
        if f.find(f"{w}altName") is not None
    }
    assert alternates[TITLE_FONT] == "宋体"
    assert alternates[BODY_FONT] == "仿宋"
