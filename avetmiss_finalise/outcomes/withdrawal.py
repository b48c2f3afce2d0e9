"""F-WITHDRAW: withdrawal and cancellation (Withdrawn, Cancelled with/without penalty, Partial Attendance).

Units with a final outcome keep it. Every other unit is either commenced (F-WITHDRAW-COMMENCED: 40, end date =
withdrawal date, hours to date) or not (F-WITHDRAW-NOT-COMMENCED: internal 00, dates after the withdrawal date,
0 hours). Our decision (finalisation.md): a unit starting *on* the withdrawal date with no hours has not commenced.
An explicit 85 with no hours has not commenced either, even if its planned start has passed
(:mod:`avetmiss_finalise.outcomes.commenced`, shared with F-TRANSITION). Not-commenced units move together (one
shift) so the provider's planned sequence survives, to start after the withdrawal date and "in the future" of the
collection (V-120-08).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from types import EllipsisType

from avetmiss_finalise.issues import Issue
from avetmiss_finalise.model import ProgramEnrolment, UnitEnrolment, Withdrawal
from avetmiss_finalise.outcomes.codes import FINAL, HOURS_FOR_WITHDRAWN, KNOWN, NO_OUTCOME, WITHDRAWN
from avetmiss_finalise.outcomes.commenced import has_commenced
from avetmiss_finalise.outcomes.steps import (
    Plan,
    Step,
    decide,
    earliest_future_date,
    moved,
    shift_after,
    unstarted_step,
    warning,
)
from avetmiss_finalise.profiles import Profile

# has_commenced: re-exported, see .commenced
__all__ = ["event_hours", "has_commenced", "no_hours_message", "plan_withdrawal", "withdrawal_step"]

RULE = "F-WITHDRAW"
COMMENCED = "F-WITHDRAW-COMMENCED"
NOT_COMMENCED = "F-WITHDRAW-NOT-COMMENCED"
#: The validator's rule for a withdrawn (40) unit without hours in a state collection.
HOURS_RULE = "V-120-13"


def event_hours(units: Sequence[UnitEnrolment], event: Withdrawal) -> tuple[int | None, ...]:
    """Per unit of ``units``, the hours to date the withdrawal gives it (``None``: none given for it).

    ``hours_attended`` is keyed by subject, and a subject can be enrolled more than once (a re-attempt after a
    fail, issue #8 item 12). The hours are the attempt's in progress at the withdrawal — of the subject's units,
    the one without a final outcome that started last on or before the withdrawal date, else the one with a
    final outcome that did, else the first planned — and no other attempt's: given to a planned re-attempt as
    well, they would make it commenced and pull its start back over the earlier attempt, a row overlapping
    another of the same subject (X-11); given to an attempt already ended (a 20, a 30) rather than to the one
    still open beside it, they would be ignored and the open one withdrawn with no hours (V-120-13 under
    nsw/vic/qld). Both finalisation paths read this (``frames_from_pairs`` fills ``event_hours`` with it)."""
    current: dict[str, int] = {}
    for i, u in enumerate(units):
        if u.subject_id in event.hours_attended:
            j = current.get(u.subject_id)
            if j is None or _attempt_rank(u, event.date) > _attempt_rank(units[j], event.date):
                current[u.subject_id] = i
    return tuple(
        event.hours_attended[u.subject_id] if current.get(u.subject_id) == i else None for i, u in enumerate(units)
    )


def _attempt_rank(unit: UnitEnrolment, date: datetime.date) -> tuple[int, int]:
    """Started by ``date`` without a final outcome beats started with one, which beats planned; among started the
    latest start, among planned the earliest."""
    day = unit.start_date.toordinal()
    if unit.start_date > date:
        return 0, -day
    return (1 if unit.outcome in FINAL else 2), day


def _hours(unit: UnitEnrolment, given: int | None) -> int | None:
    return unit.hours_attended if given is None else given


def _given(unit: UnitEnrolment, event: Withdrawal) -> int | None:
    """The event's hours for ``unit`` judged alone (it is its subject's only attempt)."""
    return event.hours_attended.get(unit.subject_id)


def _not_commenced(unit: UnitEnrolment, event: Withdrawal, given: int | None) -> bool:
    return unit.outcome not in FINAL and not has_commenced(unit, event.date, _hours(unit, given))


def withdrawal_step(
    unit: UnitEnrolment,
    event: Withdrawal,
    profile: Profile,
    program_id: str | None,
    shift: datetime.timedelta | None = None,
    future: datetime.date | None = None,
    given: int | EllipsisType | None = ...,
) -> Step:
    """The F-WITHDRAW decision for one unit (``shift``: the group's move for not-commenced units; ``future``: the
    collection's first future day, which a not-commenced unit starts on or after; ``given``: the event's hours
    for this unit, :func:`event_hours`; left out, the unit is taken as its subject's only attempt)."""
    if unit.outcome in FINAL:
        return decide(
            unit, unit, program_id=program_id, rule_id=RULE, reason=f"already has final outcome {unit.outcome}; kept"
        )
    hours = _hours(unit, _given(unit, event) if given is ... else given)
    if has_commenced(unit, event.date, hours):
        start = min(unit.start_date, event.date)
        new = moved(unit, outcome=WITHDRAWN, start_date=start, end_date=event.date, hours_attended=hours)
        why = (
            f"commenced (start {unit.start_date.isoformat()} before withdrawal {event.date.isoformat()})"
            if unit.start_date < event.date
            else f"commenced ({hours} hours attended)"
        )
        return decide(
            unit,
            new,
            program_id=program_id,
            rule_id=COMMENCED,
            reason=f"{why}: outcome 40, end date = withdrawal date, hours attended to date",
        )
    if shift is None:
        shift = shift_after((unit,), earliest_future_date(event.date, None, future))
    return unstarted_step(
        unit,
        shift=shift,
        profile=profile,
        program_id=program_id,
        rule_id=NOT_COMMENCED,
        reason=f"not commenced by withdrawal {event.date.isoformat()} and no hours attended",
    )


def plan_withdrawal(
    enrolment: ProgramEnrolment, event: Withdrawal, profile: Profile, future: datetime.date | None = None
) -> Plan:
    """F-WITHDRAW for every unit of ``enrolment``, with the warnings the provider should see.

    ``future``: the collection's first future day (:func:`avetmiss_finalise.period.first_future_day`); the
    not-commenced units move together so that the first starts after the withdrawal date and on/after it.
    """
    given = event_hours(enrolment.units, event)
    unstarted = [u for u, g in zip(enrolment.units, given, strict=True) if _not_commenced(u, event, g)]
    shift = shift_after(unstarted, earliest_future_date(event.date, None, future))
    steps = tuple(
        withdrawal_step(u, event, profile, enrolment.program_id, shift, future, g)
        for u, g in zip(enrolment.units, given, strict=True)
    )
    return Plan(steps, tuple(_warnings(enrolment, event, steps, profile, given)))


def _warnings(
    enrolment: ProgramEnrolment,
    event: Withdrawal,
    steps: tuple[Step, ...],
    profile: Profile,
    given_hours: tuple[int | None, ...],
) -> list[Issue]:
    issues = []
    subjects = {u.subject_id for u in enrolment.units}
    for sid in sorted(set(event.hours_attended) - subjects):
        issues.append(
            warning(
                RULE,
                f"hours given for {sid}, which is not a unit of this enrolment; ignored",
                enrolment,
                field="hours_attended",
                value=sid,
            )
        )
    for before, step, given in zip(enrolment.units, steps, given_hours, strict=True):
        after = step.unit
        sid = before.subject_id
        if before.outcome in FINAL and given is not None and given != before.hours_attended:
            issues.append(
                warning(
                    RULE,
                    f"unit {sid}: hours to date {given} ignored: the unit already has final outcome "
                    f"{before.outcome} and keeps its hours attended {before.hours_attended}",
                    enrolment,
                    field="hours_attended",
                    value=given,
                )
            )
        if before.outcome is not None and before.outcome not in KNOWN and before.outcome != NO_OUTCOME:
            issues.append(
                warning(
                    RULE,
                    f"unit {sid}: unknown outcome {before.outcome!r} treated as no outcome yet",
                    enrolment,
                    field="outcome",
                    value=before.outcome,
                )
            )
        if step.decision.rule_id != COMMENCED:
            continue
        if before.start_date > event.date:
            issues.append(
                warning(
                    COMMENCED,
                    f"unit {sid}: hours attended but start date {before.start_date.isoformat()} is after the "
                    f"withdrawal date; start moved to {event.date.isoformat()}",
                    enrolment,
                    field="start_date",
                    value=before.start_date,
                )
            )
        if not after.hours_attended:
            issues.append(
                warning(
                    # Under the rule ID the validator reports it by where the state requires hours (V-120-13).
                    HOURS_RULE if profile.name in HOURS_FOR_WITHDRAWN else COMMENCED,
                    no_hours_message(f"unit {sid}", profile.name in HOURS_FOR_WITHDRAWN),
                    enrolment,
                    field="hours_attended",
                    value=after.hours_attended,
                )
            )
        elif after.scheduled_hours is not None and after.hours_attended > after.scheduled_hours:
            issues.append(
                warning(
                    COMMENCED,
                    f"unit {sid}: hours attended {after.hours_attended} exceed scheduled hours {after.scheduled_hours}",
                    enrolment,
                    field="hours_attended",
                    value=after.hours_attended,
                )
            )
    return issues


def no_hours_message(unit: str, state_requires_hours: bool) -> str:
    """The warning for a withdrawn (40) unit without hours, worded for where it goes: a state that requires hours
    on a withdrawn unit rejects it (V-120-13; NSW eReporting Error ID 1113); elsewhere NCVER only hints that a unit
    with no hours may never have started (V-120-10). One text for both finalise paths."""
    if state_requires_hours:
        return (
            f"{unit}: withdrawn (40) with no hours attended; this state requires hours on a withdrawn unit and may "
            "reject it (V-120-13; NSW eReporting Error ID 1113)"
        )
    return f"{unit}: withdrawn (40) with no hours attended; record the hours, or 85 if it never started (V-120-10)"
