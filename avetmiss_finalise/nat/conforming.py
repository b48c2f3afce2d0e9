"""Bring frames built by a caller to the columnar contract: ``conform(frames, profile)``.

The rules read frames as ``read_collection`` makes them (docs/nat-format.md, "Columnar view"): one column per
layout field in order plus ``extra``, a RangeIndex, text and codes as ``string[pyarrow]`` (A fields right-stripped,
N codes zero-filled, blank → ``<NA>``), numbers ``Int64``, dates ``datetime64[s]``. A caller's frames come from an
SMS query, a CSV or a spreadsheet: Python ``date`` objects, codes as integers (``20`` for ``"20"``, ``1`` for
``"01"``), floats where a missing value turned an integer column into float, object columns of mixed types. Given
to the rules as they are, they made raw ``TypeError``/``KeyError`` tracebacks or, worse, false findings.

``conform`` coerces what has one meaning and refuses, with a :class:`~avetmiss_finalise.errors.UsageError` naming
the file and the column (and the first bad cell's position; its value only when it is not personal data), what
has none or cannot be written to a NAT file: a number with a fraction, text in a number field, a code longer than
its field, a date with a time of day, an unknown column (a typo would otherwise be dropped silently), a missing
required column, an unknown or empty file key, no frames at all. A column of another profile's layout of the
file (national's SA1/SA2 under ``nsw``) is dropped when blank and refused otherwise. An integer index is kept —
line = label + 1, so a chunk keeps its lines — and any other index is numbered 0..n-1. A frame already in the
contract is passed through untouched (no copy), so conforming what the reader made costs nothing.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.issues import PERSONAL_HIDDEN
from avetmiss_finalise.nat.codec import STRING_DTYPE, date_value
from avetmiss_finalise.nat.layouts import FILE_IDS, Field, Layout
from avetmiss_finalise.profiles import PROFILE_NAMES, Profile, get_profile

__all__ = ["EXTRA", "conform", "conform_frame", "conforms", "file_key"]

#: The column holding a record's characters past the profile's layout (verbatim).
EXTRA = "extra"
_DATE = np.dtype("datetime64[s]")
Mask = npt.NDArray[np.bool_]


def conform(frames: Mapping[str, pd.DataFrame], profile: str | Profile = "national") -> dict[str, pd.DataFrame]:
    """``{file id: frame}`` in the columnar contract of ``profile``'s layouts, in submission file order.

    Raises ``UsageError`` for anything that cannot be coerced (see the module docstring); never mutates its input.
    """
    prof = get_profile(profile)
    if isinstance(frames, pd.DataFrame) or not isinstance(frames, Mapping):
        raise UsageError(f"expected frames by NAT file id ({{'NAT00120': DataFrame, …}}), got {type(frames).__name__}")
    if not frames:
        raise UsageError("no frames given: an empty collection is not a clean one; pass {'NAT00120': DataFrame, …}")
    out: dict[str, pd.DataFrame] = {}
    for key, frame in frames.items():
        fid = file_key(key)
        if not isinstance(frame, pd.DataFrame):
            raise UsageError(f"{fid}: expected a pandas DataFrame, got {type(frame).__name__}")
        out[fid] = conform_frame(frame, fid, prof)
    return {f: out[f] for f in FILE_IDS if f in out}


def file_key(key: object) -> str:
    """``key`` if it is a NAT file id, else a ``UsageError`` that says what was probably meant."""
    if isinstance(key, str) and key in FILE_IDS:
        return key
    if not isinstance(key, str) or not key.strip():
        raise UsageError(f"empty or non-text file key {key!r}: keys are NAT file ids such as 'NAT00120'")
    guess = key.strip().upper().removesuffix(".TXT")
    if guess in FILE_IDS:
        hint = f": file ids are written {guess!r}"
    else:
        close = difflib.get_close_matches(guess, FILE_IDS, n=1)
        hint = f": did you mean {close[0]!r}?" if close else ""
    raise UsageError(f"unknown file key {key!r}{hint} (file ids: {', '.join(FILE_IDS)})")


def _line_index(index: pd.Index) -> bool:
    """An index whose labels can be line numbers less one: unique non-negative integers (a RangeIndex from 0, or the
    labels of a chunk cut from a larger frame, which keep their lines)."""
    if isinstance(index, pd.RangeIndex):
        return index.start >= 0 and index.step > 0
    if not pd.api.types.is_integer_dtype(index.dtype) or not index.is_unique:
        return False
    return len(index) == 0 or int(index.min()) >= 0


def conforms(frame: pd.DataFrame, lay: Layout) -> bool:
    """``frame`` is exactly in the contract of ``lay`` (columns, order, dtypes, an integer line index)."""
    if not _line_index(frame.index):
        return False
    if list(frame.columns) != [*lay.names, EXTRA]:
        return False
    return all(frame[f.name].dtype == _dtype(f) for f in lay.fields) and frame[EXTRA].dtype == STRING_DTYPE


def conform_frame(frame: pd.DataFrame, file_id: str, profile: str | Profile = "national") -> pd.DataFrame:
    """One file's frame in the contract of ``profile``'s layout of ``file_id`` (see :func:`conform`)."""
    prof = get_profile(profile)
    lay = prof.layout(file_key(file_id))
    frame = _check_columns(frame, lay, prof)
    if conforms(frame, lay):
        return frame
    n = len(frame)
    data: dict[str, Any] = {}
    for field in lay.fields:
        if field.name in frame.columns:
            zero_fill = (lay.file_id, field.name) in prof.zero_filled_fields
            data[field.name] = _column(frame[field.name].reset_index(drop=True), field, lay.file_id, zero_fill)
        else:
            data[field.name] = _blank(field, n)
    data[EXTRA] = _extra(frame[EXTRA].reset_index(drop=True), lay.file_id) if EXTRA in frame.columns else None
    if data[EXTRA] is None:
        data[EXTRA] = pd.Series(pd.NA, index=range(n), dtype=STRING_DTYPE)
    out = pd.DataFrame(data, index=pd.RangeIndex(n))
    # Line = label + 1: integer labels are kept (a chunk keeps its lines); any other index is numbered 0..n-1.
    return out.set_axis(frame.index, axis=0) if _line_index(frame.index) else out


# --------------------------------------------------------------------------------------------- columns


def _dtype(field: Field) -> Any:
    if field.role == "date":
        return _DATE
    if field.role == "number":
        return pd.Int64Dtype()
    return STRING_DTYPE


def _check_columns(frame: pd.DataFrame, lay: Layout, prof: Profile) -> pd.DataFrame:
    """``frame`` without blank columns of another profile's layout; ``UsageError`` for any other wrong column."""
    fid = lay.file_id
    columns = list(frame.columns)
    odd = [c for c in columns if not isinstance(c, str)]
    if odd:
        raise UsageError(f"{fid}: column names must be field names such as {lay.names[0]!r}; got {odd[:3]!r}")
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise UsageError(f"{fid}: column(s) given twice: {', '.join(twice)}")
    unknown = [c for c in columns if c not in lay.names and c != EXTRA]
    # A field of this file under another profile (national's SA1/SA2 under nsw) holding nothing loses nothing.
    blank = [c for c in unknown if _other_profiles(c, lay, prof) and not frame[c].notna().any()]
    unknown = [c for c in unknown if c not in blank]
    if unknown:
        raise UsageError(f"{fid}: unknown column(s) {'; '.join(_unknown(c, lay, prof) for c in unknown)}")
    missing = [f.name for f in lay.fields if f.required == "Y" and f.name not in frame.columns]
    if missing:
        raise UsageError(
            f"{fid}: missing column(s) {', '.join(missing)} (required fields of {fid}; the other fields may be left"
            " out and are then blank)"
        )
    return frame.drop(columns=blank) if blank else frame


def _other_profiles(column: str, lay: Layout, prof: Profile) -> list[str]:
    return [p for p in PROFILE_NAMES if p != prof.name and column in get_profile(p).layout(lay.file_id).names]


def _unknown(column: str, lay: Layout, prof: Profile) -> str:
    elsewhere = _other_profiles(column, lay, prof)
    if elsewhere:
        return (
            f"{column!r} (a field of {lay.file_id} under profile {', '.join(elsewhere)}, not {prof.name}, and not "
            "blank here: validate under that profile or drop the column)"
        )
    close = difflib.get_close_matches(column, lay.names, n=1)
    return f"{column!r} (did you mean {close[0]!r}?)" if close else repr(column)


def _blank(field: Field, n: int) -> pd.Series:
    if field.role == "date":
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype=_DATE))
    blank: pd.Series = pd.Series(pd.NA, index=range(n), dtype=_dtype(field))
    return blank


def _column(values: pd.Series, field: Field, file_id: str, zero_fill: bool) -> pd.Series:
    if values.dtype == _dtype(field) and field.role in ("date", "number"):
        return values
    if field.role == "date":
        out, bad, expected = _dates(values)
    elif field.role == "number":
        out, bad, expected = _numbers(values, field)
    else:
        out, bad, expected = _texts(values, field, zero_fill)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        cell = values.iloc[first]
        shown = PERSONAL_HIDDEN if field.personal else repr(cell.item() if isinstance(cell, np.generic) else cell)
        raise UsageError(
            f"{file_id} column {field.name!r}: {int(bad.sum())} value(s) cannot be read as {expected}; "
            f"the first is {shown} at position {first}"
        )
    return out


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))


def _dates(values: pd.Series) -> tuple[pd.Series, Mask, str]:
    expected = "a date (datetime.date, a datetime at midnight, 'YYYY-MM-DD' or DDMMYYYY text) or blank"
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        naive = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        stamps = naive.to_numpy()
        days = stamps.astype("datetime64[D]")
        bad = ~np.isnat(stamps) & (days.astype(stamps.dtype) != stamps)  # a time of day would be lost
        return pd.Series(days.astype(_DATE)), bad, expected
    items = values.astype(object).tolist()
    parsed = [_date(v) for v in items]
    bad = np.array([not ok for ok, _ in parsed], dtype=bool)
    days = np.array([np.datetime64("NaT") if d is None else np.datetime64(d, "D") for _, d in parsed], "datetime64[D]")
    return pd.Series(days.astype(_DATE)), bad, expected


def _date(value: object) -> tuple[bool, datetime.date | None]:
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return True, None
        day = value.astype("datetime64[D]")
        return (True, day.item()) if day.astype(value.dtype) == value else (False, None)
    if isinstance(value, datetime.datetime) and (value.time() != datetime.time(0) or value.tzinfo is not None):
        if value.tzinfo is not None and value.replace(tzinfo=None).time() == datetime.time(0):
            return True, value.date()
        return False, None
    if isinstance(value, bool | int | float) and not _missing(value):
        return False, None
    return date_value(value)


def _numbers(values: pd.Series, field: Field) -> tuple[pd.Series, Mask, str]:
    top = 10**field.length
    expected = f"a whole number from 0 to {top - 1} (or blank)"
    n = len(values)
    if pd.api.types.is_bool_dtype(values.dtype):
        return pd.Series(pd.NA, index=range(n), dtype="Int64"), np.asarray(values.notna(), dtype=bool), expected
    if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_float_dtype(values.dtype):
        nums = values.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        refused = np.zeros(n, dtype=bool)
    else:  # object or text: one cell at a time (a caller's mixed column; typed columns take the line above)
        cells = [_whole(v) for v in values.astype(object).tolist()]
        refused = np.array([v is False for v in cells], dtype=bool)
        nums = np.array([np.nan if v is None or v is False else float(v) for v in cells], dtype=np.float64)
    na = np.isnan(nums)
    with np.errstate(invalid="ignore"):
        bad = refused | (~na & (~np.isfinite(nums) | (nums < 0) | (nums >= top) | (nums % 1 != 0)))
    na &= ~refused
    nums = np.where(na, 0, nums)
    out = pd.arrays.IntegerArray(np.where(bad | na, 0, nums).astype(np.int64), na | bad)
    return pd.Series(out), bad, expected


def _whole(value: object) -> float | int | bool | None:
    """An object cell as a number, ``None`` (blank) or ``False`` (not a number)."""
    if _missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, int | np.integer | float | np.floating):
        return float(value) if np.isfinite(float(value)) else False
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return int(text) if text.isascii() and text.isdigit() else False
    return False


def _texts(values: pd.Series, field: Field, zero_fill: bool) -> tuple[pd.Series, Mask, str]:
    w = field.length
    numeric = field.kind == "N" or field.role == "code" or zero_fill
    if field.kind == "N":
        expected = f"a code of at most {w} digits ({'@' * w}: not stated; integers are zero-filled) or blank"
    else:
        expected = f"text of at most {w} characters (latin-1, no line breaks) or blank"
    n = len(values)
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype):
        return pd.Series(pd.NA, index=range(n), dtype=STRING_DTYPE), np.asarray(values.notna(), dtype=bool), expected
    text, refused = _as_text(values, w if numeric else 0)
    text = text.str.strip(" ") if field.kind == "N" else text.str.rstrip(" ")
    text = text.mask(text == "")
    present = np.asarray(text.notna(), dtype=bool)
    if field.kind == "N":
        digits = np.asarray(text.str.fullmatch("[0-9]+").fillna(False), dtype=bool)
        ok = digits | np.asarray((text == "@" * w).fillna(False), dtype=bool)
        text = text.where(~pd.Series(digits), text.str.zfill(w))
    else:
        ok = ~np.asarray(text.str.contains("[\n]|[^\\x00-\\xff]", regex=True).fillna(False), dtype=bool)
        if zero_fill:
            text = text.str.rjust(w, "0")
    ok &= np.asarray(text.str.len().fillna(0) <= w, dtype=bool)
    bad = refused | (present & ~ok)
    return text.mask(pd.Series(bad)).astype(STRING_DTYPE), bad, expected


def _as_text(values: pd.Series, pad: int) -> tuple[pd.Series, Mask]:
    """Cells as strings (integers zero-filled to ``pad``) and the cells that have no text reading."""
    n = len(values)
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype(STRING_DTYPE), np.zeros(n, dtype=bool)
    if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_float_dtype(values.dtype):
        nums = values.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        na = np.isnan(nums)
        with np.errstate(invalid="ignore"):
            refused = ~na & (~np.isfinite(nums) | (nums < 0) | (nums % 1 != 0) | (nums >= 2**53))
        whole = pd.array(np.where(na | refused, 0, nums).astype(np.int64), dtype="Int64")
        whole[na | refused] = pd.NA
        text = pd.Series(whole).astype(STRING_DTYPE)
        return (text.str.zfill(pad) if pad else text), refused
    prepared = [_text(v, pad) for v in values.astype(object).tolist()]
    refused = np.array([v is False for v in prepared], dtype=bool)
    return pd.Series([v if isinstance(v, str) else None for v in prepared], dtype=STRING_DTYPE), refused


def _text(value: object, pad: int) -> str | bool | None:
    """An object cell as text (integers zero-filled to ``pad`` when the field is a numeric code), ``None``
    (blank) or ``False`` (no text reading: a bool, a fraction, a date, another object)."""
    if _missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, float | np.floating):
        if not np.isfinite(value) or value % 1:
            return False
        value = int(value)
    if isinstance(value, int | np.integer):
        return False if value < 0 else str(int(value)).zfill(pad)
    return False


def _extra(values: pd.Series, file_id: str) -> pd.Series:
    items = values.astype(object).tolist()
    odd = [i for i, v in enumerate(items) if not (_missing(v) or isinstance(v, str))]
    if odd:
        raise UsageError(f"{file_id} column 'extra': text expected (characters past the layout), position {odd[0]}")
    return pd.Series([None if _missing(v) or v == "" else v for v in items], dtype=STRING_DTYPE)
