"""Never lose a file: every writer replaces its target whole or not at all (issue 8, §1).

Each case attacks a write and checks what is on disk afterwards: the file that was there,
byte for byte, after a failed write (text that cannot be encoded, a failing disk, a file-size
limit); an output that is an input refused however it is spelled; an existing output replaced
only with ``--force``; the permissions of ledger files; and text that loads but could not be
written refused as a located load error.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dangjian
from dangjian import DangjianError, Ledger, LedgerError, dump, load, loads
from dangjian.cli import main
from tests.builders import examples
from tests.builders.example import EXAMPLE, WAIVERS, example_ledger
from tests.builders.sample import build_ledger

CHECK_ARGS = ["--period", "2020H1", "--as-of", "2020-07-15", "--profile", "organ"]
SUFFIXES = (".json", ".yaml", ".toml", ".xlsx")


@pytest.fixture(scope="module")
def example() -> Ledger:
    return example_ledger()


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _suffix_ok(suffix: str) -> None:
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")


def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), stat.S_IMODE(path.stat().st_mode)


def _unwritable(ledger: Ledger) -> Ledger:
    """The ledger with a lone surrogate in a member's name, which no UTF-8 file can hold."""
    first = attrs.evolve(ledger.members[0], name="张\udfff三")
    return attrs.evolve(ledger, members=(first, *ledger.members[1:]))


def _only(directory: Path, *names: str) -> None:
    """Nothing but ``names`` in ``directory``: no temporary file was left behind."""
    assert sorted(p.name for p in directory.iterdir()) == sorted(names)


# -- a failed write leaves the file as it was -------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_failing_rename_leaves_the_file_and_no_temporary(
    suffix: str, tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: Any
) -> None:
    _suffix_ok(suffix)
    target = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), target)
    before = _snapshot(target)

    def broken(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="No space"):
        dump(make_ledger(name="另一个台账"), target)
    assert _snapshot(target) == before
    _only(tmp_path, target.name)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_disk_that_fails_mid_write_leaves_the_file(
    suffix: str,
    tmp_path: Path,
    example: Ledger,
    make_ledger: Callable[..., Ledger],
    monkeypatch: Any,
) -> None:
    """The write itself fails after part of the new content went out (a full disk)."""
    _suffix_ok(suffix)
    target = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), target)
    before = _snapshot(target)
    written = 0

    class Filling(io.FileIO):
        """A file on a disk that fills up: short writes, then ENOSPC."""

        def write(self, data: Any) -> int:
            nonlocal written
            if written >= 2000:
                raise OSError(28, "No space left on device")
            n = super().write(bytes(data[:1000]))
            written += n
            return n

    real_fdopen = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            return io.BufferedWriter(Filling(fd, "wb"))
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OSError, match="No space"):
        dump(example, target)
    assert written > 0  # the failure came in the middle of writing
    assert _snapshot(target) == before
    _only(tmp_path, target.name)


@pytest.mark.parametrize("suffix", (".json", ".yaml", ".toml"))
def test_text_that_cannot_be_encoded_leaves_the_file(
    suffix: str, tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    target = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), target)
    before = _snapshot(target)
    with pytest.raises(DangjianError, match="UTF-8") as caught:
        dump(_unwritable(make_ledger()), target)
    assert "文件未改动" in str(caught.value)
    assert _snapshot(target) == before
    _only(tmp_path, target.name)


FSIZE_SCRIPT = textwrap.dedent(
    """
    import resource, signal, sys
    from dangjian.cli import main
    limit = int(sys.argv[1])
    # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG; with the signal's
    # default action the process is killed in the middle of the write
    if sys.argv[2] == "killed":
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    sys.exit(main(sys.argv[3:]))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("signal_action", ["efbig", "killed"])
def test_a_file_size_limit_mid_write_leaves_the_ledger(
    suffix: str, signal_action: str, tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    """A write cut short by ``ulimit -f`` leaves the good ledger, whether the process gets
    EFBIG or is killed by SIGXFSZ."""
    _suffix_ok(suffix)
    target = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), target)
    before = _snapshot(target)
    limit = len(before[0]) + 1024
    sized = tmp_path.parent / f"{tmp_path.name}-size{suffix}"
    dump(load(EXAMPLE), sized)
    assert sized.stat().st_size > limit + 8192  # the new ledger is far bigger than the limit
    sized.unlink()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            FSIZE_SCRIPT,
            str(limit),
            signal_action,
            "convert",
            str(EXAMPLE),
            str(target),
            "--force",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if signal_action == "efbig":
        assert done.returncode == 2, done.stderr
        assert "dangjian:" in done.stderr
        _only(tmp_path, target.name)  # the temporary file was removed
    else:
        assert done.returncode < 0  # killed by the signal, mid-write
    assert _snapshot(target) == before
    assert load(target) == make_ledger()


# -- an output that is an input is refused, however it is spelled ----------------------------


def _spellings(tmp_path: Path, ledger: Path, monkeypatch: Any) -> list[str]:
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(ledger)
    hard = tmp_path / "hard.json"
    os.link(ledger, hard)
    monkeypatch.chdir(tmp_path)
    return [
        str(ledger),
        ledger.name,
        f"./{ledger.name}",
        f"sub/../{ledger.name}",
        str(link),
        str(hard),
    ]


def test_convert_onto_itself_is_refused_however_spelled(
    tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: Any, capsys: Any
) -> None:
    ledger = tmp_path / "w.json"
    dump(make_ledger(), ledger)
    before = _snapshot(ledger)
    for spelling in _spellings(tmp_path, ledger, monkeypatch):
        for force in ([], ["--force"]):
            assert main(["convert", str(ledger), spelling, *force]) == 2, spelling
            err = capsys.readouterr().err
            assert "输出文件就是输入文件" in err
            assert _snapshot(ledger) == before
    assert main(["convert", str(ledger), str(ledger), "--lang", "en"]) == 2
    assert "the output is the input file" in capsys.readouterr().err
    assert _snapshot(ledger) == before


def test_convert_of_a_ledger_that_cannot_be_written_leaves_it(
    tmp_path: Path, make_ledger: Callable[..., Ledger], capsys: Any
) -> None:
    """The case of the issue: ``convert w.json w.json`` on a ledger that loads but cannot be
    written. It is refused as the same file; and the ledger's bad text is a load error."""
    data = json.loads(dangjian.dumps(make_ledger(), "json"))
    data["members"][0]["name"] = "张\udfff三"
    ledger = tmp_path / "w.json"
    ledger.write_text(json.dumps(data, ensure_ascii=True), "ascii")  # "\udfff" as an escape
    before = _snapshot(ledger)
    assert main(["convert", str(ledger), str(ledger), "--force"]) == 2
    assert _snapshot(ledger) == before
    capsys.readouterr()
    other = tmp_path / "out.yaml"
    assert main(["convert", str(ledger), str(other)]) == 2
    err = capsys.readouterr().err
    assert "members[0].name" in err
    assert "\\udfff" in err
    assert not other.exists()
    assert _snapshot(ledger) == before


@pytest.mark.parametrize("option", ["ledger", "waivers", "rules", "profile"])
@pytest.mark.parametrize("command", ["check", "summary"])
def test_output_onto_an_input_is_refused(
    option: str, command: str, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    """``check led.yaml --output led.yaml`` replaced the ledger by the report; every file a
    check reads is protected, with or without --force."""
    ledger = tmp_path / "led.yaml"
    ledger.write_bytes(EXAMPLE.read_bytes())
    waivers = tmp_path / "waivers.toml"
    waivers.write_bytes(WAIVERS.read_bytes())
    rules = tmp_path / "more.toml"
    rules.write_text("", "utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text('extends = "organ"\n', "utf-8")
    victim = {"ledger": ledger, "waivers": waivers, "rules": rules, "profile": profile}[option]
    before = _snapshot(victim)
    monkeypatch.chdir(tmp_path)
    args = [command, "led.yaml", "--period", "2020H1", "--as-of", "2020-07-15"]
    args += ["--waivers", str(waivers), "--rules", str(rules), "--profile", str(profile)]
    assert main([*args, "--output", f"./{victim.name}", "--force"]) == 2
    assert "输出文件就是输入文件" in capsys.readouterr().err
    assert _snapshot(victim) == before


# -- an existing output is replaced only with --force ----------------------------------------


def _outputs(tmp_path: Path) -> list[tuple[list[str], Path]]:
    report = tmp_path / "report.md"
    draft = tmp_path / "draft.md"
    converted = tmp_path / "converted.json"
    template = tmp_path / "template.xlsx"
    cases = [
        (["convert", str(EXAMPLE), str(converted)], converted),
        (
            ["check", str(EXAMPLE), *CHECK_ARGS, "--format", "markdown", "--output", str(report)],
            report,
        ),
        (["summary", str(EXAMPLE), *CHECK_ARGS, "--output", str(draft)], draft),
    ]
    try:
        import openpyxl  # noqa: F401

        cases.append((["template", str(template)], template))
    except ImportError:  # pragma: no cover
        pass
    try:
        import docx  # noqa: F401

        doc = tmp_path / "draft.docx"
        cases.append(
            (["summary", str(EXAMPLE), *CHECK_ARGS, "--format", "docx", "--output", str(doc)], doc)
        )
    except ImportError:  # pragma: no cover
        pass
    return cases


def test_an_existing_output_is_replaced_only_with_force(tmp_path: Path, capsys: Any) -> None:
    for args, target in _outputs(tmp_path):
        target.write_bytes(b"precious")
        code = main(args)
        assert code == 2, args
        assert "--force" in capsys.readouterr().err
        assert target.read_bytes() == b"precious", args
        assert main([*args, "--force"]) in (0, 1), args  # check exits 1 on failures
        assert target.read_bytes() != b"precious", args
        capsys.readouterr()
    _only(tmp_path, *(t.name for _, t in _outputs(tmp_path)))


def test_dump_refuses_an_existing_file_when_asked(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    target = tmp_path / "ledger.yaml"
    target.write_bytes(b"precious")
    with pytest.raises(DangjianError, match="exists"):
        dump(make_ledger(), target, overwrite=False)
    assert target.read_bytes() == b"precious"
    _only(tmp_path, target.name)
    fresh = tmp_path / "fresh.yaml"
    dump(make_ledger(), fresh, overwrite=False)
    assert load(fresh) == make_ledger()


def test_dump_through_a_symlink_keeps_the_link(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    real = tmp_path / "real.json"
    dump(make_ledger(), real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    dump(make_ledger(name="新名字"), link)
    assert link.is_symlink()
    assert load(real).name == "新名字"


# -- permissions -------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_new_ledger_file_is_readable_by_its_owner_only(
    suffix: str, tmp_path: Path, make_ledger: Callable[..., Ledger], umask_022: None, capsys: Any
) -> None:
    _suffix_ok(suffix)
    target = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    converted = tmp_path / f"converted{suffix}"
    assert main(["convert", str(target), str(converted)]) == 0
    assert stat.S_IMODE(converted.stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_replaced_file_keeps_its_permissions(
    suffix: str, tmp_path: Path, make_ledger: Callable[..., Ledger], umask_022: None
) -> None:
    _suffix_ok(suffix)
    target = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), target)
    target.chmod(0o640)
    dump(make_ledger(name="新名字"), target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert load(target).name == "新名字"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_report_gets_the_usual_permissions(tmp_path: Path, umask_022: None) -> None:
    """A report shows resident ids masked only, so it is not made private."""
    report = tmp_path / "report.csv"
    args = ["check", str(EXAMPLE), *CHECK_ARGS, "--format", "csv", "--output", str(report)]
    assert main(args) in (0, 1)
    assert stat.S_IMODE(report.stat().st_mode) == 0o644


# -- whatever loads can be written -------------------------------------------------------------


def test_a_surrogate_escape_in_json_is_a_located_load_error(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    data = json.loads(dangjian.dumps(make_ledger(), "json"))
    data["members"][1]["note"] = "备注\ud800"
    data["branches"][0]["name"] = "\udfff"
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(LedgerError) as caught:
        load(path)
    paths = {p.path for p in caught.value.problems if p.code == "unwritable_text"}
    assert paths == {"members[1].note", "branches[0].name"}
    assert "单独的代理项" in caught.value.render("zh")
    assert "lone surrogate" in caught.value.render("en")


def test_a_surrogate_in_a_key_is_located(make_ledger: Callable[..., Ledger]) -> None:
    data = json.loads(dangjian.dumps(make_ledger(), "json"))
    data["members"][0]["x\udfff"] = 1
    with pytest.raises(LedgerError) as caught:
        loads(json.dumps(data), "json")
    codes = {(p.code, p.path) for p in caught.value.problems}
    assert ("unwritable_text", "members[0].x\\udfff") in codes
    caught.value.render("en").encode("utf-8")  # the message itself can be written


@pytest.mark.parametrize("fmt", ["json", "yaml", "toml"])
def test_a_raw_surrogate_in_text_given_to_loads_is_a_load_error(
    fmt: Any, make_ledger: Callable[..., Ledger]
) -> None:
    text = dangjian.dumps(make_ledger(), fmt).replace(make_ledger().name, "台账\udfff", 1)
    assert "\udfff" in text
    with pytest.raises(LedgerError) as caught:
        loads(text, fmt)
    (problem,) = caught.value.problems
    if fmt == "yaml":
        assert problem.message_en.startswith("cannot be parsed, line 1, column")
    else:
        assert problem.path == "name"


def test_a_surrogate_in_a_workbook_is_located_at_its_cell(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    """A workbook writes a lone surrogate as the escape _xDFFF_, which Excel reads back."""
    pytest.importorskip("openpyxl")
    path = tmp_path / "w.xlsx"
    dump(_unwritable(make_ledger()), path)  # the escape can be written, its text cannot
    with pytest.raises(LedgerError) as caught:
        load(path)
    rendered = [p.render("en") for p in caught.value.problems]
    assert len(rendered) == 1
    assert rendered[0].startswith("党员 第2行 姓名列: ")
    assert "lone surrogate" in rendered[0]


def test_every_format_writes_what_it_loads(tmp_path: Path, example: Ledger) -> None:
    """The converse: the example, loaded from each format, is written to every other."""
    for suffix in SUFFIXES:
        _suffix_ok(suffix)
        source = tmp_path / f"a{suffix}"
        dump(example, source)
        loaded = load(source)
        for other in SUFFIXES:
            target = tmp_path / f"b{other}"
            dump(loaded, target)
            assert load(target) == example


# -- the other writers: charts, Word, the template -------------------------------------------


def _failing_rename(monkeypatch: Any) -> None:
    def broken(*args: Any) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken)


def test_a_chart_that_fails_to_be_written_leaves_the_file(
    tmp_path: Path, example: Ledger, monkeypatch: Any
) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from dangjian import charts

    fig = Figure()
    fig.subplots().plot([1, 2, 3])
    target = tmp_path / "chart.svg"
    charts.save_chart(fig, target)
    before = _snapshot(target)
    fig.subplots().plot([3, 2, 1])
    _failing_rename(monkeypatch)
    with pytest.raises(OSError, match="Input/output"):
        charts.save_chart(fig, target)
    assert _snapshot(target) == before
    _only(tmp_path, target.name)


def test_a_word_draft_or_template_that_fails_to_be_written_leaves_the_file(
    tmp_path: Path, example: Ledger, monkeypatch: Any, capsys: Any
) -> None:
    pytest.importorskip("docx")
    pytest.importorskip("openpyxl")
    draft = tmp_path / "draft.docx"
    template = tmp_path / "template.xlsx"
    draft.write_bytes(b"the old draft")
    template.write_bytes(b"the old template")
    _failing_rename(monkeypatch)
    summary = ["summary", str(EXAMPLE), *CHECK_ARGS, "--format", "docx", "--output", str(draft)]
    assert main([*summary, "--force"]) == 2
    assert main(["template", str(template), "--force"]) == 2
    assert "Input/output error" in capsys.readouterr().err
    assert draft.read_bytes() == b"the old draft"
    assert template.read_bytes() == b"the old template"
    _only(tmp_path, draft.name, template.name)


def _text_paths(value: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Every text in plain data: its path, its container and its key or index there."""
    found: list[tuple[str, Any, Any]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for k, v in items:
        inner = f"{path}[{k}]" if isinstance(value, list) else (f"{path}.{k}" if path else k)
        if isinstance(v, str):
            found.append((inner, value, k))
        elif isinstance(v, dict | list):
            found += _text_paths(v, inner)
    return found


@given(place=st.integers(min_value=0), at=st.integers(min_value=0), high=st.booleans())
@settings(max_examples=examples(60), deadline=None)
def test_a_surrogate_anywhere_is_found_at_its_path(place: int, at: int, high: bool) -> None:
    """Whichever text of a ledger gets a lone surrogate, loading reports it there."""
    data = json.loads(dangjian.dumps(build_ledger(), "json"))
    paths = _text_paths(data)
    path, container, key = paths[place % len(paths)]
    text = container[key]
    cut = at % (len(text) + 1)
    container[key] = text[:cut] + chr(0xD800 if high else 0xDFFF) + text[cut:]
    with pytest.raises(LedgerError) as caught:
        loads(json.dumps(data), "json")  # written as the escape "\ud800"
    found = [p.path for p in caught.value.problems if p.code == "unwritable_text"]
    assert found == [path]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_as_output_is_written_to_directly(capsys: Any) -> None:
    """``--output /dev/null`` is not a file to replace nor one that exists to protect."""
    args = ["check", str(EXAMPLE), *CHECK_ARGS, "--format", "csv", "--output", os.devnull]
    assert main(args) in (0, 1)
    assert "2020" in capsys.readouterr().out  # the summary line
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # still the device


def test_a_directory_as_output_is_refused(tmp_path: Path, capsys: Any) -> None:
    args = ["check", str(EXAMPLE), *CHECK_ARGS, "--output", str(tmp_path), "--force"]
    assert main(args) == 2
    assert "dangjian:" in capsys.readouterr().err
    _only(tmp_path)


# -- review: the rule files a profile extends, pipes, read-only files, long names --------------


@pytest.mark.parametrize("command", ["check", "summary"])
def test_output_onto_a_rule_file_that_is_extended_is_refused(
    command: str, tmp_path: Path, capsys: Any
) -> None:
    """``--profile mine.toml`` where mine.toml extends base.toml: base.toml is read too, and an
    output onto it is refused even with --force."""
    base = tmp_path / "base.toml"
    base.write_text('profile = "base"\ntitle = "base"\nextends = ["organ"]\n', "utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(f'profile = "mine"\ntitle = "mine"\nextends = [{json.dumps(str(base))}]\n')
    before = _snapshot(base)
    args = [command, str(EXAMPLE), "--period", "2020H1", "--as-of", "2020-07-15"]
    args += ["--profile", str(mine), "--output", str(base), "--force"]
    assert main(args) == 2
    assert "输出文件就是输入文件" in capsys.readouterr().err
    assert _snapshot(base) == before
    _only(tmp_path, base.name, mine.name)


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="needs /dev/stdout")
def test_dev_stdout_on_a_pipe_as_output() -> None:
    """``check --output /dev/stdout | …``: the pipe has no file name to put a temporary file
    next to; the report goes down the pipe."""
    script = "import sys; from dangjian.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["check", str(EXAMPLE), *CHECK_ARGS, "--format", "csv", "--output", "/dev/stdout"]
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout.startswith("\ufeff规则,状态,级别,"), done.stdout[:200]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_read_only_file_is_not_replaced(
    suffix: str, tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: Any
) -> None:
    """A ledger made read-only (``chmod a-w``) was protected when files were written in place;
    the rename alone would replace it. It still is, with a PermissionError, for any user."""
    _suffix_ok(suffix)
    target = tmp_path / f"ledger{suffix}"
    dump(make_ledger(), target)
    target.chmod(0o444)
    before = _snapshot(target)
    if os.geteuid() == 0:  # root may write anything: play a user who may not write this file
        real_access = os.access

        def access(path: Any, mode: int, **kwargs: Any) -> bool:
            if mode & os.W_OK and os.path.samefile(path, target):
                return False
            return real_access(path, mode, **kwargs)

        monkeypatch.setattr(os, "access", access)
    with pytest.raises(PermissionError):
        dump(make_ledger(name="另一个台账"), target)
    assert _snapshot(target) == before
    _only(tmp_path, target.name)


def test_a_long_file_name_leaves_room_for_the_temporary_name(
    tmp_path: Path, make_ledger: Callable[..., Ledger]
) -> None:
    """A name near the longest a file system allows (255 bytes) can still be written."""
    target = tmp_path / ("台" * 80 + ".json")  # 245 bytes in UTF-8
    dump(make_ledger(), target)
    dump(make_ledger(name="新名字"), target)
    assert load(target).name == "新名字"
    _only(tmp_path, target.name)


def test_an_interrupt_mid_write_leaves_the_file_and_no_temporary(
    tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: Any
) -> None:
    """Ctrl-C while the disk syncs: a KeyboardInterrupt, which is no Exception, cleans up too."""
    target = tmp_path / "ledger.json"
    dump(make_ledger(), target)
    before = _snapshot(target)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        dump(make_ledger(name="另一个台账"), target)
    assert _snapshot(target) == before
    _only(tmp_path, target.name)


def test_a_file_that_appears_while_writing_is_not_overwritten(
    tmp_path: Path, make_ledger: Callable[..., Ledger], monkeypatch: Any
) -> None:
    """``overwrite=False`` checks at the last moment too (a link, which fails on an existing
    name): a file another process made while the ledger was being written stays."""
    target = tmp_path / "ledger.json"
    real_fsync = os.fsync

    def racer(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_bytes(b"written by another process")

    monkeypatch.setattr(os, "fsync", racer)
    with pytest.raises(DangjianError, match="exists"):
        dump(make_ledger(), target, overwrite=False)
    assert target.read_bytes() == b"written by another process"
    _only(tmp_path, target.name)


def test_an_output_in_a_missing_directory_is_named_in_the_error(
    tmp_path: Path, capsys: Any
) -> None:
    """The error names the file asked for and its directory, not the temporary file's name."""
    target = tmp_path / "missing" / "out.json"
    assert main(["convert", str(EXAMPLE), str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and ".tmp" not in err
    assert "no temporary file can be made in" in err
    _only(tmp_path)
