"""avetmiss-finalise: finalise AVETMISS 8.0 enrolments and read, write and validate NAT collections offline.

The façade re-exports the names other systems rely on; the sub-packages hold the rest:
:mod:`avetmiss_finalise.nat` (NAT files), :mod:`avetmiss_finalise.outcomes` (finalisation),
:mod:`avetmiss_finalise.transition` (superseded → current qualification), :mod:`avetmiss_finalise.validation`
(offline validation) and :mod:`avetmiss_finalise.profiles` (jurisdictions).
"""

from typing import TYPE_CHECKING

from avetmiss_finalise._lazy import attach
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
from avetmiss_finalise.profiles import PROFILE_NAMES, Profile, get_profile

if TYPE_CHECKING:
    from avetmiss_finalise.batch import BatchResult, finalise_batch
    from avetmiss_finalise.jsonio import parse_input
    from avetmiss_finalise.nat import Collection, conform, read_collection, write_collection
    from avetmiss_finalise.outcomes import (
        FinalisationResult,
        finalise,
        finalise_many,
        national_outcome,
        training_organisation_outcome,
    )
    from avetmiss_finalise.transition import TransitionPlan, plan_transition
    from avetmiss_finalise.validation import Report, ValidationOptions, validate

# The model, decisions, errors and profiles above need only attrs; what needs pandas/pyarrow (NAT frames,
# validation) or is not needed to build enrolments is imported on first use (avetmiss_finalise/_lazy.py).
_LAZY = {
    "BatchResult": "avetmiss_finalise.batch",
    "finalise_batch": "avetmiss_finalise.batch",
    "parse_input": "avetmiss_finalise.jsonio",
    "Collection": "avetmiss_finalise.nat",
    "conform": "avetmiss_finalise.nat",
    "read_collection": "avetmiss_finalise.nat",
    "write_collection": "avetmiss_finalise.nat",
    "FinalisationResult": "avetmiss_finalise.outcomes",
    "finalise": "avetmiss_finalise.outcomes",
    "finalise_many": "avetmiss_finalise.outcomes",
    "national_outcome": "avetmiss_finalise.outcomes",
    "training_organisation_outcome": "avetmiss_finalise.outcomes",
    "TransitionPlan": "avetmiss_finalise.transition",
    "plan_transition": "avetmiss_finalise.transition",
    "Report": "avetmiss_finalise.validation",
    "ValidationOptions": "avetmiss_finalise.validation",
    "validate": "avetmiss_finalise.validation",
}
__getattr__, __dir__ = attach(__name__, _LAZY)

__version__ = "0.1.0"

__all__ = [
    "PROFILE_NAMES",
    "AvetmissError",
    "BatchResult",
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
    "conform",
    "finalise",
    "finalise_batch",
    "finalise_many",
    "get_profile",
    "national_outcome",
    "parse_input",
    "plan_transition",
    "read_collection",
    "training_organisation_outcome",
    "validate",
    "write_collection",
]
