"""NAT file bytes → columnar frame, vectorised. Never raises on bad data: everything wrong becomes an Issue.

Records are located by :mod:`avetmiss_finalise.nat.lines` (chunk by chunk, a strided view when records are
equal); each field's columns are then decoded at once by :mod:`avetmiss_finalise.nat.codec`, and each finding
becomes an Issue with a stable rule ID (``RULES``), capped per kind so junk cannot flood a report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from avetmiss_finalise.errors import LimitError
from avetmiss_finalise.issues import Issue, Severity
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits
from avetmiss_finalise.nat.bounds import clamp_lengths, long_record_message, slices
from avetmiss_finalise.nat.codec import STRING_DTYPE, U8, decode_field, expected_form, latin1_strings
from avetmiss_finalise.nat.collection import FileMeta, empty_unparsed
from avetmiss_finalise.nat.layouts import Field, Layout
from avetmiss_finalise.nat.lines import (
    BOM,
    LineChunks,
    all_printable,
    extra_text,
    field_cells,
    line_chunks,
    record_matrix,
    record_stride,
    split_lines,
)
from avetmiss_finalise.profiles import Profile

__all__ = [
    "BOM",
    "MAX_ISSUES_PER_KIND",
    "RULES",
    "LineChunks",
    "Parsed",
    "line_chunks",
    "parse_bytes",
    "parse_chunks",
]


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
    "NAT-LONG-RECORD": (
        Severity.ERROR,
        "record longer than the record-length limit; cut at the limit, so the file cannot be written back",
    ),
    "NAT-TOO-LARGE": (Severity.ERROR, "file over a size limit (bytes, records or compression ratio); not read"),
    "NAT-SPECIAL-FILE": (
        Severity.ERROR,
        "entry with a NAT file name that is not a regular file (directory, FIFO, device, socket, broken link); "
        "not read",
    ),
}

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
        kind: str | None = "",
    ) -> None:
        """Add an Issue; it is capped under (``rule_id``, ``kind``), ``kind`` defaulting to ``field``."""
        key = (rule_id, field if kind == "" else kind)
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
        """Count ``total`` findings of a kind of which at most ``_LISTED`` were passed to :meth:`add` just now."""
        if total > _LISTED:
            self.counts[(rule_id, field)] += total - _LISTED

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
        return tuple(sorted(self.issues, key=lambda i: (i.line or 0, i.columns or (0, 0))))


def _report_charset(
    sink: _Sink, rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], bytes_: U8, name: str, row0: int
) -> None:
    """One NAT-CHARSET Issue per bad row (first bad byte); ``cols`` are 1-based columns."""
    for r, c, b in zip(rows[:_LISTED].tolist(), cols[:_LISTED].tolist(), bytes_[:_LISTED].tolist(), strict=True):
        hint = " (a CR without LF: records end in CR LF or LF)" if b == 0x0D else ""
        sink.add(
            "NAT-CHARSET",
            f"byte 0x{b:02X} at column {c} is not printable ASCII{hint}",
            line=row0 + r + 1,
            columns=(c, c),
            field=name,
            value=f"\\x{b:02x}",
        )
    sink.more("NAT-CHARSET", name, int(rows.size))


def _charset(sink: _Sink, cells: U8, field: Field, row0: int) -> None:
    bad = (cells < 0x20) | (cells > 0x7E)
    rows = np.flatnonzero(bad.any(axis=1))
    if rows.size:
        first = bad[rows].argmax(axis=1)
        _report_charset(sink, rows, field.start + first, cells[rows, first], field.name, row0)


def _extras_charset(sink: _Sink, flat: U8, offsets: npt.NDArray[np.int64], width: int, row0: int) -> None:
    pos = np.flatnonzero((flat < 0x20) | (flat > 0x7E))
    if not pos.size:
        return
    rows = np.searchsorted(offsets, pos, side="right") - 1
    rows, first = np.unique(rows, return_index=True)
    at = pos[first]
    _report_charset(sink, rows, width + 1 + at - offsets[rows], flat[at], "extra", row0)


def _length_issues(
    sink: _Sink, lengths: npt.NDArray[np.int64], lay: Layout, row0: int, cut: npt.NDArray[np.bool_] | None = None
) -> None:
    nat, width = lay.national_length, lay.width
    short = np.flatnonzero(lengths < nat)
    for r in short[:_LISTED].tolist():
        got = int(lengths[r])
        field = lay.field_at(got + 1)
        where = " (an empty line)" if got == 0 else f" (ends inside {field.name})" if field else ""
        sink.add(
            "NAT-SHORT",
            f"record has {got} characters{where}; the national record length is {nat}",
            line=row0 + r + 1,
            columns=(got + 1, nat),
            field=field.name if field else None,
            kind=None,
        )
    sink.more("NAT-SHORT", None, int(short.size))
    padded = np.flatnonzero((lengths >= nat) & (lengths < width))
    for r in padded[:_LISTED].tolist():
        got = int(lengths[r])
        field = lay.field_at(got + 1)
        sink.add(
            "NAT-PADDED",
            f"record has {got} of {width} characters; read as if space-filled from {field.name if field else '-'}",
            line=row0 + r + 1,
            columns=(got + 1, width),
            field=field.name if field else None,
            kind=None,
        )
    sink.more("NAT-PADDED", None, int(padded.size))
    longer = np.flatnonzero((lengths > width) if cut is None else (lengths > width) & ~cut)
    for r in longer[:_LISTED].tolist():
        got = int(lengths[r])
        sink.add(
            "NAT-EXTRA",
            f"record has {got} characters, {got - width} past the layout's {width}; kept in extra",
            line=row0 + r + 1,
            columns=(width + 1, got),
            field="extra",
        )
    sink.more("NAT-EXTRA", "extra", int(longer.size))


def _field_issues(
    sink: _Sink, cells: U8, bad: npt.NDArray[np.bool_], field: Field, row0: int, unparsed: list[pd.DataFrame]
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
                "row": rows.astype(np.int64) + row0,
                "field": pd.array([field.name] * rows.size, dtype=STRING_DTYPE),
                "text": texts,
            }
        )
    )
    rule = "NAT-DATE" if field.role == "date" else "NAT-NUMBER" if field.kind == "N" else "NAT-ZERO-FILL"
    form = expected_form(field, zero_fill=rule == "NAT-ZERO-FILL")
    for r, text in zip(rows[:_LISTED].tolist(), texts[:_LISTED].tolist(), strict=True):
        sink.add(
            rule, f"{text!r} is not {form}", line=row0 + r + 1, columns=field.columns, field=field.name, value=text
        )
    sink.more(rule, field.name, int(rows.size))


@attrs.define
class _Accumulator:
    """Columns, lengths and terminators gathered chunk by chunk, joined without copying strings."""

    columns: dict[str, list[object]] = attrs.Factory(dict)
    lengths: list[npt.NDArray[np.int64]] = attrs.Factory(list)
    crlf: list[npt.NDArray[np.bool_]] = attrs.Factory(list)
    unparsed: list[pd.DataFrame] = attrs.Factory(list)
    rows: int = 0
    final_newline: bool = False
    #: 0-based row → original length of each record cut at the record-length limit (shared with LineChunks).
    cut: dict[int, int] = attrs.Factory(dict)


def _parse_chunk(
    data: bytes | bytearray, start: int, lay: Layout, profile: Profile, sink: _Sink, acc: _Accumulator, cap: int
) -> None:
    """Parse the whole records in ``data[start:]`` (rows numbered from ``acc.rows``) into ``acc``; records longer
    than ``cap`` are cut to it (reported at the end, NAT-LONG-RECORD)."""
    arr = np.frombuffer(data, dtype=np.uint8, offset=start)
    lines, over = clamp_lengths(split_lines(arr, data, start), cap)
    row0 = acc.rows
    acc.cut.update((row0 + r, n) for r, n in over.items())
    clean = all_printable(data, start, lines)
    cut = None
    if acc.cut and row0 + len(lines.starts) > min(acc.cut):
        cut = np.isin(np.arange(row0, row0 + len(lines.starts)), np.fromiter(acc.cut, dtype=np.int64))
    _length_issues(sink, lines.lengths, lay, row0, cut)
    block = record_matrix(arr, lines, lay.width)
    stride = record_stride(arr, lines, lay.width)
    for field in lay.fields:
        cells = field_cells(arr, block, field, stride)
        if not clean:
            _charset(sink, cells, field, row0)
        zero_fill = (lay.file_id, field.name) in profile.zero_filled_fields
        decoded = decode_field(cells, field, zero_fill=zero_fill)
        acc.columns.setdefault(field.name, []).append(decoded.values)
        _field_issues(sink, cells, decoded.bad, field, row0, acc.unparsed)
    del block
    extra, flat, offsets = extra_text(arr, lines, lay.width)
    if not clean:
        _extras_charset(sink, flat, offsets, lay.width, row0)
    acc.columns.setdefault("extra", []).append(pd.arrays.ArrowStringArray(extra))
    acc.lengths.append(lines.lengths)
    acc.crlf.append(lines.crlf)
    acc.rows += len(lines.starts)
    acc.final_newline = lines.final_newline


def _arrow_chunks(arr: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """The arrays behind a pandas ArrowStringArray: a ChunkedArray (pyarrow 15 cannot re-wrap one) or an Array."""
    return list(arr.chunks) if isinstance(arr, pa.ChunkedArray) else [arr]


def _join(parts: list[object]) -> object:
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if isinstance(first, np.ndarray):
        return np.concatenate(parts)  # type: ignore[arg-type]
    if isinstance(first, pd.arrays.ArrowStringArray):
        chunks = [c for p in parts for c in _arrow_chunks(p._pa_array)]  # type: ignore[attr-defined]
        return pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()))
    return type(first)._concat_same_type(parts)  # type: ignore[attr-defined]


def parse_chunks(
    chunks: Iterable[bytes | bytearray],
    file_id: str,
    profile: Profile,
    name: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Parsed:
    """Parse one NAT file given as consecutive chunks, each ending just after a line feed (but the last).

    Chunking bounds memory: only one chunk of raw bytes is alive at a time besides the growing columns. Records
    longer than ``limits.max_record_length`` are cut (NAT-LONG-RECORD; a :class:`LineChunks` cuts those that
    cross a chunk boundary before they are ever whole); more than ``limits.max_records`` records raise
    :class:`~avetmiss_finalise.errors.LimitError`.
    """
    lay = profile.layout(file_id)
    name = name or f"{file_id}.txt"
    sink = _Sink(name)
    acc = _Accumulator(cut=chunks.cut if isinstance(chunks, LineChunks) else {})
    cap = limits.max_record_length
    bom = False
    for k, data in enumerate(chunks):
        if k == 0 and data.startswith(BOM):
            bom = True
            sink.add("NAT-BOM", "file starts with a UTF-8 byte order mark", line=1)
        if k == 0 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            sink.add(
                "NAT-CHARSET",
                "file starts with a UTF-16 byte order mark: NAT files are one byte per character (save as ASCII)",
                line=1,
                columns=(1, 2),
                kind="UTF-16",
            )
        if data or k == 0:
            for piece, start in slices(data, len(BOM) if k == 0 and bom else 0):
                _parse_chunk(piece, start, lay, profile, sink, acc, cap)
                if acc.rows > limits.max_records:
                    raise LimitError(
                        f"{name} has more than {limits.max_records:,} records, the limit (--max-records); not read"
                    )
    if not acc.columns:
        _parse_chunk(b"", 0, lay, profile, sink, acc, cap)
    for row, length in sorted(acc.cut.items()):
        sink.add(
            "NAT-LONG-RECORD",
            long_record_message(length, cap),
            line=row + 1,
            columns=(cap + 1, length),
            field="extra",
            kind=None,
        )
    n = acc.rows
    lengths = np.concatenate(acc.lengths) if len(acc.lengths) > 1 else acc.lengths[0]
    crlf = np.concatenate(acc.crlf) if len(acc.crlf) > 1 else acc.crlf[0]
    terminated = crlf[: n if acc.final_newline else n - 1]
    mixed = bool(terminated.any()) and not bool(terminated.all())
    if mixed:
        sink.add("NAT-EOL", "file mixes CR LF and LF line endings")
    columns = {key: _join(parts) for key, parts in acc.columns.items()}
    acc.columns.clear()
    frame = pd.DataFrame(columns, index=pd.RangeIndex(n), copy=False)
    meta = FileMeta(
        file_id=file_id,
        name=name,
        line_ending="\n" if terminated.size and not bool(terminated[0]) else "\r\n",
        bom=bom,
        final_newline=acc.final_newline,
        record_lengths=lengths.copy() if bool((lengths < lay.width).any()) else None,
        crlf=crlf.copy() if mixed else None,
        cut_records=tuple(sorted(acc.cut)),
    )
    table = pd.concat(acc.unparsed, ignore_index=True) if acc.unparsed else empty_unparsed()
    return Parsed(frame, meta, table, sink.finish())


def parse_bytes(
    data: bytes, file_id: str, profile: Profile, name: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Parsed:
    """Parse one NAT file's bytes with ``profile``'s layout of ``file_id``."""
    return parse_chunks([data], file_id, profile, name, limits=limits)
