"""The validation report page: a view of ``Report.to_dict()`` — header, counts, charts, one section per rule with
its fix hint and a paged table of its locations, filters and a search box."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from avetmiss_finalise.html._charts import SEVERITY_COLOURS, bar_chart
from avetmiss_finalise.html._data import encode_issues
from avetmiss_finalise.html._page import data_json, page
from avetmiss_finalise.html.summary_page import summary_context

__all__ = ["SEVERITIES", "render", "rule_sections"]

SEVERITIES = ("error", "warning", "info")
_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}


def rule_sections(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One entry per rule over all files (from ``doc["rules"]``): worst severity first, then most findings."""
    by_rule: dict[str, dict[str, Any]] = {}
    for r in doc.get("rules", []):
        entry = by_rule.setdefault(
            r["rule_id"],
            {
                "rule_id": r["rule_id"],
                "severity": r["severity"],
                "count": 0,
                "files": [],
                "title": r.get("title"),
                "fix": r.get("fix"),
                "avs_number": r.get("avs_number"),
            },
        )
        entry["count"] += r["count"]
        entry["files"].append({"file": r["file"] or "<collection>", "count": r["count"]})
        if _RANK[r["severity"]] > _RANK[entry["severity"]]:
            entry["severity"] = r["severity"]
    return sorted(by_rule.values(), key=lambda e: (-_RANK[e["severity"]], -e["count"], e["rule_id"]))


def _file_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per file: records, findings by severity, errors per 1,000 records."""
    files: dict[str, dict[str, Any]] = {}
    for f, n in doc.get("files", {}).items():
        files[f] = {"file": f, "records": n, "error": 0, "warning": 0, "info": 0}
    for r in doc.get("rules", []):
        name = r["file"] or "<collection>"
        row = files.setdefault(name, {"file": name, "records": None, "error": 0, "warning": 0, "info": 0})
        row[r["severity"]] += r["count"]
    for row in files.values():
        rec = row["records"]
        row["findings"] = row["error"] + row["warning"] + row["info"]
        row["per_1000"] = None if not rec else round(1000 * row["error"] / rec, 1)
    return list(files.values())


def _charts(sections: list[dict[str, Any]], files: list[dict[str, Any]]) -> list[str]:
    charts = []
    if sections:
        charts.append(
            bar_chart(
                [s["rule_id"] for s in sections],
                [s["count"] for s in sections],
                colours=[SEVERITY_COLOURS[s["severity"]] for s in sections],
                title="Findings by rule (colour: severity)",
                value_label="findings",
            )
        )
    with_findings = [f for f in files if f["findings"]]
    if with_findings:
        ordered = sorted(with_findings, key=lambda f: -f["findings"])
        charts.append(
            bar_chart(
                [f["file"] for f in ordered],
                [f["findings"] for f in ordered],
                title="Findings by file",
                value_label="findings",
            )
        )
    rated = sorted((f for f in files if f["per_1000"]), key=lambda f: -f["per_1000"])
    if rated:
        charts.append(
            bar_chart(
                [f["file"] for f in rated],
                [f["per_1000"] for f in rated],
                colours=[SEVERITY_COLOURS["error"]] * len(rated),
                title="Errors per 1,000 records",
                value_label="errors per 1,000 records",
            )
        )
    return charts


def failed(doc: Mapping[str, Any], fail_on: str) -> bool:
    """Some finding at or above ``fail_on`` (what the CLI's exit code says)."""
    limit = SEVERITIES.index(fail_on)
    return any(doc["counts"].get(s, 0) for s in SEVERITIES[: limit + 1])


def skipped_groups(doc: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``doc["rules_skipped"]`` grouped by reason: (for want of a period, reference file or option — what the user
    can give; every other reason — not selected, another profile, not implemented …), most rules first."""
    from avetmiss_finalise.validation.registry import REQUIREMENTS

    wanting = {req.reason for req in REQUIREMENTS.values()}
    groups: dict[str, list[str]] = {}
    for rule_id, why in sorted((doc.get("rules_skipped") or {}).items()):
        groups.setdefault(str(why), []).append(str(rule_id))
    rows = sorted(
        ({"reason": r, "rules": ids} for r, ids in groups.items()), key=lambda g: (-len(g["rules"]), g["reason"])
    )
    return [g for g in rows if g["reason"] in wanting], [g for g in rows if g["reason"] not in wanting]


def render(
    doc: Mapping[str, Any],
    *,
    fail_on: str = "error",
    summary: Mapping[str, Any] | None = None,
    tool_version: str | None = None,
    generated: str | None = None,
) -> str:
    sections = rule_sections(doc)
    files = _file_rows(doc)
    tool = doc.get("tool") if isinstance(doc.get("tool"), Mapping) else {}
    not_run, other_skipped = skipped_groups(doc)
    return page(
        "validation.html.j2",
        scripts=("report.js",),
        doc=doc,
        fail_on=fail_on,
        failed=failed(doc, fail_on),
        sections=sections,
        files=files,
        charts=_charts(sections, files),
        issues_json=data_json(encode_issues(doc.get("issues", []))),
        summary=None if summary is None else summary_context(summary),
        tool_version=(tool or {}).get("version") or doc.get("tool_version") or tool_version,
        generated=doc.get("generated") or generated,
        severities=SEVERITIES,
        not_run=not_run,
        other_skipped=other_skipped,
    )
