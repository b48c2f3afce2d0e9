"""Hypothesis properties of F-TRANSITION, one or more per rule ID (finalisation.md)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.model import ProgramEnrolment, Transition, UnitEnrolment
from avetmiss_finalise.outcomes.rows import nat00120_row
from avetmiss_finalise.profiles import get_profile
from avetmiss_finalise.transition import SupersededCase, TransitionPlan, classify_superseded, plan_transition
from avetmiss_finalise.transition._table import FINAL
from tests.strategies.transition import (
    CURRENT,
    REPORTING_DATE,
    SUPERSEDED,
    program_chains,
    superseded_enrolments,
    transitions,
    units,
)


@st.composite
def cases(
    draw: st.DrawFn, *, previously_reported: bool | None = None, commitment_id: bool | None = True
) -> tuple[ProgramEnrolment, Transition]:
    enrolment = draw(superseded_enrolments(commitment_id=commitment_id))
    if previously_reported is False:
        enrolment = attrs.evolve(enrolment, units=[attrs.evolve(u, reported=False) for u in enrolment.units])
    event = draw(transitions(enrolment, previously_reported=previously_reported))
    return enrolment, event


def plan(enrolment: ProgramEnrolment, event: Transition, profile: str = "nsw") -> TransitionPlan:
    return plan_transition(enrolment, event, profile=profile, reporting_date=REPORTING_DATE)


def _chain_event(chain: list[str]) -> tuple[ProgramEnrolment, Transition]:
    enrolment = ProgramEnrolment(
        training_organisation_id="90001",
        client_id="TESTCL01",
        program_id=chain[-2],
        commitment_id="CID0000001",
        units=(),
    )
    event = Transition(
        date=datetime.date(2026, 3, 1),
        current_program_id=chain[-1],
        previously_reported=True,
        previous_program_ids=tuple(chain[:-2]),
    )
    return enrolment, event


@given(program_chains())
def test_f_transition_max_programs_cap_holds_for_any_chain(chain: list[str]) -> None:
    """F-TRANSITION-MAX-PROGRAMS: A → B → C is reported, a fourth program is refused naming every program."""
    result = plan(*_chain_event(chain))
    if len(chain) <= 3:
        assert result.ok
        assert result.program_ids == tuple(chain)
        assert {r.program_id for r in result.rows} <= set(chain)
    else:
        assert result.status == "refused"
        assert result.refusal is not None
        assert result.refusal.rule_id == "F-TRANSITION-MAX-PROGRAMS"
        assert result.refusal.program_ids == tuple(chain)
        assert all(p in result.refusal.message for p in chain)
        assert result.rows == () and result.actions == ()


@given(program_chains(min_size=2, max_size=7))
def test_f_transition_max_programs_successive_transitions_stop_at_the_fourth(chain: list[str]) -> None:
    """F-TRANSITION-MAX-PROGRAMS: chaining plans (each one's programs feeding the next) never exceeds three."""
    reported: tuple[str, ...] = (chain[0],)
    for i in range(1, len(chain)):
        enrolment, event = _chain_event([*reported[:-1], reported[-1], chain[i]])
        result = plan(enrolment, event)
        if i < 3:
            assert result.ok and len(result.program_ids) == i + 1
            reported = result.program_ids
        else:
            assert result.refusal is not None and result.refusal.program_ids == (*reported, chain[i])
            return


@given(program_chains(min_size=4), st.sampled_from(["national", "tas"]))
def test_f_transition_max_programs_applies_under_national_and_tas_too(chain: list[str], name: str) -> None:
    """F-TRANSITION-MAX-PROGRAMS: a fourth program is refused under national/TAS as under nsw; only a caller
    that deliberately lifts the cap (``max_programs_per_commitment=None``) may report more."""
    enrolment, event = _chain_event(chain)
    refused = plan_transition(enrolment, event, profile=name, reporting_date=REPORTING_DATE)
    assert refused.refusal is not None and refused.refusal.rule_id == "F-TRANSITION-MAX-PROGRAMS"
    lifted = attrs.evolve(get_profile(name), max_programs_per_commitment=None)
    assert plan_transition(enrolment, event, profile=lifted, reporting_date=REPORTING_DATE).ok


@given(cases(previously_reported=True))
def test_f_transition_reported_superseded_units_follow_the_table(case: tuple[ProgramEnrolment, Transition]) -> None:
    """F-TRANSITION-REPORTED: achieved units reported unchanged, unstarted and same-year ones never appear,
    following-year unfinished ones get 40 ending on the transition date with their hours."""
    enrolment, event = case
    result = plan(enrolment, event)
    assert result.ok and result.status == "ready"
    old_rows = {r.subject_id: r for r in result.rows if r.program_id == SUPERSEDED}
    for unit in enrolment.units:
        case_ = classify_superseded(unit, event.date)
        if case_ in (SupersededCase.ACHIEVED, SupersededCase.OTHER_FINAL):
            assert old_rows[unit.subject_id] == nat00120_row(enrolment, unit)
        elif case_ is SupersededCase.STARTED_FOLLOWING_YEAR:
            row = old_rows[unit.subject_id]
            assert (row.outcome_national, row.activity_end_date) == ("40", event.date)
            assert row.hours_attended == unit.hours_attended
        else:
            assert unit.subject_id not in old_rows


@given(cases(previously_reported=True))
def test_f_transition_reported_unstarted_units_never_appear(case: tuple[ProgramEnrolment, Transition]) -> None:
    """F-TRANSITION-REPORTED: a superseded unit that has not started (no hours, not before the date) has no row."""
    enrolment, event = case
    result = plan(enrolment, event)
    unstarted = {
        u.subject_id
        for u in enrolment.units
        if u.outcome not in FINAL and not u.hours_attended and u.start_date >= event.date
    }
    assert not unstarted & {r.subject_id for r in result.rows if r.program_id == SUPERSEDED}


@given(cases(previously_reported=True))
def test_f_transition_reported_credit_transfer_for_achieved_equivalents(
    case: tuple[ProgramEnrolment, Transition],
) -> None:
    """F-TRANSITION-REPORTED: every current unit mapped from an achieved unit is 60, NNN, N, 0 hours attended and
    0 scheduled hours."""
    enrolment, event = case
    result = plan(enrolment, event)
    achieved = {u.subject_id for u in enrolment.units if u.outcome in {"20", "51", "60"}}
    credited = {event.unit_map[s] for s in achieved if s in event.unit_map}
    rows = {r.subject_id: r for r in result.rows if r.program_id == CURRENT}
    assert credited <= set(rows)
    for subject in credited:
        r = rows[subject]
        assert (r.outcome_national, r.delivery_mode_id, r.predominant_delivery_mode, r.hours_attended) == (
            "60",
            "NNN",
            "N",
            0,
        )
        assert r.scheduled_hours == 0
    assert {r.purchasing_contract_id for r in result.rows} <= {enrolment.commitment_id}


@given(cases(previously_reported=False))
def test_f_transition_unreported_cancel_obtain_and_wait(case: tuple[ProgramEnrolment, Transition]) -> None:
    """F-TRANSITION-UNREPORTED: cancel C1, obtain a new CID; no superseded rows; current rows only under it."""
    enrolment, event = case
    result = plan(enrolment, event)
    assert [a.kind for a in result.actions[:2]] == ["cancel_commitment_id", "obtain_commitment_id"]
    assert all(r.program_id == CURRENT for r in result.rows)
    if event.new_commitment_id is None:
        assert result.status == "waiting_for_commitment_id" and result.rows == ()
        assert result.actions[-1].kind == "wait_for_commitment_id"
    else:
        assert result.status == "ready"
        assert {r.purchasing_contract_id for r in result.rows} <= {event.new_commitment_id}


@given(cases(previously_reported=None, commitment_id=None))
def test_f_transition_current_rows_never_without_a_commitment_id(case: tuple[ProgramEnrolment, Transition]) -> None:
    """F-TRANSITION-UNREPORTED / F-TRANSITION-REPORTED: no row is ever written without a Commitment ID."""
    result = plan(*case)
    assert all(r.purchasing_contract_id for r in result.rows)
    assert result.ok or not result.rows


def _apply(unit: UnitEnrolment, decision_changes: Mapping[str, Any]) -> UnitEnrolment:
    values = {
        k: datetime.date.fromisoformat(v) if k.endswith("_date") and isinstance(v, str) else v
        for k, v in decision_changes.items()
    }
    return attrs.evolve(unit, **values)


@given(cases(previously_reported=None))
def test_f_transition_deterministic_and_idempotent(case: tuple[ProgramEnrolment, Transition]) -> None:
    """F-TRANSITION: the same input gives the same plan; re-planning the transitioned units writes the same rows."""
    enrolment, event = case
    first = plan(enrolment, event)
    assert plan(enrolment, event) == first
    after = {(d.program_id, d.subject_id): {c.field: c.after for c in d.changes} for d in first.decisions}
    old = [_apply(u, after.get((SUPERSEDED, u.subject_id), {})) for u in enrolment.units]
    present = {u.subject_id for u in event.current_units}
    new = [_apply(u, after.get((CURRENT, u.subject_id), {})) for u in event.current_units]
    sources: dict[str, UnitEnrolment] = {}
    for u in enrolment.units:
        if u.subject_id in event.unit_map and u.outcome in {"20", "51", "60"}:
            sources.setdefault(event.unit_map[u.subject_id], u)
    created = [
        _apply(attrs.evolve(sources[subject], reported=False), ch)
        for (pid, subject), ch in after.items()
        if pid == CURRENT and subject not in present
    ]
    again = plan(attrs.evolve(enrolment, units=old), attrs.evolve(event, current_units=[*new, *created]))
    assert (again.status, again.rows, again.program_ids) == (first.status, first.rows, first.program_ids)
    assert all(not d.changes for d in again.decisions if d.program_id == CURRENT)


@given(st.sampled_from(["vic", "qld"]), cases())
def test_f_transition_vic_qld_refuse_honestly(name: str, case: tuple[ProgramEnrolment, Transition]) -> None:
    """F-TRANSITION: profiles without a strategy refuse with 'not implemented', never NSW output."""
    result = plan(*case, profile=name)
    assert result.status == "refused" and result.rows == ()
    assert result.refusal is not None and "not implemented" in result.refusal.message


@given(units("A001"), st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2028, 1, 1)))
def test_f_transition_reported_every_unit_has_exactly_one_table_row(unit: UnitEnrolment, on: datetime.date) -> None:
    """F-TRANSITION-REPORTED: classification is total; achieved outcomes always classify as ACHIEVED."""
    case_ = classify_superseded(unit, on)
    assert (case_ is SupersededCase.ACHIEVED) == (unit.outcome in {"20", "51", "60"})
