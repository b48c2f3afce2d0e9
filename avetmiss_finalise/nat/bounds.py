"""What keeps parsing bounded whatever the bytes: over-long records cut, dense blocks sliced, record counts capped.

Memory of the parser grows with (records x layout width) per block and with the records kept, never with the
length of one line: a line longer than the record-length limit is cut to it (and reported, NAT-LONG-RECORD), a
block of very many short lines is parsed in slices of :data:`ROWS_PER_BLOCK` records, and a file with more
records than ``Limits.max_records`` is refused (:class:`~avetmiss_finalise.errors.LimitError`).
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import numpy as np

from avetmiss_finalise.limits import format_size
from avetmiss_finalise.nat.lines import Lines, count_lf

__all__ = ["ROWS_PER_BLOCK", "clamp_lengths", "long_record_message", "slices"]

#: Records parsed at a time: the ``(records, width)`` byte matrix of one slice stays near 20 MiB.
ROWS_PER_BLOCK = 1 << 17


def slices(data: bytes | bytearray, start: int) -> Iterator[tuple[bytes | bytearray, int]]:
    """``(data, start)`` itself when it holds at most :data:`ROWS_PER_BLOCK` lines, else line-aligned slices.

    Normal NAT blocks (records of a hundred characters or more) are never sliced, so they cost one
    ``bytes.count``; only blocks of very short lines (junk, empty lines) are copied into slices.
    """
    if len(data) - start <= ROWS_PER_BLOCK or count_lf(data, start) <= ROWS_PER_BLOCK:
        yield data, start
        return
    arr = np.frombuffer(data, dtype=np.uint8, offset=start)
    ends = np.flatnonzero(arr == 0x0A)[ROWS_PER_BLOCK - 1 :: ROWS_PER_BLOCK] + 1
    lo = 0
    for hi in [*ends.tolist(), arr.size]:
        if hi > lo:
            yield bytes(data[start + lo : start + hi]), 0
        lo = hi


def clamp_lengths(lines: Lines, cap: int) -> tuple[Lines, dict[int, int]]:
    """``lines`` with every record longer than ``cap`` cut to it, and ``{row: original length}`` of those."""
    lengths = lines.lengths
    if not lengths.size or int(lengths.max()) <= cap:
        return lines, {}
    over = np.flatnonzero(lengths > cap)
    cut = dict(zip(over.tolist(), lengths[over].tolist(), strict=True))
    return attrs.evolve(lines, lengths=np.minimum(lengths, cap)), cut


def long_record_message(length: int, cap: int) -> str:
    """The NAT-LONG-RECORD message of a record of ``length`` characters cut at ``cap``."""
    return (
        f"record has {length:,} characters, more than the record-length limit of {format_size(cap)} "
        f"(--max-record-length); only the first {cap:,} are kept and the file cannot be written back"
    )
