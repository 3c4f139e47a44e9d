"""dangjian: typed records of Party grassroots organisations (党建台账), loaded and checked.

The whole public API is listed here; everything else is machinery.
"""

from typing import TYPE_CHECKING, Any

from dangjian import _views

if TYPE_CHECKING:
    from dangjian.calendar import CalendarError, WorkingCalendar
    from dangjian.deadlines import DueItem, DueList, due
    from dangjian.errors import (
        DangjianError,
        LedgerError,
        LoadNotice,
        Problem,
        ProblemsError,
        RuleError,
    )
    from dangjian.findings import (
        Citation,
        Finding,
        Findings,
        Gap,
        Severity,
        Status,
        Subject,
        Waiver,
    )
    from dangjian.io import dump, dumps, load, loads, make_converter
    from dangjian.ledger import RECORD_KINDS, Ledger, RecordKind
    from dangjian.merging import MergeError, merge
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
        LabelledEnum,
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
        dues_base,
    )
    from dangjian.periods import Period, PeriodError, PeriodUnit
    from dangjian.planning import AnnualPlan, PlannedEvent, plan
    from dangjian.report import Report
    from dangjian.rules import (
        Registry,
        Rule,
        RuleKind,
        RuleSet,
        check,
        default_registry,
        load_rules,
        load_waivers,
    )
    from dangjian.scoring import load_scheme, scorecard
    from dangjian.summary import WorkSummary, summarize

_PLACES = {
    "dangjian.calendar": "CalendarError WorkingCalendar",
    "dangjian.deadlines": "DueItem DueList due",
    "dangjian.errors": "DangjianError LedgerError LoadNotice Problem ProblemsError RuleError",
    "dangjian.findings": "Citation Finding Findings Gap Severity Status Subject Waiver",
    "dangjian.io": "dump dumps load loads make_converter",
    "dangjian.ledger": "RECORD_KINDS Ledger RecordKind",
    "dangjian.merging": "MergeError merge",
    "dangjian.model": (
        "Absence AbsenceReason ActivistReview Appraisal AppraisalKind Branch "
        "Candidate CommitteeRole CommitteeSeat Donation DuesCategory DuesPayment "
        "Election ElectionDelay ElectionKind FollowUp Gender Grade "
        "HeartToHeartTalk JointActivity LabelledEnum Meeting MeetingKind Member "
        "MemberStatus Milestones Month OrgCategory OrgLevel PairingVillage "
        "PartyGroup PovertyProject ProbationExtension RectificationItem "
        "RectificationSource RectificationStatus ResidentId Resolution "
        "ResponsibilityLetter ServiceActivity ServiceKind StudyAudience StudyForm "
        "StudySession TrainingRecord Transfer TransferDirection VillageTraining "
        "VillageVisit VolunteerWork dues_base"
    ),
    "dangjian.periods": "Period PeriodError PeriodUnit",
    "dangjian.planning": "AnnualPlan PlannedEvent plan",
    "dangjian.report": "Report",
    "dangjian.rules": (
        "Registry Rule RuleKind RuleSet check default_registry load_rules load_waivers"
    ),
    "dangjian.scoring": "load_scheme scorecard",
    "dangjian.summary": "WorkSummary summarize",
}
"""Where each public name lives: the names of each module, separated by spaces. Importing
:mod:`dangjian` imports none of these modules; a name's module is imported when the name is first
asked for (:func:`__getattr__`), so that a program that needs part of the package (the table
engine, one command of the command line) does not pay for the rest. The imports above, for type
checkers only, name the same (a test compares them)."""

_WHERE = {name: module for module, names in _PLACES.items() for name in names.split()}

_SUBMODULES = frozenset(
    [
        "calendar",
        "deadlines",
        "errors",
        "findings",
        "i18n",
        "io",
        "ledger",
        "merging",
        "model",
        "outputs",
        "periods",
        "planning",
        "report",
        "rules",
        "scoring",
        "summary",
    ]
)
"""The modules that ``import dangjian`` made attributes of the package (``dangjian.rules``) when
it imported them all; they still are, imported when first asked for."""


def _presentation() -> None:
    """Import the presentation (output formats, HTML, data frames), which registers itself on the
    entities: ``dangjian._views`` calls this the first time a view is asked for."""
    from dangjian import _frames, _html, outputs  # noqa: F401


_views.load_with(_presentation)


def __getattr__(name: str) -> Any:
    """The public name ``name``, its module imported on first use (and kept in the package)."""
    import importlib

    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    elif name == "__version__":
        # the version of dangjian, as pyproject.toml declares it (read from the installed
        # metadata on first use: importing importlib.metadata takes 40 ms)
        value = _version()
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


def _version() -> str:
    """The version of the installed distribution: pyproject.toml is its one source."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dangjian")
    except PackageNotFoundError:  # a source tree on sys.path, never installed
        return "0+unknown"


__all__ = [
    "RECORD_KINDS",
    "Absence",
    "AbsenceReason",
    "ActivistReview",
    "AnnualPlan",
    "Appraisal",
    "AppraisalKind",
    "Branch",
    "CalendarError",
    "Candidate",
    "Citation",
    "CommitteeRole",
    "CommitteeSeat",
    "DangjianError",
    "Donation",
    "DueItem",
    "DueList",
    "DuesCategory",
    "DuesPayment",
    "Election",
    "ElectionDelay",
    "ElectionKind",
    "Finding",
    "Findings",
    "FollowUp",
    "Gap",
    "Gender",
    "Grade",
    "HeartToHeartTalk",
    "JointActivity",
    "LabelledEnum",
    "Ledger",
    "LedgerError",
    "LoadNotice",
    "Meeting",
    "MeetingKind",
    "Member",
    "MemberStatus",
    "MergeError",
    "Milestones",
    "Month",
    "OrgCategory",
    "OrgLevel",
    "PairingVillage",
    "PartyGroup",
    "Period",
    "PeriodError",
    "PeriodUnit",
    "PlannedEvent",
    "PovertyProject",
    "ProbationExtension",
    "Problem",
    "ProblemsError",
    "RecordKind",
    "RectificationItem",
    "RectificationSource",
    "RectificationStatus",
    "Registry",
    "Report",
    "ResidentId",
    "Resolution",
    "ResponsibilityLetter",
    "Rule",
    "RuleError",
    "RuleKind",
    "RuleSet",
    "ServiceActivity",
    "ServiceKind",
    "Severity",
    "Status",
    "StudyAudience",
    "StudyForm",
    "StudySession",
    "Subject",
    "TrainingRecord",
    "Transfer",
    "TransferDirection",
    "VillageTraining",
    "VillageVisit",
    "VolunteerWork",
    "Waiver",
    "WorkSummary",
    "WorkingCalendar",
    "__version__",
    "check",
    "default_registry",
    "due",
    "dues_base",
    "dump",
    "dumps",
    "load",
    "load_rules",
    "load_scheme",
    "load_waivers",
    "loads",
    "make_converter",
    "merge",
    "plan",
    "scorecard",
    "summarize",
]
