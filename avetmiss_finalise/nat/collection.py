"""A read NAT collection: one frame per file plus what is needed to write it back byte for byte."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from avetmiss_finalise.issues import Issue
from avetmiss_finalise.profiles import Profile, get_profile

__all__ = ["UNPARSED_COLUMNS", "Collection", "FileMeta", "empty_unparsed"]

#: Columns of ``Collection.unparsed[file_id]``: 0-based row label, field name, raw fixed-width text.
UNPARSED_COLUMNS = ("row", "field", "text")


def empty_unparsed() -> pd.DataFrame:
    """An unparsed-cells table with no rows."""
    return pd.DataFrame(
        {
            "row": pd.Series([], dtype="int64"),
            "field": pd.Series([], dtype="string[pyarrow]"),
            "text": pd.Series([], dtype="string[pyarrow]"),
        }
    )


def _frozen(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class FileMeta:
    """How one file was laid out on disk, so that writing it back reproduces the same bytes.

    Attributes:
        file_id: e.g. ``"NAT00120"``.
        name: the file name as found (``Nat00120.TxT``), used again when the collection is written.
        line_ending: ``"\\r\\n"`` or ``"\\n"`` (the first record's terminator).
        bom: the file started with a UTF-8 byte order mark.
        final_newline: the last record was terminated.
        record_lengths: each record's original length, kept only when some record was shorter than the layout
            (so records padded back on reading are cut again on writing while their padding is still blank).
        crlf: per-record "terminated by CR LF" flags, kept only when the file mixes CR LF and LF.
        cut_records: 0-based rows of records longer than the record-length limit, cut when read
            (NAT-LONG-RECORD); the writer refuses to write such a file back, since characters were dropped.
        size: bytes read, and sha256: their SHA-256 (hex) — recorded when read with ``digests=True`` (audit).
    """

    file_id: str
    name: str
    line_ending: str = "\r\n"
    bom: bool = False
    final_newline: bool = True
    record_lengths: npt.NDArray[np.int64] | None = attrs.field(default=None, eq=False, repr=False)
    crlf: npt.NDArray[np.bool_] | None = attrs.field(default=None, eq=False, repr=False)
    cut_records: tuple[int, ...] = ()
    size: int | None = None
    sha256: str | None = None


@attrs.frozen(kw_only=True, eq=False)
class Collection:
    """NAT files as columnar frames (see the columnar contract in ``docs/nat-format.md``).

    Attributes:
        frames: file id → DataFrame (line number = index + 1).
        issues: everything found while reading, in file then line order.
        profile: the jurisdiction profile whose layouts were used.
        meta: file id → :class:`FileMeta` (absent for frames that were never read from disk).
        unparsed: file id → cells that could not be parsed (columns ``row``, ``field``, ``text``).
        source: the path read, or ``None``.

    Compared by identity (``eq=False``): frames have no single truth value; compare ``frames`` explicitly.
    """

    frames: Mapping[str, pd.DataFrame] = attrs.field(converter=_frozen)
    issues: tuple[Issue, ...] = ()
    profile: Profile = attrs.field(factory=lambda: get_profile("national"), converter=get_profile)
    meta: Mapping[str, FileMeta] = attrs.field(factory=dict, converter=_frozen)
    unparsed: Mapping[str, pd.DataFrame] = attrs.field(factory=dict, converter=_frozen)
    source: str | None = None

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], profile: str | Profile = "national") -> Collection:
        """A collection of frames built in memory (no metadata: written with CR LF, full width)."""
        prof = get_profile(profile)
        for file_id in frames:
            prof.layout(file_id)  # UsageError on an unknown file id
        return cls(frames=dict(frames), profile=prof)

    @property
    def file_ids(self) -> tuple[str, ...]:
        return tuple(self.frames)

    def unparsed_for(self, file_id: str) -> pd.DataFrame:
        """The unparsed cells of ``file_id`` (empty when none)."""
        found = self.unparsed.get(file_id)
        return empty_unparsed() if found is None else found
