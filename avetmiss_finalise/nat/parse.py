"""NAT file bytes → columnar frame, vectorised. Never raises on bad data: everything wrong becomes an Issue.

Line boundaries are found with numpy; when every record has the same length and terminator (the usual case)
the file is reshaped into an ``(n, width)`` byte matrix without copying, otherwise records are padded into one
in chunks. Each field's columns are then decoded at once by :mod:`avetmiss_finalise.nat.codec`.
"""

from __future__ import annotations

from collections import Counter

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.nat.codec import STRING_DTYPE, U8, decode_field, expected_form, latin1_strings
from avetmiss_finalise.nat.collection import FileMeta, empty_unparsed
from avetmiss_finalise.nat.layouts import Field, Layout
from avetmiss_finalise.profiles import Profile

__all__ = ["MAX_ISSUES_PER_KIND", "RULES", "Parsed", "parse_bytes"]

BOM = b"\xef\xbb\xbf"
LF, CR = 0x0A, 0x0D

#: At most this many Issues per (rule, field) in one file; one more Issue then says how many were left out.
MAX_ISSUES_PER_KIND = 100

#: Reader rule IDs → (severity, what it means). Documented in docs/nat-format.md.
RULES: dict[str, tuple[Severity, str]] = {
    "NAT-SHORT": (Severity.ERROR, "record shorter than the national record length"),
    "NAT-PADDED": (Severity.INFO, "record cut short in the state tail, read as if space-filled"),
    "NAT-EXTRA": (Severity.INFO, "record longer than the profile's layout; the rest is kept in column extra"),
    "NAT-CHARSET": (Severity.ERROR, "byte outside printable ASCII (0x20-0x7E)"),
    "NAT-DATE": (Severity.ERROR, "date field that is not a real DDMMYYYY date"),
    "NAT-NUMBER": (Severity.ERROR, "numeric (N) field that is not zero-filled digits or @-filled"),
    "NAT-ZERO-FILL": (Severity.WARNING, "field the profile zero-fills (VIC TOID) that is not right-justified"),
    "NAT-BOM": (Severity.INFO, "file starts with a UTF-8 byte order mark (kept when written back)"),
    "NAT-EOL": (Severity.INFO, "file mixes CR LF and LF line endings (kept when written back)"),
    "NAT-UNKNOWN-FILE": (Severity.INFO, "file that is not a NAT file, ignored"),
    "NAT-DUPLICATE-FILE": (Severity.WARNING, "second file with the same NAT file id, ignored"),
    "NAT-TRUNCATED": (Severity.INFO, "more findings of one kind in one file than are listed"),
}

_CHUNK_BYTES = 1 << 24
_LISTED = MAX_ISSUES_PER_KIND + 1


@attrs.frozen
class Parsed:
    frame: pd.DataFrame
    meta: FileMeta
    unparsed: pd.DataFrame
    issues: tuple[Issue, ...]


class _Sink:
    """Collects Issues, capping each (rule, field) kind so junk files cannot explode into millions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []
        self.counts: Counter[tuple[str, str | None]] = Counter()

    def add(
        self,
        rule_id: str,
        message: str,
        *,
        line: int | None = None,
        columns: tuple[int, int] | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        key = (rule_id, field)
        self.counts[key] += 1
        if self.counts[key] <= MAX_ISSUES_PER_KIND:
            severity = RULES[rule_id][0]
            self.issues.append(
                Issue(
                    rule_id=rule_id,
                    severity=severity,
                    message=message,
                    file=self.file,
                    line=line,
                    columns=columns,
                    field=field,
                    value=value,
                )
            )

    def more(self, rule_id: str, field: str | None, total: int) -> None:
        """Account for ``total`` findings of a kind of which only the first few were passed to :meth:`add`."""
        key = (rule_id, field)
        if total > self.counts[key]:
            self.counts[key] = total

    def finish(self) -> tuple[Issue, ...]:
        for (rule_id, field), count in self.counts.items():
            if count > MAX_ISSUES_PER_KIND:
                self.issues.append(
                    Issue(
                        rule_id="NAT-TRUNCATED",
                        severity=Severity.INFO,
                        message=f"{count - MAX_ISSUES_PER_KIND} more {rule_id} findings not listed ({count} in all)",
                        file=self.file,
                        field=field,
                    )
                )
        return tuple(self.issues)


@attrs.frozen
class _Lines:
    starts: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    crlf: npt.NDArray[np.bool_]
    final_newline: bool
    uniform: bool  # same length and terminator on every line: a strided view is possible


def _count_lf(arr: U8) -> int:
    return sum(int(np.count_nonzero(arr[i : i + _CHUNK_BYTES] == LF)) for i in range(0, arr.size, _CHUNK_BYTES))


def _split(arr: U8) -> _Lines:
    size = arr.size
    if size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return _Lines(empty, empty, np.zeros(0, dtype=bool), False, True)
    final_newline = bool(arr[-1] == LF)
    first = np.flatnonzero(arr[: min(size, 1 << 16)] == LF)
    if first.size:
        stride = int(first[0]) + 1
        cr = stride >= 2 and bool(arr[stride - 2] == CR)
        n = -(-size // stride)
        if (
            (size % stride == 0) == final_newline
            and (final_newline or size % stride == stride - 1 - cr)
            and bool(np.all(arr[stride - 1 :: stride] == LF))
            and (not cr or bool(np.all(arr[stride - 2 :: stride] == CR)))
            and _count_lf(arr) == n - (0 if final_newline else 1)
        ):
            length = stride - 1 - cr
            return _Lines(
                np.arange(n, dtype=np.int64) * stride,
                np.full(n, length, dtype=np.int64),
                np.full(n, cr, dtype=bool),
                final_newline,
                True,
            )
    ends = np.flatnonzero(arr == LF).astype(np.int64)
    if not final_newline:
        ends = np.append(ends, size)
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    lengths = ends - starts
    has_lf = np.ones(len(ends), dtype=bool)
    if not final_newline:
        has_lf[-1] = False
    crlf = has_lf & (lengths > 0) & (arr[np.maximum(ends - 1, 0)] == CR)
    lengths = lengths - crlf
    return _Lines(starts, lengths, crlf, final_newline, False)


def _matrix(arr: U8, lines: _Lines, width: int) -> U8:
    """The first ``width`` bytes of every record, space-padded: ``(n, width)``."""
    n = len(lines.starts)
    if lines.uniform and n:
        length = int(lines.lengths[0])
        stride = int(lines.starts[1] - lines.starts[0]) if n > 1 else length + 1
        view = np.lib.stride_tricks.as_strided(arr, shape=(n, length), strides=(stride, 1), writeable=False)
        if length >= width:
            return view[:, :width]
        out = np.full((n, width), 0x20, dtype=np.uint8)
        out[:, :length] = view
        return out
    out = np.full((n, width), 0x20, dtype=np.uint8)
    if not width:
        return out
    step = max(1, (1 << 22) // width)
    cols = np.arange(width, dtype=np.int64)
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        starts, lengths = lines.starts[lo:hi], lines.lengths[lo:hi]
        mask = cols[None, :] < np.minimum(lengths, width)[:, None]
        idx = starts[:, None] + cols[None, :]
        out[lo:hi][mask] = arr[idx[mask]]
    return out


def _extras(arr: U8, lines: _Lines, width: int) -> tuple[pa.Array, U8, npt.NDArray[np.int64]]:
    """Characters past ``width`` of each record, verbatim (null when none), with their raw bytes and offsets."""
    n = len(lines.starts)
    extra_len = np.maximum(lines.lengths - width, 0)
    total = int(extra_len.sum())
    valid = extra_len > 0
    offsets = np.concatenate(([0], np.cumsum(extra_len))).astype(np.int64)
    if lines.uniform and total:
        length = int(lines.lengths[0])
        stride = int(lines.starts[1] - lines.starts[0]) if n > 1 else length + 1
        view = np.lib.stride_tricks.as_strided(arr, shape=(n, length), strides=(stride, 1), writeable=False)
        flat = np.ascontiguousarray(view[:, width:]).reshape(-1)
    elif total:
        rows = np.flatnonzero(valid)
        within = np.arange(total, dtype=np.int64) - np.repeat(offsets[rows], extra_len[rows])
        flat = arr[np.repeat(lines.starts[rows] + width, extra_len[rows]) + within]
    else:
        flat = np.zeros(0, dtype=np.uint8)
    return latin1_strings(flat, offsets, valid), flat, offsets


def _report_charset(
    sink: _Sink, rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], bytes_: U8, name: str
) -> None:
    """One NAT-CHARSET Issue per bad row (first bad byte); ``cols`` are 1-based columns."""
    for r, c, b in zip(rows[:_LISTED].tolist(), cols[:_LISTED].tolist(), bytes_[:_LISTED].tolist(), strict=True):
        sink.add(
            "NAT-CHARSET",
            f"byte 0x{b:02X} at column {c} is not printable ASCII",
            line=r + 1,
            columns=(c, c),
            field=name,
            value=f"\\x{b:02x}",
        )
    sink.more("NAT-CHARSET", name, int(rows.size))


def _charset(sink: _Sink, cells: U8, field: Field) -> None:
    bad = (cells < 0x20) | (cells > 0x7E)
    rows = np.flatnonzero(bad.any(axis=1))
    if rows.size:
        first = bad[rows].argmax(axis=1)
        _report_charset(sink, rows, field.start + first, cells[rows, first], field.name)


def _extras_charset(sink: _Sink, flat: U8, offsets: npt.NDArray[np.int64], width: int) -> None:
    pos = np.flatnonzero((flat < 0x20) | (flat > 0x7E))
    if not pos.size:
        return
    rows = np.searchsorted(offsets, pos, side="right") - 1
    rows, first = np.unique(rows, return_index=True)
    at = pos[first]
    _report_charset(sink, rows, width + 1 + at - offsets[rows], flat[at], "extra")


def _length_issues(sink: _Sink, lines: _Lines, lay: Layout) -> None:
    lengths = lines.lengths
    nat, width = lay.national_length, lay.width
    short = np.flatnonzero(lengths < nat)
    for r in short[:_LISTED].tolist():
        got = int(lengths[r])
        field = lay.field_at(got + 1)
        where = f" (ends inside {field.name})" if field else ""
        sink.add(
            "NAT-SHORT",
            f"record has {got} characters{where}; the national record length is {nat}",
            line=r + 1,
            columns=(got + 1, nat),
        )
    sink.more("NAT-SHORT", None, int(short.size))
    padded = np.flatnonzero((lengths >= nat) & (lengths < width))
    for r in padded[:_LISTED].tolist():
        got = int(lengths[r])
        sink.add(
            "NAT-PADDED",
            f"record has {got} of {width} characters; read as if space-filled",
            line=r + 1,
            columns=(got + 1, width),
        )
    sink.more("NAT-PADDED", None, int(padded.size))
    longer = np.flatnonzero(lengths > width)
    for r in longer[:_LISTED].tolist():
        got = int(lengths[r])
        sink.add(
            "NAT-EXTRA",
            f"record has {got} characters, {got - width} past the layout's {width}; kept in extra",
            line=r + 1,
            columns=(width + 1, got),
            field="extra",
        )
    sink.more("NAT-EXTRA", "extra", int(longer.size))


def _field_issues(
    sink: _Sink, cells: U8, bad: npt.NDArray[np.bool_], field: Field, unparsed: list[pd.DataFrame]
) -> None:
    rows = np.flatnonzero(bad)
    if not rows.size:
        return
    flat = np.ascontiguousarray(cells[rows]).reshape(-1)
    w = field.length
    offsets = np.arange(0, (rows.size + 1) * w, w, dtype=np.int64)
    texts = pd.arrays.ArrowStringArray(latin1_strings(flat, offsets, np.ones(rows.size, dtype=bool)))
    unparsed.append(
        pd.DataFrame(
            {
                "row": rows.astype(np.int64),
                "field": pd.array([field.name] * rows.size, dtype=STRING_DTYPE),
                "text": texts,
            }
        )
    )
    rule = "NAT-DATE" if field.role == "date" else "NAT-NUMBER" if field.kind == "N" else "NAT-ZERO-FILL"
    shown = texts[:_LISTED].tolist()
    for r, text in zip(rows[:_LISTED].tolist(), shown, strict=True):
        sink.add(
            rule,
            f"{text!r} is not {expected_form(field, zero_fill=rule == 'NAT-ZERO-FILL')}",
            line=r + 1,
            columns=field.columns,
            field=field.name,
            value=text,
        )
    sink.more(rule, field.name, int(rows.size))


def parse_bytes(data: bytes, file_id: str, profile: Profile, name: str | None = None) -> Parsed:
    """Parse one NAT file's bytes with ``profile``'s layout of ``file_id``."""
    lay = profile.layout(file_id)
    name = name or f"{file_id}.txt"
    sink = _Sink(name)
    bom = data.startswith(BOM)
    if bom:
        sink.add("NAT-BOM", "file starts with a UTF-8 byte order mark", line=1)
    arr = np.frombuffer(data, dtype=np.uint8, offset=len(BOM) if bom else 0)
    lines = _split(arr)
    n = len(lines.starts)
    width = lay.width
    terminated = lines.crlf[: n if lines.final_newline else n - 1]
    mixed = bool(terminated.any()) and not bool(terminated.all())
    if mixed:
        sink.add("NAT-EOL", "file mixes CR LF and LF line endings")
    _length_issues(sink, lines, lay)
    block = _matrix(arr, lines, width)
    columns: dict[str, object] = {}
    unparsed: list[pd.DataFrame] = []
    for field in lay.fields:
        cells = block[:, field.offset : field.stop]
        _charset(sink, cells, field)
        decoded = decode_field(cells, field, zero_fill=(file_id, field.name) in profile.zero_filled_fields)
        columns[field.name] = decoded.values
        _field_issues(sink, cells, decoded.bad, field, unparsed)
    del block
    extra, flat, offsets = _extras(arr, lines, width)
    _extras_charset(sink, flat, offsets, width)
    columns["extra"] = pd.arrays.ArrowStringArray(extra)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n), copy=False)
    line_ending = "\n" if terminated.size and not bool(terminated[0]) else "\r\n"
    meta = FileMeta(
        file_id=file_id,
        name=name,
        line_ending=line_ending,
        bom=bom,
        final_newline=lines.final_newline,
        record_lengths=lines.lengths.copy() if bool((lines.lengths < width).any()) else None,
        crlf=lines.crlf.copy() if mixed else None,
    )
    table = pd.concat(unparsed, ignore_index=True) if unparsed else empty_unparsed()
    return Parsed(frame, meta, table, sink.finish())
