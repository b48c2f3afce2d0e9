"""The result of the columnar path: :class:`ColumnarResult` and the frames it holds besides the NAT files.

A refused enrolment keeps its units and status as they were (``finalise`` returns it unchanged); every change to
the others stays visible in the ``*_before`` columns and ``rule_id``, since the bulk path gives no per-unit
decisions to read them from.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.outcomes.columnar_frames import STR
from avetmiss_finalise.outcomes.columnar_plan import Events, UnitPlan
from avetmiss_finalise.profiles import Profile

__all__ = ["ColumnarResult", "enrolments_after", "units_after"]

#: Outcome identifier – training organisation values, taken by code (-1 → missing).
_TO_VALUES = pd.array(["TNC", "D"], dtype=STR)


@attrs.frozen(kw_only=True)
class ColumnarResult:
    """What :func:`~avetmiss_finalise.outcomes.columnar.finalise_frame` decided.

    ``units``: the input units after finalisation (refused enrolments unchanged) with ``rule_id``, ``reported``,
    ``refused`` and ``outcome_before``/``start_date_before``/``end_date_before``/``hours_attended_before``.
    ``enrolments``: per enrolment ``status``, ``training_organisation_outcome``, ``refused``.
    ``problems``: one row per refusal reason (``enrolment``, ``subject_id``, ``rule_id``, ``message``).
    ``issues``: every issue ``finalise`` would give — the refusal reasons as errors and every warning — one row
    each (``enrolment``, ``subject_id``, ``rule_id``, ``severity``, ``field``, ``value``, ``message``).
    ``nat00120``/``nat00130``: frames in the NAT layer's columnar contract, ready for ``write_frame``.
    """

    units: pd.DataFrame
    enrolments: pd.DataFrame
    problems: pd.DataFrame
    issues: pd.DataFrame
    nat00120: pd.DataFrame
    nat00130: pd.DataFrame


def units_after(units: pd.DataFrame, plan: UnitPlan, reported: np.ndarray, refused: np.ndarray) -> pd.DataFrame:
    """``units`` after finalisation, the values before in ``*_before``; a refused unit (``refused``) unchanged."""
    keep = ~refused
    after = units.copy()
    for name, before, new in (
        ("outcome", plan.outcome, plan.new_outcome),
        ("start_date", units["start_date"], plan.new_start),
        ("end_date", units["end_date"], plan.new_end),
        ("hours_attended", units["hours_attended"], plan.new_hours),
    ):
        after[f"{name}_before"] = before
        new_series = new if isinstance(new, pd.Series) else pd.Series(new, index=units.index)
        after[name] = before.where(~keep, new_series.astype(before.dtype))
    after["rule_id"] = plan.rule_id
    after["reported"] = reported
    after["refused"] = refused
    return after


def enrolments_after(
    enrolments: pd.DataFrame, events: Events, refused: np.ndarray, prof: Profile
) -> tuple[pd.DataFrame, Any]:
    """(per enrolment ``status``, ``training_organisation_outcome`` and ``refused``; the TO outcomes as an array).

    A completion is completed or completion-pending as the credential is issued, a deferral deferred, a withdrawal
    takes its status; the TO outcome (TNC for a withdrawal, D for a deferral) only where the profile reports one.
    """
    kind = events.kind
    issued = enrolments["event_credential_issued"].to_numpy(dtype=bool)
    e_status = enrolments["status"].astype(object).to_numpy().copy()
    new_status = np.where(
        kind == "completion",
        np.where(issued, "completed", "completion_pending"),
        np.where(kind == "deferral", "deferred", enrolments["event_status"].astype(object).to_numpy()),
    )
    e_status[~refused] = new_status[~refused]
    to_code = np.full(len(events.keys), -1)
    if prof.training_organisation_outcomes:
        to_code[(kind == "withdrawal") & ~refused] = 0
        to_code[(kind == "deferral") & ~refused] = 1
    to = _TO_VALUES.take(to_code, allow_fill=True)
    frame = pd.DataFrame(
        {"status": pd.array(e_status, dtype=STR), "training_organisation_outcome": to, "refused": refused},
        index=enrolments.index,
    )
    return frame, to
