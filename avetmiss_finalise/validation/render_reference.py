"""What every report format says about reference data: the files a run was checked against (name, date, SHA-256)
and the rules that did not run for want of something the user can give (a period, a reference file, an option).

``Report.reference_files`` and ``Report.rules_skipped`` hold the facts; the JSON and SARIF forms carry them whole;
here are the text lines and the JUnit elements. Only skips whose reason is a requirement's
(:data:`~.registry.REQUIREMENTS`) are listed here: rules left out by ``--rule``/``--disable``, another profile's,
finalisation's and the not-implemented ones are accounted for in JSON ``rules_skipped`` only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from avetmiss_finalise.validation.registry import REQUIREMENTS

if TYPE_CHECKING:
    from avetmiss_finalise.validation.report import Report

__all__ = ["junit_not_run", "junit_reference_properties", "not_run", "text_lines"]


def not_run(report: Report) -> dict[str, list[str]]:
    """Reason → the rule ids not run for it, for every requirement a rule of the run lacked."""
    reasons = {req.reason for req in REQUIREMENTS.values()}
    out: dict[str, list[str]] = {}
    for rule_id, why in sorted(report.rules_skipped.items()):
        if why in reasons:
            out.setdefault(why, []).append(rule_id)
    return out


def text_lines(report: Report) -> list[str]:
    """``Reference: …`` per file used, then ``Not run: …`` per missing requirement."""
    lines = [
        f"Reference: {f.kind} {f.name}, {f.rows:,} row{'' if f.rows == 1 else 's'}, modified {f.modified}, "
        f"sha256 {f.sha256}"
        for f in report.reference_files
    ]
    lines += [f"Not run, because {why}: {', '.join(ids)}" for why, ids in not_run(report).items()]
    return lines


def junit_reference_properties(suite: ET.Element, report: Report) -> None:
    """The reference files used, as testsuite properties (name → kind, date, SHA-256, rows)."""
    if not report.reference_files:
        return
    props = ET.SubElement(suite, "properties")
    for f in report.reference_files:
        value = f"{f.kind}; modified {f.modified}; sha256 {f.sha256}; {f.rows} rows"
        ET.SubElement(props, "property", name=f"reference {f.name}", value=value)


def junit_not_run(suites: ET.Element, report: Report, title: Callable[[str], str]) -> int:
    """A ``<not run>`` testsuite: one skipped testcase per rule not run for want of a requirement (the reason is
    the skip message, as CI servers show it); returns the testcases added."""
    missing = not_run(report)
    if not missing:
        return 0
    suite = ET.SubElement(suites, "testsuite", name="<not run>")
    n = 0
    for why, ids in missing.items():
        for rule_id in ids:
            case = ET.SubElement(suite, "testcase", classname="not-run", name=f"{rule_id} {title(rule_id)}".strip())
            ET.SubElement(case, "skipped", message=f"not run, because {why}")
            n += 1
    suite.set("tests", str(n))
    suite.set("failures", "0")
    suite.set("errors", "0")
    suite.set("skipped", str(n))
    return n
