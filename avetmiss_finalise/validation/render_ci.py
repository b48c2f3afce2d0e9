"""CI-native report formats: GitHub Actions annotations and GitLab Code Quality.

* ``github``: workflow commands (``::error file=…,line=…,col=…,endColumn=…,title=…::message``) printed to stdout
  in a step, which GitHub turns into annotations on the run and on the pull request's files. GitHub shows at
  most 10 annotations of each level per step, so each rule lists at most ``max_locations`` and then a notice
  "… and N more"; the full report belongs in an artifact (``--output json:…`` or ``sarif:…``). The reference
  files used and the rules not run (and why) are plain log lines before the summary line.
* ``gitlab``: the Code Quality report (a JSON array; ``artifacts: reports: codequality:``), shown in the merge
  request widget. Every finding is listed, each with a stable fingerprint; like CSV it holds findings only (no
  place for reference files or rules not run: use ``--output json:…`` or ``junit:…`` beside it).

Messages are the same located, masked text as the text report (personal values hidden unless asked for).
"""

from __future__ import annotations

import json

from avetmiss_finalise.validation._locate import finding_rows
from avetmiss_finalise.validation.registry import REGISTRY
from avetmiss_finalise.validation.render_reference import text_lines
from avetmiss_finalise.validation.report import Report

__all__ = ["render_github", "render_gitlab"]

_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
#: GitLab's severities are info, minor, major, critical, blocker: an error rejects the submission.
_GITLAB_SEVERITY = {"error": "critical", "warning": "minor", "info": "info"}


def _data(text: str) -> str:
    """Escape a workflow command's message (GitHub's toolkit: % CR LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command's property value (also : and ,)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(
    report: Report, *, max_locations: int | None = None, show_personal_data: bool | None = None, **_: object
) -> str:
    """GitHub Actions annotations, at most ``max_locations`` per rule, then one summary line."""
    limit = report.options.max_locations if max_locations is None else max_locations
    lines: list[str] = []
    shown: dict[str, int] = {}
    more: dict[str, int] = {}
    for f in finding_rows(report, show_personal_data=show_personal_data):
        rule_id = f["rule_id"]
        if shown.get(rule_id, 0) >= limit:
            more[rule_id] = more.get(rule_id, 0) + 1
            continue
        shown[rule_id] = shown.get(rule_id, 0) + 1
        props = [f"file={_property(f['path'])}"]
        if f["line"] is not None:
            props.append(f"line={f['line']}")
            if f["col_start"] is not None:
                props += [f"col={f['col_start']}", f"endColumn={f['col_end']}"]
        rule = REGISTRY.get(rule_id)
        props.append(f"title={_property(rule_id + (' ' + rule.title if rule else ''))}")
        lines.append(f"::{_GITHUB_LEVEL[f['severity']]} {','.join(props)}::{_data(f['text'])}")
    for rule_id, n in more.items():
        lines.append(f"::notice title={_property(rule_id)}::{_data(f'… and {n} more finding(s) of {rule_id}')}")
    # Plain log lines, not annotations (a run without --reference would otherwise annotate every pull request):
    # the reference files checked against, and the rules not run for want of a file or option, and why.
    lines += text_lines(report)
    counts = report.counts()
    lines.append(
        f"avetmiss-finalise: {report.source or 'collection'}: "
        + ", ".join(f"{n} {label}" for label, n in counts.items())
        + f" (profile {report.profile})"
    )
    return "\n".join(lines) + "\n"


def render_gitlab(report: Report, *, show_personal_data: bool | None = None, **_: object) -> str:
    """GitLab Code Quality JSON: one entry per finding."""
    entries = []
    for f in finding_rows(report, show_personal_data=show_personal_data):
        rule = REGISTRY.get(f["rule_id"])
        entry = {
            "description": f"{f['rule_id']}: {f['text']}",
            "check_name": f["rule_id"],
            "fingerprint": f["fingerprint"],
            "severity": _GITLAB_SEVERITY[f["severity"]],
            "location": {"path": f["path"], "lines": {"begin": f["line"] or 1}},
        }
        if rule is not None and rule.fix:
            entry["content"] = {"body": rule.fix}
        entries.append(entry)
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
