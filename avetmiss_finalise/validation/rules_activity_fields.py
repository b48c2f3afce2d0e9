"""Field-level rules of the activity files: NAT00120 (V-120-F1 … V-120-F11) and NAT00130 (V-130-01).

The NAT00120 rules that compare fields of a record are in ``rules_records``; those that need the collection
period in ``rules_period``. Conventions shared by the field-level rules are in
:mod:`avetmiss_finalise.validation._fieldcheck`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import codes as code_lists
from avetmiss_finalise.validation._fieldcheck import (
    ACT,
    CAT,
    CODES,
    LAYOUTS,
    blank_cells,
    column,
    hits,
    is_blank,
    is_present,
    missing,
    not_in,
    restated,
)
from avetmiss_finalise.validation.registry import Context, Hit, rule

E = Severity.ERROR


_MANDATORY_120 = (
    "training_organisation_id",
    "delivery_location_id",
    "client_id",
    "subject_id",
    "activity_start_date",
    "activity_end_date",
    "delivery_mode_id",
    "outcome_national",
    "funding_source_national",
    "commencing_program_id",
)


@rule(
    "V-120-F1",
    severity=E,
    title="NAT00120 mandatory fields are not blank",
    message="Mandatory field must not be blank",
    source=f"{CAT} §2 NAT00120 (STX quoting AVS)",
    family="field",
    fix=(
        "Fill in the field named on the unit enrolment in the SMS (dates, delivery mode, outcome, funding source, "
        "…); a unit that never started is outcome 85, not blank."
    ),
    files=(ACT,),
    fields=_MANDATORY_120,
)
def _v120_f1(ctx: Context) -> Iterator[Hit]:
    yield from restated(missing(ctx, ACT, _MANDATORY_120))


@rule(
    "V-120-F2",
    severity=E,
    title=(
        "Subject-only activity (blank program): commencing program identifier 8, no training contract or "
        "apprenticeship client identifier"
    ),
    message=(
        "Program identifier is blank (subject-only training): commencing program identifier must be 8 and no "
        "training contract / apprenticeship id is given"
    ),
    source=(
        f"{CAT} §2 NAT00120 V-120-F2 (NCVER-TIPS; ISH: blank program ⇒ commencing program identifier 8, E); "
        f"{LAYOUTS} §6 Program identifier rule 5 (D22). The unverified rest of V-120-16 stays there"
    ),
    family="field",
    fix=(
        "For subject-only training set commencing program identifier 8 and remove any training contract or "
        "apprenticeship client identifier; if the unit is part of a program, enter its program identifier."
    ),
    files=(ACT,),
    fields=("program_id", "commencing_program_id", "training_contract_id", "client_id_apprenticeships"),
)
def _v120_f2(ctx: Context) -> Iterator[Hit]:
    prog = column(ctx, ACT, "program_id")
    if prog is None:
        return
    no_program = blank_cells(ctx, ACT, "program_id", prog)
    cpi = column(ctx, ACT, "commencing_program_id")
    if cpi is not None:
        bad = no_program & cpi.astype("string").isin(["3", "4"]).fillna(False)
        yield from hits(ACT, bad, "commencing_program_id", details="expected 8")
    for field in ("training_contract_id", "client_id_apprenticeships"):
        s = column(ctx, ACT, field)
        if s is not None:
            bad = no_program & ~blank_cells(ctx, ACT, field, s)
            if bad.any():  # the @-filled test only on the few stated values of subject-only rows
                bad[bad] = ~s[bad].astype("string").str.fullmatch("@+").to_numpy(dtype=bool, na_value=False)
            yield from hits(ACT, bad, field)


@rule(
    "V-120-F3",
    severity=E,
    title="Funding source national is a national code (11, 13, 15, 20, 31, 32, 80; 30 configurable)",
    message="Invalid funding source (national); state codes belong in funding source - state training authority",
    source=f"{CAT} §2 NAT00120 (VSEC, VT19); {CODES} §4 (30: 7.0 value, 8.0 status unverified)",
    family="field",
    fix=(
        "Choose the national funding source (11, 13, 15, 20, 31, 32, 80) on the enrolment; a state funding code "
        "belongs in funding source - state training authority."
    ),
    files=(ACT,),
    fields=("funding_source_national",),
)
def _v120_f3(ctx: Context) -> Iterator[Hit]:
    allowed = set(code_lists.codes("funding_source_national"))
    if ctx.options.funding_30_allowed:
        allowed.add("30")
    yield from not_in(ctx, ACT, "funding_source_national", allowed)
    s = column(ctx, ACT, "funding_source_national")
    sev = ctx.options.funding_30_severity
    if s is not None and ctx.options.funding_30_allowed and sev is not None:
        thirty = (s == "30").fillna(False)
        details = "30 is a 7.0 value (8.0 status unverified; 31/32 replace it)"
        yield from hits(ACT, thirty, "funding_source_national", severity=sev, details=details)


@rule(
    "V-120-F4",
    severity=E,
    title="A specific funding identifier requires funding source national 13",
    message="A Specific Funding Identifier has been entered, therefore Funding Source - National should be 13 "
    "or the Specific Funding Identifier should be deleted",
    source=f"{CAT} §2 NAT00120 (STX)",
    family="field",
    fix=(
        "Set funding source national to 13 (Commonwealth specific purpose program), or delete the specific funding "
        "identifier if the activity is not under such a program."
    ),
    files=(ACT,),
    fields=("specific_funding_id", "funding_source_national"),
)
def _v120_f4(ctx: Context) -> Iterator[Hit]:
    sf, fs = column(ctx, ACT, "specific_funding_id"), column(ctx, ACT, "funding_source_national")
    if sf is not None and fs is not None:
        bad = is_present(sf) & is_present(fs) & (fs != "13").fillna(False)
        yield from hits(ACT, bad, "funding_source_national")


@rule(
    "V-120-F5",
    severity=E,
    title="School type is given for VET in Schools activity and is a permitted code",
    message="School type identifier",
    source=f"{CAT} §2 NAT00120 (STX: aXcelerate 'School Type is required for VET in Schools'); {CODES} §8",
    family="field",
    fix=(
        "For VET in Schools activity record the type of school the learner attends (21, 25, 27, …); if the learner "
        "is not a school student, set VET in schools flag N."
    ),
    files=(ACT,),
    fields=("school_type_id", "vet_in_schools_flag"),
)
def _v120_f5(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, ACT, "school_type_id", code_lists.codes("school_type"))
    st_, vis = column(ctx, ACT, "school_type_id"), column(ctx, ACT, "vet_in_schools_flag")
    if st_ is not None and vis is not None:
        bad = (vis == "Y").fillna(False) & is_blank(st_)
        yield from hits(ACT, bad, "school_type_id", details="required when VET in schools is Y")


@rule(
    "V-120-F6",
    severity=E,
    title="Study reason 13 is not used for 2018 data",
    message="Study reason 13 was added in 2019 and is not valid for 2018 activity",
    source=f"{CAT} §2 NAT00120 (VT19); {CODES} §6",
    family="field",
    fix="Choose a study reason other than 13 for activity reported as 2018 data (13 was added in 2019).",
    files=(ACT,),
    fields=("study_reason_id",),
)
def _v120_f6(ctx: Context) -> Iterator[Hit]:
    sr = column(ctx, ACT, "study_reason_id")
    if sr is None:
        return
    thirteen = (sr == "13").fillna(False)
    if ctx.period is not None:
        old = pd.Series(ctx.period.end.year <= 2018, index=sr.index)
    else:
        start = column(ctx, ACT, "activity_start_date")
        if start is None:
            return
        old = (start.dt.year <= 2018).fillna(False)
    bad = thirteen & old
    yield from hits(ACT, bad, "study_reason_id")


@rule(
    "V-120-F7",
    severity=E,
    title="Delivery mode identifier is three Y/N positions; predominant delivery mode is I, E, W or N",
    message="Invalid delivery mode",
    source=f"{CAT} §2 NAT00120; {CODES} §2-3",
    family="field",
    fix=(
        "Set the delivery mode as three Y/N positions (internal, external, workplace; NNN only for RPL and credit "
        "transfer) and predominant mode I, E, W or N; 7.0 two-digit codes (10, 20, …) must be remapped."
    ),
    files=(ACT,),
    fields=("delivery_mode_id", "predominant_delivery_mode"),
)
def _v120_f7(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, ACT, "delivery_mode_id", code_lists.codes("delivery_mode"))
    yield from not_in(ctx, ACT, "predominant_delivery_mode", code_lists.codes("predominant_delivery_mode"))


@rule(
    "V-120-F8",
    severity=E,
    title="Study reason is a permitted code",
    message="Invalid study reason identifier",
    source=f"{CODES} §6",
    family="field",
    fix="Map the learner's study reason to 01-08, 11, 12, 13 or @@ (not stated).",
    files=(ACT,),
    fields=("study_reason_id",),
)
def _v120_f8(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, ACT, "study_reason_id", code_lists.codes("study_reason", ("valid", "not_stated")))


@rule(
    "V-120-F9",
    severity=E,
    title="VET in schools flag is Y or N",
    message="VET in schools flag must be Y or N",
    source=f"{CODES} §7; layout: mandatory",
    family="field",
    fix="Set VET in schools flag Y for a school student's activity, N otherwise.",
    files=(ACT,),
    fields=("vet_in_schools_flag",),
)
def _v120_f9(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, ACT, "vet_in_schools_flag", code_lists.codes("yes_no"), required=True)


@rule(
    "V-120-F10",
    severity=E,
    title="Commencing program identifier is 3, 4 or 8",
    message="Commencing program identifier must be 3, 4 or 8",
    source=f"{CODES} §5 (consistency with the program: V-120-16)",
    family="field",
    fix=(
        "Set commencing program identifier 3 (commencing the program this year), 4 (continuing from a previous year) "
        "or 8 (subject only)."
    ),
    files=(ACT,),
    fields=("commencing_program_id",),
)
def _v120_f10(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, ACT, "commencing_program_id", code_lists.codes("commencing_program"))


@rule(
    "V-120-F11",
    severity=E,
    title="Outcome identifier - national is an 8.0 national code (53/54 configurable; 90 retired; 65 QLD only)",
    message="Outcome identifier - national",
    source=f"{CODES} §1 (53/54: sources disagree, warning by default)",
    family="field",
    fix=(
        "Set a national outcome (20, 30, 40, 41, 51, 52, 60, 61, 70, 81, 82, 85); map state or SMS codes first: NSW "
        "did-not-start 66 → 85, QLD 65 only under --profile qld, retired 90 → a final outcome or 70."
    ),
    files=(ACT,),
    fields=("outcome_national",),
)
def _v120_f11(ctx: Context) -> Iterator[Hit]:
    s = column(ctx, ACT, "outcome_national")
    if s is None:
        return
    unsure = set(ctx.profile.unverified_state_outcomes)
    allowed = set(code_lists.codes("outcome_national")) | {"53", "54"} | set(ctx.profile.state_outcomes) | unsure
    if ctx.options.allow_outcome_90:
        allowed.add("90")
    yield from restated(not_in(ctx, ACT, "outcome_national", allowed), details="not a national outcome code")
    if unsure:
        state = s.isin(sorted(unsure)).fillna(False)
        details = f"a {ctx.profile.name.upper()}-only outcome that one source mentions (unverified)"
        yield from hits(ACT, state, "outcome_national", severity=Severity.WARNING, details=details)
    sev = ctx.options.outcomes_53_54_severity
    rcc = s.isin(["53", "54"]).fillna(False)
    if sev is not None:
        yield from hits(ACT, rcc, "outcome_national", severity=sev, details="53/54 (RCC): national status unverified")


@rule(
    "V-130-01",
    severity=E,
    title="NAT00130 mandatory fields are present; issued flag is Y or N",
    message="Program completed record",
    source=f"Layout required flags (nat_layouts.csv); {CODES} §7",
    family="field",
    fix=(
        "Complete the NAT00130 record in the SMS (program, client, completion date) and set issued flag Y once the "
        "certificate is issued, N until then."
    ),
    files=("NAT00130",),
    fields=("training_organisation_id", "program_id", "client_id", "date_program_completed", "issued_flag"),
)
def _v130_01(ctx: Context) -> Iterator[Hit]:
    yield from missing(
        ctx, "NAT00130", ("training_organisation_id", "program_id", "client_id", "date_program_completed")
    )
    yield from not_in(ctx, "NAT00130", "issued_flag", code_lists.codes("yes_no"), required=True)
