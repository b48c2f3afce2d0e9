"""``validate``'s engine flags: ``--engine memory|stream|dask``, ``--chunk-rows N``, ``--scheduler ADDRESS`` or
``--workers N`` (Dask).

Parse and hand over only: the engines live in :mod:`avetmiss_finalise.engines`; the Dask client of a run is opened
here (and closed after it) by :func:`~avetmiss_finalise.engines.dask_engine.dask_client`, so Dask is imported only
when ``--engine dask`` is asked for and a missing extra is a UsageError (exit 2).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from avetmiss_finalise.cli._common import whole_number
from avetmiss_finalise.engines import ENGINES
from avetmiss_finalise.errors import UsageError

__all__ = ["add_engine_arguments", "engine_params"]


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("engine (national scale; docs/scale.md)")
    g.add_argument(
        "--engine",
        choices=ENGINES,
        help=(
            "memory (default: the whole collection in this process); stream (NAT00120 read in chunks, peak memory "
            "bounded by the chunk, client partitions spilled to a temporary directory); dask (NAT00120 parsed and "
            "validated on a Dask cluster; the avetmiss-finalise[dask] extra). All give the same report"
        ),
    )
    g.add_argument(
        "--chunk-rows",
        type=whole_number,
        metavar="N",
        help="records of NAT00120 per chunk or Dask partition (default: from the memory available); implies stream "
        "unless --engine dask",
    )
    where = g.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler to run on (e.g. tcp://host:8786); every worker must read PATH at the same path. "
        "Implies --engine dask",
    )
    where.add_argument(
        "--workers",
        type=whole_number,
        metavar="N",
        help="a local Dask cluster of N worker processes for the run (default without --scheduler: Dask's local "
        "default). Implies --engine dask",
    )


@contextmanager
def engine_params(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The ``validate`` keywords for the engine flags."""
    dask = args.scheduler is not None or args.workers is not None
    engine = args.engine or ("dask" if dask else "stream" if args.chunk_rows is not None else None)
    if engine == "memory" and args.chunk_rows is not None:
        raise UsageError("--chunk-rows is for --engine stream or dask")
    if dask and engine != "dask":
        raise UsageError(f"--scheduler and --workers are for --engine dask, not --engine {engine}")
    if engine in (None, "memory"):
        yield {}
        return
    if engine == "stream":
        yield {"engine": "stream", "chunk_rows": args.chunk_rows}
        return
    if engine == "dask":
        from avetmiss_finalise.engines.dask_engine import dask_client

        with dask_client(scheduler=args.scheduler, workers=args.workers) as client:
            yield {"engine": "dask", "chunk_rows": args.chunk_rows, "client": client}
        return
    raise UsageError(f"unknown engine {engine}")
