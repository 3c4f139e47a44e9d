"""Charts of a ledger for notebooks and reports (needs the ``charts`` extra: matplotlib).

:func:`activity_heatmap` draws how many meetings and study sessions each organisation and each of
its party groups held in each month of a period, with the months in which a monthly rule failed
or was waived marked. It returns a :class:`Chart`: a notebook shows it as the cell's value (as a
PNG, or as SVG where no font with Chinese glyphs is installed), ``chart.figure`` is the
matplotlib figure, and ``chart.save(path)`` (or :func:`save_chart`) writes it to a file.

Chinese text needs a font with Chinese glyphs. dangjian looks for one among the fonts matplotlib
knows (Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang, …) and uses
it. Without one, a raster image (PNG, JPEG) or a PDF would show empty boxes instead of the names,
so :func:`save_chart` refuses to write one; SVG still works, because its text is written as text
(``svg.fonttype = "none"``) that the viewer renders with its own fonts. To install a font:

- Debian, Ubuntu: ``sudo apt-get install fonts-noto-cjk``
- Fedora: ``sudo dnf install google-noto-sans-cjk-fonts``
- macOS, Windows: PingFang and Microsoft YaHei come with the system.

A font installed after matplotlib made its font cache is found too: when the cache knows no font
with Chinese glyphs, dangjian adds the fonts installed since to matplotlib's list (for the
running process; the cache file is left as it is).

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

import attrs
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
    "Chart",
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
    suggests Chinese glyphs and that has the glyph 党. matplotlib lists the fonts it found when it
    made its font cache; when none of them has Chinese glyphs, the fonts installed since (which
    that cache does not know) are added to its list for this process first, so that a font
    installed after the cache was made is found without deleting the cache by hand.
    """
    _matplotlib()
    from matplotlib import font_manager

    found = _cjk_among(font_manager.fontManager.ttflist)
    if found is None and _add_new_system_fonts():
        found = _cjk_among(font_manager.fontManager.ttflist)
    return found


def _cjk_among(fonts: list[Any]) -> str | None:
    from matplotlib.ft2font import FT2Font

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


def _add_new_system_fonts() -> bool:
    """Add the installed fonts that matplotlib's font list lacks (those installed after its
    font cache was made) to the list, for this process; whether any was added."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {os.path.realpath(f.fname) for f in manager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if os.path.realpath(path) in known:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # a font file FreeType cannot read
            continue
        added = True
    return added


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


def _rows(ledger: Ledger, period: Period) -> list[tuple[str, str, str | None]]:
    """The rows of the heat map: ``(key, label, group id)`` for each organisation that exists
    during ``period``, in ledger order, each followed by its party groups (their key
    ``branch/group``, their name, their group id)."""
    rows: list[tuple[str, str, str | None]] = []
    for b in ledger.branches:
        if not period.overlaps(b.founded or dt.date.min, b.dissolved):
            continue
        rows.append((b.id, b.name, None))
        rows += [(f"{b.id}/{g.id}", g.name, g.id) for g in ledger.groups if g.branch == b.id]
    return rows


def activity_counts(
    ledger: Ledger, period: Period | str
) -> tuple[list[str], list[Period], list[list[int]]]:
    """What :func:`activity_heatmap` draws: the rows, the months, and for each row and month the
    number of meetings and study sessions held in that month (within the period).

    The rows are the ids of the organisations that exist during ``period``, each followed by its
    party groups as ``branch/group`` (``jg1/jg1-g1``). A meeting or study session of a party
    group counts in the group's row, not in its organisation's; the rest in the organisation's.
    """
    if isinstance(period, str):
        period = Period.parse(period)
    rows = _rows(ledger, period)
    row = {key: i for i, (key, _, _) in enumerate(rows)}
    months = _months(period)
    column = {(m.year, m.index): j for j, m in enumerate(months)}
    counts: Counter[tuple[int, int]] = Counter()
    records: list[Meeting | StudySession] = [*ledger.meetings, *ledger.study_sessions]
    for record in records:
        if record.date in period:
            j = column.get((record.date.year, record.date.month))
            i = row.get(f"{record.branch}/{record.group}" if record.group else record.branch)
            if i is None:  # a group not in the ledger's groups: its organisation's row
                i = row.get(record.branch)
            if i is not None and j is not None:
                counts[i, j] += 1
    return (
        [key for key, _, _ in rows],
        months,
        [[counts[i, j] for j in range(len(months))] for i in range(len(rows))],
    )


def _cells(
    report: Report,
    status: Status,
    rules: Sequence[str],
    orgs: Sequence[str],
    months: Sequence[Period],
) -> dict[tuple[int, int], list[str]]:
    """The rules of ``rules`` with a finding of ``status`` in each (row, month) cell: a finding
    on a party group in the group's row, any other in its organisation's."""
    row = {o: i for i, o in enumerate(orgs)}
    column = {(m.year, m.index): j for j, m in enumerate(months)}
    failed: dict[tuple[int, int], list[str]] = {}
    for f in report.findings:
        if f.status is not status or f.period is None or not _matches(f.rule, rules):
            continue
        if f.period.unit.rank > PeriodUnit.MONTH.rank:
            continue
        if f.subject.kind == "group" and f.subject.branch:
            i = row.get(f"{f.subject.branch}/{f.subject.id}")
        else:
            i = row.get(f.subject.branch or f.subject.id)
        j = column.get((f.period.start.year, f.period.start.month))
        if i is None or j is None:
            continue
        cell = failed.setdefault((i, j), [])
        if f.rule not in cell:
            cell.append(f.rule)
    return failed


@attrs.define(eq=False, repr=False)
class Chart:
    """A chart that shows itself in a notebook and writes itself to a file.

    As a notebook cell's value it shows one image: a PNG where a font with Chinese glyphs is
    installed, else an SVG (whose text the browser draws with its own fonts); :attr:`format`
    says which, and may be set (``"png"`` still shows an SVG where no such font is installed). :meth:`to_png` and :meth:`to_svg` give either one always.
    Attributes it does not have are the figure's (``chart.axes``, ``chart.savefig``), so code
    written for the figure that :func:`activity_heatmap` returned before keeps working.

    Attributes:
        figure: The matplotlib figure.
        title: What it shows, in one line (its plain-text ``repr``).
        format: ``"png"`` or ``"svg"``: the image a notebook shows.
        dpi: The resolution of the PNG a notebook shows.
    """

    figure: Figure
    title: str = ""
    format: str = attrs.field(factory=lambda: "png" if cjk_font() else "svg")
    dpi: int = 80

    def save(self, path: str | os.PathLike[str], **savefig: Any) -> None:
        """Write the chart to ``path`` in the format its suffix names, replacing the file in one
        step; see :func:`save_chart`."""
        save_chart(self.figure, path, **savefig)

    def to_svg(self) -> str:
        """The chart as SVG, its text as text (see :func:`save_chart`)."""
        return _drawn(self.figure, "svg").decode("utf-8")

    def to_png(self, dpi: int | None = None) -> bytes:
        """The chart as PNG, at ``dpi`` (by default :attr:`dpi`).

        Raises:
            DangjianError: the chart has Chinese text and no font with Chinese glyphs is
                installed.
        """
        return _drawn(self.figure, "png", dpi=dpi or self.dpi)

    def _shown(self) -> str:
        """The format a notebook shows: :attr:`format`, but SVG where a PNG would show the
        Chinese as empty boxes (no font with Chinese glyphs)."""
        return "png" if self.format == "png" and cjk_font() is not None else "svg"

    def _repr_png_(self) -> bytes | None:
        return self.to_png() if self._shown() == "png" else None

    def _repr_svg_(self) -> str | None:
        return self.to_svg() if self._shown() == "svg" else None

    def __repr__(self) -> str:
        return f"<Chart {self.title}>" if self.title else "<Chart>"

    def __getattr__(self, name: str) -> Any:
        # the figure's attributes, but not its display in a notebook: the chart's own is shown
        if name.startswith(("__", "_repr_", "_ipython_")) or name == "figure":
            raise AttributeError(name)
        return getattr(self.figure, name)


def activity_heatmap(
    ledger: Ledger,
    period: Period | str,
    *,
    report: Report | None = None,
    rules: Sequence[str] = MONTHLY_RULES,
    ax: Axes | None = None,
) -> Chart:
    """A heat map of the meetings and study sessions of each organisation in each month.

    Rows are the organisations that exist during ``period``, by their Chinese names, in ledger
    order, each followed by its party groups (in smaller grey type); columns are the months of the period
    (``1月`` … ``6月``). Each cell holds the number of meetings (of any kind) and study sessions
    held that month, and is coloured by it: a party group's in the group's row, the
    organisation's own in its row. With a ``report`` from :func:`dangjian.check`, a cell whose
    organisation or group failed one of ``rules`` in that month has a red border and a ×, and a
    cell where such a finding was waived a dashed blue border and the mark 免 (both, where one
    rule failed and another was waived). A legend below says so in Chinese.

    Args:
        ledger: The records.
        period: The period (``2020H1``): at most a year.
        report: A report of a check over the period, for the failures to mark.
        rules: The rules whose failures are marked: ids, or prefixes ending in ``.``; by default
            the built-in monthly rules (主题党日, 支委会, 党小组会). A finding is marked in the
            row of its subject (a party group's own row; any other subject's organisation) and
            the column of its sub-period's month (a weekly rule's in its week's first month).
        ax: Axes to draw into; a new figure is made when none is given.

    Returns:
        The chart: a notebook shows it as the cell's value; ``chart.figure`` is the figure
        drawn into (made without pyplot), ``chart.save(path)`` writes it to a file.

    Raises:
        DangjianError: matplotlib is not installed, or no organisation exists during the period.

    Without a font with Chinese glyphs the figure is still made, with a warning: save it as SVG.
    """
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

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
    rows = _rows(ledger, period)
    labels = [label for _, label, _ in rows]
    families = _families()
    if cjk_font() is None:
        warnings.warn(_said(_RASTER_HELP), stacklevel=2)
    text: dict[str, Any] = {"fontfamily": families}

    owner: Figure | SubFigure
    if ax is None:
        owner = Figure(
            figsize=(
                2.5 + 0.75 * len(months) + 0.12 * max(len(label) for label in labels),
                2.2 + 0.4 * len(orgs),
            ),
            layout="constrained",
        )
        ax = owner.add_subplot()
    else:
        owner = ax.figure
    top = max(max(row) for row in counts) or 1
    image = ax.imshow(counts, cmap="YlGn", vmin=0, vmax=top, aspect="auto")
    ax.set_xticks(range(len(months)), labels=_month_labels(months), **text)
    ax.set_yticks(range(len(orgs)), labels=labels, **text)
    ax.tick_params(length=0)
    for tick, (_, _, group) in zip(ax.get_yticklabels(), rows, strict=True):
        if group is not None:  # a party group: smaller and grey, under its organisation
            tick.set_color("#57606a")
            tick.set_fontsize("small")
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
        ax.add_patch(
            Rectangle(
                (j - 0.46, i - 0.46), 0.92, 0.92, fill=False, edgecolor=_WAIVED, linewidth=1.5,
                linestyle="--", gid=f"waived:{orgs[i]}:{months[j]}",
                label=" ".join(waived_rules),
            )
        )  # fmt: skip
        ax.text(
            j - 0.42, i - 0.42, _WAIVED_MARK, ha="left", va="top", color=_WAIVED,
            fontsize="small", gid=f"waived-mark:{orgs[i]}:{months[j]}", **text,
        )  # fmt: skip
    for (i, j), failed_rules in sorted(failed.items()):
        ax.add_patch(
            Rectangle(
                (j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=_FAILED, linewidth=2.5,
                gid=f"failed:{orgs[i]}:{months[j]}", label=" ".join(failed_rules),
            )
        )  # fmt: skip
        ax.text(
            j + 0.42, i - 0.42, "×", ha="right", va="top", color=_FAILED,
            fontsize="large", gid=f"failed-mark:{orgs[i]}:{months[j]}", **text,
        )  # fmt: skip
    colorbar = owner.colorbar(image, ax=ax)
    colorbar.set_label(t("会议和学习次数").render(), **text)
    title = t("{name} {period}：会议和学习次数", name=ledger.name, period=period.label()).render()
    if report is not None:
        rules_shown = t("规则：{rules}", rules="、".join(rules)).render()
        ax.set_xlabel(rules_shown, fontsize="small", **text)
        handles = [
            Line2D(
                [], [], marker="$×$", color=_FAILED, markeredgecolor=_FAILED, linestyle="none",
                label=t("不符合：当月未达到规则要求").render(),
            ),
            Patch(
                fill=False, edgecolor=_WAIVED, linestyle="--",
                label=t("{mark}：已豁免", mark=_WAIVED_MARK).render(),
            ),
        ]  # fmt: skip
        ax.legend(
            handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2,
            frameon=False, prop={"family": families, "size": "small"},
        )  # fmt: skip
    ax.set_title(title, fontsize="medium", **text)
    while not isinstance(owner, Figure):  # a subfigure's figure
        owner = owner.figure
    return Chart(owner, title=title)


_FAILED = "#cf222e"
_WAIVED = "#0969da"
_WAIVED_MARK = "免"
"""The mark of a waived month: 免 (豁免)."""


_SVG = ("svg", "svgz")
"""SVG, plain or compressed: text stays text, drawn by the viewer's fonts."""


def save_chart(fig: Chart | Figure, path: str | os.PathLike[str], **savefig: Any) -> None:
    """Write ``fig`` to ``path`` in the format its suffix names (``.svg``, ``.png``, ``.pdf`` …).

    SVG keeps text as text (``svg.fonttype = "none"``) with the Chinese fonts first in its font
    list, so the viewer draws the Chinese with its own fonts and no font is needed here. Any other
    format draws the glyphs itself and needs a font with Chinese glyphs when the figure has
    Chinese text. The file is replaced in one step, as :func:`dangjian.dump` does: a drawing
    that fails leaves the file that was there as it was. In SVG, characters that XML cannot hold
    (control characters in the ledger's names) are shown as escapes (``\\x01``).

    Args:
        fig: The chart, or a matplotlib figure.
        path: Where to write it.
        savefig: Passed on to :meth:`matplotlib.figure.Figure.savefig` (``dpi=200`` …).

    Raises:
        DangjianError: the suffix is not a format matplotlib writes, or the figure has Chinese
            text, the format is not SVG and no font with Chinese glyphs is installed.
    """
    _matplotlib()
    figure = fig.figure if isinstance(fig, Chart) else fig
    suffix = Path(path).suffix.lower().lstrip(".")
    supported = figure.canvas.get_supported_filetypes()
    if suffix not in supported:
        unknown = t(
            "{path}：无法根据扩展名判断图片格式，可用：{formats}",
            path=os.fspath(path),
            formats="、".join(sorted(supported)),
            suffix=suffix,
            formats_en=", ".join(sorted(supported)),
        )
        raise DangjianError(_said(unknown))
    write_bytes(path, _drawn(figure, suffix, **savefig))


def _drawn(fig: Figure, suffix: str, **savefig: Any) -> bytes:
    """``fig`` drawn in the format ``suffix`` (one that matplotlib writes); see :func:`save_chart`.

    Raises:
        DangjianError: the figure has Chinese text, the format is not SVG and no font with
            Chinese glyphs is installed.
    """
    import matplotlib as mpl
    from matplotlib.text import Text

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
        if suffix in _SVG:  # no date in it: the same chart gives the same file
            savefig = {"metadata": {"Date": None}, **savefig}
        fig.savefig(content, format=suffix, **savefig)
    data = content.getvalue()
    if suffix in _SVG:
        data = _xml_safe(data, zipped=suffix == "svgz")
    return data


def _xml_safe(svg: bytes, *, zipped: bool) -> bytes:
    """An SVG drawing with the characters that XML cannot hold (control characters in a ledger's
    names, which matplotlib writes as they are) shown as escapes (``\\x01``), so that it parses."""
    text = (gzip.decompress(svg) if zipped else svg).decode("utf-8")
    safe = xml_text(text).encode("utf-8")
    return gzip.compress(safe, mtime=0) if zipped else safe
