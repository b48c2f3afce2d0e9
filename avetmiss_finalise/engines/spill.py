"""Client partitions of a client-keyed file (NAT00120, NAT00080 …) spilled to disk: every record of a client lands
in one partition file, and in the same partition number in every file (the same hash of ``client_id``).

Six rules (:data:`~avetmiss_finalise.validation.keysets.CLIENT_PARTITIONED`: V-120-16, X-11, X-12, NSW-TO-03,
NSW-MAX-PROGRAMS, QLD-DUP-ACHIEVED) compare a client's records with each other, so a streaming run cannot give
them row ranges. Each block read is split by a hash of ``client_id`` into ``partitions`` files in a private
temporary directory (pickles of the block's rows, index labels = rows of the whole file, appended block after
block); a partition is then loaded whole — about ``rows / partitions`` records, the chunk size — and every rule
runs on it. The directory is removed when the :class:`Spill` is closed, whatever happened.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from types import TracebackType

import numpy as np
import pandas as pd

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
        return os.path.join(self._dir, f"part-{p:05d}.pkl")

    def add(self, frame: pd.DataFrame, unparsed: pd.DataFrame) -> None:
        """Append a block's rows (and its unparsed cells) to their clients' partitions."""
        if self.template is None:
            self.template = (frame.iloc[:0], unparsed.iloc[:0])
        which = client_partition(frame["client_id"], self.partitions)
        cell_part = np.zeros(len(unparsed), dtype=np.int64)
        if len(unparsed):
            pos = frame.index.get_indexer(pd.Index(unparsed["row"].to_numpy()))
            cell_part = which[pos]
        # One stable sort by partition and one take per block, then a slice per partition: a boolean mask and a
        # take per partition cost partitions x blocks pandas calls per file (90,000 at 30M rows), most of a
        # block's spill time.
        order = np.argsort(which, kind="stable")
        rows_sorted = frame.take(order)
        bounds = np.searchsorted(which[order], np.arange(self.partitions + 1))
        cell_order = np.argsort(cell_part, kind="stable")
        cells_sorted = unparsed.take(cell_order)
        cell_bounds = np.searchsorted(cell_part[cell_order], np.arange(self.partitions + 1))
        for p in np.flatnonzero(np.diff(bounds)).tolist():
            rows = rows_sorted.iloc[bounds[p] : bounds[p + 1]]
            cells = cells_sorted.iloc[cell_bounds[p] : cell_bounds[p + 1]]
            with open(self._path(p), "ab") as f:
                pickle.dump((rows, cells), f, protocol=pickle.HIGHEST_PROTOCOL)
            self._rows[p] += len(rows)

    def rows(self, p: int) -> int:
        return self._rows[p]

    def load(self, p: int) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """Partition ``p`` whole, rows in file order (``None`` when no record hashed to it)."""
        if not self._rows[p]:
            return None
        frames, cells = [], []
        for rows, unparsed in _pickles(self._path(p)):
            frames.append(rows)
            cells.append(unparsed)
        frame = pd.concat(frames) if len(frames) > 1 else frames[0]
        table = pd.concat(cells, ignore_index=True) if len(cells) > 1 else cells[0]
        return frame.sort_index(kind="stable"), table


def _pickles(path: str) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    with open(path, "rb") as f:
        while True:
            try:
                yield pickle.load(f)
            except EOFError:
                return
