"""Vectorised column, mask and hit helpers shared by every rule module (``rules_files`` … ``rules_nsw``).

Key sets, group codes and the chunking contract of the record, cross-file, period and NSW rules are in
:mod:`.keysets`.

Conventions shared by the file- and field-level rules (``rules_files`` … ``rules_activity_fields``):

- A blank cell is ``NA`` (the reader turns all-space cells into ``NA``); an empty string counts as blank too.
- A cell the reader could not parse (listed in ``Context.unparsed``) is *not* reported again as blank: the
  reader's Issue (or F-02 for dates) already locates it with its raw text. An ``@``-filled number is listed
  there too (its raw text is kept for writing), but it is *not stated*, not a fault of form: a rule that needs
  the value reports it as missing (:func:`missing` says "not stated").
- The internal code ``00`` is reported once, by F-07, not again by the code-list rule of its field.
- Messages never quote values; the engine shows the value (masked when the field is personal).

Uniqueness rules (V-010-02, V-020-01, V-030-06, V-060-01, V-080-01) look at one whole file: when a collection
is validated in chunks, only NAT00120 is split, and these files are passed whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.issues import Severity
from avetmiss_finalise.nat.codec import parse_ddmmyyyy
from avetmiss_finalise.validation.registry import Context, Hit

__all__ = [
    "ACT",
    "CAT",
    "CODES",
    "LAYOUTS",
    "blank_cells",
    "column",
    "date_text",
    "ddmmyyyy",
    "duplicated",
    "hit_rows",
    "hits",
    "is_blank",
    "is_in",
    "is_present",
    "missing",
    "not_in",
    "not_stated_mask",
    "present",
    "reference_date",
    "restated",
    "text_dates",
    "unparsed_mask",
]

ACT = "NAT00120"
CAT = "validation_rules.md"
CODES = "code_lists.md"
LAYOUTS = "layouts.md"


def is_blank(s: pd.Series) -> pd.Series:
    """Cells that are NA or (for text) empty after stripping spaces."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        # Empty or all whitespace (pyarrow's own class, the one str.strip() uses here), without building the
        # stripped strings: two kernels and one fill instead of a cast, a strip, a compare and a fill.
        arr = pa.array(s.array)
        blank = pc.or_kleene(pc.equal(pc.binary_length(arr), 0), pc.utf8_is_space(arr)).fill_null(True)
        return pd.Series(np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool), index=s.index, name=s.name)
    if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
        return s.isna() | (s.astype("string").str.strip() == "").fillna(True)
    return s.isna()


def blank_cells(ctx: Context, file_id: str, field: str, s: pd.Series) -> pd.Series:
    """:func:`is_blank` of column ``field`` (``s``) of ``file_id``, once per Context: a code-list field is read
    by its code-list rule and again by its mandatory-field rule."""
    found: pd.Series = ctx.built("is_blank", file_id, (field,), lambda: is_blank(s))
    return found


def is_present(s: pd.Series) -> pd.Series:
    """Cells that are not blank (:func:`is_blank`)."""
    return ~is_blank(s)


def present(series: pd.Series) -> np.ndarray:
    """Cells that hold a value (not NA / NaT); unlike :func:`is_present`, an empty string counts."""
    return series.notna().to_numpy(dtype=bool)


def is_in(series: pd.Series, values: Iterable[str]) -> np.ndarray:
    """Cells equal to one of ``values`` (NA is never in)."""
    return series.isin(list(values)).to_numpy(dtype=bool)


def date_text(series: pd.Series) -> pd.Series:
    """Dates as people read them in reports (DD/MM/YYYY, as AVS messages print them)."""
    text: pd.Series = series.dt.strftime("%d/%m/%Y").astype("string[pyarrow]")
    return text


def hit_rows(mask: pd.Series) -> pd.Index:
    """Index labels where ``mask`` is true (NA counts as false)."""
    return mask.index[mask.fillna(False).to_numpy(dtype=bool)]


def hits(
    file_id: str,
    mask: pd.Series | np.ndarray,
    field: str | None,
    *,
    index: pd.Index | None = None,
    severity: Severity | None = None,
    details: pd.Series | str | None = None,
    values: pd.Series | None = None,
) -> Iterator[Hit]:
    """One Hit for the rows where ``mask`` is true, or nothing when it is true nowhere.

    ``mask`` is a boolean Series (its index labels the rows) or a boolean array aligned with ``index``.
    """
    if not mask.any():
        return
    if isinstance(mask, pd.Series):
        rows = hit_rows(mask)
    else:
        assert index is not None, "an array mask needs the index of its rows"
        rows = index[mask]
    yield Hit(file_id=file_id, rows=rows, field=field, values=values, severity=severity, details=details)


def restated(found: Iterable[Hit], *, severity: Severity | None = None, details: str | None = None) -> Iterator[Hit]:
    """``found`` at the same rows and fields, with their details and severity replaced by these."""
    for hit in found:
        yield Hit(file_id=hit.file_id, rows=hit.rows, field=hit.field, severity=severity, details=details)


def column(ctx: Context, file_id: str, field: str) -> pd.Series | None:
    """Column ``field`` of ``file_id`` (``None`` when the file or the column is absent)."""
    df = ctx.frame(file_id)
    if df is None or field not in df.columns:
        return None
    return df[field]


def ddmmyyyy(s: pd.Series) -> pd.Series:
    """Dates parsed from DDMMYYYY text (NaT where the text is not eight digits or not a real date).

    ASCII text (all a NAT file can hold) is parsed on its bytes by the reader's own date decoding; anything else
    (a frame built in memory) by pandas, whose ``\\d`` also matches other scripts' digits."""
    text = s.astype("string[pyarrow]")
    arr = pa.array(text.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pc.all(pc.string_is_ascii(arr)).as_py() is not False:
        return pd.Series(parse_ddmmyyyy(arr), index=s.index, name=s.name)
    return pd.to_datetime(text.where(text.str.fullmatch(r"\d{8}").fillna(False)), format="%d%m%Y", errors="coerce")


def text_dates(ctx: Context, file_id: str, field: str) -> pd.Series | None:
    """:func:`ddmmyyyy` of the text column ``field`` of ``file_id``, parsed once per Context (F-02 and V-080-08
    both read NAT00080's dates of birth); ``None`` when the file or column is absent."""
    s = column(ctx, file_id, field)
    if s is None:
        return None
    parsed: pd.Series = ctx.built("ddmmyyyy", file_id, (field,), lambda: ddmmyyyy(s))
    return parsed


def _raw_cells(ctx: Context, file_id: str, field: str, index: pd.Index, *, stated: bool) -> pd.Series:
    up = ctx.unparsed.get(file_id)
    if up is None or not len(up):
        return pd.Series(False, index=index)
    cells = up[(up["field"] == field).to_numpy(dtype=bool)]
    at = cells["text"].astype("string").str.fullmatch("@+").fillna(False).to_numpy(dtype=bool)
    if at.any() and not _is_number(ctx, file_id, field):
        at[:] = False  # only a number is "not stated" when @-filled; an @-filled date is unparsed (F-02)
    rows = cells["row"].to_numpy()[~at if stated else at]
    return pd.Series(index.isin(rows), index=index)


def _is_number(ctx: Context, file_id: str, field: str) -> bool:
    try:
        return ctx.profile.layout(file_id).field(field).role == "number"
    except (KeyError, ValueError):  # a file or column the profile does not lay out
        return False


def unparsed_mask(ctx: Context, file_id: str, field: str, index: pd.Index) -> pd.Series:
    """Rows whose ``field`` the reader could not parse (``@``-filled numbers are not stated, not unparsed)."""
    return _raw_cells(ctx, file_id, field, index, stated=True)


def not_stated_mask(ctx: Context, file_id: str, field: str, index: pd.Index) -> pd.Series:
    """Rows whose number ``field`` is ``@``-filled ("not stated"; missing in the frame, raw text kept)."""
    return _raw_cells(ctx, file_id, field, index, stated=False)


def missing(ctx: Context, file_id: str, fields: Iterable[str]) -> Iterator[Hit]:
    """Hits for blank (or not stated) mandatory ``fields`` of ``file_id`` (unparsed cells excluded)."""
    for field in fields:
        s = column(ctx, file_id, field)
        if s is None:
            continue
        bad = blank_cells(ctx, file_id, field, s) & ~unparsed_mask(ctx, file_id, field, s.index)
        at = not_stated_mask(ctx, file_id, field, s.index)
        yield from hits(file_id, bad & ~at, field, details="must not be blank")
        yield from hits(file_id, bad & at, field, details="must not be blank or not stated (@-filled)")


def not_in(
    ctx: Context,
    file_id: str,
    field: str,
    allowed: Iterable[str],
    *,
    required: bool = False,
    pattern: str | None = None,
) -> Iterator[Hit]:
    """Hits for ``field`` values outside ``allowed`` (or not matching ``pattern``); blank only when required."""
    s = column(ctx, file_id, field)
    if s is None:
        return
    text = s.astype("string")
    ok = text.isin(list(allowed))
    if pattern is not None:
        ok = ok | text.str.fullmatch(pattern).fillna(False)
    bad = ~blank_cells(ctx, file_id, field, s) & ~ok & (text != "00").fillna(True)
    yield from hits(file_id, bad, field, details="not a permitted code")
    if required:
        yield from missing(ctx, file_id, (field,))


def duplicated(ctx: Context, file_id: str, key: list[str], field: str) -> Iterator[Hit]:
    """Hits for rows whose ``key`` repeats an earlier row (the last key column present)."""
    df = ctx.frame(file_id)
    if df is None or not set(key) <= set(df.columns) or not len(df):
        return
    present = is_present(df[key[-1]])
    dup = df[key].duplicated(keep="first") & present
    yield from hits(file_id, dup, field, details="duplicates an earlier record")


def reference_date(ctx: Context) -> datetime.date | None:
    """ "Today" for age checks: the reporting date when given, else the period end."""
    if ctx.options.reporting_date is not None:
        return ctx.options.reporting_date
    return ctx.period.end if ctx.period is not None else None
