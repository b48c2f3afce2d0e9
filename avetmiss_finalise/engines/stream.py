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
    check_arguments,
    finish_report,
    merge_findings,
    partition_context,
    partition_findings,
    plan_run,
)
from avetmiss_finalise.engines.reading import Streamed, read_streaming
from avetmiss_finalise.engines.sizing import auto_chunk_rows
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.presence import require_nat_files
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import Context, Period
from avetmiss_finalise.validation.report import Report

__all__ = ["merge_findings", "validate_stream"]


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
) -> Report:
    """Validate the collection at ``source`` (a NAT file, directory or zip) streaming NAT00120 in chunks of
    ``chunk_rows`` records (default: :func:`~avetmiss_finalise.engines.sizing.auto_chunk_rows`). The report is
    the one :func:`~avetmiss_finalise.validation.validate` gives for the same input: same findings, files and
    lines, same rules run and skipped. ``spill_dir``: where the client partitions are spilled (default: the
    system temporary directory); removed at the end."""
    from avetmiss_finalise.nat.read import _limits
    from avetmiss_finalise.validation.reference_data import resolve_reference

    check_arguments("streaming", source, chunk_rows)
    prof = get_profile(profile)
    opts = resolve_reference(options or ValidationOptions())
    lim = _limits(limits)
    rows = min(chunk_rows or auto_chunk_rows(), lim.max_records)  # a chunk never exceeds the record limit
    wanted = None if rules is None else tuple(rules)
    where = None if spill_dir is None else os.fspath(spill_dir)
    with read_streaming(source, prof, lim, rows, digests=True, spill_dir=where) as (coll, streamed):
        coll = require_nat_files(coll)
        keys = streamed.parts.keys if streamed is not None else {}
        plan = plan_run(coll, keys, profile=prof, period=period, interim=interim, options=opts, wanted=wanted)
        parts = [partition_findings(ctx, plan.chosen) for ctx in _partition_contexts(plan.base, streamed)]
        issues = streamed.parts.issues if streamed is not None else ()
        return finish_report(source, coll, streamed, issues, plan, parts)


def _partition_contexts(base: Context, streamed: Streamed | None) -> Iterator[Context]:
    """The base Context once per client partition loaded from the spill, one at a time (so one in memory)."""
    if streamed is None:
        yield base
        return
    spill = streamed.parts.spill
    any_rows = False
    for p in range(spill.partitions):
        loaded = spill.load(p)
        if loaded is None:
            continue
        any_rows = True
        frame, unparsed = loaded
        yield partition_context(base, frame, unparsed)
        del frame, unparsed, loaded
    if not any_rows:
        yield base  # NAT00120 has no records: its placeholder (no rows, the reader's columns) is the file
