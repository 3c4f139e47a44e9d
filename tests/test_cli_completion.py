"""``dangjian completion bash|zsh``: the completion script shtab writes from the parser itself,
so that it names every command and option there is; a clear message without shtab."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dangjian import cli
from dangjian.cli import ENV_LANG, main

pytest.importorskip("shtab")  # the extra ``completion``, in ``test``


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_LANG, raising=False)


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = cli._parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def _script(shell: str, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    assert main(["completion", shell, *more]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def _bash_completes(script: Path, *words: str, cwd: Path | None = None) -> list[str]:
    """What bash offers after ``words`` (the last one being typed), through the script."""
    line = " ".join(words)
    program = (
        f"source {script}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
        f"COMP_CWORD={len(words) - 1}; COMP_LINE={line!r}; COMP_POINT={len(line)}; "
        '_shtab_dangjian; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, check=True, timeout=30, cwd=cwd
    )
    return sorted(done.stdout.split())


def test_the_bash_script_names_every_command_and_is_valid_bash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _script("bash", capsys)
    commands = _commands()
    assert len(commands) >= 14
    for name, sub in commands.items():
        assert f" {name} " in script or f"({name} " in script or f" {name})" in script, name
        for action in sub._actions:
            for option in action.option_strings:
                assert option in script, (name, option)
    path = tmp_path / "dangjian.bash"
    path.write_text(script, "utf-8")
    subprocess.run(["bash", "-n", str(path)], check=True, timeout=30)
    # and it completes: a command, an option, the values of --format
    assert _bash_completes(path, "dangjian", "ch") == ["check"]
    assert _bash_completes(path, "dangjian", "check", "--fo") == ["--force", "--format"]
    offered = _bash_completes(path, "dangjian", "check", "--format", "")
    assert offered == sorted(cli.format_names())
    assert _bash_completes(path, "dangjian", "completion", "") == ["bash", "zsh"]


def test_files_rules_and_profiles_are_completed_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "dangjian.bash"
    script.write_text(_script("bash", capsys), "utf-8")
    here = tmp_path / "here"
    (here / "branch").mkdir(parents=True)
    for name in ("ledger.yaml", "ledger.xlsx", "notes.txt", "waivers.toml", "old.docx"):
        (here / name).touch()

    def offered(*words: str) -> list[str]:
        return _bash_completes(script, "dangjian", *words, cwd=here)

    # a ledger: the ledger formats and the directories, not the notes
    assert offered("check", "") == ["branch", "ledger.xlsx", "ledger.yaml", "waivers.toml"]
    assert offered("check", "x", "--rules", "") == ["branch", "waivers.toml"]
    assert offered("summary", "x", "--reference", "") == ["branch", "old.docx"]
    assert offered("export", "x", "") == ["branch"]  # DIR: directories only
    assert "notes.txt" in offered("convert", "x", "")  # OUT: any file
    assert offered("check", "x", "--profile", "") == ["national", "organ"]
    assert offered("explain", "dues.s") == ["dues.salaried"]
    ids = offered("check", "x", "--select", "")
    assert "branch.congress" in ids and "dues.monthly" in ids and len(ids) > 50


def test_the_zsh_script_names_every_command_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _script("zsh", capsys)
    for name in _commands():
        assert f"_shtab_dangjian_{name}_options=(" in script, name
    assert "check:'按规则检查台账'" in script
    assert ":profile:(national organ)" in script and "dues.salaried" in script
    english = _script("zsh", capsys, "--lang", "en")
    assert "check:'check a ledger against the rules'" in english
    zsh = shutil.which("zsh")
    if zsh is None:
        pytest.skip("zsh is not installed (CI has none): its script was not parsed by zsh")
    path = tmp_path / "_dangjian"
    path.write_text(script, "utf-8")
    subprocess.run([zsh, "-n", str(path)], check=True, timeout=30)


def test_another_shell_is_refused_with_the_ones_there_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["completion", "fsh"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "fsh 不可用；可用的有：bash, zsh" in err


def test_without_shtab_the_message_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "shtab", None)  # import shtab → ImportError
    assert main(["completion", "bash"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert 'pip install "dangjian[completion]"' in err and "shtab" in err
    assert main(["completion", "bash", "--lang", "en"]) == 2
    assert "this feature needs shtab" in capsys.readouterr().err
