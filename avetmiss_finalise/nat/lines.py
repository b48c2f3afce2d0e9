"""Record boundaries and byte matrices: where each NAT record starts, how long it is, how it ends.

numpy finds line feeds; when every record has the same length and terminator (the usual case) the records are a
strided view of the file's bytes, with no copy. Files are read in line-aligned chunks so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from avetmiss_finalise.nat.codec import U8, latin1_strings
from avetmiss_finalise.nat.layouts import Field

__all__ = [
    "BOM",
    "CHUNK_SIZE",
    "LineChunks",
    "Lines",
    "all_printable",
    "count_lf",
    "extra_text",
    "field_cells",
    "fields_cells",
    "line_chunks",
    "record_matrix",
    "record_stride",
    "split_lines",
]

BOM = b"\xef\xbb\xbf"
LF, CR = 0x0A, 0x0D

#: Bytes read at a time: bounds the raw bytes alive while a large file is parsed.
CHUNK_SIZE = 1 << 24


def count_lf(data: bytes | bytearray, start: int = 0) -> int:
    """Line feeds in ``data[start:]``: numpy compares at SIMD speed, about five times ``bytes.count``."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8, offset=start) == LF)) if len(data) > start else 0


@attrs.frozen
class Lines:
    starts: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]
    crlf: npt.NDArray[np.bool_]
    final_newline: bool
    uniform: bool  # same length and terminator on every line: a strided view is possible


def _ends_with_cr(arr: U8, stride: int) -> bool:
    """Whether any record of an LF file of ``stride``-byte records actually ends in CR LF (so is not uniform)."""
    return stride >= 2 and bool(np.any(arr[stride - 2 :: stride] == CR))


def split_lines(arr: U8, data: bytes | bytearray, start: int) -> Lines:
    """Record boundaries of ``arr`` (= ``data[start:]``); ``data`` lets C-speed ``bytes.count`` check the fast path."""
    size = arr.size
    if size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Lines(empty, empty, np.zeros(0, dtype=bool), False, True)
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
            and (bool(np.all(arr[stride - 2 :: stride] == CR)) if cr else not _ends_with_cr(arr, stride))
            and count_lf(data, start) == n - (0 if final_newline else 1)
        ):
            length = stride - 1 - cr
            return Lines(
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
    return Lines(starts, lengths, crlf, final_newline, False)


def record_matrix(arr: U8, lines: Lines, width: int) -> U8:
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


def record_stride(arr: U8, lines: Lines, width: int) -> int | None:
    """The byte distance between records when ``arr`` is exactly ``n`` equal records of at least ``width``."""
    n = len(lines.starts)
    if not (lines.uniform and n > 1 and int(lines.lengths[0]) >= width):
        return None
    stride = int(lines.starts[1] - lines.starts[0])
    return stride if arr.size == n * stride else None


def field_cells(arr: U8, block: U8, field: Field, stride: int | None) -> U8:
    """One field's ``(n, length)`` bytes, contiguous. With equal records a structured view copies each cell as
    one item, about twice as fast as a 2-D strided copy of narrow columns."""
    if stride is None:
        return np.ascontiguousarray(block[:, field.offset : field.stop])
    item = np.dtype({"names": ["f"], "formats": [f"V{field.length}"], "offsets": [field.offset], "itemsize": stride})
    out: U8 = arr.view(item)["f"].copy().view(np.uint8).reshape(-1, field.length)
    return out


#: Records copied at a time by :func:`fields_cells`: the tile of source records stays in the CPU cache while every
#: field is copied out of it (copying one field over the whole block first reads the block once per field).
TILE_ROWS = 4096


def fields_cells(arr: U8, block: U8, fields: Sequence[Field], stride: int | None) -> list[U8]:
    """Every field's ``(n, length)`` bytes, contiguous, copied tile by tile of :data:`TILE_ROWS` records: about
    three times faster than :func:`field_cells` field after field on a block larger than the cache."""
    n = block.shape[0]
    outs = [np.empty((n, f.length), dtype=np.uint8) for f in fields]
    if stride is not None:
        items = [f"V{f.length}" if f.length else "V0" for f in fields]
        sources = [
            arr.view(np.dtype({"names": ["f"], "formats": [item], "offsets": [f.offset], "itemsize": stride}))["f"]
            for f, item in zip(fields, items, strict=True)
        ]
        targets = [
            o.view(item).reshape(-1) if f.length else None for o, f, item in zip(outs, fields, items, strict=True)
        ]
        for lo in range(0, n, TILE_ROWS):
            hi = min(n, lo + TILE_ROWS)
            for src, dst in zip(sources, targets, strict=True):
                if dst is not None:
                    dst[lo:hi] = src[lo:hi]
        return outs
    for lo in range(0, n, TILE_ROWS):
        hi = min(n, lo + TILE_ROWS)
        for f, out in zip(fields, outs, strict=True):
            out[lo:hi] = block[lo:hi, f.offset : f.stop]
    return outs


def extra_text(arr: U8, lines: Lines, width: int) -> tuple[pa.Array, U8, npt.NDArray[np.int64]]:
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


_PRINTABLE_OR_EOL = bytes(range(0x20, 0x7F)) + b"\r\n"


def all_printable(data: bytes | bytearray, start: int, lines: Lines) -> bool:
    """Whether every record byte is printable ASCII, so clean files skip per-field checks.

    Equal records (the usual case; :func:`split_lines` has checked every terminator) are one strided view whose
    smallest and largest byte tell it: two SIMD reductions instead of a ``bytes.translate`` pass over the file.
    """
    n = len(lines.starts)
    if lines.uniform and n and int(lines.lengths[0]):
        arr = np.frombuffer(data, dtype=np.uint8, offset=start)
        length = int(lines.lengths[0])
        stride = int(lines.starts[1] - lines.starts[0]) if n > 1 else length + 1
        view = np.lib.stride_tricks.as_strided(arr, shape=(n, length), strides=(stride, 1), writeable=False)
        return int(view.min()) >= 0x20 and int(view.max()) <= 0x7E
    body = data[start:] if start else data
    return not body.translate(None, _PRINTABLE_OR_EOL) and body.count(b"\r") == int(lines.crlf.sum())


class LineChunks:
    """``stream`` read in blocks of about ``size`` bytes, each extended to the end of its last line (iterable once).

    Blocks are bytearrays filled in place (``readinto``) so a large file is never copied whole. A line longer
    than ``max_record_length`` that crosses a block boundary is never held whole either: its first
    ``max_record_length`` bytes are kept (with its own terminator), the rest is read in bounded pieces and
    dropped, and :attr:`cut` records its 0-based line number and original length (the parser reports it as
    NAT-LONG-RECORD; over-long lines inside one block are cut by the parser the same way).
    """

    def __init__(
        self, stream: IO[bytes], size: int = CHUNK_SIZE, max_record_length: int = 1 << 16, at_file_start: bool = True
    ) -> None:
        self._stream = stream
        self._size = size
        self._cap = max_record_length
        #: Whether ``stream`` starts at the file's first byte (where a byte order mark is the file's, not a record's).
        self._at_file_start = at_file_start
        #: 0-based line number → length (without terminator) of each line cut at ``max_record_length``.
        self.cut: dict[int, int] = {}

    def __iter__(self) -> Iterator[bytearray]:
        stream, size = self._stream, self._size
        lines_before = 0
        first = True
        while True:
            buf = bytearray(size)
            got = stream.readinto(buf) if hasattr(stream, "readinto") else _read_into(stream, buf)
            if got == 0 and not first:
                return
            del buf[got:]
            if got == size and not buf.endswith(b"\n"):
                self._finish_line(buf, lines_before, first and self._at_file_start)
            lines_before += count_lf(buf)
            yield buf
            if got < size:
                return
            first = False

    def _finish_line(self, buf: bytearray, lines_before: int, first: bool = False) -> None:
        """Extend ``buf`` to the end of its open last line, cutting it at the record-length limit.

        The file's byte order mark is not part of its first record (the parser skips it), so it is neither
        counted in that record's length nor in the characters kept of it, as in a whole-file read.
        """
        start = buf.rfind(b"\n") + 1
        if start == 0 and first and buf.startswith(BOM):
            start = len(BOM)
        keep = self._cap + 2  # the longest line kept whole, with its CR LF
        want = keep - (len(buf) - start)
        if want > 0:
            piece = self._stream.readline(want)
            buf += piece
            if buf.endswith(b"\n") or len(piece) < want:  # the line ended (or the file did) within the limit
                return
        total = len(buf) - start
        last = bytes(buf[-1:])
        while True:  # the rest of the line, in bounded pieces, counted and dropped
            piece = self._stream.readline(1 << 20)
            if not piece:
                terminator = b""
                break
            total += len(piece)
            if piece.endswith(b"\n"):
                crlf = piece.endswith(b"\r\n") or (len(piece) == 1 and last == b"\r")
                terminator = b"\r\n" if crlf else b"\n"
                break
            last = piece[-1:]
        del buf[start + self._cap :]
        buf += terminator
        self.cut[lines_before + buf.count(b"\n", 0, start)] = total - len(terminator)


def line_chunks(stream: IO[bytes], size: int = CHUNK_SIZE, max_record_length: int = 1 << 16) -> LineChunks:
    """:class:`LineChunks` over ``stream``: line-aligned blocks of about ``size`` bytes."""
    return LineChunks(stream, size, max_record_length)


def _read_into(stream: IO[bytes], buf: bytearray) -> int:
    data = stream.read(len(buf))
    buf[: len(data)] = data
    return len(data)
