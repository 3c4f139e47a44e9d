"""Boundary tests of the membership-lifecycle rules: charter.min_age, charter.sponsors,
charter.probation, charter.probation_ext, recruit.extension, recruit.first_talk,
recruit.mentors, recruit.cultivation and recruit.course."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from dangjian import Member, MemberStatus, Severity
from dangjian.findings import Finding
from dangjian.rules.kinds._common import add_months
from tests.builders.dues import D, findings_of, ledger, member, run, statuses, training

APPLICANT = MemberStatus.APPLICANT
ACTIVIST = MemberStatus.ACTIVIST
CANDIDATE = MemberStatus.CANDIDATE
PROBATIONARY = MemberStatus.PROBATIONARY
FULL = MemberStatus.FULL


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def one(found: list[Finding], rule: str, who: str) -> Finding:
    (f,) = [f for f in found if f.rule == rule and f.subject.id == who]
    return f


# -- charter.min_age -------------------------------------------------------------------------


def test_min_age_on_the_eighteenth_birthday() -> None:
    born = D(2000, 3, 15)
    birthday = D(2018, 3, 15)
    led = ledger(
        members=[
            member("on_birthday", status=APPLICANT, birth_date=born, applied=birthday),
            member(
                "day_before",
                status=APPLICANT,
                birth_date=born,
                applied=birthday - dt.timedelta(days=1),
            ),
            member("later", status=APPLICANT, birth_date=D(1990, 1, 1), applied=D(2018, 7, 1)),
            # applied outside the period checked: not judged
            member("earlier", status=APPLICANT, birth_date=born, applied=D(2017, 12, 31)),
            # no birth date: cannot be judged
            member("unknown", status=APPLICANT, birth_date=None, applied=D(2018, 5, 1)),
        ]
    )
    found = run(led, "2018", as_of=D(2019, 1, 1), only=["charter.min_age"])
    assert statuses(found, "charter.min_age") == {
        ("on_birthday", "2018-03"): "passed",
        ("day_before", "2018-03"): "failed",
        ("later", "2018-07"): "passed",
    }
    f = one(found, "charter.min_age", "day_before")
    assert f.message == "申请入党须年满18岁：2000-03-15出生，2018-03-14申请"
    assert f.day == D(2018, 3, 14)
    assert [(c.article, c.verified) for c in f.citations] == [("第一条", True)]


# -- charter.sponsors ------------------------------------------------------------------------

ADMITTED = D(2020, 5, 10)


def sponsors_ledger() -> list[Finding]:
    led = ledger(
        members=[
            member("s1", admitted=D(2010, 1, 1), converted=D(2011, 1, 1)),
            member("s2", admitted=D(2010, 1, 1), converted=D(2011, 1, 1)),
            # full from the very day of the admission: counts
            member("s_same_day", admitted=D(2019, 5, 10), converted=ADMITTED),
            # full only after the admission: does not count
            member("s_late", admitted=D(2019, 6, 1), converted=ADMITTED + dt.timedelta(days=1)),
            member("probationer", status=PROBATIONARY, admitted=D(2020, 1, 1)),
            member("two", status=PROBATIONARY, admitted=ADMITTED, sponsors=["s1", "s2"]),
            member("one", status=PROBATIONARY, admitted=ADMITTED, sponsors=["s1"]),
            member(
                "with_probationer",
                status=PROBATIONARY,
                admitted=ADMITTED,
                sponsors=["s1", "probationer"],
            ),
            member(
                "same_day", status=PROBATIONARY, admitted=ADMITTED, sponsors=["s1", "s_same_day"]
            ),
            member("late", status=PROBATIONARY, admitted=ADMITTED, sponsors=["s1", "s_late"]),
            member("none", status=PROBATIONARY, admitted=ADMITTED),
        ]
    )
    return run(led, "2020Q2", as_of=D(2020, 12, 31), only=["charter.sponsors"])


def test_sponsors_two_full_members() -> None:
    found = sponsors_ledger()
    assert statuses(found, "charter.sponsors") == {
        ("two", "2020-05"): "passed",
        ("one", "2020-05"): "failed",
        ("with_probationer", "2020-05"): "failed",
        ("same_day", "2020-05"): "passed",
        ("late", "2020-05"): "failed",
        ("none", "2020-05"): "failed",
    }
    f = one(found, "charter.sponsors", "with_probationer")
    assert f.message == "接收预备党员须有2名正式党员作入党介绍人，实有1名"
    assert f.message_en == "2 full members must sponsor an admission; 1 did"
    assert f.evidence == ("probationer", "s1")  # in the order of their ids
    assert one(found, "charter.sponsors", "two").message.endswith("实有2名")


# -- charter.probation -----------------------------------------------------------------------

ADMIT = D(2019, 6, 10)
DUE = D(2020, 6, 10)


def test_probation_converted_exactly_twelve_months_later() -> None:
    assert add_months(ADMIT, 12) == DUE
    led = ledger(
        members=[
            member("on_time", admitted=ADMIT, converted=DUE),
            member("early", admitted=ADMIT, converted=DUE - dt.timedelta(days=1)),
            member("late", admitted=ADMIT, converted=D(2020, 8, 1)),
        ]
    )
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["charter.probation"])
    assert statuses(found, "charter.probation") == {
        ("on_time", "2020-06"): "passed",
        ("early", "2020-06"): "failed",
        ("late", "2020-06"): "passed",
    }
    early = one(found, "charter.probation", "early")
    assert early.message == (
        "预备期12个月自2019-06-10起，2020-06-10期满，2020-06-09转正，预备期未满"
    )
    assert early.day == DUE
    assert "converted 2020-06-09 before it ended" in early.message_en


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (DUE - dt.timedelta(days=1), "pending"),
        (DUE, "pending"),
        (DUE + dt.timedelta(days=1), "failed"),
    ],
)
def test_probation_not_converted(as_of: dt.date, status: str) -> None:
    led = ledger(members=[member("waiting", status=PROBATIONARY, admitted=ADMIT)])
    found = run(led, "2020", as_of=as_of, only=["charter.probation"])
    assert statuses(found, "charter.probation") == {("waiting", "2020-06"): status}
    f = one(found, "charter.probation", "waiting")
    assert f.message == "预备期12个月自2019-06-10起，2020-06-10期满，尚未讨论转正"


def test_probation_outside_the_period_is_not_judged() -> None:
    led = ledger(
        members=[
            member("waiting", status=PROBATIONARY, admitted=ADMIT),
            member("done", admitted=D(2017, 1, 1), converted=D(2018, 1, 1)),
            # left before the probation ended, never converted: nothing to decide
            member("gone", status=MemberStatus.TRANSFERRED_OUT, admitted=ADMIT, left=D(2020, 1, 1)),
        ]
    )
    assert run(led, "2020Q1", as_of=D(2020, 12, 31), only=["charter.probation"]) == []
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["charter.probation"])
    assert statuses(found, "charter.probation") == {("waiting", "2020-06"): "failed"}


def test_probation_extension_moves_the_due_day() -> None:
    extended_due = add_months(ADMIT, 18)
    assert extended_due == D(2020, 12, 10)
    ext = (D(2020, 6, 1), 6)
    led = ledger(
        members=[
            member("on_time", admitted=ADMIT, converted=extended_due, extension=ext),
            member("at_first_due", admitted=ADMIT, converted=DUE, extension=ext),
            member("waiting", status=PROBATIONARY, admitted=ADMIT, extension=ext),
        ]
    )
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["charter.probation"])
    assert statuses(found, "charter.probation") == {
        ("on_time", "2020-12"): "passed",
        # converted in the period, before the extended probation ended
        ("at_first_due", "2020-12"): "failed",
        ("waiting", "2020-12"): "failed",
    }
    assert one(found, "charter.probation", "waiting").message == (
        "预备期12个月（延长6个月）自2019-06-10起，2020-12-10期满，尚未讨论转正"
    )
    found = run(led, "2020", as_of=D(2020, 12, 10), only=["charter.probation"])
    assert statuses(found, "charter.probation")["waiting", "2020-12"] == "pending"


# -- charter.probation_ext and recruit.extension ---------------------------------------------


@pytest.mark.parametrize(
    ("months", "charter", "recruit"),
    [
        (1, "passed", "failed"),
        (5, "passed", "failed"),
        (6, "passed", "passed"),
        (12, "passed", "passed"),
        (13, "failed", "failed"),
    ],
)
def test_extension_length(months: int, charter: str, recruit: str) -> None:
    decided = D(2020, 6, 5)
    led = ledger(
        members=[
            member("p", status=PROBATIONARY, admitted=D(2019, 6, 5), extension=(decided, months))
        ]
    )
    found = run(
        led, "2020", as_of=D(2020, 12, 31), only=["charter.probation_ext", "recruit.extension"]
    )
    assert statuses(found, "charter.probation_ext") == {("p", "2020-06"): charter}
    assert statuses(found, "recruit.extension") == {("p", "2020-06"): recruit}
    f = one(found, "recruit.extension", "p")
    assert f.message == f"延长预备期应为6至12个月，实为{months}个月"
    assert one(found, "charter.probation_ext", "p").message == (
        f"延长预备期应为1至12个月，实为{months}个月"
    )
    assert f.day == decided
    # judged in the period of the decision only
    assert run(led, "2019", as_of=D(2020, 12, 31), only=["recruit.extension"]) == []


# -- recruit.first_talk ----------------------------------------------------------------------

APPLIED = D(2020, 3, 10)
TALK_DUE = D(2020, 4, 10)


def test_first_talk_within_one_month() -> None:
    assert add_months(APPLIED, 1) == TALK_DUE
    led = ledger(
        members=[
            member("on_due", status=APPLICANT, applied=APPLIED, first_talk=TALK_DUE),
            member(
                "day_late",
                status=APPLICANT,
                applied=APPLIED,
                first_talk=TALK_DUE + dt.timedelta(days=1),
            ),
            member("same_day", status=APPLICANT, applied=APPLIED, first_talk=APPLIED),
            # the month's end is kept: January 31 + 1 month is February 29
            member("month_end", status=APPLICANT, applied=D(2020, 1, 31), first_talk=D(2020, 3, 1)),
            member("silent", status=APPLICANT, applied=APPLIED),
        ]
    )
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["recruit.first_talk"])
    assert statuses(found, "recruit.first_talk") == {
        ("on_due", "2020-03"): "passed",
        ("day_late", "2020-03"): "failed",
        ("same_day", "2020-03"): "passed",
        ("month_end", "2020-01"): "failed",
        ("silent", "2020-03"): "failed",
    }
    late = one(found, "recruit.first_talk", "day_late")
    assert late.message == (
        "收到入党申请书后1个月内谈话（2020-03-10申请，应于2020-04-10前），2020-04-11谈话"
    )
    assert "2020-02-29" in one(found, "recruit.first_talk", "month_end").message
    assert one(found, "recruit.first_talk", "silent").message.endswith("尚无谈话记录")


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(D(2020, 3, 20), "pending"), (TALK_DUE, "pending"), (D(2020, 4, 11), "failed")],
)
def test_first_talk_not_yet_held(as_of: dt.date, status: str) -> None:
    # somebody else's first talk is recorded: the ledger keeps these dates
    talked = member("talked", status=APPLICANT, applied=D(2019, 3, 1), first_talk=D(2019, 3, 5))
    led = ledger(members=[member("silent", status=APPLICANT, applied=APPLIED), talked])
    found = run(led, "2020", as_of=as_of, only=["recruit.first_talk"])
    assert statuses(found, "recruit.first_talk") == {("silent", "2020-03"): status}


# -- recruit.mentors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "status"), [(0, "failed"), (1, "passed"), (2, "passed"), (3, "failed")]
)
def test_mentors_one_or_two(n: int, status: str) -> None:
    mentors = [f"t{i}" for i in range(n)]
    # an activist of 2019 with a mentor: the ledger keeps mentors
    mentored = member(
        "b", status=ACTIVIST, applied=D(2019, 1, 5), activist=D(2019, 4, 1), mentors=["t9"]
    )
    led = ledger(
        members=[
            member("t9"),
            mentored,
            *(member(t) for t in mentors),
            member(
                "a", status=ACTIVIST, applied=D(2020, 1, 5), activist=D(2020, 4, 1), mentors=mentors
            ),
        ]
    )
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["recruit.mentors"])
    assert statuses(found, "recruit.mentors") == {("a", "2020-04"): status}
    f = one(found, "recruit.mentors", "a")
    assert f.message == f"入党积极分子应有1至2名培养联系人，实有{n}名"
    assert f.evidence == tuple(mentors)


# -- recruit.cultivation ---------------------------------------------------------------------


def test_cultivation_twelve_months_as_activist() -> None:
    activist = D(2019, 3, 15)
    led = ledger(
        members=[
            member("enough", status=CANDIDATE, activist=activist, candidate=D(2020, 3, 15)),
            member("short", status=CANDIDATE, activist=activist, candidate=D(2020, 3, 14)),
            member("no_activist_date", status=CANDIDATE, candidate=D(2020, 3, 14)),
        ]
    )
    found = run(led, "2020Q1", as_of=D(2020, 12, 31), only=["recruit.cultivation"])
    assert statuses(found, "recruit.cultivation") == {
        ("enough", "2020-03"): "passed",
        ("short", "2020-03"): "failed",
        ("no_activist_date", "2020-03"): "unknown",
    }
    assert one(found, "recruit.cultivation", "short").message == (
        "入党积极分子经12个月以上培养方可列为发展对象：2019-03-15确定为积极分子，2020-03-14列为发展对象"
    )


# -- recruit.course --------------------------------------------------------------------------


def test_course_twenty_four_hours_before_admission() -> None:
    activist, admitted = D(2019, 1, 10), D(2020, 5, 20)

    def person(id: str) -> object:
        return member(id, status=PROBATIONARY, activist=activist, admitted=admitted)

    led = ledger(
        members=[person("full_course"), person("half_hour_short"), person("outside")],
        trainings=[
            training("full_course", D(2019, 11, 1), "16", id="c1"),
            training("full_course", admitted, "8", id="c2"),  # on the day of admission: counts
            training("half_hour_short", D(2020, 4, 1), "23.5", id="h1"),
            # before becoming an activist, and after the admission: neither counts
            training("outside", D(2019, 1, 9), "20", id="o1"),
            training("outside", D(2020, 5, 21), "20", id="o2"),
            training("outside", activist, "4", id="o3"),
        ],
    )
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["recruit.course"])
    assert statuses(found, "recruit.course") == {
        ("full_course", "2020-05"): "passed",
        ("half_hour_short", "2020-05"): "failed",
        ("outside", "2020-05"): "failed",
    }
    short = one(found, "recruit.course", "half_hour_short")
    assert short.message == (
        "接收前应参加不少于24学时的集中培训，实有23.5学时，也未记录个别特殊情况（course_exception）"
    )
    assert short.message_en == (
        "at least 24 hours of training before admission; 23.5 recorded, and no exception is "
        "recorded (course_exception)"
    )
    assert short.severity is Severity.ERROR  # 不能发展入党: 不得
    assert sorted(one(found, "recruit.course", "full_course").evidence) == ["c1", "c2"]
    assert one(found, "recruit.course", "outside").evidence == ("o3",)


def with_exception(m: Member, text: str) -> Member:
    return attrs.evolve(m, milestones=attrs.evolve(m.milestones, course_exception=text))


@pytest.mark.parametrize(
    ("hours", "exception", "status"),
    [
        ("24", None, "passed"),  # just enough: no exception needed
        ("23.5", None, "failed"),  # just short, no exception: 不能发展入党
        ("23.5", "援外任务期间未能参加培训，经局机关党委同意", "passed"),
        (None, None, "unknown"),  # the ledger keeps no training records at all: cannot tell
        (None, "因病未能参加集中培训，经上级党委同意", "passed"),
    ],
)
def test_course_exception_recorded(hours, exception, status) -> None:
    """ "未经培训的，除个别特殊情况外，不能发展入党": short of the hours, an admission fails
    unless the milestones record the exception, which the finding then quotes."""
    admitted = D(2020, 5, 20)
    m = member("x", status=PROBATIONARY, activist=D(2019, 1, 10), admitted=admitted)
    if exception is not None:
        m = with_exception(m, exception)
    trainings = [training("x", D(2020, 4, 1), hours, id="t1")] if hours else []
    found = run(
        ledger(members=[m], trainings=trainings),
        "2020",
        as_of=D(2021, 1, 1),
        only=["recruit.course"],
    )
    assert statuses(found, "recruit.course") == {("x", "2020-05"): status}
    f = one(found, "recruit.course", "x")
    if exception is not None:
        assert exception in f.message and exception in f.message_en


@pytest.mark.parametrize(("admitted", "judged"), [(D(2014, 6, 9), False), (D(2014, 6, 10), True)])
def test_recruitment_rules_are_in_force_from_2014_06_10(admitted, judged) -> None:
    """发展党员工作细则 is issued on 2014-06-10: an admission the day before is not judged."""
    m = member("x", status=PROBATIONARY, activist=D(2013, 1, 10), admitted=admitted)
    short = [training("x", D(2014, 1, 5), "1", id="t1")]  # kept, and far short of the hours
    found = run(
        ledger(members=[m], trainings=short), "2014", as_of=D(2015, 1, 1), only=["recruit.course"]
    )
    assert statuses(found, "recruit.course") == ({("x", "2014-06"): "failed"} if judged else {})


def test_membership_findings_carry_the_rule_citations() -> None:
    led = ledger(members=[member("silent", status=APPLICANT, applied=APPLIED)])
    found = run(led, "2020", as_of=D(2020, 12, 31), only=["recruit."])
    (f,) = findings_of(found, "recruit.first_talk").values()
    assert f.citations and f.citations[0].document == "中国共产党发展党员工作细则"
    assert not f.citations[0].verified
    assert month_of(f.day or D(1, 1, 1)) == "2020-03"


def test_an_undecided_probation_is_failed_again_in_later_periods() -> None:
    """Due in June 2020 and still undecided: every later check fails it until it is decided."""
    led = ledger(
        members=[
            member("waiting", status=PROBATIONARY, admitted=ADMIT),
            member("decided", admitted=ADMIT, converted=DUE),
        ]
    )
    found = run(led, "2021Q1", as_of=D(2021, 4, 1), only=["charter.probation"])
    assert statuses(found, "charter.probation") == {("waiting", "2020-06"): "failed"}
