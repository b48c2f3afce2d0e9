"""Every report says which reference files were used (name, date, SHA-256) and which rules did not run, and why:
text, JSON, JUnit, SARIF, HTML and GitHub (plain log lines beside the annotations); CSV and GitLab Code Quality
hold findings only: there is no place for either."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.reference import load_reference
from avetmiss_finalise.validation import REGISTRY, ValidationOptions, validate
from avetmiss_finalise.validation.render import render
from avetmiss_finalise.validation.render_sarif import render_sarif

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample"
SCHEMA = json.loads(
    resources.files("avetmiss_finalise").joinpath("schemas/validation-report.schema.json").read_text("utf-8")
)
POSTCODES = "postcode,locality,state\n2000,SYDNEY,01\n2150,PARRAMATTA,01\n3000,MELBOURNE,02\n"
#: Rules that need a source: without it each must be listed as not run.
SOURCE_RULES = {
    "postcodes": {"V-010-04", "V-020-03", "V-080-10"},
    "organisations": {"V-010-05"},
    "programs": {"V-030-01", "V-030-07", "V-030-08", "V-030-09"},
    "units": {"V-060-02"},
}


def _reference(tmp: Path, given_sources: set[str]) -> Path:
    files = {
        "postcodes": ("postcodes.csv", POSTCODES),
        "organisations": ("rtos.csv", "Code,Legal name\n90001,SAMPLE TRAINING INSTITUTE\n"),
        "programs": ("qualifications.csv", "Code,Title,Usage recommendation\nBSB40120,X,Current\n"),
        "units": ("units.csv", "code,title\nBSBCRT411,SAMPLE\n"),
    }
    for source in given_sources:
        name, text = files[source]
        (tmp / name).write_text(text, "utf-8")
    return tmp


@settings(max_examples=6, deadline=None)
@given(given_sources=st.sets(st.sampled_from(sorted(SOURCE_RULES)), min_size=1))
def test_rules_whose_reference_is_absent_are_listed_as_not_run_in_every_format(
    tmp_path_factory: pytest.TempPathFactory, given_sources: set[str]
) -> None:
    ref_dir = _reference(tmp_path_factory.mktemp("ref"), given_sources)
    reference = load_reference(ref_dir)
    report = validate(SAMPLE, period=2026, options=ValidationOptions(reference=reference))
    absent = set().union(*(ids for s, ids in SOURCE_RULES.items() if s not in given_sources)) | {"V-010-06"}
    absent |= {"V-030-08"}  # the qualification list given has no teach-out dates: not run either way
    present = set().union(*(ids for s, ids in SOURCE_RULES.items() if s in given_sources)) - absent
    assert absent <= set(report.rules_skipped) and not present & set(report.rules_skipped)
    assert present <= set(report.rules_run or ())
    files = {f.name: f for f in report.reference_files}
    for f in reference.files:
        assert files[f.name].sha256 == hashlib.sha256((ref_dir / f.name).read_bytes()).hexdigest()

    text = render(report, "text")
    doc = json.loads(render(report, "json"))
    junit = ET.fromstring(render(report, "junit"))
    sarif = json.loads(render_sarif(report))
    html = render(report, "html")
    github = render(report, "github").splitlines()
    jsonschema.validate(doc, SCHEMA)
    for f in report.reference_files:
        assert f"sha256 {f.sha256}" in text and f.name in text and f.modified in text
        assert {"name": f.name, "sha256": f.sha256, "modified": f.modified}.items() <= next(
            d for d in doc["reference_files"] if d["name"] == f.name
        ).items()
        assert any(p.get("value", "").find(f.sha256) >= 0 for p in junit.iter("property"))
        assert any(a.get("hashes", {}).get("sha-256") == f.sha256 for a in sarif["runs"][0]["artifacts"])
        assert f.sha256 in html and f.name in html
        assert any(line.startswith("Reference: ") and f.sha256 in line for line in github)
    notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    skipped_cases = {c.get("name", "").split()[0]: c.find("skipped") for c in junit.iter("testcase")}
    for rule_id in absent:
        why = report.rules_skipped[rule_id]
        assert doc["rules_skipped"][rule_id] == why
        assert (
            f"Not run, because {why}:" in text and rule_id in text.split(f"Not run, because {why}:")[1].split("\n")[0]
        )
        assert skipped_cases[rule_id] is not None and why in skipped_cases[rule_id].get("message", "")
        assert any(n["associatedRule"]["id"] == rule_id and why in n["message"]["text"] for n in notes)
        assert rule_id in html
        assert any(line.startswith(f"Not run, because {why}:") and rule_id in line for line in github)
    assert "reference_files" not in render(report, "csv")


def test_without_reference_every_reference_rule_is_not_run_and_says_how_to_give_it() -> None:
    report = validate(SAMPLE, period=2026)
    needing = {r.id for r in REGISTRY.values() if set(r.requires) & {*SOURCE_RULES, "expected_toid", "teach_out"}}
    assert needing == set().union(*SOURCE_RULES.values()) | {"V-010-06"}
    for rule_id in needing:
        assert "--reference" in report.rules_skipped[rule_id] or "--expected-toid" in report.rules_skipped[rule_id]
    # The shipped specific funding identifier list is reference data too, and the run names it.
    (shipped,) = report.reference_files
    assert shipped.shipped and shipped.kind == "specific_funding" and "V-120-F12" in (report.rules_run or ())
    assert validate(SAMPLE).reference_files == ()  # no period: V-120-F12 did not run, nothing was read


def test_teach_out_rule_says_why_it_did_not_run(tmp_path: Path) -> None:
    (tmp_path / "qualifications.csv").write_text("Code,Status,Superseded by\nBSB40115,Superseded,BSB40120\n", "utf-8")
    opts = ValidationOptions(reference=tmp_path)  # a directory: validate() loads it
    report = validate(SAMPLE, period=2026, options=opts)
    assert "teach-out" in report.rules_skipped["V-030-08"]
    months = validate(SAMPLE, period=2026, options=ValidationOptions(reference=tmp_path, teach_out_months=12))
    assert "V-030-08" in (months.rules_run or ())
