"""Fuzzing the text formats (issue 8): whatever bytes a JSON, YAML or TOML ledger holds, loading
ends in a valid ledger or in :class:`~dangjian.LedgerError`, never another exception, within
bounded memory.

The default run is quick; ``HYPOTHESIS_PROFILE=thorough`` (see tests/conftest.py) runs far
more examples. The hostile documents also run in a child process whose address space is
limited to 1 GiB.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian import Ledger, LedgerError, dumps, load, loads
from dangjian.io.formats import Format, decode_text
from dangjian.testing.strategies import ledgers
from tests.builders.example import EXAMPLE

FORMATS: tuple[Format, ...] = ("json", "yaml", "toml")
PEAK_LIMIT = 256 * 2**20  # bytes traced while one document loads


def load_bytes(raw: bytes, fmt: Format) -> Ledger:
    """What :func:`dangjian.load` does with a file of ``raw`` bytes, without the file."""
    text = decode_text(raw)
    if not isinstance(text, str):
        raise LedgerError([text])
    return loads(text, fmt)


def outcome(raw: bytes, fmt: Format) -> str:
    """``"ledger"`` or ``"error"``; any other exception fails the test that calls it."""
    try:
        ledger = load_bytes(raw, fmt)
    except LedgerError as e:
        assert e.problems, "a LedgerError lists its problems"
        for p in e.problems:
            assert p.message and p.message_en
        return "error"
    assert isinstance(ledger, Ledger)
    return "ledger"


@functools.cache
def seeds() -> dict[Format, bytes]:
    """The example ledger in each text format."""
    ledger = load(EXAMPLE)
    return {fmt: dumps(ledger, fmt).encode("utf-8") for fmt in FORMATS}


# bytes that matter to the three syntaxes, and to numbers and text inside them
_HOSTILE = [
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"'",
    b":",
    b",",
    b"\n",
    b"  ",
    b"&a ",
    b"*a",
    b"<<: ",
    b"!!python/object ",
    b"_",
    b"0x",
    b"1e999999999",
    b"9" * 5000,
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xd6\xd0",  # GBK
    "٤".encode(),
    "４".encode(),
    b"\x00",
    b"\\u0000",
    b"\\ud800",
    b"[[",
    b"= ",
    b"9999-12-31",
    b"11010519491231002X",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few edits: bytes cut, repeated, replaced or inserted."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "repeat", "insert", "replace"]))
        length = draw(st.integers(1, 64))
        piece = draw(st.sampled_from(_HOSTILE) | st.binary(min_size=1, max_size=8))
        if kind == "cut":
            del data[at : at + length]
        elif kind == "repeat":
            data[at:at] = data[at : at + length]
        elif kind == "insert":
            data[at:at] = piece
        else:
            data[at : at + len(piece)] = piece
    return bytes(data)


# half the examples of the profile loaded (tests/conftest.py): 50 by default, more when thorough
FUZZ = settings(
    max_examples=max(1, (settings.default.max_examples or 100) // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(raw=st.binary(max_size=400), fmt=st.sampled_from(FORMATS))
def test_any_bytes_load_or_fail_cleanly(raw: bytes, fmt: Format) -> None:
    outcome(raw, fmt)


@FUZZ
@given(data=st.data(), fmt=st.sampled_from(FORMATS))
def test_mutations_of_the_example_load_or_fail_cleanly(data: st.DataObject, fmt: Format) -> None:
    raw = data.draw(mutated(seeds()[fmt]))
    outcome(raw, fmt)


# drawing whole ledgers is what costs here: fewer of them, each mutated a few times
@settings(FUZZ, max_examples=max(1, (settings.default.max_examples or 100) // 5))
@given(
    ledger=ledgers(max_branches=2, max_members=3, max_records=1),
    data=st.data(),
    fmt=st.sampled_from(FORMATS),
)
def test_mutations_of_small_ledgers_load_or_fail_cleanly(
    ledger: Ledger, data: st.DataObject, fmt: Format
) -> None:
    seed = dumps(ledger, fmt).encode("utf-8")
    assert outcome(seed, fmt) == "ledger"
    for _ in range(3):
        outcome(data.draw(mutated(seed)), fmt)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """Plain data of the shapes the formats carry, a few levels deep."""
    leaves = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=20)
        | st.sampled_from(["1e999999999", "4_5", "٤", "9999-12-31", "NaN", "-0", ""])
    )
    return draw(
        st.recursive(
            leaves,
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=10), inner, max_size=4)
            ),
            max_leaves=30,
        )
    )


@FUZZ
@given(body=documents(), key=st.sampled_from(["members", "branches", "dues_payments", "name"]))
def test_well_formed_documents_of_any_shape_load_or_fail_cleanly(body: Any, key: str) -> None:
    raw = json.dumps({"name": "x", key: body}, ensure_ascii=False).encode("utf-8")
    outcome(raw, "json")


# -- hostile documents, each under a bound on memory --------------------------------------

HOSTILE: dict[str, tuple[Format, bytes]] = {
    "json nested 100000 deep": ("json", b"[" * 100_000 + b"]" * 100_000),
    "json object nested 100000 deep": ("json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    "toml nested 100000 deep": ("toml", b"a = " + b"[" * 100_000 + b"]" * 100_000),
    "yaml nested 100000 deep": ("yaml", b"[" * 100_000 + b"]" * 100_000),
    "json integer of 5000 digits": ("json", b'{"name": "x", "version": ' + b"9" * 5000 + b"}"),
    "yaml integer of 5000 digits": ("yaml", b"name: x\nversion: " + b"9" * 5000 + b"\n"),
    "toml integer of 5000 digits": ("toml", b'name = "x"\nversion = ' + b"9" * 5000 + b"\n"),
    "toml float of 5000 digits": ("toml", b'name = "x"\nversion = 1.' + b"9" * 5000 + b"\n"),
    "yaml alias bomb": (
        "yaml",
        (
            "a: &a ["
            + ",".join(["x"] * 100)
            + "]\n"
            + "".join(
                f"b{i}: &b{i} [" + ",".join([f"*{'a' if i == 0 else f'b{i - 1}'}"] * 10) + "]\n"
                for i in range(8)
            )
        ).encode(),
    ),
    "yaml recursive alias": ("yaml", b"name: &a [*a]\n"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_documents_are_refused_in_bounded_memory(case: str) -> None:
    fmt, raw = HOSTILE[case]
    tracemalloc.start()
    try:
        result = outcome(raw, fmt)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result == "error"
    assert peak < PEAK_LIMIT, f"{case}: {peak / 2**20:.0f} MiB traced"


_CHILD = textwrap.dedent(
    """
    import resource, sys
    limit = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from dangjian import LedgerError, load
    for path in sys.argv[1:]:
        try:
            load(path)
        except LedgerError:
            print("error", path)
        else:
            print("ledger", path)
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_hostile_files_load_under_an_address_space_limit(tmp_path: Path) -> None:
    paths = []
    for i, case in enumerate(sorted(HOSTILE)):
        fmt, raw = HOSTILE[case]
        path = tmp_path / f"{i}.{fmt}"
        path.write_bytes(raw)
        paths.append(str(path))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.split() == [w for p in paths for w in ("error", p)]
