"""F-TO-TNC / F-TO-D: *Outcome identifier – training organisation* (NSW ``TNC`` and ``D``, code_lists.md §16)."""

from __future__ import annotations

from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    Event,
    Transition,
    Withdrawal,
)
from avetmiss_finalise.profiles import Profile, get_profile

__all__ = ["TNC_STATUSES", "training_organisation_outcome"]

#: Statuses that report ``TNC`` (training not completed) on every row of the enrolment.
TNC_STATUSES: frozenset[EnrolmentStatus] = frozenset(
    {
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.CANCELLED_NO_PENALTY,
        EnrolmentStatus.CANCELLED_PENALTY,
        EnrolmentStatus.PARTIAL_ATTENDANCE,
    }
)


def training_organisation_outcome(status_or_event: EnrolmentStatus | Event, profile: str | Profile) -> str | None:
    """``TNC`` for withdrawals/cancellations, ``D`` for deferrals — only where the profile reports them."""
    if not get_profile(profile).training_organisation_outcomes:
        return None
    match status_or_event:
        case Withdrawal():
            return "TNC"
        case Deferral():
            return "D"
        case Completion() | Transition():
            return None
        case EnrolmentStatus.DEFERRED:
            return "D"
        case status if status in TNC_STATUSES:
            return "TNC"
    return None
