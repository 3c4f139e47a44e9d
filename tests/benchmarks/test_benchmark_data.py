"""The synthetic ledger of the benchmarks stays valid, and the quick paths of loading agree.

The benchmarks time loading on ``benchmarks/synthetic.py``'s ledger, so it must load without
problems. The same small ledger, spoiled in many ways, then checks that the quick paths that make
loading fast (the generated structure functions of the converter and the quick tests of the
whole-ledger validation) accept, build and report exactly what the general paths do.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import dangjian
from dangjian import RECORD_KINDS, Ledger, make_converter
from dangjian.ledger import ledger_problems
from tests.builders import ROOT

SCALE = 0.002  # 2 organisations, 60 members, a few hundred records of each big kind


def _synthetic() -> ModuleType:
    path = ROOT / "benchmarks" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("dangjian_bench_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synthetic = _synthetic()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    made: dict[str, Any] = synthetic.make_ledger_data(SCALE, seed=0)
    return made


def test_the_synthetic_ledger_loads_without_problems(data: dict[str, Any]) -> None:
    ledger = dangjian.loads(json.dumps(data, ensure_ascii=False), "json")
    assert ledger.problems() == []
    expected = synthetic.counts(SCALE)
    for kind in RECORD_KINDS:
        assert len(getattr(ledger, kind.field)) == expected[kind.field], kind.field


def test_the_synthetic_ledger_is_deterministic() -> None:
    assert synthetic.make_ledger_data(SCALE, seed=3) == synthetic.make_ledger_data(SCALE, seed=3)
    assert synthetic.make_ledger_data(SCALE, seed=3) != synthetic.make_ledger_data(SCALE, seed=4)


def test_write_json_writes_a_loadable_file(tmp_path: Path) -> None:
    path = synthetic.write_json(tmp_path / "ledger.json", scale=0.001, seed=1)
    assert dangjian.load(path).problems() == []


# -- the quick paths agree with the general ones ----------------------------------------------

_ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    7,
    True,
    1.5,
    "",
    " x",
    "x ",
    "2020-02-30",
    "2020-01-01",
    "2020-13",
    "2020-05",
    "09:00",
    "25:00",
    "12.5",
    "-1",
    "nan",
    "男",
    "full",
    "no_such_code",
    [],
    {},
    [""],
    [1],
    ["M000001", "M000001"],
    # at and past the bounds of the model (docs/format.md, 界限 Limits)
    10**6,
    10**6 + 1,
    "1000000000",
    "1000000000.01",
    "0.000001",
    "0.0000001",
    "1e999999999",
    "4_5",
    "١٢",
    "１２.５",
    "1799-12-31",
    "2201-01-01",
    "2200-12",
    "9999-12",
]


def _spoil(rng: random.Random, record: dict[str, Any]) -> None:
    """Spoil one field of ``record`` (or of a record nested in it) in one of many ways."""
    target = record
    nested = [v for v in record.values() if isinstance(v, dict)]
    nested += [
        v[0] for v in record.values() if isinstance(v, list) and v and isinstance(v[0], dict)
    ]
    if nested and rng.random() < 0.3:
        target = rng.choice(nested)
    if not target:
        target["bogus"] = 1
        return
    field = rng.choice(sorted(target))
    roll = rng.random()
    if roll < 0.1:
        del target[field]
    elif roll < 0.2:
        target["bogus"] = 1
    elif roll < 0.3 and isinstance(target[field], list) and target[field]:
        target[field] = [*target[field], target[field][0]]
    else:
        target[field] = copy.deepcopy(rng.choice(_ODD_VALUES))


def test_quick_structuring_agrees_with_detailed_structuring(data: dict[str, Any]) -> None:
    quick, detailed = make_converter(detailed=False), make_converter(detailed=True)
    rng = random.Random(0)
    for kind in RECORD_KINDS:
        for record in data[kind.field][:40]:
            for _ in range(6):
                spoilt = copy.deepcopy(record)
                if rng.random() < 0.9:
                    _spoil(rng, spoilt)
                try:
                    wanted = detailed.structure(spoilt, kind.cls)
                except Exception:
                    with pytest.raises(Exception):  # noqa: B017 - any error, as the general path
                        quick.structure(spoilt, kind.cls)
                else:
                    assert quick.structure(spoilt, kind.cls) == wanted


_QUICK = make_converter(detailed=False)  # made once: making one costs more than using it


def _ledger(data: dict[str, Any]) -> Ledger:
    ledger: Ledger = _QUICK.structure(data, Ledger)
    return ledger


def _upset(rng: random.Random, doc: dict[str, Any]) -> None:
    """Break one way the records of ``doc`` fit together, keeping every record well formed."""
    member, meeting = rng.choice(doc["members"]), rng.choice(doc["meetings"])
    study, branch = rng.choice(doc["study_sessions"]), rng.choice(doc["branches"])
    talk, training = rng.choice(doc["talks"]), rng.choice(doc["trainings"])
    someone = rng.choice(doc["members"])["id"]
    group = rng.choice(doc["groups"])["id"]
    changes = [
        lambda: member.update(birth_date="2030-01-01"),
        lambda: member.update(gender="female" if member["gender"] == "male" else "male"),
        lambda: member.update(left="2020-01-01", status="full"),
        lambda: member.update(group=group),
        lambda: member.update(sponsors=[member["id"]]),
        lambda: member.update(mentors=["M999999"]),
        lambda: member.update(probation_extension={"decided": "1960-01-01", "months": 3}),
        lambda: member.update(branch="B99999"),
        lambda: meeting.update(date="1999-01-01"),
        lambda: meeting.update(expected_count=len(meeting.get("expected", [])) + 1),
        lambda: meeting.update(present_count=len(meeting["attended"]) + 1),
        lambda: meeting.update(expected_count=1, present_count=2, expected=[], attended=[]),
        lambda: meeting.update(expected=meeting["attended"][1:]),
        lambda: meeting.update(absences=[{"member": meeting["attended"][0], "reason": "leave"}]),
        lambda: meeting.update(absences=[{"member": "M999999", "reason": "leave"}]),
        lambda: meeting.update(group=group),
        lambda: meeting.update(chair="M999999"),
        lambda: meeting.update(lecturer=someone),
        lambda: meeting.update(attended=[*meeting["attended"], "M999999"]),
        lambda: meeting.update(attended=[*meeting["attended"], someone]),
        lambda: study.update(attendee_count=0),
        lambda: study.update(date="2001-01-01"),
        lambda: study.update(speaker="M999999"),
        lambda: study.update(attendees=[*study["attendees"], "M999999"]),
        lambda: study.update(group=group),
        lambda: branch.update(dissolved="2016-01-01"),
        lambda: branch.update(founded="2023-01-01"),
        lambda: talk.update(partner="M999999"),
        lambda: talk.update(date="1960-01-01"),
        lambda: training.update(date="1940-01-01"),
        lambda: training.update(member="M999999"),
        lambda: rng.choice(doc["dues_payments"]).update(member="M999999"),
        lambda: doc["members"].append(copy.deepcopy(member)),
        lambda: doc["meetings"].append(copy.deepcopy(meeting)),
    ]
    rng.choice(changes)()


def test_quick_validation_agrees_with_full_validation(data: dict[str, Any]) -> None:
    rng = random.Random(1)
    found = 0
    for _ in range(120):
        doc = json.loads(json.dumps(data))  # a deep copy of plain data, many times faster
        for _ in range(rng.choice((1, 1, 2, 4))):
            _upset(rng, doc)
        try:
            ledger = _ledger(doc)
        except Exception:  # a change that no record of its kind can hold (dissolved early)
            continue
        quick = ledger_problems(ledger)
        assert quick == ledger_problems(ledger, quick=False)
        found += bool(quick)
    assert found > 80  # nearly every upset ledger has problems
