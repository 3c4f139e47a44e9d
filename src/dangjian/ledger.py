"""The ledger (台账): every record of one organisation, with lookups and whole-ledger validation."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from dangjian.errors import LedgerError, Problem
from dangjian.i18n import Message, t
from dangjian.model import (
    Appraisal,
    Branch,
    DuesPayment,
    Election,
    HeartToHeartTalk,
    Meeting,
    Member,
    Milestones,
    PairingVillage,
    PartyGroup,
    RectificationItem,
    ResponsibilityLetter,
    ServiceActivity,
    StudySession,
    TrainingRecord,
)
from dangjian.model import _validators as v

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RECORD_KINDS", "Ledger", "RecordKind"]

T = TypeVar("T")


@attrs.frozen
class RecordKind:
    """One collection of a ledger: its field name, its entity class and its Chinese label."""

    field: str
    cls: type[Any]
    label: str
    label_en: str


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("branches", Branch, "党组织", "organisation"),
    RecordKind("groups", PartyGroup, "党小组", "party group"),
    RecordKind("members", Member, "党员", "member"),
    RecordKind("meetings", Meeting, "会议", "meeting"),
    RecordKind("study_sessions", StudySession, "学习", "study session"),
    RecordKind("elections", Election, "选举", "election"),
    RecordKind("talks", HeartToHeartTalk, "谈心谈话", "talk"),
    RecordKind("trainings", TrainingRecord, "培训", "training record"),
    RecordKind("dues_payments", DuesPayment, "党费", "dues payment"),
    RecordKind("pairings", PairingVillage, "结对帮扶村", "paired village"),
    RecordKind("rectifications", RectificationItem, "整改事项", "rectification item"),
    RecordKind("responsibility_letters", ResponsibilityLetter, "责任书", "responsibility letter"),
    RecordKind("appraisals", Appraisal, "评议", "appraisal"),
    RecordKind("service_activities", ServiceActivity, "服务活动", "service activity"),
)
"""Every collection of a :class:`Ledger`, in the order they are written."""

_KIND_OF: dict[type[Any], RecordKind] = {k.cls: k for k in RECORD_KINDS}


@attrs.frozen(kw_only=True)
class Ledger:
    """All the records of one organisation (台账): the root that loading and checking work on.

    Constructing a ledger does not check that its records fit together; :meth:`problems` and
    :meth:`validate` do, and :func:`dangjian.load` always validates.

    Attributes:
        name: The organisation the ledger belongs to (``市X局机关党委``).
        version: The version of the ledger format; 1.
        branches: Party organisations, the ledger's own top organisation included.
        groups: Party groups (党小组).
        members: Members, applicants and activists.
        meetings: Meetings of organisational life.
        study_sessions: Collective study sessions.
        elections: Elections and by-elections.
        talks: Heart-to-heart talks.
        trainings: Training hours.
        dues_payments: Payments of dues.
        pairings: Paired villages and their history.
        rectifications: Rectification items.
        responsibility_letters: Responsibility letters.
        appraisals: Report-and-review of secretaries and democratic appraisal of members.
        service_activities: Volunteer service, task forces and the like.
    """

    name: str = attrs.field(validator=v.text)
    version: int = attrs.field(default=1, validator=v.between(1, 1))
    branches: tuple[Branch, ...] = ()
    groups: tuple[PartyGroup, ...] = ()
    members: tuple[Member, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    study_sessions: tuple[StudySession, ...] = ()
    elections: tuple[Election, ...] = ()
    talks: tuple[HeartToHeartTalk, ...] = ()
    trainings: tuple[TrainingRecord, ...] = ()
    dues_payments: tuple[DuesPayment, ...] = ()
    pairings: tuple[PairingVillage, ...] = ()
    rectifications: tuple[RectificationItem, ...] = ()
    responsibility_letters: tuple[ResponsibilityLetter, ...] = ()
    appraisals: tuple[Appraisal, ...] = ()
    service_activities: tuple[ServiceActivity, ...] = ()

    # -- lookups ---------------------------------------------------------------------------

    @cached_property
    def _by_id(self) -> dict[type[Any], dict[str, Any]]:
        index: dict[type[Any], dict[str, Any]] = {}
        for kind in RECORD_KINDS:
            table: dict[str, Any] = {}
            for record in getattr(self, kind.field):
                table.setdefault(record.id, record)
            index[kind.cls] = table
        return index

    @cached_property
    def _by_branch(self) -> dict[type[Any], dict[str, list[Any]]]:
        index: dict[type[Any], dict[str, list[Any]]] = {}
        for kind in RECORD_KINDS:
            if "branch" not in attrs.fields_dict(kind.cls):
                continue
            table: dict[str, list[Any]] = defaultdict(list)
            for record in getattr(self, kind.field):
                if record.branch is not None:
                    table[record.branch].append(record)
            index[kind.cls] = dict(table)
        return index

    def get(self, kind: type[T], id: str) -> T:
        """The record of class ``kind`` whose id is ``id``.

        Raises:
            KeyError: no such record (the message names the kind and the id).
        """
        try:
            return self._by_id[kind][id]  # type: ignore[no-any-return]
        except KeyError:
            label = _KIND_OF[kind].label if kind in _KIND_OF else kind.__name__
            raise KeyError(f"台账中没有编号为「{id}」的{label}") from None

    def find(self, kind: type[T], id: str) -> T | None:
        """The record of class ``kind`` whose id is ``id``, or ``None``."""
        found: T | None = self._by_id[kind].get(id)
        return found

    def branch(self, id: str) -> Branch:
        """The organisation whose id is ``id`` (:class:`KeyError` if none)."""
        return self.get(Branch, id)

    def member(self, id: str) -> Member:
        """The member whose id is ``id`` (:class:`KeyError` if none)."""
        return self.get(Member, id)

    def by_branch(self, kind: type[T], branch: str) -> tuple[T, ...]:
        """The records of class ``kind`` that belong to organisation ``branch``, in ledger order.

        ``kind`` is any record class with a ``branch`` field (members, meetings, study
        sessions, …).
        """
        if kind not in self._by_branch:
            raise TypeError(f"{kind.__name__} records do not belong to a branch")
        return tuple(self._by_branch[kind].get(branch, ()))

    def members_of(self, branch: str) -> tuple[Member, ...]:
        """The members of organisation ``branch``."""
        return self.by_branch(Member, branch)

    def children(self, branch: str) -> tuple[Branch, ...]:
        """The organisations directly under ``branch``."""
        return tuple(b for b in self.branches if b.parent == branch)

    def records(self) -> Iterator[tuple[RecordKind, Sequence[Any]]]:
        """Each collection of the ledger with its kind, in the order of :data:`RECORD_KINDS`."""
        for kind in RECORD_KINDS:
            yield kind, getattr(self, kind.field)

    def __len__(self) -> int:
        """The number of records in the ledger, of every kind."""
        return sum(len(records) for _, records in self.records())

    def to_frames(self, *, include_pii: bool = False) -> dict[str, pd.DataFrame]:
        """One pandas data frame per record kind, keyed by the collection's name (``members``,
        ``meetings`` …), one row per record, every kind present (needs the ``frames`` extra).

        Columns follow the fields: a nested record is flattened into ``field.subfield`` columns
        (``milestones.admitted``); lists of ids stay Python lists and lists of nested records
        lists of dicts; dates are ``datetime64[s]``, amounts :class:`~decimal.Decimal` objects,
        months ``period[M]``, enumerations categorical codes. Resident ids are masked unless
        ``include_pii`` is true. The full table is in the docstring of ``dangjian._frames``.

        Raises:
            DangjianError: pandas is not installed.
        """
        from dangjian._frames import ledger_frames

        return ledger_frames(self, include_pii=include_pii)

    def _repr_html_(self) -> str:
        from dangjian._html import ledger_html

        return ledger_html(self)

    # -- validation ------------------------------------------------------------------------

    def validate(self, *, source: str | None = None) -> None:
        """Check that the records fit together.

        Raises:
            LedgerError: listing every problem :meth:`problems` finds.
        """
        found = self.problems()
        if found:
            raise LedgerError(found, source=source)

    def problems(self) -> list[Problem]:
        """Every way the records fail to fit together, each with its path.

        Ids must be unique within each kind, every reference must resolve to a record of the
        right kind, and dates must be in a sane order across records (nobody attends a meeting
        before being born, no meeting before its organisation was founded).
        """
        return _Validator(self).run()


def _p(path: str, code: str, message: Message) -> Problem:
    return Problem(path=path, code=code, message=message)


_EARLIEST = dt.date.min
_ID = operator.attrgetter("id")
_MEMBER = operator.attrgetter("member")
_MILESTONES = tuple(n for n in attrs.fields_dict(Milestones) if n != "course_exception")
"""The dated steps of :class:`Milestones` (not the text of a recorded exception)."""


class _Validator:
    """Whole-ledger checks; one instance per call of :meth:`Ledger.problems`.

    The collections that can hold hundreds of thousands of records (members, meetings, study
    sessions, talks, training and dues) are first tested record by record with a quick test
    (``_clean_*``) that builds no paths and makes no problems; only a record that fails it goes
    through the full checks, which find and describe its problems. A quick test must therefore
    fail whenever the full checks would find anything: each one mirrors the checks of its kind,
    and a change to those checks must be made to it too. ``quick=False`` runs the full checks on
    every record (the tests compare the two).
    """

    def __init__(
        self,
        ledger: Ledger,
        *,
        positions: Mapping[str, Sequence[int]] | None = None,
        assumed: Mapping[type[Any], set[str]] | None = None,
        quick: bool = True,
    ) -> None:
        self.ledger = ledger
        self.positions = positions or {}
        self.assumed = assumed or {}
        self.quick = quick
        self.found: list[Problem] = []
        self.ids: dict[type[Any], dict[str, Any]] = {}
        # for the quick tests: each member's birth date (the earliest date when unknown), the
        # members' ids and the latest birth date
        self.born: dict[str, dt.date] = {}
        self.member_ids: frozenset[str] = frozenset()
        self.last_birth = _EARLIEST

    def _each(self, field: str) -> Iterator[tuple[int, Any]]:
        """The records of a collection with their index in the document they came from."""
        records = getattr(self.ledger, field)
        where = self.positions.get(field)
        if where is None:
            yield from enumerate(records)
        else:
            yield from zip(where, records, strict=True)

    def run(self) -> list[Problem]:
        self._unique_ids()
        self._branches()
        self._groups()
        self._members()
        self._meetings()
        self._study_sessions()
        self._elections()
        self._talks_training_dues()
        self._pairings()
        self._oversight()
        return self.found

    # helpers

    def _unique_ids(self) -> None:
        for kind, records in self.ledger.records():
            backwards = records[::-1]
            self.ids[kind.cls] = table = dict(zip(map(_ID, backwards), backwards, strict=True))
            if len(table) == len(records):
                continue
            first: dict[str, int] = {}
            for i, record in self._each(kind.field):
                j = first.setdefault(record.id, i)
                if j != i:
                    self.found.append(
                        _p(
                            f"{kind.field}[{i}].id",
                            "duplicate_id",
                            t(
                                "{label}编号「{id}」重复，与 {field}[{index}] 相同",
                                label=kind.label,
                                label_en=kind.label_en,
                                id=record.id,
                                field=kind.field,
                                index=j,
                            ),
                        )
                    )
        self.born = {k: m.birth_date or _EARLIEST for k, m in self.ids[Member].items()}
        self.member_ids = frozenset(self.born)
        self.last_birth = max(self.born.values(), default=_EARLIEST)

    def _clean(self, field: str, test: Callable[[Any], bool]) -> Iterator[tuple[int, Any]]:
        """The records of a collection, as :meth:`_each`, less those that pass ``test``."""
        if not self.quick:
            return self._each(field)
        if all(map(test, getattr(self.ledger, field))):
            return iter(())
        return ((i, r) for i, r in self._each(field) if not test(r))

    def _present(self, names: Sequence[str], day: dt.date) -> bool:
        """Whether every id in ``names`` is a member's, none of them born after ``day``."""
        if day >= self.last_birth:  # nobody was born after that day
            return self.member_ids.issuperset(names)
        try:
            return not names or max(map(self.born.__getitem__, names)) <= day
        except KeyError:
            return False

    def _active(self, branch_id: str, group_id: str | None, day: dt.date) -> bool:
        """Whether the organisation exists on ``day`` and the group, if any, is one of its own."""
        branch = self.ids[Branch].get(branch_id)
        if (
            branch is None
            or (branch.founded is not None and day < branch.founded)
            or (branch.dissolved is not None and day > branch.dissolved)
        ):
            return False
        if group_id is None:
            return True
        group = self.ids[PartyGroup].get(group_id)
        return group is not None and group.branch == branch_id

    def _ref(self, path: str, value: str | None, target: type[Any]) -> Any:
        """The record ``value`` refers to, or ``None`` after noting a broken reference."""
        if value is None:
            return None
        record = self.ids[target].get(value)
        if record is None and value not in self.assumed.get(target, ()):
            kind = _KIND_OF[target]
            self.found.append(
                _p(
                    path,
                    "broken_reference",
                    t(
                        "找不到编号为「{id}」的{label}",
                        id=value,
                        label=kind.label,
                        label_en=kind.label_en,
                    ),
                )
            )
        return record

    def _refs(self, path: str, values: Sequence[str], target: type[Any]) -> list[Any]:
        return [self._ref(f"{path}[{i}]", x, target) for i, x in enumerate(values)]

    def _alive_on(self, path: str, member: Member | None, day: dt.date) -> None:
        if member is not None and member.birth_date is not None and day < member.birth_date:
            self.found.append(
                _p(
                    path,
                    "before_birth",
                    t(
                        "{name}（{id}）出生于{born}，不可能在{day}参加",
                        name=member.name,
                        id=member.id,
                        born=member.birth_date.isoformat(),
                        day=day.isoformat(),
                    ),
                )
            )

    def _org_exists_on(self, path: str, branch: Branch | None, day: dt.date) -> None:
        if branch is None:
            return
        if branch.founded is not None and day < branch.founded:
            self.found.append(
                _p(
                    path,
                    "before_founded",
                    t(
                        "{name}成立于{founded}，早于此日期不能有活动",
                        name=branch.name,
                        id=branch.id,
                        founded=branch.founded.isoformat(),
                    ),
                )
            )
        if branch.dissolved is not None and day > branch.dissolved:
            self.found.append(
                _p(
                    path,
                    "after_dissolved",
                    t(
                        "{name}已于{dissolved}撤销，此后不能有活动",
                        name=branch.name,
                        id=branch.id,
                        dissolved=branch.dissolved.isoformat(),
                    ),
                )
            )

    def _count_agrees(self, path: str, count: int | None, names: Sequence[str], what: str) -> None:
        if count is not None and names and count != len(names):
            self.found.append(
                _p(
                    path,
                    "count_mismatch",
                    t(
                        "{what}人数为{count}，名单却有{listed}人",
                        what=what,
                        count=count,
                        listed=len(names),
                    ),
                )
            )

    def _group_in_branch(self, path: str, group_id: str | None, branch_id: str) -> None:
        group = self._ref(path, group_id, PartyGroup)
        if group is not None and group.branch != branch_id:
            self.found.append(
                _p(
                    path,
                    "group_outside_branch",
                    t(
                        "党小组「{group}」属于「{branch}」，不属于「{other}」",
                        group=group.id,
                        branch=group.branch,
                        other=branch_id,
                    ),
                )
            )

    # the kinds

    def _branches(self) -> None:
        for i, b in self._each("branches"):
            path = f"branches[{i}]"
            if b.parent == b.id:
                self.found.append(_p(f"{path}.parent", "cycle", t("上级组织不能是自己")))
            else:
                self._ref(f"{path}.parent", b.parent, Branch)
            for j, seat in enumerate(b.committee):
                self._ref(f"{path}.committee[{j}].member", seat.member, Member)
        # cycles longer than one step, each reported once, at its first organisation
        parents = {b.id: b.parent for b in self.ledger.branches}
        reported: set[str] = set()
        for i, b in self._each("branches"):
            if b.parent == b.id or b.id in reported:
                continue
            chain = [b.id]
            up = b.parent
            while up is not None and up in parents and up not in chain:
                chain.append(up)
                up = parents[up]
            if up == b.id:
                reported.update(chain)
                loop = " → ".join([*chain, b.id])
                self.found.append(
                    _p(
                        f"branches[{i}].parent",
                        "cycle",
                        t("上级组织形成循环：{loop}", loop=loop),
                    )
                )

    def _groups(self) -> None:
        for i, g in self._each("groups"):
            self._ref(f"groups[{i}].branch", g.branch, Branch)
            leader = self._ref(f"groups[{i}].leader", g.leader, Member)
            if leader is not None and leader.branch != g.branch:
                self.found.append(
                    _p(
                        f"groups[{i}].leader",
                        "leader_outside_branch",
                        t(
                            "党小组长「{leader}」不是本支部（{branch}）的党员",
                            leader=leader.id,
                            branch=g.branch,
                        ),
                    )
                )

    def _clean_member(self, m: Member) -> bool:
        members, born = self.ids[Member], m.birth_date
        if m.branch not in self.ids[Branch]:
            return False
        if m.group is not None:
            group = self.ids[PartyGroup].get(m.group)
            if group is None or group.branch != m.branch:
                return False
        for ids in (m.mentors, m.sponsors):
            if m.id in ids or not all(map(members.__contains__, ids)):
                return False
        rid = m.resident_id
        if rid is not None and (
            (born is not None and rid.birth_date != born)
            or rid.is_male != (m.gender.code == "male")
        ):
            return False
        if born is not None:
            for name in _MILESTONES:
                day = getattr(m.milestones, name)
                if day is not None and day <= born:
                    return False
        if m.left is not None and not m.status.has_left:
            return False
        if m.candidate_meeting is not None and m.candidate_meeting not in self.ids[Meeting]:
            return False
        if m.reviews and not all(r.branch in self.ids[Branch] for r in m.reviews):
            return False
        ext, admitted = m.probation_extension, m.milestones.admitted
        cancelled = m.probation_cancelled
        if cancelled is not None and admitted is not None and cancelled < admitted:
            return False
        return ext is None or admitted is None or ext.decided >= admitted

    def _members(self) -> None:
        for i, m in self._clean("members", self._clean_member):
            path = f"members[{i}]"
            self._ref(f"{path}.branch", m.branch, Branch)
            self._group_in_branch(f"{path}.group", m.group, m.branch)
            self._refs(f"{path}.mentors", m.mentors, Member)
            self._refs(f"{path}.sponsors", m.sponsors, Member)
            self._ref(f"{path}.candidate_meeting", m.candidate_meeting, Meeting)
            for j, review in enumerate(m.reviews):
                self._ref(f"{path}.reviews[{j}].branch", review.branch, Branch)
            for field in ("mentors", "sponsors"):
                if m.id in getattr(m, field):
                    self.found.append(_p(f"{path}.{field}", "self_reference", t("不能是本人")))
            if m.resident_id is not None:
                if m.birth_date is not None and m.resident_id.birth_date != m.birth_date:
                    self.found.append(
                        _p(
                            f"{path}.birth_date",
                            "resident_id_mismatch",
                            t("出生日期与身份证号中的出生日期不一致"),
                        )
                    )
                if m.resident_id.is_male != (m.gender.code == "male"):
                    self.found.append(
                        _p(
                            f"{path}.gender",
                            "resident_id_mismatch",
                            t("性别与身份证号不一致"),
                        )
                    )
            if m.birth_date is not None:
                for name in _MILESTONES:
                    day = getattr(m.milestones, name)
                    if day is not None and day <= m.birth_date:
                        self.found.append(
                            _p(
                                f"{path}.milestones.{name}",
                                "before_birth",
                                t(
                                    "日期{day}不晚于出生日期{born}",
                                    day=day.isoformat(),
                                    born=m.birth_date.isoformat(),
                                ),
                            )
                        )
            if m.left is not None and not m.status.has_left:
                self.found.append(
                    _p(
                        f"{path}.left",
                        "status_mismatch",
                        t(
                            "填写了离开日期，状态却是「{status}」",
                            status=m.status.label,
                            code=m.status.code,
                        ),
                    )
                )
            ext = m.probation_extension
            admitted = m.milestones.admitted
            if ext is not None and admitted is not None and ext.decided < admitted:
                self.found.append(
                    _p(
                        f"{path}.probation_extension.decided",
                        "date_order",
                        t("延长预备期的决定早于接收为预备党员"),
                    )
                )
            cancelled = m.probation_cancelled
            if cancelled is not None and admitted is not None and cancelled < admitted:
                self.found.append(
                    _p(
                        f"{path}.probation_cancelled",
                        "date_order",
                        t(
                            "取消预备党员资格日期{cancelled}早于接收为预备党员日期{admitted}",
                            cancelled=cancelled.isoformat(),
                            admitted=admitted.isoformat(),
                        ),
                    )
                )

    def _attendance(
        self,
        path: str,
        day: dt.date,
        expected: Sequence[str],
        attended: Sequence[str],
        names: tuple[str, str],
    ) -> None:
        exp_name, att_name = names
        for j, member in enumerate(self._refs(f"{path}.{exp_name}", expected, Member)):
            self._alive_on(f"{path}.{exp_name}[{j}]", member, day)
        for j, member in enumerate(self._refs(f"{path}.{att_name}", attended, Member)):
            self._alive_on(f"{path}.{att_name}[{j}]", member, day)
        if expected:
            should = set(expected)
            for j, x in enumerate(attended):
                if x not in should:
                    self.found.append(
                        _p(
                            f"{path}.{att_name}[{j}]",
                            "not_expected",
                            t("「{member}」出席了，却不在应到名单中", member=x),
                        )
                    )

    def _clean_meeting(self, m: Meeting) -> bool:
        members = self.ids[Member]
        if not self._active(m.branch, m.group, m.date):
            return False
        for x in (m.chair, m.recorder, m.lecturer):
            if x is not None and x not in members:
                return False
        if not self._present(m.expected, m.date) or not self._present(m.attended, m.date):
            return False
        if m.expected and not set(m.expected).issuperset(m.attended):
            return False
        if m.absences:
            present = set(m.attended)
            for absence in m.absences:
                if absence.member not in members or absence.member in present:
                    return False
        expected, present_count = m.expected_count, m.present_count
        return (
            (expected is None or not m.expected or expected == len(m.expected))
            and (present_count is None or not m.attended or present_count == len(m.attended))
            and (expected is None or present_count is None or present_count <= expected)
        )

    def _meetings(self) -> None:
        for i, m in self._clean("meetings", self._clean_meeting):
            path = f"meetings[{i}]"
            branch = self._ref(f"{path}.branch", m.branch, Branch)
            self._org_exists_on(f"{path}.date", branch, m.date)
            self._group_in_branch(f"{path}.group", m.group, m.branch)
            for field in ("chair", "recorder", "lecturer"):
                self._ref(f"{path}.{field}", getattr(m, field), Member)
            self._attendance(path, m.date, m.expected, m.attended, ("expected", "attended"))
            present = set(m.attended)
            for j, absence in enumerate(m.absences):
                self._ref(f"{path}.absences[{j}].member", absence.member, Member)
                if absence.member in present:
                    self.found.append(
                        _p(
                            f"{path}.absences[{j}].member",
                            "absent_and_present",
                            t("「{member}」既在出席名单中又在缺席名单中", member=absence.member),
                        )
                    )
            self._count_agrees(f"{path}.expected_count", m.expected_count, m.expected, "应到")
            self._count_agrees(f"{path}.present_count", m.present_count, m.attended, "实到")
            if (
                m.expected_count is not None
                and m.present_count is not None
                and m.present_count > m.expected_count
            ):
                self.found.append(
                    _p(
                        f"{path}.present_count",
                        "count_mismatch",
                        t(
                            "实到{present}人多于应到{expected}人",
                            present=m.present_count,
                            expected=m.expected_count,
                        ),
                    )
                )

    def _clean_study_session(self, s: StudySession) -> bool:
        return (
            self._active(s.branch, s.group, s.date)
            and (s.speaker is None or s.speaker in self.ids[Member])
            and self._present(s.attendees, s.date)
            and (s.attendee_count is None or s.attendee_count >= len(s.attendees))
        )

    def _study_sessions(self) -> None:
        for i, s in self._clean("study_sessions", self._clean_study_session):
            path = f"study_sessions[{i}]"
            branch = self._ref(f"{path}.branch", s.branch, Branch)
            self._org_exists_on(f"{path}.date", branch, s.date)
            self._group_in_branch(f"{path}.group", s.group, s.branch)
            self._ref(f"{path}.speaker", s.speaker, Member)
            for j, member in enumerate(self._refs(f"{path}.attendees", s.attendees, Member)):
                self._alive_on(f"{path}.attendees[{j}]", member, s.date)
            if s.attendee_count is not None and s.attendee_count < len(s.attendees):
                self.found.append(
                    _p(
                        f"{path}.attendee_count",
                        "count_mismatch",
                        t(
                            "参加人数{count}少于名单中的{named}人",
                            count=s.attendee_count,
                            named=len(s.attendees),
                        ),
                    )
                )

    def _elections(self) -> None:
        for i, e in self._each("elections"):
            path = f"elections[{i}]"
            branch = self._ref(f"{path}.branch", e.branch, Branch)
            self._org_exists_on(f"{path}.date", branch, e.date)
            names = [c.member for c in e.candidates]
            for j, c in enumerate(e.candidates):
                self._ref(f"{path}.candidates[{j}].member", c.member, Member)
                if c.member in names[:j]:
                    self.found.append(
                        _p(
                            f"{path}.candidates[{j}].member",
                            "duplicate",
                            t("候选人「{member}」重复", member=c.member),
                        )
                    )
            self._attendance(
                path,
                e.date,
                e.voters_expected,
                e.voters_present,
                ("voters_expected", "voters_present"),
            )
            self._count_agrees(
                f"{path}.expected_count", e.expected_count, e.voters_expected, "应到"
            )
            self._count_agrees(f"{path}.present_count", e.present_count, e.voters_present, "实到")
            for j, x in enumerate(e.elected):
                if x not in names:
                    self.found.append(
                        _p(
                            f"{path}.elected[{j}]",
                            "not_a_candidate",
                            t("当选人「{member}」不在候选人名单中", member=x),
                        )
                    )
            if len(e.elected) > e.seats:
                self.found.append(
                    _p(
                        f"{path}.elected",
                        "too_many_elected",
                        t(
                            "当选{elected}人，多于应选{seats}名",
                            elected=len(e.elected),
                            seats=e.seats,
                        ),
                    )
                )
            if (
                e.ballots_issued is not None
                and e.ballots_returned is not None
                and e.ballots_returned > e.ballots_issued
            ):
                self.found.append(
                    _p(
                        f"{path}.ballots_returned",
                        "count_mismatch",
                        t(
                            "收回选票{returned}张，多于发出的{issued}张",
                            returned=e.ballots_returned,
                            issued=e.ballots_issued,
                        ),
                    )
                )

    def _talks_training_dues(self) -> None:
        born = self.born

        def clean_talk(talk: HeartToHeartTalk) -> bool:
            a, b = born.get(talk.initiator), born.get(talk.partner)
            return a is not None and b is not None and a <= talk.date and b <= talk.date

        def clean_training(r: TrainingRecord) -> bool:
            a = born.get(r.member)
            return a is not None and a <= r.date

        for i, talk in self._clean("talks", clean_talk):
            for field in ("initiator", "partner"):
                member = self._ref(f"talks[{i}].{field}", getattr(talk, field), Member)
                self._alive_on(f"talks[{i}].{field}", member, talk.date)
        for i, r in self._clean("trainings", clean_training):
            member = self._ref(f"trainings[{i}].member", r.member, Member)
            self._alive_on(f"trainings[{i}].member", member, r.date)
        payments = self.ledger.dues_payments
        if not self.quick or not self.member_ids.issuperset(map(_MEMBER, payments)):
            for i, d in self._each("dues_payments"):
                self._ref(f"dues_payments[{i}].member", d.member, Member)

    def _pairings(self) -> None:
        for i, p in self._each("pairings"):
            path = f"pairings[{i}]"
            self._ref(f"{path}.branch", p.branch, Branch)
            self._ref(f"{path}.first_secretary", p.first_secretary, Member)
            self._ref(f"{path}.team_leader", p.team_leader, Member)
            self._refs(f"{path}.team_members", p.team_members, Member)
            for j, a in enumerate(p.activities):
                self._ref(f"{path}.activities[{j}].meeting", a.meeting, Meeting)
            for j, visit in enumerate(p.visits):
                self._refs(f"{path}.visits[{j}].visitors", visit.visitors, Member)
            for j, work in enumerate(p.volunteer_work):
                self._refs(f"{path}.volunteer_work[{j}].volunteers", work.volunteers, Member)

    def _oversight(self) -> None:
        for i, r in self._each("rectifications"):
            self._ref(f"rectifications[{i}].branch", r.branch, Branch)
            for j, f in enumerate(r.follow_ups):
                if r.closed is not None and f.date < r.closed:
                    self.found.append(
                        _p(
                            f"rectifications[{i}].follow_ups[{j}].date",
                            "date_order",
                            t("回头看早于销号日期"),
                        )
                    )
        for i, letter in self._each("responsibility_letters"):
            self._ref(f"responsibility_letters[{i}].branch", letter.branch, Branch)
        for i, a in self._each("appraisals"):
            self._ref(f"appraisals[{i}].branch", a.branch, Branch)
            member = self._ref(f"appraisals[{i}].member", a.member, Member)
            self._alive_on(f"appraisals[{i}].member", member, a.date)
        for i, s in self._each("service_activities"):
            path = f"service_activities[{i}]"
            self._ref(f"{path}.branch", s.branch, Branch)
            for j, member in enumerate(self._refs(f"{path}.participants", s.participants, Member)):
                self._alive_on(f"{path}.participants[{j}]", member, s.start)
