"""Rule files and profiles: the shipped rules, their citations, and strict reading of user files."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
import yaml

from dangjian import (
    Branch,
    Gender,
    Ledger,
    Member,
    MemberStatus,
    Milestones,
    OrgCategory,
    OrgLevel,
    Status,
    TrainingRecord,
)
from dangjian.errors import DangjianError, RuleError
from dangjian.findings import Citation
from dangjian.rules import PROFILES, check, load_rules, read_rule_file
from dangjian.rules.schema import Confidence
from tests.builders import ROOT

D = dt.date
DOMAIN = ROOT.parent / "shared" / "DOMAIN.md"
CJK = re.compile(r"[\u4e00-\u9fff]")
FORMATS = ("toml", "yaml")


# -- helpers ---------------------------------------------------------------------------------


def rule(id: str, **overrides: Any) -> dict[str, Any]:
    """A valid rule of kind ``frequency`` as plain data, with fields replaced or added."""
    data: dict[str, Any] = {
        "id": id,
        "kind": "frequency",
        "severity": "warning",
        "confidence": "local",
        "title": "每月开展1次主题党日",
        "title_en": "One themed party day a month",
        "params": {
            "record": "meeting",
            "meeting_kinds": ["theme_day"],
            "per": "month",
            "at_least": 1,
        },
        "citations": [{"document": "本单位工作计划", "verified": False}],
    }
    data.update(overrides)
    return data


def write(tmp_path: Path, name: str, fmt: str, data: dict[str, Any]) -> Path:
    """``data`` written to ``tmp_path/name.fmt`` as TOML or YAML."""
    path = tmp_path / f"{name}.{fmt}"
    if fmt == "toml":
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def rule_file(profile: str, *rules: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"profile": profile, "title": "测试规则", **extra, "rule": list(rules)}


def problem_paths(e: RuleError) -> list[str]:
    return [p.path for p in e.problems]


# -- the shipped profiles --------------------------------------------------------------------


@pytest.fixture(scope="module")
def national():
    return load_rules("national")


@pytest.fixture(scope="module")
def organ():
    return load_rules("organ")


def test_the_shipped_profiles_load(national, organ) -> None:
    assert set(PROFILES) == {"national", "organ"}
    assert national.profile == "national"
    assert organ.profile == "organ"
    assert len(national) >= 40
    assert len(organ) >= 40
    ids = [r.id for r in organ]
    assert len(ids) == len(set(ids))


def test_organ_extends_national(national, organ) -> None:
    national_ids = [r.id for r in national]
    organ_ids = [r.id for r in organ]
    assert organ_ids[: len(national_ids)] == national_ids
    assert "organ.structure" in organ
    assert "organ.structure" not in national
    assert len(organ) > len(national)
    assert organ.sources[0] == national.sources[0]
    assert len(organ.sources) == 2
    assert all(organ.get(r.id) == r for r in national)


def test_every_rule_is_cited_and_titled_in_both_languages(organ) -> None:
    for r in organ:
        assert r.citations, r.id
        assert CJK.search(r.title), r.id
        assert r.title_en.strip() and not CJK.search(r.title_en), r.id
        assert r.versions and r.versions[0].since is None, r.id


def test_unverified_articles_say_so_in_every_rendering(organ) -> None:
    seen_unverified = seen_verified = 0
    for r in organ:
        for c in r.citations:
            zh, en = c.render("zh"), c.render("en")
            assert c.document in zh
            if c.verified:
                seen_verified += 1
                assert c.article, f"{r.id}: verified without an article"
                assert c.article in zh
                assert "未核实" not in zh
                assert "not verified" not in en
            else:
                seen_unverified += 1
                assert "（条款号未核实）" in zh, r.id
                assert "(article number not verified)" in en, r.id
    assert seen_verified and seen_unverified


def test_citation_rendering() -> None:
    c = Citation(document="中国共产党支部工作条例（试行）", article="第十八条", note="第五章")
    assert c.render() == "《中国共产党支部工作条例（试行）》第十八条（条款号未核实）（第五章）"
    ok = Citation(document="中国共产党章程", article="第七条", verified=True)
    assert ok.render() == "《中国共产党章程》第七条"
    assert ok.render("en") == "《中国共产党章程》第七条"


# The catalog in the domain notes: slug | source | requirement | conf.
_ROW = re.compile(r"^\|\s*([a-z_]+\.[a-z_]+)\s*\|(.*?)\|.*\|\s*(T~|T|M|L)\s*\|\s*$")
_ARTICLE = re.compile(r"第([一二三四五六七八九十百、]+)条")
# Shipped rules that split one catalog entry into several checks.
_CATALOG_ENTRY = {
    "branch.size": "branch.setup",
    "branch.congress_quorum": "branch.congress_vote",
    "branch.committee_quorum": "branch.committee_mtg",
    "charter.lapse_dues": "charter.lapse",
    "charter.lapse_org_life": "charter.lapse",
    "attend.general_meeting": "charter.lapse",
    "attend.group_meeting": "charter.lapse",
    "term.committee": "term.opinion",
    "term.general_branch": "term.opinion",
    "recruit.activist_review": "recruit.review",
    "recruit.conversion_decision": "charter.probation",
    "branch.joint_units": "branch.joint",
}


def _catalog() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in DOMAIN.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            rows[m[1]] = (m[2].strip(), m[3])
    return rows


def _articles(text: str) -> set[str]:
    return {n for m in _ARTICLE.finditer(text) for n in m[1].split("、") if n}


def _section_8() -> dict[str, str]:
    """The paragraphs of §8 of the domain notes (verified texts, which stand over the catalog),
    by the name of the document in bold at their head."""
    text = DOMAIN.read_text(encoding="utf-8").split("## 8.", 1)[1]
    pattern = re.compile(r"^- \*\*(.+?)\*\*(.*?)(?=^- |\Z)", re.MULTILINE | re.DOTALL)
    return {m[1]: m[2] for m in pattern.finditer(text)}


_SHORT_NAMES = {"党费规定": ("党费收缴、使用和管理的规定",)}
"""The full titles of documents that §8 heads by a short name."""


def _documents(name: str, paragraph: str) -> set[str]:
    """The documents a paragraph of §8 speaks of: the one in bold at its head and, where it also
    speaks of that document's 暂行条例 (the 1990 election rules), that one too."""
    name = name.split(" (", 1)[0]  # "党费规定 (中组发〔2008〕3号)"
    names = {name, *_SHORT_NAMES.get(name, ())}
    if name.endswith("条例") and "暂行条例" in paragraph:
        names.add(name.removesuffix("条例") + "暂行条例")
    return names


def _verified_in_section_8(c: Citation) -> bool:
    """Whether §8 names ``c``'s article in its paragraph on ``c``'s document."""
    claimed = _articles(c.article or "")
    return bool(claimed) and any(
        any(doc in c.document for doc in _documents(name, paragraph))
        and claimed <= _articles(paragraph)
        for name, paragraph in _section_8().items()
    )


@pytest.mark.skipif(not DOMAIN.exists(), reason="the domain notes are not next to the project")
def test_no_article_is_claimed_verified_beyond_the_catalog(organ) -> None:
    catalog = _catalog()
    assert len(catalog) >= 40  # the table parsed
    assert catalog["branch.congress"][1] == "T"
    assert _articles(catalog["branch.congress"][0]) == {"十一"}
    assert catalog["branch.heart_talk"][1] == "T~"
    assert _articles(catalog["recruit.vote"][0]) == {"二十", "二十一"}
    assert _verified_in_section_8(
        Citation(document="中国共产党党员教育管理工作条例", article="第十八条", verified=True)
    )
    assert not _verified_in_section_8(
        Citation(document="中国共产党支部工作条例（试行）", article="第十九条", verified=True)
    )
    for r in organ:
        entry = catalog.get(r.id) or catalog.get(_CATALOG_ENTRY.get(r.id, ""))
        for c in r.citations:
            if not c.verified or _verified_in_section_8(c):
                continue
            assert entry is not None, f"{r.id} claims a verified article but is not in the catalog"
            source, confidence = entry
            assert confidence == "T", f"{r.id}: verified article, catalog confidence {confidence}"
            assert c.article is not None
            claimed = _articles(c.article)
            assert claimed, f"{r.id}: {c.article!r}"
            assert claimed <= _articles(source), f"{r.id}: {c.article} not in {source!r}"
        # a rule the catalog marks as not verified (T~, M, L) must not claim an article number
        if entry is not None and entry[1] != "T":
            assert not any(c.verified and not _verified_in_section_8(c) for c in r.citations), r.id


def test_hard_coded_cross_check_of_a_few_citations(organ) -> None:
    verified = {
        "charter.min_age": "第一条",
        "charter.probation": "第七条",
        "branch.congress": "第十一条",
        "branch.committee_mtg": "第十二条",
        "branch.theme_day": "第十六条",
        "branch.org_life_mtg": "第十七条",
        "recruit.extension": "第三十二条",
        "elect.on_time": "第三条",  # the 1990 暂行条例's, then the 2020 条例's
        "elect.margin": "第九条",  # the 1990 暂行条例's; the 2020 条例's is not verified
        "recruit.cultivation": "第十三条",
    }
    for rule_id, article in verified.items():
        (c,) = organ.get(rule_id).citations
        assert (c.article, c.verified) == (article, True), rule_id
    # T~ in the catalog: the content is known, the article number is not
    for rule_id in ("branch.heart_talk", "branch.appraisal", "charter.org_min", "elect.quorum"):
        r = organ.get(rule_id)
        assert not any(c.verified for c in r.citations if "支部" in c.document), rule_id
        assert r.confidence in (Confidence.CONTENT, Confidence.MEMORY, Confidence.LOCAL)
    # the domain notes' verified texts: 民主评议党员 is also 党员教育管理工作条例 第十八条
    (_, appraisal) = organ.get("branch.appraisal").citations
    assert (appraisal.document, appraisal.article, appraisal.verified) == (
        "中国共产党党员教育管理工作条例",
        "第十八条",
        True,
    )
    # local practice is never national law
    assert organ.get("local.theme_day_shift").confidence is Confidence.LOCAL


# -- strictness ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_valid_user_file_reads(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "plan", fmt, rule_file("plan", rule("plan.one"), rule("plan.two")))
    spec = read_rule_file(path)
    assert [r.id for r in spec.rule] == ["plan.one", "plan.two"]
    rules = load_rules("national", [path])
    assert rules.get("plan.one").source == str(path)
    assert rules.sources[-1] == str(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_key_at_the_top(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "plan", fmt, rule_file("plan", rule("plan.one"), colour="red"))
    with pytest.raises(RuleError) as info:
        read_rule_file(path)
    assert problem_paths(info.value) == ["colour"]
    assert info.value.problems[0].code == "unknown_key"
    assert str(path) in info.value.render()
    assert str(path) in info.value.render("en")
    with pytest.raises(RuleError):
        load_rules("national", [path])


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_key_in_a_rule_names_the_rule(tmp_path: Path, fmt: str) -> None:
    data = rule_file("plan", rule("plan.one"), rule("plan.two", colour="red"))
    path = write(tmp_path, "plan", fmt, data)
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    (p,) = info.value.problems
    assert p.code == "unknown_key"
    assert "rule[1]" in p.path and "plan.two" in p.path and p.path.endswith("colour")
    assert str(path) in info.value.render()


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_key_in_params_names_the_rule(tmp_path: Path, fmt: str) -> None:
    bad = rule("plan.two")
    bad["params"] = {**bad["params"], "every": "month"}
    path = write(tmp_path, "plan", fmt, rule_file("plan", rule("plan.one"), bad))
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    (p,) = info.value.problems
    assert p.code == "unknown_key"
    assert str(path) in p.path
    assert "rule[1](plan.two).params.every" in p.path


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_rule_without_citations_is_refused(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "plan", fmt, rule_file("plan", rule("plan.one", citations=[])))
    with pytest.raises(RuleError) as info:
        read_rule_file(path)
    (p,) = info.value.problems
    assert p.path == "rule[0](plan.one).citations"
    assert "citation" in p.message_en
    assert "cannot be read" not in p.message_en  # a message of ours, not a raw exception


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_ids_across_files(tmp_path: Path, fmt: str) -> None:
    first = write(tmp_path, "first", fmt, rule_file("first", rule("plan.one")))
    second = write(
        tmp_path, "second", fmt, rule_file("second", rule("plan.one", title="另一条规则"))
    )
    with pytest.raises(RuleError) as info:
        load_rules("national", [first, second])
    (p,) = info.value.problems
    assert p.code == "duplicate_id"
    assert str(second) in p.path and "plan.one" in p.path
    assert str(first) in p.message  # where it was seen first


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_of_a_shipped_rule(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "plan", fmt, rule_file("plan", rule("branch.theme_day")))
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    assert [p.code for p in info.value.problems] == ["duplicate_id"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_replaces_lets_a_later_file_override(tmp_path: Path, fmt: str, national) -> None:
    stricter = rule(
        "branch.theme_day",
        replaces="branch.theme_day",
        title="每月开展2次主题党日",
        params={"record": "meeting", "meeting_kinds": ["theme_day"], "per": "month", "at_least": 2},
    )
    renamed = rule("plan.congress", replaces="branch.congress")
    path = write(tmp_path, "plan", fmt, rule_file("plan", stricter, renamed))
    rules = load_rules("national", [path])
    assert len(rules) == len(national) + 1 - 1
    replaced = rules.get("branch.theme_day")
    assert replaced.title == "每月开展2次主题党日"
    assert replaced.source == str(path)
    assert replaced.params_on(D(2020, 1, 1)).at_least == 2
    assert "branch.congress" not in rules
    assert "plan.congress" in rules


@pytest.mark.parametrize("fmt", FORMATS)
def test_replaces_and_disable_of_unknown_ids(tmp_path: Path, fmt: str) -> None:
    data = rule_file("plan", rule("plan.one", replaces="no.such_rule"), disable=["nor.this_one"])
    path = write(tmp_path, "plan", fmt, data)
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    problems = {p.path: p for p in info.value.problems}
    assert {p.code for p in problems.values()} == {"unknown_rule"}
    assert any(
        "no.such_rule" in p.message_en and "replaces" in path_ for path_, p in problems.items()
    )
    assert any("nor.this_one" in path_ for path_ in problems)
    assert all(str(path) in path_ for path_ in problems)


@pytest.mark.parametrize("fmt", FORMATS)
def test_disable_removes_a_rule(tmp_path: Path, fmt: str, national) -> None:
    path = write(tmp_path, "plan", fmt, rule_file("plan", disable=["branch.group_mtg"]))
    rules = load_rules("national", [path])
    assert "branch.group_mtg" not in rules
    assert len(rules) == len(national) - 1
    with pytest.raises(KeyError, match=r"branch\.group_mtg"):
        rules.get("branch.group_mtg")


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_kind(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "plan", fmt, rule_file("plan", rule("plan.one", kind="telepathy")))
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    (p,) = info.value.problems
    assert p.code == "unknown_kind"
    assert "rule[0](plan.one).kind" in p.path and str(path) in p.path
    assert "telepathy" in p.message_en
    assert "frequency" in p.message  # the message lists the kinds there are


BAD_PARAMS = [
    # (kind, params, the field named in the problem)
    (
        "frequency",
        {"record": "meeting", "meeting_kinds": ["theme_day"], "per": "month", "at_least": -1},
        "params.at_least",
    ),
    (
        "frequency",
        {"record": "meeting", "meeting_kinds": ["theme_day"], "per": "fortnight", "at_least": 1},
        "params.per",
    ),
    (
        "frequency",
        {"record": "meeting", "meeting_kinds": ["tea_party"], "per": "month", "at_least": 1},
        "params.meeting_kinds[0]",
    ),
    (
        "quorum",
        {
            "meeting_kinds": ["general_meeting"],
            "present_more_than": "1/0",
            "denominator": "expected",
        },
        "params.present_more_than",
    ),
    (
        "quorum",
        {
            "meeting_kinds": ["general_meeting"],
            "present_more_than": "half",
            "denominator": "expected",
        },
        "params.present_more_than",
    ),
    ("coverage", {"measure": "training_hours", "per": "year", "at_least": "-8"}, "params.at_least"),
    ("coverage", {"measure": "talks", "per": "year"}, "params.at_least"),  # missing
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("kind", "params", "field"), BAD_PARAMS)
def test_bad_param_values(tmp_path: Path, fmt: str, kind: str, params: dict, field: str) -> None:
    path = write(
        tmp_path, "plan", fmt, rule_file("plan", rule("plan.bad", kind=kind, params=params))
    )
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    (p,) = info.value.problems
    assert p.path == f"{path}: rule[0](plan.bad).{field}"
    assert p.message and p.message_en


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path, fmt: str) -> None:
    rules = [
        rule(f"plan.bad{i}", kind=kind, params=params)
        for i, (kind, params, _) in enumerate(BAD_PARAMS)
    ]
    rules.insert(2, rule("plan.fine"))
    rules.append(rule("plan.kind", kind="telepathy"))
    path = write(tmp_path, "plan", fmt, rule_file("plan", *rules))
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    paths = problem_paths(info.value)
    assert len(paths) == len(BAD_PARAMS) + 1
    for i, (_, _, field) in enumerate(BAD_PARAMS):
        index = i if i < 2 else i + 1
        assert f"{path}: rule[{index}](plan.bad{i}).{field}" in paths
    assert not any("plan.fine" in p for p in paths)
    text = info.value.render()
    assert f"有 {len(paths)} 处错误" in text
    assert f"have {len(paths)} problems" in info.value.render("en")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_structural_problem_is_reported_at_once(tmp_path: Path, fmt: str) -> None:
    first = rule("plan.one", colour="red")
    second = rule("plan.two", severity="fatal")
    third = rule("plan.three")
    del third["title_en"]
    path = write(tmp_path, "plan", fmt, rule_file("plan", first, second, third, size=3))
    with pytest.raises(RuleError) as info:
        read_rule_file(path)
    paths = problem_paths(info.value)
    assert "size" in paths
    assert any(p.startswith("rule[0](plan.one)") and p.endswith("colour") for p in paths)
    assert any(p.startswith("rule[1](plan.two)") and p.endswith("severity") for p in paths)
    assert any(p.startswith("rule[2](plan.three)") and p.endswith("title_en") for p in paths)
    assert len(paths) == 4


def test_syntax_errors_and_other_suffixes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('profile = "x"\n[[rule]\n', encoding="utf-8")
    with pytest.raises(RuleError) as info:
        read_rule_file(broken)
    assert info.value.problems[0].code == "syntax"
    assert str(broken) in info.value.render()
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("profile: [x\n", encoding="utf-8")
    with pytest.raises(RuleError):
        read_rule_file(broken_yaml)
    other = tmp_path / "rules.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(DangjianError, match=r"\.toml"):
        read_rule_file(other)


# -- dated parameters --------------------------------------------------------------------------


def hours_rule(**extra: Any) -> dict[str, Any]:
    """Training hours in the style of the national plans: 24/40 h until 2018, then 32/56 h."""
    return rule(
        "plan.hours",
        kind="coverage",
        title="党员每年集中学习培训学时",
        title_en="Training hours a year",
        params={
            "measure": "training_hours",
            "per": "year",
            "at_least": "24",
            "at_least_committee": "40",
        },
        citations=[{"document": "2014—2018年全国党员教育培训工作规划"}],
        changes=[
            {
                "since": D(2019, 1, 1),
                "params": {"at_least": "32", "at_least_committee": "56"},
                "citations": [{"document": "2019—2023年全国党员教育培训工作规划"}],
            }
        ],
        **extra,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_dated_params_pick_the_version_in_force(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "plan", fmt, rule_file("plan", hours_rule()))
    r = load_rules("national", [path]).get("plan.hours")
    assert [v.since for v in r.versions] == [None, D(2019, 1, 1)]
    old, new = r.params_on(D(2016, 6, 1)), r.params_on(D(2020, 6, 1))
    assert (old.at_least, old.at_least_committee) == (Decimal(24), Decimal(40))
    assert (new.at_least, new.at_least_committee) == (Decimal(32), Decimal(56))
    # the boundary: the day before ``since`` and ``since`` itself
    assert r.params_on(D(2018, 12, 31)).at_least == Decimal(24)
    assert r.params_on(D(2019, 1, 1)).at_least == Decimal(32)
    # unchanged parameters carry over
    assert new.measure == old.measure == "training_hours"
    # so do the citations
    assert "2014—2018" in r.citations_on(D(2016, 6, 1))[0].document
    assert "2019—2023" in r.citations_on(D(2020, 6, 1))[0].document


def test_dated_params_decide_a_check(tmp_path: Path) -> None:
    """One member with 28 hours in 2016 and in 2020: enough under the old plan, not the new."""
    path = write(tmp_path, "hours", "toml", rule_file("hours", hours_rule()))
    ledger = Ledger(
        name="测试",
        branches=(
            Branch(
                id="b1",
                name="第一支部",
                level=OrgLevel.BRANCH,
                category=OrgCategory.ORGAN,
                founded=D(2010, 1, 1),
            ),
        ),
        members=(
            Member(
                id="m1",
                name="王芳",
                gender=Gender.FEMALE,
                branch="b1",
                status=MemberStatus.FULL,
                milestones=Milestones(admitted=D(2000, 1, 1), converted=D(2001, 1, 1)),
            ),
        ),
        trainings=tuple(
            TrainingRecord(
                id=f"t{year}", member="m1", date=D(year, 5, 1), hours=Decimal(28), course="党课"
            )
            for year in (2016, 2020)
        ),
    )
    assert ledger.problems() == []
    for year, expected in ((2016, Status.PASSED), (2020, Status.FAILED)):
        report = check(ledger, str(year), as_of=D(year + 1, 2, 1), profile=str(path))
        (finding,) = report.findings
        assert finding.rule == "plan.hours"
        assert finding.status is expected, finding.message
        assert finding.evidence == (f"t{year}",)


@pytest.mark.parametrize("fmt", FORMATS)
def test_changes_out_of_date_order_are_refused(tmp_path: Path, fmt: str) -> None:
    r = hours_rule()
    r["changes"] = [
        {"since": D(2019, 1, 1), "params": {"at_least": "32"}},
        {"since": D(2014, 1, 1), "params": {"at_least": "24"}},
    ]
    path = write(tmp_path, "plan", fmt, rule_file("plan", r))
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    assert [p.code for p in info.value.problems] == ["date_order"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_value_in_a_change_names_the_change(tmp_path: Path, fmt: str) -> None:
    r = hours_rule()
    r["changes"][0]["params"]["at_least"] = "-32"
    path = write(tmp_path, "plan", fmt, rule_file("plan", r))
    with pytest.raises(RuleError) as info:
        load_rules("national", [path])
    (p,) = info.value.problems
    assert p.path == f"{path}: rule[0](plan.hours).changes[0].params.at_least"


# -- a plan on top of a profile ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_plan_on_top_of_organ(tmp_path: Path, fmt: str, organ) -> None:
    plan = rule(
        "plan.centre_group",
        title="中心组每月集中学习1次",
        title_en="The centre group studies once a month",
        applies_to={"levels": ["committee"]},
        params={"record": "study", "audiences": ["centre_group"], "per": "month", "at_least": 1},
    )
    path = write(tmp_path, "plan", fmt, rule_file("x-plan", plan))
    rules = load_rules("organ", [path])
    assert len(rules) == len(organ) + 1
    assert [r.id for r in rules][:-1] == [r.id for r in organ]
    added = rules.get("plan.centre_group")
    assert added.source == str(path)
    assert rules.sources == (*organ.sources, str(path))
    assert added.applies_to.admits(OrgLevel.COMMITTEE, OrgCategory.ORGAN)
    assert not added.applies_to.admits(OrgLevel.BRANCH, OrgCategory.ORGAN)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_user_profile_extending_a_shipped_one(tmp_path: Path, fmt: str, organ) -> None:
    path = write(
        tmp_path, "province", fmt, rule_file("province", rule("gs.one"), extends=["organ"])
    )
    rules = load_rules(str(path))
    assert len(rules) == len(organ) + 1
    assert rules.profile == str(path)
    # reading the same files twice does not count their rules twice
    assert len(load_rules(str(path), [path])) == len(rules)


def test_a_rule_set_shows_itself_in_one_line() -> None:
    ruleset = load_rules("organ")
    assert (
        repr(ruleset) == f"<RuleSet organ：{len(ruleset)}条规则，读自{len(ruleset.sources)}个文件>"
    )
    assert len(ruleset.sources) == 2  # organ extends national
