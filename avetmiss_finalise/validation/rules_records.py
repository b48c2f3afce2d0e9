"""Record-level (cross-field) rules of NAT00120 that do not need the collection period (validation_rules.md §3).

The period-dependent V-120 rules (01, 03, 04, 07, 08, 09, 11) live in :mod:`.rules_period`. Rules here look at
one row at a time, except V-120-16's consistency part, which groups rows by client + program and therefore
needs a chunking partitioned by client (docs/validation.md).

Severity: "E (unverified)" rules report at ``ValidationOptions.unverified_severity`` (warning by default).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from avetmiss_finalise.code_lists import RECOGNITION_OUTCOMES
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.outcomes.codes import HOURS_FOR_WITHDRAWN
from avetmiss_finalise.validation._fieldcheck import ACT, date_text, hits, is_in, present
from avetmiss_finalise.validation.keysets import first_rows, frame_codes
from avetmiss_finalise.validation.registry import Context, Hit, not_implemented, rule

__all__: list[str] = []

#: Outcomes that report recognition or credit transfer, not delivered training (BDT, ISH): from the code list.
NOT_DELIVERED = RECOGNITION_OUTCOMES
#: Profiles whose state collections require hours attended for withdrawn (40) units (V-120-13).


@rule(
    "V-120-02",
    severity=Severity.ERROR,
    title="Activity ends before it starts",
    message="Activity end date must not be before activity start date",
    source="TEAMS NAT00120 (validation_rules.md §3)",
    family="record",
    fix=(
        "Correct the start or end date on the unit enrolment so the end is on or after the start (swapped dates or a "
        "mistyped year)."
    ),
    files=(ACT,),
    fields=("activity_start_date", "activity_end_date"),
    avs_number="3216",
)
def end_before_start(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    start, end = df["activity_start_date"], df["activity_end_date"]
    mask = (end < start).to_numpy(dtype=bool)
    if mask.any():
        yield Hit(
            file_id=ACT,
            rows=df.index[mask],
            field="activity_end_date",
            details="end " + date_text(end[mask]) + " is before start " + date_text(start[mask]),
        )


@rule(
    "V-120-05",
    severity=Severity.ERROR,
    title="Competency achieved (20) with delivery mode NNN",
    message="Outcome 20 (competency achieved) must not be reported with delivery mode NNN (not applicable)",
    source="TEAMS NAT00120 'Invalid Delivery Mode for Completed Outcome' (validation_rules.md §3)",
    family="record",
    fix=(
        "Set the delivery mode the unit was actually delivered by (e.g. YNN classroom); NNN is only for RPL and "
        "credit transfer outcomes."
    ),
    files=(ACT,),
    fields=("outcome_national", "delivery_mode_id"),
    avs_number="3260",
)
def achieved_not_delivered(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    mask = is_in(df["outcome_national"], {"20"}) & is_in(df["delivery_mode_id"], {"NNN"})
    yield from hits(ACT, mask, "delivery_mode_id", index=df.index)


@rule(
    "V-120-06",
    severity=Severity.WARNING,
    title="Recognition / credit transfer outcome with a delivery mode",
    message="RPL, RCC and credit transfer outcomes (51, 52, 53, 54, 60) use delivery mode NNN and predominant mode N",
    source="BDT $deliveryTypeNotApplicableOutcomes; ISH (validation_rules.md §3; E unverified: warning by default)",
    family="record",
    fix=(
        "Report RPL, RCC and credit transfer (51, 52, 53, 54, 60) with delivery mode NNN and predominant mode N; if "
        "the unit was trained, its outcome is 20 or 30."
    ),
    files=(ACT,),
    fields=("outcome_national", "delivery_mode_id", "predominant_delivery_mode"),
)
def recognition_delivered(ctx: Context) -> Iterator[Hit]:
    """One finding per row: the delivery mode when it is not NNN, else a predominant mode other than N.

    (When the delivery mode is wrong the predominant mode's consistency is V-120-17's business.)
    """
    df = ctx.frame(ACT)
    if df is None:
        return
    rec = is_in(df["outcome_national"], NOT_DELIVERED)
    mode = df["delivery_mode_id"]
    nnn = is_in(mode, {"NNN"})
    bad_mode = rec & present(mode) & ~nnn
    pdm = df["predominant_delivery_mode"]
    bad_pdm = rec & nnn & present(pdm) & ~is_in(pdm, {"N"})
    sev = ctx.options.unverified_severity
    yield from hits(ACT, bad_mode, "delivery_mode_id", index=df.index, details="expected NNN", severity=sev)
    yield from hits(ACT, bad_pdm, "predominant_delivery_mode", index=df.index, details="expected N", severity=sev)


def _hours(df: pd.DataFrame, field: str) -> pd.Series:
    return df[field].astype("Int64")


@rule(
    "V-120-10",
    severity=Severity.INFO,
    title="Withdrawn (40) with no hours attended: never started?",
    message="Outcome 40 is for learners who engaged and then withdrew; a unit never started is reported as 85",
    source="NCVER-TIPS; ESK (guidance; data signal: hours attended reported as 0)",
    family="record",
    fix=(
        "If the learner never started the unit, report 85 (not yet started) instead of 40; if they did, record the "
        "hours attended."
    ),
    files=(ACT,),
    fields=("outcome_national", "hours_attended"),
)
def withdrawn_never_started(ctx: Context) -> Iterator[Hit]:
    """Only where V-120-13 does not already make 40 without hours an error."""
    df = ctx.frame(ACT)
    if df is None or ctx.profile.name in HOURS_FOR_WITHDRAWN:
        return
    mask = is_in(df["outcome_national"], {"40"}) & (_hours(df, "hours_attended") == 0).to_numpy(
        dtype=bool, na_value=False
    )
    yield from hits(ACT, mask, "hours_attended", index=df.index)


not_implemented(
    "V-120-12",
    severity=Severity.INFO,
    title="Outcome 41 instead of 40/70 when the RTO closes with training in progress",
    source="ESK (guidance; validation_rules.md §3)",
    family="record",
    fix="If the RTO stopped operating with this training in progress, report outcome 41 instead of 40 or 70.",
    files=(ACT,),
    reason="the closure of the RTO is not in the NAT data, so nothing in a record can show that 41 was due",
)


@rule(
    "V-120-13",
    severity=Severity.ERROR,
    title="Withdrawn (40) without hours attended",
    message="State collections require hours attended greater than 0 for a withdrawn (40) unit",
    source="ISH (QLD/VIC); RTOM; STX (NSW Error ID 1113); WN (validation_rules.md §3, §7.4)",
    family="record",
    fix=(
        "Record the hours the learner attended before withdrawing (more than 0); a unit the learner never started is "
        "85, not 40."
    ),
    files=(ACT,),
    fields=("outcome_national", "hours_attended"),
    profiles=HOURS_FOR_WITHDRAWN,
)
def withdrawn_without_hours(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    hours = _hours(df, "hours_attended")
    no_hours = (hours.isna() | (hours <= 0)).to_numpy(dtype=bool, na_value=True)
    mask = is_in(df["outcome_national"], {"40"}) & no_hours
    yield from hits(ACT, mask, "hours_attended", index=df.index)


@rule(
    "V-120-14",
    severity=Severity.INFO,
    title="Superseded (61) with no hours attended: claim exclusion",
    message="VIC: a superseded subject (61) may carry hours attended; with 0 or blank hours it is claim-excluded (EXC)",
    source="VETtrak 21.4 release notes (validation_rules.md §3)",
    family="record",
    fix="VIC: record the hours attended on a superseded (61) unit, or it is claim-excluded (EXC).",
    files=(ACT,),
    fields=("outcome_national", "hours_attended"),
    profiles=("vic",),
)
def superseded_without_hours(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    hours = _hours(df, "hours_attended")
    mask = is_in(df["outcome_national"], {"61"}) & (hours.isna() | (hours <= 0)).to_numpy(dtype=bool, na_value=True)
    yield from hits(ACT, mask, "hours_attended", index=df.index)


@rule(
    "V-120-15",
    severity=Severity.WARNING,
    title="Credit transfer (60) with scheduled hours",
    message="Credit transfer (60) is reported with 0 scheduled hours",
    source="ISH Avetmiss120Line/Factory (unverified; validation_rules.md §3). The 0000-9999 range is the field "
    "format; ISH's 'up to 1500' comment is unsourced and not checked",
    family="record",
    fix="Set scheduled hours to 0 on a credit-transferred (60) unit: no training is delivered for it.",
    files=(ACT,),
    fields=("outcome_national", "scheduled_hours"),
)
def credit_transfer_hours(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    hours = _hours(df, "scheduled_hours")
    mask = is_in(df["outcome_national"], {"60"}) & (hours > 0).to_numpy(dtype=bool, na_value=False)
    yield from hits(
        ACT, mask, "scheduled_hours", index=df.index, details="expected 0", severity=ctx.options.unverified_severity
    )


@rule(
    "V-120-16",
    severity=Severity.WARNING,
    title="Commencing program identifier inconsistent",
    message=(
        "Commencing program identifier is 3 or 4 when a program is reported, and the same on every record of a "
        "client and program"
    ),
    source=(
        "ISH Avetmiss120Factory comments; layouts.md §6 (E unverified: warning by default). A blank program with "
        "3 or 4 is V-120-F2 (error)"
    ),
    family="record",
    fix=(
        "Set commencing program identifier 3 (first year) or 4 (continuing) on every unit of a program, the same on "
        "all of a learner's records for that program; 8 is for subject-only training."
    ),
    files=(ACT,),
    fields=("program_id", "commencing_program_id", "client_id"),
)
def commencing_program(ctx: Context) -> Iterator[Hit]:
    """Per row (program ⇒ 3/4; no program ⇒ 8 is V-120-F2), then per client + program: rows differing from the
    group's majority value (a tie: its first line's).

    Codes outside 3/4/8 are the code-list rule's finding. The group part needs all records of a client in one
    chunk (docs/validation.md).
    """
    df = ctx.frame(ACT)
    if df is None:
        return
    sev = ctx.options.unverified_severity
    cpi = df["commencing_program_id"]
    program = present(df["program_id"])
    ok = program & is_in(cpi, {"3", "4"})
    # A blank program with 3/4 is V-120-F2's error (sourced); only the unverified direction is reported here.
    bad = program & is_in(cpi, {"8"})
    yield from hits(ACT, bad, "commencing_program_id", index=df.index, details="expected 3 or 4", severity=sev)
    codes = np.where(ok, frame_codes(ctx, ACT, ("client_id", "program_id")), -1)
    # A blank client has no group (-1): its rows are compared with nobody's (V-120-F1 names it). Left in, they
    # indexed the last group or failed in bincount.
    ok &= codes >= 0
    if not ok.any():
        return
    is4 = is_in(cpi, {"4"})
    # Inconsistent groups hold both a 3 and a 4; only their rows need the "first value" comparison.
    with3 = np.zeros(int(codes.max()) + 1, dtype=bool)
    with4 = np.zeros_like(with3)
    with3[codes[ok & ~is4]] = True
    with4[codes[ok & is4]] = True
    mixed = np.flatnonzero(with3 & with4)
    if not len(mixed):
        return
    rows = ok & np.isin(codes, mixed)
    # The group's value is its majority (a tie goes to the first line), so the odd record out is the one
    # reported, not the records that agree with each other.
    n_groups = len(with3)
    fours = np.bincount(codes[ok & is4], minlength=n_groups)
    threes = np.bincount(codes[ok & ~is4], minlength=n_groups)
    first_is4 = is4[first_rows(codes)]
    group_is4 = np.where(fours == threes, first_is4, fours > threes)
    differs = rows & (is4 != group_is4[np.maximum(codes, 0)])
    first_value = pd.Series(np.where(group_is4[codes[differs]], "4", "3"), index=df.index[differs])
    yield Hit(
        file_id=ACT,
        rows=df.index[differs],
        field="commencing_program_id",
        details="other records of this client and program have " + first_value.astype("string[pyarrow]"),
        severity=sev,
    )


#: Delivery modes each predominant mode is consistent with (code_lists.md §3).
_CONSISTENT = {
    "I": frozenset({"YNN", "YYN", "YNY", "YYY"}),
    "E": frozenset({"NYN", "YYN", "NYY", "YYY"}),
    "W": frozenset({"NNY", "YNY", "NYY", "YYY"}),
    "N": frozenset({"NNN"}),
}
_MODES = frozenset().union(*_CONSISTENT.values())


@rule(
    "V-120-17",
    severity=Severity.WARNING,
    title="Predominant delivery mode not in the delivery mode",
    message="Predominant delivery mode must match a Y position of the delivery mode (I→1, E→2, W→3); N ⇔ NNN",
    source="code_lists.md §3 (definitions, ISH doc comments; E unverified: warning by default)",
    family="record",
    fix=(
        "Set predominant delivery mode to a mode flagged Y in the delivery mode (I position 1, E position 2, W "
        "position 3), N only with NNN; record the real delivery mode where the SMS left a default."
    ),
    files=(ACT,),
    fields=("delivery_mode_id", "predominant_delivery_mode"),
)
def predominant_mode(ctx: Context) -> Iterator[Hit]:
    """Checked on the (few) distinct (mode, predominant) pairs, then mapped back to rows."""
    df = ctx.frame(ACT)
    if df is None:
        return
    mode, pdm = df["delivery_mode_id"], df["predominant_delivery_mode"]
    codes = frame_codes(ctx, ACT, ("delivery_mode_id", "predominant_delivery_mode"))
    if codes.max(initial=-1) < 0:
        return
    first = first_rows(codes)
    pairs = zip(mode.iloc[first].tolist(), pdm.iloc[first].tolist(), strict=True)
    bad_pair = np.array([m in _MODES and p in _CONSISTENT and m not in _CONSISTENT[p] for m, p in pairs])
    bad = (codes >= 0) & bad_pair[np.maximum(codes, 0)]
    details = "delivery mode " + mode[bad].astype("string[pyarrow]")
    yield from hits(
        ACT, bad, "predominant_delivery_mode", index=df.index, details=details, severity=ctx.options.unverified_severity
    )


@rule(
    "V-120-18",
    severity=Severity.WARNING,
    title="Not yet started (85) with hours attended",
    message="A unit not yet started (85) has no hours attended: report 0, or the outcome the attendance calls for",
    source=(
        "finalisation.md F-WITHDRAW-NOT-COMMENCED and F-DEFER (hours 0 for unstarted units); WN finalise-learner; "
        "validation_rules.md §7.4. New rule: the catalogue states the practice, not a rule; warning"
    ),
    family="record",
    fix=(
        "A unit with hours attended has started: report 70, 40 or its final outcome; if it really has not started, "
        "set hours attended to 0."
    ),
    files=(ACT,),
    fields=("outcome_national", "hours_attended"),
)
def not_started_with_hours(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    mask = is_in(df["outcome_national"], {"85"}) & (_hours(df, "hours_attended") > 0).to_numpy(
        dtype=bool, na_value=False
    )
    yield from hits(ACT, mask, "hours_attended", index=df.index)
