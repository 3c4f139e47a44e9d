"""Local dues policies as data: the rounding, minimum and tolerance of the amount rules, set by
a rule file's ``[[override]]`` (and the example policy of examples/), each boundary just met and
just missed; a payment's base computed from its gross pay. Both engines agree on all of these:
tests/tables/kinds/test_dues_policy.py."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dangjian
from dangjian import DuesCategory, RuleError
from dangjian.findings import Finding
from dangjian.rules.docs import explain
from dangjian.rules.kinds.dues import DuesParams, Schedule, Tier, expected_dues
from dangjian.testing import strategies as ds
from tests.builders.dues import (
    D,
    findings_of,
    ledger,
    member,
    payment,
    run,
    write_policy,
    write_rule_file,
)
from tests.builders.example import EXAMPLES

EXAMPLE_POLICY = EXAMPLES / "dues-policy-round-up.toml"
MONTH = ("m1", "2020-01")


def judge(
    amount: str, base: str | None, rules: list[Path] | tuple[Path, ...] = (), **pay: str
) -> Finding:
    """The dues.salaried finding of one salaried member who paid ``amount`` on ``base`` for
    2020-01, under the rule files ``rules`` on top of the national profile."""
    led = ledger(
        members=[member("m1", dues_category=DuesCategory.SALARIED)],
        dues_payments=[payment("m1", "2020-01", amount, base=base, **pay)],
    )
    found = run(led, "2020-01", as_of=D(2020, 3, 1), only=["dues.salaried"], rules=rules)
    return findings_of(found, "dues.salaried")[MONTH]


# -- the example policy: up to the 角, at least 0.10 元 ----------------------------------------


def test_example_policy_loads_and_cites_a_practice_not_a_document() -> None:
    rules = dangjian.load_rules("national", [EXAMPLE_POLICY])
    for rule_id in ("dues.salaried", "dues.retired"):
        rule = rules.get(rule_id)
        p: DuesParams = rule.versions[0].params
        assert (p.quantum, p.rounding, p.minimum) == (Decimal("0.1"), "ROUND_UP", Decimal("0.10"))
        assert p.tolerance == 0
        # the rates and the regulation's own citation are kept; the policy's is added, unverified
        assert rule.citations[0].document == "关于中国共产党党费收缴、使用和管理的规定"
        local = rule.citations[-1]
        assert not local.verified and local.article is None
        assert local.note is not None and "不是全国性规定" in local.note
        assert rule.source == "dangjian:rules/data/national.toml"
        assert rule.overridden_by == (str(EXAMPLE_POLICY),)
        assert f"参数覆盖自: {EXAMPLE_POLICY}" in explain(rule)
        assert f"parameters overridden by: {EXAMPLE_POLICY}" in explain(rule, "en")
    # the other rules are as shipped
    assert rules.get("dues.flat") == dangjian.load_rules("national").get("dues.flat")


def test_example_policy_is_also_a_profile_on_top_of_organ() -> None:
    as_profile = dangjian.load_rules(str(EXAMPLE_POLICY))
    on_organ = dangjian.load_rules("organ", [EXAMPLE_POLICY])
    assert as_profile.get("dues.salaried") == on_organ.get("dues.salaried")
    assert "organ.structure" in on_organ


def test_round_up_asks_the_next_jiao_where_the_default_asks_the_fen() -> None:
    # 0.5 % of 2981 is 14.905: 14.91 by default, 15.0 rounded up to the 角
    assert judge("14.91", "2981").status.code == "passed"
    strict = judge("14.91", "2981", [EXAMPLE_POLICY])
    assert strict.status.code == "failed"
    assert "以2981元为基数应交15.0元，实交14.91元" in strict.message
    assert judge("15.00", "2981", [EXAMPLE_POLICY]).status.code == "passed"


def test_round_up_leaves_an_exact_multiple_of_the_jiao_as_it_is() -> None:
    # 0.5 % of 2980 is 14.90 exactly: not rounded up to 15.0
    found = judge("14.90", "2980", [EXAMPLE_POLICY])
    assert found.status.code == "passed"
    assert "应交14.9元" in found.message


@pytest.mark.parametrize(
    ("amount", "status"),
    [("0.10", "passed"), ("0.09", "failed")],
)
def test_minimum_just_met_and_just_missed(amount: str, status: str) -> None:
    # 0.5 % of 10 is 0.05, which the policy raises to its minimum of 0.10
    found = judge(amount, "10", [EXAMPLE_POLICY])
    assert found.status.code == status
    assert f"应交0.10元，实交{amount}元（按最低额0.10元计）" in found.message
    assert "(the minimum of 0.10)" in found.message_en
    # without the policy 0.05 is owed, and either passes
    assert judge(amount, "10").status.code == "passed"


def test_minimum_applies_to_a_base_of_nothing() -> None:
    assert judge("0.09", "0", [EXAMPLE_POLICY]).status.code == "failed"
    assert judge("0.00", "0").status.code == "passed"


def test_same_payment_passes_under_a_policy_to_the_jiao_and_fails_under_the_default(
    tmp_path: Path,
) -> None:
    """What a system computed that rounds to the nearest 角 (14.905 → 14.9) is short of the
    default's 14.91: failed by the default, passed under a policy that says so."""
    policy = write_policy(tmp_path / "jiao.toml", quantum="0.1", rounding="ROUND_HALF_UP")
    assert judge("14.90", "2981").status.code == "failed"
    assert judge("14.90", "2981", [policy]).status.code == "passed"
    assert judge("14.89", "2981", [policy]).status.code == "failed"


@pytest.mark.parametrize(
    ("amount", "status", "said"),
    [
        ("14.91", "passed", False),  # what is owed: no tolerance needed
        ("14.86", "passed", True),  # short by 0.05, the tolerance itself
        ("14.85", "failed", False),  # short by 0.06
    ],
)
def test_tolerance_boundary(tmp_path: Path, amount: str, status: str, said: bool) -> None:
    policy = write_policy(tmp_path / "tol.toml", tolerance="0.05")
    found = judge(amount, "2981", [policy])
    assert found.status.code == status
    assert ("在允许误差0.05元以内" in found.message) is said
    assert ("within the tolerance of 0.05" in found.message_en) is said
    # without it, only what is owed passes
    assert judge(amount, "2981").status.code == ("passed" if amount == "14.91" else "failed")


def test_paying_more_passes_whatever_the_tolerance(tmp_path: Path) -> None:
    policy = write_policy(tmp_path / "tol.toml", tolerance="0.05")
    found = judge("20.00", "2981", [policy])
    assert found.status.code == "passed"
    assert "允许误差" not in found.message


@given(base=ds.decimals(max_value=30_000, max_places=2))
def test_round_up_to_the_jiao_never_asks_less_than_the_default(base: Decimal) -> None:
    """So a member who paid what a round-up system computed is never failed by the default."""
    schedule = dangjian.load_rules("national").get("dues.salaried").versions[0].params.schedules[0]
    default = expected_dues(schedule, base, quantum=Decimal("0.01"), rounding=ROUND_HALF_UP)
    up = expected_dues(
        schedule, base, quantum=Decimal("0.1"), rounding=ROUND_UP, minimum=Decimal("0.10")
    )
    assert default is not None and up is not None
    assert default <= up <= default + Decimal("0.1") or up == Decimal("0.10")
    assert up % Decimal("0.1") == 0 and up >= Decimal("0.10")


@given(
    base=ds.decimals(max_value=30_000, max_places=2),
    minimum=st.sampled_from(["0", "0.1", "0.10", "1", "0.05"]),
)
def test_the_amount_owed_is_never_below_the_minimum(base: Decimal, minimum: str) -> None:
    schedule = Schedule(categories=(DuesCategory.OTHER,), tiers=(Tier(rate=Decimal("0.005")),))
    plain = expected_dues(schedule, base, quantum=Decimal("0.01"), rounding=ROUND_HALF_UP)
    least = expected_dues(
        schedule, base, quantum=Decimal("0.01"), rounding=ROUND_HALF_UP, minimum=Decimal(minimum)
    )
    assert plain is not None and least is not None
    assert least == max(plain, Decimal(minimum))


# -- overriding parameters: what is refused ------------------------------------------------


def test_an_override_keeps_the_rest_of_the_rule_and_adds_its_citation(tmp_path: Path) -> None:
    rule_ids = ("dues.salaried", "dues.retired")
    policy = write_policy(tmp_path / "p.toml", rules=rule_ids, minimum="0.10")
    shipped = dangjian.load_rules("national")
    rules = dangjian.load_rules("national", [policy])
    for rule_id in rule_ids:
        before, after = shipped.get(rule_id), rules.get(rule_id)
        assert after.versions[0].params.minimum == Decimal("0.10")
        assert attrs.evolve(after.versions[0].params, minimum=None) == before.versions[0].params
        assert after.citations[:-1] == before.citations
        assert after.citations[-1].document == "本地党费计算办法"
        assert (after.title, after.severity, after.in_force) == (
            before.title,
            before.severity,
            before.in_force,
        )


def test_an_override_sets_its_parameters_in_every_dated_version(tmp_path: Path) -> None:
    own = write_rule_file(
        tmp_path / "own.toml",
        """[[rule]]
id = "local.dues"
kind = "dues"
confidence = "local"
title = "本地党费"
title_en = "Local dues"
citations = [{ document = "本地规定", verified = false }]
params = { check = "amount", quantum = "0.01", schedules = [{ categories = ["other"], tiers = [{ rate = "0.01" }] }] }

[[rule.changes]]
since = 2020-01-01
params = { quantum = "1" }

[[override]]
rule = "local.dues"
params = { quantum = "0.1" }
citations = [{ document = "本地办法", verified = false }]
""",
    )
    rule = dangjian.load_rules("national", [own]).get("local.dues")
    assert [v.params.quantum for v in rule.versions] == [Decimal("0.1"), Decimal("0.1")]


def test_overrides_later_build_on_earlier_ones(tmp_path: Path) -> None:
    first = write_policy(tmp_path / "a.toml", quantum="0.1", rounding="ROUND_UP")
    second = write_policy(tmp_path / "b.toml", minimum="0.20")
    p = dangjian.load_rules("national", [first, second]).get("dues.salaried").versions[0].params
    assert (p.quantum, p.rounding, p.minimum) == (Decimal("0.1"), "ROUND_UP", Decimal("0.20"))


def test_bad_overrides_are_all_named_at_their_place(tmp_path: Path) -> None:
    bad = write_rule_file(
        tmp_path / "bad.toml",
        """[[override]]
rule = "dues.salaried"
params = { quantum = "0.1", minimun = "0.10" }
citations = [{ document = "x", verified = false }]

[[override]]
rule = "dues.retired"
params = { quantum = "0", tolerance = "-0.01", rounding = "UP" }
citations = [{ document = "x", verified = false }]

[[override]]
rule = "dues.flat"
params = { quantum = "0.1", minimum = "0.15" }
citations = [{ document = "x", verified = false }]

[[override]]
rule = "dues.salary"
params = { quantum = "0.1" }
citations = [{ document = "x", verified = false }]
""",
    )
    with pytest.raises(RuleError) as caught:
        dangjian.load_rules("national", [bad])
    where = {(p.path.split(": ", 1)[1], p.code) for p in caught.value.problems}
    assert where == {
        ("override[0](dues.salaried).params.minimun", "unknown_key"),
        ("override[1](dues.retired).params.quantum", "invalid_value"),
        ("override[1](dues.retired).params.tolerance", "invalid_value"),
        ("override[1](dues.retired).params.rounding", "invalid_value"),
        ("override[2](dues.flat).params.minimum", "invalid_value"),
        ("override[3](dues.salary).rule", "unknown_rule"),
    }
    assert all(p.path.startswith(str(bad)) for p in caught.value.problems)
    text = str(caught.value)
    assert "最低额0.15元应为计算精度0.1元的整数倍" in text
    assert "应大于0" in text


def test_an_override_of_no_rule_is_a_notice_when_allowed(tmp_path: Path) -> None:
    policy = write_policy(tmp_path / "p.toml", rules=("dues.salary",), minimum="0.10")
    rules = dangjian.load_rules("national", [policy], allow_unmatched=True)
    assert [p.code for p in rules.notices] == ["unknown_rule"]


@pytest.mark.parametrize(
    "entry",
    [
        'rule = "dues.salaried"\nparams = {}\ncitations = [{ document = "x" }]',
        'rule = "dues.salaried"\nparams = { minimum = "0.1" }\ncitations = []',
        'rule = "dues.salaried"\nparams = { minimum = "0.1" }\ncitations = [{ document = "x" }]\n'
        "since = 2020-01-01",
    ],
)
def test_an_override_needs_parameters_and_a_citation_and_nothing_else(
    tmp_path: Path, entry: str
) -> None:
    bad = write_rule_file(tmp_path / "bad.toml", f"[[override]]\n{entry}\n")
    with pytest.raises(RuleError) as caught:
        dangjian.load_rules("national", [bad])
    assert [p.path.split(".", 1)[0] for p in caught.value.problems] == ["override[0](dues"]


# -- the base from gross pay ------------------------------------------------------------------


def test_a_base_left_empty_is_computed_from_the_gross_pay() -> None:
    # 5000 − 45 − 400 − 100 − 25 − 600 = 3830: 1 % owed, 38.30
    pay = dict(
        gross_pay="5000",
        income_tax="45",
        pension="400",
        medical="100",
        unemployment="25",
        housing_fund="600",
    )
    found = judge("38.30", None, **pay)
    assert found.status.code == "passed"
    assert "以3830元为基数应交38.30元" in found.message
    assert judge("38.29", None, **pay).status.code == "failed"


def test_a_gross_pay_without_deductions_is_the_base() -> None:
    assert judge("15.00", None, gross_pay="3000").status.code == "passed"
    assert judge("29.99", None, gross_pay="3000.01").status.code == "failed"
