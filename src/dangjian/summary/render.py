"""The draft of a work summary: short, neutral sentences that carry the figures.

The draft is built once as a list of blocks (title, headings, paragraphs, list items and a table
of figures) that the Markdown and Word writers both lay out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import attrs

from dangjian._escape import markdown_cell, markdown_text
from dangjian.summary._format import day, days, number, span, stretch
from dangjian.summary.figures import Figure, Figures, FindingGroup, Tally

__all__ = ["Block", "FigureRow", "blocks", "figure_rows", "markdown", "missing_items"]

NO_DATA = "无数据"
APPENDIX = "附：数据来源"
_MAX_SUBJECTS = 5

BlockKind = Literal["title", "heading", "para", "item", "table"]


@attrs.frozen
class FigureRow:
    """One row of the table of figures: the part, the figure, its value and its records."""

    part: str
    label: str
    value: str
    evidence: str


@attrs.frozen
class Block:
    """A piece of the draft: a title, a heading, a paragraph, a list item or the table."""

    kind: BlockKind
    text: str = ""
    rows: tuple[FigureRow, ...] = ()


def _n(figure: Figure) -> str:
    """A figure's number and unit (``6次``), or that there is no data."""
    return NO_DATA if figure.value is None else f"{number(figure.value)}{figure.unit}"


def _quoted(title: str, marks: tuple[str, str] = ("《", "》")) -> str:
    return title if title.startswith(marks[0]) else f"{marks[0]}{title}{marks[1]}"


def _tallies(tallies: Sequence[Tally], unit: str = "次", quote: bool = False) -> str:
    return "、".join(
        f"{_quoted(t.label, ('“', '”')) if quote else t.label}{number(t.value)}{unit}"
        for t in tallies
    )


# -- the five parts -------------------------------------------------------------------------


def _part_one(s: Figures, within: str, year: int) -> list[Block]:
    duty: list[str] = []
    sr = s.secretary_reports
    if sr.value is None:
        duty.append("台账中没有述职评议记录，述职评议情况无数据")
    elif sr.value == 0:
        duty.append(f"{within}没有述职评议的记录")
    else:
        duty.append(
            f"{days(sr.dates, year)}组织党组织书记抓党建工作述职评议{_n(s['secretary_reports'])}"
        )
    if s.member_appraisals.value:
        duty.append(f"民主测评党员{_n(s['member_appraisals'])}")
    letters = s.letters
    if letters.value is None:
        duty.append("台账中没有责任书记录，责任书签订情况无数据")
    elif letters.value == 0:
        duty.append(f"{within}没有签订责任书的记录")
    else:
        names = "、".join(_quoted(x) for x in s.letter_subjects)
        duty.append(f"{days(letters.dates, year)}签订{names}{_n(s['letters'])}")
    out = [Block("para", "一是落实党建工作责任。" + "；".join(duty) + "。")]

    if s.rectifications_raised.value is None:
        text = "台账中没有整改事项记录，整改情况无数据。"
    else:
        text = (
            f"{within}新收到反馈问题{_n(s['rectifications_raised'])}，"
            f"销号{_n(s['rectifications_closed'])}，"
            f"对已销号问题回头看{_n(s['rectifications_revisited'])}；"
            f"截至{day(s.period.end, year)}，仍在整改{_n(s['rectifications_open'])}，"
            f"其中超过整改时限{_n(s['rectifications_overdue'])}"
        )
        if s.rectifications_ongoing.value:
            text += f"；另有{_n(s['rectifications_ongoing'])}长期坚持"
        text += "。"
    out.append(Block("para", "二是抓好问题整改。" + text))
    return out


def _part_two(s: Figures, within: str) -> list[Block]:
    no_study = s.centre_group_study.value is None
    if no_study:
        plan = "台账中没有集体学习记录，中心组、全体党员和全体干部职工学习次数无数据。"
    else:
        plan = (
            f"{within}中心组共学习{_n(s['centre_group_study'])}，"
            f"全体党员共学习{_n(s['all_members_study'])}，"
            f"全体干部职工共学习{_n(s['all_staff_study'])}。"
        )
    out = [Block("para", "一是按计划组织集体学习。" + plan)]

    forms: list[str] = []
    if no_study:
        forms.append("台账中没有集体学习记录，学习形式和观看教育片情况无数据。")
    else:
        if s.study_forms:
            forms.append(f"学习形式有{_tallies(s.study_forms)}。")
        if s.study_platforms:
            forms.append(f"线上学习使用{_tallies(s.study_platforms, quote=True)}。")
        if s.films:
            titled = "".join(_quoted(f.title) for f in s.films if f.title)
            untitled = "（部分片名未记录）" if any(f.title is None for f in s.films) else ""
            forms.append(
                f"组织观看{titled}{'等' if titled else ''}专题教育片"
                f"{number(len(s.films))}部{untitled}。"
            )
        else:
            forms.append(f"{within}没有观看教育片的记录。")
    if s.study_note_min_wan_zi is None:
        forms.append("学习笔记字数：台账中没有学习笔记记录，此项无数据。")
    else:
        forms.append(f"党员学习笔记均在{number(s.study_note_min_wan_zi)}万字以上。")
    out.append(Block("para", "二是丰富学习形式。" + "".join(forms)))

    tf = s.task_force
    if tf.value is None:
        text = "台账中没有服务活动记录，党员突击队人数无数据。"
    elif tf.value == 0:
        text = f"{within}没有党员突击队的记录。"
    else:
        text = f"{_n(s['task_force'])}党员参加{'、'.join(s.task_force_titles)}。"
    out.append(Block("para", "三是组织党员突击队。" + text))
    return out


def _part_three(s: Figures, within: str) -> list[Block]:
    if s.general_meetings.value is None:
        life = "台账中没有会议记录，党员大会、支委会、党课和主题党日次数无数据。"
    else:
        life = (
            f"{within}召开党员大会{_n(s['general_meetings'])}，"
            f"支委会{_n(s['committee_meetings'])}，"
            f"讲党课{_n(s['party_lectures'])}，"
            f"开展主题党日活动{_n(s['theme_days'])}。"
        )
    out = [Block("para", "一是落实组织生活制度。" + life)]

    talk: list[str] = []
    if s.talks.value is None:
        talk.append("台账中没有谈心谈话记录，谈心谈话次数无数据")
    else:
        talk.append(f"开展谈心谈话{_n(s['talks'])}")
    olm = s.org_life_meetings
    if olm.value is None:
        talk.append("组织生活会次数无数据")
    elif olm.value == 0:
        talk.append("没有召开组织生活会的记录")
    else:
        topics = "、".join(f"“{t}”" for t in s.org_life_topics)
        talk.append(
            f"召开组织生活会{_n(s['org_life_meetings'])}" + (f"，主题为{topics}" if topics else "")
        )
    out.append(Block("para", "二是开展谈心谈话和组织生活会。" + "；".join(talk) + "。"))

    if s.theme_day_actions:
        out.append(
            Block(
                "para",
                f"三是落实主题党日规定动作。主题党日中{_tallies(s.theme_day_actions)}。",
            )
        )
    return out


def _part_four(s: Figures, within: str, year: int) -> list[Block]:
    if not s.villages:
        return [Block("para", "台账中没有本期结对帮扶村的记录，结对共建情况无数据。")]
    intro = f"与{'、'.join(s.villages)}结对帮扶"
    if s.joint_activities:
        total = sum(t.value for t in s.joint_activities)
        intro += f"，与村党支部开展共建活动{number(total)}次：{_tallies(s.joint_activities)}。"
    else:
        intro += f"；{within}没有与村党支部共建活动的记录。"
    out = [Block("para", intro)]

    fs, tl, lead = s.first_secretaries, s.team_leaders, s.leaders
    if not lead.value:
        team = "台账中没有第一书记和工作队队长的记录"
    elif fs.members == tl.members == lead.members:
        team = f"选派{_n(s['leaders'])}党员干部任帮扶村第一书记兼帮扶工作队队长"
    else:
        team = (
            f"选派{_n(s['leaders'])}党员干部任帮扶村第一书记、帮扶工作队队长"
            f"（第一书记{_n(s['first_secretaries'])}，工作队队长{_n(s['team_leaders'])}）"
        )
    team += f"，{_n(s['team_members'])}同志任队员驻村帮扶。"
    out.append(Block("para", "一是帮建村级班子。" + team))

    if s.projects_since < s.period.start:
        window = f"近一年来（{stretch(s.projects_since, s.period.end)}）"
    else:
        window = within
    partners = f"帮助{number(len(s.project_partners))}家企业" if s.project_partners else ""
    projects = (
        f"{window}，{partners}申报扶贫项目{_n(s['projects_applied'])}，"
        f"获批{_n(s['projects_approved'])}，"
        f"争取扶贫资金{_n(s['funds_won'])}。"
    )
    if s.village_trainings.value:
        projects += f"在村开展实用技术培训{_n(s['village_trainings'])}"
        if s.village_trainees is not None:
            projects += f"，培训{_n(s['village_trainees'])}"
        projects += "。"
    else:
        projects += f"{within}没有在村培训的记录。"
    out.append(Block("para", "二是争取扶贫项目。" + projects))

    carriers: list[str] = []
    if s.visits.value:
        visit = f"{days(s.visits.dates, year)}走访慰问帮扶村"
        if s.donations:
            visit += "，赠送" + "、".join(
                f"{d.item}{number(d.quantity)}{d.unit}" for d in s.donations
            )
        carriers.append(visit + "。")
    else:
        carriers.append(f"{within}没有走访慰问的记录。")
    if s.volunteer_work.value:
        carriers.append(
            f"开展结对共建志愿服务{_n(s['volunteer_work'])}，参加党员{_n(s['volunteers'])}。"
        )
    out.append(Block("para", "三是丰富共建载体。" + "".join(carriers)))
    return out


def _group_line(g: FindingGroup, *, waived: bool) -> str:
    subjects = "、".join(g.subjects[:_MAX_SUBJECTS])
    if len(g.subjects) > _MAX_SUBJECTS:
        subjects += f"等{number(len(g.subjects))}个对象"
    if waived:
        reasons = "；".join(g.reasons)
        return f"{g.title}（{g.rule}）：{number(g.count)}项，理由：{reasons}"
    return f"{g.title}（{g.rule}，{g.severity.label}）：不符合{number(g.count)}项，涉及{subjects}"


def _unknown_line(g: FindingGroup) -> str:
    return f"{g.title}（{g.rule}）：{number(g.count)}项无法判断，原因：{'；'.join(g.reasons)}"


def _part_five(s: Figures) -> list[Block]:
    out = [Block("para", "（一）存在的不足")]
    if s.check_line is None:
        out.append(
            Block(
                "para",
                "本稿未附规则检查结果，不足之处请据实填写；"
                "用 dangjian summary 命令生成本稿时会一并检查台账。",
            )
        )
    else:
        out.append(Block("para", f"对照规则检查台账。{s.check_line}。"))
        if s.failed:
            out.append(Block("para", "不符合要求的有："))
            out += [Block("item", _group_line(g, waived=False)) for g in s.failed]
        else:
            out.append(Block("para", "检查未发现不符合要求的项目。"))
        if s.waived:
            out.append(Block("para", "以下经批准豁免，不计入不足："))
            out += [Block("item", _group_line(g, waived=True)) for g in s.waived]
        if s.unknown:
            out.append(Block("para", "以下依据台账记录无法判断是否符合要求，不计入不足："))
            out += [Block("item", _unknown_line(g)) for g in s.unknown]
    missing = missing_items(s)
    if missing:
        out.append(
            Block(
                "para",
                f"台账中没有数据、本稿未能统计的项目：{'、'.join(missing)}。"
                "请补充记录，或在定稿时据实填写。",
            )
        )

    out.append(Block("para", "（二）下半年打算"))
    plans: list[str] = []
    if s.failed:
        kinds = len({g.rule for g in s.failed})  # a rule split by severity is one kind
        plans.append(f"针对上述{number(kinds)}类不符合项逐项整改，明确责任人和完成时限")
    if s.unknown:
        plans.append("补齐台账记录，使上述无法判断的项目能够据实检查")
    overdue = s.rectifications_overdue
    if overdue.value:
        plans.append(
            f"已超过整改时限的{_n(s['rectifications_overdue'])}问题（{'、'.join(overdue.evidence)}）尽快整改销号"
        )
    rest = (s.rectifications_open.value or 0) - (overdue.value or 0)
    if rest > 0:
        plans.append(f"其余{number(rest)}个在改问题按时限推进")
    plans.append(
        "继续按学习计划组织集体学习，落实“三会一课”等组织生活制度"
        + ("，持续做好结对帮扶" if s.villages else "")
    )
    out.append(Block("para", "；".join(plans) + "。"))
    return out


# -- the table of figures -------------------------------------------------------------------


def _row(mark: str, label: str, figure: Figure) -> FigureRow:
    value = _n(figure)
    if figure.titles is not None and figure.value:
        value += f"（{''.join(_quoted(t) for t in figure.titles)}）"
    sources = "、".join(figure.sources)
    if figure.members:
        sources += f"：{'、'.join(figure.members)}"
    return FigureRow(mark, label, value, sources)


def figure_rows(s: Figures) -> list[FigureRow]:
    """Every listed figure of the draft with its value as the draft writes it and its records;
    a breakdown gives a row for each of its parts (``学习形式：集中学习``)."""
    return [
        _row(section.mark, label, figure)
        for section in s.sections
        for whole in section.figures
        if whole.listed
        for label, figure in (
            [(whole.label, whole)]
            if whole.parts is None
            else [(f"{whole.label}：{part.label}", part) for part in whole.parts]
        )
    ]


def missing_items(s: Figures) -> list[str]:
    """The figures the ledger has no data for; a part without data at all counts as one item."""
    return s.missing()


# -- the draft ------------------------------------------------------------------------------

_PARTS: dict[str, Callable[[Figures, str, int], list[Block]]] = {
    "leadership": _part_one,
    "study": lambda s, within, _: _part_two(s, within),
    "standards": lambda s, within, _: _part_three(s, within),
    "pairing": _part_four,
    "shortcomings": lambda s, _, __: _part_five(s),
}
"""The paragraphs of each part of the half-year draft, by the key of its section."""


def blocks(s: Figures) -> list[Block]:
    """The draft as blocks, in order: each section's heading and paragraphs, then the table."""
    year = s.period.year
    within = span(s.period)
    out = [
        Block("title", f"{s.organisation}{s.period.label()}党建工作总结（初稿）"),
        Block(
            "para",
            f"本稿由 dangjian 根据台账记录生成，统计期间为{stretch(s.period.start, s.period.end)}。"
            f"各项数字的来源记录见文末“{APPENDIX}”；台账中没有记录的项目注明“{NO_DATA}”，"
            "请核实补充后定稿。",
        ),
    ]
    for section in s.sections:
        out.append(Block("heading", section.heading))
        paragraphs = _PARTS.get(section.key)
        if paragraphs is not None:
            out += paragraphs(s, within, year)
    out.append(Block("heading", APPENDIX))
    out.append(Block("table", rows=tuple(figure_rows(s))))
    return out


TABLE_HEADERS = ("部分", "项目", "数字", "来源记录")


def _cell(text: str) -> str:
    return markdown_cell(text) or "—"


def _line(text: str) -> str:
    """A block's text as one line of Markdown: HTML and control characters shown as text, and
    no line break that would start a heading or an item of the ledger's own."""
    return markdown_text(text).replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def markdown(s: Figures) -> str:
    """The draft in Markdown; the ledger's text in it is shown as text, never as markup."""
    lines: list[str] = []
    previous = ""
    for b in blocks(s):
        if lines and (b.kind != "item" or previous != "item"):
            lines.append("")
        if b.kind == "title":
            lines.append(f"# {_line(b.text)}")
        elif b.kind == "heading":
            lines.append(f"## {_line(b.text)}")
        elif b.kind == "para":
            lines.append(_line(b.text))
        elif b.kind == "item":
            lines.append(f"- {_line(b.text)}")
        else:
            lines.append("| " + " | ".join(TABLE_HEADERS) + " |")
            lines.append("|" + "---|" * len(TABLE_HEADERS))
            for r in b.rows:
                cells = (r.part, r.label, r.value, r.evidence)
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        previous = b.kind
    return "\n".join(lines) + "\n"
