"""``finalise --period/--interim`` and what decisions.json records of the event (issue #8 items 9 and 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.nat import read_records

PAIR = {
    "enrolment": {
        "training_organisation_id": "90001",
        "client_id": "TESTCL01",
        "program_id": "BSB40120",
        "units": [
            {
                "subject_id": "U1",
                "delivery_location_id": "MAIN01",
                "start_date": "2026-05-01",
                "end_date": "2026-07-31",
                "outcome": "70",
                "hours_attended": 10,
            },
            {
                "subject_id": "U2",
                "delivery_location_id": "MAIN01",
                "start_date": "2026-03-01",
                "end_date": "2026-09-30",
                "outcome": "85",
            },
        ],
    },
    "event": {"type": "withdrawal", "date": "2026-06-15", "reason": "MOVED INTERSTATE"},
}


def _run(tmp_path: Path, *flags: str) -> tuple[int, Path]:
    src = tmp_path / "in.json"
    src.write_text(json.dumps([PAIR]), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["finalise", str(src), "--reporting-date", "2026-11-29", "--out", str(out), *flags])
    return code, out


def test_period_dates_unstarted_units_after_its_end_and_decisions_record_the_reason(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "--period", "2026", "--profile", "vic")
    assert code == 0
    rows = {r.subject_id: r for r in read_records(out / "NAT00120.txt", "NAT00120", "vic")}
    assert rows["U2"].outcome_national == "85" and str(rows["U2"].activity_start_date) == "2027-01-01"
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    (e,) = doc["enrolments"]
    assert (e["reason"], e["event_date"]) == ("MOVED INTERSTATE", "2026-06-15")


def test_interim_dates_unstarted_units_after_the_reporting_date(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "--period", "2026", "--interim")
    assert code == 0
    rows = {r.subject_id: r for r in read_records(out / "NAT00120.txt", "NAT00120", "national")}
    assert str(rows["U2"].activity_start_date) == "2026-11-30"


def test_interim_without_a_period_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run(tmp_path, "--interim")
    assert code == 2 and "--interim needs --period" in capsys.readouterr().err
