"""Rule kinds about quorums and votes, over tables (see :mod:`dangjian.rules.kinds.votes`).

Every fraction is compared exactly, in integers: ``n`` reaches ``a/b`` of ``base`` when
``n * b >= base * a`` (超过: ``>``), never through a floating-point ratio.

The generic columns carry:

- ``quorum``: ``expected`` and ``count`` (present) as counted, empty when not known;
  ``day`` is the meeting's.
- ``resolution_votes``: ``count`` (the denominator, empty when not known) and ``expected``
  (the "yes" votes); the resolution's text is the subject's name.
- ``election``: ``reason`` (see :func:`~dangjian.rules.kinds.votes.election_message`);
  ``expected`` and ``count`` (present) for ``quorum``, ``count`` (present) and ``detail`` (the
  winners short of votes, ``index``, member and votes joined by ``\\x1e``, one per ``\\x1f``) for
  ``winner``, ``expected`` (seats) and ``count`` (candidates) for ``margin``, ``detail`` (the
  members barred, joined by ``\\x1f``) for ``rights``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from dangjian.findings import Gap, Status
from dangjian.i18n import Message
from dangjian.model import ElectionKind, MeetingKind
from dangjian.rules.kinds.votes import (
    ElectionParams,
    QuorumParams,
    ResolutionVotesParams,
    election_message,
    quorum_message,
    resolution_message,
)
from dangjian.rules.schema import Rule
from dangjian.tables.context import TableContext
from dangjian.tables.findings import FindingRow, TableKind
from dangjian.tables.kinds._common import (
    ibis,
    in_force,
    label_of,
    month_of,
    one_if,
    row_version,
    subject,
    union_all,
)

__all__ = ["ELECTION", "QUORUM", "RESOLUTION_VOTES"]

_UNIT = "\x1f"
_FIELD = "\x1e"


def _meets(count: Any, base: Any, at_least: Fraction | None, more_than: Fraction | None) -> Any:
    """Whether ``count`` reaches ``at_least`` of ``base`` or exceeds ``more_than`` of it
    (integer columns), compared exactly: :func:`dangjian.rules.kinds.votes._meets`."""
    lit = ibis().literal
    if at_least is not None:
        return count * lit(at_least.denominator) >= base * lit(at_least.numerator)
    assert more_than is not None
    return count * lit(more_than.denominator) > base * lit(more_than.numerator)


def _split(p: ElectionParams) -> tuple[Fraction | None, Fraction | None]:
    """The election's fraction as (at least, more than), one of them ``None``
    (as the object kind reads ``comparison``)."""
    return (p.fraction, None) if p.comparison == "at_least" else (None, p.fraction)


def _versions(rule: Rule) -> list[int]:
    return list(range(len(rule.versions)))


# -- meetings --------------------------------------------------------------------------------


def _meetings(ctx: TableContext, rule: Rule, kinds: tuple[MeetingKind, ...]) -> Any:
    """The meetings judged: of the organisations ``rule`` applies to, of ``kinds``, in the
    period, on a day the rule is in force; with ``version`` (of the parameters then)."""
    orgs = ctx.organisations(rule).select(o_id="id")
    # a meeting held as several kinds is judged as each kind of the rule it served as, once
    m = ctx.meetings_serving(kinds)
    m = m.filter(
        m.date >= ctx.period.start,
        m.date <= ctx.period.end,
        in_force(rule, m.date),
    )
    m = m.semi_join(orgs, m.branch == orgs.o_id)
    m = m.select("id", "kind", "branch", "date", "expected_count", "present_count")
    return m.mutate(version=row_version(rule, m.date))


def _names(
    ctx: TableContext,
    meetings: Any,
    child: str,
    prefix: str,
    *,
    voting: bool = True,
    seated: Any = None,
) -> Any:
    """For each meeting, how many names its list ``child`` (``expected``, ``attended``) holds
    and how many of them have a vote on the day (full members then, or not members of the
    ledger): ``{prefix}_names``, ``{prefix}_voting`` (left out unless ``voting``).

    With ``seated`` (the seats of :func:`_seated`), also ``{prefix}_seated``: how many of the
    members seated on the day the list names, each once; read in the same pass over the list,
    which is the largest table a quorum reads."""
    names = ctx.table(f"meetings.{child}").select(n_meeting="meeting", n_person=child)
    days = meetings.select(d_meeting="id", d_day="date")
    named = names.join(days, names.n_meeting == days.d_meeting).select(
        "n_meeting", "n_person", "d_day"
    )
    aggregates: dict[str, Any] = {}
    if voting:
        spans = ctx.member_spans().select(
            s_id="id", s_start="full_start", s_end="full_end", s_never="full_never"
        )
        named = named.left_join(spans, named.n_person == spans.s_id).select(
            named, "s_id", "s_start", "s_end", "s_never"
        )
        is_voting = named.s_id.isnull() | ctx.within(
            named.s_start, named.s_end, named.s_never, named.d_day
        )
        named = named.mutate(n_voting=one_if(is_voting))
        aggregates[f"{prefix}_voting"] = named.n_voting.sum()
    if seated is not None:
        # ``seated`` is distinct: the join adds a mark, never a row
        named = named.left_join(
            seated,
            (named.n_meeting == seated.d_meeting) & (named.n_person == seated.s_member),
        ).select(named, n_seat=seated.s_member)
        aggregates[f"{prefix}_seated"] = named.n_seat.nunique()
    return (
        named.group_by(named.n_meeting)
        .aggregate(**{f"{prefix}_names": named.count()}, **aggregates)
        .rename(**{f"{prefix}_meeting": "n_meeting"})
        .view()
    )


def _with_names(ctx: TableContext, meetings: Any) -> Any:
    """``meetings`` with the counts of :func:`_names` of those expected (``e_*``) and present
    (``a_*``), zero where none are named."""
    out = meetings
    for child, prefix in (("expected", "e"), ("attended", "a")):
        counts = _names(ctx, meetings, child, prefix)
        out = out.left_join(counts, out.id == counts[f"{prefix}_meeting"]).select(
            out,
            **{
                f"{prefix}_names": counts[f"{prefix}_names"].fill_null(0),
                f"{prefix}_voting": counts[f"{prefix}_voting"].fill_null(0),
            },
        )
    return out


def _headcount(names: Any, voting: Any, count: Any, voting_only: bool) -> Any:
    """:func:`dangjian.rules.kinds.votes._headcount` over columns."""
    null = ibis().literal(None, type="int64")
    if voting_only:
        return ibis().cases((names > 0, voting), (count.notnull(), count), else_=null)
    return ibis().cases((count.notnull(), count), (names > 0, names), else_=null)


def _meeting_subject(m: Any) -> dict[str, Any]:
    name = label_of(m.kind, MeetingKind) + ibis().literal(" ") + m.date.cast("string")
    return subject("meeting", m.id, name, m.branch)


def _seated(ctx: TableContext, meetings: Any) -> Any:
    """The committee members seated on the day of each meeting, each once: ``d_meeting``,
    ``s_member``."""
    seats = ctx.table("branches.committee").select(
        s_branch="branch", s_member="member", s_start="start", s_end="end"
    )
    days = meetings.select(d_meeting="id", d_branch="branch", d_day="date")
    held = days.join(
        seats,
        (seats.s_branch == days.d_branch)
        & (seats.s_start.isnull() | (seats.s_start <= days.d_day))
        & (seats.s_end.isnull() | (days.d_day <= seats.s_end)),
    ).select("d_meeting", "s_member")
    return held.distinct().view()


def _evaluate_quorum(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    first: QuorumParams = rule.params_on(ctx.period.start)
    meetings = _meetings(ctx, rule, first.meeting_kinds)
    # only the counts some version of the parameters reads
    params: list[QuorumParams] = [rule.versions[v].params for v in _versions(rule)]
    by_committee = any(p.denominator == "committee" for p in params)
    by_expected = any(p.denominator == "expected" for p in params)
    voting = any(p.denominator == "expected" and p.voting_only for p in params)
    counts: dict[str, Any] = {}
    if by_expected:
        counts["e"] = _names(ctx, meetings, "expected", "e", voting=voting)
    seated = _seated(ctx, meetings) if by_committee else None
    counts["a"] = _names(ctx, meetings, "attended", "a", voting=voting, seated=seated)
    if seated is not None:
        seated_n = (
            seated.group_by(c_meeting=seated.d_meeting).aggregate(c_seated=seated.count()).view()
        )
        meetings = meetings.left_join(seated_n, meetings.id == seated_n.c_meeting).select(
            meetings, c_seated=seated_n.c_seated.fill_null(0)
        )
    for prefix, n in counts.items():
        wanted = [c for c in n.columns if c != f"{prefix}_meeting"]
        meetings = meetings.left_join(n, meetings.id == n[f"{prefix}_meeting"]).select(
            meetings, **{c: n[c].fill_null(0) for c in wanted}
        )
    if seated is not None:
        meetings = meetings.rename(c_present="a_seated")
    parts = []
    for version in _versions(rule):
        p: QuorumParams = rule.versions[version].params
        m = meetings.filter(meetings.version == version)
        null = lit(None, type="int64")
        if p.denominator == "committee":
            number_present = ibis().cases(
                (m.present_count.notnull(), m.present_count),
                (m.a_names > 0, m.a_names),
                else_=null,
            )
            expected = ibis().cases((m.c_seated > 0, m.c_seated), else_=null)
            present = ibis().cases(
                ((m.a_names > 0) & (m.c_seated > 0), m.c_present), else_=number_present
            )
        else:
            e_voting, a_voting = (m.e_voting, m.a_voting) if p.voting_only else (None, None)
            expected = _headcount(m.e_names, e_voting, m.expected_count, p.voting_only)
            present = _headcount(m.a_names, a_voting, m.present_count, p.voting_only)
        known = expected.notnull() & present.notnull()
        met = _meets(present, expected, p.present_at_least, p.present_more_than)
        status = ibis().cases(
            (~known, lit(Status.UNKNOWN.value)),
            (met, lit(Status.PASSED.value)),
            else_=lit(Status.FAILED.value),
        )
        parts.append(
            ctx.rows(
                rule,
                m,
                status=status,
                **_meeting_subject(m),
                **month_of(m.date),
                day=m.date,
                evidence=ibis().array([m.id]),
                gap=ibis().cases(
                    (~known, lit(Gap.DETAILS_MISSING.value)), else_=lit(None, type="string")
                ),
                expected=expected,
                count=present,
            )
        )
    return union_all(parts)


def _quorum_message(rule: Rule, row: FindingRow) -> Message:
    assert row.day is not None
    p: QuorumParams = rule.params_on(row.day)
    return quorum_message(p, row.day, row.expected, row.count)


QUORUM = TableKind(name="quorum", evaluate=_evaluate_quorum, message=_quorum_message)


def _evaluate_resolutions(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    first: ResolutionVotesParams = rule.params_on(ctx.period.start)
    meetings = _with_names(ctx, _meetings(ctx, rule, first.meeting_kinds))
    resolutions = ctx.table("meetings.resolutions").select(
        r_meeting="meeting", r_index="index", r_text="text", r_yes="votes_for"
    )
    joined = meetings.join(resolutions, meetings.id == resolutions.r_meeting)
    parts = []
    for version in _versions(rule):
        p: ResolutionVotesParams = rule.versions[version].params
        m = joined.filter(joined.version == version)
        if p.denominator == "expected":
            base = _headcount(m.e_names, m.e_voting, m.expected_count, p.voting_only)
        else:
            base = _headcount(m.a_names, m.a_voting, m.present_count, p.voting_only)
        met = _meets(m.r_yes, base, p.yes_at_least, p.yes_more_than)
        status = ibis().cases(
            (base.isnull(), lit(Status.UNKNOWN.value)),
            (met, lit(Status.PASSED.value)),
            else_=lit(Status.FAILED.value),
        )
        parts.append(
            ctx.rows(
                rule,
                m,
                status=status,
                **subject(
                    "resolution",
                    m.id + lit("#") + (m.r_index + 1).cast("string"),
                    m.r_text,
                    m.branch,
                ),
                **month_of(m.date),
                day=m.date,
                evidence=ibis().array([m.id]),
                gap=ibis().cases(
                    (base.isnull(), lit(Gap.DETAILS_MISSING.value)),
                    else_=lit(None, type="string"),
                ),
                count=base,
                expected=m.r_yes,
            )
        )
    return union_all(parts)


def _resolution_message(rule: Rule, row: FindingRow) -> Message:
    assert row.day is not None
    p: ResolutionVotesParams = rule.params_on(row.day)
    return resolution_message(p, row.subject_name, row.count, row.expected or 0)


RESOLUTION_VOTES = TableKind(
    name="resolution_votes", evaluate=_evaluate_resolutions, message=_resolution_message
)


# -- elections -------------------------------------------------------------------------------


def _child_count(ctx: TableContext, child: str, name: str) -> Any:
    """How many rows each election has in its list ``child``: ``{name}_election``, ``name``."""
    rows = ctx.table(f"elections.{child}")
    return (
        rows.group_by(**{f"{name}_election": rows.election})
        .aggregate(**{name: rows.count()})
        .view()
    )


def _elections(ctx: TableContext, rule: Rule) -> Any:
    """The elections judged, with ``version`` and the number of names expected (``n_expected``),
    present (``n_present``) and of candidates (``n_candidates``)."""
    orgs = ctx.organisations(rule).select(o_id="id")
    e = ctx.table("elections")
    e = e.filter(
        e.date >= ctx.period.start,
        e.date <= ctx.period.end,
        in_force(rule, e.date),
    )
    e = e.semi_join(orgs, e.branch == orgs.o_id)
    e = e.select("id", "kind", "branch", "date", "seats", "expected_count", "present_count")
    e = e.mutate(version=row_version(rule, e.date))
    for child, name in (
        ("voters_expected", "n_expected"),
        ("voters_present", "n_present"),
        ("candidates", "n_candidates"),
    ):
        counts = _child_count(ctx, child, name)
        e = e.left_join(counts, e.id == counts[f"{name}_election"]).select(
            e, **{name: counts[name].fill_null(0)}
        )
    return e


def _counted(names: Any, count: Any) -> Any:
    """:func:`dangjian.rules.kinds.votes._count` over columns."""
    return ibis().cases(
        (count.notnull(), count), (names > 0, names), else_=ibis().literal(None, type="int64")
    )


def _winners(ctx: TableContext, e: Any, p: ElectionParams, present: Any) -> Any:
    """For each election of ``e``: ``w_elected`` (how many winners), ``w_unknown`` (of them
    without votes recorded), ``w_short`` (the winners short of votes, as ``detail``)."""
    lit = ibis().literal
    candidates = ctx.table("elections.candidates")
    # a member listed twice among the candidates: the last listing's votes count (a dict's)
    last = (
        candidates.group_by(l_election=candidates.election, l_member=candidates.member)
        .aggregate(l_index=candidates["index"].max())
        .view()
    )
    votes = candidates.join(
        last,
        (candidates.election == last.l_election)
        & (candidates.member == last.l_member)
        & (candidates["index"] == last.l_index),
    ).select(v_election=candidates.election, v_member=candidates.member, v_votes=candidates.votes)
    cells = e.select(x_id=e.id, x_present=present)
    elected = ctx.table("elections.elected").select(
        w_election="election", w_index="index", w_member="elected"
    )
    elected = elected.join(cells, elected.w_election == cells.x_id)
    elected = elected.left_join(
        votes,
        (elected.w_election == votes.v_election) & (elected.w_member == votes.v_member),
    ).select("w_election", "w_index", "w_member", "x_present", "v_votes")
    at_least, more_than = _split(p)
    short = elected.v_votes.notnull() & ~_meets(
        elected.v_votes, elected.x_present, at_least, more_than
    )
    piece = (
        elected.w_index.cast("string")
        + lit(_FIELD)
        + elected.w_member
        + lit(_FIELD)
        + elected.v_votes.cast("string")
    )
    return (
        elected.group_by(w_id=elected.w_election)
        .aggregate(
            w_elected=elected.count(),
            w_unknown=one_if(elected.v_votes.isnull()).sum(),
            w_short=piece.group_concat(_UNIT, where=short),
        )
        .view()
    )


def _barred(ctx: TableContext, e: Any) -> Any:
    """For each election of ``e``, the candidates and voters present who were members of the
    ledger but not full members on its day, joined by ``\\x1f``: ``b_id``, ``b_barred``."""
    candidates = ctx.table("elections.candidates").select(p_election="election", p_person="member")
    present = ctx.table("elections.voters_present").select(
        p_election="election", p_person="voters_present"
    )
    people = candidates.union(present, distinct=True)
    days = e.select(d_id=e.id, d_day=e.date)
    spans = ctx.member_spans().select(
        s_id="id", s_start="full_start", s_end="full_end", s_never="full_never"
    )
    people = people.join(days, people.p_election == days.d_id).join(
        spans, people.p_person == spans.s_id
    )
    people = people.filter(~ctx.within(people.s_start, people.s_end, people.s_never, people.d_day))
    people = people.select("p_election", "p_person").distinct()
    return (
        people.group_by(b_id=people.p_election)
        .aggregate(b_barred=people.p_person.group_concat(_UNIT))
        .view()
    )


def _evaluate_election(ctx: TableContext, rule: Rule) -> Any:
    lit = ibis().literal
    null_int = lit(None, type="int64")
    null_str = lit(None, type="string")
    elections = _elections(ctx, rule)
    parts = []
    for version in _versions(rule):
        p: ElectionParams = rule.versions[version].params
        e = elections.filter(
            elections.version == version,
            elections.kind.isin([k.value for k in p.election_kinds]),
        )
        values: dict[str, Any] = {}
        if p.check == "quorum":
            expected = _counted(e.n_expected, e.expected_count)
            present = _counted(e.n_present, e.present_count)
            known = expected.notnull() & present.notnull()
            met = _meets(present, expected, *_split(p))
            status = ibis().cases(
                (~known, lit(Status.UNKNOWN.value)),
                (met, lit(Status.PASSED.value)),
                else_=lit(Status.FAILED.value),
            )
            values = dict(
                reason=ibis().cases((known, lit("counted")), else_=lit("unknown")),
                expected=expected,
                count=present,
            )
        elif p.check == "winner":
            present = _counted(e.n_present, e.present_count)
            winners = _winners(ctx, e, p, present)
            e = e.left_join(winners, e.id == winners.w_id).select(
                e,
                w_elected=winners.w_elected.fill_null(0),
                w_unknown=winners.w_unknown.fill_null(0),
                w_short=winners.w_short,
            )
            present = _counted(e.n_present, e.present_count)
            unknown = present.isnull() | (e.w_unknown > 0)
            reason = ibis().cases(
                (e.w_elected == 0, lit("no_winner")),
                (unknown, lit("unknown")),
                (e.w_short.notnull() & (e.w_short != lit("")), lit("short")),
                else_=lit("all"),
            )
            status = ibis().cases(
                (reason == "no_winner", lit(Status.NOT_APPLICABLE.value)),
                (reason == "unknown", lit(Status.UNKNOWN.value)),
                (reason == "short", lit(Status.FAILED.value)),
                else_=lit(Status.PASSED.value),
            )
            values = dict(
                reason=reason,
                count=ibis().cases((reason.isin(["short", "all"]), present), else_=null_int),
                detail=ibis().cases((reason == "short", e.w_short), else_=null_str),
            )
        elif p.check == "margin":
            # candidates >= seats + ceil(seats * a/b)  <=>  (candidates - seats) * b >= seats * a
            met = (e.n_candidates - e.seats) * lit(p.fraction.denominator) >= e.seats * lit(
                p.fraction.numerator
            )
            status = ibis().cases((met, lit(Status.PASSED.value)), else_=lit(Status.FAILED.value))
            values = dict(reason=lit("margin"), expected=e.seats, count=e.n_candidates)
        else:
            barred = _barred(ctx, e)
            e = e.left_join(barred, e.id == barred.b_id).select(e, b_barred=barred.b_barred)
            found = e.b_barred.notnull() & (e.b_barred != lit(""))
            status = ibis().cases((found, lit(Status.FAILED.value)), else_=lit(Status.PASSED.value))
            values = dict(
                reason=ibis().cases((found, lit("barred")), else_=lit("clear")),
                detail=ibis().cases((found, e.b_barred), else_=null_str),
            )
        parts.append(
            ctx.rows(
                rule,
                e,
                status=status,
                **subject(
                    "election",
                    e.id,
                    label_of(e.kind, ElectionKind) + lit(" ") + e.date.cast("string"),
                    e.branch,
                ),
                **month_of(e.date),
                day=e.date,
                evidence=ibis().array([e.id]),
                gap=ibis().cases(
                    (status == Status.UNKNOWN.value, lit(Gap.DETAILS_MISSING.value)),
                    else_=null_str,
                ),
                **values,
            )
        )
    return union_all(parts)


def _election_message(rule: Rule, row: FindingRow) -> Message:
    assert row.day is not None and row.reason is not None
    p: ElectionParams = rule.params_on(row.day)
    detail = row.detail.split(_UNIT) if row.detail else []
    if p.check == "winner":
        pieces = sorted(
            (int(index), member, int(votes))
            for index, member, votes in (x.split(_FIELD) for x in detail)
        )
        return election_message(
            p,
            row.reason,
            present=row.count,
            short=tuple((member, votes) for _, member, votes in pieces),
        )
    return election_message(
        p,
        row.reason,
        expected=row.expected,
        present=row.count,
        seats=row.expected or 0,
        stood=row.count or 0,
        barred=tuple(sorted(detail)),
    )


ELECTION = TableKind(name="election", evaluate=_evaluate_election, message=_election_message)
