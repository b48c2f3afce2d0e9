"""Client partitions of a client-keyed file (NAT00120, NAT00080 …) spilled to disk: every record of a client lands
in one partition file, and in the same partition number in every file (the same hash of ``client_id``).

Six rules (:data:`~avetmiss_finalise.validation.keysets.CLIENT_PARTITIONED`: V-120-16, X-11, X-12, NSW-TO-03,
NSW-MAX-PROGRAMS, QLD-DUP-ACHIEVED) compare a client's records with each other, so a streaming run cannot give
them row ranges. Each block read is split by a hash of ``client_id`` into ``partitions`` files in a private
temporary directory (Arrow IPC streams of the block's rows, index labels = rows of the whole file, appended block
after block); a partition is then loaded whole — about ``rows / partitions`` records, the chunk size — and every
rule runs on it. The directory is removed when the :class:`Spill` is closed, whatever happened.

Blocks and partitions both grow with the file, so the pieces written and read back grow with its square (90,000
for NAT00120 at 30M rows in 100,000-row chunks): what a piece costs decides whether the engine's cost is linear.
A block is converted to Arrow once, sorted by partition in one take and cut into zero-copy slices; each slice is
written as one IPC stream straight into its partition's file (about 60 µs), its offset and length kept in memory,
and a partition's pieces are concatenated in Arrow and converted to pandas once (about 30 µs a piece), where a
pickled pandas slice cost about 540 µs a piece both ways. Straight into the file, not into an in-memory buffer
first: a fresh buffer the size of the piece is fresh pages the kernel must fault in, which cost 0.40 s for a
500,000-record piece where writing it to the file cost 0.03 s (4 December 2026, ``_write_piece`` 29 % of a 1M-row
stream run before, docs/scale.md, "Spill straight to file").
"""

from __future__ import annotations

import os
import shutil
import tempfile
from types import TracebackType
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

__all__ = ["Spill", "client_partition"]


def client_partition(client_id: pd.Series, partitions: int) -> np.ndarray:
    """The partition (0 … ``partitions``-1) of each row: a stable hash of its client id (NA: one partition)."""
    if partitions <= 1:
        return np.zeros(len(client_id), dtype=np.int64)
    hashed = pd.util.hash_pandas_object(client_id.astype("string[pyarrow]"), index=False).to_numpy()
    return (hashed % np.uint64(partitions)).astype(np.int64)


class Spill:
    """``partitions`` append-only partition files of (frame rows, unparsed cells) in a temporary directory."""

    def __init__(self, partitions: int, directory: str | os.PathLike[str] | None = None) -> None:
        self.partitions = max(1, partitions)
        self._dir = tempfile.mkdtemp(prefix="avetmiss-spill-", dir=directory)
        self._rows = [0] * self.partitions
        #: Each partition file's pieces, (offset, length) in the order written: frame rows, then cells, per block.
        self._pieces: list[list[tuple[int, int]]] = [[] for _ in range(self.partitions)]
        #: The file's columns with no rows (frame, unparsed cells), from its first block: what a partition no
        #: record of this file hashed to holds of it, so every partition has every file the collection has.
        self.template: tuple[pd.DataFrame, pd.DataFrame] | None = None

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    @property
    def directory(self) -> str:
        return self._dir

    def _path(self, p: int) -> str:
        return os.path.join(self._dir, f"part-{p:05d}.arrows")

    def add(self, frame: pd.DataFrame, unparsed: pd.DataFrame) -> None:
        """Append a block's rows (and its unparsed cells) to their clients' partitions."""
        if self.template is None:
            self.template = (frame.iloc[:0], unparsed.iloc[:0])
        which = client_partition(frame["client_id"], self.partitions)
        cell_part = np.zeros(len(unparsed), dtype=np.int64)
        if len(unparsed):
            pos = frame.index.get_indexer(pd.Index(unparsed["row"].to_numpy()))
            cell_part = which[pos]
        # One stable sort by partition and one take per block (in Arrow), then a zero-copy slice per partition.
        order = np.argsort(which, kind="stable")
        rows_sorted = pa.Table.from_pandas(frame, preserve_index=True).take(order)
        bounds = np.searchsorted(which[order], np.arange(self.partitions + 1))
        cell_order = np.argsort(cell_part, kind="stable")
        cells_sorted = pa.Table.from_pandas(unparsed, preserve_index=False).take(cell_order)
        cell_bounds = np.searchsorted(cell_part[cell_order], np.arange(self.partitions + 1))
        for p in np.flatnonzero(np.diff(bounds)).tolist():
            rows = rows_sorted.slice(bounds[p], bounds[p + 1] - bounds[p])
            cells = cells_sorted.slice(cell_bounds[p], cell_bounds[p + 1] - cell_bounds[p])
            with open(self._path(p), "ab") as f:
                self._pieces[p].append(_write_piece(f, rows))
                self._pieces[p].append(_write_piece(f, cells))
            self._rows[p] += rows.num_rows

    def rows(self, p: int) -> int:
        return self._rows[p]

    def load(self, p: int) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """Partition ``p`` whole, rows in file order (``None`` when no record hashed to it)."""
        if not self._rows[p]:
            return None
        with open(self._path(p), "rb") as f:
            data = pa.py_buffer(f.read())
        pieces = [ipc.open_stream(data.slice(at, size)).read_all() for at, size in self._pieces[p]]
        frames, cells = pieces[0::2], pieces[1::2]
        frame = _pandas(frames)
        table = _pandas(cells).reset_index(drop=True)
        return frame.sort_index(kind="stable"), table


def _write_piece(f: BinaryIO, table: pa.Table) -> tuple[int, int]:
    """One table as an Arrow IPC stream at the end of ``f`` (a file holds many, one after another): its offset
    and length there."""
    start = f.seek(0, os.SEEK_END)
    with ipc.new_stream(f, table.schema) as writer:
        writer.write_table(table)
    return start, f.tell() - start


def _pandas(tables: list[pa.Table]) -> pd.DataFrame:
    """The pieces as one frame, with the dtypes and index their schema's pandas metadata records (every piece of
    a file has the file's schema: the reader types each column by its layout)."""
    frame: pd.DataFrame = pa.concat_tables(tables).to_pandas()
    return frame
