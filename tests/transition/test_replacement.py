"""F-TRANSITION reading the current replacement from the qualification list (issue #14 item 2, finalisation side).

``plan_transition(..., replacements=...)``: without ``current_program_id`` the plan is the plan of the replacement
the list names (plus an info note saying where it came from); with it, the input wins (a warning when the list
disagrees); with no list or no single replacement, an honest refusal.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avetmiss_finalise.cli import main
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.reference import ProgramEntry, ProgramTable
from avetmiss_finalise.transition import plan_transition
from tests.strategies.transition import CURRENT, REPORTING_DATE, SUPERSEDED, superseded_enrolments, transitions

FEW = settings(max_examples=max(10, settings().max_examples // 2))
ROOT = Path(__file__).resolve().parents[2]

LIST = ProgramTable.from_entries(
    [
        ProgramEntry(code=SUPERSEDED, statuses=("superseded",), superseded_by=("MIDPROG",)),
        ProgramEntry(code="MIDPROG", statuses=("superseded",), superseded_by=(CURRENT,)),
        ProgramEntry(code=CURRENT, statuses=("current",)),
    ]
)


def _without_notes(plan: object) -> object:
    return attrs.evolve(plan, issues=tuple(i for i in plan.issues if "qualification list" not in i.message))  # type: ignore[attr-defined]


@FEW
@given(data=st.data(), profile=st.sampled_from(("nsw", "national")))
def test_a_missing_current_program_is_read_from_the_list(data: st.DataObject, profile: str) -> None:
    enrolment = data.draw(superseded_enrolments())
    event = data.draw(transitions(enrolment))
    given_plan = plan_transition(enrolment, event, profile=profile, reporting_date=REPORTING_DATE)
    missing = attrs.evolve(event, current_program_id=None)
    read = plan_transition(
        enrolment, missing, profile=profile, reporting_date=REPORTING_DATE, replacements=LIST.current_replacement
    )
    assert _without_notes(read) == given_plan
    (note,) = [i for i in read.issues if "qualification list" in i.message]
    assert note.severity is Severity.INFO and f"{SUPERSEDED} → MIDPROG → {CURRENT}" in note.message


@FEW
@given(data=st.data())
def test_the_input_current_program_wins_over_the_list(data: st.DataObject) -> None:
    enrolment = data.draw(superseded_enrolments())
    event = data.draw(transitions(enrolment))
    plain = plan_transition(enrolment, event, profile="nsw", reporting_date=REPORTING_DATE)
    agreeing = plan_transition(
        enrolment, event, profile="nsw", reporting_date=REPORTING_DATE, replacements=LIST.current_replacement
    )
    assert agreeing == plain
    other = ProgramTable.from_entries([ProgramEntry(code=SUPERSEDED, superseded_by=("ELSEPROG",))])
    overridden = plan_transition(
        enrolment, event, profile="nsw", reporting_date=REPORTING_DATE, replacements=other.current_replacement
    )
    assert _without_notes(overridden) == plain
    assert [i.severity for i in overridden.issues if "ELSEPROG" in i.message] == [Severity.WARNING]


@FEW
@given(data=st.data())
def test_no_list_or_no_single_replacement_is_a_refusal(data: st.DataObject) -> None:
    enrolment = data.draw(superseded_enrolments())
    event = attrs.evolve(data.draw(transitions(enrolment)), current_program_id=None)
    no_list = plan_transition(enrolment, event, profile="nsw", reporting_date=REPORTING_DATE)
    assert no_list.status == "refused" and no_list.refusal is not None
    assert "--reference" in no_list.refusal.message
    several = ProgramTable.from_entries([ProgramEntry(code=SUPERSEDED, superseded_by=("AAAPROG", "BBBPROG"))])
    plan = plan_transition(
        enrolment, event, profile="nsw", reporting_date=REPORTING_DATE, replacements=several.current_replacement
    )
    assert plan.refusal is not None and "several replacements" in plan.refusal.message


def test_finalise_reference_fills_a_missing_current_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CLI: finalise --reference DIR with qualifications.csv; the transition item has no current_program_id."""
    items = json.loads((ROOT / "fixtures" / "enrolments" / "transition-reported.json").read_text("utf-8"))
    for item in items:
        del item["event"]["current_program_id"]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(items), "utf-8")
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "qualifications.csv").write_text(
        "Code,Title,Usage recommendation,Superseded by\n"
        "BSB40120,SAMPLE OLD,Superseded,BSB40125\nBSB40125,SAMPLE NEW,Current,\n",
        "utf-8",
    )
    args = ["finalise", str(source), "--profile", "nsw", "--reporting-date", "2026-11-29"]
    assert main([*args, "--out", str(tmp_path / "none")]) == 1  # refused: no list to read it from
    assert main([*args, "--out", str(tmp_path / "out"), "--reference", str(ref)]) == 0
    decisions = json.loads((tmp_path / "out" / "decisions.json").read_text("utf-8"))
    text = json.dumps(decisions)
    assert "BSB40125" in text and "read from the qualification list" in text
    expected = tmp_path / "given"
    main(
        [
            "finalise",
            str(ROOT / "fixtures" / "enrolments" / "transition-reported.json"),
            *args[2:],
            "--out",
            str(expected),
        ]
    )
    assert (tmp_path / "out" / "NAT00120.txt").read_bytes() == (expected / "NAT00120.txt").read_bytes()
    capsys.readouterr()
