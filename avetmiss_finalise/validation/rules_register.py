"""Rules against training.gov.au lists the user supplies (``--reference DIR``) and the submitting account:
V-010-05 (AVS 4645), V-010-06 (AVS 4704), V-030-01 (AVS 4726), V-030-07, V-030-08, V-030-09 and V-060-02.

Each rule needs its list; without it the rule is reported as not run, with the reason. Codes are compared upper
case (programs, units) or without leading zeros (organisation codes, which VIC zero-fills); names and titles in one
normal form (case, punctuation and spacing ignored, ``&`` = ``and``; a name filling its whole NAT field may be the
title cut at the field width). Blank identifiers are the mandatory-field rules' findings and are not checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from avetmiss_finalise.code_lists import LOCAL_PROGRAMS, NATIONALLY_RECOGNISED_PROGRAMS
from avetmiss_finalise.issues import Severity
from avetmiss_finalise.reference import ProgramTable, Reference
from avetmiss_finalise.reference._parse import code_key, keyed, title_matches
from avetmiss_finalise.reference.programs import shape_kind
from avetmiss_finalise.validation._fieldcheck import ACT, CAT, LAYOUTS, column, date_text, hits
from avetmiss_finalise.validation.reference_data import reference_of
from avetmiss_finalise.validation.registry import Context, Hit, rule

__all__: list[str] = []

_CENSUS = "public_avs_rules.md"
_ORGANISATION_FILES = ("NAT00010", "NAT00010A")
#: NAT00030A programs that are nationally recognised (their codes are training.gov.au codes), and those that are
#: not: the code list's sets (code_lists.md §12).
RECOGNISED = NATIONALLY_RECOGNISED_PROGRAMS
LOCAL = LOCAL_PROGRAMS


def _reference(ctx: Context) -> Reference | None:
    return reference_of(ctx.options)


@rule(
    "V-010-05",
    severity=Severity.ERROR,
    title="Training organisation identifier is an RTO listed on training.gov.au",
    message="Training organisation identifier is not in the training.gov.au RTO list",
    source=f"{_CENSUS} C005 (AVS 4645, RTO Teams NAT00010 page); listed whatever its registration status",
    family="reference",
    fix=(
        "Enter the RTO code exactly as training.gov.au lists it in the SMS's organisation settings (a typo or a "
        "state or internal identifier is the usual cause), or update the RTO list in --reference."
    ),
    files=_ORGANISATION_FILES,
    fields=("training_organisation_id",),
    avs_number="4645",
    requires=("organisations",),
)
def organisation_listed(ctx: Context) -> Iterator[Hit]:
    ref = _reference(ctx)
    if ref is None or ref.organisations is None:
        return
    for f in _ORGANISATION_FILES:
        toid = column(ctx, f, "training_organisation_id")
        if toid is not None:
            listed = ref.organisations.listed(toid)
            yield from hits(f, (~listed).fillna(False), "training_organisation_id")


@rule(
    "V-010-06",
    severity=Severity.ERROR,
    title="Training organisation identifier is the RTO the submitting AVS account is registered for",
    message="Training organisation identifier is not the submitting account's RTO (--expected-toid)",
    source=f"{_CENSUS} C006 (AVS 4704, RTO Teams NAT00010 page); compared without leading zeros",
    family="reference",
    fix=(
        "Submit the collection from the AVS account of the RTO it belongs to, or correct the training organisation "
        "identifier in the SMS (and check --expected-toid names your RTO)."
    ),
    files=_ORGANISATION_FILES,
    fields=("training_organisation_id",),
    avs_number="4704",
    requires=("expected_toid",),
)
def organisation_expected(ctx: Context) -> Iterator[Hit]:
    expected = ctx.options.expected_toid
    if not expected:
        return
    want = code_key(expected)
    for f in _ORGANISATION_FILES:
        toid = column(ctx, f, "training_organisation_id")
        if toid is not None:
            got = keyed(toid, code_key)
            yield from hits(f, (got != want).fillna(False), "training_organisation_id", details=f"expected {want}")


def _recognised_rows(ctx: Context, file_id: str, recognition: frozenset[str]) -> pd.Series | None:
    """NAT00030A rows whose recognition identifier is in ``recognition`` (NAT00030: every row, for the national
    programs), as a boolean mask; ``None`` when the file is absent."""
    df = ctx.frame(file_id)
    if df is None or "program_id" not in df.columns:
        return None
    if file_id == "NAT00030":
        return pd.Series(recognition is RECOGNISED, index=df.index)
    rec = df.get("program_recognition_id")
    if rec is None:
        return pd.Series(False, index=df.index)
    return rec.isin(list(recognition)).fillna(False).astype(bool)


def _programs(ctx: Context) -> ProgramTable | None:
    ref = _reference(ctx)
    return None if ref is None else ref.programs


@rule(
    "V-030-01",
    severity=Severity.ERROR,
    title="Program identifier is a valid training.gov.au code for nationally recognised programs",
    message="Program identifier is not a qualification, course or skill set code in the training.gov.au list",
    source=(
        f"{CAT} §2 NAT00030 (VTE 4726); {_CENSUS} C013. NAT00030A rows count when their recognition identifier is "
        f"11, 12 or 13 (nationally recognised; some SMS write every program to NAT00030A, {LAYOUTS} §4)"
    ),
    family="reference",
    fix=(
        "Use the qualification, course or skill set code exactly as on training.gov.au; subject-only training leaves "
        "the program identifier blank rather than inventing a pseudo-course."
    ),
    files=("NAT00030", "NAT00030A"),
    fields=("program_id",),
    avs_number="4726",
    requires=("programs",),
)
def program_listed(ctx: Context) -> Iterator[Hit]:
    table = _programs(ctx)
    if table is None:
        return
    missing = table.missing_kinds()
    for f in ("NAT00030", "NAT00030A"):
        rows = _recognised_rows(ctx, f, RECOGNISED)
        if rows is None:
            continue
        df = ctx.frames[f]
        unlisted = rows & (~table.listed(df["program_id"])).fillna(False)
        if missing and unlisted.any():
            # A kind of program no file of the list covers (only qualifications downloaded, say) is not an error:
            # an info finding says it was not checked, and which list to add.
            uncovered = _uncovered(df, unlisted, missing)
            yield from hits(
                f,
                uncovered,
                "program_id",
                severity=Severity.INFO,
                details=_not_covered(missing),
                index=df.index,
            )
            unlisted = unlisted & ~uncovered
        yield from hits(f, unlisted, "program_id")


#: NAT00030A recognition identifier → the kind of program (code_lists.md §12).
_RECOGNITION_KIND = {"11": "qualification", "12": "course", "13": "skill set"}


def _uncovered(df: pd.DataFrame, rows: pd.Series, missing: frozenset[str]) -> pd.Series:
    """Rows (of ``rows``) whose program is of a kind in ``missing``: by recognition identifier where the file has
    one, else by the code's shape; a code of no known shape may be of any kind, so it is uncovered too."""
    rec = df["program_recognition_id"] if "program_recognition_id" in df.columns else None
    out = np.zeros(len(df), dtype=bool)
    for i in np.flatnonzero(rows.to_numpy(dtype=bool)):
        kind = _RECOGNITION_KIND.get(str(rec.iloc[i])) if rec is not None else None
        code = df["program_id"].iloc[i]
        kind = kind or (shape_kind(code) if isinstance(code, str) else None)
        out[i] = kind is None or kind in missing
    return pd.Series(out, index=df.index)


def _not_covered(missing: frozenset[str]) -> str:
    names = {"qualification": "qualifications", "course": "accredited courses", "skill set": "skill sets"}
    listed = ", ".join(names[k] for k in sorted(missing))
    return (
        f"not checked: the program list given has no {listed} (add training.gov.au's {listed} list to --reference, "
        "or name a file holding every kind like programs.csv)"
    )


@rule(
    "V-030-07",
    severity=Severity.ERROR,
    title="A program that is not nationally recognised does not use a training.gov.au code",
    message=(
        "Program identifier of a program that is not nationally recognised (NAT00030A recognition 14, 15 or 16) "
        "matches a current or superseded training.gov.au code"
    ),
    source=f"{LAYOUTS} §6 Program identifier rule 3 (D22: 'must not match any current or superseded/obsolete code')",
    family="reference",
    fix=(
        "Give the locally developed course or skill set its own code that no training.gov.au program uses, or, if it "
        "is that nationally recognised program, set its recognition identifier to 11, 12 or 13."
    ),
    files=("NAT00030A",),
    fields=("program_id", "program_recognition_id"),
    requires=("programs",),
)
def local_program_not_listed(ctx: Context) -> Iterator[Hit]:
    table = _programs(ctx)
    rows = _recognised_rows(ctx, "NAT00030A", LOCAL)
    if table is None or rows is None:
        return
    listed = table.listed(ctx.frames["NAT00030A"]["program_id"])
    yield from hits("NAT00030A", rows & listed.fillna(False), "program_id")


@rule(
    "V-030-08",
    severity=Severity.WARNING,
    title="A superseded qualification is not reported after its teach-out date",
    message="Activity or completion in a superseded program after its teach-out date",
    source=(
        "training.gov.au currency (superseded) with the teach-out date of the qualification list, or "
        "ValidationOptions.teach_out_months after its superseded date; no AVS rule is quoted (finalisation.md "
        "F-TRANSITION describes the move to the replacement): warning, our reading"
    ),
    family="reference",
    fix=(
        "Transition the learner to the current qualification (finalise with a transition event) or finish the "
        "superseded program by its teach-out date; check the activity end or completion date."
    ),
    files=(ACT, "NAT00130"),
    fields=("program_id", "activity_end_date", "date_program_completed"),
    requires=("programs", "teach_out"),
)
def superseded_after_teach_out(ctx: Context) -> Iterator[Hit]:
    table = _programs(ctx)
    if table is None:
        return
    limits = table.teach_out(ctx.options.teach_out_months)
    if not len(limits):
        return
    for file_id, date_field in ((ACT, "activity_end_date"), ("NAT00130", "date_program_completed")):
        df = ctx.frame(file_id)
        if df is None or date_field not in df.columns:
            continue
        code = df["program_id"].astype("string[pyarrow]").str.strip().str.upper()
        limit = pd.to_datetime(code.map(limits).astype("datetime64[s]"))
        when = df[date_field]
        mask = (when > limit).to_numpy(dtype=bool, na_value=False)
        if mask.any():
            yield Hit(
                file_id=file_id,
                rows=df.index[mask],
                field=date_field,
                details=date_text(when[mask]) + " is after the teach-out date " + date_text(limit[mask]),
            )


@rule(
    "V-030-09",
    severity=Severity.WARNING,
    title="A nationally recognised program's name is its training.gov.au title (unverified)",
    message="Program name is not the program's title in the training.gov.au list",
    source=(
        f"{LAYOUTS} §6 Program identifier rule 2 (D22: 'The Program name must then match the TGA title'); {CAT} "
        "V-030-02 ('name must match TGA', E unverified): ValidationOptions.unverified_severity"
    ),
    family="reference",
    fix=(
        "Copy the program's title exactly from training.gov.au into the SMS course record (an abbreviated or "
        "re-worded title is the usual cause)."
    ),
    files=("NAT00030", "NAT00030A"),
    fields=("program_name",),
    requires=("programs",),
)
def program_title(ctx: Context) -> Iterator[Hit]:
    table = _programs(ctx)
    if table is None or not table.has_titles():
        return
    for f in ("NAT00030", "NAT00030A"):
        rows = _recognised_rows(ctx, f, RECOGNISED)
        df = ctx.frame(f)
        if rows is None or df is None or "program_name" not in df.columns:
            continue
        width = ctx.profile.layout(f).field("program_name").length
        code = df["program_id"].astype("string[pyarrow]").str.strip().str.upper()
        entries = table.entries
        wrong = np.zeros(len(df), dtype=bool)
        for i, (c, name, ok) in enumerate(zip(code, df["program_name"], rows, strict=True)):
            e = entries.get(c) if isinstance(c, str) and ok else None
            if e is not None and e.titles and isinstance(name, str) and name.strip():
                wrong[i] = not title_matches(e.titles, name, width)
        yield from hits(f, wrong, "program_name", index=df.index, severity=ctx.options.unverified_severity)


@rule(
    "V-060-02",
    severity=Severity.ERROR,
    title="A TGA unit/accredited module subject matches the National Register (identifier and name)",
    message="Subject name is not the unit's title in the training.gov.au unit list",
    source=(
        f"{CAT} §2 NAT00060 (RTO Teams field guide; E unverified: ValidationOptions.unverified_severity); "
        f"{_CENSUS} C018; {LAYOUTS} §6 Subject identifier rule 4"
    ),
    family="reference",
    fix="Use the unit code and title exactly as the National Register (training.gov.au) shows them.",
    files=("NAT00060",),
    fields=("subject_name",),
    requires=("units",),
)
def unit_title(ctx: Context) -> Iterator[Hit]:
    ref = _reference(ctx)
    df = ctx.frame("NAT00060")
    if ref is None or ref.units is None or df is None or not {"subject_id", "subject_name"} <= set(df.columns):
        return
    width = ctx.profile.layout("NAT00060").field("subject_name").length
    wrong = ref.units.wrong_title(df["subject_id"], df["subject_name"], width)
    yield from hits("NAT00060", wrong, "subject_name", index=df.index, severity=ctx.options.unverified_severity)
