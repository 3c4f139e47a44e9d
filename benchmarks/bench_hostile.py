"""How long refusing hostile input takes, and how much memory (issue 8).

Run from the repository root::

    python benchmarks/bench_hostile.py [--repeat 3] [--out docs/performance.md]

Each case writes one hostile file (a ledger, or a rule file on top of the national profile),
then loads it in a fresh interpreter, ``--repeat`` times, keeping the best time and the largest
peak resident set size (RSS) above what the interpreter held before the load (Linux
``/proc/self/status``, as in ``bench_load``). Every case must end in dangjian's own error; the
script stops otherwise. The results replace the ``bench_hostile`` section of ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import CHILD as LOAD_CHILD
from bench_load import machine, mib, update, wrap

import dangjian.example

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = Path(dangjian.example.__file__).resolve().parent / dangjian.example.LEDGER

# the memory helpers of bench_load's child, then one refusal timed
CHILD = (
    LOAD_CHILD.split("mode, path = sys.argv[1], sys.argv[2]")[0]
    + """
from dangjian.errors import ProblemsError
from dangjian.rules import load_rules

mode, path = sys.argv[1], sys.argv[2]
reset_peak()
before = now_kib()
start = time.perf_counter()
try:
    if mode == "ledger":
        dangjian.load(path)
    else:
        load_rules("national", [path])
except ProblemsError as e:
    outcome = e.problems[0].render("en")[:300]
else:
    outcome = "ACCEPTED"
seconds = time.perf_counter() - start
print(json.dumps({"before_kib": before, "peak_kib": peak_kib(), "seconds": seconds,
                  "outcome": outcome}))
"""
)

RULE = """profile = "plan"
title = "plan"

[[rule]]
id = "x.quorum"
kind = "quorum"
title = "t"
title_en = "t"
confidence = "local"
citations = [{ document = "d" }]
params = { meeting_kinds = ["general_meeting"], present_more_than = "1e100000000", \
denominator = "expected" }
"""


def one_anchor_many_aliases() -> str:
    """About 3 MB of YAML: one anchored list of 100,000 items and 182 aliases to it."""
    items = ", ".join(f"item-{i:05d}-of-a-long-list-of-names" for i in range(100_000))
    aliases = "".join("  - *big\n" for _ in range(182))
    return f"name: x\nnote: &big [{items}]\nbranches:\n{aliases}"


def alias_bomb() -> str:
    text = "a: &a [" + ",".join(["x"] * 100) + "]\n"
    for i in range(8):
        previous = "a" if i == 0 else f"b{i - 1}"
        text += f"b{i}: &b{i} [" + ",".join([f"*{previous}"] * 10) + "]\n"
    return text


def example_with(pattern: str, new: str) -> str:
    text, n = re.subn(pattern, new, EXAMPLE.read_text(encoding="utf-8"))
    assert n
    return text


CASES: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    # name: (mode, suffix, content)
    "JSON nested 100,000 deep": ("ledger", ".json", lambda: b"[" * 100_000 + b"]" * 100_000),
    "TOML nested 100,000 deep": (
        "ledger",
        ".toml",
        lambda: b"a = " + b"[" * 100_000 + b"]" * 100_000,
    ),
    "YAML nested 100,000 deep": ("ledger", ".yaml", lambda: b"[" * 100_000 + b"]" * 100_000),
    "JSON integer of 100,000 digits": (
        "ledger",
        ".json",
        lambda: b'{"name": "x", "version": ' + b"9" * 100_000 + b"}",
    ),
    "YAML integer of 100,000 digits": (
        "ledger",
        ".yaml",
        lambda: b"name: x\nversion: " + b"9" * 100_000 + b"\n",
    ),
    "TOML integer of 100,000 digits": (
        "ledger",
        ".toml",
        lambda: b'name = "x"\nversion = ' + b"9" * 100_000 + b"\n",
    ),
    "YAML, one anchor and 182 aliases (3 MB)": (
        "ledger",
        ".yaml",
        lambda: one_anchor_many_aliases().encode(),
    ),
    "YAML alias bomb (10⁸ nodes from under 1 KB)": (
        "ledger",
        ".yaml",
        lambda: alias_bomb().encode(),
    ),
    "the example, money 1e999999999 everywhere": (
        "ledger",
        ".yaml",
        lambda: example_with(r"amount: '[0-9.]+'", "amount: '1e999999999'").encode(),
    ),
    "the example in GB18030": (
        "ledger",
        ".yaml",
        lambda: EXAMPLE.read_text(encoding="utf-8").encode("gb18030"),
    ),
    "rule parameter 1e100000000": ("rules", ".toml", lambda: RULE.encode()),
}


def run(mode: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def measure(repeat: int) -> list[tuple[str, int, float, float, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, (mode, suffix, content)) in enumerate(CASES.items()):
            path = Path(tmp) / f"case{i}{suffix}"
            data = content()
            path.write_bytes(data)
            runs = [run(mode, path) for _ in range(repeat)]
            if any(r["outcome"] == "ACCEPTED" for r in runs):
                raise SystemExit(f"{name}: accepted, not refused")
            seconds = min(r["seconds"] for r in runs)
            peak = max(r["peak_kib"] - r["before_kib"] for r in runs)
            outcome = runs[0]["outcome"].replace(str(path), path.name)
            rows.append((name, len(data), seconds, peak, outcome))
            print(f"{name}: {seconds:.3f} s, {mib(peak)}: {outcome}", file=sys.stderr)
    return rows


def size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} KB"


def report(rows: list[tuple[str, int, float, float, str]], repeat: int) -> str:
    lines = [
        "## Refusing hostile input (`bench_hostile`)",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()} (load average "
        f"{os.getloadavg()[0]:.1f} when done), with "
        f"`python benchmarks/bench_hostile.py --repeat {repeat}`. Each file is loaded in a fresh "
        "interpreter (a rule file on top of the national profile); time is the best of "
        f"{repeat}, memory the largest rise of the peak resident set size (RSS) over what the "
        "interpreter held before the load. Every case ends in dangjian's own error (exit code 2 "
        "on the command line); the first problem it reports is in the last column.",
        "",
        "| input | size | time | peak RSS | refused with |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, n, seconds, peak, outcome in rows:
        # the message is text, not Markdown: ``rule[0](x.quorum)`` would be a link, ``*name`` emphasis
        shown = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", outcome.replace("\n", " "))
        lines.append(f"| {name} | {size(n)} | {seconds:.3f} s | {mib(peak)} | {shown} |")
    return "\n".join(wrap(line) for line in lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case (3)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args(argv)
    rows = measure(args.repeat)
    update(args.out, "bench_hostile", report(rows, args.repeat))


if __name__ == "__main__":
    main()
