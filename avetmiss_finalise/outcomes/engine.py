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

from avetmiss_finalise.code_lists import FEE_PAYING_FUNDING, TNC_OUTCOMES
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
from avetmiss_finalise.outcomes.attempts import (
    QLD_DUPLICATE,
    accepted_attempt,
    overlap_notices,
    qld_duplicate_message,
    qld_duplicates,
)
from avetmiss_finalise.outcomes.checks import input_problems, placed, row_problems, unscoped
from avetmiss_finalise.outcomes.codes import HOURS_FOR_WITHDRAWN, WITHDRAWN
from avetmiss_finalise.outcomes.collection_period import check_reporting_date, completion_placement
from avetmiss_finalise.outcomes.completion import completion_step, nat00130_row, plan_completion
from avetmiss_finalise.outcomes.deferral import deferral_step, plan_deferral
from avetmiss_finalise.outcomes.refinalise import refinalise_problem
from avetmiss_finalise.outcomes.result import FinalisationResult
from avetmiss_finalise.outcomes.rows import nat00120_row
from avetmiss_finalise.outcomes.steps import Plan, Problem, warning
from avetmiss_finalise.outcomes.training_organisation import training_organisation_outcome
from avetmiss_finalise.outcomes.withdrawal import HOURS_RULE, no_hours_message, plan_withdrawal, withdrawal_step
from avetmiss_finalise.period import Period, first_future_day, parse_period
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.rule_severity import with_named_severities

__all__ = ["event_rule_id", "finalise", "finalise_many", "national_outcome"]

#: The outcomes TNC may accompany (NSW-TO-02): the code list's set, which the validator and the columnar path read.
_TNC_OK = TNC_OUTCOMES
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

    What the input already says and the event gives no reason to change (a kept 40 with no hours, 20 with mode
    ``NNN`` …) is written as it stands and not re-judged here: this function sees one enrolment and stays free of
    the validator. :func:`avetmiss_finalise.finalise_batch` (what the ``finalise`` command runs) checks the rows
    it writes with the validator's own NAT00120 rules and names every such fault by the validator's rule ID
    (docs/finalise.md, "Checked before writing"); call it, with one item if need be, to have that check.
    """
    prof = get_profile(profile)
    _check_reporting_date(reporting_date)
    if not isinstance(enrolment, ProgramEnrolment):
        raise UsageTypeError(f"finalise expects a ProgramEnrolment, not {type(enrolment).__name__}")
    if isinstance(event, Transition):
        raise _transition_misuse()
    per = parse_period(period)
    check_reporting_date(reporting_date, per)
    future = first_future_day(per, interim=interim, reporting_date=reporting_date)
    rule_id = event_rule_id(event)
    problems = input_problems(enrolment, event, rule_id)
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
    plan, earlier = placed(plan, enrolment, reporting_date, per)
    problems += row_problems(plan, rule_id, reporting_date, per)
    to_outcome = training_organisation_outcome(event, prof)
    issues = [*plan.issues, *earlier]
    if per is None and not problems:  # what validating the written rows for the reporting date's year flags
        issues += unscoped(plan, enrolment, reporting_date)
    reported = [s.unit for s in plan.steps if s.decision.reported]
    completion_row = True
    if isinstance(event, Completion) and enrolment.program_id is not None and plan.steps:
        completion_row, said = completion_placement(
            enrolment.program_id,
            event.date,
            has_activity=bool(reported),
            reporting_date=reporting_date,
            period=per,
            interim=interim,
        )
        if said is not None and not problems:  # a refused completion writes no NAT00130 anyway
            issues.append(warning(said.rule_id, said.message, enrolment, field=said.field, value=said.value))
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
    if isinstance(event, Completion) and prof.name in HOURS_FOR_WITHDRAWN:
        # A withdrawn unit a completion accepts (re-attempted, or a replaced elective) is written as it stands: with
        # no hours this state rejects the row (V-120-13), as it would a withdrawal's, so say so under that rule.
        for u in reported:
            if u.outcome == WITHDRAWN and not u.hours_attended and accepted_attempt(u, enrolment.units):
                issues.append(
                    warning(
                        HOURS_RULE,
                        no_hours_message(f"unit {u.subject_id}", True),
                        enrolment,
                        field="hours_attended",
                        value=u.hours_attended,
                    )
                )
    if prof.name == "qld":  # a re-attempt's two rows of one subject: Queensland rejects the pair (C049)
        for u in qld_duplicates(reported):
            issues.append(
                warning(
                    QLD_DUPLICATE,
                    qld_duplicate_message(u.subject_id),
                    enrolment,
                    field="subject_id",
                    value=u.subject_id,
                )
            )
    if not problems:  # rows of one subject the validator rejects together; a refused enrolment writes none
        issues += overlap_notices(reported, enrolment)
    # A notice under a validator rule carries that rule's severity under the profile (V-120-13 is an error under nsw).
    issues = list(with_named_severities(issues, prof.name, period_known=per is not None))
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
    units = tuple(s.unit for s in plan.steps)
    status_reason = enrolment.status_reason if reason is None else reason
    if type(enrolment) is ProgramEnrolment:  # attrs.evolve spelt out: it runs once per enrolment of every batch
        after = ProgramEnrolment(
            training_organisation_id=enrolment.training_organisation_id,
            client_id=enrolment.client_id,
            program_id=enrolment.program_id,
            units=units,
            commitment_id=enrolment.commitment_id,
            status=status,
            status_reason=status_reason,
            finalised_on=event.date,
        )
    else:  # a subclass keeps its class and its own fields
        after = attrs.evolve(
            enrolment, units=units, status=status, status_reason=status_reason, finalised_on=event.date
        )
    rows = tuple(nat00120_row(after, u, training_organisation_outcome=to_outcome) for u in reported)
    return FinalisationResult(
        enrolment=after,
        status=status,
        decisions=decisions,
        training_organisation_outcome=to_outcome,
        nat00120=rows,
        nat00130=nat00130_row(after, event) if isinstance(event, Completion) and completion_row else None,
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
    iterable are checked as they come, with their position too. Like :func:`finalise`, it does not re-judge
    input faults carried into rows; :func:`avetmiss_finalise.finalise_batch` does.
    """
    prof = get_profile(profile)
    per = parse_period(period)
    _check_reporting_date(reporting_date)
    check_reporting_date(reporting_date, per)
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
