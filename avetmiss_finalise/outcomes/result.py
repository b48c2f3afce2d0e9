"""The result of finalising one enrolment: everything decided, every row, every task — or a refusal."""

from __future__ import annotations

import attrs

from avetmiss_finalise.decisions import FollowUpTask, Refusal, UnitDecision
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.model import EnrolmentStatus, ProgramEnrolment
from avetmiss_finalise.nat.records import NAT00120, NAT00130

__all__ = ["FinalisationResult"]


@attrs.frozen(kw_only=True)
class FinalisationResult:
    """What :func:`~avetmiss_finalise.outcomes.finalise` decided.

    On a refusal nothing is applied: ``enrolment`` and ``status`` are the input's, there are no rows and no
    tasks, and ``refusal`` names every offending unit. ``decisions`` then still explain what each unit would
    have become, so the provider sees the whole picture in one pass.
    """

    enrolment: ProgramEnrolment
    status: EnrolmentStatus
    decisions: tuple[UnitDecision, ...] = ()
    training_organisation_outcome: str | None = None
    nat00120: tuple[NAT00120, ...] = ()
    nat00130: NAT00130 | None = None
    tasks: tuple[FollowUpTask, ...] = ()
    issues: tuple[Issue, ...] = ()
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        """True when the enrolment was finalised (no refusal)."""
        return self.refusal is None
