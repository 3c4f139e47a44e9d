"""The messages of the rule kinds: written once, in Chinese, with their English in the catalog.

The example's findings say, in both languages, what they said when each rule kind still wrote
both texts itself (a reviewed snapshot, one finding to three lines: what it is, its Chinese,
its English); and a catalog dropped in words them with no change of code. To accept a reviewed
change of wording, run ``python -m pytest tests/example/test_messages.py --update-snapshots``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from dangjian import Report, i18n
from tests.builders.example import checked_example

SNAPSHOT = Path(__file__).with_name("snapshots") / "x-bureau-2020h1-messages.txt"


@pytest.fixture(scope="module")
def report() -> Report:
    return checked_example().report


def _lines(report: Report) -> list[str]:
    lines = []
    for f in report:
        lines += [
            f"{f.rule} {f.subject.kind}:{f.subject.id} {f.period or '-'} {f.status.code}",
            f"  {f.message}",
            f"  {f.message_en}",
        ]
    return lines


def test_the_example_findings_say_what_the_reviewed_snapshot_says(
    report: Report, request: pytest.FixtureRequest
) -> None:
    lines = _lines(report)
    if request.config.getoption("--update-snapshots"):
        SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == SNAPSHOT.read_text(encoding="utf-8").splitlines()


def _pirate_catalog(directory: Path) -> None:
    """A third language: every English text of the catalog with ``arr `` in front."""
    english = i18n.PACKAGE_LOCALEDIR / "en" / "LC_MESSAGES" / "dangjian.po"
    with english.open("rb") as f:
        source = read_po(f)
    catalog = Catalog(locale="en", domain="dangjian")
    for m in source:
        if not m.id:
            continue
        text = (
            m.string  # the babel locale and date patterns: a pirate writes dates as in English
            if (m.context or "").startswith("babel")
            else tuple(f"arr {s}" for s in m.string)
            if isinstance(m.string, tuple)
            else f"arr {m.string}"
        )
        catalog.add(m.id, text, context=m.context)
    target = directory / "pirate" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "dangjian.po").open("wb") as f:
        write_po(f, catalog)


def test_a_catalog_dropped_in_words_every_finding(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pirate_catalog(tmp_path)
    monkeypatch.setenv(i18n.ENV_LOCALEDIR, str(tmp_path))
    assert all(f.text("pirate").startswith("arr ") for f in report)
    # a message of dates and counts only is the English one, each of its parts marked
    overdue = [f for f in report if f.rule == "rectification.overdue"]
    assert overdue
    for f in overdue:
        assert f.text("pirate").replace("arr ", "") == f.text("en") != f.text("pirate")
