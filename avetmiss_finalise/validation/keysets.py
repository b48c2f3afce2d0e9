"""Vectorised helpers shared by the record, cross-file, period and NSW rules.

Cross-file rules compare a file's rows with the *key set* of another file, never with its rows, so that a
collection validated in chunks (each chunk with the full reference files, or with ``Context.reference_keys``)
gives the same findings as the whole. Multi-column keys are compared as one joined string per row: a pyarrow
string concatenation and a hash ``isin`` are far cheaper than tuples on a million rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from avetmiss_finalise.validation.registry import Context

__all__ = [
    "CLIENT_PARTITIONED",
    "NAT00120_REFERENCE_KEYS",
    "SEP",
    "date_text",
    "group_codes",
    "is_in",
    "joined",
    "key_index",
    "present",
]

#: Rules that compare NAT00120 rows with each other, grouped by client: a chunked run must keep every record
#: of a client in one chunk (partition by ``client_id``). Every other rule gives the same findings on any split
#: of NAT00120 into row ranges, given :data:`NAT00120_REFERENCE_KEYS` of the whole file.
CLIENT_PARTITIONED = frozenset({"V-120-16", "X-11", "X-12", "NSW-TO-03", "NSW-MAX-PROGRAMS"})

#: Key sets of NAT00120 read by rules on other files (X-06): pass them, computed from the whole NAT00120, in
#: ``Context.reference_keys`` when validating a chunk.
NAT00120_REFERENCE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (("NAT00120", ("client_id", "program_id")),)

#: Unit separator: cannot occur in a NAT text field, so joined keys never collide.
SEP = "\x1f"


def present(series: pd.Series) -> np.ndarray:
    """Cells that hold a value (not NA / NaT)."""
    return series.notna().to_numpy(dtype=bool)


def is_in(series: pd.Series, values: Iterable[str]) -> np.ndarray:
    """Cells equal to one of ``values`` (NA is never in)."""
    return series.isin(list(values)).to_numpy(dtype=bool)


def joined(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """One string per row: the key columns joined by :data:`SEP`; NA when any part is NA."""
    out = df[columns[0]].astype("string[pyarrow]")
    for col in columns[1:]:
        out = out + SEP + df[col].astype("string[pyarrow]")
    return out


def _tuple_text(key: tuple[object, ...]) -> str | None:
    parts = []
    for v in key:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return None
        parts.append(str(v))
    return SEP.join(parts)


def key_index(ctx: Context, file_id: str, columns: tuple[str, ...]) -> pd.Index | None:
    """The joined keys present in ``file_id`` (``None`` when the file is absent and no reference keys exist).

    ``Context.reference_keys`` wins over the frame, as in :meth:`Context.keys`, so a chunk can be given the
    keys of the whole file; otherwise the keys come straight from the frame (vectorised).
    """
    ref = ctx.reference_keys.get((file_id, columns))
    if ref is not None:
        texts = (_tuple_text(k) for k in ref)
        return pd.Index([t for t in texts if t is not None], dtype="string[pyarrow]")
    df = ctx.frame(file_id)
    if df is None:
        return None
    keys: pd.Index = pd.Index(joined(df, columns).dropna().unique(), dtype="string[pyarrow]")
    return keys


def group_codes(df: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """An integer group code per row for the key ``columns`` (-1 where any part is NA)."""
    codes, _ = pd.factorize(joined(df, columns), use_na_sentinel=True)
    return np.asarray(codes)


def date_text(series: pd.Series) -> pd.Series:
    """Dates as people read them in reports (DD/MM/YYYY, as AVS messages print them)."""
    text: pd.Series = series.dt.strftime("%d/%m/%Y").astype("string[pyarrow]")
    return text
