"""Finalisation rules: completion, withdrawal/cancellation, deferral → outcomes, NAT00120/NAT00130 rows.

See ``docs/finalise.md`` and ``shared/spec/finalisation.md`` (rule IDs F-COMPLETE, F-WITHDRAW,
F-WITHDRAW-COMMENCED, F-WITHDRAW-NOT-COMMENCED, F-DEFER, F-TO-TNC, F-TO-D, F-AFTER).
"""

from typing import TYPE_CHECKING

from avetmiss_finalise._lazy import attach
from avetmiss_finalise.outcomes.engine import event_rule_id, finalise, finalise_many, national_outcome
from avetmiss_finalise.outcomes.result import FinalisationResult
from avetmiss_finalise.outcomes.training_organisation import training_organisation_outcome

if TYPE_CHECKING:
    from avetmiss_finalise.outcomes.columnar import ColumnarResult, finalise_frame, frames_from_pairs

# The columnar bulk path needs pandas; finalise() does not, so it is imported on first use (avetmiss_finalise/_lazy.py).
_LAZY = {
    "ColumnarResult": "avetmiss_finalise.outcomes.columnar",
    "finalise_frame": "avetmiss_finalise.outcomes.columnar",
    "frames_from_pairs": "avetmiss_finalise.outcomes.columnar",
}
__getattr__, __dir__ = attach(__name__, _LAZY)

__all__ = [
    "ColumnarResult",
    "FinalisationResult",
    "event_rule_id",
    "finalise",
    "finalise_frame",
    "finalise_many",
    "frames_from_pairs",
    "national_outcome",
    "training_organisation_outcome",
]
