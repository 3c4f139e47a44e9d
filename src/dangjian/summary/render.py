"""The draft of a work summary: short, neutral sentences that carry the figures.

The draft is built once as a list of blocks (title, headings, paragraphs, list items and a table
of figures) that the Markdown and Word writers both lay out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from dangjian._escape import markdown_cell, markdown_text
from dangjian.summary._format import day, days, number, span, stretch, wan_yuan
from dangjian.summary.figures import Amount, Count, Headcount

if TYPE_CHECKING:
    from dangjian.summary.figures import FindingGroup, Tally, WorkSummary

__all__ = ["PARTS", "Block", "FigureRow", "blocks", "figure_rows", "markdown", "missing_items"]

PARTS = (
    "一、加强组织领导，靠实党建责任",
    "二、认真组织学习，加强思想政治建设",
    "三、严格对照标准，持续推进支部标准化建设",
    "四、开展结对共建，助力精准脱贫",
    "五、存在的不足和下半年打算",
)
"""The headings of the five parts of a half-year summary."""

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


def _n(figure: Count | Headcount, unit: str) -> str:
    return NO_DATA if figure.value is None else f"{number(figure.value)}{unit}"


def _quoted(title: str, marks: tuple[str, str] = ("《", "》")) -> str:
    return title if title.startswith(marks[0]) else f"{marks[0]}{title}{marks[1]}"


def _tallies(tallies: Sequence[Tally], unit: str = "次", quote: bool = False) -> str:
    return "、".join(
        f"{_quoted(t.label, ('“', '”')) if quote else t.label}{number(t.value)}{unit}"
        for t in tallies
    )


# -- the five parts -------------------------------------------------------------------------


def _part_one(s: WorkSummary, within: str, year: int) -> list[Block]:
    duty: list[str] = []
    sr = s.secretary_reports
    if sr.value is None:
        duty.append("台账中没有述职评议记录，述职评议情况无数据")
    elif sr.value == 0:
        duty.append(f"{within}没有述职评议的记录")
    else:
        duty.append(f"{days(sr.dates, year)}组织党组织书记抓党建工作述职评议{_n(sr, '人次')}")
    if s.member_appraisals.value:
        duty.append(f"民主测评党员{_n(s.member_appraisals, '人次')}")
    letters = s.letters
    if letters.value is None:
        duty.append("台账中没有责任书记录，责任书签订情况无数据")
    elif letters.value == 0:
        duty.append(f"{within}没有签订责任书的记录")
    else:
        names = "、".join(_quoted(x) for x in s.letter_subjects)
        duty.append(f"{days(letters.dates, year)}签订{names}{_n(letters, '份')}")
    out = [Block("para", "一是落实党建工作责任。" + "；".join(duty) + "。")]

    if s.rectifications_raised.value is None:
        text = "台账中没有整改事项记录，整改情况无数据。"
    else:
        text = (
            f"{within}新收到反馈问题{_n(s.rectifications_raised, '个')}，"
            f"销号{_n(s.rectifications_closed, '个')}，"
            f"对已销号问题回头看{_n(s.rectifications_revisited, '个')}；"
            f"截至{day(s.period.end, year)}，仍在整改{_n(s.rectifications_open, '个')}，"
            f"其中超过整改时限{_n(s.rectifications_overdue, '个')}"
        )
        if s.rectifications_ongoing.value:
            text += f"；另有{_n(s.rectifications_ongoing, '个')}长期坚持"
        text += "。"
    out.append(Block("para", "二是抓好问题整改。" + text))
    return out


def _part_two(s: WorkSummary, within: str) -> list[Block]:
    no_study = s.centre_group_study.value is None
    if no_study:
        plan = "台账中没有集体学习记录，中心组、全体党员和全体干部职工学习次数无数据。"
    else:
        plan = (
            f"{within}中心组共学习{_n(s.centre_group_study, '次')}，"
            f"全体党员共学习{_n(s.all_members_study, '次')}，"
            f"全体干部职工共学习{_n(s.all_staff_study, '次')}。"
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
        text = f"{_n(tf, '名')}党员参加{'、'.join(s.task_force_titles)}。"
    out.append(Block("para", "三是组织党员突击队。" + text))
    return out


def _part_three(s: WorkSummary, within: str) -> list[Block]:
    if s.general_meetings.value is None:
        life = "台账中没有会议记录，党员大会、支委会、党课和主题党日次数无数据。"
    else:
        life = (
            f"{within}召开党员大会{_n(s.general_meetings, '次')}，"
            f"支委会{_n(s.committee_meetings, '次')}，"
            f"讲党课{_n(s.party_lectures, '次')}，"
            f"开展主题党日活动{_n(s.theme_days, '次')}。"
        )
    out = [Block("para", "一是落实组织生活制度。" + life)]

    talk: list[str] = []
    if s.talks.value is None:
        talk.append("台账中没有谈心谈话记录，谈心谈话次数无数据")
    else:
        talk.append(f"开展谈心谈话{_n(s.talks, '次')}")
    olm = s.org_life_meetings
    if olm.value is None:
        talk.append("组织生活会次数无数据")
    elif olm.value == 0:
        talk.append("没有召开组织生活会的记录")
    else:
        topics = "、".join(f"“{t}”" for t in s.org_life_topics)
        talk.append(f"召开组织生活会{_n(olm, '次')}" + (f"，主题为{topics}" if topics else ""))
    out.append(Block("para", "二是开展谈心谈话和组织生活会。" + "；".join(talk) + "。"))

    if s.theme_day_actions:
        out.append(
            Block(
                "para",
                f"三是落实主题党日规定动作。主题党日中{_tallies(s.theme_day_actions)}。",
            )
        )
    return out


def _part_four(s: WorkSummary, within: str, year: int) -> list[Block]:
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
        team = f"选派{_n(lead, '名')}党员干部任帮扶村第一书记兼帮扶工作队队长"
    else:
        team = (
            f"选派{_n(lead, '名')}党员干部任帮扶村第一书记、帮扶工作队队长"
            f"（第一书记{_n(fs, '名')}，工作队队长{_n(tl, '名')}）"
        )
    team += f"，{_n(s.team_members, '名')}同志任队员驻村帮扶。"
    out.append(Block("para", "一是帮建村级班子。" + team))

    if s.projects_since < s.period.start:
        window = f"近一年来（{stretch(s.projects_since, s.period.end)}）"
    else:
        window = within
    partners = f"帮助{number(len(s.project_partners))}家企业" if s.project_partners else ""
    funds = s.funds_won.yuan
    projects = (
        f"{window}，{partners}申报扶贫项目{_n(s.projects_applied, '个')}，"
        f"获批{_n(s.projects_approved, '个')}，"
        f"争取扶贫资金{NO_DATA if funds is None else wan_yuan(funds)}。"
    )
    if s.village_trainings.value:
        projects += f"在村开展实用技术培训{_n(s.village_trainings, '次')}"
        if s.village_trainees is not None:
            projects += f"，培训{number(s.village_trainees)}人次"
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
            f"开展结对共建志愿服务{_n(s.volunteer_work, '次')}，参加党员{_n(s.volunteers, '名')}。"
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


def _part_five(s: WorkSummary) -> list[Block]:
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
            f"已超过整改时限的{_n(overdue, '个')}问题（{'、'.join(overdue.evidence)}）尽快整改销号"
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


def _refs(figure: Count | Headcount | Amount) -> str:
    if isinstance(figure, Headcount) and figure.members:
        return f"{'、'.join(figure.evidence)}：{'、'.join(figure.members)}"
    return "、".join(figure.evidence)


def figure_rows(s: WorkSummary) -> list[FigureRow]:
    """Every figure of the draft with its value as the draft writes it and its records."""
    rows: list[FigureRow] = []

    def add(part: int, label: str, figure: Count | Headcount, unit: str) -> None:
        rows.append(FigureRow(PARTS[part][:1], label, _n(figure, unit), _refs(figure)))

    def tallies(part: int, prefix: str, items: Sequence[Tally], unit: str = "次") -> None:
        for t in items:
            rows.append(
                FigureRow(
                    PARTS[part][:1],
                    f"{prefix}{t.label}",
                    f"{number(t.value)}{unit}",
                    "、".join(t.evidence),
                )
            )

    add(0, "述职评议", s.secretary_reports, "人次")
    add(0, "民主测评", s.member_appraisals, "人次")
    add(0, "签订责任书", s.letters, "份")
    add(0, "新收到反馈问题", s.rectifications_raised, "个")
    add(0, "销号", s.rectifications_closed, "个")
    add(0, "回头看", s.rectifications_revisited, "个")
    add(0, "期末仍在整改", s.rectifications_open, "个")
    add(0, "超过整改时限", s.rectifications_overdue, "个")
    add(0, "长期坚持", s.rectifications_ongoing, "个")
    add(1, "中心组学习", s.centre_group_study, "次")
    add(1, "全体党员学习", s.all_members_study, "次")
    add(1, "全体干部职工学习", s.all_staff_study, "次")
    tallies(1, "学习形式：", s.study_forms)
    tallies(1, "线上平台：", s.study_platforms)
    films = (
        FigureRow(
            "二",
            "观看专题教育片",
            f"{number(len(s.films))}部"
            + (f"（{''.join(_quoted(f.title) for f in s.films if f.title)}）" if s.films else ""),
            "、".join(f.session for f in s.films),
        )
        if s.centre_group_study.value is not None
        else FigureRow("二", "观看专题教育片", NO_DATA, "")
    )
    rows.append(films)
    notes = s.study_note_min_wan_zi
    rows.append(
        FigureRow("二", "学习笔记字数", NO_DATA if notes is None else f"{number(notes)}万字", "")
    )
    add(1, "党员突击队", s.task_force, "名")
    add(2, "党员大会", s.general_meetings, "次")
    add(2, "支委会", s.committee_meetings, "次")
    add(2, "党课", s.party_lectures, "次")
    add(2, "主题党日", s.theme_days, "次")
    add(2, "组织生活会", s.org_life_meetings, "次")
    add(2, "谈心谈话", s.talks, "次")
    tallies(2, "主题党日规定动作：", s.theme_day_actions)
    add(3, "第一书记、工作队队长", s.leaders, "名")
    add(3, "工作队队员", s.team_members, "名")
    add(3, "申报扶贫项目", s.projects_applied, "个")
    add(3, "获批扶贫项目", s.projects_approved, "个")
    rows.append(
        FigureRow(
            "四",
            "合作企业",
            f"{number(len(s.project_partners))}家" if s.villages else NO_DATA,
            "、".join(s.project_partners),
        )
    )
    funds = s.funds_won.yuan
    rows.append(
        FigureRow(
            "四",
            "争取扶贫资金",
            NO_DATA if funds is None else wan_yuan(funds),
            _refs(s.funds_won),
        )
    )
    add(3, "在村培训", s.village_trainings, "次")
    rows.append(
        FigureRow(
            "四",
            "培训人次",
            NO_DATA if s.village_trainees is None else f"{number(s.village_trainees)}人次",
            "、".join(s.village_trainings.evidence),
        )
    )
    add(3, "走访慰问", s.visits, "次")
    rows += [
        FigureRow(
            "四", f"慰问物资：{d.item}", f"{number(d.quantity)}{d.unit}", "、".join(d.evidence)
        )
        for d in s.donations
    ]
    add(3, "结对共建志愿服务", s.volunteer_work, "次")
    add(3, "参加志愿服务党员", s.volunteers, "名")
    tallies(3, "共建活动：", s.joint_activities)
    return rows


def missing_items(s: WorkSummary) -> list[str]:
    """The figures the ledger has no data for; a missing pairing counts as one item."""
    missing: list[str] = []
    for row in figure_rows(s):
        if row.value != NO_DATA:
            continue
        if row.part == "四" and not s.villages:
            if "结对帮扶" not in missing:
                missing.append("结对帮扶")
            continue
        missing.append(row.label)
    return missing


# -- the draft ------------------------------------------------------------------------------


def blocks(s: WorkSummary) -> list[Block]:
    """The draft as blocks, in order."""
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
    parts = (
        _part_one(s, within, year),
        _part_two(s, within),
        _part_three(s, within),
        _part_four(s, within, year),
        _part_five(s),
    )
    for heading, body in zip(PARTS, parts, strict=True):
        out.append(Block("heading", heading))
        out += body
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


def markdown(s: WorkSummary) -> str:
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
