"""The walks of the organisation tree that rule kinds share (``Context.descendants`` and
``Context.ancestors``): their order, that they equal a plain reference walk on any tree, and that
the work they do grows linearly with the organisations (counted, never timed)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian import Branch, Ledger
from dangjian.periods import Period
from dangjian.rules.context import Context
from tests.builders import examples
from tests.builders.rules import branch, committee_org

PERIOD = Period.parse("2020")
AS_OF = dt.date(2021, 1, 1)


def context(branches: list[Branch]) -> Context:
    return Context(Ledger(name="树", branches=tuple(branches)), PERIOD, AS_OF)


def reference_descendants(ctx: Context, root: str) -> list[str]:
    """Breadth first from ``root``, scanning every organisation for the children of each."""
    result = [root]
    for current in result:
        result += [b.id for b in ctx.ledger.branches if b.parent == current and b.id not in result]
    return result


def reference_ancestors(ctx: Context, start: str) -> list[str]:
    parents = {b.id: b.parent for b in ctx.ledger.branches}
    result = [start]
    while parents.get(result[-1]) is not None and parents[result[-1]] not in result:
        result.append(parents[result[-1]])  # type: ignore[arg-type]
    return result


def test_descendants_are_breadth_first_children_in_ledger_order() -> None:
    ctx = context(
        [
            committee_org("c1"),
            branch("b2", parent="c1"),
            committee_org("c3", parent="c1"),
            branch("b4", parent="c3"),
            branch("b1", parent="c1"),
            branch("b5", parent="b2"),
        ]
    )
    # the context orders organisations by id (b1, b2, b4, b5, c1, c3)
    assert ctx.descendants("c1") == ["c1", "b1", "b2", "c3", "b5", "b4"]
    assert ctx.descendants("b4") == ["b4"]
    assert ctx.descendants("nowhere") == ["nowhere"]
    assert ctx.ancestors("b4") == ["b4", "c3", "c1"]
    assert ctx.ancestors("c1") == ["c1"]


def test_a_cycle_in_an_unvalidated_ledger_ends_both_walks() -> None:
    ctx = context([committee_org("c1", parent="c2"), committee_org("c2", parent="c1")])
    assert ctx.descendants("c1") == ["c1", "c2"]
    assert ctx.ancestors("c1") == ["c1", "c2"]


@st.composite
def forests(draw: st.DrawFn) -> list[Branch]:
    """Organisations whose parents are drawn among the earlier ones (or none, or an id that is
    not in the ledger), put in the ledger in a drawn order."""
    n = draw(st.integers(1, 30))
    parents = [
        draw(st.one_of(st.none(), st.just("missing"), st.integers(0, i - 1).map(lambda j: f"o{j}")))
        if i
        else None
        for i in range(n)
    ]
    orgs = [committee_org(f"o{i}", parent=p) for i, p in enumerate(parents)]
    return draw(st.permutations(orgs))


@settings(max_examples=examples(100), deadline=None)
@given(forests(), st.data())
def test_descendants_and_ancestors_equal_the_reference_walks(
    orgs: list[Branch], data: st.DataObject
) -> None:
    ctx = context(orgs)
    start = data.draw(st.sampled_from([o.id for o in orgs]))
    assert ctx.descendants(start) == reference_descendants(ctx, start)
    assert ctx.ancestors(start) == reference_ancestors(ctx, start)


def lines_run(call: Callable[[], Any]) -> int:
    """The lines of Python run by ``call()`` (every module, loops counted per iteration)."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    before = sys.gettrace()  # a coverage tool's or debugger's, put back after
    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(before)
    return count


def flat_committee(n: int) -> Context:
    """A ledger of one committee with ``n`` branches directly under it, and nothing else."""
    return context([committee_org("c1"), *(branch(f"b{i}", parent="c1") for i in range(n))])


def test_descendants_of_a_committee_over_50000_branches_take_linear_work() -> None:
    small, large = flat_committee(5_000), flat_committee(50_000)
    small_work = lines_run(lambda: small.descendants("c1"))
    large_work = lines_run(lambda: large.descendants("c1"))
    assert len(large.descendants("c1")) == 50_001
    # ten times the branches, about ten times the work (a walk that scanned every branch for
    # each one's children would do a hundred times as much)
    assert large_work < 12 * small_work
    # and each branch's own walk, after the first, costs the same whatever the ledger's size
    one_small = lines_run(lambda: small.descendants("b7"))
    one_large = lines_run(lambda: large.descendants("b7"))
    assert one_large == one_small


# -- the members a rule over the whole period asks about ----------------------------------------


def test_members_in_period_judges_members_tells_undated_leavers_and_skips_the_rest() -> None:
    from dangjian import Gap, MemberStatus, Status
    from dangjian.i18n import t
    from dangjian.rules.loader import load_rules
    from tests.builders.rules import full_member, ledger

    members = [
        full_member("here"),
        # transferred out on a day not recorded: cannot tell
        full_member("undated", status=MemberStatus.TRANSFERRED_OUT),
        # left the day before the period: no member in it
        full_member("gone", status=MemberStatus.TRANSFERRED_OUT, left=dt.date(2020, 1, 1)),
        # left on the period's second day: a member on its first (to the day before leaving)
        full_member("first", status=MemberStatus.TRANSFERRED_OUT, left=dt.date(2020, 1, 2)),
        # admitted after the period
        full_member("later", converted=None, admitted=dt.date(2021, 3, 1)),
    ]
    led = ledger(branches=[branch("b1")], members=members)
    ctx = Context(led, PERIOD, AS_OF)
    rule = next(iter(load_rules("national")))
    got = list(ctx.members_in_period(rule, led.members, t("应参加组织生活")))
    assert [(m.id, f is None) for m, f in got] == [
        ("here", True),
        ("undated", False),
        ("first", True),
    ]
    unknown = got[1][1]
    assert unknown is not None
    assert unknown.status is Status.UNKNOWN and unknown.gap is Gap.DATES_MISSING
    assert unknown.subject.id == "undated" and unknown.period == PERIOD
