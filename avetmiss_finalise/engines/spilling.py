"""The stream engine's consumer of a client file's blocks: each block parsed, its whole-file keys gathered, its rows
spilled to their client partitions (:mod:`.spill`), and what that made once the file is read (:class:`Parsed`).

:mod:`.reading` hands it the blocks as the reader reaches the file; :mod:`.stream` loads the partitions back.
"""

from __future__ import annotations

import attrs
import pyarrow as pa

from avetmiss_finalise.engines.reading import CLIENT_REFERENCE_KEYS, STREAMED, KeyIndex
from avetmiss_finalise.engines.spill import Spill
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.ranges import ReaderMerge, RecordBlock, parse_block
from avetmiss_finalise.nat.read import file_id_of
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.keysets import frame_index, united_index

__all__ = ["Parsed", "SpillingConsumer"]


@attrs.frozen(kw_only=True)
class Parsed:
    """The stream engine's result for a client file: merged reader Issues, whole-file keys, the client spill."""

    issues: tuple[Issue, ...]
    keys: KeyIndex
    spill: Spill

    def close(self) -> None:
        self.spill.close()


class SpillingConsumer:
    """The stream engine's :class:`Consumer`: parse each block, gather its keys, spill rows by client. The keys are
    gathered as joined strings (``keysets.frame_index``), never as Python tuples: they are the one thing of a
    streamed file held for the whole file (docs/scale.md). ``keys``: the key sets to gather, of every file (those
    of this file are gathered)."""

    def __init__(
        self,
        name: str,
        partitions: int,
        profile: Profile,
        limits: Limits,
        spill_dir: str | None,
        keys: tuple[tuple[str, tuple[str, ...]], ...] = CLIENT_REFERENCE_KEYS,
    ):
        self.name, self.profile, self.limits = name, profile, limits
        self.file_id = file_id_of(name) or STREAMED
        self.spill = Spill(partitions, spill_dir)
        self.merge = ReaderMerge(name, limits.max_record_length)
        self.keys: dict[tuple[str, tuple[str, ...]], list[pa.Array]] = {k: [] for k in keys if k[0] == self.file_id}

    def block(self, block: RecordBlock) -> None:
        part = parse_block(block, self.file_id, self.profile, self.name, limits=self.limits)
        self.merge.add(part)
        for (_, cols), found in self.keys.items():
            found.append(frame_index(part.frame, cols))
        self.spill.add(part.frame, part.unparsed)

    def finish(self) -> Parsed:
        keys = {k: united_index(v) for k, v in self.keys.items()}
        return Parsed(issues=self.merge.finish(), keys=keys, spill=self.spill)

    def close(self) -> None:
        self.spill.close()
