"""Smoke tests: the main jobs end to end on the shipped samples — read, validate, finalise, convert.

These are what .ci/run's floor job runs with every runtime dependency at its declared minimum
(ci/constraints-floor.txt), so they must need nothing beyond the runtime dependencies, pytest and hypothesis (no
xdist, no jsonschema, no browser), and stay quick. They run in the default suite too. Each one is chosen to reach
code that depends on pandas/pyarrow/numpy/cattrs behaviour that changed between versions: string concatenation
and comparison on arrow strings, chunked arrow columns, date units, NUL bytes in CSV, cattrs hooks.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

from avetmiss_finalise import finalise, read_collection, validate, write_collection
from avetmiss_finalise.cli import main
from avetmiss_finalise.jsonio import parse_input
from avetmiss_finalise.nat import write_records
from avetmiss_finalise.transition import plan_transition
from avetmiss_finalise.validation import ValidationOptions

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "fixtures" / "sample"
BAD = ROOT / "fixtures" / "bad"
ENROLMENTS = ROOT / "fixtures" / "enrolments"
REPORTING_DATE = datetime.date(2026, 11, 29)


@pytest.mark.parametrize("profile", ["national", "nsw", "vic", "qld", "tas"])
def test_sample_reads_and_writes_back_byte_for_byte(tmp_path: Path, profile: str) -> None:
    coll = read_collection(SAMPLE, profile=profile)
    assert set(coll.frames) == {p.stem for p in SAMPLE.glob("NAT*.txt")}
    write_collection(coll, tmp_path)
    for src in SAMPLE.glob("NAT*.txt"):
        assert (tmp_path / src.name).read_bytes() == src.read_bytes(), src.name


@pytest.mark.parametrize("profile", ["national", "nsw"])
def test_sample_validates_without_errors_or_warnings(profile: str) -> None:
    report = validate(SAMPLE, period=2026, profile=profile, options=ValidationOptions(reporting_date=REPORTING_DATE))
    assert report.ok
    assert report.counts()["warning"] == 0
    json.loads(report.to_json())


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if p.is_dir()))
def test_each_known_bad_collection_fires_its_rule(case: str) -> None:
    """Every record, cross-file, period and NSW rule fires on its one-change collection (fixtures/bad)."""
    e = json.loads((BAD / f"{case}.expected.json").read_text(encoding="utf-8"))
    when = e["reporting_date"]
    report = validate(
        BAD / case,
        period=e["period"],
        profile=e["profile"],
        interim=e["interim"],
        options=ValidationOptions(reporting_date=datetime.date.fromisoformat(when) if when else None),
    )
    mine = report.findings[report.findings["rule_id"] == e["rule_id"]]
    assert [(f.file, int(f.line), f.field) for f in mine.itertuples()] == [(e["file"], e["line"], e["field"])]


@pytest.mark.parametrize(("name", "profile"), [("national", "national"), ("nsw", "nsw")])
def test_sample_enrolments_finalise_into_rows_that_validate(tmp_path: Path, name: str, profile: str) -> None:
    items = parse_input((ENROLMENTS / f"{name}.json").read_text(encoding="utf-8"))
    rows = []
    for item in items:
        if type(item.event).__name__ == "Transition":
            plan = plan_transition(item.enrolment, item.event, profile=profile, reporting_date=REPORTING_DATE)
            rows += plan.rows
        else:
            result = finalise(item.enrolment, item.event, profile=profile, reporting_date=REPORTING_DATE)
            assert result.refusal is None
            rows += result.nat00120
    assert rows
    write_records(rows, tmp_path / "NAT00120.txt", profile=profile)
    back = read_collection(tmp_path / "NAT00120.txt", profile=profile)
    assert len(back.frames["NAT00120"]) == len(rows) and not back.issues


def test_finalise_frame_agrees_with_finalise_on_the_samples() -> None:
    from avetmiss_finalise.outcomes import finalise_frame, frames_from_pairs

    items = parse_input((ENROLMENTS / "national.json").read_text(encoding="utf-8"))
    pairs = [(i.enrolment, i.event) for i in items if type(i.event).__name__ != "Transition"]
    units, enrolments = frames_from_pairs(pairs)
    out = finalise_frame(units, enrolments, profile="national", reporting_date=REPORTING_DATE)
    expected = sum(len(finalise(e, ev, profile="national", reporting_date=REPORTING_DATE).nat00120) for e, ev in pairs)
    assert len(out.nat00120) == expected


def test_convert_nat_to_csv_and_back_is_byte_exact_even_with_nul_bytes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SAMPLE, src)
    lines = (SAMPLE / "NAT00120.txt").read_bytes().split(b"\r\n")
    damaged = lines[0][:40] + b"\x00" + lines[0][41:] + b"\r\n" + b"\r\n".join(lines[1:])
    (src / "NAT00120.txt").write_bytes(damaged)
    assert main(["convert", str(src), str(tmp_path / "csv")]) == 0
    assert main(["convert", str(tmp_path / "csv"), str(tmp_path / "nat")]) == 0
    for path in src.iterdir():
        assert (tmp_path / "nat" / path.name).read_bytes() == path.read_bytes(), path.name


def test_cli_demo_and_validate_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    assert (tmp_path / "demo" / "nsw" / "NAT00120.txt").stat().st_size > 0
    capsys.readouterr()
    assert main(["validate", str(SAMPLE), "--period", "2026", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_html_report_renders_when_the_extra_is_installed(tmp_path: Path) -> None:
    pytest.importorskip("jinja2")
    pytest.importorskip("matplotlib")
    out = tmp_path / "report.html"
    assert main(["validate", str(BAD / "V-120-01"), "--period", "2026", "--output", f"html:{out}"]) == 1
    assert "V-120-01" in out.read_text(encoding="utf-8")
