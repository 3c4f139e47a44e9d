"""Charts of a ledger for notebooks and reports (needs the ``charts`` extra: matplotlib).

:func:`activity_heatmap` draws how many meetings and study sessions each organisation held in
each month of a period, with the months in which a monthly rule failed marked; :func:`save_chart`
writes a chart to a file.

Chinese text needs a font with Chinese glyphs. dangjian looks for one among the fonts matplotlib
knows (Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang, …) and uses
it. Without one, a raster image (PNG, JPEG) or a PDF would show empty boxes instead of the names,
so :func:`save_chart` refuses to write one; SVG still works, because its text is written as text
(``svg.fonttype = "none"``) that the viewer renders with its own fonts. To install a font:

- Debian, Ubuntu: ``sudo apt-get install fonts-noto-cjk``
- Fedora: ``sudo dnf install google-noto-sans-cjk-fonts``
- macOS, Windows: PingFang and Microsoft YaHei come with the system.

then delete matplotlib's font cache (``fontlist-*.json`` in ``matplotlib.get_cachedir()``) so that
it sees the new font.

matplotlib is imported by the functions here, not when this module is imported.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton

from dangjian._escape import xml_text
from dangjian._files import write_bytes
from dangjian._optional import require
from dangjian.errors import DangjianError
from dangjian.findings import Status
from dangjian.i18n import Message, t
from dangjian.ledger import Ledger
from dangjian.model import Meeting, StudySession
from dangjian.periods import Period, PeriodUnit

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    from dangjian.report import Report

__all__ = [
    "CJK_FONTS",
    "MONTHLY_RULES",
    "activity_counts",
    "activity_heatmap",
    "cjk_font",
    "save_chart",
]

MONTHLY_RULES: tuple[str, ...] = (
    "branch.theme_day",
    "branch.committee_mtg",
    "branch.group_mtg",
)
"""The built-in rules that require an activity every month, whose failures the heat map marks."""

CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "SimHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "AR PL UMing CN",
    "Droid Sans Fallback",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
)
"""Fonts with Chinese glyphs, in the order dangjian prefers them."""

_CJK_HINTS = ("CJK", "Han Sans", "Han Serif", "WenQuanYi", "YaHei", "PingFang", "Hei", "Song")
"""Parts of the names of other fonts that may have Chinese glyphs (their glyphs are checked)."""

_RASTER_HELP = t(
    "没有找到含中文字形的字体，位图或 PDF 中的中文会显示为方框。请安装中文字体"
    "（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk），或改存为 .svg 文件。"
)


def _said(message: Message) -> str:
    """A message in Chinese, then in English in brackets: what a warning or an error says."""
    return f"{message.render()} ({message.render('en')})"


def _matplotlib() -> None:
    require("matplotlib", "charts")


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


@cache
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or ``None`` if there is none.

    The fonts of :data:`CJK_FONTS` come first, in its order; then any other font whose name
    suggests Chinese glyphs and that has the glyph 党.
    """
    _matplotlib()
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    fonts = font_manager.fontManager.ttflist
    names = {f.name for f in fonts}
    for name in CJK_FONTS:
        if name in names:
            return name
    for f in fonts:
        if any(hint in f.name for hint in _CJK_HINTS):
            try:
                if FT2Font(f.fname).get_char_index(ord("党")):
                    return str(f.name)
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def _families() -> list[str]:
    """The font families for the chart's text: the Chinese font, if any, then the default."""
    found = cjk_font()
    return [found, "sans-serif"] if found else ["sans-serif"]


def _months(period: Period) -> list[Period]:
    """The months that ``period`` covers, in part or whole."""
    if period.unit.rank >= PeriodUnit.MONTH.rank:
        return period.subperiods(PeriodUnit.MONTH)
    first = Period.containing(period.start, PeriodUnit.MONTH)
    last = Period.containing(period.end, PeriodUnit.MONTH)
    return [first] if first == last else [first, last]


def _month_labels(months: Sequence[Period]) -> list[str]:
    """``1月`` … ``6月``; with the year when the months span more than one."""
    skeleton = "MMM" if len({m.year for m in months}) == 1 else "yMMM"
    return [format_skeleton(skeleton, m.start, locale="zh_CN") for m in months]


def _matches(rule: str, wanted: Iterable[str]) -> bool:
    return any(rule == w or (w.endswith(".") and rule.startswith(w)) for w in wanted)


def activity_counts(
    ledger: Ledger, period: Period | str
) -> tuple[list[str], list[Period], list[list[int]]]:
    """What :func:`activity_heatmap` draws: the ids of the organisations that exist during
    ``period``, the months, and for each organisation and month the number of its meetings and
    study sessions held in that month (within the period)."""
    if isinstance(period, str):
        period = Period.parse(period)
    orgs = [b.id for b in ledger.branches if period.overlaps(b.founded or dt.date.min, b.dissolved)]
    months = _months(period)
    column = {(m.year, m.index): j for j, m in enumerate(months)}
    counts: Counter[tuple[str, int]] = Counter()
    records: list[Meeting | StudySession] = [*ledger.meetings, *ledger.study_sessions]
    for record in records:
        if record.date in period:
            j = column.get((record.date.year, record.date.month))
            if j is not None:
                counts[record.branch, j] += 1
    return orgs, months, [[counts[o, j] for j in range(len(months))] for o in orgs]


def _cells(
    report: Report,
    status: Status,
    rules: Sequence[str],
    orgs: Sequence[str],
    months: Sequence[Period],
) -> dict[tuple[int, int], list[str]]:
    """The rules of ``rules`` with a finding of ``status`` in each (organisation, month) cell."""
    row = {o: i for i, o in enumerate(orgs)}
    column = {(m.year, m.index): j for j, m in enumerate(months)}
    failed: dict[tuple[int, int], list[str]] = {}
    for f in report.findings:
        if f.status is not status or f.period is None or not _matches(f.rule, rules):
            continue
        if f.period.unit.rank > PeriodUnit.MONTH.rank:
            continue
        i = row.get(f.subject.branch or f.subject.id)
        j = column.get((f.period.start.year, f.period.start.month))
        if i is None or j is None:
            continue
        cell = failed.setdefault((i, j), [])
        if f.rule not in cell:
            cell.append(f.rule)
    return failed


def activity_heatmap(
    ledger: Ledger,
    period: Period | str,
    *,
    report: Report | None = None,
    rules: Sequence[str] = MONTHLY_RULES,
    ax: Axes | None = None,
) -> Figure:
    """A heat map of the meetings and study sessions of each organisation in each month.

    Rows are the organisations that exist during ``period``, by their Chinese names, in ledger
    order; columns are the months of the period (``1月`` … ``6月``); each cell holds the number
    of meetings (of any kind, a party group's included) and study sessions the organisation held
    that month, and is coloured by it. With a ``report`` from :func:`dangjian.check`, a cell
    whose organisation failed one of ``rules`` in that month has a red border and a × (the multiplication sign, which fonts with Chinese glyphs have too), and a
    cell where such a failure was waived (and none failed) a dashed blue border.

    Args:
        ledger: The records.
        period: The period (``2020H1``): at most a year.
        report: A report of a check over the period, for the failures to mark.
        rules: The rules whose failures are marked: ids, or prefixes ending in ``.``; by default
            the built-in monthly rules (主题党日, 支委会, 党小组会). A failure is marked in the
            row of its subject's organisation and the column of its sub-period's month (a
            weekly rule's failure in its week's first month).
        ax: Axes to draw into; a new figure is made when none is given.

    Returns:
        The figure drawn into. It is made without pyplot, so a notebook shows it once, as the
        cell's value; write it to a file with :func:`save_chart`.

    Raises:
        DangjianError: matplotlib is not installed, or no organisation exists during the period.

    Without a font with Chinese glyphs the figure is still made, with a warning: save it as SVG.
    """
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    if isinstance(period, str):
        period = Period.parse(period)
    orgs, months, counts = activity_counts(ledger, period)
    if not orgs:
        nothing = t(
            "{period}期间台账中没有存续的党组织，无法作图",
            period=period.label(),
            code=str(period),
        )
        raise DangjianError(_said(nothing))
    families = _families()
    if cjk_font() is None:
        warnings.warn(_said(_RASTER_HELP), stacklevel=2)
    text: dict[str, Any] = {"fontfamily": families}

    owner: Figure | SubFigure
    if ax is None:
        owner = Figure(
            figsize=(
                2.5 + 0.75 * len(months) + 0.12 * max(len(ledger.branch(o).name) for o in orgs),
                1.6 + 0.45 * len(orgs),
            ),
            layout="constrained",
        )
        ax = owner.add_subplot()
    else:
        owner = ax.figure
    top = max(max(row) for row in counts) or 1
    image = ax.imshow(counts, cmap="YlGn", vmin=0, vmax=top, aspect="auto")
    ax.set_xticks(range(len(months)), labels=_month_labels(months), **text)
    ax.set_yticks(range(len(orgs)), labels=[ledger.branch(o).name for o in orgs], **text)
    ax.tick_params(length=0)
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            ax.text(
                j, i, str(n), ha="center", va="center",
                color="white" if n > top * 0.6 else "black", gid=f"count:{orgs[i]}:{months[j]}",
                **text,
            )  # fmt: skip
    failed, waived = {}, {}
    if report is not None:
        failed = _cells(report, Status.FAILED, rules, orgs, months)
        waived = _cells(report, Status.WAIVED, rules, orgs, months)
    for (i, j), waived_rules in sorted(waived.items()):
        if (i, j) not in failed:
            ax.add_patch(
                Rectangle(
                    (j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#0969da", linewidth=1.5,
                    linestyle="--", gid=f"waived:{orgs[i]}:{months[j]}",
                    label=" ".join(waived_rules),
                )
            )  # fmt: skip
    for (i, j), failed_rules in sorted(failed.items()):
        ax.add_patch(
            Rectangle(
                (j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#cf222e", linewidth=2.5,
                gid=f"failed:{orgs[i]}:{months[j]}", label=" ".join(failed_rules),
            )
        )  # fmt: skip
        ax.text(
            j + 0.42, i - 0.42, "×", ha="right", va="top", color="#cf222e",
            fontweight="bold", gid=f"failed-mark:{orgs[i]}:{months[j]}", **text,
        )  # fmt: skip
    colorbar = owner.colorbar(image, ax=ax)
    count = t("次数")
    colorbar.set_label(f"{count.render()} ({count.render('en')})", **text)
    title = t("{name} {period}：会议和学习次数", name=ledger.name, period=period.label()).render()
    if report is not None:
        title += "\n" + t("红框 ×：当月未达到规则要求；蓝色虚线框：已豁免").render()
        rules_shown = t("规则：{rules}", rules="、".join(rules)).render()
        ax.set_xlabel(rules_shown, fontsize="small", **text)
    ax.set_title(title, fontsize="medium", **text)
    while not isinstance(owner, Figure):  # a subfigure's figure
        owner = owner.figure
    return owner


_SVG = ("svg", "svgz")
"""SVG, plain or compressed: text stays text, drawn by the viewer's fonts."""


def save_chart(fig: Figure, path: str | os.PathLike[str], **savefig: Any) -> None:
    """Write ``fig`` to ``path`` in the format its suffix names (``.svg``, ``.png``, ``.pdf`` …).

    SVG keeps text as text (``svg.fonttype = "none"``) with the Chinese fonts first in its font
    list, so the viewer draws the Chinese with its own fonts and no font is needed here. Any other
    format draws the glyphs itself and needs a font with Chinese glyphs when the figure has
    Chinese text. The file is replaced in one step, as :func:`dangjian.dump` does: a drawing
    that fails leaves the file that was there as it was. In SVG, characters that XML cannot hold
    (control characters in the ledger's names) are shown as escapes (``\\x01``).

    Args:
        fig: The figure.
        path: Where to write it.
        savefig: Passed on to :meth:`matplotlib.figure.Figure.savefig` (``dpi=200`` …).

    Raises:
        DangjianError: the suffix is not a format matplotlib writes, or the figure has Chinese
            text, the format is not SVG and no font with Chinese glyphs is installed.
    """
    _matplotlib()
    import matplotlib as mpl
    from matplotlib.text import Text

    suffix = Path(path).suffix.lower().lstrip(".")
    supported = fig.canvas.get_supported_filetypes()
    if suffix not in supported:
        unknown = t(
            "{path}：无法根据扩展名判断图片格式，可用：{formats}",
            path=os.fspath(path),
            formats="、".join(sorted(supported)),
            suffix=suffix,
            formats_en=", ".join(sorted(supported)),
        )
        raise DangjianError(_said(unknown))
    found = cjk_font()
    if (
        suffix not in _SVG
        and found is None
        and any(_has_chinese(x.get_text()) for x in fig.findobj(Text) if isinstance(x, Text))
    ):
        raise DangjianError(_said(_RASTER_HELP))
    fonts = [*([found] if found else CJK_FONTS), *mpl.rcParams["font.sans-serif"]]
    with (
        mpl.rc_context({"font.sans-serif": fonts, "svg.fonttype": "none"}),
        warnings.catch_warnings(),
    ):
        # SVG text is text: glyphs missing from the fonts here do not matter there.
        if suffix in _SVG:
            warnings.filterwarnings(
                "ignore", message=r"Glyph \d+ .*missing from", category=UserWarning
            )
        content = io.BytesIO()  # the whole drawing is made before the file is opened
        fig.savefig(content, format=suffix, **savefig)
    data = content.getvalue()
    if suffix in _SVG:
        data = _xml_safe(data, zipped=suffix == "svgz")
    write_bytes(path, data)


def _xml_safe(svg: bytes, *, zipped: bool) -> bytes:
    """An SVG drawing with the characters that XML cannot hold (control characters in a ledger's
    names, which matplotlib writes as they are) shown as escapes (``\\x01``), so that it parses."""
    text = (gzip.decompress(svg) if zipped else svg).decode("utf-8")
    safe = xml_text(text).encode("utf-8")
    return gzip.compress(safe, mtime=0) if zipped else safe
