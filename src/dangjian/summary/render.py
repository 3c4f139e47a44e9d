"""The draft of a work summary: short, neutral sentences that carry the figures.

The draft is built once as a list of blocks (title, headings, paragraphs, list items and a table
of figures) that the Markdown and Word writers both lay out. Its texts are catalog messages
(:mod:`dangjian.i18n`), written in Chinese and rendered in the language asked for; the ledger's
own text (names, titles, ids) is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Literal

import attrs

from dangjian._escape import markdown_cell, markdown_text
from dangjian.i18n import N_, SOURCE_LANGUAGE, Language, Message, render, t, tp
from dangjian.summary._format import day, days, number, span, stretch, yuan
from dangjian.summary.figures import (
    Figure,
    Figures,
    FindingGroup,
    MeetingCount,
    Reference,
    Section,
    bracketed_pieces,
)

__all__ = [
    "APPENDIX",
    "FINDINGS",
    "MISSING",
    "NO_DATA",
    "TABLE_HEADERS",
    "Block",
    "FigureRow",
    "blocks",
    "figure_rows",
    "markdown",
    "missing_items",
]

NO_DATA = N_("无数据")
"""What the draft writes for a figure the ledger has no data for (a message)."""
APPENDIX = N_("附：数据来源")
"""The heading of the table of figures (a message)."""
MISSING = N_("需补充的数据")
"""The heading of the list of figures the ledger has no data for (a message)."""
FINDINGS = N_("附：规则检查明细")
"""The heading of the check's findings with their rule ids (a message)."""
TABLE_HEADERS = (
    tp("summary table", "部分"),
    tp("summary table", "项目"),
    tp("summary table", "数字"),
    tp("summary table", "来源记录"),
)
"""The columns of the table of figures (messages)."""
_MAX_SUBJECTS = 5
ORDER = "\ue000"
"""Where a paragraph's ordinal goes (一是, 二是 …): numbered once the paragraphs with data are
known."""
_ORDINALS = (t("一是"), t("二是"), t("三是"), t("四是"), t("五是"), t("六是"))
_NUMERALS = (
    tp("summary part", "一"),
    tp("summary part", "二"),
    tp("summary part", "三"),
    tp("summary part", "四"),
    tp("summary part", "五"),
)
_NUMBERED = re.compile(r"^[^、.\s]+(、|\.\s)")

BlockKind = Literal["title", "heading", "subheading", "para", "item", "table"]


@attrs.frozen
class FigureRow:
    """One row of the table of figures: the part, the figure, its value and its records.

    Attributes:
        evidence: The records, as a person recognises them (their day and kind, the ids after
            them in brackets: ``2020-03-31 主题党日（zxz-2020-01）``, records of the same day
            and kind together: ``2020-01 党费（df-1、df-2）``), then the people counted by name
            with their ids (``：李振华（m101）、王丽娟（m102）``).
        pieces: :attr:`evidence` in pieces that a line may break between and never within:
            each id whole, with what comes before it in its bracket.
    """

    part: str
    label: str
    value: str
    evidence: str
    pieces: tuple[str, ...] = ()


@attrs.frozen
class Block:
    """A piece of the draft: a title, a heading (一、), a subheading (（一）), a paragraph, a
    list item or the table (with its column headers)."""

    kind: BlockKind
    text: str = ""
    rows: tuple[FigureRow, ...] = ()
    headers: tuple[str, ...] = ()


@attrs.frozen
class _Writer:
    """Writes the draft's texts in one language."""

    s: Figures
    lang: Language

    def __call__(self, text: Message | str) -> str:
        return render(text, self.lang)

    @functools.cached_property
    def within(self) -> str:
        return span(self.s.period, self.lang)

    def number(self, value: int | Decimal) -> str:
        return number(value, self.lang)

    def n(self, figure: Figure | str) -> str:
        """A figure's number and unit (``6次``), or that there is no data."""
        f = self.s[figure] if isinstance(figure, str) else figure
        if f.value is None:
            return self(NO_DATA_MESSAGE)
        if render(f.unit, SOURCE_LANGUAGE) == "元":  # money: to the 分
            return self(t("{n}{unit}", n=yuan(Decimal(f.value), self.lang), unit=f.unit))
        return self(t("{n}{unit}", n=number(f.value, self.lang), unit=f.unit))

    def held(self, figure: Figure | str) -> str:
        """A count of meetings as :meth:`n` writes it, followed by how many of them were held
        together with other kinds (``4次（其中2次与主题党日合并召开）``)."""
        f = self.s[figure] if isinstance(figure, str) else figure
        text = self.n(f)
        combined = f.data.combined if isinstance(f.data, MeetingCount) else ()
        if not combined:
            return text
        parts = self.list(
            self(
                t(
                    "{n}与{kind}合并召开",
                    n=t("{n}{unit}", n=number(c.value, self.lang), unit=f.unit),
                    kind=c.kind.msg,
                )
            )
            for c in combined
        )
        return self(t("{n}（其中{parts}）", n=text, parts=parts))

    def days(self, key: str) -> str:
        return days(self.s[key].data.dates, self.s.period.year, self.lang)

    def list(self, items: Iterable[str]) -> str:
        """Items in a list: ``甲、乙``."""
        return self(t("、")).join(items)

    def clauses(self, items: Iterable[str]) -> str:
        """Clauses of one sentence: ``甲；乙``."""
        return self(t("；")).join(items)

    def sentences(self, items: Sequence[Message]) -> str:
        """Sentences one after the other: Chinese writes them without a space."""
        text = ""
        for item in items:
            text = self(t("{text}{sentence}", text=text, sentence=item)) if text else self(item)
        return text

    def tallies(self, key: str, quote: bool = False) -> str:
        """A breakdown's parts and their numbers: ``集中学习3次、线上平台2次``."""
        return self.list(
            self(
                t(
                    "{label}{n}",
                    label=_quoted(self(p.label), "“", "”") if quote else p.label,
                    n=self.n(p),
                )
            )
            for p in self.s[key].parts or ()
        )


NO_DATA_MESSAGE = t(NO_DATA)


def _quoted(title: str, open_: str = "《", close: str = "》") -> str:
    return title if title.startswith(open_) else f"{open_}{title}{close}"


# -- the five parts -------------------------------------------------------------------------


def _part_one(w: _Writer) -> list[Block]:
    s, within = w.s, w.within
    duty: list[str] = []
    sr = s["secretary_reports"]
    if sr.value == 0:
        duty.append(w(t("{within}没有述职评议的记录", within=within)))
    elif sr.value is not None:  # no data: listed under 需补充的数据, not in the prose
        duty.append(
            w(
                t(
                    "{days}组织党组织书记抓党建工作述职评议{n}",
                    days=w.days("secretary_reports"),
                    n=w.n(sr),
                )
            )
        )
    if s["member_appraisals"].value:
        duty.append(w(t("民主测评党员{n}", n=w.n("member_appraisals"))))
    letters = s["letters"]
    if letters.value == 0:
        duty.append(w(t("{within}没有签订责任书的记录", within=within)))
    elif letters.value is not None:
        names = w.list(_quoted(x) for x in s["letter_subjects"].data)
        duty.append(
            w(t("{days}签订{names}{n}", days=w.days("letters"), names=names, n=w.n(letters)))
        )
    out = []
    if duty:
        out.append(
            Block(
                "para", w(t("{order}落实党建工作责任。{text}。", order=ORDER, text=w.clauses(duty)))
            )
        )

    if s["rectifications_raised"].value is not None:
        ongoing = (
            w(t("；另有{n}长期坚持", n=w.n("rectifications_ongoing")))
            if s["rectifications_ongoing"].value
            else ""
        )
        text = w(
            t(
                "{within}新收到反馈问题{raised}，销号{closed}，对已销号问题回头看{revisited}；"
                "截至{end}，仍在整改{open}，其中超过整改时限{overdue}{ongoing}。",
                within=within,
                raised=w.n("rectifications_raised"),
                closed=w.n("rectifications_closed"),
                revisited=w.n("rectifications_revisited"),
                end=day(s.period.end, lang=w.lang),
                open=w.n("rectifications_open"),
                overdue=w.n("rectifications_overdue"),
                ongoing=ongoing,
            )
        )
        out.append(Block("para", w(t("{order}抓好问题整改。{text}", order=ORDER, text=text))))
    return out


def _part_two(w: _Writer) -> list[Block]:
    s, within = w.s, w.within
    no_study = s["all_members_study"].value is None
    out: list[Block] = []
    if not s["centre_group_study"].listed and not no_study:  # a branch's or a village's
        plan = w(
            t(
                "{within}全体党员共学习{members}。",
                within=within,
                members=w.n("all_members_study"),
            )
        )
        out.append(Block("para", w(t("{order}按计划组织集体学习。{text}", order=ORDER, text=plan))))
    elif not no_study:  # no data: listed under 需补充的数据, not in the prose
        plan = w(
            t(
                "{within}中心组共学习{centre}，全体党员共学习{members}，全体干部职工共学习{staff}。",
                within=within,
                centre=w.n("centre_group_study"),
                members=w.n("all_members_study"),
                staff=w.n("all_staff_study"),
            )
        )
        out.append(Block("para", w(t("{order}按计划组织集体学习。{text}", order=ORDER, text=plan))))

    forms: list[Message] = []
    if not no_study:
        if s["study_forms"].parts:
            forms.append(t("学习形式有{forms}。", forms=w.tallies("study_forms")))
        if s["study_platforms"].parts:
            forms.append(
                t("线上学习使用{platforms}。", platforms=w.tallies("study_platforms", quote=True))
            )
        films = s["films"]
        if films.value:
            titled = "".join(_quoted(title) for title in films.titles or ())
            if any(f.title is None for f in films.data):
                untitled: Message | str = t("（部分片名未记录）")
            else:
                untitled = ""
            if titled:
                forms.append(
                    t(
                        "组织观看{titles}等专题教育片{n}{untitled}。",
                        titles=titled,
                        n=w.n(films),
                        untitled=untitled,
                    )
                )
            else:
                forms.append(
                    t("组织观看专题教育片{n}{untitled}。", n=w.n(films), untitled=untitled)
                )
        else:
            forms.append(t("{within}没有观看教育片的记录。", within=within))
    notes = s["study_note_min_wan_zi"]
    if notes.value is not None:
        forms.append(t("党员学习笔记均在{n}以上。", n=w.n(notes)))
    if forms:
        out.append(
            Block("para", w(t("{order}丰富学习形式。{text}", order=ORDER, text=w.sentences(forms))))
        )

    tf = s["task_force"]
    if tf.value == 0:
        text = w(t("{within}没有党员突击队的记录。", within=within))
    elif tf.value is not None:
        text = w(t("{n}党员参加{titles}。", n=w.n(tf), titles=w.list(s["task_force_titles"].data)))
    if tf.value is not None:
        out.append(Block("para", w(t("{order}组织党员突击队。{text}", order=ORDER, text=text))))
    return out


def _part_three(w: _Writer) -> list[Block]:
    s, within = w.s, w.within
    out: list[Block] = []
    if s["general_meetings"].value is not None:  # else listed under 需补充的数据
        life = w(
            t(
                "{within}召开党员大会{general}，支委会{committee}，党小组会{groups}，"
                "讲党课{lectures}，开展主题党日活动{theme_days}。",
                within=within,
                general=w.held("general_meetings"),
                committee=w.held("committee_meetings"),
                groups=w.held("group_meetings"),
                lectures=w.held("party_lectures"),
                theme_days=w.held("theme_days"),
            )
        )
        out.append(Block("para", w(t("{order}落实组织生活制度。{text}", order=ORDER, text=life))))

    talk: list[str] = []
    if s["talks"].value is not None:
        talk.append(w(t("开展谈心谈话{n}", n=w.n("talks"))))
    olm = s["org_life_meetings"]
    if olm.value == 0:
        talk.append(w(t("没有召开组织生活会的记录")))
    elif olm.value is not None:
        topics = w.list(f"“{topic}”" for topic in s["org_life_topics"].data)
        if topics:
            talk.append(w(t("召开组织生活会{n}，主题为{topics}", n=w.held(olm), topics=topics)))
        else:
            talk.append(w(t("召开组织生活会{n}", n=w.held(olm))))
    if talk:
        out.append(
            Block(
                "para",
                w(
                    t(
                        "{order}开展谈心谈话和组织生活会。{text}。",
                        order=ORDER,
                        text=w.clauses(talk),
                    )
                ),
            )
        )

    if s["theme_day_actions"].parts:
        out.append(
            Block(
                "para",
                w(
                    t(
                        "{order}落实主题党日规定动作。主题党日中{actions}。",
                        order=ORDER,
                        actions=w.tallies("theme_day_actions"),
                    )
                ),
            )
        )
    dues = s["dues"]
    if dues.value is not None:
        months = s["dues_by_month"].parts or ()
        if months:
            text = t(
                "{within}共收缴党费{total}，其中{months}。",
                within=within,
                total=w.n(dues),
                months=w.list(w(t("{month}{n}", month=m.label, n=w.n(m))) for m in months),
            )
        else:
            text = t("{within}没有收缴党费的记录。", within=within)
        out.append(Block("para", w(t("{order}按月收缴党费。{text}", order=ORDER, text=text))))
    return out


def _part_four(w: _Writer) -> list[Block]:
    s, within, year = w.s, w.within, w.s.period.year
    villages = s["villages"].data
    joint = s["joint_activities"]
    if joint.parts:
        intro = t(
            "与{villages}结对帮扶，与村党支部开展共建活动{n}：{activities}。",
            villages=w.list(villages),
            n=w.n(joint),
            activities=w.tallies("joint_activities"),
        )
    else:
        intro = t(
            "与{villages}结对帮扶；{within}没有与村党支部共建活动的记录。",
            villages=w.list(villages),
            within=within,
        )
    out = [Block("para", w(intro))]

    fs, tl, lead = s["first_secretaries"], s["team_leaders"], s["leaders"]
    if not lead.value:
        team = t("台账中没有第一书记和工作队队长的记录")
    elif fs.members == tl.members == lead.members:
        team = t("选派{n}党员干部任帮扶村第一书记兼帮扶工作队队长", n=w.n(lead))
    else:
        team = t(
            "选派{n}党员干部任帮扶村第一书记、帮扶工作队队长（第一书记{first}，工作队队长{leaders}）",
            n=w.n(lead),
            first=w.n(fs),
            leaders=w.n(tl),
        )
    team_text = w(
        t("{team}，{members}同志任队员驻村帮扶。", team=team, members=w.n("team_members"))
    )
    out.append(Block("para", w(t("{order}帮建村级班子。{text}", order=ORDER, text=team_text))))

    since = s["projects_since"].data
    if since < s.period.start:
        window = w(t("近一年来（{stretch}）", stretch=stretch(since, s.period.end, lang=w.lang)))
    else:
        window = within
    partners = s["project_partners"]
    helped = w(t("帮助{n}企业", n=w.n(partners))) if partners.data else ""
    projects: list[Message] = [
        t(
            "{window}，{helped}申报扶贫项目{applied}，获批{approved}，争取扶贫资金{funds}。",
            window=window,
            helped=helped,
            applied=w.n("projects_applied"),
            approved=w.n("projects_approved"),
            funds=w.n("funds_won"),
        )
    ]
    if s["village_trainings"].value:
        if s["village_trainees"].value is not None:
            projects.append(
                t(
                    "在村开展实用技术培训{n}，培训{trainees}。",
                    n=w.n("village_trainings"),
                    trainees=w.n("village_trainees"),
                )
            )
        else:
            projects.append(t("在村开展实用技术培训{n}。", n=w.n("village_trainings")))
    else:
        projects.append(t("{within}没有在村培训的记录。", within=within))
    out.append(
        Block("para", w(t("{order}争取扶贫项目。{text}", order=ORDER, text=w.sentences(projects))))
    )

    carriers: list[Message] = []
    if s["visits"].value:
        donations = s["donations"].parts or ()
        if donations:
            given_items = [w(t("{item}{n}", item=d.label, n=w.n(d))) for d in donations]
            carriers.append(
                t(
                    "{days}走访慰问帮扶村，赠送{donations}。",
                    days=days(s["visits"].data.dates, year, w.lang),
                    donations=w.list(given_items),
                )
            )
        else:
            carriers.append(
                t("{days}走访慰问帮扶村。", days=days(s["visits"].data.dates, year, w.lang))
            )
    else:
        carriers.append(t("{within}没有走访慰问的记录。", within=within))
    if s["volunteer_work"].value:
        carriers.append(
            t(
                "开展结对共建志愿服务{n}，参加党员{volunteers}。",
                n=w.n("volunteer_work"),
                volunteers=w.n("volunteers"),
            )
        )
    out.append(
        Block("para", w(t("{order}丰富共建载体。{text}", order=ORDER, text=w.sentences(carriers))))
    )
    return out


def _group_line(w: _Writer, part: Figure, *, waived: bool) -> str:
    g: FindingGroup = part.data
    if waived:
        return w(
            t(
                "{title}：{count}项，理由：{reasons}",
                title=part.label,
                count=w.number(g.count),
                reasons=w.clauses(g.reasons),
            )
        )
    subjects = w.list(g.subjects[:_MAX_SUBJECTS])
    if len(g.subjects) > _MAX_SUBJECTS:
        subjects = w(t("{subjects}等{n}个对象", subjects=subjects, n=w.number(len(g.subjects))))
    return w(
        t(
            "{title}（{severity}）：不符合{count}项，涉及{subjects}",
            title=part.label,
            severity=t(g.severity.label),
            count=w.number(g.count),
            subjects=subjects,
        )
    )


def _unknown_line(w: _Writer, part: Figure) -> str:
    g: FindingGroup = part.data
    return w(
        t(
            "{title}：{count}项无法判断，原因：{reasons}",
            title=part.label,
            count=w.number(g.count),
            reasons=w.clauses(g.reasons),
        )
    )


def _finding_lines(w: _Writer) -> list[Block]:
    """The check's findings by rule with their rule ids, for the appendix."""
    out: list[Block] = []
    for key in ("failed", "waived", "unknown"):
        for part in w.s[key].parts or ():
            g: FindingGroup = part.data
            status = w.s[key].label
            if key == "failed":
                status = t("{status}，{severity}", status=status, severity=t(g.severity.label))
            out.append(
                Block(
                    "item",
                    w(
                        t(
                            "{rule}（{title}，{status}）：{count}项",
                            rule=g.rule,
                            title=part.label,
                            status=status,
                            count=w.number(g.count),
                        )
                    ),
                )
            )
    return out


def _part_five(w: _Writer) -> list[Block]:
    s = w.s
    failed, waived, unknown = (s[key].parts or () for key in ("failed", "waived", "unknown"))
    out = [Block("subheading", w(t("（一）存在的不足")))]
    check = s["check_line"]
    if check.data is None:
        out.append(
            Block(
                "para",
                w(
                    t(
                        "本稿未附规则检查结果，不足之处请据实填写；"
                        "用 dangjian summary 命令生成本稿时会一并检查台账。"
                    )
                ),
            )
        )
    else:
        line = check.text if check.text is not None else check.data
        out.append(Block("para", w(t("对照规则检查台账。{line}。", line=line))))
        if failed:
            out.append(Block("para", w(t("不符合要求的有："))))
            out += [Block("item", _group_line(w, p, waived=False)) for p in failed]
        else:
            out.append(Block("para", w(t("检查未发现不符合要求的项目。"))))
        if waived:
            out.append(Block("para", w(t("以下经批准豁免，不计入不足："))))
            out += [Block("item", _group_line(w, p, waived=True)) for p in waived]
        if unknown:
            out.append(Block("para", w(t("以下依据台账记录无法判断是否符合要求，不计入不足："))))
            out += [Block("item", _unknown_line(w, p)) for p in unknown]
    out.append(Block("subheading", w(t("（二）下半年打算"))))
    plans: list[str] = []
    if failed:
        kinds = len({p.data.rule for p in failed})  # a rule split by severity is one kind
        plans.append(w(t("针对上述{n}类不符合项逐项整改，明确责任人和完成时限", n=w.number(kinds))))
    if unknown:
        plans.append(w(t("补齐台账记录，使上述无法判断的项目能够据实检查")))
    overdue = s["rectifications_overdue"]
    if overdue.value:
        plans.append(
            w(
                t(
                    "已超过整改时限的{n}问题（{items}）尽快整改销号",
                    n=w.n(overdue),
                    items=w.list(overdue.sources),
                )
            )
        )
    rest = (s["rectifications_open"].value or 0) - (overdue.value or 0)
    if rest > 0:
        plans.append(w(t("其余{n}个在改问题按时限推进", n=w.number(rest))))
    if s["villages"].data:
        plans.append(
            w(t("继续按学习计划组织集体学习，落实“三会一课”等组织生活制度，持续做好结对帮扶"))
        )
    else:
        plans.append(w(t("继续按学习计划组织集体学习，落实“三会一课”等组织生活制度")))
    out.append(Block("para", w(t("{plans}。", plans=w.clauses(plans)))))
    return out


# -- the table of figures -------------------------------------------------------------------


def _row(w: _Writer, mark: str, label: str, figure: Figure) -> FigureRow:
    value = w.held(figure)
    if figure.titles is not None and figure.value:
        value = w(t("{n}（{titles}）", n=value, titles="".join(_quoted(x) for x in figure.titles)))
    pieces = _pieces(w, figure.sources)
    people = _pieces(w, figure.members)
    if pieces and people:
        pieces[-1] += w(t("{sources}：{members}", sources="", members=""))
    pieces += people
    return FigureRow(mark, label, value, "".join(pieces), tuple(pieces))


def _when(w: _Writer, found: Reference) -> str:
    """A record's day as the draft writes days (``1月21日``, ``2019年12月12日`` in another
    year than the period's), or its month (``1月``)."""
    year = w.s.period.end.year
    if found.day is not None:
        return day(found.day, year, w.lang)
    month = dt.date.fromisoformat(f"{found.month}-01")
    if month.year != year:
        return w(t("{year}年{month}月", year=month.year, month=month.month))
    return w(t("{month}月", month=month.month))


def _pieces(w: _Writer, sources: Iterable[str]) -> list[str]:
    """The records ``sources`` as :attr:`FigureRow.pieces`, each as its
    :class:`~dangjian.summary.figures.Reference` names it: those of one kind one after the
    other under their kind once, by day, with the ids after it in brackets
    (``主题党日：1月10日（jg1-ztdr-2020-01）、1月15日（jg2-ztdr-2020-01）``), those of
    the same day in one bracket; a person or an organisation by name (``李振华（m101）``); a
    source without a reference (a partner enterprise) as it is."""
    runs: list[tuple[str, list[tuple[str, list[str]]]]] = []  # kind → [(day, ids)]
    for source in sources:
        found = w.s.references.get(source)
        if found is None or found.when is None:  # no day: named alone
            named, id = (w(found.kind), found.id) if found is not None else ("", source)
            runs.append(("", [(named, [id])]))
            continue
        kind, when = w(found.kind), _when(w, found)
        if runs and runs[-1][0] == kind and kind:
            days = runs[-1][1]
            if days[-1][0] == when:
                if found.id not in days[-1][1]:
                    days[-1][1].append(found.id)
            else:
                days.append((when, [found.id]))
        else:
            runs.append((kind, [(when, [found.id])]))
    separator = w(t("、"))
    out: list[str] = []
    for kind, days in runs:
        for i, (named, ids) in enumerate(days):
            if out:
                out[-1] += separator
            pieces = bracketed_pieces(named, ids, w.lang)
            if i == 0 and kind:
                pieces[0] = w(t("{sources}：{members}", sources=kind, members=pieces[0]))
            out += pieces
    return out


def shown(s: Figures) -> list[Section]:
    """The sections the draft has: those that follow from the data (结对共建 only where the
    organisation has a paired village in the period)."""
    return [x for x in s.sections if x.key != "pairing" or s["villages"].data]


def figure_rows(s: Figures, lang: Language = SOURCE_LANGUAGE) -> list[FigureRow]:
    """Every listed figure of the draft's sections with its value as the draft writes it and
    its records; a breakdown gives a row for each of its parts (``学习形式：集中学习``). A total
    whose records are those of the breakdown right after it (收缴党费, then 各月党费) points to
    its rows instead of listing them twice."""
    w = _Writer(s, lang)
    rows: list[FigureRow] = []
    for section in shown(s):
        figures = [f for f in section.figures if f.listed]
        for i, whole in enumerate(figures):
            if whole.parts is not None:
                for part in whole.parts:
                    label = w(t("{whole}：{part}", whole=whole.label, part=part.label))
                    rows.append(_row(w, w(section.mark), label, part))
                continue
            row = _row(w, w(section.mark), w(whole.label), whole)
            after = figures[i + 1] if i + 1 < len(figures) else None
            if after is not None and after.parts and whole.sources:
                below = {x for part in after.parts for x in part.sources}
                if set(whole.sources) == below and not whole.members:
                    shown_below = w(
                        t("见下{n}行（{breakdown}）", n=len(after.parts), breakdown=after.label)
                    )
                    row = attrs.evolve(row, evidence=shown_below, pieces=(shown_below,))
            rows.append(row)
    return rows


def missing_items(s: Figures, lang: Language = SOURCE_LANGUAGE) -> list[str]:
    """The figures of the draft's sections the ledger has no data for; a part without data at
    all counts as one item."""
    return [item for section in shown(s) for item in section.missing(lang)]


# -- the draft ------------------------------------------------------------------------------

_PARTS: dict[str, Callable[[_Writer], list[Block]]] = {
    "leadership": _part_one,
    "study": _part_two,
    "standards": _part_three,
    "pairing": _part_four,
    "shortcomings": _part_five,
}
"""The paragraphs of each part of the half-year draft, by the key of its section."""


def blocks(s: Figures, lang: Language = SOURCE_LANGUAGE) -> list[Block]:
    """The draft as blocks, in order: each section's heading and paragraphs (the sections that
    follow from the data, numbered in turn), the figures the ledger lacks (once each), the
    check's findings with their rule ids, then the table of figures."""
    w = _Writer(s, lang)
    out = [
        Block(
            "title",
            w(
                t(
                    "{organisation}{period}党建工作总结（初稿）",
                    organisation=s.organisation,
                    period=s.period.label(lang),
                )
            ),
        ),
        Block(
            "para",
            w(
                t(
                    "本稿由 dangjian 根据台账记录生成，统计期间为{stretch}。"
                    "各项数字的来源记录见文末“{appendix}”；台账中没有记录的项目列于文末“{missing}”，"
                    "请核实补充后定稿。",
                    stretch=stretch(s.period.start, s.period.end, lang=lang),
                    appendix=t(APPENDIX),
                    missing=t(MISSING),
                )
            ),
        ),
    ]
    for numeral, section in zip(_NUMERALS, shown(s), strict=False):
        heading = w(section.heading)
        number = _NUMBERED.match(heading)  # renumbered after a part left out
        if number is not None and w(numeral) != w(section.mark):
            heading = w(numeral) + number[1] + heading[number.end() :]
        out.append(Block("heading", heading))
        paragraphs = _PARTS.get(section.key)
        if paragraphs is not None:
            ordinals = iter(_ORDINALS)
            for b in paragraphs(w):
                if ORDER in b.text:
                    b = attrs.evolve(b, text=b.text.replace(ORDER, w(next(ordinals)), 1))
                out.append(b)
    missing = missing_items(s, lang)
    if missing:
        out.append(Block("heading", w(t(MISSING))))
        out.append(
            Block(
                "para",
                w(t("以下项目台账中没有记录，本稿未能统计。请补充记录，或在定稿时据实填写：")),
            )
        )
        out += [Block("item", item) for item in missing]
    findings = _finding_lines(w)
    if findings:
        out.append(Block("heading", w(t(FINDINGS))))
        out += findings
    out.append(Block("heading", w(t(APPENDIX))))
    out.append(
        Block(
            "table",
            rows=tuple(figure_rows(s, lang)),
            headers=tuple(w(h) for h in TABLE_HEADERS),
        )
    )
    return out


def _cell(text: str) -> str:
    return markdown_cell(text) or "—"


def _line(text: str) -> str:
    """A block's text as one line of Markdown: HTML and control characters shown as text, and
    no line break that would start a heading or an item of the ledger's own."""
    return markdown_text(text).replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def markdown(s: Figures, lang: Language = SOURCE_LANGUAGE) -> str:
    """The draft in Markdown; the ledger's text in it is shown as text, never as markup."""
    lines: list[str] = []
    previous = ""
    for b in blocks(s, lang):
        if lines and (b.kind != "item" or previous != "item"):
            lines.append("")
        if b.kind == "title":
            lines.append(f"# {_line(b.text)}")
        elif b.kind == "heading":
            lines.append(f"## {_line(b.text)}")
        elif b.kind in ("para", "subheading"):
            lines.append(_line(b.text))
        elif b.kind == "item":
            lines.append(f"- {_line(b.text)}")
        else:
            lines.append("| " + " | ".join(b.headers) + " |")
            lines.append("|" + "---|" * len(b.headers))
            for r in b.rows:
                cells = (r.part, r.label, r.value, r.evidence)
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        previous = b.kind
    return "\n".join(lines) + "\n"
