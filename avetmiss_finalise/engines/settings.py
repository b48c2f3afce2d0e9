"""A partitioning engine's arguments, checked and resolved the same way in the stream and the Dask engine: what
neither can do is refused before anything is read, and the defaults (profile, reference data, limits, chunk size)
are settled once."""

from __future__ import annotations

import os
from collections.abc import Iterable

import attrs

from avetmiss_finalise.errors import UsageError, UsageTypeError
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.profiles import Profile, get_profile
from avetmiss_finalise.validation.options import ValidationOptions

__all__ = ["Settings", "check_arguments", "resolve_settings"]


@attrs.frozen(kw_only=True)
class Settings:
    """A partitioning engine's arguments resolved, the same way in every engine: the profile, the options with
    their reference data loaded, the limits, the chunk size (never over the record limit) and the rules asked for."""

    profile: Profile
    options: ValidationOptions
    limits: Limits
    chunk_rows: int
    wanted: tuple[str, ...] | None


def resolve_settings(
    *,
    chunk_rows: int | None,
    profile: str | Profile,
    options: ValidationOptions | None,
    limits: Limits | None,
    rules: Iterable[str] | None,
) -> Settings:
    """:class:`Settings` of a run whose arguments :func:`check_arguments` passed; the chunk size defaults to
    :func:`~avetmiss_finalise.engines.sizing.auto_chunk_rows`."""
    from avetmiss_finalise.engines.sizing import auto_chunk_rows
    from avetmiss_finalise.nat.read import _limits
    from avetmiss_finalise.validation.reference_data import resolve_reference

    lim = _limits(limits)
    return Settings(
        profile=get_profile(profile),
        options=resolve_reference(options or ValidationOptions()),
        limits=lim,
        chunk_rows=min(chunk_rows or auto_chunk_rows(), lim.max_records),  # a chunk never exceeds the record limit
        wanted=None if rules is None else tuple(rules),
    )


def check_arguments(engine: str, source: object, chunk_rows: object) -> None:
    """Refuse what no partitioning engine can do before anything is read: a non-path source, a bad chunk size."""
    if not isinstance(source, str | os.PathLike):
        raise UsageTypeError(f"{engine} validation reads a path (file, directory or zip), not {type(source).__name__}")
    if chunk_rows is not None and (isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int)):
        raise UsageTypeError(f"chunk_rows must be a whole number, not {type(chunk_rows).__name__}")
    if chunk_rows is not None and chunk_rows < 1:
        raise UsageError(f"chunk_rows must be at least 1, got {chunk_rows}")
