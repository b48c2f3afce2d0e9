"""The public chunk API: validate partitions of one collection where they already are, and merge the reports.

A pipeline that holds NAT00120 in parts (a data-lake table per partition, a Spark job's output) need not
concatenate them: it validates each part with :func:`~avetmiss_finalise.validation.validate` and merges the
reports with :func:`merge_reports` (also ``Report.merge``). The merged report is the report of the whole —
same findings with the same files and line numbers, same ``rules_run`` and ``rules_skipped`` — when the contract
below holds; that is the chunking contract the stream and Dask engines rely on (tests/validation/test_chunking.py,
tests/validation/test_partitions.py).

The contract (docs/validation.md, "Validating in partitions"):

1. Only NAT00120 is partitioned: every part holds the *whole* of every other file, and the parts' NAT00120 rows
   are disjoint and together the whole file, each row keeping its index label (line = label + 1).
2. Every part is validated with the whole file's key sets as ``reference_keys`` (:func:`reference_keys`), and
   with the same profile, period, interim flag, options and rule selection, under the same rule catalogue.
   :func:`merge_reports` checks what a report records and refuses a mismatch (``UsageError`` naming it).
3. For the client-partitioned rules (:data:`~avetmiss_finalise.validation.keysets.CLIENT_PARTITIONED`) the parts
   must be partitions *by client*: every record of a client in one part (:func:`partition_by_client`). With row
   ranges those rules are wrong (a client's duplicate split across parts is missed); this cannot be checked
   from the reports, so it is the caller's promise.

Merging follows the engines' rules (``engines.stream.merge_findings``, the one implementation): a finding on a
NAT00120 record is made by exactly one part and kept once; a finding on another file, or about a file as a whole
(no line), may be made by every part and is kept as often as the most any one part made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pandas as pd

from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.validation.audit import InputFile
from avetmiss_finalise.validation.keysets import NAT00120_REFERENCE_KEYS
from avetmiss_finalise.validation.report import Report

__all__ = ["PARTITIONED", "merge_reports", "partition_by_client", "reference_keys"]

#: The file a collection is partitioned on: the only one large enough to need it.
PARTITIONED = "NAT00120"

KeySets = dict[tuple[str, tuple[str, ...]], frozenset[tuple[object, ...]]]

#: What every part's report must agree on, in the order a mismatch is named.
_SAME = (
    "profile",
    "period",
    "interim",
    "options",
    "rules_selected",
    "catalogue_version",
    "rules_run",
    "rules_skipped",
    "reference_files",
)


def _frames(collection: Any, profile: str | Profile) -> dict[str, pd.DataFrame]:
    """Frames by file id of a mapping or a ``Collection``, brought to the columnar contract (as ``validate`` does),
    so key sets are built from the same values the rules compare."""
    from avetmiss_finalise.nat.conforming import conform

    held = collection if isinstance(collection, Mapping) else getattr(collection, "frames", None)
    if not isinstance(held, Mapping):
        raise UsageTypeError(f"expected frames by file id or a Collection, not {type(collection).__name__}")
    if getattr(collection, "meta", None):  # read from files: already in the contract
        return dict(held)
    return dict(conform(held, get_profile(profile)))


def reference_keys(collection: Any, *, profile: str | Profile = "national") -> KeySets:
    """The whole NAT00120's key sets that rules on other files read (X-06, X-14, X-15:
    :data:`~avetmiss_finalise.validation.keysets.NAT00120_REFERENCE_KEYS`), to pass as ``reference_keys`` to the
    validation of every part. ``collection``: the whole collection's frames (or a ``Collection``); a caller that
    never holds the whole file can union the parts' key sets instead (sets of tuples, so ``|`` does it)."""
    from avetmiss_finalise.validation.registry import Context

    frames = _frames(collection, profile)
    prof = get_profile(profile)
    ctx = Context(frames=frames, profile=prof, period=None, interim=False)
    return {key: ctx.keys(*key) or frozenset() for key in NAT00120_REFERENCE_KEYS}


def partition_by_client(collection: Any, parts: int, *, profile: str | Profile = "national") -> list[dict[str, Any]]:
    """``parts`` frame mappings, each the whole collection but for a share of NAT00120's rows: every record of a
    client in one part (a stable hash of ``client_id``, the stream engine's), index labels kept so lines are the
    whole file's. Some parts may be empty on a small collection; validating them is harmless (see
    :func:`merge_reports`)."""
    from avetmiss_finalise.engines.spill import client_partition

    if isinstance(parts, bool) or not isinstance(parts, int):
        raise UsageTypeError(f"parts must be a whole number, not {type(parts).__name__}")
    if parts < 1:
        raise UsageError(f"parts must be at least 1, got {parts}")
    frames = _frames(collection, profile)
    act = frames.get(PARTITIONED)
    if act is None:
        raise UsageError(f"cannot partition by client: the collection has no {PARTITIONED}")
    which = client_partition(act["client_id"], parts)
    return [{**frames, PARTITIONED: act[which == p]} for p in range(parts)]


def merge_reports(reports: Iterable[Report]) -> Report:
    """One report from the reports of disjoint NAT00120 partitions of one collection (contract: module docstring).

    Raises ``UsageError`` when the reports disagree on what they record of the run (profile, period, interim,
    options, rule selection, catalogue version, rules run or skipped, reference files, the files other than
    NAT00120): they are not parts of one validation. A part with no NAT00120 record adds nothing the others do not
    hold, and is left out (as the engines skip empty partitions) unless every part is empty."""
    from avetmiss_finalise.engines.stream import merge_findings

    given = list(reports)
    if not given:
        raise UsageError("merge_reports needs at least one report")
    for r in given:
        if not isinstance(r, Report):
            raise UsageTypeError(f"merge_reports merges Reports, not {type(r).__name__}")
    first = given[0]
    for r in given[1:]:
        _check_same(first, r)
    used = [r for r in given if r.files.get(PARTITIONED, 0)] or given[:1]
    rows, rest = [], []
    for r in used:
        mine = ((r.findings["file"] == PARTITIONED) & r.findings["line"].notna()).to_numpy(dtype=bool)
        rows.append(r.findings[mine])
        rest.append(r.findings[~mine])
    found = merge_findings(rows, rest, _order(first))
    total = sum(r.files.get(PARTITIONED, 0) for r in given)
    files = {**first.files, PARTITIONED: total} if PARTITIONED in first.files else dict(first.files)
    sources = {r.source for r in given}
    return attrs.evolve(
        first,
        findings=found,
        files=files,
        source=sources.pop() if len(sources) == 1 else None,
        inputs=_inputs(given, total),
        run=None,
    )


def _check_same(first: Report, other: Report) -> None:
    for name in _SAME:
        a, b = getattr(first, name), getattr(other, name)
        if (dict(a) if name == "rules_skipped" else a) != (dict(b) if name == "rules_skipped" else b):
            raise UsageError(
                f"cannot merge reports of different validations: their {name} differ ({a!r:.80} vs {b!r:.80})"
            )
    ours = {f: n for f, n in first.files.items() if f != PARTITIONED}
    theirs = {f: n for f, n in other.files.items() if f != PARTITIONED}
    if ours != theirs or (PARTITIONED in first.files) != (PARTITIONED in other.files):
        raise UsageError(
            f"cannot merge reports of different collections: their files other than {PARTITIONED} differ "
            f"({ours} vs {theirs}); every part must hold the whole of every other file"
        )


def _order(report: Report) -> dict[str, int]:
    """Rule id → rank in the merged findings: reader checks first (the reader's findings lead a report), then the
    rules in the order they ran."""
    from avetmiss_finalise.validation.registry import REGISTRY

    ran = list(report.rules_run or REGISTRY)
    reader = [r for r in ran if r in REGISTRY and REGISTRY[r].family == "read"]
    return {r: k for k, r in enumerate(dict.fromkeys([*reader, *ran]))}


def _inputs(reports: list[Report], total: int) -> tuple[InputFile, ...]:
    """The first part's inputs, NAT00120 with every part's records (its name when all parts agree; no size or
    digest: a part's are not the whole file's)."""
    out = []
    for i in reports[0].inputs:
        if i.file_id != PARTITIONED:
            out.append(i)
            continue
        if len(reports) == 1:
            out.append(i)
            continue
        same = [j for r in reports for j in r.inputs if j.file_id == PARTITIONED]
        out.append(InputFile(file_id=PARTITIONED, records=total, name=_common(s.name for s in same)))
    return tuple(out)


def _common(values: Iterable[str | None]) -> str | None:
    seen = set(values)
    return seen.pop() if len(seen) == 1 else None
