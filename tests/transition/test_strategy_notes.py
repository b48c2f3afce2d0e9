"""The info note a profile without transition rules of its own puts on every plan, pinned word for word: it is
what tells a national or TAS provider that the NSW table was applied as a default (so the mutants that rename
"national" or "TAS" in it are observable, not equivalent)."""

from __future__ import annotations

import datetime

import pytest

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.model import ProgramEnrolment, Transition, UnitEnrolment
from avetmiss_finalise.transition import plan_transition

D = datetime.date


def _plan_notes(profile: str) -> list[str]:
    unit = UnitEnrolment(
        subject_id="U001",
        delivery_location_id="LOC01",
        start_date=D(2026, 1, 5),
        end_date=D(2026, 1, 30),
        outcome="20",
    )
    enrolment = ProgramEnrolment(
        training_organisation_id="90001",
        client_id="TESTCL01",
        program_id="BSB40120",
        commitment_id="CID0000001",
        units=(unit,),
    )
    event = Transition(date=D(2026, 2, 10), current_program_id="BSB40125", previously_reported=True)
    plan = plan_transition(enrolment, event, profile=profile, reporting_date=D(2026, 3, 31))
    return [i.message for i in plan.issues if i.severity is Severity.INFO and i.rule_id == "F-TRANSITION"]


@pytest.mark.parametrize(("profile", "name"), [("national", "national"), ("tas", "TAS")])
def test_a_profile_without_its_own_rules_says_the_nsw_table_is_the_default(profile: str, name: str) -> None:
    assert _plan_notes(profile) == [
        f"no {name} transition rules are known: the NSW Smart and Skilled superseded-unit table is applied as the "
        "default (finalisation.md F-TRANSITION)"
    ]


def test_nsw_gets_no_default_note() -> None:
    assert _plan_notes("nsw") == []
