"""Streaming validation on one machine: peak memory bounded by the chunk size, not by NAT00120's size.

One read of the collection (:mod:`.reading`): NAT00120 goes through the reader block by block (``chunk_rows``
records at a time); each block's rows are spilled to their client's partition on disk (:mod:`.spill`) and the
key sets of the whole file that rules on other files read (:data:`~avetmiss_finalise.validation.keysets.
NAT00120_REFERENCE_KEYS`: X-06, X-14, X-15) are gathered on the way. Then every registered rule runs on each
client partition in turn, with the other files whole and NAT00120's key sets as ``reference_keys`` — the split the
chunking contract (tests/validation/test_chunking.py) proves gives the findings of the whole: row-local rules
see each row once, the client-partitioned rules see all of a client's records together, and rules on other files
see the same keys in every partition.

The partitions' findings are merged as every partitioning engine merges them (:mod:`.common`, shared with the
Dask engine): record findings once, the others as a set, the reader's Issues by
:class:`~avetmiss_finalise.nat.ranges.ReaderMerge`, then the in-memory engine's collection-wide adjustments.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from avetmiss_finalise.engines.common import (
    Gathered,
    check_arguments,
    finish_report,
    merge_findings,
    partition_context,
    partition_findings,
    plan_run,
    resolve_settings,
    split_rules,
)
from avetmiss_finalise.engines.reading import Consumer, SpillingConsumer, Streamed, read_streaming
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
        inner = SpillingConsumer(name, partitions, prof, lim, where)
        return _Told(inner, tell, None if path is None else os.path.getsize(path))

    with read_streaming(source, prof, lim, rows, consumer=consumer, digests=True) as (coll, streamed):
        coll = require_nat_files(coll)
        keys = streamed.parts.keys if streamed is not None else {}
        plan = plan_run(coll, keys, profile=prof, period=period, interim=interim, options=opts, wanted=wanted)
        per_partition, once = split_rules(plan.chosen)
        found = Gathered()
        found.add(partition_findings(plan.base, once))
        for ctx, done, total in _partition_contexts(plan.base, streamed):
            found.add(partition_findings(ctx, per_partition))
            tell("validate", done, total)
        issues = streamed.parts.issues if streamed is not None else ()
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


def _partition_contexts(base: Context, streamed: Streamed | None) -> Iterator[tuple[Context, int, int]]:
    """The base Context once per client partition loaded from the spill, one at a time (so one in memory), with
    the partitions done counting this one and their number. Each is made from the one before, so what a partition
    built from the other files (NAT00080's key sets …) is built once."""
    if streamed is None:
        yield base, 1, 1
        return
    spill = streamed.parts.spill
    any_rows = False
    ctx = base
    for p in range(spill.partitions):
        loaded = spill.load(p)
        if loaded is None:
            continue
        any_rows = True
        frame, unparsed = loaded
        ctx = partition_context(ctx, frame, unparsed)
        yield ctx, p + 1, spill.partitions
        del frame, unparsed, loaded
    if not any_rows:
        yield base, 1, 1  # NAT00120 has no records: its placeholder (no rows, the reader's columns) is the file
