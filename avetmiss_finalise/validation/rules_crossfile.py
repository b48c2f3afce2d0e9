"""Cross-file rules (validation_rules.md §4): references between files, unique keys, overlapping activity.

Reference rules read the other file only through its key set (:func:`.keysets.key_index`), so a chunk of
NAT00120 validated with the full reference files (or with ``Context.reference_keys``) gives the same
findings. A reference rule does not run when the referenced file is absent altogether: the missing file is
one finding (F-04), not one per row. Rows whose own key is blank are left to the mandatory-field rules.

X-11 and X-12 compare NAT00120 rows with each other: they need every record of a learner in one chunk.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.validation._fieldcheck import ACT, date_text, hits, is_in, present
from avetmiss_finalise.validation.keysets import (
    distinct_rows,
    first_rows,
    frame_codes,
    group_codes,
    joined,
    key_index,
    later_duplicates,
    member,
    repeated,
    union,
)
from avetmiss_finalise.validation.registry import Context, Hit, rule

__all__: list[str] = []

CLIENT = ("client_id",)


def _missing(ctx: Context, file_id: str, columns: tuple[str, ...], keys: pa.Array) -> np.ndarray:
    """Rows of ``file_id`` whose (complete) key is not among ``keys``.

    Looked up once per distinct key (its first row), not once per row: NAT00120 has a few locations and programs
    and a tenth as many clients as rows, and the group codes are shared with the rules that group the file.
    """
    df = ctx.frame(file_id)
    assert df is not None
    codes = frame_codes(ctx, file_id, columns)
    absent = ~member(joined(distinct_rows(df, codes, columns), columns), keys)
    valid = codes >= 0
    missing = np.zeros(len(df), dtype=bool)
    missing[valid] = absent[codes[valid]]
    return missing


def _reference_hit(
    ctx: Context, file_id: str, columns: tuple[str, ...], ref_file: str, ref_columns: tuple[str, ...], field: str
) -> Iterator[Hit]:
    df = ctx.frame(file_id)
    keys = key_index(ctx, ref_file, ref_columns)
    if df is None or keys is None:
        return
    mask = _missing(ctx, file_id, columns, keys)
    yield from hits(file_id, mask, field, index=df.index, details=f"not in {ref_file}")


@rule(
    "X-01",
    severity=Severity.ERROR,
    title="Training organisation without locations or completions",
    message="Every NAT00010 (or NAT00010A) training organisation identifier must appear in NAT00020 or NAT00130",
    source="ESK-ERR; CSDB (validation_rules.md §4); NAT00010A included as the file used instead of NAT00010",
    family="cross-file",
    fix=(
        "Report at least one delivery location (NAT00020) or program completion (NAT00130) under this training "
        "organisation identifier, or remove the NAT00010 record; a TOID typed differently in the two files (a "
        "missing leading zero) is the usual cause."
    ),
    files=("NAT00010", "NAT00010A", "NAT00020", "NAT00130"),
    fields=("training_organisation_id",),
    avs_number="4613",
)
def organisation_used(ctx: Context) -> Iterator[Hit]:
    toid = ("training_organisation_id",)
    keys = union(key_index(ctx, "NAT00020", toid), key_index(ctx, "NAT00130", toid))
    if keys is None:
        return
    for file_id in ("NAT00010", "NAT00010A"):
        df = ctx.frame(file_id)
        if df is None:
            continue
        mask = _missing(ctx, file_id, toid, keys)
        yield from hits(file_id, mask, "training_organisation_id", index=df.index)


@rule(
    "X-02",
    severity=Severity.ERROR,
    title="Delivery location not in NAT00020",
    message="Every NAT00120 delivery location (training organisation + location identifier) must exist in NAT00020",
    source="TEAMS NAT00020 (validation_rules.md §4)",
    family="cross-file",
    fix=(
        "Add the venue to NAT00020 with the same training organisation and delivery location identifiers, or correct "
        "the location on the unit enrolment in the SMS; venues created after the last export are the usual cause — "
        "export all files from one run."
    ),
    files=(ACT, "NAT00020"),
    fields=("training_organisation_id", "delivery_location_id"),
)
def location_exists(ctx: Context) -> Iterator[Hit]:
    cols = ("training_organisation_id", "delivery_location_id")
    yield from _reference_hit(ctx, ACT, cols, "NAT00020", cols, "delivery_location_id")


@rule(
    "X-03",
    severity=Severity.ERROR,
    title="Training activity client not in NAT00080",
    message="Every NAT00120 client identifier must exist in NAT00080",
    source="avetmissoftware NAT00080; TEAMS NAT00120; VTE ACT FAQ (validation_rules.md §4)",
    family="cross-file",
    fix=(
        "Export the learner's NAT00080 record in the same run as NAT00120, or correct the client identifier on the "
        "enrolment: it must match exactly, leading zeros and case included."
    ),
    files=(ACT, "NAT00080"),
    fields=("client_id",),
)
def activity_client_exists(ctx: Context) -> Iterator[Hit]:
    yield from _reference_hit(ctx, ACT, CLIENT, "NAT00080", CLIENT, "client_id")


@rule(
    "X-04",
    severity=Severity.ERROR,
    title="Subject not in NAT00060",
    message="Every NAT00120 subject identifier must exist in NAT00060",
    source="TEAMS NAT00120 (validation_rules.md §4)",
    family="cross-file",
    fix=(
        "Add the unit or module to NAT00060, or correct the subject identifier on the unit enrolment so it matches "
        "exactly; export NAT00060 and NAT00120 from the same run."
    ),
    files=(ACT, "NAT00060"),
    fields=("subject_id",),
)
def subject_exists(ctx: Context) -> Iterator[Hit]:
    yield from _reference_hit(ctx, ACT, ("subject_id",), "NAT00060", ("subject_id",), "subject_id")


def _program_keys(ctx: Context) -> pa.Array | None:
    pid = ("program_id",)
    return union(key_index(ctx, "NAT00030", pid), key_index(ctx, "NAT00030A", pid))


@rule(
    "X-05",
    severity=Severity.ERROR,
    title="Program not in NAT00030/NAT00030A",
    message="Every non-blank NAT00120 program identifier must exist in NAT00030 or NAT00030A",
    source="TEAMS NAT00120; layouts.md §4 (validation_rules.md §4)",
    family="cross-file",
    fix=(
        "Add the program to NAT00030 (NAT00030A where required) or correct the program identifier on the enrolment; "
        "subject-only training leaves the program identifier blank with commencing program identifier 8."
    ),
    files=(ACT, "NAT00030", "NAT00030A"),
    fields=("program_id",),
)
def program_exists(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    keys = _program_keys(ctx)
    if df is None or keys is None:
        return
    mask = _missing(ctx, ACT, ("program_id",), keys)
    yield from hits(ACT, mask, "program_id", index=df.index, details="not in NAT00030/NAT00030A")


@rule(
    "X-06",
    severity=Severity.ERROR,
    title="Program completion without client, program or training activity",
    message=(
        "A NAT00130 completion needs its client in NAT00080, its program in NAT00030/NAT00030A and NAT00120 "
        "activity for that client and program"
    ),
    source="VTE NAT130 article; VTE ACT FAQ (validation_rules.md §4; AVS number unverified)",
    family="cross-file",
    fix=(
        "Report the learner in NAT00080, the program in NAT00030 and the program's units in NAT00120 of this "
        "collection; if the units were reported in another year, report the completion in the year the last unit was "
        "finalised."
    ),
    files=("NAT00130", "NAT00080", "NAT00030", "NAT00030A", ACT),
    fields=("client_id", "program_id"),
)
def completion_references(ctx: Context) -> Iterator[Hit]:
    """One finding per row, for the first missing reference: client, then program, then activity.

    Chunked runs must pass the whole NAT00120's (client_id, program_id) keys in ``reference_keys``.
    """
    df = ctx.frame("NAT00130")
    if df is None:
        return
    clients = key_index(ctx, "NAT00080", CLIENT)
    programs = _program_keys(ctx)
    activity = key_index(ctx, ACT, ("client_id", "program_id"))
    pending = np.ones(len(df), dtype=bool)
    # An unfinished program enrolment (TAS: 01019999 + status 30) is not a completion: it needs its client and
    # program, but no completed training activity.
    completion = ~unfinished_programs(ctx, df)
    checks = (
        (clients, CLIENT, "client_id", "not in NAT00080", None),
        (programs, ("program_id",), "program_id", "not in NAT00030/NAT00030A", None),
        (
            activity,
            ("client_id", "program_id"),
            "program_id",
            "no NAT00120 activity for this client and program",
            completion,
        ),
    )
    for keys, columns, field, details, applies in checks:
        if keys is None:
            continue
        mask = pending & _missing(ctx, "NAT00130", columns, keys)
        if applies is not None:
            mask &= applies
        pending &= ~mask
        yield from hits("NAT00130", mask, field, index=df.index, details=details)


def unfinished_programs(ctx: Context, df: pd.DataFrame) -> np.ndarray:
    """NAT00130 rows that report an unfinished program under the profile (``Profile.unfinished_program``)."""
    marker = ctx.profile.unfinished_program
    if marker is None or "program_status_id" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    on_date = (df["date_program_completed"] == pd.Timestamp(marker.date)).to_numpy(dtype=bool, na_value=False)
    status = (df["program_status_id"].astype("string") == marker.status).to_numpy(dtype=bool, na_value=False)
    out: np.ndarray = on_date & status
    return out


@rule(
    "X-07",
    severity=Severity.ERROR,
    title="Client detail record without a client",
    message="NAT00085, NAT00090 and NAT00100 client identifiers must exist in NAT00080",
    source="TEAMS NAT00085/NAT00100 (validation_rules.md §4)",
    family="cross-file",
    fix=(
        "Export NAT00085, NAT00090 and NAT00100 in the same run as NAT00080, or delete the detail rows of learners "
        "not reported in NAT00080."
    ),
    files=("NAT00085", "NAT00090", "NAT00100", "NAT00080"),
    fields=("client_id",),
)
def client_details_exist(ctx: Context) -> Iterator[Hit]:
    for file_id in ("NAT00085", "NAT00090", "NAT00100"):
        yield from _reference_hit(ctx, file_id, CLIENT, "NAT00080", CLIENT, "client_id")


_FLAGGED = {"NAT00090": "disability_flag", "NAT00100": "prior_educational_achievement_flag"}


@rule(
    "X-08",
    severity=Severity.WARNING,
    title="Disability / prior education flag Y without records",
    message=(
        "A client with disability flag Y has NAT00090 records, one with prior educational achievement flag Y has "
        "NAT00100 records (records without the flag: V-090-01 / V-100-02)"
    ),
    source=(
        "validation_rules.md §4 (E, '⇔'); only the records-without-flag direction is quoted by a source (TEAMS "
        "NAT00100, V-100-02), so this reverse direction reports at ValidationOptions.unverified_severity"
    ),
    family="cross-file",
    fix=(
        "Record the learner's disability types (NAT00090) or prior educational achievements (NAT00100) in the SMS, "
        "or set the flag to N (or @ when not stated) if the learner declared none."
    ),
    files=("NAT00080", "NAT00090", "NAT00100"),
    fields=("disability_flag", "prior_educational_achievement_flag"),
)
def flags_have_records(ctx: Context) -> Iterator[Hit]:
    clients = ctx.frame("NAT00080")
    if clients is None:
        return
    for file_id, flag in _FLAGGED.items():
        have = key_index(ctx, file_id, CLIENT)
        if have is None:
            continue
        mask = is_in(clients[flag], {"Y"}) & ~member(clients["client_id"], have)
        yield from hits(
            "NAT00080",
            mask,
            flag,
            index=clients.index,
            details=f"no {file_id} record for this client",
            severity=ctx.options.unverified_severity,
        )


def _later_duplicates(ctx: Context, file_id: str, columns: list[str]) -> tuple[np.ndarray, pd.Series]:
    """Rows of ``file_id`` repeating an earlier row's key, and the line of that first row.

    Rows can only repeat a key if they repeat its first two columns, so the full key is built on those only.
    """
    df = ctx.frame(file_id)
    assert df is not None
    head = frame_codes(ctx, file_id, tuple(columns[:2]))
    candidates = repeated(head)
    dup = np.zeros(len(df), dtype=bool)
    if not candidates.any():
        return dup, pd.Series(dtype="Int64")
    sub = df.loc[candidates, columns]
    codes = group_codes(sub, tuple(columns))
    later = later_duplicates(codes)
    dup[np.flatnonzero(candidates)[later]] = True
    first_label = sub.index.to_numpy()[first_rows(codes)[codes[later]]]
    return dup, pd.Series(first_label + 1, index=df.index[dup], dtype="Int64")


@rule(
    "X-09",
    severity=Severity.ERROR,
    title="Duplicate program completion",
    message="NAT00130 holds only one record per program identifier + client identifier + date program completed",
    source="VTE 4518 (quotes the AVETMISS specification; validation_rules.md §4)",
    family="cross-file",
    fix=(
        "Keep one NAT00130 row per client, program and completion date: delete the duplicate completion in the SMS "
        "(a reissued certificate often creates one)."
    ),
    files=("NAT00130",),
    fields=("program_id", "client_id", "date_program_completed"),
    avs_number="4518",
)
def completion_unique(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame("NAT00130")
    if df is None:
        return
    dup, first = _later_duplicates(ctx, "NAT00130", ["program_id", "client_id", "date_program_completed"])
    details = "same program, client and date as line " + first.astype("string[pyarrow]")
    yield from hits("NAT00130", dup, "program_id", index=df.index, details=details)


@rule(
    "X-10",
    severity=Severity.ERROR,
    title="Placeholder date program completed",
    message=(
        "Date program completed must be a real completion date, not a placeholder such as 01019999 (TAS: "
        "01019999 with program status 30 reports an unfinished program)"
    ),
    source=(
        "VTE 3242 (validation_rules.md §4); TAS: Skills Tasmania provider collection requirements (2021, p. 11) "
        "and VETtrak help via sms_habits.md. Invalid calendar dates are F-02"
    ),
    family="cross-file",
    fix=(
        "Enter the date the program was actually completed (DDMMYYYY); 01019999 with program status 30 is Skills "
        "Tasmania's unfinished program: validate it with --profile tas and never send such rows to NCVER."
    ),
    files=("NAT00130",),
    fields=("date_program_completed", "program_status_id"),
    avs_number="3242",
)
def completion_placeholder(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame("NAT00130")
    if df is None:
        return
    done = df["date_program_completed"]
    mask = (done.dt.year == 9999).to_numpy(dtype=bool, na_value=False) & ~unfinished_programs(ctx, df)
    if mask.any():
        marker = ctx.profile.unfinished_program
        details = (
            None
            if marker is None
            else f"under profile {ctx.profile.name} {marker.date:%d%m%Y} reports an unfinished program only with "
            f"program status {marker.status}"
        )
        yield Hit(
            file_id="NAT00130",
            rows=df.index[mask],
            field="date_program_completed",
            values=date_text(done[mask]),
            details=details,
        )


_DUPLICATE_KEY = ["client_id", "subject_id", "activity_start_date", "outcome_national"]


def _activity_duplicates(ctx: Context) -> tuple[np.ndarray, pd.Series]:
    """X-12's duplicates of NAT00120, found once per Context: X-11 reads them too (to leave exact duplicates to
    X-12), and the four-column key is one of the dearest in the run."""
    found: tuple[np.ndarray, pd.Series] = ctx.built(
        "X-12", ACT, tuple(_DUPLICATE_KEY), lambda: _later_duplicates(ctx, ACT, _DUPLICATE_KEY)
    )
    return found


@rule(
    "X-12",
    severity=Severity.ERROR,
    title="Duplicate training activity",
    message="Duplicate NAT00120 record: same client, subject, activity start date and outcome as an earlier line",
    source="ISH (NAT00120 line key); STX (validation_rules.md §4)",
    family="cross-file",
    fix=(
        "Delete the duplicate unit enrolment in the SMS; if the learner really enrolled twice, give the second "
        "attempt its own start date and outcome."
    ),
    files=(ACT,),
    fields=tuple(_DUPLICATE_KEY),
)
def activity_unique(ctx: Context) -> Iterator[Hit]:
    df = ctx.frame(ACT)
    if df is None:
        return
    dup, first = _activity_duplicates(ctx)
    yield from hits(
        ACT, dup, "subject_id", index=df.index, details="duplicate of line " + first.astype("string[pyarrow]")
    )


@rule(
    "X-11",
    severity=Severity.ERROR,
    title="Overlapping activity for the same learner and subject",
    message=(
        "Activity periods must not overlap for one training organisation + learner + subject (periods sharing a "
        "day overlap; exact duplicates are X-12)"
    ),
    source=(
        "STX (validation_rules.md §4) keys on the USI; we key on the client identifier, which names one learner "
        "within a collection (V-080-01) and keeps the rule chunkable by client and safe with shared exemption "
        "USIs (INTOFF/INDIV)"
    ),
    family="cross-file",
    fix=(
        "End the earlier attempt (its real end date and a final outcome such as 30 or 40) before the next attempt "
        "starts, or delete the duplicate unit enrolment in the SMS."
    ),
    files=(ACT, "NAT00080"),
    fields=("training_organisation_id", "client_id", "subject_id", "activity_start_date", "activity_end_date"),
)
def activity_overlap(ctx: Context) -> Iterator[Hit]:
    """Sort by (group, start, end); a row overlaps when it starts on or before the latest end seen so far in
    its group. The line of the row holding that latest end is reported."""
    df = ctx.frame(ACT)
    if df is None:
        return
    codes = frame_codes(ctx, ACT, ("training_organisation_id", "client_id", "subject_id"))
    dated = present(df["activity_start_date"]) & present(df["activity_end_date"])
    codes = np.where(dated, codes, -1)
    # Only rows whose group has several dated rows can overlap: usually a tiny part of the file.
    shared = repeated(codes)
    if not shared.any():
        return
    sub = df.loc[shared, ["activity_start_date", "activity_end_date"]]
    labels = sub.index.to_numpy()
    group = codes[shared]
    # Sort by group, start, then line: of two rows starting together the later line is the one reported.
    order = np.lexsort((labels, sub["activity_start_date"].to_numpy(), group))
    g, labels = group[order], labels[order]
    s = sub["activity_start_date"].to_numpy()[order]
    e = sub["activity_end_date"].to_numpy()[order]
    running = pd.Series(e).groupby(g).cummax().to_numpy()
    holder = pd.Series(np.where(e == running, labels.astype(float), np.nan)).groupby(g).ffill()
    prev_end = pd.Series(running).groupby(g).shift(1).to_numpy()
    prev_holder = holder.groupby(g).shift(1).to_numpy()
    same_group = np.r_[False, g[1:] == g[:-1]]
    overlaps = same_group & (s <= prev_end)
    reported_by_x12 = pd.Series(_activity_duplicates(ctx)[0], index=df.index)
    overlaps &= ~reported_by_x12.loc[labels].to_numpy(dtype=bool)
    if not overlaps.any():
        return
    back = np.argsort(labels[overlaps], kind="stable")
    rows = pd.Index(labels[overlaps][back])
    other = pd.Series(prev_holder[overlaps][back], index=rows).astype("Int64") + 1
    yield Hit(
        file_id=ACT,
        rows=rows,
        field="activity_start_date",
        details="start "
        + date_text(df.loc[rows, "activity_start_date"])
        + " overlaps line "
        + other.astype("string[pyarrow]"),
    )
