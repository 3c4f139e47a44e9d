"""The table engine's findings equal the object engine's: on the example and on generated
ledgers, with the plan and the waivers, for every rule whose kind the table engine implements.

A finding is compared whole (:func:`tests.builders.tables.finding_key`): rule, subject,
sub-period, status, severity, its message in Chinese and English (which carries the expected
and actual values), evidence, citations, day, gap and waiver.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dangjian
from dangjian.testing import strategies as ds
from tests.builders import examples
from tests.builders.example import AS_OF, EXAMPLE, PERIOD, PLAN, WAIVERS
from tests.builders.tables import same_findings, table_rules

pytest.importorskip("ibis")


def _explain(only_objects: object, only_tables: object) -> str:
    return f"only the object engine: {only_objects}\nonly the table engine: {only_tables}"


@pytest.mark.parametrize("rule", table_rules("organ"))
def test_example_rule_by_rule(rule: str) -> None:
    ledger = dangjian.load(EXAMPLE)
    waivers = dangjian.load_waivers(WAIVERS)
    objects, rows = same_findings(
        ledger,
        PERIOD,
        as_of=AS_OF,
        profile="organ",
        only=[rule],
        waivers=waivers,
        rules=[str(PLAN)],
    )
    assert not objects and not rows, _explain(objects, rows)


def test_example_all_at_once_in_the_national_profile() -> None:
    ledger = dangjian.load(EXAMPLE)
    objects, rows = same_findings(
        ledger, "2020", as_of=dt.date(2020, 12, 31), profile="national", only=None
    )
    assert not objects and not rows, _explain(objects, rows)


@given(
    ledger=ds.ledgers(max_branches=3, max_members=6, max_records=3),
    year=st.integers(2018, 2021),
    unit=st.sampled_from(["", "H1", "Q2", "-03", "H2"]),
    as_of=st.dates(dt.date(2018, 1, 1), dt.date(2022, 12, 31)),
    profile=st.sampled_from(["national", "organ"]),
)
@settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_generated_ledgers(
    ledger: dangjian.Ledger, year: int, unit: str, as_of: dt.date, profile: str
) -> None:
    objects, rows = same_findings(ledger, f"{year}{unit}", as_of=as_of, profile=profile)
    assert not objects and not rows, _explain(objects, rows)


@given(
    ledger=ds.ledgers(max_branches=2, max_members=6, max_records=4),
    year=st.integers(2018, 2021),
    unit=st.sampled_from(["", "H1", "Q2", "-03"]),
    as_of=st.dates(dt.date(2018, 1, 1), dt.date(2022, 12, 31)),
    quantum=st.sampled_from(["0.01", "0.1", "1"]),
    rounding=st.sampled_from(["ROUND_HALF_UP", "ROUND_UP", "ROUND_HALF_EVEN", "ROUND_DOWN"]),
    minimum=st.sampled_from(["", 'minimum = "1", ', 'minimum = "0.10", ']),
    tolerance=st.sampled_from(["0", "0.05", "1"]),
)
@settings(
    max_examples=examples(4),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_generated_ledgers_under_a_local_dues_policy(
    tmp_path_factory: pytest.TempPathFactory,
    ledger: dangjian.Ledger,
    year: int,
    unit: str,
    as_of: dt.date,
    quantum: str,
    rounding: str,
    minimum: str,
    tolerance: str,
) -> None:
    """The dues rules with their rounding, minimum and tolerance overridden by a rule file (a
    local policy), on generated ledgers (some payments with gross pay instead of a base)."""
    if quantum == "1" and "0.10" in minimum:
        minimum = 'minimum = "1", '  # a minimum finer than the quantum is refused
    params = f'{minimum}quantum = "{quantum}", rounding = "{rounding}", tolerance = "{tolerance}"'
    policy = tmp_path_factory.mktemp("policy") / "policy.toml"
    policy.write_text(
        'profile = "policy"\ntitle = "本地党费计算办法"\n\n'
        + "".join(
            f'[[override]]\nrule = "{rule}"\nparams = {{ {params} }}\n'
            'citations = [{ document = "本地党费计算办法", verified = false }]\n\n'
            for rule in ("dues.salaried", "dues.retired", "dues.flat")
        ),
        encoding="utf-8",
    )
    objects, rows = same_findings(
        ledger,
        f"{year}{unit}",
        as_of=as_of,
        profile="national",
        only=["dues.salaried", "dues.retired", "dues.flat", "dues.monthly"],
        rules=[str(policy)],
    )
    assert not objects and not rows, _explain(objects, rows)
