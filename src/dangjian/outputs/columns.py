"""One flattening of a finding into columns: each column's name, type and label, once.

CSV (:mod:`dangjian.outputs.csv`), the Excel workbook (:mod:`dangjian.outputs.xlsx`), the data
frame of :meth:`Report.to_frame` and the text and Markdown tables take their columns from here:

>>> [c.name for c in columns("rule", "status", "evidence")]
['rule', 'status', 'evidence']
>>> column("subject_name").label, column("subject_name").label_en
('对象', 'subject')
>>> column("evidence").type, column("citations").type.joiner
(<ColumnType.IDS: 'ids'>, '; ')
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from dangjian.errors import Language
from dangjian.findings import Finding, Gap, Severity, Status

if TYPE_CHECKING:
    from dangjian.report import Report

__all__ = ["COLUMNS", "Column", "ColumnType", "column", "columns"]


class ColumnType(enum.Enum):
    """What a column holds, and how a value is written into one cell of text."""

    TEXT = "text"
    """A text, or ``None``."""
    CODE = "code"
    """The ASCII code of a value of an enumeration (:attr:`Column.categories`), or ``None``."""
    DAY = "day"
    """A :class:`datetime.date`, or ``None``."""
    IDS = "ids"
    """A list of record ids; in one cell, separated by a space."""
    TEXTS = "texts"
    """A list of texts; in one cell, separated by ``; ``."""

    @property
    def joiner(self) -> str:
        """What separates the items of a list in one cell."""
        return " " if self is ColumnType.IDS else "; "


Value = str | dt.date | list[str] | None
"""A value of a column: a text, a day, a list of texts, or ``None`` when absent."""


@attrs.frozen
class Column:
    """One column of the flattening of a finding.

    Attributes:
        name: The column's name (ASCII; CSV's header, the data frame's column).
        type: What it holds.
        label: Its Chinese label (a table's header).
        label_en: Its English label.
        get: The value of a finding, in a report, in a language.
        categories: For a :attr:`ColumnType.CODE` column, every code, in order.
        ordered: Whether the codes are ordered (severity: ``info < warning < error``).
        free_text: Whether it holds text written in the ledger (a name, a reason), in which a
            resident id typed in the wrong field is masked wherever the column is shown alone.
    """

    name: str
    type: ColumnType
    label: str
    label_en: str
    get: Callable[[Finding, Report, Language], Value] = attrs.field(repr=False)
    categories: tuple[str, ...] = ()
    ordered: bool = False
    free_text: bool = False

    def text_label(self, lang: Language = "zh") -> str:
        """The label in ``lang``."""
        return self.label if lang == "zh" else self.label_en

    def value(self, finding: Finding, report: Report, lang: Language = "zh") -> Value:
        """The value of ``finding``: a text, a day, a list of texts or ``None``."""
        return self.get(finding, report, lang)

    def cell(self, finding: Finding, report: Report, lang: Language = "zh") -> str:
        """The value as one cell of text: ``None`` empty, a list joined, a day in ISO 8601."""
        return cell_text(self.type, self.value(finding, report, lang))


def cell_text(type: ColumnType, value: Value) -> str:
    """A value of a column of ``type`` as one cell of text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return type.joiner.join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text(get: Callable[[Finding], str | None]) -> Callable[[Finding, Report, Language], Value]:
    def value(f: Finding, report: Report, lang: Language) -> Value:
        return get(f)

    return value


def _title(f: Finding, report: Report, lang: Language) -> Value:
    return report.title(f.rule, lang)


def _message(f: Finding, report: Report, lang: Language) -> Value:
    return f.text(lang)


def _remedy(f: Finding, report: Report, lang: Language) -> Value:
    return f.gap.remedy(lang) if f.gap else None


def _citations(f: Finding, report: Report, lang: Language) -> Value:
    return [c.render(lang) for c in f.citations]


def _evidence(f: Finding, report: Report, lang: Language) -> Value:
    return list(f.evidence)


def _day(f: Finding, report: Report, lang: Language) -> Value:
    return f.day


COLUMNS: tuple[Column, ...] = (
    Column("rule", ColumnType.TEXT, "规则", "rule", _text(lambda f: f.rule)),
    Column("title", ColumnType.TEXT, "规则名称", "title", _title),
    Column(
        "status",
        ColumnType.CODE,
        "状态",
        "status",
        _text(lambda f: f.status.code),
        categories=tuple(s.code for s in Status),
    ),
    Column(
        "severity",
        ColumnType.CODE,
        "级别",
        "severity",
        _text(lambda f: f.severity.code),
        categories=tuple(s.code for s in Severity),
        ordered=True,
    ),
    Column(
        "subject_kind", ColumnType.TEXT, "对象类别", "subject kind", _text(lambda f: f.subject.kind)
    ),
    Column("subject_id", ColumnType.TEXT, "对象编号", "subject id", _text(lambda f: f.subject.id)),
    Column(
        "subject_name",
        ColumnType.TEXT,
        "对象",
        "subject",
        _text(lambda f: f.subject.name),
        free_text=True,
    ),
    Column("branch", ColumnType.TEXT, "所属组织", "branch", _text(lambda f: f.subject.branch)),
    Column(
        "period",
        ColumnType.TEXT,
        "期间",
        "period",
        _text(lambda f: str(f.period) if f.period else None),
    ),
    Column("day", ColumnType.DAY, "日期", "day", _day),
    Column("message", ColumnType.TEXT, "说明", "message", _message, free_text=True),
    Column(
        "gap",
        ColumnType.CODE,
        "缺少",
        "gap",
        _text(lambda f: f.gap.code if f.gap else None),
        categories=tuple(g.code for g in Gap),
    ),
    Column("remedy", ColumnType.TEXT, "应补记", "to do", _remedy),
    Column("evidence", ColumnType.IDS, "证据", "evidence", _evidence),
    Column("citations", ColumnType.TEXTS, "依据", "citations", _citations),
    Column(
        "waiver_reason",
        ColumnType.TEXT,
        "豁免理由",
        "waiver reason",
        _text(lambda f: f.waiver.reason if f.waiver else None),
        free_text=True,
    ),
)
"""Every column of a finding, in the order of :meth:`Report.to_frame`."""

_BY_NAME = {c.name: c for c in COLUMNS}


def column(name: str) -> Column:
    """The column named ``name``.

    Raises:
        KeyError: There is none.
    """
    return _BY_NAME[name]


def columns(*names: str) -> tuple[Column, ...]:
    """The columns named, in the order given."""
    return tuple(_BY_NAME[n] for n in names)
