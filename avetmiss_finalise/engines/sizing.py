"""How many NAT00120 records a streaming chunk holds: from the memory available, overridable (``--chunk-rows``).

A parsed NAT00120 record costs about 250 bytes in its frame; while the rules run on a chunk its temporaries (masks,
joined keys, findings) cost a few times that again, so the peak of a chunk is about :data:`BYTES_PER_ROW` a record
(an estimate from the frame's dtypes, NOT yet measured at scale; docs/scale.md). A chunk is given a quarter of the
memory available (the rest is for the other files, which are read whole, and for everyone else on the machine), within
:data:`MIN_ROWS` … :data:`MAX_ROWS`.
"""

from __future__ import annotations

import os

__all__ = ["BYTES_PER_ROW", "MAX_ROWS", "MIN_ROWS", "auto_chunk_rows", "available_memory"]

#: Peak bytes per record of a chunk while the rules run on it (an estimate; see the module docstring).
BYTES_PER_ROW = 2_000
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
