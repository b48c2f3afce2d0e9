"""A NAT file read as consecutive record ranges, each parsed by the vectorised reader, with line numbers carried.

Streaming and distributed validation never hold a whole NAT00120: they read it as *record blocks* — byte ranges
that start and end on record boundaries — and parse each with :func:`~avetmiss_finalise.nat.parse.parse_chunks`,
the same reader as a whole-file read. Each block knows the 0-based row of its first record, so its frame's index
labels, its unparsed cells' rows and its Issues' lines are those of the whole file.

What the reader decides about a file *as a whole* is merged here, so that a file read in blocks gives exactly the
Issues of the whole read (:class:`ReaderMerge`): the per-kind caps (the first 100 Issues of each kind over the
file, then one NAT-TRUNCATED with the file's count), NAT-EOL (CR LF and LF mixed anywhere in the file), the
records cut at the record-length limit (NAT-LONG-RECORD, listed after the other Issues) and the shifted-record
filter. A block never starts with bytes the reader treats specially at the start of a file (a byte order mark):
such a block is joined to the one before it.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any, cast

import attrs
import pandas as pd

from avetmiss_finalise.issues import Issue
from avetmiss_finalise.limits import DEFAULT_LIMITS, Limits
from avetmiss_finalise.nat.bounds import long_record_message
from avetmiss_finalise.nat.findings import MAX_ISSUES_PER_KIND, Sink
from avetmiss_finalise.nat.layouts import LayoutSource
from avetmiss_finalise.nat.lines import BOM, LineChunks
from avetmiss_finalise.nat.parse import parse_chunks

__all__ = [
    "BlockParse",
    "ByteCounter",
    "ReaderMerge",
    "RecordBlock",
    "joined_blocks",
    "parse_block",
    "read_range",
    "record_blocks",
]

#: First bytes the reader reads as a file-level mark (UTF-8, UTF-16 byte order marks): never the start of a block.
_FILE_MARKS = (BOM, b"\xff\xfe", b"\xfe\xff")


@attrs.frozen(kw_only=True)
class RecordBlock:
    """Whole records of one file: ``data`` is the file's bytes ``start``..``stop`` (but the parts of over-long
    records that were dropped), ``first_row`` the 0-based row of its first record, ``cut`` block-relative row →
    original length of each record cut at the record-length limit, ``last`` whether it ends the file."""

    data: bytes | bytearray = attrs.field(repr=False)
    first_row: int
    start: int
    stop: int
    cut: dict[int, int] = attrs.field(factory=dict)
    index: int = 0
    rows: int = 0


class ByteCounter(io.RawIOBase):
    """A read-only stream that counts (and optionally hashes) every byte read through it, so block boundaries are
    byte offsets of the file and the audit digest is taken in the same pass as the read."""

    def __init__(self, stream: IO[bytes], digest: bool = False) -> None:
        super().__init__()
        self._stream = stream
        self.size = 0
        self.hash = hashlib.sha256() if digest else None

    def readable(self) -> bool:
        return True

    def _seen(self, data: bytes | bytearray | memoryview) -> None:
        self.size += len(data)
        if self.hash is not None:
            self.hash.update(data)

    def readinto(self, buf: Any) -> int:
        data = self._stream.read(len(buf))
        buf[: len(data)] = data
        self._seen(data)
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        line = self._stream.readline(-1 if size is None else size)
        self._seen(line)
        return line


class _Block(LineChunks):
    """One block as the reader's chunk source: the reader shares ``cut`` and adds the records it cuts itself."""

    def __init__(self, data: bytes | bytearray, cut: dict[int, int]) -> None:
        self._data = data
        self.cut = dict(cut)

    def __iter__(self) -> Iterator[bytearray]:
        yield self._data  # type: ignore[misc]


def record_blocks(
    stream: IO[bytes] | ByteCounter,
    block_bytes: int,
    max_record_length: int = DEFAULT_LIMITS.max_record_length,
    *,
    at_file_start: bool = True,
) -> Iterator[RecordBlock]:
    """``stream`` as consecutive :class:`RecordBlock` of about ``block_bytes`` bytes (iterable once).

    Lines are found exactly as a whole-file read finds them (:class:`~avetmiss_finalise.nat.lines.LineChunks`,
    over-long records cut without being held whole); the row count carried is the number of records before the
    block, so every block's rows are the rows of the whole file.
    """
    counter = stream if isinstance(stream, ByteCounter) else ByteCounter(stream)
    chunks = LineChunks(counter, block_bytes, max_record_length, at_file_start)  # type: ignore[arg-type]
    pending: RecordBlock | None = None
    row = start = 0
    index = 0
    for buf in chunks:
        stop = counter.size
        # A file's byte order mark is not a record: a file of nothing but one has no records, as a whole read says.
        body = len(buf) - (len(BOM) if at_file_start and start == 0 and buf.startswith(BOM) else 0)
        rows = buf.count(b"\n") + (1 if body and not buf.endswith(b"\n") else 0)
        cut = {r - row: n for r, n in chunks.cut.items() if row <= r < row + max(rows, 1)}
        block = RecordBlock(data=buf, first_row=row, start=start, stop=stop, cut=cut, index=index, rows=rows)
        if pending is not None and buf.startswith(_FILE_MARKS):
            pending = _joined(pending, block)
        else:
            if pending is not None:
                yield pending
                index += 1
            pending = attrs.evolve(block, index=index)
        row += rows
        start = stop
    if pending is not None:
        yield pending


def _joined(a: RecordBlock, b: RecordBlock) -> RecordBlock:
    rows_a = b.first_row - a.first_row
    data = bytearray(a.data)
    data += b.data
    cut = {**a.cut, **{r + rows_a: n for r, n in b.cut.items()}}
    return attrs.evolve(a, data=data, stop=b.stop, cut=cut, rows=a.rows + b.rows)


class _KeyedSink(Sink):
    """A :class:`Sink` that remembers the cap key of every Issue it lists, so blocks' Issues can be re-capped."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.keys: list[tuple[str, str | None]] = []

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
        severity: Any = None,
    ) -> None:
        before = len(self.issues)
        super().add(
            rule_id, message, line=line, columns=columns, field=field, value=value, kind=kind, severity=severity
        )
        if len(self.issues) > before:
            self.keys.append((rule_id, field if kind == "" else kind))


@attrs.frozen(kw_only=True)
class BlockParse:
    """One block parsed: ``frame`` and ``unparsed`` labelled with the whole file's rows; the reader's state kept
    for :class:`ReaderMerge` (Issues with block-relative lines)."""

    frame: pd.DataFrame = attrs.field(repr=False)
    unparsed: pd.DataFrame = attrs.field(repr=False)
    first_row: int
    index: int
    sink: _KeyedSink = attrs.field(repr=False)
    cut: dict[int, int]
    #: Terminators of the block's terminated records: "crlf", "lf", "mixed" or "" (none).
    endings: str
    bom: bool


def _endings(frame_rows: int, final_newline: bool, meta_line_ending: str, mixed: bool) -> str:
    terminated = frame_rows if final_newline else frame_rows - 1
    if terminated <= 0:
        return ""
    if mixed:
        return "mixed"
    return "lf" if meta_line_ending == "\n" else "crlf"


def parse_block(
    block: RecordBlock, file_id: str, profile: LayoutSource, name: str, *, limits: Limits = DEFAULT_LIMITS
) -> BlockParse:
    """Parse one block with the reader; labels, rows and cuts are moved to the whole file's rows."""
    sink = _KeyedSink(name)
    source = _Block(block.data, block.cut)
    parsed = parse_chunks(source, file_id, profile, name, limits=limits, sink=sink)
    frame = parsed.frame
    n = len(frame)
    frame.index = pd.RangeIndex(block.first_row, block.first_row + n)
    unparsed = parsed.unparsed
    if len(unparsed):
        unparsed = unparsed.assign(row=unparsed["row"].to_numpy() + block.first_row)
    meta = parsed.meta
    return BlockParse(
        frame=frame,
        unparsed=unparsed,
        first_row=block.first_row,
        index=block.index,
        sink=sink,
        cut={block.first_row + r: length for r, length in source.cut.items()},
        endings=_endings(n, meta.final_newline, meta.line_ending, meta.crlf is not None),
        bom=meta.bom,
    )


#: Decided for the file as a whole, not per block (see the module docstring).
_WHOLE_FILE = frozenset({"NAT-EOL", "NAT-LONG-RECORD"})


class ReaderMerge:
    """The reader's Issues of a file read in blocks, exactly as a whole-file read gives them: add every block's
    :class:`BlockParse` in file order, then :meth:`finish`."""

    def __init__(self, name: str, max_record_length: int = DEFAULT_LIMITS.max_record_length) -> None:
        self.name = name
        self._cap = max_record_length
        self._issues: list[Issue] = []
        self._counts: Counter[tuple[str, str | None]] = Counter()
        self._listed: Counter[tuple[str, str | None]] = Counter()
        self._shifts: dict[int, int] = {}
        self._cut: dict[int, int] = {}
        self._endings: set[str] = set()
        self.bom = False

    def add(self, part: BlockParse) -> None:
        sink, offset = part.sink, part.first_row
        for key, count in sink.counts.items():
            if key[0] not in _WHOLE_FILE:
                self._counts[key] += count
        # Sink.finish appends its NAT-TRUNCATED Issues to the listed ones: only those added carry a key.
        for key, issue in zip(sink.keys, sink.issues[: len(sink.keys)], strict=True):
            if key[0] in _WHOLE_FILE or self._listed[key] >= MAX_ISSUES_PER_KIND:
                continue
            self._listed[key] += 1
            self._issues.append(issue if issue.line is None else attrs.evolve(issue, line=issue.line + offset))
        self._shifts.update((line + offset, col) for line, col in sink.shifts.items())
        self._cut.update(part.cut)
        if part.endings:
            self._endings.add(part.endings)
        self.bom = self.bom or part.bom

    @property
    def mixed_endings(self) -> bool:
        return "mixed" in self._endings or {"crlf", "lf"} <= self._endings

    def finish(self) -> tuple[Issue, ...]:
        """The file's Issues, capped, filtered and ordered as :class:`Sink` orders a whole-file read's."""
        sink = Sink(self.name)
        sink.issues = list(self._issues)
        sink.counts = Counter(self._counts)
        sink.shifts = dict(self._shifts)
        for row, length in sorted(self._cut.items()):
            sink.add(
                "NAT-LONG-RECORD",
                long_record_message(length, self._cap),
                line=row + 1,
                columns=(self._cap + 1, length),
                field="extra",
                kind=None,
            )
        if self.mixed_endings:
            sink.add("NAT-EOL", "file mixes CR LF and LF line endings")
        return sink.finish()


def read_range(
    stream: IO[bytes],
    start: int,
    stop: int,
    first_row: int,
    *,
    block_bytes: int,
    max_record_length: int = DEFAULT_LIMITS.max_record_length,
    index: int = 0,
) -> RecordBlock:
    """The block of a seekable ``stream`` from byte ``start`` to ``stop`` (boundaries found by
    :func:`record_blocks`), read again — a distributed worker's own read.

    Read in pieces of at most ``block_bytes`` through a window that ends at ``stop``, so a record over the
    record-length limit inside the range is cut as it is read (as the driver's scan cut it), never held whole:
    memory follows the block, not the longest line. The pieces are joined into the one block."""
    stream.seek(start)
    window = _Window(stream, stop - start)
    # Never under 64 bytes, so the first piece of the file holds a whole byte order mark (which is not a record's).
    piece = max(64, min(block_bytes, _WINDOW_BYTES))
    blocks = list(record_blocks(cast(IO[bytes], window), piece, max_record_length, at_file_start=start == 0))
    block = joined_blocks(blocks) if blocks else RecordBlock(data=bytearray(), first_row=0, start=0, stop=0)
    return attrs.evolve(block, first_row=first_row, start=start, stop=stop, index=index)


def joined_blocks(blocks: list[RecordBlock]) -> RecordBlock:
    """Consecutive blocks of one file as one (rows, cut records and the byte range of all), their bytes copied
    once (joining them two at a time copied the growing block again for every piece: an 81 MB range read in 8 MB
    pieces copied about 450 MB)."""
    first = blocks[0]
    if len(blocks) == 1:
        return first
    cut = {r + (b.first_row - first.first_row): n for b in blocks for r, n in b.cut.items()}
    data = bytearray().join(b.data for b in blocks)
    return attrs.evolve(first, data=data, stop=blocks[-1].stop, cut=cut, rows=sum(b.rows for b in blocks))


#: The largest piece a worker reads of its range at a time.
_WINDOW_BYTES = 8 << 20


class _Window(io.RawIOBase):
    """The next ``length`` bytes of ``stream`` as a stream of their own (reads past them see the end)."""

    def __init__(self, stream: IO[bytes], length: int) -> None:
        super().__init__()
        self._stream = stream
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        data = self._stream.read(min(len(buf), self._left))
        buf[: len(data)] = data
        self._left -= len(data)
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        want = self._left if size is None or size < 0 else min(size, self._left)
        line = self._stream.readline(want)
        self._left -= len(line)
        return line
