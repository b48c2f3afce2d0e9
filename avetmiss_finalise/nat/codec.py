"""Field kinds A / N / D, blank and ``@`` not-stated: the one place that pads, justifies and parses.

Two faces over the same rules:

* scalar (:func:`format_value`, :func:`parse_text`) for the record view, one value at a time;
* vectorised (:func:`decode_field`, :func:`encode_field`) for the columnar view, a whole column of fixed-width
  bytes at a time (numpy digit arithmetic, pyarrow string buffers), so million-row files need no Python loop.

Text is latin-1 on the byte side so every byte round-trips; bytes outside printable ASCII are reported by the
reader, not refused here. The rules (layouts.md §3):

* A: left-justified, space-filled. Read values are right-stripped of spaces; all blank → missing.
* N: right-justified, zero-filled digits. Codes (``role`` code/text) keep the full zero-filled string
  (``"01"``); numbers (``role`` number) are ints. ``@`` repeated to the full width is "not stated": a code keeps
  the ``@`` string as its value, a number is *missing* (an int cannot hold it) and the decoder flags the cell
  as :attr:`Decoded.not_stated` so the reader keeps its raw text for a byte-exact write (SMS exporters write
  ``@@@@`` in *Hours attended* for every unit that is not withdrawn; sms_habits.md).
* D: ``DDMMYYYY``, a real calendar date. All blank → missing.
* ``zero_fill=True`` (``Profile.zero_filled_fields``, the VIC TOID) writes an A value right-justified, zero-filled.
"""

from __future__ import annotations

import datetime
import functools

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from avetmiss_finalise.nat.layouts import Field

__all__ = [
    "STRING_DTYPE",
    "CellError",
    "CellProblem",
    "Decoded",
    "date_value",
    "decode_field",
    "empty_array",
    "encode_field",
    "expected_form",
    "format_value",
    "latin1_strings",
    "not_stated",
    "parse_ddmmyyyy",
    "parse_text",
]

U8 = npt.NDArray[np.uint8]
BoolArray = npt.NDArray[np.bool_]

SPACE, ZERO, NINE, AT = 0x20, 0x30, 0x39, 0x40

#: The dtype of every text/code/blank column (the columnar contract).
STRING_DTYPE = pd.StringDtype("pyarrow")


class CellError(ValueError):
    """A value that cannot be written (or text that cannot be read) as its field's kind."""

    def __init__(self, field: Field, value: object, expected: str) -> None:
        super().__init__(f"{field.name}: {value!r} is not {expected}")
        self.field = field
        self.value = value
        self.expected = expected


@attrs.frozen
class CellProblem:
    """One bad cell found by :func:`encode_field`: ``row`` is the 0-based position in the column."""

    row: int
    value: str
    expected: str


def expected_form(field: Field, *, zero_fill: bool = False) -> str:
    """What a valid value of ``field`` looks like, for messages."""
    if field.kind == "D":
        return "a date written DDMMYYYY (or blank)"
    if field.kind == "N" and field.role == "number":
        return (
            f"a whole number from 0 to {10**field.length - 1} written as {field.length} zero-filled digits, "
            f"{'@' * field.length} (not stated) or blank"
        )
    if field.kind == "N":
        return f"at most {field.length} digits (zero-filled), {'@' * field.length} (not stated) or blank"
    if zero_fill:
        return f"at most {field.length} characters (written right-justified, zero-filled)"
    return f"at most {field.length} characters of latin-1 text without line breaks"


def not_stated(field: Field) -> str:
    """The not-stated value of ``field``: ``@`` repeated to its length."""
    return "@" * field.length


# --------------------------------------------------------------------------------------------- scalar codec


def _latin1_ok(text: str) -> bool:
    return "\n" not in text and (text.isascii() or all(ord(c) < 256 for c in text))


def format_value(field: Field, value: object, *, zero_fill: bool = False) -> str:
    """``value`` as exactly ``field.length`` characters; raises :class:`CellError` rather than truncate."""
    w = field.length
    if value is None or value is pd.NA or (isinstance(value, str) and value == ""):
        return " " * w
    if field.kind == "D" or isinstance(value, datetime.date):
        if not isinstance(value, datetime.date):
            raise CellError(field, value, expected_form(field))
        if field.kind != "D" and w != 8:
            raise CellError(field, value, expected_form(field))
        return f"{value.day:02d}{value.month:02d}{value.year:04d}"
    if isinstance(value, bool):
        raise CellError(field, value, expected_form(field, zero_fill=zero_fill))
    if isinstance(value, int | np.integer):
        if field.kind != "N" or not 0 <= int(value) < 10**w:
            raise CellError(field, value, expected_form(field, zero_fill=zero_fill))
        return str(int(value)).zfill(w)
    if not isinstance(value, str):
        raise CellError(field, value, expected_form(field, zero_fill=zero_fill))
    if len(value) > w or not _latin1_ok(value):
        raise CellError(field, value, expected_form(field, zero_fill=zero_fill))
    if field.kind == "N":
        if value == "@" * w:
            return value
        if not value.isascii() or not value.isdigit():
            raise CellError(field, value, expected_form(field))
        return value.zfill(w)
    if zero_fill:
        # Shorter than the field, trailing spaces are padding, not part of the value ("90001 " is 90001); a value of
        # the full width is written as it stands (a left-justified TOID read back from a file keeps its bytes).
        text = value.rstrip(" ") if len(value) < w else value
        return text.rjust(w, "0") if text else " " * w
    return value.ljust(w)


def parse_text(field: Field, text: str) -> str | int | datetime.date | None:
    """The value of ``field``'s fixed-width ``text``; raises :class:`CellError` for an unparseable cell."""
    if text.strip(" ") == "":
        return None
    if field.role == "date":
        if len(text) == 8 and text.isascii() and text.isdigit():
            try:
                return datetime.date(int(text[4:]), int(text[2:4]), int(text[:2]))
            except ValueError:
                pass
        raise CellError(field, text, expected_form(field))
    if field.kind == "N":
        if text.isascii() and text.isdigit():
            return int(text) if field.role == "number" else text
        if text == "@" * len(text):
            return None if field.role == "number" else text  # a not-stated number is missing
        raise CellError(field, text, expected_form(field))
    return text.rstrip(" ")


# --------------------------------------------------------------------------------------------- vectorised decode


@attrs.frozen
class Decoded:
    """A decoded column: ``values`` in the contract dtype, ``bad`` marks unparseable (now missing) cells and
    ``not_stated`` the ``@``-filled numbers (missing too, but not a fault: "not stated"); ``None`` when none."""

    values: pd.api.extensions.ExtensionArray | np.ndarray
    bad: BoolArray
    not_stated: BoolArray | None = None


def latin1_strings(flat: U8, offsets: npt.NDArray[np.int64], valid: BoolArray) -> pa.Array:
    """A pyarrow large_string array over latin-1 bytes ``flat`` split at ``offsets`` (bytes ≥ 0x80 → UTF-8).

    large_string because that is what pandas' pyarrow-backed StringDtype stores: no cast copy afterwards.
    """
    n = len(offsets) - 1
    if flat.size and int(flat.max()) >= 0x80:
        hi = flat >= 0x80
        extra = np.concatenate(([0], np.cumsum(hi, dtype=np.int64)))
        pos = np.arange(flat.size, dtype=np.int64) + extra[:-1]
        out = np.empty(flat.size + int(extra[-1]), dtype=np.uint8)
        out[pos] = np.where(hi, 0xC0 | (flat >> 6), flat)
        out[pos[hi] + 1] = 0x80 | (flat[hi] & 0x3F)
        offsets = offsets + extra[offsets]
        flat = out
    null_count = int(n - np.count_nonzero(valid))
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if null_count else None
    buffers = [bitmap, pa.py_buffer(offsets.astype(np.int64, copy=False)), pa.py_buffer(flat)]
    return pa.Array.from_buffers(pa.large_string(), n, buffers, null_count=null_count)


def _fixed_strings(cells: U8, valid: BoolArray) -> pa.Array:
    n, w = cells.shape
    flat = np.ascontiguousarray(cells).reshape(-1)
    return latin1_strings(flat, np.arange(0, (n + 1) * w, w, dtype=np.int64), valid)


def _string_values(arr: pa.Array) -> pd.api.extensions.ExtensionArray:
    return pd.arrays.ArrowStringArray(arr)


def empty_array(field: Field) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """A zero-length column of ``field``'s contract dtype."""
    return decode_field(np.empty((0, field.length), dtype=np.uint8), field).values


def _all_equal(cells: U8, byte: int) -> BoolArray:
    """Rows whose every byte is ``byte`` (one pass, no (n, w) temporaries beyond one bool per byte)."""
    out: BoolArray = np.ones(cells.shape[0], dtype=bool)
    for k in range(cells.shape[1]):
        out &= cells[:, k] == byte
    return out


def _digits(cells: U8) -> BoolArray:
    out: BoolArray = np.ones(cells.shape[0], dtype=bool)
    for k in range(cells.shape[1]):
        out &= (cells[:, k] - np.uint8(ZERO)) <= 9
    return out


def _number(cells: U8) -> npt.NDArray[np.int64]:
    out: npt.NDArray[np.int64] = np.zeros(cells.shape[0], dtype=np.int64)
    for k in range(cells.shape[1]):
        out = out * 10 + (cells[:, k].astype(np.int64) - ZERO)
    return out


def decode_field(cells: U8, field: Field, *, zero_fill: bool = False) -> Decoded:
    """Decode the ``(n, field.length)`` byte block of one field into its contract dtype.

    With ``zero_fill`` (an A field the profile writes right-justified, zero-filled) a value that is not
    right-justified is bad: writing it back zero-filled would change it.
    """
    n = cells.shape[0]
    if field.role == "date":
        return _decode_date(cells, _all_equal(cells, SPACE))
    if field.role == "number":
        ok = _digits(cells)
        at = _all_equal(cells, AT) if cells.shape[1] else np.zeros(n, dtype=bool)
        bad = ~ok & ~at & ~_all_equal(cells, SPACE)
        values = np.where(ok, _number(cells), 0)
        return Decoded(pd.arrays.IntegerArray(values, ~ok), bad, at if at.any() else None)
    if field.kind == "N":
        ok = _digits(cells) | _all_equal(cells, AT)
        bad = ~ok & ~_all_equal(cells, SPACE)
        return Decoded(_string_values(_fixed_strings(cells, ok)), bad)
    if zero_fill:
        bad = ~_all_equal(cells, SPACE) & (cells[:, -1] == SPACE)
        arr = _trimmed_strings(cells, ~bad)
    else:
        bad = np.zeros(n, dtype=bool)
        arr = _trimmed_strings(cells, None)
    return Decoded(_string_values(arr), bad)


def _trimmed_strings(cells: U8, valid: BoolArray | None) -> pa.Array:
    """An A field's text, right-stripped of spaces, blank → null (and null where ``valid`` is False).

    Real columns are mostly all blank (optional fields) or all of one length (codes, ids of one scheme): both are
    found from the first row and checked with two column comparisons, and need no trim (the text is the cells'
    first ``k`` bytes). Other columns are trimmed by pyarrow.
    """
    n, w = cells.shape
    ones = np.ones(n, dtype=bool) if valid is None else valid
    if not n:
        return _fixed_strings(cells, ones)
    text = np.flatnonzero(cells[0] != SPACE)
    k = int(text[-1]) + 1 if text.size else 0
    if (k == 0 or bool((cells[:, k - 1] != SPACE).all())) and (k == w or bool((cells[:, k:] == SPACE).all())):
        if k == 0:
            return _null_strings(n)
        return _fixed_strings(cells[:, :k], ones)
    return _blank_to_null(pc.utf8_rtrim(_fixed_strings(cells, ones), characters=" "))


@functools.lru_cache(maxsize=4)
def _null_buffers(n: int) -> tuple[pa.Buffer, pa.Buffer]:
    """A zero validity bitmap and zero offsets for ``n`` strings, shared by every all-blank column of that length
    (arrow buffers are immutable): an optional field nobody fills costs no memory per column."""
    return pa.py_buffer(np.zeros((n + 7) // 8, dtype=np.uint8)), pa.py_buffer(np.zeros(n + 1, dtype=np.int64))


def _null_strings(n: int) -> pa.Array:
    bitmap, offsets = _null_buffers(n)
    return pa.Array.from_buffers(pa.large_string(), n, [bitmap, offsets, pa.py_buffer(b"")], null_count=n)


def _blank_to_null(arr: pa.Array) -> pa.Array:
    """Empty strings become nulls, reusing the offsets and data buffers (no copy of the text)."""
    validity, offsets, data = arr.buffers()
    offs = np.frombuffer(offsets, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    valid = np.diff(offs) > 0
    if validity is not None:
        valid &= np.asarray(arr.is_valid(), dtype=bool)
    null_count = int(len(arr) - np.count_nonzero(valid))
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if null_count else None
    if arr.offset:
        offsets = pa.py_buffer(offs.copy())
    return pa.Array.from_buffers(arr.type, len(arr), [bitmap, offsets, data], null_count=null_count)


#: Days in each month of a common year (index 0 unused: an invalid month indexes it and is refused anyway).
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
_NAT = np.iinfo(np.int64).min


def _decode_date(cells: U8, blank: BoolArray) -> Decoded:
    """DDMMYYYY digit bytes → datetime64[s], in integer arithmetic on the columns (H. Hinnant's days_from_civil):
    no datetime64[M] round trips, one pass per digit."""
    n = cells.shape[0]
    if cells.shape[1] != 8:
        return Decoded(np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"), ~blank)
    d = [cells[:, k] - np.uint8(ZERO) for k in range(8)]  # uint8: a non-digit wraps above 9
    ok = np.ones(n, dtype=bool)
    for digit in d:
        ok &= digit <= 9
    day = d[0].astype(np.int32) * 10 + d[1]
    month = d[2].astype(np.int32) * 10 + d[3]
    year = d[4].astype(np.int32) * 1000 + d[5].astype(np.int32) * 100 + d[6].astype(np.int32) * 10 + d[7]
    ok &= (month >= 1) & (month <= 12) & (year >= 1) & (day >= 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[np.where(ok, month, 0)] + (leap & (month == 2))
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    days = era.astype(np.int64) * 146097 + (yoe * 365 + yoe // 4 - yoe // 100 + doy) - 719468
    out = np.where(ok, days * 86400, _NAT).view("datetime64[s]")
    return Decoded(out, ~ok & ~blank)


def parse_ddmmyyyy(arr: pa.Array) -> npt.NDArray[np.datetime64]:
    """DDMMYYYY text (a pyarrow string array of ASCII) → datetime64[s], NaT where a value is not eight digits
    forming a real date: the reader's date decoding (:func:`_decode_date`) applied to text a layout keeps as text
    (NAT00080's date of birth, personal data), so a rule parses it as fast as the reader parses any date."""
    n = len(arr)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    if not n:
        return out
    arr = arr.cast(pa.large_string())
    eight = np.asarray(pc.binary_length(arr).fill_null(0).to_numpy(zero_copy_only=False)) == 8
    if not eight.any():
        return out
    _, offsets, data = arr.buffers()
    starts = np.frombuffer(offsets, dtype=np.int64)[arr.offset : arr.offset + n][eight]
    cells = np.frombuffer(data, dtype=np.uint8)[starts[:, None] + np.arange(8)]
    out[eight] = _decode_date(cells, np.zeros(len(starts), dtype=bool)).values
    return out


# --------------------------------------------------------------------------------------------- vectorised encode


def _as_strings(values: pd.Series) -> pa.Array:
    """``values`` (any dtype) as one contiguous pyarrow large_string array (nulls kept)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        arr = pa.array(values.array)  # zero-copy for ArrowStringArray
    else:
        obj = values.astype(object)
        obj = obj.where(obj.notna(), None)
        arr = pa.array([None if v is None else str(v) for v in obj], type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return arr


def _buffers(arr: pa.Array) -> tuple[npt.NDArray[np.int64], U8]:
    """(offsets, data) of a large_string array as numpy views."""
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
    buf = arr.buffers()[2]
    data = np.frombuffer(buf, dtype=np.uint8) if buf is not None else np.zeros(0, dtype=np.uint8)
    return offsets, data


def _fixed_bytes(arr: pa.Array, w: int, n: int) -> U8:
    """Strings all padded to ``w`` characters → an ``(n, w)`` byte view (latin-1 rows re-encoded one by one)."""
    offsets, data = _buffers(arr)
    if n == 0:
        return np.zeros((0, w), dtype=np.uint8)
    if int(offsets[-1] - offsets[0]) == n * w:
        return data[int(offsets[0]) : int(offsets[0]) + n * w].reshape(n, w)
    out = np.empty((n, w), dtype=np.uint8)
    for i, s in enumerate(arr.to_pylist()):
        out[i] = np.frombuffer(s.encode("latin-1"), dtype=np.uint8)
    return out


def _problems(values: pd.Series, mask: npt.NDArray[np.bool_], expected: str) -> list[CellProblem]:
    rows = np.flatnonzero(mask)
    shown = values.iloc[rows].astype(object).tolist()
    return [CellProblem(int(r), str(v), expected) for r, v in zip(rows, shown, strict=True)]


def encode_field(values: pd.Series, field: Field, *, zero_fill: bool = False) -> tuple[U8, list[CellProblem]]:
    """Encode a column into an ``(n, field.length)`` byte block, with every cell that cannot be written.

    Bad cells are written blank in the block and listed in the problems; the caller decides (raise).
    """
    n, w = len(values), field.length
    if field.role == "date" or pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _encode_dates(values, field)
    if field.role == "number" and (
        pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_float_dtype(values.dtype)
    ):
        return _encode_numbers(values, field)
    arr = _as_strings(values)
    offsets, data = _buffers(arr)
    byte_len = np.diff(offsets)
    valid = np.asarray(arr.is_valid(), dtype=bool) if arr.null_count else np.ones(n, dtype=bool)
    present = valid & (byte_len > 0)
    body = data[int(offsets[0]) : int(offsets[-1])] if n else data[:0]
    non_ascii = bool(body.size) and bool((body >= 0x80).any())
    if field.kind == "N":
        pattern = f"^([0-9]{{0,{w}}}|@{{{w}}})$"
        ok = np.asarray(pc.fill_null(pc.match_substring_regex(arr, pattern), True), dtype=bool) if n else present
    else:
        lengths = np.asarray(pc.fill_null(pc.utf8_length(arr), 0), dtype=np.int64) if non_ascii else byte_len
        ok = lengths <= w
        if body.size and bool((body == 0x0A).any()):
            ok &= ~np.asarray(pc.fill_null(pc.match_substring(arr, "\n"), False), dtype=bool)
        if non_ascii:
            ascii_ = np.asarray(pc.fill_null(pc.string_is_ascii(arr), True), dtype=bool)
            for i in np.flatnonzero(~ascii_ & ok):
                ok[i] = all(ord(c) < 256 for c in arr[int(i)].as_py())
    problems = _problems(values, present & ~ok, expected_form(field, zero_fill=zero_fill))
    keep = present & ok
    if problems:
        arr = pc.if_else(pa.array(keep), arr, pa.scalar("", pa.large_string()))
    arr = pc.fill_null(arr, "") if arr.null_count else arr
    if zero_fill and field.kind != "N":  # as format_value: a shorter value's trailing spaces are padding
        short = pc.less(pc.utf8_length(arr), w)
        arr = pc.if_else(short, pc.utf8_rtrim(arr, characters=" "), arr)
        keep &= np.asarray(pc.utf8_length(arr), dtype=np.int64) > 0
    if field.kind == "N" or zero_fill:
        arr = pc.utf8_lpad(arr, width=w, padding="0")
    else:
        arr = pc.utf8_rpad(arr, width=w, padding=" ")
    block = _fixed_bytes(arr, w, n)
    if not keep.all():
        block = block.copy()
        block[~keep] = SPACE
    return block, problems


def _encode_numbers(values: pd.Series, field: Field) -> tuple[U8, list[CellProblem]]:
    w = field.length
    na = np.asarray(values.isna(), dtype=bool)
    raw = np.asarray(values.astype("Float64").fillna(0).to_numpy(dtype=np.float64))
    ok = na | ((raw >= 0) & (raw < 10**w) & (raw == np.floor(raw)))
    problems = _problems(values, ~ok, expected_form(field))
    v = np.where(ok & ~na, raw, 0).astype(np.int64)
    out = np.empty((len(values), w), dtype=np.uint8)
    for k in range(w):
        out[:, k] = (v // 10 ** (w - 1 - k)) % 10 + ZERO
    out[na | ~ok] = SPACE
    return out, problems


def date_value(value: object) -> tuple[bool, datetime.date | None]:
    """(ok, date) from a date, ISO text or DDMMYYYY text; blank → (True, None); anything else → (False, None).

    The one reading of a date given by a caller: the writer and :func:`avetmiss_finalise.nat.conform` both use it.
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return True, None
    if isinstance(value, datetime.datetime):
        return True, value.date()
    if isinstance(value, datetime.date):
        return True, value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return True, None
        try:
            if len(text) == 8 and text.isascii() and text.isdigit():
                return True, datetime.date(int(text[4:]), int(text[2:4]), int(text[:2]))
            return True, datetime.date.fromisoformat(text)
        except ValueError:
            return False, None
    return False, None


def _civil(days: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
    """(year, month, day) of days since 1970-01-01, in integer arithmetic (H. Hinnant's civil_from_days)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _encode_dates(values: pd.Series, field: Field) -> tuple[U8, list[CellProblem]]:
    w = field.length
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dt = values
        problems: list[CellProblem] = []
    else:
        parsed = [date_value(v) for v in values.astype(object).tolist()]
        bad = np.array([not ok for ok, _ in parsed], dtype=bool)
        stamps = np.array(
            [np.datetime64("NaT") if d is None else np.datetime64(d, "D") for _, d in parsed], dtype="datetime64[D]"
        )
        dt = pd.Series(stamps.astype("datetime64[s]"), index=values.index)
        problems = _problems(values, bad, expected_form(field))
    if w != 8:
        problems += _problems(values, np.asarray(values.notna(), dtype=bool), expected_form(field))
        return np.full((len(values), w), SPACE, dtype=np.uint8), problems
    dt = dt.dt.tz_localize(None) if getattr(dt.dt, "tz", None) is not None else dt
    na = np.asarray(dt.isna(), dtype=bool)
    seconds = dt.to_numpy(dtype="datetime64[s]").view(np.int64)
    year, month, day = _civil(np.where(na, 0, seconds // 86400))
    out_of_range = ~na & ((year < 1) | (year > 9999))
    problems += _problems(values, out_of_range, expected_form(field))
    out = np.empty((len(values), 8), dtype=np.uint8)
    for k, (num, div) in enumerate(((day, 10), (day, 1), (month, 10), (month, 1))):
        out[:, k] = (num // div) % 10 + ZERO
    for k, div in enumerate((1000, 100, 10, 1)):
        out[:, 4 + k] = (year // div) % 10 + ZERO
    out[na | out_of_range] = SPACE
    return out, problems
