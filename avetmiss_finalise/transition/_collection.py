"""The collection period in a transition plan: rows dated and chosen for the collection as ``finalise`` does.

Issue #8 ("finalised rows validate clean"): a plan for a collection (``plan_transition(..., period=, interim=)``)
writes rows our validator accepts for that period, or says why not under the validator's own rule ID:

- a current-program unit that has not started is reported 85 and dated in the collection's future
  (:func:`avetmiss_finalise.period.first_future_day`, the definition V-120-08 reads);
- a row whose activity ended before the period start is left out, with an F-PRIOR-YEAR warning
  (:func:`avetmiss_finalise.outcomes.collection_period.prior_collection`, shared with ``finalise``);
- a final outcome ending after the period end, or a row other than 85 starting after it, is refused
  (:func:`~._guard.guard_rows`, with the shared ``later_collection``/``starts_later``);
- what only the provider can decide (a 70 that ends inside the period) is reported as enrolled, with a warning
  under the validator's rule ID naming the unit.

Without a period nothing here changes a row: the plan is what it was before collections were known. But the rows
will still be validated for some collection, so, as ``finalise`` does, each row a validation for the reporting
date's year would flag is named under the validator's rule ID (V-120-04, V-120-08, V-120-03, V-120-01), worded by
the functions ``finalise`` uses (:func:`~avetmiss_finalise.outcomes.collection_period.prior_collection`,
:func:`~avetmiss_finalise.outcomes.collection_period.unscoped_findings`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import attrs

from avetmiss_finalise.decisions import Refusal
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.outcomes.codes import CONTINUING, NOT_YET_STARTED
from avetmiss_finalise.outcomes.collection_period import prior_collection, unscoped_findings
from avetmiss_finalise.outcomes.commenced import has_commenced
from avetmiss_finalise.outcomes.steps import shift_after
from avetmiss_finalise.period import Period, first_future_day, future_after
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.transition._guard import guard_rows
from avetmiss_finalise.transition._units import UnitPlan, unit_changes

__all__ = ["Collection", "Fitted", "fit_collection"]

_UNFINISHED = frozenset({CONTINUING, NOT_YET_STARTED})


@attrs.frozen(kw_only=True)
class Collection:
    """The collection the rows go into: its period (``None``: none given), final or interim, and "today"."""

    reporting_date: datetime.date
    period: Period | None = None
    interim: bool = False

    @property
    def horizon(self) -> datetime.date | None:
        """The last day not in the future (:func:`avetmiss_finalise.period.future_after`)."""
        return future_after(self.period, interim=self.interim, reporting_date=self.reporting_date)

    @property
    def future(self) -> datetime.date | None:
        """The first day in the future (:func:`avetmiss_finalise.period.first_future_day`)."""
        return first_future_day(self.period, interim=self.interim, reporting_date=self.reporting_date)


@attrs.frozen(kw_only=True)
class Fitted:
    """Every (program id, unit plan) after fitting, in input order; the issues raised; a refusal or ``None``."""

    plans: tuple[tuple[str, UnitPlan], ...]
    issues: tuple[Issue, ...] = ()
    refusal: Refusal | None = None

    @property
    def reportable(self) -> list[tuple[str, UnitEnrolment]]:
        """The (program id, unit) pairs that become NAT00120 rows."""
        return [(pid, p.after) for pid, p in self.plans if p.after is not None]


def _warn(rule_id: str, message: str, client_id: str, field: str, value: object) -> Issue:
    return Issue(
        rule_id=rule_id,
        severity=Severity.WARNING,
        message=message,
        field=field,
        value=None if value is None else str(value),
        client_id=client_id,
    )


def fit_collection(
    pairs: Sequence[tuple[str, UnitPlan]],
    *,
    current: str,
    collection: Collection,
    profile: Profile,
    rule_id: str,
    client_id: str,
) -> Fitted:
    """Fit the planned units to ``collection`` (see the module docstring), then guard the rows that remain.

    ``current`` names the current program: only its units can be "not yet started" (a superseded unit that has
    not started is never reported, by the table). The refusal, when there is one, is under ``rule_id``.
    """
    try:
        plans, issues = _date_unstarted(list(pairs), current, collection, profile, rule_id, client_id)
    except OverflowError:  # the future of a collection ending 9999-12-31 cannot hold a moved unit: refuse, total
        overflow = Refusal(
            rule_id=rule_id,
            message="cannot report: moving not-started units into the collection's future would pass 9999-12-31",
            subject_ids=tuple(p.decision.subject_id for _, p in pairs),
        )
        return Fitted(plans=tuple(pairs), refusal=overflow)
    plans, left_out = _leave_out_earlier(plans, collection, client_id)
    fitted = Fitted(plans=tuple(plans), issues=(*issues, *left_out))
    refusal = guard_rows(fitted.reportable, collection.reporting_date, rule_id, collection.period)
    if refusal is not None:
        return attrs.evolve(fitted, refusal=refusal)
    decides = _provider_decides(fitted.reportable, collection, client_id)
    return attrs.evolve(fitted, issues=(*fitted.issues, *decides, *_unscoped(fitted.reportable, collection, client_id)))


def _started(unit: UnitEnrolment, collection: Collection, future: datetime.date, horizon: datetime.date) -> bool:
    """Started within the collection: commenced by the reporting date (never judged past the collection's future,
    the one definition of :mod:`avetmiss_finalise.outcomes.commenced`) and starting by its horizon."""
    return has_commenced(unit, min(collection.reporting_date, future)) and unit.start_date <= horizon


def _date_unstarted(
    plans: list[tuple[str, UnitPlan]],
    current: str,
    collection: Collection,
    profile: Profile,
    rule_id: str,
    client_id: str,
) -> tuple[list[tuple[str, UnitPlan]], list[Issue]]:
    """Current units (70/85) not started within the collection: 85, 0 hours, moved together (one shift keeps the
    provider's planned sequence) to start on/after the first future day, as ``finalise`` moves unstarted units."""
    future, horizon = collection.future, collection.horizon
    if future is None or horizon is None:
        return plans, []
    todo = {
        i
        for i, (pid, p) in enumerate(plans)
        if pid == current
        and p.after is not None
        and p.after.outcome in _UNFINISHED
        and not _started(p.after, collection, future, horizon)
    }
    shift = shift_after((u for i, (_, p) in enumerate(plans) if i in todo and (u := p.after) is not None), future)
    report = profile.unstarted_units == "report_85"
    out: list[tuple[str, UnitPlan]] = []
    issues: list[Issue] = []
    for i, (pid, p) in enumerate(plans):
        unit = p.after
        if i not in todo or unit is None:
            out.append((pid, p))
            continue
        start, end = unit.start_date + shift, max(unit.end_date, unit.start_date) + shift
        after = attrs.evolve(unit, outcome=NOT_YET_STARTED, start_date=start, end_date=end, hours_attended=0)
        how = "reported as 85 (not yet started)" if report else "left out (profile unstarted_units=omit)"
        decision = attrs.evolve(
            p.decision,
            changes=unit_changes(unit, after),
            reported=report,
            reason=f"{p.decision.reason}; not started within the collection: {how}, starting on/after "
            f"{future.isoformat()} (the collection's future), hours 0",
        )
        out.append((pid, attrs.evolve(p, after=after if report else None, decision=decision)))
        if unit.hours_attended:
            issues.append(
                _warn(
                    rule_id,
                    f"unit {unit.subject_id}: {unit.hours_attended} hours attended are not reported: it starts "
                    f"{unit.start_date.isoformat()}, after {horizon.isoformat()}, so it has not started within the "
                    "collection (kept in the decision)",
                    client_id,
                    "hours_attended",
                    unit.hours_attended,
                )
            )
    return out, issues


def _leave_out_earlier(
    plans: list[tuple[str, UnitPlan]], collection: Collection, client_id: str
) -> tuple[list[tuple[str, UnitPlan]], list[Issue]]:
    """F-PRIOR-YEAR with a period: a row ending before the period start is left out (V-120-04), the decision and a
    warning naming the unit say so. Without a period, rows are kept as before (a transition reports superseded
    units of earlier years by design, F-TRANSITION-REPORTED); :func:`_unscoped` names them under V-120-04."""
    if collection.period is None:
        return plans, []
    out: list[tuple[str, UnitPlan]] = []
    issues: list[Issue] = []
    for pid, p in plans:
        u = p.after
        verdict = None
        if u is not None:
            verdict = prior_collection(
                u.subject_id, u.outcome, u.end_date, reporting_date=collection.reporting_date, period=collection.period
            )
        if u is None or verdict is None or not verdict.drop:
            out.append((pid, p))
            continue
        issues.append(_warn(verdict.rule_id, verdict.message, client_id, "end_date", u.end_date.isoformat()))
        decision = attrs.evolve(p.decision, reported=False, reason=f"{p.decision.reason}; ended {verdict.where}")
        out.append((pid, attrs.evolve(p, after=None, decision=decision)))
    return out, issues


def _provider_decides(rows: Sequence[tuple[str, UnitEnrolment]], collection: Collection, client_id: str) -> list[Issue]:
    """Rows reported as enrolled that the validator will flag and only the provider can put right: a warning under
    the validator's rule ID, naming the unit (the plan does not invent an outcome or a date). Only V-120-18 (an 85
    with hours) is judged without a period; the others need the collection's horizon."""
    issues = [
        _warn(
            "V-120-18",
            f"unit {u.subject_id}: not yet started (85) as enrolled, with {u.hours_attended} hours attended: report "
            "70 if the learner started, else 0 hours",
            client_id,
            "hours_attended",
            u.hours_attended,
        )
        for _, u in rows
        if u.outcome == NOT_YET_STARTED and (u.hours_attended or 0) > 0
    ]
    horizon = collection.horizon
    if horizon is None:
        return issues
    for _, u in rows:
        sid, day = u.subject_id, horizon.isoformat()
        if u.outcome == CONTINUING and u.end_date <= horizon:
            issues.append(
                _warn(
                    "V-120-03",
                    f"unit {sid}: continuing (70) as enrolled, but it ends {u.end_date.isoformat()}, not after "
                    f"{day}: give it its final outcome, or a planned end date after {day}",
                    client_id,
                    "outcome",
                    u.outcome,
                )
            )
        if u.outcome == NOT_YET_STARTED and u.start_date <= horizon:
            issues.append(
                _warn(
                    "V-120-08",
                    f"unit {sid}: not yet started (85) with {u.hours_attended} hours attended and start "
                    f"{u.start_date.isoformat()}, not after {day}: report 70 if the learner started",
                    client_id,
                    "start_date",
                    u.start_date.isoformat(),
                )
            )
    return issues


def _unscoped(rows: Sequence[tuple[str, UnitEnrolment]], collection: Collection, client_id: str) -> list[Issue]:
    """Without a period: a warning under the validator's rule ID for each row that validating it for the reporting
    date's year would flag — the verdicts ``finalise`` gives (``outcomes/checks.py``'s ``unscoped``), so one ID
    follows the unit from the plan to ``validate``. A row kept as enrolled is the provider's to put right: the
    V-120-03 fix names its outcome or planned end, not a period (a period does not move a current 70)."""
    if collection.period is not None:
        return []
    day = collection.reporting_date
    issues = []
    for _, u in rows:
        verdict = prior_collection(u.subject_id, u.outcome, u.end_date, reporting_date=day, period=None)
        if verdict is not None:
            issues.append(_warn(verdict.rule_id, verdict.message, client_id, "end_date", u.end_date.isoformat()))
        for f in unscoped_findings(
            u.subject_id, u.outcome, u.start_date, u.end_date, reporting_date=day, continuing_moves=False
        ):
            issues.append(_warn(f.rule_id, f.message, client_id, f.field, f.value.isoformat()))
    return issues
