"""Hypothesis strategies that generate valid dangjian records and whole valid ledgers.

Every strategy here builds instances that pass their own field validators. Strategies of records
that refer to other records take those records as keyword arguments (``branches``, ``groups``,
``members``, ``meetings``): when they are given, every reference is drawn from them and every
date is put in a sane order against them (nobody attends before being born, nothing happens
before an organisation was founded or after it was dissolved); when they are left out, the
references are made-up ids. :func:`ledgers` puts it all together: each ledger it draws has unique
ids, references that resolve and dates in order, so ``ledger.problems() == []``.

Texts mix Chinese, ASCII and text that YAML and TOML like to misread (``"null"``, ``"yes"``,
``"09:00"``, ``"0123"``, ``"2020-02-30"`` …); decimals come with various exponents
(``Decimal("12.50")``, ``Decimal("0")``, ``Decimal("1E+3")``); times come with and without
seconds. Sizes are small by default and every strategy that makes collections takes a size
parameter.

Hypothesis is an optional dependency: ``pip install "dangjian[testing]"``.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, deadline=None)
... @given(ledgers(max_members=3))
... def test_generated_ledgers_are_valid(ledger):
...     assert ledger.problems() == []
>>> test_generated_ledgers_are_valid()
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple, TypeVar

import attrs

from dangjian.calendar import CalendarError, WorkingCalendar
from dangjian.ledger import Ledger
from dangjian.model import (
    Absence,
    AbsenceReason,
    ActivistReview,
    Appraisal,
    AppraisalKind,
    Branch,
    Candidate,
    CommitteeRole,
    CommitteeSeat,
    Donation,
    DuesCategory,
    DuesPayment,
    Election,
    ElectionDelay,
    ElectionKind,
    FollowUp,
    Gender,
    Grade,
    HeartToHeartTalk,
    JointActivity,
    Meeting,
    MeetingKind,
    Member,
    MemberStatus,
    Milestones,
    Month,
    OrgCategory,
    OrgLevel,
    PairingVillage,
    PartyGroup,
    PovertyProject,
    ProbationExtension,
    RectificationItem,
    RectificationSource,
    RectificationStatus,
    ResidentId,
    Resolution,
    ResponsibilityLetter,
    ServiceActivity,
    ServiceKind,
    StudyAudience,
    StudyForm,
    StudySession,
    TrainingRecord,
    Transfer,
    TransferDirection,
    VillageTraining,
    VillageVisit,
    VolunteerWork,
)
from dangjian.model.pay import DEDUCTIONS
from dangjian.model.resident_id import check_digit

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
    from hypothesis.strategies import SearchStrategy
except ImportError as exc:  # pragma: no cover - exercised by a test that hides hypothesis
    raise ImportError(
        "dangjian.testing.strategies needs Hypothesis, which is not installed; "
        'install it with: pip install "dangjian[testing]"'
    ) from exc

__all__ = [
    "ACTIVITY_END",
    "ACTIVITY_START",
    "TRICKY_TEXTS",
    "absences",
    "activist_reviews",
    "appraisals",
    "branches",
    "candidates",
    "committee_seats",
    "decimals",
    "donations",
    "dues_payments",
    "election_delays",
    "elections",
    "follow_ups",
    "heart_to_heart_talks",
    "joint_activities",
    "ledgers",
    "meetings",
    "members",
    "milestones",
    "months",
    "notes",
    "pairing_villages",
    "party_groups",
    "poverty_projects",
    "probation_extensions",
    "record_ids",
    "rectification_items",
    "resident_ids",
    "resolutions",
    "responsibility_letters",
    "service_activities",
    "study_sessions",
    "texts",
    "times",
    "training_records",
    "transfers",
    "village_trainings",
    "village_visits",
    "volunteer_works",
]

T = TypeVar("T")

ACTIVITY_START = dt.date(2000, 1, 1)
"""The earliest day of generated activities (meetings, study, payments …), when nothing else binds."""

ACTIVITY_END = dt.date(2030, 12, 31)
"""The latest day of any generated date."""

_BIRTH_START = dt.date(1930, 1, 1)
_BIRTH_END = dt.date(2004, 12, 31)
_FOUNDED_START = dt.date(1949, 10, 1)
_FOUNDED_END = dt.date(2020, 12, 31)
_DISSOLVED_START = dt.date(2010, 1, 1)
_MIN_DATE = dt.date(1900, 1, 1)
_DAY = dt.timedelta(days=1)
_FIRST_MONTH = Month.of(ACTIVITY_START)
_LAST_MONTH = Month.of(ACTIVITY_END)

TRICKY_TEXTS: tuple[str, ...] = (
    "null",
    "Null",
    "NULL",
    "~",
    "None",
    "yes",
    "no",
    "Yes",
    "NO",
    "on",
    "off",
    "y",
    "n",
    "true",
    "false",
    "True",
    "09:00",
    "10:30",
    "23:59:59",
    "0123",
    "007",
    "1e3",
    "1E+3",
    "1_000",
    "0x1F",
    "0o17",
    ".5",
    "+1",
    "-1",
    "12.50",
    "3.0",
    ".inf",
    "-.inf",
    ".nan",
    "NaN",
    "2020-01-01",
    "2020-02-30",
    "2020-01-01T08:00:00",
    "1949-10-01 10:00",
    "=",
    "<<",
    "- 列表项",
    "键: 值",
    "#注释",
    "'单引号'",
    '"双引号"',
    "[1, 2]",
    "{a: 1}",
    "&锚点",
    "*别名",
    "!标签",
    "%YAML",
    "@at",
    "`反引号",
    "|",
    ">",
    "？",
    "a\\b",
    "制表\t符",
    "第一行\n第二行",
)
"""Texts that YAML, TOML or JSON readers could take for something else, mixed into every text."""

_WORDS: tuple[str, ...] = (
    "市X局机关党委",
    "第一党支部",
    "机关第二党支部",
    "第一党小组",
    "重温入党志愿书",
    "思想交流",
    "集体宣誓",
    "联学",
    "组织生活联过",
    "班子建设联建",
    "主题党日联办",
    "《中国共产党支部工作条例（试行）》",
    "习近平新时代中国特色社会主义思想",
    "学习强国",
    "甘肃党建",
    "面粉",
    "清油",
    "抓基层党建工作责任书",
    "局党委",
    "直属单位负责人",
    "党员活动室",
    "会议室（三楼）",
    "巡察反馈问题整改",
    "农业实用技术培训",
    "党员突击队",
)

_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳", "司马")
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰建国志华红梅"
_ORDINALS = ("第一", "第二", "第三", "第四", "第五", "机关", "离退休", "联合")
_THEME_DAY_ACTIONS = ("重温入党志愿书", "思想交流", "集体宣誓")
_JOINT_KINDS = ("联学", "组织生活联过", "班子建设联建", "主题党日联办")
_UNITS = ("袋", "件", "桶", "箱", "元", "套")
_REGIONS = ("110105", "620102", "620103", "620402", "440305", "310101", "510104", "650102")

_EDGE_DECIMALS = (
    Decimal("0"),
    Decimal("0.00"),
    Decimal("0E+2"),
    Decimal("12.50"),
    Decimal("0.5"),
    Decimal("1"),
    Decimal("100"),
    Decimal("1E+3"),
    Decimal("0.001"),
    Decimal("99.999"),
)


# -- small building blocks -----------------------------------------------------------------


_MAYBE: dict[int, tuple[SearchStrategy[object], SearchStrategy[object]]] = {}


def _maybe(strategy: SearchStrategy[T]) -> SearchStrategy[T | None]:
    """``None`` or a value of ``strategy`` (built once per strategy, as building costs)."""
    cached = _MAYBE.get(id(strategy))
    if cached is None or cached[0] is not strategy:
        if len(_MAYBE) >= 4096:  # strategies built per draw would pile up
            _MAYBE.clear()
        cached = (strategy, st.none() | strategy)
        _MAYBE[id(strategy)] = cached
    return cached[1]  # type: ignore[return-value]


def _stripped(strategy: SearchStrategy[str]) -> SearchStrategy[str]:
    return strategy.map(str.strip).filter(bool)


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_MIXED = _CJK | st.sampled_from("abcXYZ0129 -_.:#'\"（）、，。《》「」\n")


@functools.cache
def texts(*, max_size: int = 12) -> SearchStrategy[str]:
    """Non-empty texts without blanks around them, as names, titles and ids must be.

    Chinese comes most often; ASCII, arbitrary Unicode and :data:`TRICKY_TEXTS` (``"null"``,
    ``"09:00"``, ``"0123"`` …) are mixed in.

    Args:
        max_size: The most characters a generated (not a canned) text has.

    Returns:
        A strategy of texts ``t`` with ``t == t.strip() != ""``.
    """
    return st.one_of(
        st.sampled_from(_WORDS),
        _stripped(st.text(_MIXED, min_size=1, max_size=max_size)),
        st.sampled_from(TRICKY_TEXTS),
        _stripped(st.text(min_size=1, max_size=max_size)),
    )


@functools.cache
def notes(*, max_size: int = 20) -> SearchStrategy[str]:
    """Free texts, as remarks and summaries are: possibly empty, multi-line or blank around.

    Args:
        max_size: The most characters a generated text has.

    Returns:
        A strategy of any texts, Chinese most often.
    """
    return st.one_of(
        st.text(_MIXED, max_size=max_size),
        texts(max_size=max_size),
        st.sampled_from(("", " ", "\n", "  两端有空白  ", "多行\n文本\n", "行尾空格 \n下一行")),
        st.text(max_size=max_size),
    )


@functools.cache
def record_ids() -> SearchStrategy[str]:
    """Ids of records: short codes (``m12``, ``012``, ``党员3``) and any text an id may be.

    Returns:
        A strategy of non-empty texts without blanks around them.
    """
    coded = st.builds(
        lambda prefix, n: f"{prefix}{n}",
        st.sampled_from(("m", "b", "g", "M-", "id_", "党员", "支部", "0", "")),
        st.integers(0, 999),
    )
    return st.one_of(coded, texts(max_size=8))


@functools.cache
def _person_names() -> SearchStrategy[str]:
    chinese = st.builds(
        lambda surname, given: surname + "".join(given),
        st.sampled_from(_SURNAMES),
        st.lists(st.sampled_from(_GIVEN), min_size=1, max_size=2),
    )
    return chinese | texts(max_size=6)


@functools.cache
def _org_names() -> SearchStrategy[str]:
    chinese = st.builds(
        lambda unit, ordinal, level: f"{unit}{ordinal}{level}",
        st.sampled_from(("市X局", "县委办", "某村", "某社区", "某大学", "")),
        st.sampled_from(_ORDINALS),
        st.sampled_from(("党支部", "党总支", "党委")),
    )
    return chinese | texts()


@functools.cache
def _dates(lo: dt.date, hi: dt.date) -> SearchStrategy[dt.date]:
    """Days from ``lo`` to ``hi``; the day ``lo`` when ``hi`` is earlier."""
    return st.dates(lo, max(lo, hi))


@functools.cache
def times() -> SearchStrategy[dt.time]:
    """Times of day as minutes record them: often ``09:00`` (no seconds), sometimes ``09:00:27``.

    Returns:
        A strategy of naive :class:`datetime.time` values without microseconds (the ledger
        formats write times as ``HH:MM`` or ``HH:MM:SS``).
    """
    return st.builds(
        dt.time,
        st.integers(0, 23),
        st.integers(0, 59),
        st.just(0) | st.integers(0, 59),
    )


@functools.cache
def decimals(*, max_value: int = 100_000, max_places: int = 3) -> SearchStrategy[Decimal]:
    """Finite, non-negative decimals with various exponents.

    Edge values come often: ``Decimal("0")``, ``Decimal("0.00")``, ``Decimal("12.50")``,
    ``Decimal("1E+3")``, ``Decimal("0E+2")`` …; others have from ``max_places`` places to a
    positive exponent.

    Args:
        max_value: The largest value generated.
        max_places: The most digits after the point.

    Returns:
        A strategy of decimals ``d`` with ``0 <= d <= max_value``.
    """
    limit = Decimal(max_value)

    @st.composite
    def scaled(draw: st.DrawFn) -> Decimal:
        exponent = draw(st.integers(-max_places, 3))
        if exponent > 0:
            digits = draw(st.integers(0, max(0, max_value // 10**exponent)))
        else:
            digits = draw(st.integers(0, max_value * 10**-exponent))
        return Decimal(digits).scaleb(exponent)

    return st.one_of(st.sampled_from([d for d in _EDGE_DECIMALS if d <= limit]), scaled())


@functools.cache
def months(
    *, min_value: Month = _FIRST_MONTH, max_value: Month = _LAST_MONTH
) -> SearchStrategy[Month]:
    """Calendar months from ``min_value`` to ``max_value``.

    Args:
        min_value: The earliest month.
        max_value: The latest month.

    Returns:
        A strategy of :class:`~dangjian.Month` values.
    """
    first = min_value.year * 12 + min_value.month - 1
    last = max_value.year * 12 + max_value.month - 1
    return st.integers(first, max(first, last)).map(lambda n: Month(n // 12, n % 12 + 1))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@st.composite
def _resident_id(draw: st.DrawFn, birth_date: dt.date | None, male: bool | None) -> ResidentId:
    region = draw(st.sampled_from(_REGIONS) | st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
    born = birth_date if birth_date is not None else draw(st.dates(_MIN_DATE, _BIRTH_END))
    is_male = male if male is not None else draw(st.booleans())
    order = draw(st.integers(0, 99))
    parity = draw(st.sampled_from((1, 3, 5, 7, 9) if is_male else (0, 2, 4, 6, 8)))
    first17 = f"{region}{born.year:04d}{born.month:02d}{born.day:02d}{order:02d}{parity}"
    return ResidentId(first17 + check_digit(first17))


def resident_ids(
    *, birth_date: dt.date | None = None, male: bool | None = None
) -> SearchStrategy[ResidentId]:
    """Resident identity numbers (身份证号) with valid GB 11643 check characters (``X`` too).

    Args:
        birth_date: The birth date the number encodes; any date from 1900 when ``None``.
        male: Whether the number encodes a man; either when ``None``.

    Returns:
        A strategy of :class:`~dangjian.ResidentId` values consistent with the arguments.
    """
    return _resident_id(birth_date, male)


# -- the context that references are drawn from --------------------------------------------


class _Org(NamedTuple):
    id: str
    founded: dt.date | None
    dissolved: dt.date | None

    def window(
        self, lo: dt.date = ACTIVITY_START, hi: dt.date = ACTIVITY_END
    ) -> SearchStrategy[dt.date]:
        """Days from ``lo`` to ``hi`` on which the organisation existed."""
        start, end = self.span(lo, hi)
        return _dates(start, end)

    def span(
        self, lo: dt.date = ACTIVITY_START, hi: dt.date = ACTIVITY_END
    ) -> tuple[dt.date, dt.date]:
        start = max(lo, self.founded) if self.founded else lo
        end = min(hi, self.dissolved) if self.dissolved else hi
        if start > end:  # the organisation's life lies outside [lo, hi]: keep to its life
            start = self.founded or (self.dissolved or lo)
            end = self.dissolved or start
        return start, end


class _Person(NamedTuple):
    id: str
    birth: dt.date | None
    branch: str | None
    status: MemberStatus | None


def _org(draw: st.DrawFn, branches: tuple[Branch, ...] | None) -> _Org:
    if branches is None:
        return _Org(draw(record_ids()), None, None)
    b = draw(st.sampled_from(branches))
    return _Org(b.id, b.founded, b.dissolved)


def _people(
    draw: st.DrawFn, members: tuple[Member, ...] | None, max_size: int
) -> tuple[_Person, ...]:
    """The people references are drawn from: the given members, or made-up ids."""
    if members is not None:
        return tuple(_Person(m.id, m.birth_date, m.branch, m.status) for m in members)
    ids = draw(st.lists(record_ids(), unique=True, max_size=max_size))
    return tuple(_Person(i, None, None, None) for i in ids)


def _alive(people: Sequence[_Person], day: dt.date) -> list[_Person]:
    return [p for p in people if p.birth is None or p.birth <= day]


def _local(people: Sequence[_Person], branch: str) -> list[_Person]:
    """The people of ``branch`` when it has any, otherwise everybody."""
    own = [p for p in people if p.branch == branch]
    return own or list(people)


def _ids(draw: st.DrawFn, pool: Sequence[str], max_size: int) -> tuple[str, ...]:
    """Some distinct ids from ``pool``."""
    if not pool or max_size <= 0:
        return ()
    return tuple(
        draw(st.lists(st.sampled_from(pool), unique=True, max_size=min(max_size, len(pool))))
    )


def _one(draw: st.DrawFn, pool: Sequence[str]) -> str | None:
    """``None`` or one id of ``pool``."""
    return draw(_maybe(st.sampled_from(pool))) if pool else None


def _group_of(
    draw: st.DrawFn, branch: str, groups: tuple[PartyGroup, ...] | None, prefer: bool = False
) -> str | None:
    if groups is None:
        return draw(_maybe(record_ids()))
    own = [g.id for g in groups if g.branch == branch]
    if not own:
        return None
    if prefer:
        return draw(st.sampled_from(own) | st.none())
    return _one(draw, own)


def _tuple(values: Sequence[T] | None) -> tuple[T, ...] | None:
    return None if values is None else tuple(values)


def _need(name: str, values: Sequence[object] | None, at_least: int = 1) -> None:
    if values is not None and len(values) < at_least:
        raise InvalidArgument(
            f"{name} must hold at least {at_least} record(s) when given, or be None"
        )


def _size(name: str, value: int) -> None:
    if value < 0:
        raise InvalidArgument(f"{name}={value!r} must be at least 0")


def _ordered(draw: st.DrawFn, lo: dt.date, hi: dt.date, n: int) -> list[dt.date]:
    """``n`` days from ``lo`` to ``hi`` in non-decreasing order."""
    return sorted(draw(st.lists(_dates(lo, hi), min_size=n, max_size=n)))


# -- organisations ------------------------------------------------------------------------------


@st.composite
def _seat(draw: st.DrawFn, org: _Org, people: tuple[_Person, ...] | None) -> CommitteeSeat:
    role = draw(st.sampled_from(CommitteeRole))
    if people is None:
        member, lo = draw(record_ids()), ACTIVITY_START
    else:
        person = draw(st.sampled_from(people))
        member = person.id
        lo = _add_years(person.birth, 18) if person.birth else ACTIVITY_START
    start_lo, start_hi = org.span(max(lo, _FOUNDED_START), ACTIVITY_END)
    start = draw(_maybe(_dates(start_lo, start_hi)))
    end = draw(_maybe(_dates(start or start_lo, start_hi)))
    return CommitteeSeat(role=role, member=member, start=start, end=end)


def _seats(
    draw: st.DrawFn, org: _Org, people: tuple[_Person, ...] | None, max_size: int
) -> tuple[CommitteeSeat, ...]:
    if max_size <= 0 or (people is not None and not people):
        return ()
    return tuple(draw(st.lists(_seat(org, people), max_size=max_size)))


def committee_seats(*, members: Sequence[Member] | None = None) -> SearchStrategy[CommitteeSeat]:
    """Seats on a committee (书记, 副书记, 组织委员 …), ``end`` never before ``start``.

    Args:
        members: The members the seat holder is drawn from (a seat starts when its holder is
            at least 18); made-up ids when ``None``.

    Returns:
        A strategy of :class:`~dangjian.CommitteeSeat` values.
    """
    _need("members", members)
    people = (
        None
        if members is None
        else tuple(_Person(m.id, m.birth_date, m.branch, m.status) for m in members)
    )
    return _seat(_Org("-", None, None), people)


@st.composite
def _delay(draw: st.DrawFn, lo: dt.date, hi: dt.date, term_end: dt.date | None) -> ElectionDelay:
    """An approval given from ``lo`` to ``hi``; with ``term_end``, for an election near it."""
    approved_on = draw(_dates(lo, hi))
    if term_end is not None and draw(st.booleans()):
        # around the term's end and the year after it, its edges included
        near = [term_end, term_end + dt.timedelta(days=1), _add_years(term_end, 1)]
        near.append(_add_years(term_end, 1) + dt.timedelta(days=1))
        near.append(term_end - dt.timedelta(days=1))
        chosen = draw(st.sampled_from(near) | _dates(term_end - dt.timedelta(days=400), hi))
        election_date = max(chosen, approved_on)
    else:
        election_date = draw(_dates(approved_on, _add_years(approved_on, 2)))
    return ElectionDelay(
        approved_on=approved_on,
        approved_by=draw(_org_names()),
        election_date=election_date,
        note=draw(_maybe(notes())),
    )


def _delays(
    draw: st.DrawFn, org: _Org, last_election: dt.date | None, term_years: int | None
) -> tuple[ElectionDelay, ...]:
    """Approvals of delays or advances of an organisation's elections, on distinct days: most
    often none; else mostly given during the current term for an election near its end."""
    if draw(st.integers(0, 3)) != 0:
        return ()
    lo, hi = org.span(_FOUNDED_START, ACTIVITY_END)
    term_end = None
    if last_election is not None:
        term_end = _add_years(last_election, term_years or 3)
        lo = max(lo, last_election + dt.timedelta(days=1))
        hi = max(lo, term_end + dt.timedelta(days=366))
    delays = draw(st.lists(_delay(lo, hi, term_end), max_size=2, unique_by=lambda d: d.approved_on))
    return tuple(delays)


def election_delays() -> SearchStrategy[ElectionDelay]:
    """Approvals of a delay or an advance of an election (换届延期或提前的批准), the day approved
    for the election never before the day of the approval.

    Returns:
        A strategy of :class:`~dangjian.ElectionDelay` values.
    """
    return _delay(ACTIVITY_START, ACTIVITY_END, None)


@st.composite
def _branch(
    draw: st.DrawFn,
    id: str | None,
    parent_ids: tuple[str, ...] | None,
    members: tuple[Member, ...] | None,
    max_seats: int,
) -> Branch:
    bid = id if id is not None else draw(record_ids())
    level = draw(st.sampled_from(OrgLevel))
    if parent_ids is None:
        parent = draw(_maybe(record_ids().filter(lambda x: x != bid)))
    else:
        parent = _one(draw, [p for p in parent_ids if p != bid])
    founded = draw(_maybe(st.dates(_FOUNDED_START, _FOUNDED_END)))
    dissolved = draw(
        st.none() | _dates(max(founded or _DISSOLVED_START, _DISSOLVED_START), ACTIVITY_END)
    )
    org = _Org(bid, founded, dissolved)
    people = None
    if members is not None:
        people = tuple(_Person(m.id, m.birth_date, m.branch, m.status) for m in members)
    lo, hi = org.span(_FOUNDED_START, ACTIVITY_END)
    last_election = draw(_maybe(_dates(lo, hi)))
    term_years = draw(_maybe(st.sampled_from((3, 5)) | st.integers(1, 10)))
    return Branch(
        id=bid,
        name=draw(_org_names()),
        level=level,
        category=draw(st.sampled_from(OrgCategory)),
        parent=parent,
        founded=founded,
        dissolved=dissolved,
        committee=_seats(draw, org, people, max_seats),
        last_election=last_election,
        term_years=term_years,
        election_delays=_delays(draw, org, last_election, term_years),
        units=(
            tuple(draw(st.lists(texts(), max_size=3))) if level is OrgLevel.JOINT_BRANCH else ()
        ),
        theme_day=draw(_maybe(st.integers(1, 31))),
        note=draw(_maybe(notes())),
    )


def branches(
    *,
    parent_ids: Sequence[str] | None = None,
    members: Sequence[Member] | None = None,
    max_seats: int = 3,
    id: str | None = None,
) -> SearchStrategy[Branch]:
    """Party organisations (党委, 党总支, 党支部, 联合党支部), with their committees.

    ``dissolved`` is never before ``founded``; committee seats start while the organisation
    exists; only a 联合党支部 lists ``units``.

    Args:
        parent_ids: The ids the parent is drawn from (or no parent); made-up ids when ``None``.
        members: The members committee seats are drawn from; made-up ids when ``None``.
        max_seats: The most committee seats.
        id: The branch's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.Branch` values.
    """
    _size("max_seats", max_seats)
    return _branch(id, _tuple(parent_ids), _tuple(members), max_seats)


@st.composite
def _group(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    members: tuple[Member, ...] | None,
) -> PartyGroup:
    org = _org(draw, branches)
    if members is None:
        leader = draw(_maybe(record_ids()))
    else:
        leader = _one(draw, [m.id for m in members if m.branch == org.id])
    return PartyGroup(
        id=id if id is not None else draw(record_ids()),
        name=draw(st.sampled_from(("第一党小组", "第二党小组", "离退休党小组")) | texts()),
        branch=org.id,
        leader=leader,
        note=draw(_maybe(notes())),
    )


def party_groups(
    *,
    branches: Sequence[Branch] | None = None,
    members: Sequence[Member] | None = None,
    id: str | None = None,
) -> SearchStrategy[PartyGroup]:
    """Party groups (党小组) of a branch, led by one of the branch's members.

    Args:
        branches: The organisations the group's branch is drawn from; a made-up id when
            ``None``.
        members: The members the leader is drawn from (only those of the group's branch);
            made-up ids when ``None``.
        id: The group's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.PartyGroup` values.
    """
    _need("branches", branches)
    return _group(id, _tuple(branches), _tuple(members))


# -- members --------------------------------------------------------------------------------

_STEPS = ("applied", "activist", "candidate", "admitted", "converted")
_ONCE_MEMBERS = frozenset(
    {MemberStatus.LAPSED, MemberStatus.REMOVED, MemberStatus.EXPELLED, MemberStatus.WITHDRAWN}
)
_REACHED = {
    MemberStatus.APPLICANT: (1,),
    MemberStatus.ACTIVIST: (2,),
    MemberStatus.CANDIDATE: (3,),
    MemberStatus.PROBATIONARY: (4,),
    MemberStatus.FULL: (5,),
    MemberStatus.LAPSED: (4, 5),
    MemberStatus.REMOVED: (4, 5),
    MemberStatus.EXPELLED: (4, 5),
    MemberStatus.WITHDRAWN: (4, 5),
    MemberStatus.DECEASED: (1, 2, 3, 4, 5),
    MemberStatus.TRANSFERRED_OUT: (1, 2, 3, 4, 5),
}


@st.composite
def _milestones(
    draw: st.DrawFn, status: MemberStatus | None, birth_date: dt.date | None
) -> Milestones:
    steps = st.integers(0, 5) if status is None else st.sampled_from(_REACHED[status])
    reached = draw(steps)
    lo = _add_years(birth_date, 18) if birth_date is not None else dt.date(1950, 1, 1)
    days = _ordered(draw, lo, ACTIVITY_END, reached)
    known = {
        step: day
        for step, day in zip(_STEPS, days, strict=False)
        if draw(st.integers(0, 4)) > 0  # an old record may have lost a date
    }
    applied = known.get("applied")
    first_talk = None
    if applied is not None:
        first_talk = draw(_maybe(_dates(applied, min(applied + 31 * _DAY, ACTIVITY_END))))
    # the 个别特殊情况 of an admission without the candidates' training, now and then
    exception = draw(_maybe(texts())) if "admitted" in known else None
    return Milestones(first_talk=first_talk, course_exception=exception, **known)


def milestones(
    *, status: MemberStatus | None = None, birth_date: dt.date | None = None
) -> SearchStrategy[Milestones]:
    """The dated steps of a membership, in non-decreasing order and consistent with a status.

    A 正式党员 has reached conversion, a 预备党员 admission, an applicant only the application,
    and so on; any step may be unknown (``None``). The first talk comes within a month of the
    application.

    Args:
        status: The status the steps must fit; any number of steps when ``None``.
        birth_date: The member's birth date; every step is at least 18 years after it.

    Returns:
        A strategy of :class:`~dangjian.Milestones` values.
    """
    return _milestones(status, birth_date)


def probation_extensions(
    *, admitted: dt.date | None = None, converted: dt.date | None = None
) -> SearchStrategy[ProbationExtension]:
    """Decisions to extend a probation by 6 to 12 months, taken during the probation.

    Args:
        admitted: The admission the decision is not before.
        converted: The conversion the decision is not after.

    Returns:
        A strategy of :class:`~dangjian.ProbationExtension` values.
    """
    lo = admitted or ACTIVITY_START
    hi = converted or min(lo + 365 * _DAY, ACTIVITY_END)
    return st.builds(ProbationExtension, decided=_dates(lo, hi), months=st.integers(6, 12))


@st.composite
def _transfer(draw: st.DrawFn) -> Transfer:
    requested = draw(_dates(ACTIVITY_START, ACTIVITY_END))
    refused = draw(st.booleans())
    return Transfer(
        direction=draw(st.sampled_from(TransferDirection)),
        requested=requested,
        completed=None if refused else draw(_maybe(_dates(requested, ACTIVITY_END))),
        from_org=draw(_maybe(_org_names())),
        to_org=draw(_maybe(_org_names())),
        refused=refused,
        reason=draw(_maybe(texts())) if refused else None,
        note=draw(_maybe(notes())),
    )


def transfers() -> SearchStrategy[Transfer]:
    """Transfers of an organisational relation (转出 or 转入), some refused with or without a
    reason; a refused transfer has no completion day, a completed one is done on or after the
    request.

    Returns:
        A strategy of :class:`~dangjian.Transfer` values.
    """
    return _transfer()


def activist_reviews(*, branch_ids: Sequence[str] | None = None) -> SearchStrategy[ActivistReview]:
    """A branch's half-yearly reviews of an activist.

    Args:
        branch_ids: The organisations the reviewing branch is drawn from; made-up ids when
            ``None``.

    Returns:
        A strategy of :class:`~dangjian.ActivistReview` values.
    """
    if branch_ids is not None:
        _need("branch_ids", branch_ids)
    branch = record_ids() if branch_ids is None else st.sampled_from(tuple(branch_ids))
    return st.builds(
        ActivistReview,
        date=_dates(ACTIVITY_START, ACTIVITY_END),
        branch=branch,
        note=_maybe(notes()),
    )


@st.composite
def _member(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    groups: tuple[PartyGroup, ...] | None,
    peers: tuple[Member, ...] | None,
    max_mentors: int,
) -> Member:
    mid = id if id is not None else draw(record_ids())
    org = _org(draw, branches)
    gender = draw(st.sampled_from(Gender))
    birth = draw(st.dates(_BIRTH_START, _BIRTH_END) | st.none())
    resident_id = draw(_maybe(resident_ids(birth_date=birth, male=gender is Gender.MALE)))
    status = draw(st.sampled_from(MemberStatus))
    steps = draw(milestones(status=status, birth_date=birth))
    set_days = [d for d in attrs.astuple(steps) if isinstance(d, dt.date)]
    last = max(set_days, default=_add_years(birth, 18) if birth else ACTIVITY_START)

    extension = None
    if steps.admitted is not None and (status.is_member or status.has_left):
        extension = draw(
            _maybe(probation_extensions(admitted=steps.admitted, converted=steps.converted))
        )

    if peers is None:
        pool = draw(st.lists(record_ids().filter(lambda x: x != mid), unique=True, max_size=3))
        full = pool
    else:
        pool = [p.id for p in peers if p.id != mid]
        full = [p.id for p in peers if p.id != mid and p.status is MemberStatus.FULL]
    # mentors guide activists onwards; sponsors introduce those who were admitted
    mentors = () if status is MemberStatus.APPLICANT else _ids(draw, full or pool, max_mentors)
    admitted = steps.admitted is not None or status.is_member or status in _ONCE_MEMBERS
    sponsors = _ids(draw, full or pool, 2) if admitted else ()
    joined = draw(_maybe(_dates(last, ACTIVITY_END)))
    left = None
    if status.has_left:
        left = draw(_maybe(_dates(max(last, joined or last), ACTIVITY_END)))
    away_since = draw(_maybe(_dates(ACTIVITY_START, ACTIVITY_END)))
    away_until = draw(_maybe(_dates(away_since, ACTIVITY_END))) if away_since else None
    lost_contact = draw(_maybe(_dates(ACTIVITY_START, ACTIVITY_END)))
    suspended = restored = None
    if lost_contact is not None:
        suspended = draw(_maybe(_dates(lost_contact, ACTIVITY_END)))
        restored = draw(_maybe(_dates(lost_contact, ACTIVITY_END)))
    review_branches = [org.id] if branches is None else [b.id for b in branches]
    reviews: tuple[ActivistReview, ...] = ()
    if steps.activist is not None:
        reviews = tuple(draw(st.lists(activist_reviews(branch_ids=review_branches), max_size=2)))
    return Member(
        id=mid,
        name=draw(_person_names()),
        gender=gender,
        birth_date=birth,
        resident_id=resident_id,
        branch=org.id,
        group=_group_of(draw, org.id, groups),
        status=status,
        milestones=steps,
        probation_extension=extension,
        mentors=mentors,
        sponsors=sponsors,
        dues_category=draw(_maybe(st.sampled_from(DuesCategory))),
        dues_quarterly=draw(_maybe(_dates(last, ACTIVITY_END))),
        leading_cadre=draw(st.booleans()),
        position=draw(_maybe(st.sampled_from(("书记", "科员", "处长", "村委会主任")) | texts())),
        joined=joined,
        left=left,
        note=draw(_maybe(notes())),
        away_since=away_since,
        away_until=away_until,
        transfers=tuple(draw(st.lists(transfers(), max_size=2))),
        lost_contact=lost_contact,
        suspended=suspended,
        contact_restored=restored,
        reviews=reviews,
        # a made-up meeting only when nothing is given to refer to; in a ledger, chosen
        # among its meetings once they exist
        candidate_meeting=draw(_maybe(record_ids())) if branches is None else None,
        candidate_filed=draw(_maybe(_dates(ACTIVITY_START, ACTIVITY_END))),
        probation_cancelled=(
            draw(_maybe(_dates(steps.admitted, ACTIVITY_END))) if steps.admitted else None
        ),
    )


def members(
    *,
    branches: Sequence[Branch] | None = None,
    groups: Sequence[PartyGroup] | None = None,
    peers: Sequence[Member] | None = None,
    max_mentors: int = 2,
    id: str | None = None,
) -> SearchStrategy[Member]:
    """Members, applicants and activists, with milestones consistent with their status.

    The resident id (when present) encodes the birth date and the gender; every milestone is at
    least 18 years after birth and they never go backwards; a probation extension is decided
    during the probation; ``joined`` and ``left`` come after the milestones, and only those who
    left have ``left``.

    Args:
        branches: The organisations the member's branch is drawn from; a made-up id when
            ``None``.
        groups: The groups the member's group is drawn from (only those of the member's
            branch); a made-up id or none when ``None``.
        peers: The members mentors and sponsors are drawn from (full members first); made-up
            ids when ``None``. The member never mentors or sponsors themself.
        max_mentors: The most mentors.
        id: The member's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.Member` values.
    """
    _need("branches", branches)
    _size("max_mentors", max_mentors)
    return _member(id, _tuple(branches), _tuple(groups), _tuple(peers), max_mentors)


# -- activities -----------------------------------------------------------------------------


def absences(*, member_ids: Sequence[str] | None = None) -> SearchStrategy[Absence]:
    """Absences with their reasons (请假, 出差, 病假 …).

    Args:
        member_ids: The ids the absent member is drawn from; made-up ids when ``None``.

    Returns:
        A strategy of :class:`~dangjian.Absence` values.
    """
    _need("member_ids", member_ids)
    who = record_ids() if member_ids is None else st.sampled_from(tuple(member_ids))
    return st.builds(
        Absence,
        member=who,
        reason=st.sampled_from(AbsenceReason),
        note=_maybe(st.sampled_from(("外出学习", "家中有事")) | notes()),
    )


def resolutions(*, max_votes: int = 60) -> SearchStrategy[Resolution]:
    """Resolutions with their votes for, against and abstaining.

    Args:
        max_votes: The most votes of each kind.

    Returns:
        A strategy of :class:`~dangjian.Resolution` values.
    """
    votes = st.integers(0, max_votes)
    return st.builds(
        Resolution, text=texts(), votes_for=votes, votes_against=votes, abstentions=votes
    )


def _start_end(draw: st.DrawFn) -> tuple[dt.time | None, dt.time | None]:
    start = draw(_maybe(times()))
    end = draw(_maybe(times()))
    if start is not None and end is not None and end < start:
        start, end = end, start
    return start, end


def _counts(
    draw: st.DrawFn, expected: Sequence[str], present: Sequence[str]
) -> tuple[int | None, int | None]:
    """Head counts that agree with the names and never count more present than expected."""
    if expected:
        expected_count = draw(st.none() | st.just(len(expected)))
    else:
        expected_count = draw(_maybe(st.integers(len(present), len(present) + 30)))
    if present:
        present_count = draw(st.none() | st.just(len(present)))
    else:
        top = expected_count if expected_count is not None else len(expected) or 30
        present_count = draw(_maybe(st.integers(0, top)))
    return expected_count, present_count


@st.composite
def _meeting(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    groups: tuple[PartyGroup, ...] | None,
    members: tuple[Member, ...] | None,
    max_people: int,
) -> Meeting:
    org = _org(draw, branches)
    day = draw(org.window())
    kind = draw(st.sampled_from(MeetingKind))
    # now and then one meeting held as several kinds (a 党员大会 on the 主题党日)
    also = tuple(
        draw(
            st.just([])
            | st.lists(
                st.sampled_from([k for k in MeetingKind if k is not kind]), unique=True, max_size=2
            )
        )
    )
    serves = {kind, *also}
    people = [p.id for p in _alive(_local(_people(draw, members, max_people), org.id), day)]
    expected = _ids(draw, people, max_people)
    attended = _ids(draw, expected or people, max_people)
    missing = [x for x in (expected or people) if x not in attended]
    absent: tuple[Absence, ...] = ()
    if missing:
        absent = tuple(
            draw(
                st.lists(
                    absences(member_ids=missing),
                    unique_by=lambda a: a.member,
                    max_size=min(3, len(missing)),
                )
            )
        )
    expected_count, present_count = _counts(draw, expected, attended)
    start, end = _start_end(draw)
    lecture = MeetingKind.PARTY_LECTURE in serves
    return Meeting(
        id=id if id is not None else draw(record_ids()),
        kind=kind,
        also=also,
        branch=org.id,
        group=_group_of(draw, org.id, groups, prefer=MeetingKind.GROUP_MEETING in serves),
        date=day,
        start=start,
        end=end,
        place=draw(_maybe(texts())),
        title=draw(_maybe(texts())),
        topic=draw(_maybe(texts())),
        chair=_one(draw, people),
        recorder=_one(draw, people),
        lecturer=_one(draw, people) if lecture else None,
        lecturer_name=draw(_maybe(_person_names())) if lecture else None,
        expected=expected,
        attended=attended,
        guests=tuple(draw(st.lists(_person_names(), max_size=2))),
        absences=absent,
        expected_count=expected_count,
        present_count=present_count,
        resolutions=tuple(draw(st.lists(resolutions(), max_size=2))),
        actions=(
            tuple(
                draw(
                    st.lists(st.sampled_from(_THEME_DAY_ACTIONS) | texts(), unique=True, max_size=3)
                )
            )
            if MeetingKind.THEME_DAY in serves
            else ()
        ),
        summary=draw(_maybe(notes())),
        rescheduled_from=draw(
            _maybe(st.integers(-7, 6).map(lambda n: day + (n if n < 0 else n + 1) * _DAY))
        ),
        note=draw(_maybe(notes())),
    )


def meetings(
    *,
    branches: Sequence[Branch] | None = None,
    groups: Sequence[PartyGroup] | None = None,
    members: Sequence[Member] | None = None,
    max_people: int = 5,
    id: str | None = None,
) -> SearchStrategy[Meeting]:
    """Meetings of organisational life, shaped like their minutes (会议记录).

    The meeting is held while its organisation exists; everybody named was born by then and is a
    member of the organisation (or of the ledger, when the organisation has none); those present
    are among those expected, the absent are not present, head counts agree with the names, and
    ``end`` is not before ``start``. Now and then a meeting serves as several kinds
    (:attr:`~dangjian.Meeting.also`).

    Args:
        branches: The organisations the meeting's is drawn from; a made-up id when ``None``.
        groups: The groups the meeting's group is drawn from; a made-up id or none when ``None``.
        members: The members everybody named is drawn from; made-up ids when ``None``.
        max_people: The most names in each list of people.
        id: The meeting's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.Meeting` values.
    """
    _need("branches", branches)
    _size("max_people", max_people)
    return _meeting(id, _tuple(branches), _tuple(groups), _tuple(members), max_people)


@st.composite
def _study(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    groups: tuple[PartyGroup, ...] | None,
    members: tuple[Member, ...] | None,
    max_people: int,
) -> StudySession:
    org = _org(draw, branches)
    day = draw(org.window())
    audience = draw(st.sampled_from(StudyAudience))
    form = draw(st.sampled_from(StudyForm))
    people = [p.id for p in _alive(_local(_people(draw, members, max_people), org.id), day)]
    attendees = _ids(draw, people, max_people)
    return StudySession(
        id=id if id is not None else draw(record_ids()),
        audience=audience,
        branch=org.id,
        group=_group_of(draw, org.id, groups, prefer=audience is StudyAudience.PARTY_GROUP),
        date=day,
        start=draw(_maybe(times())),
        duration_minutes=draw(_maybe(st.sampled_from((30, 60, 90, 120)) | st.integers(1, 480))),
        form=form,
        platform=draw(_maybe(st.sampled_from(("学习强国", "甘肃党建")) | texts()))
        if form is StudyForm.ONLINE
        else None,
        topics=tuple(draw(st.lists(texts(), max_size=2))),
        documents=tuple(draw(st.lists(texts(), max_size=2))),
        speaker=_one(draw, people),
        speaker_name=draw(_maybe(_person_names())),
        attendees=attendees,
        attendee_count=draw(_maybe(st.integers(len(attendees), len(attendees) + 50))),
        note=draw(_maybe(notes())),
    )


def study_sessions(
    *,
    branches: Sequence[Branch] | None = None,
    groups: Sequence[PartyGroup] | None = None,
    members: Sequence[Member] | None = None,
    max_people: int = 5,
    id: str | None = None,
) -> SearchStrategy[StudySession]:
    """Collective study sessions of the centre group, the members or all staff.

    Held while the organisation exists, attended by members born by then; the head count is not
    below the number of names.

    Args:
        branches: The organisations the session's is drawn from; a made-up id when ``None``.
        groups: The groups the session's group is drawn from; a made-up id or none when
            ``None``.
        members: The members the speaker and attendees are drawn from; made-up ids when
            ``None``.
        max_people: The most attendees named.
        id: The session's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.StudySession` values.
    """
    _need("branches", branches)
    _size("max_people", max_people)
    return _study(id, _tuple(branches), _tuple(groups), _tuple(members), max_people)


def candidates(
    *, member_ids: Sequence[str] | None = None, max_votes: int = 60
) -> SearchStrategy[Candidate]:
    """Candidates in an election with their votes, once counted.

    Args:
        member_ids: The ids the candidate is drawn from; made-up ids when ``None``.
        max_votes: The most votes.

    Returns:
        A strategy of :class:`~dangjian.Candidate` values.
    """
    _need("member_ids", member_ids)
    who = record_ids() if member_ids is None else st.sampled_from(tuple(member_ids))
    return st.builds(Candidate, member=who, votes=_maybe(st.integers(0, max_votes)))


@st.composite
def _election(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    members: tuple[Member, ...] | None,
    max_people: int,
) -> Election:
    org = _org(draw, branches)
    day = draw(org.window())
    people = [p.id for p in _alive(_local(_people(draw, members, max_people), org.id), day)]
    seats = draw(st.integers(1, 7))
    names = _ids(draw, people, max_people)
    chosen = tuple(draw(candidates(member_ids=[n])) for n in names)
    expected = _ids(draw, people, max_people)
    present = _ids(draw, expected or people, max_people)
    expected_count, present_count = _counts(draw, expected, present)
    issued = draw(_maybe(st.integers(0, 60)))
    returned = draw(_maybe(st.integers(0, issued if issued is not None else 60)))
    return Election(
        id=id if id is not None else draw(record_ids()),
        branch=org.id,
        kind=draw(st.sampled_from(ElectionKind)),
        date=day,
        seats=seats,
        candidates=chosen,
        voters_expected=expected,
        voters_present=present,
        expected_count=expected_count,
        present_count=present_count,
        ballots_issued=issued,
        ballots_returned=returned,
        elected=_ids(draw, names, seats),
        note=draw(_maybe(notes())),
    )


def elections(
    *,
    branches: Sequence[Branch] | None = None,
    members: Sequence[Member] | None = None,
    max_people: int = 5,
    id: str | None = None,
) -> SearchStrategy[Election]:
    """Re-elections and by-elections.

    Held while the organisation exists; candidates are distinct, the elected are among them
    and no more than the seats; voters present are among those expected; head counts agree with
    the names; no more ballots return than were issued.

    Args:
        branches: The organisations the electing one is drawn from; a made-up id when ``None``.
        members: The members candidates and voters are drawn from; made-up ids when ``None``.
        max_people: The most names in each list of people.
        id: The election's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.Election` values.
    """
    _need("branches", branches)
    _size("max_people", max_people)
    return _election(id, _tuple(branches), _tuple(members), max_people)


@st.composite
def _talk(draw: st.DrawFn, id: str | None, members: tuple[Member, ...] | None) -> HeartToHeartTalk:
    if members is None:
        pair = draw(st.lists(record_ids(), unique=True, min_size=2, max_size=2))
        born: list[dt.date] = []
    else:
        chosen = draw(
            st.lists(st.sampled_from(members), unique_by=lambda m: m.id, min_size=2, max_size=2)
        )
        pair = [m.id for m in chosen]
        born = [m.birth_date for m in chosen if m.birth_date is not None]
    lo = max([ACTIVITY_START, *born])
    return HeartToHeartTalk(
        id=id if id is not None else draw(record_ids()),
        initiator=pair[0],
        partner=pair[1],
        date=draw(_dates(lo, ACTIVITY_END)),
        topic=draw(_maybe(texts())),
        note=draw(_maybe(notes())),
    )


def heart_to_heart_talks(
    *, members: Sequence[Member] | None = None, id: str | None = None
) -> SearchStrategy[HeartToHeartTalk]:
    """Heart-to-heart talks (谈心谈话) between two different members, both born by then.

    Args:
        members: The members the two are drawn from (at least two with distinct ids); made-up
            ids when ``None``.
        id: The talk's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.HeartToHeartTalk` values.
    """
    if members is not None and len({m.id for m in members}) < 2:
        raise InvalidArgument("members must hold at least two members with distinct ids")
    return _talk(id, _tuple(members))


@st.composite
def _training(
    draw: st.DrawFn, id: str | None, members: tuple[Member, ...] | None
) -> TrainingRecord:
    if members is None:
        who, born = draw(record_ids()), None
    else:
        member = draw(st.sampled_from(members))
        who, born = member.id, member.birth_date
    return TrainingRecord(
        id=id if id is not None else draw(record_ids()),
        member=who,
        date=draw(_dates(max(ACTIVITY_START, born or ACTIVITY_START), ACTIVITY_END)),
        hours=draw(decimals(max_value=120, max_places=1)),
        course=draw(st.sampled_from(("党员集中轮训", "网络培训", "入党积极分子培训班")) | texts()),
        organiser=draw(_maybe(texts())),
        note=draw(_maybe(notes())),
    )


def training_records(
    *, members: Sequence[Member] | None = None, id: str | None = None
) -> SearchStrategy[TrainingRecord]:
    """Hours of training a member completed, on a day after the member was born.

    Args:
        members: The members the trainee is drawn from; a made-up id when ``None``.
        id: The record's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.TrainingRecord` values; hours have 0 or 1 places.
    """
    _need("members", members)
    return _training(id, _tuple(members))


@st.composite
def _dues(draw: st.DrawFn, id: str | None, members: tuple[Member, ...] | None) -> DuesPayment:
    if members is None:
        who, born = draw(record_ids()), None
    else:
        member = draw(st.sampled_from(members))
        who, born = member.id, member.birth_date
    first = Month.of(max(ACTIVITY_START, born or ACTIVITY_START))
    month = draw(months(min_value=first))
    base = draw(_maybe(decimals(max_value=30_000, max_places=2)))
    pay: dict[str, Decimal | None] = {}
    if draw(st.integers(0, 3)) == 0:  # now and then the gross pay and deductions
        pay = _pay(draw)
        # the base left empty (computed from the pay) or recorded, equal to what it computes
        base = draw(st.sampled_from([None, pay.pop("computed")]))
    return DuesPayment(
        id=id if id is not None else draw(record_ids()),
        member=who,
        month=month,
        amount=draw(decimals(max_value=2_000, max_places=2)),
        base=base,
        **pay,
        paid_on=draw(
            _maybe(_dates(month.first_day, min(month.last_day + 180 * _DAY, ACTIVITY_END)))
        ),
        voluntary=draw(st.booleans()),
        note=draw(_maybe(notes())),
    )


_AMOUNTS = decimals(max_value=40_000, max_places=2)


def _pay(draw: st.DrawFn) -> dict[str, Decimal | None]:
    """A gross pay, some deductions that add up to no more than it, and ``computed``: the
    base they give."""
    gross = draw(_AMOUNTS)
    pay: dict[str, Decimal | None] = {"gross_pay": gross}
    left = gross
    for name in DEDUCTIONS:
        deduction = draw(_maybe(_AMOUNTS))
        if deduction is not None and deduction > left:
            deduction = left  # all that is left: deductions that add up to the gross pay
        pay[name] = deduction
        left -= deduction or 0
    pay["computed"] = left
    return pay


def dues_payments(
    *, members: Sequence[Member] | None = None, id: str | None = None
) -> SearchStrategy[DuesPayment]:
    """Monthly dues payments, in 元 with 0 to 2 places, paid in or after the month.

    Args:
        members: The members the payer is drawn from; a made-up id when ``None``.
        id: The payment's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.DuesPayment` values.
    """
    _need("members", members)
    return _dues(id, _tuple(members))


# -- paired villages ------------------------------------------------------------------------


def joint_activities(
    *,
    min_date: dt.date = ACTIVITY_START,
    max_date: dt.date = ACTIVITY_END,
    meetings: Sequence[Meeting] | None = None,
) -> SearchStrategy[JointActivity]:
    """Activities held with a village's branch (联学, 组织生活联过 …).

    Args:
        min_date: The earliest day.
        max_date: The latest day.
        meetings: The meetings one may point to (the activity then takes the meeting's day);
            made-up ids when ``None``; none when empty.

    Returns:
        A strategy of :class:`~dangjian.JointActivity` values.
    """

    @st.composite
    def build(draw: st.DrawFn) -> JointActivity:
        day = draw(_dates(min_date, max_date))
        meeting: str | None
        if meetings is None:
            meeting = draw(_maybe(record_ids()))
        else:
            fitting = [m for m in meetings if min_date <= m.date <= max_date]
            chosen = draw(_maybe(st.sampled_from(fitting))) if fitting else None
            meeting = chosen.id if chosen else None
            day = chosen.date if chosen else day
        return JointActivity(
            date=day,
            kind=draw(st.sampled_from(_JOINT_KINDS) | texts()),
            title=draw(_maybe(texts())),
            meeting=meeting,
            note=draw(_maybe(notes())),
        )

    return build()


def poverty_projects(
    *, min_date: dt.date = ACTIVITY_START, max_date: dt.date = ACTIVITY_END
) -> SearchStrategy[PovertyProject]:
    """Poverty-alleviation projects, approved (if at all) on or after the application.

    Args:
        min_date: The earliest day.
        max_date: The latest day.

    Returns:
        A strategy of :class:`~dangjian.PovertyProject` values; funds in 元.
    """

    @st.composite
    def build(draw: st.DrawFn) -> PovertyProject:
        applied = draw(_dates(min_date, max_date))
        return PovertyProject(
            name=draw(texts()),
            applied=applied,
            approved=draw(_maybe(_dates(applied, max_date))),
            funds=draw(_maybe(decimals(max_value=5_000_000, max_places=2))),
            partner=draw(_maybe(texts())),
            note=draw(_maybe(notes())),
        )

    return build()


def village_trainings(
    *, min_date: dt.date = ACTIVITY_START, max_date: dt.date = ACTIVITY_END
) -> SearchStrategy[VillageTraining]:
    """Training given in a village.

    Args:
        min_date: The earliest day.
        max_date: The latest day.

    Returns:
        A strategy of :class:`~dangjian.VillageTraining` values.
    """
    return st.builds(
        VillageTraining,
        date=_dates(min_date, max_date),
        topic=st.sampled_from(("农业实用技术培训", "电商培训")) | texts(),
        trainees=_maybe(st.integers(0, 200)),
        note=_maybe(notes()),
    )


def donations() -> SearchStrategy[Donation]:
    """Things handed over on a visit: an item, a quantity and its unit (面粉 50 袋).

    Returns:
        A strategy of :class:`~dangjian.Donation` values.
    """
    return st.builds(
        Donation,
        item=st.sampled_from(("面粉", "清油", "大米", "慰问金")) | texts(),
        quantity=decimals(max_value=10_000, max_places=2),
        unit=st.sampled_from(_UNITS) | texts(max_size=3),
    )


def _visitors(
    draw: st.DrawFn, people: Sequence[_Person], day: dt.date, max_size: int
) -> tuple[str, ...]:
    return _ids(draw, [p.id for p in _alive(people, day)], max_size)


def village_visits(
    *,
    min_date: dt.date = ACTIVITY_START,
    max_date: dt.date = ACTIVITY_END,
    members: Sequence[Member] | None = None,
    max_people: int = 3,
) -> SearchStrategy[VillageVisit]:
    """Visits to a village with what was donated, by members born by then.

    Args:
        min_date: The earliest day.
        max_date: The latest day.
        members: The members the visitors are drawn from; made-up ids when ``None``.
        max_people: The most visitors.

    Returns:
        A strategy of :class:`~dangjian.VillageVisit` values.
    """
    _size("max_people", max_people)

    @st.composite
    def build(draw: st.DrawFn) -> VillageVisit:
        day = draw(_dates(min_date, max_date))
        people = _people(draw, _tuple(members), max_people)
        return VillageVisit(
            date=day,
            title=draw(st.sampled_from(("春节走访慰问", "入户走访")) | texts()),
            visitors=_visitors(draw, people, day, max_people),
            donations=tuple(draw(st.lists(donations(), max_size=2))),
            note=draw(_maybe(notes())),
        )

    return build()


def volunteer_works(
    *,
    min_date: dt.date = ACTIVITY_START,
    max_date: dt.date = ACTIVITY_END,
    members: Sequence[Member] | None = None,
    max_people: int = 3,
) -> SearchStrategy[VolunteerWork]:
    """Volunteer work done in a village, by members born by then.

    Args:
        min_date: The earliest day.
        max_date: The latest day.
        members: The members the volunteers are drawn from; made-up ids when ``None``.
        max_people: The most volunteers.

    Returns:
        A strategy of :class:`~dangjian.VolunteerWork` values.
    """
    _size("max_people", max_people)

    @st.composite
    def build(draw: st.DrawFn) -> VolunteerWork:
        day = draw(_dates(min_date, max_date))
        people = _people(draw, _tuple(members), max_people)
        return VolunteerWork(
            date=day,
            title=draw(texts()),
            volunteers=_visitors(draw, people, day, max_people),
            description=draw(_maybe(notes())),
        )

    return build()


@st.composite
def _pairing(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    members: tuple[Member, ...] | None,
    meetings: tuple[Meeting, ...] | None,
    max_items: int,
) -> PairingVillage:
    org = _org(draw, branches)
    own_meetings = None if meetings is None else tuple(m for m in meetings if m.branch == org.id)
    since_lo, since_hi = org.span()
    if own_meetings and draw(st.booleans()):
        # begin before one of the branch's meetings, so that an activity can point to it
        since_hi = draw(st.sampled_from(sorted(m.date for m in own_meetings)))
    since = draw(_dates(since_lo, since_hi))
    until = draw(_maybe(_dates(since, org.span()[1])))
    end = until or ACTIVITY_END
    people = _people(draw, members, 4)
    sent = [p.id for p in _alive(people, since)]
    return PairingVillage(
        id=id if id is not None else draw(record_ids()),
        county=draw(st.sampled_from(("X县", "榆中县", "永登县")) | texts()),
        town=draw(st.sampled_from(("X镇", "城关镇", "某乡")) | texts()),
        village=draw(st.sampled_from(("X村", "红星村", "上庄村")) | texts()),
        branch=org.id,
        village_branch=draw(_maybe(st.sampled_from(("X村党支部",)) | texts())),
        since=since,
        until=until,
        first_secretary=_one(draw, sent),
        team_leader=_one(draw, sent),
        team_members=_ids(draw, sent, 3),
        activities=tuple(
            draw(
                st.lists(
                    joint_activities(min_date=since, max_date=end, meetings=own_meetings),
                    max_size=max_items,
                )
            )
        ),
        projects=tuple(
            draw(st.lists(poverty_projects(min_date=since, max_date=end), max_size=max_items))
        ),
        trainings=tuple(
            draw(st.lists(village_trainings(min_date=since, max_date=end), max_size=max_items))
        ),
        visits=tuple(
            draw(
                st.lists(
                    village_visits(min_date=since, max_date=end, members=members),
                    max_size=max_items,
                )
            )
        ),
        volunteer_work=tuple(
            draw(
                st.lists(
                    volunteer_works(min_date=since, max_date=end, members=members),
                    max_size=max_items,
                )
            )
        ),
        note=draw(_maybe(notes())),
    )


def pairing_villages(
    *,
    branches: Sequence[Branch] | None = None,
    members: Sequence[Member] | None = None,
    meetings: Sequence[Meeting] | None = None,
    max_items: int = 2,
    id: str | None = None,
) -> SearchStrategy[PairingVillage]:
    """Villages paired with a branch (结对帮扶), with their nested history.

    The pairing begins while the branch exists; everything nested happens from ``since`` to
    ``until``; the people sent and the visitors and volunteers were born by then; a joint
    activity points only to a meeting of the same branch, on that meeting's day.

    Args:
        branches: The organisations the paired branch is drawn from; a made-up id when ``None``.
        members: The members the people sent, visitors and volunteers are drawn from; made-up
            ids when ``None``.
        meetings: The meetings joint activities may point to; made-up ids when ``None``.
        max_items: The most entries in each nested list.
        id: The pairing's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.PairingVillage` values.
    """
    _need("branches", branches)
    _size("max_items", max_items)
    return _pairing(id, _tuple(branches), _tuple(members), _tuple(meetings), max_items)


# -- oversight ------------------------------------------------------------------------------


def follow_ups(
    *, min_date: dt.date = ACTIVITY_START, max_date: dt.date = ACTIVITY_END
) -> SearchStrategy[FollowUp]:
    """Revisits of a closed rectification item ("再回头、再整改、再落实").

    Args:
        min_date: The earliest day (the closing day of the item).
        max_date: The latest day.

    Returns:
        A strategy of :class:`~dangjian.FollowUp` values.
    """
    return st.builds(
        FollowUp,
        date=_dates(min_date, max_date),
        finding=st.sampled_from(("未发现反弹", "整改成效巩固")) | texts(),
        by=_maybe(texts()),
    )


@functools.cache
def _working_calendar() -> WorkingCalendar:
    return WorkingCalendar()


@st.composite
def _rectification(
    draw: st.DrawFn, id: str | None, branches: tuple[Branch, ...] | None
) -> RectificationItem:
    org: _Org | None
    if branches is None:
        org = _Org(draw(record_ids()), None, None) if draw(st.booleans()) else None
    else:
        org = _org(draw, branches) if len(branches) > 0 and draw(st.booleans()) else None
    raised = draw(org.window() if org else _dates(ACTIVITY_START, ACTIVITY_END))
    status = draw(st.sampled_from(RectificationStatus))
    closed = None
    ups: tuple[FollowUp, ...] = ()
    if status is RectificationStatus.CLOSED:
        closed = draw(_dates(raised, ACTIVITY_END))
        ups = tuple(
            sorted(draw(st.lists(follow_ups(min_date=closed), max_size=2)), key=lambda f: f.date)
        )
    deadline = draw(_maybe(_dates(raised, ACTIVITY_END)))
    working_days = None
    if draw(st.booleans()):
        # a deadline in working days, alone or beside the date it names (where the calendar
        # can count it; a year it does not cover leaves the date as drawn)
        working_days = draw(st.integers(1, 60))
        if deadline is not None:
            with contextlib.suppress(CalendarError):
                deadline = _working_calendar().add_working_days(raised, working_days)
    return RectificationItem(
        id=id if id is not None else draw(record_ids()),
        source=draw(st.sampled_from(RectificationSource)),
        reference=draw(_maybe(texts())),
        raised=raised,
        problem=draw(st.sampled_from(("三会一课制度落实不到位", "党费收缴不及时")) | texts()),
        branch=org.id if org else None,
        measures=tuple(draw(st.lists(texts(), max_size=2))),
        responsible=draw(_maybe(_person_names())),
        deadline=deadline,
        deadline_working_days=working_days,
        status=status,
        closed=closed,
        evidence=tuple(draw(st.lists(texts(), max_size=2))),
        follow_ups=ups,
        note=draw(_maybe(notes())),
    )


def rectification_items(
    *, branches: Sequence[Branch] | None = None, id: str | None = None
) -> SearchStrategy[RectificationItem]:
    """Problems fed back by inspectors and their rectification up to closing (销号).

    The deadline and the closing day are not before the day raised; the status is 已销号 exactly
    when there is a closing day; follow-ups come after closing, in order; the item is raised
    while its organisation (if any) exists. Some give their deadline in working days, alone or
    beside the date they name.

    Args:
        branches: The organisations the responsible one is drawn from (or none); a made-up id
            or none when ``None``.
        id: The item's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.RectificationItem` values.
    """
    return _rectification(id, _tuple(branches))


@st.composite
def _letter(
    draw: st.DrawFn, id: str | None, branches: tuple[Branch, ...] | None
) -> ResponsibilityLetter:
    org: _Org | None
    if branches is None:
        org = _Org(draw(record_ids()), None, None) if draw(st.booleans()) else None
    else:
        org = _org(draw, branches) if len(branches) > 0 and draw(st.booleans()) else None
    signed = draw(org.window() if org else _dates(ACTIVITY_START, ACTIVITY_END))
    year = signed.year + (1 if signed.month == 12 and draw(st.booleans()) else 0)
    return ResponsibilityLetter(
        id=id if id is not None else draw(record_ids()),
        year=year,
        signed=signed,
        issuer=draw(st.sampled_from(("局党委", "机关党委")) | texts()),
        signatory=draw(st.sampled_from(("直属单位负责人", "支部书记")) | _person_names()),
        branch=org.id if org else None,
        subject=draw(st.sampled_from(("抓基层党建工作责任书", "党风廉政建设责任书")) | texts()),
        note=draw(_maybe(notes())),
    )


def responsibility_letters(
    *, branches: Sequence[Branch] | None = None, id: str | None = None
) -> SearchStrategy[ResponsibilityLetter]:
    """Responsibility letters (责任书), signed in the year they cover or the December before.

    Args:
        branches: The organisations the signatory's is drawn from (or none); a made-up id or
            none when ``None``.
        id: The letter's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.ResponsibilityLetter` values.
    """
    return _letter(id, _tuple(branches))


@st.composite
def _appraisal(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    members: tuple[Member, ...] | None,
) -> Appraisal:
    if members is None:
        who, born, home = draw(record_ids()), None, None
    else:
        member = draw(st.sampled_from(members))
        who, born, home = member.id, member.birth_date, member.branch
    if branches is None:
        org = _Org(home if home is not None else draw(record_ids()), None, None)
    else:
        own = [b for b in branches if b.id == home]
        b = own[0] if own else draw(st.sampled_from(branches))
        org = _Org(b.id, b.founded, b.dissolved)
    lo, hi = org.span(max(ACTIVITY_START, born or ACTIVITY_START))
    score = draw(_maybe(decimals(max_value=100, max_places=2)))
    grade = draw(st.sampled_from(Grade) if score is None else _maybe(st.sampled_from(Grade)))
    return Appraisal(
        id=id if id is not None else draw(record_ids()),
        kind=draw(st.sampled_from(AppraisalKind)),
        date=draw(_dates(lo, hi)),
        member=who,
        branch=org.id,
        score=score,
        grade=grade,
        evaluators=draw(_maybe(st.integers(0, 80))),
        note=draw(_maybe(notes())),
    )


def appraisals(
    *,
    branches: Sequence[Branch] | None = None,
    members: Sequence[Member] | None = None,
    id: str | None = None,
) -> SearchStrategy[Appraisal]:
    """Secretaries' 述职评议 and members' 民主测评, each with a score, a grade or both.

    The appraising organisation is the member's own when it is among ``branches``; the day is
    after the member's birth and while the organisation exists (when the two can agree).

    Args:
        branches: The organisations the appraising one is drawn from; the member's branch or a
            made-up id when ``None``.
        members: The members the appraised one is drawn from; a made-up id when ``None``.
        id: The appraisal's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.Appraisal` values; scores have up to 2 places.
    """
    _need("branches", branches)
    _need("members", members)
    return _appraisal(id, _tuple(branches), _tuple(members))


@st.composite
def _service(
    draw: st.DrawFn,
    id: str | None,
    branches: tuple[Branch, ...] | None,
    members: tuple[Member, ...] | None,
    max_people: int,
) -> ServiceActivity:
    org = _org(draw, branches)
    start = draw(org.window())
    people = [p.id for p in _alive(_people(draw, members, max_people), start)]
    return ServiceActivity(
        id=id if id is not None else draw(record_ids()),
        kind=draw(st.sampled_from(ServiceKind)),
        title=draw(st.sampled_from(("疫情防控党员突击队", "社区志愿服务")) | texts()),
        branch=org.id,
        start=start,
        end=draw(_maybe(_dates(start, ACTIVITY_END))),
        participants=_ids(draw, people, max_people),
        description=draw(_maybe(notes())),
        note=draw(_maybe(notes())),
    )


def service_activities(
    *,
    branches: Sequence[Branch] | None = None,
    members: Sequence[Member] | None = None,
    max_people: int = 5,
    id: str | None = None,
) -> SearchStrategy[ServiceActivity]:
    """Volunteer service, task forces and vanguard posts.

    Begun while the organisation exists, ended (if at all) after the start, by members born by
    the start.

    Args:
        branches: The organisations the organising one is drawn from; a made-up id when
            ``None``.
        members: The members participants are drawn from; made-up ids when ``None``.
        max_people: The most participants.
        id: The activity's id; a drawn one when ``None``.

    Returns:
        A strategy of :class:`~dangjian.ServiceActivity` values.
    """
    _need("branches", branches)
    _size("max_people", max_people)
    return _service(id, _tuple(branches), _tuple(members), max_people)


# -- whole ledgers --------------------------------------------------------------------------


def _unique_ids(draw: st.DrawFn, min_size: int, max_size: int) -> list[str]:
    return draw(st.lists(record_ids(), unique=True, min_size=min_size, max_size=max_size))


@st.composite
def _ledger(
    draw: st.DrawFn,
    max_branches: int,
    max_groups: int,
    max_members: int,
    max_records: int,
) -> Ledger:
    branch_ids = _unique_ids(draw, 1, max_branches)
    orgs: list[Branch] = []
    for k, bid in enumerate(branch_ids):
        # parents come earlier in the list, so the hierarchy never loops
        orgs.append(draw(_branch(bid, tuple(branch_ids[:k]), (), 0)))
    bs = tuple(orgs)
    gs = tuple(draw(_group(gid, bs, ())) for gid in _unique_ids(draw, 0, max_groups))
    people: list[Member] = []
    for mid in _unique_ids(draw, 0, max_members):
        people.append(draw(_member(mid, bs, gs, tuple(people), 2)))
    ms = tuple(people)

    # committees and group leaders, now that the members exist
    def own(branch: str) -> tuple[_Person, ...]:
        return tuple(
            _Person(m.id, m.birth_date, m.branch, m.status) for m in ms if m.branch == branch
        )

    bs = tuple(
        attrs.evolve(b, committee=_seats(draw, _Org(b.id, b.founded, b.dissolved), own(b.id), 3))
        for b in bs
    )
    gs = tuple(attrs.evolve(g, leader=_one(draw, [p.id for p in own(g.branch)])) for g in gs)

    meetings_ = tuple(draw(_meeting(i, bs, gs, ms, 5)) for i in _unique_ids(draw, 0, max_records))
    if meetings_:
        # the 支委会 that listed a candidate: any meeting will do for the references
        ms = tuple(
            attrs.evolve(m, candidate_meeting=_one(draw, [x.id for x in meetings_]))
            if m.milestones.candidate is not None
            else m
            for m in ms
        )
    return Ledger(
        name=draw(st.sampled_from(("市X局机关党委", "某村党总支")) | texts()),
        branches=bs,
        groups=gs,
        members=ms,
        meetings=meetings_,
        study_sessions=tuple(
            draw(_study(i, bs, gs, ms, 5)) for i in _unique_ids(draw, 0, max_records)
        ),
        elections=tuple(draw(_election(i, bs, ms, 5)) for i in _unique_ids(draw, 0, max_records)),
        talks=tuple(
            draw(_talk(i, ms)) for i in _unique_ids(draw, 0, max_records if len(ms) >= 2 else 0)
        ),
        trainings=tuple(
            draw(_training(i, ms)) for i in _unique_ids(draw, 0, max_records if ms else 0)
        ),
        dues_payments=tuple(
            draw(_dues(i, ms)) for i in _unique_ids(draw, 0, max_records if ms else 0)
        ),
        pairings=tuple(
            draw(_pairing(i, bs, ms, meetings_, 2)) for i in _unique_ids(draw, 0, max_records)
        ),
        rectifications=tuple(
            draw(_rectification(i, bs)) for i in _unique_ids(draw, 0, max_records)
        ),
        responsibility_letters=tuple(
            draw(_letter(i, bs)) for i in _unique_ids(draw, 0, max_records)
        ),
        appraisals=tuple(
            draw(_appraisal(i, bs, ms)) for i in _unique_ids(draw, 0, max_records if ms else 0)
        ),
        service_activities=tuple(
            draw(_service(i, bs, ms, 5)) for i in _unique_ids(draw, 0, max_records)
        ),
    )


def ledgers(
    *,
    max_branches: int = 3,
    max_groups: int = 2,
    max_members: int = 5,
    max_records: int = 2,
) -> SearchStrategy[Ledger]:
    """Whole valid ledgers: ``ledger.problems() == []`` for every one drawn.

    Ids are unique within each kind; every reference resolves (members belong to the ledger's
    organisations and to groups of their own branch, a group's leader is a member of its
    branch, organisations form a tree, attendees and voters are the ledger's members, the
    elected are among the candidates, joint activities point to meetings of the paired branch);
    dates are in a sane order (see the other strategies).

    Args:
        max_branches: The most organisations (at least one is always drawn).
        max_groups: The most party groups.
        max_members: The most members.
        max_records: The most records of each other kind.

    Returns:
        A strategy of :class:`~dangjian.Ledger` values.
    """
    if max_branches < 1:
        raise InvalidArgument(f"max_branches={max_branches!r} must be at least 1")
    for name, value in (
        ("max_groups", max_groups),
        ("max_members", max_members),
        ("max_records", max_records),
    ):
        _size(name, value)
    return _ledger(max_branches, max_groups, max_members, max_records)
