"""A progress bar on stderr for long runs, only where a person is watching.

A run over a month of providers' submissions takes minutes; on a terminal the user should see how far it is, how
fast it goes and when it will end (``tqdm``: done/total, rate, ETA). Nowhere else: when stderr is not a terminal
(a CI log, a pipe, a file) or with ``--quiet`` nothing is written, so logs and parsed output stay as they were.
The bar shows counts only (submissions, records), never names or values from the data.
"""

from __future__ import annotations

import argparse
import sys
from types import MappingProxyType, TracebackType
from typing import Any

__all__ = ["Phases", "Progress", "add_progress_arguments", "progress"]


def add_progress_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar on stderr (there is none anyway when stderr is not a terminal)",
    )


class Progress:
    """A bar of ``total`` steps (``update``); a no-op when there is no terminal to draw it on."""

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        if self._bar is not None:
            self._bar.close()


def progress(total: int | None, *, unit: str, desc: str, quiet: bool = False) -> Progress:
    """A bar on stderr when stderr is a terminal and not ``quiet``; otherwise one that writes nothing."""
    stream = sys.stderr
    if quiet or stream is None or not _isatty(stream):
        return Progress()
    try:
        from tqdm import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:  # a core dependency; a broken install is no reason to fail a validation
        return Progress()
    return Progress(tqdm(total=total, unit=unit, desc=desc, file=stream, leave=False, dynamic_ncols=True))


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


#: Each phase's unit and label.
_PHASES = MappingProxyType(
    {"read": ("B", "reading NAT00120"), "validate": ("partition", "validating"), "rules": ("rule", "validating")}
)


class Phases:
    """One bar per phase of a run told ``(phase, done, total)`` (:mod:`avetmiss_finalise.validation.progress`):
    reading NAT00120 (bytes; no total inside a zip), validating client partitions (stream, Dask) or running the
    rules (in memory). A new phase closes the last bar and opens its own; nothing is drawn where :func:`progress`
    draws nothing."""

    def __init__(self, *, quiet: bool = False) -> None:
        self.quiet = quiet
        self.phase: str | None = None
        self.bar = Progress()
        self.done = 0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase != self.phase:
            self.bar.__exit__(None)
            unit, desc = _PHASES.get(phase, ("step", phase))
            self.phase, self.done = phase, 0
            self.bar = progress(total, unit=unit, desc=desc, quiet=self.quiet)
        self.bar.update(done - self.done)
        self.done = done

    def __enter__(self) -> Phases:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.bar.__exit__(None)
