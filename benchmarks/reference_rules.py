"""The seven rules of the table benchmark written by hand, once with pandas and once in SQL.

They are what an analyst who read the rules would write against the record tables (the Parquet
layout of ``dangjian.tables``) to answer the same questions as the library, and what the table
engine is measured against. Both return the verdicts in one normalised form,
``{rule id: {(subject id, sub-period code, status)}}``, so that they can be compared with each
other and with ``dangjian.check`` (:func:`from_report`).

What they model, as the national profile states the rules (``rules/data/national.toml``, kinds
``frequency`` and ``dues``):

* ``branch.committee_mtg`` / ``branch.theme_day`` (monthly), ``branch.congress`` (quarterly),
  ``branch.org_life_mtg`` (yearly): every branch or joint branch that existed at some time in the
  year is judged in each sub-period: not applicable when it did not exist throughout the
  sub-period, or (committee meetings) had no committee seat but a secretary's or deputy's during
  it; passed with at least one meeting of the kind dated in it; otherwise failed when the
  sub-period was over by the day of judging, else pending.
* ``dues.monthly``: each month of the year on whose last day a member was a party member
  (admission, or joining this ledger, to the day before leaving, within the organisation's life;
  a cancelled probation ends it) is judged: paid by the month's end (the quarter's, paying by
  the quarter) passes, paid later fails (a back payment), not paid fails once due. A member of
  an organisation none of whose members has a payment recorded cannot be told (one ``unknown``
  for the year). Two payments of a month with the same amount and base are one recorded twice
  (a failed warning on the later record).
* ``dues.salaried`` / ``dues.retired``: each owed month with payments, for members of the
  categories of the schedule: the distinct payments' sum against the schedule's rate on the
  highest base, rounded half up to the 分; no base recorded cannot be told.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["RULES", "Verdicts", "as_sets", "counts", "from_report", "run_pandas", "run_sql"]

RULES = (
    "branch.committee_mtg",
    "branch.congress",
    "branch.theme_day",
    "branch.org_life_mtg",
    "dues.monthly",
    "dues.salaried",
    "dues.retired",
)

Verdicts = dict[str, set[tuple[str, str, str]]]

_FREQUENCY = {
    # rule: (meeting kind, sub-period unit, needs a committee)
    "branch.committee_mtg": ("committee_meeting", "month", True),
    "branch.theme_day": ("theme_day", "month", False),
    "branch.congress": ("general_meeting", "quarter", False),
    "branch.org_life_mtg": ("org_life_meeting", "year", False),
}
_SCHEDULES = {
    # rule: (categories, ((upper bound or None, rate), …))
    "dues.salaried": (
        ("salaried", "annual_salary"),
        (("3000", "0.005"), ("5000", "0.01"), ("10000", "0.015"), (None, "0.02")),
    ),
    "dues.retired": (("retired",), (("5000", "0.005"), (None, "0.01"))),
}
_STATUSES = ("passed", "failed", "pending", "not_applicable", "unknown")
_LEFT = ("lapsed", "removed", "expelled", "withdrawn", "deceased", "transferred_out")
_MEMBER = ("probationary", "full")
_BACK_PAY_MONTHS = 6


def _subperiods(year: int) -> list[tuple[str, str, dt.date, dt.date]]:
    """(unit, code, first day, last day) of the months, quarters and the year."""
    out = []
    for m in range(1, 13):
        end = (dt.date(year + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append(("month", f"{year:04d}-{m:02d}", dt.date(year, m, 1), end))
    for q in range(1, 5):
        end = dt.date(year + (q == 4), (q * 3) % 12 + 1, 1) - dt.timedelta(days=1)
        out.append(("quarter", f"{year:04d}Q{q}", dt.date(year, q * 3 - 2, 1), end))
    out.append(("year", f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return out


def as_sets(found: Any) -> Verdicts:
    """Verdicts given as a table (Arrow, or a data frame) with columns ``rule``, ``subject``,
    ``code`` and ``status``, as sets; sets as they are."""
    if isinstance(found, dict):
        return found
    if hasattr(found, "to_pydict"):
        columns = found.to_pydict()
    else:
        columns = {c: found[c].tolist() for c in ("rule", "subject", "code", "status")}
    out: Verdicts = {rule: set() for rule in RULES}
    for rule, subject, code, status in zip(
        columns["rule"], columns["subject"], columns["code"], columns["status"], strict=True
    ):
        out.setdefault(rule, set()).add((subject, code, status))
    return out


def counts(verdicts: Verdicts) -> dict[str, dict[str, int]]:
    """How many verdicts of each status each rule gave."""
    return {
        rule: dict(sorted(Counter(status for _, _, status in found).items()))
        for rule, found in sorted(verdicts.items())
    }


def from_report(report: Any) -> Verdicts:
    """The findings of a ``dangjian`` report in the normalised form."""
    out: Verdicts = {rule: set() for rule in RULES}
    for f in report:
        period = str(f.period) if f.period is not None else ""
        out.setdefault(f.rule, set()).add((f.subject.id, period, f.status.value))
    return out


# -- pandas ------------------------------------------------------------------------------------


def run_pandas(directory: str | Path, year: int, as_of: dt.date) -> Any:
    """The seven rules over the Parquet tables in ``directory``, with pandas: a data frame of
    verdicts (``rule``, ``subject``, ``code``, ``status``)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    source = Path(directory)

    def read(name: str, columns: list[str]) -> pd.DataFrame:
        """Some columns of a table: dates as datetime64, money as whole cents (int64)."""
        table = pq.read_table(source / f"{name}.parquet", columns=columns)
        for i, f in enumerate(table.schema):
            if pa.types.is_decimal(f.type):
                cents = pc.multiply(table.column(i), pa.scalar(100, pa.int64()))
                table = table.set_column(i, f.name, pc.cast(cents, pa.int64()))
        return table.to_pandas(date_as_object=False)

    y0, y1 = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    judged = pd.Timestamp(as_of)
    subs = pd.DataFrame(_subperiods(year), columns=["unit", "code", "start", "end"])
    subs["start"] = pd.to_datetime(subs["start"])
    subs["end"] = pd.to_datetime(subs["end"])
    out: list[pd.DataFrame] = []
    # the verdicts are categorical: the sub-periods' codes and the statuses are few
    codes = pd.CategoricalDtype(list(subs["code"]))
    statuses = pd.CategoricalDtype(list(_STATUSES))
    rules = pd.CategoricalDtype(list(RULES))
    passed, failed, pending, not_applicable, unknown = range(len(_STATUSES))

    def verdicts(rule: str, subject: Any, code: Any, status: Any) -> None:
        """Add verdicts: ``code`` the sub-periods' codes, or the months' numbers (1 to 12);
        ``status`` positions in :data:`_STATUSES`."""
        n = len(subject)
        if isinstance(code, str):
            code = pd.Categorical([code] * n, dtype=codes)
        elif np.issubdtype(np.asarray(code).dtype, np.integer):
            code = pd.Categorical.from_codes(np.asarray(code) - 1, dtype=codes)
        else:
            code = pd.Categorical(code, dtype=codes)
        status = np.broadcast_to(np.asarray(status, dtype=np.int8), (n,))
        frame = pd.DataFrame(
            {
                "rule": pd.Categorical.from_codes(np.full(n, RULES.index(rule)), dtype=rules),
                "subject": subject,
                "code": code,
                "status": pd.Categorical.from_codes(status, dtype=statuses),
            }
        )
        out.append(frame)

    def pending_or_failed(end: pd.Series) -> np.ndarray:
        return np.where((end < judged) & (end <= y1), failed, pending)

    # -- organisations in the year
    orgs = read("branches", ["id", "level", "founded", "dissolved"])
    alive = (orgs["founded"].isna() | (orgs["founded"] <= y1)) & (
        orgs["dissolved"].isna() | (orgs["dissolved"] >= y0)
    )
    orgs = orgs[alive]
    branches = orgs[orgs["level"].isin(["branch", "joint_branch"])]
    meetings = read("meetings", ["branch", "kind", "date"])
    meetings = meetings[(meetings["date"] >= y0) & (meetings["date"] <= y1)]
    seats = read("branches.committee", ["branch", "role", "start", "end"])
    seats = seats[~seats["role"].isin(["secretary", "deputy_secretary"])]
    for rule, (kind, unit, needs_committee) in _FREQUENCY.items():
        grid = branches.merge(subs[subs["unit"] == unit], how="cross")
        held = meetings[meetings["kind"] == kind]
        held = held.merge(grid[["id", "code", "start", "end"]], left_on="branch", right_on="id")
        held = held[(held["date"] >= held["start"]) & (held["date"] <= held["end"])]
        n = held.groupby(["id", "code"]).size().rename("n")
        grid = grid.join(n, on=["id", "code"])
        status = np.where(grid["n"].fillna(0) >= 1, passed, pending_or_failed(grid["end"]))
        absent = (grid["founded"].notna() & (grid["founded"] > grid["start"])) | (
            grid["dissolved"].notna() & (grid["dissolved"] < grid["end"])
        )
        if needs_committee:
            sat = seats.merge(grid[["id", "code", "start", "end"]], left_on="branch", right_on="id")
            sat = sat[
                (sat["start_x"].isna() | (sat["start_x"] <= sat["end_y"]))
                & (sat["end_x"].isna() | (sat["end_x"] >= sat["start_y"]))
            ]
            with_committee = pd.MultiIndex.from_frame(sat[["id", "code"]].drop_duplicates())
            keys = pd.MultiIndex.from_frame(grid[["id", "code"]])
            absent = absent | ~keys.isin(with_committee)
        status = np.where(absent, not_applicable, status)
        verdicts(rule, grid["id"].to_numpy(), grid["code"].to_numpy(), status)

    # -- members and the months they owed dues
    members = read(
        "members",
        [
            "id",
            "branch",
            "status",
            "milestones.admitted",
            "milestones.converted",
            "joined",
            "left",
            "probation_cancelled",
            "dues_category",
            "dues_quarterly",
        ],
    )
    members = members.merge(
        orgs[["id", "founded", "dissolved"]].rename(columns={"id": "org"}),
        left_on="branch",
        right_on="org",
    )
    start = members["milestones.admitted"].fillna(members["milestones.converted"])
    never = start.isna() & ~members["status"].isin(_MEMBER) & ~members["status"].isin(_LEFT)
    start = start.where(members["joined"].isna() | (members["joined"] <= start), members["joined"])
    has_left = members["status"].isin(_LEFT)
    never |= has_left & members["left"].isna()
    end = (members["left"] - pd.Timedelta(days=1)).where(has_left)
    start = start.where(
        members["founded"].isna() | (start.notna() & (start >= members["founded"])),
        members["founded"],
    )
    end = end.where(
        members["dissolved"].isna() | (end.notna() & (end <= members["dissolved"])),
        members["dissolved"],
    )
    cancelled = members["probation_cancelled"] - pd.Timedelta(days=1)
    cut = members["probation_cancelled"].notna() & members["milestones.converted"].isna()
    end = end.where(~cut | (end.notna() & (end <= cancelled)), cancelled)
    members["span_start"], members["span_end"] = start, end
    members = members.loc[
        ~never, ["id", "branch", "dues_category", "dues_quarterly", "span_start", "span_end"]
    ]
    months = subs[subs["unit"] == "month"][["end"]].assign(month=np.arange(1, 13, dtype=np.int8))
    owed = members.merge(months, how="cross")
    owed = owed[
        (owed["span_start"].isna() | (owed["span_start"] <= owed["end"]))
        & (owed["span_end"].isna() | (owed["span_end"] >= owed["end"]))
    ]
    payments = read(
        "dues_payments", ["id", "member", "month", "amount", "base", "paid_on", "voluntary"]
    )
    payments = payments[~payments["voluntary"]]
    everyone = read("members", ["id", "branch"])
    paying = set(everyone.loc[everyone["id"].isin(payments["member"].unique()), "branch"])
    del everyone
    # only the year's months are owed: the others' payments are not looked at
    payments = payments[payments["month"].dt.year == year]
    payments = payments.assign(month=payments["month"].dt.month.astype(np.int8))

    # dues.monthly
    kept = owed[owed["branch"].isin(paying)]
    told = owed[~owed["branch"].isin(paying)]
    verdicts("dues.monthly", told["id"].unique(), f"{year:04d}", unknown)
    per_month = payments.assign(undated=payments["paid_on"].isna()).groupby(["member", "month"])
    per_month = per_month.agg(first=("paid_on", "min"), undated=("undated", "max"))
    judged_months = kept.join(per_month, on=["id", "month"])
    quarterly = judged_months["dues_quarterly"].notna() & (
        judged_months["dues_quarterly"] <= judged_months["end"]
    )
    quarter_end = judged_months["end"].dt.to_period("Q").dt.end_time.dt.normalize()
    due = judged_months["end"].where(~quarterly, quarter_end)
    undated = judged_months["undated"].fillna(False).astype(bool)
    paid = judged_months["first"].notna() | undated
    on_time = undated | (judged_months["first"] <= due)
    unpaid = np.where(
        (judged_months["end"] < judged) & (judged_months["end"] <= y1) & (due < judged),
        failed,
        pending,
    )
    status = np.where(paid, np.where(on_time, passed, failed), unpaid)
    verdicts("dues.monthly", judged_months["id"].array, judged_months["month"].to_numpy(), status)
    del judged_months
    # repeated records: the same member, month, amount and base, the later ones named
    repeated = payments.merge(kept[["id", "month"]].rename(columns={"id": "member"}))
    # the first of a group is kept: one without a day first, then the earliest, then by id
    repeated = repeated.sort_values(["paid_on", "id"], na_position="first")
    group = repeated.groupby(["member", "month", "amount", "base"], dropna=False)
    size = group["id"].transform("size")
    last = repeated[(size > 1) & (group.cumcount() == size - 1)]
    verdicts("dues.monthly", last["id"].array, last["month"].to_numpy(), failed)

    # dues.salaried, dues.retired: money in whole cents, the rate in thousandths, so that half
    # up to the 分 is exact integer arithmetic
    distinct = payments.drop_duplicates(["member", "month", "amount", "base"])
    sums = distinct.groupby(["member", "month"]).agg(paid=("amount", "sum"), base=("base", "max"))
    for rule, (categories, tiers) in _SCHEDULES.items():
        mine = owed[owed["dues_category"].isin(categories)]
        mine = mine.join(sums, on=["id", "month"], how="inner")
        base = mine["base"]
        rate = np.select(
            [base <= int(bound) * 100 for bound, _ in tiers[:-1]],
            [round(float(r) * 1000) for _, r in tiers[:-1]],
            default=round(float(tiers[-1][1]) * 1000),
        )
        expected = (base.fillna(0).astype("int64") * rate + 500) // 1000
        status = np.where(
            base.isna(),
            unknown,
            np.where(mine["paid"] >= expected, passed, pending_or_failed(mine["end"])),
        )
        verdicts(rule, mine["id"].array, mine["month"].to_numpy(), status)
    return pd.concat(out, ignore_index=True)[["rule", "subject", "code", "status"]]


# -- SQL (DuckDB) ------------------------------------------------------------------------------

_SQL = """
SET preserve_insertion_order = false;
SET enable_progress_bar = false;

CREATE TEMP TABLE subs AS
  SELECT 'month' AS unit, strftime(d, '%Y-%m') AS code, d AS start,
         CAST(d + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS "end"
  FROM (SELECT CAST(unnest(generate_series(DATE '{y}-01-01', DATE '{y}-12-01', INTERVAL 1 MONTH)) AS DATE) AS d)
  UNION ALL
  SELECT 'quarter', '{y}Q' || q, make_date({y}, q * 3 - 2, 1),
         CAST(make_date({y}, q * 3 - 2, 1) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE)
  FROM range(1, 5) t(q)
  UNION ALL
  SELECT 'year', '{y}', DATE '{y}-01-01', DATE '{y}-12-31';

CREATE TEMP TABLE orgs AS
  SELECT id, level, founded, dissolved FROM read_parquet('{d}/branches.parquet')
  WHERE coalesce(founded <= DATE '{y}-12-31', true) AND coalesce(dissolved >= DATE '{y}-01-01', true);

CREATE TEMP VIEW frequency AS
WITH rules(rule, kind, unit, needs_committee) AS (
  VALUES ('branch.committee_mtg', 'committee_meeting', 'month', true),
         ('branch.theme_day', 'theme_day', 'month', false),
         ('branch.congress', 'general_meeting', 'quarter', false),
         ('branch.org_life_mtg', 'org_life_meeting', 'year', false)
),
grid AS (
  SELECT r.*, o.id, o.founded, o.dissolved, s.code, s.start, s."end"
  FROM rules r JOIN subs s USING (unit) CROSS JOIN orgs o
  WHERE o.level IN ('branch', 'joint_branch')
),
held AS (
  SELECT g.rule, g.id, g.code, count(*) AS n
  FROM grid g JOIN read_parquet('{d}/meetings.parquet') m
    ON m.branch = g.id AND m.kind = g.kind AND m.date BETWEEN g.start AND g."end"
  GROUP BY ALL
),
committee AS (
  SELECT DISTINCT g.rule, g.id, g.code
  FROM grid g JOIN read_parquet('{d}/branches.committee.parquet') c
    ON c.branch = g.id AND c.role NOT IN ('secretary', 'deputy_secretary')
   AND coalesce(c.start <= g."end", true) AND coalesce(c."end" >= g.start, true)
  WHERE g.needs_committee
)
SELECT g.rule, g.id AS subject, g.code,
  CASE
    WHEN g.founded > g.start OR g.dissolved < g."end" THEN 'not_applicable'
    WHEN g.needs_committee AND c.id IS NULL THEN 'not_applicable'
    WHEN coalesce(h.n, 0) >= 1 THEN 'passed'
    WHEN g."end" < DATE '{as_of}' THEN 'failed'
    ELSE 'pending'
  END AS status
FROM grid g LEFT JOIN held h USING (rule, id, code) LEFT JOIN committee c USING (rule, id, code);

CREATE TEMP VIEW spans AS
WITH m AS (
  SELECT m.id, m.branch, m.status, m.dues_category, m.dues_quarterly, m.joined, m."left",
         m."milestones.converted" AS converted, m.probation_cancelled, o.founded, o.dissolved,
         coalesce(m."milestones.admitted", m."milestones.converted") AS first_day,
         m.status IN ({left}) AS has_left
  FROM read_parquet('{d}/members.parquet') m JOIN orgs o ON o.id = m.branch
),
bounded AS (
  SELECT *,
    CASE WHEN founded IS NOT NULL AND (s IS NULL OR s < founded) THEN founded ELSE s END AS span_start,
    CASE WHEN dissolved IS NOT NULL AND (e IS NULL OR e > dissolved) THEN dissolved ELSE e END AS e2
  FROM (
    SELECT *,
      CASE WHEN joined IS NOT NULL AND (first_day IS NULL OR joined > first_day) THEN joined
           ELSE first_day END AS s,
      CASE WHEN has_left THEN CAST("left" - INTERVAL 1 DAY AS DATE) END AS e
    FROM m
    WHERE NOT (first_day IS NULL AND status NOT IN ({member}) AND NOT has_left)
      AND NOT (has_left AND "left" IS NULL)
  )
)
SELECT id, branch, dues_category, dues_quarterly, span_start,
  CASE WHEN probation_cancelled IS NOT NULL AND converted IS NULL
            AND (e2 IS NULL OR e2 > probation_cancelled - 1)
       THEN CAST(probation_cancelled - INTERVAL 1 DAY AS DATE) ELSE e2 END AS span_end
FROM bounded;

CREATE TEMP VIEW owed AS
  SELECT m.id, m.branch, m.dues_category, m.dues_quarterly, s.start AS month, s."end"
  FROM spans m JOIN subs s ON s.unit = 'month'
   AND coalesce(m.span_start <= s."end", true) AND coalesce(m.span_end >= s."end", true);

-- each distinct payment: the same member, month, amount and base recorded twice count once
CREATE TEMP VIEW records AS
  SELECT member, month, amount, base, count(*) AS n,
         min(paid_on) AS first_paid, bool_or(paid_on IS NULL) AS undated
  FROM read_parquet('{d}/dues_payments.parquet') WHERE NOT voluntary
  GROUP BY ALL;

-- the organisations with a payment of one of their members recorded
CREATE TEMP TABLE paying AS
  SELECT DISTINCT m.branch
  FROM (SELECT DISTINCT member FROM read_parquet('{d}/dues_payments.parquet') WHERE NOT voluntary) p
  JOIN read_parquet('{d}/members.parquet') m ON m.id = p.member;

-- each month owed, with what was paid for it
CREATE TEMP VIEW dues AS
WITH paid AS (
  SELECT member, month, min(first_paid) AS first_paid, bool_or(undated) AS undated,
         sum(amount) AS paid, max(base) AS base
  FROM records GROUP BY ALL
)
SELECT o.id, o.branch, o.dues_category, o.month, o."end",
  CASE WHEN o.dues_quarterly <= o."end"
       THEN CAST(date_trunc('quarter', o.month) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE)
       ELSE o."end" END AS due,
  p.member IS NOT NULL AS has_paid, p.first_paid, p.undated, p.paid, p.base
FROM owed o LEFT JOIN paid p ON p.member = o.id AND p.month = o.month;

CREATE TEMP VIEW monthly AS
SELECT d.id AS subject, strftime(d.month, '%Y-%m') AS code,
  CASE
    WHEN d.undated OR d.first_paid <= d.due THEN 'passed'
    WHEN d.has_paid THEN 'failed'
    WHEN d."end" < DATE '{as_of}' AND d.due < DATE '{as_of}' THEN 'failed'
    ELSE 'pending'
  END AS status
FROM dues d SEMI JOIN paying p ON p.branch = d.branch
UNION ALL
SELECT DISTINCT o.id, '{y}', 'unknown' FROM owed o ANTI JOIN paying p ON p.branch = o.branch
UNION ALL
-- a payment recorded twice: the later record is named
SELECT id, strftime(month, '%Y-%m'), 'failed' FROM (
  SELECT p.id, p.member, p.month, row_number() OVER (
    PARTITION BY p.member, p.month, p.amount, p.base
    ORDER BY coalesce(p.paid_on, DATE '0001-01-01') DESC, p.id DESC) AS k
  FROM read_parquet('{d}/dues_payments.parquet') p
  JOIN (SELECT * FROM records WHERE n > 1) r
    ON r.member = p.member AND r.month = p.month AND r.amount = p.amount
   AND r.base IS NOT DISTINCT FROM p.base
  WHERE NOT p.voluntary
) x
WHERE k = 1 AND EXISTS (
  SELECT 1 FROM owed o JOIN paying USING (branch) WHERE o.id = x.member AND o.month = x.month
);

CREATE TEMP VIEW amounts AS
SELECT rule, id AS subject, strftime(month, '%Y-%m') AS code,
  CASE
    WHEN base IS NULL THEN 'unknown'
    WHEN paid >= round(base * rate, 2) THEN 'passed'
    WHEN "end" < DATE '{as_of}' THEN 'failed'
    ELSE 'pending'
  END AS status
FROM (
  SELECT d.*,
    CASE WHEN dues_category = 'retired' THEN 'dues.retired' ELSE 'dues.salaried' END AS rule,
    CASE
      WHEN dues_category = 'retired' THEN
        CASE WHEN base <= 5000 THEN 0.005 ELSE 0.01 END
      ELSE
        CASE WHEN base <= 3000 THEN 0.005 WHEN base <= 5000 THEN 0.01
             WHEN base <= 10000 THEN 0.015 ELSE 0.02 END
    END AS rate
  FROM dues d
  WHERE d.has_paid AND d.dues_category IN ('salaried', 'annual_salary', 'retired')
);
"""


def run_sql(directory: str | Path, year: int, as_of: dt.date, *, keep: bool = False) -> Any:
    """The seven rules over the Parquet tables in ``directory``, in DuckDB SQL: an Arrow table
    of verdicts (``rule``, ``subject``, ``code``, ``status``), or with ``keep`` the DuckDB
    connection in which the view ``verdicts`` holds them (not yet computed)."""
    import duckdb

    con = duckdb.connect()
    script = _SQL.format(
        d=str(Path(directory)).replace("'", "''"),
        y=f"{year:04d}",
        as_of=as_of.isoformat(),
        left=", ".join(f"'{s}'" for s in _LEFT),
        member=", ".join(f"'{s}'" for s in _MEMBER),
    )
    con.execute(script)
    con.execute(
        "CREATE TEMP VIEW verdicts AS "
        "SELECT rule, subject, code, status FROM frequency UNION ALL "
        "SELECT 'dues.monthly', subject, code, status FROM monthly UNION ALL "
        "SELECT rule, subject, code, status FROM amounts"
    )
    if keep:
        return con
    found = con.sql("SELECT * FROM verdicts").to_arrow_table()
    con.close()
    return found
