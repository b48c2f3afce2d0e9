"""Last checks before a unit becomes a NAT00120 row: the properties every finalisation keeps (finalisation.md).

A unit that would break one makes the plan refuse with the unit named, rather than write a bad row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from avetmiss_finalise.decisions import Refusal
from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.outcomes.collection_period import later_collection, starts_later
from avetmiss_finalise.period import Period
from avetmiss_finalise.transition._table import FINAL

__all__ = ["guard_rows"]


def _problem(unit: UnitEnrolment, reporting_date: datetime.date, period: Period | None) -> str | None:
    if unit.outcome is None or unit.outcome == "00":
        return f"{unit.subject_id} has no AVETMISS outcome ({unit.outcome!r}; set 70 or 85 first)"
    if unit.end_date < unit.start_date:
        return f"{unit.subject_id} ends ({unit.end_date}) before it starts ({unit.start_date})"
    if unit.outcome in FINAL and unit.end_date > reporting_date:
        return (
            f"{unit.subject_id} has final outcome {unit.outcome} with end date {unit.end_date} after the reporting "
            f"date {reporting_date}"
        )
    later = later_collection(unit.outcome, unit.end_date, period) or starts_later(unit.outcome, unit.start_date, period)
    return None if later is None else f"{unit.subject_id}: {later}"


def guard_rows(
    units: Iterable[tuple[str, UnitEnrolment]],
    reporting_date: datetime.date,
    rule_id: str,
    period: Period | None = None,
) -> Refusal | None:
    """Refuse when any (program id, unit) pair would make a NAT00120 row that breaks a finalisation property.

    With a collection ``period``, a final outcome ending after its end, or a row other than an 85 starting after
    it, is refused too, as ``finalise`` refuses them (they belong to a later collection; V-120-07, V-120-01): the
    plan cannot choose another date for the provider.
    """
    problems = [(pid, u, p) for pid, u in units if (p := _problem(u, reporting_date, period)) is not None]
    if not problems:
        return None
    return Refusal(
        rule_id=rule_id,
        message="cannot report: " + "; ".join(f"{pid} unit {p}" for pid, _, p in problems),
        subject_ids=tuple(dict.fromkeys(u.subject_id for _, u, _ in problems)),
        program_ids=tuple(dict.fromkeys(pid for pid, _, _ in problems)),
    )
