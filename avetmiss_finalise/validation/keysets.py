"""Key sets and group codes for the record, cross-file, period and NSW rules, and their chunking contract.

Column, mask and hit helpers (``is_in``, ``present``, ``date_text``, ``hits`` …) are in :mod:`._fieldcheck`.

Cross-file rules compare a file's rows with the *key set* of another file, never with its rows, so that a
collection validated in chunks (each chunk with the full reference files, or with ``Context.reference_keys``)
gives the same findings as the whole. Multi-column keys are compared as one joined string per row: a pyarrow
string concatenation and a hash ``isin`` are far cheaper than tuples on a million rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.validation.registry import Context

__all__ = [
    "CLIENT_PARTITIONED",
    "NAT00120_REFERENCE_KEYS",
    "SEP",
    "distinct_rows",
    "first_rows",
    "frame_codes",
    "frame_index",
    "group_codes",
    "joined",
    "key_index",
    "key_rows",
    "later_duplicates",
    "member",
    "repeated",
    "union",
    "united_index",
]

#: Rules that compare NAT00120 rows with each other, grouped by client: a chunked run must keep every record
#: of a client in one chunk (partition by ``client_id``). Every other rule gives the same findings on any split
#: of NAT00120 into row ranges, given :data:`NAT00120_REFERENCE_KEYS` of the whole file.
CLIENT_PARTITIONED = frozenset({"V-120-16", "X-11", "X-12", "NSW-TO-03", "NSW-MAX-PROGRAMS", "QLD-DUP-ACHIEVED"})

#: Key sets of NAT00120 read by rules on other files (X-06, X-14, X-15): pass them, computed from the whole
#: NAT00120, in ``Context.reference_keys`` when validating a chunk.
NAT00120_REFERENCE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("NAT00120", ("client_id", "program_id")),
    ("NAT00120", ("training_organisation_id", "delivery_location_id")),
    ("NAT00120", ("program_id",)),
)

#: Unit separator: cannot occur in a NAT text field, so joined keys never collide.
SEP = "\x1f"


def joined(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """One string per row: the key columns joined by :data:`SEP`; NA when any part is NA.

    One pyarrow kernel over all the columns (pandas' ``+`` on string columns makes a new array per operand)."""
    first = df[columns[0]].astype("string[pyarrow]")
    if len(columns) == 1:
        return first
    parts = [_arrow(first), *(_arrow(df[col]) for col in columns[1:])]
    out = pc.binary_join_element_wise(*parts, pa.scalar(SEP, pa.large_string()))
    return pd.Series(pd.arrays.ArrowStringArray(out.cast(pa.large_string())), index=df.index)


def _tuple_text(key: tuple[object, ...]) -> str | None:
    parts = []
    for v in key:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return None
        parts.append(str(v))
    return SEP.join(parts)


def _arrow(values: pd.Series | pd.Index) -> pa.Array:
    """Strings as one pyarrow array (zero-copy for pyarrow-backed columns)."""
    arr = pa.array(values.astype("string[pyarrow]"), type=pa.large_string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def key_index(ctx: Context, file_id: str, columns: tuple[str, ...]) -> pa.Array | None:
    """The distinct joined keys present in ``file_id`` (``None``: file absent and no reference keys).

    ``Context.reference_keys`` wins over the frame, as in :meth:`Context.keys`, so a chunk can be given the
    keys of the whole file; otherwise the keys come straight from the frame (vectorised).
    """
    index: pa.Array | None = ctx.built("key_index", file_id, columns, lambda: _key_index(ctx, file_id, columns))
    return index


def _key_index(ctx: Context, file_id: str, columns: tuple[str, ...]) -> pa.Array | None:
    index: pa.Array | None = ctx.reference_index.get((file_id, columns))
    if index is not None:
        return index
    ref = ctx.reference_keys.get((file_id, columns))
    if ref is not None:
        texts = (_tuple_text(k) for k in ref)
        return pa.array([t for t in texts if t is not None], type=pa.large_string())
    df = ctx.frame(file_id)
    if df is None:
        return None
    # Joined from each distinct key's first row: the group codes are the Context's (shared with the rules that
    # group the file), so X-06's (client, program) keys of 1M NAT00120 rows join ~100,000 strings, not 1M.
    return frame_index(distinct_rows(df, frame_codes(ctx, file_id, columns), columns), columns)


def distinct_rows(df: pd.DataFrame, codes: np.ndarray, columns: tuple[str, ...]) -> pd.DataFrame:
    """The ``columns`` of each group's first row (``codes``: dense group codes of those columns): one row per
    distinct complete key. The key columns only: taking every column of the file at each distinct key's row cost
    X-03 (100,000 clients of 1M NAT00120 rows, 28 columns) most of its time."""
    at = first_rows(codes)
    return pd.DataFrame({c: df[c].iloc[at] for c in columns})


def frame_index(df: pd.DataFrame, columns: tuple[str, ...]) -> pa.Array:
    """The distinct joined keys of ``columns`` in ``df`` (a key with any part NA left out): :func:`key_index` of a
    file in the frames, and what a partitioning engine gathers block by block for ``Context.reference_index``
    (one function, so a streamed file's keys are the whole file's)."""
    keys: pa.Array = pc.unique(_arrow(joined(df, columns)).drop_null())
    return keys


def united_index(parts: list[pa.Array]) -> pa.Array:
    """The distinct keys of several blocks' :func:`frame_index` together: the whole file's :func:`frame_index`
    (in another order, which no lookup reads)."""
    if not parts:
        return pa.array([], type=pa.large_string())
    keys: pa.Array = pc.unique(pa.concat_arrays(parts))
    return keys


def key_rows(ctx: Context, file_id: str, columns: tuple[str, ...]) -> pd.DataFrame | None:
    """The distinct rows of ``columns`` in ``file_id`` as text columns (missing: NA), from ``Context.reference_keys``
    when a run was given them (they win over the frame, as in :meth:`Context.keys`), else from the frame (``None``:
    neither). Rules that compare a client's pair of fields read them as columns, not as :meth:`Context.keys`'s
    frozenset of Python tuples, which a Context keeps for the run: for NAT00080 that set grows with the clients
    (about 190 bytes a client per key, several keys; docs/scale.md)."""
    ref = ctx.reference_keys.get((file_id, columns))
    if ref is not None:
        return pd.DataFrame(list(ref), columns=list(columns), dtype=object).astype("string[pyarrow]")
    df = ctx.frame(file_id)
    return None if df is None else df[list(columns)].drop_duplicates().astype("string[pyarrow]")


def union(*keys: pa.Array | None) -> pa.Array | None:
    """The keys of several files together (``None`` when every file is absent)."""
    found = [k for k in keys if k is not None]
    return pa.concat_arrays(found) if found else None


def member(values: pd.Series, keys: pa.Array) -> np.ndarray:
    """Cells found among ``keys`` (NA never is): a pyarrow hash lookup, not a Python loop over the keys."""
    hit = pc.is_in(_arrow(values), value_set=keys, skip_nulls=True).fill_null(False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def group_codes(df: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """An int64 group code per row for the key ``columns``, numbered in order of first appearance (-1 where any
    part is NA). Columns are factorised one by one and combined as integers: no joined strings on the bulk path.
    A rule grouping a whole file of the Context reads :func:`frame_codes`, which shares the work between rules.
    """
    return _combined([_factor(df[col]) for col in columns], len(df))


def frame_codes(ctx: Context, file_id: str, columns: tuple[str, ...]) -> np.ndarray:
    """:func:`group_codes` of ``file_id``'s frame, built once per Context from column codes built once per
    Context: X-12 groups NAT00120 by client and subject, X-11 by training organisation, client and subject —
    with one training organisation (the usual submission) the same groups, so one numbering serves both."""
    df = ctx.frame(file_id)
    assert df is not None, f"{file_id} is not in the Context"

    def factor(col: str) -> np.ndarray:
        series: pd.Series = df[col]
        found: np.ndarray = ctx.built("factor", file_id, (col,), lambda: _factor(series))
        return found

    factors = {col: factor(col) for col in columns}
    kept = tuple(col for col in columns if not _constant(factors[col])) or columns[:1]
    codes: np.ndarray = ctx.built("group_codes", file_id, kept, lambda: _combined([factors[c] for c in kept], len(df)))
    return codes


def _constant(codes: np.ndarray) -> bool:
    """A column of one value on every row (no NA): it splits no group, so a key without it groups the same."""
    return bool(len(codes)) and int(codes.min()) == 0 and int(codes.max()) == 0


def _combined(factors: list[np.ndarray], n: int) -> np.ndarray:
    """The group codes of the columns whose codes are ``factors`` (each dense, -1 for NA, first appearance).

    Columns of one value are left out (they split no group); the others' codes are packed into one integer per
    row (mixed radix, each column's width its number of codes plus one) and numbered once at the end,
    re-numbering on the way only when the packed width would pass 2**62: one hash pass over the rows instead of
    one per extra column (X-12's key of four columns was 0.3 s at 1M rows).
    """
    varying = [f for f in factors if not _constant(f)]
    if not varying:
        return np.zeros(n, dtype=np.int64) if factors else np.full(n, -1, dtype=np.int64)
    if len(varying) == 1:
        return varying[0]  # already dense, -1 for NA, in order of first appearance
    missing = np.zeros(n, dtype=bool)
    for codes in varying:
        missing |= codes < 0
    packed = varying[0] + 1
    span = int(packed.max(initial=0)) + 1
    for codes in varying[1:]:
        width = int(codes.max(initial=-1)) + 2  # codes -1 … max, shifted to 0 … max + 1
        if span * width >= _PACK_LIMIT:
            packed = np.asarray(pd.factorize(packed)[0], dtype=np.int64)
            span = int(packed.max(initial=0)) + 1
        packed = packed * width + (codes + 1)
        span *= width
    out = np.full(n, -1, dtype=np.int64)
    kept = ~missing
    out[kept] = np.asarray(pd.factorize(packed[kept])[0], dtype=np.int64)
    return out


#: Packed group codes stay below this, so that ``packed * width`` never overflows int64.
_PACK_LIMIT = 1 << 62


def repeated(codes: np.ndarray) -> np.ndarray:
    """Rows whose complete key (a dense :func:`group_codes` code, -1 for incomplete) occurs on more than one row:
    ``pd.Series(codes).duplicated(keep=False)`` on complete keys, as one count per code instead of a hash pass."""
    valid = codes >= 0
    counts = np.bincount(codes[valid], minlength=max(int(codes.max(initial=-1)) + 1, 1))  # 1: none valid
    out: np.ndarray = valid & (counts[np.where(valid, codes, 0)] > 1)
    return out


def _factor(s: pd.Series) -> np.ndarray:
    """Codes in order of first appearance, -1 for NA (as ``pd.factorize``). Text columns are dictionary-encoded
    by pyarrow directly (one memo across chunks, so codes are global), skipping pandas' conversions."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" and len(s):
        arr = pa.array(s.array)
        enc = pc.dictionary_encode(arr)
        parts = enc.chunks if isinstance(enc, pa.ChunkedArray) else [enc]
        idx = [np.asarray(p.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64) for p in parts]
        return np.concatenate(idx) if len(idx) != 1 else idx[0]
    codes, _ = pd.factorize(s, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64)


def first_rows(codes: np.ndarray) -> np.ndarray:
    """For each group code, the position of its first row (codes dense from 0, as :func:`group_codes` gives)."""
    valid = codes >= 0
    positions = np.flatnonzero(valid)
    first = np.full(int(codes.max(initial=-1)) + 1, -1, dtype=np.int64)
    first[codes[valid][::-1]] = positions[::-1]
    return first


def later_duplicates(codes: np.ndarray) -> np.ndarray:
    """Rows whose complete key (a dense :func:`group_codes` code) already appeared on an earlier row: every row
    that is not its code's first (:func:`first_rows`)."""
    valid = codes >= 0
    if not valid.any():
        return valid
    dup: np.ndarray = valid & (first_rows(codes)[np.where(valid, codes, 0)] != np.arange(len(codes)))
    return dup
