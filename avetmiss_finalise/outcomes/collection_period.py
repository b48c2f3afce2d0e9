"""Which collection a finalised row belongs to: the one place ``finalise`` and ``plan_transition`` decide it.

A NAT00120 row belongs to a collection when its activity overlaps the period (validation_rules.md §3: V-120-01,
V-120-04), and a final outcome must not end in the collection's future (V-120-07). Both engines write rows into
a collection, so both ask these pure functions rather than keeping two copies that could drift (issue #8: the
rows either engine writes must validate clean for the period). No clock, no I/O: the reporting date and the
period are arguments.

``outcomes/engine.py`` and the columnar twin (``outcomes/columnar_period.py``) call these functions, so one
wording serves all paths. Without a period the calendar year of the reporting date stands in for the collection
the rows will be validated for: where that validation would flag a row, the warning goes out under the
validator's rule ID (V-120-01, V-120-03, V-120-04, V-120-08, P-01), naming the unit or program, so one ID follows
it from ``finalise`` to ``validate``.
"""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.code_lists import FINAL_OUTCOMES
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.period import Period, future_after

__all__ = [
    "PRIOR_YEAR",
    "Finding",
    "PriorCollection",
    "check_reporting_date",
    "completion_placement",
    "later_collection",
    "prior_collection",
    "starts_later",
    "unscoped_findings",
]

#: Warning: a row that belongs to an earlier collection (registered in outcomes.catalogue).
PRIOR_YEAR = "F-PRIOR-YEAR"
#: The validator's rule IDs the warnings without a period go out under (all registered validation rules).
_ENDS_BEFORE = "V-120-04"
_COMPLETION_YEAR = "P-01"
_NOT_STARTED = "85"
_CONTINUING = "70"
_COMPLETED = "date_program_completed"


@attrs.frozen(kw_only=True)
class PriorCollection:
    """A reported row that belongs to an earlier collection: ``drop`` it from this one, or only warn.

    ``where`` completes the decision's reason ("ended <where>"); ``message`` is the F-PRIOR-YEAR warning, naming
    the unit as ``unit <SID>: ...`` (field ``end_date``), the form the agreement tests match findings by.
    """

    drop: bool
    where: str
    message: str
    #: F-PRIOR-YEAR when a period drops the row; V-120-04 (the validator's ID) when, without one, it is only named.
    rule_id: str = PRIOR_YEAR


def prior_collection(
    subject_id: str,
    outcome: str | None,
    end_date: datetime.date,
    *,
    reporting_date: datetime.date,
    period: Period | None,
) -> PriorCollection | None:
    """F-PRIOR-YEAR for one reported row, or ``None`` when it belongs to this collection.

    With a period the period decides: a row (any outcome) ending before its start is left out (V-120-04 would
    reject it). Without one, the calendar year of the reporting date stands in: a row that ended in an earlier
    year is kept, with a warning under V-120-04 — the error validating it for that year gives (it was, or should
    have been, reported in its own year's collection).
    """
    if period is not None:
        if end_date >= period.start:
            return None
        where = f"before the collection period start {period.start.isoformat()}: left out of this collection"
        rule_id = PRIOR_YEAR
    elif end_date.year < reporting_date.year:
        where = (
            f"in an earlier collection year than the reporting date {reporting_date.isoformat()}: a "
            f"{reporting_date.year} collection rejects it (V-120-04); report it in that year's collection (check it "
            "was), or pass --period/period= to leave it out"
        )
        rule_id = _ENDS_BEFORE
    else:
        return None
    message = f"unit {subject_id}: outcome {outcome} ended {end_date.isoformat()}, {where}"
    return PriorCollection(drop=period is not None, where=where, message=message, rule_id=rule_id)


def later_collection(outcome: str | None, end_date: datetime.date, period: Period | None) -> str | None:
    """Why a final outcome cannot go into this collection (it ends after the period end, so it belongs to a later
    one: V-120-07 at a final collection), or ``None``. The caller refuses: moving the date would be guessing."""
    if period is None or outcome not in FINAL_OUTCOMES or end_date <= period.end:
        return None
    return (
        f"final outcome {outcome} would end {end_date.isoformat()}, after the collection period end "
        f"{period.end.isoformat()}: it belongs to a later collection"
    )


def starts_later(outcome: str | None, start_date: datetime.date, period: Period | None) -> str | None:
    """Why a row other than an 85 cannot go into this collection (it starts after the period end, so it belongs to
    a later one: V-120-01), or ``None``. An 85 is exempt: it must start in the future (V-120-08). The caller
    refuses, as for :func:`later_collection` (e.g. a NSW deferral after the period end keeping a 70's start)."""
    if period is None or outcome == _NOT_STARTED or start_date <= period.end:
        return None
    return (
        f"outcome {outcome} would start {start_date.isoformat()}, after the collection period end "
        f"{period.end.isoformat()}: it belongs to a later collection"
    )


@attrs.frozen(kw_only=True)
class Finding:
    """A warning about one row, under the validator's rule ID, worded for the unit or program it names."""

    rule_id: str
    message: str
    field: str
    value: datetime.date


def unscoped_findings(
    subject_id: str,
    outcome: str | None,
    start_date: datetime.date,
    end_date: datetime.date,
    *,
    reporting_date: datetime.date,
    continuing_moves: bool = True,
) -> tuple[Finding, ...]:
    """Without a period: what validating the row for the reporting date's year (final or interim) flags, besides
    V-120-04 (:func:`prior_collection`). Unstarted units moved only past the event date may start within that
    year (V-120-08, an error under vic); a NSW 70 kept on deferral may end within it (V-120-03) or start after it
    (V-120-01). Warnings, not refusals: the caller did not say which collection the rows are for.

    ``continuing_moves``: whether a period would place the 70's end after the period end (``finalise`` moves a
    deferred 70; a transition reports a current 70 as enrolled, so its V-120-03 fix is the provider's to make).
    """
    year = Period.year(reporting_date.year)
    if not (
        (outcome == _NOT_STARTED and start_date <= year.end)
        or (outcome == _CONTINUING and end_date <= year.end)
        or (outcome != _NOT_STARTED and start_date > year.end)
    ):
        return ()  # the conditions below, tested first: most rows are clean, and their wording is not built
    fix = "pass --period/period= so the"
    continuing_fix = (
        f"{fix} end is placed after it"
        if continuing_moves
        else f"give it its final outcome, or a planned end date after {year.end.isoformat()}"
    )
    out = []
    if outcome == _NOT_STARTED and start_date <= year.end:
        out.append(
            Finding(
                rule_id="V-120-08",
                message=(
                    f"unit {subject_id}: not yet started (85) but starts {start_date.isoformat()}, not after "
                    f"{year.end.isoformat()}: a {year.end.year} collection reports its start date as passed "
                    f"(V-120-08; an error under vic); {fix} start is placed after the period end"
                ),
                field="start_date",
                value=start_date,
            )
        )
    if outcome == _CONTINUING and end_date <= year.end:
        out.append(
            Finding(
                rule_id="V-120-03",
                message=(
                    f"unit {subject_id}: continuing (70) but ends {end_date.isoformat()}, not after "
                    f"{year.end.isoformat()}: a {year.end.year} collection needs a 70 to end after the period end "
                    f"(V-120-03); {continuing_fix}"
                ),
                field="end_date",
                value=end_date,
            )
        )
    if outcome != _NOT_STARTED and start_date > year.end:
        out.append(
            Finding(
                rule_id="V-120-01",
                message=(
                    f"unit {subject_id}: outcome {outcome} starts {start_date.isoformat()}, after "
                    f"{year.end.isoformat()}: a {year.end.year} collection rejects it (V-120-01); it belongs to a "
                    "later collection"
                ),
                field="start_date",
                value=start_date,
            )
        )
    return tuple(out)


def completion_placement(
    program_id: str,
    completed: datetime.date,
    *,
    has_activity: bool,
    reporting_date: datetime.date,
    period: Period | None,
    interim: bool = False,
) -> tuple[bool, Finding | None]:
    """Whether a completion's NAT00130 row goes into this collection, and the warning that says why (or not).

    ``has_activity``: at least one of the enrolment's NAT00120 rows is written for this collection. A completion
    needs that activity in the same collection (X-06, an error) and is reported in the year it was completed
    (P-01). With a period, a completion whose rows all ended before the period start (F-PRIOR-YEAR dropped them;
    always so when it was completed before the start) belongs to an earlier collection: left out, with an
    F-PRIOR-YEAR warning naming the program. One completed after the collection's future begins (a final
    collection run after its period end) keeps its rows here and is written with a P-01 warning: the validator
    warns, and the provider decides. Without a period, the reporting date's year stands in (P-01 warning).
    """
    day = completed.isoformat()
    if period is None:
        if completed.year >= reporting_date.year:
            return True, None
        text = (
            f"program {program_id}: completed {day}, in an earlier collection year than the reporting date "
            f"{reporting_date.isoformat()}: a {reporting_date.year} collection reports it in the wrong year "
            "(P-01); report it in that year's collection (check it was), or pass --period/period="
        )
        return True, Finding(rule_id=_COMPLETION_YEAR, message=text, field=_COMPLETED, value=completed)
    start = period.start.isoformat()
    if not has_activity:
        why = (
            f"before the collection period start {start}"
            if completed < period.start
            else f"but every unit ended before the collection period start {start}, so none is in this collection "
            "(a completion needs its NAT00120 activity in the same collection: X-06)"
        )
        text = (
            f"program {program_id}: completed {day}, {why}: NAT00130 left out of this collection; report the "
            "completion with its units in the collection of the year they ended (check it was)"
        )
        return False, Finding(rule_id=PRIOR_YEAR, message=text, field=_COMPLETED, value=completed)
    horizon = future_after(period, interim=interim, reporting_date=reporting_date)
    if horizon is not None and completed > horizon:
        text = (
            f"program {program_id}: completed {day}, after {horizon.isoformat()} (the collection's future): a "
            "completion is reported in the collection of the year it was completed (P-01); check the completion "
            "date"
        )
        return True, Finding(rule_id=_COMPLETION_YEAR, message=text, field=_COMPLETED, value=completed)
    return True, None


def check_reporting_date(reporting_date: datetime.date, period: Period | None) -> None:
    """A reporting date before the period start is nonsense (the collection has not begun on the day it is
    reported): refuse the call rather than date rows against it."""
    if period is not None and reporting_date < period.start:
        raise UsageError(
            f"reporting date {reporting_date.isoformat()} is before the collection period start "
            f"{period.start.isoformat()}: give the day the collection is reported (on or after the period start)"
        )
