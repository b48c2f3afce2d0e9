"""Transition from a superseded to the current (replacement) qualification (finalisation.md F-TRANSITION).

Public API: :func:`plan_transition` → :class:`TransitionPlan`. The superseded-unit table is data
(:data:`SUPERSEDED_UNIT_TABLE`); jurisdiction differences sit behind :data:`TRANSITION_STRATEGIES`.
"""

from __future__ import annotations

from avetmiss_finalise.transition._cap import MAX_PROGRAMS, program_cap
from avetmiss_finalise.transition._plan import TRANSITION_STRATEGIES, Strategy, plan_transition
from avetmiss_finalise.transition._replacement import Replacements, resolve_current_program
from avetmiss_finalise.transition._result import PlanStatus, TransitionPlan
from avetmiss_finalise.transition._table import SUPERSEDED_UNIT_TABLE, SupersededCase, classify_superseded

__all__ = [
    "MAX_PROGRAMS",
    "SUPERSEDED_UNIT_TABLE",
    "TRANSITION_STRATEGIES",
    "PlanStatus",
    "Replacements",
    "Strategy",
    "SupersededCase",
    "TransitionPlan",
    "classify_superseded",
    "plan_transition",
    "program_cap",
    "resolve_current_program",
]
