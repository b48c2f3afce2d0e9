"""Field-level rules of the program and subject files: NAT00030 / NAT00030A (V-030-*) and NAT00060 (V-060-*).

Conventions shared by the field-level rules are in :mod:`avetmiss_finalise.validation._fieldcheck`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import codes as code_lists
from avetmiss_finalise.validation._fieldcheck import (
    CAT,
    CODES,
    LAYOUTS,
    column,
    duplicated,
    hits,
    missing,
    not_in,
)
from avetmiss_finalise.validation.registry import Context, Hit, not_implemented, rule

E, W = Severity.ERROR, Severity.WARNING


not_implemented(
    "V-030-01",
    severity=E,
    title="Program identifier is a valid training.gov.au code for nationally recognised programs",
    source=f"{CAT} §2 NAT00030 (VTE 4726)",
    family="field",
    fix=(
        "Use the qualification, course or skill set code exactly as on training.gov.au; subject-only training leaves "
        "the program identifier blank rather than inventing a pseudo-course."
    ),
    files=("NAT00030",),
    reason="Needs the training.gov.au (TGA) code list, which is not shipped.",
    avs_number="4726",
)

_PROGRAM_FILES = ("NAT00030", "NAT00030A")


@rule(
    "V-030-02",
    severity=W,
    title="Program identifier is upper case (unverified)",
    message="Program identifier is not upper case (ISH convention; not confirmed in D22/D23)",
    source=f"{CAT} §2 NAT00030; {LAYOUTS} §6.7. Unverified: warning (ValidationOptions.unverified_severity)",
    family="field",
    fix="Enter the program identifier in upper case exactly as training.gov.au shows it (BSB50120, not bsb50120).",
    files=_PROGRAM_FILES,
    fields=("program_id",),
)
def _v030_02(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        s = column(ctx, f, "program_id")
        if s is not None:
            bad = (s.astype("string") != s.astype("string").str.upper()).fillna(False)
            yield from hits(f, bad, "program_id", severity=ctx.options.unverified_severity)


@rule(
    "V-030-03",
    severity=E,
    title="NAT00030A recognition, level of education, field of education, ANZSCO and VET flag are valid codes",
    message="Invalid program code",
    source=f"{CAT} §2 NAT00030; {CODES} §7, §12. FoE/ANZSCO: format only (no ASCED/ANZSCO file)",
    family="field",
    fix=(
        "Correct the program's recognition, level of education, field of education (4-digit ASCED), ANZSCO and VET "
        "flag in the SMS course record from training.gov.au or the accredited course document."
    ),
    files=("NAT00030A",),
    fields=(
        "program_recognition_id",
        "program_level_of_education_id",
        "program_field_of_education_id",
        "anzsco_id",
        "vet_flag",
    ),
)
def _v030_03(ctx: Context) -> Iterator[Hit]:
    f = "NAT00030A"
    yield from not_in(ctx, f, "program_recognition_id", code_lists.codes("program_recognition"), required=True)
    yield from not_in(ctx, f, "program_level_of_education_id", code_lists.codes("program_level_of_education"))
    yield from not_in(ctx, f, "program_field_of_education_id", [], pattern=r"\d{4}")
    yield from not_in(ctx, f, "anzsco_id", ["@@@@@@"], pattern=r"[0-9A-Z]{6}")
    yield from not_in(ctx, f, "vet_flag", code_lists.codes("yes_no"), required=True)


@rule(
    "V-030-04",
    severity=E,
    title="Program nominal hours are present and 0000-9999",
    message="Nominal hours must be a number 0000-9999",
    source=f"{CAT} §2 NAT00030 (ISH comments); {CODES} §12",
    family="field",
    fix="Enter the program's nominal (supervised) hours as a whole number 0000-9999 in the SMS course record.",
    files=_PROGRAM_FILES,
    fields=("nominal_hours",),
)
def _v030_04(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        yield from missing(ctx, f, ("nominal_hours",))
        s = column(ctx, f, "nominal_hours")
        if s is not None and pd.api.types.is_numeric_dtype(s.dtype):
            bad = ((s < 0) | (s > 9999)).fillna(False)
            yield from hits(f, bad, "nominal_hours")


@rule(
    "V-030-05",
    severity=E,
    title="Program identifier and name are not blank",
    message="Mandatory field",
    source=f"{LAYOUTS} §6 (program identifier rules); layout required flags",
    family="field",
    fix="Enter the program identifier and name in the SMS course record.",
    files=_PROGRAM_FILES,
    fields=("program_id", "program_name"),
)
def _v030_05(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        yield from missing(ctx, f, ("program_id", "program_name"))


@rule(
    "V-030-06",
    severity=E,
    title="Each program record is unique on its program identifier",
    message="Duplicate program identifier",
    source=f"{LAYOUTS} §6 Program identifier rule 1 (D22)",
    family="field",
    fix=(
        "Report each program once: delete the repeated NAT00030 record (a course set up twice in the SMS, or files "
        "from two export runs combined)."
    ),
    files=_PROGRAM_FILES,
    fields=("program_id",),
)
def _v030_06(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        yield from duplicated(ctx, f, ["program_id"], "program_id")


# --- NAT00060 ------------------------------------------------------------------------------------------------


@rule(
    "V-060-01",
    severity=E,
    title="Subject identifier is present and unique within NAT00060",
    message="Subject identifier blank or duplicated",
    source=f"{CAT} §2 NAT00060 (Social Planet SVTS article); {LAYOUTS} §6 Subject identifier rule 1",
    family="field",
    fix=(
        "Give every NAT00060 record a subject identifier and keep one record per identifier: merge units set up "
        "twice in the SMS."
    ),
    files=("NAT00060",),
    fields=("subject_id", "subject_name"),
)
def _v060_01(ctx: Context) -> Iterator[Hit]:
    yield from missing(ctx, "NAT00060", ("subject_id", "subject_name"))
    yield from duplicated(ctx, "NAT00060", ["subject_id"], "subject_id")


not_implemented(
    "V-060-02",
    severity=E,
    title="A TGA unit/accredited module subject matches the National Register (identifier and name)",
    source=f"{CAT} §2 NAT00060 (RTO Teams field guide)",
    family="field",
    fix="Use the unit code and title exactly as the National Register (training.gov.au) shows them.",
    files=("NAT00060",),
    reason="Needs the training.gov.au (TGA) unit list, which is not shipped.",
)


@rule(
    "V-060-03",
    severity=E,
    title="Subject field of education is a 6-digit ASCED code; VET flag is Y or N",
    message="Invalid subject code",
    source=f"{CAT} §2 NAT00060; {CODES} §7, §12 (format only: no ASCED file)",
    family="field",
    fix=(
        "Enter the 6-digit ASCED field of education and VET flag Y or N in the SMS unit record (for a training "
        "package unit, copy them from training.gov.au)."
    ),
    files=("NAT00060",),
    fields=("subject_field_of_education_id", "vet_flag"),
)
def _v060_03(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, "NAT00060", "subject_field_of_education_id", [], pattern=r"\d{6}")
    yield from not_in(ctx, "NAT00060", "vet_flag", code_lists.codes("yes_no"), required=True)
