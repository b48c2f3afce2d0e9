"""Distributed validation on Dask (``dask.dataframe`` + ``dask.distributed``): the client files (NAT00080, NAT00085,
NAT00090, NAT00100, NAT00120, NAT00130) parsed and validated on the workers of a cluster, the report the in-memory
``validate`` gives.

The driver reads the collection once as the stream engine does (:mod:`.reading`: the reader's own walk, names,
limits, digests), but of each client file it keeps only the *record block boundaries* (:func:`~avetmiss_finalise.
nat.ranges.record_blocks`, a byte scan without parsing): each block becomes a :class:`~.dask_tasks.Range` that a
worker reads itself, so those files' bytes never travel through the driver. (A file inside a zip cannot be sought
into by a worker: its blocks' bytes are scattered to the cluster as they are read.) Then, on the cluster:

1. every block is parsed by the vectorised reader (:func:`~avetmiss_finalise.nat.ranges.parse_block`, line
   numbers carried) and kept in the workers' memory;
2. each block's reader state and key sets come back to the driver: each file's reader Issues are merged with
   :class:`~avetmiss_finalise.nat.ranges.ReaderMerge`; the few key sets of whole client files that rules on the
   files read whole compare with (:data:`~.reading.CLIENT_REFERENCE_KEYS`: X-01, X-14, X-15) are united and
   broadcast to every worker with NAT00010/20/30/60, in one scattered base ``Context``;
3. each file's rows and unparsed cells become two Dask DataFrames, shuffled by ``client_id`` into the same number
   of partitions (the same hash of the client in every file, so partition *p* of every file holds the same
   clients, as the stream engine's spill does): the rules comparing a client's records — within a file
   (keysets.CLIENT_PARTITIONED) or across files (X-03, X-06, X-07, X-08, V-085-01 …) — see all of them together,
   and the driver holds no client file's records (the cluster's workers share them: a worker holds its parsed
   blocks and its share of the shuffle, so its memory falls as workers are added, docs/scale.md);
4. every registered rule that reads a client file runs on each partition (:func:`~.dask_tasks.
   validate_partition`, one delayed task per partition), the others once, and the findings are merged on the
   driver exactly as the stream engine merges its partitions' (:mod:`.common`).

Dask is an optional extra, imported only here (``pip install 'avetmiss-finalise[dask]'``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from avetmiss_finalise.engines.common import (
    finish_report,
    plan_run,
    split_rules,
)
from avetmiss_finalise.engines.reading import (
    CLIENT_REFERENCE_KEYS,
    STREAMED,
    Consumer,
    KeyIndex,
    Streamed,
    chunk_bytes,
    read_partitioned,
)
from avetmiss_finalise.engines.settings import check_arguments, resolve_settings
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.issues import Issue
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.presence import require_nat_files
from avetmiss_finalise.nat.ranges import ReaderMerge, RecordBlock, joined_blocks
from avetmiss_finalise.nat.read import file_id_of
from avetmiss_finalise.profiles import Profile
from avetmiss_finalise.validation.keysets import united_index
from avetmiss_finalise.validation.options import ValidationOptions
from avetmiss_finalise.validation.progress import Progress, silent
from avetmiss_finalise.validation.registry import Period
from avetmiss_finalise.validation.report import Report

__all__ = ["MISSING", "dask_client", "require_dask", "validate_dask"]

#: What a run asked of the Dask engine without the extra is told (the CLI exits 2 with it).
#: Dask's task-based shuffle: it moves the reader's frames as they are (no round trip through Arrow tables) and
#: is quiet; the peer-to-peer shuffle ("p2p") gave the same findings in the tests but logs warnings per shuffle.
_SHUFFLE = "tasks"
MISSING = "the dask engine needs the dask extra: install avetmiss-finalise[dask]"


def require_dask() -> Any:
    """``distributed``, imported now; a :class:`~avetmiss_finalise.errors.UsageError` saying how to install the
    extra when Dask (or its dataframe part) is not installed."""
    try:
        import dask.dataframe  # noqa: F401 - the dataframe part of the extra (pandas-backed)
        import distributed
    except ImportError as exc:
        raise UsageError(f"{MISSING} ({exc})") from None
    return distributed


@contextlib.contextmanager
def dask_client(*, scheduler: str | None = None, workers: int | None = None, processes: bool = True) -> Iterator[Any]:
    """A ``distributed.Client`` for one run, closed after it: connected to ``scheduler`` (an address such as
    ``tcp://host:8786``), else to a ``LocalCluster`` of ``workers`` workers (one thread each; in worker processes
    when ``processes``, so the rules run in parallel despite the GIL) started for the run and closed with it."""
    distributed = require_dask()
    if scheduler is not None:
        with distributed.Client(scheduler) as client:
            yield client
        return
    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


class _Blocks:
    """The Dask engine's :class:`~.reading.Consumer` of one client file: the driver's scan gives blocks of at most
    :data:`~.reading.BLOCK_CAP` bytes (a bigger buffer is fresh pages from the kernel each block); consecutive
    ones are gathered into one worker task of about ``target`` bytes (``chunk_rows`` records' worth), kept as its
    boundaries (a Range a worker reads itself) or, when the file is no file on disk, as its bytes scattered to the
    cluster."""

    def __init__(self, client: Any, partitions: int, path: str | None, target: int) -> None:
        self.client, self.partitions, self.target = client, partitions, target
        self.path = None if path is None else os.path.abspath(path)
        self.blocks: list[Any] = []
        self._pending: list[RecordBlock] = []
        self._bytes = 0

    def block(self, block: RecordBlock) -> None:
        self._pending.append(block)
        self._bytes += len(block.data)
        if self._bytes >= self.target:
            self._task()

    def _task(self) -> None:
        first, last, index = self._pending[0], self._pending[-1], len(self.blocks)
        if self.path is None:
            whole = joined_blocks(self._pending)
            self.blocks.append(self.client.scatter(attrs.evolve(whole, index=index)))
        else:
            self.blocks.append((first.start, last.stop, first.first_row, index))
        self._pending, self._bytes = [], 0

    def finish(self) -> _Blocks:
        if self._pending:
            self._task()
        return self

    def close(self) -> None:
        self.blocks.clear()
        self._pending.clear()


def validate_dask(
    source: str | os.PathLike[str],
    *,
    client: Any = None,
    chunk_rows: int | None = None,
    period: Period | int | str | None = None,
    profile: str | Profile = "national",
    interim: bool = False,
    options: ValidationOptions | None = None,
    rules: Iterable[str] | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate the collection at ``source`` (a NAT file, directory or zip) on the Dask cluster of ``client``
    (a ``distributed.Client``; ``None``: the current default client, else a local cluster of in-process workers
    for this run), the client files in client partitions of about ``chunk_rows`` records of the largest (default:
    :func:`~avetmiss_finalise.engines.sizing.auto_chunk_rows`). The report is the one
    :func:`~avetmiss_finalise.validation.validate` gives.
    Every worker must be able to read ``source`` at the same path (docs/scale.md). ``progress`` is told
    ``("validate", client partitions done, partitions)`` as the workers finish them."""
    check_arguments("Dask", source, chunk_rows)
    distributed = require_dask()
    if client is not None and not isinstance(client, distributed.Client):
        raise UsageError(f"client must be a distributed.Client, not {type(client).__name__}")
    run = resolve_settings(chunk_rows=chunk_rows, profile=profile, options=options, limits=limits, rules=rules)
    prof, opts, lim, rows, wanted = run.profile, run.options, run.limits, run.chunk_rows, run.wanted
    with contextlib.ExitStack() as stack:
        if client is None:
            try:
                client = distributed.get_client()
            except ValueError:
                client = stack.enter_context(dask_client(processes=False))

        def blocks(name: str, partitions: int, path: str | None) -> Consumer:
            return _Blocks(client, partitions, path, chunk_bytes(prof, file_id_of(name) or STREAMED, rows))

        with read_partitioned(source, prof, lim, rows, blocks) as (coll, streamed):
            coll = require_nat_files(coll)
            return _run(client, source, coll, streamed, prof, lim, period, interim, opts, wanted, progress or silent)
    raise AssertionError("unreachable")  # pragma: no cover - the with block returns or raises


def _run(
    client: Any,
    source: str | os.PathLike[str],
    coll: Any,
    streamed: dict[str, Streamed],
    prof: Profile,
    lim: Limits,
    period: Period | int | str | None,
    interim: bool,
    opts: ValidationOptions,
    wanted: tuple[str, ...] | None,
    tell: Progress,
) -> Report:
    from distributed import as_completed

    from avetmiss_finalise.engines import dask_tasks as tasks

    parsed = {f: _parsed(client, s, f, prof, lim) for f, s in streamed.items()}
    issues: dict[str, tuple[Issue, ...]] = {}
    states: dict[str, list[Any]] = {}
    keys: KeyIndex = {}
    for f, futures in parsed.items():
        if not futures:
            continue
        states[f] = client.gather(client.map(tasks.reader_state, futures))
        merge = ReaderMerge(states[f][0].sink.file, lim.max_record_length)
        for state in states[f]:
            merge.add(state)
        issues[f] = merge.finish()
        mine = tuple(k for k in CLIENT_REFERENCE_KEYS if k[0] == f)
        if mine:
            found: dict[tuple[str, tuple[str, ...]], list[Any]] = {k: [] for k in mine}
            for part in client.gather(client.map(tasks.keys, futures, wanted=mine)):
                for k, v in part.items():
                    found[k].append(v)
            keys.update({k: united_index(v) for k, v in found.items()})
    plan = plan_run(coll, keys, profile=prof, period=period, interim=interim, options=opts, wanted=wanted)
    base = client.scatter(plan.base, broadcast=True)
    partitioned = frozenset(streamed)
    if not any(s.rows for s in streamed.values()):
        parts = [client.submit(tasks.validate_whole, base, tuple(r.id for r in plan.chosen), partitioned).result()]
    else:
        per_partition, once = split_rules(plan.chosen, partitioned)
        whole = client.submit(tasks.validate_whole, base, tuple(r.id for r in once), partitioned)
        n = max(s.parts.partitions for s in streamed.values())
        jobs, held = _partitions(client, parsed, states, n, base, tuple(r.id for r in per_partition))
        futures = client.compute(jobs)
        # The graph now holds what it still needs: let go of the parsed blocks (and a zip's scattered bytes) so
        # the scheduler frees each block once its shuffle has split it, not at the end of the run.
        del held
        parsed.clear()
        for s in streamed.values():
            s.parts.close()
        for done, _ in enumerate(as_completed(futures), 1):  # type: ignore[no-untyped-call]
            tell("validate", done, len(futures))
        parts = [whole.result(), *client.gather(futures)]
    return finish_report(source, coll, streamed, issues, plan, parts)


def _parsed(client: Any, streamed: Streamed, file_id: str, prof: Profile, lim: Limits) -> list[Any]:
    """Futures of every block of a client file parsed on the workers (kept there), in file order."""
    from avetmiss_finalise.engines import dask_tasks as tasks

    got: _Blocks = streamed.parts
    if got.path is None:
        refs = list(got.blocks)
    else:
        refs = [
            tasks.Range(path=got.path, start=a, stop=b, first_row=r, index=i, size=streamed.size)
            for a, b, r, i in got.blocks
        ]
    return list(
        client.map(tasks.parse, refs, name=streamed.name, file_id=file_id, profile=prof, limits=lim, pure=False)
    )


def _partitions(
    client: Any, parsed: dict[str, list[Any]], states: dict[str, list[Any]], n: int, base: Any, ids: tuple[str, ...]
) -> tuple[list[Any], list[Any]]:
    """One delayed validation per client partition (``n``): every client file's rows and cells as Dask
    DataFrames, each shuffled by ``client_id`` into ``n`` partitions (the same hash of the same dtype for every
    one, so a client's records and cells of every file meet in one partition). Also the futures the frames are
    made of: the caller holds them until the run is submitted (a future no one holds is forgotten by the
    scheduler, and the tasks that need it are cancelled), then lets them go (the submitted graph keeps each until
    its last dependant has run)."""
    import dask.dataframe as dd
    from dask.delayed import delayed

    from avetmiss_finalise.engines import dask_tasks as tasks

    held: list[Any] = []
    files = tuple(f for f in parsed if parsed[f])
    shuffled: list[tuple[list[Any], list[Any]]] = []
    for f in files:
        rows, cells = client.map(tasks.rows, parsed[f]), client.map(tasks.cells, parsed[f])
        held += [rows, cells]
        meta = states[f][0]
        by_client = dd.from_delayed(rows, meta=meta.frame, verify_meta=False)
        cells_by_client = dd.from_delayed(cells, meta=meta.unparsed, verify_meta=False)
        shuffled.append(
            (
                by_client.shuffle(on="client_id", npartitions=n, shuffle_method=_SHUFFLE).to_delayed(),
                cells_by_client.shuffle(on="client_id", npartitions=n, shuffle_method=_SHUFFLE).to_delayed(),
            )
        )
    run = delayed(tasks.validate_partition, pure=True)
    jobs = [run(base, files, [s[0][p] for s in shuffled], [s[1][p] for s in shuffled], ids) for p in range(n)]
    return jobs, held
