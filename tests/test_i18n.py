"""Messages in catalogs: rendering, plurals, catalogs dropped in, and the catalogs kept complete."""

from __future__ import annotations

import ast
import os
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from dangjian import i18n
from dangjian.errors import LedgerError, Problem, RuleError
from dangjian.i18n import UnknownLanguage, t, tn

SRC = Path(i18n.__file__).parent


def _write_catalog(
    directory: Path, lang: str, entries: dict[str, str | tuple[str, str]], mo: bool = False
) -> Path:
    catalog = Catalog(locale="en", domain="dangjian")  # English plural forms
    for msgid, text in entries.items():
        if isinstance(text, tuple):
            catalog.add((msgid, msgid), text)
        else:
            catalog.add(msgid, text)
    target = directory / lang / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    if mo:
        path = target / "dangjian.mo"
        with path.open("wb") as f:
            write_mo(f, catalog)
    else:
        path = target / "dangjian.po"
        with path.open("wb") as f:
            write_po(f, catalog)
    return path


_PIRATE = {
    "（整个文件）": "(th' whole scroll)",
    "台账有 {n} 处错误": ("th' ledger be havin' {n} flaw", "th' ledger be havin' {n} flaws"),
    "{heading}：": "{heading}, arr:",
}


def test_a_message_renders_in_chinese_and_english() -> None:
    m = t("（整个文件）")
    assert m.render() == m.render("zh") == str(m) == "（整个文件）"
    assert m.render("en") == "(whole document)"


def test_a_message_inside_a_message_renders_in_the_same_language() -> None:
    inner = tn("台账有 {n} 处错误", "台账有 {n} 处错误", 3)
    outer = t("{source}：{heading}", source="a.yaml", heading=inner)
    assert outer.render("zh") == "a.yaml：台账有 3 处错误"
    assert outer.render("en") == "a.yaml: the ledger has 3 problems"


@pytest.mark.parametrize(("n", "en"), [(0, "problems"), (1, "problem"), (2, "problems")])
def test_plural_forms_follow_the_count(n: int, en: str) -> None:
    m = tn("规则有 {n} 处错误", "规则有 {n} 处错误", n)
    assert m.render("zh") == f"规则有 {n} 处错误"
    assert m.render("en") == f"the rules have {n} {en}"


def test_messages_are_values() -> None:
    assert t("未知字段「{key}」", key="x") == t("未知字段「{key}」", key="x")
    assert t("未知字段「{key}」", key="x") != t("未知字段「{key}」", key="y")
    assert hash(t("a{b}", b=1)) == hash(t("a{b}", b=1))


def test_a_text_not_in_the_catalog_shows_as_written() -> None:
    assert t("没有译文的文字 {x}", x=1).render("en") == "没有译文的文字 1"


def test_given_texts_render_as_given_and_chinese_otherwise(tmp_path: Path) -> None:
    m = i18n.given({"zh": "中文", "en": "English"})
    assert (m.render(), m.render("en")) == ("中文", "English")
    _write_catalog(tmp_path, "pirate", _PIRATE)
    assert m.render("pirate", tmp_path) == "中文"


def test_problems_made_either_way_say_the_same() -> None:
    old = Problem(path="", code="x", message="（整个文件）", message_en="(whole document)")
    new = Problem(path="", code="x", message=t("（整个文件）"))
    assert (old.message, old.message_en) == (new.message, new.message_en)
    assert old.render("en") == new.render("en") == "(whole document): (whole document)"


def test_a_catalog_dropped_in_through_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = LedgerError([Problem(path="", code="x", message=t("（整个文件）"))])
    with pytest.raises(UnknownLanguage):
        error.render("pirate")
    _write_catalog(tmp_path, "pirate", _PIRATE)
    monkeypatch.setenv(i18n.ENV_LOCALEDIR, os.pathsep.join([str(tmp_path / "none"), str(tmp_path)]))
    assert "pirate" in i18n.available_languages()
    assert error.render("pirate") == (
        "th' ledger be havin' 1 flaw, arr:\n  - (th' whole scroll): (th' whole scroll)"
    )
    # what the new catalog leaves out shows in Chinese; the other catalogs are not touched
    assert RuleError([]).render("pirate") == "规则有 0 处错误, arr:"
    assert error.render("en").startswith("the ledger has 1 problem:")


def test_a_catalog_directory_can_be_passed_and_a_compiled_catalog_is_read(tmp_path: Path) -> None:
    _write_catalog(tmp_path, "pirate", _PIRATE, mo=True)
    assert t("（整个文件）").render("pirate", localedir=tmp_path) == "(th' whole scroll)"
    assert "pirate" in i18n.available_languages(tmp_path)
    assert "pirate" not in i18n.available_languages()


def test_a_compiled_catalog_older_than_its_source_is_not_used(tmp_path: Path) -> None:
    mo = _write_catalog(tmp_path, "pirate", {"（整个文件）": "old"}, mo=True)
    po = _write_catalog(tmp_path, "pirate", {"（整个文件）": "new"})
    os.utime(mo, (1_000_000, 1_000_000))
    assert t("（整个文件）").render("pirate", tmp_path) == "new"
    os.utime(mo, (po.stat().st_mtime + 10, po.stat().st_mtime + 10))
    assert t("（整个文件）").render("pirate", tmp_path) == "new"  # until the cache is cleared
    i18n.clear_cache()
    assert t("（整个文件）").render("pirate", tmp_path) == "old"


def test_an_unknown_language_is_an_error_that_names_the_known_ones() -> None:
    with pytest.raises(UnknownLanguage, match=r"'xx'.*DANGJIAN_LOCALEDIR.*zh, en") as info:
        t("（整个文件）").render("xx")
    assert info.value.lang == "xx"
    assert isinstance(info.value, LookupError)


def test_fuzzy_translations_are_not_used(tmp_path: Path) -> None:
    catalog = Catalog(locale="en", domain="dangjian")
    catalog.add("（整个文件）", "guessed", flags=["fuzzy"])
    target = tmp_path / "pirate" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "dangjian.po").open("wb") as f:
        write_po(f, catalog)
    assert t("（整个文件）").render("pirate", tmp_path) == "（整个文件）"


# -- the catalogs are complete ---------------------------------------------------------------


def _marked() -> dict[tuple[str, str | None], str | tuple[str, ...]]:
    """Every message marked in the source, by (msgid, context)."""
    found: dict[tuple[str, str | None], str | tuple[str, ...]] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        str(SRC), [("**.py", "python")], keywords=dict(i18n.KEYWORDS)
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found[msgid, context] = message
    return found


def _catalogs() -> list[Path]:
    return sorted(i18n.PACKAGE_LOCALEDIR.glob("*/LC_MESSAGES/dangjian.po"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_messages_are_marked_in_the_source() -> None:
    marked = _marked()
    assert ("（整个文件）", None) in marked
    assert marked["台账有 {n} 处错误", None] == ("台账有 {n} 处错误", "台账有 {n} 处错误")


def test_the_english_catalog_exists() -> None:
    assert [p.parent.parent.name for p in _catalogs()] == ["en"]


@pytest.mark.parametrize("po", _catalogs(), ids=lambda p: p.parent.parent.name)
def test_every_marked_message_is_translated_and_nothing_else_is_there(po: Path) -> None:
    marked = _marked()
    with po.open("rb") as f:
        catalog = read_po(f)
    entries = {
        (m.id[0] if isinstance(m.id, tuple) else m.id, m.context): m for m in catalog if m.id
    }
    missing = sorted(k[0] for k in marked.keys() - entries.keys())
    stale = sorted(k[0] for k in entries.keys() - marked.keys())
    untranslated = sorted(
        k[0]
        for k, m in entries.items()
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    )
    fuzzy = sorted(k[0] for k, m in entries.items() if m.fuzzy)
    assert not missing, f"messages missing from {po} (run the commands of docs/translating.md)"
    assert not untranslated, f"messages with no translation in {po}"
    assert not fuzzy, f"fuzzy entries in {po}: check them and remove the fuzzy flag"
    assert not stale, f"entries in {po} that the source no longer marks"
    assert not catalog.obsolete, f"obsolete (#~) entries in {po}: delete them"


def _call_sites() -> list[tuple[str, int, str, str | None, set[str]]]:
    """Every call of ``t``, ``tn`` and ``tp`` with a written msgid and no ``**`` argument:
    (file, line, msgid, context, the names of its keyword arguments)."""
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name = node.func.id
            if name not in ("t", "tn", "tp") or any(k.arg is None for k in node.keywords):
                continue
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            context = args.pop(0) if name == "tp" and args else None
            if not args or not isinstance(args[0], str):
                continue
            names = {k.arg for k in node.keywords if k.arg is not None}
            if name == "tn":
                names.add("n")
            sites.append((path.name, node.lineno, args[0], context, names))
    return sites


def test_messages_are_called_with_the_placeholders_of_every_translation() -> None:
    """The Chinese text and each translation format with the arguments given where the message
    is made: a translation may leave some out, but may use none that is not given."""
    sites = _call_sites()
    assert len(sites) > 20
    catalogs = []
    for po in _catalogs():
        with po.open("rb") as f:
            catalogs.append(read_po(f))
    for file, line, msgid, context, names in sites:
        texts = [msgid]
        for catalog in catalogs:
            entry = catalog.get(msgid, context=context)
            if entry is not None:
                texts += list(entry.string) if isinstance(entry.string, tuple) else [entry.string]
        for text in texts:
            assert _fields(text) <= names, f"{file}:{line}: {text!r} needs {_fields(text) - names}"


def test_no_module_hides_the_marking_functions_under_a_local_name() -> None:
    """A parameter or variable named ``t`` in a module that marks messages with ``t`` would be
    called in its place, silently (a type called with the Chinese text); so would any other
    name imported from dangjian.i18n."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            a.asname or a.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "dangjian.i18n"
            for a in node.names
        }
        for node in ast.walk(tree):
            bound = None
            if isinstance(node, ast.arg):
                bound = node.arg
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound = node.id
            assert bound not in imported, f"{path.name}:{node.lineno}: {bound} is hidden"


def test_the_command_line_speaks_a_catalog_dropped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dangjian.cli import main

    ledger = tmp_path / "bad.yaml"
    ledger.write_text("name: x\nmembers:\n  - {id: m1}\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--lang", "pirate", "validate", str(ledger)])  # no such catalog yet
    capsys.readouterr()
    _write_catalog(
        tmp_path / "locale",
        "pirate",
        {
            **_PIRATE,
            "{source}：{heading}": "{source}, matey: {heading}",
            "缺少必填字段": "ye forgot this",
        },
    )
    monkeypatch.setenv(i18n.ENV_LOCALEDIR, str(tmp_path / "locale"))
    assert main(["--lang", "pirate", "validate", str(ledger)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{ledger}, matey: th' ledger be havin' 4 flaws, arr:\n")
    assert "  - members[0].name: ye forgot this\n" in err
    assert main(["validate", str(ledger)]) == 2
    assert "members[0].name: 缺少必填字段" in capsys.readouterr().err


def test_problems_and_their_messages_pickle() -> None:
    import pickle

    from dangjian.model.resident_id import mask_resident_ids

    inner = tn("台账有 {n} 处错误", "台账有 {n} 处错误", 2)
    message = i18n.mapped(t("{source}：{heading}", source="a", heading=inner), mask_resident_ids)
    problem = Problem(path="x", code="c", message=message)
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem
    assert again.render("en") == "x: a: the ledger has 2 problems"


def test_a_new_catalog_says_how_its_language_writes_periods(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dangjian.findings import Status
    from dangjian.periods import Period

    catalog = Catalog(locale="fr", domain="dangjian")
    catalog.add("zh_CN", "fr", context="babel locale")
    catalog.add("yMMM", "yMMMM", context="babel date skeleton of a month")
    catalog.add("{year}年上半年", "premier semestre {year}")
    catalog.add("符合", "conforme")
    target = tmp_path / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "dangjian.po").open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setenv(i18n.ENV_LOCALEDIR, str(tmp_path))
    assert Period.parse("2020-05").label("fr") == "mai 2020"
    assert Period.parse("2020H1").label("fr") == "premier semestre 2020"
    assert Status.PASSED.text("fr") == "conforme"
    assert Status.FAILED.text("fr") == "不符合"  # not translated: shown in Chinese
    assert Period.parse("2020-05").label("en") == "May 2020"
