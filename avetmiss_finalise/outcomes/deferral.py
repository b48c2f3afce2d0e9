"""F-DEFER: deferral. Units without a final outcome get the "no outcome" treatment with future dates.

Dates move (all such units by one shift, keeping the planned sequence) so the first starts on/after the
resumption date when given, else the day after the deferral date, and never before the collection's first future
day (:mod:`avetmiss_finalise.period`, so V-120-08 holds); hours become 0. Hours dropped that way are kept in the
decision (nothing is lost) and raise a warning for the provider.

Under a profile that reports a commitment (NSW Smart and Skilled, ``Profile.requires_commitment_id``) a unit that
has *commenced* (:mod:`avetmiss_finalise.outcomes.commenced`) keeps its start date: the commitment's earliest start
cannot move. It is reported as continuing (70), with its hours, ending on/after the resumption (the only outcome a
started unit that ends in the future may carry: V-120-09).
"""

from __future__ import annotations

import datetime

from avetmiss_finalise.model import Deferral, ProgramEnrolment, UnitEnrolment
from avetmiss_finalise.outcomes.codes import CONTINUING, FINAL
from avetmiss_finalise.outcomes.commenced import has_commenced
from avetmiss_finalise.outcomes.steps import (
    Plan,
    Problem,
    Step,
    decide,
    earliest_future_date,
    moved,
    shift_after,
    unstarted_step,
    warning,
)
from avetmiss_finalise.profiles import Profile

__all__ = ["deferral_step", "plan_deferral"]

RULE = "F-DEFER"


def _keeps_start(unit: UnitEnrolment, event: Deferral, profile: Profile) -> bool:
    """NSW (a commitment's earliest start cannot move): a commenced unit keeps its start date."""
    return profile.requires_commitment_id and unit.outcome not in FINAL and has_commenced(unit, event.date)


def deferral_step(
    unit: UnitEnrolment,
    event: Deferral,
    profile: Profile,
    program_id: str | None,
    shift: datetime.timedelta | None = None,
    future: datetime.date | None = None,
) -> Step:
    """The F-DEFER decision for one unit (``shift``: the group's move, by default the unit's own; ``future``: the
    collection's first future day)."""
    if unit.outcome in FINAL:
        return decide(
            unit, unit, program_id=program_id, rule_id=RULE, reason=f"already has final outcome {unit.outcome}; kept"
        )
    earliest = earliest_future_date(event.date, event.resume_date, future)
    if _keeps_start(unit, event, profile):
        start = min(unit.start_date, event.date)
        new = moved(
            unit,
            outcome=CONTINUING,
            start_date=start,
            end_date=max(unit.end_date, earliest),
            hours_attended=unit.hours_attended,
        )
        return decide(
            unit,
            new,
            program_id=program_id,
            rule_id=RULE,
            reason=(
                f"commenced before deferral {event.date.isoformat()}: keeps its start date (the commitment's "
                f"earliest start cannot move); reported 70 (continuing), ending on/after {earliest.isoformat()}, "
                "hours kept"
            ),
        )
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


def plan_deferral(
    enrolment: ProgramEnrolment, event: Deferral, profile: Profile, future: datetime.date | None = None
) -> Plan:
    """F-DEFER for every unit; refuses a resumption date that is not after the deferral date."""
    if event.resume_date is not None and event.resume_date <= event.date:
        problem = Problem(
            RULE,
            f"resumption date {event.resume_date.isoformat()} is not after the deferral date {event.date.isoformat()}",
        )
        return Plan((), (), (problem,))
    pending = [u for u in enrolment.units if u.outcome not in FINAL and not _keeps_start(u, event, profile)]
    shift = shift_after(pending, earliest_future_date(event.date, event.resume_date, future))
    steps = tuple(deferral_step(u, event, profile, enrolment.program_id, shift, future) for u in enrolment.units)
    issues = [
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
    ]
    issues += [
        warning(
            RULE,
            f"unit {u.subject_id}: hours attended but start date {u.start_date.isoformat()} is after the deferral "
            f"date; start moved to {event.date.isoformat()}",
            enrolment,
            field="start_date",
            value=u.start_date,
        )
        for u, s in zip(enrolment.units, steps, strict=True)
        if s.unit.outcome == CONTINUING and u.start_date > event.date
    ]
    return Plan(steps, tuple(issues))
