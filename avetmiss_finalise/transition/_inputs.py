"""What the input of a transition allows before any unit is planned: refusals and notes about the event itself.

Kept apart from the Commitment ID rules (``_commitment.py``) so each module holds one concept: a superseded
enrolment without a program, a "transition" to itself, a subject listed twice in one program (each would be a
duplicate NAT00120 row), and unit_map entries that name no superseded unit.
"""

from __future__ import annotations

from collections import Counter

from avetmiss_finalise.decisions import Refusal
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import ProgramEnrolment, Transition
from avetmiss_finalise.transition._result import TRANSITION

__all__ = ["input_refusal", "unmapped_sources"]


def input_refusal(enrolment: ProgramEnrolment, event: Transition) -> Refusal | None:
    """Why the transition cannot be planned at all, or ``None`` (the current program is resolved already)."""
    superseded, current = enrolment.program_id, event.current_program_id
    if superseded is None:
        return Refusal(rule_id=TRANSITION, message="the superseded enrolment has no program identifier")
    if current == superseded:
        return Refusal(
            rule_id=TRANSITION,
            message=f"the current program {current} is the superseded program itself",
            program_ids=(current,),
        )
    twice = [
        f"{pid} unit {sid}"
        for pid, units in ((superseded, enrolment.units), (current, event.current_units))
        for sid, n in Counter(u.subject_id for u in units).items()
        if n > 1
    ]
    if not twice:
        return None
    return Refusal(
        rule_id=TRANSITION,
        message=f"a subject appears more than once in one program: {', '.join(twice)}; each would become a "
        "duplicate NAT00120 row",
        subject_ids=tuple(dict.fromkeys(t.rsplit(" ", 1)[1] for t in twice)),
        program_ids=tuple(p for p in (superseded, current) if p is not None),
    )


def unmapped_sources(enrolment: ProgramEnrolment, event: Transition) -> list[Issue]:
    """A warning for each unit_map entry that names no unit of the superseded program (the mapping is ignored)."""
    known = {u.subject_id for u in enrolment.units}
    return [
        Issue(
            rule_id=TRANSITION,
            severity=Severity.WARNING,
            message=f"unit_map names {source}, which is not a unit of the superseded program "
            f"{enrolment.program_id}; mapping ignored",
            value=source,
            client_id=enrolment.client_id,
        )
        for source in sorted(set(event.unit_map) - known)
    ]
