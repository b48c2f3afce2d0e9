"""File-level rules (F-01 … F-07): dates, field lengths, mandatory files, routing, the internal code 00.

Conventions shared with the field-level rules are in :mod:`avetmiss_finalise.validation._fieldcheck`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat.layouts import Field
from avetmiss_finalise.validation._fieldcheck import (
    CAT,
    CODES,
    column,
    hits,
    is_present,
    text_dates,
)
from avetmiss_finalise.validation.engine import FILE_LEVEL_ROW
from avetmiss_finalise.validation.registry import Context, Hit, enforced_elsewhere, not_implemented, rule
from avetmiss_finalise.validation.shifted import SHIFTED_DETAIL, shifted_cells

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


enforced_elsewhere(
    "F-01",
    severity=W,
    title=(
        "Records are fixed width and at least the national record length; a record cut short (trailing blanks "
        "trimmed) is read as space-padded with a warning"
    ),
    source=f"{CAT} §1 (BDT/JR field lengths; 'a record cut short inside trailing blanks is read as space-padded "
    "(warning)'); layouts.md §2 (Reading); sms_habits.md",
    family="file",
    enforced_by=(
        "avetmiss_finalise.nat (reader): record lengths exist only in the raw file, so the reader checks them "
        "and reports NAT-SHORT (warning; an empty line: error), NAT-PADDED (info, or warning when the profile's "
        "state tail has mandatory fields, VIC) and NAT-EXTRA (info), which every validation report includes. "
        "What a cut removed is reported by the rules that need it (a blank mandatory field is an error)"
    ),
    fix=(
        "Re-export the file from the SMS, or restore the trailing spaces an editor stripped, so every record has "
        "its full width; check that what the cut removed was really blank (docs/nat-format.md lists the lengths)."
    ),
)


_DATE_FIELDS = {
    "NAT00120": ("activity_start_date", "activity_end_date"),
    "NAT00130": ("date_program_completed", "parchment_issue_date"),
}
#: What exporters write for "no date"; not a date, and a blank is what the format expects (sms_habits.md).
ZERO_DATE = "00000000"
_MANDATORY_ZEROS = "00000000 is not a date, and this date is mandatory: give the real date"


def _zero_dates(ctx: Context, file_id: str, field: str, cells: pd.DataFrame) -> np.ndarray:
    """Unparsed cells of ``field`` that are ``00000000`` in a date that may be blank (F-08's, not F-02's)."""
    try:
        optional = ctx.profile.layout(file_id).field(field).required != "Y"
    except (KeyError, ValueError):
        optional = False
    if not optional:
        return np.zeros(len(cells), dtype=bool)
    zeros: np.ndarray = (cells["text"].astype("string") == ZERO_DATE).fillna(False).to_numpy(dtype=bool)
    return zeros


@rule(
    "F-02",
    severity=E,
    title="Dates are DDMMYYYY and real calendar dates",
    message="Not a real DDMMYYYY date",
    source=f"{CAT} §1 (RS util.ex; ISH comments); sms_habits.md (00000000 in a mandatory date; template text)",
    family="file",
    fix=(
        "Enter a real calendar date as DDMMYYYY (day first, eight digits) in the SMS — not 00000000, 31022026 or "
        "template text — and re-export."
    ),
    files=("NAT00080", "NAT00120", "NAT00130"),
    fields=("date_of_birth", "activity_start_date", "activity_end_date", "date_program_completed"),
)
def _f02(ctx: Context) -> Iterator[Hit]:
    shifted = {(c.file_id, c.row) for c in shifted_cells(ctx)}
    for file_id, fields in _DATE_FIELDS.items():
        up = ctx.unparsed.get(file_id)
        if up is None or not len(up):
            continue
        for field in fields:
            cells = up[(up["field"] == field).to_numpy(dtype=bool)]
            cells = cells[~_zero_dates(ctx, file_id, field, cells)]
            if not len(cells):
                continue
            rows = cells["row"].to_numpy()
            texts = cells["text"].reset_index(drop=True)
            moved = np.array([(file_id, int(r)) in shifted for r in rows], dtype=bool)
            zeros = (texts.astype("string") == ZERO_DATE).fillna(False).to_numpy(dtype=bool)
            for mask, details in ((~moved & ~zeros, None), (zeros, _MANDATORY_ZEROS), (moved, SHIFTED_DETAIL)):
                if mask.any():
                    yield Hit(
                        file_id=file_id,
                        rows=pd.Index(rows[mask]),
                        field=field,
                        values=texts[mask].reset_index(drop=True),
                        details=details,
                    )
    # Parsed once per Context and kept by Context.with_file while NAT00080 is not replaced: once per run in memory,
    # once per partition in the stream and Dask engines (which partition NAT00080 too, so each partition parses
    # only its own clients'). Parsing it whole for every NAT00120 partition was half of a partition's rule time at
    # 10M rows.
    bad = ctx.built("F-02", "NAT00080", ("date_of_birth",), lambda: _bad_birth_dates(ctx))
    if bad is not None:
        yield from hits("NAT00080", bad, "date_of_birth")


def _bad_birth_dates(ctx: Context) -> pd.Series | None:
    """NAT00080 rows whose date of birth is present, not the @@@@@@@@ of an unstated one, and not a real date."""
    dob = column(ctx, "NAT00080", "date_of_birth")
    if dob is None:
        return None
    stated = (dob.astype("string") != "@@@@@@@@").fillna(True)
    parsed = text_dates(ctx, "NAT00080", "date_of_birth")
    assert parsed is not None  # the column is there
    bad: pd.Series = is_present(dob) & stated & parsed.isna()
    return bad


@rule(
    "F-08",
    severity=W,
    title="00000000 written for an empty date where the date may be blank",
    message="00000000 is not a date: a blank (spaces) is expected where there is no date",
    source=(
        "sms_habits.md ('00000000 for an empty date: error where the date is mandatory; where a blank date is "
        "legal, say a blank is expected (warning)'); layouts.md §3 (Blank / not applicable: all spaces; do not "
        "follow ISH's 00000000 for a null date). A mandatory date of zeros is F-02"
    ),
    family="file",
    fields=("parchment_issue_date",),
    fix=(
        "Leave a date that does not apply blank (spaces) instead of writing 00000000: set the SMS export to write "
        "no date, and re-export."
    ),
)
def _f08(ctx: Context) -> Iterator[Hit]:
    for file_id, up in ctx.unparsed.items():
        if up is None or not len(up) or file_id not in ctx.frames:
            continue
        for field in up["field"].dropna().unique().tolist():
            cells = up[(up["field"] == field).to_numpy(dtype=bool)]
            zeros = _zero_dates(ctx, file_id, str(field), cells)
            if zeros.any():
                yield Hit(file_id=file_id, rows=pd.Index(cells["row"].to_numpy()[zeros]), field=str(field))


def _laid_out_columns(ctx: Context) -> Iterator[tuple[str, Field, pd.Series]]:
    """Every column of every file with its layout field (files the profile has no layout for are skipped)."""
    for file_id, df in ctx.frames.items():
        try:
            lay = ctx.profile.layout(file_id)
        except Exception:  # a file without a layout has no field lengths or code fields to check
            continue
        for f in lay.fields:
            if f.name in df.columns:
                yield file_id, f, df[f.name]


@rule(
    "F-03",
    severity=E,
    title="A value is not longer than its field",
    message="Value longer than the field",
    source=f"{CAT} §1 (aXcelerate troubleshooting: 'exceeds the maximum length')",
    family="file",
    fix=(
        "Shorten the value in the SMS to the field's width (e.g. a program identifier has at most 10 characters) and "
        "re-export; a value that runs into the next field shifts every field after it."
    ),
)
def _f03(ctx: Context) -> Iterator[Hit]:
    for file_id, f, s in _laid_out_columns(ctx):
        if f.role in ("number", "date"):
            continue
        if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
            continue
        yield from hits(file_id, _longer_than(s, f.length), f.name, details=f"maximum {f.length} characters")


def _longer_than(s: pd.Series, length: int) -> pd.Series:
    """Cells of more than ``length`` characters. A column read from a NAT file never has one (the reader slices
    each field to its width), so the common case is settled from the byte lengths alone — a string has at least
    as many bytes as characters, so no byte length over ``length`` means no long value — without counting
    characters; only a column with a long byte length is counted character by character."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        longest = pc.max(pc.binary_length(pa.array(s.array))).as_py()
        if longest is None or longest <= length:
            return pd.Series(False, index=s.index)
    return (s.astype("string").str.len() > length).fillna(False)


_MANDATORY_FILES = (
    ("NAT00010", "NAT00010A"),
    ("NAT00020",),
    ("NAT00030", "NAT00030A"),
    ("NAT00060",),
    ("NAT00080",),
    ("NAT00120",),
    ("NAT00130",),
)


@rule(
    "F-04",
    severity=E,
    title="All mandatory files are present",
    message="Mandatory file missing from the collection",
    source=f"{CAT} §1 (NSW eReporting reject ID 3, WN); national: warning (file set not verified)",
    family="file",
    fix=(
        "Include every mandatory NAT file named (NAT00010, 00020, 00030, 00060, 00080, 00120, 00130; NSW also "
        "NAT00085) in the submission, even one with no records, by exporting the whole collection in one run."
    ),
    avs_number="NSW reject 3",
)
def _f04(ctx: Context) -> Iterator[Hit]:
    have = set(ctx.frames) | ctx.given_files()
    needed = list(_MANDATORY_FILES)
    if ctx.profile.name == "nsw":
        needed.append(("NAT00085",))
    severity = E if ctx.profile.name == "nsw" else W
    for options in needed:
        if not have & set(options):
            yield Hit(
                file_id=options[0],
                rows=pd.Index([FILE_LEVEL_ROW]),
                details=" or ".join(options),
                severity=severity,
            )


not_implemented(
    "F-05",
    severity=E,
    title="NSW: uploaded files are byte-identical to the AVS-validated set; one upload a day; at most 20 MB",
    source=f"{CAT} §1 (NSW reject IDs 2, 5, 7, 8; WN; VTE NSW FAQ)",
    family="file",
    fix=(
        "Upload to eReporting exactly the files AVS validated (the same row counts as the Collection Processing "
        "Summary), at most once a day and under 20 MB."
    ),
    reason="Needs the AVS Collection Processing Summary and the STS Online upload history, which are not data here.",
    avs_number="NSW reject 2,5,7,8",
)


@rule(
    "F-06",
    severity=INFO,
    title="Publicly funded activity is submitted through the state training authority, not directly to NCVER",
    message="Publicly funded activity (funding source 11, 13 or 15): submit it via your state training authority",
    source=f"{CAT} §1 (STX quoting AVS); W/info in the catalogue",
    family="file",
    fix=(
        "No data change: submit publicly funded activity (funding 11, 13, 15) to your state training authority; only "
        "fee-for-service and international activity goes to NCVER through AVS. When validating a state submission, "
        "--disable F-06."
    ),
    files=("NAT00120",),
    fields=("funding_source_national",),
    profiles=("national",),
)
def _f06(ctx: Context) -> Iterator[Hit]:
    # One file-level finding: a per-row note would bury real findings (it is about routing, not a record).
    # No count in the message, so that chunked validation gives the same finding as a whole run.
    s = column(ctx, "NAT00120", "funding_source_national")
    if s is not None and s.isin(["11", "13", "15"]).fillna(False).any():
        yield Hit(file_id="NAT00120", rows=pd.Index([FILE_LEVEL_ROW]), field="funding_source_national")


@rule(
    "F-07",
    severity=E,
    title="The internal code 00 appears nowhere",
    message="Internal code 00 is not an AVETMISS value (SMS 'not set' / Wisenet OC 00)",
    source=f"{CAT} §7.6 and {CODES} §1 ('00 (not a code) invalid'; ISH blog; WN)",
    family="file",
    fix=(
        "Set a real code in the SMS where it shows 'not set': 00 is an internal placeholder (e.g. Wisenet's OC 00 "
        "for units not commenced); a unit not started is 85, a commenced unit the learner left is 40."
    ),
)
def _f07(ctx: Context) -> Iterator[Hit]:
    for file_id, f, s in _laid_out_columns(ctx):
        if f.role != "code":
            continue
        zero = (s.astype("string") == "00").fillna(False)
        yield from hits(file_id, zero, f.name)
