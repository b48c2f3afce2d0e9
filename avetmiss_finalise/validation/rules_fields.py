"""File-level (F-…) and field-level (V-010 … V-100, V-120-F…) rules: presence, formats, code lists.

Every check is a handful of vectorised pandas operations over one column. Conventions shared by all rules here:

- A blank cell is ``NA`` (the reader turns all-space cells into ``NA``); an empty string counts as blank too.
- A cell the reader could not parse (listed in ``Context.unparsed``) is *not* reported again as blank: the
  reader's Issue (or F-02 for dates) already locates it with its raw text.
- The internal code ``00`` is reported once, by F-07, not again by the code-list rule of its field.
- Messages never quote values; the engine shows the value (masked when the field is personal).

Uniqueness rules (V-010-02, V-020-01, V-030-06, V-060-01, V-080-01) look at one whole file: when a collection
is validated in chunks, only NAT00120 is split, and these files are passed whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

import pandas as pd

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import codes as code_lists
from avetmiss_finalise.validation.engine import FILE_LEVEL_ROW
from avetmiss_finalise.validation.registry import Context, Hit, enforced_elsewhere, not_implemented, rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_A = "NAT00120"
_CAT = "shared/spec/validation_rules.md"
_CODES = "shared/spec/code_lists.md"
_LAYOUTS = "shared/spec/layouts.md"

# --- helpers -------------------------------------------------------------------------------------------------


def _blank(s: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
        return s.isna() | (s.astype("string").str.strip() == "").fillna(True)
    return s.isna()


def _present(s: pd.Series) -> pd.Series:
    return ~_blank(s)


def _rows(mask: pd.Series) -> pd.Index:
    return mask.index[mask.fillna(False).to_numpy(dtype=bool)]


def _col(ctx: Context, file_id: str, field: str) -> pd.Series | None:
    df = ctx.frame(file_id)
    if df is None or field not in df.columns:
        return None
    return df[field]


def _unparsed_mask(ctx: Context, file_id: str, field: str, index: pd.Index) -> pd.Series:
    """Rows whose ``field`` the reader could not parse."""
    up = ctx.unparsed.get(file_id)
    if up is None or not len(up):
        return pd.Series(False, index=index)
    rows = up.loc[up["field"] == field, "row"]
    return pd.Series(index.isin(rows.to_numpy()), index=index)


def _missing(ctx: Context, file_id: str, fields: Iterable[str]) -> Iterator[Hit]:
    """Hits for blank mandatory ``fields`` of ``file_id`` (unparsed cells excluded)."""
    for field in fields:
        s = _col(ctx, file_id, field)
        if s is None:
            continue
        bad = _blank(s) & ~_unparsed_mask(ctx, file_id, field, s.index)
        if bad.any():
            yield Hit(file_id=file_id, rows=_rows(bad), field=field, details="must not be blank")


def _not_in(
    ctx: Context,
    file_id: str,
    field: str,
    allowed: Iterable[str],
    *,
    required: bool = False,
    pattern: str | None = None,
) -> Iterator[Hit]:
    """Hits for ``field`` values outside ``allowed`` (or not matching ``pattern``); blank only when required."""
    s = _col(ctx, file_id, field)
    if s is None:
        return
    text = s.astype("string")
    ok = text.isin(list(allowed))
    if pattern is not None:
        ok = ok | text.str.fullmatch(pattern).fillna(False)
    bad = _present(s) & ~ok & (text != "00").fillna(True)
    if bad.any():
        yield Hit(file_id=file_id, rows=_rows(bad), field=field, details="not a permitted code")
    if required:
        yield from _missing(ctx, file_id, (field,))


def _duplicated(ctx: Context, file_id: str, key: list[str], field: str) -> Iterator[Hit]:
    df = ctx.frame(file_id)
    if df is None or not set(key) <= set(df.columns) or not len(df):
        return
    present = _present(df[key[-1]])
    dup = df[key].duplicated(keep="first") & present
    if dup.any():
        yield Hit(file_id=file_id, rows=_rows(dup), field=field, details="duplicates an earlier record")


def _reference_date(ctx: Context) -> datetime.date | None:
    if ctx.options.reporting_date is not None:
        return ctx.options.reporting_date
    return ctx.period.end if ctx.period is not None else None


# --- F: file level -------------------------------------------------------------------------------------------

enforced_elsewhere(
    "F-01",
    severity=E,
    title="Records are fixed width and at least the national record length",
    source=f"{_CAT} §1 (BDT/JR field lengths)",
    family="file",
    enforced_by=(
        "avetmiss_finalise.nat (reader): record lengths exist only in the raw file, so the reader checks them "
        "and reports NAT-SHORT (error), NAT-PADDED and NAT-EXTRA (info), which every validation report includes"
    ),
)


_DATE_FIELDS = {
    "NAT00120": ("activity_start_date", "activity_end_date"),
    "NAT00130": ("date_program_completed", "parchment_issue_date"),
}


@rule(
    "F-02",
    severity=E,
    title="Dates are DDMMYYYY and real calendar dates",
    message="Not a real DDMMYYYY date",
    source=f"{_CAT} §1 (RS util.ex; ISH comments)",
    family="file",
    files=("NAT00080", "NAT00120", "NAT00130"),
    fields=("date_of_birth", "activity_start_date", "activity_end_date", "date_program_completed"),
)
def _f02(ctx: Context) -> Iterator[Hit]:
    for file_id, fields in _DATE_FIELDS.items():
        up = ctx.unparsed.get(file_id)
        if up is None or not len(up):
            continue
        for field in fields:
            cells = up[up["field"] == field]
            if len(cells):
                yield Hit(
                    file_id=file_id,
                    rows=pd.Index(cells["row"].to_numpy()),
                    field=field,
                    values=cells["text"].reset_index(drop=True),
                )
    dob = _col(ctx, "NAT00080", "date_of_birth")
    if dob is not None:
        text = dob.astype("string")
        parsed = pd.to_datetime(
            text.where(text.str.fullmatch(r"\d{8}").fillna(False)), format="%d%m%Y", errors="coerce"
        )
        bad = _present(dob) & (text != "@@@@@@@@").fillna(True) & parsed.isna()
        if bad.any():
            yield Hit(file_id="NAT00080", rows=_rows(bad), field="date_of_birth")


@rule(
    "F-03",
    severity=E,
    title="A value is not longer than its field",
    message="Value longer than the field",
    source=f"{_CAT} §1 (aXcelerate troubleshooting: 'exceeds the maximum length')",
    family="file",
)
def _f03(ctx: Context) -> Iterator[Hit]:
    for file_id, df in ctx.frames.items():
        try:
            lay = ctx.profile.layout(file_id)
        except Exception:
            continue
        for f in lay.fields:
            if f.role in ("number", "date") or f.name not in df.columns:
                continue
            s = df[f.name]
            if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
                continue
            too_long = s.astype("string").str.len() > f.length
            if too_long.any():
                yield Hit(file_id=file_id, rows=_rows(too_long), field=f.name, details=f"maximum {f.length} characters")


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
    source=f"{_CAT} §1 (NSW eReporting reject ID 3, WN); national: warning (file set not verified)",
    family="file",
    avs_number="NSW reject 3",
)
def _f04(ctx: Context) -> Iterator[Hit]:
    have = set(ctx.frames) | {f for f, _ in ctx.reference_keys}
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
    source=f"{_CAT} §1 (NSW reject IDs 2, 5, 7, 8; WN; VTE NSW FAQ)",
    family="file",
    reason="Needs the AVS Collection Processing Summary and the STS Online upload history, which are not data here.",
    avs_number="NSW reject 2,5,7,8",
)


@rule(
    "F-06",
    severity=INFO,
    title="Publicly funded activity is submitted through the state training authority, not directly to NCVER",
    message="Publicly funded activity (funding source 11, 13 or 15): submit it via your state training authority",
    source=f"{_CAT} §1 (STX quoting AVS); W/info in the catalogue",
    family="file",
    files=("NAT00120",),
    fields=("funding_source_national",),
    profiles=("national",),
)
def _f06(ctx: Context) -> Iterator[Hit]:
    # One file-level finding: a per-row note would bury real findings (it is about routing, not a record).
    # No count in the message, so that chunked validation gives the same finding as a whole run.
    s = _col(ctx, "NAT00120", "funding_source_national")
    if s is not None and s.isin(["11", "13", "15"]).fillna(False).any():
        yield Hit(file_id="NAT00120", rows=pd.Index([FILE_LEVEL_ROW]), field="funding_source_national")


@rule(
    "F-07",
    severity=E,
    title="The internal code 00 appears nowhere",
    message="Internal code 00 is not an AVETMISS value (SMS 'not set' / Wisenet OC 00)",
    source=f"{_CAT} §7.6 and {_CODES} §1 ('00 (not a code) invalid'; ISH blog; WN)",
    family="file",
)
def _f07(ctx: Context) -> Iterator[Hit]:
    for file_id, df in ctx.frames.items():
        try:
            lay = ctx.profile.layout(file_id)
        except Exception:
            continue
        for f in lay.fields:
            if f.role != "code" or f.name not in df.columns:
                continue
            zero = (df[f.name].astype("string") == "00").fillna(False)
            if zero.any():
                yield Hit(file_id=file_id, rows=_rows(zero), field=f.name)


# --- NAT00010 / NAT00010A ------------------------------------------------------------------------------------


@rule(
    "V-010-01",
    severity=E,
    title="Training organisation identifier is not blank",
    message="Training organisation identifier must not be blank",
    source=f"{_CAT} §2 NAT00010 (ESK-ERR, CSDB)",
    family="field",
    files=("NAT00010", "NAT00010A"),
    fields=("training_organisation_id",),
    avs_number="3830",
)
def _v010_01(ctx: Context) -> Iterator[Hit]:
    for f in ("NAT00010", "NAT00010A"):
        yield from _missing(ctx, f, ("training_organisation_id",))


@rule(
    "V-010-02",
    severity=E,
    title="Only one record per training organisation identifier",
    message="More than one record for this training organisation identifier",
    source=f"{_CAT} §2 NAT00010 (ESK-ERR; lenient for a preliminary run: warning when interim)",
    family="field",
    files=("NAT00010", "NAT00010A"),
    fields=("training_organisation_id",),
    avs_number="3801",
)
def _v010_02(ctx: Context) -> Iterator[Hit]:
    for f in ("NAT00010", "NAT00010A"):
        for hit in _duplicated(ctx, f, ["training_organisation_id"], "training_organisation_id"):
            yield Hit(file_id=hit.file_id, rows=hit.rows, field=hit.field, severity=W if ctx.interim else None)


@rule(
    "V-010-03",
    severity=E,
    title="Training organisation postcode (NAT00010A) is a real 4-digit postcode",
    message="Postcode must be a 4-digit Australian postcode (not blank, OSPC or @@@@)",
    source=f"{_CAT} §2 NAT00010 (CSDB); {_CODES} §14. Matching the NCVER postcode file is not checked.",
    family="field",
    files=("NAT00010A",),
    fields=("postcode",),
)
def _v010_03(ctx: Context) -> Iterator[Hit]:
    s = _col(ctx, "NAT00010A", "postcode")
    if s is None:
        return
    bad = ~s.astype("string").str.fullmatch(r"\d{4}").fillna(False) | (s == "0000").fillna(False)
    if bad.any():
        yield Hit(file_id="NAT00010A", rows=_rows(bad), field="postcode")


# --- NAT00020 ------------------------------------------------------------------------------------------------


@rule(
    "V-020-01",
    severity=E,
    title="Training organisation + delivery location identifier is unique",
    message="Duplicate delivery location for this training organisation",
    source=f"{_CAT} §2 NAT00020 (TEAMS NAT00020)",
    family="field",
    files=("NAT00020",),
    fields=("training_organisation_id", "delivery_location_id"),
    avs_number="3802",
)
def _v020_01(ctx: Context) -> Iterator[Hit]:
    yield from _duplicated(
        ctx, "NAT00020", ["training_organisation_id", "delivery_location_id"], "delivery_location_id"
    )


@rule(
    "V-020-02",
    severity=E,
    title="Delivery location identifier and name are not blank",
    message="Mandatory field",
    source=f"{_CAT} §2 NAT00020 (TEAMS NAT00020)",
    family="field",
    files=("NAT00020",),
    fields=("delivery_location_id", "delivery_location_name"),
    avs_number="3830",
)
def _v020_02(ctx: Context) -> Iterator[Hit]:
    yield from _missing(ctx, "NAT00020", ("training_organisation_id", "delivery_location_id", "delivery_location_name"))


not_implemented(
    "V-020-03",
    severity=E,
    title="Delivery location postcode + suburb is a valid combination in the NCVER/Australia Post postcode list",
    source=f"{_CAT} §2 NAT00020 (STX)",
    family="field",
    files=("NAT00020",),
    reason="Needs NCVER's postcode/locality system file, which is not shipped; formats are checked by V-020-04/05.",
)


@rule(
    "V-020-04",
    severity=E,
    title="Delivery location postcode is 4 digits or OSPC",
    message="Postcode must be a 4-digit postcode or OSPC (overseas); @@@@ and blank are not allowed",
    source=f"{_LAYOUTS} §4 NAT00020; {_CODES} §14",
    family="field",
    files=("NAT00020",),
    fields=("postcode",),
)
def _v020_04(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, "NAT00020", "postcode", ["OSPC"], required=True, pattern=r"\d{4}")


@rule(
    "V-020-05",
    severity=E,
    title="Delivery location state and country identifiers are valid; OSPC locations have state 09 or 99",
    message="Invalid state or country for the delivery location",
    source=f"{_LAYOUTS} §4 NAT00020; {_CODES} §9, §14",
    family="field",
    files=("NAT00020",),
    fields=("state_id", "country_id"),
)
def _v020_05(ctx: Context) -> Iterator[Hit]:
    states = code_lists.codes("state") - {"@@"}
    yield from _not_in(ctx, "NAT00020", "state_id", states, required=True)
    yield from _not_in(ctx, "NAT00020", "country_id", [], required=True, pattern=r"\d{4}")
    pc, st = _col(ctx, "NAT00020", "postcode"), _col(ctx, "NAT00020", "state_id")
    if pc is not None and st is not None:
        bad = (pc == "OSPC").fillna(False) & ~st.isin(["09", "99"]).fillna(False) & _present(st)
        if bad.any():
            yield Hit(file_id="NAT00020", rows=_rows(bad), field="state_id", details="OSPC needs state 09 or 99")


# --- NAT00030 / NAT00030A ------------------------------------------------------------------------------------

not_implemented(
    "V-030-01",
    severity=E,
    title="Program identifier is a valid training.gov.au code for nationally recognised programs",
    source=f"{_CAT} §2 NAT00030 (VTE 4726)",
    family="field",
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
    source=f"{_CAT} §2 NAT00030; {_LAYOUTS} §6.7. Unverified: warning (ValidationOptions.unverified_severity)",
    family="field",
    files=_PROGRAM_FILES,
    fields=("program_id",),
)
def _v030_02(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        s = _col(ctx, f, "program_id")
        if s is not None:
            bad = (s.astype("string") != s.astype("string").str.upper()).fillna(False)
            if bad.any():
                yield Hit(file_id=f, rows=_rows(bad), field="program_id", severity=ctx.options.unverified_severity)


@rule(
    "V-030-03",
    severity=E,
    title="NAT00030A recognition, level of education, field of education, ANZSCO and VET flag are valid codes",
    message="Invalid program code",
    source=f"{_CAT} §2 NAT00030; {_CODES} §7, §12. FoE/ANZSCO: format only (no ASCED/ANZSCO file)",
    family="field",
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
    yield from _not_in(ctx, f, "program_recognition_id", code_lists.codes("program_recognition"), required=True)
    yield from _not_in(ctx, f, "program_level_of_education_id", code_lists.codes("program_level_of_education"))
    yield from _not_in(ctx, f, "program_field_of_education_id", [], pattern=r"\d{4}")
    yield from _not_in(ctx, f, "anzsco_id", ["@@@@@@"], pattern=r"[0-9A-Z]{6}")
    yield from _not_in(ctx, f, "vet_flag", code_lists.codes("yes_no"), required=True)


@rule(
    "V-030-04",
    severity=E,
    title="Program nominal hours are present and 0000-9999",
    message="Nominal hours must be a number 0000-9999",
    source=f"{_CAT} §2 NAT00030 (ISH comments); {_CODES} §12",
    family="field",
    files=_PROGRAM_FILES,
    fields=("nominal_hours",),
)
def _v030_04(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        yield from _missing(ctx, f, ("nominal_hours",))
        s = _col(ctx, f, "nominal_hours")
        if s is not None and pd.api.types.is_numeric_dtype(s.dtype):
            bad = ((s < 0) | (s > 9999)).fillna(False)
            if bad.any():
                yield Hit(file_id=f, rows=_rows(bad), field="nominal_hours")


@rule(
    "V-030-05",
    severity=E,
    title="Program identifier and name are not blank",
    message="Mandatory field",
    source=f"{_LAYOUTS} §6 (program identifier rules); layout required flags",
    family="field",
    files=_PROGRAM_FILES,
    fields=("program_id", "program_name"),
)
def _v030_05(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        yield from _missing(ctx, f, ("program_id", "program_name"))


@rule(
    "V-030-06",
    severity=E,
    title="Each program record is unique on its program identifier",
    message="Duplicate program identifier",
    source=f"{_LAYOUTS} §6 Program identifier rule 1 (D22)",
    family="field",
    files=_PROGRAM_FILES,
    fields=("program_id",),
)
def _v030_06(ctx: Context) -> Iterator[Hit]:
    for f in _PROGRAM_FILES:
        yield from _duplicated(ctx, f, ["program_id"], "program_id")


# --- NAT00060 ------------------------------------------------------------------------------------------------


@rule(
    "V-060-01",
    severity=E,
    title="Subject identifier is present and unique within NAT00060",
    message="Subject identifier blank or duplicated",
    source=f"{_CAT} §2 NAT00060 (Social Planet SVTS article); {_LAYOUTS} §6 Subject identifier rule 1",
    family="field",
    files=("NAT00060",),
    fields=("subject_id", "subject_name"),
)
def _v060_01(ctx: Context) -> Iterator[Hit]:
    yield from _missing(ctx, "NAT00060", ("subject_id", "subject_name"))
    yield from _duplicated(ctx, "NAT00060", ["subject_id"], "subject_id")


not_implemented(
    "V-060-02",
    severity=E,
    title="A TGA unit/accredited module subject matches the National Register (identifier and name)",
    source=f"{_CAT} §2 NAT00060 (RTO Teams field guide)",
    family="field",
    files=("NAT00060",),
    reason="Needs the training.gov.au (TGA) unit list, which is not shipped.",
)


@rule(
    "V-060-03",
    severity=E,
    title="Subject field of education is a 6-digit ASCED code; VET flag is Y or N",
    message="Invalid subject code",
    source=f"{_CAT} §2 NAT00060; {_CODES} §7, §12 (format only: no ASCED file)",
    family="field",
    files=("NAT00060",),
    fields=("subject_field_of_education_id", "vet_flag"),
)
def _v060_03(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, "NAT00060", "subject_field_of_education_id", [], pattern=r"\d{6}")
    yield from _not_in(ctx, "NAT00060", "vet_flag", code_lists.codes("yes_no"), required=True)


# --- NAT00080 / NAT00085 -------------------------------------------------------------------------------------


@rule(
    "V-080-01",
    severity=E,
    title="Client identifier is present, has no spaces and is unique in NAT00080",
    message="Client identifier blank, containing spaces or duplicated",
    source=f"{_CAT} §2 NAT00080 (avetmissoftware); {_LAYOUTS} §6 (no spaces, D22)",
    family="field",
    files=("NAT00080",),
    fields=("client_id",),
)
def _v080_01(ctx: Context) -> Iterator[Hit]:
    yield from _missing(ctx, "NAT00080", ("client_id",))
    s = _col(ctx, "NAT00080", "client_id")
    if s is not None:
        spaces = s.astype("string").str.contains(" ", regex=False).fillna(False)
        if spaces.any():
            yield Hit(file_id="NAT00080", rows=_rows(spaces), field="client_id", details="contains a space")
    yield from _duplicated(ctx, "NAT00080", ["client_id"], "client_id")


@rule(
    "V-080-02",
    severity=E,
    title="USI is 10 upper-case letters/digits, or INTOFF (with OSPC, state 99, funding 32) or INDIV",
    message="Invalid unique student identifier",
    source=f"{_CAT} §2 NAT00080 (VSEC, VT19, ISH); {_CODES} §9. Registrar verification is not possible offline",
    family="field",
    files=("NAT00080", "NAT00120"),
    fields=("usi", "postcode", "state_id", "funding_source_national"),
)
def _v080_02(ctx: Context) -> Iterator[Hit]:
    usi = _col(ctx, "NAT00080", "usi")
    if usi is None:
        return
    text = usi.astype("string")
    special = text.isin(["INTOFF", "INDIV"]).fillna(False)
    pattern = r"[A-HJ-NP-Z0-9]{10}" if ctx.options.usi_strict_alphabet else r"[A-Z0-9]{10}"
    bad = _present(usi) & ~special & ~text.str.fullmatch(pattern).fillna(False)
    if bad.any():
        yield Hit(file_id="NAT00080", rows=_rows(bad), field="usi")
    intoff = (text == "INTOFF").fillna(False)
    if intoff.any():
        for field, need in (("postcode", "OSPC"), ("state_id", "99")):
            s = _col(ctx, "NAT00080", field)
            if s is not None:
                wrong = intoff & (s != need).fillna(True)
                if wrong.any():
                    yield Hit(file_id="NAT00080", rows=_rows(wrong), field=field, details=f"INTOFF needs {need}")
    yield from _intoff_funding(ctx)


def _intoff_funding(ctx: Context) -> Iterator[Hit]:
    """NAT00120 activity of an INTOFF (offshore international) client is funded 32 (VSEC)."""
    keys = ctx.keys("NAT00080", ("client_id", "usi"))
    funding = _col(ctx, _A, "funding_source_national")
    clients = _col(ctx, _A, "client_id")
    if keys is None or funding is None or clients is None:
        return
    intoff = [k[0] for k in keys if k[1] == "INTOFF"]
    if not intoff:
        return
    bad = clients.isin(intoff).fillna(False) & (funding != "32").fillna(True)
    if bad.any():
        yield Hit(file_id=_A, rows=_rows(bad), field="funding_source_national", details="INTOFF client needs 32")


@rule(
    "V-080-03",
    severity=E,
    title="USI is not blank",
    message="Mandatory field USI must not be blank",
    source=f"{_CAT} §2 NAT00080 (STX)",
    family="field",
    files=("NAT00080",),
    fields=("usi",),
)
def _v080_03(ctx: Context) -> Iterator[Hit]:
    yield from _missing(ctx, "NAT00080", ("usi",))


@rule(
    "V-080-04",
    severity=E,
    title="Name for encryption is 'Family, Given' with a family name",
    message="Name for encryption must be 'Family name, Given name(s)' with the family name not blank",
    source=f"{_CAT} §2 NAT00080 (RS; STX); {_CODES} §9",
    family="field",
    files=("NAT00080",),
    fields=("name_for_encryption",),
)
def _v080_04(ctx: Context) -> Iterator[Hit]:
    s = _col(ctx, "NAT00080", "name_for_encryption")
    if s is None:
        return
    ok = s.astype("string").str.match(r"\s*[^,\s][^,]*,").fillna(False)
    bad = ~ok
    if bad.any():
        yield Hit(file_id="NAT00080", rows=_rows(bad), field="name_for_encryption")


@rule(
    "V-080-05",
    severity=E,
    title="Client postcode is 4 digits, OSPC or @@@@ (0000 configurable, default warning)",
    message="Invalid postcode",
    source=f"{_CAT} §2 NAT00080 (CLA, STX, ISH; D22 for 0000); {_CODES} §14. Postcode file match not checked",
    family="field",
    files=("NAT00080", "NAT00085"),
    fields=("postcode",),
)
def _v080_05(ctx: Context) -> Iterator[Hit]:
    for f in ("NAT00080", "NAT00085"):
        s = _col(ctx, f, "postcode")
        if s is None:
            continue
        text = s.astype("string")
        zeros = (text == "0000").fillna(False)
        ok = text.str.fullmatch(r"\d{4}").fillna(False) | text.isin(["OSPC", "@@@@"]).fillna(False)
        bad = (~ok & ~zeros) | _blank(s)
        if bad.any():
            yield Hit(file_id=f, rows=_rows(bad), field="postcode")
        sev = ctx.options.postcode_0000_severity
        if sev is not None and zeros.any():
            yield Hit(file_id=f, rows=_rows(zeros), field="postcode", severity=sev, details="0000 (sources disagree)")


@rule(
    "V-080-06",
    severity=W,
    title="Survey contact status O (overseas) is not reported with postcode @@@@ (unverified)",
    message="Survey contact status 'O' is inconsistent with postcode @@@@",
    source=f"{_CAT} §2 NAT00080 (STX); E or W unverified: warning",
    family="field",
    files=("NAT00080",),
    fields=("survey_contact_status", "postcode"),
)
def _v080_06(ctx: Context) -> Iterator[Hit]:
    scs, pc = _col(ctx, "NAT00080", "survey_contact_status"), _col(ctx, "NAT00080", "postcode")
    if scs is not None and pc is not None:
        bad = (scs == "O").fillna(False) & (pc == "@@@@").fillna(False)
        if bad.any():
            yield Hit(
                file_id="NAT00080",
                rows=_rows(bad),
                field="survey_contact_status",
                severity=ctx.options.unverified_severity,
            )


@rule(
    "V-080-07",
    severity=E,
    title="Gender is M, F, X or @",
    message="Gender must be M, F, X or @",
    source=f"{_CAT} §2 NAT00080 (VT19); {_CODES} §9",
    family="field",
    files=("NAT00080",),
    fields=("gender",),
)
def _v080_07(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, "NAT00080", "gender", code_lists.codes("gender", ("valid", "not_stated")), required=True)


@rule(
    "V-080-08",
    severity=W,
    title="Age from date of birth is plausible (bounds unverified)",
    message="Implausible age at the end of the collection period",
    source=f"{_CAT} §2 NAT00080 (ISH blanks DOB outside 6-94; AVS bounds unverified: warning)",
    family="field",
    files=("NAT00080",),
    fields=("date_of_birth",),
)
def _v080_08(ctx: Context) -> Iterator[Hit]:
    ref = _reference_date(ctx)
    dob = _col(ctx, "NAT00080", "date_of_birth")
    if ref is None or dob is None:
        return
    text = dob.astype("string")
    parsed = pd.to_datetime(text.where(text.str.fullmatch(r"\d{8}").fillna(False)), format="%d%m%Y", errors="coerce")
    years = parsed.dt.year
    before_birthday = (parsed.dt.month * 100 + parsed.dt.day) > (ref.month * 100 + ref.day)
    age = ref.year - years - before_birthday.astype("Int64")
    bad = ((age < ctx.options.min_age) | (age > ctx.options.max_age)).fillna(False)
    if bad.any():
        yield Hit(
            file_id="NAT00080",
            rows=_rows(bad),
            field="date_of_birth",
            severity=ctx.options.unverified_severity,
            details=f"outside {ctx.options.min_age}-{ctx.options.max_age} years",
        )


_CLIENT_CODES: tuple[tuple[str, str | None, str | None, tuple[str, ...]], ...] = (
    # field, code list, pattern, extra allowed values
    ("highest_school_level_completed_id", "highest_school_level", None, ()),
    ("indigenous_status_id", "indigenous_status", None, ()),
    ("language_id", None, r"\d{4}", ("@@@@",)),
    ("labour_force_status_id", "labour_force_status", None, ()),
    ("country_id", None, r"\d{4}", ("@@@@",)),
    ("disability_flag", "flag_yn_stated", None, ()),
    ("prior_educational_achievement_flag", "flag_yn_stated", None, ()),
    ("at_school_flag", "flag_yn_stated", None, ()),
    ("state_id", "state", None, ()),
    ("survey_contact_status", "survey_contact_status", None, ()),
)


@rule(
    "V-080-09",
    severity=E,
    title="Client coded fields hold permitted codes",
    message="Not a permitted code",
    source=f"{_CAT} §2 NAT00080; {_CODES} §9 (language/country: 4-digit format only, no ASCL/SACC file)",
    family="field",
    files=("NAT00080",),
    fields=tuple(f for f, *_ in _CLIENT_CODES),
)
def _v080_09(ctx: Context) -> Iterator[Hit]:
    for field, list_name, pattern, extra in _CLIENT_CODES:
        allowed = set(extra)
        if list_name is not None:
            allowed |= code_lists.codes(list_name, ("valid", "not_stated"))
        for hit in _not_in(ctx, "NAT00080", field, allowed, required=True, pattern=pattern):
            yield Hit(file_id=hit.file_id, rows=hit.rows, field=hit.field)


@rule(
    "V-085-01",
    severity=W,
    title="NAT00085 family name agrees with the family name in NAT00080 name for encryption",
    message="Client family name differs from the family name in NAT00080 name for encryption",
    source=(
        f"{_CAT} §2 NAT00085 (TEAMS NAT00085: consistent client id/name/address). Existence of the client is X-07. "
        "Comparing with the family part of 'Family, Given' is this library's reading: warning"
    ),
    family="field",
    files=("NAT00085", "NAT00080"),
    fields=("client_family_name",),
)
def _v085_01(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame("NAT00085")
    keys = ctx.keys("NAT00080", ("client_id", "name_for_encryption"))
    if df is None or keys is None or not len(df) or not {"client_id", "client_family_name"} <= set(df.columns):
        return
    ref = pd.DataFrame(list(keys), columns=["client_id", "name"], dtype=object)
    family = ref["name"].astype("string").str.split(",", n=1).str[0].str.strip().str.upper()
    lookup = pd.Series(family.to_numpy(), index=ref["client_id"].astype(object)).groupby(level=0).first()
    expected = df["client_id"].astype(object).map(lookup)
    got = df["client_family_name"].astype("string").str.strip().str.upper()
    bad = pd.Series(
        expected.notna().to_numpy() & (got.fillna("").to_numpy() != expected.fillna("").astype(str).to_numpy()),
        index=df.index,
    )
    if bad.any():
        yield Hit(
            file_id="NAT00085", rows=_rows(bad), field="client_family_name", severity=ctx.options.unverified_severity
        )


@rule(
    "V-085-02",
    severity=W,
    title="A contact method (phone, mobile or email) is given (jurisdiction-dependent, unverified)",
    message="No telephone, mobile or email for this client",
    source=f"{_CAT} §2 NAT00085 (TEAMS NAT00085); E or W unverified: warning",
    family="field",
    files=("NAT00085",),
    fields=("telephone_home", "telephone_work", "telephone_mobile", "email_address"),
)
def _v085_02(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame("NAT00085")
    fields = ["telephone_home", "telephone_work", "telephone_mobile", "email_address", "email_address_alternative"]
    if df is None or not len(df):
        return
    have = [f for f in fields if f in df.columns]
    none = pd.Series(True, index=df.index)
    for f in have:
        none &= _blank(df[f])
    if none.any():
        yield Hit(
            file_id="NAT00085", rows=_rows(none), field="telephone_home", severity=ctx.options.unverified_severity
        )


# --- NAT00090 / NAT00100 -------------------------------------------------------------------------------------


def _flag_not_y(ctx: Context, file_id: str, flag: str) -> pd.Series | None:
    """Rows of ``file_id`` whose client exists in NAT00080 with ``flag`` other than Y."""
    df = ctx.frame(file_id)
    keys = ctx.keys("NAT00080", ("client_id", flag))
    if df is None or keys is None or not len(df) or "client_id" not in df.columns:
        return None
    not_y = {k[0] for k in keys if k[1] != "Y"}
    is_y = {k[0] for k in keys if k[1] == "Y"}
    ids = df["client_id"].astype(object)
    return pd.Series(ids.isin(list(not_y - is_y)).to_numpy(), index=df.index)


@rule(
    "V-090-01",
    severity=W,
    title="A NAT00090 record belongs to a client whose disability flag is Y (unverified)",
    message="Disability record for a client whose NAT00080 disability flag is not Y",
    source=f"{_CAT} §2 NAT00090 (inferred by symmetry with V-100-02; E unverified: warning). Reverse: X-08",
    family="field",
    files=("NAT00090", "NAT00080"),
    fields=("client_id",),
)
def _v090_01(ctx: Context) -> Iterator[Hit]:
    bad = _flag_not_y(ctx, "NAT00090", "disability_flag")
    if bad is not None and bad.any():
        yield Hit(file_id="NAT00090", rows=_rows(bad), field="client_id", severity=ctx.options.unverified_severity)


@rule(
    "V-090-02",
    severity=E,
    title="Disability type identifier is a permitted code",
    message="Disability type must be 11-19 or 99",
    source=f"{_CODES} §10 (BDT, CLA)",
    family="field",
    files=("NAT00090",),
    fields=("disability_type_id",),
)
def _v090_02(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, "NAT00090", "disability_type_id", code_lists.codes("disability_type"), required=True)
    yield from _missing(ctx, "NAT00090", ("client_id",))


@rule(
    "V-100-01",
    severity=E,
    title="Prior educational achievement identifier is a permitted code and not blank",
    message="Invalid prior educational achievement identifier",
    source=f"{_CAT} §2 NAT00100 (TEAMS NAT00100); {_CODES} §11",
    family="field",
    files=("NAT00100",),
    fields=("prior_educational_achievement_id",),
    avs_number="3701",
)
def _v100_01(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(
        ctx,
        "NAT00100",
        "prior_educational_achievement_id",
        code_lists.codes("prior_educational_achievement"),
        required=True,
    )
    yield from _missing(ctx, "NAT00100", ("client_id",))


@rule(
    "V-100-02",
    severity=E,
    title="A NAT00100 record belongs to a client whose prior educational achievement flag is Y",
    message="Prior education record for a client whose NAT00080 prior educational achievement flag is not Y",
    source=f"{_CAT} §2 NAT00100 (TEAMS NAT00100; AVS number quoted as '400', possibly truncated). Reverse: X-08",
    family="field",
    files=("NAT00100", "NAT00080"),
    fields=("client_id",),
    avs_number="400",
)
def _v100_02(ctx: Context) -> Iterator[Hit]:
    bad = _flag_not_y(ctx, "NAT00100", "prior_educational_achievement_flag")
    if bad is not None and bad.any():
        yield Hit(file_id="NAT00100", rows=_rows(bad), field="client_id")


# --- NAT00120 field level ------------------------------------------------------------------------------------

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
    source=f"{_CAT} §2 NAT00120 (STX quoting AVS)",
    family="field",
    files=(_A,),
    fields=_MANDATORY_120,
)
def _v120_f1(ctx: Context) -> Iterator[Hit]:
    for hit in _missing(ctx, _A, _MANDATORY_120):
        yield Hit(file_id=hit.file_id, rows=hit.rows, field=hit.field)


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
        f"{_CAT} §2 NAT00120 V-120-F2 (NCVER-TIPS; ISH: blank program ⇒ commencing program identifier 8, E); "
        f"{_LAYOUTS} §6 Program identifier rule 5 (D22). The unverified rest of V-120-16 stays there"
    ),
    family="field",
    files=(_A,),
    fields=("program_id", "commencing_program_id", "training_contract_id", "client_id_apprenticeships"),
)
def _v120_f2(ctx: Context) -> Iterator[Hit]:
    prog = _col(ctx, _A, "program_id")
    if prog is None:
        return
    cpi = _col(ctx, _A, "commencing_program_id")
    if cpi is not None:
        bad = _blank(prog) & cpi.astype("string").isin(["3", "4"]).fillna(False)
        if bad.any():
            yield Hit(file_id=_A, rows=_rows(bad), field="commencing_program_id", details="expected 8")
    for field in ("training_contract_id", "client_id_apprenticeships"):
        s = _col(ctx, _A, field)
        if s is not None:
            bad = _blank(prog) & _present(s) & (s.astype("string").str.fullmatch("@+") != True)  # noqa: E712
            if bad.any():
                yield Hit(file_id=_A, rows=_rows(bad), field=field)


@rule(
    "V-120-F3",
    severity=E,
    title="Funding source national is a national code (11, 13, 15, 20, 31, 32, 80; 30 configurable)",
    message="Invalid funding source (national); state codes belong in funding source - state training authority",
    source=f"{_CAT} §2 NAT00120 (VSEC, VT19); {_CODES} §4 (30: 7.0 value, 8.0 status unverified)",
    family="field",
    files=(_A,),
    fields=("funding_source_national",),
)
def _v120_f3(ctx: Context) -> Iterator[Hit]:
    allowed = set(code_lists.codes("funding_source_national"))
    if ctx.options.funding_30_allowed:
        allowed.add("30")
    yield from _not_in(ctx, _A, "funding_source_national", allowed)
    s = _col(ctx, _A, "funding_source_national")
    sev = ctx.options.funding_30_severity
    if s is not None and ctx.options.funding_30_allowed and sev is not None:
        thirty = (s == "30").fillna(False)
        if thirty.any():
            yield Hit(
                file_id=_A,
                rows=_rows(thirty),
                field="funding_source_national",
                severity=sev,
                details="30 is a 7.0 value (8.0 status unverified; 31/32 replace it)",
            )


@rule(
    "V-120-F4",
    severity=E,
    title="A specific funding identifier requires funding source national 13",
    message="A Specific Funding Identifier has been entered, therefore Funding Source - National should be 13 "
    "or the Specific Funding Identifier should be deleted",
    source=f"{_CAT} §2 NAT00120 (STX)",
    family="field",
    files=(_A,),
    fields=("specific_funding_id", "funding_source_national"),
)
def _v120_f4(ctx: Context) -> Iterator[Hit]:
    sf, fs = _col(ctx, _A, "specific_funding_id"), _col(ctx, _A, "funding_source_national")
    if sf is not None and fs is not None:
        bad = _present(sf) & _present(fs) & (fs != "13").fillna(False)
        if bad.any():
            yield Hit(file_id=_A, rows=_rows(bad), field="funding_source_national")


@rule(
    "V-120-F5",
    severity=E,
    title="School type is given for VET in Schools activity and is a permitted code",
    message="School type identifier",
    source=f"{_CAT} §2 NAT00120 (STX: aXcelerate 'School Type is required for VET in Schools'); {_CODES} §8",
    family="field",
    files=(_A,),
    fields=("school_type_id", "vet_in_schools_flag"),
)
def _v120_f5(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, _A, "school_type_id", code_lists.codes("school_type"))
    st_, vis = _col(ctx, _A, "school_type_id"), _col(ctx, _A, "vet_in_schools_flag")
    if st_ is not None and vis is not None:
        bad = (vis == "Y").fillna(False) & _blank(st_)
        if bad.any():
            yield Hit(file_id=_A, rows=_rows(bad), field="school_type_id", details="required when VET in schools is Y")


@rule(
    "V-120-F6",
    severity=E,
    title="Study reason 13 is not used for 2018 data",
    message="Study reason 13 was added in 2019 and is not valid for 2018 activity",
    source=f"{_CAT} §2 NAT00120 (VT19); {_CODES} §6",
    family="field",
    files=(_A,),
    fields=("study_reason_id",),
)
def _v120_f6(ctx: Context) -> Iterator[Hit]:
    sr = _col(ctx, _A, "study_reason_id")
    if sr is None:
        return
    thirteen = (sr == "13").fillna(False)
    if ctx.period is not None:
        old = pd.Series(ctx.period.end.year <= 2018, index=sr.index)
    else:
        start = _col(ctx, _A, "activity_start_date")
        if start is None:
            return
        old = (start.dt.year <= 2018).fillna(False)
    bad = thirteen & old
    if bad.any():
        yield Hit(file_id=_A, rows=_rows(bad), field="study_reason_id")


@rule(
    "V-120-F7",
    severity=E,
    title="Delivery mode identifier is three Y/N positions; predominant delivery mode is I, E, W or N",
    message="Invalid delivery mode",
    source=f"{_CAT} §2 NAT00120; {_CODES} §2-3",
    family="field",
    files=(_A,),
    fields=("delivery_mode_id", "predominant_delivery_mode"),
)
def _v120_f7(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, _A, "delivery_mode_id", code_lists.codes("delivery_mode"))
    yield from _not_in(ctx, _A, "predominant_delivery_mode", code_lists.codes("predominant_delivery_mode"))


@rule(
    "V-120-F8",
    severity=E,
    title="Study reason is a permitted code",
    message="Invalid study reason identifier",
    source=f"{_CODES} §6",
    family="field",
    files=(_A,),
    fields=("study_reason_id",),
)
def _v120_f8(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, _A, "study_reason_id", code_lists.codes("study_reason", ("valid", "not_stated")))


@rule(
    "V-120-F9",
    severity=E,
    title="VET in schools flag is Y or N",
    message="VET in schools flag must be Y or N",
    source=f"{_CODES} §7; layout: mandatory",
    family="field",
    files=(_A,),
    fields=("vet_in_schools_flag",),
)
def _v120_f9(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, _A, "vet_in_schools_flag", code_lists.codes("yes_no"), required=True)


@rule(
    "V-120-F10",
    severity=E,
    title="Commencing program identifier is 3, 4 or 8",
    message="Commencing program identifier must be 3, 4 or 8",
    source=f"{_CODES} §5 (consistency with the program: V-120-16)",
    family="field",
    files=(_A,),
    fields=("commencing_program_id",),
)
def _v120_f10(ctx: Context) -> Iterator[Hit]:
    yield from _not_in(ctx, _A, "commencing_program_id", code_lists.codes("commencing_program"))


@rule(
    "V-120-F11",
    severity=E,
    title="Outcome identifier - national is an 8.0 national code (53/54 configurable; 90 retired; 65 QLD only)",
    message="Outcome identifier - national",
    source=f"{_CODES} §1 (53/54: sources disagree, warning by default)",
    family="field",
    files=(_A,),
    fields=("outcome_national",),
)
def _v120_f11(ctx: Context) -> Iterator[Hit]:
    s = _col(ctx, _A, "outcome_national")
    if s is None:
        return
    allowed = set(code_lists.codes("outcome_national")) | {"53", "54"} | set(ctx.profile.state_outcomes)
    if ctx.options.allow_outcome_90:
        allowed.add("90")
    for hit in _not_in(ctx, _A, "outcome_national", allowed):
        yield Hit(file_id=_A, rows=hit.rows, field=hit.field, details="not a national outcome code")
    sev = ctx.options.outcomes_53_54_severity
    rcc = s.isin(["53", "54"]).fillna(False)
    if sev is not None and rcc.any():
        yield Hit(
            file_id=_A,
            rows=_rows(rcc),
            field="outcome_national",
            severity=sev,
            details="53/54 (RCC): national status unverified",
        )


@rule(
    "V-130-01",
    severity=E,
    title="NAT00130 mandatory fields are present; issued flag is Y or N",
    message="Program completed record",
    source=f"Layout required flags (shared/spec/nat_layouts.csv); {_CODES} §7",
    family="field",
    files=("NAT00130",),
    fields=("training_organisation_id", "program_id", "client_id", "date_program_completed", "issued_flag"),
)
def _v130_01(ctx: Context) -> Iterator[Hit]:
    yield from _missing(
        ctx, "NAT00130", ("training_organisation_id", "program_id", "client_id", "date_program_completed")
    )
    yield from _not_in(ctx, "NAT00130", "issued_flag", code_lists.codes("yes_no"), required=True)
