"""``validate(engine=…)``: check the engine's arguments and hand the run to it (imported only when asked for)."""

from __future__ import annotations

from typing import Any

from avetmiss_finalise.engines import ENGINES
from avetmiss_finalise.errors import UsageError
from avetmiss_finalise.validation.report import Report

__all__ = ["run_engine"]


def run_engine(engine: str | None, source: Any, *, chunk_rows: int | None, client: Any, **params: Any) -> Report:
    """Run ``engine`` (``None``: ``"stream"`` when ``chunk_rows`` is given, ``"dask"`` when ``client`` is)."""
    name = engine or ("dask" if client is not None else "stream")
    if name not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if name == "memory":
        raise UsageError("chunk_rows and client are for the stream and dask engines, not engine='memory'")
    if params.pop("reference_keys", None):
        raise UsageError(f"reference_keys is for validating a chunk in memory; the {name} engine computes them")
    if name == "stream":
        if client is not None:
            raise UsageError("client is for engine='dask'")
        from avetmiss_finalise.engines.stream import validate_stream

        return validate_stream(source, chunk_rows=chunk_rows, **params)
    if name == "dask":
        from avetmiss_finalise.engines.dask_engine import validate_dask

        return validate_dask(source, client=client, chunk_rows=chunk_rows, **params)
    raise UsageError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
