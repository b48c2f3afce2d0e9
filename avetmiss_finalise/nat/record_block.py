"""Many records of one NAT file → their lines as one byte matrix, checked once, vectorised.

:func:`avetmiss_finalise.nat.frames.line_and_issues` checks and formats one record at a time in Python (about
25 µs a NAT00120 row); a batch of a million rows spent a fifth of its time there. :func:`encode_records` does the
same work a field at a time with the columnar writer's :func:`~avetmiss_finalise.nat.codec.encode_field`, and
returns what ``line_and_issues`` would have said for every record: the same characters (one row of the matrix
per record) and the same issues (recomputed with ``format_value`` for the few cells the columnar check refuses,
so every message is the scalar writer's own).

It takes only the records whose meaning the two writers share — every value of the type its field is declared
with (``str`` codes and text, ``int`` numbers, ``datetime.date`` dates, or ``None``), no ``extra`` text, no
``unparsed`` cells — and returns ``None`` for anything else, so the caller falls back to ``line_and_issues``: an
odd record costs speed, never a different byte.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from operator import attrgetter

import numpy as np
import pandas as pd
import pyarrow as pa

from avetmiss_finalise.issues import Issue
from avetmiss_finalise.nat.codec import U8, CellError, encode_field, format_value
from avetmiss_finalise.nat.frames import _issue, _plan
from avetmiss_finalise.nat.layouts import Field
from avetmiss_finalise.nat.records import NatRecord
from avetmiss_finalise.profiles import Profile

__all__ = ["encode_records", "file_bytes"]

_NONE = type(None)
#: The Python types each field role takes on the fast path (exact types: a bool is not an int here, nor a
#: datetime a date, nor a str enum a str; those go through the scalar writer).
_TYPES: dict[str, frozenset[type]] = {
    "date": frozenset({datetime.date, _NONE}),
    "number": frozenset({int, _NONE}),
}
_TEXT = frozenset({str, _NONE})
_EPOCH = datetime.date(1970, 1, 1).toordinal()


def _column(field: Field, values: list[object]) -> pd.Series | None:
    """``values`` as the typed column ``encode_field`` reads for ``field``; ``None`` if one is of another type."""
    kinds = set(map(type, values))
    if not kinds <= _TYPES.get(field.role, _TEXT):
        return None
    n = len(values)
    if field.role == "date":
        na = np.fromiter((v is None for v in values), dtype=bool, count=n)
        days = np.fromiter(
            (0 if v is None else v.toordinal() - _EPOCH for v in values),  # type: ignore[attr-defined]
            dtype=np.int64,
            count=n,
        )
        stamps = days.astype("datetime64[D]").astype("datetime64[s]")
        stamps[na] = np.datetime64("NaT")
        return pd.Series(stamps)
    if field.role == "number":
        na = np.fromiter((v is None for v in values), dtype=bool, count=n)
        data = np.array([0 if v is None else v for v in values], dtype=np.int64)  # OverflowError: scalar path
        return pd.Series(pd.arrays.IntegerArray(data, na))
    return pd.Series(pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string())))


def encode_records(records: Sequence[NatRecord], profile: Profile) -> tuple[U8, dict[int, list[Issue]]] | None:
    """(an ``(n, layout width)`` byte matrix, row → issues) for ``records`` of one file, both exactly what
    ``line_and_issues(record, profile)`` gives for each (a refused cell is blank in its row, as there); ``None``
    when some record is outside what the fast path takes (see the module doc)."""
    if not records:
        return None
    cls = type(records[0])
    if any(type(r) is not cls or r.extra or r.unparsed for r in records):
        return None
    fid = cls.file_id
    kept, cut = _plan(fid, profile)
    n = len(records)
    block = np.full((n, profile.layout(fid).width), 0x20, dtype=np.uint8)
    bad: list[tuple[int, int]] = []
    try:
        for k, (field, zero_fill) in enumerate(kept):
            values = list(map(attrgetter(field.name), records))  # one C loop: 30 fields of a million records
            column = _column(field, values)
            if column is None:
                return None
            if not column.notna().any():
                continue
            cells, problems = encode_field(column, field, zero_fill=zero_fill)
            block[:, field.offset : field.stop] = cells
            bad += [(p.row, k) for p in problems]
    except (pa.ArrowException, OverflowError, TypeError, ValueError):  # a surrogate, a huge int: the scalar path
        return None
    for k, field in enumerate(cut, len(kept)):
        bad += [(i, k) for i, r in enumerate(records) if getattr(r, field.name) is not None]
    issues: dict[int, list[Issue]] = {}
    name = f"{fid}.txt"
    for row, k in sorted(bad):
        if k >= len(kept):
            field = cut[k - len(kept)]
            value = getattr(records[row], field.name)
            issues.setdefault(row, []).append(_issue(name, 1, field, value, f"blank under profile {profile.name}"))
            continue
        field, zero_fill = kept[k]
        try:
            format_value(field, getattr(records[row], field.name), zero_fill=zero_fill)
        except CellError as exc:
            issues.setdefault(row, []).append(_issue(name, 1, field, exc.value, exc.expected))
            continue
        return None  # the two writers disagree on this cell: let the scalar one decide every record
    return block, issues


def file_bytes(block: U8, keep: np.ndarray) -> bytes:
    """The NAT file of the rows of ``block`` where ``keep``: each line followed by CR LF (an empty file: none)."""
    rows = block[keep]
    out = np.empty((len(rows), block.shape[1] + 2), dtype=np.uint8)
    out[:, :-2] = rows
    out[:, -2] = 0x0D
    out[:, -1] = 0x0A
    return out.tobytes()
