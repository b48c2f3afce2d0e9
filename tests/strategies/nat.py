"""NAT field values, fixed-width cells, lines and records for every layout and profile.

``cell_text(field)`` draws well-formed fixed-width text of a field (what a conforming file holds);
``nat_lines(file_id, profile)`` whole records, optionally with extra characters past the layout;
``records(file_id, profile)`` record objects whose values survive a write/read cycle unchanged
(codes at full width, A text without trailing spaces, dates in years 1-9999).
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

from avetmiss_finalise.nat.layouts import FILE_IDS, Field, base_layout
from avetmiss_finalise.nat.records import RECORD_CLASSES, NatRecord
from avetmiss_finalise.profiles import PROFILE_NAMES, get_profile

__all__ = [
    "FILE_PROFILE_PAIRS",
    "PRINTABLE",
    "cell_text",
    "field_values",
    "file_and_profile",
    "junk_lines",
    "nat_lines",
    "records",
]

#: Printable ASCII, the character set NAT files are written in.
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))

#: Every (file id, profile name) pair: the space every property test ranges over.
FILE_PROFILE_PAIRS: tuple[tuple[str, str], ...] = tuple((f, p) for p in PROFILE_NAMES for f in FILE_IDS)

_text = st.text(alphabet=PRINTABLE, min_size=1)
_dates = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))


def file_and_profile() -> st.SearchStrategy[tuple[str, str]]:
    return st.sampled_from(FILE_PROFILE_PAIRS)


def field_values(field: Field) -> st.SearchStrategy[Any]:
    """Python values of ``field`` as the reader returns them (``None`` = blank)."""
    w = field.length
    if field.role == "date":
        values: st.SearchStrategy[Any] = _dates
    elif field.role == "number":
        values = st.integers(0, 10**w - 1)
    elif field.kind == "N":
        values = st.one_of(st.text(alphabet="0123456789", min_size=w, max_size=w), st.just("@" * w))
    else:
        values = st.text(alphabet=PRINTABLE, min_size=1, max_size=w).map(lambda s: s.rstrip(" ")).filter(bool)
    return st.one_of(st.none(), values)


def cell_text(field: Field, *, zero_fill: bool = False) -> st.SearchStrategy[str]:
    """Well-formed fixed-width text of ``field``: what a conforming writer puts in its columns."""
    w = field.length
    blank = st.just(" " * w)
    if field.role == "date":
        return st.one_of(blank, _dates.map(lambda d: f"{d.day:02d}{d.month:02d}{d.year:04d}"))
    digits = st.text(alphabet="0123456789", min_size=w, max_size=w)
    if field.role == "number":
        return st.one_of(blank, digits)
    if field.kind == "N":
        return st.one_of(blank, digits, st.just("@" * w))
    if zero_fill:
        return st.one_of(blank, st.text(alphabet="0123456789", min_size=w, max_size=w))
    return st.one_of(blank, st.text(alphabet=PRINTABLE, max_size=w).map(lambda s: s.ljust(w)))


@st.composite
def nat_lines(draw: st.DrawFn, file_id: str, profile: str = "national", *, extra: bool = True) -> str:
    """One well-formed record of ``file_id`` under ``profile`` (no terminator), maybe with extra characters."""
    prof = get_profile(profile)
    lay = prof.layout(file_id)
    text = "".join(draw(cell_text(f, zero_fill=(file_id, f.name) in prof.zero_filled_fields)) for f in lay.fields)
    if extra:
        text += draw(st.text(alphabet=PRINTABLE, max_size=12))
    return text


@st.composite
def records(draw: st.DrawFn, file_id: str, profile: str = "national") -> NatRecord:
    """A record of ``file_id`` that ``profile`` can write and read back equal."""
    prof = get_profile(profile)
    lay = prof.layout(file_id)
    base = base_layout(file_id)
    values: dict[str, Any] = {}
    for f in base.fields:
        if f.stop > lay.width:
            continue
        if (file_id, f.name) in prof.zero_filled_fields:
            values[f.name] = draw(
                st.one_of(
                    st.none(),
                    st.text(alphabet="123456789", min_size=1, max_size=f.length).map(
                        lambda s, w=f.length: s.rjust(w, "0")
                    ),
                )
            )
        else:
            values[f.name] = draw(field_values(f))
    kept_end = max((f.stop for f in base.fields if f.stop <= lay.width), default=0)
    tail_width = lay.width - kept_end
    if tail_width:
        tail = draw(st.text(alphabet=PRINTABLE, max_size=tail_width))
        extra = tail.rstrip(" ")
        if len(tail) == tail_width:
            extra = tail + draw(st.text(alphabet=PRINTABLE, max_size=8))
            if extra == tail:
                extra = tail.rstrip(" ")
    else:
        extra = draw(st.text(alphabet=PRINTABLE, max_size=12))
    return RECORD_CLASSES[file_id](**values, extra=extra)


def junk_lines() -> st.SearchStrategy[bytes]:
    """Any bytes at all, line breaks included: what a reader must survive."""
    return st.binary(max_size=600)
