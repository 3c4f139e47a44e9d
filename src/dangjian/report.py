"""The report of a check: findings to filter, group, count and write out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from dangjian import _views
from dangjian.errors import DangjianError, Language, Problem
from dangjian.findings import Finding, Findings, Severity, Status
from dangjian.i18n import given, t
from dangjian.periods import Period

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GroupKey", "OutputFormat", "Report"]

GroupKey = Literal["rule", "branch", "status", "severity", "period", "subject"]
OutputFormat = str
"""The name of an output format of :mod:`dangjian.outputs` (``text``, ``json``, ``markdown``,
``csv``, ``junit``, ``xlsx``, or one registered with :func:`dangjian.outputs.register_format`)."""

_KEYS: dict[str, Callable[[Finding], str]] = {
    "rule": lambda f: f.rule,
    "branch": lambda f: f.subject.branch or "",
    "status": lambda f: f.status.code,
    "severity": lambda f: f.severity.code,
    "period": lambda f: str(f.period) if f.period else "",
    "subject": lambda f: f"{f.subject.kind}:{f.subject.id}",
}


@attrs.frozen(kw_only=True)
class Report:
    """Every finding of a check, with what was checked.

    Attributes:
        findings: The findings, in the order of the rules and then of the subjects.
        period: The period checked.
        as_of: The day of judging.
        profile: The profile of rules used.
        titles: The Chinese and English title of each rule, by id.
        notices: What the user wrote that matched nothing (a waiver of an unknown rule, a
            subject not in the ledger, a period outside the check, ``disable`` of an unknown
            rule), kept as warnings when the check ran with ``allow_unmatched=True``; without
            it each is an error and there is no report. Also, always, each waiver that covers
            findings which cannot be told and so was not applied (``waiver_on_unknown``).
    """

    findings: Findings = attrs.field(converter=Findings)
    period: Period
    as_of: dt.date
    profile: str
    titles: dict[str, tuple[str, str]] = attrs.field(factory=dict, eq=False)
    totals: dict[Status, int] | None = attrs.field(default=None, eq=False)
    """The counts of the report before any :meth:`filter`, kept for its summary line."""
    notices: tuple[Problem, ...] = attrs.field(default=(), eq=False)
    names: dict[str, str] = attrs.field(factory=dict, eq=False)
    """The names of the ledger's organisations by id, for the ``branch_name`` of
    :meth:`to_frame` (a check of the object engine fills it)."""

    # -- selecting -------------------------------------------------------------------------

    def filter(
        self,
        *,
        rule: str | None = None,
        branch: str | None = None,
        status: Status | str | Sequence[Status | str] | None = None,
        severity: Severity | str | None = None,
        at_least: Severity | str | None = None,
    ) -> Report:
        """The report with only the findings that match every criterion given.

        Args:
            rule: A rule id, or a prefix ending in ``.`` (``branch.``).
            branch: The id of the organisation of the finding's subject.
            status: A status or its code, or several of them.
            severity: A severity or its code.
            at_least: Only findings of this severity or a more serious one.
        """
        if status is None:
            statuses = None
        else:
            wanted = (status,) if isinstance(status, str | Status) else tuple(status)
            statuses = {Status.parse(s) if isinstance(s, str) else s for s in wanted}
        want_severity = Severity.parse(severity) if isinstance(severity, str) else severity
        floor = Severity.parse(at_least) if isinstance(at_least, str) else at_least

        def keep(f: Finding) -> bool:
            if rule is not None and not (
                f.rule == rule or (rule.endswith(".") and f.rule.startswith(rule))
            ):
                return False
            if branch is not None and f.subject.branch != branch:
                return False
            if statuses is not None and f.status not in statuses:
                return False
            if want_severity is not None and f.severity is not want_severity:
                return False
            return floor is None or f.severity.rank >= floor.rank

        return attrs.evolve(
            self,
            findings=tuple(f for f in self.findings if keep(f)),
            totals=self.totals or self.counts(),
        )

    def group_by(self, key: GroupKey) -> dict[str, Report]:
        """Reports of the findings that share a rule, branch, status, severity, period or subject."""
        groups: dict[str, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(_KEYS[key](f), []).append(f)
        return {k: attrs.evolve(self, findings=tuple(v)) for k, v in groups.items()}

    def counts(self) -> dict[Status, int]:
        """How many findings have each status (every status present, zero included)."""
        counter = Counter(f.status for f in self.findings)
        return {s: counter.get(s, 0) for s in Status}

    @property
    def failed(self) -> Findings:
        """The failed findings."""
        return Findings(f for f in self.findings if f.status is Status.FAILED)

    @property
    def unknown(self) -> Findings:
        """The findings the records cannot decide (无法判断)."""
        return Findings(f for f in self.findings if f.status is Status.UNKNOWN)

    def exit_code(self, fail_on: Severity | str = Severity.ERROR, *, unknown: bool = False) -> int:
        """1 when some finding of severity ``fail_on`` or above failed, else 0.

        Args:
            fail_on: The least severity that counts.
            unknown: Count findings the records cannot decide (无法判断) as failures too. By
                default they do not set the exit code: they are below a failure.
        """
        floor = Severity.parse(fail_on) if isinstance(fail_on, str) else fail_on
        judged = self.failed + self.unknown if unknown else self.failed
        return int(any(f.severity.rank >= floor.rank for f in judged))

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    # -- writing ---------------------------------------------------------------------------

    def render(self, format: OutputFormat = "text", lang: Language = "zh") -> str:
        """The report as ``text``, ``json``, ``markdown``, ``csv`` or ``junit`` (JUnit XML), or
        in a text format registered with :func:`dangjian.outputs.register_format`.

        Whatever in it validates as a resident id (a name or an id typed in the wrong field) is
        masked.

        Raises:
            DangjianError: There is no such format, or it is binary (``xlsx``: see
                :meth:`to_bytes`).
        """
        out = _views.write(self, format, lang)
        if isinstance(out, bytes):
            binary = t("{format} 是二进制格式，请用 Report.to_bytes", format=format)
            raise DangjianError(binary)
        return out

    def to_bytes(self, format: OutputFormat = "text", lang: Language = "zh") -> bytes:
        """The report in any output format as bytes: a text format in UTF-8, a binary one
        (``xlsx``, needs the ``excel`` extra) as it is; resident ids masked as by :meth:`render`.

        Raises:
            DangjianError: There is no such format.
        """
        out = _views.write(self, format, lang)
        return out if isinstance(out, bytes) else out.encode("utf-8")

    def title(self, rule: str, lang: Language = "zh") -> str:
        """The title of rule ``rule`` in ``lang`` (the id when unknown)."""
        zh, en = self.titles.get(rule, (rule, rule))
        return given({"zh": zh, "en": en}).render(lang)

    def summary_line(self, lang: Language = "zh") -> str:
        """One line counting the findings by status."""
        counts = self.totals or self.counts()
        parts = [t("{status}{n}", status=s.text(lang), n=n) for s, n in counts.items()]
        line = t(
            "{period}（截至{as_of}，规则集 {profile}）：{counts}{shown}",
            period=self.period.label(lang),
            as_of=self.as_of.isoformat(),
            profile=self.profile,
            counts=t("，").render(lang).join(p.render(lang) for p in parts),
            shown=t("；以下列出{n}条", n=len(self)) if self.totals else "",
        )
        return line.render(lang)

    def to_frame(self, lang: Language = "zh", *, labels: Language | None = None) -> pd.DataFrame:
        """The findings as a pandas data frame, one row per finding (needs the ``frames`` extra).

        Columns: ``rule``, ``title`` (the rule's title in ``lang``), ``status`` and ``severity``
        (categorical codes; severity ordered ``info < warning < error``), ``subject_kind``,
        ``subject_id``, ``subject_name``, ``branch``, ``period`` (text: ``2020-03``), ``day``
        (``datetime64[s]``, ``NaT`` when the finding has no day), ``message`` (in ``lang``),
        ``gap`` (a categorical code: what the records lack, for a finding that cannot be told;
        missing otherwise), ``remedy`` (what to add, in ``lang``), ``evidence`` (a list of record ids), ``citations`` (a list of rendered citations) and
        ``waiver_reason``; beside ``branch`` its name, ``branch_name`` (from :attr:`names`).
        What is missing is pandas' missing value: ``<NA>`` in text and list columns (never
        ``None``), ``NaT`` in ``day``, NaN in the categorical codes; ``isna()`` finds each.

        ``labels="zh"`` (or ``"en"``) names the columns by their labels in that language
        (``规则``, ``状态`` …) and shows the values of ``status``, ``severity`` and ``gap`` by
        their labels (``不符合``) instead of their codes.

        Raises:
            DangjianError: pandas is not installed.
        """
        return _views.frame(self, lang, labels)

    def __repr__(self) -> str:
        """One line: the period, the day of judging, the profile and the counts by status
        (:meth:`summary_line`); the findings are in :attr:`findings` and the HTML view."""
        return f"<Report {self.summary_line()}>"

    def _repr_html_(self) -> str:
        return _views.html(self)
