"""The finalisation review page: a view of ``decisions.json`` — per enrolment the event, the status, per unit
*before → after* for each changed field with the rule ID and reason, refusals and warnings highlighted and the
follow-up tasks as a checklist. Fed by the JSON data alone, so it does not care which code wrote the file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from avetmiss_finalise.html._page import page

__all__ = ["render"]


def _shown(value: Any) -> str:
    return "blank" if value is None or value == "" else str(value)


def _enrolment(e: Mapping[str, Any]) -> dict[str, Any]:
    issues = list(e.get("issues") or [])
    warned = any(i.get("severity") in ("warning", "error") for i in issues)
    units = []
    for d in e.get("decisions") or []:
        changes = [
            {"field": c.get("field"), "before": _shown(c.get("before")), "after": _shown(c.get("after"))}
            for c in d.get("changes") or []
        ]
        units.append({**d, "changes": changes})
    return {
        **e,
        "issues": issues,
        "units": units,
        "tasks": list(e.get("tasks") or []),
        "plan_actions": list(e.get("plan_actions") or []),
        "state": "refused" if e.get("refusal") else ("warned" if warned else "ok"),
    }


def render(decisions: Mapping[str, Any], *, tool_version: str | None = None, generated: str | None = None) -> str:
    enrolments = [_enrolment(e) for e in decisions.get("enrolments") or []]
    counts = {
        "enrolments": len(enrolments),
        "refused": sum(e["state"] == "refused" for e in enrolments),
        "warned": sum(e["state"] == "warned" for e in enrolments),
        "units": sum(len(e["units"]) for e in enrolments),
        "tasks": sum(len(e["tasks"]) for e in enrolments),
    }
    counts["finalised"] = counts["enrolments"] - counts["refused"]
    return page(
        "decisions.html.j2",
        doc=decisions,
        enrolments=enrolments,
        counts=counts,
        tool_version=tool_version,
        generated=generated,
    )
