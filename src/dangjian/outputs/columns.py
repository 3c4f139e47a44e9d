"""One flattening of a finding into columns: each column's name, type and label, once.

CSV (:mod:`dangjian.outputs.csv`), the Excel workbook (:mod:`dangjian.outputs.xlsx`), the data
frame of :meth:`Report.to_frame` and the text and Markdown tables take their columns from here:

>>> [c.name for c in columns("rule", "status", "evidence")]
['rule', 'status', 'evidence']
>>> column("subject_name").text_label(), column("subject_name").text_label("en")
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
from dangjian.i18n import Message, tp

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
        label: Its label (a table's header), a message of the catalogs (context ``column``).
        get: The value of a finding, in a report, in a language.
        categories: For a :attr:`ColumnType.CODE` column, every code, in order.
        ordered: Whether the codes are ordered (severity: ``info < warning < error``).
        free_text: Whether it holds text written in the ledger (a name, a reason), in which a
            resident id typed in the wrong field is masked wherever the column is shown alone.
    """

    name: str
    type: ColumnType
    label: Message
    get: Callable[[Finding, Report, Language], Value] = attrs.field(repr=False)
    categories: tuple[str, ...] = ()
    ordered: bool = False
    free_text: bool = False

    def text_label(self, lang: Language = "zh") -> str:
        """The label in ``lang``."""
        return self.label.render(lang)

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
    Column("rule", ColumnType.TEXT, tp("column", "规则"), _text(lambda f: f.rule)),
    Column("title", ColumnType.TEXT, tp("column", "规则名称"), _title),
    Column(
        "status",
        ColumnType.CODE,
        tp("column", "状态"),
        _text(lambda f: f.status.code),
        categories=tuple(s.code for s in Status),
    ),
    Column(
        "severity",
        ColumnType.CODE,
        tp("column", "级别"),
        _text(lambda f: f.severity.code),
        categories=tuple(s.code for s in Severity),
        ordered=True,
    ),
    Column(
        "subject_kind", ColumnType.TEXT, tp("column", "对象类别"), _text(lambda f: f.subject.kind)
    ),
    Column("subject_id", ColumnType.TEXT, tp("column", "对象编号"), _text(lambda f: f.subject.id)),
    Column(
        "subject_name",
        ColumnType.TEXT,
        tp("column", "对象"),
        _text(lambda f: f.subject.name),
        free_text=True,
    ),
    Column("branch", ColumnType.TEXT, tp("column", "所属组织"), _text(lambda f: f.subject.branch)),
    Column(
        "period",
        ColumnType.TEXT,
        tp("column", "期间"),
        _text(lambda f: str(f.period) if f.period else None),
    ),
    Column("day", ColumnType.DAY, tp("column", "日期"), _day),
    Column("message", ColumnType.TEXT, tp("column", "说明"), _message, free_text=True),
    Column(
        "gap",
        ColumnType.CODE,
        tp("column", "缺少"),
        _text(lambda f: f.gap.code if f.gap else None),
        categories=tuple(g.code for g in Gap),
    ),
    Column("remedy", ColumnType.TEXT, tp("column", "应补记"), _remedy),
    Column("evidence", ColumnType.IDS, tp("column", "证据"), _evidence),
    Column("citations", ColumnType.TEXTS, tp("column", "依据"), _citations),
    Column(
        "waiver_reason",
        ColumnType.TEXT,
        tp("column", "豁免理由"),
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
