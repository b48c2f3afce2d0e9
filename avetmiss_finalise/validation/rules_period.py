"""Collection-period rules (validation_rules.md §3 and §5): every rule that needs the collection period.

A NAT00120 record belongs to a collection when its activity overlaps the period (V-120-01, V-120-04); what
"in the future" means decides the outcome rules (V-120-03, V-120-07, V-120-08, V-120-09, V-120-11).

**"The future" (our decision, docs/validation.md).** At a *final* collection it is every date after the
period end: the collection describes the period as it closed. At an *interim* collection it is every date
after ``ValidationOptions.reporting_date`` when one is given, else after the period end. Rules never read a
clock. Without a period these rules do not run.

**Outcome 85 and V-120-01 (our decision).** An 85 reports a unit that has not started, and 85 requires its
start date to be in the future (V-120-08, ISH moves it there) — after the period end at a final collection.
V-120-01 ("start on or before the period end", AVS 3211) would then reject every correct 85, so V-120-01 does
not apply to outcome 85; an 85 whose start date has passed is reported by V-120-08 instead. V-120-04
(activity must not end before the period starts) still applies to 85.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from avetmiss_finalise.code_lists import FINAL_OUTCOMES
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.period import FUTURE
from avetmiss_finalise.period import future_after as shared_future_after
from avetmiss_finalise.rule_severity import PROFILE_SEVERITIES
from avetmiss_finalise.validation._fieldcheck import ACT, date_text, hits, is_in, present
from avetmiss_finalise.validation.registry import Context, Hit, not_implemented, rule

__all__ = ["FINAL_OUTCOMES", "future_after"]

_TEAMS = "TEAMS NAT00120 (validation_rules.md §3)"


def future_after(ctx: Context) -> pd.Timestamp | None:
    """The last date that is not "in the future" (:func:`avetmiss_finalise.period.future_after`, shared with the
    finaliser); ``None`` without a period."""
    horizon = shared_future_after(ctx.period, interim=ctx.interim, reporting_date=ctx.options.reporting_date)
    return None if horizon is None else pd.Timestamp(horizon)


def _day(ts: pd.Timestamp) -> str:
    return ts.strftime("%d/%m/%Y")


def _activity(ctx: Context) -> pd.DataFrame | None:
    return ctx.frame(ACT) if ctx.period is not None else None


@rule(
    "V-120-01",
    severity=Severity.ERROR,
    title="Activity starts after the collection period",
    message="Activity start date must be on or before the collection period end (outcome 85 excepted: see V-120-08)",
    source=f"{_TEAMS}; 85 exception: our decision, docs/validation.md",
    family="period",
    fix=(
        "Activity starting after the period belongs to next year's collection: narrow the export's date range or "
        "correct the start date; an enrolled learner who has not started is reported as 85."
    ),
    files=(ACT,),
    fields=("activity_start_date", "outcome_national"),
    avs_number="3211",
)
def start_after_period(ctx: Context) -> Iterator[Hit]:
    df = _activity(ctx)
    if df is None or ctx.period is None:
        return
    end = pd.Timestamp(ctx.period.end)
    start = df["activity_start_date"]
    mask = (start > end).to_numpy(dtype=bool) & ~is_in(df["outcome_national"], {"85"})
    rows = df.index[mask]
    if len(rows):
        yield Hit(
            file_id=ACT,
            rows=rows,
            field="activity_start_date",
            details="start " + date_text(start[mask]) + f" is after the period end {_day(end)}",
        )


@rule(
    "V-120-04",
    severity=Severity.ERROR,
    title="Activity ends before the collection period",
    message="Activity end date must not be before the collection period start date",
    source="STX; ISH comment (validation_rules.md §3)",
    family="period",
    fix=(
        "Activity that ended before the period was reported in an earlier year: narrow the export's date range or "
        "correct the end date."
    ),
    files=(ACT,),
    fields=("activity_end_date",),
)
def end_before_period(ctx: Context) -> Iterator[Hit]:
    df = _activity(ctx)
    if df is None or ctx.period is None:
        return
    begin = pd.Timestamp(ctx.period.start)
    end = df["activity_end_date"]
    mask = (end < begin).to_numpy(dtype=bool)
    if mask.any():
        yield Hit(
            file_id=ACT,
            rows=df.index[mask],
            field="activity_end_date",
            details="end " + date_text(end[mask]) + f" is before the period start {_day(begin)}",
        )


@rule(
    "V-120-03",
    severity=Severity.ERROR,
    title="Continuing (70) activity that has already ended",
    message=(
        "Outcome 70 (continuing) needs an activity end date after the collection period end "
        "(interim collections: after the reporting date, as a warning)"
    ),
    source="TEAMS; STX 'unless reporting an Interim collection for future dated activity' (validation_rules.md §3)",
    family="period",
    fix=(
        "Give the unit its final outcome (20, 30, 40, …) with its real end date or, if training really continues, "
        "set the planned end date after the period end."
    ),
    files=(ACT,),
    fields=("outcome_national", "activity_end_date"),
    avs_number="3252",
)
def continuing_already_ended(ctx: Context) -> Iterator[Hit]:
    df = _activity(ctx)
    horizon = future_after(ctx)
    if df is None or horizon is None:
        return
    end = df["activity_end_date"]
    mask = is_in(df["outcome_national"], {"70"}) & (end <= horizon).to_numpy(dtype=bool)
    if mask.any():
        yield Hit(
            file_id=ACT,
            rows=df.index[mask],
            field="outcome_national",
            details="end " + date_text(end[mask]) + f" is not after {_day(horizon)}",
            severity=Severity.WARNING if ctx.interim else None,
        )


@rule(
    "V-120-07",
    severity=Severity.ERROR,
    title="Final outcome with an end date in the future",
    message=f"A final outcome must not have an activity end date in the future ({FUTURE})",
    source="STX (SMS pre-check; no AVS number); finalisation.md properties",
    family="period",
    fix=(
        "Set the end date to the date the outcome was achieved (not the planned end), or, if training is still in "
        "progress, report 70 (continuing)."
    ),
    files=(ACT,),
    fields=("outcome_national", "activity_end_date"),
)
def final_outcome_future_end(ctx: Context) -> Iterator[Hit]:
    df = _activity(ctx)
    horizon = future_after(ctx)
    if df is None or horizon is None:
        return
    end = df["activity_end_date"]
    mask = is_in(df["outcome_national"], FINAL_OUTCOMES) & (end > horizon).to_numpy(dtype=bool)
    if mask.any():
        yield Hit(
            file_id=ACT,
            rows=df.index[mask],
            field="activity_end_date",
            details="end "
            + date_text(end[mask])
            + f" is after {_day(horizon)} for final outcome "
            + df["outcome_national"][mask].astype("string[pyarrow]"),
        )


@rule(
    "V-120-08",
    severity=Severity.WARNING,
    title="Not yet started (85) but the start date has passed",
    message=f"Outcome 85 (not yet started) needs an activity start date in the future ({FUTURE})",
    source="VT18; VTE NSW FAQ; ISH Avetmiss120Factory (validation_rules.md §3): warning nationally, error in VIC",
    family="period",
    fix=(
        "The start date has passed: report 70 (or the final outcome) if the learner started; otherwise move the "
        "start date to the planned date or withdraw the unit."
    ),
    files=(ACT,),
    fields=("outcome_national", "activity_start_date"),
)
def not_started_in_past(ctx: Context) -> Iterator[Hit]:
    df = _activity(ctx)
    horizon = future_after(ctx)
    if df is None or horizon is None:
        return
    start = df["activity_start_date"]
    mask = is_in(df["outcome_national"], {"85"}) & (start <= horizon).to_numpy(dtype=bool)
    if mask.any():
        # VIC's error is said once, in rule_severity.PROFILE_SEVERITIES, which the finaliser reads too.
        severity = PROFILE_SEVERITIES.get(("V-120-08", ctx.profile.name), ctx.options.outcome_85_past_start_severity)
        yield Hit(
            file_id=ACT,
            rows=df.index[mask],
            field="activity_start_date",
            details="start " + date_text(start[mask]) + f" is not after {_day(horizon)}",
            severity=severity,
        )


@rule(
    "V-120-09",
    severity=Severity.ERROR,
    title="Activity in progress without outcome 70",
    message=(
        "Activity started and ends in the future, so its outcome must be 70 (continuing); it has no valid "
        f"outcome (final outcomes are V-120-07, 85 is V-120-08; {FUTURE})"
    ),
    source="VTE NSW FAQ; ISHB (SMS check, validation_rules.md §3)",
    family="period",
    fix=(
        "Set outcome 70 (continuing) on a unit that has started and ends after the period; an outcome left unset "
        "must not be exported."
    ),
    files=(ACT,),
    fields=("outcome_national", "activity_start_date", "activity_end_date"),
)
def in_progress_not_continuing(ctx: Context) -> Iterator[Hit]:
    df = _activity(ctx)
    horizon = future_after(ctx)
    if df is None or horizon is None:
        return
    in_progress = (df["activity_start_date"] <= horizon).to_numpy(dtype=bool) & (
        df["activity_end_date"] > horizon
    ).to_numpy(dtype=bool)
    known = is_in(df["outcome_national"], FINAL_OUTCOMES | {"70", "85"})
    mask = in_progress & ~known
    yield from hits(ACT, mask, "outcome_national", index=df.index, details="expected 70")


@rule(
    "V-120-11",
    severity=Severity.INFO,
    title="Continuing (70) activity ending in December of the collection year",
    message=(
        "Outcome 70 with an end date in December of the collection year: give it a final outcome by the "
        "final collection (70 sticks on the USI transcript)"
    ),
    source="NCVER-TIPS (guidance; validation_rules.md §3)",
    family="period",
    fix=(
        "Give the unit its final outcome before the final collection, or move its end date to the realistic date "
        "next year; a 70 stays on the learner's USI transcript."
    ),
    files=(ACT,),
    fields=("outcome_national", "activity_end_date"),
)
def continuing_ends_in_december(ctx: Context) -> Iterator[Hit]:
    """Guidance with a data signal: only interim collections can hit it (at a final collection V-120-03 does)."""
    df = _activity(ctx)
    horizon = future_after(ctx)
    if df is None or horizon is None or ctx.period is None:
        return
    end = df["activity_end_date"]
    december = ((end.dt.month == 12) & (end.dt.year == ctx.period.end.year)).to_numpy(dtype=bool, na_value=False)
    mask = is_in(df["outcome_national"], {"70"}) & december & (end > horizon).to_numpy(dtype=bool)
    yield from hits(ACT, mask, "activity_end_date", index=df.index)


@rule(
    "P-01",
    severity=Severity.WARNING,
    title="Program completion outside the collection period",
    message="A NAT00130 completion is reported in the collection of the year the program was completed",
    source="VTE NAT130 article (validation_rules.md §5); warning: no AVS rule quoted",
    family="period",
    fix=(
        "Report the completion in the collection of the year the program was completed: remove it from this export "
        "or correct the date program completed."
    ),
    files=("NAT00130",),
    fields=("date_program_completed",),
)
def completion_outside_period(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame("NAT00130")
    horizon = future_after(ctx)
    if df is None or horizon is None or ctx.period is None:
        return
    done = df["date_program_completed"]
    placeholder = (done.dt.year == 9999).to_numpy(dtype=bool, na_value=False)  # X-10's finding
    before = (done < pd.Timestamp(ctx.period.start)).to_numpy(dtype=bool)
    after = (done > horizon).to_numpy(dtype=bool)
    mask = present(done) & (before | after) & ~placeholder
    if mask.any():
        where = pd.Series(np.where(before[mask], "before the period start", "in the future"), index=df.index[mask])
        yield Hit(
            file_id="NAT00130",
            rows=df.index[mask],
            field="date_program_completed",
            details="completed " + date_text(done[mask]) + " is " + where.astype("string[pyarrow]"),
        )


not_implemented(
    "P-02",
    severity=Severity.INFO,
    title="Final collection submitted outside NCVER's window (1 Jan-28 Feb of the following year)",
    source="NCVER-TIPS (validation_rules.md §5)",
    family="period",
    fix="Submit the final collection to NCVER between 1 January and 28 February of the following year.",
    reason="a fact about the submission, not the data: the validator has no submission date and reads no clock",
)
