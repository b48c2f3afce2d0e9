"""What "commenced" means: one definition for withdrawal (F-WITHDRAW), deferral (F-DEFER) and transition.

A unit has commenced by a date when the learner attended hours in it, or when its start date is *before* that
date — unless the provider says explicitly that it has not started (outcome ``85``). Our decisions
(finalisation.md, docs/finalise.md):

- a unit starting *on* the date itself with no hours attended has not commenced;
- an explicit ``85`` with no hours has not commenced, even if its planned start date has passed (the planned
  start of an unstarted unit is often left in the past by the SMS); hours attended always win.
"""

from __future__ import annotations

import datetime

from avetmiss_finalise.model import UnitEnrolment
from avetmiss_finalise.outcomes.codes import NOT_YET_STARTED

__all__ = ["has_commenced"]


def has_commenced(unit: UnitEnrolment, on: datetime.date, hours: int | None = None) -> bool:
    """True when ``unit`` has commenced by ``on``; ``hours`` (hours to date) defaults to the unit's own."""
    attended = unit.hours_attended if hours is None else hours
    if (attended or 0) > 0:
        return True
    return unit.start_date < on and unit.outcome != NOT_YET_STARTED
