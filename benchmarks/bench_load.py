"""How long loading a ledger takes, and how much memory, next to plain ``json.loads``.

Run from the repository root::

    python benchmarks/bench_load.py [--scale 1.0] [--repeat 3] [--sizes 0.01,0.1]
                                    [--out docs/performance.md]

It writes the synthetic ledger of :mod:`synthetic` to a temporary JSON file once, then, in one
run:

* times plain ``json.loads`` of the file's text and ``dangjian.loads(text, "json")``, taking
  turns, ``--repeat`` times each, each after a full collection, and keeps the best time of each;
  the ratio of the two is the figure the project holds to (at most 3). ``json.loads`` with the
  garbage collector paused is timed as well, as a stricter reference, since ``dangjian.loads``
  pauses it while it works, and so is each load followed by ``gc.collect(1)``, the collector's
  next passes over the young objects the load leaves;
* times the three steps of ``dangjian.loads`` apart (parsing with the check for repeated keys,
  structuring, whole-ledger validation), with the collector paused as ``loads`` does;
* measures the memory of each load in a fresh child process, which reads the text, resets its
  peak resident set size to the current one, notes it, does the one load and reports its peak:
  the load needs the difference. On Linux both figures come from ``/proc/self/status``
  (``VmRSS``, ``VmHWM``), since a child's ``ru_maxrss`` starts from its parent's high-water
  mark; elsewhere ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is used. The child's single, cold
  run time is reported too;
* times the plain loads again on the smaller ledgers of ``--sizes``, since the ratio depends on
  the size of the file.

The results replace the ``bench_load`` section of ``--out`` (the file is created if missing);
other benchmarks keep their own sections in the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_ledger_data, write_json

import dangjian

ROOT = Path(__file__).resolve().parents[1]
SECTION = "bench_load"

INTRO = """# Performance

Benchmarks live in `benchmarks/`. Each runs on its own and writes its results into its own
section of this file (between `<!-- NAME:start -->` and `<!-- NAME:end -->`), leaving the other
sections alone; the figures in a section come from one run on the machine it names. Run them
from the repository root with the development environment active, on an otherwise idle machine:

    python benchmarks/bench_load.py            # loading a ledger, against json.loads
    python benchmarks/bench_check.py           # checking it for a year, against loading it

`benchmarks/synthetic.py` makes the valid synthetic ledger they share
(`make_ledger_data(scale, seed)`, `write_json(path, scale, seed)`); at scale 1 it has 1,000
organisations, 30,000 members, 150,000 meetings and study sessions and 360,000 dues payments.
"""

# The child process of a memory measurement: argv is the mode and the file.
CHILD = """
import json, sys, time
import dangjian


def status_kib(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_kib():
    # Linux carries the parent's high-water mark into ru_maxrss across exec, so ask /proc.
    peak = status_kib("VmHWM")
    if peak is None:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak = peak // 1024 if sys.platform == "darwin" else peak  # bytes there, KiB elsewhere
    return peak


def now_kib():
    now = status_kib("VmRSS")
    return peak_kib() if now is None else now


def reset_peak():
    # Linux 4.0 and later: the high-water mark starts again from the current RSS.
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


mode, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    text = f.read()
reset_peak()  # forget the bytes read and decoded, which are freed by now
before = now_kib()
start = time.perf_counter()
if mode == "json":
    result = json.loads(text)
elif mode == "dangjian":
    result = dangjian.loads(text, "json")
seconds = time.perf_counter() - start
print(json.dumps({"before_kib": before, "peak_kib": peak_kib(), "seconds": seconds}))
"""


def best_of(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The best wall time of each run, the runs taking turns ``repeat`` times.

    Each run starts after a full collection. For each run ``NAME`` the result also holds
    ``NAME+young``: the best time of the run followed by ``gc.collect(1)``, the collector's pass
    over the young objects the run leaves behind, which comes soon after in any program.
    """
    best = dict.fromkeys([*runs, *(f"{name}+young" for name in runs)], float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            result = run()
            loaded = time.perf_counter()
            gc.collect(1)
            collected = time.perf_counter()
            del result
            best[name] = min(best[name], loaded - start)
            best[f"{name}+young"] = min(best[f"{name}+young"], collected - start)
    gc.collect()
    return best


def json_paused(text: str) -> object:
    """``json.loads`` with the garbage collector paused, as ``dangjian.loads`` pauses it."""
    gc.disable()
    try:
        return json.loads(text)
    finally:
        gc.enable()


def steps(text: str, repeat: int) -> dict[str, float] | None:
    """The best times of the three steps of ``dangjian.loads``, or ``None`` if they moved."""
    try:
        from dangjian.io._structuring import fast
        from dangjian.io.formats import parse_text
    except ImportError:
        return None
    best = {"parse": float("inf"), "structure": float("inf"), "validate": float("inf")}
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            data = parse_text(text, "json")
            t1 = time.perf_counter()
            ledger = fast().structure(data, dangjian.Ledger)
            t2 = time.perf_counter()
            ledger.validate()
            t3 = time.perf_counter()
        finally:
            gc.enable()
        del data, ledger
        for name, seconds in zip(best, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            best[name] = min(best[name], seconds)
    gc.collect()
    return best


def measure(text: str, repeat: int) -> tuple[dict[str, float], dict[str, float] | None, int]:
    """The best times of the loads and of the steps, and the number of records loaded."""
    ledger = dangjian.loads(text, "json")  # a first load, which also warms up the caches
    records = len(ledger)
    del ledger
    print("timing …", flush=True)
    return loads_times(text, repeat), steps(text, repeat), records


def loads_times(text: str, repeat: int) -> dict[str, float]:
    """The best times of ``json.loads``, ``dangjian.loads`` and the paused ``json.loads``."""
    return best_of(
        repeat,
        {
            "json": lambda: json.loads(text),
            "dangjian": lambda: dangjian.loads(text, "json"),
            "json_paused": lambda: json_paused(text),
        },
    )


def by_size(
    scales: list[float], seed: int, repeat: int
) -> list[tuple[float, int, dict[str, float]]]:
    """For each scale: the size of the JSON and the best times of the three plain loads."""
    rows = []
    for scale in scales:
        text = json.dumps(make_ledger_data(scale, seed), ensure_ascii=False, indent=2) + "\n"
        dangjian.loads(text, "json")  # warm up
        rows.append((scale, len(text.encode("utf-8")), loads_times(text, repeat)))
    return rows


def child(mode: str, path: Path) -> dict[str, Any]:
    """Peak RSS (KiB) and time of one load in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def machine() -> str:
    cores = os.cpu_count() or "?"
    return (
        f"{platform.system()} {platform.machine()}, {cores} logical cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"dangjian {dangjian.__version__}"
    )


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


def report(
    scale: float,
    repeat: int,
    size: int,
    records: int,
    times: dict[str, float],
    parts: dict[str, float] | None,
    memory: dict[str, dict[str, Any]],
    sizes: list[tuple[float, int, dict[str, float]]],
) -> str:
    base = times["json"]
    strict = times["json_paused"]
    ratio = times["dangjian"] / base
    grow = {m: memory[m]["peak_kib"] - memory[m]["before_kib"] for m in ("json", "dangjian")}
    verdict = "within" if ratio <= 3 else "**over**"
    also = f" --sizes {','.join(f'{at:g}' for at, _, _ in sizes) or chr(34) * 2}"
    worst = max((t["dangjian"] / t["json"] for _, _, t in sizes), default=ratio)
    lines = [
        f"## Loading a ledger (`{SECTION}`)",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}, with "
        f"`python benchmarks/bench_load.py --scale {scale:g} --repeat {repeat}{also}`: the synthetic "
        f"ledger at scale {scale:g}, {records:,} records, {size / 1e6:,.1f} MB of JSON.",
        "",
        f"**`dangjian.loads` takes {ratio:.2f}× as long as plain `json.loads` of the same "
        f"file**, {verdict} the limit of 3×."
        + (
            f" On smaller files it is up to {worst:.1f}× (see the sizes below)."
            if sizes and worst > 3 >= ratio
            else ""
        ),
        "",
        f"Time: best of {repeat}, the loads taking turns in one process, each after a full "
        "collection (`gc.collect()`).",
        "",
        "| load | time | × `json.loads` |",
        "| --- | ---: | ---: |",
        f"| `json.loads(text)` | {base:.2f} s | 1.00 |",
        f'| `dangjian.loads(text, "json")` | {times["dangjian"]:.2f} s | {ratio:.2f} |',
        f"| `json.loads(text)`, garbage collector paused | {strict:.2f} s | {strict / base:.2f} |",
        "",
        "`dangjian.loads` pauses the garbage collector while it works (a load makes no reference "
        "cycles, and the collector's passes over millions of new objects are wasted work). Two "
        "stricter comparisons, from the same runs:",
        "",
        f"* against `json.loads` with the collector paused too, `dangjian.loads` takes "
        f"{times['dangjian'] / strict:.2f}×;",
        "* the objects made while the collector was paused are all young, and its next passes "
        "over the young generations (forced with `gc.collect(1)` right after the load) cost "
        f"{times['dangjian+young'] - times['dangjian']:.2f} s after `dangjian.loads` and "
        f"{times['json+young'] - times['json']:.2f} s after `json.loads`, whose collector has "
        "moved most of its objects to the old generation during the load; with those passes "
        f"counted, `dangjian.loads` takes {times['dangjian+young'] / times['json+young']:.2f}× "
        "as long.",
    ]
    if sizes:
        lines += [
            "",
            "The ratio depends on the size of the file: the collector costs `json.loads` little "
            "on a small file and more and more as the objects pile up, while what `dangjian` "
            "adds grows in step with the records. The same loads on smaller synthetic ledgers "
            f"(best of {repeat}, in the same run):",
            "",
            "| scale | JSON | `json.loads` | `dangjian.loads` | × `json.loads` "
            "| × `json.loads`, collector paused |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for at, nbytes, t in [*sizes, (scale, size, times)]:
            lines.append(
                f"| {at:g} | {nbytes / 1e6:,.1f} MB | {t['json']:.3f} s | {t['dangjian']:.3f} s "
                f"| {t['dangjian'] / t['json']:.2f} | {t['dangjian'] / t['json_paused']:.2f} |"
            )
    if parts is not None:
        total = sum(parts.values())
        lines += [
            "",
            "Where the time of `dangjian.loads` goes (best of "
            f"{repeat}, collector paused; × the plain `json.loads` above):",
            "",
            "| step | time | × `json.loads` |",
            "| --- | ---: | ---: |",
            f"| parse JSON, noting repeated keys | {parts['parse']:.2f} s "
            f"| {parts['parse'] / base:.2f} |",
            f"| structure into records (fast path) | {parts['structure']:.2f} s "
            f"| {parts['structure'] / base:.2f} |",
            f"| validate the whole ledger | {parts['validate']:.2f} s "
            f"| {parts['validate'] / base:.2f} |",
            f"| total | {total:.2f} s | {total / base:.2f} |",
            "",
            "The steps add up to less than `dangjian.loads` itself, which also frees the parsed "
            "JSON and makes the collector's first pass after it restarts.",
        ]
    lines += [
        "",
        "Memory: each load runs once in a fresh process, which reads the file, resets its "
        "peak resident set size (RSS) to the current one (`/proc/self/clear_refs`), so the "
        "buffers of reading are forgotten, notes its RSS, loads the text and reports its peak "
        "RSS; the load needs the difference. Both figures come from `/proc/self/status` "
        "(`VmRSS`, `VmHWM`): Linux carries the parent's high-water mark into a child's "
        "`ru_maxrss` across `exec`, so `getrusage` would report the benchmark's own peak (it "
        "is used only where there is no `/proc`). The RSS before is the interpreter with its "
        "imports and the text, held as UCS-2 because of the Chinese in it. The time is that "
        "one cold run.",
        "",
        "| load | RSS before | peak RSS | needed by the load | × `json.loads` | cold run |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, name in (("json", "`json.loads`"), ("dangjian", "`dangjian.loads`")):
        m = memory[mode]
        lines.append(
            f"| {name} | {mib(m['before_kib'])} | {mib(m['peak_kib'])} | {mib(grow[mode])} "
            f"| {grow[mode] / max(grow['json'], 1):.2f} | {m['seconds']:.2f} s |"
        )
    lines += [
        "",
        "At its peak `dangjian.loads` holds both the parsed JSON and the ledger being built "
        "from it; the parsed JSON is freed when it returns.",
    ]
    return "\n".join(wrap(line) for line in lines)


def wrap(line: str) -> str:
    """A line of prose filled to 100 columns; table rows and blank lines as they are."""
    if not line or line.startswith(("|", "#")):
        return line
    indent = "  " if line.startswith("* ") else ""
    return textwrap.fill(line, width=100, subsequent_indent=indent, break_on_hyphens=False)


def update(path: Path, section: str, body: str) -> None:
    """Replace (or add) the marked section ``section`` of the Markdown file at ``path``."""
    start, end = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
    block = f"{start}\n{body}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else INTRO
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the ledger (1.0)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generator (0)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each load (3)")
    parser.add_argument(
        "--sizes",
        default="0.01,0.1",
        help="smaller scales to time as well, comma-separated (0.01,0.1); empty for none",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs" / "performance.md",
        help="the Markdown file to update (docs/performance.md)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.json"
        print(f"writing the synthetic ledger at scale {args.scale:g} …", flush=True)
        write_json(path, args.scale, args.seed)
        size = path.stat().st_size
        times, parts, records = measure(path.read_text(encoding="utf-8"), args.repeat)
        gc.collect()
        print("measuring memory in child processes …", flush=True)
        memory = {mode: child(mode, path) for mode in ("json", "dangjian")}
    scales = [float(x) for x in args.sizes.split(",") if x.strip()]
    print("timing smaller ledgers …", flush=True)
    sizes = by_size(scales, args.seed, args.repeat)

    body = report(args.scale, args.repeat, size, records, times, parts, memory, sizes)
    update(args.out, SECTION, body)
    print(body)
    print(f"\nupdated {args.out}")


if __name__ == "__main__":
    main()
