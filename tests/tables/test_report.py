"""The table engine's report: counts, filters, groups and the exit code computed on the backend
equal those of the object engine's report; findings stream and write to Parquet whole."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import attrs
import pytest

import dangjian
from dangjian.errors import DangjianError
from dangjian.findings import Severity, Status
from dangjian.tables.engine import evaluate
from dangjian.tables.report import TableReport
from tests.builders.example import AS_OF, EXAMPLE, PERIOD, PLAN, WAIVERS
from tests.builders.tables import finding_key, on_duckdb, table_rules

pytest.importorskip("ibis")


@pytest.fixture(scope="module")
def both() -> tuple[dangjian.Report, TableReport]:
    ledger = dangjian.load(EXAMPLE)
    options = dict(
        as_of=AS_OF,
        profile="organ",
        rules=[str(PLAN)],
        waivers=dangjian.load_waivers(WAIVERS),
        only=table_rules("organ"),
        allow_unmatched=True,
    )
    objects = dangjian.check(ledger, PERIOD, **options)  # type: ignore[arg-type]
    con, tables = on_duckdb(ledger)
    return objects, evaluate(con, tables, PERIOD, **options)  # type: ignore[arg-type]


def test_counts_and_length(both: tuple[dangjian.Report, TableReport]) -> None:
    objects, rows = both
    assert rows.counts() == objects.counts()
    assert len(rows) == len(objects)
    assert sum(r["n"] for r in rows.counts_by("rule", "status")) == len(objects)
    by_rule = Counter(f.rule for f in objects)
    assert {r["rule"]: r["n"] for r in rows.counts_by("rule")} == dict(by_rule)


@pytest.mark.parametrize(
    "criteria",
    [
        {"status": "failed"},
        {"status": ("failed", "unknown", "waived")},
        {"rule": "branch."},
        {"rule": "branch.theme_day"},
        {"severity": "warning"},
        {"at_least": "warning"},
        {"branch": "jg2"},
    ],
)
def test_filter_is_the_object_reports(
    both: tuple[dangjian.Report, TableReport], criteria: dict[str, object]
) -> None:
    objects, rows = both
    kept = rows.filter(**criteria)  # type: ignore[arg-type]
    expected = objects.filter(**criteria)  # type: ignore[arg-type]
    assert Counter(map(finding_key, kept)) == Counter(map(finding_key, expected))
    assert kept.totals == objects.counts()


def test_group_by_is_the_object_reports(both: tuple[dangjian.Report, TableReport]) -> None:
    objects, rows = both
    for key in ("rule", "status", "branch", "period"):
        groups = rows.group_by(key)  # type: ignore[arg-type]
        expected = objects.group_by(key)  # type: ignore[arg-type]
        assert set(groups) == set(expected)
        for name, group in groups.items():
            assert Counter(map(finding_key, group)) == Counter(map(finding_key, expected[name]))


@pytest.mark.parametrize("fail_on", list(Severity))
@pytest.mark.parametrize("unknown", [False, True])
def test_exit_code_is_the_object_reports(
    both: tuple[dangjian.Report, TableReport], fail_on: Severity, unknown: bool
) -> None:
    objects, rows = both
    assert rows.exit_code(fail_on, unknown=unknown) == objects.exit_code(fail_on, unknown=unknown)


def test_to_report_orders_and_renders_as_the_objects(
    both: tuple[dangjian.Report, TableReport],
) -> None:
    objects, rows = both
    report = rows.to_report()
    assert sorted(map(finding_key, report), key=repr) == sorted(map(finding_key, objects), key=repr)
    assert report.summary_line() == objects.summary_line()
    assert rows.summary_line() == objects.summary_line()
    assert sorted(report.render("csv").splitlines()) == sorted(objects.render("csv").splitlines())
    # the organisations' names, for the frames' branch_name, as the object engine gives them
    judged = {f.subject.branch for f in objects} - {None}
    assert judged and report.names == {k: v for k, v in objects.names.items() if k in judged}


def test_to_report_refuses_more_than_its_limit(both: tuple[dangjian.Report, TableReport]) -> None:
    _, rows = both
    with pytest.raises(DangjianError, match="to_parquet"):
        rows.to_report(limit=len(rows) - 1)
    assert len(rows.to_report(limit=len(rows))) == len(rows)


def test_to_parquet_writes_every_row(
    both: tuple[dangjian.Report, TableReport], tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    _, rows = both
    target = tmp_path / "findings.parquet"
    rows.to_parquet(target)
    table = pq.read_table(target)
    assert table.num_rows == len(rows)
    assert Counter(table.column("status").to_pylist()) == Counter(
        {s.value: n for s, n in rows.counts().items() if n}
    )
    titles = {r.id: r.title for r in rows.rules.values()}
    pairs = zip(table.column("rule").to_pylist(), table.column("title").to_pylist(), strict=True)
    assert all(title == titles[rule] for rule, title in pairs)
    failed = rows.filter(status=Status.FAILED)
    failed.to_parquet(target)  # replaces it whole
    assert pq.read_table(target).num_rows == len(failed)
    nothing = rows.filter(rule="no.such.rule")
    nothing.to_parquet(target)
    assert pq.read_table(target).num_rows == 0
    assert [p.name for p in tmp_path.iterdir()] == ["findings.parquet"]  # nothing left beside


def test_to_parquet_writes_to_a_pipe_as_it_is(
    both: tuple[dangjian.Report, TableReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import tempfile
    import threading

    import pyarrow.parquet as pq

    def no_file_beside(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pipe (or a device such as /dev/stdout) has no folder to write in")

    monkeypatch.setattr(tempfile, "mkstemp", no_file_beside)
    _, rows = both
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_bytes()))
    reader.start()
    rows.to_parquet(pipe)
    reader.join()
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # nothing written beside it
    copy = tmp_path / "copy.parquet"
    copy.write_bytes(read[0])
    assert pq.read_table(copy).num_rows == len(rows)


def test_to_parquet_leaves_the_file_as_it_was_when_it_fails(
    both: tuple[dangjian.Report, TableReport], tmp_path: Path
) -> None:
    _, rows = both
    target = tmp_path / "findings.parquet"
    target.write_bytes(b"before")
    broken = attrs.evolve(rows, table=rows.table.mutate(status=rows.table.status.cast("int64")))
    duckdb = pytest.importorskip("duckdb")
    with pytest.raises(duckdb.Error):  # a status that is no number, found while writing
        broken.to_parquet(target)
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.parquet"]


def test_streamed_failures_are_the_objects(both: tuple[dangjian.Report, TableReport]) -> None:
    objects, rows = both
    assert Counter(map(finding_key, rows.failed)) == Counter(map(finding_key, objects.failed))
    assert Counter(map(finding_key, rows.unknown)) == Counter(map(finding_key, objects.unknown))
    assert dt.date(2020, 7, 15) == rows.as_of


def test_repr_is_one_line_of_counts(both: tuple[dangjian.Report, TableReport]) -> None:
    objects, rows = both
    shown = repr(rows)
    assert "\n" not in shown and len(shown) < 300
    assert shown.startswith(f"<TableReport {objects.period.label()}（截至{AS_OF.isoformat()}")
    for status, n in objects.counts().items():
        assert (f"{status.label}{n}" in shown) == (n > 0), status
    assert f"{len(rows.rules)}条规则" in shown
    failed = repr(rows.filter(status="failed"))
    assert f"不符合{len(objects.failed)}" in failed and "符合" not in failed.replace("不符合", "")
