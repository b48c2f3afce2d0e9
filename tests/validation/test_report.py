"""Reports: counts, masking of personal data, JSON matching its schema, text/CSV/JUnit renderings."""

from __future__ import annotations

import io
import json
from importlib import resources
from xml.etree import ElementTree as ET

import jsonschema
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import ValidationOptions, validate
from avetmiss_finalise.validation.render import render
from avetmiss_finalise.validation.report import MASK, Report
from tests.strategies.collections import frame_of

SCHEMA = json.loads(
    resources.files("avetmiss_finalise").joinpath("schemas/validation-report.schema.json").read_text("utf-8")
)


def _bad_clients(n: int = 3) -> dict[str, pd.DataFrame]:
    rows = [{"client_id": f"C{i}", "name_for_encryption": f"SAMPLE{i} ALEX", "gender": "Q"} for i in range(n)]
    return {"NAT00080": frame_of("NAT00080", rows)}


def _report(**kwargs: object) -> Report:
    return validate(_bad_clients(), rules=["V-080-04", "V-080-07"], **kwargs)  # type: ignore[arg-type]


def test_counts_ok_and_failed() -> None:
    report = _report()
    assert report.counts() == {"error": 6, "warning": 0, "info": 0}
    assert not report.ok
    assert report.failed(Severity.WARNING)
    clean = validate({"NAT00080": frame_of("NAT00080", [])}, rules=["V-080-07"])
    assert clean.ok and clean.counts() == {"error": 0, "warning": 0, "info": 0}


def test_personal_values_are_masked_unless_shown() -> None:
    report = _report()
    frame = report.to_frame()
    names = frame[frame["field"] == "name_for_encryption"]["value"]
    assert set(names) == {MASK}
    assert set(frame[frame["field"] == "gender"]["value"]) == {"Q"}  # gender is not personal in the layouts
    assert "SAMPLE0 ALEX" not in report.to_json()
    for fmt in ("text", "json", "csv", "junit"):
        assert "SAMPLE0" not in render(report, fmt)
    shown = _report(options=ValidationOptions(show_personal_data=True))
    assert "SAMPLE0 ALEX" in shown.to_json()
    assert "SAMPLE0 ALEX" in report.to_json(show_personal_data=True)


def test_issues_are_materialised_lazily_and_masked() -> None:
    issues = _report().issues
    assert len(issues) == 6
    first = next(i for i in issues if i.field == "name_for_encryption")
    assert first.value == MASK and first.file == "NAT00080" and first.columns == (11, 70)
    assert first.client_id is not None and first.line is not None


def test_json_report_matches_its_schema() -> None:
    doc = json.loads(_report(period=2026).to_json())
    jsonschema.validate(doc, SCHEMA)
    assert doc["counts"]["error"] == 6
    assert {r["rule_id"] for r in doc["rules"]} == {"V-080-04", "V-080-07"}
    assert doc["issues"][0]["columns"] is not None


@given(n=st.integers(0, 5), show=st.booleans())
def test_json_schema_holds_for_any_report(n: int, show: bool) -> None:
    report = validate(_bad_clients(n), rules=["V-080-04", "V-080-07", "F-04"])
    jsonschema.validate(json.loads(report.to_json(show_personal_data=show)), SCHEMA)


def test_text_report_counts_first_then_bounded_locations() -> None:
    report = validate(_bad_clients(25), rules=["V-080-07"])
    text = render(report, "text", max_locations=2)
    lines = text.splitlines()
    assert lines[2].startswith("Summary: 25 errors")
    assert any(line.strip().startswith("V-080-07  error") and line.endswith(": 25") for line in lines)
    assert sum("NAT00080:" in line and "gender" in line for line in lines) == 2
    assert "and 23 more" in text


def test_csv_has_one_line_per_finding() -> None:
    report = _report()
    df = pd.read_csv(io.StringIO(render(report, "csv")), dtype=str)
    assert len(df) == 6
    assert list(df.columns)[:3] == ["rule_id", "severity", "file"]


def test_junit_has_a_suite_per_file_and_a_failing_case_per_rule() -> None:
    report = _report()
    root = ET.fromstring(render(report, "junit"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert "NAT00080" in suites
    failing = [c.get("name", "") for c in suites["NAT00080"].iter("testcase") if c.find("failure") is not None]
    assert sorted(n.split()[0] for n in failing) == ["V-080-04", "V-080-07"]
    below = ET.fromstring(
        render(_report(options=ValidationOptions(severity_overrides={"V-080-07": "warning"})), "junit")
    )
    failing = [c.get("name", "") for c in below.iter("testcase") if c.find("failure") is not None]
    assert [n.split()[0] for n in failing] == ["V-080-04"]


def test_rule_counts_order_and_worst_severity() -> None:
    rc = _report().rule_counts()
    assert rc[["file", "rule_id", "count"]].values.tolist() == [
        ["NAT00080", "V-080-04", 3],
        ["NAT00080", "V-080-07", 3],
    ]


def test_bulk_json_path_gives_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from avetmiss_finalise.validation import report as report_module

    report = validate(_bad_clients(4), rules=["V-080-04", "V-080-07", "F-04"])
    slow = json.loads(report.to_json())
    monkeypatch.setattr(report_module, "FAST_JSON_THRESHOLD", 0)
    fast = json.loads(report.to_json())
    assert fast == slow
    jsonschema.validate(fast, SCHEMA)
