"""NAT file bytes → columnar frame, vectorised. Never raises on bad data: everything wrong becomes an Issue.

Records are located by :mod:`avetmiss_finalise.nat.lines` (chunk by chunk, a strided view when records are
equal); each field's columns are then decoded at once by :mod:`avetmiss_finalise.nat.codec`, and each finding
becomes an Issue with a stable rule ID (``RULES``, :mod:`.findings`), capped per kind so junk cannot flood a
report. Record lengths and shifted records are :mod:`.record_checks`.

Cells kept raw in ``Parsed.unparsed`` (so writing back is byte-exact): every cell that cannot be parsed, and
every ``@``-filled (not stated) number — missing in the frame, not a finding.
"""

from __future__ import annotations

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
from avetmiss_finalise.nat.codec import STRING_DTYPE, U8, Decoded, decode_field, expected_form, latin1_strings
from avetmiss_finalise.nat.collection import FileMeta, empty_unparsed
from avetmiss_finalise.nat.findings import LISTED, MAX_ISSUES_PER_KIND, RULES, Sink
from avetmiss_finalise.nat.layouts import Field, Layout, LayoutSource
from avetmiss_finalise.nat.lines import (
    BOM,
    LineChunks,
    all_printable,
    extra_text,
    fields_cells,
    line_chunks,
    record_matrix,
    record_stride,
    split_lines,
)
from avetmiss_finalise.nat.record_checks import length_issues, shifted_rows

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


@attrs.frozen
class Parsed:
    frame: pd.DataFrame
    meta: FileMeta
    unparsed: pd.DataFrame
    issues: tuple[Issue, ...]


def _report_charset(
    sink: Sink, rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], bytes_: U8, name: str, row0: int
) -> None:
    """One NAT-CHARSET Issue per bad row (first bad byte); ``cols`` are 1-based columns."""
    for r, c, b in zip(rows[:LISTED].tolist(), cols[:LISTED].tolist(), bytes_[:LISTED].tolist(), strict=True):
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


def _charset(sink: Sink, cells: U8, field: Field, row0: int) -> None:
    bad = (cells < 0x20) | (cells > 0x7E)
    rows = np.flatnonzero(bad.any(axis=1))
    if rows.size:
        first = bad[rows].argmax(axis=1)
        _report_charset(sink, rows, field.start + first, cells[rows, first], field.name, row0)


def _extras_charset(sink: Sink, flat: U8, offsets: npt.NDArray[np.int64], width: int, row0: int) -> None:
    pos = np.flatnonzero((flat < 0x20) | (flat > 0x7E))
    if not pos.size:
        return
    rows = np.searchsorted(offsets, pos, side="right") - 1
    rows, first = np.unique(rows, return_index=True)
    at = pos[first]
    _report_charset(sink, rows, width + 1 + at - offsets[rows], flat[at], "extra", row0)


def _texts(cells: U8, rows: npt.NDArray[np.int64]) -> pd.arrays.ArrowStringArray:
    flat = np.ascontiguousarray(cells[rows]).reshape(-1)
    w = cells.shape[1]
    offsets = np.arange(0, (rows.size + 1) * w, w, dtype=np.int64)
    return pd.arrays.ArrowStringArray(latin1_strings(flat, offsets, np.ones(rows.size, dtype=bool)))


def _keep_raw(
    unparsed: list[pd.DataFrame], rows: npt.NDArray[np.int64], texts: object, field: Field, row0: int
) -> None:
    unparsed.append(
        pd.DataFrame(
            {
                "row": rows.astype(np.int64) + row0,
                "field": pd.array([field.name] * rows.size, dtype=STRING_DTYPE),
                "text": texts,
            }
        )
    )


#: A date of zeros: an exporter's "no date". Blank (spaces) is what the format expects where a date may be absent.
_ZEROS = "0" * 8


def _date_message(text: str, form: str, field: Field, shifted: bool, by: int) -> tuple[str, Severity | None]:
    if shifted:
        return (
            f"{text!r} is not {form}: it looks like template text that was never substituted, and the record is "
            f"{by} character(s) longer than its layout, so every field after column {field.stop} is shifted "
            "(their findings are not listed)",
            None,
        )
    if text == _ZEROS and field.required != "Y":
        return f"{text!r} is not a date: write spaces where there is no date (a blank is expected here)", (
            Severity.WARNING
        )
    if text == _ZEROS:
        return f"{text!r} is not a date, and {field.label} is mandatory: give the real date", None
    return f"{text!r} is not {form}", None


def _field_issues(
    sink: Sink,
    cells: U8,
    decoded: Decoded,
    field: Field,
    row0: int,
    unparsed: list[pd.DataFrame],
    extra_len: npt.NDArray[np.int64],
) -> None:
    """Issues for the bad cells of one field; the raw text of bad and of not-stated cells goes to ``unparsed``."""
    if decoded.not_stated is not None:
        quiet = np.flatnonzero(decoded.not_stated)
        _keep_raw(unparsed, quiet, _texts(cells, quiet), field, row0)
    rows = np.flatnonzero(decoded.bad)
    if not rows.size:
        return
    texts = _texts(cells, rows)
    _keep_raw(unparsed, rows, texts, field, row0)
    rule = "NAT-DATE" if field.role == "date" else "NAT-NUMBER" if field.kind == "N" else "NAT-ZERO-FILL"
    form = expected_form(field, zero_fill=rule == "NAT-ZERO-FILL")
    shifted = shifted_rows(cells[rows], field, extra_len[rows], 0)
    for k, (r, text) in enumerate(zip(rows[:LISTED].tolist(), texts[:LISTED].tolist(), strict=True)):
        message, severity = f"{text!r} is not {form}", None
        if rule == "NAT-DATE":
            message, severity = _date_message(text, form, field, bool(shifted[k]), int(extra_len[r]))
            if shifted[k]:
                sink.shifted(row0 + r + 1, field.start)
        sink.add(
            rule,
            message,
            line=row0 + r + 1,
            columns=field.columns,
            field=field.name,
            value=text,
            severity=severity,
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


def _parse_chunk(data: bytes | bytearray, start: int, lay: Layout, sink: Sink, acc: _Accumulator, cap: int) -> None:
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
    length_issues(sink, lines.lengths, lay, row0, cut)
    extra_len = np.maximum(lines.lengths - lay.width, 0)
    block = record_matrix(arr, lines, lay.width)
    stride = record_stride(arr, lines, lay.width)
    for field, cells in zip(lay.fields, fields_cells(arr, block, lay.fields, stride), strict=True):
        if not clean:
            _charset(sink, cells, field, row0)
        decoded = decode_field(cells, field, zero_fill=field.name in lay.zero_filled)
        acc.columns.setdefault(field.name, []).append(decoded.values)
        _field_issues(sink, cells, decoded, field, row0, acc.unparsed, extra_len)
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
    profile: LayoutSource,
    name: str | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    sink: Sink | None = None,
) -> Parsed:
    """Parse one NAT file given as consecutive chunks, each ending just after a line feed (but the last).

    ``profile`` is anything that gives the file's layout (a :class:`~avetmiss_finalise.profiles.Profile`).
    Chunking bounds memory: only one chunk of raw bytes is alive at a time besides the growing columns. Records
    longer than ``limits.max_record_length`` are cut (NAT-LONG-RECORD; a :class:`LineChunks` cuts those that
    cross a chunk boundary before they are ever whole); more than ``limits.max_records`` records raise
    :class:`~avetmiss_finalise.errors.LimitError`. ``sink`` (default: a new :class:`Sink`) collects the Issues;
    the streaming reader passes its own to merge the capped Issues of a file read as many record ranges.
    """
    lay = profile.layout(file_id)
    name = name or f"{file_id}.txt"
    sink = Sink(name) if sink is None else sink
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
                _parse_chunk(piece, start, lay, sink, acc, cap)
                if acc.rows > limits.max_records:
                    raise LimitError(
                        f"{name} has more than {limits.max_records:,} records, the limit (--max-records); not read"
                    )
    if not acc.columns:
        _parse_chunk(b"", 0, lay, sink, acc, cap)
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
    data: bytes, file_id: str, profile: LayoutSource, name: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Parsed:
    """Parse one NAT file's bytes with ``profile``'s layout of ``file_id``."""
    return parse_chunks([data], file_id, profile, name, limits=limits)
