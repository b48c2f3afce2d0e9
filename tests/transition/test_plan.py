"""Examples of F-TRANSITION, one per row of the superseded-unit table and per plan outcome (finalisation.md)."""

from __future__ import annotations

import datetime

import attrs
import pytest

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.model import ProgramEnrolment, Transition, UnitEnrolment
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.transition import (
    SUPERSEDED_UNIT_TABLE,
    TRANSITION_STRATEGIES,
    SupersededCase,
    TransitionPlan,
    plan_transition,
    program_cap,
)

D = datetime.date
ON = D(2026, 2, 10)
REPORTING = D(2026, 3, 31)


def unit(subject: str, outcome: str | None, start: D, end: D, hours: int | None = None, **kw: object) -> UnitEnrolment:
    return UnitEnrolment(
        subject_id=subject,
        delivery_location_id="LOC01",
        start_date=start,
        end_date=end,
        outcome=outcome,
        hours_attended=hours,
        **kw,  # type: ignore[arg-type]
    )


def superseded(*units: UnitEnrolment, cid: str | None = "CID0000001") -> ProgramEnrolment:
    return ProgramEnrolment(
        training_organisation_id="90001", client_id="TESTCL01", program_id="BSB40120", commitment_id=cid, units=units
    )


def transition(**kw: object) -> Transition:
    values: dict[str, object] = {"date": ON, "current_program_id": "BSB40125", "previously_reported": True}
    values.update(kw)
    return Transition(**values)  # type: ignore[arg-type]


def plan(enrolment: ProgramEnrolment, event: Transition, profile: object = "nsw") -> TransitionPlan:
    return plan_transition(enrolment, event, profile=profile, reporting_date=REPORTING)  # type: ignore[arg-type]


def rows_of(result: TransitionPlan, program: str) -> dict[str, tuple[object, ...]]:
    return {
        r.subject_id or "": (r.outcome_national, r.activity_start_date, r.activity_end_date, r.hours_attended)
        for r in result.rows
        if r.program_id == program
    }


# --- F-TRANSITION-REPORTED: the superseded-unit table, row by row ---------------------------------------------


@pytest.mark.parametrize("outcome", ["20", "51", "60"])
def test_reported_achieved_unit_is_reported_unchanged(outcome: str) -> None:
    """F-TRANSITION-REPORTED, row '20, 51 or 60': reported, outcome unchanged, no changes recorded."""
    u = unit("BSBOLD001", outcome, D(2025, 3, 1), D(2025, 4, 1), 20)
    result = plan(superseded(u), transition())
    assert rows_of(result, "BSB40120") == {"BSBOLD001": (outcome, D(2025, 3, 1), D(2025, 4, 1), 20)}
    (decision,) = result.decisions
    assert decision.rule_id == "F-TRANSITION-REPORTED" and decision.reported and decision.changes == ()


@pytest.mark.parametrize("outcome", [None, "70", "00"])
def test_reported_started_unfinished_following_year_gets_40(outcome: str | None) -> None:
    """F-TRANSITION-REPORTED, row 'started, not completed, following calendar year': 40, end = transition date,
    hours attended kept; before/after values recorded."""
    u = unit("BSBOLD002", outcome, D(2025, 9, 1), D(2026, 5, 1), 12, scheduled_hours=40)
    result = plan(superseded(u), transition())
    assert rows_of(result, "BSB40120") == {"BSBOLD002": ("40", D(2025, 9, 1), ON, 12)}
    changes = {c.field: (c.before, c.after) for c in result.decisions[0].changes}
    assert changes == {"outcome": (outcome, "40"), "end_date": ("2026-05-01", "2026-02-10")}


def test_reported_following_year_outcome_61_is_a_profile_option() -> None:
    """F-TRANSITION-REPORTED: ``transition_incomplete_outcome="61"`` (unverified option) reports 61 instead."""
    u = unit("BSBOLD002", "70", D(2025, 9, 1), D(2026, 5, 1), 12)
    profile = attrs.evolve(get_profile("nsw"), transition_incomplete_outcome="61")
    assert rows_of(plan(superseded(u), transition(), profile), "BSB40120")["BSBOLD002"][0] == "61"


def test_reported_following_year_means_any_later_year_than_the_start() -> None:
    """F-TRANSITION-REPORTED: 'following' is judged against the year the unit started; two years later counts."""
    u = unit("BSBOLD002", "70", D(2024, 11, 1), D(2026, 5, 1), 30)
    assert "BSBOLD002" in rows_of(plan(superseded(u), transition()), "BSB40120")


def test_reported_following_year_without_hours_warns() -> None:
    """F-TRANSITION-REPORTED: 40 with no hours is reported but flagged (state collections expect hours > 0)."""
    u = unit("BSBOLD002", "70", D(2025, 9, 1), D(2026, 5, 1), None)
    result = plan(superseded(u), transition())
    assert "BSBOLD002" in rows_of(result, "BSB40120")
    # Named under V-120-13, an error in the registry (as validate --profile nsw calls the row; rule_severity.py).
    assert any(i.severity is Severity.ERROR and "hours attended" in i.message for i in result.issues)


@pytest.mark.parametrize(
    ("outcome", "start", "hours"),
    [
        ("85", D(2026, 4, 1), 0),  # starts after the transition
        ("70", ON, 0),  # starts on the transition date, no hours: not commenced (as in F-WITHDRAW)
        ("85", D(2025, 10, 1), None),  # 85 with a past start date and no hours: still not started
    ],
)
def test_reported_not_started_unit_is_not_reported(outcome: str, start: D, hours: int | None) -> None:
    """F-TRANSITION-REPORTED, row 'not started': no row; the decision says why."""
    u = unit("BSBOLD003", outcome, start, D(2026, 6, 1), hours)
    result = plan(superseded(u), transition())
    assert rows_of(result, "BSB40120") == {}
    (decision,) = result.decisions
    assert not decision.reported and "not_started" in decision.reason


def test_reported_started_unfinished_same_year_is_not_reported() -> None:
    """F-TRANSITION-REPORTED, row 'started, not completed, same calendar year': no row."""
    u = unit("BSBOLD004", "70", D(2026, 1, 5), D(2026, 6, 1), 8)
    result = plan(superseded(u), transition())
    assert rows_of(result, "BSB40120") == {}
    assert "started_same_year" in result.decisions[0].reason


def test_reported_other_final_outcome_is_kept_with_a_warning() -> None:
    """F-TRANSITION-REPORTED: a final outcome outside the table (e.g. 30) is reported unchanged and flagged."""
    u = unit("BSBOLD005", "30", D(2025, 3, 1), D(2025, 4, 1), 20)
    result = plan(superseded(u), transition())
    assert rows_of(result, "BSB40120")["BSBOLD005"][0] == "30"
    assert any("not covered" in i.message for i in result.issues)


def test_every_table_row_has_an_example_above() -> None:
    """The table is data; each of its rows is exercised by an example in this module."""
    assert set(SUPERSEDED_UNIT_TABLE) == set(SupersededCase)
    assert [c for c, row in SUPERSEDED_UNIT_TABLE.items() if row.reported] == [
        SupersededCase.ACHIEVED,
        SupersededCase.STARTED_FOLLOWING_YEAR,
        SupersededCase.OTHER_FINAL,
    ]


# --- F-TRANSITION-REPORTED: the current program's units ---------------------------------------------------------


def test_reported_credit_transfer_for_enrolled_equivalent_unit() -> None:
    """An achieved superseded unit's equivalent is reported as 60, NNN, N, 0 hours, dated the transition date."""
    old = unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    new = unit("BSBNEW001", "85", D(2026, 4, 1), D(2026, 5, 1), 0, scheduled_hours=25)
    result = plan(superseded(old), transition(unit_map={"BSBOLD001": "BSBNEW001"}, current_units=[new]))
    (row,) = [r for r in result.rows if r.program_id == "BSB40125"]
    assert (row.outcome_national, row.delivery_mode_id, row.predominant_delivery_mode, row.hours_attended) == (
        "60",
        "NNN",
        "N",
        0,
    )
    assert row.scheduled_hours == 0  # V-120-15: credit transfer is reported with 0 scheduled hours
    assert (row.activity_start_date, row.activity_end_date, row.purchasing_contract_id) == (ON, ON, "CID0000001")
    decision = result.decisions[-1]
    assert {c.field for c in decision.changes} >= {"outcome", "delivery_mode", "start_date"}


def test_reported_credit_transfer_created_when_not_enrolled() -> None:
    """A mapped current unit missing from current_units is created from the superseded unit's data, as a credit
    transfer: 0 hours attended and 0 scheduled hours (V-120-15), the superseded unit's 30 kept in the decision."""
    old = unit("BSBOLD001", "51", D(2025, 3, 1), D(2025, 4, 1), 0, scheduled_hours=30, funding_source_national="13")
    result = plan(superseded(old), transition(unit_map={"BSBOLD001": "BSBNEW001"}))
    (row,) = [r for r in result.rows if r.program_id == "BSB40125"]
    assert (row.subject_id, row.outcome_national, row.scheduled_hours, row.funding_source_national) == (
        "BSBNEW001",
        "60",
        0,
        "13",
    )
    assert "created" in result.decisions[-1].reason
    changes = {c.field: c for c in result.decisions[-1].changes}
    assert (changes["scheduled_hours"].before, changes["scheduled_hours"].after) == (None, 0)


def test_reported_mapped_unit_of_unachieved_superseded_unit_is_as_enrolled() -> None:
    """The equivalence only credits achieved units; otherwise the current unit is reported as enrolled."""
    old = unit("BSBOLD002", "70", D(2026, 1, 5), D(2026, 6, 1), 8)
    new = unit("BSBNEW002", "70", D(2026, 2, 10), D(2026, 6, 1), 2)
    result = plan(superseded(old), transition(unit_map={"BSBOLD002": "BSBNEW002"}, current_units=[new]))
    assert rows_of(result, "BSB40125") == {"BSBNEW002": ("70", D(2026, 2, 10), D(2026, 6, 1), 2)}


def test_reported_current_unit_already_final_is_not_overwritten() -> None:
    """A current unit that already has a final outcome other than 60 keeps it; the plan warns."""
    old = unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    new = unit("BSBNEW001", "20", D(2026, 2, 10), D(2026, 2, 20), 10)
    result = plan(superseded(old), transition(unit_map={"BSBOLD001": "BSBNEW001"}, current_units=[new]))
    assert rows_of(result, "BSB40125")["BSBNEW001"][0] == "20"
    assert any("credit transfer not applied" in i.message for i in result.issues)


def test_reported_rows_combine_both_programs_under_the_same_commitment() -> None:
    """F-TRANSITION-REPORTED: superseded and current identifiers, one Commitment ID; TO outcome left blank."""
    old = [unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20), unit("BSBOLD002", "70", D(2025, 9, 1), ON, 5)]
    new = unit("BSBNEW009", "85", D(2026, 4, 1), D(2026, 5, 1), 0)
    result = plan(superseded(*old), transition(current_units=[new]))
    assert result.status == "ready" and result.program_ids == ("BSB40120", "BSB40125")
    assert {(r.program_id, r.purchasing_contract_id) for r in result.rows} == {
        ("BSB40120", "CID0000001"),
        ("BSB40125", "CID0000001"),
    }
    assert all(r.outcome_training_organisation is None for r in result.rows)
    assert any(i.field == "outcome_training_organisation" and "unverified" in i.message for i in result.issues)
    assert [a.kind for a in result.actions] == ["report_rows"]


def test_reported_new_commitment_id_is_not_used() -> None:
    """Data already reported stays under C1; a supplied new Commitment ID is flagged, not silently used."""
    result = plan(superseded(), transition(new_commitment_id="CID0000009"))
    assert result.commitment_id == "CID0000001"
    assert any("CID0000009" in i.message for i in result.issues)


def test_reported_without_commitment_id_is_refused() -> None:
    result = plan(superseded(cid=None), transition())
    assert result.refusal is not None and result.refusal.rule_id == "F-TRANSITION-REPORTED"


def test_unit_marked_reported_overrides_previously_reported_false() -> None:
    """Either flag means data was reported: the Commitment ID is kept, with a warning about the mismatch."""
    u = unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20, reported=True)
    result = plan(superseded(u), transition(previously_reported=False))
    assert result.status == "ready" and result.commitment_id == "CID0000001"
    assert any("treating the data as already reported" in i.message for i in result.issues)


# --- F-TRANSITION-UNREPORTED ----------------------------------------------------------------------------------------


def test_unreported_waits_for_a_new_commitment_id() -> None:
    """F-TRANSITION-UNREPORTED: cancel C1, obtain a new CID before training; no rows until it is supplied."""
    old = unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    new = unit("BSBNEW009", "85", D(2026, 4, 1), D(2026, 5, 1), 0)
    result = plan(superseded(old), transition(previously_reported=False, current_units=[new]))
    assert result.status == "waiting_for_commitment_id" and result.ok
    assert [a.kind for a in result.actions] == [
        "cancel_commitment_id",
        "obtain_commitment_id",
        "wait_for_commitment_id",
    ]
    assert "CID0000001" in result.actions[0].description and "2026-04-01" in result.actions[1].description
    assert result.rows == () and not any(d.reported for d in result.decisions)


def test_unreported_reports_current_program_under_the_new_commitment_id() -> None:
    """F-TRANSITION-UNREPORTED: once the new CID is supplied, only the current program's rows, under it."""
    old = unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    new = unit("BSBNEW009", "85", D(2026, 4, 1), D(2026, 5, 1), 0)
    event = transition(
        previously_reported=False, new_commitment_id="CID0000002", current_units=[new], unit_map={"BSBOLD001": "X1"}
    )
    result = plan(superseded(old), event)
    assert result.status == "ready" and result.program_ids == ("BSB40125",)
    assert {(r.program_id, r.subject_id, r.purchasing_contract_id) for r in result.rows} == {
        ("BSB40125", "BSBNEW009", "CID0000002"),
        ("BSB40125", "X1", "CID0000002"),
    }
    assert result.actions[-1].kind == "report_rows"


def test_unreported_new_commitment_id_must_differ_from_the_cancelled_one() -> None:
    result = plan(superseded(), transition(previously_reported=False, new_commitment_id="CID0000001"))
    assert result.refusal is not None and result.refusal.rule_id == "F-TRANSITION-UNREPORTED"


# --- F-TRANSITION-MAX-PROGRAMS ----------------------------------------------------------------------------------------


def test_max_programs_a_b_c_is_fine() -> None:
    enrolment = attrs.evolve(superseded(), program_id="B")
    result = plan(enrolment, transition(current_program_id="C", previous_program_ids=["A"]))
    assert result.ok and result.program_ids == ("A", "B", "C")


def test_max_programs_a_b_c_d_is_refused_naming_the_programs() -> None:
    enrolment = attrs.evolve(superseded(), program_id="C")
    result = plan(enrolment, transition(current_program_id="D", previous_program_ids=["A", "B"]))
    assert result.refusal is not None
    assert result.refusal.rule_id == "F-TRANSITION-MAX-PROGRAMS"
    assert result.refusal.program_ids == ("A", "B", "C", "D")
    assert "A → B → C → D" in result.refusal.message and "at most 3" in result.refusal.message


# --- guards and profiles -------------------------------------------------------------------------------------------


def test_final_outcome_after_reporting_date_is_refused() -> None:
    """No NAT row carries a final outcome ending after the reporting date: the unit is named."""
    u = unit("BSBOLD001", "20", D(2026, 3, 1), D(2026, 5, 1), 20)
    result = plan(superseded(u), transition())
    assert result.refusal is not None and result.refusal.subject_ids == ("BSBOLD001",)
    assert result.rows == () and result.decisions  # decisions still explain the unit


def test_current_unit_without_outcome_is_refused() -> None:
    new = unit("BSBNEW009", None, D(2026, 4, 1), D(2026, 5, 1), 0)
    result = plan(superseded(), transition(current_units=[new]))
    assert result.refusal is not None and result.refusal.subject_ids == ("BSBNEW009",)


def test_transition_to_the_same_program_is_refused() -> None:
    result = plan(superseded(), transition(current_program_id="BSB40120"))
    assert result.refusal is not None and result.refusal.rule_id == "F-TRANSITION"


def test_unit_map_naming_an_unknown_superseded_unit_warns() -> None:
    result = plan(superseded(), transition(unit_map={"NOPE": "X1"}))
    assert any(i.value == "NOPE" for i in result.issues)


@pytest.mark.parametrize("name", ["vic", "qld"])
def test_vic_and_qld_are_not_implemented(name: str) -> None:
    """The profile seam: VIC (Associated course identifier) and QLD (65) refuse honestly."""
    result = plan(superseded(), transition(), name)
    assert result.status == "refused" and result.refusal is not None
    assert "not implemented" in result.refusal.message
    assert TRANSITION_STRATEGIES[name].planner is None


@pytest.mark.parametrize("name", ["national", "tas"])
def test_other_profiles_apply_the_nsw_table_with_a_note(name: str) -> None:
    result = plan(superseded(), transition(), name)
    assert result.ok and result.issues[0].severity is Severity.INFO and "NSW" in result.issues[0].message


def test_max_programs_cap_is_three_in_every_profile_unless_a_caller_changes_it() -> None:
    """F-TRANSITION-MAX-PROGRAMS: "never more than three program identifiers per learner commitment"."""
    for name in ("national", "nsw", "vic", "qld", "tas"):
        assert program_cap(get_profile(name)) == 3
    assert program_cap(attrs.evolve(get_profile("national"), max_programs_per_commitment=None)) is None
    assert program_cap(attrs.evolve(get_profile("tas"), max_programs_per_commitment=2)) == 2


def test_reported_following_year_hours_above_scheduled_warn() -> None:
    """F-TRANSITION-REPORTED: hours attended are kept as given, but more than scheduled is flagged."""
    u = unit("BSBOLD002", "70", D(2025, 9, 1), D(2026, 5, 1), 50, scheduled_hours=40)
    result = plan(superseded(u), transition())
    assert rows_of(result, "BSB40120")["BSBOLD002"][3] == 50
    assert any("exceed scheduled" in i.message for i in result.issues)


def test_a_subject_twice_in_one_program_is_refused_not_written_twice() -> None:
    """Like finalise(): a duplicated subject would give duplicate NAT00120 rows, so the plan is refused naming it."""
    old = unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    new = unit("BSBNEW001", "70", D(2026, 2, 10), D(2026, 6, 1), 2)
    result = plan(superseded(old, old), transition(current_units=[new, new]))
    assert result.status == "refused" and result.rows == () and result.refusal is not None
    assert result.refusal.subject_ids == ("BSBOLD001", "BSBNEW001")
    assert "BSB40120 unit BSBOLD001" in result.refusal.message and "BSB40125 unit BSBNEW001" in result.refusal.message
    assert plan(superseded(old), transition(current_units=[new])).ok


def test_unreported_obtain_action_says_when_the_new_commitment_id_is_supplied() -> None:
    """F-TRANSITION-UNREPORTED: the obtain step reads as done once the new Commitment ID is given."""
    old = unit("BSBOLD001", "20", D(2025, 3, 1), D(2025, 4, 1), 20)
    waiting = plan(superseded(old), transition(previously_reported=False))
    ready = plan(superseded(old), transition(previously_reported=False, new_commitment_id="CID0000009"))
    assert waiting.actions[1].description.endswith("starts.")
    assert ready.actions[1].kind == "obtain_commitment_id" and ready.actions[1].description.endswith(
        "starts: supplied, CID0000009."
    )
