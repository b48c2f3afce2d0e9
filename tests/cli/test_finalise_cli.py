"""``avetmiss-finalise finalise`` and ``demo`` through ``cli.main``: exit codes, files, decisions.json, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from avetmiss_finalise.cli import main
from avetmiss_finalise.nat import read_records

ROOT = Path(__file__).resolve().parents[2]


def _unit(sid: str, start: str, end: str, outcome: str, hours: int = 10) -> dict[str, object]:
    return {
        "subject_id": sid,
        "delivery_location_id": "MAIN01",
        "start_date": start,
        "end_date": end,
        "outcome": outcome,
        "hours_attended": hours,
        "scheduled_hours": 40,
    }


def _pair(client: str, event: dict[str, object], *units: dict[str, object]) -> dict[str, object]:
    return {
        "enrolment": {
            "training_organisation_id": "90001",
            "client_id": client,
            "program_id": "BSB40120",
            "commitment_id": "C000000001",
            "units": list(units),
        },
        "event": event,
    }


WITHDRAWAL = _pair(
    "TESTCL01",
    {"type": "withdrawal", "date": "2026-06-15", "status": "cancelled_penalty"},
    _unit("U1", "2026-05-01", "2026-07-31", "70"),
    _unit("U2", "2026-08-01", "2026-09-30", "85", 0),
)
REFUSED = _pair(
    "TESTCL02",
    {"type": "completion", "date": "2026-06-30"},
    _unit("U1", "2026-05-01", "2026-06-01", "20"),
    _unit("U2", "2026-05-01", "2026-06-01", "70"),
)
COMPLETION = _pair(
    "TESTCL03",
    {"type": "completion", "date": "2026-06-30", "credential_issued": True},
    _unit("U1", "2026-05-01", "2026-06-01", "20"),
)


def _run(tmp_path: Path, data: object, *extra: str) -> tuple[int, Path]:
    source = tmp_path / "input.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["finalise", str(source), "--reporting-date", "2026-12-31", "--out", str(out), *extra])
    return code, out


def test_all_finalised_exits_0_and_writes_nat_files_and_decisions(tmp_path: Path, capsys) -> None:
    code, out = _run(tmp_path, [WITHDRAWAL, COMPLETION], "--profile", "nsw")
    assert code == 0
    rows = read_records(out / "NAT00120.txt", profile="nsw")
    assert [(r.client_id, r.subject_id, r.outcome_national, r.outcome_training_organisation) for r in rows] == [
        ("TESTCL01", "U1", "40", "TNC"),
        ("TESTCL01", "U2", "85", "TNC"),
        ("TESTCL03", "U1", "20", None),
    ]
    (done,) = read_records(out / "NAT00130.txt", profile="nsw")
    assert (done.client_id, done.issued_flag) == ("TESTCL03", "Y")
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    first = doc["enrolments"][0]
    assert (first["status"], first["training_organisation_outcome"], first["ok"]) == ("cancelled_penalty", "TNC", True)
    assert first["decisions"][0]["rule_id"] == "F-WITHDRAW-COMMENCED"
    assert {"field": "outcome", "before": "70", "after": "40"} in first["decisions"][0]["changes"]
    assert [t["kind"] for t in first["tasks"]] == ["disable_access", "mark_inactive", "check_unenrolment"]
    assert "2 enrolments: 2 finalised, 0 refused; 3 NAT00120 rows, 1 NAT00130 rows" in capsys.readouterr().out


def test_a_refused_enrolment_exits_1_and_the_others_are_still_written(tmp_path: Path, capsys) -> None:
    code, out = _run(tmp_path, [WITHDRAWAL, REFUSED])
    assert code == 1
    assert {r.client_id for r in read_records(out / "NAT00120.txt")} == {"TESTCL01"}
    err = capsys.readouterr().err
    assert "input.json: [1].enrolment: refused F-COMPLETE" in err and "U2" in err
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    assert doc["enrolments"][1]["refusal"]["subject_ids"] == ["U2"]


def test_bad_input_exits_2_naming_every_path_and_writes_nothing(tmp_path: Path, capsys) -> None:
    bad = json.loads(json.dumps([WITHDRAWAL, WITHDRAWAL]))
    bad[1]["event"]["date"] = "31/12/2026"
    bad[1]["enrolment"]["surprise"] = 1
    code, out = _run(tmp_path, bad)
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert 'input.json: [1].event.date: expected ISO date (YYYY-MM-DD), got "31/12/2026"' in err
    assert "input.json: [1].enrolment: unknown keys: surprise" in err
    assert "Traceback" not in err


def test_invalid_json_and_missing_file_exit_2(tmp_path: Path, capsys) -> None:
    source = tmp_path / "input.json"
    source.write_text("[{", encoding="utf-8")
    assert main(["finalise", str(source), "--reporting-date", "2026-12-31", "--out", str(tmp_path / "o")]) == 2
    assert "invalid JSON" in capsys.readouterr().err
    missing = tmp_path / "nope.json"
    assert main(["finalise", str(missing), "--reporting-date", "2026-12-31", "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err  # the same words as every input path


def test_reporting_date_is_required_and_iso(tmp_path: Path, capsys) -> None:
    source = tmp_path / "input.json"
    source.write_text("[]", encoding="utf-8")
    assert main(["finalise", str(source), "--out", str(tmp_path / "o")]) == 2
    assert main(["finalise", str(source), "--reporting-date", "31/12/2026", "--out", str(tmp_path / "o")]) == 2
    assert "expected ISO date" in capsys.readouterr().err


def test_transition_input_is_dispatched_to_the_transition_planner(tmp_path: Path) -> None:
    data = json.loads((ROOT / "fixtures" / "enrolments" / "nsw.json").read_text(encoding="utf-8"))
    code, out = _run(tmp_path, data, "--profile", "nsw")
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    transition = next(e for e in doc["enrolments"] if e["event"] == "transition")
    assert code == 0 and transition["status"] == "transition ready" and transition["nat00120_rows"] > 0
    assert transition["plan_program_ids"] == ["BSB40115", "BSB40120"]


@pytest.mark.parametrize("profile", ["national", "nsw"])
def test_demo_writes_both_profiles(tmp_path: Path, capsys, profile: str) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    assert read_records(tmp_path / profile / "NAT00120.txt", profile=profile)
    assert (tmp_path / profile / "decisions.json").is_file()
    assert "refused" in capsys.readouterr().out  # the summary line counts refusals (0)


def test_values_too_wide_for_nat_refuse_that_enrolment_only(tmp_path: Path, capsys) -> None:
    """A subject id longer than NAT00120's 12 characters (or hours above 9999): that enrolment is refused (exit 1),
    located at the enrolment and unit, never truncated; every other enrolment's rows are still written."""
    wide = _pair(
        "TESTCL04",
        {"type": "completion", "date": "2026-06-30"},
        _unit("AVERYLONGSUBJECTCODE", "2026-05-01", "2026-06-01", "20"),
    )
    many_hours = _pair(
        "TESTCL05",
        {"type": "withdrawal", "date": "2026-06-15", "hours_attended": {"U1": 12345}},
        _unit("U1", "2026-05-01", "2026-07-31", "70"),
    )
    code, out = _run(tmp_path, [COMPLETION, wide, many_hours], "--profile", "nsw")
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "input.json: [1].enrolment: refused NAT-WRITE" in err
    assert "unit AVERYLONGSUBJECTCODE: subject_id: cannot write" in err
    assert "input.json: [2].enrolment: refused NAT-WRITE" in err and "hours_attended: cannot write 12345" in err
    assert [r.client_id for r in read_records(out / "NAT00120.txt", profile="nsw")] == ["TESTCL03"]
    assert [r.client_id for r in read_records(out / "NAT00130.txt", profile="nsw")] == ["TESTCL03"]
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    refused = doc["enrolments"][2]
    assert (refused["ok"], refused["nat00120_rows"], refused["tasks"]) == (False, 0, [])
    assert refused["training_organisation_outcome"] is None and refused["refusal"]["subject_ids"] == ["U1"]


def test_demo_tells_a_person_what_happened(tmp_path: Path, capsys) -> None:
    """The demo's stdout names each enrolment's outcome tally, follow-up tasks and plan actions, and where to look."""
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "[0] C0000002 BSB50120 withdrawal -> withdrawn: 4 NAT00120 rows (40: 2, 85: 2)" in out
    assert "    follow-up: survey, credential, disable_access, mark_inactive, check_unenrolment" in out
    assert "[1] C0000005 BSB40115 -> BSB40120 transition" in out
    assert "    report_rows: Report 6 NAT00120 rows under Commitment ID C000234567" in out
    assert "decisions.json" in out.splitlines()[-1]


def test_two_items_writing_the_same_row_are_warned_about(tmp_path: Path, capsys) -> None:
    """The same enrolment finalised twice in one input: both are written (nothing dropped), the second named under
    X-12 (its NAT00120 rows) and X-09 (its NAT00130 record) with the validator's severity, an error, so the run
    exits 1 (a written row carries an error)."""
    code, out = _run(tmp_path, [COMPLETION, COMPLETION])
    assert code == 1
    assert "input.json: [1].enrolment: error X-12: unit U1: item [0] already writes the same" in capsys.readouterr().err
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    assert [i["rule_id"] for i in doc["enrolments"][0]["issues"]] == []
    assert [i["rule_id"] for i in doc["enrolments"][1]["issues"]] == ["X-09", "X-12"]


def test_help_states_the_exit_codes_and_the_schema(capsys) -> None:
    assert main(["finalise", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "exit codes: 0 every enrolment finalised" in text
    assert "1 some refused" in text and "2 unreadable or invalid input" in text
    assert "finalise-input.schema.json" in text


def test_unpaired_surrogate_in_an_identifier_exits_2_without_traceback(tmp_path: Path, capsys) -> None:
    source = tmp_path / "input.json"
    source.write_text(json.dumps([COMPLETION]).replace('"TESTCL03"', '"C\\ud800"'), encoding="utf-8")
    assert main(["finalise", str(source), "--reporting-date", "2026-12-31", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "[0].enrolment.client_id: expected text" in err and "Traceback" not in err


def test_warnings_follow_their_enrolment_when_both_streams_share_a_pipe(tmp_path: Path) -> None:
    """``finalise … 2>&1 | less``: each stderr line comes right after its enrolment's stdout line, not at the end."""
    import os
    import subprocess
    import sys

    source = tmp_path / "input.json"
    source.write_text(json.dumps([WITHDRAWAL, REFUSED, COMPLETION]), encoding="utf-8")
    argv = [sys.executable, "-m", "avetmiss_finalise", "finalise", str(source), "--reporting-date", "2026-12-31"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout block-buffered, as for users
    done = subprocess.run(
        [*argv, "--out", str(tmp_path / "o")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        env=env,
    )
    lines = done.stdout.splitlines()
    refused_at = next(i for i, line in enumerate(lines) if "refused F-COMPLETE" in line)
    assert lines[refused_at - 1].startswith("[1] TESTCL02") and lines[refused_at + 1].startswith("[2] TESTCL03")
