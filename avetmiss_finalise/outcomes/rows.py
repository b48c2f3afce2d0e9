"""Unit enrolment → NAT00120 record: the one place the domain model meets the training-activity layout."""

from __future__ import annotations

from avetmiss_finalise.model import ProgramEnrolment, UnitEnrolment
from avetmiss_finalise.nat.records import NAT00120
from avetmiss_finalise.outcomes.codes import RECOGNITION

__all__ = ["delivery_modes", "nat00120_row"]

#: Outcomes where nothing is delivered: recognition of prior learning (51, 52) and credit transfer (60).
_NOTHING_DELIVERED = RECOGNITION

_SAME = object()


def delivery_modes(unit: UnitEnrolment) -> tuple[str, str]:
    """*Delivery mode identifier* and *Predominant delivery mode* of ``unit``'s row: as given, else derived.

    Recognition and credit transfer (51, 52, 60) deliver nothing: ``NNN`` / ``N`` (V-120-06 flags anything else);
    other outcomes default to ``YNN`` / ``I`` (internal delivery), the model's long-standing default.
    """
    recognised = unit.outcome in _NOTHING_DELIVERED
    mode = unit.delivery_mode if unit.delivery_mode is not None else ("NNN" if recognised else "YNN")
    given = unit.predominant_delivery_mode
    return mode, given if given is not None else ("N" if recognised else "I")


def nat00120_row(
    enrolment: ProgramEnrolment,
    unit: UnitEnrolment,
    *,
    program_id: str | object | None = _SAME,
    commitment_id: str | object | None = _SAME,
    training_organisation_outcome: str | None = None,
) -> NAT00120:
    """The NAT00120 row of ``unit``; ``program_id``/``commitment_id`` default to the enrolment's.

    The internal "no outcome" code ``00`` is refused here as a last line of defence: it must never reach a NAT
    row (finalisation.md, properties).
    """
    if unit.outcome == "00":
        raise ValueError(f"unit {unit.subject_id}: internal outcome 00 must never be written to NAT00120")
    pid = enrolment.program_id if program_id is _SAME else program_id
    cid = enrolment.commitment_id if commitment_id is _SAME else commitment_id
    assert pid is None or isinstance(pid, str)
    assert cid is None or isinstance(cid, str)
    mode, predominant = delivery_modes(unit)
    return NAT00120(
        training_organisation_id=enrolment.training_organisation_id,
        delivery_location_id=unit.delivery_location_id,
        client_id=enrolment.client_id,
        subject_id=unit.subject_id,
        program_id=pid,
        activity_start_date=unit.start_date,
        activity_end_date=unit.end_date,
        delivery_mode_id=mode,
        outcome_national=unit.outcome,
        funding_source_national=unit.funding_source_national,
        commencing_program_id="8" if pid is None else unit.commencing_program_id,
        training_contract_id=unit.training_contract_id,
        client_id_apprenticeships=unit.client_id_apprenticeships,
        study_reason_id=unit.study_reason_id,
        vet_in_schools_flag=unit.vet_in_schools_flag,
        specific_funding_id=unit.specific_funding_id,
        school_type_id=unit.school_type_id,
        outcome_training_organisation=training_organisation_outcome,
        funding_source_state=unit.funding_source_state,
        client_tuition_fee=unit.client_tuition_fee,
        fee_exemption_concession_type_id=unit.fee_exemption_concession_type_id,
        purchasing_contract_id=cid,
        purchasing_contract_schedule_id=unit.purchasing_contract_schedule_id,
        hours_attended=unit.hours_attended,
        associated_course_id=unit.associated_course_id,
        scheduled_hours=unit.scheduled_hours,
        predominant_delivery_mode=predominant,
    )
