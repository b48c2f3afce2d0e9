"""What a Dask worker does for the Dask engine: parse a record block of a client file, hand back its reader state
and key sets, and validate one client partition (every client file's records of its clients) with the registered
rules.

Plain module-level functions of picklable values, so a worker in another process (or on another machine) runs
them from its own install of this package; nothing here imports Dask. A block is either a :class:`Range` of a
file the worker reads itself (the file must be at the same path on every worker) or the block's bytes, shipped
by the driver when the client file is a zip member that no worker could seek into.
"""

from __future__ import annotations

import os
from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.engines.common import partition_context, partition_findings
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.ranges import BlockParse, RecordBlock, parse_block, read_range
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.engine import empty_findings
from avetmiss_finalise.validation.keysets import frame_index
from avetmiss_finalise.validation.registry import Context

__all__ = ["Range", "cells", "keys", "parse", "reader_state", "rows", "validate_partition"]

#: Columns added to the unparsed cells so they travel with their client and come back in file order.
_CELL_ORDER = ("_block", "_pos")


@attrs.frozen(kw_only=True)
class Range:
    """Bytes ``start``..``stop`` of the file at ``path`` (absolute): one record block, found by the driver's
    scan, that a worker reads again itself; ``size`` is the file's size when the driver read it."""

    path: str
    start: int
    stop: int
    first_row: int
    index: int
    size: int


def parse(ref: Range | RecordBlock, name: str, file_id: str, profile: Profile, limits: Limits) -> BlockParse:
    """One block of file ``file_id`` parsed by the vectorised reader, labelled with the whole file's rows."""
    block = ref if isinstance(ref, RecordBlock) else _read(ref, limits)
    return parse_block(block, file_id, profile, name, limits=limits)


def _read(ref: Range, limits: Limits) -> RecordBlock:
    with open(ref.path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size != ref.size:
            raise OSError(
                f"{ref.path} is {size:,} bytes on this worker but was {ref.size:,} when the run started: "
                "every worker must see the same file (docs/scale.md)"
            )
        return read_range(
            f,
            ref.start,
            ref.stop,
            ref.first_row,
            block_bytes=ref.stop - ref.start,
            max_record_length=limits.max_record_length,
            index=ref.index,
        )


def reader_state(part: BlockParse) -> BlockParse:
    """``part`` without its rows: what :class:`~avetmiss_finalise.nat.ranges.ReaderMerge` needs, small enough to
    gather on the driver (its empty frame is the Dask frame's ``meta``)."""
    return attrs.evolve(part, frame=part.frame.iloc[:0], unparsed=_cells_of(part).iloc[:0])


def keys(part: BlockParse, wanted: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[tuple[str, tuple[str, ...]], Any]:
    """The block's share of the whole-file keys ``wanted`` (its file's of :data:`~.reading.CLIENT_REFERENCE_KEYS`:
    the keys rules on the files read whole compare with, X-01, X-14, X-15), as joined strings
    (``keysets.frame_index``: compact to gather on the driver and to broadcast)."""
    return {k: frame_index(part.frame, k[1]) for k in wanted}


def rows(part: BlockParse) -> pd.DataFrame:
    """The block's records, index = rows of the whole file (the partitions of the Dask frame)."""
    return part.frame


def cells(part: BlockParse) -> pd.DataFrame:
    """The block's unparsed cells with their record's ``client_id`` (so the shuffle by client sends them where
    their record goes) and their place in the file (so a partition lists them as a whole read does)."""
    return _cells_of(part)


def _cells_of(part: BlockParse) -> pd.DataFrame:
    up = part.unparsed
    client = part.frame["client_id"]
    at = part.frame.index.get_indexer(pd.Index(up["row"].to_numpy())) if len(up) else np.zeros(0, dtype=np.int64)
    return up.assign(
        client_id=client.iloc[at].to_numpy() if len(up) else client.iloc[:0].to_numpy(),
        _block=np.full(len(up), part.index, dtype=np.int64),
        _pos=np.arange(len(up), dtype=np.int64),
    ).astype({"client_id": client.dtype})


def validate_partition(
    base: Context,
    file_ids: tuple[str, ...],
    frames: list[pd.DataFrame],
    cells: list[pd.DataFrame],
    rule_ids: tuple[str, ...],
) -> tuple[pd.DataFrame, pd.DataFrame, list[Any]]:
    """The registered rules ``rule_ids`` on one client partition (after the shuffles): every client file of
    ``file_ids`` replaced in ``base`` by its rows (``frames``) and unparsed cells (``cells``) of the partition, its
    findings as :func:`~avetmiss_finalise.engines.common.partition_findings` splits them. A partition no client
    hashed to is no part of the collection and finds nothing."""
    import avetmiss_finalise.validation  # noqa: F401 - registers every rule on a fresh worker
    from avetmiss_finalise.validation.registry import REGISTRY

    if not any(len(f) for f in frames):
        empty = empty_findings()
        return empty, empty, []
    ctx = base
    for file_id, frame, unparsed in zip(file_ids, frames, cells, strict=True):
        frame = frame.sort_index(kind="stable")
        order = np.lexsort(tuple(unparsed[c].to_numpy() for c in reversed(_CELL_ORDER)))
        unparsed = unparsed.iloc[order].drop(columns=["client_id", *_CELL_ORDER]).reset_index(drop=True)
        ctx = partition_context(ctx, frame, unparsed, file_id)
    return partition_findings(ctx, [REGISTRY[r] for r in rule_ids], frozenset(file_ids))


def validate_whole(
    base: Context, rule_ids: tuple[str, ...], partitioned: frozenset[str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Any]]:
    """The rules on ``base`` as it is: the rules that read no ``partitioned`` file, or every rule when no
    partitioned file has a record (or none is present)."""
    import avetmiss_finalise.validation  # noqa: F401 - registers every rule on a fresh worker
    from avetmiss_finalise.validation.registry import REGISTRY

    return partition_findings(base, [REGISTRY[r] for r in rule_ids], partitioned)
