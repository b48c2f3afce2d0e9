"""A worker's read of its byte range gives the driver's block, in pieces, without holding an over-long record
whole (found in review: the Dask engine's memory grew with the longest line, 648 MB for a 150 MB line)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.ranges import parse_block, read_range, record_blocks
from avetmiss_finalise.nat.read import read_collection
from avetmiss_finalise.profiles import get_profile

CAP = 1024  # the smallest record-length limit Limits accepts
_LINE = st.one_of(
    st.binary(min_size=0, max_size=30).map(lambda b: b.replace(b"\n", b"x")),
    st.integers(CAP - 2, CAP + 400).map(lambda n: b"L" * n),  # around and over the record-length limit
    st.just(b"\xef\xbb\xbf" + b"B" * (CAP + 50)),  # a mark-like start in the middle of the file is a record's
)


@given(
    lines=st.lists(st.tuples(_LINE, st.sampled_from([b"\r\n", b"\n"])), min_size=1, max_size=12),
    bom=st.booleans(),
    block=st.integers(16, 3000),
    piece=st.integers(1, 700),
)
def test_every_range_read_in_pieces_is_the_drivers_block(
    lines: list[tuple[bytes, bytes]], bom: bool, block: int, piece: int
) -> None:
    """The bytes may differ (the worker drops an over-long record's tail as it reads, where the driver's block may
    hold it whole for the parser to cut): what the reader makes of them may not."""
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(a + b for a, b in lines)
    limits = Limits(max_record_length=CAP)
    profile = get_profile("national")
    for b in record_blocks(io.BytesIO(data), block, CAP):
        got = read_range(io.BytesIO(data), b.start, b.stop, b.first_row, block_bytes=piece, max_record_length=CAP)
        assert (got.rows, got.first_row, got.start, got.stop) == (b.rows, b.first_row, b.start, b.stop)
        mine, theirs = (parse_block(x, "NAT00120", profile, "NAT00120.txt", limits=limits) for x in (got, b))
        pd.testing.assert_frame_equal(mine.frame, theirs.frame)
        pd.testing.assert_frame_equal(mine.unparsed, theirs.unparsed)
        assert (mine.cut, mine.endings, mine.bom) == (theirs.cut, theirs.endings, theirs.bom)
        assert [i for i in mine.sink.issues] == [i for i in theirs.sink.issues]


def test_a_long_line_is_never_read_whole() -> None:
    """Reads through the window are bounded by the piece size plus the record-length limit."""
    data = b"A" * 10 + b"\r\n" + b"L" * (3 << 20) + b"\r\n" + b"B" * 10 + b"\r\n"

    class Counting(io.BytesIO):
        largest = 0

        def read(self, n: int | None = -1) -> bytes:
            out = super().read(n)
            Counting.largest = max(Counting.largest, len(out))
            return out

        def readline(self, n: int | None = -1) -> bytes:
            out = super().readline(n)
            Counting.largest = max(Counting.largest, len(out))
            return out

    (block,) = record_blocks(io.BytesIO(data), len(data), CAP)
    got = read_range(Counting(data), block.start, block.stop, 0, block_bytes=64, max_record_length=CAP)
    assert got.cut == {1: 3 << 20}
    assert Counting.largest <= (1 << 20)  # the dropped tail is read in bounded pieces, never as one 3 MiB string


@given(
    lines=st.lists(st.tuples(_LINE, st.sampled_from([b"\r\n", b"\n", b""])), min_size=0, max_size=4),
    bom=st.booleans(),
    block=st.integers(16, 3000),
)
def test_the_blocks_rows_are_the_whole_reads_records(lines: list[tuple[bytes, bytes]], bom: bool, block: int) -> None:
    """Found by the stream engine's property: a file of nothing but a byte order mark was counted one record in
    blocks (the report's record count for it 1) where the whole read has none. Every file, the last line ended or
    not, with a mark or not, empty or not: the blocks count the records the whole-file reader reads."""
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(a + b for a, b in lines)
    profile = get_profile("national")
    blocks = list(record_blocks(io.BytesIO(data), block, CAP))
    counted = blocks[-1].first_row + blocks[-1].rows if blocks else 0
    parsed = [parse_block(b, "NAT00120", profile, "NAT00120.txt", limits=Limits(max_record_length=CAP)) for b in blocks]
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "NAT00120.txt").write_bytes(data)
        whole = read_collection(d, profile, limits=Limits(max_record_length=CAP)).frames["NAT00120"]
    assert counted == sum(len(p.frame) for p in parsed) == len(whole)
