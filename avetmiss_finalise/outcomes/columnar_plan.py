"""The per-event masks of the columnar path: what F-COMPLETE, F-WITHDRAW and F-DEFER do to every unit, as arrays.

The vectorised form of the rule modules (``completion``, ``withdrawal``, ``deferral``, ``steps``): which units a
withdrawal finds commenced, which a deferral keeps (NSW) or moves, the new start, end, outcome and hours, the rule
ID and whether the unit is reported. Nothing here refuses or words anything — that is
:mod:`~avetmiss_finalise.outcomes.columnar_refusals`' and the issue modules' — so the masks can be read against the
scalar rules one line at a time.
"""

from __future__ import annotations

import datetime

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.outcomes.codes import CONTINUING, FINAL, NO_OUTCOME, NOT_YET_STARTED, WITHDRAWN
from avetmiss_finalise.outcomes.columnar_frames import NAT, dates
from avetmiss_finalise.profiles import Profile

__all__ = ["RULES", "Events", "UnitPlan", "event_arrays", "plan_units"]

#: Event type → the rule ID of its finalisation.
RULES = {"completion": "F-COMPLETE", "withdrawal": "F-WITHDRAW", "deferral": "F-DEFER"}
_DAY = np.timedelta64(1, "D")


# eq=False: the fields are numpy arrays, whose == is elementwise (a frozen class's generated __eq__ would fail).
@attrs.frozen(kw_only=True, eq=False)
class Events:
    """One aligned array per enrolment: its key, event type, rule ID, event date and resumption date."""

    keys: np.ndarray
    kind: np.ndarray
    rule: np.ndarray
    date: np.ndarray
    resume: np.ndarray

    @property
    def bad_resume(self) -> np.ndarray:
        """A deferral whose resumption is not after it: refused before any unit is planned (no steps, no warnings)."""
        bad: np.ndarray = (self.kind == "deferral") & ~np.isnat(self.resume) & (self.resume <= self.date)
        return bad


def event_arrays(enrolments: pd.DataFrame) -> Events:
    """The events of ``enrolments``; ``UsageError`` for an event type the columnar path does not handle."""
    kind = enrolments["event_type"].astype(object).to_numpy()
    if not np.isin(kind, list(RULES)).all():
        bad = sorted({str(t) for t in kind if t not in RULES})
        raise UsageError(f"finalise_frame handles completion, withdrawal and deferral events, not {', '.join(bad)}")
    return Events(
        keys=enrolments.index.to_numpy(),
        kind=kind,
        rule=np.array([RULES[t] for t in kind], dtype=object),
        date=dates(enrolments["event_date"]),
        resume=dates(enrolments["event_resume_date"]),
    )


@attrs.frozen(kw_only=True, eq=False)
class UnitPlan:
    """What the event does to each unit, one aligned array per fact (``units``' row order).

    ``pos``: the position of the unit's enrolment; ``rule``: the event's rule ID, ``rule_id`` the unit's
    (F-WITHDRAW-COMMENCED / -NOT-COMMENCED for a withdrawal's units); ``commenced``/``kept``/``unstarted``: the
    units a withdrawal ends at its date, a deferral keeps going (NSW, reported 70), a withdrawal or deferral moves
    to the future; ``new_*``: the unit after finalisation; ``reported``: whether it is written (unstarted units
    are left out under ``unstarted_units="omit"``).
    """

    key: np.ndarray
    pos: np.ndarray
    rule: np.ndarray
    is_c: np.ndarray
    is_w: np.ndarray
    is_d: np.ndarray
    edate: np.ndarray
    start: np.ndarray
    end: np.ndarray
    outcome: pd.Series
    commenced: np.ndarray
    kept: np.ndarray
    unstarted: np.ndarray
    new_start: np.ndarray
    new_end: np.ndarray
    new_outcome: pd.Series
    new_hours: pd.Series
    reported: np.ndarray
    rule_id: np.ndarray


def plan_units(
    units: pd.DataFrame, enrolments: pd.DataFrame, events: Events, prof: Profile, future: datetime.date | None
) -> UnitPlan:
    """Every unit's plan; ``future`` is the collection's first future day (V-120-08), when there is a period.

    ``UsageError`` for a unit of an enrolment ``enrolments`` does not have.
    """
    key = units["enrolment"].to_numpy()
    pos = enrolments.index.get_indexer(pd.Index(key))
    if (pos < 0).any():
        raise UsageError(f"units refer to unknown enrolments: {sorted(set(key[pos < 0].tolist()))[:5]}")
    etype = events.kind[pos]
    is_c, is_w, is_d = (etype == "completion"), (etype == "withdrawal"), (etype == "deferral")
    rule = events.rule[pos]
    edate = events.date[pos]
    resume = events.resume[pos]
    start, end = dates(units["start_date"]), dates(units["end_date"])
    outcome = units["outcome"]
    final = outcome.isin(FINAL).to_numpy(dtype=bool)
    hours = units["event_hours"].fillna(units["hours_attended"])
    h0 = hours.fillna(0).to_numpy(dtype="int64")

    # outcomes.commenced.has_commenced: hours, or a start before the date unless the outcome says 85.
    started = (h0 > 0) | ((start < edate) & ~outcome.isin({NOT_YET_STARTED}).to_numpy(dtype=bool))
    commenced = is_w & ~final & started
    # NSW (a commitment's earliest start cannot move): a commenced unit keeps its start on deferral, reported 70.
    kept = is_d & ~final & started & prof.requires_commitment_id
    unstarted = (is_w & ~final & ~commenced) | (is_d & ~final & ~kept)
    earliest = np.where(is_d & ~np.isnat(resume), resume, edate + _DAY)
    if future is not None:  # the collection's first future day (V-120-08), as steps.earliest_future_date
        earliest = np.maximum(earliest, np.datetime64(future, "s"))
    group_start = pd.Series(np.where(unstarted, start, NAT)).groupby(key).transform("min").to_numpy("datetime64[s]")
    shift = np.where(unstarted & (group_start < earliest), earliest - group_start, np.timedelta64(0, "s"))
    clamp = is_c & (end > edate) & (start <= edate)

    new_start = np.where(commenced | kept, np.minimum(start, edate), np.where(unstarted, start + shift, start))
    new_end = np.where(commenced | clamp, edate, np.where(unstarted, np.maximum(end, start) + shift, end))
    new_end = np.where(kept, np.maximum(end, earliest), new_end)
    report_85 = prof.unstarted_units == "report_85"
    # Arrow-backed string operations throughout: no per-row Python objects on the bulk path.
    new_outcome = (
        outcome.mask(commenced, WITHDRAWN)
        .mask(unstarted, NOT_YET_STARTED if report_85 else NO_OUTCOME)
        .mask(kept, CONTINUING)
    )
    new_hours = units["hours_attended"].copy()
    new_hours[commenced] = hours[commenced]
    new_hours[unstarted] = 0
    rule_id = np.where(commenced, "F-WITHDRAW-COMMENCED", np.where(is_w & unstarted, "F-WITHDRAW-NOT-COMMENCED", rule))
    return UnitPlan(
        key=key,
        pos=pos,
        rule=rule,
        is_c=is_c,
        is_w=is_w,
        is_d=is_d,
        edate=edate,
        start=start,
        end=end,
        outcome=outcome,
        commenced=commenced,
        kept=kept,
        unstarted=unstarted,
        new_start=new_start,
        new_end=new_end,
        new_outcome=new_outcome,
        new_hours=new_hours,
        reported=~unstarted | report_85,
        rule_id=rule_id,
    )
