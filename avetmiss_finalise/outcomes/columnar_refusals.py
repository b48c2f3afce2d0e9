"""The refusal reasons of the columnar path, worded and located as ``finalise`` words them, rule module by module.

An enrolment with any reason is refused whole (its units unchanged, no rows), as ``finalise`` refuses it. The
reasons are added in the order ``finalise`` finds them — input errors, then the event's own checks, then what the
planned rows would report — so the issue table reads as the per-enrolment path's does
(tests/outcomes/test_columnar.py holds every reason equal).
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd

from avetmiss_finalise.outcomes.codes import ACHIEVED, FINAL, NO_OUTCOME, NOT_YET_STARTED, SUPERSEDED
from avetmiss_finalise.outcomes.collection_period import later_collection, starts_later
from avetmiss_finalise.outcomes.columnar_frames import day
from avetmiss_finalise.outcomes.columnar_issues import IssueRows, iso
from avetmiss_finalise.outcomes.columnar_plan import Events, UnitPlan
from avetmiss_finalise.period import Period

__all__ = ["add_refusals"]


def _shown(outcome: str | None) -> str:
    return "no outcome" if outcome is None else f"outcome {outcome}"


def add_refusals(
    found: IssueRows,
    plan: UnitPlan,
    events: Events,
    *,
    sids: np.ndarray,
    outcome: np.ndarray,
    new_outcome: np.ndarray,
    listed: np.ndarray,
    reporting_date: datetime.date,
    period: Period | None,
    counted: np.ndarray,
) -> None:
    """Every refusal reason into ``found``: ``outcome``/``new_outcome`` are the codes before and after as Python
    objects (for the wording), ``listed`` the units ``finalise`` would write a row for, ``counted`` the units of a
    completion that count though not achieved (re-attempted or replaced, :mod:`.columnar_attempts`)."""
    key, rule, start, end = plan.key, plan.rule, plan.start, plan.end
    new_start, new_end, edate = plan.new_start, plan.new_end, plan.edate
    e_keys, e_type, e_date, e_rule = events.keys, events.kind, events.date, events.rule
    rd = np.datetime64(reporting_date, "s")
    dup = pd.DataFrame({"k": key, "s": sids, "d": start}).duplicated().to_numpy()  # re-attempts: other start
    found.add(
        key,
        end < start,
        rule,
        lambda i: f"end date {iso(end[i])} is before start date {iso(start[i])}",
        subject_ids=sids,
    )
    found.add(
        key,
        dup,
        rule,
        lambda i: f"subject appears more than once in the enrolment with start date {iso(start[i])}",
        subject_ids=sids,
    )
    rd_text = reporting_date.isoformat()
    found.add(
        e_keys,
        (e_type == "completion") & (e_date > rd),
        e_rule,
        lambda i: f"completion date {iso(e_date[i])} is after the reporting date {rd_text}",
    )
    found.add(
        e_keys,
        (e_type == "completion") & ~np.isin(e_keys, key),
        e_rule,
        lambda i: "no unit enrolments: nothing shows the program was completed",
    )
    accepted = plan.outcome.isin(ACHIEVED | {SUPERSEDED}).to_numpy(dtype=bool)
    found.add(
        key,
        plan.is_c & ~accepted & ~counted,
        rule,
        lambda i: f"{_shown(outcome[i])} is not a final achieved outcome (20, 51, 53, 60, 81)",
        subject_ids=sids,
    )
    found.add(
        key,
        plan.is_c & (start > edate),
        rule,
        lambda i: f"starts {iso(start[i])}, after the completion date {iso(edate[i])}",
        subject_ids=sids,
    )
    e_resume = events.resume
    found.add(
        e_keys,
        events.bad_resume,
        e_rule,
        lambda i: f"resumption date {iso(e_resume[i])} is not after the deferral date {iso(e_date[i])}",
    )
    new_final = plan.new_outcome.isin(FINAL).to_numpy(dtype=bool)
    found.add(
        key,
        listed & new_final & (new_end > rd),
        rule,
        lambda i: f"final outcome {new_outcome[i]} would end {iso(new_end[i])}, after the reporting date {rd_text}",
        subject_ids=sids,
    )
    if period is not None:  # rows of a later collection (collection_period.later_collection, starts_later)
        per = period
        later = listed & ~(new_final & (new_end > rd))
        ends_later = later & new_final & (new_end > np.datetime64(per.end, "s"))
        starts_after = (
            later & ~ends_later & (new_outcome != NOT_YET_STARTED) & (new_start > np.datetime64(per.end, "s"))
        )
        found.add(
            key,
            ends_later | starts_after,
            rule,
            lambda i: (
                later_collection(new_outcome[i], day(new_end[i]), per)
                or starts_later(new_outcome[i], day(new_start[i]), per)
                or ""
            ),
            subject_ids=sids,
        )
    found.add(key, listed & (new_end < new_start), rule, lambda i: "end date before start date", subject_ids=sids)
    found.add(
        key,
        listed & (new_outcome == NO_OUTCOME),
        rule,
        lambda i: "internal outcome 00 would be reported",
        subject_ids=sids,
    )
