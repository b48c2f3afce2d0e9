"""F-DEFER: deferral. Units without a final outcome get the "no outcome" treatment with future dates.

Dates move (all such units by one shift, keeping the planned sequence) so the first starts on/after the
resumption date when given, else the day after the deferral date; hours become 0. Hours dropped that way are
kept in the decision (nothing is lost) and raise a warning for the provider.
"""

from __future__ import annotations

import datetime

from avetmiss_finalise.model import Deferral, ProgramEnrolment, UnitEnrolment
from avetmiss_finalise.outcomes.codes import FINAL
from avetmiss_finalise.outcomes.steps import (
    Plan,
    Problem,
    Step,
    decide,
    earliest_future_date,
    shift_after,
    unstarted_step,
    warning,
)
from avetmiss_finalise.profiles import Profile

__all__ = ["deferral_step", "plan_deferral"]

RULE = "F-DEFER"


def deferral_step(
    unit: UnitEnrolment,
    event: Deferral,
    profile: Profile,
    program_id: str | None,
    shift: datetime.timedelta | None = None,
) -> Step:
    """The F-DEFER decision for one unit (``shift``: the group's move; by default the unit's own)."""
    if unit.outcome in FINAL:
        return decide(
            unit, unit, program_id=program_id, rule_id=RULE, reason=f"already has final outcome {unit.outcome}; kept"
        )
    earliest = earliest_future_date(event.date, event.resume_date)
    if shift is None:
        shift = shift_after((unit,), earliest)
    when = (
        f"on/after resumption {event.resume_date.isoformat()}"
        if event.resume_date
        else f"after deferral {event.date.isoformat()}"
    )
    return unstarted_step(
        unit,
        shift=shift,
        profile=profile,
        program_id=program_id,
        rule_id=RULE,
        reason=f"deferred: dates moved {when}, hours 0",
    )


def plan_deferral(enrolment: ProgramEnrolment, event: Deferral, profile: Profile) -> Plan:
    """F-DEFER for every unit; refuses a resumption date that is not after the deferral date."""
    if event.resume_date is not None and event.resume_date <= event.date:
        problem = Problem(
            RULE,
            f"resumption date {event.resume_date.isoformat()} is not after the deferral date {event.date.isoformat()}",
        )
        return Plan((), (), (problem,))
    pending = [u for u in enrolment.units if u.outcome not in FINAL]
    shift = shift_after(pending, earliest_future_date(event.date, event.resume_date))
    steps = tuple(deferral_step(u, event, profile, enrolment.program_id, shift) for u in enrolment.units)
    issues = tuple(
        warning(
            RULE,
            f"unit {u.subject_id}: {u.hours_attended} hours attended are not reported while deferred (kept in the "
            "decision); decide whether to withdraw the unit instead",
            enrolment,
            field="hours_attended",
            value=u.hours_attended,
        )
        for u, s in zip(enrolment.units, steps, strict=True)
        if (u.hours_attended or 0) > 0 and s.unit.hours_attended == 0
    )
    return Plan(steps, issues)
