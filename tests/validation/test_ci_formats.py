"""CI-native reports (SARIF 2.1.0, GitHub annotations, GitLab Code Quality), several from one run, and the audit
fields every machine report carries.

SARIF is validated against the published schema shipped in tests/data (no network).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from avetmiss_finalise import formats
from avetmiss_finalise.cli import main
from avetmiss_finalise.nat import read_collection
from avetmiss_finalise.validation import REGISTRY, validate
from avetmiss_finalise.validation.audit import RunInfo
from avetmiss_finalise.validation.render import render

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "fixtures" / "sample"
BAD = ROOT / "fixtures" / "bad"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
REPORT_SCHEMA = json.loads(
    (ROOT / "avetmiss_finalise" / "schemas" / "validation-report.schema.json").read_text(encoding="utf-8")
)
RUN = RunInfo(
    generated_at=datetime.datetime(2026, 11, 29, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=11))),
    duration_seconds=1.25,
    hostname="ci-runner",
)


def _sarif_valid(text: str) -> dict[str, object]:
    log = json.loads(text)
    validator = jsonschema.validators.validator_for(SARIF_SCHEMA)(SARIF_SCHEMA)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return log  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", ["V-120-01", "X-01", "NSW-TO-01", "P-01"])
def test_sarif_of_known_bad_collections_matches_the_published_schema(case: str) -> None:
    e = json.loads((BAD / f"{case}.expected.json").read_text(encoding="utf-8"))
    import attrs

    report = attrs.evolve(validate(BAD / case, period=e["period"], profile=e["profile"], interim=e["interim"]), run=RUN)
    log = _sarif_valid(render(report, "sarif"))
    run = log["runs"][0]  # type: ignore[index]
    results = [r for r in run["results"] if r["ruleId"] == case]
    assert len(results) == 1
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"file://{BAD / case}/{e['file']}.txt"  # absolute: a file URI
    assert location["region"]["startLine"] == e["line"]
    rule = run["tool"]["driver"]["rules"][results[0]["ruleIndex"]]
    assert rule["id"] == case and REGISTRY[case].fix in rule["help"]["text"]
    assert rule["shortDescription"]["text"] == REGISTRY[case].title
    assert run["invocations"][0]["machine"] == "ci-runner"
    assert run["invocations"][0]["endTimeUtc"] == "2026-11-28T22:30:00Z"


def test_sarif_regions_are_the_fields_columns_and_artifacts_carry_the_sha256() -> None:
    report = validate(BAD / "V-120-02", period=2026)
    log = _sarif_valid(render(report, "sarif"))
    run = log["runs"][0]  # type: ignore[index]
    finding = report.findings[report.findings["rule_id"] == "V-120-02"].iloc[0]
    result = next(r for r in run["results"] if r["ruleId"] == "V-120-02")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (int(finding["col_start"]), int(finding["col_end"]) + 1)
    by_uri = {a["location"]["uri"]: a for a in run["artifacts"]}
    nat00120 = BAD / "V-120-02" / "NAT00120.txt"
    assert by_uri[f"file://{nat00120}"]["hashes"]["sha-256"] == hashlib.sha256(nat00120.read_bytes()).hexdigest()
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}
    assert len({r["partialFingerprints"]["avetmissFinding/v1"] for r in run["results"]}) == len(run["results"])


def test_sarif_of_frames_in_memory_and_of_a_zip_is_valid_too(tmp_path: Path) -> None:
    frames = dict(read_collection(BAD / "X-01").frames)
    _sarif_valid(render(validate(frames, period=2026), "sarif"))
    archive = tmp_path / "submission.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in (BAD / "X-01").iterdir():
            zf.write(p, f"2026/{p.name}")
    log = _sarif_valid(render(validate(archive, period=2026), "sarif"))
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]  # type: ignore[index]
    assert any(t.startswith("NAT00120.txt: ") for t in texts)


def test_github_annotations_are_workflow_commands_escaped_and_bounded() -> None:
    report = validate(BAD / "V-120-01", period=2026, rules=["V-120-01", "F-06"])
    text = render(report, "github", max_locations=1)
    lines = text.splitlines()
    error = next(line for line in lines if line.startswith("::error "))
    assert re.fullmatch(
        r"::error file=[^,]+,line=36,col=53,endColumn=60,title=V-120-01 [^:]+::NAT00120:36:53-60 .+", error
    )
    assert sum(line.startswith("::notice file=") and "F-06" in line for line in lines) == 1
    assert lines[-1].startswith("avetmiss-finalise: ") and "1 error" in lines[-1]
    assert "%2C" in text  # the comma in F-06's title is escaped inside the title property
    bounded = render(report, "github", max_locations=0).splitlines()
    assert not any(line.startswith("::error") for line in bounded)
    assert "::notice title=V-120-01::… and 1 more finding(s) of V-120-01" in bounded


def test_gitlab_code_quality_entries_are_complete_and_uniquely_fingerprinted() -> None:
    report = validate(BAD / "X-02", period=2026)
    entries = json.loads(render(report, "gitlab"))
    assert len(entries) == len(report.findings)
    for e in entries:
        assert set(e) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert e["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert e["location"]["lines"]["begin"] >= 1 and e["location"]["path"].startswith(str(BAD / "X-02"))
    assert len({e["fingerprint"] for e in entries}) == len(entries)
    assert {e["check_name"] for e in entries} >= {"X-02"}


def test_one_run_writes_several_formats_and_keeps_text_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "validate", str(BAD / "V-120-01"), "--period", "2026",
            "--output", f"sarif:{tmp_path / 'out.sarif'}", "--output", f"junit:{tmp_path / 'out.xml'}",
            "--output", f"json:{tmp_path / 'out.json'}", "--output", f"gitlab:{tmp_path / 'gl.json'}",
        ]
    )  # fmt: skip
    assert code == 1
    assert capsys.readouterr().out.startswith("Validation of ")
    _sarif_valid((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert doc["hostname"] and doc["duration_seconds"] >= 0
    assert datetime.datetime.fromisoformat(doc["generated_at"]).tzinfo is not None
    suites = ET.fromstring((tmp_path / "out.xml").read_text(encoding="utf-8"))
    assert suites.get("timestamp") and suites.get("time")
    assert all(s.get("hostname") and s.get("timestamp") and s.get("time") for s in suites.iter("testsuite"))
    assert json.loads((tmp_path / "gl.json").read_text(encoding="utf-8"))


def test_output_mistakes_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "r.json"
    assert main(["validate", str(SAMPLE), "-o", f"json:{same}", "-o", f"sarif:{same}"]) == 2
    assert "named twice" in capsys.readouterr().err
    assert main(["validate", str(SAMPLE), "-o", f"nosuch:{same}"]) == 2
    assert "unknown report format 'nosuch'" in capsys.readouterr().err
    bare = tmp_path / "plain.txt"
    assert main(["validate", str(SAMPLE), "--period", "2026", "-o", str(bare)]) == 0
    assert capsys.readouterr().out == "" and bare.read_text(encoding="utf-8").startswith("Validation of ")


def test_a_new_format_plugs_in_by_registering_one_renderer(capsys: pytest.CaptureFixture[str]) -> None:
    def render_count(report: object, **_: object) -> str:
        return f"{len(report)} finding(s)\n"  # type: ignore[arg-type]

    formats.register_format(formats.Format(name="count", description="test", suffix=".txt", renderer=render_count))
    try:
        assert main(["validate", str(BAD / "V-120-01"), "--period", "2026", "--format", "count"]) == 1
        assert capsys.readouterr().out == "2 finding(s)\n"
        with pytest.raises(ValueError, match="registered twice"):
            formats.register_format(formats.FORMATS["count"])
    finally:
        del formats.FORMATS["count"]


def test_the_audit_accounts_for_every_rule_and_each_input_byte(tmp_path: Path) -> None:
    src = tmp_path / "sub"
    shutil.copytree(SAMPLE, src)
    report = validate(src, profile="nsw", rules=None, options=None)
    doc = report.to_dict()
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert set(doc["rules_run"]) | set(doc["rules_skipped"]) == set(REGISTRY)
    assert not set(doc["rules_run"]) & set(doc["rules_skipped"])
    assert doc["rules_skipped"]["P-01"].startswith("no collection period given")
    assert doc["rules_skipped"]["V-120-14"].startswith("applies under profile vic only")
    assert doc["rules_skipped"]["F-COMPLETE"].startswith("not a validation check: applied by")
    for i in doc["inputs"]:
        data = (src / i["name"]).read_bytes()
        assert (i["size"], i["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert doc["tool"]["name"] == "avetmiss-finalise" and doc["rule_catalogue"]["version"].startswith("sha256:")
    assert doc["generated_at"] is None  # the core reads no clock
    with_period = validate(src, period=2026, rules=["V-120-01"], options=None).to_dict()
    assert with_period["rules_run"] == ["V-120-01"] and with_period["options"]["rules"] == ["V-120-01"]
    assert with_period["rules_skipped"]["V-120-02"].startswith("not selected")


def test_frames_in_memory_say_the_readers_checks_did_not_run() -> None:
    doc = validate(dict(read_collection(SAMPLE).frames), period=2026).to_dict()
    assert "given in memory" in doc["rules_skipped"]["NAT-SHORT"]
    assert all(i["sha256"] is None and i["records"] >= 0 for i in doc["inputs"])


def test_without_a_period_stderr_names_the_rules_that_did_not_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE), "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "collection-period rules not run: P-01, V-120-01" in err and "V-080-08" in err
    assert main(["validate", str(SAMPLE), "--period", "2026", "--format", "json"]) == 0
    assert "not run" not in capsys.readouterr().err
