"""The Commitment ID rules of NSW Smart and Skilled: F-TRANSITION-UNREPORTED and F-TRANSITION-REPORTED.

Also the default for profiles without rules of their own (see ``TRANSITION_STRATEGIES``).
"""

from __future__ import annotations

import datetime

import attrs

from avetmiss_finalise.decisions import PlanAction, Refusal, UnitDecision
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import ProgramEnrolment, Transition
from avetmiss_finalise.outcomes.rows import nat00120_row
from avetmiss_finalise.period import Period
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.transition._cap import check_cap, program_chain
from avetmiss_finalise.transition._collection import Collection, fit_collection
from avetmiss_finalise.transition._inputs import input_refusal, unmapped_sources
from avetmiss_finalise.transition._result import REPORTED, UNREPORTED, TransitionPlan
from avetmiss_finalise.transition._result import refused as _refused
from avetmiss_finalise.transition._units import (
    UnitPlan,
    credit_sources,
    plan_current,
    plan_superseded,
    withdrawn_hours_rule,
)

__all__ = ["plan_commitment"]


def plan_commitment(
    enrolment: ProgramEnrolment,
    event: Transition,
    profile: Profile,
    reporting_date: datetime.date,
    *,
    period: Period | None = None,
    interim: bool = False,
) -> TransitionPlan:
    """The NSW Smart and Skilled rules (finalisation.md F-TRANSITION; validation_rules.md §7.5), for the collection
    ``period``/``interim`` names (``transition/_collection.py``; ``None``: no collection, rows as planned)."""
    collection = Collection(reporting_date=reporting_date, period=period, interim=interim)
    refusal = input_refusal(enrolment, event)
    if refusal is not None:
        return _refused(refusal)
    superseded = enrolment.program_id
    assert superseded is not None, "input_refusal refuses an enrolment without a program"
    issues = unmapped_sources(enrolment, event)
    reported = event.previously_reported or any(u.reported for u in enrolment.units) or bool(event.previous_program_ids)
    if reported and not event.previously_reported:
        issues.append(
            Issue(
                rule_id=REPORTED,
                severity=Severity.WARNING,
                message="previously_reported is false, but units are marked reported or earlier programs were "
                "reported under the commitment: treating the data as already reported (the Commitment ID is kept)",
                client_id=enrolment.client_id,
            )
        )
    if reported:
        return _reported(enrolment, event, profile, collection, superseded, issues)
    return _unreported(enrolment, event, profile, collection, superseded, issues)


def _unreported(
    enrolment: ProgramEnrolment,
    event: Transition,
    profile: Profile,
    collection: Collection,
    superseded: str,
    issues: list[Issue],
) -> TransitionPlan:
    """F-TRANSITION-UNREPORTED: cancel C1, obtain a new Commitment ID, report B only under it."""
    current, old, new = event.current_program_id, enrolment.commitment_id, event.new_commitment_id
    assert current is not None, "plan_transition resolves the current program first (_replacement.py)"
    if new is not None and new == old:
        return _refused(
            Refusal(
                rule_id=UNREPORTED,
                message=f"new Commitment ID {new} is the one to be cancelled; obtain a new one for {current}",
                program_ids=(superseded, current),
            ),
            issues=tuple(issues),
        )
    dropped = tuple(
        UnitDecision(
            subject_id=u.subject_id,
            program_id=superseded,
            rule_id=UNREPORTED,
            reason=f"nothing was reported for {superseded}: its Commitment ID is cancelled, the unit is not reported",
            reported=False,
        )
        for u in enrolment.units
    )
    planned = plan_current(
        event.current_units,
        credit_sources(enrolment.units, event.unit_map),
        program_id=current,
        on=event.date,
        rule_id=UNREPORTED,
        client_id=enrolment.client_id,
    )
    # Warnings about the current program's rows (the units' own, the collection's) hold only for rows written: while
    # the new Commitment ID is awaited the rows are held back, and the decisions and the wait action say so once.
    about_rows = [i for p in planned for i in p.issues]
    fitted = fit_collection(
        [(current, p) for p in planned],
        current=current,
        collection=collection,
        profile=profile,
        rule_id=UNREPORTED,
        client_id=enrolment.client_id,
    )
    about_rows.extend(fitted.issues)
    units = [p for _, p in fitted.plans]
    starts = [u.start_date for u in event.current_units]
    before = f" (its first unit starts {min(starts).isoformat()})" if starts else ""
    actions = [
        PlanAction(
            kind="cancel_commitment_id",
            description=f"Cancel Commitment ID {old or '(none recorded)'} of superseded program {superseded}: no "
            "training activity data was reported for it.",
            rule_id=UNREPORTED,
        ),
        PlanAction(
            kind="obtain_commitment_id",
            description=f"Obtain a new Commitment ID for current program {current} before training in it "
            f"starts{before}" + (f": supplied, {new}." if new is not None else "."),
            rule_id=UNREPORTED,
        ),
    ]
    decisions = dropped + tuple(p.decision for p in units)
    if fitted.refusal is not None:
        return _refused(fitted.refusal, decisions, [*issues, *about_rows])
    if new is None:
        actions.append(
            PlanAction(
                kind="wait_for_commitment_id",
                description=f"Waiting for the new Commitment ID: no rows for {current} until it is supplied.",
                rule_id=UNREPORTED,
            )
        )
        held = tuple(
            attrs.evolve(
                p.decision,
                reported=False,
                reason=f"{p.decision.reason}; held back until the new Commitment ID is supplied",
            )
            for p in units
        )
        return TransitionPlan(
            status="waiting_for_commitment_id",
            actions=tuple(actions),
            decisions=dropped + held,
            program_ids=(current,),
            issues=tuple(issues),
        )
    issues.extend(about_rows)
    rows = tuple(
        nat00120_row(enrolment, p.after, program_id=current, commitment_id=new) for p in units if p.after is not None
    )
    actions.append(
        PlanAction(
            kind="report_rows",
            description=f"Report {len(rows)} NAT00120 rows for {current} under the new Commitment ID {new}.",
            rule_id=UNREPORTED,
        )
    )
    return TransitionPlan(
        status="ready",
        actions=tuple(actions),
        decisions=decisions,
        rows=rows,
        program_ids=(current,),
        issues=tuple(issues),
        commitment_id=new,
    )


def _reported(
    enrolment: ProgramEnrolment,
    event: Transition,
    profile: Profile,
    collection: Collection,
    superseded: str,
    issues: list[Issue],
) -> TransitionPlan:
    """F-TRANSITION-REPORTED: superseded and current units together under the same Commitment ID."""
    current, cid = event.current_program_id, enrolment.commitment_id
    assert current is not None, "plan_transition resolves the current program first (_replacement.py)"
    if cid is None:
        return _refused(
            Refusal(
                rule_id=REPORTED,
                message=f"data was reported for {superseded} but the enrolment has no Commitment ID; supply the "
                "Commitment ID it was reported under",
                program_ids=(superseded, current),
            ),
            issues=tuple(issues),
        )
    chain = program_chain(event.previous_program_ids, (superseded, current))
    refusal = check_cap(chain, profile, cid)
    if refusal is not None:
        return _refused(refusal, issues=issues)
    if event.new_commitment_id is not None and event.new_commitment_id != cid:
        issues.append(
            Issue(
                rule_id=REPORTED,
                severity=Severity.WARNING,
                message=f"new Commitment ID {event.new_commitment_id} not used: data already reported for "
                f"{superseded} stays under Commitment ID {cid}, and so do the current program's rows",
                value=event.new_commitment_id,
                client_id=enrolment.client_id,
            )
        )
    old_units = [
        plan_superseded(
            u,
            program_id=superseded,
            on=event.date,
            incomplete_outcome=profile.transition_incomplete_outcome,
            client_id=enrolment.client_id,
            hours_rule_id=withdrawn_hours_rule(profile),
        )
        for u in enrolment.units
    ]
    new_units = plan_current(
        event.current_units,
        credit_sources(enrolment.units, event.unit_map),
        program_id=current,
        on=event.date,
        rule_id=REPORTED,
        client_id=enrolment.client_id,
    )
    issues.extend(i for p in (*old_units, *new_units) for i in p.issues)
    pairs = [(superseded, p) for p in old_units] + [(current, p) for p in new_units]
    fitted = fit_collection(
        pairs, current=current, collection=collection, profile=profile, rule_id=REPORTED, client_id=enrolment.client_id
    )
    issues.extend(fitted.issues)
    decisions = tuple(p.decision for _, p in fitted.plans)
    if fitted.refusal is not None:
        return _refused(fitted.refusal, decisions, issues)
    reportable = fitted.reportable
    if profile.training_organisation_outcomes and any(_finalised(p) for pid, p in fitted.plans if pid == superseded):
        issues.append(
            Issue(
                rule_id=REPORTED,
                severity=Severity.INFO,
                message="Outcome identifier – training organisation left blank on superseded units finalised by "
                "the transition: whether TNC applies is not stated by the spec (unverified)",
                field="outcome_training_organisation",
                client_id=enrolment.client_id,
            )
        )
    rows = tuple(nat00120_row(enrolment, unit, program_id=pid, commitment_id=cid) for pid, unit in reportable)
    n_old = sum(1 for pid, _ in reportable if pid == superseded)
    action = PlanAction(
        kind="report_rows",
        description=f"Report {len(rows)} NAT00120 rows under Commitment ID {cid}: {n_old} for superseded program "
        f"{superseded}, {len(rows) - n_old} for current program {current} (programs under the commitment: "
        f"{', '.join(chain)}).",
        rule_id=REPORTED,
    )
    return TransitionPlan(
        status="ready",
        actions=(action,),
        decisions=decisions,
        rows=rows,
        program_ids=chain,
        issues=tuple(issues),
        commitment_id=cid,
    )


def _finalised(plan: UnitPlan) -> bool:
    return any(c.field == "outcome" for c in plan.decision.changes)
