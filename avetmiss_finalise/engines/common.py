"""What every partitioning engine shares: the plan of a run, one partition's findings, and the merge into a Report.

The stream engine (partitions on disk, one after another) and the Dask engine (partitions on workers) differ only
in where a partition is validated; what a partition's findings are (:func:`partition_findings`), how the parts'
findings are merged (:func:`merge_findings`) and how the merged findings become the report the in-memory
``validate`` gives (:func:`plan_run`, :func:`finish_report`) are written once, here, so the two engines cannot
drift apart.

Merging: findings on NAT00120 records are each made in exactly one partition; findings about other files or about
a file as a whole (line-less) may be made in several, and are merged as a set (each kept as often as the most any
one partition made it). The reader's Issues are merged by :class:`~avetmiss_finalise.nat.ranges.ReaderMerge`
before they get here; the collection-wide adjustments (shifted records, state positions under ``national``, reader
findings a rule re-reports) are applied to the merged findings, as the in-memory engine applies them. Findings are
then ordered reader first, then by rule (registry order), then by line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from avetmiss_finalise.engines.reading import STREAMED, KeyIndex, Streamed
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.nat.collection import Collection
from avetmiss_finalise.profiles import Profile
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
from avetmiss_finalise.validation.registry import Context, Period, Rule, catalogue_version
from avetmiss_finalise.validation.report import Report

__all__ = [
    "Gathered",
    "Plan",
    "finish_report",
    "merge_findings",
    "merge_others",
    "partition_findings",
    "plan_run",
]


@attrs.frozen(kw_only=True)
class Plan:
    """A run decided before any partition is validated: the base Context (other files whole, NAT00120's keys
    as ``reference_index``), the rules to run, the reader checks that ran and the rules skipped (and why)."""

    base: Context
    chosen: tuple[Rule, ...]
    read_checks: tuple[str, ...]
    skipped: dict[str, str]
    wanted: tuple[str, ...] | None
    interim: bool


def plan_run(
    coll: Collection,
    keys: KeyIndex,
    *,
    profile: Profile,
    period: Period | int | str | None,
    interim: bool,
    options: ValidationOptions,
    wanted: tuple[str, ...] | None,
) -> Plan:
    """The :class:`Plan` for ``coll`` (read with NAT00120 streamed) and NAT00120's whole-file keys (``keys``: as
    ``keysets.frame_index`` makes them, given to every partition as ``Context.reference_index``)."""
    base = Context(
        frames=coll.frames,
        profile=profile,
        period=parse_period(period),
        interim=interim,
        options=options,
        reference_index=keys,
        unparsed=coll.unparsed,
    )
    chosen, read_checks, skipped = rule_plan(base, wanted, read_from_files=True)
    return Plan(base=base, chosen=chosen, read_checks=read_checks, skipped=skipped, wanted=wanted, interim=interim)


def partition_context(base: Context, frame: pd.DataFrame, unparsed: pd.DataFrame, file_id: str = STREAMED) -> Context:
    """``base`` with ``file_id`` replaced by one client partition of it (its rows, labelled with the whole file's
    rows), keeping what ``base`` built from the other files (:meth:`~avetmiss_finalise.validation.context.Context.
    with_file`): pass the previous partition's Context as ``base`` to reuse what it built."""
    return base.with_file(file_id, frame, unparsed)


def split_rules(chosen: Iterable[Rule], partitioned: frozenset[str]) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """(rules that read a ``partitioned`` file, the others). Every partition differs only in the partitioned files'
    rows, so a rule that declares files and none of them partitioned finds the same on each: it runs once, not once
    per partition (with 10 partitions, ten times the cost of every rule on NAT00030, NAT00060 … for one result). A
    rule that declares no files may read any, so it runs on every partition. tests/engines/test_stream.py holds
    every declaration true: such a rule never touches a partitioned file's rows."""
    per_partition: list[Rule] = []
    once: list[Rule] = []
    for r in chosen:
        (once if r.files and not partitioned & set(r.files) else per_partition).append(r)
    return tuple(per_partition), tuple(once)


def partition_findings(
    ctx: Context, chosen: Iterable[Rule], partitioned: frozenset[str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Any]]:
    """Every ``chosen`` rule on one partition's Context: (findings on records of the ``partitioned`` files, each
    made in this partition only; the other findings; shifted cells of the partition) — the three things
    :func:`finish_report` merges over partitions."""
    from avetmiss_finalise.validation.shifted import shifted_cells

    found = run_rules(ctx, chosen)
    mine = (found["file"].isin(list(partitioned)) & found["line"].notna()).to_numpy(dtype=bool)
    return found[mine], found[~mine], shifted_cells(ctx)


def merge_findings(
    rows: list[pd.DataFrame], rest: list[pd.DataFrame], order: dict[str, int] | None = None
) -> pd.DataFrame:
    """Findings of the parts of one collection as one frame: ``rows`` (findings on records of the partitioned
    file, each made by exactly one part) concatenated; ``rest`` (about other files, or line-less) merged as a set
    that keeps each finding as often as the most any one part made it. Ordered by rule (``order``: rule id →
    position; registry order when ``None``), then file and line."""
    parts = [p for p in rows if len(p)]
    merged = merge_others(rest)
    if len(merged):
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


def merge_others(rest: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """:func:`merge_findings`'s set merge of the findings not on a partitioned record, unordered: each finding kept
    as often as the most any one part made it, in order of first appearance. Merging the result with one more part
    is merging all the parts at once, so a run can fold its partitions in one by one (:class:`Gathered`)."""
    others = [_counted(p) for p in rest if len(p)]
    if not others:
        return empty_findings()
    merged = pd.concat(others, ignore_index=True)
    return merged.drop_duplicates(keep="first").drop(columns="_n").reset_index(drop=True)


class Gathered:
    """The partitions' :func:`partition_findings` as a run gathers them, one partition at a time: findings on
    records as they come (each made once), but the others folded into their merge (:func:`merge_others`) and the
    shifted cells into a set as they arrive. A finding about another file (NAT00080's dates …) is made in every
    partition: held as parts, it was held once per partition until the end of the run."""

    def __init__(self) -> None:
        self.rows: list[pd.DataFrame] = []
        self.others = empty_findings()
        self.cells: dict[Any, None] = {}

    def add(self, part: tuple[pd.DataFrame, pd.DataFrame, list[Any]]) -> None:
        mine, rest, cells = part
        if len(mine):
            self.rows.append(mine)
        if len(rest):
            self.others = merge_others([self.others, rest])
        self.cells.update(dict.fromkeys(cells))

    def parts(self) -> list[tuple[pd.DataFrame, pd.DataFrame, list[Any]]]:
        """What :func:`finish_report` merges: the same report as every partition's part given one by one."""
        return [(r, empty_findings(), []) for r in self.rows] + [(empty_findings(), self.others, list(self.cells))]


def _counted(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``_n``: how many identical findings came before each one in the same part."""
    key = pd.util.hash_pandas_object(df[list(FINDING_COLUMNS)].astype(object), index=False)
    return df.assign(_n=key.groupby(key.to_numpy()).cumcount().to_numpy())


def finish_report(
    source: str | os.PathLike[str],
    coll: Collection,
    streamed: Mapping[str, Streamed],
    streamed_issues: Mapping[str, tuple[Issue, ...]],
    plan: Plan,
    parts: Sequence[tuple[pd.DataFrame, pd.DataFrame, list[Any]]],
) -> Report:
    """The Report of a partitioned run: every partition's :func:`partition_findings` merged, the reader's Issues
    (each streamed file's, by file id in ``streamed`` and ``streamed_issues``, merged over its blocks and in its
    place among the files) before them, and the in-memory engine's collection-wide adjustments applied — the
    report ``validate`` gives for the same input."""
    from avetmiss_finalise.validation.reference_data import reference_files

    order = {r.id: k for k, r in enumerate(plan.chosen)}
    found = merge_findings([p[0] for p in parts], [p[1] for p in parts], order)
    cells = list(dict.fromkeys(c for p in parts for c in p[2]))
    files = {f: len(df) for f, df in coll.frames.items()}
    inputs = _inputs(coll.frames, coll.meta)
    for fid, got in streamed.items():
        files[fid] = got.rows
        inputs = tuple(_streamed_input(i, fid, got) for i in inputs)
    opts = plan.base.options
    reader = issues_frame(_issues(coll.issues, streamed, streamed_issues))
    if len(reader):
        reader = _reader_options(reader, opts, None if plan.wanted is None else set(plan.wanted))
    if len(reader):
        reader = _drop_covered(reader, found)
        found = _typed(pd.concat([reader, found], ignore_index=True))
    found = _settled(found, cells, plan.base)
    return Report(
        findings=found,
        profile=plan.base.profile.name,
        period=plan.base.period,
        interim=plan.interim,
        options=opts,
        files=files,
        source=os.fspath(source),
        rules_run=tuple(r.id for r in plan.chosen) + plan.read_checks,
        rules_skipped=plan.skipped,
        rules_selected=plan.wanted,
        inputs=inputs,
        catalogue_version=catalogue_version(),
        reference_files=reference_files(opts, (r.id for r in plan.chosen)),
    )


def _streamed_input(i: InputFile, file_id: str, streamed: Streamed) -> InputFile:
    if i.file_id != file_id:
        return i
    return attrs.evolve(i, records=streamed.rows, size=streamed.size, sha256=streamed.sha256)


def _issues(
    issues: tuple[Issue, ...], streamed: Mapping[str, Streamed], mine: Mapping[str, tuple[Issue, ...]]
) -> tuple[Issue, ...]:
    """The collection's reader Issues with each streamed file's (``mine``) in its place: after the files read
    before it (the streamed files in the order they were read)."""
    out = list(issues)
    for fid in sorted(streamed, key=lambda f: len(streamed[f].before), reverse=True):
        at = 0
        while at < len(issues) and issues[at].file in streamed[fid].before:
            at += 1
        out[at:at] = mine.get(fid, ())
    return tuple(out)


def _settled(found: pd.DataFrame, cells: list[Any], ctx: Context) -> pd.DataFrame:
    """The in-memory engine's collection-wide adjustments (``engine._settle``) over the merged findings."""
    from avetmiss_finalise.validation.national_record import cap_state_positions
    from avetmiss_finalise.validation.shifted import drop_shifted

    found = drop_shifted(found, cells)
    return _typed(cap_state_positions(found, ctx.profile, ctx.options))
