"""Run the command line on files in a child process, under a memory limit, and measure it.

Each file is read by ``dangjian.cli.main`` in one child process whose address space is capped
(``RLIMIT_AS``), so a runaway read ends in a ``MemoryError`` there rather than in the machine
running out of memory; the child reports, for each file, the exit code, what was printed, the
time the command took and the peak resident memory it reached (``VmHWM``, reset before each
file through ``/proc/self/clear_refs`` where Linux allows it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ADDRESS_SPACE = 3 * 1024**3
"""The child's address space: room for the interpreter and its libraries, and 1 GiB more."""

_CHILD = r"""
import contextlib, io, json, os, sys, time
from dangjian.cli import main

def peak_kib():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False

import openpyxl  # imported before the clock starts, as a long-running program would have it
results = []
for argv in json.loads(sys.argv[1]):
    reset = reset_peak()
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        crash = None
    except BaseException as e:
        code, crash = None, f"{type(e).__name__}: {e}"[:2000]
    elapsed = time.perf_counter() - start
    results.append(
        {"code": code, "crash": crash, "out": out.getvalue(), "err": err.getvalue(),
         "seconds": elapsed, "peak_mib": peak_kib() / 1024, "peak_reset": reset}
    )
print(json.dumps(results))
"""


def _limit() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_bounded(
    commands: Sequence[Sequence[str | Path]], env: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Run ``dangjian.cli.main(argv)`` for each argv in one child; what each run gave."""
    argvs = [[os.fspath(a) for a in argv] for argv in commands]
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(argvs)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        preexec_fn=_limit if sys.platform.startswith("linux") else None,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results: list[dict[str, Any]] = json.loads(completed.stdout.splitlines()[-1])
    return results
