"""HTML for notebooks: ledgers, reports and findings, escaped, without personal data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser

import attrs

from dangjian import (
    Citation,
    Finding,
    Gap,
    Ledger,
    Period,
    Report,
    Severity,
    Status,
    Subject,
    Waiver,
)
from dangjian._html import GROUP_ROWS, MAX_ROWS, OPEN_ROWS, STATUS_COLOURS

RESIDENT_ID = "11010519491231002X"  # the sample ledger's (GB 11643's own example)
H1 = Period.parse("2020H1")
SCRIPT = "<script>alert('x')</script>"


class _Tags(HTMLParser):
    """Checks that every element opened is closed, in order, and collects the text."""

    VOID = frozenset({"br"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.rows = 0
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    assert not parser.tags & {"script", "link", "style", "img", "iframe"}
    assert "http" not in html
    return parser


def finding(
    n: int,
    status: Status,
    *,
    rule: str = "branch.theme_day",
    name: str | None = None,
    message: str | None = None,
    gap: Gap | None = None,
    severity: Severity = Severity.ERROR,
) -> Finding:
    return Finding(
        rule=rule,
        status=status,
        severity=severity,
        subject=Subject(kind="branch", id=f"b{n}", name=name or f"第{n}支部", branch=f"b{n}"),
        period=Period.parse("2020-02"),
        message=message or f"第{n}条说明",
        message_en=f"note {n}",
        evidence=(f"e{n}",),
        citations=(Citation(document="中国共产党支部工作条例（试行）", article="第十一条"),),
        waiver=Waiver(rule=rule, period=H1, reason="疫情防控", approved_by="市直机关工委")
        if status is Status.WAIVED
        else None,
        gap=gap,
    )


def report_of(findings: list[Finding]) -> Report:
    return Report(
        findings=tuple(findings),
        period=H1,
        as_of=dt.date(2020, 7, 15),
        profile="national",
        titles={"branch.theme_day": ('主题党日"每月"<一次>', "themed day")},
    )


# -- ledger ----------------------------------------------------------------------------------


def test_ledger_html_counts_each_kind(make_ledger: Callable[..., Ledger]) -> None:
    ledger = make_ledger()
    html = ledger._repr_html_()
    text = " ".join(parse(html).text)
    assert ledger.name in text
    for kind, records in ledger.records():
        assert re.search(rf"{kind.label}\s+{re.escape(kind.label_en)}\s+{len(records)}\b", text)
    assert f"合计 total {len(ledger)}" in re.sub(r"\s+", " ", text)


def test_ledger_html_lists_empty_kinds_and_escapes_the_name() -> None:
    html = Ledger(name=f"市X局{SCRIPT}")._repr_html_()
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    parsed = parse(html)
    assert "无记录 (none)：党组织、党小组" in "".join(parsed.text)


def test_ledger_html_has_no_personal_data(
    make_ledger: Callable[..., Ledger], example: tuple[Ledger, Report]
) -> None:
    sample = make_ledger()
    assert sample.members[0].resident_id is not None
    html = sample._repr_html_()
    assert RESIDENT_ID not in html and "002X" not in html
    assert sample.members[0].name not in html
    ledger, _ = example
    ids = [m.resident_id.reveal() for m in ledger.members if m.resident_id is not None]
    assert ids, "the example records some resident ids"
    assert not any(i in ledger._repr_html_() for i in ids)


# -- report ----------------------------------------------------------------------------------


def test_report_html_lists_errors_then_warnings_then_unknowns_by_rule() -> None:
    findings = [
        finding(0, Status.PASSED),
        finding(1, Status.FAILED, severity=Severity.WARNING),
        finding(2, Status.PENDING),
        finding(3, Status.UNKNOWN),
        finding(4, Status.WAIVED),
        finding(5, Status.FAILED),
        finding(6, Status.FAILED, rule="branch.committee_mtg"),
        finding(7, Status.NOT_APPLICABLE),
    ]
    report = report_of(findings)
    html = report._repr_html_()
    parsed = parse(html)
    text = "".join(parsed.text)
    assert report.summary_line() in text
    for status, n in report.counts().items():
        assert f"{status.label} {status.label_en} {n}" in text
    # errors (by rule, in the report's order), warnings, cannot tell, pending, waived
    order = [int(m) for m in re.findall(r"第(\d)支部", text)]
    assert order == [5, 6, 1, 3, 2, 4]
    headings = [
        h for h in ("错误 error 2", "警告 warning 1", "无法判断 cannot tell 1") if h in text
    ]
    assert len(headings) == 3
    # (the badges above say the counts too: the headings are the last mentions)
    assert text.rindex(headings[0]) < text.rindex(headings[1]) < text.rindex(headings[2])
    # not applicable and passed: counted by rule, folded, no subject listed
    assert html.rindex("不适用 not applicable 1") < html.rindex("符合 passed 1")
    assert "第0支部" not in text and "第7支部" not in text
    assert f"color:{STATUS_COLOURS[Status.FAILED]}" in html
    assert "疫情防控" in text  # the waiver's reason


def test_report_html_shows_each_rule_with_its_title() -> None:
    report = report_of([finding(1, Status.FAILED), finding(2, Status.FAILED, rule="x.unknown")])
    html = report._repr_html_()
    assert "<code>branch.theme_day</code>" in html
    text = "".join(parse(html).text)
    assert 'branch.theme_day 主题党日"每月"<一次> (1)' in text
    assert "x.unknown (1)" in text  # a rule without a title shows its code alone


def test_report_html_folds_long_groups_and_caps_them() -> None:
    short = [finding(i, Status.FAILED) for i in range(OPEN_ROWS)]
    html = report_of(short)._repr_html_()
    assert html.count("<details open") == 1
    longer = [finding(i, Status.FAILED) for i in range(OPEN_ROWS + 1)]
    html = report_of(longer)._repr_html_()
    assert "<details open" not in html and html.count("<details") == 1
    many = [finding(i, Status.FAILED) for i in range(GROUP_ROWS + 3)]
    many += [finding(100 + i, Status.PASSED) for i in range(7)]
    parsed = parse(report_of(many)._repr_html_())
    text = "".join(parsed.text)
    assert "另有 3 条（不符合3）(3 more)" in text
    # the header and the rows of the failures shown, the line of the rest; the passes' tally
    assert parsed.rows == 1 + GROUP_ROWS + 1 + 2
    assert "第100支部" not in text


def test_report_html_escapes_everything() -> None:
    report = report_of([finding(1, Status.FAILED, name=SCRIPT, message="<b>未开展</b> & 未记录")])
    html = report._repr_html_()
    assert "<script" not in html and "<b>" not in html
    assert "&lt;b&gt;未开展&lt;/b&gt; &amp; 未记录" in html
    assert "主题党日&quot;每月&quot;&lt;一次&gt;" in html  # the rule's title, quotes and all
    parse(html)


def test_report_html_of_the_example(example: tuple[Ledger, Report]) -> None:
    ledger, report = example
    html = report._repr_html_()
    parsed = parse(html)
    text = "".join(parsed.text)
    n = report.counts()
    counts = "，".join(
        f"{label}{n[s]}"
        for label, s in (
            ("符合", Status.PASSED),
            ("不符合", Status.FAILED),
            ("无法判断", Status.UNKNOWN),
            ("待定", Status.PENDING),
        )
    )
    assert counts in text and n[Status.FAILED] == 45
    errors = len(report.filter(status="failed", severity="error"))
    warnings = len(report.filter(status="failed", severity="warning"))
    assert errors and warnings
    assert text.rindex(f"错误 error {errors}") < text.rindex(f"警告 warning {warnings}")
    assert text.rindex(f"警告 warning {warnings}") < text.rindex("无法判断 cannot tell 3")
    assert len(html) < 60_000
    ids = [m.resident_id.reveal() for m in ledger.members if m.resident_id is not None]
    assert not any(i in html for i in ids)
    filtered = report.filter(status="failed")
    text = "".join(parse(filtered._repr_html_()).text)
    assert "以下列出45条" in text  # the summary of a filtered report counts the whole


def test_findings_html_is_one_capped_table(example: tuple[Ledger, Report]) -> None:
    _, report = example
    parsed = parse(report.findings._repr_html_())
    assert parsed.rows == 1 + MAX_ROWS + 1
    assert f"另有 {len(report) - MAX_ROWS} 条" in "".join(parsed.text)
    assert "无 (none)" in report.filter(rule="nothing.").findings._repr_html_()


def test_empty_report_html() -> None:
    html = report_of([])._repr_html_()
    assert "无 (none)" in html
    parse(html)


# -- finding ---------------------------------------------------------------------------------


def test_finding_html_shows_its_fields_and_citations() -> None:
    f = finding(3, Status.WAIVED)
    html = f._repr_html_()
    text = " ".join(parse(html).text)
    for expected in (
        "branch.theme_day",
        "已豁免 waived",
        "错误 error",
        "第3支部",
        "2020年2月 (2020-02)",
        "第3条说明",
        "note 3",
        "e3",
        "《中国共产党支部工作条例（试行）》第十一条（条款号未核实）",
        "疫情防控（市直机关工委批准，2020年上半年）",
    ):
        assert expected in text, expected
    assert f"background:{STATUS_COLOURS[Status.WAIVED]}" in html
    assert "日期 day" not in text  # fields the finding does not have are left out


def test_an_unknown_finding_shows_what_to_add() -> None:
    unknown = finding(1, Status.UNKNOWN, gap=Gap.COUNTS_ONLY)
    told = finding(2, Status.FAILED)
    html = report_of([unknown, told])._repr_html_()
    assert "应补记：补记各次会议的出席人名单 (to do: record the names of those present" in html
    assert html.count("应补记") == 1  # the failure has no gap, so no remedy
    one = unknown._repr_html_()
    assert "缺少 gap" in one and "会议只记录了人数，未记录出席人员" in one
    assert "缺少 gap" not in told._repr_html_()


def test_finding_html_escapes() -> None:
    f = attrs.evolve(finding(1, Status.FAILED, name=SCRIPT), evidence=("<e1>",))
    html = f._repr_html_()
    assert "<script" not in html and "<e1>" not in html
    assert "&lt;e1&gt;" in html
    parse(html)


def test_finding_html_of_the_example_has_no_resident_id(example: tuple[Ledger, Report]) -> None:
    ledger, report = example
    ids = [m.resident_id.reveal() for m in ledger.members if m.resident_id is not None]
    for f in report.filter(rule="charter.").findings + report.failed:
        html = f._repr_html_()
        assert not any(i in html for i in ids)
