"""Read a collection for streaming: every file as the reader reads it, but the streamed files (every client-keyed
file, :data:`CLIENT_FILES`, for the stream and Dask engines) in record blocks, never whole.

The directory/zip walk, the file-name rules, duplicates, special files and limits are the reader's own
(:mod:`avetmiss_finalise.nat.read`): only the opener of a streamed file is replaced. When the reader opens it, the
whole file is streamed there and then — each block parsed by the vectorised reader (:mod:`avetmiss_finalise.nat.
ranges`), its key sets gathered, its rows spilled to their client partitions — and the reader is handed an empty
stream. So a limit met half-way (bytes, records, compression ratio) is the reader's NAT-TOO-LARGE, exactly as in a
whole-file read, and the collection's other files are read as they always are.
"""

from __future__ import annotations

import io
import math
import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

import attrs
import pyarrow as pa

from avetmiss_finalise.errors import LimitError
from avetmiss_finalise.inputs import open_regular
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.collection import Collection
from avetmiss_finalise.nat.lines import CHUNK_SIZE
from avetmiss_finalise.nat.members import Member, Opener, bounded, dir_members, size_refusal, zip_members
from avetmiss_finalise.nat.ranges import ByteCounter, RecordBlock, record_blocks
from avetmiss_finalise.nat.read import _basename, _collect, _path, _stat, file_id_of, read_collection
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.keysets import NAT00120_REFERENCE_KEYS

__all__ = [
    "BLOCK_CAP",
    "CLIENT_FILES",
    "CLIENT_REFERENCE_KEYS",
    "STREAMED",
    "Consumer",
    "ConsumerFactory",
    "KeyIndex",
    "Streamed",
    "chunk_bytes",
    "estimated_partitions",
    "read_partitioned",
]

#: The file read in blocks: the one that grows with a collection (one row per unit enrolment).
STREAMED = "NAT00120"

#: The files keyed by ``client_id``, which grow with the learners: the stream engine partitions all of them by the
#: same hash of the client, so a partition holds every record of its clients in every file (NAT00010, NAT00020,
#: NAT00030 and NAT00060 describe the provider and its programs and subjects, and are read whole).
CLIENT_FILES = ("NAT00080", "NAT00085", "NAT00090", "NAT00100", STREAMED, "NAT00130")

#: Key sets of the client files that rules read from the whole file when every client file is partitioned by
#: client: those without ``client_id``, which rules compare with the files that are not partitioned (X-14 and X-15:
#: NAT00020's locations and NAT00030's programs used in NAT00120; X-01 and X-15: NAT00010's organisation and the
#: programs in NAT00130). A key with ``client_id`` (X-03, X-06, X-07, X-08, V-085-01 …) is compared with records
#: of the same client, so it is whole within the client's partition: NAT00120's (client, program) keys, the one
#: key set that grew with the file, are no longer gathered (docs/scale.md).
CLIENT_REFERENCE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *(k for k in NAT00120_REFERENCE_KEYS if "client_id" not in k[1]),
    ("NAT00130", ("training_organisation_id",)),
    ("NAT00130", ("program_id",)),
)

#: NAT00120's whole-file keys as ``Context.reference_index`` holds them: (file id, columns) → distinct joined keys.
KeyIndex = dict[tuple[str, tuple[str, ...]], pa.Array]


@attrs.frozen(kw_only=True)
class Streamed:
    """A client file as streamed: row count, bytes and digest, and what the engine's :class:`Consumer` made of its
    blocks (``parts``: for the stream engine a :class:`~.spilling.Parsed` — merged reader Issues, key sets, the
    spill)."""

    name: str
    rows: int
    size: int
    sha256: str | None
    parts: Any
    #: Names of the members read before this file (their Issues come first in the collection).
    before: frozenset[str]
    #: The file on disk, when it is a regular file (a distributed worker may read its byte ranges itself).
    path: str | None = None


class Consumer(Protocol):
    """What an engine does with a streamed file's blocks as they are read: ``block`` each in file order, then ``finish``
    (its result becomes :attr:`Streamed.parts`); ``close`` frees what it holds (called on failure too)."""

    def block(self, block: RecordBlock) -> None: ...

    def finish(self) -> Any: ...

    def close(self) -> None: ...


ConsumerFactory = Callable[[str, int, str | None], Consumer]
"""(file name, partitions, the file on disk when it is a regular file) → a fresh :class:`Consumer`."""


def chunk_bytes(profile: Profile, file_id: str, chunk_rows: int) -> int:
    """The bytes of a chunk of ``file_id``: ``chunk_rows`` records of whichever is narrower, its layout or
    NAT00120's, whatever the file (the stream engine's blocks before :data:`BLOCK_CAP`, the Dask engine's tasks).

    In bytes, not records: 100,000 NAT00085 records (3.5 times as wide) parsed at once were the peak of a 1M run,
    and 1M NAT00100 records (13 characters) in 16 MB the peak of a 30M one (581 MB). Lines shorter than their
    layout (trailing blanks trimmed) make a chunk hold more records than ``chunk_rows``: its bytes stay within
    this, its parse (each record padded to its layout's width) can take more by the ratio of full to trimmed
    width."""
    return chunk_rows * min(profile.layout(STREAMED).width + 2, profile.layout(file_id).width + 2)


class _Streamer:
    def __init__(
        self,
        profile: Profile,
        limits: Limits,
        chunk_rows: int,
        digests: bool,
        consumer: ConsumerFactory,
        files: frozenset[str] = frozenset({STREAMED}),
        partitions: int | None = None,
    ):
        self.profile, self.limits, self.chunk_rows = profile, limits, chunk_rows
        self.digests, self.consumer = digests, consumer
        self.files, self.partitions = files, partitions
        self.results: dict[str, Streamed] = {}
        self._seen: list[str] = []
        self._dir: Path | None = None

    def members(self, members: Iterator[Member], directory: Path | None = None) -> Iterator[Member]:
        for m in members:
            if m.opener is not None and file_id_of(_basename(m.name)) in self.files:
                path = None if directory is None else str(directory / m.name)
                m = attrs.evolve(m, opener=self._deferred(m, m.opener, frozenset(self._seen), path))
            self._seen.extend((m.name, _basename(m.name)))
            yield m

    def _deferred(self, member: Member, opener: Opener, before: frozenset[str], path: str | None) -> Opener:
        def read() -> IO[bytes]:
            self.stream(member, opener, before, path)
            return io.BytesIO(b"")

        return read

    def stream(self, member: Member, opener: Opener, before: frozenset[str], path: str | None = None) -> None:
        """Stream ``member`` through the engine's consumer block by block (a failure leaves nothing behind)."""
        name = _basename(member.name)
        fid = file_id_of(name) or STREAMED
        record = self.profile.layout(fid).width + 2
        partitions = self.partitions or max(1, math.ceil(member.size / record / self.chunk_rows))
        lim = self.limits
        consumer: Consumer | None = None
        rows = 0
        try:
            consumer = self.consumer(name, partitions, path)
            with opener() as raw:
                counter = ByteCounter(raw, digest=self.digests)
                # Never larger than the file itself, whatever --chunk-rows asks for, nor than BLOCK_CAP.
                # The cap is never under 64 bytes, so the file's first block holds a whole byte order mark (which is
                # no part of its first record: a block of 1 byte counted it in an over-long record's length).
                cap = max(BLOCK_CAP, _MIN_BLOCK)  # read at call time: the tests draw it
                chunk = chunk_bytes(self.profile, fid, self.chunk_rows)
                block_bytes = min(chunk, max(member.size, 1) + record, cap)
                for block in record_blocks(counter, block_bytes, lim.max_record_length):
                    rows = block.first_row + block.rows
                    if rows > lim.max_records:
                        raise LimitError(
                            f"{name} has more than {lim.max_records:,} records, the limit (--max-records); not read"
                        )
                    consumer.block(block)
            parts = consumer.finish()
        except BaseException:
            if consumer is not None:
                consumer.close()
            raise
        old = self.results.pop(fid, None)
        if old is not None and hasattr(old.parts, "close"):
            old.parts.close()
        self.results[fid] = Streamed(
            name=name,
            rows=rows,
            size=counter.size,
            sha256=counter.hash.hexdigest() if counter.hash is not None else None,
            parts=parts,
            before=before,
            path=path,
        )

    def close(self) -> None:
        for streamed in self.results.values():
            if hasattr(streamed.parts, "close"):
                streamed.parts.close()


#: The most bytes a partitioned read parses at once, whatever the chunk (a partition's records): the whole-file
#: reader's own chunk (:data:`~avetmiss_finalise.nat.lines.CHUNK_SIZE`, 16 MiB, ~100,000 NAT00120 records). A
#: block's buffers are the engine's short-lived peak, and a buffer over glibc's largest mmap threshold (32 MiB)
#: is fresh pages from the kernel on every block: blocks of a 500,000-record chunk (81 MB) cost a 1M-row run
#: 3.45 s CPU (1.58 s of it system time, 468,000 page faults, 785 MB peak) where 16 MiB blocks cost 2.76 s
#: (0.84 s, 215,000, 553 MB; 4 December 2026, docs/scale.md, "Spill straight to file"). A partition still holds
#: ``chunk_rows`` records: the blocks are more, so the spill's pieces are more (blocks × partitions), which
#: measured no cost at 30M rows (writing a fifth as many pieces was no faster: docs/scale.md).
BLOCK_CAP = CHUNK_SIZE
#: The least bytes a capped block is allowed: a whole byte order mark (3 bytes) with room to spare, as the Dask
#: worker's own range reads (``nat.ranges.read_range``) allow.
_MIN_BLOCK = 64


@contextmanager
def read_partitioned(
    path: str | os.PathLike[str],
    profile: Profile,
    limits: Limits,
    chunk_rows: int,
    consumer: ConsumerFactory,
    *,
    files: tuple[str, ...] = CLIENT_FILES,
    digests: bool = True,
) -> Iterator[tuple[Collection, dict[str, Streamed]]]:
    """The collection at ``path`` with every file of ``files`` it holds streamed (a placeholder frame with
    no rows each), all into the same number of client partitions (:func:`estimated_partitions`), and what
    streaming each gave by file id. Blocks are at most ``chunk_rows`` NAT00120 records' bytes (and at least one
    record) and at most :data:`BLOCK_CAP` (the Dask engine gathers consecutive blocks into its workers' tasks).
    What it holds is freed on leaving the context."""
    partitions = estimated_partitions(path, profile, chunk_rows, files)
    streamer = _Streamer(profile, limits, chunk_rows, digests, consumer, frozenset(files), partitions)
    try:
        yield _read(Path(path), streamer, profile, limits, digests), dict(streamer.results)
    finally:
        streamer.close()


def estimated_partitions(
    path: str | os.PathLike[str], profile: Profile, chunk_rows: int, files: tuple[str, ...] = CLIENT_FILES
) -> int:
    """How many client partitions a collection's streamed files share: the largest file's estimated records (its
    size over its record width, from the directory or the zip's list, before anything is read) over
    ``chunk_rows``. Every file must be split into the same partitions, and NAT00080 is read before NAT00120, so
    the count is decided from the sizes up front. A source that cannot be listed gives 1: the read that follows
    reports why, as a whole read would."""
    sizes: list[tuple[str, int]] = []
    p = Path(path)
    try:
        if p.is_dir():
            with os.scandir(p) as it:
                sizes = [(e.name, _size(e)) for e in it if file_id_of(e.name) in files]
        elif file_id_of(p.name):
            sizes = [(p.name, p.stat().st_size)]
        elif zipfile.is_zipfile(p):
            with zipfile.ZipFile(p) as z:
                sizes = [(_basename(i.filename), i.file_size) for i in z.infolist() if not i.is_dir()]
    except (OSError, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile):
        return 1
    most = 0.0
    for name, size in sizes:
        fid = file_id_of(name)
        if fid in files:
            most = max(most, size / (profile.layout(fid).width + 2))
    return max(1, math.ceil(most / chunk_rows))


def _size(entry: os.DirEntry[str]) -> int:
    """The size of a directory entry's target (0 when it cannot be stated: the read says why)."""
    try:
        return entry.stat().st_size
    except OSError:
        return 0


def _read(p: Path, streamer: _Streamer, profile: Profile, limits: Limits, digests: bool) -> Collection:
    """:func:`~avetmiss_finalise.nat.read.read_collection`'s dispatch, with NAT00120's opener replaced."""
    p = _path(p)
    st = _stat(p)
    source = str(p)
    if stat.S_ISDIR(st.st_mode):
        return _collect(streamer.members(dir_members(p, limits), p), profile, source, limits, digests)
    if stat.S_ISREG(st.st_mode) and file_id_of(p.name) in streamer.files:
        stream, size = open_regular(p)
        member = Member(p.name, size=size)
        too_large = size_refusal(member, limits, 0)
        if too_large is not None:
            stream.close()
            raise LimitError(too_large)
        streamer.stream(member, lambda: bounded(stream, limits.max_file_bytes, p.name), frozenset(), str(p))
        placeholder = _collect(
            iter([Member(p.name, lambda: io.BytesIO(b""), size=0)]), profile, source, limits, digests
        )
        return attrs.evolve(placeholder, issues=())
    if stat.S_ISREG(st.st_mode) and not file_id_of(p.name):
        stream, _ = open_regular(p)
        with stream:
            if zipfile.is_zipfile(stream):
                return _collect(streamer.members(zip_members(stream, p, limits)), profile, source, limits, digests)
    return read_collection(p, profile, limits=limits, digests=digests)
