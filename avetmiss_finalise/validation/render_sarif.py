"""SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), for code scanning: GitHub, Azure DevOps, IDEs.

One run of one tool. The rules that ran (and any that produced a finding) are ``reportingDescriptor``\\ s carrying
the registry's words — title, message, fix hint (``help``), source, AVS number, family — and default level.
Results have physical locations: the file as found on disk, 1-based ``startLine``, and the field's column span
(``endColumn`` is exclusive in SARIF). Inputs are ``artifacts`` with length and SHA-256; the invocation carries the
run's time and host when the CLI set them, and every rule that was skipped as a notification with the reason.

Validated in tests against the published schema (tests/data/sarif-schema-2.1.0.json, shipped, no network).
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

from avetmiss_finalise.validation._locate import finding_rows, path_of
from avetmiss_finalise.validation.audit import TOOL_NAME
from avetmiss_finalise.validation.registry import REGISTRY, Rule
from avetmiss_finalise.validation.report import Report

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "render_sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """A relative path stays a relative URI reference (code scanning resolves it against the repository root)."""
    if os.path.isabs(path):
        return "file://" + ("" if path.startswith("/") else "/") + path.replace(os.sep, "/")
    return path


def _descriptor(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    if rule is None:  # a finding whose id the registry does not know (a report built from foreign findings)
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    help_text = (rule.fix + "\n\n" if rule.fix else "") + f"Source: {rule.source}"
    properties: dict[str, Any] = {"tags": [rule.family, *rule.files], "source": rule.source}
    if rule.avs_number:
        properties["avs_number"] = rule.avs_number
    if rule.profiles is not None:
        properties["profiles"] = list(rule.profiles)
    return {
        "id": rule.id,
        "name": rule.id.replace("-", ""),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.message},
        "help": {"text": help_text, "markdown": _markdown(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.label]},
        "properties": properties,
    }


def _markdown(rule: Rule) -> str:
    parts = [f"**{rule.id}** — {rule.title}", ""]
    if rule.fix:
        parts += [f"**How to fix:** {rule.fix}", ""]
    parts.append(f"Source: {rule.source}" + (f" (AVS {rule.avs_number})" if rule.avs_number else ""))
    return "\n".join(parts)


def render_sarif(report: Report, *, show_personal_data: bool | None = None, **_: object) -> str:
    """The report as a SARIF 2.1.0 log (one run)."""
    from avetmiss_finalise import __version__

    rows = list(finding_rows(report, show_personal_data=show_personal_data))
    ran = list(report.rules_run or ())
    rule_ids = list(dict.fromkeys([*ran, *(r["rule_id"] for r in rows)]))
    index = {rid: i for i, rid in enumerate(rule_ids)}
    locate = path_of(report)
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    for i in report.inputs:
        path, _member = locate(i.file_id)
        if path in artifact_index:
            continue
        artifact: dict[str, Any] = {"location": {"uri": _uri(path)}}
        if i.size is not None and _member is None:
            artifact["length"] = i.size
        if i.sha256 is not None and _member is None:
            artifact["hashes"] = {"sha-256": i.sha256}
        artifact_index[path] = len(artifacts)
        artifacts.append(artifact)
    for f in report.reference_files:  # what the rules were checked against, as configuration artifacts
        artifacts.append(
            {
                "location": {"uri": _uri(f.name)},
                "hashes": {"sha-256": f.sha256},
                "roles": ["toolSpecifiedConfiguration" if f.shipped else "userSpecifiedConfiguration"],
                "description": {"text": f"reference data ({f.kind}), {f.rows} rows, modified {f.modified}"},
                "lastModifiedTimeUtc": f.modified if "T" in f.modified else None,
            }
        )
        if artifacts[-1]["lastModifiedTimeUtc"] is None:
            del artifacts[-1]["lastModifiedTimeUtc"]
    results = []
    for r in rows:
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(r["path"])}}
        if r["path"] in artifact_index:
            location["artifactLocation"]["index"] = artifact_index[r["path"]]
        if r["line"] is not None:
            region: dict[str, Any] = {"startLine": r["line"]}
            if r["col_start"] is not None:
                region |= {"startColumn": r["col_start"], "endColumn": r["col_end"] + 1}
            location["region"] = region
        results.append(
            {
                "ruleId": r["rule_id"],
                "ruleIndex": index[r["rule_id"]],
                "level": _LEVEL[r["severity"]],
                "message": {"text": r["text"]},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"avetmissFinding/v1": r["fingerprint"]},
            }
        )
    invocation: dict[str, Any] = {
        "executionSuccessful": True,
        "toolConfigurationNotifications": [
            {"associatedRule": {"id": rid}, "level": "note", "message": {"text": f"{rid} not run: {why}"}}
            for rid, why in sorted(report.rules_skipped.items())
        ],
    }
    run = report.run
    if run is not None and run.generated_at is not None:
        invocation["endTimeUtc"] = run.generated_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if run is not None and run.hostname:
        invocation["machine"] = run.hostname
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_descriptor(rid, REGISTRY.get(rid)) for rid in rule_ids],
                        "properties": {"ruleCatalogueVersion": report.catalogue_version},
                    }
                },
                "invocations": [invocation],
                "artifacts": artifacts,
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {
                    "profile": report.profile,
                    "period": None
                    if report.period is None
                    else {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
                    "interim": report.interim,
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
