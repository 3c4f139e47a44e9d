"""What checking produces: findings, each with its status, subject, evidence and citations."""

from __future__ import annotations

import datetime as dt

import attrs

from dangjian import _views
from dangjian.i18n import N_, Language, Message, bilingual, t
from dangjian.model.enums import LabelledEnum
from dangjian.model.resident_id import mask_resident_ids
from dangjian.periods import Period

__all__ = [
    "Citation",
    "Finding",
    "Findings",
    "Gap",
    "Severity",
    "Status",
    "Subject",
    "Waiver",
]


def _masked_repr(text: str) -> str:
    """``repr`` of user text with any resident id in it masked (a member's name field may hold
    one typed in the wrong column)."""
    return repr(mask_resident_ids(text))


class Status(LabelledEnum):
    """The outcome of one requirement for one subject and sub-period.

    ``UNKNOWN`` (无法判断) is the verdict when the records cannot tell whether the requirement
    was met: attendance recorded only as counts, a record kind the ledger does not keep, a
    member who joined or left part-way through. Its message says why. It is never a failure:
    it does not set the exit code by default, a summary never names a person under 不足 for it,
    and reports count it apart.
    """

    PASSED = ("passed", N_("符合"))
    FAILED = ("failed", N_("不符合"))
    UNKNOWN = ("unknown", N_("无法判断"))
    PENDING = ("pending", N_("待定"))
    NOT_APPLICABLE = ("not_applicable", N_("不适用"))
    WAIVED = ("waived", N_("已豁免"))


class Gap(LabelledEnum):
    """Why the records cannot tell, for a finding that is ``UNKNOWN``: the label says what is
    missing, :attr:`remedy` what to add to the ledger so that the next check can judge.

    >>> Gap.COUNTS_ONLY.label
    '会议只记录了人数，未记录出席人员'
    >>> Gap.NOT_KEPT.remedy("en")
    'add the records of that kind to the ledger'
    """

    COUNTS_ONLY = ("counts_only", N_("会议只记录了人数，未记录出席人员"))
    NOT_KEPT = ("not_kept", N_("台账中没有这类记录"))
    DATES_MISSING = (
        "dates_missing",
        N_("未记录判断所需的日期（离开本组织、转正、确定为积极分子等）"),
    )
    DETAILS_MISSING = (
        "details_missing",
        N_("未记录判断所需的事项（应到和实到人数、党费交纳基数、所在党小组、任期年限等）"),
    )

    def remedy(self, lang: Language = "zh") -> str:
        """What to add to the ledger so that the requirement can be judged."""
        return _REMEDIES[self].render(lang)


_REMEDIES = {
    Gap.COUNTS_ONLY: t("补记各次会议的出席人名单"),
    Gap.NOT_KEPT: t("在台账中补记这类记录"),
    Gap.DATES_MISSING: t("补记相应的日期"),
    Gap.DETAILS_MISSING: t("补记相应的事项"),
}


class Severity(LabelledEnum):
    """How serious a failure of a rule is; ordered ``info < warning < error``."""

    INFO = ("info", N_("提示"))
    WARNING = ("warning", N_("警告"))
    ERROR = ("error", N_("错误"))

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return list(Severity).index(self)


@attrs.frozen(kw_only=True)
class Citation:
    """Where a requirement comes from: a document and, when known, its article.

    Attributes:
        document: The document (``中国共产党支部工作条例（试行）``).
        article: The article (``第十一条``), or ``None`` when the requirement has no single one.
        verified: Whether the article number was checked against the text; when false every
            rendering says so.
        note: Anything else worth saying about the source (local practice, the plan it is from).
    """

    document: str
    article: str | None = None
    verified: bool = False
    note: str | None = None

    def render(self, lang: Language = "zh") -> str:
        """The citation as one line: ``《…》第十一条``, with ``（条款号未核实）`` unless verified.

        >>> Citation(document="中国共产党支部工作条例（试行）", article="第十一条", verified=True).render()
        '《中国共产党支部工作条例（试行）》第十一条'
        >>> Citation(document="中国共产党基层组织选举工作条例").render("en")
        '《中国共产党基层组织选举工作条例》 (article number not verified)'
        """
        text = f"《{self.document}》"
        if self.article:
            text += self.article
        if not self.verified:
            text += _UNVERIFIED.render(lang)
        if self.note:
            text += t("（{note}）", note=self.note).render(lang)
        return text


_UNVERIFIED = t("（条款号未核实）")


@attrs.frozen(kw_only=True)
class Subject:
    """What a finding is about: an organisation, a group, a member or a record.

    Attributes:
        kind: ``branch``, ``group``, ``member``, ``meeting``, ``election``, ``payment``,
            ``rectification``, ``pairing``, ``organisation`` …
        id: The id of the subject in the ledger.
        name: A name to show (a member's name, a branch's name, a rectification's problem).
        branch: The id of the organisation the subject belongs to, for grouping.
    """

    kind: str
    id: str
    name: str = attrs.field(repr=_masked_repr)
    branch: str | None = None


@attrs.frozen(kw_only=True)
class Waiver:
    """A failure excused on purpose: gatherings suspended in an epidemic, for example.

    Attributes:
        rule: The id of the rule waived.
        period: The period the waiver covers; a finding is waived when its sub-period lies
            within it.
        reason: Why.
        approved_by: Who approved the waiver.
        subject: The id of the subject waived, or ``None`` for every subject.
        origin: Where the waiver was written (``waivers.toml: waiver[2]``), named when it matches
            nothing; not part of its identity.
    """

    rule: str
    period: Period
    reason: str
    approved_by: str
    subject: str | None = None
    origin: str | None = attrs.field(default=None, eq=False, repr=False)

    def covers(self, finding: Finding) -> bool:
        """Whether this waiver excuses ``finding``."""
        if finding.rule != self.rule:
            return False
        if self.subject is not None and self.subject not in (
            finding.subject.id,
            finding.subject.branch,
        ):
            return False
        if finding.period is None:
            return False
        return finding.period in self.period


@attrs.frozen(init=False)
class Finding:
    """One requirement, for one subject and one sub-period, and whether it was met.

    Attributes:
        rule: The id of the rule.
        status: Passed, failed, cannot tell (the records do not say; the message says why),
            pending (the period is not over yet), not applicable, waived.
        severity: The rule's severity.
        subject: What the finding is about.
        period: The sub-period judged, if the requirement is periodic.
        msg: What was required and what was found, as a :class:`~dangjian.i18n.Message`
            (``message=`` when made; ``message=…, message_en=…`` with both texts still works);
            :attr:`message`, :attr:`message_en` and :meth:`text` render it.
        evidence: Ids of the records that were counted.
        citations: Where the requirement comes from.
        waiver: The waiver that excused the failure, for a waived finding.
        day: The day the requirement fell due, for requirements with deadlines.
        gap: For a finding that cannot be told (``UNKNOWN``), what the records lack.
    """

    rule: str
    status: Status
    severity: Severity
    subject: Subject
    period: Period | None
    msg: Message = attrs.field(alias="message", repr=lambda m: mask_resident_ids(repr(m)))
    evidence: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    waiver: Waiver | None = None
    day: dt.date | None = None
    gap: Gap | None = None

    def __init__(
        self,
        *,
        rule: str,
        status: Status,
        severity: Severity,
        subject: Subject,
        period: Period | None,
        message: Message | str,
        message_en: str | None = None,
        evidence: tuple[str, ...] = (),
        citations: tuple[Citation, ...] = (),
        waiver: Waiver | None = None,
        day: dt.date | None = None,
        gap: Gap | None = None,
    ) -> None:
        if message.__class__ is not Message:
            message = bilingual(message, message_en)  # type: ignore[arg-type]
        self.__attrs_init__(
            rule=rule,
            status=status,
            severity=severity,
            subject=subject,
            period=period,
            message=message,
            evidence=evidence,
            citations=citations,
            waiver=waiver,
            day=day,
            gap=gap,
        )

    @property
    def message(self) -> str:
        """What was required and what was found, in Chinese."""
        return self.msg.render("zh")

    @property
    def message_en(self) -> str:
        """The same in English."""
        return self.msg.render("en")

    def text(self, lang: Language = "zh") -> str:
        """The message in ``lang``."""
        return self.msg.render(lang)

    def __repr__(self) -> str:
        """One line: status, rule, subject, period and the message, resident ids masked."""
        period = f" {self.period}" if self.period else ""
        text = mask_resident_ids(self.message)
        if len(text) > _SHORT:
            text = text[: _SHORT - 1] + "…"
        subject = mask_resident_ids(f"{self.subject.kind}:{self.subject.id} {self.subject.name}")
        return f"<Finding {self.status.code} {self.rule} {subject}{period}: {text}>"

    def _repr_html_(self) -> str:
        return _views.html(self)


_SHORT = 60
"""The most characters of a message that a finding's plain-text repr shows."""


class Findings(tuple[Finding, ...]):
    """Findings in order (a :class:`tuple`): :attr:`Report.findings <dangjian.Report.findings>`,
    :attr:`~dangjian.Report.failed`, :attr:`~dangjian.Report.unknown`.

    Its plain-text ``repr`` counts them by status in one line; a notebook shows them as a table
    (the first :data:`dangjian._html.MAX_ROWS`, the rest counted). Iterate, index or convert it
    with ``list`` to see each one.
    """

    __slots__ = ()

    def counts(self) -> dict[Status, int]:
        """How many findings have each status, the statuses present only, in their order."""
        found: dict[Status, int] = {}
        for f in self:
            found[f.status] = found.get(f.status, 0) + 1
        return {s: found[s] for s in Status if s in found}

    def __repr__(self) -> str:
        counted = "，".join(f"{s.label}{n}" for s, n in self.counts().items())
        return f"<Findings {len(self)}{'：' + counted if counted else ''}>"

    def _repr_html_(self) -> str:
        return _views.html(self)
