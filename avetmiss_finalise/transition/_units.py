"""Per-unit decisions of a transition: superseded units by the table, current units as enrolled or credited.

Each function returns the unit as it will be reported (or ``None``), a :class:`UnitDecision` with before/after
values and the rule ID, and any issues — so the plan can be explained and nothing is lost.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import attrs

from avetmiss_finalise.decisions import Change, UnitDecision
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.outcomes.codes import HOURS_FOR_WITHDRAWN, WITHDRAWN
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.transition._result import REPORTED
from avetmiss_finalise.transition._table import (
    ACHIEVED,
    FINAL,
    SUPERSEDED_UNIT_TABLE,
    classify_superseded,
)

__all__ = [
    "CREDIT_TRANSFER",
    "UnitPlan",
    "credit_sources",
    "plan_current",
    "plan_superseded",
    "unit_changes",
    "withdrawn_hours_rule",
]


#: Credit transfer (finalisation.md F-TRANSITION-REPORTED, B's units): outcome, delivery mode, predominant mode.
CREDIT_TRANSFER = ("60", "NNN", "N")

_TRACKED = (
    "subject_id",
    "outcome",
    "start_date",
    "end_date",
    "hours_attended",
    "scheduled_hours",
    "delivery_mode",
    "predominant_delivery_mode",
)


@attrs.frozen(kw_only=True)
class UnitPlan:
    """One unit's outcome in the plan: ``after`` is ``None`` when no row is written."""

    after: UnitEnrolment | None
    decision: UnitDecision
    issues: tuple[Issue, ...] = ()


def _value(v: object) -> str | int | None:
    if isinstance(v, datetime.date):
        return v.isoformat()
    assert v is None or isinstance(v, str | int)
    return v


def unit_changes(before: UnitEnrolment | None, after: UnitEnrolment) -> tuple[Change, ...]:
    """The tracked fields that differ (every tracked field when the unit is created: ``before`` is ``None``)."""
    out = []
    for name in _TRACKED:
        old = None if before is None else getattr(before, name)
        new = getattr(after, name)
        if before is None or old != new:
            out.append(Change(field=name, before=_value(old), after=_value(new)))
    return tuple(out)


def withdrawn_hours_rule(profile: Profile) -> str:
    """The rule ID of the "40 without hours" warning: the validator's V-120-13 where the state requires hours on a
    40 (one list, ``HOURS_FOR_WITHDRAWN``, as F-WITHDRAW warns), so one ID follows the unit to ``validate``."""
    withdrawn = profile.transition_incomplete_outcome == WITHDRAWN
    return "V-120-13" if withdrawn and profile.name in HOURS_FOR_WITHDRAWN else REPORTED


def plan_superseded(
    unit: UnitEnrolment,
    *,
    program_id: str,
    on: datetime.date,
    incomplete_outcome: str,
    client_id: str,
    hours_rule_id: str = REPORTED,
) -> UnitPlan:
    """F-TRANSITION-REPORTED for one unit of the superseded program, following the table (``hours_rule_id``: the
    rule ID of the warning for a unit finalised without hours, :func:`withdrawn_hours_rule`)."""
    case = classify_superseded(unit, on)
    row = SUPERSEDED_UNIT_TABLE[case]
    issues: list[Issue] = []
    after: UnitEnrolment | None = unit if row.reported else None
    reason = row.reason
    if row.final_outcome:
        after = attrs.evolve(unit, outcome=incomplete_outcome, end_date=on)
        reason = f"{reason} (outcome {incomplete_outcome})"
        if not unit.hours_attended:
            issues.append(
                Issue(
                    rule_id=hours_rule_id,
                    severity=Severity.WARNING,
                    message=f"unit {unit.subject_id}: reported as {incomplete_outcome} on transition with "
                    f"hours attended {unit.hours_attended!r}; state collections expect hours attended > 0",
                    field="hours_attended",
                    client_id=client_id,
                )
            )
        elif unit.scheduled_hours is not None and unit.hours_attended > unit.scheduled_hours:
            issues.append(
                Issue(
                    rule_id=REPORTED,
                    severity=Severity.WARNING,
                    message=f"unit {unit.subject_id}: hours attended {unit.hours_attended} exceed scheduled "
                    f"hours {unit.scheduled_hours}",
                    field="hours_attended",
                    client_id=client_id,
                )
            )
    if not row.covered_by_spec:
        issues.append(
            Issue(
                rule_id=REPORTED,
                severity=Severity.WARNING,
                message=f"unit {unit.subject_id}: outcome {unit.outcome} is not covered by the superseded-unit "
                "table (only 20/51/60 and unfinished units are); reported unchanged, please check",
                field="outcome",
                value=unit.outcome,
                client_id=client_id,
            )
        )
    decision = UnitDecision(
        subject_id=unit.subject_id,
        program_id=program_id,
        rule_id=REPORTED,
        reason=f"superseded unit, {case.value}: {reason}",
        changes=() if after is None else unit_changes(unit, after),
        reported=after is not None,
    )
    return UnitPlan(after=after, decision=decision, issues=tuple(issues))


def credit_sources(superseded: Sequence[UnitEnrolment], unit_map: Mapping[str, str]) -> dict[str, UnitEnrolment]:
    """Current subject id → the achieved superseded unit it is equivalent to (first one, in enrolment order)."""
    sources: dict[str, UnitEnrolment] = {}
    for unit in superseded:
        target = unit_map.get(unit.subject_id)
        if target is not None and unit.outcome in ACHIEVED:
            sources.setdefault(target, unit)
    return sources


def _credited(unit: UnitEnrolment, on: datetime.date) -> UnitEnrolment:
    """A credit-transfer unit: dated on the transition date (when the credit is granted), 0 hours attended and
    0 scheduled hours (no training is delivered; the validator's V-120-15 expects 0 for 60)."""
    outcome, mode, predominant = CREDIT_TRANSFER
    return attrs.evolve(
        unit,
        start_date=on,
        end_date=on,
        outcome=outcome,
        delivery_mode=mode,
        predominant_delivery_mode=predominant,
        hours_attended=0,
        scheduled_hours=0,
    )


def plan_current(
    current: Sequence[UnitEnrolment],
    sources: Mapping[str, UnitEnrolment],
    *,
    program_id: str,
    on: datetime.date,
    rule_id: str,
    client_id: str,
) -> list[UnitPlan]:
    """The current program's units: credit transfer where equivalent to an achieved unit, else as enrolled.

    A credited unit missing from ``current`` is created from the superseded unit's data (its location, funding
    and scheduled hours), under the current subject id.
    """
    plans: list[UnitPlan] = []
    present = {u.subject_id for u in current}
    for unit in current:
        source = sources.get(unit.subject_id)
        if source is not None and unit.outcome in FINAL and unit.outcome != "60":
            issue = Issue(
                rule_id=rule_id,
                severity=Severity.WARNING,
                message=f"unit {unit.subject_id}: equivalent to achieved {source.subject_id} but already has final "
                f"outcome {unit.outcome}; credit transfer not applied, reported as enrolled",
                field="outcome",
                value=unit.outcome,
                client_id=client_id,
            )
            plans.append(_as_enrolled(unit, program_id, rule_id, (issue,)))
        elif source is not None:
            after = _credited(unit, on)
            decision = UnitDecision(
                subject_id=unit.subject_id,
                program_id=program_id,
                rule_id=rule_id,
                reason=f"credit transfer: equivalent to {source.subject_id} achieved ({source.outcome}) in the "
                "superseded program",
                changes=unit_changes(unit, after),
            )
            plans.append(UnitPlan(after=after, decision=decision))
        else:
            plans.append(_as_enrolled(unit, program_id, rule_id, ()))
    for subject_id, source in sources.items():
        if subject_id in present:
            continue
        after = _credited(attrs.evolve(source, subject_id=subject_id, reported=False), on)
        decision = UnitDecision(
            subject_id=subject_id,
            program_id=program_id,
            rule_id=rule_id,
            reason=f"credit transfer created from superseded unit {source.subject_id} achieved ({source.outcome}): "
            "not among the current program's units",
            changes=unit_changes(None, after),
        )
        plans.append(UnitPlan(after=after, decision=decision))
    return plans


def _as_enrolled(unit: UnitEnrolment, program_id: str, rule_id: str, issues: tuple[Issue, ...]) -> UnitPlan:
    decision = UnitDecision(
        subject_id=unit.subject_id, program_id=program_id, rule_id=rule_id, reason="current unit: reported as enrolled"
    )
    return UnitPlan(after=unit, decision=decision, issues=issues)
