"""F-REFINALISE: finalising an enrolment that is already finalised.

The same event twice changes nothing (every rule maps a finalised unit onto itself), so it is accepted. A
*different* event — a corrected withdrawal date, a withdrawal after a completion — would be laid over the first
result: units the first run withdrew keep its dates, 85 rows are read as if the provider had set them, new hours
are ignored. That is refused with the reason; the provider re-finalises from the values before the first run (the
SMS record), where the corrected event is applied to what the learner really did.

An enrolment is finalised when its status says so. Its event is known by the status the event gives and, when the
finaliser recorded it, ``ProgramEnrolment.finalised_on`` (the event date). A *deferred* enrolment is not final: the
learner resumes, withdraws or completes later, so any event is accepted; so is the completion of a *Completion
Pending* enrolment on its completion date (the credential issued).
"""

from __future__ import annotations

from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    Event,
    ProgramEnrolment,
    Withdrawal,
)
from avetmiss_finalise.outcomes.steps import Plan, Problem

__all__ = ["RULE", "refinalise_problem"]

RULE = "F-REFINALISE"

#: Statuses an event cannot follow except the very same event again.
_FINAL_STATUSES = frozenset(
    {
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.COMPLETION_PENDING,
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.CANCELLED_NO_PENALTY,
        EnrolmentStatus.CANCELLED_PENALTY,
        EnrolmentStatus.PARTIAL_ATTENDANCE,
        EnrolmentStatus.TRANSITIONED,
    }
)
_PENDING = EnrolmentStatus.COMPLETION_PENDING


def _statuses(event: Event) -> frozenset[EnrolmentStatus]:
    """The statuses an enrolment finalised by an event like ``event`` may have."""
    match event:
        case Completion():
            done = EnrolmentStatus.COMPLETED if event.credential_issued else _PENDING
            return frozenset({done, _PENDING})  # pending → completed once the credential is issued
        case Withdrawal():
            return frozenset({EnrolmentStatus(event.status.value)})
        case Deferral():
            return frozenset({EnrolmentStatus.DEFERRED})
    return frozenset()  # pragma: no cover - transitions are planned elsewhere


def _event_text(event: Event) -> str:
    kind = type(event).__name__.lower()
    if isinstance(event, Withdrawal):
        kind = event.status.value.replace("_", " ")
    return f"{kind} on {event.date.isoformat()}"


def refinalise_problem(enrolment: ProgramEnrolment, event: Event, plan: Plan) -> Problem | None:
    """Why ``event`` may not finalise ``enrolment`` again (``None``: first finalisation, or the same event)."""
    status = enrolment.status
    if status not in _FINAL_STATUSES:
        return None
    same_kind = status in _statuses(event)
    same_date = enrolment.finalised_on is None or enrolment.finalised_on == event.date
    changed = sorted({s.decision.subject_id for s in plan.steps if s.decision.changes})
    if same_kind and same_date and not changed:
        return None
    on = f" on {enrolment.finalised_on.isoformat()}" if enrolment.finalised_on else ""
    if not (same_kind and same_date):
        why = f"this {_event_text(event)} is a different event"
    else:
        why = f"this {_event_text(event)} would change units {', '.join(changed)} of the finalised result"
    return Problem(
        RULE,
        f"already finalised ({status.value.replace('_', ' ')}{on}); {why}: re-finalise from the values before the "
        "first run (the SMS record), never over the finalised result",
    )
