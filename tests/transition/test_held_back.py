"""F-TRANSITION-UNREPORTED without the new Commitment ID (issue #8): the current program's rows are held back, so
no warning is given about them — the warnings the same rows get once written (V-120-18, V-120-08, a credit
transfer that cannot apply) come when the Commitment ID is supplied. A held-back row's only notice is its
decision (and the plan's ``wait_for_commitment_id`` action). Synthetic records only.
"""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.batch import finalise_batch
from avetmiss_finalise.jsonio import InputItem
from avetmiss_finalise.model import ProgramEnrolment, Transition
from avetmiss_finalise.transition import plan_transition
from tests.transition.test_agreement_transition import unit

D = datetime.date
REPORTING = D(2026, 11, 30)


OLD = ProgramEnrolment(
    training_organisation_id="90001",
    client_id="C0000001",
    program_id="BSB40120",
    commitment_id="C000010001",
    units=(unit("OLD1", "20", D(2026, 2, 1), D(2026, 3, 1)),),
)
#: Rows that draw warnings when written: an 85 with hours (V-120-18), an 85 starting within the year (V-120-08,
#: no period), and a current unit mapped from an achieved one that already has a final outcome (no credit).
EVENT = Transition(
    date=D(2026, 6, 1),
    current_program_id="BSB50120",
    previously_reported=False,
    unit_map={"OLD1": "NEW3"},
    current_units=(
        unit("NEW1", "85", D(2026, 7, 1), D(2026, 8, 1), hours=6),
        unit("NEW2", "85", D(2026, 7, 1), D(2026, 8, 1)),
        unit("NEW3", "30", D(2026, 4, 1), D(2026, 5, 1)),
    ),
)


def _about_units(issues: tuple[object, ...]) -> list[str]:
    return [str(i) for i in issues if any(f"unit {s}" in str(i) for s in ("NEW1", "NEW2", "NEW3"))]


def test_no_warning_about_rows_held_back_for_the_new_commitment_id() -> None:
    written = plan_transition(
        OLD, attrs.evolve(EVENT, new_commitment_id="C000010002"), profile="nsw", reporting_date=REPORTING
    )
    assert written.status == "ready" and len(written.rows) == 3
    assert {i.rule_id for i in written.issues} >= {"V-120-18", "V-120-08"}  # what the written rows are warned of
    waiting = plan_transition(OLD, EVENT, profile="nsw", reporting_date=REPORTING)
    assert waiting.status == "waiting_for_commitment_id" and waiting.rows == ()
    assert _about_units(waiting.issues) == []
    assert [i.rule_id for i in waiting.issues] == [i.rule_id for i in written.issues if "unit NEW" not in i.message]
    # The one notice a held-back row gets: its decision.
    held = [d for d in waiting.decisions if d.subject_id.startswith("NEW")]
    assert len(held) == 3 and all(not d.reported and "held back" in d.reason for d in held)
    assert [a.kind for a in waiting.actions][-1] == "wait_for_commitment_id"


def test_the_batch_warns_only_about_rows_it_writes() -> None:
    """The finalise command's batch: nothing written for the waiting transition, so no warning about its units
    (the pre-flight checks written bytes only)."""
    batch = finalise_batch([InputItem(enrolment=OLD, event=EVENT)], "nsw", REPORTING)
    (outcome,) = batch.outcomes
    assert outcome.rows == () and _about_units(outcome.issues) == []
