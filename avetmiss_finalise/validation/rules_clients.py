"""Field-level rules of NAT00080 client records (V-080-*): identifier, USI, name, postcode, codes, age.

The files that add to a client (NAT00085, NAT00090, NAT00100) are checked in ``rules_client_details``.
Conventions shared by the field-level rules are in :mod:`avetmiss_finalise.validation._fieldcheck`.
"""

from __future__ import annotations

from collections.abc import Iterator

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import codes as code_lists
from avetmiss_finalise.validation._fieldcheck import (
    ACT,
    CAT,
    CODES,
    LAYOUTS,
    column,
    duplicated,
    hits,
    is_blank,
    is_present,
    missing,
    not_in,
    reference_date,
    restated,
    text_dates,
)
from avetmiss_finalise.validation.keysets import key_rows
from avetmiss_finalise.validation.registry import Context, Hit, rule

E, W = Severity.ERROR, Severity.WARNING


@rule(
    "V-080-01",
    severity=E,
    title="Client identifier is present, has no spaces and is unique in NAT00080",
    message="Client identifier blank, containing spaces or duplicated",
    source=f"{CAT} §2 NAT00080 (avetmissoftware); {LAYOUTS} §6 (no spaces, D22)",
    family="field",
    fix=(
        "Give every learner one client identifier without spaces and report each learner once: merge duplicate "
        "student records in the SMS; never change an identifier once reported."
    ),
    files=("NAT00080",),
    fields=("client_id",),
)
def _v080_01(ctx: Context) -> Iterator[Hit]:
    yield from missing(ctx, "NAT00080", ("client_id",))
    s = column(ctx, "NAT00080", "client_id")
    if s is not None:
        spaces = s.astype("string").str.contains(" ", regex=False).fillna(False)
        yield from hits("NAT00080", spaces, "client_id", details="contains a space")
    yield from duplicated(ctx, "NAT00080", ["client_id"], "client_id")


#: The USI Registry alphabet: upper-case letters without I and O, plus digits (code_lists.md §9, layouts.md §6, D22).
_USI_REGISTRY = r"[A-HJ-NP-Z0-9]{10}"
_OUTSIDE_ALPHABET = "I or O is outside the USI Registry alphabet (upper case without I/O, plus digits)"


@rule(
    "V-080-02",
    severity=E,
    title=(
        "USI is 10 upper-case letters/digits, or INTOFF (with OSPC, state 99, funding 32) or INDIV; "
        "I or O (outside the USI Registry alphabet) is a warning unless ValidationOptions.usi_strict_alphabet"
    ),
    message="Invalid unique student identifier",
    source=(
        f"{CAT} §2 NAT00080 (VSEC, VT19, ISH); {CODES} §9 and {LAYOUTS} §6 (Registry alphabet: upper case without "
        "I/O, plus digits; D22). Registrar verification is not possible offline"
    ),
    family="field",
    fix=(
        "Enter the learner's verified USI as its 10 upper-case characters; INTOFF only for offshore international "
        "learners (postcode OSPC, state 99, funding 32) and INDIV only for a granted individual exemption."
    ),
    files=("NAT00080", "NAT00120"),
    fields=("usi", "postcode", "state_id", "funding_source_national"),
)
def _v080_02(ctx: Context) -> Iterator[Hit]:
    usi = column(ctx, "NAT00080", "usi")
    if usi is None:
        return
    text = usi.astype("string")
    special = text.isin(["INTOFF", "INDIV"]).fillna(False)
    usi_like = is_present(usi) & ~special & text.str.fullmatch(r"[A-Z0-9]{10}").fillna(False)
    bad = is_present(usi) & ~special & ~usi_like
    yield from hits("NAT00080", bad, "usi")
    # Upper case and digits but with I or O: outside the Registry alphabet (D22), yet rejecting a USI that may be
    # valid is worse than accepting a doubtful one, so a warning unless the caller asks for the strict alphabet.
    outside = usi_like & ~text.str.fullmatch(_USI_REGISTRY).fillna(False)
    severity = None if ctx.options.usi_strict_alphabet else W
    yield from hits("NAT00080", outside, "usi", severity=severity, details=_OUTSIDE_ALPHABET)
    intoff = (text == "INTOFF").fillna(False)
    if intoff.any():
        for field, need in (("postcode", "OSPC"), ("state_id", "99")):
            s = column(ctx, "NAT00080", field)
            if s is not None:
                wrong = intoff & (s != need).fillna(True)
                yield from hits("NAT00080", wrong, field, details=f"INTOFF needs {need}")
    yield from _intoff_funding(ctx)


def _intoff_funding(ctx: Context) -> Iterator[Hit]:
    """NAT00120 activity of an INTOFF (offshore international) client is funded 32 (VSEC)."""
    funding = column(ctx, ACT, "funding_source_national")
    clients = column(ctx, ACT, "client_id")
    if funding is None or clients is None:
        return
    # Once per Context while NAT00080 is not replaced (Context.with_file keeps it): once per run in memory and on
    # Dask, once per partition (of that partition's clients) in the stream engine, which partitions NAT00080 too.
    intoff = ctx.built("intoff", "NAT00080", ("client_id", "usi"), lambda: _intoff_clients(ctx))
    if not intoff:
        return
    bad = clients.isin(intoff).fillna(False) & (funding != "32").fillna(True)
    yield from hits(ACT, bad, "funding_source_national", details="INTOFF client needs 32")


def _intoff_clients(ctx: Context) -> list[object] | None:
    """NAT00080's client ids with the USI INTOFF (``None``: no NAT00080), each once (a blank id is NA)."""
    pairs = key_rows(ctx, "NAT00080", ("client_id", "usi"))
    if pairs is None:
        return None
    intoff = (pairs["usi"] == "INTOFF").fillna(False).to_numpy(dtype=bool)
    return list(pairs["client_id"][intoff].drop_duplicates().astype(object))


@rule(
    "V-080-04",
    severity=E,
    title="Name for encryption is 'Family, Given' with a family name",
    message="Name for encryption must be 'Family name, Given name(s)' with the family name not blank",
    source=f"{CAT} §2 NAT00080 (RS; STX); {CODES} §9",
    family="field",
    fix=(
        "Enter the name as 'Family name, Given names' (family name, comma, space, given names); a learner with one "
        "name has it in the family-name position."
    ),
    files=("NAT00080",),
    fields=("name_for_encryption",),
)
def _v080_04(ctx: Context) -> Iterator[Hit]:
    s = column(ctx, "NAT00080", "name_for_encryption")
    if s is None:
        return
    ok = s.astype("string").str.match(r"\s*[^,\s][^,]*,").fillna(False)
    bad = ~ok
    yield from hits("NAT00080", bad, "name_for_encryption")


@rule(
    "V-080-05",
    severity=E,
    title="Client postcode is 4 digits, OSPC or @@@@ (0000 configurable, default warning)",
    message="Invalid postcode",
    source=f"{CAT} §2 NAT00080 (CLA, STX, ISH; D22 for 0000); {CODES} §14. Postcode file match: V-080-10 (--reference)",
    family="field",
    fix=(
        "Enter the learner's 4-digit residential postcode, OSPC for an overseas address or @@@@ when not stated; "
        "0000 is not a postcode."
    ),
    files=("NAT00080", "NAT00085"),
    fields=("postcode",),
)
def _v080_05(ctx: Context) -> Iterator[Hit]:
    for f in ("NAT00080", "NAT00085"):
        s = column(ctx, f, "postcode")
        if s is None:
            continue
        text = s.astype("string")
        zeros = (text == "0000").fillna(False)
        ok = text.str.fullmatch(r"\d{4}").fillna(False) | text.isin(["OSPC", "@@@@"]).fillna(False)
        bad = (~ok & ~zeros) | is_blank(s)
        yield from hits(f, bad, "postcode")
        sev = ctx.options.postcode_0000_severity
        if sev is not None:
            yield from hits(f, zeros, "postcode", severity=sev, details="0000 (sources disagree)")


@rule(
    "V-080-06",
    severity=W,
    title="Survey contact status O (overseas) is not reported with postcode @@@@ (unverified)",
    message="Survey contact status 'O' is inconsistent with postcode @@@@",
    source=f"{CAT} §2 NAT00080 (STX); E or W unverified: warning",
    family="field",
    fix=(
        "Use survey contact status O only for a learner with an overseas address (postcode OSPC); otherwise correct "
        "the address or choose the status that applies."
    ),
    files=("NAT00080",),
    fields=("survey_contact_status", "postcode"),
)
def _v080_06(ctx: Context) -> Iterator[Hit]:
    scs, pc = column(ctx, "NAT00080", "survey_contact_status"), column(ctx, "NAT00080", "postcode")
    if scs is not None and pc is not None:
        bad = (scs == "O").fillna(False) & (pc == "@@@@").fillna(False)
        yield from hits("NAT00080", bad, "survey_contact_status", severity=ctx.options.unverified_severity)


@rule(
    "V-080-07",
    severity=E,
    title="Gender is M, F, X or @",
    message="Gender must be M, F, X or @",
    source=f"{CAT} §2 NAT00080 (VT19); {CODES} §9",
    family="field",
    fix=(
        "Record gender as M, F, X or @ (not stated); other values (U, 'Male') come from an SMS field not mapped to "
        "AVETMISS codes."
    ),
    files=("NAT00080",),
    fields=("gender",),
)
def _v080_07(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, "NAT00080", "gender", code_lists.codes("gender", ("valid", "not_stated")), required=True)


@rule(
    "V-080-08",
    severity=W,
    title="Age from date of birth is plausible (bounds unverified)",
    message="Implausible age at the end of the collection period",
    source=f"{CAT} §2 NAT00080 (ISH blanks DOB outside 6-94; AVS bounds unverified: warning)",
    family="field",
    fix=(
        "Check the date of birth against the learner's evidence of identity: a mistyped year or a placeholder such "
        "as 01011900 is the usual cause."
    ),
    files=("NAT00080",),
    fields=("date_of_birth",),
    requires=("reference_date",),
)
def _v080_08(ctx: Context) -> Iterator[Hit]:
    ref = reference_date(ctx)
    parsed = text_dates(ctx, "NAT00080", "date_of_birth")
    if ref is None or parsed is None:
        return
    years = parsed.dt.year
    before_birthday = (parsed.dt.month * 100 + parsed.dt.day) > (ref.month * 100 + ref.day)
    age = ref.year - years - before_birthday.astype("Int64")
    bad = ((age < ctx.options.min_age) | (age > ctx.options.max_age)).fillna(False)
    details = f"outside {ctx.options.min_age}-{ctx.options.max_age} years"
    yield from hits("NAT00080", bad, "date_of_birth", severity=ctx.options.unverified_severity, details=details)


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
    source=f"{CAT} §2 NAT00080; {CODES} §9 (language/country: 4-digit format only, no ASCL/SACC file)",
    family="field",
    fix=(
        "Map the SMS value to the AVETMISS code list of the field named (docs/rules.md links the lists); @ / @@ / "
        "@@@@ when the learner did not state it."
    ),
    files=("NAT00080",),
    fields=tuple(f for f, *_ in _CLIENT_CODES),
)
def _v080_09(ctx: Context) -> Iterator[Hit]:
    for field, list_name, pattern, extra in _CLIENT_CODES:
        allowed = set(extra)
        if list_name is not None:
            allowed |= code_lists.codes(list_name, ("valid", "not_stated"))
        yield from restated(not_in(ctx, "NAT00080", field, allowed, required=True, pattern=pattern))
