"""``dangjian explain``: a rule as text to read (its title, what it requires, severity, where it
applies, its parameters as an outline, each citation marked verified or not), in each language,
not a dump of its data."""

from __future__ import annotations

import pytest

from dangjian.cli import ENV_LANG, main
from dangjian.rules import PROFILES, load_rules
from dangjian.rules.docs import _outline, explain

VERIFIED = {"zh": "（条款号已核实）", "en": " (article number verified)"}
UNVERIFIED = {"zh": "（条款号未核实）", "en": " (article number not verified)"}


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


def _shown(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def test_a_dues_schedule_is_an_outline_a_tier_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    out = _shown(["explain", "dues.salaried"], capsys)
    lines = out.splitlines()
    assert lines[0] == "dues.salaried: 在职党员按月工资收入的比例足额交纳党费"
    start = lines.index("  起始: check=amount")
    assert lines[start + 1 : start + 8] == [
        "    schedules:",
        "      - categories=[salaried, annual_salary]",
        "        tiers:",
        "          - rate=0.005, up_to=3000",
        "          - rate=0.01, up_to=5000",
        "          - rate=0.015, up_to=10000",
        "          - rate=0.02",
    ]
    assert "级别: 错误（情态词：直述）" in lines
    assert "  《关于中国共产党党费收缴、使用和管理的规定》第一条、第二条（条款号已核实）" in lines


def test_the_same_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    out = _shown(["explain", "dues.salaried", "--lang", "en"], capsys)
    lines = out.splitlines()
    assert lines[0].startswith("dues.salaried: Salaried members pay dues")
    assert "  from the start: check=amount" in lines and "          - rate=0.02" in lines
    assert "severity: error (force word: 直述)" in lines
    assert any(line.endswith(" (article number verified)") for line in lines)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("profile", PROFILES)
def test_no_rule_is_shown_as_data_and_every_citation_is_marked(profile: str, lang: str) -> None:
    ruleset = load_rules(profile)
    for rule in ruleset:
        text = explain(rule, lang)
        assert not any(dump in text for dump in ("{'", "[{", "['", "'}", "': ")), rule.id
        cited = text.split("\n\n")[-1].splitlines()[1:]  # the lines under 依据 / citations
        assert len(cited) >= len(rule.citations) >= 1, rule.id
        for line in cited:
            # one mark or the other, never both
            assert (VERIFIED[lang] in line) != (UNVERIFIED[lang] in line), (rule.id, line)


def test_an_unverified_citation_is_marked_so(capsys: pytest.CaptureFixture[str]) -> None:
    out = _shown(["explain", "elect.win"], capsys)
    assert "  《中国共产党基层组织选举工作条例》（条款号未核实）" in out.splitlines()
    assert VERIFIED["zh"] not in out


def test_an_outline_of_nested_values() -> None:
    assert _outline({"a": 1, "b": [1, 2]}, "") == ["a=1, b=[1, 2]"]
    assert _outline([{"a": 1}, {"a": 2, "c": [{"d": True}]}], "  ") == [
        "  - a=1",
        "  - a=2",
        "    c:",
        "      - d=true",
    ]
    assert _outline([[1, 2], [3]], "") == ["- [1, 2]", "- [3]"]
