"""The vectorised decoder agrees, cell for cell, with a slow per-cell reference written from layouts.md §3.

The fast paths of ``decode_field`` (columns all blank or all of one length, dates in integer arithmetic) and of
``all_printable`` (min/max of the record view) must give exactly what the plain rules give, on every byte.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.nat.codec import decode_field
from avetmiss_finalise.nat.layouts import Field
from avetmiss_finalise.nat.lines import all_printable, fields_cells, record_matrix, record_stride, split_lines

_BYTES = b" @0123456789AZaz\x00\x7f\x80\xe9\xff-"


def _field(kind: str, role: str, length: int, start: int = 1) -> Field:
    return Field(
        name=f"f{start}",
        label="F",
        start=start,
        length=length,
        kind=kind,  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
        required="N",
        personal=False,
        national=True,
        version="8.0",
        notes="",
    )


def _reference(field: Field, raw: bytes, zero_fill: bool) -> tuple[object, bool, bool]:
    """(value, bad, not stated) of one cell, by the rules, one cell at a time."""
    text = raw.decode("latin-1")
    blank = text.strip(" ") == ""
    if field.role == "date":
        if blank:
            return None, False, False
        if len(text) == 8 and text.isascii() and text.isdigit():
            try:
                return datetime.date(int(text[4:]), int(text[2:4]), int(text[:2])), False, False
            except ValueError:
                pass
        return None, True, False
    digits = text.isascii() and text.isdigit()
    at = text == "@" * len(text) and len(text) > 0
    if field.role == "number":
        return (int(text) if digits else None), not (digits or at or blank), at
    if field.kind == "N":
        return (text if digits or at else None), not (digits or at or blank), False
    if zero_fill and not blank and text.endswith(" "):
        return None, True, False
    return (text.rstrip(" ") or None), False, False


def _column(draw: st.DrawFn, length: int) -> list[bytes]:
    """Rows of one field, shaped like real columns: random, all blank, one length, or one length and blanks."""
    n = draw(st.integers(0, 12))
    cell = st.binary(min_size=length, max_size=length).map(lambda b: bytes(_BYTES[x % len(_BYTES)] for x in b))
    shape = draw(st.sampled_from(["random", "blank", "same_length", "same_or_blank", "dates"]))
    if shape == "random":
        return draw(st.lists(cell, min_size=n, max_size=n))
    if shape == "blank":
        return [b" " * length] * n
    k = draw(st.integers(0, length))
    body = st.binary(min_size=k, max_size=k).map(lambda b: bytes(b"ABC09@\xe9-"[x % 8] for x in b))
    if shape == "dates":
        day = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(lambda d: d.strftime("%d%m%Y"))
        wrong = st.tuples(st.integers(0, 39), st.integers(0, 19), st.integers(0, 9999)).map(
            lambda t: f"{t[0]:02d}{t[1]:02d}{t[2]:04d}"
        )
        texts = st.one_of(day, wrong, st.just("        "), st.just("29022100"), st.just("29022000"))
        return [t.encode()[:length].ljust(length) for t in draw(st.lists(texts, min_size=n, max_size=n))]
    rows = []
    for _ in range(n):
        if shape == "same_or_blank" and draw(st.booleans()):
            rows.append(b" " * length)
        else:
            rows.append(draw(body).ljust(length))
    return rows


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Field, list[bytes], bool]:
    kind, role = draw(st.sampled_from([("A", "text"), ("A", "code"), ("N", "code"), ("N", "number"), ("D", "date")]))
    length = 8 if role == "date" else draw(st.integers(1, 12))
    zero_fill = kind == "A" and draw(st.booleans())
    return _field(kind, role, length), _column(draw, length), zero_fill


def _as_python(values: object, role: str) -> list[object]:
    if role == "date":
        arr = np.asarray(values)
        return [None if np.isnat(v) else v.astype("datetime64[D]").astype(datetime.date) for v in arr]
    return [None if v is pd.NA or v is None else v for v in pd.array(values).tolist()]  # type: ignore[call-overload]


@given(case=_cases())
def test_decode_field_equals_the_per_cell_rules(case: tuple[Field, list[bytes], bool]) -> None:
    field, rows, zero_fill = case
    cells = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), field.length)
    decoded = decode_field(cells, field, zero_fill=zero_fill)
    expected = [_reference(field, r, zero_fill) for r in rows]
    assert _as_python(decoded.values, field.role) == [v for v, _, _ in expected]
    assert decoded.bad.tolist() == [b for _, b, _ in expected]
    stated = [s for _, _, s in expected]
    assert (decoded.not_stated.tolist() if decoded.not_stated is not None else [False] * len(rows)) == stated


@given(
    length=st.integers(1, 30),
    n=st.integers(1, 8),
    eol=st.sampled_from([b"\n", b"\r\n"]),
    final=st.booleans(),
    poke=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=3),
)
def test_all_printable_equals_the_byte_rule(
    length: int, n: int, eol: bytes, final: bool, poke: list[tuple[int, int]]
) -> None:
    data = bytearray((b"A" * length + eol) * n)
    if not final:
        del data[-len(eol) :]
    for at, byte in poke:
        if byte not in (0x0A,):  # a stray LF makes other lines (split_lines' concern, not this one's)
            data[at % len(data)] = byte
    arr = np.frombuffer(bytes(data), dtype=np.uint8)
    lines = split_lines(arr, bytes(data), 0)
    records = bytes(data).split(b"\n")
    records = [r[:-1] if r.endswith(b"\r") and k < len(records) - 1 else r for k, r in enumerate(records)]
    rule = all(0x20 <= b <= 0x7E for r in records for b in r)  # every byte of every record, terminators aside
    assert all_printable(bytes(data), 0, lines) == rule


@given(
    widths=st.lists(st.integers(1, 9), min_size=1, max_size=6),
    n=st.integers(0, 9000),
    pad=st.integers(0, 3),
)
def test_fields_cells_are_the_field_bytes(widths: list[int], n: int, pad: int) -> None:
    fields, start = [], 1
    for w in widths:
        fields.append(_field("A", "text", w, start))
        start += w
    width = start - 1
    rng = np.random.default_rng(n)
    records = rng.integers(0x20, 0x7F, size=(n, width + pad), dtype=np.uint8)
    data = b"".join(bytes(r) + b"\n" for r in records)
    arr = np.frombuffer(data, dtype=np.uint8)
    lines = split_lines(arr, data, 0)
    block = record_matrix(arr, lines, width)
    stride = record_stride(arr, lines, width)
    for f, cells in zip(fields, fields_cells(arr, block, fields, stride), strict=True):
        assert cells.flags.c_contiguous
        assert np.array_equal(cells, records[:, f.offset : f.stop])
