"""Shared building blocks of the finalisation rules: one unit's step, its recorded changes, located problems.

Every rule module returns a :class:`Plan`; the engine turns plans into a ``FinalisationResult``. Keeping the
before/after bookkeeping here means no rule can change a unit without the change being recorded.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import attrs

from avetmiss_finalise.decisions import Change, UnitDecision, Value
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import ProgramEnrolment, UnitEnrolment
from avetmiss_finalise.outcomes.codes import NO_OUTCOME, NOT_YET_STARTED
from avetmiss_finalise.profiles import Profile

__all__ = [
    "Plan",
    "Problem",
    "Step",
    "decide",
    "earliest_future_date",
    "moved",
    "shift_after",
    "unstarted_step",
    "warning",
]

_ONE_DAY = datetime.timedelta(days=1)
_TRACKED = ("outcome", "start_date", "end_date", "hours_attended")


@attrs.frozen
class Step:
    """One unit after a rule, with the decision that explains it."""

    unit: UnitEnrolment
    decision: UnitDecision


@attrs.frozen
class Problem:
    """Why an enrolment must be refused, located at one unit (``subject_id=None``: the whole enrolment)."""

    rule_id: str
    message: str
    subject_id: str | None = None


@attrs.frozen
class Plan:
    """What one rule module decided for a whole enrolment."""

    steps: tuple[Step, ...]
    issues: tuple[Issue, ...] = ()
    problems: tuple[Problem, ...] = ()


def _value(v: object) -> Value:
    if isinstance(v, datetime.date):
        return v.isoformat()
    assert v is None or isinstance(v, str | int)
    return v


def decide(
    before: UnitEnrolment,
    after: UnitEnrolment,
    *,
    program_id: str | None,
    rule_id: str,
    reason: str,
    reported: bool = True,
) -> Step:
    """The step from ``before`` to ``after``: records every tracked field that changed (``_TRACKED``, in order).

    Spelt out field by field rather than looped over by name: this runs once per unit of every batch, and the
    generic loop (eight ``getattr`` calls and a generator) was a tenth of finalising an enrolment."""
    changes: list[Change] = []
    if after is not before:  # a kept unit is its own after: nothing changed
        if before.outcome != after.outcome:
            changes.append(Change(field="outcome", before=_value(before.outcome), after=_value(after.outcome)))
        if before.start_date != after.start_date:
            changes.append(Change(field="start_date", before=_value(before.start_date), after=_value(after.start_date)))
        if before.end_date != after.end_date:
            changes.append(Change(field="end_date", before=_value(before.end_date), after=_value(after.end_date)))
        if before.hours_attended != after.hours_attended:
            changes.append(
                Change(field="hours_attended", before=_value(before.hours_attended), after=_value(after.hours_attended))
            )
    decision = UnitDecision(
        subject_id=before.subject_id,
        program_id=program_id,
        rule_id=rule_id,
        reason=reason,
        changes=tuple(changes),
        reported=reported,
    )
    return Step(after, decision)


def moved(
    unit: UnitEnrolment,
    *,
    outcome: str | None,
    start_date: datetime.date,
    end_date: datetime.date,
    hours_attended: int | None,
) -> UnitEnrolment:
    """``attrs.evolve(unit, outcome=…, start_date=…, end_date=…, hours_attended=…)``: the same unit with the four
    fields a rule changes (``_TRACKED``) replaced and every other field kept.

    Written out because it runs for most units of a batch and ``attrs.evolve`` (which looks up the class's fields
    and builds the keyword arguments anew each call) took twice as long; ``tests/outcomes/test_steps_moved.py``
    holds it equal to ``attrs.evolve`` and to every field of :class:`UnitEnrolment`, so a field added there cannot
    be dropped here unnoticed. A subclass of ``UnitEnrolment`` goes through ``attrs.evolve``, keeping its class."""
    if type(unit) is not UnitEnrolment:
        return attrs.evolve(
            unit, outcome=outcome, start_date=start_date, end_date=end_date, hours_attended=hours_attended
        )
    return UnitEnrolment(
        subject_id=unit.subject_id,
        delivery_location_id=unit.delivery_location_id,
        start_date=start_date,
        end_date=end_date,
        outcome=outcome,
        hours_attended=hours_attended,
        scheduled_hours=unit.scheduled_hours,
        delivery_mode=unit.delivery_mode,
        predominant_delivery_mode=unit.predominant_delivery_mode,
        funding_source_national=unit.funding_source_national,
        commencing_program_id=unit.commencing_program_id,
        study_reason_id=unit.study_reason_id,
        vet_in_schools_flag=unit.vet_in_schools_flag,
        specific_funding_id=unit.specific_funding_id,
        school_type_id=unit.school_type_id,
        funding_source_state=unit.funding_source_state,
        client_tuition_fee=unit.client_tuition_fee,
        fee_exemption_concession_type_id=unit.fee_exemption_concession_type_id,
        purchasing_contract_schedule_id=unit.purchasing_contract_schedule_id,
        training_contract_id=unit.training_contract_id,
        client_id_apprenticeships=unit.client_id_apprenticeships,
        associated_course_id=unit.associated_course_id,
        reported=unit.reported,
    )


def shift_after(units: Iterable[UnitEnrolment], earliest: datetime.date) -> datetime.timedelta:
    """How far to move a group of units so the first starts on/after ``earliest`` (zero if it already does).

    Moving the group by one shift keeps the provider's planned sequence and durations intact.
    """
    starts = [u.start_date for u in units]
    if not starts or min(starts) >= earliest:
        return datetime.timedelta(0)
    return earliest - min(starts)


def earliest_future_date(
    after: datetime.date, on_or_after: datetime.date | None, future: datetime.date | None = None
) -> datetime.date:
    """The first date a not-commenced unit may start: on/after ``on_or_after`` when given, else the day after
    ``after``, and never before ``future`` (the collection's first future day, :mod:`avetmiss_finalise.period`)
    so that an 85 starts "in the future" as the validator defines it (V-120-08)."""
    earliest = on_or_after if on_or_after is not None else after + _ONE_DAY
    return earliest if future is None else max(earliest, future)


def unstarted_step(
    unit: UnitEnrolment,
    *,
    shift: datetime.timedelta,
    profile: Profile,
    program_id: str | None,
    rule_id: str,
    reason: str,
) -> Step:
    """The internal "no outcome" (00) treatment: dates moved by ``shift``, 0 hours, reported as 85 or omitted."""
    start = unit.start_date + shift
    end = max(unit.end_date, unit.start_date) + shift
    report = profile.unstarted_units == "report_85"
    outcome = NOT_YET_STARTED if report else NO_OUTCOME
    new = moved(unit, outcome=outcome, start_date=start, end_date=end, hours_attended=0)
    how = "reported as 85 (not yet started)" if report else "left out of NAT00120 (profile unstarted_units=omit)"
    return decide(
        unit,
        new,
        program_id=program_id,
        rule_id=rule_id,
        reason=f"{reason}; internal outcome 00, {how}",
        reported=report,
    )


def warning(
    rule_id: str,
    message: str,
    enrolment: ProgramEnrolment,
    *,
    field: str | None = None,
    value: object = None,
) -> Issue:
    """A warning about one enrolment (the CLI adds the input location)."""
    return Issue(
        rule_id=rule_id,
        severity=Severity.WARNING,
        message=message,
        field=field,
        value=None if value is None else str(_value(value)),
        client_id=enrolment.client_id,
    )
