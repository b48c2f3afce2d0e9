"""The current program of a transition: given in the event, or read from the qualification list.

``plan_transition(..., replacements=...)`` takes an optional lookup — superseded program id → (current replacement
or ``None``, why) — such as :meth:`avetmiss_finalise.reference.ProgramTable.current_replacement`. The event's own
``current_program_id`` always wins (the list is read only when it is missing); when both are there and disagree,
the plan carries a warning. The lookup is a plain function, so the planner stays pure: the list was loaded at the
edge.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from avetmiss_finalise.decisions import Refusal
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import ProgramEnrolment, Transition
from avetmiss_finalise.transition._result import TRANSITION

__all__ = ["Replacements", "resolve_current_program"]

Replacements = Callable[[str], tuple[str | None, str]]
"""Superseded program id → (its current replacement, or ``None``; why, in words for the plan)."""


def resolve_current_program(
    enrolment: ProgramEnrolment, event: Transition, replacements: Replacements | None
) -> tuple[Transition | Refusal, tuple[Issue, ...]]:
    """``event`` with its current program set (or a refusal saying why none can be), and notes for the plan."""
    superseded = enrolment.program_id
    if event.current_program_id is not None:
        if replacements is None or superseded is None:
            return event, ()
        listed, why = replacements(superseded)
        if listed is None or listed == event.current_program_id:
            return event, ()
        note = Issue(
            rule_id=TRANSITION,
            severity=Severity.WARNING,
            message=f"the input names {event.current_program_id} as the current program, but the qualification "
            f"list names {listed} ({why}); the input's {event.current_program_id} is used",
            value=event.current_program_id,
            client_id=enrolment.client_id,
        )
        return event, (note,)
    if superseded is None:
        return Refusal(
            rule_id=TRANSITION,
            message="no current_program_id given, and the enrolment has no program identifier to look up",
        ), ()
    if replacements is None:
        return Refusal(
            rule_id=TRANSITION,
            message=f"no current_program_id given for {superseded}: give it in the event, or give the qualification "
            "list (finalise --reference DIR) to read the current replacement from",
            program_ids=(superseded,),
        ), ()
    current, why = replacements(superseded)
    if current is None:
        return Refusal(
            rule_id=TRANSITION,
            message=f"no current_program_id given, and none can be read from the qualification list: {why}; "
            "give current_program_id in the event",
            program_ids=(superseded,),
        ), ()
    note = Issue(
        rule_id=TRANSITION,
        severity=Severity.INFO,
        message=f"current program {current} read from the qualification list ({why})",
        value=current,
        client_id=enrolment.client_id,
    )
    return attrs.evolve(event, current_program_id=current), (note,)
