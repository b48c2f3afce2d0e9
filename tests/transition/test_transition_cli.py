"""``avetmiss-finalise finalise`` with ``event.type = "transition"``: same JSON/CLI path as finalisation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from avetmiss_finalise.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "enrolments"


def run(name: str, out: Path, profile: str = "nsw") -> int:
    argv = ["finalise", str(FIXTURES / name), "--profile", profile, "--reporting-date", "2026-03-31"]
    return main([*argv, "--out", str(out)])


def decisions(out: Path) -> list[dict[str, Any]]:
    doc = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    enrolments: list[dict[str, Any]] = doc["enrolments"]
    return enrolments


def test_refused_transition_exits_1_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """F-TRANSITION-MAX-PROGRAMS through the CLI: exit 1, the refusal and every program on stderr."""
    assert run("transition-fourth-program.json", tmp_path) == 1
    err = capsys.readouterr().err
    assert "F-TRANSITION-MAX-PROGRAMS" in err and "TSTPRG001 → TSTPRG002 → TSTPRG003 → TSTPRG004" in err
    (entry,) = decisions(tmp_path)
    assert entry["ok"] is False and entry["refusal"]["program_ids"] == [f"TSTPRG00{i}" for i in range(1, 5)]


def test_unreported_transition_actions_are_in_decisions_json(tmp_path: Path) -> None:
    """F-TRANSITION-UNREPORTED through the CLI: the plan's actions and programs land in decisions.json."""
    assert run("transition-unreported.json", tmp_path) == 0
    waiting, ready = decisions(tmp_path)
    assert [a["kind"] for a in waiting["plan_actions"]] == [
        "cancel_commitment_id",
        "obtain_commitment_id",
        "wait_for_commitment_id",
    ]
    assert waiting["nat00120_rows"] == 0 and waiting["plan_program_ids"] == ["BSB40125"]
    assert ready["plan_actions"][-1]["kind"] == "report_rows" and ready["nat00120_rows"] == 2
    assert all(a["rule_id"] == "F-TRANSITION-UNREPORTED" for a in waiting["plan_actions"])


def test_reported_transition_writes_both_programs_to_nat00120(tmp_path: Path) -> None:
    """F-TRANSITION-REPORTED through the CLI: NAT00120.txt holds superseded and current rows, one CID."""
    assert run("transition-reported.json", tmp_path) == 0
    lines = (tmp_path / "NAT00120.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    assert {line[42:52].strip() for line in lines} == {"BSB40120", "BSB40125"}
    assert {line[124:136].strip() for line in lines} == {"CIDTEST00001"}
    (entry,) = decisions(tmp_path)
    changed = {d["subject_id"]: d for d in entry["decisions"] if d["changes"]}
    assert {"field": "outcome", "before": "70", "after": "40"} in changed["BSBOLD003"]["changes"]


def test_vic_transition_is_refused_as_not_implemented(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("transition-reported.json", tmp_path, profile="vic") == 1
    assert "not implemented" in capsys.readouterr().err


def test_decisions_json_carries_the_commitment_id_the_rows_go_under(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F-TRANSITION-UNREPORTED: ``commitment_id`` is the NEW one rows are reported under (null while waiting);
    the cancelled one stays visible as ``input_commitment_id``. The summary says the same to a person."""
    assert run("transition-unreported.json", tmp_path) == 0
    waiting, ready = decisions(tmp_path)
    assert (waiting["commitment_id"], waiting["input_commitment_id"]) == (None, "CIDTEST00002")
    assert (ready["commitment_id"], ready["input_commitment_id"]) == ("CIDTEST00013", "CIDTEST00003")
    lines = (tmp_path / "NAT00120.txt").read_text(encoding="utf-8").splitlines()
    assert {line[124:136].strip() for line in lines} == {ready["commitment_id"]}
    out = capsys.readouterr().out
    assert "[1] TESTCL03 BSB40120 -> BSB40125 transition" in out
    assert "2 NAT00120 rows (60: 1, 85: 1) under Commitment ID CIDTEST00013" in out
    assert "    cancel_commitment_id: Cancel Commitment ID CIDTEST00002" in out
    assert "2 enrolments: 1 finalised, 1 waiting for a new Commitment ID, 0 refused" in out


def test_reported_transition_keeps_the_enrolment_commitment_id(tmp_path: Path) -> None:
    assert run("transition-reported.json", tmp_path) == 0
    (entry,) = decisions(tmp_path)
    assert entry["commitment_id"] == entry["input_commitment_id"] == "CIDTEST00001"
