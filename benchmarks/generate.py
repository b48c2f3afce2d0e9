"""Generate consistent synthetic AVETMISS collections of any size, vectorised, for benchmarks.

CLI::

    python benchmarks/generate.py --rows 1000000 --out benchmarks/data/1m [--profile national|nsw] [--seed N]
        [--period-year 2026]

API (imported by the benchmark scripts)::

    from generate import generate_frames
    frames = generate_frames(1_000_000, seed=0, period_year=2026, profile="national")

Frames follow the columnar contract of ``read_collection(...).frames`` (one column per layout field of the
profile, contract dtypes), so they can be written by the NAT layer's frame writer or fed straight to the
validator. Everything is built with numpy/pyarrow array operations — no Python loop over rows or clients.

What the data looks like (and why it validates clean for the period): ~10 NAT00120 rows per client (6-14),
client ids ``C0000001``…, one program per client (or subject-only, commencing 8) and no repeated subject per
client. Each client follows a story — completed, continuing, continuing from the previous year (commencing 4),
withdrawn (40 at the withdrawal date, the rest 85), deferred (finished units kept, the rest 85), not yet started
(all 85), subject-only — and outcomes follow the dates: a final outcome ends on or before 27 Nov of the period year
(so no end date is in the future at any reporting date from 29 Nov on), 70 ends after 31 Dec, 85 starts in the
next year; RPL/credit transfer (51, 60) are ``NNN``/``N``. Completed programs get one NAT00130 row; NAT00090 and
NAT00100 hold exactly the clients flagged ``Y``. Under ``nsw`` every row carries a Commitment ID
(``C000000001``…) and withdrawn/deferred rows carry ``TNC``/``D``.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from avetmiss_finalise.nat.layouts import Field
from avetmiss_finalise.profiles import get_profile

__all__ = ["generate_frames", "write_frames"]

TOID = "90001"
UNITS_PER_PROGRAM = 16
ROWS_PER_CLIENT = 10

Ints = npt.NDArray[np.int64]

#: Client stories and their shares (national, nsw). NSW Smart and Skilled funds programs, so no subject-only.
STORIES = ("complete", "continuing", "prior_year", "withdrawn", "deferred", "not_started", "subject_only")
_MIX = {
    "national": (0.25, 0.30, 0.10, 0.10, 0.05, 0.05, 0.15),
    "nsw": (0.30, 0.35, 0.12, 0.12, 0.06, 0.05, 0.00),
}
(COMPLETE, CONTINUING, PRIOR_YEAR, WITHDRAWN, DEFERRED, NOT_STARTED, SUBJECT_ONLY) = range(len(STORIES))

_MODES = ("YNN", "NYN", "YNY", "NNY", "NNN")
_PREDOMINANT = ("I", "E", "I", "W", "N")
_NNN = 4
#: (postcode, suburb, state): real postcode/locality pairs of capital-city centres.
_PLACES = (
    ("2000", "SYDNEY", "01"),
    ("2150", "PARRAMATTA", "01"),
    ("2300", "NEWCASTLE", "01"),
    ("3000", "MELBOURNE", "02"),
    ("4000", "BRISBANE", "03"),
    ("5000", "ADELAIDE", "04"),
    ("6000", "PERTH", "05"),
    ("7000", "HOBART", "06"),
    ("0800", "DARWIN", "07"),
    ("2600", "CANBERRA", "08"),
)


# --------------------------------------------------------------------------------------------- column helpers


def _strings(values: npt.ArrayLike) -> pa.Array:
    return pa.array(np.asarray(values), type=pa.string())


def _pick(choices: Sequence[str | None], idx: npt.NDArray[np.integer]) -> pa.Array:
    """``choices[idx]`` as a pyarrow string array (``None`` → null) without materialising Python strings."""
    return pa.array(list(choices), type=pa.string()).take(pa.array(idx))


def _ids(prefix: str, numbers: npt.NDArray[np.integer], width: int) -> npt.NDArray[np.str_]:
    if numbers.size == 0:
        return np.array([], dtype=f"<U{len(prefix) + width}")
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))


def _days(date: datetime.date) -> int:
    return (date - datetime.date(1970, 1, 1)).days


def _column(field: Field, values: object, n: int) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``values`` (or all-missing when ``None``) in the contract dtype of ``field``."""
    if field.role == "number":
        if values is None:
            return pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool))
        return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), np.zeros(n, bool))
    if field.role == "date":
        if values is None:
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
        days = np.asarray(values)
        if days.dtype.kind == "M":
            return days.astype("datetime64[s]")
        return days.astype(np.int64).astype("datetime64[D]").astype("datetime64[s]")
    if values is None:
        arr = pa.nulls(n, pa.string())
    elif isinstance(values, pa.Array):
        arr = values
    else:
        arr = _strings(values)  # type: ignore[arg-type]
    return pd.arrays.ArrowStringArray(arr)


def _frame(file_id: str, profile: str, n: int, **columns: object) -> pd.DataFrame:
    """A contract frame for ``file_id``: every layout field in order, then ``extra``; unnamed fields missing."""
    lay = get_profile(profile).layout(file_id)
    unknown = set(columns) - set(lay.names)
    if unknown:
        raise KeyError(f"{file_id} has no field(s) {sorted(unknown)}")
    data = {f.name: _column(f, columns.get(f.name), n) for f in lay.fields}
    data["extra"] = pd.arrays.ArrowStringArray(pa.nulls(n, pa.string()))  # nothing past the layout, as when read
    return pd.DataFrame(data, index=pd.RangeIndex(n))


# --------------------------------------------------------------------------------------------- the generator


def _client_counts(rows: int, n_clients: int, rng: np.random.Generator) -> Ints:
    """Rows per client: 6-14 around 10, summing to ``rows`` exactly (at least 1 each)."""
    r = rng.integers(0, 5, n_clients)
    counts = ROWS_PER_CLIENT + r - r[rng.permutation(n_clients)]
    deficit = ROWS_PER_CLIENT * n_clients - rows
    np.add.at(counts, np.arange(deficit) % n_clients, -1)
    return counts.astype(np.int64)


def generate_frames(
    rows: int, *, seed: int = 0, period_year: int = 2026, profile: str = "national", first_client: int = 1
) -> dict[str, pd.DataFrame]:
    """A consistent synthetic collection with exactly ``rows`` NAT00120 rows: file id → contract frame.

    ``first_client`` numbers the clients (ids, USIs, contract and parchment numbers) from there, so parts made
    with the same seed and disjoint numbers are one consistent collection when their client files are joined
    (``--parts``): the reference files depend on the seed and the size only, not on the numbers.
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    profile = get_profile(profile).name
    if profile not in _MIX:
        raise ValueError(f"profile must be one of {', '.join(_MIX)}, got {profile!r}")
    rng = np.random.default_rng(seed)
    n_clients = -(-rows // ROWS_PER_CLIENT)
    n_programs = int(np.clip(n_clients // 200, 3, 500))
    n_subjects = n_programs * UNITS_PER_PROGRAM

    y0 = _days(datetime.date(period_year, 1, 1))
    ye = _days(datetime.date(period_year, 12, 31))
    cut = _days(datetime.date(period_year, 11, 27))
    ny = _days(datetime.date(period_year + 1, 1, 11))

    # -- clients and their stories
    counts = _client_counts(rows, n_clients, rng)
    story = rng.choice(len(STORIES), size=n_clients, p=_MIX[profile])
    program = rng.integers(0, n_programs, n_clients)
    subject_offset = rng.integers(0, UNITS_PER_PROGRAM, n_clients)
    funding = np.where(profile == "nsw", 1, rng.choice(2, n_clients, p=(0.6, 0.4)))  # 0 → "20", 1 → "11"
    step = rng.integers(14, 36, n_clients)
    s0 = y0 + rng.integers(14, 220, n_clients)
    s0 = np.where(story == PRIOR_YEAR, y0 - rng.integers(30, 150, n_clients), s0)
    s0 = np.where(story == NOT_STARTED, ny + rng.integers(0, 60, n_clients), s0)
    s0 = np.where(np.isin(story, (WITHDRAWN, DEFERRED)), y0 + rng.integers(14, 200, n_clients), s0)
    complete = story == COMPLETE
    s0 = np.where(complete, y0 + rng.integers(4, 125, n_clients), s0)
    # a completed program must end by the cut-off: squeeze its units (longest unit 42 days)
    squeeze = (cut - s0 - 42) // np.maximum(counts - 1, 1)
    step = np.where(complete, np.minimum(rng.integers(7, 29, n_clients), squeeze), step)
    event = np.minimum(s0 + rng.integers(30, 150, n_clients), cut)  # withdrawal / deferral date

    # -- rows, grouped by client
    client = np.repeat(np.arange(n_clients), counts)
    first = np.cumsum(counts) - counts
    k = np.arange(rows) - first[client]
    st = story[client]
    subject = program[client] * UNITS_PER_PROGRAM + (k + subject_offset[client]) % UNITS_PER_PROGRAM
    start = s0[client] + k * step[client]
    dur = np.where(st == COMPLETE, rng.integers(7, 43, rows), rng.integers(21, 85, rows))
    end = start + dur
    end = np.where(st == PRIOR_YEAR, np.maximum(end, y0 + 14 + 7 * k), end)

    final = rng.choice(np.array([20, 51, 60, 30]), rows, p=(0.88, 0.03, 0.03, 0.06))
    achieved = rng.choice(np.array([20, 51, 60]), rows, p=(0.9, 0.05, 0.05))
    outcome = np.where(end <= cut, final, np.where(start <= cut, 70, 85))
    # continuing into the next year: a 70 ends after 31 Dec, an 85 starts after it
    end = np.where((outcome == 70) & (end <= ye), end + 60, end)
    late = (outcome == 85) & (start <= ye)
    start, end = np.where(late, start + 45, start), np.where(late, end + 45, end)
    outcome = np.where(st == COMPLETE, achieved, outcome)
    ev = event[client]
    withdrawn, deferred = st == WITHDRAWN, st == DEFERRED
    before = start < ev
    outcome = np.where(withdrawn & before, 40, outcome)
    end = np.where(withdrawn & before, ev, end)
    kept = deferred & (end <= ev)
    outcome = np.where(deferred & ~kept, 85, np.where(kept, final, outcome))
    to_future = (withdrawn & ~before) | (deferred & ~kept)
    start = np.where(to_future, ny + np.maximum(start - ev, 0), start)
    end = np.where(to_future, start + dur, end)
    outcome = np.where(to_future | (st == NOT_STARTED), 85, outcome)

    # -- delivery, hours
    mode = rng.choice(4, rows, p=(0.5, 0.3, 0.1, 0.1))
    not_delivered = np.isin(outcome, (51, 52, 60))
    mode = np.where(not_delivered, _NNN, mode)
    sched_by_subject = rng.integers(10, 81, n_subjects)
    scheduled = np.where(not_delivered, 0, sched_by_subject[subject])
    partial = 1 + (rng.random(rows) * np.maximum(scheduled - 1, 1)).astype(np.int64)
    attended = np.select(
        [np.isin(outcome, (20, 30)), np.isin(outcome, (40, 70))], [scheduled, np.minimum(partial, scheduled)], 0
    )

    client_ids = _ids("C", np.arange(first_client, first_client + n_clients), 7)
    program_ids = _ids("SYN", np.arange(1, n_programs + 1), 5)
    subject_ids = np.char.add(
        np.repeat(program_ids, UNITS_PER_PROGRAM),
        _ids("U", np.tile(np.arange(1, UNITS_PER_PROGRAM + 1), n_programs), 2),
    )
    subject_only = st == SUBJECT_ONLY
    prog_idx = np.where(subject_only, n_programs, program[client])  # n_programs → null
    commencing = np.where(subject_only, 2, np.where(st == PRIOR_YEAR, 1, 0))
    nsw = profile == "nsw"
    frames: dict[str, pd.DataFrame] = {}
    frames["NAT00120"] = _frame(
        "NAT00120",
        profile,
        rows,
        training_organisation_id=_pick([TOID], np.zeros(rows, np.int64)),
        delivery_location_id=_pick(["MAIN01", "ONLINE1"], (mode == 1).astype(np.int64)),
        client_id=pa.array(client_ids).take(pa.array(client)),
        subject_id=pa.array(subject_ids).take(pa.array(subject)),
        program_id=_pick([*program_ids.tolist(), None], prog_idx),
        activity_start_date=start,
        activity_end_date=end,
        delivery_mode_id=_pick(_MODES, mode),
        outcome_national=_pick([str(c) for c in range(100)], outcome),
        funding_source_national=_pick(["20", "11"], funding[client]),
        commencing_program_id=_pick(["3", "4", "8"], commencing),
        study_reason_id=_pick(["01", "04", "05", "07", "08", "11", "12"], np.where(subject_only, 6, client % 6)),
        vet_in_schools_flag=_pick(["N"], np.zeros(rows, np.int64)),
        outcome_training_organisation=(
            _pick([None, "TNC", "D"], np.select([withdrawn, deferred], [1, 2], 0)) if nsw else None
        ),
        purchasing_contract_id=pa.array(_ids("C", client + first_client, 9)) if nsw else None,
        hours_attended=attended,
        scheduled_hours=scheduled,
        predominant_delivery_mode=_pick(_PREDOMINANT, mode),
    )

    # -- clients
    place = rng.choice(len(_PLACES), n_clients, p=_place_mix(profile))
    disability = rng.random(n_clients) < 0.08
    prior = rng.random(n_clients) < 0.35
    dob = rng.integers(_days(datetime.date(1960, 1, 1)), _days(datetime.date(2008, 12, 31)), n_clients)
    dob_text = pd.Series(dob.astype("datetime64[D]")).dt.strftime("%d%m%Y").to_numpy(dtype=str)
    postcodes, suburbs, states = (np.array(col) for col in zip(*_PLACES, strict=True))
    frames["NAT00080"] = _frame(
        "NAT00080",
        profile,
        n_clients,
        client_id=client_ids,
        name_for_encryption=np.char.add("SYNTHETIC, ", client_ids),
        highest_school_level_completed_id=_pick(["12", "11", "10"], rng.choice(3, n_clients, p=(0.6, 0.2, 0.2))),
        gender=_pick(["F", "M", "X"], rng.choice(3, n_clients, p=(0.49, 0.49, 0.02))),
        date_of_birth=dob_text,
        postcode=postcodes[place],
        indigenous_status_id=_pick(["4", "1", "2", "3"], rng.choice(4, n_clients, p=(0.94, 0.04, 0.01, 0.01))),
        language_id=_pick(["1201"], np.zeros(n_clients, np.int64)),
        labour_force_status_id=_pick(["01", "02", "03", "06", "08"], rng.integers(0, 5, n_clients)),
        country_id=_pick(["1101"], np.zeros(n_clients, np.int64)),
        disability_flag=_pick(["N", "Y"], disability.astype(np.int64)),
        prior_educational_achievement_flag=_pick(["N", "Y"], prior.astype(np.int64)),
        at_school_flag=_pick(["N"], np.zeros(n_clients, np.int64)),
        address_suburb=suburbs[place],
        usi=_ids("SYN", np.arange(first_client, first_client + n_clients), 7),
        state_id=states[place],
        address_street_number=(np.arange(n_clients) % 200 + 1).astype(str),
        address_street_name=_pick(["SYNTHETIC STREET"], np.zeros(n_clients, np.int64)),
        survey_contact_status=_pick(["A"], np.zeros(n_clients, np.int64)),
    )
    frames["NAT00085"] = _frame(
        "NAT00085",
        profile,
        n_clients,
        client_id=client_ids,
        client_first_given_name=client_ids,
        client_family_name=_pick(["SYNTHETIC"], np.zeros(n_clients, np.int64)),
        address_street_number=(np.arange(n_clients) % 200 + 1).astype(str),
        address_street_name=_pick(["SYNTHETIC STREET"], np.zeros(n_clients, np.int64)),
        address_postal_suburb=suburbs[place],
        postcode=postcodes[place],
        state_id=states[place],
        email_address=np.char.add(np.char.lower(client_ids), "@example.com"),
    )
    flagged = np.flatnonzero(disability)
    frames["NAT00090"] = _frame(
        "NAT00090",
        profile,
        flagged.size,
        client_id=client_ids[flagged],
        disability_type_id=_pick([str(c) for c in range(11, 20)], rng.integers(0, 9, flagged.size)),
    )
    flagged = np.flatnonzero(prior)
    frames["NAT00100"] = _frame(
        "NAT00100",
        profile,
        flagged.size,
        client_id=client_ids[flagged],
        prior_educational_achievement_id=_pick(
            ["008", "410", "420", "511", "514", "521", "524", "990"], rng.integers(0, 8, flagged.size)
        ),
    )

    # -- completions: one per completed program, dated at its last unit's end
    done = np.flatnonzero(complete)
    last_end = np.maximum.reduceat(end, first)[done]
    issued = rng.random(done.size) < 0.8
    frames["NAT00130"] = _frame(
        "NAT00130",
        profile,
        done.size,
        training_organisation_id=_pick([TOID], np.zeros(done.size, np.int64)),
        program_id=program_ids[program[done]],
        client_id=client_ids[done],
        date_program_completed=last_end,
        issued_flag=_pick(["N", "Y"], issued.astype(np.int64)),
        parchment_issue_date=np.where(issued, np.minimum(last_end + 2, cut), np.iinfo(np.int64).min).astype(
            "datetime64[D]"
        ),
        parchment_number=pa.array(_ids("P", done + first_client, 9), type=pa.string(), mask=~issued),
    )

    # -- reference files
    frames["NAT00060"] = _frame(
        "NAT00060",
        profile,
        n_subjects,
        subject_id=subject_ids,
        subject_name=np.char.add("SYNTHETIC UNIT ", subject_ids),
        subject_field_of_education_id=_pick(["080301", "061301", "080101", "080501"], np.arange(n_subjects) % 4),
        vet_flag=_pick(["Y"], np.zeros(n_subjects, np.int64)),
        nominal_hours=sched_by_subject,
    )
    frames["NAT00030"] = _frame(
        "NAT00030",
        profile,
        n_programs,
        program_id=program_ids,
        program_name=np.char.add("SYNTHETIC PROGRAM ", program_ids),
        nominal_hours=rng.integers(200, 1201, n_programs),
    )
    frames["NAT00020"] = _frame(
        "NAT00020",
        profile,
        2,
        training_organisation_id=[TOID, TOID],
        delivery_location_id=["MAIN01", "ONLINE1"],
        delivery_location_name=["SYNTHETIC TRAINING MAIN CAMPUS", "SYNTHETIC TRAINING ONLINE"],
        postcode=["2000", "2150"],
        state_id=["01", "01"],
        address_suburb=["SYDNEY", "PARRAMATTA"],
        country_id=["1101", "1101"],
    )
    frames["NAT00010"] = _frame(
        "NAT00010", profile, 1, training_organisation_id=[TOID], training_organisation_name=["SYNTHETIC TRAINING"]
    )
    order = ("NAT00010", "NAT00020", "NAT00030", "NAT00060", "NAT00080", "NAT00085", "NAT00090", "NAT00100")
    return {f: frames[f] for f in (*order, "NAT00120", "NAT00130")}


def _place_mix(profile: str) -> npt.NDArray[np.float64]:
    """Where clients live: mostly NSW under ``nsw``, spread across the capitals nationally."""
    weights = np.ones(len(_PLACES))
    if profile == "nsw":
        weights[[i for i, p in enumerate(_PLACES) if p[2] == "01"]] = 30
    return np.asarray(weights / weights.sum(), dtype=np.float64)


# --------------------------------------------------------------------------------------------- writing, CLI


def write_frames(frames: Mapping[str, pd.DataFrame], out: Path, *, profile: str = "national") -> None:
    """Write ``frames`` as NAT files in ``out`` with the NAT layer's frame writer."""
    from avetmiss_finalise.nat import Collection, write_collection

    out.mkdir(parents=True, exist_ok=True)
    write_collection(Collection.from_frames(frames, profile), out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a consistent synthetic AVETMISS collection.")
    parser.add_argument("--rows", type=int, required=True, help="number of NAT00120 rows")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the NAT files into")
    parser.add_argument("--profile", choices=sorted(_MIX), default="national")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--period-year", type=int, default=2026)
    parser.add_argument(
        "--parts",
        type=int,
        default=1,
        help="generate in this many equal parts (disjoint clients, the same seed) appended to one collection, "
        "so memory follows the part (about 0.8 GB per million rows), not the whole",
    )
    args = parser.parse_args(argv)
    if args.parts < 1 or args.rows % args.parts:
        parser.error(f"--parts must be at least 1 and divide --rows, got {args.parts}")
    t0 = time.perf_counter()
    part_rows = args.rows // args.parts
    for part in range(args.parts):
        first = 1 + part * -(-part_rows // ROWS_PER_CLIENT)
        frames = generate_frames(
            part_rows, seed=args.seed, period_year=args.period_year, profile=args.profile, first_client=first
        )
        if part == 0:
            write_frames(frames, args.out, profile=args.profile)
        else:
            _append_part(frames, args.out, profile=args.profile)
        sizes = ", ".join(f"{f} {len(df)}" for f, df in frames.items())
        print(f"part {part + 1}/{args.parts} at {time.perf_counter() - t0:.2f}s: {sizes}", file=sys.stderr)
        del frames
    print(f"generated and written in {time.perf_counter() - t0:.2f}s to {args.out}", file=sys.stderr)
    return 0


#: Files that hold one part's clients; the others (reference files) are the same in every part of one seed.
_CLIENT_FILES = ("NAT00080", "NAT00085", "NAT00090", "NAT00100", "NAT00120", "NAT00130")


def _append_part(frames: Mapping[str, pd.DataFrame], out: Path, *, profile: str) -> None:
    """Append a later part's client files to the collection in ``out`` (each written file ends in a newline)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        write_frames({f: frames[f] for f in _CLIENT_FILES}, Path(tmp), profile=profile)
        for fid in _CLIENT_FILES:
            with (Path(tmp) / f"{fid}.txt").open("rb") as src, (out / f"{fid}.txt").open("ab") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


if __name__ == "__main__":
    raise SystemExit(main())
