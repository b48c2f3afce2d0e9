"""Field-level rules of the files that add to a NAT00080 client: contact details (NAT00085, V-085-*), disability
(NAT00090, V-090-*) and prior educational achievement (NAT00100, V-100-*).

Conventions shared by the field-level rules are in :mod:`avetmiss_finalise.validation._fieldcheck`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation import codes as code_lists
from avetmiss_finalise.validation._fieldcheck import (
    CAT,
    CODES,
    hits,
    is_blank,
    missing,
    not_in,
)
from avetmiss_finalise.validation.keysets import frame_index, key_rows, member
from avetmiss_finalise.validation.registry import Context, Hit, not_implemented, rule

E, W = Severity.ERROR, Severity.WARNING


@rule(
    "V-085-01",
    severity=W,
    title="NAT00085 family name agrees with the family name in NAT00080 name for encryption",
    message="Client family name differs from the family name in NAT00080 name for encryption",
    source=(
        f"{CAT} §2 NAT00085 (TEAMS NAT00085: consistent client id/name/address). Existence of the client is X-07. "
        "Comparing with the family part of 'Family, Given' is this library's reading: warning"
    ),
    family="field",
    fix=(
        "Make the family name in NAT00085 and the family name in NAT00080's name for encryption the same: correct "
        "the learner's name in the SMS and re-export both files."
    ),
    files=("NAT00085", "NAT00080"),
    fields=("client_family_name",),
)
def _v085_01(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame("NAT00085")
    ref = _names(ctx)
    if df is None or ref is None or not len(df) or not {"client_id", "client_family_name"} <= set(df.columns):
        return
    # The family part of "Family, Given", compared blank-trimmed and case-blind: pyarrow kernels over the columns
    # (a per-row Python split cost more than every other NAT00085 rule together).
    family = _upper_trimmed(pc.list_element(pc.split_pattern(_text(ref["name"]), ",", max_splits=1), 0))
    # A blank client id is a client like any other: it is looked up as a text no client id can be, since pandas
    # matched a missing key to a missing index entry or not depending on the other keys present.
    ids = ref["client_id"].astype("string").fillna(_BLANK_CLIENT)
    first = ~ids.duplicated().to_numpy()  # a client named twice: the first of its distinct names decides
    # Looked up by pyarrow's hash index (a pandas map over object arrays was most of this rule's time).
    at = pc.index_in(_text(df["client_id"]).fill_null(_BLANK_CLIENT), value_set=_text(ids[first]))
    expected = pc.take(family.filter(pa.array(first)), at)  # null: no such client, or no family part
    got = _upper_trimmed(_text(df["client_family_name"])).fill_null("")
    differs = pc.and_(pc.is_valid(expected), pc.not_equal(got, expected.fill_null("")))
    bad = pd.Series(np.asarray(differs.to_numpy(zero_copy_only=False), dtype=bool), index=df.index)
    yield from hits("NAT00085", bad, "client_family_name", severity=ctx.options.unverified_severity)


#: What a blank client id is looked up as (a unit separator cannot be in a NAT text field).
_BLANK_CLIENT = "\x1f"


def _names(ctx: Context) -> pd.DataFrame | None:
    """NAT00080's distinct (client_id, name) pairs: from the frame when it is here (no tuple set to build), else
    from the key set a partitioned run was given."""
    cols = ("client_id", "name_for_encryption")
    clients = ctx.frame("NAT00080")
    if ("NAT00080", cols) not in ctx.reference_keys and clients is not None and set(cols) <= set(clients.columns):
        distinct = clients[list(cols)].drop_duplicates()
        return pd.DataFrame({"client_id": distinct["client_id"].array, "name": distinct["name_for_encryption"].array})
    keys = ctx.keys("NAT00080", cols)
    return None if keys is None else pd.DataFrame(list(keys), columns=["client_id", "name"], dtype=object)


def _text(s: pd.Series) -> pa.Array | pa.ChunkedArray:
    """``s`` as a pyarrow string array (missing values null)."""
    return pa.array(s.astype("string[pyarrow]").array)


def _upper_trimmed(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Trimmed of surrounding whitespace and upper-cased, as ``str.strip().upper()`` does for ASCII text."""
    return pc.utf8_upper(pc.utf8_trim_whitespace(arr))


@rule(
    "V-085-02",
    severity=W,
    title="A contact method (phone, mobile or email) is given (jurisdiction-dependent, unverified)",
    message="No telephone, mobile or email for this client",
    source=f"{CAT} §2 NAT00085 (TEAMS NAT00085); E or W unverified: warning",
    family="field",
    fix="Record at least one home phone, work phone, mobile or email for the learner in the SMS.",
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
        none &= is_blank(df[f])
    yield from hits("NAT00085", none, "telephone_home", severity=ctx.options.unverified_severity)


def _flag_not_y(ctx: Context, file_id: str, flag: str) -> pd.Series | None:
    """Rows of ``file_id`` whose client exists in NAT00080 with ``flag`` other than Y (on no row of the client Y;
    a blank flag is not Y, and a blank client id is a client like any other)."""
    df = ctx.frame(file_id)
    pairs = key_rows(ctx, "NAT00080", ("client_id", flag))
    if df is None or pairs is None or not len(df) or "client_id" not in df.columns:
        return None
    clients = pairs["client_id"]
    known = clients.notna().to_numpy(dtype=bool)
    is_y = (pairs[flag] == "Y").fillna(False).to_numpy(dtype=bool)
    named = clients[known]
    not_y = named[~member(named, frame_index(pairs[known & is_y], ("client_id",)))]
    ids = df["client_id"]
    bad = member(ids, frame_index(not_y.to_frame(), ("client_id",)))
    if (~known).any() and not (is_y & ~known).any():
        bad |= ids.isna().to_numpy(dtype=bool)
    return pd.Series(bad, index=df.index)


@rule(
    "V-090-01",
    severity=W,
    title="A NAT00090 record belongs to a client whose disability flag is Y (unverified)",
    message="Disability record for a client whose NAT00080 disability flag is not Y",
    source=f"{CAT} §2 NAT00090 (inferred by symmetry with V-100-02; E unverified: warning). Reverse: X-08",
    family="field",
    fix="Set the learner's disability flag to Y, or delete the NAT00090 records if the learner declared no disability.",
    files=("NAT00090", "NAT00080"),
    fields=("client_id",),
)
def _v090_01(ctx: Context) -> Iterator[Hit]:
    bad = _flag_not_y(ctx, "NAT00090", "disability_flag")
    if bad is not None:
        yield from hits("NAT00090", bad, "client_id", severity=ctx.options.unverified_severity)


@rule(
    "V-090-02",
    severity=E,
    title="Disability type identifier is a permitted code",
    message="Disability type must be 11-19 or 99",
    source=f"{CODES} §10 (BDT, CLA)",
    family="field",
    fix="Map the disability type in the SMS to 11-19 or 99 (not specified).",
    files=("NAT00090",),
    fields=("disability_type_id",),
)
def _v090_02(ctx: Context) -> Iterator[Hit]:
    yield from not_in(ctx, "NAT00090", "disability_type_id", code_lists.codes("disability_type"), required=True)
    yield from missing(ctx, "NAT00090", ("client_id",))


@rule(
    "V-100-01",
    severity=E,
    title="Prior educational achievement identifier is a permitted code and not blank",
    message="Invalid prior educational achievement identifier",
    source=f"{CAT} §2 NAT00100 (TEAMS NAT00100); {CODES} §11",
    family="field",
    fix=(
        "Map the prior educational achievement in the SMS to 008, 410, 420, 511, 514, 521, 524 or 990; the "
        "identifier must not be blank."
    ),
    files=("NAT00100",),
    fields=("prior_educational_achievement_id",),
    avs_number="3701",
)
def _v100_01(ctx: Context) -> Iterator[Hit]:
    yield from not_in(
        ctx,
        "NAT00100",
        "prior_educational_achievement_id",
        code_lists.codes("prior_educational_achievement"),
        required=True,
    )
    yield from missing(ctx, "NAT00100", ("client_id",))


@rule(
    "V-100-02",
    severity=E,
    title="A NAT00100 record belongs to a client whose prior educational achievement flag is Y",
    message="Prior education record for a client whose NAT00080 prior educational achievement flag is not Y",
    source=f"{CAT} §2 NAT00100 (TEAMS NAT00100; AVS number quoted as '400', possibly truncated). Reverse: X-08",
    family="field",
    fix=(
        "Set the learner's prior educational achievement flag to Y, or delete the NAT00100 records if the learner "
        "declared none."
    ),
    files=("NAT00100", "NAT00080"),
    fields=("client_id",),
    avs_number="400",
)
def _v100_02(ctx: Context) -> Iterator[Hit]:
    bad = _flag_not_y(ctx, "NAT00100", "prior_educational_achievement_flag")
    if bad is not None:
        yield from hits("NAT00100", bad, "client_id")


def _overseas(postcode: pd.Series, state: pd.Series) -> pd.Series:
    """Overseas address (OSPC or state 99), NA where neither is stated."""
    known = postcode.notna() | state.notna()
    out = (postcode == "OSPC").fillna(False) | (state == "99").fillna(False)
    return out.astype("boolean").mask(~known.to_numpy(dtype=bool))


def _client_overseas(ctx: Context) -> pd.Series | None:
    """NAT00080 client id → overseas (bool), from the frame or the reference key set of a chunked run."""
    cols = ("client_id", "postcode", "state_id")
    df = ctx.frame("NAT00080")
    if df is None or not set(cols) <= set(df.columns):
        keys = ctx.keys("NAT00080", cols)
        if keys is None:
            return None
        df = pd.DataFrame(list(keys), columns=list(cols), dtype=object).astype("string")
    flag = _overseas(df["postcode"].astype("string"), df["state_id"].astype("string"))
    ids = df["client_id"].astype("string")
    keep = (ids.notna() & flag.notna()).to_numpy(dtype=bool)
    return pd.Series(flag[keep].to_numpy(dtype=bool), index=ids[keep].to_numpy()).groupby(level=0).first()


@rule(
    "V-085-03",
    severity=E,
    title="NAT00085 overseas indicators agree with NAT00080 (OSPC / state 99)",
    message="Overseas indicators differ between NAT00080 and NAT00085 (postcode OSPC or state 99)",
    source=(
        "public_avs_rules.md C030 (AVS per RTO Teams NAT00085 page: 'a client overseas in NAT00080 must "
        "be overseas in NAT00085'); the reverse (overseas only in NAT00085) is not quoted: unverified_severity"
    ),
    family="field",
    fix=(
        "Make the learner's residential (NAT00080) and postal (NAT00085) addresses agree on being overseas: postcode "
        "OSPC with state 99 in both, or an Australian postcode and state in both."
    ),
    files=("NAT00085", "NAT00080"),
    fields=("postcode", "state_id"),
)
def _v085_03(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame("NAT00085")
    if df is None or not len(df) or not {"client_id", "postcode", "state_id"} <= set(df.columns):
        return
    clients = _client_overseas(ctx)
    if clients is None:
        return
    theirs = df["client_id"].astype(object).map(clients)
    known = theirs.notna().to_numpy(dtype=bool)
    abroad = theirs.fillna(False).to_numpy(dtype=bool)
    mine = _overseas(df["postcode"].astype("string"), df["state_id"].astype("string"))
    here = (mine == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712 - nullable boolean comparison
    away = mine.fillna(False).to_numpy(dtype=bool)
    yield from hits("NAT00085", known & abroad & here, "postcode", index=df.index, details="overseas in NAT00080 only")
    yield from hits(
        "NAT00085",
        known & ~abroad & away,
        "postcode",
        index=df.index,
        severity=ctx.options.unverified_severity,
        details="overseas in NAT00085 only",
    )


not_implemented(
    "V-085-04",
    severity=E,
    title="NAT00085 address details are consistent with NAT00080",
    source="public_avs_rules.md C029 (AVS per RTO Teams NAT00085 page)",
    family="field",
    fix=(
        "Keep the learner's residential address (NAT00080) and postal address (NAT00085) each correct in the SMS; "
        "where they are the same address, enter it the same way in both."
    ),
    files=("NAT00085", "NAT00080"),
    reason=(
        "NAT00080 holds the residential address and NAT00085 the postal one, which legitimately differ (PO boxes, "
        "learners living away from home); no public source says which parts must agree, so any comparison would "
        "report true addresses as errors. The overseas indicators are compared (V-085-03)"
    ),
)
