"""The automatic chunk size: a quarter of the memory available at the measured bytes per record, within bounds."""

from __future__ import annotations

from avetmiss_finalise.engines.sizing import BYTES_PER_ROW, MAX_ROWS, MIN_ROWS, auto_chunk_rows


def test_a_quarter_of_the_memory_at_the_measured_bytes_per_record() -> None:
    """1,600 bytes a record: the largest slope of peak RSS over chunk size measured at 1M rows (docs/scale.md);
    it was an unmeasured 2,000."""
    assert BYTES_PER_ROW == 1_600
    assert auto_chunk_rows(4 * 1_600 * 100_000) == 100_000
    assert auto_chunk_rows(1 << 20) == MIN_ROWS
    assert auto_chunk_rows(1 << 45) == MAX_ROWS
