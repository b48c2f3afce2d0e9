"""Reading in chunks (bounded memory) gives exactly what reading all at once gives: frame, issues, bytes back."""

from __future__ import annotations

import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from avetmiss_finalise.nat.parse import line_chunks, parse_bytes, parse_chunks
from avetmiss_finalise.nat.write import encode_frame
from avetmiss_finalise.profiles import get_profile
from tests.strategies.nat import file_and_profile, nat_lines

_eols = st.sampled_from([b"\r\n", b"\n"])


@given(data=st.data(), pair=file_and_profile(), size=st.integers(1, 400), junk=st.binary(max_size=40))
def test_chunked_reading_equals_whole_reading(
    data: st.DataObject, pair: tuple[str, str], size: int, junk: bytes
) -> None:
    file_id, profile = pair
    prof = get_profile(profile)
    lines = data.draw(st.lists(nat_lines(file_id, profile), max_size=6))
    raw = b"".join(line.encode() + data.draw(_eols) for line in lines) + junk
    whole = parse_bytes(raw, file_id, prof)
    chunked = parse_chunks(line_chunks(io.BytesIO(raw), size), file_id, prof)
    pd.testing.assert_frame_equal(chunked.frame, whole.frame)
    pd.testing.assert_frame_equal(chunked.unparsed, whole.unparsed)
    assert chunked.issues == whole.issues
    assert chunked.meta == whole.meta
    assert encode_frame(chunked.frame, file_id, profile, meta=chunked.meta, unparsed=chunked.unparsed) == raw


def test_line_chunks_cut_only_after_line_feeds() -> None:
    raw = b"ab\r\ncdef\nghi"
    chunks = list(line_chunks(io.BytesIO(raw), 3))
    assert b"".join(chunks) == raw
    assert all(c.endswith(b"\n") for c in chunks[:-1])
