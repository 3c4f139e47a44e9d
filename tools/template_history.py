"""Write ``src/dangjian/data/template_history.toml`` from the repository's history.

For every commit that changed the workbook's layout or the fields it is derived from, the layout
of that commit is built (its ``src`` taken out with ``git archive`` and imported in a fresh
interpreter), and the sheets' names and column headers are compared with today's:

- a header (or sheet name) that an older layout gave a column (or sheet) that is still there
  under another is an *older header*, read as the column it was;
- a column that the first layout lacked is *added*, with the date of the first commit that has
  it: a workbook without it may be from an older template.

Run from the repository's root: ``python tools/template_history.py`` (it reads git, writes the
file, and prints what it found). Commits older than the first workbook layout are skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

OUT = Path("src/dangjian/data/template_history.toml")
WATCHED = ["src/dangjian/io/_excel_layout.py", "src/dangjian/model", "src/dangjian/ledger.py"]
DUMP = """
import json
from dangjian.io import _excel_layout as L
print(json.dumps({s.ident: {"name": s.name, "columns": {c.key: c.header for c in s.columns}}
                  for s in (L.HEAD, *L.SHEETS)}, ensure_ascii=False))
"""


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], check=True, capture_output=True).stdout


def _layout(commit: str) -> dict[str, dict[str, object]] | None:
    """The sheets and columns of ``commit``'s layout, or None when it has none."""
    with tempfile.TemporaryDirectory() as here:
        archive = _git("archive", "--format=tar", commit, "src")
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(here, filter="data")
        if not (Path(here) / "src/dangjian/io/_excel_layout.py").exists():
            return None
        run = subprocess.run(
            [sys.executable, "-c", DUMP],
            capture_output=True,
            text=True,
            cwd=here,
            env={"PYTHONPATH": str(Path(here) / "src"), "PATH": ""},
        )
        if run.returncode != 0:
            return None
        found: dict[str, dict[str, object]] = json.loads(run.stdout)
        return found


def _columns(layout: dict[str, dict[str, object]], ident: str) -> dict[str, str]:
    columns = layout.get(ident, {}).get("columns", {})
    assert isinstance(columns, dict)
    return columns


def main() -> None:
    commits = _git("log", "--reverse", "--format=%h %ad", "--date=short", "--", *WATCHED)
    history: list[tuple[str, str, dict[str, dict[str, object]]]] = []
    for line in commits.decode().splitlines():
        commit, day = line.split()
        layout = _layout(commit)
        if layout is not None:
            history.append((commit, day, layout))
    now = history[-1][2]
    older: dict[tuple[str, str], tuple[str, str]] = {}  # (sheet, header) → (key, since)
    added: dict[tuple[str, str], tuple[str, str]] = {}  # (sheet, key) → (header, day)
    for commit, _day, layout in history:
        for ident, sheet in layout.items():
            if ident not in now:
                continue
            current = now[ident]
            if sheet["name"] != current["name"]:
                older.setdefault((ident, str(sheet["name"])), ("", commit))
            columns = sheet["columns"]
            assert isinstance(columns, dict)
            for key, header in columns.items():
                kept = current["columns"]
                assert isinstance(kept, dict)
                if key in kept and header != kept[key]:
                    older.setdefault((ident, header), (key, commit))
    first = history[0][2]
    for ident, sheet in now.items():
        columns = sheet["columns"]
        assert isinstance(columns, dict)
        for key, header in columns.items():
            before = first.get(ident, {}).get("columns", {})
            assert isinstance(before, dict)
            if key in before:
                continue
            day = next(d for _, d, layout in history if key in _columns(layout, ident))
            added[ident, key] = (header, day)
    lines = [
        "# The workbook template's history, written by tools/template_history.py from git: do not",
        "# edit by hand. Read by dangjian.io._excel_older.",
        f"# {len(history)} layouts compared, from {history[0][0]} ({history[0][1]}) to "
        f"{history[-1][0]} ({history[-1][1]}).",
        "",
        "# Headers (and sheet names) an older template gave a column that has another today.",
        "# An empty key is a sheet's older name.",
    ]
    for (ident, header), (key, commit) in sorted(older.items()):
        lines += ["[[older]]", f'sheet = "{ident}"', f'header = "{header}"', f'key = "{key}"']
        lines += [f'until = "{commit}"', ""]
    if not older:
        lines += ["older = []", ""]
    lines += ["# Columns the first template lacked, with the day they were added."]
    for (ident, key), (header, day) in sorted(added.items()):
        lines += ["[[added]]", f'sheet = "{ident}"', f'key = "{key}"', f'header = "{header}"']
        lines += [f'since = "{day}"', ""]
    OUT.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    print(f"{len(history)} layouts; {len(older)} older headers; {len(added)} added columns")


if __name__ == "__main__":
    main()
