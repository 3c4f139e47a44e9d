"""``dangjian merge``: three branches' files made one ledger, collisions, --prefix-ids and the
records' sources (dangjian.merging, dangjian.model.provenance)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from dangjian import RECORD_KINDS, Ledger, dump, load, merge
from dangjian.cli import main
from dangjian.errors import LoadNotice
from dangjian.merging import MergeError, prefix_of
from dangjian.model import Member
from dangjian.model.kept import ExtraCell, ExtraColumn, Spelling
from dangjian.model.provenance import RecordSource
from dangjian.testing.strategies import ledgers
from tests.builders.example import EXAMPLE
from tests.builders.split import split_by_branch

# the third workbook is of an older template: its notice is tested where it is expected
pytestmark = pytest.mark.filterwarnings("ignore::dangjian.errors.LoadNotice")

FILES = {"jg1": "第一支部.xlsx", "jg2": "第二支部.yaml", "zx": "综合服务中心支部.xlsx"}


def _sorted(ledger: Ledger) -> Ledger:
    """The ledger without its sources, each collection in the order of the ids."""
    return attrs.evolve(
        ledger,
        sources=(),
        **{
            k.field: tuple(sorted(getattr(ledger, k.field), key=lambda r: r.id))
            for k in RECORD_KINDS
        },
    )


@pytest.fixture(scope="module")
def whole() -> Ledger:
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def pieces(whole: Ledger) -> dict[str, Ledger]:
    return split_by_branch(whole, list(FILES))


def _older_template(path: Path) -> None:
    """Make the workbook at ``path`` look made from the template before 2026-12-05: without
    the column 同时作为的会议类型 (empty in the example)."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(path)
    ws = wb["会议"]
    names = [c.value for c in ws[1]]
    ws.delete_cols(names.index("同时作为的会议类型") + 1)
    wb.save(path)


@pytest.fixture(scope="module")
def branch_files(tmp_path_factory: pytest.TempPathFactory, pieces: dict[str, Ledger]) -> list[Path]:
    """The example split into the three branches' files, written by dangjian's own writers; the
    third workbook with the headers of an older template."""
    here = tmp_path_factory.mktemp("branches")
    paths = []
    for branch, name in FILES.items():
        dump(pieces[branch], here / name)
        paths.append(here / name)
    _older_template(paths[2])
    return paths


def _only_in(pieces: dict[str, Ledger], branch: str) -> Member:
    """A member of ``branch``'s file that no other file holds."""
    others = {m.id for b, p in pieces.items() if b != branch for m in p.members}
    return next(m for m in pieces[branch].members if m.id not in others)


@pytest.fixture(scope="module")
def colliding(tmp_path_factory: pytest.TempPathFactory, pieces: dict[str, Ledger]) -> list[Path]:
    """The three files, the third (of an older template) giving a new member of its own the id
    of a member that only the first holds."""
    here = tmp_path_factory.mktemp("colliding")
    taken = _only_in(pieces, "jg1")
    zx = pieces["zx"]
    newcomer = attrs.evolve(zx.members[-1], id=taken.id, name="新来的")
    dump(attrs.evolve(zx, members=(*zx.members, newcomer)), here / FILES["zx"])
    _older_template(here / FILES["zx"])
    dump(pieces["jg1"], here / FILES["jg1"])
    dump(pieces["jg2"], here / FILES["jg2"])
    return [here / name for name in FILES.values()]


def test_the_three_files_merge_back_into_the_example(
    branch_files: list[Path], whole: Ledger, pieces: dict[str, Ledger]
) -> None:
    with pytest.warns(LoadNotice) as notices:
        merged = merge(branch_files)
    # the third workbook, of an older template, is read, and said to be
    (notice,) = [n.message for n in notices]
    assert isinstance(notice, LoadNotice) and notice.problem.code == "older_template"
    assert notice.source == str(branch_files[2])
    assert _sorted(merged) == _sorted(whole)
    # the committee is in every branch's file, the same: merged once, from all three
    assert [b.id for b in merged.branches].count("jgdw") == 1
    assert merged.sources_of("branches", "jgdw") == tuple(FILES.values())
    only = _only_in(pieces, "jg2")
    assert merged.sources_of(Member, only.id) == ("第二支部.yaml",)
    assert merged.sources_of("members", "nobody") == ()


def test_a_colliding_id_is_reported_with_both_places(
    colliding: list[Path], pieces: dict[str, Ledger]
) -> None:
    taken = _only_in(pieces, "jg1")
    first_row = [m.id for m in pieces["jg1"].members].index(taken.id) + 2  # after the header
    second_row = len(pieces["zx"].members) + 2  # the newcomer, the last member
    with pytest.raises(MergeError) as caught:
        merge(colliding)
    (problem,) = caught.value.problems
    assert problem.code == "duplicate_id"
    assert problem.path == f"综合服务中心支部.xlsx 党员 第{second_row}行"
    assert f"第一支部.xlsx 党员 第{first_row}行" in problem.message
    assert f"综合服务中心支部.xlsx 党员 第{second_row}行" in problem.message
    assert f"'{taken.id}'" in problem.message_en and "--prefix-ids" in problem.message_en


def test_every_collision_is_reported_at_once(whole: Ledger) -> None:
    a = _tiny(whole, 2)
    b = attrs.evolve(
        a,
        members=tuple(attrs.evolve(m, name=m.name + "乙") for m in a.members),
    )  # the same organisations: no collision
    with pytest.raises(MergeError) as caught:
        merge([("a.yaml", a), ("b.yaml", b)])
    paths = [p.path for p in caught.value.problems]
    assert paths == ["b.yaml members[0]", "b.yaml members[1]"]
    assert "a.yaml members[0]" in caught.value.problems[0].message


def test_prefix_ids_namespaces_the_colliding_ids_and_their_references(
    colliding: list[Path], pieces: dict[str, Ledger], tmp_path: Path
) -> None:
    taken = _only_in(pieces, "jg1")
    merged = merge(colliding, prefix_ids=True)
    assert merged.problems() == []
    ids = {m.id for m in merged.members}
    assert taken.id not in ids
    assert {f"第一支部/{taken.id}", f"综合服务中心支部/{taken.id}"} <= ids
    assert merged.member(f"综合服务中心支部/{taken.id}").name == "新来的"
    assert merged.member(f"第一支部/{taken.id}") == attrs.evolve(taken, id=f"第一支部/{taken.id}")
    # every reference to the renamed member in its file now names it by its new id
    refs_before = _references_to(pieces["jg1"], taken.id)
    assert refs_before  # the member is referred to (attendance, dues …): the test can fail
    assert _references_to(merged, taken.id) == []
    assert len(_references_to(merged, f"第一支部/{taken.id}")) == len(refs_before)
    assert merged.sources_of("members", f"第一支部/{taken.id}") == ("第一支部.xlsx",)
    # and nothing that did not collide changed its id
    assert {b.id for b in merged.branches} == {"jgdw", "jg1", "jg2", "zx"}


def _references_to(ledger: Ledger, id: str) -> list[str]:
    """The paths of every member reference to ``id``."""
    from dangjian.model import fields

    found: list[str] = []

    def walk(record: Any, path: str) -> None:
        for f in fields(type(record)):
            value = getattr(record, f.name)
            if value is None:
                continue
            if f.target == "members":
                found.extend(f"{path}.{f.name}" for v in (value if f.many else (value,)) if v == id)
            elif f.record is not None:
                for i, nested in enumerate(value if f.many else (value,)):
                    walk(nested, f"{path}.{f.name}[{i}]")

    for kind in RECORD_KINDS:
        for i, record in enumerate(getattr(ledger, kind.field)):
            walk(record, f"{kind.field}[{i}]")
    return found


def _tiny(whole: Ledger, members: int) -> Ledger:
    """The example's organisations (without their committees) and its first members."""
    empty: dict[str, Any] = {k.field: () for k in RECORD_KINDS}
    branches = tuple(attrs.evolve(b, committee=()) for b in whole.branches)
    members = tuple(attrs.evolve(m, group=None) for m in whole.members[:members])
    return attrs.evolve(whole, **{**empty, "branches": branches, "members": members})


def test_a_record_the_same_in_two_files_keeps_one_id_with_prefix_ids(whole: Ledger) -> None:
    a = _tiny(whole, 1)
    changed = attrs.evolve(a.members[0], name="别人")
    b = attrs.evolve(a, members=(changed,))
    merged = merge([("a.yaml", a), ("b.yaml", b), ("c.yaml", a)], prefix_ids=True)
    id = a.members[0].id
    assert [m.id for m in merged.members] == [f"a/{id}", f"b/{id}"]
    assert merged.sources_of("members", f"a/{id}") == ("a.yaml", "c.yaml")


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml", ".xlsx"])
def test_the_sources_survive_writing_and_reading(
    colliding: list[Path], tmp_path: Path, suffix: str
) -> None:
    merged = merge(colliding, prefix_ids=True)
    assert len(merged.sources) >= 3
    path = tmp_path / f"merged{suffix}"
    dump(merged, path)
    again = load(path)
    assert again == merged
    assert again.sources_of("branches", "jgdw") == tuple(p.name for p in colliding)


def test_merging_a_merged_ledger_keeps_the_first_files(
    branch_files: list[Path], tmp_path: Path
) -> None:
    first = merge(branch_files[:2])
    dump(first, tmp_path / "前两个.yaml")
    again = merge([tmp_path / "前两个.yaml", branch_files[2]])
    assert again.sources_of("branches", "jgdw") == tuple(p.name for p in branch_files)


def test_problems_of_the_merged_ledger_name_their_file(whole: Ledger) -> None:
    a = _tiny(whole, 1)
    b = attrs.evolve(_tiny(whole, 0), groups=(attrs.evolve(whole.groups[0], leader="nobody"),))
    with pytest.raises(MergeError) as caught:
        merge([("甲.yaml", a), ("乙.yaml", b)])
    paths = [p.path for p in caught.value.problems]
    assert paths == ["乙.yaml groups[0].leader"]


def test_inputs_with_the_same_name_are_refused(whole: Ledger) -> None:
    with pytest.raises(MergeError) as caught:
        merge([("a.yaml", whole), ("a.yaml", whole)])
    assert caught.value.problems[0].code == "duplicate_key"
    # the same stem is refused only when the stems prefix the ids
    merge([("a.yaml", whole), ("a.json", whole)])
    with pytest.raises(MergeError):
        merge([("a.yaml", whole), ("a.json", whole)], prefix_ids=True)


def test_a_bad_input_file_is_named_in_each_of_its_problems(
    branch_files: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "坏.yaml"
    bad.write_text("name: x\nmembers:\n- {id: m1}\n", encoding="utf-8")
    with pytest.raises(MergeError) as caught:
        merge([branch_files[1], bad])
    assert caught.value.problems
    assert all(p.path.startswith("坏.yaml members[0]") for p in caught.value.problems)


def test_the_prefix_is_the_stem_made_safe() -> None:
    assert prefix_of("第一支部.xlsx") == "第一支部"
    assert prefix_of("机关 第二支部、三.yaml") == "机关_第二支部_三"
    assert prefix_of("市X局机关党委") == "市X局机关党委"  # a ledger's name, not a file


def test_the_sources_are_validated(whole: Ledger) -> None:
    sources = (
        RecordSource("a.xlsx", "members", (whole.members[0].id, "nobody")),
        RecordSource("a.xlsx", "members", ()),
        RecordSource("a.xlsx", "nothing", ()),
    )
    problems = attrs.evolve(whole, sources=sources).problems()
    assert [(p.path, p.code) for p in problems] == [
        ("sources[0].ids[1]", "broken_reference"),
        ("sources[1]", "duplicate_key"),
        ("sources[2].collection", "unknown_key"),
    ]
    assert attrs.evolve(whole, sources=sources[:1][:0]).problems() == []


def test_a_bad_row_of_the_sources_sheet_is_reported_at_its_cell(
    colliding: list[Path], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "merged.xlsx"
    dump(merge(colliding, prefix_ids=True), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["记录来源"]
    ws.cell(2, 2).value = "党员们"
    ws.cell(3, 3).value = "nobody"
    wb.save(path)
    with pytest.raises(Exception) as caught:
        load(path)
    paths = [p.path for p in caught.value.problems]  # type: ignore[attr-defined]
    assert paths == ["记录来源 第2行 记录类别列", "记录来源 第3行 编号列"]


# -- the command -----------------------------------------------------------------------------


def test_the_command_merges_into_any_format(
    branch_files: list[Path], tmp_path: Path, whole: Ledger, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "机关党委.toml"
    assert main(["merge", *map(str, branch_files), "--output", str(out)]) == 0
    assert _sorted(load(out)) == _sorted(whole)
    said = capsys.readouterr()
    assert "机关党委.toml" in said.out
    assert "提示" in said.err and "同时作为的会议类型" in said.err  # the older template


def test_the_command_reports_a_collision_and_merges_with_prefix_ids(
    colliding: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "机关党委.xlsx"
    assert main(["merge", *map(str, colliding), "-o", str(out), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "第一支部.xlsx 党员" in err and "综合服务中心支部.xlsx 党员" in err
    assert "--prefix-ids" in err
    assert not out.exists()
    assert main(["merge", *map(str, colliding), "-o", str(out), "--prefix-ids"]) == 0
    assert load(out).problems() == []


def test_the_command_never_overwrites_an_input(
    branch_files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = branch_files[1].read_bytes()
    args = ["merge", *map(str, branch_files), "-o", str(branch_files[1]), "--force"]
    assert main(args) == 2
    assert branch_files[1].read_bytes() == before
    assert "拒绝覆盖" in capsys.readouterr().err


# -- the property ----------------------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(ledger=ledgers())
def test_a_ledger_split_by_branch_merges_back_equal(ledger: Ledger) -> None:
    branches = [b.id for b in ledger.branches]
    pieces = split_by_branch(ledger, branches)
    merged = merge([(f"{i}.yaml", pieces[b]) for i, b in enumerate(branches)])
    assert _sorted(merged) == _sorted(ledger)
    for kind, records in merged.records():
        for record in records:
            found = merged.sources_of(kind.field, record.id)
            held = tuple(
                f"{i}.yaml"
                for i, b in enumerate(branches)
                if any(r.id == record.id for r in getattr(pieces[b], kind.field))
            )
            assert found == held
    # with nothing colliding, --prefix-ids changes nothing
    assert merge([(f"{i}.yaml", pieces[b]) for i, b in enumerate(branches)], prefix_ids=True) == (
        merged
    )


def test_the_sources_change_no_verdict(branch_files: list[Path], example: Any) -> None:
    """The merged example, with its sources, is checked as the example is: the same findings."""
    import dangjian
    from tests.builders.example import AS_OF, PERIOD, PLAN, WAIVERS

    with pytest.warns(LoadNotice):
        merged = merge(branch_files)
    assert merged.sources
    report = dangjian.check(
        merged,
        PERIOD,
        as_of=AS_OF,
        profile="organ",
        rules=[PLAN],
        waivers=dangjian.load_waivers(WAIVERS),
    )

    def key(f: Any) -> str:
        return repr((f.rule, f.subject, f.period, f.status, f.message, sorted(f.evidence)))

    assert len(report.findings) == len(example.report.findings) > 100
    assert sorted(map(key, report.findings)) == sorted(map(key, example.report.findings))


def test_a_ledger_field_that_merging_does_not_know_is_refused_not_dropped(
    whole: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field added to the ledger later (as the sources once were) is refused until merging
    puts it together; a ledger that leaves it empty merges."""
    from dangjian import merging

    monkeypatch.setattr(merging, "_MERGED", merging._MERGED - {"sources"})
    a = _tiny(whole, 1)
    merge([("a.yaml", a), ("b.yaml", a)])
    held = attrs.evolve(a, sources=(RecordSource("x.xlsx", "members", (a.members[0].id,)),))
    with pytest.raises(MergeError) as caught:
        merge([("a.yaml", a), ("b.yaml", held)])
    assert [p.path for p in caught.value.problems] == ["b.yaml sources"]
    assert "记录来源" in caught.value.problems[0].message


def _phones(ledger: Ledger, *cells: tuple[str, str]) -> Ledger:
    """``ledger`` with a workbook's extra column 手机号 on its members' sheet."""
    column = ExtraColumn("members", "手机号", tuple(ExtraCell(r, v) for r, v in cells))
    return attrs.evolve(ledger, extra_columns=(column,))


def test_the_files_extra_columns_and_spellings_are_merged(whole: Ledger) -> None:
    """An extra column of two files is one column; the same cell in both is kept once; a
    label typed as a synonym is kept."""
    tiny = _tiny(whole, 2)
    one, two = (m.id for m in tiny.members)
    typed = Spelling("members", two, "status", "正式")
    a = _phones(tiny, (one, "138"))
    b = attrs.evolve(_phones(tiny, (one, "138"), (two, "139")), spellings=(typed,))
    merged = merge([("a.yaml", a), ("b.yaml", b)])
    assert merged.extra_columns == _phones(tiny, (one, "138"), (two, "139")).extra_columns
    assert merged.spellings == (typed,)
    assert merged.problems() == []


def test_a_cell_two_files_give_different_texts_is_reported_with_both(whole: Ledger) -> None:
    tiny = _tiny(whole, 1)
    one = tiny.members[0].id
    with pytest.raises(MergeError) as caught:
        merge([("a.yaml", _phones(tiny, (one, "138"))), ("b.yaml", _phones(tiny, (one, "139")))])
    [problem] = caught.value.problems
    assert problem.path == f"b.yaml 手机号 {one}"
    assert "a.yaml" in problem.message and "「138」" in problem.message
    assert "「139」" in problem.message


def test_an_extra_cell_follows_its_record_renamed_by_prefix_ids(whole: Ledger) -> None:
    tiny = _tiny(whole, 1)
    one = tiny.members[0].id
    other = attrs.evolve(tiny, members=(attrs.evolve(tiny.members[0], name="别人"),))
    merged = merge(
        [("a.yaml", _phones(tiny, (one, "138"))), ("b.yaml", _phones(other, (one, "139")))],
        prefix_ids=True,
    )
    assert merged.problems() == []
    (column,) = merged.extra_columns
    assert column.cells == (ExtraCell(f"a/{one}", "138"), ExtraCell(f"b/{one}", "139"))
