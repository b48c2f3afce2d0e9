"""The transition examples in fixtures/enrolments parse through the JSON edge and plan as documented."""

from __future__ import annotations

import datetime
from pathlib import Path

from avetmiss_finalise.jsonio import parse_input
from avetmiss_finalise.model import Transition
from avetmiss_finalise.transition import TransitionPlan, plan_transition

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "enrolments"
REPORTING = datetime.date(2026, 3, 31)


def plans(name: str) -> list[TransitionPlan]:
    items = parse_input((FIXTURES / name).read_text(encoding="utf-8"))
    assert all(isinstance(i.event, Transition) for i in items)
    return [
        plan_transition(i.enrolment, i.event, reporting_date=REPORTING)
        for i in items
        if isinstance(i.event, Transition)
    ]


def test_reported_fixture_combines_both_programs() -> None:
    """F-TRANSITION-REPORTED: 20 and 51 unchanged, 70 from last year → 40, same-year and unstarted left out."""
    (plan,) = plans("transition-reported.json")
    rows = {(r.program_id, r.subject_id): r.outcome_national for r in plan.rows}
    assert rows == {
        ("BSB40120", "BSBOLD001"): "20",
        ("BSB40120", "BSBOLD002"): "51",
        ("BSB40120", "BSBOLD003"): "40",
        ("BSB40125", "BSBNEW001"): "60",
        ("BSB40125", "BSBNEW002"): "60",
        ("BSB40125", "BSBNEW003"): "70",
    }
    assert {r.purchasing_contract_id for r in plan.rows} == {"CIDTEST00001"}


def test_unreported_fixture_waits_then_reports_under_the_new_commitment_id() -> None:
    """F-TRANSITION-UNREPORTED: without the new CID the plan waits; with it, only current rows under it."""
    waiting, ready = plans("transition-unreported.json")
    assert (waiting.status, waiting.rows) == ("waiting_for_commitment_id", ())
    assert ready.status == "ready"
    assert {(r.program_id, r.purchasing_contract_id) for r in ready.rows} == {("BSB40125", "CIDTEST00013")}


def test_fourth_program_fixture_is_refused() -> None:
    """F-TRANSITION-MAX-PROGRAMS: TSTPRG001 → … → TSTPRG004 is refused, every program named."""
    (plan,) = plans("transition-fourth-program.json")
    assert plan.refusal is not None
    assert plan.refusal.program_ids == ("TSTPRG001", "TSTPRG002", "TSTPRG003", "TSTPRG004")
