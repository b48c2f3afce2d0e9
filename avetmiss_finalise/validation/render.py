"""Render a :class:`Report` for people (text), machines (JSON, CSV) and CI (JUnit XML).

Every renderer works from the masked findings frame, so personal values never leave the report unless
``show_personal_data`` is set. Listing is bounded: per rule at most ``max_locations`` locations are shown in the
text and JUnit forms ("and 123 more"); JSON and CSV carry every finding.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import pandas as pd

from avetmiss_finalise import formats
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat.layouts import FILE_IDS
from avetmiss_finalise.validation.engine import FINDING_COLUMNS
from avetmiss_finalise.validation.registry import REGISTRY
from avetmiss_finalise.validation.render_reference import junit_not_run, junit_reference_properties, text_lines
from avetmiss_finalise.validation.report import Report

if TYPE_CHECKING:
    from avetmiss_finalise.summary import Summary

__all__ = ["FORMATS", "render", "render_csv", "render_html", "render_json", "render_junit", "render_text"]


def _title(rule_id: str, fallback: str) -> str:
    r = REGISTRY.get(rule_id)
    return r.title if r is not None else fallback


def _fix(rule_id: str) -> str:
    r = REGISTRY.get(rule_id)
    return r.fix if r is not None else ""


def _file_order(file: str) -> int:
    return FILE_IDS.index(file) if file in FILE_IDS else (-1 if file == "" else len(FILE_IDS))


def _ordered(df: pd.DataFrame) -> pd.DataFrame:
    """Findings sorted by file (submission order), worst severity first, rule id, line."""
    out = df.assign(_file=df["file"].fillna(""))
    worst = out.groupby(["_file", "rule_id"], observed=True)["severity"].transform("max")
    out = out.assign(_order=out["_file"].map(_file_order), _worst=-worst.cat.codes)
    return out.sort_values(["_order", "_file", "_worst", "rule_id", "line"], kind="stable", na_position="first")


Row = dict[str, Any]


def rows_of(df: pd.DataFrame) -> list[Row]:
    """The (ordered) findings as plain dicts, missing values as ``None``: one conversion for the whole frame, so
    renderers walk findings in Python at a few microseconds each instead of paying pandas per group or per row
    (a zip of 100,000 junk members has 100,000 one-finding groups)."""
    if df.empty:
        return []
    clean = df.astype(object).where(df.notna(), None)
    return clean.to_dict(orient="records")  # type: ignore[return-value]


def _location(row: Row) -> str:
    parts = [row["file"] if isinstance(row["file"], str) else "<collection>"]
    if row["line"] is not None:
        parts.append(str(int(row["line"])))
        if row["col_start"] is not None:
            parts.append(f"{int(row['col_start'])}-{int(row['col_end'])}")
    where = ":".join(parts)
    if isinstance(row["field"], str):
        where += f" {row['field']}"
    return where


def _describe(row: Row) -> str:
    text = f"{_location(row)}: {row['message']}"
    extras = []
    if isinstance(row["value"], str):
        extras.append(f"value {row['value']!r}")
    if isinstance(row["client_id"], str):
        extras.append(f"client {row['client_id']}")
    return f"{text} ({', '.join(extras)})" if extras else text


def _grouped(rows: list[Row], key: str) -> dict[Any, list[Row]]:
    """``rows`` split by ``key``, groups in order of first appearance (rows keep their order)."""
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


_SEVERITY_RANK = {s.label: int(s) for s in Severity}


def _worst(rows: list[Row]) -> str:
    return str(max((r["severity"] for r in rows), key=lambda label: _SEVERITY_RANK[str(label)]))


def _max_locations(report: Report, max_locations: int | None) -> int:
    return report.options.max_locations if max_locations is None else max_locations


def _plural(n: int, label: str) -> str:
    return f"{n} {label}" if n == 1 or label == "info" else f"{n} {label}s"


def render_text(
    report: Report, *, max_locations: int | None = None, show_personal_data: bool | None = None, **_unused: object
) -> str:
    """Counts first (by severity, then per file and rule), then up to ``max_locations`` locations per rule."""
    limit = _max_locations(report, max_locations)
    df = _ordered(report.to_frame(show_personal_data=show_personal_data))
    counts = report.counts()
    out = io.StringIO()
    head = f"Validation of {report.source or 'collection'} — profile {report.profile}"
    if report.period is not None:
        head += f", period {report.period.start.isoformat()} to {report.period.end.isoformat()}"
    else:
        head += ", no collection period (--period not given: collection-period rules not run)"
    head += ", interim" if report.interim else ", final"
    out.write(head + "\n")
    if report.files:
        out.write("Records: " + ", ".join(f"{f} {n}" for f, n in report.files.items()) + "\n")
    for line in text_lines(report):
        out.write(line + "\n")
    out.write("Summary: " + ", ".join(_plural(n, label) for label, n in counts.items()) + "\n")
    if df.empty:
        out.write("No findings.\n")
        return out.getvalue()
    for file, by_file in _grouped(rows_of(df), "_file").items():
        name = str(file) or "<collection>"
        out.write(f"\n{name}: {len(by_file)} finding(s)\n")
        for rule_id, by_rule in _grouped(by_file, "rule_id").items():
            first = by_rule[0]
            avs = first["avs_number"] if isinstance(first["avs_number"], str) else "-"
            title = _title(str(rule_id), str(first["message"]))
            out.write(f"  {rule_id}  {_worst(by_rule)}  AVS {avs}  {title}: {len(by_rule)}\n")
            fix = _fix(str(rule_id))
            if fix:
                out.write(f"    How to fix: {fix}\n")
            for row in by_rule[:limit]:
                out.write(f"    {_describe(row)}\n")
            if len(by_rule) > limit:
                out.write(f"    … and {len(by_rule) - limit} more\n")
    return out.getvalue()


def render_json(report: Report, *, show_personal_data: bool | None = None, **_: object) -> str:
    """The versioned JSON report (docs/report-schema.md)."""
    return report.to_json(show_personal_data=show_personal_data) + "\n"


def render_csv(report: Report, *, show_personal_data: bool | None = None, **_: object) -> str:
    """One line per finding, columns as the findings frame."""
    df = _ordered(report.to_frame(show_personal_data=show_personal_data))[list(FINDING_COLUMNS)]
    return str(df.to_csv(index=False, lineterminator="\n"))


def render_junit(
    report: Report,
    *,
    fail_on: Severity = Severity.ERROR,
    max_locations: int | None = None,
    show_personal_data: bool | None = None,
    **_unused: object,
) -> str:
    """JUnit XML: one testsuite per file, one testcase per rule; a failure when findings reach ``fail_on``.

    ``timestamp``, ``time`` and ``hostname`` come from ``report.run`` (set by the CLI) and are left out without it.
    """
    limit = _max_locations(report, max_locations)
    df = _ordered(report.to_frame(show_personal_data=show_personal_data))
    suites = ET.Element("testsuites", name="avetmiss-finalise validate")
    by_file = _grouped(rows_of(df), "_file")
    files = list(report.files) + [f for f in by_file if f not in report.files]
    # Passing testcases only for rules that were checked: not finalisation rules, not rules left out by
    # --rule/--disable, not rules of another profile. A NAT file gets the rules of its file, the collection
    # ("") the rules of no file; any other name (a junk member of a zip) only the rules that found something.
    checked = (
        report.rules_run
        if report.rules_run is not None
        else tuple(r.id for r in REGISTRY.values() if r.check is not None or r.family == "read")
    )
    rules = [
        r for r in (REGISTRY[i] for i in checked if i in REGISTRY) if r.profiles is None or report.profile in r.profiles
    ]
    applicable: dict[str, list[str]] = {"": sorted(r.id for r in rules if not r.files)}
    for fid in FILE_IDS:
        applicable[fid] = sorted(r.id for r in rules if fid in r.files or not r.files)
    total_tests = total_failures = 0
    for file in sorted(files, key=lambda f: (_file_order(f), f)):
        found_by_rule = _grouped(by_file.get(file, []), "rule_id")
        rule_ids = list(dict.fromkeys([*applicable.get(file, ()), *found_by_rule]))
        suite = ET.SubElement(suites, "testsuite", name=file or "<collection>")
        junit_reference_properties(suite, report)
        failures = 0
        for rule_id in rule_ids:
            case = ET.SubElement(
                suite, "testcase", classname=file or "collection", name=f"{rule_id} {_title(str(rule_id), '')}".strip()
            )
            found = found_by_rule.get(rule_id)
            if not found:
                continue
            lines = [_describe(row) for row in found[:limit]]
            if len(found) > limit:
                lines.append(f"… and {len(found) - limit} more")
            if _fix(str(rule_id)):
                lines.append(f"How to fix: {_fix(str(rule_id))}")
            worst = Severity.parse(_worst(found))
            if worst >= fail_on:
                failures += 1
                fail = ET.SubElement(
                    case, "failure", message=f"{len(found)} finding(s) ({worst.label})", type=worst.label
                )
                fail.text = "\n".join(lines)
            else:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(lines)
        suite.set("tests", str(len(rule_ids)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_tests += len(rule_ids)
        total_failures += failures
    total_tests += junit_not_run(suites, report, lambda rule_id: _title(rule_id, ""))
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    _junit_run(suites, report)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _junit_run(suites: ET.Element, report: Report) -> None:
    """JUnit's when / how long / where, on ``<testsuites>`` and every ``<testsuite>`` (the run is one)."""
    run = report.run
    if run is None:
        return
    attributes = {}
    if run.generated_at is not None:
        # JUnit's xs:dateTime, in the zone the time was taken in (CI servers show it as is).
        attributes["timestamp"] = run.generated_at.replace(microsecond=0).isoformat()
    if run.duration_seconds is not None:
        attributes["time"] = f"{run.duration_seconds:.3f}"
    for element in (suites, *suites.iter("testsuite")):
        for key, value in attributes.items():
            element.set(key, value)
        if run.hostname and element.tag == "testsuite":
            element.set("hostname", run.hostname)


def render_html(
    report: Report,
    *,
    fail_on: Severity = Severity.ERROR,
    show_personal_data: bool | None = None,
    summary: Summary | None = None,
    generated: str | None = None,
    **_: object,
) -> str:
    """One self-contained HTML page, a view of :meth:`Report.to_dict` (and of ``summary``, when given).

    Needs the optional ``[html]`` extra (:class:`avetmiss_finalise.html.MissingExtraError` says how to install it).
    """
    from avetmiss_finalise import __version__
    from avetmiss_finalise.html import render_validation_html

    return render_validation_html(
        report.to_dict(show_personal_data=show_personal_data),
        fail_on=fail_on.label,
        summary=None if summary is None else summary.to_dict(),
        tool_version=__version__,
        generated=generated or _generated(report),
    )


def _generated(report: Report) -> str | None:
    """When the report was made (``report.run``, set by the CLI), as the HTML page shows it."""
    when = None if report.run is None else report.run.generated_at
    return None if when is None else when.replace(microsecond=0).isoformat()


#: Every report format by name (:mod:`avetmiss_finalise.formats`; register a new one there).
FORMATS = formats.FORMATS


def render(
    report: Report,
    fmt: str = "text",
    *,
    fail_on: Severity = Severity.ERROR,
    max_locations: int | None = None,
    show_personal_data: bool | None = None,
    summary: Summary | None = None,
) -> str:
    """Render ``report`` in ``fmt``: any format registered in :mod:`avetmiss_finalise.formats` (text, json, csv,
    junit, html, sarif, github, gitlab, …). An unknown name is a ``UsageError`` (a ``ValueError``)."""
    renderer = formats.get_format(fmt).load()
    return renderer(
        report, fail_on=fail_on, max_locations=max_locations, show_personal_data=show_personal_data, summary=summary
    )
