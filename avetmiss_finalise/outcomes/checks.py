"""The checks ``finalise`` makes on its input and on the rows it would write, and where each row goes.

Kept apart from the engine (which sequences them) so each check reads on its own: the input problems that refuse an
enrolment before any rule runs, the properties every NAT row keeps (finalisation.md, "Properties"), and the
placement of each reported row in the collection (:mod:`~avetmiss_finalise.outcomes.collection_period`).
"""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.issues import Issue
from avetmiss_finalise.model import Event, ProgramEnrolment
from avetmiss_finalise.outcomes.codes import FINAL, NO_OUTCOME
from avetmiss_finalise.outcomes.collection_period import (
    later_collection,
    prior_collection,
    starts_later,
    unscoped_findings,
)
from avetmiss_finalise.outcomes.steps import Plan, Problem, warning
from avetmiss_finalise.period import Period

__all__ = ["input_problems", "placed", "row_problems", "unscoped"]


def input_problems(enrolment: ProgramEnrolment, event: Event, rule_id: str) -> list[Problem]:
    problems = [
        Problem(
            rule_id, f"end date {u.end_date.isoformat()} is before start date {u.start_date.isoformat()}", u.subject_id
        )
        for u in enrolment.units
        if u.end_date < u.start_date
    ]
    # A re-attempt (a 30, then a 20 with another start date) is a distinct NAT00120 record: the key includes the
    # activity start date. Only the same subject starting on the same date twice is ambiguous.
    seen: set[tuple[str, datetime.date]] = set()
    for u in enrolment.units:
        key = (u.subject_id, u.start_date)
        if key in seen:
            problems.append(
                Problem(
                    rule_id,
                    f"subject appears more than once in the enrolment with start date {u.start_date.isoformat()}",
                    u.subject_id,
                )
            )
        seen.add(key)
    return problems


def row_problems(plan: Plan, rule_id: str, reporting_date: datetime.date, period: Period | None) -> list[Problem]:
    """The properties every NAT row keeps: no 00, no end before start, no final outcome after the reporting date
    (nor, for a collection, a row of a later one: ending after its period end, V-120-07, or starting after it,
    V-120-01; :mod:`~avetmiss_finalise.outcomes.collection_period`)."""
    problems = []
    for step in plan.steps:
        u = step.unit
        if not step.decision.reported:
            continue
        if u.outcome in FINAL and u.end_date > reporting_date:
            problems.append(
                Problem(
                    rule_id,
                    f"final outcome {u.outcome} would end {u.end_date.isoformat()}, after "
                    f"the reporting date {reporting_date.isoformat()}",
                    u.subject_id,
                )
            )
        else:
            later = later_collection(u.outcome, u.end_date, period) or starts_later(u.outcome, u.start_date, period)
            if later is not None:
                problems.append(Problem(rule_id, later, u.subject_id))
        # A kept unit's own bad dates or 00 outcome reach the row as given: the input check names them first, and the
        # row check says what would be reported (both lines go into the refusal).
        if u.end_date < u.start_date:
            problems.append(Problem(rule_id, "end date before start date", u.subject_id))
        if u.outcome == NO_OUTCOME:
            problems.append(Problem(rule_id, "internal outcome 00 would be reported", u.subject_id))
    return problems


def placed(
    plan: Plan, enrolment: ProgramEnrolment, reporting_date: datetime.date, period: Period | None
) -> tuple[Plan, list[Issue]]:
    """With a period, each reported row that ended before its start is left out of the collection (F-PRIOR-YEAR:
    the decision says so and the warning names the unit; :mod:`~avetmiss_finalise.outcomes.collection_period`)."""
    if period is None:  # nothing is placed without a period: the plan as it is (not a copy of it per enrolment)
        return plan, []
    issues = []
    steps = []
    for step in plan.steps:
        u = step.unit
        prior = None
        if period is not None and step.decision.reported:
            prior = prior_collection(u.subject_id, u.outcome, u.end_date, reporting_date=reporting_date, period=period)
        if prior is not None:
            issues.append(warning(prior.rule_id, prior.message, enrolment, field="end_date", value=u.end_date))
            reason = f"{step.decision.reason}; ended {prior.where}"
            step = attrs.evolve(step, decision=attrs.evolve(step.decision, reported=False, reason=reason))
        steps.append(step)
    return attrs.evolve(plan, steps=tuple(steps)), issues


def unscoped(plan: Plan, enrolment: ProgramEnrolment, reporting_date: datetime.date) -> list[Issue]:
    """Without a period: a warning under the validator's rule ID for each written row that validating it for the
    reporting date's year would flag (V-120-04, V-120-08, V-120-03, V-120-01). Only for rows that are written:
    the caller skips a refused enrolment, whose rows nobody will validate."""
    issues = []
    for step in plan.steps:
        u = step.unit
        if not step.decision.reported:
            continue
        prior = prior_collection(u.subject_id, u.outcome, u.end_date, reporting_date=reporting_date, period=None)
        if prior is not None:
            issues.append(warning(prior.rule_id, prior.message, enrolment, field="end_date", value=u.end_date))
        for f in unscoped_findings(u.subject_id, u.outcome, u.start_date, u.end_date, reporting_date=reporting_date):
            issues.append(warning(f.rule_id, f.message, enrolment, field=f.field, value=f.value))
    return issues
