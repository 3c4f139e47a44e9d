"""How long checking a ledger for a year takes, and how much memory, next to loading it.

Run from the repository root::

    python benchmarks/bench_check.py [--scales 1,2] [--repeat 3] [--out docs/performance.md]

For each scale it writes the synthetic ledger of :mod:`synthetic` to a temporary JSON file, then,
in one run:

* times ``dangjian.loads`` of the file's text and ``dangjian.check`` of the loaded ledger for the
  year 2020 with the national profile (judged as of 2021-01-31, so every month is over), taking
  turns, ``--repeat`` times each after a full collection, and keeps the best time of each; the
  ratio check / load is the figure the project holds to (at most 1);
* measures the memory of checking in a fresh child process, which loads the ledger, resets its
  peak resident set size (RSS) to the current one, notes it, checks, and reports its peak: the
  check needs the difference (Linux ``/proc/self/status``, as in ``bench_load``).

Two scales (1× and 2× by default) show how the cost grows: linear growth gives ratios near 2.
The results replace the ``bench_check`` section of ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import machine, mib, update, wrap
from synthetic import write_json

import dangjian

ROOT = Path(__file__).resolve().parents[1]
SECTION = "bench_check"
PERIOD = "2020"
AS_OF = dt.date(2021, 1, 31)

CHILD = """
import datetime, json, sys, time
import dangjian


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


with open(sys.argv[1], encoding="utf-8") as f:
    ledger = dangjian.loads(f.read(), "json")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status_kib("VmRSS")
start = time.perf_counter()
report = dangjian.check(ledger, sys.argv[2], as_of=datetime.date.fromisoformat(sys.argv[3]))
seconds = time.perf_counter() - start
print(json.dumps({"before": before, "peak": status_kib("VmHWM"), "seconds": seconds,
                  "findings": len(report)}))
"""


def best(repeat: int, text: str) -> dict[str, Any]:
    """Best load and check times of ``repeat`` turns each, and the size of the report."""
    loads: list[float] = []
    checks: list[float] = []
    findings = 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        ledger = dangjian.loads(text, "json")
        loads.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        report = dangjian.check(ledger, PERIOD, as_of=AS_OF)
        checks.append(time.perf_counter() - start)
        findings = len(report)
        del ledger, report
    return {"load": min(loads), "check": min(checks), "findings": findings}


def memory(path: Path) -> dict[str, Any]:
    """Peak RSS (KiB) and time of one check in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), PERIOD, AS_OF.isoformat()],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def measure(scale: float, repeat: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_json(Path(tmp) / "ledger.json", scale=scale, seed=seed)
        text = path.read_text(encoding="utf-8")
        records = len(dangjian.loads(text, "json"))
        result = best(repeat, text)
        result.update(scale=scale, records=records, mb=len(text.encode()) / 1e6)
        result["memory"] = memory(path)
    return result


def report(results: list[dict[str, Any]], repeat: int, argv: list[str]) -> str:
    first = results[0]
    lines = [
        "## Checking a ledger (`bench_check`)",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}, with "
        f"`python benchmarks/bench_check.py {' '.join(argv)}`: the synthetic ledger checked for "
        f"{PERIOD} with the `national` profile, judged as of {AS_OF.isoformat()}.",
        "",
        f"**At scale {first['scale']:g}, checking takes {first['check'] / first['load']:.2f}× as "
        f"long as loading the same ledger** (the limit is 1×).",
        "",
        f"Time: best of {repeat}, load and check taking turns in one process.",
        "",
        "| scale | records | JSON | load | check | check ÷ load | findings |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['scale']:g} | {r['records']:,} | {r['mb']:.1f} MB | {r['load']:.2f} s | "
            f"{r['check']:.2f} s | {r['check'] / r['load']:.2f} | {r['findings']:,} |"
        )
    if len(results) > 1:
        lines += [
            "",
            "Growth from the first scale to each larger one (linear growth: the ratio of "
            "the scales):",
            "",
            "| scales | × records | × load time | × check time | × check memory |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        base_mem = first["memory"]["peak"] - first["memory"]["before"]
        for r in results[1:]:
            mem = r["memory"]["peak"] - r["memory"]["before"]
            lines.append(
                f"| {first['scale']:g} → {r['scale']:g} | {r['records'] / first['records']:.2f} | "
                f"{r['load'] / first['load']:.2f} | {r['check'] / first['check']:.2f} | "
                f"{mem / base_mem:.2f} |"
            )
    lines += [
        "",
        "Memory of the check: each runs once in a fresh process that loads the ledger, resets its "
        "peak RSS (`/proc/self/clear_refs`), checks, and reports its peak (`VmHWM`); the check "
        "needs the difference: its indexes and its findings.",
        "",
        "| scale | RSS with the ledger loaded | peak RSS | needed by the check | cold run |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        m = r["memory"]
        lines.append(
            f"| {r['scale']:g} | {mib(m['before'])} | {mib(m['peak'])} | "
            f"{mib(m['peak'] - m['before'])} | {m['seconds']:.2f} s |"
        )
    return "\n".join(wrap(line) for line in lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--scales", default="1,2", help="scales to measure, comma-separated (1,2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator (0)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each step (3)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args(argv)
    shown = argv if argv is not None else sys.argv[1:]
    results = [measure(float(s), args.repeat, args.seed) for s in args.scales.split(",")]
    body = report(results, args.repeat, shown)
    update(args.out, SECTION, body)
    print(body)


if __name__ == "__main__":
    main()
