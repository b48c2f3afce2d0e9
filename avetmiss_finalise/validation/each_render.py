"""The one document of a ``validate DIR --each`` run, in each report format, and each submission's own report.

What a state authority wants from a run over many providers: on the terminal, one line per provider; in CI, one
artifact its tools read. So each format's *run document* is what that format can hold of many submissions:

* ``text``, ``csv``: the summary — one row per submission (records, errors, warnings, info, ok, exit code, why it
  could not be read) and the totals;
* ``json``: the summary and every submission's full report (schemas/validation-each.schema.json);
* ``junit``: one ``<testsuites>`` with every submission's suites, named ``SUBMISSION: FILE``; an unreadable
  submission is a suite with one errored test case;
* ``sarif``: one SARIF log with a run per submission (SARIF's own way to hold several);
* ``github``: every submission's annotations, then one summary line per submission (an unreadable one an error);
* ``gitlab``: every submission's Code Quality entries in one array, fingerprints made unique per submission;
* ``html``: a page cannot hold hundreds of collections: one page per submission (``--output html:DIR``) and an
  index page (the summary) linking them; on stdout it is refused.

Each submission's own report is the ordinary renderer's output for its Report (:func:`render_submission`).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

from avetmiss_finalise.formats import get_format
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation.each import EachReport, Submission

__all__ = ["EACH_FORMATS", "SUMMARY_COLUMNS", "render_each", "render_submission"]

SUMMARY_COLUMNS = ("name", "records", "errors", "warnings", "info", "ok", "exit_code", "error")


def render_submission(sub: Submission, fmt: str, **kwargs: Any) -> str:
    """One readable submission's report in ``fmt`` (the renderer ``validate`` alone would use)."""
    assert sub.report is not None
    return get_format(fmt).load()(sub.report, summary=sub.summary, **kwargs)


def render_each(each: EachReport, fmt: str, *, fail_on: Severity = Severity.ERROR, **kwargs: Any) -> str:
    """The run document of ``each`` in ``fmt`` (module docstring)."""
    from avetmiss_finalise.errors import UsageError

    name = get_format(fmt).name
    if name not in _RENDERERS:
        raise UsageError(f"--each cannot write format {name}: expected one of {', '.join(EACH_FORMATS)}")
    return _RENDERERS[name](each, fail_on=fail_on, **kwargs)


def _text(each: EachReport, *, fail_on: Severity, **_: Any) -> str:
    rows = [s.row(fail_on) for s in each.submissions]
    width = max([len("submission"), *(len(r["name"]) for r in rows)])
    head = f"{'submission':<{width}}  {'records':>9}  {'errors':>7}  {'warnings':>8}  {'info':>6}  result"
    lines = [f"avetmiss-finalise validate --each: {each.source}", "", head, "-" * len(head)]
    for r in rows:
        result = "unreadable" if r["error"] else ("ok" if r["ok"] else "failed")
        lines.append(
            f"{r['name']:<{width}}  {r['records']:>9}  {r['errors']:>7}  {r['warnings']:>8}  {r['info']:>6}  {result}"
        )
    t = each.totals(fail_on)
    lines += [
        "-" * len(head),
        f"{'total':<{width}}  {t['records']:>9}  {t['errors']:>7}  {t['warnings']:>8}  {t['info']:>6}  "
        f"{t['ok']} ok, {t['failed']} failed, {t['unreadable']} unreadable of {t['submissions']}",
    ]
    unreadable = [r for r in rows if r["error"]]
    if unreadable:
        lines += ["", "unreadable:", *(f"  {r['name']}: {r['error']}" for r in unreadable)]
    return "\n".join(lines) + "\n"


def _json(each: EachReport, *, fail_on: Severity, show_personal_data: bool | None = None, **_: Any) -> str:
    doc = each.to_dict(fail_on=fail_on, show_personal_data=show_personal_data)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _csv(each: EachReport, *, fail_on: Severity, **_: Any) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(SUMMARY_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for s in each.submissions:
        writer.writerow(
            {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v) for k, v in s.row(fail_on).items()}
        )
    return out.getvalue()


def _junit(each: EachReport, *, fail_on: Severity, **kwargs: Any) -> str:
    suites = ET.Element("testsuites", name="avetmiss-finalise validate --each")
    tests = failures = errors = 0
    for s in each.submissions:
        if s.report is None:
            suite = ET.SubElement(suites, "testsuite", name=s.name, tests="1", failures="0", errors="1")
            case = ET.SubElement(suite, "testcase", classname=s.name, name="read the submission")
            ET.SubElement(case, "error", message="unreadable", type="unreadable").text = s.error
            tests, errors = tests + 1, errors + 1
            continue
        doc = ET.fromstring(render_submission(s, "junit", fail_on=fail_on, **kwargs))
        for suite in doc.findall("testsuite"):
            suite.set("name", f"{s.name}: {suite.get('name')}")
            for case in suite.findall("testcase"):
                case.set("classname", f"{s.name}.{case.get('classname')}")
            suites.append(suite)
        tests += int(doc.get("tests", "0"))
        failures += int(doc.get("failures", "0"))
    suites.set("tests", str(tests))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _sarif(each: EachReport, *, fail_on: Severity, **kwargs: Any) -> str:
    log: dict[str, Any] | None = None
    runs: list[Any] = []
    for s in each.submissions:
        if s.report is None:
            runs.append(_sarif_unreadable(s))
            continue
        doc = json.loads(render_submission(s, "sarif", fail_on=fail_on, **kwargs))
        log = log or {k: v for k, v in doc.items() if k != "runs"}
        for run in doc["runs"]:
            run["automationDetails"] = {"id": f"avetmiss-finalise/{s.name}/"}
            runs.append(run)
    if log is None:
        log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0"}
    return json.dumps({**log, "runs": runs}, indent=2, ensure_ascii=False) + "\n"


def _sarif_unreadable(s: Submission) -> dict[str, Any]:
    from avetmiss_finalise import __version__

    return {
        "tool": {"driver": {"name": "avetmiss-finalise", "version": __version__}},
        "automationDetails": {"id": f"avetmiss-finalise/{s.name}/"},
        "invocations": [
            {
                "executionSuccessful": False,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": f"{s.name}: {s.error}"}}],
            }
        ],
        "results": [],
    }


def _github(each: EachReport, *, fail_on: Severity, **kwargs: Any) -> str:
    from avetmiss_finalise.validation.render_ci import _data, _property

    out: list[str] = []
    for s in each.submissions:
        if s.report is None:
            out.append(f"::error title={_property(s.name + ' unreadable')}::{_data(f'{s.name}: {s.error}')}\n")
        else:
            out.append(render_submission(s, "github", fail_on=fail_on, **kwargs))
    t = each.totals(fail_on)
    out.append(
        f"avetmiss-finalise --each: {t['submissions']} submission(s): {t['ok']} ok, {t['failed']} failed, "
        f"{t['unreadable']} unreadable\n"
    )
    return "".join(out)


def _gitlab(each: EachReport, *, fail_on: Severity, **kwargs: Any) -> str:
    entries: list[dict[str, Any]] = []
    for s in each.submissions:
        if s.report is None:
            key = hashlib.sha256(f"{s.name}|unreadable".encode()).hexdigest()[:32]
            entries.append(
                {
                    "description": f"{s.name}: {s.error}",
                    "check_name": "unreadable",
                    "fingerprint": key,
                    "severity": "blocker",
                    "location": {"path": s.path.replace("\\", "/"), "lines": {"begin": 1}},
                }
            )
            continue
        for e in json.loads(render_submission(s, "gitlab", fail_on=fail_on, **kwargs)):
            e["fingerprint"] = hashlib.sha256(f"{s.name}|{e['fingerprint']}".encode()).hexdigest()[:32]
            entries.append(e)
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def _html(each: EachReport, *, fail_on: Severity, **_: Any) -> str:
    """The index page: the summary, each readable submission linked to its own page beside it."""
    cells = []
    for s in each.submissions:
        r = s.row(fail_on)
        name = html.escape(s.name)
        link = f'<a href="{html.escape(s.name)}.html">{name}</a>' if s.report is not None else name
        result = "unreadable: " + html.escape(s.error or "") if s.error else ("ok" if r["ok"] else "failed")
        cells.append(
            f"<tr><td>{link}</td><td>{r['records']}</td><td>{r['errors']}</td><td>{r['warnings']}</td>"
            f"<td>{r['info']}</td><td>{result}</td></tr>"
        )
    t = each.totals(fail_on)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>avetmiss-finalise: submissions</title>'
        "<style>body{font-family:sans-serif}td,th{padding:.2em .8em;text-align:right}td:first-child{text-align:left}"
        "</style></head><body>\n"
        f"<h1>Submissions in {html.escape(each.source)}</h1>\n"
        f"<p>{t['ok']} ok, {t['failed']} failed, {t['unreadable']} unreadable of {t['submissions']}; "
        f"{t['records']} records, {t['errors']} errors, {t['warnings']} warnings, {t['info']} info.</p>\n"
        "<table><tr><th>submission</th><th>records</th><th>errors</th><th>warnings</th><th>info</th>"
        "<th>result</th></tr>\n" + "\n".join(cells) + "\n</table></body></html>\n"
    )


_RENDERERS = {
    "text": _text,
    "json": _json,
    "csv": _csv,
    "junit": _junit,
    "sarif": _sarif,
    "github": _github,
    "gitlab": _gitlab,
    "html": _html,
}

#: The formats a run over many submissions is written in (a format registered later has no run document).
EACH_FORMATS = tuple(_RENDERERS)
