"""What a rule may read: :class:`Context`, the columnar frames of one collection (or one partition of it) and the
run's parameters, with the derived values rules share built once.

Cross-file rules read other files only through key sets (:meth:`Context.keys`, ``keysets.key_index``) so that a
collection split into partitions — each with the other files whole and the partitioned file's key sets as
``reference_keys`` — gives the findings of the whole. :meth:`Context.with_file` makes the next partition's
Context and keeps what was built from what did not change, so ten partitions do not build the key sets of a file
read whole (NAT00030's; NAT00080's on Dask, which partitions NAT00120 alone), or turn NAT00120's reference keys
into arrays, ten times. What is built from a partitioned file is built once per partition, from its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
import pandas as pd

from avetmiss_finalise.period import Period
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.options import ValidationOptions

__all__ = ["FROM_GIVEN", "Context", "distinct_keys"]

#: Kinds of :meth:`Context.built` values that come from a file's given keys (``reference_keys`` /
#: ``reference_index``) when it has them, and so stay valid when that file's frame is replaced by a partition.
FROM_GIVEN = frozenset({"key_index"})

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Context:
    """What a rule may read. ``frames`` maps file id → DataFrame (columns named as in the layouts)."""

    frames: Mapping[str, pd.DataFrame]
    profile: Profile
    period: Period | None = None
    interim: bool = False
    #: Switches for configurable/unverified rules (severities, accepted legacy codes, reporting date).
    options: ValidationOptions = attrs.field(factory=ValidationOptions)
    #: Reference key sets from files not in ``frames`` (chunked validation): (file id, columns) → set of tuples.
    reference_keys: Mapping[tuple[str, tuple[str, ...]], frozenset[tuple[object, ...]]] = attrs.field(factory=dict)
    #: Raw text of cells the reader could not parse (file id → DataFrame with columns row, field, text).
    unparsed: Mapping[str, pd.DataFrame] = attrs.field(factory=dict)
    #: Reference keys as the partitioning engines gather them: (file id, columns) → the distinct joined keys
    #: (``keysets.frame_index``, a pyarrow string array), the form ``keysets.key_index`` reads. One string per key
    #: where ``reference_keys`` holds a Python tuple of objects: about 24 bytes a key against 190 (measured at 2M
    #: rows), and NAT00120's keys grow with the whole file while a partition does not (docs/scale.md).
    reference_index: Mapping[tuple[str, tuple[str, ...]], Any] = attrs.field(factory=dict)

    def frame(self, file_id: str) -> pd.DataFrame | None:
        return self.frames.get(file_id)

    #: Key sets already built in this run (several rules read the same one); not part of the Context's value.
    _keys_built: dict[tuple[str, tuple[str, ...]], frozenset[tuple[object, ...]]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    #: Other derived values built once (``keysets.key_index``'s arrays), by (kind, file id, columns).
    _built: dict[tuple[str, str, tuple[str, ...]], Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def keys(self, file_id: str, columns: tuple[str, ...]) -> frozenset[tuple[object, ...]] | None:
        """The set of key tuples present in ``file_id`` (``None`` if the file is absent).

        Built once per Context and key (kept by :meth:`with_file` while the file is not replaced): distinct rows
        first (a hash pass in pandas), then tuples of only those. Keys given in ``reference_index`` have no
        tuples to give (read them with ``keysets.key_index``); the frame here is then one partition, whose keys
        are not the file's, so asking is an error, not a guess.
        """
        if (file_id, columns) in self.reference_index:
            raise LookupError(f"{file_id} {columns} keys are given as an index: read them with keysets.key_index")
        if (file_id, columns) in self.reference_keys:
            return self.reference_keys[(file_id, columns)]
        df = self.frames.get(file_id)
        if df is None:
            return None
        built = self._keys_built.get((file_id, columns))
        if built is None:
            built = frozenset(distinct_keys(df, columns))
            self._keys_built[(file_id, columns)] = built
        return built

    def built(self, kind: str, file_id: str, columns: tuple[str, ...], build: Callable[[], T]) -> T:
        """``build()`` once per Context and ``(kind, file_id, columns)``: a value derived from ``file_id``'s frame
        (or from its ``reference_keys``) that several rules read."""
        key = (kind, file_id, columns)
        if key not in self._built:
            self._built[key] = build()
        value: T = self._built[key]
        return value

    def given(self, file_id: str, columns: tuple[str, ...]) -> bool:
        """Whether ``file_id``'s keys of ``columns`` come from outside the frames (``reference_keys`` or
        ``reference_index``): the same in every partition, whatever the frame holds."""
        return (file_id, columns) in self.reference_keys or (file_id, columns) in self.reference_index

    def given_files(self) -> set[str]:
        """Files whose keys are given from outside the frames (validated elsewhere, or partitioned)."""
        return {f for f, _ in self.reference_keys} | {f for f, _ in self.reference_index}

    def with_file(self, file_id: str, frame: pd.DataFrame, unparsed: pd.DataFrame) -> Context:
        """This Context with ``file_id`` replaced by ``frame`` (one partition of it) and its unparsed cells. What
        was built from the other files, or from ``reference_keys`` (which do not change), is kept."""
        new = attrs.evolve(self, frames={**self.frames, file_id: frame}, unparsed={**self.unparsed, file_id: unparsed})

        def kept(f: str, columns: tuple[str, ...]) -> bool:
            return f != file_id or self.given(f, columns)

        # Copies of the caches first: on Dask, threads of one worker share a scattered Context, and rules running
        # on it (the rules run once) add to them while a partition's task makes its Context from it; iterating a
        # dict another thread adds to raises "dictionary changed size during iteration".
        new._keys_built.update({k: v for k, v in list(self._keys_built.items()) if kept(*k)})
        # Only a key index can come from the given keys; every other kind (blank masks, codes, parsed dates) is
        # read off the frame, so it goes with the frame even where that file's keys of the same columns are given.
        built = list(self._built.items())
        new._built.update({k: v for k, v in built if k[1] != file_id or (k[0] in FROM_GIVEN and self.given(*k[1:3]))})
        return new


def distinct_keys(df: pd.DataFrame, columns: tuple[str, ...]) -> set[tuple[object, ...]]:
    """The key tuples of ``columns`` in ``df``, as :meth:`Context.keys` holds them: distinct rows first (a hash
    pass in pandas), then tuples of only those — a file of 300,000 rows has far fewer distinct keys."""
    distinct = df[list(columns)].drop_duplicates()
    return set(zip(*(distinct[c].astype(object).to_numpy() for c in columns), strict=True))
