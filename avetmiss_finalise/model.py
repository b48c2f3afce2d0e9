"""The finalisation domain model: frozen attrs records for learners, enrolments and finalisation events.

Field names are the JSON contract of ``avetmiss-finalise finalise`` (snake_case, ISO dates, outcomes as the
two-character strings of ``code_lists.md`` §1). Validation of values belongs at the edges (the JSON converter
and the engine's refusals), not in constructors, so that any enrolment a system holds can be represented and
then explained.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

__all__ = [
    "Completion",
    "Deferral",
    "EnrolmentStatus",
    "Event",
    "Learner",
    "ProgramEnrolment",
    "Transition",
    "UnitEnrolment",
    "Withdrawal",
    "WithdrawalStatus",
]


def _frozen_map(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


class EnrolmentStatus(enum.StrEnum):
    """Provider-side enrolment status (not itself reported in a NAT file)."""

    ACTIVE = "active"
    COMPLETED = "completed"
    COMPLETION_PENDING = "completion_pending"
    WITHDRAWN = "withdrawn"
    CANCELLED_NO_PENALTY = "cancelled_no_penalty"
    CANCELLED_PENALTY = "cancelled_penalty"
    PARTIAL_ATTENDANCE = "partial_attendance"
    DEFERRED = "deferred"
    TRANSITIONED = "transitioned"


class WithdrawalStatus(enum.StrEnum):
    """The four statuses that end an enrolment early (F-WITHDRAW); each reports ``TNC`` under ``nsw``."""

    WITHDRAWN = "withdrawn"
    CANCELLED_NO_PENALTY = "cancelled_no_penalty"
    CANCELLED_PENALTY = "cancelled_penalty"
    PARTIAL_ATTENDANCE = "partial_attendance"


@attrs.frozen(kw_only=True)
class Learner:
    """The learner (client). Only what finalisation needs: no personal data."""

    client_id: str
    active: bool = True


@attrs.frozen(kw_only=True)
class UnitEnrolment:
    """One subject inside a program enrolment: one NAT00120 row.

    ``outcome`` is the *Outcome identifier – national* (``"20"``, ``"70"``, …) or ``None`` when not yet set.
    ``reported`` says whether this row was already sent to the state/NCVER (used by transitions).
    ``delivery_mode`` / ``predominant_delivery_mode`` left out (``None``) are derived when the row is written:
    ``NNN`` / ``N`` for recognition and credit transfer (51, 52, 60), where nothing is delivered (V-120-06),
    else ``YNN`` / ``I`` (:func:`avetmiss_finalise.outcomes.rows.delivery_modes`).
    """

    subject_id: str
    delivery_location_id: str
    start_date: datetime.date
    end_date: datetime.date
    outcome: str | None = None
    hours_attended: int | None = None
    scheduled_hours: int | None = None
    delivery_mode: str | None = None
    predominant_delivery_mode: str | None = None
    funding_source_national: str = "11"
    commencing_program_id: str = "3"
    study_reason_id: str | None = None
    vet_in_schools_flag: str = "N"
    specific_funding_id: str | None = None
    school_type_id: str | None = None
    funding_source_state: str | None = None
    client_tuition_fee: int | None = None
    fee_exemption_concession_type_id: str | None = None
    purchasing_contract_schedule_id: str | None = None
    training_contract_id: str | None = None
    client_id_apprenticeships: str | None = None
    associated_course_id: str | None = None
    reported: bool = False


def _units(value: Iterable[UnitEnrolment]) -> tuple[UnitEnrolment, ...]:
    # A typed converter: mypy's attrs plugin cannot infer the element type of a bare ``converter=tuple``.
    return tuple(value)


@attrs.frozen(kw_only=True)
class ProgramEnrolment:
    """A learner in a program (or in subjects only, ``program_id=None``), with its unit enrolments.

    ``commitment_id`` is the NSW Smart and Skilled Commitment ID, reported in NAT00120 *Purchasing contract
    identifier*; elsewhere it may carry the state's purchasing contract id, or be ``None``.
    ``finalised_on`` is the date of the event that finalised it (set by ``finalise``): with ``status`` it says
    which event that was, so a *different* event on a finalised enrolment is refused (F-REFINALISE), never laid
    over the first result.
    """

    training_organisation_id: str
    client_id: str
    program_id: str | None
    units: tuple[UnitEnrolment, ...] = attrs.field(converter=_units)
    commitment_id: str | None = None
    status: EnrolmentStatus = EnrolmentStatus.ACTIVE
    status_reason: str | None = None
    finalised_on: datetime.date | None = None


@attrs.frozen(kw_only=True)
class Completion:
    """F-COMPLETE: the learner completed on ``date``; NAT00130 issued flag follows ``credential_issued``."""

    date: datetime.date
    credential_issued: bool = False
    parchment_issue_date: datetime.date | None = None
    parchment_number: str | None = None


@attrs.frozen(kw_only=True)
class Withdrawal:
    """F-WITHDRAW: withdrawal or cancellation on ``date``; ``hours_attended`` maps subject id → hours to date."""

    date: datetime.date
    status: WithdrawalStatus = WithdrawalStatus.WITHDRAWN
    hours_attended: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_map)
    reason: str | None = None


@attrs.frozen(kw_only=True)
class Deferral:
    """F-DEFER: deferral on ``date``, optionally resuming on ``resume_date``."""

    date: datetime.date
    resume_date: datetime.date | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class Transition:
    """F-TRANSITION: move from the enrolment's (superseded) program to ``current_program_id`` on ``date``.

    ``unit_map`` maps superseded subject id → equivalent current subject id (an input, never guessed).
    ``previous_program_ids`` are programs already reported under the same commitment, oldest first.
    ``current_units`` are the learner's unit enrolments in the current program (reported "as enrolled").
    ``current_program_id`` may be left out (``None``) when the planner is given the qualification list
    (``plan_transition(..., replacements=...)``, CLI ``finalise --reference DIR``): the current replacement of
    the superseded program is then read from it. Given, it wins over the list.
    """

    date: datetime.date
    current_program_id: str | None = None
    unit_map: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    previously_reported: bool = False
    new_commitment_id: str | None = None
    previous_program_ids: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    current_units: tuple[UnitEnrolment, ...] = attrs.field(default=(), converter=_units)


Event = Completion | Withdrawal | Deferral | Transition
"""Any finalisation event."""
