"""NSW Smart and Skilled profile rules (validation_rules.md §7; finalisation.md F-TO-TNC, F-TRANSITION-MAX-PROGRAMS).

The Commitment ID (CID) is carried in NAT00120 *Purchasing contract identifier* (§7.2). Rules grouping by
client + CID (NSW-MAX-PROGRAMS, NSW-TO-03) need every record of a client in one chunk (docs/validation.md).
eReporting checks that need STS Online's own state (finalised CIDs, frozen earliest start dates, training
package core-unit counts) are listed as not implemented.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from avetmiss_finalise.code_lists import FEE_PAYING_FUNDING, TNC_OUTCOMES
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation._fieldcheck import ACT, hits, is_in, present
from avetmiss_finalise.validation.keysets import first_rows, frame_codes
from avetmiss_finalise.validation.registry import Context, Hit, not_implemented, rule

__all__: list[str] = []

NSW = ("nsw",)
TO_OUTCOMES = frozenset({"TNC", "D"})
CID = "purchasing_contract_id"
TO = "outcome_training_organisation"


@rule(
    "NSW-TO-01",
    severity=Severity.ERROR,
    title="Outcome identifier – training organisation not TNC, D or blank",
    message="Smart and Skilled: Outcome identifier – training organisation is TNC (training not completed), D "
    "(deferral) or blank",
    source="code_lists.md §16; AXS; WN finalise-learner; ISHB (validation_rules.md §7.3)",
    family="nsw",
    fix=(
        "Set Outcome identifier - training organisation to TNC (training not completed), D (deferral) or blank; "
        "other values come from an SMS status not mapped for Smart and Skilled."
    ),
    files=(ACT,),
    fields=(TO,),
    profiles=NSW,
)
def training_organisation_outcome_code(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    mask = present(df[TO]) & ~is_in(df[TO], TO_OUTCOMES)
    yield from hits(ACT, mask, TO, index=df.index)


@rule(
    "NSW-TO-02",
    severity=Severity.WARNING,
    title="TNC on a unit that is neither withdrawn (40) nor not started (85)",
    message="eReporting accepts TNC only where every unit outcome is 40 or 85 (vendor guidance, unverified)",
    source="ISHB 'Smart & Skilled will not accept TNC with any other outcomes status'; finalisation.md F-TO-TNC",
    family="nsw",
    fix=(
        "Finalise each unit of the TNC commitment as 40 (withdrawn, with hours attended) or 85 (not started) before "
        "reporting TNC; Smart and Skilled is said not to accept TNC with other outcomes."
    ),
    files=(ACT,),
    fields=(TO, "outcome_national"),
    profiles=NSW,
)
def tnc_outcomes(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    outcome = df["outcome_national"]
    mask = is_in(df[TO], {"TNC"}) & present(outcome) & ~is_in(outcome, TNC_OUTCOMES)
    yield from hits(ACT, mask, "outcome_national", index=df.index, details="with TNC")


@rule(
    "NSW-TO-03",
    severity=Severity.WARNING,
    title="TNC/D not on every record of the commitment",
    message="TNC or D is reported on all NAT00120 records of the learner's commitment (client + Commitment ID)",
    source="AXS (TNC/D on all subjects of the enrolment); code_lists.md §16 (validation_rules.md §7.3)",
    family="nsw",
    fix=(
        "Report TNC (or D) on every NAT00120 record of the commitment: set the enrolment status (withdrawn, "
        "cancelled, deferred) in the SMS so the export marks all its units."
    ),
    files=(ACT,),
    fields=(TO, "client_id", CID),
    profiles=NSW,
)
def training_organisation_outcome_everywhere(ctx: Context) -> Iterator[Hit]:
    """Rows of a commitment whose TO outcome differs from the commitment's TNC/D (the more frequent; a tie: the
    first in line order).

    Only commitments holding a TNC or D are looked at, usually a small part of the file.
    """
    df = ctx.frame(ACT)
    if df is None:
        return
    codes = frame_codes(ctx, ACT, ("client_id", CID))
    marked = is_in(df[TO], TO_OUTCOMES) & (codes >= 0)
    if not marked.any():
        return
    concerned = np.isin(codes, np.unique(codes[marked]))
    sub = df.loc[concerned, [TO]]
    group = codes[concerned]
    marks = sub[TO].where(marked[concerned])
    # The commitment's value is its more frequent of TNC and D (a tie: the first in line order), so a lone D
    # among TNC rows is the one reported, not the rows that agree with each other.
    n = int(codes.max()) + 1
    tnc = np.bincount(group[(marks == "TNC").to_numpy(dtype=bool, na_value=False)], minlength=n)
    d = np.bincount(group[(marks == "D").to_numpy(dtype=bool, na_value=False)], minlength=n)
    first_mark = marks.groupby(group).transform("first").astype(object).to_numpy()
    value = np.where(tnc[group] > d[group], "TNC", np.where(d[group] > tnc[group], "D", first_mark))
    first = pd.Series(value, index=sub.index, dtype="string[pyarrow]")
    differs = (sub[TO].fillna("") != first).to_numpy(dtype=bool, na_value=False)
    details = "other records of this commitment have " + first[differs].astype("string[pyarrow]")
    yield from hits(ACT, differs, TO, index=sub.index, details=details)


#: Funding source – national codes of fee-paying activity, which no state contract purchases (code_lists.md §4).
FEE_PAYING = FEE_PAYING_FUNDING


@rule(
    "NSW-CID-01",
    severity=Severity.ERROR,
    title="Commitment ID missing on publicly funded activity",
    message=(
        "Smart and Skilled: publicly funded activity carries its Commitment ID in Purchasing contract identifier "
        "(fee-for-service and international activity, funding 20/30/31/32, has none)"
    ),
    source=(
        "AXS; WN contracts pages; ISH (validation_rules.md §7.2; confidence medium-high). Limiting it to publicly "
        "funded rows is our reading: a Commitment ID identifies a Smart and Skilled (government) purchase"
    ),
    family="nsw",
    fix=(
        "Enter the Commitment ID from the Smart and Skilled Provider Calculator in the enrolment's purchasing "
        "contract identifier; fee-for-service activity carries funding 20 instead."
    ),
    files=(ACT,),
    fields=(CID, "funding_source_national"),
    profiles=NSW,
)
def commitment_id_present(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None or not ctx.profile.requires_commitment_id:
        return
    funding = df["funding_source_national"]
    public = present(funding) & ~is_in(funding, FEE_PAYING)
    mask = public & ~present(df[CID])
    yield from hits(ACT, mask, CID, index=df.index)


@rule(
    "NSW-MAX-PROGRAMS",
    severity=Severity.ERROR,
    title="More than three program identifiers for one commitment",
    message="A learner commitment (client + Commitment ID) holds at most three program identifiers in NAT00120",
    source="finalisation.md F-TRANSITION-MAX-PROGRAMS; VTSUP citing the eReporting specification p.18 "
    "(validation_rules.md §7.5, item c)",
    family="nsw",
    fix=(
        "Keep at most three program identifiers under one Commitment ID: finalise and stop reporting the oldest "
        "program, or obtain a new Commitment ID for the new one."
    ),
    files=(ACT,),
    fields=("client_id", CID, "program_id"),
    profiles=NSW,
)
def max_programs(ctx: Context) -> Iterator[Hit]:
    """One finding per program beyond the cap: at the first line of that program, naming all the programs."""
    df = ctx.frame(ACT)
    cap = ctx.profile.max_programs_per_commitment
    if df is None or cap is None:
        return
    commitment = frame_codes(ctx, ACT, ("client_id", CID))
    programme = frame_codes(ctx, ACT, ("client_id", CID, "program_id"))
    # The first row of each (commitment, program), in line order; count them per commitment.
    firsts = first_rows(programme)
    owner = commitment[firsts]
    count = np.bincount(owner, minlength=int(commitment.max(initial=-1)) + 1)
    over = count[owner] > cap
    if not over.any():
        return
    listed = df.iloc[firsts[over]][["client_id", CID, "program_id"]]
    rank = listed.groupby(["client_id", CID], sort=False).cumcount().to_numpy()
    names = listed.groupby(["client_id", CID], sort=False)["program_id"].transform(lambda p: ", ".join(p))
    excess = rank >= cap
    yield Hit(
        file_id=ACT,
        rows=listed.index[excess],
        field="program_id",
        details="programs of this commitment: " + names[excess].astype("string[pyarrow]") + f" (at most {cap})",
    )


not_implemented(
    "NSW-CID-02",
    severity=Severity.ERROR,
    title="No further training activity for a finalised Commitment ID",
    source="STX 'Training Activity Data has been finalised for Commitment Id' (validation_rules.md §7.2)",
    family="nsw",
    fix="Report no further activity under a finalised Commitment ID: obtain a new Commitment ID for new training.",
    files=(ACT,),
    reason="whether a CID is finalised is eReporting's state, not in the NAT files",
)

not_implemented(
    "NSW-CID-03",
    severity=Severity.ERROR,
    title="Earliest unit start date of a commenced Commitment ID cannot change",
    source="VTE NSW FAQ (validation_rules.md §7.2)",
    family="nsw",
    fix=(
        "Keep the earliest unit start date of a commenced Commitment ID as first reported; correct the later units "
        "instead of the first one."
    ),
    files=(ACT,),
    reason="needs the start dates previously reported to eReporting",
)

not_implemented(
    "NSW-1113",
    severity=Severity.ERROR,
    title="Required number of core units for the qualification not submitted (eReporting Error ID 1113)",
    source="STX (validation_rules.md §7.2)",
    family="nsw",
    fix=(
        "Report every core unit the training package requires for the qualification, with hours attended on "
        "withdrawn units so the SMS does not drop them."
    ),
    files=(ACT,),
    reason="needs the training package's core-unit rules (training.gov.au), which the library does not ship",
)
