"""The ``junit`` output: JUnit XML, a test suite per rule and a test case per finding."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from dangjian._escape import xml_document, xml_text
from dangjian.errors import Language
from dangjian.findings import Status
from dangjian.i18n import t
from dangjian.outputs.registry import ReportFormat
from dangjian.report import Report

__all__ = ["FORMAT", "write"]


def write(report: Report, lang: Language) -> str:
    """The report as JUnit XML: a failed finding a failure, one that is not passed skipped."""
    suites = ET.Element("testsuites", name=f"dangjian {report.period}")
    _suites(suites, report, lang)
    # what XML cannot hold (control characters in the ledger's text) is shown escaped
    for element in suites.iter():
        element.attrib.update({k: xml_text(v) for k, v in element.attrib.items()})
        if element.text:
            element.text = xml_text(element.text)
    ET.indent(suites)
    body = xml_document(ET.tostring(suites, encoding="unicode"))  # safe on a terminal too
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _suites(suites: ET.Element, report: Report, lang: Language) -> None:
    for rule, group in report.group_by("rule").items():
        counts = group.counts()
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=rule,
            tests=str(len(group)),
            failures=str(counts[Status.FAILED]),
            skipped=str(
                counts[Status.UNKNOWN]
                + counts[Status.PENDING]
                + counts[Status.NOT_APPLICABLE]
                + counts[Status.WAIVED]
            ),
        )
        for f in group.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=rule,
                name=f"{f.subject.kind}:{f.subject.id} {f.period or ''}".strip(),
            )
            text = f"{f.text(lang)}\n" + "\n".join(c.render(lang) for c in f.citations)
            if f.status is Status.FAILED:
                ET.SubElement(
                    case, "failure", message=f.text(lang), type=f.severity.code
                ).text = text
            elif f.status is not Status.PASSED:
                ET.SubElement(case, "skipped", message=f"{f.status.code}: {f.text(lang)}")


FORMAT = ReportFormat(
    "junit",
    write,
    ".xml",
    description=t("JUnit XML，每条结果一个测试用例，供持续集成"),
)
