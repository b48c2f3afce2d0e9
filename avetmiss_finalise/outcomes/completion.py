"""F-COMPLETE: completion. Refuses (naming every unit) unless each subject is achieved: each unit carries a final
*achieved* outcome, or is an earlier attempt of a subject achieved later, or a withdrawn unit another achieved unit
replaced (warned; :mod:`.attempts` says which and why).

Nothing is clamped silently: an end date after the completion date becomes the completion date with a warning and
the change recorded; a unit starting after the completion date cannot be fixed that way and is refused.
"""

from __future__ import annotations

from avetmiss_finalise.model import Completion, ProgramEnrolment, UnitEnrolment
from avetmiss_finalise.nat.records import NAT00130
from avetmiss_finalise.outcomes.attempts import REPLACED_MESSAGE, achieved_later, replaced_elective
from avetmiss_finalise.outcomes.codes import ACHIEVED
from avetmiss_finalise.outcomes.steps import Plan, Problem, Step, decide, moved, warning

__all__ = ["completion_step", "nat00130_row", "plan_completion"]

RULE = "F-COMPLETE"
_SUPERSEDED = "61"
_RCC_GRANTED = "53"


def completion_step(
    unit: UnitEnrolment, event: Completion, program_id: str | None, *, attempt: str | None = None
) -> Step:
    """The F-COMPLETE decision for one unit (outcome unchanged; end date at most the completion date);
    ``attempt``: why a unit that is not achieved still counts (:mod:`.attempts`), said in the decision."""
    if unit.end_date > event.date and unit.start_date <= event.date:
        new = moved(
            unit,
            outcome=unit.outcome,
            start_date=unit.start_date,
            end_date=event.date,
            hours_attended=unit.hours_attended,
        )
        return decide(
            unit,
            new,
            program_id=program_id,
            rule_id=RULE,
            reason=f"end date {unit.end_date.isoformat()} after completion: set to the completion date",
        )
    reason = f"completed with outcome {unit.outcome}" + (f" ({attempt})" if attempt else "")
    return decide(unit, unit, program_id=program_id, rule_id=RULE, reason=reason)


def plan_completion(enrolment: ProgramEnrolment, event: Completion) -> Plan:
    """F-COMPLETE for every unit, with the problems that refuse it and the warnings that do not."""
    problems: list[Problem] = []
    issues = []
    if not enrolment.units:
        problems.append(Problem(RULE, "no unit enrolments: nothing shows the program was completed"))
    for u in enrolment.units:
        if u.outcome == _SUPERSEDED:
            issues.append(
                warning(
                    RULE,
                    f"unit {u.subject_id}: outcome 61 (superseded) counts only where an "
                    "achieved unit replaced it; check",
                    enrolment,
                    field="outcome",
                    value=u.outcome,
                )
            )
        elif u.outcome == _RCC_GRANTED:
            issues.append(
                warning(
                    RULE,
                    f"unit {u.subject_id}: outcome 53 (recognition of current competency granted) counts as achieved, "
                    "but whether 53 is still a national code is unverified (code_lists.md §1); check",
                    enrolment,
                    field="outcome",
                    value=u.outcome,
                )
            )
        elif replaced_elective(u, enrolment.units):
            issues.append(
                warning(RULE, f"unit {u.subject_id}: {REPLACED_MESSAGE}", enrolment, field="outcome", value=u.outcome)
            )
        elif u.outcome not in ACHIEVED and not achieved_later(u, enrolment.units):
            shown = "no outcome" if u.outcome is None else f"outcome {u.outcome}"
            problems.append(
                Problem(RULE, f"{shown} is not a final achieved outcome (20, 51, 53, 60, 81)", u.subject_id)
            )
        if u.start_date > event.date:
            problems.append(
                Problem(
                    RULE,
                    f"starts {u.start_date.isoformat()}, after the completion date {event.date.isoformat()}",
                    u.subject_id,
                )
            )
        elif u.end_date > event.date:
            issues.append(
                warning(
                    RULE,
                    f"unit {u.subject_id}: end date {u.end_date.isoformat()} after the "
                    f"completion date; set to {event.date.isoformat()}",
                    enrolment,
                    field="end_date",
                    value=u.end_date,
                )
            )
        if u.hours_attended is not None and u.scheduled_hours is not None and u.hours_attended > u.scheduled_hours:
            issues.append(
                warning(
                    RULE,
                    f"unit {u.subject_id}: hours attended {u.hours_attended} exceed scheduled "
                    f"hours {u.scheduled_hours}",
                    enrolment,
                    field="hours_attended",
                    value=u.hours_attended,
                )
            )
    if not event.credential_issued and (event.parchment_number or event.parchment_issue_date):
        issues.append(
            warning(
                RULE,
                "parchment details given but the credential is not issued; issued flag N",
                enrolment,
                field="credential_issued",
            )
        )
    steps = tuple(
        completion_step(u, event, enrolment.program_id, attempt=_attempt(u, enrolment.units)) for u in enrolment.units
    )
    return Plan(steps, tuple(issues), tuple(problems))


def _attempt(unit: UnitEnrolment, units: tuple[UnitEnrolment, ...]) -> str | None:
    if achieved_later(unit, units):
        return "an earlier attempt: the subject is achieved by a later one, reported as its own row"
    if replaced_elective(unit, units):
        return "withdrawn, counted as replaced by another achieved unit"
    return None


def nat00130_row(enrolment: ProgramEnrolment, event: Completion) -> NAT00130 | None:
    """The program completed row (F-COMPLETE step 5); ``None`` for subject-only enrolments (no program)."""
    if enrolment.program_id is None:
        return None
    return NAT00130(
        training_organisation_id=enrolment.training_organisation_id,
        program_id=enrolment.program_id,
        client_id=enrolment.client_id,
        date_program_completed=event.date,
        issued_flag="Y" if event.credential_issued else "N",
        parchment_issue_date=event.parchment_issue_date,
        parchment_number=event.parchment_number,
    )
