"""F-TRANSITION: plan the move from a superseded program to its current (replacement) program.

:func:`plan_transition` is pure: it reads the superseded enrolment and the :class:`Transition` event and returns
a :class:`TransitionPlan` — actions for the provider, per-unit decisions and the NAT00120 rows — or a refusal.
What differs by jurisdiction sits behind :data:`TRANSITION_STRATEGIES`, keyed by profile name.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import Protocol

import attrs

from avetmiss_finalise.decisions import Refusal
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.model import ProgramEnrolment, Transition
from avetmiss_finalise.outcomes.collection_period import check_reporting_date
from avetmiss_finalise.period import Period, parse_period
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.rule_severity import with_named_severities
from avetmiss_finalise.transition._commitment import plan_commitment
from avetmiss_finalise.transition._replacement import Replacements, resolve_current_program
from avetmiss_finalise.transition._result import TRANSITION, TransitionPlan, refused

__all__ = ["TRANSITION_STRATEGIES", "Planner", "Strategy", "plan_transition"]


class Planner(Protocol):
    """A jurisdiction's planner: (superseded enrolment, event, profile, reporting date; the collection) → plan.

    ``period`` (``None``: no collection named) and ``interim`` are the collection the rows go into, as
    ``finalise`` takes them, so a planner can date unstarted units in its future and keep rows within it.
    """

    def __call__(
        self,
        enrolment: ProgramEnrolment,
        event: Transition,
        profile: Profile,
        reporting_date: datetime.date,
        /,
        *,
        period: Period | None = None,
        interim: bool = False,
    ) -> TransitionPlan: ...


@attrs.frozen(kw_only=True)
class Strategy:
    """How one jurisdiction plans a transition: a ``planner``, or ``None`` with the reason it is missing.

    ``note`` becomes an info issue on every plan (e.g. "the NSW table is applied as the default").
    """

    planner: Planner | None
    note: str | None = None
    not_implemented: str | None = None


def plan_transition(
    enrolment: ProgramEnrolment,
    event: Transition,
    *,
    profile: str | Profile = "nsw",
    reporting_date: datetime.date,
    replacements: Replacements | None = None,
    period: Period | int | str | None = None,
    interim: bool = False,
) -> TransitionPlan:
    """Plan the transition of ``enrolment`` (the superseded program) to ``event.current_program_id``.

    Deterministic and total: any enrolment and event give one plan; a profile without an implemented strategy
    (``vic``, ``qld``) gives an honest refusal rather than NSW output.

    ``replacements`` (optional) reads the current replacement of a superseded program from the qualification
    list, e.g. ``reference.programs.current_replacement``: used when ``event.current_program_id`` is missing, and
    only noted (a warning) when the event names another program.

    ``period`` (a :class:`~avetmiss_finalise.period.Period`, a year or ``"FROM:TO"``) and ``interim`` name the
    collection the rows go into, as for :func:`avetmiss_finalise.outcomes.finalise`: a current unit that has not
    started is reported 85 and dated in the collection's future (after the period end of a final collection, after
    the reporting date of an interim one; V-120-08); a final outcome ending after the period end is refused (it
    belongs to a later collection); a row that ended before the period start is left out with an F-PRIOR-YEAR
    warning (V-120-04). Without a period the rows are planned as before, and, as ``finalise`` does, each row a
    validation for the reporting date's year would flag is named by a warning under the validator's rule ID
    (V-120-04, V-120-08, V-120-03, V-120-01). Raises ``UsageError`` for a bad period or a reporting date before
    the period start, as ``finalise`` does.
    """
    prof = get_profile(profile)
    per = parse_period(period)
    check_reporting_date(reporting_date, per)
    strategy = TRANSITION_STRATEGIES.get(prof.name)
    if strategy is None or strategy.planner is None:
        why = strategy.not_implemented if strategy is not None else "no transition strategy for this profile"
        return refused(
            Refusal(
                rule_id=TRANSITION,
                message=f"transition under profile {prof.name!r} is not implemented yet: {why}",
                program_ids=tuple(p for p in (enrolment.program_id, event.current_program_id) if p),
            )
        )
    resolved, notes = resolve_current_program(enrolment, event, replacements)
    if isinstance(resolved, Refusal):
        return refused(resolved, issues=notes)
    plan = strategy.planner(enrolment, resolved, prof, reporting_date, period=per, interim=interim)
    # A notice under a validator rule (V-120-18, V-120-08 …) carries that rule's severity under the profile.
    plan = attrs.evolve(plan, issues=with_named_severities(plan.issues, prof.name, period_known=per is not None))
    if notes:
        plan = attrs.evolve(plan, issues=(*notes, *plan.issues))
    if strategy.note:
        note = Issue(rule_id=TRANSITION, severity=Severity.INFO, message=strategy.note, client_id=enrolment.client_id)
        plan = attrs.evolve(plan, issues=(note, *plan.issues))
    return plan


_GENERIC_NOTE = (
    "no {name} transition rules are known: the NSW Smart and Skilled superseded-unit table is applied as the "
    "default (finalisation.md F-TRANSITION)"
)

#: The profile seam: profile name → how it plans a transition. VIC (withdraw continuing units, Associated course
#: identifier) and QLD (state outcome 65) are listed as not implemented so they refuse honestly.
TRANSITION_STRATEGIES: Mapping[str, Strategy] = MappingProxyType(
    {
        "nsw": Strategy(planner=plan_commitment),
        "national": Strategy(planner=plan_commitment, note=_GENERIC_NOTE.format(name="national")),
        "tas": Strategy(planner=plan_commitment, note=_GENERIC_NOTE.format(name="TAS")),
        "vic": Strategy(
            planner=None,
            not_implemented="VIC withdraws continuing units of the old enrolment (with hours attended) and reports the "
            "new one with Associated course identifier = the superseded program",
        ),
        "qld": Strategy(
            planner=None,
            not_implemented="QLD reports the superseded program's incomplete units with state outcome 65",
        ),
    }
)
