"""The adopter's contract is written down and agrees with itself: a LICENSE matching pyproject, a changelog, a
stability policy naming what is stable, and a report schema whose objects are open, as "1.x only adds keys" needs.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema

from avetmiss_finalise.validation import validate
from avetmiss_finalise.validation.report import REPORT_SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "avetmiss_finalise" / "schemas" / "validation-report.schema.json").read_text("utf-8"))


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def test_every_object_of_the_report_schema_is_open() -> None:
    objects = _objects(SCHEMA)
    assert len(objects) > 5
    assert all(o.get("additionalProperties", True) is not False for o in objects)


def test_a_report_with_keys_from_a_later_minor_version_still_validates() -> None:
    doc = validate(ROOT / "fixtures" / "sample", period=2026).to_dict()
    doc["added_in_1_9"] = {"anything": [1, 2]}
    doc["issues"] = [{**i, "new_key": True} for i in doc["issues"]]
    doc["rules"] = [{**r, "new_key": 1} for r in doc["rules"]]
    jsonschema.validate(doc, SCHEMA)
    assert doc["schema_version"] == REPORT_SCHEMA_VERSION


def test_the_schema_version_is_documented_where_the_schema_is() -> None:
    assert f'"schema_version": "{REPORT_SCHEMA_VERSION}"' in (ROOT / "docs" / "report-schema.md").read_text("utf-8")
    assert SCHEMA["properties"]["schema_version"]["pattern"] == "^1\\\\.[0-9]+$".replace("\\\\", "\\")


def test_licence_changelog_and_stability_policy_exist_and_agree() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert "## [Unreleased]" in changelog and "semantic versioning" in changelog
    policy = (ROOT / "docs" / "stability.md").read_text("utf-8")
    for contract in ("Python API", "JSON validation report", "Rule IDs", "Exit codes", "Command line", "MAJOR"):
        assert contract in policy, contract
