"""The distributions as a new user gets them: the sdist holds what the tests need, and the wheel,
installed into a fresh virtual environment, writes out the example and checks it.

The builds run without build isolation (``python -m build --no-isolation``), with the
setuptools and babel of the test environment (the ``test`` extra has both), so that nothing is
downloaded. They run in a copy of the source tree, so that builds of two test processes at once
(pytest-xdist) do not write the same ``build/`` and ``*.egg-info`` directories.

The fresh environment is made without pip (``python -m venv --without-pip``); the wheel is
installed into it by the running interpreter's pip (``pip --python NEW install --no-deps
--no-index WHEEL``), and a ``.pth`` file makes the running environment's site-packages visible
to it for the dependencies (attrs, cattrs, babel, openpyxl, …). A ``.pth`` line only adds a
directory to ``sys.path``, after the environment's own site-packages, and runs none of the
``.pth`` files in it: the editable install of the running environment (its import hook) stays
out, and ``dangjian`` is imported from the wheel, which the test checks. Nothing is downloaded,
and the whole test takes some 20 s on two cores.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

import dangjian.example as example
from tests.builders import ROOT
from tests.builders.example import checked_example

pytestmark = pytest.mark.packaging

NAME = f"dangjian-{version('dangjian')}"


def _ignored(directory: str, names: list[str]) -> set[str]:
    """What a copy of the source tree leaves out: what builds, tests and tools leave behind, and
    what ``dangjian example examples`` and ``mkdocs build`` write at the top."""
    top = Path(directory).resolve() == ROOT
    return {
        n
        for n in names
        if n in {"__pycache__", "build", "dist", "_data"}
        or n.endswith((".egg-info", ".pyc", ".mo"))
        or (top and (n.startswith(".") or n in {"examples", "site"}))
    }


def _build(tmp_path: Path, *which: str) -> Path:
    """The distributions built from a copy of the source tree, in ``tmp_path / "dist"``."""
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=_ignored)
    out = tmp_path / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", *which, "--outdir", str(out), "."],
        cwd=tree,
        capture_output=True,
        text=True,
        env=_clean_environment(),
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def _clean_environment(**extra: str) -> dict[str, str]:
    """The environment of a child process: no path or language of this test run leaks in."""
    dropped = {"PYTHONPATH", "VIRTUAL_ENV", "DANGJIAN_LANG", "DANGJIAN_LOCALEDIR", "PYTHONHOME"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


def _tree_files(*tops: str) -> set[str]:
    """The files under ``tops`` of the source tree that an sdist must hold, relative to it."""
    found = set()
    for top in tops:
        for path in (ROOT / top).rglob("*"):
            relative = path.relative_to(ROOT)
            if path.is_file() and not _ignored_path(relative):
                found.add(relative.as_posix())
    return found


def _ignored_path(relative: Path) -> bool:
    return any(
        part in {"__pycache__", "_data"} or part.endswith((".egg-info", ".pyc", ".mo"))
        for part in relative.parts
    )


def test_the_sdist_holds_what_the_tests_need(tmp_path: Path) -> None:
    """The sdist is testable (MANIFEST.in): the package, the tests, the docs (doctests), the
    benchmarks (their generators are tested), the mypy plugin, and no build or cache files."""
    out = _build(tmp_path, "--sdist")
    [sdist] = out.glob("*.tar.gz")
    assert sdist.name == f"{NAME}.tar.gz"
    with tarfile.open(sdist) as archive:
        members = {
            name.partition("/")[2] for name in archive.getnames() if name.startswith(f"{NAME}/")
        }
    needed = _tree_files("src/dangjian", "tests", "docs", "benchmarks", "tools")
    needed |= {
        "pyproject.toml",
        "setup.py",
        "MANIFEST.in",
        "README.md",
        "CHANGELOG.md",
        "mkdocs.yml",
    }
    needed |= {"LICENSE", "babel.cfg"}
    assert needed - members == set()
    assert {f"src/dangjian/example/{name}" for name in example.FILES} <= members
    assert "tests/conftest.py" in members and "docs/conftest.py" in members
    stray = [m for m in members if _ignored_path(Path(m)) and ".egg-info" not in m]
    assert stray == []
    assert not any(m.startswith((".", "examples/", "build/")) for m in members)


def test_the_wheel_installed_afresh_writes_out_the_example_and_checks_it(tmp_path: Path) -> None:
    out = _build(tmp_path)  # the sdist, then the wheel from the sdist, as pip would
    [wheel] = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        members = set(archive.namelist())
    assert {f"dangjian/example/{name}" for name in example.FILES} <= members
    assert "dangjian/locale/en/LC_MESSAGES/dangjian.mo" in members
    assert f"{NAME}.dist-info/licenses/LICENSE" in members
    assert not any(m.startswith(("tests/", "docs/")) for m in members)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    subprocess.run([*pip, "--no-deps", "--no-index", str(wheel)], check=True, timeout=120)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    (Path(purelib) / "_dangjian_test_dependencies.pth").write_text(
        "\n".join(ours) + "\n", encoding="utf-8"
    )

    home = tmp_path / "home"
    home.mkdir()
    env = _clean_environment(
        COLUMNS="200",  # the text report is fitted to the terminal: no rule id wrapped
        PATH=os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]),
    )

    def run(*words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(words), cwd=home, capture_output=True, text=True, env=env, timeout=120
        )

    where = run(
        str(python), "-c", "import dangjian; print(dangjian.__file__, dangjian.__version__)"
    )
    path, _, shown_version = where.stdout.strip().rpartition(" ")
    assert Path(path).is_relative_to(venv), where.stdout + where.stderr
    assert shown_version == version("dangjian")
    dangjian_command = str(bin_dir / "dangjian")
    assert run(dangjian_command, "--version").stdout == f"dangjian {version('dangjian')}\n"

    # what README.md runs first: dangjian example examples && dangjian check examples/…
    written = run(dangjian_command, "example", "examples")
    assert written.returncode == 0, written.stderr
    files = [*example.FILES, example.WORKBOOK]
    assert sorted(p.name for p in (home / "examples").iterdir()) == sorted(files)
    for name in example.FILES:
        assert (home / "examples" / name).read_bytes() == example.read(name)
    suggested = shlex.split(written.stdout.splitlines()[-1].partition("：")[2])
    assert suggested[:2] == ["dangjian", "check"]
    checked = run(dangjian_command, *suggested[1:])
    assert checked.returncode == 1, checked.stderr
    failures = checked_example().report.filter(status="failed", severity="error")
    assert len(failures) > 0
    for finding in failures:  # the text for people groups them by rule and subject
        assert f"（{finding.rule}）" in checked.stdout, finding
        assert finding.subject.name in checked.stdout, finding

    # the same check as JSON, as of the day the tests judge the example, in English (the .mo
    # compiled into the wheel): finding for finding what the source tree's check finds
    as_json = run(
        dangjian_command,
        "check",
        "examples/x-bureau-2020h1.yaml",
        "--lang",
        "en",
        "--period",
        "2020H1",
        "--as-of",
        "2020-07-15",
        "--profile",
        "organ",
        "--rules",
        "examples/x-bureau-plan.toml",
        "--waivers",
        "examples/x-bureau-waivers.toml",
        "--format",
        "json",
    )
    assert as_json.returncode == 1, as_json.stderr
    assert as_json.stderr.startswith("dangjian: note: waiver not applied: ")
    report = json.loads(as_json.stdout)
    expected = checked_example().report
    assert report["counts"] == {status.code: n for status, n in expected.counts().items()}
    got = sorted(
        (f["rule"], f["subject"]["id"], f["period"], f["status"]) for f in report["findings"]
    )
    assert got == sorted(
        (f.rule, f.subject.id, str(f.period) if f.period else None, f.status.code) for f in expected
    )
    assert run(dangjian_command, "example", "examples").returncode == 2  # nothing overwritten
