"""dangjian: typed records of Party grassroots organisations (党建台账), loaded and checked.

The whole public API is listed here; everything else is machinery.
"""

# the presentation (output formats, HTML, data frames) registers itself on the entities
from dangjian import _frames, _html, outputs  # noqa: F401
from dangjian.calendar import CalendarError, WorkingCalendar
from dangjian.deadlines import DueItem, DueList, due
from dangjian.errors import DangjianError, LedgerError, Problem, ProblemsError, RuleError
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


def _version() -> str:
    """The version of the installed distribution: pyproject.toml is its one source."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dangjian")
    except PackageNotFoundError:  # a source tree on sys.path, never installed
        return "0+unknown"


__version__ = _version()
"""The version of dangjian, as pyproject.toml declares it (read from the installed metadata)."""

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
