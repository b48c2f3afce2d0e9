"""``validate``'s engine flags: ``--engine memory|stream``, ``--chunk-rows N``.

Parse and hand over only: the engines live in :mod:`avetmiss_finalise.engines`. A Dask engine is not in this
release (docs/scale.md), so no flag offers it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from avetmiss_finalise.engines import ENGINES
from avetmiss_finalise.errors import UsageError

__all__ = ["add_engine_arguments", "engine_params"]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("engine (national scale; docs/scale.md)")
    g.add_argument(
        "--engine",
        choices=ENGINES,
        help=(
            "memory (default: the whole collection in this process); stream (NAT00120 read in chunks, peak memory "
            "bounded by the chunk, client partitions spilled to a temporary directory). Both give the same report"
        ),
    )
    g.add_argument(
        "--chunk-rows",
        type=_positive,
        metavar="N",
        help="records of NAT00120 per chunk (default: from the memory available); implies stream",
    )


@contextmanager
def engine_params(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The ``validate`` keywords for the engine flags."""
    engine = args.engine or ("stream" if args.chunk_rows is not None else None)
    if engine == "memory" and args.chunk_rows is not None:
        raise UsageError("--chunk-rows is for --engine stream")
    if engine in (None, "memory"):
        yield {}
        return
    if engine == "stream":
        yield {"engine": "stream", "chunk_rows": args.chunk_rows}
        return
    raise UsageError(f"unknown engine {engine}")
