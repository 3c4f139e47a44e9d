"""The activity heat map: counts per organisation and month, failures marked, Chinese text kept.

No test depends on the fonts installed: the font lookup is replaced where it matters, and the
one test that needs a real font with Chinese glyphs is skipped without one.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import dangjian
from dangjian import DangjianError, Ledger, Report, Status

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from dangjian import charts  # noqa: E402

MONTHS = ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"]

# Without a font with Chinese glyphs, making a chart warns; the tests below expect that.
pytestmark = pytest.mark.filterwarnings("ignore:没有找到含中文字形的字体")


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "cjk_font", lambda: None)


@pytest.fixture
def glyphs_missing_ignored() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+", category=UserWarning)
        yield


def gids(fig: Figure, prefix: str, kind: type = Rectangle) -> set[str]:
    return {
        a.get_gid()
        for a in fig.axes[0].findobj(kind)
        if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)
    }


def rows(ledger: Ledger) -> list[tuple[str, str, str | None]]:
    """The rows the heat map should have: each organisation, then each of its groups."""
    out: list[tuple[str, str, str | None]] = []
    for b in ledger.branches:
        out.append((b.id, b.name, None))
        out += [(f"{b.id}/{g.id}", g.name, g.id) for g in ledger.groups if g.branch == b.id]
    return out


def test_rows_and_columns_are_organisations_and_their_groups_and_months(
    example: tuple[Ledger, Report],
) -> None:
    ledger, report = example
    chart = charts.activity_heatmap(ledger, "2020H1", report=report)
    assert isinstance(chart, charts.Chart) and isinstance(chart.figure, Figure)
    ax = chart.figure.axes[0]
    expected = rows(ledger)
    assert len(ledger.groups) == 6 and len(expected) == len(ledger.branches) + 6
    assert [t.get_text() for t in ax.get_yticklabels()] == [label for _, label, _ in expected]
    assert charts.activity_counts(ledger, "2020H1")[0] == [key for key, _, _ in expected]
    # a group's label is set apart from its organisation's
    colours = {t.get_text(): t.get_color() for t in ax.get_yticklabels()}
    assert colours[ledger.groups[0].name] != colours[ledger.branches[0].name]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{m}月" for m in range(1, 7)]


def test_cells_hold_the_counts_of_meetings_and_study(example: tuple[Ledger, Report]) -> None:
    ledger, _ = example
    # one of the example's meetings held by a party group, to see it counted in the group's row
    held = attrs.evolve(ledger.meetings[0], group="jg1-g1")
    ledger = attrs.evolve(ledger, meetings=(held, *ledger.meetings[1:]))
    assert held.branch == "jg1"
    fig = charts.activity_heatmap(ledger, dangjian.Period.parse("2020H1"))
    records = [*ledger.meetings, *ledger.study_sessions]
    expected = [
        [
            sum(
                1
                for r in records
                if r.branch == b.id and r.group == group and r.date.strftime("%Y-%m") == month
            )
            for month in MONTHS
        ]
        for b in ledger.branches
        for group in (None, *(g.id for g in ledger.groups if g.branch == b.id))
    ]
    assert fig.axes[0].images[0].get_array().tolist() == expected
    group_row = [key for key, _, _ in rows(ledger)].index("jg1/jg1-g1")
    assert sum(expected[group_row]) == 1  # the group's meeting, not its branch's
    texts = {
        t.get_gid(): t.get_text()
        for t in fig.axes[0].texts
        if str(t.get_gid()).startswith("count:")
    }
    for (key, _, _), row in zip(rows(ledger), expected, strict=True):
        for month, n in zip(MONTHS, row, strict=True):
            assert texts[f"count:{key}:{month}"] == str(n)
    assert sum(map(sum, expected)) == len(ledger.meetings) + len(ledger.study_sessions)


def row_of(f: dangjian.Finding) -> str:
    """The key of the row a finding is marked in: a group's own, else its organisation's."""
    if f.subject.kind == "group":
        return f"{f.subject.branch}/{f.subject.id}"
    return f.subject.branch or f.subject.id


def test_failed_cells_are_marked(example: tuple[Ledger, Report]) -> None:
    ledger, report = example
    fig = charts.activity_heatmap(ledger, "2020H1", report=report)
    expected = {
        f"failed:{row_of(f)}:{f.period}"
        for f in report.findings
        if f.status is Status.FAILED and f.rule in charts.MONTHLY_RULES
    }
    assert expected, "the example fails branch.group_mtg"
    # the groups fail branch.group_mtg, their organisations do not: no organisation is marked
    assert all("/" in g for g in expected)
    assert gids(fig, "failed:") == expected
    marks = gids(fig, "failed-mark:", Text)
    assert marks == {g.replace("failed:", "failed-mark:") for g in expected}
    assert all(t.get_text() == "×" for t in fig.axes[0].texts if t.get_gid() in marks)
    for patch in fig.axes[0].patches:
        if str(patch.get_gid()).startswith("failed:"):
            assert patch.get_label() == "branch.group_mtg"
            assert patch.get_edgecolor()[:3] == pytest.approx((0xCF / 255, 0x22 / 255, 0x2E / 255))


def test_only_the_rules_asked_for_are_marked(example: tuple[Ledger, Report]) -> None:
    ledger, report = example
    fig = charts.activity_heatmap(ledger, "2020H1", report=report, rules=("branch.theme_day",))
    assert gids(fig, "failed:") == set()
    # the example's February theme days were waived (gatherings suspended)
    waived = report.filter(rule="branch.theme_day", status="waived").findings
    assert {str(f.period) for f in waived} == {"2020-02"}
    assert gids(fig, "waived:") == {f"waived:{f.subject.branch}:2020-02" for f in waived}
    marks = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    for f in waived:  # a mark of its own, not only a border
        assert marks[f"waived-mark:{f.subject.branch}:2020-02"] == "免"
    prefix = charts.activity_heatmap(ledger, "2020H1", report=report, rules=("branch.",))
    assert gids(prefix, "failed:") == gids(
        charts.activity_heatmap(ledger, "2020H1", report=report), "failed:"
    )
    plain = charts.activity_heatmap(ledger, "2020H1")
    assert gids(plain, "failed:") == gids(plain, "waived:") == set()


def test_draws_into_given_axes_and_other_periods(example: tuple[Ledger, Report]) -> None:
    ledger, _ = example
    fig = Figure()
    _, right = fig.subplots(1, 2)
    assert charts.activity_heatmap(ledger, "2020Q2", ax=right).figure is fig
    assert [t.get_text() for t in right.get_xticklabels()] == ["4月", "5月", "6月"]
    week = charts.activity_heatmap(ledger, "2020-W14")  # 30 March to 5 April
    assert [t.get_text() for t in week.axes[0].get_xticklabels()] == ["3月", "4月"]
    counts = week.axes[0].images[0].get_array().tolist()
    in_week = [
        r
        for r in (*ledger.meetings, *ledger.study_sessions)
        if dt.date(2020, 3, 30) <= r.date <= dt.date(2020, 4, 5)
    ]
    assert sum(map(sum, counts)) == len(in_week)
    with pytest.raises(DangjianError, match="没有存续的党组织"):
        charts.activity_heatmap(Ledger(name="空"), "2020H1")


def test_svg_keeps_the_chinese_names_as_text(
    example: tuple[Ledger, Report], tmp_path: Path, no_cjk_font: None
) -> None:
    ledger, report = example
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        fig = charts.activity_heatmap(ledger, "2020H1", report=report)
    path = tmp_path / "activity.svg"
    before = matplotlib.rcParams["svg.fonttype"], list(matplotlib.rcParams["font.sans-serif"])
    charts.save_chart(fig, path)
    after = matplotlib.rcParams["svg.fonttype"], list(matplotlib.rcParams["font.sans-serif"])
    assert before == after  # the settings for saving do not leak
    svg = path.read_text(encoding="utf-8")
    for branch in ledger.branches:
        assert f">{branch.name}</text>" in svg  # text, not glyph outlines
    assert ">1月</text>" in svg
    assert "'Noto Sans CJK SC'" in svg  # viewers are told which fonts to try


def test_raster_without_a_chinese_font_is_refused(
    example: tuple[Ledger, Report], tmp_path: Path, no_cjk_font: None
) -> None:
    ledger, _ = example
    fig = charts.activity_heatmap(ledger, "2020H1")
    for name in ("activity.png", "activity.pdf", "activity.jpg"):
        with pytest.raises(DangjianError, match="apt-get install fonts-noto-cjk") as info:
            charts.save_chart(fig, tmp_path / name)
        assert ".svg" in str(info.value)
        assert not (tmp_path / name).exists()
    # a figure without Chinese text needs no Chinese font
    plain = Figure()
    plain.add_subplot().set_title("activity")
    charts.save_chart(plain, tmp_path / "plain.png")
    assert (tmp_path / "plain.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_raster_with_a_font_found_is_written(
    example: tuple[Ledger, Report],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    glyphs_missing_ignored: None,
) -> None:
    # any installed font stands in for a Chinese one: what is tested is the way to the file
    monkeypatch.setattr(charts, "cjk_font", lambda: "DejaVu Sans")
    ledger, report = example
    fig = charts.activity_heatmap(ledger, "2020H1", report=report)
    assert fig.axes[0].get_yticklabels()[0].get_fontfamily()[0] == "DejaVu Sans"
    charts.save_chart(fig, tmp_path / "activity.png", dpi=50)
    assert (tmp_path / "activity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_with_a_real_chinese_font(example: tuple[Ledger, Report], tmp_path: Path) -> None:
    font = charts.cjk_font()
    if font is None:
        pytest.skip(
            "no font with Chinese glyphs installed (Debian: apt-get install fonts-noto-cjk)"
        )
    ledger, report = example
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph \d+")  # a missing glyph would warn
        fig = charts.activity_heatmap(ledger, "2020H1", report=report)
        charts.save_chart(fig, tmp_path / "activity.png", dpi=50)
    assert (tmp_path / "activity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_font_lookup_prefers_known_fonts_and_checks_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans")

    def entry(name: str) -> font_manager.FontEntry:
        return font_manager.FontEntry(fname=dejavu, name=name)

    fonts = [entry("DejaVu Sans"), entry("WenQuanYi Zen Hei"), entry("Noto Sans CJK SC")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fonts)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [])  # nothing installed since
    charts.cjk_font.cache_clear()
    try:
        assert charts.cjk_font() == "Noto Sans CJK SC"  # the first of CJK_FONTS installed
        # a name that only suggests Chinese glyphs must have them: DejaVu Sans has no 党
        monkeypatch.setattr(font_manager.fontManager, "ttflist", [entry("Some CJK Font")])
        charts.cjk_font.cache_clear()
        assert charts.cjk_font() is None
    finally:
        charts.cjk_font.cache_clear()


_STALE_CACHE = """
import json, pathlib, sys
import matplotlib
from matplotlib import font_manager
# the cache as made before a Chinese font was installed: without the fonts that have the glyph
cache = next(pathlib.Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
data = json.loads(cache.read_text(encoding="utf-8"))
data["ttflist"] = [f for f in data["ttflist"] if f["fname"] not in sys.argv[1:]]
cache.write_text(json.dumps(data), encoding="utf-8")
"""

_FIND = """
from matplotlib import font_manager
from dangjian import charts
from matplotlib.ft2font import FT2Font
cjk = [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name]
found = charts.cjk_font()
path = font_manager.findfont(font_manager.FontProperties(family=found), fallback_to_default=False)
print(len(cjk), bool(FT2Font(path).get_char_index(ord("党"))), found)
"""


def test_a_font_installed_after_the_cache_was_made_is_found(tmp_path: Path) -> None:
    """A font cache of matplotlib's that predates the Chinese font (in a cache directory of
    its own) does not hide the font: no need to delete the cache by hand."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    def has_glyph(path: str) -> bool:
        try:
            return bool(FT2Font(path).get_char_index(ord("党")))
        except (OSError, RuntimeError, ValueError):
            return False

    chinese = [p for p in font_manager.findSystemFonts() if has_glyph(p)]
    if not chinese:
        pytest.skip(
            "no font with Chinese glyphs installed (Debian: apt-get install fonts-noto-cjk)"
        )
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    run = functools.partial(
        subprocess.run, env=env, capture_output=True, text=True, check=True, timeout=300
    )
    run([sys.executable, "-c", "import matplotlib.font_manager"])  # makes the cache
    run([sys.executable, "-c", _STALE_CACHE, *chinese])
    known, glyph, found = run([sys.executable, "-c", _FIND]).stdout.split(maxsplit=2)
    assert known == "0"  # the stale cache lists none of them
    assert glyph == "True", found  # found, and it has the glyph


def test_unknown_suffix(example: tuple[Ledger, Report], tmp_path: Path) -> None:
    fig = charts.activity_heatmap(example[0], "2020H1")
    with pytest.raises(DangjianError, match="unknown image suffix"):
        charts.save_chart(fig, tmp_path / "activity.docx")


def test_missing_matplotlib_gives_a_clear_message(
    example: tuple[Ledger, Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(DangjianError, match=r'pip install "dangjian\[charts\]"'):
        charts.activity_heatmap(example[0], "2020H1")
    with pytest.raises(DangjianError, match=r'pip install "dangjian\[charts\]"'):
        charts.save_chart(Figure(), Path("never-written.svg"))


def test_the_legend_is_in_chinese(example: tuple[Ledger, Report]) -> None:
    ledger, report = example
    fig = charts.activity_heatmap(ledger, "2020H1", report=report)
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "不符合：当月未达到规则要求",
        "免：已豁免",
    ]
    assert fig.axes[1].get_ylabel() == "会议和学习次数"  # the colour bar's
    assert charts.activity_heatmap(ledger, "2020H1").axes[0].get_legend() is None


def test_a_chart_shows_one_image_in_a_notebook(
    example: tuple[Ledger, Report], monkeypatch: pytest.MonkeyPatch, glyphs_missing_ignored: None
) -> None:
    ledger, report = example
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    chart = charts.activity_heatmap(ledger, "2020H1", report=report)
    assert chart.format == "svg"
    assert chart._repr_png_() is None
    svg = chart._repr_svg_()
    assert svg is not None and svg.startswith("<?xml") and ">第一党小组（办公室）</text>" in svg
    with pytest.raises(DangjianError, match="fonts-noto-cjk"):
        chart.to_png()
    chart.format = "png"  # asked for, but it would show empty boxes: still the SVG
    assert chart._repr_png_() is None
    again = chart._repr_svg_()
    assert again is not None and ">第一党小组（办公室）</text>" in again
    assert "<dc:date>" not in again  # no date: the same chart, the same picture
    # with a font (any installed font stands in for a Chinese one), a PNG and no SVG
    monkeypatch.setattr(charts, "cjk_font", lambda: "DejaVu Sans")
    chart = charts.activity_heatmap(ledger, "2020H1", report=report)
    assert chart.format == "png" and chart._repr_svg_() is None
    png = chart._repr_png_()
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.to_svg().startswith("<?xml")
    assert repr(chart) == "<Chart 市X局机关党委 2020年上半年：会议和学习次数>"


def test_a_chart_saves_itself_and_stands_for_its_figure(
    example: tuple[Ledger, Report], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = charts.activity_heatmap(example[0], "2020H1")
    chart.save(tmp_path / "chart.svg")
    assert (tmp_path / "chart.svg").read_text(encoding="utf-8").startswith("<?xml")
    # what the figure offers, the chart offers: code written for the figure still works
    assert chart.axes == chart.figure.axes
    assert chart.get_size_inches().tolist() == chart.figure.get_size_inches().tolist()
    with pytest.raises(AttributeError):
        chart.no_such_attribute  # noqa: B018
    # a drawing that fails (Chinese text, no Chinese font) leaves the file that was there
    (tmp_path / "chart.png").write_bytes(b"old")
    with monkeypatch.context() as m:
        m.setattr(charts, "cjk_font", lambda: None)
        with pytest.raises(DangjianError):
            chart.save(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes() == b"old"
