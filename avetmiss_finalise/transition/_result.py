"""The result of planning a transition: :class:`TransitionPlan`, and the rule IDs it cites (finalisation.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs

from avetmiss_finalise.decisions import PlanAction, Refusal, UnitDecision
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.nat.records import NAT00120

__all__ = ["REPORTED", "TRANSITION", "UNREPORTED", "PlanStatus", "TransitionPlan", "refused"]

TRANSITION = "F-TRANSITION"
UNREPORTED = "F-TRANSITION-UNREPORTED"
REPORTED = "F-TRANSITION-REPORTED"

PlanStatus = Literal["ready", "waiting_for_commitment_id", "refused"]


@attrs.frozen(kw_only=True)
class TransitionPlan:
    """What a transition needs: provider actions, per-unit decisions, NAT00120 rows — or a refusal.

    ``program_ids`` are the programs reported under the commitment once the plan is carried out, oldest first;
    ``commitment_id`` is the Commitment ID the rows go under (``None`` while waiting for a new one). A refused
    plan has no actions and no rows; its ``decisions`` still explain each unit when they could be worked out.
    """

    status: PlanStatus
    actions: tuple[PlanAction, ...] = ()
    decisions: tuple[UnitDecision, ...] = ()
    rows: tuple[NAT00120, ...] = ()
    refusal: Refusal | None = None
    program_ids: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    commitment_id: str | None = None

    @property
    def ok(self) -> bool:
        """True unless refused (a plan waiting for a Commitment ID is a valid plan)."""
        return self.refusal is None


def refused(refusal: Refusal, decisions: tuple[UnitDecision, ...] = (), issues: Sequence[Issue] = ()) -> TransitionPlan:
    """A refused plan: no actions, no rows; decisions kept when they could be worked out."""
    return TransitionPlan(status="refused", refusal=refusal, decisions=decisions, issues=tuple(issues))
