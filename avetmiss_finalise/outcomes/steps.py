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
    """The step from ``before`` to ``after``: records every tracked field that changed."""
    changes = tuple(
        Change(field=name, before=_value(getattr(before, name)), after=_value(getattr(after, name)))
        for name in _TRACKED
        if getattr(before, name) != getattr(after, name)
    )
    decision = UnitDecision(
        subject_id=before.subject_id,
        program_id=program_id,
        rule_id=rule_id,
        reason=reason,
        changes=changes,
        reported=reported,
    )
    return Step(after, decision)


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
    new = attrs.evolve(unit, outcome=outcome, start_date=start, end_date=end, hours_attended=0)
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
