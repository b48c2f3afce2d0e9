"""Streaming validation on one machine: peak memory bounded by the chunk size, not by NAT00120's size.

One read of the collection (:mod:`.reading`): NAT00120 goes through the reader block by block (``chunk_rows``
records at a time); each block's rows are spilled to their client's partition on disk (:mod:`.spill`) and the
key sets of the whole file that rules on other files read (:data:`~avetmiss_finalise.validation.keysets.
NAT00120_REFERENCE_KEYS`: X-06, X-14, X-15) are gathered on the way. Then every registered rule runs on each
client partition in turn, with the other files whole and NAT00120's key sets as ``reference_keys`` — the split the
chunking contract (tests/validation/test_chunking.py) proves gives the findings of the whole: row-local rules
see each row once, the client-partitioned rules see all of a client's records together, and rules on other files
see the same keys in every partition.

Merging: findings on NAT00120 records are each made in exactly one partition; findings about other files or about
a file as a whole (line-less) may be made in several, and are merged as a set (each kept as often as the most any
one partition made it). The reader's Issues are merged by :class:`~avetmiss_finalise.nat.ranges.ReaderMerge`;
the collection-wide adjustments (shifted records, state positions under ``national``, reader findings a rule
re-reports) are applied to the merged findings, as the in-memory engine applies them. Findings are then ordered
reader first, then by rule (registry order), then by line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.engines.reading import STREAMED, Streamed, read_streaming
from avetmiss_finalise.engines.sizing import auto_chunk_rows
from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.presence import require_nat_files
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.validation.audit import InputFile
from avetmiss_finalise.validation.engine import (
    FINDING_COLUMNS,
    _drop_covered,
    _inputs,
    _reader_options,
    _typed,
    empty_findings,
    issues_frame,
    parse_period,
    rule_plan,
    run_rules,
)
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.registry import Context, Period, catalogue_version
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
    from avetmiss_finalise.validation.reference_data import reference_files, resolve_reference

    if not isinstance(source, str | os.PathLike):
        raise UsageTypeError(f"streaming validation reads a path (file, directory or zip), not {type(source).__name__}")
    if chunk_rows is not None and (isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int)):
        raise UsageTypeError(f"chunk_rows must be a whole number, not {type(chunk_rows).__name__}")
    if chunk_rows is not None and chunk_rows < 1:
        raise UsageError(f"chunk_rows must be at least 1, got {chunk_rows}")
    prof = get_profile(profile)
    opts = resolve_reference(options or ValidationOptions())
    lim = _limits(limits)
    rows = min(chunk_rows or auto_chunk_rows(), lim.max_records)  # a chunk never exceeds the record limit
    wanted = None if rules is None else tuple(rules)
    where = None if spill_dir is None else os.fspath(spill_dir)
    with read_streaming(source, prof, lim, rows, digests=True, spill_dir=where) as (coll, streamed):
        coll = require_nat_files(coll)
        base = Context(
            frames=coll.frames,
            profile=prof,
            period=parse_period(period),
            interim=interim,
            options=opts,
            reference_keys=streamed.parts.keys if streamed is not None else {},
            unparsed=coll.unparsed,
        )
        chosen, read_checks, skipped = rule_plan(base, wanted, read_from_files=True)
        found, cells = _run_partitions(base, streamed, chosen)
        issues = _issues(coll.issues, streamed)
        files = {f: len(df) for f, df in coll.frames.items()}
        inputs = _inputs(coll.frames, coll.meta)
        if streamed is not None:
            files[STREAMED] = streamed.rows
            inputs = tuple(_streamed_input(i, streamed) for i in inputs)
    reader = issues_frame(issues)
    if len(reader):
        reader = _reader_options(reader, opts, None if wanted is None else set(wanted))
    if len(reader):
        reader = _drop_covered(reader, found)
        found = _typed(pd.concat([reader, found], ignore_index=True))
    found = _settled(found, cells, base)
    return Report(
        findings=found,
        profile=prof.name,
        period=base.period,
        interim=interim,
        options=opts,
        files=files,
        source=os.fspath(source),
        rules_run=tuple(r.id for r in chosen) + read_checks,
        rules_skipped=skipped,
        rules_selected=wanted,
        inputs=inputs,
        catalogue_version=catalogue_version(),
        reference_files=reference_files(opts, (r.id for r in chosen)),
    )


def _streamed_input(i: InputFile, streamed: Streamed) -> InputFile:
    if i.file_id != STREAMED:
        return i
    return attrs.evolve(i, records=streamed.rows, size=streamed.size, sha256=streamed.sha256)


def _issues(issues: tuple[Issue, ...], streamed: Streamed | None) -> tuple[Issue, ...]:
    """The collection's reader Issues with NAT00120's in its place: after the files read before it."""
    if streamed is None:
        return issues
    at = 0
    while at < len(issues) and issues[at].file in streamed.before:
        at += 1
    return (*issues[:at], *streamed.parts.issues, *issues[at:])


def _run_partitions(base: Context, streamed: Streamed | None, chosen: Any) -> tuple[pd.DataFrame, list[Any]]:
    """Every chosen rule on every client partition; findings merged (see the module docstring)."""
    from avetmiss_finalise.validation.shifted import shifted_cells

    rows: list[pd.DataFrame] = []
    rest: list[pd.DataFrame] = []
    cells: dict[Any, None] = {}
    contexts = _partition_contexts(base, streamed)
    for ctx in contexts:
        found = run_rules(ctx, chosen)
        cells.update(dict.fromkeys(shifted_cells(ctx)))
        mine = ((found["file"] == STREAMED) & found["line"].notna()).to_numpy(dtype=bool)
        rows.append(found[mine])
        rest.append(found[~mine])
    order = {r.id: k for k, r in enumerate(chosen)}
    return merge_findings(rows, rest, order), list(cells)


def _partition_contexts(base: Context, streamed: Streamed | None) -> Iterable[Context]:
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
        yield attrs.evolve(
            base,
            frames={**base.frames, STREAMED: frame},
            unparsed={**base.unparsed, STREAMED: unparsed},
        )
        del frame, unparsed, loaded
    if not any_rows:
        yield base  # NAT00120 has no records: its placeholder (no rows, the reader's columns) is the file


def merge_findings(
    rows: list[pd.DataFrame], rest: list[pd.DataFrame], order: dict[str, int] | None = None
) -> pd.DataFrame:
    """Findings of the parts of one collection as one frame: ``rows`` (findings on records of the partitioned
    file, each made by exactly one part) concatenated; ``rest`` (about other files, or line-less) merged as a set
    that keeps each finding as often as the most any one part made it. Ordered by rule (``order``: rule id →
    position; registry order when ``None``), then file and line."""
    parts = [p for p in rows if len(p)]
    others = [_counted(p) for p in rest if len(p)]
    if others:
        merged = pd.concat(others, ignore_index=True)
        merged = merged.drop_duplicates(keep="first").drop(columns="_n")
        parts.insert(0, merged)
    if not parts:
        return empty_findings()
    found = _typed(pd.concat(parts, ignore_index=True))
    if order is None:
        from avetmiss_finalise.validation.registry import REGISTRY

        order = {r: k for k, r in enumerate(REGISTRY)}
    rank = found["rule_id"].astype(object).map(order).fillna(len(order)).to_numpy(dtype=np.int64)
    line = found["line"].to_numpy(dtype=float, na_value=-1.0)
    at = np.lexsort((line, rank))
    return _typed(found.iloc[at])


def _counted(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``_n``: how many identical findings came before each one in the same part."""
    key = pd.util.hash_pandas_object(df[list(FINDING_COLUMNS)].astype(object), index=False)
    return df.assign(_n=key.groupby(key.to_numpy()).cumcount().to_numpy())


def _settled(found: pd.DataFrame, cells: list[Any], ctx: Context) -> pd.DataFrame:
    """The in-memory engine's collection-wide adjustments (``engine._settle``) over the merged findings."""
    from avetmiss_finalise.validation.national_record import cap_state_positions
    from avetmiss_finalise.validation.shifted import drop_shifted

    found = drop_shifted(found, cells)
    return _typed(cap_state_positions(found, ctx.profile, ctx.options))
