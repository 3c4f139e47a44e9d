"""The table engine against hand-written pandas and SQL, and against the object path.

Run from the repository root::

    python benchmarks/bench_tables.py report [--branches 1000] [--province 50000] [--repeat 3]
                                             [--spark] [--province-pandas]
    python benchmarks/bench_tables.py generate --branches 50000 [--ledger FILE] DIR
    python benchmarks/bench_tables.py pandas DIR | sql DIR | engine [--all] [--engine spark] DIR
    python benchmarks/bench_tables.py objects LEDGER                  # the object path
    python benchmarks/bench_tables.py verify DIR [--ledger LEDGER]    # all of them agree?
    python benchmarks/bench_tables.py convert --scale 1 [--ledger FILE] DIR  # synthetic.py's

The seven rules (:data:`reference_rules.RULES`: the committee meeting, the general meeting, the
themed party day and the organisational-life meeting of a branch; dues paid monthly, and in full
by salaried members and by retirees) are checked for 2020, judged as of 2021-01-31, over the
record tables of :mod:`synthetic_tables` (Parquet files in the layout of ``dangjian.tables``),
each way as a whole process:

* ``engine``: ``dangjian.tables.check(DIR, period="2020", as_of=…, only=RULES)`` (DuckDB);
* ``sql``: the hand-written DuckDB SQL of :func:`reference_rules.run_sql`;
* ``pandas``: the hand-written pandas of :func:`reference_rules.run_pandas`;
* ``objects``: ``dangjian.load`` of the same records as a JSON ledger file, then
  ``dangjian.check(ledger, "2020", only=RULES)``.

Each prints the number of verdicts by rule and status and a digest of the verdicts (the set of
subject, sub-period and status of each rule), so that agreement can be seen from outside.

``report`` generates the tables (and the JSON ledger) at ``--branches`` organisations in a
temporary directory, runs each way ``--repeat`` times in a child process, taking turns, and keeps
each one's median wall-clock and CPU (user and system) time and its largest peak resident set size
(``ru_maxrss`` of the child, from ``os.wait4``); with ``--spark`` the table engine on Spark in
local mode too (its time is recorded, with no target). At ``--province`` organisations (0 to
skip) it generates once and runs the engine, the SQL (and with ``--province-pandas`` the pandas
script, which needs about 3 GiB a 10,000 organisations) once each, and the full national check
with the table engine. The results, as ratios measured in that one run, replace the
``bench_tables`` section of ``--out``. Generated data stays under the temporary directory
(``--work``) and is removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_rules import RULES, Verdicts, as_sets, counts, from_report, run_pandas, run_sql

ROOT = Path(__file__).resolve().parents[1]
SECTION = "bench_tables"
YEAR = 2020
PERIOD = str(YEAR)
AS_OF = dt.date(2021, 1, 31)


DIGEST = (
    "SELECT rule, status, count(*) AS n, "
    "bit_xor(hash(rule || '|' || subject || '|' || code || '|' || status)) AS x "
    "FROM verdicts GROUP BY ALL"
)
"""The number of verdicts by rule and status, and an exclusive or of a hash of each."""


def summary(found: Any) -> dict[str, Any]:
    """What a way prints: the number of verdicts by rule and status, and a digest of them.

    ``found`` is a table of verdicts (Arrow or pandas, columns ``rule``, ``subject``, ``code``,
    ``status``), a DuckDB connection with a view ``verdicts`` of them, or the sets of
    :data:`reference_rules.Verdicts`. Every way summarises with the same DuckDB query
    (:data:`DIGEST`), in one pass: equal sets of verdicts give equal digests, whatever the
    order of the rows (a way that gave a verdict twice would count it twice, and differ).
    """
    import duckdb
    import pyarrow as pa

    if isinstance(found, duckdb.DuckDBPyConnection):
        con = found
    else:
        if isinstance(found, dict):
            rows = [(rule, *v) for rule, items in found.items() for v in items]
            names = ["rule", "subject", "code", "status"]
            found = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
        con = duckdb.connect()
        con.register("verdicts", found)
    return digested(con.execute(DIGEST).fetchall())


def digested(groups: list[tuple[str, str, int, int]]) -> dict[str, Any]:
    """The summary of the rows of :data:`DIGEST`: counts by rule and status, and the digest."""
    table: dict[str, dict[str, int]] = {rule: {} for rule in sorted(RULES)}
    value = 0
    for rule, status, n, x in sorted(groups):
        if rule in table:
            table[rule][status] = int(n)
            value ^= int(x)
    return {"counts": table, "digest": f"{value & (2**64 - 1):016x}"}


# -- the ways ----------------------------------------------------------------------------------


def engine_check(
    directory: Path,
    every_rule: bool = False,
    engine: str = "duckdb",
    memory_limit: str | None = None,
) -> Any:
    """The table engine's report on ``directory`` (read by ``engine``: ``duckdb`` or
    ``spark``; on DuckDB within ``memory_limit`` when given); ``None`` when it cannot be
    imported."""
    try:
        from dangjian.tables import check  # type: ignore[attr-defined]
    except ImportError:
        return None
    only = [] if every_rule else list(RULES)
    options: dict[str, Any] = {} if engine == "duckdb" else {"engine": engine}
    if memory_limit:
        options["memory_limit"] = memory_limit
    return check(str(directory), period=PERIOD, as_of=AS_OF, only=only, **options)


def engine_summary(report: Any, on_backend: bool = True) -> dict[str, Any]:
    """The summary (:func:`summary`) of the table engine's report, computed on its backend from
    its findings table when it has one (an Ibis table with ``rule``, ``subject_id``, ``period``
    and ``status``), else from its findings as objects.

    The digest needs DuckDB's ``hash``: on another backend (Spark hashes otherwise) give
    ``on_backend=False``, and the verdicts are read to Arrow and summarised here.
    """
    if not on_backend:
        return summary(engine_verdicts_table(report))
    table = getattr(report, "table", None)
    if table is not None:
        try:
            text = (
                table.rule
                + "|"
                + table.subject_id
                + "|"
                + table.period.fill_null("")
                + "|"
                + table.status
            )
            groups = table.group_by(["rule", "status"]).aggregate(
                n=table.count(), x=text.hash().bit_xor()
            )
            rows = _arrow(report, groups).to_pylist()
            return digested([(r["rule"], r["status"], r["n"], r["x"]) for r in rows])
        except (AttributeError, TypeError):  # not an Ibis table of those columns
            pass
    return summary(from_report(report))


def _arrow(report: Any, expr: Any) -> Any:
    """The rows of ``expr`` on the report's backend as Arrow, as the engine reads its own
    (without pandas on DuckDB) where it can."""
    con = getattr(report, "con", None)
    try:
        from dangjian.tables.context import arrow_of
    except ImportError:  # an engine before it
        con = None
    return expr.to_pyarrow() if con is None else arrow_of(con, expr)


def engine_verdicts_table(report: Any) -> Any:
    """The verdicts of the table engine's report as an Arrow table (``rule``, ``subject``,
    ``code``, ``status``), or as sets when it has no findings table."""
    table = getattr(report, "table", None)
    if table is not None:
        try:
            return table.select(
                rule=table.rule,
                subject=table.subject_id,
                code=table.period.fill_null(""),
                status=table.status,
            ).to_pyarrow()
        except (AttributeError, TypeError):
            pass
    return from_report(report)


def engine_verdicts(report: Any) -> Any:
    """The verdicts of the table engine's report as sets (:data:`reference_rules.Verdicts`)."""
    return as_sets(engine_verdicts_table(report))


def objects_check(ledger: Path) -> Any:
    import dangjian

    return dangjian.check(dangjian.load(ledger), PERIOD, as_of=AS_OF, only=list(RULES))


def _print(found: dict[str, Any]) -> None:
    print(json.dumps(found, ensure_ascii=False, sort_keys=True))


def cmd_generate(args: argparse.Namespace) -> int:
    import synthetic_tables

    start = time.perf_counter()
    rows = synthetic_tables.generate(args.dir, args.branches, seed=args.seed)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in Path(args.dir).glob("*.parquet"))
    found: dict[str, Any] = {"seconds": round(seconds, 2), "bytes": size, "rows": rows}
    if args.ledger:
        synthetic_tables.write_ledger_json(args.dir, args.ledger)
        found["ledger_bytes"] = Path(args.ledger).stat().st_size
    _print(found)
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    """The synthetic ledger of ``synthetic.py`` (the other benchmarks') as tables."""
    import synthetic
    import synthetic_tables

    data = synthetic.make_ledger_data(args.scale, args.seed)
    synthetic_tables.write_tables(args.dir, synthetic_tables.data_to_tables(data))
    if args.ledger:
        Path(args.ledger).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return 0


def cmd_pandas(args: argparse.Namespace) -> int:
    _print(summary(run_pandas(args.dir, YEAR, AS_OF)))
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    _print(summary(run_sql(args.dir, YEAR, AS_OF, keep=True)))
    return 0


def cmd_engine(args: argparse.Namespace) -> int:
    report = engine_check(
        Path(args.dir), every_rule=args.all, engine=args.engine, memory_limit=args.memory_limit
    )
    if report is None:
        print("dangjian.tables.check is not available in this version", file=sys.stderr)
        return 3
    if args.all:
        _print({"findings": len(report)})
    else:
        _print(engine_summary(report, on_backend=args.engine == "duckdb"))
    return 0


def cmd_objects(args: argparse.Namespace) -> int:
    _print(summary(from_report(objects_check(Path(args.ledger)))))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Run the ways in this process on ``DIR`` and say where they differ."""
    import synthetic_tables

    ways: dict[str, Verdicts] = {
        "pandas": as_sets(run_pandas(args.dir, YEAR, AS_OF)),
        "sql": as_sets(run_sql(args.dir, YEAR, AS_OF)),
    }
    report = engine_check(Path(args.dir))
    if report is not None:
        ways["engine"] = engine_verdicts(report)
    else:
        print("(the table engine is not available: not compared)")
    ledger = Path(args.ledger) if args.ledger else None
    if ledger is None:
        handle, name = tempfile.mkstemp(suffix=".json")
        os.close(handle)
        ledger = synthetic_tables.write_ledger_json(args.dir, name)
    try:
        ways["objects"] = from_report(objects_check(ledger))
    finally:
        if not args.ledger:
            ledger.unlink()
    reference = ways["objects"]
    same = True
    for rule in RULES:
        print(rule, counts({rule: reference[rule]})[rule])
        for name, found in ways.items():
            extra, missing = found[rule] - reference[rule], reference[rule] - found[rule]
            if extra or missing:
                same = False
                print(f"  {name}: {len(extra)} not in the object path's, {len(missing)} missing")
                print(f"    e.g. {sorted(extra)[:3]} / {sorted(missing)[:3]}")
    print("all agree" if same else "they differ")
    return 0 if same else 1


# -- the report --------------------------------------------------------------------------------


def run_child(argv: list[str]) -> dict[str, Any]:
    """Run ``argv`` as a child process: its wall time, its CPU time (user and system), its peak
    RSS (KiB) and what it printed last on stdout (JSON).

    Raises:
        RuntimeError: it failed; the message is the last line it wrote to stderr.
    """
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
        err.seek(0)
        errors = err.read().decode().strip().splitlines()
    if code != 0:
        raise RuntimeError(errors[-1] if errors else f"exit status {code}")
    printed = json.loads(text.strip().splitlines()[-1]) if text.strip() else {}
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_kib": usage.ru_maxrss,
        "printed": printed,
        "load": load,
    }


def _me(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def measure(ways: dict[str, list[str]], repeat: int) -> dict[str, dict[str, Any]]:
    """Each way ``repeat`` times, taking turns: median wall-clock and CPU time, largest peak RSS,
    what it printed the last time."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in ways}
    for _ in range(repeat):
        for name, argv in ways.items():
            runs[name].append(run_child(argv))
    return {
        name: {
            "seconds": statistics.median(r["seconds"] for r in found),
            "cpu": statistics.median(r["cpu"] for r in found),
            "runs": [round(r["seconds"], 2) for r in found],
            "peak_kib": max(r["peak_kib"] for r in found),
            "printed": found[-1]["printed"],
            "load": statistics.median(r["load"] for r in found),
        }
        for name, found in runs.items()
    }


def engine_available() -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "from dangjian.tables import check"],
        capture_output=True,
        cwd=ROOT,
    )
    return probe.returncode == 0


def compiled() -> None:
    """Compile the modules every way imports (dangjian's, this directory's) to bytecode before
    anything is timed, as pip does when it installs a package: an editable install run with
    ``PYTHONDONTWRITEBYTECODE`` set (as some machines' environments are) would otherwise compile
    every module of dangjian again in every run, a third of a second of CPU that no installed
    copy spends."""
    import compileall

    import dangjian

    for directory in (Path(dangjian.__file__).parent, Path(__file__).parent):
        compileall.compile_dir(directory, quiet=2)


def cmd_report(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-tables-", dir=args.work))
    compiled()
    have_engine = engine_available()
    results: dict[str, Any] = {"branches": args.branches, "province": args.province}
    try:
        small = work / "small"
        ledger = work / "small.json"
        made = run_child(
            _me("generate", "--branches", str(args.branches), "--ledger", str(ledger), str(small))
        )
        results["small_generate"] = made
        limit = ["--memory-limit", args.memory_limit] if args.memory_limit else []
        if have_engine:
            # one run of the engine first: if it fails, the others are measured without it
            try:
                run_child(_me("engine", *limit, str(small)))
            except RuntimeError as e:
                have_engine = False
                results["engine_error"] = f"`{str(e)[:300]}`"
        ways = {
            "sql": _me("sql", str(small)),
            "pandas": _me("pandas", str(small)),
            "objects": _me("objects", str(ledger)),
        }
        if have_engine:
            ways = {"engine": _me("engine", *limit, str(small)), **ways}
            if args.spark:
                ways["engine_spark"] = _me("engine", "--engine", "spark", str(small))
        results["small"] = measure(ways, args.repeat)
        ledger.unlink()
        shutil.rmtree(small)
        if args.province:
            big = work / "province"
            if args.province_data:  # generated before, by `generate --branches N`
                big = Path(args.province_data)
                results["province_generate"] = {
                    "seconds": float("nan"),
                    "peak_kib": 0,
                    "printed": _described(big),
                }
            else:
                results["province_generate"] = run_child(
                    _me("generate", "--branches", str(args.province), str(big))
                )
            ways = {"sql": _me("sql", str(big))}
            if args.province_pandas:
                ways["pandas"] = _me("pandas", str(big))
            if have_engine:
                ways = {
                    "engine": _me("engine", *limit, str(big)),
                    **ways,
                    "engine_all": _me("engine", "--all", *limit, str(big)),
                }
            results["province_runs"] = measure(ways, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["engine"] = have_engine
    body = render(results, args)
    update(Path(args.out), SECTION, body)
    print(body)
    return 0


def _described(directory: Path) -> dict[str, Any]:
    """What ``generate`` prints of the tables in ``directory``: their rows and bytes."""
    import pyarrow.parquet as pq

    files = sorted(directory.glob("*.parquet"))
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "rows": {p.name[: -len(".parquet")]: pq.ParquetFile(p).metadata.num_rows for p in files},
    }


def _agree(found: dict[str, Any]) -> str:
    digests = {
        name: r["printed"].get("digest") for name, r in found.items() if "digest" in r["printed"]
    }
    if len(set(digests.values())) == 1:
        return f"all {len(digests)} agree (verdict digest `{next(iter(digests.values()))}`)"
    return "they DIFFER: " + ", ".join(f"{k} `{v}`" for k, v in digests.items())


_NAMES = {
    "engine": "table engine (`dangjian.tables.check`, DuckDB)",
    "sql": "hand-written DuckDB SQL",
    "pandas": "hand-written pandas",
    "objects": "object path (`dangjian.load` + `dangjian.check`)",
    "engine_all": "table engine, every rule of the national profile",
    "engine_spark": "table engine on PySpark, local mode (no target)",
}


def _table(found: dict[str, Any], against: str) -> list[str]:
    """Rows of a Markdown table of ``found``, with ratios to way ``against``."""
    base = found[against]
    lines = [
        f"| way | time (median) | CPU | peak RSS | time × {against} | CPU × {against} | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in found.items():
        lines.append(
            f"| {_NAMES.get(name, name)} | {r['seconds']:.2f} s | {r['cpu']:.2f} s | "
            f"{r['peak_kib'] / 1024:,.0f} MiB | {r['seconds'] / base['seconds']:.2f} | "
            f"{r['cpu'] / base['cpu']:.2f} | {r.get('load', float('nan')):.1f} |"
        )
    return lines


def render(results: dict[str, Any], args: argparse.Namespace) -> str:
    import dangjian

    cores = os.cpu_count() or "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "## The table engine (`bench_tables`)",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.system()} {platform.machine()}, "
        f"{cores} logical cores (load average {load:.1f} when done), "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"dangjian {dangjian.__version__}, with `python benchmarks/bench_tables.py report "
        f"--branches {args.branches} --province {args.province} --repeat {args.repeat}`. "
        f"The seven rules ({', '.join(f'`{r}`' for r in RULES)}) for {PERIOD}, judged as of "
        f"{AS_OF.isoformat()}, over the Parquet tables of `benchmarks/synthetic_tables.py`. Each "
        "way runs as a whole process (imports, reading, checking, and a count of its verdicts "
        "by rule and status with a digest of them, made by the same DuckDB query in every way); "
        "time and CPU time (user and system) are the medians of the runs, taken in turns, memory "
        "the largest peak resident set size (RSS) of the process; load is the machine's load "
        "average (one minute) when the way's runs started, their median. On a shared machine "
        "the CPU time is the steadier measure."
        + (
            f" The table engine runs with DuckDB's memory limit at {args.memory_limit} "
            "(`--memory-limit`)."
            if args.memory_limit
            else ""
        ),
        "",
    ]
    if not results["engine"]:
        why = results.get("engine_error", "it cannot be imported")
        lines += [
            f"The table engine (`dangjian.tables.check`) was not measured: {why}.",
            "",
        ]
    small = results["small"]
    gen = results["small_generate"]["printed"]
    against = "engine" if "engine" in small else "sql"
    lines += [
        f"At {args.branches:,} organisations ({gen['rows']['members']:,} members, "
        f"{gen['rows']['meetings']:,} meetings, {gen['rows']['dues_payments']:,} dues payments; "
        f"{gen['bytes'] / 2**20:,.1f} MiB of Parquet, {gen['ledger_bytes'] / 2**20:,.1f} MiB "
        f"as the JSON ledger the object path loads): {_agree(small)}.",
        "",
        *_table(small, against),
    ]
    if "engine" in small:
        e = small["engine"]
        lines += [
            "",
            f"* table engine ÷ hand-written SQL: {e['seconds'] / small['sql']['seconds']:.2f} "
            "(target: at most 1.5);",
            f"* table engine ÷ pandas: {e['seconds'] / small['pandas']['seconds']:.2f} "
            "(target: below 1);",
            f"* object path ÷ table engine: {small['objects']['seconds'] / e['seconds']:.1f} "
            "(target: at least 10).",
        ]
    if "province_runs" in results:
        g = results["province_generate"]
        p = g["printed"]
        runs = results["province_runs"]
        lines += [
            "",
            f"At {args.province:,} organisations"
            + (
                " (generated before, `--province-data`)"
                if args.province_data
                else f", generated in {g['seconds']:.0f} s (peak {g['peak_kib'] / 1024:,.0f} MiB)"
            )
            + f": {p['rows']['members']:,} members, "
            f"{p['rows']['meetings']:,} meetings, {p['rows']['meetings.attended']:,} "
            f"attendances, {p['rows']['dues_payments']:,} dues payments, "
            f"{p['bytes'] / 2**30:,.2f} GiB of Parquet. One run each: {_agree(runs)}.",
            "",
            *_table(runs, "engine" if "engine" in runs else "sql"),
        ]
        if "pandas" not in runs:
            lines += [
                "",
                "The pandas script was not run at this scale (`--province-pandas` runs it): it "
                "holds every table it reads in memory, about 3 GiB for 10,000 organisations.",
            ]
        if "engine_all" in runs:
            a = runs["engine_all"]
            lines += [
                "",
                f"The full national check at {args.province:,} organisations: "
                f"{a['seconds']:.1f} s, peak {a['peak_kib'] / 2**20:.2f} GiB "
                "(targets: under 60 s and 4 GiB).",
            ]
    return "\n".join(lines)


def update(path: Path, section: str, body: str) -> None:
    """Replace (or add) the marked section ``section`` of the Markdown file at ``path``."""
    from bench_load import update as _update
    from bench_load import wrap

    _update(path, section, "\n".join(wrap(line) for line in body.split("\n")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("generate", help="write the synthetic tables to DIR")
    p.add_argument("--branches", type=int, default=1000, help="organisations (default 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ledger", help="also write the records as a JSON ledger file here")
    p.add_argument("dir")
    p.set_defaults(run=cmd_generate)
    p = sub.add_parser("convert", help="the other benchmarks' synthetic ledger as tables in DIR")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ledger", help="also write it as a JSON ledger file here")
    p.add_argument("dir")
    p.set_defaults(run=cmd_convert)
    for name, run, what in (
        ("pandas", cmd_pandas, "the hand-written pandas script"),
        ("sql", cmd_sql, "the hand-written DuckDB SQL"),
    ):
        p = sub.add_parser(name, help=f"the seven rules over DIR with {what}")
        p.add_argument("dir")
        p.set_defaults(run=run)
    p = sub.add_parser("engine", help="the seven rules over DIR with dangjian.tables.check")
    p.add_argument("--all", action="store_true", help="every rule of the national profile")
    p.add_argument("--memory-limit", help="DuckDB's memory limit (3GB, 500MiB)")
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="read the tables with DuckDB (default) or Spark (local unless configured)",
    )
    p.add_argument("dir")
    p.set_defaults(run=cmd_engine)
    p = sub.add_parser("objects", help="the seven rules with dangjian.check on a ledger file")
    p.add_argument("ledger")
    p.set_defaults(run=cmd_objects)
    p = sub.add_parser("verify", help="do the ways agree on DIR? (in this process)")
    p.add_argument("--ledger", help="the same records as a ledger file (default: made from DIR)")
    p.add_argument("dir")
    p.set_defaults(run=cmd_verify)
    p = sub.add_parser("report", help="measure and write the section of docs/performance.md")
    p.add_argument("--branches", type=int, default=1000)
    p.add_argument("--province", type=int, default=50_000, help="0: skip the province scale")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument(
        "--spark",
        action="store_true",
        help="also time the table engine on Spark (local mode) at --branches (no target)",
    )
    p.add_argument(
        "--province-pandas",
        action="store_true",
        help="run pandas at the province scale too (it needs about 3 GiB a 10,000 organisations)",
    )
    p.add_argument(
        "--memory-limit",
        default="2.5GiB",
        help="the table engine's memory limit on DuckDB (default 2.5GiB: the process stays "
        "under the 4 GiB of the target); empty: the engine's default",
    )
    p.add_argument(
        "--province-data",
        help="tables generated before at --province organisations (`generate`), used as they are",
    )
    p.add_argument("--work", default=None, help="where to put the generated data (a temp dir)")
    p.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    p.set_defaults(run=cmd_report)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
