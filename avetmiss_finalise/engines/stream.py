"""Streaming validation on one machine: peak memory bounded by the chunk size, not by the collection's size.

One read of the collection (:mod:`.reading`): every client-keyed file (:data:`~.reading.CLIENT_FILES`: NAT00080,
NAT00085, NAT00090, NAT00100, NAT00120, NAT00130) goes through the reader block by block (``chunk_rows`` records
at a time); each block's rows are spilled to their client's partition on disk (:mod:`.spill`: the same hash, so
partition *p* of every file holds the same clients), and the few key sets of the whole files that rules on the
other files read (:data:`~.reading.CLIENT_REFERENCE_KEYS`: X-01, X-14, X-15) are gathered on the way. Then every
registered rule runs on each client partition in turn, with NAT00010/20/30/60 whole and those key sets as
``reference_index``: row-local rules see each row once; the rules comparing a client's records (duplicates,
overlaps, a client's records in other files: X-03, X-06, X-07, X-08, V-085-01 …) see all of them together, since
a key with ``client_id`` is whole within its client's partition; and rules on the other files see the same keys in
every partition (tests/engines/test_stream.py, tests/validation/test_chunking.py).

The partitions' findings are merged as every partitioning engine merges them (:mod:`.common`, shared with the
Dask engine): record findings once, the others as a set, the reader's Issues by
:class:`~avetmiss_finalise.nat.ranges.ReaderMerge`, then the in-memory engine's collection-wide adjustments.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping

import pandas as pd

from avetmiss_finalise.engines.common import (
    Gathered,
    finish_report,
    merge_findings,
    partition_context,
    partition_findings,
    plan_run,
    split_rules,
)
from avetmiss_finalise.engines.reading import (
    CLIENT_REFERENCE_KEYS,
    STREAMED,
    Consumer,
    Streamed,
    read_partitioned,
)
from avetmiss_finalise.engines.settings import check_arguments, resolve_settings
from avetmiss_finalise.engines.spilling import SpillingConsumer
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.presence import require_nat_files
from avetmiss_finalise.nat.ranges import RecordBlock
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.progress import Progress
from avetmiss_finalise.validation.registry import Context, Period
from avetmiss_finalise.validation.report import Report

__all__ = ["Progress", "merge_findings", "validate_stream"]


def validate_stream(
    source: str | os.PathLike[str],
    *,
    chunk_rows: int | None = None,
    period: Period | int | str | None = None,
    profile: str | Profile = "national",
    interim: bool = False,
    options: ValidationOptions | None = None,
    rules: Iterable[str] | None = None,
    limits: Limits | None = None,
    spill_dir: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate the collection at ``source`` (a NAT file, directory or zip) streaming NAT00120 in chunks of
    ``chunk_rows`` records (default: :func:`~avetmiss_finalise.engines.sizing.auto_chunk_rows`). The report is
    the one :func:`~avetmiss_finalise.validation.validate` gives for the same input: same findings, files and
    lines, same rules run and skipped. ``spill_dir``: where the client partitions are spilled (default: the
    system temporary directory); removed at the end. ``progress``: told how far the run is (:data:`Progress`)."""
    check_arguments("streaming", source, chunk_rows)
    run = resolve_settings(chunk_rows=chunk_rows, profile=profile, options=options, limits=limits, rules=rules)
    prof, opts, lim, rows, wanted = run.profile, run.options, run.limits, run.chunk_rows, run.wanted
    where = None if spill_dir is None else os.fspath(spill_dir)
    tell = progress or (lambda phase, done, total: None)

    def consumer(name: str, partitions: int, path: str | None) -> Consumer:
        # The size first: once the consumer exists it holds a spill directory, which a failure here would leak.
        size = None if path is None else os.path.getsize(path)
        inner = SpillingConsumer(name, partitions, prof, lim, where, CLIENT_REFERENCE_KEYS)
        return inner if inner.file_id != STREAMED else _Told(inner, tell, size)

    with read_partitioned(source, prof, lim, rows, consumer) as (coll, streamed):
        coll = require_nat_files(coll)
        keys = {k: v for s in streamed.values() for k, v in s.parts.keys.items()}
        plan = plan_run(coll, keys, profile=prof, period=period, interim=interim, options=opts, wanted=wanted)
        partitioned = frozenset(streamed)
        per_partition, once = split_rules(plan.chosen, partitioned)
        found = Gathered()
        found.add(partition_findings(plan.base, once, partitioned))
        for ctx, done, total in _partition_contexts(plan.base, streamed):
            found.add(partition_findings(ctx, per_partition, partitioned))
            del ctx  # the next partition is loaded with this one's frames already let go
            tell("validate", done, total)
        issues = {f: s.parts.issues for f, s in streamed.items()}
        return finish_report(source, coll, streamed, issues, plan, found.parts())


class _Told:
    """A :class:`~.reading.Consumer` that says how many of NAT00120's bytes are read after each block."""

    def __init__(self, inner: SpillingConsumer, tell: Progress, size: int | None) -> None:
        self.inner, self.tell, self.size = inner, tell, size

    def block(self, block: RecordBlock) -> None:
        self.inner.block(block)
        self.tell("read", block.stop, self.size)

    def finish(self) -> object:
        return self.inner.finish()

    def close(self) -> None:
        self.inner.close()


def _partition_contexts(base: Context, streamed: Mapping[str, Streamed]) -> Iterator[tuple[Context, int, int]]:
    """The base Context once per client partition loaded from the spills, one at a time (so one in memory), with
    the partitions done counting this one and their number: every streamed file replaced by its rows of the
    partition (a file with none there: its columns without rows). Each is made from the one before, so what was
    built from the files read whole (NAT00030's key sets …) and from the whole-file keys is built once."""
    spills = {f: s.parts.spill for f, s in streamed.items()}
    total = max((s.partitions for s in spills.values()), default=1)
    empty = {f: s.template or (base.frames[f], base.unparsed.get(f, _NO_CELLS)) for f, s in spills.items()}
    any_rows = False
    ctx = base
    for p in range(total):
        if not any(s.rows(p) for s in spills.values() if p < s.partitions):
            continue
        any_rows = True
        ctx = _emptied(ctx, empty)  # the previous partition's rows let go before this one's are loaded
        for f, spill in spills.items():
            loaded = spill.load(p) if p < spill.partitions else None
            frame, unparsed = loaded if loaded is not None else empty[f]
            ctx = partition_context(ctx, frame, unparsed, f)
            del loaded, frame, unparsed
        yield ctx, p + 1, total
    if not any_rows:
        yield base, 1, 1  # no streamed file has records: their placeholders (no rows, the reader's columns) are them


_NO_CELLS = pd.DataFrame({"row": pd.Series([], dtype="int64"), "field": [], "text": []})


def _emptied(ctx: Context, empty: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]]) -> Context:
    for f, (frame, unparsed) in empty.items():
        ctx = partition_context(ctx, frame, unparsed, f)
    return ctx
