"""The figures of a half-year work summary (工作总结), each with the records it was counted from.

A figure whose value is ``None`` has no data in the ledger (the ledger keeps no records of that
kind, or there is no paired village in the period): the draft says so instead of inventing a
number. A value of 0 means the ledger keeps such records and none fell in the period.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, TypeAlias

import attrs

from dangjian._escape import json_text
from dangjian.findings import Severity
from dangjian.i18n import SOURCE_LANGUAGE, Language, Message, render, t, tp
from dangjian.model.enums import LabelledEnum, MeetingKind
from dangjian.periods import Period

__all__ = [
    "Amount",
    "Combined",
    "Count",
    "DonationTotal",
    "Figure",
    "FigureData",
    "Figures",
    "Film",
    "FindingGroup",
    "Headcount",
    "MeetingCount",
    "MonthDues",
    "Reference",
    "Section",
    "Tally",
    "bracketed",
    "bracketed_pieces",
]

_WAN = Decimal(10000)


@attrs.frozen(kw_only=True)
class Count:
    """How many records of a kind fell in the period.

    Attributes:
        value: The number, or ``None`` when the ledger has no data for it.
        dates: The distinct days of the records counted, in order.
        evidence: The ids of the records counted (for records inside a paired village, the
            village's id and the collection: ``yjc.visits[0]``).
    """

    value: int | None
    dates: tuple[dt.date, ...] = ()
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Combined:
    """Meetings counted under one kind that were held together with another kind.

    Attributes:
        kind: The other kind they also served as (:attr:`Meeting.kinds
            <dangjian.Meeting.kinds>`).
        value: How many of them.
        evidence: Their ids.
    """

    kind: MeetingKind
    value: int
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class MeetingCount(Count):
    """How many meetings served as one kind in the period (a :class:`Count`), and of them how
    many were held together with each other kind (a 支部党员大会 held on the 主题党日): a meeting
    held as several kinds is counted under each.

    Attributes:
        combined: For each other kind some of them also served as, how many; in the order of
            :class:`~dangjian.MeetingKind`.
    """

    combined: tuple[Combined, ...] = ()


@attrs.frozen(kw_only=True)
class Headcount:
    """How many distinct people did something, who they are and where they were found.

    Attributes:
        value: The number of people, or ``None`` when the ledger has no data for it.
        members: The ids of the people counted, in order of first appearance.
        evidence: The ids of the records they were counted from.
    """

    value: int | None
    members: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Amount:
    """A sum of money in 元 (shown in 万元).

    Attributes:
        yuan: The sum in 元, or ``None`` when the ledger has no data for it.
        evidence: The records summed.
    """

    yuan: Decimal | None
    evidence: tuple[str, ...] = ()

    @property
    def wan(self) -> Decimal | None:
        """The sum in 万元."""
        return None if self.yuan is None else self.yuan / _WAN


@attrs.frozen(kw_only=True)
class MonthDues:
    """党费 collected for one month, in 元.

    Attributes:
        month: The month paid for (``2020-01``).
        yuan: The sum of the payments for it.
        evidence: The payments.
    """

    month: str
    yuan: Decimal
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Tally:
    """One kind of a breakdown (a study form, a platform, a joint-activity kind) and its count.

    Attributes:
        label: The kind, as the draft names it.
        value: How many records of that kind.
        evidence: The records counted.
    """

    label: str
    value: int
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Film:
    """An educational film watched at a study session.

    Attributes:
        title: The film's title (taken from the first 《…》 of the session's topics, else its
            first topic), or ``None`` when the session names none.
        date: The day it was watched.
        session: The id of the study session.
    """

    title: str | None
    date: dt.date
    session: str


@attrs.frozen(kw_only=True)
class DonationTotal:
    """What was donated on visits in the period, summed by item and unit (面粉 60 袋).

    Attributes:
        item: What was given.
        quantity: How many in all.
        unit: The unit counted in.
        evidence: The visits it was given on.
    """

    item: str
    quantity: Decimal
    unit: str
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class FindingGroup:
    """The failed (or waived) findings of one rule, for the draft's 不足.

    Attributes:
        rule: The rule's id.
        title: The rule's title, in Chinese.
        severity: The severity of these findings (a rule's findings may be milder than the
            rule: a back payment of dues is a warning); one group per rule and severity.
        count: How many findings.
        subjects: The names of their subjects, distinct, in order (none for findings that
            cannot be told: the draft names nobody for want of records).
        reasons: For waived findings, the waivers' reasons and who approved them; for findings
            that cannot be told, what the records lack and what to add.
    """

    rule: str
    title: str
    severity: Severity
    count: int
    subjects: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


FigureData: TypeAlias = Any
"""What a figure holds beyond its number, as :meth:`Figures.to_data` writes it: a
:class:`Count`, :class:`Headcount` or :class:`Amount`, a tuple of :class:`Tally`, :class:`Film`,
:class:`DonationTotal`, :class:`FindingGroup` or names, a day, a line of text, or ``None``."""


@attrs.frozen(kw_only=True)
class Figure:
    """One figure of a work summary: what it is called, its number and the records behind it.

    Attributes:
        key: The figure's name in code and in the JSON (``centre_group_study``).
        label: What the draft calls it: a catalog message (``中心组学习``, in English
            ``centre group study``), or the ledger's own text for a part of a breakdown (a
            platform's name); see :meth:`label_in`.
        value: The number, in ``unit``; ``None`` when the ledger has no data for it (and for a
            detail, which is not a number).
        unit: What the number counts (``次``, ``名``, ``万元``): a catalog message, or the
            ledger's own text (a donation's unit).
        sources: The ids of the records it was counted from (for records inside a paired
            village, the village's id and the collection: ``yjc.visits[0]``; for the partner
            enterprises, which have no records of their own, their names).
        members: The ids of the people counted, for a headcount.
        titles: The titles of what was counted, shown after the number (the films watched);
            ``None`` for a figure that has none to show.
        parts: A breakdown's parts, each a figure of its own (the study forms, the items
            donated, the check's findings by rule); ``None`` for a figure that is not a
            breakdown.
        listed: Whether the draft's table of figures has a row for it (a breakdown: a row for
            each part); a detail (names, a day, the check's findings) has none.
        text: How the draft shows a detail whose record is text in one language (the check's
            line), in any language; ``None`` to show nothing or the record itself.
        data: The figure as a record (its ``Count``, ``Headcount`` …, see :data:`FigureData`):
            what ``summary.<key>`` gives and what :meth:`Figures.to_data` writes under ``key``.
    """

    key: str
    label: Message | str
    value: int | Decimal | None = None
    unit: Message | str = ""
    sources: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    titles: tuple[str, ...] | None = None
    parts: tuple[Figure, ...] | None = None
    listed: bool = True
    text: Message | str | None = None
    data: FigureData = None

    def label_in(self, lang: Language = SOURCE_LANGUAGE) -> str:
        """The label in ``lang`` (Chinese by default)."""
        return render(self.label, lang)

    def unit_in(self, lang: Language = SOURCE_LANGUAGE) -> str:
        """The unit in ``lang`` (Chinese by default)."""
        return render(self.unit, lang)

    @property
    def missing(self) -> bool:
        """Whether the ledger has no data for this figure (a listed figure without a number)."""
        return self.listed and self.parts is None and self.value is None


@attrs.frozen(kw_only=True)
class Section:
    """A part of the draft and the figures it carries.

    Attributes:
        key: The part's name in code (``study``).
        mark: Its number as the table of figures writes it (``二``), a message.
        heading: Its heading in the draft, a message.
        figures: Its figures, in the order the draft and the JSON give them.
        missing_as: Set when the ledger has no data for the part as a whole (no paired
            village for 结对共建): what the draft calls it (``结对帮扶``) in its list of what has
            no data, instead of naming each figure.
    """

    key: str
    mark: Message | str
    heading: Message | str
    figures: tuple[Figure, ...]
    missing_as: Message | str | None = None

    def missing(self, lang: Language = SOURCE_LANGUAGE) -> list[str]:
        """What the ledger has no data for in this part, as the draft names it in ``lang``."""
        missing = [
            f.label_in(lang)
            for figure in self.figures
            for f in (figure.parts if figure.parts is not None else (figure,))
            if f.missing
        ]
        if missing and self.missing_as is not None:
            return [render(self.missing_as, lang)]
        return missing


@attrs.frozen
class Reference:
    """How the draft names a record it counted, so that a person finds it in the ledger: its
    day and kind, then the id to look it up by (``2020-03-31 主题党日（zxz-2020-01）``).

    Attributes:
        id: The record's id; for a record within a paired village (a visit, a project), which
            has none, the village's (the first column of its sheet in the workbook).
        day: The record's day (a meeting's, a visit's, a project's application), or ``None``.
        kind: What the record is (主题党日, 走访慰问, 谈心谈话): a message, or the ledger's text.
        month: For a record of a month (a dues payment), the month (``2020-03``) instead of a
            day.
    """

    id: str
    day: dt.date | None = None
    kind: Message | str = ""
    month: str | None = None

    @property
    def when(self) -> str | None:
        """The record's day (``2020-03-31``) or month (``2020-03``), if it has one."""
        return self.day.isoformat() if self.day is not None else self.month

    def named(self, lang: Language = SOURCE_LANGUAGE) -> str:
        """What the record is, before its id: ``2020-03-31 主题党日``, the kind in ``lang``."""
        return " ".join(x for x in (self.when, render(self.kind, lang)) if x)

    def text(self, lang: Language = SOURCE_LANGUAGE) -> str:
        """``2020-03-31 主题党日（zxz-2020-01）``, the kind in ``lang``."""
        return bracketed(self.named(lang), [self.id], lang)


def bracketed(named: str, ids: list[str], lang: Language = SOURCE_LANGUAGE) -> str:
    """``named`` with ``ids`` after it in brackets (``2020-01 党费（df-1、df-2）``); the ids
    alone when nothing names them."""
    return "".join(bracketed_pieces(named, ids, lang))


def bracketed_pieces(named: str, ids: list[str], lang: Language = SOURCE_LANGUAGE) -> list[str]:
    """:func:`bracketed` in pieces that a line may break between and never within: each id
    whole, the first with what names it."""
    sep = render(_LIST, lang)
    if not named:
        return [x + (sep if i < len(ids) - 1 else "") for i, x in enumerate(ids)]
    closing = render(_CLOSE, lang)
    pieces = [x + (sep if i < len(ids) - 1 else closing) for i, x in enumerate(ids)]
    pieces[0] = named + render(_OPEN, lang) + pieces[0]
    return pieces


_LIST = t("、")
_OPEN = tp("bracket", "（")
_CLOSE = tp("bracket", "）")


_OWN = frozenset({"organisation", "period", "sections", "references"})


@attrs.frozen(kw_only=True)
class Figures:
    """The figures of a work summary (工作总结) of one period, in the sections of the draft.

    Look a figure up by its key: ``summary.figure("centre_group_study")`` or
    ``summary["centre_group_study"]`` gives the :class:`Figure` (its label, number, unit and
    records); ``summary.centre_group_study`` gives its record (``Figure.data``: a
    :class:`Count` here), as earlier versions had it.

    Attributes:
        organisation: The ledger's organisation.
        period: The period summarised.
        sections: The parts of the draft, each with its figures.
        references: How the draft names each record the figures were counted from, by the
            source it is in :attr:`Figure.sources` (a record's id, or ``yjc.visits[0]`` for a
            record within a paired village); a source without one is shown as it is.
    """

    organisation: str
    period: Period
    sections: tuple[Section, ...]
    references: dict[str, Reference] = attrs.field(factory=dict, eq=False, repr=False)

    def reference(self, source: str, lang: Language = SOURCE_LANGUAGE) -> str:
        """The source of a figure as a person recognises it (:class:`Reference`), in ``lang``;
        a source the ledger has no record for (a partner enterprise's name) as it is."""
        found = self.references.get(source)
        return found.text(lang) if found is not None else source

    def __attrs_post_init__(self) -> None:
        keys = [f.key for f in self.figures()]
        twice = sorted({k for k in keys if keys.count(k) > 1} | (set(keys) & _OWN))
        if twice:
            raise ValueError(f"figure keys given twice or taken: {', '.join(twice)}")

    def figures(self) -> tuple[Figure, ...]:
        """Every figure, section by section."""
        return tuple(f for s in self.sections for f in s.figures)

    def keys(self) -> tuple[str, ...]:
        """The keys of every figure, in order."""
        return tuple(f.key for f in self.figures())

    def figure(self, key: str) -> Figure:
        """The figure called ``key``.

        Raises:
            KeyError: No figure is called ``key``.
        """
        for s in self.sections:
            for f in s.figures:
                if f.key == key:
                    return f
        raise KeyError(key)

    def section(self, key: str) -> Section:
        """The section called ``key``.

        Raises:
            KeyError: No section is called ``key``.
        """
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def __getitem__(self, key: str) -> Figure:
        return self.figure(key)

    def __contains__(self, key: object) -> bool:
        return key in self.keys()

    def __getattr__(self, name: str) -> Any:
        # The figures' records as attributes (summary.talks), derived from the keys.
        if name.startswith("_") or name in _OWN:
            raise AttributeError(name)
        try:
            return self.figure(name).data
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute or figure {name!r}"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.keys()})

    def missing(self, lang: Language = SOURCE_LANGUAGE) -> list[str]:
        """The figures the ledger has no data for, as the draft lists them in ``lang`` (a part
        that has no data at all, like 结对帮扶 without a paired village, is named once)."""
        return [label for s in self.sections for label in s.missing(lang)]

    def to_data(self) -> dict[str, Any]:
        """The figures as plain data, by key: decimals as text, days as ``YYYY-MM-DD``, periods
        as ``2020H1``, enumerations as their codes."""
        data: dict[str, Any] = {
            "organisation": self.organisation,
            "period": _plain(self.period),
        }
        data.update((f.key, _plain(f.data)) for f in self.figures())
        return data

    def to_json(self) -> str:
        """The figures as JSON (see :meth:`to_data`); what a terminal would obey (C1 controls,
        bidirectional overrides) is written as JSON's escapes."""
        return json_text(json.dumps(self.to_data(), ensure_ascii=False, indent=2)) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Period):
        return str(value)
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, LabelledEnum):
        return value.code
    return value
