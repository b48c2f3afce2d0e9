"""The spill gives back, for every partition, exactly the rows (dtypes, index labels, order) and the unparsed cells
of the clients that hash to it, however the file was cut into blocks: the stream engine's findings rest on it, and
its pieces are Arrow IPC streams, not pickles of the pandas rows, so the round trip is the thing to pin."""

from __future__ import annotations

import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.engines.spill import Spill, client_partition
from avetmiss_finalise.nat.ranges import parse_block, record_blocks
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.profiles import get_profile
from tests.strategies.collections import SampleCollection, consistent_collections, frame_of


@given(
    c=consistent_collections(profile="national"),
    junk=st.lists(st.integers(0, 40), max_size=3),
    block=st.integers(200, 3000),
    partitions=st.integers(1, 5),
)
def test_each_partition_is_its_clients_rows_and_cells(
    c: SampleCollection, junk: list[int], block: int, partitions: int
) -> None:
    profile = get_profile("national")
    lines = encode_frame(frame_of("NAT00120", c.rows["NAT00120"]), "NAT00120", profile).splitlines(keepends=True)
    date = profile.layout("NAT00120").field("activity_start_date")  # start: 1-based
    for k in junk:  # a record whose date is letters: its cell lands in the unparsed table, among the good ones
        bad = lines[k % len(lines)]
        lines.insert(min(k, len(lines)), bad[: date.start - 1] + b"ABCDEFGH" + bad[date.start - 1 + date.length :])
    data = b"".join(lines)
    parts = [parse_block(b, "NAT00120", profile, "NAT00120.txt") for b in record_blocks(io.BytesIO(data), block)]
    whole = pd.concat([p.frame for p in parts])
    cells = pd.concat([p.unparsed for p in parts], ignore_index=True)
    with Spill(partitions) as spill:
        for p in parts:
            spill.add(p.frame, p.unparsed)
        which = client_partition(whole["client_id"], partitions)
        row_part = pd.Series(which, index=whole.index)
        for k in range(partitions):
            got = spill.load(k)
            want = whole[which == k]
            if not len(want):
                assert got is None
                continue
            assert got is not None
            pd.testing.assert_frame_equal(got[0], want)
            want_cells = cells[row_part.loc[cells["row"]].to_numpy() == k].reset_index(drop=True)
            pd.testing.assert_frame_equal(got[1], want_cells)
            assert spill.rows(k) == len(want)
