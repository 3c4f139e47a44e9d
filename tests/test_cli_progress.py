"""Progress of the command line on standard error: drawn when it is a terminal (a pseudo-terminal
here), not when it is piped, and not with ``--quiet``; standard output is the same either way."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from dangjian.cli import ENV_LANG
from tests.builders.example import EXAMPLE

pytest.importorskip("tqdm")  # the extra ``progress``, in ``test``
pytest.importorskip("termios")  # pseudo-terminals: POSIX only

CHECK = ["check", str(EXAMPLE), "--period", "2020H1", "--as-of", "2020-07-15", "--format", "json"]
PROGRAM = "import sys; from dangjian.cli import main; sys.exit(main())"


def _run(argv: list[str], tmp_path: Path, *, terminal: bool) -> tuple[int, str, str]:
    """Run the command line with ``argv``; its standard error a pseudo-terminal of 100 columns
    when ``terminal``, else a pipe. Its exit code, standard output and standard error."""
    env = {k: v for k, v in os.environ.items() if k != ENV_LANG}
    out = tmp_path / "out"
    with out.open("w", encoding="utf-8") as stdout:
        if not terminal:
            done = subprocess.run(
                [sys.executable, "-c", PROGRAM, *argv],
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=subprocess.PIPE,
                env=env,
                timeout=120,
            )
            return done.returncode, out.read_text("utf-8"), done.stderr.decode()
        import fcntl
        import pty
        import termios

        main, child = pty.openpty()
        fcntl.ioctl(
            child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 400, 0, 0)
        )  # wide: a temporary path fits
        process = subprocess.Popen(
            [sys.executable, "-c", PROGRAM, *argv],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=child,
            env=env,
        )
        os.close(child)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child's end closed (EIO on Linux)
                break
            if not chunk:
                break
            shown += chunk
        os.close(main)
        code = process.wait(timeout=120)
    return code, out.read_text("utf-8"), shown.decode("utf-8", "replace")


def test_a_check_on_a_terminal_shows_its_progress_and_not_in_a_pipe(tmp_path: Path) -> None:
    code, out, err = _run(CHECK, tmp_path, terminal=True)
    assert code == 1  # the example's known failures
    assert f"载入 {EXAMPLE}" in err
    assert "检查规则" in err and "/" in err and "rule" in err
    piped_code, piped_out, piped_err = _run(CHECK, tmp_path, terminal=False)
    assert (piped_code, piped_out) == (code, out)  # the report is the same
    assert "检查规则" not in piped_err and "载入" not in piped_err and "\r" not in piped_err


def test_quiet_silences_the_progress_on_a_terminal(tmp_path: Path) -> None:
    code, out, err = _run([*CHECK, "--quiet"], tmp_path, terminal=True)
    assert code == 1 and out.startswith("{")
    assert err == ""
    # before the command too, as -q
    assert _run(["-q", *CHECK], tmp_path, terminal=True)[2] == ""


def test_the_progress_speaks_english_with_lang_en(tmp_path: Path) -> None:
    _, _, err = _run([*CHECK, "--lang", "en"], tmp_path, terminal=True)
    assert f"loading {EXAMPLE}" in err and "checking rules" in err
    assert "检查规则" not in err


def test_quiet_silences_the_notices_but_not_the_errors(tmp_path: Path) -> None:
    # a waiver that matches nothing, allowed: a warning on standard error, unless --quiet
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nrule = "branch.lecture"\nperiod = "2020Q1"\nsubject = "no.such"\n'
        'reason = "r"\napproved_by = "a"\n',
        "utf-8",
    )
    argv = [*CHECK, "--waivers", str(waivers), "--allow-unmatched"]
    _, _, err = _run(argv, tmp_path, terminal=False)
    assert "no.such" in err
    _, _, err = _run([*argv, "--quiet"], tmp_path, terminal=False)
    assert err == ""
    code, _, err = _run(
        ["validate", str(tmp_path / "missing.yaml"), "--quiet"], tmp_path, terminal=False
    )
    assert code == 2 and "missing.yaml" in err  # an error is still said


def test_quiet_silences_warnings_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from dangjian import cli

    def run(args: object, lang: str) -> int:
        warnings.warn("install a Chinese font", UserWarning, stacklevel=1)
        return 0

    monkeypatch.setattr(cli, "_run", run)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert cli.main(["rules", "--quiet"]) == 0
        assert said == []
        assert cli.main(["rules"]) == 0
    assert [str(w.message) for w in said] == ["install a Chinese font"]


def test_a_workbook_shows_its_sheets_read(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from dangjian import example

    example.write(tmp_path / "ex")
    workbook = tmp_path / "ex" / example.WORKBOOK
    code, out, err = _run(["validate", str(workbook)], tmp_path, terminal=True)
    assert code == 0 and "台账有效" in out
    assert f"载入 {workbook}" in err and "读取工作表" in err and "sheet" in err
    assert "读取工作表" not in _run(["validate", str(workbook)], tmp_path, terminal=False)[2]
