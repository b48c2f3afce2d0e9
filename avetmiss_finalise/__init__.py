"""avetmiss-finalise: finalise AVETMISS 8.0 enrolments and read, write and validate NAT collections offline.

The façade re-exports the names other systems rely on; the sub-packages hold the rest:
:mod:`avetmiss_finalise.nat` (NAT files), :mod:`avetmiss_finalise.outcomes` (finalisation),
:mod:`avetmiss_finalise.transition` (superseded → current qualification), :mod:`avetmiss_finalise.validation`
(offline validation) and :mod:`avetmiss_finalise.profiles` (jurisdictions).
"""

from avetmiss_finalise.decisions import Change, FollowUpTask, PlanAction, Refusal, UnitDecision
from avetmiss_finalise.errors import AvetmissError, UnreadableInputError, UsageError, WriteError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    Event,
    Learner,
    ProgramEnrolment,
    Transition,
    UnitEnrolment,
    Withdrawal,
    WithdrawalStatus,
)
from avetmiss_finalise.nat import Collection, read_collection, write_collection
from avetmiss_finalise.outcomes import (
    FinalisationResult,
    finalise,
    finalise_many,
    national_outcome,
    training_organisation_outcome,
)
from avetmiss_finalise.profiles import PROFILE_NAMES, Profile, get_profile
from avetmiss_finalise.transition import TransitionPlan, plan_transition
from avetmiss_finalise.validation import Report, ValidationOptions, validate

__version__ = "0.1.0"

__all__ = [
    "PROFILE_NAMES",
    "AvetmissError",
    "Change",
    "Collection",
    "Completion",
    "Deferral",
    "EnrolmentStatus",
    "Event",
    "FinalisationResult",
    "FollowUpTask",
    "Issue",
    "Learner",
    "PlanAction",
    "Profile",
    "ProgramEnrolment",
    "Refusal",
    "Report",
    "Severity",
    "Transition",
    "TransitionPlan",
    "UnitDecision",
    "UnitEnrolment",
    "UnreadableInputError",
    "UsageError",
    "ValidationOptions",
    "Withdrawal",
    "WithdrawalStatus",
    "WriteError",
    "__version__",
    "finalise",
    "finalise_many",
    "get_profile",
    "national_outcome",
    "plan_transition",
    "read_collection",
    "training_organisation_outcome",
    "validate",
    "write_collection",
]
