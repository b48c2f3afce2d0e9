"""How many NAT00120 records a streaming chunk holds: from the memory available, overridable (``--chunk-rows``).

A parsed NAT00120 record costs about 250 bytes in its frame; while a block is parsed and spilled, and while the rules
run on a partition (with its clients' records of the other client files), the temporaries cost a few times that
again. Measured (docs/scale.md, 3 December 2026): the stream engine's peak RSS at 1M rows rose from 236 MB to 331,
489 and 679 MB with chunks of 50,000, 100,000, 200,000 and 400,000 records, 950 to 1,580 bytes for each record added
to a chunk, over a fixed part of about 170 MB (the interpreter, the libraries, NAT00010/20/30/60). So
:data:`BYTES_PER_ROW` is 1,600, the largest of those slopes (it was an unmeasured 2,000). A chunk is given a quarter
of the memory available (the rest is for that fixed part, for what grows with the number of partitions, and for
everyone else on the machine), within :data:`MIN_ROWS` … :data:`MAX_ROWS`.
"""

from __future__ import annotations

import os

__all__ = ["BYTES_PER_ROW", "MAX_ROWS", "MIN_ROWS", "auto_chunk_rows", "available_memory"]

#: Peak bytes per record of a chunk, measured at 1M rows (the module docstring).
BYTES_PER_ROW = 1_600
MIN_ROWS = 10_000
MAX_ROWS = 500_000
_FALLBACK = 2 << 30  # when the platform does not say: assume 2 GiB available


def available_memory() -> int:
    """Bytes of memory available to a new allocation (Linux ``MemAvailable``; else physical pages free)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return _FALLBACK


def auto_chunk_rows(available: int | None = None) -> int:
    """Records per chunk for ``available`` bytes of memory (default: :func:`available_memory`)."""
    avail = available_memory() if available is None else available
    return max(MIN_ROWS, min(MAX_ROWS, avail // 4 // BYTES_PER_ROW))
