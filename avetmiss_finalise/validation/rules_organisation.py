"""Field-level rules of the training organisation files: NAT00010 / NAT00010A (V-010-*) and NAT00020 (V-020-*).

Conventions shared by the field-level rules are in :mod:`avetmiss_finalise.validation._fieldcheck`.
"""

from __future__ import annotations

from collections.abc import Iterator

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import codes as code_lists
from avetmiss_finalise.validation._fieldcheck import (
    CAT,
    CODES,
    LAYOUTS,
    column,
    duplicated,
    hits,
    is_present,
    missing,
    not_in,
    restated,
)
from avetmiss_finalise.validation.registry import Context, Hit, not_implemented, rule

E, W = Severity.ERROR, Severity.WARNING


@rule(
    "V-010-01",
    severity=E,
    title="Training organisation identifier is not blank",
    message="Training organisation identifier must not be blank",
    source=f"{CAT} §2 NAT00010 (ESK-ERR, CSDB)",
    family="field",
    fix=(
        "Enter the RTO's training.gov.au code as the training organisation identifier in the SMS's organisation "
        "settings and re-export."
    ),
    files=("NAT00010", "NAT00010A"),
    fields=("training_organisation_id",),
    avs_number="3830",
)
def _v010_01(ctx: Context) -> Iterator[Hit]:
    for f in ("NAT00010", "NAT00010A"):
        yield from missing(ctx, f, ("training_organisation_id",))


@rule(
    "V-010-02",
    severity=E,
    title="Only one record per training organisation identifier",
    message="More than one record for this training organisation identifier",
    source=f"{CAT} §2 NAT00010 (ESK-ERR; lenient for a preliminary run: warning when interim)",
    family="field",
    fix=(
        "Report the training organisation once: delete the repeated NAT00010 record (campuses belong in NAT00020, "
        "not NAT00010)."
    ),
    files=("NAT00010", "NAT00010A"),
    fields=("training_organisation_id",),
    avs_number="3801",
)
def _v010_02(ctx: Context) -> Iterator[Hit]:
    for f in ("NAT00010", "NAT00010A"):
        dup = duplicated(ctx, f, ["training_organisation_id"], "training_organisation_id")
        yield from restated(dup, severity=W if ctx.interim else None)


@rule(
    "V-010-03",
    severity=E,
    title="Training organisation postcode (NAT00010A) is a real 4-digit postcode",
    message="Postcode must be a 4-digit Australian postcode (not blank, OSPC or @@@@)",
    source=f"{CAT} §2 NAT00010 (CSDB); {CODES} §14. Matching the NCVER postcode file is not checked.",
    family="field",
    fix=(
        "Enter the head office's 4-digit Australian postcode in the organisation settings (NAT00010A): not blank, "
        "OSPC or @@@@."
    ),
    files=("NAT00010A",),
    fields=("postcode",),
)
def _v010_03(ctx: Context) -> Iterator[Hit]:
    s = column(ctx, "NAT00010A", "postcode")
    if s is None:
        return
    bad = ~s.astype("string").str.fullmatch(r"\d{4}").fillna(False) | (s == "0000").fillna(False)
    yield from hits("NAT00010A", bad, "postcode")


# --- NAT00020 ------------------------------------------------------------------------------------------------


@rule(
    "V-020-01",
    severity=E,
    title="Training organisation + delivery location identifier is unique",
    message="Duplicate delivery location for this training organisation",
    source=f"{CAT} §2 NAT00020 (TEAMS NAT00020)",
    family="field",
    fix=(
        "Give each venue its own delivery location identifier: merge venues set up twice in the SMS, or renumber one "
        "of them and its enrolments."
    ),
    files=("NAT00020",),
    fields=("training_organisation_id", "delivery_location_id"),
    avs_number="3802",
)
def _v020_01(ctx: Context) -> Iterator[Hit]:
    yield from duplicated(ctx, "NAT00020", ["training_organisation_id", "delivery_location_id"], "delivery_location_id")


@rule(
    "V-020-02",
    severity=E,
    title="Delivery location identifier and name are not blank",
    message="Mandatory field",
    source=f"{CAT} §2 NAT00020 (TEAMS NAT00020)",
    family="field",
    fix="Enter the venue's delivery location identifier and name in the SMS venue record.",
    files=("NAT00020",),
    fields=("delivery_location_id", "delivery_location_name"),
    avs_number="3830",
)
def _v020_02(ctx: Context) -> Iterator[Hit]:
    yield from missing(ctx, "NAT00020", ("training_organisation_id", "delivery_location_id", "delivery_location_name"))


not_implemented(
    "V-020-03",
    severity=E,
    title="Delivery location postcode + suburb is a valid combination in the NCVER/Australia Post postcode list",
    source=f"{CAT} §2 NAT00020 (STX)",
    family="field",
    fix=(
        "Correct the venue's suburb and postcode so the pair is in the Australia Post / NCVER postcode list (AVS "
        "checks it; this tool cannot without NCVER's system file)."
    ),
    files=("NAT00020",),
    reason="Needs NCVER's postcode/locality system file, which is not shipped; formats are checked by V-020-04/05.",
)


@rule(
    "V-020-04",
    severity=E,
    title="Delivery location postcode is 4 digits or OSPC",
    message="Postcode must be a 4-digit postcode or OSPC (overseas); @@@@ and blank are not allowed",
    source=f"{LAYOUTS} §4 NAT00020; {CODES} §14",
    family="field",
    fix="Enter the venue's 4-digit postcode, or OSPC for a venue outside Australia.",
    files=("NAT00020",),
    fields=("postcode",),
)
def _v020_04(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, "NAT00020", "postcode", ["OSPC"], required=True, pattern=r"\d{4}")


@rule(
    "V-020-05",
    severity=E,
    title="Delivery location state and country identifiers are valid; OSPC locations have state 09 or 99",
    message="Invalid state or country for the delivery location",
    source=f"{LAYOUTS} §4 NAT00020; {CODES} §9, §14",
    family="field",
    fix=(
        "Set the venue's state identifier (01 NSW … 08 ACT, 09 other territories, 99 overseas) and its 4-digit SACC "
        "country code (1101 Australia); an OSPC venue is state 09 or 99."
    ),
    files=("NAT00020",),
    fields=("state_id", "country_id"),
)
def _v020_05(ctx: Context) -> Iterator[Hit]:
    states = code_lists.codes("state") - {"@@"}
    yield from not_in(ctx, "NAT00020", "state_id", states, required=True)
    yield from not_in(ctx, "NAT00020", "country_id", [], required=True, pattern=r"\d{4}")
    pc, st = column(ctx, "NAT00020", "postcode"), column(ctx, "NAT00020", "state_id")
    if pc is not None and st is not None:
        bad = (pc == "OSPC").fillna(False) & ~st.isin(["09", "99"]).fillna(False) & is_present(st)
        yield from hits("NAT00020", bad, "state_id", details="OSPC needs state 09 or 99")
