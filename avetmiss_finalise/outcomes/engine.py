"""``finalise``: one enrolment + one event → one :class:`FinalisationResult` (pure, total, deterministic).

Idempotent by construction: every rule maps an already finalised unit onto itself, so finalising
``result.enrolment`` with the same event changes nothing. A *different* event on an already finalised enrolment is
refused (F-REFINALISE, :mod:`avetmiss_finalise.outcomes.refinalise`): it would be laid over the first result.
No clock: the reporting date and the collection period are arguments.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

import attrs

from avetmiss_finalise.code_lists import FEE_PAYING_FUNDING
from avetmiss_finalise.decisions import Refusal
from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import (
    Completion,
    Deferral,
    EnrolmentStatus,
    Event,
    ProgramEnrolment,
    Transition,
    UnitEnrolment,
    Withdrawal,
)
from avetmiss_finalise.outcomes.after import follow_up_tasks
from avetmiss_finalise.outcomes.codes import FINAL, NO_OUTCOME, NOT_YET_STARTED, WITHDRAWN
from avetmiss_finalise.outcomes.completion import completion_step, nat00130_row, plan_completion
from avetmiss_finalise.outcomes.deferral import deferral_step, plan_deferral
from avetmiss_finalise.outcomes.refinalise import refinalise_problem
from avetmiss_finalise.outcomes.result import FinalisationResult
from avetmiss_finalise.outcomes.rows import nat00120_row
from avetmiss_finalise.outcomes.steps import Plan, Problem, warning
from avetmiss_finalise.outcomes.training_organisation import training_organisation_outcome
from avetmiss_finalise.outcomes.withdrawal import plan_withdrawal, withdrawal_step
from avetmiss_finalise.period import Period, first_future_day, parse_period
from avetmiss_finalise.profiles import Profile, get_profile

__all__ = ["event_rule_id", "finalise", "finalise_many", "national_outcome"]

_TNC_OK = frozenset({WITHDRAWN, NOT_YET_STARTED})
#: Warning: a final outcome ended in an earlier collection year (registered in outcomes.catalogue).
PRIOR_YEAR = "F-PRIOR-YEAR"
#: Funding source – national of fee-paying activity: the code list's set, which the validator's NSW-CID-01 reads too.
_FEE_PAYING = FEE_PAYING_FUNDING


def event_rule_id(event: Event) -> str:
    """The top-level rule ID an event is finalised under."""
    match event:
        case Completion():
            return "F-COMPLETE"
        case Withdrawal():
            return "F-WITHDRAW"
        case Deferral():
            return "F-DEFER"
        case Transition():
            return "F-TRANSITION"
    raise UsageError(f"not a finalisation event: {event!r}")  # pragma: no cover - exhaustive above


def _transition_misuse() -> UsageError:
    return UsageError("a Transition is planned by avetmiss_finalise.transition.plan_transition, not finalise()")


def national_outcome(unit: UnitEnrolment, event: Event, *, profile: str | Profile = "national") -> str | None:
    """The *Outcome identifier – national* ``unit`` reports after ``event``; ``None`` when it gets no NAT row.

    Never returns the internal ``00``: a not-commenced unit reports ``85`` or, under ``unstarted_units="omit"``,
    nothing. Raises :class:`UsageError` where :func:`finalise` would refuse because dates cannot be moved.
    """
    prof = get_profile(profile)
    try:
        match event:
            case Completion():
                step = completion_step(unit, event, None)
            case Withdrawal():
                step = withdrawal_step(unit, event, prof, None)
            case Deferral():
                step = deferral_step(unit, event, prof, None)
            case _:
                raise _transition_misuse()
    except OverflowError:  # the same case finalise() refuses: dates cannot move past 9999-12-31
        raise UsageError(
            f"unit {unit.subject_id}: moving its dates into the future would pass 9999-12-31; "
            "check the event and unit dates"
        ) from None
    return step.unit.outcome if step.decision.reported else None


def _status(enrolment: ProgramEnrolment, event: Event) -> EnrolmentStatus:
    match event:
        case Completion():
            return EnrolmentStatus.COMPLETED if event.credential_issued else EnrolmentStatus.COMPLETION_PENDING
        case Withdrawal():
            return EnrolmentStatus(event.status.value)
        case Deferral():
            return EnrolmentStatus.DEFERRED
    return enrolment.status  # pragma: no cover - Transition is refused earlier


def _plan(enrolment: ProgramEnrolment, event: Event, profile: Profile, future: datetime.date | None) -> Plan:
    match event:
        case Completion():
            return plan_completion(enrolment, event)
        case Withdrawal():
            return plan_withdrawal(enrolment, event, profile, future)
        case Deferral():
            return plan_deferral(enrolment, event, profile, future)
    raise _transition_misuse()


def _input_problems(enrolment: ProgramEnrolment, event: Event, rule_id: str) -> list[Problem]:
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


def _row_problems(plan: Plan, rule_id: str, reporting_date: datetime.date, period: Period | None) -> list[Problem]:
    """The properties every NAT row keeps: no 00, no end before start, no final outcome after the reporting date
    (nor, for a collection, after its period end: it belongs to the next collection, V-120-07)."""
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
        elif period is not None and u.outcome in FINAL and u.end_date > period.end:
            problems.append(
                Problem(
                    rule_id,
                    f"final outcome {u.outcome} would end {u.end_date.isoformat()}, after the collection period end "
                    f"{period.end.isoformat()}: it belongs to a later collection",
                    u.subject_id,
                )
            )
        if u.end_date < u.start_date:  # pragma: no cover - rules never produce it; input is checked first
            problems.append(Problem(rule_id, "end date before start date", u.subject_id))
        if u.outcome == NO_OUTCOME:  # pragma: no cover - unstarted_step never reports 00
            problems.append(Problem(rule_id, "internal outcome 00 would be reported", u.subject_id))
    return problems


def _earlier_collection(
    plan: Plan, enrolment: ProgramEnrolment, reporting_date: datetime.date, period: Period | None
) -> tuple[Plan, list[Issue]]:
    """F-PRIOR-YEAR: a final outcome that ended in an earlier collection year than the reporting date.

    It was (or should have been) reported in that year's collection. Without a period the row is still written,
    with a warning naming the unit; with a period, a row that ends before the period start is left out of this
    collection (V-120-04 would reject it), the decision says so and the warning names the unit.
    """
    issues = []
    steps = []
    for step in plan.steps:
        u = step.unit
        # With a period, the period decides (drop below); the calendar year of the reporting date only without one.
        earlier = (
            period is None and u.outcome in FINAL and step.decision.reported and u.end_date.year < reporting_date.year
        )
        drop = period is not None and step.decision.reported and u.end_date < period.start
        if not (earlier or drop):
            steps.append(step)
            continue
        where = (
            f"before the collection period start {period.start.isoformat()}: left out of this collection"
            if drop and period is not None
            else f"in an earlier collection year than the reporting date {reporting_date.isoformat()}: report it "
            "in that year's collection (check it was)"
        )
        issues.append(
            warning(
                PRIOR_YEAR,
                f"unit {u.subject_id}: outcome {u.outcome} ended {u.end_date.isoformat()}, {where}",
                enrolment,
                field="end_date",
                value=u.end_date,
            )
        )
        if drop:
            decision = attrs.evolve(step.decision, reported=False, reason=f"{step.decision.reason}; ended {where}")
            step = attrs.evolve(step, decision=decision)
        steps.append(step)
    return attrs.evolve(plan, steps=tuple(steps)), issues


def _refusal(problems: list[Problem]) -> Refusal:
    subjects = tuple(dict.fromkeys(p.subject_id for p in problems if p.subject_id is not None))
    lines = "; ".join(f"{p.subject_id}: {p.message}" if p.subject_id else p.message for p in problems)
    return Refusal(rule_id=problems[0].rule_id, message=lines, subject_ids=subjects)


def finalise(
    enrolment: ProgramEnrolment,
    event: Event,
    profile: str | Profile = "national",
    *,
    reporting_date: datetime.date,
    period: Period | int | str | None = None,
    interim: bool = False,
) -> FinalisationResult:
    """Finalise ``enrolment`` for a completion, withdrawal/cancellation or deferral ``event``.

    ``period`` (a :class:`~avetmiss_finalise.period.Period`, a year or ``"FROM:TO"``) and ``interim`` name the
    collection the rows go into: a unit that has not started is then dated "in the future" as the validator
    defines it (after the period end of a final collection, after the reporting date of an interim one), so
    V-120-08 holds; a final outcome must end within the period, and one that ended before it is left out
    (F-PRIOR-YEAR). Without a period, unstarted units move only past the event date.

    Raises :class:`~avetmiss_finalise.errors.UsageError` for a :class:`Transition` (see
    ``avetmiss_finalise.transition.plan_transition``), an unknown profile or a bad period; everything wrong with
    the data is a refusal or an Issue in the result.
    """
    prof = get_profile(profile)
    _check_reporting_date(reporting_date)
    if not isinstance(enrolment, ProgramEnrolment):
        raise UsageTypeError(f"finalise expects a ProgramEnrolment, not {type(enrolment).__name__}")
    if isinstance(event, Transition):
        raise _transition_misuse()
    per = parse_period(period)
    future = first_future_day(per, interim=interim, reporting_date=reporting_date)
    rule_id = event_rule_id(event)
    problems = _input_problems(enrolment, event, rule_id)
    if isinstance(event, Completion) and event.date > reporting_date:
        problems.append(
            Problem(
                rule_id,
                f"completion date {event.date.isoformat()} is after the reporting date {reporting_date.isoformat()}",
            )
        )
    try:
        plan = _plan(enrolment, event, prof, future)
    except OverflowError:  # moving dates "into the future" from 9999-12-31: refuse, never crash (total)
        plan = Plan(
            (),
            (),
            (
                Problem(
                    rule_id, "moving unit dates into the future would pass 9999-12-31; check the event and unit dates"
                ),
            ),
        )
    problems += list(plan.problems)
    again = refinalise_problem(enrolment, event, plan)
    if again is not None:
        problems.insert(0, again)
    plan, earlier = _earlier_collection(plan, enrolment, reporting_date, per)
    problems += _row_problems(plan, rule_id, reporting_date, per)
    to_outcome = training_organisation_outcome(event, prof)
    issues = [*plan.issues, *earlier]
    reported = [s.unit for s in plan.steps if s.decision.reported]
    if to_outcome == "TNC":
        # F-TO-TNC writes TNC on every row; the validator's NSW-TO-02 flags a TNC row whose outcome is not 40/85,
        # so the finaliser warns under that rule ID, naming each such unit.
        for sid in sorted({u.subject_id for u in reported if u.outcome not in _TNC_OK}):
            issues.append(
                warning(
                    "NSW-TO-02",
                    f"unit {sid}: TNC (F-TO-TNC) with an outcome other than 40/85: NSW eReporting may reject it "
                    "(unverified)",
                    enrolment,
                    field="outcome_training_organisation",
                    value="TNC",
                )
            )
    if prof.requires_commitment_id and not enrolment.commitment_id:
        public = sorted({u.subject_id for u in reported if u.funding_source_national not in _FEE_PAYING})
        if public:
            issues.append(
                warning(
                    "NSW-CID-01",
                    f"no Commitment ID: the rows of publicly funded units ({', '.join(public)}) go out with a blank "
                    "Purchasing contract identifier, which Smart and Skilled eReporting rejects",
                    enrolment,
                    field="commitment_id",
                )
            )
    decisions = tuple(s.decision for s in plan.steps)
    if problems:
        issues += [
            Issue(
                rule_id=p.rule_id,
                severity=Severity.ERROR,
                message=p.message,
                field=None,
                value=p.subject_id,
                client_id=enrolment.client_id,
            )
            for p in problems
        ]
        return FinalisationResult(
            enrolment=enrolment,
            status=enrolment.status,
            decisions=decisions,
            issues=tuple(issues),
            refusal=_refusal(problems),
        )
    status = _status(enrolment, event)
    reason = getattr(event, "reason", None)
    after = attrs.evolve(
        enrolment,
        units=tuple(s.unit for s in plan.steps),
        status=status,
        status_reason=enrolment.status_reason if reason is None else reason,
        finalised_on=event.date,
    )
    rows = tuple(nat00120_row(after, u, training_organisation_outcome=to_outcome) for u in reported)
    return FinalisationResult(
        enrolment=after,
        status=status,
        decisions=decisions,
        training_organisation_outcome=to_outcome,
        nat00120=rows,
        nat00130=nat00130_row(after, event) if isinstance(event, Completion) else None,
        tasks=follow_up_tasks(after, event),
        issues=tuple(issues),
    )


def finalise_many(
    pairs: Iterable[tuple[ProgramEnrolment, Event]],
    profile: str | Profile = "national",
    *,
    reporting_date: datetime.date,
    period: Period | int | str | None = None,
    interim: bool = False,
) -> Iterator[FinalisationResult]:
    """Finalise each (enrolment, event) pair, lazily, in input order (the profile and period are resolved once).

    Misuse is refused at the call, not when the results are first consumed: the profile, the reporting date and,
    when ``pairs`` is a list or tuple, every pair (a ``UsageTypeError`` naming its position). Pairs of a lazy
    iterable are checked as they come, with their position too.
    """
    prof = get_profile(profile)
    per = parse_period(period)
    _check_reporting_date(reporting_date)
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
        raise UsageTypeError(f"finalise_many expects (enrolment, event) pairs, not {type(pairs).__name__}")
    if isinstance(pairs, list | tuple):
        for i, pair in enumerate(pairs):
            _check_pair(i, pair)
    return _finalise_each(pairs, prof, reporting_date, per, interim)


def _finalise_each(
    pairs: Iterable[tuple[ProgramEnrolment, Event]],
    prof: Profile,
    reporting_date: datetime.date,
    period: Period | None,
    interim: bool,
) -> Iterator[FinalisationResult]:
    for i, pair in enumerate(pairs):
        enrolment, event = _check_pair(i, pair)
        yield finalise(enrolment, event, prof, reporting_date=reporting_date, period=period, interim=interim)


def _check_pair(i: int, pair: object) -> tuple[ProgramEnrolment, Event]:
    if not isinstance(pair, tuple | list) or len(pair) != 2 or not isinstance(pair[0], ProgramEnrolment):
        raise UsageTypeError(f"finalise_many: pairs[{i}] is {type(pair).__name__}, expected (ProgramEnrolment, event)")
    return pair[0], pair[1]


def _check_reporting_date(value: object) -> None:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise UsageTypeError(f"reporting_date must be a datetime.date, not {type(value).__name__}")
